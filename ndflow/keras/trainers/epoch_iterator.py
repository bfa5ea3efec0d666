"""``EpochIterator``: the steps of one epoch, each with the batches it runs."""
from __future__ import annotations

import itertools
import warnings
from typing import Any, Iterator

from .data_adapters import get_data_adapter

__all__ = ["EpochIterator"]


class EpochIterator:
    """Yields ``(begin_step, end_step, batches)`` for each step of an epoch.

    ``batches`` holds ``steps_per_execution`` batches (fewer at the very end). With ``steps_per_epoch`` the same
    data iterator carries on from one epoch to the next (restarting once a finite input is used up); without it,
    each epoch reads the input once.

    Args:
        x, y, sample_weight, batch_size, shuffle, class_weight: the data, as given to ``fit``.
        steps_per_epoch: steps per epoch (default: the whole input).
        steps_per_execution: batches per step.
    """

    def __init__(self, x: Any, y: Any = None, sample_weight: Any = None, batch_size: int | None = None,
                 steps_per_epoch: int | None = None, shuffle: Any = False, class_weight: dict | None = None,
                 steps_per_execution: int = 1) -> None:
        self.steps_per_epoch = steps_per_epoch
        self.steps_per_execution = steps_per_execution
        self.data_adapter = get_data_adapter(x, y, sample_weight=sample_weight, batch_size=batch_size,
                                             steps_per_epoch=steps_per_epoch, shuffle=shuffle,
                                             class_weight=class_weight)
        self._num_batches = self.data_adapter.num_batches
        self._iterator: Iterator | None = None
        self._steps_seen = 0

    @property
    def num_batches(self) -> int | None:
        """Steps per epoch, or ``None`` while unknown (a generator before its first epoch ends)."""
        return self.steps_per_epoch or self._num_batches

    def _take(self, iterator: Iterator) -> list:
        return list(itertools.islice(iterator, self.steps_per_execution))

    def _ran_out(self) -> None:
        if self._num_batches is None:
            self._num_batches = self._steps_seen
        warnings.warn("Your input ran out of data; interrupting training. Make sure that your dataset or generator "
                      "can generate at least `steps_per_epoch * epochs` batches. You may need to use the "
                      "`.repeat()` function when building your dataset.", stacklevel=4)
        self._iterator = None

    def __iter__(self) -> Iterator[tuple[int, int, list]]:
        self.data_adapter.on_epoch_begin()
        per_step = self.steps_per_execution
        limit = self.steps_per_epoch or self._num_batches
        if self._iterator is None or self.steps_per_epoch is None:
            self._iterator = iter(self.data_adapter)
            self._steps_seen = 0
        iterator = self._iterator
        step = 0
        while limit is None or step < limit:
            if self._num_batches and self._steps_seen >= self._num_batches:
                if self.steps_per_epoch:
                    self._ran_out()
                break
            batches = self._take(iterator)
            if not batches:
                self._ran_out()
                break
            self._steps_seen += len(batches)
            yield step, step + per_step - 1, batches
            if len(batches) < per_step:
                if not (self._num_batches and self._steps_seen >= self._num_batches):
                    self._ran_out()
                break
            step += per_step
        if self._num_batches and self._steps_seen >= self._num_batches:
            self._iterator = None
        self.data_adapter.on_epoch_end()
