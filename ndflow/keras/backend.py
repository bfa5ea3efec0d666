"""``keras.backend``: global Keras settings, plus the classic ``K.*`` tensor helpers of tf.keras.

ndflow emulates Keras's TensorFlow backend, so ``backend()`` returns ``"tensorflow"``. The ``K.*`` helpers
(``mean``, ``clip``, ``binary_crossentropy`` …) are thin wrappers on ndflow ops, so custom losses and metrics
written against them stay differentiable.
"""
from __future__ import annotations

import builtins
import math as _pymath
from typing import Any, Callable

import numpy as np

import ndflow as _nd

from .. import math as _math
from .. import nn as _nn
from .._core.dtypes import as_dtype
from .._core.tensor import is_tensor as _is_tensor
from .._core.variable import Variable as _Variable

_SETTINGS: dict[str, Any] = {"floatx": "float32", "epsilon": 1e-7, "image_data_format": "channels_last"}
_FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")


# -- global settings ------------------------------------------------------------------------------------------
def floatx() -> str:
    """The default float type, ``"float32"`` unless changed with ``set_floatx``."""
    return _SETTINGS["floatx"]


def set_floatx(value: str) -> None:
    """Sets the default float type.

    Raises:
        ValueError: for anything but ``bfloat16``, ``float16``, ``float32`` or ``float64``.
    """
    value = str(value)
    if value not in _FLOAT_TYPES:
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of {set(_FLOAT_TYPES)}")
    _SETTINGS["floatx"] = value


def epsilon() -> float:
    """The fuzz factor used in numeric expressions (default ``1e-7``)."""
    return _SETTINGS["epsilon"]


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor returned by ``epsilon()``."""
    _SETTINGS["epsilon"] = value


def image_data_format() -> str:
    """``"channels_last"`` (default) or ``"channels_first"``."""
    return _SETTINGS["image_data_format"]


def set_image_data_format(data_format: str) -> None:
    """Sets the default image layout.

    Raises:
        ValueError: for anything but ``channels_first`` / ``channels_last``.
    """
    data_format = str(data_format).lower()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError("The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
                         f"Received: data_format={data_format}")
    _SETTINGS["image_data_format"] = data_format


def standardize_data_format(data_format: str | None) -> str:
    """``data_format`` validated and lower-cased; ``None`` means ``image_data_format()``."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError("The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
                         f"Received: data_format={data_format}")
    return data_format


def backend() -> str:
    """The name of the emulated backend: ``"tensorflow"``."""
    return "tensorflow"


def clear_session(free_memory: bool = True) -> None:
    """Resets Keras's global state: automatic layer names and the global random seed generator."""
    from .layers.layer import reset_uids
    from .random import reset_global_seed_generator

    reset_uids()
    reset_global_seed_generator()


def get_uid(prefix: str = "") -> int:
    """1, 2, 3 … on successive calls with the same ``prefix`` (shared with automatic layer names)."""
    from .layers.layer import get_uid as layer_get_uid

    return layer_get_uid(prefix)


def is_keras_tensor(x: Any) -> bool:
    """Whether ``x`` is a symbolic Keras tensor (the output of ``keras.Input`` or of a layer called on one)."""
    from . import layers

    keras_tensor = getattr(layers, "KerasTensor", None)
    return keras_tensor is not None and isinstance(x, keras_tensor)


def standardize_dtype(dtype: Any) -> str:
    """The canonical name of ``dtype`` (``None`` means ``floatx()``)."""
    return floatx() if dtype is None else as_dtype(getattr(dtype, "name", dtype)).name


def is_float_dtype(dtype: Any) -> bool:
    return as_dtype(standardize_dtype(dtype)).is_floating


def is_int_dtype(dtype: Any) -> bool:
    return as_dtype(standardize_dtype(dtype)).is_integer


def result_type(*dtypes: Any) -> str:
    """The dtype Keras 3 gives an op mixing ``dtypes`` (Python types count as weak)."""
    from .ops import result_type as ops_result_type

    samples = [np.zeros((), dtype=as_dtype(d).as_numpy_dtype) if not isinstance(d, type) else d(0) for d in dtypes]
    return ops_result_type(*samples)


def int_shape(x: Any) -> tuple | None:
    """The static shape of ``x`` as a tuple of ints / ``None``."""
    shape = getattr(x, "shape", None)
    if shape is None:
        return tuple(np.shape(x))
    try:
        dims = shape.as_list() if hasattr(shape, "as_list") else list(shape)
    except ValueError:
        return None
    return tuple(dims)


# -- classic tf.keras ``K.*`` helpers -------------------------------------------------------------------------
def _t(x: Any) -> Any:
    return x if _is_tensor(x) or isinstance(x, _Variable) else _nd.convert_to_tensor(x)


def ndim(x: Any) -> int | None:
    """The rank of ``x``."""
    return len(_t(x).shape)


def dtype(x: Any) -> str:
    """The dtype name of ``x``."""
    return _t(x).dtype.name


def shape(x: Any) -> Any:
    """The dynamic shape of ``x`` as an int32 tensor."""
    return _nd.shape(x)


def count_params(x: Any) -> int:
    """The number of scalars in ``x``."""
    return _pymath.prod(_t(x).shape.as_list())


def cast(x: Any, dtype: Any) -> Any:
    return _nd.cast(x, dtype)


def cast_to_floatx(x: Any) -> Any:
    """``x`` cast to ``floatx()`` (tensors stay tensors, anything else becomes a NumPy array)."""
    if _is_tensor(x) or isinstance(x, _Variable):
        return _nd.cast(x, floatx())
    return np.asarray(x, dtype=floatx())


def variable(value: Any, dtype: Any = None, name: str | None = None, constraint: Any = None) -> _Variable:
    """A new ``ndflow.Variable`` holding ``value`` (``floatx()`` by default)."""
    return _Variable(value, dtype=as_dtype(dtype or floatx()), name=name, constraint=constraint)


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str | None = None) -> Any:
    return _nd.constant(value, dtype=dtype or floatx(), shape=shape, name=name)


def zeros(shape: Any, dtype: Any = None, name: str | None = None) -> Any:
    """A variable of zeros (a tensor when the shape is not fully known)."""
    value = _nd.zeros(shape, dtype=dtype or floatx())
    return variable(value, dtype=dtype, name=name) if builtins.all(value.shape.as_list()) else value


def ones(shape: Any, dtype: Any = None, name: str | None = None) -> Any:
    """A variable of ones (a tensor when the shape is not fully known)."""
    value = _nd.ones(shape, dtype=dtype or floatx())
    return variable(value, dtype=dtype, name=name) if builtins.all(value.shape.as_list()) else value


def zeros_like(x: Any, dtype: Any = None, name: str | None = None) -> Any:
    return _nd.zeros_like(x, dtype=dtype)


def ones_like(x: Any, dtype: Any = None, name: str | None = None) -> Any:
    return _nd.ones_like(x, dtype=dtype)


def eye(size: int, dtype: Any = None, name: str | None = None) -> _Variable:
    return variable(_nd.eye(size, dtype=dtype or floatx()), dtype=dtype, name=name)


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = "int32") -> Any:
    if stop is None and start < 0:
        start = 0
    result = _nd.range(start, stop, step)
    return result if dtype == "int32" else _nd.cast(result, dtype)


def get_value(x: Any) -> Any:
    """The NumPy value of a tensor or variable (anything else is returned unchanged)."""
    return x.numpy() if hasattr(x, "numpy") else x


def eval(x: Any) -> Any:  # noqa: A001  (tf.keras's public name)
    return get_value(x)


def batch_get_value(tensors: list) -> list:
    return [get_value(x) for x in tensors]


def set_value(x: _Variable, value: Any) -> None:
    """Assigns NumPy ``value`` to variable ``x``."""
    x.assign(np.asarray(value, dtype=x.dtype.name))


def batch_set_value(tuples: list) -> None:
    for x, value in tuples:
        set_value(x, value)


def update(x: _Variable, new_x: Any) -> Any:
    return x.assign(new_x)


def update_add(x: _Variable, increment: Any) -> Any:
    return x.assign_add(increment)


def update_sub(x: _Variable, decrement: Any) -> Any:
    return x.assign_sub(decrement)


def _reducer(reduce: Callable, bool_to_float: bool = False) -> Callable:
    def apply(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
        x = _t(x)
        if bool_to_float and x.dtype == _nd.bool:
            x = _nd.cast(x, floatx())
        return reduce(x, axis=axis, keepdims=keepdims)

    return apply


mean = _reducer(_nd.reduce_mean, bool_to_float=True)
sum = _reducer(_nd.reduce_sum)  # noqa: A001
max = _reducer(_nd.reduce_max)  # noqa: A001
min = _reducer(_nd.reduce_min)  # noqa: A001
prod = _reducer(_nd.reduce_prod)
std = _reducer(_math.reduce_std, bool_to_float=True)
var = _reducer(_math.reduce_variance, bool_to_float=True)


def all(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    return _nd.reduce_all(_nd.cast(x, "bool"), axis=axis, keepdims=keepdims)


def any(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    return _nd.reduce_any(_nd.cast(x, "bool"), axis=axis, keepdims=keepdims)


def argmax(x: Any, axis: int = -1) -> Any:
    return _nd.argmax(x, axis)


def argmin(x: Any, axis: int = -1) -> Any:
    return _nd.argmin(x, axis)


def cumsum(x: Any, axis: int = 0) -> Any:
    return _nd.cumsum(x, axis=axis)


def cumprod(x: Any, axis: int = 0) -> Any:
    return _math.cumprod(x, axis=axis)


def square(x: Any) -> Any:
    return _nd.square(x)


def abs(x: Any) -> Any:  # noqa: A001
    return _nd.abs(x)


def sqrt(x: Any) -> Any:
    """``sqrt(max(x, 0))`` (negative inputs give 0, not NaN)."""
    x = _t(x)
    return _nd.sqrt(_nd.maximum(x, _nd.cast(0.0, x.dtype)))


def exp(x: Any) -> Any:
    return _nd.exp(x)


def log(x: Any) -> Any:
    return _math.log(x)


def sin(x: Any) -> Any:
    return _nd.sin(x)


def cos(x: Any) -> Any:
    return _nd.cos(x)


def round(x: Any) -> Any:  # noqa: A001
    return _nd.round(x)


def sign(x: Any) -> Any:
    return _nd.sign(x)


def pow(x: Any, a: Any) -> Any:  # noqa: A001
    return _nd.pow(x, a)


def clip(x: Any, min_value: Any, max_value: Any) -> Any:
    """``x`` limited to ``[min_value, max_value]``; ``None`` means unbounded, and a ``max_value`` below
    ``min_value`` is raised to it."""
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)) and max_value < min_value:
        max_value = min_value
    x = _t(x)
    low = -np.inf if min_value is None else min_value
    high = np.inf if max_value is None else max_value
    return _nd.clip_by_value(x, _nd.cast(low, x.dtype), _nd.cast(high, x.dtype))


def maximum(x: Any, y: Any) -> Any:
    return _nd.maximum(x, y)


def minimum(x: Any, y: Any) -> Any:
    return _nd.minimum(x, y)


def equal(x: Any, y: Any) -> Any:
    return _nd.equal(x, y)


def not_equal(x: Any, y: Any) -> Any:
    return _nd.not_equal(x, y)


def greater(x: Any, y: Any) -> Any:
    return _nd.greater(x, y)


def greater_equal(x: Any, y: Any) -> Any:
    return _nd.greater_equal(x, y)


def less(x: Any, y: Any) -> Any:
    return _nd.less(x, y)


def less_equal(x: Any, y: Any) -> Any:
    return _nd.less_equal(x, y)


def dot(x: Any, y: Any) -> Any:
    """Matrix product; for rank > 2, contracts ``x``'s last axis with ``y``'s second-to-last (like Theano)."""
    x, y = _t(x), _t(y)
    if len(x.shape) <= 2 and len(y.shape) <= 2:
        return _nd.matmul(x, y)
    x_shape, y_shape = x.shape.as_list(), y.shape.as_list()
    y_axes = list(range(len(y_shape)))
    y_axes = [y_axes.pop(-2)] + y_axes
    flat_x = _nd.reshape(x, [-1, x_shape[-1]])
    flat_y = _nd.reshape(_nd.transpose(y, y_axes), [y_shape[-2], -1])
    return _nd.reshape(_nd.matmul(flat_x, flat_y), x_shape[:-1] + y_shape[:-2] + y_shape[-1:])


def batch_dot(x: Any, y: Any, axes: Any = None) -> Any:
    """Per-sample dot product of batches ``x`` and ``y`` over ``axes`` (tf.keras semantics).

    Raises:
        ValueError: for rank < 2 inputs, different batch sizes, axis 0, or mismatched contracted sizes.
    """
    x, y = _t(x), _t(y)
    x_shape, y_shape = tuple(x.shape.as_list()), tuple(y.shape.as_list())
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError(f"Cannot do batch_dot on inputs with rank < 2. Received inputs with tf.shapes {x_shape} "
                         f"and {y_shape}.")
    if x_shape[0] is not None and y_shape[0] is not None and x_shape[0] != y_shape[0]:
        raise ValueError(f"Cannot do batch_dot on inputs with different batch sizes. Received inputs with tf.shapes "
                         f"{x_shape} and {y_shape}.")
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1 if y_ndim == 2 else y_ndim - 2]
    if builtins.any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError(f"Multiple target dimensions are not supported. Expected: None, int, (int, int), "
                         f"Provided: {axes}")
    x_axis, y_axis = axes[0] % x_ndim, axes[1] % y_ndim
    if 0 in (x_axis, y_axis):
        raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy batch "
                         "dimension to your inputs using K.expand_dims(x, 0)")
    if x_shape[x_axis] is not None and y_shape[y_axis] is not None and x_shape[x_axis] != y_shape[y_axis]:
        raise ValueError(f"Cannot do batch_dot on inputs with tf.shapes {x_shape} and {y_shape} with "
                         f"axes={[x_axis, y_axis]}. x.shape[{x_axis}] != y.shape[{y_axis}] "
                         f"({x_shape[x_axis]} != {y_shape[y_axis]}).")
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    batch, contracted = next(letters), next(letters)
    x_sub = [batch] + [contracted if i == x_axis else next(letters) for i in range(1, x_ndim)]
    y_sub = [batch] + [contracted if i == y_axis else next(letters) for i in range(1, y_ndim)]
    out_sub = [batch] + [c for c in x_sub[1:] if c != contracted] + [c for c in y_sub[1:] if c != contracted]
    result = _nd.einsum(f"{''.join(x_sub)},{''.join(y_sub)}->{''.join(out_sub)}", x, y)
    return _nd.expand_dims(result, 1) if len(out_sub) == 1 else result


def concatenate(tensors: list, axis: int = -1) -> Any:
    if axis < 0:
        rank = ndim(tensors[0])
        axis = axis % rank if rank else 0
    return _nd.concat(list(tensors), axis)


def reshape(x: Any, shape: Any) -> Any:
    return _nd.reshape(x, shape)


def flatten(x: Any) -> Any:
    return _nd.reshape(x, [-1])


def batch_flatten(x: Any) -> Any:
    """``x`` reshaped to ``(batch, -1)``."""
    x = _t(x)
    return _nd.reshape(x, [-1, int(np.prod(x.shape.as_list()[1:]))])


def stack(x: list, axis: int = 0) -> Any:
    return _nd.stack(x, axis=axis)


def expand_dims(x: Any, axis: int = -1) -> Any:
    return _nd.expand_dims(x, axis)


def squeeze(x: Any, axis: int) -> Any:
    return _nd.squeeze(x, [axis])


def transpose(x: Any) -> Any:
    return _nd.transpose(x)


def permute_dimensions(x: Any, pattern: Any) -> Any:
    return _nd.transpose(x, perm=list(pattern))


def tile(x: Any, n: Any) -> Any:
    return _nd.tile(x, [n] if isinstance(n, int) else n)


def repeat_elements(x: Any, rep: int, axis: int) -> Any:
    """Repeats each slice of ``x`` along ``axis`` ``rep`` times (``[a, b] -> [a, a, b, b]``)."""
    x = _t(x)
    return _nd.gather(x, np.repeat(np.arange(x.shape[axis]), rep), axis=axis)


def reverse(x: Any, axes: Any) -> Any:
    return _nd.reverse(x, [axes] if isinstance(axes, int) else list(axes))


def gather(reference: Any, indices: Any) -> Any:
    return _nd.gather(reference, indices)


def one_hot(indices: Any, num_classes: int) -> Any:
    return _nd.one_hot(indices, depth=num_classes, axis=-1)


def stop_gradient(variables: Any) -> Any:
    if isinstance(variables, (list, tuple)):
        return [_nd.stop_gradient(v) for v in variables]
    return _nd.stop_gradient(variables)


def switch(condition: Any, then_expression: Any, else_expression: Any) -> Any:
    """``then_expression`` where ``condition`` holds, else ``else_expression``; a scalar condition picks a
    whole branch (callables are called)."""
    condition = _t(condition)
    if condition.dtype != _nd.bool:
        condition = _nd.cast(condition, "bool")
    if len(condition.shape) == 0:
        then_fn = then_expression if callable(then_expression) else (lambda: then_expression)
        else_fn = else_expression if callable(else_expression) else (lambda: else_expression)
        return _nd.cond(condition, then_fn, else_fn)
    then_value = then_expression() if callable(then_expression) else _t(then_expression)
    else_value = else_expression() if callable(else_expression) else _t(else_expression)
    cond_ndim, expr_ndim = len(condition.shape), len(then_value.shape)
    if cond_ndim > expr_ndim:
        raise ValueError("Rank of `condition` should be less than or equal to rank of `then_expression` and "
                         f"`else_expression`. ndim(condition)={cond_ndim}, ndim(then_expression)={expr_ndim}")
    if cond_ndim > 1:
        condition = _nd.reshape(condition, condition.shape.as_list() + [1] * (expr_ndim - cond_ndim))
        condition = _nd.broadcast_to(condition, _nd.shape(then_value))
    return _nd.where(condition, then_value, else_value)


def random_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None) -> Any:
    if seed is None:
        seed = np.random.randint(10e6)
    return _nd.random.normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(), seed=seed)


def random_uniform(shape: Any, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None, seed: Any = None) -> Any:
    if seed is None:
        seed = np.random.randint(10e6)
    return _nd.random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype or floatx(), seed=seed)


def truncated_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None) -> Any:
    if seed is None:
        seed = np.random.randint(10e6)
    return _nd.random.truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(), seed=seed)


def random_bernoulli(shape: Any, p: float = 0.0, dtype: Any = None, seed: Any = None) -> Any:
    dtype = dtype or floatx()
    return _nd.cast(random_uniform(shape, dtype=dtype, seed=seed) <= p, dtype)


def dropout(x: Any, level: float, noise_shape: Any = None, seed: Any = None) -> Any:
    if seed is None:
        seed = np.random.randint(10e6)
    return _nn.dropout(x, rate=level, noise_shape=noise_shape, seed=seed)


def relu(x: Any, alpha: float = 0.0, max_value: float | None = None, threshold: float = 0.0) -> Any:
    """Rectified linear unit with tf.keras's ``alpha`` (negative slope), ``max_value`` and ``threshold``."""
    from .activations import relu as keras_relu

    return keras_relu(x, negative_slope=alpha, max_value=max_value, threshold=threshold)


def elu(x: Any, alpha: float = 1.0) -> Any:
    from .activations import elu as keras_elu

    return keras_elu(x, alpha=alpha)


def sigmoid(x: Any) -> Any:
    return _nn.sigmoid(x)


def hard_sigmoid(x: Any) -> Any:
    """tf.keras's legacy ``clip(0.2 * x + 0.5, 0, 1)``."""
    x = _t(x)
    return _nd.clip_by_value(x * _nd.cast(0.2, x.dtype) + _nd.cast(0.5, x.dtype), 0.0, 1.0)


def tanh(x: Any) -> Any:
    return _nn.tanh(x)


def softplus(x: Any) -> Any:
    return _math.softplus(x)


def softsign(x: Any) -> Any:
    return _nn.softsign(x)


def softmax(x: Any, axis: int = -1) -> Any:
    """Softmax along ``axis``.

    Raises:
        ValueError: for a 1-D input.
    """
    from .activations import softmax as keras_softmax

    x = _t(x)
    if len(x.shape) <= 1:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input: {x}")
    return keras_softmax(x, axis=axis)


def l2_normalize(x: Any, axis: Any = None) -> Any:
    return _nn.l2_normalize(x, axis=axis)


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Any:
    """Element-wise binary cross-entropy (tf.keras's legacy epsilon placement)."""
    target, output = _t(target), _t(output)
    if from_logits:
        return _nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    eps = _nd.cast(epsilon(), output.dtype)
    output = _nd.clip_by_value(output, eps, 1.0 - eps)
    return -(target * _math.log(output + eps) + (1 - target) * _math.log(1 - output + eps))


def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Any:
    """Cross-entropy between one-hot ``target`` and probabilities (or logits) ``output``."""
    target, output = _t(target), _t(output)
    if from_logits:
        return _nn.softmax_cross_entropy_with_logits(labels=target, logits=output, axis=axis)
    output = output / _nd.reduce_sum(output, axis, keepdims=True)
    eps = _nd.cast(epsilon(), output.dtype)
    output = _nd.clip_by_value(output, eps, 1.0 - eps)
    return -_nd.reduce_sum(target * _math.log(output), axis)


def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Any:
    """Cross-entropy between integer labels ``target`` and probabilities (or logits) ``output``."""
    target, output = _nd.cast(target, "int64"), _t(output)
    if not from_logits:
        eps = _nd.cast(epsilon(), output.dtype)
        output = _math.log(_nd.clip_by_value(output, eps, 1 - eps))
    rank = len(output.shape)
    axis %= rank
    if axis != rank - 1:
        output = _nd.transpose(output, [*range(axis), *range(axis + 1, rank), axis])
    if len(target.shape) == rank:
        target = _nd.squeeze(target, -1)
    return _nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)


def bias_add(x: Any, bias: Any, data_format: str | None = None) -> Any:
    data_format = standardize_data_format(data_format)
    if data_format == "channels_first" and len(_t(x).shape) > 2:
        bias = _nd.reshape(bias, [-1] + [1] * (len(_t(x).shape) - 2))
    return x + bias


def map_fn(fn: Callable, elems: Any, name: str | None = None, dtype: Any = None) -> Any:
    return _nd.map_fn(fn, elems, dtype=dtype)


def foldl(fn: Callable, elems: Any, initializer: Any = None, name: str | None = None) -> Any:
    return _nd.foldl(fn, elems, initializer=initializer)


def foldr(fn: Callable, elems: Any, initializer: Any = None, name: str | None = None) -> Any:
    return _nd.foldr(fn, elems, initializer=initializer)
