//! What can go wrong while getting, reading or using the data set.
//!
//! Every variant that comes from a file carries that file's path, and its
//! message starts with it, so a user always knows which file to look at.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use ch00_toolbox::DownloadError;

/// An error from loading or using Fashion-MNIST.
#[derive(Debug)]
pub enum DataError {
    /// Some of the four files are neither in the folder nor downloadable.
    Missing {
        /// The folder the files were looked for in.
        dir: PathBuf,
        /// The names of the files that are missing there.
        files: Vec<String>,
        /// The environment variable that named the folder, if one did.
        variable: Option<String>,
        /// Why they could not be fetched (`None` when no download was tried,
        /// because `FASHION_MNIST_DIR` named the folder).
        cause: Option<Box<DownloadError>>,
    },
    /// Fetching or verifying a file failed (wrong checksum, network error).
    Download(Box<DownloadError>),
    /// Reading the file from disk failed.
    Io {
        /// The file.
        file: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// The gzip stream is truncated or corrupt.
    Gzip {
        /// The file.
        file: PathBuf,
        /// What the decompressor said.
        reason: String,
    },
    /// More data follows the end of the gzip stream.
    AfterGzip {
        /// The file.
        file: PathBuf,
        /// How many bytes follow it.
        extra: usize,
    },
    /// The file does not start like an IDX file (two zero bytes).
    BadMagic {
        /// The file.
        file: PathBuf,
        /// The first (up to) four bytes of the decompressed contents.
        found: Vec<u8>,
    },
    /// The file ends inside the IDX header.
    ShortHeader {
        /// The file.
        file: PathBuf,
        /// How many header bytes were needed (4, then 4 per dimension).
        needed: usize,
        /// How many there were.
        found: usize,
    },
    /// The IDX type code is not 0x08 (unsigned bytes).
    UnsupportedType {
        /// The file.
        file: PathBuf,
        /// The type code found in the third byte.
        code: u8,
    },
    /// The IDX header has the wrong number of dimensions.
    WrongDimensions {
        /// The file.
        file: PathBuf,
        /// How many dimensions this kind of file must have.
        expected: usize,
        /// How many the header declares.
        found: usize,
    },
    /// The images are not of the size the data set uses.
    WrongImageSize {
        /// The file.
        file: PathBuf,
        /// The image size the data set uses, `[rows, columns]`.
        expected: [usize; 2],
        /// The image size the header declares.
        found: [usize; 2],
    },
    /// The header promises more data than the file holds.
    Truncated {
        /// The file.
        file: PathBuf,
        /// The number of data bytes the header promises.
        expected: u64,
        /// The number of data bytes that are there.
        found: u64,
    },
    /// The file holds more bytes than its header accounts for.
    TrailingBytes {
        /// The file.
        file: PathBuf,
        /// The number of data bytes the header promises.
        expected: u64,
        /// How many bytes come after them.
        extra: u64,
    },
    /// The header describes more data than this computer can hold.
    TooLarge {
        /// The file.
        file: PathBuf,
        /// The sizes in the header.
        dims: Vec<u32>,
    },
    /// A label is not one of the ten classes.
    LabelOutOfRange {
        /// The file.
        file: PathBuf,
        /// The position of the label in the file.
        index: usize,
        /// The value found.
        value: u8,
    },
    /// An image file and its label file disagree on the number of samples.
    CountMismatch {
        /// The image file.
        images: PathBuf,
        /// How many images it holds.
        n_images: usize,
        /// The label file.
        labels: PathBuf,
        /// How many labels it holds.
        n_labels: usize,
    },
    /// Arrays handed to a [`Split`](crate::Split) method have the wrong shape.
    ShapeMismatch {
        /// What was being checked.
        what: String,
        /// The shape that was needed.
        expected: Vec<usize>,
        /// The shape that was given.
        found: Vec<usize>,
    },
    /// A label handed to [`Split::new`](crate::Split::new) is not a class.
    InvalidLabel {
        /// Its position.
        index: usize,
        /// Its value.
        value: u8,
    },
    /// A sample index is past the end of the split.
    IndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// The number of samples in the split.
        len: usize,
    },
}

impl DataError {
    /// The file this error is about, if it is about one file.
    pub fn file(&self) -> Option<&Path> {
        use DataError::*;
        match self {
            Io { file, .. }
            | Gzip { file, .. }
            | AfterGzip { file, .. }
            | BadMagic { file, .. }
            | ShortHeader { file, .. }
            | UnsupportedType { file, .. }
            | WrongDimensions { file, .. }
            | WrongImageSize { file, .. }
            | Truncated { file, .. }
            | TrailingBytes { file, .. }
            | TooLarge { file, .. }
            | LabelOutOfRange { file, .. } => Some(file),
            CountMismatch { images, .. } => Some(images),
            Missing { .. }
            | Download(_)
            | ShapeMismatch { .. }
            | InvalidLabel { .. }
            | IndexOutOfRange { .. } => None,
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DataError::*;
        match self {
            Missing {
                dir,
                files,
                variable,
                cause,
            } => {
                write!(
                    f,
                    "Fashion-MNIST is not available: {} missing from {}",
                    files.join(", "),
                    dir.display()
                )?;
                if let Some(cause) = cause {
                    write!(f, " ({cause})")?;
                }
                match variable {
                    Some(v) => write!(
                        f,
                        ". {v} points at that folder: put the files there, or unset {v} \
                         to download them into the cache"
                    ),
                    None => write!(
                        f,
                        ". Download them by hand into that folder, or set FASHION_MNIST_DIR \
                         to a folder that holds them"
                    ),
                }
            }
            Download(e) => write!(f, "{e}"),
            Io { file, source } => write!(f, "{}: {source}", file.display()),
            Gzip { file, reason } => write!(
                f,
                "{}: the gzip stream is truncated or corrupt ({reason})",
                file.display()
            ),
            AfterGzip { file, extra } => write!(
                f,
                "{}: {extra} unexpected bytes after the end of the gzip stream",
                file.display()
            ),
            BadMagic { file, found } => write!(
                f,
                "{}: not an IDX file: it starts with {} instead of two zero bytes, \
                 a type code and a dimension count",
                file.display(),
                hex(found)
            ),
            ShortHeader {
                file,
                needed,
                found,
            } => write!(
                f,
                "{}: the file ends inside the IDX header ({found} of {needed} header bytes)",
                file.display()
            ),
            UnsupportedType { file, code } => write!(
                f,
                "{}: IDX type code 0x{code:02x}, but only 0x08 (unsigned bytes) is supported",
                file.display()
            ),
            WrongDimensions {
                file,
                expected,
                found,
            } => write!(
                f,
                "{}: the IDX header declares {found} dimensions, expected {expected}",
                file.display()
            ),
            WrongImageSize {
                file,
                expected,
                found,
            } => write!(
                f,
                "{}: images are {}×{} pixels, expected {}×{}",
                file.display(),
                found[0],
                found[1],
                expected[0],
                expected[1]
            ),
            Truncated {
                file,
                expected,
                found,
            } => write!(
                f,
                "{}: the header promises {expected} data bytes but the file holds only {found}",
                file.display()
            ),
            TrailingBytes {
                file,
                expected,
                extra,
            } => write!(
                f,
                "{}: {extra} unexpected bytes after the {expected} data bytes the header promises",
                file.display()
            ),
            TooLarge { file, dims } => write!(
                f,
                "{}: the IDX header describes an array of shape {dims:?}, too large to load",
                file.display()
            ),
            LabelOutOfRange { file, index, value } => write!(
                f,
                "{}: label {index} is {value}, but the classes are 0 to 9",
                file.display()
            ),
            CountMismatch {
                images,
                n_images,
                labels,
                n_labels,
            } => write!(
                f,
                "{}: {n_images} images, but {} holds {n_labels} labels",
                images.display(),
                labels.display()
            ),
            ShapeMismatch {
                what,
                expected,
                found,
            } => write!(f, "{what}: expected shape {expected:?}, found {found:?}"),
            InvalidLabel { index, value } => {
                write!(f, "label {index} is {value}, but the classes are 0 to 9")
            }
            IndexOutOfRange { index, len } => {
                write!(f, "sample index {index} is out of range for {len} samples")
            }
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "nothing (the file is empty)".to_string();
    }
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl std::error::Error for DataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DataError::Io { source, .. } => Some(source),
            DataError::Download(e) => Some(e.as_ref()),
            DataError::Missing { cause: Some(e), .. } => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl From<DownloadError> for DataError {
    fn from(e: DownloadError) -> Self {
        DataError::Download(Box::new(e))
    }
}
