//! The binary reports a problem in words, naming the file, with exit code 1:
//! the error's message, not its Rust debug form.

use std::process::Command;

#[test]
fn a_missing_data_file_is_reported_by_its_path_in_words() {
    let out = Command::new(env!("CARGO_BIN_EXE_ch05-regression"))
        .env("HOUSING_DIR", "/nonexistent/housing")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains("/nonexistent/housing/housing.csv is missing"),
        "{stderr}"
    );
    assert!(stderr.contains("HOUSING_DIR"), "{stderr}");
    // No debug form: no variant names, no quoted struct fields.
    for debug in ["MissingProvided", "Download(", "file: \""] {
        assert!(!stderr.contains(debug), "{debug}: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}
