//! The kernels of a training step, each written once over [`Lanes`].
//!
//! Shapes, in the words of the fast trainer: a part owns some rows `K` of a
//! layer's weight matrix `W` (stored inputs × outputs, as in chapter 4, with
//! the outputs padded to a multiple of 16 so that a row is whole vectors).
//! For a batch of `B` samples (padded to a multiple of 8 rows), the three
//! products of backpropagation restricted to those rows are
//!
//! - forward: `P = A[:, K] · W[K, :]`, the part's share of `Z = A · W`;
//! - input gradient: `dA[:, K] = G · W[K, :]ᵀ`, times the slope of the
//!   activation below;
//! - update: with `D = A[:, K]ᵀ · G`, `W[K, :] ← W[K, :] − lr · D`, or with
//!   momentum `μ`, `V ← μ·V − lr · D` then `W[K, :] ← W[K, :] + V`
//!   (chapter 8's formula, rounded the same way),
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
use super::{Hidden, Output};

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

    /// `out[b, k] = (Σ_j g[b, j] · w[k, j]) · f'` for `b < rows`, `k < kdim`,
    /// `j < 16·nv`, where `f'` is the slope of the activation `f` read from
    /// its output `act[b, k]` (see [`times_slope`]). Strides: `g` and `w`
    /// rows `16·nv`, `act` rows `act_stride`, `out` rows `out_stride`.
    #[allow(clippy::too_many_arguments)]
    unsafe fn input_gradient(
        g: *const f32,
        w: *const f32,
        kdim: usize,
        nv: usize,
        act: *const f32,
        act_stride: usize,
        f: Hidden,
        out: *mut f32,
        out_stride: usize,
        rows: usize,
    );

    /// With `d[k, j] = Σ_b a[b, k] · g[b, j]` for `k < kdim`, `j < 16·nv`,
    /// `b < rows`: `w ← w − lr · d`; or, when `v` is not null (a velocity
    /// of the same shape as `w`), `v ← μ·v − lr · d` then `w ← w + v`.
    /// Strides: `a` rows `a_stride`, `g`, `w` and `v` rows `16·nv`. Returns
    /// whether every updated weight is finite (checked on the values as
    /// they are stored, at the cost of one multiply-add per vector).
    #[allow(clippy::too_many_arguments)]
    unsafe fn update(
        a: *const f32,
        a_stride: usize,
        g: *const f32,
        rows: usize,
        w: *mut f32,
        v: *mut f32,
        kdim: usize,
        nv: usize,
        rate: Rate,
    ) -> bool;

    /// [`forward_sparse`], with this instruction set's width of columns.
    unsafe fn forward_sparse(
        nz: &NonZeros,
        x: *const f32,
        x_stride: usize,
        w: *const f32,
        nv: usize,
        p: *mut f32,
    );

    /// [`update_sparse`], with this instruction set's width of columns.
    #[allow(clippy::too_many_arguments)]
    unsafe fn update_sparse(
        nz: &NonZeros,
        x: *const f32,
        x_stride: usize,
        g: *const f32,
        w: *mut f32,
        v: *mut f32,
        nv: usize,
        rate: Rate,
    ) -> bool;
}

/// The learning rate and momentum of one step.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rate {
    /// The learning rate `lr`.
    pub(crate) lr: f32,
    /// The momentum `μ` (ignored without a velocity).
    pub(crate) mu: f32,
}

macro_rules! kernels_with_tiles {
    ($isa:ty, forward: ($fr:literal, $fc:literal), gradient: [$($gradient:tt)*], update: ($ur:literal, $uc:literal), sparse: $sc:literal, sparse_update: $suc:literal) => {
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
                f: Hidden,
                out: *mut f32,
                out_stride: usize,
                rows: usize,
            ) {
                unsafe {
                    $($gradient)*(g, w, kdim, nv, act, act_stride, f, out, out_stride, rows)
                }
            }
            #[inline(always)]
            unsafe fn update(
                a: *const f32,
                a_stride: usize,
                g: *const f32,
                rows: usize,
                w: *mut f32,
                v: *mut f32,
                kdim: usize,
                nv: usize,
                rate: Rate,
            ) -> bool {
                unsafe {
                    if v.is_null() {
                        update::<Self, $ur, $uc, false>(a, a_stride, g, rows, w, v, kdim, nv, rate)
                    } else {
                        update::<Self, $ur, $uc, true>(a, a_stride, g, rows, w, v, kdim, nv, rate)
                    }
                }
            }
            #[inline(always)]
            unsafe fn forward_sparse(
                nz: &NonZeros,
                x: *const f32,
                x_stride: usize,
                w: *const f32,
                nv: usize,
                p: *mut f32,
            ) {
                unsafe { forward_sparse::<Self, $sc>(nz, x, x_stride, w, nv, p) }
            }
            #[inline(always)]
            unsafe fn update_sparse(
                nz: &NonZeros,
                x: *const f32,
                x_stride: usize,
                g: *const f32,
                w: *mut f32,
                v: *mut f32,
                nv: usize,
                rate: Rate,
            ) -> bool {
                unsafe {
                    if v.is_null() {
                        update_sparse::<Self, $suc, false>(nz, x, x_stride, g, w, v, nv, rate)
                    } else {
                        update_sparse::<Self, $suc, true>(nz, x, x_stride, g, w, v, nv, rate)
                    }
                }
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
    update: (8, 3),
    sparse: 16,
    sparse_update: 12
);
// 16 registers of half the width: 4 sixteen-lane accumulators are 8 registers.
#[cfg(target_arch = "x86_64")]
kernels_with_tiles!(
    super::simd::Avx2,
    forward: (4, 1),
    gradient: [input_gradient::<Self, 2, 2>],
    update: (4, 1),
    sparse: 4,
    sparse_update: 2
);
kernels_with_tiles!(
    super::simd::Portable,
    forward: (4, 1),
    gradient: [input_gradient::<Self, 2, 2>],
    update: (4, 1),
    sparse: 4,
    sparse_update: 2
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
    f: Hidden,
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
                let a = *act.add(r * act_stride + c);
                *out.add(r * out_stride + c) = times_slope_scalar(f, a, sum);
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
    f: Hidden,
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
                    input_gradient_tile::<V, R, C>(gb, wk, n, ab, act_stride, f, ob, out_stride);
                } else {
                    input_gradient_tile::<V, R, 1>(gb, wk, n, ab, act_stride, f, ob, out_stride);
                }
            }
            k += if full { C } else { 1 };
        }
    }
}

// ANCHOR: input_gradient_wide
/// The input gradient sixteen weight rows at a time: for each batch row, 16
/// dot products accumulate side by side, are summed together by
/// `sum_lanes_16`, multiplied by the activation's slope and stored as one
/// vector. Falls back to
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
    f: Hidden,
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
                let a = V::load(act.add(b * act_stride + k));
                let sums = times_slope::<V>(f, a, V::sum_lanes_16(&acc));
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
                    f,
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
/// ever written. With momentum (`M`), the velocity `v` is updated first, by
/// chapter 8's formula `v ← μ·v − lr·d`, then `w ← w + v`. Each new weight
/// `w'` also goes into `check ← w'·0 + check`, which stays zero while every
/// `w'` is finite and turns NaN for good at the first NaN or infinity.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn update_tile<V: Lanes, const R: usize, const C: usize, const M: bool>(
    a: *const f32,
    a_stride: usize,
    g: *const f32,
    rows: usize,
    w: *mut f32,
    v: *mut f32,
    n: usize,
    lr_mu: (V::V, V::V),
    check: &mut V::V,
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
            apply_update::<V, C, M>(acc_r, w.add(r * n), v.wrapping_add(r * n), lr_mu, check);
        }
    }
}

/// The step of one row's `C` vectors of weights `w`, given their gradient
/// `d`: `w ← w − lr·d`, or with momentum (`M`) `v ← μ·v − lr·d` then
/// `w ← w + v`; each new weight also goes into `check`.
#[inline(always)]
unsafe fn apply_update<V: Lanes, const C: usize, const M: bool>(
    d: &[V::V; C],
    w: *mut f32,
    v: *mut f32,
    (lr, mu): (V::V, V::V),
    check: &mut V::V,
) {
    unsafe {
        let zero = V::zero();
        for (c, &grad) in d.iter().enumerate() {
            let w_c = w.add(16 * c);
            let step = V::mul(lr, grad);
            let new = if M {
                let v_c = v.add(16 * c);
                let velocity = V::sub(V::mul(mu, V::load(v_c)), step);
                V::store(v_c, velocity);
                V::add(V::load(w_c), velocity)
            } else {
                V::sub(V::load(w_c), step)
            };
            V::store(w_c, new);
            *check = V::mul_add(new, zero, *check);
        }
    }
}
// ANCHOR_END: update_tile

#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn update<V: Lanes, const R: usize, const C: usize, const M: bool>(
    a: *const f32,
    a_stride: usize,
    g: *const f32,
    rows: usize,
    w: *mut f32,
    v: *mut f32,
    kdim: usize,
    nv: usize,
    rate: Rate,
) -> bool {
    let n = 16 * nv;
    unsafe {
        let lr_mu = (V::splat(rate.lr), V::splat(rate.mu));
        let mut check = V::zero();
        let mut k = 0;
        while k < kdim {
            let full_r = k + R <= kdim;
            let mut jv = 0;
            while jv < nv {
                let full_c = jv + C <= nv;
                let (ak, gj) = (a.add(k), g.add(16 * jv));
                let at = k * n + 16 * jv;
                let (wkj, vkj) = (w.add(at), v.wrapping_add(at));
                let c = &mut check;
                match (full_r, full_c) {
                    (true, true) => {
                        update_tile::<V, R, C, M>(ak, a_stride, gj, rows, wkj, vkj, n, lr_mu, c)
                    }
                    (true, false) => {
                        update_tile::<V, R, 1, M>(ak, a_stride, gj, rows, wkj, vkj, n, lr_mu, c)
                    }
                    (false, true) => {
                        update_tile::<V, 1, C, M>(ak, a_stride, gj, rows, wkj, vkj, n, lr_mu, c)
                    }
                    (false, false) => {
                        update_tile::<V, 1, 1, M>(ak, a_stride, gj, rows, wkj, vkj, n, lr_mu, c)
                    }
                }
                jv += if full_c { C } else { 1 };
            }
            k += if full_r { R } else { 1 };
        }
        is_zero::<V>(check)
    }
}

// ANCHOR: nonzeros
/// Where the inputs of a batch are not zero, as bit masks read two ways:
/// sample by sample for the forward product, and input by input for the
/// weight update.
///
/// Half of Fashion-MNIST's pixels are 0 (the background), so are the
/// outputs of ReLU wherever it cut, and a product `0 · w` adds nothing to a
/// sum, so a layer's forward product and weight update may skip them. Skipping changes no rounding: a fused multiply-add of `0 · w` onto a
/// sum returns the sum unchanged, for every finite `w`. The masks are read
/// bit by bit from the lowest, in the order the dense products visit the
/// inputs, so every sum keeps its order too.
pub(crate) struct NonZeros {
    /// The inputs per sample (the part's rows of the layer).
    kdim: usize,
    /// Samples, padding included (the padded rows are all zero).
    rows: usize,
    /// Groups of 32 inputs (at least one).
    blocks: usize,
    /// Groups of 32 samples.
    groups: usize,
    /// Bit `i` of `by_sample[b · blocks + block]`: whether input
    /// `32·block + i` of sample `b` is not zero.
    by_sample: Vec<u32>,
    /// Bit `i` of `by_input[group · stride + k]`: whether input `k` of
    /// sample `32·group + i` is not zero.
    by_input: Vec<u32>,
    /// `kdim` rounded up to whole vectors.
    stride: usize,
    /// Whether the dense kernels run instead: when skipping is off, or the
    /// batch has so few zeros that they are faster. Decided from the data
    /// and the configuration alone, so that every instruction set and
    /// thread count makes the same choice.
    pub(crate) dense: bool,
    /// Whether the weight update takes inputs in pairs ([`PAIRED`]): when
    /// neighbouring inputs are non-zero in nearly the same samples, so that
    /// the pairs cost fewer loads than they add multiply-adds of `0 · g`.
    pub(crate) paired: bool,
    /// Whether skipping is on ([`FastConfig::skip_zeros`](crate::FastConfig)).
    skip: bool,
}

impl NonZeros {
    /// Room for `rows` samples of `kdim` inputs, allocated once; `skip`
    /// says whether the sparse kernels may run at all.
    pub(crate) fn new(kdim: usize, rows: usize, skip: bool) -> NonZeros {
        let (blocks, groups) = (kdim.div_ceil(32).max(1), rows.div_ceil(32));
        let stride = kdim.next_multiple_of(16);
        NonZeros {
            kdim,
            rows,
            blocks,
            groups,
            by_sample: vec![0; rows * blocks],
            by_input: vec![0; groups * stride],
            stride,
            dense: true,
            paired: false,
            skip,
        }
    }

    /// Marks the non-zero values of the first `batch` rows of `x` (rows
    /// `x_stride` apart, `kdim` values each); the other rows count as zero.
    /// A NaN is not zero, so it is marked and reaches the sums.
    ///
    /// # Safety
    ///
    /// `x` must hold `batch` rows of `kdim` values, and `batch <= rows`.
    #[inline(always)]
    pub(crate) unsafe fn mark<V: Lanes>(&mut self, x: *const f32, x_stride: usize, batch: usize) {
        debug_assert!(batch <= self.rows);
        if !self.skip {
            self.dense = true;
            return;
        }
        let (kdim, blocks) = (self.kdim, self.blocks);
        self.by_input.fill(0);
        let mut total = 0;
        for b in 0..batch {
            let x_b = unsafe { x.add(b * x_stride) };
            let (group, bit) = (b / 32, 1 << (b % 32));
            let column = &mut self.by_input[group * self.stride..(group + 1) * self.stride];
            for block in 0..blocks {
                let k0 = 32 * block;
                let mut mask = 0;
                // SAFETY: rows of `x` are whole vectors (`x_stride` is a
                // multiple of 16 at least `kdim`), and so is `column`; the
                // second vector of the last block may lie past both, so it
                // is read only when it holds inputs.
                for half in 0..2 {
                    let k = k0 + 16 * half;
                    if k < kdim {
                        let v = unsafe { V::load(x_b.add(k)) };
                        mask |= unsafe { V::nonzero_mask(v) } << (16 * half);
                        unsafe { V::or_where_nonzero(column.as_mut_ptr().add(k), v, bit) };
                    }
                }
                // The rows past `kdim` are zero as the trainer lays them
                // out; the kernels read a row of weights for every bit set,
                // so a bit past `kdim` is cleared whatever the row holds.
                if kdim - k0 < 32 {
                    mask &= (1 << (kdim - k0)) - 1;
                }
                self.by_sample[b * blocks + block] = mask;
                total += mask.count_ones() as usize;
            }
        }
        self.by_sample[batch * blocks..].fill(0);
        // Above three in four non-zero, the masks cost more than they save.
        self.dense = 4 * total > 3 * batch * kdim;
        self.paired = !self.dense && self.pairs_pay();
    }

    /// Whether pairs of inputs are non-zero in so nearly the same samples
    /// that the update should take them together: when the samples in
    /// which either input of a pair is not zero are fewer than 1.2 times
    /// the samples of one input, on average (for Fashion-MNIST's pixels
    /// about 1.1, as the benchmark prints).
    fn pairs_pay(&self) -> bool {
        let (mut one, mut either) = (0, 0);
        for group in 0..self.groups {
            let column = &self.by_input[group * self.stride..][..self.kdim];
            for pair in column.chunks_exact(PAIRED) {
                one += pair.iter().map(|m| m.count_ones()).sum::<u32>();
                either += pair.iter().fold(0, |u, m| u | m).count_ones();
            }
        }
        5 * either < 3 * one
    }
}
// ANCHOR_END: nonzeros

/// How many vectors of columns a sparse kernel takes at a time, at most `C`:
/// the row of `nv` vectors cut into as few equal pieces as `C` allows (19
/// vectors, at most 16 a time: 10 then 9), so that no piece is so narrow
/// that its sums wait on each other.
#[inline(always)]
fn columns<const C: usize>(nv: usize) -> usize {
    nv.div_ceil(nv.div_ceil(C).max(1)).max(1)
}

/// Calls `$f::<V, c, ...>($args)` for a width `c` from 1 to 16 known only at
/// run time.
macro_rules! with_width {
    ($c:expr, $f:ident::<$v:ty $(, $m:ident)?>($($args:expr),*)) => {
        match $c {
            1 => $f::<$v, 1 $(, $m)?>($($args),*),
            2 => $f::<$v, 2 $(, $m)?>($($args),*),
            3 => $f::<$v, 3 $(, $m)?>($($args),*),
            4 => $f::<$v, 4 $(, $m)?>($($args),*),
            5 => $f::<$v, 5 $(, $m)?>($($args),*),
            6 => $f::<$v, 6 $(, $m)?>($($args),*),
            7 => $f::<$v, 7 $(, $m)?>($($args),*),
            8 => $f::<$v, 8 $(, $m)?>($($args),*),
            9 => $f::<$v, 9 $(, $m)?>($($args),*),
            10 => $f::<$v, 10 $(, $m)?>($($args),*),
            11 => $f::<$v, 11 $(, $m)?>($($args),*),
            12 => $f::<$v, 12 $(, $m)?>($($args),*),
            13 => $f::<$v, 13 $(, $m)?>($($args),*),
            14 => $f::<$v, 14 $(, $m)?>($($args),*),
            15 => $f::<$v, 15 $(, $m)?>($($args),*),
            _ => $f::<$v, 16 $(, $m)?>($($args),*),
        }
    };
}

/// The forward product of a layer, `p[b, j] = Σ_k x[b, k] · w[k, j]`
/// over the non-zero `x[b, k]` marked in `nz` only, for all `nz.rows` rows
/// and `j < 16·nv`; `x` rows are `x_stride` floats, `w` and `p` rows
/// `16·nv`. Columns go `C` vectors at a time.
#[inline(always)]
pub(crate) unsafe fn forward_sparse<V: Lanes, const C: usize>(
    nz: &NonZeros,
    x: *const f32,
    x_stride: usize,
    w: *const f32,
    nv: usize,
    p: *mut f32,
) {
    let n = 16 * nv;
    unsafe {
        let width = columns::<C>(nv);
        let mut jv = 0;
        while jv < nv {
            let (wj, pj) = (w.add(16 * jv), p.add(16 * jv));
            let c = width.min(nv - jv);
            with_width!(c, forward_sparse_columns::<V>(nz, x, x_stride, wj, n, pj));
            jv += c;
        }
    }
}

/// `C` vectors of columns of [`forward_sparse`], 32 inputs at a time: those
/// rows of `w` (32 rows of `C` vectors, 20 KiB for the book's 10) stay in
/// the first-level cache while every sample of the batch goes through them.
#[inline(always)]
unsafe fn forward_sparse_columns<V: Lanes, const C: usize>(
    nz: &NonZeros,
    x: *const f32,
    x_stride: usize,
    w: *const f32,
    n: usize,
    p: *mut f32,
) {
    let blocks = nz.blocks;
    unsafe {
        for block in 0..blocks {
            let w_block = w.add(32 * block * n);
            for b in 0..nz.rows {
                let p_b = p.add(b * n);
                let mut acc: [V::V; C] = match block {
                    0 => [V::zero(); C],
                    _ => std::array::from_fn(|c| V::load(p_b.add(16 * c))),
                };
                let x_b = x.add(b * x_stride + 32 * block);
                let mut mask = *nz.by_sample.get_unchecked(b * blocks + block);
                while mask != 0 {
                    let i = mask.trailing_zeros() as usize;
                    mask &= mask - 1;
                    let (w_k, x) = (w_block.add(i * n), V::splat(*x_b.add(i)));
                    for (c, acc_c) in acc.iter_mut().enumerate() {
                        *acc_c = V::mul_add(x, V::load(w_k.add(16 * c)), *acc_c);
                    }
                }
                for (c, &v) in acc.iter().enumerate() {
                    V::store(p_b.add(16 * c), v);
                }
            }
        }
    }
}

/// The weight update of a layer, as [`Kernels::update`] computes
/// it, with `d[k, j] = Σ_b x[b, k] · g[b, j]` summed over the non-zero
/// `x[b, k]` marked in `nz` only; `x` rows are `x_stride` floats, `g`, `w`
/// and `v` rows `16·nv`. Returns whether every updated weight is finite.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn update_sparse<V: Lanes, const C: usize, const M: bool>(
    nz: &NonZeros,
    x: *const f32,
    x_stride: usize,
    g: *const f32,
    w: *mut f32,
    v: *mut f32,
    nv: usize,
    rate: Rate,
) -> bool {
    let n = 16 * nv;
    unsafe {
        let lr_mu = (V::splat(rate.lr), V::splat(rate.mu));
        let mut check = V::zero();
        let width = columns::<C>(nv);
        let mut jv = 0;
        while jv < nv {
            let at = 16 * jv;
            let (g, w, v) = (g.add(at), w.add(at), v.wrapping_add(at));
            let c = width.min(nv - jv);
            let args = (nz, x, x_stride, n, lr_mu, &mut check);
            with_width!(c, update_sparse_columns::<V, M>(g, w, v, args));
            jv += c;
        }
        is_zero::<V>(check)
    }
}

/// `C` vectors of columns of [`update_sparse`], [`PAIRED`] inputs at a
/// time; the batch's `C` vectors of `g` stay in the first-level cache
/// throughout.
#[inline(always)]
#[allow(clippy::type_complexity)]
unsafe fn update_sparse_columns<V: Lanes, const C: usize, const M: bool>(
    g: *const f32,
    w: *mut f32,
    v: *mut f32,
    args: (&NonZeros, *const f32, usize, usize, (V::V, V::V), &mut V::V),
) {
    let (nz, x, x_stride, n, lr_mu, check) = args;
    let mut k = 0;
    unsafe {
        while nz.paired && k + PAIRED <= nz.kdim {
            let args = (nz, x, x_stride, n, lr_mu, &mut *check);
            update_sparse_rows::<V, C, PAIRED, M>(k, g, w, v, args);
            k += PAIRED;
        }
        while k < nz.kdim {
            let args = (nz, x, x_stride, n, lr_mu, &mut *check);
            update_sparse_rows::<V, C, 1, M>(k, g, w, v, args);
            k += 1;
        }
    }
}

/// How many inputs (rows of weights) the sparse update takes together. A
/// sample whose value is zero for only some of them still costs those rows
/// a multiply-add of `0 · g`, which leaves a sum unchanged; in return every
/// vector of `g` that is loaded serves all of them. Neighbouring pixels are
/// zero in nearly the same images: together, two of them are non-zero in
/// 55% of Fashion-MNIST's images, against 50% for one.
///
/// Every instruction set takes the same pairs, so that even a gradient that
/// has overflowed (where `0 · ∞` is NaN) gives the same bits on all of them.
const PAIRED: usize = 2;

/// Rows `k .. k + R` of [`update_sparse_columns`]: their gradient summed
/// over the samples in which any of their inputs is not zero, then applied.
#[inline(always)]
#[allow(clippy::type_complexity)]
unsafe fn update_sparse_rows<V: Lanes, const C: usize, const R: usize, const M: bool>(
    k: usize,
    g: *const f32,
    w: *mut f32,
    v: *mut f32,
    (nz, x, x_stride, n, lr_mu, check): (
        &NonZeros,
        *const f32,
        usize,
        usize,
        (V::V, V::V),
        &mut V::V,
    ),
) {
    unsafe {
        let mut acc = [[V::zero(); C]; R];
        for group in 0..nz.groups {
            let masks = nz.by_input.as_ptr().add(group * nz.stride + k);
            let mut mask = (0..R).fold(0, |m, r| m | *masks.add(r));
            while mask != 0 {
                let b = 32 * group + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                let (g_b, x_b) = (g.add(b * n), x.add(b * x_stride + k));
                let gv: [V::V; C] = std::array::from_fn(|c| V::load(g_b.add(16 * c)));
                for (r, acc_r) in acc.iter_mut().enumerate() {
                    let x = V::splat(*x_b.add(r));
                    for (acc_c, &g_c) in acc_r.iter_mut().zip(&gv) {
                        *acc_c = V::mul_add(x, g_c, *acc_c);
                    }
                }
            }
        }
        for (r, acc_r) in acc.iter().enumerate() {
            let row = (k + r) * n;
            apply_update::<V, C, M>(acc_r, w.add(row), v.wrapping_add(row), lr_mu, check);
        }
    }
}

/// Whether a check vector of [`update_tile`] is still all zeros (no lane
/// met a NaN or an infinity).
#[inline(always)]
unsafe fn is_zero<V: Lanes>(check: V::V) -> bool {
    let mut lanes = [0.0f32; 16];
    // SAFETY: `lanes` holds sixteen floats.
    unsafe { V::store(lanes.as_mut_ptr(), check) };
    lanes.iter().all(|&x| x == 0.0)
}

/// `d · f'(z)`, given the activation's output `a = f(z)`, lane by lane, as
/// chapter 4 computes it: ReLU's slope is 1 where `a > 0`, else 0 (and the
/// product 0); tanh's is `1 − a²`; the sigmoid's `a·(1 − a)`; a linear
/// layer's 1.
#[inline(always)]
pub(crate) unsafe fn times_slope<V: Lanes>(f: Hidden, a: V::V, d: V::V) -> V::V {
    unsafe {
        match f {
            Hidden::Relu => V::keep_where_positive(a, d),
            Hidden::Tanh => V::mul(d, V::sub(V::splat(1.0), V::mul(a, a))),
            Hidden::Sigmoid => V::mul(d, V::mul(a, V::sub(V::splat(1.0), a))),
            Hidden::Linear => d,
        }
    }
}

/// [`times_slope`] for one number, with the same roundings.
#[inline(always)]
fn times_slope_scalar(f: Hidden, a: f32, d: f32) -> f32 {
    match f {
        Hidden::Relu => {
            if a > 0.0 {
                d
            } else {
                0.0
            }
        }
        Hidden::Tanh => d * (1.0 - a * a),
        Hidden::Sigmoid => d * (a * (1.0 - a)),
        Hidden::Linear => d,
    }
}

/// `f(z)` lane by lane: ReLU and tanh in vectors; the sigmoid by chapter
/// 4's scalar function. Each is computed the same way on every instruction
/// set.
#[inline(always)]
unsafe fn activate<V: Lanes>(f: Hidden, z: V::V) -> V::V {
    unsafe {
        match f {
            Hidden::Relu => V::relu(z),
            Hidden::Linear => z,
            Hidden::Tanh => tanh::<V>(z),
            Hidden::Sigmoid => map_lanes::<V>(z, ch04_backprop::activation::sigmoid),
        }
    }
}

// ANCHOR: tanh
/// `tanh(x)` on sixteen lanes at once, as a ratio of two polynomials (the
/// approximation the Eigen library uses): `x·P(x²) / Q(x²)` for `x` clamped
/// to ±7.905, where tanh is 1 to within half a step of `f32`. It is within a
/// few units in the last place of `f32::tanh`, a NaN stays NaN, and only
/// products, sums and one quotient are rounded, so that every instruction
/// set gives the same bits.
#[inline(always)]
unsafe fn tanh<V: Lanes>(x: V::V) -> V::V {
    // Eigen's coefficients, as printed there.
    #[allow(clippy::excessive_precision)]
    const P: [f32; 7] = [
        -2.760_768_5e-16,
        2.000_187_9e-13,
        -8.604_671_5e-11,
        5.122_297e-8,
        1.485_722_4e-5,
        6.372_619_3e-4,
        4.893_524_6e-3,
    ];
    const Q: [f32; 4] = [1.198_258_4e-6, 1.185_347_1e-4, 2.268_434_6e-3, 4.893_525e-3];
    unsafe {
        let x = V::clamp(x, 7.905_311);
        let x2 = V::mul(x, x);
        let mut p = V::splat(P[0]);
        for &c in &P[1..] {
            p = V::mul_add(p, x2, V::splat(c));
        }
        let mut q = V::splat(Q[0]);
        for &c in &Q[1..] {
            q = V::mul_add(q, x2, V::splat(c));
        }
        V::div(V::mul(x, p), q)
    }
}
// ANCHOR_END: tanh

/// `f` applied to each lane of `v`.
#[inline(always)]
unsafe fn map_lanes<V: Lanes>(v: V::V, f: impl Fn(f32) -> f32) -> V::V {
    let mut lanes = [0.0f32; 16];
    // SAFETY: `lanes` holds sixteen floats.
    unsafe {
        V::store(lanes.as_mut_ptr(), v);
        for x in &mut lanes {
            *x = f(*x);
        }
        V::load(lanes.as_ptr())
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
/// plus the bias, through the activation `f`. `partials[t]` point at the
/// first column, rows `n` floats apart; `bias` and `out` (rows `16·wv`
/// apart) hold only these `16·wv` columns, of which the first `real` are
/// neurons of the layer and the others padding. The padding is set to 0,
/// whatever `f(0)` is (the sigmoid's is ½), so that it adds nothing to the
/// next layer and its weights there stay 0. Rows from `batch` to `rows` are
/// zeroed.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn activation_of_sum<V: Lanes>(
    partials: &[*const f32],
    n: usize,
    bias: *const f32,
    f: Hidden,
    wv: usize,
    real: usize,
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
                V::store(out.add(b * width + j), activate::<V>(f, z));
            }
            for c in real.min(width)..width {
                *out.add(b * width + c) = 0.0;
            }
        }
        for b in batch..rows {
            std::ptr::write_bytes(out.add(b * width), 0, width);
        }
    }
}

/// With `d[j] = Σ_b g[b, j]` for `16·wv` columns (`g` rows `g_stride`
/// apart): `bias ← bias − lr · d`, or with a velocity `v` (not null),
/// `v ← μ·v − lr · d` then `bias ← bias + v`, as in [`update_tile`]. Returns
/// whether every new bias is finite.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn update_bias<V: Lanes>(
    g: *const f32,
    g_stride: usize,
    rows: usize,
    bias: *mut f32,
    v: *mut f32,
    wv: usize,
    rate: Rate,
) -> bool {
    unsafe {
        let (lr, mu, zero) = (V::splat(rate.lr), V::splat(rate.mu), V::zero());
        let mut check = zero;
        for j in (0..16 * wv).step_by(16) {
            let mut sum = V::zero();
            for b in 0..rows {
                sum = V::add(sum, V::load(g.add(b * g_stride + j)));
            }
            let step = V::mul(lr, sum);
            let new = if v.is_null() {
                V::sub(V::load(bias.add(j)), step)
            } else {
                let velocity = V::sub(V::mul(mu, V::load(v.add(j))), step);
                V::store(v.add(j), velocity);
                V::add(V::load(bias.add(j)), velocity)
            };
            V::store(bias.add(j), new);
            check = V::mul_add(new, zero, check);
        }
        is_zero::<V>(check)
    }
}

/// What one batch's softmax pass found.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BatchScore {
    /// Sum over the batch of the cross-entropy losses.
    pub(crate) loss_sum: f64,
    /// Correct predictions: samples whose label was the top score (softmax),
    /// or the fraction of a sample's outputs on the right side of ½
    /// (sigmoid), summed over the samples.
    pub(crate) correct: f64,
    /// Sum over the samples of the mean absolute error of their outputs
    /// (linear outputs).
    pub(crate) abs_error_sum: f64,
}

/// The targets of a batch, as gathered by each part.
#[derive(Clone, Copy, Debug)]
pub(crate) enum BatchTargets<'a> {
    /// One class label per sample.
    Labels(&'a [u8]),
    /// `n_out` real values per sample, row after row.
    Values(&'a [f32]),
}

// ANCHOR: output_loss
/// The output layer in one pass per sample: `z = Σ partials + bias`, the
/// output activation, the loss against the targets, and the gradient of
/// the batch's mean loss with respect to `z`, written straight into `g`:
///
/// - softmax with cross-entropy on labels: `(softmax(z) − onehot(y)) / B`;
/// - sigmoid with binary cross-entropy on values: `(σ(z) − y) / (B·k)`;
/// - linear with mean squared error on values: `2·(z − y) / (B·k)`,
///
/// for `B` samples of `k` outputs. `z` and `g` have rows of `n` floats;
/// only the first `k` columns are real, the others (and rows past the
/// batch, up to `rows`) get gradient 0.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn output_loss<V: Lanes>(
    output: Output,
    partials: &[*const f32],
    bias: *const f32,
    n: usize,
    k: usize,
    targets: BatchTargets<'_>,
    batch: usize,
    z: *mut f32,
    g: *mut f32,
    rows: usize,
) -> BatchScore {
    let mut score = BatchScore::default();
    unsafe {
        for b in 0..batch {
            let (z_b, g_b) = (z.add(b * n), g.add(b * n));
            for j in (0..n).step_by(16) {
                let mut s = V::load(partials[0].add(b * n + j));
                for p in &partials[1..] {
                    s = V::add(s, V::load(p.add(b * n + j)));
                }
                V::store(z_b.add(j), V::add(s, V::load(bias.add(j))));
            }
            let z_b = std::slice::from_raw_parts(z_b, k);
            let g_b = std::slice::from_raw_parts_mut(g_b, n);
            match (output, targets) {
                (Output::SoftmaxCrossEntropy, BatchTargets::Labels(labels)) => {
                    softmax_cross_entropy(z_b, labels[b], batch, g_b, &mut score)
                }
                (_, BatchTargets::Values(values)) => {
                    let y = &values[b * k..(b + 1) * k];
                    elementwise_loss(output, z_b, y, batch, g_b, &mut score)
                }
                // `FastMlp` pairs softmax with labels and the others with
                // values before any task starts.
                _ => unreachable!("targets of the wrong kind for the output"),
            }
            g_b[k..].fill(0.0);
        }
        for b in batch..rows {
            std::ptr::write_bytes(g.add(b * n), 0, n);
        }
    }
    score
}
// ANCHOR_END: output_loss

// ANCHOR: softmax_ce
/// Softmax, cross-entropy against `label` and the gradient
/// `(softmax(z) − onehot(label)) / batch` of one sample.
#[inline(always)]
fn softmax_cross_entropy(
    z: &[f32],
    label: u8,
    batch: usize,
    g: &mut [f32],
    score: &mut BatchScore,
) {
    let (mut top, mut max) = (0, z[0]);
    for (j, &v) in z.iter().enumerate() {
        if v > max {
            (top, max) = (j, v);
        }
    }
    let mut total = 0.0f32;
    for (g, &v) in g.iter_mut().zip(z) {
        *g = (v - max).exp();
        total += *g;
    }
    let y = usize::from(label);
    for (j, g) in g.iter_mut().take(z.len()).enumerate() {
        let p = *g / total;
        let target = if j == y { 1.0 } else { 0.0 };
        *g = (p - target) / batch as f32;
    }
    score.loss_sum += f64::from(total.ln() - (z[y] - max));
    score.correct += f64::from(u8::from(top == y));
}
// ANCHOR_END: softmax_ce

/// The sigmoid with binary cross-entropy, or the linear output with squared
/// error, of one sample with `k` outputs `z` and targets `y`; the sample's
/// loss is the mean over its outputs.
#[inline(always)]
fn elementwise_loss(
    output: Output,
    z: &[f32],
    y: &[f32],
    batch: usize,
    g: &mut [f32],
    score: &mut BatchScore,
) {
    let k = z.len();
    let entries = (batch * k) as f32;
    let (mut loss, mut other) = (0.0f64, 0.0f64);
    for j in 0..k {
        let (z, y) = (z[j], y[j]);
        if output == Output::SigmoidBinaryCrossEntropy {
            // −y·ln σ(z) − (1 − y)·ln(1 − σ(z)), written so that it never
            // overflows: max(z, 0) − z·y + ln(1 + e^(−|z|)).
            let p = ch04_backprop::activation::sigmoid(z);
            loss += f64::from(z.max(0.0) - z * y + (-z.abs()).exp().ln_1p());
            other += f64::from(u8::from((p > 0.5) == (y > 0.5)));
            g[j] = (p - y) / entries;
        } else {
            let e = z - y;
            loss += f64::from(e * e);
            other += f64::from(e.abs());
            g[j] = 2.0 * e / entries;
        }
    }
    score.loss_sum += loss / k as f64;
    if output == Output::SigmoidBinaryCrossEntropy {
        score.correct += other / k as f64;
    } else {
        score.abs_error_sum += other / k as f64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::Portable;

    #[test]
    fn the_vector_tanh_is_within_a_few_steps_of_the_scalar_one() {
        // Steps of 10⁻⁴ from −10 to 10, and the edges.
        let mut xs: Vec<f32> = (0..=200_000).map(|i| -10.0 + i as f32 * 1e-4).collect();
        xs.extend([
            0.0,
            -0.0,
            1e-30,
            f32::INFINITY,
            f32::NEG_INFINITY,
            7.9,
            7.91,
        ]);
        let mut worst = 0.0f64;
        for chunk in xs.chunks_exact(16) {
            // SAFETY: `chunk` has sixteen floats; the portable lanes need
            // nothing.
            let got = unsafe { tanh::<Portable>(Portable::load(chunk.as_ptr())) };
            for (&x, t) in chunk.iter().zip(got) {
                let exact = f64::from(x).tanh();
                let ulp = f64::from(f32::EPSILON) * exact.abs().max(f64::from(f32::MIN_POSITIVE));
                worst = worst.max((f64::from(t) - exact).abs() / ulp);
                assert!(t.abs() <= 1.0, "tanh({x}) = {t}");
            }
        }
        assert!(worst < 8.0, "worst error {worst} units in the last place");
        let nan = unsafe { tanh::<Portable>(Portable::splat(f32::NAN)) };
        assert!(nan.iter().all(|t| t.is_nan()));
    }

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

    /// The sparse kernels of the first layer against the dense ones, bit
    /// for bit, on inputs that are mostly zero: every width of columns the
    /// sparse kernels pick, a short batch in padded rows, 32 inputs and
    /// more in a row, more than 32 samples, with and without momentum.
    unsafe fn sparse_kernels_give_the_dense_bits<V: Kernels>(isa: &str) {
        let mut rng = ch00_toolbox::seeded_rng(5);
        let mut random = |n: usize, zeros: f64| -> Vec<f32> {
            use rand::Rng;
            (0..n)
                .map(|_| match rng.random_bool(zeros) {
                    true => 0.0,
                    false => rng.random_range(-1.0f32..1.0),
                })
                .collect()
        };
        let shapes = [
            (1usize, 1usize, 1usize, 8usize),
            (31, 2, 5, 8),
            (32, 19, 32, 32),
            (33, 3, 7, 8),
            (70, 17, 40, 40),
            (70, 20, 33, 40),
        ];
        for (kdim, nv, batch, rows) in shapes {
            let (n, x_stride) = (16 * nv, kdim.next_multiple_of(16));
            let mut x = random(rows * x_stride, 0.6);
            for (b, row) in x.chunks_mut(x_stride).enumerate() {
                for (k, v) in row.iter_mut().enumerate() {
                    if b >= batch || k >= kdim {
                        *v = 0.0;
                    }
                }
            }
            let mut nz = NonZeros::new(kdim, rows, true);
            unsafe { nz.mark::<V>(x.as_ptr(), x_stride, batch) };
            assert!(!nz.dense, "{kdim} inputs: mostly zeros, yet dense");
            let (w, g) = (random(kdim * n, 0.0), random(rows * n, 0.0));
            let mut dense = vec![f32::NAN; rows * n];
            let mut sparse = vec![f32::NAN; rows * n];
            unsafe {
                V::forward(
                    x.as_ptr(),
                    x_stride,
                    w.as_ptr(),
                    kdim,
                    nv,
                    dense.as_mut_ptr(),
                    rows,
                );
                V::forward_sparse(
                    &nz,
                    x.as_ptr(),
                    x_stride,
                    w.as_ptr(),
                    nv,
                    sparse.as_mut_ptr(),
                );
            }
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(&dense),
                bits(&sparse),
                "{isa} forward {kdim} × {nv} vectors"
            );
            for (momentum, paired) in [(false, false), (false, true), (true, false), (true, true)] {
                nz.paired = paired;
                let rate = Rate { lr: 0.1, mu: 0.9 };
                let (mut w1, mut w2) = (w.clone(), w.clone());
                let v0 = random(if momentum { kdim * n } else { 0 }, 0.0);
                let (mut v1, mut v2) = (v0.clone(), v0);
                let velocity = |v: &mut Vec<f32>| match momentum {
                    true => v.as_mut_ptr(),
                    false => std::ptr::null_mut(),
                };
                let (p1, p2) = (velocity(&mut v1), velocity(&mut v2));
                let finite = unsafe {
                    (
                        V::update(
                            x.as_ptr(),
                            x_stride,
                            g.as_ptr(),
                            rows,
                            w1.as_mut_ptr(),
                            p1,
                            kdim,
                            nv,
                            rate,
                        ),
                        V::update_sparse(
                            &nz,
                            x.as_ptr(),
                            x_stride,
                            g.as_ptr(),
                            w2.as_mut_ptr(),
                            p2,
                            nv,
                            rate,
                        ),
                    )
                };
                assert_eq!(finite, (true, true));
                assert_eq!(
                    bits(&w1),
                    bits(&w2),
                    "{isa} update {kdim} × {nv}, momentum {momentum}, paired {paired}"
                );
                assert_eq!(bits(&v1), bits(&v2), "{isa} velocity {kdim} × {nv}");
            }
        }
    }

    #[test]
    fn inputs_are_paired_only_where_they_are_zero_together() {
        let (kdim, rows) = (64, 32);
        // Marks samples `b` of input `k` where `nonzero(b, k)`.
        let mark = |nonzero: &dyn Fn(usize, usize) -> bool| {
            let x: Vec<f32> = (0..rows * kdim)
                .map(|i| f32::from(u8::from(nonzero(i / kdim, i % kdim))))
                .collect();
            let mut nz = NonZeros::new(kdim, rows, true);
            unsafe { nz.mark::<Portable>(x.as_ptr(), kdim, rows) };
            (nz.dense, nz.paired)
        };
        // Like pixels: both inputs of a pair non-zero in the same half.
        assert_eq!(mark(&|b, k| (b + k / 2) % 2 == 0), (false, true));
        // Unlike: each input non-zero in half the samples, a pair in all.
        assert_eq!(mark(&|b, k| (b + k) % 2 == 0), (false, false));
        // Dense: not marked at all.
        assert_eq!(mark(&|_, _| true), (true, false));
    }

    #[test]
    fn the_sparse_kernels_give_the_dense_bits_on_every_instruction_set() {
        // SAFETY: the portable lanes run anywhere.
        unsafe { sparse_kernels_give_the_dense_bits::<Portable>("portable") };
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx2,fma")]
            unsafe fn avx2() {
                unsafe { sparse_kernels_give_the_dense_bits::<crate::simd::Avx2>("avx2") };
            }
            #[target_feature(enable = "avx512f,avx2,fma")]
            unsafe fn avx512() {
                unsafe { sparse_kernels_give_the_dense_bits::<crate::simd::Avx512>("avx512") };
            }
            // SAFETY: each runs only where the processor has its
            // instructions.
            if crate::Isa::Avx2.is_available() {
                unsafe { avx2() };
            }
            if crate::Isa::Avx512.is_available() {
                unsafe { avx512() };
            }
        }
    }

    #[test]
    fn marking_a_batch_again_forgets_the_last_one() {
        // A full batch, then a shorter one: the rows past the short batch
        // must read as zero, whatever the full one had there.
        let (kdim, rows, x_stride) = (40, 8, 48);
        let mut nz = NonZeros::new(kdim, rows, true);
        let mut x = vec![0.0f32; rows * x_stride];
        for b in 0..rows {
            x[b * x_stride + b] = 1.0;
        }
        // SAFETY: `x` holds `rows` rows of `x_stride`; portable lanes.
        unsafe { nz.mark::<Portable>(x.as_ptr(), x_stride, rows) };
        assert_eq!(nz.by_input[3], 1 << 3);
        unsafe { nz.mark::<Portable>(x.as_ptr(), x_stride, 2) };
        assert_eq!(nz.by_sample[3 * nz.blocks], 0);
        assert_eq!(nz.by_input[3], 0);
        assert_eq!(nz.by_input[1], 1 << 1);
        // Values past `kdim` in a row's padding are never marked: the
        // kernels would read a row of weights for them.
        x[40..48].fill(1.0);
        unsafe { nz.mark::<Portable>(x.as_ptr(), x_stride, 1) };
        assert_eq!(nz.by_sample[1], 0, "inputs 32 to 39 of sample 0 are zero");
        let mut off = NonZeros::new(kdim, rows, false);
        unsafe { off.mark::<Portable>(x.as_ptr(), x_stride, rows) };
        assert!(off.dense, "skipping is off");
    }
}
