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
//! - [`dataset`]: the seeded train / validation / test split and everything
//!   that turns districts into arrays.

pub mod dataset;
pub mod housing;
pub mod losses;
pub mod standardise;

pub use dataset::{HousingData, Part, SplitIndices, split_indices};
pub use housing::{District, FEATURE_NAMES, HOUSING_CSV, HousingError};
pub use losses::{Huber, Mae};
pub use standardise::Standardiser;
