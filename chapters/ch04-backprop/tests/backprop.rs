//! What a reader would check: backprop matches finite differences, the
//! hand-set XOR network is right, and a trained one learns XOR.

use ch00_toolbox::seeded_rng;
use ch04_backprop::gradient_check::{EPSILON, check_gradients, demo_problem};
use ch04_backprop::xor::{
    XorSettings, count_correct, hand_set_xor, train_xor, xor_inputs, xor_network, xor_targets,
};
use ch04_backprop::{Activation, Dense, Init, Loss, Mlp, Mse, NetError, Sgd};
use ndarray::{Array2, ArrayView2, array};

// ANCHOR: gradient_check_test
/// Every weight and bias of a 3 → 5 → 4 → 2 network (two hidden layers,
/// tanh and sigmoid so there are no kinks) on a random batch of 6.
#[test]
fn backprop_matches_finite_differences_for_every_parameter() {
    for seed in [4, 5, 6] {
        let (mlp, x, y) = demo_problem(seed).unwrap();
        let check = check_gradients(&mlp, x.view(), y.view(), &Mse, EPSILON).unwrap();
        assert_eq!(check.comparisons.len(), 20 + 24 + 10);
        let worst = check.worst().unwrap();
        println!(
            "seed {seed}: max relative error {:e} at {worst:?}",
            check.max_relative_error()
        );
        assert!(check.max_relative_error() < 1e-2, "{worst:?}");
    }
}
// ANCHOR_END: gradient_check_test

/// A loss whose gradient has a classic bug: it forgets the factor 2 of the
/// square's derivative.
struct MseMissingTwo;

impl Loss for MseMissingTwo {
    fn value(&self, p: ArrayView2<f32>, y: ArrayView2<f32>) -> Result<f32, NetError> {
        Mse.value(p, y)
    }
    fn gradient(&self, p: ArrayView2<f32>, y: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        Ok(Mse.gradient(p, y)? / 2.0)
    }
}

/// The check can fail: a wrong gradient is caught.
#[test]
fn a_gradient_check_notices_a_wrong_gradient() {
    let mut rng = seeded_rng(5);
    let mlp = xor_network(3, Activation::Tanh, Init::Uniform(1.0), &mut rng).unwrap();
    let (x, y) = (xor_inputs(), xor_targets());
    let good = check_gradients(&mlp, x.view(), y.view(), &Mse, 1e-2).unwrap();
    let bad = check_gradients(&mlp, x.view(), y.view(), &MseMissingTwo, 1e-2).unwrap();
    println!(
        "right gradient {:e}, halved gradient {:e}",
        good.max_relative_error(),
        bad.max_relative_error()
    );
    assert!(good.max_relative_error() < 1e-2);
    assert!(bad.max_relative_error() > 0.4);
}

// ANCHOR: hand_set_test
#[test]
fn hand_set_weights_compute_xor() {
    let mlp = hand_set_xor().unwrap();
    let out = mlp.predict(xor_inputs().view()).unwrap();
    assert_eq!(out, xor_targets());
    // The hidden layer alone: OR in column 0, AND in column 1.
    let hidden = mlp.layers[0].predict(xor_inputs().view()).unwrap();
    assert_eq!(
        hidden,
        array![[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 1.0]]
    );
}
// ANCHOR_END: hand_set_test

// ANCHOR: trained_xor_test
#[test]
fn a_trained_mlp_gets_all_four_xor_cases_right() {
    let run = train_xor(&XorSettings::default()).unwrap();
    let out = run.mlp.predict(xor_inputs().view()).unwrap();
    println!(
        "outputs {out}\nfirst loss {}, last loss {}",
        run.losses[0],
        run.losses.last().unwrap()
    );
    assert_eq!(count_correct(out.view(), xor_targets().view()), 4);
    assert!(run.losses.last().unwrap() < &(0.1 * run.losses[0]));
}
// ANCHOR_END: trained_xor_test

/// The same seed gives the same network, loss for loss.
#[test]
fn xor_training_is_reproducible() {
    let s = XorSettings {
        epochs: 50,
        ..XorSettings::default()
    };
    let a = train_xor(&s).unwrap();
    let b = train_xor(&s).unwrap();
    assert_eq!(a.losses, b.losses);
    let c = train_xor(&XorSettings { seed: 43, ..s }).unwrap();
    assert_ne!(a.losses, c.losses);
}

// ANCHOR: symmetry_test
/// Zero weights: both hidden units get the same gradient at every step, so
/// after training they are still copies of each other — and XOR is not
/// learnt.
#[test]
fn zero_initialisation_keeps_hidden_units_identical() {
    let settings = XorSettings {
        activation: Activation::Sigmoid,
        init: Init::Zeros,
        ..XorSettings::default()
    };
    let run = train_xor(&settings).unwrap();
    let w1 = &run.mlp.layers[0].weights;
    let b1 = &run.mlp.layers[0].bias;
    let w2 = &run.mlp.layers[1].weights;
    assert!(w1.iter().any(|&v| v != 0.0), "the weights did move");
    for j in 1..settings.hidden {
        assert_eq!(w1.column(j), w1.column(0));
        assert_eq!(b1[j], b1[0]);
        assert_eq!(w2.row(j), w2.row(0));
    }
    let out = run.mlp.predict(xor_inputs().view()).unwrap();
    assert!(count_correct(out.view(), xor_targets().view()) < 4);
}
// ANCHOR_END: symmetry_test

#[test]
fn shape_errors_are_errors_not_panics() {
    let mut rng = seeded_rng(1);
    let mut layer = Dense::new(3, 2, Activation::Relu, Init::HeNormal, &mut rng).unwrap();
    let wrong = Array2::<f32>::zeros((4, 5));
    let e = layer.forward(wrong.view()).unwrap_err();
    assert_eq!(
        e,
        NetError::shape("input batch of the layer", &[0, 3], &[4, 5])
    );
    assert!(e.to_string().contains("[_, 3]") && e.to_string().contains("[4, 5]"));
    assert_eq!(
        layer.backward(Array2::zeros((4, 2)).view()),
        Err(NetError::NoForwardPass)
    );
    assert_eq!(
        layer.forward(Array2::zeros((0, 3)).view()),
        Err(NetError::EmptyBatch)
    );
    layer.forward(Array2::zeros((4, 3)).view()).unwrap();
    assert!(matches!(
        layer.backward(Array2::zeros((4, 3)).view()),
        Err(NetError::ShapeMismatch { .. })
    ));
    // Layers that do not fit each other.
    let a = Dense::new(3, 4, Activation::Relu, Init::HeNormal, &mut rng).unwrap();
    let b = Dense::new(5, 1, Activation::Identity, Init::HeNormal, &mut rng).unwrap();
    assert!(matches!(
        Mlp::new(vec![a, b]),
        Err(NetError::ShapeMismatch { .. })
    ));
    assert_eq!(Mlp::new(vec![]).unwrap_err(), NetError::NoLayers);
    assert!(
        Dense::from_parameters(Array2::zeros((2, 3)), array![0.0, 0.0], Activation::Tanh).is_err()
    );
    assert!(Sgd::new(f32::NAN).is_err() && Sgd::new(-0.1).is_err());
}

/// A network whose public `layers` were emptied is refused with its own
/// error by every pass, not with one about batches.
#[test]
fn a_network_without_layers_says_so() {
    let mut empty = Mlp { layers: vec![] };
    let x = Array2::<f32>::ones((2, 2));
    assert_eq!(empty.forward(x.view()), Err(NetError::NoLayers));
    assert_eq!(empty.predict(x.view()), Err(NetError::NoLayers));
    let sgd = Sgd::new(0.1).unwrap();
    let y = Array2::<f32>::ones((2, 1));
    let r = empty.train_batch(x.view(), y.view(), &Mse, &sgd);
    assert_eq!(r, Err(NetError::NoLayers));
    assert!(NetError::NoLayers.to_string().contains("no layers"));
}

/// `Mlp::step` moves every layer or none: when one layer's gradients do not
/// fit its (replaced) weights, the error comes before any layer has moved.
#[test]
fn a_step_that_cannot_be_taken_moves_no_layer() {
    let mut rng = seeded_rng(4);
    let mut mlp = xor_network(3, Activation::Tanh, Init::GlorotUniform, &mut rng).unwrap();
    let out = mlp.forward(xor_inputs().view()).unwrap();
    mlp.backward(Array2::ones(out.raw_dim()).view()).unwrap();
    mlp.layers[1].weights = Array2::zeros((2, 1)); // was 3 × 1
    let first = mlp.layers[0].weights.clone();
    let sgd = Sgd::new(0.5).unwrap();
    let err = mlp.step(&sgd).unwrap_err();
    assert!(matches!(err, NetError::ShapeMismatch { .. }), "{err}");
    assert_eq!(mlp.layers[0].weights, first, "the first layer moved");
    assert_eq!(mlp.layers[1].weights, Array2::<f32>::zeros((2, 1)));
}

#[test]
fn fit_epoch_checks_its_arguments() {
    let mut rng = seeded_rng(2);
    let mut mlp = xor_network(2, Activation::Tanh, Init::GlorotUniform, &mut rng).unwrap();
    let mut sgd = Sgd::new(0.1).unwrap();
    let (x, y) = (xor_inputs(), xor_targets());
    let r = mlp.fit_epoch(x.view(), y.view(), 0, &Mse, &sgd, &mut rng);
    assert!(matches!(r, Err(NetError::InvalidArgument(_))));
    let r = mlp.fit_epoch(
        x.view(),
        Array2::zeros((3, 1)).view(),
        2,
        &Mse,
        &sgd,
        &mut rng,
    );
    assert!(matches!(r, Err(NetError::ShapeMismatch { .. })));
    // A bad rate cannot even be set: the optimiser keeps its old one.
    assert!(sgd.set_learning_rate(f32::INFINITY).is_err());
    assert!(Sgd::new(f32::INFINITY).is_err());
    assert_eq!(sgd.learning_rate(), 0.1);
    // A batch larger than the data set is one batch.
    assert!(
        mlp.fit_epoch(x.view(), y.view(), 100, &Mse, &sgd, &mut rng)
            .is_ok()
    );
}

/// A dense layer with step units is chapter 3's perceptron layer: same
/// answers on any input.
#[test]
fn a_step_dense_layer_answers_like_chapter_3s_perceptron() {
    use ch03_perceptron::{Perceptron, StepFunction};
    let mut rng = seeded_rng(9);
    let p = Perceptron::random(3, 4, StepFunction::Heaviside, 1.0, &mut rng).unwrap();
    let layer = Dense::from_perceptron(&p).unwrap();
    let x = Init::Uniform(2.0).weights(50, 3, &mut rng).unwrap();
    assert_eq!(
        layer.predict(x.view()).unwrap(),
        p.predict(x.view()).unwrap()
    );
    let sign = Perceptron::new(3, 1, StepFunction::Sign).unwrap();
    assert!(matches!(
        Dense::from_perceptron(&sign),
        Err(NetError::InvalidArgument(_))
    ));
}

/// The gradient with respect to the network's input, `dL/dX`, also matches
/// central differences (the parameter check covers `dW` and `db`).
#[test]
fn the_input_gradient_matches_finite_differences() {
    let (mut mlp, x, y) = demo_problem(11).unwrap();
    let out = mlp.forward(x.view()).unwrap();
    let dx = mlp
        .backward(Mse.gradient(out.view(), y.view()).unwrap().view())
        .unwrap();
    assert_eq!(dx.dim(), x.dim());
    let loss_at = |x: &Array2<f32>| {
        Mse.value(mlp.predict(x.view()).unwrap().view(), y.view())
            .unwrap()
    };
    for ((i, j), &analytic) in dx.indexed_iter() {
        let (mut plus, mut minus) = (x.clone(), x.clone());
        plus[(i, j)] += EPSILON;
        minus[(i, j)] -= EPSILON;
        let numeric = (loss_at(&plus) - loss_at(&minus)) / (2.0 * EPSILON);
        let scale = analytic.abs().max(numeric.abs()).max(1e-3);
        assert!(
            (analytic - numeric).abs() / scale < 1e-2,
            "x[{i},{j}]: {analytic} vs {numeric}"
        );
    }
}

/// The chapter's `Mlp`, given the 1-1-1 network's parameters, computes the
/// same derivatives in `f32` as the chain rule worked by hand in `f64`, and on
/// a batch of two it gives the mean of the two samples' derivatives.
#[test]
fn the_mlp_agrees_with_backprop_by_hand() {
    use ch04_backprop::by_hand::{PAGE_BATCH, PAGE_SAMPLE, Tiny, TinyParameter, batch_gradients};
    let (x, y) = PAGE_SAMPLE;
    let rows = batch_gradients(&Tiny::PAGE, &[(x, y)]).unwrap();
    let (_, g) = Tiny::PAGE.backward(x, y);
    for r in rows {
        let (p, mean, mlp) = (r.parameter, r.mean, r.mlp);
        assert_eq!(r.per_sample, vec![g.get(p)]);
        assert!(
            (f64::from(mlp) - mean).abs() < 1e-6,
            "{}: {mlp} vs {mean}",
            p.name()
        );
    }
    let rows = batch_gradients(&Tiny::PAGE, &PAGE_BATCH).unwrap();
    for r in &rows {
        let by_hand: Vec<f64> = PAGE_BATCH
            .iter()
            .map(|&(x, y)| Tiny::PAGE.backward(x, y).1.get(r.parameter))
            .collect();
        assert_eq!(r.per_sample, by_hand);
        assert!((r.mean - (by_hand[0] + by_hand[1]) / 2.0).abs() < 1e-15);
        assert!((f64::from(r.mlp) - r.mean).abs() < 1e-6, "{r:?}");
    }
    // The batch really mixes the two samples: w₁'s two derivatives differ.
    let w1 = rows
        .iter()
        .find(|r| r.parameter == TinyParameter::W1)
        .unwrap();
    assert!((w1.per_sample[0] - w1.per_sample[1]).abs() > 0.1);
}

// ANCHOR: tanh_zero_test
/// Zero weights with a tanh hidden layer: tanh(0) = 0 makes every hidden
/// output 0, so the output weights get the gradient Hᵀ·dZ = 0, and the
/// hidden layer gets dZ·W₂ᵀ = 0 because W₂ = 0. Only the output's bias ever
/// moves.
#[test]
fn zero_initialisation_with_tanh_moves_only_the_output_bias() {
    let run = train_xor(&XorSettings {
        activation: Activation::Tanh,
        init: Init::Zeros,
        ..XorSettings::default()
    })
    .unwrap();
    let (hidden, output) = (&run.mlp.layers[0], &run.mlp.layers[1]);
    assert!(hidden.weights.iter().all(|&v| v == 0.0));
    assert!(hidden.bias.iter().all(|&v| v == 0.0));
    assert!(output.weights.iter().all(|&v| v == 0.0));
    assert!(output.bias[0] != 0.0, "the output bias does move");
}
// ANCHOR_END: tanh_zero_test
