"""``keras.utils.pad_sequences``: pad or truncate variable-length sequences into one array."""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["pad_sequences"]


def _sample_shape(sequences) -> tuple[list[int], tuple]:
    """The length of every sequence and the shape of one step (taken from the first non-empty sequence)."""
    lengths, sample_shape = [], None
    for sequence in sequences:
        try:
            lengths.append(len(sequence))
        except TypeError as error:
            raise ValueError(f"`sequences` must be a list of iterables. Found non-iterable: {sequence}") from error
        if sample_shape is None and len(sequence):
            sample_shape = np.asarray(sequence).shape[1:]
    return lengths, sample_shape or ()


def pad_sequences(sequences, maxlen: int | None = None, dtype: Any = "int32", padding: str = "pre",
                  truncating: str = "pre", value: Any = 0.0) -> np.ndarray:
    """Stacks ``sequences`` into an array of shape ``(len(sequences), maxlen, *step_shape)``.

    Args:
        sequences: a list of sequences (lists or arrays; steps may themselves be arrays of one shape).
        maxlen: output length (default: the longest sequence).
        dtype: output dtype (``object`` or a string dtype for string values).
        padding: ``"pre"`` or ``"post"``: where ``value`` fills short sequences.
        truncating: ``"pre"`` or ``"post"``: which end of long sequences is cut off.
        value: the padding value.

    Raises:
        ValueError: for a non-iterable input or element, an unknown ``padding``/``truncating``, a string
            ``value`` with a non-string dtype, or a step shape that differs between sequences.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths, sample_shape = _sample_shape(sequences)
    if maxlen is None:
        maxlen = np.max(lengths)
    string_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not string_dtype:
        raise ValueError(f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
                         "You should set `dtype=object` for variable length strings.")
    output = np.full((len(sequences), maxlen) + tuple(sample_shape), value, dtype=dtype)
    for index, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        if truncating == "pre":
            kept = sequence[-maxlen:]
        elif truncating == "post":
            kept = sequence[:maxlen]
        else:
            raise ValueError(f'Truncating type "{truncating}" not understood')
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position {index} is different from "
                             f"expected shape {sample_shape}")
        if padding == "post":
            output[index, :len(kept)] = kept
        elif padding == "pre":
            output[index, -len(kept):] = kept
        else:
            raise ValueError(f'Padding type "{padding}" not understood')
    return output
