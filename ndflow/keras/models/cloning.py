"""``clone_model``: the same architecture with new layers (and new weights)."""
from __future__ import annotations

from typing import Any, Callable

from ..._core import nest
from ..layers.input_layer import Input, InputLayer
from .functional import Functional, _functional_like_constructor
from .graph import fill
from .keras_tensor import KerasTensor
from .sequential import Sequential

__all__ = ["clone_model"]


def clone_model(model: Any, input_tensors: Any = None, clone_function: Callable | None = None,
                call_function: Callable | None = None, recursive: bool = False, **kwargs: Any) -> Any:
    """Copies a Sequential or Functional model with freshly initialised weights.

    Args:
        model: the model to copy.
        input_tensors: KerasTensors to build the copy on (default new ``Input`` tensors).
        clone_function: ``fn(layer) -> layer`` making each new layer (default
            ``layer.__class__.from_config(layer.get_config())``).
        call_function: ``fn(layer, *args, **kwargs)`` calling each new layer (functional models only).
        recursive: clone nested Sequential/Functional models with ``clone_model`` instead of
            ``clone_function``.

    Returns:
        The new model (compiled like ``model`` when it was compiled).

    Raises:
        ValueError: unsupported arguments for the kind of model, or malformed ``input_tensors``.
    """
    cache = kwargs.pop("cache", None)
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s): {tuple(kwargs.keys())}")
    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError("`call_function` argument is not supported with Sequential models.  In a Sequential "
                             "model, layers aren't called at model-construction time (they're merely listed). Use "
                             "`call_function` with Functional models only. Received model of type "
                             f"'{type(model).__name__}', with call_function={call_function}")
        clone = _clone_sequential(model, _cloner(clone_function, None, recursive, cache), input_tensors)
    elif isinstance(model, Functional):
        clone = _clone_functional(model, _cloner(clone_function, call_function, recursive, cache), input_tensors,
                                  call_function)
    else:
        if clone_function is not None or input_tensors is not None:
            raise ValueError("Arguments `clone_function` and `input_tensors` are only supported for Sequential "
                             f"models or Functional models. Received model of type '{type(model).__name__}', with "
                             f"clone_function={clone_function} and input_tensors={input_tensors}")
        if call_function is not None:
            raise ValueError("Argument `call_function` is only supported for Functional models. Received model of "
                             f"type '{type(model).__name__}', with call_function={call_function}")
        return type(model).from_config(model.get_config())
    if getattr(model, "compiled", False) and hasattr(model, "get_compile_config"):
        clone.compile_from_config(model.get_compile_config())
    return clone


def _cloner(clone_function: Callable | None, call_function: Callable | None, recursive: bool,
            cache: dict | None) -> Callable:
    """``clone_function`` made to return one copy per original layer (shared layers stay shared)."""
    if clone_function is None:
        def clone_function(layer: Any) -> Any:
            return type(layer).from_config(layer.get_config())
    cache = {} if cache is None else cache

    def clone(layer: Any) -> Any:
        if id(layer) not in cache:
            if recursive and isinstance(layer, (Sequential, Functional)):
                cache[id(layer)] = clone_model(layer, clone_function=clone_function, recursive=True, cache=cache,
                                               call_function=None if isinstance(layer, Sequential) else call_function)
            else:
                cache[id(layer)] = clone_function(layer)
        return cache[id(layer)]

    return clone


def _clone_sequential(model: Sequential, clone: Callable, input_tensors: Any) -> Sequential:
    new_layers = [clone(layer) for layer in model.layers]
    first = model._layers[0] if model._layers else None
    reference = first if isinstance(first, InputLayer) else None
    name = reference.name if reference is not None else None
    optional = reference.optional if reference is not None else False
    if input_tensors is not None:
        if isinstance(input_tensors, (list, tuple)):
            if len(input_tensors) != 1:
                raise ValueError("Argument `input_tensors` must contain a single tensor.")
            input_tensors = input_tensors[0]
        if not isinstance(input_tensors, KerasTensor):
            raise ValueError(f"Argument `input_tensors` must be a KerasTensor. Received invalid value: "
                             f"input_tensors={input_tensors}")
        new_layers = [Input(tensor=input_tensors, name=name, optional=optional), *new_layers]
    elif reference is not None:
        new_layers = [Input(batch_shape=reference.batch_shape, dtype=reference.dtype, name=name,
                            optional=optional), *new_layers]
    return Sequential(new_layers, name=model.name, trainable=model.trainable)


def _clone_functional(model: Functional, clone: Callable, input_tensors: Any, call_function: Callable | None
                      ) -> Functional:
    if input_tensors is not None:
        if not all(isinstance(x, KerasTensor) for x in nest.flatten(input_tensors)):
            raise ValueError("All entries in `input_tensors` must be KerasTensors. Received invalid values: "
                             f"inputs_tensors={input_tensors}")
        try:
            nest.assert_same_structure(input_tensors, model.input, check_types=False)
        except (ValueError, TypeError) as error:
            raise ValueError("`input_tensors` must have the same structure as model.input\nReference structure: "
                             f"{model.input}\nReceived structure: {input_tensors}") from error
    else:
        input_tensors = nest.map_structure(lambda x: Input(batch_shape=x.shape, dtype=x.dtype, name=x.name),
                                           model.input)
    values: list = [None] * len(model._slots)
    flat = nest.flatten(input_tensors)
    values[:len(flat)] = flat
    for step in model._steps:
        layer = clone(step.operation)
        args, kwargs = fill(step.args, values), fill(step.kwargs, values)
        result = call_function(layer, *args, **kwargs) if call_function is not None else layer(*args, **kwargs)
        for slot, value in zip(step.out_slots, nest.flatten(result)):
            values[slot] = value
    outputs = nest.pack_sequence_as(model._outputs_struct, [values[s] for s in model._output_slots])
    if _functional_like_constructor(type(model)):
        return type(model)(input_tensors, outputs, name=model.name)
    return Functional(input_tensors, outputs, name=model.name)
