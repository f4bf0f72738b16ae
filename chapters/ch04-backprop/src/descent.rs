//! Learning by going downhill: gradient descent on the smallest possible
//! problem, one weight.
//!
//! A unit with one weight `w` and no bias answers `ŷ = w·x` for the input
//! `x`. Its squared error on one sample with target `y` is
//! `L(w) = (w·x − y)²`, a parabola in `w` with its lowest point at
//! `w* = y / x`. The derivative is `dL/dw = 2x(w·x − y)`, and one step of
//! gradient descent is `w ← w − η·dL/dw`.
//!
//! These teaching functions work in `f64` on plain numbers; the networks of
//! the rest of the chapter work in `f32` on arrays.

use crate::error::NetError;
use crate::optimizer::check_learning_rate;

// ANCHOR: one_weight
/// The squared error `L(w) = (w·x − y)²` of the one-weight unit `ŷ = w·x`.
pub fn one_weight_loss(x: f64, y: f64, w: f64) -> f64 {
    let error = w * x - y;
    error * error
}

/// Its derivative `dL/dw = 2x(w·x − y)`: the slope of the parabola at `w`.
pub fn one_weight_slope(x: f64, y: f64, w: f64) -> f64 {
    2.0 * x * (w * x - y)
}
// ANCHOR_END: one_weight

/// One row of a descent table: the weight after `k` steps, the loss there
/// and the slope there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// How many steps have been taken (`0` is the start).
    pub k: usize,
    /// The weight `w_k`.
    pub w: f64,
    /// `L(w_k)`.
    pub loss: f64,
    /// `dL/dw` at `w_k`: the next step moves by `−η` times this.
    pub slope: f64,
}

// ANCHOR: one_weight_steps
/// `n` steps of gradient descent `w ← w − η·dL/dw` from `w0`, with the
/// learning rate `eta`: `n + 1` rows, from `k = 0` (the start) to `k = n`.
pub fn one_weight_steps(
    x: f64,
    y: f64,
    w0: f64,
    eta: f64,
    n: usize,
) -> Result<Vec<Step>, NetError> {
    check_finite(&[("x", x), ("y", y), ("w0", w0)])?;
    check_learning_rate(eta)?;
    let mut steps = Vec::with_capacity(n + 1);
    let mut w = w0;
    for k in 0..=n {
        let slope = one_weight_slope(x, y, w);
        steps.push(Step {
            k,
            w,
            loss: one_weight_loss(x, y, w),
            slope,
        });
        w -= eta * slope; // the descent step
    }
    Ok(steps)
}
// ANCHOR_END: one_weight_steps

/// Where the `k`-th step lands, in closed form. Each step multiplies the
/// distance to the minimum `w* = y/x` by the same factor `1 − 2ηx²`, so
/// `w_k = w* + (1 − 2ηx²)^k (w0 − w*)`. Needs `x ≠ 0`.
pub fn one_weight_closed_form(x: f64, y: f64, w0: f64, eta: f64, k: usize) -> f64 {
    let best = y / x;
    best + (1.0 - 2.0 * eta * x * x).powi(k as i32) * (w0 - best)
}

// ANCHOR: gradient
/// The output `ŷ = w·x = Σ_k w_k x_k` of a linear unit with weights `w`
/// on the input `x`, which must have one entry per weight.
fn linear_output(x: &[f64], w: &[f64]) -> Result<f64, NetError> {
    if x.len() != w.len() {
        return Err(NetError::shape(
            "weights of the unit",
            &[x.len()],
            &[w.len()],
        ));
    }
    Ok(x.iter().zip(w).map(|(xk, wk)| xk * wk).sum())
}

/// The gradient of the squared error `L(w) = (w·x − y)²` of a linear unit
/// with several weights, `ŷ = w·x = Σ_k w_k x_k`: one partial derivative per
/// weight, `∂L/∂w_k = 2 (ŷ − y) x_k`.
pub fn squared_error_gradient(x: &[f64], y: f64, w: &[f64]) -> Result<Vec<f64>, NetError> {
    let y_hat = linear_output(x, w)?;
    Ok(x.iter().map(|xk| 2.0 * (y_hat - y) * xk).collect())
}
// ANCHOR_END: gradient

/// The squared error `(w·x − y)²` of the linear unit of
/// [`squared_error_gradient`]; `x` and `w` must have the same length.
pub fn squared_error(x: &[f64], y: f64, w: &[f64]) -> Result<f64, NetError> {
    let y_hat = linear_output(x, w)?;
    Ok((y_hat - y) * (y_hat - y))
}

fn check_finite(values: &[(&str, f64)]) -> Result<(), NetError> {
    for (name, v) in values {
        if !v.is_finite() {
            return Err(NetError::InvalidArgument(format!(
                "{name} must be a finite number, got {v}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // ANCHOR: one_weight_test
    /// The page's example: `x = 2`, `y = 4` (so `w* = 2`), `w0 = 0`,
    /// `η = 0.05`. Each step multiplies the distance to 2 by `1 − 2ηx² = 0.6`.
    #[test]
    fn one_weight_descent_matches_the_derivative_and_the_closed_form() {
        let (x, y, w0, eta) = (2.0, 4.0, 0.0, 0.05);
        let steps = one_weight_steps(x, y, w0, eta, 5).unwrap();
        // The slope is the derivative: compare with a central difference.
        for s in &steps {
            let h = 1e-6;
            let numeric =
                (one_weight_loss(x, y, s.w + h) - one_weight_loss(x, y, s.w - h)) / (2.0 * h);
            assert!((s.slope - numeric).abs() < 1e-6, "{s:?}: {numeric}");
        }
        // The weights follow w_k = 2 − 2·0.6^k.
        for s in &steps {
            let closed = one_weight_closed_form(x, y, w0, eta, s.k);
            assert!((s.w - closed).abs() < 1e-12, "{s:?}: {closed}");
        }
        // The table on the page.
        let table: Vec<(f64, f64, f64)> = steps.iter().map(|s| (s.w, s.loss, s.slope)).collect();
        let page = [
            (0.0, 16.0, -16.0),
            (0.8, 5.76, -9.6),
            (1.28, 2.0736, -5.76),
            (1.568, 0.746496, -3.456),
            (1.7408, 0.26873856, -2.0736),
            (1.84448, 0.0967458816, -1.24416),
        ];
        for (got, want) in table.iter().zip(page) {
            assert!((got.0 - want.0).abs() < 1e-12, "{got:?} vs {want:?}");
            assert!((got.1 - want.1).abs() < 1e-12, "{got:?} vs {want:?}");
            assert!((got.2 - want.2).abs() < 1e-12, "{got:?} vs {want:?}");
        }
    }
    // ANCHOR_END: one_weight_test

    // ANCHOR: learning_rate_test
    /// With `x = 2` the factor `1 − 2ηx²` is `1 − 8η`: the steps shrink the
    /// distance to the minimum only while `|1 − 8η| < 1`, i.e. `η < 0.25`.
    #[test]
    fn too_small_crawls_and_too_large_diverges() {
        let distance_after = |eta: f64, n: usize| {
            let steps = one_weight_steps(2.0, 4.0, 0.0, eta, n).unwrap();
            (steps[n].w - 2.0).abs()
        };
        // η = 0.01: factor 0.92, still 0.74 away after 12 steps (from 2).
        assert!((distance_after(0.01, 12) - 2.0 * 0.92f64.powi(12)).abs() < 1e-12);
        assert!(distance_after(0.01, 12) > 0.7);
        // η = 0.05: factor 0.6, within 0.005 after 12 steps.
        assert!(distance_after(0.05, 12) < 5e-3);
        // η = 0.2: factor −0.6, overshoots on every step yet converges as fast.
        let zigzag = one_weight_steps(2.0, 4.0, 0.0, 0.2, 4).unwrap();
        assert!(zigzag[1].w > 2.0 && zigzag[2].w < 2.0 && zigzag[3].w > 2.0);
        assert!((distance_after(0.2, 12) - distance_after(0.05, 12)).abs() < 1e-12);
        // η = 0.3: factor −1.4, every step lands further away.
        let far = one_weight_steps(2.0, 4.0, 0.0, 0.3, 12).unwrap();
        assert!(
            far.windows(2)
                .all(|p| (p[1].w - 2.0).abs() > (p[0].w - 2.0).abs())
        );
        assert!(distance_after(0.3, 12) > 100.0);
    }
    // ANCHOR_END: learning_rate_test

    // ANCHOR: two_weight_test
    /// The page's two-weight example: `x = (1, 2)`, `y = 3`, `w = (0.5, 0.5)`.
    #[test]
    fn partial_derivatives_of_a_two_weight_unit() {
        let (x, y, w) = ([1.0, 2.0], 3.0, [0.5, 0.5]);
        let g = squared_error_gradient(&x, y, &w).unwrap();
        assert_eq!(g, vec![-3.0, -6.0]);
        // Each partial derivative: nudge one weight, hold the other still.
        for k in 0..2 {
            let h = 1e-6;
            let (mut plus, mut minus) = (w, w);
            plus[k] += h;
            minus[k] -= h;
            let numeric = (squared_error(&x, y, &plus).unwrap()
                - squared_error(&x, y, &minus).unwrap())
                / (2.0 * h);
            assert!((g[k] - numeric).abs() < 1e-6);
        }
        // One step with η = 0.05 moves to (0.65, 0.8) and cuts the loss
        // from 2.25 to 0.5625.
        let eta = 0.05;
        let next = [w[0] - eta * g[0], w[1] - eta * g[1]];
        assert!((next[0] - 0.65).abs() < 1e-12 && (next[1] - 0.8).abs() < 1e-12);
        assert_eq!(squared_error(&x, y, &w).unwrap(), 2.25);
        assert!((squared_error(&x, y, &next).unwrap() - 0.5625).abs() < 1e-12);
    }
    // ANCHOR_END: two_weight_test

    #[test]
    fn bad_arguments_are_errors() {
        assert!(one_weight_steps(2.0, 4.0, 0.0, 0.0, 3).is_err());
        assert!(one_weight_steps(2.0, 4.0, 0.0, f64::NAN, 3).is_err());
        assert!(one_weight_steps(f64::INFINITY, 4.0, 0.0, 0.1, 3).is_err());
        assert!(squared_error_gradient(&[1.0, 2.0], 3.0, &[1.0]).is_err());
        assert_eq!(one_weight_steps(2.0, 4.0, 0.0, 0.1, 0).unwrap().len(), 1);
    }
}
