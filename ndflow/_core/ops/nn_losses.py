"""Losses of ``tf.nn``: softmax/sigmoid cross-entropies, ``l2_loss``, ``l2_normalize``, ``log_poisson_loss``,
``compute_average_loss`` and ``scale_regularization_loss``.

The softmax cross-entropies are single fused ops computing the loss and its gradient (``backprop``) in one
pass, stable for logits of any magnitude; their gradient functions only scale ``backprop``.
"""
from __future__ import annotations

import math
from typing import Any

from .. import dtypes
from ..errors import InvalidArgumentError
from ..export import export
from ..shape import TensorShape
from ..tensor import EagerTensor, Tensor
from . import array_ops, math_ops
from ._helpers import check_dtype, execute, invalid_arg, register, shape_text, to_tensor
from .math_ops import add, multiply, negative, subtract, sum_to
from .nn_ops import (
    _HALF_FIRST,
    SoftmaxGrad,
    broadcast_infer,
    dtype_repr,
    is_zero_tensor,
    log_softmax,
    relu,
    softmax,
    softmax_axis,
)
from .reduction_ops import reduce_sum
from .shape_rules import broadcast_shapes

_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _check_float(op_name: str, x: Tensor) -> None:
    if x.dtype.name not in _HALF_FIRST:
        check_dtype(op_name, x, _HALF_FIRST)


def _compatible(dims: tuple, other: tuple) -> bool:
    """Equal-rank static dims agree wherever both are known."""
    return dims == other or all(a is None or b is None or a == b for a, b in zip(dims, other))


def _precise(x: Tensor) -> Tensor:
    """Half-precision logits are computed in float32 and the result cast back, as TF does."""
    return math_ops.cast(x, dtypes.float32) if x.dtype.name in ("float16", "bfloat16") else x


# ---------------------------------------------------------------------------------------------------------
# softmax_cross_entropy_with_logits (v2: dense labels, gradients for both inputs)


def _softmax_xent_forward(xp, logits, labels, *, axis):
    if logits.shape != labels.shape:
        try:
            logits, labels = xp.broadcast_arrays(logits, labels)
        except ValueError:
            raise invalid_arg("SoftmaxCrossEntropyWithLogits",
                              f"logits and labels must be broadcastable: logits_size={shape_text(logits.shape)} "
                              f"labels_size={shape_text(labels.shape)}") from None
    if logits.shape[axis] == 0:
        return xp.zeros(logits.shape[:axis] + logits.shape[axis + 1:], logits.dtype), xp.zeros_like(logits)
    shifted = logits - logits.max(axis=axis, keepdims=True)
    exp = xp.exp(shifted)
    total = exp.sum(axis=axis, keepdims=True)
    loss = (labels * (xp.log(total) - shifted)).sum(axis=axis)
    # TF's gradient: exact when each row of labels sums to 1 (as a distribution does)
    return loss, exp / total - labels


def _softmax_xent_grad(entry, dloss, dbackprop):
    logits, labels = entry.inputs
    axis = entry.attrs["axis"]
    d = array_ops.expand_dims(dloss, axis)
    g_logits = multiply(d, entry.outputs[1]) if entry.needs[0] else None
    g_labels = multiply(d, negative(log_softmax(logits, axis))) if entry.needs[1] else None
    if not is_zero_tensor(dbackprop):
        probs = softmax(logits, axis)
        if g_logits is not None:
            g_logits = add(g_logits, execute(SoftmaxGrad, (dbackprop, probs), {"axis": axis}))
        if g_labels is not None:
            g_labels = subtract(g_labels, dbackprop)
    return (sum_to(g_logits, logits) if g_logits is not None else None,
            sum_to(g_labels, labels) if g_labels is not None else None)


def _softmax_xent_infer(logits, labels, *, axis):
    full = broadcast_shapes(logits[0], labels[0])
    if full.rank is None:
        return [(full, logits[1])] * 2
    dims = full.as_list()
    del dims[axis]
    return [(TensorShape(dims), logits[1]), (full, logits[1])]


SoftmaxXent = register("SoftmaxCrossEntropyWithLogits", _softmax_xent_forward, grad=_softmax_xent_grad,
                       infer=_softmax_xent_infer, num_outputs=2)


@export("nn.softmax_cross_entropy_with_logits")
def softmax_cross_entropy_with_logits(labels: Any, logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """Cross-entropy between ``labels`` (a distribution along ``axis``) and ``softmax(logits)``.

    ``labels`` is cast to the logits' dtype and may broadcast against them; the loss has ``axis`` removed.
    Gradients flow to both ``logits`` and ``labels``; the logits' gradient is TF's ``softmax - labels``,
    which assumes each distribution of ``labels`` sums to 1.

    Raises:
        InvalidArgumentError: non-float logits, a scalar, a bad ``axis`` or unbroadcastable shapes.
    """
    logits = to_tensor(logits)
    _check_float("SoftmaxCrossEntropyWithLogits", logits)
    precise = _precise(logits)
    labels = math_ops.cast(to_tensor(labels), precise.dtype)
    if logits.ndim == 0:
        raise invalid_arg("Slice", "Expected begin[0] == 0 (got -1) and size[0] == 0 (got 1) when "
                                   "input.dim_size(0) == 0")
    axis = softmax_axis("SoftmaxCrossEntropyWithLogits", precise, axis)
    loss = execute(SoftmaxXent, (precise, labels), {"axis": axis})[0]
    return loss if precise is logits else math_ops.cast(loss, logits.dtype)


# ---------------------------------------------------------------------------------------------------------
# sparse_softmax_cross_entropy_with_logits


def _sparse_xent_forward(xp, logits, labels):
    classes = logits.shape[-1]
    flat_labels = labels.reshape(-1)
    if flat_labels.size:
        low, high = flat_labels.min(), flat_labels.max()
        if low < 0 or high >= classes:
            bad = low if low < 0 else high
            values = " ".join(str(v) for v in flat_labels.tolist())
            raise invalid_arg("SparseSoftmaxCrossEntropyWithLogits",
                              f"Received a label value of {bad} which is outside the valid range of [0, {classes}).  "
                              f"Label values: {values}")
    if classes == 0:  # no labels either (any label would be out of range)
        return xp.zeros(labels.shape, logits.dtype), logits.copy()
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = xp.exp(shifted)
    total = exp.sum(axis=-1, keepdims=True)
    rows = xp.arange(flat_labels.size)
    loss = xp.log(total).reshape(-1) - shifted.reshape(-1, classes)[rows, flat_labels]
    backprop = exp / total
    backprop.reshape(-1, classes)[rows, flat_labels] -= 1  # softmax - one_hot(labels), in place
    return loss.reshape(labels.shape), backprop


def _sparse_xent_grad(entry, dloss, dbackprop):
    logits = entry.inputs[0]
    g = multiply(array_ops.expand_dims(dloss, -1), entry.outputs[1])
    if not is_zero_tensor(dbackprop):
        g = add(g, execute(SoftmaxGrad, (dbackprop, softmax(logits)), {"axis": logits.ndim - 1}))
    return g, None


def _sparse_xent_infer(logits, labels):
    shape, dtype = logits
    batch = labels[0] if shape.rank is None else TensorShape(shape.as_list()[:-1]).merge_with(labels[0])
    return [(batch, dtype), (shape, dtype)]


SparseSoftmaxXent = register("SparseSoftmaxCrossEntropyWithLogits", _sparse_xent_forward,
                             grad=_sparse_xent_grad, infer=_sparse_xent_infer, num_outputs=2)


@export("nn.sparse_softmax_cross_entropy_with_logits")
def sparse_softmax_cross_entropy_with_logits(labels: Any, logits: Any, name: str | None = None) -> Tensor:
    """Cross-entropy of integer class ``labels`` (shape ``logits.shape[:-1]``) under ``softmax(logits)``.

    Raises:
        ValueError: a scalar ``logits`` or labels whose shape is not ``logits.shape[:-1]``.
        InvalidArgumentError: a label outside ``[0, classes)``, non-int32/int64 labels, non-float logits.
    """
    raw_logits = logits
    logits = to_tensor(logits)
    labels = to_tensor(labels)
    if labels.dtype.name not in ("int32", "int64"):
        raise invalid_arg("SparseSoftmaxCrossEntropyWithLogits",
                          f"Value for attr 'Tlabels' of {_TF_NAMES.get(labels.dtype.name, labels.dtype.name)} is "
                          f"not in the list of allowed values: int32, int64")
    _check_float("SparseSoftmaxCrossEntropyWithLogits", logits)
    l_dims, x_dims = labels._shape_tuple(), logits._shape_tuple()
    if x_dims is not None and not x_dims:
        shown = raw_logits if not isinstance(raw_logits, Tensor) else logits
        raise ValueError(f"`logits` cannot be a scalar. Received logits={shown}`")
    if l_dims is not None and x_dims is not None:
        if len(l_dims) != len(x_dims) - 1:
            raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: labels.shape="
                             f"{labels.shape} of rank {len(l_dims)} and logits.shape={logits.shape} of rank "
                             f"{len(x_dims)}")
        if not _compatible(l_dims, x_dims[:-1]):
            raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last dimension. Received: "
                             f"labels.shape={labels.shape} and logits.shape={logits.shape}")
    precise = _precise(logits)
    loss = execute(SparseSoftmaxXent, (precise, labels))[0]
    return loss if precise is logits else math_ops.cast(loss, logits.dtype)


# ---------------------------------------------------------------------------------------------------------
# sigmoid / weighted cross-entropy


def _sigmoid_xent_forward(xp, logits, labels):
    return xp.maximum(logits, 0) - logits * labels + xp.log1p(xp.exp(-xp.abs(logits)))


def _sigmoid_xent_grad(entry, dy):
    logits, labels = entry.inputs
    g_logits = multiply(dy, subtract(math_ops.sigmoid(logits), labels)) if entry.needs[0] else None
    g_labels = multiply(dy, negative(logits)) if entry.needs[1] else None
    return g_logits, g_labels


SigmoidXent = register("SigmoidCrossEntropyWithLogits", _sigmoid_xent_forward, grad=_sigmoid_xent_grad,
                       infer=broadcast_infer)


def _xent_operands(labels: Any, logits: Any) -> tuple[Tensor, Tensor]:
    logits = to_tensor(logits)
    labels = to_tensor(labels)
    if not logits.shape.is_compatible_with(labels.shape):
        raise ValueError(f"`logits` and `labels` must have the same shape, received ({logits.shape} vs "
                         f"{labels.shape}).")
    if labels.dtype is not logits.dtype:
        math_ops._expect_dtype("Mul", 1, labels, logits.dtype)
    return labels, logits


@export("nn.sigmoid_cross_entropy_with_logits")
def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: str | None = None) -> Tensor:
    """Elementwise ``-labels * log(sigmoid(logits)) - (1 - labels) * log(1 - sigmoid(logits))``, stable as
    ``max(x, 0) - x * z + log(1 + exp(-|x|))``.

    Raises:
        ValueError: missing arguments or different shapes.
        InvalidArgumentError: different dtypes or non-float inputs.
    """
    if labels is None or logits is None:
        raise ValueError("Both `labels` and `logits` must be provided for sigmoid_cross_entropy_with_logits"
                         f"Received: labels={labels} and logits={logits}")
    labels, logits = _xent_operands(labels, logits)
    if logits.dtype.name not in _HALF_FIRST:
        check_dtype("Exp", logits, ("bfloat16", "float16", "float32", "float64", "complex64", "complex128"))
    return execute(SigmoidXent, (logits, labels))


@export("nn.weighted_cross_entropy_with_logits")
def weighted_cross_entropy_with_logits(labels: Any, logits: Any, pos_weight: Any, name: str | None = None) -> Tensor:
    """Sigmoid cross-entropy with the positive term weighted by ``pos_weight``:
    ``(1 - z) * x + (1 + (pos_weight - 1) * z) * log(1 + exp(-x))``, stable for large ``|x|``.

    Raises:
        ValueError: different shapes.
    """
    labels, logits = _xent_operands(labels, logits)
    log_weight = add(multiply(pos_weight - 1, labels), 1)  # Python arithmetic for a Python pos_weight
    # log(1 + exp(-x)) written with abs and relu, so that the gradient at x == 0 is TF's
    softplus_neg = add(math_ops.log1p(math_ops.exp(negative(math_ops.abs(logits)))), relu(negative(logits)))
    return add(multiply(subtract(1, labels), logits), multiply(log_weight, softplus_neg))


# ---------------------------------------------------------------------------------------------------------
# l2_loss, l2_normalize


def _l2_loss_forward(xp, t):
    wide = t.astype(xp.float32) if t.dtype.itemsize < 4 else t
    return (xp.sum(wide * wide, dtype=wide.dtype) / 2).astype(t.dtype)


L2Loss = register("L2Loss", _l2_loss_forward, grad=lambda entry, dy: (multiply(entry.inputs[0], dy),))


@export("nn.l2_loss")
def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """``sum(t ** 2) / 2`` as a scalar of ``t``'s dtype."""
    t = to_tensor(t)
    _check_float("L2Loss", t)
    return execute(L2Loss, (t,))


@export("nn.l2_normalize", "math.l2_normalize")
def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: str | None = None,
                 dim: Any = None) -> Tensor:
    """``x / sqrt(max(sum(|x| ** 2, axis), epsilon))`` (all axes when ``axis`` is None).

    Raises:
        ValueError: both ``axis`` and its deprecated alias ``dim`` given.
        TypeError: integer input (``epsilon`` doesn't fit).
    """
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    x = to_tensor(x)
    if x.dtype.is_complex:
        re, im = math_ops.real(x), math_ops.imag(x)
        squares = reduce_sum(add(math_ops.square(re), math_ops.square(im)), axis, keepdims=True)
        inv_norm = math_ops.rsqrt(math_ops.maximum(squares, epsilon))
        return math_ops.complex(multiply(re, inv_norm), multiply(im, inv_norm))
    squares = reduce_sum(math_ops.square(x), axis, keepdims=True)
    return multiply(x, math_ops.rsqrt(math_ops.maximum(squares, epsilon)))


# ---------------------------------------------------------------------------------------------------------
# log_poisson_loss


@export("nn.log_poisson_loss")
def log_poisson_loss(targets: Any, log_input: Any, compute_full_loss: bool = False,
                     name: str | None = None) -> Tensor:
    """Poisson negative log-likelihood with log-rate ``log_input``: ``exp(log_input) - log_input * targets``,
    plus Stirling's approximation of ``log(targets!)`` (for targets > 1) when ``compute_full_loss``.

    Raises:
        ValueError: different shapes.
    """
    log_input = to_tensor(log_input)
    targets = to_tensor(targets)
    if not targets.shape.is_compatible_with(log_input.shape):
        raise ValueError(f"`log_input` and `targets` must have the same shape, received ({log_input.shape} vs "
                         f"{targets.shape}).")
    result = subtract(math_ops.exp(log_input), multiply(log_input, targets))
    if not compute_full_loss:
        return result
    stirling = add(subtract(multiply(targets, math_ops.log(targets)), targets),
                   multiply(math_ops.log(multiply(targets, 2 * math.pi)), 0.5))
    small = math_ops.logical_and(math_ops.greater_equal(targets, 0), math_ops.less_equal(targets, 1))
    return add(result, math_ops.where(small, array_ops.zeros_like(targets), stirling))


# ---------------------------------------------------------------------------------------------------------
# Distribution-aware averaging (a single replica here)


def _match_weight_rank(losses: Tensor, weight: Tensor) -> Tensor:
    """Expands or squeezes the last dim of ``weight`` so that it broadcasts against ``losses``."""
    w_rank, l_rank = weight.ndim, losses.ndim
    if w_rank == 0 or w_rank == l_rank:
        return weight
    if w_rank == l_rank - 1:
        return array_ops.expand_dims(weight, -1)
    if w_rank == l_rank + 1 and weight.shape.as_list()[-1] == 1:
        return array_ops.squeeze(weight, [-1])
    return weight


def _check_batch_size(size: Any) -> Tensor:
    size = to_tensor(size)
    if size.ndim != 0:
        raise ValueError("global_batch_size must be scalar.")
    if not size.dtype.is_integer:
        raise TypeError(f"global_batch_size must be an integer..  Expected \"x\" to be integer type.  Found: "
                        f"tensor of dtype {dtype_repr(size.dtype)}")
    if isinstance(size, EagerTensor) and size.numpy() < 0:
        raise InvalidArgumentError(None, None, f"global_batch_size must be non-negative..  \nCondition x >= 0 did "
                                               f"not hold element-wise:\nx (shape=() dtype={size.dtype.name}) = "
                                               f"\n{size.numpy()}")
    return size


@export("nn.compute_average_loss")
def compute_average_loss(per_example_loss: Any, sample_weight: Any = None,
                         global_batch_size: Any = None) -> Tensor:
    """``sum(per_example_loss * sample_weight) / global_batch_size`` (0 when the batch size is 0); the batch
    size defaults to ``per_example_loss.shape[0]`` (one replica).

    Raises:
        ValueError: a scalar ``per_example_loss`` or non-scalar batch size.
        TypeError: a non-integer batch size.
        InvalidArgumentError: a negative batch size.
    """
    losses = to_tensor(per_example_loss)
    input_dtype = losses.dtype
    if losses.ndim == 0:
        raise ValueError(f"Invalid value passed for `per_example_loss`. Expected a tensor with at least rank 1. "
                         f"Received per_example_loss={losses}")
    if sample_weight is not None:
        weight = math_ops.cast(to_tensor(sample_weight), dtypes.float32)
        wide = math_ops.cast(losses, dtypes.float32)
        losses = math_ops.cast(multiply(wide, _match_weight_rank(wide, weight)), input_dtype)
    if global_batch_size is None:
        global_batch_size = array_ops.shape(losses)[0]
    size = _check_batch_size(global_batch_size)
    return math_ops.divide_no_nan(reduce_sum(losses), math_ops.cast(size, input_dtype))


@export("nn.scale_regularization_loss")
def scale_regularization_loss(regularization_loss: Any) -> Tensor:
    """The summed regularization loss divided by the number of replicas (one here)."""
    return math_ops.divide(reduce_sum(regularization_loss), 1)

