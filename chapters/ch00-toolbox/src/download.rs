//! Fetching a data file once, safely.
//!
//! The housing and Fashion-MNIST chapters need files that do not live in git.
//! [`DataFile::fetch`] gets one for them, in this order:
//!
//! 1. If the environment variable the chapter names (for example
//!    `FASHION_MNIST_DIR`) is set, the file must already be in that folder. No
//!    network is used; a missing or corrupt file is an error that says so.
//! 2. Otherwise, if the cache folder holds the file and its SHA-256 matches,
//!    that copy is used.
//! 3. Otherwise each mirror URL is tried in turn. The body streams into a
//!    temporary file of its own beside the cache entry, with a progress bar.
//!    The file on disk is hashed, and only a whole, verified file is renamed
//!    into place, so an interrupted or corrupt download never looks like good
//!    data later, and two fetches of the same file at once cannot spoil each
//!    other's work.
//!
//! A mirror is given up when it sends nothing at all for the *stall limit*
//! ([`FetchOptions::stall_limit`], 30 seconds unless set otherwise): a server
//! that accepts the connection and never answers, one that stops halfway
//! through the response head, and one that stops halfway through the body.
//! A download that is slow but still moving is never cut off.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

/// One file of a data set: its name, where to get it, and what it must hash to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataFile<'a> {
    /// The file name in the cache (and in the folder the variable points at).
    pub name: &'a str,
    /// Mirrors to try in order; the first that delivers good data wins.
    pub urls: &'a [&'a str],
    /// The published SHA-256 of the file, as 64 lowercase hex digits.
    pub sha256: &'a str,
}

// ANCHOR: options
/// How long a download may receive nothing before its mirror is given up,
/// unless [`FetchOptions`] say otherwise.
pub const DEFAULT_STALL_LIMIT: Duration = Duration::from_secs(30);

/// How patient a download is, and whether it shows its progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchOptions {
    /// The longest a mirror may send nothing: while connecting, while the
    /// response head comes in (the head is a few hundred bytes and must arrive
    /// whole within this time), and between any two reads of the body. There
    /// is no limit on the whole download, so a slow line that keeps moving
    /// gets the file in the end.
    pub stall_limit: Duration,
    /// Draw a progress bar on standard error. It is drawn only when standard
    /// error is a terminal, so logs and tests stay clean either way.
    pub progress: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            stall_limit: DEFAULT_STALL_LIMIT,
            progress: true,
        }
    }
}
// ANCHOR_END: options

/// Where a data set's files are looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder the user named with an environment variable: use only what is
    /// there, never the network.
    Provided {
        /// The variable, e.g. `FASHION_MNIST_DIR`.
        variable: String,
        /// Its value.
        dir: PathBuf,
    },
    /// The download cache: files are fetched into it when missing.
    Cache(PathBuf),
}

impl Source {
    /// The folder `variable` names when it is set (and not empty), else
    /// `default_cache`. The rule is
    /// [`crate::real_data::variable_dir`]'s, which the tests on real data
    /// share.
    pub fn from_env(variable: &str, default_cache: impl Into<PathBuf>) -> Source {
        match crate::real_data::variable_dir(variable) {
            Some(dir) => Source::Provided {
                variable: variable.to_string(),
                dir,
            },
            None => Source::Cache(default_cache.into()),
        }
    }

    /// The folder this source reads from.
    pub fn dir(&self) -> &Path {
        match self {
            Source::Provided { dir, .. } => dir,
            Source::Cache(dir) => dir,
        }
    }
}

/// The workspace's own download cache for a data set: `data/<name>` at the
/// root of the book's checkout (see [`crate::real_data::cache_dir`], which
/// the tests on real data share).
pub fn default_cache_dir(name: &str) -> PathBuf {
    crate::real_data::cache_dir(name)
}

/// Everything that can go wrong while getting a data file. Each variant names
/// the file and says what to do about it.
#[derive(Debug)]
pub enum DownloadError {
    /// The folder an environment variable points at does not hold the file.
    MissingProvided {
        /// The file that is missing.
        file: PathBuf,
        /// The variable that pointed at the folder.
        variable: String,
    },
    /// A folder (or anything else that is not a file) stands where the
    /// data file should be, provided or cached.
    NotAFile {
        /// The path that should be a file.
        path: PathBuf,
    },
    /// A file on disk (provided, cached or freshly fetched) has the wrong hash.
    Checksum {
        /// The file that was checked, or the URL it came from.
        file: String,
        /// The SHA-256 it should have.
        expected: String,
        /// The SHA-256 it has.
        actual: String,
    },
    /// The server answered with an HTTP error status.
    Status {
        /// The URL asked for.
        url: String,
        /// The status code, e.g. 404.
        code: u16,
    },
    /// The connection failed or broke off before the whole file arrived.
    Network {
        /// The URL asked for.
        url: String,
        /// What the HTTP client or the socket said.
        reason: String,
    },
    /// The server sent nothing for longer than the stall limit.
    Stalled {
        /// The URL asked for.
        url: String,
        /// What we were waiting for, e.g. "the response head".
        waiting_for: String,
        /// The stall limit that ran out.
        limit: Duration,
    },
    /// Every mirror failed; the errors are in the order the mirrors were tried.
    AllMirrorsFailed {
        /// The file we wanted.
        name: String,
        /// Where it should go, for a user who downloads it by hand.
        dir: PathBuf,
        /// Each mirror's error.
        errors: Vec<DownloadError>,
    },
    /// Reading or writing the local file system failed.
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadError::MissingProvided { file, variable } => write!(
                f,
                "{} is missing: {variable} points at {}, so the file must be there \
                 (unset {variable} to download it instead)",
                file.display(),
                file.parent().unwrap_or(Path::new(".")).display()
            ),
            DownloadError::NotAFile { path } => write!(
                f,
                "{}: a folder stands where this data file should be; move it away \
                 and try again",
                path.display()
            ),
            DownloadError::Checksum {
                file,
                expected,
                actual,
            } => write!(
                f,
                "{file}: SHA-256 is {actual}, expected {expected}; the file is corrupt or \
                 not the published one"
            ),
            DownloadError::Status { url, code } => {
                write!(f, "{url}: the server answered HTTP {code}")
            }
            DownloadError::Network { url, reason } => write!(f, "{url}: {reason}"),
            DownloadError::Stalled {
                url,
                waiting_for,
                limit,
            } => write!(
                f,
                "{url}: stalled, no data for {limit:?} while waiting for {waiting_for}"
            ),
            DownloadError::AllMirrorsFailed { name, dir, errors } => {
                write!(f, "could not download {name}")?;
                for e in errors {
                    write!(f, "; {e}")?;
                }
                write!(
                    f,
                    ". Offline? Put {name} into {} by hand, or point the data set's \
                     variable at a folder that holds it",
                    dir.display()
                )
            }
            DownloadError::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for DownloadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DownloadError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> DownloadError + '_ {
    move |source| DownloadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The SHA-256 of everything `reader` yields, as lowercase hex.
pub fn sha256_hex(mut reader: impl Read) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks that the file at `path` hashes to `expected`.
pub fn verify_file(path: &Path, expected: &str) -> Result<(), DownloadError> {
    let file = File::open(path).map_err(io_err(path))?;
    let actual = sha256_hex(io::BufReader::new(file)).map_err(io_err(path))?;
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(DownloadError::Checksum {
            file: path.display().to_string(),
            expected: expected.to_string(),
            actual,
        })
    }
}

impl DataFile<'_> {
    /// Returns the path of a verified copy of this file, downloading it into
    /// the cache first when needed (see the module documentation), with the
    /// default [`FetchOptions`].
    pub fn fetch(&self, source: &Source) -> Result<PathBuf, DownloadError> {
        self.fetch_with(source, &FetchOptions::default())
    }

    // ANCHOR: fetch
    /// [`DataFile::fetch`] with a chosen stall limit and progress display.
    pub fn fetch_with(
        &self,
        source: &Source,
        options: &FetchOptions,
    ) -> Result<PathBuf, DownloadError> {
        let path = source.dir().join(self.name);
        // A folder where the file should be is neither "missing" nor something
        // to download over.
        if path.exists() && !path.is_file() {
            return Err(DownloadError::NotAFile { path });
        }
        match source {
            Source::Provided { variable, .. } => {
                if !path.is_file() {
                    return Err(DownloadError::MissingProvided {
                        file: path,
                        variable: variable.clone(),
                    });
                }
                verify_file(&path, self.sha256)?;
            }
            Source::Cache(dir) => {
                // A cached copy is trusted only if it still hashes right.
                if !(path.is_file() && verify_file(&path, self.sha256).is_ok()) {
                    self.download_into(dir, options)?;
                }
            }
        }
        Ok(path)
    }
    // ANCHOR_END: fetch

    /// Tries each mirror in turn until one delivers the file with the right
    /// hash into `dir`.
    fn download_into(&self, dir: &Path, options: &FetchOptions) -> Result<(), DownloadError> {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        let mut errors = Vec::new();
        for url in self.urls {
            match download_verified(url, &dir.join(self.name), self.sha256, options) {
                Ok(()) => return Ok(()),
                Err(e) => errors.push(e),
            }
        }
        Err(DownloadError::AllMirrorsFailed {
            name: self.name.to_string(),
            dir: dir.to_path_buf(),
            errors,
        })
    }
}

// ANCHOR: download_verified
/// Downloads `url` to `dest` if and only if its body hashes to `sha256`.
///
/// The body goes to a temporary file that this call alone created, beside
/// `dest`. Once the whole body is on disk, *that file* is hashed; only if the
/// hash matches is it renamed to `dest`, in one atomic step. So `dest` either
/// does not exist or holds a verified file, however many fetches run at once.
/// On any error the temporary file is removed.
pub fn download_verified(
    url: &str,
    dest: &Path,
    sha256: &str,
    options: &FetchOptions,
) -> Result<(), DownloadError> {
    let response = open(url, options)?;
    let (temp, file) = TempFile::create_beside(dest)?;
    receive(url, response, file, temp.path(), options)?;
    verify_file(temp.path(), sha256).map_err(|e| match e {
        DownloadError::Checksum {
            expected, actual, ..
        } => DownloadError::Checksum {
            file: url.to_string(),
            expected,
            actual,
        },
        other => other,
    })?;
    temp.rename_to(dest, sha256)
}
// ANCHOR_END: download_verified

// ANCHOR: open
/// Sends the request and waits for the response head, giving up when the
/// mirror is silent for the stall limit.
fn open(
    url: &str,
    options: &FetchOptions,
) -> Result<ureq::http::Response<ureq::Body>, DownloadError> {
    let stall = Some(options.stall_limit);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_resolve(stall)
        .timeout_connect(stall)
        .timeout_send_request(stall)
        .timeout_recv_response(stall)
        // Every single read and write of the socket, head and body alike:
        // this is what catches a stall, and it restarts with each read.
        .timeout_per_read(stall)
        .timeout_per_write(stall)
        // No budget for the body as a whole: a slow download is fine.
        .timeout_recv_body(None)
        .http_status_as_error(false)
        .build()
        .into();
    let response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Timeout(ureq::Timeout::Resolve) => stalled(url, "the name lookup", options),
        ureq::Error::Timeout(ureq::Timeout::Connect) => stalled(url, "the connection", options),
        ureq::Error::Timeout(_) => stalled(url, "the response head", options),
        other => DownloadError::Network {
            url: url.to_string(),
            reason: other.to_string(),
        },
    })?;
    let code = response.status().as_u16();
    if !(200..300).contains(&code) {
        return Err(DownloadError::Status {
            url: url.to_string(),
            code,
        });
    }
    Ok(response)
}
// ANCHOR_END: open

fn stalled(url: &str, waiting_for: &str, options: &FetchOptions) -> DownloadError {
    DownloadError::Stalled {
        url: url.to_string(),
        waiting_for: waiting_for.to_string(),
        limit: options.stall_limit,
    }
}

/// Streams the body of `response` into `file` (at `path`), with a progress
/// bar, and makes sure it is on disk before closing the file.
fn receive(
    url: &str,
    response: ureq::http::Response<ureq::Body>,
    file: File,
    path: &Path,
    options: &FetchOptions,
) -> Result<(), DownloadError> {
    let expected_len = response.body().content_length();
    let mut body = response
        .into_body()
        .into_with_config()
        .limit(u64::MAX)
        .reader();
    let bar = progress_bar(url, expected_len, options);
    let mut out = BufWriter::new(file);
    let mut buf = vec![0u8; 1 << 16];
    let mut received: u64 = 0;
    let result = loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) => {
                break Err(match ureq::Error::from(e) {
                    ureq::Error::Timeout(_) => {
                        stalled(url, &format!("the body after {received} bytes"), options)
                    }
                    other => DownloadError::Network {
                        url: url.to_string(),
                        reason: format!("connection broke after {received} bytes: {other}"),
                    },
                });
            }
        };
        if let Err(e) = out.write_all(&buf[..n]) {
            break Err(io_err(path)(e));
        }
        received += n as u64;
        bar.set_position(received);
    };
    bar.finish_and_clear();
    result?;
    if let Some(n) = expected_len
        && received != n
    {
        return Err(DownloadError::Network {
            url: url.to_string(),
            reason: format!("body ended after {received} of {n} bytes"),
        });
    }
    let file = out.into_inner().map_err(|e| io_err(path)(e.into_error()))?;
    file.sync_all().map_err(io_err(path))
}

/// A bar with bytes, rate and time left when the length is known, a spinner
/// otherwise; hidden when `options` say so (and, by `indicatif`, whenever
/// standard error is not a terminal).
fn progress_bar(url: &str, len: Option<u64>, options: &FetchOptions) -> ProgressBar {
    if !options.progress {
        return ProgressBar::hidden();
    }
    let bar = match len {
        Some(n) => ProgressBar::new(n).with_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner(),
    };
    let name = url.rsplit('/').next().unwrap_or(url);
    bar.set_message(format!("downloading {name}"));
    bar
}

// ANCHOR: temp_file
/// A temporary file that belongs to one download: created new (never
/// opened if it exists), named after the target, this process, a counter and
/// a random number, and removed when dropped unless it was renamed into place.
struct TempFile {
    path: PathBuf,
    renamed: bool,
}

impl TempFile {
    /// Creates `<name>.<process id>.<counter>.<random>.part` beside `dest`,
    /// and returns it with the file opened for writing.
    fn create_beside(dest: &Path) -> Result<(TempFile, File), DownloadError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let name = dest.file_name().unwrap_or_default().to_string_lossy();
        let mut attempts = 0;
        loop {
            let count = COUNTER.fetch_add(1, Ordering::Relaxed);
            let random = RandomState::new().build_hasher().finish() & 0xffff_ffff;
            let path = dest.with_file_name(format!(
                "{name}.{}.{count}.{random:08x}.part",
                std::process::id()
            ));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    let temp = TempFile {
                        path,
                        renamed: false,
                    };
                    return Ok((temp, file));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => {
                    attempts += 1;
                }
                Err(e) => return Err(io_err(&path)(e)),
            }
        }
    }

    fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the (verified) file to `dest`, replacing what is there. Where
    /// the system refuses to replace a file that is in use, a `dest` that
    /// already hashes to `sha256` (another fetch's work) is just as good.
    fn rename_to(mut self, dest: &Path, sha256: &str) -> Result<(), DownloadError> {
        match fs::rename(&self.path, dest) {
            Ok(()) => {
                self.renamed = true;
                Ok(())
            }
            Err(_) if verify_file(dest, sha256).is_ok() => Ok(()),
            Err(e) => Err(io_err(dest)(e)),
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = fs::remove_file(&self.path);
        }
    }
}
// ANCHOR_END: temp_file
