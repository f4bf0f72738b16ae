//! Sixteen `f32` lanes, written three ways.
//!
//! Every kernel of the fast engine is written once, generic over [`Lanes`]: a
//! vector of sixteen `f32` values with the handful of operations the kernels
//! need. Three implementations exist:
//!
//! - [`Avx512`]: one 512-bit register (`__m512`);
//! - [`Avx2`]: a pair of 256-bit registers, lanes 0–7 and 8–15;
//! - [`Portable`]: a plain `[f32; 16]`, for any other processor.
//!
//! The kernels only combine lanes with lane-wise fused multiply-adds, adds,
//! subtractions, products, quotients and selections (and call the same
//! scalar functions, lane by lane, for the sigmoid and `exp`), and reduce a vector to one number with the fixed
//! tree of [`Lanes::sum_lanes`]. So each of the three computes exactly the same
//! roundings in the same order, and a machine without AVX-512 trains to
//! bit-identical weights, only slower.

/// Sixteen `f32` lanes and the operations the fast kernels use.
///
/// # Safety
///
/// The methods are `unsafe` because the vector implementations may only run
/// on a processor that has their instruction set (checked once, at run time,
/// by [`Isa::detect`](super::Isa::detect)), and because loads and stores go
/// through raw pointers that must point at sixteen valid values.
pub(crate) trait Lanes: Copy + 'static {
    /// The vector type.
    type V: Copy;

    /// All lanes zero.
    unsafe fn zero() -> Self::V;
    /// All lanes `x`.
    unsafe fn splat(x: f32) -> Self::V;
    /// Sixteen values from `p` (no alignment required).
    unsafe fn load(p: *const f32) -> Self::V;
    /// Sixteen bytes from `p`, each converted to `f32` exactly.
    unsafe fn load_u8(p: *const u8) -> Self::V;
    /// Writes the sixteen lanes to `p`.
    unsafe fn store(p: *mut f32, v: Self::V);
    /// `a · b + c`, rounded once (a fused multiply-add).
    unsafe fn mul_add(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// `a + b`.
    unsafe fn add(a: Self::V, b: Self::V) -> Self::V;
    /// `a − b`.
    unsafe fn sub(a: Self::V, b: Self::V) -> Self::V;
    /// `a · b`.
    unsafe fn mul(a: Self::V, b: Self::V) -> Self::V;
    /// `a / b`.
    unsafe fn div(a: Self::V, b: Self::V) -> Self::V;
    /// Lane by lane, `c` where `x > c`, `−c` where `x < −c`, else `x` (so a
    /// NaN stays NaN).
    unsafe fn clamp(x: Self::V, c: f32) -> Self::V;
    /// ReLU as chapter 4 writes it, lane by lane: `0` where `z < 0`, else
    /// `z` (so a NaN stays NaN, and `−0` stays `−0`).
    unsafe fn relu(z: Self::V) -> Self::V;
    /// Lane by lane, `v` where `mask > 0` and `+0` elsewhere (also where
    /// `mask` is NaN).
    unsafe fn keep_where_positive(mask: Self::V, v: Self::V) -> Self::V;
    /// Bit `i` set where lane `i` is not zero (a NaN is not zero; `−0` is).
    unsafe fn nonzero_mask(v: Self::V) -> u32;
    /// `acc[i] |= bit` for each lane `i` of `v` that is not zero; `acc`
    /// points at sixteen values.
    unsafe fn or_where_nonzero(acc: *mut u32, v: Self::V, bit: u32);
    /// The sum of the sixteen lanes, always by the same tree:
    /// `s8[i] = v[i] + v[i+8]`, `s4[i] = s8[i] + s8[i+4]`,
    /// `s2[i] = s4[i] + s4[i+2]`, result `s2[0] + s2[1]`.
    unsafe fn sum_lanes(v: Self::V) -> f32;
    /// Sixteen sums at once: lane `i` of the result is
    /// `sum_lanes(v[i])`, bit for bit. Vector implementations may do it
    /// with fewer instructions than sixteen separate sums.
    #[inline(always)]
    unsafe fn sum_lanes_16(v: &[Self::V; 16]) -> Self::V {
        unsafe {
            let sums: [f32; 16] = std::array::from_fn(|i| Self::sum_lanes(v[i]));
            Self::load(sums.as_ptr())
        }
    }
}

/// The portable implementation: an array the compiler may vectorise as it
/// can. `f32::mul_add` is an exact fused multiply-add on every platform.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Portable;

impl Lanes for Portable {
    type V = [f32; 16];

    #[inline(always)]
    unsafe fn zero() -> Self::V {
        [0.0; 16]
    }
    #[inline(always)]
    unsafe fn splat(x: f32) -> Self::V {
        [x; 16]
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self::V {
        // SAFETY: the caller guarantees sixteen readable values at `p`.
        unsafe { p.cast::<[f32; 16]>().read_unaligned() }
    }
    #[inline(always)]
    unsafe fn load_u8(p: *const u8) -> Self::V {
        // SAFETY: the caller guarantees sixteen readable bytes at `p`.
        let bytes = unsafe { p.cast::<[u8; 16]>().read_unaligned() };
        bytes.map(f32::from)
    }
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: Self::V) {
        // SAFETY: the caller guarantees sixteen writable values at `p`.
        unsafe { p.cast::<[f32; 16]>().write_unaligned(v) }
    }
    #[inline(always)]
    unsafe fn mul_add(a: Self::V, b: Self::V, c: Self::V) -> Self::V {
        std::array::from_fn(|i| a[i].mul_add(b[i], c[i]))
    }
    #[inline(always)]
    unsafe fn add(a: Self::V, b: Self::V) -> Self::V {
        std::array::from_fn(|i| a[i] + b[i])
    }
    #[inline(always)]
    unsafe fn sub(a: Self::V, b: Self::V) -> Self::V {
        std::array::from_fn(|i| a[i] - b[i])
    }
    #[inline(always)]
    unsafe fn mul(a: Self::V, b: Self::V) -> Self::V {
        std::array::from_fn(|i| a[i] * b[i])
    }
    #[inline(always)]
    unsafe fn div(a: Self::V, b: Self::V) -> Self::V {
        std::array::from_fn(|i| a[i] / b[i])
    }
    #[inline(always)]
    unsafe fn clamp(x: Self::V, c: f32) -> Self::V {
        x.map(|x| {
            if x > c {
                c
            } else if x < -c {
                -c
            } else {
                x
            }
        })
    }
    #[inline(always)]
    unsafe fn relu(z: Self::V) -> Self::V {
        z.map(|z| if z < 0.0 { 0.0 } else { z })
    }
    #[inline(always)]
    unsafe fn keep_where_positive(mask: Self::V, v: Self::V) -> Self::V {
        std::array::from_fn(|i| if mask[i] > 0.0 { v[i] } else { 0.0 })
    }
    #[inline(always)]
    unsafe fn nonzero_mask(v: Self::V) -> u32 {
        (0..16).fold(0, |m, i| m | u32::from(v[i] != 0.0) << i)
    }
    #[inline(always)]
    unsafe fn or_where_nonzero(acc: *mut u32, v: Self::V, bit: u32) {
        for (i, &v) in v.iter().enumerate() {
            if v != 0.0 {
                unsafe { *acc.add(i) |= bit };
            }
        }
    }
    #[inline(always)]
    unsafe fn sum_lanes(v: Self::V) -> f32 {
        let s8: [f32; 8] = std::array::from_fn(|i| v[i] + v[i + 8]);
        let s4: [f32; 4] = std::array::from_fn(|i| s8[i] + s8[i + 4]);
        let s2: [f32; 2] = std::array::from_fn(|i| s4[i] + s4[i + 2]);
        s2[0] + s2[1]
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) use x86::{Avx2, Avx512};

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::Lanes;
    use std::arch::x86_64::*;

    /// AVX-512: one 512-bit register holds the sixteen lanes.
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Avx512;

    impl Lanes for Avx512 {
        type V = __m512;

        #[inline(always)]
        unsafe fn zero() -> Self::V {
            unsafe { _mm512_setzero_ps() }
        }
        #[inline(always)]
        unsafe fn splat(x: f32) -> Self::V {
            unsafe { _mm512_set1_ps(x) }
        }
        #[inline(always)]
        unsafe fn load(p: *const f32) -> Self::V {
            unsafe { _mm512_loadu_ps(p) }
        }
        #[inline(always)]
        unsafe fn load_u8(p: *const u8) -> Self::V {
            unsafe { _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128(p.cast()))) }
        }
        #[inline(always)]
        unsafe fn store(p: *mut f32, v: Self::V) {
            unsafe { _mm512_storeu_ps(p, v) }
        }
        #[inline(always)]
        unsafe fn mul_add(a: Self::V, b: Self::V, c: Self::V) -> Self::V {
            unsafe { _mm512_fmadd_ps(a, b, c) }
        }
        #[inline(always)]
        unsafe fn add(a: Self::V, b: Self::V) -> Self::V {
            unsafe { _mm512_add_ps(a, b) }
        }
        #[inline(always)]
        unsafe fn sub(a: Self::V, b: Self::V) -> Self::V {
            unsafe { _mm512_sub_ps(a, b) }
        }
        #[inline(always)]
        unsafe fn mul(a: Self::V, b: Self::V) -> Self::V {
            unsafe { _mm512_mul_ps(a, b) }
        }
        #[inline(always)]
        unsafe fn div(a: Self::V, b: Self::V) -> Self::V {
            unsafe { _mm512_div_ps(a, b) }
        }
        #[inline(always)]
        unsafe fn clamp(x: Self::V, c: f32) -> Self::V {
            unsafe {
                let (hi, lo) = (_mm512_set1_ps(c), _mm512_set1_ps(-c));
                // Ordered comparisons: false for a NaN, which is kept.
                let x = _mm512_mask_mov_ps(x, _mm512_cmp_ps_mask::<_CMP_GT_OQ>(x, hi), hi);
                _mm512_mask_mov_ps(x, _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, lo), lo)
            }
        }
        #[inline(always)]
        unsafe fn relu(z: Self::V) -> Self::V {
            unsafe {
                let zero = _mm512_setzero_ps();
                // An ordered comparison: false for a NaN, which is kept.
                let negative = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(z, zero);
                _mm512_mask_mov_ps(z, negative, zero)
            }
        }
        #[inline(always)]
        unsafe fn keep_where_positive(mask: Self::V, v: Self::V) -> Self::V {
            unsafe {
                let open = _mm512_cmp_ps_mask::<_CMP_GT_OQ>(mask, _mm512_setzero_ps());
                _mm512_maskz_mov_ps(open, v)
            }
        }
        #[inline(always)]
        unsafe fn nonzero_mask(v: Self::V) -> u32 {
            unsafe { u32::from(_mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(v, _mm512_setzero_ps())) }
        }
        #[inline(always)]
        unsafe fn or_where_nonzero(acc: *mut u32, v: Self::V, bit: u32) {
            unsafe {
                let open = _mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(v, _mm512_setzero_ps());
                let old = _mm512_loadu_si512(acc.cast());
                let new = _mm512_mask_or_epi32(old, open, old, _mm512_set1_epi32(bit as i32));
                _mm512_storeu_si512(acc.cast(), new);
            }
        }
        // ANCHOR: sum_lanes_16
        /// The sixteen sums by the same tree as `sum_lanes`, but sharing
        /// each level's shuffles and additions between vectors: 15 additions
        /// and 30 shuffles instead of 64 and 48.
        #[inline(always)]
        unsafe fn sum_lanes_16(v: &[Self::V; 16]) -> Self::V {
            unsafe {
                // The levels below leave the sum of input `c + 4d` in lane
                // `4c + d`; feed them the vectors in that order.
                let w: [__m512; 16] = std::array::from_fn(|i| v[(i % 4) * 4 + i / 4]);
                // s8: lanes i and i + 8; two vectors' halves per result.
                let l1: [__m512; 8] = std::array::from_fn(|k| {
                    let (a, b) = (w[2 * k], w[2 * k + 1]);
                    let t = _mm512_shuffle_f32x4::<0b01_00_01_00>(a, b);
                    let u = _mm512_shuffle_f32x4::<0b11_10_11_10>(a, b);
                    _mm512_add_ps(t, u)
                });
                // s4: lanes i and i + 4; four vectors' quarters per result.
                let l2: [__m512; 4] = std::array::from_fn(|m| {
                    let (p, q) = (l1[2 * m], l1[2 * m + 1]);
                    let t = _mm512_shuffle_f32x4::<0b10_00_10_00>(p, q);
                    let u = _mm512_shuffle_f32x4::<0b11_01_11_01>(p, q);
                    _mm512_add_ps(t, u)
                });
                // s2: lanes i and i + 2 within each 128-bit lane.
                let l3: [__m512; 2] = std::array::from_fn(|n| {
                    let (r, s) = (l2[2 * n], l2[2 * n + 1]);
                    let t = _mm512_shuffle_ps::<0b01_00_01_00>(r, s);
                    let u = _mm512_shuffle_ps::<0b11_10_11_10>(r, s);
                    _mm512_add_ps(t, u)
                });
                // s1: lanes i and i + 1.
                let t = _mm512_shuffle_ps::<0b10_00_10_00>(l3[0], l3[1]);
                let u = _mm512_shuffle_ps::<0b11_01_11_01>(l3[0], l3[1]);
                _mm512_add_ps(t, u)
            }
        }
        // ANCHOR_END: sum_lanes_16
        #[inline(always)]
        unsafe fn sum_lanes(v: Self::V) -> f32 {
            unsafe {
                let lo = _mm512_castps512_ps256(v);
                let hi = _mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(_mm512_castps_pd(v)));
                sum8(_mm256_add_ps(lo, hi))
            }
        }
    }

    /// AVX2 with FMA: two 256-bit registers, lanes 0–7 and lanes 8–15.
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Avx2;

    impl Lanes for Avx2 {
        type V = (__m256, __m256);

        #[inline(always)]
        unsafe fn zero() -> Self::V {
            unsafe { (_mm256_setzero_ps(), _mm256_setzero_ps()) }
        }
        #[inline(always)]
        unsafe fn splat(x: f32) -> Self::V {
            unsafe { (_mm256_set1_ps(x), _mm256_set1_ps(x)) }
        }
        #[inline(always)]
        unsafe fn load(p: *const f32) -> Self::V {
            unsafe { (_mm256_loadu_ps(p), _mm256_loadu_ps(p.add(8))) }
        }
        #[inline(always)]
        unsafe fn load_u8(p: *const u8) -> Self::V {
            unsafe {
                let lo = _mm256_cvtepu8_epi32(_mm_loadl_epi64(p.cast()));
                let hi = _mm256_cvtepu8_epi32(_mm_loadl_epi64(p.add(8).cast()));
                (_mm256_cvtepi32_ps(lo), _mm256_cvtepi32_ps(hi))
            }
        }
        #[inline(always)]
        unsafe fn store(p: *mut f32, v: Self::V) {
            unsafe {
                _mm256_storeu_ps(p, v.0);
                _mm256_storeu_ps(p.add(8), v.1);
            }
        }
        #[inline(always)]
        unsafe fn mul_add(a: Self::V, b: Self::V, c: Self::V) -> Self::V {
            unsafe {
                (
                    _mm256_fmadd_ps(a.0, b.0, c.0),
                    _mm256_fmadd_ps(a.1, b.1, c.1),
                )
            }
        }
        #[inline(always)]
        unsafe fn add(a: Self::V, b: Self::V) -> Self::V {
            unsafe { (_mm256_add_ps(a.0, b.0), _mm256_add_ps(a.1, b.1)) }
        }
        #[inline(always)]
        unsafe fn sub(a: Self::V, b: Self::V) -> Self::V {
            unsafe { (_mm256_sub_ps(a.0, b.0), _mm256_sub_ps(a.1, b.1)) }
        }
        #[inline(always)]
        unsafe fn mul(a: Self::V, b: Self::V) -> Self::V {
            unsafe { (_mm256_mul_ps(a.0, b.0), _mm256_mul_ps(a.1, b.1)) }
        }
        #[inline(always)]
        unsafe fn div(a: Self::V, b: Self::V) -> Self::V {
            unsafe { (_mm256_div_ps(a.0, b.0), _mm256_div_ps(a.1, b.1)) }
        }
        #[inline(always)]
        unsafe fn clamp(x: Self::V, c: f32) -> Self::V {
            unsafe {
                let (hi, lo) = (_mm256_set1_ps(c), _mm256_set1_ps(-c));
                // Ordered comparisons: false for a NaN, which is kept.
                let half = |x: __m256| {
                    let x = _mm256_blendv_ps(x, hi, _mm256_cmp_ps::<_CMP_GT_OQ>(x, hi));
                    _mm256_blendv_ps(x, lo, _mm256_cmp_ps::<_CMP_LT_OQ>(x, lo))
                };
                (half(x.0), half(x.1))
            }
        }
        #[inline(always)]
        unsafe fn relu(z: Self::V) -> Self::V {
            unsafe {
                let zero = _mm256_setzero_ps();
                // Ordered comparisons: false for a NaN, which is kept.
                let lo = _mm256_cmp_ps::<_CMP_LT_OQ>(z.0, zero);
                let hi = _mm256_cmp_ps::<_CMP_LT_OQ>(z.1, zero);
                (_mm256_andnot_ps(lo, z.0), _mm256_andnot_ps(hi, z.1))
            }
        }
        #[inline(always)]
        unsafe fn keep_where_positive(mask: Self::V, v: Self::V) -> Self::V {
            unsafe {
                let zero = _mm256_setzero_ps();
                let lo = _mm256_cmp_ps::<_CMP_GT_OQ>(mask.0, zero);
                let hi = _mm256_cmp_ps::<_CMP_GT_OQ>(mask.1, zero);
                (_mm256_and_ps(lo, v.0), _mm256_and_ps(hi, v.1))
            }
        }
        #[inline(always)]
        unsafe fn nonzero_mask(v: Self::V) -> u32 {
            unsafe {
                let zero = _mm256_setzero_ps();
                let lo = _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_NEQ_UQ>(v.0, zero)) as u32;
                let hi = _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_NEQ_UQ>(v.1, zero)) as u32;
                lo | hi << 8
            }
        }
        #[inline(always)]
        unsafe fn or_where_nonzero(acc: *mut u32, v: Self::V, bit: u32) {
            unsafe {
                let (zero, bit) = (_mm256_setzero_ps(), _mm256_set1_epi32(bit as i32));
                for (half, v) in [v.0, v.1].into_iter().enumerate() {
                    let at = acc.add(8 * half).cast::<__m256i>();
                    let open = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_NEQ_UQ>(v, zero));
                    let new = _mm256_or_si256(_mm256_loadu_si256(at), _mm256_and_si256(open, bit));
                    _mm256_storeu_si256(at, new);
                }
            }
        }
        #[inline(always)]
        unsafe fn sum_lanes(v: Self::V) -> f32 {
            unsafe { sum8(_mm256_add_ps(v.0, v.1)) }
        }
    }

    /// The last three levels of the fixed summation tree, on eight lanes.
    #[inline(always)]
    unsafe fn sum8(s8: __m256) -> f32 {
        unsafe {
            let s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps::<1>(s8));
            let s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
            let s1 = _mm_add_ss(s2, _mm_shuffle_ps::<1>(s2, s2));
            _mm_cvtss_f32(s1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Isa;

    /// Sixteen vectors of awkward values: mixed signs and magnitudes, so
    /// that the order of the additions shows in the last bits.
    fn awkward() -> [[f32; 16]; 16] {
        std::array::from_fn(|i| {
            std::array::from_fn(|j| {
                let x = ((i * 16 + j) as f32 * 0.618_034).fract() - 0.5;
                x * 10f32.powi((i + 3 * j) as i32 % 9 - 4)
            })
        })
    }

    unsafe fn sums<V: Lanes>(vs: &[[f32; 16]; 16]) -> ([f32; 16], [f32; 16]) {
        unsafe {
            let v: [V::V; 16] = std::array::from_fn(|i| V::load(vs[i].as_ptr()));
            let one: [f32; 16] = std::array::from_fn(|i| V::sum_lanes(v[i]));
            let mut all = [0.0f32; 16];
            V::store(all.as_mut_ptr(), V::sum_lanes_16(&v));
            (one, all)
        }
    }

    #[test]
    fn every_instruction_set_sums_lanes_by_the_same_tree() {
        let vs = awkward();
        // The tree written out by hand for one vector.
        let v = vs[5];
        let s8: Vec<f32> = (0..8).map(|i| v[i] + v[i + 8]).collect();
        let s4: Vec<f32> = (0..4).map(|i| s8[i] + s8[i + 4]).collect();
        let by_hand = (s4[0] + s4[2]) + (s4[1] + s4[3]);
        let (one, all) = unsafe { sums::<Portable>(&vs) };
        assert_eq!(one[5].to_bits(), by_hand.to_bits());
        assert_eq!(one.map(f32::to_bits), all.map(f32::to_bits));
        #[cfg(target_arch = "x86_64")]
        for isa in [Isa::Avx512, Isa::Avx2] {
            if !isa.is_available() {
                continue;
            }
            // SAFETY: the instruction set is available.
            let (o, a) = unsafe {
                match isa {
                    Isa::Avx512 => sums_avx512(&vs),
                    _ => sums_avx2(&vs),
                }
            };
            assert_eq!(o.map(f32::to_bits), one.map(f32::to_bits), "{}", isa.name());
            assert_eq!(a.map(f32::to_bits), one.map(f32::to_bits), "{}", isa.name());
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx2,fma")]
    unsafe fn sums_avx512(vs: &[[f32; 16]; 16]) -> ([f32; 16], [f32; 16]) {
        unsafe { sums::<Avx512>(vs) }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn sums_avx2(vs: &[[f32; 16]; 16]) -> ([f32; 16], [f32; 16]) {
        unsafe { sums::<Avx2>(vs) }
    }
}
