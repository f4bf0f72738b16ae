//! The IDX file format, read by hand.
//!
//! An IDX file is a tiny header followed by the raw contents of an
//! n-dimensional array:
//!
//! | bytes | meaning |
//! | --- | --- |
//! | 0–1 | always zero (the first half of the "magic number") |
//! | 2 | the type code of the elements; `0x08` means unsigned bytes |
//! | 3 | the number of dimensions, `d` |
//! | 4 … 4 + 4d | the size of each dimension, a big-endian `u32` each |
//! | then | the elements, in row-major order (last index fastest) |
//!
//! Fashion-MNIST's image files have `d = 3` (count × 28 × 28) and its label
//! files `d = 1`. The files are distributed gzip-compressed; [`parse_idx`]
//! accepts either form and tells them apart by their first two bytes.
//!
//! Every way a file can be malformed is an error that names the file; the
//! reader never panics and never returns fewer samples than the header
//! promised.

use std::io::{self, Read};
use std::path::Path;

use ndarray::{Array1, Array3};

use crate::classes::NUM_CLASSES;
use crate::error::DataError;

/// The type code of unsigned bytes, the only element type Fashion-MNIST uses.
pub const TYPE_U8: u8 = 0x08;

/// The two bytes every gzip stream starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// An array read from an IDX file: its shape and its elements in row-major
/// order. `data.len()` is always the product of `dims`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxArray {
    /// The size of each dimension, as the header declares it.
    pub dims: Vec<usize>,
    /// The elements, last index fastest.
    pub data: Vec<u8>,
}

/// Reads an IDX file of unsigned bytes, gzip-compressed or not.
///
/// `expected_dims`, when given, is the number of dimensions the file must
/// have.
pub fn read_idx(path: &Path, expected_dims: Option<usize>) -> Result<IdxArray, DataError> {
    let bytes = std::fs::read(path).map_err(|source| DataError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    parse_idx(&bytes, path, expected_dims)
}

// ANCHOR: parse_idx
/// Parses the contents of an IDX file held in memory; `file` is only used to
/// name the file in errors. Gzip-compressed contents are recognised by their
/// first two bytes (`1f 8b`) and decompressed on the fly.
pub fn parse_idx(
    bytes: &[u8],
    file: &Path,
    expected_dims: Option<usize>,
) -> Result<IdxArray, DataError> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return decode(&mut &bytes[..], file, expected_dims, bytes.len());
    }
    let mut gz = flate2::bufread::GzDecoder::new(bytes);
    let array = decode(&mut gz, file, expected_dims, gzip_size_hint(bytes))?;
    // `decode` read the stream to its end, so the gzip trailer (CRC-32 and
    // length) has been checked; nothing may follow it.
    let rest = gz.into_inner();
    if !rest.is_empty() {
        return Err(DataError::AfterGzip {
            file: file.to_path_buf(),
            extra: rest.len(),
        });
    }
    Ok(array)
}
// ANCHOR_END: parse_idx

/// A gzip file ends with the length of its decompressed contents (modulo
/// 2³²). It is only a hint, for preallocating: a corrupt file may lie.
fn gzip_size_hint(bytes: &[u8]) -> usize {
    let n = bytes.len();
    if n < 18 {
        return 0;
    }
    let isize = u32::from_le_bytes([bytes[n - 4], bytes[n - 3], bytes[n - 2], bytes[n - 1]]);
    // Deflate cannot expand data by more than about 1032 : 1.
    (isize as usize).min(n.saturating_mul(1032))
}

/// Reads as many bytes as are available, up to `buf.len()`, and returns
/// how many it got.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8], file: &Path) -> Result<usize, DataError> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(gzip_error(file, e)),
        }
    }
    Ok(filled)
}

fn gzip_error(file: &Path, e: io::Error) -> DataError {
    DataError::Gzip {
        file: file.to_path_buf(),
        reason: e.to_string(),
    }
}

// ANCHOR: magic
/// Reads the header, then exactly the number of bytes it promises, then
/// checks that nothing is left. `size_hint` is a guess of the total
/// decompressed size, used to allocate the data buffer once.
fn decode(
    reader: &mut impl Read,
    file: &Path,
    expected_dims: Option<usize>,
    size_hint: usize,
) -> Result<IdxArray, DataError> {
    let file_buf = || file.to_path_buf();
    let mut magic = [0u8; 4];
    let got = read_up_to(reader, &mut magic, file)?;
    if got == 0 || magic[..got.min(2)].iter().any(|&b| b != 0) {
        return Err(DataError::BadMagic {
            file: file_buf(),
            found: magic[..got].to_vec(),
        });
    }
    if got < 4 {
        return Err(DataError::ShortHeader {
            file: file_buf(),
            needed: 4,
            found: got,
        });
    }
    if magic[2] != TYPE_U8 {
        return Err(DataError::UnsupportedType {
            file: file_buf(),
            code: magic[2],
        });
    }
    let ndims = usize::from(magic[3]);
    if let Some(expected) = expected_dims.filter(|&e| e != ndims) {
        return Err(DataError::WrongDimensions {
            file: file_buf(),
            expected,
            found: ndims,
        });
    }
    // ANCHOR_END: magic
    // ANCHOR: sizes
    let mut sizes = vec![0u8; 4 * ndims];
    let got = read_up_to(reader, &mut sizes, file)?;
    if got < sizes.len() {
        return Err(DataError::ShortHeader {
            file: file_buf(),
            needed: 4 + sizes.len(),
            found: 4 + got,
        });
    }
    let dims: Vec<u32> = sizes
        .chunks_exact(4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    // ANCHOR_END: sizes
    // ANCHOR: payload
    // The number of elements, guarded against overflow on a corrupt header.
    let too_large = || DataError::TooLarge {
        file: file_buf(),
        dims: dims.clone(),
    };
    let len = dims
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(u64::from(d)))
        .filter(|&n| n <= isize::MAX as u64)
        .ok_or_else(too_large)?;
    let capacity = len.min(size_hint.saturating_sub(4 + sizes.len()) as u64) as usize;
    let mut data = Vec::new();
    data.try_reserve_exact(capacity).map_err(|_| too_large())?;
    reader
        .take(len)
        .read_to_end(&mut data)
        .map_err(|e| gzip_error(file, e))?;
    if (data.len() as u64) < len {
        return Err(DataError::Truncated {
            file: file_buf(),
            expected: len,
            found: data.len() as u64,
        });
    }
    let extra = count_rest(reader, file)?;
    if extra > 0 {
        return Err(DataError::TrailingBytes {
            file: file_buf(),
            expected: len,
            extra,
        });
    }
    let dims = dims.iter().map(|&d| d as usize).collect();
    Ok(IdxArray { dims, data })
    // ANCHOR_END: payload
}

/// Reads the reader to its end and counts the bytes. For a gzip stream this
/// also checks the trailer.
fn count_rest(reader: &mut impl Read, file: &Path) -> Result<u64, DataError> {
    let mut buf = [0u8; 4096];
    let mut extra = 0u64;
    loop {
        let n = read_up_to(reader, &mut buf, file)?;
        extra += n as u64;
        if n < buf.len() {
            return Ok(extra);
        }
    }
}

// ANCHOR: images
/// Reads an IDX image file (three dimensions: count × rows × columns) into
/// an array of raw pixel values, 0 (background) to 255.
pub fn read_idx_images(path: impl AsRef<Path>) -> Result<Array3<u8>, DataError> {
    let path = path.as_ref();
    let idx = read_idx(path, Some(3))?;
    images_from_idx(idx, path)
}
// ANCHOR_END: images

/// Turns a parsed three-dimensional [`IdxArray`] into an image array.
pub fn images_from_idx(idx: IdxArray, file: &Path) -> Result<Array3<u8>, DataError> {
    if idx.dims.len() != 3 {
        return Err(DataError::WrongDimensions {
            file: file.to_path_buf(),
            expected: 3,
            found: idx.dims.len(),
        });
    }
    let shape = (idx.dims[0], idx.dims[1], idx.dims[2]);
    let dims = idx.dims.iter().map(|&d| d as u32).collect();
    Array3::from_shape_vec(shape, idx.data).map_err(|_| DataError::TooLarge {
        file: file.to_path_buf(),
        dims,
    })
}

// ANCHOR: labels
/// Reads an IDX label file (one dimension) and checks that every label is
/// one of the ten classes.
pub fn read_idx_labels(path: impl AsRef<Path>) -> Result<Array1<u8>, DataError> {
    let path = path.as_ref();
    let idx = read_idx(path, Some(1))?;
    labels_from_idx(idx, path)
}

/// Turns a parsed one-dimensional [`IdxArray`] into labels, rejecting any
/// value that is not a class.
pub fn labels_from_idx(idx: IdxArray, file: &Path) -> Result<Array1<u8>, DataError> {
    if idx.dims.len() != 1 {
        return Err(DataError::WrongDimensions {
            file: file.to_path_buf(),
            expected: 1,
            found: idx.dims.len(),
        });
    }
    if let Some(index) = idx.data.iter().position(|&v| usize::from(v) >= NUM_CLASSES) {
        return Err(DataError::LabelOutOfRange {
            file: file.to_path_buf(),
            index,
            value: idx.data[index],
        });
    }
    Ok(Array1::from(idx.data))
}
// ANCHOR_END: labels

/// Encodes an array of unsigned bytes as an (uncompressed) IDX file: the
/// inverse of [`parse_idx`]. Returns `None` when `data.len()` is not the
/// product of `dims` or there are more than 255 dimensions.
///
/// The tests use it to build small files, well-formed and broken.
pub fn encode_idx(dims: &[u32], data: &[u8]) -> Option<Vec<u8>> {
    let ndims = u8::try_from(dims.len()).ok()?;
    let len = dims
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d as usize))?;
    if len != data.len() {
        return None;
    }
    let mut out = Vec::with_capacity(4 + 4 * dims.len() + data.len());
    out.extend_from_slice(&[0, 0, TYPE_U8, ndims]);
    for d in dims {
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend_from_slice(data);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    fn name() -> &'static Path {
        Path::new("test-images-idx3-ubyte.gz")
    }

    fn small_images() -> Vec<u8> {
        let data: Vec<u8> = (0..2 * 3 * 4).map(|i| (i * 10) as u8).collect();
        encode_idx(&[2, 3, 4], &data).unwrap()
    }

    #[test]
    fn raw_and_gzipped_files_give_the_same_array() {
        let raw = small_images();
        let a = parse_idx(&raw, name(), Some(3)).unwrap();
        let b = parse_idx(&gzip(&raw), name(), Some(3)).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.dims, vec![2, 3, 4]);
        assert_eq!(a.data[5], 50);
        let images = images_from_idx(a, name()).unwrap();
        assert_eq!(images.shape(), &[2, 3, 4]);
        assert_eq!(images[[1, 2, 3]], 230);
    }

    #[test]
    fn the_header_is_big_endian() {
        let raw = encode_idx(&[258], &[1; 258]).unwrap();
        assert_eq!(&raw[..8], &[0, 0, 8, 1, 0, 0, 1, 2]);
        assert_eq!(parse_idx(&raw, name(), None).unwrap().dims, vec![258]);
    }

    #[test]
    fn encode_refuses_data_that_does_not_fit_the_shape() {
        assert!(encode_idx(&[2, 2], &[0; 3]).is_none());
        assert!(
            encode_idx(&[], &[7]).is_some(),
            "zero dimensions hold one element"
        );
    }

    #[test]
    fn a_gzip_size_hint_never_exceeds_what_deflate_can_produce() {
        assert_eq!(gzip_size_hint(&[0; 10]), 0);
        let mut fake = vec![0u8; 20];
        fake[16..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(gzip_size_hint(&fake), 20 * 1032);
    }
}
