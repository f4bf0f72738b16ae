//! `Functional`: a model built from a graph of layers.
//!
//! [`Functional::build`] checks a [`GraphSpec`] (names, loops, shapes, what
//! each output depends on), puts the layers in an order where every layer
//! comes after the tensors it reads (a *topological order*), and builds chapter
//! 8's `Dense` layers with their initial weights. Training then walks that
//! order forward, and backward in reverse, adding up the gradients of a
//! tensor that feeds several layers.

use std::collections::{HashMap, HashSet};

use ch00_toolbox::seeded_rng;
use ch04_backprop::NetError;
use ch08_sequential::layer::{Layer, named_parameters, set_layer_weights};
use ch08_sequential::{Dense, LossKind, Metric, Sgd, Targets};
use ndarray::{Array2, ArrayView2, Axis, Slice};

use crate::error::GraphError;
use crate::spec::{GraphSpec, LayerKind, activation_named};

/// What a node of the built graph computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// The model's input number `index`.
    Input {
        /// Which input (in the order of the spec's inputs).
        index: usize,
    },
    /// The dense layer number `layer` of [`Functional::layers`].
    Dense {
        /// Which layer.
        layer: usize,
    },
    /// Its inputs side by side.
    Concatenate,
    /// The sum of its inputs.
    Add,
}

/// A node of the built graph: an input or a layer, in topological order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Its name.
    pub name: String,
    /// What it computes.
    pub op: Op,
    /// The nodes it reads, by position in [`Functional::nodes`]; all come
    /// before it.
    pub inputs: Vec<usize>,
    /// The number of values per sample it outputs.
    pub width: usize,
}

/// A loss on one output and its weight in the total.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OutputLoss {
    /// The loss.
    pub loss: LossKind,
    /// Its weight in the total loss.
    pub weight: f32,
}

/// What [`Functional::compile`] stored.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphCompiled {
    /// One loss per output, in the order of the outputs.
    pub losses: Vec<OutputLoss>,
    /// The optimizer.
    pub optimizer: Sgd,
    /// The metrics, measured on the first (main) output.
    pub metrics: Vec<Metric>,
}

// ANCHOR: functional
/// A model whose layers form a graph: several inputs, layers applied to the
/// outputs of other layers, several outputs.
#[derive(Debug)]
pub struct Functional {
    spec: GraphSpec,
    /// Inputs first, then the layers in topological order.
    nodes: Vec<Node>,
    /// The dense layers, in the order of `nodes`: the optimizer steps them.
    layers: Vec<Box<dyn Layer>>,
    /// The output nodes, main output first.
    outputs: Vec<usize>,
    compiled: Option<GraphCompiled>,
}
// ANCHOR_END: functional

fn not_compiled() -> NetError {
    NetError::InvalidArgument(
        "the model is not compiled: call compile(losses, optimizer, metrics) first".into(),
    )
}

impl Functional {
    // ANCHOR: build
    /// Checks `spec` and builds it, drawing the initial weights of its
    /// dense layers from a generator seeded with `seed`, layer after layer
    /// in topological order. Every mistake of the description is an error
    /// here, before any training.
    pub fn build(spec: GraphSpec, seed: u64) -> Result<Functional, GraphError> {
        let by_name = check_names(&spec)?;
        let order = topological_order(&spec, &by_name)?;
        check_use(&spec, &by_name)?;
        let mut rng = seeded_rng(seed);
        let mut nodes: Vec<Node> = spec
            .inputs
            .iter()
            .enumerate()
            .map(|(index, input)| Node {
                name: input.name.clone(),
                op: Op::Input { index },
                inputs: Vec::new(),
                width: input.width,
            })
            .collect();
        let mut position: HashMap<&str, usize> = spec
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| (input.name.as_str(), i))
            .collect();
        let mut layers: Vec<Box<dyn Layer>> = Vec::new();
        for &l in &order {
            let layer = &spec.layers[l];
            let inputs: Vec<usize> = layer.inputs.iter().map(|n| position[n.as_str()]).collect();
            let widths: Vec<usize> = inputs.iter().map(|&i| nodes[i].width).collect();
            let (op, width) = build_layer(layer, &widths, &mut layers, &mut rng)?;
            position.insert(&layer.name, nodes.len());
            nodes.push(Node {
                name: layer.name.clone(),
                op,
                inputs,
                width,
            });
        }
        let outputs = spec.outputs.iter().map(|n| position[n.as_str()]).collect();
        Ok(Functional {
            spec,
            nodes,
            layers,
            outputs,
            compiled: None,
        })
    }
    // ANCHOR_END: build

    /// The description the model was built from.
    pub fn spec(&self) -> &GraphSpec {
        &self.spec
    }

    /// The model's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// The nodes, inputs first, then the layers in topological order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The dense layers, in topological order.
    pub fn layers(&self) -> &[Box<dyn Layer>] {
        &self.layers
    }

    /// The output nodes (positions in [`Functional::nodes`]), main first.
    pub fn output_nodes(&self) -> &[usize] {
        &self.outputs
    }

    /// The inputs' names and widths, in order.
    pub fn input_layout(&self) -> Vec<(String, usize)> {
        self.spec
            .inputs
            .iter()
            .map(|i| (i.name.clone(), i.width))
            .collect()
    }

    /// The outputs' names and widths, in order.
    pub fn output_layout(&self) -> Vec<(String, usize)> {
        self.outputs
            .iter()
            .map(|&o| (self.nodes[o].name.clone(), self.nodes[o].width))
            .collect()
    }

    /// The number of learned numbers.
    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(|l| l.parameter_count()).sum()
    }

    /// The name of the node that holds dense layer `layer`.
    pub(crate) fn layer_name(&self, layer: usize) -> &str {
        self.nodes
            .iter()
            .find(|n| n.op == Op::Dense { layer })
            .map_or("", |n| n.name.as_str())
    }

    // ANCHOR: compile
    /// Fixes one loss and weight per output (in the order of the outputs),
    /// the optimizer, and the metrics, which are measured on the main
    /// output. Cross-entropy needs an output that is a softmax layer read
    /// by no other layer (its gradient is taken on the logits).
    pub fn compile(
        &mut self,
        losses: &[(LossKind, f32)],
        optimizer: Sgd,
        metrics: &[Metric],
    ) -> Result<&mut Self, NetError> {
        let compiled = GraphCompiled {
            losses: losses
                .iter()
                .map(|&(loss, weight)| OutputLoss { loss, weight })
                .collect(),
            optimizer,
            metrics: metrics.to_vec(),
        };
        self.check_settings(&compiled)?;
        self.compiled = Some(compiled);
        Ok(self)
    }
    // ANCHOR_END: compile

    /// What `compile` stored, if it was called.
    pub fn compiled(&self) -> Option<&GraphCompiled> {
        self.compiled.as_ref()
    }

    /// What `compile` stored, writable; checked again when training starts.
    pub fn compiled_mut(&mut self) -> Option<&mut GraphCompiled> {
        self.compiled.as_mut()
    }

    fn check_settings(&self, c: &GraphCompiled) -> Result<(), NetError> {
        c.optimizer.validate()?;
        if c.losses.len() != self.outputs.len() {
            return Err(NetError::InvalidArgument(format!(
                "the model has {} outputs ({}) but {} losses were given: one loss per output",
                self.outputs.len(),
                self.spec.outputs.join(", "),
                c.losses.len()
            )));
        }
        for (k, (o, &node)) in c.losses.iter().zip(&self.outputs).enumerate() {
            let name = &self.nodes[node].name;
            if !(o.weight.is_finite() && o.weight >= 0.0) {
                return Err(NetError::InvalidArgument(format!(
                    "the loss weight of output '{name}' is {}: it must be a finite number ≥ 0",
                    o.weight
                )));
            }
            if k == 0 {
                ch08_sequential::compile::check_loss_and_metrics(o.loss, &c.metrics)?;
            } else {
                ch08_sequential::compile::check_loss_and_metrics(o.loss, &[])?;
            }
            if o.loss.uses_logits() && !self.is_softmax_end(node) {
                return Err(NetError::InvalidArgument(format!(
                    "{} on output '{name}' needs a Dense softmax layer that no other layer reads",
                    o.loss.name()
                )));
            }
        }
        Ok(())
    }

    /// Whether `node` is a softmax dense layer that no other node reads.
    fn is_softmax_end(&self, node: usize) -> bool {
        let softmax = match self.nodes[node].op {
            Op::Dense { layer } => self.layers[layer].ends_with_softmax(),
            _ => false,
        };
        softmax && !self.nodes.iter().any(|n| n.inputs.contains(&node))
    }

    /// What `compile` stored, checked again.
    pub fn checked_compiled(&self) -> Result<&GraphCompiled, NetError> {
        let c = self.compiled.as_ref().ok_or_else(not_compiled)?;
        self.check_settings(c)?;
        Ok(c)
    }

    /// Splits a batch whose rows hold all inputs side by side into one
    /// matrix per input.
    fn split_inputs<'a>(
        &self,
        x: ArrayView2<'a, f32>,
    ) -> Result<Vec<ArrayView2<'a, f32>>, NetError> {
        let width: usize = self.spec.inputs.iter().map(|i| i.width).sum();
        if x.nrows() == 0 {
            return Err(NetError::EmptyBatch);
        }
        if x.ncols() != width {
            return Err(NetError::shape(
                "input of the model (all inputs side by side)",
                &[0, width],
                x.shape(),
            ));
        }
        let mut start = 0;
        Ok(self
            .spec
            .inputs
            .iter()
            .map(|i| {
                let part = x.slice_axis_move(Axis(1), Slice::from(start..start + i.width));
                start += i.width;
                part
            })
            .collect())
    }

    // ANCHOR: forward
    /// The value of every node for a batch, in topological order; the
    /// layers remember what `backward` needs. `logits` marks the nodes whose
    /// value is wanted before their softmax.
    fn run(
        &mut self,
        inputs: &[ArrayView2<f32>],
        logits: &[usize],
    ) -> Result<Vec<Array2<f32>>, NetError> {
        let layers = &mut self.layers;
        Self::evaluate(&self.nodes, inputs, |i, layer, x| {
            let layer = &mut layers[layer];
            if logits.contains(&i) {
                layer.forward_logits(x)
            } else {
                layer.forward(x)
            }
        })
    }

    /// The walk itself: each node's value from the values before it.
    /// `dense(i, layer, x)` is the value of node `i`, the dense layer number
    /// `layer` applied to `x`; the caller says whether it remembers.
    fn evaluate(
        nodes: &[Node],
        inputs: &[ArrayView2<f32>],
        mut dense: impl FnMut(usize, usize, ArrayView2<f32>) -> Result<Array2<f32>, NetError>,
    ) -> Result<Vec<Array2<f32>>, NetError> {
        let mut values: Vec<Array2<f32>> = Vec::with_capacity(nodes.len());
        for (i, node) in nodes.iter().enumerate() {
            let value = match node.op {
                Op::Input { index } => inputs[index].to_owned(),
                Op::Dense { layer } => dense(i, layer, values[node.inputs[0]].view())?,
                Op::Concatenate => {
                    let parts: Vec<_> = node.inputs.iter().map(|&j| values[j].view()).collect();
                    ndarray::concatenate(Axis(1), &parts)
                        .map_err(|e| NetError::InvalidArgument(e.to_string()))?
                }
                Op::Add => {
                    let mut sum = values[node.inputs[0]].clone();
                    for &j in &node.inputs[1..] {
                        sum += &values[j];
                    }
                    sum
                }
            };
            values.push(value);
        }
        Ok(values)
    }
    // ANCHOR_END: forward

    /// The same forward pass without remembering anything (inference).
    fn run_predict(
        &self,
        inputs: &[ArrayView2<f32>],
        logits: &[usize],
    ) -> Result<Vec<Array2<f32>>, NetError> {
        Self::evaluate(&self.nodes, inputs, |i, layer, x| {
            let layer = &self.layers[layer];
            if logits.contains(&i) {
                layer.predict_logits(x)
            } else {
                layer.predict(x)
            }
        })
    }

    // ANCHOR: backward
    /// Backpropagation on the graph: from `dL/d(output)` for each output,
    /// walks the nodes in reverse topological order. A node read by several
    /// layers receives a gradient from each: they are *added*, as the chain
    /// rule sums over every path from a value to the loss.
    fn backward(
        &mut self,
        output_grads: Vec<(usize, Array2<f32>)>,
        logits: &[usize],
    ) -> Result<(), NetError> {
        let mut grads: Vec<Option<Array2<f32>>> = vec![None; self.nodes.len()];
        for (node, g) in output_grads {
            accumulate(&mut grads[node], g);
        }
        for i in (0..self.nodes.len()).rev() {
            let Some(g) = grads[i].take() else { continue };
            let node = &self.nodes[i];
            match node.op {
                Op::Input { .. } => {}
                Op::Dense { layer } => {
                    let layer = &mut self.layers[layer];
                    let gx = if logits.contains(&i) {
                        layer.backward_logits(g.view())?
                    } else {
                        layer.backward(g.view())?
                    };
                    accumulate(&mut grads[node.inputs[0]], gx);
                }
                Op::Concatenate => {
                    let mut start = 0;
                    for &j in &node.inputs {
                        let w = self.nodes[j].width;
                        let part = g
                            .slice_axis(Axis(1), Slice::from(start..start + w))
                            .to_owned();
                        accumulate(&mut grads[j], part);
                        start += w;
                    }
                }
                Op::Add => {
                    for &j in &node.inputs {
                        accumulate(&mut grads[j], g.clone());
                    }
                }
            }
        }
        Ok(())
    }
    // ANCHOR_END: backward

    /// The output nodes whose loss is taken on logits.
    fn logit_outputs(&self, compiled: &GraphCompiled) -> Vec<usize> {
        self.outputs
            .iter()
            .zip(&compiled.losses)
            .filter(|(_, o)| o.loss.uses_logits())
            .map(|(&n, _)| n)
            .collect()
    }

    /// The outputs of the model for a batch, one matrix per input given
    /// (in the order of the model's inputs), one matrix per output.
    pub fn predict(&self, inputs: &[ArrayView2<f32>]) -> Result<Vec<Array2<f32>>, NetError> {
        if inputs.len() != self.spec.inputs.len() {
            return Err(NetError::shape(
                "list of inputs",
                &[self.spec.inputs.len()],
                &[inputs.len()],
            ));
        }
        for (x, spec) in inputs.iter().zip(&self.spec.inputs) {
            if x.nrows() == 0 {
                return Err(NetError::EmptyBatch);
            }
            if x.ncols() != spec.width {
                return Err(NetError::shape(
                    format!("input '{}'", spec.name),
                    &[0, spec.width],
                    x.shape(),
                ));
            }
        }
        let mut values = self.run_predict(inputs, &[])?;
        Ok(self
            .outputs
            .iter()
            .map(|&o| std::mem::take(&mut values[o]))
            .collect())
    }

    /// Splits targets given side by side (one block of columns per output)
    /// into one `Targets` per output.
    fn split_targets<'t>(
        &self,
        targets: Targets<'t>,
        rows: usize,
    ) -> Result<Vec<Targets<'t>>, NetError> {
        targets.check(rows)?;
        match targets {
            Targets::Labels(_) if self.outputs.len() == 1 => Ok(vec![targets]),
            Targets::Labels(_) => Err(NetError::InvalidArgument(format!(
                "class labels can train a model of one output only; this one has {}",
                self.outputs.len()
            ))),
            Targets::Values(y) => {
                let layout = self.output_layout();
                let width: usize = layout.iter().map(|(_, w)| w).sum();
                if y.ncols() != width {
                    return Err(NetError::shape(
                        "targets (all outputs side by side)",
                        &[rows, width],
                        y.shape(),
                    ));
                }
                let mut start = 0;
                Ok(layout
                    .iter()
                    .map(|&(_, w)| {
                        let part = y.slice_axis_move(Axis(1), Slice::from(start..start + w));
                        start += w;
                        Targets::Values(part)
                    })
                    .collect())
            }
        }
    }

    // ANCHOR: train_on_batch
    /// One step of training on a batch whose rows hold all inputs side by
    /// side, with targets side by side in the order of the outputs. Returns
    /// the weighted total loss, the metrics of the main output, and each
    /// output's own loss, measured before the step.
    pub fn train_on_batch(
        &mut self,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<(ch08_sequential::BatchResult, Vec<f32>), NetError> {
        let compiled = self.checked_compiled()?.clone();
        let inputs = self.split_inputs(x)?;
        let targets = self.split_targets(targets, x.nrows())?;
        let logits = self.logit_outputs(&compiled);
        let values = self.run(&inputs, &logits)?;
        let mut total = 0.0;
        let mut losses = Vec::with_capacity(self.outputs.len());
        let mut grads = Vec::with_capacity(self.outputs.len());
        for ((&node, o), &t) in self.outputs.iter().zip(&compiled.losses).zip(&targets) {
            let (loss, grad) = o.loss.value_and_gradient(values[node].view(), t)?;
            total += o.weight * loss;
            losses.push(loss);
            grads.push((node, grad * o.weight));
        }
        let main = values[self.outputs[0]].view();
        let (accuracy, mae) = metrics(&compiled.metrics, main, targets[0])?;
        self.backward(grads, &logits)?;
        let compiled = self.compiled.as_mut().ok_or_else(not_compiled)?;
        compiled.optimizer.step(&mut self.layers)?;
        Ok((
            ch08_sequential::BatchResult {
                loss: total,
                accuracy,
                mae,
                samples: x.nrows(),
            },
            losses,
        ))
    }
    // ANCHOR_END: train_on_batch

    /// The losses and metrics on a batch, without training.
    pub fn test_on_batch(
        &self,
        x: ArrayView2<f32>,
        targets: Targets<'_>,
    ) -> Result<(ch08_sequential::BatchResult, Vec<f32>), NetError> {
        let compiled = self.checked_compiled()?;
        let inputs = self.split_inputs(x)?;
        let targets = self.split_targets(targets, x.nrows())?;
        let logits = self.logit_outputs(compiled);
        let values = self.run_predict(&inputs, &logits)?;
        let mut total = 0.0;
        let mut losses = Vec::with_capacity(self.outputs.len());
        for ((&node, o), &t) in self.outputs.iter().zip(&compiled.losses).zip(&targets) {
            let loss = o.loss.value(values[node].view(), t)?;
            total += o.weight * loss;
            losses.push(loss);
        }
        let main = values[self.outputs[0]].view();
        let (accuracy, mae) = metrics(&compiled.metrics, main, targets[0])?;
        Ok((
            ch08_sequential::BatchResult {
                loss: total,
                accuracy,
                mae,
                samples: x.nrows(),
            },
            losses,
        ))
    }

    /// The outputs for a batch whose rows hold all inputs side by side, all
    /// outputs side by side.
    pub fn predict_packed(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NetError> {
        let inputs = self.split_inputs(x)?;
        let values = self.run_predict(&inputs, &[])?;
        let parts: Vec<_> = self.outputs.iter().map(|&o| values[o].view()).collect();
        ndarray::concatenate(Axis(1), &parts).map_err(|e| NetError::InvalidArgument(e.to_string()))
    }

    /// Every learned tensor with its name (`hidden1.weight`), in
    /// topological order.
    pub fn parameters(&self) -> Vec<(String, ndarray::ArrayViewD<'_, f32>)> {
        let names = (0..self.layers.len()).map(|k| self.layer_name(k));
        named_parameters(names.zip(self.layers.iter().map(|l| l.as_ref())))
    }

    /// Replaces every learned tensor, in the order of
    /// [`Functional::parameters`]; on error nothing changes.
    pub fn set_weights(&mut self, weights: &[ndarray::ArrayD<f32>]) -> Result<(), NetError> {
        let names: Vec<String> = (0..self.layers.len())
            .map(|k| self.layer_name(k).to_owned())
            .collect();
        let layers = self.layers.iter_mut().map(|l| l.as_mut() as &mut dyn Layer);
        set_layer_weights(names.iter().map(String::as_str).zip(layers), weights)
    }

    /// The layers, writable (for tests and code that sets weights).
    pub fn layers_mut(&mut self) -> &mut [Box<dyn Layer>] {
        &mut self.layers
    }
}

/// Adds `g` to the gradient gathered so far for a node.
fn accumulate(slot: &mut Option<Array2<f32>>, g: Array2<f32>) {
    match slot {
        Some(sum) => *sum += &g,
        None => *slot = Some(g),
    }
}

/// The accuracy and the mean absolute error, each if asked for.
fn metrics(
    metrics: &[Metric],
    scores: ArrayView2<f32>,
    targets: Targets<'_>,
) -> Result<(Option<f32>, Option<f32>), NetError> {
    let value = |m: Metric| -> Result<Option<f32>, NetError> {
        if metrics.contains(&m) {
            Ok(Some(m.compute(scores, targets)?))
        } else {
            Ok(None)
        }
    };
    Ok((value(Metric::Accuracy)?, value(Metric::MeanAbsoluteError)?))
}

/// The layers of `spec` (positions in `spec.layers`) in the order
/// [`Functional::build`] puts them, which is the order of the model's
/// parameters.
pub(crate) fn layer_order(spec: &GraphSpec) -> Result<Vec<usize>, GraphError> {
    let by_name = check_names(spec)?;
    topological_order(spec, &by_name)
}

/// The width of every tensor of `spec` (inputs and layers, by name),
/// found without building anything: a file being loaded is checked against
/// these before any weight is allocated. A width too large for a `usize`
/// saturates. Dense layers with other than one input are left to `build`
/// to report (their width is their number of units all the same).
pub(crate) fn tensor_widths(spec: &GraphSpec) -> Result<HashMap<String, usize>, GraphError> {
    let by_name = check_names(spec)?;
    let order = topological_order(spec, &by_name)?;
    let mut widths: HashMap<String, usize> = spec
        .inputs
        .iter()
        .map(|i| (i.name.clone(), i.width))
        .collect();
    for l in order {
        let layer = &spec.layers[l];
        let of = |n: &String| widths.get(n).copied().unwrap_or(0);
        let width = match &layer.kind {
            LayerKind::Dense { units, .. } => *units,
            LayerKind::Concatenate => layer.inputs.iter().map(of).fold(0, usize::saturating_add),
            LayerKind::Add => layer.inputs.first().map_or(0, of),
        };
        widths.insert(layer.name.clone(), width);
    }
    Ok(widths)
}

// ANCHOR: checks
/// Every name defined once; every name used is defined. Returns where each
/// name is defined: `None` for an input, `Some(l)` for layer `l`.
fn check_names(spec: &GraphSpec) -> Result<HashMap<&str, Option<usize>>, GraphError> {
    if spec.inputs.is_empty() {
        return Err(GraphError::Invalid("the model has no inputs".into()));
    }
    if spec.outputs.is_empty() {
        return Err(GraphError::Invalid("the model has no outputs".into()));
    }
    let mut by_name = HashMap::new();
    let defined = spec.inputs.iter().map(|i| (i.name.as_str(), None)).chain(
        spec.layers
            .iter()
            .enumerate()
            .map(|(l, s)| (s.name.as_str(), Some(l))),
    );
    for (name, place) in defined {
        if by_name.insert(name, place).is_some() {
            return Err(GraphError::DuplicateName(name.into()));
        }
    }
    for layer in &spec.layers {
        if let Some(name) = layer
            .inputs
            .iter()
            .find(|n| !by_name.contains_key(n.as_str()))
        {
            return Err(GraphError::UnknownName {
                layer: layer.name.clone(),
                name: name.clone(),
            });
        }
    }
    let mut seen = HashSet::new();
    for name in &spec.outputs {
        if !by_name.contains_key(name.as_str()) {
            return Err(GraphError::UnknownName {
                layer: "outputs".into(),
                name: name.clone(),
            });
        }
        if !seen.insert(name) {
            return Err(GraphError::DuplicateName(name.clone()));
        }
    }
    Ok(by_name)
}

/// Kahn's algorithm: repeatedly take a layer whose inputs are all computed.
/// Layers left over sit on a cycle (or after one).
fn topological_order(
    spec: &GraphSpec,
    by_name: &HashMap<&str, Option<usize>>,
) -> Result<Vec<usize>, GraphError> {
    let n = spec.layers.len();
    let mut waiting: Vec<usize> = vec![0; n]; // inputs not yet computed
    let mut readers: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (l, layer) in spec.layers.iter().enumerate() {
        for name in &layer.inputs {
            if let Some(Some(source)) = by_name.get(name.as_str()) {
                waiting[l] += 1;
                readers[*source].push(l);
            }
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&l| waiting[l] == 0).rev().collect();
    let mut order = Vec::with_capacity(n);
    while let Some(l) = ready.pop() {
        order.push(l);
        for &r in &readers[l] {
            waiting[r] -= 1;
            if waiting[r] == 0 {
                ready.push(r);
            }
        }
    }
    if order.len() < n {
        // Layers left over are on a cycle or after one: drop those that no
        // other left-over layer reads, until only the cycle remains.
        let mut stuck: Vec<usize> = (0..n).filter(|l| !order.contains(l)).collect();
        while let Some(k) = stuck
            .iter()
            .position(|&l| !readers[l].iter().any(|r| stuck.contains(r)))
        {
            stuck.remove(k);
        }
        let names = stuck.iter().map(|&l| spec.layers[l].name.clone()).collect();
        return Err(GraphError::Cycle(names));
    }
    Ok(order)
}

/// Every output reachable from an input, every input and layer used by an
/// output. Walks back from the outputs.
fn check_use(spec: &GraphSpec, by_name: &HashMap<&str, Option<usize>>) -> Result<(), GraphError> {
    let mut used: HashSet<&str> = HashSet::new();
    let mut stack: Vec<&str> = spec.outputs.iter().map(String::as_str).collect();
    while let Some(name) = stack.pop() {
        if !used.insert(name) {
            continue;
        }
        if let Some(Some(l)) = by_name.get(name) {
            let layer = &spec.layers[*l];
            if layer.inputs.is_empty() {
                let output = spec
                    .outputs
                    .iter()
                    .find(|o| depends_on(spec, by_name, o, name))
                    .cloned()
                    .unwrap_or_else(|| name.to_string());
                return Err(GraphError::UnreachableOutput {
                    output,
                    reason: format!("the layer '{name}' is applied to nothing"),
                });
            }
            stack.extend(layer.inputs.iter().map(String::as_str));
        }
    }
    if let Some(input) = spec.inputs.iter().find(|i| !used.contains(i.name.as_str())) {
        return Err(GraphError::UnusedInput(input.name.clone()));
    }
    if let Some(layer) = spec.layers.iter().find(|l| !used.contains(l.name.as_str())) {
        return Err(GraphError::UnusedLayer(layer.name.clone()));
    }
    Ok(())
}

/// Whether the tensor `from` depends on the tensor `on` (the graph has no
/// cycle when this is called).
fn depends_on(
    spec: &GraphSpec,
    by_name: &HashMap<&str, Option<usize>>,
    from: &str,
    on: &str,
) -> bool {
    if from == on {
        return true;
    }
    match by_name.get(from) {
        Some(Some(l)) => spec.layers[*l]
            .inputs
            .iter()
            .any(|i| depends_on(spec, by_name, i, on)),
        _ => false,
    }
}

/// Builds one layer on inputs of the given widths; returns what the node
/// computes and its output width. Shape mistakes name the layer.
fn build_layer(
    layer: &crate::spec::LayerSpec,
    widths: &[usize],
    layers: &mut Vec<Box<dyn Layer>>,
    rng: &mut ch00_toolbox::SeededRng,
) -> Result<(Op, usize), GraphError> {
    let shape_error = |reason: String| GraphError::Shape {
        layer: layer.name.clone(),
        reason,
    };
    if let Some(i) = widths.iter().position(|&w| w == 0) {
        return Err(shape_error(format!(
            "its input '{}' has no values per sample",
            layer.inputs[i]
        )));
    }
    match &layer.kind {
        LayerKind::Dense { units, activation } => {
            if widths.len() != 1 {
                return Err(shape_error(format!(
                    "a Dense layer takes one input, not {} (concatenate them first)",
                    widths.len()
                )));
            }
            let activation = activation_named(activation).ok_or_else(|| {
                GraphError::Invalid(format!(
                    "layer '{}': unknown activation '{activation}'",
                    layer.name
                ))
            })?;
            let mut dense = Dense::new(*units, activation);
            dense
                .build(&[widths[0]], rng)
                .map_err(|e| shape_error(e.to_string()))?;
            layers.push(Box::new(dense));
            Ok((
                Op::Dense {
                    layer: layers.len() - 1,
                },
                *units,
            ))
        }
        LayerKind::Concatenate => {
            if widths.len() < 2 {
                return Err(shape_error("Concatenate needs at least two inputs".into()));
            }
            Ok((Op::Concatenate, widths.iter().sum()))
        }
        LayerKind::Add => {
            if widths.len() < 2 {
                return Err(shape_error("Add needs at least two inputs".into()));
            }
            if widths.iter().any(|&w| w != widths[0]) {
                let each: Vec<String> = layer
                    .inputs
                    .iter()
                    .zip(widths)
                    .map(|(n, w)| format!("'{n}' has {w}"))
                    .collect();
                return Err(shape_error(format!(
                    "Add needs inputs of equal width, but {}",
                    each.join(", ")
                )));
            }
            Ok((Op::Add, widths[0]))
        }
    }
}
// ANCHOR_END: checks
