//! The command line of `cargo run --release -p ch09-training`, read by
//! `clap`: `--help` and `--version` as every tool has them, and a mistake
//! (an unknown option, a missing value, a flag where a value belongs) is
//! refused with the usage and exit code 2 before anything runs.

use std::path::{Path, PathBuf};

use clap::Parser;

use crate::fit::Engine;
use clap::builder::{OsStringValueParser, RangedU64ValueParser, TypedValueParser};

/// The default seed of the book's run.
pub const DEFAULT_SEED: u64 = 42;
/// The default number of epochs, as in the Keras reference.
pub const DEFAULT_EPOCHS: usize = 30;

/// What follows the options in `--help`.
const AFTER_HELP: &str = "\
The data is read from $FASHION_MNIST_DIR when it is set, else downloaded into
data/fashion-mnist/. Every output path is checked before training starts.
The book's own figures are redrawn with --figures book/figures/ch09-training.";

/// What the run does: the parsed command line.
#[derive(Clone, Debug, PartialEq, Eq, Parser)]
#[command(
    name = "ch09-training",
    version,
    about = "Trains the 784-300-100-10 classifier on Fashion-MNIST and reports test accuracy.",
    long_about = None,
    after_help = AFTER_HELP
)]
pub struct Options {
    /// Passes over the 55 000 training images
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_EPOCHS,
        allow_negative_numbers = true,
        value_parser = RangedU64ValueParser::<usize>::new().range(1..),
    )]
    pub epochs: usize,

    /// Seed of the initial weights (the shuffles use S + 1)
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED, allow_negative_numbers = true)]
    pub seed: u64,

    /// Save the trained weights as safetensors
    #[arg(long, value_name = "FILE", value_parser = any_path())]
    pub save: Option<PathBuf>,

    /// Write the per-epoch and test metrics as JSON
    #[arg(long, value_name = "FILE", value_parser = any_path())]
    pub metrics_json: Option<PathBuf>,

    /// Draw the figures into DIR [default: target/ch09-training/figures]
    #[arg(long, value_name = "DIR", value_parser = any_path(), conflicts_with = "no_figures")]
    pub figures: Option<PathBuf>,

    /// Do not draw the figures
    #[arg(long)]
    pub no_figures: bool,

    /// The engine that trains the batches: clear (layer by layer, the
    /// code the book explains), fast (the fused engine of the appendix), or
    /// auto (fast where it can run, in an optimised build)
    #[arg(long, value_enum, default_value_t = Engine::Auto)]
    pub engine: Engine,
}

/// A path as given, even an empty one: the run refuses an empty path with a
/// message that names its option (see [`crate::run::check_outputs`]).
fn any_path() -> impl TypedValueParser<Value = PathBuf> {
    OsStringValueParser::new().map(PathBuf::from)
}

impl Options {
    /// The options of a run with no arguments.
    pub fn defaults() -> Options {
        Options::parse_from(["ch09-training"])
    }

    /// The folder the figures go to: the one `--figures` names, else
    /// `default`; `None` with `--no-figures`.
    pub fn figures_dir(&self, default: &Path) -> Option<PathBuf> {
        if self.no_figures {
            None
        } else {
            Some(
                self.figures
                    .clone()
                    .unwrap_or_else(|| default.to_path_buf()),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    fn parse(args: &[&str]) -> Result<Options, clap::Error> {
        Options::try_parse_from(std::iter::once("ch09-training").chain(args.iter().copied()))
    }

    fn refused(args: &[&str]) -> (ErrorKind, String) {
        let e = parse(args).expect_err("should be refused");
        (e.kind(), e.to_string())
    }

    #[test]
    fn the_command_is_well_formed() {
        Options::command().debug_assert();
    }

    #[test]
    fn no_arguments_gives_the_defaults() {
        let o = parse(&[]).unwrap();
        assert_eq!(o.epochs, 30);
        assert_eq!(o.seed, 42);
        assert_eq!(
            (&o.save, &o.metrics_json, &o.figures),
            (&None, &None, &None)
        );
        assert!(!o.no_figures);
        assert_eq!(o.engine, Engine::Auto);
        assert_eq!(o, Options::defaults());
        assert_eq!(
            o.figures_dir(Path::new("t/figs")),
            Some(PathBuf::from("t/figs"))
        );
    }

    #[test]
    fn every_option_is_read_in_both_spellings() {
        let o = parse(&[
            "--epochs",
            "3",
            "--seed=7",
            "--save",
            "m.safetensors",
            "--metrics-json=m.json",
            "--no-figures",
            "--engine",
            "clear",
        ])
        .unwrap();
        assert_eq!(o.epochs, 3);
        assert_eq!(o.seed, 7);
        assert_eq!(o.save, Some(PathBuf::from("m.safetensors")));
        assert_eq!(o.metrics_json, Some(PathBuf::from("m.json")));
        assert!(o.no_figures);
        assert_eq!(o.engine, Engine::Clear);
        assert_eq!(parse(&["--engine=fast"]).unwrap().engine, Engine::Fast);
        assert_eq!(o.figures_dir(Path::new("t/figs")), None);
        let o = parse(&["--figures", "out"]).unwrap();
        assert_eq!(o.figures_dir(Path::new("t/figs")), Some("out".into()));
    }

    #[test]
    fn a_flag_is_never_taken_as_a_value() {
        for option in [
            "--save",
            "--metrics-json",
            "--figures",
            "--epochs",
            "--seed",
        ] {
            let (kind, text) = refused(&[option, "--no-figures"]);
            assert_eq!(kind, ErrorKind::InvalidValue, "{option}: {text}");
            assert!(text.contains("a value is required"), "{text}");
            assert!(text.contains(option), "{text}");
        }
        // With `=` the value is unambiguous, whatever it looks like.
        let o = parse(&["--save=--no-figures"]).unwrap();
        assert_eq!(o.save, Some(PathBuf::from("--no-figures")));
        assert!(!o.no_figures);
    }

    #[test]
    fn an_empty_path_is_left_for_the_run_to_refuse_by_name() {
        let o = parse(&["--save", "", "--metrics-json="]).unwrap();
        assert_eq!(o.save, Some(PathBuf::new()));
        assert_eq!(o.metrics_json, Some(PathBuf::new()));
    }

    #[test]
    fn mistakes_are_explained() {
        let (kind, text) = refused(&["--epochs", "0"]);
        assert_eq!(kind, ErrorKind::ValueValidation);
        assert!(
            text.contains("invalid value '0' for '--epochs <N>'"),
            "{text}"
        );
        assert!(refused(&["--epochs", "ten"]).1.contains("'ten'"));
        assert_eq!(refused(&["--epochs"]).0, ErrorKind::InvalidValue);
        assert_eq!(refused(&["--colour"]).0, ErrorKind::UnknownArgument);
        assert_eq!(refused(&["extra"]).0, ErrorKind::UnknownArgument);
        assert_eq!(refused(&["--no-figures=yes"]).0, ErrorKind::TooManyValues);
        let (kind, text) = refused(&["--engine", "quick"]);
        assert_eq!(kind, ErrorKind::InvalidValue);
        assert!(text.contains("clear") && text.contains("fast"), "{text}");
        assert_eq!(
            refused(&["--figures", "f", "--no-figures"]).0,
            ErrorKind::ArgumentConflict
        );
        assert_eq!(refused(&["--help"]).0, ErrorKind::DisplayHelp);
        assert_eq!(refused(&["-V"]).0, ErrorKind::DisplayVersion);
    }
}
