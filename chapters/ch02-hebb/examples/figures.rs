//! Regenerates the figures of chapter 2 and prints the numbers the page
//! quotes: `cargo run -p ch02-hebb --example figures`. The numbers are also
//! written to `book/outputs/ch02-hebb/` (`cloud`, `capacity`), where the page
//! includes them.

use std::io::Write;

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch02_hebb::experiments::predicted_recall;
use ch02_hebb::experiments::{CloudSettings, capacity, run_cloud};
use ch02_hebb::figures::{
    alignment, draw_capacity, draw_eigenvectors, draw_growth, draw_oja_direction,
};
use ch02_hebb::pca::covariance;
use ch02_hebb::primer::tiny_data;

/// A report of this example, saved under `book/outputs/ch02-hebb/`.
fn output(name: &str) -> Output {
    Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch02-hebb"),
        name,
        "cargo run -p ch02-hebb --example figures",
        // f32 dot products in ndarray may sum in a CPU-dependent order.
        Compared::AsPrinted("the digits shown"),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch02-hebb");

    let run = run_cloud(&CloudSettings::default())?;
    let (hebb_norms, oja_norms) = (run.hebb.norms(), run.oja.norms());
    let e1 = run.eigenvector.view();
    let mut out = output("cloud");
    writeln!(out, "covariance:\n{:.4}", run.covariance)?;
    writeln!(
        out,
        "λ₁ = {:.4}, e₁ = {:.4}, at {:.2}°",
        run.eigenvalue,
        run.eigenvector,
        run.eigenvector[1].atan2(run.eigenvector[0]).to_degrees()
    )?;
    for t in [0, 100, 250, 500, 1000] {
        writeln!(
            out,
            "step {t:>4}: ‖w‖ Hebb {:>10.4e}  Oja {:.4}   |cos| Hebb {:.4}  Oja {:.4}",
            hebb_norms[t],
            oja_norms[t],
            alignment(&run.hebb, e1)?[t],
            alignment(&run.oja, e1)?[t],
        )?;
    }
    let eta = CloudSettings::default().eta;
    let per_step = (hebb_norms[1000] / hebb_norms[250]).powf(1.0 / 750.0);
    writeln!(
        out,
        "plain Hebb, steps 250 to 1000: ‖w‖ grows by {per_step:.4} = e^{:.4} per step; \
         1 + ηλ₁ = {:.4} = e^{:.4}",
        per_step.ln(),
        1.0 + run.eigenvalue * eta,
        (1.0 + run.eigenvalue * eta).ln()
    )?;
    writeln!(out, "Oja ends at w = {:.4}", run.oja.last())?;
    let long = run_cloud(&CloudSettings {
        epochs: 5,
        ..CloudSettings::default()
    })?;
    writeln!(
        out,
        "over 5 passes, plain Hebb overflows f32 at step {}; Oja ends at ‖w‖ = {:.4}",
        long.hebb
            .overflow_at
            .map_or("(never)".to_string(), |s| s.to_string()),
        long.oja.norms().last().copied().unwrap_or(f32::NAN)
    )?;

    println!("wrote {}", out.save()?.display());

    let path = dir.join("weight-growth.svg");
    save_svg(&path, (1000, 440), |a| {
        draw_growth(a, &run.hebb, &run.oja, e1)
    })?;
    println!("wrote {}", path.display());
    let path = dir.join("oja-direction.svg");
    save_svg(&path, (780, 640), |a| {
        draw_oja_direction(a, run.data.view(), &run.oja, e1)
    })?;
    println!("wrote {}", path.display());

    let curve = capacity(6, 128, 10)?;
    let mut out = output("capacity");
    writeln!(
        out,
        "fraction of output signs recalled right, 64 inputs, P pairs (random keys: mean of 10 seeds)"
    )?;
    for p in curve
        .iter()
        .filter(|p| [1, 8, 16, 32, 64, 128].contains(&p.pairs))
    {
        writeln!(
            out,
            "P = {:>3}: random keys {:.4}, orthogonal keys {}, normal estimate {:.4}",
            p.pairs,
            p.random_keys,
            p.orthogonal_keys
                .map_or("(none: only 64 exist)".to_string(), |r| format!("{r:.4}")),
            predicted_recall(64, p.pairs)?
        )?;
    }
    println!("wrote {}", out.save()?.display());
    let path = dir.join("association-capacity.svg");
    save_svg(&path, (840, 460), |a| draw_capacity(a, &curve, 64))?;
    println!("wrote {}", path.display());

    // The maths primer's picture: the tiny data set's covariance acting on
    // unit vectors, and the experiment's cloud with its eigenvectors.
    let tiny = covariance(tiny_data().view())?;
    let path = dir.join("eigenvectors.svg");
    save_svg(&path, (1100, 520), |a| {
        draw_eigenvectors(a, tiny.view(), run.data.view())
    })?;
    println!("wrote {}", path.display());
    Ok(())
}
