//! The worked examples of the book's page *The maths you need*: an outer
//! product, an average over a tiny data set, how the error of a first-order
//! step shrinks with the step, and the normal distribution's cumulative
//! function. The page's numbers are printed by
//! `cargo run -p ch02-hebb --example primer` and checked by `tests/primer.rs`.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, array};

use crate::error::{HebbError, check_size, same_shape};
use crate::hebb::hebb_update;
use crate::learning::norm;
use crate::oja::oja_update;

// ANCHOR: outer
/// The outer product xᵀy of two row vectors: the column xᵀ (n × 1) times
/// the row y (1 × m), an n × m matrix whose entry (i, j) is xᵢ yⱼ,
/// `x[i] * y[j]`.
/// Any two lengths fit; only a product too large to hold is an error.
pub fn outer(x: ArrayView1<f32>, y: ArrayView1<f32>) -> Result<Array2<f32>, HebbError> {
    check_size("an outer product", &[x.len(), y.len()])?;
    let column = x.insert_axis(Axis(1)); // n × 1: x turned on its side
    let row = y.insert_axis(Axis(0)); // 1 × m
    Ok(column.dot(&row))
}
// ANCHOR_END: outer

// ANCHOR: tiny_data
/// Four points in the plane, one per row: the primer's data set for
/// averages, covariance and eigenvectors. Its mean is `(0, 0)`.
pub fn tiny_data() -> Array2<f32> {
    array![[2.0, 1.0], [1.0, 2.0], [-1.0, -2.0], [-2.0, -1.0]]
}
// ANCHOR_END: tiny_data

// ANCHOR: average
/// The expectation E[f(x)] = (1/N) Σₖ f(xₖ) over a data set of N rows: `f`
/// of every row, added up, divided by N. No rows is an error.
pub fn average(
    data: ArrayView2<f32>,
    f: impl Fn(ArrayView1<f32>) -> f32,
) -> Result<f32, HebbError> {
    if data.nrows() == 0 {
        return Err(HebbError::EmptyData);
    }
    let total: f32 = data.rows().into_iter().map(f).sum();
    Ok(total / data.nrows() as f32)
}
// ANCHOR_END: average

// ANCHOR: sqrt_error
/// How far the first-order approximation 1 + ε/2 lies above √(1 + ε). The
/// error is O(ε²): close to ε²/8 for small ε.
pub fn sqrt_first_order_error(eps: f64) -> f64 {
    (1.0 + eps / 2.0) - (1.0 + eps).sqrt()
}
// ANCHOR_END: sqrt_error

// ANCHOR: step_error
/// How far Oja's step lands from the exact repair it approximates: a Hebbian
/// step from `w` on the sample `x`, divided by its length. Returns the
/// length of the difference between the two new weight vectors.
pub fn oja_step_error(w: ArrayView1<f32>, x: ArrayView1<f32>, eta: f32) -> Result<f32, HebbError> {
    same_shape("w and x", w.shape(), x.shape())?;
    let mut exact = w.to_owned();
    hebb_update(&mut exact, x, eta)?; // w + η y xᵀ …
    let length = norm(exact.view());
    exact /= length; // … divided by its length
    let mut oja = w.to_owned();
    oja_update(&mut oja, x, eta)?; // w + η y (xᵀ − y w)
    Ok(norm((&exact - &oja).view()))
}
// ANCHOR_END: step_error

/// The primer's sample for [`oja_step_error`]: weights of length 1 and one
/// input, with the neuron's response `y = 1`.
pub fn step_example() -> (Array1<f32>, Array1<f32>) {
    (array![1.0, 0.0], array![1.0, 1.0])
}

// ANCHOR: normal_density
/// The bell curve of the standard normal distribution,
/// e^(−z²/2) / √(2π): how densely its values crowd near `z`. The factor
/// 1/√(2π) makes the whole area under the curve equal to 1.
pub fn normal_density(z: f64) -> f64 {
    (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt()
}
// ANCHOR_END: normal_density

// ANCHOR: erf
/// The error function erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt, the area under the
/// curve e^(−t²) between 0 and x, scaled so that erf(x) → 1 as x grows.
/// Accurate to about 1e-12: its power series below 3; beyond, a continued
/// fraction for the small remainder 1 − erf(x), because there the series
/// adds huge terms of alternating sign whose cancellation loses digits.
pub fn erf(x: f64) -> f64 {
    let two_over_sqrt_pi = 2.0 / std::f64::consts::PI.sqrt();
    if x.is_nan() {
        return x;
    }
    if x < 0.0 {
        return -erf(-x); // erf is odd: erf(−x) = −erf(x)
    }
    if x < 3.0 {
        // erf x = 2/√π · Σₙ (−1)ⁿ x²ⁿ⁺¹ / (n! (2n + 1))
        let (mut term, mut sum) = (x, x); // term = (−1)ⁿ x²ⁿ⁺¹ / n!
        for n in 1..100 {
            term *= -x * x / n as f64;
            let next = term / (2 * n + 1) as f64;
            sum += next;
            if next.abs() < 1e-17 * sum.abs() {
                break;
            }
        }
        return two_over_sqrt_pi * sum;
    }
    // 1 − erf x = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …))))
    let mut tail = x;
    for k in (1..=60).rev() {
        tail = x + (k as f64 / 2.0) / tail;
    }
    1.0 - two_over_sqrt_pi / 2.0 * (-x * x).exp() / tail
}
// ANCHOR_END: erf

// ANCHOR: normal_cdf
/// Φ(x) = ½ (1 + erf(x/√2)): the probability that a standard normal number
/// (mean 0, standard deviation 1) comes out at most `x`.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * (1.0 + erf(x / std::f64::consts::SQRT_2))
}
// ANCHOR_END: normal_cdf

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outer_is_column_times_row() {
        let m = outer(array![1.0f32, 2.0, 3.0].view(), array![4.0f32, -1.0].view()).unwrap();
        assert_eq!(m, array![[4.0, -1.0], [8.0, -2.0], [12.0, -3.0]]);
    }

    #[test]
    fn an_average_of_nothing_is_an_error() {
        let empty = Array2::<f32>::zeros((0, 2));
        assert_eq!(average(empty.view(), |x| x[0]), Err(HebbError::EmptyData));
    }

    #[test]
    fn erf_is_odd_and_continuous_where_the_two_methods_meet() {
        for x in [0.1, 0.5, 1.7, 2.9, 4.0] {
            assert_eq!(erf(-x), -erf(x));
        }
        assert!((erf(3.0 - 1e-9) - erf(3.0)).abs() < 1e-10);
        assert!(erf(10.0) == 1.0 && erf(f64::NAN).is_nan());
    }
}
