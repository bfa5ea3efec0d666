"""``Sequential``: a linear stack of single-input, single-output layers (Keras 3 semantics).

Once the input shape is known (an ``Input`` first, a first layer created with ``input_shape=``, ``build``, or
the first call), the stack is wired into a ``Functional`` graph that runs it.
"""
from __future__ import annotations

import copy
import inspect
from typing import Any

from ..layers.input_layer import InputLayer
from ..layers.layer import Layer
from .config import deserialize_layer, serialize_layer
from .functional import Functional
from .keras_tensor import standardize_shape
from .model import Model
from .symbolic import weight_scope

__all__ = ["Sequential"]


class Sequential(Model):
    """Groups layers into a model that applies them one after the other.

    Args:
        layers: the initial layers (``Input`` tensors and ``InputLayer`` allowed first).
        trainable: whether the weights are trainable.
        name: the model name.
    """

    def __init__(self, layers: list | None = None, trainable: bool = True, name: str | None = None) -> None:
        super().__init__(trainable=trainable, name=name)
        self._functional: Functional | None = None
        self._layers: list[Layer] = []
        if layers:
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Adds a layer on top of the stack.

        Raises:
            ValueError: not a layer, a duplicate name, or a second input layer.
        """
        if not self._layers and getattr(layer, "_input_shape_arg", None) is not None:
            self.add(InputLayer(shape=layer._input_shape_arg, batch_size=getattr(layer, "_batch_size_arg", None)))
        history = getattr(layer, "_keras_history", None)
        if history is not None and isinstance(history.operation, InputLayer):
            layer = history.operation
        if not isinstance(layer, Layer):
            raise ValueError("Only instances of `keras.Layer` can be added to a Sequential model. Received: "
                             f"{layer} (of type {type(layer)})")
        if any(other.name == layer.name and other is not layer for other in self._layers):
            raise ValueError("All layers added to a Sequential model should have unique names. Name "
                             f"'{layer.name}' is already the name of a layer in this model. Update the `name` "
                             "argument to pass a unique name.")
        if isinstance(layer, InputLayer) and self._layers and isinstance(self._layers[0], InputLayer):
            raise ValueError(f"Sequential model '{self.name}' has already been configured to use input shape "
                             f"{self._layers[0].batch_shape}. You cannot add a different Input layer to it.")
        self._layers.append(layer)
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built = False
            self._functional = None

    def pop(self, rebuild: bool = True) -> Layer:
        """Removes and returns the top layer."""
        layer = self._layers.pop()
        self.built = False
        self._functional = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self) -> None:
        self.built = False
        self._functional = None
        if len(self._layers) < 2:
            return
        first = self._layers[0]
        if isinstance(first, InputLayer):
            self.build(first.batch_shape)
        elif hasattr(first, "input_shape"):
            self.build(first.input_shape)

    def build(self, input_shape: Any = None) -> None:
        """Wires the layers into a graph for inputs of ``input_shape`` (batch dimension included).

        Raises:
            ValueError: no layers, or a shape that contradicts the model's ``Input``.
        """
        try:
            input_shape = standardize_shape(input_shape)
        except (ValueError, TypeError):
            return
        if not self._layers:
            raise ValueError(f"Sequential model {self.name} cannot be built because it has no layers. Call "
                             "`model.add(layer)`.")
        if isinstance(self._layers[0], InputLayer):
            if self._layers[0].batch_shape != input_shape:
                raise ValueError(f"Sequential model '{self.name}' has already been configured to use input shape "
                                 f"{self._layers[0].batch_shape}. You cannot build it with input_shape "
                                 f"{input_shape}")
        else:
            self._layers = [InputLayer(batch_shape=input_shape, dtype=self._layers[0].compute_dtype),
                            *self._layers]
        inputs = self._layers[0].output
        x = inputs
        with weight_scope(self.name):
            for layer in self._layers[1:]:
                try:
                    x = layer(x)
                except NotImplementedError:
                    return
                except TypeError as error:
                    _explain_call_signature(layer, error)
        self._functional = Functional(inputs=inputs, outputs=x)
        self.built = True

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        if self._functional is not None:
            return self._functional.call(inputs, training=training, mask=mask)
        outputs = inputs
        for layer in self.layers:
            kwargs: dict = {}
            call_parameters = inspect.signature(layer.call).parameters
            if "mask" in call_parameters:
                kwargs["mask"] = mask
            if "training" in call_parameters and training is not None:
                kwargs["training"] = training
            outputs = layer(outputs, **kwargs)
            mask = getattr(outputs, "_keras_mask", None)
        return outputs

    # -- structure ----------------------------------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        if self._layers and isinstance(self._layers[0], InputLayer):
            return self._layers[1:]
        return self._layers[:]

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError("`Sequential.layers` attribute is reserved and should not be used. Use `add()` and "
                             "`pop()` to change the layers in this model.")

    def _direct_sublayers(self) -> list[Layer]:
        return list(self._layers)

    def _graph(self, what: str) -> Functional:
        if self._functional is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined {what} yet.")
        return self._functional

    @property
    def input_shape(self) -> Any:
        return self._graph("input shape").input_shape

    @property
    def output_shape(self) -> Any:
        return self._graph("output shape").output_shape

    @property
    def inputs(self) -> list:
        return self._graph("inputs").inputs

    @property
    def outputs(self) -> list:
        return self._graph("outputs").outputs

    @property
    def input(self) -> Any:
        return self._graph("input").input

    @property
    def output(self) -> Any:
        return self._graph("output").output

    @property
    def input_dtype(self) -> Any:
        if self._layers and isinstance(self._layers[0], InputLayer):
            return self._layers[0].dtype
        return self.compute_dtype

    def compute_output_spec(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        if self._functional is not None:
            return self._functional.compute_output_spec(inputs)
        from .symbolic import compute_output_tensors

        for layer in self.layers:
            inputs = compute_output_tensors(layer, (inputs,), {})
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._functional is not None:
            return self._functional.compute_output_shape(input_shape)
        for layer in self.layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    # -- configuration ---------------------------------------------------------------------------------------
    def get_build_config(self) -> dict | None:
        return None if self._functional is None else {"input_shape": self._functional.inputs[0].shape}

    def get_config(self) -> dict:
        """Keras 3's layout: ``name``, ``trainable``, ``dtype``, ``layers`` (input layer included) and
        ``build_input_shape`` once built."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype_policy,
                  "layers": copy.deepcopy([serialize_layer(layer) for layer in self._layers])}
        if self._functional is not None:
            config["build_input_shape"] = self._layers[0].batch_shape
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Sequential:
        """Creates the model from ``get_config()`` output.

        Raises:
            ValueError: a config without ``name`` and ``layers``.
        """
        if "name" not in config or "layers" not in config:
            raise ValueError("A Sequential model configuration must be a dictionary containing the 'name' and "
                             f"'layers' keys. Received: config={config}")
        model = cls(name=config["name"])
        for layer_config in config["layers"]:
            model.add(deserialize_layer(layer_config, custom_objects))
        build_input_shape = config.get("build_input_shape")
        if model._functional is None and isinstance(build_input_shape, (list, tuple)) and build_input_shape:
            model.build(build_input_shape)
        return model


def _explain_call_signature(layer: Layer, error: TypeError) -> None:
    """Re-raises a call's ``TypeError`` as Keras's ``ValueError`` when the layer takes several inputs."""
    parameters = inspect.signature(layer.call).parameters.values()
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is inspect.Parameter.empty]
    if not positional:
        raise ValueError("Layers added to a Sequential model should have a single positional argument, the input "
                         f"tensor. Layer {type(layer).__name__} has no positional arguments.") from error
    if len(required) > 1:
        raise ValueError("Layers added to a Sequential model can only have a single required positional argument, "
                         f"the input tensor. Layer {type(layer).__name__} has multiple required positional "
                         f"arguments: {required}") from error
    raise error
