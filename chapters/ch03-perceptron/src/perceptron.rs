//! The perceptron: one layer of threshold logic units sharing the same inputs,
//! and Rosenblatt's rule for learning their weights.
//!
//! Shapes follow the rest of the book: a batch `x` is `samples × inputs`, the
//! weights are `inputs × outputs` (one column per unit), the bias has one
//! entry per unit, and targets are `samples × outputs`.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use rand::Rng;
use rand::seq::SliceRandom;

use crate::PerceptronError;
use crate::tlu::{StepFunction, Tlu};

// ANCHOR: struct
/// A layer of threshold logic units, all reading the same inputs.
///
/// Unit `j` has the weights in column `j` of [`weights`](Self::weights) and
/// the bias `bias[j]`; every unit applies the same [`StepFunction`].
#[derive(Clone, Debug, PartialEq)]
pub struct Perceptron {
    /// The weights, `inputs × outputs`: column `j` belongs to unit `j`.
    pub weights: Array2<f32>,
    /// One bias per unit.
    pub bias: Array1<f32>,
    /// The step every unit applies to its net input.
    pub step: StepFunction,
}
// ANCHOR_END: struct

/// How to train: the learning rate η, the most passes over the data,
/// and the seed of the shuffling.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainConfig {
    /// The learning rate η > 0.
    pub learning_rate: f32,
    /// Training stops after this many epochs even if mistakes remain.
    pub max_epochs: usize,
    /// Seed of the generator that shuffles the samples before each epoch.
    pub seed: u64,
}

/// What happened during [`Perceptron::fit`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainReport {
    /// For each epoch, how many updates each unit made: `epochs × outputs`.
    /// An update happens exactly when a unit's answer was wrong.
    pub mistakes: Array2<usize>,
    /// True when the last epoch made no mistake at all: every training
    /// sample is then classified correctly by the final weights.
    pub converged: bool,
}

impl TrainReport {
    /// The number of epochs that ran.
    pub fn epochs(&self) -> usize {
        self.mistakes.nrows()
    }

    /// The mistakes of each epoch, summed over the units.
    pub fn mistakes_per_epoch(&self) -> Vec<usize> {
        self.mistakes.sum_axis(Axis(1)).to_vec()
    }

    /// All the updates of the whole run.
    pub fn total_mistakes(&self) -> usize {
        self.mistakes.sum()
    }
}

impl Perceptron {
    /// A perceptron of `n_outputs` units on `n_inputs` inputs with every
    /// weight and bias at zero, the classic starting point.
    pub fn new(
        n_inputs: usize,
        n_outputs: usize,
        step: StepFunction,
    ) -> Result<Perceptron, PerceptronError> {
        check_size(n_inputs, n_outputs)?;
        Perceptron::from_parameters(
            Array2::zeros((n_inputs, n_outputs)),
            Array1::zeros(n_outputs),
            step,
        )
    }

    /// A perceptron whose weights and biases are drawn uniformly from
    /// `[-scale, scale)`.
    pub fn random(
        n_inputs: usize,
        n_outputs: usize,
        step: StepFunction,
        scale: f32,
        rng: &mut impl Rng,
    ) -> Result<Perceptron, PerceptronError> {
        // The range [−scale, scale) must have a finite width, 2·scale.
        if !(scale.is_finite() && scale > 0.0 && scale <= f32::MAX / 2.0) {
            return Err(PerceptronError::InvalidArgument(format!(
                "the scale of random weights must be positive, at most f32::MAX / 2, got {scale}"
            )));
        }
        let mut p = Perceptron::new(n_inputs, n_outputs, step)?;
        p.weights.mapv_inplace(|_| rng.random_range(-scale..scale));
        p.bias.mapv_inplace(|_| rng.random_range(-scale..scale));
        Ok(p)
    }

    /// A perceptron with the given weights (`inputs × outputs`) and biases.
    pub fn from_parameters(
        weights: Array2<f32>,
        bias: Array1<f32>,
        step: StepFunction,
    ) -> Result<Perceptron, PerceptronError> {
        if weights.nrows() == 0 || weights.ncols() == 0 {
            return Err(PerceptronError::InvalidArgument(format!(
                "a perceptron needs at least one input and one unit, got weights of shape {:?}",
                weights.shape()
            )));
        }
        if bias.len() != weights.ncols() {
            return Err(PerceptronError::ShapeMismatch {
                what: "bias".into(),
                expected: vec![weights.ncols()],
                found: vec![bias.len()],
            });
        }
        Ok(Perceptron {
            weights,
            bias,
            step,
        })
    }

    /// How many inputs each unit reads.
    pub fn n_inputs(&self) -> usize {
        self.weights.nrows()
    }

    /// How many units (outputs) the layer has.
    pub fn n_outputs(&self) -> usize {
        self.weights.ncols()
    }

    /// Unit `j` as a stand-alone [`Tlu`], or `None` if there is no such unit.
    pub fn unit(&self, j: usize) -> Option<Tlu> {
        (j < self.n_outputs()).then(|| Tlu {
            weights: self.weights.column(j).to_owned(),
            bias: self.bias[j],
            step: self.step,
        })
    }

    // ANCHOR: predict
    /// The net inputs of every unit for every sample: `x · W + b`,
    /// `samples × outputs`.
    pub fn net_input(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, PerceptronError> {
        self.check_inputs(x)?;
        Ok(x.dot(&self.weights) + &self.bias)
    }

    /// The answers of every unit for every sample: the step of the net input.
    pub fn predict(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, PerceptronError> {
        let step = self.step;
        Ok(self.net_input(x)?.mapv_into(|z| step.value(z)))
    }
    // ANCHOR_END: predict

    /// The fraction of samples whose answers are all right (for a single
    /// unit: the usual accuracy).
    pub fn accuracy(&self, x: ArrayView2<f32>, y: ArrayView2<f32>) -> Result<f32, PerceptronError> {
        let answers = self.predict(x)?;
        self.check_targets(y, x.nrows())?;
        let right = answers
            .rows()
            .into_iter()
            .zip(y.rows())
            .filter(|(a, t)| a == t)
            .count();
        Ok(right as f32 / x.nrows() as f32)
    }

    /// The accuracy of each unit on its own column of `y`.
    pub fn accuracy_per_output(
        &self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
    ) -> Result<Array1<f32>, PerceptronError> {
        let answers = self.predict(x)?;
        self.check_targets(y, x.nrows())?;
        let right = (&answers - &y).mapv(|d| if d == 0.0 { 1.0 } else { 0.0 });
        right.mean_axis(Axis(0)).ok_or(PerceptronError::EmptyBatch)
    }

    /// The perceptron learning rule for one sample `x` with targets `y`:
    /// every unit `j` moves by `η (y[j] − ŷ[j]) x`, its bias by `η (y[j] − ŷ[j])`.
    /// A unit that answered right has `y[j] − ŷ[j] = 0` and stays.
    /// Returns how many units were wrong (and therefore updated).
    pub fn learn_one(
        &mut self,
        x: ArrayView1<f32>,
        y: ArrayView1<f32>,
        learning_rate: f32,
    ) -> Result<usize, PerceptronError> {
        let x2 = x.view().insert_axis(Axis(0));
        let y2 = y.view().insert_axis(Axis(0));
        self.check_inputs(x2)?;
        self.check_targets(y2, 1)?;
        check_learning_rate(learning_rate)?;
        let mut mistakes = Array1::zeros(self.n_outputs());
        self.update(x, y, learning_rate, &mut mistakes);
        Ok(mistakes.sum())
    }

    // ANCHOR: update
    /// The rule itself, on inputs that have been checked. Adds one to
    /// `mistakes[j]` for every unit `j` that was wrong.
    fn update(
        &mut self,
        x: ArrayView1<f32>,
        y: ArrayView1<f32>,
        learning_rate: f32,
        mistakes: &mut Array1<usize>,
    ) {
        for j in 0..self.n_outputs() {
            let z = x.dot(&self.weights.column(j)) + self.bias[j];
            let error = y[j] - self.step.value(z);
            if error != 0.0 {
                mistakes[j] += 1;
                self.weights
                    .column_mut(j)
                    .scaled_add(learning_rate * error, &x);
                self.bias[j] += learning_rate * error;
            }
        }
    }
    // ANCHOR_END: update

    // ANCHOR: fit_epoch
    /// One epoch: every sample once, in an order shuffled by `rng`, each
    /// followed at once by the learning rule. Returns each unit's number of
    /// mistakes during the epoch.
    pub fn fit_epoch(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        learning_rate: f32,
        rng: &mut impl Rng,
    ) -> Result<Array1<usize>, PerceptronError> {
        self.check_inputs(x)?;
        self.check_targets(y, x.nrows())?;
        check_learning_rate(learning_rate)?;
        let mut order: Vec<usize> = (0..x.nrows()).collect();
        order.shuffle(rng);
        let mut mistakes = Array1::zeros(self.n_outputs());
        for i in order {
            self.update(x.row(i), y.row(i), learning_rate, &mut mistakes);
        }
        Ok(mistakes)
    }
    // ANCHOR_END: fit_epoch

    // ANCHOR: fit
    /// Trains for up to `config.max_epochs` epochs and stops early after the
    /// first epoch without a single mistake (the perceptron has converged).
    pub fn fit(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        config: &TrainConfig,
    ) -> Result<TrainReport, PerceptronError> {
        if config.max_epochs == 0 {
            return Err(PerceptronError::InvalidArgument(
                "max_epochs must be at least 1".into(),
            ));
        }
        let mut rng = ch00_toolbox::seeded_rng(config.seed);
        let mut history = Vec::new();
        let mut converged = false;
        for _ in 0..config.max_epochs {
            let mistakes = self.fit_epoch(x, y, config.learning_rate, &mut rng)?;
            converged = mistakes.sum() == 0;
            history.push(mistakes);
            if converged {
                break;
            }
        }
        let views: Vec<ArrayView2<usize>> = history
            .iter()
            .map(|m| m.view().insert_axis(Axis(0)))
            .collect();
        let mistakes = ndarray::concatenate(Axis(0), &views)
            .map_err(|e| PerceptronError::InvalidArgument(e.to_string()))?;
        Ok(TrainReport {
            mistakes,
            converged,
        })
    }
    // ANCHOR_END: fit

    /// Checks that `x` has one column per input, at least one row, and only
    /// finite numbers.
    fn check_inputs(&self, x: ArrayView2<f32>) -> Result<(), PerceptronError> {
        if x.ncols() != self.n_inputs() {
            return Err(PerceptronError::ShapeMismatch {
                what: "inputs (samples × features)".into(),
                expected: vec![x.nrows(), self.n_inputs()],
                found: x.shape().to_vec(),
            });
        }
        if x.nrows() == 0 {
            return Err(PerceptronError::EmptyBatch);
        }
        if let Some(((row, column), _)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(PerceptronError::NonFiniteInput { row, column });
        }
        Ok(())
    }

    /// Checks that `y` is `samples × outputs` and holds only values the step
    /// function can output.
    fn check_targets(&self, y: ArrayView2<f32>, samples: usize) -> Result<(), PerceptronError> {
        let expected = vec![samples, self.n_outputs()];
        if y.shape() != expected.as_slice() {
            return Err(PerceptronError::ShapeMismatch {
                what: "targets (samples × outputs)".into(),
                expected,
                found: y.shape().to_vec(),
            });
        }
        let allowed = self.step.outputs();
        if let Some(((row, column), &value)) = y.indexed_iter().find(|(_, v)| !allowed.contains(v))
        {
            return Err(PerceptronError::InvalidTarget {
                row,
                column,
                value,
                allowed,
            });
        }
        Ok(())
    }
}

/// The most weights a perceptron may have: 2³⁰ (4 GiB of `f32`). A larger
/// matrix could not be allocated, and ndarray would panic on its shape.
pub const MAX_WEIGHTS: usize = 1 << 30;

/// Refuses an `n_inputs × n_outputs` weight matrix larger than
/// [`MAX_WEIGHTS`] (axes of length 0 count as 1, as ndarray counts them).
fn check_size(n_inputs: usize, n_outputs: usize) -> Result<(), PerceptronError> {
    match n_inputs.max(1).checked_mul(n_outputs.max(1)) {
        Some(n) if n <= MAX_WEIGHTS => Ok(()),
        _ => Err(PerceptronError::InvalidArgument(format!(
            "a perceptron of {n_inputs} inputs × {n_outputs} units would have more than \
             {MAX_WEIGHTS} weights"
        ))),
    }
}

/// The learning rate must be a positive, finite number: chapter 0's check
/// ([`ch00_toolbox::check_learning_rate`]), as a [`PerceptronError`].
fn check_learning_rate(learning_rate: f32) -> Result<(), PerceptronError> {
    ch00_toolbox::check_learning_rate(learning_rate).map_err(PerceptronError::InvalidArgument)
}

/// Targets for a perceptron with one unit, from yes/no labels: the step's
/// "on" value for `true` and its "off" value for `false`, `samples × 1`.
pub fn targets_from_labels(labels: &[bool], step: StepFunction) -> Array2<f32> {
    let [off, on] = step.outputs();
    Array2::from_shape_fn((labels.len(), 1), |(i, _)| if labels[i] { on } else { off })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn one_wrong_answer_moves_the_weights_by_eta_times_error_times_x() {
        // Zero weights: z = 0, the Heaviside unit fires (ŷ = 1) but the target is 0.
        let mut p = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
        let wrong = p
            .learn_one(array![2.0, -1.0].view(), array![0.0].view(), 0.5)
            .unwrap();
        assert_eq!(wrong, 1);
        // w ← 0 + 0.5 · (0 − 1) · (2, −1) = (−1, 0.5); b ← 0 + 0.5 · (0 − 1) = −0.5.
        assert_eq!(p.weights, array![[-1.0], [0.5]]);
        assert_eq!(p.bias, array![-0.5]);
        // A right answer changes nothing.
        let before = p.clone();
        let wrong = p
            .learn_one(array![2.0, -1.0].view(), array![0.0].view(), 0.5)
            .unwrap();
        assert_eq!(wrong, 0);
        assert_eq!(p, before);
    }

    #[test]
    fn sign_units_take_steps_twice_as_long() {
        let mut p = Perceptron::new(1, 1, StepFunction::Sign).unwrap();
        p.learn_one(array![3.0].view(), array![-1.0].view(), 1.0)
            .unwrap();
        // y − ŷ = −1 − 1 = −2.
        assert_eq!(p.weights, array![[-6.0]]);
        assert_eq!(p.bias, array![-2.0]);
    }

    #[test]
    fn units_of_one_layer_learn_independently() {
        let mut p = Perceptron::new(2, 2, StepFunction::Heaviside).unwrap();
        // Unit 0 is right (target 1, answer 1), unit 1 is wrong (target 0).
        let wrong = p
            .learn_one(array![1.0, 1.0].view(), array![1.0, 0.0].view(), 1.0)
            .unwrap();
        assert_eq!(wrong, 1);
        assert_eq!(p.weights.column(0), array![0.0, 0.0]);
        assert_eq!(p.weights.column(1), array![-1.0, -1.0]);
        assert_eq!(p.unit(1).unwrap().bias, -1.0);
        assert!(p.unit(2).is_none());
    }

    #[test]
    fn fit_learns_and_stops_after_a_clean_epoch() {
        let x = array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
        let y_or = array![[0.0], [1.0], [1.0], [1.0]];
        let mut p = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
        let config = TrainConfig {
            learning_rate: 1.0,
            max_epochs: 50,
            seed: 3,
        };
        let report = p.fit(x.view(), y_or.view(), &config).unwrap();
        assert!(report.converged);
        assert!(report.epochs() < 50);
        assert_eq!(*report.mistakes_per_epoch().last().unwrap(), 0);
        assert!(report.total_mistakes() > 0);
        assert_eq!(p.predict(x.view()).unwrap(), y_or);
        assert_eq!(p.accuracy(x.view(), y_or.view()).unwrap(), 1.0);
    }

    #[test]
    fn the_same_seed_gives_the_same_weights() {
        let x = array![[0.0, 2.0], [1.0, 0.5], [2.0, 1.0], [0.5, 3.0]];
        let y = array![[1.0], [0.0], [0.0], [1.0]];
        let config = TrainConfig {
            learning_rate: 0.1,
            max_epochs: 20,
            seed: 9,
        };
        let mut a = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
        let mut b = a.clone();
        let ra = a.fit(x.view(), y.view(), &config).unwrap();
        let rb = b.fit(x.view(), y.view(), &config).unwrap();
        assert_eq!(a, b);
        assert_eq!(ra, rb);
    }

    #[test]
    fn wrong_shapes_and_targets_are_errors_that_say_what_was_wrong() {
        let mut p = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
        let x3 = array![[1.0, 2.0, 3.0]];
        let err = p.predict(x3.view()).unwrap_err();
        assert_eq!(
            err,
            PerceptronError::ShapeMismatch {
                what: "inputs (samples × features)".into(),
                expected: vec![1, 2],
                found: vec![1, 3],
            }
        );
        let x = array![[1.0, 2.0], [3.0, 4.0]];
        let y_short = array![[1.0]];
        assert!(matches!(
            p.accuracy(x.view(), y_short.view()),
            Err(PerceptronError::ShapeMismatch { .. })
        ));
        let y_sign = array![[1.0], [-1.0]];
        let config = TrainConfig {
            learning_rate: 1.0,
            max_epochs: 5,
            seed: 0,
        };
        assert_eq!(
            p.fit(x.view(), y_sign.view(), &config).unwrap_err(),
            PerceptronError::InvalidTarget {
                row: 1,
                column: 0,
                value: -1.0,
                allowed: [0.0, 1.0]
            }
        );
        let bad_rate = TrainConfig {
            learning_rate: 0.0,
            ..config
        };
        let y = array![[1.0], [0.0]];
        assert!(matches!(
            p.fit(x.view(), y.view(), &bad_rate),
            Err(PerceptronError::InvalidArgument(_))
        ));
        let nan = array![[1.0, f32::NAN]];
        assert_eq!(
            p.predict(nan.view()).unwrap_err(),
            PerceptronError::NonFiniteInput { row: 0, column: 1 }
        );
        let empty = Array2::<f32>::zeros((0, 2));
        assert_eq!(
            p.predict(empty.view()).unwrap_err(),
            PerceptronError::EmptyBatch
        );
        assert!(Perceptron::new(0, 1, StepFunction::Sign).is_err());
        assert!(
            Perceptron::from_parameters(
                Array2::zeros((2, 2)),
                Array1::zeros(3),
                StepFunction::Sign
            )
            .is_err()
        );
        // Nothing was learned from the bad calls.
        assert_eq!(p, Perceptron::new(2, 1, StepFunction::Heaviside).unwrap());
    }

    #[test]
    fn labels_become_targets_of_the_step() {
        let t = targets_from_labels(&[true, false], StepFunction::Sign);
        assert_eq!(t, array![[1.0], [-1.0]]);
        let t = targets_from_labels(&[true, false], StepFunction::Heaviside);
        assert_eq!(t, array![[1.0], [0.0]]);
    }
}
