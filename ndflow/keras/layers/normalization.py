"""Keras normalization layers: ``BatchNormalization``, ``LayerNormalization``, ``GroupNormalization`` and
``UnitNormalization``."""
from __future__ import annotations

import warnings
from typing import Any

import ndflow as tf

from .. import constraints, initializers, regularizers
from .input_spec import InputSpec
from .layer import Layer

__all__ = ["BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization"]


def _check_axes_in_range(axis: Any, input_shape: tuple) -> None:
    rank = len(input_shape)
    for a in axis if isinstance(axis, (list, tuple)) else [axis]:
        if a >= rank or a < -rank:
            raise ValueError(f"Axis {a} is out of bounds for input shape {input_shape}. Received: "
                             f"axis={axis}")


def _compute_dtype(dtype: Any) -> str:
    """float32 for half-precision inputs (statistics need the range), else the input's dtype."""
    name = tf.as_dtype(dtype).name
    return "float64" if name == "float64" else "float32"


def _normalize(x: Any, mean: Any, variance: Any, gamma: Any, beta: Any, epsilon: float) -> Any:
    """``(x - mean) / sqrt(variance + epsilon) * gamma + beta`` computed as ``x * inv + (beta - mean * inv)``."""
    inv = tf.math.rsqrt(variance + epsilon)
    if gamma is not None:
        inv = inv * gamma
    shift = -mean * inv
    if beta is not None:
        shift = shift + beta
    return x * inv + shift


class BatchNormalization(Layer):
    """Normalizes each feature of ``axis`` over the batch (training) or with moving statistics (inference).

    In training (``training=True`` and a trainable layer) the batch mean and variance are used and the
    moving statistics are updated: ``moving = moving * momentum + batch * (1 - momentum)``. A layer with
    ``trainable=False`` always runs in inference mode.

    Args:
        axis: the feature axis (``-1`` channels-last, ``1`` channels-first).
        momentum: of the moving statistics.
        epsilon: added to the variance.
        center, scale: whether to learn ``beta`` / ``gamma``.
        beta_initializer, gamma_initializer, moving_mean_initializer, moving_variance_initializer,
            beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: for the weights.
        renorm, renorm_clipping, renorm_momentum: batch renormalization (``renorm_clipping`` keys
            ``rmax``, ``rmin``, ``dmax``).
        synchronized: accepted; with one device it changes nothing.

    Raises:
        ValueError: invalid ``renorm_clipping``.
    """

    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 0.001, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros", gamma_initializer: Any = "ones",
                 moving_mean_initializer: Any = "zeros", moving_variance_initializer: Any = "ones",
                 beta_regularizer: Any = None, gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, renorm: bool = False, renorm_clipping: dict | None = None,
                 renorm_momentum: float = 0.99, synchronized: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = int(axis)
        self.synchronized = synchronized
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.renorm = renorm
        if renorm:
            renorm_clipping = renorm_clipping or {}
            keys = ["rmax", "rmin", "dmax"]
            if set(renorm_clipping) - set(keys):
                raise ValueError(f"Received invalid keys for `renorm_clipping` argument: {renorm_clipping}. "
                                 f"Supported values: {keys}.")
            rmax, rmin, dmax = (renorm_clipping.get(k) for k in keys)
            if rmax is not None and rmin is not None and rmax < rmin:
                raise ValueError("rmax should be greater than rmin in the `renorm_clipping` argument. Received: "
                                 "rmax={rmax}, rmin={rmin}.")
            if dmax is not None and dmax < 0:
                raise ValueError("dmax should be non-negative in the `renorm_clipping` argument. Received: "
                                 "dmax={dmax}.")
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.gamma = None
        self.beta = None
        self.moving_mean = None
        self.moving_variance = None
        self._reduction_axes: list[int] | None = None
        self._broadcast_shape: list[int] | None = None

    def build(self, input_shape: tuple) -> None:
        shape = (input_shape[self.axis],)
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma", initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta", initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean", initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer, trainable=False)
        if self.renorm:
            variance_init = self.moving_variance_initializer

            def stddev_initializer(shape: Any, dtype: Any = None) -> Any:
                return tf.sqrt(variance_init(shape, dtype=dtype))

            self.moving_stddev = self.add_weight(shape=shape, name="moving_stddev", initializer=stddev_initializer,
                                                 trainable=False)
            self.renorm_mean = self.add_weight(shape=shape, name="renorm_mean",
                                               initializer=self.moving_mean_initializer, trainable=False)
            self.renorm_stddev = self.add_weight(shape=shape, name="renorm_stddev", initializer=stddev_initializer,
                                                 trainable=False)
        rank = len(input_shape)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: input_shape[self.axis]})
        axis = self.axis % rank
        self._reduction_axes = [i for i in range(rank) if i != axis]
        self._broadcast_shape = None if axis == rank - 1 else [shape[0] if i == axis else 1 for i in range(rank)]
        self.built = True

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        if mask is not None and len(mask.shape) != len(inputs.shape) - 1:
            raise ValueError("The mask provided should be one dimension less than the inputs. Received: "
                             f"mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}")
        dtype = _compute_dtype(inputs.dtype)
        inputs = tf.cast(inputs, dtype)
        gamma = self._as(self.gamma, dtype)
        beta = self._as(self.beta, dtype)
        if training and self.trainable:
            mean, variance = self._moments(inputs, mask)
            if self.renorm:
                mean, variance, gamma, beta = self._renormalize(mean, variance, gamma, beta, dtype)
            else:
                self._update(self.moving_mean, mean, self.momentum)
                self._update(self.moving_variance, variance, self.momentum)
        else:
            mean = self._as(self.moving_mean, dtype)
            variance = self._as(self.moving_variance, dtype)
        if self._broadcast_shape is not None:
            mean, variance, gamma, beta = (None if v is None else tf.reshape(v, self._broadcast_shape)
                                           for v in (mean, variance, gamma, beta))
        outputs = _normalize(inputs, mean, variance, gamma, beta, self.epsilon)
        return tf.cast(outputs, self.compute_dtype)

    @staticmethod
    def _as(variable: Any, dtype: str) -> Any:
        if variable is None:
            return None
        value = variable.value
        return value if value.dtype.name == dtype else tf.cast(value, dtype)

    @staticmethod
    def _update(variable: Any, value: Any, momentum: float) -> None:
        current = tf.cast(variable.value, value.dtype)
        variable.assign(tf.cast(current * momentum + value * (1.0 - momentum), variable.dtype))

    def _moments(self, inputs: Any, mask: Any) -> tuple:
        if mask is None:
            return tf.nn.moments(inputs, axes=self._reduction_axes)
        from ..backend import epsilon

        weights = tf.broadcast_to(tf.expand_dims(tf.cast(mask, "bool"), -1), tf.shape(inputs))
        count = tf.reduce_sum(tf.cast(weights, inputs.dtype), self._reduction_axes, keepdims=True) + epsilon()
        zeros = tf.zeros_like(inputs)
        mean = tf.reduce_sum(tf.where(weights, inputs, zeros), self._reduction_axes, keepdims=True) / count
        deviations = tf.where(weights, inputs - mean, zeros)
        variance = tf.reduce_sum(tf.square(deviations), self._reduction_axes, keepdims=True) / count
        return tf.squeeze(mean), tf.squeeze(variance)

    def _renormalize(self, mean: Any, variance: Any, gamma: Any, beta: Any, dtype: str) -> tuple:
        """Batch renormalization: corrects the batch statistics towards the moving ones (clipped ``r``, ``d``)."""
        stddev = tf.sqrt(variance + self.epsilon)
        renorm_mean = self._as(self.renorm_mean, dtype)
        renorm_stddev = tf.maximum(self._as(self.renorm_stddev, dtype), tf.sqrt(tf.cast(self.epsilon, dtype)))
        r = stddev / renorm_stddev
        d = (mean - renorm_mean) / renorm_stddev
        clipping = self.renorm_clipping
        if clipping.get("rmin") is not None:
            r = tf.maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = tf.minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = tf.clip_by_value(d, -clipping["dmax"], clipping["dmax"])
        r, d = tf.stop_gradient(r), tf.stop_gradient(d)
        if gamma is not None:
            new_gamma, new_beta = r * gamma, d * gamma
        else:
            new_gamma, new_beta = r, d
        if beta is not None:
            new_beta = new_beta + beta

        self._update(self.renorm_mean, mean, self.renorm_momentum)
        self._update(self.renorm_stddev, stddev, self.renorm_momentum)
        self._update(self.moving_mean, mean, self.momentum)
        moving_stddev = self._as(self.moving_stddev, dtype) * self.momentum + stddev * (1.0 - self.momentum)
        self.moving_stddev.assign(tf.cast(moving_stddev, self.moving_stddev.dtype))
        self.moving_variance.assign(tf.cast(tf.nn.relu(moving_stddev * moving_stddev - self.epsilon),
                                            self.moving_variance.dtype))
        return mean, variance, new_gamma, new_beta

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        _check_axes_in_range(self.axis, tuple(input_shape))
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }


class LayerNormalization(Layer):
    """Normalizes each sample over ``axis`` (an int or a list), then scales by ``gamma`` and shifts by ``beta``.

    The deprecated ``rms_scaling=True`` keyword is accepted as Keras 3 does (with its warning): it divides by
    the standard deviation without centring and learns only ``gamma``.

    Raises:
        TypeError: ``axis`` is neither an int nor a list/tuple of ints.
    """

    def __init__(self, axis: Any = -1, epsilon: float = 0.001, center: bool = True, scale: bool = True,
                 beta_initializer: Any = "zeros", gamma_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None, gamma_constraint: Any = None,
                 **kwargs: Any) -> None:
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn("You passed `rms_scaling=True`, which is deprecated. This argument incorrectly scales the "
                          "input by the variance, not the root mean square. To correctly use RMS Normalization, "
                          "please use `keras.layers.RMSNormalization` instead.", stacklevel=2)
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(f"Expected an int or a list/tuple of ints for the argument 'axis', but received: {axis!r}")
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False
        self._broadcast_shape: list[int] | None = None

    def build(self, input_shape: tuple) -> None:
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        shape = tuple(input_shape[dim] for dim in self.axis)
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(name="gamma", shape=shape, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        else:
            self.gamma = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(name="beta", shape=shape, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint)
        else:
            self.beta = None
        rank = len(input_shape)
        if len(self.axis) == 1 and self.axis[0] % rank == rank - 1:
            self._broadcast_shape = None
        else:
            kept = {a % rank for a in self.axis}
            self._broadcast_shape = [input_shape[i] if i in kept else 1 for i in range(rank)]
        self.built = True

    def call(self, inputs: Any) -> Any:
        dtype = _compute_dtype(inputs.dtype)
        x = tf.cast(inputs, dtype)
        gamma, beta = (None if w is None else self._broadcast(tf.cast(w.value, dtype)) for w in (self.gamma, self.beta))
        if self.rms_scaling:
            _, variance = tf.nn.moments(x, axes=self.axis, keepdims=True)
            outputs = x * tf.math.rsqrt(variance + self.epsilon)
            if gamma is not None:
                outputs = outputs * gamma
        else:
            mean, variance = tf.nn.moments(x, axes=self.axis, keepdims=True)
            outputs = _normalize(x, mean, variance, gamma, beta, self.epsilon)
        return tf.cast(outputs, self.compute_dtype)

    def _broadcast(self, weight: Any) -> Any:
        return weight if self._broadcast_shape is None else tf.reshape(weight, self._broadcast_shape)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        _check_axes_in_range(self.axis, tuple(input_shape))
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }


class GroupNormalization(Layer):
    """Splits the channels of ``axis`` into ``groups`` and normalizes each group of each sample.

    ``groups=-1`` gives one group per channel (instance normalization); ``groups=1`` is layer normalization
    over all non-batch axes.

    Raises:
        ValueError: ``groups`` not a positive integer or ``-1``; at build, an unknown channel count or one
            that the groups don't divide.
    """

    def __init__(self, groups: int = 32, axis: int = -1, epsilon: float = 0.001, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros", gamma_initializer: Any = "ones",
                 beta_regularizer: Any = None, gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, **kwargs: Any) -> None:
        if not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ValueError("Received an invalid value for argument `groups`, expected a positive integer (or `-1` "
                             f"for instance normalization). Received: groups={groups}")
        super().__init__(**kwargs)
        self.supports_masking = True
        self.autocast = False
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape: tuple) -> None:
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined dimension but the layer "
                             f"received an input with shape {tuple(input_shape)}.")
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(f"Number of groups ({self.groups}) cannot be more than the number of channels ({dim}).")
        if dim % self.groups != 0:
            raise ValueError(f"Number of groups ({self.groups}) must be a multiple of the number of channels "
                             f"({dim}).")
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        self.gamma = self.add_weight(shape=(dim,), name="gamma", initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer, constraint=self.gamma_constraint) \
            if self.scale else None
        self.beta = self.add_weight(shape=(dim,), name="beta", initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer, constraint=self.beta_constraint) \
            if self.center else None
        self.built = True

    def _grouped_shape(self, shape: list) -> list:
        """``shape`` with the channel axis split into ``(groups, channels // groups)``."""
        shape = list(shape)
        axis = self.axis % len(shape)
        shape[axis:axis + 1] = [self.groups, shape[axis] // self.groups]
        return shape

    def call(self, inputs: Any) -> Any:
        static = tuple(inputs.shape)
        dynamic = tf.shape(inputs) if None in static[1:] else None
        dims = [-1] + [d if d is not None else dynamic[i + 1] for i, d in enumerate(static[1:])]
        rank = len(static)
        axis = self.axis % rank
        dims[axis] = static[axis] if static[axis] is not None else dynamic[axis]
        grouped = tf.reshape(inputs, self._grouped_shape(dims))
        dtype = _compute_dtype(inputs.dtype)
        grouped_x = tf.cast(grouped, dtype)
        reduction_axes = [i for i in range(1, rank + 1) if i != axis]
        mean, variance = tf.nn.moments(grouped_x, axes=reduction_axes, keepdims=True)
        broadcast = self._grouped_shape([static[axis] if i == axis else 1 for i in range(rank)])
        gamma, beta = (None if w is None else tf.reshape(tf.cast(w.value, dtype), broadcast)
                       for w in (self.gamma, self.beta))
        normalized = tf.cast(_normalize(grouped_x, mean, variance, gamma, beta, self.epsilon), inputs.dtype)
        outputs = tf.reshape(normalized, tf.shape(inputs) if dynamic is not None or static[0] is None else static)
        return tf.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        _check_axes_in_range(self.axis, tuple(input_shape))
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }


class UnitNormalization(Layer):
    """Scales each sample to unit L2 norm along ``axis`` (an int or a list of ints).

    Raises:
        TypeError: ``axis`` is neither an int nor a list/tuple of ints.
    """

    def __init__(self, axis: Any = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(f"Invalid value for `axis` argument: expected an int or a list/tuple of ints. Received: "
                            f"axis={axis}")
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Any:
        inv_norm = tf.math.rsqrt(tf.reduce_sum(tf.square(inputs), axis=self.axis, keepdims=True))
        return inputs * tf.minimum(inv_norm, 1e12)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        rank = len(input_shape)
        for a in self.axis if isinstance(self.axis, list) else [self.axis]:
            if a >= rank or a < -rank:
                raise ValueError(f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}.")
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
