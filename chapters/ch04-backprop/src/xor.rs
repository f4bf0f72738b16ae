//! XOR, the function a single perceptron cannot compute: first with weights
//! set by hand, then learnt by backpropagation.

use ch03_perceptron::{Perceptron, StepFunction};
use ndarray::{Array1, Array2, ArrayView2, array};
use rand::Rng;

use crate::activation::Activation;
use crate::dense::Dense;
use crate::error::NetError;
use crate::init::Init;
use crate::loss::Mse;
use crate::network::Mlp;
use crate::optimizer::Sgd;

/// The four inputs of XOR, one per row — chapter 3's data:
/// (0,0), (0,1), (1,0), (1,1).
pub use ch03_perceptron::xor::inputs as xor_inputs;

/// XOR of each row of [`xor_inputs`] as a `4 × 1` column (0, 1, 1, 0) —
/// chapter 3's targets.
pub use ch03_perceptron::xor::targets as xor_targets;

// ANCHOR: hand_set
/// XOR = OR and not AND: chapter 3's step units, weights set by hand,
/// stacked into a two-layer network.
///
/// Hidden unit 0 is OR (fires when `x₁ + x₂ ≥ 0.5`), hidden unit 1 is AND
/// (fires when `x₁ + x₂ ≥ 1.5`); the output fires when OR is on and AND is
/// off (`h₀ − h₁ ≥ 0.5`).
pub fn hand_set_xor() -> Result<Mlp, NetError> {
    // Two of chapter 3's threshold units side by side …
    let hidden = Perceptron::from_parameters(
        array![[1.0, 1.0], [1.0, 1.0]], // column 0: OR, column 1: AND
        array![-0.5, -1.5],
        StepFunction::Heaviside,
    )?;
    // … and one more on top of them.
    let output = Perceptron::from_parameters(
        array![[1.0], [-1.0]], // + OR − AND
        array![-0.5],
        StepFunction::Heaviside,
    )?;
    Mlp::new(vec![
        Dense::from_perceptron(&hidden)?,
        Dense::from_perceptron(&output)?,
    ])
}
// ANCHOR_END: hand_set

/// How many rows of `outputs` land on the right side of `0.5` for `targets`
/// (both `B × 1`, targets 0 or 1).
pub fn count_correct(outputs: ArrayView2<f32>, targets: ArrayView2<f32>) -> usize {
    outputs
        .iter()
        .zip(targets.iter())
        .filter(|&(&p, &t)| (p >= 0.5) == (t >= 0.5))
        .count()
}

/// The settings of the chapter's XOR run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct XorSettings {
    /// Units in the hidden layer.
    pub hidden: usize,
    /// Hidden activation (the output is a sigmoid).
    pub activation: Activation,
    /// How the weights start.
    pub init: Init,
    /// SGD's learning rate.
    pub learning_rate: f32,
    /// Rows per mini-batch (XOR has four).
    pub batch_size: usize,
    /// Passes over the four examples.
    pub epochs: usize,
    /// Seed of the initial weights and of the shuffles.
    pub seed: u64,
}

impl Default for XorSettings {
    fn default() -> Self {
        XorSettings {
            hidden: 4,
            activation: Activation::Tanh,
            init: Init::GlorotUniform,
            learning_rate: 0.5,
            batch_size: 2,
            epochs: 1000,
            seed: 42,
        }
    }
}

/// A trained XOR network and its loss after every epoch.
#[derive(Clone, Debug)]
pub struct XorRun {
    /// The network after the last epoch.
    pub mlp: Mlp,
    /// Mean training loss of each epoch.
    pub losses: Vec<f32>,
}

/// A `2 → hidden → 1` network: `activation` in the hidden layer, a sigmoid
/// at the output so that it reads as a probability of "1".
pub fn xor_network(
    hidden: usize,
    activation: Activation,
    init: Init,
    rng: &mut impl Rng,
) -> Result<Mlp, NetError> {
    Mlp::new(vec![
        Dense::new(2, hidden, activation, init, rng)?,
        Dense::new(hidden, 1, Activation::Sigmoid, init, rng)?,
    ])
}

// ANCHOR: train_xor
/// Trains a fresh network on XOR with mean squared error and mini-batch SGD.
pub fn train_xor(settings: &XorSettings) -> Result<XorRun, NetError> {
    let mut rng = ch00_toolbox::seeded_rng(settings.seed);
    let mut mlp = xor_network(
        settings.hidden,
        settings.activation,
        settings.init,
        &mut rng,
    )?;
    let sgd = Sgd::new(settings.learning_rate)?;
    let (x, y) = (xor_inputs(), xor_targets());
    let mut losses = Vec::with_capacity(settings.epochs);
    for _ in 0..settings.epochs {
        let loss = mlp.fit_epoch(
            x.view(),
            y.view(),
            settings.batch_size,
            &Mse,
            &sgd,
            &mut rng,
        )?;
        losses.push(loss);
    }
    Ok(XorRun { mlp, losses })
}
// ANCHOR_END: train_xor

/// The network's output on an `n × n` grid over the unit square, row `i`
/// at `x₂ = i/(n−1)`, column `j` at `x₁ = j/(n−1)`: what the decision-region
/// figure colours.
pub fn output_grid(mlp: &Mlp, n: usize) -> Result<Array2<f32>, NetError> {
    if n < 2 {
        return Err(NetError::InvalidArgument(format!(
            "a grid needs at least 2 points a side, got {n}"
        )));
    }
    let step = 1.0 / (n - 1) as f32;
    let points = Array2::from_shape_fn((n * n, 2), |(k, c)| {
        let (i, j) = (k / n, k % n);
        if c == 0 {
            j as f32 * step
        } else {
            i as f32 * step
        }
    });
    let out = mlp.predict(points.view())?;
    let column: Array1<f32> = out.column(0).to_owned();
    column
        .into_shape_with_order((n, n))
        .map_err(|e| NetError::InvalidArgument(e.to_string()))
}
