//! What can go wrong when a caller hands the perceptron data it cannot use.

use std::fmt;

/// Everything the perceptron refuses to do, each with what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum PerceptronError {
    /// Two arrays whose shapes do not fit together. `what` says which array,
    /// `expected` the shape it should have had, `found` the one it had.
    ShapeMismatch {
        /// Which array had the wrong shape.
        what: String,
        /// The shape it should have had.
        expected: Vec<usize>,
        /// The shape it had.
        found: Vec<usize>,
    },
    /// A target that the unit's step function can never output, such as a
    /// `-1` for a Heaviside unit (which answers 0 or 1).
    InvalidTarget {
        /// The sample (row) holding the target.
        row: usize,
        /// The output (column) holding the target.
        column: usize,
        /// The target that was given.
        value: f32,
        /// The two values the step function can output.
        allowed: [f32; 2],
    },
    /// An input that is NaN or infinite.
    NonFiniteInput {
        /// The sample (row) holding it.
        row: usize,
        /// The feature (column) holding it.
        column: usize,
    },
    /// A batch without a single sample where at least one is needed.
    EmptyBatch,
    /// Any other argument out of its range, described in words.
    InvalidArgument(String),
}

impl fmt::Display for PerceptronError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PerceptronError::ShapeMismatch {
                what,
                expected,
                found,
            } => write!(f, "{what}: expected shape {expected:?}, found {found:?}"),
            PerceptronError::InvalidTarget {
                row,
                column,
                value,
                allowed,
            } => write!(
                f,
                "target {value} at row {row}, column {column} is neither {} nor {}",
                allowed[0], allowed[1]
            ),
            PerceptronError::NonFiniteInput { row, column } => {
                write!(
                    f,
                    "input at row {row}, column {column} is not a finite number"
                )
            }
            PerceptronError::EmptyBatch => write!(f, "the batch has no samples"),
            PerceptronError::InvalidArgument(message) => write!(f, "invalid argument: {message}"),
        }
    }
}

impl std::error::Error for PerceptronError {}
