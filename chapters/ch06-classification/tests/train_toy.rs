//! The chapter's two classifiers learn their data sets: a softmax MLP on
//! three spiral arms and a sigmoid MLP on two moons, each checked on a fresh,
//! held-out draw of the same data.

use ch06_classification::classifier::{
    TrainConfig, predict_binary_proba, predict_proba, train_binary, train_multiclass,
};
use ch06_classification::metrics::{accuracy, binary_accuracy};
use ch06_classification::toy_data::{moons_data, spiral_data};

#[test]
fn the_spiral_classifier_separates_three_arms() {
    let (train, test) = (spiral_data(7), spiral_data(8));
    let (mlp, history) = train_multiclass(&train, 3, &TrainConfig::spirals()).unwrap();
    let (first, last) = (history[0], *history.last().unwrap());
    // Chance level is 1/3 and the loss starts near ln 3 ≈ 1.1.
    assert!(first.loss > 0.9, "{first:?}");
    assert!(last.loss < 0.15 * first.loss, "{first:?} → {last:?}");
    assert!(last.accuracy >= 0.95, "training accuracy {}", last.accuracy);
    let held_out = accuracy(mlp.predict(test.x.view()).unwrap().view(), &test.labels).unwrap();
    assert!(held_out >= 0.93, "held-out accuracy {held_out}");
    // Probabilities are probabilities.
    let p = predict_proba(&mlp, test.x.view()).unwrap();
    assert!(p.rows().into_iter().all(|r| (r.sum() - 1.0).abs() < 1e-5));
}

#[test]
fn a_straight_line_cannot_separate_the_spirals() {
    // No hidden layer: softmax regression draws straight boundaries only.
    let (train, test) = (spiral_data(7), spiral_data(8));
    let config = TrainConfig {
        hidden: vec![],
        ..TrainConfig::spirals()
    };
    let (mlp, _) = train_multiclass(&train, 3, &config).unwrap();
    let held_out = accuracy(mlp.predict(test.x.view()).unwrap().view(), &test.labels).unwrap();
    assert!(
        held_out < 0.7,
        "a linear model should fail here, got {held_out}"
    );
}

#[test]
fn the_binary_classifier_separates_the_moons() {
    let (train, test) = (moons_data(7), moons_data(8));
    let (mlp, history) = train_binary(&train, &TrainConfig::moons()).unwrap();
    let last = *history.last().unwrap();
    assert!(last.accuracy >= 0.95, "training accuracy {}", last.accuracy);
    let logits = mlp.predict(test.x.view()).unwrap();
    let held_out = binary_accuracy(logits.view(), test.binary_targets().view()).unwrap();
    assert!(held_out >= 0.95, "held-out accuracy {held_out}");
    let p = predict_binary_proba(&mlp, test.x.view()).unwrap();
    assert!(p.iter().all(|&v| (0.0..=1.0).contains(&v)));
}
