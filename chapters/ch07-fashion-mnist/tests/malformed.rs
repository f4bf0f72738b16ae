//! Every way a file can be broken gives its own error, naming the file.
//! The files are small ones the tests write themselves.

mod common;

use std::path::Path;

use ch07_fashion_mnist::idx::{encode_idx, read_idx_images, read_idx_labels};
use ch07_fashion_mnist::{DataError, FashionMnist, Split};
use common::{TempDir, gzip, images_idx, label, labels_idx, pixel, write_data_set};

/// Checks that the error's message names the file, and returns it.
fn names_file(e: DataError, path: &Path) -> DataError {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(e.to_string().contains(&name), "`{e}` should name {name}");
    e
}

#[test]
fn a_small_well_formed_data_set_loads_exactly() {
    let dir = TempDir::new("good");
    write_data_set(&dir, 7, 4);
    let data = FashionMnist::load_unverified(dir.path()).unwrap();
    assert_eq!(data.train.images.shape(), &[7, 28, 28]);
    assert_eq!(data.test.images.shape(), &[4, 28, 28]);
    assert_eq!(data.train.images[[5, 3, 20]], pixel(5, 3, 20));
    assert_eq!(data.test.images[[3, 27, 27]], pixel(3, 27, 27));
    let labels: Vec<u8> = (0..7).map(label).collect();
    assert_eq!(data.train.labels.to_vec(), labels);
    // Fewer than 5 000 training samples: all go to validation.
    let (train, valid) = data.validation_split();
    assert_eq!((train.len(), valid.len()), (0, 7));
}

#[test]
fn plain_uncompressed_idx_files_load_too() {
    let dir = TempDir::new("plain");
    let images = dir.write("i", &images_idx(3, 28, 28));
    let labels = dir.write("l", &labels_idx(3));
    let split = Split::from_files(&images, &labels).unwrap();
    assert_eq!(split.len(), 3);
    assert_eq!(split.images[[2, 1, 1]], pixel(2, 1, 1));
}

#[test]
fn a_file_that_is_not_idx_has_a_bad_magic_number() {
    let dir = TempDir::new("magic");
    let path = dir.write("x-images.gz", &gzip(b"<html>404 Not Found</html>"));
    let e = names_file(read_idx_images(&path).unwrap_err(), &path);
    assert!(matches!(e, DataError::BadMagic { ref found, .. } if found == b"<htm"));
    let empty = dir.write("empty.gz", b"");
    let e = names_file(read_idx_labels(&empty).unwrap_err(), &empty);
    assert!(e.to_string().contains("empty"), "{e}");
}

#[test]
fn a_type_code_other_than_unsigned_bytes_is_refused() {
    let dir = TempDir::new("type");
    let mut bytes = labels_idx(4);
    bytes[2] = 0x0D; // 32-bit floats
    let path = dir.write("labels.gz", &gzip(&bytes));
    let e = names_file(read_idx_labels(&path).unwrap_err(), &path);
    assert!(matches!(e, DataError::UnsupportedType { code: 0x0D, .. }));
}

#[test]
fn the_wrong_number_of_dimensions_is_refused() {
    let dir = TempDir::new("dims");
    // A label file handed over as images, and an image file as labels.
    let labels = dir.write("labels.gz", &gzip(&labels_idx(4)));
    let images = dir.write("images.gz", &gzip(&images_idx(2, 28, 28)));
    let e = names_file(read_idx_images(&labels).unwrap_err(), &labels);
    assert!(matches!(
        e,
        DataError::WrongDimensions {
            expected: 3,
            found: 1,
            ..
        }
    ));
    let e = names_file(read_idx_labels(&images).unwrap_err(), &images);
    assert!(matches!(
        e,
        DataError::WrongDimensions {
            expected: 1,
            found: 3,
            ..
        }
    ));
}

#[test]
fn a_header_that_promises_more_data_than_the_file_holds_is_refused() {
    let dir = TempDir::new("short");
    let mut bytes = images_idx(3, 28, 28);
    bytes.truncate(bytes.len() - 100);
    let path = dir.write("images.gz", &gzip(&bytes));
    let e = names_file(read_idx_images(&path).unwrap_err(), &path);
    assert!(
        matches!(
            e,
            DataError::Truncated {
                expected: 2352,
                found: 2252,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_file_that_ends_inside_the_header_is_refused() {
    let dir = TempDir::new("header");
    let bytes = images_idx(3, 28, 28);
    for cut in [2, 3, 9] {
        let path = dir.write(&format!("images-{cut}"), &bytes[..cut]);
        let e = names_file(read_idx_images(&path).unwrap_err(), &path);
        assert!(matches!(e, DataError::ShortHeader { .. }), "{e:?}");
    }
}

#[test]
fn bytes_after_the_promised_data_are_refused() {
    let dir = TempDir::new("trailing");
    let mut bytes = labels_idx(5);
    bytes.extend_from_slice(&[1, 2, 3]);
    let path = dir.write("labels.gz", &gzip(&bytes));
    let e = names_file(read_idx_labels(&path).unwrap_err(), &path);
    assert!(
        matches!(
            e,
            DataError::TrailingBytes {
                expected: 5,
                extra: 3,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_truncated_gzip_stream_is_refused() {
    let dir = TempDir::new("gzcut");
    let gz = gzip(&images_idx(20, 28, 28));
    // Cut inside the compressed data, and cut just the 8-byte trailer.
    for cut in [gz.len() / 2, gz.len() - 8, gz.len() - 1] {
        let path = dir.write(&format!("images-{cut}.gz"), &gz[..cut]);
        let e = names_file(read_idx_images(&path).unwrap_err(), &path);
        assert!(matches!(e, DataError::Gzip { .. }), "cut at {cut}: {e:?}");
    }
}

#[test]
fn a_corrupt_gzip_stream_is_refused() {
    let dir = TempDir::new("gzbad");
    let mut gz = gzip(&labels_idx(1000));
    let n = gz.len();
    gz[n - 6] ^= 0xff; // the stored CRC-32
    let path = dir.write("labels.gz", &gz);
    let e = names_file(read_idx_labels(&path).unwrap_err(), &path);
    assert!(matches!(e, DataError::Gzip { .. }), "{e:?}");
}

#[test]
fn data_after_the_gzip_stream_is_refused() {
    let dir = TempDir::new("aftergz");
    let mut gz = gzip(&labels_idx(10));
    gz.extend_from_slice(b"junk");
    let path = dir.write("labels.gz", &gz);
    let e = names_file(read_idx_labels(&path).unwrap_err(), &path);
    assert!(matches!(e, DataError::AfterGzip { extra: 4, .. }), "{e:?}");
}

#[test]
fn a_label_of_ten_or_more_is_refused_with_its_position() {
    let dir = TempDir::new("label");
    let path = dir.write(
        "labels.gz",
        &gzip(&encode_idx(&[4], &[0, 9, 10, 3]).unwrap()),
    );
    let e = names_file(read_idx_labels(&path).unwrap_err(), &path);
    assert!(matches!(
        e,
        DataError::LabelOutOfRange {
            index: 2,
            value: 10,
            ..
        }
    ));
}

#[test]
fn image_and_label_counts_that_disagree_are_refused() {
    let dir = TempDir::new("count");
    let images = dir.write("images.gz", &gzip(&images_idx(5, 28, 28)));
    let labels = dir.write("labels.gz", &gzip(&labels_idx(4)));
    let e = names_file(Split::from_files(&images, &labels).unwrap_err(), &images);
    let e = names_file(e, &labels);
    assert!(matches!(
        e,
        DataError::CountMismatch {
            n_images: 5,
            n_labels: 4,
            ..
        }
    ));
}

#[test]
fn images_of_another_size_are_refused() {
    let dir = TempDir::new("size");
    let images = dir.write("images.gz", &gzip(&images_idx(2, 27, 28)));
    let labels = dir.write("labels.gz", &gzip(&labels_idx(2)));
    let e = names_file(Split::from_files(&images, &labels).unwrap_err(), &images);
    assert!(matches!(
        e,
        DataError::WrongImageSize {
            found: [27, 28],
            ..
        }
    ));
}

#[test]
fn a_huge_header_is_an_error_without_a_huge_allocation() {
    let dir = TempDir::new("huge");
    let mut bytes = vec![0, 0, 8, 3];
    for _ in 0..3 {
        bytes.extend_from_slice(&u32::MAX.to_be_bytes());
    }
    bytes.extend_from_slice(&[7; 100]);
    let path = dir.write("images", &bytes);
    let e = names_file(read_idx_images(&path).unwrap_err(), &path);
    assert!(matches!(e, DataError::TooLarge { .. }), "{e:?}");
    // Big but representable: the file simply does not hold that much.
    let mut bytes = vec![0, 0, 8, 1];
    bytes.extend_from_slice(&u32::MAX.to_be_bytes());
    let path = dir.write("labels.gz", &gzip(&bytes));
    let e = names_file(read_idx_labels(&path).unwrap_err(), &path);
    assert!(matches!(e, DataError::Truncated { found: 0, .. }), "{e:?}");
}

#[test]
fn a_missing_file_is_an_error_that_lists_it_and_the_folder() {
    let dir = TempDir::new("missing");
    write_data_set(&dir, 2, 2);
    std::fs::remove_file(dir.path().join("t10k-labels-idx1-ubyte.gz")).unwrap();
    std::fs::remove_file(dir.path().join("train-images-idx3-ubyte.gz")).unwrap();
    for e in [
        FashionMnist::load_from(dir.path()).unwrap_err(),
        FashionMnist::load_unverified(dir.path()).unwrap_err(),
    ] {
        let text = e.to_string();
        assert!(matches!(e, DataError::Missing { ref files, .. } if files.len() == 2));
        assert!(text.contains("train-images-idx3-ubyte.gz"), "{text}");
        assert!(text.contains("t10k-labels-idx1-ubyte.gz"), "{text}");
        assert!(!text.contains("train-labels"), "{text}");
        assert!(text.contains(&dir.path().display().to_string()), "{text}");
    }
}

#[test]
fn files_that_are_not_the_published_ones_fail_the_checksum() {
    let dir = TempDir::new("checksum");
    write_data_set(&dir, 3, 3);
    let e = FashionMnist::load_from(dir.path()).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, DataError::Download(_)), "{e:?}");
    assert!(
        text.contains("train-images-idx3-ubyte.gz") && text.contains("SHA-256"),
        "{text}"
    );
}

#[test]
fn into_splits_and_validation_split_agree() {
    let dir = TempDir::new("splits");
    write_data_set(&dir, 5_010, 2);
    let data = FashionMnist::load_unverified(dir.path()).unwrap();
    let (train, valid) = data.validation_split();
    assert_eq!((train.len(), valid.len()), (10, 5_000));
    assert_eq!(valid.images, data.train.select(0..5_000).unwrap().images);
    assert_eq!(train.labels[0], label(5_000));
    let splits = data.clone().into_splits();
    assert_eq!(splits.train, train);
    assert_eq!(splits.valid, valid);
    assert_eq!(splits.test, data.test);
}
