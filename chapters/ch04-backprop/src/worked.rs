//! Small worked examples with real numbers, for the formulas of the chapter
//! that are otherwise only written in letters:
//!
//! - [`activation_table`]: each activation and its slope at a few points;
//! - [`LayerExample`]: one dense layer of two tanh units on a batch of two
//!   samples with two inputs, forward (`Z = X·W + b`, `A = tanh(Z)`), the
//!   mean squared error, backward (`dZ`, `dW = Xᵀ·dZ`, `db`, `dX = dZ·Wᵀ`)
//!   and one descent step, every entry computed with plain `f64` loops and
//!   compared with the crate's [`Dense`] layer in `f32`;
//! - [`init_scales`]: the Glorot and He scales for the layers of the XOR
//!   network.
//!
//! `cargo run -p ch04-backprop --example by_hand` writes the reports to
//! `book/figures/ch04-backprop/`, where the page includes them.

use std::fmt::Write;

use ndarray::{Array1, Array2};

use crate::activation::Activation;
use crate::dense::Dense;
use crate::error::NetError;
use crate::loss::{Loss, Mse};

/// The points at which [`activation_table`] evaluates every activation.
pub const TABLE_POINTS: [f32; 3] = [-2.0, 0.0, 0.5];

/// `f(z)` and `f′(z)` of every activation at each of [`TABLE_POINTS`], one
/// line per activation, as the page shows them.
pub fn activation_table() -> String {
    let mut s = String::new();
    let _ = write!(s, "{:10}", "");
    for z in TABLE_POINTS {
        let _ = write!(s, "   f({z:>4})   f′({z:>4})");
    }
    let _ = writeln!(s);
    for f in Activation::ALL {
        let _ = write!(s, "{:10}", f.name());
        for z in TABLE_POINTS {
            let _ = write!(s, "   {:>7.4}   {:>8.4}", f.value(z), f.slope(z));
        }
        let _ = writeln!(s);
    }
    s
}

/// The numbers of the page's one-layer example, all in `f64`, each computed
/// from its formula by explicit sums (no matrix library).
#[derive(Clone, Debug, PartialEq)]
pub struct LayerExample {
    /// The batch, `B × n_in` (2 × 2): one sample per row.
    pub x: [[f64; 2]; 2],
    /// The weights, `n_in × n_out` (2 × 2): column `j` feeds unit `j`.
    pub w: [[f64; 2]; 2],
    /// The biases, one per unit.
    pub b: [f64; 2],
    /// The targets, `B × n_out`.
    pub y: [[f64; 2]; 2],
    /// The learning rate of the one descent step.
    pub eta: f64,
    /// `Z = X·W + b`.
    pub z: [[f64; 2]; 2],
    /// `A = tanh(Z)`, the layer's output (here the prediction `Ŷ`).
    pub a: [[f64; 2]; 2],
    /// The mean squared error over the `B·K = 4` entries.
    pub loss: f64,
    /// `dA = 2/(B·K) · (A − Y)`, with `K` outputs per sample.
    pub d_a: [[f64; 2]; 2],
    /// `dZ = dA ⊙ (1 − A²)`.
    pub d_z: [[f64; 2]; 2],
    /// `dW = Xᵀ·dZ`.
    pub d_w: [[f64; 2]; 2],
    /// `db`, the column sums of `dZ`.
    pub d_b: [f64; 2],
    /// `dX = dZ·Wᵀ`.
    pub d_x: [[f64; 2]; 2],
    /// `W − η·dW`.
    pub w_after: [[f64; 2]; 2],
    /// `b − η·db`.
    pub b_after: [f64; 2],
    /// The loss on the same batch after the step.
    pub loss_after: f64,
}

/// `X·W + b` and `tanh` of it, by explicit sums.
fn forward64(x: &[[f64; 2]; 2], w: &[[f64; 2]; 2], b: &[f64; 2]) -> ([[f64; 2]; 2], [[f64; 2]; 2]) {
    let mut z = [[0.0; 2]; 2];
    let mut a = [[0.0; 2]; 2];
    for i in 0..2 {
        for j in 0..2 {
            z[i][j] = (0..2).map(|k| x[i][k] * w[k][j]).sum::<f64>() + b[j];
            a[i][j] = z[i][j].tanh();
        }
    }
    (z, a)
}

/// The mean of the squared differences of the four entries.
fn mse64(a: &[[f64; 2]; 2], y: &[[f64; 2]; 2]) -> f64 {
    let mut sum = 0.0;
    for i in 0..2 {
        for j in 0..2 {
            sum += (a[i][j] - y[i][j]).powi(2);
        }
    }
    sum / 4.0
}

impl LayerExample {
    /// The page's numbers: two samples `(1, 2)` and `(−1, 0.5)`, targets
    /// `(1, 0)` and `(0, 1)`, a step of `η = 0.5`.
    pub fn page() -> LayerExample {
        LayerExample::new(
            [[1.0, 2.0], [-1.0, 0.5]],
            [[0.5, -0.25], [0.25, 0.5]],
            [0.1, -0.2],
            [[1.0, 0.0], [0.0, 1.0]],
            0.5,
        )
    }

    /// Runs the forward pass, the loss, the backward pass and one descent
    /// step on the given numbers.
    pub fn new(
        x: [[f64; 2]; 2],
        w: [[f64; 2]; 2],
        b: [f64; 2],
        y: [[f64; 2]; 2],
        eta: f64,
    ) -> LayerExample {
        let (z, a) = forward64(&x, &w, &b);
        let loss = mse64(&a, &y);
        // B = 2 samples, K = 2 outputs: every entry of dA carries 2/(B·K).
        let scale = 2.0 / 4.0;
        let mut d_a = [[0.0; 2]; 2];
        let mut d_z = [[0.0; 2]; 2];
        for i in 0..2 {
            for j in 0..2 {
                d_a[i][j] = scale * (a[i][j] - y[i][j]);
                d_z[i][j] = d_a[i][j] * (1.0 - a[i][j] * a[i][j]);
            }
        }
        let mut d_w = [[0.0; 2]; 2];
        let mut d_x = [[0.0; 2]; 2];
        let mut d_b = [0.0; 2];
        for k in 0..2 {
            for j in 0..2 {
                // Sum over the samples: W[k][j] is used once per row of X.
                d_w[k][j] = (0..2).map(|i| x[i][k] * d_z[i][j]).sum();
            }
        }
        for (j, db) in d_b.iter_mut().enumerate() {
            *db = (0..2).map(|i| d_z[i][j]).sum();
        }
        for i in 0..2 {
            for k in 0..2 {
                // Sum over the units: X[i][k] feeds every unit j.
                d_x[i][k] = (0..2).map(|j| d_z[i][j] * w[k][j]).sum();
            }
        }
        let mut w_after = w;
        let mut b_after = b;
        for k in 0..2 {
            for j in 0..2 {
                w_after[k][j] -= eta * d_w[k][j];
            }
        }
        for j in 0..2 {
            b_after[j] -= eta * d_b[j];
        }
        let (_, a_after) = forward64(&x, &w_after, &b_after);
        let loss_after = mse64(&a_after, &y);
        LayerExample {
            x,
            w,
            b,
            y,
            eta,
            z,
            a,
            loss,
            d_a,
            d_z,
            d_w,
            d_b,
            d_x,
            w_after,
            b_after,
            loss_after,
        }
    }

    /// The same layer as the crate's [`Dense`] (tanh, parameters rounded to
    /// `f32`).
    pub fn dense(&self) -> Result<Dense, NetError> {
        Dense::from_parameters(
            to_f32(&self.w),
            Array1::from_iter(self.b.iter().map(|&v| v as f32)),
            Activation::Tanh,
        )
    }

    /// What the crate computes on the same batch: `(A, loss, dX)` from
    /// [`Dense::forward`], [`Mse`] and [`Dense::backward`], with `dW` and
    /// `db` left in the returned layer.
    pub fn by_the_crate(&self) -> Result<(Dense, Array2<f32>, f32, Array2<f32>), NetError> {
        let mut layer = self.dense()?;
        let x = to_f32(&self.x);
        let y = to_f32(&self.y);
        let a = layer.forward(x.view())?;
        let loss = Mse.value(a.view(), y.view())?;
        let d_x = layer.backward(Mse.gradient(a.view(), y.view())?.view())?;
        Ok((layer, a, loss, d_x))
    }

    /// The forward half as the page shows it.
    pub fn forward_report(&self) -> String {
        let mut s = String::new();
        matrix(&mut s, "X (2 samples × 2 inputs)", &self.x);
        matrix(&mut s, "W (2 inputs × 2 units)", &self.w);
        row(&mut s, "b", &self.b);
        let _ = writeln!(s);
        let _ = writeln!(s, "Z = X·W + b, entry by entry:");
        for i in 0..2 {
            for j in 0..2 {
                let _ = writeln!(
                    s,
                    "  Z[{i}][{j}] = {} · {} + {} · {} + {} = {:.4}",
                    num(self.x[i][0]),
                    num(self.w[0][j]),
                    num(self.x[i][1]),
                    num(self.w[1][j]),
                    num(self.b[j]),
                    self.z[i][j]
                );
            }
        }
        matrix(&mut s, "Z", &self.z);
        matrix(&mut s, "A = tanh(Z)", &self.a);
        s
    }

    /// The loss, the backward half and the descent step as the page shows
    /// them.
    pub fn backward_report(&self) -> String {
        let mut s = String::new();
        matrix(&mut s, "targets Y", &self.y);
        let _ = writeln!(
            s,
            "L = mean of the 4 squared errors (A − Y)²      = {:.4}",
            self.loss
        );
        let _ = writeln!(s);
        matrix(&mut s, "dA = 2/(B·K) · (A − Y) = 0.5 · (A − Y)", &self.d_a);
        matrix(&mut s, "dZ = dA ⊙ tanh′(Z) = dA ⊙ (1 − A²)", &self.d_z);
        let _ = writeln!(s, "dW = Xᵀ·dZ, entry by entry (a sum over the 2 samples):");
        for k in 0..2 {
            for j in 0..2 {
                let _ = writeln!(
                    s,
                    "  dW[{k}][{j}] = {} · {} + {} · {} = {:.4}",
                    num(self.x[0][k]),
                    num4(self.d_z[0][j]),
                    num(self.x[1][k]),
                    num4(self.d_z[1][j]),
                    self.d_w[k][j]
                );
            }
        }
        matrix(&mut s, "dW", &self.d_w);
        row(&mut s, "db = column sums of dZ", &self.d_b);
        let _ = writeln!(s);
        matrix(
            &mut s,
            "dX = dZ·Wᵀ (what the layer below receives)",
            &self.d_x,
        );
        let _ = writeln!(s, "one descent step with η = {}:", self.eta);
        matrix(&mut s, "W − η·dW", &self.w_after);
        row(&mut s, "b − η·db", &self.b_after);
        let _ = writeln!(
            s,
            "loss on the same batch: {:.4} before the step, {:.4} after",
            self.loss, self.loss_after
        );
        s
    }
}

fn to_f32(m: &[[f64; 2]; 2]) -> Array2<f32> {
    Array2::from_shape_fn((2, 2), |(i, j)| m[i][j] as f32)
}

/// A number as short as it can be written exactly (`0.5`, `-0.25`, `2`).
fn num(v: f64) -> String {
    if v < 0.0 {
        format!("({v})")
    } else {
        format!("{v}")
    }
}

/// A number to four decimals, in brackets when negative.
fn num4(v: f64) -> String {
    if v < 0.0 {
        format!("({v:.4})")
    } else {
        format!("{v:.4}")
    }
}

fn matrix(s: &mut String, name: &str, m: &[[f64; 2]; 2]) {
    let _ = writeln!(s, "{name}");
    for r in m {
        let _ = writeln!(s, "  [ {:>8.4}  {:>8.4} ]", r[0], r[1]);
    }
}

fn row(s: &mut String, name: &str, v: &[f64; 2]) {
    let _ = writeln!(s, "{name}");
    let _ = writeln!(s, "  [ {:>8.4}  {:>8.4} ]", v[0], v[1]);
}

/// The initial weight scales of one layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InitScale {
    /// Inputs of the layer.
    pub n_in: usize,
    /// Units of the layer.
    pub n_out: usize,
    /// Glorot's variance `2 / (n_in + n_out)`.
    pub glorot_variance: f64,
    /// Glorot's uniform bound `r = √(6 / (n_in + n_out))`.
    pub glorot_r: f64,
    /// He's variance `2 / n_in`.
    pub he_variance: f64,
    /// He's standard deviation `√(2 / n_in)`.
    pub he_std: f64,
}

/// Glorot's and He's scales for a layer of `n_in` inputs and `n_out` units.
pub fn init_scale(n_in: usize, n_out: usize) -> Result<InitScale, NetError> {
    if n_in == 0 || n_out == 0 {
        return Err(NetError::InvalidArgument(format!(
            "a layer needs at least one input and one unit, got {n_in} × {n_out}"
        )));
    }
    let (i, o) = (n_in as f64, n_out as f64);
    Ok(InitScale {
        n_in,
        n_out,
        glorot_variance: 2.0 / (i + o),
        glorot_r: (6.0 / (i + o)).sqrt(),
        he_variance: 2.0 / i,
        he_std: (2.0 / i).sqrt(),
    })
}

/// The layers of the XOR network of the chapter, 2-4-1.
pub const XOR_LAYERS: [(usize, usize); 2] = [(2, 4), (4, 1)];

/// [`init_scale`] for each layer of [`XOR_LAYERS`], as the page shows it.
pub fn init_scales() -> Result<String, NetError> {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "layer     Glorot: v = 2/(n_in+n_out)   r = √(6/(n_in+n_out))   r²/3    He: v = 2/n_in   std = √v"
    );
    for (n_in, n_out) in XOR_LAYERS {
        let c = init_scale(n_in, n_out)?;
        let _ = writeln!(
            s,
            "{n_in} → {n_out}             {:>6.4}                  {:>6.4}          {:>6.4}         {:>6.4}      {:>6.4}",
            c.glorot_variance,
            c.glorot_r,
            c.glorot_r * c.glorot_r / 3.0,
            c.he_variance,
            c.he_std
        );
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transposed_product_would_be_caught() {
        // dW = dZᵀ·X instead of Xᵀ·dZ gives different numbers here.
        let e = LayerExample::page();
        let wrong = |k: usize, j: usize| (0..2).map(|i| e.d_z[i][k] * e.x[i][j]).sum::<f64>();
        assert!((0..2).any(|k| (0..2).any(|j| (wrong(k, j) - e.d_w[k][j]).abs() > 1e-3)));
    }

    #[test]
    fn activation_values_at_the_page_points() {
        let t = Activation::Tanh;
        assert!((t.value(0.5) - 0.4621).abs() < 1e-4);
        assert!((t.slope(0.5) - 0.7864).abs() < 1e-4);
        assert_eq!(Activation::Relu.value(-2.0), 0.0);
        assert_eq!(Activation::Relu.slope(0.5), 1.0);
        assert!(activation_table().contains("tanh"));
    }

    #[test]
    fn glorot_and_he_for_the_xor_layers() {
        let first = init_scale(2, 4).unwrap();
        assert!((first.glorot_r - 1.0).abs() < 1e-12);
        // Uniform on [−r, r] has variance r²/3: Glorot's 2/(n_in + n_out).
        assert!((first.glorot_r.powi(2) / 3.0 - first.glorot_variance).abs() < 1e-12);
        let second = init_scale(4, 1).unwrap();
        assert!((second.glorot_r - 1.0954).abs() < 1e-4);
        assert!((second.he_std - 0.5f64.sqrt()).abs() < 1e-12);
        assert!(init_scale(0, 3).is_err());
    }
}
