//! How long does a training epoch of the book's model take?
//!
//! ```text
//! cargo bench -p ch09-training --bench fast_epoch
//! cargo bench -p ch09-training --bench fast_epoch -- --threads 1 --isa avx2
//! cargo bench -p ch09-training --bench fast_epoch -- --sleep      # threads sleep, not spin
//! cargo bench -p ch09-training --bench fast_epoch -- --engine fast   # chapter 9's fit, fast engine
//! cargo bench -p ch09-training --bench fast_epoch -- --engine clear  # fit, clear engine
//! cargo bench -p ch09-training --bench fast_epoch -- --no-numpy      # skip the comparison
//! cargo bench -p ch09-training --bench fast_epoch -- --dense         # do not skip zero pixels
//! cargo bench -p ch09-training --bench fast_epoch -- --middle        # cut the first layer in the middle
//! ```
//!
//! It trains the 784-300-100-10 model (ReLU, softmax, sparse categorical
//! cross-entropy, SGD with learning rate 0.01, batches of 32) on the 55 000
//! training images of Fashion-MNIST when `FASHION_MNIST_DIR` names a folder
//! with the four files, and on random images of the same shape otherwise.
//! After one warm-up epoch it times `--epochs` epochs (default 7) and prints
//! the median and spread of seconds per epoch, images per second, the
//! achieved GFLOP/s beside the machine's measured peak, and the peak resident
//! memory of the process (VmHWM).
//!
//! Then, unless `--no-numpy` is given, it compares the fast engine with
//! NumPy (OpenBLAS on one thread) in the same run, model by model: the
//! reference model above, 784-100-10 with tanh and momentum 0.9, and the
//! housing model's shape 8-30-1 (ReLU, linear output, mean squared error),
//! the last both through the engine's own API and through chapter 9's `fit`,
//! all with batches of 32. The NumPy side is
//! `chapters/appendix-speed/python/numpy_reference.py`, run with the
//! interpreter named by `PYTHON` (default `python3`); without NumPy it says
//! "numpy not found" and skips. It prints each model's median seconds per
//! epoch on both sides and the ratio, and the load average of the machine
//! before and after.

use std::path::Path;
use std::time::{Duration, Instant};

use appendix_speed::peak::peak_gflops;
use appendix_speed::{
    FastConfig, FastMlp, Hidden, Inputs, Isa, Model, Output, Targets, Wait, balanced_cut,
};
use ch00_toolbox::seeded_rng;
use ch07_fashion_mnist::{FashionMnist, Split};
use ch08_sequential::{Dense, Sequential};
use ch09_training::run::compiled_reference_model;
use ch09_training::{Engine, FitOptions, Training};
use ndarray::{Array1, Array2, Array3};
use rand::Rng;
use rand::seq::SliceRandom;

const USAGE: &str = "usage: cargo bench -p ch09-training --bench fast_epoch -- \
[--epochs N] [--threads 1|2] [--isa avx512|avx2|portable] [--sleep] [--random] [--engine clear|fast|auto] [--no-numpy] [--dense] [--middle]";

#[derive(Debug)]
struct Options {
    epochs: usize,
    threads: Option<usize>,
    isa: Option<Isa>,
    random: bool,
    sleep: bool,
    mode: Mode,
    numpy: bool,
    dense: bool,
    middle: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// `FastMlp::train_epoch` on the bytes (the default).
    Fast,
    /// Chapter 9's `fit` with this engine.
    Fit(Engine),
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        epochs: 7,
        threads: None,
        isa: None,
        random: false,
        sleep: false,
        mode: Mode::Fast,
        numpy: true,
        dense: false,
        middle: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--epochs" => o.epochs = value()?.parse().map_err(|e| format!("--epochs: {e}"))?,
            "--threads" => {
                o.threads = Some(value()?.parse().map_err(|e| format!("--threads: {e}"))?)
            }
            "--isa" => {
                let name = value()?;
                o.isa = Some(Isa::from_name(name).ok_or(format!("unknown --isa {name}"))?);
            }
            "--random" => o.random = true,
            "--sleep" => o.sleep = true,
            "--no-numpy" => o.numpy = false,
            "--dense" => o.dense = true,
            "--middle" => o.middle = true,
            "--engine" => {
                o.mode = Mode::Fit(match value()?.as_str() {
                    "clear" => Engine::Clear,
                    "fast" => Engine::Fast,
                    "auto" => Engine::Auto,
                    other => return Err(format!("unknown --engine {other}")),
                })
            }
            // cargo bench passes --bench to every benchmark binary.
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if o.epochs == 0 {
        return Err("--epochs must be at least 1".into());
    }
    Ok(o)
}

/// The 55 000 training images, or random ones of the same shape.
fn training_data(random: bool) -> (Split, &'static str) {
    if !random && let Some(dir) = std::env::var_os("FASHION_MNIST_DIR") {
        match FashionMnist::load_from(Path::new(&dir)) {
            Ok(data) => return (data.into_splits().train, "Fashion-MNIST"),
            Err(e) => eprintln!("could not load Fashion-MNIST ({e}); using random images"),
        }
    }
    let mut rng = seeded_rng(7);
    let images = Array3::from_shape_simple_fn((55_000, 28, 28), || rng.random::<u8>());
    let labels = Array1::from_shape_simple_fn(55_000, || rng.random_range(0..10u8));
    let split = Split::new(images, labels).expect("random data of the right shape");
    (split, "random images")
}

/// The model's dense layers as (weights, bias) pairs.
fn dense_parameters(model: &Sequential) -> Vec<(Array2<f32>, Array1<f32>)> {
    model
        .layers()
        .filter_map(|(_, l)| l.as_any().downcast_ref::<Dense>()?.core())
        .map(|d| (d.weights.clone(), d.bias.clone()))
        .collect()
}

/// Peak resident memory of this process so far, in MiB.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU time used so far by the calling thread, in seconds (Linux), to tell
/// a slow program from a busy machine.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Floating-point operations of one epoch: forward, weight gradients, and
/// input gradients of every layer but the first (2 per multiply-add).
fn flops_per_epoch(sizes: &[usize], samples: usize) -> f64 {
    let products: Vec<f64> = sizes.windows(2).map(|w| (w[0] * w[1]) as f64).collect();
    let all: f64 = products.iter().sum();
    2.0 * samples as f64 * (2.0 * all + (all - products[0]))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let (train, source) = training_data(options.random);
    let mut config = FastConfig::default();
    if let Some(t) = options.threads {
        config.threads = t;
    }
    if let Some(isa) = options.isa {
        config.isa = isa;
    }
    config.skip_zeros = !options.dense;
    // Each thread gets the pixels of half the non-zeros, unless `--middle`.
    config.first_cut = match options.middle {
        true => None,
        false => Some(balanced_cut(train.flat())),
    };
    if options.sleep {
        config.wait = Wait::Sleep;
    }
    let mut model = compiled_reference_model(42).expect("the reference model");
    let sizes = [784, 300, 100, 10];
    let n = train.len();
    let what = match options.mode {
        Mode::Fast => format!(
            "FastMlp::train_epoch, {} kernels, {} thread(s){}, first layer cut at input {}{}",
            config.isa.name(),
            config.threads,
            if options.sleep { " that sleep" } else { "" },
            config.first_cut.unwrap_or(sizes[0] / 2),
            if options.dense {
                ", zero pixels not skipped"
            } else {
                ""
            }
        ),
        Mode::Fit(engine) => format!("chapter 9's fit, engine {}", engine.name()),
    };
    println!("training epochs of 784-300-100-10 on {n} {source}, batch 32, SGD 0.01: {what}");

    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut ran = Engine::Fast;
    match options.mode {
        Mode::Fast => {
            let params = dense_parameters(&model);
            let views: Vec<_> = params.iter().map(|(w, b)| (w.view(), b.view())).collect();
            let mut fast = FastMlp::from_parameters(&views, config.clone()).expect("trainer");
            let mut rng = seeded_rng(43);
            let mut order: Vec<usize> = (0..n).collect();
            let labels = train.labels.as_slice().expect("labels in a row");
            for epoch in 0..=options.epochs {
                order.shuffle(&mut rng);
                let (start, cpu) = (Instant::now(), thread_cpu_seconds());
                let stats = fast
                    .train_epoch(train.flat(), labels, &order, 0.01)
                    .expect("an epoch");
                let seconds = start.elapsed().as_secs_f64();
                let cpu = thread_cpu_seconds().zip(cpu).map(|(b, a)| b - a);
                report_epoch(epoch, seconds, cpu, stats.loss, stats.accuracy);
                if epoch > 0 {
                    times.push(seconds);
                    cpu_times.extend(cpu);
                }
            }
            for thread in 0..config.threads {
                let Some(profile) = fast.profile(thread) else {
                    continue;
                };
                let who = if thread == 0 { "calling" } else { "helper" };
                println!("\nwhere the {who} thread's time went in the last epoch:");
                println!("{:<32} {:>8} {:>8}", "phase", "work s", "wait s");
                for p in profile {
                    println!("{:<32} {:>8.3} {:>8.3}", p.phase, p.work, p.wait);
                }
            }
        }
        Mode::Fit(engine) => {
            for epoch in 0..=options.epochs {
                let fit = FitOptions::new()
                    .engine(engine)
                    .epochs(1)
                    .seed(43 + epoch as u64)
                    .verbose(false);
                let (start, cpu) = (Instant::now(), thread_cpu_seconds());
                let history = model.fit(&train, fit).expect("an epoch");
                let seconds = start.elapsed().as_secs_f64();
                let cpu = thread_cpu_seconds().zip(cpu).map(|(b, a)| b - a);
                let record = &history.epochs[0];
                ran = record.engine;
                let accuracy = record.accuracy.unwrap_or(f32::NAN);
                report_epoch(epoch, seconds, cpu, record.loss, accuracy);
                if epoch > 0 {
                    times.push(seconds);
                    cpu_times.extend(cpu);
                }
            }
        }
    }
    let (median, min, max) = median_min_max(&mut times);
    let gflop = flops_per_epoch(&sizes, n) / 1e9;
    let threads = match ran {
        Engine::Fast => config.threads,
        _ => 1,
    };
    println!("engine that ran: {}", ran.name());
    let peak = peak_gflops(config.isa, threads, Duration::from_millis(500)).unwrap_or(f64::NAN);
    println!();
    println!(
        "seconds/epoch: median {median:.3}, min {min:.3}, max {max:.3} over {} epochs (spread {:.0}%)",
        times.len(),
        100.0 * (max - min) / median
    );
    if cpu_times.len() == times.len() {
        let (cpu, _, _) = median_min_max(&mut cpu_times);
        println!("CPU seconds/epoch of the calling thread: median {cpu:.3}");
    }
    println!("images/s: {:.0}", n as f64 / median);
    let skipping = ran == Engine::Fast && !options.dense;
    println!(
        "arithmetic: {gflop:.1} GFLOP/epoch as dense products, {:.1} GFLOP/s of them; peak of {} thread(s) with {} FMA: {peak:.1} GFLOP/s{}",
        gflop / median,
        threads,
        config.isa.name(),
        match skipping {
            true => String::new(),
            false => format!(" ({:.0}% of peak)", 100.0 * gflop / median / peak),
        }
    );
    if skipping {
        // The first layer's forward product and weight gradient, 2 flops
        // per multiply-add each, done only for the pixels that are not 0.
        let pixels = train.flat();
        let zeros = pixels.iter().filter(|&&p| p == 0).count() as f64 / pixels.len() as f64;
        let first = 2.0 * 2.0 * n as f64 * (sizes[0] * sizes[1]) as f64 / 1e9;
        let done = gflop - first * zeros;
        println!(
            "zero pixels skipped: {:.1}% of the pixels are 0, so the first layer does {:.1} of its {first:.1} GFLOP and the epoch {done:.1} GFLOP \
(not counting the zeros ReLU makes in the second layer): {:.1} GFLOP/s done, {:.0}% of peak",
            100.0 * zeros,
            first * (1.0 - zeros),
            done / median,
            100.0 * done / median / peak
        );
        // Why the first layer's update takes pixels in pairs: neighbours are
        // non-zero in nearly the same images.
        let (mut pairs, mut either) = (0, 0);
        for image in train.flat().rows() {
            for k in (1..image.len()).step_by(2) {
                pairs += 1;
                either += usize::from(image[k - 1] != 0 || image[k] != 0);
            }
        }
        println!(
            "neighbouring pixels (2k, 2k + 1): one is not 0 in {:.1}% of the images, either in {:.1}%",
            100.0 * (1.0 - zeros),
            100.0 * either as f64 / pairs as f64
        );
        // Why the first layer is cut by the data: the calling thread's share
        // of the non-zero pixels, at the cut and in the middle.
        let share = |cut: usize| {
            let below = |image: ndarray::ArrayView1<'_, u8>| {
                image.iter().take(cut).filter(|&&p| p != 0).count()
            };
            let ours: usize = train.flat().rows().into_iter().map(below).sum();
            100.0 * ours as f64 / ((1.0 - zeros) * pixels.len() as f64)
        };
        let cut = config.first_cut.unwrap_or(sizes[0] / 2);
        println!(
            "the calling thread's share of the non-zero pixels: {:.1}% with the cut at input {cut}, {:.1}% with the cut in the middle",
            share(cut),
            share(sizes[0] / 2)
        );
    }
    match peak_memory_mib() {
        Some(mib) => println!("peak resident memory (VmHWM): {mib:.0} MiB"),
        None => println!("peak resident memory: not available (no /proc/self/status)"),
    }
    if options.numpy && options.mode == Mode::Fast {
        compare_with_numpy(median, n, &config, options.epochs);
    }
}

/// The load average of the machine over 1, 5 and 15 minutes.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "not available".into())
}

/// The NumPy script's median seconds per epoch for `model` on `samples`
/// samples, or why there is none.
fn numpy_seconds(model: &str, samples: usize, epochs: usize) -> Result<f64, String> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../appendix-speed/python/numpy_reference.py"
    );
    let has_numpy = std::process::Command::new(&python)
        .args(["-c", "import numpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_numpy {
        return Err(format!(
            "numpy not found ({python} cannot import it; set PYTHON to an interpreter that can)"
        ));
    }
    let out = std::process::Command::new(&python)
        .arg(script)
        .args(["--model", model, "--samples", &samples.to_string()])
        .args(["--epochs", &epochs.to_string()])
        .output()
        .map_err(|e| format!("could not run {python}: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("median_seconds_per_epoch "))
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| {
            let err = String::from_utf8_lossy(&out.stderr);
            format!("the NumPy script failed: {}", err.trim())
        })
}

/// Glorot-uniform weights and zero biases for the layer sizes `sizes`.
fn glorot(sizes: &[usize], seed: u64) -> Vec<(Array2<f32>, Array1<f32>)> {
    let mut rng = seeded_rng(seed);
    sizes
        .windows(2)
        .map(|w| {
            let limit = (6.0 / (w[0] + w[1]) as f32).sqrt();
            let weights =
                Array2::from_shape_simple_fn((w[0], w[1]), || rng.random_range(-limit..limit));
            (weights, Array1::zeros(w[1]))
        })
        .collect()
}

/// The fast engine's median seconds per epoch for `model` on `inputs` and
/// `targets` (after one warm-up epoch), learning rate 0.01.
fn engine_seconds(
    model: &Model,
    sizes: &[usize],
    inputs: Inputs<'_>,
    targets: Targets<'_>,
    config: FastConfig,
    epochs: usize,
) -> f64 {
    let params = glorot(sizes, 5);
    let views: Vec<_> = params.iter().map(|(w, b)| (w.view(), b.view())).collect();
    let mut net = FastMlp::new(model, &views, config).expect("trainer");
    let n = match inputs {
        Inputs::Bytes(x) => x.nrows(),
        Inputs::Floats(x) => x.nrows(),
    };
    let mut rng = seeded_rng(6);
    let mut order: Vec<usize> = (0..n).collect();
    let mut times = Vec::new();
    for epoch in 0..=epochs {
        order.shuffle(&mut rng);
        let start = Instant::now();
        net.train(inputs, targets, &order, &[0.01])
            .expect("an epoch");
        if epoch > 0 {
            times.push(start.elapsed().as_secs_f64());
        }
    }
    median_min_max(&mut times).0
}

/// The median seconds per epoch of `fit` on the fast engine for chapter 8's
/// regressor (8 inputs, 30 ReLU units, one linear output, mean squared
/// error, SGD 0.01, batches of 32), after one warm-up epoch.
fn fit_seconds_regression(
    x: ndarray::ArrayView2<f32>,
    y: ndarray::ArrayView2<f32>,
    epochs: usize,
) -> Result<f64, Box<dyn std::error::Error>> {
    let mut model = ch08_sequential::regression_model(x.ncols(), 30, 5)?;
    model.compile(
        ch08_sequential::LossKind::MeanSquaredError,
        ch08_sequential::Sgd::new(0.01)?,
        &[],
    )?;
    let data = ch09_training::InMemory::new(x, y)?;
    let history = model.fit(
        &data,
        FitOptions::new()
            .engine(Engine::Fast)
            .epochs(epochs + 1)
            .batch_size(32)
            .verbose(false),
    )?;
    let mut times: Vec<f64> = history.epochs[1..].iter().map(|e| e.seconds).collect();
    Ok(median_min_max(&mut times).0)
}

/// One line of the comparison: both medians and their ratio.
fn report_ratio(what: &str, ours: f64, numpy: Result<f64, String>, target: f64) {
    match numpy {
        Ok(theirs) => println!(
            "{what}: fast engine {ours:.5} s/epoch, NumPy {theirs:.5} s/epoch: {:.2} times faster (target: at least {target})",
            theirs / ours
        ),
        Err(why) => println!("{what}: fast engine {ours:.5} s/epoch; {why}"),
    }
}

/// The comparison with NumPy, model by model, in this run.
fn compare_with_numpy(reference: f64, n: usize, config: &FastConfig, epochs: usize) {
    println!(
        "
against NumPy with OpenBLAS on 1 thread, same run, batch 32, SGD 0.01"
    );
    println!("load average before: {}", load_average());
    let numpy = numpy_seconds("reference", n, epochs);
    report_ratio("784-300-100-10 ReLU, softmax", reference, numpy, 5.5);

    // Random bytes and real values have zeros nowhere in particular: the
    // other models' first layers are cut in the middle.
    let config = &FastConfig {
        first_cut: None,
        ..config.clone()
    };
    let mut rng = seeded_rng(8);
    let images = Array2::from_shape_simple_fn((n, 784), || rng.random::<u8>());
    let labels: Vec<u8> = (0..n).map(|_| rng.random_range(0..10)).collect();
    let tanh = Model {
        hidden: vec![Hidden::Tanh],
        output: Output::SoftmaxCrossEntropy,
        momentum: 0.9,
    };
    let ours = engine_seconds(
        &tanh,
        &[784, 100, 10],
        Inputs::Bytes(images.view()),
        Targets::Labels(&labels),
        config.clone(),
        epochs,
    );
    let numpy = numpy_seconds("tanh", n, epochs);
    report_ratio("784-100-10 tanh, softmax, momentum 0.9", ours, numpy, 3.0);

    let rows = 16_512;
    let x = Array2::from_shape_simple_fn((rows, 8), || rng.random_range(-2.0f32..2.0));
    let y = Array2::from_shape_simple_fn((rows, 1), || rng.random_range(-2.0f32..2.0));
    let housing = Model {
        hidden: vec![Hidden::Relu],
        output: Output::LinearMse,
        momentum: 0.0,
    };
    // One thread, as chapter 9's `fit` chooses for a model this small.
    let one = FastConfig {
        threads: 1,
        ..config.clone()
    };
    let ours = engine_seconds(
        &housing,
        &[8, 30, 1],
        Inputs::Floats(x.view()),
        Targets::Values(y.view()),
        one,
        epochs,
    );
    let numpy = numpy_seconds("housing", rows, epochs);
    report_ratio(
        &format!("8-30-1 ReLU, linear, MSE ({rows} samples, 1 thread)"),
        ours,
        numpy.clone(),
        3.0,
    );
    // The same model and data through chapter 9's `fit`, as a reader trains
    // it: a `Sequential` regressor on real-valued targets.
    match fit_seconds_regression(x.view(), y.view(), epochs) {
        Ok(ours) => report_ratio(
            &format!("8-30-1 ReLU, linear, MSE ({rows} samples), through fit"),
            ours,
            numpy,
            3.0,
        ),
        Err(e) => println!("8-30-1 through fit: {e}"),
    }
    println!("load average after: {}", load_average());
}

fn median_min_max(values: &mut [f64]) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    (median, values[0], values[n - 1])
}

fn report_epoch(epoch: usize, seconds: f64, cpu: Option<f64>, loss: f32, accuracy: f32) {
    let label = if epoch == 0 {
        "warm-up".to_string()
    } else {
        format!("epoch {epoch}")
    };
    let cpu = cpu.map_or(String::new(), |c| format!(", CPU {c:.3} s"));
    println!("{label:>9}: {seconds:.3} s{cpu}  (loss {loss:.4}, accuracy {accuracy:.4})");
}
