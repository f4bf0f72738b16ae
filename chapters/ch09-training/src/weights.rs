//! Saving and loading weights in the safetensors format.
//!
//! A safetensors file is an 8-byte little-endian header length, a JSON header
//! (for each tensor: its name, dtype, shape and byte range; plus free-form
//! string metadata), then the raw bytes of the tensors. Python reads it with
//! `safetensors.numpy.load_file` or `safetensors.torch.load_file`.
//!
//! Layout, for each dense layer `dense_k` (k = 1, 2, … from the input):
//!
//! | tensor | dtype | shape | meaning |
//! | --- | --- | --- | --- |
//! | `dense_k.weight` | F32 | `[n_in, n_out]` | as Keras stores a kernel; `output = input @ weight + bias` |
//! | `dense_k.bias` | F32 | `[n_out]` | one bias per unit |
//!
//! PyTorch's `nn.Linear` stores its weight the other way round, `[out, in]`:
//! load ours into it with `linear.weight.data = torch.from_numpy(w.T)`.
//! The header's metadata says so too, and records the layers and activations.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ch08_sequential::{Dense, Sequential};
use ndarray::{ArrayD, ArrayViewD, IxDyn};
use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use crate::error::TrainError;

fn weights_error(path: &Path, reason: impl Into<String>) -> TrainError {
    TrainError::Weights {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// The header's free-form metadata: the layout and the architecture.
pub fn metadata(model: &Sequential) -> HashMap<String, String> {
    let layers: Vec<String> = model
        .layers()
        .map(
            |(name, layer)| match layer.as_any().downcast_ref::<Dense>() {
                Some(d) => format!("{name}:Dense({}, {})", d.units(), d.activation().name()),
                None => format!("{name}:{}", layer.kind()),
            },
        )
        .collect();
    let input = model
        .input_shape()
        .map(|s| format!("{s:?}"))
        .unwrap_or_default();
    HashMap::from([
        ("format".to_string(), "ch09-training sequential weights".to_string()),
        ("weight_layout".to_string(), "[in, out] as in Keras: output = input @ weight + bias; PyTorch nn.Linear wants weight.T".to_string()),
        ("input_shape".to_string(), input),
        ("layers".to_string(), layers.join(", ")),
    ])
}

// ANCHOR: save
/// The model's weights as the bytes of a safetensors file.
pub fn weights_to_bytes(model: &Sequential) -> Result<Vec<u8>, TrainError> {
    tensors_to_bytes(&model.parameters(), metadata(model))
        .map_err(|e| weights_error(Path::new(""), e.to_string()))
}

/// Why named tensors could not be laid out as a safetensors file.
#[derive(Debug, Clone, PartialEq)]
pub enum TensorBytesError {
    /// One tensor's shape does not match its data.
    Tensor {
        /// The tensor's name.
        name: String,
        /// What safetensors said.
        reason: String,
    },
    /// The file as a whole could not be written (the header, say).
    Serialize(String),
}

impl std::fmt::Display for TensorBytesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TensorBytesError::Tensor { name, reason } => write!(f, "tensor {name}: {reason}"),
            TensorBytesError::Serialize(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for TensorBytesError {}

/// The safetensors bytes of named `f32` tensors, each stored as its
/// little-endian bytes in row-major order, with `metadata` in the header.
/// Chapter 10 saves whole models with it too.
pub fn tensors_to_bytes(
    tensors: &[(String, ArrayViewD<'_, f32>)],
    metadata: HashMap<String, String>,
) -> Result<Vec<u8>, TensorBytesError> {
    let bytes: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, t)| t.iter().flat_map(|v| v.to_le_bytes()).collect())
        .collect();
    let mut views = Vec::with_capacity(tensors.len());
    for ((name, tensor), data) in tensors.iter().zip(&bytes) {
        let view = TensorView::new(Dtype::F32, tensor.shape().to_vec(), data).map_err(|e| {
            TensorBytesError::Tensor {
                name: name.clone(),
                reason: e.to_string(),
            }
        })?;
        views.push((name.clone(), view));
    }
    safetensors::serialize(views, Some(metadata))
        .map_err(|e| TensorBytesError::Serialize(e.to_string()))
}

/// Saves the model's weights to `path` (a `.safetensors` file), through a
/// temporary file beside it (see [`write_atomically`]): the file is either
/// complete or not there, and a failed save leaves nothing behind.
pub fn save_weights(model: &Sequential, path: impl AsRef<Path>) -> Result<(), TrainError> {
    let path = path.as_ref();
    let bytes = weights_to_bytes(model).map_err(|e| match e {
        TrainError::Weights { reason, .. } => weights_error(path, reason),
        other => other,
    })?;
    write_atomically(path, |file| file.write_all(&bytes)).map_err(|source| TrainError::Io {
        path: path.to_path_buf(),
        source,
    })
}
// ANCHOR_END: save

// ANCHOR: write_atomically
/// The temporary file [`write_atomically`] writes before renaming it to
/// `path`: the whole file name, the process id and `.part`
/// (`m.safetensors` → `m.safetensors.4242.part`), so that two targets, or two
/// runs, never share one.
pub fn part_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or(path.as_os_str()).to_os_string();
    name.push(format!(".{}.part", std::process::id()));
    path.with_file_name(name)
}

/// Writes a file with `write`, into [`part_path`] first, then renames it to
/// `path` (creating `path`'s folder if needed). On any failure, the
/// temporary file is removed and `path` is left as it was.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    if path.file_name().is_none() || path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a folder, not a file",
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let part = part_path(path);
    let mut file = File::create(&part)?;
    let written = write(&mut file)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&part, path)
        });
    if written.is_err() {
        let _ = fs::remove_file(&part);
    }
    written
}
// ANCHOR_END: write_atomically

// ANCHOR: load
/// Replaces the model's weights by those in safetensors `bytes`. The file
/// must hold exactly the model's tensors, by name, as F32 with the model's
/// shapes; otherwise the model is left unchanged and the error says which
/// tensor is wrong.
pub fn weights_from_bytes(model: &mut Sequential, bytes: &[u8]) -> Result<(), TrainError> {
    let no_path = Path::new("");
    let file = SafeTensors::deserialize(bytes)
        .map_err(|e| weights_error(no_path, format!("not a safetensors file: {e}")))?;
    let params = model.parameters();
    let mut weights = Vec::with_capacity(params.len());
    for (name, expected) in &params {
        let tensor = file
            .tensor(name)
            .map_err(|_| weights_error(no_path, format!("the file has no tensor {name}")))?;
        if tensor.dtype() != Dtype::F32 {
            return Err(weights_error(
                no_path,
                format!("{name} is {:?}, expected F32", tensor.dtype()),
            ));
        }
        if tensor.shape() != expected.shape() {
            return Err(weights_error(
                no_path,
                format!(
                    "{name} has shape {:?}, the model needs {:?}",
                    tensor.shape(),
                    expected.shape()
                ),
            ));
        }
        let values: Vec<f32> = tensor
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let array = ArrayD::from_shape_vec(IxDyn(tensor.shape()), values)
            .map_err(|e| weights_error(no_path, format!("{name}: {e}")))?;
        weights.push(array);
    }
    if file.len() != params.len() {
        let known: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
        let extra: Vec<String> = file
            .names()
            .into_iter()
            .filter(|n| !known.contains(n))
            .map(String::from)
            .collect();
        return Err(weights_error(
            no_path,
            format!(
                "the file has tensors the model does not: {}",
                extra.join(", ")
            ),
        ));
    }
    drop(params);
    model.set_weights(&weights)?;
    Ok(())
}

/// Loads weights saved by [`save_weights`] into a model of the same
/// architecture.
pub fn load_weights(model: &mut Sequential, path: impl AsRef<Path>) -> Result<(), TrainError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| TrainError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    weights_from_bytes(model, &bytes).map_err(|e| match e {
        TrainError::Weights { reason, .. } => weights_error(path, reason),
        other => other,
    })
}
// ANCHOR_END: load
