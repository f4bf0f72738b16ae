//! The overfitting experiment's numbers, which chapter 5 quotes:
//! `cargo run --release -p ch05-regression --example overfitting` prints the
//! training and validation MSE every 2 000 epochs and the lowest validation
//! MSE, and writes them to `book/outputs/ch05-regression/overfitting.txt`,
//! which the page includes.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch05_regression::overfitting::{OverfitConfig, overfit};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch05-regression"),
        "overfitting",
        "cargo run --release -p ch05-regression --example overfitting",
        // Matrix products sum in an order that may depend on the CPU.
        Compared::AsPrinted("4 decimals"),
    );
    let run = overfit(&OverfitConfig::default())?;
    for p in run.curve.iter().filter(|p| p.epoch % 2000 == 0) {
        writeln!(
            out,
            "overfitting, epoch {:>5}: train {:.4}, valid {:.4}",
            p.epoch, p.train, p.valid
        )?;
    }
    let best = run.best;
    writeln!(
        out,
        "lowest validation MSE {:.4} at epoch {} (train {:.4})",
        best.valid, best.epoch, best.train
    )?;
    println!("wrote {}", out.save()?.display());
    Ok(())
}
