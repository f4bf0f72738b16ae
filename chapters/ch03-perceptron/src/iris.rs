//! Fisher's Iris data: 150 flowers, four measurements each, three species.
//!
//! The file is the one scikit-learn ships (the version that matches Fisher's
//! 1936 paper), committed with this crate under `data/iris.csv` and compiled
//! into it, so the chapter needs no download. Its first line is a count
//! header, `150,4,setosa,versicolor,virginica`; each further line is
//! `sepal_length,sepal_width,petal_length,petal_width,target` in centimetres,
//! with target 0 (setosa), 1 (versicolor) or 2 (virginica).

use std::fmt;

use ndarray::{Array2, Axis};
use rand::seq::SliceRandom;

use crate::tlu::StepFunction;

/// The data file, exactly as committed under `data/iris.csv`.
pub const CSV: &str = include_str!("../data/iris.csv");

/// The three species of iris in the data, in the order of their targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Species {
    /// *Iris setosa*, target 0.
    Setosa,
    /// *Iris versicolor*, target 1.
    Versicolor,
    /// *Iris virginica*, target 2.
    Virginica,
}

impl Species {
    /// All three, in target order.
    pub const ALL: [Species; 3] = [Species::Setosa, Species::Versicolor, Species::Virginica];

    /// The target number in the file (0, 1 or 2).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The species with target number `i`, if there is one.
    pub fn from_index(i: usize) -> Option<Species> {
        Species::ALL.get(i).copied()
    }

    /// The name, as in the file's header.
    pub fn name(self) -> &'static str {
        ["setosa", "versicolor", "virginica"][self.index()]
    }
}

/// The four measurements of a flower, in the file's column order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feature {
    /// Sepal length in cm (column 0).
    SepalLength,
    /// Sepal width in cm (column 1).
    SepalWidth,
    /// Petal length in cm (column 2).
    PetalLength,
    /// Petal width in cm (column 3).
    PetalWidth,
}

impl Feature {
    /// All four, in column order.
    pub const ALL: [Feature; 4] = [
        Feature::SepalLength,
        Feature::SepalWidth,
        Feature::PetalLength,
        Feature::PetalWidth,
    ];

    /// The column of this feature.
    pub fn index(self) -> usize {
        self as usize
    }

    /// A label for axes and tables, with the unit.
    pub fn name(self) -> &'static str {
        [
            "sepal length (cm)",
            "sepal width (cm)",
            "petal length (cm)",
            "petal width (cm)",
        ][self.index()]
    }
}

/// A line of the file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IrisError {
    /// The line number, counting from 1.
    pub line: usize,
    /// What was wrong with it.
    pub message: String,
}

impl fmt::Display for IrisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "iris.csv line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for IrisError {}

// ANCHOR: iris
/// The flowers: one row of `features` per flower, and its species.
#[derive(Clone, Debug, PartialEq)]
pub struct Iris {
    /// `flowers × 4` measurements in cm, columns in [`Feature`] order.
    pub features: Array2<f32>,
    /// The species of each flower.
    pub species: Vec<Species>,
}
// ANCHOR_END: iris

impl Iris {
    /// The 150 flowers of the committed file.
    pub fn load() -> Iris {
        // The committed file is checked byte for byte by the tests, so this
        // cannot fail at run time.
        Iris::parse(CSV).expect("the committed iris.csv parses")
    }

    /// Reads a file in the format described at the top of this module.
    pub fn parse(text: &str) -> Result<Iris, IrisError> {
        let mut lines = text.lines().enumerate();
        let (_, header) = lines.next().ok_or(IrisError {
            line: 1,
            message: "the file is empty".into(),
        })?;
        let count: usize = header
            .split(',')
            .next()
            .and_then(|n| n.trim().parse().ok())
            .ok_or(IrisError {
                line: 1,
                message: format!("expected a count header, found {header:?}"),
            })?;
        let mut values = Vec::with_capacity(count * 4);
        let mut species = Vec::with_capacity(count);
        for (i, line) in lines.filter(|(_, l)| !l.trim().is_empty()) {
            let error = |message: String| IrisError {
                line: i + 1,
                message,
            };
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            if fields.len() != 5 {
                return Err(error(format!("expected 5 fields, found {}", fields.len())));
            }
            for field in &fields[..4] {
                let v: f32 = field
                    .parse()
                    .map_err(|_| error(format!("{field:?} is not a number")))?;
                values.push(v);
            }
            let target = fields[4]
                .parse()
                .ok()
                .and_then(Species::from_index)
                .ok_or_else(|| error(format!("{:?} is not a target 0, 1 or 2", fields[4])))?;
            species.push(target);
        }
        if species.len() != count {
            return Err(IrisError {
                line: 1,
                message: format!(
                    "the header promises {count} flowers, found {}",
                    species.len()
                ),
            });
        }
        let features = Array2::from_shape_vec((count, 4), values).map_err(|e| IrisError {
            line: 1,
            message: e.to_string(),
        })?;
        Ok(Iris { features, species })
    }

    /// The number of flowers.
    pub fn len(&self) -> usize {
        self.species.len()
    }

    /// True when there are no flowers.
    pub fn is_empty(&self) -> bool {
        self.species.is_empty()
    }

    // ANCHOR: columns
    /// The chosen measurements of every flower, `flowers × features.len()`.
    pub fn columns(&self, features: &[Feature]) -> Array2<f32> {
        let idx: Vec<usize> = features.iter().map(|f| f.index()).collect();
        self.features.select(Axis(1), &idx)
    }

    /// Petal length and petal width, `flowers × 2`: the chapter's favourite view.
    pub fn petals(&self) -> Array2<f32> {
        self.columns(&[Feature::PetalLength, Feature::PetalWidth])
    }

    /// For each flower: is it of this species?
    pub fn is(&self, species: Species) -> Vec<bool> {
        self.species.iter().map(|&s| s == species).collect()
    }
    // ANCHOR_END: columns

    /// "This species or not" as targets for one unit, `flowers × 1`.
    pub fn one_vs_rest_targets(&self, species: Species, step: StepFunction) -> Array2<f32> {
        crate::perceptron::targets_from_labels(&self.is(species), step)
    }

    /// One column per species, the step's "on" value in the flower's own
    /// column and "off" elsewhere, `flowers × 3`: the targets of three
    /// one-vs-rest units trained side by side.
    pub fn one_vs_rest_all(&self, step: StepFunction) -> Array2<f32> {
        let [off, on] = step.outputs();
        Array2::from_shape_fn((self.len(), 3), |(i, j)| {
            if self.species[i].index() == j {
                on
            } else {
                off
            }
        })
    }

    /// The flowers at `indices`, in that order (indices past the end are skipped).
    pub fn select(&self, indices: &[usize]) -> Iris {
        let idx: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&i| i < self.len())
            .collect();
        Iris {
            features: self.features.select(Axis(0), &idx),
            species: idx.iter().map(|&i| self.species[i]).collect(),
        }
    }

    /// Splits into a training set and a test set with `test_per_species`
    /// flowers of each species in the test set, chosen by a seeded shuffle.
    /// If a species has fewer flowers than that, all of them go to the test set.
    pub fn split(&self, test_per_species: usize, seed: u64) -> (Iris, Iris) {
        let mut rng = ch00_toolbox::seeded_rng(seed);
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for s in Species::ALL {
            let mut idx: Vec<usize> = (0..self.len()).filter(|&i| self.species[i] == s).collect();
            idx.shuffle(&mut rng);
            let cut = test_per_species.min(idx.len());
            test.extend_from_slice(&idx[..cut]);
            train.extend_from_slice(&idx[cut..]);
        }
        train.sort_unstable();
        test.sort_unstable();
        (self.select(&train), self.select(&test))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_has_150_flowers_50_of_each_species() {
        let iris = Iris::load();
        assert_eq!(iris.len(), 150);
        assert_eq!(iris.features.shape(), &[150, 4]);
        for s in Species::ALL {
            assert_eq!(
                iris.is(s).iter().filter(|&&b| b).count(),
                50,
                "{}",
                s.name()
            );
        }
        assert_eq!(iris.species[0], Species::Setosa);
        assert_eq!(iris.species[149], Species::Virginica);
    }

    #[test]
    fn the_embedded_file_is_the_documented_one_byte_for_byte() {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(CSV.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449"
        );
        assert_eq!(CSV.len(), 2734);
    }

    #[test]
    fn it_is_the_corrected_version_of_the_data() {
        // Flowers 35 and 38 (counting from 1) differ from the UCI file.
        let iris = Iris::load();
        assert_eq!(iris.features.row(34).to_vec(), vec![4.9, 3.1, 1.5, 0.2]);
        assert_eq!(iris.features.row(37).to_vec(), vec![4.9, 3.6, 1.4, 0.1]);
    }

    #[test]
    fn columns_pick_the_named_measurements() {
        let iris = Iris::load();
        let p = iris.petals();
        assert_eq!(p.shape(), &[150, 2]);
        assert_eq!(p.row(0).to_vec(), vec![1.4, 0.2]);
        assert_eq!(
            iris.columns(&[Feature::SepalWidth]).row(0).to_vec(),
            vec![3.5]
        );
    }

    #[test]
    fn one_vs_rest_targets_mark_the_species() {
        let iris = Iris::load();
        let t = iris.one_vs_rest_targets(Species::Versicolor, StepFunction::Sign);
        assert_eq!(t.sum(), 50.0 - 100.0);
        let all = iris.one_vs_rest_all(StepFunction::Heaviside);
        assert_eq!(all.row(60).to_vec(), vec![0.0, 1.0, 0.0]);
        assert_eq!(all.sum(), 150.0);
    }

    #[test]
    fn the_split_is_stratified_disjoint_and_seeded() {
        let iris = Iris::load();
        let (train, test) = iris.split(10, 7);
        assert_eq!((train.len(), test.len()), (120, 30));
        for s in Species::ALL {
            assert_eq!(test.is(s).iter().filter(|&&b| b).count(), 10);
        }
        assert_eq!(iris.split(10, 7), (train.clone(), test.clone()));
        assert_ne!(iris.split(10, 8).1, test);
    }

    #[test]
    fn broken_files_are_errors_with_a_line_number() {
        let err = Iris::parse("2,4,a,b,c\n1,2,3,4,0\n1,2,x,4,1\n").unwrap_err();
        assert_eq!(err.line, 3);
        let err = Iris::parse("2,4,a,b,c\n1,2,3,4,0\n").unwrap_err();
        assert!(err.message.contains("promises 2"));
        let err = Iris::parse("1,4\n1,2,3,4,7\n").unwrap_err();
        assert!(err.to_string().contains("line 2"));
        assert!(Iris::parse("").is_err());
    }
}
