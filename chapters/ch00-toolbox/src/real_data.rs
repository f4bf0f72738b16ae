//! Where the real data sets are, for the programs and for the tests.
//!
//! A data set's folder is found the same way everywhere:
//!
//! 1. If its environment variable (`FASHION_MNIST_DIR`, `HOUSING_DIR`) is set
//!    and not empty, the folder it names, and no other.
//! 2. Otherwise the workspace's cache, `data/<name>/` at the root of the book.
//!
//! The programs then download what the cache lacks
//! ([`crate::download::DataFile::fetch`]); a test never does.
//! [`RealData::locate`] answers the test's question, "are the files already
//! here?", without the network.
//!
//! A test on real data must not pass without checking anything. The crates
//! that have such tests run [`build_script`] from their `build.rs`, which sets
//! a flag such as `no_fashion_mnist` when the data cannot be found, and the
//! tests carry
//! `#[cfg_attr(no_fashion_mnist, ignore = "why, and how to get the data")]`:
//! `cargo test` then lists them as *ignored*, with the reason. Under CI (the
//! variable `CI` set) the flag is never set, so a missing data set fails the
//! tests instead of hiding them.
//!
//! This file uses the standard library alone: the build scripts compile it
//! as a module of their own (`#[path = "../ch00-toolbox/src/real_data.rs"]`),
//! so the build and the tests share one copy of these rules.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

/// A data set as the tests see it: its variable, its cache folder, the files
/// that must be there, and what to tell a reader who does not have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RealData {
    /// The data set's name in messages, e.g. "Fashion-MNIST".
    pub name: &'static str,
    /// The environment variable that names a folder holding the files.
    pub variable: &'static str,
    /// The folder's name under the workspace's `data/` cache.
    pub cache: &'static str,
    /// The files that must all be in the folder.
    pub files: &'static [&'static str],
    /// The `cfg` flag a build script sets when the data set is not found.
    pub missing_cfg: &'static str,
    /// The command that fills the cache, for a reader without the files.
    pub fill_command: &'static str,
}

/// Fashion-MNIST: the four gzipped IDX files of chapter 7.
pub const FASHION_MNIST: RealData = RealData {
    name: "Fashion-MNIST",
    variable: "FASHION_MNIST_DIR",
    cache: "fashion-mnist",
    files: &[
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    ],
    missing_cfg: "no_fashion_mnist",
    fill_command: "cargo run --release -p ch07-fashion-mnist",
};

/// California housing: the one CSV file of chapter 5.
pub const HOUSING: RealData = RealData {
    name: "California housing",
    variable: "HOUSING_DIR",
    cache: "housing",
    files: &["housing.csv"],
    missing_cfg: "no_housing",
    fill_command: "cargo run --release -p ch05-regression",
};

/// The root of the book's checkout. Every crate of the book sits two folders
/// below it (`chapters/chNN-topic`), so this is the same folder whether this
/// file is compiled into chapter 0 or into another chapter's build script.
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    match manifest.parent().and_then(Path::parent) {
        Some(root) => root.to_path_buf(),
        None => manifest.join("../.."),
    }
}

/// The workspace's download cache for the data set `name`: `data/<name>` at
/// the root of the book.
pub fn cache_dir(name: &str) -> PathBuf {
    workspace_root().join("data").join(name)
}

/// The folder `variable` names, when it is set and not empty.
pub fn variable_dir(variable: &str) -> Option<PathBuf> {
    dir_from_value(std::env::var_os(variable).as_deref())
}

/// A variable's value as a folder: `None` when unset or empty.
fn dir_from_value(value: Option<&OsStr>) -> Option<PathBuf> {
    value.filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Whether this runs under continuous integration: the variable `CI` is set
/// to anything but an empty string, `0` or `false`.
pub fn under_ci() -> bool {
    ci_from_value(std::env::var_os("CI"))
}

fn ci_from_value(value: Option<OsString>) -> bool {
    match value {
        None => false,
        Some(v) => !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false")),
    }
}

/// Where a data set was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// In the folder the variable names.
    Variable(PathBuf),
    /// In the workspace's cache.
    Cache(PathBuf),
}

impl Located {
    /// The folder that holds the files.
    pub fn dir(&self) -> &Path {
        match self {
            Located::Variable(dir) | Located::Cache(dir) => dir,
        }
    }
}

/// Why a data set's folder could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocateError {
    /// The variable names a folder that does not exist. The cache is not
    /// tried: a variable that is set is what the reader asked for.
    VariableFolderMissing {
        /// The data set's name.
        name: &'static str,
        /// The variable.
        variable: &'static str,
        /// The folder it names.
        dir: PathBuf,
    },
    /// The variable names a folder that lacks some of the files.
    VariableFilesMissing {
        /// The data set's name.
        name: &'static str,
        /// The variable.
        variable: &'static str,
        /// The folder it names.
        dir: PathBuf,
        /// The files that are not there.
        files: Vec<&'static str>,
    },
    /// The variable is not set and the cache lacks some (or all) of the files.
    NotFound {
        /// The data set's name.
        name: &'static str,
        /// The variable that is not set.
        variable: &'static str,
        /// The cache folder that was looked in.
        cache: PathBuf,
        /// The files the cache lacks.
        files: Vec<&'static str>,
        /// The command that fills the cache.
        fill_command: &'static str,
    },
}

impl fmt::Display for LocateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocateError::VariableFolderMissing {
                name,
                variable,
                dir,
            } => write!(
                f,
                "{name}: {variable} names {}, which is not a folder",
                dir.display()
            ),
            LocateError::VariableFilesMissing {
                name,
                variable,
                dir,
                files,
            } => write!(
                f,
                "{name}: {variable} names {}, which lacks {}",
                dir.display(),
                files.join(", ")
            ),
            LocateError::NotFound {
                name,
                variable,
                cache,
                files,
                fill_command,
            } => write!(
                f,
                "{name} not found: {variable} is not set and the cache {} lacks {}; \
                 set {variable} to a folder holding the files, or run `{fill_command}` \
                 once to fill the cache",
                cache.display(),
                files.join(", ")
            ),
        }
    }
}

impl std::error::Error for LocateError {}

impl RealData {
    /// The folder holding this data set, found as the programs find it (the
    /// variable, else the cache), but without downloading anything.
    pub fn locate(&self) -> Result<Located, LocateError> {
        self.locate_in(
            std::env::var_os(self.variable).as_deref(),
            &cache_dir(self.cache),
        )
    }

    /// [`RealData::locate`] with the variable's value and the cache folder
    /// given, rather than read from the environment.
    pub fn locate_in(
        &self,
        variable_value: Option<&OsStr>,
        cache: &Path,
    ) -> Result<Located, LocateError> {
        if let Some(dir) = dir_from_value(variable_value) {
            if !dir.is_dir() {
                return Err(LocateError::VariableFolderMissing {
                    name: self.name,
                    variable: self.variable,
                    dir,
                });
            }
            let files = self.missing_files(&dir);
            if !files.is_empty() {
                return Err(LocateError::VariableFilesMissing {
                    name: self.name,
                    variable: self.variable,
                    dir,
                    files,
                });
            }
            return Ok(Located::Variable(dir));
        }
        let files = self.missing_files(cache);
        if files.is_empty() {
            Ok(Located::Cache(cache.to_path_buf()))
        } else {
            Err(LocateError::NotFound {
                name: self.name,
                variable: self.variable,
                cache: cache.to_path_buf(),
                files,
                fill_command: self.fill_command,
            })
        }
    }

    /// The folder [`RealData::locate`] finds: what a test on real data reads.
    pub fn dir(&self) -> Result<PathBuf, LocateError> {
        self.locate().map(|found| found.dir().to_path_buf())
    }

    /// The files of this data set that are not in `dir`.
    fn missing_files(&self, dir: &Path) -> Vec<&'static str> {
        self.files
            .iter()
            .copied()
            .filter(|file| !dir.join(file).is_file())
            .collect()
    }

    /// Whether the tests on this data set should be ignored: only when the
    /// variable is not set, the cache lacks files, and this is not CI. A
    /// variable that names a wrong folder does not hide the tests: they run
    /// and fail with [`LocateError`]'s message.
    pub fn tests_are_ignored(&self) -> bool {
        !under_ci() && matches!(self.locate(), Err(LocateError::NotFound { .. }))
    }

    /// Prints the `cargo::` directives of [`build_script`] for this data set.
    pub fn print_build_directives(&self) {
        println!("cargo::rustc-check-cfg=cfg({})", self.missing_cfg);
        println!("cargo::rerun-if-env-changed={}", self.variable);
        if self.tests_are_ignored() {
            println!("cargo::rustc-cfg={}", self.missing_cfg);
        }
    }
}

/// The body of the `build.rs` of a crate with tests on real data: sets each
/// data set's `missing_cfg` flag when its tests should be ignored (see
/// [`RealData::tests_are_ignored`]), and asks Cargo to run the script again
/// when the answer may change: when a data set's variable or `CI` changes, or
/// when anything under the cache `data/` does (a first `cargo run` fills it).
pub fn build_script(data_sets: &[RealData]) {
    println!("cargo::rerun-if-env-changed=CI");
    for data in data_sets {
        data.print_build_directives();
    }
    // Cargo reruns a script on every build while a path it watches does not
    // exist, and rebuilds the crate each time. An empty `data/` (ignored by
    // git, and the folder the programs fill anyway) avoids that; if it
    // cannot be made, there is no cache to watch either.
    let data = workspace_root().join("data");
    if std::fs::create_dir_all(&data).is_ok() {
        println!("cargo::rerun-if-changed={}", data.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh, empty folder under the system's temporary folder, removed
    /// when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> TempDir {
            use std::sync::atomic::{AtomicU32, Ordering};
            static COUNTER: AtomicU32 = AtomicU32::new(0);
            let path = std::env::temp_dir().join(format!(
                "real-data-{tag}-{}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            TempDir(path)
        }

        /// The folder, holding the given (empty) files.
        fn with_files(tag: &str, files: &[&str]) -> TempDir {
            let dir = TempDir::new(tag);
            for file in files {
                std::fs::write(dir.0.join(file), b"").unwrap();
            }
            dir
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const TWO_FILES: RealData = RealData {
        name: "Two files",
        variable: "TWO_FILES_DIR",
        cache: "two-files",
        files: &["a.gz", "b.csv"],
        missing_cfg: "no_two_files",
        fill_command: "cargo run -p two-files",
    };

    #[test]
    fn a_set_variable_gives_its_folder_even_when_the_cache_is_full() {
        let provided = TempDir::with_files("provided", TWO_FILES.files);
        let cache = TempDir::with_files("cache", TWO_FILES.files);
        let found = TWO_FILES.locate_in(Some(provided.0.as_os_str()), &cache.0);
        assert_eq!(found, Ok(Located::Variable(provided.0.clone())));
    }

    #[test]
    fn without_the_variable_a_full_cache_is_used() {
        let cache = TempDir::with_files("cache", TWO_FILES.files);
        assert_eq!(
            TWO_FILES.locate_in(None, &cache.0),
            Ok(Located::Cache(cache.0.clone()))
        );
        // An empty value counts as unset, as it does for the programs.
        assert_eq!(
            TWO_FILES.locate_in(Some(OsStr::new("")), &cache.0),
            Ok(Located::Cache(cache.0.clone()))
        );
    }

    #[test]
    fn without_the_variable_or_a_full_cache_nothing_is_found() {
        let empty = TempDir::new("empty");
        let half = TempDir::with_files("half", &["b.csv"]);
        let absent = empty.0.join("never-made");
        for (cache, lacking) in [
            (&empty.0, vec!["a.gz", "b.csv"]),
            (&half.0, vec!["a.gz"]),
            (&absent, vec!["a.gz", "b.csv"]),
        ] {
            let Err(e) = TWO_FILES.locate_in(None, cache) else {
                panic!("found data in {}", cache.display())
            };
            assert_eq!(
                e,
                LocateError::NotFound {
                    name: "Two files",
                    variable: "TWO_FILES_DIR",
                    cache: cache.clone(),
                    files: lacking,
                    fill_command: "cargo run -p two-files",
                }
            );
            let message = e.to_string();
            assert!(message.contains("TWO_FILES_DIR is not set"), "{message}");
            assert!(message.contains("`cargo run -p two-files`"), "{message}");
        }
    }

    #[test]
    fn a_variable_naming_a_missing_folder_is_an_error_not_a_fallback() {
        let cache = TempDir::with_files("cache", TWO_FILES.files);
        let missing = cache.0.join("no-such-folder");
        let found = TWO_FILES.locate_in(Some(missing.as_os_str()), &cache.0);
        assert_eq!(
            found,
            Err(LocateError::VariableFolderMissing {
                name: "Two files",
                variable: "TWO_FILES_DIR",
                dir: missing.clone(),
            })
        );
        // A file where the folder should be is no folder either.
        let file = cache.0.join("a.gz");
        assert!(matches!(
            TWO_FILES.locate_in(Some(file.as_os_str()), &cache.0),
            Err(LocateError::VariableFolderMissing { .. })
        ));
    }

    #[test]
    fn a_variable_naming_a_folder_without_the_files_says_which_lack() {
        let cache = TempDir::with_files("cache", TWO_FILES.files);
        let provided = TempDir::with_files("provided", &["a.gz"]);
        let e = TWO_FILES
            .locate_in(Some(provided.0.as_os_str()), &cache.0)
            .unwrap_err();
        assert_eq!(
            e,
            LocateError::VariableFilesMissing {
                name: "Two files",
                variable: "TWO_FILES_DIR",
                dir: provided.0.clone(),
                files: vec!["b.csv"],
            }
        );
        assert!(e.to_string().ends_with("which lacks b.csv"), "{e}");
    }

    #[test]
    fn a_folder_where_a_file_should_be_does_not_count_as_the_file() {
        let cache = TempDir::with_files("cache", &["a.gz"]);
        std::fs::create_dir(cache.0.join("b.csv")).unwrap();
        assert!(matches!(
            TWO_FILES.locate_in(None, &cache.0),
            Err(LocateError::NotFound { files, .. }) if files == ["b.csv"]
        ));
    }

    #[test]
    fn ci_is_any_value_but_empty_zero_or_false() {
        for (value, ci) in [
            (None, false),
            (Some(""), false),
            (Some("0"), false),
            (Some("false"), false),
            (Some("FALSE"), false),
            (Some("true"), true),
            (Some("1"), true),
            (Some("yes"), true),
        ] {
            assert_eq!(ci_from_value(value.map(OsString::from)), ci, "{value:?}");
        }
    }

    #[test]
    fn the_cache_is_data_at_the_root_of_the_book() {
        let root = workspace_root();
        assert!(root.join("Cargo.toml").is_file(), "{}", root.display());
        assert!(root.join("chapters/ch00-toolbox").is_dir());
        assert_eq!(cache_dir("housing"), root.join("data").join("housing"));
    }

    #[test]
    fn each_data_set_has_its_own_flag_variable_and_cache() {
        let sets = [FASHION_MNIST, HOUSING];
        assert_ne!(sets[0].missing_cfg, sets[1].missing_cfg);
        assert_ne!(sets[0].variable, sets[1].variable);
        assert_ne!(sets[0].cache, sets[1].cache);
        for set in sets {
            assert!(set.missing_cfg.starts_with("no_"));
            assert!(set.variable.ends_with("_DIR"));
            assert!(!set.files.is_empty());
        }
    }
}
