//! The numbers chapter 7 quotes about the pixels and the nearest-mean
//! classifier, computed from the real data:
//! `FASHION_MNIST_DIR=../shared/data/fashion-mnist cargo run --release -p ch07-fashion-mnist --example statistics`
//! (without the variable, the data set is loaded from, or downloaded into,
//! the cache `data/fashion-mnist/`). It also writes them to
//! `book/outputs/ch07-fashion-mnist/statistics.txt`, which the page includes.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch07_fashion_mnist::split::Split;
use ch07_fashion_mnist::{FashionMnist, NUM_CLASSES};
use ndarray::Array2;

/// Mean and standard deviation of the scaled pixels (`v / 255`), and the
/// share of pixels that are exactly 0, from a count of each byte value.
fn pixel_statistics(split: &Split) -> (f64, f64, f64) {
    let mut counts = [0u64; 256];
    for &v in split.images.iter() {
        counts[usize::from(v)] += 1;
    }
    let n = counts.iter().sum::<u64>() as f64;
    let value = |v: usize| v as f64 / 255.0;
    let mean = (0..256).map(|v| counts[v] as f64 * value(v)).sum::<f64>() / n;
    let variance = (0..256)
        .map(|v| counts[v] as f64 * (value(v) - mean).powi(2))
        .sum::<f64>()
        / n;
    (mean, variance.sqrt(), counts[0] as f64 / n)
}

/// The class whose mean image is nearest (in squared pixel distance) to each
/// image of `split`. `|x − m|² = |x|² − 2 x·m + |m|²`, and `|x|²` is the same
/// for every class, so only the last two terms are compared.
fn nearest_mean(split: &Split, means: &Array2<f32>) -> Vec<usize> {
    let products = split.scaled().dot(&means.t()); // n × 10
    let norms: Vec<f32> = means.outer_iter().map(|m| m.dot(&m)).collect();
    products
        .outer_iter()
        .map(|row| {
            (0..NUM_CLASSES)
                .min_by(|&a, &b| {
                    let da = norms[a] - 2.0 * row[a];
                    let db = norms[b] - 2.0 * row[b];
                    da.total_cmp(&db)
                })
                .unwrap_or(0)
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch07-fashion-mnist"),
        "statistics",
        "cargo run --release -p ch07-fashion-mnist --example statistics",
        // The statistics are f64 sums over byte counts in a fixed order; the
        // accuracies come from f32 matrix products, whose summation order may
        // depend on the CPU.
        Compared::AsPrinted("statistics to 4 decimals, accuracies as counts"),
    );
    let data = FashionMnist::load()?;
    let (fit, valid) = data.validation_split();

    writeln!(out, "scaled pixels (v / 255):")?;
    for (name, split) in [
        ("fit images (the 55 000 trained on)", &fit),
        ("all 60 000 training images", &data.train),
    ] {
        let (mean, std, zeros) = pixel_statistics(split);
        writeln!(
            out,
            "  {name:<36} mean {mean:.4}, standard deviation {std:.4}, exactly 0: {:.1} %",
            100.0 * zeros
        )?;
    }

    let means = fit.class_means();
    let means = means
        .to_shape((NUM_CLASSES, fit.pixels_per_image()))?
        .to_owned();
    writeln!(
        out,
        "nearest class mean (the means of the 55 000 fit images):"
    )?;
    for (name, split) in [("validation", &valid), ("test", &data.test)] {
        let predicted = nearest_mean(split, &means);
        let correct = predicted
            .iter()
            .zip(&split.labels)
            .filter(|&(&p, &y)| p == usize::from(y))
            .count();
        writeln!(
            out,
            "  {name:<10} accuracy {:.1} % ({correct} of {})",
            100.0 * correct as f64 / split.len() as f64,
            split.len()
        )?;
    }
    println!("wrote {}", out.save()?.display());
    Ok(())
}
