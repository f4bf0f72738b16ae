//! The numbers of the page *The maths you need*, checked against the crate.

use ch02_hebb::experiments::{CloudSettings, predicted_recall, run_cloud};
use ch02_hebb::pca::{covariance, eigen_2x2};
use ch02_hebb::primer::{
    average, erf, normal_cdf, oja_step_error, outer, sqrt_first_order_error, step_example,
    tiny_data,
};
use ndarray::array;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn the_outer_product_example_is_the_table_on_the_page() {
    let (x, y) = (array![1.0f32, 2.0], array![3.0f32, -1.0]);
    assert_eq!(x.dot(&y), 1.0);
    assert_eq!(
        outer(x.view(), y.view()).unwrap(),
        array![[3.0, -1.0], [6.0, -2.0]]
    );
    // The outer product's rows are multiples of y: x₁ y and x₂ y.
    assert_eq!(
        outer(y.view(), x.view()).unwrap(),
        outer(x.view(), y.view()).unwrap().t()
    );
}

#[test]
fn the_averages_and_covariance_of_the_tiny_data_set() {
    let data = tiny_data();
    assert_eq!(average(data.view(), |p| p[0]).unwrap(), 0.0);
    assert_eq!(average(data.view(), |p| p[1]).unwrap(), 0.0);
    assert_eq!(average(data.view(), |p| p[0] * p[0]).unwrap(), 2.5);
    assert_eq!(average(data.view(), |p| p[0] * p[1]).unwrap(), 2.0);
    let c = covariance(data.view()).unwrap();
    assert_eq!(c, array![[2.5, 2.0], [2.0, 2.5]]);
}

#[test]
fn the_tiny_covariance_has_eigenvalues_four_and_a_half_and_one_half() {
    let c = covariance(tiny_data().view()).unwrap();
    let [(l1, e1), (l2, e2)] = eigen_2x2(c.view()).unwrap();
    assert!(
        (l1 - 4.5).abs() < 1e-5 && (l2 - 0.5).abs() < 1e-5,
        "{l1} {l2}"
    );
    let h = std::f32::consts::FRAC_1_SQRT_2;
    assert!((e1[0] - h).abs() < 1e-5 && (e1[1] - h).abs() < 1e-5, "{e1}");
    assert!((e2[0] + h).abs() < 1e-5 && (e2[1] - h).abs() < 1e-5, "{e2}");
    // C e = λ e, the definition, checked on the numbers the page shows.
    assert!((&c.dot(&e1) - &(&e1 * 4.5)).iter().all(|v| v.abs() < 1e-5));
}

#[test]
fn the_square_root_table_shrinks_fourfold_per_halving() {
    let page = [
        (0.2, 0.004555),
        (0.1, 0.001191),
        (0.05, 0.000305),
        (0.025, 0.000077),
    ];
    for (eps, error) in page {
        let e = sqrt_first_order_error(eps);
        assert!(close(e, error, 5e-7), "ε = {eps}: {e}");
        // The error tends to ε²/8, the next term of the series.
        assert!((0.11..0.126).contains(&(e / (eps * eps))), "{e}");
    }
}

#[test]
fn halving_the_step_quarters_the_error_of_ojas_rule() {
    let (w, x) = step_example();
    let errors: Vec<f32> = [0.2f32, 0.1, 0.05, 0.025]
        .iter()
        .map(|&eta| oja_step_error(w.view(), x.view(), eta).unwrap())
        .collect();
    for (eta, e) in [0.2f32, 0.1, 0.05, 0.025].iter().zip(&errors) {
        let ratio = e / (eta * eta);
        assert!(
            (0.9..1.15).contains(&ratio),
            "η = {eta}: error/η² = {ratio}"
        );
    }
    for pair in errors.windows(2) {
        let shrink = pair[0] / pair[1];
        assert!((3.6..4.1).contains(&shrink), "{errors:?}");
    }
    // The page's first two rows.
    assert!((errors[0] - 0.0381).abs() < 5e-5 && (errors[1] - 0.0103).abs() < 5e-5);
}

#[test]
fn phi_and_erf_agree_with_their_tables() {
    // Values from standard tables of the error function and the normal law.
    assert!(close(erf(0.0), 0.0, 1e-15));
    assert!(close(erf(0.5), 0.520_499_877_8, 1e-9));
    assert!(close(erf(1.0), 0.842_700_792_9, 1e-9));
    assert!(close(erf(2.0), 0.995_322_265_0, 1e-9));
    assert!(close(erf(3.5), 0.999_999_256_9, 1e-9));
    assert!(close(normal_cdf(0.0), 0.5, 1e-15));
    assert!(close(normal_cdf(1.0), 0.841_344_746_1, 1e-9));
    assert!(close(normal_cdf(-1.0), 0.158_655_253_9, 1e-9));
    assert!(close(normal_cdf(1.96), 0.975_002_104_9, 1e-9));
    assert!(close(normal_cdf(1.0) - normal_cdf(-1.0), 0.6827, 5e-5));
}

#[test]
fn phi_matches_the_fraction_of_normal_samples_below_x() {
    use rand_distr::{Distribution, StandardNormal};
    let mut rng = ch00_toolbox::seeded_rng(17);
    let samples: Vec<f64> = (0..200_000)
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    for x in [-1.5, -0.3, 0.0, 0.8, 2.0] {
        let below = samples.iter().filter(|&&s| s <= x).count() as f64 / samples.len() as f64;
        assert!(close(below, normal_cdf(x), 0.004), "x = {x}: {below}");
    }
}

#[test]
fn the_capacity_estimate_quoted_in_chapter_two() {
    let p = |pairs| predicted_recall(64, pairs).unwrap();
    assert!(close(p(16), 0.9806, 5e-5), "{}", p(16));
    assert!(close(p(32), 0.9246, 5e-5), "{}", p(32));
    assert!(close(p(64), 0.8433, 5e-5), "{}", p(64));
    assert!(close(p(128), 0.7611, 5e-5), "{}", p(128));
    assert_eq!(p(1), 1.0);
    assert!(predicted_recall(0, 3).is_err());
}

#[test]
fn the_arrows_of_the_eigenvector_figure() {
    let run = run_cloud(&CloudSettings::default()).unwrap();
    let [(l1, _), (l2, _)] = eigen_2x2(run.covariance.view()).unwrap();
    assert!((l1.sqrt() - 2.0117).abs() < 1e-3, "{}", l1.sqrt());
    assert!((l2.sqrt() - 0.5758).abs() < 1e-3, "{}", l2.sqrt());
}

#[test]
fn length_cosine_and_transpose_examples() {
    use ch02_hebb::learning::norm;
    use ch02_hebb::pca::cosine;
    assert_eq!(norm(array![3.0f32, 4.0].view()), 5.0);
    let (x, y) = (array![1.0f32, 2.0], array![3.0f32, -1.0]);
    // cos θ = 1 / (√5 · √10) = 1/√50.
    let cos = cosine(x.view(), y.view()).unwrap();
    assert!((cos - 0.1414).abs() < 5e-5, "{cos}");
    // (xᵀy)ᵀ = yᵀx: the page's transposed outer product.
    assert_eq!(
        outer(y.view(), x.view()).unwrap(),
        array![[3.0, 6.0], [-1.0, -2.0]]
    );
}

#[test]
fn variance_along_a_direction_on_the_four_points() {
    let data = tiny_data();
    let c = covariance(data.view()).unwrap();
    let (u1, u2) = (array![1.0f32, 0.0], array![0.0f32, 1.0]);
    assert_eq!(c.dot(&u1), array![2.5, 2.0]);
    assert_eq!(c.dot(&u2), array![2.0, 2.5]);
    assert_eq!(u1.dot(&c.dot(&u1)), 2.5);
    let [(l1, e1), (l2, e2)] = eigen_2x2(c.view()).unwrap();
    assert!((e1.dot(&c.dot(&e1)) - l1).abs() < 1e-5);
    assert!((e2.dot(&c.dot(&e2)) - l2).abs() < 1e-5);
    // Every point reaches ±3/√2 = ±2.1213 along e₁; the squares average 4.5.
    let along = data.dot(&e1);
    assert!(
        along.iter().all(|v| (v.abs() - 2.1213).abs() < 5e-5),
        "{along}"
    );
    let mean_square = along.mapv(|v| v * v).mean().unwrap();
    assert!((mean_square - 4.5).abs() < 1e-5, "{mean_square}");
}

#[test]
fn the_bell_curve_and_the_one_sigma_probability() {
    use ch02_hebb::primer::normal_density;
    assert!(close(normal_density(0.0), 0.3989, 5e-5));
    assert!(close(normal_density(1.0), 0.2420, 5e-5));
    assert!(close(normal_density(2.0), 0.0540, 5e-5));
    // The area under the bell is 1 (a sum of thin strips, width 0.001).
    let area: f64 = (-8000..8000)
        .map(|k| normal_density((k as f64 + 0.5) * 0.001) * 0.001)
        .sum();
    assert!(close(area, 1.0, 1e-9), "{area}");
    // The page's rounding: the table's four-decimal entries give 0.6826,
    // the exact difference is 0.68269.
    assert!(close(normal_cdf(1.0) - normal_cdf(-1.0), 0.68269, 5e-6));
    let rounded = |v: f64| (v * 1e4).round() / 1e4;
    assert!(close(
        rounded(normal_cdf(1.0)) - rounded(normal_cdf(-1.0)),
        0.6826,
        1e-9
    ));
}
