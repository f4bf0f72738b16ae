//! Wide & Deep written as a Rust type trains like the graph built from
//! `two_inputs(true)`: from the same weights, through the same `fit`, it
//! follows the same path to the same test MSE, bit for bit.

use ch00_toolbox::seeded_rng;
use ch08_sequential::{LossKind, Metric, Sgd};
use ch09_training::{FitOptions, Model, Training};
use ch10_functional::wide_deep::{LOSS_WEIGHTS, split_data, two_inputs};
use ch10_functional::{Functional, WideAndDeep};
use ndarray::{Array2, ArrayD};
use rand::Rng;

/// Eight features and a target that depends on them non-linearly.
fn data(rows: usize, seed: u64) -> (Array2<f32>, Array2<f32>) {
    let mut rng = seeded_rng(seed);
    let x = Array2::from_shape_simple_fn((rows, 8), || rng.random_range(-1.0f32..1.0));
    let y = Array2::from_shape_fn((rows, 1), |(i, _)| {
        let r = x.row(i);
        r[0] - 0.5 * r[3] + (r[6] * r[7]).abs() + 0.1 * r[2].powi(2)
    });
    (x, y)
}

fn graph_model(seed: u64) -> Functional {
    let mut model = Functional::build(two_inputs(true), seed).unwrap();
    let mse = LossKind::MeanSquaredError;
    let (a, b) = LOSS_WEIGHTS;
    model
        .compile(
            &[(mse, a), (mse, b)],
            Sgd::new(0.01).unwrap(),
            &[Metric::MeanAbsoluteError],
        )
        .unwrap();
    model
}

fn subclassed(seed: u64) -> WideAndDeep {
    WideAndDeep::new(5, 6, 30, seed, Sgd::new(0.01).unwrap(), LOSS_WEIGHTS).unwrap()
}

/// The graph model's weights, in the order of the subclassed model's
/// parameters (found by name).
fn weights_by_name(from: &dyn Model, to: &dyn Model) -> Vec<ArrayD<f32>> {
    let from = from.parameters();
    to.parameters()
        .iter()
        .map(|(name, _)| {
            let (_, t) = from.iter().find(|(n, _)| n == name).unwrap();
            t.to_owned()
        })
        .collect()
}

// ANCHOR: same_path
#[test]
fn the_subclassed_model_follows_the_graph_model_bit_for_bit() {
    let (x, y) = data(400, 1);
    let (xt, yt) = data(100, 2);
    let train = split_data(x.view(), y.view(), true).unwrap();
    let test = split_data(xt.view(), yt.view(), true).unwrap();
    let mut graph = graph_model(3);
    let mut custom = subclassed(99); // other initial weights …
    let start = weights_by_name(&graph, &custom);
    custom.set_weights(&start).unwrap(); // … replaced by the graph's
    assert_eq!(custom.parameter_count(), graph.parameter_count());
    let options = || FitOptions::new().epochs(3).seed(5).verbose(false);
    let h_graph = graph.fit(&train, options()).unwrap();
    let h_custom = custom.fit(&train, options()).unwrap();
    for (g, c) in h_graph.epochs.iter().zip(&h_custom.epochs) {
        assert_eq!(g.loss, c.loss);
        assert_eq!(g.outputs, c.outputs);
    }
    let (e_graph, e_custom) = (
        graph.evaluate(&test).unwrap(),
        custom.evaluate(&test).unwrap(),
    );
    assert_eq!(e_graph.loss, e_custom.loss);
    assert_eq!(e_graph.outputs, e_custom.outputs);
    assert_eq!(
        graph.predict_dataset(&test).unwrap(),
        custom.predict_dataset(&test).unwrap()
    );
    assert_eq!(weights_by_name(&graph, &custom), custom.get_weights());
    // Training moved the weights: the comparison is not of two idle models.
    assert_ne!(start, custom.get_weights());
}
// ANCHOR_END: same_path

#[test]
fn the_same_seed_draws_the_same_initial_weights() {
    // The struct draws its layers in the graph's topological order
    // (hidden1, hidden2, aux_output, output), so one seed gives both models
    // the same start.
    let (graph, custom) = (graph_model(42), subclassed(42));
    assert_eq!(weights_by_name(&graph, &custom), custom.get_weights());
    let other = subclassed(43);
    assert_ne!(other.get_weights(), custom.get_weights());
}

#[test]
fn wrong_data_is_refused_before_training() {
    let (x, y) = data(20, 1);
    let mut custom = subclassed(0);
    // One input, one target: the struct wants `wide`, `deep` and two targets.
    let plain = ch09_training::InMemory::new(x.view(), y.view()).unwrap();
    let err = custom
        .fit(&plain, FitOptions::new().epochs(1).verbose(false))
        .unwrap_err();
    assert!(err.to_string().contains("wide (5), deep (6)"), "{err}");
    let one_target = split_data(x.view(), y.view(), false).unwrap();
    let err = custom
        .fit(&one_target, FitOptions::new().epochs(1).verbose(false))
        .unwrap_err();
    assert!(err.to_string().contains("aux_output"), "{err}");
    let bad = WideAndDeep::new(5, 6, 30, 0, Sgd::new(0.01).unwrap(), (0.9, f32::NAN));
    assert!(bad.is_err());
}
