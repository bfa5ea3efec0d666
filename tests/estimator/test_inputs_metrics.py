"""numpy_input_fn, streaming metrics, compat.v1.losses, the FTRL optimizer and the spec's LSTM estimator."""
import numpy as np
import pytest

import ndflow as tf

v1 = tf.compat.v1
numpy_input_fn = tf.estimator.inputs.numpy_input_fn


def _drain(input_fn):
    with tf.Graph().as_default():
        batch = input_fn()
        out = []
        with v1.Session() as sess:
            try:
                while True:
                    out.append(sess.run(batch))
            except tf.errors.OutOfRangeError:
                return out


def test_numpy_input_fn_batches_epochs_and_shuffling():
    x = np.arange(10, dtype=np.float32)
    batches = _drain(numpy_input_fn({"a": x, "b": 2 * x}, x % 2, batch_size=4, num_epochs=2, shuffle=False))
    assert [len(labels) for _, labels in batches] == [4, 4, 4, 4, 4]
    np.testing.assert_array_equal(np.concatenate([f["a"] for f, _ in batches]), np.tile(x, 2))
    np.testing.assert_array_equal(np.concatenate([f["b"] for f, _ in batches]), 2 * np.tile(x, 2))
    shuffled = _drain(numpy_input_fn(x, batch_size=3, num_epochs=1, shuffle=True))
    values = np.concatenate(shuffled)
    np.testing.assert_array_equal(np.sort(values), x)
    assert not np.array_equal(values, x)


def test_numpy_input_fn_errors():
    x = np.zeros(3)
    with pytest.raises(ValueError, match="shuffle must be provided explicitly as a bool"):
        numpy_input_fn(x)
    with pytest.raises(ValueError, match="Length of tensors in x and y is mismatched"):
        numpy_input_fn({"a": x}, np.zeros(4), shuffle=False)
    with pytest.raises(ValueError, match="duplicate keys are found in both x and y"):
        numpy_input_fn({"a": x}, {"a": x}, shuffle=False)


def test_streaming_metrics_accumulate_over_updates():
    with tf.Graph().as_default():
        labels = v1.placeholder(tf.int64, [None])
        predictions = v1.placeholder(tf.int64, [None])
        accuracy, accuracy_update = v1.metrics.accuracy(labels, predictions)
        precision, precision_update = v1.metrics.precision(labels, predictions)
        recall, recall_update = v1.metrics.recall(labels, predictions)
        rmse, rmse_update = v1.metrics.root_mean_squared_error(labels, predictions)
        assert len(v1.local_variables()) == 8 and not v1.global_variables()
        updates = [accuracy_update, precision_update, recall_update, rmse_update]
        with v1.Session() as sess:
            sess.run(v1.local_variables_initializer())
            sess.run(updates, {labels: [1, 0, 1], predictions: [1, 1, 1]})
            sess.run(updates, {labels: [0, 1], predictions: [0, 0]})
            values = sess.run([accuracy, precision, recall, rmse])
    np.testing.assert_allclose(values, [3 / 5, 2 / 3, 2 / 3, np.sqrt(2 / 5)], rtol=1e-6)


def test_compat_v1_losses_values_and_collections():
    labels = np.array([[1.0], [2.0], [3.0]], np.float32)
    predictions = np.array([[1.5], [2.0], [1.0]], np.float32)
    weights = np.array([[1.0], [0.0], [2.0]], np.float32)
    with tf.Graph().as_default():
        mse = v1.losses.mean_squared_error(labels, predictions)
        weighted = v1.losses.mean_squared_error(labels, predictions, weights=weights)
        summed = v1.losses.absolute_difference(labels, predictions, reduction=v1.losses.Reduction.SUM)
        xent = v1.losses.sparse_softmax_cross_entropy([0, 1], [[2.0, 0.0], [0.0, 1.0]])
        tf.compat.v1.add_to_collection(v1.GraphKeys.REGULARIZATION_LOSSES, tf.constant(0.5))
        total = v1.losses.get_total_loss()
        assert len(v1.losses.get_losses()) == 4
        with v1.Session() as sess:
            values = sess.run([mse, weighted, summed, xent, total])
    squared = (labels - predictions) ** 2
    expected_xent = np.mean([np.log1p(np.exp(-2.0)), np.log1p(np.exp(-1.0))])
    np.testing.assert_allclose(values[:4], [squared.mean(), (squared * weights).sum() / 2,
                                            np.abs(labels - predictions).sum(), expected_xent], rtol=1e-5)
    np.testing.assert_allclose(values[4], sum(values[:4]) + 0.5, rtol=1e-5)


def test_ftrl_optimizer_step_matches_the_update_rule():
    from ndflow.estimator._optimizers import FtrlOptimizer

    with tf.Graph().as_default():
        w = v1.get_variable("w", initializer=tf.constant([0.5, -1.0, 0.0]))
        loss = tf.reduce_sum(w * tf.constant([1.0, 2.0, -3.0]))  # gradient [1, 2, -3]
        step = FtrlOptimizer(0.1, l1_regularization_strength=0.5, l2_regularization_strength=0.2).minimize(loss)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(step)
            value = sess.run(w)
    g, w0, accum = np.array([1.0, 2.0, -3.0]), np.array([0.5, -1.0, 0.0]), 0.1
    new_accum = accum + g ** 2
    linear = g - (np.sqrt(new_accum) - np.sqrt(accum)) / 0.1 * w0
    quadratic = np.sqrt(new_accum) / 0.1 + 2 * 0.2
    expected = np.where(np.abs(linear) > 0.5, (np.sign(linear) * 0.5 - linear) / quadratic, 0.0)
    np.testing.assert_allclose(value, expected, rtol=1e-5)


def test_spec_lstm_estimator_small_scale(sin_data, tmp_path):
    """The spec's two-layer LSTM model_fn (1 time step of 10 features, Adagrad 0.1 via optimize_loss)."""
    if not hasattr(v1.nn, "dynamic_rnn"):
        pytest.skip("compat.v1 RNN cells are not available")
    train_x, train_y, test_x, test_y = sin_data
    hidden = 30

    def lstm_model(features, labels, mode):
        xs = features["x"]
        if xs.shape.ndims == 2:
            xs = tf.expand_dims(xs, axis=1)
        cell = v1.nn.rnn_cell.MultiRNNCell([v1.nn.rnn_cell.BasicLSTMCell(hidden) for _ in range(2)])
        outputs, _ = v1.nn.dynamic_rnn(cell, xs, dtype=tf.float32)
        weight = v1.get_variable("weight", [hidden, 1])
        bias = v1.get_variable("bias", [1])
        y = tf.matmul(outputs[:, -1, :], weight) + bias
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions={"predictions": y})
        loss = v1.losses.mean_squared_error(tf.expand_dims(labels, -1), y)
        train_op = v1.contrib.layers.optimize_loss(loss, v1.train.get_global_step(), optimizer="Adagrad",
                                                   learning_rate=0.1)
        return tf.estimator.EstimatorSpec(mode=mode, predictions=y, loss=loss, train_op=train_op)

    estimator = tf.estimator.Estimator(lstm_model, model_dir=str(tmp_path),
                                       config=tf.estimator.RunConfig(tf_random_seed=1))
    estimator.train(numpy_input_fn({"x": train_x}, train_y, batch_size=32, num_epochs=None, shuffle=True), steps=300)
    result = estimator.evaluate(numpy_input_fn({"x": test_x}, test_y, batch_size=32, shuffle=True))
    assert result["global_step"] == 300
    assert result["loss"] < 1e-2  # the spec records 0.0011 after 1000 steps
    assert "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel" in estimator.get_variable_names()


def test_pandas_input_fn_feeds_dataframe_columns():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": np.arange(5, dtype=np.float32), "b": np.arange(5, dtype=np.int64) * 10})
    batches = _drain(tf.estimator.inputs.pandas_input_fn(frame, pd.Series(np.arange(5) % 2), batch_size=2,
                                                         shuffle=False))
    np.testing.assert_array_equal(np.concatenate([f["b"] for f, _ in batches]), [0, 10, 20, 30, 40])
    np.testing.assert_array_equal(np.concatenate([labels for _, labels in batches]), [0, 1, 0, 1, 0])
    with pytest.raises(ValueError, match="Index for x and y are mismatched"):
        tf.estimator.inputs.pandas_input_fn(frame, pd.Series(np.arange(5), index=np.arange(1, 6)), shuffle=False)
