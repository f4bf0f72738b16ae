//! `Functional` as a chapter 9 [`Model`]: `fit`, `evaluate`,
//! `predict_dataset` and the callbacks work on it unchanged.

use ch04_backprop::NetError;
use ch08_sequential::{Sgd, TargetKind, Targets};
use ch09_training::{BatchReport, Dataset, Model, TrainError};
use ndarray::{Array2, ArrayD, ArrayView2, ArrayViewD};

use crate::functional::Functional;

/// `a (3), b (5)`: names and widths for messages.
pub(crate) fn describe(layout: &[(String, usize)]) -> String {
    layout
        .iter()
        .map(|(n, w)| format!("{n} ({w})"))
        .collect::<Vec<_>>()
        .join(", ")
}

// ANCHOR: check_inputs
/// Checks that `data` gives the inputs `expected` (names and widths, in
/// order), or, without names, one input of the right width.
pub(crate) fn check_layout(
    expected: &[(String, usize)],
    given: Option<Vec<(String, usize)>>,
    total: usize,
    what: &str,
) -> Result<(), TrainError> {
    match given {
        Some(given) if given != expected => Err(TrainError::InvalidOption(format!(
            "{what} are {} but the model expects {}, in that order",
            describe(&given),
            describe(expected)
        ))),
        Some(_) => Ok(()),
        None if expected.len() > 1 => Err(TrainError::InvalidOption(format!(
            "the model has several {what}s named {}: give the data as a MultiData with those names",
            describe(expected)
        ))),
        None if total != expected[0].1 => {
            Err(NetError::shape(what.to_string(), &[0, expected[0].1], &[0, total]).into())
        }
        None => Ok(()),
    }
}
// ANCHOR_END: check_inputs

impl Model for Functional {
    fn check_compiled(&self) -> Result<(), NetError> {
        self.checked_compiled().map(|_| ())
    }

    fn check_inputs(&self, data: &dyn Dataset, what: &str) -> Result<(), TrainError> {
        if data.is_empty() {
            return Err(TrainError::InvalidOption(format!(
                "the {what} data set is empty"
            )));
        }
        check_layout(
            &self.input_layout(),
            data.input_layout(),
            data.sample_width(),
            &format!("the {what} data's input"),
        )
    }

    fn check_targets(&self, data: &dyn Dataset, what: &str) -> Result<(), TrainError> {
        let compiled = self.checked_compiled()?;
        let kind = data.target_kind();
        for (o, (name, _)) in compiled.losses.iter().zip(self.output_layout()) {
            if !o.loss.accepts(kind) {
                return Err(TrainError::InvalidOption(format!(
                    "the {what} data has {} but the loss {} of output '{name}' cannot use them",
                    kind.describe(),
                    o.loss.name()
                )));
            }
        }
        match kind {
            TargetKind::Labels if self.output_nodes().len() > 1 => {
                Err(TrainError::InvalidOption(format!(
                    "the {what} data has class labels, which can train a model of one output only"
                )))
            }
            TargetKind::Labels => Ok(()),
            TargetKind::Values => check_layout(
                &self.output_layout(),
                data.target_layout(),
                data.target_width(),
                &format!("the {what} data's target"),
            ),
        }
    }

    fn output_width(&self) -> usize {
        self.output_layout().iter().map(|(_, w)| w).sum()
    }

    fn output_names(&self) -> Vec<String> {
        let layout = self.output_layout();
        if layout.len() > 1 {
            layout.into_iter().map(|(n, _)| n).collect()
        } else {
            Vec::new()
        }
    }

    fn train_batch(
        &mut self,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchReport, NetError> {
        let several = self.output_nodes().len() > 1;
        let (result, outputs) = self.train_on_batch(x, targets)?;
        Ok(BatchReport {
            result,
            outputs: if several { outputs } else { Vec::new() },
        })
    }

    fn test_batch(
        &self,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchReport, NetError> {
        let several = self.output_nodes().len() > 1;
        let (result, outputs) = self.test_on_batch(x, targets)?;
        Ok(BatchReport {
            result,
            outputs: if several { outputs } else { Vec::new() },
        })
    }

    fn predict_batch(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.predict_packed(x)
    }

    fn parameters(&self) -> Vec<(String, ArrayViewD<'_, f32>)> {
        Functional::parameters(self)
    }

    fn set_weights(&mut self, weights: &[ArrayD<f32>]) -> Result<(), NetError> {
        Functional::set_weights(self, weights)
    }

    fn optimizer_mut(&mut self) -> Option<&mut Sgd> {
        self.compiled_mut().map(|c| &mut c.optimizer)
    }
}
