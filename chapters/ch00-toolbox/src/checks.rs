//! Checks that several chapters make on a caller's numbers, written once.

use std::fmt::Display;

// ANCHOR: check_learning_rate
/// The book's one check of a learning rate, used by every learning rule and
/// optimiser from chapter 2's Hebb rule to chapter 8's SGD: `η` must be a
/// positive, finite number. Zero never moves, a negative rate climbs the
/// loss instead of descending it, and a NaN or an infinity turns every
/// weight into NaN at the first step. The error is the message; each
/// chapter wraps it in its own error type.
pub fn check_learning_rate<T>(eta: T) -> Result<(), String>
where
    T: Into<f64> + Copy + Display,
{
    let value: f64 = eta.into();
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(format!(
            "the learning rate must be a positive finite number, got {eta}"
        ))
    }
}
// ANCHOR_END: check_learning_rate

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_finite_rates_pass() {
        for good in [1e-30f32, 0.01, 1.0, 1e30] {
            assert!(check_learning_rate(good).is_ok(), "{good}");
        }
        for bad in [
            0.0f32,
            -0.0,
            -0.01,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ] {
            let message = check_learning_rate(bad).unwrap_err();
            assert!(message.ends_with(&format!("got {bad}")), "{message}");
        }
        assert!(check_learning_rate(f64::NAN).is_err());
        assert!(check_learning_rate(0.5f64).is_ok());
    }
}
