//! Oja's rule: Hebb's rule with a built-in forgetting term that keeps the
//! weight vector at length one, Δw = η y (xᵀ − y w).

use ndarray::{Array1, ArrayView1};

use crate::error::{HebbError, check_rate};
use crate::hebb::output;

// ANCHOR: oja_update
/// One step of Oja's rule on one sample: w ← w + η y (xᵀ − y w), that is the
/// Hebbian change η y xᵢ minus a decay η y² wᵢ that is strong exactly when
/// the output is. Returns the response `y`; refuses, like `hebb_update`, a
/// bad rate or a sample of the wrong length.
pub fn oja_update(w: &mut Array1<f32>, x: ArrayView1<f32>, eta: f32) -> Result<f32, HebbError> {
    check_rate(eta)?;
    let y = output(w.view(), x)?;
    w.zip_mut_with(&x, |wi, &xi| *wi += eta * y * (xi - y * *wi)); // w ← w + η y (xᵀ − y w)
    Ok(y)
}
// ANCHOR_END: oja_update

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn the_update_is_hebb_minus_decay() {
        let mut w = array![1.0f32, 0.0];
        let y = oja_update(&mut w, array![2.0, 1.0].view(), 0.1).unwrap();
        assert_eq!(y, 2.0);
        // Δw = 0.1 · 2 · ((2, 1) − 2 · (1, 0)) = (0, 0.2)
        assert!((w[0] - 1.0).abs() < 1e-6 && (w[1] - 0.2).abs() < 1e-6);
    }

    #[test]
    fn a_unit_vector_along_the_input_is_a_fixed_point() {
        let mut w = array![0.6f32, 0.8];
        oja_update(&mut w, array![3.0, 4.0].view(), 0.01).unwrap();
        assert!((w[0] - 0.6).abs() < 1e-6 && (w[1] - 0.8).abs() < 1e-6);
    }

    #[test]
    fn shapes_are_checked() {
        let mut w = array![1.0f32, 0.0];
        assert!(oja_update(&mut w, array![1.0].view(), 0.1).is_err());
    }
}
