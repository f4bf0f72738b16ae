//! Redraws the chapter's figures into `book/figures/ch11-tuning/` from what
//! the long runs wrote under `target/ch11-tuning/`, without training again:
//!
//! ```text
//! cargo run --release -p ch11-tuning -- lr-find
//! cargo run --release -p ch11-tuning -- search
//! cargo run --release -p ch11-tuning --example figures
//! ```
//!
//! A figure whose run has not been made yet is skipped, with a note.

use std::error::Error;
use std::process::ExitCode;

use ch00_toolbox::figure::figures_dir;
use ch11_tuning::lr_finder::target_path;
use ch11_tuning::{lr_finder, search};

/// One figure (or group of figures) and how to redraw it.
type Redraw = fn(&std::path::Path) -> Result<(), Box<dyn Error>>;

fn main() -> ExitCode {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch11-tuning");
    let figures: [(&str, &str, Redraw); 2] = [
        ("the learning-rate finder", "lr-find", |dir| {
            lr_finder::draw_from_files(&target_path(""), dir)
        }),
        ("the random search", "search", |dir| {
            search::draw_from_csv(&target_path("search.csv"), &dir.join(search::FIGURE_FILE))
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
