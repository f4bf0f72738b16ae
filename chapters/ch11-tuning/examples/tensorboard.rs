//! Trains chapter 8's reference model on Fashion-MNIST with the
//! `TensorBoard` callback, then prints how to look at the logs:
//!
//! ```text
//! cargo run --release -p ch11-tuning --example tensorboard -- --epochs 10
//! tensorboard --logdir target/ch11-tuning/tensorboard
//! ```
//!
//! Each run writes into a new folder `run_<seconds since 1970>` of the log
//! folder, so that TensorBoard shows the runs side by side. It also prints
//! what the logs cost: bytes per epoch and time per epoch spent writing
//! them (timings: not part of the book's outputs).

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use ch07_fashion_mnist::{FashionMnist, Splits};
use ch09_training::{FitOptions, Training};
use ch11_tuning::models::mlp;
use ch11_tuning::tensorboard::TensorBoard;
use clap::Parser;

/// Chapter 8's reference model on Fashion-MNIST, logged for TensorBoard.
#[derive(Parser)]
struct Args {
    /// The number of epochs.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// The seed of the initial weights (the shuffles use seed + 1).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The log folder [default: target/ch11-tuning/tensorboard].
    #[arg(long, value_name = "DIR")]
    logdir: Option<PathBuf>,
    /// Leave out the weights' histograms.
    #[arg(long)]
    no_histograms: bool,
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    let logdir = args.logdir.clone().unwrap_or_else(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        root.canonicalize()
            .unwrap_or(root)
            .join("target/ch11-tuning/tensorboard")
    });
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let run_dir = logdir.join(format!("run_{seconds}"));

    let Splits { train, valid, .. } = FashionMnist::load()?.into_splits();
    // ANCHOR: fit_with_tensorboard
    let mut model = mlp(&[300, 100], 0.01, args.seed)?;
    let mut tensorboard = TensorBoard::new(&run_dir)?.histograms(!args.no_histograms);
    let start = Instant::now();
    let history = model.fit(
        &train,
        FitOptions::new()
            .epochs(args.epochs)
            .seed(args.seed + 1)
            .validation_data(&valid)
            .callback(&mut tensorboard),
    )?;
    // ANCHOR_END: fit_with_tensorboard
    let total = start.elapsed().as_secs_f64();

    let epochs = history.len().max(1) as f64;
    println!("wrote {}", run_dir.display());
    println!(
        "{} epochs, {} bytes of event files: {:.0} bytes per epoch",
        history.len(),
        tensorboard.bytes_written(),
        tensorboard.bytes_written() as f64 / epochs
    );
    println!(
        "writing took {:.2} ms per epoch, of {:.2} s per epoch in all ({:.3} %)",
        1e3 * tensorboard.seconds_writing() / epochs,
        total / epochs,
        100.0 * tensorboard.seconds_writing() / total
    );
    println!("to look: tensorboard --logdir {}", logdir.display());
    Ok(())
}
