"""``GRUCell`` and ``GRU``: Cho et al.'s gated recurrent unit (Keras's gate order z, r, h)."""
from __future__ import annotations

from typing import Any, Callable

from ...._core.ops import array_ops, math_ops
from ... import activations, regularizers
from ..input_spec import InputSpec
from ..layer import Layer
from . import cell_args
from ._util import zeros_state
from .projected import ProjectedCell, dense, masked_dense
from .rnn import RNN


class GRUCell(ProjectedCell, Layer):
    """One GRU step.

    With ``reset_after=True`` (the default, cuDNN-compatible) the reset gate multiplies the recurrent
    projection and ``bias`` has shape ``(2, 3 * units)`` (input bias, recurrent bias); otherwise it multiplies the
    previous state before the recurrent matmul and ``bias`` has shape ``(3 * units,)``.

    Args:
        units: size of the output and state.
        activation: default ``tanh``.
        recurrent_activation: activation of the gates, default ``sigmoid``.
        use_bias: add biases.
        kernel_initializer, recurrent_initializer, bias_initializer: default ``glorot_uniform``,
            ``orthogonal``, ``zeros``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout, recurrent_dropout: fraction of the inputs / states dropped while training.
        reset_after: see above.
        seed: seed of the dropout masks.
        implementation: 1 (separate gate matmuls when dropping out) or 2 (default).
    """

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None, bias_regularizer: Any = None,
                 kernel_constraint: Any = None, recurrent_constraint: Any = None, bias_constraint: Any = None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, reset_after: bool = True,
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
            self.dropout_mask_count = 3
        self.reset_after = reset_after
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape: Any) -> None:
        self.kernel = cell_args.add_cell_weight(self, "kernel", (input_shape[-1], self.units * 3))
        self.recurrent_kernel = cell_args.add_cell_weight(self, "recurrent", (self.units, self.units * 3))
        self.bias = None
        if self.use_bias:
            shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
            self.bias = cell_args.add_cell_weight(self, "bias", shape)
        self.built = True

    def _biases(self) -> tuple:
        """``(input_bias, recurrent_bias)``; either may be None."""
        if self.bias is None:
            return None, None
        bias = self.bias.read_value()
        if not self.reset_after:
            return bias, None
        input_bias, recurrent_bias = array_ops.unstack(bias)
        return input_bias, recurrent_bias

    def project(self, inputs: Any, training: Any = False) -> Any:
        masks = self._input_dropout(inputs, training)
        kernel = self.kernel.read_value()
        if masks is None:
            x = dense(inputs, kernel)
        elif self.implementation == 1:
            x = masked_dense(inputs, kernel, masks)
        else:
            x = dense(inputs * masks, kernel)
        input_bias = self._biases()[0]
        return x + input_bias if input_bias is not None else x

    def make_step(self, training: Any = False) -> Callable:
        recurrent_kernel = self.recurrent_kernel.read_value()
        recurrent_bias = self._biases()[1]
        activation, recurrent_activation = self.activation, self.recurrent_activation
        units, reset_after = self.units, self.reset_after
        if not reset_after:
            gates_kernel, candidate_kernel = array_ops.split(recurrent_kernel, [2 * units, units], axis=-1)

        def step(projected: Any, states: list) -> tuple:
            h = states[0]
            masks = self._recurrent_dropout(h, training) if self.implementation == 1 else None
            x_z, x_r, x_h = array_ops.split(projected, 3, axis=-1)
            if reset_after:
                if masks is None:
                    inner = math_ops.matmul(h, recurrent_kernel)
                else:
                    inner = masked_dense(h, recurrent_kernel, masks)
                if recurrent_bias is not None:
                    inner = inner + recurrent_bias
                r_z, r_r, r_h = array_ops.split(inner, 3, axis=-1)
                z = recurrent_activation(x_z + r_z)
                r = recurrent_activation(x_r + r_r)
                candidate = activation(x_h + r * r_h)
            else:
                if masks is None:
                    inner = math_ops.matmul(h, gates_kernel)
                    h_candidate = h
                else:
                    inner = masked_dense(h, gates_kernel, masks[:2])
                    h_candidate = h * masks[2]
                r_z, r_r = array_ops.split(inner, 2, axis=-1)
                z = recurrent_activation(x_z + r_z)
                r = recurrent_activation(x_r + r_r)
                candidate = activation(x_h + math_ops.matmul(r * h_candidate, candidate_kernel))
            h = z * h + (1 - z) * candidate
            return h, [h]

        return step

    def get_initial_state(self, batch_size: Any = None) -> list:
        return [zeros_state(batch_size, (self.state_size,), self.compute_dtype)]

    def get_config(self) -> dict:
        config = {"units": self.units, "activation": activations.serialize(self.activation),
                  "recurrent_activation": activations.serialize(self.recurrent_activation),
                  "use_bias": self.use_bias, **cell_args.weights_config(self),
                  "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                  "reset_after": self.reset_after, "seed": self.seed}
        return {**super().get_config(), **config}


class GRU(RNN):
    """Gated Recurrent Unit layer (``RNN(GRUCell(...))``).

    Takes ``GRUCell``'s arguments plus ``activity_regularizer``, ``RNN``'s ``return_sequences``,
    ``return_state``, ``go_backwards``, ``stateful`` and ``unroll``, and ``use_cudnn`` (accepted; there is
    no cuDNN here, the computation is the same).

    Raises:
        ValueError: ``use_cudnn`` other than ``"auto"``, True or False.
    """

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 seed: int | None = None, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False, reset_after: bool = True,
                 use_cudnn: Any = "auto", **kwargs: Any) -> None:
        cell = GRUCell(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                       kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                       bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                       recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                       kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                       bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                       reset_after=reset_after, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
                       name="gru_cell", seed=seed, implementation=kwargs.pop("implementation", 2))
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
                  "use_bias": self.use_bias, **cell_args.weights_config(self),
                  "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                  "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                  "reset_after": self.reset_after, "seed": self.cell.seed}
        base = super().get_config()
        del base["cell"]
        return {**base, **config}

    @classmethod
    def from_config(cls, config: dict) -> GRU:
        return cls(**config)


cell_args.add_cell_properties(GRU, ("units", "activation", "recurrent_activation", "use_bias", "dropout",
                                    "recurrent_dropout", "reset_after", *cell_args.CELL_WEIGHT_PROPERTIES))
