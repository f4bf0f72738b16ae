//! The fully connected ("dense") layer: forward and backward on whole batches.
//!
//! Shapes, for a batch of `B` samples, `n_in` inputs and `n_out` units:
//!
//! | name | shape | meaning |
//! | --- | --- | --- |
//! | `X` | `B × n_in` | the batch coming in, one sample per row |
//! | `W` | `n_in × n_out` | one column of weights per unit |
//! | `b` | `n_out` | one bias per unit, added to every row |
//! | `Z = X·W + b` | `B × n_out` | pre-activations |
//! | `A = f(Z)` | `B × n_out` | the layer's output |

use ch03_perceptron::{Perceptron, StepFunction};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Zip};
use rand::Rng;

use crate::activation::Activation;
use crate::error::NetError;
use crate::init::Init;

// ANCHOR: dense
/// A fully connected layer `A = f(X·W + b)`.
///
/// `forward` remembers its input and pre-activations; `backward` turns the
/// gradient of the loss with respect to the layer's output into gradients for
/// `W`, `b` (kept in the layer, read them with [`Dense::grad_weights`] and
/// [`Dense::grad_bias`]) and for the layer's input (returned).
#[derive(Clone, Debug)]
pub struct Dense {
    /// The weights, `n_in × n_out`: column `j` feeds unit `j`.
    pub weights: Array2<f32>,
    /// The biases, one per unit.
    pub bias: Array1<f32>,
    /// The non-linearity applied to `X·W + b`.
    pub activation: Activation,
    /// `X` of the last forward pass (`B × n_in`).
    input: Array2<f32>,
    /// `Z` of the last forward pass (`B × n_out`).
    pre_activation: Array2<f32>,
    /// Whether `input` and `pre_activation` hold a forward pass.
    has_forward: bool,
    /// `dL/dZ` of the last backward pass, a reused buffer.
    delta: Array2<f32>,
    /// `dL/dW`, same shape as `weights`.
    pub(crate) grad_weights: Array2<f32>,
    /// `dL/db`, same shape as `bias`.
    pub(crate) grad_bias: Array1<f32>,
}
// ANCHOR_END: dense

impl Dense {
    /// A layer of `n_out` units on `n_in` inputs, weights drawn by `init`
    /// from `rng`, biases zero.
    pub fn new(
        n_in: usize,
        n_out: usize,
        activation: Activation,
        init: Init,
        rng: &mut impl Rng,
    ) -> Result<Dense, NetError> {
        if n_in == 0 || n_out == 0 {
            return Err(NetError::InvalidArgument(format!(
                "a dense layer needs at least one input and one unit, got {n_in} × {n_out}"
            )));
        }
        Dense::from_parameters(
            init.weights(n_in, n_out, rng)?, // refuses sizes too large to hold
            Array1::zeros(n_out),
            activation,
        )
    }

    /// A layer with the given weights (`n_in × n_out`) and biases (`n_out`).
    pub fn from_parameters(
        weights: Array2<f32>,
        bias: Array1<f32>,
        activation: Activation,
    ) -> Result<Dense, NetError> {
        let (n_in, n_out) = weights.dim();
        if n_in == 0 || n_out == 0 {
            return Err(NetError::InvalidArgument(format!(
                "a dense layer needs at least one input and one unit, got weights of shape [{n_in}, {n_out}]"
            )));
        }
        if bias.len() != n_out {
            return Err(NetError::shape(
                "bias of the layer",
                &[n_out],
                &[bias.len()],
            ));
        }
        Ok(Dense {
            grad_weights: Array2::zeros((n_in, n_out)),
            grad_bias: Array1::zeros(n_out),
            weights,
            bias,
            activation,
            input: Array2::zeros((0, n_in)),
            pre_activation: Array2::zeros((0, n_out)),
            has_forward: false,
            delta: Array2::zeros((0, n_out)),
        })
    }

    // ANCHOR: from_perceptron
    /// Chapter 3's perceptron layer as a dense layer with step units: the
    /// same weights, the same biases, the same Heaviside step. (A perceptron
    /// with the sign step answers −1/+1, which no [`Activation`] here does.)
    pub fn from_perceptron(p: &Perceptron) -> Result<Dense, NetError> {
        if p.step != StepFunction::Heaviside {
            return Err(NetError::InvalidArgument(
                "only a Heaviside perceptron is a dense layer with Activation::Step".into(),
            ));
        }
        Dense::from_parameters(p.weights.clone(), p.bias.clone(), Activation::Step)
    }
    // ANCHOR_END: from_perceptron

    /// How many inputs each sample must have.
    pub fn n_inputs(&self) -> usize {
        self.weights.nrows()
    }

    /// How many units (outputs) the layer has.
    pub fn n_outputs(&self) -> usize {
        self.weights.ncols()
    }

    /// Weights plus biases: `n_in · n_out + n_out`.
    pub fn parameter_count(&self) -> usize {
        self.weights.len() + self.bias.len()
    }

    /// `dL/dW` from the last backward pass (zeros before the first).
    pub fn grad_weights(&self) -> ArrayView2<'_, f32> {
        self.grad_weights.view()
    }

    /// `dL/db` from the last backward pass (zeros before the first).
    pub fn grad_bias(&self) -> ArrayView1<'_, f32> {
        self.grad_bias.view()
    }

    /// Checks that the public fields still fit each other and that `x` is a
    /// non-empty batch of the right width.
    fn check_input(&self, x: &ArrayView2<f32>) -> Result<(), NetError> {
        if self.bias.len() != self.n_outputs() {
            return Err(NetError::shape(
                "bias of the layer",
                &[self.n_outputs()],
                &[self.bias.len()],
            ));
        }
        if x.nrows() == 0 {
            return Err(NetError::EmptyBatch);
        }
        if x.ncols() != self.n_inputs() {
            return Err(NetError::shape(
                "input batch of the layer",
                &[0, self.n_inputs()],
                x.shape(),
            ));
        }
        Ok(())
    }

    // ANCHOR: predict
    /// `A = f(X·W + b)` for a batch `x` (`B × n_in`), written the way the
    /// formula reads. Nothing is remembered: this is for predictions, when no
    /// backward pass follows.
    pub fn predict(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.check_input(&x)?; // the widths fit, so `dot` cannot panic
        let mut a = x.dot(&self.weights) + &self.bias; // Z = X·W + b
        self.activation.apply_inplace(&mut a); //         A = f(Z)
        Ok(a)
    }
    // ANCHOR_END: predict

    // ANCHOR: forward
    /// `A = f(X·W + b)` for a batch `x` (`B × n_in`), remembering `X` and `Z`
    /// for the backward pass.
    pub fn forward(&mut self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.check_input(&x)?;
        let (batch, n_out) = (x.nrows(), self.n_outputs());
        if self.input.dim() != x.dim() || self.pre_activation.dim() != (batch, n_out) {
            // A new batch size: resize the caches (once, not every step).
            self.input = Array2::zeros(x.raw_dim());
            self.pre_activation = Array2::zeros((batch, n_out));
        }
        self.input.assign(&x);
        // Z = 1·X·W + 0·Z, written into the existing buffer.
        general_mat_mul(1.0, &x, &self.weights, 0.0, &mut self.pre_activation);
        self.pre_activation += &self.bias; // broadcast over the B rows
        self.has_forward = true;
        Ok(self.activation.apply(self.pre_activation.view()))
    }
    // ANCHOR_END: forward

    /// The backward pass: `grad_output` is `dL/dA` (`B × n_out`). Stores
    /// `dL/dW` and `dL/db` and returns `dL/dX` (`B × n_in`).
    pub fn backward(&mut self, grad_output: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.backward_parameters(grad_output)?;
        Ok(self.input_gradient())
    }

    // ANCHOR: backward
    /// The part of the backward pass that every layer needs: `dZ`, `dW`, `db`.
    pub(crate) fn backward_parameters(
        &mut self,
        grad_output: ArrayView2<f32>,
    ) -> Result<(), NetError> {
        self.check_backward(&grad_output)?;
        self.resize_gradient_buffers();
        // dZ = dA ⊙ f'(Z), element by element.
        let f = self.activation;
        Zip::from(&mut self.delta)
            .and(&grad_output)
            .and(&self.pre_activation)
            .for_each(|dz, &da, &z| *dz = da * f.slope(z));
        // dW = Xᵀ · dZ  (n_in × B times B × n_out).
        general_mat_mul(
            1.0,
            &self.input.t(),
            &self.delta,
            0.0,
            &mut self.grad_weights,
        );
        // db = the column sums of dZ: each bias touches every row.
        self.grad_bias.fill(0.0);
        for row in self.delta.rows() {
            self.grad_bias += &row;
        }
        Ok(())
    }

    /// dX = dZ · Wᵀ  (B × n_out times n_out × n_in): what the layer below
    /// receives as its `grad_output`.
    pub(crate) fn input_gradient(&self) -> Array2<f32> {
        self.delta.dot(&self.weights.t())
    }
    // ANCHOR_END: backward

    /// Makes the gradient buffers fit the current batch and parameters; after
    /// the first step of a given batch size this does nothing.
    fn resize_gradient_buffers(&mut self) {
        if self.delta.dim() != self.pre_activation.dim() {
            self.delta = Array2::zeros(self.pre_activation.raw_dim());
        }
        if self.grad_weights.dim() != self.weights.dim() {
            self.grad_weights = Array2::zeros(self.weights.raw_dim());
        }
        if self.grad_bias.len() != self.bias.len() {
            self.grad_bias = Array1::zeros(self.bias.len());
        }
    }

    fn check_backward(&self, grad_output: &ArrayView2<f32>) -> Result<(), NetError> {
        if !self.has_forward {
            return Err(NetError::NoForwardPass);
        }
        if grad_output.dim() != self.pre_activation.dim() {
            return Err(NetError::shape(
                "gradient of the layer's output",
                self.pre_activation.shape(),
                grad_output.shape(),
            ));
        }
        // The public weights may have been replaced since the forward pass.
        let (n_in, n_out) = (self.input.ncols(), self.pre_activation.ncols());
        if self.weights.dim() != (n_in, n_out) || self.bias.len() != n_out {
            return Err(NetError::shape(
                "weights of the layer since its forward pass",
                &[n_in, n_out],
                self.weights.shape(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::Sgd;
    use ndarray::array;

    fn identity_layer() -> Dense {
        Dense::from_parameters(
            array![[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]],
            array![0.5, 0.0, 1.0],
            Activation::Identity,
        )
        .unwrap()
    }

    #[test]
    fn forward_is_x_times_w_plus_b_on_every_row() {
        let mut layer = identity_layer();
        let x = array![[1.0f32, 1.0], [2.0, 0.0]];
        let a = layer.forward(x.view()).unwrap();
        assert_eq!(a, array![[1.5, 3.0, 0.0], [2.5, 4.0, 1.0]]);
        assert_eq!(layer.predict(x.view()).unwrap(), a);
        assert_eq!(layer.parameter_count(), 9);
    }

    /// The buffered `forward` gives exactly the numbers of the plain
    /// `predict`, for every activation, whatever batch sizes come in and in
    /// whatever order (so also after its buffers were resized).
    #[test]
    fn forward_agrees_with_the_plain_formula() {
        let mut rng = ch00_toolbox::seeded_rng(8);
        for f in Activation::ALL {
            let mut layer = Dense::new(5, 3, f, Init::Uniform(1.0), &mut rng).unwrap();
            layer.bias = Init::Uniform(1.0)
                .weights(1, 3, &mut rng)
                .unwrap()
                .row(0)
                .to_owned();
            for b in [4, 1, 7, 4] {
                let x = Init::Uniform(2.0).weights(b, 5, &mut rng).unwrap();
                let plain = layer.predict(x.view()).unwrap();
                let fast = layer.forward(x.view()).unwrap();
                assert_eq!(fast, plain, "{} with a batch of {b}", f.name());
                // And both are X·W + b, then f, computed here a third way.
                for i in 0..b {
                    for j in 0..3 {
                        let z: f32 = (0..5)
                            .map(|k| x[(i, k)] * layer.weights[(k, j)])
                            .sum::<f32>()
                            + layer.bias[j];
                        assert!((plain[(i, j)] - f.value(z)).abs() < 1e-5);
                    }
                }
            }
        }
    }

    #[test]
    fn backward_gives_the_matrix_formulas() {
        let mut layer = identity_layer();
        let x = array![[1.0f32, 1.0], [2.0, 0.0]];
        layer.forward(x.view()).unwrap();
        let g = array![[1.0f32, 0.0, -1.0], [0.0, 2.0, 1.0]];
        let dx = layer.backward(g.view()).unwrap();
        // With the identity, dZ = dA.
        assert_eq!(layer.grad_weights(), x.t().dot(&g));
        assert_eq!(layer.grad_bias(), array![1.0, 2.0, 0.0]);
        assert_eq!(dx, g.dot(&layer.weights.t()));
        // One SGD step moves against the gradient.
        let before = layer.weights.clone();
        Sgd::new(0.1).unwrap().step(&mut layer).unwrap();
        assert_eq!(layer.weights, &before - &(x.t().dot(&g) * 0.1));
    }

    #[test]
    fn replacing_the_public_weights_is_safe() {
        let mut layer = identity_layer();
        let x = Array2::<f32>::ones((2, 2));
        layer.forward(x.view()).unwrap();
        // Three inputs instead of two, same units, same batch size.
        layer.weights = Array2::ones((3, 3));
        let g = Array2::<f32>::ones((2, 3));
        assert!(matches!(
            layer.backward(g.view()),
            Err(NetError::ShapeMismatch { .. })
        ));
        let x3 = Array2::<f32>::ones((2, 3));
        assert_eq!(layer.forward(x3.view()).unwrap()[(0, 0)], 3.5);
        assert_eq!(layer.backward(g.view()).unwrap().dim(), (2, 3));
        Sgd::new(0.1).unwrap().step(&mut layer).unwrap();
        // A bias of the wrong length is refused, not a panic.
        layer.bias = Array1::zeros(2);
        assert!(layer.forward(x3.view()).is_err());
        assert!(layer.predict(x3.view()).is_err());
    }

    #[test]
    fn a_new_batch_size_resizes_the_caches() {
        let mut layer = identity_layer();
        for b in [3, 1, 5] {
            let x = Array2::<f32>::ones((b, 2));
            let a = layer.forward(x.view()).unwrap();
            let dx = layer.backward(Array2::ones(a.raw_dim()).view()).unwrap();
            assert_eq!(dx.dim(), (b, 2));
            assert_eq!(layer.grad_bias(), array![b as f32, b as f32, b as f32]);
        }
    }
}
