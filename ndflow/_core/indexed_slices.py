"""``IndexedSlices``: rows ``values[i]`` of a tensor at row ``indices[i]``; the gradient of ``gather``.

Gradient plumbing lives here too: tapes add gradients with ``add_gradients`` (slices + slices concatenate,
slices + dense densify) and hand op gradient functions dense tensors, except for the few ops that pass
slices through (``Identity``, variable reads, ``Cast``).
"""
from __future__ import annotations

import warnings
from collections import namedtuple
from typing import Any

from . import dtypes
from .export import export
from .op import register
from .shape import TensorShape
from .tensor import Tensor, convert_to_tensor

__all__ = ["IndexedSlices", "IndexedSlicesValue", "densify", "add_gradients", "pass_through"]

# What a TF1 session returns for fetched IndexedSlices.
IndexedSlicesValue = namedtuple("IndexedSlicesValue", ["values", "indices", "dense_shape"])

# TF warns before densifying slices into more elements than this.
_LARGE_NUM_ELEMENTS = 100_000_000


def _to_dense_forward(xp, values, indices, dense_shape):
    out = xp.zeros(tuple(int(d) for d in dense_shape), dtype=values.dtype)
    if indices.size:
        bad = (indices < 0) | (indices >= out.shape[0])
        if bad.any():
            from .ops._helpers import invalid_arg

            i = int(xp.argmax(bad))
            raise invalid_arg("UnsortedSegmentSum", f"segment_ids[{i}] = {int(indices[i])} is out of range "
                                                    f"[0, {out.shape[0]})")
        xp.add.at(out, indices, values)
    return out


def _to_dense_grad(entry, dy):
    from .ops.indexing_ops import gather

    return gather(dy, entry.inputs[1]), None, None


def _to_dense_infer(values, indices, dense_shape):
    rank = dense_shape[0].as_list()[0] if dense_shape[0].rank else None
    return [(TensorShape(None if rank is None else [None] * rank), values[1])]


IndexedSlicesToDense = register("IndexedSlicesToDense", _to_dense_forward, grad=_to_dense_grad,
                                infer=_to_dense_infer)


@export("IndexedSlices")
class IndexedSlices:
    """A sparse representation of a tensor's rows: ``dense[indices[i]] += values[i]``.

    Args:
        values: the rows, ``[N, ...]``.
        indices: their row numbers, ``[N]``.
        dense_shape: the shape of the dense tensor (optional; needed to convert to a tensor).
    """

    def __init__(self, values: Any, indices: Any, dense_shape: Any = None) -> None:
        self._values = values if isinstance(values, Tensor) else convert_to_tensor(values)
        self._indices = indices if isinstance(indices, Tensor) else convert_to_tensor(indices)
        if dense_shape is not None and not isinstance(dense_shape, Tensor):
            dense_shape = convert_to_tensor(dense_shape, dtype_hint=self._indices.dtype)
        self._dense_shape = dense_shape

    @property
    def values(self) -> Tensor:
        return self._values

    @property
    def indices(self) -> Tensor:
        return self._indices

    @property
    def dense_shape(self) -> Tensor | None:
        return self._dense_shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        if self._dense_shape is None:
            return TensorShape(None)
        from .ops._helpers import static_shape  # the op package imports this module

        known = static_shape(self._dense_shape)  # TF's constant_value_as_shape (tf.shape(params) for gather)
        if any(d is not None for d in known.dims or ()) or not self._values.shape.rank:
            return known
        return TensorShape([None]).concatenate(self._values.shape[1:])  # the slices fix all but the first dim

    @property
    def device(self) -> str:
        return self._values.device

    @property
    def name(self) -> str:
        return self._values.name

    @property
    def op(self) -> Any:
        return self._values.op

    @property
    def graph(self) -> Any:
        return self._values.graph

    def __neg__(self) -> IndexedSlices:
        from .ops.math_ops import negative

        return IndexedSlices(negative(self._values), self._indices, self._dense_shape)

    def _as_tensor(self, dtype: Any = None) -> Tensor:
        """The dense tensor (rows at repeated indices add up).

        Raises:
            ValueError: no ``dense_shape``, or a ``dtype`` other than the slices'.
        """
        if dtype is not None and dtypes.as_dtype(dtype) is not self.dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for Tensor with "
                             f"dtype {self.dtype.name}: {self}")
        if self._dense_shape is None:
            raise ValueError("Tensor conversion requested for IndexedSlices for argument `value` without "
                             f"dense_shape: {self}")
        return densify(self, warn=True)

    def __str__(self) -> str:
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape}"
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"


def densify(x: Any, warn: bool = False) -> Any:
    """``x`` as a dense tensor when it is ``IndexedSlices`` (anything else is returned unchanged).

    With ``warn``, warns like TF when the dense tensor's size is unknown or very large.
    """
    if not isinstance(x, IndexedSlices):
        return x
    from .execute import execute

    if warn:
        n = x.shape.num_elements() if x.shape.rank is not None else None
        if n is None:
            warnings.warn("Converting sparse IndexedSlices to a dense Tensor of unknown shape. This may consume a "
                          "large amount of memory.", UserWarning, stacklevel=4)
        elif n > _LARGE_NUM_ELEMENTS:
            warnings.warn(f"Converting sparse IndexedSlices to a dense Tensor with {n} elements. This may consume "
                          "a large amount of memory.", UserWarning, stacklevel=4)
    return execute(IndexedSlicesToDense, (x.values, x.indices, x.dense_shape))


def add_gradients(a: Any, b: Any) -> Any:
    """Sum of two gradients: slices + slices concatenate, slices + dense densify, else an ordinary add."""
    from .ops import array_ops, math_ops

    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices):
        # tapes add gradients from the last recorded use back: putting ``b`` first keeps recording order
        shape = b.dense_shape if b.dense_shape is not None else a.dense_shape
        indices = [b.indices, a.indices]
        if indices[0].dtype is not indices[1].dtype:
            indices = [math_ops.cast(i, dtypes.int64) for i in indices]
        return IndexedSlices(array_ops.concat([b.values, a.values], 0), array_ops.concat(indices, 0), shape)
    if a.dtype is dtypes.variant:
        from .tensor_array import add_lists

        return add_lists(a, b)
    return math_ops.add(densify(a), densify(b))


_PASS_THROUGH = {"Identity", "ReadVariableOp"}


def pass_through(entry: Any, dys: list) -> tuple | None:
    """The input gradients of ops that forward ``IndexedSlices`` unchanged (None for other cases)."""
    if len(dys) != 1 or not isinstance(dys[0], IndexedSlices):
        return None
    dy = dys[0]
    name = entry.opdef.name
    if name in _PASS_THROUGH:
        return (dy,)
    if name == "Cast":
        from .ops.math_ops import cast

        source = entry.inputs[0].dtype
        if source.is_floating or source.is_complex:
            return (IndexedSlices(cast(dy.values, source), dy.indices, dy.dense_shape),)
    return None
