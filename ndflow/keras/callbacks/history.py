"""``History``: records each epoch's logs; ``fit`` returns it."""
from __future__ import annotations

from .callback import Callback

__all__ = ["History"]


class History(Callback):
    """Records the logs of every epoch in ``history`` (a dict of lists) and the epoch indices in ``epoch``."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self
