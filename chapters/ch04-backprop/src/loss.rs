//! Loss functions: one number that says how wrong a batch of predictions is,
//! and its gradient, where backpropagation starts.

use ndarray::{Array2, ArrayView2, Zip};

use crate::error::NetError;

// ANCHOR: loss_trait
/// A loss on a batch of predictions (`B × k`) against targets of the same
/// shape. Object-safe, so a training loop can take `&dyn Loss`.
pub trait Loss {
    /// The mean loss over the batch.
    fn value(
        &self,
        predictions: ArrayView2<f32>,
        targets: ArrayView2<f32>,
    ) -> Result<f32, NetError>;

    /// `d(mean loss) / d(predictions)`, same shape as `predictions`; the
    /// division by the number of entries (batch size × outputs) is already in it.
    fn gradient(
        &self,
        predictions: ArrayView2<f32>,
        targets: ArrayView2<f32>,
    ) -> Result<Array2<f32>, NetError>;
}
// ANCHOR_END: loss_trait

/// Checks that predictions and targets are the same, non-empty shape.
pub fn check_pair(
    predictions: &ArrayView2<f32>,
    targets: &ArrayView2<f32>,
) -> Result<(), NetError> {
    if predictions.nrows() == 0 {
        return Err(NetError::EmptyBatch);
    }
    if predictions.dim() != targets.dim() {
        return Err(NetError::shape(
            "targets of the loss (they must match the predictions)",
            predictions.shape(),
            targets.shape(),
        ));
    }
    Ok(())
}

// ANCHOR: mse
/// Mean squared error, averaged over every entry of the batch (over the `B`
/// samples and the `k` outputs, as Keras does):
/// `L = 1/(B·k) Σ (p − y)²`, so `dL/dp = 2 (p − y) / (B·k)`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mse;

impl Loss for Mse {
    fn value(&self, p: ArrayView2<f32>, y: ArrayView2<f32>) -> Result<f32, NetError> {
        check_pair(&p, &y)?;
        let mut sum = 0.0f32;
        Zip::from(&p)
            .and(&y)
            .for_each(|&p, &y| sum += (p - y) * (p - y));
        Ok(sum / p.len() as f32)
    }

    fn gradient(&self, p: ArrayView2<f32>, y: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        check_pair(&p, &y)?;
        let scale = 2.0 / p.len() as f32;
        Ok(Zip::from(&p).and(&y).map_collect(|&p, &y| scale * (p - y)))
    }
}
// ANCHOR_END: mse

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn mse_value_and_gradient_by_hand() {
        let p = array![[1.0f32, 2.0], [3.0, 4.0]];
        let y = array![[0.0f32, 2.0], [3.0, 2.0]];
        // squared errors 1, 0, 0, 4 → mean 5/4
        assert_eq!(Mse.value(p.view(), y.view()).unwrap(), 1.25);
        assert_eq!(
            Mse.gradient(p.view(), y.view()).unwrap(),
            array![[0.5f32, 0.0], [0.0, 1.0]]
        );
    }

    #[test]
    fn mse_refuses_mismatched_and_empty_batches() {
        let p = Array2::<f32>::zeros((3, 1));
        let y = Array2::<f32>::zeros((3, 2));
        assert!(matches!(
            Mse.value(p.view(), y.view()),
            Err(NetError::ShapeMismatch { .. })
        ));
        let e = Array2::<f32>::zeros((0, 1));
        assert_eq!(Mse.gradient(e.view(), e.view()), Err(NetError::EmptyBatch));
    }
}
