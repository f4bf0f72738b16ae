//! `cargo run --release -p ch10-functional`: Wide & Deep on California
//! housing in three steps, beside chapter 9's `Sequential` regressor, all
//! on chapter 5's split with chapter 5's settings. Prints the comparison
//! table (also written to `book/outputs/ch10-functional/wide-deep.txt`) and
//! ends with `test mse: X` for the best model.

use std::io::Write;
use std::time::Instant;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch05_regression::{HousingData, housing};
use ch10_functional::wide_deep::{best, compare, config, report};

/// The seed of chapter 5's train / validation / test split.
const SPLIT_SEED: u32 = 42;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let districts = housing::load()?;
    let data = HousingData::prepare(&districts, SPLIT_SEED)?;
    let config = config(None);
    let mut out = Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch10-functional"),
        "wide-deep",
        "cargo run --release -p ch10-functional",
        Compared::AsPrinted("4 decimals"),
    );
    writeln!(
        out,
        "California housing: {} train, {} valid, {} test districts; SGD lr {}, batches of {}, {} epochs\n",
        data.train.len(),
        data.valid.len(),
        data.test.len(),
        config.learning_rate,
        config.batch_size,
        config.epochs
    )?;
    let outcomes = compare(&data, &config)?;
    report(&outcomes, &mut out)?;
    let best = best(&outcomes).ok_or("no model was trained")?;
    // The time is not part of the book's output: it changes from run to run.
    eprintln!("\nwhole run: {:.1} s", start.elapsed().as_secs_f64());
    writeln!(out, "\nbest: {}", best.variant.label())?;
    writeln!(out, "test mse: {:.4}", best.test_mse)?;
    out.save()?;
    Ok(())
}
