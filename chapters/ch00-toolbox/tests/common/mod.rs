//! A small HTTP server on 127.0.0.1 that misbehaves on purpose, and a few
//! tools the download tests share.
//!
//! Every connection the server holds open is closed after at most
//! [`HOLD`], so a test that forgets a stalled connection still ends by itself.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// The longest a misbehaving server keeps a connection open without sending.
pub const HOLD: Duration = Duration::from_secs(15);

/// How the server answers each connection.
#[derive(Clone, Copy, Debug)]
pub enum Behaviour {
    /// 200 and the whole body at once.
    Good,
    /// Accepts the connection, reads the request, never answers.
    Silent,
    /// Sends the first half of a response head, then nothing.
    HalfHead,
    /// Sends the head and half the body, then nothing.
    BodyStall,
    /// Sends the head, then the body in `chunks` equal pieces with `pause`
    /// between them: slow, but never silent for a whole `pause`.
    Dribble {
        /// Number of pieces.
        chunks: usize,
        /// The gap before each piece.
        pause: Duration,
    },
}

/// A server on a fresh port; `url` ends in `/data/file.bin`.
pub struct Server {
    /// The URL to fetch.
    pub url: String,
    /// How many connections it has accepted so far.
    pub hits: Arc<AtomicUsize>,
}

/// Starts a server that answers every connection (up to `max_connections`)
/// the same way, each in its own thread so that fetches can overlap.
pub fn serve(body: Arc<Vec<u8>>, behaviour: Behaviour, max_connections: usize) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    thread::spawn(move || {
        for stream in listener.incoming().take(max_connections) {
            let Ok(stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            thread::spawn(move || answer(stream, &body, behaviour));
        }
    });
    Server {
        url: format!("http://{addr}/data/file.bin"),
        hits,
    }
}

fn answer(mut stream: TcpStream, body: &[u8], behaviour: Behaviour) {
    // Read the request head up to the blank line.
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 2 {
        line.clear();
    }
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = match behaviour {
        Behaviour::Good => stream
            .write_all(head.as_bytes())
            .and_then(|_| stream.write_all(body)),
        Behaviour::Silent => {
            thread::sleep(HOLD);
            Ok(())
        }
        Behaviour::HalfHead => {
            let r = stream.write_all(&head.as_bytes()[..head.len() / 2]);
            thread::sleep(HOLD);
            r
        }
        Behaviour::BodyStall => {
            let r = stream
                .write_all(head.as_bytes())
                .and_then(|_| stream.write_all(&body[..body.len() / 2]));
            thread::sleep(HOLD);
            r
        }
        Behaviour::Dribble { chunks, pause } => {
            let r = stream.write_all(head.as_bytes());
            let size = body.len().div_ceil(chunks);
            r.and_then(|_| {
                for piece in body.chunks(size) {
                    thread::sleep(pause);
                    stream.write_all(piece)?;
                    stream.flush()?;
                }
                Ok(())
            })
        }
    };
    // Dropping the stream closes the connection.
}

/// A short body for the stall tests.
pub fn small_body() -> Arc<Vec<u8>> {
    Arc::new(b"0123456789abcdef the data set, as the publisher made it. 0123456789abcdef".to_vec())
}

/// `len` bytes that do not repeat in any short period (a xorshift stream), so
/// that a piece written at the wrong offset changes the hash.
pub fn big_body(len: usize) -> Arc<Vec<u8>> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    Arc::new(bytes)
}

/// An empty folder under the system's temporary folder, unique to this
/// process and `name`.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("n2n-download-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The names of the files in `dir` (none if it does not exist), sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

/// No file at all may be left in the cache after a failure: neither the
/// target nor a partial file that a later run could take for good data.
pub fn assert_cache_empty(dir: &Path) {
    let left = files_in(dir);
    assert!(left.is_empty(), "files left behind in the cache: {left:?}");
}

/// Runs `f` on its own thread and returns its result with the time it took,
/// or panics if it has not returned after `limit`: a fetch that hangs fails
/// the test instead of hanging it.
pub fn within<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> (T, Duration) {
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => (value, start.elapsed()),
        Err(_) => panic!("still running after {limit:?}: the fetch hangs"),
    }
}
