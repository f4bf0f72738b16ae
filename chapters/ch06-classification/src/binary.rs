//! Binary and multilabel classification: one sigmoid output per yes/no question.
//!
//! A binary classifier's last layer has one output per label, with no
//! activation: its outputs are logits \\(z\\). The probability of "yes" is
//! the logistic sigmoid \\(\sigma(z) = 1 / (1 + e^{-z})\\), and the loss is
//! binary cross-entropy \\(-[t \log \sigma(z) + (1 - t) \log(1 - \sigma(z))]\\).
//! Like softmax with cross-entropy, the pair has the simple gradient
//! \\(\sigma(z) - t\\) with respect to the logit.

use ch04_backprop::NetError;
use ch04_backprop::loss::{Loss, check_pair};
use ndarray::{Array2, ArrayView2, Zip};

// ANCHOR: sigmoid
/// The logistic sigmoid of one logit: chapter 4's overflow-safe
/// [`sigmoid`](ch04_backprop::activation::sigmoid), under the name this
/// chapter gives it.
pub use ch04_backprop::activation::sigmoid as logistic;

/// The sigmoid of every entry of a `B × L` matrix of logits: the probability
/// that each of the `L` labels applies to each of the `B` samples.
///
/// Named `sigmoid_array` because chapter 4's `sigmoid` is the function of
/// one number; this one takes an array and returns one of the same shape.
/// It works entry by entry, not row by row as the softmax does, hence not
/// `sigmoid_rows`.
pub fn sigmoid_array(logits: ArrayView2<f32>) -> Array2<f32> {
    logits.mapv(logistic)
}
// ANCHOR_END: sigmoid

/// \\(\log(1 + e^{x})\\) (the softplus), without overflow for large `x` and
/// without losing precision for very negative `x`.
fn softplus(x: f32) -> f32 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

// ANCHOR: bce
/// Binary cross-entropy as a [`Loss`] on logits, with targets in \\([0, 1]\\)
/// of the same shape (`B × L`: one column per label).
///
/// The loss of one entry is \\(\text{softplus}(z) - t z\\), which equals
/// \\(-[t \log \sigma(z) + (1-t) \log(1-\sigma(z))]\\) but never takes the log
/// of a probability that rounded to 0. The value is the mean over all
/// \\(B \cdot L\\) entries (for one label, the mean over the batch), and the
/// gradient is \\((\sigma(z) - t) / (B L)\\).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BinaryCrossEntropy;

impl Loss for BinaryCrossEntropy {
    fn value(
        &self,
        predictions: ArrayView2<f32>,
        targets: ArrayView2<f32>,
    ) -> Result<f32, NetError> {
        check(predictions, targets)?;
        let total = Zip::from(&predictions)
            .and(&targets)
            .fold(0.0f32, |acc, &z, &t| acc + softplus(z) - t * z);
        Ok(total / predictions.len() as f32)
    }

    fn gradient(
        &self,
        predictions: ArrayView2<f32>,
        targets: ArrayView2<f32>,
    ) -> Result<Array2<f32>, NetError> {
        check(predictions, targets)?;
        let n = predictions.len() as f32;
        Ok(Zip::from(&predictions)
            .and(&targets)
            .map_collect(|&z, &t| (logistic(z) - t) / n))
    }
}
// ANCHOR_END: bce

/// Same non-empty shape, and at least one label column.
fn check(predictions: ArrayView2<f32>, targets: ArrayView2<f32>) -> Result<(), NetError> {
    check_pair(&predictions, &targets)?;
    if predictions.ncols() == 0 {
        return Err(NetError::InvalidArgument(
            "binary cross-entropy needs at least one label column".to_string(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn logistic_is_stable_and_symmetric() {
        assert_eq!(logistic(0.0), 0.5);
        for z in [-100.0f32, -20.0, -1.5, 0.3, 4.0, 100.0] {
            let p = logistic(z);
            assert!(p.is_finite() && (0.0..=1.0).contains(&p));
            assert!((p + logistic(-z) - 1.0).abs() < 1e-6, "σ(z) + σ(-z) = 1");
        }
        assert!(logistic(-100.0) > 0.0, "no underflow to exactly 0 at -100");
        let s = sigmoid_array(array![[0.0f32, 2.0]].view());
        assert!((s[[0, 1]] - 1.0 / (1.0 + (-2.0f32).exp())).abs() < 1e-7);
    }

    #[test]
    fn value_matches_the_textbook_formula() {
        let z = array![[0.3f32, -1.2], [2.0, 0.0]];
        let t = array![[1.0f32, 0.0], [0.0, 1.0]];
        let mut expected = 0.0;
        for (&z, &t) in z.iter().zip(&t) {
            let p = logistic(z);
            expected -= t * p.ln() + (1.0 - t) * (1.0 - p).ln();
        }
        expected /= 4.0;
        let got = BinaryCrossEntropy.value(z.view(), t.view()).unwrap();
        assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
    }

    #[test]
    fn gradient_is_sigma_minus_t_and_matches_finite_differences() {
        let z = array![[0.3f32, -1.2, 4.0], [2.0, 0.0, -0.7]];
        let t = array![[1.0f32, 0.0, 1.0], [0.0, 1.0, 0.5]];
        let grad = BinaryCrossEntropy.gradient(z.view(), t.view()).unwrap();
        let h = 1e-2f32;
        for idx in ndarray::indices(z.dim()) {
            let (i, j) = idx;
            let (mut plus, mut minus) = (z.clone(), z.clone());
            plus[[i, j]] += h;
            minus[[i, j]] -= h;
            let numeric = (BinaryCrossEntropy.value(plus.view(), t.view()).unwrap()
                - BinaryCrossEntropy.value(minus.view(), t.view()).unwrap())
                / (2.0 * h);
            assert!((grad[[i, j]] - numeric).abs() < 1e-4, "{i},{j}");
            assert!((grad[[i, j]] - (logistic(z[[i, j]]) - t[[i, j]]) / 6.0).abs() < 1e-7);
        }
    }

    #[test]
    fn confident_mistakes_stay_finite_and_shapes_are_checked() {
        let z = array![[80.0f32], [-80.0]];
        let t = array![[0.0f32], [1.0]];
        let v = BinaryCrossEntropy.value(z.view(), t.view()).unwrap();
        assert!((v - 80.0).abs() < 1e-3, "{v}");
        let err = BinaryCrossEntropy
            .value(z.view(), array![[0.0f32, 1.0]].view())
            .unwrap_err();
        assert!(matches!(err, NetError::ShapeMismatch { .. }));
        let empty = Array2::<f32>::zeros((0, 1));
        assert_eq!(
            BinaryCrossEntropy
                .gradient(empty.view(), empty.view())
                .unwrap_err(),
            NetError::EmptyBatch
        );
    }
}
