"""dynamic_rnn / static_rnn / bidirectional loops through Session (graph mode) and eagerly."""
import numpy as np
import pytest

import ndflow
import ndflow.compat.v1 as tf

RNG = np.random.default_rng(11)
X_BATCH = np.array([[[0, 1, 2], [9, 8, 7]], [[3, 4, 5], [0, 0, 0]], [[6, 7, 8], [6, 5, 4]], [[9, 0, 1], [3, 2, 1]]],
                   np.float32)  # the spec's [4, 2, 3] mini-batch (second sequence padded)


def manual_unroll(sess, cell_vars, x, lengths, units):
    """NumPy BasicRNNCell over x with TF's sequence_length rule: zero output and frozen state past the end."""
    kernel, bias = sess.run(cell_vars)
    h = np.zeros((x.shape[0], units), np.float32)
    outs = []
    for t in range(x.shape[1]):
        new_h = np.tanh(np.concatenate([x[:, t], h], 1) @ kernel + bias)
        alive = (t < lengths)[:, None]
        outs.append(np.where(alive, new_h, 0.0))
        h = np.where(alive, new_h, h)
    return np.stack(outs, 1), h


def test_spec_dynamic_rnn_with_sequence_length(graph_mode):
    x = tf.placeholder(tf.float32, [None, 2, 3])
    seq_length = tf.placeholder(tf.int32, [None])
    cell = tf.nn.rnn_cell.BasicRNNCell(num_units=5)
    outputs, states = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, sequence_length=seq_length)
    assert outputs.shape.as_list() == [None, 2, 5] and states.shape.as_list() == [None, 5]
    assert [v.name for v in tf.global_variables()] == ["rnn/basic_rnn_cell/kernel:0", "rnn/basic_rnn_cell/bias:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        lengths = np.array([2, 1, 2, 2])
        out, state = sess.run([outputs, states], {x: X_BATCH, seq_length: lengths})
        expected_out, expected_state = manual_unroll(sess, tf.global_variables(), X_BATCH, lengths, 5)
    np.testing.assert_allclose(out, expected_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state, expected_state, rtol=1e-5, atol=1e-6)
    assert not out[1, 1].any()
    np.testing.assert_allclose(state[1], out[1, 0])  # the state stops at the sequence's end


def test_unknown_time_dimension_and_time_major(graph_mode):
    x = tf.placeholder(tf.float32, [None, None, 3])
    cell = tf.nn.rnn_cell.BasicRNNCell(4)
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    tm_outputs, tm_state = tf.nn.dynamic_rnn(cell, tf.transpose(x, [1, 0, 2]), dtype=tf.float32, time_major=True)
    assert outputs.shape.as_list() == [None, None, 4]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for steps in (1, 5):
            xv = RNG.normal(size=(3, steps, 3)).astype(np.float32)
            out, st, tm_out, tm_st = sess.run([outputs, state, tm_outputs, tm_state], {x: xv})
            expected_out, expected_state = manual_unroll(sess, cell.variables, xv, np.full(3, steps), 4)
            np.testing.assert_allclose(out, expected_out, rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(tm_out, out.transpose(1, 0, 2), rtol=1e-6)
            np.testing.assert_allclose(tm_st, st, rtol=1e-6)


def test_static_and_dynamic_rnn_agree(graph_mode):
    x0 = tf.placeholder(tf.float32, [None, 3])
    x1 = tf.placeholder(tf.float32, [None, 3])
    cell = tf.nn.rnn_cell.BasicRNNCell(num_units=5)
    (y0, y1), state = tf.nn.static_rnn(cell, [x0, x1], dtype=tf.float32)
    assert [v.name for v in tf.global_variables()] == ["rnn/basic_rnn_cell/kernel:0", "rnn/basic_rnn_cell/bias:0"]
    dyn_out, dyn_state = tf.nn.dynamic_rnn(cell, tf.stack([x0, x1], 1), dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {x0: X_BATCH[:, 0], x1: X_BATCH[:, 1]}
        y0v, y1v, sv, dov, dsv = sess.run([y0, y1, state, dyn_out, dyn_state], feed)
    assert y0v.shape == (4, 5) and y1v.shape == (4, 5)
    np.testing.assert_allclose(dov, np.stack([y0v, y1v], 1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dsv, sv, rtol=1e-5, atol=1e-6)


def test_training_a_stacked_lstm_through_session_reduces_the_loss(graph_mode):
    x = tf.placeholder(tf.float32, [8, 5, 2])
    y = tf.placeholder(tf.float32, [8, 1])
    layers = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(8), output_keep_prob=1.0),
              tf.nn.rnn_cell.LSTMCell(8, use_peepholes=True)]
    outputs, states = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(layers), x, dtype=tf.float32)
    prediction = tf.layers.dense(states[-1].h, 1) if hasattr(tf, "layers") and hasattr(tf.layers, "dense") else \
        tf.matmul(states[-1].h, tf.get_variable("w_out", [8, 1]))
    loss = tf.reduce_mean(tf.square(prediction - y))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    xv = RNG.normal(size=(8, 5, 2)).astype(np.float32)
    yv = xv.sum(axis=(1, 2))[:, None] / 5
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: xv, y: yv})
        for _ in range(30):
            sess.run(train, {x: xv, y: yv})
        last = sess.run(loss, {x: xv, y: yv})
    assert last < 0.2 * first


def test_gradients_reach_every_cell_variable(graph_mode):
    x = tf.constant(RNG.normal(size=(2, 3, 2)).astype(np.float32))
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.BasicLSTMCell(2)])
    outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    grads = tf.gradients(tf.reduce_sum(outputs), tf.trainable_variables())
    assert len(grads) == 6 and all(g is not None for g in grads)


class UnitsCell(tf.nn.rnn_cell.RNNCell):
    """A user cell's sizes: output and state ``units`` wide."""

    def __init__(self, units):
        super().__init__()
        self.units = units

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units


class UserCell(UnitsCell):
    """A user cell creating its variable with get_variable on every call, as TF1 tutorials do."""

    def __call__(self, inputs, state, scope=None):
        with tf.variable_scope(scope or "user_cell"):
            w = tf.get_variable("w", [int(inputs.shape[-1]) + self.units, self.units])
            out = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
        return out, out


class DeviceCellWrapper(tf.nn.rnn_cell.RNNCell):
    """The spec's per-layer device wrapper (no base-class __init__ call)."""

    def __init__(self, device, cell):
        self._cell = cell
        self._device = device

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def __call__(self, inputs, state, scope=None):
        with tf.device(self._device):
            return self._cell(inputs, state, scope)


def test_user_written_cells_in_dynamic_rnn_train(graph_mode):
    x = tf.placeholder(tf.float32, [4, 3, 2])
    out_user, _ = tf.nn.dynamic_rnn(UserCell(3), x, dtype=tf.float32)
    devices = ["/cpu:0", "/cpu:0"]
    cell = tf.nn.rnn_cell.MultiRNNCell([DeviceCellWrapper(d, tf.nn.rnn_cell.BasicRNNCell(3)) for d in devices])
    out_dev, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="devices")
    assert [v.name for v in tf.global_variables()] == [
        "rnn/user_cell/w:0", "devices/multi_rnn_cell/cell_0/basic_rnn_cell/kernel:0",
        "devices/multi_rnn_cell/cell_0/basic_rnn_cell/bias:0", "devices/multi_rnn_cell/cell_1/basic_rnn_cell/kernel:0",
        "devices/multi_rnn_cell/cell_1/basic_rnn_cell/bias:0"]
    loss = tf.reduce_sum(tf.square(out_user - 0.5)) + tf.reduce_sum(tf.square(out_dev - 0.5))
    train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    xv = RNG.normal(size=(4, 3, 2)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w_before = sess.run("rnn/user_cell/w:0")
        first = sess.run(loss, {x: xv})
        for _ in range(10):
            sess.run(train, {x: xv})
        assert sess.run(loss, {x: xv}) < first
        w = sess.run("rnn/user_cell/w:0")
        assert not np.allclose(w, w_before)
        h, outs = np.zeros((4, 3)), []
        for t in range(3):
            h = np.tanh(np.concatenate([xv[:, t], h], 1) @ w)
            outs.append(h)
        np.testing.assert_allclose(sess.run(out_user, {x: xv}), np.stack(outs, 1), rtol=1e-5, atol=1e-6)


def test_bidirectional_dynamic_rnn_reverses_within_each_length(graph_mode):
    x = tf.constant(X_BATCH)
    lengths = tf.constant([2, 1, 2, 2])
    cell_fw, cell_bw = tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.BasicRNNCell(2)
    (out_fw, out_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
        cell_fw, cell_bw, x, sequence_length=lengths, dtype=tf.float32)
    assert [v.name for v in tf.global_variables()] == [
        "bidirectional_rnn/fw/basic_rnn_cell/kernel:0", "bidirectional_rnn/fw/basic_rnn_cell/bias:0",
        "bidirectional_rnn/bw/basic_rnn_cell/kernel:0", "bidirectional_rnn/bw/basic_rnn_cell/bias:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        bw, sbw = sess.run([out_bw, state_bw])
        kernel, bias = sess.run(cell_bw.variables)
    # example 1 has length 1: its backward pass sees only step 0; example 0 runs step 1 then step 0
    h1 = np.tanh(np.concatenate([X_BATCH[1, 0], np.zeros(2)]) @ kernel + bias)
    np.testing.assert_allclose(bw[1, 0], h1, rtol=1e-5, atol=1e-6)
    assert not bw[1, 1].any()
    h = np.tanh(np.concatenate([X_BATCH[0, 1], np.zeros(2)]) @ kernel + bias)
    np.testing.assert_allclose(bw[0, 1], h, rtol=1e-5, atol=1e-6)
    h = np.tanh(np.concatenate([X_BATCH[0, 0], h]) @ kernel + bias)
    np.testing.assert_allclose(bw[0, 0], h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(sbw[0], h, rtol=1e-5, atol=1e-6)


def test_errors(graph_mode):
    x = tf.placeholder(tf.float32, [2, 3, 4])
    with pytest.raises(ValueError, match="argument `dtype` must be specified"):
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(2), x)
    with pytest.raises(ValueError, match="sequence_length must be a vector of length batch_size"):
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(2), x, sequence_length=[[3, 3]], dtype=tf.float32)
    with pytest.raises(TypeError, match="inputs must be a sequence"):
        tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(2), x, dtype=tf.float32)
    with pytest.raises(ValueError, match="inputs.shape"):
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(2), tf.placeholder(tf.float32, [2, 3, None]), dtype=tf.float32)


def test_dynamic_rnn_runs_eagerly_under_a_gradient_tape():
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4), UserCell(3)])
    x = ndflow.constant(RNG.normal(size=(2, 3, 2)).astype(np.float32))
    with tf.variable_scope("eager_dynamic"):
        with ndflow.GradientTape() as tape:
            outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=[3, 1], dtype=tf.float32)
            loss = ndflow.reduce_sum(outputs)
    assert outputs.shape == (2, 3, 3) and state[0].c.shape == (2, 4)
    assert not outputs.numpy()[1, 1:].any()
    lstm_vars = cell.variables
    assert [v.name for v in lstm_vars] == ["eager_dynamic/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0",
                                           "eager_dynamic/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0"]
    grads = tape.gradient(loss, lstm_vars)
    assert all(g is not None and np.abs(g.numpy()).sum() > 0 for g in grads)


def lstm_loop_fn(cell, inputs_ta, lengths, batch, depth, max_time, use_cond):
    """The loop_fn of TF's raw_rnn documentation: read step ``time`` until every sequence has ended."""
    def loop_fn(time, cell_output, cell_state, loop_state):
        next_state = cell.zero_state(batch, tf.float32) if cell_output is None else cell_state
        finished = time >= lengths
        if use_cond:
            next_input = tf.cond(tf.reduce_all(finished), lambda: tf.zeros([batch, depth], tf.float32),
                                 lambda: inputs_ta.read(time))
        else:
            next_input = inputs_ta.read(tf.minimum(time, max_time - 1))
        return finished, next_input, next_state, cell_output, None
    return loop_fn


@pytest.mark.parametrize("use_cond", [True, False])
def test_raw_rnn_matches_dynamic_rnn(graph_mode, use_cond):
    max_time, batch, depth = 4, 3, 2
    inputs = tf.placeholder(tf.float32, [max_time, batch, depth])
    lengths = tf.placeholder(tf.int32, [batch])
    inputs_ta = tf.TensorArray(tf.float32, size=max_time).unstack(inputs)
    cell = tf.nn.rnn_cell.BasicLSTMCell(5)
    emit_ta, final_state, final_loop_state = tf.nn.raw_rnn(
        cell, lstm_loop_fn(cell, inputs_ta, lengths, batch, depth, max_time, use_cond))
    assert final_loop_state is None
    raw_outputs = emit_ta.stack()
    outputs, state = tf.nn.dynamic_rnn(cell, inputs, sequence_length=lengths, dtype=tf.float32, time_major=True)
    fetches = [raw_outputs, final_state, outputs, state]
    if not use_cond:  # gradients of a cond reading a TensorArray are not supported by the engine yet
        fetches.append(tf.gradients(tf.reduce_sum(raw_outputs), cell.variables))
        fetches.append(tf.gradients(tf.reduce_sum(outputs), cell.variables))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(fetches, {inputs: RNG.normal(size=(max_time, batch, depth)), lengths: [4, 2, 3]})
    assert values[0].shape == (4, 3, 5)
    np.testing.assert_allclose(values[0], values[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(values[1].h, values[3].h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(values[1].c, values[3].c, rtol=1e-5, atol=1e-6)
    if not use_cond:
        for raw_grad, dyn_grad in zip(values[4], values[5]):
            np.testing.assert_allclose(raw_grad, dyn_grad, rtol=1e-5, atol=1e-6)


def test_raw_rnn_eagerly_with_loop_state():
    cell = tf.nn.rnn_cell.GRUCell(2)
    x = ndflow.constant(RNG.normal(size=(3, 2, 1)).astype(np.float32))
    inputs_ta = ndflow.TensorArray(ndflow.float32, size=3).unstack(x)

    def loop_fn(time, cell_output, cell_state, loop_state):
        state = cell.zero_state(2, ndflow.float32) if cell_output is None else cell_state
        steps_seen = ndflow.constant(0) if loop_state is None else loop_state + 1
        finished = ndflow.fill([2], time >= 3)
        return finished, inputs_ta.read(ndflow.minimum(time, 2)), state, cell_output, steps_seen

    with tf.variable_scope("eager_raw"):
        emit_ta, state, steps_seen = tf.nn.raw_rnn(cell, loop_fn)
        outputs, dyn_state = tf.nn.dynamic_rnn(cell, x, time_major=True, dtype=tf.float32)
    assert int(steps_seen) == 3
    np.testing.assert_allclose(emit_ta.stack().numpy(), outputs.numpy(), rtol=1e-6)
    np.testing.assert_allclose(state.numpy(), dyn_state.numpy(), rtol=1e-6)


class DuckCell:
    """Not an RNNCell at all: only the interface (no zero_state either)."""

    state_size = (2, 3)
    output_size = 2

    def __call__(self, inputs, state, scope=None):
        a, b = state
        new_a = tf.tanh(inputs[:, :2] + a)
        return new_a, (new_a, b + 1.0)


def test_duck_typed_cell_runs_in_dynamic_rnn(graph_mode):
    x = tf.constant(RNG.normal(size=(2, 4, 3)).astype(np.float32))
    outputs, (a, b) = tf.nn.dynamic_rnn(DuckCell(), x, sequence_length=[4, 2], dtype=tf.float32)
    with tf.Session() as sess:
        out, a_val, b_val = sess.run([outputs, a, b])
    np.testing.assert_allclose(b_val, [[4.0] * 3, [2.0] * 3])
    np.testing.assert_allclose(a_val[1], out[1, 1], rtol=1e-6)
    assert not out[1, 2:].any()


def test_dropout_wrapper_with_fed_keep_probability_spares_lstm_memories(graph_mode):
    keep = tf.placeholder(tf.float32, [])
    inner = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(40), tf.nn.rnn_cell.BasicLSTMCell(40)])
    wrapped = tf.nn.rnn_cell.DropoutWrapper(inner, output_keep_prob=keep, state_keep_prob=keep)
    x = tf.constant(RNG.normal(size=(4, 3, 2)).astype(np.float32))
    dropped_out, dropped_state = tf.nn.dynamic_rnn(wrapped, x, dtype=tf.float32)
    clean_out, _ = tf.nn.dynamic_rnn(inner, x, dtype=tf.float32, scope="clean")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([dropped_out, clean_out], {keep: 1.0})
        np.testing.assert_allclose(a, b, rtol=1e-6)
        out, state = sess.run([dropped_out, dropped_state], {keep: 0.5})
    assert 0.3 < (out == 0).mean() < 0.7
    assert (state[1].c != 0).all() and 0.3 < (state[1].h == 0).mean() < 0.7


def test_dynamic_rnn_inside_tf_function_matches_eager_values_and_gradients():
    cell = tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True)
    x = ndflow.constant(RNG.normal(size=(2, 4, 2)).astype(np.float32))

    def forward_and_grads(inputs):
        with tf.variable_scope("in_function"):
            with ndflow.GradientTape() as tape:
                outputs, state = tf.nn.dynamic_rnn(cell, inputs, sequence_length=[4, 3], dtype=tf.float32)
                loss = ndflow.reduce_sum(outputs * outputs) + ndflow.reduce_sum(state.c)
        return outputs, tape.gradient(loss, cell.trainable_variables)

    eager_out, eager_grads = forward_and_grads(x)
    traced_out, traced_grads = ndflow.function(forward_and_grads)(x)
    np.testing.assert_allclose(traced_out.numpy(), eager_out.numpy(), rtol=1e-5, atol=1e-6)
    assert len(traced_grads) == 5
    for traced, eager in zip(traced_grads, eager_grads):
        np.testing.assert_allclose(traced.numpy(), eager.numpy(), rtol=1e-4, atol=1e-6)


class LeakyCell(UnitsCell):
    """A user cell written the TF2-era way: build() creates variables, call() computes a step."""

    _default_name = "leaky_cell"

    def __init__(self, units, leak=0.5):
        super().__init__(units)
        self.leak = leak

    def build(self, inputs_shape):
        self.w = self.add_variable("w", [int(inputs_shape[-1]), self.units])

    def call(self, inputs, state):
        new = self.leak * state + (1 - self.leak) * tf.tanh(tf.matmul(inputs, self.w))
        return new, new


def test_subclassed_cell_with_build_and_call_trains(graph_mode):
    x = tf.placeholder(tf.float32, [3, 4, 2])
    cell = LeakyCell(3)
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    assert [v.name for v in tf.global_variables()] == ["rnn/leaky_cell/w:0"]
    loss = tf.reduce_sum(tf.square(state - 0.3))
    (grad,) = tf.gradients(loss, [cell.variables[0]])
    xv = RNG.normal(size=(3, 4, 2)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w = sess.run(cell.variables[0])
        out, g = sess.run([outputs, grad], {x: xv})
    h, expected = np.zeros((3, 3)), []
    for t in range(4):
        h = 0.5 * h + 0.5 * np.tanh(xv[:, t] @ w)
        expected.append(h)
    np.testing.assert_allclose(out, np.stack(expected, 1), rtol=1e-5, atol=1e-6)
    assert np.abs(g).sum() > 0


def test_spec_time_series_model_with_output_projection(graph_mode):
    n_steps = 12
    X = tf.placeholder(tf.float32, [None, n_steps, 1])
    y = tf.placeholder(tf.float32, [None, n_steps, 1])
    cell = tf.contrib.rnn.OutputProjectionWrapper(tf.contrib.rnn.BasicRNNCell(num_units=16, activation=tf.nn.relu),
                                                  output_size=1)
    outputs, states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    assert outputs.shape.as_list() == [None, n_steps, 1] and states.shape.as_list() == [None, 16]
    assert [v.name for v in tf.global_variables()] == [
        "rnn/output_projection_wrapper/basic_rnn_cell/kernel:0", "rnn/output_projection_wrapper/basic_rnn_cell/bias:0",
        "rnn/output_projection_wrapper/kernel:0", "rnn/output_projection_wrapper/bias:0"]
    loss = tf.reduce_mean(tf.square(outputs - y))
    training_op = tf.train.AdamOptimizer(learning_rate=0.01).minimize(loss)
    t = np.linspace(0, 6, 4 * (n_steps + 1)).reshape(4, n_steps + 1)
    series = (np.sin(t) * t / 3).astype(np.float32)[..., None]
    feed = {X: series[:, :-1], y: series[:, 1:]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, feed)
        for _ in range(60):
            sess.run(training_op, feed)
        assert sess.run(loss, feed) < 0.3 * first
