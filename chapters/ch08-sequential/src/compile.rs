//! What `compile` fixes: the loss to minimise, the optimizer that minimises
//! it, and the metrics to report.

use ch04_backprop::{Loss, Mse, NetError};
use ch06_classification::{accuracy, one_hot, sparse_categorical_cross_entropy};
use ndarray::{Array2, ArrayView2};

use crate::optimizer::Sgd;

// ANCHOR: loss_kind
/// The loss a model is trained on. Labels are class numbers in both cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossKind {
    /// `−log p_y`, the mean over the batch, for a model whose last layer
    /// ends with softmax (Keras' `"sparse_categorical_crossentropy"`). It is
    /// computed from the logits, and its gradient there is `(p − y) / B`.
    SparseCategoricalCrossEntropy,
    /// The mean of `(output − one_hot(label))²` over all entries
    /// (Keras' `"mse"`): it works, but learns a classifier more slowly.
    MeanSquaredError,
}
// ANCHOR_END: loss_kind

impl LossKind {
    /// The loss's name, as Keras writes it.
    pub fn name(self) -> &'static str {
        match self {
            LossKind::SparseCategoricalCrossEntropy => "sparse_categorical_crossentropy",
            LossKind::MeanSquaredError => "mean_squared_error",
        }
    }

    /// Whether the loss is computed from the logits of a softmax layer.
    pub fn uses_logits(self) -> bool {
        self == LossKind::SparseCategoricalCrossEntropy
    }

    /// The mean loss over a batch and its gradient with respect to `scores`:
    /// the logits for cross-entropy, the outputs for MSE.
    pub fn value_and_gradient(
        self,
        scores: ArrayView2<f32>,
        labels: &[u8],
    ) -> Result<(f32, Array2<f32>), NetError> {
        match self {
            LossKind::SparseCategoricalCrossEntropy => {
                sparse_categorical_cross_entropy(scores, labels)
            }
            LossKind::MeanSquaredError => {
                let targets = one_hot(labels, scores.ncols())?;
                let loss = Mse.value(scores, targets.view())?;
                Ok((loss, Mse.gradient(scores, targets.view())?))
            }
        }
    }

    /// The mean loss over a batch, from `scores` as in
    /// [`LossKind::value_and_gradient`].
    pub fn value(self, scores: ArrayView2<f32>, labels: &[u8]) -> Result<f32, NetError> {
        Ok(self.value_and_gradient(scores, labels)?.0)
    }
}

/// A number reported during training besides the loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// The fraction of samples whose highest score is the true class.
    Accuracy,
}

impl Metric {
    /// The metric's name, as Keras writes it.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Accuracy => "accuracy",
        }
    }

    /// The metric on a batch of scores (logits or probabilities).
    pub fn compute(self, scores: ArrayView2<f32>, labels: &[u8]) -> Result<f32, NetError> {
        match self {
            Metric::Accuracy => accuracy(scores, labels),
        }
    }
}

/// What [`Sequential::compile`](crate::Sequential::compile) stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Compiled {
    /// The loss the model is trained on.
    pub loss: LossKind,
    /// The optimizer, with its state (momentum velocities).
    pub optimizer: Sgd,
    /// The metrics reported besides the loss.
    pub metrics: Vec<Metric>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn both_losses_refuse_out_of_range_labels() {
        let z = array![[1.0f32, 2.0, 0.5]];
        for loss in [
            LossKind::SparseCategoricalCrossEntropy,
            LossKind::MeanSquaredError,
        ] {
            assert!(loss.value(z.view(), &[1]).is_ok());
            assert!(loss.value(z.view(), &[3]).is_err(), "{}", loss.name());
        }
    }

    #[test]
    fn mse_compares_with_one_hot_targets() {
        let p = array![[0.5f32, 0.5], [1.0, 0.0]];
        // ((0.5)² + (0.5)² + 0 + 0) / 4 = 0.125
        let (l, g) = LossKind::MeanSquaredError
            .value_and_gradient(p.view(), &[1, 0])
            .unwrap();
        assert!((l - 0.125).abs() < 1e-7);
        assert_eq!(g, array![[0.25f32, -0.25], [0.0, 0.0]]);
        assert_eq!(Metric::Accuracy.compute(p.view(), &[0, 1]).unwrap(), 0.5);
    }
}
