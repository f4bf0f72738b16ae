//! The perceptron convergence theorem, measured.
//!
//! Fold the bias into the weights by giving every sample an extra input that
//! is always 1: `x̃ = (x, 1)`, `w̃ = (w, b)`. Call a sample's label `s = +1`
//! for the positive class and `s = −1` for the other. If some unit vector `u`
//! gives every sample `s u·x̃ ≥ γ > 0`, and every `‖x̃‖ ≤ R`, then the
//! perceptron started at zero makes at most `(R/γ)²` mistakes, however the
//! samples are ordered (Novikoff, 1962).
//!
//! This module computes `R`, the margin `γ` of a given
//! separator, and a separator with (nearly) the widest margin.

use ndarray::{Array1, ArrayView1, ArrayView2};

use crate::PerceptronError;
use crate::perceptron::Perceptron;
use crate::tlu::StepFunction;

// ANCHOR: radius
/// `R`: the length of the longest sample once the constant input 1 has
/// been appended, `max_i ‖(x_i, 1)‖`.
pub fn radius(x: ArrayView2<f32>) -> f32 {
    x.rows()
        .into_iter()
        .map(|row| (row.dot(&row) + 1.0).sqrt())
        .fold(0.0, f32::max)
}
// ANCHOR_END: radius

// ANCHOR: margin
/// The margin of the separator `(w, b)` on labelled samples:
/// `min_i s_i (w·x_i + b) / ‖(w, b)‖`.
/// Positive exactly when every sample is on its own side.
pub fn margin(
    x: ArrayView2<f32>,
    labels: &[bool],
    weights: ArrayView1<f32>,
    bias: f32,
) -> Result<f32, PerceptronError> {
    check(x, labels)?;
    if weights.len() != x.ncols() {
        return Err(PerceptronError::ShapeMismatch {
            what: "separator weights".into(),
            expected: vec![x.ncols()],
            found: vec![weights.len()],
        });
    }
    let norm = (weights.dot(&weights) + bias * bias).sqrt();
    if norm == 0.0 {
        return Err(PerceptronError::InvalidArgument(
            "the zero vector separates nothing".into(),
        ));
    }
    let worst = x
        .rows()
        .into_iter()
        .zip(labels)
        .map(|(row, &positive)| {
            let z = row.dot(&weights) + bias;
            if positive { z } else { -z }
        })
        .fold(f32::INFINITY, f32::min);
    Ok(worst / norm)
}
// ANCHOR_END: margin

// ANCHOR: bound
/// Novikoff's bound `(R/γ)²` on the number of mistakes, or `None`
/// when the margin is not positive (the data are not separated).
pub fn novikoff_bound(radius: f32, margin: f32) -> Option<f32> {
    (margin > 0.0).then(|| (radius / margin).powi(2))
}
// ANCHOR_END: bound

/// A separator with its margin: see [`widest_margin`].
#[derive(Clone, Debug, PartialEq)]
pub struct Separator {
    /// The weights `w` (of length 1 together with the bias).
    pub weights: Array1<f32>,
    /// The bias `b`.
    pub bias: f32,
    /// The margin of this separator: a lower bound on the widest margin.
    pub margin: f32,
    /// No separator has a margin above this.
    pub upper_bound: f32,
}

impl Separator {
    /// This separator as a one-unit Heaviside perceptron, to classify with.
    pub fn perceptron(&self) -> Result<Perceptron, PerceptronError> {
        let n = self.weights.len();
        let weights = self
            .weights
            .clone()
            .into_shape_with_order((n, 1))
            .map_err(|e| PerceptronError::InvalidArgument(e.to_string()))?;
        Perceptron::from_parameters(
            weights,
            Array1::from_elem(1, self.bias),
            StepFunction::Heaviside,
        )
    }
}

/// Searches for the separator with the widest margin.
///
/// The widest margin equals the distance from the origin to the convex hull
/// of the points `s_i x̃_i`, and the nearest point of that hull, normalised,
/// is the best `u`. Gilbert's algorithm
/// walks towards that nearest point, one sample at a time, for `iterations`
/// steps. Every step gives a separator whose margin is known exactly (a lower
/// bound on the best) and a point of the hull whose length is an upper bound
/// on it; both are returned. If the data are not separable the margin comes
/// back zero or negative.
pub fn widest_margin(
    x: ArrayView2<f32>,
    labels: &[bool],
    iterations: usize,
) -> Result<Separator, PerceptronError> {
    check(x, labels)?;
    let n = x.ncols() + 1;
    // The points s_i (x_i, 1), in f64 for a careful walk.
    let points: Vec<Vec<f64>> = x
        .rows()
        .into_iter()
        .zip(labels)
        .map(|(row, &positive)| {
            let s = if positive { 1.0 } else { -1.0 };
            row.iter()
                .map(|&v| s * v as f64)
                .chain(std::iter::once(s))
                .collect()
        })
        .collect();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    let mut w = points[0].clone();
    let mut best = (f64::NEG_INFINITY, w.clone());
    let mut upper = f64::INFINITY;
    for _ in 0..iterations.max(1) {
        let norm = dot(&w, &w).sqrt();
        upper = upper.min(norm);
        if norm == 0.0 {
            break; // the origin is in the hull: not separable
        }
        // The sample closest to the wrong side of the current separator.
        let (k, worst) = points
            .iter()
            .map(|p| dot(p, &w))
            .enumerate()
            .fold((0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
        if worst / norm > best.0 {
            best = (worst / norm, w.clone());
        }
        // Move w towards that sample, to the nearest point of the segment.
        let d: Vec<f64> = points[k].iter().zip(&w).map(|(p, q)| p - q).collect();
        let dd = dot(&d, &d);
        if dd == 0.0 {
            break;
        }
        let t = (-dot(&w, &d) / dd).clamp(0.0, 1.0);
        for (wi, di) in w.iter_mut().zip(&d) {
            *wi += t * di;
        }
    }
    let (margin, u) = best;
    let norm = dot(&u, &u).sqrt().max(f64::MIN_POSITIVE);
    Ok(Separator {
        weights: u[..n - 1].iter().map(|&v| (v / norm) as f32).collect(),
        bias: (u[n - 1] / norm) as f32,
        margin: margin as f32,
        upper_bound: upper as f32,
    })
}

fn check(x: ArrayView2<f32>, labels: &[bool]) -> Result<(), PerceptronError> {
    if x.nrows() == 0 {
        return Err(PerceptronError::EmptyBatch);
    }
    if labels.len() != x.nrows() {
        return Err(PerceptronError::ShapeMismatch {
            what: "labels (one per sample)".into(),
            expected: vec![x.nrows()],
            found: vec![labels.len()],
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn radius_counts_the_constant_input() {
        let x = array![[3.0, 0.0], [0.0, 2.0]];
        assert!((radius(x.view()) - 10f32.sqrt()).abs() < 1e-6);
    }

    #[test]
    fn margin_of_a_known_separator() {
        // Points at x = -2 and x = +2 on a line; separator x = 0 (w = 1, b = 0).
        let x = array![[-2.0], [2.0]];
        let m = margin(x.view(), &[false, true], array![1.0].view(), 0.0).unwrap();
        assert!((m - 2.0).abs() < 1e-6);
        // The wrong way round gives a negative margin.
        let m = margin(x.view(), &[true, false], array![1.0].view(), 0.0).unwrap();
        assert!(m < 0.0);
        assert_eq!(novikoff_bound(3.0, m), None);
        assert_eq!(novikoff_bound(3.0, 1.5), Some(4.0));
    }

    #[test]
    fn the_widest_margin_is_bracketed() {
        // Symmetric points: with the bias folded in, the best u is (1, 0).
        let x = array![[-2.0], [-3.0], [2.0], [3.0]];
        let labels = [false, false, true, true];
        let s = widest_margin(x.view(), &labels, 200).unwrap();
        assert!(s.margin > 1.99 && s.margin <= 2.0 + 1e-5, "{s:?}");
        assert!(s.upper_bound >= s.margin - 1e-5);
        let check = margin(x.view(), &labels, s.weights.view(), s.bias).unwrap();
        assert!((check - s.margin).abs() < 1e-5);
    }

    #[test]
    fn inseparable_data_have_no_positive_margin() {
        let x = array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
        let s = widest_margin(x.view(), &[false, true, true, false], 1000).unwrap();
        assert!(s.margin <= 0.0);
    }

    #[test]
    fn labels_must_match_the_samples() {
        let x = array![[0.0], [1.0]];
        assert!(matches!(
            margin(x.view(), &[true], array![1.0].view(), 0.0),
            Err(PerceptronError::ShapeMismatch { .. })
        ));
        assert!(widest_margin(x.view(), &[true, false, true], 10).is_err());
    }
}
