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
//!    temporary file beside the cache entry, with a progress bar, while its
//!    SHA-256 is computed. Only a whole, verified file is renamed into place,
//!    so an interrupted or corrupt download never looks like good data later.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
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
    /// `default_cache`.
    pub fn from_env(variable: &str, default_cache: impl Into<PathBuf>) -> Source {
        match std::env::var_os(variable) {
            Some(dir) if !dir.is_empty() => Source::Provided {
                variable: variable.to_string(),
                dir: PathBuf::from(dir),
            },
            _ => Source::Cache(default_cache.into()),
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
/// root of the book's checkout.
pub fn default_cache_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
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
    // ANCHOR: fetch
    /// Returns the path of a verified copy of this file, downloading it into
    /// the cache first when needed (see the module documentation).
    pub fn fetch(&self, source: &Source) -> Result<PathBuf, DownloadError> {
        let path = source.dir().join(self.name);
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
                    self.download_into(dir)?;
                }
            }
        }
        Ok(path)
    }
    // ANCHOR_END: fetch

    /// Tries each mirror in turn until one delivers the file with the right
    /// hash into `dir`.
    fn download_into(&self, dir: &Path) -> Result<(), DownloadError> {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        let mut errors = Vec::new();
        for url in self.urls {
            match download_verified(url, &dir.join(self.name), self.sha256) {
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
/// The body goes to `dest` + `.part` while it streams in; the rename to `dest`
/// happens only after the whole body arrived and the hash matched, so `dest`
/// either does not exist or holds the verified file. On any error the partial
/// file is removed.
pub fn download_verified(url: &str, dest: &Path, sha256: &str) -> Result<(), DownloadError> {
    let part = dest.with_extension(match dest.extension() {
        Some(ext) => format!("{}.part", ext.to_string_lossy()),
        None => "part".to_string(),
    });
    let result = stream_to(url, &part).and_then(|actual| {
        if actual.eq_ignore_ascii_case(sha256) {
            fs::rename(&part, dest).map_err(io_err(dest))
        } else {
            Err(DownloadError::Checksum {
                file: url.to_string(),
                expected: sha256.to_string(),
                actual,
            })
        }
    });
    if result.is_err() {
        let _ = fs::remove_file(&part);
    }
    result
}
// ANCHOR_END: download_verified

/// Streams the body of `url` into `path` with a progress bar, and returns its
/// SHA-256.
fn stream_to(url: &str, path: &Path) -> Result<String, DownloadError> {
    let net = |reason: String| DownloadError::Network {
        url: url.to_string(),
        reason,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_recv_body(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .build()
        .into();
    let response = agent.get(url).call().map_err(|e| net(e.to_string()))?;
    let code = response.status().as_u16();
    if !(200..300).contains(&code) {
        return Err(DownloadError::Status {
            url: url.to_string(),
            code,
        });
    }
    let expected_len = response.body().content_length();
    let mut body = response
        .into_body()
        .into_with_config()
        .limit(u64::MAX)
        .reader();

    let bar = match expected_len {
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

    let file = File::create(path).map_err(io_err(path))?;
    let mut out = BufWriter::new(file);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut received: u64 = 0;
    loop {
        let n = body
            .read(&mut buf)
            .map_err(|e| net(format!("connection broke after {received} bytes: {e}")))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(io_err(path))?;
        received += n as u64;
        bar.set_position(received);
    }
    bar.finish_and_clear();
    if let Some(n) = expected_len
        && received != n
    {
        return Err(net(format!("body ended after {received} of {n} bytes")));
    }
    let file = out.into_inner().map_err(|e| io_err(path)(e.into_error()))?;
    file.sync_all().map_err(io_err(path))?;
    Ok(hex(&hasher.finalize()))
}
