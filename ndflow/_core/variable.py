"""``Variable``: mutable state that tapes watch when read."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes, graph_variables
from .context import current_device, state
from .shape import TensorShape
from .tensor import EagerTensor, Tensor, ValueProtocols, _numpy_text, convert_to_tensor

__all__ = ["Variable", "VariableSynchronization", "VariableAggregation"]


class VariableSynchronization:
    AUTO, NONE, ON_WRITE, ON_READ = 0, 1, 2, 3


class VariableAggregation:
    NONE, SUM, MEAN, ONLY_FIRST_REPLICA = 0, 1, 2, 3


class _Reference:
    """A hashable handle on a tensor or variable (``x.ref()``)."""

    __slots__ = ("_obj",)

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    def deref(self) -> Any:
        return self._obj

    def __hash__(self) -> int:
        return id(self._obj)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, _Reference) and other._obj is self._obj


class Variable(ValueProtocols):
    """A mutable tensor-valued state (TF's ``tf.Variable``).

    Args:
        initial_value: a tensor-like value, or a callable returning one.
        trainable: watched automatically by tapes; defaults to True.
        name: the variable's name (``"Variable"`` by default); ``.name`` adds ``":0"``.
        dtype: converts ``initial_value`` to this dtype.
        shape: the static shape; ``None`` dims allow assigning values of other shapes.
        constraint: a function applied by optimizers after each update.

    Raises:
        ValueError: no initial value.
    """

    _is_variable = True
    _is_tensor_like = True
    __array_priority__ = 100
    _created_count = 0
    # Whether tensors may alias ``_value`` (reads hand it out without copying): updates then build a new
    # array instead of writing in place, so reads stay immutable snapshots.
    _value_shared = True

    def __init__(self, initial_value: Any = None, trainable: bool | None = None, validate_shape: bool = True,
                 caching_device: Any = None, name: str | None = None, variable_def: Any = None,
                 dtype: Any = None, import_scope: Any = None, constraint: Any = None,
                 synchronization: int = VariableSynchronization.AUTO,
                 aggregation: int = VariableAggregation.NONE, shape: Any = None,
                 experimental_enable_variable_lifting: bool = True) -> None:
        if initial_value is None:
            raise ValueError("The `initial_value` arg (None) must be specified.")
        if callable(initial_value):
            initial_value = initial_value()
        Variable._created_count += 1
        self._graph = None
        graph = state.graph
        if graph is not None and not getattr(graph, "_lifts_variables", False):
            self._init_in_graph(initial_value, trainable, name, dtype, shape, constraint)
            return
        if graph is not None:
            # created while tracing a function: lift the variable out (it lives eagerly, like TF's)
            initial_value = graph_variables.evaluate_outside(graph, initial_value)
            state.graph = None
            try:
                self._init_eager(initial_value, trainable, name, dtype, shape, constraint, synchronization,
                                 aggregation)
            finally:
                state.graph = graph
            return
        self._init_eager(initial_value, trainable, name, dtype, shape, constraint, synchronization, aggregation)

    def _init_eager(self, initial_value: Any, trainable: Any, name: Any, dtype: Any, shape: Any,
                    constraint: Any, synchronization: int, aggregation: int) -> None:
        init = convert_to_tensor(initial_value, dtype=dtype) if dtype is not None and not isinstance(
            initial_value, Tensor) else convert_to_tensor(initial_value)
        if dtype is not None and init.dtype != dtypes.as_dtype(dtype):
            from .ops.math_ops import cast

            init = cast(init, dtype)
        self._dtype = init.dtype
        self._value = np.array(init.numpy(), copy=True)
        self._value_shared = False
        self._shape = TensorShape(self._value.shape) if shape is None else TensorShape(shape)
        if not self._shape.is_compatible_with(self._value.shape):
            raise ValueError(f"The initial value's shape ({list(self._value.shape)}) is not compatible with "
                             f"the explicitly supplied `shape` argument ({self._shape}).")
        self._trainable = True if trainable is None else bool(trainable)
        if synchronization == VariableSynchronization.ON_READ and trainable is None:
            self._trainable = False
        self._name = _scoped(name or "Variable")
        self._constraint = constraint
        self._synchronization = synchronization
        self._aggregation = aggregation

    # -- properties --------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return f"{self._name}:0"

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        if self._value is None or not self._shape.is_fully_defined():
            return self._shape
        return TensorShape(self._value.shape)

    @property
    def ndim(self) -> int:
        return self._shape.rank

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def constraint(self) -> Any:
        return self._constraint

    @property
    def device(self) -> str:
        return current_device()

    @property
    def synchronization(self) -> int:
        return self._synchronization

    @property
    def aggregation(self) -> int:
        return self._aggregation

    def get_shape(self) -> TensorShape:
        return self.shape

    # -- reading -----------------------------------------------------------------------------------------
    def _read(self) -> Tensor:
        graph = state.graph
        if graph is not None:
            value = graph_variables.read(self, graph)
        else:
            if self._value is None:
                raise graph_variables.uninitialized(self)
            value = EagerTensor(self._value, self._dtype)
            self._value_shared = True
        for tape in state.tapes:
            tape._record_variable_read(self, value)
        return value

    def _graph_element(self) -> Tensor:
        return graph_variables.read(self, self._graph or state.graph)

    def _init_in_graph(self, initial_value: Any, trainable: Any, name: Any, dtype: Any, shape: Any,
                       constraint: Any) -> None:
        graph_variables.init_in_graph(self, initial_value, trainable, name, dtype, shape, constraint)

    @property
    def initializer(self) -> Any:
        """The op that assigns the initial value (graph mode)."""
        return self._initializer_op

    @property
    def initial_value(self) -> Tensor:
        return self._initial_value

    def initialized_value(self) -> Tensor:
        """The value after initialisation (in a graph: the initial-value tensor, usable before the initializer
        has run, e.g. to initialise other variables)."""
        if self._graph is not None:
            return self._initial_value
        return self.read_value()

    @property
    def graph(self) -> Any:
        return self._graph

    @property
    def op(self) -> Any:
        return self._snapshot.op if self._graph is not None else None

    def eval(self, session: Any = None) -> Any:
        """The value in ``session`` (graph mode)."""
        return self._graph_element().eval(session=session)

    def load(self, value: Any, session: Any = None) -> None:
        """Assigns ``value`` in ``session`` (the default session) without adding ops (TF1)."""
        from .session import _session_for

        _session_for(session)._variable_values[id(self)] = np.array(value, dtype=self._dtype._np)

    def _as_tensor(self, dtype: Any = None) -> Tensor:
        if dtype is not None and dtype != self._dtype:
            raise ValueError(f"Incompatible type conversion requested to type '{dtypes.as_dtype(dtype).name}' "
                             f"for variable of type '{self._dtype.name}' (Variable: {self!r})")
        return self._read()

    def value(self) -> Tensor:
        return self._read()

    def read_value(self) -> Tensor:
        """The current value; in a graph, a new read op that honours enclosing control dependencies."""
        graph = state.graph
        if graph is not None:
            value = graph_variables.fresh_read(self, graph)
            for tape in state.tapes:
                tape._record_variable_read(self, value)
            return value
        return self._read()

    def numpy(self) -> Any:
        return self._value.copy() if self._value.ndim else self._value[()]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        self._value_shared = True  # ``np.asarray(variable)`` may hand out the variable's own array
        return super().__array__(dtype, copy)

    def ref(self) -> _Reference:
        return _Reference(self)

    experimental_ref = ref

    # -- writing -----------------------------------------------------------------------------------------
    def _converted(self, value: Any) -> np.ndarray:
        t = convert_to_tensor(value, dtype=self._dtype) if not isinstance(value, Tensor) else value
        if t.dtype is not self._dtype:
            raise TypeError(f"Cannot assign a {t.dtype.name} value to variable '{self.name}' of dtype "
                            f"{self._dtype.name}.")
        return t.numpy()

    def assign(self, value: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Any:
        """Replaces the value.

        Raises:
            ValueError: a value whose shape does not fit the variable's.
        """
        if state.graph is not None:
            return graph_variables.assign(self, value, "assign")
        new = np.asarray(self._converted(value))
        if not self._shape.is_compatible_with(new.shape):
            raise ValueError(f"Cannot assign value to variable ' {self.name}': Shape mismatch.The variable "
                             f"shape {self._shape}, and the assigned value shape {TensorShape(new.shape)} are "
                             "incompatible.")
        self._value = np.array(new, dtype=self._dtype._np, copy=True)
        self._value_shared = False
        return self if read_value else None

    def assign_add(self, delta: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Any:
        """Adds ``delta`` in place (broadcasting is not allowed to change the shape)."""
        if state.graph is not None:
            return graph_variables.assign(self, delta, "add")
        return self._update(np.add, delta, read_value)

    def assign_sub(self, delta: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Any:
        """Subtracts ``delta`` in place."""
        if state.graph is not None:
            return graph_variables.assign(self, delta, "sub")
        return self._update(np.subtract, delta, read_value)

    def _update(self, ufunc: np.ufunc, delta: Any, read_value: bool) -> Any:
        """``value = ufunc(value, delta)``: in the variable's own buffer when no tensor aliases it, else into
        a new one (one array either way)."""
        delta = np.asarray(self._converted(delta))
        value = self._value
        if np.broadcast_shapes(value.shape, delta.shape) != value.shape:
            return self.assign(ufunc(value, delta), read_value=read_value)  # raises the shape error
        if self._value_shared:
            self._value = np.asarray(ufunc(value, delta))  # a 0-d ufunc result is a NumPy scalar
            self._value_shared = False
        else:
            ufunc(value, delta, out=value)
        return self if read_value else None

    def _scatter_nd(self, indices: Any, updates: Any, how: str) -> Variable:
        from .ops import indexing_ops

        new = getattr(indexing_ops, f"tensor_scatter_nd_{how}")(self._read(), indices, updates)
        if state.graph is not None:
            return self.assign(new)
        self._value = np.array(new.numpy(), copy=True)
        return self

    def _scatter(self, sparse_delta: Any, how: str) -> Variable:
        """Applies ``IndexedSlices`` rows to the variable's rows (``scatter_add`` and friends)."""
        from .indexed_slices import IndexedSlices
        from .ops.array_ops import expand_dims

        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"sparse_delta is not IndexedSlices: {sparse_delta}")
        return self._scatter_nd(expand_dims(sparse_delta.indices, -1), sparse_delta.values, how)

    def scatter_update(self, sparse_delta: Any, use_locking: bool = False, name: Any = None) -> Variable:
        """Writes ``sparse_delta.values`` into the rows ``sparse_delta.indices``."""
        return self._scatter(sparse_delta, "update")

    def scatter_add(self, sparse_delta: Any, use_locking: bool = False, name: Any = None) -> Variable:
        """Adds ``IndexedSlices`` rows (repeated rows add up)."""
        return self._scatter(sparse_delta, "add")

    def scatter_sub(self, sparse_delta: Any, use_locking: bool = False, name: Any = None) -> Variable:
        """Subtracts ``IndexedSlices`` rows."""
        return self._scatter(sparse_delta, "sub")

    def scatter_max(self, sparse_delta: Any, use_locking: bool = False, name: Any = None) -> Variable:
        """Elementwise maximum of the rows with ``IndexedSlices`` rows."""
        return self._scatter(sparse_delta, "max")

    def scatter_min(self, sparse_delta: Any, use_locking: bool = False, name: Any = None) -> Variable:
        """Elementwise minimum of the rows with ``IndexedSlices`` rows."""
        return self._scatter(sparse_delta, "min")

    def scatter_nd_update(self, indices: Any, updates: Any, name: Any = None) -> Variable:
        return self._scatter_nd(indices, updates, "update")

    def scatter_nd_add(self, indices: Any, updates: Any, name: Any = None) -> Variable:
        return self._scatter_nd(indices, updates, "add")

    def scatter_nd_sub(self, indices: Any, updates: Any, name: Any = None) -> Variable:
        return self._scatter_nd(indices, updates, "sub")

    def scatter_nd_max(self, indices: Any, updates: Any, name: Any = None) -> Variable:
        return self._scatter_nd(indices, updates, "max")

    def scatter_nd_min(self, indices: Any, updates: Any, name: Any = None) -> Variable:
        return self._scatter_nd(indices, updates, "min")

    def _getitem(self, key: Any) -> Tensor:
        from .ops.array_ops import Identity, slice_helper

        result = slice_helper(self._read(), key)
        if not isinstance(result, EagerTensor):
            return result
        sliced = _SlicedVariable(result._value, result._dtype, self, key)
        for tape in state.tapes:
            tape._record(Identity, (result,), {}, (sliced,))
        return sliced

    def _assign_slice(self, key: Any, value: Any) -> Variable:
        new = self._value.copy()
        from .ops.array_ops import normalize_index

        new[normalize_index(key, new.shape)] = self._converted(value)
        self._value = new
        return self

    # -- misc --------------------------------------------------------------------------------------------
    def __repr__(self) -> str:
        if self._graph is not None:
            return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self._dtype.name}_ref>"
        return (f"<tf.Variable '{self.name}' shape={self.shape} dtype={self._dtype.name}, "
                f"numpy={_numpy_text(self._value, is_repr=True)}>")

    __str__ = __repr__

    def __hash__(self) -> int:
        raise TypeError(f"Variable is unhashable. Instead, use variable.ref() as the key. (Variable: {self!r})")

    def __len__(self) -> int:
        return len(self._value)

    def __iter__(self):
        return iter(self._read())

    def __deepcopy__(self, memo: dict) -> Variable:
        return Variable(self._value.copy(), trainable=self._trainable, name=self._name, dtype=self._dtype,
                        shape=self._shape, constraint=self._constraint)

    def __reduce__(self):
        return _rebuild_variable, (self._value, self._trainable, self._name, self._dtype.name)


def _rebuild_variable(value: np.ndarray, trainable: bool, name: str, dtype: str) -> Variable:
    return Variable(value, trainable=trainable, name=name, dtype=dtype)


class _SlicedVariable(EagerTensor):
    """The result of ``variable[key]``: a tensor that can also ``assign`` into that slice."""

    __slots__ = ("_variable", "_key")

    def __init__(self, value: Any, dtype: dtypes.DType, variable: Variable, key: Any) -> None:
        super().__init__(value, dtype)
        self._variable = variable
        self._key = key

    def assign(self, value: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Any:
        return self._variable._assign_slice(self._key, value)


def _scoped(name: str) -> str:
    scopes = state.name_scopes
    name = name[:-2] if name.endswith(":0") else name
    return "/".join([*scopes, name]) if scopes else name
