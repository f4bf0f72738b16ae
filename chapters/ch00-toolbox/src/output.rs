//! Program output that the book shows.
//!
//! A page never carries a hand-typed copy of what a program prints. An example
//! prints its report as usual and, through an [`Output`], writes the very same
//! text to `book/outputs/<chapter>/<name>.txt`; the page includes that file.
//! The file's first line is a comment naming the command that regenerates it
//! and how a fresh copy is compared with the committed one, for example
//!
//! ```text
//! # cargo run --release -p ch07-fashion-mnist --example statistics (compared as printed: 1 to 4 decimals)
//! ```
//!
//! `tests/regen-outputs.sh` reruns every such command, and CI fails when a
//! committed file differs from the regenerated one.
//!
//! ```
//! use std::io::Write;
//! use ch00_toolbox::output::{Compared, Output};
//!
//! let dir = std::env::temp_dir().join("n2n-output-doc");
//! let mut out = Output::new(&dir, "counts", "cargo run --example counts", Compared::Exactly);
//! writeln!(out, "3 classes").unwrap();
//! let path = out.save().unwrap();
//! let text = std::fs::read_to_string(path).unwrap();
//! assert_eq!(text, "# cargo run --example counts (compared exactly)\n3 classes\n");
//! ```

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// `book/outputs/<chapter>` of the workspace that holds the crate at
/// `manifest_dir` (pass `env!("CARGO_MANIFEST_DIR")`).
pub fn outputs_dir(manifest_dir: &str, chapter: &str) -> PathBuf {
    Path::new(manifest_dir)
        .join("../../book/outputs")
        .join(chapter)
}

/// How a regenerated copy of an output file is compared with the committed one.
/// The comparison itself is always byte for byte; this says what that means
/// for the numbers in it, so a reader knows which digits are promised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compared {
    /// Counts, logic, and floating-point values computed in a fixed order:
    /// every character is reproducible on any machine.
    Exactly,
    /// Floating-point results whose last bits may depend on the CPU (sums
    /// inside matrix products): compared as printed, to this many decimals.
    AsPrinted(&'static str),
}

impl fmt::Display for Compared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Compared::Exactly => write!(f, "compared exactly"),
            Compared::AsPrinted(decimals) => write!(f, "compared as printed: {decimals}"),
        }
    }
}

/// A report that goes to standard output as it is written, and to a file of
/// the book when [`Output::save`] is called.
#[derive(Debug)]
pub struct Output {
    path: PathBuf,
    header: String,
    text: Vec<u8>,
}

impl Output {
    /// A report to be saved as `dir/<name>.txt`, under a header naming
    /// `command` and how the file is `compared`.
    pub fn new(dir: impl AsRef<Path>, name: &str, command: &str, compared: Compared) -> Output {
        Output {
            path: dir.as_ref().join(format!("{name}.txt")),
            header: format!("# {command} ({compared})\n"),
            text: Vec::new(),
        }
    }

    /// The file [`Output::save`] writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The text written so far, without the header.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.text).into_owned()
    }

    /// Writes the header and the report to the file (creating its folder),
    /// ending with exactly one newline, and returns the file's path.
    ///
    /// # Errors
    /// When the folder cannot be created or the file cannot be written.
    pub fn save(self) -> io::Result<PathBuf> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut body = self.header.into_bytes();
        body.extend_from_slice(&self.text);
        while body.last() == Some(&b'\n') {
            body.pop();
        }
        body.push(b'\n');
        std::fs::write(&self.path, body)?;
        Ok(self.path)
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // A closed standard output (a pipe into `head`) must not stop the
        // report from reaching its file.
        let _ = io::stdout().write_all(buf);
        self.text.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = io::stdout().flush();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_the_header_then_the_text_with_one_final_newline() {
        let dir = std::env::temp_dir().join(format!("n2n-output-{}", std::process::id()));
        let mut out = Output::new(
            &dir,
            "report",
            "cargo run -p x --example y",
            Compared::AsPrinted("4 decimals"),
        );
        writeln!(out, "loss {:.4}", 0.123456).unwrap();
        writeln!(out).unwrap();
        assert_eq!(out.text(), "loss 0.1235\n\n");
        let path = out.save().unwrap();
        assert_eq!(path, dir.join("report.txt"));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# cargo run -p x --example y (compared as printed: 4 decimals)\nloss 0.1235\n"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn an_unwritable_place_is_an_error_not_a_panic() {
        let file = std::env::temp_dir().join(format!("n2n-output-file-{}", std::process::id()));
        std::fs::write(&file, "not a folder").unwrap();
        let out = Output::new(file.join("sub"), "x", "c", Compared::Exactly);
        assert!(out.save().is_err());
        let _ = std::fs::remove_file(file);
    }

    #[test]
    fn outputs_live_under_the_book() {
        let dir = outputs_dir("/w/chapters/ch07-fashion-mnist", "ch07-fashion-mnist");
        assert_eq!(
            dir,
            Path::new("/w/chapters/ch07-fashion-mnist/../../book/outputs/ch07-fashion-mnist")
        );
    }
}
