"""``saved_model.load``: rebuilds a SavedModel's objects, variables and functions without its Python classes.

The loaded root is a plain ``Module`` whose attributes mirror the saved object tree: variables (with their
saved values), sub-objects, lists and dicts, and callable ``RestoredFunction``s that run the saved graphs with
ndflow's interpreter. ``signatures`` maps signature names to keyword-only ``SignatureFunction``s.
"""
from __future__ import annotations

import json
import os
from typing import Any, Iterator, Mapping

from .._core import checkpoint_format, nest
from .._core.context import state
from .._core.function import ConcreteFunction
from .._core.module import Module
from .._core.shape import TensorShape
from .._core.tensor import EagerTensor, convert_to_tensor
from .._core.tensor_spec import TensorSpec
from .._core.variable import Variable
from .function_io import deserialize_concrete_function
from .save import FORMAT_NAME, FORMAT_VERSION, SAVED_MODEL_FILENAME, VARIABLES_DIRECTORY, VARIABLES_FILENAME

__all__ = ["load", "LoadOptions", "RestoredFunction", "SignatureFunction", "contains_saved_model"]


class LoadOptions:
    """Options for ``load``; accepted for compatibility."""

    def __init__(self, allow_partial_checkpoint: bool = False, experimental_io_device: Any = None,
                 experimental_load_function_aliases: bool = False, experimental_variable_policy: Any = None,
                 experimental_skip_checkpoint: bool = False) -> None:
        self.allow_partial_checkpoint = allow_partial_checkpoint
        self.experimental_io_device = experimental_io_device
        self.experimental_skip_checkpoint = experimental_skip_checkpoint


class _UserObject(Module):
    """A restored object: its attributes are the saved object's variables, sub-objects and functions."""


def _match(template: dict, value: Any, specs: list, tensors: list) -> bool:
    if "arg" in template:
        spec = specs[template["arg"]]
        try:
            tensor = value if isinstance(value, EagerTensor) else convert_to_tensor(value, dtype=spec.dtype)
        except (TypeError, ValueError):
            return False
        if not spec.is_compatible_with(tensor):
            return False
        tensors[template["arg"]] = tensor
        return True
    if "value" in template:
        expected = template["value"]
        return type(value) is type(expected) and value == expected  # noqa: E721 - 1 must not match True
    if "dict" in template:
        keys = [k for k, _ in template["dict"]]
        return isinstance(value, dict) and sorted(map(str, value)) == keys and all(
            _match(t, value[k], specs, tensors) for k, t in template["dict"])
    kind = "tuple" if "tuple" in template else "list"
    items = template[kind]
    return isinstance(value, (list, tuple)) and len(value) == len(items) and all(
        _match(t, v, specs, tensors) for t, v in zip(items, value))


def _bind(concrete: ConcreteFunction, args: tuple, kwargs: dict) -> list | None:
    """The flat input tensors of ``concrete`` for this call, or None if the call does not fit its trace."""
    parameters, templates = concrete._saved_parameters, concrete._saved_args
    if len(args) > len(templates):
        return None
    values = dict(zip(parameters, args))
    for key, value in kwargs.items():
        if key not in parameters[:len(templates)] or key in values:
            return None
        values[key] = value
    tensors: list = [None] * len(concrete.graph.inputs)
    specs = concrete.structured_input_signature
    for name, template in zip(parameters, templates):
        if name in values:
            if not _match(template, values[name], specs, tensors):
                return None
        elif not _constant_only(template):
            return None
    return tensors if all(t is not None for t in tensors) else None


def _constant_only(template: dict) -> bool:
    if "arg" in template:
        return False
    if "value" in template:
        return True
    children = template.get("tuple") or template.get("list") or [t for _, t in template.get("dict", [])]
    return all(_constant_only(t) for t in children)


def _check_eager(what: str) -> None:
    if state.graph is not None:
        raise NotImplementedError(f"{what} while building a graph (inside ndflow.function or a TF1 graph) is not "
                                  "supported yet")


class RestoredFunction:
    """A saved ``ndflow.function``: calls the saved trace whose arguments match the call's."""

    def __init__(self, name: str, concrete_functions: list) -> None:
        self.__name__ = name
        self._concrete_functions = list(concrete_functions)

    @property
    def concrete_functions(self) -> list:
        return list(self._concrete_functions)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Runs the first saved trace that fits the arguments.

        Raises:
            ValueError: no saved trace fits.
        """
        _check_eager(f"calling the loaded function {self.__name__!r}")
        for concrete in self._concrete_functions:
            tensors = _bind(concrete, args, kwargs)
            if tensors is not None:
                return concrete._call_flat(tensors)
        raise ValueError(self._mismatch(args, kwargs))

    def _mismatch(self, args: tuple, kwargs: dict) -> str:
        lines = ["Could not find matching concrete function to call loaded from the SavedModel. Got:",
                 f"  Positional arguments ({len(args)} total):"]
        lines += [f"    * {a!r}" for a in args]
        lines += [f"  Keyword arguments: {kwargs}", "",
                  f" Expected these arguments to match one of the following {len(self._concrete_functions)} "
                  "option(s):"]
        for i, concrete in enumerate(self._concrete_functions, 1):
            specs = concrete.structured_input_signature
            options = [_describe(t, specs) for t in concrete._saved_args]
            lines += ["", f"Option {i}:", f"  Positional arguments ({len(options)} total):"]
            lines += [f"    * {o}" for o in options]
            lines.append("  Keyword arguments: {}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<RestoredFunction {self.__name__}>"


def _describe(template: dict, specs: list) -> str:
    if "arg" in template:
        return repr(specs[template["arg"]])
    if "value" in template:
        return repr(template["value"])
    if "dict" in template:
        return "{" + ", ".join(f"{k!r}: {_describe(t, specs)}" for k, t in template["dict"]) + "}"
    kind = "tuple" if "tuple" in template else "list"
    inner = ", ".join(_describe(t, specs) for t in template[kind])
    return f"({inner})" if kind == "tuple" else f"[{inner}]"


class SignatureFunction:
    """A serving signature: called with keyword arguments named after its inputs; returns a dict of outputs."""

    def __init__(self, name: str, concrete: ConcreteFunction, input_names: list, output_names: list) -> None:
        self.name = name
        self._concrete = concrete
        self._input_names = list(input_names)
        self._output_names = list(output_names)

    @property
    def structured_input_signature(self) -> tuple:
        specs = self._concrete.structured_input_signature
        return (), {n: TensorSpec(s.shape, s.dtype, n) for n, s in zip(self._input_names, specs)}

    @property
    def structured_outputs(self) -> dict:
        flat = [o for o in self._flat_outputs(self._concrete.structured_outputs)]
        return {n: TensorSpec(t.shape, t.dtype, n) for n, t in zip(self._output_names, flat)}

    @property
    def inputs(self) -> list:
        return self._concrete.inputs

    @property
    def outputs(self) -> list:
        return self._concrete.outputs

    def _flat_outputs(self, outputs: Any) -> list:
        if isinstance(outputs, dict):
            return [outputs[k] for k in sorted(outputs, key=str)]
        return nest.flatten(outputs)

    def __call__(self, *args: Any, **kwargs: Any) -> dict:
        """Runs the signature.

        Raises:
            TypeError: positional arguments, or missing or unexpected keyword arguments.
            ValueError: an input whose dtype or shape does not fit.
        """
        _check_eager(f"calling the signature {self.name!r}")
        summary = f"signature_wrapper_{self.name}({', '.join(self._input_names)})"
        if args:
            raise TypeError(f"{summary} takes keyword arguments only, got {len(args)} positional argument(s).")
        missing = [n for n in self._input_names if n not in kwargs]
        if missing:
            raise TypeError(f"{summary} missing required arguments: {', '.join(missing)}.")
        unexpected = [k for k in kwargs if k not in self._input_names]
        if unexpected:
            raise TypeError(f"{summary} got unexpected keyword arguments: {', '.join(unexpected)}.")
        tensors = []
        for name, spec in zip(self._input_names, self._concrete.structured_input_signature):
            tensor = convert_to_tensor(kwargs[name], dtype=spec.dtype)
            if not spec.shape.is_compatible_with(tensor.shape):
                raise ValueError(f"{summary}: input {name!r} of shape {tensor.shape} is not compatible with the "
                                 f"signature's shape {spec.shape}.")
            tensors.append(tensor)
        outputs = self._flat_outputs(self._concrete._call_flat(tensors))
        return dict(zip(self._output_names, outputs))

    def __repr__(self) -> str:
        return f"<ConcreteFunction signature_wrapper_{self.name}({', '.join(self._input_names)}) at {hex(id(self))}>"


class _SignatureMap(Mapping):
    """``{signature name: SignatureFunction}`` (read-only)."""

    def __init__(self, signatures: dict) -> None:
        self._signatures = dict(signatures)

    def __getitem__(self, key: str) -> SignatureFunction:
        return self._signatures[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._signatures)

    def __len__(self) -> int:
        return len(self._signatures)

    def __repr__(self) -> str:
        return f"_SignatureMap({self._signatures})"


def contains_saved_model(export_dir: str) -> bool:
    """Whether ``export_dir`` holds an ndflow SavedModel."""
    return os.path.isfile(os.path.join(os.fspath(export_dir), SAVED_MODEL_FILENAME))


def _read_manifest(export_dir: str) -> dict:
    path = os.path.join(export_dir, SAVED_MODEL_FILENAME)
    if not os.path.isfile(path):
        raise OSError(f"SavedModel file does not exist at: {path}")
    with open(path, "rb") as f:
        manifest = json.loads(f.read().decode())
    if manifest.get("format") != FORMAT_NAME:
        raise ValueError(f"{path} is not an ndflow SavedModel")
    if manifest.get("version", 0) > FORMAT_VERSION:
        raise ValueError(f"{path} has SavedModel format version {manifest['version']}; this ndflow reads up to "
                         f"version {FORMAT_VERSION}")
    return manifest


def _new_variable(spec: dict, value: Any) -> Variable:
    return Variable(value, trainable=spec["trainable"], name=spec["name"], dtype=spec["dtype"],
                    shape=TensorShape(spec["shape"]))


def load(export_dir: str, tags: Any = None, options: LoadOptions | None = None) -> Module:
    """Loads a SavedModel written by ``saved_model.save``.

    Returns:
        The restored root object: its saved attributes, ``variables``, ``trainable_variables`` and ``signatures``.

    Raises:
        OSError: no SavedModel in ``export_dir``.
        NotImplementedError: called while building a graph.
    """
    _check_eager("loading a SavedModel")
    export_dir = os.fspath(export_dir)
    manifest = _read_manifest(export_dir)
    checkpoint = checkpoint_format.CheckpointFile(os.path.join(export_dir, VARIABLES_DIRECTORY, VARIABLES_FILENAME))
    variables = [_new_variable(spec, checkpoint.read(spec["key"])) for spec in manifest["variables"]]
    concretes = [deserialize_concrete_function(data, variables) for data in manifest["concrete_functions"]]

    nodes = manifest["objects"]
    built: dict[int, Any] = {}

    def build(node: int) -> Any:
        if node in built:
            return built[node]
        entry = nodes[node]
        kind = entry["kind"]
        if kind == "variable":
            built[node] = variables[entry["variable"]]
        elif kind == "tuple":
            items = _indexed((c["name"], build(c["node_id"])) for c in entry["children"])
            built[node] = tuple(items)
        elif kind == "list":
            built[node] = items = []
            items.extend(_indexed((c["name"], build(c["node_id"])) for c in entry["children"]))
        elif kind == "dict":
            built[node] = mapping = {}
            mapping.update((c["name"], build(c["node_id"])) for c in entry["children"])
        else:
            built[node] = obj = _UserObject()
            for child in entry["children"]:
                _set_attribute(obj, child["name"], build(child["node_id"]))
            for name, indices in entry.get("functions", {}).items():
                _set_attribute(obj, name, RestoredFunction(name, [concretes[i] for i in indices]))
        return built[node]

    root = build(0)
    if isinstance(root, _UserObject):
        signatures = {name: SignatureFunction(name, concretes[s["function"]], s["inputs"], s["outputs"])
                      for name, s in manifest["signatures"].items()}
        object.__setattr__(root, "signatures", _SignatureMap(signatures))
    return root


def _indexed(items: Any) -> list:
    """A list from ``(index as str, value)`` pairs; indices of unsaved (non-trackable) items hold None."""
    out: list = []
    for name, value in items:
        index = int(name)
        out.extend([None] * (index + 1 - len(out)))
        out[index] = value
    return out


def _set_attribute(obj: Any, name: str, value: Any) -> None:
    """Sets a restored attribute, unless it would hide a ``Module`` property (``variables`` …)."""
    if hasattr(type(obj), name):
        return
    object.__setattr__(obj, name, value)
