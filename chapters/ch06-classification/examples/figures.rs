//! Regenerates the figures of chapter 6:
//! `cargo run -p ch06-classification --example figures`. The numbers the page
//! quotes come from `--example classifiers`, which trains the same networks.

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch06_classification::classifier::{TrainConfig, train_binary, train_multiclass};
use ch06_classification::figures::{draw_ce_vs_squared, draw_decision_regions, draw_training};
use ch06_classification::toy_data::{moons_data, spiral_data};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch06-classification");

    // Three spiral arms: softmax output, cross-entropy.
    let train = spiral_data(7);
    let test = spiral_data(8);
    let config = TrainConfig::spirals();
    let (mlp, history) = train_multiclass(&train, 3, &config)?;
    let names = ["arm", "arm", "arm"];
    let path = dir.join("spiral-regions.svg");
    save_svg(&path, (640, 640), |a| {
        draw_decision_regions(
            a,
            "2-32-32-3 MLP, softmax output: regions and held-out points",
            &mlp,
            &test,
            &names,
        )
    })?;
    println!("wrote {}", path.display());
    let path = dir.join("spiral-training.svg");
    save_svg(&path, (860, 380), |a| {
        draw_training(
            a,
            "Training the spiral classifier (SGD, lr 0.1, batch 32)",
            &history,
        )
    })?;
    println!("wrote {}", path.display());

    // Two moons: one sigmoid output, binary cross-entropy.
    let train = moons_data(7);
    let test = moons_data(8);
    let (mlp, _) = train_binary(&train, &TrainConfig::moons())?;
    let path = dir.join("moons-regions.svg");
    save_svg(&path, (640, 640), |a| {
        draw_decision_regions(
            a,
            "2-16-16-1 MLP, sigmoid output: regions and held-out points",
            &mlp,
            &test,
            &["moon", "moon"],
        )
    })?;
    println!("wrote {}", path.display());

    let path = dir.join("ce-vs-squared.svg");
    // A closure, not the bare function: it stays generic over the backend's lifetime.
    #[allow(clippy::redundant_closure)]
    save_svg(&path, (720, 440), |a| draw_ce_vs_squared(a))?;
    println!("wrote {}", path.display());
    Ok(())
}
