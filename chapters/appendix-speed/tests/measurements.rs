//! The measurement record of the appendix and its figure (the record lives
//! beside the example that draws it, not in the engine's library code), and
//! the pages held to it: every time a page states in its sentences and
//! tables must be a value of the one record, so that no timing appears on two
//! pages with two values.

#[path = "../examples/how-fast/measurements.rs"]
mod measurements;

use measurements::{NUMPY_RUNS, REFERENCES, STEPS, TIMINGS, Values, timing};

fn page(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../book/");
    std::fs::read_to_string(format!("{path}{name}")).unwrap()
}

/// Every value the record holds, with the units it is stated in.
fn recorded() -> Vec<(f64, &'static str)> {
    let mut all: Vec<(f64, &str)> = Vec::new();
    all.extend(STEPS.iter().map(|s| (s.seconds, "s")));
    all.extend(REFERENCES.iter().map(|r| (r.seconds, "s")));
    for run in NUMPY_RUNS {
        for v in run.results {
            all.extend([(v.engine, "s"), (v.numpy, "s")]);
        }
    }
    for t in TIMINGS {
        for q in t.quantities {
            match q.values {
                Values::One(v) => all.push((v, q.unit)),
                Values::Runs(list) => all.extend(list.iter().map(|&v| (v, q.unit))),
                Values::Summary {
                    median, min, max, ..
                } => all.extend(
                    median
                        .into_iter()
                        .chain([min])
                        .chain(max)
                        .map(|v| (v, q.unit)),
                ),
            }
            if let (Some(m), _, _) = q.values.median_min_max() {
                all.push((m, q.unit));
            }
        }
        // Numbers in what a program printed, as the page shows it.
        let words: Vec<&str> = t.printed.split_whitespace().collect();
        for w in words.windows(2) {
            if let (Ok(v), true) = (
                w[0].trim_end_matches(',').parse::<f64>(),
                w[1].starts_with('s'),
            ) {
                all.push((v, "s"));
            }
        }
    }
    all
}

/// The text without code blocks and MathJax (`\\( … \\)`, `\\[ … \\]`).
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            code = !code;
            continue;
        }
        if !code {
            out.push_str(line);
            out.push('\n');
        }
    }
    for (open, close) in [("\\\\(", "\\\\)"), ("\\\\[", "\\\\]")] {
        while let Some(a) = out.find(open) {
            let Some(b) = out[a..].find(close) else { break };
            out.replace_range(a..a + b + close.len(), " ");
        }
    }
    out
}

/// Every number of the prose followed by a unit of time (or GFLOP/s), as
/// written: `("0.24", "s")`.
fn stated_times(text: &str) -> Vec<(String, String)> {
    let text = prose(text).replace('–', " – ");
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut found = Vec::new();
    for w in words.windows(2) {
        let number = w[0].trim_start_matches(['(', '*']);
        let unit = w[1].trim_end_matches([',', '.', ';', ':', ')', '*']);
        let unit = match unit {
            "seconds" => "s",
            u => u,
        };
        if ["s", "ms", "µs", "GFLOP/s"].contains(&unit)
            && number.parse::<f64>().is_ok()
            && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            found.push((number.to_string(), unit.to_string()));
        }
    }
    found
}

/// Whether `number` (as written, with its decimals) is a recorded value in
/// `unit`, rounded as written.
fn is_recorded(number: &str, unit: &str, record: &[(f64, &str)]) -> bool {
    let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
    record
        .iter()
        .any(|&(v, u)| u == unit && format!("{v:.decimals$}") == number)
}

#[test]
fn every_time_the_pages_state_is_a_value_of_the_record() {
    let record = recorded();
    let mut problems = Vec::new();
    for name in [
        "appendix-performance.md",
        "ch04-backprop.md",
        "ch07-fashion-mnist.md",
        "ch09-training.md",
    ] {
        for (number, unit) in stated_times(&page(name)) {
            if !is_recorded(&number, &unit, &record) {
                problems.push(format!(
                    "book/{name}: {number} {unit} is in no entry of the record"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_time_that_is_not_recorded_is_caught() {
    let record = recorded();
    let text = "An epoch took (0.24 s), then 9.99 s; see \\\\(0.17\\\\) s.\n```\n7.77 s\n```\n";
    let stated = stated_times(text);
    assert_eq!(
        stated,
        [
            ("0.24".to_string(), "s".to_string()),
            ("9.99".into(), "s".into())
        ]
    );
    assert!(is_recorded("0.24", "s", &record));
    assert!(!is_recorded("9.99", "s", &record));
    assert!(!is_recorded("0.24", "ms", &record));
}

/// The row of the appendix's table of results whose first cell starts with
/// `label`: its seconds per epoch.
fn results_row(text: &str, label: &str) -> f64 {
    let row = text
        .lines()
        .find(|l| l.starts_with(&format!("| {label}")))
        .unwrap_or_else(|| panic!("no row {label}"));
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    cells[2].parse().unwrap()
}

fn median_of(name: &str) -> f64 {
    let t = TIMINGS.iter().find(|t| t.name == name).unwrap();
    t.quantities[0].values.median_min_max().0.unwrap()
}

#[test]
fn the_table_of_results_is_the_record() {
    let text = page("appendix-performance.md");
    for r in REFERENCES {
        let label = r
            .label
            .replace(" (2 threads)", ", 2 threads")
            .replace(" (1 thread)", ", 1 thread");
        let label = label.replace("OpenBLAS (1 thread)", "OpenBLAS, 1 thread");
        assert_eq!(
            format!("{:.2}", results_row(&text, &label)),
            format!("{:.2}", r.seconds),
            "{label}"
        );
    }
    let clear = STEPS[0];
    assert!(clear.command.contains("clear"));
    assert_eq!(results_row(&text, "this book, clear engine"), clear.seconds);
    let trainer = median_of("appendix-benchmark");
    assert_eq!(
        format!(
            "{:.2}",
            results_row(&text, "this book, fast engine (`FastMlp")
        ),
        format!("{trainer:.2}")
    );
    assert_eq!(
        results_row(&text, "this book, fast engine through `fit`"),
        median_of("appendix-fit-fast")
    );
}

#[test]
fn every_entry_says_what_how_where_and_when() {
    let mut names: Vec<&str> = TIMINGS.iter().map(|t| t.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), TIMINGS.len(), "names must be unique");
    for t in TIMINGS {
        assert!(!t.what.is_empty() && !t.command.is_empty(), "{}", t.name);
        assert!(
            t.machine.contains("core") || t.machine.contains("processor"),
            "{}",
            t.name
        );
        assert!(
            t.date.starts_with("2026-") && t.date.len() >= 10,
            "{}",
            t.name
        );
        assert_eq!(t.commit.len(), 7, "{}", t.name);
        assert!(!t.quantities.is_empty(), "{}", t.name);
        for q in t.quantities {
            let (median, min, max) = q.values.median_min_max();
            assert!(min.is_finite() && min >= 0.0, "{}: {}", t.name, q.what);
            assert!(max.is_none_or(|m| m >= min), "{}: {}", t.name, q.what);
            assert!(
                median.is_none_or(|m| m >= min && max.is_none_or(|x| m <= x)),
                "{}: {}",
                t.name,
                q.what
            );
        }
    }
}

#[test]
fn a_list_of_runs_is_summed_up_by_its_median_and_range() {
    let q = measurements::Quantity {
        what: "wall time",
        unit: "s",
        decimals: 1,
        counted: "runs",
        values: Values::Runs(&[13.0, 11.0, 12.4, 20.0]),
    };
    let (median, min, max) = q.values.median_min_max();
    assert!((median.unwrap() - 12.7).abs() < 1e-12);
    assert_eq!((min, max), (11.0, Some(20.0)));
    assert_eq!(
        q.line(),
        "wall time: median 12.7 s, 11.0 to 20.0 s over 4 runs: 13.0, 11.0, 12.4, 20.0"
    );
}

#[test]
fn an_entry_is_printed_with_its_command_machine_date_and_load() {
    let t = timing("ch04-backward-cost").unwrap();
    let report = t.report();
    for part in [t.what, t.command, t.machine, t.date, t.commit, t.load] {
        assert!(report.contains(part), "{part}");
    }
    assert!(
        report.contains(
            "backward / forward: median 2.10, 1.80 to 2.37 over 3 runs: 2.10, 2.37, 1.80"
        )
    );
    assert!(timing("no such entry").is_none());
}
