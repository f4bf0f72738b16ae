//! Where `fit` gets its batches from.
//!
//! A training loop needs only two things from a data set: how many samples
//! it has, and the samples at some indices, as rows of `f32` with their
//! labels. The [`Dataset`] trait asks exactly that. Fashion-MNIST's
//! [`Split`] implements it by scaling the requested images from bytes as it
//! copies them (chapter 7's `gather_scaled`), so the 55 000 training images
//! stay in memory as 43 MB of `u8` rather than 172 MB of `f32`.

use ch04_backprop::NetError;
use ch07_fashion_mnist::Split;
use ndarray::{Array2, ArrayView2};

use crate::error::TrainError;

// ANCHOR: dataset
/// Samples and labels that a model can be trained or evaluated on.
pub trait Dataset {
    /// The number of samples.
    fn len(&self) -> usize;

    /// Whether there are no samples.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of values in one sample (784 for a Fashion-MNIST image).
    fn sample_width(&self) -> usize;

    /// Writes the samples `indices`, in that order, into the rows of `x`
    /// (shape `indices.len() × sample_width`) and their labels into `labels`.
    fn gather(
        &self,
        indices: &[usize],
        x: &mut Array2<f32>,
        labels: &mut Vec<u8>,
    ) -> Result<(), TrainError>;
}

impl Dataset for Split {
    fn len(&self) -> usize {
        Split::len(self)
    }

    fn sample_width(&self) -> usize {
        self.pixels_per_image()
    }

    fn gather(
        &self,
        indices: &[usize],
        x: &mut Array2<f32>,
        labels: &mut Vec<u8>,
    ) -> Result<(), TrainError> {
        self.gather_scaled(indices, x)?; // checks every index
        labels.clear();
        labels.extend(indices.iter().map(|&i| self.labels[i]));
        Ok(())
    }
}
// ANCHOR_END: dataset

/// A data set already in memory as an `n × d` matrix of `f32` and `n` labels
/// (a small subset in a notebook, synthetic data in a test).
#[derive(Clone, Copy, Debug)]
pub struct InMemory<'a> {
    x: ArrayView2<'a, f32>,
    labels: &'a [u8],
}

impl<'a> InMemory<'a> {
    /// Pairs samples (one per row) with labels; the counts must agree.
    pub fn new(x: ArrayView2<'a, f32>, labels: &'a [u8]) -> Result<InMemory<'a>, TrainError> {
        if x.nrows() != labels.len() {
            return Err(NetError::shape(
                "labels (one per row of the samples)",
                &[x.nrows()],
                &[labels.len()],
            )
            .into());
        }
        Ok(InMemory { x, labels })
    }
}

impl Dataset for InMemory<'_> {
    fn len(&self) -> usize {
        self.labels.len()
    }

    fn sample_width(&self) -> usize {
        self.x.ncols()
    }

    fn gather(
        &self,
        indices: &[usize],
        x: &mut Array2<f32>,
        labels: &mut Vec<u8>,
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
        labels.clear();
        for (mut row, &i) in x.rows_mut().into_iter().zip(indices) {
            row.assign(&self.x.row(i));
            labels.push(self.labels[i]);
        }
        Ok(())
    }
}

/// A reusable batch: the rows and labels of the samples being worked on.
/// The buffer is reallocated only when the batch size changes (for the last,
/// shorter batch of an epoch), never for every batch.
#[derive(Clone, Debug)]
pub struct Batch {
    /// `B × d` samples.
    pub x: Array2<f32>,
    /// `B` labels.
    pub labels: Vec<u8>,
}

impl Batch {
    /// An empty batch for samples of `width` values.
    pub fn new(width: usize) -> Batch {
        Batch {
            x: Array2::zeros((0, width)),
            labels: Vec::new(),
        }
    }

    /// Fills the batch with the samples `indices` of `data`.
    pub fn fill(&mut self, data: &dyn Dataset, indices: &[usize]) -> Result<(), TrainError> {
        let width = data.sample_width();
        if self.x.dim() != (indices.len(), width) {
            self.x = Array2::zeros((indices.len(), width));
        }
        data.gather(indices, &mut self.x, &mut self.labels)
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
        let mut batch = Batch::new(2);
        batch.fill(&data, &[2, 0]).unwrap();
        assert_eq!(batch.x, array![[4.0f32, 5.0], [0.0, 1.0]]);
        assert_eq!(batch.labels, vec![9, 7]);
        assert!(batch.fill(&data, &[3]).is_err());
        assert!(InMemory::new(x.view(), &labels[..2]).is_err());
    }
}
