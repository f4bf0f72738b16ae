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
    /// A network without layers: it has nothing to compute.
    NoLayers,
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

/// The most numbers that one array of the book's networks may hold (a
/// weight matrix, a batch, a sample): 2³⁰, 4 GiB of `f32`, some four
/// thousand times the 266 610 parameters of chapter 8's reference model.
pub const MAX_ARRAY_LEN: usize = 1 << 30;

// ANCHOR: checked_len
/// The number of entries of an array of shape `shape`, or an error naming
/// `what` when it exceeds [`MAX_ARRAY_LEN`] or does not even fit in a
/// `usize`. ndarray panics ("Shape too large") on such shapes, and the
/// memory could not be had anyway; checking first turns a caller's
/// `Dense::new(usize::MAX, 10, …)` into an error. Axes of length 0 count as
/// 1 in the check, as ndarray counts them, so `[usize::MAX, 0]` is refused
/// too.
pub fn checked_len(what: &str, shape: &[usize]) -> Result<usize, NetError> {
    let nonzero = shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d.max(1)));
    match nonzero {
        Some(n) if n <= MAX_ARRAY_LEN => Ok(shape.iter().product()),
        _ => Err(NetError::InvalidArgument(format!(
            "{what} of shape {} would hold more than {MAX_ARRAY_LEN} numbers",
            shape_text(shape, false)
        ))),
    }
}
// ANCHOR_END: checked_len

// ANCHOR: check_finite_rows
/// Refuses a NaN or an infinity in `v`, naming `what`, the row and the
/// column of the first one. Every data set built from arrays calls it: a NaN
/// that enters training turns every weight it touches into NaN, and an
/// activation like ReLU can hide it from the loss.
pub fn check_finite_rows(what: &str, v: &ndarray::ArrayView2<f32>) -> Result<(), NetError> {
    match v.indexed_iter().find(|(_, x)| !x.is_finite()) {
        None => Ok(()),
        Some(((row, col), x)) => Err(NetError::InvalidArgument(format!(
            "{what} row {row}, column {col} is {x}: every value must be a finite number"
        ))),
    }
}
// ANCHOR_END: check_finite_rows

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
            NetError::NoLayers => write!(f, "the network has no layers: it needs at least one"),
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
    fn checked_len_refuses_shapes_too_large_to_allocate() {
        assert_eq!(checked_len("w", &[784, 300]), Ok(235_200));
        assert_eq!(checked_len("w", &[0, 5]), Ok(0));
        assert_eq!(checked_len("w", &[]), Ok(1));
        assert!(checked_len("w", &[usize::MAX, 2]).is_err());
        assert!(checked_len("w", &[usize::MAX, 0]).is_err());
        assert!(checked_len("w", &[1 << 20, 1 << 11]).is_err());
        let err = checked_len("weights", &[usize::MAX / 2, 3]).unwrap_err();
        assert!(err.to_string().contains("weights of shape"), "{err}");
    }

    #[test]
    fn shape_errors_name_both_shapes() {
        let e = NetError::shape("input batch", &[0, 2], &[4, 3]);
        assert_eq!(
            e.to_string(),
            "input batch: expected shape [_, 2], found [4, 3]"
        );
    }
}
