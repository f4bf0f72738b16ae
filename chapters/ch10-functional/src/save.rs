//! Saving and loading a whole model: architecture and weights in one file.
//!
//! Chapter 9 saved the weights of a `Sequential` model as safetensors; to
//! load them, a program had to build the same model first, in code. A
//! *whole-model* file also says what the model is, so that
//! [`load_model`] rebuilds it without the code that first built it.
//!
//! The file is still safetensors: the tensors as chapter 9 writes them
//! (F32, little-endian, dense weights `[in, out]`), named as the model names
//! its parameters (`hidden1.weight`, `dense_1.bias`). The header's free-form
//! metadata (`__metadata__`, string keys to string values) holds three
//! entries:
//!
//! | key | value |
//! | --- | --- |
//! | `format` | `neurons-to-networks model` |
//! | `format_version` | `1` |
//! | `architecture` | the [`Architecture`] as JSON |
//!
//! One file holds the whole model, so replacing a checkpoint is one atomic
//! rename (chapter 9's [`write_atomically`]): a reader sees the old model
//! or the new one, never the weights of one with the architecture of the
//! other.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use ch04_backprop::NetError;
use ch08_sequential::{Dense, Flatten, Sequential};
use ch09_training::Model;
use ch09_training::weights::{TensorBytesError, tensors_to_bytes, write_atomically};
use ndarray::{ArrayD, IxDyn};
use safetensors::tensor::{Dtype, SafeTensors};
use serde::{Deserialize, Serialize};

use crate::error::GraphError;
use crate::functional::{Functional, tensor_widths};
use crate::spec::{GraphSpec, activation_named};

/// The value of the `format` metadata entry.
pub const FORMAT: &str = "neurons-to-networks model";
/// The version of the format this code writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

// ANCHOR: architecture
/// What a model is, without its weights: the JSON of the `architecture`
/// entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Architecture {
    /// A stack of layers (chapter 8).
    Sequential(SequentialSpec),
    /// A graph of layers (this chapter).
    Functional(GraphSpec),
}

/// A `Sequential` model as data: its name, the shape of one input sample
/// and its layers from input to output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequentialSpec {
    /// The model's name.
    pub name: String,
    /// The shape of one input sample (`[28, 28]`, `[8]`).
    pub input_shape: Vec<usize>,
    /// The layers, from input to output.
    pub layers: Vec<SequentialLayer>,
}

/// One layer of a `Sequential` model as data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum SequentialLayer {
    /// Chapter 8's `Flatten` for samples of `input_shape`.
    Flatten {
        /// The shape it flattens.
        input_shape: Vec<usize>,
    },
    /// Chapter 8's `Dense`.
    Dense {
        /// The number of units.
        units: usize,
        /// The activation's name.
        activation: String,
    },
}

/// A model rebuilt from a file: whichever kind the file describes.
// A model is loaded once and then used in place: the size of the enum
// does not matter, and boxing would make matching on it clumsier.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum AnyModel {
    /// A stack of layers.
    Sequential(Sequential),
    /// A graph of layers.
    Functional(Functional),
}
// ANCHOR_END: architecture

impl AnyModel {
    /// The model, as chapter 9's `Model`: `predict_batch`, `parameters`, …
    pub fn as_model(&self) -> &dyn Model {
        match self {
            AnyModel::Sequential(m) => m,
            AnyModel::Functional(m) => m,
        }
    }

    /// The model, writable (to compile it and train it further, match on
    /// the enum instead: `compile` differs between the two).
    pub fn as_model_mut(&mut self) -> &mut dyn Model {
        match self {
            AnyModel::Sequential(m) => m,
            AnyModel::Functional(m) => m,
        }
    }
}

// ANCHOR: error
/// A model file that could not be written or read: the file, and what is
/// wrong with it.
#[derive(Debug)]
pub struct ModelFileError {
    /// The file (empty when working on bytes in memory).
    pub path: PathBuf,
    /// What is wrong.
    pub problem: Problem,
}

/// What can be wrong with a model file.
#[derive(Debug)]
pub enum Problem {
    /// Reading or writing failed.
    Io(std::io::Error),
    /// Not a complete safetensors file: cut short, or not safetensors.
    NotSafetensors(String),
    /// The header has no metadata entry of this name.
    MissingMetadata(&'static str),
    /// The `format` entry names another format (a weights-only file, say).
    OtherFormat(String),
    /// Written by a newer version of the format than this code reads.
    FutureVersion(u32),
    /// The `format_version` entry is not a version number.
    BadVersion(String),
    /// The `architecture` entry is not a valid description.
    BadArchitecture(String),
    /// A layer of a kind this code does not know.
    UnknownLayerKind {
        /// The layer's name (or its position).
        layer: String,
        /// The kind the file gives it.
        kind: String,
    },
    /// The described graph is not a valid model.
    Graph(GraphError),
    /// A tensor the architecture needs is not in the file.
    MissingTensor(String),
    /// A tensor whose shape or type does not fit the architecture.
    WrongTensor {
        /// The tensor.
        tensor: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Tensors that the architecture has no place for.
    ExtraTensors(Vec<String>),
    /// A model this format cannot describe (a layer type it does not know).
    Unsaveable(String),
}
// ANCHOR_END: error

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Io(e) => write!(f, "{e}"),
            Problem::NotSafetensors(e) => write!(
                f,
                "not a complete safetensors file (cut short, or not safetensors): {e}"
            ),
            Problem::MissingMetadata(key) => write!(
                f,
                "the header's metadata has no '{key}' entry: not a whole-model file \
                 (a weights-only file loads with load_weights)"
            ),
            Problem::OtherFormat(name) => write!(
                f,
                "the file's format is '{name}', not '{FORMAT}' \
                 (a weights-only file loads with load_weights)"
            ),
            Problem::FutureVersion(v) => write!(
                f,
                "written in format version {v}, newer than the version {FORMAT_VERSION} \
                 this code reads"
            ),
            Problem::BadVersion(v) => write!(f, "the format version '{v}' is not a number"),
            Problem::BadArchitecture(e) => write!(f, "the architecture is not valid: {e}"),
            Problem::UnknownLayerKind { layer, kind } => write!(
                f,
                "layer '{layer}' is of the unknown kind '{kind}' \
                 (this code knows Dense, Concatenate, Add and Flatten)"
            ),
            Problem::Graph(e) => write!(f, "the architecture is not a valid model: {e}"),
            Problem::MissingTensor(name) => {
                write!(f, "the tensor '{name}' is missing")
            }
            Problem::WrongTensor { tensor, reason } => write!(f, "tensor '{tensor}': {reason}"),
            Problem::ExtraTensors(names) => write!(
                f,
                "the file has tensors the architecture does not use: {}",
                names.join(", ")
            ),
            Problem::Unsaveable(e) => write!(f, "cannot be saved as a whole model: {e}"),
        }
    }
}

impl fmt::Display for ModelFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.as_os_str().is_empty() {
            write!(f, "model file: {}", self.problem)
        } else {
            write!(f, "{}: {}", self.path.display(), self.problem)
        }
    }
}

impl std::error::Error for ModelFileError {}

/// Errors on bytes in memory name no file.
fn problem(problem: Problem) -> ModelFileError {
    ModelFileError {
        path: PathBuf::new(),
        problem,
    }
}

/// A model that [`save_model`] can write.
pub trait Saveable: Model {
    /// What the model is, as data.
    fn architecture(&self) -> Result<Architecture, Problem>;
}

impl Saveable for Functional {
    fn architecture(&self) -> Result<Architecture, Problem> {
        Ok(Architecture::Functional(self.spec().clone()))
    }
}

impl Saveable for Sequential {
    fn architecture(&self) -> Result<Architecture, Problem> {
        let input_shape = self
            .input_shape()
            .ok_or_else(|| Problem::Unsaveable("the model has no layers".into()))?
            .to_vec();
        let layers = self
            .layers()
            .map(|(name, layer)| {
                if let Some(d) = layer.as_any().downcast_ref::<Dense>() {
                    Ok(SequentialLayer::Dense {
                        units: d.units(),
                        activation: d.activation().name().to_string(),
                    })
                } else if layer.as_any().is::<Flatten>() {
                    Ok(SequentialLayer::Flatten {
                        input_shape: layer.declared_input_shape().unwrap_or_default(),
                    })
                } else {
                    Err(Problem::Unsaveable(format!(
                        "layer '{name}' is a {}, which the format does not describe",
                        layer.kind()
                    )))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Architecture::Sequential(SequentialSpec {
            name: self.name().to_string(),
            input_shape,
            layers,
        }))
    }
}

impl Saveable for AnyModel {
    fn architecture(&self) -> Result<Architecture, Problem> {
        match self {
            AnyModel::Sequential(m) => m.architecture(),
            AnyModel::Functional(m) => m.architecture(),
        }
    }
}

/// `Model` by delegation, so that a loaded model can be saved again.
impl Model for AnyModel {
    fn check_compiled(&self) -> Result<(), NetError> {
        self.as_model().check_compiled()
    }
    fn check_inputs(
        &self,
        data: &dyn ch09_training::Dataset,
        what: &str,
    ) -> Result<(), ch09_training::TrainError> {
        self.as_model().check_inputs(data, what)
    }
    fn check_targets(
        &self,
        data: &dyn ch09_training::Dataset,
        what: &str,
    ) -> Result<(), ch09_training::TrainError> {
        self.as_model().check_targets(data, what)
    }
    fn output_width(&self) -> usize {
        self.as_model().output_width()
    }
    fn output_names(&self) -> Vec<String> {
        self.as_model().output_names()
    }
    fn train_batch(
        &mut self,
        x: ndarray::ArrayView2<f32>,
        targets: ch08_sequential::Targets<'_>,
    ) -> Result<ch09_training::BatchReport, NetError> {
        self.as_model_mut().train_batch(x, targets)
    }
    fn test_batch(
        &self,
        x: ndarray::ArrayView2<f32>,
        targets: ch08_sequential::Targets<'_>,
    ) -> Result<ch09_training::BatchReport, NetError> {
        self.as_model().test_batch(x, targets)
    }
    fn predict_batch(&self, x: ndarray::ArrayView2<f32>) -> Result<ndarray::Array2<f32>, NetError> {
        self.as_model().predict_batch(x)
    }
    fn parameters(&self) -> Vec<(String, ndarray::ArrayViewD<'_, f32>)> {
        self.as_model().parameters()
    }
    fn set_weights(&mut self, weights: &[ArrayD<f32>]) -> Result<(), NetError> {
        self.as_model_mut().set_weights(weights)
    }
    fn optimizer_mut(&mut self) -> Option<&mut ch08_sequential::Sgd> {
        self.as_model_mut().optimizer_mut()
    }
}

// ANCHOR: save
/// The whole model as the bytes of a safetensors file.
pub fn model_to_bytes(model: &impl Saveable) -> Result<Vec<u8>, ModelFileError> {
    let architecture = model.architecture().map_err(problem)?;
    let json = serde_json::to_string(&architecture)
        .map_err(|e| problem(Problem::BadArchitecture(e.to_string())))?;
    let metadata = HashMap::from([
        ("format".to_string(), FORMAT.to_string()),
        ("format_version".to_string(), FORMAT_VERSION.to_string()),
        ("architecture".to_string(), json),
    ]);
    tensors_to_bytes(&model.parameters(), metadata).map_err(|e| {
        problem(match e {
            TensorBytesError::Tensor { name, reason } => Problem::WrongTensor {
                tensor: name,
                reason,
            },
            TensorBytesError::Serialize(reason) => Problem::NotSafetensors(reason),
        })
    })
}

/// Saves architecture and weights to `path`, atomically: through a
/// temporary file beside it, renamed over `path` only once complete.
pub fn save_model(model: &impl Saveable, path: impl AsRef<Path>) -> Result<(), ModelFileError> {
    let path = path.as_ref();
    let at = |mut e: ModelFileError| {
        e.path = path.to_path_buf();
        e
    };
    let bytes = model_to_bytes(model).map_err(at)?;
    write_atomically(path, |file| file.write_all(&bytes)).map_err(|e| at(problem(Problem::Io(e))))
}
// ANCHOR_END: save

// ANCHOR: load
/// Rebuilds the model a file describes, with its weights.
pub fn load_model(path: impl AsRef<Path>) -> Result<AnyModel, ModelFileError> {
    let path = path.as_ref();
    let at = |mut e: ModelFileError| {
        e.path = path.to_path_buf();
        e
    };
    let bytes = std::fs::read(path).map_err(|e| at(problem(Problem::Io(e))))?;
    model_from_bytes(&bytes).map_err(at)
}

/// Rebuilds a model from the bytes of a model file. Every check that can
/// be made on the file is made before any weight is allocated: a hostile
/// file can make this fail, but not panic or ask for more memory than its
/// own tensors hold.
pub fn model_from_bytes(bytes: &[u8]) -> Result<AnyModel, ModelFileError> {
    let file = SafeTensors::deserialize(bytes)
        .map_err(|e| problem(Problem::NotSafetensors(e.to_string())))?;
    let (_, header) = SafeTensors::read_metadata(bytes)
        .map_err(|e| problem(Problem::NotSafetensors(e.to_string())))?;
    let empty = HashMap::new();
    let meta = header.metadata().as_ref().unwrap_or(&empty);
    let entry = |key: &'static str| {
        meta.get(key)
            .ok_or_else(|| problem(Problem::MissingMetadata(key)))
    };
    let format = entry("format")?;
    if format != FORMAT {
        return Err(problem(Problem::OtherFormat(format.clone())));
    }
    let version = entry("format_version")?;
    match version.parse::<u32>() {
        Ok(v) if v > FORMAT_VERSION => return Err(problem(Problem::FutureVersion(v))),
        Ok(0) | Err(_) => return Err(problem(Problem::BadVersion(version.clone()))),
        Ok(_) => {}
    }
    let architecture = parse_architecture(entry("architecture")?).map_err(problem)?;
    let expected = expected_tensors(&architecture).map_err(problem)?;
    let weights = read_tensors(&file, &expected).map_err(problem)?;
    let mut model = build(architecture).map_err(problem)?;
    model.set_weights(&weights).map_err(|e| {
        problem(Problem::WrongTensor {
            tensor: "(all)".into(),
            reason: e.to_string(),
        })
    })?;
    Ok(model)
}
// ANCHOR_END: load

/// The layer kinds this code knows.
const KINDS: [&str; 4] = ["Dense", "Concatenate", "Add", "Flatten"];

/// Parses the architecture's JSON, naming an unknown layer kind as such
/// (rather than as a JSON error).
fn parse_architecture(json: &str) -> Result<Architecture, Problem> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Problem::BadArchitecture(e.to_string()))?;
    if let Some(layers) = value.get("layers").and_then(|l| l.as_array()) {
        for (i, layer) in layers.iter().enumerate() {
            let kind = layer.get("kind").and_then(|k| k.as_str());
            if let Some(kind) = kind.filter(|k| !KINDS.contains(k)) {
                let name = layer.get("name").and_then(|n| n.as_str());
                return Err(Problem::UnknownLayerKind {
                    layer: name.map_or(format!("#{}", i + 1), String::from),
                    kind: kind.to_string(),
                });
            }
        }
    }
    serde_json::from_value(value).map_err(|e| Problem::BadArchitecture(e.to_string()))
}

/// The tensors the architecture needs, by name, with their shapes, in the
/// order of the rebuilt model's parameters.
fn expected_tensors(architecture: &Architecture) -> Result<Vec<(String, Vec<usize>)>, Problem> {
    let mut out = Vec::new();
    match architecture {
        Architecture::Functional(spec) => {
            let widths = tensor_widths(spec).map_err(Problem::Graph)?;
            let order = crate::functional::layer_order(spec).map_err(Problem::Graph)?;
            for l in order {
                let layer = &spec.layers[l];
                if let crate::LayerKind::Dense { units, .. } = layer.kind {
                    let input = match layer.inputs.as_slice() {
                        [one] => widths.get(one).copied().unwrap_or(0),
                        _ => {
                            return Err(Problem::Graph(GraphError::Shape {
                                layer: layer.name.clone(),
                                reason: format!(
                                    "a Dense layer takes one input, not {}",
                                    layer.inputs.len()
                                ),
                            }));
                        }
                    };
                    out.push((format!("{}.weight", layer.name), vec![input, units]));
                    out.push((format!("{}.bias", layer.name), vec![units]));
                }
            }
        }
        Architecture::Sequential(spec) => {
            let mut width = spec
                .input_shape
                .iter()
                .fold(1usize, |n, &d| n.saturating_mul(d));
            let mut dense = 0;
            for layer in &spec.layers {
                match layer {
                    SequentialLayer::Flatten { .. } => {}
                    SequentialLayer::Dense { units, .. } => {
                        dense += 1;
                        out.push((format!("dense_{dense}.weight"), vec![width, *units]));
                        out.push((format!("dense_{dense}.bias"), vec![*units]));
                        width = *units;
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Reads the `expected` tensors, refusing a missing one, a wrong type or
/// shape, and tensors the architecture does not use.
fn read_tensors(
    file: &SafeTensors<'_>,
    expected: &[(String, Vec<usize>)],
) -> Result<Vec<ArrayD<f32>>, Problem> {
    let mut out = Vec::with_capacity(expected.len());
    for (name, shape) in expected {
        let tensor = file
            .tensor(name)
            .map_err(|_| Problem::MissingTensor(name.clone()))?;
        let wrong = |reason: String| Problem::WrongTensor {
            tensor: name.clone(),
            reason,
        };
        if tensor.dtype() != Dtype::F32 {
            return Err(wrong(format!("{:?} values, expected F32", tensor.dtype())));
        }
        if tensor.shape() != shape.as_slice() {
            return Err(wrong(format!(
                "shape {:?}, the architecture needs {:?}",
                tensor.shape(),
                shape
            )));
        }
        let values: Vec<f32> = tensor
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let array =
            ArrayD::from_shape_vec(IxDyn(shape), values).map_err(|e| wrong(e.to_string()))?;
        out.push(array);
    }
    let known: HashSet<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    let mut extra: Vec<String> = file
        .names()
        .into_iter()
        .filter(|n| !known.contains(*n))
        .map(String::from)
        .collect();
    if !extra.is_empty() {
        extra.sort();
        return Err(Problem::ExtraTensors(extra));
    }
    Ok(out)
}

/// Builds the model the architecture describes (its weights drawn at
/// random, to be replaced). Only called once every tensor is known to fit,
/// so the weights it allocates are no larger than the file's.
fn build(architecture: Architecture) -> Result<AnyModel, Problem> {
    match architecture {
        Architecture::Functional(spec) => Functional::build(spec, 0)
            .map(AnyModel::Functional)
            .map_err(Problem::Graph),
        Architecture::Sequential(spec) => {
            let mut model = Sequential::new(0).named(spec.name.clone());
            let bad = |e: NetError| Problem::BadArchitecture(e.to_string());
            for (i, layer) in spec.layers.iter().enumerate() {
                match layer {
                    SequentialLayer::Flatten { input_shape } => {
                        let shape = if i == 0 {
                            spec.input_shape.clone()
                        } else {
                            input_shape.clone()
                        };
                        model.add(Flatten::new(shape)).map_err(bad)?;
                    }
                    SequentialLayer::Dense { units, activation } => {
                        let activation = activation_named(activation).ok_or_else(|| {
                            Problem::BadArchitecture(format!(
                                "layer #{}: unknown activation '{activation}'",
                                i + 1
                            ))
                        })?;
                        let mut dense = Dense::new(*units, activation);
                        if i == 0 {
                            let width = spec
                                .input_shape
                                .iter()
                                .fold(1usize, |n, &d| n.saturating_mul(d));
                            dense = dense.with_inputs(width);
                        }
                        model.add(dense).map_err(bad)?;
                    }
                }
            }
            if model.is_empty() {
                return Err(Problem::BadArchitecture("the model has no layers".into()));
            }
            Ok(AnyModel::Sequential(model))
        }
    }
}
