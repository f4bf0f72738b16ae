//! The chapter's figures, one drawing function each, generic over the
//! plotters backend (an SVG file for the book, a notebook cell, …).

use ch00_toolbox::figure::{colour, dot_key, draw_legend, line_key};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::prelude::*;
use ch00_toolbox::{FigureError, FigureResult};
use ch04_backprop::{Mlp, NetError};
use ndarray::Array2;

use crate::classifier::EpochStats;
use crate::metrics::predicted_classes;
use crate::toy_data::Labelled;

fn figure_error(e: NetError) -> FigureError {
    FigureError(e.to_string())
}

/// The smallest square `[lo, hi]²` holding every point, with a margin.
fn square_bounds(data: &Labelled) -> (f32, f32) {
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    for &v in &data.x {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !(lo.is_finite() && hi.is_finite()) {
        return (-1.0, 1.0);
    }
    let margin = 0.1 * (hi - lo).max(1e-3);
    (lo - margin, hi + margin)
}

// ANCHOR: class_grid
/// The class the model predicts at each point of an `n × n` grid over
/// `[lo, hi]²`: row `i` at \\(x\_2 = lo + i \cdot step\\), column `j` at
/// \\(x\_1 = lo + j \cdot step\\). A model with one output is binary (class 1
/// when its logit is positive); otherwise the class is the largest output.
pub fn class_grid(mlp: &Mlp, lo: f32, hi: f32, n: usize) -> Result<Array2<usize>, NetError> {
    if n < 2 || !lo.is_finite() || !hi.is_finite() || lo >= hi {
        return Err(NetError::InvalidArgument(format!(
            "a grid needs at least 2 points a side and lo < hi, got n = {n}, [{lo}, {hi}]"
        )));
    }
    let step = (hi - lo) / (n - 1) as f32;
    let points = Array2::from_shape_fn((n * n, 2), |(k, c)| {
        let (i, j) = (k / n, k % n);
        lo + step * if c == 0 { j } else { i } as f32
    });
    let scores = mlp.predict(points.view())?;
    let classes = if scores.ncols() == 1 {
        scores.iter().map(|&z| usize::from(z > 0.0)).collect()
    } else {
        predicted_classes(scores.view())?
    };
    Array2::from_shape_vec((n, n), classes).map_err(|e| NetError::InvalidArgument(e.to_string()))
}
// ANCHOR_END: class_grid

// ANCHOR: draw_decision_regions
/// The plane coloured by the class `mlp` predicts (pale), with the samples
/// of `data` on top (one colour and marker per class). `names` label the
/// classes in the legend.
pub fn draw_decision_regions<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    mlp: &Mlp,
    data: &Labelled,
    names: &[&str],
) -> FigureResult {
    let (lo, hi) = square_bounds(data);
    let n = 160;
    let grid = class_grid(mlp, lo, hi, n).map_err(figure_error)?;
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(45)
        .build_cartesian_2d(lo..hi, lo..hi)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_desc("x₁")
        .y_desc("x₂")
        .draw()?;
    // One rectangle per run of equal class along a grid row keeps the SVG light.
    let cell = (hi - lo) / (n - 1) as f32;
    let mut rects = Vec::new();
    for (i, row) in grid.rows().into_iter().enumerate() {
        let y = lo + i as f32 * cell;
        let mut start = 0;
        for j in 1..=n {
            if j == n || row[j] != row[start] {
                let x0 = (lo + (start as f32 - 0.5) * cell).max(lo);
                let x1 = (lo + (j as f32 - 0.5) * cell).min(hi);
                let (y0, y1) = ((y - cell / 2.0).max(lo), (y + cell / 2.0).min(hi));
                let c = colour(row[start]).mix(0.22);
                rects.push(Rectangle::new([(x0, y0), (x1, y1)], c.filled()));
                start = j;
            }
        }
    }
    chart.draw_series(rects)?;
    let n_classes = data
        .labels
        .iter()
        .map(|&l| usize::from(l) + 1)
        .max()
        .unwrap_or(0);
    for k in 0..n_classes {
        let points = data
            .x
            .rows()
            .into_iter()
            .zip(&data.labels)
            .filter(|(_, l)| usize::from(**l) == k)
            .map(|(r, _)| (r[0], r[1]))
            .collect::<Vec<_>>();
        let c = colour(k);
        let name = names.get(k).copied().unwrap_or("class");
        let label = format!("{name} ({k})");
        // Classes differ by marker shape as well as by colour.
        match k % 3 {
            0 => chart
                .draw_series(points.into_iter().map(|p| Circle::new(p, 3, c.filled())))?
                .label(label)
                .legend(dot_key(c.filled(), 3)),
            1 => chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| TriangleMarker::new(p, 4, c.filled())),
                )?
                .label(label)
                .legend(move |(x, y)| TriangleMarker::new((x + 10, y), 4, c.filled())),
            _ => chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Cross::new(p, 3, c.stroke_width(2))),
                )?
                .label(label)
                .legend(move |(x, y)| Cross::new((x + 10, y), 3, c.stroke_width(2))),
        };
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}
// ANCHOR_END: draw_decision_regions

// ANCHOR: draw_training
/// Two panels: the mean training loss per epoch, and the training accuracy.
pub fn draw_training<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    history: &[EpochStats],
) -> FigureResult {
    let area = area.titled(title, ("sans-serif", 20))?;
    let (left, right) = area.split_horizontally(area.dim_in_pixel().0 / 2);
    let epochs = history.len().max(1) as f32;
    let max_loss = history
        .iter()
        .map(|e| e.loss)
        .fold(0.0f32, f32::max)
        .max(1e-3);
    let panels = [
        (&left, "mean training loss", 0.0..max_loss * 1.05, 0usize),
        (&right, "training accuracy", 0.0..1.02, 1),
    ];
    for (panel, what, range, which) in panels {
        let mut chart = ChartBuilder::on(panel)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0f32..epochs, range)?;
        chart
            .configure_mesh()
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .x_desc("epoch")
            .y_desc(what)
            .draw()?;
        let points = history.iter().map(|e| {
            let v = if which == 0 { e.loss } else { e.accuracy };
            (e.epoch as f32, v)
        });
        chart.draw_series(LineSeries::new(points, colour(which).stroke_width(2)))?;
    }
    Ok(())
}
// ANCHOR_END: draw_training

/// A labelled loss curve: its legend text and the loss as a function of p.
type Curve = (&'static str, fn(f32) -> f32);

// ANCHOR: draw_ce_vs_squared
/// The loss of one sample against the probability \\(p\\) the model gives
/// its true class: cross-entropy \\(-\ln p\\) and the squared error
/// \\((1-p)^2\\), with their slopes. Cross-entropy's slope grows without
/// bound as \\(p \to 0\\); the squared error's stays small.
pub fn draw_ce_vs_squared<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult {
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Loss of one sample vs the probability of its true class",
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(45)
        .build_cartesian_2d(0.0f32..1.0, 0.0f32..5.0)?;
    chart
        .configure_mesh()
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .x_desc("p, probability given to the true class")
        .y_desc("loss")
        .draw()?;
    let ps = (1..=400).map(|i| i as f32 / 400.0);
    let curves: [Curve; 2] = [
        ("cross-entropy  −ln p", |p| -p.ln()),
        ("squared error  (1 − p)²", |p| (1.0 - p) * (1.0 - p)),
    ];
    for (k, (label, f)) in curves.into_iter().enumerate() {
        let points = ps.clone().map(|p| (p, f(p))).filter(|&(_, v)| v <= 5.0);
        chart
            .draw_series(LineSeries::new(points, colour(k).stroke_width(3)))?
            .label(label)
            .legend(line_key(colour(k).stroke_width(3)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}
// ANCHOR_END: draw_ce_vs_squared

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classifier::classifier_mlp;
    use crate::toy_data::spirals;
    use ch00_toolbox::figure::svg_string;
    use ch04_backprop::{Activation, Dense};
    use ndarray::{Array1, array};

    #[test]
    fn the_grid_follows_a_known_model() {
        // Logit = x₁: class 1 exactly on the right half.
        let layer = Dense::from_parameters(
            array![[1.0f32], [0.0]],
            Array1::zeros(1),
            Activation::Identity,
        )
        .unwrap();
        let mlp = Mlp::new(vec![layer]).unwrap();
        let g = class_grid(&mlp, -1.0, 1.0, 5).unwrap();
        for row in g.rows() {
            assert_eq!(row.to_vec(), vec![0, 0, 0, 1, 1]);
        }
        assert!(class_grid(&mlp, 1.0, -1.0, 5).is_err());
        assert!(class_grid(&mlp, -1.0, 1.0, 1).is_err());
    }

    #[test]
    fn figures_draw_every_sample_and_their_titles() {
        let data = spirals(20, 3, 1.0, 0.1, 0).unwrap();
        let mlp = classifier_mlp(2, &[8], 3, 0).unwrap();
        let svg = svg_string((600, 600), |a| {
            draw_decision_regions(a, "Regions", &mlp, &data, &["a", "b", "c"])
        })
        .unwrap();
        assert!(svg.contains("Regions") && svg.contains("b (1)"));
        assert!(svg.matches("<circle").count() >= 20);
        let history = [
            EpochStats {
                epoch: 1,
                loss: 1.0,
                accuracy: 0.4,
            },
            EpochStats {
                epoch: 2,
                loss: 0.5,
                accuracy: 0.8,
            },
        ];
        let svg = svg_string((800, 400), |a| draw_training(a, "Training", &history)).unwrap();
        assert!(svg.contains("training accuracy"));
        // The closure pins the backend's lifetime, which the bare function cannot.
        #[allow(clippy::redundant_closure)]
        let svg = svg_string((700, 450), |a| draw_ce_vs_squared(a)).unwrap();
        assert!(svg.contains("cross-entropy"));
    }
}
