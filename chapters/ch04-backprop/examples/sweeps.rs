//! The numbers behind the chapter's "what can go wrong" section:
//! `cargo run --release -p ch04-backprop --example sweeps`.
//!
//! 1. The gradient check's worst relative error over 20 random networks for
//!    several steps ε (too large: truncation error; too small: rounding).
//! 2. How many of 50 seeds learn XOR (4/4 after 1000 epochs) for a few
//!    network shapes, activations and learning rates, and the median epoch at
//!    which the training loss first drops below 0.05.

use ch04_backprop::gradient_check::{check_gradients, demo_problem};
use ch04_backprop::xor::{XorSettings, count_correct, train_xor, xor_inputs, xor_targets};
use ch04_backprop::{Activation, Mse, NetError};

fn main() -> Result<(), NetError> {
    println!("epsilon  worst relative error over 20 networks");
    for epsilon in [1e-1f32, 3e-2, 1e-2, 3e-3, 1e-3, 1e-4] {
        let mut worst = 0.0f32;
        for seed in 0..20 {
            let (mlp, x, y) = demo_problem(seed)?;
            let check = check_gradients(&mlp, x.view(), y.view(), &Mse, epsilon)?;
            worst = worst.max(check.max_relative_error());
        }
        println!("{epsilon:7.0e}  {worst:.1e}");
    }

    println!("\nhidden  activation  learning rate  seeds with 4/4  median epoch to loss < 0.05");
    let configs = [
        (4, Activation::Tanh, 0.5),
        (2, Activation::Tanh, 0.5),
        (4, Activation::Sigmoid, 0.5),
        (4, Activation::Relu, 0.5),
        (4, Activation::Tanh, 0.05),
    ];
    for (hidden, activation, learning_rate) in configs {
        let mut solved = 0;
        let mut first_good = Vec::new();
        for seed in 0..50 {
            let settings = XorSettings {
                hidden,
                activation,
                learning_rate,
                seed,
                ..XorSettings::default()
            };
            let run = train_xor(&settings)?;
            let out = run.mlp.predict(xor_inputs().view())?;
            if count_correct(out.view(), xor_targets().view()) == 4 {
                solved += 1;
            }
            let epoch = run.losses.iter().position(|&l| l < 0.05).map(|e| e + 1);
            first_good.push(epoch.unwrap_or(usize::MAX));
        }
        first_good.sort_unstable();
        let median = match first_good[25] {
            usize::MAX => "never".to_string(),
            e => e.to_string(),
        };
        println!(
            "{hidden:6}  {:10}  {learning_rate:13}  {solved:11}/50  {median:>10}",
            activation.name()
        );
    }
    Ok(())
}
