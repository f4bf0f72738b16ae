//! Seeded randomness.
//!
//! Every random choice in the book (initial weights, shuffles, synthetic data)
//! takes an explicit seed. We use ChaCha8, whose output is specified by its
//! algorithm rather than by the `rand` version, so a seed gives the same
//! numbers on every machine and every release.

// ANCHOR: rng
use rand::SeedableRng;
pub use rand_chacha::ChaCha8Rng as SeededRng;

/// A random number generator whose whole future is fixed by `seed`.
///
/// ```
/// use ch00_toolbox::seeded_rng;
/// use rand::Rng;
/// let a: f32 = seeded_rng(42).random();
/// let b: f32 = seeded_rng(42).random();
/// assert_eq!(a, b);
/// ```
pub fn seeded_rng(seed: u64) -> SeededRng {
    SeededRng::seed_from_u64(seed)
}
// ANCHOR_END: rng

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn first_draws(seed: u64) -> Vec<u32> {
        let mut rng = seeded_rng(seed);
        (0..8).map(|_| rng.random()).collect()
    }

    #[test]
    fn same_seed_same_stream_other_seed_other_stream() {
        assert_eq!(first_draws(7), first_draws(7));
        assert_ne!(first_draws(7), first_draws(8));
    }
}
