"""Softmax regression on the bundled hand-written digits, trained with GradientTape.

Runs offline: the 8×8 UCI digits ship with ndflow. Prints a progress bar per epoch and the loss falling.
Usage: ``python examples/train_digits.py [--epochs N]``
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

import ndflow as tf
from ndflow.learn.datasets import load_digits


def progress_bar(step: int, total: int, width: int = 30) -> str:
    done = int(width * step / total)
    arrow = ">" if done < width else ""
    return "[" + "=" * max(done - (1 if arrow else 0), 0) + arrow + "." * (width - done) + "]"


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=0.5)
    args = parser.parse_args(argv)

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    rng = np.random.RandomState(0)
    order = rng.permutation(len(X))
    split = int(0.8 * len(X))
    train_idx, test_idx = order[:split], order[split:]
    x_train, y_train = X[train_idx], y[train_idx]
    x_test, y_test = tf.constant(X[test_idx]), y[test_idx]

    w = tf.Variable(tf.zeros([64, 10]), name="kernel")
    b = tf.Variable(tf.zeros([10]), name="bias")
    steps = int(np.ceil(len(x_train) / args.batch_size))
    losses = []
    for epoch in range(1, args.epochs + 1):
        print(f"Epoch {epoch}/{args.epochs}")
        start = time.perf_counter()
        perm = rng.permutation(len(x_train))
        total = 0.0
        for step in range(steps):
            idx = perm[step * args.batch_size:(step + 1) * args.batch_size]
            xb = tf.constant(x_train[idx])
            yb = tf.one_hot(tf.constant(y_train[idx]), 10)
            with tf.GradientTape() as tape:
                logits = tf.matmul(xb, w) + b
                shifted = logits - tf.reduce_max(logits, axis=1, keepdims=True)
                log_probs = shifted - tf.math.log(tf.reduce_sum(tf.exp(shifted), axis=1, keepdims=True))
                loss = -tf.reduce_mean(tf.reduce_sum(yb * log_probs, axis=1))
            dw, db = tape.gradient(loss, [w, b])
            w.assign_sub(args.learning_rate * dw)
            b.assign_sub(args.learning_rate * db)
            total += float(loss)
            sys.stdout.write(f"\r{step + 1}/{steps} {progress_bar(step + 1, steps)} - loss: {total / (step + 1):.4f}")
            sys.stdout.flush()
        losses.append(total / steps)
        elapsed = time.perf_counter() - start
        print(f" - {elapsed:.2f}s")
    predictions = tf.argmax(tf.matmul(x_test, w) + b, axis=1).numpy()
    accuracy = float(np.mean(predictions == y_test))
    print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f}; test accuracy: {accuracy:.4f}")
    return accuracy


if __name__ == "__main__":
    main()
