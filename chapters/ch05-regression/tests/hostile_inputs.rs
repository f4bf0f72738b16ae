//! Whatever a caller hands the chapter's public functions, the answer is
//! `Ok` or an error, never a panic.

use ch04_backprop::{Loss, Mse};
use ch05_regression::housing::{features, targets};
use ch05_regression::split::{MAX_SPLIT_ROWS, permutation, split_indices};
use ch05_regression::train::{TrainConfig, train};
use ch05_regression::{
    BedroomFill, District, HousingData, Huber, Imputation, Mae, Part, Standardiser,
};
use hostile_inputs::{any_matrix, any_size, any_value};
use ndarray::Array2;
use proptest::prelude::*;

fn district(v: f32, households: f32) -> District {
    District {
        longitude: -120.0 + v,
        latitude: 35.0,
        housing_median_age: v,
        total_rooms: 1000.0,
        total_bedrooms: Some(v),
        population: 500.0,
        households,
        median_income: 2.0,
        median_house_value: 100_000.0,
        ocean_proximity: "INLAND".into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn data_preparation_losses_and_training_never_panic(
        x in any_matrix(),
        y in any_matrix(),
        values in proptest::collection::vec(any_value(), 0..12),
        households in any_value(),
        rows in proptest::collection::vec(any_size(), 0..4),
        seed in any::<u32>(),
        delta in any_value(),
        lr in any_value(),
        epochs in prop_oneof![0usize..2, Just(usize::MAX)],
        hidden in any_size(),
    ) {
        let districts: Vec<District> = values.iter().map(|&v| district(v, households)).collect();
        let _ = features(&districts, &rows, &BedroomFill::Count(delta));
        let _ = targets(&districts, &rows);
        let prepared = HousingData::prepare(&districts, seed);
        for &n in rows.iter().chain([&values.len()]) {
            match (permutation(n, seed), split_indices(n, seed)) {
                (Ok(order), Ok(split)) => {
                    prop_assert_eq!(order.len(), n);
                    let parts = split.train.len() + split.valid.len() + split.test.len();
                    prop_assert_eq!(parts, n);
                    if let Ok(data) = HousingData::from_split(&districts, &split, Imputation::MedianCount) {
                        let _ = data.train.len();
                    }
                }
                (p, s) => prop_assert!(n > MAX_SPLIT_ROWS && p.is_err() && s.is_err()),
            }
        }
        if let Ok(s) = Standardiser::fit(x.view()) {
            let _ = s.transform(y.view());
            let _ = s.inverse_transform(y.view());
        }
        let _ = Mse.value(x.view(), y.view());
        let _ = Mae.gradient(x.view(), y.view());
        if let Ok(h) = Huber::new(delta) {
            let _ = h.value(x.view(), y.view());
        }
        let part = Part::new(x.clone(), y.clone());
        let config = TrainConfig {
            hidden: hidden.min(1 << 40),
            learning_rate: lr,
            batch_size: 4,
            epochs: if lr.is_finite() && lr > 0.0 { epochs.min(1) } else { epochs },
            seed: 0,
        };
        if let (Ok(p), Ok(data)) = (part, prepared) {
            let mut data = data;
            data.train = p.clone();
            data.valid = p;
            let _ = train(&data, &config, |_| {});
        }
        let _: Array2<f32> = x;
    }
}
