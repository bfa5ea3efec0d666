"""``Wrapper`` and ``TimeDistributed``: applies a layer to every temporal slice of its input."""
from __future__ import annotations

from typing import Any

from ...._core.ops import array_ops
from ..layer import Layer
from ._util import build_sublayer, call_accepts, deserialize_layer, serialize_layer


class Wrapper(Layer):
    """Base class of layers that wrap another layer (held as ``layer``).

    Raises:
        ValueError: ``layer`` is not a layer.
    """

    def __init__(self, layer: Layer, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(f"Layer {layer} supplied to Wrapper isn't a supported layer type. Please ensure "
                             "wrapped layer is a valid Keras layer.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape: Any = None) -> None:
        build_sublayer(self, self.layer, input_shape)
        self.built = True

    def get_config(self) -> dict:
        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Wrapper:
        config = dict(config)
        layer = deserialize_layer(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)


class TimeDistributed(Wrapper):
    """Applies ``layer`` to each timestep: inputs ``(batch, time, ...)``, one ``layer`` call per timestep.

    Raises:
        ValueError: ``layer`` is not a layer, inputs of rank below 3, or a mask whose batch/time dims differ
            from the inputs'.
    """

    def __init__(self, layer: Layer, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance. "
                             f"Received: {layer}")
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _get_child_input_shape(self, input_shape: Any) -> tuple:
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape` with at least 3 "
                             f"dimensions, received: {input_shape}")
        return (input_shape[0], *input_shape[2:])

    def compute_output_shape(self, input_shape: Any) -> tuple:
        child_output_shape = self.layer.compute_output_shape(self._get_child_input_shape(input_shape))
        return (child_output_shape[0], input_shape[1], *child_output_shape[1:])

    def build(self, input_shape: Any) -> None:
        super().build(self._get_child_input_shape(input_shape))

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        input_shape = tuple(inputs.shape)
        if mask is not None:
            mask_shape = tuple(mask.shape)
            if len(mask_shape) < 2:
                raise ValueError("The `mask` passed to the `TimeDistributed` layer must be at least 2D (e.g., "
                                 f"`(batch_size, timesteps)`), but it has {len(mask_shape)} dimension(s) with "
                                 f"shape {mask_shape}.")
            batch_mismatch = None not in (input_shape[0], mask_shape[0]) and input_shape[0] != mask_shape[0]
            time_mismatch = None not in (input_shape[1], mask_shape[1]) and input_shape[1] != mask_shape[1]
            if batch_mismatch or time_mismatch:
                raise ValueError(f"The `mask` passed to the `TimeDistributed` layer has a shape {mask_shape} that is "
                                 f"incompatible with the input shape {input_shape}. The first two dimensions of the "
                                 "mask (batch size and timesteps) must match the input's first two dimensions. "
                                 f"Expected mask shape prefix: ({input_shape[0]}, {input_shape[1]}).")
        if input_shape[1] is None:
            raise NotImplementedError("TimeDistributed over a time dimension unknown while tracing is not supported "
                                      "yet: give the input a static number of timesteps")
        kwargs = {}
        if call_accepts(self.layer.call, "training"):
            kwargs["training"] = training
        steps = array_ops.unstack(inputs, axis=1)
        step_masks = array_ops.unstack(mask, axis=1) if mask is not None and call_accepts(self.layer.call, "mask") \
            else [None] * len(steps)
        outputs = []
        for x_t, mask_t in zip(steps, step_masks):
            step_kwargs = dict(kwargs, mask=mask_t) if mask_t is not None else kwargs
            outputs.append(self.layer.call(x_t, **step_kwargs))
        return array_ops.stack(outputs, axis=1)
