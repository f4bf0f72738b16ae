//! The chapter's worked numbers, printed:
//! `cargo run -p ch04-backprop --example by_hand`.
//!
//! 1. Gradient descent on one weight, `L(w) = (2w − 4)²` from `w = 0` with
//!    `η = 0.05`: the table of steps.
//! 2. Backpropagation through the 1-1-1 sigmoid network by the chain rule,
//!    each derivative against a central difference.
//! 3. The same network on a batch of two samples: the derivatives add up
//!    over the samples, and the chapter's `Mlp` agrees.
//!
//! 4. Small worked examples (`ch04_backprop::worked`): every activation and
//!    its slope at a few points, one dense tanh layer forward and backward
//!    on a batch of two samples, and the initial weight scales of XOR's
//!    layers.
//!
//! Each part is also written to `book/outputs/ch04-backprop/`, where the
//! page includes them (`tests/regen-outputs.sh` rewrites them, and the
//! chapter's tests check that they are what the code prints).

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch04_backprop::by_hand::{PAGE_BATCH, PAGE_SAMPLE, Tiny, batch_report, report};
use ch04_backprop::descent::one_weight_steps;
use ch04_backprop::worked::{LayerExample, activation_table, init_scales};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch04-backprop"),
        "descent",
        "cargo run -p ch04-backprop --example by_hand",
        // A few additions and multiplications of f64 in a fixed order.
        Compared::Exactly,
    );
    let (x, y, w0, eta) = (2.0, 4.0, 0.0, 0.05);
    writeln!(
        out,
        "gradient descent on L(w) = ({x}w - {y})^2, from w0 = {w0} with eta = {eta}"
    )?;
    writeln!(
        out,
        "   k       w_k   2 - w_k         L(w_k)  dL/dw at w_k  next step -eta*dL/dw"
    )?;
    for s in one_weight_steps(x, y, w0, eta, 5)? {
        writeln!(
            out,
            "{:4}  {:8.5}  {:8.5}  {:13.10}  {:12.5}  {:+20.6}",
            s.k,
            s.w,
            y / x - s.w,
            s.loss,
            s.slope,
            -eta * s.slope
        )?;
    }
    println!("wrote {}", out.save()?.display());
    println!();

    let (x, y) = PAGE_SAMPLE;
    let layer = LayerExample::page();
    let reports = [
        ("by-hand", report(&Tiny::PAGE, x, y)?),
        ("by-hand-batch", batch_report(&Tiny::PAGE, &PAGE_BATCH)?),
        ("activations-at", activation_table()),
        ("layer-forward", layer.forward_report()),
        ("layer-backward", layer.backward_report()),
        ("init-scales", init_scales()?),
    ];
    for (name, text) in reports {
        println!("{name}:");
        let mut out = Output::new(
            outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch04-backprop"),
            name,
            "cargo run -p ch04-backprop --example by_hand",
            // exp and tanh come from the platform's maths library, and the
            // batch goes through ndarray's f32 products: the digits shown
            // are what is promised.
            Compared::AsPrinted("the digits shown"),
        );
        write!(out, "{text}")?;
        println!();
        println!("wrote {}", out.save()?.display());
    }
    Ok(())
}
