"""Helpers shared by the recurrent layers: sub-layer weight paths, zero states and layer (de)serialization."""
from __future__ import annotations

import contextlib
import inspect
import weakref
from typing import Any

from ...._core.ops import array_ops
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
    """Whether callable ``fn`` names a parameter ``name`` (Keras's ``_call_has_training_arg`` rule).

    The parameter names are cached per function (a bound method's underlying function; the ``self`` it adds
    is never asked about).
    """
    key = getattr(fn, "__func__", fn)
    try:
        names = _PARAMETER_NAMES.get(key)
    except TypeError:  # not weakly referenceable (or not hashable): no caching
        return name in inspect.signature(fn).parameters
    if names is None:
        names = _PARAMETER_NAMES[key] = frozenset(inspect.signature(fn).parameters)
    return name in names


_PARAMETER_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def serialize_layer(layer: Any) -> dict:
    """Keras 3's serialized form of a layer (``keras.saving.serialize_keras_object``)."""
    from ...saving import serialize_keras_object

    return serialize_keras_object(layer)


def deserialize_layer(config: Any, custom_objects: dict | None = None) -> Any:
    """Recreates a layer from ``serialize_layer`` output (a layer instance passes through unchanged).

    Raises:
        TypeError: the class is neither a Keras layer, nor in ``custom_objects``, nor registered.
    """
    if not isinstance(config, dict):
        return config
    from ...saving import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects)
