//! Draws the figure of the appendix "How fast is it?" from the measurements
//! recorded in `measurements.rs` beside this file:
//! `cargo run -p appendix-speed --example how-fast`.

mod measurements;

use ch00_toolbox::figure::{figures_dir, save_svg};
use measurements::{REFERENCES, STEPS, draw_optimisation_steps};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("seconds per epoch, and how to measure it again:");
    for s in STEPS {
        let bench = "cargo bench -p ch09-training --bench fast_epoch --";
        println!(
            "{:>6.3} s  {}  ({bench} {}; commit {})",
            s.seconds, s.label, s.command, s.commit
        );
    }
    for r in REFERENCES {
        println!(
            "{:>6.3} s  {} (peak {:.0} MiB, test accuracy {:.3})",
            r.seconds, r.label, r.peak_mib, r.test_accuracy
        );
    }
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "appendix-speed");
    let path = dir.join("how-fast.svg");
    save_svg(&path, (900, 520), |area| {
        draw_optimisation_steps(area, STEPS, REFERENCES)
    })?;
    println!("wrote {}", path.display());
    Ok(())
}
