"""Graphs: ``Graph``, ``Operation`` and symbolic ``GraphTensor``, built from the same op table as eager mode.

While a graph is the current one (``state.graph``), ``execute`` hands every op to ``Graph.create_op``,
which infers static output shapes and dtypes and returns symbolic tensors. ``executor.py`` runs them.
"""
from __future__ import annotations

import contextlib
import re
from typing import Any, Iterator

import numpy as np

from . import dtypes
from .context import state
from .errors import OperatorNotAllowedInGraphError
from .op import OpDef, register
from .shape import TensorShape
from .tensor import EagerTensor, Tensor

__all__ = ["Graph", "Operation", "GraphTensor", "get_default_graph", "reset_default_graph", "name_scope",
           "placeholder", "control_dependencies", "merge_static_shapes"]


class GraphTensor(Tensor):
    """A symbolic tensor: output ``value_index`` of ``op``, with a static (possibly partial) shape."""

    __slots__ = ("_op", "_index", "_shape", "_dtype", "_keras_mask", "_keras_logits")

    def __init__(self, op: Operation, index: int, shape: TensorShape, dtype: dtypes.DType) -> None:
        self._op = op
        self._index = index
        self._shape = shape
        self._dtype = dtype

    @property
    def op(self) -> Operation:
        return self._op

    @property
    def value_index(self) -> int:
        return self._index

    @property
    def graph(self) -> Graph:
        return self._op.graph

    @property
    def name(self) -> str:
        return f"{self._op.name}:{self._index}"

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def ndim(self) -> int | None:
        return self._shape.rank

    @property
    def device(self) -> str:
        return self._op.device

    def _shape_tuple(self) -> tuple | None:
        dims = self._shape.dims
        return None if dims is None else tuple(dims)

    def set_shape(self, shape: Any) -> None:
        """Narrows the static shape.

        Raises:
            ValueError: ``shape`` is incompatible with what is known.
        """
        self._shape = merge_static_shapes(self._shape, TensorShape(shape))

    def consumers(self) -> list[Operation]:
        return [op for op in self._op.graph.get_operations() if any(t is self for t in op.inputs)]

    def eval(self, feed_dict: dict | None = None, session: Any = None) -> Any:
        """Runs this tensor in ``session`` (the default session when None)."""
        from .session import _session_for

        return _session_for(session).run(self, feed_dict=feed_dict)

    def numpy(self) -> Any:
        raise NotImplementedError("numpy() is only available when eager execution is enabled.")

    def __bool__(self) -> bool:
        raise OperatorNotAllowedInGraphError(
            "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed. You can attempt the following "
            "resolutions to the problem: If you are running in Graph mode, use Eager execution mode or "
            "decorate this function with @tf.function.")

    def __iter__(self) -> Iterator:
        if self._shape.rank is None or self._shape.rank == 0 or self._shape[0] is None:
            raise OperatorNotAllowedInGraphError(
                "Iterating over a symbolic `tf.Tensor` is not allowed. You can attempt the following "
                "resolutions to the problem: If you are running in Graph mode, use Eager execution mode or "
                "decorate this function with @tf.function.")
        return super().__iter__()

    def __index__(self) -> int:
        raise TypeError("A symbolic tensor cannot be used as a Python index.")

    # TF1 graphs use tensors as dict keys (feed_dict), so graph tensors hash and compare by identity;
    # inside traced functions ``==`` stays elementwise, as in TF2.
    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: Any) -> Any:
        if self._op.graph._elementwise_equality:
            return Tensor.__eq__(self, other)
        return self is other

    def __ne__(self, other: Any) -> Any:
        if self._op.graph._elementwise_equality:
            return Tensor.__ne__(self, other)
        return self is not other

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self) -> str:
        shape = "" if self._shape.rank is None else f"shape={self._shape}, "
        return f'Tensor("{self.name}", {shape}dtype={self._dtype.name})'


class Operation:
    """A node of a graph: an op-table entry applied to input tensors with attributes."""

    def __init__(self, graph: Graph, opdef: OpDef, name: str, inputs: tuple, attrs: dict,
                 control_inputs: list, device: str) -> None:
        self.graph = graph
        self.opdef = opdef
        self.name = name
        self.inputs = inputs
        self.attrs = attrs
        self.control_inputs = list(control_inputs)
        self.device = device
        self.outputs: tuple = ()
        self._id = len(graph._ops)

    @property
    def type(self) -> str:
        return self.opdef.name

    def values(self) -> tuple:
        return self.outputs

    def get_attr(self, name: str) -> Any:
        """The attribute ``name``.

        Raises:
            ValueError: no such attribute.
        """
        if name not in self.attrs:
            raise ValueError(f"Operation '{self.name}' has no attr named '{name}'.")
        return self.attrs[name]

    def run(self, feed_dict: dict | None = None, session: Any = None) -> None:
        """Runs this op in ``session`` (the default session when None)."""
        from .session import _session_for

        _session_for(session).run(self, feed_dict=feed_dict)

    def _add_control_input(self, op: Operation) -> None:
        self.control_inputs.append(op)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"

    @property
    def node_def(self) -> dict:
        return _node_def(self)


# ---------------------------------------------------------------------------------------------------------
# Source ops: constants and placeholders

Const = register("Const", lambda xp, *, value: value)


def _placeholder_forward(xp, *, dtype, shape):
    from .errors import InvalidArgumentError

    raise InvalidArgumentError(
        None, None, f"You must feed a value for placeholder tensor with dtype {dtypes.from_numpy(dtype).name}"
                    f" and shape {shape}")


Placeholder = register("Placeholder", _placeholder_forward, stateful=True)


def _placeholder_with_default_forward(xp, value, *, shape):
    return value


PlaceholderWithDefault = register("PlaceholderWithDefault", _placeholder_with_default_forward,
                                  grad=lambda entry, dy: (dy,))
NoOp = register("NoOp", lambda xp: (), num_outputs=0)


# Node names TF's Python API gives by default (``x + y`` → ``add``, ``add_1`` …), by op type.
DEFAULT_NAMES = {
    "AddV2": "add", "Sub": "sub", "Mul": "mul", "RealDiv": "truediv", "TrueDiv": "truediv",
    "FloorDiv": "floordiv", "FloorMod": "mod", "Pow": "pow", "Neg": "Neg", "BatchMatMulV2": "MatMul",
    "StridedSlice": "strided_slice", "DynamicStridedSlice": "strided_slice", "Sum": "Sum", "Mean": "Mean",
    "Transpose": "transpose", "ConcatV2": "concat", "Pack": "stack", "ZerosLike": "zeros_like",
    "OneHot": "one_hot", "Range": "range",
}


# ---------------------------------------------------------------------------------------------------------
# Graph


class Graph:
    """A dataflow graph of ``Operation``s (TF's ``tf.Graph``)."""

    def __init__(self) -> None:
        self._ops: list[Operation] = []
        self._by_name: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}
        self._name_stack: list[str] = []
        self._control_stack: list[list[Operation]] = []
        self._collections: dict[str, list] = {}
        self._finalized = False
        self._plans: dict = {}
        self.seed: int | None = None
        self.outer_graph: Graph | None = None
        # TF2 semantics (``==`` elementwise) inside traced functions and their nested graphs
        self._elementwise_equality = False
        self._captures: dict[int, tuple] = {}
        self._capture_watchers: list = []

    # -- names -------------------------------------------------------------------------------------------
    def get_name_scope(self) -> str:
        return "/".join(self._name_stack)

    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """``name`` inside the current name scope, suffixed ``_1``, ``_2`` … if taken."""
        scope = self.get_name_scope()
        full = f"{scope}/{name}" if scope else name
        key = full.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count > 0:
            base = full
            while True:
                candidate = f"{base}_{count}"
                if candidate.lower() not in self._names_in_use:
                    break
                count += 1
            if mark_as_used:
                self._names_in_use[candidate.lower()] = 1
            return candidate
        return full

    @contextlib.contextmanager
    def name_scope(self, name: str | None):
        """Prefixes op names created inside with ``name/`` (made unique like op names)."""
        if name is None or name == "":
            saved = self._name_stack
            self._name_stack = []
            try:
                yield ""
            finally:
                self._name_stack = saved
            return
        if name.endswith("/"):
            scope = name[:-1]
            saved = self._name_stack
            self._name_stack = scope.split("/") if scope else []
        else:
            scope = self.unique_name(name)
            saved = self._name_stack
            self._name_stack = scope.split("/")
        try:
            yield scope + "/"
        finally:
            self._name_stack = saved

    # -- building ----------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self):
        """Makes this the graph new ops are added to."""
        previous = state.graph
        state.graph = self
        try:
            yield self
        finally:
            state.graph = previous

    def _check_not_finalized(self) -> None:
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    def capture(self, value: Any) -> GraphTensor:
        """Brings ``value`` into this graph: eager tensors become constants.

        Raises:
            ValueError: a tensor of another graph.
        """
        if isinstance(value, GraphTensor):
            if value.graph is self:
                return value
            if self._is_nested_in(value.graph):
                return self._capture_from_outer(value)
            raise ValueError(f"Tensor {value} must be from the same graph as the other inputs.")
        if isinstance(value, EagerTensor):
            return self.constant(value.numpy(), "Const")
        raise TypeError(f"Cannot use {value!r} as a graph tensor.")

    def _is_nested_in(self, other: Graph) -> bool:
        outer = self.outer_graph
        while outer is not None:
            if outer is other:
                return True
            outer = outer.outer_graph
        return False

    def _capture_from_outer(self, value: GraphTensor) -> GraphTensor:
        """A placeholder standing for an outer-graph tensor (fed by the op that runs this graph)."""
        outer_value = self.outer_graph.capture(value)
        known = self._captures.get(id(outer_value))
        if known is not None:
            return known[1]
        inner = placeholder_in(self, outer_value.dtype, outer_value.shape, "input")
        self._captures[id(outer_value)] = (outer_value, inner)
        for watcher in self._capture_watchers:
            watcher.watch(inner)
        return inner

    @property
    def captures(self) -> list[tuple]:
        """``(outer tensor, inner placeholder)`` pairs, in capture order."""
        return list(self._captures.values())

    def constant(self, value: Any, name: str = "Const") -> GraphTensor:
        arr = np.asarray(value)
        spec = (TensorShape(arr.shape), dtypes.from_numpy(arr.dtype))
        return self._add_op(Const, (), {"value": arr}, name, [spec]).outputs[0]

    def create_op(self, opdef: OpDef, inputs: tuple, attrs: dict, name: str | None = None) -> Any:
        """Adds ``opdef`` applied to ``inputs``; returns its output tensor(s)."""
        inputs = tuple(self.capture(t) for t in inputs)
        specs = infer_outputs(opdef, inputs, attrs)
        op = self._add_op(opdef, inputs, attrs, name or DEFAULT_NAMES.get(opdef.name, opdef.name), specs)
        if opdef.num_outputs == 1:
            return op.outputs[0]
        return op.outputs

    def _add_op(self, opdef: OpDef, inputs: tuple, attrs: dict, name: str, specs: list) -> Any:
        self._check_not_finalized()
        inputs = tuple(self.capture(t) for t in inputs)
        control = [c for frame in self._control_stack for c in frame]
        op = Operation(self, opdef, self.unique_name(name), inputs, dict(attrs), control,
                       state.devices[-1] if state.devices else "")
        op.outputs = tuple(GraphTensor(op, i, shape, dtype) for i, (shape, dtype) in enumerate(specs))
        self._ops.append(op)
        self._by_name[op.name] = op
        self._plans.clear()
        return op

    # -- lookup ------------------------------------------------------------------------------------------
    def get_operations(self) -> list[Operation]:
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        """The op called ``name``.

        Raises:
            KeyError: no such op.
        """
        if name not in self._by_name:
            raise KeyError(f"The name {name!r} refers to an Operation not in the graph.")
        return self._by_name[name]

    def get_tensor_by_name(self, name: str) -> GraphTensor:
        """The tensor called ``op_name:index``.

        Raises:
            ValueError: a name without ``:index``.
            KeyError: no such tensor.
        """
        match = re.fullmatch(r"(.+):(\d+)", name)
        if match is None:
            kind = "refers to an Operation, not a Tensor" if name in self._by_name else \
                "looks like an (invalid) Operation name, not a Tensor"
            raise ValueError(f"The name {name!r} {kind}. Tensor names must be of the form "
                             "\"<op_name>:<output_index>\".")
        op = self._by_name.get(match.group(1))
        index = int(match.group(2))
        if op is None or index >= len(op.outputs):
            raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. The operation, "
                           f"{match.group(1)!r}, does not exist in the graph.")
        return op.outputs[index]

    def as_graph_element(self, obj: Any) -> Any:
        if isinstance(obj, str):
            return self.get_tensor_by_name(obj) if ":" in obj else self.get_operation_by_name(obj)
        return obj

    # -- control and collections -------------------------------------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs: Any):
        """Ops created inside run after ``control_inputs`` (ops or tensors); None clears them."""
        if control_inputs is None:
            saved = self._control_stack
            self._control_stack = []
            try:
                yield
            finally:
                self._control_stack = saved
            return
        ops = [c.op if isinstance(c, GraphTensor) else c for c in control_inputs]
        self._control_stack.append(ops)
        try:
            yield
        finally:
            self._control_stack.pop()

    def add_to_collection(self, name: str, value: Any) -> None:
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names: Any, value: Any) -> None:
        for n in ([names] if isinstance(names, str) else names):
            self.add_to_collection(n, value)

    def get_collection(self, name: str, scope: str | None = None) -> list:
        items = list(self._collections.get(name, []))
        if scope is None:
            return items
        pattern = re.compile(scope)
        return [i for i in items if pattern.match(getattr(i, "name", ""))]

    def get_collection_ref(self, name: str) -> list:
        return self._collections.setdefault(name, [])

    def get_all_collection_keys(self) -> list[str]:
        return list(self._collections)

    def clear_collection(self, name: str) -> None:
        self._collections.pop(name, None)

    def finalize(self) -> None:
        self._finalized = True

    @property
    def finalized(self) -> bool:
        return self._finalized

    def as_graph_def(self, add_shapes: bool = False) -> dict:
        """A plain, serialisable description: ``{"node": [{"name", "op", "input", "attr", "device"}]}``."""
        return {"node": [_node_def(op) for op in self._ops], "versions": {"producer": 1}}

    @property
    def version(self) -> int:
        return len(self._ops)

    def __enter__(self) -> Graph:
        self._default_ctx = self.as_default()
        return self._default_ctx.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._default_ctx.__exit__(*exc)


def _node_def(op: Operation) -> dict:
    from .graph_def import node_def

    return node_def(op)


# ---------------------------------------------------------------------------------------------------------
# Static shape inference


def merge_static_shapes(first: TensorShape, second: TensorShape) -> TensorShape:
    """The most specific shape compatible with both, as TF's graph shape inference merges them.

    Raises:
        ValueError: incompatible ranks or dims (TF's shape-inference messages, naming the shapes in the order
            given).
    """
    if first.rank is None:
        return second
    if second.rank is None:
        return first
    if first.rank != second.rank:
        raise ValueError(f"Shapes must be equal rank, but are {first.rank} and {second.rank}")
    for i, (a, b) in enumerate(zip(first.dims, second.dims)):
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimension {i} in both shapes must be equal, but are {a} and {b}. Shapes are "
                             f"{_inference_text(first)} and {_inference_text(second)}.")
    return TensorShape([a if a is not None else b for a, b in zip(first.dims, second.dims)])


def _inference_text(shape: TensorShape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in shape.dims) + "]"


def infer_outputs(opdef: OpDef, inputs: tuple, attrs: dict) -> list:
    """Output ``(TensorShape, DType)`` specs: the op's rule, else probing the kernel on stand-in arrays.

    Probing runs the forward kernel twice with unknown dims set to 2 and then 3; output dims that differ
    between the runs are unknown. Ops whose kernel fails on stand-ins get unknown shapes and their first
    input's dtype.
    """
    if opdef.infer is not None:
        return list(opdef.infer(*[(t.shape, t.dtype) for t in inputs], **attrs))
    if any(t.shape.rank is None for t in inputs):
        return _unknown_specs(opdef, inputs)
    try:
        first = _probe(opdef, inputs, attrs, 2)
        second = _probe(opdef, inputs, attrs, 3) if any(not t.shape.is_fully_defined() for t in inputs) \
            else first
    except Exception:
        return _unknown_specs(opdef, inputs)
    specs = []
    for a, b in zip(first, second):
        dims = [d1 if d1 == d2 else None for d1, d2 in zip(a.shape, b.shape)] \
            if a.ndim == b.ndim else None
        specs.append((TensorShape(dims), dtypes.from_numpy(a.dtype)))
    return specs


def _probe(opdef: OpDef, inputs: tuple, attrs: dict, fill: int) -> list:
    from .backend import numpy_namespace as xp

    arrays = []
    for t in inputs:
        shape = tuple(fill if d is None else d for d in t.shape.as_list())
        if t.op.opdef is Const and t.shape.is_fully_defined():
            arrays.append(t.op.attrs["value"])
        elif t.dtype is dtypes.string:
            arrays.append(np.full(shape, b"", dtype=object))
        else:
            arrays.append(np.ones(shape, dtype=t.dtype.as_numpy_dtype))
    with np.errstate(all="ignore"):
        out = opdef.forward(xp, *arrays, **attrs)
    outs = [out] if opdef.num_outputs == 1 else list(out)
    return [np.asarray(o) for o in outs]


def _unknown_specs(opdef: OpDef, inputs: tuple) -> list:
    dtype = inputs[0].dtype if inputs else dtypes.float32
    n = opdef.num_outputs if opdef.num_outputs is not None else 1
    return [(TensorShape(None), dtype)] * n


# ---------------------------------------------------------------------------------------------------------
# The default graph (TF1 style) and public helpers

_default_graph: Graph | None = None


def get_default_graph() -> Graph:
    """The graph ops go to: the innermost ``as_default`` graph, else the global default graph."""
    global _default_graph
    if state.graph is not None:
        return state.graph
    if _default_graph is None:
        _default_graph = Graph()
    return _default_graph


def reset_default_graph() -> None:
    """Replaces the global default graph with an empty one.

    Raises:
        AssertionError: called inside a ``with graph.as_default()`` block (TF's rule).
    """
    global _default_graph
    if state.graph is not None and state.graph is not _default_graph:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you need a "
                             "cleared graph, exit the nesting and create a new graph.")
    new = Graph()
    if state.graph is _default_graph and _default_graph is not None:
        state.graph = new
    _default_graph = new


@contextlib.contextmanager
def name_scope(name: str | None, default_name: str | None = None, values: Any = None):
    """Name scope in the current graph; in eager mode it prefixes variable names only."""
    name = name if name is not None else default_name
    graph = state.graph
    if graph is not None:
        with graph.name_scope(name) as scope:
            yield scope
        return
    if not name:
        yield ""
        return
    state.name_scopes.append(name.rstrip("/"))
    try:
        yield "/".join(state.name_scopes) + "/"
    finally:
        state.name_scopes.pop()


def control_dependencies(control_inputs: Any):
    """``Graph.control_dependencies`` on the current graph; a no-op context when executing eagerly."""
    graph = state.graph
    if graph is None:
        return contextlib.nullcontext()
    return graph.control_dependencies(control_inputs)


def placeholder_in(graph: Graph, dtype: Any, shape: Any, name: str) -> GraphTensor:
    """A placeholder op added to ``graph``."""
    dtype = dtypes.as_dtype(dtype)
    shape = TensorShape(shape)
    return graph._add_op(Placeholder, (), {"dtype": dtype._np, "shape": shape}, name, [(shape, dtype)]).outputs[0]


def placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> GraphTensor:
    """A graph input that must be fed (TF1's ``tf.placeholder``).

    Raises:
        RuntimeError: called while executing eagerly.
    """
    graph = state.graph
    if graph is None:
        raise RuntimeError("tf.placeholder() is not compatible with eager execution.")
    return placeholder_in(graph, dtype, shape, name or "Placeholder")


def placeholder_with_default(input: Any, shape: Any, name: str | None = None) -> GraphTensor:
    """A graph input that takes ``input``'s value unless fed."""
    from .tensor import convert_to_tensor

    graph = state.graph
    if graph is None:
        return convert_to_tensor(input)
    value = graph.capture(convert_to_tensor(input)) if not isinstance(input, GraphTensor) else input
    shape = TensorShape(shape)
    op = graph._add_op(PlaceholderWithDefault, (value,), {"shape": shape}, name or "PlaceholderWithDefault",
                       [(shape, value.dtype)])
    return op.outputs[0]
