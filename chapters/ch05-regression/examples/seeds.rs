//! How much does one run depend on its seeds? Trains the reference model for
//! several split seeds and weight seeds and prints each test MSE:
//! `cargo run --release -p ch05-regression --example seeds`.

use ch04_backprop::Mse;
use ch05_regression::train::{TrainConfig, evaluate, train};
use ch05_regression::{HousingData, housing};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let districts = housing::load()?;
    let mut all = Vec::new();
    println!("split seed  weight seed  valid mse  test mse");
    for split_seed in [42u32, 1, 2, 3] {
        let data = HousingData::prepare(&districts, split_seed)?;
        for weight_seed in [42u64, 7, 8] {
            let config = TrainConfig {
                seed: weight_seed,
                ..TrainConfig::default()
            };
            let (mlp, history) = train(&data, &config, |_| {})?;
            let test = evaluate(&mlp, &data.test, &Mse)?;
            let valid = history.last().map_or(f32::NAN, |e| e.valid);
            println!("{split_seed:>10}  {weight_seed:>11}  {valid:>9.4}  {test:>8.4}");
            all.push(test);
        }
    }
    let mean = all.iter().sum::<f32>() / all.len() as f32;
    let (lo, hi) = all
        .iter()
        .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    println!(
        "test mse over {} runs: mean {mean:.4}, min {lo:.4}, max {hi:.4}",
        all.len()
    );
    Ok(())
}
