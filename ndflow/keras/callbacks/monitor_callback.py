"""``MonitorCallback``: the shared logic of callbacks that watch one logged quantity."""
from __future__ import annotations

import operator
import warnings
from typing import Any

from .callback import Callback

__all__ = ["MonitorCallback"]


class MonitorCallback(Callback):
    """Watches ``monitor`` in the epoch logs and decides what counts as an improvement.

    Args:
        monitor: the logged quantity (``val_loss``, ``accuracy`` …).
        mode: ``"min"``, ``"max"`` or ``"auto"`` (losses go down; metrics declare their direction).
        baseline: the value to beat at first (``None``: anything is an improvement).
        min_delta: the smallest change that counts.
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", baseline: Any = None,
                 min_delta: float = 0) -> None:
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=2)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op: Any = None

    def _set_monitor_op(self) -> None:
        """Chooses ``<`` or ``>``; ``auto`` looks at the name (``loss``) and the metric's ``_direction``.

        Raises:
            ValueError: ``auto`` mode on a quantity whose direction is unknown.
        """
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = operator.lt
            for metric in _compiled_metrics(self.model):
                if metric.name == name and hasattr(metric, "_direction"):
                    self.monitor_op = operator.gt if metric._direction == "up" else operator.lt
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but Keras isn't able to "
                    "automatically determine whether that metric should be maximized or minimized. Pass "
                    "`mode='max'` in order to monitor based on the highest metric value, or pass `mode='min'` in "
                    "order to use the lowest value.")
        if self.monitor_op is operator.lt:
            self.min_delta *= -1

    def _is_improvement(self, value: Any, reference: Any) -> bool:
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))


def _compiled_metrics(model: Any) -> list:
    """The metric objects given to ``compile`` (one level inside their containers)."""
    found = []
    for metric in getattr(model, "metrics", None) or []:
        inner = getattr(metric, "metrics", None)
        if isinstance(inner, list):
            found.extend(inner)
    return found
