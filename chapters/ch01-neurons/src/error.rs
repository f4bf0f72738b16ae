//! What can go wrong when building or running threshold units and networks.

use std::fmt;

/// Why a unit, a network, a truth table or a membrane simulation refused its
/// input. Every variant says what was expected and what was found.
#[derive(Debug, Clone, PartialEq)]
pub enum NeuronError {
    /// A unit or network received the wrong number of input signals.
    InputLength {
        /// What was being evaluated.
        what: String,
        /// How many inputs it has.
        expected: usize,
        /// How many signals it was given.
        found: usize,
    },
    /// A unit in a network listens to a signal that does not exist.
    SourceOutOfRange {
        /// The layer of the unit (0 is the first layer after the inputs).
        layer: usize,
        /// The position of the unit in its layer.
        unit: usize,
        /// The index it asked for.
        source: usize,
        /// How many signals the previous layer offers.
        available: usize,
    },
    /// A unit's list of sources and its list of synapses differ in length.
    WiringMismatch {
        /// The layer of the unit.
        layer: usize,
        /// The position of the unit in its layer.
        unit: usize,
        /// How many synapses the unit has.
        synapses: usize,
        /// How many sources it was wired to.
        sources: usize,
    },
    /// A network needs at least one layer of units.
    EmptyNetwork,
    /// A single answer was asked of something with another number of outputs.
    OutputCount {
        /// How many outputs were needed.
        expected: usize,
        /// How many there are.
        found: usize,
    },
    /// A truth table over `n_inputs` inputs needs `2^n_inputs` rows.
    TruthTableLength {
        /// The number of inputs.
        n_inputs: usize,
        /// The number of rows that requires.
        expected: usize,
        /// The number of rows given.
        found: usize,
    },
    /// Truth tables grow as `2^n`; this crate stops at a limit.
    TooManyInputs {
        /// The number of inputs asked for.
        n_inputs: usize,
        /// The largest number allowed.
        max: usize,
    },
    /// A row number past the end of a truth table.
    RowOutOfRange {
        /// The row asked for.
        row: usize,
        /// How many rows the table has.
        rows: usize,
    },
    /// An AND or OR gate with more inputs than this crate builds.
    GateTooWide {
        /// The number of inputs asked for.
        n_inputs: usize,
        /// The largest number allowed.
        max: usize,
    },
    /// A parameter of the membrane simulation is out of its range.
    InvalidParameter(String),
}

impl fmt::Display for NeuronError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InputLength {
                what,
                expected,
                found,
            } => write!(
                f,
                "{what} has {expected} inputs but was given {found} signals"
            ),
            Self::SourceOutOfRange {
                layer,
                unit,
                source,
                available,
            } => write!(
                f,
                "unit {unit} of layer {layer} listens to signal {source}, \
                 but the layer before it offers only {available}"
            ),
            Self::WiringMismatch {
                layer,
                unit,
                synapses,
                sources,
            } => write!(
                f,
                "unit {unit} of layer {layer} has {synapses} synapses but {sources} sources"
            ),
            Self::EmptyNetwork => write!(f, "a network needs at least one layer of units"),
            Self::OutputCount { expected, found } => {
                write!(f, "expected {expected} output(s), the network has {found}")
            }
            Self::TruthTableLength {
                n_inputs,
                expected,
                found,
            } => write!(
                f,
                "a truth table over {n_inputs} inputs has {expected} rows, not {found}"
            ),
            Self::TooManyInputs { n_inputs, max } => write!(
                f,
                "{n_inputs} inputs is too many for a truth table (at most {max})"
            ),
            Self::RowOutOfRange { row, rows } => {
                write!(f, "row {row} is past the end of a table of {rows} rows")
            }
            Self::GateTooWide { n_inputs, max } => {
                write!(f, "a gate of {n_inputs} inputs is too wide (at most {max})")
            }
            Self::InvalidParameter(message) => write!(f, "invalid parameter: {message}"),
        }
    }
}

impl std::error::Error for NeuronError {}
