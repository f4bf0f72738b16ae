//! `cargo run --release -p ch09-training [-- OPTIONS]`: trains the book's
//! reference model on Fashion-MNIST (see `--help`).
//!
//! Exit codes: 0 when the run is complete; 2 for a command line or an
//! output path that cannot work (found before any training); 1 when loading,
//! training or saving fails; 141 (as for a process ended by `SIGPIPE`) when
//! standard output is closed early, as in `ch09-training | head -1`: the run
//! stops quietly at the first line it cannot print.

#![forbid(unsafe_code)]

use std::error::Error;
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ch09_training::cli::Options;
use ch09_training::run::{RunError, run};
use clap::Parser;

/// Where the figures go without `--figures`: `target/ch09-training/figures`
/// in the book's folder, away from the committed figures under `book/`.
fn default_figures_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize()
        .unwrap_or(root)
        .join("target/ch09-training/figures")
}

/// `error: <message>`, then each cause the message does not already show.
fn report(error: &dyn Error) {
    let mut text = format!("error: {error}");
    let mut cause = error.source();
    while let Some(e) = cause {
        let line = e.to_string();
        if !text.contains(&line) {
            text.push_str(&format!("\n  caused by: {line}"));
        }
        cause = e.source();
    }
    // Nowhere left to say it if standard error is closed too.
    let _ = writeln!(io::stderr().lock(), "{text}");
}

fn main() -> ExitCode {
    // clap prints --help, --version and usage errors itself, and exits.
    let options = Options::parse();
    let figures = options.figures_dir(&default_figures_dir());
    // The report goes through a locked standard output, with `writeln!`: a
    // write error comes back to `run` as a value instead of a panic.
    match run(&options, figures.as_deref(), &mut io::stdout().lock()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(RunError::Print(e)) if e.kind() == ErrorKind::BrokenPipe => ExitCode::from(141),
        Err(e) => {
            report(&e);
            match e {
                RunError::Output(_) => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
}
