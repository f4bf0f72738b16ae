//! One-vs-rest: several classes from several perceptron units.
//!
//! Train one unit per class to answer "this class or not". A layer of such
//! units is simply a [`Perceptron`] with one output per class, trained on
//! targets that have the "on" value in the flower's own column: each unit's
//! updates depend only on its own column, so the units learn independently.
//! To name one class per sample, take the unit with the largest net input.

use ndarray::{ArrayView1, ArrayView2};

use crate::PerceptronError;
use crate::perceptron::Perceptron;

// ANCHOR: predict_classes
/// The class of each sample: the index of the unit with the largest net
/// input (the first one on a tie).
pub fn predict_classes(
    perceptron: &Perceptron,
    x: ArrayView2<f32>,
) -> Result<Vec<usize>, PerceptronError> {
    let z = perceptron.net_input(x)?;
    Ok(z.rows().into_iter().map(argmax).collect())
}

fn argmax(row: ArrayView1<f32>) -> usize {
    let mut best = 0;
    for (j, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = j;
        }
    }
    best
}
// ANCHOR_END: predict_classes

/// How the accuracies moved during one-vs-rest training: see
/// [`fit_with_history`].
#[derive(Clone, Debug, PartialEq)]
pub struct AccuracyHistory {
    /// After each epoch, the accuracy of each unit on its own question
    /// ("this class or not"): one vector per epoch.
    pub per_unit: Vec<Vec<f32>>,
    /// After each epoch, the accuracy of the class named by the largest net
    /// input.
    pub combined: Vec<f32>,
}

// ANCHOR: fit_with_history
/// Trains a one-vs-rest layer for exactly `epochs` epochs (no early stop)
/// and measures both accuracies on `x` after every epoch. `targets` has one
/// column per class, `classes` the true class of each sample.
pub fn fit_with_history(
    perceptron: &mut Perceptron,
    x: ArrayView2<f32>,
    targets: ArrayView2<f32>,
    classes: &[usize],
    epochs: usize,
    learning_rate: f32,
    seed: u64,
) -> Result<AccuracyHistory, PerceptronError> {
    let mut rng = ch00_toolbox::seeded_rng(seed);
    let mut history = AccuracyHistory {
        per_unit: Vec::with_capacity(epochs),
        combined: Vec::with_capacity(epochs),
    };
    for _ in 0..epochs {
        perceptron.fit_epoch(x, targets, learning_rate, &mut rng)?;
        let per_unit = perceptron.accuracy_per_output(x, targets)?;
        history.per_unit.push(per_unit.to_vec());
        history
            .combined
            .push(accuracy(&predict_classes(perceptron, x)?, classes)?);
    }
    Ok(history)
}
// ANCHOR_END: fit_with_history

/// The fraction of `predicted` classes that equal `truth`.
pub fn accuracy(predicted: &[usize], truth: &[usize]) -> Result<f32, PerceptronError> {
    if predicted.len() != truth.len() {
        return Err(PerceptronError::ShapeMismatch {
            what: "predicted classes against true classes".into(),
            expected: vec![truth.len()],
            found: vec![predicted.len()],
        });
    }
    if truth.is_empty() {
        return Err(PerceptronError::EmptyBatch);
    }
    let right = predicted.iter().zip(truth).filter(|(p, t)| p == t).count();
    Ok(right as f32 / truth.len() as f32)
}

/// The most classes a [`confusion`] table may have: 4 096, a table of
/// 16 777 216 counts (128 MiB).
pub const MAX_CLASSES: usize = 4096;

/// A `classes × classes` table: row = true class, column = predicted class,
/// entry = how many samples. Classes at or above `classes`, and more than
/// [`MAX_CLASSES`] classes, are an error.
pub fn confusion(
    predicted: &[usize],
    truth: &[usize],
    classes: usize,
) -> Result<Vec<Vec<usize>>, PerceptronError> {
    accuracy(predicted, truth)?;
    if classes > MAX_CLASSES {
        return Err(PerceptronError::InvalidArgument(format!(
            "a confusion table of {classes} classes would be too large to hold \
             (at most {MAX_CLASSES} classes)"
        )));
    }
    let mut table = vec![vec![0; classes]; classes];
    for (&p, &t) in predicted.iter().zip(truth) {
        if p >= classes || t >= classes {
            return Err(PerceptronError::InvalidArgument(format!(
                "class {} is not below {classes}",
                p.max(t)
            )));
        }
        table[t][p] += 1;
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlu::StepFunction;
    use ndarray::array;

    #[test]
    fn the_largest_net_input_names_the_class() {
        // Unit j responds to input j.
        let p = Perceptron::from_parameters(
            array![[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            array![0.0, 0.0, 0.0],
            StepFunction::Heaviside,
        )
        .unwrap();
        let x = array![[5.0, 1.0, 2.0], [0.0, 0.0, 3.0], [-1.0, 2.0, 1.0]];
        let classes = predict_classes(&p, x.view()).unwrap();
        assert_eq!(classes, vec![0, 2, 1]);
        assert!((accuracy(&classes, &[0, 2, 2]).unwrap() - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(
            confusion(&classes, &[0, 2, 2], 3).unwrap(),
            vec![vec![1, 0, 0], vec![0, 0, 0], vec![0, 1, 1]]
        );
    }

    #[test]
    fn the_history_has_one_entry_per_epoch_and_unit() {
        let x = array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
        // Class 0: x2 = 0; class 1: x2 = 1. Both questions are separable.
        let t = array![[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]];
        let mut p = Perceptron::new(2, 2, StepFunction::Heaviside).unwrap();
        let h = fit_with_history(&mut p, x.view(), t.view(), &[0, 1, 0, 1], 20, 1.0, 0).unwrap();
        assert_eq!(h.per_unit.len(), 20);
        assert_eq!(h.per_unit[19], vec![1.0, 1.0]);
        assert_eq!(h.combined[19], 1.0);
        assert!(fit_with_history(&mut p, x.view(), t.view(), &[0, 1], 2, 1.0, 0).is_err());
    }

    #[test]
    fn mismatched_lengths_and_classes_are_errors() {
        assert!(accuracy(&[0, 1], &[0]).is_err());
        assert!(accuracy(&[], &[]).is_err());
        assert!(confusion(&[3], &[0], 3).is_err());
    }
}
