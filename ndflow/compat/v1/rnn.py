"""TF1's recurrent loops: ``dynamic_rnn`` (a ``while_loop``), ``static_rnn`` (unrolled) and bidirectional ones.

Any object with the cell interface works (``state_size``, ``output_size``, ``zero_state`` or
``get_initial_state``, ``__call__(inputs, state)``). With ``sequence_length``, steps past each example's
length output zeros and copy the state through, so the final state is the state at each example's end.
"""
from __future__ import annotations

from typing import Any, Callable

import ndflow as _tf

from ..._core import nest
from ..._core.context import state as _state
from ..._core.control_flow import while_loop
from .rnn_cell import _prebuild, _zeros
from .variable_scope import _root_graph, variable_scope

__all__ = ["dynamic_rnn", "static_rnn", "static_bidirectional_rnn", "bidirectional_dynamic_rnn", "raw_rnn"]


def _swap_batch_time(x: Any) -> Any:
    rank = x.shape.rank
    if rank is None or rank < 2:
        raise ValueError(f"Expected input tensor {x} to have rank at least 2")
    return _tf.transpose(x, [1, 0] + list(range(2, rank)))


def _initial_state(cell: Any, batch_size: Any, dtype: Any, initial_state: Any) -> Any:
    if initial_state is not None:
        return initial_state
    if dtype is None:
        raise ValueError("If no initial_state is provided, argument `dtype` must be specified")
    if hasattr(cell, "zero_state"):
        return cell.zero_state(batch_size, dtype)
    if hasattr(cell, "get_initial_state"):
        return cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)
    return nest.map_structure(lambda size: _zeros(size, batch_size, dtype), cell.state_size)


def _checked_lengths(sequence_length: Any) -> Any:
    """``sequence_length`` as an int32 vector (None stays None).

    Raises:
        ValueError: it is not a vector.
    """
    if sequence_length is None:
        return None
    lengths = _tf.convert_to_tensor(sequence_length)
    if lengths.shape.rank not in (None, 1):
        raise ValueError(f"sequence_length must be a vector of length batch_size, but saw shape: {lengths.shape}")
    return _tf.identity(_tf.cast(lengths, _tf.int32), name="sequence_length")


def _batch_size(flat_inputs: list, batch_axis: int) -> Any:
    for x in flat_inputs:
        if x.shape.rank is not None and x.shape[batch_axis] is not None:
            return int(x.shape[batch_axis])
    return _tf.shape(flat_inputs[0])[batch_axis]


def _build_cell(cell: Any, step_input: Any, state: Any, scope: Any) -> None:
    """Creates the cell's variables outside any loop (loop bodies cannot hold variable creations).

    Our cells build from the input shape; other cells are called once here, then the scope is set to reuse.
    """
    first = nest.flatten(step_input)[0]
    if _prebuild(cell, first.shape, first.dtype):
        return
    if _state.graph is not None:
        cell(step_input, state)
        scope.reuse_variables()


def _where_rows(done: Any, when_done: Any, otherwise: Any) -> Any:
    """Per batch row, ``when_done`` where ``done`` else ``otherwise`` (``done`` is a ``[batch]`` bool)."""
    mask = _tf.reshape(done, [-1] + [1] * (otherwise.shape.rank - 1))
    return _tf.where(_tf.broadcast_to(mask, _tf.shape(otherwise)), when_done, otherwise)


def _masked_step(time: Any, sequence_length: Any, output: Any, new_state: Any, old_state: Any) -> tuple:
    if sequence_length is None:
        return output, new_state
    done = _tf.greater_equal(time, sequence_length)
    output = nest.map_structure(lambda o: _where_rows(done, _tf.zeros_like(o), o), output)
    new_state = nest.map_structure(lambda old, new: _where_rows(done, old, new), old_state, new_state)
    return output, new_state


def _in_scopes(scopes: list | None, body: Callable) -> Callable:
    """``body`` run with the variable-scope stack it was built under (``scopes``), as its gradient is traced
    later, outside those scopes; inside the loop ``get_variable`` then finds the same variables."""
    def scoped(*args: Any) -> Any:
        root = _root_graph() if _state.graph is not None else None
        if scopes is None or root is None or not hasattr(root, "_var_scopes"):
            return body(*args)
        saved = root._var_scopes
        root._var_scopes = list(scopes)
        try:
            return body(*args)
        finally:
            root._var_scopes = saved

    return scoped


def _scope_stack() -> list | None:
    """The current variable-scope stack of the default graph (None when executing eagerly)."""
    return list(_root_graph().__dict__.get("_var_scopes", [])) if _state.graph is not None else None


def dynamic_rnn(cell: Any, inputs: Any, sequence_length: Any = None, initial_state: Any = None, dtype: Any = None,
                parallel_iterations: int | None = None, swap_memory: bool = False, time_major: bool = False,
                scope: Any = None) -> tuple:
    """Runs ``cell`` over the time axis of ``inputs`` in a ``while_loop``.

    Args:
        cell: an RNN cell (anything with the cell interface).
        inputs: ``[batch, time, ...]`` (``[time, batch, ...]`` with ``time_major``), or a nested structure.
        sequence_length: optional ``[batch]`` int lengths.
        initial_state: the starting state; zeros of ``dtype`` when None.
        scope: the variable scope (``"rnn"`` by default).

    Returns:
        ``(outputs, final_state)``: outputs laid out like ``inputs`` with the cell's output size last.

    Raises:
        ValueError: neither ``initial_state`` nor ``dtype``; inputs of rank below 2.
    """
    with variable_scope(scope or "rnn") as varscope:
        flat = [_tf.convert_to_tensor(x) for x in nest.flatten(inputs)]
        if not time_major:
            flat = [_swap_batch_time(x) for x in flat]
        batch_size = _batch_size(flat, 1)
        state = _initial_state(cell, batch_size, dtype, initial_state)
        sequence_length = _checked_lengths(sequence_length)
        steps = flat[0].shape[0]
        n_steps = int(steps) if steps is not None else _tf.shape(flat[0])[0]
        first_input = nest.pack_sequence_as(inputs, [x[0] for x in flat]) if steps != 0 else None
        if first_input is not None:
            _build_cell(cell, first_input, state, varscope)
        out_dtype = nest.flatten(state)[0].dtype
        input_arrays = [_tf.TensorArray(x.dtype, size=n_steps, element_shape=x.shape[1:]).unstack(x) for x in flat]
        static_batch = flat[0].shape[1]
        output_arrays = [_tf.TensorArray(out_dtype, size=n_steps,
                                         element_shape=[static_batch] + _tf.TensorShape(size).as_list())
                         for size in nest.flatten(cell.output_size)]

        scopes = _scope_stack()

        def step(time: Any, arrays: list, loop_state: Any) -> tuple:
            step_input = nest.pack_sequence_as(inputs, [_tf.ensure_shape(ta.read(time), x.shape[1:])
                                                        for ta, x in zip(input_arrays, flat)])
            output, new_state = cell(step_input, loop_state)
            if _state.graph is None:
                varscope.reuse_variables()  # eager loops call the cell again: later calls share its variables
            output, new_state = _masked_step(time, sequence_length, output, new_state, loop_state)
            arrays = [ta.write(time, o) for ta, o in zip(arrays, nest.flatten(output))]
            return time + 1, arrays, new_state

        _, output_arrays, final_state = while_loop(
            lambda time, *_: time < n_steps, _in_scopes(scopes, step), (_tf.constant(0), output_arrays, state),
            parallel_iterations=parallel_iterations or 32, swap_memory=swap_memory)
        outputs = []
        for ta, size in zip(output_arrays, nest.flatten(cell.output_size)):
            out = _tf.ensure_shape(ta.stack(), [steps, static_batch] + _tf.TensorShape(size).as_list())
            outputs.append(out if time_major else _swap_batch_time(out))
        return nest.pack_sequence_as(cell.output_size, outputs), final_state


def static_rnn(cell: Any, inputs: list, initial_state: Any = None, dtype: Any = None, sequence_length: Any = None,
               scope: Any = None) -> tuple:
    """Unrolls ``cell`` over a Python list of ``[batch, ...]`` inputs; variables are shared across steps.

    Returns:
        ``(outputs, final_state)`` with one output per input.

    Raises:
        TypeError: ``inputs`` is not a list or tuple.
        ValueError: empty ``inputs``; neither ``initial_state`` nor ``dtype``.
    """
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    with variable_scope(scope or "rnn") as varscope:
        first = [_tf.convert_to_tensor(x) for x in nest.flatten(inputs[0])]
        state = _initial_state(cell, _batch_size(first, 0), dtype, initial_state)
        sequence_length = _checked_lengths(sequence_length)
        outputs = []
        for time, step_input in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()
            output, new_state = cell(step_input, state)
            output, state = _masked_step(time, sequence_length, output, new_state, state)
            outputs.append(output)
        return outputs, state


def _reverse_time(x: Any, lengths: Any, time_axis: int) -> Any:
    """Reverses the first ``lengths[b]`` steps of each example (all steps when ``lengths`` is None)."""
    if lengths is None:
        return _tf.reverse(x, [time_axis])
    return _tf.ensure_shape(_tf.reverse_sequence(x, lengths, seq_axis=time_axis, batch_axis=1 - time_axis), x.shape)


def bidirectional_dynamic_rnn(cell_fw: Any, cell_bw: Any, inputs: Any, sequence_length: Any = None,
                              initial_state_fw: Any = None, initial_state_bw: Any = None, dtype: Any = None,
                              parallel_iterations: int | None = None, swap_memory: bool = False,
                              time_major: bool = False, scope: Any = None) -> tuple:
    """A forward ``dynamic_rnn`` (scope ``fw``) and one over the reversed sequences (scope ``bw``).

    Returns:
        ``((output_fw, output_bw), (state_fw, state_bw))``; ``output_bw`` is reversed back into time order.
    """
    time_axis = 0 if time_major else 1
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            out_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length, initial_state_fw, dtype,
                                           parallel_iterations, swap_memory, time_major, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            reversed_inputs = nest.map_structure(
                lambda x: _reverse_time(_tf.convert_to_tensor(x), sequence_length, time_axis), inputs)
            out_bw, state_bw = dynamic_rnn(cell_bw, reversed_inputs, sequence_length, initial_state_bw, dtype,
                                           parallel_iterations, swap_memory, time_major, scope=bw_scope)
    out_bw = nest.map_structure(lambda x: _reverse_time(x, sequence_length, time_axis), out_bw)
    return (out_fw, out_bw), (state_fw, state_bw)


def static_bidirectional_rnn(cell_fw: Any, cell_bw: Any, inputs: list, initial_state_fw: Any = None,
                             initial_state_bw: Any = None, dtype: Any = None, sequence_length: Any = None,
                             scope: Any = None) -> tuple:
    """``static_rnn`` both ways; each step's output concatenates the forward and backward outputs.

    Returns:
        ``(outputs, state_fw, state_bw)``.

    Raises:
        TypeError: ``inputs`` is not a list or tuple.
        ValueError: empty ``inputs``.
    """
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            out_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype, sequence_length, fw_scope)
        with variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_list(inputs, sequence_length)
            out_bw, state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype, sequence_length,
                                          bw_scope)
    out_bw = _reverse_list(out_bw, sequence_length)
    outputs = [nest.map_structure(lambda f, b: _tf.concat([f, b], 1), f, b) for f, b in zip(out_fw, out_bw)]
    return outputs, state_fw, state_bw


def _reverse_list(steps: list, lengths: Any) -> list:
    flat = [nest.flatten(s) for s in steps]
    columns = []
    for k in range(len(flat[0])):
        stacked = _tf.stack([_tf.convert_to_tensor(f[k]) for f in flat], axis=1)
        columns.append(_tf.unstack(_reverse_time(stacked, lengths, 1), num=len(steps), axis=1))
    return [nest.pack_sequence_as(steps[0], [col[t] for col in columns]) for t in range(len(steps))]


def raw_rnn(cell: Any, loop_fn: Callable, parallel_iterations: int | None = None, swap_memory: bool = False,
            scope: Any = None) -> tuple:
    """A loop whose inputs, stopping and emitted values come from ``loop_fn``.

    ``loop_fn(time, cell_output, cell_state, loop_state)`` returns ``(finished, next_input, next_cell_state,
    emit_output, next_loop_state)``; it is first called with ``cell_output=None`` to get the initial values.
    The loop stops when every batch element is finished; finished elements emit zeros and keep their state.

    Returns:
        ``(emit_ta, final_state, final_loop_state)``: ``emit_ta`` is a TensorArray (or a structure of them)
        of the emitted ``[batch, ...]`` values, one per step.

    Raises:
        TypeError: ``loop_fn`` is not callable.
    """
    if not callable(loop_fn):
        raise TypeError("loop_fn must be a callable")
    with variable_scope(scope or "rnn") as varscope:
        time = _tf.constant(0, _tf.int32)
        finished, next_input, state, emit_structure, loop_state = loop_fn(time, None, None, None)
        no_loop_state = loop_state is None
        flat_input = [_tf.convert_to_tensor(x) for x in nest.flatten(next_input)]
        batch_size = _batch_size(flat_input, 0)
        if emit_structure is not None:
            emit_template = emit_structure
            flat_specs = [(_tf.TensorShape(e.shape[1:]).as_list(), e.dtype) for e in nest.flatten(emit_structure)]
        else:
            emit_template = cell.output_size
            dtype = nest.flatten(state)[0].dtype
            flat_specs = [(_tf.TensorShape(size).as_list(), dtype) for size in nest.flatten(cell.output_size)]
        zero_emit = [_tf.zeros([batch_size] + size if isinstance(batch_size, int) else
                               _tf.concat([[batch_size], _tf.constant(size, _tf.int32)], 0), dtype=dtype)
                     for size, dtype in flat_specs]
        emit_arrays = [_tf.TensorArray(dtype, size=0, dynamic_size=True) for _, dtype in flat_specs]
        _build_cell(cell, next_input, state, varscope)
        scopes = _scope_stack()

        def body(time: Any, done: Any, step_input: Any, arrays: list, cell_state: Any, extra: Any) -> tuple:
            output, new_cell_state = cell(step_input, cell_state)
            if _state.graph is None:
                varscope.reuse_variables()
            next_finished, next_step_input, next_state, emit, next_extra = loop_fn(
                time + 1, output, new_cell_state, None if no_loop_state else extra)
            flat_emit = nest.flatten(output if emit is None else emit)
            flat_emit = [_where_rows(done, zero, e) for zero, e in zip(zero_emit, flat_emit)]
            next_state = nest.map_structure(lambda old, new: _where_rows(done, old, new), cell_state, next_state)
            arrays = [ta.write(time, e) for ta, e in zip(arrays, flat_emit)]
            done = _tf.logical_or(done, next_finished)
            return time + 1, done, next_step_input, arrays, next_state, extra if no_loop_state else next_extra

        loop_vars = (time, _tf.convert_to_tensor(finished), next_input, emit_arrays, state,
                     _tf.constant(0) if no_loop_state else loop_state)
        _, _, _, emit_arrays, final_state, final_loop_state = while_loop(
            lambda time, done, *_: _tf.logical_not(_tf.reduce_all(done)), _in_scopes(scopes, body), loop_vars,
            parallel_iterations=parallel_iterations or 32, swap_memory=swap_memory)
        return (nest.pack_sequence_as(emit_template, emit_arrays), final_state,
                None if no_loop_state else final_loop_state)
