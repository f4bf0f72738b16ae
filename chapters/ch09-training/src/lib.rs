//! # Chapter 9: training the Sequential model on Fashion-MNIST.
