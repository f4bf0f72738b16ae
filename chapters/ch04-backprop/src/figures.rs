//! The chapter's figures, one drawing function each, generic over the
//! plotters backend (an SVG file for the book, a notebook cell, …).

use ch00_toolbox::FigureResult;
use ch00_toolbox::figure::{colour, dot_key, draw_legend, line_key};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::coord::types::RangedCoordf32;
use ch00_toolbox::plotters::prelude::*;

use crate::activation::Activation;
use crate::descent::{Step, one_weight_loss};
use crate::error::NetError;
use crate::gradient_check::GradientCheck;
use crate::network::Mlp;
use crate::xor::{output_grid, xor_inputs, xor_targets};

fn figure_error(e: NetError) -> ch00_toolbox::FigureError {
    ch00_toolbox::FigureError(e.to_string())
}

// ANCHOR: draw_activations
/// Step, sigmoid, tanh and ReLU on `[-4, 4]`, each in its own panel with its
/// derivative dashed.
pub fn draw_activations<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult {
    let area = area.titled(
        "Activation functions f(z) and their derivatives f'(z)",
        ("sans-serif", 22),
    )?;
    let panels = area.split_evenly((2, 2));
    let functions = [
        (Activation::Step, -0.3f32..1.3),
        (Activation::Sigmoid, -0.3..1.3),
        (Activation::Tanh, -1.3..1.3),
        (Activation::Relu, -0.5..4.2),
    ];
    for (panel, (f, y_range)) in panels.iter().zip(functions) {
        let mut chart = ChartBuilder::on(panel)
            .caption(f.name(), ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(40)
            .build_cartesian_2d(-4.0f32..4.0, y_range)?;
        chart
            .configure_mesh()
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .x_desc("z")
            .y_desc("value")
            .draw()?;
        let zs = (0..=800).map(|i| -4.0 + 8.0 * i as f32 / 800.0);
        chart
            .draw_series(LineSeries::new(
                zs.clone().map(|z| (z, f.value(z))),
                colour(0).stroke_width(2),
            ))?
            .label("f(z)")
            .legend(line_key(colour(0).stroke_width(2)));
        chart
            .draw_series(DashedLineSeries::new(
                zs.map(|z| (z, f.slope(z))),
                6,
                4,
                colour(1).stroke_width(2),
            ))?
            .label("f'(z)")
            .legend(line_key(colour(1).stroke_width(2)));
        draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    }
    Ok(())
}
// ANCHOR_END: draw_activations

/// The mean training loss per epoch of one or more runs, on a log scale.
/// `runs` are `(label, losses)` pairs.
pub fn draw_loss_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    runs: &[(&str, &[f32])],
) -> FigureResult {
    let epochs = runs.iter().map(|(_, l)| l.len()).max().unwrap_or(1).max(2);
    let positive = runs
        .iter()
        .flat_map(|(_, l)| l.iter())
        .filter(|v| **v > 0.0);
    let lowest = positive.clone().fold(f32::INFINITY, |a, &b| a.min(b));
    let highest = positive.fold(0.0f32, |a, &b| a.max(b));
    let (lo, hi) = if lowest.is_finite() {
        (lowest / 2.0, highest * 2.0)
    } else {
        (1e-3, 1.0)
    };
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(1..epochs, (lo..hi).log_scale())?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_desc("epoch")
        .y_desc("mean training loss (MSE, log scale)")
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for (i, (label, losses)) in runs.iter().enumerate() {
        let c = colour(i);
        chart
            .draw_series(LineSeries::new(
                losses.iter().enumerate().map(|(e, &l)| (e + 1, l)),
                c.stroke_width(2),
            ))?
            .label(*label)
            .legend(line_key(c.stroke_width(2)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerLeft)
}

/// The colour of an output value in the decision-region figure: four bands,
/// blue below 0.5 (the network says 0), orange above (it says 1).
fn band(v: f32) -> (RGBColor, usize) {
    let blue = colour(0);
    let orange = colour(4);
    let light = |c: RGBColor| RGBColor(lighten(c.0), lighten(c.1), lighten(c.2));
    if v < 0.25 {
        (blue, 0)
    } else if v < 0.5 {
        (light(blue), 1)
    } else if v < 0.75 {
        (light(orange), 2)
    } else {
        (orange, 3)
    }
}

fn lighten(c: u8) -> u8 {
    (c as u16 + (255 - c as u16) * 3 / 5) as u8
}

const BAND_LABELS: [&str; 4] = ["output < 0.25", "0.25 – 0.5", "0.5 – 0.75", "output ≥ 0.75"];

// ANCHOR: draw_regions
/// What each network answers over the square `[-0.25, 1.25]²`, side by side,
/// with the four XOR points on top (circles: XOR = 0, triangles: XOR = 1).
/// `networks` are `(title, network)` pairs with two inputs and one output;
/// the grid has `resolution` points a side.
pub fn draw_xor_regions<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    networks: &[(&str, &Mlp)],
    resolution: usize,
) -> FigureResult {
    let area = area.titled(
        "What the network answers for each input (x₁, x₂)",
        ("sans-serif", 22),
    )?;
    let height = area.dim_in_pixel().1;
    let (top, legend) = area.split_vertically(height.saturating_sub(36));
    let panels = top.split_evenly((1, networks.len().max(1)));
    let (lo, hi) = (-0.25f32, 1.25f32);
    for (panel, (title, mlp)) in panels.iter().zip(networks) {
        // The grid helper covers the unit square; stretch it to [lo, hi].
        let grid = output_grid(&stretch(mlp, lo, hi).map_err(figure_error)?, resolution)
            .map_err(figure_error)?;
        let mut chart = ChartBuilder::on(panel)
            .caption(*title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(40)
            .build_cartesian_2d(lo..hi, lo..hi)?;
        chart
            .configure_mesh()
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .disable_mesh()
            .x_desc("x₁")
            .y_desc("x₂")
            .draw()?;
        // One rectangle per run of equal colour along a row keeps the SVG small.
        let cell = (hi - lo) / (resolution - 1) as f32;
        let mut rects = Vec::new();
        for (i, row) in grid.rows().into_iter().enumerate() {
            let y = lo + i as f32 * cell;
            let mut start = 0;
            for j in 1..=row.len() {
                if j == row.len() || band(row[j]).1 != band(row[start]).1 {
                    let x0 = lo + (start as f32 - 0.5) * cell;
                    let x1 = lo + (j as f32 - 0.5) * cell;
                    let corners = [(x0, y - cell / 2.0), (x1, y + cell / 2.0)];
                    rects.push(Rectangle::new(corners, band(row[start]).0.filled()));
                    start = j;
                }
            }
        }
        chart.draw_series(rects)?;
        draw_xor_points(&mut chart)?;
    }
    draw_regions_legend(&legend)
}
// ANCHOR_END: draw_regions

/// The legend of [`draw_xor_regions`], in a strip under the panels so that
/// it hides no point.
fn draw_regions_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult {
    let font = ("sans-serif", 14).into_font();
    let y = 18;
    let mut x = 30;
    for (k, label) in BAND_LABELS.iter().enumerate() {
        let c = band(0.125 + 0.25 * k as f32).0;
        area.draw(&Rectangle::new([(x, y - 7), (x + 14, y + 7)], c.filled()))?;
        area.draw(&Rectangle::new(
            [(x, y - 7), (x + 14, y + 7)],
            BLACK.stroke_width(1),
        ))?;
        area.draw(&Text::new(*label, (x + 20, y - 7), font.clone()))?;
        x += 40 + 8 * label.chars().count() as i32;
    }
    area.draw(&Circle::new((x + 7, y), 6, BLACK.stroke_width(2)))?;
    area.draw(&Text::new("XOR = 0", (x + 20, y - 7), font.clone()))?;
    x += 100;
    area.draw(&TriangleMarker::new((x + 7, y), 7, BLACK.filled()))?;
    area.draw(&Text::new("XOR = 1", (x + 20, y - 7), font))?;
    Ok(())
}

/// The four XOR points: open circles for 0, filled triangles for 1.
fn draw_xor_points<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf32, RangedCoordf32>>,
) -> FigureResult {
    let (x, y) = (xor_inputs(), xor_targets());
    for (r, &t) in x.rows().into_iter().zip(y.iter()) {
        let p = (r[0], r[1]);
        if t >= 0.5 {
            chart.draw_series(std::iter::once(TriangleMarker::new(p, 10, BLACK.filled())))?;
        } else {
            chart.draw_series(std::iter::once(Circle::new(p, 8, BLACK.stroke_width(3))))?;
        }
    }
    Ok(())
}

/// A copy of `mlp` whose inputs are first mapped from the unit square to
/// `[lo, hi]²`: `x ↦ lo + (hi − lo)·x`, folded into the first layer's
/// weights and biases so that [`output_grid`] can cover a larger square.
fn stretch(mlp: &Mlp, lo: f32, hi: f32) -> Result<Mlp, NetError> {
    let mut copy = mlp.clone();
    let first = copy
        .layers
        .first_mut()
        .ok_or_else(|| NetError::InvalidArgument("the network has no layers".into()))?;
    // (lo + s·x)·W + b = x·(s·W) + (b + lo·Σ_rows W)
    let shift = first.weights.sum_axis(ndarray::Axis(0)) * lo;
    first.bias = &first.bias + &shift;
    first.weights *= hi - lo;
    Ok(copy)
}

// ANCHOR: draw_gradient_check
/// The relative error between backpropagation and the central difference,
/// for every parameter of the checked network (log scale), with the test's
/// tolerance as a line.
pub fn draw_gradient_check<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    check: &GradientCheck,
    tolerance: f32,
) -> FigureResult {
    let n = check.comparisons.len().max(1);
    let floor = 1e-7f32; // errors of exactly 0 are drawn here
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!(
                "Gradient check of {n} parameters (f32, ε = {})",
                check.epsilon
            ),
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0..n, (floor..1.0f32).log_scale())?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_desc("parameter (weights then biases, layer by layer)")
        .y_desc("relative error")
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    let last_layer = check.comparisons.iter().map(|c| c.layer).max().unwrap_or(0);
    for layer in 0..=last_layer {
        let c = colour(layer);
        let points = check
            .comparisons
            .iter()
            .enumerate()
            .filter(|(_, g)| g.layer == layer);
        chart
            .draw_series(
                points.map(|(k, g)| Circle::new((k, g.relative_error().max(floor)), 4, c.filled())),
            )?
            .label(format!("layer {}", layer + 1))
            .legend(dot_key(c.filled(), 4));
    }
    chart
        .draw_series(DashedLineSeries::new(
            [(0, tolerance), (n, tolerance)],
            6,
            4,
            colour(1).stroke_width(2),
        ))?
        .label(format!("tolerance {tolerance:.0e}"))
        .legend(line_key(colour(1).stroke_width(2)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}
// ANCHOR_END: draw_gradient_check

// ANCHOR: draw_one_weight
/// The loss `L(w) = (w·x − y)²` of a one-weight unit as a curve over `w`,
/// with the points of a descent run (`steps`, from
/// [`crate::descent::one_weight_steps`]) marked and joined in order.
pub fn draw_one_weight_descent<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x: f64,
    y: f64,
    eta: f64,
    steps: &[Step],
) -> FigureResult {
    let best = if x != 0.0 { y / x } else { 0.0 };
    let w_lo = steps.iter().map(|s| s.w).fold(best, f64::min) - 0.3;
    let w_hi = steps.iter().map(|s| s.w).fold(best, f64::max) + 0.6;
    let top = steps.iter().map(|s| s.loss).fold(1.0, f64::max) * 1.15;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("Gradient descent on L(w) = ({x}w − {y})², η = {eta}"),
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(w_lo..w_hi, -0.03 * top..top)?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_desc("the weight w")
        .y_desc("loss L(w)")
        .draw()?;
    let ws = (0..=400).map(|i| w_lo + (w_hi - w_lo) * i as f64 / 400.0);
    chart
        .draw_series(LineSeries::new(
            ws.map(|w| (w, one_weight_loss(x, y, w)))
                .filter(|&(_, l)| l <= top),
            colour(0).stroke_width(2),
        ))?
        .label("L(w)")
        .legend(line_key(colour(0).stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            steps.iter().map(|s| (s.w, s.loss)),
            colour(1).stroke_width(1),
        ))?
        .label("w after k steps")
        .legend(dot_key(colour(1).filled(), 5));
    chart.draw_series(
        steps
            .iter()
            .map(|s| Circle::new((s.w, s.loss), 5, colour(1).filled())),
    )?;
    // Label the first few points with their step number k.
    chart.draw_series(steps.iter().take(4).map(|s| {
        Text::new(
            format!("k = {}", s.k),
            (s.w + 0.06 * (w_hi - w_lo) / 4.0, s.loss + 0.03 * top),
            ("sans-serif", 14).into_font(),
        )
    }))?;
    chart
        .draw_series(std::iter::once(TriangleMarker::new(
            (best, 0.0),
            7,
            colour(2).filled(),
        )))?
        .label(format!("lowest point w* = {best}"))
        .legend(dot_key(colour(2).filled(), 5));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}
// ANCHOR_END: draw_one_weight

// ANCHOR: draw_learning_rates
/// Descent runs with several learning rates side by side: the weight after
/// each step (left, with the best weight dashed) and the loss after each step
/// (right, log scale). `runs` are `(η, steps)` pairs on the same problem.
pub fn draw_learning_rates<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    best: f64,
    runs: &[(f64, Vec<Step>)],
) -> FigureResult {
    let area = area.titled(
        "The same descent with four learning rates η",
        ("sans-serif", 22),
    )?;
    let panels = area.split_evenly((1, 2));
    let n = runs.iter().map(|(_, s)| s.len()).max().unwrap_or(2).max(2) - 1;
    let label = |eta: f64| format!("η = {eta}");

    let mut left = ChartBuilder::on(&panels[0])
        .caption("the weight w_k", ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(45)
        .build_cartesian_2d(0..n, (best - 4.0)..(best + 4.0))?;
    left.configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_desc("step k")
        .y_desc("w")
        .draw()?;
    left.draw_series(DashedLineSeries::new(
        [(0, best), (n, best)],
        6,
        4,
        BLACK.stroke_width(1),
    ))?;
    // Points far outside the panel are drawn at its edge, where the line
    // leaves the picture.
    let clamp = |w: f64| w.clamp(best - 4.5, best + 4.5);
    for (i, (eta, steps)) in runs.iter().enumerate() {
        let c = colour(i);
        left.draw_series(LineSeries::new(
            steps.iter().map(|s| (s.k, clamp(s.w))),
            c.stroke_width(2),
        ))?
        .label(label(*eta))
        .legend(line_key(c.stroke_width(2)));
        left.draw_series(
            steps
                .iter()
                .filter(|s| (s.w - best).abs() <= 4.0)
                .map(|s| Circle::new((s.k, s.w), 3, c.filled())),
        )?;
    }
    draw_legend(&mut left, SeriesLabelPosition::LowerRight)?;

    let positive = runs.iter().flat_map(|(_, s)| s.iter()).map(|s| s.loss);
    let lo = positive
        .clone()
        .filter(|&l| l > 0.0)
        .fold(f64::INFINITY, f64::min);
    let hi = positive.fold(0.0, f64::max);
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo / 3.0, hi * 3.0)
    } else {
        (1e-6, 1.0)
    };
    let mut right = ChartBuilder::on(&panels[1])
        .caption("the loss L(w_k), log scale", ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(55)
        .build_cartesian_2d(0..n, (lo..hi).log_scale())?;
    right
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_desc("step k")
        .y_desc("L")
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for (i, (eta, steps)) in runs.iter().enumerate() {
        let c = colour(i).stroke_width(2);
        let points = steps.iter().map(|s| (s.k, s.loss.max(lo)));
        // A loss curve that lies exactly on an earlier one is dashed, so that
        // both stay visible.
        let same_as_earlier = runs[..i].iter().any(|(_, other)| {
            other.len() == steps.len()
                && other
                    .iter()
                    .zip(steps)
                    .all(|(a, b)| (a.loss - b.loss).abs() <= 1e-9 * a.loss.abs().max(1e-12))
        });
        if same_as_earlier {
            right.draw_series(DashedLineSeries::new(points, 8, 6, c))?
        } else {
            right.draw_series(LineSeries::new(points, c))?
        }
        .label(label(*eta))
        .legend(line_key(c));
    }
    draw_legend(&mut right, SeriesLabelPosition::LowerLeft)
}
// ANCHOR_END: draw_learning_rates
