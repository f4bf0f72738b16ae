//! # Chapter 3: the perceptron.
