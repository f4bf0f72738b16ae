//! What can go wrong when a network is handed the wrong data.

use std::fmt;

/// Everything the chapter's public functions can refuse to do, and why.
///
/// Shape errors name the shapes, so that a message reads like
/// "input batch of the layer: expected [_, 2], found [4, 3]".
#[derive(Debug, Clone, PartialEq)]
pub enum NetError {
    /// Two arrays that must fit together do not. `expected` and `found` are
    /// shapes; a `0` in `expected` stands for "any size" (printed as `_`).
    ShapeMismatch {
        /// What was being checked, in words.
        what: String,
        /// The shape that would have fitted (`0` = any size).
        expected: Vec<usize>,
        /// The shape that was given.
        found: Vec<usize>,
    },
    /// A batch with no rows: there is nothing to average over.
    EmptyBatch,
    /// `backward` was called on a layer that has not run `forward` yet.
    NoForwardPass,
    /// An argument outside what makes sense (a zero batch size, a layer with
    /// no units, a non-finite learning rate, …).
    InvalidArgument(String),
}

impl NetError {
    /// A [`NetError::ShapeMismatch`] from borrowed parts.
    pub fn shape(what: impl Into<String>, expected: &[usize], found: &[usize]) -> Self {
        NetError::ShapeMismatch {
            what: what.into(),
            expected: expected.to_vec(),
            found: found.to_vec(),
        }
    }
}

fn shape_text(shape: &[usize], zero_is_any: bool) -> String {
    let parts: Vec<String> = shape
        .iter()
        .map(|&d| {
            if zero_is_any && d == 0 {
                "_".to_string()
            } else {
                d.to_string()
            }
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetError::ShapeMismatch {
                what,
                expected,
                found,
            } => write!(
                f,
                "{what}: expected shape {}, found {}",
                shape_text(expected, true),
                shape_text(found, false)
            ),
            NetError::EmptyBatch => write!(f, "the batch is empty: it has no rows"),
            NetError::NoForwardPass => {
                write!(f, "backward was called before any forward pass")
            }
            NetError::InvalidArgument(msg) => write!(f, "invalid argument: {msg}"),
        }
    }
}

impl std::error::Error for NetError {}

impl From<ch00_toolbox::arrays::ShapeError> for NetError {
    fn from(e: ch00_toolbox::arrays::ShapeError) -> Self {
        // `affine` compares a batch (left) with a weight matrix (right): the
        // batch should have as many columns as the weights have rows.
        NetError::ShapeMismatch {
            what: e.what.to_string(),
            expected: vec![0, e.right.first().copied().unwrap_or(0)],
            found: e.left,
        }
    }
}

impl From<ch03_perceptron::PerceptronError> for NetError {
    fn from(e: ch03_perceptron::PerceptronError) -> Self {
        use ch03_perceptron::PerceptronError as P;
        match e {
            P::ShapeMismatch {
                what,
                expected,
                found,
            } => NetError::ShapeMismatch {
                what,
                expected,
                found,
            },
            P::EmptyBatch => NetError::EmptyBatch,
            other => NetError::InvalidArgument(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_errors_name_both_shapes() {
        let e = NetError::shape("input batch", &[0, 2], &[4, 3]);
        assert_eq!(
            e.to_string(),
            "input batch: expected shape [_, 2], found [4, 3]"
        );
    }
}
