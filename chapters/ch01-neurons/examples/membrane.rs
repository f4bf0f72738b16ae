//! The membrane numbers chapter 1 quotes: when the simulated cell fires, and
//! the highest potential within each group of inputs.
//! `cargo run -p ch01-neurons --example membrane` prints them and writes them
//! to `book/outputs/ch01-neurons/membrane.txt`, which the page includes.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch01_neurons::biology::{Membrane, example_inputs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch01-neurons"),
        "membrane",
        "cargo run -p ch01-neurons --example membrane",
        // Sums of f32 exponentials in a fixed order; the last bit of `exp`
        // may differ between maths libraries, two decimals do not.
        Compared::AsPrinted("2 decimals"),
    );
    let trace = Membrane::default().simulate(&example_inputs(), 150.0, 0.5)?;
    writeln!(out, "spikes at {:?} ms", trace.spikes_ms)?;
    for (from, to) in [(0.0, 30.0), (30.0, 75.0), (75.0, 82.0), (115.0, 150.0)] {
        let highest = trace
            .times_ms
            .iter()
            .zip(&trace.potential_mv)
            .filter(|&(&t, _)| t >= from && t < to)
            .map(|(_, &v)| v)
            .fold(f32::MIN, f32::max);
        writeln!(
            out,
            "highest potential in [{from}, {to}) ms: {highest:.2} mV"
        )?;
    }
    let path = out.save()?;
    println!("wrote {}", path.display());
    Ok(())
}
