//! Whatever a caller hands the chapter's public functions, the answer is
//! `Ok` or an error, never a panic.

use ch00_toolbox::figure::svg_string;
use ch00_toolbox::seeded_rng;
use ch02_hebb::association::{bipolar, flip, hadamard, random_bipolar, sign_agreement};
use ch02_hebb::data::correlated_cloud;
use ch02_hebb::error::MAX_ELEMENTS;
use ch02_hebb::experiments::{CapacityPoint, CloudSettings, capacity, predicted_recall, run_cloud};
use ch02_hebb::figures::{
    alignment, draw_capacity, draw_eigenvectors, draw_growth, draw_oja_direction,
};
use ch02_hebb::learning::norm;
use ch02_hebb::pca::{center, cosine, covariance, eigen_2x2, leading_eigenvector_2x2};
use ch02_hebb::primer::{average, erf, normal_cdf, oja_step_error, outer};
use ch02_hebb::{LinearAssociator, Rule, Trajectory, hebb_update, oja_update, output, train};
use hostile_inputs::{any_size, matrix_of};
use ndarray::{Array1, Array2};
use proptest::prelude::*;

/// The shared hostile values, and a large finite one whose square is still
/// finite in `f32` but whose fourth power is not.
fn any_value() -> impl Strategy<Value = f32> + Clone {
    prop_oneof![
        10 => hostile_inputs::any_value(),
        1 => Just(1e15f32),
    ]
}

/// A matrix of 0 to 4 rows and columns filled with [`any_value`]s.
fn any_matrix() -> impl Strategy<Value = Array2<f32>> {
    matrix_of(any_value(), 4)
}

/// A matrix of 0 to 4 rows and `cols` columns filled with [`any_value`]s.
fn any_rows(cols: usize) -> impl Strategy<Value = Array2<f32>> {
    (0usize..5).prop_flat_map(move |r| {
        proptest::collection::vec(any_value(), r * cols)
            .prop_map(move |v| Array2::from_shape_vec((r, cols), v).unwrap())
    })
}

/// A vector of 0 to 4 [`any_value`]s.
fn any_vector() -> impl Strategy<Value = Array1<f32>> {
    proptest::collection::vec(any_value(), 0..5).prop_map(Array1::from)
}

#[test]
fn sizes_too_large_to_hold_are_errors() {
    // A vector of a million entries is cheap; its outer product with itself,
    // the weights of an associator that wide, or the covariance of data that
    // wide (a million squared entries) is not.
    let wide = Array1::<f32>::ones(1 << 20);
    assert!(LinearAssociator::new(1 << 20, 1 << 20).is_err());
    assert!(LinearAssociator::new(usize::MAX, 2).is_err());
    assert!(outer(wide.view(), wide.view()).is_err());
    let row = wide.view().insert_axis(ndarray::Axis(0));
    assert!(covariance(row).is_err());
    assert!(LinearAssociator::learn(row, row).is_err());
    assert!(correlated_cloud(usize::MAX / 2, 1.0, 1.0, 0.0, 0).is_err());
    assert!(random_bipolar(1 << 40, 1 << 40, &mut seeded_rng(0)).is_err());
    assert!(capacity(2, usize::MAX / 2, 1).is_err());
    let data = Array2::<f32>::ones((3, 2));
    let w0 = Array1::<f32>::zeros(2);
    assert!(train(Rule::Oja, data.view(), w0.view(), 0.01, usize::MAX).is_err());
    let empty = Trajectory {
        weights: Array2::zeros((0, 2)),
        overflow_at: None,
    };
    assert_eq!(empty.last().len(), 0);
    // A NaN below the diagonal passed the symmetry test (NaN > x is false).
    let nan_below = ndarray::array![[2.0f32, 1.0], [f32::NAN, 1.0]];
    assert!(leading_eigenvector_2x2(nan_below.view()).is_err());
    // Two huge diagonal entries overflowed their sum: λ came out infinite.
    let huge = ndarray::array![[f32::MAX, 0.0], [0.0, f32::MAX / 2.0]];
    assert_eq!(leading_eigenvector_2x2(huge.view()).unwrap().0, f32::MAX);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn rules_associators_and_statistics_never_panic(
        x in any_matrix(),
        y in any_matrix(),
        u in any_vector(),
        v in any_vector(),
        eta in any_value(),
        epochs in any_size(),
        rows in any_size(),
        cols in any_size(),
        positions in proptest::collection::vec(any_size(), 0..3),
        k in prop_oneof![0u32..4, Just(13u32), Just(u32::MAX)],
        seed in any::<u64>(),
    ) {
        let mut w = u.clone();
        let _ = output(w.view(), v.view());
        let _ = hebb_update(&mut w, v.view(), eta);
        let _ = oja_update(&mut w, v.view(), eta);
        for rule in [Rule::Hebb, Rule::Oja] {
            let _ = rule.update(&mut w, v.view(), eta);
            if let Ok(t) = train(rule, x.view(), u.view(), eta, epochs.min(3)) {
                let _ = (t.norms(), t.last());
                let _ = alignment(&t, v.view());
            }
            // Absurd epoch counts are refused before any work is done.
            if epochs > 1 << 20 {
                prop_assert!(train(rule, x.view(), u.view(), eta, epochs).is_err());
            }
        }
        let _ = norm(u.view());

        match LinearAssociator::new(rows, cols) {
            Ok(mut memory) => {
                let _ = memory.store(u.view(), v.view(), eta);
                let _ = memory.recall(x.view());
            }
            Err(_) => prop_assert!(rows.max(1).saturating_mul(cols.max(1)) > MAX_ELEMENTS),
        }
        if let Ok(memory) = LinearAssociator::learn(x.view(), y.view()) {
            let _ = memory.recall(y.view());
            let _ = memory.recall(x.view());
        }
        let _ = (bipolar(x.view()), sign_agreement(x.view(), y.view()));
        let _ = hadamard(k);
        let _ = random_bipolar(rows, cols, &mut seeded_rng(seed));
        let _ = flip(u.view(), &positions);

        let _ = center(x.view());
        let _ = covariance(x.view());
        let _ = leading_eigenvector_2x2(x.view());
        let _ = eigen_2x2(x.view());
        let _ = cosine(u.view(), v.view());

        let _ = outer(u.view(), v.view());
        let _ = average(x.view(), |r| r.sum());
        let _ = oja_step_error(u.view(), v.view(), eta);
        let _ = (erf(f64::from(eta)), normal_cdf(f64::from(eta)));
    }

    #[test]
    fn experiments_and_figures_never_panic(
        n in prop_oneof![0usize..30, Just(usize::MAX / 2)],
        spreads in (any_value(), any_value(), any_value()),
        eta in any_value(),
        epochs in prop_oneof![0usize..3, Just(usize::MAX)],
        seed in any::<u64>(),
        k in prop_oneof![0u32..3, Just(13u32)],
        max_pairs in prop_oneof![0usize..4, Just(usize::MAX / 2)],
        trials in prop_oneof![0u64..3, Just(u64::MAX)],
        pairs in any_size(),
        c in prop_oneof![any_rows(2).prop_filter("2 × 2", |c| c.nrows() == 2), any_matrix()],
        data in prop_oneof![3 => any_rows(2), 1 => any_matrix()],
        direction in prop_oneof![
            3 => proptest::collection::vec(any_value(), 2).prop_map(Array1::from),
            1 => any_vector(),
        ],
        fractions in proptest::collection::vec((any_size(), any_value(), any_value()), 0..4),
        scale in prop_oneof![Just(1.0f32), Just(1e15f32)],
        ordinary in proptest::collection::vec(-3.0f32..3.0, 8),
    ) {
        let _ = correlated_cloud(n, spreads.0, spreads.1, spreads.2, seed);
        let settings = CloudSettings {
            n,
            std_major: spreads.0,
            std_minor: spreads.1,
            angle_deg: spreads.2,
            eta,
            epochs,
            seed,
        };
        if let Ok(run) = run_cloud(&settings) {
            let _ = svg_string((600, 300), |a| {
                draw_growth(a, &run.hebb, &run.oja, run.eigenvector.view())
            });
            let _ = svg_string((400, 400), |a| {
                draw_oja_direction(a, run.data.view(), &run.oja, run.eigenvector.view())
            });
        }
        let hostile = Trajectory { weights: data.clone(), overflow_at: None };
        let _ = svg_string((600, 300), |a| draw_growth(a, &hostile, &hostile, direction.view()));
        let _ = svg_string((400, 400), |a| {
            draw_oja_direction(a, data.view(), &hostile, direction.view())
        });
        let _ = svg_string((600, 300), |a| draw_eigenvectors(a, c.view(), data.view()));
        // Finite but far too large for the axes: the points would land
        // beyond the range of a pixel coordinate.
        let far = Array2::from_shape_vec((4, 2), ordinary.clone()).unwrap() * scale;
        let near = Array2::from_shape_vec((2, 2), ordinary[..4].to_vec()).unwrap();
        let near = &near + &near.t();
        let _ = svg_string((600, 300), |a| draw_eigenvectors(a, near.view(), far.view()));
        let _ = svg_string((600, 300), |a| draw_eigenvectors(a, (&near * scale).view(), near.view()));
        let path = Trajectory { weights: far.clone(), overflow_at: None };
        let _ = svg_string((400, 400), |a| {
            draw_oja_direction(a, far.view(), &path, near.row(0))
        });
        if trials < 3 && max_pairs < 4 {
            let _ = capacity(k, max_pairs, trials);
        } else {
            prop_assert!(capacity(k, max_pairs, trials).is_err());
        }
        let _ = predicted_recall(n, pairs);
        let curve: Vec<CapacityPoint> = fractions
            .iter()
            .map(|&(pairs, r, o)| CapacityPoint {
                pairs,
                random_keys: r,
                orthogonal_keys: Some(o),
            })
            .collect();
        let _ = svg_string((600, 300), |a| draw_capacity(a, &curve, n));
    }
}
