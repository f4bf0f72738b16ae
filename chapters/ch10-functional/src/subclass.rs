//! Wide & Deep written as a Rust type: the *subclassing* form of a model.
//!
//! Keras lets a model be a class whose `call` method says, in plain code,
//! how the inputs become the outputs. The Rust counterpart is a struct that
//! holds its layers as fields and implements chapter 9's
//! [`Model`] trait: `fit`, `evaluate` and
//! `predict_dataset` then train and measure it like any other model.
//!
//! The layers are chapter 8's [`Dense`]; the loss is chapter 8's mean
//! squared error; the optimizer is chapter 8's [`Sgd`], stepped through
//! [`Sgd::step_each`]. What the struct writes itself is only the wiring:
//! which layer reads what, forward and backward.

use ch00_toolbox::seeded_rng;
use ch04_backprop::{Activation, NetError};
use ch08_sequential::layer::{Layer, named_parameters, set_layer_weights};
use ch08_sequential::{BatchResult, Dense, LossKind, Metric, Sgd, TargetKind, Targets};
use ch09_training::{BatchReport, Dataset, Model, TrainError};
use ndarray::{Array2, ArrayD, ArrayView2, ArrayViewD, Axis, Slice};

use crate::model_impl::check_layout;

// ANCHOR: struct
/// Wide & Deep with two inputs (`wide`, `deep`) and two outputs (`output`,
/// `aux_output`), its forward and backward passes written by hand.
#[derive(Debug)]
pub struct WideAndDeep {
    wide: usize,
    deep: usize,
    hidden1: Dense,
    hidden2: Dense,
    main_output: Dense,
    aux_output: Dense,
    optimizer: Sgd,
    /// The weights of the main and the auxiliary loss in the total.
    loss_weights: (f32, f32),
}
// ANCHOR_END: struct

/// What the forward pass computed, kept for the loss and the backward pass.
struct Forward {
    main: Array2<f32>,
    aux: Array2<f32>,
}

impl WideAndDeep {
    /// A model for `wide` and `deep` inputs of these widths, with two hidden
    /// layers of `units` units, its initial weights drawn from a generator
    /// seeded with `seed` (hidden1, hidden2, aux_output, output, in that
    /// order), trained by `optimizer` on the weighted sum of two mean
    /// squared errors.
    pub fn new(
        wide: usize,
        deep: usize,
        units: usize,
        seed: u64,
        optimizer: Sgd,
        loss_weights: (f32, f32),
    ) -> Result<WideAndDeep, NetError> {
        let mut rng = seeded_rng(seed);
        let mut dense = |units: usize, activation: Activation, inputs: usize| {
            let mut d = Dense::new(units, activation);
            d.build(&[inputs], &mut rng).map(|_| d)
        };
        let hidden1 = dense(units, Activation::Relu, deep)?;
        let hidden2 = dense(units, Activation::Relu, units)?;
        let aux_output = dense(1, Activation::Identity, units)?;
        let main_output = dense(1, Activation::Identity, wide + units)?;
        let model = WideAndDeep {
            wide,
            deep,
            hidden1,
            hidden2,
            main_output,
            aux_output,
            optimizer,
            loss_weights,
        };
        model.check_compiled()?;
        Ok(model)
    }

    /// The layers with their names, in the order of the parameters.
    fn named_layers(&self) -> [(&'static str, &Dense); 4] {
        [
            ("hidden1", &self.hidden1),
            ("hidden2", &self.hidden2),
            ("output", &self.main_output),
            ("aux_output", &self.aux_output),
        ]
    }

    /// The number of learned numbers.
    pub fn parameter_count(&self) -> usize {
        self.named_layers()
            .iter()
            .map(|(_, l)| l.parameter_count())
            .sum()
    }

    /// Splits a batch `wide | deep` into its two inputs.
    fn split<'a>(
        &self,
        x: ArrayView2<'a, f32>,
    ) -> Result<(ArrayView2<'a, f32>, ArrayView2<'a, f32>), NetError> {
        if x.nrows() == 0 {
            return Err(NetError::EmptyBatch);
        }
        if x.ncols() != self.wide + self.deep {
            return Err(NetError::shape(
                "input of the model (wide | deep)",
                &[0, self.wide + self.deep],
                x.shape(),
            ));
        }
        let (wide, deep) = x.split_at(Axis(1), self.wide);
        Ok((wide, deep))
    }

    /// Splits targets `main | aux` into one `Targets` per output.
    fn split_targets<'t>(
        &self,
        targets: Targets<'t>,
        rows: usize,
    ) -> Result<(Targets<'t>, Targets<'t>), NetError> {
        targets.check(rows)?;
        match targets {
            Targets::Values(y) if y.ncols() == 2 => {
                let (main, aux) = y.split_at(Axis(1), 1);
                Ok((Targets::Values(main), Targets::Values(aux)))
            }
            Targets::Values(y) => Err(NetError::shape(
                "targets (output | aux_output)",
                &[rows, 2],
                y.shape(),
            )),
            Targets::Labels(_) => Err(NetError::InvalidArgument(
                "Wide & Deep learns real values, not class labels".into(),
            )),
        }
    }

    // ANCHOR: forward
    /// The forward pass, as Keras' `call` would write it. With `train`, the
    /// layers remember what `backward` needs.
    fn forward(&mut self, x: ArrayView2<f32>, train: bool) -> Result<Forward, NetError> {
        let (wide, deep) = self.split(x)?;
        let apply = |layer: &mut Dense, x: ArrayView2<f32>| {
            if train {
                layer.forward(x)
            } else {
                layer.predict(x)
            }
        };
        let hidden1 = apply(&mut self.hidden1, deep)?;
        let hidden2 = apply(&mut self.hidden2, hidden1.view())?;
        let concat = ndarray::concatenate(Axis(1), &[wide, hidden2.view()])
            .map_err(|e| NetError::InvalidArgument(e.to_string()))?;
        let main = apply(&mut self.main_output, concat.view())?;
        let aux = apply(&mut self.aux_output, hidden2.view())?;
        Ok(Forward { main, aux })
    }
    // ANCHOR_END: forward

    /// The same pass without remembering anything, on a shared model.
    fn predict_both(&self, x: ArrayView2<f32>) -> Result<Forward, NetError> {
        let (wide, deep) = self.split(x)?;
        let hidden1 = self.hidden1.predict(deep)?;
        let hidden2 = self.hidden2.predict(hidden1.view())?;
        let concat = ndarray::concatenate(Axis(1), &[wide, hidden2.view()])
            .map_err(|e| NetError::InvalidArgument(e.to_string()))?;
        let main = self.main_output.predict(concat.view())?;
        let aux = self.aux_output.predict(hidden2.view())?;
        Ok(Forward { main, aux })
    }

    // ANCHOR: backward
    /// The backward pass, written by hand: `hidden2` feeds both the
    /// concatenation and the auxiliary output, so its gradient is the sum
    /// of the two that flow back to it.
    fn backward(&mut self, grad_main: Array2<f32>, grad_aux: Array2<f32>) -> Result<(), NetError> {
        let grad_concat = self.main_output.backward(grad_main.view())?;
        // The columns of the concatenation that came from hidden2 (the
        // first `wide` columns came from the input: nothing to train there).
        let mut grad_hidden2 = grad_concat
            .slice_axis(Axis(1), Slice::from(self.wide..))
            .to_owned();
        grad_hidden2 += &self.aux_output.backward(grad_aux.view())?;
        let grad_hidden1 = self.hidden2.backward(grad_hidden2.view())?;
        self.hidden1.backward(grad_hidden1.view())?;
        Ok(())
    }
    // ANCHOR_END: backward

    /// The weighted total, each output's loss, and the mean absolute error
    /// of the main output; with `grads`, also the gradients of the total
    /// with respect to each output.
    #[allow(clippy::type_complexity)]
    fn losses(
        &self,
        f: &Forward,
        targets: Targets<'_>,
        grads: bool,
    ) -> Result<(BatchResult, Vec<f32>, Option<(Array2<f32>, Array2<f32>)>), NetError> {
        let rows = f.main.nrows();
        let (t_main, t_aux) = self.split_targets(targets, rows)?;
        let mse = LossKind::MeanSquaredError;
        let (w_main, w_aux) = self.loss_weights;
        let (l_main, l_aux, g) = if grads {
            let (l_main, g_main) = mse.value_and_gradient(f.main.view(), t_main)?;
            let (l_aux, g_aux) = mse.value_and_gradient(f.aux.view(), t_aux)?;
            (l_main, l_aux, Some((g_main * w_main, g_aux * w_aux)))
        } else {
            let l_main = mse.value(f.main.view(), t_main)?;
            let l_aux = mse.value(f.aux.view(), t_aux)?;
            (l_main, l_aux, None)
        };
        let mut total = 0.0;
        total += w_main * l_main;
        total += w_aux * l_aux;
        let mae = Metric::MeanAbsoluteError.compute(f.main.view(), t_main)?;
        let result = BatchResult {
            loss: total,
            accuracy: None,
            mae: Some(mae),
            samples: rows,
        };
        Ok((result, vec![l_main, l_aux], g))
    }
}

// ANCHOR: model_impl
impl Model for WideAndDeep {
    fn check_compiled(&self) -> Result<(), NetError> {
        self.optimizer.validate()?;
        let (a, b) = self.loss_weights;
        if [a, b].iter().all(|w| w.is_finite() && *w >= 0.0) {
            Ok(())
        } else {
            Err(NetError::InvalidArgument(format!(
                "the loss weights are ({a}, {b}): each must be a finite number ≥ 0"
            )))
        }
    }

    fn check_inputs(&self, data: &dyn Dataset, what: &str) -> Result<(), TrainError> {
        if data.is_empty() {
            return Err(TrainError::InvalidOption(format!(
                "the {what} data set is empty"
            )));
        }
        let expected = [("wide".to_string(), self.wide), ("deep".into(), self.deep)];
        let given = data.input_layout();
        let what = format!("the {what} data's input");
        check_layout(&expected, given, data.sample_width(), &what)
    }

    fn check_targets(&self, data: &dyn Dataset, what: &str) -> Result<(), TrainError> {
        if data.target_kind() != TargetKind::Values {
            return Err(TrainError::InvalidOption(format!(
                "the {what} data has {}, but Wide & Deep learns real values",
                data.target_kind().describe()
            )));
        }
        let expected = [("output".to_string(), 1), ("aux_output".into(), 1)];
        let given = data.target_layout();
        let what = format!("the {what} data's target");
        check_layout(&expected, given, data.target_width(), &what)
    }

    fn output_width(&self) -> usize {
        2
    }

    fn output_names(&self) -> Vec<String> {
        vec!["output".into(), "aux_output".into()]
    }

    fn train_batch(
        &mut self,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchReport, NetError> {
        self.check_compiled()?;
        let forward = self.forward(x, true)?;
        let (result, outputs, grads) = self.losses(&forward, targets, true)?;
        let (grad_main, grad_aux) = grads
            .ok_or_else(|| NetError::InvalidArgument("the losses gave no gradients".into()))?;
        self.backward(grad_main, grad_aux)?;
        self.optimizer.step_each([
            &mut self.hidden1 as &mut dyn Layer,
            &mut self.hidden2,
            &mut self.aux_output,
            &mut self.main_output,
        ])?;
        Ok(BatchReport { result, outputs })
    }

    fn test_batch(
        &self,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<BatchReport, NetError> {
        let forward = self.predict_both(x)?;
        let (result, outputs, _) = self.losses(&forward, targets, false)?;
        Ok(BatchReport { result, outputs })
    }

    fn predict_batch(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        let f = self.predict_both(x)?;
        ndarray::concatenate(Axis(1), &[f.main.view(), f.aux.view()])
            .map_err(|e| NetError::InvalidArgument(e.to_string()))
    }

    fn parameters(&self) -> Vec<(String, ArrayViewD<'_, f32>)> {
        named_parameters(
            self.named_layers()
                .map(|(name, layer)| (name, layer as &dyn Layer)),
        )
    }

    fn set_weights(&mut self, weights: &[ArrayD<f32>]) -> Result<(), NetError> {
        let names = self.named_layers().map(|(name, _)| name);
        let layers = [
            &mut self.hidden1 as &mut dyn Layer,
            &mut self.hidden2,
            &mut self.main_output,
            &mut self.aux_output,
        ];
        set_layer_weights(names.into_iter().zip(layers), weights)
    }

    fn optimizer_mut(&mut self) -> Option<&mut Sgd> {
        Some(&mut self.optimizer)
    }
}
// ANCHOR_END: model_impl
