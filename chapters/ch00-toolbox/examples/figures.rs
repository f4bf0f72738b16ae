//! Regenerates the figures of chapter 0:
//! `cargo run -p ch00-toolbox --example figures`.

use ch00_toolbox::figure::{draw_first_plot, figures_dir, noisy_sine, save_svg};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch00-toolbox");
    let samples = noisy_sine(40, 2024)?;
    let path = dir.join("first-plot.svg");
    save_svg(&path, (720, 420), |area| draw_first_plot(area, &samples))?;
    println!("wrote {}", path.display());
    Ok(())
}
