//! Proving that two classes cannot be separated by a line (or a plane).
//!
//! One side of a line is closed under averaging: the weighted average (with
//! non-negative weights summing to 1) of points on one side is again on that
//! side. So if a flower of one class is such an average of flowers of the
//! other class, lying inside their *convex hull*, no line puts the two classes
//! on different sides. In the plane, three flowers (a triangle) are enough to
//! show it; in `n` dimensions, `n + 1`.

use ndarray::{Array1, ArrayView1, ArrayView2};

use crate::PerceptronError;

// ANCHOR: barycentric
/// The weights `λ_0, …, λ_n` that write `point` as `Σ_k λ_k c_k` with
/// `Σ_k λ_k = 1`, where the `c_k` are the `n + 1` rows of `corners`. The
/// point lies inside the corners' hull exactly when every weight is `≥ 0`.
/// Corners that do not span the space (a flat triangle) are an error.
pub fn barycentric(
    point: ArrayView1<f32>,
    corners: ArrayView2<f32>,
) -> Result<Array1<f64>, PerceptronError> {
    let n = point.len();
    if corners.shape() != [n + 1, n] {
        return Err(PerceptronError::ShapeMismatch {
            what: "corners (dimension + 1 points)".into(),
            expected: vec![n + 1, n],
            found: corners.shape().to_vec(),
        });
    }
    // Unknowns λ_k: n equations Σ_k λ_k c_kd = p_d and one Σ_k λ_k = 1.
    let mut a = vec![vec![0.0f64; n + 2]; n + 1];
    for (d, row) in a.iter_mut().enumerate() {
        for (k, slot) in row.iter_mut().take(n + 1).enumerate() {
            *slot = if d < n { corners[[k, d]] as f64 } else { 1.0 };
        }
        row[n + 1] = if d < n { point[d] as f64 } else { 1.0 };
    }
    solve(a).ok_or_else(|| {
        PerceptronError::InvalidArgument("the corners are flat: they span no volume".into())
    })
}
// ANCHOR_END: barycentric

/// True when `point` lies inside (or on the border of) the hull of `corners`.
pub fn inside(point: ArrayView1<f32>, corners: ArrayView2<f32>) -> Result<bool, PerceptronError> {
    Ok(barycentric(point, corners)?.iter().all(|&l| l >= -1e-9))
}

/// In the plane: the first point of `a` (in order) found inside a triangle of
/// points of `b`, as `(index in a, [three indices in b])`, or `None` if no
/// point of `a` lies in any triangle of `b`.
pub fn point_in_triangle(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
) -> Result<Option<(usize, [usize; 3])>, PerceptronError> {
    if a.ncols() != 2 || b.ncols() != 2 {
        return Err(PerceptronError::ShapeMismatch {
            what: "points in the plane".into(),
            expected: vec![a.nrows(), 2],
            found: if a.ncols() != 2 { a.shape() } else { b.shape() }.to_vec(),
        });
    }
    let m = b.nrows();
    for i in 0..m {
        for j in i + 1..m {
            for k in j + 1..m {
                let tri = b.select(ndarray::Axis(0), &[i, j, k]);
                for (p, point) in a.rows().into_iter().enumerate() {
                    if let Ok(true) = inside(point, tri.view()) {
                        return Ok(Some((p, [i, j, k])));
                    }
                }
            }
        }
    }
    Ok(None)
}

/// Gaussian elimination with partial pivoting on an augmented matrix
/// (`rows × (rows + 1)`); `None` when the system is singular.
fn solve(mut a: Vec<Vec<f64>>) -> Option<Array1<f64>> {
    let n = a.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (v, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *v -= f * p;
                }
            }
        }
    }
    Some((0..n).map(|r| a[r][n] / a[r][r]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn the_centre_of_a_triangle_has_equal_weights() {
        let tri = array![[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]];
        let l = barycentric(array![1.0, 1.0].view(), tri.view()).unwrap();
        for v in l.iter() {
            assert!((v - 1.0 / 3.0).abs() < 1e-9);
        }
        assert!(inside(array![1.0, 1.0].view(), tri.view()).unwrap());
        assert!(!inside(array![3.0, 3.0].view(), tri.view()).unwrap());
    }

    #[test]
    fn flat_triangles_and_wrong_shapes_are_errors() {
        let flat = array![[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]];
        assert!(barycentric(array![1.0, 1.0].view(), flat.view()).is_err());
        let two = array![[0.0, 0.0], [1.0, 1.0]];
        assert!(matches!(
            barycentric(array![1.0, 1.0].view(), two.view()),
            Err(PerceptronError::ShapeMismatch { .. })
        ));
    }

    #[test]
    fn the_triangle_search_is_only_a_sufficient_test() {
        // XOR's classes do not contain each other's points: each hull is a
        // segment, and the segments cross. The triangle search finds nothing,
        // which is why it is only a sufficient test.
        let zeros = array![[0.0, 0.0], [1.0, 1.0]];
        let ones = array![[0.0, 1.0], [1.0, 0.0]];
        assert_eq!(point_in_triangle(zeros.view(), ones.view()).unwrap(), None);
        let b = array![[0.0, 0.0], [4.0, 0.0], [0.0, 4.0], [9.0, 9.0]];
        let a = array![[5.0, 5.0], [1.0, 1.0]];
        assert_eq!(
            point_in_triangle(a.view(), b.view()).unwrap(),
            Some((1, [0, 1, 2]))
        );
    }
}
