//! # Chapter 8: a Keras-like Sequential model.
