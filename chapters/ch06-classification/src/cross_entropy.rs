//! Cross-entropy: the loss of a classifier that outputs probabilities.
//!
//! The network's last layer outputs raw scores, the *logits* \\(z\\); softmax
//! turns them into probabilities \\(p\\); the loss of one sample whose true
//! class is \\(y\\) is \\(-\log p\_y\\). Its gradient with respect to the
//! logits is the famous \\(p - \text{onehot}(y)\\), which is why this module
//! takes logits, not probabilities: the softmax and the loss are computed
//! together, stably, and the gradient skips the softmax Jacobian entirely.

use ch04_backprop::NetError;
use ch04_backprop::loss::{Loss, check_pair};
use ndarray::{Array2, ArrayView2, Axis, Zip};

use crate::softmax::{log_softmax, softmax};

/// Checks that `logits` is a non-empty `B × K` batch and that there are `B`
/// labels, each below `K`; returns the labels as `usize`.
fn check_labels<L: Copy + Into<usize>>(
    logits: ArrayView2<f32>,
    labels: &[L],
) -> Result<Vec<usize>, NetError> {
    let (b, k) = logits.dim();
    if b == 0 {
        return Err(NetError::EmptyBatch);
    }
    if labels.len() != b {
        return Err(NetError::ShapeMismatch {
            what: "labels (one per row of the logits)".to_string(),
            expected: vec![b],
            found: vec![labels.len()],
        });
    }
    labels
        .iter()
        .enumerate()
        .map(|(i, &l)| {
            let l: usize = l.into();
            if l < k {
                Ok(l)
            } else {
                Err(NetError::InvalidArgument(format!(
                    "label {l} of sample {i} is out of range: the logits have {k} classes (0..{k})"
                )))
            }
        })
        .collect()
}

// ANCHOR: sparse_ce
/// Sparse categorical cross-entropy on a batch of logits (`B × K`) and one
/// class label per row.
///
/// Returns the mean loss \\(\frac1B \sum\_i -\log p\_{i, y\_i}\\) and its
/// gradient with respect to the logits, \\((p - \text{onehot}(y)) / B\\).
/// The loss uses `log_softmax`, so a confidently wrong prediction costs a
/// large finite number rather than `inf`.
pub fn sparse_categorical_cross_entropy<L: Copy + Into<usize>>(
    logits: ArrayView2<f32>,
    labels: &[L],
) -> Result<(f32, Array2<f32>), NetError> {
    let labels = check_labels(logits, labels)?;
    let batch = labels.len() as f32;
    let log_p = log_softmax(logits);
    let loss = labels
        .iter()
        .enumerate()
        .map(|(i, &y)| -log_p[[i, y]])
        .sum::<f32>()
        / batch;
    // p − onehot(y), divided by the batch size.
    let mut grad = log_p.mapv(f32::exp);
    for (i, &y) in labels.iter().enumerate() {
        grad[[i, y]] -= 1.0;
    }
    grad /= batch;
    Ok((loss, grad))
}
// ANCHOR_END: sparse_ce

/// Labels as one-hot rows: row `i` is all zeros except a 1 in column
/// `labels[i]`. Labels at or above `n_classes`, and a table too large to
/// hold, are errors.
pub fn one_hot<L: Copy + Into<usize>>(
    labels: &[L],
    n_classes: usize,
) -> Result<Array2<f32>, NetError> {
    ch04_backprop::error::checked_len("one-hot targets", &[labels.len(), n_classes])?;
    let mut out = Array2::zeros((labels.len(), n_classes));
    for (i, &l) in labels.iter().enumerate() {
        let l: usize = l.into();
        if l >= n_classes {
            return Err(NetError::InvalidArgument(format!(
                "label {l} of sample {i} is out of range for {n_classes} classes"
            )));
        }
        out[[i, l]] = 1.0;
    }
    Ok(out)
}

/// Softmax followed by categorical cross-entropy, as a [`Loss`] on logits
/// with one row of target probabilities per sample (usually one-hot, see
/// [`one_hot`]).
///
/// With targets \\(t\\) the loss of a row is \\(-\sum\_k t\_k \log p\_k\\);
/// the gradient with respect to the logits is
/// \\(p \sum\_k t\_k - t\\), which is \\(p - t\\) whenever the row of \\(t\\)
/// sums to one. Both are averaged over the batch.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SoftmaxCrossEntropy;

impl Loss for SoftmaxCrossEntropy {
    fn value(
        &self,
        predictions: ArrayView2<f32>,
        targets: ArrayView2<f32>,
    ) -> Result<f32, NetError> {
        check_pair(&predictions, &targets)?;
        let log_p = log_softmax(predictions);
        // Where a target is 0 the term is 0, even if log p is -inf.
        let total: f32 =
            Zip::from(&log_p).and(&targets).fold(
                0.0,
                |acc, &lp, &t| if t == 0.0 { acc } else { acc - t * lp },
            );
        Ok(total / predictions.nrows() as f32)
    }

    fn gradient(
        &self,
        predictions: ArrayView2<f32>,
        targets: ArrayView2<f32>,
    ) -> Result<Array2<f32>, NetError> {
        check_pair(&predictions, &targets)?;
        let batch = predictions.nrows() as f32;
        let mut grad = softmax(predictions);
        let mass = targets.sum_axis(Axis(1));
        Zip::from(grad.rows_mut())
            .and(targets.rows())
            .and(&mass)
            .for_each(|mut g, t, &m| {
                Zip::from(&mut g)
                    .and(&t)
                    .for_each(|g, &t| *g = (*g * m - t) / batch);
            });
        Ok(grad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    // ANCHOR: numeric_gradient
    /// Central finite differences of `f` at `z`, one entry at a time.
    fn numeric_gradient(z: &Array2<f32>, f: impl Fn(&Array2<f32>) -> f32) -> Array2<f32> {
        let h = 1e-2f32;
        let mut g = Array2::zeros(z.dim());
        for idx in ndarray::indices(z.dim()) {
            let (i, j) = idx;
            let mut plus = z.clone();
            plus[[i, j]] += h;
            let mut minus = z.clone();
            minus[[i, j]] -= h;
            g[[i, j]] = (f(&plus) - f(&minus)) / (2.0 * h);
        }
        g
    }

    // ANCHOR_END: numeric_gradient

    fn assert_close(a: &Array2<f32>, b: &Array2<f32>, tol: f32) {
        assert_eq!(a.shape(), b.shape());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() <= tol, "{a}\nvs\n{b}");
        }
    }

    fn logits() -> Array2<f32> {
        array![
            [2.0f32, -1.0, 0.5, 0.0],
            [0.1, 0.2, 0.3, 0.4],
            [-3.0, 4.0, 1.0, -0.5]
        ]
    }

    #[test]
    fn loss_of_a_known_case() {
        // Two equal logits: p = 1/2 for the true class, loss ln 2.
        let (loss, grad) =
            sparse_categorical_cross_entropy(array![[0.0f32, 0.0]].view(), &[1u8]).unwrap();
        assert!((loss - 2f32.ln()).abs() < 1e-6);
        assert_close(&grad, &array![[0.5, -0.5]], 1e-6);
    }

    // ANCHOR: gradient_test
    #[test]
    fn gradient_is_p_minus_y_and_matches_finite_differences() {
        let z = logits();
        let labels = [0usize, 3, 1];
        let (_, grad) = sparse_categorical_cross_entropy(z.view(), &labels).unwrap();
        // p − onehot, over B.
        let expected = (softmax(z.view()) - one_hot(&labels, 4).unwrap()) / 3.0;
        assert_close(&grad, &expected, 1e-6);
        let numeric = numeric_gradient(&z, |z| {
            sparse_categorical_cross_entropy(z.view(), &labels)
                .unwrap()
                .0
        });
        assert_close(&grad, &numeric, 1e-3);
        // Each row of the gradient sums to zero: raising every logit equally
        // changes nothing.
        for row in grad.rows() {
            assert!(row.sum().abs() < 1e-6);
        }
    }

    // ANCHOR_END: gradient_test

    #[test]
    fn the_loss_trait_agrees_with_the_sparse_version() {
        let z = logits();
        let labels = [2u8, 2, 0];
        let t = one_hot(&labels, 4).unwrap();
        let (loss, grad) = sparse_categorical_cross_entropy(z.view(), &labels).unwrap();
        let ce = SoftmaxCrossEntropy;
        assert!((ce.value(z.view(), t.view()).unwrap() - loss).abs() < 1e-6);
        assert_close(&ce.gradient(z.view(), t.view()).unwrap(), &grad, 1e-6);
    }

    #[test]
    fn the_loss_trait_gradient_matches_finite_differences_for_soft_targets() {
        let z = logits();
        let t = array![
            [0.7f32, 0.1, 0.1, 0.1],
            [0.0, 0.5, 0.5, 0.0],
            [0.25, 0.25, 0.25, 0.25]
        ];
        let ce = SoftmaxCrossEntropy;
        let grad = ce.gradient(z.view(), t.view()).unwrap();
        let numeric = numeric_gradient(&z, |z| ce.value(z.view(), t.view()).unwrap());
        assert_close(&grad, &numeric, 1e-3);
    }

    #[test]
    fn confident_mistakes_cost_much_but_stay_finite() {
        let (loss, grad) =
            sparse_categorical_cross_entropy(array![[100.0f32, -100.0]].view(), &[1u8]).unwrap();
        assert!(loss.is_finite() && (loss - 200.0).abs() < 1e-2, "{loss}");
        assert!(grad.iter().all(|g| g.is_finite()));
    }

    #[test]
    fn bad_inputs_are_errors_that_say_what_is_wrong() {
        let z = logits();
        let err = sparse_categorical_cross_entropy(z.view(), &[0u8, 1]).unwrap_err();
        assert!(matches!(err, NetError::ShapeMismatch { .. }), "{err}");
        let err = sparse_categorical_cross_entropy(z.view(), &[0u8, 4, 1]).unwrap_err();
        assert!(err.to_string().contains("label 4"), "{err}");
        let empty = Array2::<f32>::zeros((0, 4));
        assert_eq!(
            sparse_categorical_cross_entropy::<u8>(empty.view(), &[]).unwrap_err(),
            NetError::EmptyBatch
        );
        let err = SoftmaxCrossEntropy
            .value(z.view(), Array2::zeros((3, 3)).view())
            .unwrap_err();
        assert!(matches!(err, NetError::ShapeMismatch { .. }), "{err}");
        assert!(one_hot(&[5u8], 3).is_err());
    }
}
