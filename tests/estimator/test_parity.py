"""Parity with real TensorFlow for the TF1 pieces TF 2.21 still ships: compat.v1 losses, metrics and FTRL."""
import numpy as np
import pytest

import ndflow as tf

real_tf = pytest.importorskip("tensorflow")
pytestmark = pytest.mark.parity

LABELS = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], np.float32)
PREDICTIONS = np.array([[0.8, 0.3], [0.4, 0.9], [0.2, 0.6]], np.float32)
WEIGHTS = np.array([[1.0], [0.0], [2.0]], np.float32)


def _run_both(build):
    """``build(module)`` in a fresh graph of each library; the session-run results of both."""
    results = []
    for module in (real_tf, tf):
        with module.Graph().as_default():
            fetches = build(module.compat.v1)
            with module.compat.v1.Session() as sess:
                sess.run(module.compat.v1.global_variables_initializer())
                sess.run(module.compat.v1.local_variables_initializer())
                results.append(fetches(sess) if callable(fetches) else sess.run(fetches))
    return results


@pytest.mark.parametrize("reduction", ["weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
                                       "weighted_sum_by_nonzero_weights", "none"])
def test_losses_match_tensorflow(reduction):
    def build(v1):
        losses = v1.losses
        return [losses.mean_squared_error(LABELS, PREDICTIONS, WEIGHTS, reduction=reduction),
                losses.absolute_difference(LABELS, PREDICTIONS, reduction=reduction),
                losses.huber_loss(LABELS, PREDICTIONS * 3, WEIGHTS, delta=0.5, reduction=reduction),
                losses.log_loss(LABELS, PREDICTIONS, reduction=reduction),
                losses.hinge_loss(LABELS, PREDICTIONS - 0.5, reduction=reduction),
                losses.sigmoid_cross_entropy(LABELS, PREDICTIONS, label_smoothing=0.1, reduction=reduction),
                losses.softmax_cross_entropy(LABELS / LABELS.sum(1, keepdims=True), PREDICTIONS,
                                             WEIGHTS[:, 0], reduction=reduction),
                losses.sparse_softmax_cross_entropy([0, 1, 1], PREDICTIONS, reduction=reduction)]

    theirs, ours = _run_both(build)
    for expected, got in zip(theirs, ours):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_total_loss_matches_tensorflow():
    def build(v1):
        v1.losses.mean_squared_error(LABELS, PREDICTIONS)
        v1.add_to_collection(v1.GraphKeys.REGULARIZATION_LOSSES, v1.constant(0.25))
        return [v1.losses.get_total_loss(), v1.losses.get_regularization_loss()]

    theirs, ours = _run_both(build)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_streaming_metrics_match_tensorflow():
    batches = [([1, 0, 1, 1], [1, 1, 0, 1], [1.0, 2.0, 1.0, 0.5]), ([0, 0, 1], [0, 1, 1], [1.0, 1.0, 3.0])]

    def build(v1):
        labels = v1.placeholder(v1.int64, [None])
        predictions = v1.placeholder(v1.int64, [None])
        weights = v1.placeholder(v1.float32, [None])
        pairs = [v1.metrics.accuracy(labels, predictions), v1.metrics.accuracy(labels, predictions, weights),
                 v1.metrics.mean(v1.cast(predictions, v1.float32), weights),
                 v1.metrics.precision(labels, predictions), v1.metrics.recall(labels, predictions, weights),
                 v1.metrics.mean_squared_error(labels, predictions),
                 v1.metrics.root_mean_squared_error(labels, predictions),
                 v1.metrics.mean_absolute_error(labels, predictions, weights)]

        def fetch(sess):
            for label, prediction, weight in batches:
                sess.run([u for _, u in pairs], {labels: label, predictions: prediction, weights: weight})
            return sess.run([value for value, _ in pairs])

        return fetch

    theirs, ours = _run_both(build)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_ftrl_optimizer_matches_tensorflow():
    from ndflow.estimator._optimizers import FtrlOptimizer

    target = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)

    def build(v1):
        w = v1.get_variable("w", initializer=v1.constant([[0.1, 0.2], [-0.3, 0.0]]))
        loss = v1.reduce_sum(v1.square(w - target)) + v1.reduce_sum(w)
        cls = FtrlOptimizer if v1 is tf.compat.v1 else v1.train.FtrlOptimizer
        step = cls(0.3, l1_regularization_strength=0.05, l2_regularization_strength=0.1,
                   initial_accumulator_value=0.2).minimize(loss)
        names = sorted(v.name for v in v1.global_variables())

        def fetch(sess):
            for _ in range(4):
                sess.run(step)
            return names, sess.run(w)

        return fetch

    (their_names, theirs), (our_names, ours) = _run_both(build)
    assert our_names == their_names == ["w/Ftrl:0", "w/Ftrl_1:0", "w:0"]
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("curve,summation", [("ROC", "trapezoidal"), ("ROC", "careful_interpolation"),
                                             ("PR", "trapezoidal"), ("ROC", "minoring"), ("PR", "majoring")])
def test_auc_matches_tensorflow(curve, summation):
    rng = np.random.RandomState(3)
    batches = [(rng.rand(20) > 0.4, rng.rand(20), rng.rand(20)) for _ in range(2)]

    def build(v1):
        labels = v1.placeholder(v1.bool, [None])
        scores = v1.placeholder(v1.float32, [None])
        weights = v1.placeholder(v1.float32, [None])
        plain = v1.metrics.auc(labels, scores, curve=curve, summation_method=summation)
        weighted = v1.metrics.auc(labels, scores, weights, num_thresholds=7, curve=curve,
                                  summation_method=summation)

        def fetch(sess):
            for label, score, weight in batches:
                sess.run([plain[1], weighted[1]], {labels: label, scores: score, weights: weight})
            return sess.run([plain[0], weighted[0]])

        return fetch

    theirs, ours = _run_both(build)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
