//! # Chapter 8: a Keras-like Sequential model
//!
//! Chapters 4 to 6 built the parts of a classifier: dense layers,
//! activations, softmax, cross-entropy, SGD. This chapter assembles them
//! behind the interface a Keras user knows, `add`, `summary`, `compile`,
//! in typed Rust that returns a `Result` wherever a caller's input can be
//! wrong:
//!
//! - [`layer`]: the [`Layer`] trait, all a model asks of a layer;
//! - [`flatten`]: [`Flatten`], which declares the `28 × 28` input;
//! - [`dense`]: [`Dense`], chapter 4's layer with Keras' Glorot-uniform
//!   initialisation and an optional softmax;
//! - [`sequential`]: the [`Sequential`] model, its forward and backward
//!   passes over all layers, `predict` and `train_on_batch`;
//! - [`summary`]: the table of layers, shapes and parameter counts;
//! - [`compile`]: the loss ([`LossKind`]) and the metrics ([`Metric`]);
//! - [`optimizer`]: [`Sgd`], with momentum as an option;
//! - [`momentum`]: plain SGD against momentum in a narrow quadratic valley;
//! - [`figures`]: the chapter's figure, the momentum experiment;
//! - [`targets`]: [`Targets`], class labels or real values, so that the same
//!   model API trains classifiers and regressors.
//!
//! ```
//! use ch04_backprop::Activation;
//! use ch08_sequential::{Dense, Flatten, LossKind, Metric, Sequential, Sgd, Softmax};
//!
//! let mut model = Sequential::new(42);
//! model
//!     .add(Flatten::new([28, 28]))?
//!     .add(Dense::new(300, Activation::Relu))?
//!     .add(Dense::new(100, Activation::Relu))?
//!     .add(Dense::new(10, Softmax))?;
//! assert_eq!(model.summary().total_params(), 266_610);
//! model.compile(LossKind::SparseCategoricalCrossEntropy, Sgd::new(0.01)?, &[Metric::Accuracy])?;
//! # Ok::<(), ch04_backprop::NetError>(())
//! ```
//!
//! Training over whole data sets (`fit`, `evaluate`) is chapter 9.

#![forbid(unsafe_code)]

pub mod compile;
pub mod dense;
pub mod figures;
pub mod flatten;
pub mod layer;
pub mod momentum;
pub mod optimizer;
pub mod sequential;
pub mod summary;
pub mod targets;

pub use ch04_backprop::{Activation, Init, NetError};
pub use ch05_regression::{Huber, Mae};
pub use compile::{Compiled, LossKind, Metric};
pub use dense::{Dense, DenseActivation, Softmax};
pub use flatten::Flatten;
pub use layer::Layer;
pub use optimizer::Sgd;
pub use sequential::{BatchResult, Sequential};
pub use summary::{Summary, SummaryRow};
pub use targets::{TargetKind, Targets};

// ANCHOR: reference_model
/// The book's reference model, as in the Keras notebook: 784 pixels →
/// 300 ReLU → 100 ReLU → 10 softmax, weights drawn from `seed`.
pub fn reference_model(seed: u64) -> Result<Sequential, NetError> {
    let mut model = Sequential::new(seed);
    model
        .add(Flatten::new([28, 28]))?
        .add(Dense::new(300, Activation::Relu))?
        .add(Dense::new(100, Activation::Relu))?
        .add(Dense::new(10, Softmax))?;
    Ok(model)
}
// ANCHOR_END: reference_model

// ANCHOR: regression_model
/// Chapter 5's regressor as a `Sequential` model: `inputs` features →
/// `hidden` ReLU units → one linear output, weights drawn from `seed` (the
/// same draws as chapter 5's `regression_mlp` with that seed).
pub fn regression_model(inputs: usize, hidden: usize, seed: u64) -> Result<Sequential, NetError> {
    let mut model = Sequential::new(seed).named("regressor");
    model
        .add(Dense::new(hidden, Activation::Relu).with_inputs(inputs))?
        .add(Dense::new(1, Activation::Identity))?;
    Ok(model)
}
// ANCHOR_END: regression_model
