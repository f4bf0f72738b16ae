//! The real housing file, read from `$HOUSING_DIR` (skipped with a notice
//! when the variable is not set).

use ch05_regression::housing::{self, FEATURE_NAMES, HOUSING_CSV, HOUSING_DIR};
use ch05_regression::{HousingData, split_indices};

/// The folder `$HOUSING_DIR` names, or `None` after printing why the test
/// is skipped.
fn housing_dir() -> Option<std::path::PathBuf> {
    match std::env::var_os(HOUSING_DIR) {
        Some(d) if !d.is_empty() => Some(d.into()),
        _ => {
            eprintln!(
                "skipped: set {HOUSING_DIR} to a folder holding housing.csv to run this test"
            );
            None
        }
    }
}

#[test]
fn the_real_file_verifies_parses_and_has_the_published_shape() {
    let Some(dir) = housing_dir() else { return };
    // Through the same path as the binary: checksum first, then parse.
    let path = HOUSING_CSV
        .fetch(&housing::housing_source())
        .expect("HOUSING_DIR holds the published housing.csv");
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
    // The training median of total_bedrooms is close to the whole file's (435).
    assert!(
        (400.0..470.0).contains(&data.bedrooms_fill),
        "{}",
        data.bedrooms_fill
    );
    let split = split_indices(districts.len(), 42);
    assert_eq!(split.train.len(), data.train.len());
}
