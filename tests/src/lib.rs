//! # book-tests: the book, the crates and the notebooks must agree
//!
//! Every check takes the root of a book checkout (the folder with `book/`,
//! `chapters/` and `notebooks/`) and returns the problems it found, one
//! sentence each, naming the file. An empty list means the check passed.
//! `tests/book.rs` runs them all on this repository; `tests/fixtures.rs` shows
//! that each one fails on a deliberately broken tree.

#![forbid(unsafe_code)]

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

pub mod glossary;
pub use glossary::check_glossary;

/// Every Markdown page under `root/book`, sorted.
pub fn pages(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect_files(&root.join("book"), "md", &mut out);
    out.sort();
    out
}

fn collect_files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The chapter crates: folders under `root/chapters` that hold a `Cargo.toml`.
pub fn chapter_crates(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(root.join("chapters"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}

/// One `{{#include …}}` or `{{#rustdoc_include …}}` directive of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The file, as written (relative to the page).
    pub file: String,
    /// What follows the file after a colon: an anchor name, or line numbers.
    pub selector: Option<String>,
    /// 1-based line of the page the directive is on.
    pub line: usize,
}

/// The include directives of a page's text, skipping escaped ones (`\{{#…`).
pub fn includes(text: &str) -> Vec<Include> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{#") {
            let escaped = start > 0 && rest.as_bytes()[start - 1] == b'\\';
            let after = &rest[start + 3..];
            let Some(end) = after.find("}}") else { break };
            let body = after[..end].trim();
            rest = &after[end + 2..];
            if escaped {
                continue;
            }
            let (kind, arg) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
            if kind != "include" && kind != "rustdoc_include" {
                continue;
            }
            let arg = arg.trim();
            let (file, selector) = match arg.split_once(':') {
                Some((f, s)) => (f.to_string(), Some(s.to_string())),
                None => (arg.to_string(), None),
            };
            out.push(Include {
                file,
                selector,
                line: i + 1,
            });
        }
    }
    out
}

/// Does `source` contain both `ANCHOR: name` and `ANCHOR_END: name`?
pub fn has_anchor(source: &str, name: &str) -> bool {
    let marks = |tag: &str| {
        source.lines().any(|l| {
            l.split_once(tag)
                .is_some_and(|(_, rest)| rest.trim() == name)
        })
    };
    marks("ANCHOR:") && marks("ANCHOR_END:")
}

/// Check 1: every include points at an existing file and, when it names an
/// anchor, at an anchor that exists in that file.
pub fn check_includes(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for page in pages(root) {
        let text = match read(&page) {
            Ok(t) => t,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let dir = page.parent().unwrap_or(root);
        for inc in includes(&text) {
            let target = dir.join(&inc.file);
            let at = format!("{}:{}", rel(root, &page), inc.line);
            let Ok(source) = fs::read_to_string(&target) else {
                problems.push(format!("{at}: includes {}, which does not exist", inc.file));
                continue;
            };
            if let Some(sel) = &inc.selector {
                let is_lines = sel
                    .split(':')
                    .all(|p| p.is_empty() || p.parse::<usize>().is_ok());
                if !is_lines && !has_anchor(&source, sel) {
                    problems.push(format!(
                        "{at}: includes anchor `{sel}` of {}, which has no ANCHOR: {sel} … ANCHOR_END: {sel}",
                        inc.file
                    ));
                }
            }
        }
    }
    problems
}

/// Whether the crate `name` belongs to an appendix (its name starts with
/// `appendix-`): its page is the appendix SUMMARY tags with its name, and it
/// needs no notebook.
pub fn is_appendix_crate(name: &str) -> bool {
    name.starts_with("appendix-")
}

/// Check 2: every chapter crate has a page in `book/SUMMARY.md` (or a draft
/// entry tagged with its name, `- [Title]() <!-- crate -->`, while the chapter
/// is empty) and a notebook `notebooks/<crate>.ipynb`; an appendix crate
/// (see [`is_appendix_crate`]) has instead a SUMMARY entry that links its
/// page and is tagged with its name, `[Title](page.md) <!-- crate -->`, and
/// no notebook; and every page SUMMARY links exists.
pub fn check_chapters(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let summary = match read(&root.join("book/SUMMARY.md")) {
        Ok(s) => s,
        Err(e) => return vec![e],
    };
    for name in chapter_crates(root) {
        if is_appendix_crate(&name) {
            let tag = format!("<!-- {name} -->");
            let linked = summary
                .lines()
                .any(|l| l.contains(&tag) && markdown_links(l).iter().any(|t| t.ends_with(".md")));
            if !linked {
                problems.push(format!(
                    "chapters/{name} is an appendix crate with no page: tag its appendix in \
                     book/SUMMARY.md, `[Title](page.md) {tag}`"
                ));
            }
            continue;
        }
        let linked =
            summary.contains(&format!("]({name}.md)")) || summary.contains(&format!("]({name}/"));
        let draft = summary
            .lines()
            .any(|l| l.contains("]()") && l.contains(&format!("<!-- {name} -->")));
        if !linked && !draft {
            problems.push(format!(
                "chapters/{name} has no page in book/SUMMARY.md (add `- [Title]({name}.md)`, \
                 or `- [Title]() <!-- {name} -->` while it is a draft)"
            ));
        }
        if !root
            .join("notebooks")
            .join(format!("{name}.ipynb"))
            .is_file()
        {
            problems.push(format!(
                "chapters/{name} has no notebook notebooks/{name}.ipynb"
            ));
        }
    }
    for target in markdown_links(&summary) {
        if !target.is_empty() && !root.join("book").join(&target).is_file() {
            problems.push(format!(
                "book/SUMMARY.md links {target}, which does not exist"
            ));
        }
    }
    problems
}

/// The targets of Markdown links and images `[text](target)` in `text`,
/// without any `#anchor` or title.
pub fn markdown_links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let Some(end) = after.find(')') else { break };
        let raw = after[..end].split_whitespace().next().unwrap_or("");
        let target = raw.split('#').next().unwrap_or("");
        out.push(target.to_string());
        rest = &after[end + 1..];
    }
    out
}

/// The image paths of a page: Markdown `![alt](path)` and HTML `<img src="path">`.
pub fn images(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("![") {
        let after = &rest[i + 2..];
        let Some(close) = after.find("](") else { break };
        let after = &after[close + 2..];
        let Some(end) = after.find(')') else { break };
        out.push(
            after[..end]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string(),
        );
        rest = &after[end + 1..];
    }
    let mut rest = text;
    while let Some(i) = rest.find("<img") {
        let after = &rest[i..];
        if let Some(s) = after.find("src=\"") {
            let val = &after[s + 5..];
            if let Some(end) = val.find('"') {
                out.push(val[..end].to_string());
            }
        }
        rest = &rest[i + 4..];
    }
    out
}

/// Check 3: every figure a page shows exists.
pub fn check_figures(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for page in pages(root) {
        let Ok(text) = fs::read_to_string(&page) else {
            continue;
        };
        let dir = page.parent().unwrap_or(root);
        for img in images(&text) {
            if img.starts_with("http://") || img.starts_with("https://") || img.starts_with("data:")
            {
                continue;
            }
            if !dir.join(&img).is_file() {
                problems.push(format!(
                    "{}: shows {img}, which does not exist",
                    rel(root, &page)
                ));
            }
        }
    }
    problems
}

/// The `:dep name = { path = "…" }` lines of a code cell: `(name, path)`.
pub fn path_deps(source: &str) -> Vec<(String, String)> {
    source
        .lines()
        .filter_map(|l| l.trim().strip_prefix(":dep "))
        .filter_map(|l| {
            let (name, spec) = l.split_once('=')?;
            let p = spec.find("path")?;
            let after = &spec[p + 4..];
            let q1 = after.find('"')?;
            let q2 = after[q1 + 1..].find('"')?;
            Some((
                name.trim().to_string(),
                after[q1 + 1..q1 + 1 + q2].to_string(),
            ))
        })
        .collect()
}

fn cell_source(cell: &Value) -> Option<String> {
    match cell.get("source")? {
        Value::String(s) => Some(s.clone()),
        Value::Array(parts) => parts.iter().map(|p| p.as_str()).collect::<Option<String>>(),
        _ => None,
    }
}

/// Check 4: one notebook file: valid nbformat-4 JSON with the evcxr kernelspec
/// (`"name": "rust"`), every `:dep` in the first code cell, and every path
/// dependency a chapter crate.
pub fn check_notebook(root: &Path, path: &Path) -> Vec<String> {
    let name = rel(root, path);
    let text = match read(path) {
        Ok(t) => t,
        Err(e) => return vec![e],
    };
    let nb: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return vec![format!("{name}: not valid JSON: {e}")],
    };
    let mut problems = Vec::new();
    if nb.get("nbformat").and_then(Value::as_u64) != Some(4) {
        problems.push(format!("{name}: not nbformat 4"));
    }
    let kernel = nb
        .pointer("/metadata/kernelspec/name")
        .and_then(Value::as_str);
    if kernel != Some("rust") {
        problems.push(format!(
            "{name}: kernelspec name is {kernel:?}, expected \"rust\" (the evcxr kernel)"
        ));
    }
    let Some(cells) = nb.get("cells").and_then(Value::as_array) else {
        problems.push(format!("{name}: has no cells array"));
        return problems;
    };
    let chapters = root.join("chapters");
    let mut code_index = 0;
    for (i, cell) in cells.iter().enumerate() {
        let kind = cell.get("cell_type").and_then(Value::as_str);
        let Some(source) = cell_source(cell) else {
            problems.push(format!("{name}: cell {i} has no source"));
            continue;
        };
        if !matches!(kind, Some("code" | "markdown" | "raw")) {
            problems.push(format!("{name}: cell {i} has cell_type {kind:?}"));
        }
        if kind != Some("code") {
            continue;
        }
        code_index += 1;
        if code_index > 1 && source.lines().any(|l| l.trim().starts_with(":dep ")) {
            problems.push(format!(
                "{name}: cell {i} has a :dep line; put every :dep in the first code cell \
                 (a later :dep makes evcxr drop earlier variables)"
            ));
        }
        for (dep, dep_path) in path_deps(&source) {
            let dir = path.parent().unwrap_or(root).join(&dep_path);
            let is_chapter = dir
                .canonicalize()
                .ok()
                .zip(chapters.canonicalize().ok())
                .is_some_and(|(d, c)| {
                    d.parent() == Some(c.as_path()) && d.join("Cargo.toml").is_file()
                });
            if !is_chapter {
                problems.push(format!(
                    "{name}: `:dep {dep}` points at {dep_path}, which is not a chapter crate under chapters/"
                ));
            }
        }
    }
    problems
}

/// Check 4 on every notebook under `root/notebooks`.
pub fn check_notebooks(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    collect_files(&root.join("notebooks"), "ipynb", &mut files);
    files.sort();
    files.iter().flat_map(|f| check_notebook(root, f)).collect()
}

/// One line of the registry in `tests/regen-outputs.sh`: an output file under
/// `book/outputs/` and the `cargo run` arguments of the program that makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputEntry {
    /// The file, relative to `book/outputs/` (`ch07-fashion-mnist/files.txt`).
    pub file: String,
    /// `true` for `writes` (the example writes the file itself through
    /// `ch00_toolbox::output`), `false` for `capture` (the script saves the
    /// program's standard output).
    pub written_by_example: bool,
    /// The package after `-p`.
    pub package: String,
    /// The example after `--example`, if the program is an example.
    pub example: Option<String>,
    /// 1-based line of the script.
    pub line: usize,
}

/// The script that regenerates every output file, relative to the root.
pub const REGEN_SCRIPT: &str = "tests/regen-outputs.sh";

/// The script that records the long runs (CI does not rerun them), relative
/// to the root. Its registry lines are `record FILE ARGS…`.
pub const RECORD_SCRIPT: &str = "tests/record-long-runs.sh";

/// The registry lines of the regeneration script's text: `writes FILE ARGS…`
/// and `capture FILE "HOW COMPARED" ARGS…`; and of the recording script's:
/// `record FILE ARGS…` (read like `capture`, without the quoted words).
pub fn output_registry(script: &str) -> Vec<OutputEntry> {
    let mut out = Vec::new();
    for (i, line) in script.lines().enumerate() {
        let (written_by_example, quoted, rest) = if let Some(r) = line.strip_prefix("writes ") {
            (true, false, r)
        } else if let Some(r) = line.strip_prefix("capture ") {
            (false, true, r)
        } else if let Some(r) = line.strip_prefix("record ") {
            (false, false, r)
        } else {
            continue;
        };
        let rest = rest.trim_start();
        let (file, mut args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        if quoted {
            // Skip the quoted "how compared".
            let a = args.trim_start();
            args = a
                .strip_prefix('"')
                .and_then(|q| q.split_once('"'))
                .map_or(a, |(_, after)| after);
        }
        let words: Vec<&str> = args.split_whitespace().collect();
        let after = |flag: &str| {
            words
                .iter()
                .position(|w| *w == flag)
                .and_then(|k| words.get(k + 1))
                .map(|w| w.to_string())
        };
        out.push(OutputEntry {
            file: file.to_string(),
            written_by_example,
            package: after("-p").unwrap_or_default(),
            example: after("--example"),
            line: i + 1,
        });
    }
    out
}

/// Check 5: program output on the pages is regenerated. Every page include
/// of a file under `book/outputs/` names a file in the registry of
/// `tests/regen-outputs.sh` (or, for a long run, of
/// `tests/record-long-runs.sh`); every `writes` line names an example whose
/// source writes a report of that name; every file under `book/outputs/` is in
/// a registry and starts with a `# cargo run …` header naming its program.
pub fn check_outputs(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let outputs = root.join("book/outputs");
    let mut registry: Vec<(&str, OutputEntry)> = Vec::new();
    for script in [REGEN_SCRIPT, RECORD_SCRIPT] {
        let text = fs::read_to_string(root.join(script)).unwrap_or_default();
        registry.extend(output_registry(&text).into_iter().map(|e| (script, e)));
    }
    let listed = |file: &str| registry.iter().map(|(_, e)| e).find(|e| e.file == file);

    for page in pages(root) {
        let Ok(text) = fs::read_to_string(&page) else {
            continue;
        };
        let dir = page.parent().unwrap_or(root);
        for inc in includes(&text) {
            let target = normalise(&dir.join(&inc.file));
            let Ok(under) = target.strip_prefix(normalise(&outputs)) else {
                continue;
            };
            let file = under.to_string_lossy().replace('\\', "/");
            if listed(&file).is_none() {
                problems.push(format!(
                    "{}:{}: includes {}, which no line of {REGEN_SCRIPT} regenerates (nor of {RECORD_SCRIPT} records)",
                    rel(root, &page),
                    inc.line,
                    inc.file
                ));
            }
        }
    }

    for (script, e) in &registry {
        let at = format!("{script}:{}", e.line);
        if !outputs.join(&e.file).is_file() {
            problems.push(format!(
                "{at}: book/outputs/{} does not exist (run `bash {script}`)",
                e.file
            ));
        }
        let chapter = e.file.split('/').next().unwrap_or("");
        if e.package != chapter {
            problems.push(format!(
                "{at}: {} is run with `-p {}`, but lies in the folder of {chapter}",
                e.file, e.package
            ));
        }
        if e.written_by_example {
            let Some(example) = &e.example else {
                problems.push(format!("{at}: `writes {}` names no --example", e.file));
                continue;
            };
            // An example is `examples/NAME.rs` or a folder `examples/NAME/main.rs`.
            let examples = root.join("chapters").join(&e.package).join("examples");
            let single = examples.join(format!("{example}.rs"));
            let source = if single.is_file() {
                single
            } else {
                examples.join(example).join("main.rs")
            };
            let stem = e.file.rsplit('/').next().unwrap_or("");
            let stem = stem.strip_suffix(".txt").unwrap_or(stem);
            match fs::read_to_string(&source) {
                Err(_) => problems.push(format!(
                    "{at}: {} is written by example {example} of {}, which does not exist",
                    e.file, e.package
                )),
                Ok(src) => {
                    if !src.contains("outputs_dir(") || !src.contains(&format!("\"{stem}\"")) {
                        problems.push(format!(
                            "{at}: {} does not write {} (no Output named \"{stem}\" under outputs_dir)",
                            rel(root, &source),
                            e.file
                        ));
                    }
                }
            }
        }
    }

    let mut files = Vec::new();
    collect_files(&outputs, "txt", &mut files);
    files.sort();
    for path in files {
        let file = path
            .strip_prefix(&outputs)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let shown = rel(root, &path);
        let Some(e) = listed(&file) else {
            problems.push(format!(
                "{shown}: no line of {REGEN_SCRIPT} regenerates it (nor of {RECORD_SCRIPT} records it)"
            ));
            continue;
        };
        let header = fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        let names_program = header.starts_with("# cargo run ")
            && header
                .split_whitespace()
                .collect::<Vec<_>>()
                .windows(2)
                .any(|w| w == ["-p", e.package.as_str()])
            && e.example.as_ref().is_none_or(|ex| {
                header
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .windows(2)
                    .any(|w| w == ["--example", ex.as_str()])
            });
        if !names_program {
            problems.push(format!(
                "{shown}: its first line should be `# cargo run … -p {}{}`, found `{header}`",
                e.package,
                e.example
                    .as_ref()
                    .map(|x| format!(" --example {x}"))
                    .unwrap_or_default()
            ));
        }
    }
    problems
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A number quoted in a sentence of a page, and the line of an output file
/// that it quotes: the page must contain `on_page` and the regenerated file
/// `in_output` (both compared with runs of white space made single spaces, so
/// a sentence may wrap anywhere).
#[derive(Debug, Clone, Copy)]
pub struct Quote {
    /// The page, relative to `book/` (`ch05-regression.md`).
    pub page: &'static str,
    /// The words of the page around the number.
    pub on_page: &'static str,
    /// The output file, relative to `book/outputs/`.
    pub output: &'static str,
    /// The words of the output file around the same number.
    pub in_output: &'static str,
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Check 6: every quoted number is still on its page, and still what the
/// program prints. When an example's output changes, CI rewrites the output
/// file and this check names every sentence that quotes the old value.
pub fn check_quotes(root: &Path, quotes: &[Quote]) -> Vec<String> {
    let mut problems = Vec::new();
    for q in quotes {
        let page = squeeze(&fs::read_to_string(root.join("book").join(q.page)).unwrap_or_default());
        let output = squeeze(
            &fs::read_to_string(root.join("book/outputs").join(q.output)).unwrap_or_default(),
        );
        if !page.contains(&squeeze(q.on_page)) {
            problems.push(format!(
                "book/{} no longer says \"{}\" (update the quote list or the page)",
                q.page, q.on_page
            ));
        }
        if !output.contains(&squeeze(q.in_output)) {
            problems.push(format!(
                "book/outputs/{} no longer prints \"{}\", which book/{} quotes as \"{}\"",
                q.output, q.in_output, q.page, q.on_page
            ));
        }
    }
    problems
}

/// Every check, on one tree.
pub fn check_all(root: &Path) -> Vec<String> {
    let mut all = check_includes(root);
    all.extend(check_chapters(root));
    all.extend(check_figures(root));
    all.extend(check_notebooks(root));
    all.extend(check_outputs(root));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_are_parsed_with_anchor_lines_and_escapes() {
        let page = "a\n{{#include ../x/src/a.rs:step}}\n\\{{#include nope.rs}}\n{{#rustdoc_include b.rs:3:9}} {{#title T}}";
        let got = includes(page);
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0],
            Include {
                file: "../x/src/a.rs".into(),
                selector: Some("step".into()),
                line: 2
            }
        );
        assert_eq!(got[1].selector.as_deref(), Some("3:9"));
    }

    #[test]
    fn anchors_need_both_ends() {
        assert!(has_anchor("// ANCHOR: a\nx\n// ANCHOR_END: a\n", "a"));
        assert!(!has_anchor("// ANCHOR: a\nx\n", "a"));
        assert!(!has_anchor("// ANCHOR: ab\n// ANCHOR_END: ab\n", "a"));
    }

    #[test]
    fn path_deps_are_read_from_dep_lines() {
        let cell = ":dep ch03-perceptron = { path = \"../chapters/ch03-perceptron\" }\n:dep ndarray = \"0.17\"";
        assert_eq!(
            path_deps(cell),
            vec![(
                "ch03-perceptron".to_string(),
                "../chapters/ch03-perceptron".to_string()
            )]
        );
    }

    #[test]
    fn registry_lines_of_both_scripts_are_read() {
        let script = "writes  ch01-a/x.txt  -p ch01-a --example ex\n\
                      capture ch02-b/y.txt \"compared as printed: 4 -p no\" -p ch02-b --bin b\n\
                      record  ch09-c/z.txt  -p ch09-c -- --figures book/figures/ch09-c\n\
                      # writes nothing\n";
        let got: Vec<(String, bool, String, Option<String>, usize)> = output_registry(script)
            .into_iter()
            .map(|e| (e.file, e.written_by_example, e.package, e.example, e.line))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "ch01-a/x.txt".into(),
                    true,
                    "ch01-a".into(),
                    Some("ex".into()),
                    1
                ),
                ("ch02-b/y.txt".into(), false, "ch02-b".into(), None, 2),
                ("ch09-c/z.txt".into(), false, "ch09-c".into(), None, 3),
            ]
        );
    }

    #[test]
    fn images_and_links_are_found() {
        let t = "![a plot](figures/x/a.svg) and <img src=\"b.png\" alt=\"b\"> [next](c.md#top)";
        assert_eq!(images(t), vec!["figures/x/a.svg", "b.png"]);
        assert_eq!(markdown_links(t), vec!["figures/x/a.svg", "c.md"]);
    }
}
