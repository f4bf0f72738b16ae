//! The consistency checks, run on this repository.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn assert_none(what: &str, problems: Vec<String>) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

#[test]
fn every_include_points_at_an_existing_file_and_anchor() {
    assert_none("broken includes", book_tests::check_includes(&root()));
}

#[test]
fn every_chapter_has_a_page_and_a_notebook() {
    assert!(!book_tests::chapter_crates(&root()).is_empty());
    assert_none(
        "chapters missing pieces",
        book_tests::check_chapters(&root()),
    );
}

#[test]
fn every_figure_a_page_shows_exists() {
    assert_none("missing figures", book_tests::check_figures(&root()));
}

#[test]
fn every_notebook_is_an_evcxr_notebook_on_a_chapter_crate() {
    assert_none("bad notebooks", book_tests::check_notebooks(&root()));
}

#[test]
fn every_program_output_a_page_shows_is_regenerated() {
    let registry = std::fs::read_to_string(root().join(book_tests::REGEN_SCRIPT)).unwrap();
    assert!(!book_tests::output_registry(&registry).is_empty());
    assert_none(
        "outputs not regenerated",
        book_tests::check_outputs(&root()),
    );
}
