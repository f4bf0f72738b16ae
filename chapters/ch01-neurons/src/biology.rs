//! A toy membrane that shows how a biological neuron adds up its inputs.
//!
//! Each arriving signal nudges the membrane potential up (excitatory) or down
//! (inhibitory); between arrivals the potential leaks back towards rest. When
//! it reaches the threshold the cell fires an action potential and resets.
//! This is the *leaky integrate-and-fire* picture, the simplest model in
//! which both timing and sign of the inputs matter. The sizes are made
//! large enough to see; a real cortical input moves the potential by well
//! under a millivolt, and many are needed.

use crate::error::NeuronError;

// ANCHOR: membrane
/// The parameters of the toy membrane, in millivolts and milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Membrane {
    /// The potential the cell rests at, with no input (about −70 mV).
    pub resting_mv: f32,
    /// The potential at which an action potential starts (about −55 mV).
    pub threshold_mv: f32,
    /// Where the potential drops to right after a spike (below rest).
    pub reset_mv: f32,
    /// The top of the drawn spike.
    pub peak_mv: f32,
    /// How fast the potential leaks back to rest: after this many
    /// milliseconds a deviation has shrunk to 1/e (37 %) of its size.
    pub time_constant_ms: f32,
}
// ANCHOR_END: membrane

impl Default for Membrane {
    fn default() -> Self {
        Self {
            resting_mv: -70.0,
            threshold_mv: -55.0,
            reset_mv: -75.0,
            peak_mv: 30.0,
            time_constant_ms: 10.0,
        }
    }
}

/// One signal reaching the cell at a synapse: a jump of the membrane
/// potential by `size_mv` (positive: excitatory, negative: inhibitory).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SynapticInput {
    /// When it arrives.
    pub time_ms: f32,
    /// How far it moves the potential.
    pub size_mv: f32,
}

/// The result of a simulation: the potential at each time step and the
/// times of the spikes.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// The time of each sample.
    pub times_ms: Vec<f32>,
    /// The membrane potential at each sample (the spike's peak on a step
    /// where the cell fired).
    pub potential_mv: Vec<f32>,
    /// When the cell fired.
    pub spikes_ms: Vec<f32>,
}

fn invalid(message: String) -> NeuronError {
    NeuronError::InvalidParameter(message)
}

impl Membrane {
    fn validate(&self, duration_ms: f32, dt_ms: f32) -> Result<usize, NeuronError> {
        let values = [
            self.resting_mv,
            self.threshold_mv,
            self.reset_mv,
            self.peak_mv,
            self.time_constant_ms,
            duration_ms,
            dt_ms,
        ];
        if values.iter().any(|v| !v.is_finite()) {
            return Err(invalid(format!(
                "all parameters must be finite: {self:?}, duration {duration_ms} ms, step {dt_ms} ms"
            )));
        }
        if self.threshold_mv <= self.resting_mv || self.reset_mv >= self.threshold_mv {
            return Err(invalid(format!(
                "need reset ({}) < threshold ({}) and rest ({}) < threshold",
                self.reset_mv, self.threshold_mv, self.resting_mv
            )));
        }
        if self.time_constant_ms <= 0.0 || dt_ms <= 0.0 || duration_ms <= 0.0 {
            return Err(invalid(format!(
                "time constant ({}), duration ({duration_ms}) and step ({dt_ms}) must be positive",
                self.time_constant_ms
            )));
        }
        let steps = (duration_ms / dt_ms).round();
        if steps > 1e6 {
            return Err(invalid(format!(
                "{steps} time steps is too many (at most 10⁶)"
            )));
        }
        Ok(steps as usize)
    }

    // ANCHOR: simulate
    /// Runs the membrane for `duration_ms` in steps of `dt_ms`.
    pub fn simulate(
        &self,
        inputs: &[SynapticInput],
        duration_ms: f32,
        dt_ms: f32,
    ) -> Result<Trace, NeuronError> {
        let steps = self.validate(duration_ms, dt_ms)?;
        let mut kicks = vec![0.0f32; steps + 1];
        for input in inputs {
            if !(0.0..=duration_ms).contains(&input.time_ms) || !input.size_mv.is_finite() {
                return Err(invalid(format!(
                    "input {input:?} is outside 0..={duration_ms} ms"
                )));
            }
            kicks[(input.time_ms / dt_ms).round() as usize] += input.size_mv;
        }
        let leak = (-dt_ms / self.time_constant_ms).exp(); // decay over one step
        let mut v = self.resting_mv;
        let mut trace = Trace {
            times_ms: vec![],
            potential_mv: vec![],
            spikes_ms: vec![],
        };
        for (k, kick) in kicks.iter().enumerate() {
            let t = k as f32 * dt_ms;
            v = self.resting_mv + (v - self.resting_mv) * leak + kick; // leak, then add
            trace.times_ms.push(t);
            if v >= self.threshold_mv {
                trace.spikes_ms.push(t); // fire, then start again from below rest
                trace.potential_mv.push(self.peak_mv);
                v = self.reset_mv;
            } else {
                trace.potential_mv.push(v);
            }
        }
        Ok(trace)
    }
    // ANCHOR_END: simulate
}

// ANCHOR: example_inputs
/// The inputs of the chapter's membrane figure: a lone input, two inputs
/// far apart in time, three close together, and three close together with
/// an inhibitory input among them.
pub fn example_inputs() -> Vec<SynapticInput> {
    let at = |time_ms, size_mv| SynapticInput { time_ms, size_mv };
    vec![
        at(10.0, 6.0),
        at(35.0, 6.0),
        at(55.0, 6.0),
        at(80.0, 6.0),
        at(81.0, 6.0),
        at(82.0, 6.0),
        at(120.0, 6.0),
        at(121.0, -8.0),
        at(121.5, 6.0),
        at(122.0, 6.0),
    ]
}
// ANCHOR_END: example_inputs

#[cfg(test)]
mod tests {
    use super::*;

    fn run(inputs: &[SynapticInput]) -> Trace {
        Membrane::default().simulate(inputs, 150.0, 0.5).unwrap()
    }

    #[test]
    fn without_input_the_membrane_stays_at_rest() {
        let trace = run(&[]);
        assert!(trace.potential_mv.iter().all(|&v| v == -70.0));
        assert!(trace.spikes_ms.is_empty());
    }

    #[test]
    fn one_input_is_not_enough_and_leaks_away() {
        let trace = run(&[SynapticInput {
            time_ms: 10.0,
            size_mv: 6.0,
        }]);
        assert!(trace.spikes_ms.is_empty());
        let peak = trace.potential_mv.iter().cloned().fold(f32::MIN, f32::max);
        assert!((peak - -64.0).abs() < 1e-4, "peak {peak}");
        assert!(trace.potential_mv.last().unwrap() - -70.0 < 0.01);
    }

    #[test]
    fn only_the_close_excitatory_volley_fires_the_cell() {
        let trace = run(&example_inputs());
        assert_eq!(trace.spikes_ms, vec![82.0]);
        assert_eq!(trace.times_ms.len(), 301);
    }

    #[test]
    fn the_same_inputs_spread_out_do_not_fire() {
        let spread: Vec<_> = [20.0, 50.0, 80.0]
            .iter()
            .map(|&time_ms| SynapticInput {
                time_ms,
                size_mv: 6.0,
            })
            .collect();
        assert!(run(&spread).spikes_ms.is_empty());
    }

    #[test]
    fn bad_parameters_are_errors() {
        let m = Membrane {
            threshold_mv: -80.0,
            ..Membrane::default()
        };
        assert!(m.simulate(&[], 10.0, 0.5).is_err());
        let m = Membrane::default();
        assert!(m.simulate(&[], 10.0, 0.0).is_err());
        assert!(m.simulate(&[], f32::NAN, 0.5).is_err());
        let late = SynapticInput {
            time_ms: 11.0,
            size_mv: 1.0,
        };
        assert!(m.simulate(&[late], 10.0, 0.5).is_err());
    }
}
