"""``saved_model.save``: an object's traced functions, variables and structure, written as data.

A SavedModel directory holds ``saved_model.json`` (the manifest: the object tree, each concrete function's graph
and signatures) and ``variables/variables.index`` + ``variables/variables.data-00000-of-00001`` (a checkpoint
of the object, readable with ``tf.train.load_checkpoint``). The manifest is written last, atomically.
"""
from __future__ import annotations

import json
import os
from typing import Any

from .._core import checkpoint_format
from .._core.function import ConcreteFunction, Function
from .._core.tensor_spec import TensorSpec
from ..train.checkpoint import write_object_graph
from ..train.checkpoint_graph import ObjectGraph, is_trackable, is_variable
from .function_io import serialize_concrete_function

__all__ = ["save", "SaveOptions", "SAVED_MODEL_FILENAME", "VARIABLES_DIRECTORY", "VARIABLES_FILENAME",
           "DEFAULT_SERVING_SIGNATURE_DEF_KEY"]

SAVED_MODEL_FILENAME = "saved_model.json"
VARIABLES_DIRECTORY = "variables"
VARIABLES_FILENAME = "variables"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
FORMAT_NAME = "ndflow-saved-model"
FORMAT_VERSION = 1

# Keras bookkeeping attributes that hold traced training loops, not serving functions.
_SKIPPED_FUNCTIONS = frozenset({"train_function", "test_function", "predict_function"})


class SaveOptions:
    """Options for ``save``; accepted for compatibility (there is one local format)."""

    def __init__(self, namespace_whitelist: Any = None, save_debug_info: bool = False, function_aliases: Any = None,
                 experimental_io_device: Any = None, experimental_variable_policy: Any = None,
                 experimental_custom_gradients: bool = True, experimental_image_format: bool = False,
                 experimental_skip_saver: bool = False, experimental_sharding_callback: Any = None) -> None:
        self.namespace_whitelist = namespace_whitelist
        self.save_debug_info = save_debug_info
        self.function_aliases = function_aliases
        self.experimental_io_device = experimental_io_device


def _functions_of(obj: Any) -> dict:
    """``{attribute name: Function}`` for the ``ndflow.function``s of ``obj`` (methods and attributes)."""
    if is_variable(obj) or isinstance(obj, (list, tuple, dict)):
        return {}
    found: dict = {}
    for klass in type(obj).__mro__:
        for name, attr in vars(klass).items():
            if isinstance(attr, Function) and name not in found and name not in _SKIPPED_FUNCTIONS:
                found[name] = getattr(obj, name)
    for name, value in vars(obj).items():
        if isinstance(value, Function) and name not in _SKIPPED_FUNCTIONS:
            found[name] = value
    return found


def _concrete_functions(function: Function) -> list:
    concretes = []
    if function.input_signature is not None:
        concretes.append(function.get_concrete_function())
    for concrete in function._cache.values():
        if not any(concrete is c for c in concretes):
            concretes.append(concrete)
    return concretes


def _parameters(function: Function) -> list:
    if function._signature is None:
        raise NotImplementedError(f"saving the function {function._name!r}, which takes *args or **kwargs, is not "
                                  "supported yet")
    return list(function._signature.parameters)


def keras_input_specs(model: Any) -> list | None:
    """The ``TensorSpec``s of a Keras model's inputs (batch dimension None), if they are known."""
    import ndflow

    inputs = getattr(model, "inputs", None)
    if inputs:
        return [TensorSpec(tuple(t.shape), ndflow.as_dtype(t.dtype), t.name) for t in inputs]
    shapes = getattr(model, "_build_shapes", None)
    if isinstance(shapes, tuple) and shapes and all(isinstance(d, (int, type(None))) for d in shapes):
        return [TensorSpec((None, *shapes[1:]), ndflow.as_dtype(getattr(model, "compute_dtype", "float32")))]
    return None


def keras_serving_function(model: Any, specs: list) -> Function:
    """An ``ndflow.function`` calling ``model`` in inference mode on one input described by ``specs[0]``."""
    from .._core.function import function

    def serve(inputs: Any) -> Any:
        return model(inputs, training=False)

    return function(serve, input_signature=specs)


def _default_signature(root: Any, functions: dict) -> Any:
    with_signature = [f for f in functions.values() if f.input_signature is not None]
    if len(with_signature) == 1:
        return with_signature[0]
    from ..train.checkpoint_graph import _is_keras_layer

    if not with_signature and _is_keras_layer(root):
        specs = keras_input_specs(root)
        if specs is not None and len(specs) == 1:
            return keras_serving_function(root, [TensorSpec(specs[0].shape, specs[0].dtype)])
    return None


def _signature_concrete(name: str, value: Any) -> tuple[ConcreteFunction, list]:
    """The concrete function of a signature and its Python parameter names."""
    if isinstance(value, ConcreteFunction):
        return value, [f"arg_{i}" for i in range(len(value._arg_template[0]))]
    if isinstance(value, Function):
        if value.input_signature is None:
            raise ValueError(f"The signature {name!r} needs a function with an `input_signature` (or a concrete "
                             f"function from `get_concrete_function`); got {value!r} without one.")
        return value.get_concrete_function(), _parameters(value)
    raise ValueError(f"Expected a TensorFlow function for which to generate a signature (but got {value}). Only "
                     "`tf.functions` with an input signature or concrete functions can be used as a signature.")


def _output_names(concrete: ConcreteFunction) -> list:
    outputs = concrete.structured_outputs
    if isinstance(outputs, dict):
        return [str(k) for k in sorted(outputs, key=str)]
    from .._core import nest

    return [f"output_{i}" for i in range(len(nest.flatten(outputs)))]


def save(obj: Any, export_dir: str, signatures: Any = None, options: SaveOptions | None = None) -> None:
    """Writes ``obj``'s functions (their traced graphs), variables and object structure to ``export_dir``.

    Args:
        obj: a ``Module``, Keras model or layer (any trackable object).
        export_dir: the directory to write (created if needed).
        signatures: a function with an input signature, a concrete function, or a dict of them by signature name;
            by default the one ``ndflow.function`` with an input signature on ``obj`` (a Keras model's call).

    Raises:
        ValueError: ``obj`` holds no state, or a signature function has no input signature.
        NotImplementedError: a function using control flow ops or Python callbacks.
    """
    if not is_trackable(obj):
        raise ValueError("Expected an object of type `Trackable`, such as `tf.Module` or a subclass of the "
                         f"`Trackable` class, for export. Got {obj} with type {type(obj)}.")
    export_dir = os.fspath(export_dir)
    graph = ObjectGraph(obj)
    variables = [var for _, var in graph.variables()]
    variable_ids = {id(v): i for i, v in enumerate(variables)}
    concretes: list = []
    concrete_ids: dict[int, int] = {}

    def add_concrete(concrete: ConcreteFunction, parameters: list) -> int:
        if id(concrete) not in concrete_ids:
            concrete_ids[id(concrete)] = len(concretes)
            concretes.append(serialize_concrete_function(concrete, variable_ids, parameters))
        return concrete_ids[id(concrete)]

    objects = []
    root_functions: dict = {}
    for node, value in enumerate(graph.objects):
        entry: dict = {"kind": _kind(value),
                       "children": [{"name": n, "node_id": c} for n, c in graph.edges.get(node, [])]}
        if is_variable(value):
            entry["variable"] = variable_ids[id(value)]
        functions = _functions_of(value)
        if node == 0:
            root_functions = functions
        entry["functions"] = {name: [add_concrete(c, _parameters(f)) for c in _concrete_functions(f)]
                              for name, f in sorted(functions.items())}
        objects.append(entry)

    if signatures is None:
        default = _default_signature(obj, root_functions)
        signatures = {} if default is None else {DEFAULT_SERVING_SIGNATURE_DEF_KEY: default}
    elif not isinstance(signatures, dict):
        signatures = {DEFAULT_SERVING_SIGNATURE_DEF_KEY: signatures}
    signature_entries = {}
    for name, value in signatures.items():
        concrete, parameters = _signature_concrete(name, value)
        index = add_concrete(concrete, parameters)
        signature_entries[name] = {"function": index, "inputs": [t.op.name for t in concrete.graph.inputs],
                                   "outputs": _output_names(concrete)}

    variables_json = [{"name": v.name.split(":")[0], "dtype": v.dtype.name, "shape": v._shape.dims,
                       "trainable": bool(v.trainable), "key": graph.key(node)} for node, v in graph.variables()]
    write_object_graph(graph, os.path.join(export_dir, VARIABLES_DIRECTORY, VARIABLES_FILENAME))
    manifest = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "objects": objects, "variables": variables_json,
                "concrete_functions": concretes, "signatures": signature_entries}
    checkpoint_format.atomic_write(os.path.join(export_dir, SAVED_MODEL_FILENAME),
                                   [json.dumps(manifest, sort_keys=True).encode()])


def _kind(value: Any) -> str:
    if is_variable(value):
        return "variable"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, tuple):
        return "tuple"
    if isinstance(value, list):
        return "list"
    return "object"
