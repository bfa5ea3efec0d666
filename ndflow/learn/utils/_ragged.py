"""Index arithmetic on runs of consecutive positions, without Python loops."""
from __future__ import annotations

import numpy as np


def ragged_arange(starts: np.ndarray, lengths: np.ndarray, offsets: np.ndarray | None = None) -> np.ndarray:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])`` without the Python loop.

    ``offsets``, where given, must be ``cumsum(lengths) - lengths``.
    """
    if offsets is None:
        offsets = np.cumsum(lengths) - lengths
    out = np.arange(int(offsets[-1] + lengths[-1]) if lengths.size else 0)
    out += np.repeat(starts - offsets, lengths)
    return out
