//! Decides, before the tests are compiled, which tests run and which are
//! listed as ignored with the reason:
//!
//! - the tests on the real Fashion-MNIST files and housing file (see
//!   `ch00_toolbox::real_data`, compiled here from the same file);
//! - the tests that need the fast engine, which needs fused multiply-add in
//!   hardware (x86-64 with AVX2 and FMA, or AArch64): on a machine without
//!   it they are marked `#[cfg_attr(no_fast_engine, ignore = "…")]`. The
//!   build machine is the test machine in every ordinary `cargo test`.
//!
//! - whether this crate is compiled without optimisation (`unoptimised`):
//!   `Engine::Auto` then picks the clear engine, whose `ndarray` products
//!   are optimised even there, while the fast engine's kernels are not.
//!   evcxr compiles the notebooks' dependencies at opt-level 2, so there
//!   `Auto` takes the fast engine.
//!
//! Under CI (`CI` set) nothing is ignored: a missing data set or a machine
//! without FMA fails those tests, with a message that says why.

#[allow(dead_code)]
#[path = "../ch00-toolbox/src/real_data.rs"]
mod real_data;

fn main() {
    real_data::build_script(&[real_data::FASHION_MNIST, real_data::HOUSING]);
    println!("cargo::rustc-check-cfg=cfg(no_fast_engine)");
    println!("cargo::rustc-check-cfg=cfg(unoptimised)");
    if std::env::var("OPT_LEVEL").is_ok_and(|level| level == "0") {
        println!("cargo::rustc-cfg=unoptimised");
    }
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let native = std::env::var("HOST").ok() == std::env::var("TARGET").ok();
    let can_run = match arch.as_str() {
        "aarch64" => true,
        "x86_64" if native => host_has_fma(),
        // Cross-compiled, the tests run elsewhere: do not guess.
        _ => !native,
    };
    if !can_run && !real_data::under_ci() {
        println!("cargo::rustc-cfg=no_fast_engine");
    }
}

/// Whether this (build) machine has AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
fn host_has_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

#[cfg(not(target_arch = "x86_64"))]
fn host_has_fma() -> bool {
    false
}
