//! The few districts that chapter 5's story turns on, and the numbers it
//! quotes about them: `cargo run --release -p ch05-regression --example districts`
//! prints them and writes
//!
//! - `book/outputs/ch05-regression/imputation.txt`: the missing bedroom
//!   counts, the two training medians that could fill them, and what the
//!   median count does to the smallest district with a missing count;
//! - `book/outputs/ch05-regression/first-epoch.txt`: the validation districts
//!   whose errors make the validation MSE after epoch 1 so large.

use std::io::Write;

use ch00_toolbox::output::{Compared, Output, outputs_dir};
use ch04_backprop::Mse;
use ch05_regression::housing::district_features;
use ch05_regression::train::{TrainConfig, evaluate, train};
use ch05_regression::{
    BedroomFill, FEATURE_NAMES, HousingData, Imputation, housing, split_indices,
};

/// The seed of the reference split.
const SPLIT_SEED: u32 = 42;
/// The weight seeds of the `seeds` example.
const WEIGHT_SEEDS: [u64; 3] = [42, 7, 8];
/// How many of the worst validation districts after epoch 1 to list.
const WORST: usize = 3;

fn column(name: &str) -> Result<usize, String> {
    FEATURE_NAMES
        .iter()
        .position(|f| *f == name)
        .ok_or_else(|| format!("no feature named {name}"))
}

/// A fill value in words.
fn describe(fill: BedroomFill) -> String {
    match fill {
        BedroomFill::Count(c) => format!("median count {c:.0}"),
        BedroomFill::PerHousehold(r) => format!("median per household {r:.4}"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch05-regression");
    let command = "cargo run --release -p ch05-regression --example districts";
    let districts = housing::load()?;
    let split = split_indices(districts.len(), SPLIT_SEED)?;
    let bedrooms = column("AveBedrms")?;
    let occupancy = column("AveOccup")?;

    // ---- imputation ---------------------------------------------------------
    let mut out = Output::new(
        &dir,
        "imputation",
        command,
        Compared::AsPrinted("4 decimals"),
    );
    let missing: Vec<usize> = (0..districts.len())
        .filter(|&i| districts[i].total_bedrooms.is_none())
        .collect();
    writeln!(
        out,
        "{} of {} districts have no total_bedrooms",
        missing.len(),
        districts.len()
    )?;
    let by_count = HousingData::from_split(&districts, &split, Imputation::MedianCount)?;
    let per_household =
        HousingData::from_split(&districts, &split, Imputation::MedianPerHousehold)?;
    writeln!(
        out,
        "medians over the training districts: {}",
        [&by_count, &per_household]
            .map(|data| describe(data.bedrooms_fill))
            .join(", ")
    )?;
    // The smallest district (fewest households) with a missing count.
    let small = *missing
        .iter()
        .min_by(|&&a, &&b| districts[a].households.total_cmp(&districts[b].households))
        .ok_or("no district misses its bedroom count")?;
    let d = &districts[small];
    let part = if split.train.contains(&small) {
        "training"
    } else if split.valid.contains(&small) {
        "validation"
    } else {
        "test"
    };
    writeln!(
        out,
        "smallest such district: line {} of the file ({part} part), {} households, {} rooms, worth ${:.0}",
        small + 2, // a header line, then lines count from 1
        d.households,
        d.total_rooms,
        d.median_house_value
    )?;
    for data in [&by_count, &per_household] {
        let raw = district_features(d, &data.bedrooms_fill);
        let z =
            (raw[bedrooms] - data.standardiser.mean[bedrooms]) / data.standardiser.std[bedrooms];
        writeln!(
            out,
            "  filled with the {}: AveBedrms {:.2} bedrooms per household, {z:.1} standard deviations from the training mean",
            describe(data.bedrooms_fill),
            raw[bedrooms]
        )?;
    }
    if let Some(row) = split.test.iter().position(|&i| i == small) {
        for (name, data) in [
            ("median count", &by_count),
            ("median per household", &per_household),
        ] {
            let x = data
                .test
                .x
                .row(row)
                .insert_axis(ndarray::Axis(0))
                .to_owned();
            let y = data.test.y[[row, 0]];
            let mut line = format!("  test prediction with the {name}, weight seed");
            for seed in WEIGHT_SEEDS {
                let config = TrainConfig {
                    seed,
                    ..TrainConfig::default()
                };
                let (mlp, _) = train(data, &config, |_| {})?;
                let value = mlp.predict(x.view())?[[0, 0]];
                let share = (value - y).powi(2) / data.test.len() as f32;
                line.push_str(&format!(
                    "{} {seed}: ${:.2} million ({share:.3} of the test MSE)",
                    if seed == WEIGHT_SEEDS[0] { "" } else { "," },
                    value * 100_000.0 / 1e6
                ));
            }
            writeln!(out, "{line}")?;
        }
    }
    println!("wrote {}", out.save()?.display());

    // ---- the first epoch ----------------------------------------------------
    let mut out = Output::new(
        &dir,
        "first-epoch",
        command,
        Compared::AsPrinted("2 to 4 decimals"),
    );
    let data = &per_household;
    let config = TrainConfig {
        epochs: 1,
        ..TrainConfig::default()
    };
    let (mlp, history) = train(data, &config, |_| {})?;
    let valid = history.last().map_or(f32::NAN, |e| e.valid);
    let check = evaluate(&mlp, &data.valid, &Mse)?;
    writeln!(out, "validation MSE after epoch 1: {valid:.4}")?;
    let predicted = mlp.predict(data.valid.x.view())?;
    let n = data.valid.len();
    let mut errors: Vec<(usize, f32)> = (0..n)
        .map(|i| {
            let e = predicted[[i, 0]] - data.valid.y[[i, 0]];
            (i, e * e)
        })
        .collect();
    errors.sort_by(|a, b| b.1.total_cmp(&a.1));
    writeln!(
        out,
        "the {WORST} largest squared errors of the {n} validation districts:"
    )?;
    let mut share = 0.0f32;
    for &(i, e2) in errors.iter().take(WORST) {
        share += e2 / n as f32;
        writeln!(
            out,
            "  AveOccup {:.0} standard deviations above the mean, worth ${:.0}, predicted ${:.1} million: {:.2} of the MSE",
            data.valid.x[[i, occupancy]],
            data.valid.y[[i, 0]] * 100_000.0,
            predicted[[i, 0]] * 100_000.0 / 1e6,
            e2 / n as f32
        )?;
    }
    let rest: f32 = errors.iter().skip(WORST).map(|&(_, e2)| e2).sum::<f32>() / (n - WORST) as f32;
    writeln!(
        out,
        "together {share:.2} of the {check:.2}; the other {} districts alone: {rest:.2}",
        n - WORST
    )?;
    println!("wrote {}", out.save()?.display());
    Ok(())
}
