//! From districts to arrays a network can learn from: split, impute,
//! standardise.
//!
//! The order matters. The data is split *first*; every statistic the
//! preparation needs (the median that fills missing bedroom counts, the
//! means and standard deviations of the features) is then computed on the
//! training part alone and applied unchanged to the validation and test
//! parts. Otherwise a little knowledge of the test set leaks into the model,
//! and the test score flatters it.

use ch00_toolbox::seeded_rng;
use ndarray::Array2;
use rand::seq::SliceRandom;

use crate::housing::{District, HousingError, features, median_bedrooms, targets};
use crate::standardise::Standardiser;

// ANCHOR: split
/// Row indices of a train / validation / test split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitIndices {
    /// Rows to learn from.
    pub train: Vec<usize>,
    /// Rows to watch during training (early stopping, tuning).
    pub valid: Vec<usize>,
    /// Rows kept for the final score only.
    pub test: Vec<usize>,
}

/// Shuffles `0..n` with `seed`, sets aside a quarter (rounded up) as the test
/// set, then a quarter of the rest as the validation set, like calling
/// scikit-learn's `train_test_split` twice with its defaults. For the 20 640
/// districts that is 11 610 / 3 870 / 5 160.
pub fn split_indices(n: usize, seed: u64) -> SplitIndices {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut seeded_rng(seed));
    let n_test = n.div_ceil(4);
    let n_valid = (n - n_test).div_ceil(4);
    let test = order.split_off(n - n_test);
    let valid = order.split_off(order.len() - n_valid);
    SplitIndices {
        train: order,
        valid,
        test,
    }
}
// ANCHOR_END: split

/// Features and targets of one part of the split.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// Standardised features, `n × 8`.
    pub x: Array2<f32>,
    /// Targets, `n × 1`, in units of 100 000 dollars.
    pub y: Array2<f32>,
}

impl Part {
    /// The number of districts in this part.
    pub fn len(&self) -> usize {
        self.x.nrows()
    }

    /// Whether this part holds no district.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The housing data, ready for training.
#[derive(Clone, Debug)]
pub struct HousingData {
    /// The training part.
    pub train: Part,
    /// The validation part.
    pub valid: Part,
    /// The test part.
    pub test: Part,
    /// The standardiser fitted on the training features.
    pub standardiser: Standardiser,
    /// The training median of `total_bedrooms`, used for every missing value.
    pub bedrooms_fill: f32,
}

// ANCHOR: prepare
impl HousingData {
    /// Splits `districts` with `seed`, fills missing bedroom counts with the
    /// training median, builds the eight features and standardises them with
    /// statistics of the training part only.
    pub fn prepare(districts: &[District], seed: u64) -> Result<HousingData, HousingError> {
        if districts.len() < 4 {
            return Err(HousingError::Invalid(format!(
                "{} districts are too few to split into train, validation and test",
                districts.len()
            )));
        }
        let split = split_indices(districts.len(), seed);
        let bedrooms_fill = median_bedrooms(split.train.iter().map(|&i| &districts[i]))
            .ok_or_else(|| {
                HousingError::Invalid("no training district has a bedroom count".into())
            })?;
        let raw_train = features(districts, &split.train, bedrooms_fill);
        let standardiser = Standardiser::fit(raw_train.view())
            .map_err(|e| HousingError::Invalid(e.to_string()))?;
        let part = |rows: &[usize]| -> Result<Part, HousingError> {
            let raw = features(districts, rows, bedrooms_fill);
            Ok(Part {
                x: standardiser
                    .transform(raw.view())
                    .map_err(|e| HousingError::Invalid(e.to_string()))?,
                y: targets(districts, rows),
            })
        };
        Ok(HousingData {
            train: part(&split.train)?,
            valid: part(&split.valid)?,
            test: part(&split.test)?,
            standardiser,
            bedrooms_fill,
        })
    }
}
// ANCHOR_END: prepare

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_a_seeded_partition_with_the_usual_sizes() {
        let s = split_indices(20_640, 42);
        assert_eq!(
            (s.train.len(), s.valid.len(), s.test.len()),
            (11_610, 3_870, 5_160)
        );
        let mut all: Vec<usize> = s
            .train
            .iter()
            .chain(&s.valid)
            .chain(&s.test)
            .copied()
            .collect();
        all.sort_unstable();
        assert_eq!(
            all,
            (0..20_640).collect::<Vec<_>>(),
            "every row exactly once"
        );
        assert_eq!(s, split_indices(20_640, 42));
        assert_ne!(s.test, split_indices(20_640, 43).test);
        let small = split_indices(5, 0);
        assert_eq!(
            (small.train.len(), small.valid.len(), small.test.len()),
            (2, 1, 2)
        );
    }

    fn district(i: usize, bedrooms: Option<f32>) -> District {
        let f = i as f32;
        District {
            longitude: -120.0 + 0.1 * f,
            latitude: 35.0 + 0.05 * f,
            housing_median_age: 10.0 + f,
            total_rooms: 1000.0 + 10.0 * f,
            total_bedrooms: bedrooms,
            population: 500.0 + 3.0 * f,
            households: 200.0 + f,
            median_income: 2.0 + 0.1 * f,
            median_house_value: 100_000.0 + 1000.0 * f,
            ocean_proximity: "INLAND".into(),
        }
    }

    #[test]
    fn statistics_come_from_the_training_part_only() {
        // Bedroom counts: 100 + i for even i; odd ones are missing.
        let districts: Vec<District> = (0..40)
            .map(|i| district(i, (i % 2 == 0).then_some(100.0 + i as f32)))
            .collect();
        let data = HousingData::prepare(&districts, 7).unwrap();
        let split = split_indices(40, 7);
        let want_fill = median_bedrooms(split.train.iter().map(|&i| &districts[i])).unwrap();
        assert_eq!(data.bedrooms_fill, want_fill);
        // The training features have mean 0 and std 1; the others need not.
        for j in 0..8 {
            let col = data.train.x.column(j);
            assert!(col.mean().unwrap().abs() < 1e-4, "feature {j}");
            assert!((col.std(0.0) - 1.0).abs() < 1e-3, "feature {j}");
        }
        let raw_valid = features(&districts, &split.valid, want_fill);
        let again = data.standardiser.transform(raw_valid.view()).unwrap();
        assert_eq!(again, data.valid.x);
        assert_eq!(data.test.y, targets(&districts, &split.test));
        assert_eq!(
            (data.train.len(), data.valid.len(), data.test.len()),
            (22, 8, 10)
        );
    }

    #[test]
    fn too_few_rows_or_no_bedroom_counts_are_errors() {
        let few: Vec<District> = (0..3).map(|i| district(i, Some(1.0))).collect();
        assert!(HousingData::prepare(&few, 0).is_err());
        let none: Vec<District> = (0..10).map(|i| district(i, None)).collect();
        let err = HousingData::prepare(&none, 0).unwrap_err();
        assert!(err.to_string().contains("bedroom"), "{err}");
    }
}
