//! The kernels of a training step, each written once over [`Lanes`].
//!
//! Shapes, in the words of the fast trainer: a part owns some rows `K` of a
//! layer's weight matrix `W` (stored inputs × outputs, as in chapter 4, with
//! the outputs padded to a multiple of 16 so that a row is whole vectors).
//! For a batch of `B` samples (padded to a multiple of 8 rows), the three
//! products of backpropagation restricted to those rows are
//!
//! - forward: `P = A[:, K] · W[K, :]`, the part's share of `Z = A · W`;
//! - input gradient: `dA[:, K] = G · W[K, :]ᵀ`, then the ReLU mask;
//! - update: `W[K, :] ← W[K, :] − lr · A[:, K]ᵀ · G`,
//!
//! where `A` is the layer's input and `G = ∂L/∂Z` its output gradient.
//! Each output element is accumulated in one fixed order whatever the
//! instruction set and the tiling, which is what makes the results
//! reproducible bit for bit.
//!
//! All functions are `unsafe`: they take raw pointers with the strides
//! documented on each, and the caller (the phases in `step.rs`) guarantees
//! that the memory is there.

use super::simd::Lanes;

/// How many batch rows a kernel handles at once is always a divisor of this;
/// batches are padded with zero rows to a multiple of it.
pub(crate) const ROW_PAD: usize = 8;

/// The three matrix products, with the tile sizes that suit one instruction
/// set. Tiles change speed only, never results.
pub(crate) trait Kernels: Lanes {
    /// `p[b, j] = Σ_k a[b, k] · w[k, j]` for `b < rows`, `k < kdim`,
    /// `j < 16·nv`. Strides: `a` rows `a_stride`, `w` and `p` rows `16·nv`.
    unsafe fn forward(
        a: *const f32,
        a_stride: usize,
        w: *const f32,
        kdim: usize,
        nv: usize,
        p: *mut f32,
        rows: usize,
    );

    /// `out[b, k] = Σ_j g[b, j] · w[k, j]` where `act[b, k] > 0`, else 0,
    /// for `b < rows`, `k < kdim`, `j < 16·nv`. Strides: `g` and `w` rows
    /// `16·nv`, `act` rows `act_stride`, `out` rows `out_stride`.
    #[allow(clippy::too_many_arguments)]
    unsafe fn input_gradient(
        g: *const f32,
        w: *const f32,
        kdim: usize,
        nv: usize,
        act: *const f32,
        act_stride: usize,
        out: *mut f32,
        out_stride: usize,
        rows: usize,
    );

    /// `w[k, j] ← w[k, j] − lr · Σ_b a[b, k] · g[b, j]` for `k < kdim`,
    /// `j < 16·nv`, `b < rows`. Strides: `a` rows `a_stride`, `g` and `w`
    /// rows `16·nv`.
    #[allow(clippy::too_many_arguments)]
    unsafe fn update(
        a: *const f32,
        a_stride: usize,
        g: *const f32,
        rows: usize,
        w: *mut f32,
        kdim: usize,
        nv: usize,
        lr: f32,
    );
}

macro_rules! kernels_with_tiles {
    ($isa:ty, forward: ($fr:literal, $fc:literal), gradient: [$($gradient:tt)*], update: ($ur:literal, $uc:literal)) => {
        impl Kernels for $isa {
            #[inline(always)]
            unsafe fn forward(
                a: *const f32,
                a_stride: usize,
                w: *const f32,
                kdim: usize,
                nv: usize,
                p: *mut f32,
                rows: usize,
            ) {
                unsafe { forward::<Self, $fr, $fc>(a, a_stride, w, kdim, nv, p, rows) }
            }
            #[inline(always)]
            unsafe fn input_gradient(
                g: *const f32,
                w: *const f32,
                kdim: usize,
                nv: usize,
                act: *const f32,
                act_stride: usize,
                out: *mut f32,
                out_stride: usize,
                rows: usize,
            ) {
                unsafe {
                    $($gradient)*(g, w, kdim, nv, act, act_stride, out, out_stride, rows)
                }
            }
            #[inline(always)]
            unsafe fn update(
                a: *const f32,
                a_stride: usize,
                g: *const f32,
                rows: usize,
                w: *mut f32,
                kdim: usize,
                nv: usize,
                lr: f32,
            ) {
                unsafe { update::<Self, $ur, $uc>(a, a_stride, g, rows, w, kdim, nv, lr) }
            }
        }
    };
}

// 32 vector registers: 24 accumulators plus operands; the input gradient
// takes sixteen dot products at a time and sums them together.
#[cfg(target_arch = "x86_64")]
kernels_with_tiles!(
    super::simd::Avx512,
    forward: (8, 3),
    gradient: [input_gradient_wide::<Self>],
    update: (8, 3)
);
// 16 registers of half the width: 4 sixteen-lane accumulators are 8 registers.
#[cfg(target_arch = "x86_64")]
kernels_with_tiles!(
    super::simd::Avx2,
    forward: (4, 1),
    gradient: [input_gradient::<Self, 2, 2>],
    update: (4, 1)
);
kernels_with_tiles!(
    super::simd::Portable,
    forward: (4, 1),
    gradient: [input_gradient::<Self, 2, 2>],
    update: (4, 1)
);

// ANCHOR: forward_tile
/// One `R × C` tile of the forward product: `R` batch rows, `C` vectors of
/// outputs. `a` points at the tile's first row, `w` and `p` at its first
/// column. Each accumulator sums over `k` in order, one fused multiply-add
/// per input.
#[inline(always)]
unsafe fn forward_tile<V: Lanes, const R: usize, const C: usize>(
    a: *const f32,
    a_stride: usize,
    w: *const f32,
    n: usize,
    kdim: usize,
    p: *mut f32,
) {
    unsafe {
        let mut acc = [[V::zero(); C]; R];
        for k in 0..kdim {
            let w_k = w.add(k * n);
            let wv: [V::V; C] = std::array::from_fn(|c| V::load(w_k.add(16 * c)));
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let x = V::splat(*a.add(r * a_stride + k));
                for c in 0..C {
                    acc_r[c] = V::mul_add(x, wv[c], acc_r[c]);
                }
            }
        }
        for (r, acc_r) in acc.iter().enumerate() {
            for (c, &v) in acc_r.iter().enumerate() {
                V::store(p.add(r * n + 16 * c), v);
            }
        }
    }
}
// ANCHOR_END: forward_tile

#[inline(always)]
unsafe fn forward<V: Lanes, const R: usize, const C: usize>(
    a: *const f32,
    a_stride: usize,
    w: *const f32,
    kdim: usize,
    nv: usize,
    p: *mut f32,
    rows: usize,
) {
    debug_assert_eq!(rows % R, 0);
    let n = 16 * nv;
    unsafe {
        let mut jv = 0;
        while jv < nv {
            let (wj, pj) = (w.add(16 * jv), p.add(16 * jv));
            let full = jv + C <= nv;
            for b in (0..rows).step_by(R) {
                let (ab, pb) = (a.add(b * a_stride), pj.add(b * n));
                if full {
                    forward_tile::<V, R, C>(ab, a_stride, wj, n, kdim, pb);
                } else {
                    forward_tile::<V, R, 1>(ab, a_stride, wj, n, kdim, pb);
                }
            }
            jv += if full { C } else { 1 };
        }
    }
}

/// One tile of the input gradient: `R` batch rows × `C` weight rows, each a
/// dot product over the outputs, reduced by the fixed lane tree.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn input_gradient_tile<V: Lanes, const R: usize, const C: usize>(
    g: *const f32,
    w: *const f32,
    n: usize,
    act: *const f32,
    act_stride: usize,
    out: *mut f32,
    out_stride: usize,
) {
    unsafe {
        let mut acc = [[V::zero(); C]; R];
        for j in (0..n).step_by(16) {
            let gv: [V::V; R] = std::array::from_fn(|r| V::load(g.add(r * n + j)));
            let wv: [V::V; C] = std::array::from_fn(|c| V::load(w.add(c * n + j)));
            for r in 0..R {
                for c in 0..C {
                    acc[r][c] = V::mul_add(gv[r], wv[c], acc[r][c]);
                }
            }
        }
        for (r, acc_r) in acc.iter().enumerate() {
            for (c, &v) in acc_r.iter().enumerate() {
                let sum = V::sum_lanes(v);
                let open = *act.add(r * act_stride + c) > 0.0;
                *out.add(r * out_stride + c) = if open { sum } else { 0.0 };
            }
        }
    }
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn input_gradient<V: Lanes, const R: usize, const C: usize>(
    g: *const f32,
    w: *const f32,
    kdim: usize,
    nv: usize,
    act: *const f32,
    act_stride: usize,
    out: *mut f32,
    out_stride: usize,
    rows: usize,
) {
    debug_assert_eq!(rows % R, 0);
    let n = 16 * nv;
    unsafe {
        let mut k = 0;
        while k < kdim {
            let full = k + C <= kdim;
            for b in (0..rows).step_by(R) {
                let (gb, wk) = (g.add(b * n), w.add(k * n));
                let ab = act.add(b * act_stride + k);
                let ob = out.add(b * out_stride + k);
                if full {
                    input_gradient_tile::<V, R, C>(gb, wk, n, ab, act_stride, ob, out_stride);
                } else {
                    input_gradient_tile::<V, R, 1>(gb, wk, n, ab, act_stride, ob, out_stride);
                }
            }
            k += if full { C } else { 1 };
        }
    }
}

// ANCHOR: input_gradient_wide
/// The input gradient sixteen weight rows at a time: for each batch row, 16
/// dot products accumulate side by side, are summed together by
/// `sum_lanes_16`, masked by ReLU and stored as one vector. Falls back to
/// single dot products for a last block of fewer than 16 rows.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn input_gradient_wide<V: Lanes>(
    g: *const f32,
    w: *const f32,
    kdim: usize,
    nv: usize,
    act: *const f32,
    act_stride: usize,
    out: *mut f32,
    out_stride: usize,
    rows: usize,
) {
    let n = 16 * nv;
    unsafe {
        let whole = kdim / 16 * 16;
        for k in (0..whole).step_by(16) {
            let w_k = w.add(k * n);
            for b in 0..rows {
                let g_b = g.add(b * n);
                let mut acc = [V::zero(); 16];
                for j in (0..n).step_by(16) {
                    let gv = V::load(g_b.add(j));
                    for (c, acc_c) in acc.iter_mut().enumerate() {
                        *acc_c = V::mul_add(gv, V::load(w_k.add(c * n + j)), *acc_c);
                    }
                }
                let mask = V::load(act.add(b * act_stride + k));
                let sums = V::keep_where_positive(mask, V::sum_lanes_16(&acc));
                V::store(out.add(b * out_stride + k), sums);
            }
        }
        for k in whole..kdim {
            for b in 0..rows {
                input_gradient_tile::<V, 1, 1>(
                    g.add(b * n),
                    w.add(k * n),
                    n,
                    act.add(b * act_stride + k),
                    act_stride,
                    out.add(b * out_stride + k),
                    out_stride,
                );
            }
        }
    }
}
// ANCHOR_END: input_gradient_wide

// ANCHOR: update_tile
/// One tile of the fused update: `R` weight rows × `C` vectors of outputs.
/// The gradient `Σ_b a[b, k] · g[b, j]` lives only in registers; it is
/// applied to the weights as soon as it is complete, so no `dW` matrix is
/// ever written.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn update_tile<V: Lanes, const R: usize, const C: usize>(
    a: *const f32,
    a_stride: usize,
    g: *const f32,
    rows: usize,
    w: *mut f32,
    n: usize,
    minus_lr: V::V,
) {
    unsafe {
        let mut acc = [[V::zero(); C]; R];
        for b in 0..rows {
            let g_b = g.add(b * n);
            let gv: [V::V; C] = std::array::from_fn(|c| V::load(g_b.add(16 * c)));
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let x = V::splat(*a.add(b * a_stride + r));
                for c in 0..C {
                    acc_r[c] = V::mul_add(x, gv[c], acc_r[c]);
                }
            }
        }
        for (r, acc_r) in acc.iter().enumerate() {
            for (c, &grad) in acc_r.iter().enumerate() {
                let w_rc = w.add(r * n + 16 * c);
                V::store(w_rc, V::mul_add(minus_lr, grad, V::load(w_rc)));
            }
        }
    }
}
// ANCHOR_END: update_tile

#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn update<V: Lanes, const R: usize, const C: usize>(
    a: *const f32,
    a_stride: usize,
    g: *const f32,
    rows: usize,
    w: *mut f32,
    kdim: usize,
    nv: usize,
    lr: f32,
) {
    let n = 16 * nv;
    unsafe {
        let minus_lr = V::splat(-lr);
        let mut k = 0;
        while k < kdim {
            let full_r = k + R <= kdim;
            let mut jv = 0;
            while jv < nv {
                let full_c = jv + C <= nv;
                let (ak, gj, wkj) = (a.add(k), g.add(16 * jv), w.add(k * n + 16 * jv));
                match (full_r, full_c) {
                    (true, true) => {
                        update_tile::<V, R, C>(ak, a_stride, gj, rows, wkj, n, minus_lr)
                    }
                    (true, false) => {
                        update_tile::<V, R, 1>(ak, a_stride, gj, rows, wkj, n, minus_lr)
                    }
                    (false, true) => {
                        update_tile::<V, 1, C>(ak, a_stride, gj, rows, wkj, n, minus_lr)
                    }
                    (false, false) => {
                        update_tile::<V, 1, 1>(ak, a_stride, gj, rows, wkj, n, minus_lr)
                    }
                }
                jv += if full_c { C } else { 1 };
            }
            k += if full_r { R } else { 1 };
        }
    }
}

/// `p / 255`, correctly rounded, for a whole number `p` from 0 to 255,
/// without a division: multiply by the rounded reciprocal, then correct the
/// result once with the exact remainder (a test checks all 256 values).
#[inline(always)]
unsafe fn div_255<V: Lanes>(p: V::V) -> V::V {
    unsafe {
        let r = V::splat(1.0 / 255.0);
        let q = V::mul_add(p, r, V::zero());
        let remainder = V::mul_add(q, V::splat(-255.0), p);
        V::mul_add(remainder, r, q)
    }
}

// ANCHOR: gather
/// Builds a batch from the `u8` images: row `b` of `x` gets pixels
/// `k0 .. k0 + kdim` of image `indices[b]`, divided by 255. Rows from
/// `indices.len()` up to `rows` are zeroed. `images` rows are `n_in` bytes.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn gather<V: Lanes>(
    images: *const u8,
    n_in: usize,
    indices: &[usize],
    k0: usize,
    kdim: usize,
    x: *mut f32,
    x_stride: usize,
    rows: usize,
) {
    unsafe {
        let whole = kdim / 16 * 16;
        for (b, &i) in indices.iter().enumerate() {
            let (src, dst) = (images.add(i * n_in + k0), x.add(b * x_stride));
            for k in (0..whole).step_by(16) {
                V::store(dst.add(k), div_255::<V>(V::load_u8(src.add(k))));
            }
            for k in whole..kdim {
                *dst.add(k) = f32::from(*src.add(k)) / 255.0;
            }
        }
        for b in indices.len()..rows {
            std::ptr::write_bytes(x.add(b * x_stride), 0, kdim);
        }
    }
}
// ANCHOR_END: gather

/// Builds a batch from `f32` rows: row `b` of `x` gets values
/// `k0 .. k0 + kdim` of row `indices[b]` of `rows` (rows `stride` apart).
/// Rows from `indices.len()` up to `padded` are zeroed.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn gather_rows(
    rows: *const f32,
    stride: usize,
    indices: &[usize],
    k0: usize,
    kdim: usize,
    x: *mut f32,
    x_stride: usize,
    padded: usize,
) {
    unsafe {
        for (b, &i) in indices.iter().enumerate() {
            std::ptr::copy_nonoverlapping(rows.add(i * stride + k0), x.add(b * x_stride), kdim);
        }
        for b in indices.len()..padded {
            std::ptr::write_bytes(x.add(b * x_stride), 0, kdim);
        }
    }
}

/// Finishes a hidden layer for some of its columns: the parts' partial sums
/// plus the bias, through ReLU. `partials[t]` point at the first column, rows
/// `n` floats apart; `bias` and `out` (rows `16·wv` apart) hold only these
/// `16·wv` columns. Rows from `batch` to `rows` are zeroed.
#[inline(always)]
pub(crate) unsafe fn relu_of_sum<V: Lanes>(
    partials: &[*const f32],
    n: usize,
    bias: *const f32,
    wv: usize,
    out: *mut f32,
    batch: usize,
    rows: usize,
) {
    unsafe {
        let width = 16 * wv;
        for b in 0..batch {
            for j in (0..width).step_by(16) {
                let mut z = V::load(partials[0].add(b * n + j));
                for p in &partials[1..] {
                    z = V::add(z, V::load(p.add(b * n + j)));
                }
                z = V::add(z, V::load(bias.add(j)));
                V::store(out.add(b * width + j), V::max(z, V::zero()));
            }
        }
        for b in batch..rows {
            std::ptr::write_bytes(out.add(b * width), 0, width);
        }
    }
}

/// `bias[j] ← bias[j] − lr · Σ_b g[b, j]` for `16·wv` columns; `g` rows are
/// `g_stride` apart.
#[inline(always)]
pub(crate) unsafe fn update_bias<V: Lanes>(
    g: *const f32,
    g_stride: usize,
    rows: usize,
    bias: *mut f32,
    wv: usize,
    lr: f32,
) {
    unsafe {
        let minus_lr = V::splat(-lr);
        for j in (0..16 * wv).step_by(16) {
            let mut sum = V::zero();
            for b in 0..rows {
                sum = V::add(sum, V::load(g.add(b * g_stride + j)));
            }
            V::store(bias.add(j), V::mul_add(minus_lr, sum, V::load(bias.add(j))));
        }
    }
}

/// What one batch's softmax pass found.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BatchScore {
    /// Sum over the batch of the cross-entropy losses.
    pub(crate) loss_sum: f64,
    /// How many samples had their label as the top score.
    pub(crate) correct: usize,
}

// ANCHOR: softmax_ce
/// The output layer in one pass per sample: logits `z = Σ partials + bias`,
/// softmax, cross-entropy against the label, and the gradient
/// `g = (softmax(z) − onehot(label)) / B` written straight into `g`.
/// `z` and `g` have rows of `n` floats; only the first `classes` columns are
/// real, the others (and rows past the batch, up to `rows`) get gradient 0.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn softmax_cross_entropy<V: Lanes>(
    partials: &[*const f32],
    bias: *const f32,
    n: usize,
    classes: usize,
    labels: &[u8],
    z: *mut f32,
    g: *mut f32,
    rows: usize,
) -> BatchScore {
    let mut score = BatchScore::default();
    let batch = labels.len();
    let batch_size = batch as f32;
    unsafe {
        for (b, &label) in labels.iter().enumerate() {
            let (z_b, g_b) = (z.add(b * n), g.add(b * n));
            for j in (0..n).step_by(16) {
                let mut s = V::load(partials[0].add(b * n + j));
                for p in &partials[1..] {
                    s = V::add(s, V::load(p.add(b * n + j)));
                }
                V::store(z_b.add(j), V::add(s, V::load(bias.add(j))));
            }
            let z_b = std::slice::from_raw_parts(z_b, classes);
            let (mut top, mut max) = (0, z_b[0]);
            for (j, &v) in z_b.iter().enumerate() {
                if v > max {
                    (top, max) = (j, v);
                }
            }
            let mut total = 0.0f32;
            for (j, &v) in z_b.iter().enumerate() {
                let e = (v - max).exp();
                *g_b.add(j) = e;
                total += e;
            }
            let y = usize::from(label);
            for j in 0..classes {
                let p = *g_b.add(j) / total;
                let target = if j == y { 1.0 } else { 0.0 };
                *g_b.add(j) = (p - target) / batch_size;
            }
            for j in classes..n {
                *g_b.add(j) = 0.0;
            }
            score.loss_sum += f64::from(total.ln() - (z_b[y] - max));
            score.correct += usize::from(top == y);
        }
        for b in batch..rows {
            std::ptr::write_bytes(g.add(b * n), 0, n);
        }
    }
    score
}
// ANCHOR_END: softmax_ce

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::Portable;

    #[test]
    fn dividing_by_255_without_a_division_is_exact_for_every_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        for chunk in bytes.chunks(16) {
            // SAFETY: `chunk` has 16 bytes; the portable lanes need nothing.
            let got = unsafe { div_255::<Portable>(Portable::load_u8(chunk.as_ptr())) };
            for (&p, q) in chunk.iter().zip(got) {
                assert_eq!(q.to_bits(), (f32::from(p) / 255.0).to_bits(), "{p}");
            }
        }
    }
}
