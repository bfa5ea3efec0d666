"""Hyper-parameter checks shared by the decomposition and manifold estimators (scikit-learn's messages)."""
from __future__ import annotations

import numbers
from typing import Any

from ..preprocessing._utils import InvalidParameterError

__all__ = ["InvalidParameterError", "check_option", "check_number"]


def check_option(estimator: Any, name: str, value: Any, options: tuple) -> None:
    """Raises InvalidParameterError unless ``value`` is one of ``options`` (strings, None or booleans).

    Raises:
        InvalidParameterError: ``value`` is not among ``options``.
    """
    if any(value is o or (isinstance(value, str) and value == o) for o in options):
        return
    strings = [o for o in options if isinstance(o, str)]
    rest = [repr(o) for o in options if not isinstance(o, str)]
    text = "a str among {" + ", ".join(repr(o) for o in strings) + "}"
    if rest:
        text += " or " + " or ".join(rest)
    raise InvalidParameterError(
        f"The {name!r} parameter of {type(estimator).__name__} must be {text}. Got {value!r} instead."
    )


def check_number(estimator: Any, name: str, value: Any, *, integer: bool = False, low: float | None = None,
                 high: float | None = None, closed: str = "left", allow: tuple = ()) -> None:
    """Raises InvalidParameterError unless ``value`` is a real (or int) in the interval or one of ``allow``.

    Args:
        closed: which ends belong to the interval: "left", "right", "both" or "neither".

    Raises:
        InvalidParameterError: wrong type or out of range.
    """
    if any(value is a or (isinstance(value, str) and value == a) for a in allow):
        return
    kind = numbers.Integral if integer else numbers.Real
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if ok and low is not None:
        ok = value >= low if closed in ("left", "both") else value > low
    if ok and high is not None:
        ok = value <= high if closed in ("right", "both") else value < high
    if ok:
        return
    left = "[" if closed in ("left", "both") else "("
    right = "]" if closed in ("right", "both") else ")"
    interval = f"{left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
    text = f"{'an int' if integer else 'a float'} in the range {interval}"
    for a in allow:
        text += f" or {a!r}" if not isinstance(a, str) else f" or a str among {{{a!r}}}"
    raise InvalidParameterError(
        f"The {name!r} parameter of {type(estimator).__name__} must be {text}. Got {value!r} instead."
    )
