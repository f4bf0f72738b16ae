//! The chapter's figures, one drawing function each, generic over the
//! plotters backend so that the book and the notebook draw the same thing.

use ch00_toolbox::figure::{FigureError, FigureResult, colour, dot_key, draw_legend, line_key};
use ch00_toolbox::plotters;
use ndarray::{ArrayView1, ArrayView2};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::experiments::CapacityPoint;
use crate::learning::Trajectory;
use crate::pca::cosine;

/// |cos| between each weight vector of a run and `direction`.
pub fn alignment(run: &Trajectory, direction: ArrayView1<f32>) -> Result<Vec<f32>, FigureError> {
    run.weights
        .rows()
        .into_iter()
        .map(|w| cosine(w, direction).map(f32::abs))
        .collect::<Result<_, _>>()
        .map_err(|e| FigureError(e.to_string()))
}

// ANCHOR: draw_growth
/// Two panels over the update steps: the length of the weight vector under
/// Hebb and Oja (log scale), and how well each points along `direction`.
pub fn draw_growth<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    hebb: &Trajectory,
    oja: &Trajectory,
    direction: ArrayView1<f32>,
) -> FigureResult {
    let body = area.titled(
        "Plain Hebb grows without bound; Oja's rule settles at length 1",
        ("sans-serif", 22),
    )?;
    let (left, right) = body.split_horizontally(body.dim_in_pixel().0 / 2);
    // Hebb is drawn wide and underneath, so that it shows where the two agree.
    let runs = [
        ("plain Hebb", hebb, colour(1), 5),
        ("Oja", oja, colour(0), 2),
    ];
    let steps = hebb.weights.nrows().max(oja.weights.nrows()) as f32;
    let norms: Vec<Vec<f32>> = runs.iter().map(|(_, r, _, _)| r.norms()).collect();
    let top = norms.iter().flatten().cloned().fold(1.0f32, f32::max) * 10.0;
    let bottom = norms.iter().flatten().cloned().fold(1.0f32, f32::min) / 3.0;

    let mut chart = ChartBuilder::on(&left)
        .caption("length of the weight vector", ("sans-serif", 17))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0f32..steps, (bottom..top).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("update step t")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("‖w‖ (log scale)")
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for ((name, _, c, width), norm) in runs.iter().zip(&norms) {
        let points = norm.iter().enumerate().map(|(t, &v)| (t as f32, v));
        chart
            .draw_series(LineSeries::new(points, c.stroke_width(*width)))?
            .label(*name)
            .legend(line_key(c.stroke_width(3)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;

    let mut chart = ChartBuilder::on(&right)
        .caption(
            "alignment with the first principal component",
            ("sans-serif", 17),
        )
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0f32..steps, 0f32..1.05f32)?;
    chart
        .configure_mesh()
        .x_desc("update step t")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("|cos| of the angle between w and e₁")
        .draw()?;
    for (name, run, c, width) in runs {
        let cos = alignment(run, direction)?;
        let points = cos.into_iter().enumerate().map(|(t, v)| (t as f32, v));
        chart
            .draw_series(LineSeries::new(points, c.stroke_width(width)))?
            .label(name)
            .legend(line_key(c.stroke_width(3)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
}
// ANCHOR_END: draw_growth

// ANCHOR: draw_oja_direction
/// The data cloud, the path of Oja's weight vector, the direction it ends
/// in, and the leading eigenvector of the covariance computed in closed form.
pub fn draw_oja_direction<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: ArrayView2<f32>,
    oja: &Trajectory,
    eigenvector: ArrayView1<f32>,
) -> FigureResult {
    if data.ncols() != 2 || eigenvector.len() != 2 || oja.weights.ncols() != 2 {
        return Err(FigureError(
            "this figure needs 2-D data, weights and eigenvector".into(),
        ));
    }
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Oja's rule finds the first principal component",
            ("sans-serif", 22),
        )
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(50)
        .build_cartesian_2d(-7f32..7f32, -5.4f32..5.4f32)?;
    chart
        .configure_mesh()
        .x_desc("x₁")
        .y_desc("x₂")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    chart
        .draw_series(
            data.rows()
                .into_iter()
                .map(|p| Circle::new((p[0], p[1]), 2, colour(5).mix(0.5).filled())),
        )?
        .label(format!("data ({} centred points)", data.nrows()))
        .legend(dot_key(colour(5).filled(), 3));
    let circle = (0..=120).map(|i| {
        let a = i as f32 / 120.0 * std::f32::consts::TAU;
        (a.cos(), a.sin())
    });
    chart
        .draw_series(LineSeries::new(circle, BLACK.mix(0.5)))?
        .label("unit circle ‖w‖ = 1")
        .legend(line_key(BLACK.mix(0.5)));
    let w = oja.last();
    let norm = w.dot(&w).sqrt();
    let reach = 6.5;
    let (ux, uy) = (w[0] / norm, w[1] / norm);
    chart
        .draw_series(LineSeries::new(
            [(-reach * ux, -reach * uy), (reach * ux, reach * uy)],
            colour(0).stroke_width(3),
        ))?
        .label("direction Oja's w ends in")
        .legend(line_key(colour(0).stroke_width(3)));
    let (ex, ey) = (eigenvector[0], eigenvector[1]);
    chart
        .draw_series(std::iter::once(DashedPathElement::new(
            [(-reach * ex, -reach * ey), (reach * ex, reach * ey)],
            8,
            6,
            colour(1).stroke_width(2),
        )))?
        .label("leading eigenvector e₁ of the covariance")
        .legend(line_key(colour(1).stroke_width(3)));
    let path = oja
        .weights
        .rows()
        .into_iter()
        .map(|r| (r[0], r[1]))
        .collect::<Vec<_>>();
    chart
        .draw_series(LineSeries::new(
            path.iter().copied(),
            colour(3).stroke_width(2),
        ))?
        .label("path of w, from the pink dot to the blue one")
        .legend(line_key(colour(3).stroke_width(3)));
    chart.draw_series([
        Circle::new(path[0], 5, colour(3).filled()),
        Circle::new(path[path.len() - 1], 5, colour(0).filled()),
    ])?;
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}
// ANCHOR_END: draw_oja_direction

// ANCHOR: draw_capacity
/// The fraction of recalled bits that are right, against the number of
/// stored pairs, for random keys and for orthogonal keys, in an associator
/// with `n` inputs.
pub fn draw_capacity<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curve: &[CapacityPoint],
    n: usize,
) -> FigureResult {
    let max = curve.iter().map(|p| p.pairs).max().unwrap_or(1) as f32;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("Recall from a linear associator with {n} inputs"),
            ("sans-serif", 22),
        )
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(56)
        .build_cartesian_2d(0f32..max, 0.75f32..1.01f32)?;
    chart
        .configure_mesh()
        .x_desc("number of stored pairs P")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("fraction of output signs recalled right")
        .draw()?;
    let random = curve.iter().map(|p| (p.pairs as f32, p.random_keys));
    chart
        .draw_series(LineSeries::new(random, colour(1).stroke_width(2)))?
        .label("random keys: crosstalk grows with P")
        .legend(line_key(colour(1).stroke_width(3)));
    let orthogonal = curve
        .iter()
        .filter_map(|p| p.orthogonal_keys.map(|a| (p.pairs as f32, a)));
    chart
        .draw_series(LineSeries::new(orthogonal, colour(0).stroke_width(3)))?
        .label("orthogonal keys (Hadamard rows): no crosstalk")
        .legend(line_key(colour(0).stroke_width(3)));
    chart
        .draw_series(std::iter::once(DashedPathElement::new(
            [(n as f32, 0.75), (n as f32, 1.01)],
            6,
            4,
            BLACK.mix(0.6),
        )))?
        .label(format!("P = n = {n}: no more orthogonal keys exist"))
        .legend(line_key(BLACK.mix(0.6)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}
// ANCHOR_END: draw_capacity
