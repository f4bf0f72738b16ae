//! How fast can this machine multiply and add at all? A benchmark needs the
//! answer to say what fraction of the machine a training epoch uses.
//!
//! [`peak_gflops`] runs independent chains of fused multiply-adds on sixteen
//! lanes, enough of them to hide the instruction's latency, on every thread
//! at once, and counts two floating-point operations per lane per
//! multiply-add. No real program beats this number.

use std::time::{Duration, Instant};

use ch04_backprop::NetError;

use super::Isa;
use super::simd::Lanes;

/// Multiply-adds per chain between two looks at the clock.
const BURST: usize = 1 << 16;

/// The peak `f32` throughput, in GFLOP/s, of `threads` threads each running
/// the `isa` kernels' fused multiply-add for about `duration`.
pub fn peak_gflops(isa: Isa, threads: usize, duration: Duration) -> Result<f64, NetError> {
    if !isa.is_available() {
        return Err(NetError::InvalidArgument(format!(
            "this processor cannot run the {} kernels",
            isa.name()
        )));
    }
    if threads == 0 {
        return Err(NetError::InvalidArgument(
            "threads must be at least 1".into(),
        ));
    }
    let start = Instant::now();
    let flops: f64 = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut flops = 0.0;
                    while start.elapsed() < duration {
                        flops += burst(isa);
                    }
                    flops
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0.0)).sum()
    });
    Ok(flops / start.elapsed().as_secs_f64() / 1e9)
}

/// One burst on this thread; returns the floating-point operations done.
fn burst(isa: Isa) -> f64 {
    // SAFETY: `peak_gflops` checked that the ISA is available.
    unsafe {
        match isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => burst_avx512(),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => burst_avx2(),
            _ => chains::<super::simd::Portable, 4>(),
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
unsafe fn burst_avx512() -> f64 {
    unsafe { chains::<super::simd::Avx512, 12>() }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn burst_avx2() -> f64 {
    // Five sixteen-lane chains are ten 256-bit registers.
    unsafe { chains::<super::simd::Avx2, 5>() }
}

/// `N` independent chains `a ← a · m + c`, `BURST` steps each.
#[inline(always)]
unsafe fn chains<V: Lanes, const N: usize>() -> f64 {
    unsafe {
        let m = V::splat(std::hint::black_box(0.999_999));
        let c = V::splat(std::hint::black_box(1e-7));
        let mut acc = [V::splat(1.0); N];
        for _ in 0..BURST {
            for a in acc.iter_mut() {
                *a = V::mul_add(*a, m, c);
            }
        }
        let total = acc.iter().fold(0.0, |t, &a| t + V::sum_lanes(a));
        std::hint::black_box(total);
        (BURST * N * 16 * 2) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_is_positive_and_refuses_nonsense() {
        let g = peak_gflops(Isa::detect(), 1, Duration::from_millis(20)).unwrap();
        assert!(g > 0.1, "{g} GFLOP/s");
        assert!(peak_gflops(Isa::detect(), 0, Duration::from_millis(1)).is_err());
    }
}
