//! Trains the reference regression MLP on California housing and prints its
//! learning curve and test MSE: `cargo run --release -p ch05-regression`.
//!
//! The data comes from `$HOUSING_DIR` when set, else from the cache
//! `data/housing/` (downloaded and checked on first use).

#![forbid(unsafe_code)]

use std::error::Error;
use std::process::ExitCode;

use ch04_backprop::Mse;
use ch05_regression::train::{TrainConfig, evaluate, train};
use ch05_regression::{HousingData, housing};

/// The seed of the train / validation / test split.
const SPLIT_SEED: u32 = 42;

/// Runs the job; on an error, prints `error: <message>` and each cause the
/// message does not already show, and exits with status 1.
fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut text = format!("error: {e}");
            let mut cause = e.source();
            while let Some(c) = cause {
                let line = c.to_string();
                if !text.contains(&line) {
                    text.push_str(&format!("\n  caused by: {line}"));
                }
                cause = c.source();
            }
            eprintln!("{text}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let districts = housing::load()?;
    let data = HousingData::prepare(&districts, SPLIT_SEED)?;
    println!(
        "California housing: {} train, {} valid, {} test districts; 8 features",
        data.train.len(),
        data.valid.len(),
        data.test.len()
    );
    let config = TrainConfig::default();
    println!(
        "model: 8 → Dense({}, relu) → Dense(1); SGD lr {}, batch {}, {} epochs, MSE",
        config.hidden, config.learning_rate, config.batch_size, config.epochs
    );
    println!("epoch  train mse  valid mse");
    let (mlp, _) = train(&data, &config, |e| {
        println!("{:>5}  {:>9.4}  {:>9.4}", e.epoch, e.train, e.valid);
    })?;
    let test = evaluate(&mlp, &data.test, &Mse)?;
    println!("test mse: {test:.4}");
    Ok(())
}
