//! Wide & Deep on California housing, in the three steps of the chapter,
//! beside chapter 9's `Sequential` regressor, all on chapter 5's split.
//!
//! A *Wide & Deep* network (Cheng et al., 2016) sends its inputs down two
//! paths at once: a deep path of stacked layers, which can learn
//! complicated patterns, and a wide path that goes straight to the output,
//! which keeps simple ones (a price that grows with income) from being lost
//! in the deep path.

use ch04_backprop::Activation;
use ch05_regression::HousingData;
use ch05_regression::train::TrainConfig;
use ch08_sequential::{LossKind, Metric, Sgd, regression_model};
use ch09_training::{FitOptions, History, InMemory, TrainError, Training};
use ndarray::{Array2, ArrayView2, Axis, Slice};

use crate::data::MultiData;
use crate::functional::Functional;
use crate::spec::GraphSpec;

/// The features of the wide path in the two-input variants: 0 to 4
/// (longitude, latitude, age, rooms, bedrooms).
pub const WIDE: std::ops::Range<usize> = 0..5;
/// The features of the deep path in the two-input variants: 2 to 7 (age,
/// rooms, bedrooms, population, households, income).
pub const DEEP: std::ops::Range<usize> = 2..8;
/// The weights of the main and auxiliary losses.
pub const LOSS_WEIGHTS: (f32, f32) = (0.9, 0.1);

// ANCHOR: one_input
/// Wide & Deep with one input: every feature goes down the deep path
/// (two Dense(30, ReLU)) and, unchanged, to the concatenation before the
/// output.
pub fn one_input(features: usize) -> GraphSpec {
    let mut g = GraphSpec::new("wide_and_deep_1");
    let input = g.input("input", features);
    let hidden1 = g.dense("hidden1", 30, Activation::Relu, &input);
    let hidden2 = g.dense("hidden2", 30, Activation::Relu, &hidden1);
    let concat = g.concatenate("concat", &[&input, &hidden2]);
    let output = g.dense("output", 1, Activation::Identity, &concat);
    g.output(&output);
    g
}
// ANCHOR_END: one_input

// ANCHOR: two_inputs
/// Wide & Deep with two inputs: features 0–4 take the wide path, features
/// 2–7 the deep path; with `aux`, an auxiliary output reads the deep path
/// alone.
pub fn two_inputs(aux: bool) -> GraphSpec {
    let mut g = GraphSpec::new(if aux {
        "wide_and_deep_3"
    } else {
        "wide_and_deep_2"
    });
    let wide = g.input("wide", WIDE.len());
    let deep = g.input("deep", DEEP.len());
    let hidden1 = g.dense("hidden1", 30, Activation::Relu, &deep);
    let hidden2 = g.dense("hidden2", 30, Activation::Relu, &hidden1);
    let concat = g.concatenate("concat", &[&wide, &hidden2]);
    let output = g.dense("output", 1, Activation::Identity, &concat);
    g.output(&output);
    if aux {
        let aux_output = g.dense("aux_output", 1, Activation::Identity, &hidden2);
        g.output(&aux_output);
    }
    g
}
// ANCHOR_END: two_inputs

/// The columns `cols` of `x`.
pub fn columns(x: ArrayView2<'_, f32>, cols: std::ops::Range<usize>) -> ArrayView2<'_, f32> {
    x.slice_axis_move(Axis(1), Slice::from(cols))
}

/// The four models the chapter compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Chapter 9's `Sequential` Dense(30, ReLU) → Dense(1).
    Sequential,
    /// Wide & Deep, one input.
    OneInput,
    /// Wide & Deep, two inputs.
    TwoInputs,
    /// Wide & Deep, two inputs and an auxiliary output.
    TwoOutputs,
}

impl Variant {
    /// All four, in the order of the page.
    pub const ALL: [Variant; 4] = [
        Variant::Sequential,
        Variant::OneInput,
        Variant::TwoInputs,
        Variant::TwoOutputs,
    ];

    /// The name in the table.
    pub fn label(self) -> &'static str {
        match self {
            Variant::Sequential => "Sequential 8-30-1",
            Variant::OneInput => "Wide & Deep, one input",
            Variant::TwoInputs => "Wide & Deep, two inputs",
            Variant::TwoOutputs => "Wide & Deep, two outputs",
        }
    }
}

/// What one variant measured.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Which model.
    pub variant: Variant,
    /// Its number of parameters.
    pub params: usize,
    /// What `fit` recorded.
    pub history: History,
    /// The test MSE of its main output.
    pub test_mse: f32,
    /// Its predictions (main output) for the test set.
    pub predictions: Array2<f32>,
}

/// The settings of every variant: chapter 5's reference run (SGD with
/// learning rate 1e-3, batches of 32, 20 epochs, seed 42), with `epochs`
/// replaced when given.
pub fn config(epochs: Option<usize>) -> TrainConfig {
    let mut c = TrainConfig::default();
    if let Some(e) = epochs {
        c.epochs = e;
    }
    c
}

// ANCHOR: train_variant
/// Builds, compiles and trains one variant on chapter 5's split, and
/// measures its main output on the test set.
pub fn train_variant(
    variant: Variant,
    data: &HousingData,
    config: &TrainConfig,
) -> Result<Outcome, TrainError> {
    let options = || {
        FitOptions::new()
            .epochs(config.epochs)
            .batch_size(config.batch_size)
            .seed(config.seed + 1)
            .verbose(false)
    };
    let sgd = Sgd::new(config.learning_rate)?;
    let mse = LossKind::MeanSquaredError;
    let (train, valid, test) = (&data.train, &data.valid, &data.test);
    match variant {
        Variant::Sequential => {
            let mut model = regression_model(8, config.hidden, config.seed)?;
            model.compile(mse, sgd, &[Metric::MeanAbsoluteError])?;
            let t = InMemory::new(train.x.view(), train.y.view())?;
            let v = InMemory::new(valid.x.view(), valid.y.view())?;
            let history = model.fit(&t, options().validation_data(&v))?;
            let test_set = InMemory::new(test.x.view(), test.y.view())?;
            let predictions = model.predict_dataset(&test_set)?;
            let test_mse = model.evaluate(&test_set)?.loss;
            let params = model.parameter_count();
            Ok(Outcome {
                variant,
                params,
                history,
                test_mse,
                predictions,
            })
        }
        Variant::OneInput => {
            let mut model = Functional::build(one_input(8), config.seed)?;
            model.compile(&[(mse, 1.0)], sgd, &[Metric::MeanAbsoluteError])?;
            let t = InMemory::new(train.x.view(), train.y.view())?;
            let v = InMemory::new(valid.x.view(), valid.y.view())?;
            let history = model.fit(&t, options().validation_data(&v))?;
            let test_set = InMemory::new(test.x.view(), test.y.view())?;
            finish(variant, &model, history, &test_set)
        }
        Variant::TwoInputs | Variant::TwoOutputs => {
            let aux = variant == Variant::TwoOutputs;
            let mut model = Functional::build(two_inputs(aux), config.seed)?;
            let (w_main, w_aux) = LOSS_WEIGHTS;
            let losses: &[(LossKind, f32)] = if aux {
                &[(mse, w_main), (mse, w_aux)]
            } else {
                &[(mse, 1.0)]
            };
            model.compile(losses, sgd, &[Metric::MeanAbsoluteError])?;
            let t = split_data(train.x.view(), train.y.view(), aux)?;
            let v = split_data(valid.x.view(), valid.y.view(), aux)?;
            let history = model.fit(&t, options().validation_data(&v))?;
            let test_set = split_data(test.x.view(), test.y.view(), aux)?;
            finish(variant, &model, history, &test_set)
        }
    }
}
// ANCHOR_END: train_variant

// ANCHOR: split_data
/// Housing features as the two inputs `wide` (features 0–4) and `deep`
/// (2–7), with the house value as the target of `output` and, with `aux`,
/// of `aux_output` too.
pub fn split_data<'a>(
    x: ArrayView2<'a, f32>,
    y: ArrayView2<'a, f32>,
    aux: bool,
) -> Result<MultiData<'a>, TrainError> {
    let inputs = [("wide", columns(x, WIDE)), ("deep", columns(x, DEEP))];
    if aux {
        MultiData::new(&inputs, &[("output", y), ("aux_output", y)])
    } else {
        MultiData::new(&inputs, &[("output", y)])
    }
}
// ANCHOR_END: split_data

/// Measures a trained graph model on the test set: the MSE and the
/// predictions of its main output (the first column).
fn finish(
    variant: Variant,
    model: &Functional,
    history: History,
    test_set: &dyn ch09_training::Dataset,
) -> Result<Outcome, TrainError> {
    let eval = model.evaluate(test_set)?;
    let test_mse = eval.outputs.first().map_or(eval.loss, |o| o.1);
    let predictions = model
        .predict_dataset(test_set)?
        .slice_axis_move(Axis(1), Slice::from(0..1))
        .to_owned();
    Ok(Outcome {
        variant,
        params: model.parameter_count(),
        history,
        test_mse,
        predictions,
    })
}

/// Trains the four models of the chapter on `data`, in the order of
/// [`Variant::ALL`].
pub fn compare(data: &HousingData, config: &TrainConfig) -> Result<Vec<Outcome>, TrainError> {
    Variant::ALL
        .iter()
        .map(|&v| train_variant(v, data, config))
        .collect()
}

// ANCHOR: report
/// The comparison table: parameters, last validation MSE and test MSE of
/// each model, then the per-output losses of the two-output model.
pub fn report(outcomes: &[Outcome], out: &mut impl std::io::Write) -> std::io::Result<()> {
    writeln!(out, "| model | parameters | valid MSE | test MSE |")?;
    writeln!(out, "| --- | ---: | ---: | ---: |")?;
    for o in outcomes {
        let last = o.history.last();
        // The two-output model's val_loss is the weighted total: show the
        // main output's own.
        let valid = last.and_then(|r| r.outputs.first().map_or(r.val_loss, |m| m.val_loss));
        writeln!(
            out,
            "| {} | {} | {:.4} | {:.4} |",
            o.variant.label(),
            o.params,
            valid.unwrap_or(f32::NAN),
            o.test_mse
        )?;
    }
    if let Some(last) = outcomes
        .iter()
        .find(|o| o.variant == Variant::TwoOutputs)
        .and_then(|o| o.history.last())
    {
        writeln!(
            out,
            "\ntwo outputs, last epoch (loss = 0.9 main + 0.1 aux):"
        )?;
        writeln!(
            out,
            "  loss {:.4}, val_loss {:.4}",
            last.loss,
            last.val_loss.unwrap_or(f32::NAN)
        )?;
        for o in &last.outputs {
            writeln!(
                out,
                "  {}: loss {:.4}, val_loss {:.4}",
                o.name,
                o.loss,
                o.val_loss.unwrap_or(f32::NAN)
            )?;
        }
    }
    Ok(())
}
// ANCHOR_END: report

/// The model with the lowest test MSE.
pub fn best(outcomes: &[Outcome]) -> Option<&Outcome> {
    outcomes
        .iter()
        .min_by(|a, b| a.test_mse.total_cmp(&b.test_mse))
}

// ANCHOR: train_subclassed
/// Trains [`WideAndDeep`](crate::WideAndDeep), the two-output model written
/// as a Rust type, exactly as [`train_variant`] trains
/// [`Variant::TwoOutputs`]: same seed (hence the same initial weights),
/// same data, same `fit`.
pub fn train_subclassed(data: &HousingData, config: &TrainConfig) -> Result<Outcome, TrainError> {
    let mut model = crate::WideAndDeep::new(
        WIDE.len(),
        DEEP.len(),
        30, // as in `two_inputs`
        config.seed,
        Sgd::new(config.learning_rate)?,
        LOSS_WEIGHTS,
    )?;
    let (train, valid, test) = (&data.train, &data.valid, &data.test);
    let options = FitOptions::new()
        .epochs(config.epochs)
        .batch_size(config.batch_size)
        .seed(config.seed + 1)
        .verbose(false);
    let t = split_data(train.x.view(), train.y.view(), true)?;
    let v = split_data(valid.x.view(), valid.y.view(), true)?;
    let history = model.fit(&t, options.validation_data(&v))?;
    let test_set = split_data(test.x.view(), test.y.view(), true)?;
    let eval = model.evaluate(&test_set)?;
    let test_mse = eval.outputs.first().map_or(eval.loss, |o| o.1);
    let predictions = model
        .predict_dataset(&test_set)?
        .slice_axis_move(Axis(1), Slice::from(0..1))
        .to_owned();
    Ok(Outcome {
        variant: Variant::TwoOutputs,
        params: model.parameter_count(),
        history,
        test_mse,
        predictions,
    })
}
// ANCHOR_END: train_subclassed
