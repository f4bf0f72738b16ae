//! The chapter's figure, drawn by a function generic over the plotters
//! backend (an SVG file for the book, a notebook cell, …).

use ch00_toolbox::FigureResult;
use ch00_toolbox::figure::{colour, draw_legend, line_key};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::prelude::*;

use crate::momentum::{DescentRun, TARGET_WEIGHTS};

/// The name of a run in the legends.
fn run_name(run: &DescentRun) -> String {
    if run.momentum == 0.0 {
        "plain SGD (μ = 0)".to_string()
    } else {
        format!("momentum μ = {}", run.momentum)
    }
}

// ANCHOR: draw_momentum
/// Plain SGD against SGD with momentum in the valley of
/// [`momentum`](crate::momentum). Left: the loss after each step, on a log
/// scale, with `threshold` marked. Right: the first `path_steps` steps of
/// each run in the plane of the two weights, over contour lines of the loss.
pub fn draw_momentum<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[DescentRun],
    threshold: f32,
    path_steps: usize,
) -> FigureResult {
    let area = area.titled(
        "One Dense layer on a narrow quadratic valley: SGD with and without momentum",
        ("sans-serif", 20),
    )?;
    let (left, right) = area.split_horizontally(area.dim_in_pixel().0 / 2);

    let steps = runs
        .iter()
        .map(|r| r.losses.len())
        .max()
        .unwrap_or(1)
        .max(2)
        - 1;
    let floor = 1e-6f32;
    let mut chart = ChartBuilder::on(&left)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0f32..steps as f32, (floor..20.0f32).log_scale())?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0e}"))
        .x_desc("step")
        .y_desc("loss (mean squared error; floor 1e-6)")
        .draw()?;
    for (k, run) in runs.iter().enumerate() {
        let style = colour(k).stroke_width(2);
        let points = run
            .losses
            .iter()
            .enumerate()
            .map(|(t, &l)| (t as f32, l.max(floor)));
        let reached = match run.steps_to(threshold) {
            Some(t) => format!("{t} steps to loss < {threshold}"),
            None => format!("loss ≥ {threshold} throughout"),
        };
        chart
            .draw_series(LineSeries::new(points, style))?
            .label(format!("{}: {reached}", run_name(run)))
            .legend(line_key(style));
    }
    chart
        .draw_series(DashedLineSeries::new(
            [(0.0, threshold), (steps as f32, threshold)],
            6,
            4,
            BLACK.stroke_width(1),
        ))?
        .label(format!("loss = {threshold}"))
        .legend(line_key(BLACK.stroke_width(1)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;

    let (a, b) = TARGET_WEIGHTS;
    let (x_range, y_range) = (a - 2.5..a + 2.5, b - 11.0..b + 5.0);
    let mut chart = ChartBuilder::on(&right)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(45)
        .build_cartesian_2d(x_range.clone(), y_range.clone())?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_desc("weight w₁ (steep direction)")
        .y_desc("weight w₂ (shallow direction)")
        .draw()?;
    // Contours of (w₁ − a)² + 0.01·(w₂ − b)² = c: ellipses, ten times
    // longer along w₂ than along w₁.
    for c in [0.01f32, 0.1, 0.5, 1.0, 2.0, 5.0] {
        let ellipse = (0..=200).map(|i| {
            let t = std::f32::consts::TAU * i as f32 / 200.0;
            (a + c.sqrt() * t.cos(), b + 10.0 * c.sqrt() * t.sin())
        });
        let inside = ellipse.filter(|(x, y)| x_range.contains(x) && y_range.contains(y));
        chart.draw_series(inside.map(|p| Circle::new(p, 1, RGBColor(170, 170, 170).filled())))?;
    }
    for (k, run) in runs.iter().enumerate() {
        let style = colour(k).stroke_width(2);
        let path: Vec<(f32, f32)> = run.path.iter().take(path_steps + 1).copied().collect();
        chart
            .draw_series(LineSeries::new(path.iter().copied(), style))?
            .label(format!("{}, first {path_steps} steps", run_name(run)))
            .legend(line_key(style));
        chart.draw_series(path.iter().map(|&p| Circle::new(p, 2, colour(k).filled())))?;
    }
    chart.draw_series(std::iter::once(Cross::new(
        (a, b),
        7,
        BLACK.stroke_width(2),
    )))?;
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}
// ANCHOR_END: draw_momentum
