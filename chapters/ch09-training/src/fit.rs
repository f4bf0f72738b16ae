//! `fit`, `evaluate` and `predict` over whole data sets.
//!
//! Chapter 8's [`Sequential`] trains on one batch at a time
//! (`train_on_batch`). This module adds the loops around it, as methods of
//! the model through the [`Training`] trait: `use ch09_training::Training`
//! and a model has `fit`, `evaluate` and `predict_dataset`. They work the
//! same for a classifier (class labels) and a regressor (real values): the
//! data set says which kind of target it holds, and the compiled loss must
//! accept it. They are written once, for every [`Model`]: `Sequential`
//! here, the graph and hand-written models of chapter 10.

use std::time::Instant;

use ch00_toolbox::seeded_rng;
use ch08_sequential::{Sequential, TargetKind};
use ndarray::{Array2, Axis, Slice};
use rand::seq::SliceRandom;

use crate::callbacks::{Callback, Control};
use crate::dataset::{Batch, Dataset};
use crate::error::TrainError;
use crate::history::{EpochRecord, History, OutputLoss};
use crate::model::{BatchReport, Model};
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
    /// can run": a model of its family (see [`crate::fast::supports`]),
    /// targets of the kind its loss needs, a processor with hardware fused
    /// multiply-add, and an optimised build ([`optimised_build`]).
    /// Unoptimised (`cargo test` without `--release`) the fast engine's
    /// kernels are tens of times slower than the clear engine's `ndarray`
    /// products, which are optimised even there, so `Auto` picks the clear
    /// engine; ask for [`Engine::Fast`] to test the fast one in such a
    /// build. A notebook's dependencies are optimised (evcxr builds them at
    /// opt-level 2), so there `Auto` takes the fast engine.
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

/// Whether this crate, and with it the fast engine, was compiled with
/// optimisation: one of the conditions of [`Engine::Auto`] for choosing
/// the fast engine.
pub fn optimised_build() -> bool {
    !cfg!(unoptimised)
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
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// The mean loss over all samples (for several outputs, the weighted
    /// sum of their losses).
    pub loss: f32,
    /// The fraction of samples classified correctly (when the model was
    /// compiled with the accuracy metric).
    pub accuracy: Option<f32>,
    /// The mean absolute error over all samples (when the model was
    /// compiled with the mae metric).
    pub mae: Option<f32>,
    /// The number of samples.
    pub samples: usize,
    /// Each output's mean loss with its name, for a model of several
    /// outputs; empty otherwise.
    pub outputs: Vec<(String, f32)>,
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

/// Every [`Model`] has them: `Sequential`, and chapter 10's models.
impl<M: Model> Training for M {
    fn fit(&mut self, train: &dyn Dataset, options: FitOptions<'_>) -> Result<History, TrainError> {
        fit(self, train, options)
    }

    fn evaluate(&self, data: &dyn Dataset) -> Result<Evaluation, TrainError> {
        evaluate(self, data)
    }

    fn predict_dataset(&self, data: &dyn Dataset) -> Result<Array2<f32>, TrainError> {
        predict_dataset(self, data)
    }
}
// ANCHOR_END: training_trait

// ANCHOR: engine
/// How the batches of one epoch are trained. `fit` asks [`trainer_for`] for
/// one at the start of every epoch and hands it the batches; `finish` must
/// leave the model's weights up to date, since an engine may keep its own
/// copy of them while it runs.
pub(crate) trait BatchTrainer {
    /// One optimizer step on the samples `indices` of `data`; the loss and
    /// metrics before the step. `next` names the samples of the batch after
    /// this one (empty after the last), which an engine may ask the memory
    /// for while it works. `batch` is a buffer to gather them into, reused
    /// from batch to batch.
    fn train_batch(
        &mut self,
        model: &mut dyn Model,
        data: &dyn Dataset,
        indices: &[usize],
        next: &[usize],
        batch: &mut Batch,
    ) -> Result<BatchReport, TrainError>;

    /// The end of the epoch: write back anything the model does not hold yet.
    fn finish(&mut self, _model: &mut dyn Model) -> Result<(), TrainError> {
        Ok(())
    }

    /// Whether every weight is still finite after the last step, where the
    /// engine knows it for free (the fast engine checks each weight as it
    /// writes it); `None` where it would cost a pass of its own.
    fn weights_finite(&self) -> Option<bool> {
        None
    }

    /// The loss and metrics on `data` after `finish`, where the engine
    /// measures them its own way (the fast engine, on its two threads);
    /// `None` leaves it to [`Training::evaluate`].
    fn evaluate(
        &mut self,
        _model: &dyn Model,
        _data: &dyn Dataset,
    ) -> Option<Result<Evaluation, TrainError>> {
        None
    }
}

/// The engine this chapter explains: the model's own step (for
/// `Sequential`, chapter 8's `train_on_batch`, one layer after the other
/// through the `Layer` trait). It works for every model.
struct ClearEngine;

impl BatchTrainer for ClearEngine {
    fn train_batch(
        &mut self,
        model: &mut dyn Model,
        data: &dyn Dataset,
        indices: &[usize],
        _next: &[usize],
        batch: &mut Batch,
    ) -> Result<BatchReport, TrainError> {
        batch.fill(data, indices)?; // gather and scale into the reused buffer
        Ok(model.train_batch(batch.x.view(), batch.targets.view())?)
    }
}

/// Why the fast engine cannot train `model` on targets of kind `targets`
/// here, or `None` when it can. It trains `Sequential` models only.
fn why_not_fast(model: &dyn Model, targets: TargetKind) -> Option<String> {
    match model.as_any().downcast_ref::<Sequential>() {
        Some(sequential) => crate::fast::why_not(sequential, targets),
        None => Some("it trains Sequential models only, not graphs or custom models".into()),
    }
}

/// The engine `choice` stands for with this model, these targets and this
/// machine: `Clear` or `Fast`, never `Auto`; an error when `Fast` was asked
/// for and cannot run, saying why.
pub fn resolve_engine(
    choice: Engine,
    model: &dyn Model,
    targets: TargetKind,
) -> Result<Engine, TrainError> {
    let why_not = || why_not_fast(model, targets);
    match choice {
        Engine::Clear => Ok(Engine::Clear),
        Engine::Fast => match why_not() {
            None => Ok(Engine::Fast),
            Some(why) => Err(TrainError::InvalidOption(format!(
                "the fast engine cannot train here: {why} (choose the clear engine)"
            ))),
        },
        Engine::Auto if !optimised_build() => Ok(Engine::Clear),
        Engine::Auto => Ok(why_not().map_or(Engine::Fast, |_| Engine::Clear)),
    }
}

/// The single place where `fit` builds the engine that trains an epoch of
/// `model`; everything around the batches (shuffling, progress, validation,
/// callbacks) stays the same.
pub(crate) fn trainer_for(
    choice: Engine,
    model: &dyn Model,
    targets: TargetKind,
) -> Result<(Engine, Box<dyn BatchTrainer>), TrainError> {
    let fast = match resolve_engine(choice, model, targets)? {
        Engine::Fast => model.as_any().downcast_ref::<Sequential>(),
        _ => None,
    };
    Ok(match fast {
        Some(sequential) => (
            Engine::Fast,
            Box::new(crate::fast::FastEngine::for_model(sequential)?),
        ),
        None => (Engine::Clear, Box::new(ClearEngine)),
    })
}
// ANCHOR_END: engine

/// Running means over the batches of an epoch, weighted by batch size.
#[derive(Clone, Debug, Default)]
struct Running {
    loss_sum: f64,
    correct: f64,
    abs_error_sum: f64,
    output_sums: Vec<f64>,
    samples: usize,
    has_accuracy: bool,
    has_mae: bool,
}

impl Running {
    fn add(&mut self, report: &BatchReport) {
        let r = &report.result;
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
        self.output_sums.resize(report.outputs.len(), 0.0);
        for (sum, &loss) in self.output_sums.iter_mut().zip(&report.outputs) {
            *sum += f64::from(loss) * n;
        }
        self.samples += r.samples;
    }

    fn mean(&self, sum: f64) -> f32 {
        (sum / self.samples.max(1) as f64) as f32
    }

    fn loss(&self) -> f32 {
        self.mean(self.loss_sum)
    }

    fn accuracy(&self) -> Option<f32> {
        self.has_accuracy.then(|| self.mean(self.correct))
    }

    fn mae(&self) -> Option<f32> {
        self.has_mae.then(|| self.mean(self.abs_error_sum))
    }

    /// Each output's mean loss, named.
    fn outputs(&self, names: &[String]) -> Vec<(String, f32)> {
        names
            .iter()
            .zip(&self.output_sums)
            .map(|(name, &sum)| (name.clone(), self.mean(sum)))
            .collect()
    }
}

// ANCHOR: fit
/// `fit` for every model: see [`Training::fit`].
fn fit(
    model: &mut dyn Model,
    train: &dyn Dataset,
    mut options: FitOptions<'_>,
) -> Result<History, TrainError> {
    check_fit(model, train, &options)?;
    let mut rng = seeded_rng(options.seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut batch = Batch::new(train.sample_width());
    let steps = train.len().div_ceil(options.batch_size);
    let mut history = History::default();
    for epoch in 1..=options.epochs {
        let start = Instant::now();
        order.shuffle(&mut rng); // a new order every epoch
        let progress = EpochProgress::start(epoch, options.epochs, steps, options.verbose);
        let EpochRun {
            engine,
            mut trainer,
            running,
            mut stop,
        } = train_epoch(
            model,
            train,
            &order,
            &mut batch,
            epoch,
            &progress,
            &mut options,
        )?;
        let valid = options.validation;
        let mut record = epoch_record(model, epoch, &running, valid, &mut *trainer, start)?;
        record.engine = engine;
        progress.finish(&record);
        for callback in options.callbacks.iter_mut() {
            if let Control::Stop(why) = callback.on_epoch_end(&record, model)? {
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
        callback.on_train_end(model)?;
    }
    Ok(history)
}
// ANCHOR_END: fit

// ANCHOR: evaluate
/// `evaluate` for every model: see [`Training::evaluate`].
fn evaluate(model: &dyn Model, data: &dyn Dataset) -> Result<Evaluation, TrainError> {
    model.check_compiled()?;
    evaluate_by_chunks(model, data, |batch| {
        Ok(model.test_batch(batch.x.view(), batch.targets.view())?)
    })
}

/// The loss and metrics of `data`, chunk by chunk: `test` measures each
/// chunk gathered into a batch, and the means are taken over all samples.
/// An engine that measures the validation data its own way passes its own
/// `test`.
pub(crate) fn evaluate_by_chunks(
    model: &dyn Model,
    data: &dyn Dataset,
    mut test: impl FnMut(&Batch) -> Result<BatchReport, TrainError>,
) -> Result<Evaluation, TrainError> {
    model.check_inputs(data, "evaluation")?;
    model.check_targets(data, "evaluation")?;
    let mut batch = Batch::new(data.sample_width());
    let mut indices = Vec::with_capacity(EVAL_CHUNK);
    let mut total = Running::default();
    for start in (0..data.len()).step_by(EVAL_CHUNK) {
        indices.clear();
        indices.extend(start..(start + EVAL_CHUNK).min(data.len()));
        batch.fill(data, &indices)?;
        total.add(&test(&batch)?);
    }
    Ok(Evaluation {
        loss: total.loss(),
        accuracy: total.accuracy(),
        mae: total.mae(),
        samples: total.samples,
        outputs: total.outputs(&model.output_names()),
    })
}
// ANCHOR_END: evaluate

/// `predict_dataset` for every model: see [`Training::predict_dataset`].
fn predict_dataset(model: &dyn Model, data: &dyn Dataset) -> Result<Array2<f32>, TrainError> {
    model.check_inputs(data, "prediction")?;
    let mut out = Array2::zeros((data.len(), model.output_width()));
    let mut batch = Batch::new(data.sample_width());
    let mut indices = Vec::with_capacity(EVAL_CHUNK);
    for start in (0..data.len()).step_by(EVAL_CHUNK) {
        indices.clear();
        indices.extend(start..(start + EVAL_CHUNK).min(data.len()));
        batch.fill(data, &indices)?;
        let p = model.predict_batch(batch.x.view())?;
        out.slice_axis_mut(Axis(0), Slice::from(start..start + indices.len()))
            .assign(&p);
    }
    Ok(out)
}

/// Refuses a `fit` call that cannot work, before anything is printed.
fn check_fit(
    model: &dyn Model,
    train: &dyn Dataset,
    options: &FitOptions<'_>,
) -> Result<(), TrainError> {
    model.check_compiled()?;
    model.check_inputs(train, "training")?;
    model.check_targets(train, "training")?;
    if let Some(valid) = options.validation {
        model.check_inputs(valid, "validation")?;
        model.check_targets(valid, "validation")?;
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
/// What an epoch of training leaves for `fit` to record.
struct EpochRun {
    /// The engine that trained it.
    engine: Engine,
    /// That engine itself, to measure the validation data.
    trainer: Box<dyn BatchTrainer>,
    /// The running means of the epoch.
    running: Running,
    /// Why a callback asked to stop, if one did.
    stop: Option<String>,
}

/// One pass over the samples in `order`, batch by batch.
fn train_epoch(
    model: &mut dyn Model,
    train: &dyn Dataset,
    order: &[usize],
    batch: &mut Batch,
    epoch: usize,
    progress: &EpochProgress,
    options: &mut FitOptions<'_>,
) -> Result<EpochRun, TrainError> {
    model.check_compiled()?; // a callback may have changed the optimizer
    let (which, mut engine) = trainer_for(options.engine, model, train.target_kind())?;
    let mut running = Running::default();
    let mut stop = None;
    let mut batches = order.chunks(options.batch_size).enumerate().peekable();
    while let Some((step, indices)) = batches.next() {
        let next = batches.peek().map_or(&[][..], |&(_, next)| next);
        // A rate set here is checked by `set_learning_rate`, and again by
        // each engine as it takes the step.
        if let Some(optimizer) = model.optimizer_mut() {
            for callback in options.callbacks.iter_mut() {
                if let Control::Stop(why) = callback.on_batch_begin(epoch, step + 1, optimizer) {
                    stop.get_or_insert(why);
                }
            }
        }
        if stop.is_some() {
            break;
        }
        let report = engine.train_batch(model, train, indices, next, batch)?;
        running.add(&report);
        progress.update(step + 1, running.loss(), running.accuracy());
        let finite = engine.weights_finite();
        for callback in options.callbacks.iter_mut() {
            let loss = report.result.loss;
            if let Control::Stop(why) = callback.on_batch_end(epoch, step + 1, loss) {
                stop.get_or_insert(why);
            }
            if finite == Some(false)
                && let Control::Stop(why) = callback.on_weights_not_finite(epoch, step + 1)
            {
                stop.get_or_insert(why);
            }
        }
        if stop.is_some() {
            break;
        }
    }
    engine.finish(model)?;
    Ok(EpochRun {
        engine: which,
        trainer: engine,
        running,
        stop,
    })
}
// ANCHOR_END: train_epoch

/// What `fit` records at the end of an epoch: the running means of the
/// training batches, and the validation figures measured now.
fn epoch_record(
    model: &dyn Model,
    epoch: usize,
    running: &Running,
    valid: Option<&dyn Dataset>,
    engine: &mut dyn BatchTrainer,
    start: Instant,
) -> Result<EpochRecord, TrainError> {
    let measure = |v| {
        engine
            .evaluate(model, v)
            .unwrap_or_else(|| evaluate(model, v))
    };
    let val = valid.map(measure).transpose()?;
    let val = val.as_ref();
    let outputs = running
        .outputs(&model.output_names())
        .into_iter()
        .enumerate()
        .map(|(k, (name, loss))| OutputLoss {
            val_loss: val.and_then(|v| v.outputs.get(k)).map(|o| o.1),
            name,
            loss,
        })
        .collect();
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
        outputs,
    })
}
