//! TensorBoard's event files: the checksum, the framing of a record, bad
//! paths, and, with TensorBoard's own Python reader, every value the
//! callback writes during a real `fit`.
//!
//! The reader test runs the Python named by `TENSORBOARD_PYTHON` (one with
//! the `tensorboard` package; CI makes one in `target/tensorboard-venv`).
//! Without it the test is listed as ignored, except under CI, where it
//! fails (see `build.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

use ch09_training::{
    Callback, Control, EpochRecord, FitOptions, InMemory, Model, TrainError, Training,
};
use ch11_tuning::models::mlp;
use ch11_tuning::tensorboard::record::{crc32c, masked_crc32c, read_records, write_record};
use ch11_tuning::tensorboard::{
    EventWriter, FILE_VERSION, Kind, TensorBoard, TensorBoardError, What, histogram, read_events,
};
use ndarray::Array2;
use serde_json::Value as Json;

/// A fresh, empty folder under the system's temporary folder, removed when
/// dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "ch11-tensorboard-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The one event file in `folder`.
fn event_file(folder: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}

#[test]
fn crc32c_gives_the_rfc_3720_check_values() {
    // RFC 3720, appendix B.4: 32 bytes of zeros, of ones, increasing and
    // decreasing; and the usual check value of the digits 1 to 9.
    let increasing: Vec<u8> = (0..32).collect();
    let decreasing: Vec<u8> = (0..32).rev().collect();
    assert_eq!(crc32c(&[0; 32]), 0x8a91_36aa);
    assert_eq!(crc32c(&[0xff; 32]), 0x62a8_ab43);
    assert_eq!(crc32c(&increasing), 0x46dd_794e);
    assert_eq!(crc32c(&decreasing), 0x113f_db5c);
    assert_eq!(crc32c(b"123456789"), 0xe306_9283);
    // The CRC of nothing is 0, so its masked form is the mask's constant.
    assert_eq!(masked_crc32c(b""), 0xa282_ead8);
}

#[test]
fn a_record_is_length_checksum_data_checksum() {
    let mut bytes = Vec::new();
    write_record(&mut bytes, b"abc").unwrap();
    // The two masked checksums as TensorBoard's own Python code computes
    // them (tensorboard.compat.tensorflow_stub.pywrap_tensorflow).
    let mut expected = vec![3, 0, 0, 0, 0, 0, 0, 0];
    expected.extend(0x0e49_99b0_u32.to_le_bytes());
    expected.extend(b"abc");
    expected.extend(0x21f1_576e_u32.to_le_bytes());
    assert_eq!(bytes, expected);
    assert_eq!(read_records(&bytes).unwrap(), [b"abc"]);
}

#[test]
fn records_read_back_and_any_changed_byte_is_caught() {
    let mut bytes = Vec::new();
    write_record(&mut bytes, b"first").unwrap();
    write_record(&mut bytes, b"").unwrap();
    write_record(&mut bytes, &[7; 300]).unwrap();
    let records = read_records(&bytes).unwrap();
    assert_eq!(records, [&b"first"[..], b"", &[7; 300][..]]);
    for i in 0..bytes.len() {
        let mut broken = bytes.clone();
        broken[i] ^= 0x10;
        assert!(read_records(&broken).is_err(), "byte {i} changed unseen");
    }
    assert!(read_records(&bytes[..bytes.len() - 1]).is_err());
}

#[test]
fn an_event_file_starts_with_its_version_and_is_named_for_tensorboard() {
    let dir = TempDir::new("file");
    let mut writer = EventWriter::create(dir.0.join("run")).unwrap();
    writer.add_scalar("epoch_loss", 0.5, 1).unwrap();
    writer
        .add_histogram("w", histogram([1.0, 2.0, 4.0], 3).unwrap(), 1)
        .unwrap();
    writer.flush().unwrap();
    let path = event_file(&dir.0.join("run"));
    assert_eq!(path, writer.path());
    let name = path.file_name().unwrap().to_str().unwrap();
    let parts: Vec<&str> = name.split('.').collect();
    assert!(name.starts_with("events.out.tfevents."), "{name}");
    assert!(parts[3].parse::<u64>().is_ok(), "{name}");
    assert!(parts.last().unwrap().parse::<u64>().is_ok(), "{name}");
    assert_eq!(
        std::fs::metadata(&path).unwrap().len(),
        writer.bytes_written()
    );

    let events = read_events(&path).unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].what, Some(What::FileVersion(FILE_VERSION.into())));
    assert_eq!(FILE_VERSION, "brain.Event:2");
    let Some(What::Summary(summary)) = &events[1].what else {
        panic!("{:?}", events[1])
    };
    assert_eq!(
        (events[1].step, summary.value[0].tag.as_str()),
        (1, "epoch_loss")
    );
    assert_eq!(summary.value[0].kind, Some(Kind::SimpleValue(0.5)));
    let Some(What::Summary(summary)) = &events[2].what else {
        panic!("{:?}", events[2])
    };
    let Some(Kind::Histo(h)) = &summary.value[0].kind else {
        panic!("{summary:?}")
    };
    assert_eq!((h.min, h.max, h.num, h.sum), (1.0, 4.0, 3.0, 7.0));
    // Edges 2, 3, 4: 1 and 2 in the first bucket, 4 in the last.
    assert_eq!(
        (h.bucket_limit.clone(), h.bucket.clone()),
        (vec![2.0, 3.0, 4.0], vec![2.0, 0.0, 1.0])
    );
    assert!(events.windows(2).all(|w| w[0].wall_time <= w[1].wall_time));
}

#[test]
fn two_writers_in_one_folder_get_two_files() {
    let dir = TempDir::new("two");
    let a = EventWriter::create(&dir.0).unwrap();
    let b = EventWriter::create(&dir.0).unwrap();
    assert_ne!(a.path(), b.path());
}

#[test]
fn a_log_folder_that_cannot_be_made_is_an_error_naming_it() {
    let dir = TempDir::new("bad");
    let file = dir.0.join("a-file");
    std::fs::write(&file, b"not a folder").unwrap();
    for target in [file.clone(), file.join("below")] {
        let e = EventWriter::create(&target).unwrap_err();
        assert!(matches!(&e, TensorBoardError::Io { .. }), "{e:?}");
        assert!(e.to_string().contains("a-file"), "{e}");
        let e = TensorBoard::new(&target).unwrap_err();
        assert!(e.to_string().contains("a-file"), "{e}");
        // fit reports it as an I/O error with the path.
        let TrainError::Io { path, .. } = TrainError::from(e) else {
            panic!("not an I/O error")
        };
        assert!(path.starts_with(&file), "{}", path.display());
    }
}

#[test]
fn histogram_buckets_hold_exactly_the_values_between_their_edges() {
    let values: Vec<f32> = (0..1000)
        .map(|i| ((i * 7919) % 1000) as f32 / 250.0 - 2.0)
        .collect();
    let h = histogram(values.iter().copied(), 30).unwrap();
    assert_eq!(h.bucket.len(), 30);
    assert_eq!(h.bucket.iter().sum::<f64>(), 1000.0);
    assert_eq!((h.min, *h.bucket_limit.last().unwrap()), (-2.0, h.max));
    assert_eq!(bucket_counts(&values, &h.bucket_limit), h.bucket);
}

/// How many of `values` fall in each bucket whose right edges are
/// `limits`: `(left, right]`; the first bucket takes everything up to its
/// edge and the last everything past the edge before it (its own edge is
/// the largest value).
fn bucket_counts(values: &[f32], limits: &[f64]) -> Vec<f64> {
    let mut lefts = vec![f64::NEG_INFINITY];
    lefts.extend(&limits[..limits.len() - 1]);
    let mut rights = limits.to_vec();
    rights[limits.len() - 1] = f64::INFINITY;
    lefts
        .iter()
        .zip(&rights)
        .map(|(&lo, &hi)| {
            values
                .iter()
                .map(|&v| f64::from(v))
                .filter(|&v| v > lo && v <= hi)
                .count() as f64
        })
        .collect()
}

/// What the test saw at the end of each epoch, after the TensorBoard
/// callback: the learning rate the epoch ran at and every weight tensor.
/// It then halves the rate, so each epoch logs a different one.
#[derive(Default)]
struct Snapshots(Vec<(f32, Tensors)>);

/// Every weight tensor of a model, by name.
type Tensors = Vec<(String, Vec<f32>)>;

impl Callback for Snapshots {
    fn on_epoch_end(
        &mut self,
        _record: &EpochRecord,
        model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        let tensors = model
            .parameters()
            .into_iter()
            .map(|(name, t)| (name, t.iter().copied().collect()))
            .collect();
        let optimizer = model.optimizer_mut().expect("a compiled model");
        let rate = optimizer.learning_rate();
        optimizer.set_learning_rate(rate / 2.0)?;
        self.0.push((rate, tensors));
        Ok(Control::Continue)
    }
}

/// Synthetic 28 × 28 images: `n` rows, labels from the brightest region.
fn images(n: usize, offset: usize) -> (Array2<f32>, Vec<u8>) {
    let x = Array2::from_shape_fn((n, 784), |(i, j)| {
        (((i + offset) * 31 + j * 17) % 97) as f32 / 97.0
    });
    let y = (0..n)
        .map(|i| (((i + offset) * 31) % 97 / 10) as u8)
        .collect();
    (x, y)
}

/// The events of one tag of one run, as the reader printed them.
fn events<'a>(json: &'a Json, run: &str, kind: &str, tag: &str) -> &'a Vec<Json> {
    json["runs"][run][kind][tag]
        .as_array()
        .unwrap_or_else(|| panic!("no {kind} {tag} in run {run}: {json}"))
}

/// The tags of one kind in one run.
fn tags(json: &Json, run: &str, kind: &str) -> Vec<String> {
    let mut tags: Vec<String> = json["runs"][run][kind]
        .as_object()
        .unwrap_or_else(|| panic!("no {kind} in run {run}: {json}"))
        .keys()
        .cloned()
        .collect();
    tags.sort();
    tags
}

/// Checks a scalar tag's steps 1, 2, … and values, to f32 precision.
fn assert_scalars(json: &Json, run: &str, tag: &str, expected: &[f32]) {
    let found = events(json, run, "scalars", tag);
    assert_eq!(found.len(), expected.len(), "{run}/{tag}");
    for (i, (event, &want)) in found.iter().zip(expected).enumerate() {
        assert_eq!(event["step"].as_i64(), Some(i as i64 + 1), "{run}/{tag}");
        let got = event["value"].as_f64().unwrap() as f32;
        assert_eq!(got, want, "{run}/{tag} at epoch {}", i + 1);
    }
}

#[test]
#[cfg_attr(
    no_tensorboard_python,
    ignore = "TENSORBOARD_PYTHON is not set: point it at a Python with the tensorboard package \
              (python3 -m venv target/tensorboard-venv && target/tensorboard-venv/bin/pip install \
              tensorboard==2.21.0), then `cargo test -p ch11-tuning` again"
)]
fn tensorboard_reads_every_value_the_callback_wrote() {
    let python = std::env::var_os("TENSORBOARD_PYTHON")
        .filter(|p| !p.is_empty())
        .expect("TENSORBOARD_PYTHON must name a Python with the tensorboard package");
    let dir = TempDir::new("fit");
    let (x, y) = images(96, 0);
    let (vx, vy) = images(40, 1000);
    let train = InMemory::new(x.view(), &y).unwrap();
    let valid = InMemory::new(vx.view(), &vy).unwrap();
    let mut model = mlp(&[16, 8], 0.05, 3).unwrap();
    let mut board = TensorBoard::new(&dir.0).unwrap();
    let mut seen = Snapshots::default();
    let history = model
        .fit(
            &train,
            FitOptions::new()
                .epochs(3)
                .verbose(false)
                .validation_data(&valid)
                .callback(&mut board)
                .callback(&mut seen),
        )
        .unwrap();
    assert_eq!(history.len(), 3);
    drop(board);

    let output = Command::new(&python)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/python/read_events.py"
        ))
        .arg(&dir.0)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.to_string_lossy()));
    assert!(
        output.status.success(),
        "read_events.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Json = serde_json::from_slice(&output.stdout).unwrap();
    let runs: Vec<&String> = json["runs"].as_object().unwrap().keys().collect();
    assert_eq!(runs, ["train", "validation"]);
    for run in ["train", "validation"] {
        assert_eq!(
            json["runs"][run]["file_version"].as_f64(),
            Some(2.0),
            "{run}"
        );
    }

    // Scalars: every epoch's loss and accuracy in both runs, and the rate.
    let names: Vec<String> = seen.0[0].1.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(
        names,
        [
            "dense_1.weight",
            "dense_1.bias",
            "dense_2.weight",
            "dense_2.bias",
            "dense_3.weight",
            "dense_3.bias"
        ]
    );
    assert_eq!(
        tags(&json, "train", "scalars"),
        ["epoch_accuracy", "epoch_learning_rate", "epoch_loss"]
    );
    assert_eq!(
        tags(&json, "validation", "scalars"),
        ["epoch_accuracy", "epoch_loss"]
    );
    assert!(tags(&json, "validation", "histograms").is_empty());
    let record = |f: fn(&EpochRecord) -> Option<f32>| -> Vec<f32> {
        history.epochs.iter().map(|r| f(r).unwrap()).collect()
    };
    assert_scalars(&json, "train", "epoch_loss", &record(|r| Some(r.loss)));
    assert_scalars(&json, "train", "epoch_accuracy", &record(|r| r.accuracy));
    assert_scalars(&json, "validation", "epoch_loss", &record(|r| r.val_loss));
    assert_scalars(
        &json,
        "validation",
        "epoch_accuracy",
        &record(|r| r.val_accuracy),
    );
    let rates: Vec<f32> = seen.0.iter().map(|(rate, _)| *rate).collect();
    assert_eq!(rates, [0.05, 0.025, 0.0125]);
    assert_scalars(&json, "train", "epoch_learning_rate", &rates);

    // Histograms: one per weight tensor and epoch, from the weights the
    // model held at the end of that epoch.
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(tags(&json, "train", "histograms"), sorted);
    for (epoch, (_, tensors)) in seen.0.iter().enumerate() {
        for (name, values) in tensors {
            let event = &events(&json, "train", "histograms", name)[epoch];
            let field = |key: &str| event[key].as_f64().unwrap();
            let list = |key: &str| -> Vec<f64> {
                event[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect()
            };
            let at = format!("{name} at epoch {}", epoch + 1);
            assert_eq!(event["step"].as_i64(), Some(epoch as i64 + 1), "{at}");
            let min = values.iter().copied().fold(f32::INFINITY, f32::min);
            let max = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let sum: f64 = values.iter().map(|&v| f64::from(v)).sum();
            let squares: f64 = values.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
            assert_eq!(field("num"), values.len() as f64, "{at}");
            // JSON's decimal numbers come back within an ulp of the f64
            // written: compare at the precision of the weights, f32.
            assert_eq!(
                (field("min") as f32, field("max") as f32),
                (min, max),
                "{at}"
            );
            assert!(
                (field("sum") - sum).abs() <= 1e-9 * squares.max(1.0),
                "{at}"
            );
            assert!(
                (field("sum_squares") - squares).abs() <= 1e-9 * squares.max(1.0),
                "{at}"
            );
            let limits = list("bucket_limit");
            assert_eq!(limits.len(), if min < max { 30 } else { 1 }, "{at}");
            assert_eq!(limits.last().map(|&l| l as f32), Some(max), "{at}");
            assert_eq!(list("bucket"), bucket_counts(values, &limits), "{at}");
        }
    }
}
