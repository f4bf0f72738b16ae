//! Histograms of a layer's weights, in the form TensorBoard stores them.

use super::TensorBoardError;
use super::proto::HistogramProto;

// ANCHOR: histogram
/// The number of buckets of each histogram, as in Keras.
pub const BUCKETS: usize = 30;

/// The histogram of the finite numbers among `values`, in `buckets` buckets
/// of equal width from the smallest to the largest. A value on the edge
/// between two buckets counts in the left one, as TensorBoard reads it.
/// NaN and infinities are left out (a layer gone NaN shows as fewer
/// values); when every value is the same there is one bucket, and when
/// none is finite, none.
pub fn histogram(
    values: impl IntoIterator<Item = f32>,
    buckets: usize,
) -> Result<HistogramProto, TensorBoardError> {
    if buckets == 0 {
        return Err(TensorBoardError::Invalid(
            "a histogram needs at least one bucket".into(),
        ));
    }
    let values: Vec<f64> = values
        .into_iter()
        .filter(|v| v.is_finite())
        .map(f64::from)
        .collect();
    let Some(&first) = values.first() else {
        return Ok(HistogramProto::default());
    };
    let (min, max) = values
        .iter()
        .fold((first, first), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let buckets = if min < max { buckets } else { 1 };
    let width = (max - min) / buckets as f64;
    // The right edges; the last is `max` itself, never a rounded sum.
    let mut limits: Vec<f64> = (1..buckets).map(|i| min + width * i as f64).collect();
    limits.push(max);
    let mut counts = vec![0.0; buckets];
    for &v in &values {
        // The first bucket whose right edge is at or past v.
        counts[limits.partition_point(|&edge| edge < v)] += 1.0;
    }
    Ok(HistogramProto {
        min,
        max,
        num: values.len() as f64,
        sum: values.iter().sum(),
        sum_squares: values.iter().map(|v| v * v).sum(),
        bucket_limit: limits,
        bucket: counts,
    })
}
// ANCHOR_END: histogram

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_values_in_two_buckets() {
        // Edges 0 < 1.5 < 3: 0, 1 and 1.5 in the first, 2 and 3 in the second.
        let h = histogram([2.0, 0.0, 1.5, 3.0, 1.0], 2).unwrap();
        assert_eq!((h.min, h.max, h.num), (0.0, 3.0, 5.0));
        assert_eq!((h.sum, h.sum_squares), (7.5, 16.25));
        assert_eq!(h.bucket_limit, [1.5, 3.0]);
        assert_eq!(h.bucket, [3.0, 2.0]);
    }

    #[test]
    fn equal_values_make_one_bucket_and_no_values_none() {
        let h = histogram([0.25; 4], BUCKETS).unwrap();
        assert_eq!((h.bucket_limit, h.bucket), (vec![0.25], vec![4.0]));
        let h = histogram([f32::NAN, f32::INFINITY], BUCKETS).unwrap();
        assert_eq!(h, HistogramProto::default());
        let h = histogram([f32::NAN, -1.0, 1.0], 2).unwrap();
        assert_eq!((h.num, h.bucket), (2.0, vec![1.0, 1.0]));
    }

    #[test]
    fn zero_buckets_is_an_error() {
        assert!(histogram([1.0], 0).is_err());
    }
}
