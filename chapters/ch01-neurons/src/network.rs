//! Networks of threshold units, and the construction that turns any truth
//! table into a two-layer network (disjunctive normal form).

use crate::error::NeuronError;
use crate::gates;
use crate::threshold_unit::{Synapse, ThresholdUnit};
use crate::truth_table::{LogicFunction, TruthTable};

// ANCHOR: wired_unit
/// A unit inside a network together with the signals it listens to:
/// `sources[i]` is the index, in the previous layer (or the network's inputs
/// for the first layer), of the signal that reaches synapse `i`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WiredUnit {
    /// The unit.
    pub unit: ThresholdUnit,
    /// Where each of its synapses takes its signal from.
    pub sources: Vec<usize>,
}

/// Layers of threshold units; each layer reads the outputs of the one before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    n_inputs: usize,
    layers: Vec<Vec<WiredUnit>>,
}
// ANCHOR_END: wired_unit

impl Network {
    /// A network over `n_inputs` inputs. Checks that every unit has one
    /// source per synapse and that every source exists.
    pub fn new(n_inputs: usize, layers: Vec<Vec<WiredUnit>>) -> Result<Self, NeuronError> {
        if layers.is_empty() {
            return Err(NeuronError::EmptyNetwork);
        }
        let mut available = n_inputs;
        for (l, layer) in layers.iter().enumerate() {
            for (u, wired) in layer.iter().enumerate() {
                let synapses = wired.unit.synapses().len();
                if wired.sources.len() != synapses {
                    return Err(NeuronError::WiringMismatch {
                        layer: l,
                        unit: u,
                        synapses,
                        sources: wired.sources.len(),
                    });
                }
                if let Some(&source) = wired.sources.iter().find(|&&s| s >= available) {
                    return Err(NeuronError::SourceOutOfRange {
                        layer: l,
                        unit: u,
                        source,
                        available,
                    });
                }
            }
            available = layer.len();
        }
        Ok(Self { n_inputs, layers })
    }

    /// The layers, first to last.
    pub fn layers(&self) -> &[Vec<WiredUnit>] {
        &self.layers
    }

    /// The number of output signals (units in the last layer).
    pub fn n_outputs(&self) -> usize {
        self.layers.last().map_or(0, Vec::len)
    }

    // ANCHOR: evaluate
    /// The outputs of the last layer for one row of inputs.
    pub fn evaluate(&self, inputs: &[bool]) -> Result<Vec<bool>, NeuronError> {
        if inputs.len() != self.n_inputs {
            return Err(NeuronError::InputLength {
                what: "this network".into(),
                expected: self.n_inputs,
                found: inputs.len(),
            });
        }
        let mut signals = inputs.to_vec();
        for layer in &self.layers {
            signals = layer
                .iter()
                .map(|wired| {
                    let seen: Vec<bool> = wired.sources.iter().map(|&s| signals[s]).collect();
                    wired.unit.fire(&seen)
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(signals)
    }
    // ANCHOR_END: evaluate

    // ANCHOR: xor
    /// XOR by hand: `h₁ = x₁ AND NOT x₂`, `h₂ = x₂ AND NOT x₁`, `y = h₁ OR h₂`.
    pub fn xor() -> Self {
        let hidden = vec![
            WiredUnit {
                unit: gates::and_not(),
                sources: vec![0, 1],
            },
            WiredUnit {
                unit: gates::and_not(),
                sources: vec![1, 0],
            },
        ];
        // h₁ OR h₂: two excitatory synapses, θ = 1.
        let output = vec![WiredUnit {
            unit: ThresholdUnit::new(vec![Synapse::Excitatory; 2], 1),
            sources: vec![0, 1],
        }];
        Self {
            n_inputs: 2,
            layers: vec![hidden, output],
        }
    }
    // ANCHOR_END: xor

    // ANCHOR: dnf
    /// A two-layer network that computes `table`: one hidden unit per row
    /// whose output is 1 (it fires on that row and no other), and an OR of
    /// them as the output. This is the disjunctive normal form.
    pub fn from_truth_table(table: &TruthTable) -> Self {
        let n = table.n_inputs();
        let hidden: Vec<WiredUnit> = table
            .rows()
            .filter(|&(_, output)| output)
            .map(|(row, _)| WiredUnit {
                unit: row_detector(&row),
                sources: (0..n).collect(),
            })
            .collect();
        // The OR of the detectors (θ = 1). A table has at most 2¹⁶ rows, so
        // this unit is never too wide to hold.
        let output = WiredUnit {
            unit: ThresholdUnit::new(vec![Synapse::Excitatory; hidden.len()], 1),
            sources: (0..hidden.len()).collect(),
        };
        Self {
            n_inputs: n,
            layers: vec![hidden, vec![output]],
        }
    }
    // ANCHOR_END: dnf
}

// ANCHOR: row_detector
/// A unit that fires on exactly one row of inputs: the inputs that are 1 in
/// the row excite it and must all be active (θ = their number); the inputs
/// that are 0 in the row inhibit it, so any of them being active vetoes it.
pub fn row_detector(row: &[bool]) -> ThresholdUnit {
    let synapses = row
        .iter()
        .map(|&on| {
            if on {
                Synapse::Excitatory
            } else {
                Synapse::Inhibitory
            }
        })
        .collect();
    let threshold = row.iter().filter(|&&on| on).count();
    ThresholdUnit::new(synapses, threshold)
}
// ANCHOR_END: row_detector

impl LogicFunction for Network {
    fn n_inputs(&self) -> usize {
        self.n_inputs
    }

    fn eval(&self, inputs: &[bool]) -> Result<bool, NeuronError> {
        match self.evaluate(inputs)?.as_slice() {
            [y] => Ok(*y),
            other => Err(NeuronError::OutputCount {
                expected: 1,
                found: other.len(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_built_xor_matches_its_truth_table() {
        let table = TruthTable::of(&Network::xor()).unwrap();
        assert_eq!(table.outputs(), &[false, true, true, false]);
    }

    #[test]
    fn the_dnf_of_xor_has_the_shape_and_table_of_the_hand_built_network() {
        let xor = TruthTable::from_fn(2, |x| x[0] != x[1]).unwrap();
        let dnf = Network::from_truth_table(&xor);
        let sizes = |n: &Network| n.layers().iter().map(Vec::len).collect::<Vec<_>>();
        assert_eq!(sizes(&dnf), vec![2, 1]);
        assert_eq!(sizes(&dnf), sizes(&Network::xor()));
        assert_eq!(TruthTable::of(&dnf).unwrap(), xor);
    }

    #[test]
    fn a_row_detector_fires_on_its_row_only() {
        for n in 0..=4 {
            for target in 0..1 << n {
                let unit = row_detector(&TruthTable::row_inputs(n, target).unwrap());
                for row in 0..1 << n {
                    let inputs = TruthTable::row_inputs(n, row).unwrap();
                    let fired = unit.fire(&inputs).unwrap();
                    assert_eq!(fired, row == target, "n={n} target={target} row={row}");
                }
            }
        }
    }

    #[test]
    fn bad_wiring_is_refused_with_the_unit_named() {
        let unit = WiredUnit {
            unit: gates::and(2).unwrap(),
            sources: vec![0, 2],
        };
        assert_eq!(
            Network::new(2, vec![vec![unit]]),
            Err(NeuronError::SourceOutOfRange {
                layer: 0,
                unit: 0,
                source: 2,
                available: 2
            })
        );
        let short = WiredUnit {
            unit: gates::and(2).unwrap(),
            sources: vec![0],
        };
        assert!(matches!(
            Network::new(2, vec![vec![short]]),
            Err(NeuronError::WiringMismatch {
                synapses: 2,
                sources: 1,
                ..
            })
        ));
        assert_eq!(Network::new(2, vec![]), Err(NeuronError::EmptyNetwork));
    }

    #[test]
    fn a_network_with_two_outputs_is_not_a_single_function() {
        let both = vec![
            WiredUnit {
                unit: gates::identity(),
                sources: vec![0],
            },
            WiredUnit {
                unit: gates::not(),
                sources: vec![0],
            },
        ];
        let net = Network::new(1, vec![both]).unwrap();
        assert_eq!(net.evaluate(&[true]).unwrap(), vec![true, false]);
        assert_eq!(
            net.eval(&[true]),
            Err(NeuronError::OutputCount {
                expected: 1,
                found: 2
            })
        );
        assert!(matches!(
            net.evaluate(&[]),
            Err(NeuronError::InputLength { .. })
        ));
    }
}
