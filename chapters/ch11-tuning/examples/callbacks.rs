//! `cargo run --release -p ch11-tuning --example callbacks`: trains chapter
//! 8's reference model for three epochs on the first 3 000 training images
//! of Fashion-MNIST with the chapter's three callbacks and one written
//! here, the way a reader writes their own: it prints the ratio of the
//! validation loss to the training loss after each epoch.
//!
//! The checkpoint and the CSV log go to `target/ch11-tuning/callbacks`;
//! the report to `book/outputs/ch11-tuning/callbacks.txt`. The run is
//! short (seconds, even in a debug build) and its output the same on
//! every run: fixed seeds, the clear engine, no timings.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch07_fashion_mnist::{FashionMnist, Splits};
use ch08_sequential::{LossKind, Metric, Sgd};
use ch09_training::{
    Callback, Control, Engine, EpochRecord, FitOptions, Model, TrainError, Training,
};
use ch10_functional::{AnyModel, load_model};
use ch11_tuning::callbacks::{CsvLogger, LearningRateScheduler, ModelCheckpoint};
use ch11_tuning::cli::target_path;
use ch11_tuning::models::mlp;

// ANCHOR: custom_callback
/// Prints `val_loss / loss` after every epoch. Well above 1, the model
/// does much better on the images it trains on than on images it has
/// never seen: it is starting to overfit.
struct ValTrainRatio<W: Write> {
    out: W,
}

impl<W: Write> Callback for ValTrainRatio<W> {
    fn on_epoch_end(
        &mut self,
        record: &EpochRecord,
        _model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        if let Some(val_loss) = record.val_loss {
            let ratio = val_loss / record.loss;
            writeln!(self.out, "epoch {}: val/train: {ratio:.2}", record.epoch).map_err(
                |source| TrainError::Io {
                    path: "standard output".into(),
                    source,
                },
            )?;
        }
        Ok(Control::Continue)
    }
}
// ANCHOR_END: custom_callback

/// The images the example trains and validates on.
const TRAIN: usize = 3000;
const VALID: usize = 1000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = target_path("callbacks");
    let Splits { train, valid, .. } = FashionMnist::load()?.into_splits();
    let (train, valid) = (train.select(0..TRAIN)?, valid.select(0..VALID)?);

    let command = "cargo run --release -p ch11-tuning --example callbacks";
    let out_dir = outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch11-tuning");
    let mut out = Output::new(
        &out_dir,
        "callbacks",
        command,
        Compared::AsPrinted("2 to 6 decimals"),
    );
    writeln!(
        out,
        "784-300-100-10, SGD at 0.01, {TRAIN} training images, {VALID} validation images, 3 epochs"
    )?;

    // ANCHOR: fit_with_callbacks
    let mut model = mlp(&[300, 100], 0.01, 42)?;
    let best = dir.join("best.safetensors");
    let log = dir.join("log.csv");
    let mut checkpoint = ModelCheckpoint::new(&best)?.save_best_only("val_loss")?;
    let mut logger = CsvLogger::new(&log)?;
    let mut scheduler = LearningRateScheduler::exponential(20.0)?;
    let mut ratio = ValTrainRatio { out: &mut out };
    let options = FitOptions::new()
        .epochs(3)
        .seed(43)
        .engine(Engine::Clear)
        .verbose(false)
        .validation_data(&valid)
        .callback(&mut checkpoint)
        .callback(&mut logger)
        .callback(&mut scheduler)
        .callback(&mut ratio);
    let history = model.fit(&train, options)?;
    // ANCHOR_END: fit_with_callbacks

    writeln!(
        out,
        "\nthe learning rate of each epoch (exponential decay, s = 20):"
    )?;
    for (epoch, rate) in scheduler.rates() {
        writeln!(out, "  epoch {epoch}: {rate:.6}")?;
    }

    let saved: Vec<String> = checkpoint
        .saved()
        .iter()
        .map(|(e, _)| e.to_string())
        .collect();
    let (best_epoch, best_loss) = checkpoint.best().ok_or("no epoch was saved")?;
    writeln!(
        out,
        "\nModelCheckpoint (save_best_only, val_loss): saved after epochs {}",
        saved.join(", ")
    )?;
    // ANCHOR: load_best
    let AnyModel::Sequential(mut restored) = load_model(&best)? else {
        return Err("the checkpoint holds a graph model".into());
    };
    // The file holds the model, not how it was compiled.
    let loss = LossKind::SparseCategoricalCrossEntropy;
    restored.compile(loss, Sgd::new(0.01)?, &[Metric::Accuracy])?;
    let again = restored.evaluate(&valid)?;
    // ANCHOR_END: load_best
    writeln!(
        out,
        "best.safetensors: {} bytes, the model of epoch {best_epoch}; \
         loaded back, its val_loss is {:.4}, the same bit for bit as epoch {best_epoch}'s: {}",
        std::fs::metadata(&best)?.len(),
        again.loss,
        if again.loss.to_bits() == best_loss.to_bits() {
            "yes"
        } else {
            "no"
        }
    )?;

    writeln!(
        out,
        "\nlog.csv (numbers rounded to 4 decimals here; seconds left out):"
    )?;
    let mut reader = csv::Reader::from_path(&log)?;
    let header = reader.headers()?.clone();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| &header[i] != "seconds")
        .collect();
    let line = |fields: Vec<String>| fields.join(",");
    writeln!(
        out,
        "{}",
        line(keep.iter().map(|&i| header[i].to_string()).collect())
    )?;
    for row in reader.records() {
        let row = row?;
        let fields = keep
            .iter()
            .map(|&i| match row[i].parse::<f32>() {
                Ok(v) if row[i].contains('.') => format!("{v:.4}"),
                _ => row[i].to_string(),
            })
            .collect();
        writeln!(out, "{}", line(fields))?;
    }
    if history.len() != 3 || checkpoint.saved().is_empty() {
        return Err("the run did not train three epochs".into());
    }

    writeln!(out, "\nthe two schedules from 0.01, at a few epochs:")?;
    let exponential = LearningRateScheduler::exponential(20.0)?;
    let step = LearningRateScheduler::step(0.5, 10)?;
    writeln!(out, "  epoch  exponential (s = 20)  step (0.5 every 10)")?;
    for epoch in [1, 2, 10, 11, 20, 21, 30, 31] {
        writeln!(
            out,
            "  {epoch:>5}  {:>20.6}  {:>19.6}",
            exponential.rate(0.01, epoch),
            step.rate(0.01, epoch)
        )?;
    }
    out.save()?;
    println!("wrote {}\nwrote {}", best.display(), log.display());
    Ok(())
}
