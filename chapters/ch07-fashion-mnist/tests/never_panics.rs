//! Property tests: the IDX reader never panics, whatever bytes it is given,
//! and a well-formed file always reads back exactly.

mod common;

use std::path::Path;

use ch07_fashion_mnist::idx::{encode_idx, images_from_idx, labels_from_idx, parse_idx};
use ch07_fashion_mnist::{DataError, Split};
use common::gzip;
use ndarray::{Array1, Array2, Array3};
use proptest::prelude::*;
use proptest::sample::Index;

fn file() -> &'static Path {
    Path::new("fuzzed-idx3-ubyte.gz")
}

/// A well-formed IDX file: images (3 dimensions) or labels (1 dimension).
fn well_formed() -> impl Strategy<Value = (Vec<u32>, Vec<u8>)> {
    prop_oneof![
        (0u32..4, 0u32..5, 0u32..5).prop_flat_map(|(n, r, c)| {
            let len = (n * r * c) as usize;
            (
                Just(vec![n, r, c]),
                proptest::collection::vec(any::<u8>(), len),
            )
        }),
        (0usize..20)
            .prop_flat_map(|n| { (Just(vec![n as u32]), proptest::collection::vec(0u8..12, n)) }),
    ]
}

/// Parses `bytes` every way the crate can and checks each result is
/// self-consistent. Returning at all is the main property: no panic.
fn parse_every_way(bytes: &[u8]) -> Result<(), DataError> {
    for dims in [None, Some(1), Some(3)] {
        if let Ok(idx) = parse_idx(bytes, file(), dims) {
            let len: usize = idx.dims.iter().product();
            assert_eq!(len, idx.data.len(), "the data fills the declared shape");
            if let Some(d) = dims {
                assert_eq!(idx.dims.len(), d);
            }
            match idx.dims.len() {
                3 => {
                    let images = images_from_idx(idx, file())?;
                    assert_eq!(images.len(), len);
                }
                1 => {
                    let labels = labels_from_idx(idx, file())?;
                    assert!(labels.iter().all(|&l| l < 10));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_well_formed_file_reads_back_exactly((dims, data) in well_formed(), zipped: bool) {
        let raw = encode_idx(&dims, &data).unwrap();
        let bytes = if zipped { gzip(&raw) } else { raw };
        let idx = parse_idx(&bytes, file(), Some(dims.len())).unwrap();
        prop_assert_eq!(idx.dims, dims.iter().map(|&d| d as usize).collect::<Vec<_>>());
        prop_assert_eq!(idx.data, data);
    }

    #[test]
    fn corrupted_and_truncated_files_never_panic(
        (dims, data) in well_formed(),
        zipped: bool,
        flips in proptest::collection::vec((any::<Index>(), 1u8..=255), 0..4),
        cut in proptest::option::of(any::<Index>()),
        extra in proptest::collection::vec(any::<u8>(), 0..3),
    ) {
        let raw = encode_idx(&dims, &data).unwrap();
        let mut bytes = if zipped { gzip(&raw) } else { raw };
        for (at, mask) in &flips {
            let i = at.index(bytes.len());
            bytes[i] ^= mask;
        }
        if let Some(at) = cut {
            bytes.truncate(at.index(bytes.len()));
        }
        bytes.extend_from_slice(&extra);
        let _ = parse_every_way(&bytes);
    }

    #[test]
    fn a_shortened_or_lengthened_file_is_always_an_error(
        (dims, data) in well_formed(),
        zipped: bool,
        cut in any::<Index>(),
        extra in proptest::collection::vec(any::<u8>(), 0..3),
    ) {
        let raw = encode_idx(&dims, &data).unwrap();
        let mut bytes = if zipped { gzip(&raw) } else { raw };
        if extra.is_empty() {
            bytes.truncate(cut.index(bytes.len()));
        } else {
            bytes.extend_from_slice(&extra);
        }
        prop_assert!(parse_idx(&bytes, file(), None).is_err());
    }

    #[test]
    fn random_bytes_never_panic(
        head in prop_oneof![Just(vec![]), Just(vec![0x1f, 0x8b, 8, 0]), Just(vec![0, 0, 8])],
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = head;
        bytes.extend_from_slice(&body);
        let _ = parse_every_way(&bytes);
    }

    #[test]
    fn gather_scaled_copies_rows_or_refuses(
        indices in proptest::collection::vec(0usize..8, 0..10),
    ) {
        let images = Array3::from_shape_fn((6, 2, 3), |(i, r, c)| (i * 40 + r * 3 + c) as u8);
        let split = Split::new(images, Array1::from(vec![0, 1, 2, 3, 4, 5])).unwrap();
        let all = split.scaled();
        let mut out = Array2::zeros((indices.len(), 6));
        match split.gather_scaled(&indices, &mut out) {
            Ok(()) => {
                prop_assert!(indices.iter().all(|&i| i < 6));
                for (r, &i) in indices.iter().enumerate() {
                    prop_assert_eq!(out.row(r), all.row(i));
                }
            }
            Err(e) => {
                prop_assert!(indices.iter().any(|&i| i >= 6), "{}", e);
            }
        }
    }
}
