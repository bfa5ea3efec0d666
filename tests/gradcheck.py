"""The shared finite-difference gradient harness every differentiable op is checked with (float64)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

import ndflow as tf
from ndflow._core.gradient_checker import compute_gradient

# Names of the ops whose gradients some check_gradients call exercised (read by the coverage audit).
CHECKED_OPS: set[str] = set()


def _record_ops(f: Callable, xs: list, order: int) -> None:
    """Adds the ops that ``f`` (and, for ``order`` 2, its gradient computation) records on a tape."""
    args = [tf.constant(x) for x in xs]
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(args)
        with tf.GradientTape() as inner:
            inner.watch(args)
            y = f(*args)
        if order >= 2:
            inner.gradient(y, args, unconnected_gradients="zero")
    CHECKED_OPS.update(entry.opdef.name for entry in inner._entries)
    CHECKED_OPS.update(entry.opdef.name for entry in outer._entries)


def check_gradients(f: Callable, *inputs: Any, order: int = 1, delta: float = 1e-6, rtol: float = 1e-5,
                    atol: float = 1e-6) -> None:
    """Asserts tape gradients of ``f`` match central differences at ``inputs`` (cast to float64).

    With ``order=2`` also checks the gradient of the gradient (the sum of first derivatives), which
    exercises the gradient functions' own differentiability.
    """
    xs = [np.asarray(x, dtype=np.float64) for x in inputs]
    _record_ops(f, xs, order)
    theoretical, numerical = compute_gradient(f, xs, delta=delta)
    for k, (t, n) in enumerate(zip(theoretical, numerical)):
        np.testing.assert_allclose(t, n, rtol=rtol, atol=atol, err_msg=f"first-order gradient of input {k}")
    if order >= 2:
        def first_derivative_sum(*args: Any) -> Any:
            with tf.GradientTape() as tape:
                tape.watch(list(args))
                y = tf.reduce_sum(f(*args))
            grads = tape.gradient(y, list(args), unconnected_gradients="zero")
            total = tf.reduce_sum(grads[0])
            for g in grads[1:]:
                total = total + tf.reduce_sum(g)
            return total

        theoretical, numerical = compute_gradient(first_derivative_sum, xs, delta=1e-5)
        for k, (t, n) in enumerate(zip(theoretical, numerical)):
            np.testing.assert_allclose(t, n, rtol=1e-4, atol=1e-5, err_msg=f"second-order gradient of input {k}")
