//! Sixteen `f32` lanes, written three ways.
//!
//! Every kernel of the fast path is written once, generic over [`Lanes`]: a
//! vector of sixteen `f32` values with the handful of operations the kernels
//! need. Three implementations exist:
//!
//! - [`Avx512`]: one 512-bit register (`__m512`);
//! - [`Avx2`]: a pair of 256-bit registers, lanes 0–7 and 8–15;
//! - [`Portable`]: a plain `[f32; 16]`, for any other processor.
//!
//! The kernels only combine lanes with lane-wise fused multiply-adds, adds,
//! divisions and maxima, and reduce a vector to one number with the fixed
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
    /// `a / b`.
    unsafe fn div(a: Self::V, b: Self::V) -> Self::V;
    /// `if a > b { a } else { b }`, lane by lane (so a NaN in `a` gives `b`).
    unsafe fn max(a: Self::V, b: Self::V) -> Self::V;
    /// The sum of the sixteen lanes, always by the same tree:
    /// `s8[i] = v[i] + v[i+8]`, `s4[i] = s8[i] + s8[i+4]`,
    /// `s2[i] = s4[i] + s4[i+2]`, result `s2[0] + s2[1]`.
    unsafe fn sum_lanes(v: Self::V) -> f32;
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
    unsafe fn div(a: Self::V, b: Self::V) -> Self::V {
        std::array::from_fn(|i| a[i] / b[i])
    }
    #[inline(always)]
    unsafe fn max(a: Self::V, b: Self::V) -> Self::V {
        std::array::from_fn(|i| if a[i] > b[i] { a[i] } else { b[i] })
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
        unsafe fn div(a: Self::V, b: Self::V) -> Self::V {
            unsafe { _mm512_div_ps(a, b) }
        }
        #[inline(always)]
        unsafe fn max(a: Self::V, b: Self::V) -> Self::V {
            // maxps returns its second operand unless the first is greater.
            unsafe { _mm512_max_ps(a, b) }
        }
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
        unsafe fn div(a: Self::V, b: Self::V) -> Self::V {
            unsafe { (_mm256_div_ps(a.0, b.0), _mm256_div_ps(a.1, b.1)) }
        }
        #[inline(always)]
        unsafe fn max(a: Self::V, b: Self::V) -> Self::V {
            unsafe { (_mm256_max_ps(a.0, b.0), _mm256_max_ps(a.1, b.1)) }
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
