"""Reads a whole-model file that chapter 10's `save_model` wrote (safetensors
whose metadata holds the architecture as JSON), rebuilds the forward pass of
a Sequential or functional model with numpy alone, and compares its
predictions with those the Rust model made.

    python check_model.py MODEL [CHECK]

CHECK is a safetensors file with the tensors `x` (inputs side by side, one
row per sample) and `predictions` (outputs side by side), as
`cargo run --release -p ch10-functional --example save_load` writes it.
Without CHECK, the script prints the architecture and the tensors only.
"""
import json
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

ACTIVATIONS = {
    "linear": lambda a: a,
    "relu": lambda a: np.maximum(a, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "step": lambda a: (a >= 0.0).astype(a.dtype),
}


def activation(name, a):
    if name == "softmax":
        e = np.exp(a - a.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return ACTIVATIONS[name](a)


def dense(tensors, name, layer, a):
    # Weights are [in, out]: a batch times a weight matrix.
    z = a @ tensors[f"{name}.weight"] + tensors[f"{name}.bias"]
    return activation(layer["activation"], z)


def run_sequential(arch, tensors, x):
    a, k = x, 0
    for layer in arch["layers"]:
        if layer["kind"] == "Dense":
            k += 1
            a = dense(tensors, f"dense_{k}", layer, a)
        # Flatten: the rows are flat already.
    return a


def run_functional(arch, tensors, x):
    # The inputs lie side by side in x, in the order of arch["inputs"].
    values, start = {}, 0
    for inp in arch["inputs"]:
        values[inp["name"]] = x[:, start:start + inp["width"]]
        start += inp["width"]
    pending = list(arch["layers"])
    while pending:  # compute any layer whose inputs are known, until none is left
        ready = [l for l in pending if all(i in values for i in l["inputs"])]
        if not ready:
            sys.exit("the graph has a cycle: " + ", ".join(l["name"] for l in pending))
        for layer in ready:
            ins = [values[i] for i in layer["inputs"]]
            if layer["kind"] == "Dense":
                values[layer["name"]] = dense(tensors, layer["name"], layer, ins[0])
            elif layer["kind"] == "Concatenate":
                values[layer["name"]] = np.concatenate(ins, axis=1)
            elif layer["kind"] == "Add":
                values[layer["name"]] = sum(ins[1:], ins[0])
            else:
                sys.exit(f"unknown layer kind {layer['kind']!r}")
            pending.remove(layer)
    return np.concatenate([values[o] for o in arch["outputs"]], axis=1)


path = sys.argv[1]
tensors = load_file(path)
with safe_open(path, framework="numpy") as f:
    meta = f.metadata() or {}
if meta.get("format") != "neurons-to-networks model":
    sys.exit(f"{path}: not a whole-model file (format {meta.get('format')!r})")
if int(meta["format_version"]) > 1:
    sys.exit(f"{path}: format version {meta['format_version']} is newer than 1")
arch = json.loads(meta["architecture"])
print(f"{arch['type']} model {arch['name']!r}:")
for layer in arch["layers"]:
    print("  ", json.dumps(layer))
for name in sorted(tensors):
    print(f"  {name:18} {tensors[name].dtype} {tensors[name].shape}")

if len(sys.argv) > 2:
    check = load_file(sys.argv[2])
    x, expected = check["x"], check["predictions"]
    run = run_functional if arch["type"] == "functional" else run_sequential
    got = run(arch, tensors, x).astype(np.float32)
    diff = np.abs(got - expected).max()
    print(f"{len(x)} samples, {got.shape[1]} outputs; largest difference from the Rust predictions: {diff:.2e}")
    # numpy adds the products of a matrix product in another order than
    # ndarray: the same values up to rounding, not bit for bit.
    assert got.shape == expected.shape, (got.shape, expected.shape)
    assert np.allclose(got, expected, rtol=1e-5, atol=1e-5), diff
    print("numpy reproduces the Rust model's predictions")
