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

/// A `classes × classes` table: row = true class, column = predicted class,
/// entry = how many samples. Classes at or above `classes` are an error.
pub fn confusion(
    predicted: &[usize],
    truth: &[usize],
    classes: usize,
) -> Result<Vec<Vec<usize>>, PerceptronError> {
    accuracy(predicted, truth)?;
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
    fn mismatched_lengths_and_classes_are_errors() {
        assert!(accuracy(&[0, 1], &[0]).is_err());
        assert!(accuracy(&[], &[]).is_err());
        assert!(confusion(&[3], &[0], 3).is_err());
    }
}
