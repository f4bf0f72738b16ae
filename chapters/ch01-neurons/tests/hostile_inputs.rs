//! Whatever a caller hands the chapter's public functions, the answer is
//! `Ok` or an error, never a panic.

use ch01_neurons::biology::{Membrane, SynapticInput};
use ch01_neurons::gates::{MAX_GATE_INPUTS, and, or};
use ch01_neurons::network::row_detector;
use ch01_neurons::truth_table::MAX_TABLE_INPUTS;
use ch01_neurons::{Network, NeuronError, Synapse, ThresholdUnit, TruthTable, WiredUnit};
use proptest::prelude::*;

fn any_size() -> impl Strategy<Value = usize> {
    prop_oneof![
        6 => 0usize..6,
        1 => Just(64usize),
        1 => Just(usize::MAX / 2),
        1 => Just(usize::MAX),
    ]
}

#[test]
fn rows_and_gates_too_large_to_hold_are_errors() {
    // Before, `row_inputs(usize::MAX / 2, _)` and `and(usize::MAX / 2)` tried
    // to allocate 2⁶³ bytes and aborted the process; a row past the end of
    // its table was silently cut to its low bits.
    assert_eq!(
        TruthTable::row_inputs(usize::MAX / 2, 3),
        Err(NeuronError::TooManyInputs {
            n_inputs: usize::MAX / 2,
            max: MAX_TABLE_INPUTS
        })
    );
    assert!(TruthTable::row_inputs(70, usize::MAX).is_err());
    assert_eq!(
        TruthTable::row_inputs(2, 4),
        Err(NeuronError::RowOutOfRange { row: 4, rows: 4 })
    );
    assert_eq!(TruthTable::row_inputs(2, 2), Ok(vec![true, false]));
    let wide = NeuronError::GateTooWide {
        n_inputs: usize::MAX / 2,
        max: MAX_GATE_INPUTS,
    };
    assert_eq!(and(usize::MAX / 2), Err(wide.clone()));
    assert_eq!(or(usize::MAX / 2), Err(wide));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn units_tables_and_networks_never_panic(
        n_inputs in any_size(),
        row in any::<usize>(),
        outputs in proptest::collection::vec(any::<bool>(), 0..9),
        inputs in proptest::collection::vec(any::<bool>(), 0..6),
        excite in proptest::collection::vec(any::<bool>(), 0..5),
        threshold in any_size(),
        wires in proptest::collection::vec(any_size(), 0..4),
    ) {
        let _ = TruthTable::new(n_inputs, outputs.clone());
        let _ = TruthTable::from_fn(n_inputs, |x| x.iter().any(|&b| b));
        match TruthTable::row_inputs(n_inputs, row) {
            Ok(bits) => prop_assert_eq!(bits.len(), n_inputs),
            Err(_) => prop_assert!(n_inputs > MAX_TABLE_INPUTS || row >= 1 << n_inputs),
        }
        let _ = TruthTable::row_inputs(n_inputs, row % 4);
        let synapses: Vec<Synapse> = excite
            .iter()
            .map(|&e| if e { Synapse::Excitatory } else { Synapse::Inhibitory })
            .collect();
        let unit = ThresholdUnit::new(synapses, threshold);
        let _ = unit.fire(&inputs);
        let _ = TruthTable::of(&unit);
        let _ = row_detector(&inputs).fire(&inputs);
        for n in [inputs.len(), n_inputs, threshold] {
            match (and(n), or(n)) {
                (Ok(a), Ok(o)) => {
                    let _ = a.fire(&inputs);
                    let _ = o.fire(&inputs);
                }
                (a, o) => prop_assert!(n > MAX_GATE_INPUTS && a.is_err() && o.is_err()),
            }
        }
        let layer = vec![WiredUnit { unit: unit.clone(), sources: wires.clone() }];
        if let Ok(net) = Network::new(n_inputs, vec![layer]) {
            let _ = net.evaluate(&inputs);
        }
        if let Ok(t) = TruthTable::new(inputs.len().min(3), outputs) {
            let _ = Network::from_truth_table(&t).evaluate(&inputs);
        }
    }

    #[test]
    fn the_membrane_never_panics(
        times in proptest::collection::vec(prop_oneof![-10.0f32..200.0, Just(f32::NAN), Just(f32::INFINITY)], 0..5),
        size in prop_oneof![-10.0f32..10.0, Just(f32::NAN), Just(f32::NEG_INFINITY)],
        duration in prop_oneof![0.0f32..300.0, Just(f32::NAN), Just(f32::INFINITY), Just(-1.0f32), Just(f32::MAX)],
        dt in prop_oneof![0.0f32..2.0, Just(f32::NAN), Just(0.0f32), Just(-0.5f32), Just(f32::MIN_POSITIVE)],
        tau in prop_oneof![0.0f32..50.0, Just(f32::NAN), Just(0.0f32)],
    ) {
        let inputs: Vec<SynapticInput> = times
            .iter()
            .map(|&time_ms| SynapticInput { time_ms, size_mv: size })
            .collect();
        let membrane = Membrane { time_constant_ms: tau, ..Membrane::default() };
        let _ = membrane.simulate(&inputs, duration, dt);
    }
}
