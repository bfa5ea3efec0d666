"""``CallbackList``: calls every callback's hook, with logs converted to Python floats."""
from __future__ import annotations

from typing import Any

from ..._core import nest
from .callback import Callback
from .history import History
from .progbar_logger import ProgbarLogger

__all__ = ["CallbackList", "pythonify_logs"]

_BATCH_HOOKS = ("on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
                "on_predict_batch_begin", "on_predict_batch_end")


def pythonify_logs(logs: dict | None) -> dict:
    """``logs`` with keys sorted, nested dicts merged in, and scalars turned into Python floats."""
    result: dict = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        if isinstance(value, (int, float)) or getattr(value, "ndim", None) == 0:
            value = float(value)
        result[key] = value
    return result


_ALIASES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


def _overrides(callback: Callback, hook: str) -> bool:
    hooks = (hook, _ALIASES[hook]) if hook in _ALIASES else (hook,)
    return any(not getattr(getattr(callback, h), "_is_default", False) for h in hooks)


class CallbackList(Callback):
    """Calls a list of callbacks together.

    Args:
        callbacks: the callbacks (nested lists are flattened).
        add_history: append a ``History`` unless one is in the list.
        add_progbar: append a ``ProgbarLogger`` unless one is in the list.
        model: the model given to every callback.
        **params: given to every callback's ``set_params``.
    """

    def __init__(self, callbacks: Any = None, add_history: bool = False, add_progbar: bool = False,
                 model: Any = None, **params: Any) -> None:
        super().__init__()
        self.callbacks: list = nest.flatten(callbacks) if callbacks else []
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        self._progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self._listeners: dict[str, list] = {}
        self.set_model(model)
        self.set_params(params)

    def _listening(self, hook: str) -> list:
        """The callbacks whose ``hook`` does something (batch hooks run every step: skip the no-ops)."""
        listeners = self._listeners.get(hook)
        if listeners is None:
            listeners = self._listeners[hook] = [c for c in self.callbacks if _overrides(c, hook)]
        return listeners

    def set_params(self, params: dict) -> None:
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model: Any) -> None:
        if not model:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _call(self, hook: str, *args: Any, logs: dict | None = None) -> None:
        listeners = self._listening(hook) if hook in _BATCH_HOOKS else self.callbacks
        if not listeners:
            return
        logs = pythonify_logs(logs)
        for callback in listeners:
            getattr(callback, hook)(*args, logs)

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_batch_begin", batch, logs=logs)

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_batch_end", batch, logs=logs)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_train_batch_end", batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_test_batch_begin", batch, logs=logs)

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_test_batch_end", batch, logs=logs)

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_predict_batch_begin", batch, logs=logs)

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_predict_batch_end", batch, logs=logs)

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._call("on_train_end", logs=logs)

    def on_test_begin(self, logs: dict | None = None) -> None:
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        self._call("on_test_end", logs=logs)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs: dict | None = None) -> None:
        self._call("on_predict_end", logs=logs)
