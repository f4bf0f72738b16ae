//! # Chapter 11: fine-tuning
//!
//! The tools a practitioner reaches for once a model trains: callbacks that
//! checkpoint, log and schedule the learning rate; TensorBoard's event
//! files; the learning-rate finder; a random search over hyperparameters;
//! and measured sweeps over depth, width and batch size. Everything trains
//! through chapter 9's `fit` and its `Callback` trait; nothing here is a
//! second copy of an earlier chapter's code.
//!
//! - [`callbacks`]: `ModelCheckpoint`, `CsvLogger`, `LearningRateScheduler`;
//! - [`tensorboard`]: event files that TensorBoard reads, and the callback
//!   that writes them;
//! - [`cli`]: what the commands share: `target/ch11-tuning`, `--figures`;
//! - [`models`]: the classifiers tuned here, built from their hidden widths;
//! - [`lr_finder`]: one epoch with an exponentially growing learning rate;
//! - [`search`]: random search over layers, units and learning rate;
//! - [`sweeps`]: depth, width and batch size, measured, and
//!   [`sweep_figures`], their figures.

#![forbid(unsafe_code)]

pub mod callbacks;
pub mod cli;
pub mod lr_finder;
pub mod models;
pub mod search;
pub mod sweep_figures;
pub mod sweeps;
pub mod tensorboard;
