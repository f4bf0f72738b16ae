//! Regenerates the figures of chapter 4:
//! `cargo run -p ch04-backprop --example figures`.
//!
//! The numbers the page quotes about the runs behind the figures are also
//! written to `book/outputs/ch04-backprop/` (`learning-rates`,
//! `xor-training`, `gradient-check`), where the page includes them.

use std::io::Write;

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch04_backprop::descent::one_weight_steps;
use ch04_backprop::figures::{
    draw_activations, draw_gradient_check, draw_learning_rates, draw_loss_curves,
    draw_network_diagram, draw_one_weight_descent, draw_xor_regions,
};
use ch04_backprop::xor::{
    XorSettings, count_correct, hand_set_xor, train_xor, xor_inputs, xor_targets,
};
use ch04_backprop::{Activation, Init};

/// A report of this example, saved under `book/outputs/ch04-backprop/`.
fn output(name: &str) -> Output {
    Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch04-backprop"),
        name,
        "cargo run -p ch04-backprop --example figures",
        // Training runs through ndarray's f32 products, whose last bits may
        // depend on the CPU: the printed digits are what is promised.
        Compared::AsPrinted("3 to 4 significant digits"),
    )
}

/// A loss with three significant digits (five decimals below 0.01).
fn loss_text(l: f32) -> String {
    if l < 0.01 {
        format!("{l:.5}")
    } else {
        format!("{l:.3}")
    }
}

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
    let mut out = output("learning-rates");
    writeln!(
        out,
        "L(w) = (2w - 4)^2 from w = 0, 12 steps; the best weight is 2"
    )?;
    for eta in [0.01, 0.05, 0.2, 0.3] {
        let run = one_weight_steps(x1, y1, w0, eta, 12)?;
        writeln!(
            out,
            "eta {eta:4}: w after 12 steps {:9.4}, loss {:.3e}",
            run[12].w, run[12].loss
        )?;
        runs.push((eta, run));
    }
    println!("wrote {}", out.save()?.display());
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
    let mut report = output("xor-training");
    writeln!(
        report,
        "2-{}-1 network, {} hidden, {:?} start, SGD eta {}, batches of {}, {} epochs, seed {}",
        settings.hidden,
        settings.activation.name(),
        settings.init,
        settings.learning_rate,
        settings.batch_size,
        settings.epochs,
        settings.seed
    )?;
    writeln!(report, "mean training loss by epoch:")?;
    for e in [1, 50, 100, 150, 180, 200, 250, 300, 1000] {
        if let Some(&l) = run.losses.get(e - 1) {
            writeln!(report, "  epoch {e:4}: {}", loss_text(l))?;
        }
    }
    let outputs: Vec<String> = out.iter().map(|o| format!("{o:.3}")).collect();
    writeln!(
        report,
        "outputs for (0,0), (0,1), (1,0), (1,1): {}; {} of 4 right",
        outputs.join(", "),
        count_correct(out.view(), y.view()),
    )?;
    writeln!(
        report,
        "all-zero start, sigmoid hidden: loss {} after epoch {}",
        loss_text(zeros.losses.last().copied().unwrap_or(f32::NAN)),
        zeros.losses.len()
    )?;
    println!("wrote {}", report.save()?.display());
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
    let mut report = output("gradient-check");
    writeln!(
        report,
        "seed 4: {} parameters, epsilon {}; layers counted from 1 at the input side, as in the figure",
        check.comparisons.len(),
        check.epsilon
    )?;
    if let Some(w) = check.worst() {
        writeln!(
            report,
            "worst relative error {:.1e}: layer {}, {:?}, backprop {:.2e}, central difference {:.2e}",
            w.relative_error(),
            w.layer + 1,
            w.parameter,
            w.analytic,
            w.numeric
        )?;
    }
    let layers = check.comparisons.iter().map(|c| c.layer).max().unwrap_or(0) + 1;
    for l in 0..layers {
        let of_layer = check.comparisons.iter().filter(|c| c.layer == l);
        let (worst, largest) = of_layer.fold((0.0f32, 0.0f32), |(e, g), c| {
            (e.max(c.relative_error()), g.max(c.analytic.abs()))
        });
        writeln!(
            report,
            "layer {}: worst relative error {worst:.1e}, largest gradient {largest:.2e}",
            l + 1
        )?;
    }
    println!("wrote {}", report.save()?.display());
    let path = dir.join("gradient-check.svg");
    save_svg(&path, (640, 560), |a| draw_gradient_check(a, &check, 1e-2))?;
    println!("wrote {}", path.display());
    Ok(())
}
