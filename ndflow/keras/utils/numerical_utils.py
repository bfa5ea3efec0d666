"""``to_categorical`` and ``normalize`` (Keras 3 semantics: NumPy in, NumPy out; tensors in, tensors out)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import cast, expand_dims, maximum, minimum, one_hot, reduce_sum, reshape, square
from ... import math as nd_math
from ..._core.tensor import Tensor, convert_to_tensor, is_tensor

__all__ = ["to_categorical", "normalize", "normalize_tensor"]


def to_categorical(x: Any, num_classes: int | None = None) -> Any:
    """One-hot encodes integer class labels.

    A trailing axis of size 1 is dropped first. NumPy-like input gives a float64 NumPy array (as Keras does);
    an ndflow tensor gives a float32 tensor.

    Args:
        x: integer labels, ``0 .. num_classes - 1``.
        num_classes: number of classes; default ``max(x) + 1``.

    Returns:
        An array or tensor of shape ``x.shape + (num_classes,)``.
    """
    if is_tensor(x):
        shape = x.shape.as_list()
        if len(shape) > 1 and shape[-1] == 1:
            x = reshape(x, shape[:-1])
        if num_classes is None:
            num_classes = int(np.max(x.numpy())) + 1
        return one_hot(cast(x, "int64"), num_classes)
    x = np.array(x, dtype="int64")
    shape = x.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(x)) + 1
    categorical = np.zeros((x.shape[0], num_classes))
    categorical[np.arange(x.shape[0]), x] = 1
    return categorical.reshape(tuple(shape) + (num_classes,))


def normalize(x: Any, axis: int | None = -1, order: int = 2) -> Any:
    """Scales ``x`` to unit ``order``-norm along ``axis``.

    NumPy arrays are divided by their norm (zero norms left as 1) and stay NumPy; anything else goes through
    ``normalize_tensor``.
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis or -1)
    return normalize_tensor(x, axis=axis, order=order)


def normalize_tensor(x: Any, axis: int | None = -1, order: int = 2, epsilon: float | None = None) -> Tensor:
    """``x / max(norm(x), epsilon)`` along ``axis`` with ndflow ops (differentiable).

    Raises:
        ValueError: when ``order`` is not an int >= 1.
    """
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    from ..backend import epsilon as default_epsilon

    epsilon = default_epsilon() if epsilon is None else epsilon
    x = convert_to_tensor(x)
    if len(x.shape) == 0:
        x = expand_dims(x, 0)
    if order == 2:
        inverse_norm = nd_math.rsqrt(reduce_sum(square(x), axis=axis, keepdims=True))
        return x * minimum(inverse_norm, 1.0 / epsilon)
    norm = reduce_sum(abs(x) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return x / maximum(norm, epsilon)
