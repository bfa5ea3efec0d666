"""Process-wide execution state: recording tapes, the graph being built, the device stack."""
from __future__ import annotations

import threading


class _State(threading.local):
    """Per-thread state read on every op dispatch (kept flat for speed)."""

    def __init__(self) -> None:
        self.tapes: list = []          # GradientTapes currently recording, innermost last
        self.graph = None              # the Graph ops are added to, or None when executing eagerly
        self.devices: list[str] = []   # device scopes, innermost last
        self.name_scopes: list[str] = []


state = _State()

CPU_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


def executing_eagerly() -> bool:
    """True unless a graph is being built (inside ``ndflow.function`` tracing or a TF1 graph)."""
    return state.graph is None


def current_device() -> str:
    """The full name of the device ops are placed on."""
    return state.devices[-1] if state.devices else CPU_DEVICE
