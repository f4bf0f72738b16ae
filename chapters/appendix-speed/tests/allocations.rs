//! The fast engine allocates nothing while it trains: every buffer is sized
//! once, when the trainer is built. This file is its own test program, with
//! an allocator that counts, so that no other test's allocations mix in.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use appendix_speed::{FastConfig, FastMlp, Hidden, Inputs, Model, Output, Targets};
use ch00_toolbox::seeded_rng;
use ndarray::{Array1, Array2};
use rand::Rng;

/// The system allocator, counting allocations and reallocations.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

#[test]
fn training_epochs_and_batches_allocate_nothing() {
    let mut rng = seeded_rng(1);
    let sizes = [100, 40, 30, 10];
    let params: Vec<(Array2<f32>, Array1<f32>)> = sizes
        .windows(2)
        .map(|w| {
            let weights =
                Array2::from_shape_simple_fn((w[0], w[1]), || rng.random_range(-0.2..0.2));
            (weights, Array1::zeros(w[1]))
        })
        .collect();
    let views: Vec<_> = params.iter().map(|(w, b)| (w.view(), b.view())).collect();
    let images = Array2::from_shape_simple_fn((200, 100), || rng.random::<u8>());
    let labels: Vec<u8> = (0..200).map(|_| rng.random_range(0..10)).collect();
    let order: Vec<usize> = (0..200).rev().collect();
    let x = images
        .slice(ndarray::s![..32, ..])
        .mapv(|p| f32::from(p) / 255.0);
    let config = FastConfig {
        threads: 2,
        ..FastConfig::default()
    };
    let mut fast = FastMlp::from_parameters(&views, config.clone()).unwrap();
    // A first call of each kind, in case the runtime sets something up.
    fast.train_epoch(images.view(), &labels, &order, 0.05)
        .unwrap();
    fast.train_batch(x.view(), &labels[..32], 0.05).unwrap();

    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..3 {
        fast.train_epoch(images.view(), &labels, &order, 0.05)
            .unwrap();
        fast.train_batch(x.view(), &labels[..32], 0.05).unwrap();
    }
    let during = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert_eq!(during, 0, "allocations while training");

    // Tanh and the sigmoid, a linear output with real targets, momentum,
    // and a learning rate per batch allocate nothing either.
    let model = Model {
        hidden: vec![Hidden::Tanh, Hidden::Sigmoid],
        output: Output::LinearMse,
        momentum: 0.9,
    };
    let mut regressor = FastMlp::new(&model, &views, config.clone()).unwrap();
    let floats = images.mapv(|p| f32::from(p) / 255.0);
    let y = Array2::from_shape_simple_fn((200, 10), || rng.random_range(-1.0f32..1.0));
    let rates: Vec<f32> = (0..7).map(|b| 0.01 / (1.0 + b as f32)).collect();
    let epoch = |net: &mut FastMlp| {
        let (all, t) = (Inputs::Floats(floats.view()), Targets::Values(y.view()));
        net.train(all, t, &order, &rates).unwrap();
        let t = Targets::Values(y.slice(ndarray::s![..32, ..]));
        net.train_batch_on(x.view(), t, 0.01).unwrap();
    };
    epoch(&mut regressor);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..3 {
        epoch(&mut regressor);
    }
    let during = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert_eq!(during, 0, "allocations while training the regressor");
    // The counter does count: reading the parameters back allocates.
    let _ = fast.parameters();
    assert!(ALLOCATIONS.load(Ordering::Relaxed) > before);
}
