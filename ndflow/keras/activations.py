"""``keras.activations``: element-wise activation functions, retrievable by name (Keras 3 semantics).

Every function is written with ndflow ops, so gradients flow through it and it traces in ``ndflow.function``.
``softmax`` and ``sigmoid`` remember their input as ``_keras_logits`` (as Keras's TensorFlow backend does) so
losses can work from the logits.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

from .. import (
    cast,
    clip_by_value,
    cumsum,
    exp,
    greater,
    maximum,
    minimum,
    reduce_sum,
    reshape,
    sort,
    split,
    sqrt,
    square,
    where,
    zeros_like,
)
from .. import math as nd_math
from .. import nn as nd_nn
from .. import range as nd_range
from .. import shape as dynamic_shape
from .._core.tensor import Tensor, convert_to_tensor
from .utils.object_identifiers import deserialize_object, serialize_object

__all__ = [
    "relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "glu", "sigmoid", "hard_sigmoid", "log_sigmoid",
    "sparse_sigmoid", "hard_silu", "hard_swish", "silu", "swish", "mish", "tanh", "hard_tanh", "tanh_shrink",
    "hard_shrink", "soft_shrink", "threshold", "softmax", "log_softmax", "sparsemax", "softplus", "softsign",
    "sparse_plus", "squareplus", "exponential", "linear", "get", "serialize", "deserialize",
]


def _keep_logits(output: Tensor, logits: Tensor) -> Tensor:
    try:
        output._keras_logits = logits
    except AttributeError:
        pass
    return output


def relu(x: Any, negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0) -> Tensor:
    """Rectified linear unit, optionally leaky (``negative_slope``), capped (``max_value``) and shifted
    (values at or below ``threshold`` become 0)."""
    x = convert_to_tensor(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return nd_nn.leaky_relu(x, alpha=negative_slope)
        negative_part = nd_nn.relu(-x + threshold) if threshold != 0 else nd_nn.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = where(greater(x, cast(threshold, x.dtype)), x, zeros_like(x))
    elif max_value == 6:
        x = nd_nn.relu6(x)
        clip_max = False
    else:
        x = nd_nn.relu(x)
    if clip_max:
        x = clip_by_value(x, cast(0.0, x.dtype), cast(max_value, x.dtype))
    if negative_slope != 0.0:
        x = x - negative_slope * negative_part
    return x


def relu6(x: Any) -> Tensor:
    """``min(max(x, 0), 6)``."""
    return nd_nn.relu6(x)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """``x`` for ``x >= 0``, ``negative_slope * x`` otherwise."""
    return nd_nn.leaky_relu(x, alpha=negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise."""
    x = convert_to_tensor(x)
    result = nd_nn.elu(x)
    if alpha == 1:
        return result
    return where(x > 0, result, alpha * result)


def selu(x: Any) -> Tensor:
    """Scaled exponential linear unit (``scale * elu(x, alpha)`` with the self-normalising constants)."""
    return nd_nn.selu(x)


def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """Continuously differentiable ELU: ``max(x, 0) + alpha * expm1(min(x, 0) / alpha)``."""
    x = convert_to_tensor(x)
    return maximum(x, 0.0) + alpha * nd_math.expm1(minimum(x, 0.0) / alpha)


def gelu(x: Any, approximate: bool = False) -> Tensor:
    """Gaussian error linear unit; ``approximate=True`` uses the tanh approximation."""
    return nd_nn.gelu(convert_to_tensor(x), approximate=approximate)


def glu(x: Any, axis: int = -1) -> Tensor:
    """Gated linear unit: splits ``x`` in halves ``a, b`` along ``axis`` and returns ``a * sigmoid(b)``.

    Raises:
        ValueError: when the size of ``axis`` is odd.
    """
    x = convert_to_tensor(x)
    if x.shape[axis] % 2 != 0:
        raise ValueError(f"axis size must be divisible by 2. Received: x.shape={x.shape} with axis={axis}")
    first, second = split(x, 2, axis=axis)
    return first * nd_nn.sigmoid(second)


def sigmoid(x: Any) -> Tensor:
    """``1 / (1 + exp(-x))``."""
    x = convert_to_tensor(x)
    return _keep_logits(nd_nn.sigmoid(x), x)


def hard_sigmoid(x: Any) -> Tensor:
    """Piecewise-linear sigmoid: ``relu6(x + 3) / 6``."""
    x = convert_to_tensor(x)
    return nd_nn.relu6(x + cast(3.0, x.dtype)) / cast(6.0, x.dtype)


def log_sigmoid(x: Any) -> Tensor:
    """``log(sigmoid(x))``, computed stably."""
    return nd_math.log_sigmoid(convert_to_tensor(x))


def sparse_sigmoid(x: Any) -> Tensor:
    """0 for ``x <= -1``, 1 for ``x >= 1``, ``(x + 1) / 2`` in between."""
    x = convert_to_tensor(x)
    zero, one = cast(0.0, x.dtype), cast(1.0, x.dtype)
    return where(x <= -1, zero + zeros_like(x), where(x >= 1, one + zeros_like(x), 0.5 * (x + 1)))


def hard_silu(x: Any) -> Tensor:
    """``x * hard_sigmoid(x)``."""
    x = convert_to_tensor(x)
    return x * hard_sigmoid(x)


def silu(x: Any) -> Tensor:
    """``x * sigmoid(x)`` (also called swish)."""
    return nd_nn.silu(convert_to_tensor(x))


def mish(x: Any) -> Tensor:
    """``x * tanh(softplus(x))``."""
    x = convert_to_tensor(x)
    return x * nd_nn.tanh(nd_nn.softplus(x))


def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent."""
    return nd_nn.tanh(x)


def hard_tanh(x: Any) -> Tensor:
    """``x`` clipped to ``[-1, 1]``."""
    return clip_by_value(convert_to_tensor(x), -1.0, 1.0)


def tanh_shrink(x: Any) -> Tensor:
    """``x - tanh(x)``."""
    x = convert_to_tensor(x)
    return x - nd_nn.tanh(x)


def hard_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """``x`` where ``|x| > threshold``, 0 elsewhere."""
    x = convert_to_tensor(x)
    return where(abs(x) > threshold, x, zeros_like(x))


def soft_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """``x`` moved ``threshold`` towards 0, with 0 inside ``[-threshold, threshold]``."""
    x = convert_to_tensor(x)
    return where(x > threshold, x - threshold, where(x < -threshold, x + threshold, zeros_like(x)))


def threshold(x: Any, threshold: float, default_value: float) -> Tensor:
    """``x`` where ``x > threshold``, ``default_value`` elsewhere."""
    x = convert_to_tensor(x)
    return where(x > threshold, x, cast(default_value, x.dtype) + zeros_like(x))


def softmax(x: Any, axis: int | None = -1) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis`` (``None``: over all entries)."""
    x = convert_to_tensor(x)
    if axis is None:
        output = reshape(nd_nn.softmax(reshape(x, [-1]), axis=-1), dynamic_shape(x))
    else:
        output = nd_nn.softmax(x, axis=axis)
    return _keep_logits(output, x)


def log_softmax(x: Any, axis: int | None = -1) -> Tensor:
    """``log(softmax(x))`` along ``axis``, computed stably."""
    x = convert_to_tensor(x)
    if axis is None:
        return reshape(nd_nn.log_softmax(reshape(x, [-1]), axis=-1), dynamic_shape(x))
    return nd_nn.log_softmax(x, axis=axis)


def sparsemax(x: Any, axis: int = -1) -> Tensor:
    """Euclidean projection of ``x`` onto the probability simplex along ``axis`` (sparse softmax)."""
    logits = convert_to_tensor(x)
    ordered = sort(logits, axis=axis, direction="DESCENDING")
    cumulative = cumsum(ordered, axis=axis)
    rank = len(logits.shape)
    ranks_shape = [1] * rank
    ranks_shape[axis] = -1
    ranks = reshape(nd_range(1, logits.shape[axis] + 1, dtype=logits.dtype), ranks_shape)
    support = ordered - (cumulative - 1) / ranks > 0
    k = reduce_sum(cast(support, logits.dtype), axis=axis, keepdims=True)
    # The threshold uses the cumulative sum at position k. (Keras 3.15 sums the cumulative sums over the whole
    # support instead, which leaves its outputs off the simplex whenever k > 1.)
    is_last_in_support = cast(support, logits.dtype) * cast(ranks == k, logits.dtype)
    tau = (reduce_sum(cumulative * is_last_in_support, axis=axis, keepdims=True) - 1) / k
    return maximum(logits - tau, 0.0)


def softplus(x: Any) -> Tensor:
    """``log(1 + exp(x))``."""
    return nd_math.softplus(x)


def softsign(x: Any) -> Tensor:
    """``x / (1 + |x|)``."""
    return nd_nn.softsign(x)


def sparse_plus(x: Any) -> Tensor:
    """0 for ``x <= -1``, ``(x + 1)² / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1``."""
    x = convert_to_tensor(x)
    return where(x <= -1, zeros_like(x), where(x < 1, 0.25 * square(x + 1), x))


def squareplus(x: Any, b: float = 4) -> Tensor:
    """``(x + sqrt(x² + b)) / 2``."""
    x = convert_to_tensor(x)
    return (x + sqrt(square(x) + cast(b, x.dtype))) / 2


def exponential(x: Any) -> Tensor:
    """``exp(x)``."""
    return exp(x)


def linear(x: Any) -> Any:
    """The identity: returns ``x`` unchanged."""
    return x


swish = silu
hard_swish = hard_silu

_FUNCTIONS = (relu, relu6, leaky_relu, elu, selu, celu, gelu, glu, sigmoid, hard_sigmoid, log_sigmoid,
              sparse_sigmoid, hard_silu, silu, mish, tanh, hard_tanh, tanh_shrink, hard_shrink, soft_shrink,
              threshold, softmax, log_softmax, sparsemax, softplus, softsign, sparse_plus, squareplus, exponential,
              linear)
_OBJECTS: dict[str, Callable] = {fn.__name__: fn for fn in _FUNCTIONS}
_OBJECTS.update({"swish": silu, "hard_swish": hard_silu})


def serialize(activation: Any) -> Any:
    """The name of a built-in activation; a Keras 3 config dict for custom functions and objects.

    Raises:
        ValueError: for a function without a usable name (e.g. a lambda).
    """
    if inspect.isfunction(activation) and _OBJECTS.get(activation.__name__) is activation:
        return activation.__name__
    if inspect.isfunction(activation) and activation.__name__ == "<lambda>":
        raise ValueError(f"Unknown activation function '{activation}' cannot be serialized due to invalid "
                         "function name. Make sure to use an activation name that matches the references defined "
                         "in activations.py or use `@keras.saving.register_keras_serializable()`to register any "
                         "custom activations.")
    return serialize_object(activation, __name__)


def deserialize(config: Any, custom_objects: dict | None = None) -> Callable:
    """The activation named by ``config`` (a name or a ``serialize`` dict)."""
    return deserialize_object(config, _OBJECTS, "activation function", custom_objects)


def get(identifier: Any) -> Callable:
    """An activation from ``None`` (``linear``), a name, a config dict or a callable.

    Raises:
        ValueError: when ``identifier`` is none of these.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if not callable(obj):
        raise ValueError(f"Could not interpret activation function identifier: {identifier}")
    return obj

