"""Callbacks that change the optimizer's learning rate: ``LearningRateScheduler``, ``ReduceLROnPlateau``."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

from ..utils.progbar import print_msg
from .callback import Callback
from .monitor_callback import MonitorCallback

__all__ = ["LearningRateScheduler", "ReduceLROnPlateau"]


def _current_lr(optimizer: Any) -> float:
    value = optimizer.learning_rate
    return float(value.numpy() if hasattr(value, "numpy") else value)


def _optimizers(model: Any) -> list:
    """``(name, optimizer)`` pairs: one per inner optimizer of a multi-optimizer, else the model's one."""
    optimizer = model.optimizer
    if hasattr(optimizer, "optimizers"):
        return [(opt.name, opt) for opt in optimizer.optimizers]
    return [("", optimizer)]


def _log_learning_rates(model: Any, logs: dict) -> None:
    for name, optimizer in _optimizers(model):
        logs[f"learning_rate_{name}" if name else "learning_rate"] = _current_lr(optimizer)


class LearningRateScheduler(Callback):
    """Sets the learning rate at the start of each epoch to ``schedule(epoch, lr)``.

    Args:
        schedule: ``schedule(epoch, lr) -> float`` (or the older ``schedule(epoch)``); ``epoch`` counts from 0.
        verbose: 1 prints each change.
    """

    def __init__(self, schedule: Callable, verbose: int = 0) -> None:
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update(self, optimizer: Any, epoch: int) -> float:
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            learning_rate = self.schedule(epoch, _current_lr(optimizer))
        except TypeError:  # the older one-argument schedules
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {learning_rate}")
        optimizer.learning_rate = learning_rate
        return learning_rate

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        for name, optimizer in _optimizers(self.model):
            learning_rate = self._update(optimizer, epoch)
            if self.verbose > 0:
                which = f"{name} learning rate" if name else "learning rate"
                print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting {which} to {learning_rate}.")

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs:  # an empty dict is not shared with the other callbacks (as in Keras)
            _log_learning_rates(self.model, logs)


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by ``factor`` when ``monitor`` has stalled for ``patience`` epochs.

    Args:
        monitor: the logged quantity to watch.
        factor: the multiplier (below 1).
        patience: epochs without improvement before reducing.
        verbose: 1 prints each reduction.
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        min_delta: the smallest change that counts as an improvement.
        cooldown: epochs to wait after a reduction before watching again.
        min_lr: the learning rate never goes below it.

    Raises:
        ValueError: ``factor >= 1``.
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10, verbose: int = 0,
                 mode: str = "auto", min_delta: float = 1e-4, cooldown: int = 0, min_lr: float = 0.0,
                 **kwargs: Any) -> None:
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}")
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def _reduce(self, optimizer: Any, epoch: int, name: str) -> bool:
        old_lr = _current_lr(optimizer)
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            which = f" {name}" if name else ""
            print_msg(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{which} learning rate to {new_lr}.")
        return True

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs or {}
        _log_learning_rates(self.model, logs)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(list(logs.keys()))}.", stacklevel=2)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                reduced = [self._reduce(opt, epoch, name) for name, opt in _optimizers(self.model)]
                if any(reduced):
                    self.cooldown_counter = self.cooldown
                    self.wait = 0
