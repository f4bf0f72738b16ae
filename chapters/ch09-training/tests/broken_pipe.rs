//! A closed standard output (`ch09-training | head -1`) ends the program
//! quietly, as it ends any command-line tool: no panic, no exit code 101.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};

use ch00_toolbox::real_data::FASHION_MNIST;

/// Runs the binary with `args`, closing its standard output at once (the
/// reading end of the pipe is dropped right after the start); returns how it
/// ended and what it wrote to standard error.
fn run_with_stdout_closed(args: &[&str], data: &str) -> (ExitStatus, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ch09-training"))
        .args(args)
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .env("FASHION_MNIST_DIR", data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap(), stderr)
}

fn quiet(status: ExitStatus, stderr: &str) {
    assert_ne!(status.code(), Some(101), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

#[test]
fn help_into_a_closed_pipe_is_quiet() {
    for flag in ["--help", "--version"] {
        let (status, stderr) = run_with_stdout_closed(&[flag], "/nonexistent");
        quiet(status, &stderr);
    }
}

/// Needs the real files (the folder `FASHION_MNIST_DIR` names, else the
/// cache): without them `cargo test` lists it as ignored, with the reason.
#[test]
#[cfg_attr(
    no_fashion_mnist,
    ignore = "Fashion-MNIST not found: set FASHION_MNIST_DIR, or fill data/fashion-mnist with `cargo run --release -p ch07-fashion-mnist`"
)]
fn a_run_into_a_closed_pipe_stops_quietly_before_training() {
    let dir = FASHION_MNIST.dir().unwrap_or_else(|e| panic!("{e}"));
    let (status, stderr) = run_with_stdout_closed(
        &["--epochs", "1", "--no-figures"],
        dir.to_str().expect("a UTF-8 path"),
    );
    quiet(status, &stderr);
    // It stops at the first line it cannot print, before the first epoch.
    assert!(!stderr.contains("Epoch 1/1"), "{stderr}");
    assert_eq!(status.code(), Some(141), "{stderr}");
}
