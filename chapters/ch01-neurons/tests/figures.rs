//! The figures draw, carry their titles, and refuse what they cannot show.

use ch00_toolbox::figure::svg_string;
use ch01_neurons::biology::{Membrane, example_inputs};
use ch01_neurons::figures::{
    describe, draw_membrane, draw_network, draw_neuron, draw_truth_tables, draw_unit_step,
};
use ch01_neurons::{LogicFunction, Network, TruthTable, gates};

#[test]
// The closures stay generic over the SVG backend's lifetime; the bare
// function items would not.
#[allow(clippy::redundant_closure)]
fn each_figure_draws_with_its_title() {
    let svg = svg_string((960, 480), |a| draw_neuron(a)).unwrap();
    assert!(svg.contains("A biological neuron") && svg.contains("axon hillock"));

    let m = Membrane::default();
    let trace = m.simulate(&example_inputs(), 150.0, 0.5).unwrap();
    let svg = svg_string((900, 460), |a| {
        draw_membrane(
            a,
            &trace,
            &example_inputs(),
            m.threshold_mv,
            m.resting_mv,
            &[],
        )
    })
    .unwrap();
    assert!(svg.contains("membrane potential (mV)") && svg.contains("spike"));

    let svg = svg_string((800, 420), |a| draw_unit_step(a, 2)).unwrap();
    assert!(svg.contains("θ = 2"));

    let svg = svg_string((900, 440), |a| draw_network(a, &Network::xor(), "XOR")).unwrap();
    assert!(svg.contains("h₁ = x₁ AND NOT x₂") && svg.contains("y = h₁ OR h₂"));
}

#[test]
fn truth_table_figure_shows_one_cell_per_row() {
    let and = gates::and(2).unwrap();
    let not = gates::not();
    let panels: [(&str, &dyn LogicFunction); 2] = [("AND", &and), ("NOT", &not)];
    let svg = svg_string((600, 300), |a| draw_truth_tables(a, &panels)).unwrap();
    // 4 + 2 cells, each a filled and an outlined rectangle, plus 2 key swatches.
    assert_eq!(svg.matches("<rect").count(), 1 + 2 * 6 + 2);
}

#[test]
fn a_three_input_function_cannot_be_a_panel() {
    let and3 = gates::and(3).unwrap();
    let panels: [(&str, &dyn LogicFunction); 1] = [("AND3", &and3)];
    let err = svg_string((600, 300), |a| draw_truth_tables(a, &panels)).unwrap_err();
    assert!(err.to_string().contains("not 3"));
}

#[test]
fn descriptions_name_the_logic_of_each_unit() {
    let names = |n: usize| (1..=n).map(|i| format!("x{i}")).collect::<Vec<_>>();
    assert_eq!(describe(&gates::and(2).unwrap(), &names(2)), "x1 AND x2");
    assert_eq!(
        describe(&gates::or(3).unwrap(), &names(3)),
        "x1 OR x2 OR x3"
    );
    assert_eq!(describe(&gates::not(), &names(1)), "NOT x1");
    let table = TruthTable::from_fn(2, |x| !x[0] && !x[1]).unwrap();
    let net = Network::from_truth_table(&table);
    assert_eq!(
        describe(&net.layers()[0][0].unit, &names(2)),
        "NOT x1 AND NOT x2"
    );
}
