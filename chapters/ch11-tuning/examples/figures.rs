//! Redraws the chapter's figures into `book/figures/ch11-tuning/` from what
//! the long runs wrote under `target/ch11-tuning/`, without training again:
//!
//! ```text
//! cargo run --release -p ch11-tuning -- lr-find
//! cargo run --release -p ch11-tuning -- search
//! cargo run --release -p ch11-tuning --example figures
//! ```
//!
//! The width sweep's figure is redrawn from its recorded table,
//! `book/outputs/ch11-tuning/sweep-width.txt`, which holds every number it
//! draws. (The depth and batch sweeps' tables do not hold the per-epoch
//! losses and times their figures draw; those figures are redrawn by their
//! sweeps.)
//!
//! A figure whose run has not been made yet is skipped, with a note.

use std::error::Error;
use std::path::Path;
use std::process::ExitCode;

use ch00_toolbox::figure::figures_dir;
use ch11_tuning::cli::target_path;
use ch11_tuning::{lr_finder, search, sweep_figures, sweeps};

/// One figure (or group of figures) and how to redraw it.
type Redraw = fn(&Path) -> Result<(), Box<dyn Error>>;

fn main() -> ExitCode {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch11-tuning");
    let figures: [(&str, &str, Redraw); 3] = [
        ("the learning-rate finder", "lr-find", |dir| {
            lr_finder::draw_from_files(&target_path(""), dir)
        }),
        ("the random search", "search", |dir| {
            search::draw_from_csv(&target_path("search.csv"), &dir.join(search::FIGURE_FILE))
        }),
        ("the width sweep", "sweep width --engine clear", |dir| {
            let table = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../book/outputs/ch11-tuning/sweep-width.txt");
            let text = std::fs::read_to_string(&table)
                .map_err(|e| format!("cannot read {}: {e}", table.display()))?;
            let report = sweeps::width_report_from_table(&text)?;
            sweep_figures::save_sweep_figure(dir, &report)?;
            Ok(())
        }),
    ];
    let mut status = ExitCode::SUCCESS;
    for (what, command, redraw) in figures {
        match redraw(&dir) {
            Ok(()) => println!("{what}: figures written to {}", dir.display()),
            Err(e) => {
                eprintln!(
                    "{what}: skipped ({e}); run `cargo run --release -p ch11-tuning -- {command}` first"
                );
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
