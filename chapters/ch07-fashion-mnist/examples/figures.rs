//! Regenerates the figures of chapter 7:
//! `FASHION_MNIST_DIR=../shared/data/fashion-mnist cargo run -p ch07-fashion-mnist --example figures`
//! (without the variable, the data set is loaded from, or downloaded into,
//! the cache `data/fashion-mnist/`).

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch07_fashion_mnist::FashionMnist;
use ch07_fashion_mnist::figures::{draw_class_counts, draw_class_means, draw_sample_grid};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch07-fashion-mnist");
    let data = FashionMnist::load()?;
    let (train, valid) = data.validation_split();

    let path = dir.join("sample-grid.svg");
    save_svg(&path, (1000, 500), |a| {
        draw_sample_grid(a, &data.train, 4, 10)
    })?;
    println!("wrote {}", path.display());

    let path = dir.join("class-counts.svg");
    save_svg(&path, (1000, 760), |a| {
        let (upper, lower) = a.split_vertically(380);
        draw_class_counts(
            &upper,
            "Images per class in the published splits",
            &[
                ("train (60 000)", data.train.class_counts()),
                ("test (10 000)", data.test.class_counts()),
            ],
            None,
        )?;
        draw_class_counts(
            &lower,
            "Images per class after holding out the first 5 000 for validation",
            &[("validation (5 000)", valid.class_counts())],
            Some(valid.len() as f64 / 10.0),
        )
    })?;
    println!("wrote {}", path.display());

    let path = dir.join("class-means.svg");
    let means = train.class_means();
    save_svg(&path, (1000, 480), |a| draw_class_means(a, &means))?;
    println!("wrote {}", path.display());
    Ok(())
}
