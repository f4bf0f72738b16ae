//! What can go wrong when a learning rule meets its data.

use std::fmt;

use ch00_toolbox::arrays::ShapeError;

/// Why a Hebbian computation refused its input.
#[derive(Debug, Clone, PartialEq)]
pub enum HebbError {
    /// Two arrays whose shapes do not fit together (the shapes are named).
    Shape(ShapeError),
    /// A computation that needs at least one sample was given none.
    EmptyData,
    /// A number outside its allowed range, with the reason.
    InvalidArgument(String),
    /// An array that would hold more than [`MAX_ELEMENTS`] numbers.
    TooLarge {
        /// What would have been built.
        what: &'static str,
        /// Its shape.
        shape: Vec<usize>,
    },
}

/// The most numbers any array this crate builds may hold: 2²⁸, a gibibyte
/// of `f32`, far beyond the chapter's experiments and small enough to hold.
pub const MAX_ELEMENTS: usize = 1 << 28;

impl fmt::Display for HebbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shape(e) => e.fmt(f),
            Self::EmptyData => write!(f, "no samples: at least one row of data is needed"),
            Self::InvalidArgument(message) => write!(f, "invalid argument: {message}"),
            Self::TooLarge { what, shape } => write!(
                f,
                "{what} of shape {shape:?} would hold more than {MAX_ELEMENTS} numbers"
            ),
        }
    }
}

impl std::error::Error for HebbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Shape(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ShapeError> for HebbError {
    fn from(e: ShapeError) -> Self {
        Self::Shape(e)
    }
}

/// The error for two shapes that do not fit together.
pub(crate) fn mismatch(what: &'static str, left: &[usize], right: &[usize]) -> HebbError {
    HebbError::Shape(ShapeError {
        what,
        left: left.to_vec(),
        right: right.to_vec(),
    })
}

/// An error unless `left` and `right` have the same shape.
pub(crate) fn same_shape(
    what: &'static str,
    left: &[usize],
    right: &[usize],
) -> Result<(), HebbError> {
    if left != right {
        return Err(mismatch(what, left, right));
    }
    Ok(())
}

/// An error unless the learning rate is a positive finite number: chapter
/// 0's check ([`ch00_toolbox::check_learning_rate`]), as a [`HebbError`].
pub(crate) fn check_rate(eta: f32) -> Result<(), HebbError> {
    ch00_toolbox::check_learning_rate(eta).map_err(HebbError::InvalidArgument)
}

/// An error unless an array of this `shape` holds at most [`MAX_ELEMENTS`]
/// numbers (every axis counted, even beside an axis of length 0).
pub(crate) fn check_size(what: &'static str, shape: &[usize]) -> Result<(), HebbError> {
    let fits = shape
        .iter()
        .try_fold(1usize, |n, &len| n.checked_mul(len.max(1)))
        .is_some_and(|n| n <= MAX_ELEMENTS);
    if !fits {
        return Err(HebbError::TooLarge {
            what,
            shape: shape.to_vec(),
        });
    }
    Ok(())
}
