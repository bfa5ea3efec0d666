"""Names TF1 programs use that TF2 moved or renamed (``tf.random_normal``, ``tf.log``, ``tf.to_float`` …)."""
from __future__ import annotations

from typing import Any

import ndflow as _tf

from ..._core import dtypes
from ..._core.ops import random_ops


def _keep_dims(fn: Any) -> Any:
    def reduce(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: Any = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Any:
        axis = axis if axis is not None else reduction_indices
        keep = keepdims if keepdims is not None else bool(keep_dims)
        return fn(input_tensor, axis=axis, keepdims=keep, name=name)
    reduce.__name__ = fn.__name__
    reduce.__doc__ = f"TF1 ``{fn.__name__}`` (accepts ``keep_dims`` and ``reduction_indices``)."
    return reduce


def _cast_to(dtype: dtypes.DType) -> Any:
    def convert(x: Any, name: Any = None) -> Any:
        return _tf.cast(x, dtype)
    convert.__doc__ = f"Casts to {dtype.name}."
    return convert


def tf1_names() -> dict:
    """The TF1-only aliases, built from the TF2 functions."""
    names = {
        "random_normal": _tf.random.normal,
        "random_uniform": _tf.random.uniform,
        "truncated_normal": _tf.random.truncated_normal,
        "random_shuffle": _tf.random.shuffle,
        "set_random_seed": _tf.random.set_seed,
        "get_seed": random_ops.get_seed,
        "log": _tf.math.log,
        "div": _tf.math.divide,
        "to_float": _cast_to(dtypes.float32),
        "to_double": _cast_to(dtypes.float64),
        "to_int32": _cast_to(dtypes.int32),
        "to_int64": _cast_to(dtypes.int64),
    }
    for tf1, tf2 in (("matrix_inverse", "inv"), ("matrix_determinant", "det"), ("matrix_transpose",
                     "matrix_transpose"), ("matrix_band_part", "band_part"), ("matrix_diag", "diag"),
                     ("matrix_diag_part", "diag_part"), ("matrix_solve", "solve"), ("cholesky", "cholesky"),
                     ("self_adjoint_eig", "eigh"), ("svd", "svd"), ("qr", "qr"), ("trace", "trace")):
        if hasattr(_tf.linalg, tf2):
            names[tf1] = getattr(_tf.linalg, tf2)
    for name in ("reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_all",
                 "reduce_any", "reduce_logsumexp"):
        if hasattr(_tf, name):
            names[name] = _keep_dims(getattr(_tf, name))
    if hasattr(_tf, "argmax"):
        names["arg_max"] = _tf.argmax
        names["arg_min"] = _tf.argmin
    if hasattr(_tf.math, "floordiv"):
        names["floor_div"] = _tf.math.floordiv
    return names
