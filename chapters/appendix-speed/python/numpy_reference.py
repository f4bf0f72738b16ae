#!/usr/bin/env python3
"""The book's models trained by hand with NumPy, to time against the fast engine.

    python3 numpy_reference.py --model reference   # 784-300-100-10, ReLU, softmax, SGD
    python3 numpy_reference.py --model tanh        # 784-100-10, tanh, softmax, momentum 0.9
    python3 numpy_reference.py --model housing     # 8-30-1, ReLU, linear output, MSE

Chapter 9's benchmark (`cargo bench -p ch09-training --bench fast_epoch`) runs
this script with the same model, sizes, batch size and number of samples as the
engine it times, and prints the ratio. The script computes the same
mathematics as the engine: mini-batch SGD, `v <- mu*v - lr*g; w <- w + v` with
momentum, the gradients of softmax with cross-entropy (`(p - onehot)/B`) or of
the mean squared error (`2(z - y)/(B k)`), images stored as bytes and divided
by 255 as each batch is gathered. The data are random, of the real data's
shapes: the arithmetic, and so the time, is the same.

NumPy's matrix products call OpenBLAS; the script asks it for one thread
(set OPENBLAS_NUM_THREADS before running it to choose otherwise). It prints
one line per epoch, then `median_seconds_per_epoch <s>`.
"""

import argparse
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the thread settings, on purpose)

MODELS = {
    # sizes, hidden activation, output, momentum, inputs are bytes
    "reference": ([784, 300, 100, 10], "relu", "softmax", 0.0, True),
    "tanh": ([784, 100, 10], "tanh", "softmax", 0.9, True),
    "housing": ([8, 30, 1], "relu", "mse", 0.0, False),
}


def activate(name, z):
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "tanh":
        return np.tanh(z)
    raise ValueError(name)


def slope_times(name, a, d):
    """d * f'(z), from the activation's output a = f(z)."""
    if name == "relu":
        return d * (a > 0.0)
    if name == "tanh":
        return d * (1.0 - a * a)
    raise ValueError(name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(MODELS), default="reference")
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.01)
    args = parser.parse_args()

    sizes, hidden, output, mu, as_bytes = MODELS[args.model]
    n = args.samples or (55_000 if as_bytes else 16_512)
    rng = np.random.default_rng(42)
    if as_bytes:
        x_all = rng.integers(0, 256, size=(n, sizes[0]), dtype=np.uint8)
        y_all = rng.integers(0, sizes[-1], size=n)
    else:
        x_all = rng.standard_normal((n, sizes[0]), dtype=np.float32)
        y_all = rng.standard_normal((n, sizes[-1]), dtype=np.float32)

    # Glorot-uniform weights, zero biases, as chapter 8 starts them.
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (n_in + n_out))
        weights.append(rng.uniform(-limit, limit, (n_in, n_out)).astype(np.float32))
        biases.append(np.zeros(n_out, dtype=np.float32))
    vw = [np.zeros_like(w) for w in weights]
    vb = [np.zeros_like(b) for b in biases]
    lr, mu = np.float32(args.lr), np.float32(mu)
    layers = len(weights)

    def step(idx):
        x = x_all[idx]
        x = x.astype(np.float32) / np.float32(255.0) if as_bytes else x
        acts = [x]
        for l in range(layers):
            z = acts[-1] @ weights[l] + biases[l]
            acts.append(activate(hidden, z) if l + 1 < layers else z)
        z = acts.pop()
        b = len(idx)
        if output == "softmax":
            y = y_all[idx]
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            total = e.sum(axis=1, keepdims=True)
            loss = float(np.mean(np.log(total[:, 0]) - z[np.arange(b), y]))
            g = e / total
            g[np.arange(b), y] -= 1.0
            g /= np.float32(b)
        else:
            err = z - y_all[idx]
            loss = float(np.mean(err * err))
            g = err * np.float32(2.0 / err.size)
        for l in reversed(range(layers)):
            dw = acts[l].T @ g
            db = g.sum(axis=0)
            if l > 0:
                g = slope_times(hidden, acts[l], g @ weights[l].T)
            if mu != 0.0:
                vw[l] *= mu
                vw[l] -= lr * dw
                vb[l] *= mu
                vb[l] -= lr * db
                weights[l] += vw[l]
                biases[l] += vb[l]
            else:
                weights[l] -= lr * dw
                biases[l] -= lr * db
        return loss * b

    times = []
    for epoch in range(args.epochs + 1):
        order = rng.permutation(n)
        start = time.perf_counter()
        total = 0.0
        for s in range(0, n, args.batch):
            total += step(order[s : s + args.batch])
        seconds = time.perf_counter() - start
        label = "warm-up" if epoch == 0 else f"epoch {epoch}"
        print(f"{label:>9}: {seconds:.3f} s  (loss {total / n:.4f})", flush=True)
        if epoch > 0:
            times.append(seconds)
    print(f"median_seconds_per_epoch {float(np.median(times)):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
