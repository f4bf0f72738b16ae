//! # Chapter 9: training the Sequential model on Fashion-MNIST
//!
//! Chapter 8 built the model and trains it one batch at a time. This chapter
//! adds everything around the batches, in the shape a Keras user expects:
//!
//! - [`dataset`]: the [`Dataset`] trait, implemented by Fashion-MNIST's
//!   splits (images stay bytes; each batch is scaled as it is gathered);
//! - [`model`]: the [`Model`] trait, what the loop asks of a model
//!   (`Sequential` implements it; chapter 10's models do too);
//! - [`fit`]: [`Training::fit`] over shuffled mini-batches with validation,
//!   [`Training::evaluate`] and [`Training::predict_dataset`] in chunks;
//! - [`history`]: the [`History`] of loss, accuracy, val loss and val
//!   accuracy per epoch;
//! - [`callbacks`]: the [`Callback`] hook, [`EarlyStopping`] with
//!   best-weights restore, and [`TerminateOnNan`];
//! - [`progress`]: the Keras-style progress line of each epoch (indicatif);
//! - [`weights`]: saving and loading weights as safetensors, readable from
//!   Python;
//! - [`confusion`]: the confusion matrix;
//! - [`figures`]: learning curves, confusion matrix, predictions on test
//!   images;
//! - [`cli`] and [`run`]: the book's main job, `cargo run --release -p
//!   ch09-training`.
//!
//! The same `fit`, `evaluate` and `predict_dataset` train and measure a
//! regressor: [`InMemory`] holds rows of real-valued targets as well as
//! class labels, and [`History`] records the mean absolute error beside the
//! loss (`cargo run --release -p ch09-training --example
//! housing_sequential`).

#![forbid(unsafe_code)]

pub mod callbacks;
pub mod cli;
pub mod confusion;
pub mod dataset;
pub mod error;
pub mod fast;
pub mod figures;
pub mod fit;
pub mod history;
pub mod model;
pub mod progress;
pub mod run;
pub mod weights;

pub use callbacks::{Callback, Control, EarlyStopping, TerminateOnNan, first_non_finite_weight};
pub use dataset::BatchTargets;
pub use dataset::{Batch, Dataset, InMemory};
pub use error::TrainError;
pub use fit::{Engine, Evaluation, FitOptions, Training};
pub use history::{EpochRecord, History, OutputLoss};
pub use model::{BatchReport, Model};
pub use weights::{load_weights, save_weights, weights_from_bytes, weights_to_bytes};
