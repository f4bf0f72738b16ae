//! `Sequential`: layers in a row, the output of each the input of the next.

use ch00_toolbox::{SeededRng, seeded_rng};
use ch04_backprop::NetError;
use ndarray::{Array2, ArrayD, ArrayView, ArrayView2, ArrayViewD, Dimension};

use crate::compile::{Compiled, LossKind, Metric, check_loss_and_metrics};
use crate::layer::{Layer, named_parameters, sample_size, set_layer_weights};
use crate::optimizer::Sgd;
use crate::summary::{Summary, SummaryRow};
use crate::targets::{TargetKind, Targets};

/// The loss and metrics of one batch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchResult {
    /// The mean loss over the batch.
    pub loss: f32,
    /// The fraction of the batch classified correctly, when the model was
    /// compiled with [`Metric::Accuracy`].
    pub accuracy: Option<f32>,
    /// The mean absolute error over the batch, when the model was compiled
    /// with [`Metric::MeanAbsoluteError`].
    pub mae: Option<f32>,
    /// The number of samples in the batch (to weight batch means).
    pub samples: usize,
}

// ANCHOR: sequential
/// A stack of layers trained together, in the manner of Keras' `Sequential`.
#[derive(Debug)]
pub struct Sequential {
    name: String,
    layers: Vec<Box<dyn Layer>>,
    /// The name of each layer (`dense_1`) and the shape of one of its outputs.
    names: Vec<String>,
    output_shapes: Vec<Vec<usize>>,
    /// The shape of one input sample, declared by the first layer.
    input_shape: Option<Vec<usize>>,
    /// Draws the initial weights of each layer as it is added.
    rng: SeededRng,
    compiled: Option<Compiled>,
}
// ANCHOR_END: sequential

fn no_layers() -> NetError {
    NetError::InvalidArgument("the model has no layers yet: add some first".into())
}

fn not_compiled() -> NetError {
    NetError::InvalidArgument(
        "the model is not compiled: call compile(loss, optimizer, metrics) first".into(),
    )
}

impl Sequential {
    /// An empty model whose layers will draw their initial weights from a
    /// generator seeded with `seed`: the same seed, the same weights.
    pub fn new(seed: u64) -> Sequential {
        Sequential {
            name: "sequential".into(),
            layers: Vec::new(),
            names: Vec::new(),
            output_shapes: Vec::new(),
            input_shape: None,
            rng: seeded_rng(seed),
            compiled: None,
        }
    }

    /// The same model with another name (shown by `summary`).
    pub fn named(mut self, name: impl Into<String>) -> Sequential {
        self.name = name.into();
        self
    }

    // ANCHOR: add
    /// Builds `layer` on the output of the last layer (or on its declared
    /// input shape, if it is the first) and appends it. Adding a layer undoes
    /// `compile`. On error the model is unchanged.
    pub fn add(&mut self, mut layer: impl Layer + 'static) -> Result<&mut Self, NetError> {
        let input_shape = match (self.output_shapes.last(), layer.declared_input_shape()) {
            (None, Some(declared)) => declared,
            (None, None) => {
                return Err(NetError::InvalidArgument(format!(
                    "the first layer must declare its input shape, and this {} does not \
                     (use Flatten::new([28, 28]) or Dense::new(..).with_inputs(n))",
                    layer.kind()
                )));
            }
            (Some(previous), Some(declared)) if sample_size(&declared) != sample_size(previous) => {
                return Err(NetError::shape(
                    "declared input of the new layer",
                    previous,
                    &declared,
                ));
            }
            (Some(previous), _) => previous.clone(),
        };
        let output_shape = layer.build(&input_shape, &mut self.rng)?;
        let kind = layer.kind();
        let count = self.layers.iter().filter(|l| l.kind() == kind).count() + 1;
        self.names.push(format!("{}_{count}", kind.to_lowercase()));
        self.output_shapes.push(output_shape);
        self.input_shape.get_or_insert(input_shape);
        self.layers.push(Box::new(layer));
        self.compiled = None;
        Ok(self)
    }
    // ANCHOR_END: add

    /// The model's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The number of layers.
    pub fn len(&self) -> usize {
        self.layers.len()
    }

    /// Whether the model has no layers.
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// The layers with their names, from input to output.
    pub fn layers(&self) -> impl Iterator<Item = (&str, &dyn Layer)> {
        self.names
            .iter()
            .map(String::as_str)
            .zip(self.layers.iter().map(|l| l.as_ref()))
    }

    /// The layers, writable (for code that changes weights in place).
    pub fn layers_mut(&mut self) -> &mut [Box<dyn Layer>] {
        &mut self.layers
    }

    /// The shape of one input sample (`[28, 28]`), once a layer is added.
    pub fn input_shape(&self) -> Option<&[usize]> {
        self.input_shape.as_deref()
    }

    /// The shape of one output sample (`[10]`), once a layer is added.
    pub fn output_shape(&self) -> Option<&[usize]> {
        self.output_shapes.last().map(Vec::as_slice)
    }

    /// The number of parameters of all layers.
    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(|l| l.parameter_count()).sum()
    }

    // ANCHOR: summary
    /// The table of layers, output shapes and parameter counts.
    pub fn summary(&self) -> Summary {
        let rows = self
            .layers()
            .zip(&self.output_shapes)
            .map(|((name, layer), shape)| SummaryRow {
                name: name.to_string(),
                kind: layer.kind(),
                output_shape: shape.clone(),
                params: layer.parameter_count(),
            })
            .collect();
        Summary {
            model: self.name.clone(),
            rows,
        }
    }
    // ANCHOR_END: summary

    // ANCHOR: compile
    /// Fixes the loss, the optimizer and the metrics. Fails on an empty
    /// model, on cross-entropy without a softmax at the end, and on a loss
    /// and metrics that need different kinds of target (Huber with
    /// accuracy, say). It checks the optimizer's settings too, a second
    /// time: [`Sgd`]'s constructors and setter refuse bad ones already.
    pub fn compile(
        &mut self,
        loss: LossKind,
        optimizer: Sgd,
        metrics: &[Metric],
    ) -> Result<&mut Self, NetError> {
        let compiled = Compiled {
            loss,
            optimizer,
            metrics: metrics.to_vec(),
        };
        self.check_settings(&compiled)?;
        self.compiled = Some(compiled);
        Ok(self)
    }

    /// Refuses settings a model cannot be trained with: bad optimizer
    /// settings, cross-entropy without a softmax at the end, a loss and
    /// metrics that need different kinds of target.
    fn check_settings(&self, compiled: &Compiled) -> Result<(), NetError> {
        let last = self.layers.last().ok_or_else(no_layers)?;
        compiled.optimizer.validate()?;
        check_loss_and_metrics(compiled.loss, &compiled.metrics)?;
        if compiled.loss == LossKind::SparseCategoricalCrossEntropy && !last.ends_with_softmax() {
            return Err(NetError::InvalidArgument(format!(
                "{} needs class probabilities: end the model with Dense::new(classes, Softmax)",
                compiled.loss.name()
            )));
        }
        Ok(())
    }
    // ANCHOR_END: compile

    /// What `compile` stored, checked again: it can be changed after
    /// `compile` through [`Sequential::compiled_mut`] (a new learning rate,
    /// another optimizer), so every place where training or evaluation
    /// starts calls this rather than trusting the first check.
    pub fn checked_compiled(&self) -> Result<&Compiled, NetError> {
        let compiled = self.compiled.as_ref().ok_or_else(not_compiled)?;
        self.check_settings(compiled)?;
        Ok(compiled)
    }

    /// What `compile` stored, if it was called.
    pub fn compiled(&self) -> Option<&Compiled> {
        self.compiled.as_ref()
    }

    /// What `compile` stored, writable (to change the learning rate, say,
    /// with `optimizer.set_learning_rate`). Whatever is changed here is
    /// checked again when training starts: `train_on_batch` and chapter 9's
    /// `fit` refuse a bad learning rate or momentum set this way.
    pub fn compiled_mut(&mut self) -> Option<&mut Compiled> {
        self.compiled.as_mut()
    }

    // ANCHOR: predict
    /// The outputs for a batch of samples: class probabilities for a model
    /// that ends with softmax. `x` holds one sample per entry of its first
    /// axis, each of the model's input shape or flattened (`n × 28 × 28` or
    /// `n × 784`).
    pub fn predict<D: Dimension>(&self, x: ArrayView<f32, D>) -> Result<Array2<f32>, NetError> {
        self.predict_rows(self.rows(&x)?.view(), false)
    }
    // ANCHOR_END: predict

    /// Reshapes a batch of samples into a matrix with one row per sample,
    /// without copying when it is already laid out row by row.
    fn rows<'a, D: Dimension>(
        &self,
        x: &'a ArrayView<f32, D>,
    ) -> Result<ndarray::CowArray<'a, f32, ndarray::Ix2>, NetError> {
        let input = self.input_shape.as_ref().ok_or_else(no_layers)?;
        let width = sample_size(input);
        let shape = x.shape();
        if shape.is_empty() || sample_size(&shape[1..]) != width {
            let mut expected = vec![0];
            expected.extend(input);
            return Err(NetError::shape("input of the model", &expected, shape));
        }
        x.to_shape((shape[0], width))
            .map_err(|e| NetError::InvalidArgument(format!("cannot reshape the input: {e}")))
    }

    /// The forward pass without caching, on a matrix of rows; `logits`
    /// stops before a final softmax.
    fn predict_rows(&self, x: ArrayView2<f32>, logits: bool) -> Result<Array2<f32>, NetError> {
        let (last, body) = self.layers.split_last().ok_or_else(no_layers)?;
        let mut a: Option<Array2<f32>> = None;
        for layer in body {
            let input = a.as_ref().map_or(x, |a| a.view());
            a = Some(layer.predict(input)?);
        }
        let input = a.as_ref().map_or(x, |a| a.view());
        if logits {
            last.predict_logits(input)
        } else {
            last.predict(input)
        }
    }

    // ANCHOR: train_on_batch
    /// One step of training on a batch (`B` rows) and its targets, class
    /// labels (`&[u8]`) or real values (`B × k` of `f32`): forward, loss,
    /// backward, optimizer step. Returns the loss and metrics measured on
    /// the batch *before* the step, as Keras reports them.
    pub fn train_on_batch<'t>(
        &mut self,
        x: ArrayView2<f32>,
        targets: impl Into<Targets<'t>>,
    ) -> Result<BatchResult, NetError> {
        let targets = targets.into();
        self.check_targets(&x, &targets)?;
        self.checked_compiled()?; // compiled_mut may have changed it
        let compiled = self.compiled.as_mut().ok_or_else(not_compiled)?;
        let logits = compiled.loss.uses_logits();
        let (last, body) = self.layers.split_last_mut().ok_or_else(no_layers)?;
        // Forward, remembering what backward needs.
        let mut a: Option<Array2<f32>> = None;
        for layer in body.iter_mut() {
            let input = a.as_ref().map_or(x, |a| a.view());
            a = Some(layer.forward(input)?);
        }
        let input = a.as_ref().map_or(x, |a| a.view());
        let scores = if logits {
            last.forward_logits(input)?
        } else {
            last.forward(input)?
        };
        let (loss, grad) = compiled.loss.value_and_gradient(scores.view(), targets)?;
        let (accuracy, mae) = metrics_if_asked(&compiled.metrics, scores.view(), targets)?;
        // Backward, from the loss to the first layer.
        let mut g = if logits {
            last.backward_logits(grad.view())?
        } else {
            last.backward(grad.view())?
        };
        for layer in body.iter_mut().rev() {
            g = layer.backward(g.view())?;
        }
        compiled.optimizer.step(&mut self.layers)?;
        Ok(BatchResult {
            loss,
            accuracy,
            mae,
            samples: targets.len(),
        })
    }
    // ANCHOR_END: train_on_batch

    /// The loss and metrics on a batch and its targets, without training.
    pub fn test_on_batch<'t>(
        &self,
        x: ArrayView2<f32>,
        targets: impl Into<Targets<'t>>,
    ) -> Result<BatchResult, NetError> {
        let targets = targets.into();
        self.check_targets(&x, &targets)?;
        let compiled = self.checked_compiled()?;
        let scores = self.predict_rows(x, compiled.loss.uses_logits())?;
        let loss = compiled.loss.value(scores.view(), targets)?;
        let (accuracy, mae) = metrics_if_asked(&compiled.metrics, scores.view(), targets)?;
        Ok(BatchResult {
            loss,
            accuracy,
            mae,
            samples: targets.len(),
        })
    }

    // ANCHOR: check_targets
    /// Checks that the model, as compiled, can learn from targets of kind
    /// `kind` with `width` values per sample (1 for a class label): its loss
    /// and metrics accept that kind, and real values are as many per sample
    /// as the model has outputs.
    pub fn check_target_shape(&self, kind: TargetKind, width: usize) -> Result<(), NetError> {
        let compiled = self.compiled.as_ref().ok_or_else(not_compiled)?;
        compiled.check_target_kind(kind)?;
        let outputs = self.output_shape().map_or(0, sample_size);
        if kind == TargetKind::Values && width != outputs {
            return Err(NetError::InvalidArgument(format!(
                "the targets have {width} values per sample, but the model has {outputs} \
                 outputs: they must agree"
            )));
        }
        Ok(())
    }

    /// Checks, before any arithmetic, the kind and width of `targets` (see
    /// [`Sequential::check_target_shape`]), that there is one target per row
    /// of `x`, and that real values are finite.
    fn check_targets(&self, x: &ArrayView2<f32>, targets: &Targets<'_>) -> Result<(), NetError> {
        if x.nrows() == 0 {
            return Err(NetError::EmptyBatch);
        }
        let width = match targets {
            Targets::Labels(_) => 1,
            Targets::Values(v) => v.ncols(),
        };
        self.check_target_shape(targets.kind(), width)?;
        targets.check(x.nrows())
    }
    // ANCHOR_END: check_targets

    // ANCHOR: weights
    /// Every learned tensor with its full name (`dense_1.weight`), from input
    /// to output. Dense weights are `n_in × n_out`, as in Keras.
    pub fn parameters(&self) -> Vec<(String, ArrayViewD<'_, f32>)> {
        named_parameters(self.layers())
    }

    /// A copy of every learned tensor, in the order of [`Sequential::parameters`]
    /// (Keras' `get_weights`).
    pub fn get_weights(&self) -> Vec<ArrayD<f32>> {
        self.parameters()
            .into_iter()
            .map(|(_, t)| t.to_owned())
            .collect()
    }

    /// Replaces every learned tensor (Keras' `set_weights`). The list must
    /// match [`Sequential::parameters`] in length and shapes; on error
    /// nothing is changed.
    pub fn set_weights(&mut self, weights: &[ArrayD<f32>]) -> Result<(), NetError> {
        let names = self.names.iter().map(String::as_str);
        let layers = self.layers.iter_mut().map(|l| l.as_mut() as &mut dyn Layer);
        set_layer_weights(names.zip(layers), weights)
    }
    // ANCHOR_END: weights
}

/// The accuracy and the mean absolute error of a batch, each if the model
/// was compiled with it.
fn metrics_if_asked(
    metrics: &[Metric],
    scores: ArrayView2<f32>,
    targets: Targets<'_>,
) -> Result<(Option<f32>, Option<f32>), NetError> {
    let value = |metric: Metric| -> Result<Option<f32>, NetError> {
        if metrics.contains(&metric) {
            Ok(Some(metric.compute(scores, targets)?))
        } else {
            Ok(None)
        }
    };
    Ok((value(Metric::Accuracy)?, value(Metric::MeanAbsoluteError)?))
}
