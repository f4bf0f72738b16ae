//! Truth tables, and the trait shared by everything that computes a Boolean
//! function: a single unit, a network with one output, a table.

use crate::error::NeuronError;

/// The largest number of inputs a [`TruthTable`] accepts (2¹⁶ rows).
pub const MAX_TABLE_INPUTS: usize = 16;

/// Anything that maps a fixed number of binary inputs to one binary output.
pub trait LogicFunction {
    /// How many inputs the function takes.
    fn n_inputs(&self) -> usize;
    /// The output for one row of inputs; an error if the row has the wrong
    /// length (or, for a network, if it does not have exactly one output).
    fn eval(&self, inputs: &[bool]) -> Result<bool, NeuronError>;
}

// ANCHOR: truth_table
/// The complete behaviour of a Boolean function: one output per row.
///
/// Row `r` holds the inputs spelled by `r` in binary, first input as the
/// most significant bit: with two inputs the rows are 00, 01, 10, 11.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TruthTable {
    n_inputs: usize,
    outputs: Vec<bool>,
}
// ANCHOR_END: truth_table

fn rows_for(n_inputs: usize) -> Result<usize, NeuronError> {
    if n_inputs > MAX_TABLE_INPUTS {
        return Err(NeuronError::TooManyInputs {
            n_inputs,
            max: MAX_TABLE_INPUTS,
        });
    }
    Ok(1 << n_inputs)
}

/// The `n_inputs` low bits of `row`, most significant first: input i reads
/// bit n_inputs − 1 − i. Only called with `n_inputs` ≤ [`MAX_TABLE_INPUTS`],
/// so every shift is in range.
fn bits(n_inputs: usize, row: usize) -> Vec<bool> {
    (0..n_inputs)
        .map(|i| (row >> (n_inputs - 1 - i)) & 1 == 1)
        .collect()
}

impl TruthTable {
    /// A table from its outputs, which must number `2^n_inputs`.
    pub fn new(n_inputs: usize, outputs: Vec<bool>) -> Result<Self, NeuronError> {
        let expected = rows_for(n_inputs)?;
        if outputs.len() != expected {
            return Err(NeuronError::TruthTableLength {
                n_inputs,
                expected,
                found: outputs.len(),
            });
        }
        Ok(Self { n_inputs, outputs })
    }

    /// The table of a Rust closure over `n_inputs` inputs.
    pub fn from_fn(n_inputs: usize, f: impl Fn(&[bool]) -> bool) -> Result<Self, NeuronError> {
        let rows = rows_for(n_inputs)?;
        let outputs = (0..rows).map(|r| f(&bits(n_inputs, r))).collect();
        Ok(Self { n_inputs, outputs })
    }

    /// The table of any [`LogicFunction`], found by trying every row.
    pub fn of(function: &(impl LogicFunction + ?Sized)) -> Result<Self, NeuronError> {
        let n = function.n_inputs();
        let rows = rows_for(n)?;
        let outputs = (0..rows)
            .map(|r| function.eval(&bits(n, r)))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            n_inputs: n,
            outputs,
        })
    }

    /// The inputs of row `row` in a table over `n_inputs` inputs. An error if
    /// `n_inputs` is more than [`MAX_TABLE_INPUTS`] or the table has no row
    /// `row` (it has `2^n_inputs`).
    pub fn row_inputs(n_inputs: usize, row: usize) -> Result<Vec<bool>, NeuronError> {
        let rows = rows_for(n_inputs)?;
        if row >= rows {
            return Err(NeuronError::RowOutOfRange { row, rows });
        }
        Ok(bits(n_inputs, row))
    }

    /// The outputs, one per row.
    pub fn outputs(&self) -> &[bool] {
        &self.outputs
    }

    /// Every row as `(inputs, output)`.
    pub fn rows(&self) -> impl Iterator<Item = (Vec<bool>, bool)> + '_ {
        self.outputs
            .iter()
            .enumerate()
            .map(|(r, &y)| (bits(self.n_inputs, r), y))
    }
}

impl LogicFunction for TruthTable {
    fn n_inputs(&self) -> usize {
        self.n_inputs
    }

    fn eval(&self, inputs: &[bool]) -> Result<bool, NeuronError> {
        if inputs.len() != self.n_inputs {
            return Err(NeuronError::InputLength {
                what: "this truth table".into(),
                expected: self.n_inputs,
                found: inputs.len(),
            });
        }
        let row = inputs.iter().fold(0, |r, &b| (r << 1) | usize::from(b));
        Ok(self.outputs[row])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_count_up_in_binary_with_the_first_input_most_significant() {
        let rows: Vec<_> = (0..4)
            .map(|r| TruthTable::row_inputs(2, r).unwrap())
            .collect();
        assert_eq!(
            rows,
            vec![
                vec![false, false],
                vec![false, true],
                vec![true, false],
                vec![true, true]
            ]
        );
    }

    #[test]
    fn eval_reads_back_the_row_it_was_built_from() {
        let t = TruthTable::from_fn(3, |x| x[0] && !x[2]).unwrap();
        for (x, y) in t.rows() {
            assert_eq!(t.eval(&x).unwrap(), y);
            assert_eq!(y, x[0] && !x[2]);
        }
    }

    #[test]
    fn a_table_of_the_wrong_length_is_refused() {
        assert_eq!(
            TruthTable::new(2, vec![true; 3]),
            Err(NeuronError::TruthTableLength {
                n_inputs: 2,
                expected: 4,
                found: 3
            })
        );
        assert!(matches!(
            TruthTable::from_fn(40, |_| true),
            Err(NeuronError::TooManyInputs { n_inputs: 40, .. })
        ));
    }
}
