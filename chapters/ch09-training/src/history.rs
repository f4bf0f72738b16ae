//! `History`: what `fit` measured, epoch by epoch.

use serde::{Deserialize, Serialize};

use crate::fit::Engine;

// ANCHOR: history
/// The figures of one epoch, as Keras' `history.history` holds them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// The epoch's number, from 1.
    pub epoch: usize,
    /// The mean training loss over the epoch's batches (each measured just
    /// before its own update step, so it lags the weights a little).
    pub loss: f32,
    /// The training accuracy over the epoch, measured the same way.
    pub accuracy: Option<f32>,
    /// The training mean absolute error over the epoch, measured the same
    /// way (a regressor compiled with the mae metric).
    #[serde(default)]
    pub mae: Option<f32>,
    /// The loss on the validation data after the epoch.
    pub val_loss: Option<f32>,
    /// The accuracy on the validation data after the epoch.
    pub val_accuracy: Option<f32>,
    /// The mean absolute error on the validation data after the epoch.
    #[serde(default)]
    pub val_mae: Option<f32>,
    /// Wall-clock time of the epoch, validation included.
    pub seconds: f64,
    /// The engine that trained the epoch: `Clear` or `Fast` (`Auto` only in
    /// a record read from a file that did not say).
    #[serde(default)]
    pub engine: Engine,
    /// Each output's own loss, for a model of several outputs (chapter
    /// 10); empty for a single output.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<OutputLoss>,
}

/// The loss of one output of a model of several outputs, over an epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputLoss {
    /// The output's name.
    pub name: String,
    /// Its mean training loss over the epoch, before weighting.
    pub loss: f32,
    /// Its loss on the validation data after the epoch.
    pub val_loss: Option<f32>,
}

/// Everything `fit` measured, one record per epoch.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The epochs that ran, in order.
    pub epochs: Vec<EpochRecord>,
    /// Why training stopped before the last epoch, if it did.
    pub stopped: Option<String>,
}
// ANCHOR_END: history

impl History {
    /// The number of epochs that ran.
    pub fn len(&self) -> usize {
        self.epochs.len()
    }

    /// Whether no epoch ran.
    pub fn is_empty(&self) -> bool {
        self.epochs.is_empty()
    }

    /// The last epoch's record.
    pub fn last(&self) -> Option<&EpochRecord> {
        self.epochs.last()
    }

    /// `(epoch, value)` for every epoch where `value` has a number: for
    /// example `history.points(|r| r.val_accuracy)`, ready to plot.
    pub fn points(&self, value: impl Fn(&EpochRecord) -> Option<f32>) -> Vec<(f64, f64)> {
        self.epochs
            .iter()
            .filter_map(|r| value(r).map(|v| (r.epoch as f64, f64::from(v))))
            .collect()
    }

    /// The training loss of every epoch.
    pub fn loss(&self) -> Vec<f32> {
        self.epochs.iter().map(|r| r.loss).collect()
    }

    /// The validation accuracy of every epoch that has one.
    pub fn val_accuracy(&self) -> Vec<f32> {
        self.epochs.iter().filter_map(|r| r.val_accuracy).collect()
    }

    /// The validation loss of every epoch that has one.
    pub fn val_loss(&self) -> Vec<f32> {
        self.epochs.iter().filter_map(|r| r.val_loss).collect()
    }

    /// The validation mean absolute error of every epoch that has one.
    pub fn val_mae(&self) -> Vec<f32> {
        self.epochs.iter().filter_map(|r| r.val_mae).collect()
    }
}

// ANCHOR: csv
/// The columns of a history written as CSV, one row per epoch (chapter
/// 11's `CsvLogger`): the fields of [`EpochRecord`] in order. A model of
/// several outputs adds two columns per output after them,
/// `<name>_loss` and `val_<name>_loss`.
pub const CSV_COLUMNS: [&str; 9] = [
    "epoch",
    "loss",
    "accuracy",
    "mae",
    "val_loss",
    "val_accuracy",
    "val_mae",
    "seconds",
    "engine",
];

impl EpochRecord {
    /// The names of the CSV columns of this record: [`CSV_COLUMNS`], then
    /// the columns of each output of a model of several outputs.
    pub fn csv_header(&self) -> Vec<String> {
        let outputs = self
            .outputs
            .iter()
            .flat_map(|o| [format!("{}_loss", o.name), format!("val_{}_loss", o.name)]);
        CSV_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .chain(outputs)
            .collect()
    }

    /// This record as CSV fields, in the order of
    /// [`csv_header`](EpochRecord::csv_header): each number as Rust prints
    /// it (the shortest text that reads back as the same number), an empty
    /// field for a value that was not measured.
    pub fn csv_row(&self) -> Vec<String> {
        let opt = |v: Option<f32>| v.map_or(String::new(), |v| v.to_string());
        let fixed = [
            self.epoch.to_string(),
            self.loss.to_string(),
            opt(self.accuracy),
            opt(self.mae),
            opt(self.val_loss),
            opt(self.val_accuracy),
            opt(self.val_mae),
            self.seconds.to_string(),
            self.engine.name().to_string(),
        ];
        let outputs = self
            .outputs
            .iter()
            .flat_map(|o| [o.loss.to_string(), opt(o.val_loss)]);
        fixed.into_iter().chain(outputs).collect()
    }
}
// ANCHOR_END: csv

#[cfg(test)]
mod tests {
    use super::*;

    fn record(epoch: usize, val: Option<f32>) -> EpochRecord {
        EpochRecord {
            epoch,
            loss: 1.0 / epoch as f32,
            accuracy: Some(0.5),
            mae: None,
            val_loss: val,
            val_accuracy: val,
            val_mae: None,
            seconds: 1.0,
            engine: crate::fit::Engine::Clear,
            outputs: Vec::new(),
        }
    }

    #[test]
    fn points_skip_missing_values_and_json_round_trips() {
        let h = History {
            epochs: vec![record(1, Some(0.25)), record(2, None)],
            stopped: None,
        };
        assert_eq!(h.points(|r| r.val_accuracy), vec![(1.0, 0.25)]);
        assert_eq!(h.loss(), vec![1.0, 0.5]);
        let json = serde_json::to_string(&h).unwrap();
        assert!(json.contains("\"val_loss\":null"), "{json}");
        let back: History = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);
    }

    #[test]
    fn csv_fields_follow_the_header_and_read_back() {
        let mut r = record(3, None);
        r.outputs = vec![OutputLoss {
            name: "aux".into(),
            loss: 0.125,
            val_loss: Some(0.5),
        }];
        let header = r.csv_header();
        let row = r.csv_row();
        assert_eq!(header.len(), row.len());
        assert_eq!(&header[9..], ["aux_loss", "val_aux_loss"]);
        let field = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
        assert_eq!(field("epoch"), "3");
        assert_eq!(field("loss").parse::<f32>().unwrap(), 1.0 / 3.0);
        assert_eq!(field("val_loss"), "");
        assert_eq!(field("engine"), "clear");
        assert_eq!(field("val_aux_loss"), "0.5");
    }

    #[test]
    fn metrics_written_before_mae_existed_still_read() {
        let old = r#"{"epochs":[{"epoch":1,"loss":0.5,"accuracy":0.8,
            "val_loss":0.4,"val_accuracy":0.85,"seconds":2.0}],"stopped":null}"#;
        let h: History = serde_json::from_str(old).unwrap();
        assert_eq!(h.epochs[0].mae, None);
        assert_eq!(h.epochs[0].val_accuracy, Some(0.85));
        assert!(h.val_mae().is_empty());
    }
}
