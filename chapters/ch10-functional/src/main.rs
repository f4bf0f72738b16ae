//! `cargo run --release -p ch10-functional`: Wide & Deep on California
//! housing in three steps, beside chapter 9's `Sequential` regressor, all
//! on chapter 5's split with chapter 5's settings. Prints the comparison
//! table and ends with `test mse: X` for the best model. The data comes
//! from `$HOUSING_DIR` when set, else from the cache `data/housing/`.

use std::time::Instant;

use ch05_regression::{HousingData, housing};
use ch10_functional::wide_deep::{best, compare, config, report};

/// The seed of chapter 5's train / validation / test split.
const SPLIT_SEED: u32 = 42;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let districts = housing::load()?;
    let data = HousingData::prepare(&districts, SPLIT_SEED)?;
    let outcomes = compare(&data, &config(None))?;
    report(&outcomes, &mut std::io::stdout().lock())?;
    let best = best(&outcomes).ok_or("no model was trained")?;
    eprintln!("\nwhole run: {:.1} s", start.elapsed().as_secs_f64());
    println!("\nbest: {}", best.variant.label());
    println!("test mse: {:.4}", best.test_mse);
    Ok(())
}
