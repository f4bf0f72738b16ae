//! The figures draw with their titles and refuse data they cannot show.

use ch00_toolbox::figure::svg_string;
use ch02_hebb::experiments::{CloudSettings, capacity, run_cloud};
use ch02_hebb::figures::{draw_capacity, draw_growth, draw_oja_direction};
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
