"""``tf.compat.v1.nn.rnn_cell``: TF1's recurrent cells.

A cell maps ``(inputs, state)`` to ``(output, new_state)`` for one time step. Its variables are created
through ``get_variable`` on the first call, in a variable scope named after the cell inside the caller's
scope (``rnn/basic_lstm_cell/kernel``), and reused by every later call. Kernels multiply the concatenation
``[inputs, h]`` and the gates are laid out as TF's (LSTM ``i, j, f, o``; GRU ``r, u``), so weights copied
from TensorFlow give the same outputs.
"""
from __future__ import annotations

import collections
import contextlib
import numbers
from typing import Any, Callable

import ndflow as _tf

from ..._core import nest
from ..._core.context import state as _state
from .initializers import constant_initializer, glorot_uniform_initializer, zeros_initializer
from .layers import _VariableOwner
from .variable_scope import AUTO_REUSE, VariableScope, get_variable, get_variable_scope, variable_scope

__all__ = ["RNNCell", "LayerRNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "LSTMStateTuple"]


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """An LSTM state: the memory ``c`` and the output ``h``."""

    __slots__ = ()

    @property
    def dtype(self) -> Any:
        if self.c.dtype != self.h.dtype:
            raise TypeError(f"Inconsistent internal state: {self.c.dtype} vs {self.h.dtype}")
        return self.c.dtype


def _op_scope(name: str):
    """A name scope for the ops of a step (graph mode only: eager name scopes would rename variables)."""
    graph = _state.graph
    return graph.name_scope(name) if graph is not None else contextlib.nullcontext()


def _last_dim(shape: Any, owner: str) -> int:
    shape = _tf.TensorShape(shape)
    if shape.rank is None or shape[-1] is None:
        raise ValueError(f"Expected inputs.shape[-1] to be known, saw shape: {shape} ({owner})")
    return int(shape[-1])


def _zeros(size: Any, batch_size: Any, dtype: Any) -> Any:
    dims = [size] if isinstance(size, numbers.Integral) else list(_tf.TensorShape(size).as_list())
    if isinstance(batch_size, numbers.Integral):
        return _tf.zeros([batch_size] + dims, dtype=dtype)
    zeros = _tf.zeros(_tf.concat([_tf.reshape(batch_size, [1]), _tf.constant(dims, _tf.int32)], 0), dtype=dtype)
    return _tf.ensure_shape(zeros, [None] + dims)


class RNNCell(_VariableOwner):
    """Base class: subclasses define ``state_size``, ``output_size``, ``build(inputs_shape)`` and
    ``call(inputs, state)``; ``__call__`` builds the variables once, in the cell's variable scope.

    Args:
        trainable: whether the cell's variables are trainable.
        name: the cell's variable scope name (the class name in snake case by default).
        dtype: the variables' dtype (the inputs' by default).
    """

    _default_name = "rnn_cell"

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        self._name = name or self._default_name
        self._trainable = trainable
        self._dtype = dtype
        self._variables: list = []
        self._scope: VariableScope | None = None
        self.built = False

    @property
    def name(self) -> str:
        return self._name

    @property
    def state_size(self) -> Any:
        """Size(s) of the state: an int, a TensorShape or a nested structure of them."""
        raise NotImplementedError(f"{type(self).__name__}.state_size is not supported yet")

    @property
    def output_size(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.output_size is not supported yet")

    def build(self, inputs_shape: Any) -> None:
        """Creates the variables (through ``add_variable``) for inputs of ``inputs_shape``."""

    def call(self, inputs: Any, state: Any) -> tuple:
        raise NotImplementedError(f"{type(self).__name__}.call is not supported yet")

    def add_variable(self, name: str, shape: Any, dtype: Any = None, initializer: Any = None,
                     trainable: bool | None = None) -> Any:
        """A ``get_variable`` in the cell's scope, tracked in ``variables``.

        Executing eagerly there is no variable store to share through (as in TF2): the cell creates and owns
        its variables, named after the scope.
        """
        dtype = _tf.as_dtype(dtype or self._dtype or _tf.float32)
        trainable = self._trainable if trainable is None else trainable
        if _state.graph is None:
            scope = get_variable_scope()
            initializer = initializer or scope.initializer or glorot_uniform_initializer()
            var = _tf.Variable(lambda: initializer(list(shape), dtype=dtype), trainable=trainable, dtype=dtype,
                               name=f"{scope.name}/{name}" if scope.name else name)
        else:
            var = get_variable(name, shape, dtype=dtype, initializer=initializer, trainable=trainable)
        self._variables.append(var)
        return var

    add_weight = add_variable

    def _maybe_build(self, inputs_shape: Any, scope: Any = None, dtype: Any = None) -> None:
        """Builds the variables on first use, in ``scope`` (or a scope named after the cell)."""
        if self.built:
            return
        if self._dtype is None:
            self._dtype = dtype
        with variable_scope(scope if scope is not None else self._name) as vs:
            self._scope = vs
            self.build(_tf.TensorShape(inputs_shape))
        self.built = True

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        """One step: ``(output, new_state)``."""
        inputs = _tf.convert_to_tensor(inputs)
        self._maybe_build(inputs.shape, scope, inputs.dtype)
        with variable_scope(self._scope, reuse=AUTO_REUSE, auxiliary_name_scope=False), _op_scope(self._name):
            return self.call(inputs, state)

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """Zeros shaped like ``state_size`` with a leading batch dimension."""
        with _op_scope(f"{type(self).__name__}ZeroState"):
            return nest.map_structure(lambda size: _zeros(size, batch_size, dtype), self.state_size)

    def get_initial_state(self, inputs: Any = None, batch_size: Any = None, dtype: Any = None) -> Any:
        """``zero_state``, with the batch size and dtype taken from ``inputs`` when given.

        Raises:
            ValueError: neither inputs nor both batch_size and dtype.
        """
        if inputs is not None:
            inputs = _tf.convert_to_tensor(inputs)
            batch_size = inputs.shape[0] if inputs.shape[0] is not None else _tf.shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError(f"batch_size and dtype cannot be None while constructing initial state: "
                             f"batch_size={batch_size}, dtype={dtype}")
        return self.zero_state(batch_size, dtype)


LayerRNNCell = RNNCell


def _matmul_concat(parts: list, kernel: Any, bias: Any) -> Any:
    return _tf.nn.bias_add(_tf.matmul(_tf.concat(parts, 1), kernel), bias)


class _SingleStateCell(RNNCell):
    """A cell whose output and state are both ``num_units`` wide, with ``activation`` (tanh by default)."""

    def __init__(self, num_units: int, activation: Callable | None = None, reuse: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = activation or _tf.tanh

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units


class BasicRNNCell(_SingleStateCell):
    """``h' = activation([x, h] @ kernel + bias)``; output and state are ``h'``."""

    _default_name = "basic_rnn_cell"

    def build(self, inputs_shape: Any) -> None:
        depth = _last_dim(inputs_shape, self._name)
        self._kernel = self.add_variable("kernel", [depth + self._num_units, self._num_units])
        self._bias = self.add_variable("bias", [self._num_units], initializer=zeros_initializer())

    def call(self, inputs: Any, state: Any) -> tuple:
        output = self._activation(_matmul_concat([inputs, state], self._kernel, self._bias))
        return output, output


class BasicLSTMCell(RNNCell):
    """LSTM without peepholes or projection; ``forget_bias`` is added to the forget gate.

    Raises:
        ValueError: (when called) inputs whose last dimension is unknown.
    """

    _default_name = "basic_lstm_cell"

    def __init__(self, num_units: int, forget_bias: float = 1.0, state_is_tuple: bool = True,
                 activation: Callable | None = None, reuse: Any = None, name: str | None = None,
                 dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or _tf.tanh

    @property
    def state_size(self) -> Any:
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: Any) -> None:
        depth = _last_dim(inputs_shape, self._name)
        self._kernel = self.add_variable("kernel", [depth + self._num_units, 4 * self._num_units])
        self._bias = self.add_variable("bias", [4 * self._num_units], initializer=zeros_initializer())

    def call(self, inputs: Any, state: Any) -> tuple:
        c, h = state if self._state_is_tuple else _tf.split(state, 2, axis=1)
        i, j, f, o = _tf.split(_matmul_concat([inputs, h], self._kernel, self._bias), 4, axis=1)
        new_c = c * _tf.sigmoid(f + self._forget_bias) + _tf.sigmoid(i) * self._activation(j)
        new_h = self._activation(new_c) * _tf.sigmoid(o)
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else _tf.concat([new_c, new_h], 1)
        return new_h, new_state


class LSTMCell(RNNCell):
    """LSTM with optional peepholes (``w_f_diag``, ``w_i_diag``, ``w_o_diag``), cell clipping and an output
    projection (``projection/kernel``, ``num_proj`` units)."""

    _default_name = "lstm_cell"

    def __init__(self, num_units: int, use_peepholes: bool = False, cell_clip: float | None = None,
                 initializer: Any = None, num_proj: int | None = None, proj_clip: float | None = None,
                 num_unit_shards: Any = None, num_proj_shards: Any = None, forget_bias: float = 1.0,
                 state_is_tuple: bool = True, activation: Callable | None = None, reuse: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name, dtype=dtype, **kwargs)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("LSTMCell sharded kernels (num_unit_shards) are not supported yet")
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or _tf.tanh

    @property
    def state_size(self) -> Any:
        h = self._num_proj or self._num_units
        return LSTMStateTuple(self._num_units, h) if self._state_is_tuple else self._num_units + h

    @property
    def output_size(self) -> int:
        return self._num_proj or self._num_units

    def build(self, inputs_shape: Any) -> None:
        depth = _last_dim(inputs_shape, self._name)
        h_depth = self._num_proj or self._num_units
        n = self._num_units
        self._kernel = self.add_variable("kernel", [depth + h_depth, 4 * n], initializer=self._initializer)
        self._bias = self.add_variable("bias", [4 * n], initializer=zeros_initializer())
        if self._use_peepholes:
            self._w_f_diag = self.add_variable("w_f_diag", [n], initializer=self._initializer)
            self._w_i_diag = self.add_variable("w_i_diag", [n], initializer=self._initializer)
            self._w_o_diag = self.add_variable("w_o_diag", [n], initializer=self._initializer)
        if self._num_proj is not None:
            with variable_scope("projection"):
                self._proj_kernel = self.add_variable("kernel", [n, self._num_proj], initializer=self._initializer)

    def call(self, inputs: Any, state: Any) -> tuple:
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = _tf.slice(state, [0, 0], [-1, self._num_units])
            m_prev = _tf.slice(state, [0, self._num_units], [-1, self.output_size])
        i, j, f, o = _tf.split(_matmul_concat([inputs, m_prev], self._kernel, self._bias), 4, axis=1)
        forget = f + self._forget_bias
        if self._use_peepholes:
            forget = forget + self._w_f_diag * c_prev
            i = i + self._w_i_diag * c_prev
        c = _tf.sigmoid(forget) * c_prev + _tf.sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = _tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            o = o + self._w_o_diag * c
        m = _tf.sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = _tf.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = _tf.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else _tf.concat([c, m], 1)
        return m, new_state


class GRUCell(_SingleStateCell):
    """Gated recurrent unit: reset and update gates (``gates/``), then the candidate (``candidate/``)."""

    _default_name = "gru_cell"

    def __init__(self, num_units: int, activation: Callable | None = None, reuse: Any = None,
                 kernel_initializer: Any = None, bias_initializer: Any = None, name: str | None = None,
                 dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(num_units, activation, name=name, dtype=dtype, **kwargs)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    def build(self, inputs_shape: Any) -> None:
        depth = _last_dim(inputs_shape, self._name)
        n = self._num_units
        with variable_scope("gates"):
            self._gate_kernel = self.add_variable("kernel", [depth + n, 2 * n],
                                                  initializer=self._kernel_initializer)
            self._gate_bias = self.add_variable("bias", [2 * n], initializer=self._bias_initializer
                                                or constant_initializer(1.0))
        with variable_scope("candidate"):
            self._candidate_kernel = self.add_variable("kernel", [depth + n, n],
                                                       initializer=self._kernel_initializer)
            self._candidate_bias = self.add_variable("bias", [n], initializer=self._bias_initializer
                                                     or zeros_initializer())

    def call(self, inputs: Any, state: Any) -> tuple:
        gates = _tf.sigmoid(_matmul_concat([inputs, state], self._gate_kernel, self._gate_bias))
        r, u = _tf.split(gates, 2, axis=1)
        candidate = self._activation(_matmul_concat([inputs, r * state], self._candidate_kernel,
                                                    self._candidate_bias))
        new_h = u * state + (1 - u) * candidate
        return new_h, new_h


def _prebuild(cell: Any, inputs_shape: Any, dtype: Any) -> bool:
    """Builds ``cell``'s variables now if it is one of ours; False for cells only a call can build."""
    if isinstance(cell, _Wrapper) and type(cell).__call__ is _Wrapper.__call__:
        return cell._prebuild_inner(inputs_shape, dtype)
    if isinstance(cell, MultiRNNCell) and type(cell).__call__ is MultiRNNCell.__call__:
        return cell._prebuild_layers(inputs_shape, dtype)
    if not isinstance(cell, RNNCell) or type(cell).__call__ is not RNNCell.__call__:
        return False
    cell._maybe_build(inputs_shape, dtype=dtype)
    return getattr(cell, "_fully_built", True)


class MultiRNNCell(RNNCell):
    """Cells stacked at each time step: layer ``k`` runs in scope ``cell_k`` on the output of layer ``k-1``.

    Raises:
        ValueError: no cells; or a non-tuple state with a cell whose state is a tuple.
    """

    _default_name = "multi_rnn_cell"

    def __init__(self, cells: list, state_is_tuple: bool = True) -> None:
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not nest.is_nested(cells):
            raise TypeError(f"cells must be a list or tuple, but saw: {cells}.")
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(nest.is_nested(c.state_size) for c in self._cells):
            raise ValueError(f"Some cells return tuples of states, but the flag state_is_tuple is not set. "
                             f"State sizes are: {[c.state_size for c in self._cells]}")

    @property
    def state_size(self) -> Any:
        sizes = tuple(cell.state_size for cell in self._cells)
        return sizes if self._state_is_tuple else sum(sizes)

    @property
    def output_size(self) -> Any:
        return self._cells[-1].output_size

    @property
    def variables(self) -> list:
        return _unique([v for cell in self._cells for v in cell.variables])

    weights = variables

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with _op_scope(f"{type(self).__name__}ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return _zeros(self.state_size, batch_size, dtype)

    def _prebuild_layers(self, inputs_shape: Any, dtype: Any) -> bool:
        shape = _tf.TensorShape(inputs_shape)
        self._maybe_build(None)
        with variable_scope(self._scope):
            for k, cell in enumerate(self._cells):
                with variable_scope(f"cell_{k}"):
                    if not _prebuild(cell, shape, dtype):
                        return False
                shape = _tf.TensorShape([shape[0], cell.output_size])
        return True

    def _maybe_build(self, inputs_shape: Any, scope: Any = None, dtype: Any = None) -> None:
        if not self.built:
            with variable_scope(scope if scope is not None else self._name) as vs:
                self._scope = vs
            self.built = True

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        self._maybe_build(None, scope)
        with variable_scope(self._scope, reuse=AUTO_REUSE, auxiliary_name_scope=False), _op_scope(self._name):
            return self.call(inputs, state)

    def call(self, inputs: Any, state: Any) -> tuple:
        new_states, offset = [], 0
        for k, cell in enumerate(self._cells):
            with variable_scope(f"cell_{k}"):
                if self._state_is_tuple:
                    layer_state = state[k]
                else:
                    layer_state = _tf.slice(state, [0, offset], [-1, cell.state_size])
                    offset += cell.state_size
                inputs, layer_state = cell(inputs, layer_state)
                new_states.append(layer_state)
        return inputs, tuple(new_states) if self._state_is_tuple else _tf.concat(new_states, 1)


def _unique(variables: list) -> list:
    seen, out = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


class _Wrapper(RNNCell):
    """A cell around another cell; the inner cell's variables keep the inner cell's names."""

    def __init__(self, cell: Any, name: str | None = None) -> None:
        super().__init__(name=name)
        self._cell = cell

    @property
    def wrapped_cell(self) -> Any:
        return self._cell

    @property
    def state_size(self) -> Any:
        return self._cell.state_size

    @property
    def output_size(self) -> Any:
        return self._cell.output_size

    @property
    def variables(self) -> list:
        return _unique(list(getattr(self._cell, "variables", [])) + self._variables)

    weights = variables

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with _op_scope(f"{type(self).__name__}ZeroState"):
            return self._cell.zero_state(batch_size, dtype)

    def _prebuild_inner(self, inputs_shape: Any, dtype: Any) -> bool:
        self.built = True
        return _prebuild(self._cell, inputs_shape, dtype)

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        return self.call(inputs, state, scope)

    def call(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        return self._cell(inputs, state, scope=scope)


def _is_float(value: Any) -> bool:
    return isinstance(value, numbers.Real)


class DropoutWrapper(_Wrapper):
    """Dropout on a cell's inputs, outputs and (except LSTM memories ``c``) its new state.

    With ``variational_recurrent`` one mask per wrapper (drawn at construction, as TF does) is used at every
    time step; this needs ``dtype`` and, for input dropout, ``input_size``.

    Raises:
        ValueError: a keep probability outside (0, 1]; variational dropout without dtype or input_size.
    """

    def __init__(self, cell: Any, input_keep_prob: Any = 1.0, output_keep_prob: Any = 1.0,
                 state_keep_prob: Any = 1.0, variational_recurrent: bool = False, input_size: Any = None,
                 dtype: Any = None, seed: int | None = None, dropout_state_filter_visitor: Callable | None = None,
                 **kwargs: Any) -> None:
        super().__init__(cell)
        for name, prob in (("input_keep_prob", input_keep_prob), ("state_keep_prob", state_keep_prob),
                           ("output_keep_prob", output_keep_prob)):
            if _is_float(prob) and not 0.0 < float(prob) <= 1.0:
                raise ValueError(f"Parameter {name} must be between 0 and 1: {int(prob)}")
        self._input_keep_prob = input_keep_prob
        self._output_keep_prob = output_keep_prob
        self._state_keep_prob = state_keep_prob
        self._seed = seed
        self._state_filter = dropout_state_filter_visitor or (lambda s: not isinstance(s, LSTMStateTuple) or
                                                              LSTMStateTuple(False, True))
        self._variational = variational_recurrent
        self._input_noise = self._state_noise = self._output_noise = None
        if variational_recurrent:
            if dtype is None:
                raise ValueError("When variational_recurrent=True, dtype must be provided")
            noise = lambda size: _tf.random.uniform([1, int(size)], dtype=dtype, seed=seed)  # noqa: E731
            if self._active(input_keep_prob):
                if input_size is None:
                    raise ValueError("When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, "
                                     "input_size must be provided")
                self._input_noise = nest.map_structure(noise, input_size)
            self._state_noise = nest.map_structure(noise, cell.state_size)
            self._output_noise = nest.map_structure(noise, cell.output_size)

    @staticmethod
    def _active(prob: Any) -> bool:
        return not _is_float(prob) or float(prob) < 1.0

    def _drop(self, values: Any, keep_prob: Any, noise: Any, keep_mask: Any = True) -> Any:
        def drop_one(value: Any, mask_noise: Any) -> Any:
            if self._variational:
                return value / keep_prob * _tf.floor(keep_prob + mask_noise)
            return _tf.nn.dropout(value, rate=1 - keep_prob, seed=self._seed)

        flat_values = nest.flatten(values)
        flat_noise = nest.flatten(noise) if noise is not None else [None] * len(flat_values)
        flat_keep = keep_mask if isinstance(keep_mask, list) else [keep_mask] * len(flat_values)
        dropped = [drop_one(v, n) if k else v for v, n, k in zip(flat_values, flat_noise, flat_keep)]
        return nest.pack_sequence_as(values, dropped)

    def _state_dropout_flags(self, state: Any) -> list:
        """Per state leaf, whether state dropout applies: the filter visits the state top-down and answers
        with a bool for a whole substructure or with one bool per child (``LSTMStateTuple(False, True)``)."""
        decision = self._state_filter(state)
        if not nest.is_nested(decision):
            if not decision:
                return [False] * len(nest.flatten(state))
            if not nest.is_nested(state):
                return [True]
            decision = [True] * len(state)
        children = [state[k] for k in sorted(state)] if isinstance(state, dict) else list(state)
        flags: list = []
        for child, visit in zip(children, nest.flatten(decision)):
            flags += self._state_dropout_flags(child) if visit else [False] * len(nest.flatten(child))
        return flags

    def call(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        if self._active(self._input_keep_prob):
            inputs = self._drop(inputs, self._input_keep_prob, self._input_noise)
        output, new_state = self._cell(inputs, state, scope=scope)
        if self._active(self._state_keep_prob):
            new_state = self._drop(new_state, self._state_keep_prob, self._state_noise,
                                   self._state_dropout_flags(new_state))
        if self._active(self._output_keep_prob):
            output = self._drop(output, self._output_keep_prob, self._output_noise)
        return output, new_state


class ResidualWrapper(_Wrapper):
    """Adds the cell's inputs to its outputs (``residual_fn(inputs, outputs)`` when given)."""

    def __init__(self, cell: Any, residual_fn: Callable | None = None, **kwargs: Any) -> None:
        super().__init__(cell)
        self._residual_fn = residual_fn

    def call(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        output, new_state = self._cell(inputs, state, scope=scope)
        if self._residual_fn is not None:
            return self._residual_fn(inputs, output), new_state
        nest.assert_same_structure(inputs, output)
        return nest.map_structure(lambda i, o: i + o, inputs, output), new_state


class DeviceWrapper(_Wrapper):
    """Runs the cell under ``tf.device(device)`` (placement is recorded only: ndflow runs on one device)."""

    def __init__(self, cell: Any, device: str, **kwargs: Any) -> None:
        super().__init__(cell)
        self._device = device

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with _tf.device(self._device):
            return super().zero_state(batch_size, dtype)

    def call(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        with _tf.device(self._device):
            return self._cell(inputs, state, scope=scope)
