//! The whole data set: where its four files come from, how they are checked,
//! and the training, validation and test splits.

use std::path::{Path, PathBuf};

use ch00_toolbox::download::{DataFile, DownloadError, Source, default_cache_dir};

use crate::error::DataError;
use crate::split::Split;

/// The environment variable that names a folder already holding the files.
pub const ENV_VAR: &str = "FASHION_MNIST_DIR";

/// The number of training images in the files.
pub const TRAIN_SIZE: usize = 60_000;
/// The number of test images in the files.
pub const TEST_SIZE: usize = 10_000;
/// How many of the training images are held out for validation: the first
/// 5 000, as in the reference Keras notebook.
pub const VALIDATION_SIZE: usize = 5_000;

/// The two mirrors, in the order they are tried: Zalando's own bucket (the
/// one the data set's README and torchvision use), then the copy Keras and
/// TensorFlow download.
macro_rules! mirrors {
    ($name:literal) => {
        &[
            concat!(
                "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                $name
            ),
            concat!(
                "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
                $name
            ),
        ]
    };
}

// ANCHOR: files
/// The 60 000 training images.
pub const TRAIN_IMAGES: DataFile<'static> = DataFile {
    name: "train-images-idx3-ubyte.gz",
    urls: mirrors!("train-images-idx3-ubyte.gz"),
    sha256: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
};
/// Their labels.
pub const TRAIN_LABELS: DataFile<'static> = DataFile {
    name: "train-labels-idx1-ubyte.gz",
    urls: mirrors!("train-labels-idx1-ubyte.gz"),
    sha256: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
};
/// The 10 000 test images.
pub const TEST_IMAGES: DataFile<'static> = DataFile {
    name: "t10k-images-idx3-ubyte.gz",
    urls: mirrors!("t10k-images-idx3-ubyte.gz"),
    sha256: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
};
/// Their labels.
pub const TEST_LABELS: DataFile<'static> = DataFile {
    name: "t10k-labels-idx1-ubyte.gz",
    urls: mirrors!("t10k-labels-idx1-ubyte.gz"),
    sha256: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
};
// ANCHOR_END: files

/// The four files, in the order they are fetched.
pub const FILES: [DataFile<'static>; 4] = [TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS];

/// Where [`FashionMnist::load`] looks: the folder `FASHION_MNIST_DIR` names if
/// it is set, else the cache `data/fashion-mnist/` at the root of the book.
pub fn default_source() -> Source {
    Source::from_env(ENV_VAR, tidy(&default_cache_dir("fashion-mnist")))
}

/// `a/b/../c` → `a/c`, without touching the file system (the folder may not
/// exist yet), so that messages show a readable path.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Fashion-MNIST in memory: the 60 000 training and 10 000 test samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FashionMnist {
    /// The training split as published (60 000 samples, the validation
    /// samples included).
    pub train: Split,
    /// The test split (10 000 samples).
    pub test: Split,
}

/// The three splits a training run uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splits {
    /// The samples to train on (the last 55 000 training images).
    pub train: Split,
    /// The samples to watch during training (the first 5 000).
    pub valid: Split,
    /// The samples to measure once at the end (10 000).
    pub test: Split,
}

/// What [`FashionMnist::load_with_report`] checked, file by file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The file on disk.
    pub path: PathBuf,
    /// Its size in bytes (compressed).
    pub bytes: u64,
    /// The published SHA-256 it matched.
    pub sha256: &'static str,
    /// The shape of the array it holds.
    pub shape: Vec<usize>,
}

// ANCHOR: load
impl FashionMnist {
    /// Loads the data set from the folder `FASHION_MNIST_DIR` names, or else
    /// from the cache `data/fashion-mnist/`, downloading missing files into it.
    /// Every file is checked against its published SHA-256 before it is read.
    pub fn load() -> Result<FashionMnist, DataError> {
        Self::load_with_report(&default_source()).map(|(data, _)| data)
    }

    /// Loads the four files from `dir`, checking their SHA-256, without
    /// using the network.
    pub fn load_from(dir: &Path) -> Result<FashionMnist, DataError> {
        let source = Source::Provided {
            variable: ENV_VAR.to_string(),
            dir: dir.to_path_buf(),
        };
        Self::load_with_report(&source).map(|(data, _)| data)
    }
    // ANCHOR_END: load

    // ANCHOR: load_with_report
    /// Fetches (see [`DataFile::fetch`]), verifies and parses the four files
    /// from `source`, and reports what it found in each.
    pub fn load_with_report(source: &Source) -> Result<(FashionMnist, Vec<FileReport>), DataError> {
        let paths = fetch_all(source)?;
        let data = Self::read_files(&paths)?;
        let shapes = [
            data.train.images.shape().to_vec(),
            data.train.labels.shape().to_vec(),
            data.test.images.shape().to_vec(),
            data.test.labels.shape().to_vec(),
        ];
        let mut reports = Vec::with_capacity(4);
        for ((path, file), shape) in paths.into_iter().zip(FILES).zip(shapes) {
            let bytes = std::fs::metadata(&path)
                .map_err(|source| DataError::Io {
                    file: path.clone(),
                    source,
                })?
                .len();
            let sha256 = file.sha256;
            reports.push(FileReport {
                path,
                bytes,
                sha256,
                shape,
            });
        }
        Ok((data, reports))
    }
    // ANCHOR_END: load_with_report

    /// Reads the four files from `dir` by their usual names *without*
    /// checking their SHA-256: for copies you made yourself (the tests use it
    /// on small generated files). Gzipped and plain IDX files both work.
    pub fn load_unverified(dir: &Path) -> Result<FashionMnist, DataError> {
        if let Some(e) = folder_for_a_file(dir) {
            return Err(e);
        }
        let missing = missing_files(dir);
        if !missing.is_empty() {
            return Err(DataError::Missing {
                dir: dir.to_path_buf(),
                files: missing,
                variable: None,
                cause: None,
            });
        }
        Self::read_files(&FILES.map(|f| dir.join(f.name)))
    }

    /// Parses the files at `paths` (train images, train labels, test images,
    /// test labels). The training files are read on a second thread while
    /// this one reads the test files.
    fn read_files(paths: &[PathBuf; 4]) -> Result<FashionMnist, DataError> {
        let (train, test) = std::thread::scope(|scope| {
            let train = scope.spawn(|| Split::from_files(&paths[0], &paths[1]));
            let test = Split::from_files(&paths[2], &paths[3]);
            (train.join(), test)
        });
        let train = train.map_err(|_| DataError::Gzip {
            file: paths[0].clone(),
            reason: "the reading thread stopped unexpectedly".to_string(),
        })??;
        Ok(FashionMnist { train, test: test? })
    }

    // ANCHOR: validation_split
    /// The training split cut in two, as in the reference Keras notebook:
    /// the first 5 000 images for validation and the other 55 000 for
    /// training. Returns `(train, valid)`; both are copies, so `self` keeps
    /// the whole set (use [`into_splits`](FashionMnist::into_splits) to avoid
    /// the copy). A training split smaller than 5 000 goes entirely to
    /// validation.
    pub fn validation_split(&self) -> (Split, Split) {
        let n = self.train.len();
        let cut = VALIDATION_SIZE.min(n);
        (self.train.rows(cut..n), self.train.rows(0..cut))
    }

    /// The same three-way split, consuming the data set: only the 5 000
    /// validation images are copied, the 55 000 training images stay where
    /// they were loaded.
    pub fn into_splits(self) -> Splits {
        let FashionMnist { mut train, test } = self;
        let cut = VALIDATION_SIZE.min(train.len());
        // `cut` is at most the length, so this cannot fail; if it did, the
        // validation split would be empty and the training split whole.
        let valid = train
            .split_off_front(cut)
            .unwrap_or_else(|_| train.rows(0..0));
        Splits { train, valid, test }
    }
    // ANCHOR_END: validation_split
}

/// A folder that stands in `dir` where one of the four files should be:
/// chapter 0's error of its own ([`DownloadError::NotAFile`]), for it is not
/// missing, and no download replaces it. Checked for all four files before
/// any is looked for, so that it is not reported as a missing file.
fn folder_for_a_file(dir: &Path) -> Option<DataError> {
    let path = FILES
        .iter()
        .map(|f| dir.join(f.name))
        .find(|p| p.exists() && !p.is_file())?;
    Some(DataError::from(DownloadError::NotAFile { path }))
}

/// The names of the files that are not in `dir`.
fn missing_files(dir: &Path) -> Vec<String> {
    FILES
        .iter()
        .filter(|f| !dir.join(f.name).is_file())
        .map(|f| f.name.to_string())
        .collect()
}

// ANCHOR: fetch_all
/// Gets a verified path for each of the four files. A folder named by the
/// variable must hold all four; the cache is filled from the mirrors.
fn fetch_all(source: &Source) -> Result<[PathBuf; 4], DataError> {
    if let Some(e) = folder_for_a_file(source.dir()) {
        return Err(e);
    }
    if let Source::Provided { variable, dir } = source {
        let missing = missing_files(dir);
        if !missing.is_empty() {
            return Err(DataError::Missing {
                dir: dir.clone(),
                files: missing,
                variable: Some(variable.clone()),
                cause: None,
            });
        }
    }
    let mut paths: [PathBuf; 4] = Default::default();
    for (path, file) in paths.iter_mut().zip(FILES) {
        *path = file.fetch(source).map_err(|e| match e {
            DownloadError::AllMirrorsFailed { .. } => DataError::Missing {
                dir: source.dir().to_path_buf(),
                files: missing_files(source.dir()),
                variable: None,
                cause: Some(Box::new(e)),
            },
            other => DataError::from(other),
        })?;
    }
    Ok(paths)
}
// ANCHOR_END: fetch_all
