//! One epoch on the real Fashion-MNIST: the folder `FASHION_MNIST_DIR` names
//! (CI sets it), else the cache `data/fashion-mnist`. Without either,
//! `cargo test` lists the test as ignored, with the reason; under CI it
//! fails instead.

use ch00_toolbox::real_data::FASHION_MNIST;
use ch07_fashion_mnist::{FashionMnist, Splits};
use ch09_training::run::compiled_reference_model;
use ch09_training::{FitOptions, Training};

#[test]
#[cfg_attr(
    no_fashion_mnist,
    ignore = "Fashion-MNIST not found: set FASHION_MNIST_DIR, or fill data/fashion-mnist with `cargo run --release -p ch07-fashion-mnist`"
)]
fn one_epoch_reaches_80_percent_validation_accuracy() {
    let dir = FASHION_MNIST.dir().unwrap_or_else(|e| panic!("{e}"));
    let Splits { train, valid, test } = FashionMnist::load_from(&dir)
        .expect("the published Fashion-MNIST files")
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
