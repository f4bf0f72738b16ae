//! Prints the measurement record of the appendix "How fast is it?" (every
//! timing the book shows, with its command, machine, date and load), writes
//! it to the files the pages include (`book/outputs/appendix-speed/*.txt`),
//! and draws the appendix's figure from it:
//! `cargo run -p appendix-speed --example how-fast`.
//! Nothing is measured here: the record is `measurements.rs` beside this file.

mod measurements;

use std::io::Write;

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch00_toolbox::output::{Compared, Output, outputs_dir};
use measurements::{
    NUMPY_RUNS, REFERENCES, STEPS, TIMINGS, Timing, draw_optimisation_steps, timing,
};

const COMMAND: &str = "cargo run -p appendix-speed --example how-fast";

/// The files a page includes, each with the entries of the record it shows.
const EXCERPTS: &[(&str, &[&str])] = &[
    ("ch04-backward-cost", &["ch04-backward-cost"]),
    (
        "ch07-load",
        &[
            "ch07-load-2026-11-29",
            "ch07-load-zlib-rs",
            "ch07-load-miniz-oxide",
            "ch07-sha256",
        ],
    ),
    (
        "ch09-full-run",
        &[
            "ch09-full-run-fast-2026-11-29d",
            "ch09-full-run-fast-2026-11-29c",
            "ch09-full-run-fast-2026-11-29b",
            "ch09-full-run-clear-2026-11-29b",
            "ch09-full-run-fast-2026-11-29a",
            "ch09-full-run-clear-2026-11-29a",
        ],
    ),
];

fn excerpt(dir: &std::path::Path, name: &str, entries: &[&str]) -> std::io::Result<()> {
    let mut out = Output::new(dir, name, COMMAND, Compared::Exactly);
    for (i, entry) in entries.iter().enumerate() {
        let t: &Timing = timing(entry).ok_or_else(|| {
            std::io::Error::other(format!("{name}: no entry {entry} in the record"))
        })?;
        if i > 0 {
            writeln!(out)?;
        }
        write!(out, "{}", t.report())?;
    }
    out.save()?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = outputs_dir(env!("CARGO_MANIFEST_DIR"), "appendix-speed");
    let mut out = Output::new(&dir, "record", COMMAND, Compared::Exactly);
    writeln!(out, "seconds per epoch, and how to measure it again:")?;
    for s in STEPS {
        let bench = "cargo bench -p ch09-training --bench fast_epoch --";
        writeln!(
            out,
            "{:>6.3} s  {}  ({bench} {}; commit {})",
            s.seconds, s.label, s.command, s.commit
        )?;
    }
    for r in REFERENCES {
        writeln!(
            out,
            "{:>6.3} s  {} (peak {:.0} MiB, test accuracy {:.3})",
            r.seconds, r.label, r.peak_mib, r.test_accuracy
        )?;
    }
    for run in NUMPY_RUNS {
        writeln!(out, "\nagainst NumPy (OpenBLAS, 1 thread), in one run of")?;
        writeln!(out, "  {}", run.command)?;
        writeln!(
            out,
            "  on {}, {} (commit {})",
            run.machine, run.date, run.commit
        )?;
        writeln!(
            out,
            "  load average {} before, {} after",
            run.load.0, run.load.1
        )?;
        for v in run.results {
            writeln!(
                out,
                "{:>8.5} s against {:.5} s: {:>5.2} times faster (target {}: {})  {}",
                v.engine,
                v.numpy,
                v.ratio(),
                v.target,
                if v.meets_target() { "met" } else { "not met" },
                v.model
            )?;
        }
    }
    writeln!(out, "\nevery other timing the book shows:")?;
    for t in TIMINGS {
        write!(out, "\n{}", t.report())?;
    }
    out.save()?;

    for (name, entries) in EXCERPTS {
        excerpt(&dir, name, entries)?;
    }

    // The benchmark's output as the appendix shows it.
    let bench = timing("appendix-benchmark").ok_or("no entry appendix-benchmark")?;
    let mut out = Output::new(&dir, "benchmark", COMMAND, Compared::Exactly);
    write!(out, "{}", bench.printed)?;
    out.save()?;

    // The runs against NumPy as a table of the appendix (Markdown).
    let mut out = Output::new(&dir, "numpy-ratios", COMMAND, Compared::Exactly);
    writeln!(
        out,
        "| run (UTC) | load before | 784-300-100-10 ReLU | 784-100-10 tanh, momentum | 8-30-1 linear, MSE | 8-30-1 through `fit` |"
    )?;
    writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: |")?;
    let columns = NUMPY_RUNS
        .iter()
        .map(|r| r.results.len())
        .max()
        .unwrap_or(0);
    for run in NUMPY_RUNS {
        let load = run.load.0.split(' ').next().unwrap_or("");
        write!(out, "| {} | {load} |", run.date.replace('T', " "))?;
        for v in run.results {
            write!(out, " {:.2} |", v.ratio())?;
        }
        for _ in run.results.len()..columns {
            write!(out, " — |")?;
        }
        writeln!(out)?;
    }
    if let Some(run) = NUMPY_RUNS.iter().max_by_key(|r| r.results.len()) {
        write!(out, "| target | |")?;
        for v in run.results {
            write!(out, " {} |", v.target)?;
        }
        writeln!(out)?;
    }
    out.save()?;

    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "appendix-speed");
    let path = dir.join("how-fast.svg");
    save_svg(&path, (900, 520), |area| {
        draw_optimisation_steps(area, STEPS, REFERENCES)
    })?;
    println!("wrote {}", path.display());
    Ok(())
}
