//! The measurements behind the appendix "How fast is it?", and its figure.
//!
//! Each step of the optimisation was timed with the benchmark
//! (`cargo bench -p ch09-training --bench fast_epoch`, which times this
//! crate's trainer and chapter 9's `fit`) on the book's 2-core
//! machine: the median seconds per epoch over 7 epochs after a warm-up
//! epoch, on the 55 000 training images. The machine was shared, so every
//! configuration was run three times, interleaved with the others, and the
//! least disturbed median (the lowest) is recorded here, with the commit the
//! code was at, so that the appendix's figure is drawn from data and not
//! from memory. `cargo run -p appendix-speed --example how-fast` draws it;
//! `cargo test -p appendix-speed --test measurements` checks it.

use ch00_toolbox::figure::colour;
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::prelude::*;
use ch00_toolbox::plotters::style::text_anchor::{HPos, Pos, VPos};
use ch00_toolbox::{FigureError, FigureResult};

/// One measured step of the optimisation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// A short label for the figure.
    pub label: &'static str,
    /// The benchmark's arguments that reproduce it.
    pub command: &'static str,
    /// Median seconds per epoch (55 000 images, batch 32).
    pub seconds: f64,
    /// The commit the code was at (its first seven hex digits).
    pub commit: &'static str,
    /// Whether the step times the code of the step before it again, at
    /// another time, rather than a change to it.
    pub retimed: bool,
}

// ANCHOR: steps
/// The steps, in the order they were taken. Commit `3aa22e8` is the code
/// before the last kernel change; `92e9e59` has every change up to the
/// spinning threads. The steps after it were timed later, when the same
/// virtual machine ran slower (its measured peak was 224 to 233 GFLOP/s
/// instead of 335 to 355): the spinning threads again (with `--dense`,
/// which turns the skipping of zeros off), then the skipping, in
/// interleaved runs at commit `456a11f`, then the prefetch. The last three
/// are the least disturbed of five interleaved rounds (entry
/// `appendix-pairs-and-cut`): the code before them again, then the pairs
/// (`--middle` keeps the old cut), then the cut.
pub const STEPS: &[Step] = &[
    Step {
        label: "clear engine: fit, layer by layer (1 thread)",
        command: "--engine clear",
        seconds: 1.78,
        commit: "92e9e59",
        retimed: false,
    },
    Step {
        label: "one fused step, AVX2 kernels (1 thread)",
        command: "--threads 1 --isa avx2",
        seconds: 0.920,
        commit: "92e9e59",
        retimed: false,
    },
    Step {
        label: "AVX-512 kernels (1 thread)",
        command: "--threads 1",
        seconds: 0.477,
        commit: "3aa22e8",
        retimed: false,
    },
    Step {
        label: "16 dot products summed at once, no division (1 thread)",
        command: "--threads 1",
        seconds: 0.431,
        commit: "92e9e59",
        retimed: false,
    },
    Step {
        label: "2 threads that sleep while they wait",
        command: "--sleep",
        seconds: 0.313,
        commit: "92e9e59",
        retimed: false,
    },
    Step {
        label: "2 threads that spin while they wait",
        command: "",
        seconds: 0.241,
        commit: "92e9e59",
        retimed: false,
    },
    Step {
        label: "all of the above, timed again when the machine was slower",
        command: "--dense",
        seconds: 0.332,
        commit: "456a11f",
        retimed: true,
    },
    Step {
        label: "skipping the inputs that are 0 (same day)",
        command: "",
        seconds: 0.257,
        commit: "456a11f",
        retimed: false,
    },
    Step {
        label: "asking for the next batch's images early",
        command: "",
        seconds: 0.250,
        commit: "54b8f6a",
        retimed: false,
    },
    Step {
        label: "all of the above, timed again (same hour as the next two)",
        command: "",
        seconds: 0.253,
        commit: "0281cb9",
        retimed: true,
    },
    Step {
        label: "the update taking neighbouring pixels in pairs",
        command: "--middle",
        seconds: 0.249,
        commit: "7f82eec",
        retimed: false,
    },
    Step {
        label: "the first layer cut where each thread has half the non-zero pixels",
        command: "",
        seconds: 0.240,
        commit: "7f82eec",
        retimed: false,
    },
];
// ANCHOR_END: steps

/// A figure measured elsewhere, to compare with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reference {
    /// The framework and how it ran.
    pub label: &'static str,
    /// Median seconds per epoch of the same model, data and settings.
    pub seconds: f64,
    /// Peak memory of the 30-epoch run, MiB.
    pub peak_mib: f64,
    /// Test accuracy after 30 epochs.
    pub test_accuracy: f64,
}

/// The same model, data, batch size and optimiser in Python frameworks, on
/// a 2-core x86-64 machine with AVX-512 of the same kind.
pub const REFERENCES: &[Reference] = &[
    Reference {
        label: "TensorFlow/Keras 2.21",
        seconds: 3.74,
        peak_mib: 1056.0,
        test_accuracy: 0.879,
    },
    Reference {
        label: "PyTorch 2.15 (2 threads)",
        seconds: 1.81,
        peak_mib: 941.0,
        test_accuracy: 0.883,
    },
    Reference {
        label: "Keras 3.15 on JAX",
        seconds: 1.46,
        peak_mib: 634.0,
        test_accuracy: 0.886,
    },
    Reference {
        label: "numpy by hand, OpenBLAS (1 thread)",
        seconds: 1.29,
        peak_mib: 578.0,
        test_accuracy: 0.879,
    },
];

/// One model timed by the benchmark on both sides, in one run: the fast
/// engine and the NumPy reference trainer
/// (`chapters/appendix-speed/python/numpy_reference.py`, OpenBLAS on one
/// thread), same sizes, batch 32, same number of samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Versus {
    /// The model, as the benchmark names it.
    pub model: &'static str,
    /// The fast engine's median seconds per epoch.
    pub engine: f64,
    /// NumPy's median seconds per epoch.
    pub numpy: f64,
    /// How many times faster than NumPy the engine is meant to be.
    pub target: f64,
}

impl Versus {
    /// How many times faster than NumPy the engine was.
    pub fn ratio(&self) -> f64 {
        self.numpy / self.engine
    }

    /// Whether the ratio meets the target.
    pub fn meets_target(&self) -> bool {
        self.ratio() >= self.target
    }
}

/// A run of the benchmark's comparison with NumPy: what ran, where, when,
/// and how busy the machine was (the load average over 1, 5 and 15 minutes
/// before and after; on 2 cores, anything above 1 means another program
/// shared them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumpyRun {
    /// The command, as typed.
    pub command: &'static str,
    /// The processor and its cores.
    pub machine: &'static str,
    /// When it ran (UTC).
    pub date: &'static str,
    /// The commit the code was at.
    pub commit: &'static str,
    /// The load average printed before and after.
    pub load: (&'static str, &'static str),
    /// The models, as printed.
    pub results: &'static [Versus],
}

// ANCHOR: numpy_runs
/// The comparisons with NumPy, each copied from the output of one run
/// (`FASHION_MNIST_DIR` set, `PYTHON` naming an interpreter with NumPy 2.4
/// and its OpenBLAS). Seven runs, three in a row, three more a few
/// minutes later and one after that, on a machine that other programs kept busy (see the
/// load): the two threads of the engine then often wait for each other far
/// longer than their work takes. The benchmark printed four decimals in the
/// first three runs, five in the others. The last three ran in a row on the
/// same machine with nothing else running (the load is the benchmark's own
/// two threads), after the first layer learned to skip the inputs that are
/// 0, and also time the housing model through chapter 9's `fit`. The last
/// five ran in a row, with nothing else running, after the update learned
/// to take pixels in pairs and the first layer was cut by the data; in the
/// fifth the machine ran slower for the engine's part of the run.
// One median, 0.39260 s, looks to clippy like π/8.
#[allow(clippy::approx_constant)]
pub const NUMPY_RUNS: &[NumpyRun] = &[
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, shared with other builds",
        date: "2026-11-29T15:20:34Z",
        commit: "4d4a959",
        load: ("3.54 3.36 3.08", "3.43 3.34 3.08"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 1.1286,
                numpy: 1.0380,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.3688,
                numpy: 0.5111,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.0027,
                numpy: 0.0189,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, shared with other builds",
        date: "2026-11-29T15:21:39Z",
        commit: "16b502a",
        load: ("3.00 3.21 3.05", "3.21 3.25 3.06"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 1.2719,
                numpy: 1.4061,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.4052,
                numpy: 0.5185,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.0017,
                numpy: 0.0165,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, shared with other builds",
        date: "2026-11-29T15:22:46Z",
        commit: "0f201d9",
        load: ("3.30 3.24 3.07", "2.95 3.16 3.05"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 1.9039,
                numpy: 0.9889,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.1173,
                numpy: 0.3975,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.0018,
                numpy: 0.0162,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, shared with other builds",
        date: "2026-11-29T15:25:33Z",
        commit: "b8e0504",
        load: ("2.05 2.59 2.84", "2.17 2.59 2.84"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.42104,
                numpy: 1.04000,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.14794,
                numpy: 0.39970,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00180,
                numpy: 0.01620,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, shared with other builds",
        date: "2026-11-29T15:26:14Z",
        commit: "b8e0504",
        load: ("2.57 2.66 2.86", "2.60 2.66 2.85"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.88841,
                numpy: 0.97470,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.11825,
                numpy: 0.38700,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00235,
                numpy: 0.01580,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, shared with other builds",
        date: "2026-11-29T15:26:44Z",
        commit: "5be2b77",
        load: ("2.47 2.64 2.84", "2.31 2.59 2.82"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.33689,
                numpy: 1.00830,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.26899,
                numpy: 0.49010,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00178,
                numpy: 0.01730,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, shared with other builds",
        date: "2026-11-29T15:28:48Z",
        commit: "1cbeba1",
        load: ("1.60 2.19 2.65", "1.46 2.13 2.62"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.39107,
                numpy: 0.99130,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.11796,
                numpy: 0.38800,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00253,
                numpy: 0.01650,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, nothing else running",
        date: "2026-11-29T19:59:09Z",
        commit: "456a11f",
        load: ("1.69 1.27 1.21", "1.58 1.26 1.21"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.26027,
                numpy: 0.99380,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.12072,
                numpy: 0.38530,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00199,
                numpy: 0.01640,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples), through fit",
                engine: 0.00217,
                numpy: 0.01640,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, nothing else running",
        date: "2026-11-29T19:59:25Z",
        commit: "456a11f",
        load: ("1.62 1.27 1.21", "1.60 1.28 1.22"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.25944,
                numpy: 0.99130,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.11966,
                numpy: 0.37980,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00183,
                numpy: 0.01620,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples), through fit",
                engine: 0.00218,
                numpy: 0.01620,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, nothing else running",
        date: "2026-11-29T19:59:41Z",
        commit: "456a11f",
        load: ("1.63 1.29 1.22", "1.62 1.30 1.22"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.25861,
                numpy: 0.97580,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.12095,
                numpy: 0.38300,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00277,
                numpy: 0.01650,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples), through fit",
                engine: 0.00222,
                numpy: 0.01650,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, nothing else running",
        date: "2026-11-29T23:13:37Z",
        commit: "7f82eec",
        load: ("2.01 1.66 1.43", "1.79 1.62 1.43"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.24479,
                numpy: 0.99560,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.11803,
                numpy: 0.38360,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00255,
                numpy: 0.01620,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples), through fit",
                engine: 0.00264,
                numpy: 0.01620,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, nothing else running",
        date: "2026-11-29T23:13:53Z",
        commit: "7f82eec",
        load: ("1.79 1.62 1.43", "1.61 1.59 1.42"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.24932,
                numpy: 0.97030,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.11439,
                numpy: 0.37490,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00227,
                numpy: 0.01610,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples), through fit",
                engine: 0.00358,
                numpy: 0.01610,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, nothing else running",
        date: "2026-11-29T23:14:09Z",
        commit: "7f82eec",
        load: ("1.64 1.60 1.42", "1.54 1.58 1.42"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.24117,
                numpy: 0.97220,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.11482,
                numpy: 0.39260,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00228,
                numpy: 0.01620,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples), through fit",
                engine: 0.00272,
                numpy: 0.01620,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, nothing else running",
        date: "2026-11-29T23:14:24Z",
        commit: "7f82eec",
        load: ("1.58 1.59 1.42", "1.57 1.58 1.42"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.24110,
                numpy: 0.96980,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.14661,
                numpy: 0.38110,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00300,
                numpy: 0.01620,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples), through fit",
                engine: 0.00359,
                numpy: 0.01620,
                target: 3.0,
            },
        ],
    },
    NumpyRun {
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: "AMD EPYC, 2 cores with AVX-512, nothing else running",
        date: "2026-11-29T23:14:40Z",
        commit: "7f82eec",
        load: ("1.60 1.59 1.43", "1.47 1.56 1.42"),
        results: &[
            Versus {
                model: "784-300-100-10 ReLU, softmax",
                engine: 0.35646,
                numpy: 0.97080,
                target: 5.5,
            },
            Versus {
                model: "784-100-10 tanh, softmax, momentum 0.9",
                engine: 0.11553,
                numpy: 0.37470,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples, 1 thread)",
                engine: 0.00240,
                numpy: 0.01560,
                target: 3.0,
            },
            Versus {
                model: "8-30-1 ReLU, linear, MSE (16512 samples), through fit",
                engine: 0.00263,
                numpy: 0.01560,
                target: 3.0,
            },
        ],
    },
];
// ANCHOR_END: numpy_runs

/// The machine of every measurement in this record: the model name
/// `/proc/cpuinfo` gives, and its cores.
pub const BOOK_MACHINE: &str = "AMD EPYC (as /proc/cpuinfo names it), 2 cores with AVX-512, a virtual machine shared with other work";

/// What was measured, as the record keeps it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Values {
    /// One value.
    One(f64),
    /// Every run's value, in the order they ran.
    Runs(&'static [f64]),
    /// Only a summary of the runs was kept.
    Summary {
        /// The median, when it was kept.
        median: Option<f64>,
        /// The smallest value.
        min: f64,
        /// The largest value, when it was kept.
        max: Option<f64>,
        /// How many runs, when it was written down.
        runs: Option<usize>,
    },
}

impl Values {
    /// The median, smallest and largest value (the same three for one
    /// value), each as far as it was kept.
    pub fn median_min_max(&self) -> (Option<f64>, f64, Option<f64>) {
        match *self {
            Values::One(v) => (Some(v), v, Some(v)),
            Values::Runs(runs) => {
                let mut sorted = runs.to_vec();
                sorted.sort_by(f64::total_cmp);
                let n = sorted.len();
                let median = match n {
                    0 => None,
                    _ if n % 2 == 1 => Some(sorted[n / 2]),
                    _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
                };
                let min = sorted.first().copied().unwrap_or(f64::NAN);
                let max = sorted.last().copied();
                (median, min, max)
            }
            Values::Summary {
                median, min, max, ..
            } => (median, min, max),
        }
    }
}

/// One measured quantity of an entry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantity {
    /// What the number is.
    pub what: &'static str,
    /// Its unit (`s`, `ms`, `µs`, `MiB`, `MB`, `GFLOP/s`, or empty for a ratio).
    pub unit: &'static str,
    /// How many decimals it is printed with.
    pub decimals: usize,
    /// What the values are counted in, plural (`runs`, `epochs`).
    pub counted: &'static str,
    /// The values.
    pub values: Values,
}

impl Quantity {
    /// The quantity as the record prints it: `what: 0.36 s` for one value,
    /// `what: median 0.36 s, 0.24 to 0.45 s over 25 runs` for several, and
    /// each run's value after a colon when they were kept.
    pub fn line(&self) -> String {
        let d = self.decimals;
        let u = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        let (median, min, max) = self.values.median_min_max();
        let spread = |runs: Option<usize>| {
            let counted = self.counted;
            let over = runs.map_or(format!("over several {counted}"), |n| {
                format!("over {n} {counted}")
            });
            let range = match max {
                None => format!("best {min:.d$}{u}"),
                Some(max) => format!("{min:.d$} to {max:.d$}{u}"),
            };
            match median {
                Some(m) => format!("median {m:.d$}{u}, {range} {over}"),
                None => format!("{range} {over}"),
            }
        };
        match self.values {
            Values::One(v) => format!("{}: {v:.d$}{u}", self.what),
            Values::Summary { runs, .. } => format!("{}: {}", self.what, spread(runs)),
            Values::Runs(list) => {
                let each: Vec<String> = list.iter().map(|v| format!("{v:.d$}")).collect();
                format!(
                    "{}: {}: {}",
                    self.what,
                    spread(Some(list.len())),
                    each.join(", ")
                )
            }
        }
    }
}

/// One entry of the measurement record: what was timed, how, where, when,
/// how busy the machine was, and what came out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    /// A short name, unique in the record.
    pub name: &'static str,
    /// What was timed.
    pub what: &'static str,
    /// The command, as typed (data folder as `FASHION_MNIST_DIR`).
    pub command: &'static str,
    /// The processor and its cores.
    pub machine: &'static str,
    /// When it ran (UTC): a date, or a date and time.
    pub date: &'static str,
    /// The commit the measured code was at (seven hex digits). For entries
    /// measured before this record existed: the commit that first put the
    /// number on a page.
    pub commit: &'static str,
    /// The load average over 1, 5 and 15 minutes, and what else ran, when
    /// known; empty when it was not written down.
    pub load: &'static str,
    /// The numbers.
    pub quantities: &'static [Quantity],
    /// What the program printed, where a page shows it verbatim (else empty).
    pub printed: &'static str,
}

impl Timing {
    /// The entry as the record prints it.
    pub fn report(&self) -> String {
        let mut s = format!("[{}] {}\n", self.name, self.what);
        s += &format!("  command: {}\n", self.command);
        s += &format!("  machine: {}\n", self.machine);
        s += &format!("  date:    {} (commit {})\n", self.date, self.commit);
        let load = if self.load.is_empty() {
            "not written down"
        } else {
            self.load
        };
        s += &format!("  load:    {load}\n");
        for q in self.quantities {
            s += &format!("  - {}\n", q.line());
        }
        s
    }
}

/// The entry named `name`.
pub fn timing(name: &str) -> Option<&'static Timing> {
    TIMINGS.iter().find(|t| t.name == name)
}

const fn one(what: &'static str, unit: &'static str, decimals: usize, v: f64) -> Quantity {
    Quantity {
        what,
        unit,
        decimals,
        counted: "runs",
        values: Values::One(v),
    }
}

const fn runs(
    what: &'static str,
    unit: &'static str,
    decimals: usize,
    list: &'static [f64],
) -> Quantity {
    Quantity {
        what,
        unit,
        decimals,
        counted: "runs",
        values: Values::Runs(list),
    }
}

const fn epochs(
    what: &'static str,
    unit: &'static str,
    decimals: usize,
    list: &'static [f64],
) -> Quantity {
    in_epochs(runs(what, unit, decimals, list))
}

/// The same quantity, counted in epochs rather than runs.
const fn in_epochs(q: Quantity) -> Quantity {
    Quantity {
        counted: "epochs",
        ..q
    }
}

const fn summary(
    what: &'static str,
    unit: &'static str,
    decimals: usize,
    median: Option<f64>,
    (min, max): (f64, Option<f64>),
    runs: Option<usize>,
) -> Quantity {
    Quantity {
        what,
        unit,
        decimals,
        counted: "runs",
        values: Values::Summary {
            median,
            min,
            max,
            runs,
        },
    }
}

const LOAD_2026_11_29_1531: &str = "3.27 2.45 2.67 before the first run; another 30-epoch training of chapter 9 \
     (tests/record-long-runs.sh) and builds shared the two cores";

// ANCHOR: timings
/// Every timing the book shows outside the figure's steps and the runs
/// against NumPy, oldest first within each subject. A page includes the
/// entries it speaks of from the files `cargo run -p appendix-speed
/// --example how-fast` writes; the appendix shows them all.
pub const TIMINGS: &[Timing] = &[
    Timing {
        name: "ch04-backward-cost",
        what: "chapter 4: one 784 → 300 ReLU layer on batches of 32, forward pass and backward/forward ratio, fastest of 7 trials per run",
        command: "cargo run --release -p ch04-backprop --example backward_cost",
        machine: BOOK_MACHINE,
        date: "2026-11-28",
        commit: "baebdf4",
        load: "busy (other programs shared the cores); not written down",
        quantities: &[
            summary("forward pass", "µs", 0, None, (243.0, Some(484.0)), Some(3)),
            runs("backward / forward", "", 2, &[2.10, 2.37, 1.80]),
        ],
        printed: "",
    },
    Timing {
        name: "ch07-sha256",
        what: "chapter 7: the SHA-256 check of the four Fashion-MNIST files (31 MB)",
        command: "FASHION_MNIST_DIR=… cargo run --release -p ch07-fashion-mnist",
        machine: BOOK_MACHINE,
        date: "2026-11-28",
        commit: "11c8274",
        load: "",
        quantities: &[one("the four checks", "ms", 0, 25.0)],
        printed: "",
    },
    Timing {
        name: "ch07-load-zlib-rs",
        what: "chapter 7: verify, decompress and parse the four files, flate2 with zlib-rs (the time the program prints, and /usr/bin/time -v of the process)",
        command: "cargo build --release -p ch07-fashion-mnist; FASHION_MNIST_DIR=… /usr/bin/time -v target/release/ch07-fashion-mnist",
        machine: BOOK_MACHINE,
        date: "2026-11-28",
        commit: "748d037",
        load: "busy (other work shared the cores); not written down",
        quantities: &[
            summary("printed time", "s", 2, Some(0.35), (0.24, None), Some(25)),
            one("CPU time of the process", "s", 2, 0.24),
            one("  of which user", "s", 2, 0.17),
            one("  of which system", "s", 2, 0.07),
            one("CPU time to decompress the training images", "s", 3, 0.135),
            one(
                "peak resident memory (the kbytes of /usr/bin/time ÷ 1000)",
                "MB",
                0,
                103.0,
            ),
        ],
        printed: "",
    },
    Timing {
        name: "ch07-load-miniz-oxide",
        what: "chapter 7: the same, flate2 with its default back end miniz_oxide",
        command: "the same, with flate2's zlib-rs feature off",
        machine: BOOK_MACHINE,
        date: "2026-11-28",
        commit: "748d037",
        load: "busy (other work shared the cores); not written down",
        quantities: &[
            summary("printed time", "s", 2, Some(0.44), (0.36, None), Some(25)),
            one("CPU time to decompress the training images", "s", 2, 0.18),
        ],
        printed: "",
    },
    Timing {
        name: "ch07-load-2026-11-29",
        what: "chapter 7: verify, decompress and parse the four files, flate2 with zlib-rs, 10 runs in a row",
        command: "cargo build --release -p ch07-fashion-mnist; FASHION_MNIST_DIR=… /usr/bin/time -v target/release/ch07-fashion-mnist",
        machine: BOOK_MACHINE,
        date: "2026-11-29T15:31Z",
        commit: "e53d49c",
        load: LOAD_2026_11_29_1531,
        quantities: &[
            runs(
                "printed time",
                "s",
                3,
                &[
                    0.360, 0.336, 0.238, 0.199, 0.326, 0.243, 0.323, 0.234, 0.249, 0.351,
                ],
            ),
            runs(
                "user CPU time of the process",
                "s",
                2,
                &[0.12, 0.12, 0.10, 0.12, 0.12, 0.11, 0.11, 0.12, 0.12, 0.12],
            ),
            runs(
                "system CPU time of the process",
                "s",
                2,
                &[0.08, 0.07, 0.08, 0.07, 0.06, 0.07, 0.08, 0.07, 0.07, 0.07],
            ),
            runs(
                "wall time of the process",
                "s",
                2,
                &[0.42, 0.41, 0.26, 0.24, 0.36, 0.28, 0.37, 0.27, 0.30, 0.42],
            ),
            runs(
                "peak resident memory",
                "MiB",
                1,
                &[
                    100.6, 100.6, 100.7, 100.8, 100.6, 100.7, 100.5, 100.3, 100.6, 100.3,
                ],
            ),
        ],
        printed: "",
    },
    Timing {
        name: "ch09-full-run-fast-2026-11-29d",
        what: "chapter 9: the whole 30-epoch run (load, fit with validation and the progress line, evaluate), fast engine, the first layer skipping the zero pixels and the validation data measured by the engine, 3 runs interleaved with benchmark runs on an otherwise idle machine",
        command: "cargo build --release -p ch09-training; FASHION_MNIST_DIR=… /usr/bin/time -v target/release/ch09-training --no-figures",
        machine: BOOK_MACHINE,
        date: "2026-11-29T19:58Z",
        commit: "456a11f",
        load: "load average (1, 5, 15 min) run 1: 1.28, 1.13, 1.17 before, 1.39, 1.16, 1.18 after; run 2: 1.49, 1.19, 1.18 before, 1.53, 1.20, 1.19 after; run 3: 1.60, 1.23, 1.20 before, 1.66, 1.26, 1.21 after; nothing else ran",
        quantities: &[
            epochs(
                "run 1: seconds per epoch as the progress line printed it, validation included",
                "s",
                1,
                &[
                    0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
                    0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
                ],
            ),
            epochs(
                "run 2: seconds per epoch as the progress line printed it, validation included",
                "s",
                1,
                &[
                    0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
                    0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
                ],
            ),
            epochs(
                "run 3: seconds per epoch as the progress line printed it, validation included",
                "s",
                1,
                &[
                    0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
                    0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
                ],
            ),
            runs("wall time of the process", "s", 2, &[8.96, 9.01, 9.01]),
            runs("peak resident memory", "MiB", 1, &[81.7, 81.5, 81.6]),
        ],
        printed: "",
    },
    Timing {
        name: "ch09-full-run-fast-2026-11-29c",
        what: "chapter 9: the whole 30-epoch run (load, fit with validation and the progress line, evaluate), fast engine, 3 runs in a row on an otherwise idle machine",
        command: "cargo build --release -p ch09-training; FASHION_MNIST_DIR=… /usr/bin/time -v target/release/ch09-training --no-figures",
        machine: BOOK_MACHINE,
        date: "2026-11-29T15:43Z",
        commit: "95d61c8",
        load: "load average (1, 5, 15 min) run 1: 1.69, 3.36, 3.32 before, 1.76, 3.30, 3.30 after; run 2: 1.76, 3.30, 3.30 before, 1.80, 3.25, 3.29 after; run 3: 1.80, 3.25, 3.29 before, 1.84, 3.19, 3.27 after; nothing else ran (the load is the runs' own two threads and the decay of earlier builds)",
        quantities: &[
            epochs(
                "run 1: seconds per epoch as the progress line printed it, validation included",
                "s",
                1,
                &[
                    0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
                    0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
                ],
            ),
            epochs(
                "run 2: seconds per epoch as the progress line printed it, validation included",
                "s",
                1,
                &[
                    0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4,
                    0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
                ],
            ),
            epochs(
                "run 3: seconds per epoch as the progress line printed it, validation included",
                "s",
                1,
                &[
                    0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
                    0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
                ],
            ),
            runs("wall time of the process", "s", 2, &[14.74, 13.54, 14.78]),
            runs("peak resident memory", "MiB", 1, &[81.6, 81.7, 81.8]),
        ],
        printed: "",
    },
    Timing {
        name: "ch09-full-run-fast-2026-11-29b",
        what: "chapter 9: the whole 30-epoch run (load, fit with validation and the progress line, evaluate), fast engine, 3 runs in a row",
        command: "cargo build --release -p ch09-training; FASHION_MNIST_DIR=… /usr/bin/time -v target/release/ch09-training --no-figures",
        machine: BOOK_MACHINE,
        date: "2026-11-29T15:31Z",
        commit: "e53d49c",
        load: "load average (1, 5, 15 min) run 1 at 15:31Z: 3.27 2.45 2.67 before, 3.90 3.19 2.93 after; run 2 at 15:33Z: 3.90 3.19 2.93 before, 3.97 3.33 2.99 after; run 3 at 15:34Z: 3.97 3.33 2.99 before, 5.29 4.04 3.29 after; other programs shared the two cores all along: during the first fast run another 30-epoch training of chapter 9 with its own two engine threads, then builds",
        quantities: &[
            epochs(
                "run 1: seconds per epoch as the progress line printed it, validation included",
                "s",
                1,
                &[
                    4.6, 7.4, 3.4, 1.9, 7.4, 7.4, 1.9, 5.3, 5.0, 5.0, 5.0, 4.6, 5.2, 4.9, 5.1, 5.1,
                    4.8, 4.0, 5.1, 5.0, 5.0, 5.5, 4.0, 5.1, 5.0, 4.9, 4.9, 5.0, 4.9, 4.5,
                ],
            ),
            epochs(
                "run 2: seconds per epoch as the progress line printed it, validation included",
                "s",
                1,
                &[
                    4.5, 4.4, 1.0, 0.4, 0.4, 0.4, 0.5, 0.4, 0.4, 0.4, 0.4, 0.9, 4.2, 2.1, 0.9, 5.4,
                    2.6, 1.0, 1.0, 2.7, 1.1, 4.7, 2.9, 3.9, 1.1, 1.8, 1.9, 3.0, 3.5, 4.3,
                ],
            ),
            epochs(
                "run 3: seconds per epoch as the progress line printed it, validation included",
                "s",
                1,
                &[
                    3.5, 1.1, 1.3, 1.1, 2.7, 4.5, 4.2, 4.6, 5.6, 7.3, 2.1, 5.6, 1.6, 4.9, 1.8, 1.6,
                    2.2, 1.3, 4.3, 1.9, 3.3, 5.3, 2.1, 7.4, 7.2, 1.2, 2.7, 3.7, 3.6, 1.0,
                ],
            ),
            runs("wall time of the process", "s", 1, &[147.4, 62.5, 101.3]),
            runs("peak resident memory", "MiB", 1, &[81.4, 81.5, 81.3]),
        ],
        printed: "",
    },
    Timing {
        name: "ch09-full-run-clear-2026-11-29b",
        what: "chapter 9: the same run on the clear engine, right after",
        command: "FASHION_MNIST_DIR=… /usr/bin/time -v target/release/ch09-training --no-figures --engine clear",
        machine: BOOK_MACHINE,
        date: "2026-11-29T15:36Z",
        commit: "e53d49c",
        load: "load average (1, 5, 15 min) run 1 at 15:36Z: 5.29 4.04 3.29 before, 4.49 3.99 3.31 after; other programs shared the two cores all along: during the first fast run another 30-epoch training of chapter 9 with its own two engine threads, then builds",
        quantities: &[
            epochs(
                "seconds per epoch as the progress line printed it, validation included",
                "s",
                1,
                &[
                    1.6, 1.5, 1.5, 1.4, 1.4, 1.6, 1.5, 1.4, 1.4, 1.5, 1.5, 1.5, 1.5, 1.8, 1.4, 1.6,
                    1.5, 1.3, 1.5, 1.6, 1.5, 1.7, 2.1, 1.5, 1.7, 2.0, 2.4, 2.0, 2.5, 1.4,
                ],
            ),
            one("wall time of the process", "s", 1, 49.3),
            one("peak resident memory", "MiB", 1, 81.6),
        ],
        printed: "",
    },
    Timing {
        name: "ch09-full-run-fast-2026-11-29a",
        what: "chapter 9: the whole 30-epoch run (load, fit with validation and the progress line, evaluate, save), fast engine",
        command: "FASHION_MNIST_DIR=… /usr/bin/time -v target/release/ch09-training (after cargo build --release -p ch09-training)",
        machine: BOOK_MACHINE,
        date: "2026-11-29",
        commit: "d675fa1",
        load: "busy (shared with other work); not written down",
        quantities: &[
            in_epochs(summary(
                "seconds per epoch as the progress line printed it, validation included",
                "s",
                2,
                Some(0.36),
                (0.34, Some(0.45)),
                Some(27),
            )),
            in_epochs(summary(
                "  the last three epochs, while other work had the cores",
                "s",
                2,
                None,
                (0.7, Some(0.85)),
                Some(3),
            )),
            summary(
                "wall time of the process",
                "s",
                1,
                Some(13.0),
                (11.2, Some(14.2)),
                Some(5),
            ),
            one("peak resident memory", "MiB", 0, 81.0),
        ],
        printed: "",
    },
    Timing {
        name: "ch09-full-run-clear-2026-11-29a",
        what: "chapter 9: the same run on the clear engine",
        command: "FASHION_MNIST_DIR=… /usr/bin/time -v target/release/ch09-training --engine clear",
        machine: BOOK_MACHINE,
        date: "2026-11-29",
        commit: "d675fa1",
        load: "busy (shared with other work); not written down",
        quantities: &[
            in_epochs(summary(
                "seconds per epoch as the progress line printed it (mean 2.6 s)",
                "s",
                1,
                None,
                (2.0, Some(3.5)),
                Some(30),
            )),
            one("wall time of the process", "s", 0, 78.0),
            one("peak resident memory", "MiB", 0, 81.0),
        ],
        printed: "",
    },
    Timing {
        name: "appendix-benchmark",
        what: "appendix: the benchmark's run shown on the page (FastMlp::train_epoch, AVX-512 kernels, 2 threads, 7 epochs after a warm-up), the first layer skipping the zero pixels, its update taking neighbouring pixels in pairs, and cut where each thread has half the non-zero pixels; the least disturbed of nine runs in a row (the others: 0.247 s with one slow epoch, and 0.27 to 0.37 s while the machine ran slower)",
        command: "FASHION_MNIST_DIR=… cargo bench -p ch09-training --bench fast_epoch -- --no-numpy",
        machine: BOOK_MACHINE,
        date: "2026-11-29T23:15:58Z",
        commit: "ac08b70",
        load: "1.30 1.47 1.39 before and after; nothing else ran",
        quantities: &[
            summary(
                "seconds per epoch",
                "s",
                3,
                Some(0.249),
                (0.245, Some(0.258)),
                Some(7),
            ),
            one("dense products' arithmetic per second", "GFLOP/s", 1, 248.9),
            one(
                "arithmetic done per second, zero pixels skipped",
                "GFLOP/s",
                1,
                144.6,
            ),
            one(
                "peak of 2 threads with AVX-512 FMA, measured by the same run",
                "GFLOP/s",
                1,
                233.3,
            ),
            one("peak resident memory (VmHWM)", "MiB", 0, 81.0),
        ],
        printed: BENCHMARK_PRINTED,
    },
    Timing {
        name: "appendix-pairs-and-cut",
        what: "appendix: the sparse update taking neighbouring inputs in pairs, then the first layer cut by the data (balanced_cut, input 416), against the code before both (commit 0281cb9, a second checkout); FastMlp::train_epoch, 7 epochs after a warm-up, the three benchmark runs interleaved, five rounds; in rounds 2 and 3 the machine ran slower (its known slow state: every phase slower, the helper thread's most)",
        command: "FASHION_MNIST_DIR=… cargo bench -p ch09-training --bench fast_epoch -- --no-numpy [--middle]",
        machine: BOOK_MACHINE,
        date: "2026-11-29T23:10:38Z",
        commit: "7f82eec",
        load: "1.09 1.33 1.30 before the first run, 1.91 1.60 1.41 before the last; nothing else ran (the load is the runs' own two threads)",
        quantities: &[
            runs(
                "before (0281cb9): median seconds per epoch",
                "s",
                3,
                &[0.253, 0.366, 0.367, 0.255, 0.254],
            ),
            runs(
                "pairs, cut in the middle (--middle): median seconds per epoch",
                "s",
                3,
                &[0.254, 0.366, 0.371, 0.249, 0.249],
            ),
            runs(
                "pairs, cut at input 416: median seconds per epoch",
                "s",
                3,
                &[0.247, 0.348, 0.350, 0.241, 0.240],
            ),
        ],
        printed: "",
    },
    Timing {
        name: "appendix-fit-next",
        what: "appendix: chapter 9's fit on the fast engine (progress line off, 7 epochs after a warm-up) telling the engine each next batch, with the pairs and the cut of appendix-pairs-and-cut, against the code before (commit 0281cb9), interleaved with those runs, five rounds",
        command: "FASHION_MNIST_DIR=… cargo bench -p ch09-training --bench fast_epoch -- --no-numpy --engine fast",
        machine: BOOK_MACHINE,
        date: "2026-11-29T23:10:46Z",
        commit: "7f82eec",
        load: "1.23 1.36 1.31 before the first run, 1.92 1.61 1.41 before the last; nothing else ran",
        quantities: &[
            runs(
                "before (0281cb9): median seconds per epoch",
                "s",
                3,
                &[0.272, 0.360, 0.347, 0.274, 0.271],
            ),
            runs(
                "now: median seconds per epoch",
                "s",
                3,
                &[0.266, 0.263, 0.364, 0.265, 0.262],
            ),
        ],
        printed: "",
    },
    Timing {
        name: "appendix-fit-fast",
        what: "appendix: chapter 9's fit on the fast engine, progress line off, 7 epochs after a warm-up (the trainer alone: the benchmark entry above), the least disturbed of the 5 runs of appendix-fit-next",
        command: "cargo bench -p ch09-training --bench fast_epoch -- --engine fast",
        machine: BOOK_MACHINE,
        date: "2026-11-29T23:13:16Z",
        commit: "7f82eec",
        load: "1.92 1.61 1.41 before; nothing else ran",
        quantities: &[one(
            "median seconds per epoch, least disturbed of 5 runs",
            "s",
            3,
            0.262,
        )],
        printed: "",
    },
    Timing {
        name: "appendix-full-run",
        what: "appendix: chapter 9's whole 30-epoch run on the fast engine, validation and test included, interleaved with the runs of appendix-pairs-and-cut, against the code before (commit 0281cb9); rounds 3 and 4 (and the code before in rounds 1, 2 and 4) met the machine's slow state",
        command: "cargo run --release -p ch09-training -- --no-figures",
        machine: BOOK_MACHINE,
        date: "2026-11-29T23:10:52Z",
        commit: "7f82eec",
        load: "1.29 1.37 1.31 before the first run, 2.01 1.64 1.43 before the last; nothing else ran",
        quantities: &[
            runs("wall time", "s", 2, &[8.85, 8.79, 11.36, 10.74, 8.73]),
            runs(
                "wall time before (0281cb9)",
                "s",
                2,
                &[10.31, 11.72, 9.62, 11.06, 9.32],
            ),
        ],
        printed: "",
    },
    Timing {
        name: "appendix-benchmark-2026-11-29b",
        what: "appendix: the benchmark's run shown on the page (FastMlp::train_epoch, AVX-512 kernels, 2 threads, 7 epochs after a warm-up), the first layer skipping the zero pixels",
        command: "FASHION_MNIST_DIR=… cargo bench -p ch09-training --bench fast_epoch -- --no-numpy",
        machine: BOOK_MACHINE,
        date: "2026-11-29T19:58Z",
        commit: "456a11f",
        load: "1.15 1.10 1.16 before, 1.22 1.12 1.16 after; nothing else ran",
        quantities: &[
            summary(
                "seconds per epoch",
                "s",
                3,
                Some(0.257),
                (0.255, Some(0.260)),
                Some(7),
            ),
            one("dense products' arithmetic per second", "GFLOP/s", 1, 241.4),
            one(
                "arithmetic done per second, zero pixels skipped",
                "GFLOP/s",
                1,
                140.3,
            ),
            one(
                "peak of 2 threads with AVX-512 FMA, measured by the same run",
                "GFLOP/s",
                1,
                224.2,
            ),
            one("peak resident memory (VmHWM)", "MiB", 0, 81.0),
        ],
        printed: BENCHMARK_PRINTED_2026_11_29B,
    },
    Timing {
        name: "appendix-skip-zeros",
        what: "appendix: skipping the inputs that are 0, against not skipping them (--dense), and chapter 9's fit on the fast engine (--engine fast, progress line off), 7 epochs after a warm-up each, the three interleaved, three rounds",
        command: "FASHION_MNIST_DIR=… cargo bench -p ch09-training --bench fast_epoch -- --no-numpy [--dense | --engine fast]",
        machine: BOOK_MACHINE,
        date: "2026-11-29T19:58Z",
        commit: "456a11f",
        load: "1.15 1.10 1.16 before the first run, 1.60 1.23 1.20 before the last; nothing else ran (the load is the runs' own two threads)",
        quantities: &[
            runs(
                "skipping: median seconds per epoch",
                "s",
                3,
                &[0.257, 0.261, 0.263],
            ),
            runs(
                "not skipping (--dense): median seconds per epoch",
                "s",
                3,
                &[0.334, 0.332, 0.333],
            ),
            runs(
                "fit, skipping: median seconds per epoch",
                "s",
                3,
                &[0.271, 0.268, 0.277],
            ),
        ],
        printed: "",
    },
    Timing {
        name: "appendix-prefetch",
        what: "appendix: each thread asking the memory for its pixels of the next batch's images while it trains (FastMlp::train_epoch, 7 epochs after a warm-up), against the same code without, the two benchmark binaries run in turn, three rounds",
        command: "FASHION_MNIST_DIR=… cargo bench -p ch09-training --bench fast_epoch -- --no-numpy",
        machine: BOOK_MACHINE,
        date: "2026-11-29T20:27Z",
        commit: "54b8f6a",
        load: "",
        quantities: &[
            runs(
                "with the prefetch: median seconds per epoch",
                "s",
                3,
                &[0.251, 0.250, 0.255],
            ),
            runs(
                "without it (commit 28f6f04): median seconds per epoch",
                "s",
                3,
                &[0.259, 0.257, 0.260],
            ),
        ],
        printed: "",
    },
    Timing {
        name: "appendix-peak-2026-11-29b",
        what: "appendix: the machine's peak when it ran slower, 2 threads, independent fused multiply-add chains on sixteen lanes (appendix_speed::peak), as four benchmark runs printed it",
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: BOOK_MACHINE,
        date: "2026-11-29T19:58Z",
        commit: "456a11f",
        load: "1.15 1.10 1.16 to 1.63 1.29 1.22; nothing else ran",
        quantities: &[runs(
            "two cores, AVX-512",
            "GFLOP/s",
            1,
            &[224.2, 232.9, 227.8, 232.5],
        )],
        printed: "",
    },
    Timing {
        name: "appendix-benchmark-2026-11-29a",
        what: "appendix: the benchmark's run shown on the page until the zeros were skipped (FastMlp::train_epoch, AVX-512 kernels, 2 threads, 7 epochs after a warm-up)",
        command: "FASHION_MNIST_DIR=… cargo bench -p ch09-training --bench fast_epoch",
        machine: BOOK_MACHINE,
        date: "2026-11-29",
        commit: "46a0798",
        load: "",
        quantities: &[
            summary(
                "seconds per epoch",
                "s",
                3,
                Some(0.240),
                (0.225, Some(0.319)),
                Some(7),
            ),
            one("arithmetic achieved", "GFLOP/s", 1, 257.8),
            one(
                "peak of 2 threads with AVX-512 FMA, measured by the same run",
                "GFLOP/s",
                1,
                356.5,
            ),
            one("peak resident memory (VmHWM)", "MiB", 0, 81.0),
        ],
        printed: "",
    },
    Timing {
        name: "appendix-peak",
        what: "appendix: the machine's peak, independent fused multiply-add chains on sixteen lanes (appendix_speed::peak), over the benchmark's runs",
        command: "cargo bench -p ch09-training --bench fast_epoch",
        machine: BOOK_MACHINE,
        date: "2026-11-29",
        commit: "46a0798",
        load: "",
        quantities: &[
            one("one core, AVX-512 (about)", "GFLOP/s", 0, 170.0),
            summary(
                "two cores, AVX-512",
                "GFLOP/s",
                0,
                None,
                (335.0, Some(355.0)),
                None,
            ),
        ],
        printed: "",
    },
    Timing {
        name: "appendix-fit-fast-2026-11-29b",
        what: "appendix: chapter 9's fit on the fast engine, progress line off, 7 epochs after a warm-up (the trainer alone: the benchmark entry above), the least disturbed of the 3 runs of appendix-skip-zeros",
        command: "cargo bench -p ch09-training --bench fast_epoch -- --engine fast",
        machine: BOOK_MACHINE,
        date: "2026-11-29T19:58Z",
        commit: "456a11f",
        load: "1.44 1.18 1.18 before, 1.49 1.19 1.18 after; nothing else ran",
        quantities: &[one(
            "median seconds per epoch, least disturbed of 3 runs",
            "s",
            3,
            0.268,
        )],
        printed: "",
    },
    Timing {
        name: "appendix-fit-fast-2026-11-29a",
        what: "appendix: chapter 9's fit on the fast engine, progress line off, 7 epochs after a warm-up (the trainer alone: the benchmark entry above)",
        command: "cargo bench -p ch09-training --bench fast_epoch -- --engine fast",
        machine: BOOK_MACHINE,
        date: "2026-11-29",
        commit: "46a0798",
        load: "",
        quantities: &[one(
            "median seconds per epoch, least disturbed of 3 runs",
            "s",
            2,
            0.27,
        )],
        printed: "",
    },
    Timing {
        name: "appendix-full-run-2026-11-29b",
        what: "appendix: chapter 9's whole 30-epoch run on the fast engine, validation and test included (the runs of ch09-full-run-fast-2026-11-29d)",
        command: "cargo run --release -p ch09-training",
        machine: BOOK_MACHINE,
        date: "2026-11-29T19:58Z",
        commit: "456a11f",
        load: "1.28 1.13 1.17 before the first run, 1.66 1.26 1.21 after the last; nothing else ran",
        quantities: &[runs("wall time", "s", 2, &[8.96, 9.01, 9.01])],
        printed: "",
    },
    Timing {
        name: "appendix-full-run-2026-11-29a",
        what: "appendix: chapter 9's whole 30-epoch run on the fast engine, validation and test included",
        command: "cargo run --release -p ch09-training",
        machine: BOOK_MACHINE,
        date: "2026-11-29",
        commit: "46a0798",
        load: "",
        quantities: &[one("wall time", "s", 1, 10.7)],
        printed: "",
    },
    Timing {
        name: "appendix-portable",
        what: "appendix: one epoch on the portable kernels ([f32; 16], f32::mul_add in software) of an x86-64 processor without hardware FMA",
        command: "cargo bench -p ch09-training --bench fast_epoch -- --isa portable",
        machine: "an x86-64 processor without FMA",
        date: "2026-11-29",
        commit: "3c3a408",
        load: "",
        quantities: &[one("seconds per epoch", "s", 0, 115.0)],
        printed: "",
    },
];
// ANCHOR_END: timings

/// What the benchmark printed in the run of the entry `appendix-benchmark`
/// (epochs 2 to 6 left out).
const BENCHMARK_PRINTED: &str = "\
training epochs of 784-300-100-10 on 55000 Fashion-MNIST, batch 32, SGD 0.01: FastMlp::train_epoch, avx512 kernels, 2 thread(s), first layer cut at input 416
  warm-up: 0.246 s, CPU 0.244 s  (loss 0.7018, accuracy 0.7688)
  epoch 1: 0.245 s, CPU 0.244 s  (loss 0.4864, accuracy 0.8301)
  …
  epoch 7: 0.258 s, CPU 0.255 s  (loss 0.3500, accuracy 0.8764)

where the calling thread's time went in the last epoch:
phase                              work s   wait s
gather, layer 1 forward             0.094    0.010
layer 2 forward                     0.017    0.001
layer 3 forward                     0.002    0.001
loss, layer 3 backward              0.008    0.005
layer 2 backward                    0.038    0.005
layer 1 backward                    0.077    0.000

where the helper thread's time went in the last epoch:
phase                              work s   wait s
gather, layer 1 forward             0.099    0.003
layer 2 forward                     0.018    0.001
layer 3 forward                     0.003    0.000
loss, layer 3 backward              0.012    0.000
layer 2 backward                    0.043    0.000
layer 1 backward                    0.079    0.000
engine that ran: fast

seconds/epoch: median 0.249, min 0.245, max 0.258 over 7 epochs (spread 5%)
CPU seconds/epoch of the calling thread: median 0.252
images/s: 220864
arithmetic: 62.0 GFLOP/epoch as dense products, 248.9 GFLOP/s of them; peak of 2 thread(s) with avx512 FMA: 233.3 GFLOP/s
zero pixels skipped: 50.2% of the pixels are 0, so the first layer does 25.8 of its 51.7 GFLOP and the epoch 36.0 GFLOP (not counting the zeros ReLU makes in the second layer): 144.6 GFLOP/s done, 62% of peak
neighbouring pixels (2k, 2k + 1): one is not 0 in 49.8% of the images, either in 55.4%
the calling thread's share of the non-zero pixels: 49.9% with the cut at input 416, 45.7% with the cut in the middle
peak resident memory (VmHWM): 81 MiB
";

const BENCHMARK_PRINTED_2026_11_29B: &str = "\
training epochs of 784-300-100-10 on 55000 Fashion-MNIST, batch 32, SGD 0.01: FastMlp::train_epoch, avx512 kernels, 2 thread(s)
  warm-up: 0.436 s, CPU 0.343 s  (loss 0.7018, accuracy 0.7688)
  epoch 1: 0.257 s, CPU 0.255 s  (loss 0.4864, accuracy 0.8304)
  …
  epoch 7: 0.260 s, CPU 0.257 s  (loss 0.3500, accuracy 0.8759)

where the calling thread's time went in the last epoch:
phase                              work s   wait s
gather, layer 1 forward             0.100    0.016
layer 2 forward                     0.015    0.001
layer 3 forward                     0.002    0.000
loss, layer 3 backward              0.007    0.001
layer 2 backward                    0.036    0.003
layer 1 backward                    0.078    0.000

where the helper thread's time went in the last epoch:
phase                              work s   wait s
gather, layer 1 forward             0.099    0.004
layer 2 forward                     0.017    0.000
layer 3 forward                     0.002    0.000
loss, layer 3 backward              0.008    0.000
layer 2 backward                    0.039    0.000
layer 1 backward                    0.091    0.000
engine that ran: fast

seconds/epoch: median 0.257, min 0.255, max 0.260 over 7 epochs (spread 2%)
CPU seconds/epoch of the calling thread: median 0.256
images/s: 214232
arithmetic: 62.0 GFLOP/epoch as dense products, 241.4 GFLOP/s of them; peak of 2 thread(s) with avx512 FMA: 224.2 GFLOP/s
zero pixels skipped: 50.2% of the pixels are 0, so the first layer does 25.8 of its 51.7 GFLOP and the epoch 36.0 GFLOP (not counting the zeros ReLU makes in the second layer): 140.3 GFLOP/s done, 63% of peak
peak resident memory (VmHWM): 81 MiB
";

// ANCHOR: draw
/// Seconds per epoch as horizontal bars: the reference frameworks in grey,
/// then each step of the optimisation in blue, top to bottom.
pub fn draw_optimisation_steps<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    steps: &[Step],
    references: &[Reference],
) -> FigureResult {
    let grey = RGBColor(150, 150, 150);
    let rows: Vec<(&str, f64, RGBColor)> = references
        .iter()
        .map(|r| (r.label, r.seconds, grey))
        .chain(steps.iter().map(|s| (s.label, s.seconds, colour(0))))
        .collect();
    if rows.iter().any(|r| !(r.1.is_finite() && r.1 >= 0.0)) {
        return Err(FigureError(
            "every time must be a non-negative number".into(),
        ));
    }
    let n = rows.len();
    let longest = rows.iter().map(|r| r.1).fold(0.0, f64::max);
    let right = (longest * 1.1).max(0.1);
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Seconds per training epoch, 784-300-100-10, 55 000 images",
            ("sans-serif", 22),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(0)
        .build_cartesian_2d(0.0..right, 0.0..n as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .light_line_style(WHITE)
        .x_desc("seconds per epoch (median; shorter is faster)")
        .draw()?;
    let label =
        TextStyle::from(("sans-serif", 15).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, &(name, seconds, c)) in rows.iter().enumerate() {
        // Row 0 at the top; light bars, so that the black label reads.
        let y = (n - 1 - i) as f64;
        let bar = Rectangle::new([(0.0, y + 0.15), (seconds, y + 0.85)], c.mix(0.45).filled());
        chart.draw_series(std::iter::once(bar))?;
        let text = format!("{name}: {seconds:.2} s");
        let at = (right * 0.008, y + 0.5);
        chart.draw_series(std::iter::once(Text::new(text, at, label.clone())))?;
    }
    for (name, c) in [
        ("this book, step by step", colour(0)),
        ("Python frameworks", grey),
    ] {
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
            .label(name)
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 18, y + 6)], c.mix(0.45).filled())
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::MiddleRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 15))
        .draw()?;
    Ok(())
}
// ANCHOR_END: draw

#[cfg(test)]
mod tests {
    use super::*;
    use ch00_toolbox::figure::svg_string;

    #[test]
    fn the_steps_get_faster_and_each_names_its_commit() {
        assert!(STEPS.len() >= 5);
        for pair in STEPS.windows(2) {
            assert!(
                pair[1].retimed || pair[1].seconds < pair[0].seconds,
                "{pair:?}"
            );
        }
        assert!(STEPS.iter().all(|s| s.commit.len() == 7));
        // Every command is the benchmark's flags, which it would accept.
        for s in STEPS {
            assert!(s.command.split_whitespace().all(|w| w.starts_with("--")
                || w.parse::<usize>().is_ok()
                || ["clear", "fast", "auto", "avx512", "avx2", "portable"].contains(&w)));
        }
        for r in REFERENCES {
            assert!(
                r.peak_mib > 0.0 && (0.0..=1.0).contains(&r.test_accuracy),
                "{r:?}"
            );
        }
        // The target of the optimisation: at most 0.4 s per epoch.
        assert!(STEPS.last().is_some_and(|s| s.seconds <= 0.4));
    }

    #[test]
    fn every_comparison_with_numpy_says_where_and_when_it_ran() {
        assert!(!NUMPY_RUNS.is_empty());
        for run in NUMPY_RUNS {
            assert!(
                run.command
                    .starts_with("cargo bench -p ch09-training --bench fast_epoch")
            );
            assert!(
                run.machine.contains("cores") && run.commit.len() == 7,
                "{run:?}"
            );
            assert!(
                run.date.len() == 20 && run.date.ends_with('Z'),
                "{}",
                run.date
            );
            for load in [run.load.0, run.load.1] {
                let parts: Vec<f64> = load.split(' ').filter_map(|x| x.parse().ok()).collect();
                assert_eq!(parts.len(), 3, "{load}");
            }
            // Three models; later runs also time the third through `fit`.
            assert!((3..=4).contains(&run.results.len()), "{run:?}");
            for v in run.results {
                assert!(v.engine > 0.0 && v.numpy > 0.0 && v.target >= 3.0, "{v:?}");
                assert_eq!(v.meets_target(), v.numpy >= v.target * v.engine);
            }
        }
        let v = Versus {
            model: "m",
            engine: 0.25,
            numpy: 1.0,
            target: 5.5,
        };
        assert_eq!((v.ratio(), v.meets_target()), (4.0, false));
    }

    #[test]
    fn the_figure_shows_every_bar_and_label() {
        let svg = svg_string((900, 520), |a| {
            draw_optimisation_steps(a, STEPS, REFERENCES)
        })
        .unwrap();
        for s in STEPS {
            assert!(svg.contains(&format!("{:.2} s", s.seconds)), "{}", s.label);
        }
        assert!(svg.contains("TensorFlow/Keras 2.21"));
        assert!(svg.contains("seconds per epoch"));
        let bad = [Step {
            seconds: f64::NAN,
            ..STEPS[0]
        }];
        assert!(svg_string((400, 300), |a| draw_optimisation_steps(a, &bad, &[])).is_err());
    }
}
