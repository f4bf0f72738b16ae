//! The membrane numbers the chapter prints are sums of leaked inputs: each
//! input of size `s` that arrived `t` ms earlier still contributes
//! `s·e^(−t/τ)`. The page adds them up by hand; this test does the same.

use ch01_neurons::biology::{Membrane, example_inputs};

/// The potential right after the input at `at_ms`, from the simulation.
fn simulated(at_ms: f32) -> f32 {
    let trace = Membrane::default()
        .simulate(&example_inputs(), 150.0, 0.5)
        .unwrap();
    let i = trace.times_ms.iter().position(|&t| t == at_ms).unwrap();
    trace.potential_mv[i]
}

/// Rest plus every input up to `at_ms`, each leaked for the time since it
/// arrived (valid while the cell has not fired).
fn by_hand(at_ms: f32) -> f32 {
    let tau = Membrane::default().time_constant_ms;
    -70.0
        + example_inputs()
            .iter()
            .filter(|input| input.time_ms <= at_ms)
            .map(|input| input.size_mv * (-(at_ms - input.time_ms) / tau).exp())
            .sum::<f32>()
}

#[test]
fn the_two_spread_inputs_include_what_is_left_of_the_earlier_ones() {
    // −70 + 6 (at 55 ms) + 0.81 (left of 35 ms) + 0.07 (left of 10 ms).
    assert!(
        (simulated(55.0) - -63.12).abs() < 0.005,
        "{}",
        simulated(55.0)
    );
    assert!((by_hand(55.0) - simulated(55.0)).abs() < 1e-3);
    let left_of_35 = 6.0 * (-2.0f32).exp();
    assert!((left_of_35 - 0.81).abs() < 0.005);
}

#[test]
fn two_close_inputs_carry_half_a_millivolt_of_the_earlier_ones() {
    // −70 + 6 (at 81 ms) + 5.43 (left of 80 ms) + 0.51 (left of 10, 35, 55 ms).
    assert!(
        (simulated(81.0) - -58.06).abs() < 0.005,
        "{}",
        simulated(81.0)
    );
    assert!((by_hand(81.0) - simulated(81.0)).abs() < 1e-3);
    let earlier = by_hand(81.0) - (-70.0 + 6.0 + 6.0 * (-0.1f32).exp());
    assert!((earlier - 0.51).abs() < 0.005, "{earlier}");
}
