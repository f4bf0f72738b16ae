//! Threshold logic units: a weighted sum of the inputs, then a step.
//!
//! A threshold logic unit (TLU) takes real inputs `x_1, …, x_n`, forms the
//! *net input* `z = w_1 x_1 + … + w_n x_n + b` and answers with a step
//! function of `z`: it fires when `z ≥ 0`. The two step
//! functions in use differ only in what "not firing" is called: 0 for the
//! Heaviside step, −1 for the sign function.

use ndarray::{Array1, ArrayView1};

use crate::PerceptronError;

// ANCHOR: step
/// The Heaviside step: 1 when `z ≥ 0`, else 0. It is chapter 1's unit step,
/// under the name this chapter uses.
pub use ch01_neurons::unit_step as heaviside;

/// The sign step: +1 when `z ≥ 0`, else −1.
pub fn sign(z: f32) -> f32 {
    if z >= 0.0 { 1.0 } else { -1.0 }
}

/// Which step function a unit applies to its net input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepFunction {
    /// Outputs 0 or 1 ([`heaviside`]).
    Heaviside,
    /// Outputs −1 or +1 ([`sign`]).
    Sign,
}

impl StepFunction {
    /// The step applied to one net input.
    pub fn value(self, z: f32) -> f32 {
        match self {
            StepFunction::Heaviside => heaviside(z),
            StepFunction::Sign => sign(z),
        }
    }

    /// The two values the step can output: `[off, on]`.
    pub fn outputs(self) -> [f32; 2] {
        match self {
            StepFunction::Heaviside => [0.0, 1.0],
            StepFunction::Sign => [-1.0, 1.0],
        }
    }
}
// ANCHOR_END: step

// ANCHOR: tlu
/// One threshold logic unit: weights, a bias and a step function.
#[derive(Clone, Debug, PartialEq)]
pub struct Tlu {
    /// One weight per input.
    pub weights: Array1<f32>,
    /// The bias `b`: minus the threshold the weighted sum must reach.
    pub bias: f32,
    /// The step applied to the net input.
    pub step: StepFunction,
}

impl Tlu {
    /// The net input `z = w·x + b`.
    pub fn net_input(&self, x: ArrayView1<f32>) -> Result<f32, PerceptronError> {
        if x.len() != self.weights.len() {
            return Err(PerceptronError::ShapeMismatch {
                what: "TLU input".into(),
                expected: vec![self.weights.len()],
                found: vec![x.len()],
            });
        }
        Ok(self.weights.dot(&x) + self.bias)
    }

    /// The unit's answer: the step of the net input.
    pub fn output(&self, x: ArrayView1<f32>) -> Result<f32, PerceptronError> {
        Ok(self.step.value(self.net_input(x)?))
    }
}
// ANCHOR_END: tlu

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn steps_fire_at_zero_and_above() {
        assert_eq!(heaviside(-0.001), 0.0);
        assert_eq!(heaviside(0.0), 1.0);
        assert_eq!(heaviside(3.0), 1.0);
        assert_eq!(sign(-2.0), -1.0);
        assert_eq!(sign(0.0), 1.0);
        assert_eq!(StepFunction::Sign.value(-0.5), -1.0);
        assert_eq!(StepFunction::Heaviside.outputs(), [0.0, 1.0]);
    }

    #[test]
    fn a_tlu_with_threshold_1_5_computes_and() {
        let and = Tlu {
            weights: array![1.0, 1.0],
            bias: -1.5,
            step: StepFunction::Heaviside,
        };
        let answers: Vec<f32> = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
            .iter()
            .map(|x| and.output(ndarray::aview1(x)).unwrap())
            .collect();
        assert_eq!(answers, vec![0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn a_tlu_names_the_shapes_it_cannot_use() {
        let unit = Tlu {
            weights: array![1.0, 1.0],
            bias: 0.0,
            step: StepFunction::Sign,
        };
        let err = unit.net_input(array![1.0, 2.0, 3.0].view()).unwrap_err();
        assert_eq!(
            err,
            PerceptronError::ShapeMismatch {
                what: "TLU input".into(),
                expected: vec![2],
                found: vec![3],
            }
        );
        assert!(err.to_string().contains("[2]"));
    }
}
