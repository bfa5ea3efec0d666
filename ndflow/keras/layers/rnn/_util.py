"""Helpers shared by the recurrent layers: sub-layer weight paths, zero states and layer (de)serialization."""
from __future__ import annotations

import contextlib
import inspect
from typing import Any

from ...._core.ops import array_ops
from ...utils.object_identifiers import lookup
from ..layer import _STATE, Layer


@contextlib.contextmanager
def sublayer_scope(owner: Layer, sublayer: Any):
    """Makes weights created inside the block live under ``owner/sublayer/`` (Keras's ``lstm/lstm_cell/kernel``)."""
    path = _STATE.path
    depth = len(path)
    if not path or path[-1] != owner.name:
        path.append(owner.name)
    path.append(sublayer.name)
    try:
        yield
    finally:
        del path[depth:]


def build_sublayer(owner: Layer, sublayer: Any, input_shape: Any) -> None:
    """Builds ``sublayer`` (when it is an unbuilt layer) for ``input_shape`` under ``owner``'s weight path."""
    if isinstance(sublayer, Layer) and not sublayer.built:
        with sublayer_scope(owner, sublayer):
            sublayer.build(input_shape)
        sublayer.built = True
        sublayer._build_shapes = input_shape


def zeros_state(batch_size: Any, shape: tuple, dtype: Any) -> Any:
    """Zeros of shape ``(batch_size, *shape)``; ``batch_size`` is an int or a scalar tensor."""
    if isinstance(batch_size, int):
        return array_ops.zeros((batch_size, *shape), dtype=dtype)
    # broadcasting keeps the static trailing dims while tracing (a zeros op from a shape tensor loses them)
    return array_ops.broadcast_to(array_ops.zeros((1, *shape), dtype=dtype), array_ops.stack([batch_size, *shape]))


def call_accepts(fn: Any, name: str) -> bool:
    """Whether callable ``fn`` names a parameter ``name`` (Keras's ``_call_has_training_arg`` rule)."""
    return name in inspect.signature(fn).parameters


def serialize_layer(layer: Any) -> dict:
    """Keras 3's serialized form of a layer: ``{"module", "class_name", "config", "registered_name"}``."""
    cls = type(layer)
    builtin = cls.__module__.startswith("ndflow.keras")
    module = "keras.layers" if builtin else (None if cls.__module__ == "__main__" else cls.__module__)
    config = {"module": module, "class_name": cls.__name__, "config": layer.get_config(),
              "registered_name": None if builtin else getattr(cls, "_registered_name", cls.__name__)}
    shapes = getattr(layer, "_build_shapes", None)
    if getattr(layer, "built", False) and shapes is not None:
        config["build_config"] = {"input_shape": shapes}
    return config


def deserialize_layer(config: Any, custom_objects: dict | None = None) -> Any:
    """Recreates a layer from ``serialize_layer`` output (a layer instance passes through unchanged).

    Raises:
        TypeError: the class is neither a Keras layer, nor in ``custom_objects``, nor registered.
    """
    if not isinstance(config, dict):
        return config
    from ... import layers

    cls = None
    for name in (config.get("registered_name"), config["class_name"]):
        if name and cls is None:
            cls = lookup(name, vars(layers), custom_objects)
    if cls is None:
        raise TypeError(f"Could not locate class '{config['class_name']}'. Make sure custom classes and functions "
                        "are decorated with `@keras.saving.register_keras_serializable()`. If they are already "
                        "decorated, make sure they are all imported so that the decorator is run before trying to "
                        f"load them. Full object config: {config}")
    inner = dict(config["config"])
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        layer = cls.from_config(inner, custom_objects=custom_objects)
    else:
        layer = cls.from_config(inner)
    build = config.get("build_config")
    if build and not layer.built and build.get("input_shape") is not None:
        layer.build(build["input_shape"])
        layer.built = True
    return layer
