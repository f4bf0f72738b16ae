//! # Chapter 1: from biological to artificial neurons.
