//! Regenerates the figure of chapter 8:
//! `cargo run -p ch08-sequential --example figures`.

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch08_sequential::figures::draw_momentum;
use ch08_sequential::momentum::descend;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch08-sequential");
    std::fs::create_dir_all(&dir)?;

    // ANCHOR: momentum_runs
    let (learning_rate, steps, threshold) = (0.4, 500, 1e-3);
    let plain = descend(learning_rate, 0.0, steps)?;
    let momentum = descend(learning_rate, 0.9, steps)?;
    // ANCHOR_END: momentum_runs
    for run in [&plain, &momentum] {
        let at = |t: usize| run.losses[t];
        println!(
            "momentum {}: loss {:.4} at the start, {:.2e} after 20 steps, {:.2e} after 100, {:.2e} after {steps}; below {threshold} after {} steps",
            run.momentum,
            at(0),
            at(20),
            at(100),
            at(steps),
            run.steps_to(threshold)
                .map_or("no".to_string(), |t| t.to_string()),
        );
    }
    let path = dir.join("momentum.svg");
    save_svg(&path, (1100, 480), |a| {
        draw_momentum(a, &[plain.clone(), momentum.clone()], threshold, 60)
    })?;
    println!("wrote {}", path.display());
    Ok(())
}
