//! Chapter 5's housing regressor, trained with the book's own Keras-like API
//! (`Sequential`, `compile`, `fit`, `evaluate`) and, for comparison, with
//! chapter 5's `Mlp` loop on the same split:
//!
//! ```text
//! cargo run --release -p ch09-training --example housing_sequential
//! ```
//!
//! The data comes from `$HOUSING_DIR` when set, else from the cache
//! `data/housing/` (downloaded and checked on first use). Both models use
//! chapter 5's split (seed 42), imputation and standardisation, and its
//! hyper-parameters: Dense(30, ReLU) → Dense(1), the same initial weights,
//! MSE, SGD with learning rate 1e-3, batches of 32, 20 epochs.

use std::time::Instant;

use ch04_backprop::Mse;
use ch05_regression::train::{TrainConfig, evaluate, train};
use ch05_regression::{HousingData, housing};
use ch08_sequential::{LossKind, Metric, Sgd, regression_model};
use ch09_training::{FitOptions, InMemory, Training};

/// The seed of chapter 5's train / validation / test split.
const SPLIT_SEED: u32 = 42;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let districts = housing::load()?;
    let data = HousingData::prepare(&districts, SPLIT_SEED)?;
    let config = TrainConfig::default();
    println!(
        "California housing: {} train, {} valid, {} test districts",
        data.train.len(),
        data.valid.len(),
        data.test.len()
    );

    // ANCHOR: housing_sequential
    let mut model = regression_model(8, config.hidden, config.seed)?;
    model.compile(
        LossKind::MeanSquaredError,
        Sgd::new(config.learning_rate)?,
        &[Metric::MeanAbsoluteError],
    )?;
    let train_set = InMemory::new(data.train.x.view(), data.train.y.view())?;
    let valid_set = InMemory::new(data.valid.x.view(), data.valid.y.view())?;
    let test_set = InMemory::new(data.test.x.view(), data.test.y.view())?;
    let options = FitOptions::new()
        .epochs(config.epochs)
        .batch_size(config.batch_size)
        .seed(config.seed + 1) // chapter 5 shuffles with the seed after the weights'
        .validation_data(&valid_set)
        .verbose(false);
    let history = model.fit(&train_set, options)?;
    let result = model.evaluate(&test_set)?;
    // ANCHOR_END: housing_sequential
    let seconds = history.epochs.iter().map(|r| r.seconds).sum::<f64>();
    println!("\nSequential (chapters 8-9): {}", model.summary());
    println!("epoch  train mse  valid mse  valid mae");
    for r in &history.epochs {
        println!(
            "{:>5}  {:>9.4}  {:>9.4}  {:>9.4}",
            r.epoch,
            r.loss,
            r.val_loss.unwrap_or(f32::NAN),
            r.val_mae.unwrap_or(f32::NAN)
        );
    }
    println!("training time: {seconds:.2} s");
    println!("test mse: {:.4}", result.loss);
    println!("test mae: {:.4}", result.mae.unwrap_or(f32::NAN));

    let start = Instant::now();
    let (mlp, _) = train(&data, &config, |_| {})?;
    let seconds = start.elapsed().as_secs_f64();
    let mlp_test = evaluate(&mlp, &data.test, &Mse)?;
    println!("\nchapter 5's Mlp, same split and settings:");
    println!("training time: {seconds:.2} s");
    println!("test mse: {mlp_test:.4}");
    Ok(())
}
