//! What the chapter's binary prints about the data set, without the parts
//! that depend on the machine (the folder and the time taken):
//! `FASHION_MNIST_DIR=../shared/data/fashion-mnist cargo run --release -p ch07-fashion-mnist --example files`
//! prints the four files with their sizes, checksums and shapes, and the
//! images per class in each split, and writes them to
//! `book/outputs/ch07-fashion-mnist/files.txt`, which the page includes.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch07_fashion_mnist::dataset::default_source;
use ch07_fashion_mnist::{CLASS_NAMES, FashionMnist};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch07-fashion-mnist"),
        "files",
        "cargo run --release -p ch07-fashion-mnist --example files",
        Compared::Exactly,
    );
    let (data, reports) = FashionMnist::load_with_report(&default_source())?;

    writeln!(
        out,
        "file                              bytes  sha256        contents"
    )?;
    for r in &reports {
        let name = r.path.file_name().unwrap_or_default().to_string_lossy();
        let shape: Vec<String> = r.shape.iter().map(|d| d.to_string()).collect();
        let hash = format!("ok {}…", &r.sha256[..8]);
        writeln!(
            out,
            "{name:<28} {:>10}  {hash:<13} u8 {}",
            r.bytes,
            shape.join(" × ")
        )?;
    }

    let (fit, valid) = data.validation_split();
    let counts = [
        data.train.class_counts(),
        fit.class_counts(),
        valid.class_counts(),
        data.test.class_counts(),
    ];
    writeln!(out)?;
    writeln!(out, "   class          train    fit  valid   test")?;
    for (k, name) in CLASS_NAMES.iter().enumerate() {
        let [train, fit, valid, test] = counts.map(|c| c[k]);
        writeln!(
            out,
            "{k}  {name:<12} {train:>7} {fit:>6} {valid:>6} {test:>6}"
        )?;
    }
    let [train, fit, valid, test] = [data.train.len(), fit.len(), valid.len(), data.test.len()];
    writeln!(
        out,
        "   total        {train:>7} {fit:>6} {valid:>6} {test:>6}"
    )?;
    writeln!(
        out,
        "(valid = the first 5 000 training images, held out; fit = the other 55 000)"
    )?;
    writeln!(out)?;
    let megabytes = (data.train.images.len() + data.test.images.len()) as f64 / 1e6;
    writeln!(out, "{megabytes:.1} MB of u8 pixels in memory")?;
    println!("wrote {}", out.save()?.display());
    Ok(())
}
