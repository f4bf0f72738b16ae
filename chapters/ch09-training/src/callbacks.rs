//! Callbacks: code that `fit` calls before and after every batch, after
//! every epoch and once at the end (the five hooks of [`Callback`]), and
//! that may stop training.
//!
//! Two are provided, as in Keras: [`EarlyStopping`] (stop when the
//! validation loss has not improved for a while, and go back to the best
//! weights) and [`TerminateOnNan`] (stop as soon as the loss is not a
//! number). Write your own by implementing [`Callback`].

use ndarray::ArrayD;

use crate::error::TrainError;
use crate::history::EpochRecord;
use crate::model::Model;
use ch08_sequential::Sgd;

// ANCHOR: callback
/// Whether training goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Control {
    /// Carry on.
    Continue,
    /// Stop after this batch or epoch, for the reason given.
    Stop(String),
}

/// Hooks into `fit`. Every method has a default that does nothing.
///
/// **Order.** `fit` calls the callbacks in the order they were added to
/// [`FitOptions`](crate::FitOptions), and every callback sees every call,
/// even after an earlier one asked to stop. For each batch:
/// [`on_batch_begin`](Callback::on_batch_begin), the step,
/// [`on_batch_end`](Callback::on_batch_end), then
/// [`on_weights_not_finite`](Callback::on_weights_not_finite) if the step
/// left a weight that is not finite. After each epoch's validation:
/// [`on_epoch_end`](Callback::on_epoch_end). Once at the very end, stopped
/// or not: [`on_train_end`](Callback::on_train_end).
///
/// **What each may change.** Any hook that returns [`Control`] may stop
/// training: a stop asked in `on_batch_begin` ends the epoch before that
/// batch's step, one asked after a batch ends it after that step, and one
/// asked at the end of an epoch ends training there. Only
/// `on_batch_begin` may change the learning rate for the batch about to
/// run. `on_epoch_end` and `on_train_end` read and may change the whole
/// model (its weights and its optimizer); the change holds from the next
/// epoch. The batch hooks never see the weights: the fast engine keeps
/// its own copy of them while an epoch runs, and hands them back to the
/// model at the end of the epoch. A learning rate or momentum that a
/// callback sets is checked before it is used, and a bad one ends `fit`
/// with an error.
pub trait Callback {
    /// Before each training batch, with the optimizer that will take the
    /// step: a new learning rate set here (`optimizer.set_learning_rate`)
    /// is the rate of this batch. Chapter 11's learning-rate finder raises
    /// it batch by batch this way.
    fn on_batch_begin(&mut self, _epoch: usize, _step: usize, _optimizer: &mut Sgd) -> Control {
        Control::Continue
    }

    /// After each training batch, with its loss.
    fn on_batch_end(&mut self, _epoch: usize, _step: usize, _loss: f32) -> Control {
        Control::Continue
    }

    /// After a training batch whose step left a weight NaN or infinite,
    /// where the engine can tell at no cost (the fast engine can; on the
    /// clear engine the check at the end of the epoch finds it).
    fn on_weights_not_finite(&mut self, _epoch: usize, _step: usize) -> Control {
        Control::Continue
    }

    /// After each epoch, once validation has been measured. The model may be
    /// changed here (a new learning rate through `model.optimizer_mut()`,
    /// say): the next epoch uses it.
    fn on_epoch_end(
        &mut self,
        _record: &EpochRecord,
        _model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        Ok(Control::Continue)
    }

    /// Once, when training ends (stopped or not).
    fn on_train_end(&mut self, _model: &mut dyn Model) -> Result<(), TrainError> {
        Ok(())
    }
}
// ANCHOR_END: callback

// ANCHOR: terminate_on_nan
/// Stops training as soon as a batch loss is NaN or infinite, or a weight
/// is (after the batch on the fast engine, which checks the weights as it
/// writes them; at the end of the epoch on the clear one): from then on
/// every weight it touches is NaN, and no later step can undo it. The weights are checked too
/// because a NaN weight need not show in the loss (an activation or a
/// kernel that maps NaN to a number hides it); a pass over all parameters
/// once per epoch costs far less than one batch.
#[derive(Clone, Copy, Debug, Default)]
pub struct TerminateOnNan;

impl Callback for TerminateOnNan {
    fn on_batch_end(&mut self, epoch: usize, step: usize, loss: f32) -> Control {
        if loss.is_finite() {
            Control::Continue
        } else {
            Control::Stop(format!(
                "the loss became {loss} at epoch {epoch}, batch {step}"
            ))
        }
    }

    fn on_weights_not_finite(&mut self, epoch: usize, step: usize) -> Control {
        Control::Stop(format!(
            "a weight became NaN or infinite at epoch {epoch}, batch {step}"
        ))
    }

    fn on_epoch_end(
        &mut self,
        record: &EpochRecord,
        model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        Ok(match first_non_finite_weight(model) {
            None => Control::Continue,
            Some((name, value)) => {
                Control::Stop(format!("{name} holds {value} after epoch {}", record.epoch))
            }
        })
    }
}

/// The name and value of the first parameter entry of `model` that is NaN
/// or infinite, if any.
pub fn first_non_finite_weight(model: &dyn Model) -> Option<(String, f32)> {
    model
        .parameters()
        .into_iter()
        .find_map(|(name, tensor)| tensor.iter().find(|v| !v.is_finite()).map(|&v| (name, v)))
}
// ANCHOR_END: terminate_on_nan

// ANCHOR: early_stopping
/// Stops when the validation loss has not improved by more than `min_delta`
/// for `patience` epochs in a row; with `restore_best_weights`, puts the
/// weights of the best epoch back into the model when training ends.
#[derive(Clone, Debug)]
pub struct EarlyStopping {
    patience: usize,
    min_delta: f32,
    restore_best_weights: bool,
    best: Option<(usize, f32)>, // (epoch, val_loss)
    best_weights: Option<Vec<ArrayD<f32>>>,
    epochs_without_progress: usize,
}

impl EarlyStopping {
    /// Waits `patience` epochs without improvement before stopping.
    pub fn new(patience: usize) -> EarlyStopping {
        EarlyStopping {
            patience,
            min_delta: 0.0,
            restore_best_weights: false,
            best: None,
            best_weights: None,
            epochs_without_progress: 0,
        }
    }

    /// Counts only improvements larger than `min_delta`.
    pub fn min_delta(mut self, min_delta: f32) -> EarlyStopping {
        self.min_delta = min_delta.abs();
        self
    }

    /// Whether to restore the best epoch's weights at the end.
    pub fn restore_best_weights(mut self, restore: bool) -> EarlyStopping {
        self.restore_best_weights = restore;
        self
    }

    /// The best epoch so far and its validation loss.
    pub fn best(&self) -> Option<(usize, f32)> {
        self.best
    }
}

impl Callback for EarlyStopping {
    fn on_epoch_end(
        &mut self,
        record: &EpochRecord,
        model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        let val_loss = record.val_loss.ok_or_else(|| {
            TrainError::InvalidOption(
                "EarlyStopping watches val_loss: give fit validation data".into(),
            )
        })?;
        // A NaN never counts as an improvement.
        let improved = match self.best {
            None => !val_loss.is_nan(),
            Some((_, best)) => val_loss < best - self.min_delta,
        };
        if improved {
            self.best = Some((record.epoch, val_loss));
            self.epochs_without_progress = 0;
            if self.restore_best_weights {
                self.best_weights = Some(model.get_weights());
            }
            return Ok(Control::Continue);
        }
        self.epochs_without_progress += 1;
        if self.epochs_without_progress < self.patience.max(1) {
            return Ok(Control::Continue);
        }
        let best = match self.best {
            Some((epoch, loss)) => format!("the best was {loss:.4} at epoch {epoch}"),
            None => "no epoch had a finite val_loss".to_string(),
        };
        Ok(Control::Stop(format!(
            "early stopping: val_loss did not improve for {} epochs; {best}",
            self.epochs_without_progress
        )))
    }

    fn on_train_end(&mut self, model: &mut dyn Model) -> Result<(), TrainError> {
        if let Some(weights) = self.best_weights.take() {
            model.set_weights(&weights)?;
        }
        Ok(())
    }
}
// ANCHOR_END: early_stopping
