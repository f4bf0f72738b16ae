//! # Chapter 3: the perceptron
//!
//! Rosenblatt's perceptron, built up from its parts:
//!
//! - [`tlu`]: the threshold logic unit, a weighted sum followed by a step
//!   (Heaviside or sign);
//! - [`perceptron`]: a layer of such units with a bias, and the learning rule
//!   `w ← w + η (y − ŷ) x`;
//! - [`convergence`]: the radius, the margin and Novikoff's mistake bound
//!   `(R/γ)²` for linearly separable data;
//! - [`iris`]: Fisher's 150 flowers, compiled into the crate;
//! - [`multiclass`]: one-vs-rest units for the three species;
//! - [`separability`]: proofs that some classes admit no separating line;
//! - [`xor`]: the four points no single perceptron can classify;
//! - [`figures`]: the chapter's figures, one drawing function each.

#![forbid(unsafe_code)]

pub mod convergence;
pub mod error;
pub mod figures;
pub mod iris;
pub mod multiclass;
pub mod perceptron;
pub mod separability;
pub mod tlu;
pub mod xor;

pub use error::PerceptronError;
pub use iris::{Feature, Iris, Species};
pub use perceptron::{Perceptron, TrainConfig, TrainReport};
pub use tlu::{StepFunction, Tlu};
