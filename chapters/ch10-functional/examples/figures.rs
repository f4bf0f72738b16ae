//! Regenerates the figures of chapter 10:
//! `cargo run --release -p ch10-functional --example figures`.
//!
//! Draws the graph of Wide & Deep, then trains the four models of the
//! chapter on `$HOUSING_DIR` if set, else on the cached (or freshly
//! downloaded) `data/housing/housing.csv`, and draws their learning curves
//! and the predictions of the best one.

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch05_regression::{HousingData, housing};
use ch10_functional::figures::{draw_graph, draw_learning_curves, draw_predicted_vs_actual, pairs};
use ch10_functional::wide_deep::{best, compare, config, two_inputs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch10-functional");
    let spec = two_inputs(true);
    save_svg(dir.join("wide-deep-graph.svg"), (900, 720), |a| {
        draw_graph(a, &spec)
    })?;
    println!("wrote wide-deep-graph.svg");

    let districts = housing::load()?;
    let data = HousingData::prepare(&districts, 42)?;
    let outcomes = compare(&data, &config(None))?;
    save_svg(dir.join("learning-curves.svg"), (900, 480), |a| {
        draw_learning_curves(a, &outcomes)
    })?;
    println!("wrote learning-curves.svg");
    let best = best(&outcomes).ok_or("no model was trained")?;
    let points = pairs(best, data.test.y.view());
    save_svg(dir.join("predicted-vs-actual.svg"), (640, 640), |a| {
        draw_predicted_vs_actual(a, &points, best.test_mse)
    })?;
    println!("wrote predicted-vs-actual.svg ({})", best.variant.label());
    Ok(())
}
