//! Saving and loading a whole model: round trips that give the same
//! predictions bit for bit, a clear error for each way a file can be wrong,
//! and no panic on any bytes at all.

use std::collections::HashMap;
use std::path::PathBuf;

use ch00_toolbox::seeded_rng;
use ch08_sequential::{Activation, Dense, Flatten, Sequential, Softmax, regression_model};
use ch09_training::Model;
use ch10_functional::save::{FORMAT, model_from_bytes, model_to_bytes};
use ch10_functional::wide_deep::two_inputs;
use ch10_functional::{AnyModel, Functional, Problem, load_model, save_model};
use ndarray::Array2;
use proptest::prelude::*;
use rand::Rng;
use safetensors::tensor::{Dtype, TensorView};

/// A fresh folder for one test, under the system's temporary folder.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ch10-save-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn random(rows: usize, cols: usize, seed: u64) -> Array2<f32> {
    let mut rng = seeded_rng(seed);
    Array2::from_shape_simple_fn((rows, cols), || rng.random_range(-2.0f32..2.0))
}

fn wide_deep() -> Functional {
    Functional::build(two_inputs(true), 7).unwrap()
}

/// A safetensors file with the given metadata and the tensors of `model`,
/// changed by `edit` (which may rename, reshape, drop or add tensors).
fn crafted(
    metadata: Option<HashMap<String, String>>,
    model: &dyn Model,
    edit: impl FnOnce(&mut Vec<(String, Vec<usize>, Vec<u8>)>),
) -> Vec<u8> {
    let mut tensors: Vec<(String, Vec<usize>, Vec<u8>)> = model
        .parameters()
        .into_iter()
        .map(|(n, t)| {
            let bytes = t.iter().flat_map(|v| v.to_le_bytes()).collect();
            (n, t.shape().to_vec(), bytes)
        })
        .collect();
    edit(&mut tensors);
    let views: Vec<(String, TensorView<'_>)> = tensors
        .iter()
        .map(|(n, s, b)| {
            (
                n.clone(),
                TensorView::new(Dtype::F32, s.clone(), b).unwrap(),
            )
        })
        .collect();
    safetensors::serialize(views, metadata).unwrap()
}

/// The metadata `save_model` writes for `model`, with `key` set to `value`.
fn metadata_with(model: &Functional, key: &str, value: &str) -> HashMap<String, String> {
    let architecture = serde_json::to_string(&serde_json::json!({
        "type": "functional",
        "name": model.spec().name,
        "inputs": model.spec().inputs,
        "layers": model.spec().layers,
        "outputs": model.spec().outputs,
    }))
    .unwrap();
    let mut m = HashMap::from([
        ("format".to_string(), FORMAT.to_string()),
        ("format_version".to_string(), "1".to_string()),
        ("architecture".to_string(), architecture),
    ]);
    m.insert(key.to_string(), value.to_string());
    m
}

fn problem(bytes: &[u8]) -> Problem {
    model_from_bytes(bytes).unwrap_err().problem
}

// ANCHOR: round_trip
#[test]
fn a_functional_model_comes_back_with_the_same_predictions_bit_for_bit() {
    let dir = scratch("functional");
    let path = dir.join("wide_deep.safetensors");
    let model = wide_deep();
    save_model(&model, &path).unwrap();
    let loaded = load_model(&path).unwrap();
    let AnyModel::Functional(back) = &loaded else {
        panic!("a functional model came back as {loaded:?}")
    };
    assert_eq!(back.spec(), model.spec());
    let x = random(50, 11, 1); // wide (5) | deep (6)
    let expected = model.predict_packed(x.view()).unwrap();
    let got = loaded.as_model().predict_batch(x.view()).unwrap();
    let bits = |a: &Array2<f32>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&got), bits(&expected));
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec!["wide_deep.safetensors"]);
}
// ANCHOR_END: round_trip

#[test]
fn a_sequential_model_comes_back_with_the_same_predictions_bit_for_bit() {
    let dir = scratch("sequential");
    let mut classifier = Sequential::new(3).named("classifier");
    classifier.add(Flatten::new([4, 3])).unwrap();
    classifier.add(Dense::new(5, Activation::Tanh)).unwrap();
    classifier.add(Dense::new(3, Softmax)).unwrap();
    let regressor = regression_model(8, 30, 42).unwrap();
    for (model, width) in [(classifier, 12), (regressor, 8)] {
        let path = dir.join(format!("{}.safetensors", model.name()));
        save_model(&model, &path).unwrap();
        let loaded = load_model(&path).unwrap();
        let AnyModel::Sequential(back) = &loaded else {
            panic!("a Sequential model came back as {loaded:?}")
        };
        assert_eq!(back.name(), model.name());
        assert_eq!(back.summary().to_string(), model.summary().to_string());
        let x = random(20, width, 2);
        assert_eq!(
            back.predict(x.view()).unwrap(),
            model.predict(x.view()).unwrap()
        );
        // Saved again, it gives a file of the same size (the metadata's
        // entries may come in another order).
        assert_eq!(
            model_to_bytes(&loaded).unwrap().len(),
            model_to_bytes(&model).unwrap().len()
        );
    }
}

#[test]
fn a_save_replaces_the_file_whole_or_not_at_all() {
    let dir = scratch("atomic");
    let path = dir.join("model.safetensors");
    save_model(&regression_model(8, 30, 1).unwrap(), &path).unwrap();
    save_model(&wide_deep(), &path).unwrap();
    assert!(matches!(
        load_model(&path).unwrap(),
        AnyModel::Functional(_)
    ));
    // A save that cannot happen (the path is a folder) leaves nothing.
    let err = save_model(&wide_deep(), &dir).unwrap_err();
    assert!(matches!(err.problem, Problem::Io(_)), "{err}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

// ANCHOR: errors
#[test]
fn each_wrong_file_gets_an_error_naming_the_file_and_the_fault() {
    let dir = scratch("errors");
    let model = wide_deep();
    let good = model_to_bytes(&model).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        load_model(&path).unwrap_err()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.safetensors",
            good[..good.len() - 10].to_vec(),
            "not a complete safetensors file",
        ),
        (
            "shapes.safetensors",
            crafted(Some(metadata_with(&model, "x", "")), &model, |t| {
                t[0].1.reverse(); // hidden1.weight as [30, 6]
            }),
            "tensor 'hidden1.weight': shape [30, 6], the architecture needs [6, 30]",
        ),
        (
            "kind.safetensors",
            {
                let mut m = metadata_with(&model, "x", "");
                let a =
                    m["architecture"].replace(r#""kind":"Concatenate""#, r#""kind":"Attention""#);
                m.insert("architecture".into(), a);
                crafted(Some(m), &model, |_| {})
            },
            "layer 'concat' is of the unknown kind 'Attention'",
        ),
        (
            "future.safetensors",
            crafted(
                Some(metadata_with(&model, "format_version", "2")),
                &model,
                |_| {},
            ),
            "format version 2, newer than the version 1",
        ),
        (
            "no-metadata.safetensors",
            crafted(None, &model, |_| {}),
            "no 'format' entry",
        ),
        (
            "no-architecture.safetensors",
            {
                let mut m = metadata_with(&model, "x", "");
                m.remove("architecture");
                crafted(Some(m), &model, |_| {})
            },
            "no 'architecture' entry",
        ),
        (
            "missing.safetensors",
            crafted(Some(metadata_with(&model, "x", "")), &model, |t| {
                t.retain(|(n, _, _)| n != "aux_output.bias");
            }),
            "the tensor 'aux_output.bias' is missing",
        ),
        (
            "extra.safetensors",
            crafted(Some(metadata_with(&model, "x", "")), &model, |t| {
                t.push(("stray".into(), vec![1], vec![0; 4]));
            }),
            "tensors the architecture does not use: stray",
        ),
    ];
    for (name, bytes, says) in cases {
        let err = write(name, &bytes).to_string();
        assert!(
            err.starts_with(&dir.join(name).display().to_string()),
            "{err}"
        );
        assert!(err.contains(says), "{name}: {err}");
    }
    // A weights-only file of chapter 9 is recognised as such.
    let path = dir.join("weights.safetensors");
    ch09_training::save_weights(&regression_model(8, 30, 1).unwrap(), &path).unwrap();
    let err = load_model(&path).unwrap_err();
    assert!(matches!(err.problem, Problem::OtherFormat(_)), "{err}");
    assert!(err.to_string().contains("load_weights"), "{err}");
    let err = load_model(dir.join("absent.safetensors")).unwrap_err();
    assert!(matches!(err.problem, Problem::Io(_)), "{err}");
}
// ANCHOR_END: errors

#[test]
fn a_huge_declared_width_is_refused_before_anything_is_allocated() {
    // An input of 10^12 values and a layer of 10^9 units: building this
    // would ask for 4·10^21 bytes. The tensors in the file do not fit, so
    // the loader refuses it first.
    let model = wide_deep();
    let mut m = metadata_with(&model, "x", "");
    let a = m["architecture"]
        .replace(r#""width":6"#, r#""width":1000000000000"#)
        .replace(
            r#""name":"hidden1","units":30"#,
            r#""name":"hidden1","units":1000000000"#,
        );
    assert_eq!(a.matches("1000000000").count(), 2, "{a}");
    m.insert("architecture".into(), a);
    let bytes = crafted(Some(m), &model, |_| {});
    assert!(matches!(problem(&bytes), Problem::WrongTensor { .. }));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = model_from_bytes(&bytes);
    }

    #[test]
    fn a_file_cut_short_is_always_refused(cut in 0usize..10_000) {
        let good = model_to_bytes(&wide_deep()).unwrap();
        let cut = cut % good.len();
        prop_assert!(model_from_bytes(&good[..cut]).is_err());
    }

    #[test]
    fn changed_bytes_never_panic(changes in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let mut bytes = model_to_bytes(&wide_deep()).unwrap();
        let n = bytes.len();
        for (at, value) in changes {
            bytes[at % n] = value;
        }
        let _ = model_from_bytes(&bytes);
    }
}
