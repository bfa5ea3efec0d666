"""``tf.compat.v1.layers``: TF1's layer functions and classes, with variables made by ``get_variable``.

Each layer opens a variable scope named after it (``dense``, ``dense_1``, … or ``name``), so its variables are
``<scope>/kernel:0``, ``<scope>/bias:0`` … and are shared with ``reuse=True`` (or ``AUTO_REUSE``). In a graph,
regularization penalties go to ``GraphKeys.REGULARIZATION_LOSSES`` and batch-norm moving-average updates to
``GraphKeys.UPDATE_OPS``; executing eagerly, each layer object owns fresh variables and updates apply at once.
"""
from __future__ import annotations

import re
from typing import Any

import ndflow as _tf

from ..._core import dtypes
from ..._core.context import state
from ..._core.graph import get_default_graph
from ..._core.tensor import convert_to_tensor
from ..._core.variable import Variable
from .initializers import glorot_uniform_initializer, ones_initializer, zeros_initializer
from .variable_scope import get_variable, variable_scope

__all__ = ["Layer", "Dense", "Dropout", "Flatten", "Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose", "MaxPooling1D",
           "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
           "BatchNormalization", "dense", "dropout", "flatten", "conv1d", "conv2d", "conv3d", "conv2d_transpose",
           "max_pooling1d", "max_pooling2d", "max_pooling3d", "average_pooling1d", "average_pooling2d",
           "average_pooling3d", "batch_normalization"]

REGULARIZATION_LOSSES = "regularization_losses"
UPDATE_OPS = "update_ops"


def _snake_case(name: str) -> str:
    return re.sub("([a-z])([A-Z])", r"\1_\2", re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)).lower()


def _tuple(value: Any, rank: int, what: str) -> tuple:
    values = (value,) * rank if isinstance(value, int) else tuple(int(v) for v in value)
    if len(values) != rank:
        raise ValueError(f"The `{what}` argument must be a tuple of {rank} integers. Received: {value}")
    return values


def _padding(padding: str) -> str:
    if padding.lower() not in ("valid", "same"):
        raise ValueError(f"The `padding` argument must be a list/tuple or one of \"valid\", \"same\". "
                         f"Received: {padding}")
    return padding.upper()


def _channels_first(data_format: str) -> bool:
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"The `data_format` argument must be one of \"channels_first\", \"channels_last\". "
                         f"Received: {data_format}")
    return data_format == "channels_first"


class _VariableOwner:
    """``variables`` (the ones in ``self._variables``; a subclass may gather them elsewhere) and their trainable
    and non-trainable parts, each also under its ``weights`` name."""

    @property
    def variables(self) -> list:
        return list(self._variables)

    weights = variables

    @property
    def trainable_variables(self) -> list:
        return [v for v in self.variables if v.trainable]

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self) -> list:
        return [v for v in self.variables if not v.trainable]

    non_trainable_weights = non_trainable_variables


class Layer(_VariableOwner):
    """Base class: ``__call__`` opens the layer's variable scope, builds once, then runs ``call``.

    Args:
        trainable: whether the layer's weights are trainable.
        name: the scope name (default: the class name in snake case, made unique).
        dtype: the weights' dtype (default: the first input's floating dtype, else float32).
    """

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None, _reuse: Any = None,
                 **kwargs: Any) -> None:
        unknown = set(kwargs) - {"_scope", "activity_regularizer"}
        if unknown:
            raise TypeError(f"Keyword argument not understood: {sorted(unknown)[0]}")
        self.trainable = trainable
        self.name = name
        self.dtype = dtypes.as_dtype(dtype) if dtype is not None else None
        self.activity_regularizer = kwargs.get("activity_regularizer")
        self.built = False
        self._reuse = _reuse
        self._scope = None
        self._variables: list = []
        self._losses: list = []
        self._updates: list = []

    @property
    def losses(self) -> list:
        """Regularization penalties of this layer (graph: from REGULARIZATION_LOSSES under its scope)."""
        if state.graph is not None and self._scope is not None:
            return get_default_graph().get_collection(REGULARIZATION_LOSSES, self._scope.name + "/")
        return list(self._losses)

    @property
    def updates(self) -> list:
        return list(self._updates)

    @property
    def scope_name(self) -> str:
        return self._scope.name if self._scope is not None else self.name

    def add_variable(self, name: str, shape: Any, dtype: Any = None, initializer: Any = None,
                     regularizer: Any = None, trainable: bool = True, constraint: Any = None) -> Variable:
        """A weight named ``<layer scope>/<name>`` (``get_variable`` in a graph, a fresh variable eagerly)."""
        dtype = dtypes.as_dtype(dtype or self.dtype)
        trainable = trainable and self.trainable
        if state.graph is not None:
            var = get_variable(name, shape, dtype, initializer, regularizer, trainable, constraint=constraint)
        else:
            if initializer is None:
                initializer = glorot_uniform_initializer() if dtype.is_floating else zeros_initializer()
            shape = [int(d) for d in shape]
            value = initializer(shape, dtype=dtype) if callable(initializer) else initializer
            var = Variable(value, trainable=trainable, name=f"{self._scope.name}/{name}", dtype=dtype,
                           constraint=constraint)
            if regularizer is not None:
                self._add_loss(regularizer(var))
        if all(var is not v for v in self._variables):
            self._variables.append(var)
        return var

    add_weight = add_variable

    def _add_loss(self, penalty: Any) -> None:
        if penalty is None:
            return
        if state.graph is not None:
            get_default_graph().add_to_collection(REGULARIZATION_LOSSES, penalty)
        else:
            self._losses.append(penalty)

    # -- calling -------------------------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        self.built = True

    def call(self, inputs: Any, **kwargs: Any) -> Any:
        return inputs

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        inputs = convert_to_tensor(inputs)
        if self.dtype is None:
            self.dtype = inputs.dtype if inputs.dtype.is_floating else dtypes.float32
        if inputs.dtype.is_floating and inputs.dtype != self.dtype:
            inputs = _tf.cast(inputs, self.dtype)
        if self._scope is None:
            scope_cm = variable_scope(self.name, default_name=_snake_case(type(self).__name__), reuse=self._reuse)
        else:
            scope_cm = variable_scope(self._scope, reuse=True)
        with scope_cm as scope:
            if self._scope is None:
                self._scope = scope
                self.name = self.name or scope.name.split("/")[-1]
            if not self.built:
                self.build(inputs.shape)
                self.built = True
            outputs = self.call(inputs, *args, **kwargs)
            if self.activity_regularizer is not None:
                self._add_loss(self.activity_regularizer(outputs))
        return outputs

    apply = __call__


class Dense(Layer):
    """``activation(inputs · kernel + bias)`` over the last axis."""

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True, kernel_initializer: Any = None,
                 bias_initializer: Any = None, kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None, bias_constraint: Any = None,
                 trainable: bool = True, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs)
        self.units = int(units)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer if bias_initializer is not None else zeros_initializer()
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.bias = None

    def build(self, input_shape: Any) -> None:
        last = input_shape[-1] if input_shape.rank else None
        if last is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. Found `None`.")
        self.kernel = self.add_variable("kernel", [int(last), self.units], initializer=self.kernel_initializer,
                                        regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_variable("bias", [self.units], initializer=self.bias_initializer,
                                          regularizer=self.bias_regularizer, constraint=self.bias_constraint)

    def call(self, inputs: Any) -> Any:
        rank = inputs.shape.rank
        if rank == 2:
            outputs = _tf.matmul(inputs, self.kernel)
        else:
            outputs = _tf.tensordot(inputs, self.kernel, [[rank - 1], [0]])
        if self.use_bias:
            outputs = _tf.nn.bias_add(outputs, self.bias)
        return self.activation(outputs) if self.activation is not None else outputs


class Dropout(Layer):
    """Zeroes a fraction ``rate`` of the inputs (scaling the rest by ``1/(1-rate)``) when ``training``."""

    def __init__(self, rate: float = 0.5, noise_shape: Any = None, seed: Any = None, name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs: Any, training: Any = False) -> Any:
        if isinstance(training, (bool, int)) and not hasattr(training, "dtype"):
            if not training or self.rate == 0:
                return _tf.identity(inputs)
            return _tf.nn.dropout(inputs, rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)
        dropped = _tf.nn.dropout(inputs, rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)
        return _tf.where(_tf.cast(training, dtypes.bool), dropped, inputs)


class Flatten(Layer):
    """Reshapes ``[batch, d1, d2, …]`` to ``[batch, d1·d2·…]``."""

    def __init__(self, data_format: str = "channels_last", name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.channels_first = _channels_first(data_format)

    def call(self, inputs: Any) -> Any:
        if self.channels_first and inputs.shape.rank and inputs.shape.rank > 2:
            inputs = _tf.transpose(inputs, [0, *range(2, inputs.shape.rank), 1])
        tail = inputs.shape[1:]
        if tail.is_fully_defined():
            return _tf.reshape(inputs, [-1, tail.num_elements()])
        return _tf.reshape(inputs, _tf.stack([_tf.shape(inputs)[0], -1]))


class _Conv(Layer):
    rank = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: str = "channels_last", dilation_rate: Any = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = None, bias_initializer: Any = None,
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, trainable: bool = True,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs)
        self.filters = int(filters)
        self.kernel_size = _tuple(kernel_size, self.rank, "kernel_size")
        self.strides = _tuple(strides, self.rank, "strides")
        self.dilation_rate = _tuple(dilation_rate, self.rank, "dilation_rate")
        self.padding = _padding(padding)
        self.channels_first = _channels_first(data_format)
        self.activation, self.use_bias = activation, use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer if bias_initializer is not None else zeros_initializer()
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.bias = None

    def _data_format(self) -> str:
        spatial = {1: "W", 2: "HW", 3: "DHW"}[self.rank]
        return f"NC{spatial}" if self.channels_first else f"N{spatial}C"

    def build(self, input_shape: Any) -> None:
        channels = input_shape[1] if self.channels_first else input_shape[-1]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        self.kernel = self.add_variable("kernel", [*self.kernel_size, int(channels), self.filters],
                                        initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                        constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_variable("bias", [self.filters], initializer=self.bias_initializer,
                                          regularizer=self.bias_regularizer, constraint=self.bias_constraint)

    def call(self, inputs: Any) -> Any:
        outputs = _tf.nn.convolution(inputs, self.kernel, strides=list(self.strides), padding=self.padding,
                                     data_format=self._data_format(), dilations=list(self.dilation_rate))
        if self.use_bias:
            if self.channels_first:
                outputs = outputs + _tf.reshape(self.bias, [1, self.filters] + [1] * self.rank)
            else:
                outputs = _tf.nn.bias_add(outputs, self.bias)
        return self.activation(outputs) if self.activation is not None else outputs


class Conv1D(_Conv):
    rank = 1


class Conv2D(_Conv):
    rank = 2


class Conv3D(_Conv):
    rank = 3


class Conv2DTranspose(_Conv):
    """The gradient of a 2-D convolution with respect to its input ("deconvolution"); kernel
    ``[h, w, filters, in_channels]``; output size ``in·stride`` (same) or ``(in-1)·stride + kernel`` (valid)."""

    rank = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1), padding: str = "valid",
                 data_format: str = "channels_last", activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = None, bias_initializer: Any = None, kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, trainable: bool = True, name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format, 1, activation, use_bias,
                         kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, trainable, name, **kwargs)

    def build(self, input_shape: Any) -> None:
        channels = input_shape[1] if self.channels_first else input_shape[-1]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        self.kernel = self.add_variable("kernel", [*self.kernel_size, self.filters, int(channels)],
                                        initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                        constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_variable("bias", [self.filters], initializer=self.bias_initializer,
                                          regularizer=self.bias_regularizer, constraint=self.bias_constraint)

    def _output_size(self, size: Any, kernel: int, stride: int) -> Any:
        return size * stride if self.padding == "SAME" else (size - 1) * stride + kernel

    def call(self, inputs: Any) -> Any:
        spatial_axes = (2, 3) if self.channels_first else (1, 2)
        dynamic = _tf.shape(inputs)
        sizes = [self._output_size(dynamic[a], k, s) for a, k, s in zip(spatial_axes, self.kernel_size,
                                                                         self.strides)]
        batch = dynamic[0]
        output_shape = _tf.stack([batch, self.filters, *sizes] if self.channels_first else
                                 [batch, *sizes, self.filters])
        outputs = _tf.nn.conv2d_transpose(inputs, self.kernel, output_shape, list(self.strides),
                                          padding=self.padding, data_format=self._data_format())
        static = [inputs.shape[a] for a in spatial_axes]
        static = [None if d is None else self._output_size(d, k, s)
                  for d, k, s in zip(static, self.kernel_size, self.strides)]
        full = [inputs.shape[0], self.filters, *static] if self.channels_first else [inputs.shape[0], *static,
                                                                                      self.filters]
        outputs = _tf.ensure_shape(outputs, full) if all(d is not None for d in static) else outputs
        if self.use_bias:
            if self.channels_first:
                outputs = outputs + _tf.reshape(self.bias, [1, self.filters, 1, 1])
            else:
                outputs = _tf.nn.bias_add(outputs, self.bias)
        return self.activation(outputs) if self.activation is not None else outputs


class _Pooling(Layer):
    rank = 2
    pooling_type = "MAX"

    def __init__(self, pool_size: Any, strides: Any, padding: str = "valid", data_format: str = "channels_last",
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.pool_size = _tuple(pool_size, self.rank, "pool_size")
        self.strides = _tuple(strides, self.rank, "strides")
        self.padding = _padding(padding)
        self.channels_first = _channels_first(data_format)

    def call(self, inputs: Any) -> Any:
        spatial = {1: "W", 2: "HW", 3: "DHW"}[self.rank]
        data_format = f"NC{spatial}" if self.channels_first else f"N{spatial}C"
        return _tf.nn.pool(inputs, list(self.pool_size), self.pooling_type, strides=list(self.strides),
                           padding=self.padding, data_format=data_format)


def _pooling_class(name: str, rank: int, kind: str) -> type:
    return type(name, (_Pooling,), {"rank": rank, "pooling_type": kind, "__doc__": f"{kind.lower()} pooling "
                                    f"over {rank} spatial dimension(s)."})


MaxPooling1D = _pooling_class("MaxPooling1D", 1, "MAX")
MaxPooling2D = _pooling_class("MaxPooling2D", 2, "MAX")
MaxPooling3D = _pooling_class("MaxPooling3D", 3, "MAX")
AveragePooling1D = _pooling_class("AveragePooling1D", 1, "AVG")
AveragePooling2D = _pooling_class("AveragePooling2D", 2, "AVG")
AveragePooling3D = _pooling_class("AveragePooling3D", 3, "AVG")


class BatchNormalization(Layer):
    """Normalizes with batch statistics when ``training`` (else the moving averages) along ``axis``.

    Training updates ``moving_mean``/``moving_variance`` by ``moving = moving * momentum + batch * (1 -
    momentum)``: in a graph the update ops are added to ``GraphKeys.UPDATE_OPS`` (run them with the train op),
    eagerly they are applied at once. As in TF's fused kernel, 4-D inputs normalized over the channel axis
    update the moving variance with the unbiased batch variance.
    """

    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer: Any = None, gamma_initializer: Any = None,
                 moving_mean_initializer: Any = None, moving_variance_initializer: Any = None,
                 beta_regularizer: Any = None, gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, renorm: bool = False, renorm_clipping: Any = None,
                 renorm_momentum: float = 0.99, fused: Any = None, trainable: bool = True,
                 virtual_batch_size: Any = None, adjustment: Any = None, name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name, **kwargs)
        if renorm or virtual_batch_size is not None or adjustment is not None:
            raise NotImplementedError("BatchNormalization renorm, virtual_batch_size and adjustment are not "
                                      "supported yet")
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon
        self.center, self.scale, self.fused = center, scale, fused
        self.beta_initializer = beta_initializer or zeros_initializer()
        self.gamma_initializer = gamma_initializer or ones_initializer()
        self.moving_mean_initializer = moving_mean_initializer or zeros_initializer()
        self.moving_variance_initializer = moving_variance_initializer or ones_initializer()
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.gamma = self.beta = None
        self._updates_collection = UPDATE_OPS

    def build(self, input_shape: Any) -> None:
        rank = input_shape.rank
        axis = self.axis % rank
        if input_shape[axis] is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined dimension but the layer "
                             f"received an input with shape {input_shape}.")
        self._axis = axis
        self._reduce = [i for i in range(rank) if i != axis]
        self._unbiased_update = self.fused is not False and rank == 4 and axis in (1, 3)
        size = [int(input_shape[axis])]
        if self.scale:
            self.gamma = self.add_variable("gamma", size, initializer=self.gamma_initializer,
                                           regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_variable("beta", size, initializer=self.beta_initializer,
                                          regularizer=self.beta_regularizer, constraint=self.beta_constraint)
        self.moving_mean = self.add_variable("moving_mean", size, initializer=self.moving_mean_initializer,
                                             trainable=False)
        self.moving_variance = self.add_variable("moving_variance", size,
                                                 initializer=self.moving_variance_initializer, trainable=False)

    def _broadcast(self, value: Any, rank: int) -> Any:
        if value is None or self._axis == rank - 1:
            return value
        shape = [1] * rank
        shape[self._axis] = -1
        return _tf.reshape(value, shape)

    def call(self, inputs: Any, training: Any = False) -> Any:
        rank = inputs.shape.rank
        static = isinstance(training, (bool, int)) and not hasattr(training, "dtype")
        moving_mean, moving_var = self.moving_mean.read_value(), self.moving_variance.read_value()
        if static and not training:
            mean, variance = moving_mean, moving_var
        else:
            batch_mean, batch_var = _tf.nn.moments(inputs, self._reduce)
            if static:
                mean, variance = batch_mean, batch_var
                weight = _tf.constant(1.0, self.dtype)
            else:
                weight = _tf.cast(training, self.dtype)
                mean = weight * batch_mean + (1.0 - weight) * moving_mean
                variance = weight * batch_var + (1.0 - weight) * moving_var
            self._update_moving(batch_mean, batch_var, inputs, weight)
        b = lambda v: self._broadcast(v, rank)  # noqa: E731
        return _tf.nn.batch_normalization(inputs, b(mean), b(variance), b(self.beta), b(self.gamma), self.epsilon)

    def _update_moving(self, batch_mean: Any, batch_var: Any, inputs: Any, weight: Any) -> None:
        if self._unbiased_update:
            count = _tf.cast(_tf.reduce_prod(_tf.gather(_tf.shape(inputs), self._reduce)), self.dtype)
            batch_var = batch_var * count / _tf.maximum(count - 1.0, 1.0)
        decay = (1.0 - self.momentum) * weight
        updates = [self.moving_mean.assign_sub((self.moving_mean.read_value() - batch_mean) * decay),
                   self.moving_variance.assign_sub((self.moving_variance.read_value() - batch_var) * decay)]
        if state.graph is not None:
            for update in updates:
                get_default_graph().add_to_collections(self._updates_collection or [], update)
            self._updates.extend(updates)


# -- functional forms ----------------------------------------------------------------------------------------
def dense(inputs: Any, units: int, activation: Any = None, use_bias: bool = True, kernel_initializer: Any = None,
          bias_initializer: Any = None, kernel_regularizer: Any = None, bias_regularizer: Any = None,
          activity_regularizer: Any = None, kernel_constraint: Any = None, bias_constraint: Any = None,
          trainable: bool = True, name: str | None = None, reuse: Any = None) -> Any:
    """A fully connected layer (variables ``<name>/kernel``, ``<name>/bias``)."""
    layer = Dense(units, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                  bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, trainable, name,
                  _reuse=reuse)
    return layer(inputs)


def dropout(inputs: Any, rate: float = 0.5, noise_shape: Any = None, seed: Any = None, training: Any = False,
            name: str | None = None) -> Any:
    """Dropout, active only when ``training`` (a Python bool or a boolean tensor) is true."""
    return Dropout(rate, noise_shape, seed, name)(inputs, training=training)


def flatten(inputs: Any, name: str | None = None, data_format: str = "channels_last") -> Any:
    return Flatten(data_format, name)(inputs)


def _conv_fn(cls: type, doc: str):
    def conv(inputs: Any, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
             data_format: str = "channels_last", dilation_rate: Any = 1, activation: Any = None,
             use_bias: bool = True, kernel_initializer: Any = None, bias_initializer: Any = None,
             kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
             kernel_constraint: Any = None, bias_constraint: Any = None, trainable: bool = True,
             name: str | None = None, reuse: Any = None) -> Any:
        layer = cls(filters, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                    kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                    activity_regularizer, kernel_constraint, bias_constraint, trainable, name, _reuse=reuse)
        return layer(inputs)

    conv.__name__ = conv.__qualname__ = _snake_case(cls.__name__)
    conv.__doc__ = doc
    return conv


conv1d = _conv_fn(Conv1D, "1-D convolution (variables ``conv1d/kernel`` ``[width, in, filters]``, ``bias``).")
conv2d = _conv_fn(Conv2D, "2-D convolution (variables ``conv2d/kernel`` ``[h, w, in, filters]``, ``bias``).")
conv3d = _conv_fn(Conv3D, "3-D convolution (variables ``conv3d/kernel``, ``conv3d/bias``).")


def conv2d_transpose(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1), padding: str = "valid",
                     data_format: str = "channels_last", activation: Any = None, use_bias: bool = True,
                     kernel_initializer: Any = None, bias_initializer: Any = None, kernel_regularizer: Any = None,
                     bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
                     bias_constraint: Any = None, trainable: bool = True, name: str | None = None,
                     reuse: Any = None) -> Any:
    """Transposed 2-D convolution (variables ``conv2d_transpose/kernel`` ``[h, w, filters, in]``, ``bias``)."""
    layer = Conv2DTranspose(filters, kernel_size, strides, padding, data_format, activation, use_bias,
                            kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                            activity_regularizer, kernel_constraint, bias_constraint, trainable, name, _reuse=reuse)
    return layer(inputs)


def _pool_fn(cls: type):
    def pool(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
             data_format: str = "channels_last", name: str | None = None) -> Any:
        return cls(pool_size, strides, padding, data_format, name)(inputs)

    pool.__name__ = pool.__qualname__ = _snake_case(cls.__name__)
    pool.__doc__ = cls.__doc__
    return pool


max_pooling1d = _pool_fn(MaxPooling1D)
max_pooling2d = _pool_fn(MaxPooling2D)
max_pooling3d = _pool_fn(MaxPooling3D)
average_pooling1d = _pool_fn(AveragePooling1D)
average_pooling2d = _pool_fn(AveragePooling2D)
average_pooling3d = _pool_fn(AveragePooling3D)


def batch_normalization(inputs: Any, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3,
                        center: bool = True, scale: bool = True, beta_initializer: Any = None,
                        gamma_initializer: Any = None, moving_mean_initializer: Any = None,
                        moving_variance_initializer: Any = None, beta_regularizer: Any = None,
                        gamma_regularizer: Any = None, beta_constraint: Any = None, gamma_constraint: Any = None,
                        training: Any = False, trainable: bool = True, name: str | None = None, reuse: Any = None,
                        renorm: bool = False, renorm_clipping: Any = None, renorm_momentum: float = 0.99,
                        fused: Any = None, virtual_batch_size: Any = None, adjustment: Any = None) -> Any:
    """Batch normalization; with ``training`` the moving-average updates go to ``GraphKeys.UPDATE_OPS``."""
    layer = BatchNormalization(axis, momentum, epsilon, center, scale, beta_initializer, gamma_initializer,
                               moving_mean_initializer, moving_variance_initializer, beta_regularizer,
                               gamma_regularizer, beta_constraint, gamma_constraint, renorm, renorm_clipping,
                               renorm_momentum, fused, trainable, virtual_batch_size, adjustment, name,
                               _reuse=reuse)
    return layer(inputs, training=training)
