//! Regenerates the figures of chapter 1:
//! `cargo run -p ch01-neurons --example figures`.

use ch00_toolbox::figure::{figures_dir, save_svg};
use ch01_neurons::biology::{Membrane, example_inputs};
use ch01_neurons::figures::{
    draw_membrane, draw_network, draw_neuron, draw_truth_tables, draw_unit_step,
};
use ch01_neurons::{LogicFunction, Network, TruthTable, gates};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = figures_dir(env!("CARGO_MANIFEST_DIR"), "ch01-neurons");
    let write = |name: &str| {
        let path = dir.join(name);
        println!("wrote {}", path.display());
        path
    };

    // A closure rather than `draw_neuron` itself: it stays generic over the
    // lifetime of the SVG backend, which the function item is not.
    #[allow(clippy::redundant_closure)]
    save_svg(write("neuron.svg"), (960, 480), |a| draw_neuron(a))?;

    let membrane = Membrane::default();
    let inputs = example_inputs();
    let trace = membrane.simulate(&inputs, 150.0, 0.5)?;
    save_svg(write("membrane.svg"), (900, 460), |a| {
        let notes = [
            (12.0, "one input"),
            (45.0, "two, 20 ms apart"),
            (83.0, "three within 2 ms"),
            (126.0, "three, one inhibitory"),
        ];
        draw_membrane(
            a,
            &trace,
            &inputs,
            membrane.threshold_mv,
            membrane.resting_mv,
            &notes,
        )
    })?;

    save_svg(write("unit-step.svg"), (800, 420), |a| draw_unit_step(a, 2))?;

    let (identity, not, and, or, and_not) = (
        gates::identity(),
        gates::not(),
        gates::and(2)?,
        gates::or(2)?,
        gates::and_not(),
    );
    let xor = Network::xor();
    let panels: [(&str, &dyn LogicFunction); 6] = [
        ("identity (θ = 1)", &identity),
        ("NOT (inhibitory, θ = 0)", &not),
        ("AND (θ = 2)", &and),
        ("OR (θ = 1)", &or),
        ("x₁ AND NOT x₂ (θ = 1)", &and_not),
        ("XOR (two layers)", &xor),
    ];
    save_svg(write("gates.svg"), (900, 560), |a| {
        draw_truth_tables(a, &panels)
    })?;

    save_svg(write("xor-network.svg"), (900, 440), |a| {
        draw_network(
            a,
            &xor,
            "XOR from threshold units: two row detectors and an OR",
        )
    })?;

    let table = TruthTable::from_fn(3, |x| x.iter().filter(|&&b| b).count() % 2 == 1)?;
    let parity = Network::from_truth_table(&table);
    save_svg(write("parity-network.svg"), (900, 500), |a| {
        draw_network(
            a,
            &parity,
            "Odd parity of three inputs in disjunctive normal form",
        )
    })?;
    Ok(())
}
