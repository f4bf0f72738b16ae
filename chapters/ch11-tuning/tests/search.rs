//! Random search: the seeded trials, the CSV table, resuming, the errors,
//! and a tiny search on real Fashion-MNIST images.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use ch00_toolbox::real_data::FASHION_MNIST;
use ch07_fashion_mnist::FashionMnist;
use ch09_training::{Engine, TrainError};
use ch11_tuning::search::{
    Score, Search, SearchError, SearchSpace, Trial, TrialRecord, best, read_finished, run_trials,
    train_trial, trial, trials,
};

/// A fresh temporary folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ch11-search-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn search(seed: u64, trials: usize, epochs: usize, jobs: usize) -> Search {
    Search {
        space: SearchSpace::BOOK,
        seed,
        trials,
        epochs,
        jobs,
    }
}

/// A stand-in for training: a score made from the trial's values, and a
/// log of the trials it was asked for.
fn fake(log: &Mutex<Vec<usize>>) -> impl Fn(&Trial) -> Result<Score, TrainError> + Sync + '_ {
    move |t| {
        log.lock().unwrap().push(t.index);
        Ok(Score {
            val_accuracy: 0.5 + (t.units as f32).ln() / 20.0 - t.learning_rate,
            val_loss: t.learning_rate * 10.0,
        })
    }
}

/// The rows without their wall times, which differ from run to run.
fn untimed(rows: &[TrialRecord]) -> Vec<TrialRecord> {
    rows.iter()
        .map(|r| TrialRecord {
            seconds: 0.0,
            ..r.clone()
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_trials_and_another_seed_others() {
    let space = SearchSpace::BOOK;
    let a = trials(&space, 42, 12);
    assert_eq!(a, trials(&space, 42, 12));
    let b = trials(&space, 43, 12);
    let same = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x.learning_rate == y.learning_rate);
    assert_eq!(same.count(), 0, "{a:?}\n{b:?}");
    // Trial k does not depend on how many trials are drawn, nor on order.
    assert_eq!(trials(&space, 42, 3), a[..3]);
    assert_eq!(trial(&space, 42, 7), a[7]);
    for (k, t) in a.iter().enumerate() {
        assert_eq!(t.index, k);
    }
}

#[test]
fn the_draws_cover_the_space_log_uniformly() {
    let space = SearchSpace::BOOK;
    let all = trials(&space, 1, 2000);
    let mut units: Vec<usize> = all.iter().map(|t| t.units).collect();
    let mut rates: Vec<f32> = all.iter().map(|t| t.learning_rate).collect();
    for layers in 1..=3 {
        let n = all.iter().filter(|t| t.layers == layers).count();
        assert!((550..780).contains(&n), "{n} trials of {layers} layers");
    }
    assert!(units.iter().all(|u| (16..=512).contains(u)));
    assert!(rates.iter().all(|r| (1e-4..=0.3).contains(r)));
    // Both ends are reached: 16 has a chance ln(17/16) / ln(513/16) ≈ 1.7 %.
    assert!(units.contains(&16), "the narrowest width occurs");
    assert!(units.iter().any(|&u| u > 450), "the widest widths occur");
    units.sort();
    rates.sort_by(f32::total_cmp);
    // Log-uniform: the median is the geometric mean of the ends,
    // √(16 · 512) ≈ 90 units and √(1e-4 · 0.3) ≈ 5.5e-3 (uniform would
    // give 264 and 0.15).
    let (mu, mr) = (units[1000], rates[1000]);
    assert!((75..110).contains(&mu), "median width {mu}");
    assert!((4e-3..7.5e-3).contains(&mr), "median rate {mr}");
}

#[test]
fn resume_runs_only_the_missing_trials() {
    let dir = temp_dir("resume");
    let csv = dir.join("search.csv");
    let log = Mutex::new(Vec::new());
    // A search of 6 that stopped after its first 2 trials …
    let first = run_trials(&search(5, 2, 3, 1), &csv, false, false, fake(&log)).unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(*log.lock().unwrap(), [0, 1]);
    log.lock().unwrap().clear();
    // … resumed with 2 jobs: only trials 2 to 5 train.
    let resumed = run_trials(&search(5, 6, 3, 2), &csv, true, false, fake(&log)).unwrap();
    let mut ran = log.lock().unwrap().clone();
    ran.sort();
    assert_eq!(ran, [2, 3, 4, 5]);
    // The table now holds all six, as one uninterrupted search writes them.
    let whole = run_trials(
        &search(5, 6, 3, 1),
        &dir.join("whole.csv"),
        false,
        false,
        fake(&log),
    )
    .unwrap();
    assert_eq!(untimed(&resumed), untimed(&whole));
    let read = read_finished(&csv, &search(5, 6, 3, 1)).unwrap();
    assert_eq!(untimed(&read), untimed(&whole));
    // Resuming a finished search trains nothing.
    log.lock().unwrap().clear();
    run_trials(&search(5, 6, 3, 1), &csv, true, false, fake(&log)).unwrap();
    assert!(log.lock().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn resume_refuses_a_table_of_another_search() {
    let dir = temp_dir("foreign");
    let csv = dir.join("search.csv");
    let log = Mutex::new(Vec::new());
    run_trials(&search(1, 3, 2, 1), &csv, false, false, fake(&log)).unwrap();
    log.lock().unwrap().clear();
    for other in [search(2, 3, 2, 1), search(1, 3, 4, 1)] {
        let e = run_trials(&other, &csv, true, false, fake(&log)).unwrap_err();
        assert!(matches!(e, SearchError::Csv { .. }), "{e}");
        assert!(e.to_string().contains("another seed"), "{e}");
    }
    // More rows than the search has trials, or a broken file.
    assert!(read_finished(&csv, &search(1, 2, 2, 1)).is_err());
    std::fs::write(&csv, "trial,layers\n0,1\n").unwrap();
    assert!(read_finished(&csv, &search(1, 3, 2, 1)).is_err());
    std::fs::write(
        &csv,
        format!(
            "{}\n0,x,1,1,1,1,1,1\n",
            ch11_tuning::search::CSV_HEADER.join(",")
        ),
    )
    .unwrap();
    assert!(read_finished(&csv, &search(1, 3, 2, 1)).is_err());
    assert!(log.lock().unwrap().is_empty(), "nothing trained");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_search_that_cannot_run_is_an_error() {
    let dir = temp_dir("errors");
    let log = Mutex::new(Vec::new());
    let csv = dir.join("s.csv");
    for bad in [search(1, 0, 1, 1), search(1, 1, 0, 1), search(1, 1, 1, 0)] {
        let e = run_trials(&bad, &csv, false, false, fake(&log)).unwrap_err();
        assert!(matches!(e, SearchError::Invalid(_)), "{e}");
    }
    // A folder where the table should be.
    let e = run_trials(&search(1, 1, 1, 1), &dir, false, false, fake(&log)).unwrap_err();
    assert!(matches!(e, SearchError::Io { .. }), "{e}");
    assert!(log.lock().unwrap().is_empty());
    // A trial that fails: the error comes back, the rows before it stay.
    let failing = |t: &Trial| {
        if t.index == 1 {
            Err(TrainError::InvalidOption("broken".into()))
        } else {
            Ok(Score {
                val_accuracy: 0.5,
                val_loss: 1.0,
            })
        }
    };
    let e = run_trials(&search(1, 3, 1, 1), &csv, false, false, failing).unwrap_err();
    assert!(e.to_string().contains("broken"), "{e}");
    assert_eq!(read_finished(&csv, &search(1, 3, 1, 1)).unwrap().len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_best_trial_has_the_highest_finite_accuracy() {
    let row = |trial, val_accuracy| TrialRecord {
        trial,
        layers: 1,
        units: 16,
        learning_rate: 0.01,
        epochs: 1,
        val_accuracy,
        val_loss: 0.5,
        seconds: 1.0,
    };
    let rows = [row(0, 0.8), row(1, f32::NAN), row(2, 0.85), row(3, 0.85)];
    assert_eq!(best(&rows).map(|r| r.trial), Some(2));
    assert_eq!(best(&[row(0, f32::NAN)]), None);
}

/// The binary, with the data folder `data`.
fn command(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ch11-tuning"))
        .args(args)
        .env("FASHION_MNIST_DIR", data)
        .output()
        .unwrap()
}

#[test]
fn the_command_refuses_bad_settings_before_loading_anything() {
    let dir = temp_dir("cli");
    let missing = dir.join("no-data-here");
    let text = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    for args in [["search", "--trials", "0"], ["search", "--epochs", "0"]] {
        let o = command(&missing, &args);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    }
    // An output path inside a file: refused by name, before the data.
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let inside = file.join("search.csv");
    let o = command(
        &missing,
        &["search", "--csv", inside.to_str().unwrap(), "--no-figures"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--csv"), "{}", text(&o));
    // A table of another seed, refused before the data is loaded.
    let csv = dir.join("search.csv");
    let log = Mutex::new(Vec::new());
    run_trials(&search(7, 2, 5, 1), &csv, false, false, fake(&log)).unwrap();
    let o = command(
        &missing,
        &[
            "search",
            "--resume",
            "--csv",
            csv.to_str().unwrap(),
            "--no-figures",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("another seed"), "{}", text(&o));
    // A missing data folder: an error that names it, not a panic.
    let o = command(
        &missing,
        &[
            "search",
            "--csv",
            dir.join("new.csv").to_str().unwrap(),
            "--no-figures",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("no-data-here"), "{}", text(&o));
    assert!(!text(&o).contains("panicked"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
#[cfg_attr(
    no_fashion_mnist,
    ignore = "Fashion-MNIST not found: set FASHION_MNIST_DIR, or fill data/fashion-mnist with `cargo run --release -p ch07-fashion-mnist`"
)]
fn a_tiny_search_on_real_images_writes_a_table_that_reads_back() {
    let dir = FASHION_MNIST.dir().unwrap_or_else(|e| panic!("{e}"));
    let data = FashionMnist::load_from(&dir).expect("the published Fashion-MNIST files");
    let train = data.train.select(5000..8000).unwrap();
    let valid = data.train.select(0..1000).unwrap();
    let out = temp_dir("tiny");
    let csv = out.join("search.csv");
    let tiny = search(42, 3, 1, 1);
    let rows = run_trials(&tiny, &csv, false, false, |t| {
        train_trial(t, tiny.seed, tiny.epochs, &train, &valid, Engine::Clear)
    })
    .unwrap();
    assert_eq!(rows.len(), 3);
    let read = read_finished(&csv, &tiny).unwrap();
    assert_eq!(read, rows, "the table holds what the search returned");
    let planned = tiny.planned();
    for (r, t) in read.iter().zip(&planned) {
        assert!(r.matches(t, 1), "{r:?} vs {t:?}");
        assert!(r.val_loss.is_finite() && r.seconds > 0.0, "{r:?}");
        assert!((0.0..=1.0).contains(&r.val_accuracy), "{r:?}");
    }
    // Better than chance (0.1) for the best of three, after one epoch on
    // 3 000 images.
    let top = best(&read).unwrap();
    assert!(top.val_accuracy > 0.5, "{read:?}");
    let _ = std::fs::remove_dir_all(out);
}
