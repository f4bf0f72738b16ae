//! The few protocol-buffer messages of TensorFlow's `event.proto` and
//! `summary.proto` that an event file of scalars and histograms needs,
//! written by hand: the field numbers and types are TensorBoard's, and
//! `prost` encodes them. Fields this book never writes are left out; a
//! reader skips what it does not know, and what is left out reads as its
//! default.

// ANCHOR: event
/// One entry of an event file: when, at which step, and what.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Event {
    /// Seconds since 1970-01-01 UTC.
    #[prost(double, tag = "1")]
    pub wall_time: f64,
    /// The training step (here: the epoch).
    #[prost(int64, tag = "2")]
    pub step: i64,
    /// The content.
    #[prost(oneof = "What", tags = "3, 5")]
    pub what: Option<What>,
}

/// What an [`Event`] holds.
#[derive(Clone, PartialEq, prost::Oneof)]
pub enum What {
    /// The format's version, `"brain.Event:2"`: the first event of a file.
    #[prost(string, tag = "3")]
    FileVersion(String),
    /// Named values measured at the event's step.
    #[prost(message, tag = "5")]
    Summary(Summary),
}
// ANCHOR_END: event

// ANCHOR: summary

/// A list of named values.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Summary {
    /// The values.
    #[prost(message, repeated, tag = "1")]
    pub value: Vec<Value>,
}

/// One named value: a number or a histogram.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Value {
    /// The name TensorBoard shows (`epoch_loss`, `dense_1.weight`).
    #[prost(string, tag = "1")]
    pub tag: String,
    /// The value.
    #[prost(oneof = "Kind", tags = "2, 5")]
    pub kind: Option<Kind>,
}

/// The two kinds of [`Value`] this book writes.
#[derive(Clone, PartialEq, prost::Oneof)]
pub enum Kind {
    /// A number, drawn as a point of a curve.
    #[prost(float, tag = "2")]
    SimpleValue(f32),
    /// A histogram.
    #[prost(message, tag = "5")]
    Histo(HistogramProto),
}
// ANCHOR_END: summary

// ANCHOR: histogram_proto

/// A histogram: bucket `i` counts the values `v` with
/// `bucket_limit[i - 1] < v <= bucket_limit[i]` (the first bucket starts
/// at `min`).
#[derive(Clone, PartialEq, prost::Message)]
pub struct HistogramProto {
    /// The smallest value.
    #[prost(double, tag = "1")]
    pub min: f64,
    /// The largest value.
    #[prost(double, tag = "2")]
    pub max: f64,
    /// How many values.
    #[prost(double, tag = "3")]
    pub num: f64,
    /// Their sum.
    #[prost(double, tag = "4")]
    pub sum: f64,
    /// The sum of their squares.
    #[prost(double, tag = "5")]
    pub sum_squares: f64,
    /// The right edge of each bucket.
    #[prost(double, repeated, tag = "6")]
    pub bucket_limit: Vec<f64>,
    /// The count of each bucket.
    #[prost(double, repeated, tag = "7")]
    pub bucket: Vec<f64>,
}
// ANCHOR_END: histogram_proto
