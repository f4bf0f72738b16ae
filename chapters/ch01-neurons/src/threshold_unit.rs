//! The McCulloch–Pitts threshold unit: binary inputs, a whole-number
//! threshold, and inhibitory inputs that veto firing.

use crate::error::NeuronError;
use crate::truth_table::LogicFunction;

// ANCHOR: step
/// The unit step function \\(H\\): 1 when `z >= 0`, 0 otherwise.
///
/// A threshold unit with threshold θ and summed input s fires exactly when
/// `unit_step(s - θ) == 1.0`. A NaN input gives 0: it does not fire.
pub fn unit_step(z: f32) -> f32 {
    if z >= 0.0 { 1.0 } else { 0.0 }
}
// ANCHOR_END: step

// ANCHOR: synapse
/// How one input line meets the unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Synapse {
    /// An active excitatory input adds one to the unit's sum.
    Excitatory,
    /// An active inhibitory input vetoes firing, whatever the sum.
    Inhibitory,
}

/// A McCulloch–Pitts unit: one synapse per input line and a threshold.
///
/// The unit fires when no inhibitory input is active and at least
/// `threshold` excitatory inputs are active.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThresholdUnit {
    synapses: Vec<Synapse>,
    threshold: usize,
}
// ANCHOR_END: synapse

impl ThresholdUnit {
    /// A unit with these synapses (one per input, in order) and threshold.
    ///
    /// Any combination is allowed: a threshold above the number of
    /// excitatory synapses gives a unit that never fires, and threshold 0
    /// gives one that fires unless it is inhibited.
    pub fn new(synapses: Vec<Synapse>, threshold: usize) -> Self {
        Self {
            synapses,
            threshold,
        }
    }

    /// The synapses, one per input line.
    pub fn synapses(&self) -> &[Synapse] {
        &self.synapses
    }

    /// The number of active excitatory inputs needed to fire.
    pub fn threshold(&self) -> usize {
        self.threshold
    }

    /// How many excitatory synapses the unit has.
    pub fn n_excitatory(&self) -> usize {
        self.synapses
            .iter()
            .filter(|&&s| s == Synapse::Excitatory)
            .count()
    }

    fn check(&self, inputs: &[bool]) -> Result<(), NeuronError> {
        if inputs.len() != self.synapses.len() {
            return Err(NeuronError::InputLength {
                what: "this threshold unit".into(),
                expected: self.synapses.len(),
                found: inputs.len(),
            });
        }
        Ok(())
    }

    // ANCHOR: fire
    /// Whether the unit fires for these binary inputs.
    ///
    /// Errors when the number of inputs differs from the number of synapses.
    pub fn fire(&self, inputs: &[bool]) -> Result<bool, NeuronError> {
        self.check(inputs)?;
        let mut sum = 0;
        for (&active, synapse) in inputs.iter().zip(&self.synapses) {
            match (active, synapse) {
                (false, _) => {}
                // Absolute inhibition: one active inhibitory input is a veto.
                (true, Synapse::Inhibitory) => return Ok(false),
                (true, Synapse::Excitatory) => sum += 1,
            }
        }
        Ok(sum >= self.threshold) // the step H(s − θ) on whole numbers
    }
    // ANCHOR_END: fire
}

impl LogicFunction for ThresholdUnit {
    fn n_inputs(&self) -> usize {
        self.synapses.len()
    }

    fn eval(&self, inputs: &[bool]) -> Result<bool, NeuronError> {
        self.fire(inputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Synapse::{Excitatory as E, Inhibitory as I};

    #[test]
    fn step_jumps_at_zero() {
        assert_eq!(unit_step(-0.001), 0.0);
        assert_eq!(unit_step(0.0), 1.0);
        assert_eq!(unit_step(3.0), 1.0);
        assert_eq!(unit_step(f32::NAN), 0.0);
    }

    #[test]
    fn unit_counts_active_excitatory_inputs() {
        let unit = ThresholdUnit::new(vec![E, E, E], 2);
        assert!(!unit.fire(&[true, false, false]).unwrap());
        assert!(unit.fire(&[true, false, true]).unwrap());
        assert!(unit.fire(&[true, true, true]).unwrap());
    }

    #[test]
    fn one_active_inhibitory_input_vetoes_any_excitation() {
        let unit = ThresholdUnit::new(vec![E, E, I], 1);
        assert!(unit.fire(&[true, true, false]).unwrap());
        assert!(!unit.fire(&[true, true, true]).unwrap());
    }

    #[test]
    fn a_threshold_out_of_reach_never_fires() {
        let unit = ThresholdUnit::new(vec![E, E], 3);
        assert!(!unit.fire(&[true, true]).unwrap());
    }

    #[test]
    fn wrong_number_of_inputs_is_an_error_that_names_both_counts() {
        let unit = ThresholdUnit::new(vec![E, E], 1);
        let err = unit.fire(&[true]).unwrap_err();
        assert_eq!(
            err,
            NeuronError::InputLength {
                what: "this threshold unit".into(),
                expected: 2,
                found: 1
            }
        );
        assert!(err.to_string().contains("2 inputs"));
    }
}
