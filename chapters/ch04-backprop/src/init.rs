//! Weight initialisation: where gradient descent starts from.
//!
//! All-zero weights make every hidden unit of a layer compute the same thing
//! and receive the same gradient, so they stay copies of each other for ever
//! (the *symmetry* problem). Small random weights break the tie; Glorot and
//! He scale the randomness to the layer's size so that signals neither fade
//! nor blow up as they pass through many layers.

use ndarray::Array2;

use crate::error::{NetError, checked_len};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

// ANCHOR: init
/// How to fill a fresh `n_in × n_out` weight matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// Every weight `0`: the cautionary tale (symmetry is never broken).
    Zeros,
    /// Uniform in `[-a, a]` for the given `a` (its absolute value is used).
    Uniform(f32),
    /// Glorot (Xavier) uniform: `[-r, r]` with `r = √(6 / (n_in + n_out))`,
    /// which keeps the variance of signals about equal forwards and backwards.
    GlorotUniform,
    /// He normal: Gaussian with mean `0` and standard deviation `√(2 / n_in)`,
    /// which makes up for ReLU zeroing half of its inputs.
    HeNormal,
}
// ANCHOR_END: init

impl Init {
    // ANCHOR: weights
    /// A fresh `n_in × n_out` weight matrix drawn from `rng`; an error if
    /// the matrix would be too large to hold ([`checked_len`]).
    pub fn weights(
        self,
        n_in: usize,
        n_out: usize,
        rng: &mut impl Rng,
    ) -> Result<Array2<f32>, NetError> {
        checked_len("a weight matrix", &[n_in, n_out])?;
        Ok(match self {
            Init::Zeros => Array2::zeros((n_in, n_out)),
            Init::Uniform(a) => uniform(n_in, n_out, a.abs(), rng),
            Init::GlorotUniform => {
                let r = (6.0 / (n_in + n_out).max(1) as f32).sqrt();
                uniform(n_in, n_out, r, rng)
            }
            Init::HeNormal => {
                let std = (2.0 / n_in.max(1) as f32).sqrt();
                Array2::from_shape_simple_fn((n_in, n_out), || {
                    let g: f32 = StandardNormal.sample(rng);
                    std * g
                })
            }
        })
    }
    // ANCHOR_END: weights
}

/// Uniform in `[-a, a]`, built from `rng.random::<f32>()` in `[0, 1)` so that
/// no argument can make it panic (a `NaN` bound gives `NaN` weights, which the
/// first loss value will show).
fn uniform(n_in: usize, n_out: usize, a: f32, rng: &mut impl Rng) -> Array2<f32> {
    Array2::from_shape_simple_fn((n_in, n_out), || (2.0 * rng.random::<f32>() - 1.0) * a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch00_toolbox::seeded_rng;

    fn variance(w: &Array2<f32>) -> f32 {
        let n = w.len() as f32;
        let mean = w.sum() / n;
        w.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n
    }

    #[test]
    fn the_same_seed_gives_the_same_weights() {
        let a = Init::GlorotUniform
            .weights(5, 3, &mut seeded_rng(1))
            .unwrap();
        let b = Init::GlorotUniform
            .weights(5, 3, &mut seeded_rng(1))
            .unwrap();
        let c = Init::GlorotUniform
            .weights(5, 3, &mut seeded_rng(2))
            .unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.dim(), (5, 3));
    }

    #[test]
    fn glorot_and_he_have_the_variance_they_promise() {
        let mut rng = seeded_rng(7);
        let (n_in, n_out) = (200, 100);
        let g = Init::GlorotUniform.weights(n_in, n_out, &mut rng).unwrap();
        let r = (6.0f32 / 300.0).sqrt();
        assert!(g.iter().all(|v| v.abs() <= r));
        // Uniform on [-r, r] has variance r²/3 = 2 / (n_in + n_out).
        let want = 2.0 / 300.0;
        assert!(
            (variance(&g) - want).abs() < 0.05 * want,
            "{}",
            variance(&g)
        );
        let h = Init::HeNormal.weights(n_in, n_out, &mut rng).unwrap();
        let want = 2.0 / n_in as f32;
        assert!(
            (variance(&h) - want).abs() < 0.05 * want,
            "{}",
            variance(&h)
        );
    }

    #[test]
    fn zeros_and_uniform_bounds() {
        let mut rng = seeded_rng(3);
        assert!(
            Init::Zeros
                .weights(3, 4, &mut rng)
                .unwrap()
                .iter()
                .all(|&v| v == 0.0)
        );
        let u = Init::Uniform(-0.1).weights(30, 30, &mut rng).unwrap();
        assert!(u.iter().all(|v| v.abs() <= 0.1));
        assert!(u.iter().any(|&v| v < 0.0) && u.iter().any(|&v| v > 0.0));
    }
}
