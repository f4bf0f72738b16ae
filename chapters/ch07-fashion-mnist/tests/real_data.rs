//! Tests on the real Fashion-MNIST files, found as the programs find them:
//! the folder FASHION_MNIST_DIR names (CI points it at
//! ../shared/data/fashion-mnist), else the cache data/fashion-mnist. Without
//! either, `cargo test` lists them as ignored, with the reason; under CI
//! they fail instead.

mod common;

use std::path::PathBuf;

use ch00_toolbox::download::Source;
use ch00_toolbox::real_data::FASHION_MNIST;
use ch07_fashion_mnist::dataset::{ENV_VAR, FILES, TEST_SIZE, TRAIN_SIZE};
use ch07_fashion_mnist::{FashionMnist, NUM_CLASSES, VALIDATION_SIZE};
use ndarray::{Array2, Axis, s};

/// The folder of the real files; a test that gets here without them fails,
/// saying why.
fn data_dir() -> PathBuf {
    FASHION_MNIST.dir().unwrap_or_else(|e| panic!("{e}"))
}

/// The published sizes of the four .gz files, in the order of `FILES`.
const SIZES: [u64; 4] = [26_421_880, 29_515, 4_422_102, 5_148];

#[test]
#[cfg_attr(
    no_fashion_mnist,
    ignore = "Fashion-MNIST not found: set FASHION_MNIST_DIR, or fill data/fashion-mnist with `cargo run --release -p ch07-fashion-mnist`"
)]
fn the_real_files_load_with_the_published_checksums_shapes_and_counts() {
    let dir = data_dir();
    let source = Source::Provided {
        variable: ENV_VAR.into(),
        dir: dir.clone(),
    };
    let (data, reports) = FashionMnist::load_with_report(&source).unwrap();
    assert_eq!(reports.len(), 4);
    for ((report, file), size) in reports.iter().zip(FILES).zip(SIZES) {
        assert_eq!(report.path, dir.join(file.name));
        assert_eq!(report.bytes, size, "{}", file.name);
        assert_eq!(report.sha256, file.sha256);
    }
    assert_eq!(reports[0].shape, vec![TRAIN_SIZE, 28, 28]);
    assert_eq!(reports[3].shape, vec![TEST_SIZE]);

    assert_eq!(data.train.images.shape(), &[60_000, 28, 28]);
    assert_eq!(data.train.labels.len(), 60_000);
    assert_eq!(data.test.images.shape(), &[10_000, 28, 28]);
    assert_eq!(data.test.labels.len(), 10_000);
    assert_eq!(data.train.class_counts(), [6_000; NUM_CLASSES]);
    assert_eq!(data.test.class_counts(), [1_000; NUM_CLASSES]);

    // Facts of the data set: the first training image is an ankle boot, the
    // first three test images are an ankle boot, a pullover and trousers.
    assert_eq!(data.train.labels[0], 9);
    assert_eq!(data.test.labels.slice(s![..3]).to_vec(), vec![9, 2, 1]);
    // Pixels use the whole byte range, and most are background.
    let flat = data.train.flat();
    assert_eq!(flat.shape(), &[60_000, 784]);
    assert_eq!(flat.iter().max(), Some(&255));
    let zeros = flat.iter().filter(|&&v| v == 0).count() as f64 / flat.len() as f64;
    assert!(
        (0.3..0.7).contains(&zeros),
        "share of background pixels {zeros}"
    );
}

#[test]
#[cfg_attr(
    no_fashion_mnist,
    ignore = "Fashion-MNIST not found: set FASHION_MNIST_DIR, or fill data/fashion-mnist with `cargo run --release -p ch07-fashion-mnist`"
)]
fn the_validation_split_is_the_first_5000_training_images() {
    let dir = data_dir();
    let data = FashionMnist::load_from(&dir).unwrap();
    let (train, valid) = data.validation_split();
    assert_eq!(valid.len(), VALIDATION_SIZE);
    assert_eq!(train.len(), 55_000);
    assert_eq!(valid.labels, data.train.labels.slice(s![..5_000]));
    assert_eq!(
        train.images.index_axis(Axis(0), 0),
        data.train.images.index_axis(Axis(0), 5_000)
    );
    let splits = data.clone().into_splits();
    assert_eq!(splits.valid, valid);
    assert_eq!(splits.train, train);
    assert_eq!(splits.test.len(), 10_000);
}

#[test]
#[cfg_attr(
    no_fashion_mnist,
    ignore = "Fashion-MNIST not found: set FASHION_MNIST_DIR, or fill data/fashion-mnist with `cargo run --release -p ch07-fashion-mnist`"
)]
fn a_shuffled_batch_of_real_images_matches_the_scaled_rows() {
    let dir = data_dir();
    let data = FashionMnist::load_from(&dir).unwrap();
    let indices = [59_999, 0, 31_337, 5_000, 0];
    let mut batch = Array2::zeros((indices.len(), 784));
    data.train.gather_scaled(&indices, &mut batch).unwrap();
    for (row, &i) in batch.outer_iter().zip(&indices) {
        let expected = data.train.select(i..i + 1).unwrap().scaled();
        assert_eq!(row, expected.row(0));
    }
    assert!(batch.iter().all(|&v| (0.0..=1.0).contains(&v)));
    // The class means, weighted by the class sizes, add up to the mean image
    // of the whole split.
    let means = data.test.class_means();
    let counts = data.test.class_counts();
    let total = data.test.scaled().sum_axis(Axis(0)) / 10_000.0;
    for p in [0, 300, 407, 783] {
        let weighted: f32 = (0..NUM_CLASSES)
            .map(|k| means[[k, p / 28, p % 28]] * counts[k] as f32 / 10_000.0)
            .sum();
        assert!(
            (weighted - total[p]).abs() < 1e-4,
            "pixel {p}: {weighted} vs {}",
            total[p]
        );
    }
    // Trousers have two legs: the mean image is darker between them, at the
    // bottom centre, than on the legs.
    assert!(
        means[[1, 25, 14]] < 0.5 * means[[1, 25, 9]],
        "{:?}",
        means.slice(s![1, 25, ..])
    );
}

#[test]
#[cfg_attr(
    no_fashion_mnist,
    ignore = "Fashion-MNIST not found: set FASHION_MNIST_DIR, or fill data/fashion-mnist with `cargo run --release -p ch07-fashion-mnist`"
)]
fn verified_files_in_the_cache_are_used_without_the_network() {
    let dir = data_dir();
    let cache = common::TempDir::new("cache");
    for file in FILES {
        let target = std::fs::canonicalize(dir.join(file.name)).unwrap();
        std::os::unix::fs::symlink(target, cache.path().join(file.name)).unwrap();
    }
    let source = Source::Cache(cache.path().to_path_buf());
    let (data, reports) = FashionMnist::load_with_report(&source).unwrap();
    assert_eq!(data.test.len(), 10_000);
    assert_eq!(
        reports[2].path,
        cache.path().join("t10k-images-idx3-ubyte.gz")
    );
}

/// The list the build script checks is this chapter's: the same variable and
/// the same four files, in the same order.
#[test]
fn the_build_script_looks_for_this_chapters_files() {
    assert_eq!(FASHION_MNIST.variable, ENV_VAR);
    assert_eq!(FASHION_MNIST.files, FILES.map(|f| f.name));
}
