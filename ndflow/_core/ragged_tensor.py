"""``RaggedTensor``: a tensor whose inner dimensions may vary in length from row to row.

A ragged tensor is ``values`` (a tensor, or another ragged tensor for deeper raggedness) split into rows by
``row_splits``: row ``i`` is ``values[row_splits[i]:row_splits[i + 1]]``. Every operation moves values
through ordinary ndflow ops (``gather``, ``concat`` …) driven by integer index kernels, so ragged tensors
work eagerly, inside ``ndflow.function`` and under ``GradientTape`` (gradients flow to ``flat_values``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .composite_tensor import CompositeTensor, TypeSpec
from .context import state
from .errors import InvalidArgumentError
from .execute import execute
from .export import export
from .shape import TensorShape
from .tensor import EagerTensor, Tensor, convert_to_tensor
from .tensor_spec import TensorSpec

__all__ = ["RaggedTensor", "RaggedTensorSpec", "is_ragged", "constant", "convert_to_tensor_or_ragged"]

_PRIVATE = object()


def is_ragged(x: Any) -> bool:
    """True for ``RaggedTensor`` values."""
    return isinstance(x, RaggedTensor)


def _ops():
    """The op modules (imported late: they import this module's users)."""
    from .ops import array_ops, indexing_ops, math_ops, ragged_index_ops, reduction_ops

    return array_ops, indexing_ops, math_ops, ragged_index_ops, reduction_ops


def _splits_tensor(splits: Any, dtype: Any = None) -> Tensor:
    t = convert_to_tensor(splits, dtype=dtype, dtype_hint=dtypes.int64)
    if t.dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"Row-partitioning tensors must have dtype int32 or int64, got {t.dtype.name}")
    if t.shape.rank is not None and t.shape.rank != 1:
        raise ValueError(f"Shape {t.shape} must have rank 1")
    return t


def _values_tensor(values: Any) -> Any:
    if isinstance(values, RaggedTensor):
        return values
    t = convert_to_tensor(values)
    if t.shape.rank == 0:
        raise ValueError(f"Shape {t.shape} must have rank at least 1")
    return t


def _eager(*tensors: Any) -> bool:
    return state.graph is None and all(isinstance(t, EagerTensor) for t in tensors)


def _assert_valid(ok: bool, message: str) -> None:
    if not ok:
        raise InvalidArgumentError(None, None, message)


def _elements_text(x: np.ndarray) -> str:
    return "[" + " ".join(str(v) for v in x.reshape(-1)) + "]"


def _check_equal(what: str, x: Any, y: Any) -> None:
    _assert_valid(int(x) == int(y), f"{what}\nCondition x == y did not hold.\nFirst 1 elements of x:\n[{int(x)}]\n"
                                    f"First 1 elements of y:\n[{int(y)}]")


def _check_non_negative(what: str, x: np.ndarray) -> None:
    _assert_valid(bool((x >= 0).all()), f"{what}.  \nCondition x >= 0 did not hold element-wise:\n"
                                        f"x (shape={x.shape} dtype={x.dtype}) = \n{[str(v) for v in x]}")


def _nrows_of(values: Any) -> Tensor:
    """The number of rows of ``values`` (tensor or ragged) as an int64 scalar tensor."""
    if isinstance(values, RaggedTensor):
        return values.nrows(out_type=dtypes.int64)
    array_ops = _ops()[0]
    return array_ops.shape(values, out_type=dtypes.int64)[0]


@export("RaggedTensor")
class RaggedTensor(CompositeTensor):
    """A tensor with one or more ragged (variable-length) dimensions, as TF's ``tf.RaggedTensor``.

    Build one with ``ndflow.ragged.constant`` or a ``from_*`` factory; the constructor is private.
    """

    __array_priority__ = 101

    def __init__(self, values: Any = None, row_partition: Any = None, internal: Any = False) -> None:
        if internal is not _PRIVATE:
            raise ValueError("RaggedTensor constructor is private; please use one of the factory methods "
                             "instead (e.g., RaggedTensor.from_row_lengths())")
        self._values = values
        self._row_splits = row_partition
        self._uniform_row_length: int | None = None

    @classmethod
    def _create(cls, values: Any, row_splits: Tensor, uniform_row_length: int | None = None) -> RaggedTensor:
        """A ragged tensor from its parts; ``uniform_row_length`` is a known static length of every row."""
        rt = cls(values, row_splits, internal=_PRIVATE)
        rt._uniform_row_length = uniform_row_length
        return rt

    # -- factories ------------------------------------------------------------------------------------------
    @classmethod
    def from_row_splits(cls, values: Any, row_splits: Any, name: str | None = None,
                        validate: bool = True) -> RaggedTensor:
        """Rows ``values[row_splits[i]:row_splits[i + 1]]``.

        Raises:
            InvalidArgumentError: (eagerly, with ``validate``) splits that don't start at 0, decrease, or
                don't end at the number of values.
        """
        values, splits = _values_tensor(values), _splits_tensor(row_splits)
        if validate and _eager(splits):
            s = splits.numpy()
            _assert_valid(s.size > 0, "Arguments to from_row_splits do not form a valid RaggedTensor:rank")
            _check_equal("Arguments to from_row_splits do not form a valid RaggedTensor:zero", s[0], 0)
            _check_non_negative("Arguments to from_row_splits do not form a valid RaggedTensor:monotonic",
                                np.diff(s))
            cls._check_nvals(values, s[-1])
        return cls._create(values, splits)

    @staticmethod
    def _check_nvals(values: Any, last_split: Any) -> None:
        n = _nrows_of(values)
        if isinstance(n, EagerTensor):
            _check_equal("Arguments to _from_row_partition do not form a valid RaggedTensor", last_split, n)

    @classmethod
    def from_row_lengths(cls, values: Any, row_lengths: Any, name: str | None = None,
                         validate: bool = True) -> RaggedTensor:
        """Consecutive rows of ``row_lengths[i]`` values each."""
        values, lengths = _values_tensor(values), _splits_tensor(row_lengths)
        if validate and _eager(lengths):
            _check_non_negative("Arguments to from_row_lengths do not form a valid RowPartition", lengths.numpy())
        splits = _splits_from_lengths(lengths)
        if validate and _eager(splits):
            cls._check_nvals(values, splits.numpy()[-1])
        return cls._create(values, splits)

    @classmethod
    def from_value_rowids(cls, values: Any, value_rowids: Any, nrows: Any = None, name: str | None = None,
                          validate: bool = True) -> RaggedTensor:
        """Value ``j`` goes to row ``value_rowids[j]`` (sorted); ``nrows`` defaults to the last id + 1."""
        values, ids = _values_tensor(values), _splits_tensor(value_rowids)
        if nrows is None:
            nrows = _default_nrows(ids)
        nrows = convert_to_tensor(nrows, dtype=ids.dtype)
        if validate and _eager(ids, nrows):
            i, n = ids.numpy(), int(nrows.numpy())
            _check_non_negative("Arguments to from_value_rowids do not form a valid RowPartition", np.diff(i))
            _check_non_negative("Arguments to from_value_rowids do not form a valid RowPartition", i[:1])
            _assert_valid(not i.size or i[-1] < n, "Arguments to from_value_rowids do not form a valid "
                                                   "RowPartition.  \nCondition x < y did not hold element-wise")
            _check_equal("Arguments to from_value_rowids do not form a valid RaggedTensor", i.size,
                         _nrows_of(values))
        splits = execute(_ops()[3].SplitsFromIds, (ids, nrows))
        return cls._create(values, splits)

    @classmethod
    def from_row_starts(cls, values: Any, row_starts: Any, name: str | None = None,
                        validate: bool = True) -> RaggedTensor:
        """Row ``i`` starts at ``row_starts[i]`` and ends where the next one starts."""
        values, starts = _values_tensor(values), _splits_tensor(row_starts)
        nvals = _ops()[2].cast(_nrows_of(values), starts.dtype)
        splits = _ops()[0].concat([starts, _ops()[0].reshape(nvals, [1])], 0)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_row_limits(cls, values: Any, row_limits: Any, name: str | None = None,
                        validate: bool = True) -> RaggedTensor:
        """Row ``i`` ends at ``row_limits[i]`` and starts where the previous one ends."""
        limits = _splits_tensor(row_limits)
        splits = _ops()[0].concat([_ops()[0].zeros([1], limits.dtype), limits], 0)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_nested_row_splits(cls, flat_values: Any, nested_row_splits: Any, name: str | None = None,
                               validate: bool = True) -> RaggedTensor:
        """Applies ``from_row_splits`` for each splits vector, innermost first."""
        if isinstance(nested_row_splits, (Tensor, np.ndarray)):
            raise TypeError("nested_row_splits must be a list of Tensors")
        result = flat_values
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(cls, flat_values: Any, nested_row_lengths: Any, name: str | None = None,
                                validate: bool = True) -> RaggedTensor:
        """Applies ``from_row_lengths`` for each lengths vector, innermost first."""
        result = flat_values
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result

    @classmethod
    def from_nested_value_rowids(cls, flat_values: Any, nested_value_rowids: Any, nested_nrows: Any = None,
                                 name: str | None = None, validate: bool = True) -> RaggedTensor:
        """Applies ``from_value_rowids`` for each ids vector, innermost first."""
        ids = list(nested_value_rowids)
        nrows = [None] * len(ids) if nested_nrows is None else list(nested_nrows)
        result = flat_values
        for i, n in reversed(list(zip(ids, nrows))):
            result = cls.from_value_rowids(result, i, n, validate=validate)
        return result

    @classmethod
    def from_tensor(cls, tensor: Any, lengths: Any = None, padding: Any = None, ragged_rank: int = 1,
                    name: str | None = None, row_splits_dtype: Any = dtypes.int64) -> RaggedTensor:
        """The rows of a dense ``tensor``, cut to ``lengths`` or with trailing ``padding`` removed.

        Raises:
            ValueError: both ``lengths`` and ``padding``, or a tensor of rank <= ``ragged_rank``.
        """
        array_ops, indexing_ops, math_ops, index_ops, _ = _ops()
        if lengths is not None and padding is not None:
            raise ValueError("Specify lengths or padding, but not both")
        tensor = convert_to_tensor(tensor)
        rank = tensor.shape.rank
        if not isinstance(ragged_rank, int) or ragged_rank < 1:
            raise ValueError(f"ragged_rank must be a positive integer, got {ragged_rank!r}")
        if rank is not None and rank <= ragged_rank:
            raise ValueError(f"ragged_rank must be less than rank, got ragged_rank={ragged_rank} for a tensor "
                             f"of rank {rank}")
        splits_dtype = dtypes.as_dtype(row_splits_dtype)
        if ragged_rank > 1:
            if lengths is not None or padding is not None:
                raise NotImplementedError("from_tensor with ragged_rank > 1 and lengths or padding is not "
                                          "supported yet")
            return _from_uniform_tensor(tensor, ragged_rank, splits_dtype)
        dims = array_ops.shape(tensor, out_type=splits_dtype)
        nrows, width = dims[0], dims[1]
        flat = array_ops.reshape(tensor, array_ops.concat([[-1], array_ops.shape(tensor)[2:]], 0))
        full = math_ops.multiply(_range(nrows + 1, splits_dtype), width)
        if lengths is None and padding is None:
            return cls._create(flat, full)
        if padding is not None:
            padding = convert_to_tensor(padding, dtype=tensor.dtype)
            lengths = execute(index_ops.LengthsFromPadding, (tensor, padding), {"dtype": splits_dtype._np})
        else:
            lengths = math_ops.minimum(math_ops.cast(_splits_tensor(lengths), splits_dtype), width)
        new_splits, value_indices = _prefix_rows(full, lengths)
        return cls._create(indexing_ops.gather(flat, value_indices), new_splits)

    # -- components -----------------------------------------------------------------------------------------
    @property
    def values(self) -> Any:
        """The concatenated rows (a tensor, or a ragged tensor when ``ragged_rank > 1``)."""
        return self._values

    @property
    def row_splits(self) -> Tensor:
        """Row ``i`` is ``values[row_splits[i]:row_splits[i + 1]]``."""
        return self._row_splits

    @property
    def flat_values(self) -> Tensor:
        """The innermost values tensor (all ragged dimensions removed)."""
        values = self._values
        while isinstance(values, RaggedTensor):
            values = values._values
        return values

    @property
    def nested_row_splits(self) -> tuple:
        """The ``row_splits`` of each ragged level, outermost first."""
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt._row_splits)
            rt = rt._values
        return tuple(out)

    @property
    def ragged_rank(self) -> int:
        return len(self.nested_row_splits)

    @property
    def dtype(self) -> dtypes.DType:
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self) -> dtypes.DType:
        return self._row_splits.dtype

    @property
    def uniform_row_length(self) -> Tensor | None:
        """The length shared by every row when it is known statically (rows of a dense input), else None."""
        if self._uniform_row_length is None:
            return None
        return convert_to_tensor(self._uniform_row_length, dtype=self._row_splits.dtype)

    @property
    def shape(self) -> TensorShape:
        """Static shape: ``[nrows, row length or None] + values.shape[1:]``."""
        n = self._row_splits.shape[0] if self._row_splits.shape.rank else None
        inner = self._values.shape
        if inner.rank is None:
            return TensorShape(None)
        return TensorShape([None if n is None else n - 1, self._uniform_row_length] + inner.as_list()[1:])

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return self.shape.rank

    @property
    def _type_spec(self) -> RaggedTensorSpec:
        return RaggedTensorSpec(self.shape, self.dtype, self.ragged_rank, self.row_splits_dtype)

    # -- row partition queries --------------------------------------------------------------------------------
    def nrows(self, out_type: Any = None, name: str | None = None) -> Tensor:
        """The number of rows, a scalar of ``out_type`` (default: the splits dtype)."""
        array_ops, _, math_ops, _, _ = _ops()
        n = math_ops.subtract(array_ops.shape(self._row_splits, out_type=self._row_splits.dtype)[0], 1)
        return n if out_type is None else math_ops.cast(n, out_type)

    def row_starts(self, name: str | None = None) -> Tensor:
        return self._row_splits[:-1]

    def row_limits(self, name: str | None = None) -> Tensor:
        return self._row_splits[1:]

    def row_lengths(self, axis: int = 1, name: str | None = None) -> Any:
        """The length of each row (``axis=1``), or of each sub-row for deeper ``axis``."""
        if axis == 0:
            return self.nrows()
        if axis == 1:
            return _ops()[2].subtract(self._row_splits[1:], self._row_splits[:-1])
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.row_lengths(axis - 1))
        raise ValueError(f"axis={axis} out of bounds: expected 0 <= axis <= {self.ragged_rank}")

    def nested_row_lengths(self, name: str | None = None) -> tuple:
        return tuple(_ops()[2].subtract(s[1:], s[:-1]) for s in self.nested_row_splits)

    def value_rowids(self, name: str | None = None) -> Tensor:
        """The row index of each value."""
        return execute(_ops()[3].RowIds, (self._row_splits,))

    def nested_value_rowids(self, name: str | None = None) -> tuple:
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.value_rowids())
            rt = rt._values
        return tuple(out)

    def bounding_shape(self, axis: Any = None, name: str | None = None, out_type: Any = None) -> Tensor:
        """The smallest dense shape holding this tensor: ``[nrows, longest row, …, inner dims]``."""
        array_ops, _, math_ops, _, reduction_ops = _ops()
        out_type = dtypes.as_dtype(out_type) if out_type is not None else self._row_splits.dtype
        dims = [math_ops.cast(self.nrows(), out_type)]
        for lengths in self.nested_row_lengths():
            longest = reduction_ops.reduce_max(array_ops.concat([lengths, array_ops.zeros([1], lengths.dtype)], 0))
            dims.append(math_ops.cast(longest, out_type))
        shape = array_ops.concat([array_ops.stack(dims), array_ops.shape(self.flat_values, out_type=out_type)[1:]], 0)
        return shape if axis is None else shape[axis]

    # -- transforms -----------------------------------------------------------------------------------------
    def with_values(self, new_values: Any) -> RaggedTensor:
        """The same row partition over ``new_values`` (which must have as many rows as ``values``)."""
        new_values = _values_tensor(new_values)
        return RaggedTensor._create(new_values, self._row_splits, self._uniform_row_length)

    def with_flat_values(self, new_values: Any) -> RaggedTensor:
        """The same nested row partition over ``new_values``."""
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype: Any) -> RaggedTensor:
        """This tensor with every row partition cast to ``dtype`` (int32 or int64)."""
        dtype = dtypes.as_dtype(dtype)
        if dtype not in (dtypes.int32, dtypes.int64):
            raise ValueError(f"dtype must be int32 or int64, got {dtype.name}")
        values = self._values.with_row_splits_dtype(dtype) if isinstance(self._values, RaggedTensor) \
            else self._values
        splits = self._row_splits if self._row_splits.dtype is dtype else _ops()[2].cast(self._row_splits, dtype)
        return RaggedTensor._create(values, splits, self._uniform_row_length)

    def merge_dims(self, outer_axis: int, inner_axis: int) -> Any:
        """Merges dimensions ``outer_axis..inner_axis`` into one (a tensor when all ragged dims merge)."""
        rank = self.shape.rank
        outer = outer_axis + rank if outer_axis < 0 else outer_axis
        inner = inner_axis + rank if inner_axis < 0 else inner_axis
        if not 0 <= outer <= inner < rank:
            raise ValueError(f"Expected outer_axis ({outer_axis}) to be less than or equal to inner_axis "
                             f"({inner_axis})")
        if outer == inner:
            return self
        if outer > 0:
            if outer > 1:
                return self.with_values(_merge_dims(self._values, outer - 1, inner - 1))
            splits, values = self._row_splits, self._values
            for _ in range(inner - outer):
                if isinstance(values, RaggedTensor):
                    splits = _ops()[1].gather(values._row_splits, splits)
                    values = values._values
                else:
                    width = _ops()[0].shape(values, out_type=splits.dtype)[1]
                    splits = _ops()[2].multiply(splits, width)
                    values = _merge_dims(values, 0, 1)
            return RaggedTensor._create(values, splits)
        result: Any = self
        for _ in range(inner):
            result = result.values if isinstance(result, RaggedTensor) else _merge_dims(result, 0, 1)
        return result

    # -- conversion -----------------------------------------------------------------------------------------
    def to_tensor(self, default_value: Any = None, name: str | None = None, shape: Any = None) -> Tensor:
        """A dense tensor padded with ``default_value`` (0, or b'' for strings), optionally to ``shape``.

        Raises:
            ValueError: a ``shape`` of the wrong rank or inner dims that don't match ``flat_values``.
        """
        array_ops, indexing_ops, _, index_ops, _ = _ops()
        flat = self.flat_values
        outer_rank = self.ragged_rank + 1
        if shape is not None:
            shape = TensorShape(shape) if not isinstance(shape, Tensor) else TensorShape(list(shape.numpy()))
            dims = [None if d is None or d == -1 else int(d) for d in shape.as_list()]
            if len(dims) != self.shape.rank:
                raise ValueError(f"Shape {shape} must have rank {self.shape.rank}")
            outer = dims[:outer_rank]
            for got, want in zip(dims[outer_rank:], flat.shape.as_list()[1:]):
                if got is not None and want is not None and got != want:
                    raise ValueError(f"Shape {shape} is incompatible with inner shape {flat.shape[1:]}")
        else:
            outer = [None] * outer_rank
        nvals = array_ops.shape(flat, out_type=dtypes.int64)[0]
        index = execute(index_ops.DenseIndex, (nvals, *self.nested_row_splits), {"shape": tuple(outer)})
        default = _default_row(flat, default_value)
        return indexing_ops.gather(array_ops.concat([flat, default], 0), index)

    def numpy(self) -> np.ndarray:
        """Rows as NumPy arrays: an object array of rows when lengths differ, a regular array when they don't.

        Raises:
            ValueError: in a graph (the values are symbolic).
        """
        if not self._is_eager():
            raise ValueError("RaggedTensor.numpy() is only supported in eager mode.")
        values = self._values.numpy()
        splits = self._row_splits.numpy()
        rows = [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]
        if not rows:
            return np.zeros((0, 0) + values.shape[1:], dtype=values.dtype)
        if any(len(r) != len(rows[0]) for r in rows):
            out = np.empty(len(rows), dtype=object)
            out[:] = rows
            return out
        return np.array(rows)

    def to_list(self) -> list:
        """The value as nested Python lists (bytes for strings)."""
        if not self._is_eager():
            raise ValueError("RaggedTensor.to_list() is only supported in eager mode.")
        values = self._values.to_list() if isinstance(self._values, RaggedTensor) else self._values.numpy().tolist()
        splits = self._row_splits.numpy()
        return [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]

    def _is_eager(self) -> bool:
        return all(isinstance(t, EagerTensor) for t in (self.flat_values, *self.nested_row_splits))

    # -- Python protocol ------------------------------------------------------------------------------------
    def __repr__(self) -> str:
        if self._is_eager():
            with np.printoptions(formatter={"all": _format_element}):
                return f"<tf.RaggedTensor {_format_element(self.numpy())}>"
        return f"tf.RaggedTensor(values={self._values}, row_splits={self._row_splits})"

    __str__ = __repr__

    def __bool__(self) -> bool:
        raise TypeError("RaggedTensor may not be used as a boolean.")

    def __len__(self) -> int:
        raise TypeError("object of type 'RaggedTensor' has no len()")

    def __iter__(self):
        n = self.shape[0]
        if n is None:
            raise TypeError("Cannot iterate over a RaggedTensor with an unknown number of rows.")
        for i in range(n):
            yield self[i]

    def __getitem__(self, key: Any) -> Any:
        from .ragged_ops import getitem

        return getitem(self, key)

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        from .ragged_ops import elementwise

        if other is None:
            return False
        return elementwise(_ops()[2].equal, self, other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        from .ragged_ops import elementwise

        if other is None:
            return True
        return elementwise(_ops()[2].not_equal, self, other)


@export("RaggedTensorSpec")
class RaggedTensorSpec(TypeSpec):
    """The type of a ``RaggedTensor``: shape (``[nrows, None, …]``), dtype, ragged rank, splits dtype.

    Its components are ``[flat_values, *nested_row_splits]``; functions trace one graph per spec.
    """

    def __init__(self, shape: Any = None, dtype: Any = dtypes.float32, ragged_rank: int | None = None,
                 row_splits_dtype: Any = dtypes.int64, flat_values_spec: Any = None) -> None:
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        if ragged_rank is None:
            if self._shape.rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = self._shape.rank - 1
        self._ragged_rank = ragged_rank
        self._row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        self._flat_values_spec = flat_values_spec

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    ragged_rank = property(lambda self: self._ragged_rank)
    row_splits_dtype = property(lambda self: self._row_splits_dtype)

    @classmethod
    def from_value(cls, value: RaggedTensor) -> RaggedTensorSpec:
        return value._type_spec

    @property
    def _component_specs(self) -> list:
        dims = self._shape.as_list() if self._shape.rank is not None else None
        if self._flat_values_spec is not None:
            flat = self._flat_values_spec
        else:
            inner = dims[self._ragged_rank + 1:] if dims is not None else None
            flat = TensorSpec(None if inner is None else [None] + inner, self._dtype)
        nrows = dims[0] if dims else None
        outer = TensorSpec([None if nrows is None else nrows + 1], self._row_splits_dtype)
        return [flat, outer] + [TensorSpec([None], self._row_splits_dtype)] * (self._ragged_rank - 1)

    def _to_components(self, value: RaggedTensor) -> list:
        return [value.flat_values, *value.nested_row_splits]

    def _from_components(self, components: list) -> RaggedTensor:
        dims = self._shape.as_list() if self._shape.rank is not None else [None] * (self._ragged_rank + 1)
        result = components[0]
        for level in range(len(components) - 1, 0, -1):
            result = RaggedTensor._create(result, components[level], dims[level])
        return result

    def _key(self) -> tuple:
        dims = None if self._shape.rank is None else tuple(self._shape.as_list())
        return (dims, self._dtype.name, self._ragged_rank, self._row_splits_dtype.name)

    def is_compatible_with(self, other: Any) -> bool:
        spec = other._type_spec if isinstance(other, RaggedTensor) else other
        return isinstance(spec, RaggedTensorSpec) and spec._dtype == self._dtype and \
            spec._ragged_rank == self._ragged_rank and self._shape.is_compatible_with(spec._shape)

    def __repr__(self) -> str:
        return (f"RaggedTensorSpec(TensorShape({self._shape.as_list() if self._shape.rank is not None else None}), "
                f"{self._dtype!r}, {self._ragged_rank}, {self._row_splits_dtype!r})")


def _format_element(x: Any) -> str:
    """TF's ragged printing: nested NumPy arrays with comma separators, every element through ``str``."""
    if isinstance(x, np.ndarray):
        return np.array2string(x, separator=", ") if x.size else repr(x.tolist())
    return str(x)


def _range(n: Tensor, dtype: dtypes.DType) -> Tensor:
    from .ops.creation_ops import range as range_

    return range_(_ops()[2].cast(n, dtype), dtype=dtype)


def _splits_from_lengths(lengths: Tensor) -> Tensor:
    array_ops, _, _, _, reduction_ops = _ops()
    return array_ops.concat([array_ops.zeros([1], lengths.dtype), reduction_ops.cumsum(lengths)], 0)


def _prefix_rows(full_splits: Tensor, lengths: Tensor) -> tuple:
    """Keeps the first ``lengths[i]`` values of each row of ``full_splits``: (new splits, value indices)."""
    array_ops, _, math_ops, index_ops, _ = _ops()
    new_splits = _splits_from_lengths(lengths)
    rowids = execute(index_ops.RowIds, (new_splits,))
    within = math_ops.subtract(_range(new_splits[-1], new_splits.dtype), _ops()[1].gather(new_splits, rowids))
    value_indices = math_ops.add(_ops()[1].gather(full_splits, rowids), within)
    return new_splits, value_indices


def _default_nrows(ids: Tensor) -> Tensor:
    array_ops, _, math_ops, _, reduction_ops = _ops()
    padded = array_ops.concat([array_ops.fill([1], math_ops.cast(-1, ids.dtype)), ids], 0)
    return math_ops.add(reduction_ops.reduce_max(padded), math_ops.cast(1, ids.dtype))


def _default_row(flat: Tensor, default_value: Any) -> Tensor:
    """``default_value`` (0, or b'' for strings, when None) shaped like one row of ``flat``."""
    array_ops = _ops()[0]
    if default_value is None:
        default_value = b"" if flat.dtype is dtypes.string else 0
    default = convert_to_tensor(default_value, dtype=flat.dtype)
    row_shape = array_ops.concat([[1], array_ops.shape(flat)[1:]], 0)
    if default.shape.rank == 0:
        return array_ops.fill(row_shape, default)
    return array_ops.broadcast_to(array_ops.expand_dims(default, 0), row_shape)


def _from_uniform_tensor(tensor: Tensor, ragged_rank: int, splits_dtype: dtypes.DType) -> RaggedTensor:
    """A dense tensor seen as ragged with its first ``ragged_rank + 1`` dims split uniformly."""
    array_ops, _, math_ops, _, reduction_ops = _ops()
    dims = array_ops.shape(tensor, out_type=splits_dtype)
    static = tensor.shape.as_list() if tensor.shape.rank is not None else [None] * (ragged_rank + 1)
    result: Any = array_ops.reshape(tensor, array_ops.concat([[-1], array_ops.shape(tensor)[ragged_rank + 1:]], 0))
    for level in range(ragged_rank, 0, -1):
        nrows = reduction_ops.reduce_prod(dims[:level])
        result = RaggedTensor._create(result, math_ops.multiply(_range(nrows + 1, splits_dtype), dims[level]),
                                      static[level] if level < ragged_rank else None)
    return result


def _merge_dims(x: Any, outer: int, inner: int) -> Any:
    if isinstance(x, RaggedTensor):
        return x.merge_dims(outer, inner)
    array_ops = _ops()[0]
    dims = array_ops.shape(x)
    merged = array_ops.concat([dims[:outer], [-1], dims[inner + 1:]], 0)
    return array_ops.reshape(x, merged)


def convert_to_tensor_or_ragged(value: Any, dtype: Any = None) -> Any:
    """``value`` unchanged when ragged, else converted to a tensor."""
    if isinstance(value, RaggedTensor):
        if dtype is not None and value.dtype is not dtypes.as_dtype(dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for RaggedTensor "
                             f"with dtype {value.dtype.name}")
        return value
    return convert_to_tensor(value, dtype=dtype)


# ---------------------------------------------------------------------------------------------------------
# ragged.constant


def _scalar_depth(pylist: Any) -> tuple[int | None, int]:
    """(depth of the scalars or None when there are none, maximum list depth)."""
    if isinstance(pylist, (list, tuple)) or (isinstance(pylist, np.ndarray) and pylist.ndim > 0):
        scalar, deepest = None, 1
        for item in pylist:
            s, d = _scalar_depth(item)
            if s is not None:
                if scalar is not None and scalar != s + 1:
                    raise ValueError("all scalar values must have the same nesting depth")
                scalar = s + 1
            deepest = max(deepest, d + 1)
        return scalar, deepest
    return 0, 0


def _flatten_level(rows: list) -> tuple[list, list]:
    lengths = [len(r) for r in rows]
    return [x for r in rows for x in r], lengths


@export("ragged.constant")
def constant(pylist: Any, dtype: Any = None, ragged_rank: int | None = None, inner_shape: Any = None,
             name: str | None = None, row_splits_dtype: Any = dtypes.int64) -> Any:
    """A ragged tensor from nested Python lists (a plain tensor when nothing is ragged).

    Raises:
        ValueError: scalars at different depths, a ``ragged_rank`` too large for the data, or inner lists
            of different shapes where they must be uniform.
    """
    if isinstance(pylist, RaggedTensor):
        raise TypeError("pylist may not be a RaggedTensor or RaggedTensorValue.")
    splits_dtype = dtypes.as_dtype(row_splits_dtype)
    scalar_depth, max_depth = _scalar_depth(pylist)
    inner_rank = len(inner_shape) if inner_shape is not None else None
    if ragged_rank is not None and scalar_depth is not None and scalar_depth <= ragged_rank:
        raise ValueError(f"pylist has scalar values depth {scalar_depth}, but ragged_rank={ragged_rank} requires "
                         f"scalar value depth greater than {ragged_rank}")
    if ragged_rank is None:
        depth = scalar_depth if scalar_depth is not None else max_depth
        ragged_rank = max(0, depth - 1 - (inner_rank or 0))
    if ragged_rank == 0:
        from .tensor import constant as dense_constant

        return dense_constant(pylist, dtype=dtype, shape=inner_shape)
    rows = list(pylist)
    lengths_per_level = []
    for _ in range(ragged_rank):
        rows, lengths = _flatten_level(rows)
        lengths_per_level.append(lengths)
    values_depth = (scalar_depth - ragged_rank - 1) if scalar_depth is not None else (inner_rank or 0)
    if rows:
        try:
            flat = convert_to_tensor(rows, dtype=dtype)
        except ValueError:
            raise ValueError("inner values have inconsistent shape") from None
        if flat.shape.rank != values_depth + 1:
            raise ValueError("inner values have inconsistent shape")
    else:
        flat = _empty_values((0,) + tuple(inner_shape or ()), dtype)
    if inner_shape is not None and tuple(flat.shape.as_list()[1:]) != tuple(inner_shape):
        raise ValueError(f"inner values have shape {tuple(flat.shape.as_list()[1:])}, but inner_shape="
                         f"{tuple(inner_shape)}")
    result: Any = flat
    for lengths in reversed(lengths_per_level):
        splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(splits_dtype._np)
        result = RaggedTensor._create(result, convert_to_tensor(splits))
    return result


def _empty_values(shape: tuple, dtype: Any) -> Tensor:
    dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.float32
    if dtype is dtypes.string:
        return convert_to_tensor(np.full(shape, b"", dtype=object))
    return convert_to_tensor(np.zeros(shape, dtype=dtype._np))
