//! Whatever a caller hands the toolbox's pure functions, the answer is a
//! value or an error, never a panic.

use std::ffi::OsStr;
use std::path::Path;

use ch00_toolbox::arrays::{affine, column_means};
use ch00_toolbox::download::{Source, default_cache_dir, sha256_hex, verify_file};
use ch00_toolbox::figure::{MAX_SAMPLES, colour, draw_first_plot, noisy_sine, svg_string};
use ch00_toolbox::real_data::{FASHION_MNIST, HOUSING, Located, cache_dir};
use ch00_toolbox::seeded_rng;
use hostile_inputs::{any_size, matrix_of};
use ndarray::{Array1, Array2};
use proptest::prelude::*;
use rand::Rng;

/// Values a hostile caller tries, in `f64`: ordinary ones, zero, extremes,
/// NaN, ±∞.
fn any_value() -> impl Strategy<Value = f64> + Clone {
    prop_oneof![
        4 => -3.0f64..10.0,
        1 => Just(0.0f64),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(f64::MAX),
        1 => Just(-1e300f64),
        1 => Just(1e15f64),
    ]
}

/// A matrix of 0 to 3 rows and columns of [`any_value`]s narrowed to `f32`.
fn any_matrix() -> impl Strategy<Value = Array2<f32>> {
    matrix_of(any_value().prop_map(|v| v as f32), 3)
}

#[test]
fn a_sample_too_large_to_hold_is_an_error() {
    // Before, `noisy_sine(usize::MAX, _)` asked for 2⁶⁸ bytes up front and
    // panicked with "capacity overflow"; 2⁴⁰ samples aborted the process.
    for n in [MAX_SAMPLES + 1, 1 << 40, usize::MAX / 2, usize::MAX] {
        let err = noisy_sine(n, 0).unwrap_err();
        assert!(err.to_string().contains(&n.to_string()), "{err}");
    }
    assert_eq!(noisy_sine(0, 0).unwrap(), vec![]);
    assert_eq!(noisy_sine(3, 9).unwrap(), noisy_sine(3, 9).unwrap());
}

#[test]
fn a_sample_far_off_the_axes_is_an_error() {
    // Before, plotters panicked ("attempt to add with overflow") placing it.
    for p in [(1e15, 0.0), (0.0, f64::MAX), (f64::NAN, 0.0)] {
        assert!(svg_string((600, 300), |a| draw_first_plot(a, &[p])).is_err());
    }
    assert!(svg_string((600, 300), |a| draw_first_plot(a, &[(1.0, 0.5)])).is_ok());
}

#[test]
fn sha256_of_known_inputs() {
    // FIPS 180-2, appendix B.1, and the hash of nothing.
    assert_eq!(
        sha256_hex(&b"abc"[..]).unwrap(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(&b""[..]).unwrap(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn randomness_arrays_and_figures_never_panic(
        seed in any::<u64>(),
        n in any_size(),
        i in any::<usize>(),
        points in proptest::collection::vec((any_value(), any_value()), 0..6),
        size in (
            prop_oneof![0u32..4, 200u32..700, Just(u32::MAX)],
            prop_oneof![0u32..4, 200u32..700, Just(u32::MAX)],
        ),
        x in any_matrix(),
        w in any_matrix(),
        b in proptest::collection::vec(any_value().prop_map(|v| v as f32), 0..4),
    ) {
        let (a, c): (u64, u64) = (seeded_rng(seed).random(), seeded_rng(seed).random());
        prop_assert_eq!(a, c);
        let _ = colour(i);
        match noisy_sine(n, seed) {
            Ok(samples) => {
                prop_assert_eq!(samples.len(), n);
                let tau = std::f64::consts::TAU;
                prop_assert!(samples.iter().all(|&(x, y)| (0.0..tau).contains(&x)
                    && (y - x.sin()).abs() <= 0.3));
            }
            Err(_) => prop_assert!(n > MAX_SAMPLES),
        }
        let _ = svg_string(size, |area| draw_first_plot(area, &points));
        let _ = affine(x.view(), w.view(), Array1::from(b).view());
        let _ = column_means(x.view());
    }

    #[test]
    fn data_locations_and_checksums_never_panic(
        name in ".{0,12}",
        value in prop_oneof![Just(None), ".{0,12}".prop_map(Some)],
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        expected in "[0-9a-fA-F]{0,64}",
    ) {
        let _ = cache_dir(&name);
        let _ = default_cache_dir(&name);
        let source = Source::from_env(&name, &name);
        let _ = source.dir();
        let scratch = std::env::temp_dir().join("ch00-hostile-no-such-folder");
        for data in [FASHION_MNIST, HOUSING] {
            match data.locate_in(value.as_deref().map(OsStr::new), &scratch.join(&name)) {
                Ok(Located::Variable(dir)) => prop_assert_eq!(Some(dir.as_os_str()), value.as_deref().map(OsStr::new)),
                Ok(found) => prop_assert!(!found.dir().as_os_str().is_empty()),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
        let hex = sha256_hex(&bytes[..]).unwrap();
        prop_assert_eq!(hex.len(), 64);
        prop_assert!(hex.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        prop_assert_eq!(&hex, &sha256_hex(&bytes[..]).unwrap());
        prop_assert!(verify_file(Path::new(&scratch).join(&name).as_path(), &expected).is_err());
    }
}
