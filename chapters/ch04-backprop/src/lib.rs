//! # Chapter 4: the multilayer perceptron and backpropagation
//!
//! A perceptron draws one straight line; XOR needs two. This chapter stacks
//! perceptron-like units into layers and learns all their weights at once:
//!
//! - [`descent`]: gradient descent on one weight, and partial derivatives;
//! - [`activation`]: step, sigmoid, tanh and ReLU, with analytic derivatives;
//! - [`by_hand`]: backpropagation worked by hand through a 1-1-1 network;
//! - [`init`]: where the weights start (zeros, uniform, Glorot, He);
//! - [`dense`]: the fully connected layer, forward and backward on whole
//!   mini-batches as matrix products;
//! - [`loss`]: the [`Loss`] trait and mean squared error;
//! - [`optimizer`]: plain mini-batch SGD;
//! - [`network`]: the [`Mlp`], its backward pass and its training loop;
//! - [`xor`]: XOR with hand-set weights, and XOR learnt from scratch;
//! - [`gradient_check`]: backpropagation checked against finite differences;
//! - [`worked`]: small worked examples with numbers (activations at a point,
//!   one layer forward and backward on a batch of two, initial weight scales);
//! - [`figures`]: the chapter's figures.
//!
//! ```
//! use ch04_backprop::{Activation, Dense, Init, Mlp, Mse, Sgd};
//! use ndarray::array;
//!
//! let mut rng = ch00_toolbox::seeded_rng(0);
//! let mut mlp = Mlp::new(vec![
//!     Dense::new(2, 8, Activation::Tanh, Init::GlorotUniform, &mut rng)?,
//!     Dense::new(8, 1, Activation::Identity, Init::GlorotUniform, &mut rng)?,
//! ])?;
//! let x = array![[0.0f32, 1.0], [1.0, 0.0], [1.0, 1.0]];
//! let y = array![[1.0f32], [1.0], [2.0]];
//! let sgd = Sgd::new(0.05)?;
//! let first = mlp.train_batch(x.view(), y.view(), &Mse, &sgd)?;
//! for _ in 0..200 {
//!     mlp.fit_epoch(x.view(), y.view(), 2, &Mse, &sgd, &mut rng)?;
//! }
//! let last = mlp.train_batch(x.view(), y.view(), &Mse, &sgd)?;
//! assert!(last < first);
//! # Ok::<(), ch04_backprop::NetError>(())
//! ```

#![forbid(unsafe_code)]

pub mod activation;
pub mod by_hand;
pub mod dense;
pub mod descent;
pub mod error;
pub mod figures;
pub mod gradient_check;
pub mod init;
pub mod loss;
pub mod network;
pub mod optimizer;
pub mod worked;
pub mod xor;

pub use activation::Activation;
pub use dense::Dense;
pub use error::NetError;
pub use init::Init;
pub use loss::{Loss, Mse};
pub use network::Mlp;
pub use optimizer::Sgd;
