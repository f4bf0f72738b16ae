//! The glossary check: no term is used before the section that defines it.
//!
//! `book/glossary.md` is both a page of the book and the registry of its
//! terms. Each entry is one list item on one line:
//!
//! ```text
//! - **gradient** (also: gradients) — The list of partial derivatives … [Chapter 4](ch04-backprop.md#many-weights-partial-derivatives-and-the-gradient)
//! ```
//!
//! The bold headword and the comma-separated forms after `also:` are the
//! words the check looks for; the last link on the line names the section
//! that defines the term.
//!
//! The check reads the pages in `SUMMARY.md` order and reports every use of a
//! term in a page that comes before its defining page, or in its defining page
//! above the defining heading. It reads prose only: fenced code, inline code,
//! maths (`\\( … \\)`, `\\[ … \\]`), include directives, HTML tags and
//! comments, heading ids (`{#id}`) and link targets are skipped, and so is
//! the introduction, which previews the whole book. The opening of a page
//! (everything above its first `##` heading, where it says what the chapter
//! teaches) may name the chapter's own terms; it may not name later
//! chapters' terms. A use that sits inside the text of a link to the
//! defining page (no anchor, or the defining anchor) is accepted: the reader
//! is one click from the definition.
//!
//! Exceptions live in `tests/glossary-allow.txt`, one per line:
//! `page | term | phrase on the line (may be empty) | reason`. Every entry needs
//! a reason, and an entry that no longer matches any use is reported as
//! stale.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

/// The glossary page, relative to `book/`.
pub const GLOSSARY: &str = "glossary.md";
/// The allow-list, relative to the root of the tree.
pub const ALLOW_LIST: &str = "tests/glossary-allow.txt";
/// Pages that preview the whole book and are not checked.
pub const PREVIEW_PAGES: &[&str] = &["introduction.md"];

/// One term of the glossary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The headword, as written in bold.
    pub name: String,
    /// The headword and its variants, lowercase, each split into words.
    pub forms: Vec<Vec<String>>,
    /// The defining page, relative to `book/`.
    pub page: String,
    /// The heading id of the defining section on that page.
    pub anchor: String,
    /// 1-based line of the entry in the glossary.
    pub line: usize,
}

/// Parse the glossary's entries. Problems (an entry without a definition or a
/// link with an anchor) are returned beside the terms that parsed.
pub fn parse_glossary(text: &str) -> (Vec<Term>, Vec<String>) {
    let mut terms = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = format!("book/{GLOSSARY}:{}", i + 1);
        let Some(rest) = line.strip_prefix("- **") else {
            continue;
        };
        let Some((name, rest)) = rest.split_once("**") else {
            problems.push(format!("{at}: the headword has no closing `**`"));
            continue;
        };
        let mut forms = vec![words(name)];
        let mut rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("(also:") {
            let Some((list, after)) = after.split_once(')') else {
                problems.push(format!("{at}: `(also:` without its `)`"));
                continue;
            };
            forms.extend(list.split(',').map(words).filter(|w| !w.is_empty()));
            rest = after.trim_start();
        }
        let Some(body) = rest.strip_prefix('—') else {
            problems.push(format!(
                "{at}: `{name}` needs ` — ` and a definition after its headword and variants"
            ));
            continue;
        };
        let Some((link_start, target)) = last_link(body) else {
            problems.push(format!(
                "{at}: `{name}` has no link to its defining section"
            ));
            continue;
        };
        let definition = &body[..link_start];
        if definition.split_whitespace().count() < 4 {
            problems.push(format!("{at}: `{name}` has no definition before its link"));
        }
        let Some((page, anchor)) = target.split_once('#') else {
            problems.push(format!(
                "{at}: `{name}` links {target}, which names no section (add `#anchor`)"
            ));
            continue;
        };
        terms.push(Term {
            name: name.to_string(),
            forms,
            page: page.to_string(),
            anchor: anchor.to_string(),
            line: i + 1,
        });
    }
    (terms, problems)
}

/// The byte offset of the last `[text](target)` in `line` and its target.
fn last_link(line: &str) -> Option<(usize, String)> {
    let close = line.rfind("](")?;
    let open = line[..close].rfind('[')?;
    let after = &line[close + 2..];
    let end = after.find(')')?;
    Some((open, after[..end].trim().to_string()))
}

/// Lowercase words of a term form: "Hebb's rule" → ["hebb's", "rule"].
fn words(form: &str) -> Vec<String> {
    form.split_whitespace()
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect()
}

/// The heading ids of a page, as mdBook makes them: lowercase, whitespace to
/// `-`, only letters, digits, `-` and `_` kept, `-1`, `-2` … on repeats, or
/// the `{#id}` written after the heading.
pub fn heading_ids(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut fence: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_string());
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if hashes == 0 || hashes > 6 || !line[hashes..].starts_with(' ') {
            continue;
        }
        let mut title = line[hashes..].trim();
        let mut custom = None;
        if let Some(open) = title.rfind("{#") {
            if title.ends_with('}') {
                custom = Some(title[open + 2..title.len() - 1].trim().to_string());
                title = title[..open].trim();
            }
        }
        let id = custom.unwrap_or_else(|| {
            title
                .chars()
                .filter_map(|c| {
                    if c.is_alphanumeric() || c == '_' || c == '-' {
                        Some(c.to_ascii_lowercase())
                    } else if c.is_whitespace() {
                        Some('-')
                    } else {
                        None
                    }
                })
                .collect()
        });
        let n = seen.entry(id.clone()).or_insert(0);
        let id = if *n == 0 { id } else { format!("{id}-{n}") };
        *n += 1;
        out.push((id, i + 1));
    }
    out
}

/// One word of a page's prose.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    line: usize,
    /// Only whitespace separates it from the word before.
    joined: bool,
    /// The target of the link whose text holds it.
    link: Option<String>,
}

/// The prose words of a page (see the module docs for what is skipped).
fn prose_words(text: &str) -> Vec<Word> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut keep = vec![true; n];
    let mut link: Vec<Option<usize>> = vec![None; n];
    let mut targets: Vec<String> = Vec::new();
    let starts_with = |i: usize, s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
    };
    let find_from = |i: usize, s: &str| (i..n).find(|&j| starts_with(j, s));
    let blank = |keep: &mut Vec<bool>, a: usize, b: usize| {
        for k in keep.iter_mut().take(b.min(n)).skip(a) {
            *k = false;
        }
    };

    let mut i = 0;
    let mut at_line_start = true;
    while i < n {
        let c = chars[i];
        if at_line_start {
            // Fenced code and include lines are skipped whole.
            let mut j = i;
            while j < n && (chars[j] == ' ' || chars[j] == '\t') {
                j += 1;
            }
            let end_of_line = |k: usize| (k..n).find(|&m| chars[m] == '\n').unwrap_or(n);
            if starts_with(j, "```") || starts_with(j, "~~~") {
                let fence: String = chars[j..j + 3].iter().collect();
                let mut k = end_of_line(j);
                loop {
                    if k >= n {
                        break;
                    }
                    let mut m = k + 1;
                    while m < n && (chars[m] == ' ' || chars[m] == '\t') {
                        m += 1;
                    }
                    let e = end_of_line(k + 1);
                    if starts_with(m, &fence) {
                        k = e;
                        break;
                    }
                    k = e;
                }
                blank(&mut keep, i, k);
                i = k;
                continue;
            }
            if starts_with(j, "#") {
                // A heading: drop its `{#id}`.
                let e = end_of_line(j);
                if let Some(open) = (j..e).rev().find(|&m| starts_with(m, "{#")) {
                    blank(&mut keep, open, e);
                }
            }
            at_line_start = false;
        }
        if c == '\n' {
            at_line_start = true;
            i += 1;
            continue;
        }
        let skip_to = |open: &str, close: &str| -> Option<usize> {
            if starts_with(i, open) {
                Some(
                    find_from(i + open.chars().count(), close)
                        .map_or(n, |e| e + close.chars().count()),
                )
            } else {
                None
            }
        };
        let skipped = skip_to("{{#", "}}")
            .or_else(|| skip_to("\\\\(", "\\\\)"))
            .or_else(|| skip_to("\\\\[", "\\\\]"))
            .or_else(|| skip_to("<!--", "-->"))
            .or_else(|| {
                if c == '<'
                    && i + 1 < n
                    && (chars[i + 1].is_ascii_alphabetic() || chars[i + 1] == '/')
                {
                    find_from(i, ">").map(|e| e + 1)
                } else {
                    None
                }
            })
            .or_else(|| {
                if c == '`' {
                    let ticks = (i..n).take_while(|&j| chars[j] == '`').count();
                    let fence: String = "`".repeat(ticks);
                    find_from(i + ticks, &fence).map(|e| e + ticks)
                } else {
                    None
                }
            });
        if let Some(end) = skipped {
            blank(&mut keep, i, end);
            i = end;
            continue;
        }
        if c == ']' && starts_with(i, "](") {
            // A link's target: find the text it belongs to, then drop the target.
            let end = find_from(i + 2, ")").unwrap_or(n);
            let target: String = chars[i + 2..end].iter().collect();
            let target = target.split_whitespace().next().unwrap_or("").to_string();
            let mut depth = 0;
            let mut open = None;
            for j in (0..i).rev() {
                if !keep[j] {
                    continue;
                }
                match chars[j] {
                    ']' => depth += 1,
                    '[' if depth == 0 => {
                        open = Some(j);
                        break;
                    }
                    '[' => depth -= 1,
                    _ => {}
                }
            }
            if let Some(open) = open {
                targets.push(target);
                for l in link.iter_mut().take(i).skip(open) {
                    *l = Some(targets.len() - 1);
                }
            }
            blank(&mut keep, i, end + 1);
            i = end + 1;
            continue;
        }
        i += 1;
    }

    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let mut joined = false;
    let is_word = |k: usize| {
        keep[k]
            && (chars[k].is_alphanumeric()
                || chars[k] == '-'
                || chars[k] == '\''
                || chars[k] == '’')
    };
    while i < n {
        if chars[i] == '\n' {
            line += 1;
        }
        if !is_word(i) {
            joined = joined && keep[i] && chars[i].is_whitespace();
            i += 1;
            continue;
        }
        let start = i;
        let start_line = line;
        while i < n && is_word(i) {
            i += 1;
        }
        let raw: String = chars[start..i].iter().collect();
        let trimmed = raw.trim_matches(|c: char| c == '-' || c == '\'' || c == '’');
        if trimmed.is_empty() {
            joined = false;
            continue;
        }
        out.push(Word {
            text: trimmed.to_lowercase().replace('’', "'"),
            line: start_line,
            joined,
            link: link[start].map(|t| targets[t].clone()),
        });
        joined = true;
    }
    out
}

/// A use of a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// The page, relative to `book/`.
    pub page: String,
    /// 1-based line.
    pub line: usize,
    /// The words as they appear (lowercase).
    pub form: String,
    /// The headword of the term.
    pub term: String,
    /// The link the words sit in, if any.
    pub link: Option<String>,
}

/// Every use of every term in a page's prose, the longest form winning
/// where forms overlap ("gradient descent" hides its "gradient").
pub fn term_uses(page: &str, text: &str, terms: &[Term]) -> Vec<Use> {
    let words = prose_words(text);
    let mut forms: Vec<(&Vec<String>, &Term)> = terms
        .iter()
        .flat_map(|t| t.forms.iter().map(move |f| (f, t)))
        .collect();
    forms.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
    let mut taken = vec![false; words.len()];
    let mut found: Vec<(usize, Use)> = Vec::new();
    for (form, term) in forms {
        let k = form.len();
        if k == 0 || k > words.len() {
            continue;
        }
        for s in 0..=words.len() - k {
            let fits = (0..k).all(|j| {
                !taken[s + j] && words[s + j].text == form[j] && (j == 0 || words[s + j].joined)
            });
            if !fits {
                continue;
            }
            for t in taken.iter_mut().skip(s).take(k) {
                *t = true;
            }
            found.push((
                s,
                Use {
                    page: page.to_string(),
                    line: words[s].line,
                    form: form.join(" "),
                    term: term.name.clone(),
                    link: words[s].link.clone(),
                },
            ));
        }
    }
    found.sort_by_key(|(s, _)| *s);
    found.into_iter().map(|(_, u)| u).collect()
}

/// One exception of the allow-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    /// The page, relative to `book/`.
    pub page: String,
    /// The headword.
    pub term: String,
    /// Text that must be on the line of the use; empty for any line.
    pub phrase: String,
    /// Why the early use is right.
    pub reason: String,
    /// 1-based line in the allow-list.
    pub line: usize,
}

/// Parse the allow-list; entries without a reason are problems.
pub fn parse_allow(text: &str) -> (Vec<Allow>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_t = line.trim();
        if line_t.is_empty() || line_t.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line_t.splitn(4, '|').map(str::trim).collect();
        let at = format!("{ALLOW_LIST}:{}", i + 1);
        if parts.len() < 4 || parts[3].is_empty() {
            problems.push(format!(
                "{at}: an exception needs `page | term | phrase | reason`, and the reason may not be empty"
            ));
            continue;
        }
        out.push(Allow {
            page: parts[0].trim_start_matches("book/").to_string(),
            term: parts[1].to_string(),
            phrase: parts[2].to_string(),
            reason: parts[3].to_string(),
            line: i + 1,
        });
    }
    (out, problems)
}

/// The pages of `SUMMARY.md`, in reading order, relative to `book/`.
pub fn summary_order(summary: &str) -> Vec<String> {
    crate::markdown_links(summary)
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect()
}

/// Does a link target, written on `page`, lead to the definition: to
/// `def_page` itself, to its defining section, or to a section after it
/// (which builds on the definition)? `ids` are the heading ids of `def_page`
/// with their lines.
fn links_to(
    page: &str,
    target: &str,
    def_page: &str,
    def_line: usize,
    ids: &[(String, usize)],
) -> bool {
    let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
    let file = if file.is_empty() { page } else { file };
    let file = file.trim_start_matches("./");
    file == def_page
        && (anchor.is_empty()
            || ids
                .iter()
                .any(|(id, line)| id == anchor && *line >= def_line))
}

/// The check: the glossary's anchors exist, and no term is used before its
/// definition unless the use links there or the allow-list excuses it.
pub fn check_glossary(root: &Path) -> Vec<String> {
    let book = root.join("book");
    let summary = match fs::read_to_string(book.join("SUMMARY.md")) {
        Ok(s) => s,
        Err(e) => return vec![format!("book/SUMMARY.md: cannot read: {e}")],
    };
    let order = summary_order(&summary);
    if !order.iter().any(|p| p == GLOSSARY) {
        return vec![format!("book/SUMMARY.md does not list {GLOSSARY}")];
    }
    let glossary = match fs::read_to_string(book.join(GLOSSARY)) {
        Ok(s) => s,
        Err(e) => return vec![format!("book/{GLOSSARY}: cannot read: {e}")],
    };
    let (terms, mut problems) = parse_glossary(&glossary);
    if terms.is_empty() {
        problems.push(format!("book/{GLOSSARY} has no entries"));
    }
    let index: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for p in &order {
        texts.insert(
            p.clone(),
            fs::read_to_string(book.join(p)).unwrap_or_default(),
        );
    }

    let ids: HashMap<&str, Vec<(String, usize)>> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), heading_ids(t)))
        .collect();
    // Where each term is defined: (page index, heading line).
    let mut defined: HashMap<String, (usize, usize)> = HashMap::new();
    let mut seen_forms: HashMap<Vec<String>, String> = HashMap::new();
    for t in &terms {
        let at = format!("book/{GLOSSARY}:{}", t.line);
        for f in &t.forms {
            if let Some(other) = seen_forms.insert(f.clone(), t.name.clone()) {
                problems.push(format!(
                    "{at}: `{}` is a form of both `{other}` and `{}`",
                    f.join(" "),
                    t.name
                ));
            }
        }
        let Some(&pi) = index.get(t.page.as_str()) else {
            problems.push(format!(
                "{at}: `{}` is defined in {}, which SUMMARY.md does not list",
                t.name, t.page
            ));
            continue;
        };
        match ids[t.page.as_str()].iter().find(|(id, _)| *id == t.anchor) {
            Some((_, line)) => {
                defined.insert(t.name.clone(), (pi, *line));
            }
            None => problems.push(format!(
                "{at}: `{}` points at {}#{}, but that page has no heading with that id",
                t.name, t.page, t.anchor
            )),
        }
    }

    let (allows, allow_problems) = match fs::read_to_string(root.join(ALLOW_LIST)) {
        Ok(s) => parse_allow(&s),
        Err(_) => (Vec::new(), Vec::new()),
    };
    problems.extend(allow_problems);
    let mut allow_used = vec![false; allows.len()];
    let by_name: HashMap<&str, &Term> = terms.iter().map(|t| (t.name.as_str(), t)).collect();

    for (pi, page) in order.iter().enumerate() {
        if page == GLOSSARY || PREVIEW_PAGES.contains(&page.as_str()) {
            continue;
        }
        let text = &texts[page];
        let lines: Vec<&str> = text.lines().collect();
        let opening_end = text
            .lines()
            .position(|l| l.starts_with("## "))
            .map_or(0, |i| i + 1);
        for u in term_uses(page, text, &terms) {
            let Some(&(dpi, dline)) = defined.get(&u.term) else {
                continue;
            };
            let term = by_name[u.term.as_str()];
            let early = pi < dpi || (pi == dpi && u.line < dline && u.line >= opening_end);
            if !early {
                continue;
            }
            if u.link
                .as_deref()
                .is_some_and(|l| links_to(page, l, &term.page, dline, &ids[term.page.as_str()]))
            {
                continue;
            }
            let source_line = lines.get(u.line - 1).copied().unwrap_or("");
            let allowed = allows.iter().position(|a| {
                a.page == *page
                    && a.term.eq_ignore_ascii_case(&u.term)
                    && source_line.contains(a.phrase.as_str())
            });
            if let Some(k) = allowed {
                allow_used[k] = true;
                continue;
            }
            problems.push(format!(
                "book/{page}:{}: uses \"{}\" ({}) before it is defined in {}#{} \
                 (link it there, reword, or add an exception with its reason to {ALLOW_LIST})",
                u.line, u.form, u.term, term.page, term.anchor
            ));
        }
    }
    for (a, used) in allows.iter().zip(allow_used) {
        if !used {
            problems.push(format!(
                "{ALLOW_LIST}:{}: the exception for `{}` in {} (\"{}\") matches no early use; remove it",
                a.line, a.term, a.page, a.phrase
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_follow_mdbook() {
        let page = "# Title\n## The McCulloch–Pitts unit\n```\n# not a heading\n```\n### Why the gradient is \\\\(p - y\\\\)\n## `Dense`: chapter 4's layer\n## Running it\n## Running it\n## Custom {#mine}\n";
        let ids: Vec<String> = heading_ids(page).into_iter().map(|(id, _)| id).collect();
        assert_eq!(
            ids,
            [
                "title",
                "the-mccullochpitts-unit",
                "why-the-gradient-is-p---y",
                "dense-chapter-4s-layer",
                "running-it",
                "running-it-1",
                "mine"
            ]
        );
    }

    #[test]
    fn prose_skips_code_maths_and_link_targets() {
        let page = "A `gradient` and \\\\(gradient\\\\) and\n```\ngradient\n```\n[the gradient](ch04.md#g) then a\ngradient <!-- gradient --> {{#include gradient.rs}}";
        let words = prose_words(page);
        let g: Vec<(usize, Option<String>)> = words
            .iter()
            .filter(|w| w.text == "gradient")
            .map(|w| (w.line, w.link.clone()))
            .collect();
        assert_eq!(g, vec![(5, Some("ch04.md#g".into())), (6, None)]);
        assert!(!words.iter().any(|w| w.text.contains("ch04")));
    }

    #[test]
    fn the_longest_form_wins_and_words_may_break_across_lines() {
        let terms = vec![
            Term {
                name: "gradient".into(),
                forms: vec![words("gradient")],
                page: "a.md".into(),
                anchor: "a".into(),
                line: 1,
            },
            Term {
                name: "gradient descent".into(),
                forms: vec![words("gradient descent")],
                page: "a.md".into(),
                anchor: "a".into(),
                line: 2,
            },
        ];
        let uses = term_uses(
            "p.md",
            "plain gradient\ndescent, a gradient; gradient-free",
            &terms,
        );
        let got: Vec<(&str, usize)> = uses.iter().map(|u| (u.term.as_str(), u.line)).collect();
        assert_eq!(got, vec![("gradient descent", 1), ("gradient", 2)]);
    }

    #[test]
    fn glossary_entries_parse_with_variants_and_anchor() {
        let g = "# Glossary\n\n- **mini-batch** (also: minibatch, mini-batches) — A few samples that one step of training averages over. [Chapter 4](ch04.md#sgd)\n- **bad** — [x](a.md)\n";
        let (terms, problems) = parse_glossary(g);
        assert_eq!(terms.len(), 1);
        assert_eq!(terms[0].forms.len(), 3);
        assert_eq!(terms[0].anchor, "sgd");
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}
