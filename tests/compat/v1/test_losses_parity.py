"""compat.v1.losses against TF's own ``tf.compat.v1.losses``: every loss, weights, label smoothing and each
reduction, evaluated in a graph by both libraries on the same inputs."""
import numpy as np
import pytest

import ndflow as tf

real_tf = pytest.importorskip("tensorflow")
pytestmark = pytest.mark.parity

_rng = np.random.RandomState(0)
LABELS = (_rng.rand(4, 3) > 0.5).astype(np.float32)
PROBS = _rng.uniform(0.05, 0.95, (4, 3)).astype(np.float32)
LOGITS = _rng.randn(4, 3).astype(np.float32)
ONEHOT = np.eye(3, dtype=np.float32)[[0, 2, 1, 2]]
SPARSE = np.array([0, 2, 1, 2], np.int32)
WEIGHTS = np.array([[1.0], [0.0], [2.0], [0.5]], np.float32)
EXAMPLE_WEIGHTS = np.array([1.0, 0.0, 2.0, 0.5], np.float32)


def _losses(module):
    """The same calls through ``module`` (ndflow or tensorflow), then the total of the LOSSES collection (which
    the unreduced losses stay out of: their shapes differ)."""
    v1 = module.compat.v1
    losses, reduction = v1.losses, v1.losses.Reduction
    with module.Graph().as_default():
        values = []
        for red in (reduction.NONE, reduction.SUM, reduction.MEAN, reduction.SUM_OVER_BATCH_SIZE,
                    reduction.SUM_BY_NONZERO_WEIGHTS):
            kw = {"reduction": red, "loss_collection": None if red == reduction.NONE else v1.GraphKeys.LOSSES}
            values += [
                losses.mean_squared_error(LABELS, PROBS, weights=WEIGHTS, **kw),
                losses.absolute_difference(LABELS, PROBS, weights=WEIGHTS, **kw),
                losses.huber_loss(LABELS, LOGITS, weights=WEIGHTS, delta=0.7, **kw),
                losses.log_loss(LABELS, PROBS, weights=WEIGHTS, **kw),
                losses.hinge_loss(LABELS, LOGITS, weights=WEIGHTS, **kw),
                losses.sigmoid_cross_entropy(LABELS, LOGITS, weights=WEIGHTS, label_smoothing=0.2, **kw),
                losses.softmax_cross_entropy(ONEHOT, LOGITS, weights=EXAMPLE_WEIGHTS, label_smoothing=0.1,
                                             **kw),
                losses.sparse_softmax_cross_entropy(SPARSE, LOGITS, weights=EXAMPLE_WEIGHTS, **kw),
            ]
        values.append(losses.compute_weighted_loss(LOGITS, weights=WEIGHTS))
        collected = len(losses.get_losses())
        values.append(losses.get_total_loss())
        with v1.Session() as sess:
            return sess.run(values), collected


def test_losses_match_tensorflow():
    ours, ours_collected = _losses(tf)
    theirs, theirs_collected = _losses(real_tf)
    assert ours_collected == theirs_collected
    assert len(ours) == len(theirs)
    for index, (a, b) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, err_msg=f"loss #{index}")
