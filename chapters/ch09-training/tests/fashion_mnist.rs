//! One epoch on the real Fashion-MNIST, through `FASHION_MNIST_DIR` (CI sets
//! it). Skipped, with a notice, when the variable is not set.

use std::path::PathBuf;

use ch07_fashion_mnist::{FashionMnist, Splits};
use ch09_training::run::compiled_reference_model;
use ch09_training::{FitOptions, Training};

#[test]
fn one_epoch_reaches_80_percent_validation_accuracy() {
    let Some(dir) = std::env::var_os("FASHION_MNIST_DIR").map(PathBuf::from) else {
        eprintln!(
            "skipped: FASHION_MNIST_DIR is not set, so the real Fashion-MNIST is not available"
        );
        return;
    };
    let Splits { train, valid, test } = FashionMnist::load_from(&dir)
        .expect("the data in FASHION_MNIST_DIR")
        .into_splits();
    let mut model = compiled_reference_model(42).unwrap();
    let history = model
        .fit(
            &train,
            FitOptions::new()
                .epochs(1)
                .seed(43)
                .validation_data(&valid)
                .verbose(false),
        )
        .unwrap();
    let epoch = &history.epochs[0];
    eprintln!("after one epoch: {epoch:?}");
    let val_accuracy = epoch.val_accuracy.unwrap();
    assert!(
        val_accuracy >= 0.80,
        "val accuracy after one epoch: {val_accuracy}"
    );
    assert!(
        epoch.loss < 1.0 && epoch.val_loss.unwrap() < 0.7,
        "{epoch:?}"
    );
    let test_accuracy = model.evaluate(&test).unwrap().accuracy.unwrap();
    assert!(
        test_accuracy >= 0.75,
        "test accuracy after one epoch: {test_accuracy}"
    );
}
