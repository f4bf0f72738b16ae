//! The real housing file, found as the programs find it: the folder
//! `$HOUSING_DIR` names, else the cache `data/housing`. Without either,
//! `cargo test` lists the test as ignored, with the reason; under CI it
//! fails instead.

use ch00_toolbox::download::Source;
use ch00_toolbox::real_data::HOUSING;
use ch05_regression::housing::{
    self, BedroomFill, FEATURE_NAMES, HOUSING_CSV, HOUSING_DIR, Imputation, district_features,
};
use ch05_regression::{HousingData, split_indices};

/// The list the build script checks is this chapter's: the same variable
/// and the same file.
#[test]
fn the_build_script_looks_for_this_chapters_file() {
    assert_eq!(HOUSING.variable, HOUSING_DIR);
    assert_eq!(HOUSING.files, [HOUSING_CSV.name]);
}

#[test]
#[cfg_attr(
    no_housing,
    ignore = "housing.csv not found: set HOUSING_DIR, or fill data/housing with `cargo run --release -p ch05-regression`"
)]
fn the_real_file_verifies_parses_and_has_the_published_shape() {
    let dir = HOUSING.dir().unwrap_or_else(|e| panic!("{e}"));
    // Through the same path as the binary, without the network: checksum
    // first, then parse.
    let source = Source::Provided {
        variable: HOUSING_DIR.into(),
        dir: dir.clone(),
    };
    let path = HOUSING_CSV
        .fetch(&source)
        .expect("the folder holds the published housing.csv");
    assert!(path.starts_with(&dir));
    let districts = housing::load_from(&path).unwrap();
    assert_eq!(districts.len(), 20_640);
    let missing = districts
        .iter()
        .filter(|d| d.total_bedrooms.is_none())
        .count();
    assert_eq!(
        missing, 207,
        "the data README counts 207 empty total_bedrooms"
    );
    let island = districts
        .iter()
        .filter(|d| d.ocean_proximity == "ISLAND")
        .count();
    assert_eq!(island, 5);
    // The first district of the file, by hand.
    let d = &districts[0];
    assert_eq!(
        (d.longitude, d.latitude, d.median_income),
        (-122.23, 37.88, 8.3252)
    );

    let data = HousingData::prepare(&districts, 42).unwrap();
    assert_eq!(data.train.x.shape(), &[11_610, FEATURE_NAMES.len()]);
    assert_eq!(data.valid.len() + data.test.len(), 3_870 + 5_160);
    assert!(
        data.train
            .x
            .iter()
            .chain(&data.test.x)
            .all(|v| v.is_finite())
    );
    // Targets are in units of 100 000 dollars and capped at 5.00001.
    let max_y = data.test.y.iter().copied().fold(f32::MIN, f32::max);
    assert!((max_y - 5.00001).abs() < 1e-5, "{max_y}");
    // The training median of bedrooms per household is about one.
    let BedroomFill::PerHousehold(rate) = data.bedrooms_fill else {
        panic!("prepare imputes a rate: {:?}", data.bedrooms_fill)
    };
    assert!((1.0..1.1).contains(&rate), "{rate}");
    // Line 2828 of the file: 16 households, 154 rooms, bedrooms missing.
    // A median *count* (about 435, as in the whole file) would give it 27
    // bedrooms per household, more than its rooms; the rate gives about 1.
    let small = &districts[2826];
    assert_eq!((small.households, small.total_bedrooms), (16.0, None));
    let split = split_indices(districts.len(), 42).unwrap();
    let train = || split.train.iter().map(|&i| &districts[i]);
    let count = Imputation::MedianCount.fit(train()).unwrap();
    let BedroomFill::Count(c) = count else {
        panic!()
    };
    assert!((400.0..470.0).contains(&c), "{c}");
    let by_count = district_features(small, &count)[3];
    let by_rate = district_features(small, &data.bedrooms_fill)[3];
    assert!(by_count > 25.0 && by_rate < 1.1, "{by_count} vs {by_rate}");
    assert_eq!(split.train.len(), data.train.len());
}
