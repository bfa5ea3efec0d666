"""Shared pieces of the ensembles: seeding members like scikit-learn and building them from a template."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..base import clone
from ..utils.validation import check_random_state

MAX_INT = np.iinfo(np.int32).max


def set_random_states(estimator: Any, random_state: Any = None) -> None:
    """Gives every ``*random_state`` parameter of ``estimator`` its own integer seed drawn from
    ``random_state`` (in sorted parameter order, as scikit-learn does)."""
    rng = check_random_state(random_state)
    seeds = {key: int(rng.randint(MAX_INT)) for key in sorted(estimator.get_params(deep=True))
             if key == "random_state" or key.endswith("__random_state")}
    if seeds:
        estimator.set_params(**seeds)


def make_member(template: Any, params: dict, random_state: Any = None) -> Any:
    """An unfitted clone of ``template`` with ``params`` set, seeded from ``random_state`` when given."""
    member = clone(template)
    if params:
        member.set_params(**params)
    if random_state is not None:
        set_random_states(member, random_state)
    return member


def n_draws(n_samples: int, max_samples: Any, sample_weight: np.ndarray | None = None) -> int:
    """Number of samples drawn per member: all (None), an int, or a fraction of the (weighted) count."""
    if max_samples is None:
        return n_samples
    if isinstance(max_samples, (int, np.integer)) and not isinstance(max_samples, bool):
        return int(max_samples)
    total = n_samples if sample_weight is None else float(np.sum(sample_weight))
    return max(int(max_samples * total), 1)


def sample_without_replacement(n_population: int, n_samples: int, rng: np.random.RandomState) -> np.ndarray:
    """``n_samples`` distinct integers below ``n_population``, consuming ``rng`` as scikit-learn does
    (a permutation for fractions in (0.01, 0.99), rejection sampling below, reservoir sampling above)."""
    ratio = n_samples / n_population if n_population else 1.0
    if 0.01 < ratio < 0.99:
        return rng.permutation(n_population)[:n_samples]
    if ratio < 0.2:
        chosen: set[int] = set()
        out = np.empty(n_samples, dtype=np.int64)
        for i in range(n_samples):
            j = rng.randint(n_population)
            while j in chosen:
                j = rng.randint(n_population)
            chosen.add(j)
            out[i] = j
        return out
    out = np.arange(n_samples, dtype=np.int64)
    for i in range(n_samples, n_population):
        j = rng.randint(0, i + 1)
        if j < n_samples:
            out[j] = i
    return out
