//! The chapter's figures, one drawing function each, generic over the
//! plotters backend so that the book and the notebook draw the same thing.

use ch00_toolbox::figure::{FigureError, FigureResult, colour, draw_legend, line_key};
use ch00_toolbox::plotters;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::biology::{SynapticInput, Trace};
use crate::network::Network;
use crate::threshold_unit::{Synapse, ThresholdUnit, unit_step};
use crate::truth_table::{LogicFunction, TruthTable};

const GREY: RGBColor = RGBColor(90, 90, 90);

/// A text style of `size` pixels, anchored at `(h, v)`.
fn text_style(size: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    ("sans-serif", size)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(h, v))
}

/// `2` → `₂`: subscript digits for names such as x₁ and h₂.
pub fn subscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

/// A uniform map from a virtual `w × h` frame onto `area`, centred.
struct Frame {
    scale: f64,
    dx: f64,
    dy: f64,
}

impl Frame {
    fn fit<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, w: f64, h: f64) -> Self {
        let (pw, ph) = area.dim_in_pixel();
        let scale = (pw as f64 / w).min(ph as f64 / h);
        Self {
            scale,
            dx: (pw as f64 - w * scale) / 2.0,
            dy: (ph as f64 - h * scale) / 2.0,
        }
    }
    fn p(&self, x: f64, y: f64) -> (i32, i32) {
        (
            (self.dx + x * self.scale).round() as i32,
            (self.dy + y * self.scale).round() as i32,
        )
    }
    fn len(&self, l: f64) -> i32 {
        (l * self.scale).round().max(1.0) as i32
    }
    fn font(&self, size: f64) -> f64 {
        size * self.scale
    }
}

// ---------------------------------------------------------------------------
// The biological neuron

/// Draws a dendrite and its sub-branches, returning the tips.
fn dendrite<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    f: &Frame,
    start: (f64, f64),
    angle_deg: f64,
    length: f64,
    width: f64,
    depth: u32,
) -> Result<(), FigureError> {
    let a = angle_deg.to_radians();
    let end = (start.0 + length * a.cos(), start.1 + length * a.sin());
    area.draw(&PathElement::new(
        [f.p(start.0, start.1), f.p(end.0, end.1)],
        colour(4).mix(0.9).stroke_width(f.len(width) as u32),
    ))?;
    if depth > 0 {
        for turn in [-27.0, 24.0] {
            dendrite(
                area,
                f,
                end,
                angle_deg + turn,
                length * 0.62,
                width * 0.62,
                depth - 1,
            )?;
        }
    }
    Ok(())
}

/// A name in bold and, under it, what the part does.
fn note<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    f: &Frame,
    at: (f64, f64),
    name: &str,
    role: &str,
    h: HPos,
) -> Result<(), FigureError> {
    let bold = ("sans-serif", f.font(17.0), FontStyle::Bold)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(h, VPos::Bottom));
    area.draw(&Text::new(name.to_string(), f.p(at.0, at.1), bold))?;
    if !role.is_empty() {
        let style = text_style(f.font(14.0), h, VPos::Top).color(&GREY);
        area.draw(&Text::new(role.to_string(), f.p(at.0, at.1 + 3.0), style))?;
    }
    Ok(())
}

/// A thin leader line from a label to the part it names.
fn leader<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    f: &Frame,
    from: (f64, f64),
    to: (f64, f64),
) -> Result<(), FigureError> {
    area.draw(&PathElement::new(
        [f.p(from.0, from.1), f.p(to.0, to.1)],
        GREY,
    ))?;
    area.draw(&Circle::new(f.p(to.0, to.1), f.len(2.5), GREY.filled()))?;
    Ok(())
}

/// An arrow from `from` to `to` in frame coordinates.
fn arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    f: &Frame,
    from: (f64, f64),
    to: (f64, f64),
    style: ShapeStyle,
    head: f64,
) -> Result<(), FigureError> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let norm = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / norm, dy / norm);
    let base = (to.0 - ux * head, to.1 - uy * head);
    area.draw(&PathElement::new(
        [f.p(from.0, from.1), f.p(base.0, base.1)],
        style,
    ))?;
    let left = (base.0 - uy * head * 0.45, base.1 + ux * head * 0.45);
    let right = (base.0 + uy * head * 0.45, base.1 - ux * head * 0.45);
    area.draw(&Polygon::new(
        vec![f.p(to.0, to.1), f.p(left.0, left.1), f.p(right.0, right.1)],
        style.color.filled(),
    ))?;
    Ok(())
}

// ANCHOR: draw_neuron
/// A labelled schematic of a biological neuron: dendrites, soma with its
/// nucleus, axon hillock, myelinated axon, axon terminals, and one synapse
/// onto the next cell.
pub fn draw_neuron<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult {
    let body = area.titled(
        "A biological neuron: inputs arrive on the left, the spike leaves on the right",
        ("sans-serif", 22),
    )?;
    let f = Frame::fit(&body, 940.0, 420.0);
    let soma = (250.0, 200.0);
    for angle in [125.0, 155.0, 185.0, 215.0, 245.0] {
        let a: f64 = f64::to_radians(angle);
        let start = (soma.0 + 48.0 * a.cos(), soma.1 + 48.0 * a.sin());
        dendrite(&body, &f, start, angle, 72.0, 8.0, 2)?;
    }
    // The axon hillock, then the axon wrapped in myelin, then its terminals.
    let hillock = [
        (292.0, 182.0),
        (292.0, 218.0),
        (338.0, 203.0),
        (338.0, 197.0),
    ];
    body.draw(&Polygon::new(
        hillock.iter().map(|&(x, y)| f.p(x, y)).collect::<Vec<_>>(),
        colour(4).mix(0.9).filled(),
    ))?;
    body.draw(&PathElement::new(
        [f.p(330.0, 200.0), f.p(690.0, 200.0)],
        GREY.stroke_width(f.len(4.0) as u32),
    ))?;
    let mut x = 352.0;
    while x + 52.0 <= 680.0 {
        body.draw(&Rectangle::new(
            [f.p(x, 191.0), f.p(x + 52.0, 209.0)],
            colour(5).mix(0.75).filled(),
        ))?;
        x += 52.0 + 11.0;
    }
    let terminals = [
        (772.0, 118.0),
        (796.0, 168.0),
        (798.0, 232.0),
        (770.0, 286.0),
    ];
    for &(tx, ty) in &terminals {
        body.draw(&PathElement::new(
            [f.p(690.0, 200.0), f.p(tx, ty)],
            GREY.stroke_width(f.len(3.0) as u32),
        ))?;
        body.draw(&Circle::new(f.p(tx, ty), f.len(8.0), colour(2).filled()))?;
    }
    // Part of the next cell: a dendrite just below the last terminal.
    body.draw(&PathElement::new(
        [f.p(700.0, 304.0), f.p(850.0, 304.0)],
        colour(3).mix(0.8).stroke_width(f.len(9.0) as u32),
    ))?;
    // The soma and its nucleus, drawn last so they sit on top.
    body.draw(&Circle::new(
        f.p(soma.0, soma.1),
        f.len(52.0),
        colour(4).mix(0.9).filled(),
    ))?;
    body.draw(&Circle::new(
        f.p(262.0, 195.0),
        f.len(17.0),
        colour(1).mix(0.6).filled(),
    ))?;

    let left = HPos::Left;
    note(
        &body,
        &f,
        (10.0, 20.0),
        "dendrites",
        "take in signals from other cells",
        left,
    )?;
    leader(&body, &f, (60.0, 42.0), (96.0, 128.0))?;
    note(
        &body,
        &f,
        (270.0, 330.0),
        "soma (cell body)",
        "adds the signals up",
        left,
    )?;
    leader(&body, &f, (300.0, 312.0), (282.0, 238.0))?;
    note(&body, &f, (215.0, 112.0), "nucleus", "", left)?;
    leader(&body, &f, (250.0, 116.0), (262.0, 180.0))?;
    note(
        &body,
        &f,
        (330.0, 75.0),
        "axon hillock",
        "fires a spike when the sum",
        left,
    )?;
    body.draw(&Text::new(
        "passes the threshold",
        f.p(330.0, 78.0 + 17.0),
        text_style(f.font(14.0), left, VPos::Top).color(&GREY),
    ))?;
    leader(&body, &f, (345.0, 116.0), (318.0, 197.0))?;
    note(
        &body,
        &f,
        (455.0, 150.0),
        "axon",
        "myelin speeds the spike along",
        left,
    )?;
    note(&body, &f, (700.0, 65.0), "axon terminals", "", left)?;
    leader(&body, &f, (740.0, 70.0), (772.0, 110.0))?;
    note(
        &body,
        &f,
        (690.0, 345.0),
        "synapse",
        "onto a dendrite of the next cell",
        left,
    )?;
    leader(&body, &f, (735.0, 330.0), (770.0, 297.0))?;
    arrow(
        &body,
        &f,
        (380.0, 250.0),
        (640.0, 250.0),
        GREY.stroke_width(f.len(2.0) as u32),
        14.0,
    )?;
    body.draw(&Text::new(
        "the action potential travels this way",
        f.p(510.0, 258.0),
        text_style(f.font(14.0), HPos::Center, VPos::Top).color(&GREY),
    ))?;
    Ok(())
}
// ANCHOR_END: draw_neuron

// ---------------------------------------------------------------------------
// Summation in time

// ANCHOR: draw_membrane
/// The membrane potential of the toy neuron over time, with its threshold,
/// the arriving inputs, the spikes, and short `notes` placed at given times.
pub fn draw_membrane<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    trace: &Trace,
    inputs: &[SynapticInput],
    threshold_mv: f32,
    resting_mv: f32,
    notes: &[(f32, &str)],
) -> FigureResult {
    let end = *trace
        .times_ms
        .last()
        .ok_or_else(|| FigureError("the trace is empty".into()))?;
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Inputs add up and leak away; only a quick volley reaches the threshold",
            ("sans-serif", 22),
        )
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(56)
        .build_cartesian_2d(0f32..end, -82f32..40f32)?;
    chart
        .configure_mesh()
        .x_desc("time (ms)")
        .y_desc("membrane potential (mV)")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    let points = trace
        .times_ms
        .iter()
        .copied()
        .zip(trace.potential_mv.iter().copied());
    chart
        .draw_series(LineSeries::new(points, colour(0).stroke_width(2)))?
        .label("membrane potential")
        .legend(line_key(colour(0).stroke_width(2)));
    chart
        .draw_series(std::iter::once(DashedPathElement::new(
            [(0.0, threshold_mv), (end, threshold_mv)],
            6,
            4,
            colour(1).stroke_width(2),
        )))?
        .label("threshold")
        .legend(line_key(colour(1).stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            [(0.0, resting_mv), (end, resting_mv)],
            GREY.mix(0.6),
        ))?
        .label("resting potential")
        .legend(line_key(GREY.mix(0.6)));
    let up = |c: RGBColor| Polygon::new(vec![(-5, 4), (5, 4), (0, -5)], c.filled());
    let down = |c: RGBColor| Polygon::new(vec![(-5, -4), (5, -4), (0, 5)], c.filled());
    let marker_y = -78.0;
    chart
        .draw_series(
            inputs
                .iter()
                .filter(|i| i.size_mv >= 0.0)
                .map(|i| EmptyElement::at((i.time_ms, marker_y)) + up(colour(2))),
        )?
        .label("excitatory input arrives")
        .legend(move |(x, y)| EmptyElement::at((x + 10, y)) + up(colour(2)));
    chart
        .draw_series(
            inputs
                .iter()
                .filter(|i| i.size_mv < 0.0)
                .map(|i| EmptyElement::at((i.time_ms, marker_y)) + down(colour(3))),
        )?
        .label("inhibitory input arrives")
        .legend(move |(x, y)| EmptyElement::at((x + 10, y)) + down(colour(3)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    for &(t, note) in notes {
        chart.draw_series(std::iter::once(Text::new(
            note.to_string(),
            (t, -47.0),
            text_style(14.0, HPos::Center, VPos::Center).color(&GREY),
        )))?;
    }
    for &t in &trace.spikes_ms {
        chart.draw_series(std::iter::once(Text::new(
            "spike",
            (t + 2.0, 30.0),
            text_style(15.0, HPos::Left, VPos::Center),
        )))?;
    }
    Ok(())
}
// ANCHOR_END: draw_membrane

// ---------------------------------------------------------------------------
// The unit step

// ANCHOR: draw_unit_step
/// The unit step \\(y = H(s - θ)\\) of a threshold unit, as a function of its
/// summed input `s`, with the whole-number sums a unit can actually see.
pub fn draw_unit_step<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    threshold: usize,
) -> FigureResult {
    let theta = threshold as f32;
    let (lo, hi) = (-1.0f32, theta + 3.0);
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("The unit step: a threshold unit fires when s ≥ θ (here θ = {threshold})"),
            ("sans-serif", 22),
        )
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(50)
        .build_cartesian_2d(lo..hi, -0.25f32..1.35f32)?;
    chart
        .configure_mesh()
        .x_desc("summed input s (number of active excitatory inputs)")
        .y_desc("output y")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    let samples: Vec<(f32, f32)> = (0..=800)
        .map(|i| lo + (hi - lo) * i as f32 / 800.0)
        .map(|s| (s, unit_step(s - theta)))
        .collect();
    let style = colour(0).stroke_width(3);
    for value in [0.0, 1.0] {
        let piece = samples.iter().copied().filter(|&(_, y)| y == value);
        let series = chart.draw_series(LineSeries::new(piece, style))?;
        if value == 0.0 {
            series.label("y = H(s − θ)").legend(line_key(style));
        }
    }
    chart.draw_series([
        Circle::new((theta, 0.0), 6, colour(0).stroke_width(2)),
        Circle::new((theta, 1.0), 6, colour(0).filled()),
    ])?;
    chart
        .draw_series(std::iter::once(DashedPathElement::new(
            [(theta, -0.25), (theta, 1.35)],
            6,
            4,
            colour(1).stroke_width(2),
        )))?
        .label("threshold θ")
        .legend(line_key(colour(1).stroke_width(2)));
    let whole = (0..=(hi as usize)).map(|s| (s as f32, unit_step(s as f32 - theta)));
    chart
        .draw_series(whole.map(|p| Cross::new(p, 7, colour(2).stroke_width(2))))?
        .label("sums a unit can see: s = 0, 1, 2, …")
        .legend(|(x, y)| Cross::new((x + 10, y), 7, colour(2).stroke_width(2)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}
// ANCHOR_END: draw_unit_step

// ---------------------------------------------------------------------------
// Truth tables

/// One panel: the output of a 1- or 2-input function for every input.
fn truth_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    name: &str,
    function: &dyn LogicFunction,
) -> FigureResult {
    let n = function.n_inputs();
    if n == 0 || n > 2 {
        return Err(FigureError(format!(
            "{name}: a truth-table panel shows 1 or 2 inputs, not {n}"
        )));
    }
    let table = TruthTable::of(function).map_err(|e| FigureError(e.to_string()))?;
    let f = Frame::fit(area, 300.0, 230.0);
    area.draw(&Text::new(
        name.to_string(),
        f.p(150.0, 8.0),
        ("sans-serif", f.font(17.0), FontStyle::Bold)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    let cell = 62.0;
    let rows = if n == 2 { 2 } else { 1 };
    let left = 150.0 - cell + 18.0;
    let top = 40.0 + (2 - rows) as f64 * cell / 2.0;
    let label = |s: &str, at: (f64, f64), h: HPos| {
        Text::new(
            s.to_string(),
            f.p(at.0, at.1),
            text_style(f.font(15.0), h, VPos::Center),
        )
    };
    for (x, y) in table.rows() {
        let col = usize::from(x[0]) as f64;
        // x₂ = 1 is the top row, so that x₂ grows upwards as on a plot.
        let row = if n == 2 {
            f64::from(u8::from(!x[1]))
        } else {
            0.0
        };
        let (x0, y0) = (left + col * cell, top + row * cell);
        let fill = if y {
            colour(0).mix(0.85)
        } else {
            RGBColor(225, 225, 225).mix(1.0)
        };
        area.draw(&Rectangle::new(
            [f.p(x0, y0), f.p(x0 + cell, y0 + cell)],
            fill.filled(),
        ))?;
        area.draw(&Rectangle::new(
            [f.p(x0, y0), f.p(x0 + cell, y0 + cell)],
            WHITE.stroke_width(2),
        ))?;
        let (text, ink) = if y { ("1", WHITE) } else { ("0", BLACK) };
        area.draw(&Text::new(
            text,
            f.p(x0 + cell / 2.0, y0 + cell / 2.0),
            ("sans-serif", f.font(22.0), FontStyle::Bold)
                .into_font()
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    let bottom = top + rows as f64 * cell;
    for col in 0..2 {
        let at = (left + (col as f64 + 0.5) * cell, bottom + 14.0);
        area.draw(&label(
            &format!("x{} = {col}", subscript(1)),
            at,
            HPos::Center,
        ))?;
    }
    if n == 2 {
        for (row, value) in [(0.0, 1), (1.0, 0)] {
            let at = (left - 8.0, top + (row + 0.5) * cell);
            area.draw(&label(
                &format!("x{} = {value}", subscript(2)),
                at,
                HPos::Right,
            ))?;
        }
    }
    Ok(())
}

// ANCHOR: draw_truth_tables
/// Truth tables of 1- and 2-input functions, one panel each, computed by
/// running the functions themselves (units or networks) on every input.
pub fn draw_truth_tables<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    functions: &[(&str, &dyn LogicFunction)],
) -> FigureResult {
    let body = area.titled(
        "Logic gates as threshold units: the output for every input",
        ("sans-serif", 22),
    )?;
    let (grid, key) = body.split_vertically(body.dim_in_pixel().1 as i32 - 40);
    let cols = 3.min(functions.len()).max(1);
    let rows = functions.len().div_ceil(cols);
    for (panel, (name, function)) in grid.split_evenly((rows, cols)).iter().zip(functions) {
        truth_panel(panel, name, *function)?;
    }
    let f = Frame::fit(&key, 600.0, 40.0);
    let swatch =
        |x: f64, c: RGBAColor| Rectangle::new([f.p(x, 10.0), f.p(x + 22.0, 30.0)], c.filled());
    key.draw(&swatch(60.0, colour(0).mix(0.85)))?;
    key.draw(&Text::new(
        "1: the unit fires",
        f.p(90.0, 20.0),
        text_style(f.font(15.0), HPos::Left, VPos::Center),
    ))?;
    key.draw(&swatch(330.0, RGBColor(225, 225, 225).to_rgba()))?;
    key.draw(&Text::new(
        "0: it stays silent",
        f.p(360.0, 20.0),
        text_style(f.font(15.0), HPos::Left, VPos::Center),
    ))?;
    Ok(())
}
// ANCHOR_END: draw_truth_tables

// ---------------------------------------------------------------------------
// Networks

/// What a unit computes, in words, given the names of its sources.
pub fn describe(unit: &ThresholdUnit, names: &[String]) -> String {
    let mut excite = Vec::new();
    let mut inhibit = Vec::new();
    for (synapse, name) in unit.synapses().iter().zip(names) {
        match synapse {
            Synapse::Excitatory => excite.push(name.clone()),
            Synapse::Inhibitory => inhibit.push(format!("NOT {name}")),
        }
    }
    let theta = unit.threshold();
    if theta > excite.len() {
        return "never fires".into();
    }
    let vetoes = inhibit.join(" AND ");
    let core = if theta == excite.len() {
        excite.join(" AND ")
    } else if theta == 1 {
        excite.join(" OR ")
    } else {
        format!("at least {theta} of {}", excite.join(", "))
    };
    match (core.is_empty(), vetoes.is_empty()) {
        (true, true) => "always fires".into(),
        (true, false) => vetoes,
        (false, true) => core,
        (false, false) if theta == excite.len() => format!("{core} AND {vetoes}"),
        (false, false) => format!("({core}) AND {vetoes}"),
    }
}

// ANCHOR: draw_network
/// A diagram of a network of threshold units: inputs on the left, one
/// column per layer, thresholds inside the units, excitatory synapses as
/// arrows and inhibitory ones as lines ending in an open circle. Each unit
/// is labelled with what it computes.
pub fn draw_network<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    network: &Network,
    title: &str,
) -> FigureResult {
    let body = area.titled(title, ("sans-serif", 22))?;
    let (w, h) = (900.0, 400.0);
    let (main, key) = body.split_vertically(body.dim_in_pixel().1 as i32 - 40);
    let f = Frame::fit(&main, w, h - 40.0);
    let layers = network.layers();
    let columns = layers.len() + 1;
    let place = |c: usize, count: usize, i: usize| {
        let gap = (320.0 / count.max(1) as f64).min(140.0);
        let x = 50.0 + 480.0 * c as f64 / (columns - 1) as f64;
        (x, 180.0 + (i as f64 - (count as f64 - 1.0) / 2.0) * gap)
    };
    let n_inputs = network.n_inputs();
    let mut names: Vec<String> = (1..=n_inputs)
        .map(|i| format!("x{}", subscript(i)))
        .collect();
    let mut positions: Vec<(f64, f64)> = (0..n_inputs).map(|i| place(0, n_inputs, i)).collect();
    let centre = |p: (f64, f64)| f.p(p.0, p.1);
    let font = text_style(f.font(16.0), HPos::Center, VPos::Center);
    for (name, &p) in names.iter().zip(&positions) {
        main.draw(&Circle::new(
            centre(p),
            f.len(20.0),
            colour(5).mix(0.5).filled(),
        ))?;
        main.draw(&Text::new(name.clone(), centre(p), font.clone()))?;
    }
    let (mut from_r, unit_r, mut hidden) = (20.0, 30.0, 0);
    let mut definitions = Vec::new();
    let stroke = |c: RGBColor| c.stroke_width(f.len(2.0) as u32);
    for (l, layer) in layers.iter().enumerate() {
        let last = l + 1 == layers.len();
        let here: Vec<(f64, f64)> = (0..layer.len())
            .map(|u| place(l + 1, layer.len(), u))
            .collect();
        let mut here_names = Vec::new();
        for (wired, &to) in layer.iter().zip(&here) {
            for (&s, synapse) in wired.sources.iter().zip(wired.unit.synapses()) {
                let from = positions[s];
                let (dx, dy) = (to.0 - from.0, to.1 - from.1);
                let d = (dx * dx + dy * dy).sqrt().max(1e-9);
                let (ux, uy) = (dx / d, dy / d);
                let start = (from.0 + ux * from_r, from.1 + uy * from_r);
                let end = (to.0 - ux * unit_r, to.1 - uy * unit_r);
                if *synapse == Synapse::Excitatory {
                    arrow(&main, &f, start, end, stroke(colour(0)), 12.0)?;
                } else {
                    let ring = (end.0 - ux * 6.0, end.1 - uy * 6.0);
                    let stop = (ring.0 - ux * 6.0, ring.1 - uy * 6.0);
                    main.draw(&PathElement::new(
                        [centre(start), centre(stop)],
                        stroke(colour(1)),
                    ))?;
                    main.draw(&Circle::new(centre(ring), f.len(6.0), stroke(colour(1))))?;
                }
            }
            let name = match (last, layer.len()) {
                (true, 1) => "y".to_string(),
                (true, _) => format!("y{}", subscript(here_names.len() + 1)),
                (false, _) => {
                    hidden += 1;
                    format!("h{}", subscript(hidden))
                }
            };
            let sources: Vec<String> = wired.sources.iter().map(|&s| names[s].clone()).collect();
            main.draw(&Circle::new(
                centre(to),
                f.len(unit_r),
                colour(4).mix(0.35).filled(),
            ))?;
            main.draw(&Circle::new(centre(to), f.len(unit_r), BLACK))?;
            let small = text_style(f.font(14.0), HPos::Center, VPos::Center);
            main.draw(&Text::new(
                name.clone(),
                f.p(to.0, to.1 - 9.0),
                font.clone(),
            ))?;
            main.draw(&Text::new(
                format!("θ={}", wired.unit.threshold()),
                f.p(to.0, to.1 + 10.0),
                small,
            ))?;
            definitions.push(format!("{name} = {}", describe(&wired.unit, &sources)));
            if last {
                arrow(
                    &main,
                    &f,
                    (to.0 + unit_r, to.1),
                    (to.0 + unit_r + 40.0, to.1),
                    stroke(BLACK),
                    12.0,
                )?;
            }
            here_names.push(name);
        }
        names = here_names;
        positions = here;
        from_r = unit_r;
    }
    // What each unit computes, in words, in a column on the right.
    let top = 180.0 - (definitions.len() as f64 - 1.0) * 14.0;
    for (i, line) in definitions.iter().enumerate() {
        let at = f.p(650.0, top + i as f64 * 28.0);
        main.draw(&Text::new(
            line.clone(),
            at,
            text_style(f.font(15.0), HPos::Left, VPos::Center),
        ))?;
    }
    // The key: what the two kinds of line mean.
    let k = Frame::fit(&key, 900.0, 40.0);
    let kfont = text_style(k.font(15.0), HPos::Left, VPos::Center);
    arrow(
        &key,
        &k,
        (150.0, 20.0),
        (200.0, 20.0),
        colour(0).stroke_width(k.len(2.0) as u32),
        12.0,
    )?;
    key.draw(&Text::new(
        "excitatory synapse (adds 1)",
        k.p(210.0, 20.0),
        kfont.clone(),
    ))?;
    key.draw(&PathElement::new(
        [k.p(480.0, 20.0), k.p(518.0, 20.0)],
        colour(1).stroke_width(k.len(2.0) as u32),
    ))?;
    key.draw(&Circle::new(
        k.p(524.0, 20.0),
        k.len(6.0),
        colour(1).stroke_width(k.len(2.0) as u32),
    ))?;
    key.draw(&Text::new(
        "inhibitory synapse (vetoes)",
        k.p(540.0, 20.0),
        kfont,
    ))?;
    Ok(())
}
// ANCHOR_END: draw_network
