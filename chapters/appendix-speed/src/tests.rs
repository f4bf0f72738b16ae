//! The fast engine against a naive reference written with `ndarray`, and
//! against itself across instruction sets, threads and runs.

use super::*;
use ch00_toolbox::seeded_rng;
use ndarray::{Array2, Axis, s};
use rand::Rng;

type Params = Vec<(Array2<f32>, Array1<f32>)>;

fn random_params(sizes: &[usize], seed: u64) -> Params {
    let mut rng = seeded_rng(seed);
    sizes
        .windows(2)
        .map(|w| {
            let limit = (6.0 / (w[0] + w[1]) as f32).sqrt();
            let weights =
                Array2::from_shape_simple_fn((w[0], w[1]), || rng.random_range(-limit..limit));
            let bias = Array1::from_shape_simple_fn(w[1], || rng.random_range(-0.1..0.1));
            (weights, bias)
        })
        .collect()
}

/// Random images in which about half of the pixels are 0, as in
/// Fashion-MNIST, so that the first layer takes its sparse kernels.
fn random_data(n: usize, n_in: usize, classes: usize, seed: u64) -> (Array2<u8>, Vec<u8>) {
    let mut rng = seeded_rng(seed);
    let images = Array2::from_shape_simple_fn((n, n_in), || {
        if rng.random_bool(0.5) {
            0
        } else {
            rng.random()
        }
    });
    let labels = (0..n).map(|_| rng.random_range(0..classes as u8)).collect();
    (images, labels)
}

fn views(params: &Params) -> Vec<(ArrayView2<'_, f32>, ArrayView1<'_, f32>)> {
    params.iter().map(|(w, b)| (w.view(), b.view())).collect()
}

/// One SGD step of the naive reference on the samples `batch`: returns the
/// summed loss and the number of correct predictions.
fn reference_step(
    params: &mut Params,
    images: &Array2<u8>,
    labels: &[u8],
    batch: &[usize],
    lr: f32,
) -> (f64, usize) {
    let x = images.select(Axis(0), batch).mapv(|p| f32::from(p) / 255.0);
    let mut inputs = vec![x];
    let mut pre = Vec::new();
    for (l, (w, b)) in params.iter().enumerate() {
        let z = inputs[l].dot(w) + b;
        pre.push(z.clone());
        inputs.push(if l + 1 < params.len() {
            z.mapv(|v| v.max(0.0))
        } else {
            z
        });
    }
    let logits = inputs.pop().unwrap();
    let n = batch.len() as f32;
    let (mut loss, mut correct) = (0.0f64, 0);
    let mut grad = logits.clone();
    for (b, mut row) in grad.rows_mut().into_iter().enumerate() {
        let y = usize::from(labels[batch[b]]);
        let z = logits.row(b);
        let max = z.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        let total: f32 = z.iter().map(|&v| (v - max).exp()).sum();
        loss += f64::from(-((z[y] - max).exp() / total).ln());
        let top = (0..z.len()).fold(0, |t, j| if z[j] > z[t] { j } else { t });
        correct += usize::from(top == y);
        for j in 0..z.len() {
            let p = (z[j] - max).exp() / total;
            row[j] = (p - if j == y { 1.0 } else { 0.0 }) / n;
        }
    }
    let mut updates = Vec::new();
    for l in (0..params.len()).rev() {
        let dw = inputs[l].t().dot(&grad);
        let db = grad.sum_axis(Axis(0));
        if l > 0 {
            let mask = pre[l - 1].mapv(|v| if v > 0.0 { 1.0 } else { 0.0 });
            grad = grad.dot(&params[l].0.t()) * mask;
        }
        updates.push((l, dw, db));
    }
    for (l, dw, db) in updates {
        params[l].0.scaled_add(-lr, &dw);
        params[l].1.scaled_add(-lr, &db);
    }
    (loss, correct)
}

fn max_abs_difference(a: &Params, b: &Params) -> f32 {
    a.iter()
        .zip(b)
        .map(|((wa, ba), (wb, bb))| {
            let dw = (wa - wb).iter().fold(0.0f32, |m, v| m.max(v.abs()));
            let db = (ba - bb).iter().fold(0.0f32, |m, v| m.max(v.abs()));
            dw.max(db)
        })
        .fold(0.0, f32::max)
}

fn config(batch_size: usize, threads: usize, isa: Isa) -> FastConfig {
    FastConfig {
        batch_size,
        threads,
        isa,
        wait: Wait::Spin,
        skip_zeros: true,
        first_cut: None,
    }
}

#[test]
fn one_step_matches_the_reference_for_the_book_model() {
    let sizes = [784, 300, 100, 10];
    let mut reference = random_params(&sizes, 1);
    let (images, labels) = random_data(32, 784, 10, 2);
    let order: Vec<usize> = (0..32).rev().collect();
    let mut fast = FastMlp::from_parameters(&views(&reference), FastConfig::default()).unwrap();
    // A large rate, so that the update is far above rounding noise.
    let lr = 0.5;
    let stats = fast
        .train_epoch(images.view(), &labels, &order, lr)
        .unwrap();
    let before = random_params(&sizes, 1);
    let (loss, correct) = reference_step(&mut reference, &images, &labels, &order, lr);
    let after = fast.parameters();
    let moved = max_abs_difference(&before, &reference);
    assert!(moved > 1e-3, "the step should change the weights ({moved})");
    let diff = max_abs_difference(&after, &reference);
    assert!(diff < 1e-5, "fast and reference differ by {diff}");
    assert!((f64::from(stats.loss) - loss / 32.0).abs() < 1e-5);
    assert_eq!(stats.accuracy, correct as f32 / 32.0);
}

#[test]
fn odd_sizes_and_a_short_last_batch_match_the_reference_over_an_epoch() {
    // Sizes that are not multiples of 16, batches of 13 with a last batch of
    // 5: every padding and every edge tile is used.
    for sizes in [vec![37, 29, 18, 3], vec![50, 7], vec![20, 40, 33, 17, 5]] {
        let reference = random_params(&sizes, 3);
        let classes = *sizes.last().unwrap();
        let (images, labels) = random_data(60, sizes[0], classes, 4);
        let mut rng = seeded_rng(5);
        let mut order: Vec<usize> = (0..60).collect();
        rand::seq::SliceRandom::shuffle(order.as_mut_slice(), &mut rng);
        let order = &order[..44];
        for threads in [1, 2] {
            let cfg = config(13, threads, Isa::detect());
            let mut fast = FastMlp::from_parameters(&views(&reference), cfg).unwrap();
            let stats = fast
                .train_epoch(images.view(), &labels, order, 0.1)
                .unwrap();
            let mut expected = reference.clone();
            let (mut loss, mut correct) = (0.0, 0);
            for batch in order.chunks(13) {
                let (l, c) = reference_step(&mut expected, &images, &labels, batch, 0.1);
                loss += l;
                correct += c;
            }
            let diff = max_abs_difference(&fast.parameters(), &expected);
            assert!(
                diff < 1e-5,
                "sizes {sizes:?}: fast and reference differ by {diff}"
            );
            assert!(
                (f64::from(stats.loss) - loss / 44.0).abs() < 1e-4,
                "sizes {sizes:?}"
            );
            assert_eq!(stats.accuracy, correct as f32 / 44.0);
            assert_eq!(stats.samples, 44);
        }
    }
}

/// Trains two epochs and returns the parameters, bit for bit.
fn train_bits(isa: Isa, threads: usize) -> Vec<u32> {
    train_bits_with(isa, threads, true, None)
}

/// [`train_bits`], with the first layer skipping zeros or not, cut in the
/// middle or at `first_cut`.
fn train_bits_with(
    isa: Isa,
    threads: usize,
    skip_zeros: bool,
    first_cut: Option<usize>,
) -> Vec<u32> {
    // Small enough for a debug build, large enough for every tile shape.
    let sizes = [130, 70, 37, 10];
    let params = random_params(&sizes, 7);
    let (images, labels) = random_data(100, 130, 10, 8);
    let config = FastConfig {
        skip_zeros,
        first_cut,
        ..config(32, threads, isa)
    };
    let mut fast = FastMlp::from_parameters(&views(&params), config).unwrap();
    let order: Vec<usize> = (0..100).map(|i| (i * 37) % 100).collect();
    for _ in 0..2 {
        fast.train_epoch(images.view(), &labels, &order, 0.05)
            .unwrap();
    }
    fast.parameters()
        .iter()
        .flat_map(|(w, b)| {
            w.iter()
                .chain(b.iter())
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_instruction_set_and_thread_count_gives_the_same_bits() {
    let expected = train_bits(Isa::Portable, 1);
    let mut checked = 0;
    for isa in Isa::ALL.into_iter().filter(|isa| isa.is_available()) {
        for threads in 1..=PARTS {
            for skip_zeros in [true, false] {
                assert!(
                    train_bits_with(isa, threads, skip_zeros, None) == expected,
                    "{} with {threads} threads, skipping zeros: {skip_zeros}",
                    isa.name()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 4);
    assert!(train_bits(Isa::detect(), PARTS) == expected, "a second run");
    let sleepy = |isa| {
        let params = random_params(&[130, 70, 37, 10], 7);
        let mut cfg = config(32, PARTS, isa);
        cfg.wait = Wait::Sleep;
        FastMlp::from_parameters(&views(&params), cfg).unwrap()
    };
    let (images, labels) = random_data(100, 130, 10, 8);
    let order: Vec<usize> = (0..100).map(|i| (i * 37) % 100).collect();
    let mut fast = sleepy(Isa::detect());
    for _ in 0..2 {
        fast.train_epoch(images.view(), &labels, &order, 0.05)
            .unwrap();
    }
    let bits: Vec<u32> = fast
        .parameters()
        .iter()
        .flat_map(|(w, b)| {
            w.iter()
                .chain(b.iter())
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(bits == expected, "sleeping instead of spinning");
}

#[test]
fn a_cut_of_the_first_layer_fixes_the_bits_whatever_the_threads() {
    for cut in [0, 97, 130] {
        let expected = train_bits_with(Isa::Portable, 1, true, Some(cut));
        for isa in Isa::ALL.into_iter().filter(|isa| isa.is_available()) {
            for threads in 1..=PARTS {
                let bits = train_bits_with(isa, threads, true, Some(cut));
                assert!(bits == expected, "cut {cut}, {} × {threads}", isa.name());
            }
        }
    }
    // Another cut sums the first layer in another order.
    assert!(train_bits_with(Isa::Portable, 1, true, Some(97)) != train_bits(Isa::Portable, 1));
    let params = random_params(&[130, 70, 10], 7);
    let past = FastConfig {
        first_cut: Some(131),
        ..config(32, 1, Isa::Portable)
    };
    let err = FastMlp::from_parameters(&views(&params), past).unwrap_err();
    assert!(
        err.to_string().contains("cut 131 is past its 130 inputs"),
        "{err}"
    );
}

#[test]
fn the_balanced_cut_gives_each_part_the_same_share_of_non_zero_pixels() {
    // Pixels 0..100 always 0, 100..130 never: the work is all past 100.
    let images = Array2::from_shape_fn((50, 130), |(_, k)| u8::from(k >= 100) * 200);
    let cut = balanced_cut(images.view());
    assert!((112..=117).contains(&cut), "{cut}");
    // The same number of non-zero pixels everywhere: the middle.
    let uniform = Array2::from_shape_fn((10_000, 130), |(i, k)| ((i + k) % 2) as u8);
    assert!((64..=66).contains(&balanced_cut(uniform.view())));
    // Nothing to go by: the middle too.
    assert_eq!(balanced_cut(Array2::<u8>::zeros((0, 130)).view()), 65);
    assert_eq!(balanced_cut(Array2::<u8>::zeros((7, 130)).view()), 65);
    assert_eq!(balanced_cut(Array2::<u8>::zeros((7, 0)).view()), 0);
}

#[test]
fn the_parameters_come_back_unchanged_without_training() {
    let params = random_params(&[33, 17, 4], 9);
    let fast = FastMlp::from_parameters(&views(&params), FastConfig::default()).unwrap();
    assert_eq!(fast.parameters(), params);
    assert_eq!(fast.sizes(), &[33, 17, 4]);
}

#[test]
fn bad_inputs_are_errors_that_say_what_is_wrong() {
    let params = random_params(&[8, 5, 3], 10);
    let mut fast = FastMlp::from_parameters(&views(&params), FastConfig::default()).unwrap();
    let (images, labels) = random_data(4, 8, 3, 11);
    let order = [0, 1, 2, 3];

    let narrow = images.slice(s![.., ..7]);
    let err = fast.train_epoch(narrow, &labels, &order, 0.1).unwrap_err();
    assert!(matches!(err, NetError::ShapeMismatch { .. }), "{err}");
    assert!(err.to_string().contains("[4, 7]"), "{err}");

    let err = fast
        .train_epoch(images.view(), &labels[..3], &order, 0.1)
        .unwrap_err();
    assert!(err.to_string().contains("labels"), "{err}");

    let err = fast
        .train_epoch(images.view(), &[0, 1, 3, 2], &order, 0.1)
        .unwrap_err();
    assert!(err.to_string().contains("label 3"), "{err}");

    let err = fast
        .train_epoch(images.view(), &labels, &[0, 4], 0.1)
        .unwrap_err();
    assert!(err.to_string().contains("index 4"), "{err}");

    let x = images.mapv(f32::from);
    let err = fast
        .train_batch(x.slice(s![..0, ..]), &[], 0.1)
        .unwrap_err();
    assert_eq!(err, NetError::EmptyBatch);
    let five = Array2::<f32>::zeros((33, 8));
    let err = fast.train_batch(five.view(), &[0; 33], 0.1).unwrap_err();
    assert!(err.to_string().contains("33"), "{err}");

    let err = fast
        .train_epoch(images.view(), &labels, &order, f32::NAN)
        .unwrap_err();
    assert!(err.to_string().contains("learning rate"), "{err}");

    let mut mismatched = params.clone();
    mismatched[1].0 = Array2::zeros((6, 3));
    let err = FastMlp::from_parameters(&views(&mismatched), FastConfig::default()).unwrap_err();
    assert!(
        err.to_string().contains("layer 2") && err.to_string().contains("[6, 3]"),
        "{err}"
    );

    let mut bad_bias = params.clone();
    bad_bias[0].1 = Array1::zeros(4);
    let err = FastMlp::from_parameters(&views(&bad_bias), FastConfig::default()).unwrap_err();
    assert!(err.to_string().contains("bias of layer 1"), "{err}");

    for cfg in [
        config(0, 1, Isa::Portable),
        config(32, 0, Isa::Portable),
        config(32, 3, Isa::Portable),
    ] {
        assert!(FastMlp::from_parameters(&views(&params), cfg).is_err());
    }
    assert!(FastMlp::from_parameters(&[], FastConfig::default()).is_err());
}

#[test]
fn an_empty_epoch_changes_nothing() {
    let params = random_params(&[8, 5, 3], 12);
    let mut fast = FastMlp::from_parameters(&views(&params), FastConfig::default()).unwrap();
    let (images, labels) = random_data(4, 8, 3, 13);
    let stats = fast.train_epoch(images.view(), &labels, &[], 0.1).unwrap();
    assert_eq!(stats.samples, 0);
    assert_eq!(fast.parameters(), params);
}

#[test]
fn a_strided_view_of_the_images_is_accepted() {
    let params = random_params(&[6, 4, 2], 14);
    let (images, labels) = random_data(5, 6, 2, 15);
    let transposed = images.t().to_owned();
    let order = [4, 0, 2];
    let mut a = FastMlp::from_parameters(&views(&params), FastConfig::default()).unwrap();
    let mut b = FastMlp::from_parameters(&views(&params), FastConfig::default()).unwrap();
    a.train_epoch(images.view(), &labels, &order, 0.2).unwrap();
    b.train_epoch(transposed.t(), &labels, &order, 0.2).unwrap();
    assert_eq!(a.parameters(), b.parameters());
}

#[test]
fn batches_of_f32_rows_train_like_an_epoch_of_bytes() {
    let sizes = [50, 20, 4];
    let params = random_params(&sizes, 16);
    let (images, labels) = random_data(40, 50, 4, 17);
    let order: Vec<usize> = (0..40).map(|i| (i * 7) % 40).collect();
    let mut by_epoch =
        FastMlp::from_parameters(&views(&params), config(16, 2, Isa::detect())).unwrap();
    let epoch = by_epoch
        .train_epoch(images.view(), &labels, &order, 0.3)
        .unwrap();
    let mut by_batch =
        FastMlp::from_parameters(&views(&params), config(16, 2, Isa::detect())).unwrap();
    let (mut loss, mut correct) = (0.0, 0.0);
    for batch in order.chunks(16) {
        let x = images.select(Axis(0), batch).mapv(|p| f32::from(p) / 255.0);
        let y: Vec<u8> = batch.iter().map(|&i| labels[i]).collect();
        let stats = by_batch.train_batch(x.view(), &y, 0.3).unwrap();
        assert_eq!(stats.samples, batch.len());
        loss += f64::from(stats.loss) * batch.len() as f64;
        correct += f64::from(stats.accuracy) * batch.len() as f64;
    }
    assert!(by_epoch.parameters() == by_batch.parameters());
    assert!((loss / 40.0 - f64::from(epoch.loss)).abs() < 1e-6);
    assert!((correct / 40.0 - f64::from(epoch.accuracy)).abs() < 1e-6);
}

#[test]
fn the_vector_kernels_have_hardware_fma_wherever_they_run() {
    for isa in [Isa::Avx512, Isa::Avx2] {
        assert_eq!(isa.has_hardware_fma(), isa.is_available(), "{}", isa.name());
    }
    assert!(Isa::detect().is_available());
    assert_eq!(Isa::from_name(Isa::detect().name()), Some(Isa::detect()));
    assert_eq!(Isa::from_name("sse"), None);
}

/// A panic of the calling thread in the middle of a step (an injected
/// fault, after its first phase, while the helper is still reading the
/// batch) unwinds only once the helper is done with the batch: the laid-out
/// copy of the batch that `train_batch` made is freed after that. The
/// trainer then refuses to train (its weights are partly updated), drops
/// cleanly, and a new trainer trains as before. Repeated, with both ways of
/// waiting, to give a race a chance to show.
#[test]
fn a_panic_in_the_middle_of_a_step_waits_for_the_helper() {
    use std::sync::atomic::Ordering::SeqCst;
    let sizes = [40, 32, 16, 3];
    let params = random_params(&sizes, 11);
    let (images, labels) = random_data(16, 40, 3, 12);
    // A transposed copy: `train_batch` must lay it out by rows in a buffer
    // of its own, which unwinding frees.
    let columns = Array2::from_shape_fn((40, 16), |(j, i)| f32::from(images[[i, j]]) / 255.0);
    let x = columns.t();
    assert!(!x.is_standard_layout());
    let expected = {
        let mut net =
            FastMlp::from_parameters(&views(&params), config(8, 2, Isa::detect())).unwrap();
        net.train_batch(x.slice(s![..8, ..]), &labels[..8], 0.1)
            .unwrap();
        net.parameters()
    };
    for round in 0..6 {
        let wait = if round % 2 == 0 {
            Wait::Spin
        } else {
            Wait::Sleep
        };
        let cfg = FastConfig {
            wait,
            ..config(16, 2, Isa::detect())
        };
        let mut net = FastMlp::from_parameters(&views(&params), cfg.clone()).unwrap();
        net.shared.fault.caller_panics_at_batch.store(0, SeqCst);
        net.shared.fault.helper_delay_ms.store(40, SeqCst);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            net.train_batch(x, &labels, 0.1)
        }));
        let message = outcome.expect_err("the injected fault panics");
        let message = message
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(message.contains("injected fault"), "{message}");
        assert!(
            net.mailbox.is_idle() && !net.shared.fault.helper_busy.load(SeqCst),
            "round {round} ({wait:?}): the panic unwound while the helper was still reading the batch"
        );
        let refused = net.train_batch(x, &labels, 0.1).unwrap_err();
        assert!(refused.to_string().contains("panicked"), "{refused}");
        drop(net); // stops and joins the helper; must not hang

        let mut again = FastMlp::from_parameters(&views(&params), cfg).unwrap();
        again
            .train_batch(x.slice(s![..8, ..]), &labels[..8], 0.1)
            .unwrap();
        assert_eq!(max_abs_difference(&again.parameters(), &expected), 0.0);
    }
}

mod general;
