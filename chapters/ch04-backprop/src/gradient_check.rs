//! Gradient checking: is backpropagation right?
//!
//! For every parameter `θ`, nudge it by `±ε`, recompute the loss, and compare
//! the central difference `(L(θ+ε) − L(θ−ε)) / 2ε` with the gradient that
//! backpropagation computed. They must agree up to the difference's own error.

use ndarray::{Array2, ArrayView2};
use rand::Rng;

use crate::activation::Activation;
use crate::dense::Dense;
use crate::init::Init;
use crate::loss::Mse;

use crate::error::NetError;
use crate::loss::Loss;
use crate::network::Mlp;

/// Which parameter of a layer a comparison is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parameter {
    /// The weight `W[row, col]`.
    Weight {
        /// Input index.
        row: usize,
        /// Unit index.
        col: usize,
    },
    /// The bias `b[unit]`.
    Bias {
        /// Unit index.
        unit: usize,
    },
}

/// Backprop's and the finite difference's value of one partial derivative.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Comparison {
    /// The layer, counted from 0 at the input side.
    pub layer: usize,
    /// The parameter within the layer.
    pub parameter: Parameter,
    /// `dL/dθ` from backpropagation.
    pub analytic: f32,
    /// `(L(θ+ε) − L(θ−ε)) / 2ε`.
    pub numeric: f32,
}

// ANCHOR: relative_error
/// The gradients smaller than this are compared absolutely: in f32 a central
/// difference cannot resolve much below `1e-3` relative to a loss of order 1.
pub const RELATIVE_ERROR_FLOOR: f32 = 1e-3;

impl Comparison {
    /// `|a − n| / max(|a|, |n|, floor)`: relative for real gradients,
    /// absolute (scaled by the floor) for gradients that are almost zero.
    pub fn relative_error(&self) -> f32 {
        let scale = self
            .analytic
            .abs()
            .max(self.numeric.abs())
            .max(RELATIVE_ERROR_FLOOR);
        (self.analytic - self.numeric).abs() / scale
    }
}
// ANCHOR_END: relative_error

/// Every comparison of one gradient check.
#[derive(Clone, Debug, PartialEq)]
pub struct GradientCheck {
    /// The step `ε` of the central differences.
    pub epsilon: f32,
    /// One entry per parameter of the network.
    pub comparisons: Vec<Comparison>,
}

impl GradientCheck {
    /// The largest relative error over all parameters (`0` if none).
    pub fn max_relative_error(&self) -> f32 {
        self.comparisons
            .iter()
            .map(Comparison::relative_error)
            .fold(0.0, f32::max)
    }

    /// The comparison with the largest relative error.
    pub fn worst(&self) -> Option<&Comparison> {
        self.comparisons
            .iter()
            .max_by(|a, b| a.relative_error().total_cmp(&b.relative_error()))
    }
}

// ANCHOR: check_gradients
/// Compares backpropagation's gradient of `loss` on the batch `(x, y)` with
/// central differences of step `epsilon`, for every weight and bias of `mlp`.
/// The network itself is not changed: the work happens on a copy.
pub fn check_gradients(
    mlp: &Mlp,
    x: ArrayView2<f32>,
    y: ArrayView2<f32>,
    loss: &dyn Loss,
    epsilon: f32,
) -> Result<GradientCheck, NetError> {
    check_epsilon(epsilon)?;
    // Backprop's answer.
    let mut net = mlp.clone();
    let output = net.forward(x)?;
    net.backward(loss.gradient(output.view(), y)?.view())?;
    // The finite differences, one parameter at a time.
    let mut comparisons = Vec::with_capacity(net.parameter_count());
    for l in 0..net.layers.len() {
        for (parameter, analytic) in backprop_gradients(&net.layers[l]) {
            let numeric = central_difference(&mut net, x, y, loss, epsilon, |n| {
                parameter_mut(&mut n.layers[l], parameter)
            })?;
            comparisons.push(Comparison {
                layer: l,
                parameter,
                analytic,
                numeric,
            });
        }
    }
    Ok(GradientCheck {
        epsilon,
        comparisons,
    })
}
// ANCHOR_END: check_gradients

/// Every parameter of `layer` with backpropagation's gradient for it:
/// the weights row by row, then the biases.
fn backprop_gradients(layer: &Dense) -> Vec<(Parameter, f32)> {
    let (grad_weights, grad_bias) = (layer.grad_weights(), layer.grad_bias());
    let weights = grad_weights
        .indexed_iter()
        .map(|((row, col), &g)| (Parameter::Weight { row, col }, g));
    let biases = grad_bias
        .iter()
        .enumerate()
        .map(|(unit, &g)| (Parameter::Bias { unit }, g));
    weights.chain(biases).collect()
}

/// The parameter `p` of `layer`, to be nudged. `p` comes from
/// [`backprop_gradients`] of the same layer, whose gradients have the shape
/// of its parameters, so the index is in range.
fn parameter_mut(layer: &mut Dense, p: Parameter) -> &mut f32 {
    match p {
        Parameter::Weight { row, col } => &mut layer.weights[(row, col)],
        Parameter::Bias { unit } => &mut layer.bias[unit],
    }
}

fn check_epsilon(epsilon: f32) -> Result<(), NetError> {
    if epsilon.is_finite() && epsilon > 0.0 {
        Ok(())
    } else {
        Err(NetError::InvalidArgument(format!(
            "epsilon must be positive and finite, got {epsilon}"
        )))
    }
}

// ANCHOR: central_difference
/// `(L(θ+ε) − L(θ−ε)) / 2ε` for the parameter `θ` that `param` points at;
/// `θ` is put back exactly afterwards.
fn central_difference(
    net: &mut Mlp,
    x: ArrayView2<f32>,
    y: ArrayView2<f32>,
    loss: &dyn Loss,
    epsilon: f32,
    param: impl Fn(&mut Mlp) -> &mut f32,
) -> Result<f32, NetError> {
    let original = *param(net);
    *param(net) = original + epsilon;
    let plus = loss.value(net.predict(x)?.view(), y);
    *param(net) = original - epsilon;
    let minus = loss.value(net.predict(x)?.view(), y);
    *param(net) = original;
    // The step actually taken, after rounding θ ± ε to f32.
    let step = (original + epsilon) - (original - epsilon);
    Ok((plus? - minus?) / step)
}
// ANCHOR_END: central_difference

/// The step `ε` the chapter uses in f32: where the truncation error (`∝ ε²`)
/// and the rounding error (`∝ 1/ε`) of a central difference balance for the
/// chapter's test networks. The textbook estimate, the cube root of f32's
/// rounding unit (`∛6e-8 ≈ 4e-3`), assumes a loss and third derivative of
/// similar size; these losses have small third derivatives, which moves the
/// balance up (the `sweeps` example measures both parts).
pub const EPSILON: f32 = 1e-2;

// ANCHOR: demo_problem
/// The chapter's test case: a 3 → 5 → 4 → 2 network (tanh, sigmoid, then
/// identity; weights uniform in `[-1, 1]`) and a random batch of 6 inputs and
/// targets in `[-1, 1]`, all drawn from `seed`.
pub fn demo_problem(seed: u64) -> Result<(Mlp, Array2<f32>, Array2<f32>), NetError> {
    let mut rng = ch00_toolbox::seeded_rng(seed);
    let init = Init::Uniform(1.0);
    let mlp = Mlp::new(vec![
        Dense::new(3, 5, Activation::Tanh, init, &mut rng)?,
        Dense::new(5, 4, Activation::Sigmoid, init, &mut rng)?,
        Dense::new(4, 2, Activation::Identity, init, &mut rng)?,
    ])?;
    let x = Array2::from_shape_simple_fn((6, 3), || rng.random_range(-1.0f32..1.0));
    let y = Array2::from_shape_simple_fn((6, 2), || rng.random_range(-1.0f32..1.0));
    Ok((mlp, x, y))
}
// ANCHOR_END: demo_problem

/// [`check_gradients`] with [`EPSILON`] and mean squared error on
/// [`demo_problem`]`(seed)`.
pub fn demo_check(seed: u64) -> Result<GradientCheck, NetError> {
    let (mlp, x, y) = demo_problem(seed)?;
    check_gradients(&mlp, x.view(), y.view(), &Mse, EPSILON)
}
