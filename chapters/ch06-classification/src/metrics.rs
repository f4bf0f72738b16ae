//! Metrics: numbers a person reads, as opposed to the loss the optimiser reads.

use ch04_backprop::NetError;
use ndarray::{ArrayView1, ArrayView2};

/// The index of the largest entry of a row (the first one on ties), or
/// `None` for an empty row.
pub fn argmax(row: ArrayView1<f32>) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (i, &v) in row.iter().enumerate() {
        match best {
            Some((_, b)) if v <= b => {}
            _ => best = Some((i, v)),
        }
    }
    best.map(|(i, _)| i)
}

/// The predicted class of every row of a `B × K` matrix of scores (logits or
/// probabilities: softmax does not change which entry is largest).
pub fn predicted_classes(scores: ArrayView2<f32>) -> Result<Vec<usize>, NetError> {
    if scores.ncols() == 0 {
        return Err(NetError::InvalidArgument(
            "scores have no columns, so there is no class to predict".to_string(),
        ));
    }
    Ok(scores
        .rows()
        .into_iter()
        .map(|r| argmax(r).unwrap_or(0))
        .collect())
}

// ANCHOR: accuracy
/// The fraction of rows whose largest score is at the true label's column.
pub fn accuracy<L: Copy + Into<usize>>(
    scores: ArrayView2<f32>,
    labels: &[L],
) -> Result<f32, NetError> {
    if scores.nrows() == 0 {
        return Err(NetError::EmptyBatch);
    }
    if labels.len() != scores.nrows() {
        return Err(NetError::ShapeMismatch {
            what: "labels (one per row of the scores)".to_string(),
            expected: vec![scores.nrows()],
            found: vec![labels.len()],
        });
    }
    let predicted = predicted_classes(scores)?;
    let correct = predicted
        .iter()
        .zip(labels)
        .filter(|&(&p, &l)| p == l.into())
        .count();
    Ok(correct as f32 / labels.len() as f32)
}
// ANCHOR_END: accuracy

/// Accuracy of a binary or multilabel classifier given its logits and 0/1
/// targets of the same shape: an entry counts as "yes" when its logit is
/// above 0 (its sigmoid above ½), and the result is the fraction of entries
/// where that matches a target above ½.
pub fn binary_accuracy(logits: ArrayView2<f32>, targets: ArrayView2<f32>) -> Result<f32, NetError> {
    if logits.is_empty() {
        return Err(NetError::EmptyBatch);
    }
    if logits.shape() != targets.shape() {
        return Err(NetError::ShapeMismatch {
            what: "targets (same shape as the logits)".to_string(),
            expected: logits.shape().to_vec(),
            found: targets.shape().to_vec(),
        });
    }
    let correct = logits
        .iter()
        .zip(targets)
        .filter(|&(&z, &t)| (z > 0.0) == (t > 0.5))
        .count();
    Ok(correct as f32 / logits.len() as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};

    #[test]
    fn accuracy_counts_rows_whose_argmax_is_the_label() {
        let scores = array![
            [0.1f32, 0.7, 0.2],
            [2.0, -1.0, 0.0],
            [0.0, 0.0, 5.0],
            [1.0, 3.0, 2.0]
        ];
        assert_eq!(accuracy(scores.view(), &[1u8, 0, 2, 1]).unwrap(), 1.0);
        assert_eq!(accuracy(scores.view(), &[1u8, 0, 0, 0]).unwrap(), 0.5);
        assert_eq!(accuracy(scores.view(), &[0usize, 1, 1, 2]).unwrap(), 0.0);
        assert_eq!(predicted_classes(scores.view()).unwrap(), vec![1, 0, 2, 1]);
    }

    #[test]
    fn ties_go_to_the_first_class() {
        assert_eq!(argmax(array![1.0f32, 3.0, 3.0].view()), Some(1));
        assert_eq!(argmax(ndarray::Array1::<f32>::zeros(0).view()), None);
    }

    #[test]
    fn binary_accuracy_thresholds_logits_at_zero() {
        let z = array![[0.5f32, -2.0], [-0.1, 3.0]];
        let t = array![[1.0f32, 0.0], [1.0, 1.0]];
        assert_eq!(binary_accuracy(z.view(), t.view()).unwrap(), 0.75);
    }

    #[test]
    fn mismatched_or_empty_inputs_are_errors() {
        let scores = array![[0.1f32, 0.9]];
        assert!(matches!(
            accuracy(scores.view(), &[0u8, 1]).unwrap_err(),
            NetError::ShapeMismatch { .. }
        ));
        let empty = Array2::<f32>::zeros((0, 2));
        assert_eq!(
            accuracy::<u8>(empty.view(), &[]).unwrap_err(),
            NetError::EmptyBatch
        );
        assert!(predicted_classes(Array2::<f32>::zeros((2, 0)).view()).is_err());
        assert!(binary_accuracy(scores.view(), array![[1.0f32]].view()).is_err());
    }
}
