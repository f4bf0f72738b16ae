//! Regenerates the figures of chapter 4:
//! `cargo run -p ch04-backprop --example figures`.

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch04_backprop::figures::{
    draw_activations, draw_gradient_check, draw_loss_curves, draw_xor_regions,
};
use ch04_backprop::xor::{
    XorSettings, count_correct, hand_set_xor, train_xor, xor_inputs, xor_targets,
};
use ch04_backprop::{Activation, Init};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch04-backprop");
    let (x, y) = (xor_inputs(), xor_targets());

    let path = dir.join("activations.svg");
    // The closure is needed: it lets the backend's lifetime be chosen per call.
    #[allow(clippy::redundant_closure)]
    save_svg(&path, (900, 640), |a| draw_activations(a))?;
    println!("wrote {}", path.display());

    let settings = XorSettings::default();
    let run = train_xor(&settings)?;
    let zeros = train_xor(&XorSettings {
        init: Init::Zeros,
        activation: Activation::Sigmoid,
        ..settings
    })?;
    let out = run.mlp.predict(x.view())?;
    println!(
        "XOR {settings:?}: loss {:.4} after epoch 1, {:.5} after epoch {}; outputs {:?}; {}/4 right",
        run.losses[0],
        run.losses.last().copied().unwrap_or(f32::NAN),
        run.losses.len(),
        out.iter().collect::<Vec<_>>(),
        count_correct(out.view(), y.view()),
    );
    println!(
        "zero init (sigmoid hidden): final loss {:.4}",
        zeros.losses.last().copied().unwrap_or(f32::NAN)
    );
    let path = dir.join("xor-loss.svg");
    save_svg(&path, (760, 440), |a| {
        draw_loss_curves(
            a,
            "Training a 2-4-1 network on XOR (SGD, batches of 2)",
            &[
                ("Glorot-uniform start, tanh hidden", &run.losses),
                ("all-zero start, sigmoid hidden", &zeros.losses),
            ],
        )
    })?;
    println!("wrote {}", path.display());

    let hand = hand_set_xor()?;
    let path = dir.join("xor-regions.svg");
    save_svg(&path, (960, 480), |a| {
        draw_xor_regions(
            a,
            &[
                ("hand-set weights, step units", &hand),
                ("trained 2-4-1 network", &run.mlp),
            ],
            201,
        )
    })?;
    println!("wrote {}", path.display());

    let check = ch04_backprop::gradient_check::demo_check(4)?;
    println!(
        "gradient check: {} parameters, max relative error {:e}, worst {:?}",
        check.comparisons.len(),
        check.max_relative_error(),
        check.worst()
    );
    let path = dir.join("gradient-check.svg");
    save_svg(&path, (640, 560), |a| draw_gradient_check(a, &check, 1e-2))?;
    println!("wrote {}", path.display());
    Ok(())
}
