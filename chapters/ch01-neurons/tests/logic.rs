//! What a reader would check: every gate, and that networks of threshold
//! units compute every Boolean function (disjunctive normal form).

use ch00_toolbox::seeded_rng;
use ch01_neurons::{LogicFunction, Network, NeuronError, TruthTable, gates};
use rand::Rng;

/// Every truth table over `n` inputs: function number `k` outputs bit `r`
/// of `k` on row `r`.
fn all_tables(n: usize) -> impl Iterator<Item = TruthTable> {
    let rows = 1usize << n;
    (0..1u64 << rows).map(move |k| {
        let outputs = (0..rows).map(|r| (k >> r) & 1 == 1).collect();
        TruthTable::new(n, outputs).unwrap()
    })
}

#[test]
fn every_gate_matches_its_truth_table() {
    let cases: [(&str, &dyn LogicFunction, &[bool]); 5] = [
        ("identity", &gates::identity(), &[false, true]),
        ("NOT", &gates::not(), &[true, false]),
        ("AND", &gates::and(2).unwrap(), &[false, false, false, true]),
        ("OR", &gates::or(2).unwrap(), &[false, true, true, true]),
        ("AND NOT", &gates::and_not(), &[false, false, true, false]),
    ];
    for (name, gate, expected) in cases {
        let table = TruthTable::of(gate).unwrap();
        assert_eq!(table.outputs(), expected, "{name}");
    }
}

#[test]
fn xor_needs_two_layers_and_gets_them() {
    let table = TruthTable::of(&Network::xor()).unwrap();
    assert_eq!(table, TruthTable::from_fn(2, |x| x[0] ^ x[1]).unwrap());
}

#[test]
fn dnf_networks_compute_every_function_of_up_to_three_inputs() {
    let mut count = 0;
    for n in 0..=3 {
        for table in all_tables(n) {
            let network = Network::from_truth_table(&table);
            assert_eq!(network.layers().len(), 2);
            assert_eq!(TruthTable::of(&network).unwrap(), table);
            count += 1;
        }
    }
    assert_eq!(count, 2 + 4 + 16 + 256);
}

#[test]
fn dnf_networks_compute_parity_and_random_tables_of_more_inputs() {
    for n in 4..=6 {
        let parity = TruthTable::from_fn(n, |x| x.iter().filter(|&&b| b).count() % 2 == 1).unwrap();
        assert_eq!(
            TruthTable::of(&Network::from_truth_table(&parity)).unwrap(),
            parity
        );
    }
    let mut rng = seeded_rng(1943);
    for _ in 0..100 {
        let outputs: Vec<bool> = (0..32).map(|_| rng.random()).collect();
        let table = TruthTable::new(5, outputs).unwrap();
        assert_eq!(
            TruthTable::of(&Network::from_truth_table(&table)).unwrap(),
            table
        );
    }
}

#[test]
fn a_dnf_network_has_one_hidden_unit_per_true_row() {
    let majority = TruthTable::from_fn(3, |x| x.iter().filter(|&&b| b).count() >= 2).unwrap();
    let network = Network::from_truth_table(&majority);
    assert_eq!(network.layers()[0].len(), 4);
    assert_eq!(network.n_outputs(), 1);
}

#[test]
fn wrong_input_lengths_are_errors_not_panics() {
    let net = Network::xor();
    assert_eq!(
        net.evaluate(&[true, false, true]),
        Err(NeuronError::InputLength {
            what: "this network".into(),
            expected: 2,
            found: 3
        })
    );
    assert!(gates::and(3).unwrap().fire(&[true]).is_err());
}
