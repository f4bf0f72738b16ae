//! The figures draw with their titles and refuse data they cannot show.

use ch00_toolbox::figure::svg_string;
use ch02_hebb::experiments::{CloudSettings, capacity, run_cloud};
use ch02_hebb::figures::{draw_capacity, draw_eigenvectors, draw_growth, draw_oja_direction};
use ch02_hebb::pca::covariance;
use ch02_hebb::primer::tiny_data;
use ndarray::Array2;

#[test]
fn the_figures_draw_with_titles_axes_and_every_point() {
    let run = run_cloud(&CloudSettings {
        n: 200,
        ..CloudSettings::default()
    })
    .unwrap();
    let e1 = run.eigenvector.view();
    let svg = svg_string((1000, 440), |a| draw_growth(a, &run.hebb, &run.oja, e1)).unwrap();
    assert!(svg.contains("Plain Hebb grows without bound") && svg.contains("update step t"));
    let svg = svg_string((780, 640), |a| {
        draw_oja_direction(a, run.data.view(), &run.oja, e1)
    })
    .unwrap();
    assert!(svg.contains("first principal component"));
    // 200 data points, 3 legend marks or end points.
    assert_eq!(svg.matches("<circle").count(), 200 + 1 + 2);
    let curve = capacity(3, 10, 2).unwrap();
    let svg = svg_string((840, 460), |a| draw_capacity(a, &curve, 8)).unwrap();
    assert!(svg.contains("number of stored pairs P"));
}

#[test]
fn the_eigenvector_figure_names_which_vectors_are_only_stretched() {
    let tiny = covariance(tiny_data().view()).unwrap();
    let run = run_cloud(&CloudSettings {
        n: 300,
        ..CloudSettings::default()
    })
    .unwrap();
    let svg = svg_string((1100, 520), |a| {
        draw_eigenvectors(a, tiny.view(), run.data.view())
    })
    .unwrap();
    assert!(svg.contains("Eigenvectors: the directions a matrix only stretches"));
    // Of the four unit vectors at 0°, 45°, 90° and 135°, the two diagonals
    // are eigenvectors of [[2.5, 2], [2, 2.5]]; the other two are turned.
    assert_eq!(svg.matches("only stretched, by 4.5").count(), 1, "{svg}");
    assert_eq!(svg.matches("only stretched, by 0.5").count(), 1);
    assert_eq!(svg.matches(": turned").count(), 2);
    // 300 data points and the legend's dot.
    assert_eq!(svg.matches("<circle").count(), 300 + 1);
    let r = svg_string((400, 300), |a| {
        draw_eigenvectors(a, tiny.view(), ndarray::Array2::zeros((4, 3)).view())
    });
    assert!(r.unwrap_err().to_string().contains("2-D"));
}

#[test]
fn three_dimensional_data_is_refused() {
    let run = run_cloud(&CloudSettings {
        n: 50,
        ..CloudSettings::default()
    })
    .unwrap();
    let data = Array2::<f32>::zeros((5, 3));
    let r = svg_string((400, 300), |a| {
        draw_oja_direction(a, data.view(), &run.oja, run.eigenvector.view())
    });
    assert!(r.unwrap_err().to_string().contains("2-D"));
}
