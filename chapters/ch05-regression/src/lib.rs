//! # Chapter 5: regression MLPs and California housing.
