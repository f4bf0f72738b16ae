//! The phases of a training step, and the loop over the steps of a task.
//!
//! Every worker runs the same code on its own parts; the numbers in the
//! comments are for the book's 784-300-100-10 model, whose step has five
//! barriers:
//!
//! | phase | each part, on its rows `K` of each layer | then |
//! | --- | --- | --- |
//! | 1 | gather its pixels of the batch; `P₁ = X[:, K] · W₁[K, :]` | barrier |
//! | 2 | its columns of `A₁ = f(ΣP₁ + b₁)`; `P₂ = A₁[:, K] · W₂[K, :]` | barrier |
//! | 3 | its columns of `A₂`; `P₃ = A₂[:, K] · W₃[K, :]` | barrier |
//! | 4 | outputs `ΣP₃ + b₃`, loss, `G₃` (every part, the same); `G₂[:, K]` from `W₃[K, :]`; update `W₃[K, :]`, `b₃`, `b₂[K]` | barrier |
//! | 5 | `G₁[:, K]` from `W₂[K, :]`; update `W₂[K, :]`, `b₁[K]` | barrier |
//! | 6 | update `W₁[K, :]` | — |

use std::cell::UnsafeCell;
use std::ops::Range;

use super::kernels::{self, BatchScore, BatchTargets, Kernels, Rate};
use super::layout::{Exchange, Part, Plan};
use super::team::{PoisonOnPanic, SpinBarrier};
use super::{Isa, Output, PARTS};

/// Where a task's samples come from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Source {
    /// Images as bytes, `plan.sizes[0]` per row, divided by 255 as they
    /// are gathered (chapter 7's scaling).
    Pixels(*const u8),
    /// Samples already as `f32`, one row every `stride` floats.
    Rows { x: *const f32, stride: usize },
}

/// Where a task's targets come from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TargetSource {
    /// One class label per sample.
    Labels(*const u8),
    /// `plan.classes()` values per sample, one row every `stride` floats.
    Values { y: *const f32, stride: usize },
}

/// A task for the workers: steps of SGD over the samples `order` (indices
/// into `source` and `targets`), in batches of `plan.batch`, batch `b` with
/// the learning rate `rates[b]` (or `rates[0]` for all, when there is only
/// one). The pointers stay valid until the task is finished.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Task {
    pub(crate) source: Source,
    pub(crate) targets: TargetSource,
    pub(crate) order: *const usize,
    pub(crate) order_len: usize,
    /// The samples the next task will start with, to ask the memory for
    /// while the last batch of `order` trains.
    pub(crate) then: *const usize,
    pub(crate) then_len: usize,
    pub(crate) rates: *const f32,
    pub(crate) rates_len: usize,
    /// Whether to take the steps; `false` only measures the loss and
    /// metrics (the forward phases and the loss, no update).
    pub(crate) learn: bool,
}

// SAFETY: a task is a description of borrowed data that the poster keeps
// alive, unchanged, until every worker has finished the task, also when the
// poster unwinds (`FastMlp::run` waits for the helper in a drop guard).
unsafe impl Send for Task {}

/// What the workers share: the plan, the exchange buffers, the barrier, and
/// the parts, each used by one thread at a time.
pub(crate) struct Shared {
    pub(crate) plan: Plan,
    pub(crate) exchange: Exchange,
    pub(crate) barrier: SpinBarrier,
    pub(crate) parts: Vec<UnsafeCell<Part>>,
    /// Faults that tests inject (see [`Fault`]).
    #[cfg(test)]
    pub(crate) fault: Fault,
}

/// Faults injected by the tests, to check that a panic in the middle of a
/// step leaves the trainer sound.
#[cfg(test)]
pub(crate) struct Fault {
    /// The calling thread panics after the first phase of this batch of a
    /// task (`usize::MAX`: never).
    pub(crate) caller_panics_at_batch: std::sync::atomic::AtomicUsize,
    /// The helper sleeps this many milliseconds before each batch, so that
    /// it is still reading the batch when the caller panics.
    pub(crate) helper_delay_ms: std::sync::atomic::AtomicU64,
    /// Whether the helper is inside a task now.
    pub(crate) helper_busy: std::sync::atomic::AtomicBool,
}

#[cfg(test)]
impl Default for Fault {
    fn default() -> Fault {
        Fault {
            caller_panics_at_batch: usize::MAX.into(),
            helper_delay_ms: 0.into(),
            helper_busy: false.into(),
        }
    }
}

/// Clears `Fault::helper_busy` when the helper leaves a task, also by
/// unwinding.
#[cfg(test)]
struct Busy<'a>(Option<&'a std::sync::atomic::AtomicBool>);

#[cfg(test)]
impl Drop for Busy<'_> {
    fn drop(&mut self) {
        if let Some(flag) = self.0 {
            flag.store(false, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

// SAFETY: the exchange buffers follow the phase rule of `team`; each part is
// used by the one thread the part is assigned to during a task, and by the
// owner of the trainer between tasks.
unsafe impl Sync for Shared {}

impl Shared {
    /// Part `t`, for reading between tasks.
    ///
    /// # Safety
    ///
    /// No task may be running.
    pub(crate) unsafe fn part(&self, t: usize) -> &Part {
        unsafe { &*self.parts[t].get() }
    }

    /// Part `t`, for the thread that owns it in this task.
    ///
    /// # Safety
    ///
    /// Only one thread may use part `t` at a time.
    #[allow(clippy::mut_from_ref)]
    unsafe fn part_mut(&self, t: usize) -> &mut Part {
        unsafe { &mut *self.parts[t].get() }
    }
}

/// Runs this thread's share of `task`, the parts `parts`, with the kernels
/// for `isa`.
///
/// # Safety
///
/// `isa` must be available on this processor; the task's pointers must be
/// valid and its indices in range; the other parts must be run by the other
/// threads of the team, on the same task, at the same time.
pub(crate) unsafe fn run(isa: Isa, shared: &Shared, task: Task, parts: Range<usize>) {
    unsafe {
        match isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => run_avx512(shared, task, parts),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => run_avx2(shared, task, parts),
            _ => steps::<super::simd::Portable>(shared, task, parts),
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
unsafe fn run_avx512(shared: &Shared, task: Task, parts: Range<usize>) {
    unsafe { steps::<super::simd::Avx512>(shared, task, parts) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn run_avx2(shared: &Shared, task: Task, parts: Range<usize>) {
    unsafe { steps::<super::simd::Avx2>(shared, task, parts) }
}

/// One thread's share of a task: for every batch, the phases of a step, each
/// run for all of this thread's parts, with a barrier wherever the next
/// phase reads what another part wrote.
#[inline(always)]
unsafe fn steps<V: Kernels>(shared: &Shared, task: Task, parts: Range<usize>) {
    let _poison = PoisonOnPanic(&shared.barrier);
    #[cfg(test)]
    let is_helper = parts.start != 0;
    #[cfg(test)]
    let _busy = {
        use std::sync::atomic::Ordering::SeqCst;
        let flag = &shared.fault.helper_busy;
        is_helper.then(|| flag.store(true, SeqCst));
        Busy(is_helper.then_some(flag))
    };
    let layers = shared.plan.layers();
    // SAFETY (for every `part_mut` below): this thread alone runs `parts`.
    let each = || parts.clone().map(|t| unsafe { shared.part_mut(t) });
    for part in each() {
        part.score = BatchScore::default();
        part.finite = true;
    }
    let mut clock = Clock::start();
    // SAFETY: the poster keeps `order`, `then` and `rates` alive for the whole task.
    let order = unsafe { std::slice::from_raw_parts(task.order, task.order_len) };
    let then = unsafe { std::slice::from_raw_parts(task.then, task.then_len) };
    let rates = unsafe { std::slice::from_raw_parts(task.rates, task.rates_len) };
    let momentum = shared.plan.momentum;
    // ANCHOR: steps
    for (b, batch) in order.chunks(shared.plan.batch).enumerate() {
        #[cfg(test)]
        shared.fault.before_batch(is_helper, b);
        let lr = if rates.len() == 1 { rates[0] } else { rates[b] };
        let rate = Rate { lr, mu: momentum };
        // The next batch's samples, to ask the memory for them early: a
        // shuffled image is seldom in any cache.
        let next = match order.get((b + 1) * shared.plan.batch..) {
            Some(rest) if !rest.is_empty() => &rest[..rest.len().min(shared.plan.batch)],
            _ => then,
        };
        for part in each() {
            unsafe { first_layer_forward::<V>(shared, &task, part, batch) };
            unsafe { prefetch_inputs(shared, &task, part, next) };
        }
        #[cfg(test)]
        shared.fault.after_first_phase(is_helper, b);
        clock.phase_done(0, &shared.barrier);
        for l in 1..layers {
            for part in each() {
                unsafe { hidden_layer_forward::<V>(shared, part, l) };
            }
            clock.phase_done(l, &shared.barrier);
        }
        if !task.learn {
            for part in each() {
                unsafe { output_score::<V>(shared, part) };
            }
            // Every part has read the last layer's partial sums before the
            // next batch writes them: with hidden layers, the next batch
            // writes them after its first barrier, which every part reaches
            // only after this; without, in its first phase, so wait here.
            match layers {
                1 => clock.phase_done(layers, &shared.barrier),
                _ => clock.lap(layers, 0),
            }
            continue;
        }
        for part in each() {
            unsafe { output_layer::<V>(shared, part, rate) };
        }
        clock.phase_done(layers, &shared.barrier);
        for l in (0..layers - 1).rev() {
            let grad = shared.exchange.grads[l].ptr();
            for part in each() {
                unsafe { backward::<V>(shared, part, l, grad, rate) };
            }
            let phase = 2 * layers - 1 - l;
            if l > 0 {
                clock.phase_done(phase, &shared.barrier);
            } else {
                // No barrier here: the next step's first phase touches only
                // this part's own rows and its own partial sums, which every
                // other part finished reading before the last barrier.
                clock.lap(phase, 0);
            }
        }
    }
    // ANCHOR_END: steps
    // SAFETY: as above; no other reference to the part is alive.
    clock.stop(unsafe { &mut shared.part_mut(parts.start).profile });
}
#[cfg(test)]
impl Fault {
    fn before_batch(&self, is_helper: bool, _batch: usize) {
        let ms = self
            .helper_delay_ms
            .load(std::sync::atomic::Ordering::SeqCst);
        if is_helper && ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    }

    fn after_first_phase(&self, is_helper: bool, batch: usize) {
        let at = self
            .caller_panics_at_batch
            .load(std::sync::atomic::Ordering::SeqCst);
        if !is_helper && batch == at {
            panic!("injected fault: the calling thread panics in batch {batch}");
        }
    }
}

/// Where a thread's time goes: for each phase, seconds of work and seconds
/// waiting at the barrier after it, summed over a task. Reading the clock
/// costs about 20 ns, a few hundred microseconds per epoch.
struct Clock {
    sums: [[f64; 2]; MAX_PHASES],
    last: std::time::Instant,
}

/// Phases tracked by [`Clock`]: two per layer, for models of up to 8 layers.
pub(crate) const MAX_PHASES: usize = 16;

impl Clock {
    fn start() -> Clock {
        Clock {
            sums: [[0.0; 2]; MAX_PHASES],
            last: std::time::Instant::now(),
        }
    }

    /// Adds the time since the last lap to phase `phase`, column `what`
    /// (0 work, 1 waiting).
    #[inline(always)]
    fn lap(&mut self, phase: usize, what: usize) {
        let now = std::time::Instant::now();
        if let Some(sum) = self.sums.get_mut(phase) {
            sum[what] += (now - self.last).as_secs_f64();
        }
        self.last = now;
    }

    /// The work of `phase` is done: time it, wait at the barrier, time that.
    #[inline(always)]
    fn phase_done(&mut self, phase: usize, barrier: &SpinBarrier) {
        self.lap(phase, 0);
        barrier.wait();
        self.lap(phase, 1);
    }

    /// Writes the sums where the trainer can read them.
    fn stop(self, times: &mut [[f64; 2]]) {
        let n = times.len().min(MAX_PHASES);
        times[..n].copy_from_slice(&self.sums[..n]);
    }
}
/// Asks the memory for this part's inputs of the samples `batch` (a hint
/// that changes nothing but time), so that they are in a cache when the
/// batch is gathered.
#[inline(always)]
unsafe fn prefetch_inputs(shared: &Shared, task: &Task, part: &Part, batch: &[usize]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let rows = &shared.plan.rows[0][part.index];
        // Where the samples start, how many values apart, how many bytes each.
        let (start, row, size) = match task.source {
            Source::Pixels(pixels) => (pixels.cast::<i8>(), shared.plan.sizes[0], 1),
            Source::Rows { x, stride } => (x.cast::<i8>(), stride, 4),
        };
        for &i in batch {
            let first = start.wrapping_add((i * row + rows.start) * size);
            for line in (0..rows.len() * size).step_by(64) {
                // SAFETY: a prefetch reads nothing and cannot fault, even
                // at an address outside the data; `wrapping_add` makes no
                // promise about the address either.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(first.wrapping_add(line)) };
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (shared, task, part, batch);
}

/// Phase 1: gather this part's inputs of the batch and multiply them by this
/// part's rows of the first layer.
#[inline(always)]
unsafe fn first_layer_forward<V: Kernels>(
    shared: &Shared,
    task: &Task,
    part: &mut Part,
    batch: &[usize],
) {
    let plan = &shared.plan;
    let rows = &plan.rows[0][part.index];
    unsafe {
        part.batch_len = batch.len();
        match task.targets {
            TargetSource::Labels(labels) => {
                part.labels.clear();
                part.labels.extend(batch.iter().map(|&i| *labels.add(i)));
            }
            TargetSource::Values { y, stride } => {
                let k = plan.classes();
                part.targets.clear();
                for &i in batch {
                    let row = std::slice::from_raw_parts(y.add(i * stride), k);
                    part.targets.extend_from_slice(row);
                }
            }
        }
        match task.source {
            Source::Pixels(pixels) => kernels::gather::<V>(
                pixels,
                plan.sizes[0],
                batch,
                rows.start,
                rows.len(),
                part.x.ptr(),
                part.x_stride,
                plan.padded_batch,
            ),
            Source::Rows { x, stride } => kernels::gather_rows(
                x,
                stride,
                batch,
                rows.start,
                rows.len(),
                part.x.ptr(),
                part.x_stride,
                plan.padded_batch,
            ),
        }
        let (x, x_stride) = (part.x.ptr(), part.x_stride);
        layer_forward::<V>(shared, part, 0, x, x_stride);
    }
}

/// The product of layer `l`'s input `a` (rows `a_stride` apart) with this
/// part's rows of its weights, into this part's partial sums: skipping the
/// inputs that are zero, unless too few are (see [`kernels::NonZeros`]).
#[inline(always)]
unsafe fn layer_forward<V: Kernels>(
    shared: &Shared,
    part: &mut Part,
    l: usize,
    a: *const f32,
    a_stride: usize,
) {
    let plan = &shared.plan;
    let (kdim, nv) = (plan.rows[l][part.index].len(), plan.widths[l] / 16);
    let (w, p) = (
        part.weights[l].ptr(),
        shared.exchange.partials[l][part.index].ptr(),
    );
    let nonzeros = &mut part.nonzeros[l];
    unsafe {
        nonzeros.mark::<V>(a, a_stride, part.batch_len);
        if nonzeros.dense {
            V::forward(a, a_stride, w, kdim, nv, p, plan.padded_batch);
        } else {
            V::forward_sparse(nonzeros, a, a_stride, w, nv, p);
        }
    }
}

/// Phases 2…L: finish this part's columns of hidden layer `l − 1` (sum of
/// the parts' partial products, bias, activation) and multiply them by this
/// part's rows of layer `l`.
#[inline(always)]
unsafe fn hidden_layer_forward<V: Kernels>(shared: &Shared, part: &mut Part, l: usize) {
    let plan = &shared.plan;
    let cols = &plan.rows[l][part.index];
    let below = &shared.exchange.partials[l - 1];
    let partials: [*const f32; PARTS] =
        std::array::from_fn(|t| below[t].ptr().wrapping_add(cols.start).cast_const());
    unsafe {
        kernels::activation_of_sum::<V>(
            &partials,
            plan.widths[l - 1],
            part.hidden_bias[l - 1].ptr(),
            plan.hidden[l - 1],
            cols.len() / 16,
            plan.sizes[l].saturating_sub(cols.start),
            part.acts[l - 1].ptr(),
            part.batch_len,
            plan.padded_batch,
        );
        let a = part.acts[l - 1].ptr();
        layer_forward::<V>(shared, part, l, a, cols.len());
    }
}

/// The outputs, loss and output gradient of the batch (every part computes
/// them, identically), added to this part's score.
#[inline(always)]
unsafe fn output_score<V: Kernels>(shared: &Shared, part: &mut Part) {
    let plan = &shared.plan;
    let last = plan.layers() - 1;
    let partials: [*const f32; PARTS] =
        std::array::from_fn(|t| shared.exchange.partials[last][t].ptr().cast_const());
    unsafe {
        let targets = match plan.output {
            Output::SoftmaxCrossEntropy => BatchTargets::Labels(&part.labels),
            _ => BatchTargets::Values(&part.targets),
        };
        let score = kernels::output_loss::<V>(
            plan.output,
            &partials,
            part.output_bias.ptr(),
            plan.widths[last],
            plan.classes(),
            targets,
            part.batch_len,
            part.logits.ptr(),
            part.output_grad.ptr(),
            plan.padded_batch,
        );
        part.score.loss_sum += score.loss_sum;
        part.score.correct += score.correct;
        part.score.abs_error_sum += score.abs_error_sum;
    }
}

/// The output phase: outputs, loss and output gradient (every part
/// computes them, identically), then the backward pass through this part's
/// rows of the output layer, and the output bias.
#[inline(always)]
unsafe fn output_layer<V: Kernels>(shared: &Shared, part: &mut Part, rate: Rate) {
    let plan = &shared.plan;
    let last = plan.layers() - 1;
    let width = plan.widths[last];
    unsafe {
        output_score::<V>(shared, part);
        let grad = part.output_grad.ptr();
        backward::<V>(shared, part, last, grad, rate);
        let velocity = match plan.has_momentum() {
            true => part.output_bias_velocity.ptr(),
            false => std::ptr::null_mut(),
        };
        part.finite &= kernels::update_bias::<V>(
            grad,
            width,
            plan.padded_batch,
            part.output_bias.ptr(),
            velocity,
            width / 16,
            rate,
        );
    }
}

/// Backward through this part's rows of layer `l`, given `grad = ∂L/∂Z` of
/// the layer (all columns): first the gradient into this part's columns of
/// the layer below (times the slope of its activation; that layer's bias is
/// updated from it), then the fused weight update, which must come second
/// because it changes the rows the first product reads.
#[inline(always)]
unsafe fn backward<V: Kernels>(
    shared: &Shared,
    part: &mut Part,
    l: usize,
    grad: *const f32,
    rate: Rate,
) {
    let plan = &shared.plan;
    let rows = &plan.rows[l][part.index];
    let nv = plan.widths[l] / 16;
    let momentum = plan.has_momentum();
    unsafe {
        if l > 0 {
            let below = shared.exchange.grads[l - 1].ptr().add(rows.start);
            V::input_gradient(
                grad,
                part.weights[l].ptr(),
                rows.len(),
                nv,
                part.acts[l - 1].ptr(),
                rows.len(),
                plan.hidden[l - 1],
                below,
                plan.widths[l - 1],
                plan.padded_batch,
            );
            let velocity = match momentum {
                true => part.hidden_bias_velocity[l - 1].ptr(),
                false => std::ptr::null_mut(),
            };
            part.finite &= kernels::update_bias::<V>(
                below,
                plan.widths[l - 1],
                plan.padded_batch,
                part.hidden_bias[l - 1].ptr(),
                velocity,
                rows.len() / 16,
                rate,
            );
        }
        let (input, stride) = match l {
            0 => (part.x.ptr(), part.x_stride),
            _ => (part.acts[l - 1].ptr(), rows.len()),
        };
        let velocity = match momentum {
            true => part.velocity[l].ptr(),
            false => std::ptr::null_mut(),
        };
        let nonzeros = &part.nonzeros[l];
        if !nonzeros.dense {
            let w = part.weights[l].ptr();
            part.finite &= V::update_sparse(nonzeros, input, stride, grad, w, velocity, nv, rate);
            return;
        }
        part.finite &= V::update(
            input,
            stride,
            grad,
            plan.padded_batch,
            part.weights[l].ptr(),
            velocity,
            rows.len(),
            nv,
            rate,
        );
    }
}
