"""``Progbar``: Keras 3's text progress bar (the one ``fit``/``evaluate``/``predict`` print)."""
from __future__ import annotations

import math
import os
import sys
import time
from typing import Any, Iterable

import numpy as np

__all__ = ["Progbar", "print_msg"]

_BOLD, _GREEN, _GREY, _RESET = "\x1b[1m", "\x1b[32m", "\x1b[37m", "\x1b[0m"
_BAR_CHAR = "━"


def print_msg(message: str, line_break: bool = True) -> None:
    """Writes ``message`` to stdout and flushes (what Keras's ``io_utils.print_msg`` does in interactive mode)."""
    message = f"{message}\n" if line_break else str(message)
    try:
        sys.stdout.write(message)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "utf-8"
        sys.stdout.write(message.replace(_BAR_CHAR, "=").encode(encoding, errors="ignore").decode(encoding))
    sys.stdout.flush()


def _format_time(seconds_per_unit: float, unit_name: str) -> str:
    if seconds_per_unit >= 1 or seconds_per_unit == 0:
        return f" {seconds_per_unit:.0f}s/{unit_name}"
    if seconds_per_unit >= 1e-3:
        return f" {seconds_per_unit * 1e3:.0f}ms/{unit_name}"
    return f" {seconds_per_unit * 1e6:.0f}us/{unit_name}"


def _format_eta(eta: float) -> str:
    if eta > 3600:
        return f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
    if eta > 60:
        return f"{int(eta // 60)}:{int(eta % 60):02d}"
    return f"{int(eta)}s"


class Progbar:
    """Displays a progress bar.

    Args:
        target: total number of steps, or ``None`` when unknown.
        width: the bar's width in characters.
        verbose: 0 silent, 1 the redrawn bar, 2 one line when finished.
        interval: minimum seconds between two redraws.
        stateful_metrics: names whose values are shown as given (the others are averaged over steps).
        stateless_metrics: names that are averaged (the others are shown as given); exclusive with
            ``stateful_metrics``.
        unit_name: the unit shown in the time per unit (``step``, ``sample``).

    Raises:
        ValueError: both ``stateful_metrics`` and ``stateless_metrics`` given.
    """

    def __init__(self, target: int | None, width: int = 20, verbose: int = 1, interval: float = 0.05,
                 stateful_metrics: Iterable[str] | None = None, stateless_metrics: Iterable[str] | None = None,
                 unit_name: str = "step") -> None:
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Only one of `stateful_metrics` or `stateless_metrics` can be provided. `stateful_metrics` is "
                "used to make metrics stateless by default (with an exclusion list), while `stateless_metrics` "
                "is used to make metrics stateful by default (with an exclusion list).")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics is not None else (
            None if stateless_metrics is not None else set())
        self.stateless_metrics = set(stateless_metrics) if stateless_metrics is not None else None
        # Keras redraws in place whenever it may: a terminal, a notebook, or any POSIX system
        self._dynamic_display = ((hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
                                 or "ipykernel" in sys.modules or "posix" in sys.modules
                                 or "PYCHARM_HOSTED" in os.environ)
        self._seen_so_far = 0
        self._values: dict[str, list] = {}
        self._values_order: list[str] = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step: float | None = None
        self._prev_total_width = 0

    def _is_averaged(self, name: str) -> bool:
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def _record(self, current: int, values: list, finalize: bool) -> None:
        for name, value in values:
            if name not in self._values_order:
                self._values_order.append(name)
            if not self._is_averaged(name) or finalize:
                self._values[name] = [value, 1]
                continue
            weight = max(current - self._seen_so_far, 1)
            if name in self._values:
                self._values[name][0] += value * weight
                self._values[name][1] += weight
            else:
                self._values[name] = [value * weight, weight]
        self._seen_so_far = current

    def _average(self, name: str) -> Any:
        total, count = self._values[name]
        if not isinstance(total, float):
            total = np.mean(total)
        return total / max(1, count)

    def update(self, current: int, values: list | None = None, finalize: bool | None = None) -> None:
        """Moves the bar to step ``current``.

        Args:
            current: the index of the current step.
            values: ``(name, value)`` pairs for this step; averaged over steps unless stateful.
            finalize: whether this is the last update; default ``current >= target``.
        """
        if finalize is None:
            finalize = False if self.target is None else current >= self.target
        self._record(current, values or [], finalize)
        now = time.time()
        per_unit = self._step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw(current, now, per_unit, finalize)
        elif self.verbose == 2 and finalize and self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            line = f"{int(current):{digits}d}/{self.target} - {now - self._start:.0f}s"
            line += f" -{_format_time(per_unit, self.unit_name)}"
            for name in self._values_order:
                avg = self._average(name)
                line += f" - {name}: {avg:.4f}" if avg > 1e-3 else f" - {name}: {avg:.4e}"
            print_msg(line + "\n", line_break=False)
        self._last_update = now

    def _draw(self, current: int, now: float, per_unit: float, finalize: bool) -> None:
        message = "\b" * self._prev_total_width + "\r" if self._dynamic_display else "\n"
        hidden = 0  # length of the colour escape codes, which take no room on screen
        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            filled = int(self.width * float(current) / self.target)
            bar = f"{_BOLD}{int(current):{digits}d}/{self.target}{_RESET} "
            hidden += 8
            if filled > 0:
                bar += f"{_GREEN}{_BAR_CHAR * filled}{_RESET}"
                hidden += 9
            bar += f"{_GREY}{_BAR_CHAR * (self.width - filled)}{_RESET}"
            hidden += 9
        else:
            bar = f"{int(current):7d}/Unknown"
        if self.target is not None and self.target > 0 and not finalize:
            info = f" {_BOLD}{_format_eta(per_unit * (self.target - current))}{_RESET}"
        else:
            info = f" {_BOLD}{now - self._start:.0f}s{_RESET}"
        hidden += 8
        info += _format_time(per_unit, self.unit_name)
        for name in self._values_order:
            avg = self._average(name)
            info += f" - {name}: {avg:.4f}" if abs(avg) > 1e-3 else f" - {name}: {avg:.4e}"
        total_width = len(bar) + len(info) - hidden
        message += bar + info
        if self._prev_total_width > total_width:
            message += " " * (self._prev_total_width - total_width)
        if finalize:
            message += "\n"
        print_msg(message, line_break=False)
        self._prev_total_width = total_width

    def add(self, n: int, values: list | None = None) -> None:
        """Advances the bar by ``n`` steps."""
        self.update(self._seen_so_far + n, values)

    def _step_duration(self, current: int, now: float) -> float:
        """Seconds per step, leaving the (slow, compiling) first step out once there are more."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit
