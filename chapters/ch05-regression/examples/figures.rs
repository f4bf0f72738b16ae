//! Regenerates the figures of chapter 5:
//! `cargo run -p ch05-regression --example figures`.
//!
//! Runs the overfitting experiment, then trains the reference model, on `$HOUSING_DIR` if set, else on the
//! cached (or freshly downloaded) `data/housing/housing.csv`.

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch04_backprop::Mse;
use ch05_regression::figures::{
    draw_learning_curves, draw_overfitting, draw_predicted_vs_actual, draw_regression_losses,
};
use ch05_regression::overfitting::{OverfitConfig, overfit};
use ch05_regression::train::{TrainConfig, evaluate, predicted_vs_actual, train};
use ch05_regression::{HousingData, housing};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch05-regression");

    // A closure, not the bare function: it stays generic over the backend's lifetime.
    #[allow(clippy::redundant_closure)]
    let drawn = save_svg(dir.join("regression-losses.svg"), (960, 420), |a| {
        draw_regression_losses(a)
    });
    drawn?;
    println!("wrote regression-losses.svg");

    let run = overfit(&OverfitConfig::default())?;
    // Its numbers: `cargo run --release -p ch05-regression --example overfitting`.
    save_svg(dir.join("overfitting.svg"), (1100, 460), |a| {
        draw_overfitting(a, &run)
    })?;
    println!("wrote overfitting.svg");

    let districts = housing::load()?;
    let data = HousingData::prepare(&districts, 42)?;
    let (mlp, history) = train(&data, &TrainConfig::default(), |e| {
        println!(
            "epoch {:>2}: train {:.4}, valid {:.4}",
            e.epoch, e.train, e.valid
        );
    })?;
    let test_mse = evaluate(&mlp, &data.test, &Mse)?;
    println!("test mse: {test_mse:.4}");

    save_svg(dir.join("learning-curves.svg"), (860, 460), |a| {
        draw_learning_curves(a, &history, 2.0)
    })?;
    println!("wrote learning-curves.svg");
    let pairs = predicted_vs_actual(&mlp, data.test.x.view(), data.test.y.view())?;
    save_svg(dir.join("predicted-vs-actual.svg"), (640, 640), |a| {
        draw_predicted_vs_actual(a, &pairs, test_mse)
    })?;
    println!("wrote predicted-vs-actual.svg");
    Ok(())
}
