"""``Layer``: the base class of every Keras layer and model (Keras 3 semantics).

A layer owns weights (``add_weight``), builds itself lazily from the shape of its first input, tracks the
layers and variables held in its attributes, propagates the ``training`` flag and masks to the layers it
calls, and collects losses (``add_loss``, weight regularizers, activity regularizer).
"""
from __future__ import annotations

import inspect
import re
import threading
import warnings
import weakref
from typing import Any

import numpy as np

from ..._core import nest
from ..._core.dtypes import as_dtype
from ..._core.module import Module
from ..._core.tensor import EagerTensor, Tensor, convert_to_tensor
from ..._core.variable import Variable
from .input_spec import InputSpec, assert_input_compatibility

__all__ = ["Layer", "KerasVariable", "InputSpec", "get_uid", "reset_uids"]

_UIDS: dict[str, int] = {}


def get_uid(prefix: str) -> int:
    """Returns 1, 2, 3 … on successive calls with the same prefix (until ``reset_uids``)."""
    _UIDS[prefix] = _UIDS.get(prefix, 0) + 1
    return _UIDS[prefix]


def reset_uids() -> None:
    """Forgets every name handed out (``keras.backend.clear_session`` calls it)."""
    _UIDS.clear()


def _snake_case(name: str) -> str:
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base: str) -> str:
    """``base`` the first time, then ``base_1``, ``base_2`` … (Keras's automatic layer names)."""
    uid = get_uid(base)
    return base if uid == 1 else f"{base}_{uid - 1}"


class _CallState(threading.local):
    def __init__(self) -> None:
        self.training: Any = None
        self.depth = 0
        self.path: list[str] = []


_STATE = _CallState()
_LAYERS_WITH_LOSSES: weakref.WeakSet = weakref.WeakSet()


class KerasVariable(Variable):
    """A layer weight: an ndflow ``Variable`` with Keras's short ``name``, its ``path`` and a regularizer."""

    def __init__(self, initial_value: Any, *, name: str, path: str, trainable: bool = True, dtype: Any = None,
                 constraint: Any = None, regularizer: Any = None, aggregation: str = "none") -> None:
        super().__init__(initial_value, trainable=trainable, name=name, dtype=dtype, constraint=constraint)
        self._keras_name = name
        self.path = path
        self.regularizer = regularizer
        self._keras_aggregation = aggregation

    @property
    def name(self) -> str:
        return self._keras_name

    @property
    def aggregation(self) -> str:
        return self._keras_aggregation

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)

    @property
    def value(self) -> Tensor:
        return self.read_value()

    def __repr__(self) -> str:
        value = np.array2string(np.asarray(self.numpy()), separator=", ")
        return f"<Variable path={self.path}, shape={tuple(self.shape)}, dtype={self.dtype.name}, value={value}>"

    __str__ = __repr__


class _Signature:
    """What a layer's ``call`` and ``build`` accept (cached per class).

    Keras conventions beyond ``training``/``mask``: a ``build(query_shape, value_shape, …)`` receives the shape
    of each call argument it names, and a call parameter ``<arg>_mask`` is filled with ``<arg>``'s mask.
    """

    __slots__ = ("training", "declares_training", "mask", "training_default", "var_keyword", "call_signature",
                 "build_shape_args", "mask_args", "default_compute_mask")

    def __init__(self, cls: type) -> None:
        self.call_signature = inspect.signature(cls.call)
        params = dict(self.call_signature.parameters)
        params.pop("self", None)
        self.var_keyword = any(p.kind is p.VAR_KEYWORD for p in params.values())
        self.declares_training = "training" in params
        self.training = self.declares_training or self.var_keyword
        self.mask = "mask" in params
        default = params["training"].default if "training" in params else None
        self.training_default = None if default is inspect.Parameter.empty else default
        self.mask_args = tuple((name[:-5], name) for name in params if name.endswith("_mask") and name[:-5] in params)
        build_params = [name for name in inspect.signature(cls.build).parameters if name != "self"]
        shape_args = tuple(name[:-6] for name in build_params if name.endswith("_shape"))
        self.build_shape_args = shape_args if len(build_params) > 1 and all(a in params for a in shape_args) else ()
        # the base ``compute_mask`` passes the input mask through, so with no input mask it has nothing to set
        self.default_compute_mask = cls.compute_mask is Layer.compute_mask

    def bind(self, layer: Any, args: tuple, kwargs: dict) -> dict:
        """The call's arguments by parameter name."""
        return self.call_signature.bind_partial(layer, *args, **kwargs).arguments


def signature_of(cls: type) -> _Signature:
    """The cached ``_Signature`` of a layer class."""
    signature = _SIGNATURES.get(cls)
    if signature is None:
        signature = _SIGNATURES[cls] = _Signature(cls)
    return signature


_SIGNATURES: dict[type, _Signature] = {}
_UNTRACKED = frozenset({"_inbound_nodes", "_outbound_nodes", "_own_weights", "_losses", "_input_spec",
                        "_auto_config", "_dtype_policy", "_build_shapes", "_build_shapes_dict",
                        "_parent_path", "_checked_input"})


class Layer(Module):
    """Base class of layers and models.

    Args:
        activity_regularizer: applied to the outputs of each call; the result joins ``losses``.
        trainable: whether the weights are updated by training.
        dtype: the layer's dtype (name, DType or Keras dtype-policy config); default ``floatx()``.
        autocast: cast floating inputs to the layer's dtype.
        name: the layer name; default the class name in snake case, made unique.
        **kwargs: ``input_shape``, ``batch_size``, ``input_dim`` or ``batch_input_shape`` (used by
            ``Sequential`` to create its input).

    Raises:
        ValueError: any other keyword argument.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Layer:
        instance = super().__new__(cls)
        instance.__dict__["_auto_config"] = (args, dict(kwargs))
        return instance

    def __init__(self, *, activity_regularizer: Any = None, trainable: bool = True, dtype: Any = None,
                 autocast: bool = True, name: str | None = None, **kwargs: Any) -> None:
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        kwargs.pop("input_length", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Argument `name` must be a string, received: name={name!r}")
        self._name = name or unique_name(_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self._dtype_name = _policy_name(dtype)
        self.autocast = autocast
        self.built = False
        self.supports_masking = getattr(self, "supports_masking",
                                       type(self).compute_mask is not Layer.compute_mask)
        self.stateful = False
        self._input_spec = None
        self._own_weights: list = []
        self._losses: list = []
        self._inbound_nodes: list = []
        self._outbound_nodes: list = []
        self._build_shapes = None
        from .. import regularizers

        self.activity_regularizer = regularizers.get(activity_regularizer)
        if batch_input_shape is not None:
            self._input_shape_arg = tuple(batch_input_shape[1:])
            self._batch_size_arg = batch_input_shape[0]
        else:
            if input_dim is not None:
                input_shape = (input_dim,)
            self._input_shape_arg = tuple(input_shape) if input_shape is not None else None
            self._batch_size_arg = batch_size

    # -- names and dtypes ---------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def path(self) -> str:
        return self._name

    @property
    def dtype(self) -> str:
        return self._dtype_name

    @property
    def compute_dtype(self) -> str:
        return self._dtype_name

    @property
    def variable_dtype(self) -> str:
        return self._dtype_name

    @property
    def dtype_policy(self) -> dict:
        return _policy_config(self._dtype_name)

    @property
    def input_spec(self) -> Any:
        return self._input_spec

    @input_spec.setter
    def input_spec(self, value: Any) -> None:
        self._input_spec = value

    # -- weights ------------------------------------------------------------------------------------------
    def add_weight(self, shape: Any = None, initializer: Any = None, dtype: Any = None, trainable: bool = True,
                   autocast: bool = True, regularizer: Any = None, constraint: Any = None,
                   aggregation: str = "none", overwrite_with_gradient: bool = False,
                   name: str | None = None) -> KerasVariable:
        """Creates a weight of this layer.

        Args:
            shape: the weight's shape (default scalar).
            initializer: an initializer, its name or config; default ``glorot_uniform`` for floating
                weights, ``zeros`` otherwise.
            dtype: default the layer's variable dtype.
            trainable: whether optimizers update it.
            regularizer: its penalty joins ``losses``.
            constraint: applied by optimizers after each update.
            name: the short name (default ``variable``, ``variable_1`` …).

        Returns:
            The new ``KerasVariable``.
        """
        from .. import constraints, initializers, regularizers

        shape = () if shape is None else tuple(shape)
        if any(d is None for d in shape):
            raise ValueError("Shapes used to initialize variables must be fully-defined (no `None` dimensions). "
                             f"Received: shape={shape} for variable path='{self._weight_prefix()}/{name}'")
        shape = tuple(int(d) for d in shape)
        dtype = as_dtype(dtype or self._dtype_name)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        init = initializers.get(initializer)
        if name is None:
            name = "variable" if not self._own_weights else f"variable_{len(self._own_weights)}"
        variable = KerasVariable(lambda: init(shape, dtype=dtype), name=name, path=f"{self._weight_prefix()}/{name}",
                                 trainable=trainable, dtype=dtype, constraint=constraints.get(constraint),
                                 regularizer=regularizers.get(regularizer), aggregation=aggregation)
        self._own_weights.append(variable)
        return variable

    def add_variable(self, shape: Any, initializer: Any, dtype: Any = None, trainable: bool = True,
                     autocast: bool = True, regularizer: Any = None, constraint: Any = None,
                     name: str | None = None) -> KerasVariable:
        """Same as ``add_weight`` (Keras 3 keeps both names)."""
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype, trainable=trainable,
                               regularizer=regularizer, constraint=constraint, name=name)

    def _weight_prefix(self) -> str:
        path = _STATE.path
        if path and path[-1] == self._name:
            return "/".join(path)
        return self._name

    def _direct_sublayers(self) -> list[Layer]:
        found: list[Layer] = []
        seen: set[int] = {id(self)}
        for key, value in vars(self).items():
            if isinstance(value, (Layer, list, tuple, dict)) and key not in _UNTRACKED:
                _collect(value, Layer, found, seen)
        return found

    def _attribute_variables(self) -> list:
        found: list = []
        seen = {id(w) for w in self._own_weights}
        for key, value in vars(self).items():
            if isinstance(value, (Variable, list, tuple, dict)) and key not in _UNTRACKED:
                _collect(value, Variable, found, seen, stop=Layer)
        return [v for v in found if not getattr(v, "_is_metric_variable", False)]

    def _flatten_layers(self, include_self: bool = True, recursive: bool = True) -> list[Layer]:
        out, seen, queue = [], set(), [self]
        while queue:
            layer = queue.pop(0)
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            if layer is not self or include_self:
                out.append(layer)
            if recursive or layer is self:
                queue.extend(layer._direct_sublayers())
        return out

    @property
    def weights(self) -> list:
        own = self._own_weights + self._attribute_variables()
        result = [w for w in own if w.trainable] + [w for w in own if not w.trainable]
        seen = {id(w) for w in result}
        for layer in self._direct_sublayers():
            for w in layer.weights:
                if id(w) not in seen:
                    seen.add(id(w))
                    result.append(w)
        return result

    @property
    def trainable_weights(self) -> list:
        if not self._trainable:
            return []
        own = self._own_weights + self._attribute_variables()
        result = [w for w in own if w.trainable]
        seen = {id(w) for w in result}
        for layer in self._direct_sublayers():
            for w in layer.trainable_weights:
                if id(w) not in seen:
                    seen.add(id(w))
                    result.append(w)
        return result

    @property
    def non_trainable_weights(self) -> list:
        if not self._trainable:
            return self.weights
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    @property
    def variables(self) -> list:
        return self.weights

    @property
    def trainable_variables(self) -> list:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list:
        return self.non_trainable_weights

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        for layer in self._flatten_layers():
            layer._trainable = bool(value)

    def get_weights(self) -> list[np.ndarray]:
        """The weights' values as NumPy arrays, in ``weights`` order."""
        return [np.array(w.numpy()) for w in self.weights]

    def set_weights(self, weights: list) -> None:
        """Assigns NumPy arrays to the weights, in ``weights`` order.

        Raises:
            ValueError: a different number of arrays, or an array of the wrong shape.
        """
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self.name}' with a weight list of "
                             f"length {len(weights)}, but the layer was expecting {len(own)} weights.")
        for variable, value in zip(own, weights):
            value = np.asarray(value)
            if tuple(variable.shape) != value.shape:
                raise ValueError(f"Layer {self.name} weight shape {tuple(variable.shape)} is not compatible with "
                                 f"provided weight shape {value.shape}.")
            variable.assign(value.astype(variable.dtype.as_numpy_dtype, copy=False))

    def count_params(self) -> int:
        """The number of scalars in the weights.

        Raises:
            ValueError: the layer is not built yet.
        """
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but the layer isn't "
                             "built. You can build it manually via: `layer.build(input_shape)`.")
        return int(sum(int(np.prod(w.shape)) for w in self.weights))

    # -- losses -------------------------------------------------------------------------------------------
    def add_loss(self, loss: Any) -> None:
        """Adds a scalar (or tensor, summed) loss term; it joins ``losses`` until the next top-level call."""
        self._losses.extend(nest.flatten(loss))
        _LAYERS_WITH_LOSSES.add(self)

    @property
    def losses(self) -> list:
        """This layer's and its sub-layers' added losses and weight-regularization penalties."""
        out = []
        for layer in self._flatten_layers():
            out.extend(t() if callable(t) and not isinstance(t, Tensor) else t for t in layer._losses)
            for w in layer._own_weights + layer._attribute_variables():
                reg = getattr(w, "regularizer", None)
                if reg is not None:
                    out.append(reg(w))
        return out

    def _clear_losses(self) -> None:
        if not _LAYERS_WITH_LOSSES:
            return
        for layer in self._flatten_layers():
            if layer._losses:
                layer._losses = []
                _LAYERS_WITH_LOSSES.discard(layer)

    # -- building and calling ------------------------------------------------------------------------------
    def build(self, input_shape: Any = None) -> None:
        """Creates the weights for inputs of ``input_shape`` (override; the default creates nothing)."""
        self.built = True

    def call(self, *args: Any, **kwargs: Any) -> Any:
        """The layer's computation (override)."""
        raise NotImplementedError(f"Layer {type(self).__name__} does not have a `call()` method implemented.")

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The mask of the outputs: the input mask when the layer supports masking, else ``None``."""
        return mask if self.supports_masking else None

    def compute_output_shape(self, *args: Any, **kwargs: Any) -> Any:
        """The output shape for inputs of the given shape (found by running the layer symbolically)."""
        from ..models.symbolic import probe_output_shape

        return probe_output_shape(self, *args, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _has_symbolic(args, kwargs):
            from ..models.symbolic import symbolic_call

            return symbolic_call(self, args, kwargs)
        args = tuple([self._convert_input(a) for a in args])
        if args:
            inputs = args[0]
        elif kwargs:
            key = next(iter(kwargs))
            kwargs[key] = self._convert_input(kwargs[key])
            inputs = kwargs[key]
        else:
            inputs = None
        signature = signature_of(type(self))

        state = _STATE
        outer_training = state.training
        training = kwargs.get("training")
        if training is None:
            training = outer_training if outer_training is not None else signature.training_default
        if not signature.training:
            kwargs.pop("training", None)
        elif training is not None or "training" in kwargs:
            kwargs["training"] = training
        previous_mask = kwargs.get("mask")
        if previous_mask is None:
            previous_mask = _mask_of(inputs)
            if signature.mask and previous_mask is not None:
                kwargs["mask"] = previous_mask
        if signature.mask_args:
            bound = signature.bind(self, args, kwargs)
            for arg, mask_name in signature.mask_args:
                if bound.get(mask_name) is None and bound.get(arg) is not None:
                    kwargs[mask_name] = getattr(bound[arg], "_keras_mask", None)
        if self._input_spec is not None:
            self._check_input_spec(inputs)

        if state.depth == 0 and _LAYERS_WITH_LOSSES:
            self._clear_losses()
        state.depth += 1
        state.training = training
        state.path.append(self._name)
        try:
            if not self.built:
                self._maybe_build(inputs, args, kwargs)
            outputs = self.call(*args, **kwargs)
        finally:
            state.path.pop()
            state.training = outer_training
            state.depth -= 1

        if self.activity_regularizer is not None:
            for output in nest.flatten(outputs):
                if isinstance(output, Tensor):
                    self.add_loss(_activity_loss(self.activity_regularizer, output))
        if self.supports_masking:
            if previous_mask is not None or not signature.default_compute_mask:
                _set_mask_metadata(self, inputs, outputs, previous_mask)
        elif previous_mask is not None and any(m is not None for m in nest.flatten(previous_mask)):
            warnings.warn(f"Layer '{self.name}' (of type {type(self).__name__}) was passed an input with a mask "
                          "attached to it. However, this layer does not support masking and will therefore "
                          "destroy the mask information. Downstream layers will not see the mask.", stacklevel=2)
        return outputs

    def _check_input_spec(self, inputs: Any) -> None:
        """``assert_input_compatibility``, skipped for an eager tensor of the shape and dtype last accepted by
        the same ``InputSpec`` object (layers replace their spec, as Keras's do, rather than edit it in place)."""
        spec = self._input_spec
        if type(inputs) is not EagerTensor or type(spec) is not InputSpec:
            assert_input_compatibility(spec, inputs, self._name)
            return
        checked = (spec, inputs._value.shape, inputs._dtype)
        if self.__dict__.get("_checked_input") != checked:
            assert_input_compatibility(spec, inputs, self._name)
            self._checked_input = checked

    def _convert_input(self, value: Any) -> Any:
        if not isinstance(value, Tensor):
            if isinstance(value, (np.ndarray, np.generic, float, int)) or (
                    isinstance(value, list) and value and not isinstance(value[0], (Tensor, np.ndarray, list))):
                value = convert_to_tensor(value)
            elif isinstance(value, (list, tuple, dict)):
                return nest.map_structure(lambda v: self._convert_input(v) if not isinstance(v, (list, tuple, dict))
                                          else v, value)
        if self.autocast and isinstance(value, Tensor) and value.dtype.is_floating \
                and value.dtype.name != self._dtype_name:
            from ..._core.ops.math_ops import cast

            value = cast(value, self._dtype_name)
        return value

    def _maybe_build(self, inputs: Any, args: tuple = (), kwargs: dict | None = None) -> None:
        """Builds from the first input's shape, or, for ``build(<arg>_shape, …)``, from each named argument's."""
        shapes = _shapes_of(inputs)
        self._build_shapes = shapes
        if type(self).build is not Layer.build:
            signature = signature_of(type(self))
            if signature.build_shape_args and (args or kwargs):
                bound = signature.bind(self, args, kwargs or {})
                shapes_dict = {f"{name}_shape": _shapes_of(bound.get(name)) for name in signature.build_shape_args}
                given = {name: shape for name, shape in shapes_dict.items() if shape is not None}
                if len(given) > 1:  # Keras records one shape as `input_shape`, several as `shapes_dict`
                    self._build_shapes_dict = given
                self.build(**shapes_dict)
            else:
                self.build(shapes)
        self.built = True

    # -- functional-API bookkeeping (managed by ndflow.keras.models) --------------------------------------
    @property
    def input(self) -> Any:
        if not self._inbound_nodes:
            raise AttributeError(f"Layer '{self.name}' has no defined input. It has never been called on a "
                                 "symbolic input (`keras.Input`).")
        return self._inbound_nodes[0].input_tensors_structure

    @property
    def output(self) -> Any:
        if not self._inbound_nodes:
            raise AttributeError(f"Layer '{self.name}' has never been called and thus has no defined output.")
        return self._inbound_nodes[0].output_tensors_structure

    # -- configuration ------------------------------------------------------------------------------------
    def get_build_config(self) -> dict | None:
        """The shapes the layer was built with, as Keras records them: ``{"shapes_dict": …}`` for a
        ``build(<arg>_shape, …)`` given several shapes, else ``{"input_shape": …}``; ``None`` when not built."""
        shapes_dict = getattr(self, "_build_shapes_dict", None)
        if shapes_dict is not None:
            return {"shapes_dict": shapes_dict}
        shapes = getattr(self, "_build_shapes", None)
        return None if shapes is None else {"input_shape": shapes}

    def get_config(self) -> dict:
        """The layer's constructor arguments (Keras 3 layout: name, trainable, dtype policy, …)."""
        config: dict = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype_policy}
        if self._input_shape_arg is not None and not self._inbound_nodes:
            config["batch_input_shape"] = (self._batch_size_arg, *self._input_shape_arg)
        if type(self).get_config is Layer.get_config and type(self).__init__ is not Layer.__init__:
            args, kwargs = self.__dict__.get("_auto_config", ((), {}))
            if args:
                raise NotImplementedError(f"Layer {type(self).__name__} was created with positional arguments; "
                                          "override `get_config()` to make it serializable.")
            config.update({k: v for k, v in kwargs.items() if _is_plain(v)})
            config.pop("batch_input_shape", None)
        if self.activity_regularizer is not None:
            from .. import regularizers

            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        """Creates a layer from ``get_config()`` output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _activity_loss(regularizer: Any, output: Tensor) -> Tensor:
    """The activity penalty of ``output``, divided by its batch size as Keras 3 does."""
    loss = regularizer(output)
    if output.shape.rank:
        from ..._core.ops.array_ops import shape
        from ..._core.ops.math_ops import cast, divide_no_nan

        loss = divide_no_nan(loss, cast(shape(output)[0], loss.dtype))
    return loss


def _shapes_of(value: Any) -> Any:
    if value is None:
        return None
    return nest.map_structure(lambda t: tuple(t.shape) if hasattr(t, "shape") else None, value)


def _policy_name(dtype: Any) -> str:
    if dtype is None:
        from ..backend import floatx

        return floatx()
    if isinstance(dtype, dict):
        dtype = dtype.get("config", {}).get("name", dtype.get("name"))
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        raise NotImplementedError(f"dtype policy {dtype!r} is not supported yet")
    return as_dtype(getattr(dtype, "name", dtype)).name


def _policy_config(name: str) -> dict:
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": name}, "registered_name": None}


def _is_plain(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def _collect(value: Any, kind: type, found: list, seen: set, stop: type | None = None,
             sorted_keys: bool = False) -> None:
    """Appends the ``kind`` objects in ``value`` (directly or in lists, tuples and dicts; not below ``stop``
    objects) to ``found``, once each; ``sorted_keys`` visits dicts by sorted key, as ``nest.flatten`` does."""
    if id(value) in seen:
        return
    if isinstance(value, kind):
        seen.add(id(value))
        found.append(value)
        return
    if stop is not None and isinstance(value, stop):
        return
    if isinstance(value, (list, tuple)):
        seen.add(id(value))
        for item in value:
            _collect(item, kind, found, seen, stop, sorted_keys)
    elif isinstance(value, dict):
        seen.add(id(value))
        keys = list(value)
        if sorted_keys:
            try:
                keys = sorted(keys)
            except TypeError:
                pass
        for key in keys:
            _collect(value[key], kind, found, seen, stop, sorted_keys)


def _has_symbolic(args: tuple, kwargs: dict) -> bool:
    for value in args:
        if isinstance(value, Tensor):
            continue
        if getattr(value, "_is_keras_tensor", False):
            return True
        if isinstance(value, (list, tuple, dict)) and any(
                getattr(v, "_is_keras_tensor", False) for v in nest.flatten(value)):
            return True
    return bool(kwargs) and any(getattr(v, "_is_keras_tensor", False) for v in nest.flatten(list(kwargs.values())))


def _mask_of(inputs: Any) -> Any:
    if isinstance(inputs, (list, tuple)):
        masks = [getattr(t, "_keras_mask", None) for t in inputs]
        return None if all(m is None for m in masks) else masks
    return getattr(inputs, "_keras_mask", None)


def _set_mask_metadata(layer: Layer, inputs: Any, outputs: Any, previous_mask: Any) -> None:
    flat_outputs = nest.flatten(outputs)
    if all(getattr(x, "_keras_mask", None) is not None for x in flat_outputs):
        return
    masks = layer.compute_mask(inputs, previous_mask)
    if masks is None:
        return
    flat_masks = list(masks) if isinstance(masks, (list, tuple)) else [masks]
    for output, mask in zip(flat_outputs, flat_masks):
        if mask is not None and getattr(output, "_keras_mask", None) is None:
            try:
                output._keras_mask = mask
            except AttributeError:
                pass
