//! The overfitting experiment shows what the page says it shows: the
//! validation loss turns up while the training loss keeps falling.

use ch05_regression::overfitting::{OverfitConfig, overfit};

#[test]
fn validation_loss_turns_up_while_training_loss_keeps_falling() {
    let config = OverfitConfig::default();
    let run = overfit(&config).unwrap();
    let best = run.best;
    let end = *run.curve.last().unwrap();
    assert_eq!(end.epoch, config.epochs);
    // The best validation loss comes early, in the first quarter of training.
    assert!(best.epoch < config.epochs / 4, "best at {best:?}");
    // Afterwards the training loss goes on falling…
    assert!(end.train < 0.6 * best.train, "{best:?} → {end:?}");
    // …below the noise itself (variance 0.3² = 0.09): the fit follows the noise…
    assert!(end.train < 0.5 * config.noise * config.noise, "{end:?}");
    // …while the validation loss more than doubles.
    assert!(end.valid > 2.0 * best.valid, "{best:?} → {end:?}");
    // Early on, the network underfits: both losses are high.
    let early = run.curve.iter().find(|p| p.epoch == 2000).unwrap();
    assert!(early.train > 0.15 && early.valid > 0.25, "{early:?}");
    // Three snapshots: early, best, end.
    let epochs: Vec<_> = run.snapshots.iter().map(|s| s.epoch).collect();
    assert_eq!(epochs, vec![config.epochs / 100, best.epoch, config.epochs]);
}

#[test]
fn bad_settings_are_errors() {
    let few = OverfitConfig {
        train_points: 1,
        ..OverfitConfig::default()
    };
    assert!(overfit(&few).is_err());
    let noisy = OverfitConfig {
        noise: f32::NAN,
        ..OverfitConfig::default()
    };
    assert!(overfit(&noisy).is_err());
    let zero_rate = OverfitConfig {
        learning_rate: 0.0,
        epochs: 10,
        ..OverfitConfig::default()
    };
    assert!(overfit(&zero_rate).is_err());
}

#[test]
fn the_figure_shows_both_losses_the_best_epoch_and_every_training_point() {
    use ch00_toolbox::figure::svg_string;
    use ch05_regression::figures::draw_overfitting;
    let config = OverfitConfig {
        epochs: 400,
        record_every: 20,
        ..OverfitConfig::default()
    };
    let run = overfit(&config).unwrap();
    let svg = svg_string((1100, 460), |a| draw_overfitting(a, &run)).unwrap();
    assert!(svg.contains("12 noisy points"));
    assert!(svg.contains("validation") && svg.contains("overfitting →"));
    assert!(svg.contains(&format!("epoch {}", run.best.epoch)));
    // Twelve training points and the dot in the legend.
    assert_eq!(svg.matches("<circle").count(), 12 + 1);
}
