//! The consistency checks, run on this repository.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn assert_none(what: &str, problems: Vec<String>) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

#[test]
fn every_include_points_at_an_existing_file_and_anchor() {
    assert_none("broken includes", book_tests::check_includes(&root()));
}

#[test]
fn every_chapter_has_a_page_and_a_notebook() {
    assert!(!book_tests::chapter_crates(&root()).is_empty());
    assert_none(
        "chapters missing pieces",
        book_tests::check_chapters(&root()),
    );
}

#[test]
fn every_figure_a_page_shows_exists() {
    assert_none("missing figures", book_tests::check_figures(&root()));
}

#[test]
fn every_notebook_is_an_evcxr_notebook_on_a_chapter_crate() {
    assert_none("bad notebooks", book_tests::check_notebooks(&root()));
}

#[test]
fn every_program_output_a_page_shows_is_regenerated() {
    let registry = std::fs::read_to_string(root().join(book_tests::REGEN_SCRIPT)).unwrap();
    assert!(!book_tests::output_registry(&registry).is_empty());
    assert_none(
        "outputs not regenerated",
        book_tests::check_outputs(&root()),
    );
}

/// Numbers in the sentences of the pages, each beside the output line it
/// quotes. An output that changes makes these fail until the sentence is
/// brought up to date.
const QUOTES: &[book_tests::Quote] = &[
    q(
        "ch01-neurons.md",
        "peaks at −64.00 mV",
        "ch01-neurons/membrane.txt",
        "[0, 30) ms: -64.00 mV",
    ),
    q(
        "ch01-neurons.md",
        "reach only −63.12 mV",
        "ch01-neurons/membrane.txt",
        "[30, 75) ms: -63.12 mV",
    ),
    q(
        "ch01-neurons.md",
        "the potential is −58.06 mV",
        "ch01-neurons/membrane.txt",
        "[75, 82) ms: -58.06 mV",
    ),
    q(
        "ch01-neurons.md",
        "it fires at 82 ms",
        "ch01-neurons/membrane.txt",
        "spikes at [82.0] ms",
    ),
    q(
        "ch01-neurons.md",
        "it peaks at −60.71 mV",
        "ch01-neurons/membrane.txt",
        "[115, 150) ms: -60.71 mV",
    ),
    q(
        "ch03-perceptron.md",
        "the perceptron made seven mistakes; in the second it made none",
        "ch03-perceptron/setosa.txt",
        "mistakes per epoch [7, 0]",
    ),
    q(
        "ch03-perceptron.md",
        "\\\\(z = -0.07\\,\\ell - 0.10\\,w + 0.30\\\\)",
        "ch03-perceptron/setosa.txt",
        "weights [-0.07000001, -0.09999998], bias 0.3",
    ),
    q(
        "ch03-perceptron.md",
        "\\\\(z = 0.110 \\ge 0\\\\)",
        "ch03-perceptron/setosa.txt",
        "0.110 -> setosa? true",
    ),
    q(
        "ch03-perceptron.md",
        "(in 2 to 4 epochs), but only 84 of the 100",
        "ch03-perceptron/setosa.txt",
        "epochs from 2 to 4; the new flower is called setosa by 84 of 100",
    ),
    q(
        "ch03-perceptron.md",
        "the bound allows 748 mistakes and the perceptron never needed more than 18",
        "ch03-perceptron/novikoff.txt",
        "bound (R/γ)² = 748, most mistakes over seeds 0..10 = 18",
    ),
    q(
        "ch03-perceptron.md",
        "a test accuracy of 0.833 on the petals (training 0.800)",
        "ch03-perceptron/one-vs-rest.txt",
        "petal length and width, 120 train / 30 test flowers, 100 epochs: train 0.800, test 0.833",
    ),
    q(
        "ch03-perceptron.md",
        "0.733 on all four features (training 0.750)",
        "ch03-perceptron/one-vs-rest.txt",
        "all four features, 120 train / 30 test flowers, 100 epochs: train 0.750, test 0.733",
    ),
    q(
        "ch03-perceptron.md",
        "`[[22, 28, 0], [0, 50, 0], [0, 23, 27]]`",
        "ch03-perceptron/one-vs-rest.txt",
        "[[22, 28, 0], [0, 50, 0], [0, 23, 27]]",
    ),
    q(
        "ch03-perceptron.md",
        "28 of the 50 setosas are called versicolor",
        "ch03-perceptron/one-vs-rest.txt",
        "[[22, 28, 0]",
    ),
    q(
        "ch03-perceptron.md",
        "gets past three of four",
        "ch03-perceptron/xor.txt",
        "4 learning rates: 3 of 4",
    ),
    q(
        "ch05-regression.md",
        "A test MSE of 0.4114",
        "ch05-regression/train.txt",
        "test mse: 0.4114",
    ),
    q(
        "ch05-regression.md",
        "The validation loss after epoch 1 is 5.31",
        "ch05-regression/train.txt",
        "1     1.8105     5.3101",
    ),
    q(
        "ch05-regression.md",
        "at step 3 400",
        "ch05-regression/overfitting.txt",
        "at epoch 3400",
    ),
    q(
        "ch05-regression.md",
        "validation MSE, 0.1146",
        "ch05-regression/overfitting.txt",
        "lowest validation MSE 0.1146",
    ),
    q(
        "ch05-regression.md",
        "keeps falling, to 0.019",
        "ch05-regression/overfitting.txt",
        "epoch 20000: train 0.0193",
    ),
    q(
        "ch05-regression.md",
        "rises all the way to 0.277",
        "ch05-regression/overfitting.txt",
        "valid 0.2768",
    ),
    q(
        "ch06-classification.md",
        "The first loss, 1.08,",
        "ch06-classification/spirals.txt",
        "epoch   1: loss 1.0801",
    ),
    q(
        "ch06-classification.md",
        "The accuracy starts at chance, 0.33, and 98.3% of the 600 held-out points",
        "ch06-classification/spirals.txt",
        "held-out accuracy 0.983",
    ),
    q(
        "ch06-classification.md",
        "Nine of the ten mistakes lie within 0.03 of the centre",
        "ch06-classification/spirals.txt",
        "0.023, 0.027, 0.993]",
    ),
    q(
        "ch06-classification.md",
        "It reaches a held-out accuracy of 0.347",
        "ch06-classification/spirals.txt",
        "held-out accuracy 0.347",
    ),
    q(
        "ch06-classification.md",
        "0.985 on the points the network was",
        "ch06-classification/spirals.txt",
        "train accuracy 0.985",
    ),
    q(
        "ch07-fashion-mnist.md",
        "mean 0.286 and standard deviation 0.353, and half of them, 50.2 %",
        "ch07-fashion-mnist/statistics.txt",
        "all 60 000 training images mean 0.2860, standard deviation 0.3530, exactly 0: 50.2 %",
    ),
    q(
        "ch07-fashion-mnist.md",
        "67.7 % on the test set",
        "ch07-fashion-mnist/statistics.txt",
        "test accuracy 67.7 %",
    ),
    q(
        "ch08-sequential.md",
        "the log scale: 431 steps to get below 0.001",
        "ch08-sequential/momentum.txt",
        "below 0.001 after 431 steps",
    ),
    q(
        "ch08-sequential.md",
        "the loss is below 0.001 after 64 steps",
        "ch08-sequential/momentum.txt",
        "below 0.001 after 64 steps",
    ),
    q(
        "ch08-sequential.md",
        "down to the 266 610 parameters",
        "ch08-sequential/summary.txt",
        "Total params: 266,610",
    ),
];

const fn q(
    page: &'static str,
    on_page: &'static str,
    output: &'static str,
    in_output: &'static str,
) -> book_tests::Quote {
    book_tests::Quote {
        page,
        on_page,
        output,
        in_output,
    }
}

#[test]
fn every_number_a_sentence_quotes_is_what_its_program_prints() {
    assert_none(
        "quoted numbers out of date",
        book_tests::check_quotes(&root(), QUOTES),
    );
}

#[test]
fn every_term_is_defined_before_it_is_used() {
    assert_none(
        "terms used before their definition",
        book_tests::check_glossary(&root()),
    );
}
