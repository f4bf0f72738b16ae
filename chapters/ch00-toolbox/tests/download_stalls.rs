//! Mirrors that stop talking. The stall limit is scaled down to one second so
//! that each test takes a few seconds; every fetch runs under [`within`], so
//! a fetch that hangs fails its test instead of hanging it.

mod common;

use std::time::Duration;

use ch00_toolbox::download::{DataFile, DownloadError, FetchOptions, Source, sha256_hex};
use common::{Behaviour, assert_cache_empty, files_in, fresh_dir, serve, small_body, within};

const STALL: Duration = Duration::from_secs(1);
/// Generous: a stalled mirror must be given up after about [`STALL`].
const BOUND: Duration = Duration::from_secs(20);

fn options() -> FetchOptions {
    FetchOptions {
        stall_limit: STALL,
        progress: false,
    }
}

/// Fetches `file.bin` from `urls` into `dir` within [`BOUND`].
fn fetch(
    urls: Vec<String>,
    dir: &std::path::Path,
    sha256: String,
) -> (Result<std::path::PathBuf, DownloadError>, Duration) {
    let dir = dir.to_path_buf();
    within(BOUND, move || {
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        let file = DataFile {
            name: "file.bin",
            urls: &urls,
            sha256: &sha256,
        };
        file.fetch_with(&Source::Cache(dir), &options())
    })
}

/// The one error of a single-mirror fetch.
fn only_error(err: &DownloadError) -> &DownloadError {
    match err {
        DownloadError::AllMirrorsFailed { errors, .. } if errors.len() == 1 => &errors[0],
        other => panic!("expected one mirror's error, got {other}"),
    }
}

#[test]
fn a_silent_mirror_is_given_up_and_the_next_one_is_tried() {
    let dir = fresh_dir("silent-next");
    let body = small_body();
    let hash = sha256_hex(&body[..]).unwrap();
    let silent = serve(body.clone(), Behaviour::Silent, 1);
    let good = serve(body.clone(), Behaviour::Good, 1);
    let (result, took) = fetch(vec![silent.url, good.url], &dir, hash);
    let path = result.unwrap();
    assert_eq!(std::fs::read(path).unwrap(), *body);
    assert_eq!(files_in(&dir), ["file.bin"]);
    assert!(
        took >= STALL && took < STALL * 5,
        "gave up the silent mirror after {took:?}, stall limit {STALL:?}"
    );
}

#[test]
fn a_silent_only_mirror_is_a_stall_error_that_names_it() {
    let dir = fresh_dir("silent");
    let body = small_body();
    let hash = sha256_hex(&body[..]).unwrap();
    let silent = serve(body, Behaviour::Silent, 1);
    let (result, took) = fetch(vec![silent.url.clone()], &dir, hash);
    let err = result.unwrap_err();
    assert!(
        matches!(only_error(&err), DownloadError::Stalled { url, .. } if *url == silent.url),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains(&silent.url) && text.contains("response head") && text.contains("1s"),
        "{text}"
    );
    assert!(took < STALL * 5, "took {took:?}");
    assert_cache_empty(&dir);
}

#[test]
fn a_response_head_that_stops_halfway_is_a_stall_and_the_next_mirror_is_tried() {
    let dir = fresh_dir("half-head");
    let body = small_body();
    let hash = sha256_hex(&body[..]).unwrap();

    let half = serve(body.clone(), Behaviour::HalfHead, 1);
    let (result, _) = fetch(vec![half.url.clone()], &dir, hash.clone());
    let err = result.unwrap_err();
    assert!(
        matches!(only_error(&err), DownloadError::Stalled { url, .. } if *url == half.url),
        "{err}"
    );
    assert_cache_empty(&dir);

    let half = serve(body.clone(), Behaviour::HalfHead, 1);
    let good = serve(body.clone(), Behaviour::Good, 1);
    let (result, took) = fetch(vec![half.url, good.url], &dir, hash);
    assert_eq!(std::fs::read(result.unwrap()).unwrap(), *body);
    assert!(took < STALL * 5, "took {took:?}");
}

#[test]
fn a_body_that_stops_halfway_is_a_stall_and_leaves_no_partial_file() {
    let dir = fresh_dir("body-stall");
    let body = small_body();
    let hash = sha256_hex(&body[..]).unwrap();

    let stall = serve(body.clone(), Behaviour::BodyStall, 1);
    let (result, took) = fetch(vec![stall.url.clone()], &dir, hash.clone());
    let err = result.unwrap_err();
    match only_error(&err) {
        DownloadError::Stalled { url, .. } => assert_eq!(*url, stall.url),
        other => panic!("expected a stall, got {other}"),
    }
    assert!(err.to_string().contains("body"), "{err}");
    assert!(took >= STALL && took < STALL * 5, "took {took:?}");
    assert_cache_empty(&dir);

    let stall = serve(body.clone(), Behaviour::BodyStall, 1);
    let good = serve(body.clone(), Behaviour::Good, 1);
    let (result, _) = fetch(vec![stall.url, good.url], &dir, hash);
    assert_eq!(std::fs::read(result.unwrap()).unwrap(), *body);
    assert_eq!(files_in(&dir), ["file.bin"]);
}

#[test]
fn a_slow_body_that_keeps_moving_is_not_cut_off() {
    let dir = fresh_dir("slow");
    let body = small_body();
    let hash = sha256_hex(&body[..]).unwrap();
    // Eight pieces 0.4 s apart: 3.2 s in all, more than three stall limits,
    // but never a whole second without a byte.
    let slow = serve(
        body.clone(),
        Behaviour::Dribble {
            chunks: 8,
            pause: Duration::from_millis(400),
        },
        1,
    );
    let (result, took) = fetch(vec![slow.url], &dir, hash);
    let path = result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(std::fs::read(path).unwrap(), *body);
    assert!(took > STALL * 3, "the body took only {took:?}");
    assert_eq!(files_in(&dir), ["file.bin"]);
}
