//! The glossary check fails on a small book that uses a term too early, and
//! passes on the same book once the use is linked, excused, or moved.

use std::fs;
use std::path::{Path, PathBuf};

use book_tests::check_glossary;

/// A small book whose one term, "gradient", is defined in the second section
/// of chapter A and used correctly everywhere.
fn good_book(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("n2n-glossary-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let w = |p: &str, s: &str| {
        let path = root.join(p);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, s).unwrap();
    };
    w(
        "book/SUMMARY.md",
        "# Summary\n\n[Introduction](introduction.md)\n[Zero](ch00-z.md)\n\n- [A](ch01-a.md)\n- [B](ch02-b.md)\n\n[Glossary](glossary.md)\n",
    );
    // The introduction previews the whole book and is not checked.
    w(
        "book/introduction.md",
        "# Introduction\n\nBy the end you will follow the gradient.\n",
    );
    w("book/ch00-z.md", "# Zero\n\n## Start\n\nNothing yet.\n");
    w(
        "book/ch01-a.md",
        "# A\n\nThis chapter teaches the gradient.\n\n\
         ## Slopes\n\n\
         A slope, `gradient` in code and \\\\(\\mathrm{gradient}\\\\) in maths.\n\n\
         ```text\ngradient\n```\n\n\
         ## Going downhill\n\n\
         The **gradient** is the list of slopes; gradients point uphill.\n",
    );
    w(
        "book/ch02-b.md",
        "# B\n\n## Using it\n\nWe follow the gradient down.\n",
    );
    w(
        "book/glossary.md",
        "# Glossary\n\n\
         - **gradient** (also: gradients) — The slopes of the loss, one per weight. [Chapter A](ch01-a.md#going-downhill)\n",
    );
    w(
        "tests/glossary-allow.txt",
        "# page | term | phrase | reason\n",
    );
    root
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let p = root.join(file);
    let s = fs::read_to_string(&p).unwrap();
    assert!(s.contains(from), "fixture {file} lacks {from:?}");
    fs::write(p, s.replace(from, to)).unwrap();
}

fn allow(root: &Path, entry: &str) {
    let p = root.join("tests/glossary-allow.txt");
    let mut s = fs::read_to_string(&p).unwrap();
    s.push_str(entry);
    s.push('\n');
    fs::write(p, s).unwrap();
}

#[test]
fn the_good_book_passes() {
    let root = good_book("good");
    assert_eq!(check_glossary(&root), Vec::<String>::new());
}

#[test]
fn a_use_on_an_earlier_page_fails_naming_page_line_term_and_definition() {
    let root = good_book("early-page");
    edit(
        &root,
        "book/ch00-z.md",
        "Nothing yet.",
        "Nothing yet,\nnot even gradients.",
    );
    let p = check_glossary(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("book/ch00-z.md:6:")
            && p[0].contains("\"gradients\" (gradient)")
            && p[0].contains("ch01-a.md#going-downhill"),
        "{p:?}"
    );
}

#[test]
fn a_use_above_the_defining_section_of_the_same_page_fails() {
    let root = good_book("early-section");
    edit(
        &root,
        "book/ch01-a.md",
        "A slope, `gradient` in code",
        "A slope, the gradient, in code",
    );
    let p = check_glossary(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("book/ch01-a.md:7:"), "{p:?}");
}

#[test]
fn a_term_broken_across_lines_is_still_found() {
    let root = good_book("two-words");
    edit(
        &root,
        "book/glossary.md",
        "- **gradient** (also: gradients)",
        "- **gradient descent** — Walking downhill along the gradient. [Chapter A](ch01-a.md#going-downhill)\n- **gradient** (also: gradients)",
    );
    edit(
        &root,
        "book/ch00-z.md",
        "Nothing yet.",
        "Nothing yet: no gradient\ndescent.",
    );
    let p = check_glossary(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("\"gradient descent\""), "{p:?}");
}

#[test]
fn an_early_use_that_links_to_the_definition_passes() {
    let root = good_book("linked");
    edit(
        &root,
        "book/ch00-z.md",
        "Nothing yet.",
        "Nothing yet, not even a [gradient](ch01-a.md#going-downhill).",
    );
    assert_eq!(check_glossary(&root), Vec::<String>::new());
    // A link to the page alone is enough too.
    edit(
        &root,
        "book/ch00-z.md",
        "ch01-a.md#going-downhill",
        "ch01-a.md",
    );
    assert_eq!(check_glossary(&root), Vec::<String>::new());
}

#[test]
fn an_early_use_that_links_to_a_section_before_the_definition_fails() {
    let root = good_book("linked-wrong");
    edit(
        &root,
        "book/ch00-z.md",
        "Nothing yet.",
        "Nothing yet, not even a [gradient](ch01-a.md#slopes).",
    );
    let p = check_glossary(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("book/ch00-z.md:5:"), "{p:?}");
}

#[test]
fn an_allow_listed_early_use_passes_and_a_stale_exception_fails() {
    let root = good_book("allowed");
    edit(
        &root,
        "book/ch00-z.md",
        "Nothing yet.",
        "Nothing yet, not even a gradient.",
    );
    allow(
        &root,
        "ch00-z.md | gradient | not even a | the page says the term comes later",
    );
    assert_eq!(check_glossary(&root), Vec::<String>::new());

    // Once the use is gone, the exception is stale.
    edit(
        &root,
        "book/ch00-z.md",
        "not even a gradient",
        "nothing at all",
    );
    let p = check_glossary(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("tests/glossary-allow.txt:2:") && p[0].contains("matches no early use"),
        "{p:?}"
    );
}

#[test]
fn an_exception_without_a_reason_fails() {
    let root = good_book("no-reason");
    edit(
        &root,
        "book/ch00-z.md",
        "Nothing yet.",
        "Nothing yet, not even a gradient.",
    );
    allow(&root, "ch00-z.md | gradient | not even a |   ");
    let p = check_glossary(&root);
    assert!(
        p.iter()
            .any(|m| m.starts_with("tests/glossary-allow.txt:2:") && m.contains("reason")),
        "{p:?}"
    );
    // Without a valid exception the early use is reported as well.
    assert!(
        p.iter().any(|m| m.starts_with("book/ch00-z.md:5:")),
        "{p:?}"
    );
}

#[test]
fn a_glossary_entry_pointing_at_a_missing_heading_fails() {
    let root = good_book("anchor");
    edit(
        &root,
        "book/glossary.md",
        "#going-downhill",
        "#going-uphill",
    );
    let p = check_glossary(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("book/glossary.md:3:") && p[0].contains("ch01-a.md#going-uphill"),
        "{p:?}"
    );
}

#[test]
fn a_glossary_entry_on_a_page_outside_the_summary_fails() {
    let root = good_book("page");
    edit(&root, "book/glossary.md", "(ch01-a.md#", "(ch03-c.md#");
    let p = check_glossary(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].contains("ch03-c.md, which SUMMARY.md does not list"),
        "{p:?}"
    );
}

#[test]
fn a_glossary_entry_without_a_definition_fails() {
    let root = good_book("no-definition");
    edit(
        &root,
        "book/glossary.md",
        "The slopes of the loss, one per weight. ",
        "",
    );
    let p = check_glossary(&root);
    assert!(p.iter().any(|m| m.contains("has no definition")), "{p:?}");
}

#[test]
fn a_summary_without_the_glossary_fails() {
    let root = good_book("no-glossary");
    edit(&root, "book/SUMMARY.md", "[Glossary](glossary.md)\n", "");
    let p = check_glossary(&root);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("does not list glossary.md"), "{p:?}");
}
