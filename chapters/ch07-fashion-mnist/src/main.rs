//! Loads and verifies Fashion-MNIST, then prints what it found:
//! `cargo run --release -p ch07-fashion-mnist`.
//!
//! The files come from the folder `FASHION_MNIST_DIR` names, or else from the
//! cache `data/fashion-mnist/`, downloaded on first use. On any problem the
//! program prints one line naming the file and exits with status 1.

#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::Instant;

use ch00_toolbox::download::Source;
use ch07_fashion_mnist::dataset::default_source;
use ch07_fashion_mnist::{CLASS_NAMES, FashionMnist};

fn main() -> ExitCode {
    let source = default_source();
    match &source {
        Source::Provided { variable, dir } => {
            println!("Fashion-MNIST from {} ({variable})", dir.display())
        }
        Source::Cache(dir) => println!("Fashion-MNIST from the cache {}", dir.display()),
    }
    // ANCHOR: timed_load
    let start = Instant::now();
    let (data, reports) = match FashionMnist::load_with_report(&source) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let elapsed = start.elapsed();
    // ANCHOR_END: timed_load

    println!();
    println!("file                              bytes  sha256        contents");
    for r in &reports {
        let name = r.path.file_name().unwrap_or_default().to_string_lossy();
        let shape: Vec<String> = r.shape.iter().map(|d| d.to_string()).collect();
        let hash = format!("ok {}…", &r.sha256[..8]);
        println!(
            "{name:<28} {:>10}  {hash:<13} u8 {}",
            r.bytes,
            shape.join(" × ")
        );
    }

    let (fit, valid) = data.validation_split();
    let counts = [
        data.train.class_counts(),
        fit.class_counts(),
        valid.class_counts(),
        data.test.class_counts(),
    ];
    println!();
    println!("   class          train    fit  valid   test");
    for (k, name) in CLASS_NAMES.iter().enumerate() {
        let [train, fit, valid, test] = counts.map(|c| c[k]);
        println!("{k}  {name:<12} {train:>7} {fit:>6} {valid:>6} {test:>6}");
    }
    let sizes = [data.train.len(), fit.len(), valid.len(), data.test.len()];
    let [train, fit, valid, test] = sizes;
    println!("   total        {train:>7} {fit:>6} {valid:>6} {test:>6}");
    println!("(valid = the first 5 000 training images, held out; fit = the other 55 000)");
    println!();
    let megabytes = (data.train.images.len() + data.test.images.len()) as f64 / 1e6;
    println!(
        "{megabytes:.1} MB of u8 pixels in memory; loaded and verified in {:.3} s",
        elapsed.as_secs_f64()
    );
    ExitCode::SUCCESS
}
