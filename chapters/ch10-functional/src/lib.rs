//! # Chapter 10: models that are not a stack
//!
//! Chapters 8 and 9 built and trained a `Sequential` model: layers in a
//! row. This chapter lets the layers form a graph, as Keras' functional API
//! does, and reuses everything else: chapter 8's `Dense`, losses and
//! optimizer, chapter 9's `fit`, `evaluate`, `predict_dataset`, `History`
//! and callbacks, which work on any [`Model`](ch09_training::Model).
//!
//! - [`spec`]: [`GraphSpec`], the description of a graph (named inputs,
//!   layers that name what they read, outputs), plain data that reads and
//!   writes as JSON;
//! - [`error`]: [`GraphError`], every mistake a description can hold;
//! - [`functional`]: [`Functional`], the model built from a description,
//!   with backpropagation on the graph;
//! - [`model_impl`]: `Functional` as a chapter 9 model;
//! - [`subclass`]: [`WideAndDeep`], the same kind of model written as a
//!   Rust type with its own forward and backward passes;
//! - [`save`]: [`save_model`] and [`load_model`], architecture and weights
//!   in one safetensors file;
//! - [`data`]: [`MultiData`], a data set of several named inputs and
//!   targets;
//! - [`summary`]: the table of layers, shapes, parameters and connections;
//! - [`wide_deep`]: Wide & Deep on California housing, in three steps;
//! - [`figures`]: the graph diagram, learning curves, predicted vs actual.

#![forbid(unsafe_code)]

pub mod data;
pub mod error;
pub mod figures;
pub mod functional;
pub mod model_impl;
pub mod save;
pub mod spec;
pub mod subclass;
pub mod summary;
pub mod wide_deep;

pub use data::MultiData;
pub use error::GraphError;
pub use functional::{Functional, GraphCompiled, Node, Op, OutputLoss};
pub use save::{AnyModel, Architecture, ModelFileError, Problem, load_model, save_model};
pub use spec::{GraphSpec, InputSpec, LayerKind, LayerSpec, Tensor};
pub use subclass::WideAndDeep;
