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
    (lr, mu): (V::V, V::V),
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
        let zero = V::zero();
        for (r, acc_r) in acc.iter().enumerate() {
            for (c, &grad) in acc_r.iter().enumerate() {
                let w_rc = w.add(r * n + 16 * c);
                let step = V::mul(lr, grad);
                let new = if M {
                    let v_rc = v.add(r * n + 16 * c);
                    let velocity = V::sub(V::mul(mu, V::load(v_rc)), step);
                    V::store(v_rc, velocity);
                    V::add(V::load(w_rc), velocity)
                } else {
                    V::sub(V::load(w_rc), step)
                };
                V::store(w_rc, new);
                *check = V::mul_add(new, zero, *check);
            }
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
}
