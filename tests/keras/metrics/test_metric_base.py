"""Tests for ``ndflow.keras.metrics.Metric`` and the reduction metrics: state variables, tracking, reset,
``__call__``, custom subclasses, ``ndflow.function``."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import metrics


class WeightedCount(metrics.Metric):
    """Counts positive values; holds a Mean to check nested tracking."""

    def __init__(self, name="weighted_count", **kwargs):
        super().__init__(name=name, **kwargs)
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")
        self.mean = metrics.Mean(name="inner_mean")

    def update_state(self, values, sample_weight=None):
        values = tf.convert_to_tensor(values)
        positives = tf.cast(values > 0, self.dtype)
        if sample_weight is not None:
            positives = positives * tf.cast(sample_weight, self.dtype)
        self.count.assign_add(tf.reduce_sum(positives))
        self.mean.update_state(values)

    def result(self):
        return self.count + self.mean.result()


def test_add_variable_creates_non_trainable_state():
    metric = metrics.Mean(name="m")
    assert [v.name for v in metric.variables] == ["total", "count"]
    assert [v.path for v in metric.variables] == ["m/total", "m/count"]
    assert all(not v.trainable for v in metric.variables)
    assert all(v.dtype == tf.float32 for v in metric.variables)
    assert metric.variables[0].aggregation == "sum"
    ints = metrics.Sum(dtype="int32")
    assert ints.dtype == "int32" and ints.variables[0].dtype == tf.int32


def test_custom_metric_tracks_nested_metrics_and_resets():
    metric = WeightedCount()
    assert [v.path for v in metric.variables] == ["weighted_count/count", "inner_mean/total", "inner_mean/count"]
    result = metric([1.0, -2.0, 3.0], sample_weight=[1.0, 1.0, 0.5])
    np.testing.assert_allclose(result.numpy(), 1.5 + 2.0 / 3, rtol=1e-6)
    metric.reset_state()
    assert all(float(np.abs(v.numpy()).sum()) == 0 for v in metric.variables)
    assert float(metric.result()) == 0.0


def test_missing_super_init_is_reported():
    class Broken(metrics.Metric):
        def __init__(self):
            pass

    with pytest.raises(RuntimeError, match="You forgot to call `super\\(\\).__init__\\(\\)`"):
        Broken().add_variable((), "zeros")


def test_base_class_and_repr():
    metric = metrics.Metric(name="base")
    with pytest.raises(NotImplementedError):
        metric.update_state()
    with pytest.raises(NotImplementedError):
        metric.result()
    assert repr(metrics.Mean()) == "<Mean name=mean>"
    assert metrics.Mean().get_config() == {"name": "mean", "dtype": "float32"}
    assert metrics.Mean.from_config({"name": "x", "dtype": "float64"}).dtype == "float64"
    assert metrics.Metric().name.startswith("metric")


def test_mean_and_sum_with_weights():
    mean = metrics.Mean()
    mean.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 1.0])
    mean.update_state(5.0)
    np.testing.assert_allclose(mean.result().numpy(), (1 + 3 + 5) / 3, rtol=1e-6)
    total = metrics.Sum()
    total.update_state([[1.0, 2.0], [3.0, 4.0]], sample_weight=[2.0, 1.0])
    np.testing.assert_allclose(total.result().numpy(), 2 * 3 + 7, rtol=1e-6)
    # per-sample values of rank 2 are averaged per sample before weighting
    mean = metrics.Mean()
    mean.update_state([[1.0, 3.0], [5.0, 7.0]], sample_weight=[1.0, 3.0])
    np.testing.assert_allclose(mean.result().numpy(), (2 * 1 + 6 * 3) / 4, rtol=1e-6)
    assert float(metrics.Mean().result()) == 0.0


def test_mean_metric_wrapper_with_mask_and_kwargs():
    wrapper = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="acc_at", threshold=0.7)
    wrapper.update_state([[1.0], [0.0], [1.0]], [[0.8], [0.75], [0.6]])
    np.testing.assert_allclose(wrapper.result().numpy(), 1 / 3, rtol=1e-6)
    assert wrapper.get_config()["threshold"] == 0.7
    mse = metrics.MeanMetricWrapper(metrics.mean_squared_error)
    assert mse._direction == "down"
    y_pred = tf.constant([[1.0], [2.0], [4.0]])
    y_pred._keras_mask = tf.constant([True, False, True])
    mse.update_state([[0.0], [0.0], [0.0]], y_pred)
    np.testing.assert_allclose(mse.result().numpy(), (1 + 16) / 2, rtol=1e-6)


def test_updates_inside_function_match_eager():
    eager, traced = metrics.AUC(num_thresholds=50), metrics.AUC(num_thresholds=50)

    @tf.function
    def update(y_true, y_pred, weights):
        traced.update_state(y_true, y_pred, sample_weight=weights)
        return traced.result()

    rng = np.random.RandomState(1)
    for _ in range(3):
        y_true = (rng.rand(8) > 0.5).astype(np.float32)
        y_pred, weights = rng.rand(8).astype(np.float32), rng.rand(8).astype(np.float32)
        result = update(tf.constant(y_true), tf.constant(y_pred), tf.constant(weights))
        eager.update_state(y_true, y_pred, sample_weight=weights)
    np.testing.assert_allclose(result.numpy(), eager.result().numpy(), rtol=1e-6)
    traced.reset_state()
    assert float(traced.result()) == 0.0


def test_lazily_built_metric_inside_function():
    f1 = metrics.F1Score(average="macro")

    @tf.function
    def update(y_true, y_pred):
        f1.update_state(y_true, y_pred)
        return f1.result()

    y_true = np.eye(3, dtype=np.float32)[[0, 1, 2, 1]]
    y_pred = np.eye(3, dtype=np.float32)[[0, 1, 1, 1]]
    update(tf.constant(y_true), tf.constant(y_pred))
    result = update(tf.constant(y_true), tf.constant(y_pred))
    # class 0: F1 1; class 1: P 2/3, R 1 → 0.8; class 2: 0
    np.testing.assert_allclose(result.numpy(), (1 + 0.8 + 0) / 3, rtol=1e-5)
    assert [v.name for v in f1.variables] == ["true_positives", "false_positives", "false_negatives",
                                              "intermediate_weights"]
