"""Keras activation layers: ``ReLU``, ``LeakyReLU``, ``PReLU``, ``ELU`` and ``Softmax``.

(``Activation``, which wraps any activation by name, lives in ``core``.)
"""
from __future__ import annotations

import warnings
from typing import Any

import ndflow as tf

from .. import activations, constraints, initializers, regularizers
from .input_spec import InputSpec
from .layer import Layer

__all__ = ["ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax"]


class ReLU(Layer):
    """Rectified linear unit: ``x`` above ``threshold`` (capped at ``max_value``), ``negative_slope *
    (x - threshold)`` below it.

    Raises:
        ValueError: a negative ``max_value``, or a ``negative_slope`` / ``threshold`` that is ``None`` or
            negative.
    """

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0, threshold: float = 0.0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(f"max_value of a ReLU layer cannot be a negative value. Received: max_value={max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError("negative_slope of a ReLU layer cannot be None or a negative value. Received: "
                             f"negative_slope={negative_slope}")
        if threshold is None or threshold < 0.0:
            raise ValueError(f"threshold of a ReLU layer cannot be None or a negative value. Received: "
                             f"threshold={threshold}")
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Any:
        return activations.relu(inputs, negative_slope=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}


class LeakyReLU(Layer):
    """Leaky rectifier: ``x`` for ``x >= 0``, ``negative_slope * x`` otherwise.

    The Keras 2 argument name ``alpha`` is still accepted (with a deprecation warning).

    Raises:
        ValueError: ``negative_slope`` is ``None`` or negative.
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any) -> None:
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2)
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError("The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
                             f"Expected a float. Received: negative_slope={negative_slope}")
        self.negative_slope = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Any:
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}


class PReLU(Layer):
    """Parametric ReLU: ``x`` for ``x >= 0``, ``alpha * x`` otherwise, with a learned ``alpha`` per unit.

    Args:
        alpha_initializer, alpha_regularizer, alpha_constraint: for the ``alpha`` weight.
        shared_axes: axes (1-based, batch excluded) along which ``alpha`` is shared, e.g. ``[1, 2]`` for one
            ``alpha`` per channel of an image.
    """

    def __init__(self, alpha_initializer: Any = "Zeros", alpha_regularizer: Any = None, alpha_constraint: Any = None,
                 shared_axes: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape: tuple) -> None:
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            param_shape[axis - 1] = 1
        self.alpha = self.add_weight(shape=param_shape, name="alpha", initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer, constraint=self.alpha_constraint)
        axes = {i: input_shape[i] for i in range(1, len(input_shape)) if i not in self.shared_axes} \
            if self.shared_axes else {}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs: Any) -> Any:
        return tf.nn.relu(inputs) - self.alpha * tf.nn.relu(-inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }


class ELU(Layer):
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise."""

    def __init__(self, alpha: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Any:
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}


def _large_negative(dtype: Any) -> float:
    return -30000.0 if tf.as_dtype(dtype).name == "float16" else -1e9


class Softmax(Layer):
    """Softmax along ``axis`` (an int or several axes).

    ``mask`` (broadcastable to the input; ``True``/``1`` = keep) excludes positions: they get probability 0.

    Raises:
        ValueError: a mask that does not broadcast to the inputs.
    """

    def __init__(self, axis: Any = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is not None:
            mask = self._check_mask(inputs, mask)
            inputs = tf.where(mask, inputs, tf.cast(_large_negative(inputs.dtype), inputs.dtype))
        axis = self.axis
        if isinstance(axis, (tuple, list)) and len(axis) > 1:
            outputs = tf.exp(inputs - tf.reduce_logsumexp(inputs, axis=list(axis), keepdims=True))
        else:
            outputs = tf.nn.softmax(inputs, axis=axis[0] if isinstance(axis, (tuple, list)) else axis)
        if mask is not None:
            outputs = tf.where(mask, outputs, tf.zeros_like(outputs))
        return outputs

    @staticmethod
    def _check_mask(inputs: Any, mask: Any) -> Any:
        mask = tf.convert_to_tensor(mask)
        if len(mask.shape) > len(inputs.shape):
            raise ValueError("The `mask` must be broadcastable to `inputs` and must not have more dimensions. "
                             f"Received: inputs.shape={tuple(inputs.shape)}, mask.shape={tuple(mask.shape)}")
        for m_dim, i_dim in zip(tuple(mask.shape)[::-1], tuple(inputs.shape)[::-1]):
            if m_dim is not None and i_dim is not None and m_dim not in (1, i_dim):
                raise ValueError("The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or "
                                 "match the corresponding input dimension. Received: "
                                 f"inputs.shape={tuple(inputs.shape)}, mask.shape={tuple(mask.shape)}")
        if mask.dtype.name != "bool":
            mask = tf.greater(mask, tf.cast(0.5, mask.dtype))
        return mask

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
