//! # Chapter 7: the Fashion-MNIST data set.
