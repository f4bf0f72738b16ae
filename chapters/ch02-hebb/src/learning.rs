//! Running a learning rule over a data set and recording the weights.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

use crate::error::{HebbError, check_size, same_shape};
use crate::{hebb, oja};

/// Which learning rule to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Plain Hebb: Δw = η y xᵀ.
    Hebb,
    /// Oja: Δw = η y (xᵀ − y w).
    Oja,
}

impl Rule {
    /// One update of `w` on the sample `x`; returns the neuron's output.
    pub fn update(
        self,
        w: &mut Array1<f32>,
        x: ArrayView1<f32>,
        eta: f32,
    ) -> Result<f32, HebbError> {
        match self {
            Rule::Hebb => hebb::hebb_update(w, x, eta),
            Rule::Oja => oja::oja_update(w, x, eta),
        }
    }
}

/// The weight vector after every update of a training run.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// Row 0 is the starting vector, row `t` the vector after `t` updates.
    pub weights: Array2<f32>,
    /// The update at which a weight stopped being a finite `f32`, if one
    /// did; the run stops there and `weights` holds the finite part.
    pub overflow_at: Option<usize>,
}

impl Trajectory {
    /// The length ‖w‖ after each update.
    pub fn norms(&self) -> Vec<f32> {
        self.weights.rows().into_iter().map(norm).collect()
    }

    /// The last weight vector (empty if the trajectory has no rows).
    pub fn last(&self) -> ArrayView1<'_, f32> {
        match self.weights.nrows() {
            0 => ArrayView1::from(&[]),
            rows => self.weights.row(rows - 1),
        }
    }
}

/// The Euclidean length of `v`, computed without overflow: the entries are
/// scaled by the largest one first, so lengths near `f32::MAX` stay finite.
pub fn norm(v: ArrayView1<f32>) -> f32 {
    let largest = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if largest == 0.0 || !largest.is_finite() {
        return largest;
    }
    largest * v.iter().map(|x| (x / largest).powi(2)).sum::<f32>().sqrt()
}

// ANCHOR: train
/// Runs `rule` from the weights `w0` over the rows of `data` (one sample per
/// row), `epochs` times in order, with learning rate `eta`.
pub fn train(
    rule: Rule,
    data: ArrayView2<f32>,
    w0: ArrayView1<f32>,
    eta: f32,
    epochs: usize,
) -> Result<Trajectory, HebbError> {
    if data.nrows() == 0 {
        return Err(HebbError::EmptyData);
    }
    same_shape("one sample and the weights", &[data.ncols()], w0.shape())?;
    let steps = data.nrows().saturating_mul(epochs).saturating_add(1);
    check_size("the recorded weights", &[steps, w0.len()])?;
    let mut w = w0.to_owned();
    let mut weights = Array2::zeros((0, w.len()));
    weights
        .push_row(w.view())
        .expect("the row has the matrix's width");
    for (step, x) in (1..).zip((0..epochs).flat_map(|_| data.axis_iter(Axis(0)))) {
        rule.update(&mut w, x, eta)?;
        if !w.iter().all(|v| v.is_finite()) {
            return Ok(Trajectory {
                weights,
                overflow_at: Some(step),
            });
        }
        weights
            .push_row(w.view())
            .expect("the row has the matrix's width");
    }
    Ok(Trajectory {
        weights,
        overflow_at: None,
    })
}
// ANCHOR_END: train

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn norm_survives_huge_entries() {
        assert_eq!(norm(array![3.0f32, 4.0].view()), 5.0);
        assert_eq!(norm(array![0.0f32, 0.0].view()), 0.0);
        let big = norm(array![3e37f32, 4e37].view());
        assert!((big / 5e37 - 1.0).abs() < 1e-6);
    }

    #[test]
    fn one_row_per_update_plus_the_start() {
        let data = array![[1.0f32, 0.0], [0.0, 1.0], [1.0, 1.0]];
        let t = train(Rule::Oja, data.view(), array![0.5, 0.5].view(), 0.1, 2).unwrap();
        assert_eq!(t.weights.nrows(), 1 + 3 * 2);
        assert_eq!(t.weights.row(0), array![0.5, 0.5]);
        assert_eq!(t.overflow_at, None);
    }

    #[test]
    fn hebbian_overflow_stops_the_run_and_says_when() {
        let data = array![[10.0f32, 10.0]];
        let t = train(Rule::Hebb, data.view(), array![1.0, 1.0].view(), 1.0, 100).unwrap();
        let step = t
            .overflow_at
            .expect("a rate of 1 on inputs of 10 must overflow");
        assert_eq!(t.weights.nrows(), step);
        assert!(t.weights.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn empty_or_mismatched_data_is_refused() {
        let none = Array2::<f32>::zeros((0, 2));
        assert_eq!(
            train(Rule::Hebb, none.view(), array![1.0, 1.0].view(), 0.1, 1),
            Err(HebbError::EmptyData)
        );
        let data = array![[1.0f32, 2.0, 3.0]];
        assert!(matches!(
            train(Rule::Oja, data.view(), array![1.0, 1.0].view(), 0.1, 1),
            Err(HebbError::Shape(_))
        ));
    }
}
