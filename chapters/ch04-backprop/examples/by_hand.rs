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
//! Parts 2 to 4 are also written to `book/figures/ch04-backprop/`, where the
//! page includes them (a test checks that those files are up to date).

use ch00_toolbox::figure::figures_dir;
use ch04_backprop::by_hand::{PAGE_BATCH, PAGE_SAMPLE, Tiny, batch_report, report};
use ch04_backprop::descent::one_weight_steps;
use ch04_backprop::worked::{LayerExample, activation_table, init_scales};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("gradient descent on L(w) = (2w - 4)^2, w0 = 0, eta = 0.05");
    println!("   k        w_k       L(w_k)   dL/dw at w_k   next step -eta*dL/dw");
    let eta = 0.05;
    for s in one_weight_steps(2.0, 4.0, 0.0, eta, 5)? {
        println!(
            "{:4}  {:9.5}  {:11.8}  {:9.5}      {:+9.6}",
            s.k,
            s.w,
            s.loss,
            s.slope,
            -eta * s.slope
        );
    }
    println!();

    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch04-backprop");
    std::fs::create_dir_all(&dir)?;
    let (x, y) = PAGE_SAMPLE;
    let single = report(&Tiny::PAGE, x, y)?;
    print!("{single}");
    println!();
    let batch = batch_report(&Tiny::PAGE, &PAGE_BATCH)?;
    print!("{batch}");
    println!();
    let layer = LayerExample::page();
    let outputs = [
        ("by-hand.txt", single),
        ("by-hand-batch.txt", batch),
        ("activations-at.txt", activation_table()),
        ("layer-forward.txt", layer.forward_report()),
        ("layer-backward.txt", layer.backward_report()),
        ("init-scales.txt", init_scales()?),
    ];
    for (name, text) in &outputs[2..] {
        println!("{name}:");
        print!("{text}");
        println!();
    }
    for (name, text) in &outputs {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
