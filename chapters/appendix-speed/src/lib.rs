//! # Appendix: how fast is it?
//!
//! A fused, allocation-free trainer for the book's model, and the only
//! crate of the book with `unsafe` code.
//!
//! The chapters train with clear code: a `Dense` layer computes `X · W + b`
//! with `ndarray`, backpropagation allocates its gradients, the optimiser
//! subtracts them. That is the right code to read. This crate computes
//! *the same mathematics* for every stack of dense layers the book trains
//! (see [`Model`]: hidden layers with ReLU, tanh, the sigmoid or no
//! activation; a softmax output with cross-entropy on class labels, a
//! sigmoid output with binary cross-entropy, or a linear output with the
//! mean squared error; SGD with or without momentum) as fast as two CPU
//! cores allow. It knows nothing of chapter 8's `Sequential`: a model is
//! handed to it as a [`Model`] and a list of weight matrices and biases
//! ([`FastMlp::new`]), and chapter 9 adapts a `Sequential` model to it
//! behind `fit`. The appendix "How fast is
//! it?" tells the story; in short:
//!
//! - every weight matrix is cut by rows (by the layer's inputs) into
//!   [`PARTS`] parts; the calling thread works on one, a long-lived helper
//!   thread on the other, and each alone reads and updates its rows, so they
//!   stay in its core's cache;
//! - a step is a few phases separated by a spinning barrier; the threads
//!   exchange only partial sums of each product and the gradient flowing
//!   into each hidden layer;
//! - bias and activation are applied while the partial sums are combined;
//!   output activation, loss and output gradient are one pass; the weight
//!   gradient never exists as a matrix: each tile of it is applied to the
//!   weights (and velocities) as soon as it is summed, and every new weight
//!   is checked to be finite on its way to memory;
//! - a batch is gathered from the `u8` images straight into the first
//!   layer's input, so the data set is never copied or converted to `f32`;
//! - the kernels are written once over sixteen `f32` lanes and compiled for
//!   AVX-512, AVX2 + FMA and plain Rust; the best one available is chosen at
//!   run time, and all three give bit-identical results, as do one and two
//!   threads (the cut into parts is fixed, not the number of threads);
//! - nothing is allocated while training.
//!
//! The AVX-512 intrinsics and target features the kernels use are stable
//! since Rust 1.89, this crate's declared minimum (the chapters need 1.85).
//! The measurements of the appendix and their figure are in the crate's
//! example `how-fast`; the benchmark is chapter 9's `fast_epoch`, since it
//! also times `fit`.

mod kernels;
mod layout;
pub mod peak;
mod simd;
mod step;
mod team;

use std::cell::UnsafeCell;
use std::fmt;
use std::sync::Arc;
use std::thread::JoinHandle;

use ch04_backprop::NetError;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use kernels::BatchScore;
use layout::{Exchange, Part, Plan, Which, assemble};
use step::{Shared, Source, TargetSource, Task};
pub use team::Wait;
use team::{Mailbox, SpinBarrier};

/// Into how many parts each weight matrix is cut. The results depend on this
/// number (it fixes the order of the sums) but not on the number of threads
/// that process the parts.
pub const PARTS: usize = 2;

/// An instruction set the kernels are compiled for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// 512-bit vectors (x86-64 with AVX-512F).
    Avx512,
    /// 256-bit vectors with fused multiply-add (x86-64 with AVX2 and FMA).
    Avx2,
    /// Plain Rust, for any processor.
    Portable,
}

impl Isa {
    /// Every instruction set, fastest first.
    pub const ALL: [Isa; 3] = [Isa::Avx512, Isa::Avx2, Isa::Portable];

    /// The fastest instruction set this processor has.
    pub fn detect() -> Isa {
        Isa::ALL
            .into_iter()
            .find(|isa| isa.is_available())
            .unwrap_or(Isa::Portable)
    }

    /// Whether this processor can run the kernels for `self`.
    pub fn is_available(self) -> bool {
        match self {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => {
                std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            Isa::Portable => true,
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// Whether the kernels for `self` do their fused multiply-adds in
    /// hardware on this machine. The portable kernels on an x86-64 processor
    /// without FMA call a software routine instead: the results are the
    /// same, but an epoch takes minutes, so chapter 9's `fit` does not
    /// choose this engine there.
    pub fn has_hardware_fma(self) -> bool {
        match self {
            Isa::Avx512 | Isa::Avx2 => self.is_available(),
            Isa::Portable => cfg!(any(target_arch = "aarch64", target_feature = "fma")),
        }
    }

    /// A short name: `avx512`, `avx2` or `portable`.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Avx512 => "avx512",
            Isa::Avx2 => "avx2",
            Isa::Portable => "portable",
        }
    }

    /// The instruction set called `name` (as printed by [`Isa::name`]).
    pub fn from_name(name: &str) -> Option<Isa> {
        Isa::ALL.into_iter().find(|isa| isa.name() == name)
    }
}

// ANCHOR: model
/// The activation of a hidden layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hidden {
    /// `max(0, z)`, written as chapter 4 writes it (a NaN stays NaN).
    Relu,
    /// The hyperbolic tangent.
    Tanh,
    /// The logistic sigmoid of chapter 4.
    Sigmoid,
    /// No activation: `f(z) = z`.
    Linear,
}

impl Hidden {
    /// Every hidden activation.
    pub const ALL: [Hidden; 4] = [Hidden::Relu, Hidden::Tanh, Hidden::Sigmoid, Hidden::Linear];
}

/// The output layer's activation and the loss it is trained on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// Softmax with (sparse categorical) cross-entropy, on class labels.
    SoftmaxCrossEntropy,
    /// The sigmoid of each output with binary cross-entropy, on real targets
    /// (usually 0 or 1).
    SigmoidBinaryCrossEntropy,
    /// No activation, with the mean squared error, on real targets.
    LinearMse,
}

impl Output {
    /// Every output.
    pub const ALL: [Output; 3] = [
        Output::SoftmaxCrossEntropy,
        Output::SigmoidBinaryCrossEntropy,
        Output::LinearMse,
    ];

    /// Whether the output learns from class labels (else from real values).
    pub fn takes_labels(self) -> bool {
        self == Output::SoftmaxCrossEntropy
    }
}

/// What the engine trains, besides the weights: the activations, the loss,
/// and the optimiser's momentum.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// The activation after each layer but the last.
    pub hidden: Vec<Hidden>,
    /// The last layer's activation and loss.
    pub output: Output,
    /// Chapter 8's momentum `μ`, `0 ≤ μ < 1`: the optimiser keeps a velocity
    /// `v ← μ·v − η·g` per parameter and steps `θ ← θ + v`. With 0 it is
    /// plain SGD and keeps no velocities.
    pub momentum: f32,
}

impl Model {
    /// The book's classifier with `hidden_layers` ReLU layers: softmax,
    /// cross-entropy, plain SGD.
    pub fn relu_softmax(hidden_layers: usize) -> Model {
        Model {
            hidden: vec![Hidden::Relu; hidden_layers],
            output: Output::SoftmaxCrossEntropy,
            momentum: 0.0,
        }
    }
}
// ANCHOR_END: model

/// The inputs of a data set, one sample per row.
#[derive(Clone, Copy, Debug)]
pub enum Inputs<'a> {
    /// Bytes 0–255 (images); the network sees them divided by 255.
    Bytes(ArrayView2<'a, u8>),
    /// Real values, used as they are.
    Floats(ArrayView2<'a, f32>),
}

/// The targets of a data set, one per sample.
#[derive(Clone, Copy, Debug)]
pub enum Targets<'a> {
    /// A class label per sample ([`Output::SoftmaxCrossEntropy`]).
    Labels(&'a [u8]),
    /// A row of as many real values as the model has outputs (the other
    /// outputs).
    Values(ArrayView2<'a, f32>),
}

/// How the fast trainer runs.
#[derive(Clone, Debug, PartialEq)]
pub struct FastConfig {
    /// Samples per mini-batch (the last batch of an epoch may be smaller).
    pub batch_size: usize,
    /// Threads, 1 to [`PARTS`]; the results do not depend on it.
    pub threads: usize,
    /// The instruction set; the results do not depend on it.
    pub isa: Isa,
    /// How the two threads wait for each other; the results do not depend
    /// on it.
    pub wait: Wait,
    /// Whether the products skip the inputs that are zero: half of
    /// Fashion-MNIST's pixels in the first layer, and wherever ReLU cut in
    /// the layers after it (those 64 neurons wide or more). While the
    /// weights are finite the results do not depend on it: `0 · w` adds
    /// nothing to a sum. It is here so that the benchmark can measure what
    /// it saves.
    pub skip_zeros: bool,
    /// Where the first layer's inputs are cut between the two parts: part 0
    /// takes inputs `0..c`, part 1 the rest; `None` cuts in the middle. The
    /// time of a part follows its non-zero inputs, so a cut placed by the
    /// data ([`balanced_cut`]) keeps either thread from waiting for the
    /// other. The cut fixes the order of the first layer's sums: the same
    /// cut gives the same bits on every instruction set and thread count,
    /// another cut other last bits.
    pub first_cut: Option<usize>,
}

impl Default for FastConfig {
    /// Batches of 32, as many threads as cores (at most [`PARTS`]), and the
    /// fastest instruction set of this processor.
    fn default() -> FastConfig {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        FastConfig {
            batch_size: 32,
            threads: cores.clamp(1, PARTS),
            isa: Isa::detect(),
            wait: Wait::Spin,
            skip_zeros: true,
            first_cut: None,
        }
    }
}

/// The cut of the first layer's inputs ([`FastConfig::first_cut`]) that
/// gives both parts about the same work on `images` (one image per row,
/// as bytes): the same number of non-zero pixels, counting each input
/// besides as [`ROW_COST`] of a pixel per image, for the update of its
/// row of weights, which every batch makes. It reads at most 4 096
/// images, spread evenly over the rows. For Fashion-MNIST, whose lower
/// half holds more of the garment, it is past the middle.
pub fn balanced_cut(images: ArrayView2<'_, u8>) -> usize {
    let (n, n_in) = images.dim();
    let mut nonzero = vec![0u64; n_in];
    let mut seen = 0u64;
    for image in images.rows().into_iter().step_by(n.div_ceil(4096).max(1)) {
        seen += 1;
        for (count, &p) in nonzero.iter_mut().zip(image) {
            *count += u64::from(p != 0);
        }
    }
    let cost: Vec<f64> = nonzero
        .iter()
        .map(|&c| c as f64 + ROW_COST * seen as f64)
        .collect();
    let total: f64 = cost.iter().sum();
    if total == 0.0 {
        return n_in / 2;
    }
    // The first cut at which part 0 has half the work, or the one before,
    // whichever is nearer to half.
    let mut before = 0.0;
    for (k, &c) in cost.iter().enumerate() {
        if 2.0 * (before + c) >= total {
            let nearer_before = total - 2.0 * before <= 2.0 * (before + c) - total;
            return if nearer_before { k } else { k + 1 };
        }
        before += c;
    }
    n_in / 2
}

/// What [`balanced_cut`] counts for an input's row of weights, per image,
/// in non-zero pixels. An estimate, not a measurement: every step updates
/// every row, a few operations per weight, while a pixel costs a
/// multiply-add per weight in the forward product and another in the
/// gradient for each image in which it is not zero. The cut moves little
/// with it.
pub const ROW_COST: f64 = 1.0 / 40.0;

/// What a stretch of training measured, as Keras reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainStats {
    /// Mean loss over the samples, each taken with the weights as they were
    /// when its batch was processed (before its step).
    pub loss: f32,
    /// For a softmax output, the fraction of the samples whose top score
    /// was their label; for a sigmoid output, the fraction of outputs on
    /// the same side of ½ as their target; in the same sense. NaN for a
    /// linear output, which has no accuracy.
    pub accuracy: f32,
    /// For a linear output, the mean absolute error, in the same sense. NaN
    /// for the other outputs.
    pub mae: f32,
    /// How many samples were visited.
    pub samples: usize,
    /// Whether every weight and bias stayed finite (no NaN, no infinity)
    /// after every step: checked while the steps wrote them, at almost no
    /// cost. Once a weight is not finite it stays so.
    pub weights_finite: bool,
}

impl TrainStats {
    fn from_score(score: BatchScore, samples: usize, output: Output, finite: bool) -> TrainStats {
        let n = samples.max(1) as f64;
        let mean = |sum: f64| (sum / n) as f32;
        TrainStats {
            loss: mean(score.loss_sum),
            accuracy: match output {
                Output::LinearMse => f32::NAN,
                _ => mean(score.correct),
            },
            mae: match output {
                Output::LinearMse => mean(score.abs_error_sum),
                _ => f32::NAN,
            },
            samples,
            weights_finite: finite,
        }
    }
}

/// The time the calling thread spent in one phase of the training steps.
#[derive(Clone, Debug, PartialEq)]
pub struct PhaseTime {
    /// What the phase computes.
    pub phase: String,
    /// Seconds of work, summed over the steps.
    pub work: f64,
    /// Seconds spent waiting for the other thread at the barrier after it.
    pub wait: f64,
}

/// The fused trainer. Build it from a model's parameters, train, read the
/// parameters back.
///
/// ```
/// use appendix_speed::{FastConfig, FastMlp, Hidden, Inputs, Model, Output, Targets};
/// use ndarray::{Array1, Array2};
///
/// // A 4-3-2 network: ReLU hidden layer, softmax output.
/// let w1 = Array2::from_shape_fn((4, 3), |(i, j)| 0.1 * (i as f32 - j as f32));
/// let w2 = Array2::from_shape_fn((3, 2), |(i, j)| 0.2 * (i + j) as f32 - 0.3);
/// let (b1, b2) = (Array1::zeros(3), Array1::zeros(2));
/// let layers = [(w1.view(), b1.view()), (w2.view(), b2.view())];
/// let mut net = FastMlp::from_parameters(&layers, FastConfig::default())?;
///
/// let images = Array2::from_shape_fn((6, 4), |(i, j)| (40 * i + 9 * j) as u8);
/// let labels = [0u8, 1, 0, 1, 1, 0];
/// let order: Vec<usize> = (0..6).collect();
/// let stats = net.train_epoch(images.view(), &labels, &order, 0.01)?;
/// assert_eq!(stats.samples, 6);
/// assert!(stats.weights_finite);
/// let trained = net.parameters();
/// assert_eq!(trained[0].0.dim(), (4, 3));
///
/// // The same shape as a regressor: tanh, linear output, squared error,
/// // momentum 0.9, and a learning rate for each of the three batches of 2.
/// let model = Model { hidden: vec![Hidden::Tanh], output: Output::LinearMse, momentum: 0.9 };
/// let config = FastConfig { batch_size: 2, ..FastConfig::default() };
/// let mut reg = FastMlp::new(&model, &layers, config)?;
/// let x = images.mapv(|p| f32::from(p) / 255.0);
/// let y = Array2::from_shape_fn((6, 2), |(i, j)| (i + j) as f32 / 10.0);
/// let stats = reg.train(Inputs::Floats(x.view()), Targets::Values(y.view()), &order, &[0.1, 0.05, 0.01])?;
/// assert!(stats.mae.is_finite() && stats.accuracy.is_nan());
/// # Ok::<(), ch04_backprop::NetError>(())
/// ```
pub struct FastMlp {
    shared: Arc<Shared>,
    mailbox: Arc<Mailbox<Option<Task>>>,
    helper: Option<JoinHandle<()>>,
    config: FastConfig,
    model: Model,
    /// `0, 1, …, batch_size − 1`: the order of the rows of one batch.
    identity: Arc<[usize]>,
}

impl fmt::Debug for FastMlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FastMlp")
            .field("sizes", &self.shared.plan.sizes)
            .field("model", &self.model)
            .field("config", &self.config)
            .finish()
    }
}

impl FastMlp {
    /// A trainer for the book's classifier: every layer but the last is
    /// followed by ReLU, the last layer's outputs are logits for softmax
    /// with sparse categorical cross-entropy, and the optimiser is plain
    /// SGD ([`Model::relu_softmax`]). See [`FastMlp::new`].
    pub fn from_parameters(
        layers: &[(ArrayView2<'_, f32>, ArrayView1<'_, f32>)],
        config: FastConfig,
    ) -> Result<FastMlp, NetError> {
        let model = Model::relu_softmax(layers.len().saturating_sub(1));
        FastMlp::new(&model, layers, config)
    }

    /// A trainer for `model` with the dense layers `layers`, each given as
    /// its weights (inputs × outputs, as `ch04_backprop::Dense` stores them)
    /// and bias. Velocities start at zero (see [`FastMlp::set_velocities`]).
    pub fn new(
        model: &Model,
        layers: &[(ArrayView2<'_, f32>, ArrayView1<'_, f32>)],
        config: FastConfig,
    ) -> Result<FastMlp, NetError> {
        let sizes = check_model(model, layers, &config)?;
        let plan = Plan::new(sizes, model, &config);
        let parts = (0..PARTS)
            .map(|t| UnsafeCell::new(Part::new(&plan, t, layers)))
            .collect();
        let shared = Arc::new(Shared {
            exchange: Exchange::new(&plan),
            barrier: SpinBarrier::new(config.threads, config.wait),
            plan,
            parts,
            #[cfg(test)]
            fault: step::Fault::default(),
        });
        let mailbox = Arc::new(Mailbox::new());
        let helper = if config.threads > 1 {
            let (to_share, to_post) = (Arc::clone(&shared), Arc::clone(&mailbox));
            let (isa, mine) = (config.isa, PARTS.div_ceil(config.threads)..PARTS);
            let handle = std::thread::Builder::new()
                .name("fast-trainer".into())
                .spawn(move || helper_thread(&to_share, &to_post, isa, mine))
                .map_err(|e| {
                    NetError::InvalidArgument(format!(
                        "could not start the helper thread ({e}); ask for 1 thread"
                    ))
                })?;
            mailbox.set_helper(handle.thread().clone());
            Some(handle)
        } else {
            None
        };
        Ok(FastMlp {
            shared,
            mailbox,
            helper,
            identity: (0..config.batch_size).collect(),
            config,
            model: model.clone(),
        })
    }

    /// Neurons per layer, inputs first.
    pub fn sizes(&self) -> &[usize] {
        &self.shared.plan.sizes
    }

    /// The configuration the trainer runs with.
    pub fn config(&self) -> &FastConfig {
        &self.config
    }

    /// The activations, loss and momentum the trainer trains with.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The current weights (inputs × outputs) and biases of every layer, at
    /// any time between two training calls (for a checkpoint, say).
    pub fn parameters(&self) -> Vec<(Array2<f32>, Array1<f32>)> {
        // SAFETY: tasks run only inside `&mut self` methods, which wait for
        // the helper to finish, even when they unwind; none is running now.
        let parts = (0..PARTS).map(|t| unsafe { self.shared.part(t) });
        assemble(&self.shared.plan, Which::Parameters, parts)
    }

    /// The optimiser's current velocities, shaped like the parameters: all
    /// zero without momentum.
    pub fn velocities(&self) -> Vec<(Array2<f32>, Array1<f32>)> {
        let plan = &self.shared.plan;
        if !plan.has_momentum() {
            let shape = |l: usize| (plan.sizes[l], plan.sizes[l + 1]);
            return (0..plan.layers())
                .map(|l| (Array2::zeros(shape(l)), Array1::zeros(shape(l).1)))
                .collect();
        }
        // SAFETY: no task is running (see `parameters`).
        let parts = (0..PARTS).map(|t| unsafe { self.shared.part(t) });
        assemble(plan, Which::Velocities, parts)
    }

    /// Replaces the optimiser's velocities (to carry momentum over from
    /// another trainer); they must have the parameters' shapes. Without
    /// momentum, only zeros are accepted.
    pub fn set_velocities(
        &mut self,
        velocities: &[(ArrayView2<'_, f32>, ArrayView1<'_, f32>)],
    ) -> Result<(), NetError> {
        self.check_sound()?;
        let plan = &self.shared.plan;
        if velocities.len() != plan.layers() {
            return Err(NetError::shape(
                "the velocities (one pair per layer)",
                &[plan.layers()],
                &[velocities.len()],
            ));
        }
        for (l, (v, b)) in velocities.iter().enumerate() {
            let (n_in, n_out) = (plan.sizes[l], plan.sizes[l + 1]);
            if v.dim() != (n_in, n_out) || b.len() != n_out {
                return Err(NetError::shape(
                    format!("the velocities of layer {}", l + 1),
                    &[n_in, n_out, n_out],
                    &[v.nrows(), v.ncols(), b.len()],
                ));
            }
        }
        if !plan.has_momentum() {
            let zero = velocities
                .iter()
                .all(|(v, b)| v.iter().chain(b).all(|&x| x == 0.0));
            return match zero {
                true => Ok(()),
                false => Err(NetError::InvalidArgument(
                    "plain SGD keeps no velocities: build the trainer with momentum".into(),
                )),
            };
        }
        for t in 0..PARTS {
            let plan = &self.shared.plan;
            // SAFETY: no task is running, and `&mut self` is exclusive, so
            // no other reference to the part exists.
            let part = unsafe { &mut *self.shared.parts[t].get() };
            part.scatter(plan, Which::Velocities, velocities);
        }
        Ok(())
    }

    /// Where thread `thread`'s time went (0 is the calling thread, 1 the
    /// helper) during the last training call, phase by phase; `None` for a
    /// thread the trainer does not have.
    pub fn profile(&self, thread: usize) -> Option<Vec<PhaseTime>> {
        if thread >= self.config.threads {
            return None;
        }
        let layers = self.shared.plan.layers();
        let first_part = thread * PARTS.div_ceil(self.config.threads);
        // SAFETY: no task is running (see `parameters`).
        let times = unsafe { self.shared.part(first_part) }.profile.clone();
        let phases = times
            .iter()
            .enumerate()
            .map(|(p, &[work, wait])| PhaseTime {
                phase: match p {
                    0 => "gather, layer 1 forward".to_string(),
                    p if p < layers => format!("layer {} forward", p + 1),
                    p if p == layers => format!("loss, layer {layers} backward"),
                    p => format!("layer {} backward", 2 * layers - p),
                },
                work,
                wait,
            })
            .collect();
        Some(phases)
    }

    // ANCHOR: train_epoch
    /// One epoch of mini-batch SGD on images stored as bytes: the samples
    /// `order` (indices into `images` and `labels`) in that order, in
    /// batches of `config.batch_size`. Each image is one row of `images`,
    /// values 0–255; the network sees them divided by 255.
    pub fn train_epoch(
        &mut self,
        images: ArrayView2<'_, u8>,
        labels: &[u8],
        order: &[usize],
        learning_rate: f32,
    ) -> Result<TrainStats, NetError> {
        let (inputs, targets) = (Inputs::Bytes(images), Targets::Labels(labels));
        self.train(inputs, targets, order, &[learning_rate])
    }
    // ANCHOR_END: train_epoch

    /// Steps of SGD over the samples `order` (indices into the rows of
    /// `inputs` and `targets`), in that order, in batches of
    /// `config.batch_size`. `rates` holds one learning rate for every step,
    /// or a single one for all: a schedule, or the growing rates of a
    /// learning-rate finder, changes the rate between batches at no cost.
    pub fn train(
        &mut self,
        inputs: Inputs<'_>,
        targets: Targets<'_>,
        order: &[usize],
        rates: &[f32],
    ) -> Result<TrainStats, NetError> {
        self.steps(inputs, targets, order, Some(rates), &[])
    }

    /// [`train`](Self::train), told which samples `then` (at most a batch)
    /// the next call will start with: while the last batch of `order`
    /// trains, each thread asks the memory for its share of them, as
    /// `train` does for each next batch of `order` itself. A hint only, that
    /// changes no result; this is how chapter 9's `fit`, which hands the
    /// trainer one batch at a time, gets the same head start.
    pub fn train_then(
        &mut self,
        inputs: Inputs<'_>,
        targets: Targets<'_>,
        order: &[usize],
        rates: &[f32],
        then: &[usize],
    ) -> Result<TrainStats, NetError> {
        self.steps(inputs, targets, order, Some(rates), then)
    }

    /// The loss and metrics of the model as it is on the samples `order`,
    /// in batches of `config.batch_size`, changing no weight: the forward
    /// half of a step, on the trainer's threads. This is how chapter 9's
    /// `fit` measures the validation data on the fast engine.
    /// `weights_finite` in the result says whether the loss is finite.
    pub fn evaluate(
        &mut self,
        inputs: Inputs<'_>,
        targets: Targets<'_>,
        order: &[usize],
    ) -> Result<TrainStats, NetError> {
        self.steps(inputs, targets, order, None, &[])
    }

    /// [`train_then`](Self::train_then) with `rates`, or
    /// [`evaluate`](Self::evaluate) without.
    fn steps(
        &mut self,
        inputs: Inputs<'_>,
        targets: Targets<'_>,
        order: &[usize],
        rates: Option<&[f32]>,
        then: &[usize],
    ) -> Result<TrainStats, NetError> {
        self.check_sound()?;
        let batches = order.len().div_ceil(self.config.batch_size);
        let learn = rates.is_some();
        let rates = rates.unwrap_or(&[1.0]);
        if rates.len() != 1 && rates.len() != batches {
            return Err(NetError::InvalidArgument(format!(
                "{} learning rates for {batches} batches: give one, or one per batch",
                rates.len()
            )));
        }
        let n = match inputs {
            Inputs::Bytes(x) => x.dim(),
            Inputs::Floats(x) => x.dim(),
        };
        self.check_data(n, targets, order, rates)?;
        if then.len() > self.config.batch_size || then.iter().any(|&i| i >= n.0) {
            return Err(NetError::InvalidArgument(format!(
                "the next batch must be at most {} sample indices below {}",
                self.config.batch_size, n.0
            )));
        }
        let bytes;
        let floats;
        let source = match inputs {
            Inputs::Bytes(x) => {
                bytes = x.as_standard_layout();
                Source::Pixels(laid_out(&bytes, "images")?.as_ptr())
            }
            Inputs::Floats(x) => {
                floats = x.as_standard_layout();
                let values = laid_out(&floats, "inputs")?;
                Source::Rows {
                    x: values.as_ptr(),
                    stride: n.1,
                }
            }
        };
        let values;
        let targets = match targets {
            Targets::Labels(labels) => TargetSource::Labels(labels.as_ptr()),
            Targets::Values(y) => {
                values = y.as_standard_layout();
                TargetSource::Values {
                    y: laid_out(&values, "targets")?.as_ptr(),
                    stride: y.ncols(),
                }
            }
        };
        let (score, finite) = self.run(Task {
            source,
            targets,
            order: order.as_ptr(),
            order_len: order.len(),
            then: then.as_ptr(),
            then_len: then.len(),
            rates: rates.as_ptr(),
            rates_len: rates.len(),
            learn,
        });
        let stats = TrainStats::from_score(score, order.len(), self.model.output, finite);
        Ok(match learn {
            true => stats,
            false => TrainStats {
                weights_finite: stats.loss.is_finite(),
                ..stats
            },
        })
    }

    /// One step of SGD on a batch of samples already scaled to `f32`, one
    /// per row of `x` (at most `config.batch_size` rows), with class labels.
    pub fn train_batch(
        &mut self,
        x: ArrayView2<'_, f32>,
        labels: &[u8],
        learning_rate: f32,
    ) -> Result<TrainStats, NetError> {
        self.train_batch_on(x, Targets::Labels(labels), learning_rate)
    }

    /// One step of SGD on a batch: the samples `x`, one per row (at most
    /// `config.batch_size` rows), and their targets. This is how chapter
    /// 9's `fit` uses the trainer; the learning rate may change from one
    /// call to the next.
    pub fn train_batch_on(
        &mut self,
        x: ArrayView2<'_, f32>,
        targets: Targets<'_>,
        learning_rate: f32,
    ) -> Result<TrainStats, NetError> {
        let rows = x.nrows();
        if rows == 0 {
            return Err(NetError::EmptyBatch);
        }
        if rows > self.config.batch_size {
            return Err(NetError::InvalidArgument(format!(
                "a batch of {rows} samples is larger than the trainer's batch size {}",
                self.config.batch_size
            )));
        }
        // A second handle (no copy), since `train` borrows `self` mutably.
        let identity = Arc::clone(&self.identity);
        self.train(
            Inputs::Floats(x),
            targets,
            &identity[..rows],
            &[learning_rate],
        )
    }

    /// Runs a task on every part, the helper thread taking its share, and
    /// returns part 0's score, and whether every part's weights stayed
    /// finite, once every thread is done. Returns, or unwinds, only when the
    /// helper is done with the task.
    fn run(&mut self, task: Task) -> (BatchScore, bool) {
        let mine = 0..PARTS.div_ceil(self.config.threads);
        let helper = self.helper.is_some().then(|| {
            self.mailbox.post(Some(task));
            HelperDone {
                mailbox: &self.mailbox,
                barrier: &self.shared.barrier,
            }
        });
        // SAFETY: the data behind `task` were checked by `check_data`, and
        // are borrowed by our caller or laid out by it in buffers it drops
        // only after this call returns or unwinds, so they outlive it; this call
        // ends only after `helper` is dropped, which waits for the helper
        // thread to finish the task, also when `step::run` unwinds. The ISA
        // was checked when the trainer was built; the helper runs the other
        // parts.
        unsafe { step::run(self.config.isa, &self.shared, task, mine) };
        drop(helper);
        if self.shared.barrier.is_poisoned() {
            panic!("the helper thread of the fast trainer panicked");
        }
        // SAFETY (both blocks): no task is running any more (the helper is
        // done).
        let finite = (0..PARTS).all(|t| unsafe { self.shared.part(t) }.finite);
        (unsafe { self.shared.part(0) }.score, finite)
    }

    /// Refuses to train after a step panicked: the parts may be half
    /// updated and the barrier is broken.
    fn check_sound(&self) -> Result<(), NetError> {
        if self.shared.barrier.is_poisoned() {
            return Err(NetError::InvalidArgument(
                "a training step of this trainer panicked: its weights are partly updated; \
                 build a new trainer"
                    .into(),
            ));
        }
        Ok(())
    }

    fn check_data(
        &self,
        (n, n_in): (usize, usize),
        targets: Targets<'_>,
        order: &[usize],
        rates: &[f32],
    ) -> Result<(), NetError> {
        let plan = &self.shared.plan;
        if n_in != plan.sizes[0] {
            return Err(NetError::shape(
                "the samples",
                &[n, plan.sizes[0]],
                &[n, n_in],
            ));
        }
        let outputs = plan.classes();
        match (targets, self.model.output.takes_labels()) {
            (Targets::Labels(labels), true) => {
                if labels.len() != n {
                    return Err(NetError::shape(
                        "the labels (one per sample)",
                        &[n],
                        &[labels.len()],
                    ));
                }
                // Only the labels of the samples trained on: a batch of a
                // large data set is checked in time of its own size.
                let used = order.iter().filter_map(|&i| labels.get(i));
                if let Some(&bad) = used.into_iter().find(|&&y| usize::from(y) >= outputs) {
                    return Err(NetError::InvalidArgument(format!(
                        "label {bad} is out of range for {outputs} classes"
                    )));
                }
            }
            (Targets::Values(y), false) => {
                if y.dim() != (n, outputs) {
                    return Err(NetError::shape(
                        "the targets (a row per sample, a value per output)",
                        &[n, outputs],
                        y.shape(),
                    ));
                }
            }
            (Targets::Labels(_), false) => {
                return Err(NetError::InvalidArgument(format!(
                    "the {:?} output learns from real values, not class labels",
                    self.model.output
                )));
            }
            (Targets::Values(_), true) => {
                return Err(NetError::InvalidArgument(
                    "the softmax output learns from class labels, not real values".into(),
                ));
            }
        }
        if let Some(&bad) = order.iter().find(|&&i| i >= n) {
            return Err(NetError::InvalidArgument(format!(
                "sample index {bad} is out of range for {n} samples"
            )));
        }
        rates
            .iter()
            .try_for_each(|&lr| ch04_backprop::optimizer::check_learning_rate(lr))
    }
}

/// The elements of an array laid out by rows, or an error naming `what`.
fn laid_out<'a, T>(
    x: &'a ndarray::CowArray<'_, T, ndarray::Ix2>,
    what: &str,
) -> Result<&'a [T], NetError> {
    x.as_slice().ok_or_else(|| {
        NetError::InvalidArgument(format!("the {what} could not be laid out by rows"))
    })
}

impl Drop for FastMlp {
    fn drop(&mut self) {
        if let Some(helper) = self.helper.take() {
            self.mailbox.post(None);
            // A helper that panicked has already made a task panic; there is
            // nothing more to report here.
            let _ = helper.join();
        }
    }
}

/// Makes [`FastMlp::run`] wait for the helper thread when dropped, even
/// while the calling thread unwinds: the task's data (borrowed by the
/// caller, or a laid-out copy of the batch in `train_batch`) may be freed
/// only once the helper has stopped reading them. While unwinding it first
/// poisons the barrier, so that the helper stops at its next barrier
/// instead of waiting there for ever.
struct HelperDone<'a> {
    mailbox: &'a Mailbox<Option<Task>>,
    barrier: &'a SpinBarrier,
}

impl Drop for HelperDone<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.barrier.poison();
        }
        self.mailbox.wait_finished();
    }
}

/// The helper thread: waits for tasks and runs its parts of each, until it
/// is told to stop. A task that panics (the barrier was poisoned by the
/// calling thread, or a bug) is caught here, so that the helper still
/// reports it finished and stays ready to be stopped.
fn helper_thread(
    shared: &Shared,
    mailbox: &Mailbox<Option<Task>>,
    isa: Isa,
    mine: std::ops::Range<usize>,
) {
    let mut seen = 0;
    loop {
        let (n, task) = mailbox.wait_posted(seen, shared.barrier.wait_kind());
        seen = n;
        if let Some(task) = task {
            let parts = mine.clone();
            let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                // SAFETY: the poster checked the task and keeps its data
                // alive until `finish` below, even while it unwinds (see
                // `HelperDone`); the calling thread runs the other parts.
                unsafe { step::run(isa, shared, task, parts) }
            }));
            if ran.is_err() {
                // The caller learns it from the poisoned barrier.
                shared.barrier.poison();
            }
        }
        mailbox.finish(n);
        if task.is_none() {
            return;
        }
    }
}

/// Checks a model and a configuration; returns the layer sizes.
fn check_model(
    model: &Model,
    layers: &[(ArrayView2<'_, f32>, ArrayView1<'_, f32>)],
    config: &FastConfig,
) -> Result<Vec<usize>, NetError> {
    let Some((first, _)) = layers.first() else {
        return Err(NetError::InvalidArgument(
            "the model needs at least one layer".into(),
        ));
    };
    if model.hidden.len() + 1 != layers.len() {
        return Err(NetError::InvalidArgument(format!(
            "{} layers need {} hidden activations, not {}",
            layers.len(),
            layers.len() - 1,
            model.hidden.len()
        )));
    }
    ch04_backprop::optimizer::check_momentum(model.momentum)?;
    if config.batch_size == 0 {
        return Err(NetError::InvalidArgument(
            "the batch size must be at least 1".into(),
        ));
    }
    if config.threads == 0 || config.threads > PARTS {
        return Err(NetError::InvalidArgument(format!(
            "threads must be between 1 and {PARTS}, not {}",
            config.threads
        )));
    }
    if !config.isa.is_available() {
        return Err(NetError::InvalidArgument(format!(
            "this processor cannot run the {} kernels",
            config.isa.name()
        )));
    }
    if let Some(cut) = config.first_cut.filter(|&cut| cut > first.nrows()) {
        return Err(NetError::InvalidArgument(format!(
            "the first layer's cut {cut} is past its {} inputs",
            first.nrows()
        )));
    }
    let mut sizes = vec![first.nrows()];
    for (l, (w, b)) in layers.iter().enumerate() {
        let n_in = sizes[l];
        if w.nrows() != n_in || w.ncols() == 0 {
            return Err(NetError::shape(
                format!("the weights of layer {}", l + 1),
                &[n_in, w.ncols().max(1)],
                w.shape(),
            ));
        }
        if b.len() != w.ncols() {
            return Err(NetError::shape(
                format!("the bias of layer {}", l + 1),
                &[w.ncols()],
                b.shape(),
            ));
        }
        sizes.push(w.ncols());
    }
    if sizes[0] == 0 {
        return Err(NetError::InvalidArgument(
            "the model needs at least one input".into(),
        ));
    }
    Ok(sizes)
}

#[cfg(test)]
mod tests;
