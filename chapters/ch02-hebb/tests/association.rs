//! A linear associator stores pattern pairs by Hebb's rule and recalls them.

use ch00_toolbox::seeded_rng;
use ch02_hebb::LinearAssociator;
use ch02_hebb::association::{bipolar, flip, hadamard, random_bipolar, sign_agreement};
use ch02_hebb::experiments::capacity;
use ndarray::{Array2, s};

#[test]
fn orthogonal_keys_recall_their_values_exactly() {
    let keys = hadamard(4).unwrap(); // 16 orthogonal keys of length 16
    let values = random_bipolar(16, 10, &mut seeded_rng(5)).unwrap();
    let memory = LinearAssociator::learn(keys.view(), values.view()).unwrap();
    let recalled = memory.recall(keys.view()).unwrap();
    assert!((&recalled - &values).iter().all(|e| e.abs() < 1e-5));
}

#[test]
fn a_noisy_cue_still_recalls_the_right_signs() {
    // Four orthogonal keys of length 64; three flipped entries change each
    // overlap by at most 6, far less than the 58 left for the right pair.
    let keys = hadamard(6).unwrap().slice(s![..4, ..]).to_owned();
    let values = random_bipolar(4, 20, &mut seeded_rng(8)).unwrap();
    let memory = LinearAssociator::learn(keys.view(), values.view()).unwrap();
    for (k, key) in keys.rows().into_iter().enumerate() {
        let cue = flip(key, &[k, 10 + k, 40]).unwrap();
        let cue = cue.view().insert_axis(ndarray::Axis(0));
        let answer = bipolar(memory.recall(cue).unwrap().view());
        assert_eq!(answer.row(0), values.row(k), "pair {k}");
    }
}

#[test]
fn random_keys_interfere_more_as_more_pairs_are_stored() {
    let curve = capacity(6, 64, 5).unwrap();
    let at = |p: usize| curve[p - 1];
    assert_eq!(at(1).random_keys, 1.0);
    assert!(at(8).random_keys > at(32).random_keys);
    assert!(at(32).random_keys > at(64).random_keys);
    assert!(at(64).random_keys < 0.9, "{:?}", at(64));
    assert!(curve.iter().all(|p| p.orthogonal_keys == Some(1.0)));
}

#[test]
fn recall_of_random_pairs_is_measured_against_the_stored_values() {
    let mut rng = seeded_rng(9);
    let keys = random_bipolar(3, 50, &mut rng).unwrap();
    let values = random_bipolar(3, 7, &mut rng).unwrap();
    let memory = LinearAssociator::learn(keys.view(), values.view()).unwrap();
    let right = sign_agreement(memory.recall(keys.view()).unwrap().view(), values.view()).unwrap();
    let wrong = sign_agreement(
        memory.recall(keys.view()).unwrap().view(),
        (-&values).view(),
    )
    .unwrap();
    assert!((right + wrong - 1.0).abs() < 1e-6);
    assert!(right > 0.9);
    let empty = LinearAssociator::new(50, 7).unwrap();
    assert_eq!(empty.recall(keys.view()).unwrap(), Array2::zeros((3, 7)));
}
