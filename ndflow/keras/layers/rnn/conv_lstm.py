"""``ConvLSTM1D/2D/3D``: LSTMs whose input and recurrent transformations are convolutions."""
from __future__ import annotations

from typing import Any, Callable

from ...._core.ops import array_ops, conv_ops
from ... import activations, regularizers
from ...backend import standardize_data_format
from ..conv import conv_output_shape, standardize_padding, standardize_tuple
from ..input_spec import InputSpec
from ..layer import Layer
from . import cell_args
from ._util import zeros_state
from .lstm import lstm_bias_initializer
from .projected import ProjectedCell, restore_leading
from .rnn import RNN

_LAYOUTS = {("channels_last", 1): "NWC", ("channels_last", 2): "NHWC", ("channels_last", 3): "NDHWC",
            ("channels_first", 1): "NCW", ("channels_first", 2): "NCHW", ("channels_first", 3): "NCDHW"}


class ConvLSTMCell(ProjectedCell, Layer):
    """One ConvLSTM step over inputs ``(batch, *spatial, channels)`` (or channels first); states ``[h, c]``.

    Takes the ``ConvLSTM`` arguments (``rank`` is the number of spatial dims). The recurrent convolution uses
    ``"same"`` padding and stride 1 so the states keep their spatial shape.

    Raises:
        ValueError: ``rank`` above 3, or both ``strides`` and ``dilation_rate`` above 1.
    """

    def __init__(self, rank: int, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: str | None = None, dilation_rate: Any = 1, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", unit_forget_bias: bool = True, kernel_regularizer: Any = None,
                 recurrent_regularizer: Any = None, bias_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        cell_args.set_dropout_args(self, dropout, recurrent_dropout, seed)
        self.rank = rank
        if self.rank > 3:
            raise ValueError(f"Rank {rank} convolutions are not currently implemented. Received: rank={rank}")
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = standardize_tuple(strides, self.rank, "strides", allow_zero=True)
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.dilation_rate = standardize_tuple(dilation_rate, self.rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please provide "
                             f"`strides=1` or `dilation_rate=1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        cell_args.set_weight_args(self, locals())
        self.unit_forget_bias = unit_forget_bias
        self.dropout_mask_count = 4
        self.input_spec = InputSpec(ndim=rank + 2)
        self.state_size = -1

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else -(self.rank + 1)

    def build(self, inputs_shape: Any, states_shape: Any = None) -> None:
        inputs_shape = tuple(inputs_shape)
        self.spatial_dims = inputs_shape[1:-1] if self.data_format == "channels_last" else inputs_shape[2:]
        if None in self.spatial_dims:
            raise ValueError("ConvLSTM layers only support static input shapes for the spatial dimension. Received "
                             f"invalid input shape: input_shape={inputs_shape}")
        if inputs_shape[self._channel_axis] is None:
            raise ValueError("The channel dimension of the inputs (last axis) should be defined. Found None. Full "
                             f"input shape received: input_shape={inputs_shape}")
        self.input_spec = InputSpec(ndim=self.rank + 3, shape=(None, *inputs_shape[1:]))
        self.input_dim = inputs_shape[self._channel_axis]
        self.kernel_shape = (*self.kernel_size, self.input_dim, self.filters * 4)
        self.kernel = cell_args.add_cell_weight(self, "kernel", self.kernel_shape)
        self.recurrent_kernel = cell_args.add_cell_weight(self, "recurrent",
                                                          (*self.kernel_size, self.filters, self.filters * 4))
        self.bias = None
        if self.use_bias:
            bias_initializer = lstm_bias_initializer(self.bias_initializer, self.filters, self.unit_forget_bias)
            self.bias = cell_args.add_cell_weight(self, "bias", (self.filters * 4,), bias_initializer)
        self.built = True

    def _conv(self, x: Any, kernel: Any, strides: tuple, padding: str, dilation_rate: tuple) -> Any:
        """Convolution over inputs with any number of leading axes before the batch one."""
        n_leading = x.shape.rank - self.rank - 1
        flat = array_ops.reshape(x, [-1, *x.shape[n_leading:]]) if n_leading > 1 else x
        out = conv_ops.convolution(flat, kernel, strides=list(strides), padding=padding.upper(),
                                   data_format=_LAYOUTS[(self.data_format, self.rank)], dilations=list(dilation_rate))
        return restore_leading(out, x, n_leading) if n_leading > 1 else out

    def _add_bias(self, z: Any) -> Any:
        if self.bias is None:
            return z
        bias = self.bias.read_value()
        if self.data_format == "channels_first":
            bias = array_ops.reshape(bias, [self.filters * 4] + [1] * self.rank)
        return z + bias

    def project(self, inputs: Any, training: Any = False) -> Any:
        masks = self._input_dropout(inputs, training)
        kernel = self.kernel.read_value()
        conv = self._input_conv
        if masks is None:
            return self._add_bias(conv(inputs, kernel))
        kernels = array_ops.split(kernel, 4, axis=-1)
        gates = [conv(inputs * m, k) for m, k in zip(masks, kernels)]
        return self._add_bias(array_ops.concat(gates, axis=self._channel_axis))

    def _input_conv(self, x: Any, kernel: Any) -> Any:
        return self._conv(x, kernel, self.strides, self.padding, self.dilation_rate)

    def _recurrent_conv(self, h: Any, kernel: Any) -> Any:
        return self._conv(h, kernel, (1,) * self.rank, "same", (1,) * self.rank)

    def make_step(self, training: Any = False) -> Callable:
        recurrent_kernel = self.recurrent_kernel.read_value()
        activation, recurrent_activation = self.activation, self.recurrent_activation
        axis = self._channel_axis

        def step(projected: Any, states: list) -> tuple:
            h, c = states[0], states[1]
            masks = self._recurrent_dropout(h, training)
            if masks is None:
                recurrent = self._recurrent_conv(h, recurrent_kernel)
            else:
                kernels = array_ops.split(recurrent_kernel, 4, axis=-1)
                recurrent = array_ops.concat([self._recurrent_conv(h * m, k) for m, k in zip(masks, kernels)],
                                             axis=axis)
            z_i, z_f, z_c, z_o = array_ops.split(projected + recurrent, 4, axis=axis)
            c = recurrent_activation(z_f) * c + recurrent_activation(z_i) * activation(z_c)
            h = recurrent_activation(z_o) * activation(c)
            return h, [h, c]

        return step

    def compute_output_shape(self, inputs_shape: Any, states_shape: Any = None) -> tuple:
        shape = conv_output_shape(tuple(inputs_shape), self.filters, self.kernel_size, self.strides, self.padding,
                                  self.data_format, self.dilation_rate)
        return shape, [shape, shape]

    def get_initial_state(self, batch_size: Any = None) -> list:
        if self.data_format == "channels_last":
            input_shape = (1, *self.spatial_dims, self.input_dim)
        else:
            input_shape = (1, self.input_dim, *self.spatial_dims)
        state_shape = self.compute_output_shape(input_shape)[0][1:]
        return [zeros_state(batch_size, state_shape, self.compute_dtype) for _ in range(2)]

    def get_config(self) -> dict:
        config = {"filters": self.filters, "kernel_size": self.kernel_size, "strides": self.strides,
                  "padding": self.padding, "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                  "activation": activations.serialize(self.activation),
                  "recurrent_activation": activations.serialize(self.recurrent_activation),
                  "use_bias": self.use_bias, "unit_forget_bias": self.unit_forget_bias,
                  **cell_args.weights_config(self), "dropout": self.dropout,
                  "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}
        return {**super().get_config(), **config}


class ConvLSTM(RNN):
    """Base of ``ConvLSTM1D/2D/3D``: ``RNN(ConvLSTMCell(rank, ...))`` over ``(batch, time, *spatial, channels)``."""

    def __init__(self, rank: int, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: str | None = None, dilation_rate: Any = 1, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", unit_forget_bias: bool = True, kernel_regularizer: Any = None,
                 recurrent_regularizer: Any = None, bias_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: int | None = None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 **kwargs: Any) -> None:
        cell = ConvLSTMCell(rank=rank, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
                            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                            recurrent_activation=recurrent_activation, use_bias=use_bias,
                            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
                            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed, name="conv_lstm_cell",
                            dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, **kwargs)
        self.input_spec = InputSpec(ndim=rank + 3)

    def call(self, sequences: Any, initial_state: Any = None, mask: Any = None, training: Any = False) -> Any:
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def compute_output_shape(self, sequences_shape: Any, initial_state_shape: Any = None) -> Any:
        batch_size, steps = sequences_shape[0], sequences_shape[1]
        state_shape = self.cell.compute_output_shape((batch_size, *sequences_shape[2:]))[0][1:]
        output_shape = (batch_size, steps, *state_shape) if self.return_sequences else (batch_size, *state_shape)
        if self.return_state:
            batched_state_shape = (batch_size, *state_shape)
            return output_shape, batched_state_shape, batched_state_shape
        return output_shape

    def compute_mask(self, _: Any, mask: Any) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        return [output_mask, None, None] if self.return_state else output_mask

    def get_config(self) -> dict:
        config = {"filters": self.filters, "kernel_size": self.kernel_size, "strides": self.strides,
                  "padding": self.padding, "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                  "activation": activations.serialize(self.activation),
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
    def from_config(cls, config: dict) -> ConvLSTM:
        return cls(**config)


cell_args.add_cell_properties(ConvLSTM, ("filters", "kernel_size", "strides", "padding", "data_format",
                                         "dilation_rate", "activation", "recurrent_activation", "use_bias",
                                         "unit_forget_bias", "dropout", "recurrent_dropout",
                                         *cell_args.CELL_WEIGHT_PROPERTIES))


def _conv_lstm_class(rank: int) -> type:
    """``ConvLSTM{rank}D``: ``ConvLSTM`` with the rank fixed and Keras's constructor signature."""

    class ConvLSTMND(ConvLSTM):
        def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                     data_format: str | None = None, dilation_rate: Any = 1, activation: Any = "tanh",
                     recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                     kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                     bias_initializer: Any = "zeros", unit_forget_bias: bool = True, kernel_regularizer: Any = None,
                     recurrent_regularizer: Any = None, bias_regularizer: Any = None,
                     activity_regularizer: Any = None, kernel_constraint: Any = None,
                     recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                     recurrent_dropout: float = 0.0, seed: int | None = None, return_sequences: bool = False,
                     return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                     **kwargs: Any) -> None:
            super().__init__(rank=rank, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
                             data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                             recurrent_activation=recurrent_activation, use_bias=use_bias,
                             kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                             bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
                             kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                             bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                             kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                             bias_constraint=bias_constraint, return_sequences=return_sequences,
                             return_state=return_state, go_backwards=go_backwards, stateful=stateful,
                             dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)

    name = f"ConvLSTM{rank}D"
    ConvLSTMND.__name__ = ConvLSTMND.__qualname__ = name
    ConvLSTMND.__doc__ = (f"{rank}-D convolutional LSTM over inputs ``(batch, time, *{rank} spatial dims, "
                          "channels)`` (channels first with ``data_format='channels_first'``).")
    return ConvLSTMND


ConvLSTM1D = _conv_lstm_class(1)
ConvLSTM2D = _conv_lstm_class(2)
ConvLSTM3D = _conv_lstm_class(3)
