"""TF1 RNN cells, run eagerly, against NumPy references (weights read back from the cells)."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.compat.v1 import rnn_cell
from ndflow.compat.v1.contrib import rnn as contrib_rnn
from tests.gradcheck import check_gradients

v1 = tf.compat.v1
RNG = np.random.default_rng(3)
X = RNG.normal(size=(2, 3)).astype(np.float32)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def fresh_scope():
    """Eager get_variable names are global: each test builds its cells under its own scope."""
    fresh_scope.count = getattr(fresh_scope, "count", 0) + 1
    return v1.variable_scope(f"cells_test_{fresh_scope.count}")


def test_lstm_state_tuple():
    state = rnn_cell.LSTMStateTuple(tf.zeros([2, 3]), tf.ones([2, 3]))
    c, h = state
    assert state.c is c and state.h is h and state.dtype == tf.float32
    assert repr(rnn_cell.LSTMStateTuple(1, 2)) == "LSTMStateTuple(c=1, h=2)"


def test_sizes_and_zero_states():
    assert rnn_cell.BasicLSTMCell(4).state_size == (4, 4)
    assert rnn_cell.BasicLSTMCell(4, state_is_tuple=False).state_size == 8
    assert rnn_cell.LSTMCell(4, num_proj=2).state_size == rnn_cell.LSTMStateTuple(4, 2)
    assert rnn_cell.LSTMCell(4, num_proj=2).output_size == 2
    multi = rnn_cell.MultiRNNCell([rnn_cell.BasicLSTMCell(2), rnn_cell.GRUCell(3)])
    assert multi.state_size == (rnn_cell.LSTMStateTuple(2, 2), 3) and multi.output_size == 3
    zeros = multi.zero_state(5, tf.float32)
    assert isinstance(zeros[0], rnn_cell.LSTMStateTuple)
    assert zeros[0].c.shape == (5, 2) and zeros[1].shape == (5, 3)
    assert not np.any(zeros[1].numpy())
    flat = rnn_cell.MultiRNNCell([rnn_cell.BasicRNNCell(2), rnn_cell.GRUCell(3)], state_is_tuple=False)
    assert flat.state_size == 5 and flat.zero_state(4, tf.float64).shape == (4, 5)
    assert rnn_cell.GRUCell(3).get_initial_state(inputs=tf.zeros([6, 2])).shape == (6, 3)


def test_basic_rnn_cell_matches_numpy():
    cell = rnn_cell.BasicRNNCell(4, activation=tf.nn.relu)
    with fresh_scope():
        out, state = cell(X, tf.ones([2, 4]))
    kernel, bias = [v.numpy() for v in cell.variables]
    assert kernel.shape == (7, 4) and not bias.any()
    expected = np.maximum(np.concatenate([X, np.ones((2, 4))], 1) @ kernel + bias, 0)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
    assert state is out


def numpy_lstm(x, c, h, kernel, bias, forget_bias):
    i, j, f, o = np.split(np.concatenate([x, h], 1) @ kernel + bias, 4, axis=1)
    new_c = c * sigmoid(f + forget_bias) + sigmoid(i) * np.tanh(j)
    return new_c, np.tanh(new_c) * sigmoid(o)


def test_basic_lstm_cell_matches_numpy_tuple_and_concatenated_state():
    c0, h0 = RNG.normal(size=(2, 4)).astype(np.float32), RNG.normal(size=(2, 4)).astype(np.float32)
    tuple_cell = rnn_cell.BasicLSTMCell(4, forget_bias=0.3)
    with fresh_scope():
        out, state = tuple_cell(X, rnn_cell.LSTMStateTuple(c0, h0))
    kernel, bias = [v.numpy() for v in tuple_cell.variables]
    c, h = numpy_lstm(X, c0, h0, kernel, bias, 0.3)
    np.testing.assert_allclose(state.c.numpy(), c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.numpy(), h, rtol=1e-5, atol=1e-6)
    concat_cell = rnn_cell.BasicLSTMCell(4, forget_bias=0.3, state_is_tuple=False)
    with fresh_scope():
        concat_cell(X, np.concatenate([c0, h0], 1))
    concat_cell.variables[0].assign(kernel)
    out2, state2 = concat_cell(X, np.concatenate([c0, h0], 1))
    np.testing.assert_allclose(state2.numpy(), np.concatenate([c, h], 1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out2.numpy(), h, rtol=1e-5, atol=1e-6)


def test_lstm_cell_peepholes_clipping_and_projection_match_numpy():
    init = v1.random_uniform_initializer(-1.0, 1.0, seed=2)
    cell = rnn_cell.LSTMCell(4, use_peepholes=True, cell_clip=0.5, initializer=init, num_proj=3, proj_clip=0.2,
                             forget_bias=0.7)
    c0, m0 = RNG.normal(size=(2, 4)).astype(np.float32), RNG.normal(size=(2, 3)).astype(np.float32)
    with fresh_scope() as scope:
        out, state = cell(X, rnn_cell.LSTMStateTuple(c0, m0))
    names = [v.name[len(scope.name) + 1:] for v in cell.variables]
    assert names == ["lstm_cell/kernel:0", "lstm_cell/bias:0", "lstm_cell/w_f_diag:0", "lstm_cell/w_i_diag:0",
                     "lstm_cell/w_o_diag:0", "lstm_cell/projection/kernel:0"]
    kernel, bias, wf, wi, wo, proj = [v.numpy() for v in cell.variables]
    i, j, f, o = np.split(np.concatenate([X, m0], 1) @ kernel + bias, 4, axis=1)
    c = sigmoid(f + 0.7 + wf * c0) * c0 + sigmoid(i + wi * c0) * np.tanh(j)
    c = np.clip(c, -0.5, 0.5)
    m = np.clip((sigmoid(o + wo * c) * np.tanh(c)) @ proj, -0.2, 0.2)
    np.testing.assert_allclose(state.c.numpy(), c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.numpy(), m, rtol=1e-5, atol=1e-6)
    assert np.abs(out.numpy()).max() <= 0.2 + 1e-7


def test_gru_cell_matches_numpy_and_uses_bias_one():
    cell = rnn_cell.GRUCell(3)
    h0 = RNG.normal(size=(2, 3)).astype(np.float32)
    with fresh_scope():
        out, state = cell(X, h0)
    gate_kernel, gate_bias, cand_kernel, cand_bias = [v.numpy() for v in cell.variables]
    np.testing.assert_array_equal(gate_bias, np.ones(6))
    r, u = np.split(sigmoid(np.concatenate([X, h0], 1) @ gate_kernel + gate_bias), 2, axis=1)
    cand = np.tanh(np.concatenate([X, r * h0], 1) @ cand_kernel + cand_bias)
    np.testing.assert_allclose(out.numpy(), u * h0 + (1 - u) * cand, rtol=1e-5, atol=1e-6)
    assert state is out


def test_cell_builds_once_and_shares_weights_across_calls():
    cell = rnn_cell.BasicRNNCell(2)
    with fresh_scope():
        first, _ = cell(X, tf.zeros([2, 2]))
        again, _ = cell(X, tf.zeros([2, 2]))
    assert len(cell.variables) == 2
    np.testing.assert_array_equal(first.numpy(), again.numpy())


def test_explicit_scope_names_the_variables_directly():
    cell = rnn_cell.BasicLSTMCell(2)
    with fresh_scope() as outer:
        cell(X, cell.zero_state(2, tf.float32), scope="mine")
    assert [v.name for v in cell.variables] == [f"{outer.name}/mine/kernel:0", f"{outer.name}/mine/bias:0"]


def test_unknown_input_depth_is_an_error():
    cell = rnn_cell.GRUCell(2)
    with pytest.raises(ValueError, match="inputs.shape"):
        cell._maybe_build(tf.TensorShape([2, None]))


def test_multi_rnn_cell_matches_manual_stacking():
    cells = [rnn_cell.BasicRNNCell(3), rnn_cell.BasicRNNCell(2)]
    multi = rnn_cell.MultiRNNCell(cells)
    with fresh_scope() as scope:
        out, states = multi(X, multi.zero_state(2, tf.float32))
    assert [v.name[len(scope.name) + 1:] for v in multi.variables] == [
        "multi_rnn_cell/cell_0/basic_rnn_cell/kernel:0", "multi_rnn_cell/cell_0/basic_rnn_cell/bias:0",
        "multi_rnn_cell/cell_1/basic_rnn_cell/kernel:0", "multi_rnn_cell/cell_1/basic_rnn_cell/bias:0"]
    k0, b0, k1, b1 = [v.numpy() for v in multi.variables]
    h0 = np.tanh(np.concatenate([X, np.zeros((2, 3))], 1) @ k0 + b0)
    h1 = np.tanh(np.concatenate([h0, np.zeros((2, 2))], 1) @ k1 + b1)
    np.testing.assert_allclose(states[0].numpy(), h0, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.numpy(), h1, rtol=1e-5, atol=1e-6)


def test_multi_rnn_cell_errors():
    with pytest.raises(ValueError, match="at least one cell"):
        rnn_cell.MultiRNNCell([])
    with pytest.raises(ValueError, match="state_is_tuple"):
        rnn_cell.MultiRNNCell([rnn_cell.BasicLSTMCell(2)], state_is_tuple=False)


def test_dropout_wrapper_keep_probabilities_and_lstm_memory_untouched():
    with pytest.raises(ValueError, match="Parameter output_keep_prob must be between 0 and 1"):
        rnn_cell.DropoutWrapper(rnn_cell.GRUCell(2), output_keep_prob=1.5)
    with pytest.raises(ValueError, match="dtype must be provided"):
        rnn_cell.DropoutWrapper(rnn_cell.GRUCell(2), output_keep_prob=0.5, variational_recurrent=True)
    inner = rnn_cell.BasicLSTMCell(200, forget_bias=0.0)
    wrapped = rnn_cell.DropoutWrapper(inner, output_keep_prob=0.5, state_keep_prob=0.5)
    state = inner.zero_state(2, tf.float32)
    with fresh_scope():
        out, new_state = wrapped(X, state)
    _, clean_state = inner(X, state)
    np.testing.assert_allclose(new_state.c.numpy(), clean_state.c.numpy())  # c is never dropped
    h = new_state.h.numpy()
    kept = h != 0
    np.testing.assert_allclose(h[kept], 2 * clean_state.h.numpy()[kept], rtol=1e-5)
    assert 0.3 < kept.mean() < 0.7
    assert 0.3 < (out.numpy() != 0).mean() < 0.7
    assert wrapped.variables == inner.variables and wrapped.state_size == inner.state_size


def test_variational_dropout_uses_one_mask_for_every_step():
    inner = rnn_cell.BasicRNNCell(64)
    wrapped = rnn_cell.DropoutWrapper(inner, output_keep_prob=0.5, variational_recurrent=True, dtype=tf.float32,
                                      seed=1)
    with fresh_scope():
        masks = [wrapped(X, tf.zeros([2, 64]))[0].numpy() != 0 for _ in range(3)]
    assert (masks[0] == masks[1]).all() and (masks[1] == masks[2]).all()
    assert (masks[0][0] == masks[0][1]).all()  # one [1, units] mask, as TF draws it
    assert 0.2 < masks[0].mean() < 0.8


def test_residual_device_and_output_projection_wrappers():
    inner = rnn_cell.GRUCell(3)
    residual = rnn_cell.ResidualWrapper(inner)
    x3 = RNG.normal(size=(2, 3)).astype(np.float32)
    with fresh_scope():
        out, state = residual(x3, tf.zeros([2, 3]))
    np.testing.assert_allclose(out.numpy(), x3 + state.numpy(), rtol=1e-6)
    device = rnn_cell.DeviceWrapper(rnn_cell.BasicRNNCell(2), "/cpu:0")
    with fresh_scope():
        out, _ = device(X, device.zero_state(2, tf.float32))
    assert out.shape == (2, 2)
    projected = contrib_rnn.OutputProjectionWrapper(rnn_cell.BasicRNNCell(4), output_size=2)
    with fresh_scope() as scope:
        out, state = projected(X, projected.zero_state(2, tf.float32))
    names = [v.name[len(scope.name) + 1:] for v in projected.variables]
    assert names == ["output_projection_wrapper/basic_rnn_cell/kernel:0",
                     "output_projection_wrapper/basic_rnn_cell/bias:0",
                     "output_projection_wrapper/kernel:0", "output_projection_wrapper/bias:0"]
    kernel, bias = projected.variables[2].numpy(), projected.variables[3].numpy()
    np.testing.assert_allclose(out.numpy(), state.numpy() @ kernel + bias, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="output_size must be > 0"):
        contrib_rnn.OutputProjectionWrapper(rnn_cell.BasicRNNCell(4), output_size=0)


def test_contrib_rnn_and_nn_rnn_cell_are_the_same_classes():
    assert contrib_rnn.BasicLSTMCell is v1.nn.rnn_cell.BasicLSTMCell is rnn_cell.BasicLSTMCell
    assert v1.contrib.rnn.static_rnn is v1.nn.static_rnn
    assert v1.nn.rnn_cell.LSTMStateTuple is contrib_rnn.LSTMStateTuple


def test_lstm_gradients_in_float64():
    cell = rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=2, dtype=tf.float64)
    gru = rnn_cell.GRUCell(2)  # float64 variables, from the inputs
    multi = rnn_cell.MultiRNNCell([cell, gru])
    x = RNG.normal(size=(2, 3, 2))
    c0 = RNG.normal(size=(2, 3))

    def loss(inputs, memory):
        init = (rnn_cell.LSTMStateTuple(memory, tf.zeros([2, 2], tf.float64)), tf.zeros([2, 2], tf.float64))
        with v1.variable_scope("grad_check", reuse=v1.AUTO_REUSE):
            out, state = v1.nn.dynamic_rnn(multi, inputs, initial_state=init, sequence_length=[3, 2])
        return tf.reduce_sum(out * out) + tf.reduce_sum(state[0].c)

    check_gradients(loss, x, c0)
    assert all(v.dtype == tf.float64 for v in multi.variables)


def test_eager_cells_own_their_variables_like_tf2():
    x = tf.ones([2, 3, 4])
    first, second = rnn_cell.BasicLSTMCell(3), rnn_cell.BasicLSTMCell(3)
    v1.nn.dynamic_rnn(first, x, dtype=tf.float32)
    v1.nn.dynamic_rnn(second, x, dtype=tf.float32)
    assert [v.name for v in first.variables] == [v.name for v in second.variables] == [
        "rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"]
    assert first.variables[0] is not second.variables[0]
    with v1.variable_scope("with_initializer", initializer=v1.constant_initializer(0.5)):
        cell = rnn_cell.GRUCell(2)
        cell(tf.ones([1, 2]), tf.zeros([1, 2]))
    np.testing.assert_array_equal(cell.variables[0].numpy(), np.full((4, 4), 0.5))
