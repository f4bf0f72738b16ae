//! What a reader would check about the Sequential model.

use ch00_toolbox::seeded_rng;
use ch04_backprop::{Activation, NetError};
use ch08_sequential::{
    Dense, Flatten, Layer, LossKind, Metric, Sequential, Sgd, Softmax, reference_model,
};
use ndarray::{Array2, Array3, ArrayD, Axis};
use rand::Rng;

#[test]
fn the_reference_model_has_266_610_parameters() {
    let model = reference_model(42).unwrap();
    let summary = model.summary();
    let params: Vec<usize> = summary.rows.iter().map(|r| r.params).collect();
    assert_eq!(params, vec![0, 235_500, 30_100, 1_010]);
    assert_eq!(summary.total_params(), 266_610);
    assert_eq!(model.parameter_count(), 266_610);
    let names: Vec<&str> = summary.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["flatten_1", "dense_1", "dense_2", "dense_3"]);
    let shapes: Vec<Vec<usize>> = summary
        .rows
        .iter()
        .map(|r| r.output_shape.clone())
        .collect();
    assert_eq!(shapes, vec![vec![784], vec![300], vec![100], vec![10]]);
    let text = summary.to_string();
    println!("{text}");
    assert!(text.contains("dense_1 (Dense)"));
    assert!(text.contains("(None, 300)"));
    assert!(text.contains("235,500"));
    assert!(text.contains("Total params: 266,610"));
    // Every table line has the same width.
    let widths: Vec<usize> = text
        .lines()
        .skip(1)
        .take(8)
        .map(|l| l.chars().count())
        .collect();
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{widths:?}");
}

#[test]
fn the_same_seed_gives_the_same_weights_and_another_seed_others() {
    let a = reference_model(7).unwrap().get_weights();
    let b = reference_model(7).unwrap().get_weights();
    let c = reference_model(8).unwrap().get_weights();
    assert_eq!(a, b);
    assert_ne!(a, c);
    // Biases start at zero, weights within the Glorot limit of their layer.
    let model = reference_model(7).unwrap();
    for (name, tensor) in model.parameters() {
        if name.ends_with(".bias") {
            assert!(tensor.iter().all(|&v| v == 0.0), "{name}");
        } else {
            let (n_in, n_out) = (tensor.shape()[0], tensor.shape()[1]);
            let limit = (6.0 / (n_in + n_out) as f32).sqrt();
            assert!(tensor.iter().all(|v| v.abs() <= limit), "{name}");
        }
    }
}

#[test]
fn predict_takes_images_or_rows_and_returns_probabilities() {
    let model = reference_model(1).unwrap();
    let images = Array3::from_shape_fn((3, 28, 28), |(i, r, c)| {
        ((i * 7 + r * 3 + c) % 11) as f32 / 10.0
    });
    let p = model.predict(images.view()).unwrap();
    assert_eq!(p.dim(), (3, 10));
    for row in p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-5);
        assert!(row.iter().all(|&v| v > 0.0));
    }
    let rows = images.to_shape((3, 784)).unwrap().to_owned();
    assert_eq!(model.predict(rows.view()).unwrap(), p);
    // A non-contiguous view (every other image) works too.
    let every_other = images.slice(ndarray::s![..;2, .., ..]);
    let q = model.predict(every_other).unwrap();
    assert_eq!(q.row(1), p.row(2));
}

#[test]
fn user_mistakes_are_errors_that_say_what_is_wrong() {
    let mut model = reference_model(1).unwrap();
    // Images of the wrong size.
    let err = model
        .predict(Array3::<f32>::zeros((2, 27, 28)).view())
        .unwrap_err();
    assert!(err.to_string().contains("[_, 28, 28]"), "{err}");
    // An empty batch.
    assert_eq!(
        model.predict(Array2::<f32>::zeros((0, 784)).view()),
        Err(NetError::EmptyBatch)
    );
    // Training before compile.
    let x = Array2::<f32>::zeros((2, 784));
    assert!(
        model
            .train_on_batch(x.view(), &[1, 2])
            .unwrap_err()
            .to_string()
            .contains("compile")
    );
    model
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(0.01).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap();
    // Labels: wrong count, out of range.
    let err = model.train_on_batch(x.view(), &[1]).unwrap_err();
    assert!(err.to_string().contains("labels"), "{err}");
    let err = model.train_on_batch(x.view(), &[1, 10]).unwrap_err();
    assert!(err.to_string().contains("out of range"), "{err}");
    // Bad optimizer settings never reach `compile`: `Sgd` refuses them.
    assert!(Sgd::new(-1.0).is_err());
    assert!(Sgd::new(0.1).unwrap().with_momentum(1.0).is_err());
    // Cross-entropy without softmax.
    let mut logits_only = Sequential::new(0);
    logits_only
        .add(Dense::new(3, Activation::Identity).with_inputs(4))
        .unwrap();
    let err = logits_only
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(0.1).unwrap(),
            &[],
        )
        .unwrap_err();
    assert!(err.to_string().contains("Softmax"), "{err}");
    // An empty model.
    assert!(
        Sequential::new(0)
            .compile(LossKind::MeanSquaredError, Sgd::new(0.1).unwrap(), &[])
            .is_err()
    );
    assert!(Sequential::new(0).predict(x.view()).is_err());
}

#[test]
fn adding_layers_checks_shapes_and_leaves_the_model_unchanged_on_error() {
    let mut model = Sequential::new(0);
    let err = model.add(Dense::new(10, Activation::Relu)).unwrap_err();
    assert!(err.to_string().contains("input shape"), "{err}");
    assert!(model.is_empty());
    model.add(Flatten::new([28, 28])).unwrap();
    // A Dense layer that declares the wrong number of inputs.
    assert!(
        model
            .add(Dense::new(10, Activation::Relu).with_inputs(100))
            .is_err()
    );
    assert!(model.add(Dense::new(0, Activation::Relu)).is_err());
    assert_eq!(model.len(), 1);
    model.add(Dense::new(10, Softmax)).unwrap();
    assert_eq!(model.output_shape(), Some(&[10][..]));
    // Adding a layer after compile asks for a new compile.
    model
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(0.1).unwrap(),
            &[],
        )
        .unwrap();
    model.add(Dense::new(5, Softmax)).unwrap();
    assert!(model.compiled().is_none());
}

#[test]
fn set_weights_checks_count_and_shapes() {
    let mut model = reference_model(3).unwrap();
    let mut weights = model.get_weights();
    assert_eq!(weights.len(), 6);
    weights[0].fill(0.5);
    model.set_weights(&weights).unwrap();
    assert_eq!(model.get_weights()[0], weights[0]);
    let err = model.set_weights(&weights[..5]).unwrap_err();
    assert!(err.to_string().contains("list of weight tensors"), "{err}");
    let mut wrong = weights.clone();
    wrong[1] = ArrayD::zeros(ndarray::IxDyn(&[299]));
    let err = model.set_weights(&wrong).unwrap_err();
    assert!(err.to_string().contains("dense_1.bias"), "{err}");
    assert_eq!(
        model.get_weights(),
        weights,
        "a failed set_weights changes nothing"
    );
}

/// The gradient `train_on_batch` follows is the true gradient: compare the
/// change of every parameter after one plain SGD step with the finite
/// difference of the loss, on a small model.
#[test]
fn one_step_moves_every_parameter_against_the_numerical_gradient() {
    for loss in [
        LossKind::SparseCategoricalCrossEntropy,
        LossKind::MeanSquaredError,
    ] {
        let build = || {
            let mut m = Sequential::new(11);
            m.add(Dense::new(5, Activation::Tanh).with_inputs(4))
                .unwrap();
            m.add(Dense::new(3, Softmax)).unwrap();
            m.compile(loss, Sgd::new(1.0).unwrap(), &[Metric::Accuracy])
                .unwrap();
            m
        };
        let mut rng = seeded_rng(5);
        let x = Array2::from_shape_simple_fn((6, 4), || rng.random_range(-1.0f32..1.0));
        let labels = [0u8, 1, 2, 2, 1, 0];
        let before = build().get_weights();
        let mut stepped = build();
        stepped.train_on_batch(x.view(), &labels).unwrap();
        let after = stepped.get_weights();
        let loss_at = |weights: &[ArrayD<f32>]| {
            let mut m = build();
            m.set_weights(weights).unwrap();
            m.test_on_batch(x.view(), &labels).unwrap().loss
        };
        let h = 1e-2f32;
        for t in 0..before.len() {
            for i in 0..before[t].len() {
                let mut plus = before.clone();
                let mut minus = before.clone();
                plus[t].as_slice_mut().unwrap()[i] += h;
                minus[t].as_slice_mut().unwrap()[i] -= h;
                let numeric = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
                let step = before[t].as_slice().unwrap()[i] - after[t].as_slice().unwrap()[i];
                assert!(
                    (numeric - step).abs() < 2e-3,
                    "{loss:?} tensor {t} entry {i}: {numeric} vs {step}"
                );
            }
        }
    }
}

#[test]
fn training_on_a_separable_toy_problem_drives_the_loss_down() {
    // Three clusters in 2-D, one per class.
    let mut rng = seeded_rng(9);
    let centres = [(-2.0f32, 0.0f32), (2.0, 0.0), (0.0, 2.5)];
    let labels: Vec<u8> = (0..90).map(|i| (i % 3) as u8).collect();
    let x = Array2::from_shape_fn((90, 2), |(i, j)| {
        let c = centres[i % 3];
        (if j == 0 { c.0 } else { c.1 }) + rng.random_range(-0.5f32..0.5)
    });
    let mut model = Sequential::new(1);
    model
        .add(Dense::new(8, Activation::Relu).with_inputs(2))
        .unwrap()
        .add(Dense::new(3, Softmax))
        .unwrap();
    model
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(0.1).unwrap().with_momentum(0.9).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap();
    let first = model.test_on_batch(x.view(), &labels).unwrap();
    for _ in 0..30 {
        for chunk in 0..3 {
            let rows = x.slice_axis(Axis(0), (chunk * 30..chunk * 30 + 30).into());
            model
                .train_on_batch(rows, &labels[chunk * 30..chunk * 30 + 30])
                .unwrap();
        }
    }
    let last = model.test_on_batch(x.view(), &labels).unwrap();
    assert!(last.loss < 0.2 * first.loss, "{first:?} → {last:?}");
    assert_eq!(last.accuracy, Some(1.0));
}

/// A layer written by a reader: it scales its input by a learned factor.
/// The model trains it without knowing what it is.
#[derive(Debug)]
struct Scale {
    factor: ndarray::Array1<f32>,
    grad: ndarray::Array1<f32>,
    input: Array2<f32>,
}

impl Layer for Scale {
    fn kind(&self) -> &'static str {
        "Scale"
    }
    fn build(
        &mut self,
        input_shape: &[usize],
        _: &mut dyn rand::RngCore,
    ) -> Result<Vec<usize>, NetError> {
        Ok(input_shape.to_vec())
    }
    fn parameter_count(&self) -> usize {
        1
    }
    fn predict(&self, x: ndarray::ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        Ok(&x * self.factor[0])
    }
    fn forward(&mut self, x: ndarray::ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.input = x.to_owned();
        self.predict(x)
    }
    fn backward(&mut self, g: ndarray::ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.grad[0] = (&g * &self.input).sum();
        Ok(&g * self.factor[0])
    }
    fn parameters(&self) -> Vec<(&'static str, ndarray::ArrayViewD<'_, f32>)> {
        vec![("factor", self.factor.view().into_dyn())]
    }
    fn parameters_mut(&mut self) -> Vec<ndarray::ArrayViewMutD<'_, f32>> {
        vec![self.factor.view_mut().into_dyn()]
    }
    fn gradients(&self) -> Vec<ndarray::ArrayViewD<'_, f32>> {
        vec![self.grad.view().into_dyn()]
    }
}

#[test]
fn a_layer_written_outside_the_crate_is_trained_too() {
    let mut model = Sequential::new(2);
    model.add(Flatten::new([2])).unwrap();
    model
        .add(Scale {
            factor: ndarray::arr1(&[1.0]),
            grad: ndarray::arr1(&[0.0]),
            input: Array2::zeros((0, 2)),
        })
        .unwrap();
    model.add(Dense::new(2, Softmax)).unwrap();
    assert_eq!(model.summary().rows[1].name, "scale_1");
    assert!(
        model
            .parameters()
            .iter()
            .any(|(n, _)| n == "scale_1.factor")
    );
    model
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(0.5).unwrap(),
            &[],
        )
        .unwrap();
    let x = ndarray::array![[1.0f32, -1.0], [-1.0, 1.0]];
    model.train_on_batch(x.view(), &[0, 1]).unwrap();
    let factor = model.parameters()[0].1[[0]];
    assert_ne!(factor, 1.0, "the custom layer's parameter moved");
}
