//! The reference run on the real data: Dense(30, ReLU) → Dense(1), SGD lr
//! 1e-3, batches of 32, 20 epochs. Reads `$HOUSING_DIR`; skipped with a
//! notice when it is not set.

use ch04_backprop::Mse;
use ch05_regression::HousingData;
use ch05_regression::housing::{self, HOUSING_CSV, HOUSING_DIR};
use ch05_regression::train::{TrainConfig, evaluate, train};

#[test]
fn the_reference_model_reaches_a_test_mse_of_at_most_0_45() {
    match std::env::var_os(HOUSING_DIR) {
        Some(d) if !d.is_empty() => {}
        _ => {
            eprintln!(
                "skipped: set {HOUSING_DIR} to a folder holding housing.csv to run this test"
            );
            return;
        }
    }
    let path = HOUSING_CSV.fetch(&housing::housing_source()).unwrap();
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
