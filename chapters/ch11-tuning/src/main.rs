//! `cargo run --release -p ch11-tuning -- <command>`: the long runs of
//! chapter 11 on Fashion-MNIST. The data comes from `$FASHION_MNIST_DIR`
//! when set, else from the cache `data/fashion-mnist/`.

use clap::{Parser, Subcommand};

/// Chapter 11: fine-tuning a model on Fashion-MNIST.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Random search over hidden layers, units and learning rate.
    Search(ch11_tuning::search::Args),
    /// The learning-rate finder: one epoch with a growing rate.
    LrFind(ch11_tuning::lr_finder::Args),
    /// Depth, width and batch size, measured.
    Sweep(ch11_tuning::sweeps::Args),
}

fn main() -> std::process::ExitCode {
    let result = match Cli::parse().command {
        Command::Search(args) => ch11_tuning::search::run(&args),
        Command::LrFind(args) => ch11_tuning::lr_finder::run(&args),
        Command::Sweep(args) => ch11_tuning::sweeps::run(&args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
