//! Figures: one drawing function per figure, two places to show it.
//!
//! A figure in this book is a plain function, generic over the plotters
//! [`DrawingBackend`], that draws onto the area it is given:
//!
//! ```ignore
//! fn draw_something<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult {
//!     // draw with plotters onto `area`
//!     Ok(())
//! }
//! ```
//!
//! [`save_svg`] runs such a function into an SVG file under `book/figures/`,
//! and [`show`] runs the same function into a Jupyter cell on the evcxr kernel.
//! The book and the notebooks therefore draw the same pictures with the same
//! code.
//!
//! To place a caption or size a legend, plotters measures text with a font.
//! The book ships that font, DejaVu Sans (in `fonts/`, with its licence), and
//! [`register_fonts`] hands it to plotters under the family names
//! `"sans-serif"`, `"serif"` and `"monospace"`, so that drawing needs no font
//! installed on the machine. Every helper here that draws registers it first.
//! The SVG files name the family only; the reader's browser picks the face.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::CoordTranslate;
use plotters::coord::Shift;
use plotters::prelude::*;

/// What went wrong while drawing: plotters' error, turned into text so that
/// drawing functions can be generic over the backend and still use `?`.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureError(pub String);

impl fmt::Display for FigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not draw the figure: {}", self.0)
    }
}

impl std::error::Error for FigureError {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for FigureError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        FigureError(e.to_string())
    }
}

impl From<std::io::Error> for FigureError {
    fn from(e: std::io::Error) -> Self {
        FigureError(e.to_string())
    }
}

/// The result every drawing function returns.
pub type FigureResult = Result<(), FigureError>;

/// The colours of the book, in the order series use them. They stay
/// distinguishable in print and for the common forms of colour blindness
/// (the Okabe–Ito palette).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(240, 228, 66),  // yellow
    RGBColor(0, 0, 0),       // black
];

/// The `i`-th colour of [`PALETTE`], wrapping around.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// DejaVu Sans, the font every figure's text is measured with.
const DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// The font families a figure may name; [`register_fonts`] makes each of them
/// DejaVu Sans. Text in a family not listed here cannot be drawn.
pub const FONT_FAMILIES: [&str; 3] = ["sans-serif", "serif", "monospace"];

/// Hands the book's font to plotters under each of [`FONT_FAMILIES`], in the
/// normal style; bold and italic text is measured with it too.
///
/// [`save_svg`], [`svg_string`] and [`show`] call it before they draw, so a
/// figure drawn through them needs nothing else. Code that draws on a plotters
/// backend of its own calls it once first. Calling it again does nothing.
///
/// A text style built before the fonts are registered keeps failing to
/// measure: build styles inside the drawing function, as the figures do.
pub fn register_fonts() -> FigureResult {
    static REGISTERED: OnceLock<FigureResult> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            for family in FONT_FAMILIES {
                plotters::style::register_font(family, FontStyle::Normal, DEJAVU_SANS).map_err(
                    |_| FigureError(format!("the shipped font is not a valid font for {family}")),
                )?;
            }
            Ok(())
        })
        .clone()
}

// ANCHOR: save_svg
/// Draws a figure into an SVG file of `size` pixels, creating the folder if
/// needed. Used by each chapter's `examples/figures.rs`.
pub fn save_svg<F>(path: impl AsRef<Path>, size: (u32, u32), draw: F) -> FigureResult
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> FigureResult,
{
    register_fonts()?;
    let path = path.as_ref();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let root = SVGBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE)?;
    draw(&root)?;
    root.present()?;
    Ok(())
}
// ANCHOR_END: save_svg

/// Draws a figure into an SVG document held in a `String`.
pub fn svg_string<F>(size: (u32, u32), draw: F) -> Result<String, FigureError>
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> FigureResult,
{
    register_fonts()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(svg)
}

// ANCHOR: show
/// Draws a figure inline in a Jupyter notebook running the evcxr kernel: make
/// this the last expression of a cell.
///
/// The drawing is tried once into a string first, so that a failure comes back
/// as an `Err` instead of a panic inside plotters' `evcxr_figure`.
pub fn show<F>(size: (u32, u32), draw: F) -> Result<plotters::evcxr::SVGWrapper, FigureError>
where
    F: Fn(&DrawingArea<SVGBackend<'_>, Shift>) -> FigureResult,
{
    svg_string(size, &draw)?;
    Ok(plotters::evcxr::evcxr_figure(size, |root| {
        root.fill(&WHITE)?;
        draw(&root).map_err(|e| e.into())
    }))
}
// ANCHOR_END: show

/// Where a chapter's figures live: `book/figures/<chapter>/` at the root of
/// the workspace. `manifest_dir` is the chapter's `CARGO_MANIFEST_DIR`.
pub fn figures_dir(manifest_dir: &str, chapter: &str) -> PathBuf {
    Path::new(manifest_dir)
        .join("../../book/figures")
        .join(chapter)
}

// ANCHOR: first_plot
/// The chapter's first figure: a smooth curve and noisy, seeded samples of it.
/// `samples` are `(x, y)` pairs, for example from [`noisy_sine`]; each must
/// be finite and near the axes (within 1000 of them).
pub fn draw_first_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    samples: &[(f64, f64)],
) -> FigureResult {
    // A point a billion pixels away would overflow plotters' coordinates.
    if let Some(p) = samples
        .iter()
        .find(|(x, y)| !(x.abs() <= 1000.0 && y.abs() <= 1000.0))
    {
        return Err(FigureError(format!("cannot place the sample {p:?}")));
    }
    let mut chart = ChartBuilder::on(area)
        .caption(
            "A first figure: sin(x) and noisy samples",
            ("sans-serif", 22),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..std::f64::consts::TAU, -1.6..1.6)?;
    chart.configure_mesh().x_desc("x").y_desc("y").draw()?;

    let curve = (0..=200).map(|i| {
        let x = i as f64 / 200.0 * std::f64::consts::TAU;
        (x, x.sin())
    });
    chart
        .draw_series(LineSeries::new(curve, colour(0).stroke_width(2)))?
        .label("sin(x)")
        .legend(line_key(colour(0).stroke_width(2)));
    chart
        .draw_series(
            samples
                .iter()
                .map(|&p| Circle::new(p, 3, colour(1).filled())),
        )?
        .label("samples with noise")
        .legend(dot_key(colour(1).filled(), 3));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}
// ANCHOR_END: first_plot

// ANCHOR: legend
/// The font size of the text in every legend of the book.
pub const LEGEND_FONT_SIZE: u32 = 14;

/// Draws the legend of `chart` in the book's one style, at `position`: text in
/// [`LEGEND_FONT_SIZE`] on a white, slightly see-through box with a black
/// border. A series appears in it when it was given a `.label(…)`, and
/// its key is whatever its `.legend(…)` draws, for example [`line_key`].
pub fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> FigureResult {
    chart
        .configure_series_labels()
        .label_font(("sans-serif", LEGEND_FONT_SIZE))
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
// ANCHOR_END: legend

// ANCHOR: legend_keys
/// The legend key of a line: a stroke 20 pixels long in `style`, for example
/// `line_key(colour(0).stroke_width(2))`.
pub fn line_key<S: Into<ShapeStyle>>(style: S) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    let style = style.into();
    move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style)
}

/// The legend key of a scatter of dots: one dot of `radius` pixels in
/// `style`, centred where a [`line_key`] would have its middle.
pub fn dot_key<S: Into<ShapeStyle>>(
    style: S,
    radius: i32,
) -> impl Fn((i32, i32)) -> Circle<(i32, i32), i32> {
    let style = style.into();
    move |(x, y)| Circle::new((x + 10, y), radius, style)
}

/// The legend key of a filled area: a swatch 20 pixels wide and 12 high in
/// `style`, for example `box_key(colour(2).mix(0.3).filled())`.
pub fn box_key<S: Into<ShapeStyle>>(style: S) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    let style = style.into();
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], style)
}
// ANCHOR_END: legend_keys

/// The most points [`noisy_sine`] draws: about 16 million, 256 MB of pairs.
pub const MAX_SAMPLES: usize = 1 << 24;

// ANCHOR: noisy_sine
/// `n` points `(x, sin x + noise)` with `x` uniform in `[0, 2π)` and noise
/// uniform in `[-0.3, 0.3)`, all drawn from a seeded generator. More than
/// [`MAX_SAMPLES`] points is an error.
pub fn noisy_sine(n: usize, seed: u64) -> Result<Vec<(f64, f64)>, FigureError> {
    use rand::Rng;
    if n > MAX_SAMPLES {
        return Err(FigureError(format!(
            "{n} samples is more than a figure can use (at most {MAX_SAMPLES})"
        )));
    }
    let mut rng = crate::seeded_rng(seed);
    Ok((0..n)
        .map(|_| {
            let x = rng.random_range(0.0..std::f64::consts::TAU);
            (x, x.sin() + rng.random_range(-0.3..0.3))
        })
        .collect())
}
// ANCHOR_END: noisy_sine

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::element::PointCollection;

    #[test]
    fn first_plot_draws_an_svg_with_its_title_and_every_sample() {
        let samples = noisy_sine(25, 1).unwrap();
        let svg = svg_string((640, 400), |a| draw_first_plot(a, &samples)).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("A first figure"));
        assert_eq!(
            svg.matches("<circle").count(),
            25 + 1,
            "25 samples and one legend mark"
        );
    }

    /// A small chart with two labelled series and one without a label.
    fn legend_svg() -> String {
        svg_string((300, 200), |area| {
            let mut chart = ChartBuilder::on(area).build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
            chart
                .draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], colour(0)))?
                .label("rising line")
                .legend(line_key(colour(0)));
            chart
                .draw_series([Circle::new((0.5, 0.2), 3, colour(1).filled())])?
                .label("one dot")
                .legend(dot_key(colour(1).filled(), 3));
            chart.draw_series([Circle::new((0.2, 0.8), 3, colour(2).filled())])?;
            draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
        })
        .unwrap()
    }

    /// The `font-size` attribute of every `<text>` in an SVG document.
    fn font_sizes(svg: &str) -> Vec<&str> {
        svg.split("font-size=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect()
    }

    #[test]
    fn the_legend_lists_each_labelled_series_in_the_book_style() {
        let svg = legend_svg();
        assert!(svg.contains("\nrising line\n"), "{svg}");
        assert!(svg.contains("\none dot\n"), "{svg}");
        // The labels are in the book's legend size, whatever unit the
        // backend writes it in.
        let reference = svg_string((100, 100), |a| {
            a.draw(&Text::new("x", (0, 0), ("sans-serif", LEGEND_FONT_SIZE)))?;
            Ok(())
        })
        .unwrap();
        let size = font_sizes(&reference)[0];
        assert_eq!(font_sizes(&svg), [size, size], "two labels: {svg}");
        // The box: a see-through white fill and a black border.
        assert!(svg.contains(r##"opacity="0.85" fill="#FFFFFF""##), "{svg}");
        assert!(svg.contains(r##"fill="none" stroke="#000000""##), "{svg}");
        // Two dots in the plot, one more as the legend key.
        assert_eq!(svg.matches("<circle").count(), 3);
    }

    #[test]
    fn legend_keys_sit_where_the_legend_asks_and_share_one_width() {
        let at = (100, 50);
        let line = (&line_key(BLACK)(at)).point_iter().to_vec();
        assert_eq!(line, [(100, 50), (120, 50)]);
        let dot = dot_key(BLACK, 4)(at);
        let centre: Vec<_> = (&dot).point_iter().copied().collect();
        assert_eq!(centre, [(110, 50)], "in the middle of a line key");
        let swatch = (&box_key(BLACK)(at)).point_iter().to_vec();
        assert_eq!(swatch, [(100, 44), (120, 56)]);
    }

    #[test]
    fn noisy_sine_is_reproducible_and_stays_near_the_curve() {
        let a = noisy_sine(50, 3).unwrap();
        assert_eq!(a, noisy_sine(50, 3).unwrap());
        assert_ne!(a, noisy_sine(50, 4).unwrap());
        assert!(a.iter().all(|(x, y)| (y - x.sin()).abs() <= 0.3));
    }

    /// The width in pixels that plotters measures for `text` in the book's
    /// sans-serif face at `size`.
    fn text_width(text: &str, size: u32) -> u32 {
        let mut width = 0;
        svg_string((100, 100), |area| {
            let style = ("sans-serif", size).into_font().into_text_style(area);
            width = area.estimate_text_size(text, &style)?.0;
            Ok(())
        })
        .unwrap();
        width
    }

    #[test]
    fn text_is_measured_with_the_shipped_proportional_font() {
        let one = text_width("m", 20);
        assert!(one > 0, "a letter has a width");
        assert!(text_width("mmmm", 20) > 3 * one, "four letters are wider");
        assert!(
            text_width("m", 40) > text_width("m", 20),
            "and so is a larger size"
        );
        // A proportional face: ten i's are far narrower than ten W's.
        assert!(text_width("iiiiiiiiii", 20) * 2 < text_width("WWWWWWWWWW", 20));
    }

    #[test]
    fn registering_the_fonts_again_changes_nothing() {
        let before = text_width("legend", 14);
        assert_eq!(register_fonts(), Ok(()));
        assert_eq!(register_fonts(), Ok(()));
        assert_eq!(text_width("legend", 14), before);
        for family in FONT_FAMILIES {
            let svg = svg_string((200, 50), |area| {
                area.draw(&Text::new("text", (5, 5), (family, 14)))?;
                Ok(())
            });
            assert!(svg.is_ok_and(|s| s.contains(&format!(r#"font-family="{family}""#))));
        }
    }

    /// The width of the white box behind a legend drawn by [`draw_legend`].
    fn legend_box_width(label: &str) -> u32 {
        let svg = svg_string((400, 200), |area| {
            let mut chart = ChartBuilder::on(area).build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
            chart
                .draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], colour(0)))?
                .label(label)
                .legend(line_key(colour(0)));
            draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
        })
        .unwrap();
        let rect = svg
            .split("<rect")
            .find(|r| r.contains(r#"opacity="0.85""#))
            .expect("a legend box");
        rect.split("width=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    #[test]
    fn a_legend_box_is_as_wide_as_its_measured_label() {
        let short = legend_box_width("a");
        let long = legend_box_width("a much longer label");
        let grown = long - short;
        let measured =
            text_width("a much longer label", LEGEND_FONT_SIZE) - text_width("a", LEGEND_FONT_SIZE);
        assert!(
            grown.abs_diff(measured) <= 2,
            "box grew {grown}, text {measured}"
        );
    }

    #[test]
    fn a_failing_drawing_is_an_error_not_a_panic() {
        let r = show((100, 100), |_| Err(FigureError("no data".into())));
        assert_eq!(r.err(), Some(FigureError("no data".into())));
    }
}
