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

    /// One step on `layer`, using the gradients of its last backward pass.
    ///
    /// A layer whose weights were replaced by a different shape since its
    /// last backward pass has no gradients that fit; it is left unchanged.
    pub fn step(&self, layer: &mut Dense) {
        if layer.grad_weights.dim() == layer.weights.dim()
            && layer.grad_bias.len() == layer.bias.len()
        {
            layer
                .weights
                .scaled_add(-self.learning_rate, &layer.grad_weights);
            layer.bias.scaled_add(-self.learning_rate, &layer.grad_bias);
        }
    }
}
// ANCHOR_END: sgd

// ANCHOR: check_learning_rate
/// The one check of a learning rate, used by every optimiser and training
/// loop of the book: `η` must be a positive, finite number. Zero never
/// moves, a negative rate climbs the loss instead of descending it, and a
/// NaN or an infinity turns every weight into NaN at the first step.
pub fn check_learning_rate<T>(eta: T) -> Result<(), NetError>
where
    T: Into<f64> + Copy + std::fmt::Display,
{
    let value: f64 = eta.into();
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(NetError::InvalidArgument(format!(
            "the learning rate must be a positive finite number, got {eta}"
        )))
    }
}
// ANCHOR_END: check_learning_rate

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
    fn the_setter_refuses_a_bad_rate_and_keeps_the_old_one() {
        let mut sgd = Sgd::new(0.1).unwrap();
        assert!(sgd.set_learning_rate(f32::NAN).is_err());
        assert!(sgd.set_learning_rate(-1.0).is_err());
        assert_eq!(sgd.learning_rate(), 0.1);
        sgd.set_learning_rate(0.5).unwrap();
        assert_eq!(sgd.learning_rate(), 0.5);
    }
}
