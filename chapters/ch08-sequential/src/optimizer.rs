//! The optimizer: stochastic gradient descent, with momentum as an option.
//!
//! Chapter 4's [`ch04_backprop::Sgd`] updates one dense layer. A model's
//! optimizer updates *every* parameter of *every* layer, whatever the layer's
//! type, through the [`Layer`] trait, and may keep a memory of past steps:
//! the *velocity* of momentum.

use ch04_backprop::NetError;
use ch04_backprop::optimizer::{check_learning_rate, check_momentum};
use ndarray::ArrayD;

use crate::layer::Layer;

// ANCHOR: sgd
/// Mini-batch SGD, with optional momentum, as Keras' `SGD` computes it:
///
/// `v ← μ·v − η·g`, then `θ ← θ + v`,
///
/// for every parameter `θ` with gradient `g`, learning rate `η` and
/// momentum `μ`. With `μ = 0` this is plain SGD, `θ ← θ − η·g`.
///
/// It is chapter 4's [`ch04_backprop::Sgd`] plus a velocity: the learning
/// rate is held by a chapter 4 `Sgd`, so it obeys chapter 4's contract
/// ([`check_learning_rate`]), and the momentum obeys [`check_momentum`].
/// Every constructor and setter checks, so every `Sgd` that exists holds
/// usable settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Sgd {
    /// Chapter 4's optimizer, which holds the learning rate `η`.
    plain: ch04_backprop::Sgd,
    /// The momentum `μ`, in `[0, 1)`.
    momentum: f32,
    /// One velocity per parameter tensor, created at the first step.
    velocity: Vec<ArrayD<f32>>,
}

impl Sgd {
    /// Plain SGD with learning rate `learning_rate` (Keras' default is
    /// 0.01); an error for a rate that chapter 4's `Sgd::new` refuses.
    pub fn new(learning_rate: f32) -> Result<Sgd, NetError> {
        Ok(Sgd {
            plain: ch04_backprop::Sgd::new(learning_rate)?,
            momentum: 0.0,
            velocity: Vec::new(),
        })
    }

    /// The same optimizer with momentum `momentum` (0.9 is a usual choice);
    /// an error for a momentum outside `[0, 1)`.
    pub fn with_momentum(mut self, momentum: f32) -> Result<Sgd, NetError> {
        check_momentum(momentum)?;
        self.momentum = momentum;
        Ok(self)
    }
    // ANCHOR_END: sgd

    /// The learning rate `η`.
    pub fn learning_rate(&self) -> f32 {
        self.plain.learning_rate()
    }

    /// The momentum `μ` (0 for plain SGD).
    pub fn momentum(&self) -> f32 {
        self.momentum
    }

    /// Changes the learning rate (between epochs, say), keeping the
    /// velocities; a rate that chapter 4's
    /// [`check_learning_rate`] refuses leaves the optimizer unchanged.
    pub fn set_learning_rate(&mut self, learning_rate: f32) -> Result<(), NetError> {
        self.plain.set_learning_rate(learning_rate)
    }

    /// Checks the settings again: `η` ([`check_learning_rate`]) and `μ`
    /// ([`check_momentum`]). [`Sgd::new`], [`Sgd::with_momentum`] and
    /// [`Sgd::set_learning_rate`] already refuse bad ones;
    /// [`Sequential::compile`](crate::Sequential::compile) and every
    /// training step call this all the same, as a second line of defence
    /// for an optimizer replaced after `compile` through
    /// [`Sequential::compiled_mut`](crate::Sequential::compiled_mut).
    pub fn validate(&self) -> Result<(), NetError> {
        check_learning_rate(self.learning_rate())?;
        check_momentum(self.momentum)
    }

    /// Forgets the velocities (a fresh start, for example after new weights
    /// were loaded).
    pub fn reset(&mut self) {
        self.velocity.clear();
    }

    /// The velocities, one per parameter tensor of the model, in the order
    /// of its parameters (weights, then bias, layer after layer); empty
    /// before the first step and after [`Sgd::reset`].
    pub fn velocities(&self) -> &[ArrayD<f32>] {
        &self.velocity
    }

    /// Replaces the velocities, in the order of [`Sgd::velocities`]: an
    /// engine that takes its steps elsewhere (chapter 9's fast engine)
    /// hands them back, so that momentum carries on where it left off. A
    /// velocity whose shape does not fit its parameter is started again
    /// from zero by the next [`Sgd::step`].
    pub fn set_velocities(&mut self, velocities: Vec<ArrayD<f32>>) {
        self.velocity = velocities;
    }

    // ANCHOR: step
    /// One step on every parameter of `layers`, using the gradients of their
    /// last backward pass.
    pub fn step(&mut self, layers: &mut [Box<dyn Layer>]) -> Result<(), NetError> {
        self.step_each(layers.iter_mut().map(|l| l.as_mut() as &mut dyn Layer))
    }

    /// The same step on layers that are not kept in one list: the fields of
    /// a model written as a Rust type (chapter 10), given in a fixed order,
    /// since the velocities follow that order.
    pub fn step_each<'a>(
        &mut self,
        layers: impl IntoIterator<Item = &'a mut dyn Layer>,
    ) -> Result<(), NetError> {
        let (lr, mu) = (self.learning_rate(), self.momentum);
        let mut k = 0; // index of the parameter tensor across all layers
        for layer in layers {
            let first = k;
            // v ← μ·v − η·g, for each gradient of this layer.
            for g in layer.gradients() {
                if self.velocity.len() == k {
                    self.velocity.push(ArrayD::zeros(g.raw_dim()));
                }
                let v = &mut self.velocity[k];
                if v.shape() != g.shape() {
                    *v = ArrayD::zeros(g.raw_dim()); // the layer changed shape
                }
                v.zip_mut_with(&g, |v, &g| *v = mu * *v - lr * g);
                k += 1;
            }
            // θ ← θ + v, for each parameter, in the same order.
            for (j, mut theta) in layer.parameters_mut().into_iter().enumerate() {
                let v = self
                    .velocity
                    .get(first + j)
                    .filter(|v| v.shape() == theta.shape());
                let v = v.ok_or_else(|| {
                    NetError::shape("gradient of a parameter", theta.shape(), &[])
                })?;
                theta += v;
            }
        }
        Ok(())
    }
    // ANCHOR_END: step
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dense::Dense;
    use ch00_toolbox::seeded_rng;
    use ch04_backprop::Activation;
    use ndarray::array;

    fn one_layer() -> Vec<Box<dyn Layer>> {
        let mut d = Dense::new(1, Activation::Identity);
        d.build(&[2], &mut seeded_rng(0)).unwrap();
        let core = d.core_mut().unwrap();
        core.weights = array![[1.0f32], [2.0]];
        vec![Box::new(d)]
    }

    /// Runs forward and backward with dL/dy = 1 on the input (1, 1):
    /// the gradient is 1 for both weights and for the bias.
    fn backprop_ones(layers: &mut [Box<dyn Layer>]) {
        let x = array![[1.0f32, 1.0]];
        layers[0].forward(x.view()).unwrap();
        layers[0].backward(array![[1.0f32]].view()).unwrap();
    }

    fn weights(layers: &[Box<dyn Layer>]) -> Vec<f32> {
        layers[0].parameters()[0].1.iter().copied().collect()
    }

    #[test]
    fn plain_sgd_takes_a_step_against_the_gradient() {
        let mut layers = one_layer();
        let mut sgd = Sgd::new(0.1).unwrap();
        backprop_ones(&mut layers);
        sgd.step(&mut layers).unwrap();
        assert_eq!(weights(&layers), vec![0.9, 1.9]);
        assert_eq!(
            layers[0].parameters()[1]
                .1
                .iter()
                .copied()
                .collect::<Vec<_>>(),
            vec![-0.1]
        );
    }

    #[test]
    fn momentum_accumulates_velocity() {
        let mut layers = one_layer();
        let mut sgd = Sgd::new(0.1).unwrap().with_momentum(0.5).unwrap();
        backprop_ones(&mut layers);
        sgd.step(&mut layers).unwrap(); // v = −0.1
        backprop_ones(&mut layers);
        sgd.step(&mut layers).unwrap(); // v = 0.5·(−0.1) − 0.1 = −0.15
        let w = weights(&layers);
        assert!((w[0] - (1.0 - 0.1 - 0.15)).abs() < 1e-6, "{w:?}");
    }

    /// The rate contract is chapter 4's, word for word: the same values
    /// are refused with the same message.
    #[test]
    fn a_bad_rate_is_refused_with_chapter_4s_message() {
        assert!(Sgd::new(0.01).is_ok());
        for bad in [
            0.0f32,
            -0.0,
            -0.01,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ] {
            let ours = Sgd::new(bad).unwrap_err().to_string();
            let theirs = ch04_backprop::Sgd::new(bad).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{bad}");
            assert!(ours.contains("learning rate"), "{ours}");
        }
    }

    #[test]
    fn a_bad_momentum_is_refused() {
        for good in [0.0f32, 0.5, 0.9, 0.999] {
            let sgd = Sgd::new(0.01).unwrap().with_momentum(good).unwrap();
            assert_eq!(sgd.momentum(), good);
            assert!(sgd.validate().is_ok());
        }
        for bad in [1.0f32, 1.5, -0.1, f32::NAN, f32::INFINITY] {
            let err = Sgd::new(0.01)
                .unwrap()
                .with_momentum(bad)
                .unwrap_err()
                .to_string();
            assert!(err.contains("momentum must be in [0, 1)"), "{bad}: {err}");
        }
    }

    #[test]
    fn velocities_handed_back_carry_the_momentum_on() {
        let (mut a, mut b) = (one_layer(), one_layer());
        let mut sgd = Sgd::new(0.1).unwrap().with_momentum(0.5).unwrap();
        backprop_ones(&mut a);
        sgd.step(&mut a).unwrap();
        assert_eq!(sgd.velocities().len(), 2); // weights and bias
        // A second optimizer given the first one's velocities takes the
        // same next step; without them it takes a smaller one.
        let mut other = Sgd::new(0.1).unwrap().with_momentum(0.5).unwrap();
        other.set_velocities(sgd.velocities().to_vec());
        let mut fresh = Sgd::new(0.1).unwrap().with_momentum(0.5).unwrap();
        let mut c = one_layer();
        backprop_ones(&mut a);
        sgd.step(&mut a).unwrap();
        backprop_ones(&mut b);
        other.step(&mut b).unwrap();
        backprop_ones(&mut c);
        fresh.step(&mut c).unwrap();
        // v = 0.5·(−0.1) − 0.1 = −0.15 with the velocity handed over, −0.1
        // without.
        assert_eq!(weights(&b), vec![0.85, 1.85]);
        assert_eq!(weights(&c), vec![0.9, 1.9]);
        assert_eq!(other.velocities(), sgd.velocities());
        assert_ne!(fresh.velocities(), sgd.velocities());
    }

    #[test]
    fn the_setter_checks_the_rate() {
        let mut sgd = Sgd::new(0.1).unwrap().with_momentum(0.5).unwrap();
        assert!(sgd.set_learning_rate(f32::NAN).is_err());
        assert!(sgd.set_learning_rate(0.0).is_err());
        assert_eq!(sgd.learning_rate(), 0.1);
        sgd.set_learning_rate(0.02).unwrap();
        assert_eq!((sgd.learning_rate(), sgd.momentum()), (0.02, 0.5));
    }
}
