//! fit, evaluate, predict, callbacks and weights files, on small synthetic
//! data that every run can afford.

use ch00_toolbox::seeded_rng;
use ch04_backprop::{Activation, NetError};
use ch08_sequential::{Dense, LossKind, Metric, Sequential, Sgd, Softmax};
use ch09_training::{
    Callback, EarlyStopping, FitOptions, InMemory, TerminateOnNan, TrainError, Training,
    load_weights, save_weights, weights_from_bytes, weights_to_bytes,
};
use ndarray::Array2;
use rand::Rng;

/// `n` points in three noisy clusters of the plane, labels 0, 1, 2.
fn clusters(n: usize, seed: u64) -> (Array2<f32>, Vec<u8>) {
    let mut rng = seeded_rng(seed);
    let centres = [(-2.0f32, -1.0f32), (2.0, -1.0), (0.0, 2.0)];
    let labels: Vec<u8> = (0..n).map(|i| (i % 3) as u8).collect();
    let x = Array2::from_shape_fn((n, 2), |(i, j)| {
        let c = centres[i % 3];
        (if j == 0 { c.0 } else { c.1 }) + rng.random_range(-1.2f32..1.2)
    });
    (x, labels)
}

fn small_model(seed: u64, sgd: Sgd) -> Sequential {
    let mut model = Sequential::new(seed);
    model
        .add(Dense::new(16, Activation::Relu).with_inputs(2))
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

#[test]
fn fit_learns_and_records_every_epoch() {
    let (x, y) = clusters(300, 1);
    let (vx, vy) = clusters(90, 2);
    let (train, valid) = (
        InMemory::new(x.view(), &y).unwrap(),
        InMemory::new(vx.view(), &vy).unwrap(),
    );
    let mut model = small_model(3, Sgd::new(0.05).unwrap());
    let history = model
        .fit(
            &train,
            FitOptions::new()
                .epochs(8)
                .batch_size(32)
                .validation_data(&valid)
                .verbose(false),
        )
        .unwrap();
    assert_eq!(history.len(), 8);
    assert_eq!(history.stopped, None);
    let (first, last) = (&history.epochs[0], history.last().unwrap());
    assert_eq!((first.epoch, last.epoch), (1, 8));
    assert!(last.loss < first.loss, "{first:?} → {last:?}");
    assert!(last.val_accuracy.unwrap() > 0.9, "{last:?}");
    assert!(
        history
            .epochs
            .iter()
            .all(|r| r.seconds >= 0.0 && r.accuracy.is_some())
    );
    // evaluate measures the same thing as the last validation.
    let e = model.evaluate(&valid).unwrap();
    assert_eq!(e.samples, 90);
    assert!((e.loss - last.val_loss.unwrap()).abs() < 1e-6);
    assert_eq!(e.accuracy, last.val_accuracy);
    // predict_dataset gives one probability row per sample, equal to predict.
    let p = model.predict_dataset(&valid).unwrap();
    assert_eq!(p.dim(), (90, 3));
    assert_eq!(p, model.predict(vx.view()).unwrap());
}

#[test]
fn the_same_seeds_give_the_same_history_and_another_shuffle_seed_another() {
    let (x, y) = clusters(200, 4);
    let train = InMemory::new(x.view(), &y).unwrap();
    let run = |shuffle_seed: u64| {
        let mut model = small_model(5, Sgd::new(0.05).unwrap());
        let h = model
            .fit(
                &train,
                FitOptions::new()
                    .epochs(3)
                    .seed(shuffle_seed)
                    .verbose(false),
            )
            .unwrap();
        (h.loss(), model.get_weights())
    };
    let (a, wa) = run(1);
    let (b, wb) = run(1);
    let (c, _) = run(2);
    assert_eq!(a, b);
    assert_eq!(wa, wb);
    assert_ne!(a, c);
}

#[test]
fn bad_fit_calls_are_errors() {
    let (x, y) = clusters(30, 1);
    let train = InMemory::new(x.view(), &y).unwrap();
    let quiet = || FitOptions::new().verbose(false);
    let mut model = small_model(1, Sgd::new(0.1).unwrap());
    // Zero epochs is refused by the book's one epochs rule (chapter 4).
    assert!(matches!(
        model.fit(&train, quiet().epochs(0)),
        Err(TrainError::Net(NetError::InvalidArgument(m))) if m.contains("epochs")
    ));
    assert!(matches!(
        model.fit(&train, quiet().batch_size(0)),
        Err(TrainError::InvalidOption(_))
    ));
    let empty = Array2::<f32>::zeros((0, 2));
    let none = InMemory::new(empty.view(), &[]).unwrap();
    assert!(
        model
            .fit(&none, quiet())
            .unwrap_err()
            .to_string()
            .contains("empty")
    );
    let wide = Array2::<f32>::zeros((3, 5));
    let wrong_width = InMemory::new(wide.view(), &[0, 1, 2]).unwrap();
    let err = model.fit(&wrong_width, quiet()).unwrap_err();
    assert!(err.to_string().contains("[_, 2]"), "{err}");
    let bad_labels = [0u8, 1, 7];
    let out_of_range = InMemory::new(x.slice(ndarray::s![..3, ..]), &bad_labels).unwrap();
    assert!(
        model
            .fit(&out_of_range, quiet())
            .unwrap_err()
            .to_string()
            .contains("out of range")
    );
    assert!(model.evaluate(&out_of_range).is_err());
    let mut uncompiled = Sequential::new(0);
    uncompiled
        .add(Dense::new(3, Softmax).with_inputs(2))
        .unwrap();
    assert!(
        uncompiled
            .fit(&train, quiet())
            .unwrap_err()
            .to_string()
            .contains("compile")
    );
}

#[test]
fn early_stopping_stops_on_a_rising_val_loss_and_restores_the_best_weights() {
    let (x, y) = clusters(300, 1);
    // Validation labels shifted by one class: the better the model learns
    // the training data, the worse its validation loss gets.
    let (vx, vy) = clusters(90, 2);
    let wrong: Vec<u8> = vy.iter().map(|&l| (l + 1) % 3).collect();
    let (train, valid) = (
        InMemory::new(x.view(), &y).unwrap(),
        InMemory::new(vx.view(), &wrong).unwrap(),
    );
    let mut model = small_model(3, Sgd::new(0.05).unwrap());
    let mut early = EarlyStopping::new(2).restore_best_weights(true);
    let history = model
        .fit(
            &train,
            FitOptions::new()
                .epochs(20)
                .validation_data(&valid)
                .callback(&mut early)
                .verbose(false),
        )
        .unwrap();
    let (best_epoch, best_loss) = early.best().unwrap();
    assert_eq!(
        history.len(),
        best_epoch + 2,
        "stops two epochs after the best one"
    );
    assert!(history.len() < 20);
    assert!(
        history
            .stopped
            .as_deref()
            .unwrap()
            .contains("early stopping")
    );
    let val_losses = history.val_loss();
    assert!(val_losses[history.len() - 1] > best_loss);
    // The model now holds the best epoch's weights: the same val loss. On
    // the fast engine (a release build) the history's val loss comes from
    // the engine's own forward pass, whose sums run in another order than
    // `evaluate`'s, so the two agree to about six digits, not to the bit.
    let restored = model.evaluate(&valid).unwrap().loss;
    assert!(
        (restored - best_loss).abs() <= 1e-5 * best_loss.abs(),
        "{restored} against {best_loss}"
    );
    // …and every other epoch's val loss is further from it than that.
    let others = val_losses
        .iter()
        .enumerate()
        .filter(|&(e, _)| e + 1 != best_epoch);
    assert!(
        others
            .into_iter()
            .all(|(_, l)| (l - best_loss).abs() > 1e-4 * best_loss.abs()),
        "{val_losses:?}, best {best_epoch}"
    );
    // Without validation data, early stopping says what it needs.
    let mut early = EarlyStopping::new(2);
    let err = model
        .fit(
            &train,
            FitOptions::new().callback(&mut early).verbose(false),
        )
        .unwrap_err();
    assert!(err.to_string().contains("validation"), "{err}");
}

#[test]
fn a_nan_loss_stops_training_at_once() {
    let (x, y) = clusters(300, 1);
    let train = InMemory::new(x.view(), &y).unwrap();
    // An absurd learning rate: the first step throws the weights to ~1e30 and
    // the logits overflow.
    let mut model = small_model(3, Sgd::new(1e30).unwrap());
    let mut nan = TerminateOnNan;
    let history = model
        .fit(
            &train,
            FitOptions::new()
                .epochs(5)
                .callback(&mut nan)
                .verbose(false),
        )
        .unwrap();
    assert_eq!(history.len(), 1);
    let why = history.stopped.unwrap();
    assert!(why.contains("epoch 1, batch"), "{why}");
    assert!(!history.epochs[0].loss.is_finite());
    // Without the callback, all five epochs run, uselessly.
    let mut model = small_model(3, Sgd::new(1e30).unwrap());
    let history = model
        .fit(&train, FitOptions::new().epochs(5).verbose(false))
        .unwrap();
    assert_eq!(history.len(), 5);
    assert!(history.loss().iter().all(|l| l.is_nan()));
}

/// A callback that counts what it is told.
#[derive(Default)]
struct Counter {
    batches: usize,
    epochs: usize,
    ended: bool,
}

impl Callback for Counter {
    fn on_batch_end(&mut self, _: usize, _: usize, _: f32) -> ch09_training::Control {
        self.batches += 1;
        ch09_training::Control::Continue
    }
    fn on_epoch_end(
        &mut self,
        _: &ch09_training::EpochRecord,
        _: &mut dyn ch09_training::Model,
    ) -> Result<ch09_training::Control, TrainError> {
        self.epochs += 1;
        Ok(ch09_training::Control::Continue)
    }
    fn on_train_end(&mut self, _: &mut dyn ch09_training::Model) -> Result<(), TrainError> {
        self.ended = true;
        Ok(())
    }
}

#[test]
fn callbacks_hear_every_batch_and_epoch() {
    let (x, y) = clusters(100, 1);
    let train = InMemory::new(x.view(), &y).unwrap();
    let mut model = small_model(3, Sgd::new(0.05).unwrap());
    let mut counter = Counter::default();
    model
        .fit(
            &train,
            FitOptions::new()
                .epochs(3)
                .batch_size(32)
                .callback(&mut counter)
                .verbose(false),
        )
        .unwrap();
    // 100 samples in batches of 32: 4 batches (the last of 4 samples).
    assert_eq!(
        (counter.batches, counter.epochs, counter.ended),
        (12, 3, true)
    );
}

#[test]
fn a_loaded_model_predicts_exactly_what_the_saved_one_did() {
    let (x, y) = clusters(150, 7);
    let train = InMemory::new(x.view(), &y).unwrap();
    let mut model = small_model(3, Sgd::new(0.05).unwrap());
    model
        .fit(&train, FitOptions::new().epochs(2).verbose(false))
        .unwrap();
    let dir = std::env::temp_dir().join(format!("ch09-weights-{}", std::process::id()));
    let path = dir.join("model.safetensors");
    save_weights(&model, &path).unwrap();
    let mut fresh = small_model(99, Sgd::new(0.05).unwrap());
    assert_ne!(
        fresh.predict(x.view()).unwrap(),
        model.predict(x.view()).unwrap()
    );
    load_weights(&mut fresh, &path).unwrap();
    assert_eq!(
        fresh.predict(x.view()).unwrap(),
        model.predict(x.view()).unwrap()
    );
    assert_eq!(fresh.get_weights(), model.get_weights());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_file_names_its_tensors_and_layout_for_python() {
    let model = small_model(3, Sgd::new(0.05).unwrap());
    let bytes = weights_to_bytes(&model).unwrap();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let mut names = file.names();
    names.sort();
    assert_eq!(
        names,
        vec![
            "dense_1.bias",
            "dense_1.weight",
            "dense_2.bias",
            "dense_2.weight"
        ]
    );
    let w = file.tensor("dense_1.weight").unwrap();
    assert_eq!(w.shape(), &[2, 16], "[in, out], as Keras stores a kernel");
    assert_eq!(w.dtype(), safetensors::Dtype::F32);
    let first = f32::from_le_bytes(w.data()[..4].try_into().unwrap());
    assert_eq!(first, model.parameters()[0].1[[0, 0]]);
    let (_, meta) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let info = meta.metadata().as_ref().unwrap();
    assert!(info["weight_layout"].contains("[in, out]"));
    assert!(
        info["layers"].contains("dense_2:Dense(3, softmax)"),
        "{info:?}"
    );
}

#[test]
fn weights_that_do_not_fit_are_refused_and_change_nothing() {
    let model = small_model(3, Sgd::new(0.05).unwrap());
    let bytes = weights_to_bytes(&model).unwrap();
    // Another architecture: 8 hidden units instead of 16.
    let mut other = Sequential::new(1);
    other
        .add(Dense::new(8, Activation::Relu).with_inputs(2))
        .unwrap()
        .add(Dense::new(3, Softmax))
        .unwrap();
    let before = other.get_weights();
    let err = weights_from_bytes(&mut other, &bytes).unwrap_err();
    assert!(
        err.to_string().contains("dense_1.weight has shape [2, 16]"),
        "{err}"
    );
    assert_eq!(other.get_weights(), before);
    // Not a safetensors file at all, or a missing file.
    assert!(
        weights_from_bytes(&mut other, b"hello")
            .unwrap_err()
            .to_string()
            .contains("not a safetensors file")
    );
    let err = load_weights(&mut other, "/nonexistent/model.safetensors").unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/model.safetensors"),
        "{err}"
    );
    // A deeper model finds a tensor missing.
    let mut deeper = Sequential::new(1);
    deeper
        .add(Dense::new(16, Activation::Relu).with_inputs(2))
        .unwrap()
        .add(Dense::new(4, Activation::Relu))
        .unwrap()
        .add(Dense::new(3, Softmax))
        .unwrap();
    let err = weights_from_bytes(&mut deeper, &bytes).unwrap_err();
    assert!(
        err.to_string().contains("dense_2.weight has shape"),
        "{err}"
    );
}
