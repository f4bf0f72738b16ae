//! The numbers of the chapter's "What can go wrong" section:
//! `cargo run -p ch02-hebb --example pitfalls`.
//!
//! The report is also written to `book/outputs/ch02-hebb/pitfalls.txt`.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch00_toolbox::seeded_rng;
use ch02_hebb::association::{random_bipolar, sign_agreement};
use ch02_hebb::data::correlated_cloud;
use ch02_hebb::experiments::{CloudSettings, run_cloud, starting_weights};
use ch02_hebb::pca::cosine;
use ch02_hebb::{LinearAssociator, Rule, train};
use ndarray::array;

/// This example's report, saved as `book/outputs/ch02-hebb/pitfalls.txt`.
fn output() -> Output {
    Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch02-hebb"),
        "pitfalls",
        "cargo run -p ch02-hebb --example pitfalls",
        Compared::AsPrinted("the digits shown"),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = output();
    let settings = CloudSettings::default();
    let run = run_cloud(&settings)?;
    let (w0, e1) = (starting_weights(), run.eigenvector.view());

    writeln!(
        out,
        "Oja's rule, one pass over the centred cloud, for several learning rates:"
    )?;
    for eta in [0.005f32, 0.01, 0.02, 0.1, 0.3] {
        let t = train(Rule::Oja, run.data.view(), w0.view(), eta, 1)?;
        match t.overflow_at {
            Some(step) => writeln!(
                out,
                "  η = {eta:<5}: the weights overflow f32 at step {step}"
            )?,
            None => {
                let norms = t.norms();
                let tail = &norms[norms.len() / 2..];
                let mean = tail.iter().sum::<f32>() / tail.len() as f32;
                let cos = cosine(t.last(), e1)?.abs();
                writeln!(
                    out,
                    "  η = {eta:<5}: mean ‖w‖ over the second half {mean:.4}, final |cos| {cos:.4}"
                )?;
            }
        }
    }

    let shifted =
        correlated_cloud(settings.n, 2.0, 0.6, 30.0, settings.seed)? + array![3.0f32, -2.0];
    let t = train(Rule::Oja, shifted.view(), w0.view(), 0.005, 2)?;
    writeln!(
        out,
        "Oja on the cloud shifted to mean (3, −2), not centred: w = {:.3}, |cos| with e₁ = {:.3}",
        t.last(),
        cosine(t.last(), e1)?.abs()
    )?;

    let mut rng = seeded_rng(4);
    let keys = random_bipolar(8, 64, &mut rng)?;
    let values = random_bipolar(8, 64, &mut rng)?;
    let zero_one = keys.mapv(|v| (v + 1.0) / 2.0);
    for (name, k) in [("bipolar ±1 keys", &keys), ("0/1 keys", &zero_one)] {
        let memory = LinearAssociator::learn(k.view(), values.view())?;
        let right = sign_agreement(memory.recall(k.view())?.view(), values.view())?;
        writeln!(
            out,
            "8 random pairs, 64 inputs, {name}: {right:.4} of output signs right"
        )?;
    }
    println!("wrote {}", out.save()?.display());
    Ok(())
}
