//! Depth, width and batch size, measured: `cargo run --release -p
//! ch11-tuning -- sweep depth|width|batch|all`.
//!
//! A *sweep* trains the same classifier several times on Fashion-MNIST,
//! changing one setting between runs and keeping everything else fixed
//! (the data, the seed, the optimizer, the number of epochs), and reports
//! what each run measured:
//!
//! - **depth**: 1 to 4 hidden layers of equal width, the width chosen so
//!   that every model has about as many parameters as the reference
//!   784-300-100-10 (266 610); see [`width_for_budget`];
//! - **width**: one hidden layer of 50 to 1000 units, to see where more
//!   units stop helping the validation accuracy while the training
//!   accuracy keeps rising;
//! - **batch**: batches of 8 to 512 samples, at the reference learning rate
//!   0.01 and at a rate scaled in proportion to the batch
//!   ([`scaled_rate`]), timed in seconds as well as in epochs.
//!
//! Every model is built by [`crate::models::mlp`] and trained by chapter 9's
//! `fit`. The tables go to standard output; the figures (see
//! [`crate::sweep_figures`]) to `target/ch11-tuning/figures` unless
//! `--figures` names another folder.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use ch07_fashion_mnist::{DataError, FashionMnist, Split, Splits};
use ch09_training::run::{OutputError, check_folder};
use ch09_training::{Engine, EpochRecord, FitOptions, TerminateOnNan, TrainError, Training};

use crate::cli::FigureArgs;
use crate::models::{mlp, parameter_count};
use crate::sweep_figures::{self, FIGURE_FILES};

/// The learning rate of the reference model, and of every sweep's runs
/// unless the batch sweep scales it.
pub const BASE_RATE: f32 = 0.01;
/// The batch size at which a scaled learning rate equals [`BASE_RATE`].
pub const REFERENCE_BATCH: usize = 32;
/// The hidden widths of the reference model.
pub const REFERENCE_HIDDEN: [usize; 2] = [300, 100];
/// The depths the depth sweep tries.
pub const DEPTHS: [usize; 4] = [1, 2, 3, 4];
/// The widths the width sweep tries.
pub const WIDTHS: [usize; 6] = [50, 100, 200, 300, 500, 1000];
/// The batch sizes the batch sweep tries.
pub const BATCH_SIZES: [usize; 7] = [8, 16, 32, 64, 128, 256, 512];
/// The default number of epochs of every run of the depth and width sweeps.
pub const DEFAULT_EPOCHS: usize = 10;
/// The default number of epochs of every run of the batch sweep (its
/// small batches are slow: one epoch of batches of 8 takes 6 875 steps).
pub const DEFAULT_BATCH_EPOCHS: usize = 5;
/// The largest parameter budget [`width_for_budget`] accepts: a billion
/// numbers, 4 GB of weights, far beyond anything trained here.
pub const MAX_BUDGET: usize = 1_000_000_000;
/// The deepest stack [`width_for_budget`] accepts.
pub const MAX_DEPTH: usize = 64;

/// Which sweep to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// 1 to 4 hidden layers at a fixed number of parameters.
    Depth,
    /// One hidden layer of 50 to 1000 units.
    Width,
    /// Batches of 8 to 512, learning rate unscaled and scaled.
    Batch,
    /// The three, one after the other.
    All,
}

/// One sweep: what it varies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sweep {
    /// The number of hidden layers, at a fixed parameter budget.
    Depth,
    /// The number of units of a single hidden layer.
    Width,
    /// The batch size, with the learning rate unscaled and scaled.
    Batch,
}

impl Sweep {
    /// `depth`, `width` or `batch`.
    pub fn name(self) -> &'static str {
        match self {
            Sweep::Depth => "depth",
            Sweep::Width => "width",
            Sweep::Batch => "batch",
        }
    }
}

impl Which {
    /// The sweeps this choice runs, in order.
    pub fn sweeps(self) -> Vec<Sweep> {
        match self {
            Which::Depth => vec![Sweep::Depth],
            Which::Width => vec![Sweep::Width],
            Which::Batch => vec![Sweep::Batch],
            Which::All => vec![Sweep::Depth, Sweep::Width, Sweep::Batch],
        }
    }
}

/// The command line of `sweep`.
#[derive(clap::Args, Debug, Clone)]
#[command(after_help = "\
Every run trains a fresh model from the same seed on Fashion-MNIST (55 000
training and 5 000 validation images, read from $FASHION_MNIST_DIR when it is
set). The tables go to standard output, with each run's wall time: times
depend on the machine and on what else it is doing. The figures go to
target/ch11-tuning/figures unless --figures names a folder; the book's own are
redrawn with --figures book/figures/ch11-tuning.")]
pub struct Args {
    /// Which sweep to run
    #[arg(value_enum)]
    pub which: Which,

    /// Epochs of every run of the depth and width sweeps
    #[arg(long, value_name = "N", default_value_t = DEFAULT_EPOCHS)]
    pub epochs: usize,

    /// Epochs of every run of the batch sweep
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH_EPOCHS)]
    pub batch_epochs: usize,

    /// Seed of every model's initial weights (the shuffles use S + 1)
    #[arg(long, value_name = "S", default_value_t = 42)]
    pub seed: u64,

    /// The depths of the depth sweep
    #[arg(long, value_name = "D,..", value_delimiter = ',', default_values_t = DEPTHS)]
    pub depths: Vec<usize>,

    /// The parameter budget of the depth sweep [default: the reference
    /// model's 266 610]
    #[arg(long, value_name = "N")]
    pub budget: Option<usize>,

    /// The widths of the width sweep
    #[arg(long, value_name = "W,..", value_delimiter = ',', default_values_t = WIDTHS)]
    pub widths: Vec<usize>,

    /// The batch sizes of the batch sweep
    #[arg(long, value_name = "B,..", value_delimiter = ',', default_values_t = BATCH_SIZES)]
    pub batch_sizes: Vec<usize>,

    /// Train on the first N training images only (a quick look)
    #[arg(long, value_name = "N")]
    pub train_images: Option<usize>,

    #[command(flatten)]
    pub figures: FigureArgs,

    /// The engine that trains the batches: clear, fast, or auto
    #[arg(long, value_enum, default_value_t = Engine::Auto)]
    pub engine: Engine,
}

/// What can go wrong in a sweep.
#[derive(Debug)]
pub enum SweepError {
    /// A list of settings to sweep is empty; names the list.
    EmptyList(&'static str),
    /// A setting that must be at least 1 is 0; names it.
    Zero(&'static str),
    /// No width of `depth` equal layers fits the parameter budget.
    Budget {
        /// The number of hidden layers.
        depth: usize,
        /// The budget asked for.
        budget: usize,
        /// Why it cannot be met.
        reason: String,
    },
    /// A learning rate that is not a positive finite number.
    Rate(String),
    /// An output path cannot be written (found before any training).
    Output(OutputError),
    /// Loading the data or training failed.
    Train(TrainError),
    /// The tables could not be printed.
    Print(io::Error),
    /// A recorded table could not be read back: what was wrong, and where.
    Table(String),
}

impl fmt::Display for SweepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SweepError::EmptyList(what) => {
                write!(f, "nothing to sweep: the list of {what} is empty")
            }
            SweepError::Zero(what) => write!(f, "{what} must be at least 1, not 0"),
            SweepError::Budget {
                depth,
                budget,
                reason,
            } => write!(
                f,
                "no width of {depth} hidden layer(s) fits a budget of {budget} parameters: {reason}"
            ),
            SweepError::Rate(why) => write!(f, "learning rate: {why}"),
            SweepError::Output(e) => write!(f, "{e}"),
            SweepError::Train(e) => write!(f, "{e}"),
            SweepError::Print(e) => write!(f, "could not print the table: {e}"),
            SweepError::Table(why) => write!(f, "cannot read the recorded table: {why}"),
        }
    }
}

impl std::error::Error for SweepError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SweepError::Output(e) => Some(e),
            SweepError::Train(e) => Some(e),
            SweepError::Print(e) => Some(e),
            _ => None,
        }
    }
}

impl From<TrainError> for SweepError {
    fn from(e: TrainError) -> Self {
        SweepError::Train(e)
    }
}

impl From<DataError> for SweepError {
    fn from(e: DataError) -> Self {
        SweepError::Train(e.into())
    }
}

impl From<OutputError> for SweepError {
    fn from(e: OutputError) -> Self {
        SweepError::Output(e)
    }
}

impl From<io::Error> for SweepError {
    fn from(e: io::Error) -> Self {
        SweepError::Print(e)
    }
}

// ANCHOR: width_for_budget
/// The width `w` of `depth` equal hidden layers whose model (784 inputs,
/// 10 outputs) has the number of parameters nearest to `budget` (the
/// narrower one on a tie). The count grows with `w`, so a binary search
/// finds the widest `w` whose count is at most the budget; the next width
/// up may be nearer.
pub fn width_for_budget(depth: usize, budget: usize) -> Result<usize, SweepError> {
    let fail = |reason: String| SweepError::Budget {
        depth,
        budget,
        reason,
    };
    if depth == 0 {
        return Err(SweepError::Zero("the number of hidden layers"));
    }
    if depth > MAX_DEPTH || budget > MAX_BUDGET {
        let limits = format!("at most {MAX_DEPTH} layers and {MAX_BUDGET} parameters");
        return Err(fail(limits));
    }
    let count = |w: usize| parameter_count(&vec![w; depth]);
    if count(1) > budget {
        return Err(fail(format!(
            "one unit per layer already needs {}",
            count(1)
        )));
    }
    // count(low) <= budget < count(high): every unit of the first layer
    // alone takes 785 weights, so `high` is past the budget.
    let (mut low, mut high) = (1, budget / 785 + 2);
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if count(middle) <= budget {
            low = middle;
        } else {
            high = middle;
        }
    }
    let below = budget - count(low);
    let above = count(high) - budget;
    Ok(if above < below { high } else { low })
}
// ANCHOR_END: width_for_budget

// ANCHOR: scaled_rate
/// The learning rate for batches of `batch` samples by the *linear scaling
/// rule*: `base` at `reference` samples, and in proportion to the batch
/// size otherwise, so that an epoch's fewer, larger steps move the weights
/// about as far as its many small ones.
pub fn scaled_rate(base: f32, batch: usize, reference: usize) -> Result<f32, SweepError> {
    if batch == 0 {
        return Err(SweepError::Zero("the batch size"));
    }
    if reference == 0 {
        return Err(SweepError::Zero("the reference batch size"));
    }
    let rate = base * (batch as f32 / reference as f32);
    if !(base > 0.0 && rate.is_finite() && rate > 0.0) {
        return Err(SweepError::Rate(format!(
            "{base} × {batch} / {reference} is not a positive finite number"
        )));
    }
    Ok(rate)
}
// ANCHOR_END: scaled_rate

/// How the batch sweep chose a run's learning rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// [`BASE_RATE`] whatever the batch size.
    Unscaled,
    /// [`scaled_rate`] of [`BASE_RATE`].
    Scaled,
    /// Both rules give the same rate (at the reference batch size): one run
    /// serves both.
    Both,
}

impl Rule {
    /// `unscaled`, `scaled` or `both`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Unscaled => "unscaled",
            Rule::Scaled => "scaled",
            Rule::Both => "both",
        }
    }

    /// Whether a run of this rule belongs to the curves of `rule`.
    pub fn serves(self, rule: Rule) -> bool {
        self == rule || self == Rule::Both
    }
}

/// One run of a sweep: the model and how it is trained.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The widths of the hidden layers, given to [`mlp`].
    pub hidden: Vec<usize>,
    /// The learning rate of SGD.
    pub learning_rate: f32,
    /// The number of samples per step.
    pub batch_size: usize,
    /// For the batch sweep, how the learning rate was chosen.
    pub rule: Option<Rule>,
}

impl Config {
    /// The number of learned numbers of the model.
    pub fn parameters(&self) -> usize {
        parameter_count(&self.hidden)
    }

    /// A short name: `1×335`, `2×254`, `300-100`.
    pub fn shape(&self) -> String {
        match self.hidden.as_slice() {
            [first, rest @ ..] if rest.iter().all(|w| w == first) && !rest.is_empty() => {
                format!("{}×{first}", self.hidden.len())
            }
            _ => self
                .hidden
                .iter()
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
                .join("-"),
        }
    }
}

/// Refuses an empty list and a zero in it.
fn check_list(list: &[usize], name: &'static str, one: &'static str) -> Result<(), SweepError> {
    if list.is_empty() {
        return Err(SweepError::EmptyList(name));
    }
    if list.contains(&0) {
        return Err(SweepError::Zero(one));
    }
    Ok(())
}

// ANCHOR: configs
/// The depth sweep's runs: for each depth, equal layers as wide as the
/// budget allows ([`width_for_budget`]), at [`BASE_RATE`], batches of 32.
pub fn depth_configs(depths: &[usize], budget: usize) -> Result<Vec<Config>, SweepError> {
    check_list(depths, "depths", "a depth")?;
    let mut configs = Vec::new();
    for &depth in depths {
        let width = width_for_budget(depth, budget)?;
        configs.push(Config {
            hidden: vec![width; depth],
            learning_rate: BASE_RATE,
            batch_size: REFERENCE_BATCH,
            rule: None,
        });
    }
    Ok(configs)
}

/// The width sweep's runs: one hidden layer of each width.
pub fn width_configs(widths: &[usize]) -> Result<Vec<Config>, SweepError> {
    check_list(widths, "widths", "a width")?;
    Ok(widths
        .iter()
        .map(|&w| Config {
            hidden: vec![w],
            learning_rate: BASE_RATE,
            batch_size: REFERENCE_BATCH,
            rule: None,
        })
        .collect())
}

// ANCHOR_END: configs

// ANCHOR: batch_configs
/// The batch sweep's runs, on the reference model: for each batch size, one
/// run at [`BASE_RATE`] and one at the scaled rate, or a single run where
/// the two rates are equal.
pub fn batch_configs(batch_sizes: &[usize]) -> Result<Vec<Config>, SweepError> {
    check_list(batch_sizes, "batch sizes", "the batch size")?;
    let mut configs = Vec::new();
    for &batch in batch_sizes {
        let scaled = scaled_rate(BASE_RATE, batch, REFERENCE_BATCH)?;
        let run = |learning_rate, rule| Config {
            hidden: REFERENCE_HIDDEN.to_vec(),
            learning_rate,
            batch_size: batch,
            rule: Some(rule),
        };
        if scaled == BASE_RATE {
            configs.push(run(BASE_RATE, Rule::Both));
        } else {
            configs.push(run(BASE_RATE, Rule::Unscaled));
            configs.push(run(scaled, Rule::Scaled));
        }
    }
    Ok(configs)
}
// ANCHOR_END: batch_configs

/// The settings every run of a sweep shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Passes over the training images.
    pub epochs: usize,
    /// The seed of the initial weights; the shuffles use `seed + 1`.
    pub seed: u64,
    /// The engine `fit` uses.
    pub engine: Engine,
    /// Whether `fit` prints its progress line (to standard error).
    pub verbose: bool,
}

/// What one run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct RunResult {
    /// The run.
    pub config: Config,
    /// One record per epoch, as `fit` returned them.
    pub epochs: Vec<EpochRecord>,
    /// Why training stopped early, if it did.
    pub stopped: Option<String>,
    /// The accuracy on the whole training set after training (measured
    /// for the depth and width sweeps only).
    pub train_accuracy: Option<f32>,
    /// The wall time of `fit`, in seconds.
    pub seconds: f64,
}

impl RunResult {
    /// The validation accuracy after the last epoch.
    pub fn final_val_accuracy(&self) -> Option<f32> {
        self.epochs.last().and_then(|r| r.val_accuracy)
    }

    /// The validation loss after the last epoch.
    pub fn final_val_loss(&self) -> Option<f32> {
        self.epochs.last().and_then(|r| r.val_loss)
    }

    /// The best validation accuracy and the (first) epoch that reached it.
    pub fn best_val_accuracy(&self) -> Option<(usize, f32)> {
        let mut best: Option<(usize, f32)> = None;
        for r in &self.epochs {
            if let Some(a) = r.val_accuracy.filter(|a| a.is_finite())
                && best.is_none_or(|(_, b)| a > b)
            {
                best = Some((r.epoch, a));
            }
        }
        best
    }

    /// `(seconds since the start of training, validation accuracy)` after
    /// each epoch: the curve against wall-clock time.
    pub fn accuracy_over_time(&self) -> Vec<(f64, f64)> {
        let mut clock = 0.0;
        self.epochs
            .iter()
            .filter_map(|r| {
                clock += r.seconds;
                r.val_accuracy.map(|a| (clock, f64::from(a)))
            })
            .collect()
    }
}

/// A whole sweep: its runs in order, and how long it took.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepReport {
    /// Which sweep.
    pub sweep: Sweep,
    /// The settings all runs shared.
    pub settings: Settings,
    /// The number of training images.
    pub train_images: usize,
    /// The number of validation images.
    pub valid_images: usize,
    /// What each run measured.
    pub runs: Vec<RunResult>,
    /// The wall time of the whole sweep, in seconds (training and the
    /// measurements after it).
    pub seconds: f64,
}

// ANCHOR: train_one
/// Trains one run's model from scratch and measures it.
pub fn train_one(
    config: &Config,
    settings: &Settings,
    train: &Split,
    valid: &Split,
    measure_train: bool,
) -> Result<RunResult, SweepError> {
    let mut model = mlp(&config.hidden, config.learning_rate, settings.seed)?;
    let mut stop_on_nan = TerminateOnNan;
    let options = FitOptions::new()
        .engine(settings.engine)
        .epochs(settings.epochs)
        .batch_size(config.batch_size)
        .seed(settings.seed.wrapping_add(1))
        .verbose(settings.verbose)
        .validation_data(valid)
        .callback(&mut stop_on_nan);
    let start = Instant::now();
    let history = model.fit(train, options)?;
    let seconds = start.elapsed().as_secs_f64();
    let train_accuracy = match measure_train {
        true => model.evaluate(train)?.accuracy,
        false => None,
    };
    Ok(RunResult {
        config: config.clone(),
        epochs: history.epochs,
        stopped: history.stopped,
        train_accuracy,
        seconds,
    })
}
// ANCHOR_END: train_one

/// Runs every configuration of `sweep` in turn and returns what each
/// measured. Before each run a line naming it goes to standard error when
/// `settings.verbose` is set.
pub fn run_sweep(
    sweep: Sweep,
    configs: &[Config],
    settings: &Settings,
    train: &Split,
    valid: &Split,
) -> Result<SweepReport, SweepError> {
    if configs.is_empty() {
        return Err(SweepError::EmptyList("runs"));
    }
    if settings.epochs == 0 {
        return Err(SweepError::Zero("the number of epochs"));
    }
    let start = Instant::now();
    let mut runs = Vec::with_capacity(configs.len());
    for (i, config) in configs.iter().enumerate() {
        if settings.verbose {
            eprintln!(
                "{} sweep, run {} of {}: {} hidden, {} parameters, batch {}, learning rate {}",
                sweep.name(),
                i + 1,
                configs.len(),
                config.shape(),
                config.parameters(),
                config.batch_size,
                config.learning_rate
            );
        }
        let measure_train = sweep != Sweep::Batch;
        runs.push(train_one(config, settings, train, valid, measure_train)?);
    }
    Ok(SweepReport {
        sweep,
        settings: *settings,
        train_images: train.len(),
        valid_images: valid.len(),
        runs,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// A number with 4 decimals, or `-` when missing or not finite.
fn four(v: Option<f32>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v:.4}"),
        _ => "-".into(),
    }
}

impl SweepReport {
    /// The table of the sweep: a title line, a header line, one row per
    /// run, then the validation accuracy after each epoch, one row per run.
    pub fn table(&self) -> String {
        let mut t = String::new();
        let s = &self.settings;
        let title = match self.sweep {
            Sweep::Depth => "depth: equal hidden layers at a fixed number of parameters",
            Sweep::Width => "width: one hidden layer",
            Sweep::Batch => "batch size: the 300-100 model, learning rate unscaled and scaled",
        };
        t += &format!(
            "{title}; {} training and {} validation images, {} epoch{}, seed {}\n",
            self.train_images,
            self.valid_images,
            s.epochs,
            if s.epochs == 1 { "" } else { "s" },
            s.seed
        );
        let head = match self.sweep {
            Sweep::Depth => {
                "depth  hidden    parameters  train_acc  val_acc  val_loss  best_val_acc  best_epoch  seconds"
            }
            Sweep::Width => {
                "width  parameters  train_acc  val_acc  gap     best_val_acc  best_epoch  seconds"
            }
            Sweep::Batch => {
                "batch  rule      rate     steps/epoch  val_acc  val_loss  best_val_acc  best_epoch  seconds  s/epoch"
            }
        };
        t += head;
        t += "\n";
        for run in &self.runs {
            t += &self.row(run);
            t += "\n";
        }
        t += "validation accuracy after each epoch:\n";
        for run in &self.runs {
            let label = match self.sweep {
                Sweep::Depth => format!("depth {}", run.config.hidden.len()),
                Sweep::Width => format!("width {}", run.config.hidden.first().unwrap_or(&0)),
                Sweep::Batch => format!(
                    "batch {} {}",
                    run.config.batch_size,
                    run.config.rule.map_or("", Rule::name)
                ),
            };
            let values: Vec<String> = run.epochs.iter().map(|r| four(r.val_accuracy)).collect();
            t += &format!("  {label:<18} {}\n", values.join(" "));
        }
        for run in &self.runs {
            if let Some(why) = &run.stopped {
                t += &format!("  {} stopped early: {why}\n", run.config.shape());
            }
        }
        t
    }

    /// One row of the table.
    fn row(&self, run: &RunResult) -> String {
        let c = &run.config;
        let (best_epoch, best) = match run.best_val_accuracy() {
            Some((e, a)) => (e.to_string(), four(Some(a))),
            None => ("-".into(), "-".into()),
        };
        let val = four(run.final_val_accuracy());
        let loss = four(run.final_val_loss());
        let train = four(run.train_accuracy);
        match self.sweep {
            Sweep::Depth => format!(
                "{:>5}  {:<8}  {:>10}  {train:>9}  {val:>7}  {loss:>8}  {best:>12}  {best_epoch:>10}  {:>7.1}",
                c.hidden.len(),
                c.shape(),
                c.parameters(),
                run.seconds
            ),
            Sweep::Width => {
                let gap = match (run.train_accuracy, run.final_val_accuracy()) {
                    (Some(t), Some(v)) if (t - v).is_finite() => format!("{:+.4}", t - v),
                    _ => "-".into(),
                };
                format!(
                    "{:>5}  {:>10}  {train:>9}  {val:>7}  {gap:<7} {best:>12}  {best_epoch:>10}  {:>7.1}",
                    c.hidden.first().unwrap_or(&0),
                    c.parameters(),
                    run.seconds
                )
            }
            Sweep::Batch => {
                let steps = self.train_images.div_ceil(c.batch_size.max(1));
                let per_epoch = run.seconds / run.epochs.len().max(1) as f64;
                format!(
                    "{:>5}  {:<8}  {:<7}  {steps:>11}  {val:>7}  {loss:>8}  {best:>12}  {best_epoch:>10}  {:>7.1}  {per_epoch:>7.2}",
                    c.batch_size,
                    c.rule.map_or("-", Rule::name),
                    format!("{}", c.learning_rate),
                    run.seconds
                )
            }
        }
    }
}

/// Reads back a width sweep's table as [`SweepReport::table`] printed it
/// (lines starting with `#` and blank lines are skipped), so that its
/// figure can be redrawn from a recorded run without training again.
///
/// The table holds what the width figure draws: each run's training
/// accuracy and its validation accuracy after every epoch. It does not
/// hold the per-epoch losses or times, so the records it rebuilds have a
/// training loss of NaN, no validation loss and 0 seconds, and the engine
/// is unknown (`Auto`). Each row's `val_acc` and `best_val_acc` columns
/// must agree with its per-epoch accuracies, or the table is refused.
pub fn width_report_from_table(text: &str) -> Result<SweepReport, SweepError> {
    let bad = |why: String| SweepError::Table(why);
    let mut lines = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    let title = lines
        .next()
        .ok_or_else(|| bad("the table is empty".into()))?;
    let rest = title
        .strip_prefix("width: one hidden layer; ")
        .ok_or_else(|| bad(format!("not a width sweep's title: {title:?}")))?;
    // "55000 training and 5000 validation images, 10 epochs, seed 42"
    let words: Vec<&str> = rest.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let number = |i: usize, what: &str| -> Result<u64, SweepError> {
        words
            .get(i)
            .and_then(|w| w.parse().ok())
            .ok_or_else(|| bad(format!("no {what} in the title {title:?}")))
    };
    let train_images = number(0, "number of training images")? as usize;
    let valid_images = number(3, "number of validation images")? as usize;
    let epochs = number(6, "number of epochs")? as usize;
    let seed = number(9, "seed")?;
    let header = lines.next().unwrap_or("");
    if header.split_whitespace().next() != Some("width") {
        return Err(bad(format!("not the width table's header: {header:?}")));
    }
    let parse = |word: &str, line: &str| -> Result<f64, SweepError> {
        word.parse()
            .map_err(|_| bad(format!("{word:?} is not a number, in {line:?}")))
    };
    let mut rows = Vec::new();
    for line in lines.by_ref() {
        if line == "validation accuracy after each epoch:" {
            break;
        }
        let cells: Vec<&str> = line.split_whitespace().collect();
        if cells.len() != 8 {
            return Err(bad(format!("a row of 8 columns expected, found {line:?}")));
        }
        let width = parse(cells[0], line)? as usize;
        let train_accuracy = parse(cells[2], line)? as f32;
        let seconds = parse(cells[7], line)?;
        rows.push((width, train_accuracy, cells[3], cells[5], seconds));
    }
    let mut runs = Vec::with_capacity(rows.len());
    for (width, train_accuracy, val, best, seconds) in rows {
        let line = lines
            .next()
            .ok_or_else(|| bad(format!("no accuracies after each epoch for width {width}")))?;
        let label = format!("width {width} ");
        let values = line
            .trim_start()
            .strip_prefix(&label)
            .ok_or_else(|| bad(format!("{label:?} expected at the start of {line:?}")))?;
        let epochs = values
            .split_whitespace()
            .enumerate()
            .map(|(i, v)| {
                Ok(EpochRecord {
                    epoch: i + 1,
                    loss: f32::NAN,
                    accuracy: None,
                    mae: None,
                    val_loss: None,
                    val_accuracy: Some(parse(v, line)? as f32),
                    val_mae: None,
                    seconds: 0.0,
                    engine: Engine::Auto,
                    outputs: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>, SweepError>>()?;
        let run = RunResult {
            config: width_configs(&[width])?.remove(0),
            epochs,
            stopped: None,
            train_accuracy: Some(train_accuracy),
            seconds,
        };
        let (last, top) = (
            four(run.final_val_accuracy()),
            four(run.best_val_accuracy().map(|b| b.1)),
        );
        if last != val || top != best {
            return Err(bad(format!(
                "width {width}: the columns say val_acc {val}, best {best}, \
                 the epochs {last} and {top}"
            )));
        }
        runs.push(run);
    }
    if runs.is_empty() {
        return Err(bad("the table has no rows".into()));
    }
    Ok(SweepReport {
        sweep: Sweep::Width,
        settings: Settings {
            epochs,
            seed,
            engine: Engine::Auto,
            verbose: false,
        },
        train_images,
        valid_images,
        runs,
        seconds: 0.0,
    })
}

/// The figure files a sweep writes, checked before training: the folder
/// takes new files, and no folder stands where one of them should go.
pub fn check_figures(dir: &Path) -> Result<(), SweepError> {
    check_folder("--figures", dir)?;
    for name in FIGURE_FILES {
        let file = dir.join(name);
        if file.is_dir() {
            return Err(SweepError::Output(OutputError {
                flag: "--figures",
                path: dir.to_path_buf(),
                problem: format!("{} is a folder, not a figure file", file.display()),
                source: None,
            }));
        }
    }
    Ok(())
}

/// The load average over the last minute, where the system tells it
/// (Linux's `/proc/loadavg`): how many programs were running or waiting to.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(String::from)
}

/// The runs of `sweep` as the command line asks for them.
fn configs_for(sweep: Sweep, args: &Args) -> Result<Vec<Config>, SweepError> {
    match sweep {
        Sweep::Depth => {
            let budget = args
                .budget
                .unwrap_or_else(|| parameter_count(&REFERENCE_HIDDEN));
            depth_configs(&args.depths, budget)
        }
        Sweep::Width => width_configs(&args.widths),
        Sweep::Batch => batch_configs(&args.batch_sizes),
    }
}

/// Runs the sweeps the command line asks for: checks every setting and the
/// figures folder first, loads the data once, then for each sweep trains
/// its runs, prints its table (and its wall time) and draws its figure.
pub fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let sweeps = args.which.sweeps();
    // Every mistake is found before the data is loaded or anything trained.
    let mut planned = Vec::new();
    for &sweep in &sweeps {
        planned.push((sweep, configs_for(sweep, args)?));
    }
    if args.epochs == 0 || args.batch_epochs == 0 {
        return Err(SweepError::Zero("the number of epochs").into());
    }
    if args.train_images == Some(0) {
        return Err(SweepError::Zero("--train-images").into());
    }
    let figures = args.figures.dir();
    if let Some(dir) = &figures {
        check_figures(dir)?;
    }

    let Splits { train, valid, .. } = FashionMnist::load()?.into_splits();
    let train = match args.train_images {
        Some(n) => train.select(0..n.min(train.len()))?,
        None => train,
    };
    let mut out = io::stdout().lock();
    for (sweep, configs) in planned {
        let epochs = match sweep {
            Sweep::Batch => args.batch_epochs,
            _ => args.epochs,
        };
        let settings = Settings {
            epochs,
            seed: args.seed,
            engine: args.engine,
            verbose: true,
        };
        let load_before = load_average();
        let report = run_sweep(sweep, &configs, &settings, &train, &valid)?;
        let engines: Vec<&str> = {
            let mut e: Vec<&str> = report
                .runs
                .iter()
                .flat_map(|r| r.epochs.iter().map(|e| e.engine.name()))
                .collect();
            e.sort_unstable();
            e.dedup();
            e
        };
        write!(out, "{}", report.table())?;
        let load = match (load_before, load_average()) {
            (Some(b), Some(a)) => format!(", load average {b} before and {a} after"),
            _ => String::new(),
        };
        writeln!(
            out,
            "the {} sweep took {:.0} s of wall time ({} runs, engine {}, {} cores{load}; \
             times depend on the machine and on what else it runs)",
            sweep.name(),
            report.seconds,
            report.runs.len(),
            engines.join(","),
            std::thread::available_parallelism().map_or(0, |n| n.get()),
        )?;
        out.flush()?;
        if let Some(dir) = &figures {
            let file = sweep_figures::save_sweep_figure(dir, &report)?;
            // A path of this machine: not part of the table.
            eprintln!("figure written to {}", file.display());
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_width_for_a_budget_is_the_nearest_count() {
        let budget = parameter_count(&REFERENCE_HIDDEN);
        assert_eq!(budget, 266_610);
        // Solved by hand: 795 w + 10 = 266 610 gives w = 335.3.
        assert_eq!(width_for_budget(1, budget).unwrap(), 335);
        for depth in 1..=6 {
            let w = width_for_budget(depth, budget).unwrap();
            let distance = |w: usize| parameter_count(&vec![w; depth]).abs_diff(budget);
            // No other width is nearer: the neighbours are not.
            assert!(distance(w) <= distance(w + 1), "depth {depth}: {w}");
            assert!(distance(w) <= distance(w - 1), "depth {depth}: {w}");
        }
        // Deeper stacks at the same budget are narrower.
        let widths: Vec<usize> = (1..=4)
            .map(|d| width_for_budget(d, budget).unwrap())
            .collect();
        assert_eq!(widths, [335, 254, 217, 193]);
        // A budget met exactly.
        let exact = parameter_count(&[7, 7, 7]);
        assert_eq!(width_for_budget(3, exact).unwrap(), 7);
        // On a tie the narrower wins: halfway between 1 and 2 units.
        let one = parameter_count(&[1]);
        let two = parameter_count(&[2]);
        assert_eq!((two - one) % 2, 1, "no exact halfway point");
        assert_eq!(width_for_budget(1, one + (two - one) / 2).unwrap(), 1);
        assert_eq!(width_for_budget(1, one + (two - one) / 2 + 1).unwrap(), 2);
    }

    #[test]
    fn an_impossible_budget_is_an_error() {
        assert!(matches!(
            width_for_budget(0, 1000),
            Err(SweepError::Zero(_))
        ));
        let one = parameter_count(&[1]);
        assert!(width_for_budget(1, one).is_ok());
        let e = width_for_budget(1, one - 1).unwrap_err();
        assert!(e.to_string().contains("one unit per layer"), "{e}");
        assert!(width_for_budget(1, usize::MAX).is_err());
        assert!(width_for_budget(MAX_DEPTH + 1, 266_610).is_err());
        // The largest accepted inputs do not overflow.
        assert!(width_for_budget(MAX_DEPTH, MAX_BUDGET).is_ok());
    }

    #[test]
    fn the_scaled_rate_is_proportional_to_the_batch() {
        assert_eq!(scaled_rate(0.01, 32, 32).unwrap(), 0.01);
        assert_eq!(scaled_rate(0.01, 64, 32).unwrap(), 0.02);
        assert_eq!(scaled_rate(0.01, 8, 32).unwrap(), 0.0025);
        assert!((scaled_rate(0.01, 512, 32).unwrap() - 0.16).abs() < 1e-7);
        assert!(matches!(scaled_rate(0.01, 0, 32), Err(SweepError::Zero(_))));
        assert!(matches!(scaled_rate(0.01, 8, 0), Err(SweepError::Zero(_))));
        for bad in [0.0, -0.01, f32::NAN, f32::INFINITY] {
            assert!(scaled_rate(bad, 8, 32).is_err(), "{bad}");
        }
        assert!(scaled_rate(f32::MAX, 64, 32).is_err());
    }

    #[test]
    fn the_sweeps_list_their_runs() {
        let depth = depth_configs(&DEPTHS, 266_610).unwrap();
        let shapes: Vec<String> = depth.iter().map(Config::shape).collect();
        assert_eq!(shapes, ["335", "2×254", "3×217", "4×193"]);
        for c in &depth {
            let off = c.parameters().abs_diff(266_610) as f64 / 266_610.0;
            assert!(off < 0.01, "{c:?}: {}", c.parameters());
        }

        let width = width_configs(&WIDTHS).unwrap();
        let hidden: Vec<Vec<usize>> = width.iter().map(|c| c.hidden.clone()).collect();
        assert_eq!(hidden, WIDTHS.map(|w| vec![w]));
        assert!(
            width
                .iter()
                .all(|c| c.learning_rate == BASE_RATE && c.batch_size == 32)
        );

        let batch = batch_configs(&BATCH_SIZES).unwrap();
        // Two runs per batch size, except 32 where the two rules agree.
        assert_eq!(batch.len(), 2 * BATCH_SIZES.len() - 1);
        let runs: Vec<(usize, f32, Rule)> = batch
            .iter()
            .map(|c| (c.batch_size, c.learning_rate, c.rule.unwrap()))
            .collect();
        assert_eq!(runs[0], (8, 0.01, Rule::Unscaled));
        assert_eq!(runs[1], (8, 0.0025, Rule::Scaled));
        assert_eq!(runs[4], (32, 0.01, Rule::Both));
        assert_eq!(runs[12], (512, 0.16, Rule::Scaled));
        for rule in [Rule::Unscaled, Rule::Scaled] {
            let served = batch
                .iter()
                .filter(|c| c.rule.unwrap().serves(rule))
                .count();
            assert_eq!(served, BATCH_SIZES.len(), "{rule:?}");
        }
        assert!(batch.iter().all(|c| c.hidden == REFERENCE_HIDDEN));
    }

    #[test]
    fn empty_lists_and_zeros_are_errors() {
        assert!(matches!(
            depth_configs(&[], 1000),
            Err(SweepError::EmptyList("depths"))
        ));
        assert!(matches!(
            width_configs(&[]),
            Err(SweepError::EmptyList("widths"))
        ));
        assert!(matches!(batch_configs(&[]), Err(SweepError::EmptyList(_))));
        assert!(matches!(batch_configs(&[8, 0]), Err(SweepError::Zero(_))));
        assert!(matches!(width_configs(&[0]), Err(SweepError::Zero(_))));
        assert!(matches!(
            depth_configs(&[0, 1], 266_610),
            Err(SweepError::Zero(_))
        ));
        let e = batch_configs(&[]).unwrap_err().to_string();
        assert!(e.contains("batch sizes") && e.contains("empty"), "{e}");
    }

    fn record(epoch: usize, val_accuracy: f32, seconds: f64) -> EpochRecord {
        EpochRecord {
            epoch,
            loss: 0.5,
            accuracy: Some(0.8),
            mae: None,
            val_loss: Some(0.4),
            val_accuracy: Some(val_accuracy),
            val_mae: None,
            seconds,
            engine: Engine::Clear,
            outputs: Vec::new(),
        }
    }

    #[test]
    fn a_width_table_reads_back_as_printed() {
        let runs = [(50, [0.80, 0.86, 0.85]), (1000, [0.82, 0.84, 0.875])]
            .into_iter()
            .map(|(w, accuracies)| RunResult {
                config: width_configs(&[w]).unwrap().remove(0),
                epochs: accuracies
                    .iter()
                    .enumerate()
                    .map(|(i, &a)| record(i + 1, a, 1.25))
                    .collect(),
                stopped: None,
                train_accuracy: Some(0.9),
                seconds: 3.75,
            })
            .collect();
        let report = SweepReport {
            sweep: Sweep::Width,
            settings: Settings {
                epochs: 3,
                seed: 7,
                engine: Engine::Clear,
                verbose: false,
            },
            train_images: 1000,
            valid_images: 200,
            runs,
            seconds: 9.0,
        };
        let table = report.table();
        let text = format!("# the command line\n{table}the width sweep took 9 s\n");
        let back = width_report_from_table(&text).unwrap();
        assert_eq!(back.table(), table);
        assert_eq!(back.runs[0].best_val_accuracy(), Some((2, 0.86)));
        assert_eq!((back.settings.epochs, back.settings.seed), (3, 7));
        // A row whose last accuracy disagrees with its epochs is refused.
        let changed = text.replacen("0.8750", "0.8760", 1);
        let e = width_report_from_table(&changed).unwrap_err().to_string();
        assert!(e.contains("width 1000"), "{e}");
        assert!(width_report_from_table("depth: something\n").is_err());
    }

    #[test]
    fn the_best_epoch_and_the_clock_come_from_the_records() {
        let run = RunResult {
            config: width_configs(&[10]).unwrap().remove(0),
            epochs: vec![
                record(1, 0.80, 2.0),
                record(2, 0.85, 1.5),
                record(3, f32::NAN, 1.0),
                record(4, 0.85, 1.0),
                record(5, 0.84, 1.0),
            ],
            stopped: None,
            train_accuracy: Some(0.9),
            seconds: 6.5,
        };
        assert_eq!(run.best_val_accuracy(), Some((2, 0.85)));
        assert_eq!(run.final_val_accuracy(), Some(0.84));
        let clock: Vec<f64> = run.accuracy_over_time().iter().map(|p| p.0).collect();
        assert_eq!(clock, [2.0, 3.5, 4.5, 5.5, 6.5]);
    }
}
