//! `fit`, `evaluate` and `predict_dataset` on real-valued targets: a
//! synthetic line, the mistakes that must be errors, and chapter 5's
//! housing model redone with `Sequential` on the real data (the folder
//! `HOUSING_DIR` names, else the cache `data/housing`; without either,
//! `cargo test` lists that test as ignored, with the reason).

use ch00_toolbox::download::Source;
use ch00_toolbox::real_data::HOUSING;
use ch00_toolbox::seeded_rng;
use ch04_backprop::{Activation, Mse};
use ch05_regression::HousingData;
use ch05_regression::housing::{self, HOUSING_CSV, HOUSING_DIR};
use ch05_regression::train::{TrainConfig, regression_mlp};
use ch08_sequential::{
    Dense, Huber, LossKind, Metric, Sequential, Sgd, Softmax, TargetKind, regression_model,
};
use ch09_training::fast::supports;
use ch09_training::{Dataset, EarlyStopping, Engine, FitOptions, InMemory, TrainError, Training};
use ndarray::{Array2, ArrayD, Axis};
use rand::Rng;

/// `n` points of the line `y = 2x + 1`, `x` uniform in [−1, 1].
fn line(n: usize, seed: u64) -> (Array2<f32>, Array2<f32>) {
    let mut rng = seeded_rng(seed);
    let x = Array2::from_shape_simple_fn((n, 1), || rng.random_range(-1.0f32..1.0));
    let y = x.mapv(|x| 2.0 * x + 1.0);
    (x, y)
}

/// One linear unit, `y = w x + b`, compiled with MSE and the mae metric.
fn linear(loss: LossKind) -> Sequential {
    let mut model = Sequential::new(7);
    model
        .add(Dense::new(1, Activation::Identity).with_inputs(1))
        .unwrap();
    model
        .compile(loss, Sgd::new(0.1).unwrap(), &[Metric::MeanAbsoluteError])
        .unwrap();
    model
}

fn quiet<'a>() -> FitOptions<'a> {
    FitOptions::new().verbose(false)
}

#[test]
fn fit_learns_the_line_y_equals_2x_plus_1() {
    let (x, y) = line(256, 1);
    let (vx, vy) = line(64, 2);
    let train = InMemory::new(x.view(), y.view()).unwrap();
    let valid = InMemory::new(vx.view(), vy.view()).unwrap();
    assert_eq!(train.target_kind(), TargetKind::Values);
    let mut model = linear(LossKind::MeanSquaredError);
    // Before training, the errors are large: evaluate's loss and mae are
    // the mean squared and absolute errors of predict_dataset's outputs.
    let first = model.evaluate(&valid).unwrap();
    let errors = &model.predict_dataset(&valid).unwrap() - &vy;
    let mse = errors.mapv(|e| e * e).mean().unwrap();
    let mae = errors.mapv(f32::abs).mean().unwrap();
    assert!((first.loss - mse).abs() < 1e-5 * mse, "{first:?} vs {mse}");
    assert!(
        (first.mae.unwrap() - mae).abs() < 1e-5 * mae,
        "{first:?} vs {mae}"
    );
    let history = model
        .fit(&train, quiet().epochs(30).validation_data(&valid))
        .unwrap();
    assert_eq!(history.len(), 30);
    let last = history.last().unwrap();
    assert!(last.accuracy.is_none() && last.val_accuracy.is_none());
    assert!(last.val_loss.unwrap() < 1e-4, "{last:?}");
    assert!(last.val_mae.unwrap() < 1e-2, "{last:?}");
    assert!(
        history.val_mae().len() == 30 && first.loss > 0.1,
        "{first:?}"
    );
    // The weight and the bias are the line's slope and intercept.
    let w = model.get_weights();
    assert!((w[0][[0, 0]] - 2.0).abs() < 0.02, "slope {}", w[0]);
    assert!((w[1][[0]] - 1.0).abs() < 0.02, "intercept {}", w[1]);
    // The last validation figures are those of the trained model.
    let eval = model.evaluate(&valid).unwrap();
    assert_eq!(model.predict_dataset(&valid).unwrap().dim(), (64, 1));
    assert_eq!((Some(eval.loss), eval.mae), (last.val_loss, last.val_mae));
}

#[test]
fn every_regression_loss_trains_and_early_stopping_watches_it() {
    let (x, y) = line(256, 3);
    let (vx, vy) = line(64, 4);
    let train = InMemory::new(x.view(), y.view()).unwrap();
    let valid = InMemory::new(vx.view(), vy.view()).unwrap();
    for loss in [
        LossKind::MeanSquaredError,
        LossKind::MeanAbsoluteError,
        LossKind::Huber(Huber::default()),
    ] {
        let mut model = linear(loss);
        let before = model.evaluate(&valid).unwrap().mae.unwrap();
        let mut stop = EarlyStopping::new(3).restore_best_weights(true);
        model
            .fit(
                &train,
                quiet()
                    .epochs(20)
                    .validation_data(&valid)
                    .callback(&mut stop),
            )
            .unwrap();
        let after = model.evaluate(&valid).unwrap().mae.unwrap();
        assert!(
            after < 0.1 * before,
            "{}: mae {before} → {after}",
            loss.name()
        );
    }
}

#[test]
fn targets_of_several_columns_train_a_model_of_several_outputs() {
    // y = (2x + 1, −x): two outputs at once.
    let (x, line_y) = line(128, 5);
    let y = ndarray::concatenate![Axis(1), line_y, x.mapv(|x| -x)];
    let data = InMemory::new(x.view(), y.view()).unwrap();
    assert_eq!(data.target_width(), 2);
    let mut model = Sequential::new(0);
    model
        .add(Dense::new(2, Activation::Identity).with_inputs(1))
        .unwrap();
    model
        .compile(LossKind::MeanSquaredError, Sgd::new(0.1).unwrap(), &[])
        .unwrap();
    let history = model.fit(&data, quiet().epochs(40)).unwrap();
    assert!(history.last().unwrap().loss < 1e-3, "{history:?}");
}

#[test]
fn regression_data_and_classification_models_do_not_mix() {
    let (x, y) = line(32, 6);
    let values = InMemory::new(x.view(), y.view()).unwrap();
    let labels = [0u8; 32];
    let classes = InMemory::new(x.view(), &labels).unwrap();

    // A regression loss with class labels: refused before any epoch.
    let mut regressor = linear(LossKind::MeanAbsoluteError);
    let before = regressor.get_weights();
    let err = regressor.fit(&classes, quiet()).unwrap_err();
    assert!(matches!(err, TrainError::Net(_)), "{err:?}");
    assert!(err.to_string().contains("training data"), "{err}");
    assert!(err.to_string().contains("real-valued"), "{err}");
    assert!(regressor.evaluate(&classes).is_err());
    assert_eq!(regressor.get_weights(), before);

    // Validation data of the other kind.
    let err = regressor
        .fit(&values, quiet().validation_data(&classes))
        .unwrap_err();
    assert!(err.to_string().contains("validation data"), "{err}");

    // Cross-entropy with real values.
    let mut classifier = Sequential::new(0);
    classifier
        .add(Dense::new(2, Softmax).with_inputs(1))
        .unwrap();
    classifier
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(0.1).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap();
    let err = classifier.fit(&values, quiet()).unwrap_err();
    assert!(err.to_string().contains("class labels"), "{err}");

    // Targets one column wider than the model's output.
    let wide = Array2::<f32>::zeros((32, 2));
    let wide = InMemory::new(x.view(), wide.view()).unwrap();
    let err = regressor.fit(&wide, quiet()).unwrap_err();
    assert!(err.to_string().contains("2 values per sample"), "{err}");
}

#[test]
fn the_data_set_refuses_non_finite_values_and_mismatched_shapes() {
    let (x, mut y) = line(10, 7);
    y[[6, 0]] = f32::NAN;
    let err = InMemory::new(x.view(), y.view()).unwrap_err();
    assert!(err.to_string().contains("target row 6"), "{err}");
    y[[6, 0]] = f32::INFINITY;
    assert!(InMemory::new(x.view(), y.view()).is_err());
    y[[6, 0]] = 0.0;
    let mut bad_x = x.clone();
    bad_x[[2, 0]] = f32::NEG_INFINITY;
    let err = InMemory::new(bad_x.view(), y.view()).unwrap_err();
    assert!(err.to_string().contains("sample row 2"), "{err}");
    let err = InMemory::new(x.view(), y.slice(ndarray::s![..9, ..])).unwrap_err();
    assert!(err.to_string().contains("one row per row"), "{err}");
    let no_columns = Array2::<f32>::zeros((10, 0));
    assert!(InMemory::new(x.view(), no_columns.view()).is_err());
    assert!(InMemory::new(x.view(), y.view()).is_ok());
}

/// Regression with the mean squared error trains on the fast engine too,
/// to the clear engine's losses and weights up to rounding; `Auto` says
/// which engine it took. A loss the fast engine does not know (Huber) is
/// refused when it is asked for, with the reason, before any step.
#[test]
#[cfg_attr(
    no_fast_engine,
    ignore = "this processor has no hardware fused multiply-add: the fast engine cannot run"
)]
fn regression_trains_on_either_engine() {
    let (x, y) = line(100, 8);
    let data = InMemory::new(x.view(), y.view()).unwrap();
    let model = |loss: LossKind| {
        let mut model = regression_model(1, 8, 3).unwrap();
        model.compile(loss, Sgd::new(0.05).unwrap(), &[]).unwrap();
        model
    };
    let run = |engine: Engine| {
        let mut model = model(LossKind::MeanSquaredError);
        assert!(supports(&model));
        let history = model.fit(&data, quiet().epochs(3).engine(engine)).unwrap();
        let ran: Vec<Engine> = history.epochs.iter().map(|e| e.engine).collect();
        (history.loss(), model.get_weights(), ran)
    };
    let (fast, clear) = (run(Engine::Fast), run(Engine::Clear));
    assert!(fast.2.iter().all(|&e| e == Engine::Fast));
    assert!(clear.2.iter().all(|&e| e == Engine::Clear));
    for (f, c) in fast.0.iter().zip(&clear.0) {
        assert!((f - c).abs() < 1e-5 * c.max(1.0), "{f} vs {c}");
    }
    for (f, c) in fast.1.iter().zip(&clear.1) {
        let diff = (f - c).iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(diff < 1e-5, "weights differ by {diff}");
    }
    let auto = run(Engine::Auto);
    let expected = if !ch09_training::fit::optimised_build() {
        &clear
    } else {
        &fast
    };
    assert_eq!(auto.2, expected.2);

    let mut refused = model(LossKind::Huber(Huber::default()));
    let before = refused.get_weights();
    let err = refused
        .fit(&data, quiet().epochs(3).engine(Engine::Fast))
        .unwrap_err();
    assert!(
        err.to_string().contains("fast engine cannot train"),
        "{err}"
    );
    assert!(err.to_string().contains("huber"), "{err}");
    assert_eq!(refused.get_weights(), before);
}

#[test]
fn the_sequential_regressor_starts_from_chapter_5s_weights() {
    let config = TrainConfig::default();
    let model = regression_model(8, config.hidden, config.seed).unwrap();
    let mlp = regression_mlp(8, config.hidden, config.seed).unwrap();
    let theirs: Vec<ArrayD<f32>> = mlp
        .layers
        .iter()
        .flat_map(|d| [d.weights.clone().into_dyn(), d.bias.clone().into_dyn()])
        .collect();
    assert_eq!(model.get_weights(), theirs);
    assert_eq!(model.parameter_count(), mlp.parameter_count());
}

/// Chapter 5's reference run, with the book's own API: the same split,
/// imputation and standardisation (`HousingData::prepare` with seed 42), the
/// same model, weights, learning rate, batch size and number of epochs.
#[test]
#[cfg_attr(
    no_housing,
    ignore = "housing.csv not found: set HOUSING_DIR, or fill data/housing with `cargo run --release -p ch05-regression`"
)]
fn the_sequential_housing_model_reaches_a_test_mse_of_at_most_0_45() {
    let dir = HOUSING.dir().unwrap_or_else(|e| panic!("{e}"));
    let source = Source::Provided {
        variable: HOUSING_DIR.into(),
        dir,
    };
    let path = HOUSING_CSV.fetch(&source).unwrap();
    let districts = housing::load_from(&path).unwrap();
    let data = HousingData::prepare(&districts, 42).unwrap();
    let config = TrainConfig::default();
    let mut model = regression_model(8, config.hidden, config.seed).unwrap();
    model
        .compile(
            LossKind::MeanSquaredError,
            Sgd::new(config.learning_rate).unwrap(),
            &[Metric::MeanAbsoluteError],
        )
        .unwrap();
    let train = InMemory::new(data.train.x.view(), data.train.y.view()).unwrap();
    let valid = InMemory::new(data.valid.x.view(), data.valid.y.view()).unwrap();
    let test = InMemory::new(data.test.x.view(), data.test.y.view()).unwrap();
    let history = model
        .fit(
            &train,
            quiet()
                .epochs(config.epochs)
                .batch_size(config.batch_size)
                .seed(config.seed + 1)
                .validation_data(&valid),
        )
        .unwrap();
    assert_eq!(history.len(), 20);
    let (first, last) = (&history.epochs[0], &history.epochs[19]);
    assert!(last.loss < 0.5 * first.loss, "{first:?} → {last:?}");
    assert!(last.val_loss < first.val_loss, "{first:?} → {last:?}");
    let result = model.evaluate(&test).unwrap();
    eprintln!(
        "test mse: {:.4}, test mae: {:.4}",
        result.loss,
        result.mae.unwrap()
    );
    assert!(
        result.loss <= 0.45,
        "test mse {:.4} is above 0.45",
        result.loss
    );
    // evaluate's MSE is chapter 4's Mse of the predictions.
    let p = model.predict_dataset(&test).unwrap();
    let mse = ch04_backprop::Loss::value(&Mse, p.view(), data.test.y.view()).unwrap();
    assert!((mse - result.loss).abs() < 1e-4, "{mse} vs {}", result.loss);
}
