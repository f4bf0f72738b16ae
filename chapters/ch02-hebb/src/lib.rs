//! # Chapter 2: Hebb's rule and Oja's rule.
