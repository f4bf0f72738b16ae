//! The sweeps end to end: a tiny sweep of each kind on the real
//! Fashion-MNIST (a few thousand images, one epoch), its table and its
//! figure; the figures of a made-up report; and the command line's refusals,
//! which come before any data is read.

use std::process::Command;

use ch00_toolbox::figure::svg_string;
use ch00_toolbox::real_data::FASHION_MNIST;
use ch07_fashion_mnist::{FashionMnist, Splits};
use ch09_training::{Engine, EpochRecord};
use ch11_tuning::models::parameter_count;
use ch11_tuning::sweep_figures::{draw_sweep, figure_size};
use ch11_tuning::sweeps::{
    Rule, RunResult, Settings, Sweep, SweepReport, batch_configs, depth_configs, run_sweep,
    width_configs,
};

/// The rows of a sweep's table: the lines between the header and the
/// per-epoch block, split into columns.
fn table_rows(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .skip(2)
        .take_while(|l| !l.starts_with("validation accuracy after each epoch"))
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect()
}

/// The per-epoch block of a sweep's table.
fn epoch_rows(table: &str) -> Vec<&str> {
    table
        .lines()
        .skip_while(|l| !l.starts_with("validation accuracy after each epoch"))
        .skip(1)
        .filter(|l| !l.contains("stopped early"))
        .collect()
}

fn accuracy(cell: &str) -> f32 {
    let a: f32 = cell
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {cell}"));
    assert!((0.0..=1.0).contains(&a), "{cell}");
    a
}

#[test]
#[cfg_attr(
    no_fashion_mnist,
    ignore = "Fashion-MNIST not found: set FASHION_MNIST_DIR, or fill data/fashion-mnist with `cargo run --release -p ch07-fashion-mnist`"
)]
fn a_tiny_sweep_of_each_kind_fills_its_table() {
    let dir = FASHION_MNIST.dir().unwrap_or_else(|e| panic!("{e}"));
    let Splits { train, valid, .. } = FashionMnist::load_from(&dir).unwrap().into_splits();
    let train = train.select(0..3000).unwrap();
    let valid = valid.select(0..1000).unwrap();
    let settings = Settings {
        epochs: 1,
        seed: 42,
        engine: Engine::Auto,
        verbose: false,
    };

    // Depth: two depths at a budget of 50 000 parameters.
    let configs = depth_configs(&[1, 2], 50_000).unwrap();
    let report = run_sweep(Sweep::Depth, &configs, &settings, &train, &valid).unwrap();
    let table = report.table();
    eprintln!("{table}");
    assert!(table.starts_with("depth: "), "{table}");
    assert!(table.contains("3000 training and 1000 validation images, 1 epoch,"));
    let rows = table_rows(&table);
    assert_eq!(rows.len(), 2, "{table}");
    for (row, config) in rows.iter().zip(&configs) {
        assert_eq!(row[0], config.hidden.len().to_string());
        let parameters: usize = row[2].parse().unwrap();
        assert_eq!(parameters, parameter_count(&config.hidden));
        assert!(parameters.abs_diff(50_000) < 500, "{row:?}");
        // Well above chance (0.1) after one epoch on 3 000 images.
        assert!(accuracy(&row[3]) > 0.5, "train accuracy: {row:?}");
        assert!(accuracy(&row[4]) > 0.5, "val accuracy: {row:?}");
        assert_eq!(row[7], "1", "best epoch: {row:?}");
    }
    assert_eq!(epoch_rows(&table).len(), 2);

    // Width: one hidden layer of 16 and 64 units.
    let configs = width_configs(&[16, 64]).unwrap();
    let report = run_sweep(Sweep::Width, &configs, &settings, &train, &valid).unwrap();
    let table = report.table();
    eprintln!("{table}");
    let rows = table_rows(&table);
    assert_eq!(rows.len(), 2, "{table}");
    for (row, width) in rows.iter().zip(["16", "64"]) {
        assert_eq!(row[0], width);
        let gap: f32 = row[4].parse().unwrap();
        let expected = accuracy(&row[2]) - accuracy(&row[3]);
        assert!((gap - expected).abs() < 2e-4, "gap: {row:?}");
    }
    assert!(svg_string(figure_size(Sweep::Width), |a| draw_sweep(a, &report)).is_ok());

    // Batch: 64 at both rates, and 32, where the two rules agree.
    let configs = batch_configs(&[64, 32]).unwrap();
    let report = run_sweep(Sweep::Batch, &configs, &settings, &train, &valid).unwrap();
    let table = report.table();
    eprintln!("{table}");
    let rows = table_rows(&table);
    let firsts: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        firsts,
        [
            ("64", "unscaled", "0.01", "47"),
            ("64", "scaled", "0.02", "47"),
            ("32", "both", "0.01", "94")
        ],
        "{table}"
    );
    for row in &rows {
        assert!(accuracy(&row[4]) > 0.3, "{row:?}");
    }
    // The runs took time, and each sweep's wall time covers its runs.
    let total: f64 = report.runs.iter().map(|r| r.seconds).sum();
    assert!(total > 0.0 && report.seconds >= total, "{report:?}");
    let svg = svg_string(figure_size(Sweep::Batch), |a| draw_sweep(a, &report)).unwrap();
    assert!(svg.contains("batch 64") && svg.contains("against seconds"));
}

fn record(epoch: usize, val_accuracy: f32, seconds: f64) -> EpochRecord {
    EpochRecord {
        epoch,
        loss: 0.5,
        accuracy: Some(0.8),
        mae: None,
        val_loss: Some(1.0 - val_accuracy),
        val_accuracy: Some(val_accuracy),
        val_mae: None,
        seconds,
        engine: Engine::Clear,
        outputs: Vec::new(),
    }
}

/// A report with made-up numbers: each run's accuracy rises by 0.01 an
/// epoch from `start`.
fn made_up(sweep: Sweep, configs: Vec<ch11_tuning::sweeps::Config>) -> SweepReport {
    let runs = configs
        .into_iter()
        .enumerate()
        .map(|(i, config)| RunResult {
            epochs: (1..=3)
                .map(|e| record(e, 0.80 + 0.01 * (i + e) as f32, 1.0 + i as f64))
                .collect(),
            config,
            stopped: None,
            train_accuracy: Some(0.9 + 0.01 * i as f32),
            seconds: 3.0 * (1.0 + i as f64),
        })
        .collect();
    SweepReport {
        sweep,
        settings: Settings {
            epochs: 3,
            seed: 1,
            engine: Engine::Clear,
            verbose: false,
        },
        train_images: 1000,
        valid_images: 100,
        runs,
        seconds: 60.0,
    }
}

#[test]
fn each_figure_draws_its_runs() {
    let depth = made_up(Sweep::Depth, depth_configs(&[1, 2, 3], 266_610).unwrap());
    let svg = svg_string(figure_size(Sweep::Depth), |a| draw_sweep(a, &depth)).unwrap();
    for label in ["1 × 335", "2 × 254", "3 × 217", "Validation loss"] {
        assert!(svg.contains(label), "{label}");
    }

    let width = made_up(Sweep::Width, width_configs(&[50, 500]).unwrap());
    let svg = svg_string(figure_size(Sweep::Width), |a| draw_sweep(a, &width)).unwrap();
    assert!(svg.contains("training accuracy (after training)"));
    assert!(svg.contains("log scale"));

    let batch = made_up(Sweep::Batch, batch_configs(&[16, 32, 64]).unwrap());
    let svg = svg_string(figure_size(Sweep::Batch), |a| draw_sweep(a, &batch)).unwrap();
    // Four panels, a legend in each row: batch 32 (both rules) is in both.
    assert_eq!(svg.matches("against epochs").count(), 2);
    assert_eq!(svg.matches("against seconds").count(), 2);
    assert_eq!(svg.matches("batch 32").count(), 2, "{svg}");
    assert_eq!(svg.matches("batch 16").count(), 2);
    assert!(
        batch
            .runs
            .iter()
            .filter(|r| r.config.rule == Some(Rule::Both))
            .count()
            == 1
    );

    // The table of the made-up depth report: one row per run.
    let table = depth.table();
    let rows = table_rows(&table);
    assert_eq!(rows.len(), 3, "{table}");
    assert_eq!(rows[1][1], "2×254");
    // Best epoch 3, at 0.80 + 0.01 × (1 + 3).
    assert_eq!((rows[1][6].as_str(), rows[1][7].as_str()), ("0.8400", "3"));
    assert_eq!(epoch_rows(&table)[2].split_whitespace().count(), 2 + 3);
    // An empty run: dashes, not a panic.
    let mut empty = made_up(Sweep::Width, width_configs(&[10]).unwrap());
    empty.runs[0].epochs.clear();
    empty.runs[0].train_accuracy = None;
    assert!(rows_of(&empty).iter().all(|r| r.contains(&"-".to_string())));
    assert!(svg_string(figure_size(Sweep::Width), |a| draw_sweep(a, &empty)).is_ok());
}

fn rows_of(report: &SweepReport) -> Vec<Vec<String>> {
    table_rows(&report.table())
}

/// Runs the sweep command with no data in reach: a refusal must come
/// before the data is looked for.
fn sweep(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ch11-tuning"))
        .arg("sweep")
        .args(args)
        .env("FASHION_MNIST_DIR", "/nonexistent/fashion-mnist")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn mistakes_are_refused_before_any_data_is_read() {
    let file = std::env::temp_dir().join(format!("ch11-sweeps-{}", std::process::id()));
    std::fs::write(&file, "a file, not a folder").unwrap();
    let cases: [(Vec<&str>, &str); 5] = [
        (
            vec!["batch", "--batch-sizes", "8,0"],
            "batch size must be at least 1",
        ),
        (
            vec!["depth", "--budget", "100"],
            "no width of 1 hidden layer(s)",
        ),
        (
            vec!["width", "--epochs", "0"],
            "number of epochs must be at least 1",
        ),
        (vec!["depth", "--depths", "0"], "a depth must be at least 1"),
        (
            vec!["width", "--figures", file.to_str().unwrap()],
            "is a file, not a folder",
        ),
    ];
    for (args, expected) in cases {
        let (ok, stderr) = sweep(&args);
        assert!(!ok, "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("nonexistent"), "{args:?}: {stderr}");
    }
    let _ = std::fs::remove_file(file);
    // An empty list is refused by the command line itself.
    let (ok, stderr) = sweep(&["width", "--widths", ""]);
    assert!(!ok && stderr.contains("--widths"), "{stderr}");
    // With every setting right, the missing data is what is reported.
    let (ok, stderr) = sweep(&["width", "--no-figures"]);
    assert!(!ok && stderr.contains("nonexistent"), "{stderr}");
}
