//! The binary refuses bad command lines with a message and a non-zero exit
//! code, and never panics.

use std::path::PathBuf;
use std::process::Command;

/// Runs the binary in `dir` with data that is not there, so that a run that
/// gets past the command line stops at once on the missing data.
fn run_in(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ch09-training"))
        .args(args)
        .current_dir(dir)
        .env("FASHION_MNIST_DIR", "/nonexistent/fashion-mnist")
        .output()
        .expect("the binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    run_in(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")), args)
}

/// An empty folder of its own for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

#[test]
fn bad_arguments_exit_with_code_2_and_say_why() {
    for (args, says) in [
        (
            &["--epochs", "zero"][..],
            "invalid value 'zero' for '--epochs <N>'",
        ),
        (
            &["--epochs", "0"][..],
            "invalid value '0' for '--epochs <N>'",
        ),
        (&["--seed", "-1"][..], "invalid value '-1' for '--seed <S>'"),
        (&["--seed"][..], "a value is required for '--seed <S>'"),
        (&["--speed", "3"][..], "unexpected argument '--speed'"),
        (&["extra"][..], "unexpected argument 'extra'"),
        (
            &["--engine", "quick"][..],
            "invalid value 'quick' for '--engine <ENGINE>'",
        ),
        (
            &["--figures", "f", "--no-figures"][..],
            "cannot be used with",
        ),
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains("try '--help'"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
    }
}

#[test]
fn a_flag_is_not_taken_as_the_value_of_the_option_before_it() {
    let dir = scratch("flag-as-value");
    for flag in ["--save", "--metrics-json", "--figures"] {
        let (code, _, stderr) = run_in(&dir, &[flag, "--no-figures", "--epochs", "1"]);
        assert_eq!(code, Some(2), "{flag}: {stderr}");
        assert!(
            stderr.contains(&format!("a value is required for '{flag} <")),
            "{flag}: {stderr}"
        );
        assert!(!stderr.contains("Fashion-MNIST"), "{flag}: {stderr}");
    }
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "files written: {left:?}");
    // A value that starts with a dash can still be given with `=`.
    let (code, _, stderr) = run_in(&dir, &["--save=-m.safetensors", "--no-figures"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("/nonexistent/fashion-mnist"), "{stderr}");
}

#[test]
fn help_prints_the_options() {
    let (code, stdout, stderr) = run(&["--help"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("Trains the 784-300-100-10"), "{stdout}");
    assert!(
        stdout.contains("Usage: ch09-training [OPTIONS]"),
        "{stdout}"
    );
    for option in [
        "--epochs <N>",
        "--seed <S>",
        "--save <FILE>",
        "--metrics-json <FILE>",
        "--figures <DIR>",
        "--no-figures",
        "--engine <ENGINE>",
        "-h, --help",
        "-V, --version",
        "target/ch09-training/figures",
    ] {
        assert!(stdout.contains(option), "{option}: {stdout}");
    }
    let (code, short, _) = run(&["-h"]);
    assert_eq!(code, Some(0));
    assert!(short.contains("--epochs <N>"), "{short}");
}

#[test]
fn version_prints_the_name_and_version() {
    for flag in ["--version", "-V"] {
        let (code, stdout, stderr) = run(&[flag]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(
            stdout,
            format!("ch09-training {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn missing_data_is_an_error_that_names_the_folder() {
    let (code, _, stderr) = run(&["--epochs", "1", "--no-figures"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("/nonexistent/fashion-mnist"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_engine_flag_is_accepted_and_training_goes_on_to_load_the_data() {
    let (code, _, stderr) = run(&["--engine", "clear", "--epochs", "1", "--no-figures"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("/nonexistent/fashion-mnist"), "{stderr}");
    assert!(!stderr.contains("try '--help'"), "{stderr}");
}
