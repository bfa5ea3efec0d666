"""``RNN``: runs any cell over the time axis (masking, initial and carried-over states, going backwards)."""
from __future__ import annotations

from typing import Any

from ...._core import nest
from ...._core.ops import array_ops, math_ops
from ...._core.shape import TensorShape
from ...._core.tensor import convert_to_tensor
from ...._core.variable import Variable
from ..layer import Layer
from ._util import build_sublayer, call_accepts, deserialize_layer, serialize_layer, zeros_state
from .dropout import DropoutRNNCell
from .loop import run_steps
from .projected import ProjectedCell
from .stacked import StackedRNNCells


class _StateVariables:
    """Holds a stateful RNN's state variables out of sight of weight tracking (they are not weights)."""

    def __init__(self, variables: list | None = None) -> None:
        self.variables = variables


class RNN(Layer):
    """Base class for recurrent layers: applies ``cell`` to every timestep of a sequence.

    Args:
        cell: an object with ``call(inputs, states, training=None)`` returning ``(output, new_states)`` and a
            ``state_size`` (an int or a ``TensorShape`` for one state, or a list with one entry per state);
            optionally ``output_size`` and ``get_initial_state(batch_size)``. A list of cells is wrapped in
            ``StackedRNNCells``.
        return_sequences: return the output of every timestep instead of the last one.
        return_state: also return the final states.
        go_backwards: process the sequence in reverse (the returned sequence is reversed too).
        stateful: the final states of a batch are the initial states of the next one (fixed batch size).
        unroll: accepted for compatibility; the loop is always a Python loop over the timesteps.
        zero_output_for_mask: masked timesteps output zeros instead of repeating the previous output.

    Call arguments:
        sequences: ``(batch, timesteps, ...)``.
        initial_state: a tensor or list of tensors, one per state.
        mask: boolean ``(batch, timesteps)``; False steps keep the previous states.
        training: passed to the cell (dropout).

    Raises:
        ValueError: a cell without ``call`` or ``state_size``.
    """

    def __init__(self, cell: Any, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, **kwargs: Any) -> None:
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if "call" not in dir(cell):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell}")
        if "state_size" not in dir(cell):
            raise ValueError("The RNN cell should have a `state_size` attribute (single integer or list of "
                             f"integers, one integer per RNN state). Received: cell={cell}")
        super().__init__(**kwargs)
        self.zero_output_for_mask = zero_output_for_mask
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.supports_masking = True
        self.input_spec = None
        self._state_variables = _StateVariables()
        self._expected_batch_size = None
        state_size = getattr(self.cell, "state_size", None)
        if state_size is None:
            raise ValueError("state_size must be specified as property on the RNN cell.")
        if not isinstance(state_size, (list, tuple, int, TensorShape)):
            raise ValueError("state_size must be an integer, or a list/tuple of integers (one for each state "
                             "tensor).")
        self.single_state = isinstance(state_size, (int, TensorShape))
        self.state_size = [state_size] if self.single_state else list(state_size)

    # -- states -------------------------------------------------------------------------------------------
    @property
    def states(self) -> list | None:
        """The state variables of a stateful layer (None before it is built or when not stateful)."""
        return self._state_variables.variables

    @states.setter
    def states(self, value: list | None) -> None:
        self._state_variables.variables = value

    def get_initial_state(self, batch_size: Any) -> list:
        """Zero states for ``batch_size`` sequences (or the cell's own ``get_initial_state``)."""
        get_initial_state = getattr(self.cell, "get_initial_state", None)
        if get_initial_state is not None:
            state = get_initial_state(batch_size=batch_size)
            return list(state) if isinstance(state, (list, tuple)) else [state]
        return [zeros_state(batch_size, _state_shape(size), self._cell_dtype()) for size in self.state_size]

    def _cell_dtype(self) -> str:
        return getattr(self.cell, "compute_dtype", self.compute_dtype)

    def reset_states(self) -> None:
        self.reset_state()

    def reset_state(self) -> None:
        """Sets a stateful layer's states back to zeros."""
        if self.states is not None:
            for variable in nest.flatten(self.states):
                variable.assign(array_ops.zeros_like(variable.read_value()))

    # -- shapes and masks ---------------------------------------------------------------------------------
    def compute_output_shape(self, sequences_shape: Any, initial_state_shape: Any = None) -> Any:
        batch_size, length = sequences_shape[0], sequences_shape[1]
        states_shape = []
        for size in self.state_size:
            if isinstance(size, (int, TensorShape)):
                states_shape.append((batch_size, *_state_shape(size)))
            else:
                states_shape.append([(batch_size, *_state_shape(s)) for s in size])
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = self.state_size[0]
        if not isinstance(output_size, int):
            raise ValueError("output_size must be an integer.")
        output_shape = (batch_size, length, output_size) if self.return_sequences else (batch_size, output_size)
        if self.return_state:
            return (output_shape, *states_shape)
        return output_shape

    def compute_mask(self, _: Any, mask: Any) -> Any:
        mask = nest.flatten(mask)[0] if mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None for _ in self.state_size]
        return output_mask

    # -- building -----------------------------------------------------------------------------------------
    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        step_input_shape = (sequences_shape[0], *tuple(sequences_shape[2:]))
        build_sublayer(self, self.cell, step_input_shape)
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            else:
                if sequences_shape[0] is None:
                    raise ValueError("When using `stateful=True` in a RNN, the batch size must be static. Found "
                                     f"dynamic batch size: sequence.shape={tuple(sequences_shape)}")
                initial = self.get_initial_state(sequences_shape[0])
                self.states = nest.map_structure(
                    lambda value: Variable(value, trainable=False, name="rnn_state"), initial)
                self._expected_batch_size = sequences_shape[0]
        self.built = True

    # -- the computation ----------------------------------------------------------------------------------
    def call(self, sequences: Any, initial_state: Any = None, mask: Any = None, training: Any = False) -> Any:
        timesteps = sequences.shape[1]
        if self.unroll and timesteps is None:
            raise ValueError("Cannot unroll a RNN if the time dimension is undefined. \n- If using a Sequential "
                             "model, specify the time dimension by passing an `Input()` as your first layer.\n"
                             "- If using the functional API, specify the time dimension by passing a `shape` "
                             "or `batch_shape` argument to your `Input()`.")
        if timesteps is None:
            raise NotImplementedError(f"{type(self).__name__} over a time dimension unknown while tracing is not "
                                      "supported yet: give the input a static number of timesteps")
        if initial_state is None:
            if self.stateful:
                initial_state = [v.read_value() for v in nest.flatten(self.states)]
                initial_state = nest.pack_sequence_as(self.states, initial_state)
            else:
                batch = sequences.shape[0]
                initial_state = self.get_initial_state(batch if batch is not None
                                                       else array_ops.shape(sequences)[0])
        if self.stateful:
            actual = sequences.shape[0]
            if self._expected_batch_size is not None and actual is not None and actual != self._expected_batch_size:
                raise ValueError("If an RNN is stateful, the batch size of the input sequences must be the same as "
                                 "the batch size of the initial state. \n"
                                 f"- Expected batch size: {self._expected_batch_size}\n"
                                 f"- Received batch size: {actual}")
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        dtype = self._cell_dtype()
        initial_state = nest.map_structure(lambda s: math_ops.cast(convert_to_tensor(s), dtype), list(initial_state))

        try:
            last_output, outputs, states = self.inner_loop(sequences, initial_state, mask, training)
        finally:
            _reset_dropout_masks(self.cell)

        if self.stateful:
            for variable, value in zip(nest.flatten(self.states), nest.flatten(states)):
                variable.assign(value)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def inner_loop(self, sequences: Any, initial_state: list, mask: Any, training: Any = False) -> tuple:
        """Runs the cell over the timesteps; returns ``(last_output, outputs, final_states)``."""
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        cell = self.cell
        if isinstance(cell, ProjectedCell):
            if training and cell.dropout > 0:
                cell.get_dropout_mask(sequences[:, 0])  # one mask for every timestep, shaped like one step
            time_major = array_ops.transpose(sequences, [1, 0, *range(2, sequences.shape.rank)])
            inputs = array_ops.unstack(cell.project(time_major, training))
            cell_step = cell.make_step(training)
        else:
            inputs = array_ops.unstack(sequences, axis=1)
            cell_call = cell if callable(cell) else cell.call
            kwargs = {"training": training} if isinstance(cell, Layer) and call_accepts(cell.call, "training") else {}

            def cell_step(x_t: Any, states: list) -> tuple:
                return cell_call(x_t, states, **kwargs)

        structure = initial_state
        nested = any(isinstance(s, (list, tuple)) for s in structure)

        def step(x_t: Any, flat_states: list) -> tuple:
            output, new_states = cell_step(x_t, nest.pack_sequence_as(structure, flat_states) if nested
                                           else flat_states)
            if not isinstance(new_states, (list, tuple)):
                new_states = [new_states]
            return output, nest.flatten(new_states) if nested else new_states

        masks = None
        if mask is not None:
            mask = math_ops.cast(mask, "bool")
            masks = array_ops.unstack(array_ops.expand_dims(mask, -1), axis=1)
        if self.go_backwards:
            inputs = inputs[::-1]
            masks = masks[::-1] if masks is not None else None
        outputs, flat_states = run_steps(step, inputs, nest.flatten(initial_state), masks,
                                         self.zero_output_for_mask)
        sequence = array_ops.stack(outputs, axis=1) if self.return_sequences else None
        return outputs[-1], sequence, nest.pack_sequence_as(structure, flat_states)

    # -- configuration ------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        config = {"return_sequences": self.return_sequences, "return_state": self.return_state,
                  "go_backwards": self.go_backwards, "stateful": self.stateful, "unroll": self.unroll,
                  "zero_output_for_mask": self.zero_output_for_mask, "cell": serialize_layer(self.cell)}
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> RNN:
        config = dict(config)
        cell = deserialize_layer(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


def _reset_dropout_masks(cell: Any) -> None:
    """Forgets the dropout masks of ``cell`` (and of the cells it stacks) so the next sequence draws new ones."""
    if isinstance(cell, DropoutRNNCell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    if isinstance(cell, StackedRNNCells):
        for inner in cell.cells:
            _reset_dropout_masks(inner)


def _state_shape(size: Any) -> tuple:
    """The shape of one state without its batch axis: ``(size,)`` for an int, the dims of a ``TensorShape``."""
    return tuple(size.as_list()) if isinstance(size, TensorShape) else (size,)
