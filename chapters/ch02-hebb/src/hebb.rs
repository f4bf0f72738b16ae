//! Hebb's rule: a synapse changes in proportion to the activity on both of
//! its sides, Δwᵢ = η xᵢ y.

use ndarray::{Array1, ArrayView1};

use crate::error::{HebbError, check_rate, same_shape};

// ANCHOR: output
/// The output of a linear neuron, y = x w = Σᵢ xᵢ wᵢ: each input times the
/// strength of its synapse, summed. The sample x (a row) and the weights w
/// (a column) are both one-dimensional arrays here, which have no row or
/// column shape; only their lengths must agree, or the result is an error.
pub fn output(w: ArrayView1<f32>, x: ArrayView1<f32>) -> Result<f32, HebbError> {
    same_shape("w · x", w.shape(), x.shape())?;
    Ok(w.dot(&x))
}
// ANCHOR_END: output

// ANCHOR: hebb_update
/// One step of Hebb's rule on one sample: the neuron responds with
/// y = x w, and every weight changes by Δwᵢ = η xᵢ y, that is
/// w ← w + η y xᵀ. Returns the response `y`. A learning rate η that is not
/// positive and finite, or a sample of the wrong length, is an error and
/// leaves `w` untouched.
pub fn hebb_update(w: &mut Array1<f32>, x: ArrayView1<f32>, eta: f32) -> Result<f32, HebbError> {
    check_rate(eta)?;
    let y = output(w.view(), x)?;
    w.scaled_add(eta * y, &x); // w ← w + η y xᵀ
    Ok(y)
}
// ANCHOR_END: hebb_update

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn the_update_is_eta_times_input_times_output() {
        let mut w = array![1.0f32, 2.0];
        let y = hebb_update(&mut w, array![3.0, -1.0].view(), 0.1).unwrap();
        assert_eq!(y, 1.0);
        // Δw = 0.1 · 1 · (3, −1)
        assert!((w[0] - 1.3).abs() < 1e-6 && (w[1] - 1.9).abs() < 1e-6);
    }

    #[test]
    fn silent_output_means_no_change() {
        let mut w = array![1.0f32, -1.0];
        hebb_update(&mut w, array![2.0, 2.0].view(), 0.5).unwrap();
        assert_eq!(w, array![1.0, -1.0]);
    }

    #[test]
    fn the_norm_never_shrinks() {
        let mut w = array![0.3f32, -0.2];
        let mut last = w.dot(&w);
        for k in 0..50 {
            let x = array![(k as f32).sin(), (k as f32 * 0.7).cos()];
            hebb_update(&mut w, x.view(), 0.05).unwrap();
            let now = w.dot(&w);
            assert!(now >= last, "step {k}: {now} < {last}");
            last = now;
        }
    }

    #[test]
    fn bad_shapes_and_rates_are_errors() {
        let mut w = array![1.0f32, 2.0];
        let err = hebb_update(&mut w, array![1.0, 2.0, 3.0].view(), 0.1).unwrap_err();
        assert!(err.to_string().contains("[2] and [3]"), "{err}");
        assert!(hebb_update(&mut w, array![1.0, 2.0].view(), 0.0).is_err());
        assert!(hebb_update(&mut w, array![1.0, 2.0].view(), f32::NAN).is_err());
        assert_eq!(w, array![1.0, 2.0], "a refused update changes nothing");
    }
}
