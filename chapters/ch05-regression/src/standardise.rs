//! Standardisation: giving every feature mean 0 and standard deviation 1.
//!
//! Gradient descent takes one learning rate for every weight. If one feature
//! counts people (thousands) and another is a ratio near 1, the same step is
//! far too big for one weight and far too small for the other. Rescaling each
//! column to \\((x - \mu) / \sigma\\) puts them on one footing. The mean and
//! spread come from the *training* set only, and the very same numbers are
//! then applied to the validation and test sets: the model must never see
//! statistics of data it is evaluated on.

use ch04_backprop::NetError;
use ndarray::{Array1, Array2, ArrayView2, Axis};

// ANCHOR: standardiser
/// Per-column mean and standard deviation, learnt once with
/// [`Standardiser::fit`] and applied to any batch with the same columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Standardiser {
    /// The mean of each column of the data it was fitted on.
    pub mean: Array1<f32>,
    /// The standard deviation of each column (population formula); a column
    /// that never varies gets 1, so that it maps to 0 instead of NaN.
    pub std: Array1<f32>,
}

impl Standardiser {
    /// Learns the statistics of the columns of `x` (`n × d`, `n ≥ 1`).
    pub fn fit(x: ArrayView2<f32>) -> Result<Standardiser, NetError> {
        if x.nrows() == 0 {
            return Err(NetError::EmptyBatch);
        }
        // Accumulate in f64: a column such as population has large values.
        let x64 = x.mapv(f64::from);
        let mean = x64.mean_axis(Axis(0)).ok_or(NetError::EmptyBatch)?;
        let std = x64.std_axis(Axis(0), 0.0);
        Ok(Standardiser {
            mean: mean.mapv(|m| m as f32),
            std: std.mapv(|s| if s > 1e-12 { s as f32 } else { 1.0 }),
        })
    }

    /// `(x - mean) / std`, column by column.
    pub fn transform(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.check(x)?;
        Ok((&x - &self.mean) / &self.std)
    }
    // ANCHOR_END: standardiser

    /// Undoes [`Standardiser::transform`]: `x * std + mean`.
    pub fn inverse_transform(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.check(x)?;
        Ok(&x * &self.std + &self.mean)
    }

    /// The number of columns this standardiser was fitted on.
    pub fn n_features(&self) -> usize {
        self.mean.len()
    }

    fn check(&self, x: ArrayView2<f32>) -> Result<(), NetError> {
        if x.ncols() != self.n_features() {
            return Err(NetError::ShapeMismatch {
                what: "batch to standardise (one column per fitted feature)".to_string(),
                expected: vec![0, self.n_features()],
                found: x.shape().to_vec(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn transformed_training_data_has_mean_zero_and_std_one() {
        let x = array![[1.0f32, 100.0, 5.0], [2.0, 300.0, 5.0], [6.0, 200.0, 5.0]];
        let s = Standardiser::fit(x.view()).unwrap();
        assert!((s.mean[0] - 3.0).abs() < 1e-6 && (s.mean[1] - 200.0).abs() < 1e-4);
        let z = s.transform(x.view()).unwrap();
        for j in 0..2 {
            let col = z.column(j);
            assert!(col.mean().unwrap().abs() < 1e-6);
            let var = col.mapv(|v| v * v).mean().unwrap();
            assert!((var - 1.0).abs() < 1e-5, "column {j}: variance {var}");
        }
        // A constant column maps to zeros, not NaN.
        assert!(z.column(2).iter().all(|&v| v == 0.0));
    }

    #[test]
    fn other_data_uses_the_training_statistics_and_round_trips() {
        let train = array![[0.0f32, 10.0], [2.0, 30.0]];
        let s = Standardiser::fit(train.view()).unwrap();
        let test = array![[4.0f32, 20.0]];
        let z = s.transform(test.view()).unwrap();
        // mean (1, 20), std (1, 10)
        assert_eq!(z, array![[3.0f32, 0.0]]);
        let back = s.inverse_transform(z.view()).unwrap();
        assert_eq!(back, test);
    }

    #[test]
    fn wrong_widths_and_empty_batches_are_errors() {
        let s = Standardiser::fit(array![[1.0f32, 2.0]].view()).unwrap();
        let err = s.transform(array![[1.0f32, 2.0, 3.0]].view()).unwrap_err();
        assert!(err.to_string().contains("[1, 3]"), "{err}");
        assert_eq!(
            Standardiser::fit(Array2::<f32>::zeros((0, 2)).view()).unwrap_err(),
            NetError::EmptyBatch
        );
    }
}
