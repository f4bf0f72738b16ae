//! The models this chapter tunes: chapter 8's reference architecture with
//! the number of hidden layers, their widths and the learning rate as
//! parameters. The search and the sweeps build every model through
//! [`mlp`], so they differ only in what they vary.

use ch04_backprop::Activation;
use ch08_sequential::{Dense, Flatten, LossKind, Metric, Sequential, Sgd, Softmax};
use ch09_training::TrainError;

/// The number of pixels of a Fashion-MNIST image, and of classes.
pub const PIXELS: usize = 28 * 28;
/// The number of classes.
pub const CLASSES: usize = 10;

// ANCHOR: mlp
/// A compiled classifier for 28 × 28 images: `Flatten`, one ReLU `Dense`
/// layer per entry of `hidden` (its width), then 10 softmax outputs;
/// sparse categorical cross-entropy, SGD at `learning_rate`, accuracy.
/// `hidden = [300, 100]` with rate 0.01 is chapter 8's reference model.
pub fn mlp(hidden: &[usize], learning_rate: f32, seed: u64) -> Result<Sequential, TrainError> {
    let mut model = Sequential::new(seed);
    model.add(Flatten::new([28, 28]))?;
    for &units in hidden {
        model.add(Dense::new(units, Activation::Relu))?;
    }
    model.add(Dense::new(CLASSES, Softmax))?;
    model.compile(
        LossKind::SparseCategoricalCrossEntropy,
        Sgd::new(learning_rate)?,
        &[Metric::Accuracy],
    )?;
    Ok(model)
}
// ANCHOR_END: mlp

/// The number of learned numbers (weights and biases) of [`mlp`] with
/// these hidden widths: each `Dense` layer of `n` inputs and `m` units has
/// `n·m + m`.
pub fn parameter_count(hidden: &[usize]) -> usize {
    let mut inputs = PIXELS;
    let mut count = 0;
    for &units in hidden.iter().chain(std::iter::once(&CLASSES)) {
        count += inputs * units + units;
        inputs = units;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_matches_the_built_model() {
        for hidden in [vec![], vec![300, 100], vec![7, 13, 5]] {
            let model = mlp(&hidden, 0.01, 1).unwrap();
            let built: usize = model.parameters().iter().map(|(_, p)| p.len()).sum();
            assert_eq!(parameter_count(&hidden), built, "{hidden:?}");
        }
        // 784·300 + 300 + 300·100 + 100 + 100·10 + 10, the reference model.
        assert_eq!(parameter_count(&[300, 100]), 266_610);
    }

    #[test]
    fn a_bad_rate_or_width_is_an_error() {
        assert!(mlp(&[0], 0.01, 1).is_err());
        assert!(mlp(&[10], f32::NAN, 1).is_err());
    }
}
