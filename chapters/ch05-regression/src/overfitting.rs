//! Overfitting, measured: a network far too large for its data, trained for
//! far too long, on a problem small enough to watch.
//!
//! The data are noisy samples of a sine wave on \\([0, 1]\\): a handful of
//! training points and many validation points from the same curve with the
//! same noise. The network (two hidden layers of tanh units) has hundreds of
//! weights for a dozen points, so it can pass through every training point,
//! noise and all. Training with full-batch gradient descent records both
//! losses as it goes, and keeps a copy of the fitted curve at a few epochs.

use ch00_toolbox::seeded_rng;
use ch04_backprop::{Activation, Dense, Init, Loss, Mlp, Mse, NetError, Sgd};
use ndarray::Array2;
use rand::Rng;

// ANCHOR: config
/// Everything that decides the overfitting experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct OverfitConfig {
    /// Training points, spread at random over \\([0, 1]\\).
    pub train_points: usize,
    /// Validation points, drawn the same way from the same noisy curve.
    pub valid_points: usize,
    /// Standard deviation of the noise added to \\(\sin(2\pi x)\\).
    pub noise: f32,
    /// Units in each of the two hidden tanh layers.
    pub hidden: usize,
    /// The gradient-descent step size.
    pub learning_rate: f32,
    /// Full-batch steps (each an epoch: the batch is the whole training set).
    pub epochs: usize,
    /// Record the two losses every this many epochs.
    pub record_every: usize,
    /// Seed of the data and of the initial weights.
    pub seed: u64,
}

impl Default for OverfitConfig {
    fn default() -> Self {
        OverfitConfig {
            train_points: 12,
            valid_points: 200,
            noise: 0.3,
            hidden: 50,
            learning_rate: 0.05,
            epochs: 20_000,
            record_every: 50,
            seed: 3,
        }
    }
}
// ANCHOR_END: config

/// Training and validation MSE at one epoch of the experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    /// Full-batch steps taken so far.
    pub epoch: usize,
    /// MSE on the training points.
    pub train: f32,
    /// MSE on the validation points.
    pub valid: f32,
}

/// The fitted curve at one epoch, sampled on an even grid over \\([0, 1]\\).
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The epoch it was taken at.
    pub epoch: usize,
    /// `(x, prediction)` pairs.
    pub curve: Vec<(f32, f32)>,
}

/// What the experiment measured.
#[derive(Clone, Debug, PartialEq)]
pub struct OverfitRun {
    /// The training points `(x, y)`.
    pub train: Vec<(f32, f32)>,
    /// Both losses, every `record_every` epochs (and at epoch 0).
    pub curve: Vec<CurvePoint>,
    /// The recorded point with the lowest validation loss.
    pub best: CurvePoint,
    /// The fitted curve early on, at the best epoch, and at the end, in
    /// that order.
    pub snapshots: Vec<Snapshot>,
}

/// Noisy samples of \\(\sin(2\pi x)\\) at `n` uniform random `x` in \\([0, 1]\\).
pub fn noisy_sine(n: usize, noise: f32, rng: &mut impl Rng) -> (Array2<f32>, Array2<f32>) {
    let mut x = Array2::zeros((n, 1));
    let mut y = Array2::zeros((n, 1));
    for i in 0..n {
        let xi: f32 = rng.random();
        // Box–Muller: two uniforms give one standard normal.
        let (u1, u2): (f32, f32) = (rng.random::<f32>().max(1e-7), rng.random());
        let normal = (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos();
        x[[i, 0]] = xi;
        y[[i, 0]] = (std::f32::consts::TAU * xi).sin() + noise * normal;
    }
    (x, y)
}

fn grid_curve(mlp: &Mlp, points: usize) -> Result<Vec<(f32, f32)>, NetError> {
    let xs = Array2::from_shape_fn((points, 1), |(i, _)| i as f32 / (points - 1) as f32);
    let ys = mlp.predict(xs.view())?;
    Ok(xs.iter().zip(ys.iter()).map(|(&x, &y)| (x, y)).collect())
}

/// `1 → Dense(hidden, tanh) → Dense(hidden, tanh) → Dense(1)`, Glorot-uniform.
pub fn overfit_mlp(hidden: usize, rng: &mut impl Rng) -> Result<Mlp, NetError> {
    Mlp::new(vec![
        Dense::new(1, hidden, Activation::Tanh, Init::GlorotUniform, rng)?,
        Dense::new(hidden, hidden, Activation::Tanh, Init::GlorotUniform, rng)?,
        Dense::new(hidden, 1, Activation::Identity, Init::GlorotUniform, rng)?,
    ])
}

fn check(config: &OverfitConfig) -> Result<(), NetError> {
    ch04_backprop::network::check_epochs(config.epochs)?;
    if config.train_points < 2 || config.valid_points == 0 || config.record_every == 0 {
        return Err(NetError::InvalidArgument(format!(
            "need at least 2 training points, 1 validation point and record_every ≥ 1: {config:?}"
        )));
    }
    if !(config.noise.is_finite() && config.noise >= 0.0) {
        return Err(NetError::InvalidArgument(format!(
            "the noise must be a finite number ≥ 0, got {}",
            config.noise
        )));
    }
    Ok(())
}

/// Trains [`overfit_mlp`] on the training points with full-batch gradient
/// descent, recording both losses and three snapshots of the fitted curve:
/// after 1 % of the epochs, at the lowest validation loss, and at the end.
pub fn overfit(config: &OverfitConfig) -> Result<OverfitRun, NetError> {
    check(config)?;
    let mut rng = seeded_rng(config.seed);
    let (x_train, y_train) = noisy_sine(config.train_points, config.noise, &mut rng);
    let (x_valid, y_valid) = noisy_sine(config.valid_points, config.noise, &mut rng);
    let mut mlp = overfit_mlp(config.hidden, &mut rng)?;
    let sgd = Sgd::new(config.learning_rate)?;
    let measure = |mlp: &Mlp, epoch| -> Result<CurvePoint, NetError> {
        let train = Mse.value(mlp.predict(x_train.view())?.view(), y_train.view())?;
        let valid = Mse.value(mlp.predict(x_valid.view())?.view(), y_valid.view())?;
        Ok(CurvePoint {
            epoch,
            train,
            valid,
        })
    };
    let snapshot = |mlp: &Mlp, epoch| -> Result<Snapshot, NetError> {
        Ok(Snapshot {
            epoch,
            curve: grid_curve(mlp, 201)?,
        })
    };

    // ANCHOR: overfit_loop
    let (mut curve, mut snapshots) = (vec![measure(&mlp, 0)?], Vec::new());
    let mut best = (curve[0], snapshot(&mlp, 0)?);
    for epoch in 1..=config.epochs {
        mlp.train_batch(x_train.view(), y_train.view(), &Mse, &sgd)?;
        if epoch == (config.epochs / 100).max(1) {
            snapshots.push(snapshot(&mlp, epoch)?); // early: still underfitting
        }
        if epoch % config.record_every == 0 {
            let point = measure(&mlp, epoch)?;
            curve.push(point);
            if point.valid < best.0.valid {
                best = (point, snapshot(&mlp, epoch)?); // the best so far
            }
        }
    }
    // ANCHOR_END: overfit_loop
    snapshots.push(best.1);
    snapshots.push(snapshot(&mlp, config.epochs)?); // the end: overfitting
    let train = x_train.iter().zip(y_train.iter()).map(|(&x, &y)| (x, y));
    Ok(OverfitRun {
        train: train.collect(),
        curve,
        best: best.0,
        snapshots,
    })
}
