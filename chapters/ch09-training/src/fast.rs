//! The fast engine (crate `appendix-speed`) inside chapter 9's `fit`.
//!
//! `fit` asks `engine_for` (in `crate::fit`) for an engine at the start of
//! every epoch. For a model of the fast path's shape (dense layers, ReLU
//! between them, softmax at the end, sparse categorical cross-entropy, SGD
//! without momentum; `Flatten` layers are allowed anywhere, since batches
//! are already flat) it gets a `FastEngine`, which copies the weights into
//! a [`FastMlp`], trains the epoch's batches there and writes the weights
//! back at the end of the epoch. Any other model trains layer by layer as
//! before.
//!
//! The fast path is only fast when compiled with optimisations: in a debug
//! build (`cargo test` without `--release`) its kernels run tens of times
//! slower than `ndarray`'s products, which are optimised even there as a
//! dependency. So by default ([`FastPath::WhenOptimised`]) `fit` takes it in
//! optimised builds only; [`set_fast_path`] changes that for the whole
//! program, for example to time the clear path or to test the fast one.

use std::sync::atomic::{AtomicU8, Ordering};

use ch04_backprop::{Activation, NetError};
use ch08_sequential::{
    BatchResult, Dense, DenseActivation, Flatten, LossKind, Metric, Sequential, Targets,
};
use ndarray::ArrayView2;

use crate::error::TrainError;
use crate::fit::Engine;
use appendix_speed::{FastConfig, FastMlp, Isa};

/// When `fit` takes the fast path for a model of its shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FastPath {
    /// In builds with optimisations (no `debug_assertions`): the default.
    WhenOptimised,
    /// Always.
    Always,
    /// Never: every model trains layer by layer.
    Never,
}

static MODE: AtomicU8 = AtomicU8::new(0);

/// Chooses when every later epoch of `fit` in this program takes the fast
/// path.
pub fn set_fast_path(mode: FastPath) {
    let code = match mode {
        FastPath::WhenOptimised => 0,
        FastPath::Always => 1,
        FastPath::Never => 2,
    };
    MODE.store(code, Ordering::Relaxed);
}

/// The current choice (see [`set_fast_path`]).
pub fn fast_path() -> FastPath {
    match MODE.load(Ordering::Relaxed) {
        1 => FastPath::Always,
        2 => FastPath::Never,
        _ => FastPath::WhenOptimised,
    }
}

/// Whether `fit` takes the fast path now for models of its shape (on a
/// processor that does fused multiply-adds in hardware, see
/// [`Isa::has_hardware_fma`]).
pub fn is_enabled() -> bool {
    match fast_path() {
        FastPath::WhenOptimised => !cfg!(debug_assertions),
        FastPath::Always => true,
        FastPath::Never => false,
    }
}

/// Whether `model` has the fast path's shape: dense layers with ReLU, a
/// softmax output, sparse categorical cross-entropy, plain SGD, and at most
/// the accuracy metric (`fit` takes the fast path for it when
/// [`is_enabled`]).
pub fn supports(model: &Sequential) -> bool {
    dense_layers(model).is_some()
}

/// The positions of the model's dense layers, if the model has the fast
/// path's shape.
fn dense_layers(model: &Sequential) -> Option<Vec<usize>> {
    let compiled = model.compiled()?;
    if compiled.loss != LossKind::SparseCategoricalCrossEntropy
        || compiled.optimizer.momentum() != 0.0
        || compiled.metrics.iter().any(|&m| m != Metric::Accuracy)
    {
        return None;
    }
    let mut dense = Vec::new();
    for (i, (_, layer)) in model.layers().enumerate() {
        if let Some(d) = layer.as_any().downcast_ref::<Dense>() {
            d.core()?;
            dense.push(i);
        } else if layer.as_any().downcast_ref::<Flatten>().is_none() {
            return None;
        }
    }
    let (&last, hidden) = dense.split_last()?;
    let activation = |i: usize| -> Option<DenseActivation> {
        let (_, layer) = model.layers().nth(i)?;
        Some(layer.as_any().downcast_ref::<Dense>()?.activation())
    };
    let relu = DenseActivation::Elementwise(Activation::Relu);
    let shaped = hidden.iter().all(|&i| activation(i) == Some(relu))
        && activation(last) == Some(DenseActivation::Softmax);
    shaped.then_some(dense)
}

/// An epoch of `fit` on the fast path.
pub(crate) struct FastEngine {
    dense: Vec<usize>,
    learning_rate: f32,
    accuracy: bool,
    trainer: Option<FastMlp>,
}

impl FastEngine {
    /// The engine for `model`, if the fast path is on and the model has its
    /// shape.
    pub(crate) fn for_model(model: &Sequential) -> Option<FastEngine> {
        if !is_enabled() || !Isa::detect().has_hardware_fma() {
            return None;
        }
        let dense = dense_layers(model)?;
        let compiled = model.compiled()?;
        Some(FastEngine {
            dense,
            learning_rate: compiled.optimizer.learning_rate(),
            accuracy: compiled.metrics.contains(&Metric::Accuracy),
            trainer: None,
        })
    }

    /// Copies the model's weights into a new trainer for batches of up to
    /// `batch_size` samples.
    fn start(&self, model: &Sequential, batch_size: usize) -> Result<FastMlp, NetError> {
        let cores: Vec<&ch04_backprop::Dense> = self
            .dense
            .iter()
            .filter_map(|&i| model.layers().nth(i))
            .filter_map(|(_, layer)| layer.as_any().downcast_ref::<Dense>()?.core())
            .collect();
        if cores.len() != self.dense.len() {
            return Err(NetError::InvalidArgument(
                "the model changed during fit".into(),
            ));
        }
        let layers: Vec<_> = cores
            .iter()
            .map(|d| (d.weights.view(), d.bias.view()))
            .collect();
        let config = FastConfig {
            batch_size,
            ..FastConfig::default()
        };
        FastMlp::from_parameters(&layers, config)
    }

    /// Writes the trainer's weights back into the model.
    fn write_back(&mut self, model: &mut Sequential) -> Result<(), NetError> {
        let Some(trainer) = self.trainer.take() else {
            return Ok(());
        };
        let layers = model.layers_mut();
        for (&i, (w, b)) in self.dense.iter().zip(trainer.parameters()) {
            let core = layers
                .get_mut(i)
                .and_then(|l| l.as_any_mut().downcast_mut::<Dense>())
                .and_then(Dense::core_mut)
                .ok_or_else(|| NetError::InvalidArgument("the model changed during fit".into()))?;
            core.weights.assign(&w);
            core.bias.assign(&b);
        }
        Ok(())
    }
}

impl Engine for FastEngine {
    fn train_batch(
        &mut self,
        model: &mut Sequential,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchResult, TrainError> {
        let Targets::Labels(labels) = targets else {
            return Err(NetError::InvalidArgument(
                "the fast path trains on class labels only".into(),
            )
            .into());
        };
        let fits = |t: &FastMlp| x.nrows() <= t.config().batch_size;
        if !self.trainer.as_ref().is_some_and(fits) {
            self.write_back(model)?;
            self.trainer = Some(self.start(model, x.nrows().max(1))?);
        }
        let Some(trainer) = self.trainer.as_mut() else {
            return Err(NetError::InvalidArgument("the fast trainer did not start".into()).into());
        };
        match trainer.train_batch(x, labels, self.learning_rate) {
            Ok(stats) => Ok(BatchResult {
                loss: stats.loss,
                accuracy: self.accuracy.then_some(stats.accuracy),
                mae: None,
                samples: stats.samples,
            }),
            Err(e) => {
                self.write_back(model)?;
                Err(e.into())
            }
        }
    }

    fn finish(&mut self, model: &mut Sequential) -> Result<(), TrainError> {
        Ok(self.write_back(model)?)
    }
}
