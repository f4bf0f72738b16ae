//! Redraws the chapter's figures from a finished run, without training again:
//!
//! ```text
//! cargo run --release -p ch09-training -- --save target/ch09-training/model.safetensors \
//!     --metrics-json target/ch09-training/metrics.json
//! cargo run --release -p ch09-training --example figures
//! ```
//!
//! It reads the history from the metrics JSON, loads the saved weights into
//! the reference model, predicts the test set and draws the three figures
//! into `book/figures/ch09-training/`. Both paths can be given as arguments.
//! It then prints what the chapter reads off the figures: the share of each
//! class recognised, where the footwear mistakes go, and the mistakes among
//! the first 30 test images (`tests/record-long-runs.sh` keeps this report
//! with the run's).

use std::path::PathBuf;
use std::process::ExitCode;

use ch00_toolbox::figure::figures_dir;
use ch06_classification::metrics::predicted_classes;
use ch07_fashion_mnist::{CLASS_NAMES, FashionMnist};
use ch09_training::confusion::{confusion_matrix, per_class_accuracy};
use ch09_training::run::{compiled_reference_model, draw_figures};
use ch09_training::{EpochRecord, History, TrainError, Training, load_weights};
use serde::Deserialize;

#[derive(Deserialize)]
struct Metrics {
    epochs: Vec<EpochRecord>,
}

fn redraw(weights: PathBuf, metrics: PathBuf) -> Result<(), TrainError> {
    let text = std::fs::read_to_string(&metrics).map_err(|source| TrainError::Io {
        path: metrics.clone(),
        source,
    })?;
    let parsed: Metrics = serde_json::from_str(&text)
        .map_err(|e| TrainError::Json(format!("{}: {e}", metrics.display())))?;
    let history = History {
        epochs: parsed.epochs,
        stopped: None,
    };
    let mut model = compiled_reference_model(0)?;
    load_weights(&mut model, &weights)?;
    let test = FashionMnist::load()?.test;
    let predicted = predicted_classes(model.predict_dataset(&test)?.view())?;
    let counts = confusion_matrix(&predicted, &test.labels.to_vec(), CLASS_NAMES.len())?;
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch09-training");
    draw_figures(&dir, &history, &counts, &test, &predicted)?;
    println!("figures written to {}", dir.display());

    println!("share of each class's test images recognised:");
    for (name, share) in CLASS_NAMES.iter().zip(per_class_accuracy(&counts)) {
        println!("  {name}: {:.1} %", 100.0 * share);
    }
    let footwear = [5, 7, 9]; // Sandal, Sneaker, Ankle boot
    let bag = 8;
    let (mut garment, mut bagged, mut total) = (0, 0, 0);
    for t in footwear {
        for (p, &c) in counts.row(t).iter().enumerate() {
            total += c;
            if p == bag {
                bagged += c;
            } else if !footwear.contains(&p) {
                garment += c;
            }
        }
    }
    println!(
        "footwear: of {total} test images, {garment} taken for a garment and {bagged} for a bag"
    );
    let shown = 30;
    let wrong: Vec<String> = (0..shown)
        .filter(|&i| predicted[i] != usize::from(test.labels[i]))
        .map(|i| {
            format!(
                "{i} ({} taken for {})",
                CLASS_NAMES[usize::from(test.labels[i])],
                CLASS_NAMES[predicted[i]]
            )
        })
        .collect();
    println!(
        "wrong among the first {shown} test images: {} — {}",
        wrong.len(),
        wrong.join(", ")
    );
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let weights = args
        .next()
        .unwrap_or_else(|| PathBuf::from("target/ch09-training/model.safetensors"));
    let metrics = args
        .next()
        .unwrap_or_else(|| PathBuf::from("target/ch09-training/metrics.json"));
    match redraw(weights, metrics) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!(
                "(run the training with --save and --metrics-json first; see the top of examples/figures.rs)"
            );
            ExitCode::FAILURE
        }
    }
}
