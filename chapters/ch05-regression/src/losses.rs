//! Regression losses beside chapter 4's mean squared error.
//!
//! All three compare a batch of predictions \\(p\\) (`B × k`) with targets
//! \\(y\\) of the same shape and average over all \\(B k\\) entries, as
//! [`Mse`](ch04_backprop::Mse) does; each gradient already contains that
//! division.
//!
//! - [`Mae`], mean absolute error: \\(|p - y|\\). Its gradient is
//!   \\(\pm 1\\): an outlier pulls no harder than any other sample.
//! - [`Huber`]: quadratic near zero, linear beyond \\(\delta\\). Smooth like
//!   MSE for small errors, robust like MAE for large ones.

use ch04_backprop::NetError;
use ch04_backprop::loss::{Loss, check_pair};
use ndarray::{Array2, ArrayView2, Zip};

// ANCHOR: mae
/// Mean absolute error: \\(L = \frac{1}{Bk} \sum |p - y|\\).
///
/// The gradient is \\(\operatorname{sign}(p - y) / (Bk)\\). At \\(p = y\\)
/// the absolute value has a kink and no derivative; we use 0 there, which is
/// the middle of the range of slopes (a *subgradient*).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mae;

impl Loss for Mae {
    fn value(&self, p: ArrayView2<f32>, y: ArrayView2<f32>) -> Result<f32, NetError> {
        check_pair(&p, &y)?;
        let sum = Zip::from(&p)
            .and(&y)
            .fold(0.0f32, |acc, &p, &y| acc + (p - y).abs());
        Ok(sum / p.len() as f32)
    }

    fn gradient(&self, p: ArrayView2<f32>, y: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        check_pair(&p, &y)?;
        let scale = 1.0 / p.len() as f32;
        Ok(Zip::from(&p).and(&y).map_collect(|&p, &y| {
            let e = p - y;
            if e > 0.0 {
                scale
            } else if e < 0.0 {
                -scale
            } else {
                0.0
            }
        }))
    }
}
// ANCHOR_END: mae

// ANCHOR: huber
/// The Huber loss with threshold `delta` (\\(\delta > 0\\)): for an error
/// \\(e = p - y\\),
/// \\(\tfrac12 e^2\\) when \\(|e| \le \delta\\), else
/// \\(\delta (|e| - \tfrac12 \delta)\\). Its slope is \\(e\\) inside and
/// \\(\pm\delta\\) outside: continuous, so gradient descent does not jolt at
/// the switch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Huber {
    /// Where the loss turns from quadratic to linear (Keras' default is 1).
    pub delta: f32,
}
// ANCHOR_END: huber

impl Huber {
    /// A Huber loss switching at `delta`, which must be positive and finite.
    pub fn new(delta: f32) -> Result<Huber, NetError> {
        if delta.is_finite() && delta > 0.0 {
            Ok(Huber { delta })
        } else {
            Err(NetError::InvalidArgument(format!(
                "the Huber threshold delta must be positive and finite, got {delta}"
            )))
        }
    }

    // ANCHOR: huber_error
    /// The loss of one error `e`.
    pub fn of_error(&self, e: f32) -> f32 {
        let d = self.delta;
        if e.abs() <= d {
            0.5 * e * e
        } else {
            d * (e.abs() - 0.5 * d)
        }
    }

    /// The slope of [`Huber::of_error`] at `e`: `e` clipped to `[-δ, δ]`.
    pub fn slope(&self, e: f32) -> f32 {
        e.clamp(-self.delta, self.delta)
    }
    // ANCHOR_END: huber_error
}

impl Default for Huber {
    fn default() -> Self {
        Huber { delta: 1.0 }
    }
}

// ANCHOR: huber_loss
impl Loss for Huber {
    fn value(&self, p: ArrayView2<f32>, y: ArrayView2<f32>) -> Result<f32, NetError> {
        check_pair(&p, &y)?;
        Huber::new(self.delta)?; // a struct literal may hold a bad delta
        let sum = Zip::from(&p)
            .and(&y)
            .fold(0.0f32, |acc, &p, &y| acc + self.of_error(p - y));
        Ok(sum / p.len() as f32)
    }

    fn gradient(&self, p: ArrayView2<f32>, y: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        check_pair(&p, &y)?;
        Huber::new(self.delta)?;
        let scale = 1.0 / p.len() as f32;
        Ok(Zip::from(&p)
            .and(&y)
            .map_collect(|&p, &y| scale * self.slope(p - y)))
    }
}
// ANCHOR_END: huber_loss

#[cfg(test)]
mod tests {
    use super::*;
    use ch04_backprop::Mse;
    use ndarray::array;

    /// Checks a loss's analytic gradient against central differences at
    /// points away from any kink.
    fn check_gradient(loss: &dyn Loss, p: &Array2<f32>, y: &Array2<f32>) {
        let g = loss.gradient(p.view(), y.view()).unwrap();
        let h = 1e-3f32;
        for ((i, j), &analytic) in g.indexed_iter() {
            let (mut plus, mut minus) = (p.clone(), p.clone());
            plus[[i, j]] += h;
            minus[[i, j]] -= h;
            let numeric = (loss.value(plus.view(), y.view()).unwrap()
                - loss.value(minus.view(), y.view()).unwrap())
                / (2.0 * h);
            assert!(
                (numeric - analytic).abs() < 1e-3,
                "entry ({i},{j}): analytic {analytic}, numeric {numeric}"
            );
        }
    }

    fn batch() -> (Array2<f32>, Array2<f32>) {
        // Errors −2.5, 0.3, 0.8, −0.4, 3.0, 0.05: both sides of δ = 1.
        let p = array![[0.5f32, 1.3], [2.8, 0.6], [4.0, -0.95]];
        let y = array![[3.0f32, 1.0], [2.0, 1.0], [1.0, -1.0]];
        (p, y)
    }

    #[test]
    fn mae_by_hand() {
        let (p, y) = batch();
        let want = (2.5 + 0.3 + 0.8 + 0.4 + 3.0 + 0.05) / 6.0;
        assert!((Mae.value(p.view(), y.view()).unwrap() - want).abs() < 1e-6);
        let g = Mae.gradient(p.view(), y.view()).unwrap();
        let s = 1.0 / 6.0;
        assert_eq!(g, array![[-s, s], [s, -s], [s, s]]);
        // At the kink the subgradient 0 is used.
        let z = array![[1.0f32]];
        assert_eq!(Mae.gradient(z.view(), z.view()).unwrap()[[0, 0]], 0.0);
    }

    #[test]
    fn huber_by_hand() {
        let h = Huber::new(1.0).unwrap();
        assert_eq!(h.of_error(0.5), 0.125); // ½·0.25
        assert_eq!(h.of_error(-3.0), 2.5); // 1·(3 − ½)
        // Continuous at ±δ, in value and in slope.
        assert!((h.of_error(1.0) - h.of_error(1.0 + 1e-4)).abs() < 2e-4);
        assert_eq!(h.slope(1.0), 1.0);
        assert_eq!(h.slope(7.0), 1.0);
        assert_eq!(h.slope(-0.25), -0.25);
        let (p, y) = batch();
        let want = (2.0 + 0.045 + 0.32 + 0.08 + 2.5 + 0.00125) / 6.0;
        assert!((h.value(p.view(), y.view()).unwrap() - want).abs() < 1e-6);
    }

    #[test]
    fn gradients_match_finite_differences() {
        let (p, y) = batch();
        check_gradient(&Mae, &p, &y);
        check_gradient(&Huber::new(1.0).unwrap(), &p, &y);
        check_gradient(&Huber::new(0.2).unwrap(), &p, &y);
        check_gradient(&Mse, &p, &y);
    }

    #[test]
    fn huber_is_between_mse_and_mae_in_its_two_regimes() {
        let h = Huber::default();
        // Small errors: Huber is half the squared error.
        let small = (array![[0.1f32, -0.2]], array![[0.0f32, 0.0]]);
        let mse = Mse.value(small.0.view(), small.1.view()).unwrap();
        assert!((h.value(small.0.view(), small.1.view()).unwrap() - 0.5 * mse).abs() < 1e-7);
        // Large errors: Huber grows like MAE, not like MSE.
        let big = (array![[100.0f32]], array![[0.0f32]]);
        let mae = Mae.value(big.0.view(), big.1.view()).unwrap();
        assert_eq!(h.value(big.0.view(), big.1.view()).unwrap(), mae - 0.5);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(Huber::new(0.0).is_err());
        assert!(Huber::new(f32::NAN).is_err());
        let bad = Huber { delta: -1.0 };
        let p = array![[1.0f32]];
        assert!(matches!(
            bad.value(p.view(), p.view()),
            Err(NetError::InvalidArgument(_))
        ));
        let y = array![[1.0f32, 2.0]];
        assert!(matches!(
            Mae.gradient(p.view(), y.view()),
            Err(NetError::ShapeMismatch { .. })
        ));
        let e = Array2::<f32>::zeros((0, 1));
        assert_eq!(
            Huber::default().value(e.view(), e.view()),
            Err(NetError::EmptyBatch)
        );
    }
}
