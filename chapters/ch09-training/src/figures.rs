//! The chapter's figures: learning curves, the confusion matrix, and test
//! images with their predicted labels. The training run draws them (see
//! `run.rs`); each function draws on any plotters backend, so a notebook
//! shows the same figures inline.

use std::path::Path;

use ch00_toolbox::figure::{colour, draw_legend, line_key, save_svg};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::prelude::*;
use ch00_toolbox::plotters::style::text_anchor::{HPos, Pos, VPos};
use ch00_toolbox::{FigureError, FigureResult};
use ndarray::{Array2, ArrayView3};

use crate::error::TrainError;
use crate::history::{EpochRecord, History};

/// The files the training run draws into its figures folder.
pub const FIGURE_FILES: [&str; 3] = [
    "learning-curves.svg",
    "confusion-matrix.svg",
    "test-predictions.svg",
];

/// Draws a figure into the SVG file `path` (see `save_svg` in chapter 0);
/// an error names the file.
pub fn save_figure<F>(path: &Path, size: (u32, u32), draw: F) -> Result<(), TrainError>
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> FigureResult,
{
    save_svg(path, size, draw).map_err(|e| TrainError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })
}

/// The red that marks a mistake.
const MISTAKE: RGBColor = RGBColor(213, 94, 0);

// ANCHOR: learning_curves
/// The four series of a [`History`] over the epochs: training loss and
/// accuracy (solid), validation loss and accuracy (dashed, with dots).
pub fn draw_learning_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    history: &History,
) -> FigureResult {
    type Getter = fn(&EpochRecord) -> Option<f32>;
    let series: [(&str, Getter, RGBColor, bool); 4] = [
        ("loss", |r| Some(r.loss), colour(0), false),
        ("val_loss", |r| r.val_loss, colour(0), true),
        ("accuracy", |r| r.accuracy, colour(1), false),
        ("val_accuracy", |r| r.val_accuracy, colour(1), true),
    ];
    let finite = |v: &f64| v.is_finite();
    let top = series
        .iter()
        .flat_map(|s| history.points(s.1).into_iter().map(|p| p.1))
        .filter(finite)
        .fold(1.0f64, f64::max);
    let epochs = history.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Learning curves: 784-300-100-10 on Fashion-MNIST",
            ("sans-serif", 22),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(0.5..epochs + 0.5, 0.0..(top * 10.0).ceil() / 10.0)?;
    chart
        .configure_mesh()
        // Epochs are whole numbers: label only those.
        .x_label_formatter(&|x| {
            if (x - x.round()).abs() < 1e-9 {
                format!("{x:.0}")
            } else {
                String::new()
            }
        })
        .x_desc("epoch")
        .y_desc("loss / accuracy")
        .draw()?;
    for (name, get, c, validation) in series {
        let points: Vec<(f64, f64)> = history
            .points(get)
            .into_iter()
            .filter(|p| p.1.is_finite())
            .collect();
        let style = c.stroke_width(2);
        if validation {
            chart.draw_series(DashedLineSeries::new(points.clone(), 6, 4, style))?;
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 3, c.filled())))?
                .label(name)
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(0, 0), (7, 0)], style)
                        + PathElement::new(vec![(13, 0), (20, 0)], style)
                        + Circle::new((10, 0), 3, c.filled())
                });
        } else {
            chart
                .draw_series(LineSeries::new(points, style))?
                .label(name)
                .legend(line_key(style));
        }
    }
    draw_legend(&mut chart, SeriesLabelPosition::MiddleRight)
}
// ANCHOR_END: learning_curves

// ANCHOR: confusion_figure
/// The confusion matrix as a grid: row = true class, column = predicted
/// class, each cell showing its count and shaded by the share of its row.
pub fn draw_confusion_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    counts: &Array2<usize>,
    class_names: &[&str],
) -> FigureResult {
    let k = counts.nrows();
    if counts.ncols() != k || class_names.len() != k || k == 0 {
        return Err(FigureError(format!(
            "a confusion matrix needs k × k counts and k names, got {:?} and {}",
            counts.shape(),
            class_names.len()
        )));
    }
    let name = |i: usize| class_names.get(i).copied().unwrap_or("");
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Confusion matrix on the 10 000 test images",
            ("sans-serif", 22),
        )
        .margin(14)
        .x_label_area_size(75)
        .y_label_area_size(100)
        // A segmented range `0..n` has n + 1 cells: `0..k - 1` gives k.
        .build_cartesian_2d((0..k - 1).into_segmented(), (0..k - 1).into_segmented())?;
    let label = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => *i,
        SegmentValue::Last => k,
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(k)
        .y_labels(k)
        // The column names are drawn below, on two lines where they are long.
        .x_label_formatter(&|_| String::new())
        // Row 0 at the top: the y axis counts from the bottom.
        .y_label_formatter(&|v| name((k - 1).saturating_sub(label(v))).to_string())
        .y_label_style(("sans-serif", 13))
        .y_desc("true class")
        .draw()?;
    let base = area.get_base_pixel();
    let below = ("sans-serif", 13)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let mut bottom = 0;
    for p in 0..k {
        let (x, y) = chart.backend_coord(&(SegmentValue::CenterOf(p), SegmentValue::Exact(0)));
        let (x, y) = (x - base.0, y - base.1);
        bottom = y;
        for (line, text) in two_lines(name(p)).iter().enumerate() {
            area.draw(&Text::new(
                text.clone(),
                (x, y + 8 + 15 * line as i32),
                below.clone(),
            ))?;
        }
    }
    let (centre, _) = chart.backend_coord(&(SegmentValue::Exact(0), SegmentValue::Exact(0)));
    let (right, _) = chart.backend_coord(&(SegmentValue::Last, SegmentValue::Exact(0)));
    let desc = ("sans-serif", 15)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    area.draw(&Text::new(
        "predicted class",
        ((centre + right) / 2 - base.0, bottom + 46),
        desc,
    ))?;
    for ((t, p), &c) in counts.indexed_iter() {
        let row_total: usize = counts.row(t).sum();
        let share = if row_total == 0 {
            0.0
        } else {
            c as f64 / row_total as f64
        };
        // From white (0) to the book's blue (a whole row in one cell).
        let blue = colour(0);
        let mix =
            |w: u8, b: u8| (f64::from(w) + (f64::from(b) - f64::from(w)) * share.sqrt()) as u8;
        let fill = RGBColor(mix(255, blue.0), mix(255, blue.1), mix(255, blue.2));
        let y = k - 1 - t;
        chart.draw_series(std::iter::once(Rectangle::new(
            [
                (SegmentValue::Exact(p), SegmentValue::Exact(y)),
                (SegmentValue::Exact(p + 1), SegmentValue::Exact(y + 1)),
            ],
            fill.filled(),
        )))?;
        let ink = if share > 0.45 { WHITE } else { BLACK };
        let style = ("sans-serif", 14)
            .into_font()
            .color(&ink)
            .pos(Pos::new(HPos::Center, VPos::Center));
        chart.draw_series(std::iter::once(Text::new(
            c.to_string(),
            (SegmentValue::CenterOf(p), SegmentValue::CenterOf(y)),
            style,
        )))?;
    }
    Ok(())
}
// ANCHOR_END: confusion_figure

/// Splits a long class name in two at a space or after a slash, so that
/// ten names fit side by side under the matrix.
fn two_lines(name: &str) -> Vec<String> {
    if name.len() <= 8 {
        return vec![name.to_string()];
    }
    match name.find('/').map(|i| i + 1).or_else(|| name.find(' ')) {
        Some(i) => vec![name[..i].trim().to_string(), name[i..].trim().to_string()],
        None => vec![name.to_string()],
    }
}

/// Draws one greyscale image (`rows × cols` bytes, 0 = background) into the
/// pixel rectangle starting at `(x0, y0)` with `scale` pixels per image
/// pixel, dark on white as ink on paper. Neighbouring pixels of the same
/// shade (in 32 steps) are merged into one rectangle to keep SVGs small.
fn draw_image<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    image: ndarray::ArrayView2<u8>,
    (x0, y0): (i32, i32),
    scale: i32,
) -> FigureResult {
    for (r, row) in image.rows().into_iter().enumerate() {
        let mut c = 0;
        while c < row.len() {
            let shade = row[c] >> 3;
            let start = c;
            while c < row.len() && row[c] >> 3 == shade {
                c += 1;
            }
            if shade == 0 {
                continue;
            }
            let grey = 255 - ((u16::from(shade) * 255) / 31) as u8;
            let (x, y) = (x0 + start as i32 * scale, y0 + r as i32 * scale);
            area.draw(&Rectangle::new(
                [(x, y), (x + (c - start) as i32 * scale, y + scale)],
                RGBColor(grey, grey, grey).filled(),
            ))?;
        }
    }
    Ok(())
}

// ANCHOR: prediction_grid
/// A grid of test images, each captioned with its predicted class and, when
/// the prediction is wrong, the true class in red and a red frame.
pub fn draw_prediction_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    images: ArrayView3<u8>,
    labels: &[u8],
    predicted: &[usize],
    class_names: &[&str],
    columns: usize,
) -> FigureResult {
    let n = images
        .len_of(ndarray::Axis(0))
        .min(labels.len())
        .min(predicted.len());
    if n == 0 || columns == 0 {
        return Err(FigureError("no images to draw".into()));
    }
    let name = |i: usize| class_names.get(i).copied().unwrap_or("?");
    let rows = n.div_ceil(columns);
    let wrong = (0..n)
        .filter(|&i| predicted[i] != usize::from(labels[i]))
        .count();
    let mistakes = if wrong == 1 { "mistake" } else { "mistakes" };
    let title = format!(
        "The first {n} test images, with the predicted class ({wrong} {mistakes}, true class in red)"
    );
    let body = area.titled(&title, ("sans-serif", 20))?;
    let (width, height) = body.dim_in_pixel();
    let (cell_w, cell_h) = (width as i32 / columns as i32, height as i32 / rows as i32);
    let (h, w) = (images.shape()[1] as i32, images.shape()[2] as i32);
    let scale = ((cell_h - 40) / h).min((cell_w - 10) / w).max(1);
    for i in 0..n {
        let (col, row) = ((i % columns) as i32, (i / columns) as i32);
        let x0 = col * cell_w + (cell_w - w * scale) / 2;
        let y0 = row * cell_h + ((cell_h - h * scale - 36) / 2).max(2);
        draw_image(
            &body,
            images.index_axis(ndarray::Axis(0), i),
            (x0, y0),
            scale,
        )?;
        let truth = usize::from(labels[i]);
        let ok = predicted[i] == truth;
        let frame = if ok {
            RGBColor(200, 200, 200).stroke_width(1)
        } else {
            MISTAKE.stroke_width(3)
        };
        body.draw(&Rectangle::new(
            [(x0 - 2, y0 - 2), (x0 + w * scale + 2, y0 + h * scale + 2)],
            frame,
        ))?;
        let centre = col * cell_w + cell_w / 2;
        let text_y = y0 + h * scale + 6;
        let caption = ("sans-serif", 13)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top));
        body.draw(&Text::new(
            name(predicted[i]).to_string(),
            (centre, text_y),
            caption.clone(),
        ))?;
        if !ok {
            let red = ("sans-serif", 13)
                .into_font()
                .color(&MISTAKE)
                .pos(Pos::new(HPos::Center, VPos::Top));
            body.draw(&Text::new(
                format!("({})", name(truth)),
                (centre, text_y + 14),
                red,
            ))?;
        }
    }
    Ok(())
}
// ANCHOR_END: prediction_grid

#[cfg(test)]
mod tests {
    use super::*;
    use ch00_toolbox::figure::svg_string;
    use ndarray::{Array3, array};

    fn history() -> History {
        let record = |epoch: usize, loss: f32, acc: f32| EpochRecord {
            epoch,
            loss,
            accuracy: Some(acc),
            mae: None,
            val_loss: Some(loss + 0.05),
            val_accuracy: Some(acc - 0.01),
            val_mae: None,
            seconds: 1.0,
            engine: crate::fit::Engine::Clear,
            outputs: Vec::new(),
        };
        History {
            epochs: vec![
                record(1, 0.7, 0.76),
                record(2, 0.5, 0.83),
                record(3, 0.45, 0.85),
            ],
            stopped: None,
        }
    }

    #[test]
    fn the_figures_draw_and_mention_their_contents() {
        let svg = svg_string((800, 500), |a| draw_learning_curves(a, &history())).unwrap();
        assert!(svg.contains("val_accuracy") && svg.contains("epoch"));
        let cm = array![[5usize, 1], [2, 7]];
        let svg = svg_string((500, 500), |a| {
            draw_confusion_matrix(a, &cm, &["cat", "dog"])
        })
        .unwrap();
        assert!(
            svg.contains("dog") && svg.lines().any(|l| l.trim() == "7"),
            "{svg}"
        );
        let images = Array3::from_shape_fn((3, 28, 28), |(i, r, c)| ((i + r + c) * 3 % 256) as u8);
        let svg = svg_string((600, 300), |a| {
            draw_prediction_grid(a, images.view(), &[0, 1, 1], &[0, 1, 0], &["cat", "dog"], 3)
        })
        .unwrap();
        assert!(svg.contains("(dog)") && svg.contains("1 mistake,"));
    }

    #[test]
    fn mismatched_inputs_are_errors_not_panics() {
        let cm = array![[5usize, 1], [2, 7]];
        assert!(svg_string((300, 300), |a| draw_confusion_matrix(a, &cm, &["only one"])).is_err());
        let images = Array3::<u8>::zeros((0, 28, 28));
        assert!(
            svg_string((300, 300), |a| draw_prediction_grid(
                a,
                images.view(),
                &[],
                &[],
                &[],
                4
            ))
            .is_err()
        );
    }
}
