//! # Chapter 6: classification MLPs, softmax and cross-entropy
//!
//! A regression network outputs numbers; a classifier outputs *beliefs*. This
//! chapter gives the multilayer perceptron of chapter 4 the two output heads
//! of classification and the loss that goes with each:
//!
//! - [`softmax`](mod@softmax): one probability per class, numerically stable;
//! - [`cross_entropy`]: sparse categorical cross-entropy and its gradient
//!   `p − y` with respect to the logits, and [`SoftmaxCrossEntropy`] as a
//!   [`ch04_backprop::Loss`];
//! - [`binary`]: the sigmoid and binary cross-entropy, for yes/no and
//!   multilabel outputs;
//! - [`metrics`]: accuracy, the share of samples classified right;
//! - [`toy_data`]: seeded 2-D data sets that no straight line separates
//!   (spirals, two moons);
//! - [`classifier`]: small multiclass and binary MLPs, built and trained;
//! - [`figures`]: decision regions, training curves and the loss figure.

#![forbid(unsafe_code)]

pub mod binary;
pub mod classifier;
pub mod cross_entropy;
pub mod figures;
pub mod metrics;
pub mod softmax;
pub mod toy_data;

pub use binary::{BinaryCrossEntropy, sigmoid_array};
pub use cross_entropy::{SoftmaxCrossEntropy, one_hot, sparse_categorical_cross_entropy};
pub use metrics::{accuracy, binary_accuracy};
pub use softmax::{softmax, softmax_inplace};
