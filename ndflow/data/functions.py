"""Functions given to transformations (``map``, ``filter``, ``flat_map`` …), prepared once per input spec.

Like TF, the function is traced at construction (AutoGraph on): its Python side effects happen then, and the
element spec of its results is known before iterating. A tuple element is unpacked into positional arguments
(a namedtuple or dict is passed whole), and a list it returns becomes a tuple.

Functions on tensors that return tensors then run as the traced graph for each element. Functions that take or
return datasets or composite tensors (``flat_map``'s, ``window`` elements …) are traced only to learn their
result spec, and are called as plain Python (eagerly) for each element.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

import numpy as np

from .._core import nest
from .._core.context import state
from .._core.function import FuncGraph, Function
from .._core.graph import GraphTensor, placeholder
from .._core.tensor import convert_to_tensor
from .._core.tensor_spec import TensorSpec
from .structure import DatasetSpec, eager_scope, is_dataset, leaves_of, make_packer, spec_of, to_leaf

__all__ = ["StructuredFunction", "symbolic_result"]


class StructuredFunction:
    """``func`` applied to elements of ``input_spec``; calling it maps input leaves to output leaves.

    Args:
        func: the user's function.
        input_spec: the element spec it receives.
        what: names the function in errors (``"map_func"`` …).

    Attributes:
        output_spec: the spec of what it returns.
        traced: True when it runs as a traced graph (False: called eagerly per element).
    """

    def __init__(self, func: Callable, input_spec: Any, what: str) -> None:
        if not callable(func):
            raise TypeError(f"`{what}` must be callable, got {func!r}.")
        self._func = func
        self._what = what
        self.input_spec = input_spec
        self._unpack = type(input_spec) is tuple
        self._input_leaves = nest.flatten(input_spec)
        self._pack_inputs = make_packer(input_spec)
        self._converted: Callable = Function(func)._function_to_trace()
        self._plan = None
        self.output_spec = self._trace()
        self.traced = self._plan is not None

    # -- tracing -----------------------------------------------------------------------------------------------
    def _call_user(self, fn: Callable, *flat_inputs: Any) -> Any:
        args = nest.pack_sequence_as(self.input_spec, list(flat_inputs))
        result = fn(*args) if self._unpack else fn(args)
        return _normalize_output(result)

    def _trace(self) -> Any:
        outer = state.graph
        if isinstance(outer, FuncGraph):
            # built while an enclosing dataset function is traced for its spec: only this spec matters, and
            # tracing into the enclosing graph lets the function capture that function's arguments
            return self._trace_in(outer)
        if all(isinstance(s, TensorSpec) for s in self._input_leaves):
            try:
                concrete = Function(lambda *xs: self._call_user(self._converted, *xs), autograph=False,
                                    name=self._what).get_concrete_function(*self._input_leaves)
            except NotImplementedError as exc:
                if not str(exc).endswith("not supported yet"):
                    raise
                return self._probe(exc)
            outputs = concrete.structured_outputs
            flat = nest.flatten(outputs)
            if flat and all(isinstance(o, GraphTensor) for o in flat):
                self._plan = concrete._plan
                return nest.map_structure(spec_of, outputs)
            return _result_spec(outputs, self._what)
        return self._trace_in(FuncGraph(self._what))

    def _trace_in(self, graph: FuncGraph) -> Any:
        """The result spec of the function called on symbolic values in ``graph``."""
        with graph.as_default():
            symbolic = [_symbolic_value(s) for s in self._input_leaves]
            outputs = self._call_user(self._converted, *symbolic)
        return _result_spec(outputs, self._what)

    def _probe(self, error: Exception) -> Any:
        """The result spec of a function that cannot be traced, from two eager calls on stand-in values.

        Dimensions the input spec leaves unknown are 1 in the first call and 2 in the second; result dimensions
        that differ between the calls are unknown.
        """
        if any(s.shape.rank is None for s in self._input_leaves):
            raise error
        specs = []
        for fill in (1, 2):
            leaves = tuple(np.zeros([fill if d is None else d for d in s.shape.as_list()], s.dtype.as_numpy_dtype)
                           if s.dtype.name != "string" else np.full([fill if d is None else d for d in s.shape],
                                                                    b"", object) for s in self._input_leaves)
            with eager_scope():
                result = self._call_user(self._func, *self._pack_inputs(leaves))
            specs.append(nest.map_structure(lambda v: spec_of(to_leaf(v)), result))
        return nest.map_structure(_relaxed, specs[0], specs[1])

    # -- calling -----------------------------------------------------------------------------------------------
    def __call__(self, leaves: tuple) -> tuple:
        """The output leaves for one element's input leaves."""
        if self._plan is not None:
            return tuple(self._plan.run(list(leaves)))
        with eager_scope():
            result = self._call_user(self._func, *nest.flatten(self._pack_inputs(leaves)))
        return leaves_of(result, self.output_spec, f"`{self._what}` returned")

    def __repr__(self) -> str:
        return f"<StructuredFunction {self._what} {getattr(self._func, '__name__', self._func)!r}>"


def _normalize_output(result: Any) -> Any:
    if isinstance(result, list):
        result = tuple(result)
    return _normalize_nested(result)


def _normalize_nested(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _normalize_nested(v) for k, v in value.items()} if type(value) is dict else \
            type(value)((k, _normalize_nested(v)) for k, v in value.items())
    if isinstance(value, tuple):
        items = [_normalize_nested(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, list):
        return convert_to_tensor(value)
    return value


def symbolic_result(spec: Any) -> Any:
    """Stand-ins for a value of ``spec`` while a function is traced for its spec (``reduce`` of a window …)."""
    return nest.map_structure(_symbolic_value, spec)


def _symbolic_value(spec: Any) -> Any:
    if isinstance(spec, TensorSpec):
        return placeholder(spec.dtype, spec.shape)
    if isinstance(spec, DatasetSpec):
        from .dataset import SymbolicDataset

        return SymbolicDataset(spec.element_spec)
    if getattr(spec, "_is_type_spec", False):
        return spec._from_components([placeholder(c.dtype, c.shape) for c in spec._component_specs])
    raise TypeError(f"Cannot trace a dataset function over {spec!r}.")


def _result_spec(outputs: Any, what: str) -> Any:
    if outputs is None:
        raise TypeError(f"The `{what}` function returned None; it must return a tensor, a dataset or a "
                        "structure of them.")

    def leaf_spec(value: Any) -> Any:
        if value is None:
            raise TypeError(f"The `{what}` function returned None inside {outputs}.")
        if isinstance(value, GraphTensor) or is_dataset(value) or getattr(value, "_is_composite", False):
            return spec_of(value)
        return spec_of(to_leaf(value))

    return nest.map_structure(leaf_spec, outputs)


def _relaxed(a: Any, b: Any) -> Any:
    if isinstance(a, TensorSpec) and isinstance(b, TensorSpec):
        return a.most_specific_compatible_type(b)
    return a
