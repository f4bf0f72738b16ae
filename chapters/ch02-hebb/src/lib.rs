//! # Chapter 2: Hebb's rule and Oja's rule
//!
//! Learning, in its oldest form: a synapse strengthens when the cells on
//! both of its sides are active together. This crate follows that idea:
//!
//! - [`hebb`]: the linear neuron and Hebb's update Δwᵢ = η xᵢ y;
//! - [`association`]: a linear associator that stores pattern pairs as a sum
//!   of outer products and recalls them;
//! - [`oja`]: Oja's rule, Hebb's rule with a decay that keeps the weights at
//!   length one;
//! - [`learning`]: running either rule over a data set and recording the
//!   weights after every step;
//! - [`data`] and [`pca`]: a seeded, correlated 2-D cloud and its first
//!   principal component in closed form, the answer Oja's rule should find;
//! - [`experiments`] and [`figures`]: the chapter's runs and pictures;
//! - [`primer`]: the worked examples of the page *The maths you need*.

#![forbid(unsafe_code)]

pub mod association;
pub mod data;
pub mod error;
pub mod experiments;
pub mod figures;
pub mod hebb;
pub mod learning;
pub mod oja;
pub mod pca;
pub mod primer;

pub use association::LinearAssociator;
pub use error::HebbError;
pub use hebb::{hebb_update, output};
pub use learning::{Rule, Trajectory, train};
pub use oja::oja_update;
