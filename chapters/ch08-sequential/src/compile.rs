//! What `compile` fixes: the loss to minimise, the optimizer that minimises
//! it, and the metrics to report.
//!
//! A loss or a metric works on one kind of target or on both
//! ([`TargetKind`]): cross-entropy and accuracy need class labels; mean
//! absolute error and Huber need real values; mean squared error takes
//! either. `compile` refuses a loss and metrics that agree on no kind, and
//! training refuses data of a kind the compiled model cannot learn from,
//! each with an error rather than a panic.

use ch04_backprop::{Loss, Mse, NetError};
use ch05_regression::{Huber, Mae};
use ch06_classification::{accuracy, one_hot, sparse_categorical_cross_entropy};
use ndarray::{Array2, ArrayView2};

use crate::optimizer::Sgd;
use crate::targets::{TargetKind, Targets};

// ANCHOR: loss_kind
/// The loss a model is trained on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LossKind {
    /// `−log p_y`, the mean over the batch, for a model whose last layer
    /// ends with softmax (Keras' `"sparse_categorical_crossentropy"`). It is
    /// computed from the logits, and its gradient there is `(p − y) / B`.
    /// Class labels only.
    SparseCategoricalCrossEntropy,
    /// The mean of `(output − target)²` over all entries (Keras' `"mse"`,
    /// chapter 4's [`Mse`]). On real values it is the regression loss of
    /// chapter 5; on class labels the target is `one_hot(label)`, which
    /// works, but learns a classifier more slowly.
    MeanSquaredError,
    /// The mean of `|output − target|` (Keras' `"mae"`, chapter 5's
    /// [`Mae`]). Real values only.
    MeanAbsoluteError,
    /// Chapter 5's [`Huber`] loss: quadratic for errors up to `delta`,
    /// linear beyond. Real values only.
    Huber(Huber),
}
// ANCHOR_END: loss_kind

impl LossKind {
    /// The loss's name, as Keras writes it.
    pub fn name(self) -> &'static str {
        match self {
            LossKind::SparseCategoricalCrossEntropy => "sparse_categorical_crossentropy",
            LossKind::MeanSquaredError => "mean_squared_error",
            LossKind::MeanAbsoluteError => "mean_absolute_error",
            LossKind::Huber(_) => "huber",
        }
    }

    /// Whether the loss is computed from the logits of a softmax layer.
    pub fn uses_logits(self) -> bool {
        self == LossKind::SparseCategoricalCrossEntropy
    }

    /// Whether the loss can be computed on targets of kind `kind`.
    pub fn accepts(self, kind: TargetKind) -> bool {
        match self {
            LossKind::SparseCategoricalCrossEntropy => kind == TargetKind::Labels,
            LossKind::MeanSquaredError => true,
            LossKind::MeanAbsoluteError | LossKind::Huber(_) => kind == TargetKind::Values,
        }
    }

    // ANCHOR: value_and_gradient
    /// The mean loss over a batch and its gradient with respect to `scores`:
    /// the logits for cross-entropy, the outputs otherwise. Targets of a
    /// kind the loss does not accept are an error.
    pub fn value_and_gradient(
        self,
        scores: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<(f32, Array2<f32>), NetError> {
        match (self, targets) {
            (LossKind::SparseCategoricalCrossEntropy, Targets::Labels(labels)) => {
                sparse_categorical_cross_entropy(scores, labels)
            }
            (LossKind::MeanSquaredError, Targets::Labels(labels)) => {
                let y = one_hot(labels, scores.ncols())?;
                value_and_gradient_of(&Mse, scores, y.view())
            }
            (LossKind::MeanSquaredError, Targets::Values(y)) => {
                value_and_gradient_of(&Mse, scores, y)
            }
            (LossKind::MeanAbsoluteError, Targets::Values(y)) => {
                value_and_gradient_of(&Mae, scores, y)
            }
            (LossKind::Huber(huber), Targets::Values(y)) => {
                value_and_gradient_of(&huber, scores, y)
            }
            (loss, targets) => Err(wrong_targets(loss.name(), targets.kind())),
        }
    }
    // ANCHOR_END: value_and_gradient

    /// The mean loss over a batch, from `scores` as in
    /// [`LossKind::value_and_gradient`].
    pub fn value(self, scores: ArrayView2<f32>, targets: Targets<'_>) -> Result<f32, NetError> {
        Ok(self.value_and_gradient(scores, targets)?.0)
    }
}

/// A loss of chapters 4–5 (`p` and `y` of the same shape), value and
/// gradient together.
fn value_and_gradient_of(
    loss: &dyn Loss,
    p: ArrayView2<f32>,
    y: ArrayView2<f32>,
) -> Result<(f32, Array2<f32>), NetError> {
    Ok((loss.value(p, y)?, loss.gradient(p, y)?))
}

/// The error for a loss or metric given targets it cannot work with.
fn wrong_targets(name: &str, given: TargetKind) -> NetError {
    let wanted = match given {
        TargetKind::Labels => TargetKind::Values,
        TargetKind::Values => TargetKind::Labels,
    };
    NetError::InvalidArgument(format!(
        "{name} needs {}, but the data has {}",
        wanted.describe(),
        given.describe()
    ))
}

/// A number reported during training besides the loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// The fraction of samples whose highest score is the true class.
    /// Class labels only.
    Accuracy,
    /// The mean of `|output − target|` over all entries, in the targets'
    /// units (chapter 5's [`Mae`]). Real values only.
    MeanAbsoluteError,
}

impl Metric {
    /// The metric's name, as Keras writes it.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Accuracy => "accuracy",
            Metric::MeanAbsoluteError => "mae",
        }
    }

    /// Whether the metric can be computed on targets of kind `kind`.
    pub fn accepts(self, kind: TargetKind) -> bool {
        match self {
            Metric::Accuracy => kind == TargetKind::Labels,
            Metric::MeanAbsoluteError => kind == TargetKind::Values,
        }
    }

    /// The metric on a batch of scores (logits or probabilities for
    /// accuracy, outputs for the mean absolute error).
    pub fn compute(self, scores: ArrayView2<f32>, targets: Targets<'_>) -> Result<f32, NetError> {
        match (self, targets) {
            (Metric::Accuracy, Targets::Labels(labels)) => accuracy(scores, labels),
            (Metric::MeanAbsoluteError, Targets::Values(y)) => Mae.value(scores, y),
            (metric, targets) => Err(wrong_targets(metric.name(), targets.kind())),
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

// ANCHOR: check_targets
impl Compiled {
    /// Whether the loss and every metric can be computed on targets of
    /// kind `kind`.
    pub fn accepts(&self, kind: TargetKind) -> bool {
        self.loss.accepts(kind) && self.metrics.iter().all(|m| m.accepts(kind))
    }

    /// Refuses targets of a kind the loss or a metric cannot use, naming it.
    pub fn check_target_kind(&self, kind: TargetKind) -> Result<(), NetError> {
        if !self.loss.accepts(kind) {
            return Err(wrong_targets(self.loss.name(), kind));
        }
        match self.metrics.iter().find(|m| !m.accepts(kind)) {
            Some(m) => Err(wrong_targets(m.name(), kind)),
            None => Ok(()),
        }
    }
}

/// Refuses a loss and metrics that accept no kind of target in common
/// (Huber with accuracy, say): such a model could never be trained.
pub fn check_loss_and_metrics(loss: LossKind, metrics: &[Metric]) -> Result<(), NetError> {
    if let LossKind::Huber(h) = loss {
        Huber::new(h.delta)?; // a struct literal may hold a bad delta
    }
    let kinds = [TargetKind::Labels, TargetKind::Values];
    let agree = |k: &TargetKind| loss.accepts(*k) && metrics.iter().all(|m| m.accepts(*k));
    if kinds.iter().any(agree) {
        return Ok(());
    }
    let kind = kinds.into_iter().find(|&k| loss.accepts(k));
    let clash = metrics.iter().find(|m| kind.is_some_and(|k| !m.accepts(k)));
    Err(NetError::InvalidArgument(match (kind, clash) {
        (Some(kind), Some(m)) => format!(
            "the loss {} needs {}, which the metric {} cannot use: \
             accuracy goes with class labels, mae with real values",
            loss.name(),
            kind.describe(),
            m.name()
        ),
        _ => format!(
            "the loss {} and these metrics agree on no kind of target",
            loss.name()
        ),
    }))
}
// ANCHOR_END: check_targets

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn label_losses_refuse_out_of_range_labels() {
        let z = array![[1.0f32, 2.0, 0.5]];
        for loss in [
            LossKind::SparseCategoricalCrossEntropy,
            LossKind::MeanSquaredError,
        ] {
            assert!(loss.value(z.view(), Targets::Labels(&[1])).is_ok());
            let err = loss.value(z.view(), Targets::Labels(&[3]));
            assert!(err.is_err(), "{}", loss.name());
        }
    }

    #[test]
    fn mse_compares_with_one_hot_targets() {
        let p = array![[0.5f32, 0.5], [1.0, 0.0]];
        // ((0.5)² + (0.5)² + 0 + 0) / 4 = 0.125
        let (l, g) = LossKind::MeanSquaredError
            .value_and_gradient(p.view(), Targets::Labels(&[1, 0]))
            .unwrap();
        assert!((l - 0.125).abs() < 1e-7);
        assert_eq!(g, array![[0.25f32, -0.25], [0.0, 0.0]]);
        let acc = Metric::Accuracy.compute(p.view(), Targets::Labels(&[0, 1]));
        assert_eq!(acc.unwrap(), 0.5);
    }

    #[test]
    fn regression_losses_on_real_values() {
        // Errors 1, −2, 0.5, 0: squares 1, 4, 0.25, 0; absolute 1, 2, 0.5, 0.
        let p = array![[1.0f32, 0.0], [2.5, 3.0]];
        let y = array![[0.0f32, 2.0], [2.0, 3.0]];
        let t = Targets::Values(y.view());
        let (mse, g) = LossKind::MeanSquaredError
            .value_and_gradient(p.view(), t)
            .unwrap();
        assert!((mse - 5.25 / 4.0).abs() < 1e-6);
        assert_eq!(g, array![[0.5f32, -1.0], [0.25, 0.0]]); // 2(p − y)/4
        let mae = LossKind::MeanAbsoluteError.value(p.view(), t).unwrap();
        assert!((mae - 3.5 / 4.0).abs() < 1e-6);
        let m = Metric::MeanAbsoluteError.compute(p.view(), t).unwrap();
        assert_eq!(m, mae);
        // Huber with δ = 1: ½·1, 1·(2 − ½), ½·0.25, 0.
        let huber = LossKind::Huber(Huber::default());
        let h = huber.value(p.view(), t).unwrap();
        assert!((h - (0.5 + 1.5 + 0.125) / 4.0).abs() < 1e-6);
    }

    #[test]
    fn a_loss_or_metric_refuses_the_other_kind_of_target() {
        let p = array![[0.5f32, 0.5]];
        let y = array![[1.0f32, 0.0]];
        let err = LossKind::SparseCategoricalCrossEntropy
            .value(p.view(), Targets::Values(y.view()))
            .unwrap_err();
        assert!(err.to_string().contains("class labels"), "{err}");
        for loss in [
            LossKind::MeanAbsoluteError,
            LossKind::Huber(Huber::default()),
        ] {
            let err = loss.value(p.view(), Targets::Labels(&[0])).unwrap_err();
            assert!(err.to_string().contains("real-valued"), "{err}");
        }
        assert!(
            Metric::Accuracy
                .compute(p.view(), Targets::Values(y.view()))
                .is_err()
        );
        assert!(
            Metric::MeanAbsoluteError
                .compute(p.view(), Targets::Labels(&[0]))
                .is_err()
        );
    }

    #[test]
    fn loss_and_metrics_must_agree_on_a_kind_of_target() {
        let ok = [
            (LossKind::SparseCategoricalCrossEntropy, Metric::Accuracy),
            (LossKind::MeanSquaredError, Metric::Accuracy),
            (LossKind::MeanSquaredError, Metric::MeanAbsoluteError),
            (LossKind::MeanAbsoluteError, Metric::MeanAbsoluteError),
        ];
        for (loss, metric) in ok {
            assert!(check_loss_and_metrics(loss, &[metric]).is_ok(), "{loss:?}");
        }
        let err = check_loss_and_metrics(LossKind::Huber(Huber::default()), &[Metric::Accuracy])
            .unwrap_err();
        assert!(err.to_string().contains("metric accuracy"), "{err}");
        let both = [Metric::Accuracy, Metric::MeanAbsoluteError];
        assert!(check_loss_and_metrics(LossKind::MeanSquaredError, &both).is_err());
        let err = check_loss_and_metrics(
            LossKind::SparseCategoricalCrossEntropy,
            &[Metric::MeanAbsoluteError],
        )
        .unwrap_err();
        assert!(err.to_string().contains("mae"), "{err}");
        let bad = LossKind::Huber(Huber { delta: -1.0 });
        assert!(check_loss_and_metrics(bad, &[]).is_err());
    }
}
