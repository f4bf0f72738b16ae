//! Two workers, one step: the buffers they share, the barrier between the
//! phases of a training step, and the mailbox that hands the helper thread
//! its work.
//!
//! The fast trainer cuts every weight matrix into *parts* by rows (by the
//! inputs of the layer). The calling thread works on the first part, a
//! long-lived helper thread on the second; each is the only one that reads
//! or writes its rows of the weights, so they stay in its core's cache.
//! What the workers must exchange (partial sums of each layer's product and
//! the gradient that flows back into a hidden layer) goes through a few
//! [`Buffer`]s, under one rule:
//!
//! > Between two calls of [`SpinBarrier::wait`], every element of a shared
//! > buffer is either written by one worker and read by nobody, or read by
//! > any number of workers and written by nobody.
//!
//! The barrier's atomic operations order the writes of one phase before the
//! reads of the next. This module holds the `unsafe` of the fast engine that
//! is not about SIMD instructions.

use std::cell::UnsafeCell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// Sixteen floats on one 64-byte cache line.
#[repr(C, align(64))]
struct Line(UnsafeCell<[f32; 16]>);

/// A zero-initialised, cache-line-aligned `f32` buffer whose length is a
/// multiple of 16. It may be shared between the workers of a team
/// (see the module's rule); when owned by one worker it is used through the
/// safe [`Buffer::as_mut_slice`].
pub(crate) struct Buffer {
    lines: Box<[Line]>,
}

// SAFETY: the buffer is plain memory; concurrent access is governed by the
// phase rule above, which the fast trainer's phases respect.
unsafe impl Sync for Buffer {}

impl Buffer {
    /// A buffer of at least `len` zeros (rounded up to a multiple of 16).
    pub(crate) fn zeros(len: usize) -> Buffer {
        let lines = (0..len.div_ceil(16))
            .map(|_| Line(UnsafeCell::new([0.0; 16])))
            .collect();
        Buffer { lines }
    }

    /// The number of floats.
    pub(crate) fn len(&self) -> usize {
        self.lines.len() * 16
    }

    /// A raw pointer to the first float, for reading and, under the phase
    /// rule, writing from several threads.
    pub(crate) fn ptr(&self) -> *mut f32 {
        // UnsafeCell allows writes through a shared reference; `Line` is
        // `repr(C)` around it, so the lines are consecutive floats.
        UnsafeCell::raw_get(self.lines.as_ptr().cast::<UnsafeCell<[f32; 16]>>()).cast::<f32>()
    }

    /// The floats, for the buffer's single owner.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [f32] {
        // SAFETY: `&mut self` is exclusive; the lines are contiguous floats.
        unsafe { std::slice::from_raw_parts_mut(self.ptr(), self.len()) }
    }

    /// The floats, read-only, for the buffer's owner.
    pub(crate) fn as_slice(&self) -> &[f32] {
        // SAFETY: called only where no worker is writing (outside an epoch,
        // or by the owner of a private buffer).
        unsafe { std::slice::from_raw_parts(self.ptr(), self.len()) }
    }
}

/// How the threads of a team wait for each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// Spin on an atomic counter (the default): a wait costs well under a
    /// microsecond, but keeps the core busy.
    Spin,
    /// Sleep in the operating system (a futex) until woken: the core is
    /// free, but waking a thread costs tens of microseconds.
    Sleep,
}

/// How many spins a waiting worker makes before it starts yielding its core
/// to other threads (useful only on a busy machine).
const SPINS_BEFORE_YIELD: u32 = 1 << 14;

/// A barrier for a fixed number of threads that waits by spinning.
///
/// A step of training lasts about a hundred microseconds and has five
/// phases; putting a thread to sleep and waking it costs tens of
/// microseconds, so the workers spin instead.
pub(crate) struct SpinBarrier {
    threads: usize,
    arrived: AtomicUsize,
    generation: AtomicUsize,
    poisoned: AtomicBool,
    /// `Some` when the threads should sleep instead of spinning (only to
    /// measure what spinning is worth).
    sleeping: Option<SleepBarrier>,
}

/// The sleeping variant: arrivals and generation under a mutex, sleepers
/// woken by a condition variable. Unlike `std::sync::Barrier`, a poisoned
/// barrier wakes its sleepers, so that no thread sleeps forever when the
/// other one unwinds.
struct SleepBarrier {
    /// (arrived, generation).
    state: std::sync::Mutex<(usize, usize)>,
    woken: std::sync::Condvar,
}

impl SleepBarrier {
    fn lock(&self) -> std::sync::MutexGuard<'_, (usize, usize)> {
        // The state is two counters, valid whatever a panicking holder did.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SpinBarrier {
    /// A barrier for `threads` threads.
    pub(crate) fn new(threads: usize, wait: Wait) -> SpinBarrier {
        SpinBarrier {
            threads,
            arrived: AtomicUsize::new(0),
            generation: AtomicUsize::new(0),
            poisoned: AtomicBool::new(false),
            sleeping: (wait == Wait::Sleep).then(|| SleepBarrier {
                state: std::sync::Mutex::new((0, 0)),
                woken: std::sync::Condvar::new(),
            }),
        }
    }

    /// How the threads wait.
    pub(crate) fn wait_kind(&self) -> Wait {
        if self.sleeping.is_some() {
            Wait::Sleep
        } else {
            Wait::Spin
        }
    }

    /// Waits until every thread of the team has called `wait` as often as
    /// this one. Panics if another worker panicked, so that a bug can never
    /// leave a thread spinning forever.
    pub(crate) fn wait(&self) {
        if self.threads == 1 {
            return;
        }
        if let Some(sleep) = &self.sleeping {
            let mut state = sleep.lock();
            let generation = state.1;
            state.0 += 1;
            if state.0 == self.threads {
                *state = (0, generation.wrapping_add(1));
                sleep.woken.notify_all();
                return;
            }
            while state.1 == generation {
                if self.poisoned.load(Ordering::Relaxed) {
                    drop(state);
                    panic!("another worker of the fast trainer panicked");
                }
                state = sleep
                    .woken
                    .wait(state)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            return;
        }
        let generation = self.generation.load(Ordering::Acquire);
        if self.arrived.fetch_add(1, Ordering::AcqRel) + 1 == self.threads {
            self.arrived.store(0, Ordering::Relaxed);
            self.generation.fetch_add(1, Ordering::Release);
            return;
        }
        let mut spins = 0u32;
        while self.generation.load(Ordering::Acquire) == generation {
            if self.poisoned.load(Ordering::Relaxed) {
                panic!("another worker of the fast trainer panicked");
            }
            if spins < SPINS_BEFORE_YIELD {
                spins += 1;
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }

    /// Marks the barrier as broken, and wakes any sleeping waiter so that it
    /// sees it; called when a worker unwinds.
    pub(crate) fn poison(&self) {
        self.poisoned.store(true, Ordering::Relaxed);
        if let Some(sleep) = &self.sleeping {
            // Taking the lock orders the flag before the waiter's next look.
            let _state = sleep.lock();
            sleep.woken.notify_all();
        }
    }

    /// Whether a worker panicked.
    pub(crate) fn is_poisoned(&self) -> bool {
        self.poisoned.load(Ordering::Relaxed)
    }
}

/// How long an idle helper keeps its core busy (spinning, then yielding)
/// before it goes to sleep: longer than the gap between two batches of
/// `fit`, much shorter than an evaluation between epochs.
const IDLE_BEFORE_SLEEP: Duration = Duration::from_millis(2);

/// Hands tasks from the calling thread to the helper thread, one at a time.
/// `T` is a small `Copy` description of the task.
pub(crate) struct Mailbox<T> {
    task: UnsafeCell<Option<T>>,
    posted: AtomicUsize,
    finished: AtomicUsize,
    sleeping: AtomicBool,
    helper: OnceLock<Thread>,
}

// SAFETY: `task` is written only by the poster while the helper is idle
// (`finished == posted`), and read by the helper only after it sees the new
// `posted` count (release/acquire).
unsafe impl<T: Send> Sync for Mailbox<T> {}

impl<T: Copy> Mailbox<T> {
    pub(crate) fn new() -> Mailbox<T> {
        Mailbox {
            task: UnsafeCell::new(None),
            posted: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            sleeping: AtomicBool::new(false),
            helper: OnceLock::new(),
        }
    }

    /// Records the helper thread, so that `post` can wake it.
    pub(crate) fn set_helper(&self, thread: Thread) {
        let _ = self.helper.set(thread);
    }

    /// Gives the helper a task. The helper must be idle (every earlier task
    /// finished), which [`Mailbox::wait_finished`] ensures.
    pub(crate) fn post(&self, task: T) {
        debug_assert_eq!(
            self.posted.load(Ordering::Relaxed),
            self.finished.load(Ordering::Relaxed)
        );
        // SAFETY: the helper is idle and reads the slot only after the
        // increment below.
        unsafe { *self.task.get() = Some(task) };
        self.posted.fetch_add(1, Ordering::SeqCst);
        if let Some(helper) = self
            .helper
            .get()
            .filter(|_| self.sleeping.load(Ordering::SeqCst))
        {
            helper.unpark();
        }
    }

    /// Helper side: waits for the task after the `seen` first ones, spinning
    /// at first, then yielding, then sleeping. Returns it and its number.
    pub(crate) fn wait_posted(&self, seen: usize, wait: Wait) -> (usize, T) {
        let start = Instant::now();
        let spin_limit = if wait == Wait::Spin {
            SPINS_BEFORE_YIELD
        } else {
            0
        };
        let idle_limit = if wait == Wait::Spin {
            IDLE_BEFORE_SLEEP
        } else {
            Duration::ZERO
        };
        let mut spins = 0u32;
        loop {
            let posted = self.posted.load(Ordering::Acquire);
            if posted != seen {
                // SAFETY: the poster wrote the slot before `posted` moved
                // and will not write it again before `finish`.
                let task = unsafe { *self.task.get() };
                return (posted, task.expect("a posted task"));
            }
            if spins < spin_limit {
                spins += 1;
                std::hint::spin_loop();
            } else if start.elapsed() < idle_limit {
                std::thread::yield_now();
            } else {
                self.sleeping.store(true, Ordering::SeqCst);
                while self.posted.load(Ordering::SeqCst) == seen {
                    std::thread::park();
                }
                self.sleeping.store(false, Ordering::SeqCst);
            }
        }
    }

    /// Whether the helper has finished every posted task.
    #[cfg(test)]
    pub(crate) fn is_idle(&self) -> bool {
        self.finished.load(Ordering::Acquire) == self.posted.load(Ordering::Acquire)
    }

    /// Helper side: task number `n` is done.
    pub(crate) fn finish(&self, n: usize) {
        self.finished.store(n, Ordering::Release);
    }

    /// Poster side: waits until the helper has finished every posted task.
    /// Never panics, so that it can run while the poster unwinds: the
    /// helper calls [`Mailbox::finish`] after every task, even one that
    /// panicked (see the helper thread in `lib.rs`).
    pub(crate) fn wait_finished(&self) {
        let target = self.posted.load(Ordering::Relaxed);
        let mut spins = 0u32;
        while self.finished.load(Ordering::Acquire) != target {
            if spins < SPINS_BEFORE_YIELD {
                spins += 1;
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
}

/// Poisons the barrier if the worker holding it panics.
pub(crate) struct PoisonOnPanic<'a>(pub(crate) &'a SpinBarrier);

impl Drop for PoisonOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.poison();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_are_aligned_zeroed_and_rounded_up() {
        let mut b = Buffer::zeros(20);
        assert_eq!(b.len(), 32);
        assert_eq!(b.ptr() as usize % 64, 0);
        assert!(b.as_mut_slice().iter().all(|&x| x == 0.0));
    }

    #[test]
    fn the_barrier_orders_each_phase_before_the_next() {
        // Two threads take turns incrementing a shared counter, one phase
        // each; without the barrier's ordering the sums would come out wrong.
        let barrier = SpinBarrier::new(2, Wait::Spin);
        let shared = Buffer::zeros(16);
        std::thread::scope(|s| {
            for t in 0..2 {
                let (barrier, shared) = (&barrier, &shared);
                s.spawn(move || {
                    for round in 0..1000 {
                        if round % 2 == t {
                            // SAFETY: only this thread touches the buffer in this phase.
                            unsafe { *shared.ptr() += 1.0 };
                        }
                        barrier.wait();
                    }
                });
            }
        });
        assert_eq!(shared.as_slice()[0], 1000.0);
    }
}
