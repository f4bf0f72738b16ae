//! The chapter's experiments, shared by the figures, the tests and the
//! notebook so that all three see the same numbers.

use ndarray::{Array1, Array2, Axis, Slice, array};

use ch00_toolbox::seeded_rng;

use crate::association::{LinearAssociator, hadamard, random_bipolar, sign_agreement};
use crate::data::correlated_cloud;
use crate::error::HebbError;
use crate::learning::{Rule, Trajectory, train};
use crate::pca::{center, covariance, leading_eigenvector_2x2};
use crate::primer::normal_cdf;

// ANCHOR: settings
/// The settings of the Hebb-versus-Oja experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CloudSettings {
    /// How many points.
    pub n: usize,
    /// Spread along the long axis.
    pub std_major: f32,
    /// Spread across it.
    pub std_minor: f32,
    /// Direction of the long axis, in degrees.
    pub angle_deg: f32,
    /// The learning rate η of both rules.
    pub eta: f32,
    /// Passes over the data.
    pub epochs: usize,
    /// The seed of the cloud.
    pub seed: u64,
}

impl Default for CloudSettings {
    fn default() -> Self {
        Self {
            n: 1000,
            std_major: 2.0,
            std_minor: 0.6,
            angle_deg: 30.0,
            eta: 0.01,
            epochs: 1,
            seed: 1949,
        }
    }
}
// ANCHOR_END: settings

/// What the experiment produced.
#[derive(Clone, Debug, PartialEq)]
pub struct CloudExperiment {
    /// The centred data, one point per row.
    pub data: Array2<f32>,
    /// The covariance of the data.
    pub covariance: Array2<f32>,
    /// Its largest eigenvalue.
    pub eigenvalue: f32,
    /// The matching unit eigenvector: the first principal component.
    pub eigenvector: Array1<f32>,
    /// The weights under plain Hebb.
    pub hebb: Trajectory,
    /// The weights under Oja's rule.
    pub oja: Trajectory,
}

/// The starting weights of both rules: short, and far from the answer.
pub fn starting_weights() -> Array1<f32> {
    array![0.2, -0.5]
}

// ANCHOR: run_cloud
/// Draws the cloud, centres it, finds its first principal component in
/// closed form, and runs both rules from the same start over the same data.
pub fn run_cloud(settings: &CloudSettings) -> Result<CloudExperiment, HebbError> {
    let CloudSettings {
        n,
        std_major,
        std_minor,
        angle_deg,
        eta,
        epochs,
        seed,
    } = *settings;
    let data = center(correlated_cloud(n, std_major, std_minor, angle_deg, seed)?.view())?;
    let covariance = covariance(data.view())?;
    let (eigenvalue, eigenvector) = leading_eigenvector_2x2(covariance.view())?;
    let w0 = starting_weights();
    let hebb = train(Rule::Hebb, data.view(), w0.view(), eta, epochs)?;
    let oja = train(Rule::Oja, data.view(), w0.view(), eta, epochs)?;
    Ok(CloudExperiment {
        data,
        covariance,
        eigenvalue,
        eigenvector,
        hebb,
        oja,
    })
}
// ANCHOR_END: run_cloud

/// One point of the capacity curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CapacityPoint {
    /// How many pairs were stored.
    pub pairs: usize,
    /// Mean fraction of bits recalled correctly with random keys.
    pub random_keys: f32,
    /// The same with orthogonal (Hadamard) keys, when that many exist.
    pub orthogonal_keys: Option<f32>,
}

// ANCHOR: capacity
/// Stores `pairs` random pairs in an associator with `2^k` inputs and as many
/// outputs, recalls every value from its key, and measures the fraction of
/// output signs that come back right, averaged over `trials` seeds.
pub fn capacity(k: u32, max_pairs: usize, trials: u64) -> Result<Vec<CapacityPoint>, HebbError> {
    if trials == 0 {
        return Err(HebbError::InvalidArgument(
            "at least one trial is needed".into(),
        ));
    }
    const MOST: u64 = 1 << 16;
    if u64::try_from(max_pairs).map_or(true, |p| p > MOST) || trials > MOST {
        return Err(HebbError::InvalidArgument(format!(
            "at most {MOST} pairs and {MOST} trials, not {max_pairs} and {trials}"
        )));
    }
    let keys_h = hadamard(k)?;
    let n = keys_h.nrows();
    let mut curve = Vec::with_capacity(max_pairs);
    for pairs in 1..=max_pairs {
        let (mut random_sum, mut orthogonal_sum) = (0.0, 0.0);
        for trial in 0..trials {
            let mut rng = seeded_rng(1000 * pairs as u64 + trial);
            let values = random_bipolar(pairs, n, &mut rng)?;
            let keys = random_bipolar(pairs, n, &mut rng)?;
            let memory = LinearAssociator::learn(keys.view(), values.view())?;
            random_sum += sign_agreement(memory.recall(keys.view())?.view(), values.view())?;
            if pairs <= n {
                let keys = keys_h.slice_axis(Axis(0), Slice::from(..pairs));
                let memory = LinearAssociator::learn(keys, values.view())?;
                orthogonal_sum += sign_agreement(memory.recall(keys)?.view(), values.view())?;
            }
        }
        let t = trials as f32;
        curve.push(CapacityPoint {
            pairs,
            random_keys: random_sum / t,
            orthogonal_keys: (pairs <= n).then_some(orthogonal_sum / t),
        });
    }
    Ok(curve)
}
// ANCHOR_END: capacity

// ANCHOR: predicted_recall
/// The normal approximation to the capacity curve: with `n` inputs and
/// `pairs` random bipolar pairs, each recalled sign is right with probability
/// about Φ(√(n / (P − 1))) for P pairs. One pair has no crosstalk: 1.
pub fn predicted_recall(n: usize, pairs: usize) -> Result<f64, HebbError> {
    if n == 0 || pairs == 0 {
        return Err(HebbError::InvalidArgument(
            "the estimate needs at least one input and one pair".into(),
        ));
    }
    if pairs == 1 {
        return Ok(1.0);
    }
    Ok(normal_cdf((n as f64 / (pairs - 1) as f64).sqrt()))
}
// ANCHOR_END: predicted_recall
