//! Plain stochastic gradient descent: a small step against the gradient.

use crate::dense::Dense;
use crate::error::NetError;

// ANCHOR: sgd
/// Mini-batch SGD: `W ← W − η·dW`, `b ← b − η·db`, with `η` the learning rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd {
    /// The step size `η`.
    pub learning_rate: f32,
}

impl Sgd {
    /// An optimiser with learning rate `learning_rate`, which must be finite
    /// and positive.
    pub fn new(learning_rate: f32) -> Result<Sgd, NetError> {
        if !(learning_rate.is_finite() && learning_rate > 0.0) {
            return Err(NetError::InvalidArgument(format!(
                "the learning rate must be a positive finite number, got {learning_rate}"
            )));
        }
        Ok(Sgd { learning_rate })
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
