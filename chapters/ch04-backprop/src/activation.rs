//! Activation functions and their derivatives.
//!
//! A layer computes `Z = X·W + b` and then `A = f(Z)`, one element at a time.
//! Backpropagation needs `f'(Z)` as well, so every activation knows its
//! derivative in closed form ([`Activation::slope`]).

use ch03_perceptron::tlu::heaviside;
use ndarray::{Array2, ArrayView2};

// ANCHOR: activation
/// The non-linearity a layer applies to each of its pre-activations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// `f(z) = z`: no non-linearity (the output layer of a regressor).
    Identity,
    /// The Heaviside step of the perceptron: `1` for `z ≥ 0`, else `0`.
    Step,
    /// The logistic sigmoid `1 / (1 + e^{-z})`, squashing into `(0, 1)`.
    Sigmoid,
    /// The hyperbolic tangent, squashing into `(-1, 1)`.
    Tanh,
    /// The rectified linear unit `max(0, z)`.
    Relu,
}
// ANCHOR_END: activation

impl Activation {
    /// All five activations, in the order the book introduces them.
    pub const ALL: [Activation; 5] = [
        Activation::Identity,
        Activation::Step,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
    ];

    /// The activation's name as the book writes it.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Step => "step",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "ReLU",
        }
    }

    // ANCHOR: value
    /// `f(z)`.
    pub fn value(self, z: f32) -> f32 {
        match self {
            Activation::Identity => z,
            Activation::Step => heaviside(z), // chapter 3's step
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => z.tanh(),
            // Not `z.max(0.0)`, which turns a NaN into 0 and hides it.
            Activation::Relu => {
                if z < 0.0 {
                    0.0
                } else {
                    z
                }
            }
        }
    }
    // ANCHOR_END: value

    // ANCHOR: slope
    /// `f'(z)`, the analytic derivative. Where `f` has a kink (ReLU and step
    /// at `0`) we take the slope from the left, `0`.
    pub fn slope(self, z: f32) -> f32 {
        match self {
            Activation::Identity => 1.0,
            // Flat on both sides of the jump: nothing to learn from.
            Activation::Step => 0.0,
            Activation::Sigmoid => {
                let s = sigmoid(z);
                s * (1.0 - s)
            }
            Activation::Tanh => {
                let t = z.tanh();
                1.0 - t * t
            }
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }
    // ANCHOR_END: slope

    /// `f` applied to every element of `z`, into a new array.
    pub fn apply(self, z: ArrayView2<f32>) -> Array2<f32> {
        z.mapv(|v| self.value(v))
    }

    /// `f` applied to every element of `z`, in place.
    pub fn apply_inplace(self, z: &mut Array2<f32>) {
        if self != Activation::Identity {
            z.mapv_inplace(|v| self.value(v));
        }
    }

    /// `f'` at every element of `z` (the elementwise derivative).
    pub fn derivative(self, z: ArrayView2<f32>) -> Array2<f32> {
        z.mapv(|v| self.slope(v))
    }
}

// ANCHOR: sigmoid
/// The logistic sigmoid, written so that it never overflows: for negative `z`
/// it uses `e^z / (1 + e^z)`, which is the same number.
pub fn sigmoid(z: f32) -> f32 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}
// ANCHOR_END: sigmoid

#[cfg(test)]
mod tests {
    #[test]
    fn every_activation_lets_a_nan_through() {
        // A NaN that an activation turned into a number would hide a
        // diverged network behind a finite loss.
        for f in Activation::ALL {
            if f != Activation::Step {
                assert!(f.value(f32::NAN).is_nan(), "{}", f.name());
            }
        }
        assert_eq!(Activation::Relu.value(-2.0), 0.0);
        assert_eq!(Activation::Relu.value(3.0), 3.0);
    }

    use super::*;
    use ndarray::array;

    // ANCHOR: slope_test
    /// The analytic slope agrees with a central difference
    /// `(f(z+h) − f(z−h)) / 2h` at the 81 points −4, −3.9, …, 4 and at
    /// ±0.005 and ±0.015, close to the kink of ReLU at 0. In f32 with
    /// `h = 1e-2` the difference is off by about `h² |f‴| / 6 ≈ 1e-5`
    /// (truncation) plus `1e-7 / h ≈ 1e-5` (rounding), far below the
    /// tolerance of `1e-3`. A difference whose two points lie on both sides
    /// of a kink measures no slope at all: ReLU's points closer than `h` to 0
    /// are skipped (at 0.005 the chord's slope is 0.75, neither 0 nor 1). The
    /// step is tested on its own below: its chord is flat away from the jump,
    /// which is all a comparison could confirm.
    #[test]
    fn analytic_slopes_match_central_differences() {
        let h = 1e-2_f32;
        let near_kink = [-0.015, -0.005, 0.005, 0.015];
        let points = (-40..=40).map(|i| i as f32 * 0.1).chain(near_kink);
        let mut skipped = 0;
        for z in points {
            for f in [Activation::Identity, Activation::Sigmoid, Activation::Tanh] {
                assert_close_slope(f, z, h);
            }
            if z.abs() < h {
                skipped += 1; // the chord straddles ReLU's kink
            } else {
                assert_close_slope(Activation::Relu, z, h);
            }
        }
        assert_eq!(skipped, 3, "0 and ±0.005 are skipped for ReLU");
    }

    fn assert_close_slope(f: Activation, z: f32, h: f32) {
        let numeric = (f.value(z + h) - f.value(z - h)) / (2.0 * h);
        let analytic = f.slope(z);
        assert!(
            (numeric - analytic).abs() < 1e-3,
            "{}: at z = {z}, analytic {analytic}, numeric {numeric}",
            f.name()
        );
    }
    // ANCHOR_END: slope_test

    // ANCHOR: step_slope_test
    /// The step is flat on both sides of its jump, so its slope is 0 there;
    /// at the jump it has no slope at all (the chord through `±h` is
    /// `1 / 2h`, which grows without limit as `h` shrinks), and the book's
    /// choice of 0 there is a convention, not a measurement.
    #[test]
    fn the_step_is_flat_except_at_its_jump() {
        let step = Activation::Step;
        for i in (-40..=40).filter(|&i| i != 0) {
            let z = i as f32 * 0.1;
            assert_eq!(step.slope(z), 0.0, "at z = {z}");
            assert_eq!(step.value(z + 0.05), step.value(z - 0.05), "at z = {z}");
        }
        assert_eq!(step.slope(0.0), 0.0, "the convention at the jump");
        for h in [1e-1_f32, 1e-2, 1e-3] {
            let chord = (step.value(h) - step.value(-h)) / (2.0 * h);
            assert!((chord - 1.0 / (2.0 * h)).abs() < 1e-3 / h, "h = {h}");
        }
    }
    // ANCHOR_END: step_slope_test

    #[test]
    fn the_step_has_no_slope_and_the_others_do() {
        for z in [-2.0, -0.3, 0.3, 2.0] {
            assert_eq!(Activation::Step.slope(z), 0.0);
            assert!(Activation::Sigmoid.slope(z) > 0.0);
            assert!(Activation::Tanh.slope(z) > 0.0);
        }
        assert_eq!(Activation::Relu.slope(-1.0), 0.0);
        assert_eq!(Activation::Relu.slope(1.0), 1.0);
    }

    #[test]
    fn sigmoid_is_finite_far_out() {
        assert_eq!(sigmoid(-200.0), 0.0);
        assert_eq!(sigmoid(200.0), 1.0);
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-7);
        assert!(Activation::Sigmoid.slope(-200.0).is_finite());
    }

    #[test]
    fn array_forms_agree_with_the_scalar_forms() {
        let z = array![[-1.5f32, 0.0, 2.0], [0.5, -0.25, 3.0]];
        for f in Activation::ALL {
            let a = f.apply(z.view());
            let mut b = z.clone();
            f.apply_inplace(&mut b);
            assert_eq!(a, b);
            let d = f.derivative(z.view());
            for ((&zi, &ai), &di) in z.iter().zip(a.iter()).zip(d.iter()) {
                assert_eq!(ai, f.value(zi));
                assert_eq!(di, f.slope(zi));
            }
        }
    }
}
