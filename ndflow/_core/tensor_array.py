"""``TensorArray``: a list of same-dtype tensors that loops can write to and read from.

Eagerly it is a Python list of tensors (as in TF 2): ``write`` stores in place, ``read`` with
``clear_after_read`` empties the slot (later reads and ``stack`` see zeros), and gradients flow through the
ordinary ops that read, stack and slice.

In a graph (inside ``ndflow.function``) it is a *flow*: a scalar ``variant`` tensor holding an immutable
``TensorList``. ``write`` returns a new TensorArray with a new flow (so ``ta = ta.write(i, x)`` is
required), and the list ops below carry gradients as lists too, which lets ``while_loop`` differentiate
through a loop that fills a TensorArray.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .composite_tensor import CompositeTensor, TypeSpec
from .context import state
from .errors import InvalidArgumentError, OutOfRangeError
from .export import export
from .op import register
from .ops._helpers import object_scalar
from .shape import TensorShape
from .tensor import EagerTensor, Tensor, convert_to_tensor
from .tensor_spec import TensorSpec

__all__ = ["TensorArray", "TensorArraySpec", "TensorList", "add_lists"]


class TensorList:
    """The immutable value inside a flow: one array (or None, meaning zeros) per element."""

    __slots__ = ("items",)
    _is_variant = True

    def __init__(self, items: Any) -> None:
        self.items = tuple(items)

    def __add__(self, other: Any) -> TensorList:
        other = _as_list(other)
        if other is None:
            return self
        n = max(len(self.items), len(other.items))
        mine = self.items + (None,) * (n - len(self.items))
        theirs = other.items + (None,) * (n - len(other.items))
        return TensorList(a if b is None else b if a is None else a + b for a, b in zip(mine, theirs))

    __radd__ = __add__

    def __repr__(self) -> str:
        return "<TensorList>"


def _as_list(value: Any) -> TensorList | None:
    """The TensorList in a variant value; None for a zero gradient (``zeros_like`` of a flow)."""
    if isinstance(value, np.ndarray) and value.dtype == object and value.ndim == 0:
        value = value[()]
    return value if isinstance(value, TensorList) else None


def _wrap(items: Any) -> np.ndarray:
    return object_scalar(items if isinstance(items, TensorList) else TensorList(items))


def _error(message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, message)


def _zeros_for(items: tuple, element_shape: tuple | None, dtype: Any, what: str) -> np.ndarray:
    """Zeros standing for an unwritten element: of ``element_shape``, else of a written element's shape."""
    if element_shape is None:
        written = [x for x in items if x is not None]
        if not written:
            raise _error(what)
        element_shape = written[0].shape
    return np.zeros(element_shape, dtype=dtype)


# ---------------------------------------------------------------------------------------------------------
# Kernels (``element_shape`` attrs are tuples when fully known, else None)


def _reserve_forward(xp, size):
    return _wrap([None] * int(size))


def _length_forward(xp, flow):
    return np.asarray(len(_as_list(flow).items), dtype=np.int32)


def _set_items_forward(xp, flow, indices, values, *, dynamic):
    items = list(_as_list(flow).items)
    for index, value in zip(indices.tolist(), values):
        if index < 0:
            raise _error(f"Writing to negative indices (index {index}) is not allowed.")
        if index >= len(items):
            if not dynamic:
                raise _error(f"Trying to modify element {index} in a list with {len(items)} elements.")
            items.extend([None] * (index + 1 - len(items)))
        items[index] = value
    return _wrap(items)


def _get_items_forward(xp, flow, indices, *, element_shape, dtype):
    items = _as_list(flow).items
    rows = []
    for index in indices.tolist():
        if not 0 <= index < len(items):
            raise _error(f"Trying to access element {index} in a list with {len(items)} elements.")
        item = items[index]
        rows.append(item if item is not None else _zeros_for(
            items, element_shape, dtype, "Trying to read an uninitialized tensor but element_shape is not fully "
                                         "defined: <unknown> and no list element is set."))
    if not rows:
        return np.zeros((0,) + (element_shape or ()), dtype=dtype)
    return np.stack(rows)


def _stack_forward(xp, flow, *, element_shape, dtype):
    items = _as_list(flow).items
    if not items:
        if element_shape is None:
            raise _error("Tried to stack elements of an empty list with non-fully-defined element_shape: "
                         "<unknown>")
        return np.zeros((0,) + element_shape, dtype=dtype)
    message = ("Tried to stack list which only contains uninitialized tensors and has a non-fully-defined "
               "element_shape: <unknown>")
    rows = [x if x is not None else _zeros_for(items, element_shape, dtype, message) for x in items]
    return np.stack(rows)


def _from_tensor_forward(xp, tensor):
    return _wrap(list(tensor))


def _concat_forward(xp, flow, *, element_shape, dtype):
    items = _as_list(flow).items
    message = "Concat saw an uninitialized element and no element shape to build zeros from"
    rows = [x if x is not None else _zeros_for(items, element_shape, dtype, message) for x in items]
    lengths = np.asarray([r.shape[0] for r in rows], dtype=np.int64)
    if not rows:
        return np.zeros((0,) + (element_shape or ())[1:], dtype=dtype), lengths
    return np.concatenate(rows), lengths


def _from_split_forward(xp, tensor, lengths):
    if int(lengths.sum()) != tensor.shape[0]:
        raise _error(f"Expected sum of lengths to be equal to values.shape[0], but sum of lengths is "
                     f"{int(lengths.sum())} and value's shape is: [{','.join(str(d) for d in tensor.shape)}] ")
    return _wrap(np.split(tensor, np.cumsum(lengths)[:-1].astype(np.int64)))


# Gradient helpers: a None item of a gradient list, or a zero gradient list, stands for zeros.


def _clear_forward(xp, flow, indices):
    lst = _as_list(flow)
    if lst is None:
        return flow
    items = list(lst.items)
    for index in indices.tolist():
        if index < len(items):
            items[index] = None
    return _wrap(items)


def _get_items_like_forward(xp, flow, indices, like):
    lst = _as_list(flow)
    items = lst.items if lst is not None else ()
    rows = [items[i] if i < len(items) and items[i] is not None else np.zeros_like(like[k])
            for k, i in enumerate(indices.tolist())]
    return np.stack(rows).astype(like.dtype, copy=False) if rows else np.zeros_like(like)


def _set_items_in_zeros_forward(xp, like_flow, indices, values):
    items: list = [None] * len(_as_list(like_flow).items)
    for index, value in zip(indices.tolist(), values):
        items[index] = value if items[index] is None else items[index] + value
    return _wrap(items)


def _stack_like_forward(xp, flow, like):
    lst = _as_list(flow)
    out = np.zeros_like(like)
    for i, item in enumerate(lst.items if lst is not None else ()):
        if item is not None:
            out[i] = item
    return out


def _concat_like_forward(xp, flow, like, lengths):
    lst = _as_list(flow)
    out = np.zeros_like(like)
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    for i, item in enumerate(lst.items if lst is not None else ()):
        if item is not None:
            out[starts[i]:starts[i + 1]] = item
    return out


def _add_lists_forward(xp, a, b):
    total = _as_list(a)
    other = _as_list(b)
    if total is None:
        return b if other is not None else a
    return _wrap(total + other)


# Gradients


def _set_items_grad(entry, d_flow):
    flow, indices, values = entry.inputs
    return execute(ClearItems, (d_flow, indices)), None, execute(GetItemsLike, (d_flow, indices, values))


def _get_items_grad(entry, dy):
    flow, indices = entry.inputs
    return execute(SetItemsInZeros, (flow, indices, dy)), None


def _stack_grad(entry, dy):
    return (execute(FromTensor, (dy,)),)


def _from_tensor_grad(entry, d_flow):
    return (execute(StackLike, (d_flow, entry.inputs[0])),)


def _concat_grad(entry, dy, d_lengths):
    return (execute(FromSplit, (dy, entry.outputs[1])),)


def _from_split_grad(entry, d_flow):
    tensor, lengths = entry.inputs
    return execute(ConcatLike, (d_flow, tensor, lengths)), None


def _flow_spec(*inputs: Any, **attrs: Any) -> list:
    return [(TensorShape([]), dtypes.variant)]


def _rows_spec(flow, indices, *, element_shape, dtype):
    rows = indices[0].as_list()[0] if indices[0].rank else None
    return [(TensorShape([rows] + list(element_shape) if element_shape is not None else None),
             dtypes.as_dtype(dtype))]


def _stack_spec(flow, *, element_shape, dtype):
    return [(TensorShape([None] + list(element_shape) if element_shape is not None else None),
             dtypes.as_dtype(dtype))]


def _concat_spec(flow, *, element_shape, dtype):
    dims = [None] + list(element_shape[1:]) if element_shape else None
    return [(TensorShape(dims), dtypes.as_dtype(dtype)), (TensorShape([None]), dtypes.int64)]


Reserve = register("TensorListReserve", _reserve_forward, infer=_flow_spec)
Length = register("TensorListLength", _length_forward, infer=lambda flow: [(TensorShape([]), dtypes.int32)])
SetItems = register("TensorListSetItems", _set_items_forward, grad=_set_items_grad, infer=_flow_spec)
GetItems = register("TensorListGetItems", _get_items_forward, grad=_get_items_grad, infer=_rows_spec)
Stack = register("TensorListStack", _stack_forward, grad=_stack_grad, infer=_stack_spec)
FromTensor = register("TensorListFromTensor", _from_tensor_forward, grad=_from_tensor_grad, infer=_flow_spec)
Concat = register("TensorListConcat", _concat_forward, grad=_concat_grad, infer=_concat_spec, num_outputs=2)
FromSplit = register("TensorListSplit", _from_split_forward, grad=_from_split_grad, infer=_flow_spec)
ClearItems = register("TensorListClearItems", _clear_forward, infer=_flow_spec)
GetItemsLike = register("TensorListGetItemsLike", _get_items_like_forward,
                        infer=lambda flow, indices, like: [like])
SetItemsInZeros = register("TensorListSetItemsInZeros", _set_items_in_zeros_forward, infer=_flow_spec)
StackLike = register("TensorListStackLike", _stack_like_forward, infer=lambda flow, like: [like])
ConcatLike = register("TensorListConcatLike", _concat_like_forward, infer=lambda flow, like, lengths: [like])
AddLists = register("TensorListAdd", _add_lists_forward, infer=_flow_spec)


def execute(op: Any, inputs: tuple, attrs: dict | None = None) -> Any:
    """Runs a list op (imported late: the engine's ``execute`` module imports this package's tensors)."""
    from .execute import execute as run

    return run(op, inputs, attrs or {})


def add_lists(a: Tensor, b: Tensor) -> Tensor:
    """The sum of two gradient lists (element by element; missing elements are zeros)."""
    return execute(AddLists, (a, b))


# ---------------------------------------------------------------------------------------------------------
# TensorArray


def _index(value: Any) -> Tensor:
    from .ops.math_ops import cast

    t = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype_hint=dtypes.int32)
    return t if t.dtype is dtypes.int32 else cast(t, dtypes.int32)


def _int(value: Any) -> int:
    return int(value.numpy()) if isinstance(value, EagerTensor) else int(value)


@export("TensorArray")
class TensorArray(CompositeTensor):
    """A list of tensors of one dtype, written and read by index (TF's ``tf.TensorArray``).

    Args:
        dtype: the elements' dtype.
        size: the number of elements (required eagerly; 0 by default in graphs).
        dynamic_size: writing past the end grows the array.
        clear_after_read: eagerly, a read empties its slot (reads of an empty slot give zeros).
        element_shape: the elements' shape, when known in advance.
        infer_shape: every element must have the shape of the first one written.

    Raises:
        ValueError: no ``size`` while executing eagerly.
    """

    def __init__(self, dtype: Any, size: Any = None, dynamic_size: Any = None, clear_after_read: Any = None,
                 tensor_array_name: Any = None, handle: Any = None, flow: Any = None, infer_shape: bool = True,
                 element_shape: Any = None, colocate_with_first_write_call: bool = True,
                 name: str | None = None) -> None:
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        self._infer_shape = infer_shape
        self._element_shape = TensorShape(element_shape)
        if flow is not None:
            self._items = None
            self._flow = flow
            return
        if state.graph is None:
            if size is None:
                raise ValueError("Size must be declared for TensorArrays when eager execution is enabled.")
            self._items: list | None = [None] * _int(size)
            self._flow = None
        else:
            self._items = None
            self._flow = execute(Reserve, (_index(0 if size is None else size),))

    # -- properties -------------------------------------------------------------------------------------
    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def dynamic_size(self) -> bool:
        return self._dynamic_size

    @property
    def element_shape(self) -> TensorShape:
        return self._element_shape

    @property
    def flow(self) -> Tensor:
        """The flow tensor (a dummy scalar when executing eagerly, as in TF)."""
        if self._items is not None:
            return EagerTensor(np.asarray(0, dtype=np.int32))
        return self._flow

    @property
    def handle(self) -> None:
        return None

    @property
    def _type_spec(self) -> TensorArraySpec:
        return TensorArraySpec(self._element_shape, self._dtype, self._dynamic_size, self._infer_shape)

    def _with_flow(self, flow: Tensor, element_shape: TensorShape | None = None) -> TensorArray:
        return TensorArray(self._dtype, dynamic_size=self._dynamic_size, clear_after_read=self._clear_after_read,
                           flow=flow, infer_shape=self._infer_shape,
                           element_shape=self._element_shape if element_shape is None else element_shape)

    def _static_element_shape(self) -> tuple | None:
        shape = self._element_shape
        return tuple(shape.as_list()) if shape.is_fully_defined() else None

    def _value(self, value: Any) -> Tensor:
        t = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype_hint=self._dtype)
        if t.dtype is not self._dtype:
            raise InvalidArgumentError(None, None, f"TensorArray dtype is {self._dtype.name} but Op is trying to "
                                                   f"write dtype {t.dtype.name} ")
        return t

    def _merged_shape(self, shape: TensorShape) -> TensorShape:
        """The element shape after writing an element of ``shape``.

        Raises:
            ValueError: (``infer_shape``) a shape other than the elements' so far.
        """
        if not self._infer_shape:
            return self._element_shape
        if not self._element_shape.is_compatible_with(shape):
            if self._items is not None:
                raise ValueError(f"Incompatible shape for value ({shape}), expected ({self._element_shape})")
            raise ValueError(f"Inconsistent shapes: saw {shape} but expected {self._element_shape} ")
        return self._element_shape.merge_with(shape)

    # -- eager helpers ----------------------------------------------------------------------------------
    def _zeros(self) -> Tensor:
        from .ops.array_ops import zeros

        if not self._element_shape.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {self._element_shape} to a Tensor.")
        return zeros(self._element_shape.as_list(), dtype=self._dtype)

    def _item(self, index: int) -> Tensor:
        item = self._items[index]
        return self._zeros() if item is None else item

    def _store(self, index: int, value: Tensor) -> None:
        if index < 0:
            raise OutOfRangeError(None, None, f"Writing to negative indices (index {index}) is not allowed.")
        if index >= len(self._items):
            if not self._dynamic_size:
                raise OutOfRangeError(None, None, f"Tried to write to index {index} but array is not resizeable "
                                                  f"and size is: {len(self._items)} ")
            self._items.extend([None] * (index + 1 - len(self._items)))
        self._element_shape = self._merged_shape(value.shape)
        self._items[index] = value

    # -- API --------------------------------------------------------------------------------------------
    def write(self, index: Any, value: Any, name: str | None = None) -> TensorArray:
        """Stores ``value`` at ``index``; returns the TensorArray to use from now on.

        Raises:
            OutOfRangeError: a negative index, or one past the end of a fixed-size array.
            InvalidArgumentError: a value of another dtype.
            ValueError: (``infer_shape``) a value shaped unlike the earlier ones.
        """
        value = self._value(value)
        if self._items is not None:
            self._store(_int(index), value)
            return self
        from .ops.array_ops import expand_dims, reshape

        self._element_shape = self._merged_shape(value.shape)  # as in TF, even without reassigning
        flow = execute(SetItems, (self._flow, reshape(_index(index), [1]), expand_dims(value, 0)),
                       {"dynamic": self._dynamic_size})
        return self._with_flow(flow)

    def read(self, index: Any, name: str | None = None) -> Tensor:
        """The element at ``index`` (zeros for an unwritten one).

        Raises:
            OutOfRangeError: an index past the end.
        """
        if self._items is not None:
            i = _int(index)
            if not 0 <= i < len(self._items):
                raise OutOfRangeError(None, None, f"Tried to read from index {i} but array size is: "
                                                  f"{len(self._items)} ")
            value = self._item(i)
            if self._clear_after_read:
                self._items[i] = None
            return value
        from .ops.array_ops import reshape, squeeze

        rows = execute(GetItems, (self._flow, reshape(_index(index), [1])),
                       {"element_shape": self._static_element_shape(), "dtype": self._dtype._np})
        return squeeze(rows, [0])

    def stack(self, name: str | None = None) -> Tensor:
        """All elements stacked along a new first dimension."""
        if self._items is not None:
            from .ops.array_ops import stack, zeros

            if not self._items:
                dims = self._element_shape.as_list() if self._element_shape.is_fully_defined() else []
                return zeros([0] + dims, dtype=self._dtype)
            return stack([self._item(i) for i in range(len(self._items))])
        return execute(Stack, (self._flow,), {"element_shape": self._static_element_shape(),
                                              "dtype": self._dtype._np})

    def gather(self, indices: Any, name: str | None = None) -> Tensor:
        """The elements at ``indices``, stacked."""
        if self._items is not None:
            from .ops.array_ops import stack

            positions = [int(i) for i in np.asarray(convert_to_tensor(indices).numpy()).reshape(-1)]
            for i in positions:
                if not 0 <= i < len(self._items):
                    raise OutOfRangeError(None, None, f"Tried to read from index {i} but array size is: "
                                                      f"{len(self._items)} ")
            return stack([self._item(i) for i in positions])
        return execute(GetItems, (self._flow, _index(indices)),
                       {"element_shape": self._static_element_shape(), "dtype": self._dtype._np})

    def concat(self, name: str | None = None) -> Tensor:
        """All elements joined along their first dimension."""
        if self._items is not None:
            from .ops.array_ops import concat

            return concat([self._item(i) for i in range(len(self._items))], 0)
        return execute(Concat, (self._flow,), {"element_shape": self._static_element_shape(),
                                               "dtype": self._dtype._np})[0]

    def unstack(self, value: Any, name: str | None = None) -> TensorArray:
        """Replaces the elements by the rows of ``value``.

        Raises:
            ValueError: more rows than a fixed-size array holds.
        """
        value = self._value(value)
        if self._items is not None:
            from .ops.array_ops import unstack

            rows = value.shape[0]
            if not self._dynamic_size and rows > len(self._items):
                raise ValueError(f"Cannot unstack {rows} tensors into a TensorArray of static size "
                                 f"{len(self._items)} ")
            self._element_shape = self._merged_shape(value.shape[1:])
            self._items = list(unstack(value))
            return self
        self._element_shape = self._merged_shape(value.shape[1:])
        return self._with_flow(execute(FromTensor, (value,)))

    def scatter(self, indices: Any, value: Any, name: str | None = None) -> TensorArray:
        """Writes the rows of ``value`` at ``indices``."""
        value = self._value(value)
        if self._items is not None:
            positions = [int(i) for i in np.asarray(convert_to_tensor(indices).numpy()).reshape(-1)]
            for k, i in enumerate(positions):
                self._store(i, value[k])
            return self
        self._element_shape = self._merged_shape(value.shape[1:])
        flow = execute(SetItems, (self._flow, _index(indices), value), {"dynamic": self._dynamic_size})
        return self._with_flow(flow)

    def split(self, value: Any, lengths: Any, name: str | None = None) -> TensorArray:
        """Replaces the elements by consecutive pieces of ``value`` of the given ``lengths``.

        Raises:
            InvalidArgumentError: the lengths do not add up to ``value``'s first dimension.
        """
        value = self._value(value)
        lengths_t = convert_to_tensor(lengths, dtype_hint=dtypes.int64)
        if self._items is not None:
            from .ops.array_ops import split

            sizes = [int(n) for n in np.asarray(lengths_t.numpy()).reshape(-1)]
            if sum(sizes) != value.shape[0]:
                dims = ",".join(str(d) for d in value.shape.as_list())
                raise InvalidArgumentError(None, None, f"Expected sum of lengths to be equal to values.shape[0], "
                                                       f"but sum of lengths is {sum(sizes)} and value's shape is: "
                                                       f"[{dims}] ")
            self._items = list(split(value, sizes)) if sizes else []
            return self
        from .ops.math_ops import cast

        if lengths_t.dtype is not dtypes.int64:
            lengths_t = cast(lengths_t, dtypes.int64)
        shape = TensorShape(None) if not self._infer_shape else self._element_shape
        return self._with_flow(execute(FromSplit, (value, lengths_t)), shape)

    def size(self, name: str | None = None) -> Tensor:
        """The number of elements (an int32 scalar)."""
        if self._items is not None:
            return EagerTensor(np.asarray(len(self._items), dtype=np.int32))
        return execute(Length, (self._flow,))

    def identity(self) -> TensorArray:
        """This TensorArray (in graphs: one whose flow is a fresh identity)."""
        if self._items is not None:
            return self
        from .ops.array_ops import identity

        return self._with_flow(identity(self._flow))

    def close(self, name: str | None = None) -> None:
        """Releases the elements (eagerly the array becomes empty)."""
        if self._items is not None:
            self._items = []

    def __repr__(self) -> str:
        return f"<ndflow.TensorArray object dtype={self._dtype.name}>"


@export("TensorArraySpec")
class TensorArraySpec(TypeSpec):
    """The type of a TensorArray: element shape and dtype, growth and shape inference."""

    def __init__(self, element_shape: Any = None, dtype: Any = dtypes.float32, dynamic_size: bool = False,
                 infer_shape: bool = True) -> None:
        self._element_shape = TensorShape(element_shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = dynamic_size
        self._infer_shape = infer_shape

    @property
    def _component_specs(self) -> list:
        return [TensorSpec([], dtypes.variant)]

    def _to_components(self, value: TensorArray) -> list:
        if value._items is not None:
            items = [None if t is None else t.numpy() for t in value._items]
            return [EagerTensor(_wrap(items), dtypes.variant)]
        return [value._flow]

    def _from_components(self, components: list) -> Any:
        (flow,) = components
        if isinstance(flow, EagerTensor):
            return flow  # a TensorArray leaving a function comes back as its flow tensor, as in TF
        return TensorArray(self._dtype, dynamic_size=self._dynamic_size, flow=flow, infer_shape=self._infer_shape,
                           element_shape=self._element_shape)

    def _key(self) -> tuple:
        dims = None if self._element_shape.rank is None else tuple(self._element_shape.dims)
        return ("TensorArraySpec", dims, self._dtype.name, self._dynamic_size, self._infer_shape)

    def __repr__(self) -> str:
        return f"TensorArraySpec({self._element_shape!r}, {self._dtype!r}, {self._dynamic_size}, {self._infer_shape})"
