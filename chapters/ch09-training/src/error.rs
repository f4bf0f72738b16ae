//! What can go wrong while training, saving or running the chapter's job.

use std::fmt;
use std::io;
use std::path::PathBuf;

use ch00_toolbox::FigureError;
use ch04_backprop::NetError;
use ch07_fashion_mnist::DataError;

/// An error from training, evaluating, saving or loading a model.
#[derive(Debug)]
pub enum TrainError {
    /// The model refused its input: wrong shapes, labels out of range, a
    /// model that is not compiled, …
    Net(NetError),
    /// The data set could not be loaded or read.
    Data(DataError),
    /// Reading or writing a file failed.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A weights file is not valid safetensors or does not fit the model.
    Weights {
        /// The file (empty when working on bytes in memory).
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A figure could not be drawn.
    Figure(FigureError),
    /// The metrics could not be written as JSON.
    Json(String),
    /// A training option makes no sense (zero epochs, a batch size of 0, …).
    InvalidOption(String),
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::Net(e) => write!(f, "{e}"),
            TrainError::Data(e) => write!(f, "{e}"),
            TrainError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            TrainError::Weights { path, reason } if path.as_os_str().is_empty() => {
                write!(f, "weights: {reason}")
            }
            TrainError::Weights { path, reason } => write!(f, "{}: {reason}", path.display()),
            TrainError::Figure(e) => write!(f, "{e}"),
            TrainError::Json(e) => write!(f, "could not write the metrics as JSON: {e}"),
            TrainError::InvalidOption(e) => write!(f, "invalid option: {e}"),
        }
    }
}

impl std::error::Error for TrainError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TrainError::Net(e) => Some(e),
            TrainError::Data(e) => Some(e),
            TrainError::Io { source, .. } => Some(source),
            TrainError::Figure(e) => Some(e),
            _ => None,
        }
    }
}

impl From<NetError> for TrainError {
    fn from(e: NetError) -> Self {
        TrainError::Net(e)
    }
}

impl From<DataError> for TrainError {
    fn from(e: DataError) -> Self {
        TrainError::Data(e)
    }
}

impl From<FigureError> for TrainError {
    fn from(e: FigureError) -> Self {
        TrainError::Figure(e)
    }
}
