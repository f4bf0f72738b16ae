//! The binary refuses bad command lines with a message and a non-zero exit
//! code, and never panics.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ch09-training"))
        .args(args)
        .env("FASHION_MNIST_DIR", "/nonexistent/fashion-mnist")
        .output()
        .expect("the binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn bad_arguments_exit_with_code_2_and_say_why() {
    for (args, says) in [
        (
            &["--epochs", "zero"][..],
            "--epochs expects a whole number ≥ 1, got 'zero'",
        ),
        (&["--epochs", "0"][..], "≥ 1"),
        (&["--seed"][..], "--seed needs a value"),
        (&["--speed", "3"][..], "unknown argument '--speed'"),
        (&["--clear-path=yes"][..], "--clear-path takes no value"),
    ] {
        let (code, _, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(stderr.contains("usage:"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn help_prints_the_options() {
    let (code, stdout, _) = run(&["--help"]);
    assert_eq!(code, Some(0));
    for option in [
        "--epochs",
        "--seed",
        "--save",
        "--metrics-json",
        "--clear-path",
    ] {
        assert!(stdout.contains(option), "{stdout}");
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
fn the_clear_path_flag_is_accepted_and_training_goes_on_to_load_the_data() {
    let (code, _, stderr) = run(&["--clear-path", "--epochs", "1", "--no-figures"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("/nonexistent/fashion-mnist"), "{stderr}");
    assert!(!stderr.contains("usage:"), "{stderr}");
}
