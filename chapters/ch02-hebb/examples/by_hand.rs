//! Chapter 2's small worked examples, each a few numbers you can check by
//! hand: `cargo run -p ch02-hebb --example by_hand`. `tests/by_hand.rs`
//! checks every number the page quotes.

use ch02_hebb::association::hadamard;
use ch02_hebb::learning::norm;
use ch02_hebb::primer::{average, tiny_data};
use ch02_hebb::{LinearAssociator, hebb_update, oja_update};
use ndarray::array;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let x = array![3.0f32, -1.0];
    let mut w = array![1.0f32, 2.0];
    let y = hebb_update(&mut w, x.view(), 0.1)?;
    println!("one Hebb step, w = (1, 2)ᵀ, x = {x}, η = 0.1: y = {y}, new w = {w:.2}");

    let (x, eta) = (array![1.0f32, 1.0], 0.1f32);
    let mut oja = array![1.0f32, 0.0];
    let y = oja_update(&mut oja, x.view(), eta)?;
    let mut exact = array![1.0f32, 0.0];
    hebb_update(&mut exact, x.view(), eta)?;
    let hebb_length = norm(exact.view());
    exact /= hebb_length;
    println!(
        "one Oja step, w = (1, 0)ᵀ, x = {x}, η = {eta}: y = {y}, new w = {oja:.4}, length {:.4}",
        norm(oja.view())
    );
    println!("  the exact repair: Hebb step of length {hebb_length:.4}, divided by it: {exact:.4}");

    let data = tiny_data();
    println!("on the primer's four points, with w = (1, 0)ᵀ so that y = x₁:");
    println!(
        "  E[y xᵀ] = ({}, {})",
        average(data.view(), |p| p[0] * p[0])?,
        average(data.view(), |p| p[0] * p[1])?
    );

    let keys = array![[1.0f32, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, -1.0]];
    let values = array![[1.0f32, -1.0], [1.0, 1.0]];
    let memory = LinearAssociator::learn(keys.view(), values.view())?;
    println!(
        "two pairs, keys with overlap {}:",
        keys.row(0).dot(&keys.row(1))
    );
    println!("  W =\n{}", memory.weights());
    println!(
        "  recalled, one row per key:\n{}",
        memory.recall(keys.view())?
    );

    println!("Hadamard keys for k = 2:\n{}", hadamard(2)?);
    Ok(())
}
