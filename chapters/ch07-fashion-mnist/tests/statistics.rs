//! The pixel statistics and the nearest-mean accuracy that the chapter
//! quotes (printed by `--example statistics`), recomputed here another way
//! from the real files: the folder FASHION_MNIST_DIR names, else the cache
//! data/fashion-mnist. Without either, `cargo test` lists the tests as
//! ignored, with the reason; under CI they fail instead.

use ch00_toolbox::real_data::FASHION_MNIST;
use ch07_fashion_mnist::{FashionMnist, NUM_CLASSES, Split};

/// The real files, loaded and checked; a test that gets here without them
/// fails, saying why.
fn data() -> FashionMnist {
    let dir = FASHION_MNIST.dir().unwrap_or_else(|e| panic!("{e}"));
    FashionMnist::load_from(&dir).unwrap()
}

/// Mean, standard deviation and share of zeros of `split.scaled()`, summed
/// directly in `f64` (the example counts byte values instead).
fn statistics(split: &Split) -> (f64, f64, f64) {
    let scaled = split.scaled();
    let n = scaled.len() as f64;
    let mean = scaled.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
    let square = scaled.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / n;
    let zeros = scaled.iter().filter(|&&x| x == 0.0).count() as f64 / n;
    (mean, (square - mean * mean).sqrt(), zeros)
}

/// Share of `split` whose nearest class mean, by the full squared distance,
/// is its own class.
fn nearest_mean_accuracy(split: &Split, fit: &Split) -> f64 {
    let means = fit.class_means();
    let means: Vec<Vec<f32>> = means
        .outer_iter()
        .map(|m| m.iter().copied().collect())
        .collect();
    let scaled = split.scaled();
    let correct = scaled
        .outer_iter()
        .zip(&split.labels)
        .filter(|&(image, &label)| {
            let distance = |k: usize| -> f32 {
                image
                    .iter()
                    .zip(&means[k])
                    .map(|(&x, &m)| (x - m) * (x - m))
                    .sum()
            };
            let nearest = (0..NUM_CLASSES)
                .min_by(|&a, &b| distance(a).total_cmp(&distance(b)))
                .unwrap();
            nearest == usize::from(label)
        })
        .count();
    correct as f64 / split.len() as f64
}

fn assert_near(what: &str, value: f64, quoted: f64, tolerance: f64) {
    assert!(
        (value - quoted).abs() <= tolerance,
        "{what}: computed {value}, the page quotes {quoted}"
    );
}

#[test]
#[cfg_attr(
    no_fashion_mnist,
    ignore = "Fashion-MNIST not found: set FASHION_MNIST_DIR, or fill data/fashion-mnist with `cargo run --release -p ch07-fashion-mnist`"
)]
fn pixel_statistics_are_the_ones_the_page_quotes() {
    let data = data();
    let (fit, _) = data.validation_split();
    let (mean, std, zeros) = statistics(&data.train);
    assert_near("mean of all 60 000", mean, 0.2860, 5e-5);
    assert_near("std of all 60 000", std, 0.3530, 5e-5);
    assert_near("zeros in all 60 000", zeros, 0.502, 5e-4);
    let (mean, std, zeros) = statistics(&fit);
    assert_near("mean of the 55 000", mean, 0.2860, 5e-5);
    assert_near("std of the 55 000", std, 0.3529, 5e-5);
    assert_near("zeros in the 55 000", zeros, 0.502, 5e-4);
}

#[test]
#[cfg_attr(
    no_fashion_mnist,
    ignore = "Fashion-MNIST not found: set FASHION_MNIST_DIR, or fill data/fashion-mnist with `cargo run --release -p ch07-fashion-mnist`"
)]
fn the_nearest_mean_classifier_gets_the_quoted_accuracy() {
    let data = data();
    let (fit, valid) = data.validation_split();
    assert_near(
        "test accuracy",
        nearest_mean_accuracy(&data.test, &fit),
        0.677,
        5e-4,
    );
    assert_near(
        "validation accuracy",
        nearest_mean_accuracy(&valid, &fit),
        0.699,
        5e-4,
    );
}
