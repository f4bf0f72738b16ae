//! The numbers behind the chapter's "what can go wrong" section:
//! `cargo run --release -p ch04-backprop --example sweeps`.
//!
//! 1. The gradient check's worst relative error over 20 random networks for
//!    several steps ε (too large: truncation error; too small: rounding).
//!    Beside it, the two errors that make up that total, measured
//!    separately: the truncation error of the central difference (computed
//!    in f64, where rounding is negligible) and the rounding error of f32
//!    (the f32 difference against the f64 one at the same ε).
//! 2. How many of 50 seeds learn XOR (4/4 after 1000 epochs) for a few
//!    network shapes, activations and learning rates, and the median epoch at
//!    which the training loss first drops below 0.05.
//!
//! Each part is also written to `book/outputs/ch04-backprop/`
//! (`gradient-check-steps`, `xor-seeds`), where the page includes it. It
//! takes a few seconds in a release build.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};

use ch04_backprop::Mse;
use ch04_backprop::by_hand::sigmoid64;
use ch04_backprop::gradient_check::{check_gradients, demo_problem};
use ch04_backprop::xor::{XorSettings, count_correct, train_xor, xor_inputs, xor_targets};
use ch04_backprop::{Activation, Mlp};
use ndarray::Array2;

/// A report of this example, saved under `book/outputs/ch04-backprop/`.
fn output(name: &str) -> Output {
    Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch04-backprop"),
        name,
        "cargo run --release -p ch04-backprop --example sweeps",
        // f32 training and f32 losses go through ndarray's products, whose
        // last bits may depend on the CPU: the printed digits are promised.
        Compared::AsPrinted("2 significant digits, counts exactly"),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = output("gradient-check-steps");
    writeln!(
        out,
        "epsilon  worst relative error over 20 networks  (of which: truncation, f32 rounding)"
    )?;
    for epsilon in [1e-1f32, 3e-2, 1e-2, 3e-3, 1e-3, 1e-4] {
        let (mut worst, mut truncation, mut rounding) = (0.0f32, 0.0f64, 0.0f64);
        for seed in 0..20 {
            let (mlp, x, y) = demo_problem(seed)?;
            let check = check_gradients(&mlp, x.view(), y.view(), &Mse, epsilon)?;
            worst = worst.max(check.max_relative_error());
            let (t, r) = error_parts(&mlp, &x, &y, &check, f64::from(epsilon));
            truncation = truncation.max(t);
            rounding = rounding.max(r);
        }
        writeln!(
            out,
            "{epsilon:7.0e}  {worst:.1e}  ({truncation:.1e}, {rounding:.1e})"
        )?;
    }
    let mut noise = Vec::new();
    for seed in 0..20 {
        let (mlp, x, y) = demo_problem(seed)?;
        let l32 = f64::from(mlp.predict(x.view()).map(|p| mse32(&p, &y))?);
        let l64 = loss64(&mlp, &x, &y, None);
        noise.push((l32 - l64).abs() / l64 / f64::from(f32::EPSILON / 2.0));
    }
    noise.sort_by(f64::total_cmp);
    writeln!(
        out,
        "rounding error of the f32 loss, in units of f32's 6e-8 relative: median {:.1}, largest {:.1}",
        noise[10], noise[19]
    )?;
    println!("wrote {}", out.save()?.display());

    println!();
    let mut out = output("xor-seeds");
    writeln!(
        out,
        "hidden  activation  learning rate  seeds with 4/4  median epoch to loss < 0.05"
    )?;
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
        writeln!(
            out,
            "{hidden:6}  {:10}  {learning_rate:13}  {solved:11}/50  {median:>10}",
            activation.name()
        )?;
    }
    println!("wrote {}", out.save()?.display());
    Ok(())
}

/// The mean squared error in f32, as `Mse` computes it.
fn mse32(p: &Array2<f32>, y: &Array2<f32>) -> f32 {
    use ch04_backprop::Loss;
    Mse.value(p.view(), y.view()).unwrap_or(f32::NAN)
}

/// The same network's loss computed in f64 from its f32 parameters, with one
/// parameter (layer, flat index among weights then biases) shifted by `shift`.
fn loss64(mlp: &Mlp, x: &Array2<f32>, y: &Array2<f32>, shift: Option<(usize, usize, f64)>) -> f64 {
    let mut a = x.mapv(f64::from);
    for (l, layer) in mlp.layers.iter().enumerate() {
        let mut w = layer.weights.mapv(f64::from);
        let mut b = layer.bias.mapv(f64::from);
        if let Some((sl, k, d)) = shift
            && sl == l
        {
            if k < w.len() {
                let (r, c) = (k / w.ncols(), k % w.ncols());
                w[(r, c)] += d;
            } else {
                b[k - w.len()] += d;
            }
        }
        let z = a.dot(&w) + &b;
        a = z.mapv(|v| match layer.activation {
            Activation::Tanh => v.tanh(),
            Activation::Sigmoid => sigmoid64(v),
            Activation::Relu => v.max(0.0),
            Activation::Step => f64::from(u8::from(v >= 0.0)),
            Activation::Identity => v,
        });
    }
    let y = y.mapv(f64::from);
    (&a - &y).mapv(|d| d * d).mean().unwrap_or(f64::NAN)
}

/// The worst relative truncation error and the worst relative rounding error
/// of the check's central differences: truncation = the f64 difference at ε
/// against the f64 difference at a tiny step (the true derivative, nearly);
/// rounding = the f32 difference against the f64 one at the same ε. Both are
/// divided like the check's own relative error.
fn error_parts(
    mlp: &Mlp,
    x: &Array2<f32>,
    y: &Array2<f32>,
    check: &ch04_backprop::gradient_check::GradientCheck,
    epsilon: f64,
) -> (f64, f64) {
    use ch04_backprop::gradient_check::{Parameter, RELATIVE_ERROR_FLOOR};
    let (mut truncation, mut rounding) = (0.0f64, 0.0f64);
    for c in &check.comparisons {
        let layer = &mlp.layers[c.layer];
        let k = match c.parameter {
            Parameter::Weight { row, col } => row * layer.weights.ncols() + col,
            Parameter::Bias { unit } => layer.weights.len() + unit,
        };
        let diff = |h: f64| {
            (loss64(mlp, x, y, Some((c.layer, k, h))) - loss64(mlp, x, y, Some((c.layer, k, -h))))
                / (2.0 * h)
        };
        let (at_eps, exact) = (diff(epsilon), diff(1e-6));
        let scale = exact.abs().max(f64::from(RELATIVE_ERROR_FLOOR));
        truncation = truncation.max((at_eps - exact).abs() / scale);
        rounding = rounding.max((f64::from(c.numeric) - at_eps).abs() / scale);
    }
    (truncation, rounding)
}
