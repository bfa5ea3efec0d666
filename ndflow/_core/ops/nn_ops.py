"""Neural-network activations, ``bias_add``, ``dropout``, ``embedding_lookup`` and ``in_top_k`` (``tf.nn``).

Activations with kinks take their gradient from a dedicated ``*Grad`` op (one kernel per backward step),
whose own gradient is written with ndflow ops, so higher-order derivatives work. At the kinks the
derivatives are TF's: ``relu'(0) = relu6'(0) = relu6'(6) = 0``, ``elu'(0) = 1``, ``selu'(0) = scale``.
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .. import dtypes
from ..export import export
from ..shape import TensorShape
from ..tensor import EagerTensor, Tensor
from . import array_ops, math_ops, random_ops
from ._helpers import check_dtype, execute, invalid_arg, register, shape_text, to_tensor
from .clip_ops import clip_by_norm
from .indexing_ops import boolean_mask, gather
from .math_ops import add, multiply, negative, subtract, sum_to, where
from .reduction_ops import cumsum, reduce_sum
from .shape_rules import broadcast_shapes
from .sort_ops import argsort

# TF's allowed input dtypes, in the order its attr errors list them.
_RELU_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "int64", "bfloat16", "uint16",
               "float16", "uint32", "uint64", "qint8")
_REAL_TYPES = _RELU_TYPES[:-1]
_HALF_FIRST = ("float16", "bfloat16", "float32", "float64")
_BIAS_ADD_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "complex64", "int64", "qint8",
                   "quint8", "qint32", "bfloat16", "qint16", "quint16", "uint16", "complex128", "float16",
                   "uint32", "uint64")
_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}

_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_ALPHA = 1.6732632423543772848170429916717


def dtype_repr(dtype: dtypes.DType) -> str:
    """A dtype as TF's Python errors print it: ``<dtype: 'float32'>``."""
    return f"<dtype: '{dtype.name}'>"


def is_zero_tensor(t: Tensor) -> bool:
    """True for an eager tensor of zeros (the gradient of an unused output), so its terms can be skipped."""
    return isinstance(t, EagerTensor) and not t._value.any()


def _checked_input(op_name: str, x: Any, allowed: tuple = _HALF_FIRST) -> Tensor:
    x = to_tensor(x)
    if x.dtype.name not in allowed:
        check_dtype(op_name, x, allowed)
    return x


def broadcast_infer(x, y, **attrs):
    """Static rule of a binary op whose output is its inputs broadcast, in the first input's dtype."""
    return [(broadcast_shapes(x[0], y[0]), x[1])]


def _zero(xp, dtype):
    return xp.zeros((), dtype=dtype)


def _in_float32(x):
    """Half-precision arrays are computed in float32 (as TF's kernels accumulate)."""
    return x.astype("float32") if x.dtype.kind == "f" and x.dtype.itemsize < 4 else x


# ---------------------------------------------------------------------------------------------------------
# ReLU family


def _relu_grad_forward(xp, dy, x):
    return xp.where(x > 0, dy, _zero(xp, dy.dtype))


def _relu6_grad_forward(xp, dy, x):
    return xp.where((x > 0) & (x < 6), dy, _zero(xp, dy.dtype))


def _leaky_relu_grad_forward(xp, dy, x, *, alpha):
    return xp.where(x > 0, dy, dy * xp.asarray(alpha, dtype=dy.dtype))


def _masked_grad_grad(entry, ddx):
    """Gradient of a ``*Grad(dy, x)`` op that is linear in ``dy`` with a mask on ``x``: same op on ``ddx``."""
    return execute(entry.opdef, (ddx, entry.inputs[1]), entry.attrs), None


ReluGrad = register("ReluGrad", _relu_grad_forward, grad=_masked_grad_grad, infer=broadcast_infer)
Relu6Grad = register("Relu6Grad", _relu6_grad_forward, grad=_masked_grad_grad, infer=broadcast_infer)
LeakyReluGrad = register("LeakyReluGrad", _leaky_relu_grad_forward, grad=_masked_grad_grad, infer=broadcast_infer)

Relu = register("Relu", lambda xp, x: xp.maximum(x, _zero(xp, x.dtype)),
                grad=lambda entry, dy: (execute(ReluGrad, (dy, entry.inputs[0])),))
Relu6 = register("Relu6", lambda xp, x: xp.clip(x, _zero(xp, x.dtype), xp.asarray(6, dtype=x.dtype)),
                 grad=lambda entry, dy: (execute(Relu6Grad, (dy, entry.inputs[0])),))
LeakyRelu = register("LeakyRelu",
                     lambda xp, x, *, alpha: xp.where(x > 0, x, x * xp.asarray(alpha, dtype=x.dtype)),
                     grad=lambda entry, dy: (execute(LeakyReluGrad, (dy, entry.inputs[0]), entry.attrs),))


@export("nn.relu")
def relu(features: Any, name: str | None = None) -> Tensor:
    """Elementwise ``max(features, 0)``; the gradient at 0 is 0."""
    return execute(Relu, (_checked_input("Relu", features, _RELU_TYPES),))


@export("nn.relu6")
def relu6(features: Any, name: str | None = None) -> Tensor:
    """Elementwise ``min(max(features, 0), 6)``."""
    return execute(Relu6, (_checked_input("Relu6", features, _REAL_TYPES),))


@export("nn.leaky_relu")
def leaky_relu(features: Any, alpha: float = 0.2, name: str | None = None) -> Tensor:
    """Elementwise ``features`` where positive, else ``alpha * features``; integers are cast to float32."""
    x = to_tensor(features)
    if x.dtype.is_integer:
        x = math_ops.cast(x, dtypes.float32)
    x = _checked_input("LeakyRelu", x)
    if isinstance(alpha, (np.ndarray, np.generic)):
        alpha = alpha.item()
    return execute(LeakyRelu, (x,), {"alpha": float(alpha)})


@export("nn.crelu")
def crelu(features: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """Concatenated ReLU: ``relu(concat([features, -features], axis))``."""
    x = to_tensor(features)
    return relu(array_ops.concat([x, negative(x)], axis))


# ---------------------------------------------------------------------------------------------------------
# ELU, SELU: the gradient ops take the activation's output, like TF's EluGrad/SeluGrad


def _elu_forward(xp, x):
    return xp.where(x > 0, x, xp.expm1(xp.minimum(x, _zero(xp, x.dtype))))


def _selu_forward(xp, x):
    negative_part = xp.expm1(xp.minimum(x, _zero(xp, x.dtype))) * xp.asarray(_SELU_SCALE * _SELU_ALPHA, x.dtype)
    return xp.where(x > 0, x * xp.asarray(_SELU_SCALE, x.dtype), negative_part)


def _elu_grad_forward(xp, dy, y):
    return xp.where(y < 0, dy * (y + 1), dy)


def _selu_grad_forward(xp, dy, y):
    return xp.where(y < 0, dy * (y + xp.asarray(_SELU_SCALE * _SELU_ALPHA, y.dtype)),
                    dy * xp.asarray(_SELU_SCALE, y.dtype))


def _output_grad_grad(entry, ddx):
    dy, y = entry.inputs
    d_y = where(math_ops.less(y, 0), multiply(ddx, dy), array_ops.zeros_like(y)) if entry.needs[1] else None
    return execute(entry.opdef, (ddx, y)), d_y


EluGrad = register("EluGrad", _elu_grad_forward, grad=_output_grad_grad, infer=broadcast_infer)
SeluGrad = register("SeluGrad", _selu_grad_forward, grad=_output_grad_grad, infer=broadcast_infer)
Elu = register("Elu", _elu_forward, grad=lambda entry, dy: (execute(EluGrad, (dy, entry.outputs[0])),))
Selu = register("Selu", _selu_forward, grad=lambda entry, dy: (execute(SeluGrad, (dy, entry.outputs[0])),))


@export("nn.elu")
def elu(features: Any, name: str | None = None) -> Tensor:
    """Exponential linear unit: ``features`` where positive, else ``exp(features) - 1``."""
    return execute(Elu, (_checked_input("Elu", features),))


@export("nn.selu")
def selu(features: Any, name: str | None = None) -> Tensor:
    """Scaled ELU with the self-normalising constants (scale ≈ 1.0507, alpha ≈ 1.6733)."""
    return execute(Selu, (_checked_input("Selu", features),))


# ---------------------------------------------------------------------------------------------------------
# GELU and SiLU (swish)

_SQRT_HALF = math.sqrt(0.5)
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_GELU_CUBIC = 0.044715


def _gelu_forward(xp, x, *, approximate):
    wide = _in_float32(x)
    if approximate:
        inner = wide + wide * wide * wide * xp.asarray(_GELU_CUBIC, wide.dtype)
        out = wide * (1 + xp.tanh(inner * xp.asarray(_SQRT_2_OVER_PI, wide.dtype))) * 0.5
    else:
        out = wide * math_ops._scipy_special(xp).erfc(wide * -xp.asarray(_SQRT_HALF, wide.dtype)) * 0.5
    return out.astype(x.dtype, copy=False)


def _gelu_grad(entry, dy):
    x = entry.inputs[0]
    if entry.attrs["approximate"]:
        x2 = math_ops.square(x)
        t = math_ops.tanh(multiply(multiply(x, add(multiply(x2, _GELU_CUBIC), 1)), _SQRT_2_OVER_PI))
        # d/dx [x/2 (1 + t)] with t = tanh(c (x + a x^3))
        slope = add(multiply(add(t, 1), 0.5), multiply(multiply(multiply(x, subtract(1, math_ops.square(t))),
                                                                add(multiply(x2, 3 * _GELU_CUBIC), 1)),
                                                       0.5 * _SQRT_2_OVER_PI))
    else:
        cdf = multiply(math_ops.erfc(multiply(x, -_SQRT_HALF)), 0.5)
        pdf = multiply(math_ops.exp(multiply(math_ops.square(x), -0.5)), _INV_SQRT_2PI)
        slope = add(cdf, multiply(x, pdf))
    return (multiply(dy, slope),)


Gelu = register("Gelu", _gelu_forward, grad=_gelu_grad)


@export("nn.gelu")
def gelu(features: Any, approximate: bool = False, name: str | None = None) -> Tensor:
    """Gaussian error linear unit ``x * Phi(x)`` (``approximate``: the tanh formula).

    Raises:
        ValueError: non-floating input.
    """
    x = to_tensor(features)
    if not x.dtype.is_floating:
        raise ValueError(f"`features.dtype` must be a floating point tensor.Received:features.dtype="
                         f"{dtype_repr(x.dtype)}")
    return execute(Gelu, (x,), {"approximate": bool(approximate)})


def _silu_forward(xp, x, beta):
    wide = _in_float32(x)
    sig = math_ops._scipy_special(xp).expit(wide * beta.astype(wide.dtype))
    return (wide * sig).astype(x.dtype, copy=False)


def _silu_grad(entry, dy):
    x, beta = entry.inputs
    sig = math_ops.sigmoid(multiply(beta, x))
    # d sigmoid(b x) = sig (1 - sig) d(b x)
    dsig = multiply(sig, subtract(1, sig))
    gx = multiply(dy, add(sig, multiply(multiply(beta, x), dsig)))
    gbeta = sum_to(multiply(dy, multiply(math_ops.square(x), dsig)), beta) if entry.needs[1] else None
    return gx, gbeta


Silu = register("Silu", _silu_forward, grad=_silu_grad, infer=broadcast_infer)


@export("nn.silu", "nn.swish")
def silu(features: Any, beta: Any = 1.0) -> Tensor:
    """SiLU / swish: ``features * sigmoid(beta * features)``."""
    x = to_tensor(features)
    if x.dtype.name not in _HALF_FIRST:
        check_dtype("Sigmoid", x, ("bfloat16", "float16", "float32", "float64", "complex64", "complex128"))
    return execute(Silu, (x, to_tensor(beta, dtype=x.dtype)))


swish = silu


# ---------------------------------------------------------------------------------------------------------
# softmax / log_softmax


def _softmax_forward(xp, x, *, axis):
    if x.size == 0:
        return x.copy()
    wide = _in_float32(x)
    e = xp.exp(wide - wide.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype(x.dtype, copy=False)


def _log_softmax_forward(xp, x, *, axis):
    if x.size == 0:
        return x.copy()
    wide = _in_float32(x)
    shifted = wide - wide.max(axis=axis, keepdims=True)
    return (shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))).astype(x.dtype, copy=False)


def _softmax_grad_forward(xp, dy, y, *, axis):
    return y * (dy - (dy * y).sum(axis=axis, keepdims=True))


def _log_softmax_grad_forward(xp, dy, y, *, axis):
    return dy - xp.exp(y) * dy.sum(axis=axis, keepdims=True)


def _softmax_grad_grad(entry, g):
    # out = y (dy - <dy, y>): linear in dy; d/dy_k = g_k (dy_k - <dy, y>) - dy_k <g, y>
    dy, y = entry.inputs
    axis = entry.attrs["axis"]
    d_dy = execute(SoftmaxGrad, (g, y), entry.attrs) if entry.needs[0] else None
    d_y = None
    if entry.needs[1]:
        d_y = subtract(multiply(g, subtract(dy, reduce_sum(multiply(dy, y), axis, keepdims=True))),
                       multiply(dy, reduce_sum(multiply(g, y), axis, keepdims=True)))
    return d_dy, d_y


def _log_softmax_grad_grad(entry, g):
    # out = dy - exp(y) sum(dy)
    dy, y = entry.inputs
    axis = entry.attrs["axis"]
    p = math_ops.exp(y)
    d_dy = subtract(g, reduce_sum(multiply(g, p), axis, keepdims=True)) if entry.needs[0] else None
    d_y = negative(multiply(multiply(g, p), reduce_sum(dy, axis, keepdims=True))) if entry.needs[1] else None
    return d_dy, d_y


SoftmaxGrad = register("SoftmaxGrad", _softmax_grad_forward, grad=_softmax_grad_grad, infer=broadcast_infer)
LogSoftmaxGrad = register("LogSoftmaxGrad", _log_softmax_grad_forward, grad=_log_softmax_grad_grad,
                          infer=broadcast_infer)
Softmax = register("Softmax", _softmax_forward,
                   grad=lambda entry, dy: (execute(SoftmaxGrad, (dy, entry.outputs[0]), entry.attrs),))
LogSoftmax = register("LogSoftmax", _log_softmax_forward,
                      grad=lambda entry, dy: (execute(LogSoftmaxGrad, (dy, entry.outputs[0]), entry.attrs),))


def softmax_axis(op_name: str, x: Tensor, axis: Any) -> int:
    """Validates a softmax-style ``axis`` (default -1) against ``x``'s rank; returns it non-negative.

    Raises:
        InvalidArgumentError: a scalar ``x`` or an axis out of range (TF's messages).
    """
    rank = x.ndim
    if rank == 0:
        raise invalid_arg(op_name, "logits must have >= 1 dimension, got []")
    axis = -1 if axis is None else int(axis)
    if not -rank <= axis < rank:
        raise invalid_arg(op_name, f"`dim` must be in the range [{-rank}, {rank}) where {rank} is the number of "
                                   f"dimensions in the input. Received: dim={axis}")
    return axis % rank


@export("nn.softmax", "math.softmax")
def softmax(logits: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """``exp(logits) / sum(exp(logits), axis)`` (default: last axis), computed stably."""
    x = _checked_input("Softmax", logits)
    return execute(Softmax, (x,), {"axis": softmax_axis("Softmax", x, axis)})


@export("nn.log_softmax", "math.log_softmax")
def log_softmax(logits: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """``logits - log(sum(exp(logits), axis))`` (default: last axis), finite for large logits."""
    x = _checked_input("LogSoftmax", logits)
    return execute(LogSoftmax, (x,), {"axis": softmax_axis("LogSoftmax", x, axis)})


# ---------------------------------------------------------------------------------------------------------
# bias_add


def _bias_add_forward(xp, value, bias, *, channel_axis):
    if channel_axis == -1:
        return value + bias
    return value + bias.reshape((-1,) + (1,) * (value.ndim - 2))


def _bias_add_grad(entry, dy):
    value, bias = entry.inputs
    d_bias = None
    if entry.needs[1]:
        if entry.attrs["channel_axis"] == -1:
            d_bias = sum_to(dy, bias)
        else:
            d_bias = reduce_sum(dy, [0] + list(range(2, value.ndim)))
    return dy, d_bias


BiasAdd = register("BiasAdd", _bias_add_forward, grad=_bias_add_grad)


@export("nn.bias_add")
def bias_add(value: Any, bias: Any, data_format: str | None = None, name: str | None = None) -> Tensor:
    """Adds the 1-D ``bias`` along the channel dimension of ``value`` (last for ``N...C``, 1 for ``NC...``).

    Raises:
        ValueError: an unknown ``data_format``.
        InvalidArgumentError: ``value`` of rank < 2, ``bias`` not 1-D or not matching the channels, or
            different dtypes.
    """
    channels_first = False
    if data_format is not None:
        if data_format.startswith("NC"):
            channels_first = True
        elif not (data_format.startswith("N") and data_format.endswith("C")):
            raise ValueError(f"`data_format` must be of the form `N...C` or `NC...`. Received: "
                             f"data_format={data_format}")
    value = to_tensor(value)
    bias = to_tensor(bias) if isinstance(bias, Tensor) else to_tensor(bias, dtype_hint=value.dtype)
    if value.dtype.name not in _BIAS_ADD_TYPES:
        check_dtype("BiasAdd", value, _BIAS_ADD_TYPES)
    if bias.dtype is not value.dtype:
        math_ops._expect_dtype("BiasAdd", 1, bias, value.dtype)
    v_shape, b_shape = value._shape_tuple(), bias._shape_tuple()
    if v_shape is not None and len(v_shape) < 2:
        raise invalid_arg("BiasAdd", f"Input tensor must be at least 2D: {shape_text(v_shape)}")
    if b_shape is not None and len(b_shape) != 1:
        raise invalid_arg("BiasAdd", f"Biases must be 1D: {shape_text(b_shape)}")
    channel_axis = 1 if channels_first else -1
    if v_shape is not None and b_shape is not None and None not in (v_shape[channel_axis], b_shape[0]) \
            and v_shape[channel_axis] != b_shape[0]:
        raise invalid_arg("BiasAdd", f"Must provide as many biases as the last dimension of the input tensor: "
                                     f"{shape_text(b_shape)} vs. {shape_text(v_shape)}")
    return execute(BiasAdd, (value, bias), {"channel_axis": channel_axis})


# ---------------------------------------------------------------------------------------------------------
# dropout


def _dropout_forward(xp, x, noise, *, rate):
    scale = xp.asarray(1 / (1 - rate), dtype=x.dtype)
    return xp.where(noise >= xp.asarray(rate, dtype=noise.dtype), x * scale, _zero(xp, x.dtype))


def _dropout_grad(entry, dy):
    x, noise = entry.inputs
    return sum_to(execute(Dropout, (dy, noise), entry.attrs), x), None


# ``where(noise >= rate, x / (1 - rate), 0)`` in one kernel; its gradient is the same op on ``dy``.
Dropout = register("DropoutApply", _dropout_forward, grad=_dropout_grad, infer=broadcast_infer)


def _noise_shape(x: Tensor, noise_shape: Any) -> Any:
    """The mask's shape: ``x``'s (static, else dynamic) shape, or ``noise_shape`` with None dims from ``x``."""
    x_dims = x._shape_tuple()
    if noise_shape is None:
        return list(x_dims) if x_dims is not None and None not in x_dims else array_ops.shape(x)
    if isinstance(noise_shape, Tensor):
        return noise_shape
    dims = list(noise_shape.as_list() if hasattr(noise_shape, "as_list") else noise_shape)
    if x_dims is not None and len(dims) == len(x_dims):
        dims = [x_d if d is None else d for d, x_d in zip(dims, x_dims)]
    if None not in dims and x_dims is not None and None not in x_dims:
        try:
            np.broadcast_shapes(tuple(dims), x_dims)
        except ValueError:
            raise invalid_arg("SelectV2", f"condition {shape_text(dims)}, then {shape_text(x_dims)}, and else [] "
                                          f"must be broadcastable") from None
    return dims


@export("nn.dropout")
def dropout(x: Any, rate: Any, noise_shape: Any = None, seed: Any = None, name: str | None = None) -> Tensor:
    """Zeroes each element with probability ``rate`` and scales the others by ``1 / (1 - rate)``.

    ``noise_shape`` (broadcastable to ``x``'s shape) shares one keep/drop decision along its size-1 dims;
    ``seed`` follows ``tf.random``'s seeding rules.

    Raises:
        ValueError: ``rate`` outside ``[0, 1)``, not a scalar, of another dtype than ``x``; non-float ``x``.
    """
    rate_is_number = isinstance(rate, numbers.Real) and not isinstance(rate, bool)
    if rate_is_number and not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
    x = to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. Received: "
                         f"x_dtype={dtype_repr(x.dtype)}")
    if rate_is_number and rate == 0:
        return x
    if not rate_is_number and not isinstance(rate, Tensor):
        raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
    noise = random_ops.uniform(_noise_shape(x, noise_shape), seed=seed, dtype=x.dtype)
    if rate_is_number:
        return execute(Dropout, (x, noise), {"rate": float(rate)})
    return _dropout_tensor_rate(x, rate, noise)


def _dropout_tensor_rate(x: Tensor, rate: Tensor, noise: Tensor) -> Tensor:
    if rate.shape.rank != 0:
        raise ValueError(f"Shape {rate.shape} must have rank 0")
    if rate.dtype is not x.dtype:
        raise ValueError(f"`x.dtype` must be compatible with `rate.dtype`. Received: x.dtype={dtype_repr(x.dtype)} "
                         f"and rate.dtype={dtype_repr(rate.dtype)}")
    kept = math_ops.divide(x, subtract(1, rate))
    return where(math_ops.greater_equal(noise, rate), kept, array_ops.zeros_like(kept))


# ---------------------------------------------------------------------------------------------------------
# embedding_lookup


def _total_rows(params: list, dtype: dtypes.DType) -> Any:
    """The shards' first dimensions summed: an int, or a tensor when some are known only at run time."""
    sizes = [(p._shape_tuple() or (None,))[0] for p in params]
    if None not in sizes:
        return sum(sizes)
    return math_ops.add_n([math_ops.cast(array_ops.shape(p)[0], dtype) for p in params])


def _partition(flat_ids: Tensor, params: list, strategy: str) -> tuple[Tensor, Tensor]:
    """Shard number and row within the shard of each id (TF's "div" or "mod" strategy)."""
    n = len(params)
    if strategy == "mod":
        return math_ops.floormod(flat_ids, n), math_ops.floordiv(flat_ids, n)
    total = _total_rows(params, flat_ids.dtype)
    # "div": contiguous blocks of ids; the first ``extras`` shards hold one id more
    per, extras = total // n, total % n
    if isinstance(per, int) and per == 0:
        return math_ops.floordiv(flat_ids, 1), math_ops.floormod(flat_ids, 1)
    shard = math_ops.maximum(math_ops.floordiv(flat_ids, per + 1),
                             math_ops.floordiv(subtract(flat_ids, extras), per))
    row = where(math_ops.less(shard, extras), math_ops.floormod(flat_ids, per + 1),
                math_ops.floormod(subtract(flat_ids, extras), per))
    return shard, row


def _check_partitions(shard: Tensor, n: int) -> None:
    if isinstance(shard, EagerTensor):
        values = shard.numpy()
        bad = np.flatnonzero((values < 0) | (values >= n))
        if bad.size:
            raise invalid_arg("DynamicPartition", f"partitions[{bad[0]}] = {values[bad[0]]} is not in [0, {n})")


def _sharded_lookup(params: list, ids: Tensor, strategy: str) -> Tensor:
    flat_ids = array_ops.reshape(ids, [-1])
    shard, row = _partition(flat_ids, params, strategy)
    _check_partitions(shard, len(params))
    order = cumsum(array_ops.ones_like(flat_ids), exclusive=True)
    pieces, placed = [], []
    for p, shard_params in enumerate(params):
        in_shard = math_ops.equal(shard, p)
        pieces.append(gather(shard_params, boolean_mask(row, in_shard)))
        placed.append(boolean_mask(order, in_shard))
    stacked = array_ops.concat(pieces, 0)
    gathered = gather(stacked, argsort(array_ops.concat(placed, 0)))
    id_dims = ids.shape.as_list()
    if len(id_dims) == 1:
        return gathered
    # one unknown dimension at most (the batch) can be inferred by reshape
    target = [-1 if d is None else d for d in id_dims + params[0].shape.as_list()[1:]]
    return array_ops.reshape(gathered, target)


def embedding_lookup_with_strategy(params: Any, ids: Any, partition_strategy: str = "mod",
                                   max_norm: Any = None) -> Tensor:
    """``embedding_lookup`` with a choice of TF1's partition strategies (``"mod"`` or ``"div"``)."""
    if partition_strategy not in ("mod", "div"):
        raise ValueError(f"Unrecognized partition strategy: {partition_strategy}.Must be one of either `mod` or "
                         f"`div`.")
    if isinstance(params, (list, tuple)):
        if not params:
            raise ValueError("Length of params is currently 0. Need at least one param.")
        shards = [to_tensor(p) for p in params]
    else:
        shards = [to_tensor(params)]
    ids = to_tensor(ids)
    if len(shards) == 1:
        result = gather(shards[0], ids)
    else:
        result = _sharded_lookup(shards, ids, partition_strategy)
    if max_norm is None:
        return result
    return clip_by_norm(result, max_norm, axes=list(range(ids.ndim, result.ndim)))


@export("nn.embedding_lookup")
def embedding_lookup(params: Any, ids: Any, max_norm: Any = None, name: str | None = None) -> Tensor:
    """Rows of ``params`` at ``ids``: ``gather(params, ids)``.

    ``params`` may be a list of shards partitioned along their first dimension (TF2's "div" strategy:
    contiguous blocks of ids per shard, the first shards one row longer). ``max_norm`` clips each looked-up
    embedding to that L2 norm.

    Raises:
        ValueError: an empty ``params`` list.
        InvalidArgumentError: ids out of range, or non-integer ids.
    """
    return embedding_lookup_with_strategy(params, ids, "div", max_norm)


# ---------------------------------------------------------------------------------------------------------
# in_top_k


def _in_top_k_forward(xp, predictions, targets, k):
    rows = xp.arange(predictions.shape[0])
    valid = (targets >= 0) & (targets < predictions.shape[1])
    target_values = predictions[rows, xp.where(valid, targets, 0)]
    larger = (predictions > target_values[:, None]).sum(axis=1)
    return valid & xp.isfinite(predictions).all(axis=1) & (larger < k)


def _in_top_k_infer(predictions, targets, k):
    rows = predictions[0].as_list()[0] if predictions[0].rank else None
    return [(TensorShape([rows]), dtypes.bool)]


InTopK = register("InTopKV2", _in_top_k_forward, infer=_in_top_k_infer)


@export("nn.in_top_k", "math.in_top_k")
def in_top_k(targets: Any, predictions: Any, k: Any, name: str | None = None) -> Tensor:
    """Whether each ``targets[i]`` is among the ``k`` largest ``predictions[i]`` (ties count as in; a row
    with a non-finite prediction or an out-of-range target gives False).

    Raises:
        InvalidArgumentError: non-integer targets, ``predictions`` not 2-D, or mismatched batch sizes.
    """
    predictions = to_tensor(predictions, dtype=dtypes.float32)
    targets = to_tensor(targets)
    if targets.dtype.name not in ("int32", "int64"):
        raise invalid_arg("InTopKV2", f"Value for attr 'T' of {_TF_NAMES.get(targets.dtype.name, targets.dtype.name)}"
                                      f" is not in the list of allowed values: int32, int64")
    k = to_tensor(k, dtype=targets.dtype)
    if predictions.ndim != 2:
        raise invalid_arg("InTopKV2", "predictions must be 2-dimensional")
    if targets.ndim != 1:
        raise invalid_arg("InTopKV2", "targets must be 1-dimensional")
    rows, n_targets = predictions.shape.as_list()[0], targets.shape.as_list()[0]
    if None not in (rows, n_targets) and rows != n_targets:
        raise invalid_arg("InTopKV2", f"First dimension of predictions {rows} must match length of targets "
                                      f"{n_targets}")
    return execute(InTopK, (predictions, targets, k))
