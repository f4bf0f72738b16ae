//! # Chapter 1: from biological to artificial neurons
//!
//! A nerve cell adds up the signals that reach it and fires when the sum
//! passes a threshold. This crate follows that idea from the cell to logic:
//!
//! - [`biology`]: a toy membrane that integrates inputs, leaks, and fires,
//!   to see how signals add up in time;
//! - [`threshold_unit`]: the McCulloch–Pitts unit of 1943, with binary
//!   inputs, a whole-number threshold and inhibitory inputs that veto firing;
//! - [`gates`]: identity, AND, OR, NOT and AND-NOT, each one unit;
//! - [`truth_table`]: truth tables and the [`LogicFunction`] trait shared by
//!   units, networks and tables;
//! - [`network`]: layers of units, XOR built by hand, and the construction
//!   that turns any truth table into a two-layer network;
//! - [`figures`]: the chapter's figures.

#![forbid(unsafe_code)]

pub mod biology;
pub mod error;
pub mod figures;
pub mod gates;
pub mod network;
pub mod threshold_unit;
pub mod truth_table;

pub use error::NeuronError;
pub use network::{Network, WiredUnit};
pub use threshold_unit::{Synapse, ThresholdUnit, unit_step};
pub use truth_table::{LogicFunction, TruthTable};
