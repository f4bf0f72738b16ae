//! Whatever a caller hands the chapter's public functions, the answer is
//! `Ok` or an error, never a panic.

use ch04_backprop::Activation;
use ch08_sequential::{Dense, Flatten, LossKind, Metric, Sequential, Sgd, Softmax};
use hostile_inputs::{any_matrix, any_size, any_value};
use ndarray::{Array2, ArrayD, IxDyn};
use proptest::prelude::*;

#[test]
fn layers_too_large_to_hold_are_errors() {
    // Before, ndarray panicked: "Shape too large".
    let mut m = Sequential::new(0);
    assert!(m.add(Flatten::new([usize::MAX, 2])).is_err());
    assert!(m.add(Flatten::new([1 << 40, 1 << 30])).is_err());
    assert!(
        m.add(Dense::new(usize::MAX, Activation::Relu).with_inputs(3))
            .is_err()
    );
    assert!(
        m.add(Dense::new(3, Activation::Relu).with_inputs(usize::MAX))
            .is_err()
    );
    assert!(m.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn models_never_panic(
        shape in proptest::collection::vec(any_size(), 0..3),
        units in any_size(),
        x in any_matrix(),
        y in any_matrix(),
        labels in proptest::collection::vec(any::<u8>(), 0..5),
        lr in any_value(),
        momentum in any_value(),
        softmax_end in any::<bool>(),
        loss in 0usize..3,
        weights in proptest::collection::vec(any_size(), 0..3),
    ) {
        let mut m = Sequential::new(1);
        let _ = m.add(Flatten::new(shape.clone()));
        let _ = m.add(Dense::new(units.min(1 << 41), Activation::Relu));
        let _ = m.add(Dense::new(3, Activation::Tanh).with_inputs(x.ncols()));
        if softmax_end {
            let _ = m.add(Dense::new(3, Softmax));
        }
        let loss = [LossKind::SparseCategoricalCrossEntropy, LossKind::MeanSquaredError, LossKind::MeanAbsoluteError][loss];
        // A bad rate or momentum is refused here; a good one is compiled.
        let sgd = Sgd::new(lr).and_then(|s| s.with_momentum(momentum));
        prop_assert_eq!(
            sgd.is_ok(),
            lr.is_finite() && lr > 0.0 && (0.0..1.0).contains(&momentum)
        );
        let sgd = sgd.unwrap_or_else(|_| Sgd::new(0.01).unwrap());
        let _ = m.compile(loss, sgd.clone(), &[Metric::Accuracy]);
        let _ = m.compile(loss, sgd, &[]);
        let _ = m.predict(x.view());
        let _ = m.train_on_batch(x.view(), &labels);
        let _ = m.train_on_batch(x.view(), y.view());
        let _ = m.test_on_batch(x.view(), &labels);
        let _ = m.summary().to_string();
        if let Some(c) = m.compiled_mut() {
            let _ = c.optimizer.set_learning_rate(lr);
            if let Ok(sgd) = Sgd::new(lr).and_then(|s| s.with_momentum(momentum)) {
                c.optimizer = sgd;
            }
        }
        let _ = m.train_on_batch(x.view(), &labels);
        let dims: Vec<usize> = weights.iter().map(|&w| w.min(4)).collect();
        let _ = m.set_weights(&[ArrayD::zeros(IxDyn(&dims))]);
        let _: Array2<f32> = y;
    }
}
