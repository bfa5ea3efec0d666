"""TF1 spellings in compat.v1.nn (spec code uses them)."""
import numpy as np
import pytest

import ndflow
import ndflow.compat.v1 as tf


def test_in_top_k_takes_predictions_first():
    out = tf.nn.in_top_k(tf.constant([[0.1, 0.9], [0.8, 0.2]]), tf.constant([1, 1]), 1)
    np.testing.assert_array_equal(out.numpy(), [True, False])


def test_dropout_keep_prob():
    tf.random.set_seed(0)
    kept = tf.nn.dropout(tf.ones([1000]), keep_prob=0.8).numpy()
    assert set(np.unique(kept)) <= {0.0, 1.25}
    assert 0.7 < np.mean(kept > 0) < 0.9
    with pytest.raises(ValueError):
        tf.nn.dropout(tf.ones([3]), keep_prob=0.5, rate=0.5)


def test_v1_softmax_xent_stops_label_gradient():
    labels, logits = tf.constant([[0.2, 0.8]]), tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        tape.watch([labels, logits])
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    g_labels, g_logits = tape.gradient(loss, [labels, logits])
    assert g_labels is None and g_logits is not None


def test_depthwise_and_separable_take_rate():
    x = tf.random.normal([1, 9, 9, 2], seed=1)
    w = tf.random.normal([3, 3, 2, 1], seed=2)
    p = tf.random.normal([1, 1, 2, 4], seed=3)
    np.testing.assert_allclose(tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "VALID", rate=[2, 2]).numpy(),
                               ndflow.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "VALID", dilations=[2, 2]).numpy())
    assert tf.nn.separable_conv2d(x, w, p, [1, 1, 1, 1], "SAME", rate=[2, 2]).shape == (1, 9, 9, 4)
