//! The chapter's figures, one drawing function each, generic over the
//! plotters backend (an SVG file for the book, a notebook cell, …).

use ch00_toolbox::FigureResult;
use ch00_toolbox::figure::{colour, dot_key, draw_legend, line_key};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::coord::types::RangedCoordf32;
use ch00_toolbox::plotters::element::DashedPathElement;
use ch00_toolbox::plotters::prelude::*;
use ch00_toolbox::plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// The position of a text or shape in the network diagram's virtual
/// 900 × 560 frame, mapped onto the drawing area.
struct DiagramFrame {
    scale: f64,
    dx: f64,
    dy: f64,
}

impl DiagramFrame {
    fn fit<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, w: f64, h: f64) -> Self {
        let (pw, ph) = area.dim_in_pixel();
        let scale = (f64::from(pw) / w).min(f64::from(ph) / h);
        DiagramFrame {
            scale,
            dx: (f64::from(pw) - w * scale) / 2.0,
            dy: (f64::from(ph) - h * scale) / 2.0,
        }
    }
    fn p(&self, (x, y): (f64, f64)) -> (i32, i32) {
        (
            (self.dx + x * self.scale).round() as i32,
            (self.dy + y * self.scale).round() as i32,
        )
    }
    fn len(&self, l: f64) -> i32 {
        (l * self.scale).round().max(1.0) as i32
    }
    fn text(&self, size: f64, h: HPos) -> TextStyle<'static> {
        ("sans-serif", size * self.scale)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(h, VPos::Center))
    }
}

/// A weight written as the diagram shows it: `1`, `-0.5`, `0.25`.
fn weight_label(w: f32) -> String {
    let s = format!("{w:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

// ANCHOR: draw_network_diagram
/// A diagram of `mlp` with its inputs at the bottom and its output at the
/// top: every connection labelled with its weight, and each layer's biases
/// drawn as the weights of a *bias neuron* that always outputs 1 (dashed).
/// `names` gives the units' labels layer by layer (inputs first); a missing
/// name falls back to `x₁ …`, `h₁ …` or `ŷ`.
pub fn draw_network_diagram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    mlp: &Mlp,
    names: &[&[&str]],
    title: &str,
) -> FigureResult {
    let body = area.titled(title, ("sans-serif", 22))?;
    let f = DiagramFrame::fit(&body, 900.0, 560.0);
    let n_layers = mlp.layers.len();
    if n_layers == 0 {
        return Err(ch00_toolbox::FigureError("a network without layers".into()));
    }
    // Row r = 0 is the input layer at the bottom, row n_layers the output.
    let row_y = |r: usize| 500.0 - 420.0 * r as f64 / n_layers as f64;
    let sizes: Vec<usize> = std::iter::once(mlp.n_inputs())
        .chain(mlp.layers.iter().map(|l| l.n_outputs()))
        .collect();
    let place = |r: usize, i: usize| {
        let count = sizes[r] as f64;
        let gap = (360.0 / count).min(200.0);
        (430.0 + (i as f64 - (count - 1.0) / 2.0) * gap, row_y(r))
    };
    let name = |r: usize, i: usize| -> String {
        if let Some(n) = names.get(r).and_then(|l| l.get(i)) {
            return (*n).to_string();
        }
        let sub = char::from_u32(0x2081 + i as u32).unwrap_or('?');
        match r {
            0 => format!("x{sub}"),
            r if r == n_layers && sizes[r] == 1 => "ŷ".into(),
            r if r == n_layers => format!("ŷ{sub}"),
            _ => format!("h{sub}"),
        }
    };
    let (unit_r, bias_r) = (34.0, 16.0);
    let line = |c: RGBColor| c.stroke_width(f.len(2.0) as u32);
    for (l, layer) in mlp.layers.iter().enumerate() {
        let (below, above) = (l, l + 1);
        let bias_at = (110.0, row_y(below));
        // Connections first, so that the units are drawn over their ends.
        for j in 0..sizes[above] {
            let to = place(above, j);
            let mut edges: Vec<((f64, f64), f64, f32, bool)> = (0..sizes[below])
                .map(|k| (place(below, k), unit_r, layer.weights[(k, j)], false))
                .collect();
            edges.push((bias_at, bias_r, layer.bias[j], true));
            for (from, from_r, w, is_bias) in edges {
                let (dx, dy) = (to.0 - from.0, to.1 - from.1);
                let d = (dx * dx + dy * dy).sqrt().max(1e-9);
                let (ux, uy) = (dx / d, dy / d);
                let start = (from.0 + ux * from_r, from.1 + uy * from_r);
                let end = (to.0 - ux * unit_r, to.1 - uy * unit_r);
                let colour_of = if is_bias { colour(1) } else { colour(0) };
                if is_bias {
                    body.draw(&DashedPathElement::new(
                        [f.p(start), f.p(end)],
                        f.len(7.0) as u32,
                        f.len(5.0) as u32,
                        line(colour_of),
                    ))?;
                } else {
                    body.draw(&PathElement::new([f.p(start), f.p(end)], line(colour_of)))?;
                }
                // The weight, on a white patch, near the start of its line
                // (where the lines out of one unit are apart); a bias a bit
                // further along, since both of its lines leave one neuron.
                let t = if is_bias { 0.4 } else { 0.28 };
                let at = (
                    start.0 + (end.0 - start.0) * t,
                    start.1 + (end.1 - start.1) * t,
                );
                let label = weight_label(w);
                let half = 5.0 + 4.5 * label.chars().count() as f64;
                body.draw(&Rectangle::new(
                    [
                        f.p((at.0 - half, at.1 - 11.0)),
                        f.p((at.0 + half, at.1 + 11.0)),
                    ],
                    WHITE.filled(),
                ))?;
                body.draw(&Text::new(
                    label,
                    f.p(at),
                    f.text(16.0, HPos::Center).color(&colour_of),
                ))?;
            }
        }
        // The bias neuron of this layer: it always outputs 1.
        body.draw(&Rectangle::new(
            [
                f.p((bias_at.0 - bias_r, bias_at.1 - bias_r)),
                f.p((bias_at.0 + bias_r, bias_at.1 + bias_r)),
            ],
            colour(1).mix(0.25).filled(),
        ))?;
        body.draw(&Text::new("1", f.p(bias_at), f.text(16.0, HPos::Center)))?;
    }
    // The units on top of the lines.
    for (r, &count) in sizes.iter().enumerate() {
        for i in 0..count {
            let at = place(r, i);
            let fill = if r == 0 {
                colour(5).mix(0.4)
            } else {
                colour(4).mix(0.3)
            };
            body.draw(&Circle::new(f.p(at), f.len(unit_r), fill.filled()))?;
            body.draw(&Circle::new(f.p(at), f.len(unit_r), BLACK))?;
            let big = f.text(17.0, HPos::Center);
            if r == 0 {
                body.draw(&Text::new(name(r, i), f.p(at), big))?;
            } else {
                body.draw(&Text::new(name(r, i), f.p((at.0, at.1 - 9.0)), big))?;
                body.draw(&Text::new(
                    mlp.layers[r - 1].activation.name(),
                    f.p((at.0, at.1 + 12.0)),
                    f.text(13.0, HPos::Center),
                ))?;
            }
        }
        let role = match r {
            0 => "input layer (computes nothing)",
            r if r == n_layers => "output layer",
            _ => "hidden layer",
        };
        body.draw(&Text::new(
            role,
            f.p((640.0, row_y(r))),
            f.text(17.0, HPos::Left),
        ))?;
    }
    // The key.
    let key_y = 545.0;
    body.draw(&PathElement::new(
        [f.p((40.0, key_y)), f.p((80.0, key_y))],
        line(colour(0)),
    ))?;
    body.draw(&Text::new(
        "weight (the number on the line)",
        f.p((88.0, key_y)),
        f.text(15.0, HPos::Left),
    ))?;
    body.draw(&DashedPathElement::new(
        [f.p((400.0, key_y)), f.p((440.0, key_y))],
        f.len(7.0) as u32,
        f.len(5.0) as u32,
        line(colour(1)),
    ))?;
    body.draw(&Text::new(
        "bias: the weight from a bias neuron that always outputs 1",
        f.p((448.0, key_y)),
        f.text(15.0, HPos::Left),
    ))?;
    Ok(())
}
// ANCHOR_END: draw_network_diagram
