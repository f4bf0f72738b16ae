//! What momentum does, measured on the smallest problem that shows it.
//!
//! One [`Dense`] layer with two inputs, one output and no activation is a
//! linear model, `y = w₁x₁ + w₂x₂ + b`. Its mean squared error on a fixed
//! batch is a quadratic bowl in the weights. The four samples below make
//! that bowl 100 times more sharply curved along `w₁` than along `w₂`: a
//! narrow valley. A learning rate small enough for the steep walls makes
//! plain gradient descent crawl along the flat floor. The same layer is
//! trained with the chapter's [`Sgd`], once without and once with momentum,
//! from the same starting weights.

use ch00_toolbox::seeded_rng;
use ch04_backprop::{Activation, Loss, Mse, NetError};
use ndarray::{Array2, array};

use crate::dense::Dense;
use crate::layer::Layer;
use crate::optimizer::Sgd;

/// The weights the data were made from: the bottom of the bowl.
pub const TARGET_WEIGHTS: (f32, f32) = (1.0, 2.0);

/// Where both runs start.
pub const START_WEIGHTS: (f32, f32) = (-1.0, -8.0);

// ANCHOR: valley
/// Four samples with `x₁ = ±1` and `x₂ = ±0.1`, and targets
/// `y = 1·x₁ + 2·x₂` ([`TARGET_WEIGHTS`]). Both inputs have mean 0 and are
/// uncorrelated, so the mean squared error of weights `(w₁, w₂)` and bias 0
/// is `(w₁ − 1)² + 0.01·(w₂ − 2)²`: curvature 2 along `w₁`, 0.02 along `w₂`.
pub fn valley() -> (Array2<f32>, Array2<f32>) {
    let x = array![[1.0f32, 0.1], [1.0, -0.1], [-1.0, 0.1], [-1.0, -0.1]];
    let (a, b) = TARGET_WEIGHTS;
    let y = x.map_axis(ndarray::Axis(1), |row| a * row[0] + b * row[1]);
    let n = y.len();
    (
        x,
        y.into_shape_with_order((n, 1))
            .unwrap_or_else(|_| Array2::zeros((n, 1))),
    )
}
// ANCHOR_END: valley

/// One run of gradient descent on [`valley`].
#[derive(Clone, Debug, PartialEq)]
pub struct DescentRun {
    /// The momentum `μ` of the run (0 for plain SGD).
    pub momentum: f32,
    /// The loss before the first step and after each step.
    pub losses: Vec<f32>,
    /// The weights `(w₁, w₂)` at the same moments.
    pub path: Vec<(f32, f32)>,
}

impl DescentRun {
    /// The first step count after which the loss is below `threshold`.
    pub fn steps_to(&self, threshold: f32) -> Option<usize> {
        self.losses.iter().position(|&l| l < threshold)
    }
}

/// The two weights of a `Dense(1)` layer with two inputs, read through the
/// `Layer` trait.
fn weights(layer: &dyn Layer) -> (f32, f32) {
    let parameters = layer.parameters();
    let w = parameters
        .first()
        .map(|(_, w)| w.iter().copied().collect::<Vec<_>>());
    match w.as_deref() {
        Some(&[w1, w2]) => (w1, w2),
        _ => (f32::NAN, f32::NAN),
    }
}

// ANCHOR: descend
/// Trains a `Dense(1)` layer without activation on [`valley`] for `steps`
/// full-batch steps of [`Sgd`] with learning rate `learning_rate` and
/// momentum `momentum`, from [`START_WEIGHTS`] and bias 0.
pub fn descend(learning_rate: f32, momentum: f32, steps: usize) -> Result<DescentRun, NetError> {
    let (x, y) = valley();
    let mut dense = Dense::new(1, Activation::Identity);
    dense.build(&[2], &mut seeded_rng(0))?;
    if let Some(core) = dense.core_mut() {
        core.weights = array![[START_WEIGHTS.0], [START_WEIGHTS.1]];
    }
    let mut layers: Vec<Box<dyn Layer>> = vec![Box::new(dense)];
    let mut sgd = Sgd::new(learning_rate)?.with_momentum(momentum)?;
    let mut run = DescentRun {
        momentum,
        losses: Vec::with_capacity(steps + 1),
        path: Vec::with_capacity(steps + 1),
    };
    for step in 0..=steps {
        let output = layers[0].forward(x.view())?;
        run.losses.push(Mse.value(output.view(), y.view())?);
        run.path.push(weights(layers[0].as_ref()));
        if step < steps {
            let grad = Mse.gradient(output.view(), y.view())?;
            layers[0].backward(grad.view())?;
            sgd.step(&mut layers)?;
        }
    }
    Ok(run)
}
// ANCHOR_END: descend

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_valley_is_the_quadratic_its_documentation_states() {
        // Loss at the start: (−1 − 1)² + 0.01·(−8 − 2)² = 4 + 1 = 5.
        let run = descend(0.1, 0.0, 0).unwrap();
        assert!((run.losses[0] - 5.0).abs() < 1e-5, "{:?}", run.losses);
        assert_eq!(run.path[0], START_WEIGHTS);
    }

    #[test]
    fn one_plain_step_follows_the_gradient() {
        // ∂L/∂w₁ = 2(w₁ − 1) = −4, ∂L/∂w₂ = 0.02(w₂ − 2) = −0.2.
        let run = descend(0.1, 0.0, 1).unwrap();
        let (w1, w2) = run.path[1];
        assert!((w1 - (-1.0 + 0.4)).abs() < 1e-5, "{w1}");
        assert!((w2 - (-8.0 + 0.02)).abs() < 1e-5, "{w2}");
    }

    #[test]
    fn bad_settings_are_errors() {
        assert!(descend(0.0, 0.0, 10).is_err());
        assert!(descend(0.1, 1.0, 10).is_err());
    }
}
