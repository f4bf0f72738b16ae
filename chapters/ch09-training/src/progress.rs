//! The progress line of each epoch, in the style of Keras:
//!
//! ```text
//! Epoch 1/30
//! 1719/1719 ━━━━━━━━━━━━━━━━━━━━ 6s 3.6ms/step - loss: 0.7163 - accuracy: 0.7652 - val_loss: …
//! ```
//!
//! While the epoch runs, an `indicatif` bar counts the steps and shows the
//! running loss and accuracy; when it ends, the bar is replaced by one
//! permanent line with the validation figures. All of it goes to standard
//! error, so that standard output holds the results alone. When standard
//! error is not a terminal (a log file, a notebook), the moving bar is not
//! drawn, but the permanent lines are still printed; when it cannot be
//! written at all (closed), training goes on without them.

use std::io::Write;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::history::EpochRecord;

/// How often (in steps) the bar's message is refreshed: formatting a string
/// every step would cost more than it shows.
const REFRESH_EVERY: usize = 25;

/// The bar and the permanent line of one epoch.
#[derive(Debug)]
pub struct EpochProgress {
    bar: Option<ProgressBar>,
    steps: usize,
}

// ANCHOR: progress
impl EpochProgress {
    /// Prints `Epoch e/E` and starts a bar of `steps` steps; with `verbose`
    /// false, shows nothing at all.
    pub fn start(epoch: usize, epochs: usize, steps: usize, verbose: bool) -> EpochProgress {
        if !verbose {
            return EpochProgress { bar: None, steps };
        }
        say(format_args!("Epoch {epoch}/{epochs}"));
        let style = ProgressStyle::with_template("{pos:>5}/{len} {bar:20} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("━━─");
        let bar = ProgressBar::with_draw_target(Some(steps as u64), ProgressDrawTarget::stderr())
            .with_style(style);
        EpochProgress {
            bar: Some(bar),
            steps,
        }
    }

    /// After step `step` (from 1), with the running means of the epoch.
    pub fn update(&self, step: usize, loss: f32, accuracy: Option<f32>) {
        let Some(bar) = &self.bar else { return };
        bar.set_position(step as u64);
        if step.is_multiple_of(REFRESH_EVERY) || step == self.steps {
            let per_step = bar.elapsed().as_secs_f64() * 1000.0 / step as f64;
            bar.set_message(format!(
                "{per_step:.1}ms/step - {}",
                metrics_text(loss, accuracy, None, None)
            ));
        }
    }

    /// Replaces the bar by the epoch's permanent line.
    pub fn finish(self, record: &EpochRecord) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
            say(format_args!("{}", epoch_line(self.steps, record)));
        }
    }
}
// ANCHOR_END: progress

/// Prints one line of progress to standard error; a progress line that
/// cannot be shown is not a reason to stop training.
pub(crate) fn say(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `loss: 0.5000 - accuracy: 0.8000 - val_loss: …`, skipping what is absent.
pub fn metrics_text(
    loss: f32,
    accuracy: Option<f32>,
    val_loss: Option<f32>,
    val_accuracy: Option<f32>,
) -> String {
    named_metrics_text(
        loss,
        &[
            ("accuracy", accuracy),
            ("val_loss", val_loss),
            ("val_accuracy", val_accuracy),
        ],
    )
}

/// `loss: 0.5000 - name: value - …` for the named values that are present.
fn named_metrics_text(loss: f32, named: &[(&str, Option<f32>)]) -> String {
    let mut parts = vec![format!("loss: {loss:.4}")];
    for (name, value) in named {
        if let Some(v) = value {
            parts.push(format!("{name}: {v:.4}"));
        }
    }
    parts.join(" - ")
}

/// The permanent line of an epoch of `steps` steps.
pub fn epoch_line(steps: usize, r: &EpochRecord) -> String {
    let per_step = r.seconds * 1000.0 / steps.max(1) as f64;
    // A model of several outputs: each output's loss, then its val_loss.
    let names: Vec<(String, String)> = r
        .outputs
        .iter()
        .map(|o| (format!("{}_loss", o.name), format!("val_{}_loss", o.name)))
        .collect();
    let mut named: Vec<(&str, Option<f32>)> = vec![("accuracy", r.accuracy), ("mae", r.mae)];
    named.extend(
        names
            .iter()
            .zip(&r.outputs)
            .map(|((n, _), o)| (n.as_str(), Some(o.loss))),
    );
    named.extend([
        ("val_loss", r.val_loss),
        ("val_accuracy", r.val_accuracy),
        ("val_mae", r.val_mae),
    ]);
    named.extend(
        names
            .iter()
            .zip(&r.outputs)
            .map(|((_, n), o)| (n.as_str(), o.val_loss)),
    );
    format!(
        "{steps:>5}/{steps} {} {:.1}s {per_step:.1}ms/step - {}{}",
        "━".repeat(20),
        r.seconds,
        named_metrics_text(r.loss, &named),
        engine_text(r),
    )
}

/// ` - engine: fast` (or clear): which engine trained the epoch.
fn engine_text(r: &EpochRecord) -> String {
    format!(" - engine: {}", r.engine.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_line_reads_like_keras() {
        let r = EpochRecord {
            epoch: 1,
            loss: 0.71634,
            accuracy: Some(0.76521),
            mae: None,
            val_loss: Some(0.5241),
            val_accuracy: None,
            val_mae: None,
            seconds: 6.2,
            engine: crate::fit::Engine::Clear,
            outputs: Vec::new(),
        };
        let line = epoch_line(1719, &r);
        assert!(line.starts_with(" 1719/1719 ━"), "{line}");
        assert!(
            line.contains("6.2s 3.6ms/step - loss: 0.7163 - accuracy: 0.7652 - val_loss: 0.5241"),
            "{line}"
        );
        assert!(!line.contains("val_accuracy"), "{line}");
        assert!(line.ends_with("val_loss: 0.5241 - engine: clear"), "{line}");
    }
}
