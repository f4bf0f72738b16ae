//! Small, seeded 2-D data sets that no straight line separates.
//!
//! Two inputs mean every sample is a point on the page and every classifier
//! is a colouring of the plane, so we can *see* what a network learnt.

use ch00_toolbox::seeded_rng;
use ch04_backprop::NetError;
use ch04_backprop::error::{check_finite_rows, checked_len};
use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, Normal};

/// Points (`n × 2`) and one class label per point.
#[derive(Clone, Debug, PartialEq)]
pub struct Labelled {
    /// One row `(x₁, x₂)` per sample.
    pub x: Array2<f32>,
    /// The class of each row, `0..n_classes`.
    pub labels: Vec<u8>,
}

impl Labelled {
    /// Pairs points (one per row) with their labels: the counts must agree
    /// and every coordinate must be a finite number (the error names the
    /// first row that is not).
    pub fn new(x: Array2<f32>, labels: Vec<u8>) -> Result<Labelled, NetError> {
        let data = Labelled { x, labels };
        data.check()?;
        Ok(data)
    }

    /// The checks of [`Labelled::new`], again: the fields are public, so the
    /// data may have changed since. Training calls it first.
    pub fn check(&self) -> Result<(), NetError> {
        if self.labels.len() != self.x.nrows() {
            return Err(NetError::shape(
                "labels (one per row of points)",
                &[self.x.nrows()],
                &[self.labels.len()],
            ));
        }
        check_finite_rows("points", &self.x.view())
    }

    /// The number of samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The labels as an `n × 1` column of 0.0 / 1.0 targets, for a binary
    /// classifier with one sigmoid output.
    pub fn binary_targets(&self) -> Array2<f32> {
        Array2::from_shape_fn((self.len(), 1), |(i, _)| f32::from(self.labels[i]))
    }
}

/// One draw of Gaussian noise, or 0 when the standard deviation given was
/// not a finite number.
fn noise_sample(jitter: &Option<Normal<f32>>, rng: &mut impl Rng) -> f32 {
    jitter.as_ref().map_or(0.0, |n| n.sample(rng))
}

// ANCHOR: spirals
/// `n_classes` interleaved spiral arms of `per_class` points each.
///
/// Arm `k` starts at the centre and winds outwards: at position
/// \\(t \in [0, 1]\\) along it, the radius is \\(t\\) and the angle is
/// \\(2\pi k / K + \text{turns} \cdot 2\pi t\\), plus Gaussian noise of
/// standard deviation `noise` on the angle. Every arm wraps around the
/// others, so each class needs a curved, many-sided region.
/// More points than fit in memory are an error.
pub fn spirals(
    per_class: usize,
    n_classes: u8,
    turns: f32,
    noise: f32,
    seed: u64,
) -> Result<Labelled, NetError> {
    let n = point_count(per_class, usize::from(n_classes))?;
    Ok(spiral_points(per_class, n_classes, turns, noise, seed, n))
}

fn spiral_points(
    per_class: usize,
    n_classes: u8,
    turns: f32,
    noise: f32,
    seed: u64,
    n: usize,
) -> Labelled {
    let mut rng = seeded_rng(seed);
    let jitter = Normal::new(0.0f32, noise.abs()).ok();
    let mut x = Array2::zeros((n, 2));
    let mut labels = Vec::with_capacity(n);
    let tau = std::f32::consts::TAU;
    for k in 0..n_classes {
        for i in 0..per_class {
            let t = (i as f32 + 0.5) / per_class as f32;
            let angle = tau * f32::from(k) / f32::from(n_classes)
                + turns * tau * t
                + noise_sample(&jitter, &mut rng);
            let row = labels.len();
            x[[row, 0]] = t * angle.cos();
            x[[row, 1]] = t * angle.sin();
            labels.push(k);
        }
    }
    Labelled { x, labels }
}
// ANCHOR_END: spirals

// ANCHOR: moons
/// Two interleaved half circles ("moons") of `per_class` points each, with
/// Gaussian noise of standard deviation `noise` on both coordinates. Class 0
/// is the upper arc, centred on \\((0, 0)\\); class 1 the lower arc, centred
/// on \\((1, 0.5)\\) and reaching into the hollow of the first. More points
/// than fit in memory are an error.
pub fn moons(per_class: usize, noise: f32, seed: u64) -> Result<Labelled, NetError> {
    point_count(per_class, 2)?;
    Ok(moon_points(per_class, noise, seed))
}

fn moon_points(per_class: usize, noise: f32, seed: u64) -> Labelled {
    let mut rng = seeded_rng(seed);
    let jitter = Normal::new(0.0f32, noise.abs()).ok();
    let mut x = Array2::zeros((2 * per_class, 2));
    let mut labels = Vec::with_capacity(2 * per_class);
    for class in 0..2u8 {
        for _ in 0..per_class {
            let a = rng.random_range(0.0..std::f32::consts::PI);
            let (px, py) = if class == 0 {
                (a.cos(), a.sin())
            } else {
                (1.0 - a.cos(), 0.5 - a.sin())
            };
            let row = labels.len();
            x[[row, 0]] = px + noise_sample(&jitter, &mut rng);
            x[[row, 1]] = py + noise_sample(&jitter, &mut rng);
            labels.push(class);
        }
    }
    Labelled { x, labels }
}
// ANCHOR_END: moons

/// The chapter's multiclass data: three spiral arms of 200 points, one turn
/// each, angle noise 0.2 rad. Different seeds give independent draws (a
/// fresh seed is a held-out test set).
pub fn spiral_data(seed: u64) -> Labelled {
    spiral_points(200, 3, 1.0, 0.2, seed, 600)
}

/// The chapter's binary data: two moons of 200 points, noise 0.15.
pub fn moons_data(seed: u64) -> Labelled {
    moon_points(200, 0.15, seed)
}

/// `per_class · classes` points of two coordinates, if that many fit
/// (chapter 4's [`checked_len`]).
fn point_count(per_class: usize, classes: usize) -> Result<usize, NetError> {
    let n = per_class.checked_mul(classes).ok_or_else(|| {
        NetError::InvalidArgument(format!(
            "{per_class} points for each of {classes} classes are too many to hold"
        ))
    })?;
    checked_len("the points", &[n, 2])?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spirals_have_balanced_classes_inside_the_unit_disc() {
        let d = spirals(50, 3, 1.0, 0.1, 1).unwrap();
        assert_eq!(d.x.shape(), &[150, 2]);
        for k in 0..3u8 {
            assert_eq!(d.labels.iter().filter(|&&l| l == k).count(), 50);
        }
        for row in d.x.rows() {
            assert!(row[0].hypot(row[1]) <= 1.0 + 1e-6);
        }
        assert_eq!(d, spirals(50, 3, 1.0, 0.1, 1).unwrap());
        assert_ne!(d, spirals(50, 3, 1.0, 0.1, 2).unwrap());
    }

    #[test]
    fn without_noise_the_spiral_arms_follow_their_formula() {
        let d = spirals(4, 2, 0.5, 0.0, 0).unwrap();
        // Class 1, first point: t = 1/8, angle = π + 0.5·2π/8.
        let t = 0.125f32;
        let angle = std::f32::consts::PI + 0.5 * std::f32::consts::TAU * t;
        assert!((d.x[[4, 0]] - t * angle.cos()).abs() < 1e-6);
        assert!((d.x[[4, 1]] - t * angle.sin()).abs() < 1e-6);
    }

    #[test]
    fn too_many_points_or_bad_data_are_errors() {
        assert!(spirals(usize::MAX / 2, 3, 1.0, 0.1, 0).is_err());
        assert!(spirals(usize::MAX, 255, 1.0, 0.1, 0).is_err());
        assert!(moons(usize::MAX / 2 + 1, 0.1, 0).is_err());
        assert!(moons(1 << 40, 0.1, 0).is_err());
        assert!(
            spirals(0, 0, f32::NAN, f32::INFINITY, 0)
                .unwrap()
                .is_empty()
        );
        let mut x = Array2::<f32>::zeros((3, 2));
        assert!(Labelled::new(x.clone(), vec![0, 1]).is_err());
        x[[1, 0]] = f32::NAN;
        let err = Labelled::new(x, vec![0, 1, 0]).unwrap_err().to_string();
        assert!(err.contains("points row 1"), "{err}");
    }

    #[test]
    fn moons_without_noise_lie_on_their_arcs() {
        let d = moons(30, 0.0, 3).unwrap();
        assert_eq!(d.len(), 60);
        for (row, &l) in d.x.rows().into_iter().zip(&d.labels) {
            let (cx, cy) = if l == 0 { (0.0, 0.0) } else { (1.0, 0.5) };
            let r = (row[0] - cx).hypot(row[1] - cy);
            assert!((r - 1.0).abs() < 1e-5);
            if l == 0 {
                assert!(row[1] >= -1e-6);
            } else {
                assert!(row[1] <= 0.5 + 1e-6);
            }
        }
        let t = d.binary_targets();
        assert_eq!(t.shape(), &[60, 1]);
        assert_eq!(t.sum(), 30.0);
    }
}
