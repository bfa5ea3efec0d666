"""Seeds of random transformations (``shuffle``, ``sample_from_datasets``) following TF's global/op seed rules.

With a global seed (``ndflow.random.set_seed``) or an op seed the sequence is the same on every run; without
either it differs from run to run. The orders match TF's in these properties, not element for element: TF's
random generator is not reproduced.
"""
from __future__ import annotations

from .._core.ops import random_ops

__all__ = ["resolve_seeds"]


def resolve_seeds(seed: int | None) -> tuple[int, int]:
    """The ``(global, op)`` seed pair a random dataset uses (``random_ops.get_seed``), drawn at random when
    neither seed is set."""
    global_seed, op_seed = random_ops.get_seed(seed)
    if global_seed is None:
        return random_ops._ENTROPY.getrandbits(63), random_ops._ENTROPY.getrandbits(63)
    return global_seed, op_seed
