//! A single perceptron cannot learn XOR: whatever the epochs, the learning
//! rate, the shuffling seed, the starting weights or the step function, it
//! never gets more than three of the four points right.

use ch03_perceptron::xor::{correct_after_each_epoch, inputs, targets, targets_for};
use ch03_perceptron::{Perceptron, StepFunction, TrainConfig};

fn starts(step: StepFunction, seed: u64) -> Vec<Perceptron> {
    let mut rng = ch00_toolbox::seeded_rng(1000 + seed);
    vec![
        Perceptron::new(2, 1, step).unwrap(),
        Perceptron::random(2, 1, step, 1.0, &mut rng).unwrap(),
    ]
}

// ANCHOR: no_epoch_count
#[test]
fn no_epoch_count_from_1_to_1000_gets_past_three_of_four() {
    let mut best_seen = 0;
    for step in [StepFunction::Heaviside, StepFunction::Sign] {
        for seed in 0..5 {
            for learning_rate in [0.01, 0.1, 1.0, 10.0] {
                for mut p in starts(step, seed) {
                    let correct =
                        correct_after_each_epoch(&mut p, 1000, learning_rate, seed).unwrap();
                    assert_eq!(correct.len(), 1000);
                    for (epoch, &c) in correct.iter().enumerate() {
                        assert!(
                            c <= 3,
                            "{step:?}, seed {seed}, rate {learning_rate}: {c} of 4 after {} epochs",
                            epoch + 1
                        );
                    }
                    best_seen = best_seen.max(*correct.iter().max().unwrap());
                }
            }
        }
    }
    // The counting works: three of four is reached, so the bound above is
    // a real limit and not a broken counter.
    assert_eq!(best_seen, 3);
}
// ANCHOR_END: no_epoch_count

#[test]
fn one_long_run_is_every_shorter_run() {
    // Checking after each epoch of a 1000-epoch run covers every epoch
    // count, because a fresh k-epoch run makes exactly the same steps.
    let mut long = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
    let all = correct_after_each_epoch(&mut long, 200, 0.1, 4).unwrap();
    for k in [1, 2, 7, 50, 200] {
        let mut short = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
        let some = correct_after_each_epoch(&mut short, k, 0.1, 4).unwrap();
        assert_eq!(some[..], all[..k]);
    }
}

#[test]
fn fit_never_reports_convergence_on_xor() {
    let (x, y) = (inputs(), targets());
    for seed in 0..5 {
        let mut p = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
        let config = TrainConfig {
            learning_rate: 1.0,
            max_epochs: 1000,
            seed,
        };
        let report = p.fit(x.view(), y.view(), &config).unwrap();
        assert!(!report.converged);
        assert_eq!(report.epochs(), 1000);
        assert!(report.mistakes_per_epoch().iter().all(|&m| m >= 1));
        assert!(p.accuracy(x.view(), y.view()).unwrap() <= 0.75);
    }
}

#[test]
fn no_weights_on_a_fine_grid_compute_xor() {
    // Not a proof (the page gives one), but a check of it: every
    // w1, w2, b in [-3, 3] in steps of 0.1 gets at least one point wrong.
    let (x, y) = (inputs(), targets_for(StepFunction::Heaviside));
    let grid: Vec<f32> = (-30..=30).map(|i| i as f32 / 10.0).collect();
    let mut best = 0;
    for &w1 in &grid {
        for &w2 in &grid {
            for &b in &grid {
                let right = (0..4)
                    .filter(|&i| {
                        let z = w1 * x[[i, 0]] + w2 * x[[i, 1]] + b;
                        (if z >= 0.0 { 1.0 } else { 0.0 }) == y[[i, 0]]
                    })
                    .count();
                best = best.max(right);
            }
        }
    }
    assert_eq!(best, 3);
}
