//! The book's main job: train the reference model on Fashion-MNIST, evaluate
//! it, and write the figures, the weights and the metrics.

use std::path::Path;

use ch00_toolbox::figure::save_svg;
use ch06_classification::metrics::predicted_classes;
use ch07_fashion_mnist::{CLASS_NAMES, FashionMnist, Splits, scale_pixel};
use ch08_sequential::{LossKind, Metric, Sequential, Sgd, reference_model};
use ndarray::s;
use serde::Serialize;

use crate::callbacks::TerminateOnNan;
use crate::cli::Options;
use crate::confusion::{confusion_matrix, top_confusions};
use crate::error::TrainError;
use crate::figures::{draw_confusion_matrix, draw_learning_curves, draw_prediction_grid};
use crate::fit::{FitOptions, Training};
use crate::history::{EpochRecord, History};
use crate::weights::save_weights;

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
        Sgd::new(0.01),
        &[Metric::Accuracy],
    )?;
    Ok(model)
}
// ANCHOR_END: build_and_compile

/// Runs the whole job and prints as it goes; the last line printed is
/// `test accuracy: 0.xxxx`.
pub fn run(options: &Options) -> Result<RunReport, TrainError> {
    let Splits { train, valid, test } = FashionMnist::load()?.into_splits();
    println!(
        "Fashion-MNIST: {} training, {} validation, {} test images",
        train.len(),
        valid.len(),
        test.len()
    );
    let mut model = compiled_reference_model(options.seed)?;
    println!("{}", model.summary());

    // ANCHOR: fit_call
    let mut stop_on_nan = TerminateOnNan;
    let fit = FitOptions::new()
        .epochs(options.epochs)
        .batch_size(32)
        .seed(options.seed.wrapping_add(1))
        .validation_data(&valid)
        .callback(&mut stop_on_nan);
    let history = model.fit(&train, fit)?;
    // ANCHOR_END: fit_call

    let test_result = model.evaluate(&test)?;
    let test_accuracy = test_result.accuracy.unwrap_or(f32::NAN);
    println!(
        "test loss: {:.4}, test accuracy: {test_accuracy:.4}",
        test_result.loss
    );

    // Keras-style: predict on the first three images, given as 3 × 28 × 28.
    let first = test.images.slice(s![..3, .., ..]).mapv(scale_pixel);
    let probabilities = model.predict(first.view())?;
    let first_predictions = predicted_classes(probabilities.view())?;
    let rounded: Vec<Vec<f32>> = probabilities
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|p| (p * 100.0).round() / 100.0).collect())
        .collect();
    for (i, (&p, probs)) in first_predictions.iter().zip(&rounded).enumerate() {
        println!(
            "test image {i}: predicted {p} ({}), true {} — probabilities {probs:?}",
            CLASS_NAMES[p], test.labels[i]
        );
    }

    let predicted = predicted_classes(model.predict_dataset(&test)?.view())?;
    let test_labels = test.labels.to_vec();
    let counts = confusion_matrix(&predicted, &test_labels, CLASS_NAMES.len())?;
    println!("most frequent mistakes (true → predicted: count):");
    for (t, p, c) in top_confusions(&counts, 5) {
        println!("  {} → {}: {c}", CLASS_NAMES[t], CLASS_NAMES[p]);
    }

    if let Some(dir) = &options.figures {
        draw_figures(dir, &history, &counts, &test, &predicted)?;
        let shown = dir.canonicalize().unwrap_or_else(|_| dir.clone());
        println!("figures written to {}", shown.display());
    }
    if let Some(path) = &options.save {
        save_weights(&model, path)?;
        println!("weights saved to {}", path.display());
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
        println!("metrics written to {}", path.display());
    }
    println!("test accuracy: {test_accuracy:.4}");
    Ok(report)
}

/// The three figures of the chapter, into `dir`.
pub fn draw_figures(
    dir: &Path,
    history: &History,
    counts: &ndarray::Array2<usize>,
    test: &ch07_fashion_mnist::Split,
    predicted: &[usize],
) -> Result<(), TrainError> {
    save_svg(dir.join("learning-curves.svg"), (820, 500), |a| {
        draw_learning_curves(a, history)
    })?;
    save_svg(dir.join("confusion-matrix.svg"), (760, 720), |a| {
        draw_confusion_matrix(a, counts, &CLASS_NAMES)
    })?;
    let n = 30.min(test.len());
    let labels: Vec<u8> = test.labels.iter().take(n).copied().collect();
    save_svg(dir.join("test-predictions.svg"), (960, 480), |a| {
        draw_prediction_grid(
            a,
            test.images.slice(s![..n, .., ..]),
            &labels,
            &predicted[..n.min(predicted.len())],
            &CLASS_NAMES,
            10,
        )
    })?;
    Ok(())
}

/// Writes `value` as pretty JSON to `path`, creating the folder if needed.
pub fn write_json(path: &Path, value: &impl Serialize) -> Result<(), TrainError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| TrainError::Json(e.to_string()))?;
    let io = |source| TrainError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, text + "\n").map_err(io)
}
