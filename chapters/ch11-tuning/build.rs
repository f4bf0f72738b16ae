//! Decides, before the tests are compiled, whether the tests on the real
//! Fashion-MNIST files run or are listed as ignored with the reason (see
//! `ch00_toolbox::real_data`, compiled here from the same file, as chapter
//! 9's build script does). Under CI (`CI` set) nothing is ignored.

#[allow(dead_code)]
#[path = "../ch00-toolbox/src/real_data.rs"]
mod real_data;

fn main() {
    real_data::build_script(&[real_data::FASHION_MNIST]);
    // The test that reads the event files with TensorBoard's own Python
    // reader needs `TENSORBOARD_PYTHON`: without it the test is listed as
    // ignored, with the reason, except under CI, where it fails.
    println!("cargo::rustc-check-cfg=cfg(no_tensorboard_python)");
    println!("cargo::rerun-if-env-changed=TENSORBOARD_PYTHON");
    let python = std::env::var_os("TENSORBOARD_PYTHON").filter(|p| !p.is_empty());
    if python.is_none() && !real_data::under_ci() {
        println!("cargo::rustc-cfg=no_tensorboard_python");
    }
}
