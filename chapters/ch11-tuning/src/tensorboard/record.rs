//! TFRecord framing: how TensorBoard's event files cut a stream of bytes
//! into records, each guarded by two checksums.

use std::io::{self, Write};

/// CRC-32C, the Castagnoli polynomial (the CRC that iSCSI uses, RFC 3720).
const CASTAGNOLI: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISCSI);

// ANCHOR: masked_crc
/// The CRC-32C checksum of `bytes`.
pub fn crc32c(bytes: &[u8]) -> u32 {
    CASTAGNOLI.checksum(bytes)
}

/// The checksum as TFRecord stores it: rotated right by 15 bits, plus a
/// constant. A file of records that holds checksums of its own bytes
/// could otherwise hold data whose plain CRC looks like a valid frame.
pub fn masked_crc32c(bytes: &[u8]) -> u32 {
    crc32c(bytes).rotate_right(15).wrapping_add(0xa282_ead8)
}
// ANCHOR_END: masked_crc

// ANCHOR: write_record
/// Writes one record: the length of `data` (8 bytes, little-endian), the
/// masked CRC of those 8 bytes, the data, the masked CRC of the data.
pub fn write_record(out: &mut impl Write, data: &[u8]) -> io::Result<()> {
    let length = (data.len() as u64).to_le_bytes();
    out.write_all(&length)?;
    out.write_all(&masked_crc32c(&length).to_le_bytes())?;
    out.write_all(data)?;
    out.write_all(&masked_crc32c(data).to_le_bytes())
}
// ANCHOR_END: write_record

/// The number of bytes a record of `data_len` bytes takes in a file.
pub fn record_len(data_len: usize) -> usize {
    8 + 4 + data_len + 4
}

/// What is wrong with a stream of records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// The stream ends inside the record that starts at `offset`.
    Truncated {
        /// Where the record starts.
        offset: usize,
    },
    /// A checksum does not match the bytes it guards.
    BadChecksum {
        /// Where the record starts.
        offset: usize,
        /// `"length"` or `"data"`.
        part: &'static str,
    },
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::Truncated { offset } => {
                write!(f, "the record at byte {offset} is cut short")
            }
            RecordError::BadChecksum { offset, part } => {
                write!(f, "the record at byte {offset} has a wrong {part} checksum")
            }
        }
    }
}

impl std::error::Error for RecordError {}

/// Splits `bytes` into the data of its records, checking both checksums of
/// each: the inverse of [`write_record`].
pub fn read_records(bytes: &[u8]) -> Result<Vec<&[u8]>, RecordError> {
    let mut records = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        let rest = &bytes[offset..];
        let truncated = RecordError::Truncated { offset };
        let header = rest.get(..12).ok_or(truncated.clone())?;
        let (length, length_crc) = header.split_at(8);
        if masked_crc32c(length) != u32_at(length_crc) {
            return Err(RecordError::BadChecksum {
                offset,
                part: "length",
            });
        }
        let len = usize::try_from(u64::from_le_bytes(length.try_into().unwrap_or_default()))
            .map_err(|_| truncated.clone())?;
        let end = len.checked_add(16).ok_or(truncated.clone())?;
        let record = rest.get(..end).ok_or(truncated)?;
        let data = &record[12..12 + len];
        if masked_crc32c(data) != u32_at(&record[12 + len..]) {
            return Err(RecordError::BadChecksum {
                offset,
                part: "data",
            });
        }
        records.push(data);
        offset += end;
    }
    Ok(records)
}

/// The little-endian `u32` in the first four bytes of `bytes` (which the
/// callers have checked are there).
fn u32_at(bytes: &[u8]) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(&bytes[..4]);
    u32::from_le_bytes(word)
}
