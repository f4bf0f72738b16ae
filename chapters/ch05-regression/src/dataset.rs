//! From districts to arrays a network can learn from: split, impute,
//! standardise.
//!
//! The order matters. The data is split *first*; every statistic the
//! preparation needs (the median that fills missing bedroom counts, the
//! means and standard deviations of the features) is then computed on the
//! training part alone and applied unchanged to the validation and test
//! parts. Otherwise a little knowledge of the test set leaks into the model,
//! and the test score flatters it.

use ch04_backprop::NetError;
use ch04_backprop::error::check_finite_rows;
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
    /// Pairs features (`n × d`) with targets (`n × k`, `k ≥ 1`): the row
    /// counts must agree, and every value must be a finite number (the
    /// error names the first row that is not).
    pub fn new(x: Array2<f32>, y: Array2<f32>) -> Result<Part, NetError> {
        let part = Part { x, y };
        part.check()?;
        Ok(part)
    }

    /// The checks of [`Part::new`], again: the fields are public, so a part
    /// may have been changed since. Training calls it before the first step.
    pub fn check(&self) -> Result<(), NetError> {
        if self.y.nrows() != self.x.nrows() || self.y.ncols() == 0 {
            return Err(NetError::shape(
                "targets (one row per row of features, at least one column)",
                &[self.x.nrows(), 1],
                self.y.shape(),
            ));
        }
        check_finite_rows("features", &self.x.view())?;
        check_finite_rows("targets", &self.y.view())
    }

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
        let split = split_indices(districts.len(), seed)?;
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
        let raw_train = features(districts, &split.train, &bedrooms_fill)?;
        check_districts(&raw_train, &split.train)?; // no NaN or ∞ goes on
        let standardiser = Standardiser::fit(raw_train.view())
            .map_err(|e| HousingError::Invalid(e.to_string()))?;
        let part = |rows: &[usize]| -> Result<Part, HousingError> {
            let raw = features(districts, rows, &bedrooms_fill)?;
            check_districts(&raw, rows)?;
            let y = targets(districts, rows)?;
            check_districts(&y, rows)?;
            let x = standardiser
                .transform(raw.view())
                .map_err(|e| HousingError::Invalid(e.to_string()))?;
            Part::new(x, y).map_err(|e| HousingError::Invalid(e.to_string()))
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

/// Refuses a NaN or an infinity among the features or targets of the
/// districts `rows` (a district with 0 households, say, whose averages
/// divide by zero), naming the district.
fn check_districts(values: &Array2<f32>, rows: &[usize]) -> Result<(), HousingError> {
    let bad = values
        .rows()
        .into_iter()
        .zip(rows)
        .find(|(row, _)| row.iter().any(|v| !v.is_finite()));
    match bad {
        None => Ok(()),
        Some((row, &district)) => Err(HousingError::Invalid(format!(
            "district {district} gives {row}: every feature and target must be a finite number"
        ))),
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
        let split = split_indices(40, 7).unwrap();
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
        let raw_valid = features(&districts, &split.valid, &want_fill).unwrap();
        let again = data.standardiser.transform(raw_valid.view()).unwrap();
        assert_eq!(again, data.valid.x);
        assert_eq!(data.test.y, targets(&districts, &split.test).unwrap());
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

    #[test]
    fn a_district_that_gives_a_nan_or_an_infinity_is_named() {
        let mut districts: Vec<District> = (0..20).map(|i| district(i, Some(50.0))).collect();
        districts[13].households = 0.0; // every average divides by zero
        let err = HousingData::prepare(&districts, 1).unwrap_err().to_string();
        assert!(err.contains("district 13"), "{err}");
        districts[13].households = 10.0;
        districts[5].median_income = f32::NAN;
        let err = HousingData::prepare(&districts, 1).unwrap_err().to_string();
        assert!(err.contains("district 5"), "{err}");
        districts[5].median_income = 2.0;
        districts[7].median_house_value = f32::INFINITY;
        let err = HousingData::prepare(&districts, 1).unwrap_err().to_string();
        assert!(err.contains("district 7"), "{err}");
    }

    #[test]
    fn a_part_refuses_non_finite_values_and_mismatched_rows() {
        let x = Array2::<f32>::zeros((3, 2));
        assert!(Part::new(x.clone(), Array2::zeros((3, 1))).is_ok());
        assert!(Part::new(x.clone(), Array2::zeros((2, 1))).is_err());
        assert!(Part::new(x.clone(), Array2::zeros((3, 0))).is_err());
        let mut y = Array2::<f32>::zeros((3, 1));
        y[[2, 0]] = f32::NEG_INFINITY;
        let err = Part::new(x, y).unwrap_err().to_string();
        assert!(err.contains("targets row 2"), "{err}");
    }
}
