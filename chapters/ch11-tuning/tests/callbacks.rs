//! The callbacks of chapter 11 on small synthetic data: checkpoints that
//! load back as the model they saved and survive a save cut short, a CSV
//! log equal to the history, learning-rate schedules that follow their
//! formulas, and clear errors for bad settings.

use std::cell::RefCell;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::Duration;

use ch00_toolbox::seeded_rng;
use ch04_backprop::Activation;
use ch08_sequential::{Dense, LossKind, Metric, Sequential, Sgd, Softmax};
use ch09_training::{
    Callback, Control, Engine, EpochRecord, FitOptions, History, InMemory, Model, TrainError,
    Training,
};
use ch10_functional::{AnyModel, Functional, load_model};
use ch11_tuning::callbacks::{CsvLogger, LearningRateScheduler, ModelCheckpoint, model_bytes};
use ch11_tuning::models::mlp;
use ndarray::{Array2, ArrayD};
use rand::Rng;

// ---- data, models and helpers ----------------------------------------------

/// `n` samples of 4 features in [-1, 1] and one of 3 classes: the index
/// of the largest of three fixed linear scores, so there is something to
/// learn.
fn data(n: usize, seed: u64) -> (Array2<f32>, Vec<u8>) {
    let mut rng = seeded_rng(seed);
    let x = Array2::from_shape_fn((n, 4), |_| rng.random_range(-1.0f32..1.0));
    let y = x
        .rows()
        .into_iter()
        .map(|r| {
            let scores = [r[0] + r[1], r[2] - r[0], r[3] - r[1]];
            (0..3)
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
                .unwrap() as u8
        })
        .collect();
    (x, y)
}

/// A small classifier for [`data`]: 4 → 8 ReLU → 3 softmax, SGD at `rate`.
fn model(rate: f32, seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model
        .add(Dense::new(8, Activation::Relu).with_inputs(4))
        .unwrap()
        .add(Dense::new(3, Softmax))
        .unwrap();
    model
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(rate).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap();
    model
}

/// A fresh, empty folder under the system's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ch11-callbacks-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names of the files in `dir`, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Keeps a copy of the model's weights at the end of every epoch.
#[derive(Default)]
struct Snapshots(Vec<Vec<ArrayD<f32>>>);

impl Callback for Snapshots {
    fn on_epoch_end(
        &mut self,
        _record: &EpochRecord,
        model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        self.0.push(model.get_weights());
        Ok(Control::Continue)
    }
}

fn bits(weights: &[ArrayD<f32>]) -> Vec<u32> {
    weights.iter().flatten().map(|v| v.to_bits()).collect()
}

/// Whether two lists of tensors are the same, shapes and bits.
fn same(a: &[ArrayD<f32>], b: &[ArrayD<f32>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(p, q)| p.shape() == q.shape()) && bits(a) == bits(b)
}

/// The weights of the model in a whole-model file.
fn loaded_weights(path: &Path) -> Vec<ArrayD<f32>> {
    load_model(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .as_model()
        .get_weights()
}

// ---- ModelCheckpoint ---------------------------------------------------------

#[test]
fn a_checkpoint_every_epoch_writes_one_file_per_epoch_that_loads_back() {
    let dir = scratch("every");
    let (x, y) = data(96, 1);
    let train = InMemory::new(x.view(), &y).unwrap();
    let mut net = model(0.1, 2);
    let mut checkpoint = ModelCheckpoint::new(dir.join("net-{epoch}.safetensors")).unwrap();
    let mut snapshots = Snapshots::default();
    let options = FitOptions::new()
        .epochs(3)
        .batch_size(16)
        .verbose(false)
        .callback(&mut checkpoint)
        .callback(&mut snapshots);
    net.fit(&train, options).unwrap();

    // One complete file per epoch, nothing else (no temporary file left).
    assert_eq!(
        files_in(&dir),
        [
            "net-1.safetensors",
            "net-2.safetensors",
            "net-3.safetensors"
        ]
    );
    let saved: Vec<usize> = checkpoint.saved().iter().map(|(e, _)| *e).collect();
    assert_eq!(saved, [1, 2, 3]);
    // Each file holds the weights the model had at the end of its epoch,
    // and the epochs differ.
    for epoch in 1..=3 {
        let file = loaded_weights(&dir.join(format!("net-{epoch}.safetensors")));
        assert!(
            same(&file, &snapshots.0[epoch - 1]),
            "epoch {epoch}: the file holds other weights"
        );
    }
    assert!(!same(&snapshots.0[0], &snapshots.0[2]));
    // The last file is the trained model: same weights, same predictions.
    let loaded = load_model(dir.join("net-3.safetensors")).unwrap();
    assert!(matches!(loaded, AnyModel::Sequential(_)));
    assert!(same(&loaded.as_model().get_weights(), &net.get_weights()));
    let before = net.predict_dataset(&train).unwrap();
    let after = loaded.as_model().predict_batch(x.view()).unwrap();
    assert!(
        before
            .iter()
            .zip(&after)
            .all(|(p, q)| p.to_bits() == q.to_bits())
    );
}

/// The epochs at which `values` reached a new best (smaller with `min`),
/// from the history's numbers alone.
fn new_bests(values: &[f32], min: bool) -> Vec<usize> {
    let mut best: Option<f32> = None;
    let mut epochs = Vec::new();
    for (k, &v) in values.iter().enumerate() {
        let better = match best {
            None => true,
            Some(b) if min => v < b,
            Some(b) => v > b,
        };
        if better {
            best = Some(v);
            epochs.push(k + 1);
        }
    }
    epochs
}

#[test]
fn save_best_only_keeps_the_best_epoch_of_the_history() {
    let (x, y) = data(200, 3);
    let (vx, vy) = data(100, 4);
    let train = InMemory::new(x.view(), &y).unwrap();
    let valid = InMemory::new(vx.view(), &vy).unwrap();
    for (monitor, min) in [("val_loss", true), ("val_accuracy", false), ("loss", true)] {
        let dir = scratch(&format!("best-{monitor}"));
        let path = dir.join("best.safetensors");
        // A high rate makes the curves jump about, so that the best epoch
        // is not simply the last one.
        let mut net = model(1.5, 5);
        let mut checkpoint = ModelCheckpoint::new(&path)
            .unwrap()
            .save_best_only(monitor)
            .unwrap();
        let mut snapshots = Snapshots::default();
        let options = FitOptions::new()
            .epochs(8)
            .batch_size(20)
            .verbose(false)
            .validation_data(&valid)
            .callback(&mut checkpoint)
            .callback(&mut snapshots);
        let history = net.fit(&train, options).unwrap();
        let values: Vec<f32> = history
            .epochs
            .iter()
            .map(|r| match monitor {
                "val_loss" => r.val_loss.unwrap(),
                "val_accuracy" => r.val_accuracy.unwrap(),
                _ => r.loss,
            })
            .collect();
        let expected = new_bests(&values, min);
        let best = *expected.last().unwrap();
        assert!(
            expected.len() < values.len(),
            "{monitor}: every epoch improved ({values:?}); the test needs one that does not"
        );
        let saved: Vec<usize> = checkpoint.saved().iter().map(|(e, _)| *e).collect();
        assert_eq!(saved, expected, "{monitor}: {values:?}");
        assert_eq!(checkpoint.best(), Some((best, values[best - 1])));
        assert!(
            same(&loaded_weights(&path), &snapshots.0[best - 1]),
            "{monitor}: the file does not hold epoch {best}'s weights"
        );
        assert_eq!(files_in(&dir), ["best.safetensors"]);
    }
}

#[test]
fn only_a_strictly_better_number_is_an_improvement() {
    use ch11_tuning::callbacks::Monitor;
    let loss = Monitor::named("val_loss").unwrap();
    let accuracy = Monitor::named("val_accuracy").unwrap();
    assert!(loss.improves(0.5, None) && accuracy.improves(0.5, None));
    assert!(loss.improves(0.4, Some(0.5)) && !loss.improves(0.6, Some(0.5)));
    assert!(accuracy.improves(0.6, Some(0.5)) && !accuracy.improves(0.4, Some(0.5)));
    // A tie keeps the earlier epoch, as in Keras; NaN never improves.
    assert!(!loss.improves(0.5, Some(0.5)) && !accuracy.improves(0.5, Some(0.5)));
    assert!(!loss.improves(f32::NAN, None) && !accuracy.improves(f32::NAN, Some(0.5)));
}

#[test]
fn a_graph_model_is_checkpointed_on_its_validation_mae() {
    use ch10_functional::wide_deep::{split_data, two_inputs};
    let dir = scratch("graph");
    let path = dir.join("graph.safetensors");
    let mut rng = seeded_rng(9);
    let x = Array2::from_shape_fn((64, 8), |_| rng.random_range(-1.0f32..1.0));
    let y = x.sum_axis(ndarray::Axis(1)).insert_axis(ndarray::Axis(1));
    let train = split_data(x.view(), y.view(), false).unwrap();
    let mut graph = Functional::build(two_inputs(false), 3).unwrap();
    graph
        .compile(
            &[(LossKind::MeanSquaredError, 1.0)],
            Sgd::new(0.01).unwrap(),
            &[Metric::MeanAbsoluteError],
        )
        .unwrap();
    let mut checkpoint = ModelCheckpoint::new(&path)
        .unwrap()
        .save_best_only("val_mae")
        .unwrap();
    let mut snapshots = Snapshots::default();
    let options = FitOptions::new()
        .epochs(3)
        .verbose(false)
        .validation_data(&train)
        .callback(&mut checkpoint)
        .callback(&mut snapshots);
    let history = graph.fit(&train, options).unwrap();
    let maes: Vec<f32> = history.epochs.iter().map(|r| r.val_mae.unwrap()).collect();
    let best = *new_bests(&maes, true).last().unwrap();
    let loaded = load_model(&path).unwrap();
    assert!(matches!(loaded, AnyModel::Functional(_)));
    assert!(same(
        &loaded.as_model().get_weights(),
        &snapshots.0[best - 1]
    ));
    // A model loaded from a file is saved too (as chapter 10's AnyModel).
    let again = model_bytes(&loaded).unwrap();
    let reloaded = ch10_functional::save::model_from_bytes(&again).unwrap();
    assert!(same(
        &reloaded.as_model().get_weights(),
        &snapshots.0[best - 1]
    ));
}

#[test]
fn a_model_the_format_cannot_describe_is_an_error_at_the_first_epoch() {
    use ch10_functional::WideAndDeep;
    use ch10_functional::wide_deep::split_data;
    let dir = scratch("unsaveable");
    let mut rng = seeded_rng(9);
    let x = Array2::from_shape_fn((32, 8), |_| rng.random_range(-1.0f32..1.0));
    let y = x.sum_axis(ndarray::Axis(1)).insert_axis(ndarray::Axis(1));
    let train = split_data(x.view(), y.view(), true).unwrap();
    let mut net = WideAndDeep::new(5, 6, 4, 1, Sgd::new(0.01).unwrap(), (0.9, 0.1)).unwrap();
    let mut checkpoint = ModelCheckpoint::new(dir.join("m.safetensors")).unwrap();
    let mut epochs = Snapshots::default();
    let options = FitOptions::new()
        .epochs(3)
        .verbose(false)
        .callback(&mut checkpoint)
        .callback(&mut epochs);
    let error = net.fit(&train, options).unwrap_err().to_string();
    assert!(error.contains("Sequential or a Functional"), "{error}");
    assert!(epochs.0.is_empty(), "fit went on after the failed save");
    assert!(files_in(&dir).is_empty());
}

#[test]
fn a_watched_quantity_that_is_not_measured_is_an_error() {
    let (x, y) = data(40, 1);
    let train = InMemory::new(x.view(), &y).unwrap();
    let dir = scratch("unmeasured");
    for (monitor, hint) in [
        ("val_loss", "validation data"),
        ("mae", "mae metric"),
        ("val_accuracy", "validation data"),
    ] {
        let mut net = model(0.1, 2);
        let mut checkpoint = ModelCheckpoint::new(dir.join("m.safetensors"))
            .unwrap()
            .save_best_only(monitor)
            .unwrap();
        let options = FitOptions::new().verbose(false).callback(&mut checkpoint);
        let error = net.fit(&train, options).unwrap_err().to_string();
        assert!(error.contains(monitor) && error.contains(hint), "{error}");
        assert!(files_in(&dir).is_empty());
    }
}

#[test]
fn bad_paths_and_names_are_clear_errors() {
    let dir = scratch("bad");
    let folder = |e: TrainError| {
        let text = e.to_string();
        assert!(text.contains("is a folder"), "{text}");
    };
    folder(ModelCheckpoint::new(&dir).unwrap_err());
    folder(ModelCheckpoint::new(format!("{}/", dir.join("new").display())).unwrap_err());
    folder(CsvLogger::new(&dir).unwrap_err());
    assert!(ModelCheckpoint::new("").is_err());
    assert!(CsvLogger::new("").is_err());

    let error = ModelCheckpoint::new(dir.join("m.safetensors"))
        .unwrap()
        .save_best_only("val_los")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("'val_los'") && error.contains("val_loss"),
        "{error}"
    );

    // A path that can only be found bad when the save is made (a folder
    // where epoch 2's file should go, a file where a folder should be)
    // ends fit with an error that names it.
    std::fs::create_dir(dir.join("m-2.safetensors")).unwrap();
    std::fs::write(dir.join("plain"), b"a file").unwrap();
    let (x, y) = data(40, 1);
    let train = InMemory::new(x.view(), &y).unwrap();
    for path in [
        dir.join("m-{epoch}.safetensors"),
        dir.join("plain/m.safetensors"),
    ] {
        let mut net = model(0.1, 2);
        let mut checkpoint = ModelCheckpoint::new(&path).unwrap();
        let options = FitOptions::new()
            .epochs(3)
            .verbose(false)
            .callback(&mut checkpoint);
        let error = net.fit(&train, options).unwrap_err();
        let named = checkpoint.path_for(checkpoint.saved().len() + 1);
        assert!(
            error.to_string().contains(&named.display().to_string()),
            "{error}"
        );
    }
}

// ---- A save cut short --------------------------------------------------------

/// Hidden widths of a model of 5 366 010 parameters, 21 MB on disk: long
/// enough to write that a kill often lands in the middle of a save.
const BIG: [usize; 2] = [3000, 1000];
const CHILD_PATH: &str = "CH11_CHECKPOINT_CHILD_PATH";
const CHILD_FIRST: &str = "CH11_CHECKPOINT_CHILD_FIRST";

/// Sets every weight of `model` to `value`: the saves of one run differ,
/// and a file shows which save it holds.
fn fill(model: &mut Sequential, value: f32) {
    let weights: Vec<ArrayD<f32>> = model
        .get_weights()
        .into_iter()
        .map(|w| ArrayD::from_elem(w.shape(), value))
        .collect();
    Model::set_weights(model, &weights).unwrap();
}

/// A record for calling the callback by hand.
fn record(epoch: usize) -> EpochRecord {
    EpochRecord {
        epoch,
        loss: 1.0,
        accuracy: None,
        mae: None,
        val_loss: None,
        val_accuracy: None,
        val_mae: None,
        seconds: 0.0,
        engine: Engine::Clear,
        outputs: Vec::new(),
    }
}

/// Saves the big model filled with `k`, `k + 1`, … to the file named by
/// the environment, announcing each complete save ("saved k"), until
/// stopped from outside; with `once`, a single save, reporting an error
/// instead of panicking.
fn child_saves(once: bool) {
    let path = std::env::var(CHILD_PATH).expect("run by the parent test");
    let first: usize = std::env::var(CHILD_FIRST).unwrap().parse().unwrap();
    let mut big = mlp(&BIG, 0.01, 7).unwrap();
    let mut checkpoint = ModelCheckpoint::new(&path).unwrap();
    for k in first.. {
        fill(&mut big, k as f32);
        match checkpoint.on_epoch_end(&record(k), &mut big) {
            Ok(_) => println!("saved {k}"),
            Err(e) => println!("error: {e}"),
        }
        if once {
            break;
        }
    }
}

#[test]
#[ignore = "the child process of a_save_killed_midway_leaves_a_complete_checkpoint"]
fn child_saves_until_killed() {
    child_saves(false);
}

#[test]
#[ignore = "the child process of a_save_that_fails_halfway_leaves_the_old_file"]
fn child_saves_once() {
    child_saves(true);
}

/// The test binary itself, running the one ignored test `name`.
fn child(name: &str, path: &Path, first: usize) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            name,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_PATH, path)
        .env(CHILD_FIRST, first.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

/// The one value every weight of the model in `path` holds; panics when
/// the file does not load or holds a mixture.
fn the_value_in(path: &Path) -> f32 {
    let weights = loaded_weights(path);
    let first = weights[0].iter().next().copied().unwrap();
    assert!(
        weights.iter().flatten().all(|&v| v == first),
        "the file mixes two saves"
    );
    assert_eq!(weights.len(), 6);
    first
}

/// What identifies the file at `path` as it stands: its inode (a new one
/// after a rename), length and time of change.
#[cfg(unix)]
fn stamp(path: &Path) -> Option<(u64, u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some((m.ino(), m.len(), m.mtime(), m.mtime_nsec()))
}

fn part_files(dir: &Path) -> Vec<String> {
    files_in(dir)
        .into_iter()
        .filter(|n| n.ends_with(".part"))
        .collect()
}

#[cfg(unix)]
#[test]
fn a_save_killed_midway_leaves_a_complete_checkpoint() {
    let dir = scratch("killed");
    let path = dir.join("big.safetensors");
    let mut big = mlp(&BIG, 0.01, 7).unwrap();
    fill(&mut big, 0.0);
    ModelCheckpoint::new(&path)
        .unwrap()
        .on_epoch_end(&record(0), &mut big)
        .unwrap();
    drop(big);
    let mut rng = seeded_rng(2024);
    let mut last_done = 0usize; // the last save known to be complete
    let (mut kills, mut midway) = (0, 0);
    // Even kills come at any moment of the child's life; odd ones a few
    // milliseconds after its second save has begun to write (most of a
    // save's time goes into laying out the bytes, before any file is
    // touched).
    while (midway < 3 || kills < 4) && kills < 12 {
        for part in part_files(&dir) {
            std::fs::remove_file(dir.join(part)).unwrap();
        }
        let mut process = child("child_saves_until_killed", &path, last_done + 1)
            .spawn()
            .unwrap();
        if kills % 2 == 0 {
            std::thread::sleep(Duration::from_millis(rng.random_range(500..4000)));
        } else {
            // The file at `path` changes (the child's first save is in
            // place), then a second save begins to write.
            let start = std::time::Instant::now();
            let mut wait_until = |done: &dyn Fn() -> bool| {
                while !done() {
                    assert!(process.try_wait().unwrap().is_none(), "the child ended");
                    assert!(start.elapsed() < Duration::from_secs(60), "no save came");
                    std::thread::sleep(Duration::from_millis(1));
                }
            };
            let before = stamp(&path);
            wait_until(&|| stamp(&path) != before);
            let after = stamp(&path);
            wait_until(&|| !part_files(&dir).is_empty() || stamp(&path) != after);
            std::thread::sleep(Duration::from_millis(rng.random_range(0..6)));
        }
        process.kill().unwrap(); // SIGKILL: no clean-up runs
        process.wait().unwrap();
        kills += 1;
        let stdout = BufReader::new(process.stdout.take().unwrap());
        for line in stdout.lines() {
            // The first may follow the test harness's "test … ... ".
            if let Some((_, k)) = line.unwrap().split_once("saved ") {
                last_done = k.parse().unwrap();
            }
        }
        if !part_files(&dir).is_empty() {
            midway += 1; // the kill came between the file's creation and its rename
        }
        // The file holds the last announced save, or the next one if the
        // kill came between its rename and its announcement.
        let value = the_value_in(&path) as usize;
        assert!(
            value == last_done || value == last_done + 1,
            "after kill {kills}: the file holds save {value}, the last complete one was {last_done}"
        );
        last_done = value;
    }
    assert!(
        midway >= 3,
        "only {midway} of {kills} kills came in the middle of a save"
    );
    assert!(last_done > 0, "no save completed in {kills} runs");
    eprintln!("{kills} kills, {midway} in the middle of a save; {last_done} saves completed");
}

#[cfg(unix)]
#[test]
fn a_save_that_fails_halfway_leaves_the_old_file() {
    let dir = scratch("fault");
    let path = dir.join("big.safetensors");
    let mut big = mlp(&BIG, 0.01, 7).unwrap();
    fill(&mut big, 1.0);
    ModelCheckpoint::new(&path)
        .unwrap()
        .on_epoch_end(&record(1), &mut big)
        .unwrap();
    drop(big);
    let size = std::fs::metadata(&path).unwrap().len();
    // The child may write files of at most 4 MiB (`ulimit -f`, in KiB),
    // a fifth of the model: its write fails with "file too large" (the
    // signal that would kill it instead is ignored).
    let inner = child("child_saves_once", &path, 2);
    let mut command = Command::new("bash");
    command
        .args(["-c", r#"trap "" XFSZ; ulimit -f 4096; exec "$@""#, "bash"])
        .arg(inner.get_program())
        .args(inner.get_args())
        .envs(inner.get_envs().filter_map(|(k, v)| Some((k, v?))));
    let output = command.stderr(Stdio::null()).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let error = stdout
        .lines()
        .find_map(|l| l.split_once("error: ").map(|(_, e)| e))
        .unwrap_or_else(|| panic!("the save did not fail: {stdout}"));
    assert!(error.contains(&path.display().to_string()), "{error}");
    assert!(size > 4 * 1024 * 1024);
    assert_eq!(the_value_in(&path), 1.0);
    assert_eq!(files_in(&dir), ["big.safetensors"]);
}

// ---- CsvLogger ------------------------------------------------------------------

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Counts the lines of the log at the end of every epoch, while `fit`
/// still runs.
struct LinesSoFar {
    path: PathBuf,
    counts: Rc<RefCell<Vec<usize>>>,
}

impl Callback for LinesSoFar {
    fn on_epoch_end(
        &mut self,
        _record: &EpochRecord,
        _model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        let text = std::fs::read_to_string(&self.path).unwrap_or_default();
        self.counts.borrow_mut().push(text.lines().count());
        Ok(Control::Continue)
    }
}

fn train_logged(logger: &mut CsvLogger, epochs: usize, seed: u64) -> History {
    let (x, y) = data(80, 6);
    let (vx, vy) = data(40, 7);
    let train = InMemory::new(x.view(), &y).unwrap();
    let valid = InMemory::new(vx.view(), &vy).unwrap();
    let options = FitOptions::new()
        .epochs(epochs)
        .batch_size(16)
        .verbose(false)
        .validation_data(&valid)
        .callback(logger);
    model(0.2, seed).fit(&train, options).unwrap()
}

#[test]
fn the_csv_log_holds_the_history_row_by_row() {
    let dir = scratch("csv");
    let path = dir.join("log.csv");
    let (x, y) = data(80, 6);
    let (vx, vy) = data(40, 7);
    let train = InMemory::new(x.view(), &y).unwrap();
    let valid = InMemory::new(vx.view(), &vy).unwrap();
    let mut logger = CsvLogger::new(&path).unwrap();
    let counts = Rc::new(RefCell::new(Vec::new()));
    let mut lines = LinesSoFar {
        path: path.clone(),
        counts: counts.clone(),
    };
    let options = FitOptions::new()
        .epochs(3)
        .batch_size(16)
        .verbose(false)
        .validation_data(&valid)
        .callback(&mut logger)
        .callback(&mut lines);
    let history = model(0.2, 8).fit(&train, options).unwrap();
    // Each row was in the file as soon as its epoch ended.
    assert_eq!(*counts.borrow(), [2, 3, 4]);

    let (header, rows) = read_csv(&path);
    assert_eq!(
        header,
        [
            "epoch",
            "loss",
            "accuracy",
            "mae",
            "val_loss",
            "val_accuracy",
            "val_mae",
            "seconds",
            "engine"
        ]
    );
    assert_eq!(rows.len(), history.len());
    let number = |s: &str| s.parse::<f32>().unwrap();
    for (row, r) in rows.iter().zip(&history.epochs) {
        assert_eq!(row[0], r.epoch.to_string());
        assert_eq!(number(&row[1]), r.loss);
        assert_eq!(number(&row[2]), r.accuracy.unwrap());
        assert_eq!(row[3], "", "no mae was measured");
        assert_eq!(number(&row[4]), r.val_loss.unwrap());
        assert_eq!(number(&row[5]), r.val_accuracy.unwrap());
        assert_eq!(row[6], "");
        assert_eq!(row[7].parse::<f64>().unwrap(), r.seconds);
        assert_eq!(row[8], r.engine.name());
    }
    assert_eq!(logger.rows(), 3);
}

#[test]
fn the_csv_log_starts_again_or_appends() {
    let dir = scratch("append");
    let path = dir.join("log.csv");
    let first = train_logged(&mut CsvLogger::new(&path).unwrap(), 2, 1);
    let second = train_logged(&mut CsvLogger::new(&path).unwrap().append(true), 1, 2);
    let (header, rows) = read_csv(&path);
    assert_eq!(header[0], "epoch");
    let losses: Vec<f32> = rows.iter().map(|r| r[1].parse().unwrap()).collect();
    let expected: Vec<f32> = first.loss().into_iter().chain(second.loss()).collect();
    assert_eq!(losses, expected);
    let epochs: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(epochs, ["1", "2", "1"]);

    // Without append, the next training replaces the file.
    let third = train_logged(&mut CsvLogger::new(&path).unwrap(), 1, 3);
    let (_, rows) = read_csv(&path);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1].parse::<f32>().unwrap(), third.loss()[0]);

    // Appending to a missing file writes the header first.
    let fresh = dir.join("fresh.csv");
    train_logged(&mut CsvLogger::new(&fresh).unwrap().append(true), 1, 3);
    assert_eq!(read_csv(&fresh).1.len(), 1);
}

#[test]
fn appending_to_a_file_of_other_columns_is_an_error() {
    let dir = scratch("mismatch");
    let path = dir.join("log.csv");
    let old = "epoch,loss,lr\n1,0.5,0.01\n";
    std::fs::write(&path, old).unwrap();
    let (x, y) = data(40, 6);
    let train = InMemory::new(x.view(), &y).unwrap();
    let mut logger = CsvLogger::new(&path).unwrap().append(true);
    let options = FitOptions::new().verbose(false).callback(&mut logger);
    let error = model(0.2, 1).fit(&train, options).unwrap_err().to_string();
    assert!(
        error.contains("cannot append") && error.contains("epoch,loss,lr"),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), old);
}

// ---- LearningRateScheduler ------------------------------------------------------

/// η₀ = 0.125 with s = 2: 0.125 · 0.1^(t/2) for t = 0, 1, 2, 3, 4, by
/// hand (0.125 is exact in binary, so each rate is rounded once; each is
/// written with the fewest digits that name the same `f32`).
const EXPONENTIAL: [f32; 5] = [0.125, 0.039_528_47, 0.0125, 0.003_952_847, 0.001_25];
/// η₀ = 0.125, halved every 2 epochs.
const STEP: [f32; 5] = [0.125, 0.125, 0.0625, 0.0625, 0.031_25];

/// Sets the rate of every batch from a table, by epoch: the schedule
/// written out by hand.
struct ByHand(&'static [f32]);

impl Callback for ByHand {
    fn on_batch_begin(&mut self, epoch: usize, _step: usize, optimizer: &mut Sgd) -> Control {
        optimizer.set_learning_rate(self.0[epoch - 1]).unwrap();
        Control::Continue
    }
}

/// The engines to check: the clear one, and in an optimised build (where
/// its kernels are fast) the fast one too.
fn engines() -> Vec<Engine> {
    if cfg!(debug_assertions) {
        vec![Engine::Clear]
    } else {
        vec![Engine::Clear, Engine::Fast]
    }
}

fn five_epochs<'a>(engine: Engine) -> FitOptions<'a> {
    FitOptions::new()
        .epochs(5)
        .batch_size(16)
        .verbose(false)
        .engine(engine)
}

#[test]
fn the_scheduled_rates_follow_the_formulas_and_train_as_rates_set_by_hand() {
    let (x, y) = data(120, 10);
    let train = InMemory::new(x.view(), &y).unwrap();
    let schedules = [
        (
            LearningRateScheduler::exponential(2.0).unwrap(),
            &EXPONENTIAL,
        ),
        (LearningRateScheduler::step(0.5, 2).unwrap(), &STEP),
    ];
    for engine in engines() {
        for (scheduler, table) in &schedules {
            let mut scheduler = scheduler.clone();
            let mut scheduled = model(0.125, 11);
            let history = scheduled
                .fit(&train, five_epochs(engine).callback(&mut scheduler))
                .unwrap();
            assert!(history.epochs.iter().all(|r| r.engine == engine));
            let rates: Vec<f32> = scheduler.rates().iter().map(|(_, r)| *r).collect();
            let epochs: Vec<usize> = scheduler.rates().iter().map(|(e, _)| *e).collect();
            assert_eq!(epochs, [1, 2, 3, 4, 5]);
            assert_eq!(rates, table.as_slice(), "{engine:?}");

            let mut by_hand = model(0.125, 11);
            let mut hand = ByHand(table.as_slice());
            by_hand
                .fit(&train, five_epochs(engine).callback(&mut hand))
                .unwrap();
            assert!(
                bits(&scheduled.get_weights()) == bits(&by_hand.get_weights()),
                "{engine:?}: {rates:?}: the weights differ from the run with rates set by hand"
            );
        }
    }
}

/// Reads the optimizer's rate at the end of every epoch, as a logger would.
#[derive(Default)]
struct RateReader(Vec<f32>);

impl Callback for RateReader {
    fn on_epoch_end(
        &mut self,
        _record: &EpochRecord,
        model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        self.0.push(model.optimizer_mut().unwrap().learning_rate());
        Ok(Control::Continue)
    }
}

/// The scheduler sets each epoch's rate before its first batch, so every
/// callback that reads the optimizer at the end of an epoch (as a logger or
/// TensorBoard does) sees the rate of that epoch, before or after the
/// scheduler in `FitOptions`.
#[test]
fn every_callback_reads_the_epochs_own_rate_wherever_it_stands() {
    let (x, y) = data(40, 1);
    let train = InMemory::new(x.view(), &y).unwrap();
    let mut before = RateReader::default();
    let mut scheduler = LearningRateScheduler::step(0.5, 1).unwrap();
    let mut after = RateReader::default();
    let options = FitOptions::new()
        .epochs(3)
        .verbose(false)
        .callback(&mut before)
        .callback(&mut scheduler)
        .callback(&mut after);
    let mut net = model(0.125, 1);
    net.fit(&train, options).unwrap();
    let rates: Vec<f32> = scheduler.rates().iter().map(|(_, r)| *r).collect();
    assert_eq!(rates, [0.125, 0.0625, 0.031_25]);
    assert_eq!(before.0, rates);
    assert_eq!(after.0, rates);
    // The model keeps the rate of the last epoch.
    assert_eq!(net.optimizer_mut().unwrap().learning_rate(), 0.031_25);
}

#[test]
fn the_scheduler_checks_its_settings_and_the_rates_it_sets() {
    for bad in [0.0, -1.0, f32::NAN, f32::INFINITY] {
        let error = LearningRateScheduler::exponential(bad)
            .unwrap_err()
            .to_string();
        assert!(error.contains("positive number"), "{bad}: {error}");
    }
    for bad in [0.0, -0.5, 1.5, f32::NAN] {
        let error = LearningRateScheduler::step(bad, 2).unwrap_err().to_string();
        assert!(error.contains("factor"), "{bad}: {error}");
    }
    assert!(LearningRateScheduler::step(0.5, 0).is_err());

    let (x, y) = data(40, 1);
    let train = InMemory::new(x.view(), &y).unwrap();
    // A schedule that falls to a rate of 0 within an epoch: an error
    // naming the epoch, not a model that silently stops learning.
    let mut fast_fall = LearningRateScheduler::exponential(0.001).unwrap();
    let options = FitOptions::new()
        .epochs(3)
        .verbose(false)
        .callback(&mut fast_fall);
    let error = model(0.1, 1).fit(&train, options).unwrap_err().to_string();
    assert!(error.contains("epoch 2"), "{error}");

    // One scheduler, one training.
    let mut scheduler = LearningRateScheduler::step(0.5, 1).unwrap();
    let mut net = model(0.1, 1);
    let options = FitOptions::new()
        .epochs(2)
        .verbose(false)
        .callback(&mut scheduler);
    net.fit(&train, options).unwrap();
    let options = FitOptions::new().verbose(false).callback(&mut scheduler);
    let error = net.fit(&train, options).unwrap_err().to_string();
    assert!(error.contains("new one"), "{error}");
}
