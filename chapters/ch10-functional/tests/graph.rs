//! The functional model: construction errors caught when it is built,
//! backpropagation on a graph checked against finite differences, and
//! training through chapter 9's `fit`.

use ch00_toolbox::seeded_rng;
use ch04_backprop::Activation;
use ch08_sequential::{LossKind, Metric, Sgd, Softmax};
use ch09_training::{Engine, FitOptions, InMemory, Model, Training};
use ch10_functional::{Functional, GraphError, GraphSpec, LayerKind, MultiData, Tensor};
use ndarray::{Array2, ArrayD, concatenate, s};
use rand::Rng;

// ANCHOR: small_graph
/// Two inputs, two outputs, and a tensor (`h`) read by two layers:
///
/// ```text
/// a (3) → h: Dense(4, tanh) → concat [h | b] → main: Dense(2, linear)   output 1
/// b (2) ──────────────────────↗
///         h ──────────────────→ aux: Dense(1, sigmoid)                   output 2
/// ```
fn small_graph() -> GraphSpec {
    let mut g = GraphSpec::new("small");
    let a = g.input("a", 3);
    let b = g.input("b", 2);
    let h = g.dense("h", 4, Activation::Tanh, &a);
    let c = g.concatenate("concat", &[&h, &b]);
    let main = g.dense("main", 2, Activation::Identity, &c);
    let aux = g.dense("aux", 1, Activation::Sigmoid, &h);
    g.output(&main);
    g.output(&aux);
    g
}
// ANCHOR_END: small_graph

fn random(rows: usize, cols: usize, seed: u64) -> Array2<f32> {
    let mut rng = seeded_rng(seed);
    Array2::from_shape_simple_fn((rows, cols), || rng.random_range(-1.0f32..1.0))
}

fn err(spec: GraphSpec) -> GraphError {
    Functional::build(spec, 0).unwrap_err()
}

#[test]
fn a_cycle_is_refused_naming_its_layers() {
    let mut g = GraphSpec::new("loop");
    let x = g.input("x", 2);
    let a = g.dense("a", 3, Activation::Relu, &Tensor::named("b"));
    let b = g.dense("b", 3, Activation::Relu, &a);
    let c = g.concatenate("c", &[&x, &b]);
    g.output(&c);
    let e = err(g);
    assert_eq!(e, GraphError::Cycle(vec!["a".into(), "b".into()]));
    assert!(e.to_string().contains("'a', 'b'"), "{e}");
}

#[test]
fn shape_mismatches_name_the_layer() {
    let mut g = GraphSpec::new("sum");
    let x = g.input("x", 2);
    let h = g.dense("h", 3, Activation::Relu, &x);
    let s = g.add("sum", &[&h, &x]);
    g.output(&s);
    let e = err(g);
    assert!(
        matches!(&e, GraphError::Shape { layer, .. } if layer == "sum"),
        "{e:?}"
    );
    assert!(e.to_string().contains("'h' has 3, 'x' has 2"), "{e}");

    let mut g = GraphSpec::new("two into dense");
    let x = g.input("x", 2);
    let y = g.input("y", 2);
    let d = g.layer(
        "d",
        LayerKind::Dense {
            units: 1,
            activation: "linear".into(),
        },
        &[&x, &y],
    );
    g.output(&d);
    assert!(matches!(err(g), GraphError::Shape { layer, .. } if layer == "d"));

    let mut g = GraphSpec::new("no units");
    let x = g.input("x", 2);
    let d = g.dense("empty", 0, Activation::Relu, &x);
    g.output(&d);
    assert!(matches!(err(g), GraphError::Shape { layer, .. } if layer == "empty"));
}

#[test]
fn unused_inputs_unused_layers_and_unreachable_outputs_are_refused() {
    let mut g = small_graph();
    g.input("spare", 5);
    assert_eq!(err(g), GraphError::UnusedInput("spare".into()));

    let mut g = small_graph();
    let a = Tensor::named("a");
    g.dense("dead_end", 2, Activation::Relu, &a);
    assert_eq!(err(g), GraphError::UnusedLayer("dead_end".into()));

    let mut g = small_graph();
    let floating = g.layer("floating", LayerKind::Concatenate, &[]);
    let out = g.concatenate("joined", &[&floating, &Tensor::named("main")]);
    g.output(&out);
    let e = err(g);
    assert!(
        matches!(&e, GraphError::UnreachableOutput { output, .. } if output == "joined"),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("'floating' is applied to nothing"),
        "{e}"
    );

    let mut g = small_graph();
    g.output(&Tensor::named("nowhere"));
    assert_eq!(
        err(g),
        GraphError::UnknownName {
            layer: "outputs".into(),
            name: "nowhere".into()
        }
    );
}

#[test]
fn a_name_used_twice_is_refused() {
    let mut g = small_graph();
    let a = Tensor::named("a");
    g.dense("h", 2, Activation::Relu, &a);
    assert_eq!(err(g), GraphError::DuplicateName("h".into()));
    let mut g = small_graph();
    g.input("main", 1);
    assert_eq!(err(g), GraphError::DuplicateName("main".into()));
    let mut g = small_graph();
    g.output(&Tensor::named("aux"));
    assert_eq!(err(g), GraphError::DuplicateName("aux".into()));
    let mut g = small_graph();
    g.layers[0].inputs = vec!["c".into()];
    assert_eq!(
        err(g),
        GraphError::UnknownName {
            layer: "h".into(),
            name: "c".into()
        }
    );
    assert!(Functional::build(small_graph(), 0).is_ok());
}

/// The total loss `0.7·MSE(main) + 0.3·MSE(aux)` as a function of every
/// weight, against the gradients backprop stores in the layers during one
/// `train_on_batch`.
// ANCHOR: gradient_check
#[test]
fn graph_backprop_matches_finite_differences() {
    let (a, b) = (random(5, 3, 1), random(5, 2, 2));
    let y = concatenate![
        ndarray::Axis(1),
        random(5, 2, 3),
        random(5, 1, 4).mapv(f32::abs)
    ];
    let x = concatenate![ndarray::Axis(1), a, b];
    let mse = LossKind::MeanSquaredError;
    let mut model = Functional::build(small_graph(), 7).unwrap();
    model
        .compile(&[(mse, 0.7), (mse, 0.3)], Sgd::new(0.1).unwrap(), &[])
        .unwrap();
    let total = |m: &Functional| m.test_on_batch(x.view(), y.view().into()).unwrap().0.loss;
    // One step stores the gradients at the weights before it; put them back.
    let weights = Model::get_weights(&model);
    model.train_on_batch(x.view(), y.view().into()).unwrap();
    let analytic: Vec<ArrayD<f32>> = model
        .layers()
        .iter()
        .flat_map(|l| l.gradients().into_iter().map(|g| g.to_owned()))
        .collect();
    assert_ne!(Model::get_weights(&model), weights);
    let h = 1e-3f32;
    let mut worst = 0.0f32;
    for (k, w) in weights.iter().enumerate() {
        for i in 0..w.len() {
            let mut nudged = weights.clone();
            let at = |t: &mut ArrayD<f32>, d: f32| {
                let v = t.as_slice_mut().unwrap();
                v[i] += d;
            };
            at(&mut nudged[k], h);
            model.set_weights(&nudged).unwrap();
            let plus = total(&model);
            at(&mut nudged[k], -2.0 * h);
            model.set_weights(&nudged).unwrap();
            let minus = total(&model);
            let numeric = (plus - minus) / (2.0 * h);
            let exact = analytic[k].as_slice().unwrap()[i];
            worst = worst.max((numeric - exact).abs() / (1e-3 + exact.abs()));
        }
    }
    model.set_weights(&weights).unwrap();
    assert!(worst < 2e-2, "worst relative error {worst}");
}
// ANCHOR_END: gradient_check

/// Without the sum over both paths (gradients into `h` from `main` and from
/// `aux`), the gradient of `h`'s weights would miss a term: with the aux
/// loss weighted 0, `h`'s gradient must differ from the weighted one.
#[test]
fn both_paths_contribute_to_the_shared_tensor() {
    let x = concatenate![ndarray::Axis(1), random(6, 3, 5), random(6, 2, 6)];
    let y = random(6, 3, 7).mapv(f32::abs);
    let h_gradient = |aux_weight: f32| {
        let mse = LossKind::MeanSquaredError;
        let mut model = Functional::build(small_graph(), 3).unwrap();
        model
            .compile(
                &[(mse, 1.0), (mse, aux_weight)],
                Sgd::new(0.1).unwrap(),
                &[],
            )
            .unwrap();
        model.train_on_batch(x.view(), y.view().into()).unwrap();
        model.layers()[0].gradients()[0].to_owned()
    };
    let (without, with) = (h_gradient(0.0), h_gradient(1.0));
    assert_ne!(without, with);
}

#[test]
fn fit_trains_a_graph_and_reports_each_output() {
    // Targets: main = (a0 + b0, a1 − b1), aux = a2².
    let (a, b) = (random(256, 3, 11), random(256, 2, 12));
    let main = concatenate![
        ndarray::Axis(1),
        (&a.slice(s![.., 0..1]) + &b.slice(s![.., 0..1])),
        (&a.slice(s![.., 1..2]) - &b.slice(s![.., 1..2]))
    ];
    let aux = a.slice(s![.., 2..3]).mapv(|v| v * v);
    let data = MultiData::new(
        &[("a", a.view()), ("b", b.view())],
        &[("main", main.view()), ("aux", aux.view())],
    )
    .unwrap();
    let mse = LossKind::MeanSquaredError;
    let mut model = Functional::build(small_graph(), 1).unwrap();
    model
        .compile(
            &[(mse, 0.9), (mse, 0.1)],
            Sgd::new(0.1).unwrap(),
            &[Metric::MeanAbsoluteError],
        )
        .unwrap();
    let before = model.evaluate(&data).unwrap();
    let history = model
        .fit(
            &data,
            FitOptions::new()
                .epochs(30)
                .verbose(false)
                .validation_data(&data),
        )
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.engine, Engine::Clear);
    let names: Vec<&str> = last.outputs.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["main", "aux"]);
    // The total is the weighted sum of the outputs' losses.
    let after = model.evaluate(&data).unwrap();
    let weighted = 0.9 * after.outputs[0].1 + 0.1 * after.outputs[1].1;
    assert!((after.loss - weighted).abs() < 1e-5, "{after:?}");
    assert_eq!(Some(after.loss), last.val_loss);
    assert!(after.loss < 0.2 * before.loss, "{before:?} → {after:?}");
    assert_eq!(model.predict_dataset(&data).unwrap().dim(), (256, 3));
}

#[test]
fn fit_refuses_data_that_does_not_fit_the_graph_and_the_fast_engine() {
    let (a, b) = (random(8, 3, 1), random(8, 2, 2));
    let y = random(8, 3, 3);
    let mse = LossKind::MeanSquaredError;
    let mut model = Functional::build(small_graph(), 1).unwrap();
    model
        .compile(&[(mse, 0.9), (mse, 0.1)], Sgd::new(0.1).unwrap(), &[])
        .unwrap();
    let before = Model::get_weights(&model);
    let quiet = || FitOptions::new().verbose(false);

    let swapped = MultiData::new(
        &[("b", b.view()), ("a", a.view())],
        &[
            ("main", y.slice(s![.., 0..2])),
            ("aux", y.slice(s![.., 2..3])),
        ],
    )
    .unwrap();
    let e = model.fit(&swapped, quiet()).unwrap_err();
    assert!(
        e.to_string()
            .contains("b (2), a (3) but the model expects a (3), b (2)"),
        "{e}"
    );

    let x = concatenate![ndarray::Axis(1), a, b];
    let packed = InMemory::new(x.view(), y.view()).unwrap();
    let e = model.fit(&packed, quiet()).unwrap_err();
    assert!(e.to_string().contains("MultiData"), "{e}");

    let labels = [0u8; 8];
    let classes = InMemory::new(x.view(), &labels).unwrap();
    assert!(model.fit(&classes, quiet()).is_err());

    let good = MultiData::new(
        &[("a", a.view()), ("b", b.view())],
        &[
            ("main", y.slice(s![.., 0..2])),
            ("aux", y.slice(s![.., 2..3])),
        ],
    )
    .unwrap();
    let e = model.fit(&good, quiet().engine(Engine::Fast)).unwrap_err();
    assert!(e.to_string().contains("Sequential models only"), "{e}");
    assert_eq!(Model::get_weights(&model), before);
    assert!(model.fit(&good, quiet().engine(Engine::Auto)).is_ok());
}

#[test]
fn compile_checks_losses_against_outputs() {
    let mse = LossKind::MeanSquaredError;
    let mut model = Functional::build(small_graph(), 1).unwrap();
    let e = model
        .compile(&[(mse, 1.0)], Sgd::new(0.1).unwrap(), &[])
        .unwrap_err();
    assert!(
        e.to_string().contains("2 outputs (main, aux) but 1 losses"),
        "{e}"
    );
    let e = model
        .compile(&[(mse, 1.0), (mse, f32::NAN)], Sgd::new(0.1).unwrap(), &[])
        .unwrap_err();
    assert!(e.to_string().contains("'aux'"), "{e}");
    let ce = LossKind::SparseCategoricalCrossEntropy;
    let e = model
        .compile(
            &[(ce, 1.0), (mse, 1.0)],
            Sgd::new(0.1).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap_err();
    assert!(e.to_string().contains("softmax"), "{e}");
    // Not compiled: training is refused with a clear error.
    let x = random(4, 5, 1);
    let y = random(4, 3, 2);
    let model = Functional::build(small_graph(), 1).unwrap();
    let e = model.test_on_batch(x.view(), y.view().into()).unwrap_err();
    assert!(e.to_string().contains("not compiled"), "{e}");
}

#[test]
fn a_graph_classifier_trains_on_labels_with_cross_entropy() {
    let mut g = GraphSpec::new("classifier");
    let x = g.input("x", 2);
    let h = g.dense("h", 8, Activation::Relu, &x);
    let c = g.concatenate("c", &[&x, &h]);
    let p = g.dense("p", 2, Softmax, &c);
    g.output(&p);
    let mut model = Functional::build(g, 0).unwrap();
    model
        .compile(
            &[(LossKind::SparseCategoricalCrossEntropy, 1.0)],
            Sgd::new(0.5).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap();
    let points = random(200, 2, 9);
    let labels: Vec<u8> = points
        .rows()
        .into_iter()
        .map(|r| u8::from(r[0] > r[1]))
        .collect();
    let data = InMemory::new(points.view(), &labels).unwrap();
    let h = model
        .fit(&data, FitOptions::new().epochs(40).verbose(false))
        .unwrap();
    let acc = model.evaluate(&data).unwrap().accuracy.unwrap();
    assert!(acc > 0.95, "accuracy {acc}, {h:?}");
    let p = model.predict(&[points.view()]).unwrap();
    assert!((p[0].row(0).sum() - 1.0).abs() < 1e-5);
}
