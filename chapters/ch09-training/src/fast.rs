//! The fast engine (crate `appendix-speed`) behind chapter 9's `fit`.
//!
//! `appendix-speed` knows nothing of `Sequential`: it trains a stack of
//! dense layers given as weight matrices and biases. This module is the
//! adapter. For a model of the engine's shape (dense layers, ReLU between
//! them, softmax at the end, sparse categorical cross-entropy, SGD without
//! momentum, at most the accuracy metric; `Flatten` layers are allowed
//! anywhere, since batches are already flat) [`FastEngine`] copies the
//! weights into a [`FastMlp`], trains the epoch's batches there and writes
//! the weights back at the end of the epoch.
//!
//! `fit` uses it when its [`Engine`](crate::fit::Engine) option says so
//! (`Fast`, or `Auto` where [`why_not`] finds no reason against it).

use appendix_speed::{FastConfig, FastMlp, Isa};
use ch04_backprop::{Activation, NetError};
use ch08_sequential::{
    BatchResult, Dense, DenseActivation, Flatten, LossKind, Metric, Sequential, TargetKind, Targets,
};
use ndarray::ArrayView2;

use crate::error::TrainError;
use crate::fit::BatchTrainer;

/// Whether `model` has the fast engine's shape: dense layers with ReLU, a
/// softmax output, sparse categorical cross-entropy, plain SGD, and at most
/// the accuracy metric.
pub fn supports(model: &Sequential) -> bool {
    dense_layers(model).is_ok()
}

/// Whether this processor can run the fast engine at its speed: its kernels
/// need fused multiply-add in hardware (see [`Isa::has_hardware_fma`]).
pub fn machine_can_run() -> bool {
    Isa::detect().has_hardware_fma()
}

/// Why the fast engine cannot train `model` on targets of kind `targets` on
/// this machine, or `None` when it can.
pub fn why_not(model: &Sequential, targets: TargetKind) -> Option<String> {
    if targets != TargetKind::Labels {
        return Some("it trains on class labels only, not on real-valued targets".into());
    }
    if let Err(why) = dense_layers(model) {
        return Some(why);
    }
    if !machine_can_run() {
        return Some("this processor has no hardware fused multiply-add".into());
    }
    None
}

/// The positions of the model's dense layers, if the model has the fast
/// engine's shape; otherwise what is in the way.
fn dense_layers(model: &Sequential) -> Result<Vec<usize>, String> {
    let compiled = model.compiled().ok_or("the model is not compiled")?;
    if compiled.loss != LossKind::SparseCategoricalCrossEntropy {
        return Err("its loss must be sparse categorical cross-entropy".into());
    }
    if compiled.optimizer.momentum() != 0.0 {
        return Err("the optimizer has momentum (the fast engine knows plain SGD only)".into());
    }
    if compiled.metrics.iter().any(|&m| m != Metric::Accuracy) {
        return Err("a metric other than accuracy is asked for".into());
    }
    let relu = DenseActivation::Elementwise(Activation::Relu);
    let mut dense = Vec::new();
    let mut activations = Vec::new();
    for (i, (_, layer)) in model.layers().enumerate() {
        if let Some(d) = layer.as_any().downcast_ref::<Dense>() {
            d.core()
                .ok_or_else(|| format!("layer {} is not built", i + 1))?;
            dense.push(i);
            activations.push(d.activation());
        } else if layer.as_any().downcast_ref::<Flatten>().is_none() {
            return Err(format!("layer {} is neither Dense nor Flatten", i + 1));
        }
    }
    let Some((&last, hidden)) = activations.split_last() else {
        return Err("the model has no dense layer".into());
    };
    if let Some(k) = hidden.iter().position(|&a| a != relu) {
        return Err(format!(
            "dense layer {} must use ReLU (it knows no other hidden activation)",
            k + 1
        ));
    }
    if last != DenseActivation::Softmax {
        return Err("the last dense layer must be softmax".into());
    }
    Ok(dense)
}

/// An epoch of `fit` on the fast engine.
pub(crate) struct FastEngine {
    dense: Vec<usize>,
    learning_rate: f32,
    accuracy: bool,
    trainer: Option<FastMlp>,
}

impl FastEngine {
    /// The engine for `model`; an error if the model does not have the
    /// engine's shape.
    pub(crate) fn for_model(model: &Sequential) -> Result<FastEngine, TrainError> {
        let dense = dense_layers(model).map_err(|why| {
            TrainError::InvalidOption(format!("the fast engine cannot train this model: {why}"))
        })?;
        let compiled = model.checked_compiled()?;
        Ok(FastEngine {
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

impl BatchTrainer for FastEngine {
    fn train_batch(
        &mut self,
        model: &mut Sequential,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchResult, TrainError> {
        let Targets::Labels(labels) = targets else {
            return Err(NetError::InvalidArgument(
                "the fast engine trains on class labels only".into(),
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
