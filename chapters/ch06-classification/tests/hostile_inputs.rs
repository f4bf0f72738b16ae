//! Whatever a caller hands the chapter's public functions, the answer is
//! `Ok` or an error, never a panic.

use ch06_classification::binary::sigmoid_array;
use ch06_classification::classifier::{
    TrainConfig, classifier_mlp, train_binary, train_multiclass,
};
use ch06_classification::cross_entropy::{one_hot, sparse_categorical_cross_entropy};
use ch06_classification::metrics::{accuracy, binary_accuracy, predicted_classes};
use ch06_classification::softmax::{log_softmax, softmax};
use ch06_classification::toy_data::{Labelled, moons, spirals};
use hostile_inputs::{any_matrix, any_size, any_value};
use ndarray::Array2;
use proptest::prelude::*;

#[test]
fn one_hot_tables_too_large_to_hold_are_errors() {
    // Before, ndarray panicked on the shape [0, usize::MAX].
    assert!(one_hot::<u8>(&[], usize::MAX).is_err());
    assert!(one_hot(&[1u8, 2], usize::MAX / 2).is_err());
    assert_eq!(one_hot(&[1u8], 3).unwrap().sum(), 1.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn losses_metrics_and_training_never_panic(
        z in any_matrix(),
        t in any_matrix(),
        labels in proptest::collection::vec(any::<u8>(), 0..5),
        classes in any_size(),
        hidden in proptest::collection::vec(any_size(), 0..3),
        lr in any_value(),
        batch in any_size(),
        epochs in prop_oneof![0usize..3, Just(usize::MAX)],
        per_class in any_size(),
        noise in any_value(),
    ) {
        let _ = softmax(z.view());
        let _ = log_softmax(z.view());
        let _ = sigmoid_array(z.view());
        let _ = sparse_categorical_cross_entropy(z.view(), &labels);
        let _ = one_hot(&labels, classes);
        let _ = predicted_classes(z.view());
        let _ = accuracy(z.view(), &labels);
        let _ = binary_accuracy(z.view(), t.view());
        let _ = classifier_mlp(z.ncols(), &hidden, classes, 0);
        let _ = spirals(per_class.min(1 << 40), 3, noise, noise, 0);
        let _ = moons(per_class.min(1 << 40), noise, 0);
        // Every epoch count is tried, even usize::MAX, with a rate that
        // fails at once or data that fails at once.
        let config = TrainConfig { hidden: hidden.iter().map(|&h| h.min(4)).collect(), learning_rate: lr, batch_size: batch, epochs: if lr.is_finite() && lr > 0.0 { epochs.min(2) } else { epochs }, seed: 0 };
        let data = Labelled { x: z.clone(), labels: labels.clone() };
        let _ = train_multiclass(&data, classes.min(8), &config);
        let _ = train_binary(&data, &config);
        let _ = Labelled::new(z.clone(), labels);
        let _: Array2<f32> = t;
    }
}
