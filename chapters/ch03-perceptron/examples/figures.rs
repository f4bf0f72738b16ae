//! Regenerates the figures of chapter 3:
//! `cargo run -p ch03-perceptron --example figures`.

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch03_perceptron::figures::{
    draw_accuracy_history, draw_iris_setosa, draw_one_vs_rest, draw_step_functions,
    draw_xor_failure,
};
use ch03_perceptron::multiclass::fit_with_history;
use ch03_perceptron::{Iris, Perceptron, Species, StepFunction, TrainConfig, xor};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch03-perceptron");
    let wrote = |name: &str| println!("wrote {}", dir.join(name).display());

    save_svg(dir.join("step-functions.svg"), (760, 340), |a| {
        draw_step_functions(a)
    })?;
    wrote("step-functions.svg");

    // Setosa against the rest, as on the page: seed 42, learning rate 0.1.
    let iris = Iris::load();
    let x = iris.petals();
    let y = iris.one_vs_rest_targets(Species::Setosa, StepFunction::Heaviside);
    let mut learned = Perceptron::new(2, 1, StepFunction::Heaviside)?;
    let config = TrainConfig {
        learning_rate: 0.1,
        max_epochs: 100,
        seed: 42,
    };
    learned.fit(x.view(), y.view(), &config)?;
    save_svg(dir.join("iris-setosa.svg"), (820, 540), |a| {
        draw_iris_setosa(a, &iris, &learned, Some((2.0, 0.5)))
    })?;
    wrote("iris-setosa.svg");

    // One-vs-rest: three units on the petal plane, 100 epochs.
    let targets = iris.one_vs_rest_all(StepFunction::Heaviside);
    let classes: Vec<usize> = iris.species.iter().map(|s| s.index()).collect();
    let mut layer = Perceptron::new(2, 3, StepFunction::Heaviside)?;
    let history = fit_with_history(&mut layer, x.view(), targets.view(), &classes, 100, 0.1, 42)?;
    save_svg(dir.join("iris-one-vs-rest.svg"), (820, 540), |a| {
        draw_one_vs_rest(a, &iris, &layer, "One-vs-rest perceptrons after 100 epochs")
    })?;
    wrote("iris-one-vs-rest.svg");
    save_svg(dir.join("iris-ovr-accuracy.svg"), (820, 420), |a| {
        draw_accuracy_history(
            a,
            &history,
            "One-vs-rest on the petal plane: accuracy after each epoch",
        )
    })?;
    wrote("iris-ovr-accuracy.svg");

    // XOR: small random weights (seed 12), learning rate 0.1, 50 epochs.
    let mut rng = ch00_toolbox::seeded_rng(12);
    let mut p = Perceptron::random(2, 1, StepFunction::Heaviside, 0.5, &mut rng)?;
    let states = xor::snapshots(&mut p, 50, 0.1, 12)?;
    save_svg(dir.join("xor-failure.svg"), (960, 440), |a| {
        draw_xor_failure(a, &states)
    })?;
    wrote("xor-failure.svg");
    Ok(())
}
