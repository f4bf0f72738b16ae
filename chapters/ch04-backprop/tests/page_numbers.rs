//! The worked numbers the page includes from `book/outputs/ch04-backprop/`
//! must be what the code prints now. (After a change,
//! `cargo run -p ch04-backprop --example by_hand`, or
//! `bash tests/regen-outputs.sh` for the whole book, rewrites them.)

use ch04_backprop::by_hand::{PAGE_BATCH, PAGE_SAMPLE, Tiny, batch_report, report};
use ch04_backprop::worked::{LayerExample, activation_table, init_scales};

/// The committed output `name`, without its header line, after checking
/// that the header names the command that writes it.
fn committed(name: &str, command: &str) -> String {
    let dir = ch00_toolbox::output::outputs_dir(env!("CARGO_MANIFEST_DIR"), "ch04-backprop");
    let text = std::fs::read_to_string(dir.join(format!("{name}.txt")))
        .unwrap_or_else(|e| panic!("{name}.txt: {e}; run {command}"));
    let (header, body) = text.split_once('\n').unwrap_or((&text, ""));
    assert!(
        header.starts_with(&format!("# {command} (")),
        "{name}.txt: header {header:?} does not name {command}"
    );
    body.to_string()
}

/// `text` as [`ch00_toolbox::output::Output`] saves it: one final newline.
fn as_saved(text: &str) -> String {
    format!("{}\n", text.trim_end_matches('\n'))
}

#[test]
fn the_pages_worked_numbers_are_up_to_date() {
    let command = "cargo run -p ch04-backprop --example by_hand";
    let (x, y) = PAGE_SAMPLE;
    let layer = LayerExample::page();
    let expected = [
        ("by-hand", report(&Tiny::PAGE, x, y).unwrap()),
        (
            "by-hand-batch",
            batch_report(&Tiny::PAGE, &PAGE_BATCH).unwrap(),
        ),
        ("activations-at", activation_table()),
        ("layer-forward", layer.forward_report()),
        ("layer-backward", layer.backward_report()),
        ("init-scales", init_scales().unwrap()),
    ];
    for (name, text) in expected {
        assert_eq!(
            committed(name, command),
            as_saved(&text),
            "{name}.txt is stale: run {command}"
        );
    }
}
/// The one-layer example of the page, checked against the crate's `Dense`
/// layer and `Mse` entry by entry: the page's sums by hand and the matrix
/// code agree.
#[test]
fn the_pages_layer_example_matches_the_dense_layer() {
    let e = LayerExample::page();
    let (layer, a, loss, d_x) = e.by_the_crate().unwrap();
    let close = |p: f32, q: f64| (f64::from(p) - q).abs() < 1e-6;
    assert!(close(loss, e.loss));
    for i in 0..2 {
        for j in 0..2 {
            assert!(close(a[(i, j)], e.a[i][j]), "A[{i}][{j}]");
            assert!(close(d_x[(i, j)], e.d_x[i][j]), "dX[{i}][{j}]");
            assert!(
                close(layer.grad_weights()[(i, j)], e.d_w[i][j]),
                "dW[{i}][{j}]"
            );
        }
        assert!(close(layer.grad_bias()[i], e.d_b[i]), "db[{i}]");
    }
    assert!(e.loss_after < e.loss, "the descent step lowers the loss");
}

/// The network diagram writes every weight and bias of the hand-set XOR
/// network, and refuses a network without layers instead of panicking.
#[test]
fn the_network_diagram_shows_the_hand_set_weights() {
    use ch00_toolbox::figure::svg_string;
    use ch04_backprop::Mlp;
    use ch04_backprop::figures::draw_network_diagram;
    use ch04_backprop::xor::hand_set_xor;
    let mlp = hand_set_xor().unwrap();
    let names: &[&[&str]] = &[&[], &["OR", "AND"], &["XOR"]];
    let svg = svg_string((820, 540), |a| draw_network_diagram(a, &mlp, names, "t")).unwrap();
    for label in ["-0.5", "-1.5", "-1", "OR", "AND", "XOR", "x₁", "x₂"] {
        // plotters writes each text on a line of its own.
        let line = format!(">\n{label}\n<");
        assert!(svg.contains(&line), "{label} missing");
    }
    let empty = Mlp { layers: vec![] };
    assert!(svg_string((100, 100), |a| draw_network_diagram(a, &empty, &[], "t")).is_err());
}
