//! The reference run on the real data: Dense(30, ReLU) → Dense(1), SGD lr
//! 1e-3, batches of 32, 20 epochs. Reads the folder `$HOUSING_DIR` names,
//! else the cache `data/housing`; without either, `cargo test` lists the
//! test as ignored, with the reason (under CI it fails instead).

use ch00_toolbox::download::Source;
use ch00_toolbox::real_data::HOUSING;
use ch04_backprop::Mse;
use ch05_regression::HousingData;
use ch05_regression::housing::{self, HOUSING_CSV, HOUSING_DIR};
use ch05_regression::train::{TrainConfig, evaluate, train};

#[test]
#[cfg_attr(
    no_housing,
    ignore = "housing.csv not found: set HOUSING_DIR, or fill data/housing with `cargo run --release -p ch05-regression`"
)]
fn the_reference_model_reaches_a_test_mse_of_at_most_0_45() {
    let dir = HOUSING.dir().unwrap_or_else(|e| panic!("{e}"));
    let source = Source::Provided {
        variable: HOUSING_DIR.into(),
        dir,
    };
    let path = HOUSING_CSV.fetch(&source).unwrap();
    let districts = housing::load_from(&path).unwrap();
    let data = HousingData::prepare(&districts, 42).unwrap();
    let config = TrainConfig::default();
    let (mlp, history) = train(&data, &config, |_| {}).unwrap();
    assert_eq!(history.len(), 20);
    // The learning curve goes down: the last epoch beats the first by far.
    let (first, last) = (history[0], history[19]);
    assert!(last.train < 0.5 * first.train, "{first:?} → {last:?}");
    assert!(last.valid < first.valid, "{first:?} → {last:?}");
    let test = evaluate(&mlp, &data.test, &Mse).unwrap();
    eprintln!("test mse: {test:.4}");
    assert!(test <= 0.45, "test mse {test:.4} is above 0.45");
    // Far better than always predicting the training mean (MSE ≈ 1.3).
    let mean = data.train.y.mean().unwrap();
    let baseline = data
        .test
        .y
        .mapv(|y| (y - mean) * (y - mean))
        .mean()
        .unwrap();
    assert!(test < 0.4 * baseline, "{test} vs baseline {baseline}");
}
