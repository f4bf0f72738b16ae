//! `summary()` of a graph model: layers, output widths, parameter counts,
//! and what each layer is connected to, as Keras prints a functional model.

use std::fmt;

use ch08_sequential::summary::{shape_text, thousands};

use crate::functional::{Functional, Op};
use crate::spec::LayerKind;

/// One row: an input or a layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphRow {
    /// Its name.
    pub name: String,
    /// Its type: `InputLayer`, `Dense`, `Concatenate`, `Add`.
    pub kind: &'static str,
    /// Values per sample of its output.
    pub width: usize,
    /// How many numbers it learns.
    pub params: usize,
    /// The names of the tensors it reads.
    pub connected_to: Vec<String>,
}

/// The table [`Functional::summary`] returns; print it with `{}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphSummary {
    /// The model's name.
    pub model: String,
    /// One row per node, inputs first, then the layers in topological order.
    pub rows: Vec<GraphRow>,
    /// The output names, main first.
    pub outputs: Vec<String>,
}

impl GraphSummary {
    /// The number of parameters of the whole model.
    pub fn total_params(&self) -> usize {
        self.rows.iter().map(|r| r.params).sum()
    }
}

impl Functional {
    // ANCHOR: summary
    /// The table of nodes, their output shapes, parameter counts and
    /// connections.
    pub fn summary(&self) -> GraphSummary {
        let rows = self
            .nodes()
            .iter()
            .map(|node| {
                let (kind, params) = match node.op {
                    Op::Input { .. } => ("InputLayer", 0),
                    Op::Dense { layer } => ("Dense", self.layers()[layer].parameter_count()),
                    Op::Concatenate => ("Concatenate", 0),
                    Op::Add => ("Add", 0),
                };
                GraphRow {
                    name: node.name.clone(),
                    kind,
                    width: node.width,
                    params,
                    connected_to: node
                        .inputs
                        .iter()
                        .map(|&i| self.nodes()[i].name.clone())
                        .collect(),
                }
            })
            .collect();
        GraphSummary {
            model: self.name().to_string(),
            rows,
            outputs: self.spec().outputs.clone(),
        }
    }
    // ANCHOR_END: summary
}

/// A short description of a layer kind for the diagram: `Dense(30, relu)`.
pub fn describe_kind(kind: &LayerKind) -> String {
    match kind {
        LayerKind::Dense { units, activation } => format!("Dense({units}, {activation})"),
        LayerKind::Concatenate => "Concatenate".into(),
        LayerKind::Add => "Add".into(),
    }
}

impl fmt::Display for GraphSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = ["Layer (type)", "Output shape", "Param #", "Connected to"];
        let cells: Vec<[String; 4]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    format!("{} ({})", r.name, r.kind),
                    shape_text(&[r.width]),
                    thousands(r.params),
                    if r.connected_to.is_empty() {
                        "-".to_string()
                    } else {
                        r.connected_to.join(", ")
                    },
                ]
            })
            .collect();
        let mut widths = header.map(|h| h.chars().count());
        for row in &cells {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        let total: usize = widths.iter().sum::<usize>() + 3 * 3;
        let line = |f: &mut fmt::Formatter<'_>, row: &[String; 4]| {
            let text = format!(
                "{:<a$} │ {:<b$} │ {:>c$} │ {}",
                row[0],
                row[1],
                row[2],
                row[3],
                a = widths[0],
                b = widths[1],
                c = widths[2],
            );
            writeln!(f, "{}", text.trim_end())
        };
        writeln!(f, "Model: \"{}\"", self.model)?;
        writeln!(f, "{}", "━".repeat(total))?;
        line(f, &header.map(String::from))?;
        writeln!(f, "{}", "━".repeat(total))?;
        for row in &cells {
            line(f, row)?;
        }
        writeln!(f, "{}", "━".repeat(total))?;
        writeln!(f, " Outputs: {}", self.outputs.join(", "))?;
        writeln!(f, " Total params: {}", thousands(self.total_params()))
    }
}

#[cfg(test)]
mod tests {
    use crate::Functional;
    use crate::wide_deep::two_inputs;

    #[test]
    fn the_summary_lists_shapes_params_and_connections() {
        let model = Functional::build(two_inputs(true), 42).unwrap();
        let s = model.summary();
        // hidden1: 6·30 + 30; hidden2: 30·30 + 30; output: 35 + 1; aux: 31.
        assert_eq!(s.total_params(), 210 + 930 + 36 + 31);
        assert_eq!(s.total_params(), model.parameter_count());
        let concat = s.rows.iter().find(|r| r.name == "concat").unwrap();
        assert_eq!(concat.connected_to, ["wide", "hidden2"]);
        assert_eq!(concat.width, 35);
        let text = s.to_string();
        assert!(text.contains("concat (Concatenate)"), "{text}");
        assert!(text.contains("(None, 35)"), "{text}");
        assert!(text.contains("Total params: 1,207"), "{text}");
    }
}
