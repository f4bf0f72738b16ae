//! Regenerates the figures of chapter 4:
//! `cargo run -p ch04-backprop --example figures`.

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch04_backprop::descent::one_weight_steps;
use ch04_backprop::figures::{
    draw_activations, draw_gradient_check, draw_learning_rates, draw_loss_curves,
    draw_network_diagram, draw_one_weight_descent, draw_xor_regions,
};
use ch04_backprop::xor::{
    XorSettings, count_correct, hand_set_xor, train_xor, xor_inputs, xor_targets,
};
use ch04_backprop::{Activation, Init};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch04-backprop");
    let (x, y) = (xor_inputs(), xor_targets());

    // One weight: L(w) = (2w − 4)², from w = 0.
    let (x1, y1, w0) = (2.0, 4.0, 0.0);
    let steps = one_weight_steps(x1, y1, w0, 0.05, 6)?;
    let path = dir.join("loss-one-weight.svg");
    save_svg(&path, (720, 440), |a| {
        draw_one_weight_descent(a, x1, y1, 0.05, &steps)
    })?;
    println!("wrote {}", path.display());
    let mut runs = Vec::new();
    for eta in [0.01, 0.05, 0.2, 0.3] {
        let run = one_weight_steps(x1, y1, w0, eta, 12)?;
        println!(
            "eta {eta}: w after 12 steps {:.4}, loss {:.3e}",
            run[12].w, run[12].loss
        );
        runs.push((eta, run));
    }
    let path = dir.join("learning-rates.svg");
    save_svg(&path, (960, 440), |a| {
        draw_learning_rates(a, y1 / x1, &runs)
    })?;
    println!("wrote {}", path.display());

    let path = dir.join("xor-network.svg");
    let hand_set = hand_set_xor()?;
    save_svg(&path, (820, 540), |a| {
        draw_network_diagram(
            a,
            &hand_set,
            &[&[], &["OR", "AND"], &["XOR"]],
            "The hand-set 2-2-1 XOR network",
        )
    })?;
    println!("wrote {}", path.display());

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
    let at: Vec<String> = [1, 50, 100, 150, 180, 200, 250, 300, 1000]
        .iter()
        .filter_map(|&e| run.losses.get(e - 1).map(|l| format!("epoch {e}: {l:.3}")))
        .collect();
    println!("mean training loss by epoch: {}", at.join(", "));
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
