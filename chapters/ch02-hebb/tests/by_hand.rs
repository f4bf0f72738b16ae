//! The small worked examples of chapter 2, against the numbers on the page.

use ch02_hebb::association::hadamard;
use ch02_hebb::learning::norm;
use ch02_hebb::primer::{average, tiny_data};
use ch02_hebb::{LinearAssociator, hebb_update, oja_update};
use ndarray::array;

fn near(a: f32, b: f32) -> bool {
    (a - b).abs() < 5e-5
}

#[test]
fn one_hebb_step_by_hand() {
    let mut w = array![1.0f32, 2.0];
    let y = hebb_update(&mut w, array![3.0, -1.0].view(), 0.1).unwrap();
    assert_eq!(y, 1.0);
    assert!(near(w[0], 1.3) && near(w[1], 1.9), "{w}");
}

#[test]
fn one_oja_step_by_hand_and_the_exact_repair() {
    let x = array![1.0f32, 1.0];
    let mut w = array![1.0f32, 0.0];
    let y = oja_update(&mut w, x.view(), 0.1).unwrap();
    assert_eq!(y, 1.0);
    assert!(near(w[0], 1.0) && near(w[1], 0.1), "{w}");
    assert!(near(norm(w.view()), 1.0050));
    let mut exact = array![1.0f32, 0.0];
    hebb_update(&mut exact, x.view(), 0.1).unwrap();
    let length = norm(exact.view());
    assert!(near(length, 1.1045), "{length}");
    exact /= length;
    assert!(near(exact[0], 0.9959) && near(exact[1], 0.0905), "{exact}");
}

#[test]
fn the_average_hebbian_change_is_c_times_w() {
    let data = tiny_data();
    // With w = (1, 0)ᵀ the output is y = x₁, so E[y xᵀ] = (E[x₁²], E[x₁ x₂]).
    let e = [
        average(data.view(), |p| p[0] * p[0]).unwrap(),
        average(data.view(), |p| p[0] * p[1]).unwrap(),
    ];
    assert_eq!(e, [2.5, 2.0]);
    let c = ch02_hebb::pca::covariance(data.view()).unwrap();
    assert_eq!(c.dot(&array![1.0f32, 0.0]), array![2.5, 2.0]);
}

#[test]
fn two_overlapping_keys_recall_with_crosstalk() {
    let keys = array![[1.0f32, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, -1.0]];
    let values = array![[1.0f32, -1.0], [1.0, 1.0]];
    assert_eq!(keys.row(0).dot(&keys.row(1)), 2.0);
    let memory = LinearAssociator::learn(keys.view(), values.view()).unwrap();
    let w = memory.weights();
    let page = array![[0.5f32, 0.0], [0.5, 0.0], [0.5, 0.0], [0.0, -0.5]];
    assert!((&w - &page).iter().all(|e| e.abs() < 1e-6), "{w}");
    let recalled = memory.recall(keys.view()).unwrap();
    // Right answer plus half of the other value: y₁ + ½ y₂ and ½ y₁ + y₂.
    let page = array![[1.5f32, -0.5], [1.5, 0.5]];
    assert!(
        (&recalled - &page).iter().all(|e| e.abs() < 1e-6),
        "{recalled}"
    );
}

#[test]
fn the_hadamard_matrix_for_k_two() {
    let h = hadamard(2).unwrap();
    let page = array![
        [1.0f32, 1.0, 1.0, 1.0],
        [1.0, -1.0, 1.0, -1.0],
        [1.0, 1.0, -1.0, -1.0],
        [1.0, -1.0, -1.0, 1.0]
    ];
    assert_eq!(h, page);
}
