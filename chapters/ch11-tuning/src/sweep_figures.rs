//! The figures of the three sweeps, one drawing function each, generic over
//! the plotters backend: the sweep command writes them as SVG files, and a
//! notebook shows the same drawings inline (`ch00_toolbox::figure::show`).

use std::path::{Path, PathBuf};

use ch00_toolbox::FigureResult;
use ch00_toolbox::figure::{colour, dot_key, draw_legend, line_key};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::prelude::*;
use ch09_training::figures::save_figure;

use crate::sweeps::{Rule, RunResult, Sweep, SweepError, SweepReport};

/// The file each sweep's figure is written to, in the order depth, width,
/// batch.
pub const FIGURE_FILES: [&str; 3] = ["sweep-depth.svg", "sweep-width.svg", "sweep-batch.svg"];

/// The file name of `sweep`'s figure.
pub fn figure_file(sweep: Sweep) -> &'static str {
    match sweep {
        Sweep::Depth => FIGURE_FILES[0],
        Sweep::Width => FIGURE_FILES[1],
        Sweep::Batch => FIGURE_FILES[2],
    }
}

/// The size in pixels of `sweep`'s figure.
pub fn figure_size(sweep: Sweep) -> (u32, u32) {
    match sweep {
        Sweep::Depth => (960, 440),
        Sweep::Width => (760, 480),
        Sweep::Batch => (980, 760),
    }
}

/// Draws the figure of `report`'s sweep.
pub fn draw_sweep<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &SweepReport,
) -> FigureResult {
    match report.sweep {
        Sweep::Depth => draw_depth_sweep(area, report),
        Sweep::Width => draw_width_sweep(area, report),
        Sweep::Batch => draw_batch_sweep(area, report),
    }
}

/// Draws `report`'s figure into `dir` and returns the file's path.
pub fn save_sweep_figure(dir: &Path, report: &SweepReport) -> Result<PathBuf, SweepError> {
    let path = dir.join(figure_file(report.sweep));
    save_figure(&path, figure_size(report.sweep), |a| draw_sweep(a, report))?;
    Ok(path)
}

/// The smallest and largest finite values, widened to `step` and padded, or
/// `fallback` when there are none.
fn value_range(values: impl Iterator<Item = f64>, step: f64, fallback: (f64, f64)) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return fallback;
    }
    let lo = (lo / step).floor() * step;
    let hi = (hi / step).ceil() * step;
    if hi > lo {
        (lo, hi)
    } else {
        (lo - step, hi + step)
    }
}

/// Labels only whole numbers (epochs).
fn whole(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        String::new()
    }
}

/// The ticks of the width axis: exactly the widths that were run, in
/// order, each once.
fn width_ticks(report: &SweepReport) -> Vec<f64> {
    let mut widths: Vec<usize> = report
        .runs
        .iter()
        .filter_map(|r| r.config.hidden.first().copied())
        .filter(|&w| w > 0)
        .collect();
    widths.sort_unstable();
    widths.dedup();
    widths.into_iter().map(|w| w as f64).collect()
}

/// `(epoch, value)` for each epoch of a run where `value` is finite.
fn per_epoch(
    run: &RunResult,
    value: impl Fn(&ch09_training::EpochRecord) -> Option<f32>,
) -> Vec<(f64, f64)> {
    run.epochs
        .iter()
        .filter_map(|r| value(r).map(|v| (r.epoch as f64, f64::from(v))))
        .filter(|p| p.1.is_finite())
        .collect()
}

/// One panel: a line with dots per run against the epochs.
fn epoch_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    y_desc: &str,
    series: &[(String, Vec<(f64, f64)>)],
    legend: SeriesLabelPosition,
) -> FigureResult {
    let epochs = series
        .iter()
        .flat_map(|s| s.1.iter().map(|p| p.0))
        .fold(1.0f64, f64::max);
    let (lo, hi) = value_range(
        series.iter().flat_map(|s| s.1.iter().map(|p| p.1)),
        0.01,
        (0.0, 1.0),
    );
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0.5..epochs + 0.5, lo..hi)?;
    chart
        .configure_mesh()
        .x_label_formatter(&whole)
        .x_desc("epoch")
        .y_desc(y_desc)
        .draw()?;
    for (i, (name, points)) in series.iter().enumerate() {
        let c = colour(i);
        chart
            .draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))?
            .label(name.as_str())
            .legend(line_key(c.stroke_width(2)));
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, c.filled())))?;
    }
    draw_legend(&mut chart, legend)
}

// ANCHOR: draw_depth
/// The depth sweep: validation accuracy (left) and validation loss (right)
/// after each epoch, one line per depth.
pub fn draw_depth_sweep<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &SweepReport,
) -> FigureResult {
    let label = |r: &RunResult| {
        let widths = r.config.hidden.first().copied().unwrap_or(0);
        format!(
            "{} × {widths} ({} params)",
            r.config.hidden.len(),
            r.config.parameters()
        )
    };
    let accuracy: Vec<_> = report
        .runs
        .iter()
        .map(|r| (label(r), per_epoch(r, |e| e.val_accuracy)))
        .collect();
    let loss: Vec<_> = report
        .runs
        .iter()
        .map(|r| (label(r), per_epoch(r, |e| e.val_loss)))
        .collect();
    let panels = area.split_evenly((1, 2));
    epoch_panel(
        &panels[0],
        "Validation accuracy, by number of hidden layers",
        "validation accuracy",
        &accuracy,
        SeriesLabelPosition::LowerRight,
    )?;
    epoch_panel(
        &panels[1],
        "Validation loss",
        "validation loss",
        &loss,
        SeriesLabelPosition::UpperRight,
    )
}
// ANCHOR_END: draw_depth

// ANCHOR: draw_width
/// The width sweep against the number of units (log scale): accuracy on the
/// training set after training, on the validation set after the last epoch,
/// and the best validation accuracy of any epoch.
pub fn draw_width_sweep<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &SweepReport,
) -> FigureResult {
    let width = |r: &RunResult| r.config.hidden.first().copied().unwrap_or(1).max(1) as f64;
    type Value = fn(&RunResult) -> Option<f32>;
    // The best epoch's accuracy first, dashed, so that the last epoch's
    // stays visible where the two agree.
    let series: [(&str, Value, usize, bool); 3] = [
        (
            "best validation accuracy (any epoch)",
            |r| r.best_val_accuracy().map(|b| b.1),
            2,
            true,
        ),
        (
            "training accuracy (after training)",
            |r| r.train_accuracy,
            0,
            false,
        ),
        (
            "validation accuracy (last epoch)",
            RunResult::final_val_accuracy,
            1,
            false,
        ),
    ];
    let points: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|(_, value, _, _)| {
            report
                .runs
                .iter()
                .filter_map(|r| value(r).map(|v| (width(r), f64::from(v))))
                .filter(|p| p.1.is_finite())
                .collect()
        })
        .collect();
    let (lo, hi) = value_range(points.iter().flatten().map(|p| p.1), 0.01, (0.0, 1.0));
    let (w_lo, w_hi) = report
        .runs
        .iter()
        .map(width)
        .fold((f64::INFINITY, 0.0f64), |(a, b), w| (a.min(w), b.max(w)));
    let (w_lo, w_hi) = if w_lo <= w_hi {
        (w_lo * 0.8, w_hi * 1.25)
    } else {
        (1.0, 10.0)
    };
    let mut chart = ChartBuilder::on(area)
        .caption(
            "One hidden layer: accuracy against its width",
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(
            (w_lo..w_hi)
                .log_scale()
                .with_key_points(width_ticks(report)),
            lo..hi,
        )?;
    // A tick at each width that was run, and no other.
    chart
        .configure_mesh()
        .x_desc("units in the hidden layer (log scale)")
        .y_desc("accuracy")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .light_line_style(WHITE)
        .draw()?;
    for ((name, _, i, dashed), points) in series.iter().zip(&points) {
        let c = colour(*i);
        let style = c.stroke_width(2);
        if *dashed {
            chart
                .draw_series(DashedLineSeries::new(points.clone(), 7, 5, style))?
                .label(*name)
                // The legend's key dashed too: two dashes with the line's gap.
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new([(0, 0), (7, 0)], style)
                        + PathElement::new([(12, 0), (20, 0)], style)
                });
        } else {
            chart
                .draw_series(LineSeries::new(points.clone(), style))?
                .label(*name)
                .legend(line_key(style));
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, c.filled())))?;
        }
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}
// ANCHOR_END: draw_width

// ANCHOR: draw_batch
/// The batch sweep: validation accuracy against epochs (left) and against
/// seconds of training (right), with the learning rate unscaled (top) and
/// scaled with the batch size (bottom); one line per batch size.
pub fn draw_batch_sweep<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &SweepReport,
) -> FigureResult {
    let panels = area.split_evenly((2, 2));
    let (lo, hi) = value_range(
        report
            .runs
            .iter()
            .flat_map(|r| per_epoch(r, |e| e.val_accuracy))
            .map(|p| p.1),
        0.01,
        (0.0, 1.0),
    );
    let epochs = report
        .runs
        .iter()
        .map(|r| r.epochs.len())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let seconds = report
        .runs
        .iter()
        .flat_map(|r| r.accuracy_over_time())
        .map(|p| p.0)
        .fold(1e-3f64, f64::max);
    for (row, rule) in [Rule::Unscaled, Rule::Scaled].into_iter().enumerate() {
        let runs: Vec<&RunResult> = report
            .runs
            .iter()
            .filter(|r| r.config.rule.is_some_and(|own| own.serves(rule)))
            .collect();
        let what = match rule {
            Rule::Scaled => "learning rate 0.01 × batch / 32",
            _ => "learning rate 0.01",
        };
        for (col, by_time) in [false, true].into_iter().enumerate() {
            let panel = &panels[row * 2 + col];
            let x_max = if by_time {
                seconds * 1.02
            } else {
                epochs + 0.5
            };
            let x_min = if by_time { 0.0 } else { 0.5 };
            let title = if by_time {
                format!("{what}, against seconds")
            } else {
                format!("{what}, against epochs")
            };
            let mut chart = ChartBuilder::on(panel)
                .caption(title, ("sans-serif", 16))
                .margin(8)
                .x_label_area_size(34)
                .y_label_area_size(52)
                .build_cartesian_2d(x_min..x_max, lo..hi)?;
            let mut mesh = chart.configure_mesh();
            mesh.y_desc("validation accuracy");
            if by_time {
                mesh.x_desc("seconds of training (this machine)");
            } else {
                mesh.x_desc("epoch").x_label_formatter(&whole);
            }
            mesh.draw()?;
            for run in &runs {
                let i = report
                    .runs
                    .iter()
                    .filter(|r| r.config.rule.is_some_and(|own| own.serves(rule)))
                    .position(|r| std::ptr::eq(r, *run))
                    .unwrap_or(0);
                let c = colour(i);
                let points = if by_time {
                    run.accuracy_over_time()
                } else {
                    per_epoch(run, |e| e.val_accuracy)
                };
                let line = chart.draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))?;
                if by_time {
                    line.label(format!("batch {}", run.config.batch_size))
                        .legend(dot_key(c.filled(), 4));
                }
                chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, c.filled())))?;
            }
            // One legend per row, where the slow and poor runs would be:
            // the lower right of the panel against seconds.
            if by_time {
                draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
            }
        }
    }
    Ok(())
}
// ANCHOR_END: draw_batch

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_padded_and_never_empty() {
        let (lo, hi) = value_range([0.834, 0.871].into_iter(), 0.01, (0.0, 1.0));
        assert!(
            (lo - 0.83).abs() < 1e-9 && (hi - 0.88).abs() < 1e-9,
            "{lo} {hi}"
        );
        assert_eq!(
            value_range([f64::NAN].into_iter(), 0.01, (0.0, 1.0)),
            (0.0, 1.0)
        );
        let (lo, hi) = value_range([0.5].into_iter(), 0.01, (0.0, 1.0));
        assert!(lo < 0.5 && hi > 0.5, "{lo} {hi}");
    }

    #[test]
    fn the_width_axis_ticks_the_widths_run() {
        let runs = [300, 50, 1000, 100]
            .iter()
            .map(|&w| RunResult {
                config: crate::sweeps::width_configs(&[w]).unwrap().remove(0),
                epochs: Vec::new(),
                stopped: None,
                train_accuracy: None,
                seconds: 0.0,
            })
            .collect();
        let report = SweepReport {
            sweep: Sweep::Width,
            settings: crate::sweeps::Settings {
                epochs: 1,
                seed: 0,
                engine: ch09_training::Engine::Clear,
                verbose: false,
            },
            train_images: 0,
            valid_images: 0,
            runs,
            seconds: 0.0,
        };
        assert_eq!(width_ticks(&report), [50.0, 100.0, 300.0, 1000.0]);
    }
}
