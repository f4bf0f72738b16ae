//! Whatever a caller hands the chapter's public functions, the answer is
//! `Ok` or an error, never a panic.

use ch04_backprop::descent::one_weight_steps;
use ch04_backprop::{Activation, Dense, Init, Mlp, Mse, Sgd};
use hostile_inputs::{any_matrix, any_size, any_value};
use ndarray::{Array1, Array2};
use proptest::prelude::*;

#[test]
fn a_layer_too_large_to_hold_is_an_error() {
    // Before, ndarray panicked: "Shape too large, product of non-zero axis
    // lengths overflows isize".
    let mut rng = ch00_toolbox::seeded_rng(0);
    for (i, o) in [(usize::MAX, 10), (10, usize::MAX), (1 << 20, 1 << 20)] {
        let err = Dense::new(i, o, Activation::Relu, Init::GlorotUniform, &mut rng).unwrap_err();
        assert!(err.to_string().contains("more than"), "{err}");
        assert!(Init::HeNormal.weights(i, o, &mut rng).is_err());
    }
}

fn activation() -> impl Strategy<Value = Activation> {
    (0usize..5).prop_map(|i| Activation::ALL[i])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn layers_networks_and_training_never_panic(
        n_in in any_size(),
        n_out in any_size(),
        x in any_matrix(),
        y in any_matrix(),
        w in any_matrix(),
        f in activation(),
        lr in any_value(),
        batch in any_size(),
        a in any_value(),
    ) {
        let mut rng = ch00_toolbox::seeded_rng(1);
        let _ = Init::Uniform(a).weights(n_in.min(8), n_out.min(8), &mut rng);
        let _ = Sgd::new(lr);
        let layer = Dense::new(n_in, n_out, f, Init::GlorotUniform, &mut rng);
        let custom = Dense::from_parameters(w.clone(), Array1::zeros(w.ncols()), f);
        for mut layer in [layer, custom].into_iter().flatten() {
            let _ = layer.predict(x.view());
            let _ = layer.backward(y.view());
            let _ = layer.forward(x.view());
            let _ = layer.backward(y.view());
            layer.weights = w.clone(); // public fields may change at any time
            let _ = layer.forward(x.view());
            let _ = layer.backward(y.view());
            if let Ok(mut mlp) = Mlp::new(vec![layer]) {
                let _ = mlp.predict(x.view());
                let _ = mlp.backward(y.view());
                if let Ok(sgd) = Sgd::new(lr) {
                    let _ = mlp.train_batch(x.view(), y.view(), &Mse, &sgd);
                    let _ = mlp.fit_epoch(x.view(), y.view(), batch, &Mse, &sgd, &mut rng);
                }
            }
        }
        let _ = Mlp::new(Vec::new());
        let _ = one_weight_steps(f64::from(a), 1.0, 0.5, f64::from(lr), n_in.min(50));
        let _: Array2<f32> = f.derivative(x.view());
    }
}
