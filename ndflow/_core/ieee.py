"""IEEE arithmetic without NumPy warnings: kernels run with NumPy's floating-point error reporting off.

TF computes ``x / 0``, ``log(0)``, ``sqrt(-1)`` or an overflowing ``exp`` silently as inf/nan; NumPy would warn
(or raise, under ``np.seterr(all="raise")``). ``token = silence()`` switches the reporting off for the current
context and ``restore(token)`` switches it back. On NumPy 2 this sets NumPy's error-state context variable
directly: a fifth of the cost of entering ``np.errstate``, which counts once per eager op.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

__all__ = ["silence", "restore"]

try:
    from numpy._core._ufunc_config import _extobj_contextvar as _error_state
except ImportError:  # NumPy 1.x keeps the state elsewhere
    _error_state = None

silence: Callable[[], Any]
restore: Callable[[Any], None]

if _error_state is not None:
    with np.errstate(all="ignore"):
        _IGNORE_ALL = _error_state.get()
    silence = functools.partial(_error_state.set, _IGNORE_ALL)
    restore = _error_state.reset
else:
    silence = functools.partial(np.seterr, all="ignore")

    def restore(token: Any) -> None:
        np.seterr(**token)
