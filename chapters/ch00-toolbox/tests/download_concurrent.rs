//! Several fetches of the same file at once, from threads of one process and
//! from separate processes, into one cache folder. The server sends the body
//! slowly so that the downloads overlap.
//!
//! The processes are this very test binary, started again with the variables
//! in [`CHILD_VARS`] set: the test `child_process_fetch` does nothing in a
//! normal run and one fetch in a child.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use ch00_toolbox::download::{DataFile, FetchOptions, Source, sha256_hex, verify_file};
use common::{Behaviour, files_in, fresh_dir, serve, within};

/// URL, cache folder and expected SHA-256 for a child process.
const CHILD_VARS: [&str; 3] = [
    "N2N_TEST_CHILD_URL",
    "N2N_TEST_CHILD_DIR",
    "N2N_TEST_CHILD_SHA256",
];
/// What a child prints when its fetch returned a verified file.
const CHILD_OK: &str = "child fetch verified";
const BODY_LEN: usize = 256 * 1024;

fn slow_server(copies: usize) -> (common::Server, String) {
    let body = common::big_body(BODY_LEN);
    let hash = sha256_hex(&body[..]).unwrap();
    // Sixteen pieces 40 ms apart: each download takes about 0.7 s.
    let behaviour = Behaviour::Dribble {
        chunks: 16,
        pause: Duration::from_millis(40),
    };
    (serve(body, behaviour, copies), hash)
}

fn options() -> FetchOptions {
    FetchOptions {
        stall_limit: Duration::from_secs(5),
        progress: false,
    }
}

/// Fetches once and checks the file the fetch returned *at that moment*: an
/// `Ok` for a file that is not (yet) right is exactly the failure we look for.
fn fetch_and_check(url: &str, dir: PathBuf, sha256: &str) -> Result<(), String> {
    let urls = [url];
    let file = DataFile {
        name: "file.bin",
        urls: &urls,
        sha256,
    };
    let path = file
        .fetch_with(&Source::Cache(dir), &options())
        .map_err(|e| format!("fetch failed: {e}"))?;
    verify_file(&path, sha256).map_err(|e| format!("fetch returned Ok, but {e}"))
}

#[test]
fn threads_fetching_the_same_file_at_once_all_get_the_verified_file() {
    const THREADS: usize = 6;
    let dir = fresh_dir("threads");
    let (server, hash) = slow_server(THREADS);
    let barrier = Arc::new(Barrier::new(THREADS));
    let cache = dir.clone();
    let (results, took) = within(Duration::from_secs(60), move || {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                let (url, dir, hash) = (server.url.clone(), cache.clone(), hash.clone());
                let barrier = barrier.clone();
                thread::spawn(move || {
                    barrier.wait();
                    fetch_and_check(&url, dir, &hash)
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        (
            results,
            server.hits.load(std::sync::atomic::Ordering::SeqCst),
        )
    });
    let (results, hits) = results;
    let failures: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        hits >= 2,
        "only {hits} download(s) ran: they did not overlap"
    );
    assert_eq!(
        files_in(&dir),
        ["file.bin"],
        "leftovers in {}",
        dir.display()
    );
    eprintln!("{THREADS} threads, {hits} downloads, {took:?}");
}

#[test]
fn processes_fetching_the_same_file_at_once_all_get_the_verified_file() {
    const CHILDREN: usize = 4;
    let dir = fresh_dir("processes");
    let (server, hash) = slow_server(CHILDREN);
    let exe = std::env::current_exe().unwrap();
    let start = Instant::now();
    let mut children: Vec<_> = (0..CHILDREN)
        .map(|_| {
            Command::new(&exe)
                .args(["--exact", "child_process_fetch", "--nocapture"])
                .env(CHILD_VARS[0], &server.url)
                .env(CHILD_VARS[1], &dir)
                .env(CHILD_VARS[2], &hash)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Wait for all, but never longer than a minute.
    let deadline = start + Duration::from_secs(60);
    while children.iter_mut().any(|c| c.try_wait().unwrap().is_none()) {
        if Instant::now() > deadline {
            for child in &mut children {
                let _ = child.kill();
            }
            panic!("child processes still running after 60 s");
        }
        thread::sleep(Duration::from_millis(20));
    }
    let took = start.elapsed();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stdout.contains(CHILD_OK),
            "a child failed:\n{stdout}\n{stderr}"
        );
    }
    let hits = server.hits.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        hits >= 2,
        "only {hits} download(s) ran: they did not overlap"
    );
    assert_eq!(
        files_in(&dir),
        ["file.bin"],
        "leftovers in {}",
        dir.display()
    );
    eprintln!("{CHILDREN} processes, {hits} downloads, {took:?}");
}

/// One fetch in a child process started by the test above; does nothing in a
/// normal run, where the variables are not set.
#[test]
fn child_process_fetch() {
    let Ok(url) = std::env::var(CHILD_VARS[0]) else {
        return;
    };
    let dir = PathBuf::from(std::env::var(CHILD_VARS[1]).unwrap());
    let hash = std::env::var(CHILD_VARS[2]).unwrap();
    match fetch_and_check(&url, dir, &hash) {
        Ok(()) => println!("{CHILD_OK}"),
        Err(e) => panic!("{e}"),
    }
}
