//! The fast engine computes the same mathematics as the clear engine of
//! chapters 4, 6 and 8: the same loss, accuracy and updated weights on a
//! batch, and the same history when `fit` trains with either.

use appendix_speed::{FastConfig, FastMlp};
use ch00_toolbox::seeded_rng;
use ch04_backprop::Activation;
use ch08_sequential::{
    Dense, Flatten, LossKind, Metric, Sequential, Sgd, Softmax, reference_model,
};
use ch09_training::fast as engine;
use ch09_training::{Engine, FitOptions, InMemory, Training};
use ndarray::{Array1, Array2};
use rand::Rng;

/// The dense layers of `model` as (weights, bias) pairs.
fn dense_parameters(model: &Sequential) -> Vec<(Array2<f32>, Array1<f32>)> {
    model
        .layers()
        .filter_map(|(_, l)| l.as_any().downcast_ref::<Dense>()?.core())
        .map(|d| (d.weights.clone(), d.bias.clone()))
        .collect()
}

fn max_difference(a: &[(Array2<f32>, Array1<f32>)], b: &[(Array2<f32>, Array1<f32>)]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .flat_map(|((wa, ba), (wb, bb))| {
            let w = wa.iter().zip(wb).map(|(x, y)| (x - y).abs());
            let b = ba.iter().zip(bb).map(|(x, y)| (x - y).abs());
            w.chain(b).collect::<Vec<_>>()
        })
        .fold(0.0, f32::max)
}

/// The book's model, compiled with a large learning rate so that one step
/// moves the weights far above rounding noise.
fn book_model(seed: u64, learning_rate: f32) -> Sequential {
    let mut model = reference_model(seed).unwrap();
    model
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(learning_rate).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap();
    model
}

#[test]
fn one_batch_gives_the_clear_paths_loss_accuracy_and_weights() {
    let mut rng = seeded_rng(5);
    let x = Array2::from_shape_simple_fn((32, 784), || f32::from(rng.random::<u8>()) / 255.0);
    let labels: Vec<u8> = (0..32).map(|_| rng.random_range(0..10)).collect();

    let mut clear = book_model(3, 0.5);
    let before = dense_parameters(&clear);
    let views: Vec<_> = before.iter().map(|(w, b)| (w.view(), b.view())).collect();
    let mut fast = FastMlp::from_parameters(&views, FastConfig::default()).unwrap();

    let expected = clear.train_on_batch(x.view(), &labels).unwrap();
    let got = fast.train_batch(x.view(), &labels, 0.5).unwrap();

    let moved = max_difference(&before, &dense_parameters(&clear));
    assert!(
        moved > 1e-3,
        "the step should move the weights, moved {moved}"
    );
    let diff = max_difference(&dense_parameters(&clear), &fast.parameters());
    assert!(diff < 1e-5, "fast and clear weights differ by {diff}");
    assert!(
        (expected.loss - got.loss).abs() < 1e-5,
        "{} vs {}",
        expected.loss,
        got.loss
    );
    assert_eq!(expected.accuracy, Some(got.accuracy));
    assert_eq!(got.samples, 32);
}

/// 120 samples of a 4 × 5 "image" in three classes, and a small model of
/// the fast engine's shape that starts with `Flatten`, like the book's.
fn small_problem(seed: u64) -> (Array2<f32>, Vec<u8>, Sequential) {
    let mut rng = seeded_rng(seed);
    let labels: Vec<u8> = (0..120).map(|i| (i % 3) as u8).collect();
    let x = Array2::from_shape_fn((120, 20), |(i, j)| {
        let signal = if j % 3 == i % 3 { 0.8 } else { 0.1 };
        signal + rng.random_range(0.0f32..0.3)
    });
    let mut model = Sequential::new(seed);
    model
        .add(Flatten::new([4, 5]))
        .unwrap()
        .add(Dense::new(13, Activation::Relu))
        .unwrap()
        .add(Dense::new(7, Activation::Relu))
        .unwrap()
        .add(Dense::new(3, Softmax))
        .unwrap();
    model
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(0.2).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap();
    (x, labels, model)
}

#[test]
#[cfg_attr(
    no_fast_engine,
    ignore = "this processor has no hardware fused multiply-add: the fast engine cannot run"
)]
fn fit_on_the_fast_engine_matches_the_clear_engine() {
    let (x, y, mut fast_model) = small_problem(8);
    let (_, _, mut clear_model) = small_problem(8);
    assert!(engine::supports(&fast_model));
    let train = InMemory::new(x.view(), &y).unwrap();
    let options = || {
        FitOptions::new()
            .epochs(4)
            .batch_size(16)
            .seed(9)
            .verbose(false)
            .validation_data(&train)
    };

    let fast = fast_model.fit(&train, options().engine(Engine::Fast));
    let clear = clear_model.fit(&train, options().engine(Engine::Clear));
    let (fast, clear) = (fast.unwrap(), clear.unwrap());
    assert!(fast.epochs.iter().all(|e| e.engine == Engine::Fast));
    assert!(clear.epochs.iter().all(|e| e.engine == Engine::Clear));

    for (f, c) in fast.epochs.iter().zip(&clear.epochs) {
        assert!(
            (f.loss - c.loss).abs() < 1e-5,
            "epoch {}: {} vs {}",
            f.epoch,
            f.loss,
            c.loss
        );
        assert_eq!(f.accuracy, c.accuracy, "epoch {}", f.epoch);
        let (fv, cv) = (f.val_loss.unwrap(), c.val_loss.unwrap());
        assert!((fv - cv).abs() < 1e-5, "epoch {}: {fv} vs {cv}", f.epoch);
    }
    assert_eq!(fast.epochs.len(), 4);
    let last = fast.epochs.last().unwrap();
    assert!(
        last.accuracy.unwrap() > 0.9,
        "the problem is easy: {last:?}"
    );
    let diff = max_difference(
        &dense_parameters(&fast_model),
        &dense_parameters(&clear_model),
    );
    assert!(diff < 1e-5, "weights after fit differ by {diff}");
}

/// `Auto` takes the fast engine in an optimised build on a machine that can
/// run it, and the clear engine in a debug build (see `Engine::Auto`); the
/// history says which ran.
#[test]
fn auto_says_which_engine_it_took() {
    let (x, y, mut model) = small_problem(8);
    let train = InMemory::new(x.view(), &y).unwrap();
    let history = model
        .fit(&train, FitOptions::new().epochs(2).verbose(false))
        .unwrap();
    let expected = if !ch09_training::fit::optimised_build() || !engine::machine_can_run() {
        Engine::Clear
    } else {
        Engine::Fast
    };
    assert!(
        history.epochs.iter().all(|e| e.engine == expected),
        "{history:?}"
    );
}

/// Asking for the fast engine where it cannot run is an error that says
/// why, before any step; nothing falls back silently.
#[test]
fn the_fast_engine_refuses_a_model_it_does_not_know() {
    let (x, y, _) = small_problem(8);
    let train = InMemory::new(x.view(), &y).unwrap();
    let mut model = Sequential::new(1);
    model
        .add(Dense::new(5, Activation::Step).with_inputs(x.ncols()))
        .unwrap();
    model.add(Dense::new(3, Softmax)).unwrap();
    model
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(0.1).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap();
    let before = model.get_weights();
    let options = || FitOptions::new().epochs(1).verbose(false);
    let err = model
        .fit(&train, options().engine(Engine::Fast))
        .unwrap_err()
        .to_string();
    assert!(err.contains("fast engine cannot train"), "{err}");
    assert!(err.contains("does not know"), "{err}");
    assert_eq!(model.get_weights(), before);
    let auto = model.fit(&train, options()).unwrap();
    assert_eq!(auto.epochs[0].engine, Engine::Clear);
}

#[test]
fn other_models_stay_on_the_clear_engine() {
    let with = |loss: LossKind, sgd: Sgd, hidden: Activation| {
        let mut model = Sequential::new(1);
        model.add(Dense::new(5, hidden).with_inputs(4)).unwrap();
        model.add(Dense::new(3, Softmax)).unwrap();
        model.compile(loss, sgd, &[Metric::Accuracy]).unwrap();
        engine::supports(&model)
    };
    let ce = LossKind::SparseCategoricalCrossEntropy;
    assert!(with(ce, Sgd::new(0.1).unwrap(), Activation::Relu));
    assert!(with(
        ce,
        Sgd::new(0.1).unwrap().with_momentum(0.9).unwrap(),
        Activation::Relu
    ));
    assert!(with(ce, Sgd::new(0.1).unwrap(), Activation::Tanh));
    assert!(!with(ce, Sgd::new(0.1).unwrap(), Activation::Step));
    // Softmax with the squared error: the fast engine pairs the squared
    // error with a linear output only.
    assert!(!with(
        LossKind::MeanSquaredError,
        Sgd::new(0.1).unwrap(),
        Activation::Relu
    ));

    let mut uncompiled = Sequential::new(1);
    uncompiled
        .add(Dense::new(3, Softmax).with_inputs(4))
        .unwrap();
    assert!(!engine::supports(&uncompiled));
}

/// `Auto`'s test for an optimised build follows the profile: unoptimised in
/// `cargo test`, optimised with `--release` (the workspace's two profiles
/// tie optimisation and debug assertions together).
#[test]
fn the_optimisation_test_follows_the_profile() {
    assert_eq!(
        ch09_training::fit::optimised_build(),
        !cfg!(debug_assertions)
    );
}
