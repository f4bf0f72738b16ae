//! Where `fit` gets its batches from.
//!
//! A training loop needs only two things from a data set: how many samples
//! it has, and the samples at some indices, as rows of `f32` with their
//! targets. The [`Dataset`] trait asks exactly that. Fashion-MNIST's
//! [`Split`] implements it by scaling the requested images from bytes as it
//! copies them (chapter 7's `gather_scaled`), so the 55 000 training images
//! stay in memory as 43 MB of `u8` rather than 172 MB of `f32`.
//!
//! Targets come in two kinds (chapter 8's [`TargetKind`]): class labels for
//! a classifier, rows of real values for a regressor. [`InMemory`] holds
//! either, so `fit`, `evaluate` and `predict_dataset` work the same for both.

use ch04_backprop::NetError;
use ch07_fashion_mnist::Split;
use ch08_sequential::targets::check_finite;
use ch08_sequential::{TargetKind, Targets};
use ndarray::{Array2, ArrayView2};

use crate::error::TrainError;

// ANCHOR: dataset
/// Samples and targets that a model can be trained or evaluated on.
pub trait Dataset {
    /// The number of samples.
    fn len(&self) -> usize;

    /// Whether there are no samples.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of values in one sample (784 for a Fashion-MNIST image).
    fn sample_width(&self) -> usize;

    /// The kind of the targets: class labels or real values.
    fn target_kind(&self) -> TargetKind;

    /// The number of targets per sample: 1 for a class label, `k` for rows
    /// of `k` real values.
    fn target_width(&self) -> usize;

    /// The names and widths of the inputs that lie side by side in each
    /// sample row, for a data set of several named inputs (chapter 10's
    /// models of several inputs); `None` for one unnamed input.
    fn input_layout(&self) -> Option<Vec<(String, usize)>> {
        None
    }

    /// The names and widths of the targets that lie side by side in each
    /// row of real values, for a data set with one target per output of a
    /// model of several outputs; `None` for one unnamed target.
    fn target_layout(&self) -> Option<Vec<(String, usize)>> {
        None
    }

    /// Writes the samples `indices`, in that order, into the rows of `x`
    /// (shape `indices.len() × sample_width`) and their targets into
    /// `targets`.
    fn gather(
        &self,
        indices: &[usize],
        x: &mut Array2<f32>,
        targets: &mut BatchTargets,
    ) -> Result<(), TrainError>;

    /// The samples as bytes, each standing for `byte / 255` as chapter 7
    /// scales a pixel, and a class label per sample, when the data set holds
    /// them so: an engine may then read each batch straight from them
    /// instead of asking `gather` for a copy. `None` otherwise.
    fn bytes(&self) -> Option<(ArrayView2<'_, u8>, &[u8])> {
        None
    }
}

impl Dataset for Split {
    fn len(&self) -> usize {
        Split::len(self)
    }

    fn sample_width(&self) -> usize {
        self.pixels_per_image()
    }

    fn target_kind(&self) -> TargetKind {
        TargetKind::Labels
    }

    fn target_width(&self) -> usize {
        1
    }

    fn gather(
        &self,
        indices: &[usize],
        x: &mut Array2<f32>,
        targets: &mut BatchTargets,
    ) -> Result<(), TrainError> {
        self.gather_scaled(indices, x)?; // checks every index
        let labels = targets.labels_mut();
        labels.extend(indices.iter().map(|&i| self.labels[i]));
        Ok(())
    }

    fn bytes(&self) -> Option<(ArrayView2<'_, u8>, &[u8])> {
        Some((self.try_flat().ok()?, self.labels.as_slice()?))
    }
}
// ANCHOR_END: dataset

// ANCHOR: batch_targets
/// The targets of a batch, owned: the buffer that [`Dataset::gather`]
/// fills, reused from batch to batch.
#[derive(Clone, Debug, PartialEq)]
pub enum BatchTargets {
    /// One class label per sample.
    Labels(Vec<u8>),
    /// One row of real values per sample.
    Values(Array2<f32>),
}

impl BatchTargets {
    /// The targets, borrowed, as chapter 8's `train_on_batch` takes them.
    pub fn view(&self) -> Targets<'_> {
        match self {
            BatchTargets::Labels(labels) => Targets::Labels(labels),
            BatchTargets::Values(values) => Targets::Values(values.view()),
        }
    }

    /// An empty list of labels to push to, reusing the buffer if it already
    /// holds labels.
    pub fn labels_mut(&mut self) -> &mut Vec<u8> {
        if !matches!(self, BatchTargets::Labels(_)) {
            *self = BatchTargets::Labels(Vec::new());
        }
        match self {
            BatchTargets::Labels(labels) => {
                labels.clear();
                labels
            }
            BatchTargets::Values(_) => unreachable!("just replaced by labels"),
        }
    }

    /// A `rows × width` matrix of values to write into, reallocated only
    /// when its shape changes.
    pub fn values_mut(&mut self, rows: usize, width: usize) -> &mut Array2<f32> {
        let fits = matches!(self, BatchTargets::Values(v) if v.dim() == (rows, width));
        if !fits {
            *self = BatchTargets::Values(Array2::zeros((rows, width)));
        }
        match self {
            BatchTargets::Values(values) => values,
            BatchTargets::Labels(_) => unreachable!("just replaced by values"),
        }
    }
}
// ANCHOR_END: batch_targets

// ANCHOR: in_memory
/// A data set already in memory: an `n × d` matrix of `f32` samples and
/// their targets, `n` class labels or an `n × k` matrix of real values (a
/// small subset in a notebook, a regression table, synthetic data in a
/// test).
#[derive(Clone, Copy, Debug)]
pub struct InMemory<'a> {
    x: ArrayView2<'a, f32>,
    targets: Targets<'a>,
}

impl<'a> InMemory<'a> {
    /// Pairs samples (one per row) with targets: `&labels` (`u8`) or
    /// `y.view()` (`n × k` of `f32`, `k ≥ 1`). The counts must agree, and
    /// every sample and real-valued target must be a finite number; the
    /// error names the first row that is not.
    pub fn new(
        x: ArrayView2<'a, f32>,
        targets: impl Into<Targets<'a>>,
    ) -> Result<InMemory<'a>, TrainError> {
        let targets = targets.into();
        if x.nrows() != targets.len() {
            let what = match targets.kind() {
                TargetKind::Labels => "labels (one per row of the samples)",
                TargetKind::Values => "targets (one row per row of the samples)",
            };
            return Err(NetError::shape(what, &[x.nrows()], &[targets.len()]).into());
        }
        check_finite("sample", &x)?;
        if let Targets::Values(y) = targets {
            if y.ncols() == 0 {
                return Err(TrainError::InvalidOption(
                    "real-valued targets need at least one column".into(),
                ));
            }
            check_finite("target", &y)?;
        }
        Ok(InMemory { x, targets })
    }
}
// ANCHOR_END: in_memory

impl Dataset for InMemory<'_> {
    fn len(&self) -> usize {
        self.x.nrows()
    }

    fn sample_width(&self) -> usize {
        self.x.ncols()
    }

    fn target_kind(&self) -> TargetKind {
        self.targets.kind()
    }

    fn target_width(&self) -> usize {
        match self.targets {
            Targets::Labels(_) => 1,
            Targets::Values(y) => y.ncols(),
        }
    }

    fn gather(
        &self,
        indices: &[usize],
        x: &mut Array2<f32>,
        targets: &mut BatchTargets,
    ) -> Result<(), TrainError> {
        if x.dim() != (indices.len(), self.x.ncols()) {
            return Err(NetError::shape(
                "batch buffer",
                &[indices.len(), self.x.ncols()],
                x.shape(),
            )
            .into());
        }
        if let Some(&i) = indices.iter().find(|&&i| i >= self.len()) {
            return Err(TrainError::InvalidOption(format!(
                "sample index {i} is out of range for a data set of {} samples",
                self.len()
            )));
        }
        for (mut row, &i) in x.rows_mut().into_iter().zip(indices) {
            row.assign(&self.x.row(i));
        }
        match self.targets {
            Targets::Labels(labels) => {
                targets
                    .labels_mut()
                    .extend(indices.iter().map(|&i| labels[i]));
            }
            Targets::Values(y) => {
                let out = targets.values_mut(indices.len(), y.ncols());
                for (mut row, &i) in out.rows_mut().into_iter().zip(indices) {
                    row.assign(&y.row(i));
                }
            }
        }
        Ok(())
    }
}

/// A reusable batch: the rows and targets of the samples being worked on.
/// The buffers are reallocated only when the batch size changes (for the
/// last, shorter batch of an epoch), never for every batch.
#[derive(Clone, Debug)]
pub struct Batch {
    /// `B × d` samples.
    pub x: Array2<f32>,
    /// `B` labels or `B × k` values.
    pub targets: BatchTargets,
}

impl Batch {
    /// An empty batch for samples of `width` values.
    pub fn new(width: usize) -> Batch {
        Batch {
            x: Array2::zeros((0, width)),
            targets: BatchTargets::Labels(Vec::new()),
        }
    }

    /// Fills the batch with the samples `indices` of `data`.
    pub fn fill(&mut self, data: &dyn Dataset, indices: &[usize]) -> Result<(), TrainError> {
        let width = data.sample_width();
        if self.x.dim() != (indices.len(), width) {
            self.x = Array2::zeros((indices.len(), width));
        }
        data.gather(indices, &mut self.x, &mut self.targets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn in_memory_gathers_rows_and_labels_in_order() {
        let x = array![[0.0f32, 1.0], [2.0, 3.0], [4.0, 5.0]];
        let labels = [7u8, 8, 9];
        let data = InMemory::new(x.view(), &labels).unwrap();
        assert_eq!(
            (data.target_kind(), data.target_width()),
            (TargetKind::Labels, 1)
        );
        let mut batch = Batch::new(2);
        batch.fill(&data, &[2, 0]).unwrap();
        assert_eq!(batch.x, array![[4.0f32, 5.0], [0.0, 1.0]]);
        assert_eq!(batch.targets, BatchTargets::Labels(vec![9, 7]));
        assert!(batch.fill(&data, &[3]).is_err());
        assert!(InMemory::new(x.view(), &labels[..2]).is_err());
    }

    #[test]
    fn in_memory_gathers_real_valued_targets_in_order() {
        let x = array![[0.0f32], [1.0], [2.0]];
        let y = array![[10.0f32, -1.0], [11.0, -2.0], [12.0, -3.0]];
        let data = InMemory::new(x.view(), y.view()).unwrap();
        assert_eq!(
            (data.target_kind(), data.target_width()),
            (TargetKind::Values, 2)
        );
        let mut batch = Batch::new(1);
        batch.fill(&data, &[1, 2]).unwrap();
        assert_eq!(batch.x, array![[1.0f32], [2.0]]);
        assert_eq!(
            batch.targets,
            BatchTargets::Values(array![[11.0f32, -2.0], [12.0, -3.0]])
        );
        batch.fill(&data, &[0]).unwrap();
        assert_eq!(batch.targets, BatchTargets::Values(array![[10.0f32, -1.0]]));
    }
}
