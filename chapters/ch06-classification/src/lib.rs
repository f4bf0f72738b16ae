//! # Chapter 6: classification MLPs, softmax and cross-entropy.
