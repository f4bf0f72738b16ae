//! The perceptron separates setosa from the other two species.

use ch03_perceptron::convergence::{novikoff_bound, radius, widest_margin};
use ch03_perceptron::{Feature, Iris, Perceptron, Species, StepFunction, TrainConfig};
use ndarray::array;

fn config(seed: u64) -> TrainConfig {
    TrainConfig {
        learning_rate: 0.1,
        max_epochs: 100,
        seed,
    }
}

#[test]
fn petal_length_and_width_separate_setosa_perfectly_for_every_seed() {
    let iris = Iris::load();
    let x = iris.petals();
    let y = iris.one_vs_rest_targets(Species::Setosa, StepFunction::Heaviside);
    for seed in 0..10 {
        let mut p = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
        let report = p.fit(x.view(), y.view(), &config(seed)).unwrap();
        assert!(report.converged, "seed {seed}: {report:?}");
        assert_eq!(p.accuracy(x.view(), y.view()).unwrap(), 1.0, "seed {seed}");
        // Flowers deep inside each group are classified alike by every seed:
        // petals 1.4 cm × 0.2 cm (a typical setosa) and 4.5 cm × 1.5 cm (a
        // typical versicolor).
        let flowers = array![[1.4, 0.2], [4.5, 1.5]];
        assert_eq!(
            p.predict(flowers.view()).unwrap(),
            array![[1.0], [0.0]],
            "seed {seed}"
        );
    }
}

#[test]
fn a_flower_with_petals_2_cm_by_half_a_cm_is_a_setosa() {
    let iris = Iris::load();
    let x = iris.petals();
    let y = iris.one_vs_rest_targets(Species::Setosa, StepFunction::Heaviside);
    let flower = array![[2.0, 0.5]];
    // The chapter's run (seed 42) says setosa …
    let mut p = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
    p.fit(x.view(), y.view(), &config(42)).unwrap();
    assert_eq!(p.predict(flower.view()).unwrap()[[0, 0]], 1.0);
    // … and so does the separator with the widest margin, which stays as far
    // as possible from both groups.
    let widest = widest_margin(x.view(), &iris.is(Species::Setosa), 20_000).unwrap();
    let q = widest.perceptron().unwrap();
    assert_eq!(q.accuracy(x.view(), y.view()).unwrap(), 1.0);
    assert_eq!(q.predict(flower.view()).unwrap()[[0, 0]], 1.0);
}

#[test]
fn sign_units_learn_the_same_separation() {
    let iris = Iris::load();
    let x = iris.petals();
    let y = iris.one_vs_rest_targets(Species::Setosa, StepFunction::Sign);
    let mut p = Perceptron::new(2, 1, StepFunction::Sign).unwrap();
    assert!(p.fit(x.view(), y.view(), &config(1)).unwrap().converged);
    assert_eq!(p.accuracy(x.view(), y.view()).unwrap(), 1.0);
}

#[test]
fn from_zero_weights_sign_and_heaviside_units_make_the_same_mistakes() {
    let iris = Iris::load();
    let x = iris.petals();
    let y01 = iris.one_vs_rest_targets(Species::Setosa, StepFunction::Heaviside);
    let ypm = iris.one_vs_rest_targets(Species::Setosa, StepFunction::Sign);
    for seed in 0..5 {
        let mut h = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
        let mut s = Perceptron::new(2, 1, StepFunction::Sign).unwrap();
        let rh = h.fit(x.view(), y01.view(), &config(seed)).unwrap();
        let rs = s.fit(x.view(), ypm.view(), &config(seed)).unwrap();
        assert_eq!(rh, rs, "seed {seed}");
        // The sign unit's steps are twice as long.
        assert_eq!(s.weights, h.weights.mapv(|w| 2.0 * w));
    }
}

#[test]
fn setosa_is_separable_in_every_pair_of_features_and_in_all_four() {
    let iris = Iris::load();
    let y = iris.one_vs_rest_targets(Species::Setosa, StepFunction::Heaviside);
    let mut sets: Vec<Vec<Feature>> = Vec::new();
    for a in 0..4 {
        for b in a + 1..4 {
            sets.push(vec![Feature::ALL[a], Feature::ALL[b]]);
        }
    }
    sets.push(Feature::ALL.to_vec());
    for features in sets {
        let x = iris.columns(&features);
        let mut p = Perceptron::new(features.len(), 1, StepFunction::Heaviside).unwrap();
        let report = p
            .fit(
                x.view(),
                y.view(),
                &TrainConfig {
                    max_epochs: 5000,
                    ..config(42)
                },
            )
            .unwrap();
        assert!(report.converged, "{features:?}");
        assert_eq!(p.accuracy(x.view(), y.view()).unwrap(), 1.0, "{features:?}");
    }
}

#[test]
fn mistakes_never_exceed_novikoffs_bound() {
    let iris = Iris::load();
    let labels = iris.is(Species::Setosa);
    for features in [
        vec![Feature::PetalLength, Feature::PetalWidth],
        vec![Feature::SepalLength, Feature::SepalWidth],
    ] {
        let x = iris.columns(&features);
        let y = iris.one_vs_rest_targets(Species::Setosa, StepFunction::Heaviside);
        let separator = widest_margin(x.view(), &labels, 20_000).unwrap();
        assert!(separator.margin > 0.0, "{features:?}: {separator:?}");
        assert!(separator.margin <= separator.upper_bound + 1e-6);
        let bound = novikoff_bound(radius(x.view()), separator.margin).unwrap();
        for seed in 0..5 {
            for learning_rate in [0.01, 0.1, 1.0, 10.0] {
                let mut p = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
                let config = TrainConfig {
                    learning_rate,
                    max_epochs: 5000,
                    seed,
                };
                let report = p.fit(x.view(), y.view(), &config).unwrap();
                assert!(report.converged);
                assert!(
                    report.total_mistakes() as f32 <= bound,
                    "{features:?} seed {seed}: {} mistakes, bound {bound}",
                    report.total_mistakes()
                );
            }
        }
    }
}

#[test]
fn from_zero_weights_the_learning_rate_only_rescales_the_weights() {
    let iris = Iris::load();
    let x = iris.petals();
    let y = iris.one_vs_rest_targets(Species::Setosa, StepFunction::Heaviside);
    let mut slow = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
    let mut fast = slow.clone();
    let rs = slow
        .fit(
            x.view(),
            y.view(),
            &TrainConfig {
                learning_rate: 0.5,
                ..config(3)
            },
        )
        .unwrap();
    let rf = fast
        .fit(
            x.view(),
            y.view(),
            &TrainConfig {
                learning_rate: 2.0,
                ..config(3)
            },
        )
        .unwrap();
    assert_eq!(rs, rf, "the same mistakes in the same epochs");
    // Powers of two keep the arithmetic exact: fast = 4 × slow.
    assert_eq!(fast.weights, slow.weights.mapv(|w| 4.0 * w));
    assert_eq!(fast.bias, slow.bias.mapv(|b| 4.0 * b));
}

#[test]
fn wrong_feature_counts_are_errors_not_panics() {
    let iris = Iris::load();
    let mut p = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
    let four = iris.features.clone();
    let y = iris.one_vs_rest_targets(Species::Setosa, StepFunction::Heaviside);
    let err = p.fit(four.view(), y.view(), &config(0)).unwrap_err();
    assert!(
        err.to_string().contains("[150, 2]") && err.to_string().contains("[150, 4]"),
        "{err}"
    );
}
