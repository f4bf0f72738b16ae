//! The confusion matrix: which classes the model mistakes for which.

use ch03_perceptron::multiclass::confusion;
use ch04_backprop::NetError;
use ndarray::Array2;

// ANCHOR: confusion
/// `counts[[t, p]]` is the number of samples of true class `t` that the
/// model predicted as class `p`; the diagonal holds the correct answers.
/// The counting is chapter 3's [`confusion`], which the one-vs-rest
/// perceptrons already used on Iris; here it comes back as a matrix.
pub fn confusion_matrix(
    predicted: &[usize],
    labels: &[u8],
    classes: usize,
) -> Result<Array2<usize>, NetError> {
    let truth: Vec<usize> = labels.iter().map(|&t| usize::from(t)).collect();
    let table = confusion(predicted, &truth, classes)?;
    Ok(Array2::from_shape_fn((classes, classes), |(t, p)| {
        table[t][p]
    }))
}
// ANCHOR_END: confusion

/// The `k` largest off-diagonal entries as `(true class, predicted class,
/// count)`, largest first: the model's most frequent mistakes.
pub fn top_confusions(counts: &Array2<usize>, k: usize) -> Vec<(usize, usize, usize)> {
    let mut off: Vec<(usize, usize, usize)> = counts
        .indexed_iter()
        .filter(|&((t, p), &c)| t != p && c > 0)
        .map(|((t, p), &c)| (t, p, c))
        .collect();
    off.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    off.truncate(k);
    off
}

/// The fraction of each class's samples that were classified correctly
/// (the recall of each class); 0 for a class with no samples.
pub fn per_class_accuracy(counts: &Array2<usize>) -> Vec<f32> {
    counts
        .rows()
        .into_iter()
        .enumerate()
        .map(|(t, row)| {
            // Summed as f64 so that no count can overflow; a matrix that is
            // not square has no diagonal entry in some rows: 0 there.
            let total: f64 = row.iter().map(|&c| c as f64).sum();
            let right = row.get(t).map_or(0.0, |&c| c as f64);
            if total == 0.0 {
                0.0
            } else {
                (right / total) as f32
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn counts_land_in_true_row_and_predicted_column() {
        let cm = confusion_matrix(&[0, 1, 1, 2, 0], &[0, 1, 2, 2, 2], 3).unwrap();
        assert_eq!(cm, array![[1, 0, 0], [0, 1, 0], [1, 1, 1]]);
        assert_eq!(cm.sum(), 5);
        assert_eq!(top_confusions(&cm, 5), vec![(2, 0, 1), (2, 1, 1)]);
        let acc = per_class_accuracy(&cm);
        assert_eq!(acc[0], 1.0);
        assert!((acc[2] - 1.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(confusion_matrix(&[0, 1], &[0], 2).is_err());
        assert!(confusion_matrix(&[3], &[0], 2).is_err());
        assert!(confusion_matrix(&[0], &[5], 2).is_err());
    }
}
