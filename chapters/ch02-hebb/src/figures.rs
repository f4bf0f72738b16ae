//! The chapter's figures, one drawing function each, generic over the
//! plotters backend so that the book and the notebook draw the same thing.

use ch00_toolbox::figure::{FigureError, FigureResult, colour, dot_key, draw_legend, line_key};
use ch00_toolbox::plotters;
use ndarray::{ArrayView1, ArrayView2, array};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf32;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::experiments::CapacityPoint;
use crate::learning::Trajectory;
use crate::pca::{cosine, covariance, eigen_2x2};

/// The largest size of a value the figures with fixed axes place on a
/// chart: far beyond their axes, yet small enough that no point lands
/// further away than a pixel coordinate can count.
const MAX_DRAWN: f32 = 1e6;

/// An error unless every value is finite and at most [`MAX_DRAWN`] in size.
fn drawable<'a>(what: &str, values: impl IntoIterator<Item = &'a f32>) -> FigureResult {
    if values
        .into_iter()
        .all(|v| v.is_finite() && v.abs() <= MAX_DRAWN)
    {
        return Ok(());
    }
    Err(FigureError(format!(
        "{what}: every value must be finite and at most {MAX_DRAWN:e} in size"
    )))
}

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
    if !norms.iter().flatten().all(|v| v.is_finite() && *v > 0.0) {
        return Err(FigureError(
            "every weight vector must have a finite, non-zero length for the log scale".into(),
        ));
    }
    let top = (norms.iter().flatten().cloned().fold(1.0f32, f32::max) * 10.0).min(f32::MAX);
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
    if oja.weights.is_empty() {
        return Err(FigureError("the run has no weights to draw".into()));
    }
    drawable("the data", data)?;
    drawable("the weights", &oja.weights)?;
    drawable("the eigenvector", eigenvector)?;
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
    let fractions = curve
        .iter()
        .flat_map(|p| std::iter::once(p.random_keys).chain(p.orthogonal_keys));
    if !fractions.into_iter().all(|f| (0.0..=1.0).contains(&f)) {
        return Err(FigureError(
            "the fractions recalled right must lie between 0 and 1".into(),
        ));
    }
    // The axis reaches the last point and the line at P = n.
    let max = curve
        .iter()
        .map(|p| p.pairs)
        .chain([n, 1])
        .max()
        .unwrap_or(1) as f32;
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

/// The chart type of the figures that draw in the plane.
type Plane<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf32, RangedCoordf32>>;

/// A number with at most two decimals and no trailing zeros: 2.5, 0.71, 1.
fn short(v: f32) -> String {
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// An arrow from `from` to `to` in data coordinates, with a head of a fixed
/// size in pixels, so that it looks the same on any scale of the axes.
fn arrow<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    from: (f32, f32),
    to: (f32, f32),
    style: ShapeStyle,
) -> FigureResult {
    // Pixels per unit along each axis (y grows downwards on screen).
    let origin = chart.backend_coord(&(0.0, 0.0));
    let sx = (chart.backend_coord(&(100.0, 0.0)).0 - origin.0) as f32 / 100.0;
    let sy = (chart.backend_coord(&(0.0, 100.0)).1 - origin.1) as f32 / 100.0;
    let (px, py) = ((to.0 - from.0) * sx, (to.1 - from.1) * sy);
    let pixels = px.hypot(py);
    if pixels == 0.0 || !pixels.is_finite() {
        return Ok(());
    }
    let (ux, uy) = (px / pixels, py / pixels);
    let (long, half) = (14f32.min(0.6 * pixels), 6f32.min(0.3 * pixels));
    // A point `back` pixels behind the tip and `side` pixels to its side.
    let at = |back: f32, side: f32| {
        let (ox, oy) = (-back * ux - side * uy, -back * uy + side * ux);
        (to.0 + ox / sx, to.1 + oy / sy)
    };
    chart.draw_series(std::iter::once(PathElement::new(
        [from, at(long * 0.8, 0.0)],
        style.stroke_width(style.stroke_width.max(1)),
    )))?;
    chart.draw_series(std::iter::once(Polygon::new(
        [to, at(long, half), at(long, -half)],
        style.color.filled(),
    )))?;
    Ok(())
}

// ANCHOR: draw_eigenvectors
/// Two panels about eigenvectors. Left: what the symmetric 2 × 2 matrix `c`
/// does to four unit vectors u (it turns most of them, and
/// only stretches its eigenvectors). Right: the 2-D `data`, with the
/// eigenvectors of its covariance drawn from the mean, each
/// √λ long, and the ellipse twice that size.
pub fn draw_eigenvectors<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: ArrayView2<f32>,
    data: ArrayView2<f32>,
) -> FigureResult {
    if c.shape() != [2, 2] || data.ncols() != 2 {
        return Err(FigureError(
            "this figure needs a 2 × 2 matrix and 2-D data".into(),
        ));
    }
    drawable("the matrix", c)?;
    drawable("the data", data)?;
    let err = |e: crate::error::HebbError| FigureError(e.to_string());
    let body = area.titled(
        "Eigenvectors: the directions a matrix only stretches",
        ("sans-serif", 22),
    )?;
    let (left, right) = body.split_horizontally(body.dim_in_pixel().0 * 9 / 20);

    let mut chart = ChartBuilder::on(&left)
        .caption("a matrix C acting on unit vectors u", ("sans-serif", 17))
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(40)
        .build_cartesian_2d(-1.3f32..5.3f32, -1.3f32..5.2f32)?;
    chart
        .configure_mesh()
        .x_labels(7)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    let circle = (0..=120).map(|i| {
        let a = i as f32 / 120.0 * std::f32::consts::TAU;
        (a.cos(), a.sin())
    });
    chart
        .draw_series(LineSeries::new(circle, BLACK.mix(0.4)))?
        .label("unit circle: every u of length 1")
        .legend(line_key(BLACK.mix(0.4)));
    for (i, degrees) in [0f32, 45.0, 90.0, 135.0].into_iter().enumerate() {
        let (sin, cos) = degrees.to_radians().sin_cos();
        // Exact zeros, so that cos 90° prints as 0 rather than −0.00.
        let u = array![cos, sin].mapv(|v| if v.abs() < 1e-6 { 0.0 } else { v });
        let cu = c.dot(&u);
        let hue = colour([2, 1, 4, 0][i]);
        arrow(&mut chart, (0.0, 0.0), (u[0], u[1]), hue.stroke_width(1))?;
        arrow(&mut chart, (0.0, 0.0), (cu[0], cu[1]), hue.stroke_width(3))?;
        let stretch = cu.dot(&u); // Cu = stretch · u exactly when u is an eigenvector
        let only_stretched = (&cu - &(&u * stretch)).iter().all(|v| v.abs() < 1e-4);
        let what = if only_stretched {
            format!("only stretched, by {stretch:.1}")
        } else {
            "turned".to_string()
        };
        chart
            .draw_series(std::iter::empty::<Circle<(f32, f32), i32>>())?
            .label(format!(
                "u = ({}, {}), Cu = ({}, {}): {what}",
                short(u[0]),
                short(u[1]),
                short(cu[0]),
                short(cu[1])
            ))
            .legend(line_key(hue.stroke_width(3)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;

    let [(l1, e1), (l2, e2)] = eigen_2x2(covariance(data).map_err(err)?.view()).map_err(err)?;
    let mean = data
        .mean_axis(ndarray::Axis(0))
        .ok_or_else(|| FigureError("no data to draw".into()))?;
    let (mx, my) = (mean[0], mean[1]);
    let mut chart = ChartBuilder::on(&right)
        .caption(
            "a data cloud and its covariance's eigenvectors",
            ("sans-serif", 17),
        )
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(40)
        .build_cartesian_2d(mx - 6.5..mx + 6.5, my - 4.8..my + 4.8)?;
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
                .map(|p| Circle::new((p[0], p[1]), 2, colour(5).mix(0.45).filled())),
        )?
        .label(format!("data ({} points)", data.nrows()))
        .legend(dot_key(colour(5).filled(), 3));
    let (r1, r2) = (2.0 * l1.max(0.0).sqrt(), 2.0 * l2.max(0.0).sqrt());
    let ellipse = (0..=120).map(|i| {
        let (sin, cos) = (i as f32 / 120.0 * std::f32::consts::TAU).sin_cos();
        (
            mx + r1 * cos * e1[0] + r2 * sin * e2[0],
            my + r1 * cos * e1[1] + r2 * sin * e2[1],
        )
    });
    chart
        .draw_series(std::iter::once(DashedPathElement::new(
            ellipse,
            6,
            4,
            BLACK.mix(0.6),
        )))?
        .label("ellipse with half-axes 2√λ₁ and 2√λ₂")
        .legend(line_key(BLACK.mix(0.6)));
    for (name, hue, lambda, e) in [("e₁", colour(1), l1, &e1), ("e₂", colour(0), l2, &e2)] {
        let reach = lambda.max(0.0).sqrt();
        let tip = (mx + reach * e[0], my + reach * e[1]);
        arrow(&mut chart, (mx, my), tip, hue.stroke_width(3))?;
        chart
            .draw_series(std::iter::empty::<Circle<(f32, f32), i32>>())?
            .label(format!(
                "{name} = ({:.2}, {:.2}), λ = {lambda:.2}, arrow √λ = {reach:.2} long",
                e[0], e[1]
            ))
            .legend(line_key(hue.stroke_width(3)));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}
// ANCHOR_END: draw_eigenvectors
