//! Whatever a caller hands `fit`, `evaluate`, the data sets and the
//! callbacks, the answer is `Ok` or an error, never a panic; and a NaN
//! never trains on silently.

use ch04_backprop::Activation;
use ch08_sequential::{Dense, LossKind, Metric, Sequential, Sgd, Softmax};
use ch09_training::confusion::{confusion_matrix, per_class_accuracy, top_confusions};
use ch09_training::{Batch, Engine, FitOptions, InMemory, TerminateOnNan, Training};
use hostile_inputs::any_value;
use ndarray::{Array2, ArrayD};
use proptest::prelude::*;

fn model(inputs: usize, sgd: Sgd) -> Sequential {
    let mut model = Sequential::new(1);
    model
        .add(Dense::new(8, Activation::Relu).with_inputs(inputs))
        .unwrap()
        .add(Dense::new(3, Softmax))
        .unwrap();
    model
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            sgd,
            &[Metric::Accuracy],
        )
        .unwrap();
    model
}

fn data(n: usize) -> (Array2<f32>, Vec<u8>) {
    let x = Array2::from_shape_fn((n, 2), |(i, j)| ((i * 7 + j * 3) % 5) as f32 - 2.0);
    let y = (0..n).map(|i| (i % 3) as u8).collect();
    (x, y)
}

#[test]
fn in_memory_refuses_non_finite_samples_and_targets_naming_the_row() {
    let (mut x, y) = data(6);
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        x[[4, 1]] = bad;
        let err = InMemory::new(x.view(), &y).unwrap_err().to_string();
        assert!(err.contains("row 4"), "{err}");
    }
    let (x, _) = data(3);
    let mut v = Array2::<f32>::zeros((3, 1));
    v[[2, 0]] = f32::NAN;
    let err = InMemory::new(x.view(), v.view()).unwrap_err().to_string();
    assert!(err.contains("target row 2"), "{err}");
}

/// A bad rate or momentum cannot reach a compiled model: `Sgd` refuses it
/// where it is made, and the checked setter reached through
/// `compiled_mut` refuses it and keeps the old rate, so `fit` and
/// `train_on_batch` go on training with that one. (Before `Sgd::new` was
/// checked, the clear engine trained to NaN; `compile` and every training
/// step still check the optimizer as a second line of defence.)
#[test]
fn a_bad_rate_or_momentum_never_reaches_a_model() {
    let (x, y) = data(30);
    let train = InMemory::new(x.view(), &y).unwrap();
    let bad = [
        (f32::NAN, 0.0),
        (f32::INFINITY, 0.0),
        (0.0, 0.0),
        (-0.1, 0.0),
        (0.01, 1.0),
        (0.01, 1.5),
        (0.01, -0.5),
        (0.01, f32::NAN),
    ];
    for (rate, momentum) in bad {
        let err = Sgd::new(rate)
            .and_then(|s| s.with_momentum(momentum))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("learning rate") || err.contains("momentum"),
            "{rate}, {momentum}: {err}"
        );
    }
    let mut m = model(2, Sgd::new(0.01).unwrap());
    let before = m.get_weights();
    let opt = &mut m.compiled_mut().unwrap().optimizer;
    for (rate, _) in &bad[..4] {
        assert!(opt.set_learning_rate(*rate).is_err(), "{rate}");
    }
    assert_eq!(opt.learning_rate(), 0.01);
    m.fit(&train, FitOptions::new().epochs(1).verbose(false))
        .unwrap();
    m.train_on_batch(x.view(), &y).unwrap();
    assert_ne!(m.get_weights(), before, "training went on at 0.01");
}

/// A NaN weight that the loss does not show (a ReLU, or a kernel, that
/// maps NaN to a number) still stops training: `TerminateOnNan` checks the
/// weights at the end of every epoch. Before, it watched only the loss, and
/// the run went on to the end with NaN weights.
#[test]
fn terminate_on_nan_catches_a_nan_weight() {
    let (x, y) = data(60);
    let train = InMemory::new(x.view(), &y).unwrap();
    let engines = if ch09_training::fast::machine_can_run() {
        vec![Engine::Clear, Engine::Fast]
    } else {
        println!("this processor cannot run the fast engine: the clear engine only");
        vec![Engine::Clear]
    };
    for engine in engines {
        let mut m = model(2, Sgd::new(0.01).unwrap());
        // One weight of the first layer is NaN; the others are fine.
        let mut w: Vec<ArrayD<f32>> = m.get_weights();
        w[0][[0, 0]] = f32::NAN;
        m.set_weights(&w).unwrap();
        let mut nan = TerminateOnNan;
        let history = m
            .fit(
                &train,
                FitOptions::new()
                    .engine(engine)
                    .epochs(4)
                    .callback(&mut nan)
                    .verbose(false),
            )
            .unwrap();
        assert_eq!(history.len(), 1, "{engine:?}");
        assert_eq!(history.epochs[0].engine, engine);
        let why = history.stopped.unwrap();
        assert!(why.contains("NaN") || why.contains("loss"), "{why}");
    }
}

#[test]
fn zero_epochs_or_a_zero_batch_size_are_errors() {
    let (x, y) = data(10);
    let train = InMemory::new(x.view(), &y).unwrap();
    let mut m = model(2, Sgd::new(0.01).unwrap());
    for opts in [FitOptions::new().epochs(0), FitOptions::new().batch_size(0)] {
        assert!(m.fit(&train, opts.verbose(false)).is_err());
    }
}

#[test]
fn confusion_helpers_take_any_matrix() {
    let odd = Array2::from_shape_vec((3, 2), vec![1, 2, 3, 4, 5, 6]).unwrap();
    assert_eq!(per_class_accuracy(&odd).len(), 3);
    assert_eq!(per_class_accuracy(&odd)[2], 0.0); // no diagonal entry
    let huge = Array2::from_elem((2, 2), usize::MAX);
    assert_eq!(per_class_accuracy(&huge), vec![0.5, 0.5]);
    assert!(top_confusions(&odd, usize::MAX).len() <= 6);
    assert!(confusion_matrix(&[0], &[0], usize::MAX / 2).is_err());
    assert!(confusion_matrix(&[0, 1], &[0], 2).is_err());
}

fn any_size() -> impl Strategy<Value = usize> {
    prop_oneof![
        6 => 0usize..6,
        1 => Just(usize::MAX / 2),
        1 => Just(usize::MAX),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Arbitrary data of any width and kind, arbitrary options and rates:
    /// every call returns, `Ok` or `Err`.
    #[test]
    fn fit_evaluate_and_predict_never_panic(
        rows in 0usize..7,
        width in 0usize..4,
        values in proptest::collection::vec(any_value(), 0..28),
        labels in proptest::collection::vec(any::<u8>(), 0..8),
        epochs in any_size(),
        batch in any_size(),
        lr in any_value(),
        momentum in any_value(),
        real_targets in any::<bool>(),
    ) {
        let x = Array2::from_shape_fn((rows, width), |(i, j)| {
            values.get(i * width + j).copied().unwrap_or(1.0)
        });
        let y = Array2::from_shape_fn((rows, 3), |(i, j)| {
            values.get(i + j).copied().unwrap_or(0.5)
        });
        let mut m = model(2, Sgd::new(0.01).unwrap());
        if let Ok(sgd) = Sgd::new(lr).and_then(|s| s.with_momentum(momentum)) {
            m.compiled_mut().unwrap().optimizer = sgd;
        }
        let data = if real_targets {
            InMemory::new(x.view(), y.view())
        } else {
            InMemory::new(x.view(), &labels)
        };
        if let Ok(data) = data {
            // Keep the number of epochs affordable; the huge ones must be
            // refused or run, never panic, so only try them on a tiny set.
            let epochs = if epochs > 3 && rows > 0 && width == 2 { 3 } else { epochs };
            let _ = m.fit(&data, FitOptions::new().epochs(epochs).batch_size(batch).verbose(false));
            let _ = m.evaluate(&data);
            let _ = m.predict_dataset(&data);
            let mut b = Batch::new(width);
            let _ = b.fill(&data, &[0, rows, usize::MAX]);
        }
        let _ = m.train_on_batch(x.view(), &labels);
        let _ = m.test_on_batch(x.view(), y.view());
    }

    #[test]
    fn confusion_never_panics(
        predicted in proptest::collection::vec(any_size(), 0..6),
        labels in proptest::collection::vec(any::<u8>(), 0..6),
        classes in any_size(),
        k in any_size(),
    ) {
        if let Ok(c) = confusion_matrix(&predicted, &labels, classes) {
            let _ = per_class_accuracy(&c);
            let _ = top_confusions(&c, k);
        }
    }
}
