//! The first principal component of 2-D data, in closed form: the yardstick
//! that Oja's rule is measured against.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, array};

use crate::error::{HebbError, check_size, same_shape};
use crate::learning::norm;

// ANCHOR: center
/// The data with each column's mean subtracted, so that every feature
/// averages to zero.
pub fn center(data: ArrayView2<f32>) -> Result<Array2<f32>, HebbError> {
    let mean = data.mean_axis(Axis(0)).ok_or(HebbError::EmptyData)?;
    Ok(&data - &mean)
}
// ANCHOR_END: center

// ANCHOR: covariance
/// The covariance matrix C = (1/N) Σₖ (xₖ − x̄)ᵀ (xₖ − x̄) of the N rows of
/// `data` (each row a sample xₖ, x̄ their mean), a d × d matrix for d
/// features: (1/N) XᵀX for the centred data X.
pub fn covariance(data: ArrayView2<f32>) -> Result<Array2<f32>, HebbError> {
    check_size("a covariance", &[data.ncols(), data.ncols()])?;
    let centred = center(data)?;
    Ok(centred.t().dot(&centred) / data.nrows() as f32)
}
// ANCHOR_END: covariance

// ANCHOR: leading_eigenvector
/// The largest eigenvalue of a symmetric 2 × 2 matrix and its unit
/// eigenvector, in closed form.
///
/// For C = [[a, b], [b, d]] the eigenvalues are
/// (a + d)/2 ± √(((a − d)/2)² + b²), and the leading eigenvector is
/// e₁ = (cos φ, sin φ)ᵀ at the angle φ = ½ atan2(2b, a − d), in radians.
/// Equal eigenvalues (every direction is then an eigenvector), a matrix that
/// is not 2 × 2, symmetric and finite, are errors.
pub fn leading_eigenvector_2x2(c: ArrayView2<f32>) -> Result<(f32, Array1<f32>), HebbError> {
    same_shape("a 2 × 2 covariance", c.shape(), &[2, 2])?;
    let (a, b, d) = (c[[0, 0]], c[[0, 1]], c[[1, 1]]);
    if !c.iter().all(|v| v.is_finite()) || (b - c[[1, 0]]).abs() > 1e-5 * b.abs().max(1.0) {
        return Err(HebbError::InvalidArgument(format!(
            "not a finite symmetric matrix: {c}"
        )));
    }
    let (mid, half_gap) = (a / 2.0 + d / 2.0, (a / 2.0 - d / 2.0).hypot(b));
    if half_gap == 0.0 {
        return Err(HebbError::InvalidArgument(
            "the two eigenvalues are equal: every direction is a principal direction".into(),
        ));
    }
    let phi = 0.5 * (2.0 * b).atan2(a - d);
    Ok((mid + half_gap, array![phi.cos(), phi.sin()]))
}
// ANCHOR_END: leading_eigenvector

// ANCHOR: eigen_2x2
/// Both eigenvalues of a symmetric 2 × 2 matrix with their unit
/// eigenvectors, largest first. The two eigenvalues add up to the trace
/// a + d, and the second eigenvector is the first turned by 90°:
/// `(−e₁[1], e₁[0])`, whose dot product with e₁ is
/// `−e₁[0]e₁[1] + e₁[1]e₁[0] = 0`.
pub fn eigen_2x2(c: ArrayView2<f32>) -> Result<[(f32, Array1<f32>); 2], HebbError> {
    let (lambda1, e1) = leading_eigenvector_2x2(c)?;
    let lambda2 = c[[0, 0]] + c[[1, 1]] - lambda1;
    let e2 = array![-e1[1], e1[0]];
    Ok([(lambda1, e1), (lambda2, e2)])
}
// ANCHOR_END: eigen_2x2

/// The cosine of the angle between two vectors. Its absolute value is 1
/// when they lie on the same line, whichever way they point.
pub fn cosine(u: ArrayView1<f32>, v: ArrayView1<f32>) -> Result<f32, HebbError> {
    same_shape("cosine of two vectors", u.shape(), v.shape())?;
    let (nu, nv) = (norm(u), norm(v));
    if nu == 0.0 || nv == 0.0 || !nu.is_finite() || !nv.is_finite() {
        return Err(HebbError::InvalidArgument(
            "a zero or non-finite vector has no direction".into(),
        ));
    }
    // Scale each vector to unit length first, so that huge entries cannot
    // overflow the dot product.
    Ok((&u / nu).dot(&(&v / nv)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closed_form_satisfies_c_v_equals_lambda_v() {
        for c in [
            array![[4.0f32, 1.5], [1.5, 1.0]],
            array![[1.0f32, -2.0], [-2.0, 3.0]],
            array![[2.0f32, 0.0], [0.0, 5.0]],
            array![[5.0f32, 0.0], [0.0, 2.0]],
        ] {
            let (lambda, v) = leading_eigenvector_2x2(c.view()).unwrap();
            let cv = c.dot(&v);
            assert!((&cv - &(&v * lambda)).iter().all(|e| e.abs() < 1e-5), "{c}");
            assert!((v.dot(&v) - 1.0).abs() < 1e-6);
            // It is the larger eigenvalue: trace minus it is the smaller one.
            assert!(lambda >= c[[0, 0]] + c[[1, 1]] - lambda);
        }
    }

    #[test]
    fn both_eigenpairs_satisfy_c_v_equals_lambda_v() {
        let c = array![[1.0f32, -2.0], [-2.0, 3.0]];
        let [(l1, e1), (l2, e2)] = eigen_2x2(c.view()).unwrap();
        assert!(l1 > l2);
        for (l, e) in [(l1, &e1), (l2, &e2)] {
            assert!(
                (&c.dot(e) - &(e * l)).iter().all(|v| v.abs() < 1e-5),
                "{l} {e}"
            );
        }
        assert!(e1.dot(&e2).abs() < 1e-6);
    }

    #[test]
    fn covariance_of_a_known_set() {
        let data = array![[1.0f32, 2.0], [3.0, 6.0]];
        // Centred: (−1, −2), (1, 2): covariance [[1, 2], [2, 4]].
        assert_eq!(
            covariance(data.view()).unwrap(),
            array![[1.0, 2.0], [2.0, 4.0]]
        );
    }

    #[test]
    fn degenerate_inputs_are_errors() {
        assert!(leading_eigenvector_2x2(array![[1.0f32, 0.0], [0.0, 1.0]].view()).is_err());
        assert!(leading_eigenvector_2x2(array![[1.0f32, 2.0], [0.0, 1.0]].view()).is_err());
        assert!(leading_eigenvector_2x2(Array2::<f32>::eye(3).view()).is_err());
        assert!(covariance(Array2::<f32>::zeros((0, 2)).view()).is_err());
        assert!(cosine(array![0.0f32, 0.0].view(), array![1.0, 0.0].view()).is_err());
    }

    #[test]
    fn cosine_ignores_length_but_not_sign() {
        let c = cosine(array![2.0f32, 0.0].view(), array![-5.0, 0.0].view()).unwrap();
        assert_eq!(c, -1.0);
        let huge = cosine(array![3e37f32, 3e37].view(), array![1.0, 1.0].view()).unwrap();
        assert!((huge - 1.0).abs() < 1e-6);
    }
}
