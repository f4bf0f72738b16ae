//! Softmax: turning a row of scores (logits) into a probability distribution.
//!
//! For a row of logits \\(z\_1, …, z\_K\\) the softmax is
//! \\(p\_k = e^{z\_k} / \sum\_j e^{z\_j}\\). Computed literally, `exp` overflows
//! for logits above about 88 (in `f32`) and every probability becomes
//! `inf / inf = NaN`. Subtracting the row's maximum first changes nothing
//! mathematically (the common factor \\(e^{-m}\\) cancels) and keeps every
//! exponent at or below zero, so nothing overflows.

use ndarray::{Array2, ArrayView2, ArrayViewMut1, Axis};

// ANCHOR: softmax_row
/// Replaces one row of logits by its softmax, in place.
///
/// The largest logit becomes \\(e^0 = 1\\) before normalising, so the sum is
/// at least 1 and never overflows. An empty row is left empty.
pub fn softmax_row(mut row: ArrayViewMut1<f32>) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if !max.is_finite() {
        // Empty row, or a row that holds ±inf/NaN: nothing stable to do,
        // fall back to the literal formula so the problem stays visible.
        row.mapv_inplace(f32::exp);
    } else {
        row.mapv_inplace(|z| (z - max).exp());
    }
    let sum: f32 = row.sum();
    row.mapv_inplace(|e| e / sum);
}
// ANCHOR_END: softmax_row

/// Softmax of every row of a `B × K` matrix of logits, in place.
pub fn softmax_inplace(z: &mut Array2<f32>) {
    for row in z.axis_iter_mut(Axis(0)) {
        softmax_row(row);
    }
}

/// Softmax of every row of a `B × K` matrix of logits: row `i` of the result
/// is a probability distribution over the `K` classes for sample `i`.
pub fn softmax(logits: ArrayView2<f32>) -> Array2<f32> {
    let mut p = logits.to_owned();
    softmax_inplace(&mut p);
    p
}

/// The logarithm of the softmax of every row, computed without ever forming
/// a probability that could underflow to zero:
/// \\(\log p\_k = z\_k - m - \log \sum\_j e^{z\_j - m}\\) with \\(m\\) the row max.
pub fn log_softmax(logits: ArrayView2<f32>) -> Array2<f32> {
    let mut out = logits.to_owned();
    for mut row in out.axis_iter_mut(Axis(0)) {
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let log_sum = row.iter().map(|&z| (z - max).exp()).sum::<f32>().ln();
        row.mapv_inplace(|z| z - max - log_sum);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn rows_are_probability_distributions_in_the_order_of_the_logits() {
        let z = array![[1.0f32, 2.0, 3.0], [0.0, 0.0, 0.0], [-5.0, 10.0, 0.5]];
        let p = softmax(z.view());
        for (row, zr) in p.rows().into_iter().zip(z.rows()) {
            assert!((row.sum() - 1.0).abs() < 1e-6, "{row}");
            assert!(row.iter().all(|&v| v > 0.0));
            // Same order as the logits.
            let amax_p = row
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .unwrap()
                .0;
            let amax_z = zr
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .unwrap()
                .0;
            assert_eq!(amax_p, amax_z);
        }
        // Equal logits: a uniform distribution.
        for &v in p.row(1) {
            assert!((v - 1.0 / 3.0).abs() < 1e-6);
        }
        // A hand-computed value: e^1 / (e^1 + e^2 + e^3).
        let e = std::f32::consts::E;
        assert!((p[[0, 0]] - e / (e + e * e + e * e * e)).abs() < 1e-6);
    }

    #[test]
    fn huge_logits_do_not_overflow() {
        let z = array![[1000.0f32, 1001.0, 999.0], [-1000.0, -1000.0, -999.0]];
        let p = softmax(z.view());
        assert!(p.iter().all(|v| v.is_finite()), "{p}");
        // Shifting a row by a constant does not change its softmax.
        let q = softmax(array![[1.0f32, 2.0, 0.0]].view());
        for k in 0..3 {
            assert!((p[[0, k]] - q[[0, k]]).abs() < 1e-6);
        }
        // The literal formula would have produced NaN here.
        let literal = (1000.0f32).exp() / (1000.0f32.exp() + 1001.0f32.exp());
        assert!(literal.is_nan());
    }

    #[test]
    fn log_softmax_is_the_log_of_softmax_and_stays_finite() {
        let z = array![[0.5f32, -1.0, 2.0], [200.0, 0.0, -200.0]];
        let p = softmax(z.view());
        let lp = log_softmax(z.view());
        assert!((lp[[0, 1]] - p[[0, 1]].ln()).abs() < 1e-5);
        // p[1,2] underflows to 0 (log would be -inf) but log_softmax is exact.
        assert!(lp[[1, 2]].is_finite());
        assert!((lp[[1, 2]] + 400.0).abs() < 1e-3);
    }

    #[test]
    fn in_place_matches_the_copying_version_and_empty_is_fine() {
        let z = array![[3.0f32, -2.0], [0.1, 0.2]];
        let mut w = z.clone();
        softmax_inplace(&mut w);
        assert_eq!(w, softmax(z.view()));
        let empty = Array2::<f32>::zeros((0, 4));
        assert_eq!(softmax(empty.view()).shape(), &[0, 4]);
        let no_classes = Array2::<f32>::zeros((2, 0));
        assert_eq!(softmax(no_classes.view()).shape(), &[2, 0]);
    }
}
