"""``SimpleRNNCell`` and ``SimpleRNN``: ``h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)``."""
from __future__ import annotations

from typing import Any, Callable

from ...._core.ops import math_ops
from ... import activations, regularizers
from ..input_spec import InputSpec
from ..layer import Layer
from . import cell_args
from ._util import zeros_state
from .projected import ProjectedCell, dense
from .rnn import RNN


class SimpleRNNCell(ProjectedCell, Layer):
    """One step of a fully connected RNN.

    Args:
        units: size of the output and state.
        activation: default ``tanh``.
        use_bias: add ``bias``.
        kernel_initializer, recurrent_initializer, bias_initializer: default ``glorot_uniform``,
            ``orthogonal``, ``zeros``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout, recurrent_dropout: fraction of the inputs / states dropped while training.
        seed: seed of the dropout masks.
    """

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 seed: int | None = None, **kwargs: Any) -> None:
        cell_args.check_positive(units)
        super().__init__(**kwargs)
        cell_args.set_dropout_args(self, dropout, recurrent_dropout, seed)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        cell_args.set_weight_args(self, locals())
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape: Any) -> None:
        self.kernel = cell_args.add_cell_weight(self, "kernel", (input_shape[-1], self.units))
        self.recurrent_kernel = cell_args.add_cell_weight(self, "recurrent", (self.units, self.units))
        self.bias = None
        if self.use_bias:
            self.bias = cell_args.add_cell_weight(self, "bias", (self.units,))
        self.built = True

    def project(self, inputs: Any, training: Any = False) -> Any:
        mask = self._input_dropout(inputs, training)
        if mask is not None:
            inputs = inputs * mask
        h = dense(inputs, self.kernel.read_value())
        return h + self.bias.read_value() if self.bias is not None else h

    def make_step(self, training: Any = False) -> Callable:
        recurrent_kernel = self.recurrent_kernel.read_value()
        activation = self.activation

        def step(projected: Any, states: list) -> tuple:
            previous = states[0]
            mask = self._recurrent_dropout(previous, training)
            if mask is not None:
                previous = previous * mask
            output = activation(projected + math_ops.matmul(previous, recurrent_kernel))
            return output, [output]

        return step

    def get_initial_state(self, batch_size: Any = None) -> list:
        return [zeros_state(batch_size, (self.state_size,), self.compute_dtype)]

    def get_config(self) -> dict:
        config = {"units": self.units, "activation": activations.serialize(self.activation),
                  "use_bias": self.use_bias, **cell_args.weights_config(self),
                  "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                  "seed": self.seed}
        return {**super().get_config(), **config}


class SimpleRNN(RNN):
    """Fully connected RNN whose output is fed back as its state (``RNN(SimpleRNNCell(...))``).

    Takes ``SimpleRNNCell``'s arguments plus ``activity_regularizer`` and ``RNN``'s ``return_sequences``,
    ``return_state``, ``go_backwards``, ``stateful`` and ``unroll``.
    """

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False, seed: int | None = None,
                 **kwargs: Any) -> None:
        cell = SimpleRNNCell(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                             recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                             kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                             bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                             recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                             dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
                             dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
                             name="simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll, **kwargs)
        self.input_spec = [InputSpec(ndim=3)]

    def call(self, sequences: Any, initial_state: Any = None, mask: Any = None, training: Any = False) -> Any:
        return super().call(sequences, mask=mask, training=training, initial_state=initial_state)

    def get_config(self) -> dict:
        config = {"units": self.units, "activation": activations.serialize(self.activation),
                  "use_bias": self.use_bias, **cell_args.weights_config(self),
                  "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                  "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout}
        base = super().get_config()
        del base["cell"]
        return {**base, **config}

    @classmethod
    def from_config(cls, config: dict) -> SimpleRNN:
        return cls(**config)


cell_args.add_cell_properties(SimpleRNN, ("units", "activation", "use_bias", "dropout", "recurrent_dropout",
                                          *cell_args.CELL_WEIGHT_PROPERTIES))
