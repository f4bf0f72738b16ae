//! How much a backward pass costs next to a forward pass, for one
//! 784 → 300 ReLU layer on batches of 32:
//! `cargo run --release -p ch04-backprop --example backward_cost`.
//!
//! The forward pass does one matrix product (`X·W`), the backward pass two
//! (`Xᵀ·dZ` and `dZ·Wᵀ`), so expect a ratio near 2.

use std::time::Instant;

use ch00_toolbox::seeded_rng;
use ch04_backprop::{Activation, Dense, Init};
use ndarray::Array2;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = seeded_rng(0);
    let mut layer = Dense::new(784, 300, Activation::Relu, Init::HeNormal, &mut rng)?;
    let x = Init::Uniform(1.0).weights(32, 784, &mut rng)?;
    let grad = Array2::<f32>::ones((32, 300));
    let rounds = 500;
    // Warm up the caches and buffers once.
    layer.forward(x.view())?;
    layer.backward(grad.view())?;

    // The fastest of 7 trials of each: the least disturbed by whatever else
    // the machine is doing.
    let (mut forward, mut backward) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..7 {
        let start = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(layer.forward(x.view())?);
        }
        forward = forward.min(start.elapsed().as_secs_f64() / rounds as f64);
        let start = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(layer.backward(grad.view())?);
        }
        backward = backward.min(start.elapsed().as_secs_f64() / rounds as f64);
    }
    println!(
        "forward {:.1} µs, backward {:.1} µs, ratio {:.2}",
        forward * 1e6,
        backward * 1e6,
        backward / forward
    );
    Ok(())
}
