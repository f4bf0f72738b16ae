//! Draws the figure of the appendix "How fast is it?" from the measurements
//! recorded in `ch09_training::fast::measurements`:
//! `cargo run -p ch09-training --example perf-figure`.

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch09_training::fast::measurements::{REFERENCES, STEPS, draw_optimisation_steps};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch09-training");
    let path = dir.join("how-fast.svg");
    save_svg(&path, (900, 520), |area| {
        draw_optimisation_steps(area, STEPS, REFERENCES)
    })?;
    println!("wrote {}", path.display());
    Ok(())
}
