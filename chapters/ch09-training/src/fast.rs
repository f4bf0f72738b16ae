//! The fast engine (crate `appendix-speed`) behind chapter 9's `fit`.
//!
//! `appendix-speed` knows nothing of `Sequential`: it trains a stack of
//! dense layers given as weight matrices and biases, with the activations,
//! loss and momentum of an [`appendix_speed::Model`]. This module is the
//! adapter. For a model of the engine's family (dense layers; hidden
//! activations ReLU, tanh, sigmoid or none; a softmax output with sparse
//! categorical cross-entropy on class labels, or a linear output with the
//! mean squared error on real values; SGD with or without momentum; the
//! metric that goes with the loss; `Flatten` layers anywhere, since batches
//! are already flat) `FastEngine` copies the weights and the optimizer's
//! velocities into a [`FastMlp`], trains the epoch's batches there, and
//! writes both back at the end of the epoch.
//!
//! `fit` uses it when its [`Engine`](crate::fit::Engine) option says so
//! (`Fast`, or `Auto` where [`why_not`] finds no reason against it).

use std::time::Instant;

use appendix_speed::{
    FastConfig, FastMlp, Hidden, Inputs, Isa, Output, Targets as FastTargets, balanced_cut,
};
use ch04_backprop::{Activation, NetError};
use ch08_sequential::{
    BatchResult, Dense, DenseActivation, Flatten, LossKind, Metric, Sequential, TargetKind, Targets,
};
use ndarray::ArrayD;

use crate::dataset::{Batch, Dataset};
use crate::error::TrainError;
use crate::fit::{BatchTrainer, EVAL_CHUNK, Evaluation, evaluate_by_chunks};
use crate::model::{BatchReport, Model};

/// Whether `model` belongs to the fast engine's family: dense layers with
/// ReLU, tanh, sigmoid or no activation; softmax with sparse categorical
/// cross-entropy (and at most the accuracy metric), or a linear output with
/// the mean squared error (and at most the mae metric); SGD with or without
/// momentum.
pub fn supports(model: &Sequential) -> bool {
    engine_model(model).is_ok()
}

/// Whether this processor can run the fast engine at its speed: its kernels
/// need fused multiply-add in hardware (see [`Isa::has_hardware_fma`]).
pub fn machine_can_run() -> bool {
    Isa::detect().has_hardware_fma()
}

/// Why the fast engine cannot train `model` on targets of kind `targets` on
/// this machine, or `None` when it can.
pub fn why_not(model: &Sequential, targets: TargetKind) -> Option<String> {
    let (_, shape) = match engine_model(model) {
        Ok(found) => found,
        Err(why) => return Some(why),
    };
    match (shape.output.takes_labels(), targets) {
        (true, TargetKind::Values) => {
            return Some("softmax with cross-entropy learns from class labels".into());
        }
        (false, TargetKind::Labels) => {
            return Some(
                "it trains the mean squared error on real values, not on one-hot labels".into(),
            );
        }
        _ => {}
    }
    if !machine_can_run() {
        return Some("this processor has no hardware fused multiply-add".into());
    }
    None
}

/// The engine's name for a hidden activation of chapter 4.
fn hidden(activation: DenseActivation) -> Option<Hidden> {
    match activation {
        DenseActivation::Elementwise(Activation::Relu) => Some(Hidden::Relu),
        DenseActivation::Elementwise(Activation::Tanh) => Some(Hidden::Tanh),
        DenseActivation::Elementwise(Activation::Sigmoid) => Some(Hidden::Sigmoid),
        DenseActivation::Elementwise(Activation::Identity) => Some(Hidden::Linear),
        _ => None,
    }
}

// ANCHOR: engine_model
/// The positions of the model's dense layers and the engine's description
/// of it, if the model belongs to the fast engine's family; otherwise what
/// is in the way.
fn engine_model(model: &Sequential) -> Result<(Vec<usize>, appendix_speed::Model), String> {
    let compiled = model.compiled().ok_or("the model is not compiled")?;
    let (output, metric, last_activation) = match compiled.loss {
        LossKind::SparseCategoricalCrossEntropy => (
            Output::SoftmaxCrossEntropy,
            Metric::Accuracy,
            DenseActivation::Softmax,
        ),
        LossKind::MeanSquaredError => (
            Output::LinearMse,
            Metric::MeanAbsoluteError,
            DenseActivation::Elementwise(Activation::Identity),
        ),
        other => {
            return Err(format!(
                "it knows cross-entropy and the mean squared error, not {}",
                other.name()
            ));
        }
    };
    if let Some(m) = compiled.metrics.iter().find(|&&m| m != metric) {
        return Err(format!("it cannot measure the metric {}", m.name()));
    }
    let mut dense = Vec::new();
    let mut activations = Vec::new();
    for (i, (_, layer)) in model.layers().enumerate() {
        if let Some(d) = layer.as_any().downcast_ref::<Dense>() {
            d.core()
                .ok_or_else(|| format!("layer {} is not built", i + 1))?;
            dense.push(i);
            activations.push(d.activation());
        } else if layer.as_any().downcast_ref::<Flatten>().is_none() {
            return Err(format!("layer {} is neither Dense nor Flatten", i + 1));
        }
    }
    let Some((&last, between)) = activations.split_last() else {
        return Err("the model has no dense layer".into());
    };
    if last != last_activation {
        return Err(match output {
            Output::SoftmaxCrossEntropy => "the last dense layer must be softmax".into(),
            _ => "the last dense layer must be linear (Activation::Identity)".into(),
        });
    }
    let hidden = between
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            hidden(a).ok_or_else(|| {
                format!(
                    "dense layer {} uses an activation it does not know \
                     (it knows ReLU, tanh, sigmoid and identity)",
                    k + 1
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let shape = appendix_speed::Model {
        hidden,
        output,
        momentum: compiled.optimizer.momentum(),
    };
    Ok((dense, shape))
}
// ANCHOR_END: engine_model

/// An epoch of `fit` on the fast engine.
pub(crate) struct FastEngine {
    dense: Vec<usize>,
    shape: appendix_speed::Model,
    metric: bool,
    trainer: Option<FastMlp>,
    weights_finite: bool,
    threads: Threads,
}

/// How many threads the trainer uses, and how that is decided.
///
/// Two threads meet several times per batch. On an idle machine each
/// meeting costs well under a microsecond and two threads train about
/// twice as fast as one; on a machine whose cores are busy with other
/// programs, the helper thread waits for a core at every meeting and two
/// threads can be several times *slower* than one. The results do not
/// depend on the number of threads (the engine promises it, bit for bit),
/// so the engine simply measures: the first [`PROBE_BATCHES`] batches of
/// an epoch run on two threads, the next as many on one, and the rest of
/// the epoch on whichever trained more samples per second. Every epoch
/// measures again, since the machine's load changes.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Threads {
    /// No choice to make (one core, or a model too small for two threads).
    Fixed(usize),
    /// Timing `threads` threads: `batches` batches so far, `samples` in the
    /// timed ones, since `since` (set after the first, untimed, batch).
    Probing {
        threads: usize,
        batches: usize,
        samples: usize,
        since: Option<Instant>,
        /// Samples per second on two threads, once measured.
        two: Option<f64>,
    },
    /// Chosen for the rest of the epoch.
    Chosen(usize),
}

/// The batches each thread count is timed on, at the start of an epoch.
const PROBE_BATCHES: usize = 24;

impl Threads {
    /// The threads the trainer should run with now.
    fn count(self) -> usize {
        match self {
            Threads::Fixed(n) | Threads::Chosen(n) | Threads::Probing { threads: n, .. } => n,
        }
    }

    /// Counts a batch of `samples` just trained, and moves on to the next
    /// stage of the measurement when a stage is over.
    fn after_batch(&mut self, samples: usize) {
        let Threads::Probing {
            threads,
            batches,
            samples: timed,
            since,
            two,
        } = self
        else {
            return;
        };
        *batches += 1;
        match since {
            None => *since = Some(Instant::now()), // the first batch warms up
            Some(_) => *timed += samples,
        }
        if *batches < PROBE_BATCHES {
            return;
        }
        let rate = since.map_or(0.0, |s| *timed as f64 / s.elapsed().as_secs_f64().max(1e-9));
        *self = match (*threads, *two) {
            (2, _) => Threads::Probing {
                threads: 1,
                batches: 0,
                samples: 0,
                since: None,
                two: Some(rate),
            },
            (_, Some(two)) if two > rate => Threads::Chosen(2),
            _ => Threads::Chosen(1),
        };
    }
}

impl FastEngine {
    /// The engine for `model`; an error if the model does not belong to
    /// the engine's family.
    pub(crate) fn for_model(model: &Sequential) -> Result<FastEngine, TrainError> {
        let (dense, shape) = engine_model(model).map_err(|why| {
            TrainError::InvalidOption(format!("the fast engine cannot train this model: {why}"))
        })?;
        let compiled = model.checked_compiled()?;
        Ok(FastEngine {
            dense,
            shape,
            metric: !compiled.metrics.is_empty(),
            trainer: None,
            weights_finite: true,
            threads: Threads::Fixed(0), // decided when the trainer starts
        })
    }

    /// Copies the model's weights, and the optimizer's velocities, into a
    /// new trainer for batches of up to `batch_size` samples, its first
    /// layer cut at `first_cut` (see [`FastConfig::first_cut`]).
    fn start(
        &mut self,
        model: &Sequential,
        batch_size: usize,
        first_cut: Option<usize>,
    ) -> Result<FastMlp, NetError> {
        let cores: Vec<&ch04_backprop::Dense> = self
            .dense
            .iter()
            .filter_map(|&i| model.layers().nth(i))
            .filter_map(|(_, layer)| layer.as_any().downcast_ref::<Dense>()?.core())
            .collect();
        if cores.len() != self.dense.len() {
            return Err(NetError::InvalidArgument(
                "the model changed during fit".into(),
            ));
        }
        let layers: Vec<_> = cores
            .iter()
            .map(|d| (d.weights.view(), d.bias.view()))
            .collect();
        // A small model runs faster on one thread: the two threads meet a
        // few times per batch, which costs more than they save.
        let work: usize = cores.iter().map(|d| d.weights.len()).sum();
        let mut config = FastConfig {
            batch_size,
            first_cut,
            ..FastConfig::default()
        };
        if self.threads == Threads::Fixed(0) {
            self.threads = if work < SMALL_MODEL || config.threads < 2 {
                Threads::Fixed(1)
            } else {
                Threads::Probing {
                    threads: 2,
                    batches: 0,
                    samples: 0,
                    since: None,
                    two: None,
                }
            };
        }
        config.threads = self.threads.count().min(config.threads);
        let mut trainer = FastMlp::new(&self.shape, &layers, config)?;
        let compiled = model.checked_compiled()?;
        let velocities = compiled.optimizer.velocities();
        if self.shape.momentum != 0.0 && velocities.len() == 2 * layers.len() {
            let pairs: Option<Vec<_>> = velocities
                .chunks(2)
                .map(|vb| {
                    let w = vb[0].view().into_dimensionality().ok()?;
                    let b = vb[1].view().into_dimensionality().ok()?;
                    Some((w, b))
                })
                .collect();
            // Velocities of other shapes start again from zero, as `Sgd`
            // itself does.
            if let Some(pairs) = pairs {
                let _ = trainer.set_velocities(&pairs);
            }
        }
        Ok(trainer)
    }

    /// Writes the trainer's weights back into the model, and its velocities
    /// into the optimizer. The trainer stays, to measure the validation data
    /// with the same weights.
    fn write_back(&mut self, model: &mut Sequential) -> Result<(), NetError> {
        let Some(trainer) = self.trainer.as_ref() else {
            return Ok(());
        };
        let layers = model.layers_mut();
        for (&i, (w, b)) in self.dense.iter().zip(trainer.parameters()) {
            let core = layers
                .get_mut(i)
                .and_then(|l| l.as_any_mut().downcast_mut::<Dense>())
                .and_then(Dense::core_mut)
                .ok_or_else(|| NetError::InvalidArgument("the model changed during fit".into()))?;
            core.weights.assign(&w);
            core.bias.assign(&b);
        }
        if self.shape.momentum != 0.0
            && let Some(compiled) = model.compiled_mut()
        {
            let velocities: Vec<ArrayD<f32>> = trainer
                .velocities()
                .into_iter()
                .flat_map(|(w, b)| [w.into_dyn(), b.into_dyn()])
                .collect();
            compiled.optimizer.set_velocities(velocities);
        }
        Ok(())
    }
}

/// Below this many weights, the fast engine trains on one thread.
const SMALL_MODEL: usize = 20_000;

/// The `Sequential` model inside, or an error: the fast engine trains no
/// other kind of model.
fn sequential(model: &mut dyn Model) -> Result<&mut Sequential, NetError> {
    model
        .as_any_mut()
        .downcast_mut::<Sequential>()
        .ok_or_else(|| {
            NetError::InvalidArgument("the fast engine trains Sequential models only".into())
        })
}

impl BatchTrainer for FastEngine {
    fn train_batch(
        &mut self,
        model: &mut dyn Model,
        data: &dyn Dataset,
        indices: &[usize],
        next: &[usize],
        batch: &mut Batch,
    ) -> Result<BatchReport, TrainError> {
        let model = sequential(model)?;
        // The rate in force now: a callback may have changed it.
        let learning_rate = model.checked_compiled()?.optimizer.learning_rate();
        let threads = self.threads.count();
        let rows = indices.len();
        let fits = |t: &FastMlp| rows <= t.config().batch_size && t.config().threads == threads;
        if !self.trainer.as_ref().is_some_and(fits) {
            self.write_back(model)?;
            // Images as bytes: the first layer is cut where each thread
            // gets half the non-zero pixels, which set its time.
            let cut = data.bytes().map(|(images, _)| balanced_cut(images));
            self.trainer = Some(self.start(model, rows.max(1), cut)?);
        }
        let Some(trainer) = self.trainer.as_mut() else {
            return Err(NetError::InvalidArgument("the fast trainer did not start".into()).into());
        };
        // Images stored as bytes, with class labels, go to the trainer as
        // they are: each of its threads gathers and scales its own share of
        // the batch, and asks the memory for its share of the next one.
        // Anything else is gathered into `batch` first.
        let trained = match data.bytes() {
            Some((bytes, labels)) if self.shape.output.takes_labels() => {
                let (inputs, targets) = (Inputs::Bytes(bytes), FastTargets::Labels(labels));
                trainer.train_then(inputs, targets, indices, &[learning_rate], next)
            }
            _ => match batch.fill(data, indices) {
                Ok(()) => {
                    let targets = fast_targets(batch.targets.view());
                    trainer.train_batch_on(batch.x.view(), targets, learning_rate)
                }
                Err(e) => {
                    self.write_back(model)?;
                    return Err(e);
                }
            },
        };
        match trained {
            Ok(stats) => {
                self.weights_finite = stats.weights_finite;
                self.threads.after_batch(stats.samples);
                Ok(self.report(stats))
            }
            Err(e) => {
                self.write_back(model)?;
                Err(e.into())
            }
        }
    }

    fn weights_finite(&self) -> Option<bool> {
        Some(self.weights_finite)
    }

    fn finish(&mut self, model: &mut dyn Model) -> Result<(), TrainError> {
        Ok(self.write_back(sequential(model)?)?)
    }

    /// The validation data through the trainer's forward pass, on its
    /// threads, chunk by chunk, with the weights `finish` wrote back.
    fn evaluate(
        &mut self,
        model: &dyn Model,
        data: &dyn Dataset,
    ) -> Option<Result<Evaluation, TrainError>> {
        if data.is_empty() {
            return None;
        }
        let mut trainer = self.trainer.take()?;
        let order: Vec<usize> = (0..EVAL_CHUNK).collect();
        let result = evaluate_by_chunks(model, data, |batch| {
            let inputs = Inputs::Floats(batch.x.view());
            let order = &order[..batch.x.nrows()];
            let stats = trainer.evaluate(inputs, fast_targets(batch.targets.view()), order)?;
            Ok(self.report(stats))
        });
        self.trainer = Some(trainer);
        Some(result)
    }
}

impl FastEngine {
    /// What the trainer measured, as `fit` records it: the metric only if
    /// the model was compiled with one.
    fn report(&self, stats: appendix_speed::TrainStats) -> BatchReport {
        let labels = self.shape.output.takes_labels();
        BatchResult {
            loss: stats.loss,
            accuracy: (self.metric && labels).then_some(stats.accuracy),
            mae: (self.metric && !labels).then_some(stats.mae),
            samples: stats.samples,
        }
        .into()
    }
}

/// A batch's targets as the fast trainer takes them.
fn fast_targets(targets: Targets<'_>) -> FastTargets<'_> {
    match targets {
        Targets::Labels(labels) => FastTargets::Labels(labels),
        Targets::Values(values) => FastTargets::Values(values),
    }
}

#[cfg(test)]
mod tests {
    //! The fast engine against the clear one, through `fit`: random models
    //! of the whole family, on the weights, the losses and the metrics.

    use super::*;
    use crate::callbacks::TerminateOnNan;
    use crate::{Engine, FitOptions, InMemory, Training};
    use ch00_toolbox::seeded_rng;
    use ch08_sequential::{Sgd, Softmax};
    use ndarray::Array2;
    use proptest::prelude::*;
    use rand::Rng;

    const HIDDEN: [Activation; 4] = [
        Activation::Relu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Identity,
    ];

    /// A compiled model: dense layers of the given widths and activations,
    /// then softmax with cross-entropy (`classify`) or a linear output with
    /// the mean squared error, with the metric that goes with the loss.
    fn model(
        n_in: usize,
        hidden: &[(usize, Activation)],
        outputs: usize,
        classify: bool,
        momentum: f32,
        seed: u64,
    ) -> Sequential {
        let mut model = Sequential::new(seed);
        let mut inputs = Some(n_in);
        for &(width, f) in hidden {
            let dense = Dense::new(width, f);
            let dense = match inputs.take() {
                Some(n) => dense.with_inputs(n),
                None => dense,
            };
            model.add(dense).unwrap();
        }
        let last = match classify {
            true => Dense::new(outputs, Softmax),
            false => Dense::new(outputs, Activation::Identity),
        };
        model
            .add(match inputs {
                Some(n) => last.with_inputs(n),
                None => last,
            })
            .unwrap();
        let (loss, metric) = match classify {
            true => (LossKind::SparseCategoricalCrossEntropy, Metric::Accuracy),
            false => (LossKind::MeanSquaredError, Metric::MeanAbsoluteError),
        };
        let sgd = Sgd::new(0.01).unwrap().with_momentum(momentum).unwrap();
        model.compile(loss, sgd, &[metric]).unwrap();
        model
    }

    /// The thread count's measurement: two threads for the first
    /// `PROBE_BATCHES` batches, one for as many, then one of the two.
    #[test]
    fn the_engine_times_two_threads_then_one_then_chooses() {
        let mut threads = Threads::Probing {
            threads: 2,
            batches: 0,
            samples: 0,
            since: None,
            two: None,
        };
        let mut seen = Vec::new();
        for _ in 0..3 * PROBE_BATCHES {
            seen.push(threads.count());
            threads.after_batch(32);
        }
        assert!(seen[..PROBE_BATCHES].iter().all(|&n| n == 2), "{seen:?}");
        assert!(
            seen[PROBE_BATCHES..2 * PROBE_BATCHES]
                .iter()
                .all(|&n| n == 1),
            "{seen:?}"
        );
        assert!(matches!(threads, Threads::Chosen(1 | 2)), "{threads:?}");
        let chosen = threads.count();
        assert!(seen[2 * PROBE_BATCHES..].iter().all(|&n| n == chosen));
        let mut fixed = Threads::Fixed(1);
        fixed.after_batch(32);
        assert_eq!(fixed, Threads::Fixed(1));
    }

    /// An epoch long enough for the measurement, on a model large enough
    /// for two threads: the trainer is rebuilt with one thread, then
    /// perhaps two again, in the middle of the epoch, and the weights and
    /// velocities go through the model each time. The result is still the
    /// clear engine's.
    #[test]
    fn changing_threads_within_an_epoch_changes_nothing_but_time() {
        if !machine_can_run() {
            eprintln!("skipped: this processor cannot run the fast engine");
            return;
        }
        let hidden = [(80, Activation::Tanh)];
        let mut fast = model(300, &hidden, 4, true, 0.9, 7);
        let mut clear = model(300, &hidden, 4, true, 0.9, 7);
        let weights: usize = fast.get_weights().iter().map(|w| w.len()).sum();
        assert!(
            weights >= SMALL_MODEL,
            "{weights} weights: too small to probe"
        );
        let mut rng = seeded_rng(8);
        let n = 4 * (3 * PROBE_BATCHES);
        let x = Array2::from_shape_simple_fn((n, 300), || rng.random_range(-1.0f32..1.0));
        let labels: Vec<u8> = (0..n).map(|_| rng.random_range(0..4u8)).collect();
        let data = InMemory::new(x.view(), &labels[..]).unwrap();
        let options = || {
            FitOptions::new()
                .epochs(2)
                .batch_size(4)
                .seed(3)
                .verbose(false)
        };
        let f = fast.fit(&data, options().engine(Engine::Fast)).unwrap();
        let c = clear.fit(&data, options().engine(Engine::Clear)).unwrap();
        for (f, c) in f.epochs.iter().zip(&c.epochs) {
            assert!(
                (f.loss - c.loss).abs() <= 1e-4 * f.loss.abs().max(1.0),
                "{f:?} {c:?}"
            );
        }
        let diff = largest_difference(&fast, &clear);
        assert!(diff < 2e-4, "weights differ by {diff}");
    }

    fn largest_difference(a: &Sequential, b: &Sequential) -> f32 {
        let (a, b) = (a.get_weights(), b.get_weights());
        a.iter()
            .zip(&b)
            .flat_map(|(x, y)| {
                x.iter()
                    .zip(y)
                    .map(|(x, y)| (x - y).abs() / x.abs().max(y.abs()).max(1.0))
                    .collect::<Vec<_>>()
            })
            .fold(0.0, f32::max)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Three epochs of `fit` (the optimizer's velocities go back and
        /// forth between the model and the engine at every epoch) with the
        /// fast and the clear engine: the same history and weights, up to
        /// the order of the sums.
        #[test]
        fn fit_on_the_fast_engine_matches_the_clear_engine(
            hidden in prop::collection::vec((1usize..24, 0usize..4), 0..=2),
            n_in in 1usize..20,
            outputs in 1usize..5,
            classify in prop::bool::ANY,
            momentum in prop::bool::ANY,
            batch in 1usize..10,
            n in 4usize..30,
            seed in 0u64..1000,
        ) {
            if !machine_can_run() {
                eprintln!("skipped: this processor cannot run the fast engine");
                return Ok(());
            }
            let hidden: Vec<_> = hidden.iter().map(|&(w, f)| (w, HIDDEN[f])).collect();
            let outputs = if classify { outputs.max(2) } else { outputs };
            let momentum = if momentum { 0.9 } else { 0.0 };
            let mut rng = seeded_rng(seed);
            let x = Array2::from_shape_simple_fn((n, n_in), || rng.random_range(-1.0f32..1.0));
            let labels: Vec<u8> = (0..n).map(|_| rng.random_range(0..outputs as u8)).collect();
            let values = Array2::from_shape_simple_fn((n, outputs), || rng.random_range(-1.0f32..1.0));
            let data = match classify {
                true => InMemory::new(x.view(), &labels[..]).unwrap(),
                false => InMemory::new(x.view(), values.view()).unwrap(),
            };
            let mut fast = model(n_in, &hidden, outputs, classify, momentum, seed);
            let mut clear = model(n_in, &hidden, outputs, classify, momentum, seed);
            prop_assert!(supports(&fast));
            // The same samples as validation data: each engine measures
            // them its own way (the fast one through its forward pass).
            let options = || {
                FitOptions::new()
                    .epochs(3)
                    .batch_size(batch)
                    .seed(seed)
                    .verbose(false)
                    .validation_data(&data)
            };
            let f = fast.fit(&data, options().engine(Engine::Fast)).unwrap();
            let c = clear.fit(&data, options().engine(Engine::Clear)).unwrap();
            prop_assert!(f.epochs.iter().all(|e| e.engine == Engine::Fast));
            // Even a rate of 0.01 with momentum 0.9 on one-sample batches can
            // diverge. Then both engines must blow up in the same epoch, and
            // there is nothing finite left to compare.
            if let Some(bad) = c.epochs.iter().position(|e| !e.loss.is_finite()) {
                prop_assert!(
                    f.epochs.len() > bad && !f.epochs[bad].loss.is_finite(),
                    "the clear engine diverged at epoch {}, the fast one did not",
                    bad + 1
                );
                prop_assert!(
                    f.epochs[..bad].iter().all(|e| e.loss.is_finite()),
                    "the fast engine diverged before the clear one"
                );
                return Ok(());
            }
            for (f, c) in f.epochs.iter().zip(&c.epochs) {
                let close = |a: f32, b: f32| (a - b).abs() <= 1e-4 * a.abs().max(b.abs()).max(1.0);
                prop_assert!(close(f.loss, c.loss), "epoch {}: {} vs {}", f.epoch, f.loss, c.loss);
                prop_assert_eq!(f.accuracy.is_some(), classify);
                prop_assert_eq!(f.mae.is_some(), !classify);
                if let (Some(a), Some(b)) = (f.mae, c.mae) {
                    prop_assert!(close(a, b), "mae {} vs {}", a, b);
                }
                if let (Some(a), Some(b)) = (f.accuracy, c.accuracy) {
                    // A sample on the edge between two classes may tip.
                    prop_assert!((a - b).abs() <= 1.0 / n as f32 + 1e-6, "accuracy {} vs {}", a, b);
                }
                let (Some(fv), Some(cv)) = (f.val_loss, c.val_loss) else {
                    return Err(TestCaseError::fail("no validation loss"));
                };
                prop_assert!(close(fv, cv), "epoch {}: val_loss {} vs {}", f.epoch, fv, cv);
                prop_assert_eq!(f.val_accuracy.is_some(), classify);
                prop_assert_eq!(f.val_mae.is_some(), !classify);
                if let (Some(a), Some(b)) = (f.val_mae, c.val_mae) {
                    prop_assert!(close(a, b), "val_mae {} vs {}", a, b);
                }
                if let (Some(a), Some(b)) = (f.val_accuracy, c.val_accuracy) {
                    prop_assert!((a - b).abs() <= 1.0 / n as f32 + 1e-6, "val_accuracy {} vs {}", a, b);
                }
            }
            let diff = largest_difference(&fast, &clear);
            prop_assert!(diff < 2e-4, "weights differ by {}", diff);
            if momentum != 0.0 {
                let velocities = |m: &Sequential| m.compiled().unwrap().optimizer.velocities().to_vec();
                let (vf, vc) = (velocities(&fast), velocities(&clear));
                prop_assert_eq!(vf.len(), vc.len());
                for (a, b) in vf.iter().zip(&vc) {
                    let d = a.iter().zip(b).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
                    prop_assert!(d < 2e-4, "velocities differ by {}", d);
                }
            }
        }
    }

    #[test]
    fn the_family_is_what_the_engine_says_it_is() {
        let with = |hidden: Activation, classify: bool, momentum: f32| {
            supports(&model(4, &[(5, hidden)], 3, classify, momentum, 1))
        };
        for f in HIDDEN {
            for classify in [true, false] {
                assert!(with(f, classify, 0.0) && with(f, classify, 0.9), "{f:?}");
            }
        }
        assert!(!with(Activation::Step, true, 0.0));
        // Softmax with the squared error, a metric of the other kind, a
        // loss it does not know: not in the family.
        let mut odd = model(4, &[(5, Activation::Relu)], 3, true, 0.0, 1);
        let sgd = Sgd::new(0.1).unwrap();
        odd.compile(LossKind::MeanSquaredError, sgd.clone(), &[])
            .unwrap();
        assert!(engine_model(&odd).unwrap_err().contains("linear"));
        let mut mae = model(4, &[], 1, false, 0.0, 1);
        mae.compile(LossKind::MeanAbsoluteError, sgd, &[]).unwrap();
        assert!(
            engine_model(&mae)
                .unwrap_err()
                .contains("mean_absolute_error")
        );
        // The kind of targets must fit the output.
        let regressor = model(4, &[], 2, false, 0.0, 1);
        let why = why_not(&regressor, TargetKind::Labels).unwrap();
        assert!(why.contains("real values"), "{why}");
        let classifier = model(4, &[], 2, true, 0.0, 1);
        let why = why_not(&classifier, TargetKind::Values).unwrap();
        assert!(why.contains("class labels"), "{why}");
    }

    /// A regressor whose first step overflows (a rate of 10³⁸ against
    /// gradients of about 50): `TerminateOnNan` stops on the fast engine
    /// after that first batch, whose loss (measured before the step) was
    /// still finite; the clear engine would only see it in the next loss.
    #[test]
    #[cfg_attr(
        no_fast_engine,
        ignore = "this processor has no hardware fused multiply-add: the fast engine cannot run"
    )]
    fn terminate_on_nan_stops_at_the_batch_that_broke_a_weight() {
        let mut rng = seeded_rng(3);
        let x = Array2::from_shape_simple_fn((64, 3), || rng.random_range(-1.0f32..1.0));
        let y = Array2::from_elem((64, 1), 100.0f32);
        let data = InMemory::new(x.view(), y.view()).unwrap();
        let mut net = model(3, &[(4, Activation::Identity)], 1, false, 0.0, 2);
        net.compiled_mut().unwrap().optimizer = Sgd::new(1e38).unwrap();
        let mut stop = TerminateOnNan;
        let mut losses = Losses(Vec::new());
        let history = net
            .fit(
                &data,
                FitOptions::new()
                    .epochs(50)
                    .batch_size(4)
                    .verbose(false)
                    .engine(Engine::Fast)
                    .callback(&mut stop)
                    .callback(&mut losses),
            )
            .unwrap();
        let why = history.stopped.expect("training stops");
        assert!(why.contains("a weight became NaN or infinite"), "{why}");
        assert!(why.contains("epoch 1, batch 1"), "{why}");
        assert_eq!(history.epochs.len(), 1, "{why}");
        assert_eq!(losses.0.len(), 1);
        assert!(losses.0[0].is_finite(), "{:?}", losses.0);
        assert!(
            net.get_weights()
                .iter()
                .any(|w| w.iter().any(|v| !v.is_finite()))
        );
    }

    /// Records every batch loss.
    struct Losses(Vec<f32>);

    impl crate::Callback for Losses {
        fn on_batch_end(&mut self, _epoch: usize, _step: usize, loss: f32) -> crate::Control {
            self.0.push(loss);
            crate::Control::Continue
        }
    }

    #[test]
    fn images_as_bytes_train_to_the_bits_of_the_same_images_as_floats() {
        // A `Split` hands the fast engine its bytes, which the engine scales
        // itself; `InMemory` hands it floats that chapter 7 scaled. Both
        // divide by 255 exactly, so the weights must agree bit for bit.
        if !machine_can_run() {
            eprintln!("skipped: this processor cannot run the fast engine");
            return;
        }
        let mut rng = seeded_rng(3);
        let images =
            ndarray::Array3::from_shape_simple_fn((90, 6, 7), || match rng.random_bool(0.5) {
                true => 0u8,
                false => rng.random(),
            });
        let labels = ndarray::Array1::from_shape_simple_fn(90, || rng.random_range(0..4u8));
        let split = ch07_fashion_mnist::Split::new(images, labels.clone()).unwrap();
        assert!(split.bytes().is_some());
        let scaled = split.scaled();
        let floats = InMemory::new(scaled.view(), labels.as_slice().unwrap()).unwrap();
        assert!(floats.bytes().is_none());
        let hidden = [(20, Activation::Relu)];
        let train = |data: &dyn Dataset| {
            let mut m = model(42, &hidden, 4, true, 0.9, 7);
            let options = FitOptions::new()
                .epochs(2)
                .batch_size(16)
                .seed(5)
                .verbose(false)
                .engine(Engine::Fast)
                .validation_data(data);
            let history = m.fit(data, options).unwrap();
            (m, history)
        };
        let (from_bytes, h1) = train(&split);
        let (from_floats, h2) = train(&floats);
        assert_eq!(largest_difference(&from_bytes, &from_floats), 0.0);
        for (a, b) in h1.epochs.iter().zip(&h2.epochs) {
            assert_eq!(a.loss.to_bits(), b.loss.to_bits());
            assert_eq!(a.val_loss.map(f32::to_bits), b.val_loss.map(f32::to_bits));
        }
    }
}
