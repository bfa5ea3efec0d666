"""Keras core layers: ``Dense``, ``EinsumDense``, ``Activation``, ``Flatten``, ``Reshape``, ``Permute``,
``RepeatVector``, ``Lambda``, ``Embedding``, ``Masking`` and ``Identity``."""
from __future__ import annotations

import codecs
import inspect
import marshal
import math
import re
import types
import warnings
from typing import Any, Callable

import ndflow as tf

from .. import activations, constraints, initializers, regularizers
from ..backend import standardize_data_format
from .input_spec import InputSpec
from .layer import Layer, _is_plain

__all__ = ["Dense", "EinsumDense", "Activation", "Flatten", "Reshape", "Permute", "RepeatVector", "Lambda",
           "Embedding", "Masking", "Identity"]


def _reject_lora_and_quantization(layer: str, lora_rank: Any, quantization_config: Any) -> None:
    if lora_rank:
        raise NotImplementedError(f"{layer}: LoRA (`lora_rank`) is not supported yet")
    if quantization_config is not None:
        raise NotImplementedError(f"{layer}: quantization (`quantization_config`) is not supported yet")


# ---------------------------------------------------------------------------------------------------------
# Dense and EinsumDense


class Dense(Layer):
    """A densely-connected layer: ``activation(inputs @ kernel + bias)``.

    Inputs of rank > 2 are contracted over their last axis (the kernel is ``(input_dim, units)``).

    Args:
        units: positive integer, the output size.
        activation: activation name or callable (default: none).
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the weights.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints applied after optimizer updates.
        lora_rank, lora_alpha, quantization_config: not supported (must be left ``None``).

    Raises:
        ValueError: ``units`` is not a positive integer.
        NotImplementedError: ``lora_rank`` or ``quantization_config`` given.
    """

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, lora_rank: int | None = None,
                 lora_alpha: float | None = None, quantization_config: Any = None, **kwargs: Any) -> None:
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive integer. Received: "
                             f"units={units}")
        _reject_lora_and_quantization("Dense", lora_rank, quantization_config)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = None
        self.lora_enabled = False
        self.quantization_config = None
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape: tuple) -> None:
        input_dim = input_shape[-1]
        self._kernel = self.add_weight(name="kernel", shape=(input_dim, self.units),
                                       initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                       constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.units,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    @property
    def kernel(self) -> Any:
        if not self.built:
            raise AttributeError("You must build the layer before accessing `kernel`.")
        return self._kernel

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not inputs.dtype.is_floating:
            inputs = tf.cast(inputs, self.compute_dtype)
        x = tf.matmul(inputs, self._kernel)
        if self.bias is not None:
            x = tf.add(x, self.bias)
        return self.activation(x)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (*tuple(input_shape)[:-1], self.units)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        }


class EinsumDense(Layer):
    """A dense layer written as an einsum: ``activation(einsum(equation, inputs, kernel) + bias)``.

    Args:
        equation: ``"ab,bc->ac"``-style equation, optionally with ``...`` on the left or right of the
            input and output specs.
        output_shape: the output shape without the batch axis (an int for rank-2 outputs); ``None`` entries
            are taken from the input.
        activation: activation name or callable.
        bias_axes: letters of the output spec that get a bias (default: no bias).
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, kernel_constraint,
            bias_constraint: as in ``Dense``.
        lora_rank, lora_alpha, gptq_unpacked_column_size, quantization_config: not supported.

    Raises:
        ValueError: an equation, output shape or bias axes that don't fit (Keras's messages; at build).
    """

    def __init__(self, equation: str, output_shape: Any, activation: Any = None, bias_axes: str | None = None,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, lora_rank: int | None = None, lora_alpha: float | None = None,
                 gptq_unpacked_column_size: int | None = None, quantization_config: Any = None,
                 **kwargs: Any) -> None:
        _reject_lora_and_quantization("EinsumDense", lora_rank, quantization_config)
        super().__init__(**kwargs)
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = None
        self.lora_enabled = False
        self.quantization_config = None

    def build(self, input_shape: tuple) -> None:
        kernel_shape, bias_shape, _, input_axes, output_axes = _analyze_einsum(
            self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape)
        self.input_spec = InputSpec(ndim=len(input_shape))
        self._kernel = self.add_weight(name="kernel", shape=tuple(kernel_shape),
                                       initializer=self._kernel_initializer_for(input_axes, output_axes),
                                       regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        if bias_shape is not None:
            self.bias = self.add_weight(name="bias", shape=tuple(bias_shape), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self.built = True

    def _kernel_initializer_for(self, input_axes: list, output_axes: list) -> Any:
        """The kernel initializer told which kernel axes are fan-in and fan-out (variance-scaling ones)."""
        init = self.kernel_initializer
        if not isinstance(init, initializers.VarianceScaling):
            return init
        config = init.get_config()
        if "input_axes" not in config or (config["input_axes"] is not None and config["output_axes"] is not None):
            return init
        return type(init).from_config({**config, "input_axes": input_axes, "output_axes": output_axes})

    @property
    def kernel(self) -> Any:
        if not self.built:
            raise AttributeError("You must build the layer before accessing `kernel`.")
        return self._kernel

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not inputs.dtype.is_floating:
            inputs = tf.cast(inputs, self.compute_dtype)
        x = tf.einsum(self.equation, inputs, self._kernel)
        if self.bias is not None:
            x = tf.add(x, self.bias)
        return self.activation(x)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(_analyze_einsum(self.equation, self.bias_axes, tuple(input_shape),
                                     self.partial_output_shape)[2])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        }


def _analyze_einsum(equation: str, bias_axes: str | None, input_shape: tuple, output_shape: tuple) -> tuple:
    """Kernel shape, bias shape, full output shape, and the kernel's input and output axes."""
    spec = equation.replace("...", "0")
    for pattern, left_elided in (("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", False),
                                 ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", True),
                                 ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", False)):
        match = re.fullmatch(pattern, spec)
        if match:
            return _analyze_specs(*match.groups(), bias_axes, input_shape, output_shape, left_elided)
    raise ValueError(f"Invalid einsum equation '{equation}'. Equations must be in the form [X],[Y]->[Z], "
                     "...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")


def _analyze_specs(input_spec: str, weight_spec: str, output_spec: str, bias_axes: str | None,
                   input_shape: tuple, partial_output_shape: tuple, left_elided: bool) -> tuple:
    elided = len(input_shape) - len(input_spec)
    output_shape = [input_shape[0], *partial_output_shape]
    if elided > 0 and left_elided:
        output_shape[1:1] = list(input_shape[1:elided])
    elif elided > 0:
        output_shape.extend(input_shape[len(input_shape) - elided:])
    if left_elided:
        input_dims = {dim: i + elided - len(input_shape) for i, dim in enumerate(input_spec)}
        output_dims = {dim: i + elided for i, dim in enumerate(output_spec)}
    else:
        input_dims = {dim: i for i, dim in enumerate(input_spec)}
        output_dims = {dim: i for i, dim in enumerate(output_spec)}
    for dim in input_spec:
        if dim in output_dims:
            got, want = input_shape[input_dims[dim]], output_shape[output_dims[dim]]
            if want is not None and want != got:
                raise ValueError(f"Input shape and output shape do not match at shared dimension '{dim}'. Input "
                                 f"shape is {got}, and output shape is {want}.")
    for dim in output_spec:
        if dim not in input_spec and dim not in weight_spec:
            raise ValueError(f"Dimension '{dim}' was specified in the output '{output_spec}' but has no "
                             f"corresponding dim in the input spec '{input_spec}' or weight spec '{output_spec}'")
    kernel_shape, input_axes, output_axes = [], [], []
    for i, dim in enumerate(weight_spec):
        if dim in output_dims:
            kernel_shape.append(output_shape[output_dims[dim]])
            output_axes.append(i)
        elif dim in input_dims:
            kernel_shape.append(input_shape[input_dims[dim]])
            input_axes.append(i)
        else:
            raise ValueError(f"Weight dimension '{dim}' did not have a match in either the input spec "
                             f"'{input_spec}' or the output spec '{output_spec}'. For this layer, the weight must "
                             "be fully specified.")
    bias_shape = None
    if bias_axes is not None:
        offset = elided if left_elided else 0
        sizes = {char: output_shape[i + offset] for i, char in enumerate(output_spec)}
        for char in bias_axes:
            if char not in output_spec:
                raise ValueError(f"Bias dimension '{char}' was requested, but is not part of the output spec "
                                 f"'{output_spec}'")
        first = min(output_spec.find(char) for char in bias_axes)
        bias_shape = [sizes[char] if char in bias_axes else 1 for char in output_spec[first:]]
        if not left_elided:
            bias_shape.extend([1] * max(elided, 0))
    return kernel_shape, bias_shape, output_shape, input_axes, output_axes


# ---------------------------------------------------------------------------------------------------------
# Activation and Identity


class Activation(Layer):
    """Applies an activation function (a name such as ``"relu"``, or a callable) to its input."""

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self.built = True

    def call(self, inputs: Any) -> Any:
        return self.activation(inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Identity(Layer):
    """Returns its input unchanged (masks pass through)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return super().get_config()


# ---------------------------------------------------------------------------------------------------------
# Shape layers: Flatten, Reshape, Permute, RepeatVector


class Flatten(Layer):
    """Flattens every axis but the batch axis: ``(batch, d1, d2, …)`` → ``(batch, d1 * d2 * …)``.

    Args:
        data_format: ``"channels_first"`` inputs are moved to channels-last before flattening, so the
            result matches a channels-last model's ordering (default ``image_data_format()``).
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs: Any) -> Any:
        static = tuple(inputs.shape)
        rank = len(static)
        if self.data_format == "channels_first" and rank > 1:
            inputs = tf.transpose(inputs, (0, *range(2, rank), 1))
        rest = static[1:]
        flat = 1 if not rest else -1 if None in rest else math.prod(rest)
        batch = static[0] if static[0] is not None else tf.shape(inputs)[0]
        return tf.reshape(inputs, (batch, flat))

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        rest = tuple(input_shape)[1:]
        flat = 1 if not rest else None if None in rest else math.prod(rest)
        return (input_shape[0], flat)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


def _validate_target_shape(target_shape: tuple) -> None:
    unknown = 0
    for dim in target_shape:
        if not isinstance(dim, int):
            continue
        if dim < -1:
            raise ValueError("Each dimension in `target_shape` must be a non-negative integer, or `-1` for a "
                             f"single unknown dimension. Received: target_shape={target_shape}.")
        unknown += dim == -1
    if unknown > 1:
        raise ValueError("There must be at most one unknown dimension (-1) in `target_shape`. Received: "
                         f"target_shape={target_shape}.")


def _resolve_target_shape(input_shape: tuple, target_shape: tuple) -> tuple:
    """``target_shape`` with its ``-1`` resolved from ``input_shape`` (``None`` when not known yet)."""
    if None in input_shape:
        return tuple(None if d == -1 else d for d in target_shape)
    size = math.prod(input_shape)
    if -1 not in target_shape:
        if size != math.prod(target_shape):
            raise ValueError(f"The total size of the tensor must be unchanged. Received: input_shape={input_shape}, "
                             f"target_shape={target_shape}")
        return target_shape
    known = math.prod(d for d in target_shape if d != -1)
    if known == 0 or size % known:
        raise ValueError("The total size of the tensor must be unchanged, however, the input size cannot by "
                         f"divided by the specified dimensions in target_shape. Received: input_shape={input_shape}, "
                         f"target_shape={target_shape}")
    return tuple(size // known if d == -1 else d for d in target_shape)


class Reshape(Layer):
    """Reshapes every sample to ``target_shape`` (the batch axis is kept; one entry may be ``-1``).

    Raises:
        ValueError: an invalid ``target_shape``, or inputs whose size doesn't fit it (Keras's messages).
    """

    def __init__(self, target_shape: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        _validate_target_shape(target_shape)
        self.target_shape = target_shape
        self.built = True

    def call(self, inputs: Any) -> Any:
        static = tuple(inputs.shape)
        resolved = _resolve_target_shape(static[1:], self.target_shape)
        batch = static[0] if static[0] is not None else tf.shape(inputs)[0]
        return tf.reshape(inputs, (batch, *(-1 if d is None else d for d in resolved)))

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0], *_resolve_target_shape(tuple(input_shape)[1:], self.target_shape))

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": self.target_shape}


class Permute(Layer):
    """Permutes the non-batch axes: ``dims`` is a permutation of ``1 … rank - 1``.

    Raises:
        ValueError: ``dims`` is not a permutation of ``1 … len(dims)``.
    """

    def __init__(self, dims: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError("Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` "
                             f"must be consecutive and start from 1. Received dims={dims}")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs: Any) -> Any:
        return tf.transpose(inputs, (0, *self.dims))

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": self.dims}


class RepeatVector(Layer):
    """Repeats a ``(batch, features)`` input ``n`` times: ``(batch, n, features)``.

    Raises:
        TypeError: ``n`` is not an integer.
        ValueError: ``n`` is not positive.
    """

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        if n <= 0:
            raise ValueError(f"Argument `n` should be a positive integer. Received: n={n}")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs: Any) -> Any:
        return tf.tile(tf.expand_dims(inputs, 1), (1, self.n, 1))

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}


# ---------------------------------------------------------------------------------------------------------
# Lambda

_LAMBDA_SAFE_MODE_ERROR = (
    "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. This carries a "
    "potential risk of arbitrary code execution and thus it is disallowed by default. If you trust the source of "
    "the artifact, you can override this error by passing `safe_mode=False` to the loading function, or calling "
    "`keras.config.enable_unsafe_deserialization().")


def _is_python_lambda(fn: Any) -> bool:
    return isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>"


def _dump_lambda(fn: Callable) -> dict:
    """Keras's ``__lambda__`` entry: the function's marshalled bytecode (base64), defaults and closure."""
    code = codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")
    closure = tuple(cell.cell_contents for cell in fn.__closure__) if fn.__closure__ else None
    return {"class_name": "__lambda__", "config": {"code": code, "defaults": fn.__defaults__, "closure": closure}}


def _load_lambda(config: dict) -> Callable:
    """Rebuilds a function from a ``__lambda__`` entry (only ever reached with safe mode off)."""
    code = marshal.loads(codecs.decode(config["code"].encode("ascii"), "base64"))
    defaults = config.get("defaults")
    closure = config.get("closure")
    if closure is not None:
        closure = tuple(types.CellType(value) for value in closure)
    return types.FunctionType(code, globals(), code.co_name, tuple(defaults) if defaults else None, closure)


def _is_lambda_entry(config: Any) -> bool:
    return isinstance(config, dict) and config.get("class_name") == "__lambda__"


class Lambda(Layer):
    """Wraps an arbitrary function of the inputs as a layer.

    Args:
        function: called as ``function(inputs, **arguments)`` (plus ``mask=``/``training=`` when it takes them).
        output_shape: the output shape without the batch axis, or a function of the input shape.
        mask: an output mask, or a function ``mask(inputs, previous_mask)``.
        arguments: extra keyword arguments for ``function``.

    ``get_config`` stores Python lambdas as marshalled bytecode, as Keras 3 does; loading that back needs
    ``safe_mode=False``.
    """

    def __init__(self, function: Callable, output_shape: Any = None, mask: Any = None, arguments: dict | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arguments = arguments or {}
        self.function = function
        self.supports_masking = mask is not None
        self.mask = mask
        self._output_shape = output_shape
        parameters = inspect.signature(function).parameters
        self._fn_expects_training_arg = "training" in parameters
        self._fn_expects_mask_arg = "mask" in parameters

    def call(self, inputs: Any, mask: Any = None, training: Any = None) -> Any:
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._output_shape is None:
            try:
                return super().compute_output_shape(input_shape)
            except Exception as error:
                raise NotImplementedError("We could not automatically infer the shape of the Lambda's output. "
                                          "Please specify the `output_shape` argument for this Lambda layer.") \
                    from error
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch_size = tf.nest.flatten(input_shape)[0]
        if isinstance(self._output_shape, list) and self._output_shape and \
                isinstance(self._output_shape[0], (tuple, list)):
            return [(batch_size, *shape) for shape in self._output_shape]
        return (batch_size, *self._output_shape)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self) -> dict:
        config = {"function": _serialize_callable(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (_serialize_callable(self._output_shape) if callable(self._output_shape)
                                      else self._output_shape)
        if self.mask is not None:
            config["mask"] = _serialize_callable(self.mask) if callable(self.mask) else _serialize_value(self.mask)
        config["arguments"] = _serialize_value(self.arguments)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None, safe_mode: bool | None = None) -> Lambda:
        """Creates the layer from ``get_config()`` output.

        Raises:
            ValueError: the config holds lambda bytecode and safe mode is on (the default; see
                ``keras.config.enable_unsafe_deserialization``).
        """
        config = dict(config)

        def restore(entry: Any) -> Any:
            if not _is_lambda_entry(entry):
                return _deserialize_value(entry, custom_objects)
            allowed = safe_mode if safe_mode is not None else _global_safe_mode()
            if allowed is not False:
                raise ValueError(_LAMBDA_SAFE_MODE_ERROR)
            return _load_lambda(entry["config"])

        config["function"] = restore(config["function"])
        if "output_shape" in config:
            shape = restore(config["output_shape"])
            if isinstance(shape, list) and all(isinstance(d, (int, type(None))) for d in shape):
                shape = tuple(shape)
            config["output_shape"] = shape
        if "mask" in config:
            config["mask"] = restore(config["mask"])
        if "arguments" in config:
            config["arguments"] = _deserialize_value(config["arguments"], custom_objects)
        return cls(**config)


def _serialize_callable(fn: Any) -> Any:
    if _is_python_lambda(fn):
        return _dump_lambda(fn)
    if callable(fn):
        from ..saving import serialize_keras_object

        return serialize_keras_object(fn)
    raise ValueError(f"Invalid input type for serialization. Received: {fn} of type {type(fn)}.")


def _serialize_value(value: Any) -> Any:
    if _is_plain(value):
        return value
    from ..saving import serialize_keras_object

    return serialize_keras_object(value)


def _deserialize_value(config: Any, custom_objects: dict | None) -> Any:
    if _is_plain(config) and not (isinstance(config, dict) and "class_name" in config):
        return config
    from ..saving import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects=custom_objects)


def _global_safe_mode() -> Any:
    """The process-wide safe-mode setting (``None`` = not set, which counts as safe)."""
    from ..saving import in_safe_mode

    return in_safe_mode()


# ---------------------------------------------------------------------------------------------------------
# Embedding and Masking


class Embedding(Layer):
    """Maps integer indices to dense vectors: row ``i`` of the ``(input_dim, output_dim)`` ``embeddings``.

    Args:
        input_dim: vocabulary size (indices are in ``[0, input_dim)``).
        output_dim: size of each vector.
        embeddings_initializer, embeddings_regularizer, embeddings_constraint: for the weight.
        mask_zero: index 0 is padding: the layer outputs a mask ``inputs != 0``.
        weights: initial value of ``embeddings`` (the layer is built at once).
        lora_rank, lora_alpha, quantization_config: not supported.

    Raises:
        ValueError: ``input_dim`` or ``output_dim`` not a positive integer.
    """

    def __init__(self, input_dim: int, output_dim: int, embeddings_initializer: Any = "uniform",
                 embeddings_regularizer: Any = None, embeddings_constraint: Any = None, mask_zero: bool = False,
                 weights: Any = None, lora_rank: int | None = None, lora_alpha: float | None = None,
                 quantization_config: Any = None, **kwargs: Any) -> None:
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"`{arg}` must be a positive integer. Received: {arg}={value} (of type "
                                 f"{type(value).__name__}).")
        _reject_lora_and_quantization("Embedding", lora_rank, quantization_config)
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        self.lora_rank = None
        self.lora_enabled = False
        self.quantization_config = None
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape: Any = None) -> None:
        if self.built:
            return
        self._embeddings = self.add_weight(name="embeddings", shape=(self.input_dim, self.output_dim),
                                           initializer=self.embeddings_initializer,
                                           regularizer=self.embeddings_regularizer,
                                           constraint=self.embeddings_constraint, trainable=True)
        self.built = True

    @property
    def embeddings(self) -> Any:
        if not self.built:
            raise AttributeError("You must build the layer before accessing `embeddings`.")
        return self._embeddings

    def call(self, inputs: Any) -> Any:
        if inputs.dtype.name not in ("int32", "int64"):
            inputs = tf.cast(inputs, "int32")
        outputs = tf.gather(self._embeddings, inputs)
        if outputs.dtype.name != self.compute_dtype:
            outputs = tf.cast(outputs, self.compute_dtype)
        return outputs

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if not self.mask_zero:
            return None
        return inputs != 0

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (*tuple(input_shape), self.output_dim)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }


class Masking(Layer):
    """Masks timesteps whose features all equal ``mask_value``: they are zeroed and masked out downstream.

    The output mask of a ``(batch, steps, features)`` input is ``(batch, steps)``.
    """

    def __init__(self, mask_value: Any = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Any:
        keep = tf.reduce_any(tf.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return tf.where(keep, inputs, tf.zeros_like(inputs))

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return tf.reduce_any(tf.not_equal(inputs, self.mask_value), axis=-1)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}
