//! Decides, before the tests are compiled, whether the test on the real
//! housing file runs or is listed as ignored with the reason (see
//! `ch00_toolbox::real_data`, compiled here from the same file). Under CI
//! (`CI` set) nothing is ignored: a missing file fails the test, saying why.

#[allow(dead_code)]
#[path = "../ch00-toolbox/src/real_data.rs"]
mod real_data;

fn main() {
    real_data::build_script(&[real_data::HOUSING]);
}
