//! A short tour of `ndarray`, the array library every later chapter uses.
//!
//! A neural network touches its data in four ways, and each has one `ndarray`
//! idiom: the *shape* of a batch, the *matrix product* of a batch with a weight
//! matrix, *broadcasting* a bias over every row, and *sums along an axis* for
//! means and gradients. The functions below are tiny on purpose; the book shows
//! them one at a time.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, array};

// ANCHOR: shapes
/// A batch of three samples with two features each: one row per sample.
pub fn example_batch() -> Array2<f32> {
    array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
}
// ANCHOR_END: shapes

/// Why two arrays could not be combined: their shapes, in the book's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// What was being computed.
    pub what: &'static str,
    /// The shape on the left.
    pub left: Vec<usize>,
    /// The shape on the right.
    pub right: Vec<usize>,
}

impl std::fmt::Display for ShapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: shapes {:?} and {:?} do not fit together",
            self.what, self.left, self.right
        )
    }
}

impl std::error::Error for ShapeError {}

// ANCHOR: affine
/// `X · W + b`: every row of `x` (one sample) times the weights, plus the bias.
///
/// Shapes: `x` is `batch × inputs`, `w` is `inputs × outputs`, `b` has
/// `outputs` entries and is *broadcast*: added to every row of the product.
pub fn affine(
    x: ArrayView2<f32>,
    w: ArrayView2<f32>,
    b: ArrayView1<f32>,
) -> Result<Array2<f32>, ShapeError> {
    if x.ncols() != w.nrows() || w.ncols() != b.len() {
        return Err(ShapeError {
            what: "X · W + b",
            left: x.shape().to_vec(),
            right: w.shape().to_vec(),
        });
    }
    Ok(x.dot(&w) + b)
}
// ANCHOR_END: affine

// ANCHOR: column_means
/// The mean of each column (each feature) over the rows (the samples):
/// a sum along `Axis(0)`, divided by the number of rows.
pub fn column_means(x: ArrayView2<f32>) -> Option<Array1<f32>> {
    x.mean_axis(Axis(0))
}
// ANCHOR_END: column_means

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affine_broadcasts_the_bias_over_every_row() {
        let x = example_batch();
        let w = array![[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]];
        let b = array![10.0, 20.0, 30.0];
        let y = affine(x.view(), w.view(), b.view()).unwrap();
        assert_eq!(
            y,
            array![[11.0, 22.0, 33.0], [13.0, 24.0, 37.0], [15.0, 26.0, 41.0]]
        );
    }

    #[test]
    fn affine_names_the_shapes_that_do_not_fit() {
        let x = example_batch();
        let w = Array2::<f32>::zeros((3, 1));
        let e = affine(x.view(), w.view(), Array1::zeros(1).view()).unwrap_err();
        assert_eq!(e.left, vec![3, 2]);
        assert_eq!(e.right, vec![3, 1]);
        assert!(e.to_string().contains("[3, 2]"));
    }

    #[test]
    fn column_means_average_over_samples() {
        assert_eq!(column_means(example_batch().view()), Some(array![3.0, 4.0]));
        assert_eq!(column_means(Array2::<f32>::zeros((0, 2)).view()), None);
    }
}
