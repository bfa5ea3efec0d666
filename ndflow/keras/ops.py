"""``keras.ops``: Keras 3's NumPy-like, backend-agnostic operations, written on ndflow ops.

Arguments follow NumPy (``axis=None`` reduces or flattens over everything) and Keras 3's dtype rules: Python
scalars adapt to the tensor they meet, integer inputs of float functions give ``floatx()``, mixed integer and
float tensors give the float type. Everything stays differentiable with ``ndflow.GradientTape``.
"""
from __future__ import annotations

import builtins
from types import SimpleNamespace
from typing import Any, Callable, Sequence

import numpy as np

import ndflow as _nd

from .. import linalg as _linalg
from .. import math as _math
from .. import nn as _nn
from .._core.dtypes import as_dtype
from .._core.tensor import Tensor
from .._core.tensor import is_tensor as _is_tensor
from . import activations as _activations
from .backend import epsilon, floatx

_FLOAT_ORDER = ("float16", "bfloat16", "float32", "float64")


# -- conversion and dtype rules -------------------------------------------------------------------------------
def _is_strong(value: Any) -> bool:
    return _is_tensor(value) or isinstance(value, (np.ndarray, np.generic)) or hasattr(value, "dtype")


def _python_dtype(value: Any) -> str:
    flat = np.asarray(value)
    if flat.dtype == bool:
        return "bool"
    if np.issubdtype(flat.dtype, np.integer):
        return "int32"
    if np.issubdtype(flat.dtype, np.complexfloating):
        return "complex64"
    return floatx()


def result_type(*values: Any) -> str:
    """The dtype Keras 3 gives an op combining ``values`` (Python scalars are weakly typed)."""
    strong = [as_dtype(getattr(v, "dtype", None) or np.asarray(v).dtype) for v in values
              if v is not None and _is_strong(v)]
    weak = [_python_dtype(v) for v in values if v is not None and not _is_strong(v)]
    floats = [d.name for d in strong if d.is_floating]
    if floats:
        return builtins.max(floats, key=_FLOAT_ORDER.index)
    if builtins.any(d.is_complex for d in strong):
        return np.result_type(*[d.as_numpy_dtype for d in strong]).name
    if builtins.any(w not in ("bool", "int32") for w in weak):
        return floatx() if "complex64" not in weak else "complex64"
    integers = [d for d in strong if d.is_integer]
    if integers:
        return np.result_type(*[d.as_numpy_dtype for d in integers]).name
    if strong:
        return "bool" if "int32" not in weak else "int32"
    if "int32" in weak:
        return "int32"
    return "bool" if weak else floatx()


def convert_to_tensor(x: Any, dtype: Any = None, sparse: bool | None = None, ragged: bool | None = None) -> Tensor:
    """``x`` as an ndflow tensor; Python floats become ``floatx()``, Python ints ``int32``, NumPy keeps its
    dtype."""
    if dtype is not None:
        if _is_tensor(x):
            return x if x.dtype == as_dtype(dtype) else _nd.cast(x, dtype)
        return _nd.convert_to_tensor(np.asarray(x, dtype=as_dtype(dtype).as_numpy_dtype))
    if _is_tensor(x):
        return x
    if _is_strong(x):
        return _nd.convert_to_tensor(x)
    return _nd.convert_to_tensor(np.asarray(x, dtype=as_dtype(_python_dtype(x)).as_numpy_dtype))


def convert_to_numpy(x: Any) -> np.ndarray:
    """``x`` as a NumPy array."""
    if hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    return np.asarray(x)


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is an ndflow tensor."""
    return _is_tensor(x)


def _same_dtype(*values: Any) -> list[Tensor]:
    dtype = result_type(*values)
    return [convert_to_tensor(v, dtype=dtype) for v in values]


def _float(x: Any) -> Tensor:
    x = convert_to_tensor(x)
    return x if x.dtype.is_floating or x.dtype.is_complex else _nd.cast(x, floatx())


def cast(x: Any, dtype: Any) -> Tensor:
    """``x`` converted to ``dtype``."""
    return _nd.cast(convert_to_tensor(x), dtype)


def dtype(x: Any) -> str:
    """The dtype name of ``x``."""
    return convert_to_tensor(x).dtype.name


def shape(x: Any) -> tuple:
    """The shape of ``x`` as a tuple (ints where known)."""
    dims = convert_to_tensor(x).shape.as_list() if not isinstance(x, np.ndarray) else list(x.shape)
    return tuple(dims)


def ndim(x: Any) -> int:
    return len(shape(x))


def size(x: Any) -> Any:
    """The number of elements of ``x``."""
    return _nd.size(convert_to_tensor(x))


# -- elementwise arithmetic -----------------------------------------------------------------------------------
def add(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _nd.add(x1, x2)


def subtract(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _nd.subtract(x1, x2)


def multiply(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _nd.multiply(x1, x2)


def divide(x1: Any, x2: Any) -> Tensor:
    """True division; integer inputs give ``floatx()``."""
    x1, x2 = _same_dtype(x1, x2)
    return _nd.divide(_float(x1), _float(x2))


true_divide = divide


def divide_no_nan(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _math.divide_no_nan(_float(x1), _float(x2))


def floor_divide(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _math.floordiv(x1, x2)


def mod(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _math.floormod(x1, x2)


def power(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _nd.pow(x1, x2)


def negative(x: Any) -> Tensor:
    return _nd.negative(convert_to_tensor(x))


def absolute(x: Any) -> Tensor:
    return _nd.abs(convert_to_tensor(x))


abs = absolute


def maximum(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _nd.maximum(x1, x2)


def minimum(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _nd.minimum(x1, x2)


def clip(x: Any, x_min: Any, x_max: Any) -> Tensor:
    """``x`` limited to ``[x_min, x_max]`` (bool input is clipped as int32)."""
    x = convert_to_tensor(x)
    if x.dtype == _nd.bool:
        x = _nd.cast(x, "int32")
    return _nd.clip_by_value(x, _nd.cast(x_min, x.dtype), _nd.cast(x_max, x.dtype))


def sign(x: Any) -> Tensor:
    return _nd.sign(convert_to_tensor(x))


def square(x: Any) -> Tensor:
    x = convert_to_tensor(x)
    if x.dtype == _nd.bool:
        x = _nd.cast(x, "int32")
    return _nd.square(x)


def _unary_float(function: Callable) -> Callable:
    def apply(x: Any) -> Tensor:
        return function(_float(x))

    apply.__name__ = function.__name__
    return apply


sqrt = _unary_float(_nd.sqrt)
exp = _unary_float(_nd.exp)
expm1 = _unary_float(_math.expm1)
log = _unary_float(_math.log)
log1p = _unary_float(_math.log1p)
sin = _unary_float(_nd.sin)
cos = _unary_float(_nd.cos)
tan = _unary_float(_nd.tan)
arcsin = _unary_float(_nd.asin)
arccos = _unary_float(_nd.acos)
arctan = _unary_float(_nd.atan)
sinh = _unary_float(_nd.sinh)
cosh = _unary_float(_nd.cosh)
tanh = _unary_float(_nd.tanh)
arcsinh = _unary_float(_nd.asinh)
arccosh = _unary_float(_nd.acosh)
arctanh = _unary_float(_nd.atanh)
erf = _unary_float(_math.erf)
erfinv = _unary_float(_math.erfinv)
rsqrt = _unary_float(_math.rsqrt)
reciprocal = _unary_float(_math.reciprocal)


def log2(x: Any) -> Tensor:
    x = _float(x)
    return _math.log(x) / _nd.cast(np.log(2.0), x.dtype)


def log10(x: Any) -> Tensor:
    x = _float(x)
    return _math.log(x) / _nd.cast(np.log(10.0), x.dtype)


def arctan2(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _nd.atan2(_float(x1), _float(x2))


def floor(x: Any) -> Tensor:
    return _nd.floor(_float(x))


def ceil(x: Any) -> Tensor:
    return _math.ceil(_float(x))


def round(x: Any, decimals: int = 0) -> Tensor:
    """Rounds half to even, to ``decimals`` places."""
    x = convert_to_tensor(x)
    if decimals == 0:
        return _nd.round(x)
    factor = _nd.cast(10.0 ** decimals, x.dtype)
    return _nd.round(x * factor) / factor


def isnan(x: Any) -> Tensor:
    return _math.is_nan(_float(x))


def isinf(x: Any) -> Tensor:
    return _math.is_inf(_float(x))


def isfinite(x: Any) -> Tensor:
    return _math.is_finite(_float(x))


# -- comparisons and logic ------------------------------------------------------------------------------------
def _comparison(function: Callable) -> Callable:
    def compare(x1: Any, x2: Any) -> Tensor:
        x1, x2 = _same_dtype(x1, x2)
        return function(x1, x2)

    compare.__name__ = function.__name__
    return compare


equal = _comparison(_nd.equal)
not_equal = _comparison(_nd.not_equal)
greater = _comparison(_nd.greater)
greater_equal = _comparison(_nd.greater_equal)
less = _comparison(_nd.less)
less_equal = _comparison(_nd.less_equal)


def _bool(x: Any) -> Tensor:
    x = convert_to_tensor(x)
    return x if x.dtype == _nd.bool else _nd.not_equal(x, _nd.cast(0, x.dtype))


def logical_and(x1: Any, x2: Any) -> Tensor:
    return _nd.logical_and(_bool(x1), _bool(x2))


def logical_or(x1: Any, x2: Any) -> Tensor:
    return _nd.logical_or(_bool(x1), _bool(x2))


def logical_xor(x1: Any, x2: Any) -> Tensor:
    return _math.logical_xor(_bool(x1), _bool(x2))


def logical_not(x: Any) -> Tensor:
    return _nd.logical_not(_bool(x))


def where(condition: Any, x1: Any = None, x2: Any = None) -> Tensor:
    """Picks ``x1`` where ``condition`` holds, else ``x2``; with neither, the indices of true entries (one
    tensor per dimension, as NumPy)."""
    condition = _bool(condition)
    if x1 is None and x2 is None:
        indices = _nd.where(condition)
        return tuple(_nd.cast(indices[:, i], "int32") for i in range(len(condition.shape)))
    if x1 is None or x2 is None:
        raise ValueError("`x1` and `x2` either both should be `None` or both should have non-None value.")
    x1, x2 = _same_dtype(x1, x2)
    return _nd.where(condition, x1, x2)


def isclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    close = _nd.less_equal(_nd.abs(x1 - x2), _nd.cast(atol, x1.dtype) + _nd.cast(rtol, x1.dtype) * _nd.abs(x2))
    if equal_nan and x1.dtype.is_floating:
        close = _nd.logical_or(close, _nd.logical_and(_math.is_nan(x1), _math.is_nan(x2)))
    return close


# -- reductions -----------------------------------------------------------------------------------------------
def _axis(axis: Any) -> Any:
    return list(axis) if isinstance(axis, tuple) else axis


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    x = convert_to_tensor(x)
    if x.dtype == _nd.bool or (x.dtype.is_integer and x.dtype.size < 4):
        x = _nd.cast(x, "int32")
    return _nd.reduce_sum(x, axis=_axis(axis), keepdims=keepdims)


def prod(x: Any, axis: Any = None, keepdims: bool = False, dtype: Any = None) -> Tensor:
    x = convert_to_tensor(x, dtype=dtype)
    return _nd.reduce_prod(x, axis=_axis(axis), keepdims=keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The mean; integer input gives ``floatx()``."""
    return _nd.reduce_mean(_float(x), axis=_axis(axis), keepdims=keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Tensor:
    x = convert_to_tensor(x)
    result = _nd.reduce_max(x, axis=_axis(axis), keepdims=keepdims)
    return result if initial is None else _nd.maximum(result, _nd.cast(initial, result.dtype))


def min(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Tensor:
    x = convert_to_tensor(x)
    result = _nd.reduce_min(x, axis=_axis(axis), keepdims=keepdims)
    return result if initial is None else _nd.minimum(result, _nd.cast(initial, result.dtype))


amax = max
amin = min


def var(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return _math.reduce_variance(_float(x), axis=_axis(axis), keepdims=keepdims)


def std(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return _math.reduce_std(_float(x), axis=_axis(axis), keepdims=keepdims)


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return _nd.reduce_logsumexp(_float(x), axis=_axis(axis), keepdims=keepdims)


def any(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return _nd.reduce_any(_bool(x), axis=_axis(axis), keepdims=keepdims)


def all(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return _nd.reduce_all(_bool(x), axis=_axis(axis), keepdims=keepdims)


def count_nonzero(x: Any, axis: Any = None) -> Tensor:
    return _math.count_nonzero(convert_to_tensor(x), axis=_axis(axis), dtype="int32")


def _arg_reduce(function: Callable, x: Any, axis: Any, keepdims: bool) -> Tensor:
    x = convert_to_tensor(x)
    if axis is None:
        result = function(_nd.reshape(x, [-1]), axis=0, output_type="int32")
        return _nd.reshape(result, [1] * len(x.shape)) if keepdims else result
    result = function(x, axis=axis, output_type="int32")
    return _nd.expand_dims(result, axis) if keepdims else result


def argmax(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the largest entry along ``axis`` (of the flattened tensor when ``None``), as int32."""
    return _arg_reduce(_nd.argmax, x, axis, keepdims)


def argmin(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the smallest entry along ``axis`` (of the flattened tensor when ``None``), as int32."""
    return _arg_reduce(_nd.argmin, x, axis, keepdims)


def _flatten_axis(x: Tensor, axis: Any) -> tuple[Tensor, int]:
    return (_nd.reshape(x, [-1]), 0) if axis is None else (x, axis)


def cumsum(x: Any, axis: int | None = None, dtype: Any = None) -> Tensor:
    x = convert_to_tensor(x, dtype=dtype)
    if x.dtype == _nd.bool:
        x = _nd.cast(x, "int32")
    x, axis = _flatten_axis(x, axis)
    return _nd.cumsum(x, axis=axis)


def cumprod(x: Any, axis: int | None = None, dtype: Any = None) -> Tensor:
    x = convert_to_tensor(x, dtype=dtype)
    if x.dtype == _nd.bool:
        x = _nd.cast(x, "int32")
    x, axis = _flatten_axis(x, axis)
    return _math.cumprod(x, axis=axis)


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:
    """NumPy's ``linalg.norm``: vector norms over one axis (or the flattened tensor), matrix norms (``fro``,
    ``nuc``, ±1, ±2, ±inf) over two axes."""
    x = _float(x)
    rank = len(x.shape)
    if axis is None:
        axis = tuple(range(rank))
        if ord is not None and rank not in (1, 2):
            raise ValueError(f"Improper number of dimensions to norm. Received: x.shape={x.shape}")
        if ord is None:
            return _nd.sqrt(_nd.reduce_sum(_nd.square(x), axis=list(axis), keepdims=keepdims))
    if isinstance(axis, int):
        axis = (axis,)
    axis = tuple(a % rank for a in axis)
    if len(axis) == 1:
        return _vector_norm(x, ord, axis[0], keepdims)
    if len(axis) == 2:
        return _matrix_norm(x, ord, axis, keepdims)
    raise ValueError(f"Invalid axis values for norm. Received: axis={axis}")


def _vector_norm(x: Tensor, order: Any, axis: int, keepdims: bool) -> Tensor:
    magnitude = _nd.abs(x)
    if order is None or order == 2:
        return _nd.sqrt(_nd.reduce_sum(_nd.square(x), axis=axis, keepdims=keepdims))
    if order == np.inf:
        return _nd.reduce_max(magnitude, axis=axis, keepdims=keepdims)
    if order == -np.inf:
        return _nd.reduce_min(magnitude, axis=axis, keepdims=keepdims)
    if order == 0:
        return _nd.reduce_sum(_nd.cast(_nd.not_equal(x, 0), x.dtype), axis=axis, keepdims=keepdims)
    if isinstance(order, str):
        raise ValueError(f"Invalid `ord` argument for vector norm. Received: ord={order}")
    power = _nd.cast(order, x.dtype)
    return _nd.pow(_nd.reduce_sum(_nd.pow(magnitude, power), axis=axis, keepdims=keepdims), 1.0 / power)


def _matrix_norm(x: Tensor, order: Any, axis: tuple, keepdims: bool) -> Tensor:
    row_axis, col_axis = axis
    if order in (None, "fro"):
        result = _nd.sqrt(_nd.reduce_sum(_nd.square(x), axis=list(axis), keepdims=True))
    elif order in (1, -1):
        sums = _nd.reduce_sum(_nd.abs(x), axis=row_axis, keepdims=True)
        reduce = _nd.reduce_max if order == 1 else _nd.reduce_min
        result = reduce(sums, axis=col_axis, keepdims=True)
    elif order in (np.inf, -np.inf):
        sums = _nd.reduce_sum(_nd.abs(x), axis=col_axis, keepdims=True)
        reduce = _nd.reduce_max if order == np.inf else _nd.reduce_min
        result = reduce(sums, axis=row_axis, keepdims=True)
    elif order in ("nuc", 2, -2):
        rest = [a for a in range(len(x.shape)) if a not in axis]
        moved = _nd.transpose(x, rest + [row_axis, col_axis])
        singular = _linalg.svd(moved, compute_uv=False)
        if order == "nuc":
            result = _nd.reduce_sum(singular, axis=-1)
        else:
            result = (_nd.reduce_max if order == 2 else _nd.reduce_min)(singular, axis=-1)
        for a in sorted(axis):
            result = _nd.expand_dims(result, a)
    else:
        raise ValueError(f"Invalid `ord` argument for matrix norm. Received: ord={order}")
    return result if keepdims else _nd.squeeze(result, list(axis))


# -- shapes and layout ----------------------------------------------------------------------------------------
def reshape(x: Any, newshape: Any) -> Tensor:
    return _nd.reshape(convert_to_tensor(x), [newshape] if isinstance(newshape, int) else list(newshape))


def transpose(x: Any, axes: Any = None) -> Tensor:
    return _nd.transpose(convert_to_tensor(x), perm=None if axes is None else list(axes))


def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    x = convert_to_tensor(x)
    perm = list(range(len(x.shape)))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return _nd.transpose(x, perm)


def moveaxis(x: Any, source: Any, destination: Any) -> Tensor:
    x = convert_to_tensor(x)
    rank = len(x.shape)
    sources = [source] if isinstance(source, int) else list(source)
    destinations = [destination] if isinstance(destination, int) else list(destination)
    sources = [s % rank for s in sources]
    destinations = [d % rank for d in destinations]
    perm = [a for a in range(rank) if a not in sources]
    for dest, src in sorted(zip(destinations, sources)):
        perm.insert(dest, src)
    return _nd.transpose(x, perm)


def expand_dims(x: Any, axis: Any) -> Tensor:
    x = convert_to_tensor(x)
    for a in sorted(axis) if isinstance(axis, (tuple, list)) else [axis]:
        x = _nd.expand_dims(x, a)
    return x


def squeeze(x: Any, axis: Any = None) -> Tensor:
    x = convert_to_tensor(x)
    if axis is None:
        return _nd.squeeze(x)
    axes = [axis] if isinstance(axis, int) else list(axis)
    for a in axes:
        if x.shape[a] is not None and x.shape[a] != 1:
            raise ValueError(f"Cannot squeeze axis {a}, because the dimension is not 1. Received: x.shape={x.shape}")
    return _nd.squeeze(x, axes)


def concatenate(xs: Sequence[Any], axis: int | None = 0) -> Tensor:
    xs = _same_dtype(*xs)
    if axis is None:
        xs = [_nd.reshape(x, [-1]) for x in xs]
        axis = 0
    return _nd.concat(xs, axis=axis)


def stack(x: Sequence[Any], axis: int = 0) -> Tensor:
    return _nd.stack(_same_dtype(*x), axis=axis)


def unstack(x: Any, num: int | None = None, axis: int = 0) -> list:
    return _nd.unstack(convert_to_tensor(x), num=num, axis=axis)


def split(x: Any, indices_or_sections: Any, axis: int = 0) -> list:
    """NumPy's split: a number of equal sections, or the indices to cut at."""
    x = convert_to_tensor(x)
    if isinstance(indices_or_sections, int):
        return _nd.split(x, indices_or_sections, axis=axis)
    bounds = [0, *indices_or_sections, x.shape[axis]]
    return _nd.split(x, [b - a for a, b in zip(bounds[:-1], bounds[1:])], axis=axis)


def tile(x: Any, repeats: Any) -> Tensor:
    x = convert_to_tensor(x)
    repeats = [repeats] if isinstance(repeats, int) else list(repeats)
    if len(repeats) < len(x.shape):
        repeats = [1] * (len(x.shape) - len(repeats)) + repeats
    while len(x.shape) < len(repeats):
        x = _nd.expand_dims(x, 0)
    return _nd.tile(x, repeats)


def repeat(x: Any, repeats: Any, axis: int | None = None) -> Tensor:
    """Repeats each entry ``repeats`` times along ``axis`` (of the flattened tensor when ``None``)."""
    x = convert_to_tensor(x)
    x, axis = _flatten_axis(x, axis)
    counts = np.broadcast_to(np.asarray(repeats), (x.shape[axis],))
    return _nd.gather(x, np.repeat(np.arange(x.shape[axis]), counts), axis=axis)


def flip(x: Any, axis: Any = None) -> Tensor:
    x = convert_to_tensor(x)
    axes = list(range(len(x.shape))) if axis is None else ([axis] if isinstance(axis, int) else list(axis))
    return _nd.reverse(x, axes)


def roll(x: Any, shift: Any, axis: Any = None) -> Tensor:
    x = convert_to_tensor(x)
    if axis is None:
        return _nd.reshape(_nd.roll(_nd.reshape(x, [-1]), shift, 0), _nd.shape(x))
    return _nd.roll(x, shift, axis)


def pad(x: Any, pad_width: Any, mode: str = "constant", constant_values: Any = None) -> Tensor:
    x = convert_to_tensor(x)
    widths = np.broadcast_to(np.asarray(pad_width), (len(x.shape), 2)).tolist()
    mode = mode.upper()
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise NotImplementedError(f"`keras.ops.pad` mode={mode.lower()!r} is not supported yet")
    if constant_values is not None and mode != "CONSTANT":
        raise ValueError("Argument `constant_values` can only be provided when `mode == 'constant'`. "
                         f"Received: mode={mode.lower()}")
    return _nd.pad(x, widths, mode=mode, constant_values=constant_values or 0)


def broadcast_to(x: Any, shape: Any) -> Tensor:
    return _nd.broadcast_to(convert_to_tensor(x), list(shape))


def ravel(x: Any) -> Tensor:
    return _nd.reshape(convert_to_tensor(x), [-1])


def flatten(x: Any) -> Tensor:
    return ravel(x)


def tril(x: Any, k: int = 0) -> Tensor:
    x = convert_to_tensor(x)
    rows, cols = x.shape[-2], x.shape[-1]
    mask = np.tril(np.ones((rows, cols), dtype=bool), k)
    return _nd.where(mask, x, _nd.zeros_like(x))


def triu(x: Any, k: int = 0) -> Tensor:
    x = convert_to_tensor(x)
    rows, cols = x.shape[-2], x.shape[-1]
    mask = np.triu(np.ones((rows, cols), dtype=bool), k)
    return _nd.where(mask, x, _nd.zeros_like(x))


def diag(x: Any, k: int = 0) -> Tensor:
    """The ``k``-th diagonal of a matrix, or a matrix with a vector on its ``k``-th diagonal."""
    x = convert_to_tensor(x)
    if len(x.shape) == 1:
        return _linalg.diag(x, k=k)
    if len(x.shape) == 2:
        return _linalg.diag_part(x, k=k)
    raise ValueError(f"`x` must be 1d or 2d. Received: x.shape={x.shape}")


def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    x = moveaxis(x, (axis1, axis2), (-2, -1))
    return _linalg.diag_part(x, k=offset)


def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    return _nd.reduce_sum(diagonal(x, offset, axis1, axis2), axis=-1)


# -- products -------------------------------------------------------------------------------------------------
def matmul(x1: Any, x2: Any) -> Tensor:
    """Matrix product with NumPy's rules for 1-D operands; integer inputs stay integer."""
    x1, x2 = _same_dtype(x1, x2)
    if len(x1.shape) == 1 and len(x2.shape) == 1:
        return _nd.reduce_sum(x1 * x2)
    if len(x1.shape) == 1:
        return _nd.squeeze(_nd.matmul(_nd.expand_dims(x1, 0), x2), -2)
    if len(x2.shape) == 1:
        return _nd.squeeze(_nd.matmul(x1, _nd.expand_dims(x2, -1)), -1)
    return _nd.matmul(x1, x2)


def dot(x1: Any, x2: Any) -> Tensor:
    """NumPy's ``dot``: products of scalars, inner/matrix products, and contraction of ``x1``'s last axis with
    ``x2``'s second-to-last."""
    x1, x2 = _same_dtype(x1, x2)
    if len(x1.shape) == 0 or len(x2.shape) == 0:
        return x1 * x2
    if len(x2.shape) == 1 or len(x1.shape) <= 2 and len(x2.shape) <= 2:
        return matmul(x1, x2)
    return _nd.tensordot(x1, x2, [[len(x1.shape) - 1], [len(x2.shape) - 2]])


def tensordot(x1: Any, x2: Any, axes: Any = 2) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _nd.tensordot(x1, x2, axes)


def einsum(subscripts: str, *operands: Any) -> Tensor:
    return _nd.einsum(subscripts, *_same_dtype(*operands))


def outer(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _nd.reshape(x1, [-1, 1]) * _nd.reshape(x2, [1, -1])


def vdot(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _nd.reduce_sum(_nd.reshape(x1, [-1]) * _nd.reshape(x2, [-1]))


def cross(x1: Any, x2: Any) -> Tensor:
    x1, x2 = _same_dtype(x1, x2)
    return _linalg.cross(x1, x2)


# -- creation -------------------------------------------------------------------------------------------------
def _shape_list(shape: Any) -> list:
    return [shape] if isinstance(shape, int) else list(shape)


def zeros(shape: Any, dtype: Any = None) -> Tensor:
    return _nd.zeros(_shape_list(shape), dtype=dtype or floatx())


def ones(shape: Any, dtype: Any = None) -> Tensor:
    return _nd.ones(_shape_list(shape), dtype=dtype or floatx())


def full(shape: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    value = convert_to_tensor(fill_value, dtype=dtype or floatx())
    return _nd.broadcast_to(value, _shape_list(shape))


def zeros_like(x: Any, dtype: Any = None) -> Tensor:
    return _nd.zeros_like(convert_to_tensor(x), dtype=dtype)


def ones_like(x: Any, dtype: Any = None) -> Tensor:
    return _nd.ones_like(convert_to_tensor(x), dtype=dtype)


def full_like(x: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    x = convert_to_tensor(x)
    return _nd.broadcast_to(convert_to_tensor(fill_value, dtype=dtype or x.dtype), _nd.shape(x))


def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Tensor:
    return _nd.convert_to_tensor(np.eye(N, M, k, dtype=as_dtype(dtype or floatx()).as_numpy_dtype))


def identity(n: int, dtype: Any = None) -> Tensor:
    return eye(n, dtype=dtype)


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = None) -> Tensor:
    """Evenly spaced values in ``[start, stop)``; dtype from the arguments as Keras (ints give int32)."""
    if dtype is None:
        dtype = result_type(*[v for v in (start, stop, step) if v is not None])
    if stop is None:
        start, stop = 0, start
    return _nd.range(start, stop, step, dtype=dtype)


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, retstep: bool = False, dtype: Any = None,
             axis: int = 0) -> Any:
    dtype = dtype or floatx()
    values = np.linspace(convert_to_numpy(start), convert_to_numpy(stop), num, endpoint=endpoint, retstep=retstep,
                         axis=axis)
    if retstep:
        values, step = values
        return _nd.cast(values, dtype), step
    return _nd.cast(values, dtype)


def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Tensor:
    return _nd.convert_to_tensor(np.tri(N, M, k, dtype=as_dtype(dtype or floatx()).as_numpy_dtype))


def meshgrid(*x: Any, indexing: str = "xy") -> list:
    return _nd.meshgrid(*[convert_to_tensor(v) for v in x], indexing=indexing)


# -- indexing, sorting ----------------------------------------------------------------------------------------
def _wrap_negative(indices: Tensor, dim: Any) -> Tensor:
    return _nd.where(indices < 0, indices + _nd.cast(dim, indices.dtype), indices)


def take(x: Any, indices: Any, axis: int | None = None) -> Tensor:
    """Entries of ``x`` at ``indices`` along ``axis`` (of the flattened tensor when ``None``); negative
    indices count from the end."""
    x = convert_to_tensor(x)
    x, axis = _flatten_axis(x, axis)
    indices = convert_to_tensor(indices)
    if not indices.dtype.is_integer:
        indices = _nd.cast(indices, "int32")
    return _nd.gather(x, _wrap_negative(indices, _nd.shape(x)[axis]), axis=axis)


def take_along_axis(x: Any, indices: Any, axis: int | None = None) -> Tensor:
    """NumPy's ``take_along_axis`` (broadcasting ``x`` and ``indices`` on the other axes)."""
    x = convert_to_tensor(x)
    indices = convert_to_tensor(indices)
    if axis is None:
        x, indices, axis = _nd.reshape(x, [-1]), _nd.reshape(indices, [-1]), 0
    rank = len(x.shape)
    axis = axis % rank
    indices = _wrap_negative(_nd.cast(indices, "int64"), x.shape[axis])
    x_shape, index_shape = list(x.shape), list(indices.shape)
    target = [builtins.max(a, b) if i != axis else None for i, (a, b) in enumerate(zip(x_shape, index_shape))]
    x = _nd.broadcast_to(x, [d if d is not None else x_shape[axis] for d in target])
    indices = _nd.broadcast_to(indices, [d if d is not None else index_shape[axis] for d in target])
    moved_x = moveaxis(x, axis, -1)
    moved_indices = moveaxis(indices, axis, -1)
    gathered = _nd.gather(moved_x, moved_indices, axis=rank - 1, batch_dims=rank - 1)
    return moveaxis(gathered, -1, axis)


def top_k(x: Any, k: int, sorted: bool = True) -> Any:
    """The ``k`` largest entries of the last axis and their (int32) indices."""
    return _math.top_k(convert_to_tensor(x), k=k, sorted=sorted)


def sort(x: Any, axis: int = -1) -> Tensor:
    return _nd.sort(convert_to_tensor(x), axis=axis)


def argsort(x: Any, axis: int = -1) -> Tensor:
    x = convert_to_tensor(x)
    if len(x.shape) == 0:
        return _nd.constant(0, dtype="int32")
    return _nd.cast(_nd.argsort(x, axis=axis, stable=True), "int32")


def one_hot(x: Any, num_classes: int, axis: int = -1, dtype: Any = None, sparse: bool = False) -> Tensor:
    """One-hot encoding of integer ``x`` (``floatx()`` by default); out-of-range labels give zero rows."""
    if sparse:
        raise NotImplementedError("`keras.ops.one_hot(sparse=True)` is not supported yet")
    return _nd.one_hot(convert_to_tensor(x), num_classes, axis=axis, dtype=dtype or floatx())


def multi_hot(inputs: Any, num_classes: int, axis: int = -1, dtype: Any = None, sparse: bool = False) -> Tensor:
    """1 at every class present in each row of integer ``inputs``."""
    inputs = convert_to_tensor(inputs)
    reduction_axis = 1 if len(inputs.shape) > 1 else 0
    encoded = one_hot(inputs, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return _nd.reduce_max(encoded, axis=reduction_axis)


def slice(inputs: Any, start_indices: Any, shape: Any) -> Tensor:
    return _nd.slice(convert_to_tensor(inputs), list(start_indices), list(shape))


def slice_update(inputs: Any, start_indices: Any, updates: Any) -> Tensor:
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    grids = np.meshgrid(*[np.arange(s, s + n) for s, n in zip(start_indices, updates.shape)], indexing="ij")
    indices = np.stack(grids, axis=-1)
    return _nd.tensor_scatter_nd_update(inputs, indices, updates)


def scatter(indices: Any, values: Any, shape: Any) -> Tensor:
    """A zero tensor of ``shape`` with ``values`` added at ``indices``."""
    return _nd.scatter_nd(convert_to_tensor(indices), convert_to_tensor(values), list(shape))


def scatter_update(inputs: Any, indices: Any, updates: Any) -> Tensor:
    inputs = convert_to_tensor(inputs)
    return _nd.tensor_scatter_nd_update(inputs, convert_to_tensor(indices),
                                        convert_to_tensor(updates, dtype=inputs.dtype))


def segment_sum(data: Any, segment_ids: Any, num_segments: int | None = None, sorted: bool = False) -> Tensor:
    data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    if num_segments is None:
        num_segments = int(np.max(convert_to_numpy(segment_ids))) + 1
    return _math.unsorted_segment_sum(data, segment_ids, num_segments)


def segment_max(data: Any, segment_ids: Any, num_segments: int | None = None, sorted: bool = False) -> Tensor:
    data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    if num_segments is None:
        num_segments = int(np.max(convert_to_numpy(segment_ids))) + 1
    return _math.unsorted_segment_max(data, segment_ids, num_segments)


# -- control flow and gradients -------------------------------------------------------------------------------
def stop_gradient(variable: Any) -> Tensor:
    return _nd.stop_gradient(convert_to_tensor(variable))


def cond(pred: Any, true_fn: Callable, false_fn: Callable) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()`` (a graph conditional inside ``ndflow.function``)."""
    return _nd.cond(pred, true_fn, false_fn)


def while_loop(cond: Callable, body: Callable, loop_vars: Any, maximum_iterations: int | None = None) -> Any:
    """Runs ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``; a single tensor may be passed bare."""
    is_sequence = isinstance(loop_vars, (tuple, list))
    state = tuple(convert_to_tensor(v) for v in loop_vars) if is_sequence else (convert_to_tensor(loop_vars),)

    def step(*values: Any) -> tuple:
        result = body(*values)
        return tuple(result) if isinstance(result, (tuple, list)) else (result,)

    outputs = _nd.while_loop(lambda *values: cond(*values), step, state, maximum_iterations=maximum_iterations)
    outputs = tuple(outputs)
    if not is_sequence:
        return outputs[0]
    return type(loop_vars)(outputs) if isinstance(loop_vars, list) else outputs


def fori_loop(lower: int, upper: int, body_fun: Callable, init_val: Any) -> Any:
    """``init_val = body_fun(i, init_val)`` for ``i`` in ``range(lower, upper)``."""
    _, result = while_loop(lambda i, _: i < upper, lambda i, value: (i + 1, body_fun(i, value)),
                           (convert_to_tensor(lower), init_val))
    return result


def scan(f: Callable, init: Any, xs: Any = None, length: int | None = None, reverse: bool = False,
         unroll: int = 1) -> tuple:
    """JAX-style scan: ``carry, y = f(carry, x)`` over ``xs``; returns the last carry and the stacked ``y``."""
    if xs is None:
        xs = _nd.zeros([length])
    elements = _nd.unstack(convert_to_tensor(xs)) if not isinstance(xs, (list, tuple)) else list(zip(*[
        _nd.unstack(convert_to_tensor(x)) for x in xs]))
    if reverse:
        elements = elements[::-1]
    carry, outputs = init, []
    for element in elements:
        carry, y = f(carry, element)
        outputs.append(y)
    if reverse:
        outputs = outputs[::-1]
    stacked = _nd.nest.map_structure(lambda *ys: _nd.stack(ys), *outputs) if outputs else None
    return carry, stacked


def map(f: Callable, xs: Any) -> Any:
    """``f`` applied to each slice of ``xs`` along its first axis, results stacked."""
    return _nd.map_fn(f, xs)


def vectorized_map(function: Callable, elements: Any) -> Any:
    return _nd.map_fn(function, elements)


# -- neural-network functions ---------------------------------------------------------------------------------
relu = _activations.relu
relu6 = _activations.relu6
sigmoid = _activations.sigmoid
softplus = _activations.softplus
softsign = _activations.softsign
silu = _activations.silu
swish = _activations.silu
gelu = _activations.gelu
elu = _activations.elu
selu = _activations.selu
celu = _activations.celu
glu = _activations.glu
hard_sigmoid = _activations.hard_sigmoid
hard_silu = _activations.hard_silu
hard_swish = _activations.hard_silu
hard_tanh = _activations.hard_tanh
log_sigmoid = _activations.log_sigmoid
sparsemax = _activations.sparsemax
leaky_relu = _activations.leaky_relu


def softmax(x: Any, axis: int = -1) -> Tensor:
    return _activations.softmax(_float(x), axis=axis)


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    return _activations.log_softmax(_float(x), axis=axis)


def normalize(x: Any, axis: int = -1, order: int = 2, epsilon: float | None = None) -> Tensor:
    """``x`` scaled to unit ``order``-norm along ``axis``."""
    from .utils.numerical_utils import normalize_tensor

    return normalize_tensor(_float(x), axis=axis, order=order, epsilon=epsilon)


def moments(x: Any, axes: Any, keepdims: bool = False, synchronized: bool = False) -> tuple:
    """Mean and variance of ``x`` over ``axes``."""
    return _nn.moments(_float(x), axes=list(axes) if not isinstance(axes, int) else [axes], keepdims=keepdims)


def _logits_of(output: Tensor, from_logits: bool) -> tuple[Tensor, bool]:
    logits = getattr(output, "_keras_logits", None)
    if not from_logits and logits is not None:
        return logits, True
    return output, from_logits


def _check_same_shape(target: Tensor, output: Tensor) -> None:
    if len(target.shape) != len(output.shape):
        raise ValueError("Arguments `target` and `output` must have the same rank (ndim). Received: "
                         f"target.shape={target.shape}, output.shape={output.shape}")
    for t, o in zip(target.shape, output.shape):
        if t is not None and o is not None and t != o:
            raise ValueError("Arguments `target` and `output` must have the same shape. Received: "
                             f"target.shape={target.shape}, output.shape={output.shape}")


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Tensor:
    """Element-wise binary cross-entropy between labels ``target`` and probabilities (or logits) ``output``."""
    output = _float(output)
    target = convert_to_tensor(target, dtype=output.dtype)
    _check_same_shape(target, output)
    output, from_logits = _logits_of(output, from_logits)
    if from_logits:
        return _nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    eps = _nd.cast(epsilon(), output.dtype)
    output = _nd.clip_by_value(output, eps, 1.0 - eps)
    return -(target * _math.log(output) + (1.0 - target) * _math.log(1.0 - output))


def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Tensor:
    """Cross-entropy between one-hot ``target`` and probabilities (or logits) ``output`` along ``axis``."""
    output = _float(output)
    target = convert_to_tensor(target, dtype=output.dtype)
    _check_same_shape(target, output)
    if len(target.shape) < 1:
        raise ValueError(f"Arguments `target` and `output` must be at least rank 1. Received: target.shape="
                         f"{target.shape}, output.shape={output.shape}")
    output, from_logits = _logits_of(output, from_logits)
    if from_logits:
        return -_nd.reduce_sum(target * _nn.log_softmax(output, axis=axis), axis=axis)
    output = output / _nd.reduce_sum(output, axis=axis, keepdims=True)
    eps = _nd.cast(epsilon(), output.dtype)
    output = _nd.clip_by_value(output, eps, 1.0 - eps)
    return -_nd.reduce_sum(target * _math.log(output), axis=axis)


def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Tensor:
    """Cross-entropy between integer labels ``target`` and probabilities (or logits) ``output``."""
    output = _float(output)
    target = convert_to_tensor(target)
    if len(target.shape) == len(output.shape) and target.shape[-1] == 1:
        target = _nd.squeeze(target, -1)
    output, from_logits = _logits_of(output, from_logits)
    if not from_logits:
        eps = _nd.cast(epsilon(), output.dtype)
        output = _math.log(_nd.clip_by_value(output, eps, 1.0 - eps))
    depth = output.shape[axis]
    labels = _nd.one_hot(_nd.cast(target, "int32"), depth, axis=axis, dtype=output.dtype)
    return -_nd.reduce_sum(labels * _nn.log_softmax(output, axis=axis), axis=axis)


# -- image ----------------------------------------------------------------------------------------------------
_RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


def _resize(images: Any, size: Any, interpolation: str = "bilinear", antialias: bool = False,
            crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False, fill_mode: str = "constant",
            fill_value: float = 0.0, data_format: str | None = None) -> Tensor:
    """Resizes ``images`` (3-D or 4-D) to ``size = (height, width)``, after an optional centred crop or pad
    (with ``fill_value``) to the target aspect ratio."""
    from .backend import standardize_data_format
    from .layers.preprocessing._image_ops import resize

    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers. Received: size={size}")
    if size[0] <= 0 or size[1] <= 0:
        raise ValueError(f"`size` must have positive height and width. Received: size={size}")
    images = convert_to_tensor(images)
    if len(images.shape) not in (3, 4):
        raise ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
                         f"Received input with shape: images.shape={images.shape}")
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.")
    if interpolation not in _RESIZE_INTERPOLATIONS:
        raise ValueError(f"Invalid value for argument `interpolation`. Expected of one {_RESIZE_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation}")
    if fill_mode != "constant":
        raise ValueError("Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
                         f"Received: fill_mode={fill_mode}")
    channels_first = standardize_data_format(data_format) == "channels_first"
    if channels_first:
        images = moveaxis(images, -3, -1)
    single = len(images.shape) == 3
    batch = _nd.expand_dims(images, 0) if single else images
    resized = resize(batch, int(size[0]), int(size[1]), interpolation, antialias, crop_to_aspect_ratio,
                     pad_to_aspect_ratio, fill_value)
    resized = resized[0] if single else resized
    return moveaxis(resized, -1, -3) if channels_first else resized


image = SimpleNamespace(resize=_resize)
nn = SimpleNamespace(relu=relu, sigmoid=sigmoid, softmax=softmax, log_softmax=log_softmax, one_hot=one_hot,
                     moments=moments, normalize=normalize, binary_crossentropy=binary_crossentropy,
                     categorical_crossentropy=categorical_crossentropy,
                     sparse_categorical_crossentropy=sparse_categorical_crossentropy)
