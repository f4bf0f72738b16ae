//! The learning-rate finder: the rates it sets batch by batch, when it
//! stops, and the rate it suggests from a curve.

use ch08_sequential::Sgd;
use ch09_training::{Callback, Control, FitOptions, InMemory, Training};
use ch11_tuning::lr_finder::{LrCurve, LrFinder, LrFinderError, exponential_rate, smooth, suggest};
use ch11_tuning::models::mlp;
use ndarray::Array2;

/// Reads the rate of every batch from the optimizer, after the finder.
#[derive(Default)]
struct RateSpy {
    seen: Vec<f32>,
}

impl Callback for RateSpy {
    fn on_batch_begin(&mut self, _epoch: usize, _step: usize, optimizer: &mut Sgd) -> Control {
        self.seen.push(optimizer.learning_rate());
        Control::Continue
    }
}

/// `n` images of 784 pixels with labels 0 to 9.
fn images(n: usize) -> (Array2<f32>, Vec<u8>) {
    let x = Array2::from_shape_fn((n, 784), |(i, j)| ((i * 31 + j * 7) % 17) as f32 / 17.0);
    let y = (0..n).map(|i| (i % 10) as u8).collect();
    (x, y)
}

/// One epoch of the finder on `n` synthetic images in batches of 32.
fn run_finder(start: f32, end: f32, n: usize) -> (LrFinder, RateSpy, Option<String>) {
    let (x, y) = images(n);
    let data = InMemory::new(x.view(), &y).unwrap();
    let steps = n.div_ceil(32);
    let mut finder = LrFinder::new(start, end, steps).unwrap();
    let mut spy = RateSpy::default();
    let mut model = mlp(&[8], start, 3).unwrap();
    let history = model
        .fit(
            &data,
            FitOptions::new()
                .epochs(1)
                .batch_size(32)
                .verbose(false)
                .callback(&mut finder)
                .callback(&mut spy),
        )
        .unwrap();
    (finder, spy, history.stopped)
}

#[test]
fn the_finder_sets_exactly_the_exponential_rates() {
    let (start, end, n) = (1e-5f32, 1e-2f32, 320); // 10 batches, a rate too small to blow up
    let (finder, spy, stopped) = run_finder(start, end, n);
    assert_eq!(stopped, None, "the loss cannot blow up at these rates");
    let seen = &spy.seen;
    assert_eq!(seen.len(), 10, "one rate per batch");
    assert_eq!(
        finder.curve().rates,
        *seen,
        "the finder records the rate it set"
    );
    assert!((seen[0] - start).abs() <= start * 1e-6, "{seen:?}");
    assert!((seen[9] - end).abs() <= end * 1e-6, "{seen:?}");
    // The same factor, (end / start)^(1/9) = 10^(1/3), from batch to batch.
    let factor = 10f32.powf(1.0 / 3.0);
    for pair in seen.windows(2) {
        let ratio = pair[1] / pair[0];
        assert!(
            (ratio - factor).abs() < 1e-4,
            "{ratio} ≠ {factor}: {seen:?}"
        );
    }
    assert_eq!(finder.curve().losses.len(), 10);
}

#[test]
fn the_rate_formula_runs_from_start_to_end() {
    assert_eq!(exponential_rate(1e-5, 10.0, 0, 1719), 1e-5);
    assert!((exponential_rate(1e-5, 10.0, 1718, 1719) - 10.0).abs() < 1e-5);
    // Half way in steps is half way in decades: 1e-5 · 10³ = 1e-2.
    assert!((exponential_rate(1e-5, 10.0, 500, 1001) - 1e-2).abs() < 1e-7);
}

#[test]
fn the_finder_stops_when_the_loss_blows_up() {
    // From 0.1 to 1e6 over 40 batches: the loss explodes well before the end.
    let (finder, spy, stopped) = run_finder(0.1, 1e6, 1280);
    let why = stopped.expect("the finder must stop the epoch");
    let curve = finder.curve();
    assert!(curve.len() < 40, "ran all {} batches: {why}", curve.len());
    assert_eq!(spy.seen.len(), curve.len(), "no batch ran after the stop");
    let last = *curve.losses.last().unwrap();
    let lowest = curve
        .smoothed()
        .iter()
        .copied()
        .fold(f32::INFINITY, f32::min);
    let smoothed_last = curve.smoothed().last().copied().unwrap_or(f32::NAN);
    assert!(
        !last.is_finite() || smoothed_last > 4.0 * lowest,
        "stopped too early ({why}): last loss {last}, smoothed {smoothed_last}, lowest {lowest}"
    );
}

/// A curve over `n` rates from 1e-5 to 10: flat at 2.3, falling in a
/// straight line (in log rate) to 0.3 at the rate 1e-1, then rising steeply.
fn valley(n: usize) -> (Vec<f32>, Vec<f32>) {
    let rates: Vec<f32> = (0..n).map(|k| exponential_rate(1e-5, 10.0, k, n)).collect();
    let losses = rates
        .iter()
        .map(|&r| {
            let d = r.log10(); // −5 … 1
            if d < -3.0 {
                2.3
            } else if d <= -1.0 {
                2.3 - (d + 3.0)
            } else {
                0.3 + 20.0 * (d + 1.0)
            }
        })
        .collect();
    (rates, losses)
}

#[test]
fn a_valley_suggests_half_the_rate_at_its_bottom() {
    let (rates, losses) = valley(1200);
    let s = suggest(&rates, &losses).unwrap();
    assert_eq!(s.rate, s.lowest_rate / 2.0);
    assert_eq!(s.lowest_rate, rates[s.lowest_index]);
    // The bottom is at 0.1; the smoothed curve's lowest point lags a little
    // behind it, towards larger rates, but not past the steep wall.
    assert!(
        (0.1..0.2).contains(&s.lowest_rate),
        "lowest at {}",
        s.lowest_rate
    );
    assert!((0.05..0.1).contains(&s.rate), "suggested {}", s.rate);
    let smoothed = smooth(&losses, 0.98);
    assert!(smoothed[s.lowest_index] <= smoothed.iter().copied().fold(f32::INFINITY, f32::min));
}

#[test]
fn a_curve_that_never_turns_or_never_falls_suggests_nothing() {
    let rates: Vec<f32> = (0..300)
        .map(|k| exponential_rate(1e-5, 10.0, k, 300))
        .collect();
    let falling: Vec<f32> = (0..300).map(|k| 2.3 - k as f32 / 200.0).collect();
    assert!(matches!(
        suggest(&rates, &falling),
        Err(LrFinderError::NeverTurned { .. })
    ));
    let rising: Vec<f32> = (0..300).map(|k| 0.5 + k as f32 / 100.0).collect();
    assert!(matches!(
        suggest(&rates, &rising),
        Err(LrFinderError::NeverFell { .. })
    ));
}

#[test]
fn the_curve_ends_at_its_first_nan() {
    let (rates, mut losses) = valley(1200);
    // A NaN in the falling part: what follows it does not count, and the
    // lowest point is just before it, where the loss had fallen to.
    let cut = rates.iter().position(|&r| r > 1e-2).unwrap();
    losses[cut] = f32::NAN;
    let s = suggest(&rates, &losses).unwrap();
    assert!(s.lowest_index < cut, "{s:?}");
    assert!(s.lowest_rate <= 1e-2, "{s:?}");
    // A NaN first: no curve at all.
    losses[0] = f32::NAN;
    assert_eq!(suggest(&rates, &losses), Err(LrFinderError::NoCurve));
    let curve = LrCurve {
        rates: rates.clone(),
        losses,
    };
    assert!(curve.smoothed().is_empty());
}

#[test]
fn an_empty_or_uneven_curve_is_an_error() {
    assert_eq!(suggest(&[], &[]), Err(LrFinderError::NoCurve));
    assert_eq!(
        suggest(&[1e-3, 1e-2], &[1.0]),
        Err(LrFinderError::LengthMismatch {
            rates: 2,
            losses: 1
        })
    );
}

#[test]
fn the_curve_survives_a_csv_round_trip() {
    let (rates, losses) = valley(50);
    let curve = LrCurve { rates, losses };
    let path = std::env::temp_dir().join(format!("ch11-lr-curve-{}.csv", std::process::id()));
    curve.write_csv(&path).unwrap();
    let back = LrCurve::read_csv(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(back, curve);
}

#[test]
fn the_command_refuses_a_bad_range_or_output_before_loading_anything() {
    let dir = std::env::temp_dir().join(format!("ch11-lr-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("no-data-here");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_ch11-tuning"))
            .arg("lr-find")
            .args(args)
            .arg("--no-figures")
            .env("FASHION_MNIST_DIR", &missing)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    let (code, text) = run(&["--start-rate", "1", "--end-rate", "0.1", "--out-dir", out]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("0 < start < end"), "{text}");
    let (code, _) = run(&["--epochs", "0"]);
    assert_eq!(code, Some(2), "refused by the command line");
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let (code, text) = run(&["--out-dir", file.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("--out-dir"), "{text}");
    // Good settings: the missing data folder is the error, named.
    let (code, text) = run(&["--out-dir", out]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("no-data-here") && !text.contains("panicked"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
