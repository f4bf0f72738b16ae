//! The multilayer perceptron: dense layers in a row, trained by
//! backpropagation and mini-batch SGD.

use ndarray::{Array2, ArrayView2, Axis};
use rand::Rng;
use rand::seq::SliceRandom;

use crate::dense::Dense;
use crate::error::NetError;
use crate::loss::Loss;
use crate::optimizer::Sgd;

// ANCHOR: mlp
/// A multilayer perceptron: the output of each layer is the input of the
/// next.
#[derive(Clone, Debug)]
pub struct Mlp {
    /// The layers, from the input side to the output side.
    pub layers: Vec<Dense>,
}

impl Mlp {
    /// A network from its layers; consecutive layers must fit (`n_outputs`
    /// of one equals `n_inputs` of the next).
    pub fn new(layers: Vec<Dense>) -> Result<Mlp, NetError> {
        let mlp = Mlp { layers };
        mlp.check_layers()?;
        Ok(mlp)
    }

    fn check_layers(&self) -> Result<(), NetError> {
        if self.layers.is_empty() {
            return Err(NetError::NoLayers);
        }
        for (i, pair) in self.layers.windows(2).enumerate() {
            if pair[0].n_outputs() != pair[1].n_inputs() {
                return Err(NetError::shape(
                    format!(
                        "weights of layer {} (it follows a layer of {} units)",
                        i + 1,
                        pair[0].n_outputs()
                    ),
                    &[pair[0].n_outputs(), pair[1].n_outputs()],
                    pair[1].weights.shape(),
                ));
            }
        }
        Ok(())
    }
}
// ANCHOR_END: mlp

impl Mlp {
    /// The number of inputs of the first layer.
    pub fn n_inputs(&self) -> usize {
        self.layers.first().map_or(0, Dense::n_inputs)
    }

    /// The number of outputs of the last layer.
    pub fn n_outputs(&self) -> usize {
        self.layers.last().map_or(0, Dense::n_outputs)
    }

    /// All weights and biases of all layers.
    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(Dense::parameter_count).sum()
    }

    // ANCHOR: forward
    /// The forward pass on a batch `x` (`B × n_inputs`), remembering what the
    /// backward pass needs; returns the outputs (`B × n_outputs`).
    pub fn forward(&mut self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.check_layers()?;
        let (first, rest) = self.layers.split_first_mut().ok_or(NetError::NoLayers)?;
        let mut a = first.forward(x)?;
        for layer in rest {
            a = layer.forward(a.view())?;
        }
        Ok(a)
    }
    // ANCHOR_END: forward

    /// The outputs for a batch `x`, without remembering anything.
    pub fn predict(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.check_layers()?;
        let (first, rest) = self.layers.split_first().ok_or(NetError::NoLayers)?;
        let mut a = first.predict(x)?;
        for layer in rest {
            a = layer.predict(a.view())?;
        }
        Ok(a)
    }

    // ANCHOR: backward
    /// The backward pass: `grad` is `dL/d(output)`. Every layer stores its
    /// `dW` and `db`; the result is `dL/d(input)` of the whole network.
    pub fn backward(&mut self, grad: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        let mut g = grad.to_owned();
        for layer in self.layers.iter_mut().rev() {
            g = layer.backward(g.view())?;
        }
        Ok(g)
    }
    // ANCHOR_END: backward

    // ANCHOR: backward_for_training
    /// Backward without the gradient for the network's input, which training
    /// never uses: saves the first layer's `dZ · Wᵀ` product.
    fn backward_for_training(&mut self, grad: ArrayView2<f32>) -> Result<(), NetError> {
        let mut g = grad.to_owned();
        for (i, layer) in self.layers.iter_mut().enumerate().rev() {
            layer.backward_parameters(g.view())?;
            if i > 0 {
                g = layer.input_gradient();
            }
        }
        Ok(())
    }
    // ANCHOR_END: backward_for_training

    /// One SGD step on every layer. When the gradients of some layer do not
    /// fit its parameters (see [`Sgd::step`]) no layer moves: the error
    /// leaves the whole network as it was.
    pub fn step(&mut self, sgd: &Sgd) -> Result<(), NetError> {
        for layer in &self.layers {
            Sgd::check_gradients(layer)?;
        }
        for layer in &mut self.layers {
            sgd.step(layer)?;
        }
        Ok(())
    }

    // ANCHOR: train_batch
    /// Forward, loss, backward, step on one mini-batch; returns the batch's
    /// loss before the step.
    pub fn train_batch(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        loss: &dyn Loss,
        sgd: &Sgd,
    ) -> Result<f32, NetError> {
        let output = self.forward(x)?;
        let value = loss.value(output.view(), y)?;
        let grad = loss.gradient(output.view(), y)?;
        self.backward_for_training(grad.view())?;
        self.step(sgd)?;
        Ok(value)
    }
    // ANCHOR_END: train_batch

    // ANCHOR: fit_epoch
    /// One pass over `(x, y)` in shuffled mini-batches of `batch_size` rows
    /// (the last one may be smaller). Returns the mean training loss, each
    /// batch weighted by its size.
    pub fn fit_epoch(
        &mut self,
        x: ArrayView2<f32>,
        y: ArrayView2<f32>,
        batch_size: usize,
        loss: &dyn Loss,
        sgd: &Sgd,
        rng: &mut impl Rng,
    ) -> Result<f32, NetError> {
        self.check_data(&x, &y, batch_size)?;
        let mut order: Vec<usize> = (0..x.nrows()).collect();
        order.shuffle(rng);
        let mut total = 0.0;
        for rows in order.chunks(batch_size) {
            let xb = x.select(Axis(0), rows);
            let yb = y.select(Axis(0), rows);
            total += self.train_batch(xb.view(), yb.view(), loss, sgd)? * rows.len() as f32;
        }
        Ok(total / x.nrows() as f32)
    }
    // ANCHOR_END: fit_epoch

    fn check_data(
        &self,
        x: &ArrayView2<f32>,
        y: &ArrayView2<f32>,
        batch_size: usize,
    ) -> Result<(), NetError> {
        self.check_layers()?;
        if batch_size == 0 {
            return Err(NetError::InvalidArgument(
                "the batch size must be at least 1".into(),
            ));
        }
        if x.nrows() == 0 {
            return Err(NetError::EmptyBatch);
        }
        if x.ncols() != self.n_inputs() {
            return Err(NetError::shape("inputs", &[0, self.n_inputs()], x.shape()));
        }
        if y.dim() != (x.nrows(), self.n_outputs()) {
            return Err(NetError::shape(
                "targets (one row per input row, one column per output)",
                &[x.nrows(), self.n_outputs()],
                y.shape(),
            ));
        }
        Ok(())
    }
}

/// The book's one rule on the number of epochs: at least one. Training for
/// zero epochs returns an untrained model and an empty history, which is
/// never what a caller meant.
pub fn check_epochs(epochs: usize) -> Result<(), NetError> {
    if epochs == 0 {
        return Err(NetError::InvalidArgument(
            "the number of epochs must be at least 1".into(),
        ));
    }
    Ok(())
}
