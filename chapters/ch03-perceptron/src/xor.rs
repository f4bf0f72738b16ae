//! The XOR problem: four points that no single line can split.
//!
//! Exclusive or answers 1 when exactly one of its two inputs is 1. Plotted in
//! the plane, the two "1" corners, (0, 1) and (1, 0), sit on one diagonal of
//! the unit square and the two "0" corners on the other, so every straight
//! line leaves at least one corner on the wrong side. Chapter 4 reuses these
//! data for the network that *can* learn it.

use ndarray::Array2;

use crate::PerceptronError;
use crate::perceptron::Perceptron;
use crate::tlu::StepFunction;

// ANCHOR: data
/// The four input pairs, one per row.
pub const INPUTS: [[f32; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];

/// `a XOR b` for each row of [`INPUTS`], as 0 or 1.
pub const TARGETS: [f32; 4] = [0.0, 1.0, 1.0, 0.0];

/// The inputs as a `4 × 2` batch.
pub fn inputs() -> Array2<f32> {
    Array2::from_shape_fn((4, 2), |(i, j)| INPUTS[i][j])
}

/// The targets as a `4 × 1` batch of 0s and 1s.
pub fn targets() -> Array2<f32> {
    Array2::from_shape_fn((4, 1), |(i, _)| TARGETS[i])
}
// ANCHOR_END: data

/// The targets in the output values of `step`: 0/1 for Heaviside, −1/+1 for
/// the sign function.
pub fn targets_for(step: StepFunction) -> Array2<f32> {
    let [off, on] = step.outputs();
    targets().mapv(|t| if t == 1.0 { on } else { off })
}

// ANCHOR: correct_per_epoch
/// Trains a one-unit perceptron on XOR for `epochs` epochs (seeded
/// shuffling, no early stop) and counts, after each epoch, how many of the
/// four points it gets right.
pub fn correct_after_each_epoch(
    perceptron: &mut Perceptron,
    epochs: usize,
    learning_rate: f32,
    seed: u64,
) -> Result<Vec<usize>, PerceptronError> {
    let x = inputs();
    let y = targets_for(perceptron.step);
    let mut rng = ch00_toolbox::seeded_rng(seed);
    let mut correct = Vec::with_capacity(epochs);
    for _ in 0..epochs {
        perceptron.fit_epoch(x.view(), y.view(), learning_rate, &mut rng)?;
        let answers = perceptron.predict(x.view())?;
        correct.push(answers.iter().zip(&y).filter(|(a, b)| a == b).count());
    }
    Ok(correct)
}
// ANCHOR_END: correct_per_epoch

/// Like [`correct_after_each_epoch`], but also keeps a copy of the
/// perceptron after each epoch, to draw where its boundary went.
pub fn snapshots(
    perceptron: &mut Perceptron,
    epochs: usize,
    learning_rate: f32,
    seed: u64,
) -> Result<Vec<(usize, Perceptron)>, PerceptronError> {
    let x = inputs();
    let y = targets_for(perceptron.step);
    let mut rng = ch00_toolbox::seeded_rng(seed);
    let mut states = Vec::with_capacity(epochs);
    for _ in 0..epochs {
        perceptron.fit_epoch(x.view(), y.view(), learning_rate, &mut rng)?;
        let answers = perceptron.predict(x.view())?;
        let correct = answers.iter().zip(&y).filter(|(a, b)| a == b).count();
        states.push((correct, perceptron.clone()));
    }
    Ok(states)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xor_is_one_exactly_when_the_inputs_differ() {
        let x = inputs();
        let y = targets();
        for i in 0..4 {
            let differ = x[[i, 0]] != x[[i, 1]];
            assert_eq!(y[[i, 0]] == 1.0, differ);
        }
        assert_eq!(
            targets_for(StepFunction::Sign).column(0).to_vec(),
            vec![-1.0, 1.0, 1.0, -1.0]
        );
    }

    #[test]
    fn snapshots_count_like_the_plain_run() {
        let mut a = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
        let mut b = a.clone();
        let counts = correct_after_each_epoch(&mut a, 30, 0.1, 5).unwrap();
        let states = snapshots(&mut b, 30, 0.1, 5).unwrap();
        let from_states: Vec<usize> = states.iter().map(|(c, _)| *c).collect();
        assert_eq!(counts, from_states);
        assert_eq!(states.last().unwrap().1, a);
    }

    #[test]
    fn counting_needs_a_two_input_single_unit() {
        let mut wrong = Perceptron::new(3, 1, StepFunction::Heaviside).unwrap();
        assert!(matches!(
            correct_after_each_epoch(&mut wrong, 3, 1.0, 0),
            Err(PerceptronError::ShapeMismatch { .. })
        ));
    }
}
