//! `cargo run --release -p ch09-training [-- OPTIONS]`: trains the book's
//! reference model on Fashion-MNIST (see `--help`).

use std::process::ExitCode;

use ch00_toolbox::figure::figures_dir;
use ch09_training::cli::{Command, Options, USAGE, parse_args};
use ch09_training::fast::engine::{FastPath, set_fast_path};
use ch09_training::run::run;

fn main() -> ExitCode {
    let defaults =
        Options::with_figures_dir(figures_dir(env!("CARGO_MANIFEST_DIR"), "ch09-training"));
    // Arguments that are not valid UTF-8 are reported, not a panic.
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let Ok(args) = args else {
        eprintln!("error: an argument is not valid UTF-8\n\n{USAGE}");
        return ExitCode::from(2);
    };
    match parse_args(args, defaults) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Run(options)) => {
            if options.clear_path {
                set_fast_path(FastPath::Never);
            }
            match run(&options) {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
