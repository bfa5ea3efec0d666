"""Small callbacks: ``TerminateOnNaN``, ``LambdaCallback``, and those not available here."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..utils.progbar import print_msg
from .callback import Callback

__all__ = ["TerminateOnNaN", "LambdaCallback", "RemoteMonitor", "SwapEMAWeights"]


class TerminateOnNaN(Callback):
    """Stops training as soon as the loss is NaN or infinite.

    Args:
        raise_error: raise ``RuntimeError`` instead of stopping quietly.
    """

    def __init__(self, raise_error: bool = False) -> None:
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None or np.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. Terminating "
                               "training immediately.")
        print_msg(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True


class LambdaCallback(Callback):
    """A callback made of plain functions.

    Args:
        on_epoch_begin, on_epoch_end: ``f(epoch, logs)``.
        on_train_begin, on_train_end: ``f(logs)``.
        on_train_batch_begin, on_train_batch_end: ``f(batch, logs)``.
        **kwargs: any other hook (``on_test_begin=…``) or attribute.
    """

    def __init__(self, on_epoch_begin: Callable | None = None, on_epoch_end: Callable | None = None,
                 on_train_begin: Callable | None = None, on_train_end: Callable | None = None,
                 on_train_batch_begin: Callable | None = None, on_train_batch_end: Callable | None = None,
                 **kwargs: Any) -> None:
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end, "on_train_begin": on_train_begin,
                 "on_train_end": on_train_end, "on_train_batch_begin": on_train_batch_begin,
                 "on_train_batch_end": on_train_batch_end}
        for name, hook in hooks.items():
            if hook is not None:
                setattr(self, name, hook)


class RemoteMonitor(Callback):
    """Would post epoch results to a server; ndflow runs offline, so it is not available."""

    def __init__(self, root: str = "http://localhost:9000", path: str = "/publish/epoch/end/", field: str = "data",
                 headers: dict | None = None, send_as_json: bool = False) -> None:
        raise NotImplementedError("RemoteMonitor is not supported yet")


class SwapEMAWeights(Callback):
    """Would swap in the optimizer's EMA weights for evaluation; not available yet."""

    def __init__(self, swap_on_epoch: bool = False) -> None:
        raise NotImplementedError("SwapEMAWeights is not supported yet")
