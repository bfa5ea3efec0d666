"""Convolution, pooling and small-CNN speed: ndflow vs TensorFlow vs PyTorch (CPU), side by side in one run.

Rows (forward, and forward + backward through a tape):
  conv2d 64x28x28x1 -> 32 3x3 SAME; conv2d 64x14x14x32 -> 64 3x3 SAME; a LeNet-5 training step at batch 64
  (conv 6@5x5 -> max-pool -> conv 16@5x5 -> max-pool -> dense 120 -> 84 -> 10, written with ops);
  max_pool 2x2 on 64x28x28x32; batch normalization on 64x14x14x32; softmax cross-entropy 256x1000.

Prints milliseconds (minimum over repeats: the machine is shared) and ndflow/peer ratios (lower is better for
ndflow). ``--threads N`` limits every library to N threads (BLAS via threadpoolctl, TF intra/inter-op pools,
torch.set_num_threads), which avoids oversubscription noise on small machines.

Run: ``python benchmarks/nn_ops.py [--threads 1]``; peers that are not installed are skipped.
"""
from __future__ import annotations

import argparse
import os
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

RS = np.random.RandomState(0)


def best_ms(fn, repeat: int = 7, min_time: float = 0.05) -> float:
    """Minimum milliseconds per call over ``repeat`` rounds of enough calls to last ``min_time`` seconds."""
    fn()
    number = 1
    while timeit.timeit(fn, number=number) < min_time and number < 1000:
        number *= 2
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e3


def data():
    f = np.float32
    return {
        "x1": RS.rand(64, 28, 28, 1).astype(f), "w1": RS.randn(3, 3, 1, 32).astype(f) * 0.1,
        "x2": RS.rand(64, 14, 14, 32).astype(f), "w2": RS.randn(3, 3, 32, 64).astype(f) * 0.05,
        "img": RS.rand(64, 28, 28, 1).astype(f), "labels": np.eye(10, dtype=f)[RS.randint(0, 10, 64)],
        "c1": RS.randn(5, 5, 1, 6).astype(f) * 0.2, "b1": np.zeros(6, f),
        "c2": RS.randn(5, 5, 6, 16).astype(f) * 0.1, "b2": np.zeros(16, f),
        "d1": RS.randn(256, 120).astype(f) * 0.05, "e1": np.zeros(120, f),
        "d2": RS.randn(120, 84).astype(f) * 0.1, "e2": np.zeros(84, f),
        "d3": RS.randn(84, 10).astype(f) * 0.1, "e3": np.zeros(10, f),
        "pool": RS.rand(64, 28, 28, 32).astype(f),
        "bn": RS.rand(64, 14, 14, 32).astype(f), "gamma": np.ones(32, f), "beta": np.zeros(32, f),
        "logits": RS.randn(256, 1000).astype(f), "onehot": np.eye(1000, dtype=f)[RS.randint(0, 1000, 256)],
    }


def tf_style_workloads(tf, d):
    """The workloads written once against TensorFlow's API: run with ndflow or TensorFlow itself."""
    c = {k: tf.constant(v) for k, v in d.items()}
    params = [tf.Variable(d[k]) for k in ("c1", "b1", "c2", "b2", "d1", "e1", "d2", "e2", "d3", "e3")]
    relu = getattr(tf.nn, "relu", None) or (lambda z: tf.maximum(z, 0.0))

    def cross_entropy(labels, logits):
        if hasattr(tf.nn, "softmax_cross_entropy_with_logits"):
            return tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        return tf.reduce_logsumexp(logits, axis=-1) - tf.reduce_sum(labels * logits, axis=-1)

    def batch_norm(x, gamma, beta):
        if hasattr(tf.nn, "moments") and hasattr(tf.nn, "batch_normalization"):
            mean, var = tf.nn.moments(x, axes=[0, 1, 2])
            return tf.nn.batch_normalization(x, mean, var, beta, gamma, 1e-3)
        mean = tf.reduce_mean(x, axis=[0, 1, 2])
        var = tf.reduce_mean(tf.square(x - mean), axis=[0, 1, 2])
        return (x - mean) * (gamma / tf.sqrt(var + 1e-3)) + beta

    def with_grad(f, *inputs):
        def run():
            with tf.GradientTape() as tape:
                tape.watch(list(inputs))
                y = tf.reduce_sum(f(*inputs))
            return tape.gradient(y, list(inputs))
        return run

    conv_a = lambda x, w: tf.nn.conv2d(x, w, 1, "SAME")  # noqa: E731
    pool = lambda x: tf.nn.max_pool2d(x, 2, 2, "VALID")  # noqa: E731
    bn = lambda x: batch_norm(x, c["gamma"], c["beta"])  # noqa: E731
    ce = lambda z: cross_entropy(c["onehot"], z)  # noqa: E731

    def lenet_step():
        c1, b1, c2, b2, d1, e1, d2, e2, d3, e3 = params
        with tf.GradientTape() as tape:
            h = pool(relu(tf.nn.conv2d(c["img"], c1, 1, "VALID") + b1))
            h = pool(relu(tf.nn.conv2d(h, c2, 1, "VALID") + b2))
            h = tf.reshape(h, [64, 256])
            h = relu(tf.matmul(h, d1) + e1)
            h = relu(tf.matmul(h, d2) + e2)
            loss = tf.reduce_mean(cross_entropy(c["labels"], tf.matmul(h, d3) + e3))
        return tape.gradient(loss, params)

    return {
        "conv2d 28x28x1->32 fwd": lambda: conv_a(c["x1"], c["w1"]),
        "conv2d 28x28x1->32 fwd+bwd": with_grad(conv_a, c["x1"], c["w1"]),
        "conv2d 14x14x32->64 fwd": lambda: conv_a(c["x2"], c["w2"]),
        "conv2d 14x14x32->64 fwd+bwd": with_grad(conv_a, c["x2"], c["w2"]),
        "LeNet-5 step b64": lenet_step,
        "max_pool 2x2 fwd": lambda: pool(c["pool"]),
        "max_pool 2x2 fwd+bwd": with_grad(pool, c["pool"]),
        "batch_norm fwd+bwd": with_grad(bn, c["bn"]),
        "softmax CE 256x1000 fwd+bwd": with_grad(ce, c["logits"]),
    }


def torch_workloads(torch, d):
    """The same workloads in PyTorch's native NCHW layout."""
    F = torch.nn.functional

    def nchw(a):
        return torch.from_numpy(np.ascontiguousarray(a.transpose(0, 3, 1, 2)))

    def oihw(w):
        return torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1)))

    x1, w1, x2, w2 = nchw(d["x1"]), oihw(d["w1"]), nchw(d["x2"]), oihw(d["w2"])
    img, labels = nchw(d["img"]), torch.from_numpy(d["labels"])
    params = [oihw(d["c1"]), torch.from_numpy(d["b1"]), oihw(d["c2"]), torch.from_numpy(d["b2"])] + \
        [torch.from_numpy(d[k]) for k in ("d1", "e1", "d2", "e2", "d3", "e3")]
    for p in params:
        p.requires_grad_(True)
    pool_in, bn_in = nchw(d["pool"]), nchw(d["bn"])
    logits, onehot = torch.from_numpy(d["logits"]), torch.from_numpy(d["onehot"])

    def with_grad(f, *inputs):
        leaves = [t.detach().clone().requires_grad_(True) for t in inputs]

        def run():
            return torch.autograd.grad(f(*leaves).sum(), leaves)
        return run

    def forward(f, *inputs):
        def run():
            with torch.no_grad():
                return f(*inputs)
        return run

    conv_a = lambda x, w: F.conv2d(x, w, padding=1)  # noqa: E731
    pool = lambda x: F.max_pool2d(x, 2, 2)  # noqa: E731
    bn = lambda x: F.batch_norm(x, None, None, torch.ones(32), torch.zeros(32), training=True, eps=1e-3)  # noqa
    ce = lambda z: F.cross_entropy(z, onehot, reduction="none")  # noqa: E731

    def lenet_step():
        c1, b1, c2, b2, d1, e1, d2, e2, d3, e3 = params
        h = pool(F.relu(F.conv2d(img, c1, b1)))
        h = pool(F.relu(F.conv2d(h, c2, b2)))
        h = h.reshape(64, 256)
        h = F.relu(h @ d1 + e1)
        h = F.relu(h @ d2 + e2)
        loss = F.cross_entropy(h @ d3 + e3, labels)
        return torch.autograd.grad(loss, params)

    return {
        "conv2d 28x28x1->32 fwd": forward(conv_a, x1, w1),
        "conv2d 28x28x1->32 fwd+bwd": with_grad(conv_a, x1, w1),
        "conv2d 14x14x32->64 fwd": forward(conv_a, x2, w2),
        "conv2d 14x14x32->64 fwd+bwd": with_grad(conv_a, x2, w2),
        "LeNet-5 step b64": lenet_step,
        "max_pool 2x2 fwd": forward(pool, pool_in),
        "max_pool 2x2 fwd+bwd": with_grad(pool, pool_in),
        "batch_norm fwd+bwd": with_grad(bn, bn_in),
        "softmax CE 256x1000 fwd+bwd": with_grad(ce, logits),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=0, help="limit every library to this many threads")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    d = data()
    limiter = None
    if args.threads:
        from threadpoolctl import threadpool_limits

        limiter = threadpool_limits(args.threads)
    import ndflow

    columns = {"ndflow": tf_style_workloads(ndflow, d)}
    try:
        import tensorflow

        if args.threads:
            tensorflow.config.threading.set_intra_op_parallelism_threads(args.threads)
            tensorflow.config.threading.set_inter_op_parallelism_threads(args.threads)
        columns["TF"] = tf_style_workloads(tensorflow, d)
    except ImportError:
        pass
    try:
        import torch

        if args.threads:
            torch.set_num_threads(args.threads)
        columns["torch"] = torch_workloads(torch, d)
    except ImportError:
        pass
    names = list(columns)
    print(f"threads: {args.threads or 'default'}; ms per call, min of {args.repeat} repeats")
    header = f"{'workload':30}" + "".join(f"{n:>10}" for n in names) + "".join(f"{'nd/' + n:>10}" for n in names[1:])
    print(header)
    for row in columns["ndflow"]:
        times = [best_ms(columns[n][row], args.repeat) for n in names]
        print(f"{row:30}" + "".join(f"{t:10.3f}" for t in times) + "".join(f"{times[0] / t:10.2f}" for t in times[1:]))
    if limiter is not None:
        limiter.unregister()


if __name__ == "__main__":
    main()
