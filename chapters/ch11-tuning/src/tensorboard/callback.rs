//! The `TensorBoard` callback: one event per epoch in each run.

use std::path::{Path, PathBuf};
use std::time::Instant;

use ch09_training::{Callback, Control, EpochRecord, Model, TrainError};

use super::TensorBoardError;
use super::histogram::{BUCKETS, histogram};
use super::proto::Value;
use super::writer::{EventWriter, histogram_value, scalar};

/// Writes what `fit` measured into TensorBoard's event files, laid out as
/// Keras lays them out: the run `train/` of the log folder gets the
/// training loss and metrics (`epoch_loss`, `epoch_accuracy`,
/// `epoch_mae`), the learning rate (`epoch_learning_rate`) and a histogram
/// of every weight tensor under the model's name for it (`dense_1.weight`);
/// the run `validation/` gets the validation loss and metrics under the
/// same tags, so that TensorBoard draws both on one chart. The step of
/// each event is the epoch's number, from 1. Both files are flushed after
/// every epoch, so a TensorBoard that is running shows each epoch as soon
/// as it ends.
#[derive(Debug)]
pub struct TensorBoard {
    log_dir: PathBuf,
    train: EventWriter,
    validation: Option<EventWriter>,
    histograms: bool,
    seconds: f64,
}

impl TensorBoard {
    /// Writes into `log_dir` (created if needed). The training run's file
    /// is created at once, so a folder that cannot be written fails here,
    /// before training starts; the validation run's, at the first epoch
    /// with validation data.
    pub fn new(log_dir: impl AsRef<Path>) -> Result<TensorBoard, TensorBoardError> {
        let log_dir = log_dir.as_ref().to_path_buf();
        Ok(TensorBoard {
            train: EventWriter::create(log_dir.join("train"))?,
            log_dir,
            validation: None,
            histograms: true,
            seconds: 0.0,
        })
    }

    /// Whether to write the weights' histograms (on by default).
    pub fn histograms(mut self, write: bool) -> TensorBoard {
        self.histograms = write;
        self
    }

    /// The training-run folder given to [`TensorBoard::new`], which holds
    /// the `train` and `validation` runs; `tensorboard --logdir` may be
    /// given it or any folder above it.
    pub fn log_dir(&self) -> &Path {
        &self.log_dir
    }

    /// The bytes written into both runs so far.
    pub fn bytes_written(&self) -> u64 {
        self.train.bytes_written() + self.validation.as_ref().map_or(0, |v| v.bytes_written())
    }

    /// The time spent in this callback so far, in seconds: building the
    /// histograms, encoding and writing.
    pub fn seconds_writing(&self) -> f64 {
        self.seconds
    }

    /// Writes the epoch's events into both runs and flushes them.
    fn write_epoch(
        &mut self,
        record: &EpochRecord,
        model: &mut dyn Model,
    ) -> Result<(), TensorBoardError> {
        let step = i64::try_from(record.epoch).map_err(|_| {
            TensorBoardError::Invalid(format!("epoch {} is too large", record.epoch))
        })?;
        // ANCHOR: epoch_values
        let mut train = vec![scalar("epoch_loss", record.loss)];
        let mut validation = Vec::new();
        validation.extend(record.val_loss.map(|v| scalar("epoch_loss", v)));
        for (tag, value, val_value) in [
            ("epoch_accuracy", record.accuracy, record.val_accuracy),
            ("epoch_mae", record.mae, record.val_mae),
        ] {
            train.extend(value.map(|v| scalar(tag, v)));
            validation.extend(val_value.map(|v| scalar(tag, v)));
        }
        for output in &record.outputs {
            let tag = format!("epoch_{}_loss", output.name);
            train.push(scalar(&tag, output.loss));
            validation.extend(output.val_loss.map(|v| scalar(&tag, v)));
        }
        if let Some(optimizer) = model.optimizer_mut() {
            train.push(scalar("epoch_learning_rate", optimizer.learning_rate()));
        }
        if self.histograms {
            for (name, tensor) in model.parameters() {
                train.push(histogram_value(
                    &name,
                    histogram(tensor.iter().copied(), BUCKETS)?,
                ));
            }
        }
        // ANCHOR_END: epoch_values
        self.train.write_summary(step, train)?;
        self.train.flush()?;
        if !validation.is_empty() {
            let writer = match &mut self.validation {
                Some(writer) => writer,
                None => self
                    .validation
                    .insert(EventWriter::create(self.log_dir.join("validation"))?),
            };
            write_and_flush(writer, step, validation)?;
        }
        Ok(())
    }
}

fn write_and_flush(
    writer: &mut EventWriter,
    step: i64,
    values: Vec<Value>,
) -> Result<(), TensorBoardError> {
    writer.write_summary(step, values)?;
    writer.flush()
}

// ANCHOR: on_epoch_end
impl Callback for TensorBoard {
    fn on_epoch_end(
        &mut self,
        record: &EpochRecord,
        model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        let start = Instant::now();
        let written = self.write_epoch(record, model);
        self.seconds += start.elapsed().as_secs_f64();
        written?;
        Ok(Control::Continue)
    }
}
// ANCHOR_END: on_epoch_end
