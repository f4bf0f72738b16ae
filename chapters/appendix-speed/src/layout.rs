//! How the model is laid out in memory: the cut of every weight matrix into
//! parts, what each part owns, and what the parts exchange.

use std::ops::Range;

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use super::kernels::{BatchScore, NonZeros, ROW_PAD};
use super::team::Buffer;
use super::{FastConfig, Hidden, Model, Output, PARTS};

/// Sizes and cuts, fixed when the trainer is built.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// Neurons per layer, inputs first: `[784, 300, 100, 10]`.
    pub(crate) sizes: Vec<usize>,
    /// Each layer's outputs rounded up to a multiple of 16, so that a row of
    /// its weights is a whole number of vectors: `[304, 112, 16]`.
    pub(crate) widths: Vec<usize>,
    /// `rows[l][t]`: the rows of layer `l`'s weights that part `t` owns. The
    /// first layer's rows (pixels) are cut anywhere: in the middle, or at
    /// [`FastConfig::first_cut`]; the other layers' rows are the previous
    /// layer's outputs, cut between whole vectors: `[0..392, 392..784]`,
    /// `[0..144, 144..304]`, `[0..48, 48..112]`.
    pub(crate) rows: Vec<[Range<usize>; PARTS]>,
    /// The largest batch.
    pub(crate) batch: usize,
    /// `batch` rounded up to a multiple of [`ROW_PAD`]; the extra rows are
    /// zero.
    pub(crate) padded_batch: usize,
    /// The activation of each hidden layer.
    pub(crate) hidden: Vec<Hidden>,
    /// The output layer and its loss.
    pub(crate) output: Output,
    /// The momentum `μ`; 0 for plain SGD, which keeps no velocities.
    pub(crate) momentum: f32,
    /// Whether the first layer skips inputs that are zero.
    pub(crate) skip_zeros: bool,
}

impl Plan {
    pub(crate) fn new(sizes: Vec<usize>, model: &Model, config: &FastConfig) -> Plan {
        let widths: Vec<usize> = sizes[1..].iter().map(|n| n.next_multiple_of(16)).collect();
        let cut = |n: usize, unit: usize| -> [Range<usize>; PARTS] {
            std::array::from_fn(|t| (t * n / PARTS) * unit..((t + 1) * n / PARTS) * unit)
        };
        let rows = (0..widths.len())
            .map(|l| match (l, config.first_cut) {
                // Two parts (`PARTS`): the cut and what lies on each side.
                (0, Some(c)) => [0..c, c..sizes[0]],
                (0, None) => cut(sizes[0], 1),
                _ => cut(widths[l - 1] / 16, 16),
            })
            .collect();
        let (batch, skip_zeros) = (config.batch_size, config.skip_zeros);
        Plan {
            sizes,
            widths,
            rows,
            batch,
            padded_batch: batch.next_multiple_of(ROW_PAD),
            hidden: model.hidden.clone(),
            output: model.output,
            momentum: model.momentum,
            skip_zeros,
        }
    }

    /// Whether the optimiser keeps velocities.
    pub(crate) fn has_momentum(&self) -> bool {
        self.momentum != 0.0
    }

    /// The number of dense layers.
    pub(crate) fn layers(&self) -> usize {
        self.widths.len()
    }

    /// The number of outputs of the last layer (classes, for softmax).
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
    /// `nonzeros[l]`: where the input of layer `l` (`x`, then `acts`) is
    /// not zero in the current batch, for the sparse products.
    pub(crate) nonzeros: Vec<NonZeros>,
    /// `acts[l]` (hidden layers only): layer `l`'s ReLU outputs for the
    /// columns `plan.rows[l + 1][index]`, `padded_batch × that many`.
    pub(crate) acts: Vec<Buffer>,
    /// Output logits and output gradient, `padded_batch × widths[last]`.
    pub(crate) logits: Buffer,
    pub(crate) output_grad: Buffer,
    /// With momentum: the velocities of `weights`, `hidden_bias` and
    /// `output_bias`, laid out like them; empty without.
    pub(crate) velocity: Vec<Buffer>,
    pub(crate) hidden_bias_velocity: Vec<Buffer>,
    pub(crate) output_bias_velocity: Buffer,
    /// The number of samples in the current batch.
    pub(crate) batch_len: usize,
    /// The labels of the current batch (softmax output).
    pub(crate) labels: Vec<u8>,
    /// The target values of the current batch, `classes()` per sample
    /// (sigmoid and linear outputs).
    pub(crate) targets: Vec<f32>,
    /// Whether every weight and bias this part updated in the current task
    /// stayed finite.
    pub(crate) finite: bool,
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
        let weights: Vec<Buffer> = layers
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
        let hidden_bias: Vec<Buffer> = layers[..last]
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
        let momentum = plan.has_momentum();
        let like = |b: &Buffer| Buffer::zeros(if momentum { b.len() } else { 0 });
        Part {
            index,
            velocity: if momentum {
                weights.iter().map(like).collect()
            } else {
                Vec::new()
            },
            hidden_bias_velocity: if momentum {
                hidden_bias.iter().map(like).collect()
            } else {
                Vec::new()
            },
            output_bias_velocity: like(&output_bias),
            weights,
            hidden_bias,
            output_bias,
            x: Buffer::zeros(rows * x_stride),
            x_stride,
            // A hidden layer's input has zeros wherever ReLU cut; but below
            // four vectors of outputs (64), a skipped input saves too little
            // to pay for the bookkeeping (the book's last layer has one).
            nonzeros: (0..plan.layers())
                .map(|l| {
                    let skip = plan.skip_zeros && (l == 0 || plan.widths[l] >= 64);
                    NonZeros::new(plan.rows[l][index].len(), rows, skip)
                })
                .collect(),
            acts: (1..plan.layers())
                .map(|l| Buffer::zeros(rows * plan.rows[l][index].len()))
                .collect(),
            logits: Buffer::zeros(rows * plan.widths[last]),
            output_grad: Buffer::zeros(rows * plan.widths[last]),
            batch_len: 0,
            labels: Vec::with_capacity(plan.batch),
            targets: Vec::with_capacity(plan.batch * plan.classes()),
            finite: true,
            score: BatchScore::default(),
            profile: vec![[0.0; 2]; 2 * plan.layers()],
        }
    }
}

/// Which of a part's buffers [`assemble`] and [`scatter`] read or write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Which {
    /// The weights and biases.
    Parameters,
    /// Their velocities (momentum only).
    Velocities,
}

impl Part {
    /// The part's weights of layer `l` (or their velocities).
    fn weights_of(&self, which: Which, l: usize) -> &Buffer {
        match which {
            Which::Parameters => &self.weights[l],
            Which::Velocities => &self.velocity[l],
        }
    }

    fn hidden_bias_of(&self, which: Which, l: usize) -> &Buffer {
        match which {
            Which::Parameters => &self.hidden_bias[l],
            Which::Velocities => &self.hidden_bias_velocity[l],
        }
    }

    fn output_bias_of(&self, which: Which) -> &Buffer {
        match which {
            Which::Parameters => &self.output_bias,
            Which::Velocities => &self.output_bias_velocity,
        }
    }

    /// Writes whole layers (weights or velocities, by `which`) into this
    /// part's rows and columns; the shapes were checked by the caller.
    pub(crate) fn scatter(
        &mut self,
        plan: &Plan,
        which: Which,
        layers: &[(ArrayView2<'_, f32>, ArrayView1<'_, f32>)],
    ) {
        let last = plan.layers() - 1;
        for (l, (w, b)) in layers.iter().enumerate() {
            let (rows, width) = (plan.rows[l][self.index].clone(), plan.widths[l]);
            let dst = match which {
                Which::Parameters => self.weights[l].as_mut_slice(),
                Which::Velocities => self.velocity[l].as_mut_slice(),
            };
            for (r, k) in rows.enumerate().filter(|&(_, k)| k < w.nrows()) {
                for (j, &v) in w.row(k).iter().enumerate() {
                    dst[r * width + j] = v;
                }
            }
            if l < last {
                let cols = plan.rows[l + 1][self.index].clone();
                let dst = match which {
                    Which::Parameters => self.hidden_bias[l].as_mut_slice(),
                    Which::Velocities => self.hidden_bias_velocity[l].as_mut_slice(),
                };
                for (c, j) in cols.enumerate().filter(|&(_, j)| j < b.len()) {
                    dst[c] = b[j];
                }
            } else {
                let dst = match which {
                    Which::Parameters => self.output_bias.as_mut_slice(),
                    Which::Velocities => self.output_bias_velocity.as_mut_slice(),
                };
                for (d, &v) in dst.iter_mut().zip(b) {
                    *d = v;
                }
            }
        }
    }
}

/// Puts the parts' rows and columns back together into whole layers: the
/// weights and biases, or their velocities.
pub(crate) fn assemble<'a>(
    plan: &Plan,
    which: Which,
    parts: impl Iterator<Item = &'a Part> + Clone,
) -> Vec<(Array2<f32>, Array1<f32>)> {
    (0..plan.layers())
        .map(|l| {
            let (n_in, n_out, width) = (plan.sizes[l], plan.sizes[l + 1], plan.widths[l]);
            let mut w = Array2::zeros((n_in, n_out));
            let mut b = Array1::zeros(n_out);
            for part in parts.clone() {
                let rows = &plan.rows[l][part.index];
                let mine = part.weights_of(which, l).as_slice();
                for (r, k) in rows.clone().enumerate().filter(|&(_, k)| k < n_in) {
                    let row = &mine[r * width..r * width + n_out];
                    w.row_mut(k).assign(&ArrayView1::from(row));
                }
                if l + 1 < plan.layers() {
                    let cols = &plan.rows[l + 1][part.index];
                    let mine = part.hidden_bias_of(which, l).as_slice();
                    for (c, j) in cols.clone().enumerate().filter(|&(_, j)| j < n_out) {
                        b[j] = mine[c];
                    }
                } else if part.index == 0 {
                    let mine = part.output_bias_of(which).as_slice();
                    b.assign(&ArrayView1::from(&mine[..n_out]));
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
