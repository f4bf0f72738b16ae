//! # Chapter 0: the toolbox
//!
//! Everything the later chapters lean on, in one small crate:
//!
//! - [`arrays`]: the handful of `ndarray` operations a neural network needs
//!   (shapes, matrix products, broadcasting, sums along an axis);
//! - [`checks`]: the one check of a learning rate, for every chapter;
//! - [`random`]: seeded random numbers, so that every run of the book is
//!   reproducible;
//! - [`figure`]: one drawing function per figure, rendered either to an SVG file
//!   for the book or inline in a Jupyter notebook;
//! - [`download`]: fetching a data file once, checking its SHA-256, and caching
//!   it atomically, with a clear error when the network is not there;
//! - [`output`]: a program's report, printed and written to the book's
//!   `outputs/` for the page to include;
//! - [`real_data`]: where a data set's folder is (its variable, else the
//!   cache), and how the tests on real data say they were skipped.

#![forbid(unsafe_code)]

pub mod arrays;
pub mod checks;
pub mod download;
pub mod figure;
pub mod output;
pub mod random;
pub mod real_data;

pub use checks::check_learning_rate;
pub use download::{DataFile, DownloadError};
pub use figure::{FigureError, FigureResult};
pub use random::{SeededRng, seeded_rng};

/// The `plotters` crate this book draws with, re-exported so that chapters and
/// notebooks use the very same version.
pub use plotters;
