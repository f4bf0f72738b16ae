//! The train / validation / test split, made exactly as the reference
//! notebook makes it.
//!
//! The reference calls scikit-learn's `train_test_split(..., random_state=42)`
//! twice: a quarter of the districts becomes the test set, then a quarter of
//! the rest the validation set. Under the hood that is NumPy's legacy
//! `RandomState(42).permutation(n)`, a Fisher–Yates shuffle driven by the
//! Mersenne Twister (MT19937). Reproducing those few lines here gives us the
//! very same 11 610 / 3 870 / 5 160 districts (the housing file lists them in
//! the same order as scikit-learn's copy), so our test MSE can be set beside
//! the reference's number without a different split muddying the comparison.

use crate::housing::HousingError;

/// The most rows [`permutation`] and [`split_indices`] accept: 2²⁸, about
/// 268 million. The shuffle draws 32-bit numbers, so it could not go past
/// 2³² rows anyway, and a permutation of 2²⁸ rows already takes 2 GiB.
pub const MAX_SPLIT_ROWS: usize = 1 << 28;

/// The 32-bit Mersenne Twister, seeded like NumPy's legacy `RandomState(seed)`.
pub struct Mt19937 {
    state: [u32; 624],
    index: usize,
}

impl Mt19937 {
    /// The generator for an integer seed (`init_genrand` in the reference C code).
    pub fn new(seed: u32) -> Mt19937 {
        let mut state = [0u32; 624];
        state[0] = seed;
        for i in 1..624 {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 { state, index: 624 }
    }

    /// The next 32 random bits.
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn twist(&mut self) {
        for i in 0..624 {
            let y = (self.state[i] & 0x8000_0000) | (self.state[(i + 1) % 624] & 0x7fff_ffff);
            let mut next = self.state[(i + 397) % 624] ^ (y >> 1);
            if y & 1 == 1 {
                next ^= 0x9908_b0df;
            }
            self.state[i] = next;
        }
        self.index = 0;
    }

    // ANCHOR: interval
    /// A uniform integer in `0..=max`, by masking and rejecting (NumPy's
    /// legacy `random_interval`).
    pub fn interval(&mut self, max: u32) -> u32 {
        if max == 0 {
            return 0;
        }
        let mask = u32::MAX >> max.leading_zeros();
        loop {
            let v = self.next_u32() & mask;
            if v <= max {
                return v;
            }
        }
    }
    // ANCHOR_END: interval
}

// ANCHOR: permutation
/// `0..n` shuffled as NumPy's `RandomState(seed).permutation(n)` shuffles it.
/// An error if `n` is more than [`MAX_SPLIT_ROWS`].
pub fn permutation(n: usize, seed: u32) -> Result<Vec<usize>, HousingError> {
    if n > MAX_SPLIT_ROWS {
        return Err(HousingError::TooManyRows {
            rows: n,
            max: MAX_SPLIT_ROWS,
        });
    }
    let mut rng = Mt19937::new(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        // i < n ≤ MAX_SPLIT_ROWS < 2³², so the conversion always succeeds.
        let max = u32::try_from(i).map_err(|_| HousingError::TooManyRows {
            rows: n,
            max: MAX_SPLIT_ROWS,
        })?;
        let j = rng.interval(max) as usize;
        order.swap(i, j);
    }
    Ok(order)
}
// ANCHOR_END: permutation

// ANCHOR: split
/// Row indices of a train / validation / test split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitIndices {
    /// Rows to learn from.
    pub train: Vec<usize>,
    /// Rows to watch during training (early stopping, tuning).
    pub valid: Vec<usize>,
    /// Rows kept for the final score only.
    pub test: Vec<usize>,
}

/// Splits `0..n` like two calls of scikit-learn's `train_test_split` with
/// its defaults and `random_state=seed`: the first quarter (rounded up) of a
/// seeded permutation is the test set; the rest is permuted again with the
/// same seed and split a quarter to validation, the remainder to training.
/// For the 20 640 districts that is 11 610 / 3 870 / 5 160. An error if `n`
/// is more than [`MAX_SPLIT_ROWS`].
pub fn split_indices(n: usize, seed: u32) -> Result<SplitIndices, HousingError> {
    let order = permutation(n, seed)?;
    let n_test = n.div_ceil(4);
    let (test, rest) = order.split_at(n_test);
    let n_valid = rest.len().div_ceil(4);
    let again = permutation(rest.len(), seed)?;
    Ok(SplitIndices {
        test: test.to_vec(),
        valid: again[..n_valid].iter().map(|&i| rest[i]).collect(),
        train: again[n_valid..].iter().map(|&i| rest[i]).collect(),
    })
}
// ANCHOR_END: split

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_twister_matches_its_published_outputs() {
        // The reference implementation's default seed, 5489: first output.
        assert_eq!(Mt19937::new(5489).next_u32(), 3_499_211_612);
        // NumPy: RandomState(42).random_sample() is 0.3745401188473625,
        // made of two 32-bit draws (27 and 26 high bits).
        let mut rng = Mt19937::new(42);
        let a = (rng.next_u32() >> 5) as f64;
        let b = (rng.next_u32() >> 6) as f64;
        let x = (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0;
        assert_eq!(x, 0.3745401188473625);
    }

    #[test]
    fn interval_stays_in_range_and_reaches_both_ends() {
        let mut rng = Mt19937::new(1);
        let draws: Vec<u32> = (0..2000).map(|_| rng.interval(5)).collect();
        assert!(draws.iter().all(|&v| v <= 5));
        assert!(draws.contains(&0) && draws.contains(&5));
        assert_eq!(rng.interval(0), 0);
    }

    #[test]
    fn split_is_a_seeded_partition_with_the_reference_sizes_and_rows() {
        let s = split_indices(20_640, 42).unwrap();
        assert_eq!(
            (s.train.len(), s.valid.len(), s.test.len()),
            (11_610, 3_870, 5_160)
        );
        let mut all: Vec<usize> = s
            .train
            .iter()
            .chain(&s.valid)
            .chain(&s.test)
            .copied()
            .collect();
        all.sort_unstable();
        assert_eq!(
            all,
            (0..20_640).collect::<Vec<_>>(),
            "every row exactly once"
        );
        // scikit-learn's first test rows for random_state=42 on this data.
        assert_eq!(s.test[..5], [20_046, 3_024, 15_663, 20_484, 9_814]);
        assert_eq!(s, split_indices(20_640, 42).unwrap());
        assert_ne!(s.test, split_indices(20_640, 43).unwrap().test);
        let small = split_indices(5, 0).unwrap();
        assert_eq!(
            (small.train.len(), small.valid.len(), small.test.len()),
            (2, 1, 2)
        );
    }

    #[test]
    fn more_rows_than_the_limit_are_an_error_not_an_allocation() {
        // Before, 2⁴⁰ rows aborted the process asking for 8 TiB, and 2³² rows
        // or more would have been shuffled with `i as u32`, cut to 32 bits.
        for n in [
            MAX_SPLIT_ROWS + 1,
            1 << 32,
            1 << 40,
            usize::MAX / 2,
            usize::MAX,
        ] {
            let too_many = HousingError::TooManyRows {
                rows: n,
                max: MAX_SPLIT_ROWS,
            };
            assert_eq!(
                permutation(n, 0).unwrap_err().to_string(),
                too_many.to_string()
            );
            assert_eq!(
                split_indices(n, 0).unwrap_err().to_string(),
                too_many.to_string()
            );
        }
        assert_eq!(permutation(0, 0).unwrap(), Vec::<usize>::new());
        assert_eq!(permutation(1, 0).unwrap(), vec![0]);
    }
}
