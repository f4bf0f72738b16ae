//! `summary()`: the model as a table of layers, output shapes and parameter
//! counts.

use std::fmt;

/// One row of the summary: one layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow {
    /// The layer's name in the model (`dense_1`).
    pub name: String,
    /// The layer's type (`Dense`).
    pub kind: &'static str,
    /// The shape of one output sample (`[300]`); the batch size is not part
    /// of it, and Keras prints it as `None`.
    pub output_shape: Vec<usize>,
    /// How many numbers the layer learns.
    pub params: usize,
}

/// The table [`Sequential::summary`](crate::Sequential::summary) returns;
/// print it with `{}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The model's name.
    pub model: String,
    /// One row per layer, from input to output.
    pub rows: Vec<SummaryRow>,
}

impl Summary {
    /// The number of parameters of the whole model.
    pub fn total_params(&self) -> usize {
        self.rows.iter().map(|r| r.params).sum()
    }

    /// The number of parameters training changes: all of them here (no layer
    /// of this book freezes its weights).
    pub fn trainable_params(&self) -> usize {
        self.total_params()
    }
}

/// `266610` → `"266,610"`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `[300]` → `"(None, 300)"`: the batch dimension first, of any size.
pub fn shape_text(shape: &[usize]) -> String {
    let mut parts = vec!["None".to_string()];
    parts.extend(shape.iter().map(usize::to_string));
    format!("({})", parts.join(", "))
}

/// The memory `n` f32 numbers take, in the unit that suits it.
fn bytes_text(n: usize) -> String {
    let bytes = 4.0 * n as f64;
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.2} MiB", bytes / (1024.0 * 1024.0))
    } else if bytes >= 1024.0 {
        format!("{:.2} KiB", bytes / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

// ANCHOR: display
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = ["Layer (type)", "Output shape", "Param #"];
        let cells: Vec<[String; 3]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    format!("{} ({})", r.name, r.kind),
                    shape_text(&r.output_shape),
                    thousands(r.params),
                ]
            })
            .collect();
        // Each column is as wide as its widest cell.
        let width = |c: usize| {
            cells
                .iter()
                .map(|row| row[c].chars().count())
                .chain([header[c].len()])
                .max()
        };
        let w = [
            width(0).unwrap_or(0),
            width(1).unwrap_or(0),
            width(2).unwrap_or(0),
        ];
        let rule = |l: &str, m: &str, r: &str| {
            format!(
                "{l}{}{m}{}{m}{}{r}",
                "─".repeat(w[0] + 2),
                "─".repeat(w[1] + 2),
                "─".repeat(w[2] + 2)
            )
        };
        writeln!(f, "Model: \"{}\"", self.model)?;
        writeln!(f, "{}", rule("┌", "┬", "┐"))?;
        writeln!(
            f,
            "│ {:<a$} │ {:<b$} │ {:>c$} │",
            header[0],
            header[1],
            header[2],
            a = w[0],
            b = w[1],
            c = w[2]
        )?;
        writeln!(f, "{}", rule("├", "┼", "┤"))?;
        for [name, shape, params] in &cells {
            writeln!(
                f,
                "│ {name:<a$} │ {shape:<b$} │ {params:>c$} │",
                a = w[0],
                b = w[1],
                c = w[2]
            )?;
        }
        writeln!(f, "{}", rule("└", "┴", "┘"))?;
        let (total, trainable) = (self.total_params(), self.trainable_params());
        writeln!(
            f,
            " Total params: {} ({})",
            thousands(total),
            bytes_text(total)
        )?;
        writeln!(
            f,
            " Trainable params: {} ({})",
            thousands(trainable),
            bytes_text(trainable)
        )?;
        write!(
            f,
            " Non-trainable params: {} ({})",
            thousands(total - trainable),
            bytes_text(total - trainable)
        )
    }
}
// ANCHOR_END: display

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1010), "1,010");
        assert_eq!(thousands(266_610), "266,610");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn shapes_print_with_a_batch_dimension() {
        assert_eq!(shape_text(&[784]), "(None, 784)");
        assert_eq!(shape_text(&[28, 28]), "(None, 28, 28)");
    }

    #[test]
    fn memory_units() {
        assert_eq!(bytes_text(0), "0 B");
        assert_eq!(bytes_text(1010), "3.95 KiB");
        assert_eq!(bytes_text(266_610), "1.02 MiB");
    }
}
