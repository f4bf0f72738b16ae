//! What a model learns to output: a class label per sample, or a row of
//! real numbers per sample.
//!
//! A classifier of chapter 6 is trained on *labels*, one small integer per
//! sample (`u8`, a class number). A regressor of chapter 5 is trained on
//! *values*, one row of `f32` per sample: a single house price, or several
//! numbers at once. [`Targets`] carries either kind, borrowed, so that one
//! `train_on_batch` serves both; each loss and metric says which kinds it
//! accepts ([`TargetKind`]).

use ch04_backprop::NetError;
use ndarray::{Array2, ArrayView2};

// ANCHOR: targets
/// The two kinds of target a model can be trained on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// One class number per sample: a classifier's targets.
    Labels,
    /// A row of real numbers per sample, as many as the model has outputs:
    /// a regressor's targets.
    Values,
}

/// The targets of a batch, borrowed: class labels or real values.
#[derive(Clone, Copy, Debug)]
pub enum Targets<'a> {
    /// `B` class numbers, one per sample.
    Labels(&'a [u8]),
    /// `B × k` real numbers, one row per sample.
    Values(ArrayView2<'a, f32>),
}
// ANCHOR_END: targets

impl TargetKind {
    /// How the kind is named in messages: "class labels" or "real values".
    pub fn describe(self) -> &'static str {
        match self {
            TargetKind::Labels => "class labels (u8)",
            TargetKind::Values => "real-valued targets (f32)",
        }
    }
}

impl Targets<'_> {
    /// Which kind of target this is.
    pub fn kind(&self) -> TargetKind {
        match self {
            Targets::Labels(_) => TargetKind::Labels,
            Targets::Values(_) => TargetKind::Values,
        }
    }

    /// The number of samples the targets are for.
    pub fn len(&self) -> usize {
        match self {
            Targets::Labels(l) => l.len(),
            Targets::Values(v) => v.nrows(),
        }
    }

    /// Whether there are no targets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks that there is one target per sample of a batch of `rows`
    /// samples and, for real values, that every one is a finite number.
    pub fn check(&self, rows: usize) -> Result<(), NetError> {
        if self.len() != rows {
            let what = match self.kind() {
                TargetKind::Labels => "labels (one per sample)",
                TargetKind::Values => "rows of targets (one per sample)",
            };
            return Err(NetError::shape(what, &[rows], &[self.len()]));
        }
        if let Targets::Values(v) = self {
            check_finite("target", v)?;
        }
        Ok(())
    }
}

/// Refuses a NaN or an infinity in `v`, naming its row and column
/// (chapter 4's check, the one every data set of the book uses).
pub use ch04_backprop::error::check_finite_rows as check_finite;

impl<'a> From<&'a [u8]> for Targets<'a> {
    fn from(labels: &'a [u8]) -> Self {
        Targets::Labels(labels)
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Targets<'a> {
    fn from(labels: &'a [u8; N]) -> Self {
        Targets::Labels(labels)
    }
}

impl<'a> From<&'a Vec<u8>> for Targets<'a> {
    fn from(labels: &'a Vec<u8>) -> Self {
        Targets::Labels(labels)
    }
}

impl<'a> From<ArrayView2<'a, f32>> for Targets<'a> {
    fn from(values: ArrayView2<'a, f32>) -> Self {
        Targets::Values(values)
    }
}

impl<'a> From<&'a Array2<f32>> for Targets<'a> {
    fn from(values: &'a Array2<f32>) -> Self {
        Targets::Values(values.view())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn targets_know_their_kind_and_refuse_bad_rows() {
        let labels = [1u8, 2];
        let t = Targets::from(&labels);
        assert_eq!((t.kind(), t.len()), (TargetKind::Labels, 2));
        assert!(t.check(2).is_ok());
        assert!(t.check(3).is_err());
        let y = array![[1.0f32], [f32::NAN]];
        let t = Targets::from(&y);
        assert_eq!(t.kind(), TargetKind::Values);
        let err = t.check(2).unwrap_err().to_string();
        assert!(err.contains("row 1"), "{err}");
    }
}
