//! Each check fails on a deliberately broken tree, and passes on a good one.

use std::fs;
use std::path::{Path, PathBuf};

use book_tests::{check_chapters, check_figures, check_includes, check_notebooks, check_outputs};

/// A minimal, correct book tree in a fresh temporary folder.
fn good_tree(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("n2n-fixture-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let w = |p: &str, s: &str| {
        let path = root.join(p);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, s).unwrap();
    };
    w(
        "chapters/ch01-a/Cargo.toml",
        "[package]\nname = \"ch01-a\"\n",
    );
    w(
        "chapters/ch01-a/src/lib.rs",
        "// ANCHOR: add\npub fn add() {}\n// ANCHOR_END: add\n",
    );
    w("book/SUMMARY.md", "# Summary\n\n- [A](ch01-a.md)\n");
    w(
        "book/ch01-a.md",
        "# A\n\n```rust,ignore\n{{#include ../chapters/ch01-a/src/lib.rs:add}}\n```\n\n![a figure](figures/ch01-a/f.svg)\n",
    );
    w("book/figures/ch01-a/f.svg", "<svg/>");
    w(
        "book/ch01-a-run.md",
        "# Running A\n\n```text\n{{#include outputs/ch01-a/report.txt:2:}}\n```\n",
    );
    w(
        "book/outputs/ch01-a/report.txt",
        "# cargo run -p ch01-a --example report (compared exactly)\n3 of 4\n",
    );
    w(
        "chapters/ch01-a/examples/report.rs",
        "let out = Output::new(outputs_dir(env!(\"CARGO_MANIFEST_DIR\"), \"ch01-a\"), \"report\", c, e);\n",
    );
    w(
        "tests/regen-outputs.sh",
        "registry() {\nwrites  ch01-a/report.txt  -p ch01-a --example report\n}\n",
    );
    w(
        "notebooks/ch01-a.ipynb",
        &notebook("rust", ":dep ch01-a = { path = \"../chapters/ch01-a\" }"),
    );
    root
}

fn notebook(kernel: &str, first_cell: &str) -> String {
    serde_json::json!({
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": kernel, "display_name": "Rust", "language": "rust"}},
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": [first_cell]},
            {"cell_type": "markdown", "metadata": {}, "source": ["Text"]}
        ]
    })
    .to_string()
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let p = root.join(file);
    let s = fs::read_to_string(&p).unwrap();
    assert!(s.contains(from), "fixture {file} lacks {from:?}");
    fs::write(p, s.replace(from, to)).unwrap();
}

fn all(root: &Path) -> Vec<String> {
    book_tests::check_all(root)
}

#[test]
fn the_good_tree_passes_every_check() {
    let root = good_tree("good");
    assert_eq!(all(&root), Vec::<String>::new());
}

#[test]
fn an_include_of_a_missing_anchor_fails() {
    let root = good_tree("anchor");
    edit(&root, "book/ch01-a.md", "lib.rs:add", "lib.rs:subtract");
    let p = check_includes(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].contains("book/ch01-a.md:4") && p[0].contains("subtract"),
        "{p:?}"
    );
}

#[test]
fn an_include_of_a_missing_file_fails() {
    let root = good_tree("file");
    edit(&root, "book/ch01-a.md", "src/lib.rs", "src/gone.rs");
    let p = check_includes(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].contains("gone.rs") && p[0].contains("does not exist"),
        "{p:?}"
    );
}

#[test]
fn an_anchor_without_its_end_fails() {
    let root = good_tree("end");
    edit(
        &root,
        "chapters/ch01-a/src/lib.rs",
        "// ANCHOR_END: add\n",
        "",
    );
    assert_eq!(check_includes(&root).len(), 1);
}

#[test]
fn a_crate_without_a_page_fails_but_a_tagged_draft_is_fine() {
    let root = good_tree("page");
    edit(
        &root,
        "book/SUMMARY.md",
        "- [A](ch01-a.md)",
        "- [Something else]()",
    );
    let p = check_chapters(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("chapters/ch01-a has no page"), "{p:?}");

    edit(
        &root,
        "book/SUMMARY.md",
        "- [Something else]()",
        "- [A]() <!-- ch01-a -->",
    );
    assert_eq!(check_chapters(&root), Vec::<String>::new());
}

#[test]
fn an_appendix_crate_needs_its_tagged_page_but_no_notebook() {
    let root = good_tree("appendix");
    let crate_dir = root.join("chapters/appendix-speed");
    fs::create_dir_all(&crate_dir).unwrap();
    fs::write(
        crate_dir.join("Cargo.toml"),
        "[package]\nname = \"appendix-speed\"\n",
    )
    .unwrap();
    fs::write(root.join("book/fast.md"), "# Fast\n").unwrap();
    edit(
        &root,
        "book/SUMMARY.md",
        "- [A](ch01-a.md)",
        "- [A](ch01-a.md)\n\n[Fast](fast.md)",
    );
    let p = check_chapters(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].contains("chapters/appendix-speed is an appendix crate with no page"),
        "{p:?}"
    );
    assert!(!p[0].contains("notebook"), "{p:?}");

    edit(
        &root,
        "book/SUMMARY.md",
        "[Fast](fast.md)",
        "[Fast](fast.md) <!-- appendix-speed -->",
    );
    assert_eq!(check_chapters(&root), Vec::<String>::new());

    // A chapter crate still needs its notebook.
    fs::rename(&crate_dir, root.join("chapters/ch02-speed")).unwrap();
    let p = check_chapters(&root);
    assert!(
        p.iter().any(|m| m.contains("notebooks/ch02-speed.ipynb")),
        "{p:?}"
    );
}

#[test]
fn a_crate_without_a_notebook_fails() {
    let root = good_tree("nb-missing");
    fs::remove_file(root.join("notebooks/ch01-a.ipynb")).unwrap();
    let p = check_chapters(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("notebooks/ch01-a.ipynb"), "{p:?}");
}

#[test]
fn a_summary_link_to_a_missing_page_fails() {
    let root = good_tree("summary");
    edit(
        &root,
        "book/SUMMARY.md",
        "- [A](ch01-a.md)",
        "- [A](ch01-a.md)\n- [B](ch02-b.md)",
    );
    let p = check_chapters(&root);
    assert!(p.iter().any(|m| m.contains("ch02-b.md")), "{p:?}");
}

#[test]
fn a_missing_figure_fails() {
    let root = good_tree("figure");
    edit(&root, "book/ch01-a.md", "f.svg", "g.svg");
    let p = check_figures(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("figures/ch01-a/g.svg"), "{p:?}");
}

#[test]
fn a_notebook_that_is_not_json_fails() {
    let root = good_tree("json");
    fs::write(root.join("notebooks/ch01-a.ipynb"), "{\"cells\": [").unwrap();
    let p = check_notebooks(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("not valid JSON"), "{p:?}");
}

#[test]
fn a_notebook_on_another_kernel_fails() {
    let root = good_tree("kernel");
    fs::write(
        root.join("notebooks/ch01-a.ipynb"),
        notebook("python3", ":dep ch01-a = { path = \"../chapters/ch01-a\" }"),
    )
    .unwrap();
    let p = check_notebooks(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("kernelspec"), "{p:?}");
}

#[test]
fn a_notebook_of_nbformat_3_fails() {
    let root = good_tree("nbformat");
    edit(
        &root,
        "notebooks/ch01-a.ipynb",
        "\"nbformat\":4",
        "\"nbformat\":3",
    );
    assert!(
        check_notebooks(&root)
            .iter()
            .any(|m| m.contains("nbformat 4"))
    );
}

#[test]
fn a_notebook_dep_on_a_folder_that_is_not_a_chapter_fails() {
    let root = good_tree("dep");
    fs::write(
        root.join("notebooks/ch01-a.ipynb"),
        notebook(
            "rust",
            ":dep ch01-a = { path = \"../chapters/ch09-missing\" }",
        ),
    )
    .unwrap();
    let p = check_notebooks(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("not a chapter crate"), "{p:?}");
}

#[test]
fn a_dep_outside_the_first_code_cell_fails() {
    let root = good_tree("late-dep");
    let nb = serde_json::json!({
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "rust"}},
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["let x = 1;"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": [":dep ch01-a = { path = \"../chapters/ch01-a\" }"]}
        ]
    });
    fs::write(root.join("notebooks/ch01-a.ipynb"), nb.to_string()).unwrap();
    let p = check_notebooks(&root);
    assert!(p.iter().any(|m| m.contains("first code cell")), "{p:?}");
}

#[test]
fn an_included_output_that_the_script_does_not_regenerate_fails() {
    let root = good_tree("output-unlisted");
    edit(
        &root,
        "tests/regen-outputs.sh",
        "writes  ch01-a/report.txt  -p ch01-a --example report\n",
        "",
    );
    let p = check_outputs(&root);
    assert!(
        p.iter()
            .any(|m| m.contains("book/ch01-a-run.md:4") && m.contains("regenerates")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|m| m.starts_with("book/outputs/ch01-a/report.txt")),
        "{p:?}"
    );
}

#[test]
fn an_output_that_its_example_does_not_write_fails() {
    let root = good_tree("output-not-written");
    edit(
        &root,
        "chapters/ch01-a/examples/report.rs",
        "\"report\"",
        "\"summary\"",
    );
    let p = check_outputs(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].contains("tests/regen-outputs.sh:2") && p[0].contains("does not write"),
        "{p:?}"
    );
}

#[test]
fn an_output_without_its_command_header_fails() {
    let root = good_tree("output-header");
    edit(
        &root,
        "book/outputs/ch01-a/report.txt",
        "--example report",
        "--example other",
    );
    let p = check_outputs(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("first line"), "{p:?}");
}

#[test]
fn an_output_run_from_another_package_fails() {
    let root = good_tree("output-package");
    edit(&root, "tests/regen-outputs.sh", "-p ch01-a", "-p ch02-b");
    let p = check_outputs(&root);
    assert!(p.iter().any(|m| m.contains("-p ch02-b")), "{p:?}");
}

#[test]
fn a_quoted_number_that_the_program_no_longer_prints_fails() {
    let root = good_tree("quote");
    let quote = book_tests::Quote {
        page: "ch01-a-run.md",
        on_page: "Running A",
        output: "ch01-a/report.txt",
        in_output: "3 of 4",
    };
    assert_eq!(
        book_tests::check_quotes(&root, &[quote]),
        Vec::<String>::new()
    );
    edit(&root, "book/outputs/ch01-a/report.txt", "3 of 4", "4 of 4");
    let p = book_tests::check_quotes(&root, &[quote]);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("no longer prints \"3 of 4\""), "{p:?}");
    edit(&root, "book/ch01-a-run.md", "Running A", "Running B");
    assert_eq!(book_tests::check_quotes(&root, &[quote]).len(), 2);
}

#[test]
fn a_recorded_long_run_counts_as_listed_and_needs_its_header() {
    let root = good_tree("output-recorded");
    let file = root.join("book/outputs/ch01-a/long.txt");
    fs::write(&file, "# cargo run --release -p ch01-a (a long run)\n1\n").unwrap();
    let p = check_outputs(&root);
    assert!(
        p.iter()
            .any(|m| m.starts_with("book/outputs/ch01-a/long.txt")),
        "an unlisted file passed: {p:?}"
    );
    fs::write(
        root.join("tests/record-long-runs.sh"),
        "record  ch01-a/long.txt  -p ch01-a -- --epochs 30\n",
    )
    .unwrap();
    assert_eq!(check_outputs(&root), Vec::<String>::new());
    fs::write(&file, "1\n").unwrap();
    let p = check_outputs(&root);
    assert!(
        p.iter()
            .any(|m| m.starts_with("book/outputs/ch01-a/long.txt") && m.contains("first line")),
        "a recorded file without its header passed: {p:?}"
    );
}
