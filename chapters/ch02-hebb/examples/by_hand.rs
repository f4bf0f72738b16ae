//! Chapter 2's small worked examples, each a few numbers you can check by
//! hand: `cargo run -p ch02-hebb --example by_hand`. `tests/by_hand.rs`
//! checks every number the page quotes.
//!
//! The report is also written to `book/outputs/ch02-hebb/by-hand.txt`.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch02_hebb::association::hadamard;
use ch02_hebb::learning::norm;
use ch02_hebb::primer::{average, tiny_data};
use ch02_hebb::{LinearAssociator, hebb_update, oja_update};
use ndarray::array;

/// This example's report, saved as `book/outputs/ch02-hebb/by-hand.txt`.
fn output() -> Output {
    Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch02-hebb"),
        "by-hand",
        "cargo run -p ch02-hebb --example by_hand",
        Compared::AsPrinted("the digits shown"),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = output();
    let x = array![3.0f32, -1.0];
    let mut w = array![1.0f32, 2.0];
    let y = hebb_update(&mut w, x.view(), 0.1)?;
    writeln!(
        out,
        "one Hebb step, w = (1, 2)ᵀ, x = {x}, η = 0.1: y = {y}, new w = {w:.2}"
    )?;

    let (x, eta) = (array![1.0f32, 1.0], 0.1f32);
    let mut oja = array![1.0f32, 0.0];
    let y = oja_update(&mut oja, x.view(), eta)?;
    let mut exact = array![1.0f32, 0.0];
    hebb_update(&mut exact, x.view(), eta)?;
    let hebb_length = norm(exact.view());
    exact /= hebb_length;
    writeln!(
        out,
        "one Oja step, w = (1, 0)ᵀ, x = {x}, η = {eta}: y = {y}, new w = {oja:.4}, length {:.4}",
        norm(oja.view())
    )?;
    writeln!(
        out,
        "  the exact repair: Hebb step of length {hebb_length:.4}, divided by it: {exact:.4}"
    )?;

    let data = tiny_data();
    writeln!(
        out,
        "on the primer's four points, with w = (1, 0)ᵀ so that y = x₁:"
    )?;
    writeln!(
        out,
        "  E[y xᵀ] = ({}, {})ᵀ",
        average(data.view(), |p| p[0] * p[0])?,
        average(data.view(), |p| p[0] * p[1])?
    )?;

    let keys = array![[1.0f32, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, -1.0]];
    let values = array![[1.0f32, -1.0], [1.0, 1.0]];
    let memory = LinearAssociator::learn(keys.view(), values.view())?;
    writeln!(
        out,
        "two pairs, keys with overlap {}:",
        keys.row(0).dot(&keys.row(1))
    )?;
    writeln!(out, "  W =\n{}", memory.weights())?;
    writeln!(
        out,
        "  recalled, one row per key:\n{}",
        memory.recall(keys.view())?
    )?;

    writeln!(out, "Hadamard keys for k = 2:\n{}", hadamard(2)?)?;
    println!("wrote {}", out.save()?.display());
    Ok(())
}
