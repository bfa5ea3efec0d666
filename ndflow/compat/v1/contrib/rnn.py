"""``tf.contrib.rnn``: TF1's cells and static loops under their contrib names, plus ``OutputProjectionWrapper``."""
from __future__ import annotations

from typing import Any, Callable

import ndflow as _tf

from ..initializers import zeros_initializer
from ..rnn import static_bidirectional_rnn, static_rnn
from ..rnn_cell import (
    BasicLSTMCell,
    BasicRNNCell,
    DeviceWrapper,
    DropoutWrapper,
    GRUCell,
    LayerRNNCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    ResidualWrapper,
    RNNCell,
    _op_scope,
    _prebuild,
)

__all__ = ["RNNCell", "LayerRNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "OutputProjectionWrapper", "LSTMStateTuple",
           "static_rnn", "static_bidirectional_rnn"]


class OutputProjectionWrapper(RNNCell):
    """Projects the wrapped cell's output to ``output_size`` with a dense layer (``kernel``, ``bias`` in the
    scope ``output_projection_wrapper``, which also holds the wrapped cell's variables).

    Raises:
        ValueError: ``output_size`` below 1.
    """

    _default_name = "output_projection_wrapper"

    def __init__(self, cell: Any, output_size: int, activation: Callable | None = None, reuse: Any = None) -> None:
        super().__init__()
        if output_size < 1:
            raise ValueError(f"Parameter output_size must be > 0: {output_size}.")
        self._cell = cell
        self._output_size = output_size
        self._activation = activation

    @property
    def state_size(self) -> Any:
        return self._cell.state_size

    @property
    def output_size(self) -> int:
        return self._output_size

    @property
    def variables(self) -> list:
        return list(getattr(self._cell, "variables", [])) + self._variables

    weights = variables

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with _op_scope(f"{type(self).__name__}ZeroState"):
            return self._cell.zero_state(batch_size, dtype)

    def build(self, inputs_shape: Any) -> None:
        self._fully_built = _prebuild(self._cell, inputs_shape, self._dtype)
        self._kernel = self.add_variable("kernel", [self._cell.output_size, self._output_size])
        self._bias = self.add_variable("bias", [self._output_size], initializer=zeros_initializer())

    def call(self, inputs: Any, state: Any) -> tuple:
        output, new_state = self._cell(inputs, state)
        projected = _tf.nn.bias_add(_tf.matmul(output, self._kernel), self._bias)
        if self._activation is not None:
            projected = self._activation(projected)
        return projected, new_state
