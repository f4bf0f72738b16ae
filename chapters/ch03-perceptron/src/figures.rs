//! The chapter's figures, one drawing function each.
//!
//! Every function draws on any plotters backend, so the same code writes the
//! SVG files of the book (`examples/figures.rs`) and the inline figures of the
//! notebook (`ch00_toolbox::figure::show`). Decision regions are drawn as
//! exact polygons (the part of the plot where a unit fires is a half-plane,
//! clipped to the plot), which keeps the SVG files small.

use std::ops::Range;

use ch00_toolbox::figure::{
    FigureError, FigureResult, box_key, colour, dot_key, draw_legend, line_key,
};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::iris::{Feature, Iris, Species};
use crate::multiclass::AccuracyHistory;
use crate::perceptron::Perceptron;
use crate::tlu::{StepFunction, heaviside, sign};
use crate::xor;

/// A point of the plot.
type Pt = (f64, f64);

/// The light grey of "the rest".
const REST_GREY: RGBColor = RGBColor(150, 150, 150);

/// The corners of the rectangle `x × y`, counter-clockwise.
fn rectangle(x: &Range<f64>, y: &Range<f64>) -> Vec<Pt> {
    vec![
        (x.start, y.start),
        (x.end, y.start),
        (x.end, y.end),
        (x.start, y.end),
    ]
}

// ANCHOR: clip
/// The part of the convex polygon `poly` where `a·x + b·y + c ≥ 0`
/// (one step of Sutherland–Hodgman clipping).
fn clip(poly: &[Pt], a: f64, b: f64, c: f64) -> Vec<Pt> {
    let side = |p: Pt| a * p.0 + b * p.1 + c;
    let mut out = Vec::new();
    for (i, &p) in poly.iter().enumerate() {
        let q = poly[(i + 1) % poly.len()];
        let (sp, sq) = (side(p), side(q));
        if sp >= 0.0 {
            out.push(p);
        }
        if (sp >= 0.0) != (sq >= 0.0) {
            let t = sp / (sp - sq);
            out.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
        }
    }
    out
}
// ANCHOR_END: clip

/// Where the line `a·x + b·y + c = 0` crosses the rectangle `x × y`:
/// its two end points, or `None` if it misses the rectangle.
fn segment_in(x: &Range<f64>, y: &Range<f64>, a: f64, b: f64, c: f64) -> Option<(Pt, Pt)> {
    let inside = clip(&rectangle(x, y), a, b, c);
    let on_line: Vec<Pt> = inside
        .into_iter()
        .filter(|p| (a * p.0 + b * p.1 + c).abs() <= 1e-9 * (1.0 + a.abs() + b.abs() + c.abs()))
        .collect();
    let first = *on_line.first()?;
    let last = *on_line
        .iter()
        .max_by(|p, q| dist2(first, **p).total_cmp(&dist2(first, **q)))?;
    (dist2(first, last) > 0.0).then_some((first, last))
}

fn dist2(p: Pt, q: Pt) -> f64 {
    (p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)
}

/// The weights `(w1, w2)` and bias of unit `j` of a two-input perceptron,
/// in f64, or an error naming the shape the figure needed.
fn unit_line(p: &Perceptron, j: usize, outputs: usize) -> Result<(f64, f64, f64), FigureError> {
    if p.n_inputs() != 2 || p.n_outputs() != outputs {
        return Err(FigureError(format!(
            "this figure needs a perceptron with 2 inputs and {outputs} unit(s), got {} × {}",
            p.n_inputs(),
            p.n_outputs()
        )));
    }
    Ok((
        p.weights[[0, j]] as f64,
        p.weights[[1, j]] as f64,
        p.bias[j] as f64,
    ))
}

/// Axes with labels, bold grid lines only, and tick labels without a
/// spurious minus sign on zero.
fn axes<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x_desc: &str,
    y_desc: &str,
    integer_x: bool,
) -> FigureResult {
    let fmt_x = move |v: &f64| {
        let v = if v.abs() < 1e-9 { 0.0 } else { *v };
        if integer_x {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    };
    let fmt_y = |v: &f64| format!("{:.1}", if v.abs() < 1e-9 { 0.0 } else { *v });
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .x_label_formatter(&fmt_x)
        .y_label_formatter(&fmt_y)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    Ok(())
}

/// The petal lengths (cm) the petal-plane figures show.
const PETAL_LENGTHS: Range<f64> = 0.0..7.5;
/// The petal widths (cm) the petal-plane figures show.
const PETAL_WIDTHS: Range<f64> = 0.0..2.8;

/// A chart of the petal plane, length across and width up, with its axes
/// drawn and `caption` as its title.
fn petal_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    caption: &str,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, FigureError> {
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(PETAL_LENGTHS, PETAL_WIDTHS)?;
    axes(
        &mut chart,
        Feature::PetalLength.name(),
        Feature::PetalWidth.name(),
        false,
    )?;
    Ok(chart)
}

/// Draws the flowers of `iris` in the plane of features `fx`, `fy`, one
/// marker shape and colour per species, with legend entries.
fn draw_flowers<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    iris: &Iris,
    fx: Feature,
    fy: Feature,
) -> FigureResult {
    for s in Species::ALL {
        let c = colour(s.index());
        let points: Vec<Pt> = (0..iris.len())
            .filter(|&i| iris.species[i] == s)
            .map(|i| {
                (
                    iris.features[[i, fx.index()]] as f64,
                    iris.features[[i, fy.index()]] as f64,
                )
            })
            .collect();
        let anno = match s {
            Species::Setosa => chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 4, c.filled())))?
                .legend(dot_key(c.filled(), 4)),
            Species::Versicolor => chart
                .draw_series(
                    points
                        .iter()
                        .map(|&p| TriangleMarker::new(p, 5, c.filled())),
                )?
                .legend(move |(x, y)| TriangleMarker::new((x + 10, y), 5, c.filled())),
            Species::Virginica => chart
                .draw_series(points.iter().map(|&p| Cross::new(p, 4, c.stroke_width(2))))?
                .legend(move |(x, y)| Cross::new((x + 10, y), 4, c.stroke_width(2))),
        };
        anno.label(s.name());
    }
    Ok(())
}

// ANCHOR: draw_step_functions
/// The two step functions of a threshold logic unit, side by side.
pub fn draw_step_functions<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult {
    let area = area.titled(
        "Step functions of a threshold logic unit",
        ("sans-serif", 22),
    )?;
    let panels = area.split_evenly((1, 2));
    for (panel, step) in panels
        .iter()
        .zip([StepFunction::Heaviside, StepFunction::Sign])
    {
        let (name, f): (&str, fn(f32) -> f32) = match step {
            StepFunction::Heaviside => ("Heaviside: H(z)", heaviside),
            StepFunction::Sign => ("sign: sgn(z)", sign),
        };
        let mut chart = ChartBuilder::on(panel)
            .caption(name, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(45)
            .build_cartesian_2d(-3.0..3.0, -1.5..1.5)?;
        axes(&mut chart, "net input z", "output", false)?;
        // The values come from the functions themselves: left of 0, and at 0.
        let (off, on) = (f(-1.0) as f64, f(0.0) as f64);
        let c = colour(step as usize);
        let style = c.stroke_width(3);
        chart.draw_series(LineSeries::new([(-3.0, off), (0.0, off)], style))?;
        chart.draw_series(LineSeries::new([(0.0, on), (3.0, on)], style))?;
        // At z = 0 the unit fires: filled dot on "on", open dot on "off".
        chart.draw_series([
            Circle::new((0.0, on), 5, c.filled()),
            Circle::new((0.0, off), 5, c.stroke_width(2)),
        ])?;
    }
    Ok(())
}
// ANCHOR_END: draw_step_functions

/// Setosa against the rest in the petal plane: the flowers, the regions
/// where `learned` answers setosa or not, its boundary, and optionally a new
/// flower to classify.
pub fn draw_iris_setosa<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    iris: &Iris,
    learned: &Perceptron,
    flower: Option<(f32, f32)>,
) -> FigureResult {
    let (a, b, c) = unit_line(learned, 0, 1)?;
    let (xr, yr) = (PETAL_LENGTHS, PETAL_WIDTHS);
    let mut chart = petal_chart(
        area,
        "Setosa or not? A perceptron on petal length and width",
    )?;

    let box_ = rectangle(&xr, &yr);
    let yes = colour(0).mix(0.15);
    chart
        .draw_series([Polygon::new(clip(&box_, a, b, c), yes.filled())])?
        .label("answers setosa")
        .legend(box_key(yes.filled()));
    let no = REST_GREY.mix(0.2);
    chart
        .draw_series([Polygon::new(clip(&box_, -a, -b, -c), no.filled())])?
        .label("answers not setosa")
        .legend(box_key(no.filled()));

    if let Some((p, q)) = segment_in(&xr, &yr, a, b, c) {
        chart
            .draw_series(LineSeries::new([p, q], BLACK.stroke_width(2)))?
            .label("learned boundary")
            .legend(line_key(BLACK.stroke_width(2)));
    }
    draw_flowers(&mut chart, iris, Feature::PetalLength, Feature::PetalWidth)?;
    if let Some((fx, fy)) = flower {
        let p = (fx as f64, fy as f64);
        chart
            .draw_series([Circle::new(p, 7, BLACK.stroke_width(3))])?
            .label(format!("new flower ({fx} cm, {fy} cm)"))
            .legend(dot_key(BLACK.stroke_width(3), 6));
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// One-vs-rest on the petal plane: each region shaded by the species whose
/// unit has the largest net input, each unit's own boundary (where it
/// switches between "mine" and "not mine") dashed in its colour.
pub fn draw_one_vs_rest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    iris: &Iris,
    layer: &Perceptron,
    title: &str,
) -> FigureResult {
    let lines: Vec<(f64, f64, f64)> = (0..3)
        .map(|j| unit_line(layer, j, 3))
        .collect::<Result<_, _>>()?;
    let (xr, yr) = (PETAL_LENGTHS, PETAL_WIDTHS);
    let mut chart = petal_chart(area, title)?;
    // Region of class k: z_k − z_j ≥ 0 for both other units j.
    for (k, &(ak, bk, ck)) in lines.iter().enumerate() {
        let mut region = rectangle(&xr, &yr);
        for (j, &(aj, bj, cj)) in lines.iter().enumerate() {
            if j != k && !region.is_empty() {
                region = clip(&region, ak - aj, bk - bj, ck - cj);
            }
        }
        if region.len() >= 3 {
            chart.draw_series([Polygon::new(region, colour(k).mix(0.15).filled())])?;
        }
    }
    for (k, &(a, b, c)) in lines.iter().enumerate() {
        if let Some((p, q)) = segment_in(&xr, &yr, a, b, c) {
            let style = colour(k).stroke_width(2);
            let name = Species::from_index(k).map_or("?", Species::name);
            chart
                .draw_series(DashedLineSeries::new([p, q], 8, 5, style))?
                .label(format!("{name} unit: z = 0"))
                .legend(line_key(style));
        }
    }
    draw_flowers(&mut chart, iris, Feature::PetalLength, Feature::PetalWidth)?;
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

/// Training accuracy after each epoch: one line per one-vs-rest unit and
/// one for the combined classifier.
pub fn draw_accuracy_history<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    history: &AccuracyHistory,
    title: &str,
) -> FigureResult {
    let epochs = history.combined.len();
    if epochs == 0 || history.per_unit.iter().any(|u| u.len() != 3) {
        return Err(FigureError(
            "the history needs at least one epoch and three units".into(),
        ));
    }
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..epochs as f64 + 1.0, 0.0..1.05)?;
    axes(&mut chart, "epoch", "training accuracy", true)?;
    for s in Species::ALL {
        let style = colour(s.index()).stroke_width(2);
        let points = history
            .per_unit
            .iter()
            .enumerate()
            .map(|(e, u)| (e as f64 + 1.0, u[s.index()] as f64));
        chart
            .draw_series(LineSeries::new(points, style))?
            .label(format!("{} vs rest", s.name()))
            .legend(line_key(style));
    }
    let style = BLACK.stroke_width(2);
    let points = history
        .combined
        .iter()
        .enumerate()
        .map(|(e, &a)| (e as f64 + 1.0, a as f64));
    chart
        .draw_series(DashedLineSeries::new(points, 6, 3, style))?
        .label("three species (largest net input)")
        .legend(line_key(style));
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// XOR defeats the perceptron. Left: the four points, the boundary of the
/// best epoch in `states` (shaded where it answers 1, with the point it gets
/// wrong ringed), and the boundaries of the other epochs in faint grey.
/// Right: how many of the four points were right after each epoch.
pub fn draw_xor_failure<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    states: &[(usize, Perceptron)],
) -> FigureResult {
    let (best_epoch, (best_correct, best)) = states
        .iter()
        .enumerate()
        .max_by_key(|(e, (c, _))| (*c, std::cmp::Reverse(*e)))
        .ok_or_else(|| FigureError("no epochs to draw".into()))?;
    let area = area.titled(
        "XOR: a single perceptron never gets all four points right",
        ("sans-serif", 22),
    )?;
    let panels = area.split_evenly((1, 2));
    let (xr, yr) = (-0.5..1.5, -0.5..1.5);
    let mut chart = ChartBuilder::on(&panels[0])
        .caption(
            format!(
                "boundary after epoch {}: {best_correct} of 4",
                best_epoch + 1
            ),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(45)
        .build_cartesian_2d(xr.clone(), yr.clone())?;
    axes(&mut chart, "input x1", "input x2", false)?;

    let (a, b, c) = unit_line(best, 0, 1)?;
    let on = colour(1).mix(0.15);
    chart
        .draw_series([Polygon::new(
            clip(&rectangle(&xr, &yr), a, b, c),
            on.filled(),
        )])?
        .label("answers 1")
        .legend(box_key(on.filled()));
    let faint = REST_GREY.mix(0.6);
    for (_, p) in states {
        let (a, b, c) = unit_line(p, 0, 1)?;
        if let Some((p, q)) = segment_in(&xr, &yr, a, b, c) {
            chart.draw_series(LineSeries::new([p, q], faint.stroke_width(1)))?;
        }
    }
    if let Some((p, q)) = segment_in(&xr, &yr, a, b, c) {
        chart
            .draw_series(LineSeries::new([p, q], BLACK.stroke_width(2)))?
            .label("best boundary")
            .legend(line_key(BLACK.stroke_width(2)));
    }
    let x = xor::inputs();
    let answers = best
        .predict(x.view())
        .map_err(|e| FigureError(e.to_string()))?;
    for target in [0.0, 1.0] {
        let c = colour(if target == 1.0 { 1 } else { 0 });
        let pts: Vec<Pt> = (0..4)
            .filter(|&i| xor::TARGETS[i] == target)
            .map(|i| (x[[i, 0]] as f64, x[[i, 1]] as f64))
            .collect();
        chart
            .draw_series(pts.iter().map(|&p| Circle::new(p, 8, c.filled())))?
            .label(format!("XOR = {target}"))
            .legend(dot_key(c.filled(), 6));
    }
    let wrong: Vec<Pt> = (0..4)
        .filter(|&i| answers[[i, 0]] != xor::TARGETS[i])
        .map(|i| (x[[i, 0]] as f64, x[[i, 1]] as f64))
        .collect();
    chart
        .draw_series(
            wrong
                .iter()
                .map(|&p| Circle::new(p, 14, RED.stroke_width(3))),
        )?
        .label("wrong")
        .legend(dot_key(RED.stroke_width(2), 7));
    // Low in the middle, the legend hides none of the four points.
    draw_legend(&mut chart, SeriesLabelPosition::LowerMiddle)?;

    let mut chart = ChartBuilder::on(&panels[1])
        .caption("points right after each epoch", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(45)
        .build_cartesian_2d(0.0..states.len() as f64 + 1.0, 0.0..4.5)?;
    axes(&mut chart, "epoch", "points right (of 4)", true)?;
    let counts = states
        .iter()
        .enumerate()
        .map(|(e, (c, _))| (e as f64 + 1.0, *c as f64));
    chart
        .draw_series(LineSeries::new(counts, colour(0).stroke_width(2)))?
        .label("perceptron")
        .legend(line_key(colour(0).stroke_width(2)));
    let goal = [(0.0, 4.0), (states.len() as f64 + 1.0, 4.0)];
    chart
        .draw_series(DashedLineSeries::new(goal, 8, 5, RED.stroke_width(2)))?
        .label("all four (never reached)")
        .legend(line_key(RED.stroke_width(2)));
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlu::StepFunction;
    use ch00_toolbox::figure::svg_string;
    use ndarray::array;

    #[test]
    fn clipping_a_square_by_a_diagonal_keeps_half_of_it() {
        let square = rectangle(&(0.0..1.0), &(0.0..1.0));
        // x + y − 1 ≥ 0: the upper-right triangle.
        let tri = clip(&square, 1.0, 1.0, -1.0);
        let area = shoelace(&tri);
        assert!((area - 0.5).abs() < 1e-12, "{tri:?}");
        // A half-plane that misses the square keeps nothing.
        assert!(clip(&square, 1.0, 0.0, -5.0).is_empty());
        let seg = segment_in(&(0.0..1.0), &(0.0..1.0), 1.0, 1.0, -1.0).unwrap();
        assert!((dist2(seg.0, seg.1) - 2.0).abs() < 1e-12);
        assert!(segment_in(&(0.0..1.0), &(0.0..1.0), 1.0, 0.0, -5.0).is_none());
    }

    fn shoelace(p: &[Pt]) -> f64 {
        (0..p.len())
            .map(|i| {
                let (a, b) = (p[i], p[(i + 1) % p.len()]);
                a.0 * b.1 - b.0 * a.1
            })
            .sum::<f64>()
            .abs()
            / 2.0
    }

    #[test]
    fn the_setosa_figure_has_its_title_every_flower_and_the_new_one() {
        let iris = Iris::load();
        let p = Perceptron::from_parameters(
            array![[-1.0], [-1.0]],
            array![3.0],
            StepFunction::Heaviside,
        )
        .unwrap();
        let svg = svg_string((800, 520), |a| {
            draw_iris_setosa(a, &iris, &p, Some((2.0, 0.5)))
        })
        .unwrap();
        assert!(svg.contains("Setosa or not?"));
        assert!(svg.contains("petal length (cm)") && svg.contains("petal width (cm)"));
        assert!(svg.contains("new flower (2 cm, 0.5 cm)"));
        // 50 setosa circles, their legend mark, the new flower and its mark.
        assert_eq!(svg.matches("<circle").count(), 50 + 1 + 2);
    }

    #[test]
    fn figures_refuse_perceptrons_of_the_wrong_shape() {
        let iris = Iris::load();
        let p = Perceptron::new(4, 1, StepFunction::Heaviside).unwrap();
        let r = svg_string((400, 300), |a| draw_iris_setosa(a, &iris, &p, None));
        assert!(r.unwrap_err().0.contains("2 inputs"));
        let r = svg_string((400, 300), |a| draw_one_vs_rest(a, &iris, &p, "t"));
        assert!(r.is_err());
        let r = svg_string((400, 300), |a| draw_xor_failure(a, &[]));
        assert!(r.is_err());
    }

    #[test]
    fn the_other_figures_draw() {
        let iris = Iris::load();
        // The closure is needed: the bare function is not generic over the
        // lifetime of the SVG backend that `svg_string` creates.
        #[allow(clippy::redundant_closure)]
        let svg = svg_string((700, 360), |a| draw_step_functions(a)).unwrap();
        assert!(svg.contains("Heaviside") && svg.contains("net input z"));

        let layer = Perceptron::from_parameters(
            array![[-1.0, 0.1, 1.0], [-1.0, 0.0, 1.0]],
            array![2.5, -0.3, -6.0],
            StepFunction::Heaviside,
        )
        .unwrap();
        let svg = svg_string((800, 520), |a| draw_one_vs_rest(a, &iris, &layer, "OvR")).unwrap();
        assert!(svg.contains("versicolor unit"));

        let history = AccuracyHistory {
            per_unit: vec![vec![1.0, 0.5, 0.9], vec![1.0, 0.6, 0.8]],
            combined: vec![0.7, 0.8],
        };
        let svg = svg_string((800, 400), |a| draw_accuracy_history(a, &history, "H")).unwrap();
        assert!(svg.contains("setosa vs rest") && svg.contains("training accuracy"));

        let mut p = Perceptron::new(2, 1, StepFunction::Heaviside).unwrap();
        let states = xor::snapshots(&mut p, 20, 0.1, 0).unwrap();
        let svg = svg_string((900, 420), |a| draw_xor_failure(a, &states)).unwrap();
        assert!(svg.contains("never gets all four") && svg.contains("input x1"));
    }
}
