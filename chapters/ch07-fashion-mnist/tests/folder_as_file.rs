//! A folder where a data file should be is reported as such, by its path,
//! not as a missing file.

use std::path::PathBuf;

use ch07_fashion_mnist::FashionMnist;

#[test]
fn a_folder_in_place_of_a_data_file_is_named_not_called_missing() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("folder-as-file");
    let _ = std::fs::remove_dir_all(&dir);
    let folder = dir.join("train-labels-idx1-ubyte.gz");
    std::fs::create_dir_all(&folder).unwrap();
    for result in [
        FashionMnist::load_from(&dir),
        FashionMnist::load_unverified(&dir),
    ] {
        let text = result.expect_err("a folder is not data").to_string();
        assert!(
            text.starts_with(&format!(
                "{}: a folder stands where this data file should be",
                folder.display()
            )),
            "{text}"
        );
        assert!(!text.contains("missing"), "{text}");
    }
}
