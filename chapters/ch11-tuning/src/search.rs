//! Random search over three hyperparameters of the classifier: the number
//! of hidden layers, their width (one width for all of them) and the
//! learning rate. Each trial draws its values at random from the
//! [`SearchSpace`], trains a model for a few epochs and is scored on the
//! validation set; the best configuration is then trained again on the
//! training and validation images together and measured once on the test
//! set.
//!
//! - [`trial`] and [`trials`]: the seeded draw; trial `k` depends only on
//!   the seed and `k`, never on how many trials run or in which order;
//! - [`run_trials`]: the trials, in parallel or not, each row of the CSV
//!   table written as its trial ends, and `--resume` to finish a search
//!   that was stopped;
//! - [`draw_search`]: the validation score against each hyperparameter;
//! - [`run`]: `cargo run --release -p ch11-tuning -- search`.

use std::collections::VecDeque;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::Instant;

use ch00_toolbox::figure::{colour, dot_key, draw_legend, save_svg};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::prelude::*;
use ch00_toolbox::{FigureError, FigureResult, seeded_rng};
use ch07_fashion_mnist::FashionMnist;
use ch08_sequential::TargetKind;
use ch09_training::fit::resolve_engine;
use ch09_training::run::{check_file, check_folder};
use ch09_training::{Dataset, Engine, FitOptions, TerminateOnNan, TrainError, Training};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::cli::{FigureArgs, target_path};
use crate::models::mlp;

/// The number of trials of the default search.
pub const DEFAULT_TRIALS: usize = 12;
/// The epochs of each trial in the default search.
pub const DEFAULT_EPOCHS: usize = 5;
/// The default seed.
pub const DEFAULT_SEED: u64 = 42;
/// Trials run at once by default. The fast engine already spreads each
/// step over two threads: on the book's two-core machine, one trial at a
/// time finished the default search sooner than two when nothing else ran.
pub const DEFAULT_JOBS: usize = 1;

// ANCHOR: space
/// Where the hyperparameters are drawn from (all bounds included).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SearchSpace {
    /// The number of hidden layers, drawn uniformly.
    pub layers: (usize, usize),
    /// The width of every hidden layer, log-uniform.
    pub units: (usize, usize),
    /// The learning rate, log-uniform.
    pub learning_rate: (f32, f32),
}

impl SearchSpace {
    /// The chapter's space: 1 to 3 layers of 16 to 512 units, rates from
    /// 1e-4 to 0.3.
    pub const BOOK: SearchSpace = SearchSpace {
        layers: (1, 3),
        units: (16, 512),
        learning_rate: (1e-4, 0.3),
    };
}
// ANCHOR_END: space

impl SearchSpace {
    /// Checks that every range is well formed: at least one layer and one
    /// unit, low ≤ high, rates positive and finite.
    pub fn check(&self) -> Result<(), SearchError> {
        let (l0, l1) = self.layers;
        let (u0, u1) = self.units;
        let (r0, r1) = self.learning_rate;
        let ok = 1 <= l0
            && l0 <= l1
            && 1 <= u0
            && u0 <= u1
            && r0.is_finite()
            && r1.is_finite()
            && 0.0 < r0
            && r0 <= r1;
        if ok {
            Ok(())
        } else {
            Err(SearchError::Invalid(format!(
                "the search space {self:?} is empty or not positive"
            )))
        }
    }
}

/// One configuration to try.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trial {
    /// Its number, from 0.
    pub index: usize,
    /// The number of hidden layers.
    pub layers: usize,
    /// The width of each hidden layer.
    pub units: usize,
    /// The learning rate of SGD.
    pub learning_rate: f32,
}

impl Trial {
    /// The hidden widths to give [`mlp`]: `units`, `layers` times.
    pub fn hidden(&self) -> Vec<usize> {
        vec![self.units; self.layers]
    }
}

impl fmt::Display for Trial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = if self.layers == 1 { "" } else { "s" };
        write!(
            f,
            "trial {}: {} layer{s} of {} units, learning rate {:.3e}",
            self.index, self.layers, self.units, self.learning_rate
        )
    }
}

// ANCHOR: trial
/// Trial `index` of the search seeded with `seed`. It draws from its own
/// stream of the seed's generator (ChaCha has 2⁶⁴ independent streams), so
/// it is the same whether 3 or 300 trials run, and in whatever order.
pub fn trial(space: &SearchSpace, seed: u64, index: usize) -> Trial {
    let mut rng = seeded_rng(seed);
    rng.set_stream(index as u64);
    let layers = rng.random_range(space.layers.0..=space.layers.1);
    // Log-uniform: uniform in ln(units); floor(e^u) for u uniform in
    // [ln lo, ln(hi + 1)) gives each width n a chance ∝ ln((n + 1) / n).
    let (lo, hi) = (space.units.0 as f64, space.units.1 as f64);
    let u = rng.random_range(lo.ln()..(hi + 1.0).ln());
    let units = (u.exp().floor() as usize).clamp(space.units.0, space.units.1);
    let (r0, r1) = (
        f64::from(space.learning_rate.0),
        f64::from(space.learning_rate.1),
    );
    let learning_rate = if r0 < r1 {
        rng.random_range(r0.ln()..r1.ln()).exp() as f32
    } else {
        r0 as f32
    };
    Trial {
        index,
        layers,
        units,
        learning_rate,
    }
}

/// The first `n` trials of the search seeded with `seed`.
pub fn trials(space: &SearchSpace, seed: u64, n: usize) -> Vec<Trial> {
    (0..n).map(|k| trial(space, seed, k)).collect()
}
// ANCHOR_END: trial

/// How a trial scored on the validation set after its last epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// The validation accuracy.
    pub val_accuracy: f32,
    /// The validation loss.
    pub val_loss: f32,
}

// ANCHOR: record
/// One row of the search's CSV table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialRecord {
    /// The trial's number, from 0.
    pub trial: usize,
    /// The number of hidden layers.
    pub layers: usize,
    /// The width of each hidden layer.
    pub units: usize,
    /// The learning rate.
    pub learning_rate: f32,
    /// The epochs it trained.
    pub epochs: usize,
    /// The validation accuracy after the last epoch.
    pub val_accuracy: f32,
    /// The validation loss after the last epoch.
    pub val_loss: f32,
    /// The wall time of the trial, in seconds.
    pub seconds: f64,
}
// ANCHOR_END: record

/// The CSV table's header line.
pub const CSV_HEADER: [&str; 8] = [
    "trial",
    "layers",
    "units",
    "learning_rate",
    "epochs",
    "val_accuracy",
    "val_loss",
    "seconds",
];

impl TrialRecord {
    /// Whether this row is the trial `t` trained for `epochs` epochs.
    pub fn matches(&self, t: &Trial, epochs: usize) -> bool {
        self.trial == t.index
            && self.layers == t.layers
            && self.units == t.units
            && self.learning_rate == t.learning_rate
            && self.epochs == epochs
    }
}

/// What went wrong in a search.
#[derive(Debug)]
pub enum SearchError {
    /// A setting that cannot work (no trials, no epochs, an empty space).
    Invalid(String),
    /// The CSV table could not be read, or holds rows of another search.
    Csv {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The CSV table could not be written.
    Io {
        /// The file.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// A trial failed to train.
    Train(TrainError),
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::Invalid(why) => write!(f, "{why}"),
            SearchError::Csv { path, problem } => write!(f, "{}: {problem}", path.display()),
            SearchError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            SearchError::Train(e) => write!(f, "a trial failed: {e}"),
        }
    }
}

impl std::error::Error for SearchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SearchError::Io { source, .. } => Some(source),
            SearchError::Train(e) => Some(e),
            _ => None,
        }
    }
}

impl From<TrainError> for SearchError {
    fn from(e: TrainError) -> Self {
        SearchError::Train(e)
    }
}

/// The settings of a search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Search {
    /// Where the trials are drawn from.
    pub space: SearchSpace,
    /// The seed of the draws (and of each trial's weights and shuffles).
    pub seed: u64,
    /// How many trials.
    pub trials: usize,
    /// Epochs per trial.
    pub epochs: usize,
    /// How many trials train at once.
    pub jobs: usize,
}

impl Search {
    /// Refuses a search that cannot run.
    pub fn check(&self) -> Result<(), SearchError> {
        self.space.check()?;
        for (n, what) in [
            (self.trials, "trial"),
            (self.epochs, "epoch"),
            (self.jobs, "job"),
        ] {
            if n == 0 {
                return Err(SearchError::Invalid(format!(
                    "a search needs at least one {what}"
                )));
            }
        }
        Ok(())
    }

    /// The trials of this search.
    pub fn planned(&self) -> Vec<Trial> {
        trials(&self.space, self.seed, self.trials)
    }
}

// ANCHOR: read_finished
/// The rows of the CSV table at `path` from an earlier run of `search`,
/// sorted by trial; an error when the file cannot be read, or when a row is
/// not one of this search's trials (another seed, space or epoch count), or
/// appears twice. A file that does not exist, or is empty, holds no rows.
pub fn read_finished(path: &Path, search: &Search) -> Result<Vec<TrialRecord>, SearchError> {
    let csv_error = |problem: String| SearchError::Csv {
        path: path.to_path_buf(),
        problem,
    };
    if !has_content(path) {
        return Ok(Vec::new());
    }
    let mut reader = csv::Reader::from_path(path).map_err(|e| csv_error(e.to_string()))?;
    let header = reader.headers().map_err(|e| csv_error(e.to_string()))?;
    if header.iter().ne(CSV_HEADER) {
        return Err(csv_error(format!(
            "the header is {:?}, not {}",
            header.iter().collect::<Vec<_>>(),
            CSV_HEADER.join(",")
        )));
    }
    let planned = search.planned();
    let mut rows: Vec<TrialRecord> = Vec::new();
    for row in reader.deserialize::<TrialRecord>() {
        let row = row.map_err(|e| csv_error(e.to_string()))?;
        let Some(t) = planned.get(row.trial) else {
            return Err(csv_error(format!(
                "it holds trial {}, but this search has {} trials (ask for more with --trials)",
                row.trial, search.trials
            )));
        };
        if !row.matches(t, search.epochs) {
            return Err(csv_error(format!(
                "its trial {} ({} layers of {} units, rate {:e}, {} epochs) is not this search's \
                 ({} layers of {} units, rate {:e}, {} epochs): it comes from another seed or \
                 another number of epochs",
                row.trial,
                row.layers,
                row.units,
                row.learning_rate,
                row.epochs,
                t.layers,
                t.units,
                t.learning_rate,
                search.epochs
            )));
        }
        if rows.iter().any(|r| r.trial == row.trial) {
            return Err(csv_error(format!("trial {} appears twice", row.trial)));
        }
        rows.push(row);
    }
    rows.sort_by_key(|r| r.trial);
    Ok(rows)
}
// ANCHOR_END: read_finished

/// Whether `path` is a file with something in it.
fn has_content(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0)
}

/// Opens the CSV table for the rows to come: appended to when resuming a
/// file that exists, else created afresh with its header.
fn open_table(path: &Path, resume: bool) -> Result<csv::Writer<File>, SearchError> {
    let io_error = |source| SearchError::Io {
        path: path.to_path_buf(),
        source,
    };
    let append = resume && has_content(path);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io_error)?;
    }
    let file = if append {
        OpenOptions::new().append(true).open(path)
    } else {
        File::create(path)
    }
    .map_err(io_error)?;
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(file);
    if !append {
        writer
            .write_record(CSV_HEADER)
            .and_then(|()| Ok(writer.flush()?))
            .map_err(|e| io_error(std::io::Error::other(e)))?;
    }
    Ok(writer)
}

/// A bar over the trials on standard error; hidden when standard error is
/// not a terminal (a log file, a test) or when `show` is false.
fn trials_bar(total: usize, done: usize, show: bool) -> ProgressBar {
    let target = if show {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let style = ProgressStyle::with_template("trials {pos}/{len} {bar:20} {elapsed} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("━━─");
    let bar = ProgressBar::with_draw_target(Some(total as u64), target).with_style(style);
    bar.set_position(done as u64);
    bar
}

// ANCHOR: run_trials
/// Runs the trials of `search` that the CSV table at `csv` does not hold
/// yet (with `resume`; without it, all of them into a new table), `jobs`
/// at a time, scoring each with `evaluate`. Each row is written and flushed
/// as its trial ends, so a stopped search loses only the trials under way.
/// Returns every row of the search, sorted by trial. After a failed trial
/// no new trial starts, and the error is returned once the running ones end.
pub fn run_trials<F>(
    search: &Search,
    csv: &Path,
    resume: bool,
    show_progress: bool,
    evaluate: F,
) -> Result<Vec<TrialRecord>, SearchError>
where
    F: Fn(&Trial) -> Result<Score, TrainError> + Sync,
{
    search.check()?;
    let mut rows = if resume {
        read_finished(csv, search)?
    } else {
        Vec::new()
    };
    let todo: VecDeque<Trial> = search
        .planned()
        .into_iter()
        .filter(|t| rows.iter().all(|r| r.trial != t.index))
        .collect();
    let mut table = open_table(csv, resume)?;
    let bar = trials_bar(search.trials, rows.len(), show_progress);
    let queue = Mutex::new(todo);
    let failed = AtomicBool::new(false);
    let (send, receive) = mpsc::channel();
    let mut first_error = None;
    // ANCHOR: workers
    std::thread::scope(|scope| {
        for _ in 0..search.jobs {
            let send = send.clone();
            let (queue, failed, evaluate) = (&queue, &failed, &evaluate);
            scope.spawn(move || {
                while !failed.load(Ordering::Relaxed) {
                    let next = queue.lock().map(|mut q| q.pop_front()).ok().flatten();
                    let Some(t) = next else { break };
                    let start = Instant::now();
                    let score = evaluate(&t);
                    failed.fetch_or(score.is_err(), Ordering::Relaxed);
                    if send
                        .send((t, score, start.elapsed().as_secs_f64()))
                        .is_err()
                    {
                        break;
                    }
                }
            });
        }
        drop(send); // the loop below ends when every worker has
        // ANCHOR_END: workers
        // ANCHOR: rows
        for (t, score, seconds) in receive {
            let row = match score {
                Ok(s) => TrialRecord {
                    trial: t.index,
                    layers: t.layers,
                    units: t.units,
                    learning_rate: t.learning_rate,
                    epochs: search.epochs,
                    val_accuracy: s.val_accuracy,
                    val_loss: s.val_loss,
                    seconds,
                },
                Err(e) => {
                    first_error.get_or_insert(SearchError::Train(e));
                    continue;
                }
            };
            let written = table.serialize(&row).and_then(|()| Ok(table.flush()?));
            if let Err(e) = written {
                failed.store(true, Ordering::Relaxed);
                first_error.get_or_insert(SearchError::Io {
                    path: csv.to_path_buf(),
                    source: std::io::Error::other(e),
                });
            }
            bar.set_message(format!("last: {t}: val accuracy {:.4}", row.val_accuracy));
            bar.inc(1);
            rows.push(row);
        }
        // ANCHOR_END: rows
    });
    bar.finish_and_clear();
    if let Some(e) = first_error {
        return Err(e);
    }
    rows.sort_by_key(|r| r.trial);
    Ok(rows)
}
// ANCHOR_END: run_trials

// ANCHOR: train_trial
/// Trains trial `t` of the search seeded with `seed` for `epochs` epochs on
/// `train` and scores it on `valid`. Its weights and shuffles are seeded
/// from the search's seed and the trial's number.
pub fn train_trial(
    t: &Trial,
    seed: u64,
    epochs: usize,
    train: &dyn Dataset,
    valid: &dyn Dataset,
    engine: Engine,
) -> Result<Score, TrainError> {
    let model_seed = seed.wrapping_add(1000 * t.index as u64);
    let mut model = mlp(&t.hidden(), t.learning_rate, model_seed)?;
    let mut stop_on_nan = TerminateOnNan;
    let options = FitOptions::new()
        .engine(engine)
        .epochs(epochs)
        .batch_size(32)
        .seed(model_seed.wrapping_add(1))
        .verbose(false)
        .validation_data(valid)
        .callback(&mut stop_on_nan);
    let history = model.fit(train, options)?;
    let last = history.last();
    Ok(Score {
        val_accuracy: last.and_then(|r| r.val_accuracy).unwrap_or(f32::NAN),
        val_loss: last.and_then(|r| r.val_loss).unwrap_or(f32::NAN),
    })
}
// ANCHOR_END: train_trial

/// The row with the highest validation accuracy (a NaN never wins; among
/// equals, the earliest trial).
pub fn best(rows: &[TrialRecord]) -> Option<&TrialRecord> {
    rows.iter().filter(|r| r.val_accuracy.is_finite()).fold(
        None,
        |best: Option<&TrialRecord>, r| match best {
            Some(b) if b.val_accuracy >= r.val_accuracy => Some(b),
            _ => Some(r),
        },
    )
}

/// The figure file of the search.
pub const FIGURE_FILE: &str = "search.svg";

// ANCHOR: draw_search
/// The validation accuracy of every trial against each of its three
/// hyperparameters, side by side (units and learning rate on log axes);
/// the best trial in another colour.
pub fn draw_search<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[TrialRecord],
    space: &SearchSpace,
) -> FigureResult {
    let finite: Vec<f32> = rows
        .iter()
        .map(|r| r.val_accuracy)
        .filter(|a| a.is_finite())
        .collect();
    let low = finite.iter().copied().fold(1.0f32, f32::min);
    let high = finite.iter().copied().fold(0.0f32, f32::max);
    let y = ((low * 20.0).floor() / 20.0).min(0.8)..((high * 20.0).ceil() / 20.0).max(0.85);
    let best_trial = best(rows).map(|r| r.trial);
    let area = area.titled(
        "Random search: validation accuracy of each trial",
        ("sans-serif", 22),
    )?;
    let panels = area.split_evenly((1, 3));
    // The other trials translucent, so that dots on top of each other show
    // as a darker dot; the best one solid, in another colour.
    let other = colour(0).mix(0.55).filled();
    let chosen = colour(1).filled();
    let is_best = |r: &TrialRecord| Some(r.trial) == best_trial;
    // One panel's dots, in two series (the others, then the best) so that
    // the legend can name each; `x` places a trial on the panel's axis.
    let dots = |x: &dyn Fn(&TrialRecord) -> f32, best: bool| -> Vec<Circle<(f32, f32), i32>> {
        rows.iter()
            .filter(|r| r.val_accuracy.is_finite() && is_best(r) == best)
            .map(|r| {
                let style = if best { chosen } else { other };
                Circle::new((x(r), r.val_accuracy), 5, style)
            })
            .collect()
    };
    // The number of layers is a count: no gridlines between its values,
    // and each trial's dot moved a little sideways (by its trial number),
    // so that trials of the same depth and score do not hide each other.
    let jitter = |r: &TrialRecord| r.layers as f32 + ((r.trial % 5) as f32 - 2.0) * 0.07;
    let (l0, l1) = (space.layers.0 as f32, space.layers.1 as f32);
    let mut chart = ChartBuilder::on(&panels[0])
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(l0 - 0.5..l1 + 0.5, y.clone())?;
    chart
        .configure_mesh()
        .x_labels(space.layers.1 - space.layers.0 + 1)
        .x_max_light_lines(0)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .x_desc("hidden layers (dots spread sideways)")
        .y_desc("validation accuracy")
        .draw()?;
    chart.draw_series(dots(&jitter, false))?;
    chart.draw_series(dots(&jitter, true))?;
    // Widths on a log axis in base 2, labelled at the powers of 2.
    let (w0, w1) = (
        (space.units.0 as f32).log2().floor() - 0.5,
        (space.units.1 as f32).log2().ceil() + 0.5,
    );
    let mut chart = ChartBuilder::on(&panels[1])
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(w0..w1, y.clone())?;
    chart
        .configure_mesh()
        .x_labels((w1 - w0) as usize + 1)
        .x_label_formatter(&|x| format!("{:.0}", 2f32.powf(*x)))
        .x_desc("units per layer (log scale)")
        .draw()?;
    let log_units = |r: &TrialRecord| (r.units as f32).log2();
    chart.draw_series(dots(&log_units, false))?;
    chart.draw_series(dots(&log_units, true))?;
    let rates = (space.learning_rate.0 * 0.7)..(space.learning_rate.1 * 1.4);
    let mut chart = ChartBuilder::on(&panels[2])
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(rates.log_scale(), y)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|x| format!("{x:.0e}"))
        .x_desc("learning rate (log scale)")
        .draw()?;
    let rate = |r: &TrialRecord| r.learning_rate;
    chart
        .draw_series(dots(&rate, false))?
        .label("the other trials")
        .legend(dot_key(other, 5));
    if let Some(trial) = best_trial {
        chart
            .draw_series(dots(&rate, true))?
            .label(format!("the best, trial {trial}"))
            .legend(dot_key(chosen, 5));
    }
    // The lower right: the large rates, which did well, leave it empty.
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    Ok(())
}
// ANCHOR_END: draw_search

/// The command line of `cargo run --release -p ch11-tuning -- search`.
#[derive(clap::Args, Debug, Clone, PartialEq)]
pub struct Args {
    /// How many configurations to try
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_TRIALS,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..),
    )]
    pub trials: usize,

    /// Epochs of each trial (and of the final training)
    #[arg(
        long,
        value_name = "E",
        default_value_t = DEFAULT_EPOCHS,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..),
    )]
    pub epochs: usize,

    /// Seed of the draws, the weights and the shuffles
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED)]
    pub seed: u64,

    /// Trials trained at once
    #[arg(
        long,
        value_name = "J",
        default_value_t = DEFAULT_JOBS,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..),
    )]
    pub jobs: usize,

    /// Run only the trials the CSV table does not hold yet (without it, a
    /// new table replaces the old one)
    #[arg(long)]
    pub resume: bool,

    /// The CSV table of the trials [default: target/ch11-tuning/search.csv]
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,

    #[command(flatten)]
    pub figures: FigureArgs,
}

/// Runs the search on Fashion-MNIST (55 000 training, 5 000 validation
/// images), prints every trial, retrains the best configuration on all 60
/// 000 training images and prints its accuracy on the test set, measured
/// once. Every output path is checked before the data is loaded.
pub fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let search = Search {
        space: SearchSpace::BOOK,
        seed: args.seed,
        trials: args.trials,
        epochs: args.epochs,
        jobs: args.jobs,
    };
    search.check()?;
    let csv = args
        .csv
        .clone()
        .unwrap_or_else(|| target_path("search.csv"));
    let figures = args.figures.dir();
    check_file("--csv", &csv)?;
    if let Some(dir) = &figures {
        check_folder("--figures", dir)?;
    }
    if args.resume {
        read_finished(&csv, &search)?; // a foreign table, before loading
    }
    let start = Instant::now();
    let data = FashionMnist::load()?;
    let (train, valid) = data.validation_split();
    let out = &mut std::io::stdout().lock();
    let probe = mlp(&[SearchSpace::BOOK.units.0], 0.01, 0)?;
    let engine = resolve_engine(Engine::Auto, &probe, TargetKind::Labels)?;
    eprintln!("the trials train on the engine: {}", engine.name());

    // ANCHOR: search_call
    let rows = run_trials(&search, &csv, args.resume, true, |t| {
        train_trial(t, search.seed, search.epochs, &train, &valid, Engine::Auto)
    })?;
    // ANCHOR_END: search_call
    eprintln!("trials written to {}", csv.display());
    writeln!(
        out,
        "{} trials of {} epochs, seed {}:",
        search.trials, search.epochs, search.seed
    )?;
    writeln!(
        out,
        "trial  layers  units  learning rate  val accuracy  val loss"
    )?;
    for r in &rows {
        writeln!(
            out,
            "{:>5}  {:>6}  {:>5}  {:>13.3e}  {:>12.4}  {:>8.4}",
            r.trial, r.layers, r.units, r.learning_rate, r.val_accuracy, r.val_loss
        )?;
    }
    let best = best(&rows).ok_or("no trial reached a finite validation accuracy")?;
    let chosen = trial(&search.space, search.seed, best.trial);
    writeln!(out, "best: {chosen}: val accuracy {:.4}", best.val_accuracy)?;
    out.flush()?;

    // ANCHOR: final_training
    // The chosen configuration, trained again on all 60 000 training
    // images (validation included), then measured once on the test set.
    let mut model = mlp(&chosen.hidden(), chosen.learning_rate, search.seed)?;
    let mut stop_on_nan = TerminateOnNan;
    let options = FitOptions::new()
        .epochs(search.epochs)
        .seed(search.seed.wrapping_add(1))
        .verbose(false)
        .callback(&mut stop_on_nan);
    model.fit(&data.train, options)?;
    let test = model.evaluate(&data.test)?;
    // ANCHOR_END: final_training
    let accuracy = test.accuracy.unwrap_or(f32::NAN);
    writeln!(
        out,
        "retrained on {} images for {} epochs",
        data.train.len(),
        search.epochs
    )?;
    writeln!(out, "test accuracy: {accuracy:.4}")?;
    out.flush()?;
    if let Some(dir) = figures {
        let path = dir.join(FIGURE_FILE);
        save_svg(&path, (1100, 420), |a| draw_search(a, &rows, &search.space))?;
        eprintln!("figure written to {}", path.display());
    }
    eprintln!(
        "wall time: {:.1} s with {} job(s)",
        start.elapsed().as_secs_f64(),
        search.jobs
    );
    Ok(())
}

/// Draws the search's figure from its CSV table (for the `figures`
/// example): every row of the file, checked against nothing.
pub fn draw_from_csv(csv: &Path, figure: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut reader = csv::Reader::from_path(csv)?;
    let rows: Vec<TrialRecord> = reader.deserialize().collect::<Result<_, _>>()?;
    save_svg(figure, (1100, 420), |a| {
        draw_search(a, &rows, &SearchSpace::BOOK)
    })
    .map_err(|e: FigureError| e.into())
}
