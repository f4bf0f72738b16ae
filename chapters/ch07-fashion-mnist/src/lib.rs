//! # Chapter 7: the Fashion-MNIST data set
//!
//! Seventy thousand 28 × 28 greyscale photos of clothes, shoes and bags in
//! ten classes (Xiao, Rasul & Vollgraf, Zalando Research, 2017): the data
//! the last chapters train on. This crate gets it into memory, carefully:
//!
//! - [`dataset`]: the four published files, fetched with the toolbox's
//!   [`DataFile`](ch00_toolbox::DataFile) (two mirrors, SHA-256, atomic
//!   cache) or read from the folder `FASHION_MNIST_DIR` names, and
//!   [`FashionMnist`] with its 55 000 / 5 000 / 10 000 split;
//! - [`idx`]: the IDX file format, gunzipped with `flate2` and parsed by
//!   hand, with an error naming the file for every way a file can be broken;
//! - [`split`]: images kept as the bytes they are, flattened without a copy,
//!   and scaled to \[0, 1\] either all at once or one mini-batch at a time;
//! - [`classes`]: the ten class names;
//! - [`figures`]: a grid of samples, the class counts and each class's mean
//!   image.
//!
//! ```no_run
//! use ch07_fashion_mnist::{CLASS_NAMES, FashionMnist};
//!
//! let data = FashionMnist::load()?;
//! let (train, valid) = data.validation_split();
//! assert_eq!((train.len(), valid.len()), (55_000, 5_000));
//! println!("the first image is a {}", CLASS_NAMES[usize::from(data.train.labels[0])]);
//! # Ok::<(), ch07_fashion_mnist::DataError>(())
//! ```

#![forbid(unsafe_code)]

pub mod classes;
pub mod dataset;
pub mod error;
pub mod figures;
pub mod idx;
pub mod split;

pub use classes::{CLASS_NAMES, NUM_CLASSES, class_name};
pub use dataset::{FashionMnist, FileReport, Splits, VALIDATION_SIZE};
pub use error::DataError;
pub use idx::{read_idx_images, read_idx_labels};
pub use split::{IMAGE_COLS, IMAGE_PIXELS, IMAGE_ROWS, Split, scale_pixel};
