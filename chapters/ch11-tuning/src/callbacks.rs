//! Three callbacks on chapter 9's [`Callback`] trait, as Keras has them:
//!
//! - [`ModelCheckpoint`] saves the whole model (chapter 10's format) after
//!   every epoch, or only when a watched quantity improves;
//! - [`CsvLogger`] writes one CSV row per epoch, in the columns of
//!   chapter 9's `History`, flushed as it goes;
//! - [`LearningRateScheduler`] lowers the learning rate between epochs,
//!   exponentially or in steps, and records the rate of every epoch.
//!
//! They run inside `fit` like any callback:
//! `FitOptions::new().callback(&mut checkpoint).callback(&mut logger)`.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ch08_sequential::{Sequential, Sgd};
use ch09_training::weights::write_atomically;
use ch09_training::{Callback, Control, EpochRecord, Model, TrainError};
use ch10_functional::save::model_to_bytes;
use ch10_functional::{AnyModel, Functional, ModelFileError};

/// An [`InvalidOption`](TrainError::InvalidOption) error.
fn invalid(message: impl Into<String>) -> TrainError {
    TrainError::InvalidOption(message.into())
}

/// Refuses a path that cannot name a file: empty, a folder, or ending in
/// a separator. `who` names the callback in the message.
fn check_file_path(who: &str, path: &Path) -> Result<(), TrainError> {
    let text = path.to_string_lossy();
    if text.is_empty() {
        return Err(invalid(format!("{who}: the path is empty")));
    }
    if path.is_dir() || text.ends_with(std::path::is_separator) || path.file_name().is_none() {
        return Err(invalid(format!(
            "{who}: {} is a folder, not a file",
            path.display()
        )));
    }
    Ok(())
}

/// A quantity of chapter 9's [`EpochRecord`] that a callback can watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Monitor {
    /// The mean training loss of the epoch.
    Loss,
    /// The loss on the validation data.
    ValLoss,
    /// The training accuracy.
    Accuracy,
    /// The accuracy on the validation data.
    ValAccuracy,
    /// The training mean absolute error.
    Mae,
    /// The mean absolute error on the validation data.
    ValMae,
}

/// Whether smaller or larger is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Smaller is better (losses, errors).
    Min,
    /// Larger is better (accuracies).
    Max,
}

impl Monitor {
    /// Every quantity, in the order of the history's columns.
    pub const ALL: [Monitor; 6] = [
        Monitor::Loss,
        Monitor::ValLoss,
        Monitor::Accuracy,
        Monitor::ValAccuracy,
        Monitor::Mae,
        Monitor::ValMae,
    ];

    /// The quantity of this name (`"val_loss"`, `"accuracy"`, …), the
    /// names of the history's columns.
    pub fn named(name: &str) -> Result<Monitor, TrainError> {
        Monitor::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Monitor::ALL.iter().map(|m| m.name()).collect();
                invalid(format!(
                    "no quantity is named '{name}': choose one of {}",
                    names.join(", ")
                ))
            })
    }

    /// Its name, as a column of the history.
    pub fn name(self) -> &'static str {
        match self {
            Monitor::Loss => "loss",
            Monitor::ValLoss => "val_loss",
            Monitor::Accuracy => "accuracy",
            Monitor::ValAccuracy => "val_accuracy",
            Monitor::Mae => "mae",
            Monitor::ValMae => "val_mae",
        }
    }

    /// Larger is better for an accuracy, smaller for the rest (as Keras
    /// decides from the name).
    pub fn mode(self) -> Mode {
        match self {
            Monitor::Accuracy | Monitor::ValAccuracy => Mode::Max,
            _ => Mode::Min,
        }
    }

    /// Its value in `record`; an error saying how to get it when `fit` did
    /// not measure it.
    pub fn value(self, record: &EpochRecord) -> Result<f32, TrainError> {
        let (value, hint) = match self {
            Monitor::Loss => (Some(record.loss), ""),
            Monitor::ValLoss => (record.val_loss, "give fit validation data"),
            Monitor::Accuracy => (
                record.accuracy,
                "compile the model with the accuracy metric",
            ),
            Monitor::ValAccuracy => (
                record.val_accuracy,
                "give fit validation data and compile the model with the accuracy metric",
            ),
            Monitor::Mae => (record.mae, "compile the model with the mae metric"),
            Monitor::ValMae => (
                record.val_mae,
                "give fit validation data and compile the model with the mae metric",
            ),
        };
        value.ok_or_else(|| {
            invalid(format!(
                "{} is not measured in this training: {hint}",
                self.name()
            ))
        })
    }

    // ANCHOR: improves
    /// Whether `value` is better than `best`. A tie is not (the earlier
    /// epoch stays the best, as in Keras), and NaN never is.
    pub fn improves(self, value: f32, best: Option<f32>) -> bool {
        match (best, self.mode()) {
            _ if value.is_nan() => false,
            (None, _) => true,
            (Some(best), Mode::Min) => value < best,
            (Some(best), Mode::Max) => value > best,
        }
    }
    // ANCHOR_END: improves
}

// ANCHOR: checkpoint
/// Saves the whole model (architecture and weights, chapter 10's format)
/// at the end of epochs: after every epoch, or with
/// [`save_best_only`](ModelCheckpoint::save_best_only) only after an
/// epoch that improves a watched quantity. Each save replaces the file
/// atomically: a save cut short (a crash, a full disk) leaves the previous
/// file as it was.
#[derive(Clone, Debug)]
pub struct ModelCheckpoint {
    path: PathBuf,
    best_only: Option<Monitor>,
    best: Option<(usize, f32)>,
    saved: Vec<(usize, PathBuf)>,
}
// ANCHOR_END: checkpoint

impl ModelCheckpoint {
    /// Saves after every epoch to `path`, where `{epoch}` stands for the
    /// epoch's number (`target/ckpt-{epoch}.safetensors`); without it,
    /// each epoch replaces the last one's file.
    pub fn new(path: impl Into<PathBuf>) -> Result<ModelCheckpoint, TrainError> {
        let path = path.into();
        check_file_path("ModelCheckpoint", &path)?;
        Ok(ModelCheckpoint {
            path,
            best_only: None,
            best: None,
            saved: Vec::new(),
        })
    }

    /// Saves only after an epoch whose `monitor` (`"val_loss"`,
    /// `"val_accuracy"`, …) is better than every earlier epoch's: smaller
    /// for a loss or an error, larger for an accuracy.
    pub fn save_best_only(mut self, monitor: &str) -> Result<ModelCheckpoint, TrainError> {
        self.best_only = Some(Monitor::named(monitor)?);
        Ok(self)
    }

    /// The file of epoch `epoch`: the path with `{epoch}` replaced.
    pub fn path_for(&self, epoch: usize) -> PathBuf {
        match self.path.to_str() {
            Some(text) if text.contains("{epoch}") => {
                PathBuf::from(text.replace("{epoch}", &epoch.to_string()))
            }
            _ => self.path.clone(),
        }
    }

    /// Every save so far: the epoch and the file.
    pub fn saved(&self) -> &[(usize, PathBuf)] {
        &self.saved
    }

    /// With `save_best_only`: the best epoch so far and its value.
    pub fn best(&self) -> Option<(usize, f32)> {
        self.best
    }
}

// ANCHOR: model_bytes
/// The bytes of a whole-model file of `model`, which must be one of the
/// types chapter 10 can describe: a `Sequential`, a `Functional` or a
/// model loaded from a file (`AnyModel`).
pub fn model_bytes(model: &dyn Model) -> Result<Vec<u8>, TrainError> {
    let any = model.as_any();
    let bytes = if let Some(m) = any.downcast_ref::<Sequential>() {
        model_to_bytes(m)
    } else if let Some(m) = any.downcast_ref::<Functional>() {
        model_to_bytes(m)
    } else if let Some(m) = any.downcast_ref::<AnyModel>() {
        model_to_bytes(m)
    } else {
        return Err(invalid(
            "a whole-model file describes a Sequential or a Functional model; \
             this model is of another type (save its weights instead)",
        ));
    };
    bytes.map_err(|e: ModelFileError| TrainError::Weights {
        path: PathBuf::new(),
        reason: e.problem.to_string(),
    })
}
// ANCHOR_END: model_bytes

// ANCHOR: checkpoint_callback
impl ModelCheckpoint {
    /// Writes the model to the file of `epoch`, through a temporary file
    /// renamed over it once complete.
    fn save(&mut self, epoch: usize, model: &dyn Model) -> Result<(), TrainError> {
        let path = self.path_for(epoch);
        let bytes = model_bytes(model).map_err(|e| match e {
            TrainError::Weights { reason, .. } => TrainError::Weights {
                path: path.clone(),
                reason,
            },
            other => other,
        })?;
        write_atomically(&path, |file| file.write_all(&bytes)).map_err(|source| {
            TrainError::Io {
                path: path.clone(),
                source,
            }
        })?;
        self.saved.push((epoch, path));
        Ok(())
    }
}

impl Callback for ModelCheckpoint {
    fn on_epoch_end(
        &mut self,
        record: &EpochRecord,
        model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        let Some(monitor) = self.best_only else {
            self.save(record.epoch, model)?;
            return Ok(Control::Continue);
        };
        let value = monitor
            .value(record)
            .map_err(|e| invalid(format!("ModelCheckpoint: {e}")))?;
        if monitor.improves(value, self.best.map(|(_, best)| best)) {
            self.best = Some((record.epoch, value));
            self.save(record.epoch, model)?;
        }
        Ok(Control::Continue)
    }
}
// ANCHOR_END: checkpoint_callback

// ANCHOR: csv_logger
/// Writes one CSV row per epoch to a file, under a header: the columns of
/// chapter 9's history (`ch09_training::history::CSV_COLUMNS`). Each row is
/// flushed to the file as soon as it is written, so a run that crashes
/// keeps the rows of the epochs it finished.
#[derive(Debug)]
pub struct CsvLogger {
    path: PathBuf,
    append: bool,
    open: Option<(csv::Writer<File>, Vec<String>)>,
    rows: usize,
}
// ANCHOR_END: csv_logger

impl CsvLogger {
    /// Logs to `path`, replacing what was there when training starts.
    pub fn new(path: impl Into<PathBuf>) -> Result<CsvLogger, TrainError> {
        let path = path.into();
        check_file_path("CsvLogger", &path)?;
        Ok(CsvLogger {
            path,
            append: false,
            open: None,
            rows: 0,
        })
    }

    /// With `true`, adds the rows after those already in the file, whose
    /// header must then be the same (a missing or empty file gets one).
    pub fn append(mut self, append: bool) -> CsvLogger {
        self.append = append;
        self
    }

    /// The number of rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

/// A CSV error as an I/O error on `path`.
fn csv_error(path: &Path, e: csv::Error) -> TrainError {
    let source = match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    };
    TrainError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl CsvLogger {
    /// Opens the file for a training whose rows have `header`: a new file
    /// with the header, or, to append, the old one if its header matches.
    fn open(&self, header: &[String]) -> Result<csv::Writer<File>, TrainError> {
        let io_error = |source| TrainError::Io {
            path: self.path.clone(),
            source,
        };
        let has_rows = self.append && std::fs::metadata(&self.path).is_ok_and(|m| m.len() > 0);
        if has_rows {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_path(&self.path)
                .map_err(|e| csv_error(&self.path, e))?;
            let mut first = csv::StringRecord::new();
            reader
                .read_record(&mut first)
                .map_err(|e| csv_error(&self.path, e))?;
            if first.iter().ne(header.iter()) {
                return Err(invalid(format!(
                    "CsvLogger: cannot append to {}: its header is '{}', \
                     this training writes '{}'",
                    self.path.display(),
                    first.iter().collect::<Vec<_>>().join(","),
                    header.join(",")
                )));
            }
        }
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io_error)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .append(self.append)
            .truncate(!self.append)
            .open(&self.path)
            .map_err(io_error)?;
        let mut writer = csv::Writer::from_writer(file);
        if !has_rows {
            writer
                .write_record(header)
                .map_err(|e| csv_error(&self.path, e))?;
        }
        Ok(writer)
    }
}

// ANCHOR: csv_callback
impl Callback for CsvLogger {
    fn on_epoch_end(
        &mut self,
        record: &EpochRecord,
        _model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        let header = record.csv_header();
        if self.open.is_none() {
            self.open = Some((self.open(&header)?, header.clone()));
        }
        let path = &self.path;
        let (writer, columns) = self.open.as_mut().expect("opened just above");
        if *columns != header {
            return Err(invalid(format!(
                "CsvLogger: epoch {} has the columns '{}', the file '{}'",
                record.epoch,
                header.join(","),
                columns.join(",")
            )));
        }
        writer
            .write_record(record.csv_row())
            .map_err(|e| csv_error(path, e))?;
        writer.flush().map_err(|e| TrainError::Io {
            path: path.clone(),
            source: e,
        })?;
        self.rows += 1;
        Ok(Control::Continue)
    }

    /// Closes the file: the next training starts it again (or appends).
    fn on_train_end(&mut self, _model: &mut dyn Model) -> Result<(), TrainError> {
        self.open = None;
        Ok(())
    }
}
// ANCHOR_END: csv_callback

// ANCHOR: schedule
/// How the learning rate falls with the epochs. With \\(\eta_0\\) the rate
/// the model was compiled with and \\(t\\) the number of epochs done before
/// this one (0 for the first):
///
/// - exponential: \\(\eta_0 \cdot 0.1^{t/s}\\), ten times smaller every
///   \\(s\\) epochs, a little at a time;
/// - step: \\(\eta_0 \cdot f^{\lfloor t / n \rfloor}\\), multiplied by
///   \\(f\\) once every \\(n\\) epochs.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Schedule {
    Exponential { s: f64 },
    Step { factor: f64, every: usize },
}

impl Schedule {
    /// The rate of epoch `epoch` (from 1), starting from `initial`.
    fn rate(self, initial: f32, epoch: usize) -> f32 {
        let t = epoch.saturating_sub(1);
        let scale = match self {
            Schedule::Exponential { s } => 0.1f64.powf(t as f64 / s),
            Schedule::Step { factor, every } => factor.powi((t / every) as i32),
        };
        (f64::from(initial) * scale) as f32
    }
}
// ANCHOR_END: schedule

// ANCHOR: scheduler
/// Sets the learning rate of every epoch from a schedule, starting from
/// the rate the model was compiled with.
///
/// **When a new rate takes effect.** Before the first batch of epoch
/// \\(k\\), `on_batch_begin` sets the rate the schedule gives epoch \\(k\\);
/// every batch of the epoch uses it. The first epoch runs at the compiled
/// rate \\(\eta_0\\), which the schedule gives it anyway. Since the rate is
/// set as the epoch begins, any callback that reads the optimizer in its
/// `on_epoch_end` (a logger, TensorBoard) sees the rate of the epoch that
/// just ended, wherever it stands in `FitOptions`. After `fit`, the
/// optimizer keeps the last epoch's rate; a later `fit` needs a new
/// scheduler (one serves one call of `fit`).
///
/// **What it records.** The rate of every epoch
/// ([`rates`](LearningRateScheduler::rates)), so that it can be plotted
/// beside the loss. A rate the optimizer refuses (the schedule has decayed
/// to 0) ends `fit` with an error that names the epoch.
#[derive(Clone, Debug)]
pub struct LearningRateScheduler {
    schedule: Schedule,
    initial: Option<f32>,
    rates: Vec<(usize, f32)>,
    /// Why the schedule stopped the epoch, until `on_epoch_end` reports it.
    failed: Option<String>,
}
// ANCHOR_END: scheduler

impl LearningRateScheduler {
    /// Exponential decay, \\(\eta_0 \cdot 0.1^{t/s}\\): the rate is ten
    /// times smaller every `s` epochs. `s` must be a positive number.
    pub fn exponential(s: f32) -> Result<LearningRateScheduler, TrainError> {
        if !(s.is_finite() && s > 0.0) {
            return Err(invalid(format!(
                "exponential decay: s (the epochs per tenfold decrease) must be a \
                 positive number, not {s}"
            )));
        }
        Ok(LearningRateScheduler::with(Schedule::Exponential {
            s: f64::from(s),
        }))
    }

    /// Step decay, \\(\eta_0 \cdot f^{\lfloor t/n \rfloor}\\): the rate is
    /// multiplied by `factor` (in (0, 1]) once every `every` epochs (≥ 1).
    pub fn step(factor: f32, every: usize) -> Result<LearningRateScheduler, TrainError> {
        if !(factor > 0.0 && factor <= 1.0) {
            return Err(invalid(format!(
                "step decay: the factor must be in (0, 1], not {factor}"
            )));
        }
        if every == 0 {
            return Err(invalid("step decay: the step must be at least 1 epoch"));
        }
        Ok(LearningRateScheduler::with(Schedule::Step {
            factor: f64::from(factor),
            every,
        }))
    }

    fn with(schedule: Schedule) -> LearningRateScheduler {
        LearningRateScheduler {
            schedule,
            initial: None,
            rates: Vec::new(),
            failed: None,
        }
    }

    /// The rate the schedule gives epoch `epoch` (from 1) when training
    /// starts at `initial`.
    pub fn rate(&self, initial: f32, epoch: usize) -> f32 {
        self.schedule.rate(initial, epoch)
    }

    /// `(epoch, rate)` for every epoch that has run.
    pub fn rates(&self) -> &[(usize, f32)] {
        &self.rates
    }
}

// ANCHOR: scheduler_callback
impl Callback for LearningRateScheduler {
    fn on_batch_begin(&mut self, epoch: usize, step: usize, optimizer: &mut Sgd) -> Control {
        if step != 1 || self.failed.is_some() {
            return Control::Continue;
        }
        if epoch == 1 && self.initial.is_some() {
            return self.fail(
                "LearningRateScheduler: this schedule has run a training already; \
                 make a new one for each call of fit"
                    .into(),
            );
        }
        let initial = *self.initial.get_or_insert(optimizer.learning_rate());
        let rate = self.schedule.rate(initial, epoch);
        match optimizer.set_learning_rate(rate) {
            Ok(()) => {
                self.rates.push((epoch, rate));
                Control::Continue
            }
            Err(e) => self.fail(format!(
                "LearningRateScheduler: the rate of epoch {epoch} would be {rate}: {e}"
            )),
        }
    }

    fn on_epoch_end(
        &mut self,
        _record: &EpochRecord,
        _model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        // A rate that could not be set stopped the epoch before its first
        // step; `fit` ends here with the reason as an error.
        match self.failed.take() {
            Some(why) => Err(invalid(why)),
            None => Ok(Control::Continue),
        }
    }
}

impl LearningRateScheduler {
    /// Remembers why the schedule cannot go on, and stops the epoch.
    fn fail(&mut self, why: String) -> Control {
        self.failed = Some(why.clone());
        Control::Stop(why)
    }
}
// ANCHOR_END: scheduler_callback
