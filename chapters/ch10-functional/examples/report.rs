//! `cargo run --release -p ch10-functional --example report`: the crate's
//! job (see `src/main.rs`), with its report and the summary of the
//! two-output model written to `book/outputs/ch10-functional/` for the page.

use std::io::Write;
use std::time::Instant;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch05_regression::{HousingData, housing};
use ch10_functional::Functional;
use ch10_functional::wide_deep::{
    Variant, best, compare, config, report, train_subclassed, two_inputs,
};

/// The seed of chapter 5's train / validation / test split.
const SPLIT_SEED: u32 = 42;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let dir = outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch10-functional");
    let command = "cargo run --release -p ch10-functional --example report";
    let mut summary = Output::new(&dir, "summary", command, Compared::Exactly);
    writeln!(
        summary,
        "{}",
        Functional::build(two_inputs(true), 42)?.summary()
    )?;
    summary.save()?;
    let districts = housing::load()?;
    let data = HousingData::prepare(&districts, SPLIT_SEED)?;
    let config = config(None);
    let mut out = Output::new(
        &dir,
        "wide-deep",
        command,
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
    // Wide & Deep written as a Rust type, trained as the graph was.
    let graph = outcomes
        .iter()
        .find(|o| o.variant == Variant::TwoOutputs)
        .ok_or("the two-output model was not trained")?;
    let custom = train_subclassed(&data, &config)?;
    let mut sub = Output::new(&dir, "subclass", command, Compared::AsPrinted("4 decimals"));
    writeln!(
        sub,
        "same seed, same data, same fit, {} epochs:",
        config.epochs
    )?;
    writeln!(
        sub,
        "  graph (two_inputs(true)):  test mse {:.4}",
        graph.test_mse
    )?;
    writeln!(
        sub,
        "  struct (WideAndDeep):      test mse {:.4}",
        custom.test_mse
    )?;
    let same = graph.test_mse.to_bits() == custom.test_mse.to_bits()
        && graph.predictions == custom.predictions;
    writeln!(
        sub,
        "  bit for bit the same test mse and predictions: {}",
        if same { "yes" } else { "no" }
    )?;
    sub.save()?;
    Ok(())
}
