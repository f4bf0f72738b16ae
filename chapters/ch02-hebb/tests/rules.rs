//! What a reader would check: Hebbian weights grow without bound, Oja's
//! settle at length one along the first principal component.

use ch02_hebb::experiments::{CloudSettings, run_cloud};
use ch02_hebb::pca::{cosine, covariance, leading_eigenvector_2x2};
use ch02_hebb::{Rule, train};
use ndarray::array;

#[test]
fn plain_hebbian_weights_never_shrink_and_explode() {
    let run = run_cloud(&CloudSettings::default()).unwrap();
    let norms = run.hebb.norms();
    assert_eq!(run.hebb.overflow_at, None);
    // In exact arithmetic the norm never decreases; in f32 a step with an
    // output near zero may round it down by a few units in the last place.
    let shrink = norms
        .windows(2)
        .map(|p| p[1] / p[0])
        .fold(f32::MAX, f32::min);
    assert!(shrink >= 1.0 - 1e-6, "the norm shrank by a factor {shrink}");
    let growth = norms.last().unwrap() / norms[0];
    assert!(growth > 1e10, "grew only {growth}×");
}

#[test]
fn hebbian_growth_ends_in_overflow_given_time() {
    let settings = CloudSettings {
        epochs: 5,
        ..CloudSettings::default()
    };
    let run = run_cloud(&settings).unwrap();
    let step = run.hebb.overflow_at.expect("five passes must overflow f32");
    assert!(step > 1000 && step < 5000, "overflow at step {step}");
    assert_eq!(run.oja.overflow_at, None);
}

#[test]
fn oja_converges_to_unit_length_along_the_leading_eigenvector() {
    let run = run_cloud(&CloudSettings::default()).unwrap();
    let norms = run.oja.norms();
    let last = *norms.last().unwrap();
    assert!((last - 1.0).abs() < 0.01, "final length {last}");
    assert!(norms[500..].iter().all(|n| (n - 1.0).abs() < 0.02));
    let cos = cosine(run.oja.last(), run.eigenvector.view()).unwrap();
    assert!(cos.abs() >= 0.99, "|cos| = {}", cos.abs());
}

#[test]
fn oja_finds_the_component_for_other_clouds_and_starts() {
    for (seed, angle) in [(1u64, -60.0f32), (2, 0.0), (3, 75.0), (4, 135.0)] {
        let settings = CloudSettings {
            seed,
            angle_deg: angle,
            epochs: 2,
            ..CloudSettings::default()
        };
        let run = run_cloud(&settings).unwrap();
        for w0 in [array![1.0f32, 1.0], array![-0.1, 0.05], array![2.0, -3.0]] {
            let t = train(Rule::Oja, run.data.view(), w0.view(), 0.005, 3).unwrap();
            let w = t.last();
            let cos = cosine(w, run.eigenvector.view()).unwrap();
            assert!(
                cos.abs() >= 0.99,
                "seed {seed}, angle {angle}, start {w0}: |cos| {cos}"
            );
            assert!((w.dot(&w).sqrt() - 1.0).abs() < 0.03);
        }
    }
}

#[test]
fn the_closed_form_eigenvector_matches_the_cloud_it_came_from() {
    let run = run_cloud(&CloudSettings::default()).unwrap();
    assert_eq!(covariance(run.data.view()).unwrap(), run.covariance);
    let (lambda, e1) = leading_eigenvector_2x2(run.covariance.view()).unwrap();
    assert_eq!(lambda, run.eigenvalue);
    // The cloud was drawn along 30°, with variance 2² = 4 along it.
    let angle = e1[1].atan2(e1[0]).to_degrees().rem_euclid(180.0);
    assert!((angle - 30.0).abs() < 3.0, "angle {angle}");
    assert!((lambda - 4.0).abs() < 0.4, "λ₁ = {lambda}");
}
