//! # Appendix: how fast is it?
//!
//! A fused, allocation-free trainer for the book's model, and the only
//! crate of the book with `unsafe` code.
//!
//! The chapters train with clear code: a `Dense` layer computes `X · W + b`
//! with `ndarray`, backpropagation allocates its gradients, the optimiser
//! subtracts them. That is the right code to read. This crate computes
//! *the same mathematics* for one family of models (stacks of dense layers
//! with ReLU hidden layers, a softmax output, sparse categorical
//! cross-entropy and plain SGD) as fast as two CPU cores allow. It knows
//! nothing of chapter 8's `Sequential`: a model is handed to it as a list of
//! weight matrices and biases ([`FastMlp::from_parameters`]), and chapter 9
//! adapts a `Sequential` model to it behind `fit`. The appendix "How fast is
//! it?" tells the story; in short:
//!
//! - every weight matrix is cut by rows (by the layer's inputs) into
//!   [`PARTS`] parts; the calling thread works on one, a long-lived helper
//!   thread on the other, and each alone reads and updates its rows, so they
//!   stay in its core's cache;
//! - a step is a few phases separated by a spinning barrier; the threads
//!   exchange only partial sums of each product and the gradient flowing
//!   into each hidden layer;
//! - bias and ReLU are applied while the partial sums are combined; softmax,
//!   loss and output gradient are one pass; the weight gradient never exists
//!   as a matrix: each tile of it is subtracted from the weights as soon as
//!   it is summed;
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
use layout::{Exchange, Part, Plan, assemble};
use step::{Shared, Source, Task};
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
        }
    }
}

/// What a stretch of training measured, as Keras reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainStats {
    /// Mean cross-entropy over the samples, each taken with the weights as
    /// they were when its batch was processed (before its step).
    pub loss: f32,
    /// Fraction of the samples whose top score was their label, in the same
    /// sense.
    pub accuracy: f32,
    /// How many samples were visited.
    pub samples: usize,
}

impl TrainStats {
    fn from_score(score: BatchScore, samples: usize) -> TrainStats {
        let n = samples.max(1) as f64;
        TrainStats {
            loss: (score.loss_sum / n) as f32,
            accuracy: (score.correct as f64 / n) as f32,
            samples,
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
/// use appendix_speed::{FastConfig, FastMlp};
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
/// let trained = net.parameters();
/// assert_eq!(trained[0].0.dim(), (4, 3));
/// # Ok::<(), ch04_backprop::NetError>(())
/// ```
pub struct FastMlp {
    shared: Arc<Shared>,
    mailbox: Arc<Mailbox<Option<Task>>>,
    helper: Option<JoinHandle<()>>,
    config: FastConfig,
    /// `0, 1, …, batch_size − 1`: the order of the rows of one batch.
    identity: Vec<usize>,
}

impl fmt::Debug for FastMlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FastMlp")
            .field("sizes", &self.shared.plan.sizes)
            .field("config", &self.config)
            .finish()
    }
}

impl FastMlp {
    /// A trainer for the dense layers `layers`, each given as its weights
    /// (inputs × outputs, as `ch04_backprop::Dense` stores them) and bias.
    /// Every layer but the last is followed by ReLU; the last layer's outputs
    /// are logits for softmax with sparse categorical cross-entropy.
    pub fn from_parameters(
        layers: &[(ArrayView2<'_, f32>, ArrayView1<'_, f32>)],
        config: FastConfig,
    ) -> Result<FastMlp, NetError> {
        let sizes = check_model(layers, &config)?;
        let plan = Plan::new(sizes, config.batch_size);
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

    /// The current weights (inputs × outputs) and biases of every layer.
    pub fn parameters(&self) -> Vec<(Array2<f32>, Array1<f32>)> {
        // SAFETY: tasks run only inside `&mut self` methods, which wait for
        // the helper to finish, even when they unwind; none is running now.
        let parts = (0..PARTS).map(|t| unsafe { self.shared.part(t) });
        assemble(&self.shared.plan, parts)
    }

    /// Where thread `thread`'s time went (0 is the calling thread, 1 the
    /// helper) during the last call of [`FastMlp::train_epoch`] or
    /// [`FastMlp::train_batch`], phase by phase; `None` for a thread the
    /// trainer does not have.
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
                    p if p == layers => format!("softmax, layer {layers} backward"),
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
        self.check_sound()?;
        self.check_data(images.dim(), labels, order, learning_rate)?;
        let images = images.as_standard_layout();
        let pixels = images.as_slice().ok_or_else(|| {
            NetError::InvalidArgument("the images could not be laid out by rows".into())
        })?;
        let score = self.run(Task {
            source: Source::Pixels(pixels.as_ptr()),
            labels: labels.as_ptr(),
            order: order.as_ptr(),
            order_len: order.len(),
            lr: learning_rate,
        });
        Ok(TrainStats::from_score(score, order.len()))
    }
    // ANCHOR_END: train_epoch

    /// One step of SGD on a batch of samples already scaled to `f32`, one
    /// per row of `x` (at most `config.batch_size` rows). This is how
    /// chapter 9's `fit` uses the trainer.
    pub fn train_batch(
        &mut self,
        x: ArrayView2<'_, f32>,
        labels: &[u8],
        learning_rate: f32,
    ) -> Result<TrainStats, NetError> {
        self.check_sound()?;
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
        let order = &self.identity[..rows];
        self.check_data(x.dim(), labels, order, learning_rate)?;
        let x = x.as_standard_layout();
        let values = x.as_slice().ok_or_else(|| {
            NetError::InvalidArgument("the batch could not be laid out by rows".into())
        })?;
        let task = Task {
            source: Source::Rows {
                x: values.as_ptr(),
                stride: x.ncols(),
            },
            labels: labels.as_ptr(),
            order: order.as_ptr(),
            order_len: rows,
            lr: learning_rate,
        };
        let score = self.run(task);
        Ok(TrainStats::from_score(score, rows))
    }

    /// Runs a task on every part, the helper thread taking its share, and
    /// returns part 0's score once every thread is done. Returns, or
    /// unwinds, only when the helper is done with the task.
    fn run(&mut self, task: Task) -> BatchScore {
        let mine = 0..PARTS.div_ceil(self.config.threads);
        let helper = self.helper.is_some().then(|| {
            self.mailbox.post(Some(task));
            HelperDone {
                mailbox: &self.mailbox,
                barrier: &self.shared.barrier,
            }
        });
        // SAFETY: the data behind `task` were checked by `check_data` and
        // are borrowed by our caller, so they outlive this call; this call
        // ends only after `helper` is dropped, which waits for the helper
        // thread to finish the task, also when `step::run` unwinds. The ISA
        // was checked when the trainer was built; the helper runs the other
        // parts.
        unsafe { step::run(self.config.isa, &self.shared, task, mine) };
        drop(helper);
        if self.shared.barrier.is_poisoned() {
            panic!("the helper thread of the fast trainer panicked");
        }
        // SAFETY: no task is running any more (the helper is done).
        unsafe { self.shared.part(0) }.score
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
        labels: &[u8],
        order: &[usize],
        learning_rate: f32,
    ) -> Result<(), NetError> {
        let plan = &self.shared.plan;
        if n_in != plan.sizes[0] {
            return Err(NetError::shape(
                "the samples",
                &[n, plan.sizes[0]],
                &[n, n_in],
            ));
        }
        if labels.len() != n {
            return Err(NetError::shape(
                "the labels (one per sample)",
                &[n],
                &[labels.len()],
            ));
        }
        let classes = plan.classes();
        if let Some(&bad) = labels.iter().find(|&&y| usize::from(y) >= classes) {
            return Err(NetError::InvalidArgument(format!(
                "label {bad} is out of range for {classes} classes"
            )));
        }
        if let Some(&bad) = order.iter().find(|&&i| i >= n) {
            return Err(NetError::InvalidArgument(format!(
                "sample index {bad} is out of range for {n} samples"
            )));
        }
        ch04_backprop::optimizer::check_learning_rate(learning_rate)
    }
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
    layers: &[(ArrayView2<'_, f32>, ArrayView1<'_, f32>)],
    config: &FastConfig,
) -> Result<Vec<usize>, NetError> {
    let Some((first, _)) = layers.first() else {
        return Err(NetError::InvalidArgument(
            "the model needs at least one layer".into(),
        ));
    };
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
