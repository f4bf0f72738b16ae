//! `Model`: what `fit`, `evaluate`, `predict_dataset` and the callbacks ask
//! of a model.
//!
//! The loop of this chapter is written once, against this trait. Chapter 8's
//! [`Sequential`] implements it below; chapter 10 implements it for models
//! built as a graph of layers and for models written as Rust types. A model
//! answers for its own batches (forward, loss, backward, optimizer step);
//! the loop around the batches (shuffling, progress, validation, callbacks)
//! is the same for all.

use ch04_backprop::NetError;
use ch08_sequential::layer::AsAny;
use ch08_sequential::{BatchResult, Sequential, Sgd, Targets};
use ndarray::{Array2, ArrayD, ArrayView2, ArrayViewD};

use crate::dataset::Dataset;
use crate::error::TrainError;

// ANCHOR: model_trait
/// A model that `fit` can train and `evaluate` can measure.
pub trait Model: AsAny + std::fmt::Debug {
    /// Refuses a model that cannot be trained or measured as it stands: not
    /// compiled, bad optimizer settings, a loss that does not fit its
    /// outputs. `fit` asks again before every epoch, since a callback may
    /// have changed the optimizer.
    fn check_compiled(&self) -> Result<(), NetError>;

    /// Refuses samples that do not fit the model: an empty data set, rows
    /// of the wrong width, inputs under other names. `what` names the data
    /// in the message ("training", "validation").
    fn check_inputs(&self, data: &dyn Dataset, what: &str) -> Result<(), TrainError>;

    /// Refuses targets that the compiled model cannot learn from: a kind or
    /// a width its losses and metrics cannot use.
    fn check_targets(&self, data: &dyn Dataset, what: &str) -> Result<(), TrainError>;

    /// The number of output values per sample, all outputs side by side.
    fn output_width(&self) -> usize;

    /// The names of the outputs when there are several: `fit` then records
    /// each one's loss beside the total. Empty for a single output.
    fn output_names(&self) -> Vec<String> {
        Vec::new()
    }

    /// One optimizer step on a batch; the losses and metrics measured
    /// before the step.
    fn train_batch(
        &mut self,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchReport, NetError>;

    /// The losses and metrics on a batch, without training.
    fn test_batch(&self, x: ArrayView2<f32>, targets: Targets<'_>)
    -> Result<BatchReport, NetError>;

    /// The outputs for a batch, all outputs side by side.
    fn predict_batch(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError>;

    /// Every learned tensor with its name, in a fixed order.
    fn parameters(&self) -> Vec<(String, ArrayViewD<'_, f32>)>;

    /// Replaces every learned tensor; the list follows
    /// [`Model::parameters`]. On error nothing is changed.
    fn set_weights(&mut self, weights: &[ArrayD<f32>]) -> Result<(), NetError>;

    /// The optimizer, to change its learning rate between epochs; `None`
    /// before `compile`.
    fn optimizer_mut(&mut self) -> Option<&mut Sgd>;

    /// A copy of every learned tensor, in the order of
    /// [`Model::parameters`].
    fn get_weights(&self) -> Vec<ArrayD<f32>> {
        self.parameters()
            .into_iter()
            .map(|(_, t)| t.to_owned())
            .collect()
    }
}

/// What a model reports for one batch: the total loss and metrics, and,
/// for a model of several outputs, each output's own loss (in the order of
/// [`Model::output_names`]).
#[derive(Clone, Debug, PartialEq)]
pub struct BatchReport {
    /// The total loss, metrics and batch size.
    pub result: BatchResult,
    /// Each output's loss, before weighting; empty for a single output.
    pub outputs: Vec<f32>,
}
// ANCHOR_END: model_trait

impl From<BatchResult> for BatchReport {
    fn from(result: BatchResult) -> Self {
        BatchReport {
            result,
            outputs: Vec::new(),
        }
    }
}

impl Model for Sequential {
    fn check_compiled(&self) -> Result<(), NetError> {
        self.checked_compiled().map(|_| ())
    }

    fn check_inputs(&self, data: &dyn Dataset, what: &str) -> Result<(), TrainError> {
        let input = self
            .input_shape()
            .ok_or_else(|| NetError::InvalidArgument("the model has no layers yet".into()))?;
        let width: usize = input.iter().product();
        if data.is_empty() {
            return Err(TrainError::InvalidOption(format!(
                "the {what} data set is empty"
            )));
        }
        if let Some(layout) = data.input_layout().filter(|l| l.len() > 1) {
            let names: Vec<&str> = layout.iter().map(|(n, _)| n.as_str()).collect();
            return Err(TrainError::InvalidOption(format!(
                "the {what} data has {} named inputs ({}), but a Sequential model has one",
                layout.len(),
                names.join(", ")
            )));
        }
        if data.sample_width() != width {
            return Err(NetError::shape(
                format!("samples of the {what} data"),
                &[0, width],
                &[data.len(), data.sample_width()],
            )
            .into());
        }
        Ok(())
    }

    fn check_targets(&self, data: &dyn Dataset, what: &str) -> Result<(), TrainError> {
        self.check_target_shape(data.target_kind(), data.target_width())
            .map_err(|e| match e {
                NetError::InvalidArgument(m) => {
                    NetError::InvalidArgument(format!("the {what} data: {m}")).into()
                }
                other => other.into(),
            })
    }

    fn output_width(&self) -> usize {
        self.output_shape().map_or(0, |s| s.iter().product())
    }

    fn train_batch(
        &mut self,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchReport, NetError> {
        Ok(self.train_on_batch(x, targets)?.into())
    }

    fn test_batch(
        &self,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchReport, NetError> {
        Ok(self.test_on_batch(x, targets)?.into())
    }

    fn predict_batch(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.predict(x)
    }

    fn parameters(&self) -> Vec<(String, ArrayViewD<'_, f32>)> {
        Sequential::parameters(self)
    }

    fn set_weights(&mut self, weights: &[ArrayD<f32>]) -> Result<(), NetError> {
        Sequential::set_weights(self, weights)
    }

    fn optimizer_mut(&mut self) -> Option<&mut Sgd> {
        self.compiled_mut().map(|c| &mut c.optimizer)
    }

    fn get_weights(&self) -> Vec<ArrayD<f32>> {
        Sequential::get_weights(self)
    }
}
