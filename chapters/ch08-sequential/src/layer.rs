//! The `Layer` trait: what the model asks of every layer.
//!
//! A [`Sequential`](crate::Sequential) model knows nothing about dense layers,
//! flattening or softmax. It only holds a list of `Box<dyn Layer>` and calls
//! the methods below in order. A reader who writes a new kind of layer
//! (dropout, batch normalisation, …) implements this trait and the model
//! trains it without any change.
//!
//! Batches are matrices, one row per sample (chapter 0): a 28 × 28 image
//! travels through the model as a row of 784 numbers. The *shape of a
//! sample* (`[28, 28]`, `[300]`) is what a layer declares, checks and reports
//! in the summary.

use std::any::Any;

use ch04_backprop::NetError;
use ndarray::{Array2, ArrayD, ArrayView2, ArrayViewD, ArrayViewMutD};
use rand::RngCore;

// ANCHOR: layer_trait
/// One step of a [`Sequential`](crate::Sequential) model.
pub trait Layer: AsAny + std::fmt::Debug + Send {
    /// The layer's type as the summary prints it: `"Dense"`, `"Flatten"`.
    fn kind(&self) -> &'static str;

    /// The shape of one input sample, for a layer that can start a model
    /// (like `Flatten::new([28, 28])`); `None` when it learns it from the
    /// layer before it.
    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        None
    }

    /// Creates the parameters for inputs of shape `input_shape` (one
    /// sample), drawing random ones from `rng`, and returns the shape of one
    /// output sample. The model calls it once, in `add`.
    fn build(
        &mut self,
        input_shape: &[usize],
        rng: &mut dyn RngCore,
    ) -> Result<Vec<usize>, NetError>;

    /// How many numbers the layer learns.
    fn parameter_count(&self) -> usize;

    /// The outputs for a batch, remembering nothing (inference).
    fn predict(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError>;

    /// The outputs for a batch, remembering what `backward` needs.
    fn forward(&mut self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError>;

    /// From `dL/d(output)` of the last `forward`: stores the gradients of the
    /// parameters and returns `dL/d(input)` for the layer before.
    fn backward(&mut self, grad_output: ArrayView2<f32>) -> Result<Array2<f32>, NetError>;

    /// The learned tensors with their short names (`"weight"`, `"bias"`).
    fn parameters(&self) -> Vec<(&'static str, ArrayViewD<'_, f32>)> {
        Vec::new()
    }

    /// The same tensors, writable, in the same order as [`Layer::parameters`].
    fn parameters_mut(&mut self) -> Vec<ArrayViewMutD<'_, f32>> {
        Vec::new()
    }

    /// The gradients of the last `backward`, in the order of the parameters.
    fn gradients(&self) -> Vec<ArrayViewD<'_, f32>> {
        Vec::new()
    }
    // ANCHOR_END: layer_trait

    // ANCHOR: logits_hooks
    /// Whether the layer ends with a softmax. Cross-entropy then works on
    /// the layer's *logits* (its values before the softmax), the numerically
    /// safe way, through the two methods below.
    fn ends_with_softmax(&self) -> bool {
        false
    }

    /// Like `forward`, but stops before a final softmax. Layers without one
    /// return their usual output.
    fn forward_logits(&mut self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.forward(x)
    }

    /// Like `predict`, but stops before a final softmax.
    fn predict_logits(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.predict(x)
    }

    /// Like `backward`, but takes `dL/d(logits)`: the gradient that
    /// cross-entropy gives directly as `(p − y) / B`.
    fn backward_logits(&mut self, grad_logits: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.backward(grad_logits)
    }
    // ANCHOR_END: logits_hooks
}

/// Lets code that holds a `&dyn Layer` ask whether it is a particular type
/// (`layer.as_any().downcast_ref::<Dense>()`). Every `'static` type gets it
/// for free: a new layer need not write anything for it.
pub trait AsAny {
    /// `self` as `&dyn Any`.
    fn as_any(&self) -> &dyn Any;
    /// `self` as `&mut dyn Any`.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The number of values in one sample of shape `shape` (`[28, 28]` → 784).
/// A product too large for a `usize` saturates at `usize::MAX`, which no
/// batch can match; `build` refuses such shapes with chapter 4's
/// [`checked_len`](ch04_backprop::error::checked_len).
pub fn sample_size(shape: &[usize]) -> usize {
    shape.iter().fold(1usize, |n, &d| n.saturating_mul(d))
}

/// Every learned tensor of `layers` under its full name, the layer's name
/// and the tensor's joined by a dot (`dense_1.weight`), layer by layer in
/// the order given.
pub fn named_parameters<'a>(
    layers: impl IntoIterator<Item = (&'a str, &'a dyn Layer)>,
) -> Vec<(String, ArrayViewD<'a, f32>)> {
    let mut out = Vec::new();
    for (name, layer) in layers {
        for (short, tensor) in layer.parameters() {
            out.push((format!("{name}.{short}"), tensor));
        }
    }
    out
}

/// Replaces every learned tensor of `layers` (Keras' `set_weights`), in the
/// order of [`named_parameters`]. The list must match in length and in every
/// shape; it is checked whole before the first tensor is written, so on
/// error nothing is changed.
pub fn set_layer_weights<'a>(
    layers: impl IntoIterator<Item = (&'a str, &'a mut dyn Layer)>,
    weights: &[ArrayD<f32>],
) -> Result<(), NetError> {
    let mut layers: Vec<_> = layers.into_iter().collect();
    let params = named_parameters(layers.iter().map(|(name, layer)| (*name, &**layer)));
    if params.len() != weights.len() {
        return Err(NetError::shape(
            "list of weight tensors",
            &[params.len()],
            &[weights.len()],
        ));
    }
    for ((name, p), w) in params.iter().zip(weights) {
        if p.shape() != w.shape() {
            return Err(NetError::shape(
                format!("weights for {name}"),
                p.shape(),
                w.shape(),
            ));
        }
    }
    let mut given = weights.iter();
    for (_, layer) in &mut layers {
        for mut p in layer.parameters_mut() {
            if let Some(w) = given.next() {
                p.assign(w);
            }
        }
    }
    Ok(())
}

/// Checks that a batch has at least one row and `width` columns.
pub(crate) fn check_batch(what: &str, x: &ArrayView2<f32>, width: usize) -> Result<(), NetError> {
    if x.nrows() == 0 {
        return Err(NetError::EmptyBatch);
    }
    if x.ncols() != width {
        return Err(NetError::shape(what, &[0, width], x.shape()));
    }
    Ok(())
}
