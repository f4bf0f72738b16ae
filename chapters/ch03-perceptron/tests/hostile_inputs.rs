//! Whatever a caller hands the chapter's public functions, the answer is
//! `Ok` or an error, never a panic.

use ch03_perceptron::convergence::{margin, novikoff_bound, radius, widest_margin};
use ch03_perceptron::multiclass::{accuracy, confusion, fit_with_history, predict_classes};
use ch03_perceptron::perceptron::targets_from_labels;
use ch03_perceptron::separability::{barycentric, inside, point_in_triangle};
use ch03_perceptron::{Iris, Perceptron, StepFunction, Tlu, TrainConfig};
use hostile_inputs::{any_matrix, any_size, any_value};
use ndarray::{Array1, Array2};
use proptest::prelude::*;

#[test]
fn a_perceptron_too_large_to_hold_is_an_error() {
    // Before, ndarray panicked: "Shape too large, product of non-zero axis
    // lengths overflows isize".
    for (i, o) in [(usize::MAX, 2), (1 << 40, 1 << 30), (usize::MAX, 0)] {
        let err = Perceptron::new(i, o, StepFunction::Heaviside).unwrap_err();
        assert!(err.to_string().contains("weights"), "{err}");
    }
    assert!(confusion(&[0], &[0], usize::MAX).is_err());
    // Before, `random_range(-MAX..MAX)` panicked: its width is infinite.
    let mut rng = ch00_toolbox::seeded_rng(0);
    assert!(Perceptron::random(2, 1, StepFunction::Sign, f32::MAX, &mut rng).is_err());
    assert!(Perceptron::random(2, 1, StepFunction::Sign, 1e30, &mut rng).is_ok());
}

fn step() -> impl Strategy<Value = StepFunction> {
    prop_oneof![Just(StepFunction::Heaviside), Just(StepFunction::Sign)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn perceptrons_never_panic(
        n_in in any_size(),
        n_out in any_size(),
        x in any_matrix(),
        y in any_matrix(),
        lr in any_value(),
        scale in any_value(),
        epochs in 0usize..4,
        s in step(),
        seed in any::<u64>(),
    ) {
        let _ = Perceptron::random(n_in, n_out, s, scale, &mut ch00_toolbox::seeded_rng(seed));
        if let Ok(mut p) = Perceptron::new(n_in, n_out, s) {
            let _ = p.net_input(x.view());
            let _ = p.predict(x.view());
            let _ = p.accuracy(x.view(), y.view());
            let _ = p.accuracy_per_output(x.view(), y.view());
            if x.nrows() > 0 && y.nrows() > 0 {
                let _ = p.learn_one(x.row(0), y.row(0), lr);
            }
            let _ = p.fit_epoch(x.view(), y.view(), lr, &mut ch00_toolbox::seeded_rng(seed));
            let config = TrainConfig { learning_rate: lr, max_epochs: epochs, seed };
            let _ = p.fit(x.view(), y.view(), &config);
            let _ = predict_classes(&p, x.view());
            let _ = fit_with_history(&mut p, x.view(), y.view(), &[0, 1, usize::MAX], epochs, lr, seed);
            if x.nrows() > 0 { let _ = p.unit(0).map(|u: Tlu| u.output(x.row(0))); }
        }
        let _ = Perceptron::from_parameters(x.clone(), Array1::zeros(y.ncols()), s);
    }

    #[test]
    fn geometry_and_metrics_never_panic(
        x in any_matrix(),
        corners in any_matrix(),
        labels in proptest::collection::vec(any::<bool>(), 0..5),
        w in proptest::collection::vec(any_value(), 0..5),
        b in any_value(),
        iterations in 0usize..50,
        predicted in proptest::collection::vec(any_size(), 0..5),
        truth in proptest::collection::vec(any_size(), 0..5),
        classes in any_size(),
        s in step(),
    ) {
        let _ = radius(x.view());
        let _ = margin(x.view(), &labels, Array1::from(w.clone()).view(), b);
        let _ = novikoff_bound(b, w.first().copied().unwrap_or(0.0));
        if let Ok(sep) = widest_margin(x.view(), &labels, iterations) {
            let _ = sep.perceptron();
        }
        let point = Array1::from(w);
        let _ = barycentric(point.view(), corners.view());
        let _ = inside(point.view(), corners.view());
        let _ = point_in_triangle(x.view(), corners.view());
        let _ = accuracy(&predicted, &truth);
        let _ = confusion(&predicted, &truth, classes.min(1 << 20));
        let _ = targets_from_labels(&labels, s);
    }

    #[test]
    fn iris_selections_never_panic(
        indices in proptest::collection::vec(any_size(), 0..6),
        per_species in any_size(),
        seed in any::<u64>(),
        text in "[0-9a-z.,\n-]{0,60}",
    ) {
        let iris = Iris::load();
        let _ = iris.select(&indices);
        let _ = iris.split(per_species, seed);
        let _ = Iris::parse(&text);
        let empty = iris.select(&[]);
        let _ = empty.split(per_species, seed);
        let _ = empty.one_vs_rest_all(StepFunction::Sign);
        let _: Array2<f32> = empty.petals();
    }
}
