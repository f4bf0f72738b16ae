//! Certificates that some Iris classes admit no separating line or plane: a
//! flower of one class inside the hull of flowers of the other.

use ch03_perceptron::separability::{barycentric, inside, point_in_triangle};
use ch03_perceptron::{Feature, Iris, Species};
use ndarray::Axis;

fn rows_of(iris: &Iris, keep: impl Fn(Species) -> bool) -> Vec<usize> {
    (0..iris.len()).filter(|&i| keep(iris.species[i])).collect()
}

#[test]
fn a_versicolor_and_a_virginica_have_identical_petals() {
    let iris = Iris::load();
    let p = iris.petals();
    let twins: Vec<(usize, usize)> = rows_of(&iris, |s| s == Species::Versicolor)
        .into_iter()
        .flat_map(|i| {
            rows_of(&iris, |s| s == Species::Virginica)
                .into_iter()
                .map(move |j| (i, j))
        })
        .filter(|&(i, j)| p.row(i) == p.row(j))
        .collect();
    assert!(!twins.is_empty());
}

#[test]
fn versicolor_lies_inside_a_triangle_of_the_other_species_in_the_petal_plane() {
    let iris = Iris::load();
    let p = iris.petals();
    let ve = p.select(Axis(0), &rows_of(&iris, |s| s == Species::Versicolor));
    let rest = p.select(Axis(0), &rows_of(&iris, |s| s != Species::Versicolor));
    let (i, tri) = point_in_triangle(ve.view(), rest.view())
        .unwrap()
        .expect("a witness");
    assert!(inside(ve.row(i), rest.select(Axis(0), &tri).view()).unwrap());
}

#[test]
fn versicolor_and_virginica_overlap_in_every_pair_of_features() {
    let iris = Iris::load();
    let ve_rows = rows_of(&iris, |s| s == Species::Versicolor);
    let vi_rows = rows_of(&iris, |s| s == Species::Virginica);
    for a in 0..4 {
        for b in a + 1..4 {
            let x = iris.columns(&[Feature::ALL[a], Feature::ALL[b]]);
            let ve = x.select(Axis(0), &ve_rows);
            let vi = x.select(Axis(0), &vi_rows);
            let witness = point_in_triangle(ve.view(), vi.view()).unwrap();
            let other_way = point_in_triangle(vi.view(), ve.view()).unwrap();
            assert!(witness.is_some() || other_way.is_some(), "{a}, {b}");
        }
    }
}

#[test]
fn in_all_four_features_a_versicolor_is_an_average_of_five_other_flowers() {
    // Found with a linear program and checked here: row 78 (a versicolor)
    // inside the hull of five flowers of the other species, and row 83 (a
    // versicolor) inside the hull of five virginicas. Rows count from 0.
    let iris = Iris::load();
    for (flower, others) in [
        (78, [13, 32, 43, 106, 118]),
        (83, [106, 119, 133, 134, 138]),
    ] {
        assert_eq!(iris.species[flower], Species::Versicolor);
        assert!(
            others
                .iter()
                .all(|&o| iris.species[o] != Species::Versicolor)
        );
        let corners = iris.features.select(Axis(0), &others);
        let weights = barycentric(iris.features.row(flower), corners.view()).unwrap();
        assert!(weights.iter().all(|&w| w >= 0.0), "{weights}");
        assert!((weights.sum() - 1.0).abs() < 1e-9);
    }
}
