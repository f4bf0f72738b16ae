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
    // Chapter 4's backward pass by hand: each rounded value of the table and
    // of the forward pass beside the full-precision line it rounds.
    q(
        "ch04-backprop.md",
        r"2(0.3621 - 1)\\) | −1.2758",
        "ch04-backprop/by-hand.txt",
        "2.000000 · -0.637912 = -1.275823",
    ),
    q(
        "ch04-backprop.md",
        r"-1.2758 \cdot 0.2310\\) | −0.2947",
        "ch04-backprop/by-hand.txt",
        "-1.275823 ·  0.230980 = -0.294690",
    ),
    q(
        "ch04-backprop.md",
        r"-0.2947 \cdot 0.6225\\) | −0.1834",
        "ch04-backprop/by-hand.txt",
        "-0.294690 ·  0.622459 = -0.183433",
    ),
    q(
        "ch04-backprop.md",
        r"-0.2947 \cdot 1.5\\) | −0.4420",
        "ch04-backprop/by-hand.txt",
        "-0.294690 ·  1.500000 = -0.442035",
    ),
    q(
        "ch04-backprop.md",
        r"-0.4420 \cdot 0.2350\\) | −0.1039",
        "ch04-backprop/by-hand.txt",
        "-0.442035 ·  0.235004 = -0.103880",
    ),
    q(
        "ch04-backprop.md",
        r"-0.1039 \cdot 2\\) | −0.2078",
        "ch04-backprop/by-hand.txt",
        "-0.103880 ·  2.000000 = -0.207760",
    ),
    q(
        "ch04-backprop.md",
        r"\\(h = \sigma(0.5) = 0.6225\\)",
        "ch04-backprop/by-hand.txt",
        "h  = σ(z₁)       =  0.622459",
    ),
    q(
        "ch04-backprop.md",
        r"\\(z\_2 = 1.5 \cdot 0.6225 - 1.5 = -0.5663\\)",
        "ch04-backprop/by-hand.txt",
        "z₂ = w₂·h + b₂   = -0.566311",
    ),
    q(
        "ch04-backprop.md",
        r"\\(L = (0.3621 - 1)^2 = 0.4069\\)",
        "ch04-backprop/by-hand.txt",
        "L  = (ŷ − y)²    =  0.406931",
    ),
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
        "ch02-hebb.md",
        "length 2.42 after 100 steps, 606 after 250, 7.6 million after 500",
        "ch02-hebb/cloud.txt",
        "step 100: ‖w‖ Hebb 2.4204e0",
    ),
    q(
        "ch02-hebb.md",
        "length 2.42 after 100 steps, 606 after 250, 7.6 million after 500",
        "ch02-hebb/cloud.txt",
        "step 250: ‖w‖ Hebb 6.0555e2",
    ),
    q(
        "ch02-hebb.md",
        "length 2.42 after 100 steps, 606 after 250, 7.6 million after 500",
        "ch02-hebb/cloud.txt",
        "step 500: ‖w‖ Hebb 7.6406e6",
    ),
    q(
        "ch02-hebb.md",
        r"\\(3.2 \times 10^{15}\\) after 1 000",
        "ch02-hebb/cloud.txt",
        "step 1000: ‖w‖ Hebb 3.1826e15",
    ),
    q(
        "ch02-hebb.md",
        "grows by a factor of 1.0398 per step on average",
        "ch02-hebb/cloud.txt",
        "grows by 1.0398 = e^0.0391 per step",
    ),
    q(
        "ch02-hebb.md",
        r"\\(1 + \eta\lambda\_1 = 1.0405\\)",
        "ch02-hebb/cloud.txt",
        "1 + ηλ₁ = 1.0405",
    ),
    q(
        "ch02-hebb.md",
        "overflows `f32` at step 2 368",
        "ch02-hebb/cloud.txt",
        "overflows f32 at step 2368",
    ),
    q(
        "ch02-hebb.md",
        r"\\(|\cos| = 0.9997\\) after 1 000 steps",
        "ch02-hebb/cloud.txt",
        "|cos| Hebb 0.9997",
    ),
    q(
        "ch02-hebb.md",
        r"\\(\lambda\_1 = 4.0467\\) and \\(\mathbf{e}\_1 = (0.8664,\ 0.4994)^\top\\), at 29.96°",
        "ch02-hebb/cloud.txt",
        "λ₁ = 4.0467, e₁ = [0.8664, 0.4994], at 29.96°",
    ),
    q(
        "ch02-hebb.md",
        "length 0.957 after 100 steps and 1.0009 after 250",
        "ch02-hebb/cloud.txt",
        "step 100: ‖w‖ Hebb 2.4204e0 Oja 0.9574",
    ),
    q(
        "ch02-hebb.md",
        "length 0.957 after 100 steps and 1.0009 after 250",
        "ch02-hebb/cloud.txt",
        "step 250: ‖w‖ Hebb 6.0555e2 Oja 1.0009",
    ),
    q(
        "ch02-hebb.md",
        r"\\(\mathbf{w} = (-0.8775, -0.4824)^\top\\), of length 1.0014, with \\(|\cos| = 0.9998\\)",
        "ch02-hebb/cloud.txt",
        "Oja ends at w = [-0.8775, -0.4824]",
    ),
    q(
        "ch02-hebb.md",
        r"of length 1.0014, with \\(|\cos| = 0.9998\\)",
        "ch02-hebb/cloud.txt",
        "step 1000: ‖w‖ Hebb 3.1826e15 Oja 1.0014 |cos| Hebb 0.9997 Oja 0.9998",
    ),
    q(
        "ch02-hebb.md",
        "0.9984 for 8 pairs, 0.9778 for 16, 0.9233 for 32, 0.8421 for 64 and 0.7618 for 128",
        "ch02-hebb/capacity.txt",
        "P = 8: random keys 0.9984",
    ),
    q(
        "ch02-hebb.md",
        "0.9984 for 8 pairs, 0.9778 for 16, 0.9233 for 32, 0.8421 for 64 and 0.7618 for 128",
        "ch02-hebb/capacity.txt",
        "P = 16: random keys 0.9778",
    ),
    q(
        "ch02-hebb.md",
        "0.9984 for 8 pairs, 0.9778 for 16, 0.9233 for 32, 0.8421 for 64 and 0.7618 for 128",
        "ch02-hebb/capacity.txt",
        "P = 32: random keys 0.9233",
    ),
    q(
        "ch02-hebb.md",
        "0.9984 for 8 pairs, 0.9778 for 16, 0.9233 for 32, 0.8421 for 64 and 0.7618 for 128",
        "ch02-hebb/capacity.txt",
        "P = 64: random keys 0.8421",
    ),
    q(
        "ch02-hebb.md",
        "0.9984 for 8 pairs, 0.9778 for 16, 0.9233 for 32, 0.8421 for 64 and 0.7618 for 128",
        "ch02-hebb/capacity.txt",
        "P = 128: random keys 0.7618",
    ),
    q(
        "ch02-hebb.md",
        "The estimate predicts 0.8433 for 64 pairs and 0.7611 for 128",
        "ch02-hebb/capacity.txt",
        "random keys 0.8421, orthogonal keys 1.0000, normal estimate 0.8433",
    ),
    q(
        "ch02-hebb.md",
        "The estimate predicts 0.8433 for 64 pairs and 0.7611 for 128",
        "ch02-hebb/capacity.txt",
        "normal estimate 0.7611",
    ),
    q(
        "ch02-hebb.md",
        "compare with the measured 0.9778 and 0.9233",
        "ch02-hebb/capacity.txt",
        "P = 32: random keys 0.9233",
    ),
    q(
        "ch02-hebb.md",
        "you should get about 0.981 and 0.925",
        "ch02-hebb/capacity.txt",
        "P = 16: random keys 0.9778, orthogonal keys 1.0000, normal estimate 0.9806",
    ),
    q(
        "ch02-hebb.md",
        "you should get about 0.981 and 0.925",
        "ch02-hebb/capacity.txt",
        "normal estimate 0.9246",
    ),
    q(
        "ch02-hebb.md",
        r"= (1.3, 1.9)^\top\\)",
        "ch02-hebb/by-hand.txt",
        "y = 1, new w = [1.30, 1.90]",
    ),
    q(
        "ch02-hebb.md",
        r"\\((1, 0.1)^\top\\) of length 1.0050",
        "ch02-hebb/by-hand.txt",
        "new w = [1.0000, 0.1000], length 1.0050",
    ),
    q(
        "ch02-hebb.md",
        r"of length 1.1045, and divides: \\((0.9959, 0.0905)^\top\\)",
        "ch02-hebb/by-hand.txt",
        "Hebb step of length 1.1045, divided by it: [0.9959, 0.0905]",
    ),
    q(
        "ch02-hebb.md",
        "| distance | 0.038112 | 0.010317 | 0.002685 | 0.000685 |",
        "ch02-hebb/primer.txt",
        "η = 0.2 error = 0.038112 error / η² = 0.953 η = 0.1 error = 0.010317 error / η² = 1.032 η = 0.05 error = 0.002685 error / η² = 1.074 η = 0.025 error = 0.000685 error / η² = 1.096",
    ),
    q(
        "ch02-hebb.md",
        r"| distance / \\(\eta^2\\) | 0.953 | 1.032 | 1.074 | 1.096 |",
        "ch02-hebb/primer.txt",
        "η = 0.025 error = 0.000685 error / η² = 1.096",
    ),
    q(
        "ch02-hebb.md",
        r"final \\(|\cos|\\) of 0.9999 for \\(\eta = 0.005\\), 0.9998 for 0.01 and 0.9983 for 0.02",
        "ch02-hebb/pitfalls.txt",
        "η = 0.005: mean ‖w‖ over the second half 1.0005, final |cos| 0.9999 η = 0.01 : mean ‖w‖ over the second half 1.0010, final |cos| 0.9998 η = 0.02 : mean ‖w‖ over the second half 1.0021, final |cos| 0.9983",
    ),
    q(
        "ch02-hebb.md",
        "it ends at 0.9539",
        "ch02-hebb/pitfalls.txt",
        "η = 0.1 : mean ‖w‖ over the second half 1.0155, final |cos| 0.9539",
    ),
    q(
        "ch02-hebb.md",
        "the weights overflow `f32` at step 46",
        "ch02-hebb/pitfalls.txt",
        "η = 0.3 : the weights overflow f32 at step 46",
    ),
    q(
        "ch02-hebb.md",
        "length over the second half of the run is 1.0005, 1.0010 and 1.0021",
        "ch02-hebb/pitfalls.txt",
        "second half 1.0021",
    ),
    q(
        "ch02-hebb.md",
        r"\\((0.949, -0.324)^\top\\), pointing mostly at the mean: \\(|\cos| = 0.658\\)",
        "ch02-hebb/pitfalls.txt",
        "w = [0.949, -0.324], |cos| with e₁ = 0.658",
    ),
    q(
        "ch02-hebb.md",
        "bipolar keys recall 0.9961 of the output signs",
        "ch02-hebb/pitfalls.txt",
        "bipolar ±1 keys: 0.9961 of output signs right",
    ),
    q(
        "ch02-hebb.md",
        "only 0.7715",
        "ch02-hebb/pitfalls.txt",
        "0/1 keys: 0.7715 of output signs right",
    ),
    q(
        "maths-primer.md",
        r"\\(\lVert \mathbf{a} \rVert = \sqrt5 = 2.2361\\)",
        "ch02-hebb/primer.txt",
        "‖x‖ = 2.2361, ‖y‖ = 3.1623, cos α = x · y / (‖x‖ ‖y‖) = 0.1414",
    ),
    q(
        "maths-primer.md",
        r"\sqrt{10} = 3.1623\\) and \\(\cos\alpha = 1/\sqrt{50} = 0.1414\\)",
        "ch02-hebb/primer.txt",
        "‖y‖ = 3.1623, cos α = x · y / (‖x‖ ‖y‖) = 0.1414",
    ),
    q(
        "maths-primer.md",
        r"\\(C\mathbf{e}\_1 = (3.1820, 3.1820)^\top = 4.5\\, \mathbf{e}\_1\\)",
        "ch02-hebb/primer.txt",
        "λ1 = 4.5000, e1 = [0.7071, 0.7071], C e = [3.1820, 3.1820], eᵀ C e = 4.5000",
    ),
    q(
        "maths-primer.md",
        r"\\(\lambda\_1 = 4.5\\) and \\(\lambda\_2 = 0.5\\)",
        "ch02-hebb/primer.txt",
        "λ2 = 0.5000, e2 = [-0.7071, 0.7071], C e = [-0.3536, 0.3536], eᵀ C e = 0.5000",
    ),
    q(
        "maths-primer.md",
        r"every sample reaches \\(\pm 2.1213\\)",
        "ch02-hebb/primer.txt",
        "x e1 = [2.1213, 2.1213, -2.1213, -2.1213], average of the squares 4.5000",
    ),
    q(
        "maths-primer.md",
        "| 0.2 | 1.095445 | 1.100000 | 0.004555 | 0.114 |",
        "ch02-hebb/primer.txt",
        "ε = 0.2 √(1 + ε) = 1.095445 1 + ε/2 = 1.100000 error = 0.004555 error / ε² = 0.114",
    ),
    q(
        "maths-primer.md",
        "| 0.025 | 1.012423 | 1.012500 | 0.000077 | 0.123 |",
        "ch02-hebb/primer.txt",
        "ε = 0.025 √(1 + ε) = 1.012423 1 + ε/2 = 1.012500 error = 0.000077 error / ε² = 0.123",
    ),
    q(
        "maths-primer.md",
        r"The height is 0.3989 at \\(z = 0\\), 0.2420 at \\(z = 1\\) and 0.0540 at \\(z = 2\\)",
        "ch02-hebb/primer.txt",
        "at z = 0: 0.3989 at z = 1: 0.2420 at z = 2: 0.0540",
    ),
    q(
        "maths-primer.md",
        r"| \\(\Phi(x)\\) | 0.1587 | 0.5000 | 0.8413 | 0.9750 | 0.9772 |",
        "ch02-hebb/primer.txt",
        "Φ( -1) = 0.1587 erf(-0.7071) = -0.6827 Φ( 0) = 0.5000 erf(0.0000) = 0.0000 Φ( 1) = 0.8413 erf(0.7071) = 0.6827 Φ( 1.96) = 0.9750 erf(1.3859) = 0.9500 Φ( 2) = 0.9772",
    ),
    q(
        "maths-primer.md",
        r"\\(\Phi(1) - \Phi(-1) = 0.6827\\)",
        "ch02-hebb/primer.txt",
        "P(−1 ≤ Z ≤ 1) = Φ(1) − Φ(−1) = 0.68269 ≈ 0.6827",
    ),
    q(
        "maths-primer.md",
        "the unrounded difference is 0.68269",
        "ch02-hebb/primer.txt",
        "= 0.68269",
    ),
    q(
        "maths-primer.md",
        r"\\(\operatorname{erf}(1/\sqrt2) = \operatorname{erf}(0.7071) = 0.6827\\)",
        "ch02-hebb/primer.txt",
        "erf(0.7071) = 0.6827",
    ),
    q(
        "maths-primer.md",
        r"\\(\sqrt{\lambda\_1} = 2.0117\\) along the cloud, \\(\sqrt{\lambda\_2} = 0.5758\\) across it",
        "ch02-hebb/primer.txt",
        "λ1 = 4.0467, √λ1 = 2.0117, e1 = [0.8664, 0.4994] λ2 = 0.3316, √λ2 = 0.5758",
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
        "the combined accuracy jumps between about 0.66 and 0.92",
        "ch03-perceptron/one-vs-rest.txt",
        "petal length and width, 100 epochs: per unit [1.000, 0.453, 0.940], a clean epoch per unit [true, false, false], three species 0.660",
    ),
    q(
        "ch03-perceptron.md",
        "the combined accuracy jumps between about 0.66 and 0.92",
        "ch03-perceptron/one-vs-rest.txt",
        "all four features, 1000 epochs: per unit [1.000, 0.760, 0.960], a clean epoch per unit [true, false, false], three species 0.920",
    ),
    q(
        "ch03-perceptron.md",
        "(0.88, 0.66 or 0.75 for the same three-species problem)",
        "ch03-perceptron/one-vs-rest.txt",
        "petal length and width, 10 epochs: per unit [1.000, 0.753, 0.960], a clean epoch per unit [true, false, false], three species 0.880",
    ),
    q(
        "ch03-perceptron.md",
        "(0.88, 0.66 or 0.75 for the same three-species problem)",
        "ch03-perceptron/one-vs-rest.txt",
        "three species 0.660",
    ),
    q(
        "ch03-perceptron.md",
        "(0.88, 0.66 or 0.75 for the same three-species problem)",
        "ch03-perceptron/one-vs-rest.txt",
        "petal length and width, 1000 epochs: per unit [1.000, 0.633, 0.960], a clean epoch per unit [true, false, false], three species 0.753",
    ),
    q(
        "ch03-perceptron.md",
        "The setosa unit is at 1.0 from the first epoch on",
        "ch03-perceptron/accuracy-history.txt",
        "Setosa unit: from 1.00 to 1.00; after epoch 1 1.00",
    ),
    q(
        "ch03-perceptron.md",
        "the versicolor unit ranges from 0.33 to 0.80",
        "ch03-perceptron/accuracy-history.txt",
        "Versicolor unit: from 0.33 to 0.80",
    ),
    q(
        "ch03-perceptron.md",
        "virginica unit from 0.67 to 0.97",
        "ch03-perceptron/accuracy-history.txt",
        "Virginica unit: from 0.67 to 0.97",
    ),
    q(
        "ch03-perceptron.md",
        "the three-species accuracy from 0.33 to 0.93",
        "ch03-perceptron/accuracy-history.txt",
        "three species: from 0.33 to 0.93",
    ),
    q(
        "ch03-perceptron.md",
        "the accuracy rose from 0.66 to 0.82",
        "ch03-perceptron/distance-rule.txt",
        "petals, 100 epochs: largest net input 0.660, largest distance 0.820",
    ),
    q(
        "ch03-perceptron.md",
        "gets past three of four",
        "ch03-perceptron/xor.txt",
        "4 learning rates: 3 of 4",
    ),
    q(
        "ch04-backprop.md",
        "the distance goes 2, 1.2, 0.72, 0.432, …",
        "ch04-backprop/descent.txt",
        "0 0.00000 2.00000 16.0000000000 -16.00000 +0.800000 1 0.80000 1.20000 5.7600000000 -9.60000 +0.480000 2 1.28000 0.72000 2.0736000000 -5.76000 +0.288000 3 1.56800 0.43200",
    ),
    q(
        "ch04-backprop.md",
        "is 1.26, still 0.74 short",
        "ch04-backprop/learning-rates.txt",
        "eta 0.01: w after 12 steps 1.2647",
    ),
    q(
        "ch04-backprop.md",
        "(−111 after 12 steps)",
        "ch04-backprop/learning-rates.txt",
        "eta 0.3: w after 12 steps -111.3878",
    ),
    q(
        "ch04-backprop.md",
        r"(\\(5.1 \times 10^4\\))",
        "ch04-backprop/learning-rates.txt",
        "-111.3878, loss 5.143e4",
    ),
    q(
        "ch04-backprop.md",
        r"The chain rule and the nudges agree to about \\(10^{-11}\\)",
        "ch04-backprop/by-hand.txt",
        "w₂ -0.183433 -0.183433 1e-11",
    ),
    q(
        "ch04-backprop.md",
        "0.288 in epoch 1, 0.209 in epoch 100, 0.088 in epoch 200, 0.011 in epoch 300 and 0.00098 in epoch 1000",
        "ch04-backprop/xor-training.txt",
        "epoch 1: 0.288",
    ),
    q(
        "ch04-backprop.md",
        "0.288 in epoch 1, 0.209 in epoch 100, 0.088 in epoch 200, 0.011 in epoch 300 and 0.00098 in epoch 1000",
        "ch04-backprop/xor-training.txt",
        "epoch 100: 0.209",
    ),
    q(
        "ch04-backprop.md",
        "0.288 in epoch 1, 0.209 in epoch 100, 0.088 in epoch 200, 0.011 in epoch 300 and 0.00098 in epoch 1000",
        "ch04-backprop/xor-training.txt",
        "epoch 200: 0.088",
    ),
    q(
        "ch04-backprop.md",
        "0.288 in epoch 1, 0.209 in epoch 100, 0.088 in epoch 200, 0.011 in epoch 300 and 0.00098 in epoch 1000",
        "ch04-backprop/xor-training.txt",
        "epoch 300: 0.011",
    ),
    q(
        "ch04-backprop.md",
        "0.288 in epoch 1, 0.209 in epoch 100, 0.088 in epoch 200, 0.011 in epoch 300 and 0.00098 in epoch 1000",
        "ch04-backprop/xor-training.txt",
        "epoch 1000: 0.00098",
    ),
    q(
        "ch04-backprop.md",
        "end at 0.015, 0.968, 0.965 and 0.038",
        "ch04-backprop/xor-training.txt",
        "0.015, 0.968, 0.965, 0.038; 4 of 4 right",
    ),
    q(
        "ch04-backprop.md",
        "(0.246 at epoch 50, 0.163 at epoch 150)",
        "ch04-backprop/xor-training.txt",
        "epoch 50: 0.246",
    ),
    q(
        "ch04-backprop.md",
        "(0.246 at epoch 50, 0.163 at epoch 150)",
        "ch04-backprop/xor-training.txt",
        "epoch 150: 0.163",
    ),
    q(
        "ch04-backprop.md",
        "(0.123 at epoch 180, 0.023 at epoch 250)",
        "ch04-backprop/xor-training.txt",
        "epoch 180: 0.123",
    ),
    q(
        "ch04-backprop.md",
        "(0.123 at epoch 180, 0.023 at epoch 250)",
        "ch04-backprop/xor-training.txt",
        "epoch 250: 0.023",
    ),
    q(
        "ch04-backprop.md",
        r"the worst of the 54 relative errors is \\(1.8 \times 10^{-3}\\)",
        "ch04-backprop/gradient-check.txt",
        "seed 4: 54 parameters",
    ),
    q(
        "ch04-backprop.md",
        r"the worst of the 54 relative errors is \\(1.8 \times 10^{-3}\\)",
        "ch04-backprop/gradient-check.txt",
        "worst relative error 1.8e-3: layer 1",
    ),
    q(
        "ch04-backprop.md",
        r"a first-layer weight whose gradient is only \\(8.6 \times 10^{-4}\\)",
        "ch04-backprop/gradient-check.txt",
        "layer 1, Weight { row: 1, col: 0 }, backprop 8.59e-4",
    ),
    q(
        "ch04-backprop.md",
        r"which are the largest, agree to about \\(10^{-5}\\)",
        "ch04-backprop/gradient-check.txt",
        "layer 3: worst relative error 1.9e-5, largest gradient 5.88e-1",
    ),
    q(
        "ch04-backprop.md",
        r"truncation contributes at most \\(2.4 \times 10^{-3}\\) and rounding \\(6.9 \times 10^{-3}\\)",
        "ch04-backprop/gradient-check-steps.txt",
        "1e-2 7.2e-3 (2.4e-3, 6.9e-3)",
    ),
    q(
        "ch04-backprop.md",
        r"\\(0.8\\,u|L|\\) (the median over the 20 networks; at most \\(2.3\\,u|L|\\))",
        "ch04-backprop/gradient-check-steps.txt",
        "median 0.8, largest 2.3",
    ),
    q(
        "ch04-backprop.md",
        "4 tanh units solved XOR every time",
        "ch04-backprop/xor-seeds.txt",
        "4 tanh 0.5 50/50",
    ),
    q(
        "ch04-backprop.md",
        "2 tanh units 29 times out of 50",
        "ch04-backprop/xor-seeds.txt",
        "2 tanh 0.5 29/50",
    ),
    q(
        "ch04-backprop.md",
        "4 sigmoid units 46 times",
        "ch04-backprop/xor-seeds.txt",
        "4 sigmoid 0.5 46/50",
    ),
    q(
        "ch04-backprop.md",
        "With 4 ReLU units only 27 of 50 seeds worked",
        "ch04-backprop/xor-seeds.txt",
        "4 ReLU 0.5 27/50",
    ),
    q(
        "ch04-backprop.md",
        "the median run needed 969 epochs instead of 104",
        "ch04-backprop/xor-seeds.txt",
        "4 tanh 0.05 46/50 969",
    ),
    q(
        "ch04-backprop.md",
        "the median run needed 969 epochs instead of 104",
        "ch04-backprop/xor-seeds.txt",
        "4 tanh 0.5 50/50 104",
    ),
    q(
        "ch04-backprop.md",
        "4 of 50 runs had not solved XOR after 1000 epochs",
        "ch04-backprop/xor-seeds.txt",
        "0.05 46/50",
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
        "ch05-regression.md",
        "the 207 missing `total_bedrooms`",
        "ch05-regression/imputation.txt",
        "207 of 20640 districts have no total_bedrooms",
    ),
    q(
        "ch05-regression.md",
        "the median count (437 bedrooms over the training districts)",
        "ch05-regression/imputation.txt",
        "median count 437, median per household 1.0496",
    ),
    q(
        "ch05-regression.md",
        "(about 1.05 bedrooms per household)",
        "ch05-regression/imputation.txt",
        "median per household 1.0496",
    ),
    q(
        "ch05-regression.md",
        "the district on line 2828 of the file has 16 households and 154 rooms",
        "ch05-regression/imputation.txt",
        "line 2828 of the file (test part), 16 households, 154 rooms, worth $200000",
    ),
    q(
        "ch05-regression.md",
        "27.3 bedrooms per household, more bedrooms than rooms",
        "ch05-regression/imputation.txt",
        "AveBedrms 27.31 bedrooms per household",
    ),
    q(
        "ch05-regression.md",
        "that AveBedrms is 56 standard deviations above the mean",
        "ch05-regression/imputation.txt",
        "56.3 standard deviations from the training mean",
    ),
    q(
        "ch05-regression.md",
        "predicts $1.65 million for this test district, worth $200 000",
        "ch05-regression/imputation.txt",
        "weight seed 42: $1.65 million",
    ),
    q(
        "ch05-regression.md",
        "predicted at between $1.65 and $2.18 million",
        "ch05-regression/imputation.txt",
        "7: $2.18 million",
    ),
    q(
        "ch05-regression.md",
        "Predicting the training mean for every district would score 1.32",
        "ch05-regression/seeds.txt",
        "42 42 0.4171 0.4114 1.3236",
    ),
    q(
        "ch05-regression.md",
        "AveOccup 525, 253 and 212 standard deviations above the mean",
        "ch05-regression/first-epoch.txt",
        "AveOccup 525 standard deviations above the mean, worth $137500, predicted $11.4 million",
    ),
    q(
        "ch05-regression.md",
        "AveOccup 525, 253 and 212 standard deviations above the mean",
        "ch05-regression/first-epoch.txt",
        "AveOccup 253 standard deviations above the mean, worth $67500, predicted $5.5 million",
    ),
    q(
        "ch05-regression.md",
        "AveOccup 525, 253 and 212 standard deviations above the mean",
        "ch05-regression/first-epoch.txt",
        "AveOccup 212 standard deviations above the mean, worth $350000, predicted $4.5 million",
    ),
    q(
        "ch05-regression.md",
        "prices them at $11.4, $5.5 and $4.5 million",
        "ch05-regression/first-epoch.txt",
        "predicted $11.4 million",
    ),
    q(
        "ch05-regression.md",
        "prices them at $11.4, $5.5 and $4.5 million",
        "ch05-regression/first-epoch.txt",
        "predicted $5.5 million",
    ),
    q(
        "ch05-regression.md",
        "prices them at $11.4, $5.5 and $4.5 million",
        "ch05-regression/first-epoch.txt",
        "predicted $4.5 million",
    ),
    q(
        "ch05-regression.md",
        "contribute 4.52 of the 5.31; without them the validation MSE would be 0.79",
        "ch05-regression/first-epoch.txt",
        "together 4.52 of the 5.31; the other 3867 districts alone: 0.79",
    ),
    q(
        "ch05-regression.md",
        "median count, test MSE 0.4553, 0.5127 and 0.5086 for weight seeds 42, 7 and 8",
        "ch05-regression/seeds.txt",
        "MedianCount 42 0.4553 MedianCount 7 0.5127 MedianCount 8 0.5086",
    ),
    q(
        "ch05-regression.md",
        "with the median per household, 0.4114, 0.4172 and 0.4181",
        "ch05-regression/seeds.txt",
        "MedianPerHousehold 42 0.4114 MedianPerHousehold 7 0.4172 MedianPerHousehold 8 0.4181",
    ),
    q(
        "ch05-regression.md",
        "On the reference split the test MSE is 0.4114 to 0.4181",
        "ch05-regression/seeds.txt",
        "42 8 0.4210 0.4181",
    ),
    q(
        "ch05-regression.md",
        "with seeds 1, 2 and 3 it is 0.4814 to 0.4960",
        "ch05-regression/seeds.txt",
        "1 7 0.4443 0.4814",
    ),
    q(
        "ch05-regression.md",
        "with seeds 1, 2 and 3 it is 0.4814 to 0.4960",
        "ch05-regression/seeds.txt",
        "1 42 0.4573 0.4960",
    ),
    q(
        "ch05-regression.md",
        "0.4625 to 0.4641 and 0.4577 to 0.4698",
        "ch05-regression/seeds.txt",
        "2 42 0.4504 0.4641",
    ),
    q(
        "ch05-regression.md",
        "0.4625 to 0.4641 and 0.4577 to 0.4698",
        "ch05-regression/seeds.txt",
        "2 8 0.4494 0.4625",
    ),
    q(
        "ch05-regression.md",
        "0.4625 to 0.4641 and 0.4577 to 0.4698",
        "ch05-regression/seeds.txt",
        "3 7 0.4799 0.4577",
    ),
    q(
        "ch05-regression.md",
        "0.4625 to 0.4641 and 0.4577 to 0.4698",
        "ch05-regression/seeds.txt",
        "3 42 0.5042 0.4698",
    ),
    q(
        "ch05-regression.md",
        "(mean over all twelve runs 0.4584)",
        "ch05-regression/seeds.txt",
        "test mse over 12 runs: mean 0.4584, min 0.4114, max 0.4960",
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
        "between 457 (T-shirt/top) and 556 (Trouser)",
        "ch07-fashion-mnist/files.txt",
        "0 T-shirt/top 6000 5543 457 1000 1 Trouser 6000 5444 556 1000",
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
    q(
        "ch09-training.md",
        "it ends at a validation accuracy of 0.8968 and a test accuracy of 0.8814",
        "ch09-training/full-run-clear.txt",
        "30 0.2225 0.9201 0.2937 0.8968",
    ),
    q(
        "ch09-training.md",
        "it ends at a validation accuracy of 0.8968 and a test accuracy of 0.8814",
        "ch09-training/full-run-clear.txt",
        "test loss: 0.3261, test accuracy: 0.8814",
    ),
    q(
        "ch09-training.md",
        "wobbles around 0.29–0.33 from epoch to epoch",
        "ch09-training/full-run.txt",
        "24 0.2459 0.9109 0.3274 0.8804",
    ),
    q(
        "ch09-training.md",
        "wobbles around 0.29–0.33 from epoch to epoch",
        "ch09-training/full-run.txt",
        "27 0.2343 0.9153 0.2919 0.8952",
    ),
    q(
        "ch09-training.md",
        "The test accuracy, 0.8811, is 1.5 points below the last validation accuracy, 0.8962.",
        "ch09-training/full-run.txt",
        "30 0.2223 0.9203 0.2929 0.8962",
    ),
    q(
        "ch09-training.md",
        "The test accuracy, 0.8811, is 1.5 points below the last validation accuracy, 0.8962.",
        "ch09-training/full-run.txt",
        "test loss: 0.3269, test accuracy: 0.8811",
    ),
    q(
        "ch09-training.md",
        "puts nearly all its probability on classes 9, 2 and 1: all three right",
        "ch09-training/full-run.txt",
        "test image 0: predicted 9 (Ankle boot), true 9 — probabilities [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.01, 0.0, 0.99] test image 1: predicted 2 (Pullover), true 2 — probabilities [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0] test image 2: predicted 1 (Trouser), true 1",
    ),
    q(
        "ch09-training.md",
        "Shirt is the worst class of all, with only 69.7 % of shirts recognised",
        "ch09-training/full-run.txt",
        "Shirt: 69.7 %",
    ),
    q(
        "ch09-training.md",
        "only two of the 3 000 shoes were taken for a garment",
        "ch09-training/full-run.txt",
        "footwear: of 3000 test images, 2 taken for a garment",
    ),
    q(
        "ch09-training.md",
        "are both recognised 96.3 % of the time",
        "ch09-training/full-run.txt",
        "Trouser: 96.3 %",
    ),
    q(
        "ch09-training.md",
        "are both recognised 96.3 % of the time",
        "ch09-training/full-run.txt",
        "Bag: 96.3 %",
    ),
    q(
        "ch09-training.md",
        "Among the first 30 test images, four are wrong",
        "ch09-training/full-run.txt",
        "wrong among the first 30 test images: 4 — 12 (Sneaker taken for Sandal), 17 (Coat taken for Pullover), 23 (Ankle boot taken for Sandal), 25 (Coat taken for Pullover)",
    ),
    q(
        "ch09-training.md",
        "four of them are framed in red with the true class under the prediction: a sneaker taken for a sandal, a coat for a pullover, an ankle boot for a sandal, and a coat for a pullover",
        "ch09-training/full-run.txt",
        "12 (Sneaker taken for Sandal), 17 (Coat taken for Pullover), 23 (Ankle boot taken for Sandal), 25 (Coat taken for Pullover)",
    ),
    q(
        "ch09-training.md",
        "| validation accuracy after epoch 1 | ≈ 0.82 | 0.8202 | 0.8206 |",
        "ch09-training/full-run.txt",
        "1 0.7018 0.7688 0.5195 0.8202",
    ),
    q(
        "ch09-training.md",
        "| validation accuracy after epoch 1 | ≈ 0.82 | 0.8202 | 0.8206 |",
        "ch09-training/full-run-clear.txt",
        "1 0.7018 0.7688 0.5201 0.8206",
    ),
    q(
        "ch09-training.md",
        "| validation accuracy after epoch 2 | — | 0.8436 | 0.8446 |",
        "ch09-training/full-run.txt",
        "2 0.4864 0.8301 0.4511 0.8436",
    ),
    q(
        "ch09-training.md",
        "| validation accuracy after epoch 2 | — | 0.8436 | 0.8446 |",
        "ch09-training/full-run-clear.txt",
        "2 0.4864 0.8302 0.4513 0.8446",
    ),
    q(
        "ch09-training.md",
        "| validation accuracy after epoch 30 | ≈ 0.888 | 0.8962 | 0.8968 |",
        "ch09-training/full-run.txt",
        "30 0.2223 0.9203 0.2929 0.8962",
    ),
    q(
        "ch09-training.md",
        "| validation accuracy after epoch 30 | ≈ 0.888 | 0.8962 | 0.8968 |",
        "ch09-training/full-run-clear.txt",
        "30 0.2225 0.9201 0.2937 0.8968",
    ),
    q(
        "ch09-training.md",
        "| test accuracy | ≈ 0.879 | 0.8811 | 0.8814 |",
        "ch09-training/full-run.txt",
        "test accuracy: 0.8811",
    ),
    q(
        "ch09-training.md",
        "| test accuracy | ≈ 0.879 | 0.8811 | 0.8814 |",
        "ch09-training/full-run-clear.txt",
        "test accuracy: 0.8814",
    ),
    q(
        "ch09-training.md",
        "| classes of the first three test images | 9, 2, 1 | 9, 2, 1 | 9, 2, 1 |",
        "ch09-training/full-run.txt",
        "test image 0: predicted 9 (Ankle boot), true 9 — probabilities [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.01, 0.0, 0.99] test image 1: predicted 2 (Pullover), true 2 — probabilities [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0] test image 2: predicted 1 (Trouser)",
    ),
    q(
        "ch09-training.md",
        "| classes of the first three test images | 9, 2, 1 | 9, 2, 1 | 9, 2, 1 |",
        "ch09-training/full-run-clear.txt",
        "test image 0: predicted 9 (Ankle boot), true 9 — probabilities [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.01, 0.0, 0.99] test image 1: predicted 2 (Pullover), true 2 — probabilities [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0] test image 2: predicted 1 (Trouser)",
    ),
    q(
        "ch09-training.md",
        "| parameters | 266 610 | 266 610 | 266 610 |",
        "ch09-training/full-run.txt",
        "Total params: 266,610",
    ),
    q(
        "ch09-training.md",
        "At epoch 30 it is 0.921, but the model is right on new images 88 % of the time",
        "ch09-training/full-run.txt",
        "30 0.2223 0.9203 0.2929 0.8962",
    ),
    q(
        "ch09-training.md",
        "At epoch 30 it is 0.921, but the model is right on new images 88 % of the time",
        "ch09-training/full-run.txt",
        "test accuracy: 0.8811",
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
