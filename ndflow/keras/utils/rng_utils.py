"""``set_random_seed``: one call that makes a whole Keras program reproducible."""
from __future__ import annotations

import random

import numpy as np

__all__ = ["set_random_seed", "get_random_seed"]

_STATE: dict = {"seed": None}


def set_random_seed(seed: int) -> None:
    """Seeds Python's ``random``, NumPy's global RNG and ndflow's global seed, and resets Keras's global seed
    generator (so unseeded initializers, dropout and shuffling repeat from run to run).

    Raises:
        ValueError: when ``seed`` is not an int.
    """
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} (of type {type(seed)})")
    from ... import random as nd_random
    from ..random import reset_global_seed_generator

    _STATE["seed"] = seed
    reset_global_seed_generator()
    random.seed(seed)
    np.random.seed(seed)
    nd_random.set_seed(seed)


def get_random_seed() -> int | None:
    """The seed last given to ``set_random_seed`` (``None`` if never called)."""
    return _STATE["seed"]
