"""Calling layers and operations on KerasTensors: output shapes, masks and graph nodes.

``symbolic_call`` is what ``Layer.__call__`` runs when an argument is a KerasTensor. The output shapes come
from, in order of preference: the layer's ``compute_output_spec`` (returns KerasTensors), its overridden
``compute_output_shape``, or a *probe*: the layer runs eagerly on zeros twice, with each unknown (``None``)
dimension replaced by two different sizes; output dimensions that change between the runs are unknown.
"""
from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..._core import nest
from ..._core.tensor import Tensor, convert_to_tensor
from ..layers.input_spec import assert_input_compatibility
from ..layers.layer import _STATE, Layer, signature_of
from .keras_tensor import KerasTensor, standardize_shape
from .node import Node

__all__ = ["symbolic_call", "probe_output_shape", "compute_output_tensors", "weight_scope"]

# (batch size, size of every other unknown dimension) for the two probe runs; the sizes differ after
# down-sampling by up to 16, so strided convolutions and pooling keep their unknown dimensions unknown.
_PROBE_SIZES = ((2, 32), (3, 48))


def _is_keras_tensor(x: Any) -> bool:
    return isinstance(x, KerasTensor)


def _in_graph(x: Any) -> bool:
    return isinstance(x, KerasTensor) and getattr(x, "_keras_history", None) is not None \
        and x._keras_history.operation is not None


def _symbolic_mask(inputs: Any, graph_only: bool = False) -> Any:
    """The masks carried by ``inputs`` (``None`` where there is none); with ``graph_only``, only masks that are
    graph tensors (those can be recorded as call arguments)."""
    if isinstance(inputs, (list, tuple)):
        masks = [_symbolic_mask(x, graph_only) for x in inputs]
        return None if all(m is None for m in masks) else masks
    mask = getattr(inputs, "_keras_mask", None)
    return mask if not graph_only or _in_graph(mask) else None


def symbolic_call(operation: Any, args: tuple, kwargs: dict) -> Any:
    """Calls ``operation`` (a layer or a graph operation) on KerasTensors.

    Builds the layer from the input shapes, checks its ``input_spec``, computes the output KerasTensors,
    records a ``Node`` and attaches the symbolic output masks.

    Returns:
        The output KerasTensor(s), in the structure the layer returns.
    """
    kwargs = dict(kwargs)
    if not isinstance(operation, Layer):
        outputs = compute_output_tensors(operation, args, kwargs)
        Node(operation, args, kwargs, outputs)
        return outputs

    layer = operation
    inputs = args[0] if args else next(iter(kwargs.values()), None)
    info = signature_of(type(layer))
    training = kwargs.get("training")
    if training is None:
        training = info.training_default
    if info.declares_training and training is not None:
        kwargs["training"] = training
    if info.mask and kwargs.get("mask") is None:
        kwargs["mask"] = _symbolic_mask(inputs, graph_only=True)
    if layer.input_spec is not None:
        assert_input_compatibility(layer.input_spec, inputs, layer.name)
    if not layer.built:
        with weight_scope(layer.name):
            layer._maybe_build(inputs, args, kwargs)

    outputs = compute_output_tensors(layer, args, kwargs)
    Node(layer, args, kwargs, outputs)
    if layer.supports_masking or type(layer).compute_mask is not Layer.compute_mask:
        mask = kwargs.get("mask") if info.mask else None
        if mask is None:
            mask = _symbolic_mask(inputs)
        _attach_masks(outputs, _output_mask(layer, inputs, mask))
    return outputs


@contextlib.contextmanager
def weight_scope(name: str) -> Iterator[None]:
    """Weights created inside are named under ``name`` (``sequential/dense/kernel``), as in a Keras call."""
    path = _STATE.path
    pushed = not path or path[-1] != name
    if pushed:
        path.append(name)
    try:
        yield
    finally:
        if pushed:
            path.pop()


def _attach_masks(outputs: Any, mask: Any) -> None:
    if isinstance(outputs, (list, tuple)):
        masks = mask if isinstance(mask, (list, tuple)) else [mask] * len(outputs)
        for output, m in zip(outputs, masks):
            _attach_masks(output, m)
    elif isinstance(outputs, KerasTensor):
        outputs._keras_mask = mask if isinstance(mask, KerasTensor) else None


def _output_mask(layer: Layer, inputs: Any, mask: Any) -> Any:
    """``layer.compute_mask`` on KerasTensors; if it needs real values, its shape from a probe (no graph node)."""
    try:
        return layer.compute_mask(inputs, mask)
    except (ValueError, TypeError, NotImplementedError, AttributeError):
        probed = _probe(lambda *a: layer.compute_mask(*a), (inputs, mask), {}, layer=None)
        return None if probed is None else nest.map_structure(_tensor_from_spec, probed)


# -- output shapes -------------------------------------------------------------------------------------------
def compute_output_tensors(operation: Any, args: tuple, kwargs: dict) -> Any:
    """New KerasTensors (without history) for the outputs of ``operation(*args, **kwargs)``."""
    spec_fn = getattr(operation, "compute_output_spec", None)
    if spec_fn is not None:
        return nest.map_structure(_tensor_from_spec, spec_fn(*args, **kwargs))
    if isinstance(operation, Layer) and type(operation).compute_output_shape is not Layer.compute_output_shape:
        shapes = _call_compute_output_shape(operation, args, kwargs)
        return _map_shapes(lambda s: KerasTensor(s, dtype=operation.compute_dtype), shapes, strict=True)
    specs = _probe(operation, args, kwargs, layer=operation if isinstance(operation, Layer) else None)
    return nest.map_structure(_tensor_from_spec, specs)


class _Spec:
    """The shape and dtype of one probed output (a leaf for ``nest``)."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape: tuple, dtype: str) -> None:
        self.shape = shape
        self.dtype = dtype


def _tensor_from_spec(spec: Any) -> KerasTensor:
    return KerasTensor(spec.shape, dtype=spec.dtype)


def _is_shape(value: Any) -> bool:
    """A tuple (or non-empty list) of ints and ``None``."""
    return isinstance(value, (tuple, list)) and (isinstance(value, tuple) or bool(value)) and all(
        d is None or (isinstance(d, (int, np.integer)) and not isinstance(d, bool)) for d in value)


def _map_shapes(fn: Any, shapes: Any, strict: bool = False) -> Any:
    """Applies ``fn`` to each shape in a nested structure of shapes (a shape is a tuple of ints/None).

    Raises:
        ValueError: with ``strict``, a leaf that is not a shape.
    """
    if _is_shape(shapes):
        return fn(standardize_shape(shapes))
    if hasattr(shapes, "as_list"):
        return fn(standardize_shape(shapes.as_list()))
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v, strict) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return type(shapes)(_map_shapes(fn, v, strict) for v in shapes)
    if strict:
        raise ValueError("Method `compute_output_shape()` is returning a type that cannot be interpreted as a "
                         f"shape. It should return a shape tuple. Received: {shapes}")
    return shapes


def _shape_of(x: Any) -> Any:
    return nest.map_structure(lambda t: tuple(t.shape) if hasattr(t, "shape") else None, x)


def _call_compute_output_shape(layer: Layer, args: tuple, kwargs: dict) -> Any:
    """Calls ``compute_output_shape`` with the shapes of the call's tensor arguments (Keras's convention)."""
    params = [p for p in inspect.signature(layer.compute_output_shape).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(params) <= 1 or len(args) + len(kwargs) == 1:
        first = args[0] if args else next(iter(kwargs.values()))
        return layer.compute_output_shape(_shape_of(first))
    try:
        bound = inspect.signature(layer.call).bind(*args, **kwargs).arguments
    except TypeError:
        return layer.compute_output_shape(_shape_of(args[0]))
    shapes = {f"{name}_shape": _shape_of(value) for name, value in bound.items()
              if name not in ("training", "mask") and any(_is_keras_tensor(x) for x in nest.flatten(value))}
    accepted = {p.name for p in params}
    return layer.compute_output_shape(**{k: v for k, v in shapes.items() if k in accepted})


def _zeros(spec: KerasTensor, batch: int, other: int) -> Tensor:
    shape = [d if d is not None else (batch if axis == 0 else other) for axis, d in enumerate(spec.shape)]
    return convert_to_tensor(np.zeros(shape, dtype=spec.dtype))


def _probe(fn: Any, args: tuple, kwargs: dict, layer: Layer | None) -> Any:
    """Runs ``fn`` on zeros for the two probe sizes; returns the output ``(shape, dtype)`` structure.

    A layer runs in inference mode (shapes do not depend on it, and statistics are not updated), and its
    non-trainable weights are restored afterwards.
    """
    if layer is not None and signature_of(type(layer)).declares_training:
        kwargs = {**kwargs, "training": False}
    saved = [(v, np.array(v.numpy())) for v in layer.non_trainable_weights] if layer is not None else []
    unbuilt = [sub for sub in layer._flatten_layers() if not sub.built] if layer is not None else []
    runs = []
    try:
        for batch, other in _PROBE_SIZES:
            real_args, real_kwargs = nest.map_structure(
                lambda x, b=batch, o=other: _zeros(x, b, o) if _is_keras_tensor(x) else x, (list(args), kwargs))
            outputs = fn(*real_args, **real_kwargs)
            runs.append(outputs)
            if len(runs) == 1:
                _forget_probe_batch(unbuilt, batch)
    finally:
        for variable, value in saved:
            variable.assign(value)
        if layer is not None:
            layer._clear_losses()
    if runs[0] is None:
        return None
    first, second = (nest.flatten(r) for r in runs)
    merged = []
    for a, b in zip(first, second):
        shape_a, shape_b = tuple(a.shape), tuple(b.shape)
        if len(shape_a) != len(shape_b):
            raise ValueError(f"Could not infer the output shape of {getattr(fn, 'name', fn)}: its rank depends "
                             "on unknown input dimensions. Implement `compute_output_shape()`.")
        shape = tuple(x if x == y else None for x, y in zip(shape_a, shape_b))
        merged.append(_Spec(shape, a.dtype.name))
    return nest.pack_sequence_as(runs[0], merged) if nest.is_nested(runs[0]) else merged[0]


def _forget_probe_batch(layers: list, batch: int) -> None:
    """Layers first built during a probe record the batch size as unknown (as a symbolic build would)."""
    def unknown_batch(shape: Any) -> Any:
        if isinstance(shape, tuple) and shape and shape[0] == batch:
            return (None, *shape[1:])
        return shape

    for layer in layers:
        if layer._build_shapes is not None:
            layer._build_shapes = _map_shapes(unknown_batch, layer._build_shapes)


def probe_output_shape(layer: Any, *args: Any, **kwargs: Any) -> Any:
    """The output shape of ``layer`` for inputs of the given shape(s), found by running it on zeros.

    Args:
        layer: a layer (built or not).
        *args: the shape of each positional input (a tuple, or a nested structure of tuples).
        **kwargs: shapes of keyword inputs, named ``<argument>_shape``.

    Returns:
        The output shape(s), with ``None`` for dimensions that depend on unknown input dimensions.
    """
    tensors = [_map_shapes(lambda s: KerasTensor(s, dtype=layer.compute_dtype, record_history=False), a)
               for a in args]
    kw = {k[:-len("_shape")] if k.endswith("_shape") else k:
          _map_shapes(lambda s: KerasTensor(s, dtype=layer.compute_dtype, record_history=False), v)
          for k, v in kwargs.items()}
    if not layer.built:
        layer._maybe_build(tensors[0] if tensors else next(iter(kw.values())))
    specs = _probe(layer, tuple(tensors), kw, layer=layer)
    return None if specs is None else nest.map_structure(lambda spec: spec.shape, specs)
