//! `Flatten`: the layer that turns an image into a row of numbers.
//!
//! A dense layer sees a sample as a flat vector. Keras' `Flatten` reshapes a
//! batch of `28 × 28` images into a batch of 784-long rows. In this book every
//! batch already *is* a matrix of rows (the model reshapes its input once, at
//! the door, in [`Sequential::predict`](crate::Sequential::predict)), and an
//! image stored row by row is exactly such a row. So `Flatten` has no
//! arithmetic to do: it declares the shape of a sample, checks that every
//! batch fits it, and tells the next layer that it will see 784 inputs.

use ch04_backprop::NetError;
use ch04_backprop::error::checked_len;
use ndarray::{Array2, ArrayView2};
use rand::RngCore;

use crate::layer::{Layer, check_batch, sample_size};

// ANCHOR: flatten
/// Declares the shape of one input sample and passes it on as a flat row.
#[derive(Clone, Debug, PartialEq)]
pub struct Flatten {
    input_shape: Vec<usize>,
}

impl Flatten {
    /// A flatten layer for samples of shape `input_shape`, such as `[28, 28]`.
    pub fn new(input_shape: impl Into<Vec<usize>>) -> Flatten {
        Flatten {
            input_shape: input_shape.into(),
        }
    }

    /// The number of values in one sample.
    pub fn width(&self) -> usize {
        sample_size(&self.input_shape)
    }
}

impl Layer for Flatten {
    fn kind(&self) -> &'static str {
        "Flatten"
    }

    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        Some(self.input_shape.clone())
    }

    fn build(
        &mut self,
        input_shape: &[usize],
        _: &mut dyn RngCore,
    ) -> Result<Vec<usize>, NetError> {
        checked_len("a sample of Flatten", &self.input_shape)?;
        if self.input_shape.is_empty() || self.width() == 0 {
            return Err(NetError::InvalidArgument(format!(
                "Flatten needs a sample shape with no zero sizes, got {:?}",
                self.input_shape
            )));
        }
        if sample_size(input_shape) != self.width() {
            return Err(NetError::shape(
                "input of Flatten",
                &self.input_shape,
                input_shape,
            ));
        }
        Ok(vec![self.width()])
    }

    fn parameter_count(&self) -> usize {
        0
    }

    fn predict(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        check_batch("batch entering Flatten", &x, self.width())?;
        Ok(x.to_owned())
    }

    fn forward(&mut self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        self.predict(x)
    }

    fn backward(&mut self, grad_output: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        check_batch("gradient reaching Flatten", &grad_output, self.width())?;
        Ok(grad_output.to_owned())
    }
}
// ANCHOR_END: flatten

#[cfg(test)]
mod tests {
    use super::*;
    use ch00_toolbox::seeded_rng;

    #[test]
    fn flatten_declares_784_and_checks_the_width() {
        let mut f = Flatten::new([28, 28]);
        let out = f.build(&[28, 28], &mut seeded_rng(0)).unwrap();
        assert_eq!(out, vec![784]);
        assert_eq!(f.parameter_count(), 0);
        let x = Array2::<f32>::ones((2, 784));
        assert_eq!(f.forward(x.view()).unwrap(), x);
        let bad = Array2::<f32>::ones((2, 783));
        let err = f.predict(bad.view()).unwrap_err();
        assert!(err.to_string().contains("[_, 784]"), "{err}");
        assert_eq!(
            f.predict(Array2::zeros((0, 784)).view()),
            Err(NetError::EmptyBatch)
        );
    }

    #[test]
    fn a_shape_with_a_zero_is_refused() {
        let mut f = Flatten::new([28, 0]);
        assert!(f.build(&[28, 0], &mut seeded_rng(0)).is_err());
        let mut g = Flatten::new(Vec::new());
        assert!(g.build(&[], &mut seeded_rng(0)).is_err());
    }

    #[test]
    fn a_shape_too_large_to_hold_is_refused() {
        for shape in [
            vec![usize::MAX, 2],
            vec![1 << 40, 1 << 30],
            vec![usize::MAX, 0],
        ] {
            let mut f = Flatten::new(shape.clone());
            let err = f.build(&shape, &mut seeded_rng(0)).unwrap_err();
            assert!(matches!(err, NetError::InvalidArgument(_)), "{err}");
        }
    }
}
