//! # Chapter 5: regression MLPs and California housing
//!
//! The multilayer perceptron of chapter 4, pointed at a real regression task:
//! predicting the median house value of a Californian district from eight
//! numbers that describe it.
//!
//! - [`losses`]: mean absolute error and the Huber loss, beside chapter 4's
//!   mean squared error;
//! - [`housing`]: the data file (download, checksum, CSV parsing) and the
//!   eight features of the classic version of the data set;
//! - [`standardise`]: the [`Standardiser`], fitted on training data only;
//! - [`split`]: the seeded train / validation / test split, the same as the
//!   reference notebook's;
//! - [`dataset`]: everything that turns districts into arrays a network
//!   learns from;
//! - [`overfitting`]: a small network that overfits a dozen noisy points, to
//!   show what the validation set is for;
//! - [`train`]: the Dense(30, ReLU) → Dense(1) model and its training loop;
//! - [`figures`]: learning curves, predicted vs actual, the losses, and
//!   overfitting.

#![forbid(unsafe_code)]

pub mod dataset;
pub mod figures;
pub mod housing;
pub mod losses;
pub mod overfitting;
pub mod split;
pub mod standardise;
pub mod train;

pub use dataset::{HousingData, Part};
pub use housing::{BedroomFill, District, FEATURE_NAMES, HOUSING_CSV, HousingError, Imputation};
pub use losses::{Huber, Mae};
pub use split::{SplitIndices, split_indices};
pub use standardise::Standardiser;
