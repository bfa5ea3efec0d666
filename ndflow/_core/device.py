"""``ndflow.device``: a scope naming the device new ops are placed on."""
from __future__ import annotations

import contextlib
import re

from .context import state

__all__ = ["device"]

_SPEC = re.compile(r"^(?:/job:\w+)?(?:/replica:\d+)?(?:/task:\d+)?(?:/?device:)?/?(CPU|GPU|cpu|gpu)(?::(\d+))?$")


def _canonical(name: str) -> str:
    match = _SPEC.match(name.strip())
    if match is None:
        raise ValueError(f"Unknown device: {name!r}")
    kind, index = match.group(1).upper(), match.group(2) or "0"
    return f"/job:localhost/replica:0/task:0/device:{kind}:{index}"


@contextlib.contextmanager
def device(device_name: str | None):
    """Places ops created inside the block on ``device_name`` (``"/CPU:0"``, ``"/GPU:0"``).

    Raises:
        ValueError: a name that is not a device specification.
    """
    if device_name is None:
        yield
        return
    state.devices.append(_canonical(device_name))
    try:
        yield
    finally:
        state.devices.pop()
