//! Hebbian association: a linear associator that learns pattern pairs with
//! the outer-product rule and recalls one pattern from the other.
//!
//! Patterns are *bipolar*: every entry is +1 or −1. We keep the book's
//! convention of one sample per row, so the weight matrix has shape
//! `inputs × outputs` and a batch is recalled as `X · W`.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Zip};
use rand::Rng;

use crate::error::{HebbError, check_rate, check_size, mismatch, same_shape};

/// A linear associator: one layer of linear neurons with weights learned by
/// Hebb's rule from pairs (key `x`, value `y`).
#[derive(Clone, Debug, PartialEq)]
pub struct LinearAssociator {
    weights: Array2<f32>,
}

impl LinearAssociator {
    /// An associator with all weights zero: it has learned nothing yet. An
    /// error if it would hold more than [`MAX_ELEMENTS`](crate::error::MAX_ELEMENTS)
    /// weights.
    pub fn new(n_inputs: usize, n_outputs: usize) -> Result<Self, HebbError> {
        check_size("an associator's weights", &[n_inputs, n_outputs])?;
        Ok(Self {
            weights: Array2::zeros((n_inputs, n_outputs)),
        })
    }

    /// The weights, shape `inputs × outputs`.
    pub fn weights(&self) -> ArrayView2<'_, f32> {
        self.weights.view()
    }

    // ANCHOR: store
    /// Stores one pair by Hebb's rule with the output clamped to `y`:
    /// the synapse from input i to output j changes by η xᵢ yⱼ, that is
    /// W ← W + η xᵀ y, the outer product of the row vectors x and y.
    pub fn store(
        &mut self,
        x: ArrayView1<f32>,
        y: ArrayView1<f32>,
        eta: f32,
    ) -> Result<(), HebbError> {
        check_rate(eta)?;
        same_shape(
            "a key and the associator's inputs",
            x.shape(),
            &[self.weights.nrows()],
        )?;
        same_shape(
            "a value and the associator's outputs",
            y.shape(),
            &[self.weights.ncols()],
        )?;
        for (mut row, &xi) in self.weights.rows_mut().into_iter().zip(x) {
            row.scaled_add(eta * xi, &y);
        }
        Ok(())
    }
    // ANCHOR_END: store

    // ANCHOR: learn
    /// Learns every pair at once: row `k` of `keys` is associated with row
    /// `k` of `values`, with η = 1/n for n inputs, so that a bipolar key
    /// recalls its own value at full strength. The result is
    /// W = η Σₖ xₖᵀ yₖ = (1/n) XᵀY, the sum of the pairs' outer products.
    pub fn learn(keys: ArrayView2<f32>, values: ArrayView2<f32>) -> Result<Self, HebbError> {
        if keys.nrows() != values.nrows() || keys.ncols() == 0 {
            let what = "keys and values (one pair per row, keys not empty)";
            return Err(mismatch(what, keys.shape(), values.shape()));
        }
        let mut memory = Self::new(keys.ncols(), values.ncols())?;
        let eta = 1.0 / keys.ncols() as f32;
        for (x, y) in keys.rows().into_iter().zip(values.rows()) {
            memory.store(x, y, eta)?;
        }
        Ok(memory)
    }
    // ANCHOR_END: learn

    // ANCHOR: recall
    /// What the associator answers to each key in the batch: `keys · W`.
    pub fn recall(&self, keys: ArrayView2<f32>) -> Result<Array2<f32>, HebbError> {
        if keys.ncols() != self.weights.nrows() {
            return Err(mismatch("keys · W", keys.shape(), self.weights.shape()));
        }
        check_size("recalled patterns", &[keys.nrows(), self.weights.ncols()])?;
        Ok(keys.dot(&self.weights))
    }
    // ANCHOR_END: recall
}

/// The sign of each entry as a bipolar pattern: +1 for `v ≥ 0`, −1 below.
pub fn bipolar(v: ArrayView2<f32>) -> Array2<f32> {
    v.mapv(|e| if e >= 0.0 { 1.0 } else { -1.0 })
}

/// The fraction of entries where `recalled` and `target` have the same sign.
pub fn sign_agreement(
    recalled: ArrayView2<f32>,
    target: ArrayView2<f32>,
) -> Result<f32, HebbError> {
    same_shape(
        "recalled and target patterns",
        recalled.shape(),
        target.shape(),
    )?;
    if target.is_empty() {
        return Err(HebbError::EmptyData);
    }
    let mut same = 0usize;
    Zip::from(&recalled)
        .and(&target)
        .for_each(|&r, &t| same += usize::from((r >= 0.0) == (t >= 0.0)));
    Ok(same as f32 / target.len() as f32)
}

// ANCHOR: hadamard
/// `2^k` mutually orthogonal bipolar patterns of length `2^k`: the rows of
/// a Hadamard matrix. Start from the 1 × 1 matrix (1) and double k times:
/// the new matrix has H, H in its top half and H, −H in its bottom half,
/// written [[H, H], [H, −H]].
pub fn hadamard(k: u32) -> Result<Array2<f32>, HebbError> {
    if k > 12 {
        return Err(HebbError::InvalidArgument(format!(
            "2^{k} rows is too many (k ≤ 12)"
        )));
    }
    let mut h = Array2::from_elem((1, 1), 1.0f32);
    for _ in 0..k {
        let n = h.nrows();
        // Entry (i, j) copies H at (i mod n, j mod n), negated in the
        // bottom-right quarter.
        h = Array2::from_shape_fn((2 * n, 2 * n), |(i, j)| {
            let sign = if i >= n && j >= n { -1.0 } else { 1.0 };
            sign * h[[i % n, j % n]]
        });
    }
    Ok(h)
}
// ANCHOR_END: hadamard

/// `rows` random bipolar patterns of length `cols`, each entry ±1 with
/// equal chance. An error if that is more than
/// [`MAX_ELEMENTS`](crate::error::MAX_ELEMENTS) entries.
pub fn random_bipolar(
    rows: usize,
    cols: usize,
    rng: &mut impl Rng,
) -> Result<Array2<f32>, HebbError> {
    check_size("random patterns", &[rows, cols])?;
    Ok(Array2::from_shape_simple_fn((rows, cols), || {
        if rng.random::<bool>() { 1.0 } else { -1.0 }
    }))
}

/// A copy of `pattern` with the entries at `positions` flipped in sign: a
/// noisy cue. Positions past the end are an error.
pub fn flip(pattern: ArrayView1<f32>, positions: &[usize]) -> Result<Array1<f32>, HebbError> {
    let mut noisy = pattern.to_owned();
    for &p in positions {
        let entry = noisy.get_mut(p).ok_or_else(|| {
            HebbError::InvalidArgument(format!(
                "position {p} is past the end of a pattern of length {}",
                pattern.len()
            ))
        })?;
        *entry = -*entry;
    }
    Ok(noisy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch00_toolbox::seeded_rng;
    use ndarray::array;

    #[test]
    fn hadamard_rows_are_orthogonal() {
        let h = hadamard(4).unwrap();
        assert_eq!(h.dot(&h.t()), Array2::<f32>::eye(16) * 16.0);
    }

    #[test]
    fn storing_pair_by_pair_equals_the_outer_product_formula() {
        let mut rng = seeded_rng(3);
        let keys = random_bipolar(5, 12, &mut rng).unwrap();
        let values = random_bipolar(5, 4, &mut rng).unwrap();
        let memory = LinearAssociator::learn(keys.view(), values.view()).unwrap();
        let formula = keys.t().dot(&values) / 12.0;
        assert!(
            (&memory.weights() - &formula)
                .iter()
                .all(|e| e.abs() < 1e-6)
        );
    }

    #[test]
    fn a_single_pair_is_recalled_exactly() {
        let x = array![[1.0f32, -1.0, 1.0, 1.0]];
        let y = array![[-1.0f32, 1.0]];
        let memory = LinearAssociator::learn(x.view(), y.view()).unwrap();
        assert_eq!(memory.recall(x.view()).unwrap(), y);
    }

    #[test]
    fn shapes_are_checked() {
        let mut memory = LinearAssociator::new(3, 2).unwrap();
        assert!(
            memory
                .store(array![1.0f32, 1.0].view(), array![1.0, 1.0].view(), 0.5)
                .is_err()
        );
        assert!(memory.recall(array![[1.0f32, 1.0]].view()).is_err());
        let keys = Array2::<f32>::ones((3, 4));
        assert!(LinearAssociator::learn(keys.view(), Array2::ones((2, 4)).view()).is_err());
        assert!(flip(array![1.0f32, 1.0].view(), &[2]).is_err());
        assert!(sign_agreement(array![[1.0f32]].view(), array![[1.0f32, 2.0]].view()).is_err());
    }
}
