//! The regression MLP and its training loop.
//!
//! The model is the one of the reference Keras notebook: eight standardised
//! inputs, one hidden layer of 30 ReLU units, one output unit with no
//! activation (a house value can be any positive number, and the data keeps
//! it well inside the range a linear output covers), mean squared error,
//! plain SGD with learning rate \\(10^{-3}\\), mini-batches of 32, 20 epochs.

use ch00_toolbox::seeded_rng;
use ch04_backprop::network::check_epochs;
use ch04_backprop::{Activation, Dense, Init, Loss, Mlp, Mse, NetError, Sgd};
use ndarray::ArrayView2;

use crate::dataset::{HousingData, Part};

// ANCHOR: config
/// Everything that decides a training run.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Units in the hidden layer.
    pub hidden: usize,
    /// The SGD step size.
    pub learning_rate: f32,
    /// Samples per mini-batch.
    pub batch_size: usize,
    /// Passes over the training set.
    pub epochs: usize,
    /// Seed of the initial weights and of the order of the mini-batches.
    pub seed: u64,
}

impl Default for TrainConfig {
    /// The reference run: 30 hidden units, lr 1e-3, batches of 32, 20 epochs.
    fn default() -> Self {
        TrainConfig {
            hidden: 30,
            learning_rate: 1e-3,
            batch_size: 32,
            epochs: 20,
            seed: 42,
        }
    }
}
// ANCHOR_END: config

// ANCHOR: model
/// `n_inputs → Dense(hidden, ReLU) → Dense(1)`, both layers Glorot-uniform
/// (Keras' default), biases zero.
pub fn regression_mlp(n_inputs: usize, hidden: usize, seed: u64) -> Result<Mlp, NetError> {
    let mut rng = seeded_rng(seed);
    Mlp::new(vec![
        Dense::new(
            n_inputs,
            hidden,
            Activation::Relu,
            Init::GlorotUniform,
            &mut rng,
        )?,
        Dense::new(
            hidden,
            1,
            Activation::Identity,
            Init::GlorotUniform,
            &mut rng,
        )?,
    ])
}
// ANCHOR_END: model

/// The losses after one epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochLosses {
    /// The epoch, counting from 1.
    pub epoch: usize,
    /// The mean loss over the epoch's mini-batches (the weights move while
    /// it is measured, as in Keras' progress bar).
    pub train: f32,
    /// The loss on the validation set after the epoch.
    pub valid: f32,
}

/// The learning curve: one entry per epoch.
pub type History = Vec<EpochLosses>;

/// The mean `loss` of `mlp`'s predictions on `part`.
pub fn evaluate(mlp: &Mlp, part: &Part, loss: &dyn Loss) -> Result<f32, NetError> {
    let predictions = mlp.predict(part.x.view())?;
    loss.value(predictions.view(), part.y.view())
}

// ANCHOR: train
/// Trains a fresh [`regression_mlp`] on `data.train` with MSE and SGD,
/// measuring the validation loss after each epoch. `on_epoch` sees each
/// epoch's losses as soon as they exist (to print a learning curve live).
/// Zero epochs, and data with a NaN or an infinity, are errors.
pub fn train(
    data: &HousingData,
    config: &TrainConfig,
    mut on_epoch: impl FnMut(&EpochLosses),
) -> Result<(Mlp, History), NetError> {
    check_epochs(config.epochs)?;
    data.train.check()?; // the parts' fields are public: check them again
    data.valid.check()?;
    let mut mlp = regression_mlp(data.train.x.ncols(), config.hidden, config.seed)?;
    let sgd = Sgd::new(config.learning_rate)?;
    // The shuffling stream is separate from the weights' stream.
    let mut rng = seeded_rng(config.seed.wrapping_add(1));
    let mut history = History::new();
    for epoch in 1..=config.epochs {
        let train = mlp.fit_epoch(
            data.train.x.view(),
            data.train.y.view(),
            config.batch_size,
            &Mse,
            &sgd,
            &mut rng,
        )?;
        let valid = evaluate(&mlp, &data.valid, &Mse)?;
        let record = EpochLosses {
            epoch,
            train,
            valid,
        };
        on_epoch(&record);
        history.push(record);
    }
    Ok((mlp, history))
}
// ANCHOR_END: train

/// Pairs `(actual, predicted)` for every row of `x`, in the data's units.
pub fn predicted_vs_actual(
    mlp: &Mlp,
    x: ArrayView2<f32>,
    y: ArrayView2<f32>,
) -> Result<Vec<(f32, f32)>, NetError> {
    let p = mlp.predict(x)?;
    if p.dim() != y.dim() {
        return Err(NetError::shape("targets", p.shape(), y.shape()));
    }
    Ok(y.iter().copied().zip(p.iter().copied()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standardise::Standardiser;
    use ndarray::Array2;

    /// A small synthetic regression: y = x0 − 2 x1 + 0.5 |x2|.
    fn synthetic(n: usize, seed: u64) -> Part {
        use rand::Rng;
        let mut rng = seeded_rng(seed);
        let x = Array2::from_shape_simple_fn((n, 3), || rng.random_range(-2.0f32..2.0));
        let y = Array2::from_shape_fn((n, 1), |(i, _)| {
            x[[i, 0]] - 2.0 * x[[i, 1]] + 0.5 * x[[i, 2]].abs()
        });
        Part { x, y }
    }

    fn data() -> HousingData {
        let train = synthetic(512, 1);
        HousingData {
            standardiser: Standardiser::fit(train.x.view()).unwrap(),
            train,
            valid: synthetic(128, 2),
            test: synthetic(128, 3),
            bedrooms_fill: crate::BedroomFill::Count(0.0),
        }
    }

    #[test]
    fn the_model_has_the_reference_shape() {
        let mlp = regression_mlp(8, 30, 0).unwrap();
        assert_eq!(mlp.layers.len(), 2);
        assert_eq!(mlp.parameter_count(), 8 * 30 + 30 + 30 + 1);
        assert_eq!(mlp.layers[0].activation, Activation::Relu);
        assert_eq!(mlp.layers[1].activation, Activation::Identity);
    }

    #[test]
    fn training_lowers_the_validation_loss_and_is_reproducible() {
        let data = data();
        let config = TrainConfig {
            learning_rate: 0.01,
            epochs: 15,
            ..TrainConfig::default()
        };
        let mut seen = 0;
        let (mlp, history) = train(&data, &config, |_| seen += 1).unwrap();
        assert_eq!(seen, 15);
        let first = history[0].valid;
        let last = history.last().unwrap().valid;
        // The targets have variance about 6.7: a useful model is far below.
        assert!(last < 0.1 && last < first / 5.0, "valid {first} → {last}");
        let test = evaluate(&mlp, &data.test, &Mse).unwrap();
        assert!(test < 0.1, "test mse {test}");
        let (_, again) = train(&data, &config, |_| {}).unwrap();
        assert_eq!(history, again, "same seed, same curve");
    }

    #[test]
    fn a_bad_configuration_is_an_error() {
        let data = data();
        let zero_batch = TrainConfig {
            batch_size: 0,
            ..TrainConfig::default()
        };
        assert!(train(&data, &zero_batch, |_| {}).is_err());
        let bad_rate = TrainConfig {
            learning_rate: -1.0,
            ..TrainConfig::default()
        };
        assert!(train(&data, &bad_rate, |_| {}).is_err());
        let no_epochs = TrainConfig {
            epochs: 0,
            ..TrainConfig::default()
        };
        let err = train(&data, &no_epochs, |_| {}).unwrap_err().to_string();
        assert!(err.contains("epochs"), "{err}");
        let mut nan = data.clone();
        nan.train.x[[4, 1]] = f32::NAN;
        let err = train(&nan, &TrainConfig::default(), |_| {})
            .unwrap_err()
            .to_string();
        assert!(err.contains("features row 4"), "{err}");
    }
}
