//! Helpers shared by the integration tests: a temporary folder and small
//! IDX files built on the spot.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use ch07_fashion_mnist::idx::encode_idx;

/// A fresh folder under the system's temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("ch07-test-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `bytes` into the file `name` and returns its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// The pixel value of image `i` at `(r, c)` in the generated files.
pub fn pixel(i: usize, r: usize, c: usize) -> u8 {
    ((i * 31 + r * 7 + c * 3) % 256) as u8
}

/// An uncompressed IDX image file of `n` images of `rows × cols`.
pub fn images_idx(n: usize, rows: usize, cols: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(n * rows * cols);
    for i in 0..n {
        for r in 0..rows {
            for c in 0..cols {
                data.push(pixel(i, r, c));
            }
        }
    }
    encode_idx(&[n as u32, rows as u32, cols as u32], &data).unwrap()
}

/// The label of sample `i` in the generated files.
pub fn label(i: usize) -> u8 {
    ((i * 3) % 10) as u8
}

/// An uncompressed IDX label file of `n` labels.
pub fn labels_idx(n: usize) -> Vec<u8> {
    let data: Vec<u8> = (0..n).map(label).collect();
    encode_idx(&[n as u32], &data).unwrap()
}

/// Writes a small, well-formed, gzipped data set under the four usual names.
pub fn write_data_set(dir: &TempDir, n_train: usize, n_test: usize) {
    dir.write(
        "train-images-idx3-ubyte.gz",
        &gzip(&images_idx(n_train, 28, 28)),
    );
    dir.write("train-labels-idx1-ubyte.gz", &gzip(&labels_idx(n_train)));
    dir.write(
        "t10k-images-idx3-ubyte.gz",
        &gzip(&images_idx(n_test, 28, 28)),
    );
    dir.write("t10k-labels-idx1-ubyte.gz", &gzip(&labels_idx(n_test)));
}
