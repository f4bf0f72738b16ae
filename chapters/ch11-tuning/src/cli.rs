//! What the three commands of `cargo run -p ch11-tuning` share: where they
//! write by default, and the options that say where their figures go.

use std::path::{Path, PathBuf};

/// `target/ch11-tuning/<name>` in the book's folder: where the runs write
/// what they make unless told otherwise, away from the committed files.
pub fn target_path(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize()
        .unwrap_or(root)
        .join("target/ch11-tuning")
        .join(name)
}

/// `--figures DIR` and `--no-figures`, flattened into each command's
/// options.
#[derive(clap::Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct FigureArgs {
    /// Draw the figures into DIR [default: target/ch11-tuning/figures]
    #[arg(long, value_name = "DIR", conflicts_with = "no_figures")]
    pub figures: Option<PathBuf>,

    /// Do not draw the figures
    #[arg(long)]
    pub no_figures: bool,
}

impl FigureArgs {
    /// The folder to draw into, or `None` with `--no-figures`.
    pub fn dir(&self) -> Option<PathBuf> {
        (!self.no_figures).then(|| {
            self.figures
                .clone()
                .unwrap_or_else(|| target_path("figures"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_go_under_target_unless_told() {
        let default = FigureArgs::default().dir().unwrap();
        assert!(
            default.ends_with("target/ch11-tuning/figures"),
            "{default:?}"
        );
        let told = FigureArgs {
            figures: Some("book/figures/ch11-tuning".into()),
            no_figures: false,
        };
        assert_eq!(told.dir(), Some(PathBuf::from("book/figures/ch11-tuning")));
        let none = FigureArgs {
            figures: None,
            no_figures: true,
        };
        assert_eq!(none.dir(), None);
    }
}
