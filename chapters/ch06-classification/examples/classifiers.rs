//! The numbers chapter 6 quotes about its two toy classifiers:
//! `cargo run --release -p ch06-classification --example classifiers` trains
//! the spiral classifier (softmax) and the moons classifier (sigmoid), prints
//! their losses and accuracies, and writes them to
//! `book/outputs/ch06-classification/spirals.txt` and `moons.txt`, which the
//! page includes.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch06_classification::classifier::{TrainConfig, train_binary, train_multiclass};
use ch06_classification::metrics::{accuracy, binary_accuracy};
use ch06_classification::toy_data::{moons_data, spiral_data};

/// A report of this example, saved under `book/outputs/ch06-classification/`.
fn output(name: &str) -> Output {
    Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch06-classification"),
        name,
        "cargo run --release -p ch06-classification --example classifiers",
        // Matrix products sum in an order that may depend on the CPU.
        Compared::AsPrinted("3 and 4 decimals"),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Three spiral arms: softmax output, cross-entropy.
    let mut out = output("spirals");
    let train = spiral_data(7);
    let test = spiral_data(8);
    let (mlp, history) = train_multiclass(&train, 3, &TrainConfig::spirals())?;
    let last = history.last().copied().ok_or("no epochs")?;
    let test_acc = accuracy(mlp.predict(test.x.view())?.view(), &test.labels)?;
    writeln!(
        out,
        "spirals: epoch {} loss {:.4}, train accuracy {:.3}, held-out accuracy {:.3}",
        last.epoch, last.loss, last.accuracy, test_acc
    )?;
    for e in [1, 10, 50, 100, 200] {
        if let Some(s) = history.get(e - 1) {
            writeln!(
                out,
                "  epoch {:>3}: loss {:.4}, accuracy {:.3}",
                s.epoch, s.loss, s.accuracy
            )?;
        }
    }
    // Where the held-out points it gets wrong lie: their distance from the
    // centre, where all three arms start.
    let predicted = mlp.predict(test.x.view())?;
    let mut wrong: Vec<f32> = Vec::new();
    for (i, row) in predicted.rows().into_iter().enumerate() {
        let class = (0..row.len())
            .max_by(|&a, &b| row[a].total_cmp(&row[b]))
            .unwrap_or(0);
        if class != usize::from(test.labels[i]) {
            wrong.push(test.x.row(i).dot(&test.x.row(i)).sqrt());
        }
    }
    wrong.sort_by(f32::total_cmp);
    let distances: Vec<String> = wrong.iter().map(|d| format!("{d:.3}")).collect();
    writeln!(
        out,
        "held-out points in the wrong region: {} of {}, at distances from the centre [{}]",
        wrong.len(),
        test.len(),
        distances.join(", ")
    )?;
    // No hidden layer: softmax regression, straight boundaries only.
    let linear = TrainConfig {
        hidden: vec![],
        ..TrainConfig::spirals()
    };
    let (mlp, _) = train_multiclass(&train, 3, &linear)?;
    let linear_acc = accuracy(mlp.predict(test.x.view())?.view(), &test.labels)?;
    writeln!(
        out,
        "no hidden layer (softmax regression): held-out accuracy {linear_acc:.3}"
    )?;
    println!("wrote {}", out.save()?.display());

    // Two moons: one sigmoid output, binary cross-entropy.
    let mut out = output("moons");
    let train = moons_data(7);
    let test = moons_data(8);
    let (mlp, history) = train_binary(&train, &TrainConfig::moons())?;
    let last = history.last().copied().ok_or("no epochs")?;
    let test_acc = binary_accuracy(
        mlp.predict(test.x.view())?.view(),
        test.binary_targets().view(),
    )?;
    writeln!(
        out,
        "moons: epoch {} loss {:.4}, train accuracy {:.3}, held-out accuracy {:.3}",
        last.epoch, last.loss, last.accuracy, test_acc
    )?;
    println!("wrote {}", out.save()?.display());
    Ok(())
}
