//! The book's main job: check where the outputs go, train the reference
//! model on Fashion-MNIST, evaluate it, and write the weights, the metrics
//! and the figures.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ch04_backprop::NetError;
use ch06_classification::metrics::predicted_classes;
use ch07_fashion_mnist::{CLASS_NAMES, DataError, FashionMnist, Splits, scale_pixel};
use ch08_sequential::{LossKind, Metric, Sequential, Sgd, reference_model};
use ndarray::{Axis, Slice};
use serde::Serialize;

use crate::callbacks::TerminateOnNan;
use crate::cli::Options;
use crate::confusion::{confusion_matrix, top_confusions};
use crate::error::TrainError;
use crate::figures::{
    FIGURE_FILES, draw_confusion_matrix, draw_learning_curves, draw_prediction_grid, save_figure,
};
use crate::fit::{FitOptions, Training};
use crate::history::{EpochRecord, History};
use crate::weights::{save_weights, write_atomically};

/// What the run measured, as written by `--metrics-json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunReport {
    /// The seed of the initial weights (the shuffles use `seed + 1`).
    pub seed: u64,
    /// One record per epoch: loss, accuracy, val_loss, val_accuracy, seconds.
    pub epochs: Vec<EpochRecord>,
    /// Why training stopped early, if it did.
    pub stopped: Option<String>,
    /// The mean cross-entropy on the 10 000 test images.
    pub test_loss: f32,
    /// The accuracy on the 10 000 test images.
    pub test_accuracy: f32,
    /// The predicted classes of the first three test images.
    pub first_test_predictions: Vec<usize>,
    /// Their true classes.
    pub first_test_labels: Vec<u8>,
    /// Their class probabilities, rounded to 2 decimals (as the Keras
    /// notebook prints them).
    pub first_test_probabilities: Vec<Vec<f32>>,
}

// ANCHOR: build_and_compile
/// The reference model, compiled as in the Keras notebook: sparse
/// categorical cross-entropy, SGD with learning rate 0.01, accuracy.
pub fn compiled_reference_model(seed: u64) -> Result<Sequential, TrainError> {
    let mut model = reference_model(seed)?;
    model.compile(
        LossKind::SparseCategoricalCrossEntropy,
        Sgd::new(0.01)?,
        &[Metric::Accuracy],
    )?;
    Ok(model)
}
// ANCHOR_END: build_and_compile

/// Why the run stopped.
#[derive(Debug)]
pub enum RunError {
    /// An output path cannot be written: found before the data is loaded.
    Output(OutputError),
    /// Loading, training, evaluating or saving failed.
    Train(TrainError),
    /// The report could not be printed (for example, standard output is a
    /// pipe whose reader has gone: `ch09-training | head -1`).
    Print(io::Error),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Output(e) => write!(f, "{e}"),
            RunError::Train(e) => write!(f, "{e}"),
            RunError::Print(e) => write!(f, "could not print the report: {e}"),
        }
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Output(e) => Some(e),
            RunError::Train(e) => Some(e),
            RunError::Print(e) => Some(e),
        }
    }
}

impl From<OutputError> for RunError {
    fn from(e: OutputError) -> Self {
        RunError::Output(e)
    }
}

impl From<TrainError> for RunError {
    fn from(e: TrainError) -> Self {
        RunError::Train(e)
    }
}

impl From<DataError> for RunError {
    fn from(e: DataError) -> Self {
        RunError::Train(e.into())
    }
}

impl From<NetError> for RunError {
    fn from(e: NetError) -> Self {
        RunError::Train(e.into())
    }
}

/// Only printing returns a bare `io::Error` in [`run`]; files name theirs
/// through [`TrainError::Io`].
impl From<io::Error> for RunError {
    fn from(e: io::Error) -> Self {
        RunError::Print(e)
    }
}

/// An output path that cannot be used, and the option that named it.
#[derive(Debug)]
pub struct OutputError {
    /// The option: `--save`, `--metrics-json` or `--figures`.
    pub flag: &'static str,
    /// The path as given (empty for an empty one).
    pub path: PathBuf,
    /// What is wrong with it.
    pub problem: String,
    /// The operating system's error, when it gave one.
    pub source: Option<io::Error>,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.as_os_str().is_empty() {
            return write!(f, "empty path for {}", self.flag);
        }
        write!(f, "{} {}: {}", self.flag, self.path.display(), self.problem)?;
        match &self.source {
            Some(e) => write!(f, ": {e}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

// ANCHOR: check_outputs
/// Checks, before anything is trained, that every output of the run can be
/// written: each file's folder exists (it is created if needed) and takes a
/// new file, and no folder stands where a file should go. `figures` is the
/// figures folder, `None` when no figures are drawn.
pub fn check_outputs(options: &Options, figures: Option<&Path>) -> Result<(), OutputError> {
    if let Some(path) = &options.save {
        check_file("--save", path)?;
    }
    if let Some(path) = &options.metrics_json {
        check_file("--metrics-json", path)?;
    }
    if let Some(dir) = figures {
        check_folder("--figures", dir)?;
        for name in FIGURE_FILES {
            let file = dir.join(name);
            if file.is_dir() {
                let problem = format!("{} is a folder, not a figure file", file.display());
                return Err(output_error("--figures", dir, problem, None));
            }
        }
    }
    Ok(())
}

/// `path` names a file that can be written (see [`check_outputs`]); `flag`
/// is the option that named it, for the message.
pub fn check_file(flag: &'static str, path: &Path) -> Result<(), OutputError> {
    if path.as_os_str().is_empty() {
        return Err(output_error(flag, path, "empty path", None));
    }
    let names_a_folder = path.to_string_lossy().ends_with(std::path::is_separator);
    if path.is_dir() || names_a_folder || path.file_name().is_none() {
        return Err(output_error(flag, path, "names a folder, not a file", None));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    writable_folder(flag, path, dir)
}

/// `dir` is, or can be made, a folder that takes new files (see
/// [`check_outputs`]).
pub fn check_folder(flag: &'static str, dir: &Path) -> Result<(), OutputError> {
    if dir.as_os_str().is_empty() {
        return Err(output_error(flag, dir, "empty path", None));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(output_error(flag, dir, "is a file, not a folder", None));
    }
    writable_folder(flag, dir, dir)
}

/// Creates `dir` if needed, then writes and removes a probe file in it.
fn writable_folder(flag: &'static str, path: &Path, dir: &Path) -> Result<(), OutputError> {
    // The nearest part of `dir` that exists must be a folder.
    if let Some(file) = dir.ancestors().find(|a| a.exists()).filter(|a| !a.is_dir()) {
        let problem = format!("{} is a file, not a folder", file.display());
        return Err(output_error(flag, path, problem, None));
    }
    fs::create_dir_all(dir).map_err(|e| {
        let problem = format!("cannot create the folder {}", dir.display());
        output_error(flag, path, problem, Some(e))
    })?;
    let probe = dir.join(format!(".ch09-training.{}.probe", std::process::id()));
    fs::File::create_new(&probe)
        .and_then(|_| fs::remove_file(&probe))
        .map_err(|e| {
            let _ = fs::remove_file(&probe);
            let problem = format!("cannot write in the folder {}", dir.display());
            output_error(flag, path, problem, Some(e))
        })
}
// ANCHOR_END: check_outputs

fn output_error(
    flag: &'static str,
    path: &Path,
    problem: impl Into<String>,
    source: Option<io::Error>,
) -> OutputError {
    OutputError {
        flag,
        path: path.to_path_buf(),
        problem: problem.into(),
        source,
    }
}

/// Runs the whole job and prints its report to `out`, drawing the figures
/// into `figures` (`None`: no figures). The outputs are checked first, so a
/// bad path fails at once instead of after the training; after training,
/// the weights are saved first, then the metrics, then the figures. The last
/// line printed is `test accuracy: 0.xxxx`. The progress of the epochs goes
/// to standard error.
pub fn run(
    options: &Options,
    figures: Option<&Path>,
    out: &mut impl Write,
) -> Result<RunReport, RunError> {
    check_outputs(options, figures)?;
    let Splits { train, valid, test } = FashionMnist::load()?.into_splits();
    writeln!(
        out,
        "Fashion-MNIST: {} training, {} validation, {} test images",
        train.len(),
        valid.len(),
        test.len()
    )?;
    let mut model = compiled_reference_model(options.seed)?;
    writeln!(out, "{}", model.summary())?;
    out.flush()?;

    // ANCHOR: fit_call
    let mut stop_on_nan = TerminateOnNan;
    let fit = FitOptions::new()
        .engine(options.engine)
        .epochs(options.epochs)
        .batch_size(32)
        .seed(options.seed.wrapping_add(1))
        .validation_data(&valid)
        .callback(&mut stop_on_nan);
    let history = model.fit(&train, fit)?;
    // ANCHOR_END: fit_call

    let test_result = model.evaluate(&test)?;
    let test_accuracy = test_result.accuracy.unwrap_or(f32::NAN);
    writeln!(
        out,
        "test loss: {:.4}, test accuracy: {test_accuracy:.4}",
        test_result.loss
    )?;

    // Keras-style: predict on the first three images, given as 3 × 28 × 28.
    let first = test
        .images
        .slice_axis(Axis(0), Slice::from(..3))
        .mapv(scale_pixel);
    let probabilities = model.predict(first.view())?;
    let first_predictions = predicted_classes(probabilities.view())?;
    let rounded: Vec<Vec<f32>> = probabilities
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|p| (p * 100.0).round() / 100.0).collect())
        .collect();
    for (i, (&p, probs)) in first_predictions.iter().zip(&rounded).enumerate() {
        writeln!(
            out,
            "test image {i}: predicted {p} ({}), true {} — probabilities {probs:?}",
            CLASS_NAMES[p], test.labels[i]
        )?;
    }

    let predicted = predicted_classes(model.predict_dataset(&test)?.view())?;
    let test_labels = test.labels.to_vec();
    let counts = confusion_matrix(&predicted, &test_labels, CLASS_NAMES.len())?;
    writeln!(out, "most frequent mistakes (true → predicted: count):")?;
    for (t, p, c) in top_confusions(&counts, 5) {
        writeln!(out, "  {} → {}: {c}", CLASS_NAMES[t], CLASS_NAMES[p])?;
    }

    // The trained weights first: what took longest to make.
    if let Some(path) = &options.save {
        save_weights(&model, path)?;
        writeln!(out, "weights saved to {}", path.display())?;
    }
    let report = RunReport {
        seed: options.seed,
        epochs: history.epochs.clone(),
        stopped: history.stopped.clone(),
        test_loss: test_result.loss,
        test_accuracy,
        first_test_predictions: first_predictions,
        first_test_labels: test.labels.iter().take(3).copied().collect(),
        first_test_probabilities: rounded,
    };
    if let Some(path) = &options.metrics_json {
        write_json(path, &report)?;
        writeln!(out, "metrics written to {}", path.display())?;
    }
    if let Some(dir) = figures {
        draw_figures(dir, &history, &counts, &test, &predicted)?;
        let shown = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        writeln!(out, "figures written to {}", shown.display())?;
    }
    writeln!(out, "test accuracy: {test_accuracy:.4}")?;
    out.flush()?;
    Ok(report)
}

/// The three figures of the chapter, into `dir` (named as in
/// [`FIGURE_FILES`]). An error names the figure's file.
pub fn draw_figures(
    dir: &Path,
    history: &History,
    counts: &ndarray::Array2<usize>,
    test: &ch07_fashion_mnist::Split,
    predicted: &[usize],
) -> Result<(), TrainError> {
    let [curves, confusion, predictions] = FIGURE_FILES.map(|name| dir.join(name));
    save_figure(&curves, (820, 500), |a| draw_learning_curves(a, history))?;
    save_figure(&confusion, (760, 720), |a| {
        draw_confusion_matrix(a, counts, &CLASS_NAMES)
    })?;
    let n = 30.min(test.len());
    let labels: Vec<u8> = test.labels.iter().take(n).copied().collect();
    save_figure(&predictions, (960, 480), |a| {
        draw_prediction_grid(
            a,
            test.images.slice_axis(Axis(0), Slice::from(..n)),
            &labels,
            &predicted[..n.min(predicted.len())],
            &CLASS_NAMES,
            10,
        )
    })?;
    Ok(())
}

/// Writes `value` as pretty JSON to `path`, creating the folder if needed,
/// through a temporary file (see [`write_atomically`]).
pub fn write_json(path: &Path, value: &impl Serialize) -> Result<(), TrainError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| TrainError::Json(e.to_string()))?;
    write_atomically(path, |file| {
        file.write_all(text.as_bytes())?;
        file.write_all(b"\n")
    })
    .map_err(|source| TrainError::Io {
        path: path.to_path_buf(),
        source,
    })
}
