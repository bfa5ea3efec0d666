"""``Callback``: the base class of objects that hook into ``fit``, ``evaluate`` and ``predict``."""
from __future__ import annotations

from typing import Any

__all__ = ["Callback"]


def _default(method: Any) -> Any:
    """Marks a hook as the base class's no-op (``CallbackList`` skips hooks nobody overrides)."""
    method._is_default = True
    return method


class Callback:
    """Base class of callbacks; override the ``on_*`` hooks you need.

    Attributes:
        params: the run's parameters (``verbose``, ``epochs``, ``steps``).
        model: the model being trained, evaluated or run.
    """

    def __init__(self) -> None:
        self.params: dict | None = None
        self._model: Any = None

    def set_params(self, params: dict) -> None:
        self.params = params

    def set_model(self, model: Any) -> None:
        self._model = model

    @property
    def model(self) -> Any:
        return self._model

    @_default
    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Alias of ``on_train_batch_begin`` kept for backward compatibility."""

    @_default
    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Alias of ``on_train_batch_end`` kept for backward compatibility."""

    @_default
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the start of each training epoch."""

    @_default
    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the end of each training epoch with the epoch's (and validation's ``val_*``) results."""

    @_default
    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each training batch (calls ``on_batch_begin``)."""
        self.on_batch_begin(batch, logs=logs)

    @_default
    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each training batch with the running metric results (calls ``on_batch_end``)."""
        self.on_batch_end(batch, logs=logs)

    @_default
    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each batch of ``evaluate`` (and of validation in ``fit``)."""

    @_default
    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch of ``evaluate`` with the running metric results."""

    @_default
    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each batch of ``predict``."""

    @_default
    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch of ``predict``; ``logs["outputs"]`` holds the batch's predictions."""

    @_default
    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called when ``fit`` starts."""

    @_default
    def on_train_end(self, logs: dict | None = None) -> None:
        """Called when ``fit`` ends with the last epoch's results."""

    @_default
    def on_test_begin(self, logs: dict | None = None) -> None:
        """Called when ``evaluate`` (or a validation run) starts."""

    @_default
    def on_test_end(self, logs: dict | None = None) -> None:
        """Called when ``evaluate`` (or a validation run) ends with its results."""

    @_default
    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Called when ``predict`` starts."""

    @_default
    def on_predict_end(self, logs: dict | None = None) -> None:
        """Called when ``predict`` ends."""
