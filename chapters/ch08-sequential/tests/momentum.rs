//! Momentum does what the chapter says: in a narrow valley, at the same
//! learning rate, it reaches a low loss in far fewer steps than plain SGD.

use ch08_sequential::momentum::descend;

#[test]
fn momentum_reaches_a_low_loss_in_a_fifth_of_the_steps() {
    let plain = descend(0.4, 0.0, 500).unwrap();
    let momentum = descend(0.4, 0.9, 500).unwrap();
    let slow = plain
        .steps_to(1e-3)
        .expect("plain SGD gets there within 500 steps");
    let fast = momentum.steps_to(1e-3).expect("momentum gets there");
    assert!(slow >= 400, "plain SGD took {slow} steps");
    assert!(5 * fast < slow, "momentum {fast} steps, plain {slow}");
    // After 100 steps plain SGD is still above 0.1, momentum below 1e-4.
    assert!(plain.losses[100] > 0.1, "{}", plain.losses[100]);
    assert!(momentum.losses[100] < 1e-4, "{}", momentum.losses[100]);
}

#[test]
fn plain_sgd_crawls_along_the_floor_at_the_rate_the_curvature_predicts() {
    // Along w₂ the curvature is 0.02, so each step keeps 1 − 0.4·0.02 = 0.992
    // of the distance to the bottom, and 0.992² of the loss.
    let plain = descend(0.4, 0.0, 500).unwrap();
    let ratio = (plain.losses[400] / plain.losses[300]).powf(0.01);
    assert!((ratio - 0.992f32.powi(2)).abs() < 1e-4, "{ratio}");
}

#[test]
fn both_runs_start_from_the_same_weights_and_the_same_loss() {
    let plain = descend(0.4, 0.0, 3).unwrap();
    let momentum = descend(0.4, 0.9, 3).unwrap();
    assert_eq!(plain.path[0], momentum.path[0]);
    assert_eq!(plain.losses[..2], momentum.losses[..2]);
    assert_ne!(plain.losses[2], momentum.losses[2]);
}

#[test]
fn the_figure_names_the_steps_each_run_needed() {
    use ch00_toolbox::figure::svg_string;
    use ch08_sequential::figures::draw_momentum;
    let runs = [
        descend(0.4, 0.0, 500).unwrap(),
        descend(0.4, 0.9, 500).unwrap(),
    ];
    let svg = svg_string((1100, 480), |a| draw_momentum(a, &runs, 1e-3, 60)).unwrap();
    for run in &runs {
        let steps = run.steps_to(1e-3).unwrap();
        assert!(svg.contains(&format!("{steps} steps to loss")), "{steps}");
    }
    assert!(svg.contains("plain SGD (μ = 0)") && svg.contains("momentum μ = 0.9"));
}
