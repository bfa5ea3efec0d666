"""Where each layer's and optimizer's variables live in a Keras 3 weights file.

Keras addresses state by attribute path from the model: ``layers/dense/vars`` (layers held in a list are named
by their class in snake case, numbered in order: ``dense``, ``dense_1`` …), ``layers/lstm/cell/vars``,
``optimizer/vars``. Public attributes are visited before private ones, in name order, and each object only at
the first path that reaches it. ``walk_saveables`` reproduces that order for ndflow objects so that files
interchange with Keras.
"""
from __future__ import annotations

import warnings
from typing import Any, Iterator

import numpy as np

__all__ = ["walk_saveables", "own_variables", "save_state", "load_state"]

_SKIPSETS: dict[str, frozenset] = {}


def _name_key(name: str) -> str:
    return f"~{name}" if name.startswith("_") else name


def _is_saveable(obj: Any) -> bool:
    from ..layers.layer import Layer
    from ..optimizers import Optimizer

    return isinstance(obj, (Layer, Optimizer))


def _skipset(obj: Any) -> frozenset:
    """Attribute names never walked: those of a bare ``Layer`` (plus, for models, the model machinery)."""
    from ..layers.layer import Layer
    from ..models.model import Model

    kind = "model" if isinstance(obj, Model) else "layer"
    if kind not in _SKIPSETS:
        probe = Layer.__new__(Layer)
        Layer.__init__(probe, name="saving_probe")
        names = set(dir(probe))
        if kind == "model":
            from ..models.functional import Functional
            from ..models.sequential import Sequential

            for cls in (Model, Functional, Sequential):
                names.update(dir(cls))
            names.update({"_layers", "_functional", "_operations", "operations"})
            names.discard("optimizer")
        _SKIPSETS[kind] = frozenset(names)
    return _SKIPSETS[kind]


def _children(obj: Any) -> Iterator[tuple[str, Any]]:
    from ..models.functional import Functional
    from ..models.sequential import Sequential
    from ..optimizers import Optimizer

    if isinstance(obj, Optimizer):
        return
    if isinstance(obj, (Sequential, Functional)):
        yield "layers", obj.layers
    skip = _skipset(obj)
    for name in sorted(dir(obj), key=_name_key):
        if name.startswith("__") or name in skip:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield name, getattr(obj, name)
        except Exception:  # properties of unbuilt layers may raise; Keras skips them too
            continue


def walk_saveables(root: Any, objects_to_skip: Any = ()) -> list[tuple[str, Any]]:
    """``(path, object)`` for every layer and optimizer reachable from ``root``, in Keras's visiting order
    (``objects_to_skip`` and everything reachable only through them are left out)."""
    from ..layers.layer import _snake_case  # Keras names list items by the same rule as layers

    found: list[tuple[str, Any]] = []
    visited: set[int] = {id(obj) for obj in objects_to_skip or ()}

    def visit(obj: Any, path: str) -> None:
        if id(obj) in visited:
            return
        visited.add(id(obj))
        found.append((path, obj))
        for name, child in _children(obj):
            child_path = f"{path}/{name}" if path else name
            if _is_saveable(child):
                visit(child, child_path)
            elif isinstance(child, (list, tuple, dict)):
                visit_container(child, child_path, set())

    def visit_container(container: Any, path: str, seen_containers: set[int]) -> None:
        if id(container) in seen_containers:
            return
        seen_containers.add(id(container))
        used: dict[str, int] = {}
        for item in (container.values() if isinstance(container, dict) else container):
            if _is_saveable(item):
                visit(item, f"{path}/{_unique(_snake_case(type(item).__name__), used)}")
            elif isinstance(item, (list, tuple, dict)):
                visit_container(item, f"{path}/{_unique('container', used)}", seen_containers)

    visit(root, "")
    return found


def _unique(name: str, used: dict[str, int]) -> str:
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def own_variables(layer: Any) -> list:
    """A layer's own variables (not its sub-layers'): trainable ones, then the others, each in creation order."""
    own = list(layer._own_weights) + list(layer._attribute_variables())
    return [v for v in own if v.trainable] + [v for v in own if not v.trainable]


def _defines(obj: Any, method: str) -> bool:
    """Whether ``obj`` has its own ``save_own_variables``/``load_own_variables`` (a user override or an
    optimizer's)."""
    return callable(getattr(obj, method, None))


# -- saving and loading --------------------------------------------------------------------------------------
def save_state(root: Any, writer: Any, objects_to_skip: Any = ()) -> None:
    """Writes the variables of ``root`` and of everything under it into ``writer`` (see ``h5_weights``)."""
    for path, obj in walk_saveables(root, objects_to_skip):
        store: dict = {}
        if _defines(obj, "save_own_variables"):
            obj.save_own_variables(store)
        else:
            for i, variable in enumerate(own_variables(obj)):
                store[str(i)] = np.asarray(variable.numpy())
        name = getattr(obj, "name", None)
        writer.write(path, store, name=name if isinstance(name, str) else None)


def load_state(root: Any, reader: Any, skip_mismatch: bool = False, objects_to_skip: Any = ()) -> None:
    """Assigns the variables of ``root`` and of everything under it from ``reader``.

    Raises:
        ValueError: some objects could not be loaded (a warning instead with ``skip_mismatch=True``).
    """
    errors: list[tuple[Any, Exception]] = []
    for path, obj in walk_saveables(root, objects_to_skip):
        store = reader.read(path)
        try:
            if _defines(obj, "load_own_variables"):
                obj.load_own_variables(store)
            else:
                _load_layer_variables(obj, store)
        except Exception as error:  # collected and reported together, as Keras does
            errors.append((obj, error))
    if errors:
        first, error = errors[0]
        message = (f"A total of {len(errors)} objects could not be loaded. Example error message for object "
                   f"{first}:\n\n{error}\n\nList of objects that could not be loaded:\n{[obj for obj, _ in errors]}")
        if skip_mismatch:
            warnings.warn(message, stacklevel=3)
        else:
            raise ValueError(message)


def _load_layer_variables(layer: Any, store: dict) -> None:
    """Assigns ``store["0"]``, ``store["1"]`` … to the layer's own variables.

    Raises:
        ValueError: a different number of values, or a value of the wrong shape (nothing is assigned then).
    """
    variables = own_variables(layer)
    if len(store) != len(variables):
        if not variables and not layer.built:
            raise ValueError(f"Layer '{layer.name}' was never built and thus it doesn't have any variables. However "
                             f"the weights file lists {len(store)} variables for this layer.")
        raise ValueError(f"Layer '{layer.name}' expected {len(variables)} variables, but received {len(store)} "
                         f"variables during loading. Expected: {[v.name for v in variables]}")
    values = [np.asarray(store[str(i)]) for i in range(len(variables))]
    for variable, value in zip(variables, values):
        if tuple(variable.shape) != value.shape:
            raise ValueError("The shape of the target variable and the shape of the target value in "
                             f"`variable.assign(value)` must match. variable.shape={tuple(variable.shape)}, Received: "
                             f"value.shape={value.shape}. Target variable: {variable}")
    for variable, value in zip(variables, values):
        variable.assign(value.astype(variable.dtype.as_numpy_dtype, copy=False))
