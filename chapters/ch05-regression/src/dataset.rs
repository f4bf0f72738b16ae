//! From districts to arrays a network can learn from: split, impute,
//! standardise.
//!
//! The order matters. The data is split *first*; every statistic the
//! preparation needs (the median that fills missing bedroom counts, the
//! means and standard deviations of the features) is then computed on the
//! training part alone and applied unchanged to the validation and test
//! parts. Otherwise a little knowledge of the test set leaks into the model,
//! and the test score flatters it.

use ndarray::Array2;

use crate::housing::{BedroomFill, District, HousingError, Imputation, features, targets};
use crate::split::{SplitIndices, split_indices};
use crate::standardise::Standardiser;

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
    /// What fills a missing bedroom count, learnt on the training part.
    pub bedrooms_fill: BedroomFill,
}

impl HousingData {
    // ANCHOR: prepare
    /// Splits `districts` with `seed`, fills missing bedroom counts with the
    /// training median of bedrooms per household, builds the eight features
    /// and standardises them with statistics of the training part only.
    pub fn prepare(districts: &[District], seed: u32) -> Result<HousingData, HousingError> {
        if districts.len() < 4 {
            return Err(HousingError::Invalid(format!(
                "{} districts are too few to split into train, validation and test",
                districts.len()
            )));
        }
        let split = split_indices(districts.len(), seed);
        HousingData::from_split(districts, &split, Imputation::MedianPerHousehold)
    }
    // ANCHOR_END: prepare

    /// Like [`HousingData::prepare`], for a split made elsewhere and a
    /// chosen [`Imputation`]. Every index must be below `districts.len()`,
    /// and the training part must not be empty.
    pub fn from_split(
        districts: &[District],
        split: &SplitIndices,
        imputation: Imputation,
    ) -> Result<HousingData, HousingError> {
        let n = districts.len();
        if let Some(&bad) = [&split.train, &split.valid, &split.test]
            .into_iter()
            .flatten()
            .find(|&&i| i >= n)
        {
            return Err(HousingError::Invalid(format!(
                "split index {bad} is out of range for {n} districts"
            )));
        }
        // ANCHOR: from_split
        let bedrooms_fill = imputation
            .fit(split.train.iter().map(|&i| &districts[i]))
            .ok_or_else(|| {
                HousingError::Invalid("no training district has a bedroom count".into())
            })?;
        let raw_train = features(districts, &split.train, &bedrooms_fill);
        let standardiser = Standardiser::fit(raw_train.view())
            .map_err(|e| HousingError::Invalid(e.to_string()))?;
        let part = |rows: &[usize]| -> Result<Part, HousingError> {
            let raw = features(districts, rows, &bedrooms_fill);
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
        // ANCHOR_END: from_split
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let want_fill = Imputation::MedianPerHousehold
            .fit(split.train.iter().map(|&i| &districts[i]))
            .unwrap();
        assert_eq!(data.bedrooms_fill, want_fill);
        // The training features have mean 0 and std 1; the others need not.
        for j in 0..8 {
            let col = data.train.x.column(j);
            assert!(col.mean().unwrap().abs() < 1e-4, "feature {j}");
            assert!((col.std(0.0) - 1.0).abs() < 1e-3, "feature {j}");
        }
        let raw_valid = features(&districts, &split.valid, &want_fill);
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
