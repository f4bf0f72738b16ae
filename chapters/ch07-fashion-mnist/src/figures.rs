//! The chapter's figures: a grid of labelled samples, the class counts, and
//! the mean image of each class. Each function draws on any plotters
//! backend, so the same code writes the book's SVGs and the notebook's
//! inline pictures.
//!
//! Images are drawn dark on white (ink is the pixel value), one filled
//! rectangle per run of equal grey in a row, so an SVG of forty images stays
//! small.

use ch00_toolbox::figure::{FigureError, FigureResult, box_key, colour, draw_legend, line_key};
use ch00_toolbox::plotters::coord::Shift;
use ch00_toolbox::plotters::prelude::*;
use ndarray::{Array3, ArrayView2, Axis};

use crate::classes::{CLASS_NAMES, NUM_CLASSES, class_name};
use crate::split::Split;

/// How many grey levels the figures use (the files have 256; 16 look the
/// same at this size and make runs of equal grey longer).
const GREY_LEVELS: u16 = 16;

/// The grey, on white paper, of a pixel whose ink is `v`.
fn grey(v: u8) -> (u16, RGBColor) {
    let level = u16::from(v) * GREY_LEVELS / 256;
    let shade = 255 - (level * 255 / (GREY_LEVELS - 1)) as u8;
    (level, RGBColor(shade, shade, shade))
}

// ANCHOR: draw_image
/// Draws one image as large as fits in `area`, centred, with whole screen
/// pixels per image pixel and a thin grey frame. Background (0) is left white.
pub fn draw_image<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    image: ArrayView2<u8>,
) -> FigureResult {
    let (rows, cols) = image.dim();
    let (w, h) = area.dim_in_pixel();
    if rows == 0 || cols == 0 {
        return Ok(());
    }
    let size = ((w as usize / cols).min(h as usize / rows)).max(1) as i32;
    let x0 = (w as i32 - size * cols as i32) / 2;
    let y0 = (h as i32 - size * rows as i32) / 2;
    for (r, row) in image.outer_iter().enumerate() {
        let y = y0 + r as i32 * size;
        let mut c = 0;
        while c < cols {
            let (level, fill) = grey(row[c]);
            let start = c;
            while c < cols && grey(row[c]).0 == level {
                c += 1;
            }
            if level > 0 {
                let (xa, xb) = (x0 + start as i32 * size, x0 + c as i32 * size);
                area.draw(&Rectangle::new([(xa, y), (xb, y + size)], fill.filled()))?;
            }
        }
    }
    let frame = RGBColor(200, 200, 200);
    let (x1, y1) = (x0 + size * cols as i32, y0 + size * rows as i32);
    area.draw(&Rectangle::new([(x0 - 1, y0 - 1), (x1, y1)], frame))?;
    Ok(())
}
// ANCHOR_END: draw_image

// ANCHOR: draw_sample_grid
/// A `rows × cols` grid of the first images of `split`, each titled with its
/// class name.
pub fn draw_sample_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    split: &Split,
    rows: usize,
    cols: usize,
) -> FigureResult {
    let n = rows * cols;
    if split.len() < n {
        return Err(FigureError(format!(
            "a {rows}×{cols} grid needs {n} images, the split has {}",
            split.len()
        )));
    }
    let title = format!("The first {n} training images and their classes");
    let body = area.titled(&title, ("sans-serif", 22))?;
    let cells = body.split_evenly((rows, cols));
    for (i, cell) in cells.iter().enumerate() {
        let label = split.labels[i];
        let name = class_name(label).unwrap_or("?");
        let inner = cell.margin(2, 2, 4, 4).titled(name, ("sans-serif", 13))?;
        draw_image(&inner, split.images.index_axis(Axis(0), i))?;
    }
    Ok(())
}
// ANCHOR_END: draw_sample_grid

/// The per-class counts of one or more splits as grouped bars, one group per
/// class. `series` pairs a name for the legend with ten counts; `reference`,
/// if given, draws a dashed line at that height (for example the count a
/// perfectly balanced split would have).
pub fn draw_class_counts<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    series: &[(&str, [usize; NUM_CLASSES])],
    reference: Option<f64>,
) -> FigureResult {
    let top = series
        .iter()
        .flat_map(|(_, c)| c.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    // Head room above the tallest bar for the legend.
    let y_max = top.max(reference.unwrap_or(0.0)) * 1.4;
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5f64..9.5f64, 0.0..y_max)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(20)
        .x_label_formatter(&|x| {
            let k = x.round();
            if (x - k).abs() < 1e-6 && (0.0..10.0).contains(&k) {
                CLASS_NAMES[k as usize].to_string()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_desc("class")
        .y_desc("images")
        .draw()?;
    let groups = series.len().max(1) as f64;
    let width = 0.8 / groups;
    for (s, (name, counts)) in series.iter().enumerate() {
        let fill = colour(s);
        chart
            .draw_series(counts.iter().enumerate().map(|(k, &count)| {
                let x0 = k as f64 - 0.4 + s as f64 * width;
                Rectangle::new(
                    [(x0, 0.0), (x0 + width * 0.92, count as f64)],
                    fill.filled(),
                )
            }))?
            .label(*name)
            .legend(box_key(fill.filled()));
    }
    if let Some(level) = reference {
        chart
            .draw_series(DashedLineSeries::new(
                [(-0.5, level), (9.5, level)],
                6,
                4,
                BLACK.stroke_width(1),
            ))?
            .label(format!("{level:.0} per class if balanced"))
            .legend(line_key(BLACK));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}

// ANCHOR: draw_class_means
/// The mean image of each class (as [`Split::class_means`] returns them,
/// `10 × rows × cols` in \[0, 1\]) in a 2 × 5 grid, titled with the names.
pub fn draw_class_means<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    means: &Array3<f32>,
) -> FigureResult {
    if means.len_of(Axis(0)) != NUM_CLASSES {
        return Err(FigureError(format!(
            "expected {NUM_CLASSES} mean images, got an array of shape {:?}",
            means.shape()
        )));
    }
    let body = area.titled("The mean image of each class", ("sans-serif", 22))?;
    for (k, cell) in body.split_evenly((2, 5)).iter().enumerate() {
        let inner = cell
            .margin(4, 4, 6, 6)
            .titled(CLASS_NAMES[k], ("sans-serif", 15))?;
        let pixels = means
            .index_axis(Axis(0), k)
            .mapv(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8);
        draw_image(&inner, pixels.view())?;
    }
    Ok(())
}
// ANCHOR_END: draw_class_means

#[cfg(test)]
mod tests {
    use super::*;
    use ch00_toolbox::figure::svg_string;
    use ndarray::{Array1, Array3};

    fn split(n: usize) -> Split {
        let images = Array3::from_shape_fn(
            (n, 28, 28),
            |(i, r, c)| {
                if (r + c + i) % 3 == 0 { 200 } else { 0 }
            },
        );
        let labels = Array1::from_iter((0..n).map(|i| (i % 10) as u8));
        Split::new(images, labels).unwrap()
    }

    #[test]
    fn the_grid_names_every_class_it_shows_and_refuses_too_few_images() {
        let s = split(12);
        let svg = svg_string((600, 300), |a| draw_sample_grid(a, &s, 2, 6)).unwrap();
        assert!(svg.contains("The first 12 training images"));
        for name in &CLASS_NAMES {
            assert!(svg.contains(name), "{name}");
        }
        assert!(svg_string((600, 300), |a| draw_sample_grid(a, &s, 4, 10)).is_err());
    }

    #[test]
    fn runs_of_equal_grey_become_one_rectangle() {
        // One image: a single row of 28 equal dark pixels, the rest white.
        let mut image = ndarray::Array2::<u8>::zeros((28, 28));
        image.row_mut(5).fill(255);
        let svg = svg_string((280, 280), |a| draw_image(a, image.view())).unwrap();
        // The run, the frame and the white page.
        assert_eq!(svg.matches("<rect").count(), 3, "{svg}");
        assert!(svg.contains("width=\"280\" height=\"10\""), "{svg}");
    }

    #[test]
    fn the_means_figure_needs_ten_classes() {
        let s = split(20);
        let svg = svg_string((800, 400), |a| draw_class_means(a, &s.class_means())).unwrap();
        assert!(svg.contains("Ankle boot"));
        let wrong = Array3::<f32>::zeros((3, 28, 28));
        assert!(svg_string((800, 400), |a| draw_class_means(a, &wrong)).is_err());
    }

    #[test]
    fn the_counts_figure_has_a_legend_entry_per_series() {
        let svg = svg_string((900, 400), |a| {
            draw_class_counts(
                a,
                "counts",
                &[("train", [6; 10]), ("test", [1; 10])],
                Some(5.0),
            )
        })
        .unwrap();
        assert!(svg.contains("train") && svg.contains("test") && svg.contains("if balanced"));
        assert!(svg.contains("Sneaker"));
    }
}
