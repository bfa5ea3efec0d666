"""Reductions, arg-reductions and scans (``tf.reduce_sum``, ``tf.argmax``, ``tf.cumsum`` …)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..export import export
from ..tensor import EagerTensor, Tensor
from . import math_ops
from ._helpers import _TF_TYPE_NAMES, FLOATS, check_dtype, execute, invalid_arg, register, to_tensor
from .array_ops import ones_like, reshape, reshape_like
from .math_ops import broadcast_like, conj, divide, divide_no_nan, multiply, subtract

# TF's allowed-type lists, in the order its attr errors print them.
SUM_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "complex64", "int64", "bfloat16",
             "uint16", "complex128", "float16", "uint32", "uint64")
MINMAX_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "int64", "bfloat16", "uint16",
                "float16", "uint32", "uint64")
_ARG_TYPES = MINMAX_TYPES + ("bool",)
_ARG_OUTPUT_TYPES = ("int16", "uint16", "int32", "int64")


# ---------------------------------------------------------------------------------------------------------
# Axis handling


def _axis_values(axis: Any) -> list:
    if isinstance(axis, (Tensor, np.ndarray)) or hasattr(axis, "_as_tensor"):
        return np.asarray(axis).reshape(-1).tolist()
    if isinstance(axis, (list, tuple)):
        return list(axis)
    return [axis]


def _int_axis(a: Any) -> int:
    if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
        raise TypeError(f"Cannot convert {a!r} to EagerTensor of dtype int32")
    return int(a)


def reduction_axes(op_name: str, axis: Any, rank: int) -> tuple | None:
    """Validates ``axis`` (int, list, tensor; negative allowed) into sorted non-negative axes.

    Returns:
        None for "all axes", else a tuple (possibly empty: no reduction).

    Raises:
        InvalidArgumentError: an axis out of range or given twice (TF's kernel messages).
        TypeError: a non-integer axis.
    """
    if axis is None:
        return None
    if type(axis) is int and -rank <= axis < rank:
        return (axis % rank,)
    out = []
    for a in _axis_values(axis):
        a = _int_axis(a)
        if not -rank <= a < rank:
            raise invalid_arg(op_name, f"Invalid reduction dimension ({a} for input with {rank} dimension(s)")
        a %= rank
        if a in out:
            raise invalid_arg(op_name, f"Invalid reduction arguments: Axes contains duplicate dimension: {a}")
        out.append(a)
    return tuple(sorted(out))


def _keep_dims_forward(xp, t, like, *, axis):
    return t.reshape(tuple(1 if axis is None or i in axis else d for i, d in enumerate(like.shape)))


def _group_size(shape: tuple, axis: tuple | None) -> int:
    """How many entries each output of a reduction over ``axis`` combines."""
    return math.prod(shape if axis is None else [shape[a] for a in axis])


def _reduced_count_forward(xp, x, *, axis):
    return xp.asarray(max(_group_size(x.shape, axis), 1), dtype=x.dtype)


# Run-time shape helpers for gradients, so they also work in graphs with unknown dimensions.
KeepReducedDims = register("KeepReducedDims", _keep_dims_forward,
                           grad=lambda entry, dy: (reshape_like(dy, entry.inputs[0]), None))
ReducedCount = register("ReducedCount", _reduced_count_forward)


def _with_kept_dims(t: Tensor, x: Tensor, attrs: dict) -> Tensor:
    """A reduction's output (or its gradient) reshaped to keep the reduced axes as size 1."""
    if attrs["keepdims"]:
        return t
    axis = attrs["axis"]
    if x.shape.is_fully_defined():
        return reshape(t, [1 if axis is None or i in axis else d for i, d in enumerate(x.shape.as_list())])
    return execute(KeepReducedDims, (t, x), {"axis": axis})


def _reduced_count(x: Tensor, axis: tuple | None) -> Any:
    """``_group_size`` (at least 1) of ``x``: an int, or a tensor when the shape is known only at run time."""
    if not x.shape.is_fully_defined():
        return execute(ReducedCount, (x,), {"axis": axis})
    return max(_group_size(tuple(x.shape.as_list()), axis), 1)


def _reduce(op: Any, input_tensor: Any, axis: Any, keepdims: Any, allowed: tuple) -> Tensor:
    x = to_tensor(input_tensor)
    if x.dtype.name not in allowed:
        check_dtype(op.name, x, allowed)
    return execute(op, (x,), {"axis": reduction_axes(op.name, axis, x.ndim), "keepdims": bool(keepdims)})


# ---------------------------------------------------------------------------------------------------------
# Sum, mean, prod


def _sum_forward(xp, x, *, axis, keepdims):
    if x.dtype.kind == "f" and x.dtype.itemsize < 4:  # half precision accumulates in float32, like TF
        return xp.sum(x, axis=axis, keepdims=keepdims, dtype=xp.float32).astype(x.dtype)
    return xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _sum_grad(entry, dy):
    x = entry.inputs[0]
    return (broadcast_like(_with_kept_dims(dy, x, entry.attrs), x),)


Sum = register("Sum", _sum_forward, grad=_sum_grad)


@export("math.reduce_sum", "reduce_sum")
def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Sum over ``axis`` (all axes when None).

    Raises:
        InvalidArgumentError: bool/string input, an axis out of range or repeated.
    """
    return _reduce(Sum, input_tensor, axis, keepdims, SUM_TYPES)


def _mean_forward(xp, x, *, axis, keepdims):
    kind = x.dtype.kind
    count = _group_size(x.shape, axis)
    if kind in "iu":
        total = xp.sum(x, axis=axis, keepdims=keepdims, dtype=xp.int64 if kind == "i" else xp.uint64)
        if count == 0:
            return xp.zeros(total.shape, dtype=x.dtype)
        if kind == "u":
            return (total // count).astype(x.dtype)
        return (xp.sign(total) * (xp.abs(total) // count)).astype(x.dtype)  # C division: toward zero
    acc = xp.float32 if kind == "f" and x.dtype.itemsize < 4 else x.dtype
    total = xp.sum(x, axis=axis, keepdims=keepdims, dtype=acc)
    if count == 0:
        return xp.full(total.shape, xp.nan, dtype=x.dtype)
    return (total / count).astype(x.dtype, copy=False)


def _mean_grad(entry, dy):
    x = entry.inputs[0]
    count = _reduced_count(x, entry.attrs["axis"])
    return (broadcast_like(_with_kept_dims(divide(dy, count), x, entry.attrs), x),)


Mean = register("Mean", _mean_forward, grad=_mean_grad)


@export("math.reduce_mean", "reduce_mean")
def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                name: str | None = None) -> Tensor:
    """Mean over ``axis``; integer inputs keep their dtype and truncate toward zero like TF."""
    return _reduce(Mean, input_tensor, axis, keepdims, SUM_TYPES)


def _prod_forward(xp, x, *, axis, keepdims):
    return xp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _exclusive_products(x: Tensor, axis: int) -> Tensor:
    """For each position, the product of the other entries along ``axis`` (no division: zero-safe)."""
    return multiply(cumprod(x, axis, exclusive=True), cumprod(x, axis, exclusive=True, reverse=True))


def _products_of_others(x: Tensor, axes: tuple) -> Tensor:
    """For each position, the product of all other entries of its reduction group over ``axes``."""
    last = axes[-1]
    others = _exclusive_products(x, last)
    if len(axes) == 1:
        return others
    outer = _products_of_others(reduce_prod(x, last, keepdims=True), axes[:-1])
    return multiply(others, broadcast_like(outer, x))


def _prod_grad(entry, dy):
    x = entry.inputs[0]
    axis = entry.attrs["axis"]
    axes = tuple(range(x.ndim)) if axis is None else axis
    dy = broadcast_like(_with_kept_dims(dy, x, entry.attrs), x)
    if not axes:
        return (dy,)
    return (multiply(dy, conj(_products_of_others(x, axes))),)


Prod = register("Prod", _prod_forward, grad=_prod_grad)


@export("math.reduce_prod", "reduce_prod")
def reduce_prod(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                name: str | None = None) -> Tensor:
    """Product over ``axis``; its gradient is exact where inputs are zero."""
    return _reduce(Prod, input_tensor, axis, keepdims, SUM_TYPES)


# ---------------------------------------------------------------------------------------------------------
# Max, min


def _lowest(xp, dtype):
    return -xp.inf if dtype.kind == "f" else xp.iinfo(dtype).min


def _highest(xp, dtype):
    return xp.inf if dtype.kind == "f" else xp.iinfo(dtype).max


def _max_forward(xp, x, *, axis, keepdims):
    if x.size == 0:
        return xp.max(x, axis=axis, keepdims=keepdims, initial=_lowest(xp, x.dtype))
    return xp.max(x, axis=axis, keepdims=keepdims)


def _min_forward(xp, x, *, axis, keepdims):
    if x.size == 0:
        return xp.min(x, axis=axis, keepdims=keepdims, initial=_highest(xp, x.dtype))
    return xp.min(x, axis=axis, keepdims=keepdims)


def _selection_weights_forward(xp, x, y, *, axis):
    selected = x == y
    count = xp.sum(selected, axis=axis, keepdims=True, dtype=x.dtype)
    return selected.astype(x.dtype) / count


# (x == y) / (number of ties): where the gradient of a max or min goes, split evenly between ties.
SelectionWeights = register("ReduceSelectionWeights", _selection_weights_forward)


def _extremum_grad(entry, dy):
    x = entry.inputs[0]
    attrs = entry.attrs
    y = _with_kept_dims(entry.outputs[0], x, attrs)
    weights = execute(SelectionWeights, (x, y), {"axis": attrs["axis"]})
    return (multiply(weights, broadcast_like(_with_kept_dims(dy, x, attrs), x)),)


Max = register("Max", _max_forward, grad=_extremum_grad)
Min = register("Min", _min_forward, grad=_extremum_grad)


@export("math.reduce_max", "reduce_max")
def reduce_max(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Maximum over ``axis`` (``-inf`` / the dtype's minimum when empty); ties share the gradient."""
    return _reduce(Max, input_tensor, axis, keepdims, MINMAX_TYPES)


@export("math.reduce_min", "reduce_min")
def reduce_min(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Minimum over ``axis`` (``inf`` / the dtype's maximum when empty); ties share the gradient."""
    return _reduce(Min, input_tensor, axis, keepdims, MINMAX_TYPES)


# ---------------------------------------------------------------------------------------------------------
# Boolean reductions


All = register("All", lambda xp, x, *, axis, keepdims: xp.all(x, axis=axis, keepdims=keepdims))
AnyOp = register("Any", lambda xp, x, *, axis, keepdims: xp.any(x, axis=axis, keepdims=keepdims))


def _logical_reduce(op: Any, input_tensor: Any, axis: Any, keepdims: Any) -> Tensor:
    # like TF, non-tensor inputs are converted to bool (NumPy arrays cast, Python ints are refused)
    x = to_tensor(input_tensor, dtype=None if isinstance(input_tensor, Tensor) else dtypes.bool)
    if not x.dtype.is_bool:
        raise invalid_arg(op.name, f"cannot compute {op.name} as input #0(zero-based) was expected to be a "
                                   f"bool tensor but is a {tf_type_name(x.dtype)} tensor")
    return execute(op, (x,), {"axis": reduction_axes(op.name, axis, x.ndim), "keepdims": bool(keepdims)})


def tf_type_name(dtype: dtypes.DType) -> str:
    """The dtype's name as TF's C++ errors print it (``float``, ``double``, ``half``, ``int32`` …)."""
    return _TF_TYPE_NAMES.get(dtype.name, dtype.name)


def attr_error(op_name: str, attr: str, dtype: dtypes.DType, allowed: tuple) -> InvalidArgumentError:
    """TF's error for a type attribute (``output_type``, ``Tindices`` …) outside its allowed list."""
    return InvalidArgumentError(None, None, f"Value for attr '{attr}' of {tf_type_name(dtype)} is not in the "
                                            f"list of allowed values: {', '.join(allowed)} [Op:{op_name}]")


@export("math.reduce_all", "reduce_all")
def reduce_all(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Logical AND over ``axis`` of a bool tensor."""
    return _logical_reduce(All, input_tensor, axis, keepdims)


@export("math.reduce_any", "reduce_any")
def reduce_any(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Logical OR over ``axis`` of a bool tensor."""
    return _logical_reduce(AnyOp, input_tensor, axis, keepdims)


# ---------------------------------------------------------------------------------------------------------
# Norm-like reductions: Euclidean norm, logsumexp, variance, std


def _euclidean_norm_forward(xp, x, *, axis, keepdims):
    if x.dtype.kind == "c":
        squares = (x.real * x.real + x.imag * x.imag)
        return xp.sqrt(xp.sum(squares, axis=axis, keepdims=keepdims)).astype(x.dtype)
    if x.dtype.kind in "iu":
        wide = x.astype(xp.float64)
        return xp.sqrt(xp.sum(wide * wide, axis=axis, keepdims=keepdims)).astype(x.dtype)
    return xp.sqrt(xp.sum(x * x, axis=axis, keepdims=keepdims, dtype=x.dtype))


def _euclidean_norm_grad(entry, dy):
    x = entry.inputs[0]
    norm = _with_kept_dims(entry.outputs[0], x, entry.attrs)
    return (multiply(x, divide(_with_kept_dims(dy, x, entry.attrs), norm)),)


EuclideanNorm = register("EuclideanNorm", _euclidean_norm_forward, grad=_euclidean_norm_grad)


@export("math.reduce_euclidean_norm")
def reduce_euclidean_norm(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                          name: str | None = None) -> Tensor:
    """``sqrt(sum(|x|**2))`` over ``axis``, in the input's dtype (integers truncate)."""
    return _reduce(EuclideanNorm, input_tensor, axis, keepdims, SUM_TYPES)


def _logsumexp_forward(xp, x, *, axis, keepdims):
    if x.size == 0:
        return xp.full(xp.sum(x, axis=axis, keepdims=keepdims).shape, -xp.inf, dtype=x.dtype)
    peak = xp.max(x, axis=axis, keepdims=True)
    peak = xp.where(xp.isfinite(peak), peak, xp.zeros((), dtype=x.dtype))
    total = xp.sum(xp.exp(x - peak), axis=axis, keepdims=True)
    positive = total > 0
    out = xp.where(positive, xp.log(xp.where(positive, total, 1)) + peak, -xp.inf).astype(x.dtype, copy=False)
    return out if keepdims else xp.squeeze(out, axis=axis)


def _logsumexp_grad(entry, dy):
    # softmax(x) * dy; shifting by the max (not by the rounded output) keeps it exact for large inputs
    x = entry.inputs[0]
    axis = entry.attrs["axis"]
    shifted = math_ops.exp(subtract(x, reduce_max(x, axis, keepdims=True)))
    softmax = divide(shifted, reduce_sum(shifted, axis, keepdims=True))
    return (multiply(softmax, _with_kept_dims(dy, x, entry.attrs)),)


# TF composes this from Max/Exp/Sum/Log; one op keeps the eager path short and the gradient exact.
LogSumExp = register("ReduceLogSumExp", _logsumexp_forward, grad=_logsumexp_grad)


@export("math.reduce_logsumexp", "reduce_logsumexp")
def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                     name: str | None = None) -> Tensor:
    """``log(sum(exp(x)))`` over ``axis``, computed stably (shifts by the maximum)."""
    x = to_tensor(input_tensor)
    if x.dtype.name not in FLOATS:
        check_dtype("IsFinite", x, ("bfloat16", "float16", "float32", "float64"))
    return execute(LogSumExp, (x,), {"axis": reduction_axes("Max", axis, x.ndim), "keepdims": bool(keepdims)})


@export("math.reduce_variance")
def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                    name: str | None = None) -> Tensor:
    """Population variance over ``axis``; complex inputs give a real result.

    Raises:
        TypeError: integer input.
    """
    x = to_tensor(input_tensor)
    means = reduce_mean(x, axis, keepdims=True)
    if x.dtype.is_integer:
        raise TypeError(f"Input must be either real or complex. Received integer type {x.dtype!r}.")
    deviations = subtract(x, means)
    if x.dtype.is_complex:
        squares = math_ops.real(multiply(deviations, conj(deviations)))
    else:
        squares = multiply(deviations, deviations)
    return reduce_mean(squares, axis, keepdims=keepdims)


@export("math.reduce_std")
def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """Population standard deviation over ``axis``.

    Raises:
        TypeError: integer input.
    """
    return math_ops.sqrt(reduce_variance(input_tensor, axis, keepdims=keepdims))


# ---------------------------------------------------------------------------------------------------------
# Arg-reductions, counting


def _argmax_forward(xp, x, *, axis, output_type):
    if x.dtype.kind == "f" and xp.isnan(x).any():
        x = xp.where(xp.isnan(x), -xp.inf, x)  # TF's comparisons never select NaN
    return xp.argmax(x, axis=axis).astype(output_type)


def _argmin_forward(xp, x, *, axis, output_type):
    if x.dtype.kind == "f" and xp.isnan(x).any():
        x = xp.where(xp.isnan(x), xp.inf, x)
    return xp.argmin(x, axis=axis).astype(output_type)


ArgMax = register("ArgMax", _argmax_forward)
ArgMin = register("ArgMin", _argmin_forward)


def _arg_reduce(op: Any, input: Any, axis: Any, output_type: Any) -> Tensor:
    x = to_tensor(input)
    if x.dtype.name not in _ARG_TYPES:
        check_dtype(op.name, x, _ARG_TYPES)
    out = dtypes.as_dtype(output_type)
    if out.name not in _ARG_OUTPUT_TYPES:
        raise attr_error(op.name, "output_type", out, _ARG_OUTPUT_TYPES)
    if axis is None:
        axis = 0
    if isinstance(axis, (EagerTensor, np.ndarray)) and np.ndim(axis) == 0:
        axis = np.asarray(axis).item()
    if isinstance(axis, (list, tuple)) or isinstance(axis, (Tensor, np.ndarray)):
        raise TypeError("axis must be int or Tensor with integer datatype")
    axis = _int_axis(axis)
    rank = x.ndim
    if not -rank <= axis < rank:
        raise invalid_arg(op.name, f"Expected dimension in the range [{-rank}, {rank}), but got {axis}")
    axis %= rank
    if x.shape[axis] == 0:
        raise invalid_arg(op.name, f"Reduction axis {axis} is empty in shape {x.shape.as_list()}")
    return execute(op, (x,), {"axis": axis, "output_type": out._np})


@export("math.argmax", "argmax")
def argmax(input: Any, axis: Any = None, output_type: Any = dtypes.int64, name: str | None = None) -> Tensor:
    """Index of the largest value along ``axis`` (default 0); the first one on ties.

    Raises:
        InvalidArgumentError: axis out of range, an empty axis, or a non-integer ``output_type``.
        TypeError: ``axis`` is a list.
    """
    return _arg_reduce(ArgMax, input, axis, output_type)


@export("math.argmin", "argmin")
def argmin(input: Any, axis: Any = None, output_type: Any = dtypes.int64, name: str | None = None) -> Tensor:
    """Index of the smallest value along ``axis`` (default 0); the first one on ties."""
    return _arg_reduce(ArgMin, input, axis, output_type)


def _count_nonzero_forward(xp, x, *, axis, keepdims, dtype):
    nonzero = x != (b"" if x.dtype == object else 0)
    return xp.sum(nonzero, axis=axis, keepdims=keepdims, dtype=xp.int64).astype(dtype)


CountNonzero = register("CountNonzero", _count_nonzero_forward)


@export("math.count_nonzero")
def count_nonzero(input: Any, axis: Any = None, keepdims: bool | None = None, dtype: Any = dtypes.int64,
                  name: str | None = None) -> Tensor:
    """Number of non-zero entries (non-empty strings, True) over ``axis``, as ``dtype`` (int64)."""
    x = to_tensor(input)
    attrs = {"axis": reduction_axes("Sum", axis, x.ndim), "keepdims": bool(keepdims),
             "dtype": dtypes.as_dtype(dtype)._np}
    return execute(CountNonzero, (x,), attrs)


# ---------------------------------------------------------------------------------------------------------
# Scans


def _scan(xp, accumulate, identity, x, axis, exclusive, reverse):
    if reverse:
        x = xp.flip(x, axis)
    out = accumulate(x, axis)
    if exclusive and x.shape[axis]:
        shifted = xp.empty_like(out)
        head = (slice(None),) * axis
        shifted[head + (0,)] = identity
        shifted[head + (slice(1, None),)] = out[head + (slice(None, -1),)]
        out = shifted
    return xp.flip(out, axis) if reverse else out


def _cumsum_forward(xp, x, *, axis, exclusive, reverse):
    return _scan(xp, lambda a, ax: xp.cumsum(a, axis=ax, dtype=a.dtype), 0, x, axis, exclusive, reverse)


def _cumprod_forward(xp, x, *, axis, exclusive, reverse):
    return _scan(xp, lambda a, ax: xp.cumprod(a, axis=ax, dtype=a.dtype), 1, x, axis, exclusive, reverse)


def _cumulative_logsumexp_forward(xp, x, *, axis, exclusive, reverse):
    return _scan(xp, lambda a, ax: xp.logaddexp.accumulate(a, axis=ax), -xp.inf, x, axis, exclusive, reverse)


def _cumsum_grad(entry, dy):
    a = entry.attrs
    return (cumsum(dy, a["axis"], exclusive=a["exclusive"], reverse=not a["reverse"]),)


def _cumprod_grad(entry, dy):
    x, y, a = entry.inputs[0], entry.outputs[0], entry.attrs
    summed = cumsum(multiply(conj(y), dy), a["axis"], exclusive=a["exclusive"], reverse=not a["reverse"])
    return (divide_no_nan(summed, conj(x)),)


def _cumulative_logsumexp_grad(entry, dy):
    # d y_i / d x_j = exp(x_j - y_i); split dy by sign so each part is summed in log space.
    x, y, a = entry.inputs[0], entry.outputs[0], entry.attrs
    lowest = to_tensor(dy.dtype.min, dtype=dy.dtype)
    log_abs = math_ops.log(math_ops.where(math_ops.equal(dy, 0), ones_like(dy), math_ops.abs(dy)))
    log_pos = math_ops.where(math_ops.greater(dy, 0), log_abs, lowest)
    log_neg = math_ops.where(math_ops.less(dy, 0), log_abs, lowest)
    pos = math_ops.exp(cumulative_logsumexp(subtract(log_pos, y), a["axis"], exclusive=a["exclusive"],
                                            reverse=not a["reverse"]) + x)
    neg = math_ops.exp(cumulative_logsumexp(subtract(log_neg, y), a["axis"], exclusive=a["exclusive"],
                                            reverse=not a["reverse"]) + x)
    return (subtract(pos, neg),)


Cumsum = register("Cumsum", _cumsum_forward, grad=_cumsum_grad)
Cumprod = register("Cumprod", _cumprod_forward, grad=_cumprod_grad)
CumulativeLogsumexp = register("CumulativeLogsumexp", _cumulative_logsumexp_forward,
                               grad=_cumulative_logsumexp_grad)


def _scan_call(op: Any, x: Any, axis: Any, exclusive: bool, reverse: bool, allowed: tuple) -> Tensor:
    x = to_tensor(x)
    if x.dtype.name not in allowed:
        check_dtype(op.name, x, allowed)
    if isinstance(axis, (EagerTensor, np.ndarray)) or hasattr(axis, "_as_tensor"):
        axis = np.asarray(axis).item()
    axis = _int_axis(axis)
    rank = x.ndim
    if not -rank <= axis < rank:
        raise invalid_arg(op.name, f"ScanOp: Expected scan axis in the range [{-rank}, {rank}), but got "
                                   f"{axis}")
    return execute(op, (x,), {"axis": axis % rank, "exclusive": bool(exclusive), "reverse": bool(reverse)})


@export("math.cumsum", "cumsum")
def cumsum(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
           name: str | None = None) -> Tensor:
    """Running sum along ``axis``; ``exclusive`` shifts by one (starting at 0), ``reverse`` runs backwards."""
    return _scan_call(Cumsum, x, axis, exclusive, reverse, SUM_TYPES)


@export("math.cumprod")
def cumprod(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
            name: str | None = None) -> Tensor:
    """Running product along ``axis`` (``exclusive`` starts at 1)."""
    return _scan_call(Cumprod, x, axis, exclusive, reverse, SUM_TYPES)


@export("math.cumulative_logsumexp")
def cumulative_logsumexp(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
                         name: str | None = None) -> Tensor:
    """Running ``log(sum(exp(x)))`` along ``axis``, computed stably (``exclusive`` starts at -inf)."""
    return _scan_call(CumulativeLogsumexp, x, axis, exclusive, reverse, ("bfloat16", "float16", "float32",
                                                                        "float64"))

