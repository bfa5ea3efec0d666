"""``Bidirectional``: runs a recurrent layer forwards and a copy backwards, and merges their outputs."""
from __future__ import annotations

import copy
from typing import Any

from ...._core.ops import array_ops, math_ops
from ..layer import Layer
from ._util import build_sublayer, call_accepts, deserialize_layer, serialize_layer

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _removeprefix(name: str, prefix: str) -> str:
    return name[len(prefix):] if name.startswith(prefix) else name


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs.

    Args:
        layer: the recurrent layer (``LSTM``, ``GRU``, ``RNN`` …); the forward layer is a copy of it named
            ``forward_<name>``.
        merge_mode: ``"concat"`` (default), ``"sum"``, ``"mul"``, ``"ave"`` or None (a list of both outputs).
        weights: kept as each direction's ``initial_weights`` (unused, as in Keras 3).
        backward_layer: the backward layer; default a copy of ``layer`` with ``go_backwards=True`` named
            ``backward_<name>``.

    Call arguments:
        sequences, initial_state (forward states then backward states), mask, training.

    Raises:
        ValueError: ``layer`` or ``backward_layer`` not a layer, an unknown ``merge_mode``, or directions that
            do not differ in ``go_backwards`` or differ in ``stateful`` / ``return_sequences`` /
            ``return_state``.
    """

    def __init__(self, layer: Layer, merge_mode: str | None = "concat", weights: list | None = None,
                 backward_layer: Layer | None = None, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                             f"Received: {layer}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"`backward_layer` need to be a `keras.layers.Layer` instance. Received: {backward_layer}")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
                             '{"sum", "mul", "ave", "concat", None}')
        super().__init__(**kwargs)
        config = serialize_layer(layer)
        config["config"]["name"] = f"forward_{_removeprefix(layer.name, 'forward_')}"
        self.forward_layer = deserialize_layer(config)
        if backward_layer is None:
            config = serialize_layer(layer)
            config["config"]["go_backwards"] = True
            config["config"]["name"] = f"backward_{_removeprefix(layer.name, 'backward_')}"
            self.backward_layer = deserialize_layer(config)
        else:
            self.backward_layer = backward_layer
        if hasattr(layer, "use_cudnn"):
            self.forward_layer.use_cudnn = layer.use_cudnn
            self.backward_layer.use_cudnn = layer.use_cudnn
        self._verify_layer_config()
        for direction in (self.forward_layer, self.backward_layer):
            if getattr(direction, "zero_output_for_mask", None) is not None:
                direction.zero_output_for_mask = direction.return_sequences
        self.merge_mode = merge_mode
        if weights:
            half = len(weights) // 2
            self.forward_layer.initial_weights = weights[:half]
            self.backward_layer.initial_weights = weights[half:]
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layer_config(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError("Forward layer and backward layer should have different `go_backwards` value. "
                             f"Received: forward_layer.go_backwards {forward.go_backwards}, "
                             f"backward_layer.go_backwards={backward.go_backwards}")
        for attribute in ("stateful", "return_sequences", "return_state"):
            forward_value, backward_value = getattr(forward, attribute), getattr(backward, attribute)
            if forward_value != backward_value:
                raise ValueError("Forward layer and backward layer are expected to have the same value for "
                                 f'attribute "{attribute}", got "{forward_value}" for forward layer and '
                                 f'"{backward_value}" for backward layer')

    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        build_sublayer(self, self.forward_layer, sequences_shape)
        build_sublayer(self, self.backward_layer, sequences_shape)
        self.built = True

    def compute_output_shape(self, sequences_shape: Any, initial_state_shape: Any = None) -> Any:
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        if self.return_state:
            output_shape, state_shape = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = (*output_shape[:-1], output_shape[-1] * 2)
        elif self.merge_mode is None:
            output_shape = [output_shape, output_shape]
        if self.return_state:
            if self.merge_mode is None:
                return tuple(output_shape) + state_shape + state_shape
            return (output_shape,) + state_shape + state_shape
        return tuple(output_shape)

    def call(self, sequences: Any, initial_state: Any = None, mask: Any = None, training: Any = None) -> Any:
        kwargs = {}
        if call_accepts(self.forward_layer.call, "training"):
            kwargs["training"] = training
        if call_accepts(self.forward_layer.call, "mask"):
            kwargs["mask"] = mask
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        y = math_ops.cast(y, self.compute_dtype)
        y_rev = math_ops.cast(y_rev, self.compute_dtype)
        if self.return_sequences:
            y_rev = array_ops.reverse(y_rev, [1])
        output = _merge(self.merge_mode, y, y_rev)
        if self.return_state:
            return output + states if self.merge_mode is None else (output,) + states
        return output

    def compute_mask(self, _: Any, mask: Any) -> Any:
        if isinstance(mask, list):
            mask = mask[0]
        if self.return_sequences:
            output_mask = mask if self.merge_mode else (mask, mask)
        else:
            output_mask = None if self.merge_mode else (None, None)
        if self.return_state and self.states is not None:
            state_mask = (None,) * (2 * len(self.states))
            return (*output_mask, *state_mask) if isinstance(output_mask, tuple) else (output_mask, *state_mask)
        return output_mask

    @property
    def states(self) -> tuple | None:
        forward, backward = self.forward_layer.states, self.backward_layer.states
        if forward and backward:
            return tuple(forward) + tuple(backward)
        return None

    def reset_states(self) -> None:
        self.reset_state()

    def reset_state(self) -> None:
        """Resets both directions' states.

        Raises:
            AttributeError: the layer is not stateful.
        """
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def get_config(self) -> dict:
        config = {"merge_mode": self.merge_mode, "layer": serialize_layer(self.forward_layer),
                  "backward_layer": serialize_layer(self.backward_layer)}
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Bidirectional:
        config = copy.deepcopy(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_layer(backward, custom_objects=custom_objects)
        return cls(**config)


def _merge(mode: str | None, y: Any, y_rev: Any) -> Any:
    if mode == "concat":
        return array_ops.concat([y, y_rev], axis=-1)
    if mode == "sum":
        return y + y_rev
    if mode == "ave":
        return (y + y_rev) / 2
    if mode == "mul":
        return y * y_rev
    return (y, y_rev)
