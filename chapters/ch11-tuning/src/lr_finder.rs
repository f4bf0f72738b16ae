//! The learning-rate finder: one epoch in which the learning rate grows by
//! the same factor after every batch, from far too small to far too large,
//! while the loss of each batch is recorded. Plotted against the rate (on a
//! log axis), the loss first barely moves, then falls, flattens, turns and
//! explodes; a good rate lies somewhat below the bottom of that valley.
//!
//! - [`exponential_rate`]: the rate of each batch;
//! - [`LrFinder`]: the callback that sets that rate before each batch (so
//!   chapter 9's `fit`, fast engine included, runs the epoch) and records
//!   the loss after it, stopping once the loss blows up;
//! - [`Smoother`] and [`smooth`]: the bias-corrected moving average that
//!   makes the noisy curve readable;
//! - [`suggest`]: the suggested rate, half the rate at the lowest smoothed
//!   loss, with an error when the curve cannot tell;
//! - [`draw_lr_finder`] and [`draw_rate_comparison`]: the figures;
//! - [`run`]: `cargo run --release -p ch11-tuning -- lr-find`.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use ch00_toolbox::figure::{colour, dot_key, draw_legend, line_key, save_svg};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::prelude::*;
use ch00_toolbox::{FigureError, FigureResult};
use ch07_fashion_mnist::{FashionMnist, Splits};
use ch08_sequential::Sgd;
use ch09_training::run::{check_file, check_folder};
use ch09_training::weights::write_atomically;
use ch09_training::{Callback, Control, FitOptions, History, TerminateOnNan, Training};

use crate::cli::{FigureArgs, target_path};
use crate::models::mlp;

/// The first rate of the finder's epoch.
pub const START_RATE: f32 = 1e-5;
/// The last rate, reached at the last batch if the loss has not blown up.
pub const END_RATE: f32 = 10.0;
/// The weight β of the moving average: each new loss counts for 1 − β.
pub const SMOOTHING: f32 = 0.98;
/// The finder stops once the smoothed loss exceeds this many times its
/// lowest value so far.
pub const BLOW_UP: f32 = 4.0;
/// The rate the suggestion is compared with: Keras' default, and the rate
/// of chapter 9's run.
pub const REFERENCE_RATE: f32 = 0.01;
/// The hidden widths of the model the rate is sought for (chapter 8's).
pub const HIDDEN: [usize; 2] = [300, 100];

/// Why the finder cannot start, or cannot suggest a rate.
#[derive(Clone, Debug, PartialEq)]
pub enum LrFinderError {
    /// The start and end rates must be finite, positive and increasing, and
    /// there must be at least two batches.
    BadRange {
        /// The first rate asked for.
        start: f32,
        /// The last rate asked for.
        end: f32,
        /// The number of batches.
        steps: usize,
    },
    /// The rates and losses given are not of the same length.
    LengthMismatch {
        /// How many rates.
        rates: usize,
        /// How many losses.
        losses: usize,
    },
    /// There is no finite loss before the curve ends (an empty curve, or
    /// one whose first loss is NaN or infinite).
    NoCurve,
    /// The smoothed loss is lowest at the first rate: it never fell, so the
    /// start rate is already too large.
    NeverFell {
        /// The first rate.
        rate: f32,
    },
    /// The smoothed loss is lowest at the last rate and never blew up: the
    /// range ended before the loss turned, so the valley is not seen.
    NeverTurned {
        /// The last rate.
        rate: f32,
    },
}

impl fmt::Display for LrFinderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LrFinderError::BadRange { start, end, steps } => write!(
                f,
                "the finder needs 0 < start < end, both finite, and at least 2 batches; \
                 got start {start}, end {end}, {steps} batches"
            ),
            LrFinderError::LengthMismatch { rates, losses } => {
                write!(f, "{rates} rates but {losses} losses")
            }
            LrFinderError::NoCurve => write!(f, "the curve holds no finite loss"),
            LrFinderError::NeverFell { rate } => write!(
                f,
                "the smoothed loss is lowest at the first rate ({rate:e}): \
                 it never fell, start from a smaller rate"
            ),
            LrFinderError::NeverTurned { rate } => write!(
                f,
                "the smoothed loss was still at its lowest at the last rate ({rate:e}): \
                 it never turned, end at a larger rate"
            ),
        }
    }
}

impl std::error::Error for LrFinderError {}

// ANCHOR: exponential_rate
/// The learning rate of batch `step` (counted from 0) of `steps`: `start`
/// multiplied by the same factor `(end / start)^(1 / (steps − 1))` after
/// every batch, so that the first batch runs at `start` and the last at
/// `end`, and the rates are evenly spaced on a log axis.
pub fn exponential_rate(start: f32, end: f32, step: usize, steps: usize) -> f32 {
    if steps < 2 {
        return start;
    }
    let fraction = step as f64 / (steps - 1) as f64;
    let (start, end) = (f64::from(start), f64::from(end));
    (start * (end / start).powf(fraction)) as f32
}
// ANCHOR_END: exponential_rate

// ANCHOR: smoother
/// An exponential moving average of a noisy series, bias-corrected. After
/// the values `l₁ … lₖ` it holds `aₖ = β·aₖ₋₁ + (1 − β)·lₖ` (from `a₀ = 0`)
/// and reports `aₖ / (1 − βᵏ)`: without the division the first averages
/// would be pulled towards the 0 it started from.
#[derive(Clone, Debug)]
pub struct Smoother {
    beta: f64,
    average: f64,
    count: i32,
}

impl Smoother {
    /// A moving average with weight `beta` (0 ≤ β < 1) on the past.
    pub fn new(beta: f32) -> Smoother {
        Smoother {
            beta: f64::from(beta),
            average: 0.0,
            count: 0,
        }
    }

    /// Adds `value` and returns the smoothed value so far.
    pub fn push(&mut self, value: f32) -> f32 {
        self.average = self.beta * self.average + (1.0 - self.beta) * f64::from(value);
        self.count = self.count.saturating_add(1);
        (self.average / (1.0 - self.beta.powi(self.count))) as f32
    }
}
// ANCHOR_END: smoother

/// The bias-corrected moving average of `values` (see [`Smoother`]), one
/// smoothed value per value.
pub fn smooth(values: &[f32], beta: f32) -> Vec<f32> {
    let mut smoother = Smoother::new(beta);
    values.iter().map(|&v| smoother.push(v)).collect()
}

/// What the finder recorded: the rate and the loss of each batch it ran.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LrCurve {
    /// The learning rate of each batch.
    pub rates: Vec<f32>,
    /// The loss of each batch (before its step).
    pub losses: Vec<f32>,
}

impl LrCurve {
    /// The number of batches recorded.
    pub fn len(&self) -> usize {
        self.rates.len()
    }

    /// Whether no batch was recorded.
    pub fn is_empty(&self) -> bool {
        self.rates.is_empty()
    }

    /// The smoothed losses, up to the first loss that is not finite (after
    /// it, the weights are not numbers either and the curve has ended).
    pub fn smoothed(&self) -> Vec<f32> {
        smooth(&self.losses[..finite_prefix(&self.losses)], SMOOTHING)
    }

    /// Writes the curve as CSV (`batch,learning_rate,loss,smoothed_loss`)
    /// to `path`, through a temporary file.
    pub fn write_csv(&self, path: &Path) -> std::io::Result<()> {
        let smoothed = self.smoothed();
        write_atomically(path, |file| {
            writeln!(file, "batch,learning_rate,loss,smoothed_loss")?;
            for (k, (rate, loss)) in self.rates.iter().zip(&self.losses).enumerate() {
                let s = smoothed.get(k).map_or(String::new(), |s| s.to_string());
                writeln!(file, "{},{rate},{loss},{s}", k + 1)?;
            }
            Ok(())
        })
    }

    /// Reads a curve written by [`LrCurve::write_csv`].
    pub fn read_csv(path: &Path) -> Result<LrCurve, Box<dyn std::error::Error>> {
        let mut curve = LrCurve::default();
        let mut reader = csv::Reader::from_path(path)?;
        for (line, row) in reader.records().enumerate() {
            let row = row?;
            let field = |i: usize| -> Result<f32, Box<dyn std::error::Error>> {
                let text = row.get(i).unwrap_or("");
                text.parse().map_err(|_| {
                    format!("{}: row {}: cannot read {text:?}", path.display(), line + 1).into()
                })
            };
            curve.rates.push(field(1)?);
            curve.losses.push(field(2)?);
        }
        Ok(curve)
    }
}

/// The number of values before the first one that is not finite.
fn finite_prefix(values: &[f32]) -> usize {
    values
        .iter()
        .position(|v| !v.is_finite())
        .unwrap_or(values.len())
}

// ANCHOR: finder
/// The callback of the finder's epoch. Before each batch it sets the rate
/// [`exponential_rate`] gives; after it, it records the batch's loss and
/// stops the epoch once the loss is not finite or its smoothed value has
/// passed [`BLOW_UP`] times its lowest.
#[derive(Clone, Debug)]
pub struct LrFinder {
    start: f32,
    end: f32,
    steps: usize,
    curve: LrCurve,
    smoother: Smoother,
    lowest: f32,
    rate_of_this_batch: Option<f32>,
}

impl LrFinder {
    /// A finder from `start` to `end` over `steps` batches (one epoch:
    /// the number of batches of the training set).
    pub fn new(start: f32, end: f32, steps: usize) -> Result<LrFinder, LrFinderError> {
        let ok = start.is_finite() && end.is_finite() && 0.0 < start && start < end && steps >= 2;
        if !ok {
            return Err(LrFinderError::BadRange { start, end, steps });
        }
        Ok(LrFinder {
            start,
            end,
            steps,
            curve: LrCurve::default(),
            smoother: Smoother::new(SMOOTHING),
            lowest: f32::INFINITY,
            rate_of_this_batch: None,
        })
    }

    /// What was recorded so far.
    pub fn curve(&self) -> &LrCurve {
        &self.curve
    }
}

// ANCHOR: finder_hooks
impl Callback for LrFinder {
    fn on_batch_begin(&mut self, _epoch: usize, _step: usize, optimizer: &mut Sgd) -> Control {
        let k = self.curve.len();
        if k >= self.steps {
            return Control::Stop(format!("reached the end rate {:e}", self.end));
        }
        let rate = exponential_rate(self.start, self.end, k, self.steps);
        match optimizer.set_learning_rate(rate) {
            Ok(()) => {
                self.rate_of_this_batch = Some(rate);
                Control::Continue
            }
            Err(e) => Control::Stop(format!("cannot set the rate {rate:e}: {e}")),
        }
    }

    fn on_batch_end(&mut self, _epoch: usize, _step: usize, loss: f32) -> Control {
        let Some(rate) = self.rate_of_this_batch.take() else {
            return Control::Continue;
        };
        self.curve.rates.push(rate);
        self.curve.losses.push(loss);
        if !loss.is_finite() {
            return Control::Stop(format!("the loss became {loss} at rate {rate:.3e}"));
        }
        let smoothed = self.smoother.push(loss);
        self.lowest = self.lowest.min(smoothed);
        if smoothed > BLOW_UP * self.lowest {
            return Control::Stop(format!(
                "the smoothed loss {smoothed:.3} passed {BLOW_UP} × its lowest {:.3} at rate {rate:.3e}",
                self.lowest
            ));
        }
        Control::Continue
    }
}
// ANCHOR_END: finder_hooks
// ANCHOR_END: finder

/// The lowest point of a finder's curve and the rate it suggests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Suggestion {
    /// The batch (from 0) where the smoothed loss is lowest.
    pub lowest_index: usize,
    /// The rate of that batch.
    pub lowest_rate: f32,
    /// The smoothed loss there.
    pub lowest_loss: f32,
    /// The suggested rate: half of `lowest_rate`.
    pub rate: f32,
}

// ANCHOR: suggest
/// The rate a finder's curve suggests: half the rate at which the smoothed
/// loss is lowest. The curve ends at its first loss that is not finite.
/// An error when the curve is empty, when its lowest point is its first
/// (the loss never fell), or when it is its last and the loss never blew
/// up (the valley lies beyond the rates tried).
pub fn suggest(rates: &[f32], losses: &[f32]) -> Result<Suggestion, LrFinderError> {
    if rates.len() != losses.len() {
        return Err(LrFinderError::LengthMismatch {
            rates: rates.len(),
            losses: losses.len(),
        });
    }
    let finite = finite_prefix(losses);
    let smoothed = smooth(&losses[..finite], SMOOTHING);
    let (lowest_index, &lowest_loss) = smoothed
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .ok_or(LrFinderError::NoCurve)?;
    let blew_up = finite < losses.len() || lowest_loss * BLOW_UP < smoothed[finite - 1];
    if lowest_index == 0 && finite > 1 {
        return Err(LrFinderError::NeverFell { rate: rates[0] });
    }
    if lowest_index == finite - 1 && !blew_up {
        return Err(LrFinderError::NeverTurned {
            rate: rates[lowest_index],
        });
    }
    let lowest_rate = rates[lowest_index];
    Ok(Suggestion {
        lowest_index,
        lowest_rate,
        lowest_loss,
        rate: lowest_rate / 2.0,
    })
}
// ANCHOR_END: suggest

/// The figure files the finder draws.
pub const FIGURE_FILES: [&str; 2] = ["lr-finder.svg", "lr-comparison.svg"];

/// The ticks of the finder's rate axis: each power of ten from `first` to
/// `last`, and `last` itself, where the curve stops (unless a power of ten
/// is within a factor of 2 of it).
fn rate_ticks(first: f32, last: f32) -> Vec<f32> {
    let mut ticks: Vec<f32> = (first.log10().ceil() as i32..=last.log10().floor() as i32)
        .map(|k| 10f32.powi(k))
        .filter(|&t| t >= first * 0.999 && t <= last * 1.001)
        .collect();
    if ticks.last().is_none_or(|&t| last > 2.0 * t) {
        ticks.push(last);
    }
    ticks
}

// ANCHOR: draw_lr_finder
/// The finder's curve: each batch's loss (light) and its smoothed value
/// (bold) against the learning rate on a log axis, the lowest smoothed
/// point (a dot) and the suggested rate (a dashed line).
pub fn draw_lr_finder<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curve: &LrCurve,
    suggestion: Option<&Suggestion>,
) -> FigureResult {
    let n = finite_prefix(&curve.losses).min(curve.rates.len());
    let points = |values: &[f32]| -> Vec<(f32, f32)> {
        curve
            .rates
            .iter()
            .zip(values)
            .map(|(&r, &l)| (r, l))
            .collect()
    };
    let raw = points(&curve.losses[..n]);
    let smoothed = points(&curve.smoothed());
    if raw.is_empty() || raw.iter().any(|&(r, _)| !(r > 0.0 && r.is_finite())) {
        return Err(FigureError("no curve to draw (or a rate ≤ 0)".into()));
    }
    let (first, last) = (raw[0].0, raw[raw.len() - 1].0.max(raw[0].0 * 10.0));
    // The top: a little above the start of the smoothed curve, so that the
    // explosion runs off the chart instead of flattening the valley.
    let top = smoothed
        .iter()
        .map(|p| p.1)
        .fold(0.0f32, f32::max)
        .min(smoothed.first().map_or(f32::INFINITY, |p| p.1) * 1.6);
    let mut chart = ChartBuilder::on(area)
        .caption(
            "The learning-rate finder: loss against learning rate",
            ("sans-serif", 22),
        )
        .margin(14)
        // Room for the label of the last rate, at the axis' very end.
        .margin_right(30)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(
            (first..last)
                .log_scale()
                .with_key_points(rate_ticks(first, last)),
            0f32..top.max(1e-3),
        )?;
    chart
        .configure_mesh()
        .x_desc("learning rate (log scale)")
        .y_desc("training loss of the batch")
        .x_label_formatter(&|r| {
            let power = 10f32.powf(r.log10().round());
            match ((r - power) / power).abs() < 1e-3 {
                true => format!("{r:.0e}"),
                false => format!("{r:.2e}"),
            }
        })
        .draw()?;
    let clip = |p: &(f32, f32)| (p.0, p.1.min(top));
    chart
        .draw_series(LineSeries::new(raw.iter().map(clip), colour(0).mix(0.3)))?
        .label("loss of each batch")
        .legend(line_key(colour(0).mix(0.3)));
    chart
        .draw_series(LineSeries::new(
            smoothed.iter().map(clip),
            colour(0).stroke_width(3),
        ))?
        .label("smoothed (moving average, β = 0.98)")
        .legend(line_key(colour(0).stroke_width(3)));
    if let Some(s) = suggestion {
        chart
            .draw_series([Circle::new(
                (s.lowest_rate, s.lowest_loss),
                6,
                colour(1).filled(),
            )])?
            .label(format!(
                "lowest smoothed loss, at rate {:.2e}",
                s.lowest_rate
            ))
            .legend(dot_key(colour(1).filled(), 5));
        let style = colour(2).stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(
                [(s.rate, 0.0), (s.rate, top)],
                8,
                5,
                style,
            ))?
            .label(format!("suggested: half of it, {:.2e}", s.rate))
            .legend(line_key(style));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}
// ANCHOR_END: draw_lr_finder

/// The validation accuracy of one training run after each epoch, with the
/// run's name.
#[derive(Clone, Debug, PartialEq)]
pub struct AccuracyCurve {
    /// What the run was (its learning rate).
    pub label: String,
    /// Its learning rate.
    pub rate: f32,
    /// The validation accuracy after each epoch.
    pub val_accuracy: Vec<f32>,
}

/// The validation accuracy after each epoch of several runs, one line each.
pub fn draw_rate_comparison<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[AccuracyCurve],
) -> FigureResult {
    let finite: Vec<f32> = runs
        .iter()
        .flat_map(|r| r.val_accuracy.iter().copied())
        .filter(|v| v.is_finite())
        .collect();
    let low = finite.iter().copied().fold(1.0f32, f32::min);
    let high = finite.iter().copied().fold(0.0f32, f32::max);
    let top = ((high * 50.0).ceil() / 50.0 + 0.02).min(1.0);
    let epochs = runs
        .iter()
        .map(|r| r.val_accuracy.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Validation accuracy: the suggested rate against 0.01",
            ("sans-serif", 22),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(
            0.5f32..epochs as f32 + 0.5,
            ((low * 50.0).floor() / 50.0).min(0.8)..top.max(0.9),
        )?;
    chart
        .configure_mesh()
        .x_labels(epochs.min(15))
        .x_label_formatter(&|x| {
            if (x - x.round()).abs() < 1e-4 {
                format!("{x:.0}")
            } else {
                String::new()
            }
        })
        .x_desc("epoch")
        .y_desc("validation accuracy")
        .draw()?;
    for (i, run) in runs.iter().enumerate() {
        let points: Vec<(f32, f32)> = run
            .val_accuracy
            .iter()
            .enumerate()
            .filter(|(_, a)| a.is_finite())
            .map(|(e, &a)| ((e + 1) as f32, a))
            .collect();
        let style = colour(i).stroke_width(2);
        chart
            .draw_series(LineSeries::new(points.clone(), style))?
            .label(run.label.clone())
            .legend(line_key(style));
        chart.draw_series(
            points
                .iter()
                .map(|&p| Circle::new(p, 3, colour(i).filled())),
        )?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// The command line of `cargo run --release -p ch11-tuning -- lr-find`.
#[derive(clap::Args, Debug, Clone, PartialEq)]
pub struct Args {
    /// The first learning rate of the finder's epoch
    #[arg(long, value_name = "RATE", default_value_t = START_RATE)]
    pub start_rate: f32,

    /// The last learning rate (reached only if the loss never blows up)
    #[arg(long, value_name = "RATE", default_value_t = END_RATE)]
    pub end_rate: f32,

    /// Epochs of each of the two comparison runs (suggested rate and 0.01)
    #[arg(
        long,
        value_name = "N",
        default_value_t = 10,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..),
    )]
    pub epochs: usize,

    /// Seed of the initial weights (the shuffles use S + 1)
    #[arg(long, value_name = "S", default_value_t = 42)]
    pub seed: u64,

    /// Write the finder's curve and the comparison's accuracies as CSV
    /// files (lr-finder.csv, lr-comparison.csv) into DIR [default:
    /// target/ch11-tuning]
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    #[command(flatten)]
    pub figures: FigureArgs,
}

/// What the finder found and what the two comparison runs reached.
#[derive(Clone, Debug)]
pub struct FinderReport {
    /// The finder's curve.
    pub curve: LrCurve,
    /// Why the finder's epoch ended before its last batch, if it did.
    pub stopped: Option<String>,
    /// The suggestion.
    pub suggestion: Suggestion,
    /// The comparison runs: suggested rate first, then 0.01.
    pub runs: Vec<AccuracyCurve>,
}

/// Runs the finder: one epoch of the reference model on the 55 000
/// training images with growing rates, then the suggestion, then the
/// comparison runs; prints its report, writes the curve and draws the
/// figures. Every output path is checked before the data is loaded.
pub fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = args.out_dir.clone().unwrap_or_else(|| target_path(""));
    let figures = args.figures.dir();
    check_folder("--out-dir", &out_dir)?;
    for name in CSV_FILES {
        check_file("--out-dir", &out_dir.join(name))?;
    }
    if let Some(dir) = &figures {
        check_folder("--figures", dir)?;
    }
    LrFinder::new(args.start_rate, args.end_rate, 2)?; // the range, before loading
    let Splits { train, valid, .. } = FashionMnist::load()?.into_splits();
    let out = &mut std::io::stdout().lock();

    // ANCHOR: find
    let steps = train.len().div_ceil(32); // one epoch of batches of 32
    let mut finder = LrFinder::new(args.start_rate, args.end_rate, steps)?;
    let mut model = mlp(&HIDDEN, args.start_rate, args.seed)?;
    let options = FitOptions::new()
        .epochs(1)
        .batch_size(32)
        .seed(args.seed.wrapping_add(1))
        .verbose(false)
        .callback(&mut finder);
    let history = model.fit(&train, options)?;
    let curve = finder.curve().clone();
    let suggestion = suggest(&curve.rates, &curve.losses)?;
    // ANCHOR_END: find

    writeln!(
        out,
        "the finder ran {} of {steps} batches, rates {:.2e} to {:.2e}",
        curve.len(),
        curve.rates.first().copied().unwrap_or(f32::NAN),
        curve.rates.last().copied().unwrap_or(f32::NAN)
    )?;
    let why = history
        .stopped
        .as_deref()
        .unwrap_or("it reached the end rate");
    writeln!(out, "stopped: {why}")?;
    writeln!(
        out,
        "lowest smoothed loss: {:.4} at batch {}, rate {:.3e}",
        suggestion.lowest_loss,
        suggestion.lowest_index + 1,
        suggestion.lowest_rate
    )?;
    writeln!(out, "suggested learning rate: {:.3e}", suggestion.rate)?;
    out.flush()?;
    curve.write_csv(&out_dir.join(CSV_FILES[0]))?;

    let mut runs = Vec::new();
    for (label, rate) in [
        (
            format!("suggested rate {:.2e}", suggestion.rate),
            suggestion.rate,
        ),
        (format!("rate {REFERENCE_RATE}"), REFERENCE_RATE),
    ] {
        let history = train_at(rate, args, &train, &valid)?;
        runs.push(AccuracyCurve {
            label,
            rate,
            val_accuracy: history.val_accuracy(),
        });
    }
    write_comparison_csv(&out_dir.join(CSV_FILES[1]), &runs)?;
    eprintln!("curve and accuracies written to {}", out_dir.display());
    writeln!(out, "validation accuracy after each epoch:")?;
    writeln!(
        out,
        "epoch  rate {:<9.3e}  rate {REFERENCE_RATE}",
        suggestion.rate
    )?;
    for e in 0..args.epochs {
        let at = |r: &AccuracyCurve| r.val_accuracy.get(e).copied().unwrap_or(f32::NAN);
        writeln!(
            out,
            "{:>5}  {:>14.4}  {:>9.4}",
            e + 1,
            at(&runs[0]),
            at(&runs[1])
        )?;
    }
    let last = |r: &AccuracyCurve| r.val_accuracy.last().copied().unwrap_or(f32::NAN);
    writeln!(
        out,
        "after {} epochs: suggested rate {:.3e}: val accuracy {:.4}; rate {REFERENCE_RATE}: val accuracy {:.4}",
        args.epochs,
        suggestion.rate,
        last(&runs[0]),
        last(&runs[1])
    )?;
    out.flush()?;

    let report = FinderReport {
        curve,
        stopped: history.stopped,
        suggestion,
        runs,
    };
    if let Some(dir) = figures {
        draw_figures(&dir, &report)?;
        eprintln!("figures written to {}", dir.display());
    }
    Ok(())
}

/// The reference model trained at `rate` for `args.epochs` epochs, with
/// validation after each; it stops if the loss becomes NaN.
fn train_at(
    rate: f32,
    args: &Args,
    train: &ch07_fashion_mnist::Split,
    valid: &ch07_fashion_mnist::Split,
) -> Result<History, Box<dyn std::error::Error>> {
    let mut model = mlp(&HIDDEN, rate, args.seed)?;
    let mut stop_on_nan = TerminateOnNan;
    eprintln!("training at rate {rate:.3e}:");
    let options = FitOptions::new()
        .epochs(args.epochs)
        .batch_size(32)
        .seed(args.seed.wrapping_add(1))
        .validation_data(valid)
        .callback(&mut stop_on_nan);
    Ok(model.fit(train, options)?)
}

/// The CSV files the finder writes: its curve, and the comparison runs'
/// validation accuracy after each epoch.
pub const CSV_FILES: [&str; 2] = ["lr-finder.csv", "lr-comparison.csv"];

/// Writes the comparison runs as CSV: `rate,epoch,val_accuracy`.
pub fn write_comparison_csv(path: &Path, runs: &[AccuracyCurve]) -> std::io::Result<()> {
    write_atomically(path, |file| {
        writeln!(file, "rate,epoch,val_accuracy")?;
        for run in runs {
            for (e, a) in run.val_accuracy.iter().enumerate() {
                writeln!(file, "{},{},{a}", run.rate, e + 1)?;
            }
        }
        Ok(())
    })
}

/// Reads the comparison runs written by [`write_comparison_csv`], in the
/// order of their first row, labelled as the finder labels them.
pub fn read_comparison_csv(path: &Path) -> Result<Vec<AccuracyCurve>, Box<dyn std::error::Error>> {
    let mut runs: Vec<AccuracyCurve> = Vec::new();
    let mut reader = csv::Reader::from_path(path)?;
    for row in reader.deserialize::<(f32, usize, f32)>() {
        let (rate, _epoch, accuracy) = row?;
        match runs.iter_mut().find(|r| r.rate == rate) {
            Some(run) => run.val_accuracy.push(accuracy),
            None => runs.push(AccuracyCurve {
                label: if rate == REFERENCE_RATE {
                    format!("rate {REFERENCE_RATE}")
                } else {
                    format!("suggested rate {rate:.2e}")
                },
                rate,
                val_accuracy: vec![accuracy],
            }),
        }
    }
    Ok(runs)
}

/// Redraws the finder's figures into `figures` from the CSV files a run
/// wrote into `dir` (the `figures` example does).
pub fn draw_from_files(dir: &Path, figures: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let curve = LrCurve::read_csv(&dir.join(CSV_FILES[0]))?;
    let suggestion = suggest(&curve.rates, &curve.losses)?;
    let runs = read_comparison_csv(&dir.join(CSV_FILES[1]))?;
    let report = FinderReport {
        curve,
        stopped: None,
        suggestion,
        runs,
    };
    Ok(draw_figures(figures, &report)?)
}

/// Draws the two figures of the finder into `dir` (see [`FIGURE_FILES`]).
pub fn draw_figures(dir: &Path, report: &FinderReport) -> Result<(), FigureError> {
    let [finder, comparison] = FIGURE_FILES.map(|name| dir.join(name));
    save_svg(&finder, (820, 520), |a| {
        draw_lr_finder(a, &report.curve, Some(&report.suggestion))
    })?;
    save_svg(&comparison, (820, 480), |a| {
        draw_rate_comparison(a, &report.runs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smoother_is_unbiased_on_a_constant() {
        // Without the bias correction the first value would be 0.02 · 3.
        for v in smooth(&[3.0; 50], 0.98) {
            assert!((v - 3.0).abs() < 1e-5, "{v}");
        }
    }

    #[test]
    fn a_bad_range_is_refused() {
        for (start, end, steps) in [
            (0.0, 1.0, 10),
            (1.0, 0.1, 10),
            (1e-5, f32::NAN, 10),
            (1e-5, 1.0, 1),
        ] {
            assert!(LrFinder::new(start, end, steps).is_err());
        }
    }

    #[test]
    fn the_rate_axis_ticks_the_powers_of_ten_and_the_end() {
        let ticks = rate_ticks(1e-5, 0.624);
        assert_eq!(ticks.len(), 6, "{ticks:?}");
        assert!((ticks[0] - 1e-5).abs() < 1e-10 && (ticks[4] - 0.1).abs() < 1e-6);
        assert_eq!(ticks[5], 0.624);
        // An end next to a power of ten adds no tick of its own.
        assert_eq!(rate_ticks(1e-3, 0.15).len(), 3);
    }
}
