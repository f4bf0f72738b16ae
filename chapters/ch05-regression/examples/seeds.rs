//! How much does the test MSE depend on choices that are not the model?
//! `cargo run --release -p ch05-regression --example seeds` trains the
//! reference model
//!
//! 1. with both ways of filling missing bedroom counts, on the reference
//!    split, for three weight seeds;
//! 2. on four different splits, for three weight seeds each;
//!
//! and prints each test MSE, with the MSE of always predicting the training
//! mean for scale. It writes the same report to
//! `book/outputs/ch05-regression/seeds.txt`, which the page quotes.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch04_backprop::Mse;
use ch05_regression::train::{TrainConfig, evaluate, train};
use ch05_regression::{HousingData, Imputation, housing, split_indices};

const WEIGHT_SEEDS: [u64; 3] = [42, 7, 8];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch05-regression"),
        "seeds",
        "cargo run --release -p ch05-regression --example seeds",
        // Matrix products sum in an order that may depend on the CPU.
        Compared::AsPrinted("4 decimals"),
    );
    let districts = housing::load()?;

    writeln!(out, "imputation          weight seed  test mse")?;
    let split = split_indices(districts.len(), 42)?;
    for imputation in [Imputation::MedianCount, Imputation::MedianPerHousehold] {
        let data = HousingData::from_split(&districts, &split, imputation)?;
        for seed in WEIGHT_SEEDS {
            let config = TrainConfig {
                seed,
                ..TrainConfig::default()
            };
            let (mlp, _) = train(&data, &config, |_| {})?;
            let test = evaluate(&mlp, &data.test, &Mse)?;
            writeln!(
                out,
                "{:<18}  {seed:>11}  {test:>8.4}",
                format!("{imputation:?}")
            )?;
        }
    }

    writeln!(
        out,
        "\nsplit seed  weight seed  valid mse  test mse  mean-predictor mse"
    )?;
    let mut all = Vec::new();
    for split_seed in [42u32, 1, 2, 3] {
        let data = HousingData::prepare(&districts, split_seed)?;
        let mean = data.train.y.mean().unwrap_or(0.0);
        let baseline = data
            .test
            .y
            .mapv(|y| (y - mean) * (y - mean))
            .mean()
            .unwrap_or(f32::NAN);
        for seed in WEIGHT_SEEDS {
            let config = TrainConfig {
                seed,
                ..TrainConfig::default()
            };
            let (mlp, history) = train(&data, &config, |_| {})?;
            let test = evaluate(&mlp, &data.test, &Mse)?;
            let valid = history.last().map_or(f32::NAN, |e| e.valid);
            writeln!(
                out,
                "{split_seed:>10}  {seed:>11}  {valid:>9.4}  {test:>8.4}  {baseline:>18.4}"
            )?;
            all.push(test);
        }
    }
    let mean = all.iter().sum::<f32>() / all.len() as f32;
    let (lo, hi) = all
        .iter()
        .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    writeln!(
        out,
        "test mse over {} runs: mean {mean:.4}, min {lo:.4}, max {hi:.4}",
        all.len()
    )?;
    println!("wrote {}", out.save()?.display());
    Ok(())
}
