//! Every hidden activation, every output and both optimisers against a
//! reference written plainly with `ndarray` and chapter 4's activations,
//! on random shapes (widths that are not multiples of 16 included); and the
//! same bits on every instruction set and thread count.

use super::*;
use ch04_backprop::Activation;
use proptest::prelude::*;

/// Chapter 4's activation for a hidden layer of the engine.
fn activation(f: Hidden) -> Activation {
    match f {
        Hidden::Relu => Activation::Relu,
        Hidden::Tanh => Activation::Tanh,
        Hidden::Sigmoid => Activation::Sigmoid,
        Hidden::Linear => Activation::Identity,
    }
}

/// The targets of a whole data set, for the reference.
enum Data {
    Labels(Vec<u8>),
    Values(Array2<f32>),
}

/// A plain trainer: the mathematics the engine must compute.
struct Reference {
    model: Model,
    params: Params,
    velocity: Params,
}

/// What the reference measured over some batches: sums over samples.
#[derive(Default, Debug)]
struct Sums {
    loss: f64,
    correct: f64,
    abs_error: f64,
}

impl Reference {
    fn new(model: &Model, params: &Params) -> Reference {
        let velocity = params
            .iter()
            .map(|(w, b)| (Array2::zeros(w.raw_dim()), Array1::zeros(b.raw_dim())))
            .collect();
        Reference {
            model: model.clone(),
            params: params.clone(),
            velocity,
        }
    }

    /// One step on the rows `batch` of `x`.
    fn step(&mut self, x: &Array2<f32>, data: &Data, batch: &[usize], lr: f32, sums: &mut Sums) {
        let layers = self.params.len();
        let mut inputs = vec![x.select(Axis(0), batch)];
        let mut pre = Vec::new();
        for (l, (w, b)) in self.params.iter().enumerate() {
            let z = inputs[l].dot(w) + b;
            if l + 1 < layers {
                let f = activation(self.model.hidden[l]);
                inputs.push(z.mapv(|v| f.value(v)));
            }
            pre.push(z);
        }
        let z = pre.last().unwrap();
        let (n, k) = z.dim();
        let mut grad = Array2::zeros((n, k));
        for i in 0..n {
            let row = z.row(i);
            match (self.model.output, data) {
                (Output::SoftmaxCrossEntropy, Data::Labels(labels)) => {
                    let y = usize::from(labels[batch[i]]);
                    let max = row.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
                    let total: f32 = row.iter().map(|&v| (v - max).exp()).sum();
                    sums.loss += f64::from(-((row[y] - max).exp() / total).ln());
                    let top = (0..k).fold(0, |t, j| if row[j] > row[t] { j } else { t });
                    sums.correct += f64::from(u8::from(top == y));
                    for j in 0..k {
                        let p = (row[j] - max).exp() / total;
                        grad[[i, j]] = (p - if j == y { 1.0 } else { 0.0 }) / n as f32;
                    }
                }
                (Output::SigmoidBinaryCrossEntropy, Data::Values(values)) => {
                    for j in 0..k {
                        let (z, y) = (f64::from(row[j]), f64::from(values[[batch[i], j]]));
                        let p = 1.0 / (1.0 + (-z).exp());
                        sums.loss += -(y * p.ln() + (1.0 - y) * (1.0 - p).ln()) / k as f64;
                        sums.correct += f64::from(u8::from((p > 0.5) == (y > 0.5))) / k as f64;
                        grad[[i, j]] = ((p - y) / (n * k) as f64) as f32;
                    }
                }
                (Output::LinearMse, Data::Values(values)) => {
                    for j in 0..k {
                        let e = row[j] - values[[batch[i], j]];
                        sums.loss += f64::from(e * e) / k as f64;
                        sums.abs_error += f64::from(e.abs()) / k as f64;
                        grad[[i, j]] = 2.0 * e / (n * k) as f32;
                    }
                }
                _ => panic!("targets of the wrong kind"),
            }
        }
        let mut steps = Vec::new();
        for l in (0..layers).rev() {
            let dw = inputs[l].t().dot(&grad);
            let db = grad.sum_axis(Axis(0));
            if l > 0 {
                let f = activation(self.model.hidden[l - 1]);
                let slope = pre[l - 1].mapv(|v| f.slope(v));
                grad = grad.dot(&self.params[l].0.t()) * slope;
            }
            steps.push((l, dw, db));
        }
        // Chapter 8's SGD: v ← μ·v − η·g, θ ← θ + v.
        let mu = self.model.momentum;
        for (l, dw, db) in steps {
            let (vw, vb) = &mut self.velocity[l];
            vw.zip_mut_with(&dw, |v, &g| *v = mu * *v - lr * g);
            vb.zip_mut_with(&db, |v, &g| *v = mu * *v - lr * g);
            self.params[l].0 += &*vw;
            self.params[l].1 += &*vb;
        }
    }
}

/// The largest difference between two sets of parameters, relative to the
/// size of the values (at least 1).
fn relative_difference(a: &Params, b: &Params) -> f32 {
    a.iter()
        .zip(b)
        .flat_map(|((wa, ba), (wb, bb))| {
            let pairs = wa.iter().zip(wb).chain(ba.iter().zip(bb));
            pairs
                .map(|(x, y)| (x - y).abs() / x.abs().max(y.abs()).max(1.0))
                .collect::<Vec<_>>()
        })
        .fold(0.0, f32::max)
}

fn bits(params: &Params) -> Vec<u32> {
    params
        .iter()
        .flat_map(|(w, b)| w.iter().chain(b).map(|v| v.to_bits()).collect::<Vec<_>>())
        .collect()
}

/// A random problem: parameters, inputs in [−1, 1], and targets fitting the
/// output. A fraction `zeros` of the inputs is 0, for the first layer's
/// sparse kernels.
fn problem(
    sizes: &[usize],
    output: Output,
    n: usize,
    zeros: f64,
    seed: u64,
) -> (Params, Array2<f32>, Data) {
    let params = random_params(sizes, seed);
    let mut rng = seeded_rng(seed + 1);
    let x = Array2::from_shape_simple_fn((n, sizes[0]), || {
        if rng.random_bool(zeros) {
            0.0
        } else {
            rng.random_range(-1.0..1.0)
        }
    });
    let k = *sizes.last().unwrap();
    let data = match output {
        Output::SoftmaxCrossEntropy => {
            Data::Labels((0..n).map(|_| rng.random_range(0..k as u8)).collect())
        }
        Output::SigmoidBinaryCrossEntropy => {
            Data::Values(Array2::from_shape_simple_fn((n, k), || {
                f32::from(u8::from(rng.random_bool(0.5)))
            }))
        }
        Output::LinearMse => Data::Values(Array2::from_shape_simple_fn((n, k), || {
            rng.random_range(-2.0..2.0)
        })),
    };
    (params, x, data)
}

fn targets(data: &Data) -> Targets<'_> {
    match data {
        Data::Labels(labels) => Targets::Labels(labels),
        Data::Values(values) => Targets::Values(values.view()),
    }
}

/// Any model the engine trains: 1 to 3 hidden layers of 1 to 40 neurons,
/// any activations, any output, with or without momentum.
fn any_model() -> impl Strategy<Value = (Vec<usize>, Model)> {
    (
        prop::collection::vec((1usize..40, 0usize..4), 0..=3),
        1usize..40,
        1usize..6,
        0usize..3,
        prop::bool::ANY,
    )
        .prop_map(|(hidden, n_in, n_out, output, momentum)| {
            let output = Output::ALL[output];
            // Softmax needs two classes to be interesting.
            let n_out = if output.takes_labels() {
                n_out.max(2)
            } else {
                n_out
            };
            let mut sizes = vec![n_in];
            sizes.extend(hidden.iter().map(|&(w, _)| w));
            sizes.push(n_out);
            let model = Model {
                hidden: hidden.iter().map(|&(_, f)| Hidden::ALL[f]).collect(),
                output,
                momentum: if momentum { 0.9 } else { 0.0 },
            };
            (sizes, model)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Two epochs (momentum carries over) in batches with a short last one,
    /// a different learning rate for each batch: the weights and the loss
    /// match the reference; accuracy or mean absolute error too; and every
    /// instruction set and thread count gives the same bits.
    #[test]
    fn every_model_trains_like_the_reference(
        (sizes, model) in any_model(),
        batch in 1usize..12,
        n in 1usize..30,
        zeros in prop::sample::select(vec![0.0, 0.5, 0.9]),
        seed in 0u64..1000,
    ) {
        let (params, x, data) = problem(&sizes, model.output, n, zeros, seed);
        let order: Vec<usize> = (0..n).rev().collect();
        let batches = n.div_ceil(batch);
        let rates: Vec<f32> = (0..batches).map(|b| 0.01 + 0.01 * (b % 4) as f32).collect();

        let mut reference = Reference::new(&model, &params);
        let mut sums = Sums::default();
        for _ in 0..2 {
            sums = Sums::default();
            for (b, chunk) in order.chunks(batch).enumerate() {
                reference.step(&x, &data, chunk, rates[b], &mut sums);
            }
        }

        // Momentum and a batch of one sample may still diverge: then both
        // must, and the engine must say that its weights are not finite.
        let diverged = !sums.loss.is_finite()
            || reference.params.iter().any(|(w, b)| w.iter().chain(b).any(|v| !v.is_finite()));
        let mut first_bits = None;
        for isa in Isa::ALL.into_iter().filter(|isa| isa.is_available()) {
            for threads in 1..=PARTS {
                let mut fast = FastMlp::new(&model, &views(&params), config(batch, threads, isa)).unwrap();
                let mut stats = None;
                for _ in 0..2 {
                    stats = Some(fast.train(Inputs::Floats(x.view()), targets(&data), &order, &rates).unwrap());
                }
                let stats = stats.unwrap();
                let got = fast.parameters();
                match &first_bits {
                    None if diverged => {
                        prop_assert!(!stats.weights_finite || !stats.loss.is_finite());
                        first_bits = Some(bits(&got));
                    }
                    None => {
                        let diff = relative_difference(&got, &reference.params);
                        prop_assert!(diff < 2e-4, "{sizes:?} {model:?}: weights differ by {diff}");
                        let loss = sums.loss / n as f64;
                        let close = (f64::from(stats.loss) - loss).abs() <= 1e-4 * loss.abs().max(1.0);
                        prop_assert!(close, "{sizes:?} {model:?}: loss {} vs {loss}", stats.loss);
                        match model.output {
                            Output::LinearMse => {
                                prop_assert!(stats.accuracy.is_nan());
                                let mae = sums.abs_error / n as f64;
                                let got = f64::from(stats.mae);
                                prop_assert!((got - mae).abs() <= 1e-4 * mae.max(1.0), "{got} vs {mae}");
                            }
                            _ => {
                                prop_assert!(stats.mae.is_nan());
                                let accuracy = sums.correct / n as f64;
                                let got = f64::from(stats.accuracy);
                                prop_assert!((got - accuracy).abs() < 1e-6, "{got} vs {accuracy}");
                            }
                        }
                        prop_assert!(stats.weights_finite);
                        first_bits = Some(bits(&got));
                    }
                    Some(expected) => prop_assert!(
                        &bits(&got) == expected,
                        "{} with {threads} threads: other bits", isa.name()
                    ),
                }
                if model.momentum != 0.0 && !diverged {
                    let diff = relative_difference(&fast.velocities(), &reference.velocity);
                    prop_assert!(diff < 2e-4, "velocities differ by {diff}");
                }
            }
        }
    }
}

#[test]
fn velocities_carry_over_from_one_trainer_to_the_next() {
    let sizes = [12, 20, 3];
    let model = Model {
        hidden: vec![Hidden::Tanh],
        output: Output::LinearMse,
        momentum: 0.8,
    };
    let (params, x, data) = problem(&sizes, model.output, 24, 0.5, 3);
    let order: Vec<usize> = (0..24).collect();
    let train = |net: &mut FastMlp, part: &[usize]| {
        net.train(Inputs::Floats(x.view()), targets(&data), part, &[0.1])
            .unwrap()
    };
    let mut whole = FastMlp::new(&model, &views(&params), config(8, 2, Isa::detect())).unwrap();
    train(&mut whole, &order);

    let mut first = FastMlp::new(&model, &views(&params), config(8, 2, Isa::detect())).unwrap();
    train(&mut first, &order[..16]);
    let (params, velocities) = (first.parameters(), first.velocities());
    assert!(velocities[0].0.iter().any(|&v| v != 0.0));
    let mut second = FastMlp::new(&model, &views(&params), config(8, 1, Isa::detect())).unwrap();
    second.set_velocities(&views(&velocities)).unwrap();
    train(&mut second, &order[16..]);
    assert!(bits(&second.parameters()) == bits(&whole.parameters()));

    // Without carrying the velocities over, the result differs.
    let mut forgetful = FastMlp::new(&model, &views(&params), config(8, 1, Isa::detect())).unwrap();
    train(&mut forgetful, &order[16..]);
    assert!(bits(&forgetful.parameters()) != bits(&whole.parameters()));

    // Wrong shapes, and velocities for plain SGD, are refused.
    let err = second
        .set_velocities(&views(&velocities[..1].to_vec()))
        .unwrap_err();
    assert!(err.to_string().contains("velocities"), "{err}");
    let plain = Model {
        momentum: 0.0,
        ..model.clone()
    };
    let mut sgd = FastMlp::new(&plain, &views(&params), config(8, 1, Isa::detect())).unwrap();
    assert!(sgd.set_velocities(&views(&velocities)).is_err());
    assert!(
        sgd.velocities()
            .iter()
            .all(|(w, b)| w.iter().chain(b).all(|&v| v == 0.0))
    );
}

#[test]
fn a_weight_that_stops_being_finite_is_reported_by_the_step_that_wrote_it() {
    // A linear output with squared error and a huge rate diverges within a
    // few steps; the batch whose step first writes a non-finite weight
    // reports it, and so does every later one.
    let sizes = [4, 6, 1];
    let model = Model {
        hidden: vec![Hidden::Linear],
        output: Output::LinearMse,
        momentum: 0.0,
    };
    let (params, x, data) = problem(&sizes, model.output, 8, 0.0, 5);
    let mut net = FastMlp::new(&model, &views(&params), config(8, 2, Isa::detect())).unwrap();
    let all: Vec<usize> = (0..8).collect();
    let mut first_bad = None;
    for step in 0..200 {
        let stats = net
            .train(Inputs::Floats(x.view()), targets(&data), &all, &[1e6])
            .unwrap();
        let finite = net
            .parameters()
            .iter()
            .all(|(w, b)| w.iter().chain(b).all(|v| v.is_finite()));
        assert_eq!(stats.weights_finite, finite, "step {step}");
        if !finite && first_bad.is_none() {
            first_bad = Some(step);
        }
        if first_bad.is_some_and(|s| step > s + 2) {
            break;
        }
    }
    let first_bad = first_bad.expect("the rate is large enough to diverge");
    assert!(first_bad > 0, "the first step should still be finite");

    // A NaN in the inputs reaches the weights at the first step.
    let mut net = FastMlp::new(&model, &views(&params), config(8, 1, Isa::detect())).unwrap();
    let mut bad = x.clone();
    bad[[3, 1]] = f32::NAN;
    let stats = net
        .train(Inputs::Floats(bad.view()), targets(&data), &all, &[0.01])
        .unwrap();
    assert!(!stats.weights_finite && stats.loss.is_nan());
}

#[test]
fn relu_lets_a_nan_through_like_chapter_4() {
    // A NaN input of a ReLU layer makes the loss NaN, as on the clear
    // engine, instead of being turned into a 0 that hides it.
    // Also among inputs that are mostly 0, where the first layer skips
    // the zeros: a NaN is not zero.
    let sizes = [3, 16, 2];
    for zeros in [0.0, 0.9] {
        let (params, mut x, data) = problem(&sizes, Output::SoftmaxCrossEntropy, 4, zeros, 8);
        x[[0, 0]] = f32::NAN;
        let model = Model::relu_softmax(1);
        for isa in Isa::ALL.into_iter().filter(|isa| isa.is_available()) {
            let mut net = FastMlp::new(&model, &views(&params), config(4, 1, isa)).unwrap();
            let stats = net
                .train(Inputs::Floats(x.view()), targets(&data), &[0], &[0.1])
                .unwrap();
            assert!(stats.loss.is_nan(), "{}: loss {}", isa.name(), stats.loss);
        }
    }
}

#[test]
fn targets_rates_and_models_that_do_not_fit_are_errors() {
    let sizes = [5, 4, 2];
    let (params, x, data) = problem(&sizes, Output::LinearMse, 6, 0.0, 9);
    let mse = Model {
        hidden: vec![Hidden::Sigmoid],
        output: Output::LinearMse,
        momentum: 0.0,
    };
    let mut net = FastMlp::new(&mse, &views(&params), config(4, 1, Isa::Portable)).unwrap();
    let order: Vec<usize> = (0..6).collect();
    let x = Inputs::Floats(x.view());
    let err = net
        .train(x, Targets::Labels(&[0; 6]), &order, &[0.1])
        .unwrap_err();
    assert!(err.to_string().contains("real values"), "{err}");
    let Data::Values(y) = &data else {
        unreachable!()
    };
    let narrow = y.slice(s![.., ..1]);
    let err = net
        .train(x, Targets::Values(narrow), &order, &[0.1])
        .unwrap_err();
    assert!(err.to_string().contains("targets"), "{err}");
    let err = net
        .train(x, targets(&data), &order, &[0.1, 0.1, 0.1])
        .unwrap_err();
    assert!(
        err.to_string().contains("3 learning rates for 2 batches"),
        "{err}"
    );
    let err = net
        .train(x, targets(&data), &order, &[0.1, -1.0])
        .unwrap_err();
    assert!(err.to_string().contains("learning rate"), "{err}");

    let softmax = Model::relu_softmax(1);
    let mut net = FastMlp::new(&softmax, &views(&params), config(4, 1, Isa::Portable)).unwrap();
    let err = net.train(x, targets(&data), &order, &[0.1]).unwrap_err();
    assert!(err.to_string().contains("class labels"), "{err}");

    for bad in [
        Model {
            momentum: 1.0,
            ..mse.clone()
        },
        Model {
            momentum: f32::NAN,
            ..mse.clone()
        },
        Model {
            hidden: vec![],
            ..mse.clone()
        },
    ] {
        assert!(
            FastMlp::new(&bad, &views(&params), FastConfig::default()).is_err(),
            "{bad:?}"
        );
    }
}

#[test]
fn evaluating_changes_no_weight_and_gives_the_loss_before_a_step() {
    let cases = [
        (vec![12, 9, 3], Model::relu_softmax(1)),
        (
            vec![5, 7, 6, 2],
            Model {
                hidden: vec![Hidden::Tanh, Hidden::Relu],
                output: Output::LinearMse,
                momentum: 0.9,
            },
        ),
        (
            vec![4, 3],
            Model {
                hidden: vec![],
                output: Output::SigmoidBinaryCrossEntropy,
                momentum: 0.0,
            },
        ),
    ];
    let n = 20;
    let order: Vec<usize> = (0..n).rev().collect();
    for (seed, (sizes, model)) in cases.into_iter().enumerate() {
        let (params, x, data) = problem(&sizes, model.output, n, 0.5, seed as u64);
        let mut first = None;
        for isa in Isa::ALL.into_iter().filter(|isa| isa.is_available()) {
            // The loss before one step on all the samples at once.
            let mut whole = FastMlp::new(&model, &views(&params), config(n, 1, isa)).unwrap();
            let before_step = whole
                .train(Inputs::Floats(x.view()), targets(&data), &order, &[0.1])
                .unwrap();
            for threads in 1..=PARTS {
                let mut net =
                    FastMlp::new(&model, &views(&params), config(6, threads, isa)).unwrap();
                let stats = net
                    .evaluate(Inputs::Floats(x.view()), targets(&data), &order)
                    .unwrap();
                assert!(
                    bits(&net.parameters()) == bits(&params),
                    "{sizes:?}: a weight changed"
                );
                let close = |a: f32, b: f32| {
                    (a - b).abs() <= 1e-5 * a.abs().max(1.0) || a.is_nan() && b.is_nan()
                };
                assert!(
                    close(stats.loss, before_step.loss),
                    "{sizes:?}: {} vs {}",
                    stats.loss,
                    before_step.loss
                );
                assert!(
                    close(stats.accuracy, before_step.accuracy),
                    "{sizes:?}: accuracy"
                );
                assert!(close(stats.mae, before_step.mae), "{sizes:?}: mae");
                assert_eq!(stats.samples, n);
                assert!(stats.weights_finite);
                let got = (
                    stats.loss.to_bits(),
                    stats.accuracy.to_bits(),
                    stats.mae.to_bits(),
                );
                assert_eq!(
                    *first.get_or_insert(got),
                    got,
                    "{sizes:?}: {} with {threads} threads",
                    isa.name()
                );
            }
        }
    }
}

#[test]
fn a_hint_of_the_next_batch_changes_no_bit_and_is_checked() {
    let sizes = [40, 20, 3];
    let (params, x, data) = problem(&sizes, Output::LinearMse, 9, 0.5, 4);
    let model = Model {
        hidden: vec![Hidden::Relu],
        output: Output::LinearMse,
        momentum: 0.5,
    };
    let order: Vec<usize> = (0..9).rev().collect();
    let x = Inputs::Floats(x.view());
    let start = || FastMlp::new(&model, &views(&params), config(2, 2, Isa::detect())).unwrap();
    let mut whole = start();
    whole.train(x, targets(&data), &order, &[0.1]).unwrap();
    let mut hinted = start();
    for (b, batch) in order.chunks(2).enumerate() {
        let then = order
            .get(2 * (b + 1)..)
            .map_or(&[][..], |rest| &rest[..rest.len().min(2)]);
        hinted
            .train_then(x, targets(&data), batch, &[0.1], then)
            .unwrap();
    }
    assert_eq!(bits(&whole.parameters()), bits(&hinted.parameters()));
    for bad in [&[9][..], &[0, 1, 2][..]] {
        let before = bits(&hinted.parameters());
        let err = hinted
            .train_then(x, targets(&data), &order[..2], &[0.1], bad)
            .unwrap_err();
        assert!(err.to_string().contains("next batch"), "{err}");
        assert_eq!(before, bits(&hinted.parameters()), "a refused call trained");
    }
}
