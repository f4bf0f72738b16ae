//! TensorBoard's event files, written from Rust, and the callback that
//! writes them while `fit` trains.
//!
//! An event file is a sequence of records ([`record`]: a length, the
//! data, and a checksum of each); each record is one protocol-buffer
//! message [`Event`] ([`proto`]): a time, a step, and either the file's
//! version or a [`Summary`] of named numbers and histograms. TensorBoard
//! reads every file whose name holds `tfevents` under the folder it is
//! given; each sub-folder is a *run*, drawn in its own colour.
//!
//! - [`EventWriter`]: one event file, appended to as training goes;
//! - [`histogram()`]: a tensor's values as TensorBoard's histogram;
//! - [`TensorBoard`]: chapter 9's [`Callback`](ch09_training::Callback)
//!   that writes losses, metrics, learning rate and weight histograms
//!   after every epoch, in the `train/` and `validation/` runs Keras uses.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use ch09_training::TrainError;

mod callback;
mod histogram;
pub mod proto;
pub mod record;
mod writer;

pub use callback::TensorBoard;
pub use histogram::{BUCKETS, histogram};
pub use proto::{Event, HistogramProto, Kind, Summary, Value, What};
pub use writer::{EventWriter, FILE_VERSION, histogram_value, scalar};

/// What can go wrong while writing event files.
#[derive(Debug)]
pub enum TensorBoardError {
    /// A folder or file could not be created or written.
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// An argument makes no sense (a histogram of no buckets, …).
    Invalid(String),
}

impl TensorBoardError {
    fn io(path: &Path, source: io::Error) -> TensorBoardError {
        TensorBoardError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for TensorBoardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TensorBoardError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            TensorBoardError::Invalid(why) => write!(f, "TensorBoard: {why}"),
        }
    }
}

impl std::error::Error for TensorBoardError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TensorBoardError::Io { source, .. } => Some(source),
            TensorBoardError::Invalid(_) => None,
        }
    }
}

/// `fit` reports a callback's failure as a [`TrainError`]: a file that
/// could not be written keeps its path.
impl From<TensorBoardError> for TrainError {
    fn from(e: TensorBoardError) -> TrainError {
        match e {
            TensorBoardError::Io { path, source } => TrainError::Io { path, source },
            TensorBoardError::Invalid(why) => TrainError::InvalidOption(why),
        }
    }
}

/// Every event of the event file at `path`, checked and decoded: what
/// TensorBoard will read from it.
pub fn read_events(path: impl AsRef<Path>) -> Result<Vec<Event>, TensorBoardError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| TensorBoardError::io(path, e))?;
    let invalid = |why: String| TensorBoardError::Invalid(format!("{}: {why}", path.display()));
    record::read_records(&bytes)
        .map_err(|e| invalid(e.to_string()))?
        .into_iter()
        .map(|data| <Event as prost::Message>::decode(data).map_err(|e| invalid(e.to_string())))
        .collect()
}
