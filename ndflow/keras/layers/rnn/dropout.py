"""``DropoutRNNCell``: dropout masks drawn once per sequence and reused at every timestep (as Keras does)."""
from __future__ import annotations

from typing import Any

from ...._core.ops import array_ops
from ... import random as keras_random


class DropoutRNNCell:
    """Mixin for cells with ``dropout`` / ``recurrent_dropout`` rates and a ``seed_generator``.

    The first ``get_dropout_mask`` call draws the mask (a list of ``dropout_mask_count`` masks when that
    attribute is set); later calls return the same mask until ``reset_dropout_mask``. ``RNN`` resets the
    masks after each sequence.
    """

    def _create_dropout_mask(self, step_input: Any, rate: float) -> Any:
        count = getattr(self, "dropout_mask_count", None)
        ones = array_ops.ones_like(step_input)
        if count is None:
            return keras_random.dropout(ones, rate=rate, seed=self.seed_generator)
        return [keras_random.dropout(ones, rate=rate, seed=self.seed_generator) for _ in range(count)]

    def get_dropout_mask(self, step_input: Any) -> Any:
        """The input dropout mask(s) for inputs shaped like ``step_input`` (None when ``dropout`` is 0)."""
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input: Any) -> Any:
        """The state dropout mask(s) for states shaped like ``step_input`` (None when the rate is 0)."""
        if getattr(self, "_recurrent_dropout_mask", None) is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(step_input, self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self) -> None:
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_mask = None
