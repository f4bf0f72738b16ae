//! The chapter's figures, one drawing function each, generic over the
//! plotters backend: the graph of a model (boxes and arrows), the learning
//! curves of the variants, and predicted against actual values (chapter 5's
//! figure, reused).

use ch00_toolbox::figure::{colour, draw_legend, line_key};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::prelude::*;
use ch00_toolbox::plotters::style::text_anchor::{HPos, Pos, VPos};
use ch00_toolbox::{FigureError, FigureResult};

pub use ch05_regression::figures::draw_predicted_vs_actual;

use crate::spec::GraphSpec;
use crate::summary::describe_kind;
use crate::wide_deep::Outcome;

/// A node placed in the diagram: name, label, depth, column, nodes in its
/// row, inputs.
type Placed = (String, String, usize, usize, usize, Vec<usize>);

/// Where each node of a graph goes: its depth (the longest path from an
/// input) and its place among the nodes of that depth. Returns, for each
/// node, `(name, label, depth, column, of, inputs)`.
fn layout(spec: &GraphSpec) -> Result<Vec<Placed>, FigureError> {
    let model = crate::Functional::build(spec.clone(), 0)
        .map_err(|e| FigureError(format!("the graph cannot be drawn: {e}")))?;
    let nodes = model.nodes();
    let mut depth = vec![0usize; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        depth[i] = n.inputs.iter().map(|&j| depth[j] + 1).max().unwrap_or(0);
    }
    let max_depth = depth.iter().copied().max().unwrap_or(0);
    let mut count = vec![0usize; max_depth + 1];
    for &d in &depth {
        count[d] += 1;
    }
    // Row by row, nodes sit in the order of the mean position of their
    // inputs (inputs in their given order), which keeps arrows short.
    let mut column = vec![0usize; nodes.len()];
    let mut x = vec![0.0f64; nodes.len()];
    for d in 0..=max_depth {
        let mut row: Vec<usize> = (0..nodes.len()).filter(|&i| depth[i] == d).collect();
        let key = |i: usize| {
            let inputs = &nodes[i].inputs;
            if inputs.is_empty() {
                i as f64
            } else {
                inputs.iter().map(|&j| x[j]).sum::<f64>() / inputs.len() as f64
            }
        };
        row.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
        for (c, &i) in row.iter().enumerate() {
            column[i] = c;
            x[i] = (2 * c + 1) as f64 / (2 * row.len()) as f64;
        }
    }
    Ok(nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let label = match spec.layers.iter().find(|l| l.name == n.name) {
                Some(l) => describe_kind(&l.kind),
                None => format!("Input({})", n.width),
            };
            (
                n.name.clone(),
                label,
                depth[i],
                column[i],
                count[depth[i]],
                n.inputs.clone(),
            )
        })
        .collect())
}

// ANCHOR: draw_graph
/// The graph of a model, top to bottom: one box per input or layer (name,
/// kind, output width), one arrow per connection, the outputs marked.
pub fn draw_graph<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &GraphSpec,
) -> FigureResult {
    let nodes = layout(spec)?;
    let depths = nodes.iter().map(|n| n.2).max().unwrap_or(0) + 1;
    area.fill(&WHITE)?;
    let title = format!("The graph of {}", spec.name);
    let area = area.titled(&title, ("sans-serif", 22))?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let (box_w, box_h) = (200, 54);
    let row_h = (h - 20) / depths as i32;
    let centre = |depth: usize, col: usize, of: usize| {
        let x = (w * (2 * col as i32 + 1)) / (2 * of as i32);
        let y = 10 + row_h * depth as i32 + row_h / 2;
        (x, y)
    };
    // Arrows first, so the boxes cover their ends.
    for (_, _, d, c, of, inputs) in &nodes {
        let (x1, y1) = centre(*d, *c, *of);
        for &j in inputs {
            let (x0, y0) = centre(nodes[j].2, nodes[j].3, nodes[j].4);
            let (from, to) = ((x0, y0 + box_h / 2), (x1, y1 - box_h / 2));
            area.draw(&PathElement::new([from, to], BLACK.stroke_width(2)))?;
            // The arrowhead: a small triangle pointing along the line.
            let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
            let len = (dx * dx + dy * dy).sqrt().max(1.0);
            let (ux, uy) = (dx / len, dy / len);
            let back = |side: f64| {
                (
                    to.0 - (12.0 * ux - side * 6.0 * uy) as i32,
                    to.1 - (12.0 * uy + side * 6.0 * ux) as i32,
                )
            };
            area.draw(&Polygon::new(
                vec![to, back(1.0), back(-1.0)],
                BLACK.filled(),
            ))?;
        }
    }
    for (name, label, d, c, of, _) in &nodes {
        let (x, y) = centre(*d, *c, *of);
        let is_output = spec.outputs.iter().any(|o| o == name);
        let is_input = spec.inputs.iter().any(|i| &i.name == name);
        let fill = if is_input {
            colour(5).mix(0.25)
        } else if is_output {
            colour(1).mix(0.25)
        } else {
            colour(0).mix(0.15)
        };
        let corners = [
            (x - box_w / 2, y - box_h / 2),
            (x + box_w / 2, y + box_h / 2),
        ];
        area.draw(&Rectangle::new(corners, fill.filled()))?;
        area.draw(&Rectangle::new(corners, BLACK.stroke_width(1)))?;
        let style = TextStyle::from(("sans-serif", 16).into_font())
            .pos(Pos::new(HPos::Center, VPos::Center));
        area.draw(&Text::new(name.clone(), (x, y - 11), style.clone()))?;
        let small = TextStyle::from(("sans-serif", 13).into_font())
            .pos(Pos::new(HPos::Center, VPos::Center));
        area.draw(&Text::new(label.clone(), (x, y + 10), small))?;
    }
    Ok(())
}
// ANCHOR_END: draw_graph

// ANCHOR: draw_learning_curves
/// The validation MSE of each model's main output, epoch by epoch.
pub fn draw_learning_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    outcomes: &[Outcome],
) -> FigureResult {
    let curves: Vec<(&str, Vec<(f32, f32)>)> = outcomes
        .iter()
        .map(|o| {
            let points = o
                .history
                .epochs
                .iter()
                .filter_map(|r| {
                    let v = r.outputs.first().map_or(r.val_loss, |m| m.val_loss)?;
                    Some((r.epoch as f32, v))
                })
                .collect();
            (o.variant.label(), points)
        })
        .collect();
    let epochs = curves.iter().map(|c| c.1.len()).max().unwrap_or(1) as f32;
    let top = curves
        .iter()
        .flat_map(|c| c.1.iter().map(|p| p.1))
        .filter(|v| v.is_finite())
        .fold(0.0f32, f32::max)
        .min(2.0)
        * 1.05;
    if top <= 0.0 {
        return Err(FigureError("no validation losses to draw".into()));
    }
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Validation MSE of the main output, per epoch",
            ("sans-serif", 20),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(0.5f32..epochs + 0.5, 0.3f32.min(top * 0.8)..top)?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .x_desc("epoch")
        .y_desc("validation MSE ($100 000)²")
        .draw()?;
    for (k, (label, points)) in curves.iter().enumerate() {
        let clipped = points.iter().map(|&(x, y)| (x, y.min(top)));
        chart
            .draw_series(LineSeries::new(clipped.clone(), colour(k).stroke_width(2)))?
            .label(*label)
            .legend(line_key(colour(k).stroke_width(2)));
        chart.draw_series(clipped.map(|p| Circle::new(p, 3, colour(k).filled())))?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}
// ANCHOR_END: draw_learning_curves

/// `(actual, predicted)` for every test sample of an outcome.
pub fn pairs(outcome: &Outcome, actual: ndarray::ArrayView2<f32>) -> Vec<(f32, f32)> {
    actual
        .iter()
        .zip(outcome.predictions.iter())
        .map(|(&a, &p)| (a, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch00_toolbox::figure::svg_string;

    #[test]
    fn the_graph_has_a_box_per_node_and_an_arrow_per_connection() {
        let spec = crate::wide_deep::two_inputs(true);
        let svg = svg_string((900, 700), |a| draw_graph(a, &spec)).unwrap();
        for name in [
            "wide",
            "deep",
            "hidden1",
            "hidden2",
            "concat",
            "output",
            "aux_output",
        ] {
            assert!(svg.contains(&format!(">\n{name}\n<")), "{name}");
        }
        assert!(svg.contains("Dense(30, relu)"));
        // 6 connections, 6 arrowheads: deep→hidden1, hidden1→hidden2,
        // wide→concat, hidden2→concat, concat→output, hidden2→aux_output.
        assert_eq!(svg.matches("<polygon").count(), 6);
        let mut bad = spec.clone();
        bad.outputs.push("nowhere".into());
        assert!(svg_string((900, 700), |a| draw_graph(a, &bad)).is_err());
    }
}
