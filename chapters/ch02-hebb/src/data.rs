//! A seeded cloud of correlated 2-D points: the data the learning rules see.

use ndarray::Array2;
use rand_distr::{Distribution, Normal};

use ch00_toolbox::seeded_rng;

use crate::error::{HebbError, check_size};

// ANCHOR: cloud
/// `n` points of an elongated Gaussian cloud centred on the origin: standard
/// deviation `std_major` along the direction at `angle_deg` degrees,
/// `std_minor` across it. Seeded, so the same arguments give the same cloud.
pub fn correlated_cloud(
    n: usize,
    std_major: f32,
    std_minor: f32,
    angle_deg: f32,
    seed: u64,
) -> Result<Array2<f32>, HebbError> {
    let spreads_ok = [std_major, std_minor]
        .iter()
        .all(|s| s.is_finite() && *s >= 0.0);
    if !spreads_ok || !angle_deg.is_finite() {
        return Err(HebbError::InvalidArgument(format!(
            "spreads must be finite and not negative, the angle finite: \
             {std_major}, {std_minor}, {angle_deg}°"
        )));
    }
    check_size("a cloud of points", &[n, 2])?;
    let bad = |e: rand_distr::NormalError| HebbError::InvalidArgument(e.to_string());
    let along = Normal::new(0.0f32, std_major).map_err(bad)?;
    let across = Normal::new(0.0f32, std_minor).map_err(bad)?;
    let (sin, cos) = angle_deg.to_radians().sin_cos();
    let mut rng = seeded_rng(seed);
    let mut data = Array2::zeros((n, 2));
    for mut row in data.rows_mut() {
        let (u, v) = (along.sample(&mut rng), across.sample(&mut rng));
        row[0] = cos * u - sin * v; // rotate (u, v) by the angle
        row[1] = sin * u + cos * v;
    }
    Ok(data)
}
// ANCHOR_END: cloud

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pca::covariance;

    #[test]
    fn the_cloud_is_reproducible_and_has_the_asked_spread() {
        let a = correlated_cloud(4000, 2.0, 0.5, 0.0, 7).unwrap();
        assert_eq!(a, correlated_cloud(4000, 2.0, 0.5, 0.0, 7).unwrap());
        let c = covariance(a.view()).unwrap();
        assert!((c[[0, 0]] - 4.0).abs() < 0.3, "{c}");
        assert!((c[[1, 1]] - 0.25).abs() < 0.03, "{c}");
    }

    #[test]
    fn a_negative_spread_is_an_error() {
        assert!(correlated_cloud(10, -1.0, 0.5, 0.0, 1).is_err());
        assert!(correlated_cloud(10, 1.0, f32::NAN, 0.0, 1).is_err());
    }
}
