"""Integer bookkeeping kernels behind ``RaggedTensor``: row ids, row gathers, padding maps.

These ops only move indices (they have no gradient); ragged values always move through differentiable
ops such as ``gather`` that consume the indices computed here, so tapes and graphs see ordinary ops.
"""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..shape import TensorShape
from ._helpers import invalid_arg, register

__all__ = [
    "RowIds", "SplitsFromIds", "GatherRows", "RowRange", "InnerSlice", "DenseIndex", "LengthsFromPadding",
    "RaggedRange", "InterleaveRows",
]


def _unknown_vector(dtype):
    return TensorShape([None]), dtype


# ---------------------------------------------------------------------------------------------------------
# row ids <-> row splits


def _row_ids_forward(xp, splits):
    return np.repeat(np.arange(splits.shape[0] - 1, dtype=splits.dtype), np.diff(splits))


RowIds = register("RaggedRowIds", _row_ids_forward, infer=lambda splits: [_unknown_vector(splits[1])])


def _splits_from_ids_forward(xp, ids, nrows):
    n = int(nrows)
    if ids.size and ids.min() < 0:
        raise invalid_arg("RaggedSplitsFromIds", f"segment ids must be >= 0, got {int(ids.min())}")
    counts = np.bincount(ids.astype(np.int64), minlength=n)[:n]
    return np.concatenate([[0], np.cumsum(counts)]).astype(ids.dtype)


SplitsFromIds = register("RaggedSplitsFromIds", _splits_from_ids_forward,
                         infer=lambda ids, nrows: [_unknown_vector(ids[1])])


# ---------------------------------------------------------------------------------------------------------
# gathering and slicing rows


def _gather_rows_forward(xp, splits, indices):
    nrows = splits.shape[0] - 1
    idx = indices.astype(np.int64).reshape(-1)
    bad = (idx < -nrows) | (idx >= nrows)
    if bad.any():
        i = int(np.argmax(bad))
        raise invalid_arg("RaggedGather", f"indices[{i}] = {int(idx[i])} is not in [0, {nrows})")
    idx = np.where(idx < 0, idx + nrows, idx)
    starts = splits[idx]
    lengths = splits[idx + 1] - starts
    new_splits = np.concatenate([[0], np.cumsum(lengths)]).astype(splits.dtype)
    offsets = np.repeat(starts - new_splits[:-1], lengths)
    value_indices = (np.arange(new_splits[-1], dtype=splits.dtype) + offsets).astype(splits.dtype)
    return new_splits, value_indices


GatherRows = register("RaggedGatherRows", _gather_rows_forward, num_outputs=2,
                      infer=lambda splits, indices: [_unknown_vector(splits[1])] * 2)


def _row_range_forward(xp, splits, *, start, stop, step):
    return np.arange(splits.shape[0] - 1, dtype=np.int64)[slice(start, stop, step)]


RowRange = register("RaggedRowRange", _row_range_forward,
                    infer=lambda splits, **attrs: [_unknown_vector(dtypes.int64)])


def _inner_slice_forward(xp, splits, *, start, stop, step):
    pieces = [np.arange(lo, hi, dtype=np.int64)[slice(start, stop, step)] for lo, hi in zip(splits[:-1], splits[1:])]
    lengths = [len(p) for p in pieces]
    new_splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(splits.dtype)
    value_indices = np.concatenate(pieces).astype(splits.dtype) if pieces else np.zeros(0, splits.dtype)
    return new_splits, value_indices


InnerSlice = register("RaggedInnerSlice", _inner_slice_forward, num_outputs=2,
                      infer=lambda splits, **attrs: [_unknown_vector(splits[1])] * 2)


def _interleave_rows_forward(xp, *splits_list):
    """Row ``i`` of the result is row ``i`` of each input in turn (``concat`` along axis 1).

    ``value_indices`` index the inputs' values concatenated in input order.
    """
    nrows = splits_list[0].shape[0] - 1
    for splits in splits_list[1:]:
        if splits.shape[0] - 1 != nrows:
            raise invalid_arg("RaggedConcat", "Input tensors at index 0 (=x) and 1 (=y) have incompatible "
                                              "shapes.")
    base = np.cumsum([0] + [int(s[-1]) for s in splits_list[:-1]])
    starts = np.stack([s[:-1] + b for s, b in zip(splits_list, base)], axis=1).reshape(-1)
    lengths = np.stack([np.diff(s) for s in splits_list], axis=1).reshape(-1)
    row_lengths = lengths.reshape(nrows, len(splits_list)).sum(axis=1)
    dtype = splits_list[0].dtype
    new_splits = np.concatenate([[0], np.cumsum(row_lengths)]).astype(dtype)
    piece_starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if lengths.size else np.zeros(0, np.int64)
    value_indices = np.arange(lengths.sum(), dtype=np.int64) + np.repeat(starts - piece_starts, lengths)
    return new_splits, value_indices.astype(dtype)


InterleaveRows = register("RaggedInterleaveRows", _interleave_rows_forward, num_outputs=2,
                          infer=lambda *splits: [_unknown_vector(splits[0][1])] * 2)


# ---------------------------------------------------------------------------------------------------------
# dense <-> ragged


def _dense_index_forward(xp, nvals, *splits_list, shape):
    """For each cell of the padded dense tensor, the flat value it holds, or ``nvals`` (the default).

    ``shape`` gives the outer ``ragged_rank + 1`` dims of the result; None entries take the bounding size.
    """
    n = int(nvals)
    idx = np.arange(splits_list[0].shape[0] - 1, dtype=np.int64)
    dim0 = shape[0] if shape[0] is not None else idx.shape[0]
    idx = np.concatenate([idx[:dim0], np.full(max(dim0 - idx.shape[0], 0), -1, np.int64)])
    for level, splits in enumerate(splits_list, start=1):
        splits = splits.astype(np.int64)
        valid = idx >= 0
        safe = np.where(valid, idx, 0)
        starts = splits[safe]
        lengths = np.where(valid, splits[safe + 1] - starts, 0)
        width = shape[level] if shape[level] is not None else int(lengths.max(initial=0))
        cols = np.arange(width, dtype=np.int64)
        idx = np.where(cols < lengths[..., None], starts[..., None] + cols, -1)
    return np.where(idx >= 0, idx, n)


DenseIndex = register("RaggedDenseIndex", _dense_index_forward,
                      infer=lambda nvals, *splits, shape: [(TensorShape(list(shape)), dtypes.int64)])


def _lengths_from_padding_forward(xp, tensor, padding, *, dtype):
    is_pad = tensor == padding
    if is_pad.ndim > 2:
        is_pad = is_pad.reshape(is_pad.shape[:2] + (-1,)).all(axis=2)
    width = tensor.shape[1]
    # a row's length ends after its last non-padding entry
    keep = ~is_pad[:, ::-1]
    last = np.where(keep.any(axis=1), width - np.argmax(keep, axis=1), 0)
    return last.astype(dtype)


LengthsFromPadding = register("RaggedLengthsFromPadding", _lengths_from_padding_forward,
                              infer=lambda tensor, padding, dtype: [(TensorShape([tensor[0][0]]),
                                                                     dtypes.from_numpy(np.dtype(dtype)))])


# ---------------------------------------------------------------------------------------------------------
# ragged.range


def _ragged_range_forward(xp, starts, limits, deltas, *, splits_dtype):
    starts, limits, deltas = np.broadcast_arrays(starts, limits, deltas)
    if (deltas == 0).any():
        raise invalid_arg("RaggedRange", "Requires delta != 0")
    rows = [np.arange(s, l, d, dtype=starts.dtype) for s, l, d in zip(starts.reshape(-1), limits.reshape(-1),
                                                                       deltas.reshape(-1))]
    lengths = [len(r) for r in rows]
    splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(splits_dtype)
    values = np.concatenate(rows) if rows else np.zeros(0, starts.dtype)
    return splits, values.astype(starts.dtype)


RaggedRange = register("RaggedRange", _ragged_range_forward, num_outputs=2,
                       infer=lambda starts, limits, deltas, splits_dtype: [
                           _unknown_vector(dtypes.from_numpy(np.dtype(splits_dtype))), _unknown_vector(starts[1])])
