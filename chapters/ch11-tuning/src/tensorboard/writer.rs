//! An event file: the records of one run, appended as training goes.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use prost::Message;

use super::TensorBoardError;
use super::proto::{Event, HistogramProto, Kind, Summary, Value, What};
use super::record::{record_len, write_record};

/// The version string of the event format, the first event of every file.
pub const FILE_VERSION: &str = "brain.Event:2";

/// Writes the events of one run into a new file
/// `events.out.tfevents.<seconds>.<host>.<process>.<n>` of a folder.
/// Events are buffered: [`EventWriter::flush`] hands them to the operating
/// system, where a running TensorBoard sees them.
#[derive(Debug)]
pub struct EventWriter {
    path: PathBuf,
    out: BufWriter<File>,
    bytes: u64,
}

impl EventWriter {
    /// Creates `folder` if needed and a new event file in it, and writes
    /// the file-version event.
    pub fn create(folder: impl AsRef<Path>) -> Result<EventWriter, TensorBoardError> {
        let folder = folder.as_ref();
        std::fs::create_dir_all(folder).map_err(|e| TensorBoardError::io(folder, e))?;
        let (path, file) = new_event_file(folder)?;
        let mut writer = EventWriter {
            path,
            out: BufWriter::new(file),
            bytes: 0,
        };
        writer.write_event(&Event {
            wall_time: now(),
            step: 0,
            what: Some(What::FileVersion(FILE_VERSION.into())),
        })?;
        Ok(writer)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bytes written so far (buffered or not).
    pub fn bytes_written(&self) -> u64 {
        self.bytes
    }

    // ANCHOR: write_event
    /// Encodes `event` and appends it as one record.
    pub fn write_event(&mut self, event: &Event) -> Result<(), TensorBoardError> {
        let data = event.encode_to_vec();
        write_record(&mut self.out, &data).map_err(|e| TensorBoardError::io(&self.path, e))?;
        self.bytes += record_len(data.len()) as u64;
        Ok(())
    }

    /// Appends one event holding `values`, all at `step`.
    pub fn write_summary(&mut self, step: i64, values: Vec<Value>) -> Result<(), TensorBoardError> {
        self.write_event(&Event {
            wall_time: now(),
            step,
            what: Some(What::Summary(Summary { value: values })),
        })
    }
    // ANCHOR_END: write_event

    /// Appends one number named `tag` at `step`.
    pub fn add_scalar(&mut self, tag: &str, value: f32, step: i64) -> Result<(), TensorBoardError> {
        self.write_summary(step, vec![scalar(tag, value)])
    }

    /// Appends one histogram named `tag` at `step`.
    pub fn add_histogram(
        &mut self,
        tag: &str,
        histogram: HistogramProto,
        step: i64,
    ) -> Result<(), TensorBoardError> {
        self.write_summary(step, vec![histogram_value(tag, histogram)])
    }

    /// Hands everything written so far to the operating system.
    pub fn flush(&mut self) -> Result<(), TensorBoardError> {
        self.out
            .flush()
            .map_err(|e| TensorBoardError::io(&self.path, e))
    }
}

/// A number named `tag`, for [`EventWriter::write_summary`].
pub fn scalar(tag: &str, value: f32) -> Value {
    Value {
        tag: tag.into(),
        kind: Some(Kind::SimpleValue(value)),
    }
}

/// A histogram named `tag`, for [`EventWriter::write_summary`].
pub fn histogram_value(tag: &str, histogram: HistogramProto) -> Value {
    Value {
        tag: tag.into(),
        kind: Some(Kind::Histo(histogram)),
    }
}

/// Seconds since 1970 (0 on a clock set before it).
fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Creates a file whose name no other writer has used: TensorBoard reads
/// every file whose name holds `tfevents`, in the order of their names.
fn new_event_file(folder: &Path) -> Result<(PathBuf, File), TensorBoardError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let host = host_name();
    let pid = std::process::id();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = folder.join(format!("events.out.tfevents.{seconds}.{host}.{pid}.{n}"));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(TensorBoardError::io(&path, e)),
        }
    }
}

/// This machine's name as the kernel knows it (`localhost` when it cannot
/// be read), with anything that cannot be part of a file name replaced.
fn host_name() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default();
    let name: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "localhost".into()
    } else {
        name
    }
}
