//! One-vs-rest on Iris: setosa's unit is perfect, the other two cannot be.

use ch03_perceptron::multiclass::{accuracy, predict_classes};
use ch03_perceptron::{Feature, Iris, Perceptron, Species, StepFunction, TrainConfig};

#[test]
fn only_the_setosa_unit_ever_has_a_clean_epoch() {
    let iris = Iris::load();
    let truth: Vec<usize> = iris.species.iter().map(|s| s.index()).collect();
    for features in [
        vec![Feature::PetalLength, Feature::PetalWidth],
        Feature::ALL.to_vec(),
    ] {
        let x = iris.columns(&features);
        let y = iris.one_vs_rest_all(StepFunction::Heaviside);
        let mut p = Perceptron::new(features.len(), 3, StepFunction::Heaviside).unwrap();
        let config = TrainConfig {
            learning_rate: 0.1,
            max_epochs: 1000,
            seed: 42,
        };
        let report = p.fit(x.view(), y.view(), &config).unwrap();
        assert!(!report.converged);
        assert_eq!(report.epochs(), 1000);
        let clean = |unit: usize| report.mistakes.column(unit).iter().any(|&m| m == 0);
        assert!(clean(Species::Setosa.index()), "{features:?}");
        assert!(!clean(Species::Versicolor.index()), "{features:?}");
        assert!(!clean(Species::Virginica.index()), "{features:?}");

        let per_unit = p.accuracy_per_output(x.view(), y.view()).unwrap();
        assert_eq!(per_unit[0], 1.0);
        assert!(per_unit[1] < 1.0 && per_unit[2] < 1.0, "{per_unit}");

        // Combined by the largest net input: better than guessing, not perfect.
        let acc = accuracy(&predict_classes(&p, x.view()).unwrap(), &truth).unwrap();
        assert!(acc > 0.5 && acc < 1.0, "{features:?}: {acc}");
    }
}
