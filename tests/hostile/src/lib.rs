//! The inputs a hostile caller tries, as `proptest` strategies shared by the
//! chapters' `tests/hostile_inputs.rs`: ordinary values beside zero, the
//! extremes, NaN and ±∞; small sizes beside absurd ones; small matrices of
//! such values. A chapter that needs more keeps its own strategy next to its
//! tests and builds it from these.

#![forbid(unsafe_code)]

use ndarray::Array2;
use proptest::prelude::*;

/// Values a hostile caller tries: ordinary ones, zero, extremes, NaN, ±∞.
pub fn any_value() -> impl Strategy<Value = f32> + Clone {
    prop_oneof![
        4 => -3.0f32..3.0,
        1 => Just(0.0f32),
        1 => Just(f32::NAN),
        1 => Just(f32::INFINITY),
        1 => Just(f32::NEG_INFINITY),
        1 => Just(f32::MAX),
        1 => Just(-1e30f32),
    ]
}

/// Sizes a hostile caller tries: small ones (0 included) and absurd ones.
pub fn any_size() -> impl Strategy<Value = usize> + Clone {
    prop_oneof![
        6 => 0usize..5,
        1 => Just(usize::MAX / 2),
        1 => Just(usize::MAX),
        1 => Just(1usize << 40),
    ]
}

/// A matrix of 0 to 4 rows and columns filled with [`any_value`]s.
pub fn any_matrix() -> impl Strategy<Value = Array2<f32>> {
    matrix_of(any_value(), 4)
}

/// A matrix of 0 to `max_side` rows and columns filled with `values`.
pub fn matrix_of(
    values: impl Strategy<Value = f32> + Clone,
    max_side: usize,
) -> impl Strategy<Value = Array2<f32>> {
    (0..=max_side, 0..=max_side).prop_flat_map(move |(r, c)| {
        proptest::collection::vec(values.clone(), r * c)
            .prop_map(move |v| Array2::from_shape_vec((r, c), v).expect("r × c values"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn values_reach_every_hostile_kind() {
        let mut runner = TestRunner::deterministic();
        let draws: Vec<f32> = (0..2000)
            .map(|_| any_value().new_tree(&mut runner).unwrap().current())
            .collect();
        assert!(draws.iter().any(|v| v.is_nan()));
        assert!(draws.contains(&f32::INFINITY));
        assert!(draws.contains(&f32::NEG_INFINITY));
        assert!(draws.contains(&f32::MAX));
        assert!(draws.contains(&0.0));
        assert!(
            draws
                .iter()
                .any(|v| v.is_finite() && v.abs() < 3.0 && *v != 0.0)
        );
    }

    #[test]
    fn sizes_reach_zero_and_the_absurd() {
        let mut runner = TestRunner::deterministic();
        let draws: Vec<usize> = (0..500)
            .map(|_| any_size().new_tree(&mut runner).unwrap().current())
            .collect();
        assert!(draws.contains(&0));
        assert!(draws.contains(&usize::MAX));
        assert!(draws.contains(&(1 << 40)));
    }

    #[test]
    fn matrices_stay_within_their_side_and_reach_empty_and_full() {
        let mut runner = TestRunner::deterministic();
        let shapes: Vec<(usize, usize)> = (0..500)
            .map(|_| {
                matrix_of(any_value(), 3)
                    .new_tree(&mut runner)
                    .unwrap()
                    .current()
                    .dim()
            })
            .collect();
        assert!(shapes.iter().all(|&(r, c)| r <= 3 && c <= 3));
        assert!(shapes.contains(&(0, 0)));
        assert!(shapes.contains(&(3, 3)));
    }
}
