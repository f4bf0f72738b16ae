//! The measurement record of the appendix and its figure (the record lives
//! beside the example that draws it, not in the engine's library code).

#[path = "../examples/how-fast/measurements.rs"]
mod measurements;
