"""Per-op eager overhead: ndflow vs NumPy vs TensorFlow eager vs PyTorch, side by side in one run.

Workloads: a 10-element add, a 64×64 matmul, a 20-op chain recorded on a tape plus its gradient, and a
1024×1024 matmul. Prints µs per call and the ratio ndflow/peer (lower is better for ndflow).

Run: ``python benchmarks/op_overhead.py`` (peers that are not installed are skipped).
"""
from __future__ import annotations

import os
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

CHAIN_PAIRS = 10  # 10 × (multiply, add) = 20 ops


def best_us(fn, number: int, repeat: int = 5) -> float:
    fn()
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def tf_style_workloads(tf):
    """The workloads written once against TensorFlow's API: run with ndflow or TensorFlow itself."""
    a10, b10 = tf.constant(np.ones(10, "f")), tf.constant(np.ones(10, "f"))
    a64, b64 = tf.constant(np.random.rand(64, 64).astype("f")), tf.constant(np.random.rand(64, 64).astype("f"))
    a1k, b1k = (tf.constant(np.random.rand(1024, 1024).astype("f")),
                tf.constant(np.random.rand(1024, 1024).astype("f")))
    x = tf.Variable(np.ones(10, "f"))

    def chain():
        with tf.GradientTape() as tape:
            y = x
            for _ in range(CHAIN_PAIRS):
                y = y * 1.01 + 0.1
            loss = tf.reduce_sum(y)
        return tape.gradient(loss, x)

    return {"add 10": lambda: a10 + b10, "matmul 64": lambda: tf.matmul(a64, b64),
            "chain 20 + grad": chain, "matmul 1024": lambda: tf.matmul(a1k, b1k)}


def ndflow_workloads():
    import ndflow

    return tf_style_workloads(ndflow)


def numpy_workloads():
    a10, b10 = np.ones(10, "f"), np.ones(10, "f")
    a64, b64 = np.random.rand(64, 64).astype("f"), np.random.rand(64, 64).astype("f")
    a1k, b1k = np.random.rand(1024, 1024).astype("f"), np.random.rand(1024, 1024).astype("f")
    return {"add 10": lambda: a10 + b10, "matmul 64": lambda: a64 @ b64, "matmul 1024": lambda: a1k @ b1k}


def tensorflow_workloads():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow

    return tf_style_workloads(tensorflow)


def torch_workloads():
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    a10, b10 = torch.ones(10), torch.ones(10)
    a64, b64 = torch.rand(64, 64), torch.rand(64, 64)
    a1k, b1k = torch.rand(1024, 1024), torch.rand(1024, 1024)
    x = torch.ones(10, requires_grad=True)

    def chain():
        y = x
        for _ in range(CHAIN_PAIRS):
            y = y * 1.01 + 0.1
        return torch.autograd.grad(y.sum(), x)

    return {"add 10": lambda: a10 + b10, "matmul 64": lambda: a64 @ b64,
            "chain 20 + grad": chain, "matmul 1024": lambda: a1k @ b1k}


NUMBER = {"add 10": 20000, "matmul 64": 5000, "chain 20 + grad": 300, "matmul 1024": 10}


def measure(workloads: dict) -> dict:
    return {name: best_us(fn, NUMBER[name]) for name, fn in workloads.items()}


def main() -> None:
    results = {"ndflow": measure(ndflow_workloads()), "numpy": measure(numpy_workloads())}
    for peer, loader in (("tensorflow", tensorflow_workloads), ("torch", torch_workloads)):
        try:
            results[peer] = measure(loader())
        except ImportError:
            print(f"({peer} not installed: skipped)")
    peers = [p for p in results if p != "ndflow"]
    header = f"{'workload':<18}{'ndflow µs':>12}" + "".join(f"{p + ' µs':>15}{'ratio':>8}" for p in peers)
    print(header)
    print("-" * len(header))
    for name in NUMBER:
        ours = results["ndflow"][name]
        row = f"{name:<18}{ours:>12.2f}"
        for p in peers:
            theirs = results[p].get(name)
            row += f"{'n/a':>15}{'':>8}" if theirs is None else f"{theirs:>15.2f}{ours / theirs:>8.2f}"
        print(row)


if __name__ == "__main__":
    main()
