//! Wide & Deep on the real California housing file (the folder
//! `HOUSING_DIR` names, else the cache `data/housing`; without either,
//! `cargo test` lists the test as ignored, with the reason).

use ch00_toolbox::download::Source;
use ch00_toolbox::real_data::HOUSING;
use ch05_regression::HousingData;
use ch05_regression::housing::{self, HOUSING_CSV, HOUSING_DIR};
use ch10_functional::wide_deep::{Variant, compare, config, train_subclassed, train_variant};

fn housing_data() -> HousingData {
    let dir = HOUSING.dir().unwrap_or_else(|e| panic!("{e}"));
    let source = Source::Provided {
        variable: HOUSING_DIR.into(),
        dir,
    };
    let path = HOUSING_CSV.fetch(&source).unwrap();
    let districts = housing::load_from(&path).unwrap();
    HousingData::prepare(&districts, 42).unwrap()
}

#[test]
#[cfg_attr(
    no_housing,
    ignore = "housing.csv not found: set HOUSING_DIR, or fill data/housing with `cargo run --release -p ch05-regression`"
)]
fn the_subclassed_model_reaches_the_graph_models_test_mse_on_housing() {
    let data = housing_data();
    let config = config(Some(2));
    let graph = train_variant(Variant::TwoOutputs, &data, &config).unwrap();
    let custom = train_subclassed(&data, &config).unwrap();
    eprintln!("graph {} / struct {}", graph.test_mse, custom.test_mse);
    assert_eq!(graph.test_mse, custom.test_mse);
    assert_eq!(graph.predictions, custom.predictions);
    assert_eq!(graph.params, custom.params);
}

#[test]
#[cfg_attr(
    no_housing,
    ignore = "housing.csv not found: set HOUSING_DIR, or fill data/housing with `cargo run --release -p ch05-regression`"
)]
fn every_variant_learns_house_values_on_chapter_5s_split() {
    let data = housing_data();
    let outcomes = compare(&data, &config(None)).unwrap();
    let variance = {
        let y = &data.test.y;
        let mean = y.mean().unwrap();
        y.mapv(|v| (v - mean).powi(2)).mean().unwrap()
    };
    for o in &outcomes {
        eprintln!("{}: test mse {:.4}", o.variant.label(), o.test_mse);
        // Far better than always predicting the mean (MSE = the variance,
        // about 1.3), and in the range of chapter 5's model.
        assert!(o.test_mse < 0.5, "{:?}: {}", o.variant, o.test_mse);
        assert!(o.test_mse < 0.4 * variance, "{:?}", o.variant);
        let first = &o.history.epochs[0];
        let last = o.history.last().unwrap();
        assert!(last.val_loss < first.val_loss, "{:?}", o.variant);
        assert_eq!(o.predictions.dim(), (data.test.len(), 1));
        // The reported test MSE is that of the predictions.
        let mse = (&o.predictions - &data.test.y)
            .mapv(|e| e * e)
            .mean()
            .unwrap();
        assert!((mse - o.test_mse).abs() < 1e-4, "{mse} vs {}", o.test_mse);
    }
    // The two-output model reports both outputs, and its total is their
    // weighted sum.
    let two = outcomes
        .iter()
        .find(|o| o.variant == Variant::TwoOutputs)
        .unwrap();
    let last = two.history.last().unwrap();
    assert_eq!(last.outputs.len(), 2);
    let weighted =
        0.9 * last.outputs[0].val_loss.unwrap() + 0.1 * last.outputs[1].val_loss.unwrap();
    assert!((weighted - last.val_loss.unwrap()).abs() < 1e-4);
}
