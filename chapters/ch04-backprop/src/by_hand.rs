//! Backpropagation by hand, on the smallest network that has a hidden layer:
//! one input `x`, one hidden sigmoid unit `h`, one sigmoid output `ŷ`, and
//! the squared error against one target `y`:
//!
//! ```text
//! z₁ = w₁·x + b₁,  h = σ(z₁),  z₂ = w₂·h + b₂,  ŷ = σ(z₂),  L = (ŷ − y)²
//! ```
//!
//! [`Tiny::backward`] takes the derivative of `L` with respect to each of the
//! four parameters by the chain rule, one link at a time, and
//! [`Tiny::central_difference`] checks each one by nudging the parameter.
//! Plain `f64` numbers, so that every intermediate value can be printed and
//! followed on paper.

use std::fmt::Write;

use ndarray::{Array1, Array2};

use crate::activation::Activation;
use crate::dense::Dense;
use crate::error::NetError;
use crate::loss::{Loss, Mse};
use crate::network::Mlp;

/// The four parameters of the 1-1-1 network.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tiny {
    /// Weight from the input to the hidden unit.
    pub w1: f64,
    /// Bias of the hidden unit.
    pub b1: f64,
    /// Weight from the hidden unit to the output.
    pub w2: f64,
    /// Bias of the output.
    pub b2: f64,
}

/// Every value of the forward pass, in the order it is computed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TinyForward {
    /// `z₁ = w₁·x + b₁`, the hidden unit's weighted sum.
    pub z1: f64,
    /// `h = σ(z₁)`, the hidden unit's output.
    pub h: f64,
    /// `z₂ = w₂·h + b₂`, the output's weighted sum.
    pub z2: f64,
    /// `ŷ = σ(z₂)`, the prediction.
    pub y_hat: f64,
    /// `L = (ŷ − y)²`.
    pub loss: f64,
}

/// The derivative of the loss with respect to every value of the forward
/// pass and every parameter (`d_v` stands for `∂L/∂v`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TinyGradients {
    /// `∂L/∂ŷ`.
    pub d_y_hat: f64,
    /// `∂L/∂z₂`.
    pub d_z2: f64,
    /// `∂L/∂w₂`.
    pub d_w2: f64,
    /// `∂L/∂b₂`.
    pub d_b2: f64,
    /// `∂L/∂h`.
    pub d_h: f64,
    /// `∂L/∂z₁`.
    pub d_z1: f64,
    /// `∂L/∂w₁`.
    pub d_w1: f64,
    /// `∂L/∂b₁`.
    pub d_b1: f64,
}

/// One of the four parameters of [`Tiny`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TinyParameter {
    /// `w₁`.
    W1,
    /// `b₁`.
    B1,
    /// `w₂`.
    W2,
    /// `b₂`.
    B2,
}

impl TinyParameter {
    /// All four, output side first (the order backpropagation meets them).
    pub const ALL: [TinyParameter; 4] = [
        TinyParameter::W2,
        TinyParameter::B2,
        TinyParameter::W1,
        TinyParameter::B1,
    ];

    /// The name the page uses.
    pub fn name(self) -> &'static str {
        match self {
            TinyParameter::W1 => "w₁",
            TinyParameter::B1 => "b₁",
            TinyParameter::W2 => "w₂",
            TinyParameter::B2 => "b₂",
        }
    }
}

/// The logistic sigmoid in `f64`, in the same overflow-safe form as
/// [`crate::activation::sigmoid`].
pub fn sigmoid64(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl Tiny {
    /// The page's network: `w₁ = 0.5`, `b₁ = −0.5`, `w₂ = 1.5`, `b₂ = −1.5`.
    pub const PAGE: Tiny = Tiny {
        w1: 0.5,
        b1: -0.5,
        w2: 1.5,
        b2: -1.5,
    };

    // ANCHOR: tiny_forward
    /// The forward pass on one sample `(x, y)`.
    pub fn forward(&self, x: f64, y: f64) -> TinyForward {
        let z1 = self.w1 * x + self.b1;
        let h = sigmoid64(z1);
        let z2 = self.w2 * h + self.b2;
        let y_hat = sigmoid64(z2);
        let loss = (y_hat - y) * (y_hat - y);
        TinyForward {
            z1,
            h,
            z2,
            y_hat,
            loss,
        }
    }
    // ANCHOR_END: tiny_forward

    // ANCHOR: tiny_backward
    /// The backward pass: each line multiplies the derivative of the line
    /// above by one more link of the chain, from the loss down to `w₁`.
    pub fn backward(&self, x: f64, y: f64) -> (TinyForward, TinyGradients) {
        let f = self.forward(x, y);
        let d_y_hat = 2.0 * (f.y_hat - y); //          ∂L/∂ŷ
        let d_z2 = d_y_hat * f.y_hat * (1.0 - f.y_hat); // × ∂ŷ/∂z₂ = σ'(z₂)
        let d_w2 = d_z2 * f.h; //                      × ∂z₂/∂w₂ = h
        let d_b2 = d_z2; //                            × ∂z₂/∂b₂ = 1
        let d_h = d_z2 * self.w2; //                   × ∂z₂/∂h  = w₂
        let d_z1 = d_h * f.h * (1.0 - f.h); //         × ∂h/∂z₁  = σ'(z₁)
        let d_w1 = d_z1 * x; //                        × ∂z₁/∂w₁ = x
        let d_b1 = d_z1; //                            × ∂z₁/∂b₁ = 1
        let g = TinyGradients {
            d_y_hat,
            d_z2,
            d_w2,
            d_b2,
            d_h,
            d_z1,
            d_w1,
            d_b1,
        };
        (f, g)
    }
    // ANCHOR_END: tiny_backward

    /// The value of one parameter.
    pub fn get(&self, p: TinyParameter) -> f64 {
        match p {
            TinyParameter::W1 => self.w1,
            TinyParameter::B1 => self.b1,
            TinyParameter::W2 => self.w2,
            TinyParameter::B2 => self.b2,
        }
    }

    /// A copy with one parameter changed to `value`.
    pub fn with(&self, p: TinyParameter, value: f64) -> Tiny {
        let mut t = *self;
        match p {
            TinyParameter::W1 => t.w1 = value,
            TinyParameter::B1 => t.b1 = value,
            TinyParameter::W2 => t.w2 = value,
            TinyParameter::B2 => t.b2 = value,
        }
        t
    }

    // ANCHOR: tiny_difference
    /// `(L(θ + ε) − L(θ − ε)) / 2ε` for the parameter `θ = p`: the slope of
    /// the chord through two nearby points, which needs no chain rule.
    pub fn central_difference(
        &self,
        x: f64,
        y: f64,
        p: TinyParameter,
        epsilon: f64,
    ) -> Result<f64, NetError> {
        if !(epsilon.is_finite() && epsilon > 0.0) {
            return Err(NetError::InvalidArgument(format!(
                "epsilon must be positive and finite, got {epsilon}"
            )));
        }
        let theta = self.get(p);
        let plus = self.with(p, theta + epsilon).forward(x, y).loss;
        let minus = self.with(p, theta - epsilon).forward(x, y).loss;
        Ok((plus - minus) / (2.0 * epsilon))
    }
    // ANCHOR_END: tiny_difference
}

impl TinyGradients {
    /// The derivative with respect to one parameter.
    pub fn get(&self, p: TinyParameter) -> f64 {
        match p {
            TinyParameter::W1 => self.d_w1,
            TinyParameter::B1 => self.d_b1,
            TinyParameter::W2 => self.d_w2,
            TinyParameter::B2 => self.d_b2,
        }
    }
}

/// The step of the page's finite differences in `f64`.
pub const EPSILON64: f64 = 1e-5;

/// The page's sample: input `x = 2`, target `y = 1`.
pub const PAGE_SAMPLE: (f64, f64) = (2.0, 1.0);

/// The forward values, the chain-rule derivatives and their comparison with
/// central differences, as the `by_hand` example prints them.
pub fn report(net: &Tiny, x: f64, y: f64) -> Result<String, NetError> {
    let (f, g) = net.backward(x, y);
    let mut s = String::new();
    let w = |s: &mut String, line: String| {
        // Writing to a String cannot fail.
        let _ = writeln!(s, "{line}");
    };
    w(
        &mut s,
        format!(
            "sample x = {x}, y = {y}; parameters w₁ = {}, b₁ = {}, w₂ = {}, b₂ = {}",
            net.w1, net.b1, net.w2, net.b2
        ),
    );
    w(&mut s, String::new());
    w(&mut s, "forward pass".into());
    w(&mut s, format!("  z₁ = w₁·x + b₁   = {:>9.6}", f.z1));
    w(&mut s, format!("  h  = σ(z₁)       = {:>9.6}", f.h));
    w(&mut s, format!("  z₂ = w₂·h + b₂   = {:>9.6}", f.z2));
    w(&mut s, format!("  ŷ  = σ(z₂)       = {:>9.6}", f.y_hat));
    w(&mut s, format!("  L  = (ŷ − y)²    = {:>9.6}", f.loss));
    w(&mut s, String::new());
    w(
        &mut s,
        "backward pass (chain rule, from the loss down)".into(),
    );
    let sy = f.y_hat * (1.0 - f.y_hat);
    let sh = f.h * (1.0 - f.h);
    let lines = [
        ("∂L/∂ŷ ", "2(ŷ − y)        ", 2.0, f.y_hat - y, g.d_y_hat),
        ("∂L/∂z₂", "∂L/∂ŷ · ŷ(1 − ŷ)", g.d_y_hat, sy, g.d_z2),
        ("∂L/∂w₂", "∂L/∂z₂ · h      ", g.d_z2, f.h, g.d_w2),
        ("∂L/∂b₂", "∂L/∂z₂ · 1      ", g.d_z2, 1.0, g.d_b2),
        ("∂L/∂h ", "∂L/∂z₂ · w₂     ", g.d_z2, net.w2, g.d_h),
        ("∂L/∂z₁", "∂L/∂h · h(1 − h)", g.d_h, sh, g.d_z1),
        ("∂L/∂w₁", "∂L/∂z₁ · x      ", g.d_z1, x, g.d_w1),
        ("∂L/∂b₁", "∂L/∂z₁ · 1      ", g.d_z1, 1.0, g.d_b1),
    ];
    for (name, rule, a, b, value) in lines {
        w(
            &mut s,
            format!("  {name} = {rule} = {a:>9.6} · {b:>9.6} = {value:>9.6}"),
        );
    }
    w(&mut s, String::new());
    w(
        &mut s,
        format!("chain rule against central differences, ε = {EPSILON64:e}"),
    );
    w(
        &mut s,
        "  parameter   chain rule   (L(θ+ε) − L(θ−ε)) / 2ε   difference".into(),
    );
    for p in TinyParameter::ALL {
        let analytic = g.get(p);
        let numeric = net.central_difference(x, y, p, EPSILON64)?;
        w(
            &mut s,
            format!(
                "  {:9}   {analytic:>10.6}   {numeric:>10.6}               {:.0e}",
                p.name(),
                (analytic - numeric).abs()
            ),
        );
    }
    Ok(s)
}

/// The page's batch of two samples, `(x, y) = (2, 1)` and `(−1, 0)`.
pub const PAGE_BATCH: [(f64, f64); 2] = [(2.0, 1.0), (-1.0, 0.0)];

/// The 1-1-1 network as the chapter's [`Mlp`]: two [`Dense`] layers of one
/// sigmoid unit each, with the parameters of `net` rounded to `f32`.
pub fn as_mlp(net: &Tiny) -> Result<Mlp, NetError> {
    let layer = |w: f64, b: f64| {
        Dense::from_parameters(
            Array2::from_elem((1, 1), w as f32),
            Array1::from_elem(1, b as f32),
            Activation::Sigmoid,
        )
    };
    Mlp::new(vec![layer(net.w1, net.b1)?, layer(net.w2, net.b2)?])
}

/// One parameter's derivatives on a batch, by hand and by the [`Mlp`].
#[derive(Clone, Debug, PartialEq)]
pub struct BatchGradient {
    /// Which parameter.
    pub parameter: TinyParameter,
    /// `∂L/∂θ` of each sample's own loss, by the chain rule (`f64`).
    pub per_sample: Vec<f64>,
    /// The mean of `per_sample`: the derivative of the batch's mean loss.
    pub mean: f64,
    /// What [`Mlp::backward`] computes on the whole batch (`f32`).
    pub mlp: f32,
}

/// The mean squared error of a batch is the mean of the samples' losses, so
/// its derivative is the mean of their derivatives: `w₁` reaches the loss
/// along one path per sample, and the paths add up. Returns, for each
/// parameter, the by-hand derivative on each sample, their mean, and what
/// the chapter's [`Mlp`] (in `f32`) computes on the whole batch.
pub fn batch_gradients(net: &Tiny, batch: &[(f64, f64)]) -> Result<Vec<BatchGradient>, NetError> {
    if batch.is_empty() {
        return Err(NetError::EmptyBatch);
    }
    let per_sample: Vec<TinyGradients> = batch.iter().map(|&(x, y)| net.backward(x, y).1).collect();
    let mut mlp = as_mlp(net)?;
    let x = Array2::from_shape_fn((batch.len(), 1), |(i, _)| batch[i].0 as f32);
    let y = Array2::from_shape_fn((batch.len(), 1), |(i, _)| batch[i].1 as f32);
    let out = mlp.forward(x.view())?;
    mlp.backward(Mse.gradient(out.view(), y.view())?.view())?;
    let from_mlp = |p: TinyParameter| match p {
        TinyParameter::W1 => mlp.layers[0].grad_weights()[(0, 0)],
        TinyParameter::B1 => mlp.layers[0].grad_bias()[0],
        TinyParameter::W2 => mlp.layers[1].grad_weights()[(0, 0)],
        TinyParameter::B2 => mlp.layers[1].grad_bias()[0],
    };
    Ok(TinyParameter::ALL
        .iter()
        .map(|&p| {
            let each: Vec<f64> = per_sample.iter().map(|g| g.get(p)).collect();
            let mean = each.iter().sum::<f64>() / each.len() as f64;
            BatchGradient {
                parameter: p,
                per_sample: each,
                mean,
                mlp: from_mlp(p),
            }
        })
        .collect())
}

/// [`batch_gradients`] as the `by_hand` example prints it.
pub fn batch_report(net: &Tiny, batch: &[(f64, f64)]) -> Result<String, NetError> {
    let rows = batch_gradients(net, batch)?;
    let mut s = String::new();
    let samples: Vec<String> = batch.iter().map(|(x, y)| format!("({x}, {y})")).collect();
    let _ = writeln!(
        s,
        "batch of {} samples (x, y): {}",
        batch.len(),
        samples.join(", ")
    );
    let _ = writeln!(
        s,
        "  parameter   ∂L/∂θ by hand, per sample   mean of the two   Mlp::backward on the batch (f32)"
    );
    for row in rows {
        let (p, mean, mlp) = (row.parameter, row.mean, row.mlp);
        let each: Vec<String> = row.per_sample.iter().map(|v| format!("{v:>9.6}")).collect();
        let _ = writeln!(
            s,
            "  {:9}   {}       {mean:>9.6}         {mlp:>9.6}",
            p.name(),
            each.join("  ")
        );
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    // ANCHOR: by_hand_test
    /// Every derivative of the chain rule agrees with a central difference,
    /// and the page's numbers are the ones the code computes.
    #[test]
    fn chain_rule_matches_central_differences() {
        let (x, y) = PAGE_SAMPLE;
        let net = Tiny::PAGE;
        let (f, g) = net.backward(x, y);
        for p in TinyParameter::ALL {
            let numeric = net.central_difference(x, y, p, EPSILON64).unwrap();
            let analytic = g.get(p);
            // f64 and ε = 1e-5: truncation ≈ ε² ≈ 1e-10, rounding ≈ 1e-16/ε.
            assert!(
                (analytic - numeric).abs() < 1e-9,
                "{}: chain rule {analytic}, difference {numeric}",
                p.name()
            );
        }
        // The numbers worked on the page, to the digits it shows.
        let close = |a: f64, b: f64| (a - b).abs() < 5e-5;
        assert!(close(f.z1, 0.5) && close(f.h, 0.6225) && close(f.z2, -0.5663));
        assert!(close(f.y_hat, 0.3621) && close(f.loss, 0.4069));
        assert!(close(g.d_y_hat, -1.2758) && close(g.d_z2, -0.2947));
        assert!(close(g.d_w2, -0.1834) && close(g.d_b2, -0.2947));
        assert!(close(g.d_h, -0.4420) && close(g.d_z1, -0.1039));
        assert!(close(g.d_w1, -0.2078) && close(g.d_b1, -0.1039));
    }
    // ANCHOR_END: by_hand_test

    #[test]
    fn a_wrong_link_is_caught() {
        // Forget σ'(z₁): the derivative for w₁ no longer matches.
        let (x, y) = PAGE_SAMPLE;
        let net = Tiny::PAGE;
        let (_, g) = net.backward(x, y);
        let wrong = g.d_h * x;
        let numeric = net
            .central_difference(x, y, TinyParameter::W1, EPSILON64)
            .unwrap();
        assert!((wrong - numeric).abs() > 0.1);
        assert!(
            net.central_difference(x, y, TinyParameter::W1, 0.0)
                .is_err()
        );
    }
}
