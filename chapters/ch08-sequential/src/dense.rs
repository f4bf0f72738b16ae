//! `Dense`: chapter 4's fully connected layer, ready to be added to a model.
//!
//! The arithmetic (`X·W + b`, the activation, the backward pass) is chapter
//! 4's [`ch04_backprop::Dense`]; this wrapper adds what a `Sequential` model
//! needs around it: the layer is described by its number of units and its
//! activation only, and it learns its number of inputs when the model builds
//! it; the weights start Glorot-uniform and the biases at zero, as in Keras;
//! and the output layer of a classifier may end with a softmax.

use ch04_backprop::{Activation, Init, NetError};
use ch06_classification::softmax::softmax_inplace;
use ndarray::{Array2, ArrayView2, ArrayViewD, ArrayViewMutD, Axis, Zip};
use rand::RngCore;

use crate::layer::{Layer, sample_size};

// ANCHOR: dense_activation
/// What a dense layer applies to its weighted sums `Z = X·W + b`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DenseActivation {
    /// One of chapter 4's functions, applied to every entry on its own.
    Elementwise(Activation),
    /// Softmax over each row: one probability per class (chapter 6). It is
    /// not element by element, since each output depends on the whole row.
    Softmax,
}

/// Shorthand for [`DenseActivation::Softmax`], so that a model reads
/// `Dense::new(10, Softmax)` like Keras' `Dense(10, activation="softmax")`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Softmax;

impl From<Activation> for DenseActivation {
    fn from(a: Activation) -> Self {
        DenseActivation::Elementwise(a)
    }
}

impl From<Softmax> for DenseActivation {
    fn from(_: Softmax) -> Self {
        DenseActivation::Softmax
    }
}
// ANCHOR_END: dense_activation

impl DenseActivation {
    /// The name as Keras writes it: `"relu"`, `"softmax"`, …
    pub fn name(self) -> &'static str {
        match self {
            DenseActivation::Elementwise(Activation::Identity) => "linear",
            DenseActivation::Elementwise(Activation::Step) => "step",
            DenseActivation::Elementwise(Activation::Sigmoid) => "sigmoid",
            DenseActivation::Elementwise(Activation::Tanh) => "tanh",
            DenseActivation::Elementwise(Activation::Relu) => "relu",
            DenseActivation::Softmax => "softmax",
        }
    }
}

// ANCHOR: dense
/// A fully connected layer of `units` units, described now, built by the
/// model when it knows how many inputs the layer gets.
#[derive(Clone, Debug)]
pub struct Dense {
    units: usize,
    activation: DenseActivation,
    init: Init,
    inputs: Option<usize>,
    /// Chapter 4's layer, once built.
    core: Option<ch04_backprop::Dense>,
    /// The softmax output of the last `forward`, for `backward`.
    probabilities: Option<Array2<f32>>,
}

impl Dense {
    /// `units` units with the given activation, Glorot-uniform weights and
    /// zero biases.
    pub fn new(units: usize, activation: impl Into<DenseActivation>) -> Dense {
        Dense {
            units,
            activation: activation.into(),
            init: Init::GlorotUniform,
            inputs: None,
            core: None,
            probabilities: None,
        }
    }

    /// The same layer with another weight initialisation (chapter 4's
    /// [`Init`]), for example `Init::HeNormal` for deep ReLU stacks.
    pub fn with_init(mut self, init: Init) -> Dense {
        self.init = init;
        self
    }

    /// The same layer, declaring `n` inputs per sample so that it can be the
    /// first layer of a model (Keras' `input_shape=[n]`).
    pub fn with_inputs(mut self, n: usize) -> Dense {
        self.inputs = Some(n);
        self
    }
    // ANCHOR_END: dense

    /// The number of units (outputs per sample).
    pub fn units(&self) -> usize {
        self.units
    }

    /// The activation applied to the weighted sums.
    pub fn activation(&self) -> DenseActivation {
        self.activation
    }

    /// The initialisation the weights were, or will be, drawn with.
    pub fn init(&self) -> Init {
        self.init
    }

    /// Chapter 4's layer inside, once the model has built it: its `weights`
    /// (`n_in × n_out`) and `bias` are public fields there.
    pub fn core(&self) -> Option<&ch04_backprop::Dense> {
        self.core.as_ref()
    }

    /// Chapter 4's layer inside, writable.
    pub fn core_mut(&mut self) -> Option<&mut ch04_backprop::Dense> {
        self.core.as_mut()
    }

    fn built(&self) -> Result<&ch04_backprop::Dense, NetError> {
        self.core.as_ref().ok_or_else(not_built)
    }

    fn built_mut(&mut self) -> Result<&mut ch04_backprop::Dense, NetError> {
        self.core.as_mut().ok_or_else(not_built)
    }
}

fn not_built() -> NetError {
    NetError::InvalidArgument(
        "this Dense layer has not been built yet: add it to a Sequential model first".into(),
    )
}

// ANCHOR: softmax_backward
/// The backward pass of a row-wise softmax: given `p = softmax(z)` and
/// `g = dL/dp`, returns `dL/dz` with `dz_ij = p_ij (g_ij − Σ_k g_ik p_ik)`.
pub fn softmax_backward(p: ArrayView2<f32>, g: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
    if p.dim() != g.dim() {
        return Err(NetError::shape(
            "gradient of the softmax output",
            p.shape(),
            g.shape(),
        ));
    }
    let dot = (&p * &g).sum_axis(Axis(1)); // Σ_k g_ik p_ik, one per row
    let mut dz = g.to_owned();
    Zip::from(dz.rows_mut())
        .and(p.rows())
        .and(&dot)
        .for_each(|mut row, p, &d| {
            Zip::from(&mut row)
                .and(&p)
                .for_each(|g, &p| *g = p * (*g - d));
        });
    Ok(dz)
}
// ANCHOR_END: softmax_backward

// ANCHOR: dense_build
impl Layer for Dense {
    fn kind(&self) -> &'static str {
        "Dense"
    }

    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        self.inputs.map(|n| vec![n])
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        rng: &mut dyn RngCore,
    ) -> Result<Vec<usize>, NetError> {
        if input_shape.len() != 1 {
            return Err(NetError::InvalidArgument(format!(
                "a Dense layer takes flat samples, got shape {input_shape:?}: add Flatten first"
            )));
        }
        // Softmax is applied by this wrapper; the core layer stays linear.
        let core_activation = match self.activation {
            DenseActivation::Elementwise(a) => a,
            DenseActivation::Softmax => Activation::Identity,
        };
        let n_in = sample_size(input_shape);
        let mut rng = rng;
        self.core = Some(ch04_backprop::Dense::new(
            n_in,
            self.units,
            core_activation,
            self.init,
            &mut rng,
        )?);
        Ok(vec![self.units])
    }
    // ANCHOR_END: dense_build

    fn parameter_count(&self) -> usize {
        self.core
            .as_ref()
            .map_or(0, ch04_backprop::Dense::parameter_count)
    }

    fn predict(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        let mut a = self.built()?.predict(x)?;
        if self.activation == DenseActivation::Softmax {
            softmax_inplace(&mut a);
        }
        Ok(a)
    }

    fn forward(&mut self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        let mut a = self.built_mut()?.forward(x)?;
        if self.activation == DenseActivation::Softmax {
            softmax_inplace(&mut a);
            self.probabilities = Some(a.clone());
        }
        Ok(a)
    }

    fn backward(&mut self, grad_output: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        if self.activation == DenseActivation::Softmax {
            let p = self.probabilities.as_ref().ok_or(NetError::NoForwardPass)?;
            let dz = softmax_backward(p.view(), grad_output)?;
            return self.built_mut()?.backward(dz.view());
        }
        self.built_mut()?.backward(grad_output)
    }

    fn parameters(&self) -> Vec<(&'static str, ArrayViewD<'_, f32>)> {
        match &self.core {
            Some(c) => vec![
                ("weight", c.weights.view().into_dyn()),
                ("bias", c.bias.view().into_dyn()),
            ],
            None => Vec::new(),
        }
    }

    fn parameters_mut(&mut self) -> Vec<ArrayViewMutD<'_, f32>> {
        match &mut self.core {
            Some(c) => vec![
                c.weights.view_mut().into_dyn(),
                c.bias.view_mut().into_dyn(),
            ],
            None => Vec::new(),
        }
    }

    fn gradients(&self) -> Vec<ArrayViewD<'_, f32>> {
        match &self.core {
            Some(c) => vec![c.grad_weights().into_dyn(), c.grad_bias().into_dyn()],
            None => Vec::new(),
        }
    }

    fn ends_with_softmax(&self) -> bool {
        self.activation == DenseActivation::Softmax
    }

    fn predict_logits(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.built()?.predict(x)
    }

    fn forward_logits(&mut self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        // The core layer is linear for a softmax layer: its output is Z.
        self.probabilities = None;
        self.built_mut()?.forward(x)
    }

    fn backward_logits(&mut self, grad_logits: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        if self.activation != DenseActivation::Softmax {
            return self.backward(grad_logits);
        }
        self.built_mut()?.backward(grad_logits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch00_toolbox::seeded_rng;
    use ch06_classification::softmax::softmax;
    use ndarray::array;

    #[test]
    fn building_draws_glorot_weights_and_zero_biases() {
        let mut d = Dense::new(300, Activation::Relu);
        assert_eq!(d.parameter_count(), 0);
        assert_eq!(d.build(&[784], &mut seeded_rng(42)).unwrap(), vec![300]);
        assert_eq!(d.parameter_count(), 235_500);
        let core = d.core().unwrap();
        let limit = (6.0f32 / (784.0 + 300.0)).sqrt();
        assert!(core.weights.iter().all(|w| w.abs() <= limit));
        assert!(core.weights.iter().any(|&w| w > 0.9 * limit));
        assert!(core.bias.iter().all(|&b| b == 0.0));
        let mut again = Dense::new(300, Activation::Relu);
        again.build(&[784], &mut seeded_rng(42)).unwrap();
        assert_eq!(again.core().unwrap().weights, core.weights);
    }

    #[test]
    fn unbuilt_layers_and_image_shapes_are_errors() {
        let d = Dense::new(3, Activation::Relu);
        assert!(d.predict(Array2::zeros((1, 4)).view()).is_err());
        let mut d = Dense::new(3, Activation::Relu);
        let err = d.build(&[28, 28], &mut seeded_rng(0)).unwrap_err();
        assert!(err.to_string().contains("Flatten"), "{err}");
        let mut zero = Dense::new(0, Activation::Relu);
        assert!(zero.build(&[4], &mut seeded_rng(0)).is_err());
    }

    #[test]
    fn softmax_backward_matches_finite_differences() {
        let z = array![[0.3f32, -1.2, 2.0], [1.0, 1.5, -0.5]];
        let g = array![[0.7f32, -0.2, 0.1], [-1.0, 0.4, 0.25]];
        // L = Σ g ⊙ softmax(z): its gradient with respect to z is our JVP.
        let loss = |z: &Array2<f32>| (&softmax(z.view()) * &g).sum();
        let p = softmax(z.view());
        let dz = softmax_backward(p.view(), g.view()).unwrap();
        let h = 1e-2;
        for i in 0..2 {
            for j in 0..3 {
                let (mut plus, mut minus) = (z.clone(), z.clone());
                plus[[i, j]] += h;
                minus[[i, j]] -= h;
                let numeric = (loss(&plus) - loss(&minus)) / (2.0 * h);
                assert!(
                    (numeric - dz[[i, j]]).abs() < 1e-3,
                    "{numeric} vs {}",
                    dz[[i, j]]
                );
            }
        }
        assert!(softmax_backward(p.view(), g.t()).is_err());
    }

    #[test]
    fn a_softmax_layer_outputs_probabilities_and_exposes_its_logits() {
        let mut d = Dense::new(4, Softmax);
        d.build(&[3], &mut seeded_rng(1)).unwrap();
        let x = array![[1.0f32, 2.0, 3.0], [0.0, -1.0, 0.5]];
        let p = d.forward(x.view()).unwrap();
        for row in p.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-6);
        }
        let z = d.forward_logits(x.view()).unwrap();
        assert_eq!(softmax(z.view()), p);
        assert_eq!(d.predict(x.view()).unwrap(), p);
        assert!(d.ends_with_softmax());
        // The plain backward needs the probabilities of a plain forward.
        assert_eq!(d.backward(p.view()).unwrap_err(), NetError::NoForwardPass);
    }
}
