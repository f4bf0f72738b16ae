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
}

// ANCHOR: steps
/// The steps, in the order they were taken. Commit `3aa22e8` is the code
/// before the last kernel change; `92e9e59` has every change.
pub const STEPS: &[Step] = &[
    Step {
        label: "clear engine: fit, layer by layer (1 thread)",
        command: "--engine clear",
        seconds: 1.78,
        commit: "92e9e59",
    },
    Step {
        label: "one fused step, AVX2 kernels (1 thread)",
        command: "--threads 1 --isa avx2",
        seconds: 0.920,
        commit: "92e9e59",
    },
    Step {
        label: "AVX-512 kernels (1 thread)",
        command: "--threads 1",
        seconds: 0.477,
        commit: "3aa22e8",
    },
    Step {
        label: "16 dot products summed at once, no division (1 thread)",
        command: "--threads 1",
        seconds: 0.431,
        commit: "92e9e59",
    },
    Step {
        label: "2 threads that sleep while they wait",
        command: "--sleep",
        seconds: 0.313,
        commit: "92e9e59",
    },
    Step {
        label: "2 threads that spin while they wait",
        command: "",
        seconds: 0.241,
        commit: "92e9e59",
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
/// first three runs, five in the others.
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
];
// ANCHOR_END: numpy_runs

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
            assert!(pair[1].seconds < pair[0].seconds, "{pair:?}");
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
            assert_eq!(run.results.len(), 3, "the three models of the benchmark");
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
