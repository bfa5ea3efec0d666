"""Finite-difference gradient checking (TF's ``tf.test.compute_gradient``)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .tape import GradientTape, UnconnectedGradients
from .tensor import EagerTensor, convert_to_tensor

__all__ = ["compute_gradient", "max_error"]


def _as_float_tensor(x: Any) -> EagerTensor:
    t = convert_to_tensor(x)
    if not (t.dtype.is_floating or t.dtype.is_complex):
        raise TypeError(f"compute_gradient needs floating inputs, got {t.dtype.name}")
    return t


def _theoretical(f: Callable, xs: list, k: int) -> np.ndarray:
    """Jacobian of f w.r.t. xs[k] by reverse mode, one output element at a time: [y.size, x.size]."""
    x = xs[k]
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = convert_to_tensor(f(*xs))
    y_size = int(np.prod(y.shape.as_list(), dtype=np.int64))
    jac = np.zeros((y_size, int(np.prod(x.shape.as_list(), dtype=np.int64))), dtype=np.float64)
    for i in range(y_size):
        seed = np.zeros(y_size, dtype=y.dtype.as_numpy_dtype)
        seed[i] = 1
        g = tape.gradient(y, x, output_gradients=EagerTensor(seed.reshape(y.shape.as_list())),
                          unconnected_gradients=UnconnectedGradients.ZERO)
        jac[i] = np.asarray(convert_to_tensor(g).numpy(), dtype=np.float64).reshape(-1)  # IndexedSlices too
    return jac


def _numerical(f: Callable, xs: list, k: int, delta: float) -> np.ndarray:
    """Jacobian of f w.r.t. xs[k] by central differences: [y.size, x.size]."""
    base = np.array(xs[k].numpy(), dtype=xs[k].dtype.as_numpy_dtype)
    flat = base.reshape(-1)
    cols = []
    for j in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[j] += delta
        minus[j] -= delta
        args_p = list(xs)
        args_m = list(xs)
        args_p[k] = EagerTensor(plus.reshape(base.shape))
        args_m[k] = EagerTensor(minus.reshape(base.shape))
        yp = np.asarray(convert_to_tensor(f(*args_p)).numpy(), dtype=np.float64).reshape(-1)
        ym = np.asarray(convert_to_tensor(f(*args_m)).numpy(), dtype=np.float64).reshape(-1)
        cols.append((yp - ym) / (2 * delta))
    if not cols:
        y = convert_to_tensor(f(*xs))
        return np.zeros((int(np.prod(y.shape.as_list(), dtype=np.int64)), 0))
    return np.stack(cols, axis=1)


def compute_gradient(f: Callable, x: list, delta: float | None = None) -> tuple[list, list]:
    """Theoretical (tape) and numerical (central-difference) Jacobians of ``f`` at ``x``.

    Args:
        f: a function of tensors returning one tensor.
        x: the list of input values.
        delta: the finite-difference step (default 1e-3, like TF).

    Returns:
        ``(theoretical, numerical)``: one ``[y.size, x_i.size]`` array per input, each.
    """
    xs = [_as_float_tensor(v) for v in x]
    delta = 1e-3 if delta is None else delta
    theoretical = [_theoretical(f, xs, k) for k in range(len(xs))]
    numerical = [_numerical(f, xs, k, delta) for k in range(len(xs))]
    return theoretical, numerical


def max_error(grad1: list, grad2: list) -> float:
    """The largest absolute difference between two lists of Jacobians."""
    return max((float(np.max(np.abs(a - b))) if a.size else 0.0) for a, b in zip(grad1, grad2))
