"""Norms and norm clipping (``tf.norm``, ``tf.clip_by_norm``, ``tf.clip_by_global_norm`` …)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..export import export
from ..indexed_slices import IndexedSlices
from ..tensor import Tensor
from . import math_ops
from ._helpers import to_tensor
from .array_ops import expand_dims, identity, ones_like, squeeze, stack, transpose
from .math_ops import cast, conj, divide, multiply, subtract
from .reduction_ops import reduce_max, reduce_sum

_MATRIX_NORMS = ["euclidean", "fro", 1, 2, np.inf]
_AXIS_ERROR = "'axis' must be None, an integer, or a tuple of 2 unique integers, got {}"


def _is_int(a: Any) -> bool:
    return isinstance(a, (int, np.integer)) and not isinstance(a, bool)


def _is_ord(ord: Any, *choices: Any) -> bool:
    return not isinstance(ord, str) and any(ord == c for c in choices)


def _check_norm_args(ord: Any, axis: Any) -> tuple[bool, tuple | None]:
    matrix = isinstance(axis, (tuple, list)) and len(axis) == 2
    if matrix:
        axis = tuple(axis)
        if not (_is_int(axis[0]) and _is_int(axis[1])) or axis[0] == axis[1]:
            raise ValueError(_AXIS_ERROR.format(axis))
        if not any(ord == n and type(ord) is not bool for n in _MATRIX_NORMS):
            raise ValueError(f"'ord' must be a supported matrix norm in {_MATRIX_NORMS}, got {ord}")
        return True, tuple(int(a) for a in axis)
    if not (axis is None or _is_int(axis)):
        raise ValueError(_AXIS_ERROR.format(axis))
    if ord != "euclidean" and (isinstance(ord, (str, bool)) or not np.isreal(ord) or ord <= 0):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    return False, None if axis is None else (int(axis),)


def _spectral_norm(x: Tensor, axes: tuple) -> Tensor:
    from . import linalg_ops  # imported late: linalg_ops uses this module's norm

    rank = x.ndim
    rows, cols = (a % rank for a in axes)
    batch = [i for i in range(rank) if i not in (rows, cols)]
    moved = transpose(x, batch + [rows, cols]) if (rows, cols) != (rank - 2, rank - 1) else x
    largest = reduce_max(math_ops.abs(linalg_ops.svd(moved, compute_uv=False)), -1)
    for a in sorted((rows, cols)):
        largest = expand_dims(largest, a)
    return largest


@export("norm", "linalg.norm")
def norm(tensor: Any, ord: Any = "euclidean", axis: Any = None, keepdims: bool | None = None,
         name: str | None = None) -> Tensor:
    """Vector norm (``ord`` 'euclidean'/1/2/inf or any p > 0) over ``axis``, or a matrix norm over a pair.

    Matrix norms: 'euclidean'/'fro' (Frobenius), 1 (max column sum), inf (max row sum), 2 (largest singular
    value). With ``axis=None`` the tensor is treated as one vector.

    Raises:
        ValueError: an unsupported ``ord`` or a malformed ``axis``.
    """
    matrix, axes = _check_norm_args(ord, axis)
    x = to_tensor(tensor)
    if _is_ord(ord, 2) and matrix:
        result = _spectral_norm(x, axes)
    elif ord in ("euclidean", "fro") or _is_ord(ord, 2):
        result = math_ops.sqrt(reduce_sum(multiply(x, conj(x)), axes, keepdims=True))
    else:
        magnitude = math_ops.abs(x)
        if _is_ord(ord, 1):
            result = reduce_sum(magnitude, None if axes is None else axes[0], keepdims=True)
            if matrix:
                result = reduce_max(result, axes[1], keepdims=True)
        elif _is_ord(ord, np.inf):
            if matrix:
                magnitude = reduce_sum(magnitude, axes[1], keepdims=True)
            result = reduce_max(magnitude, None if axes is None else axes[0], keepdims=True)
        else:
            powered = math_ops.pow(magnitude, ord)
            result = math_ops.pow(reduce_sum(powered, axes, keepdims=True), 1.0 / ord)
    return result if keepdims else squeeze(result, axes)


@export("clip_by_norm")
def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """Rescales ``t`` so that its L2 norm over ``axes`` is at most ``clip_norm``.

    The gradient stays finite where the norm is 0. ``IndexedSlices`` are clipped by the norm of their values.
    """
    if isinstance(t, IndexedSlices):
        return IndexedSlices(clip_by_norm(t.values, clip_norm, axes), t.indices, t.dense_shape)
    values = to_tensor(t)
    squares = reduce_sum(multiply(values, values), axes, keepdims=True)
    positive = math_ops.greater(squares, 0)
    # Two-sided where: the sqrt never sees 0, so its gradient cannot produce NaN.
    safe = math_ops.where(positive, squares, ones_like(squares))
    l2norm = math_ops.where(positive, math_ops.sqrt(safe), squares)
    return identity(divide(multiply(values, clip_norm), math_ops.maximum(l2norm, clip_norm)))


def _values(t: Any) -> Any:
    """The values of ``IndexedSlices`` (which norms and clipping act on, as in TF); ``t`` itself otherwise."""
    return t.values if isinstance(t, IndexedSlices) else t


def _check_sequence(t_list: Any) -> list:
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    return list(t_list)


@export("linalg.global_norm")
def global_norm(t_list: Any, name: str | None = None) -> Tensor:
    """``sqrt(sum(sum(t**2) for t in t_list))``, skipping None entries.

    Raises:
        TypeError: ``t_list`` is not a sequence.
    """
    values = [to_tensor(_values(t)) for t in _check_sequence(t_list) if t is not None]
    squared = reduce_sum(stack([reduce_sum(multiply(v, v)) for v in values]))
    return math_ops.sqrt(squared)


@export("clip_by_global_norm")
def clip_by_global_norm(t_list: Any, clip_norm: Any, use_norm: Any = None, name: str | None = None) -> tuple:
    """Scales every tensor by ``clip_norm / max(global_norm, clip_norm)``.

    Returns:
        ``(clipped_list, global_norm)``, where None entries stay None and ``global_norm`` is the norm before
        clipping (``use_norm`` when given). A non-finite norm makes every clipped value NaN.

    Raises:
        TypeError: ``t_list`` is not a sequence.
    """
    t_list = _check_sequence(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list)
    norm_value = to_tensor(use_norm)
    one = to_tensor(1.0, dtype=norm_value.dtype)
    scale_if_finite = multiply(clip_norm, math_ops.minimum(divide(one, norm_value), divide(one, clip_norm)))
    scale = scale_if_finite + subtract(norm_value, norm_value)  # NaN unless the norm is finite
    clipped = []
    for t in t_list:
        if t is None:
            clipped.append(None)
            continue
        v = to_tensor(_values(t), dtype_hint=norm_value.dtype)
        v = identity(multiply(v, cast(scale, v.dtype)))
        clipped.append(IndexedSlices(v, t.indices, t.dense_shape) if isinstance(t, IndexedSlices) else v)
    return clipped, use_norm  # a given use_norm comes back as passed, like TF
