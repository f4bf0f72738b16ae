//! `fit`, `evaluate` and `predict` over whole data sets.
//!
//! Chapter 8's [`Sequential`] trains on one batch at a time
//! (`train_on_batch`). This module adds the loops around it, as methods of
//! the model through the [`Training`] trait: `use ch09_training::Training`
//! and a model has `fit`, `evaluate` and `predict_dataset`. They work the
//! same for a classifier (class labels) and a regressor (real values): the
//! data set says which kind of target it holds, and the compiled loss must
//! accept it.

use std::time::Instant;

use ch00_toolbox::seeded_rng;
use ch04_backprop::NetError;
use ch08_sequential::{BatchResult, Sequential, TargetKind, Targets};
use ndarray::{Array2, ArrayView2, Axis, Slice};
use rand::seq::SliceRandom;

use crate::callbacks::{Callback, Control};
use crate::dataset::{Batch, Dataset};
use crate::error::TrainError;
use crate::history::{EpochRecord, History};
use crate::progress::EpochProgress;
use serde::{Deserialize, Serialize};

/// How many samples `evaluate` and `predict_dataset` push through the model
/// at once: large enough to be fast, small enough to keep memory low.
pub const EVAL_CHUNK: usize = 1000;

// ANCHOR: engine_choice
/// Which engine trains the batches of `fit`. Everything around the batches
/// (shuffling, progress, validation, callbacks) is the same for all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// The fast engine where it can run, the clear one elsewhere. "Where it
    /// can run": a model of its shape (see [`crate::fast::supports`]), class
    /// labels, a processor with hardware fused multiply-add, and an
    /// optimised build. In a debug build (`cargo test` without `--release`)
    /// the fast engine's kernels are tens of times slower than the clear
    /// engine's `ndarray` products, which are optimised even there, so
    /// `Auto` picks the clear engine; ask for [`Engine::Fast`] to test the
    /// fast one in a debug build.
    #[default]
    Auto,
    /// Chapter 8's `train_on_batch`, one layer after the other: the code
    /// this book explains. It trains every model.
    Clear,
    /// The fused, two-thread engine of the appendix "How fast is it?"
    /// (crate `appendix-speed`): the same mathematics, several times
    /// faster. `fit` refuses with an error, before training, a model or a
    /// machine it cannot run on.
    Fast,
}

impl Engine {
    /// `auto`, `clear` or `fast`.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Auto => "auto",
            Engine::Clear => "clear",
            Engine::Fast => "fast",
        }
    }
}
// ANCHOR_END: engine_choice

// ANCHOR: fit_options
/// The settings of a `fit` call, builder-style:
/// `FitOptions::new().epochs(30).validation_data(&valid)`.
pub struct FitOptions<'a> {
    engine: Engine,
    epochs: usize,
    batch_size: usize,
    seed: u64,
    verbose: bool,
    validation: Option<&'a dyn Dataset>,
    callbacks: Vec<&'a mut dyn Callback>,
}

impl<'a> FitOptions<'a> {
    /// One epoch, batches of 32, shuffle seed 42, progress shown, no
    /// validation, no callbacks (Keras' defaults, with a fixed seed), and
    /// the engine chosen automatically.
    pub fn new() -> FitOptions<'a> {
        FitOptions {
            engine: Engine::Auto,
            epochs: 1,
            batch_size: 32,
            seed: 42,
            verbose: true,
            validation: None,
            callbacks: Vec::new(),
        }
    }

    /// Which engine trains the batches (see [`Engine`]).
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// The number of passes over the training data.
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }

    /// The number of samples per gradient step.
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }

    /// The seed of the shuffles: the same seed, the same batches.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Whether to print the progress of each epoch.
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// Data to measure `val_loss` and the validation metrics on after every
    /// epoch.
    pub fn validation_data(mut self, data: &'a dyn Dataset) -> Self {
        self.validation = Some(data);
        self
    }

    /// A callback to run; add as many as needed.
    pub fn callback(mut self, callback: &'a mut dyn Callback) -> Self {
        self.callbacks.push(callback);
        self
    }
}
// ANCHOR_END: fit_options

impl Default for FitOptions<'_> {
    fn default() -> Self {
        FitOptions::new()
    }
}

/// The loss and metrics of a model on a whole data set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    /// The mean loss over all samples.
    pub loss: f32,
    /// The fraction of samples classified correctly (when the model was
    /// compiled with the accuracy metric).
    pub accuracy: Option<f32>,
    /// The mean absolute error over all samples (when the model was
    /// compiled with the mae metric).
    pub mae: Option<f32>,
    /// The number of samples.
    pub samples: usize,
}

// ANCHOR: training_trait
/// `fit`, `evaluate` and `predict_dataset` for a compiled model.
pub trait Training {
    /// Trains on `train` for the given epochs, over shuffled mini-batches;
    /// returns the measured history.
    fn fit(&mut self, train: &dyn Dataset, options: FitOptions<'_>) -> Result<History, TrainError>;

    /// The loss and metrics on `data`, computed in chunks.
    fn evaluate(&self, data: &dyn Dataset) -> Result<Evaluation, TrainError>;

    /// The model's outputs for every sample of `data`: class probabilities
    /// for a classifier, predicted values for a regressor.
    fn predict_dataset(&self, data: &dyn Dataset) -> Result<Array2<f32>, TrainError>;
}
// ANCHOR_END: training_trait

// ANCHOR: engine
/// How the batches of one epoch are trained. `fit` asks [`trainer_for`] for
/// one at the start of every epoch and hands it the batches; `finish` must
/// leave the model's weights up to date, since an engine may keep its own
/// copy of them while it runs.
pub(crate) trait BatchTrainer {
    /// One optimizer step on a batch; the loss and metrics before the step.
    fn train_batch(
        &mut self,
        model: &mut Sequential,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchResult, TrainError>;

    /// The end of the epoch: write back anything the model does not hold yet.
    fn finish(&mut self, _model: &mut Sequential) -> Result<(), TrainError> {
        Ok(())
    }
}

/// The engine this chapter explains: chapter 8's `train_on_batch`, one layer
/// after the other through the `Layer` trait. It works for every model.
struct ClearEngine;

impl BatchTrainer for ClearEngine {
    fn train_batch(
        &mut self,
        model: &mut Sequential,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchResult, TrainError> {
        Ok(model.train_on_batch(x, targets)?)
    }
}

/// The engine `choice` stands for with this model, these targets and this
/// machine: `Clear` or `Fast`, never `Auto`; an error when `Fast` was asked
/// for and cannot run, saying why.
pub fn resolve_engine(
    choice: Engine,
    model: &Sequential,
    targets: TargetKind,
) -> Result<Engine, TrainError> {
    let why_not = || crate::fast::why_not(model, targets);
    match choice {
        Engine::Clear => Ok(Engine::Clear),
        Engine::Fast => match why_not() {
            None => Ok(Engine::Fast),
            Some(why) => Err(TrainError::InvalidOption(format!(
                "the fast engine cannot train here: {why} (choose the clear engine)"
            ))),
        },
        Engine::Auto if cfg!(debug_assertions) => Ok(Engine::Clear),
        Engine::Auto => Ok(why_not().map_or(Engine::Fast, |_| Engine::Clear)),
    }
}

/// The single place where `fit` builds the engine that trains an epoch of
/// `model`; everything around the batches (shuffling, progress, validation,
/// callbacks) stays the same.
pub(crate) fn trainer_for(
    choice: Engine,
    model: &Sequential,
    targets: TargetKind,
) -> Result<(Engine, Box<dyn BatchTrainer>), TrainError> {
    Ok(match resolve_engine(choice, model, targets)? {
        Engine::Fast => (
            Engine::Fast,
            Box::new(crate::fast::FastEngine::for_model(model)?),
        ),
        _ => (Engine::Clear, Box::new(ClearEngine)),
    })
}
// ANCHOR_END: engine

/// Running means over the batches of an epoch, weighted by batch size.
#[derive(Clone, Copy, Debug, Default)]
struct Running {
    loss_sum: f64,
    correct: f64,
    abs_error_sum: f64,
    samples: usize,
    has_accuracy: bool,
    has_mae: bool,
}

impl Running {
    fn add(&mut self, r: &BatchResult) {
        let n = r.samples as f64;
        self.loss_sum += f64::from(r.loss) * n;
        if let Some(a) = r.accuracy {
            self.correct += f64::from(a) * n;
            self.has_accuracy = true;
        }
        if let Some(m) = r.mae {
            self.abs_error_sum += f64::from(m) * n;
            self.has_mae = true;
        }
        self.samples += r.samples;
    }

    fn loss(&self) -> f32 {
        (self.loss_sum / self.samples.max(1) as f64) as f32
    }

    fn accuracy(&self) -> Option<f32> {
        self.has_accuracy
            .then(|| (self.correct / self.samples.max(1) as f64) as f32)
    }

    fn mae(&self) -> Option<f32> {
        self.has_mae
            .then(|| (self.abs_error_sum / self.samples.max(1) as f64) as f32)
    }
}

/// Checks that `data` has samples of the width the model takes.
fn check_data(model: &Sequential, data: &dyn Dataset, what: &str) -> Result<(), TrainError> {
    let input = model
        .input_shape()
        .ok_or_else(|| NetError::InvalidArgument("the model has no layers yet".into()))?;
    let width: usize = input.iter().product();
    if data.is_empty() {
        return Err(TrainError::InvalidOption(format!(
            "the {what} data set is empty"
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

/// Checks what `compile` stored, again: a learning rate or an optimizer
/// changed through `compiled_mut` since `compile` is checked here, before
/// any step is taken.
fn check_compiled(model: &Sequential) -> Result<(), TrainError> {
    model.checked_compiled()?;
    Ok(())
}

/// Checks that the compiled model can learn from the targets of `data`:
/// class labels for a classification loss, real values of the model's
/// output width for a regression loss.
fn check_targets(model: &Sequential, data: &dyn Dataset, what: &str) -> Result<(), TrainError> {
    model
        .check_target_shape(data.target_kind(), data.target_width())
        .map_err(|e| match e {
            NetError::InvalidArgument(m) => {
                NetError::InvalidArgument(format!("the {what} data: {m}")).into()
            }
            other => other.into(),
        })
}

impl Training for Sequential {
    // ANCHOR: fit
    fn fit(
        &mut self,
        train: &dyn Dataset,
        mut options: FitOptions<'_>,
    ) -> Result<History, TrainError> {
        check_fit(self, train, &options)?;
        let mut rng = seeded_rng(options.seed);
        let mut order: Vec<usize> = (0..train.len()).collect();
        let mut batch = Batch::new(train.sample_width());
        let steps = train.len().div_ceil(options.batch_size);
        let mut history = History::default();
        for epoch in 1..=options.epochs {
            let start = Instant::now();
            order.shuffle(&mut rng); // a new order every epoch
            let progress = EpochProgress::start(epoch, options.epochs, steps, options.verbose);
            let (engine, running, mut stop) = train_epoch(
                self,
                train,
                &order,
                &mut batch,
                epoch,
                &progress,
                &mut options,
            )?;
            let mut record = epoch_record(self, epoch, &running, options.validation, start)?;
            record.engine = engine;
            progress.finish(&record);
            for callback in options.callbacks.iter_mut() {
                if let Control::Stop(why) = callback.on_epoch_end(&record, self)? {
                    stop.get_or_insert(why);
                }
            }
            history.epochs.push(record);
            if let Some(why) = stop {
                if options.verbose {
                    crate::progress::say(format_args!("stopped: {why}"));
                }
                history.stopped = Some(why);
                break;
            }
        }
        for callback in options.callbacks.iter_mut() {
            callback.on_train_end(self)?;
        }
        Ok(history)
    }
    // ANCHOR_END: fit

    // ANCHOR: evaluate
    fn evaluate(&self, data: &dyn Dataset) -> Result<Evaluation, TrainError> {
        check_compiled(self)?;
        check_data(self, data, "evaluation")?;
        check_targets(self, data, "evaluation")?;
        let mut batch = Batch::new(data.sample_width());
        let mut indices = Vec::with_capacity(EVAL_CHUNK);
        let mut total = Running::default();
        for start in (0..data.len()).step_by(EVAL_CHUNK) {
            indices.clear();
            indices.extend(start..(start + EVAL_CHUNK).min(data.len()));
            batch.fill(data, &indices)?;
            total.add(&self.test_on_batch(batch.x.view(), batch.targets.view())?);
        }
        Ok(Evaluation {
            loss: total.loss(),
            accuracy: total.accuracy(),
            mae: total.mae(),
            samples: total.samples,
        })
    }
    // ANCHOR_END: evaluate

    fn predict_dataset(&self, data: &dyn Dataset) -> Result<Array2<f32>, TrainError> {
        check_data(self, data, "prediction")?;
        let outputs: usize = self.output_shape().map_or(0, |s| s.iter().product());
        let mut out = Array2::zeros((data.len(), outputs));
        let mut batch = Batch::new(data.sample_width());
        let mut indices = Vec::with_capacity(EVAL_CHUNK);
        for start in (0..data.len()).step_by(EVAL_CHUNK) {
            indices.clear();
            indices.extend(start..(start + EVAL_CHUNK).min(data.len()));
            batch.fill(data, &indices)?;
            let p = self.predict(batch.x.view())?;
            out.slice_axis_mut(Axis(0), Slice::from(start..start + indices.len()))
                .assign(&p);
        }
        Ok(out)
    }
}

/// Refuses a `fit` call that cannot work, before anything is printed.
fn check_fit(
    model: &Sequential,
    train: &dyn Dataset,
    options: &FitOptions<'_>,
) -> Result<(), TrainError> {
    check_compiled(model)?;
    check_data(model, train, "training")?;
    check_targets(model, train, "training")?;
    if let Some(valid) = options.validation {
        check_data(model, valid, "validation")?;
        check_targets(model, valid, "validation")?;
        if valid.target_kind() != train.target_kind() {
            return Err(TrainError::InvalidOption(format!(
                "the training data has {} but the validation data has {}",
                train.target_kind().describe(),
                valid.target_kind().describe()
            )));
        }
    }
    ch04_backprop::network::check_epochs(options.epochs)?; // the book's one rule
    if options.batch_size == 0 {
        return Err(TrainError::InvalidOption(
            "the batch size must be at least 1".into(),
        ));
    }
    resolve_engine(options.engine, model, train.target_kind())?;
    Ok(())
}

// ANCHOR: train_epoch
/// One pass over the samples in `order`, batch by batch. Returns the engine
/// that trained it, the running means of the epoch and the reason to stop,
/// if a callback gave one.
fn train_epoch(
    model: &mut Sequential,
    train: &dyn Dataset,
    order: &[usize],
    batch: &mut Batch,
    epoch: usize,
    progress: &EpochProgress,
    options: &mut FitOptions<'_>,
) -> Result<(Engine, Running, Option<String>), TrainError> {
    check_compiled(model)?; // a callback may have changed the optimizer
    let (which, mut engine) = trainer_for(options.engine, model, train.target_kind())?;
    let mut running = Running::default();
    let mut stop = None;
    for (step, indices) in order.chunks(options.batch_size).enumerate() {
        batch.fill(train, indices)?; // gather and scale into the reused buffer
        let result = engine.train_batch(model, batch.x.view(), batch.targets.view())?;
        running.add(&result);
        progress.update(step + 1, running.loss(), running.accuracy());
        for callback in options.callbacks.iter_mut() {
            if let Control::Stop(why) = callback.on_batch_end(epoch, step + 1, result.loss) {
                stop.get_or_insert(why);
            }
        }
        if stop.is_some() {
            break;
        }
    }
    engine.finish(model)?;
    Ok((which, running, stop))
}
// ANCHOR_END: train_epoch

/// What `fit` records at the end of an epoch: the running means of the
/// training batches, and the validation figures measured now.
fn epoch_record(
    model: &Sequential,
    epoch: usize,
    running: &Running,
    valid: Option<&dyn Dataset>,
    start: Instant,
) -> Result<EpochRecord, TrainError> {
    let val = valid.map(|v| model.evaluate(v)).transpose()?;
    Ok(EpochRecord {
        epoch,
        loss: running.loss(),
        accuracy: running.accuracy(),
        mae: running.mae(),
        val_loss: val.map(|v| v.loss),
        val_accuracy: val.and_then(|v| v.accuracy),
        val_mae: val.and_then(|v| v.mae),
        seconds: start.elapsed().as_secs_f64(),
        engine: Engine::Clear, // `fit` sets the engine that ran
    })
}
