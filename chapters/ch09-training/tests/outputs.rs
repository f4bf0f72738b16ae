//! Every output path is checked before the data is loaded and the model
//! trained: a path that cannot be written is refused at once, by the name of
//! its flag, and nothing is left behind.
//!
//! The data folder given to the binary does not exist, so a run that gets
//! past the checks stops on the missing data: no test here trains.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const NO_DATA: &str = "/nonexistent/fashion-mnist";

struct Outcome {
    code: Option<i32>,
    stderr: String,
    took: Duration,
}

fn run_in(dir: &Path, args: &[&str]) -> Outcome {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_ch09-training"))
        .args(args)
        .current_dir(dir)
        .env("FASHION_MNIST_DIR", NO_DATA)
        .output()
        .expect("the binary runs");
    Outcome {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
        took: start.elapsed(),
    }
}

/// An empty folder of its own for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("outputs-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// Every file and folder under `dir`, as paths relative to it, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            found.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The run stopped on the output path, before loading any data, quickly,
/// with a message that names `flag` and says `says`.
fn refused_before_training(o: &Outcome, flag: &str, says: &str) {
    assert_eq!(o.code, Some(2), "{flag}: {}", o.stderr);
    assert!(o.stderr.starts_with("error: "), "{}", o.stderr);
    assert!(o.stderr.contains(flag), "{flag}: {}", o.stderr);
    assert!(o.stderr.contains(says), "{flag}, '{says}': {}", o.stderr);
    assert!(!o.stderr.contains(NO_DATA), "got to the data: {}", o.stderr);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    assert!(o.took < Duration::from_secs(10), "took {:?}", o.took);
}

#[test]
fn an_empty_path_is_refused_by_the_name_of_its_flag() {
    let dir = scratch("empty");
    for flag in ["--save", "--metrics-json", "--figures"] {
        let joined = format!("{flag}=");
        for args in [vec![flag, ""], vec![joined.as_str()]] {
            let o = run_in(&dir, &args);
            refused_before_training(&o, flag, &format!("empty path for {flag}"));
            assert!(!o.stderr.contains("os error"), "{}", o.stderr);
        }
    }
    assert!(tree(&dir).is_empty(), "{:?}", tree(&dir));
}

#[test]
fn a_folder_where_a_file_should_go_is_refused_and_left_alone() {
    let dir = scratch("folder-as-file");
    std::fs::create_dir(dir.join("m.safetensors")).unwrap();
    std::fs::create_dir(dir.join("m.json")).unwrap();
    for (flag, path) in [("--save", "m.safetensors"), ("--metrics-json", "m.json")] {
        let o = run_in(&dir, &[flag, path, "--no-figures", "--epochs", "1"]);
        refused_before_training(&o, flag, &format!("{flag} {path}: "));
        assert!(
            o.stderr.contains("names a folder, not a file"),
            "{}",
            o.stderr
        );
    }
    assert_eq!(tree(&dir), ["m.json", "m.safetensors"]);
}

#[test]
fn a_file_where_a_folder_should_go_is_refused_and_left_alone() {
    let dir = scratch("file-as-folder");
    std::fs::write(dir.join("plain"), "not a folder").unwrap();
    for (flag, path) in [
        ("--save", "plain/m.safetensors"),
        ("--metrics-json", "plain/deeper/m.json"),
        ("--figures", "plain"),
        ("--figures", "plain/figures"),
    ] {
        let o = run_in(&dir, &[flag, path, "--epochs", "1"]);
        refused_before_training(&o, flag, &format!("{flag} {path}: "));
        assert!(o.stderr.contains("is a file, not a folder"), "{}", o.stderr);
    }
    assert_eq!(tree(&dir), ["plain"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("plain")).unwrap(),
        "not a folder"
    );
}

#[test]
fn a_folder_where_a_figure_should_go_is_refused_and_named() {
    let dir = scratch("figure-as-folder");
    std::fs::create_dir_all(dir.join("figs/confusion-matrix.svg")).unwrap();
    let o = run_in(&dir, &["--figures", "figs", "--epochs", "1"]);
    refused_before_training(&o, "--figures", "confusion-matrix.svg");
    assert_eq!(tree(&dir), ["figs", "figs/confusion-matrix.svg"]);
}

#[test]
fn good_paths_pass_the_checks_and_leave_no_file_behind() {
    let dir = scratch("good");
    std::fs::create_dir(dir.join("out")).unwrap();
    let o = run_in(
        &dir,
        &[
            "--save",
            "out/m.safetensors",
            "--metrics-json",
            "new/m.json",
            "--figures",
            "figs",
            "--epochs",
            "1",
        ],
    );
    // Past the checks, the run stops on the data.
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(o.stderr.contains(NO_DATA), "{}", o.stderr);
    // The folders the outputs need are made; no file (no probe) is left.
    assert_eq!(tree(&dir), ["figs", "new", "out"]);
}
