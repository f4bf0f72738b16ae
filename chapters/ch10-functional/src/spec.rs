//! The description of a graph of layers: named inputs, layers that name the
//! tensors they are applied to, and the outputs.
//!
//! A [`GraphSpec`] is plain data. It says *what* the model is, not how to
//! compute it: chapter 10's [`Functional`](crate::Functional) model checks it
//! and builds it. Because it is plain data it is also what `save_model`
//! writes as JSON, and what `load_model` reads back to rebuild a model
//! without the code that first described it.
//!
//! Every tensor of the graph has a name: an input's name, or the name of the
//! layer that computes it. A layer refers to its inputs by those names, which
//! is why a description can be wrong in ways a stack of layers cannot: a name
//! used twice, a name that nothing defines, a loop.

use serde::{Deserialize, Serialize};

// ANCHOR: spec
/// One named input of the model and the number of values per sample.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputSpec {
    /// The input's name (`"wide"`, `"deep"`).
    pub name: String,
    /// The number of values in one sample of this input.
    pub width: usize,
}

/// What a layer of the graph computes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum LayerKind {
    /// Chapter 8's dense layer: `units` units and an activation named as
    /// Keras names it (`"relu"`, `"linear"`, `"softmax"`, …).
    Dense {
        /// The number of units.
        units: usize,
        /// The activation's name.
        activation: String,
    },
    /// The values of all its inputs side by side, in the order given.
    Concatenate,
    /// The sum of its inputs, which must all have the same width.
    Add,
}

/// One layer: its name, what it computes and the names of the tensors it
/// is applied to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerSpec {
    /// The layer's name, which is also the name of its output tensor.
    pub name: String,
    /// What it computes.
    #[serde(flatten)]
    pub kind: LayerKind,
    /// The names of its input tensors (inputs of the model or other layers).
    pub inputs: Vec<String>,
}

/// A whole graph: inputs, layers, and the tensors the model outputs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphSpec {
    /// The model's name.
    pub name: String,
    /// The inputs, in the order the data gives them.
    pub inputs: Vec<InputSpec>,
    /// The layers, in any order: the model sorts them.
    pub layers: Vec<LayerSpec>,
    /// The names of the output tensors, main output first.
    pub outputs: Vec<String>,
}
// ANCHOR_END: spec

/// A tensor of a graph being described: the name of an input or a layer.
/// The builder methods of [`GraphSpec`] return one, so that a description
/// reads like the Keras code `hidden1 = Dense(30)(input_)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tensor(pub String);

impl Tensor {
    /// A tensor by name, which may be defined later (or never: `build`
    /// then reports it).
    pub fn named(name: impl Into<String>) -> Tensor {
        Tensor(name.into())
    }

    /// The tensor's name.
    pub fn name(&self) -> &str {
        &self.0
    }
}

// ANCHOR: builder
impl GraphSpec {
    /// An empty description of a model called `name`.
    pub fn new(name: impl Into<String>) -> GraphSpec {
        GraphSpec {
            name: name.into(),
            ..GraphSpec::default()
        }
    }

    /// Declares an input of `width` values per sample.
    pub fn input(&mut self, name: &str, width: usize) -> Tensor {
        self.inputs.push(InputSpec {
            name: name.into(),
            width,
        });
        Tensor::named(name)
    }

    /// A dense layer of `units` units applied to `input`.
    pub fn dense(
        &mut self,
        name: &str,
        units: usize,
        activation: impl Into<ch08_sequential::DenseActivation>,
        input: &Tensor,
    ) -> Tensor {
        let activation = activation.into().name().to_string();
        self.layer(name, LayerKind::Dense { units, activation }, &[input])
    }

    /// The values of `inputs` side by side.
    pub fn concatenate(&mut self, name: &str, inputs: &[&Tensor]) -> Tensor {
        self.layer(name, LayerKind::Concatenate, inputs)
    }

    /// The sum of `inputs`, all of the same width.
    pub fn add(&mut self, name: &str, inputs: &[&Tensor]) -> Tensor {
        self.layer(name, LayerKind::Add, inputs)
    }

    /// Any layer, applied to `inputs`.
    pub fn layer(&mut self, name: &str, kind: LayerKind, inputs: &[&Tensor]) -> Tensor {
        self.layers.push(LayerSpec {
            name: name.into(),
            kind,
            inputs: inputs.iter().map(|t| t.0.clone()).collect(),
        });
        Tensor::named(name)
    }

    /// Makes `tensor` an output of the model (the first one is the main
    /// output).
    pub fn output(&mut self, tensor: &Tensor) {
        self.outputs.push(tensor.0.clone());
    }
}
// ANCHOR_END: builder

/// The activation named `name` (as [`DenseActivation::name`] writes it).
///
/// [`DenseActivation::name`]: ch08_sequential::DenseActivation::name
pub fn activation_named(name: &str) -> Option<ch08_sequential::DenseActivation> {
    use ch04_backprop::Activation as A;
    use ch08_sequential::DenseActivation as D;
    Some(match name {
        "linear" => D::Elementwise(A::Identity),
        "step" => D::Elementwise(A::Step),
        "sigmoid" => D::Elementwise(A::Sigmoid),
        "tanh" => D::Elementwise(A::Tanh),
        "relu" => D::Elementwise(A::Relu),
        "softmax" => D::Softmax,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch04_backprop::Activation;

    #[test]
    fn a_description_reads_and_writes_as_json() {
        let mut g = GraphSpec::new("tiny");
        let x = g.input("x", 3);
        let h = g.dense("hidden", 4, Activation::Relu, &x);
        let c = g.concatenate("concat", &[&x, &h]);
        g.output(&c);
        let json = serde_json::to_string(&g).unwrap();
        assert!(
            json.contains(
                r#"{"name":"hidden","kind":"Dense","units":4,"activation":"relu","inputs":["x"]}"#
            ),
            "{json}"
        );
        let back: GraphSpec = serde_json::from_str(&json).unwrap();
        assert_eq!(back, g);
        for name in ["linear", "relu", "softmax", "tanh", "sigmoid", "step"] {
            assert_eq!(activation_named(name).unwrap().name(), name);
        }
        assert!(activation_named("gelu").is_none());
    }
}
