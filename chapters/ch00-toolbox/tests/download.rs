//! The download helper against a real HTTP server on 127.0.0.1 that each test
//! starts itself: a good file, a 404, a connection closed halfway through the
//! body, and a body whose checksum is wrong.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::thread;

use ch00_toolbox::download::{DataFile, DownloadError, Source, sha256_hex};

/// How the little server answers.
#[derive(Clone, Copy)]
enum Reply {
    /// 200 with the whole body.
    Good,
    /// 404 Not Found.
    NotFound,
    /// 200 announcing the whole length, but only half the body before closing.
    CutHalfway,
}

/// Serves `body` on a fresh port for `requests` connections; returns the URL.
fn serve(body: &'static [u8], reply: Reply, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            // Read the request head up to the blank line.
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                line.clear();
            }
            let _ = match reply {
                Reply::Good => write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .and_then(|_| stream.write_all(body)),
                Reply::NotFound => {
                    stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found")
                }
                Reply::CutHalfway => write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .and_then(|_| stream.write_all(&body[..body.len() / 2])),
            };
            // Dropping the stream closes the connection.
        }
    });
    format!("http://{addr}/data/file.bin")
}

const BODY: &[u8] = b"0123456789abcdef the data set, as the publisher made it. 0123456789abcdef";

fn good_hash() -> String {
    sha256_hex(BODY).unwrap()
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("n2n-download-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// No file at all may be left in the cache after a failure: neither the
/// target nor a partial file that a later run could take for good data.
fn assert_cache_empty(dir: &Path) {
    let left: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().file_name()).collect(),
        Err(_) => Vec::new(),
    };
    assert!(left.is_empty(), "files left behind in the cache: {left:?}");
}

#[test]
fn a_good_file_is_downloaded_verified_and_then_read_from_the_cache() {
    let dir = fresh_dir("good");
    let url = serve(BODY, Reply::Good, 1);
    let urls = [url.as_str()];
    let hash = good_hash();
    let file = DataFile {
        name: "file.bin",
        urls: &urls,
        sha256: &hash,
    };
    let path = file.fetch(&Source::Cache(dir.clone())).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), BODY);
    // The server answers only once: a second fetch must come from the cache.
    let again = file.fetch(&Source::Cache(dir.clone())).unwrap();
    assert_eq!(again, path);
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec!["file.bin"]);
}

#[test]
fn a_404_is_its_own_error_and_leaves_nothing() {
    let dir = fresh_dir("404");
    let url = serve(BODY, Reply::NotFound, 1);
    let urls = [url.as_str()];
    let hash = good_hash();
    let file = DataFile {
        name: "file.bin",
        urls: &urls,
        sha256: &hash,
    };
    let err = file.fetch(&Source::Cache(dir.clone())).unwrap_err();
    let DownloadError::AllMirrorsFailed { errors, .. } = &err else {
        panic!("{err}")
    };
    assert!(
        matches!(errors[..], [DownloadError::Status { code: 404, .. }]),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains("HTTP 404") && text.contains(&url) && text.contains("file.bin"),
        "{text}"
    );
    assert!(
        text.contains("Offline?"),
        "the error says what to do offline: {text}"
    );
    assert_cache_empty(&dir);
}

#[test]
fn a_connection_closed_halfway_is_a_network_error_and_leaves_nothing() {
    let dir = fresh_dir("cut");
    let url = serve(BODY, Reply::CutHalfway, 1);
    let urls = [url.as_str()];
    let hash = good_hash();
    let file = DataFile {
        name: "file.bin",
        urls: &urls,
        sha256: &hash,
    };
    let err = file.fetch(&Source::Cache(dir.clone())).unwrap_err();
    let DownloadError::AllMirrorsFailed { errors, .. } = &err else {
        panic!("{err}")
    };
    assert!(
        matches!(errors[..], [DownloadError::Network { .. }]),
        "{err}"
    );
    assert_cache_empty(&dir);
}

#[test]
fn a_wrong_checksum_is_its_own_error_and_leaves_nothing() {
    let dir = fresh_dir("sum");
    let url = serve(BODY, Reply::Good, 1);
    let urls = [url.as_str()];
    let wrong = "0".repeat(64);
    let file = DataFile {
        name: "file.bin",
        urls: &urls,
        sha256: &wrong,
    };
    let err = file.fetch(&Source::Cache(dir.clone())).unwrap_err();
    let DownloadError::AllMirrorsFailed { errors, .. } = &err else {
        panic!("{err}")
    };
    match &errors[..] {
        [DownloadError::Checksum { actual, .. }] => assert_eq!(actual, &good_hash()),
        other => panic!("expected a checksum error, got {other:?}"),
    }
    assert!(err.to_string().contains("SHA-256"), "{err}");
    assert_cache_empty(&dir);
}

#[test]
fn the_second_mirror_is_tried_when_the_first_fails() {
    let dir = fresh_dir("mirror");
    let bad = serve(BODY, Reply::NotFound, 1);
    let good = serve(BODY, Reply::Good, 1);
    let urls = [bad.as_str(), good.as_str()];
    let hash = good_hash();
    let file = DataFile {
        name: "file.bin",
        urls: &urls,
        sha256: &hash,
    };
    let path = file.fetch(&Source::Cache(dir)).unwrap();
    assert_eq!(std::fs::read(path).unwrap(), BODY);
}

#[test]
fn a_corrupt_cached_copy_is_replaced() {
    let dir = fresh_dir("stale");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("file.bin"), b"half a file").unwrap();
    let url = serve(BODY, Reply::Good, 1);
    let urls = [url.as_str()];
    let hash = good_hash();
    let file = DataFile {
        name: "file.bin",
        urls: &urls,
        sha256: &hash,
    };
    let path = file.fetch(&Source::Cache(dir)).unwrap();
    assert_eq!(std::fs::read(path).unwrap(), BODY);
}

#[test]
fn a_provided_folder_is_used_without_network_and_its_gaps_are_named() {
    let dir = fresh_dir("provided");
    std::fs::create_dir_all(&dir).unwrap();
    // No server and an unroutable URL: any network use would fail the test.
    let urls = ["http://127.0.0.1:9/never"];
    let hash = good_hash();
    let file = DataFile {
        name: "file.bin",
        urls: &urls,
        sha256: &hash,
    };
    let source = Source::Provided {
        variable: "TEST_DATA_DIR".into(),
        dir: dir.clone(),
    };

    let err = file.fetch(&source).unwrap_err();
    assert!(matches!(err, DownloadError::MissingProvided { .. }));
    let text = err.to_string();
    assert!(
        text.contains("file.bin") && text.contains("TEST_DATA_DIR"),
        "{text}"
    );

    std::fs::write(dir.join("file.bin"), b"not the data").unwrap();
    assert!(matches!(
        file.fetch(&source),
        Err(DownloadError::Checksum { .. })
    ));

    std::fs::write(dir.join("file.bin"), BODY).unwrap();
    assert_eq!(file.fetch(&source).unwrap(), dir.join("file.bin"));
}

#[test]
fn a_folder_where_the_file_should_be_is_named_not_called_missing_or_downloaded_over() {
    // No server: a download attempt would fail with a network error instead.
    let urls = ["http://127.0.0.1:9/never"];
    let hash = good_hash();
    let file = DataFile {
        name: "file.bin",
        urls: &urls,
        sha256: &hash,
    };
    for (label, make_source) in [
        (
            "provided",
            (|dir: PathBuf| Source::Provided {
                variable: "TEST_DATA_DIR".into(),
                dir,
            }) as fn(PathBuf) -> Source,
        ),
        ("cached", |dir: PathBuf| Source::Cache(dir)),
    ] {
        let dir = fresh_dir(&format!("folder-as-file-{label}"));
        std::fs::create_dir_all(dir.join("file.bin")).unwrap();
        let err = file.fetch(&make_source(dir.clone())).unwrap_err();
        assert!(
            matches!(&err, DownloadError::NotAFile { path } if path == &dir.join("file.bin")),
            "{label}: {err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains("file.bin") && text.contains("folder") && !text.contains("missing"),
            "{label}: {text}"
        );
        // The folder is left as it was.
        assert!(dir.join("file.bin").is_dir(), "{label}");
    }
}
