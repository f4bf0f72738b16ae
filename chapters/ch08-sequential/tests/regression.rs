//! A `Sequential` regressor: real-valued targets, the regression losses of
//! chapter 5, and the mistakes that must be errors rather than panics.

use ch00_toolbox::seeded_rng;
use ch04_backprop::Activation;
use ch08_sequential::{Dense, Huber, LossKind, Metric, Sequential, Sgd, Softmax, Targets};
use ndarray::{Array2, ArrayD};
use rand::Rng;

/// 4 inputs → 5 tanh → 2 linear outputs, compiled with `loss` and plain SGD
/// with learning rate 1, so that one step moves each parameter by exactly
/// minus its gradient.
fn tiny(loss: LossKind) -> Sequential {
    let mut m = Sequential::new(11);
    m.add(Dense::new(5, Activation::Tanh).with_inputs(4))
        .unwrap();
    m.add(Dense::new(2, Activation::Identity)).unwrap();
    m.compile(loss, Sgd::new(1.0).unwrap(), &[Metric::MeanAbsoluteError])
        .unwrap();
    m
}

fn batch() -> (Array2<f32>, Array2<f32>) {
    let mut rng = seeded_rng(5);
    let x = Array2::from_shape_simple_fn((6, 4), || rng.random_range(-1.0f32..1.0));
    let y = Array2::from_shape_simple_fn((6, 2), || rng.random_range(-2.0f32..2.0));
    (x, y)
}

/// The step `train_on_batch` takes on real-valued targets is minus the true
/// gradient of the loss: compare it with central finite differences of the
/// loss, for every parameter of a tiny model. Huber's δ = 0.5 puts some
/// errors on each side of its switch.
#[test]
fn one_step_on_real_targets_follows_the_numerical_gradient() {
    let (x, y) = batch();
    for loss in [
        LossKind::MeanSquaredError,
        LossKind::Huber(Huber::new(0.5).unwrap()),
    ] {
        let before = tiny(loss).get_weights();
        let mut stepped = tiny(loss);
        let result = stepped.train_on_batch(x.view(), &y).unwrap();
        assert_eq!(result.samples, 6);
        assert!(result.accuracy.is_none() && result.mae.is_some());
        let after = stepped.get_weights();
        let loss_at = |weights: &[ArrayD<f32>]| {
            let mut m = tiny(loss);
            m.set_weights(weights).unwrap();
            f64::from(m.test_on_batch(x.view(), y.view()).unwrap().loss)
        };
        let h = 1e-2f32;
        let mut checked = 0;
        for t in 0..before.len() {
            for i in 0..before[t].len() {
                let mut plus = before.clone();
                let mut minus = before.clone();
                plus[t].as_slice_mut().unwrap()[i] += h;
                minus[t].as_slice_mut().unwrap()[i] -= h;
                let numeric = (loss_at(&plus) - loss_at(&minus)) / (2.0 * f64::from(h));
                let step = before[t].as_slice().unwrap()[i] - after[t].as_slice().unwrap()[i];
                assert!(
                    (numeric - f64::from(step)).abs() < 2e-3,
                    "{} tensor {t} entry {i}: numeric {numeric} vs step {step}",
                    loss.name()
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 4 * 5 + 5 + 5 * 2 + 2);
    }
}

/// The loss reported for a batch is the mean squared error of `predict`'s
/// outputs, and the mae metric their mean absolute error.
#[test]
fn test_on_batch_reports_the_mse_and_mae_of_the_predictions() {
    let (x, y) = batch();
    let model = tiny(LossKind::MeanSquaredError);
    let p = model.predict(x.view()).unwrap();
    let err = &p - &y;
    let mse = err.mapv(|e| e * e).mean().unwrap();
    let mae = err.mapv(f32::abs).mean().unwrap();
    let r = model.test_on_batch(x.view(), &y).unwrap();
    assert!((r.loss - mse).abs() < 1e-6, "{} vs {mse}", r.loss);
    assert!((r.mae.unwrap() - mae).abs() < 1e-6);
}

#[test]
fn wrong_targets_are_errors_that_say_what_is_wrong() {
    let (x, y) = batch();
    let mut model = tiny(LossKind::MeanSquaredError);
    let before = model.get_weights();
    // One column of targets for a model of two outputs.
    let narrow = Array2::<f32>::zeros((6, 1));
    let err = model.train_on_batch(x.view(), &narrow).unwrap_err();
    assert!(err.to_string().contains("1 values per sample"), "{err}");
    assert!(err.to_string().contains("2 outputs"), "{err}");
    // Too few rows.
    let err = model
        .train_on_batch(x.view(), y.slice(ndarray::s![..5, ..]))
        .unwrap_err();
    assert!(err.to_string().contains("rows of targets"), "{err}");
    // A NaN target, named by its place.
    let mut nan = y.clone();
    nan[[3, 1]] = f32::NAN;
    let err = model.train_on_batch(x.view(), &nan).unwrap_err();
    assert!(err.to_string().contains("row 3, column 1"), "{err}");
    // Class labels for a model compiled with a regression metric.
    let err = model.train_on_batch(x.view(), &[0u8; 6]).unwrap_err();
    assert!(err.to_string().contains("real-valued"), "{err}");
    assert_eq!(model.get_weights(), before, "no failed step moves a weight");

    // A regression loss with class labels.
    let mut mae = Sequential::new(0);
    mae.add(Dense::new(3, Activation::Identity).with_inputs(4))
        .unwrap();
    mae.compile(LossKind::MeanAbsoluteError, Sgd::new(0.1).unwrap(), &[])
        .unwrap();
    let err = mae
        .test_on_batch(x.view(), &[0u8, 1, 2, 0, 1, 2])
        .unwrap_err();
    assert!(err.to_string().contains("mean_absolute_error"), "{err}");

    // Cross-entropy with real values.
    let mut classifier = Sequential::new(0);
    classifier
        .add(Dense::new(2, Softmax).with_inputs(4))
        .unwrap();
    classifier
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(0.1).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap();
    let err = classifier
        .train_on_batch(x.view(), Targets::Values(y.view()))
        .unwrap_err();
    assert!(err.to_string().contains("class labels"), "{err}");
}

#[test]
fn compile_refuses_a_loss_and_metrics_without_a_common_kind_of_target() {
    let mut model = Sequential::new(0);
    model
        .add(Dense::new(1, Activation::Identity).with_inputs(3))
        .unwrap();
    let err = model
        .compile(
            LossKind::Huber(Huber::default()),
            Sgd::new(0.1).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap_err();
    assert!(err.to_string().contains("huber"), "{err}");
    assert!(model.compiled().is_none());
    let bad_delta = LossKind::Huber(Huber { delta: 0.0 });
    assert!(
        model
            .compile(bad_delta, Sgd::new(0.1).unwrap(), &[])
            .is_err()
    );
    model
        .compile(
            LossKind::MeanSquaredError,
            Sgd::new(0.1).unwrap(),
            &[Metric::MeanAbsoluteError],
        )
        .unwrap();
}
