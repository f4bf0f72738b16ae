//! The command line of `cargo run --release -p ch09-training`.
//!
//! Parsed by hand: five options do not need a library, and every mistake
//! gets a message that says what was expected.

use std::fmt;
use std::path::PathBuf;

/// What the run does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Passes over the training data (`--epochs`, default 30).
    pub epochs: usize,
    /// Seed of the initial weights and of the shuffles (`--seed`, default 42).
    pub seed: u64,
    /// Where to save the trained weights as safetensors (`--save`).
    pub save: Option<PathBuf>,
    /// Where to write the per-epoch metrics as JSON (`--metrics-json`).
    pub metrics_json: Option<PathBuf>,
    /// Where to draw the figures (`--figures`, default the book's folder);
    /// `None` after `--no-figures`.
    pub figures: Option<PathBuf>,
    /// Train layer by layer even in an optimised build (`--clear-path`),
    /// instead of on the fused fast path (see [`crate::fast::engine`]).
    pub clear_path: bool,
}

/// The default seed of the book's run.
pub const DEFAULT_SEED: u64 = 42;
/// The default number of epochs, as in the Keras reference.
pub const DEFAULT_EPOCHS: usize = 30;

impl Options {
    /// The defaults: 30 epochs, seed 42, figures into `figures_dir`, nothing
    /// saved, the fast path where `fit` takes it.
    pub fn with_figures_dir(figures_dir: PathBuf) -> Options {
        Options {
            epochs: DEFAULT_EPOCHS,
            seed: DEFAULT_SEED,
            save: None,
            metrics_json: None,
            figures: Some(figures_dir),
            clear_path: false,
        }
    }
}

/// The outcome of reading the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Train with these options.
    Run(Options),
    /// Print the usage and stop (`--help`).
    Help,
}

/// A command line that cannot be understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for UsageError {}

/// The help text.
pub const USAGE: &str = "\
Trains the 784-300-100-10 classifier on Fashion-MNIST and reports test accuracy.

usage: ch09-training [OPTIONS]

options:
  --epochs N            passes over the 55 000 training images (default 30)
  --seed S              seed of the initial weights and shuffles (default 42)
  --save PATH           save the trained weights as safetensors
  --metrics-json PATH   write per-epoch and test metrics as JSON
  --figures DIR         draw the figures into DIR (default book/figures/ch09-training)
  --no-figures          do not draw figures
  --clear-path          train layer by layer, not on the fused fast path
  -h, --help            print this help

The data is read from $FASHION_MNIST_DIR when it is set, else downloaded into data/.";

// ANCHOR: parse
/// Reads the arguments after the program name. An option that takes a
/// value accepts both `--name value` and `--name=value`; a flag takes none.
pub fn parse_args<I, S>(args: I, defaults: Options) -> Result<Command, UsageError>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut options = defaults;
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| UsageError(format!("{name} needs a value ({what})")))
        };
        match name.as_str() {
            "-h" | "--help" | "--no-figures" | "--clear-path" if inline.is_some() => {
                return Err(UsageError(format!("{name} takes no value")));
            }
            "-h" | "--help" => return Ok(Command::Help),
            "--epochs" => options.epochs = positive(&name, &value("a number of epochs")?)?,
            "--seed" => options.seed = number(&name, &value("a whole number")?)?,
            "--save" => options.save = Some(PathBuf::from(value("a file path")?)),
            "--metrics-json" => options.metrics_json = Some(PathBuf::from(value("a file path")?)),
            "--figures" => options.figures = Some(PathBuf::from(value("a folder")?)),
            "--no-figures" => options.figures = None,
            "--clear-path" => options.clear_path = true,
            other => {
                return Err(UsageError(format!(
                    "unknown argument '{other}' (try --help)"
                )));
            }
        }
    }
    Ok(Command::Run(options))
}
// ANCHOR_END: parse

fn number(name: &str, text: &str) -> Result<u64, UsageError> {
    text.trim()
        .parse()
        .map_err(|_| UsageError(format!("{name} expects a whole number ≥ 0, got '{text}'")))
}

fn positive(name: &str, text: &str) -> Result<usize, UsageError> {
    match text.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(UsageError(format!(
            "{name} expects a whole number ≥ 1, got '{text}'"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Options {
        Options::with_figures_dir(PathBuf::from("figs"))
    }

    fn parse(args: &[&str]) -> Result<Command, UsageError> {
        parse_args(args.iter().copied(), defaults())
    }

    #[test]
    fn no_arguments_gives_the_defaults() {
        assert_eq!(parse(&[]), Ok(Command::Run(defaults())));
    }

    #[test]
    fn every_option_is_read_in_both_spellings() {
        let Ok(Command::Run(o)) = parse(&[
            "--epochs",
            "3",
            "--seed=7",
            "--save",
            "m.safetensors",
            "--metrics-json=m.json",
            "--no-figures",
        ]) else {
            panic!("should parse");
        };
        assert_eq!(o.epochs, 3);
        assert_eq!(o.seed, 7);
        assert_eq!(o.save, Some(PathBuf::from("m.safetensors")));
        assert_eq!(o.metrics_json, Some(PathBuf::from("m.json")));
        assert_eq!(o.figures, None);
        assert!(!o.clear_path);
        assert_eq!(
            parse(&["--clear-path"]).map(|c| matches!(c, Command::Run(o) if o.clear_path)),
            Ok(true)
        );
        assert_eq!(
            parse(&["--figures", "out"])
                .map(|c| matches!(c, Command::Run(o) if o.figures == Some("out".into()))),
            Ok(true)
        );
        assert_eq!(parse(&["-h"]), Ok(Command::Help));
    }

    #[test]
    fn mistakes_are_explained() {
        let err = |args: &[&str]| parse(args).unwrap_err().0;
        assert!(err(&["--epochs", "0"]).contains("≥ 1"));
        assert!(err(&["--epochs", "ten"]).contains("'ten'"));
        assert!(err(&["--epochs"]).contains("needs a value"));
        assert!(err(&["--seed", "-1"]).contains("--seed"));
        assert!(err(&["--colour"]).contains("unknown argument '--colour'"));
        assert!(err(&["extra"]).contains("unknown argument 'extra'"));
        assert!(err(&["--clear-path=yes"]).contains("--clear-path takes no value"));
    }
}
