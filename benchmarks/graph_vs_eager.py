"""One MLP training step (784-300-100-10, batch 32): ndflow eager vs ``ndflow.function`` vs TF, side by side.

The step computes softmax cross-entropy, its gradients with a tape, and applies plain SGD. Prints ms per
step and ratios (lower is better for ndflow). Run: ``python benchmarks/graph_vs_eager.py``.
"""
from __future__ import annotations

import os
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

SIZES = [784, 300, 100, 10]
BATCH = 32


def make_data():
    rng = np.random.RandomState(0)
    x = rng.rand(BATCH, SIZES[0]).astype("f")
    y = np.eye(SIZES[-1], dtype="f")[rng.randint(0, SIZES[-1], BATCH)]
    weights = [((rng.randn(a, b) * np.sqrt(2.0 / a)).astype("f"), np.zeros(b, "f"))
               for a, b in zip(SIZES[:-1], SIZES[1:])]
    return x, y, weights


def build_step(tf, weights):
    params = [v for w, b in weights for v in (tf.Variable(w), tf.Variable(b))]

    def step(x, y):
        with tf.GradientTape() as tape:
            h = x
            for i in range(0, len(params) - 2, 2):
                h = tf.maximum(tf.matmul(h, params[i]) + params[i + 1], 0.0)
            logits = tf.matmul(h, params[-2]) + params[-1]
            loss = tf.reduce_mean(tf.reduce_logsumexp(logits, axis=1) - tf.reduce_sum(y * logits, axis=1))
        grads = tape.gradient(loss, params)
        for p, g in zip(params, grads):
            p.assign_sub(0.01 * g)
        return loss

    return step


def time_ms(fn, number: int = 50, repeat: int = 5) -> float:
    fn()
    fn()
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e3


def main() -> None:
    x, y, weights = make_data()
    import ndflow as nd

    eager = build_step(nd, weights)
    compiled = nd.function(build_step(nd, weights))
    xt, yt = nd.constant(x), nd.constant(y)
    rows = [("ndflow eager", time_ms(lambda: eager(xt, yt))),
            ("ndflow function", time_ms(lambda: compiled(xt, yt)))]
    try:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf

        tf_step = tf.function(build_step(tf, weights))
        xr, yr = tf.constant(x), tf.constant(y)
        rows.append(("tensorflow tf.function", time_ms(lambda: tf_step(xr, yr))))
        tf_eager = build_step(tf, weights)
        rows.append(("tensorflow eager", time_ms(lambda: tf_eager(xr, yr))))
    except ImportError:
        print("(tensorflow not installed: skipped)")
    base = dict(rows)
    print(f"{'variant':<26}{'ms/step':>10}{'vs ndflow eager':>18}{'vs ndflow function':>20}")
    for name, ms in rows:
        print(f"{name:<26}{ms:>10.3f}{base['ndflow eager'] / ms:>17.2f}x{base['ndflow function'] / ms:>19.2f}x")


if __name__ == "__main__":
    main()
