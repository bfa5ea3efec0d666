"""``LSTMCell`` and ``LSTM``: Hochreiter & Schmidhuber's long short-term memory (Keras's gate order i, f, c, o)."""
from __future__ import annotations

from typing import Any, Callable

from ...._core.ops import array_ops, math_ops
from ... import activations, initializers, regularizers
from ..input_spec import InputSpec
from ..layer import Layer
from . import cell_args
from ._util import zeros_state
from .projected import ProjectedCell, dense, masked_dense
from .rnn import RNN


class LSTMCell(ProjectedCell, Layer):
    """One LSTM step; the states are ``[h, c]``.

    Args:
        units: size of the output and of each state.
        activation: default ``tanh``.
        recurrent_activation: activation of the gates, default ``sigmoid``.
        use_bias: add ``bias``.
        kernel_initializer, recurrent_initializer, bias_initializer: default ``glorot_uniform``,
            ``orthogonal``, ``zeros``.
        unit_forget_bias: initialize the forget gate's bias to ones.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout, recurrent_dropout: fraction of the inputs / states dropped while training (with
            ``recurrent_dropout`` each gate gets its own masks, Keras's ``implementation=1``).
        seed: seed of the dropout masks.
        implementation: 1 (separate gate matmuls when dropping out) or 2 (default).
    """

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 unit_forget_bias: bool = True, kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 seed: int | None = None, **kwargs: Any) -> None:
        cell_args.check_positive(units)
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.implementation = implementation
        self.units = units
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        cell_args.set_weight_args(self, locals())
        cell_args.set_dropout_args(self, dropout, recurrent_dropout, seed)
        if self.recurrent_dropout != 0.0:
            self.implementation = 1
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape: Any) -> None:
        self.kernel = cell_args.add_cell_weight(self, "kernel", (input_shape[-1], self.units * 4))
        self.recurrent_kernel = cell_args.add_cell_weight(self, "recurrent", (self.units, self.units * 4))
        self.bias = None
        if self.use_bias:
            bias_initializer = lstm_bias_initializer(self.bias_initializer, self.units, self.unit_forget_bias)
            self.bias = cell_args.add_cell_weight(self, "bias", (self.units * 4,), bias_initializer)
        self.built = True

    def project(self, inputs: Any, training: Any = False) -> Any:
        masks = self._input_dropout(inputs, training)
        kernel = self.kernel.read_value()
        if masks is None:
            z = dense(inputs, kernel)
        elif self.implementation == 1:
            z = masked_dense(inputs, kernel, masks)
        else:
            z = dense(inputs * masks, kernel)
        return z + self.bias.read_value() if self.bias is not None else z

    def make_step(self, training: Any = False) -> Callable:
        recurrent_kernel = self.recurrent_kernel.read_value()
        activation, recurrent_activation = self.activation, self.recurrent_activation

        def step(projected: Any, states: list) -> tuple:
            h, c = states[0], states[1]
            masks = self._recurrent_dropout(h, training) if self.implementation == 1 else None
            if masks is None:
                z = projected + math_ops.matmul(h, recurrent_kernel)
            else:
                z = projected + masked_dense(h, recurrent_kernel, masks)
            z_i, z_f, z_c, z_o = array_ops.split(z, 4, axis=-1)
            c = recurrent_activation(z_f) * c + recurrent_activation(z_i) * activation(z_c)
            h = recurrent_activation(z_o) * activation(c)
            return h, [h, c]

        return step

    def get_initial_state(self, batch_size: Any = None) -> list:
        return [zeros_state(batch_size, (size,), self.compute_dtype) for size in self.state_size]

    def get_config(self) -> dict:
        config = {"units": self.units, "activation": activations.serialize(self.activation),
                  "recurrent_activation": activations.serialize(self.recurrent_activation),
                  "use_bias": self.use_bias, "unit_forget_bias": self.unit_forget_bias,
                  **cell_args.weights_config(self), "dropout": self.dropout,
                  "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}
        return {**super().get_config(), **config}


def lstm_bias_initializer(bias_initializer: Any, units: int, unit_forget_bias: bool) -> Any:
    """The initializer of an LSTM ``bias``: with ``unit_forget_bias``, ``bias_initializer`` for the input, cell
    and output gates and ones for the forget gate; otherwise ``bias_initializer`` itself."""
    if not unit_forget_bias:
        return bias_initializer

    def initialize(shape: Any, dtype: Any = None) -> Any:
        ones = initializers.get("ones")
        return array_ops.concat([bias_initializer((units,), dtype=dtype), ones((units,), dtype=dtype),
                                 bias_initializer((units * 2,), dtype=dtype)], axis=0)

    return initialize


class LSTM(RNN):
    """Long Short-Term Memory layer (``RNN(LSTMCell(...))``); with ``return_state`` returns ``[output, h, c]``.

    Takes ``LSTMCell``'s arguments plus ``activity_regularizer``, ``RNN``'s ``return_sequences``,
    ``return_state``, ``go_backwards``, ``stateful`` and ``unroll``, and ``use_cudnn`` (accepted; there is
    no cuDNN here, the computation is the same).

    Raises:
        ValueError: ``use_cudnn`` other than ``"auto"``, True or False.
    """

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 unit_forget_bias: bool = True, kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: int | None = None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 unroll: bool = False, use_cudnn: Any = "auto", **kwargs: Any) -> None:
        cell = LSTMCell(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                        kernel_initializer=kernel_initializer, unit_forget_bias=unit_forget_bias,
                        recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                        kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                        bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                        recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                        dropout=dropout, recurrent_dropout=recurrent_dropout, dtype=kwargs.get("dtype"),
                        trainable=kwargs.get("trainable", True), name="lstm_cell", seed=seed,
                        implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        cell_args.check_use_cudnn(use_cudnn)
        self.use_cudnn = use_cudnn

    def call(self, sequences: Any, initial_state: Any = None, mask: Any = None, training: Any = False) -> Any:
        return super().call(sequences, mask=mask, training=training, initial_state=initial_state)

    def get_config(self) -> dict:
        config = {"units": self.units, "activation": activations.serialize(self.activation),
                  "recurrent_activation": activations.serialize(self.recurrent_activation),
                  "use_bias": self.use_bias, "unit_forget_bias": self.unit_forget_bias,
                  **cell_args.weights_config(self),
                  "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                  "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                  "seed": self.cell.seed}
        base = super().get_config()
        del base["cell"]
        return {**base, **config}

    @classmethod
    def from_config(cls, config: dict) -> LSTM:
        return cls(**config)


cell_args.add_cell_properties(LSTM, ("units", "activation", "recurrent_activation", "use_bias", "unit_forget_bias",
                                     "dropout", "recurrent_dropout", *cell_args.CELL_WEIGHT_PROPERTIES))
