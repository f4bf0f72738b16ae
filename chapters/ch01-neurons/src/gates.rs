//! Logic gates, each a single McCulloch–Pitts unit.
//!
//! A gate is nothing but a choice of synapses and a threshold: the unit does
//! the rest. The tests check every row of every truth table.

use crate::error::NeuronError;
use crate::threshold_unit::{Synapse, ThresholdUnit};

/// The most inputs [`and`] and [`or`] accept: about a million, far more than
/// any truth table in this crate has rows (2¹⁶), and small enough to hold.
pub const MAX_GATE_INPUTS: usize = 1 << 20;

/// `n` itself, or an error if a gate that wide would be unreasonable to build.
fn gate_width(n: usize) -> Result<usize, NeuronError> {
    if n > MAX_GATE_INPUTS {
        return Err(NeuronError::GateTooWide {
            n_inputs: n,
            max: MAX_GATE_INPUTS,
        });
    }
    Ok(n)
}

// ANCHOR: gates
/// Copies its one input: one excitatory synapse, θ = 1.
pub fn identity() -> ThresholdUnit {
    ThresholdUnit::new(vec![Synapse::Excitatory], 1)
}

/// Fires when all `n` inputs are active: θ = n. An error if `n` is more
/// than [`MAX_GATE_INPUTS`].
pub fn and(n: usize) -> Result<ThresholdUnit, NeuronError> {
    let n = gate_width(n)?;
    Ok(ThresholdUnit::new(vec![Synapse::Excitatory; n], n))
}

/// Fires when at least one of `n` inputs is active: θ = 1. An error if `n`
/// is more than [`MAX_GATE_INPUTS`].
pub fn or(n: usize) -> Result<ThresholdUnit, NeuronError> {
    let n = gate_width(n)?;
    Ok(ThresholdUnit::new(vec![Synapse::Excitatory; n], 1))
}

/// Fires unless its one input is active: one inhibitory synapse, θ = 0.
pub fn not() -> ThresholdUnit {
    ThresholdUnit::new(vec![Synapse::Inhibitory], 0)
}

/// `x₁ AND NOT x₂`: the first input excites, the second vetoes, θ = 1.
pub fn and_not() -> ThresholdUnit {
    ThresholdUnit::new(vec![Synapse::Excitatory, Synapse::Inhibitory], 1)
}
// ANCHOR_END: gates

#[cfg(test)]
mod tests {
    use super::*;
    use crate::truth_table::{LogicFunction, TruthTable};

    /// Compares a gate against the Boolean function it should compute, on
    /// every row of its truth table.
    fn check(gate: &ThresholdUnit, expected: impl Fn(&[bool]) -> bool) {
        let n = gate.n_inputs();
        for row in 0..1usize << n {
            let x = TruthTable::row_inputs(n, row).unwrap();
            assert_eq!(gate.fire(&x).unwrap(), expected(&x), "inputs {x:?}");
        }
    }

    #[test]
    fn identity_copies_its_input() {
        check(&identity(), |x| x[0]);
    }

    #[test]
    fn not_inverts_its_input() {
        check(&not(), |x| !x[0]);
    }

    #[test]
    fn and_and_or_of_two_inputs_match_their_truth_tables() {
        check(&and(2).unwrap(), |x| x[0] && x[1]);
        check(&or(2).unwrap(), |x| x[0] || x[1]);
    }

    #[test]
    fn and_and_or_of_many_inputs_match_their_truth_tables() {
        for n in 0..=5 {
            check(&and(n).unwrap(), |x| x.iter().all(|&b| b));
            check(&or(n).unwrap(), |x| x.iter().any(|&b| b));
        }
    }

    #[test]
    fn a_gate_wider_than_the_limit_is_an_error_not_an_allocation() {
        assert_eq!(and(MAX_GATE_INPUTS).unwrap().n_inputs(), MAX_GATE_INPUTS);
        let too_wide = NeuronError::GateTooWide {
            n_inputs: MAX_GATE_INPUTS + 1,
            max: MAX_GATE_INPUTS,
        };
        assert_eq!(and(MAX_GATE_INPUTS + 1), Err(too_wide.clone()));
        assert_eq!(or(MAX_GATE_INPUTS + 1), Err(too_wide));
        assert!(matches!(
            or(usize::MAX / 2),
            Err(NeuronError::GateTooWide { .. })
        ));
    }

    #[test]
    fn and_not_fires_only_on_one_zero() {
        check(&and_not(), |x| x[0] && !x[1]);
    }
}
