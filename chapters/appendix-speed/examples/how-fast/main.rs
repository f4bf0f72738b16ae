//! Draws the figure of the appendix "How fast is it?" from the measurements
//! recorded in `measurements.rs` beside this file:
//! `cargo run -p appendix-speed --example how-fast`.

mod measurements;

use ch00_toolbox::figure::{figures_dir, save_svg};
use measurements::{NUMPY_RUNS, REFERENCES, STEPS, draw_optimisation_steps};

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
    for run in NUMPY_RUNS {
        println!("\nagainst NumPy (OpenBLAS, 1 thread), in one run of");
        println!("  {}", run.command);
        println!("  on {}, {} (commit {})", run.machine, run.date, run.commit);
        println!("  load average {} before, {} after", run.load.0, run.load.1);
        for v in run.results {
            println!(
                "{:>8.5} s against {:.5} s: {:>5.2} times faster (target {}: {})  {}",
                v.engine,
                v.numpy,
                v.ratio(),
                v.target,
                if v.meets_target() { "met" } else { "not met" },
                v.model
            );
        }
    }
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "appendix-speed");
    let path = dir.join("how-fast.svg");
    save_svg(&path, (900, 520), |area| {
        draw_optimisation_steps(area, STEPS, REFERENCES)
    })?;
    println!("wrote {}", path.display());
    Ok(())
}
