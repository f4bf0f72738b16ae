//! What can be wrong with a graph, found when the model is built.

use std::fmt;

use ch04_backprop::NetError;
use ch09_training::TrainError;

// ANCHOR: graph_error
/// A graph that cannot be a model, with the names that show where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// Two inputs or layers share a name (or an output is listed twice).
    DuplicateName(String),
    /// A layer, or the list of outputs, names a tensor nothing defines.
    UnknownName {
        /// The layer that refers to it (`"outputs"` for the output list).
        layer: String,
        /// The name it refers to.
        name: String,
    },
    /// Layers that feed each other in a loop: no order computes them.
    Cycle(Vec<String>),
    /// A layer whose inputs do not fit it.
    Shape {
        /// The layer.
        layer: String,
        /// What does not fit, with the shapes.
        reason: String,
    },
    /// An input that no output depends on.
    UnusedInput(String),
    /// A layer that no output depends on: it would never be trained.
    UnusedLayer(String),
    /// An output that cannot be computed from the inputs.
    UnreachableOutput {
        /// The output.
        output: String,
        /// Why.
        reason: String,
    },
    /// Anything else that makes the description unusable (no inputs, no
    /// outputs, an unknown activation, …).
    Invalid(String),
}
// ANCHOR_END: graph_error

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::DuplicateName(n) => write!(f, "the name '{n}' is used twice"),
            GraphError::UnknownName { layer, name } => {
                write!(
                    f,
                    "'{layer}' refers to '{name}', which no input or layer defines"
                )
            }
            GraphError::Cycle(names) => write!(
                f,
                "the layers {} feed each other in a cycle: no order computes them",
                names
                    .iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            GraphError::Shape { layer, reason } => write!(f, "layer '{layer}': {reason}"),
            GraphError::UnusedInput(n) => write!(f, "the input '{n}' is used by no output"),
            GraphError::UnusedLayer(n) => {
                write!(
                    f,
                    "the layer '{n}' feeds no output: it would never be trained"
                )
            }
            GraphError::UnreachableOutput { output, reason } => {
                write!(
                    f,
                    "the output '{output}' cannot be reached from the inputs: {reason}"
                )
            }
            GraphError::Invalid(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for GraphError {}

impl From<GraphError> for NetError {
    fn from(e: GraphError) -> Self {
        NetError::InvalidArgument(e.to_string())
    }
}

impl From<GraphError> for TrainError {
    fn from(e: GraphError) -> Self {
        TrainError::Net(e.into())
    }
}
