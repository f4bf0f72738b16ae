//! `cargo run --release -p ch11-tuning --example event_bytes`: one event of
//! a TensorBoard log taken apart byte by byte, and one histogram of a few
//! weights, for the page. Nothing here depends on the clock: the event's
//! time is set by hand, so the bytes are the same on every run.
//!
//! The report goes to `book/outputs/ch11-tuning/event-bytes.txt`.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch11_tuning::tensorboard::record::{crc32c, masked_crc32c, write_record};
use ch11_tuning::tensorboard::{Event, Summary, What, histogram, scalar};
use prost::Message;

/// The bytes as two hexadecimal digits each.
fn hex(bytes: &[u8]) -> String {
    let digits: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    digits.join(" ")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = Output::new(
        outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch11-tuning"),
        "event-bytes",
        "cargo run --release -p ch11-tuning --example event_bytes",
        Compared::Exactly,
    );

    // ANCHOR: one_event
    let event = Event {
        wall_time: 1_700_000_000.5, // 2023-11-14 22:13:20.5 UTC
        step: 3,
        what: Some(What::Summary(Summary {
            value: vec![scalar("epoch_loss", 0.375)],
        })),
    };
    let data = event.encode_to_vec();
    let mut record = Vec::new();
    write_record(&mut record, &data)?;
    // ANCHOR_END: one_event

    writeln!(
        out,
        "the event: wall_time 1700000000.5, step 3, epoch_loss = 0.375"
    )?;
    writeln!(out, "encoded: {} bytes of protocol buffer", data.len())?;
    // wall_time: key 0x09 (field 1, 8 bytes), then the f64; step: key 0x10
    // (field 2, a varint), then 3; the summary: key 0x2a (field 5, a
    // length follows), its length, then its bytes.
    writeln!(out, "  field 1, wall_time (f64):   {}", hex(&data[..9]))?;
    writeln!(out, "  field 2, step (varint):     {}", hex(&data[9..11]))?;
    writeln!(out, "  field 5, summary (message): {}", hex(&data[11..]))?;
    writeln!(out, "the record: {} bytes", record.len())?;
    writeln!(out, "  length (u64, little-endian): {}", hex(&record[..8]))?;
    writeln!(
        out,
        "  masked CRC of the length:    {}",
        hex(&record[8..12])
    )?;
    writeln!(out, "  the {} bytes of data", data.len())?;
    writeln!(
        out,
        "  masked CRC of the data:      {}",
        hex(&record[record.len() - 4..])
    )?;
    writeln!(out)?;

    let digits = b"123456789";
    writeln!(
        out,
        "CRC-32C of the ASCII digits 1 to 9: {:08x}",
        crc32c(digits)
    )?;
    writeln!(
        out,
        "rotated right by 15 bits:           {:08x}",
        crc32c(digits).rotate_right(15)
    )?;
    writeln!(
        out,
        "plus a282ead8, the masked CRC:      {:08x}",
        masked_crc32c(digits)
    )?;
    writeln!(out)?;

    // ANCHOR: small_histogram
    let weights = [-0.5, -0.25, -0.2, 0.0, 0.05, 0.1, 0.1, 0.3, 0.7, 1.0];
    let h = histogram(weights, 3)?;
    // ANCHOR_END: small_histogram
    writeln!(out, "the histogram of {weights:?} in 3 buckets:")?;
    writeln!(
        out,
        "  min {}, max {}, num {}",
        h.min as f32, h.max as f32, h.num
    )?;
    writeln!(out, "  sum {:.4}, sum_squares {:.4}", h.sum, h.sum_squares)?;
    let limits: Vec<String> = h.bucket_limit.iter().map(|l| format!("{:.4}", l)).collect();
    writeln!(out, "  bucket_limit [{}]", limits.join(", "))?;
    writeln!(out, "  bucket       {:?}", h.bucket)?;

    let path = out.save()?;
    println!("wrote {}", path.display());
    Ok(())
}
