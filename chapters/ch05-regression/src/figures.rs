//! The chapter's figures, one drawing function each, generic over the
//! plotters backend (an SVG file for the book, a notebook cell, …).

use ch00_toolbox::figure::{colour, dot_key, draw_legend, line_key};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::prelude::*;
use ch00_toolbox::{FigureError, FigureResult};
use ch04_backprop::{Loss, Mse};
use ndarray::array;

use crate::losses::{Huber, Mae};
use crate::overfitting::{CurvePoint, OverfitRun};
use crate::train::EpochLosses;

/// A curve of the learning-curve figure: its legend and what it reads.
type Series = (&'static str, fn(&EpochLosses) -> f32);

/// A curve of the overfitting figure: its legend and what it reads.
type CurveSeries = (&'static str, fn(&CurvePoint) -> f32);

// ANCHOR: draw_learning_curves
/// Training and validation MSE per epoch. The y axis stops at `y_max`; a
/// value above it is drawn on the top edge and labelled with its value.
pub fn draw_learning_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    history: &[EpochLosses],
    y_max: f32,
) -> FigureResult {
    let epochs = history.len().max(1) as f32;
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Learning curves: Dense(30, ReLU) → Dense(1) on California housing",
            ("sans-serif", 20),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.5f32..epochs + 0.5, 0.0f32..y_max)?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .x_desc("epoch")
        .y_desc("mean squared error ($100 000)²")
        .draw()?;
    let series: [Series; 2] = [
        ("training (mean over the epoch)", |e| e.train),
        ("validation (after the epoch)", |e| e.valid),
    ];
    for (k, (label, get)) in series.into_iter().enumerate() {
        let points: Vec<(f32, f32)> = history.iter().map(|e| (e.epoch as f32, get(e))).collect();
        let clipped = points.iter().map(|&(x, y)| (x, y.min(y_max)));
        chart
            .draw_series(LineSeries::new(clipped.clone(), colour(k).stroke_width(2)))?
            .label(label)
            .legend(line_key(colour(k).stroke_width(2)));
        chart.draw_series(clipped.map(|p| Circle::new(p, 3, colour(k).filled())))?;
        for &(x, y) in points.iter().filter(|p| p.1 > y_max) {
            chart.draw_series(std::iter::once(Text::new(
                format!("↑ {y:.2}"),
                (x + 0.3, y_max * (0.97 - 0.05 * k as f32)),
                ("sans-serif", 14).into_font().color(&colour(k)),
            )))?;
        }
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}
// ANCHOR_END: draw_learning_curves

// ANCHOR: draw_predicted_vs_actual
/// One dot per test district: its actual median house value against the
/// model's prediction, both in units of 100 000 dollars, with the line of
/// perfect predictions. Dots outside the square are drawn on its edge.
pub fn draw_predicted_vs_actual<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pairs: &[(f32, f32)],
    test_mse: f32,
) -> FigureResult {
    let hi = 5.5f32;
    let title = format!("Test set: predicted vs actual value (MSE {test_mse:.4})");
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0f32..hi, 0.0f32..hi)?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_desc("actual median house value ($100 000)")
        .y_desc("predicted ($100 000)")
        .draw()?;
    let dots = pairs.iter().map(|&(a, p)| {
        Circle::new(
            (a.clamp(0.0, hi), p.clamp(0.0, hi)),
            2,
            colour(0).mix(0.35).filled(),
        )
    });
    chart
        .draw_series(dots)?
        .label("a test district")
        .legend(dot_key(colour(0).filled(), 3));
    chart
        .draw_series(LineSeries::new(
            [(0.0, 0.0), (hi, hi)],
            colour(1).stroke_width(2),
        ))?
        .label("predicted = actual")
        .legend(line_key(colour(1).stroke_width(2)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}
// ANCHOR_END: draw_predicted_vs_actual

// ANCHOR: draw_overfitting
/// The overfitting experiment in two panels. Left: training and validation
/// MSE against the epoch, with the epoch of the lowest validation loss
/// marked. Right: the training points, the noise-free curve they were drawn
/// from, and the network's fitted curve early on, at the best epoch and at
/// the end.
pub fn draw_overfitting<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    run: &OverfitRun,
) -> FigureResult {
    let n = run.train.len();
    let area = area.titled(
        &format!("Overfitting: a large network, {n} noisy points, full-batch gradient descent"),
        ("sans-serif", 20),
    )?;
    let (left, right) = area.split_horizontally(area.dim_in_pixel().0 / 2);
    let last = run.curve.last().map_or(1, |p| p.epoch).max(1) as f32;
    let top = run
        .curve
        .iter()
        .skip(1)
        .map(|p| p.train.max(p.valid))
        .fold(0.0f32, f32::max)
        * 1.1;
    let mut chart = ChartBuilder::on(&left)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0f32..last, 0.0f32..top.max(0.1))?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .x_desc("epoch (one full-batch step each)")
        .y_desc("mean squared error")
        .draw()?;
    let series: [CurveSeries; 2] = [("training", |p| p.train), ("validation", |p| p.valid)];
    for (k, (label, get)) in series.into_iter().enumerate() {
        let points = run.curve.iter().map(|p| (p.epoch as f32, get(p).min(top)));
        chart
            .draw_series(LineSeries::new(points, colour(k).stroke_width(2)))?
            .label(label)
            .legend(line_key(colour(k).stroke_width(2)));
    }
    let best = run.best.epoch as f32;
    chart
        .draw_series(DashedLineSeries::new(
            [(best, 0.0), (best, top)],
            6,
            4,
            BLACK.stroke_width(1),
        ))?
        .label(format!(
            "lowest validation MSE ({:.3}, epoch {})",
            run.best.valid, run.best.epoch
        ))
        .legend(line_key(BLACK.stroke_width(1)));
    let text = ("sans-serif", 15).into_font();
    chart.draw_series([
        Text::new("← underfitting", (best * 0.15, top * 0.06), text.clone()),
        Text::new("overfitting →", ((best + last) * 0.5, top * 0.06), text),
    ])?;
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;

    let mut chart = ChartBuilder::on(&right)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(45)
        .build_cartesian_2d(0.0f32..1.0, -2.0f32..2.0)?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_desc("x")
        .y_desc("y")
        .draw()?;
    let truth = (0..=200).map(|i| {
        let x = i as f32 / 200.0;
        (x, (std::f32::consts::TAU * x).sin())
    });
    chart
        .draw_series(DashedLineSeries::new(
            truth,
            5,
            4,
            RGBColor(120, 120, 120).stroke_width(2),
        ))?
        .label("sin 2πx (no noise)")
        .legend(line_key(RGBColor(120, 120, 120).stroke_width(2)));
    let names = ["early", "at the lowest validation MSE", "at the end"];
    for (k, snap) in run.snapshots.iter().enumerate() {
        let style = colour(k + 2).stroke_width(2);
        let curve = snap.curve.iter().map(|&(x, y)| (x, y.clamp(-2.0, 2.0)));
        let name = names.get(k).copied().unwrap_or("fitted");
        chart
            .draw_series(LineSeries::new(curve, style))?
            .label(format!("epoch {}: {name}", snap.epoch))
            .legend(line_key(style));
    }
    chart
        .draw_series(run.train.iter().map(|&p| Circle::new(p, 4, BLACK.filled())))?
        .label("training points")
        .legend(dot_key(BLACK.filled(), 4));
    draw_legend(&mut chart, SeriesLabelPosition::LowerLeft)
}
// ANCHOR_END: draw_overfitting

/// The loss of one prediction with error `e`, and its slope, from the
/// chapter's [`Loss`] implementations (a batch of one, target 0).
fn one(loss: &dyn Loss, e: f32) -> Result<(f32, f32), FigureError> {
    let (p, y) = (array![[e]], array![[0.0f32]]);
    let err = |e: ch04_backprop::NetError| FigureError(e.to_string());
    let value = loss.value(p.view(), y.view()).map_err(err)?;
    let slope = loss.gradient(p.view(), y.view()).map_err(err)?[[0, 0]];
    Ok((value, slope))
}

// ANCHOR: draw_regression_losses
/// MSE, MAE and Huber (δ = 1) against the error of one prediction (left),
/// and their slopes, the part of the gradient each error sends back (right).
pub fn draw_regression_losses<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult {
    let area = area.titled(
        "Three regression losses and their gradients",
        ("sans-serif", 20),
    )?;
    let (left, right) = area.split_horizontally(area.dim_in_pixel().0 / 2);
    let losses: [(&str, &dyn Loss); 3] = [
        ("MSE", &Mse),
        ("MAE", &Mae),
        ("Huber, δ = 1", &Huber { delta: 1.0 }),
    ];
    let errors: Vec<f32> = (0..=600).map(|i| -3.0 + 6.0 * i as f32 / 600.0).collect();
    let panels = [
        (&left, "loss", 0.0f32..5.0, 0usize),
        (&right, "slope dL/dp", -3.5..3.5, 1),
    ];
    for (panel, what, range, which) in panels {
        let mut chart = ChartBuilder::on(panel)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(45)
            .build_cartesian_2d(-3.0f32..3.0, range.clone())?;
        chart
            .configure_mesh()
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .x_desc("error e = prediction − target")
            .y_desc(what)
            .draw()?;
        for (k, (name, loss)) in losses.iter().enumerate() {
            let mut points = Vec::with_capacity(errors.len());
            for &e in &errors {
                let (v, s) = one(*loss, e)?;
                let y = if which == 0 { v } else { s };
                if range.contains(&y) {
                    points.push((e, y));
                }
            }
            chart
                .draw_series(LineSeries::new(points, colour(k).stroke_width(2)))?
                .label(*name)
                .legend(line_key(colour(k).stroke_width(2)));
        }
        let position = if which == 0 {
            SeriesLabelPosition::UpperMiddle
        } else {
            SeriesLabelPosition::UpperLeft
        };
        draw_legend(&mut chart, position)?;
    }
    Ok(())
}
// ANCHOR_END: draw_regression_losses

#[cfg(test)]
mod tests {
    use super::*;
    use ch00_toolbox::figure::svg_string;

    #[test]
    fn the_loss_figure_uses_the_real_losses() {
        assert_eq!(one(&Mse, 2.0).unwrap(), (4.0, 4.0));
        assert_eq!(one(&Mae, -2.0).unwrap(), (2.0, -1.0));
        assert_eq!(one(&Huber { delta: 1.0 }, 3.0).unwrap(), (2.5, 1.0));
        #[allow(clippy::redundant_closure)]
        let svg = svg_string((900, 400), |a| draw_regression_losses(a)).unwrap();
        assert!(svg.contains("Huber") && svg.contains("slope"));
    }

    #[test]
    fn curves_mark_values_above_the_axis_and_scatter_draws_every_point() {
        let history = [
            EpochLosses {
                epoch: 1,
                train: 1.8,
                valid: 5.31,
            },
            EpochLosses {
                epoch: 2,
                train: 0.7,
                valid: 0.6,
            },
        ];
        let svg = svg_string((800, 450), |a| draw_learning_curves(a, &history, 2.0)).unwrap();
        assert!(svg.contains("↑ 5.31"), "the clipped value is labelled");
        assert!(!svg.contains("↑ 1.80"));
        let pairs = [(1.0, 1.2), (2.0, 7.0), (4.0, 3.5)];
        let svg = svg_string((600, 600), |a| draw_predicted_vs_actual(a, &pairs, 0.5)).unwrap();
        assert!(svg.contains("MSE 0.5000"));
        assert_eq!(
            svg.matches("<circle").count(),
            3 + 1,
            "three districts and the legend mark"
        );
    }
}
