"""Parity with real TensorFlow's TF1 cells and loops: names, shapes and values given the same weights."""
import numpy as np
import pytest

import ndflow.compat.v1 as tf
from ndflow.compat.v1 import rnn_cell

real_tf = pytest.importorskip("tensorflow")
real_cells = pytest.importorskip("tensorflow.python.ops.rnn_cell_impl")

pytestmark = [pytest.mark.parity, pytest.mark.usefixtures("graph_mode"),
              pytest.mark.filterwarnings("ignore::UserWarning"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning")]

RNG = np.random.default_rng(7)
X = RNG.normal(size=(3, 4, 2)).astype(np.float32)
LENGTHS = np.array([4, 2, 0], np.int32)


def run_real(build, feeds):
    """Builds with real TF's cells in a fresh graph; returns ({variable name: value}, fetched values)."""
    v1 = real_tf.compat.v1
    with real_tf.Graph().as_default():
        fetches = build(v1, real_cells)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            weights = {v.name: sess.run(v) for v in v1.global_variables()}
            return weights, sess.run(fetches, feeds(v1))


def run_ours(build, weights):
    fetches = build(tf, rnn_cell)
    names = [v.name for v in tf.global_variables()]
    assert names == list(weights)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for var in tf.global_variables():
            assert var.shape.as_list() == list(weights[var.name].shape)
            sess.run(tf.assign(var, weights[var.name]))
        return sess.run(fetches)


def assert_same(ours, theirs):
    flat_ours, flat_theirs = tf.nest.flatten(ours), real_tf.nest.flatten(theirs)
    assert len(flat_ours) == len(flat_theirs)
    for a, b in zip(flat_ours, flat_theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


CELLS = {
    "basic_rnn": lambda m: m.BasicRNNCell(3),
    "basic_rnn_relu": lambda m: m.BasicRNNCell(3, activation=real_tf.nn.relu if m is real_cells else tf.nn.relu),
    "basic_lstm": lambda m: m.BasicLSTMCell(3, forget_bias=0.5),
    "basic_lstm_concat_state": lambda m: m.BasicLSTMCell(3, state_is_tuple=False),
    "lstm_peephole_proj_clip": lambda m: m.LSTMCell(4, use_peepholes=True, num_proj=3, cell_clip=0.4,
                                                    proj_clip=0.3),
    "lstm_named": lambda m: m.LSTMCell(3, name="my_lstm"),
    "gru": lambda m: m.GRUCell(3),
    "multi": lambda m: m.MultiRNNCell([m.BasicLSTMCell(3), m.GRUCell(2), m.BasicRNNCell(2)]),
    "multi_concat_state": lambda m: m.MultiRNNCell([m.BasicRNNCell(3), m.GRUCell(2)], state_is_tuple=False),
    "residual": lambda m: m.ResidualWrapper(m.GRUCell(2)),
    "multi_one_cell_twice": lambda m: (lambda cell: m.MultiRNNCell([cell, cell]))(m.BasicRNNCell(2)),
}


@pytest.mark.parametrize("kind, with_lengths", [(kind, True) for kind in sorted(CELLS)] +
                         [("basic_lstm", False), ("multi", False), ("lstm_peephole_proj_clip", False)])
def test_dynamic_rnn_matches_tensorflow(kind, with_lengths):
    def build(v1, cells):
        x = v1.constant(X)
        lengths = v1.constant(LENGTHS) if with_lengths else None
        return v1.nn.dynamic_rnn(CELLS[kind](cells), x, sequence_length=lengths, dtype=v1.float32)

    weights, expected = run_real(build, lambda v1: None)
    assert_same(run_ours(build, weights), expected)


def test_time_major_and_initial_state_match_tensorflow():
    def build(v1, cells):
        cell = cells.BasicLSTMCell(3)
        x = v1.transpose(v1.constant(X), [1, 0, 2])
        init = cells.LSTMStateTuple(v1.ones([3, 3]), v1.fill([3, 3], 0.5))
        return v1.nn.dynamic_rnn(cell, x, initial_state=init, time_major=True, scope="tm")

    weights, expected = run_real(build, lambda v1: None)
    assert "tm/basic_lstm_cell/kernel:0" in weights
    assert_same(run_ours(build, weights), expected)


def test_bidirectional_dynamic_rnn_matches_tensorflow():
    def build(v1, cells):
        return v1.nn.bidirectional_dynamic_rnn(cells.GRUCell(2), cells.BasicLSTMCell(3), v1.constant(X),
                                               sequence_length=v1.constant(LENGTHS), dtype=v1.float32)

    weights, expected = run_real(build, lambda v1: None)
    assert sorted(weights)[0].startswith("bidirectional_rnn/bw/basic_lstm_cell")
    assert_same(run_ours(build, weights), expected)


def test_static_rnn_and_static_bidirectional_match_tensorflow():
    def build(v1, cells):
        steps = [v1.constant(X[:, t]) for t in range(4)]
        uni = v1.nn.static_rnn(cells.BasicLSTMCell(3), steps, dtype=v1.float32, sequence_length=LENGTHS)
        bi = v1.nn.static_bidirectional_rnn(cells.GRUCell(2), cells.GRUCell(2), steps, dtype=v1.float32,
                                            sequence_length=LENGTHS, scope="bi")
        return uni, bi

    weights, expected = run_real(build, lambda v1: None)
    assert_same(run_ours(build, weights), expected)


def test_manual_unrolling_matches_tensorflow():
    """The PTB model's pattern: calling the cell per step under a scope that reuses after step 0."""
    def build(v1, cells):
        cell = cells.MultiRNNCell([cells.BasicLSTMCell(3), cells.BasicLSTMCell(3)])
        state = cell.zero_state(3, v1.float32)
        outputs = []
        with v1.variable_scope("RNN"):
            for t in range(4):
                if t > 0:
                    v1.get_variable_scope().reuse_variables()
                out, state = cell(v1.constant(X[:, t]), state)
                outputs.append(out)
        return outputs, state

    weights, expected = run_real(build, lambda v1: None)
    assert "RNN/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0" in weights
    assert_same(run_ours(build, weights), expected)


def test_gradients_match_tensorflow():
    def build(v1, cells):
        out, state = v1.nn.dynamic_rnn(cells.LSTMCell(3, use_peepholes=True), v1.constant(X),
                                       sequence_length=v1.constant(LENGTHS), dtype=v1.float32)
        loss = v1.reduce_sum(out * out) + v1.reduce_sum(state.c)
        return v1.gradients(loss, v1.trainable_variables())

    weights, expected = run_real(build, lambda v1: None)
    assert_same(run_ours(build, weights), expected)
