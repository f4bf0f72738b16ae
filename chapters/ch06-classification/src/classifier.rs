//! Building and training small classifiers with chapter 4's [`Mlp`].
//!
//! Nothing here is new machinery: a classifier is an MLP whose last layer has
//! no activation (it outputs logits), trained with the loss that turns those
//! logits into probabilities. Multiclass: one output per class and
//! [`SoftmaxCrossEntropy`]. Binary: one output and [`BinaryCrossEntropy`].

use ch00_toolbox::seeded_rng;
use ch04_backprop::network::check_epochs;
use ch04_backprop::{Activation, Dense, Init, Loss, Mlp, NetError, Sgd};
use ndarray::{Array2, ArrayView2};

use crate::binary::{BinaryCrossEntropy, sigmoid_array};
use crate::cross_entropy::{SoftmaxCrossEntropy, one_hot};
use crate::metrics::{accuracy, binary_accuracy};
use crate::softmax::softmax;
use crate::toy_data::Labelled;

/// Everything that decides a training run.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Units of each hidden layer (ReLU), from the input side.
    pub hidden: Vec<usize>,
    /// The SGD step size.
    pub learning_rate: f32,
    /// Samples per mini-batch.
    pub batch_size: usize,
    /// Passes over the training set.
    pub epochs: usize,
    /// Seed of the initial weights and of the mini-batch order.
    pub seed: u64,
}

// ANCHOR: configs
impl TrainConfig {
    /// The chapter's multiclass run: two hidden layers of 32 ReLU units,
    /// SGD with learning rate 0.1, batches of 32, 200 epochs.
    pub fn spirals() -> TrainConfig {
        TrainConfig {
            hidden: vec![32, 32],
            learning_rate: 0.1,
            batch_size: 32,
            epochs: 200,
            seed: 1,
        }
    }

    /// The chapter's binary run: two hidden layers of 16 ReLU units, SGD
    /// with learning rate 0.1, batches of 32, 100 epochs.
    pub fn moons() -> TrainConfig {
        TrainConfig {
            hidden: vec![16, 16],
            learning_rate: 0.1,
            batch_size: 32,
            epochs: 100,
            seed: 1,
        }
    }
}
// ANCHOR_END: configs

// ANCHOR: classifier_mlp
/// `n_inputs → Dense(h, ReLU) for each h in hidden → Dense(n_outputs)`.
///
/// The output layer has the identity activation: it produces logits, and the
/// loss applies the softmax or the sigmoid itself. Hidden layers start from
/// He-normal weights (made for ReLU), the output layer from Glorot-uniform.
pub fn classifier_mlp(
    n_inputs: usize,
    hidden: &[usize],
    n_outputs: usize,
    seed: u64,
) -> Result<Mlp, NetError> {
    let mut rng = seeded_rng(seed);
    let mut layers = Vec::with_capacity(hidden.len() + 1);
    let mut n_in = n_inputs;
    for &h in hidden {
        layers.push(Dense::new(
            n_in,
            h,
            Activation::Relu,
            Init::HeNormal,
            &mut rng,
        )?);
        n_in = h;
    }
    layers.push(Dense::new(
        n_in,
        n_outputs,
        Activation::Identity,
        Init::GlorotUniform,
        &mut rng,
    )?);
    Mlp::new(layers)
}
// ANCHOR_END: classifier_mlp

/// Loss and accuracy after one epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochStats {
    /// The epoch, counting from 1.
    pub epoch: usize,
    /// The mean training loss over the epoch's mini-batches.
    pub loss: f32,
    /// The accuracy on the whole training set after the epoch.
    pub accuracy: f32,
}

/// The shared loop: `epochs` passes of shuffled mini-batches, measuring
/// `metric` on the whole set after each.
fn fit(
    mlp: &mut Mlp,
    x: ArrayView2<f32>,
    targets: ArrayView2<f32>,
    loss: &dyn Loss,
    metric: impl Fn(&Mlp) -> Result<f32, NetError>,
    config: &TrainConfig,
) -> Result<Vec<EpochStats>, NetError> {
    check_epochs(config.epochs)?;
    let sgd = Sgd::new(config.learning_rate)?;
    let mut rng = seeded_rng(config.seed.wrapping_add(1));
    let mut history = Vec::new();
    for epoch in 1..=config.epochs {
        let loss = mlp.fit_epoch(x, targets, config.batch_size, loss, &sgd, &mut rng)?;
        let accuracy = metric(mlp)?;
        history.push(EpochStats {
            epoch,
            loss,
            accuracy,
        });
    }
    Ok(history)
}

// ANCHOR: train_multiclass
/// Trains a fresh [`classifier_mlp`] with one output per class on `data`
/// (labels below `n_classes`), with softmax cross-entropy and SGD.
pub fn train_multiclass(
    data: &Labelled,
    n_classes: usize,
    config: &TrainConfig,
) -> Result<(Mlp, Vec<EpochStats>), NetError> {
    data.check()?; // one label per row, no NaN or ∞
    let targets = one_hot(&data.labels, n_classes)?;
    let mut mlp = classifier_mlp(data.x.ncols(), &config.hidden, n_classes, config.seed)?;
    let metric = |m: &Mlp| accuracy(m.predict(data.x.view())?.view(), &data.labels);
    let history = fit(
        &mut mlp,
        data.x.view(),
        targets.view(),
        &SoftmaxCrossEntropy,
        metric,
        config,
    )?;
    Ok((mlp, history))
}
// ANCHOR_END: train_multiclass

// ANCHOR: train_binary
/// Trains a fresh [`classifier_mlp`] with a single output on `data` (labels
/// 0 or 1), with binary cross-entropy and SGD.
pub fn train_binary(
    data: &Labelled,
    config: &TrainConfig,
) -> Result<(Mlp, Vec<EpochStats>), NetError> {
    data.check()?; // one label per row, no NaN or ∞
    if let Some(bad) = data.labels.iter().find(|&&l| l > 1) {
        return Err(NetError::InvalidArgument(format!(
            "a binary classifier needs labels 0 or 1, found {bad}"
        )));
    }
    let targets = data.binary_targets();
    let mut mlp = classifier_mlp(data.x.ncols(), &config.hidden, 1, config.seed)?;
    let metric = |m: &Mlp| binary_accuracy(m.predict(data.x.view())?.view(), targets.view());
    let history = fit(
        &mut mlp,
        data.x.view(),
        targets.view(),
        &BinaryCrossEntropy,
        metric,
        config,
    )?;
    Ok((mlp, history))
}
// ANCHOR_END: train_binary

/// Class probabilities (`B × K`, rows summing to 1) of a multiclass model.
pub fn predict_proba(mlp: &Mlp, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
    Ok(softmax(mlp.predict(x)?.view()))
}

/// The probability of class 1 (`B × 1`) of a binary model.
pub fn predict_binary_proba(mlp: &Mlp, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
    Ok(sigmoid_array(mlp.predict(x)?.view()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toy_data::{moons, spirals};

    #[test]
    fn the_network_has_logit_outputs() {
        let mlp = classifier_mlp(2, &[16, 8], 3, 0).unwrap();
        assert_eq!(mlp.layers.len(), 3);
        assert_eq!(mlp.parameter_count(), 2 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3);
        assert_eq!(mlp.layers[2].activation, Activation::Identity);
        let p = predict_proba(&mlp, Array2::zeros((4, 2)).view()).unwrap();
        for row in p.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn bad_labels_are_errors() {
        let mut d = moons(5, 0.1, 0).unwrap();
        d.labels[0] = 2;
        let config = TrainConfig {
            hidden: vec![4],
            learning_rate: 0.1,
            batch_size: 4,
            epochs: 1,
            seed: 0,
        };
        assert!(train_binary(&d, &config).is_err());
        assert!(train_multiclass(&d, 2, &config).is_err());
        assert!(train_multiclass(&spirals(3, 3, 1.0, 0.0, 0).unwrap(), 3, &config).is_ok());
    }

    #[test]
    fn zero_epochs_huge_epochs_and_nan_points_are_errors_not_panics() {
        let d = spirals(3, 3, 1.0, 0.0, 0).unwrap();
        let config = |epochs| TrainConfig {
            hidden: vec![4],
            learning_rate: 0.1,
            batch_size: 4,
            epochs,
            seed: 0,
        };
        let err = train_multiclass(&d, 3, &config(0)).unwrap_err().to_string();
        assert!(err.contains("epochs"), "{err}");
        // Before, `Vec::with_capacity(usize::MAX)` panicked here; now the
        // first epoch runs and a NaN rate stops it at once.
        let bad = TrainConfig {
            learning_rate: f32::NAN,
            ..config(usize::MAX)
        };
        assert!(train_multiclass(&d, 3, &bad).is_err());
        let mut nan = d.clone();
        nan.x[[2, 1]] = f32::NAN;
        let err = train_multiclass(&nan, 3, &config(1))
            .unwrap_err()
            .to_string();
        assert!(err.contains("points row 2"), "{err}");
        nan.labels[0] = 1;
        assert!(train_binary(&nan, &config(1)).is_err());
    }
}
