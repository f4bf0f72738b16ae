//! The order in which `fit` calls callbacks, and what `on_batch_begin` may
//! change, as the `Callback` trait's documentation states them.

use std::cell::RefCell;
use std::rc::Rc;

use ch04_backprop::Activation;
use ch08_sequential::{Dense, LossKind, Metric, Sequential, Sgd, Softmax};
use ch09_training::{
    Callback, Control, Engine, EpochRecord, FitOptions, InMemory, Model, TrainError, Training,
};
use ndarray::Array2;

/// 40 samples of two features, labels 0 and 1.
fn data() -> (Array2<f32>, Vec<u8>) {
    let x = Array2::from_shape_fn((40, 2), |(i, j)| ((i * 7 + j * 3) % 11) as f32 / 11.0);
    let y = (0..40).map(|i| (i % 2) as u8).collect();
    (x, y)
}

fn model(rate: f32) -> Sequential {
    let mut model = Sequential::new(5);
    model
        .add(Dense::new(4, Activation::Relu).with_inputs(2))
        .unwrap()
        .add(Dense::new(2, Softmax))
        .unwrap();
    model
        .compile(
            LossKind::SparseCategoricalCrossEntropy,
            Sgd::new(rate).unwrap(),
            &[Metric::Accuracy],
        )
        .unwrap();
    model
}

/// Writes every call it gets into a log shared with the test.
struct Recorder {
    name: &'static str,
    log: Rc<RefCell<Vec<String>>>,
    stop_at_epoch: Option<usize>,
}

impl Callback for Recorder {
    fn on_batch_begin(&mut self, epoch: usize, step: usize, _optimizer: &mut Sgd) -> Control {
        self.log
            .borrow_mut()
            .push(format!("{} begin {epoch}.{step}", self.name));
        Control::Continue
    }
    fn on_batch_end(&mut self, epoch: usize, step: usize, _loss: f32) -> Control {
        self.log
            .borrow_mut()
            .push(format!("{} end {epoch}.{step}", self.name));
        Control::Continue
    }
    fn on_epoch_end(
        &mut self,
        record: &EpochRecord,
        _model: &mut dyn Model,
    ) -> Result<Control, TrainError> {
        self.log
            .borrow_mut()
            .push(format!("{} epoch {}", self.name, record.epoch));
        Ok(match self.stop_at_epoch {
            Some(e) if e == record.epoch => Control::Stop(format!("{} stops", self.name)),
            _ => Control::Continue,
        })
    }
    fn on_train_end(&mut self, _model: &mut dyn Model) -> Result<(), TrainError> {
        self.log
            .borrow_mut()
            .push(format!("{} train end", self.name));
        Ok(())
    }
}

#[test]
fn callbacks_run_in_the_order_added_and_all_see_every_call() {
    let (x, y) = data();
    let train = InMemory::new(x.view(), &y).unwrap();
    let log = Rc::new(RefCell::new(Vec::new()));
    // The first asks to stop after epoch 2: the second still sees that
    // epoch's end, and both see the end of training.
    let mut a = Recorder {
        name: "a",
        log: log.clone(),
        stop_at_epoch: Some(2),
    };
    let mut b = Recorder {
        name: "b",
        log: log.clone(),
        stop_at_epoch: None,
    };
    let history = model(0.1)
        .fit(
            &train,
            FitOptions::new()
                .epochs(5)
                .batch_size(20)
                .verbose(false)
                .callback(&mut a)
                .callback(&mut b),
        )
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history.stopped.as_deref(), Some("a stops"));
    let mut expected = Vec::new();
    for epoch in 1..=2 {
        for step in 1..=2 {
            for who in ["a", "b"] {
                expected.push(format!("{who} begin {epoch}.{step}"));
            }
            for who in ["a", "b"] {
                expected.push(format!("{who} end {epoch}.{step}"));
            }
        }
        for who in ["a", "b"] {
            expected.push(format!("{who} epoch {epoch}"));
        }
    }
    expected.push("a train end".into());
    expected.push("b train end".into());
    assert_eq!(*log.borrow(), expected);
}

/// Sets the learning rate before every batch, and remembers the rates the
/// optimizer held when it was asked.
struct SetRate {
    rate: f32,
    seen: Vec<f32>,
}

impl Callback for SetRate {
    fn on_batch_begin(&mut self, _epoch: usize, _step: usize, optimizer: &mut Sgd) -> Control {
        self.seen.push(optimizer.learning_rate());
        optimizer.set_learning_rate(self.rate).unwrap();
        Control::Continue
    }
}

/// A rate set in `on_batch_begin` is the rate of that very batch, on both
/// engines: training from rate 0.5 with a callback that sets 0.05 gives the
/// weights of training at 0.05.
#[test]
fn a_rate_set_before_a_batch_is_used_for_that_batch() {
    let (x, y) = data();
    let train = InMemory::new(x.view(), &y).unwrap();
    let engines = if cfg!(debug_assertions) {
        vec![Engine::Clear]
    } else {
        vec![Engine::Clear, Engine::Fast]
    };
    for engine in engines {
        let options = || {
            FitOptions::new()
                .epochs(2)
                .batch_size(10)
                .verbose(false)
                .engine(engine)
        };
        let mut reference = model(0.05);
        reference.fit(&train, options()).unwrap();
        let mut changed = model(0.5);
        let mut set = SetRate {
            rate: 0.05,
            seen: Vec::new(),
        };
        changed.fit(&train, options().callback(&mut set)).unwrap();
        assert_eq!(set.seen.len(), 8, "{engine:?}: one call per batch");
        assert_eq!(
            set.seen[0], 0.5,
            "{engine:?}: the compiled rate comes first"
        );
        assert!(set.seen[1..].iter().all(|&r| r == 0.05), "{engine:?}");
        assert_eq!(changed.get_weights(), reference.get_weights(), "{engine:?}");
    }
}

/// Stops before the third batch's step.
struct StopBefore(usize);

impl Callback for StopBefore {
    fn on_batch_begin(&mut self, _epoch: usize, step: usize, _optimizer: &mut Sgd) -> Control {
        if step == self.0 {
            Control::Stop(format!("before batch {step}"))
        } else {
            Control::Continue
        }
    }
}

/// Stops after the second batch's step.
struct StopAfterTwo;

impl Callback for StopAfterTwo {
    fn on_batch_end(&mut self, _epoch: usize, step: usize, _loss: f32) -> Control {
        if step == 2 {
            Control::Stop("after batch 2".into())
        } else {
            Control::Continue
        }
    }
}

/// A stop asked in `on_batch_begin` comes before that batch's step: the
/// weights are those after two batches (the same shuffle, seeded, gives
/// both runs the same first two batches).
#[test]
fn a_stop_before_a_batch_skips_its_step() {
    let (x, y) = data();
    let train = InMemory::new(x.view(), &y).unwrap();
    let mut after_two = model(0.1);
    let mut stop_after = StopAfterTwo;
    after_two
        .fit(
            &train,
            FitOptions::new()
                .epochs(1)
                .batch_size(10)
                .verbose(false)
                .callback(&mut stop_after),
        )
        .unwrap();
    let mut before_three = model(0.1);
    let mut stop_before = StopBefore(3);
    let history = before_three
        .fit(
            &train,
            FitOptions::new()
                .epochs(1)
                .batch_size(10)
                .verbose(false)
                .callback(&mut stop_before),
        )
        .unwrap();
    assert_eq!(history.stopped.as_deref(), Some("before batch 3"));
    assert_eq!(before_three.get_weights(), after_two.get_weights());
    assert_ne!(before_three.get_weights(), model(0.1).get_weights());
}
