//! Plain stochastic gradient descent: a small step against the gradient.

use crate::dense::Dense;
use crate::error::NetError;

// ANCHOR: sgd
/// Mini-batch SGD: `W ← W − η·dW`, `b ← b − η·db`, with `η` the learning rate.
///
/// The rate is private: [`Sgd::new`] and [`Sgd::set_learning_rate`] check
/// it, so every `Sgd` that exists holds a usable one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd {
    /// The step size `η`.
    learning_rate: f32,
}

impl Sgd {
    /// An optimiser with learning rate `learning_rate`, which must be finite
    /// and positive ([`check_learning_rate`]).
    pub fn new(learning_rate: f32) -> Result<Sgd, NetError> {
        check_learning_rate(learning_rate)?;
        Ok(Sgd { learning_rate })
    }

    /// The step size `η`.
    pub fn learning_rate(&self) -> f32 {
        self.learning_rate
    }

    /// Changes the step size; a rate that [`check_learning_rate`] refuses
    /// leaves the optimiser unchanged.
    pub fn set_learning_rate(&mut self, learning_rate: f32) -> Result<(), NetError> {
        check_learning_rate(learning_rate)?;
        self.learning_rate = learning_rate;
        Ok(())
    }
}
// ANCHOR_END: sgd

// ANCHOR: sgd_step
impl Sgd {
    /// One step on `layer`, using the gradients of its last backward pass.
    ///
    /// A layer whose weights or biases were replaced by a different shape
    /// since its last backward pass has no gradients that fit: that is an
    /// error, and the layer is left unchanged.
    pub fn step(&self, layer: &mut Dense) -> Result<(), NetError> {
        Sgd::check_gradients(layer)?;
        let eta = self.learning_rate;
        layer.weights.scaled_add(-eta, &layer.grad_weights); // W ← W − η·dW
        layer.bias.scaled_add(-eta, &layer.grad_bias); //       b ← b − η·db
        Ok(())
    }

    /// Refuses gradients whose shapes are not those of `layer`'s parameters.
    pub(crate) fn check_gradients(layer: &Dense) -> Result<(), NetError> {
        if layer.grad_weights.dim() != layer.weights.dim() {
            return Err(NetError::shape(
                "gradient of the weights (they were replaced since the last backward pass)",
                layer.weights.shape(),
                layer.grad_weights.shape(),
            ));
        }
        if layer.grad_bias.len() != layer.bias.len() {
            return Err(NetError::shape(
                "gradient of the biases (they were replaced since the last backward pass)",
                &[layer.bias.len()],
                &[layer.grad_bias.len()],
            ));
        }
        Ok(())
    }
}
// ANCHOR_END: sgd_step

// ANCHOR: check_learning_rate
/// Chapter 0's check of a learning rate ([`ch00_toolbox::check_learning_rate`]),
/// its message as this crate's [`NetError::InvalidArgument`].
pub fn check_learning_rate<T>(eta: T) -> Result<(), NetError>
where
    T: Into<f64> + Copy + std::fmt::Display,
{
    ch00_toolbox::check_learning_rate(eta).map_err(NetError::InvalidArgument)
}
// ANCHOR_END: check_learning_rate

// ANCHOR: check_momentum
/// The one check of a momentum `μ`, beside the one of a learning rate: `μ`
/// must lie in `[0, 1)`. Momentum itself comes in chapter 8, whose `Sgd`
/// keeps a velocity `v ← μ·v − η·g`; the check lives here so that chapter
/// 8's optimizer and the appendix's fast engine, which both build on this
/// crate, share it. `μ = 0` is plain SGD; at `μ ≥ 1` the velocity never
/// decays and the steps grow without bound; a negative `μ` flips the
/// direction of the memory at every step; a NaN turns every weight into
/// NaN.
pub fn check_momentum(mu: f32) -> Result<(), NetError> {
    if (0.0..1.0).contains(&mu) {
        Ok(())
    } else {
        Err(NetError::InvalidArgument(format!(
            "the momentum must be in [0, 1), got {mu}"
        )))
    }
}
// ANCHOR_END: check_momentum

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_finite_rates_pass() {
        for good in [1e-6f32, 0.01, 1.0, 1e6] {
            assert!(check_learning_rate(good).is_ok(), "{good}");
            assert!(Sgd::new(good).is_ok(), "{good}");
        }
        for bad in [
            0.0f32,
            -0.0,
            -0.01,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ] {
            let err = check_learning_rate(bad).unwrap_err().to_string();
            assert!(err.contains("learning rate"), "{err}");
            assert!(Sgd::new(bad).is_err(), "{bad}");
        }
        assert!(check_learning_rate(f64::NAN).is_err());
        assert!(check_learning_rate(0.5f64).is_ok());
    }

    #[test]
    fn only_momenta_in_zero_to_one_pass() {
        for good in [0.0f32, -0.0, 0.5, 0.9, 0.999] {
            assert!(check_momentum(good).is_ok(), "{good}");
        }
        for bad in [
            1.0f32,
            1.5,
            -0.1,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ] {
            let err = check_momentum(bad).unwrap_err().to_string();
            assert!(err.contains("momentum must be in [0, 1)"), "{err}");
        }
    }

    #[test]
    fn the_setter_refuses_a_bad_rate_and_keeps_the_old_one() {
        let mut sgd = Sgd::new(0.1).unwrap();
        assert!(sgd.set_learning_rate(f32::NAN).is_err());
        assert!(sgd.set_learning_rate(-1.0).is_err());
        assert_eq!(sgd.learning_rate(), 0.1);
        sgd.set_learning_rate(0.5).unwrap();
        assert_eq!(sgd.learning_rate(), 0.5);
    }

    /// A layer whose weights were replaced by another shape after its
    /// backward pass has no gradients that fit: the step says so and moves
    /// nothing (it used to do nothing, silently).
    #[test]
    fn a_step_with_gradients_that_do_not_fit_is_an_error() {
        use crate::activation::Activation;
        use ndarray::{Array1, Array2};
        let mut layer =
            Dense::from_parameters(Array2::ones((2, 3)), Array1::zeros(3), Activation::Tanh)
                .unwrap();
        let x = Array2::<f32>::ones((4, 2));
        layer.forward(x.view()).unwrap();
        layer.backward(Array2::ones((4, 3)).view()).unwrap();
        let sgd = Sgd::new(0.1).unwrap();

        layer.weights = Array2::ones((5, 3));
        let err = sgd.step(&mut layer).unwrap_err();
        assert!(
            matches!(&err, NetError::ShapeMismatch { expected, found, .. }
                if expected == &[5, 3] && found == &[2, 3]),
            "{err}"
        );
        assert_eq!(layer.weights, Array2::<f32>::ones((5, 3)), "nothing moved");

        layer.weights = Array2::ones((2, 3));
        layer.bias = Array1::zeros(4);
        assert!(sgd.step(&mut layer).is_err());
        assert_eq!(layer.bias, Array1::<f32>::zeros(4), "nothing moved");

        // With fitting parameters the same call steps.
        layer.bias = Array1::zeros(3);
        sgd.step(&mut layer).unwrap();
        assert_ne!(layer.weights, Array2::<f32>::ones((2, 3)));
    }
}
