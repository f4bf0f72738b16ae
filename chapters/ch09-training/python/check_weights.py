"""Reads the weights that `cargo run --release -p ch09-training -- --save PATH`
wrote, with the `safetensors` and `numpy` packages only, runs the forward pass
on the first three test images and prints their probabilities and classes.

    python check_weights.py PATH [METRICS_JSON]

The test images come from $FASHION_MNIST_DIR (default: data/fashion-mnist).
With METRICS_JSON, the classes are compared with those the Rust run reported.
"""
import gzip
import json
import os
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

path = sys.argv[1]
tensors = load_file(path)
with safe_open(path, framework="numpy") as f:
    print("metadata:", json.dumps(f.metadata(), indent=1))
for name in sorted(tensors):
    print(f"{name:15} {tensors[name].dtype} {tensors[name].shape}")

folder = os.environ.get("FASHION_MNIST_DIR", "data/fashion-mnist")
with gzip.open(os.path.join(folder, "t10k-images-idx3-ubyte.gz")) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)

# The forward pass: weights are [in, out], so a batch times a weight matrix.
a = images[:3].astype(np.float32) / 255.0
for k in (1, 2, 3):
    a = a @ tensors[f"dense_{k}.weight"] + tensors[f"dense_{k}.bias"]
    if k < 3:
        a = np.maximum(a, 0.0)  # ReLU
p = np.exp(a - a.max(axis=1, keepdims=True))
p /= p.sum(axis=1, keepdims=True)  # softmax
print(p.round(2))
classes = p.argmax(axis=1).tolist()
print("classes:", classes)

# PyTorch's nn.Linear stores [out, in]: it would take tensors["dense_1.weight"].T.

if len(sys.argv) > 2:
    with open(sys.argv[2]) as f:
        rust = json.load(f)["first_test_predictions"]
    assert classes == rust, (classes, rust)
    print("same classes as the Rust run:", rust)
