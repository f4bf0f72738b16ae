//! Prints every number of the page *The maths you need*:
//! `cargo run -p ch02-hebb --example primer`.
//!
//! The report is also written to `book/outputs/ch02-hebb/primer.txt`.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch02_hebb::experiments::{CloudSettings, run_cloud};
use ch02_hebb::learning::norm;
use ch02_hebb::pca::{cosine, covariance, eigen_2x2};
use ch02_hebb::primer::{
    average, erf, normal_cdf, normal_density, oja_step_error, outer, sqrt_first_order_error,
    step_example, tiny_data,
};
use ndarray::array;

/// This example's report, saved as `book/outputs/ch02-hebb/primer.txt`.
fn output() -> Output {
    Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch02-hebb"),
        "primer",
        "cargo run -p ch02-hebb --example primer",
        Compared::AsPrinted("the digits shown"),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = output();
    writeln!(out, "‖(3, 4)‖ = {}", norm(array![3.0f32, 4.0].view()))?;
    let (x, y) = (array![1.0f32, 2.0], array![3.0f32, -1.0]);
    writeln!(out, "dot product x · y = {}", x.dot(&y))?;
    writeln!(
        out,
        "‖x‖ = {:.4}, ‖y‖ = {:.4}, cos α = x · y / (‖x‖ ‖y‖) = {:.4}",
        norm(x.view()),
        norm(y.view()),
        cosine(x.view(), y.view())?
    )?;
    writeln!(out, "outer product xᵀ y =\n{}", outer(x.view(), y.view())?)?;
    writeln!(
        out,
        "its transpose (xᵀ y)ᵀ = yᵀ x =\n{}",
        outer(y.view(), x.view())?
    )?;

    let data = tiny_data();
    writeln!(out, "\ntiny data set, one point per row:\n{data}")?;
    writeln!(out, "E[x₁]    = {}", average(data.view(), |p| p[0])?)?;
    writeln!(out, "E[x₂]    = {}", average(data.view(), |p| p[1])?)?;
    writeln!(out, "E[x₁²]   = {}", average(data.view(), |p| p[0] * p[0])?)?;
    writeln!(out, "E[x₁ x₂] = {}", average(data.view(), |p| p[0] * p[1])?)?;
    let c = covariance(data.view())?;
    writeln!(out, "covariance C =\n{c}")?;
    for u in [array![1.0f32, 0.0], array![0.0f32, 1.0]] {
        writeln!(out, "C {u} = {}, uᵀ C u = {}", c.dot(&u), u.dot(&c.dot(&u)))?;
    }
    for (k, (lambda, e)) in eigen_2x2(c.view())?.iter().enumerate() {
        writeln!(
            out,
            "λ{} = {lambda:.4}, e{} = {e:.4}, C e = {:.4}, eᵀ C e = {:.4}",
            k + 1,
            k + 1,
            c.dot(e),
            e.dot(&c.dot(e))
        )?;
    }
    let [(_, e1), _] = eigen_2x2(c.view())?;
    let along = data.dot(&e1);
    writeln!(
        out,
        "each point along e1: x e1 = {along:.4}, average of the squares {:.4}",
        along.mapv(|v| v * v).mean().unwrap_or(f32::NAN)
    )?;

    writeln!(
        out,
        "\n√(1 + ε) against its first-order approximation 1 + ε/2:"
    )?;
    for eps in [0.2f64, 0.1, 0.05, 0.025] {
        let error = sqrt_first_order_error(eps);
        writeln!(
            out,
            "ε = {eps:<6} √(1 + ε) = {:.6}  1 + ε/2 = {:.6}  error = {error:.6}  error / ε² = {:.3}",
            (1.0 + eps).sqrt(),
            1.0 + eps / 2.0,
            error / (eps * eps)
        )?;
    }

    let (w, x) = step_example();
    writeln!(
        out,
        "\nOja's step against the exact normalised Hebbian step, from w = {w} on x = {x}:"
    )?;
    for eta in [0.2f32, 0.1, 0.05, 0.025] {
        let error = oja_step_error(w.view(), x.view(), eta)?;
        writeln!(
            out,
            "η = {eta:<6} error = {error:.6}  error / η² = {:.3}",
            error / (eta * eta)
        )?;
    }

    writeln!(out, "\nthe standard normal bell curve e^(−z²/2)/√(2π):")?;
    for z in [0.0, 1.0, 2.0] {
        writeln!(out, "  at z = {z}: {:.4}", normal_density(z))?;
    }
    writeln!(
        out,
        "\nthe normal distribution's cumulative function Φ and erf:"
    )?;
    for z in [-1.0, 0.0, 1.0, 1.96, 2.0] {
        writeln!(
            out,
            "Φ({z:>5}) = {:.4}   erf({:.4}) = {:.4}",
            normal_cdf(z),
            z / std::f64::consts::SQRT_2,
            erf(z / std::f64::consts::SQRT_2)
        )?;
    }
    writeln!(
        out,
        "P(−1 ≤ Z ≤ 1) = Φ(1) − Φ(−1) = {:.5} ≈ {:.4}",
        normal_cdf(1.0) - normal_cdf(-1.0),
        normal_cdf(1.0) - normal_cdf(-1.0)
    )?;

    let run = run_cloud(&CloudSettings::default())?;
    writeln!(
        out,
        "\nthe cloud of chapter 2: covariance\n{:.4}",
        run.covariance
    )?;
    for (k, (lambda, e)) in eigen_2x2(run.covariance.view())?.iter().enumerate() {
        writeln!(
            out,
            "λ{} = {lambda:.4}, √λ{} = {:.4}, e{} = {e:.4}",
            k + 1,
            k + 1,
            lambda.sqrt(),
            k + 1
        )?;
    }
    println!("wrote {}", out.save()?.display());
    Ok(())
}
