//! `cargo run -p ch08-sequential --example summary`: builds the reference
//! model, prints its summary, checks its initial weights against the Glorot
//! formula, and shows what the untrained model predicts.

use ch00_toolbox::seeded_rng;
use ch08_sequential::{LossKind, Metric, NetError, Sgd, reference_model};
use ndarray::Array3;
use rand::Rng;

fn main() -> Result<(), NetError> {
    // ANCHOR: example
    let mut model = reference_model(42)?;
    println!("{}", model.summary());
    model.compile(
        LossKind::SparseCategoricalCrossEntropy,
        Sgd::new(0.01)?,
        &[Metric::Accuracy],
    )?;

    println!("\nparameter        shape        limit r    std (r/√3)  measured std");
    for (name, w) in model.parameters() {
        let n = w.len() as f32;
        let mean = w.sum() / n;
        let std = (w.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / n).sqrt();
        if let [n_in, n_out] = w.shape() {
            let r = (6.0 / (n_in + n_out) as f32).sqrt();
            println!(
                "{name:16} {:12} {r:.4}     {:.4}      {std:.4}",
                format!("{:?}", w.shape()),
                r / 3f32.sqrt()
            );
        } else {
            println!(
                "{name:16} {:12} zeros: {}",
                format!("{:?}", w.shape()),
                w.iter().all(|&b| b == 0.0)
            );
        }
    }

    // Two "images": all black, and random noise.
    let mut rng = seeded_rng(1);
    let mut images = Array3::<f32>::zeros((2, 28, 28));
    images
        .index_axis_mut(ndarray::Axis(0), 1)
        .mapv_inplace(|_| rng.random());
    let p = model.predict(images.view())?;
    for (i, row) in p.rows().into_iter().enumerate() {
        let rounded: Vec<String> = row.iter().map(|v| format!("{v:.3}")).collect();
        println!("untrained model, image {i}: [{}]", rounded.join(", "));
    }
    // ANCHOR_END: example
    Ok(())
}
