//! How the model is laid out in memory: the cut of every weight matrix into
//! parts, what each part owns, and what the parts exchange.

use std::ops::Range;

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use super::PARTS;
use super::kernels::{BatchScore, ROW_PAD};
use super::team::Buffer;

/// Sizes and cuts, fixed when the trainer is built.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// Neurons per layer, inputs first: `[784, 300, 100, 10]`.
    pub(crate) sizes: Vec<usize>,
    /// Each layer's outputs rounded up to a multiple of 16, so that a row of
    /// its weights is a whole number of vectors: `[304, 112, 16]`.
    pub(crate) widths: Vec<usize>,
    /// `rows[l][t]`: the rows of layer `l`'s weights that part `t` owns. The
    /// first layer's rows (pixels) are cut anywhere; the other layers' rows
    /// are the previous layer's outputs, cut between whole vectors:
    /// `[0..392, 392..784]`, `[0..144, 144..304]`, `[0..48, 48..112]`.
    pub(crate) rows: Vec<[Range<usize>; PARTS]>,
    /// The largest batch.
    pub(crate) batch: usize,
    /// `batch` rounded up to a multiple of [`ROW_PAD`]; the extra rows are
    /// zero.
    pub(crate) padded_batch: usize,
}

impl Plan {
    pub(crate) fn new(sizes: Vec<usize>, batch: usize) -> Plan {
        let widths: Vec<usize> = sizes[1..].iter().map(|n| n.next_multiple_of(16)).collect();
        let cut = |n: usize, unit: usize| -> [Range<usize>; PARTS] {
            std::array::from_fn(|t| (t * n / PARTS) * unit..((t + 1) * n / PARTS) * unit)
        };
        let rows = (0..widths.len())
            .map(|l| match l {
                0 => cut(sizes[0], 1),
                _ => cut(widths[l - 1] / 16, 16),
            })
            .collect();
        Plan {
            sizes,
            widths,
            rows,
            batch,
            padded_batch: batch.next_multiple_of(ROW_PAD),
        }
    }

    /// The number of dense layers.
    pub(crate) fn layers(&self) -> usize {
        self.widths.len()
    }

    /// The number of classes (outputs of the last layer).
    pub(crate) fn classes(&self) -> usize {
        self.sizes[self.layers()]
    }
}

/// What one part owns: its rows of every weight matrix, its columns of every
/// hidden layer, and its own scratch buffers. Only one thread touches a part
/// at a time.
pub(crate) struct Part {
    pub(crate) index: usize,
    /// `weights[l]`: rows `plan.rows[l][index]` of layer `l`'s weights,
    /// `rows × widths[l]`.
    pub(crate) weights: Vec<Buffer>,
    /// `hidden_bias[l]` (hidden layers only): the bias of layer `l` for the
    /// columns `plan.rows[l + 1][index]`.
    pub(crate) hidden_bias: Vec<Buffer>,
    /// A whole copy of the output layer's bias; every part applies the same
    /// updates to its copy.
    pub(crate) output_bias: Buffer,
    /// The batch's input values `plan.rows[0][index]`, `padded_batch × x_stride`.
    pub(crate) x: Buffer,
    pub(crate) x_stride: usize,
    /// `acts[l]` (hidden layers only): layer `l`'s ReLU outputs for the
    /// columns `plan.rows[l + 1][index]`, `padded_batch × that many`.
    pub(crate) acts: Vec<Buffer>,
    /// Output logits and output gradient, `padded_batch × widths[last]`.
    pub(crate) logits: Buffer,
    pub(crate) output_grad: Buffer,
    /// The labels of the current batch.
    pub(crate) labels: Vec<u8>,
    /// Loss and accuracy so far in this task.
    pub(crate) score: BatchScore,
    /// For the first part of each thread: seconds of work and of waiting in
    /// each phase of the steps of the last task.
    pub(crate) profile: Vec<[f64; 2]>,
}

impl Part {
    /// Part `index` of a model whose layers are `(weights, bias)` pairs.
    pub(crate) fn new(
        plan: &Plan,
        index: usize,
        layers: &[(ArrayView2<'_, f32>, ArrayView1<'_, f32>)],
    ) -> Part {
        let last = plan.layers() - 1;
        let weights = layers
            .iter()
            .enumerate()
            .map(|(l, (w, _))| {
                let (rows, width) = (&plan.rows[l][index], plan.widths[l]);
                let mut buf = Buffer::zeros(rows.len() * width);
                let dst = buf.as_mut_slice();
                for (r, k) in rows.clone().enumerate().filter(|&(_, k)| k < w.nrows()) {
                    for (j, &v) in w.row(k).iter().enumerate() {
                        dst[r * width + j] = v;
                    }
                }
                buf
            })
            .collect();
        let hidden_bias = layers[..last]
            .iter()
            .enumerate()
            .map(|(l, (_, b))| {
                let cols = &plan.rows[l + 1][index];
                let mut buf = Buffer::zeros(cols.len());
                let dst = buf.as_mut_slice();
                for (c, j) in cols.clone().enumerate().filter(|&(_, j)| j < b.len()) {
                    dst[c] = b[j];
                }
                buf
            })
            .collect();
        let mut output_bias = Buffer::zeros(plan.widths[last]);
        for (dst, &v) in output_bias.as_mut_slice().iter_mut().zip(layers[last].1) {
            *dst = v;
        }
        let x_stride = plan.rows[0][index].len().next_multiple_of(16);
        let rows = plan.padded_batch;
        Part {
            index,
            weights,
            hidden_bias,
            output_bias,
            x: Buffer::zeros(rows * x_stride),
            x_stride,
            acts: (1..plan.layers())
                .map(|l| Buffer::zeros(rows * plan.rows[l][index].len()))
                .collect(),
            logits: Buffer::zeros(rows * plan.widths[last]),
            output_grad: Buffer::zeros(rows * plan.widths[last]),
            labels: Vec::with_capacity(plan.batch),
            score: BatchScore::default(),
            profile: vec![[0.0; 2]; 2 * plan.layers()],
        }
    }
}

/// Puts the parts' rows and columns back together into whole layers.
pub(crate) fn assemble<'a>(
    plan: &Plan,
    parts: impl Iterator<Item = &'a Part> + Clone,
) -> Vec<(Array2<f32>, Array1<f32>)> {
    (0..plan.layers())
        .map(|l| {
            let (n_in, n_out, width) = (plan.sizes[l], plan.sizes[l + 1], plan.widths[l]);
            let mut w = Array2::zeros((n_in, n_out));
            let mut b = Array1::zeros(n_out);
            for part in parts.clone() {
                let rows = &plan.rows[l][part.index];
                let mine = part.weights[l].as_slice();
                for (r, k) in rows.clone().enumerate().filter(|&(_, k)| k < n_in) {
                    let row = &mine[r * width..r * width + n_out];
                    w.row_mut(k).assign(&ArrayView1::from(row));
                }
                if l + 1 < plan.layers() {
                    let cols = &plan.rows[l + 1][part.index];
                    let mine = part.hidden_bias[l].as_slice();
                    for (c, j) in cols.clone().enumerate().filter(|&(_, j)| j < n_out) {
                        b[j] = mine[c];
                    }
                } else if part.index == 0 {
                    b.assign(&ArrayView1::from(&part.output_bias.as_slice()[..n_out]));
                }
            }
            (w, b)
        })
        .collect()
}

/// The buffers the workers exchange (see the phase rule in `team`).
pub(crate) struct Exchange {
    /// `partials[l][t]`: part `t`'s share of layer `l`'s product,
    /// `padded_batch × widths[l]`.
    pub(crate) partials: Vec<[Buffer; PARTS]>,
    /// `grads[l]` (hidden layers only): `∂L/∂Z` of layer `l`, whose columns
    /// `rows[l + 1][t]` are written by part `t`.
    pub(crate) grads: Vec<Buffer>,
}

impl Exchange {
    pub(crate) fn new(plan: &Plan) -> Exchange {
        let buffer = |width: usize| Buffer::zeros(plan.padded_batch * width);
        Exchange {
            partials: plan
                .widths
                .iter()
                .map(|&w| std::array::from_fn(|_| buffer(w)))
                .collect(),
            grads: plan.widths[..plan.layers() - 1]
                .iter()
                .map(|&w| buffer(w))
                .collect(),
        }
    }
}
