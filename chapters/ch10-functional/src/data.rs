//! `MultiData`: a data set of several named inputs and several named
//! targets, for `fit`, `evaluate` and `predict_dataset`.
//!
//! Chapter 9's loop hands a model one matrix of samples and one block of
//! targets per batch. A model of several inputs gets its inputs side by side
//! in that matrix (`wide | deep`), and targets side by side in the order of
//! its outputs (`main | aux`); the data set says which columns belong to
//! which name ([`Dataset::input_layout`], [`Dataset::target_layout`]), and the
//! model checks those names against its own before any step.

use ch04_backprop::NetError;
use ch08_sequential::TargetKind;
use ch08_sequential::targets::check_finite;
use ch09_training::{BatchTargets, Dataset, TrainError};
use ndarray::{Array2, ArrayView2, Axis, Slice};

// ANCHOR: multi_data
/// Several named inputs and several named real-valued targets, one row per
/// sample in each, borrowed.
#[derive(Clone, Debug)]
pub struct MultiData<'a> {
    inputs: Vec<(String, ArrayView2<'a, f32>)>,
    targets: Vec<(String, ArrayView2<'a, f32>)>,
    rows: usize,
}

impl<'a> MultiData<'a> {
    /// Pairs named inputs with named targets (`targets` may be empty, for
    /// prediction). All must have the same number of rows, at least one
    /// column, finite values and distinct names.
    pub fn new(
        inputs: &[(&str, ArrayView2<'a, f32>)],
        targets: &[(&str, ArrayView2<'a, f32>)],
    ) -> Result<MultiData<'a>, TrainError> {
        let first = inputs.first().ok_or_else(|| {
            TrainError::InvalidOption("a data set needs at least one input".into())
        })?;
        let rows = first.1.nrows();
        let mut names = std::collections::HashSet::new();
        for (kind, list) in [("input", inputs), ("target", targets)] {
            for (name, a) in list {
                if !names.insert(*name) {
                    return Err(TrainError::InvalidOption(format!(
                        "the name '{name}' is given twice"
                    )));
                }
                if a.nrows() != rows {
                    return Err(NetError::shape(
                        format!("rows of the {kind} '{name}'"),
                        &[rows],
                        &[a.nrows()],
                    )
                    .into());
                }
                if a.ncols() == 0 {
                    return Err(TrainError::InvalidOption(format!(
                        "the {kind} '{name}' has no columns"
                    )));
                }
                check_finite(&format!("{kind} '{name}'"), a)?;
            }
        }
        let own = |list: &[(&str, ArrayView2<'a, f32>)]| {
            list.iter().map(|(n, a)| (n.to_string(), *a)).collect()
        };
        Ok(MultiData {
            inputs: own(inputs),
            targets: own(targets),
            rows,
        })
    }
}
// ANCHOR_END: multi_data

/// The names and widths of a list of named arrays.
fn layout(list: &[(String, ArrayView2<'_, f32>)]) -> Vec<(String, usize)> {
    list.iter().map(|(n, a)| (n.clone(), a.ncols())).collect()
}

/// Copies the rows `indices` of each array of `list`, side by side, into
/// `out`.
fn gather_side_by_side(
    list: &[(String, ArrayView2<'_, f32>)],
    indices: &[usize],
    out: &mut Array2<f32>,
) {
    let mut start = 0;
    for (_, a) in list {
        let mut block = out.slice_axis_mut(Axis(1), Slice::from(start..start + a.ncols()));
        for (mut row, &i) in block.rows_mut().into_iter().zip(indices) {
            row.assign(&a.row(i));
        }
        start += a.ncols();
    }
}

impl Dataset for MultiData<'_> {
    fn len(&self) -> usize {
        self.rows
    }

    fn sample_width(&self) -> usize {
        self.inputs.iter().map(|(_, a)| a.ncols()).sum()
    }

    fn target_kind(&self) -> TargetKind {
        TargetKind::Values
    }

    fn target_width(&self) -> usize {
        self.targets.iter().map(|(_, a)| a.ncols()).sum()
    }

    fn input_layout(&self) -> Option<Vec<(String, usize)>> {
        Some(layout(&self.inputs))
    }

    fn target_layout(&self) -> Option<Vec<(String, usize)>> {
        Some(layout(&self.targets))
    }

    fn gather(
        &self,
        indices: &[usize],
        x: &mut Array2<f32>,
        targets: &mut BatchTargets,
    ) -> Result<(), TrainError> {
        if x.dim() != (indices.len(), self.sample_width()) {
            return Err(NetError::shape(
                "batch buffer",
                &[indices.len(), self.sample_width()],
                x.shape(),
            )
            .into());
        }
        if let Some(&i) = indices.iter().find(|&&i| i >= self.rows) {
            return Err(TrainError::InvalidOption(format!(
                "sample index {i} is out of range for a data set of {} samples",
                self.rows
            )));
        }
        gather_side_by_side(&self.inputs, indices, x);
        let y = targets.values_mut(indices.len(), self.target_width());
        gather_side_by_side(&self.targets, indices, y);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch09_training::Batch;
    use ndarray::array;

    #[test]
    fn inputs_and_targets_lie_side_by_side_in_a_batch() {
        let wide = array![[1.0f32, 2.0], [3.0, 4.0], [5.0, 6.0]];
        let deep = array![[10.0f32], [20.0], [30.0]];
        let y = array![[0.5f32], [0.6], [0.7]];
        let data = MultiData::new(
            &[("wide", wide.view()), ("deep", deep.view())],
            &[("main", y.view()), ("aux", y.view())],
        )
        .unwrap();
        assert_eq!(
            (data.len(), data.sample_width(), data.target_width()),
            (3, 3, 2)
        );
        assert_eq!(
            data.input_layout().unwrap(),
            vec![("wide".to_string(), 2), ("deep".to_string(), 1)]
        );
        let mut batch = Batch::new(3);
        batch.fill(&data, &[2, 0]).unwrap();
        assert_eq!(batch.x, array![[5.0f32, 6.0, 30.0], [1.0, 2.0, 10.0]]);
        assert_eq!(
            batch.targets,
            BatchTargets::Values(array![[0.7f32, 0.7], [0.5, 0.5]])
        );
        assert!(batch.fill(&data, &[3]).is_err());
    }

    #[test]
    fn mismatched_rows_repeated_names_and_nans_are_refused() {
        let a = array![[1.0f32], [2.0]];
        let b = array![[1.0f32]];
        let err = MultiData::new(&[("a", a.view()), ("b", b.view())], &[]).unwrap_err();
        assert!(err.to_string().contains("input 'b'"), "{err}");
        let err = MultiData::new(&[("a", a.view())], &[("a", a.view())]).unwrap_err();
        assert!(err.to_string().contains("'a' is given twice"), "{err}");
        let nan = array![[1.0f32], [f32::NAN]];
        let err = MultiData::new(&[("a", a.view())], &[("y", nan.view())]).unwrap_err();
        assert!(err.to_string().contains("row 1"), "{err}");
        assert!(MultiData::new(&[], &[]).is_err());
    }
}
