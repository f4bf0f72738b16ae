//! Prints every number chapter 3 quotes:
//! `cargo run -p ch03-perceptron --example numbers`.
//!
//! Each section is also written to `book/outputs/ch03-perceptron/` (`setosa`,
//! `novikoff`, `one-vs-rest`, `accuracy-history`, `xor`), where the page
//! includes or quotes it; `distance-rule` holds the answer to exercise 3.

use ch03_perceptron::convergence::{novikoff_bound, radius, widest_margin};
use ch03_perceptron::multiclass::{accuracy, confusion, fit_with_history, predict_classes};
use ch03_perceptron::{Feature, Iris, Perceptron, Species, StepFunction, TrainConfig, xor};
use ndarray::{Axis, array};
use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};

/// A report of this example, saved under `book/outputs/ch03-perceptron/`.
fn output(name: &str) -> Output {
    Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch03-perceptron"),
        name,
        "cargo run -p ch03-perceptron --example numbers",
        // Net inputs are short f32 dot products in ndarray, whose summation
        // order may depend on the CPU: the printed digits are what is promised.
        Compared::AsPrinted("3 to 4 decimals, weights in full"),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let iris = Iris::load();
    let step = StepFunction::Heaviside;

    println!("== Setosa against the rest, petal length and width ==");
    let mut out = output("setosa");
    // ANCHOR: setosa
    let x = iris.petals();
    let y = iris.one_vs_rest_targets(Species::Setosa, step);
    let config = TrainConfig {
        learning_rate: 0.1,
        max_epochs: 100,
        seed: 42,
    };
    let mut p = Perceptron::new(2, 1, step)?;
    let report = p.fit(x.view(), y.view(), &config)?;
    writeln!(
        out,
        "seed 42: {} epochs, mistakes per epoch {:?}, converged: {}",
        report.epochs(),
        report.mistakes_per_epoch(),
        report.converged
    )?;
    writeln!(out, "weights {}, bias {}", p.weights.column(0), p.bias[0])?;
    writeln!(out, "training accuracy {}", p.accuracy(x.view(), y.view())?)?;
    let flower = array![[2.0f32, 0.5]];
    writeln!(
        out,
        "net input for petals 2 cm x 0.5 cm: {:.3} -> setosa? {}",
        p.net_input(flower.view())?[[0, 0]],
        p.predict(flower.view())?[[0, 0]] == 1.0
    )?;
    // ANCHOR_END: setosa
    let mut says_setosa = 0;
    let mut epochs = Vec::new();
    for seed in 0..100 {
        let mut q = Perceptron::new(2, 1, step)?;
        let r = q.fit(x.view(), y.view(), &TrainConfig { seed, ..config })?;
        epochs.push(r.epochs());
        if q.predict(flower.view())?[[0, 0]] == 1.0 {
            says_setosa += 1;
        }
    }
    writeln!(
        out,
        "seeds 0..100: epochs from {} to {}; the new flower is called setosa by {says_setosa} of 100",
        epochs.iter().min().unwrap_or(&0),
        epochs.iter().max().unwrap_or(&0)
    )?;

    println!("wrote {}", out.save()?.display());

    println!("\n== Novikoff's bound ==");
    let mut out = output("novikoff");
    for features in [
        [Feature::PetalLength, Feature::PetalWidth],
        [Feature::SepalLength, Feature::SepalWidth],
    ] {
        let x = iris.columns(&features);
        let r = radius(x.view());
        let s = widest_margin(x.view(), &iris.is(Species::Setosa), 100_000)?;
        let bound = novikoff_bound(r, s.margin).unwrap_or(f32::NAN);
        let mut most = 0;
        for seed in 0..10 {
            let mut q = Perceptron::new(2, 1, step)?;
            let rep = q.fit(
                x.view(),
                y.view(),
                &TrainConfig {
                    max_epochs: 5000,
                    seed,
                    ..config
                },
            )?;
            most = most.max(rep.total_mistakes());
        }
        writeln!(
            out,
            "{} and {}: R = {r:.3}, widest margin between {:.4} and {:.4}, bound (R/γ)² = {bound:.0}, most mistakes over seeds 0..10 = {most}",
            features[0].name(),
            features[1].name(),
            s.margin,
            s.upper_bound
        )?;
    }

    println!("wrote {}", out.save()?.display());

    println!("\n== One-vs-rest, three units, learning rate 0.1, seed 42 ==");
    let mut out = output("one-vs-rest");
    let truth: Vec<usize> = iris.species.iter().map(|s| s.index()).collect();
    for (name, features) in [
        (
            "petal length and width",
            vec![Feature::PetalLength, Feature::PetalWidth],
        ),
        ("all four features", Feature::ALL.to_vec()),
    ] {
        let x = iris.columns(&features);
        let y = iris.one_vs_rest_all(step);
        for epochs in [10, 100, 1000] {
            let mut p = Perceptron::new(features.len(), 3, step)?;
            let config = TrainConfig {
                learning_rate: 0.1,
                max_epochs: epochs,
                seed: 42,
            };
            let rep = p.fit(x.view(), y.view(), &config)?;
            let per_unit = p.accuracy_per_output(x.view(), y.view())?;
            let classes = predict_classes(&p, x.view())?;
            let clean: Vec<bool> = (0..3)
                .map(|j| rep.mistakes.column(j).iter().any(|&m| m == 0))
                .collect();
            writeln!(
                out,
                "{name}, {epochs:4} epochs: per unit {per_unit:.3}, a clean epoch per unit {clean:?}, three species {:.3}",
                accuracy(&classes, &truth)?
            )?;
            if epochs == 100 {
                writeln!(
                    out,
                    "    confusion (rows true, columns predicted): {:?}",
                    confusion(&classes, &truth, 3)?
                )?;
            }
        }
        let (train, test) = iris.split(10, 42);
        let mut p = Perceptron::new(features.len(), 3, step)?;
        let (xtr, xte) = (train.columns(&features), test.columns(&features));
        let config = TrainConfig {
            learning_rate: 0.1,
            max_epochs: 100,
            seed: 42,
        };
        p.fit(xtr.view(), train.one_vs_rest_all(step).view(), &config)?;
        let classes_of =
            |set: &Iris| -> Vec<usize> { set.species.iter().map(|s| s.index()).collect() };
        writeln!(
            out,
            "{name}, 120 train / 30 test flowers, 100 epochs: train {:.3}, test {:.3}",
            accuracy(&predict_classes(&p, xtr.view())?, &classes_of(&train))?,
            accuracy(&predict_classes(&p, xte.view())?, &classes_of(&test))?
        )?;
    }

    println!("wrote {}", out.save()?.display());

    println!("\n== One-vs-rest on the petals, accuracy after each of 100 epochs ==");
    let mut out = output("accuracy-history");
    let x = iris.petals();
    let targets = iris.one_vs_rest_all(step);
    let mut layer = Perceptron::new(2, 3, step)?;
    let history = fit_with_history(&mut layer, x.view(), targets.view(), &truth, 100, 0.1, 42)?;
    let range = |values: &mut dyn Iterator<Item = f32>| {
        values.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
    };
    for species in Species::ALL {
        let j = species.index();
        let (lo, hi) = range(&mut history.per_unit.iter().map(|u| u[j]));
        writeln!(
            out,
            "{species:?} unit: from {lo:.2} to {hi:.2}; after epoch 1 {:.2}",
            history.per_unit[0][j]
        )?;
    }
    let (lo, hi) = range(&mut history.combined.iter().copied());
    writeln!(out, "three species: from {lo:.2} to {hi:.2}")?;
    println!("wrote {}", out.save()?.display());

    println!("\n== Exercise 3: the largest distance instead of the largest net input ==");
    let mut out = output("distance-rule");
    let mut p = Perceptron::new(2, 3, step)?;
    let config = TrainConfig {
        learning_rate: 0.1,
        max_epochs: 100,
        seed: 42,
    };
    p.fit(x.view(), targets.view(), &config)?;
    let norms = p.weights.map_axis(Axis(0), |c| c.dot(&c).sqrt());
    let distances = p.net_input(x.view())? / &norms;
    let by_distance: Vec<usize> = distances
        .rows()
        .into_iter()
        .map(|row| {
            (0..row.len())
                .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                .unwrap_or(0)
        })
        .collect();
    writeln!(
        out,
        "petals, 100 epochs: largest net input {:.3}, largest distance {:.3}",
        accuracy(&predict_classes(&p, x.view())?, &truth)?,
        accuracy(&by_distance, &truth)?
    )?;
    println!("wrote {}", out.save()?.display());

    println!("\n== XOR ==");
    let mut out = output("xor");
    let mut best = 0;
    for seed in 0..5 {
        for learning_rate in [0.01, 0.1, 1.0, 10.0] {
            let mut p = Perceptron::new(2, 1, step)?;
            let correct = xor::correct_after_each_epoch(&mut p, 1000, learning_rate, seed)?;
            best = best.max(correct.iter().copied().max().unwrap_or(0));
        }
    }
    writeln!(
        out,
        "most points right after any of 1000 epochs, 5 seeds, 4 learning rates: {best} of 4"
    )?;
    println!("wrote {}", out.save()?.display());
    Ok(())
}
