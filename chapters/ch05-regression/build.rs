//! Decides, before the tests are compiled, whether the tests on the real
//! housing file run or are listed as ignored with the reason (see
//! `ch00_toolbox::real_data`, compiled here from the same file).

#[allow(dead_code)]
#[path = "../ch00-toolbox/src/real_data.rs"]
mod real_data;

fn main() {
    real_data::build_script(&[real_data::HOUSING]);
}
