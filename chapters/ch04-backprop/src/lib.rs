//! # Chapter 4: the multilayer perceptron and backpropagation.
