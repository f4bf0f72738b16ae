//! `cargo run --release -p ch10-functional --example save_load [-- DIR]`:
//! trains the two-output Wide & Deep on California housing, saves it as
//! one file, loads it back without the code that built it, and checks that
//! the loaded model predicts the same values bit for bit. Writes into DIR
//! (default: a folder under the system's temporary folder):
//!
//! - `wide_deep.safetensors`, the whole model;
//! - `wide_deep_check.safetensors`, the first 100 test districts (`x`,
//!   inputs side by side) and the model's predictions for them
//!   (`predictions`), for `chapters/ch09-training/python/check_model.py`.
//!
//! The report goes to `book/outputs/ch10-functional/save-load.txt`.

use std::collections::HashMap;
use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch05_regression::{HousingData, housing};
use ch08_sequential::{LossKind, Metric, Sgd};
use ch09_training::{FitOptions, Training};
use ch10_functional::wide_deep::{LOSS_WEIGHTS, config, split_data, two_inputs};
use ch10_functional::{AnyModel, Functional, load_model, save_model};
use ndarray::{Axis, Slice, concatenate};
use safetensors::SafeTensors;
use safetensors::tensor::{Dtype, TensorView};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args_os()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("ch10-functional"));
    let districts = housing::load()?;
    let data = HousingData::prepare(&districts, 42)?;
    let config = config(None);
    let mut model = Functional::build(two_inputs(true), config.seed)?;
    let mse = LossKind::MeanSquaredError;
    let (a, b) = LOSS_WEIGHTS;
    model.compile(
        &[(mse, a), (mse, b)],
        Sgd::new(config.learning_rate)?,
        &[Metric::MeanAbsoluteError],
    )?;
    let train = split_data(data.train.x.view(), data.train.y.view(), true)?;
    let options = FitOptions::new()
        .epochs(config.epochs)
        .batch_size(config.batch_size)
        .seed(config.seed + 1)
        .verbose(false);
    model.fit(&train, options)?;

    // ANCHOR: round_trip
    let path = dir.join("wide_deep.safetensors");
    save_model(&model, &path)?;
    let loaded: AnyModel = load_model(&path)?; // no code that describes the model
    let test = split_data(data.test.x.view(), data.test.y.view(), true)?;
    let before = model.predict_dataset(&test)?;
    let after = loaded
        .as_model()
        .predict_batch(packed(&data.test.x).view())?;
    let same = before
        .iter()
        .zip(&after)
        .all(|(p, q)| p.to_bits() == q.to_bits());
    // ANCHOR_END: round_trip

    let command = "cargo run --release -p ch10-functional --example save_load";
    let out_dir = outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch10-functional");
    let mut out = Output::new(&out_dir, "save-load", command, Compared::Exactly);
    let bytes = std::fs::read(&path)?;
    let (header, meta) = SafeTensors::read_metadata(&bytes)?;
    writeln!(
        out,
        "wide_deep.safetensors: {} bytes, of which {} of header",
        bytes.len(),
        header + 8
    )?;
    let mut entries: Vec<_> = meta
        .metadata()
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    entries.sort();
    for (key, value) in entries {
        if key == "architecture" {
            // One line per part, one line per layer.
            let v: serde_json::Value = serde_json::from_str(&value)?;
            writeln!(out, "{key}:")?;
            for part in ["type", "name", "inputs", "outputs"] {
                writeln!(out, "  {part}: {}", v[part])?;
            }
            writeln!(out, "  layers:")?;
            for layer in v["layers"].as_array().into_iter().flatten() {
                writeln!(out, "    {layer}")?;
            }
        } else {
            writeln!(out, "{key}: {value}")?;
        }
    }
    let file = SafeTensors::deserialize(&bytes)?;
    let mut tensors = file.tensors();
    tensors.sort_by(|a, b| a.0.cmp(&b.0));
    writeln!(out, "tensors:")?;
    for (name, t) in &tensors {
        writeln!(out, "  {name:18} {:?} {:?}", t.dtype(), t.shape())?;
    }
    writeln!(
        out,
        "\nloaded back: {} parameters; predictions on the {} test districts the same bit for bit: {}",
        loaded
            .as_model()
            .parameters()
            .iter()
            .map(|(_, t)| t.len())
            .sum::<usize>(),
        data.test.len(),
        if same { "yes" } else { "no" }
    )?;
    out.save()?;

    // The first 100 test districts and their predictions, for the numpy check.
    let x = packed(&data.test.x)
        .slice_axis(Axis(0), Slice::from(0..100))
        .to_owned();
    let p = after.slice_axis(Axis(0), Slice::from(0..100)).to_owned();
    let (xb, pb): (Vec<u8>, Vec<u8>) = (
        x.iter().flat_map(|v| v.to_le_bytes()).collect(),
        p.iter().flat_map(|v| v.to_le_bytes()).collect(),
    );
    let views = vec![
        ("x", TensorView::new(Dtype::F32, x.shape().to_vec(), &xb)?),
        (
            "predictions",
            TensorView::new(Dtype::F32, p.shape().to_vec(), &pb)?,
        ),
    ];
    let check = dir.join("wide_deep_check.safetensors");
    std::fs::write(
        &check,
        safetensors::serialize(views, None::<HashMap<String, String>>)?,
    )?;
    println!("{}\n{}", path.display(), check.display());
    if !same {
        return Err("the loaded model predicts other values".into());
    }
    Ok(())
}

/// The housing features as the two-input model reads them, side by side:
/// wide (features 0–4) | deep (features 2–7).
fn packed(x: &ndarray::Array2<f32>) -> ndarray::Array2<f32> {
    use ch10_functional::wide_deep::{DEEP, WIDE, columns};
    concatenate(Axis(1), &[columns(x.view(), WIDE), columns(x.view(), DEEP)])
        .expect("the two blocks have the same rows")
}
