"""contrib.seq2seq.sequence_loss and contrib.legacy_seq2seq losses (spec 004.md: the recorded values)."""
import numpy as np
import pytest

import ndflow as tf

v1 = tf.compat.v1
A = np.array([[0.1, 0.2, 0.3, 0.4], [0.2, 0.1, 0.4, 0.3], [0.4, 0.3, 0.2, 0.1], [0.3, 0.2, 0.1, 0.4],
              [0.1, 0.4, 0.3, 0.2]], np.float32)
B = np.array([1, 2, 1, 3, 3], np.int32)
W1 = np.ones(5, np.float32)
SPEC_VALUES = [1.4425356, 1.2425356, 1.3425356, 1.2425356, 1.4425356]


def numpy_crossent(logits, labels):
    shifted = logits - logits.max(-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    return -np.take_along_axis(log_probs, labels[..., None], -1)[..., 0]


def test_spec_values():
    by_example = v1.contrib.legacy_seq2seq.sequence_loss_by_example([A], [B], [W1])
    np.testing.assert_allclose(by_example.numpy(), SPEC_VALUES, rtol=1e-6)
    loss = v1.contrib.seq2seq.sequence_loss(tf.expand_dims(A, 0), tf.expand_dims(B, 0), tf.expand_dims(W1, 0))
    np.testing.assert_allclose(loss.numpy(), 1.3425356, rtol=1e-6)
    per_step = v1.contrib.seq2seq.sequence_loss(tf.expand_dims(A, 0), tf.expand_dims(B, 0), tf.expand_dims(W1, 0),
                                                average_across_timesteps=False)
    np.testing.assert_allclose(per_step.numpy(), SPEC_VALUES, rtol=1e-6)


def test_spec_values_in_a_session():
    v1.disable_eager_execution()
    try:
        with v1.Graph().as_default(), v1.Session() as sess:
            loss = v1.contrib.seq2seq.sequence_loss(tf.expand_dims(A, 0), tf.expand_dims(B, 0),
                                                    tf.expand_dims(W1, 0))
            np.testing.assert_allclose(sess.run(loss), 1.3425356, rtol=1e-6)
    finally:
        v1.enable_eager_execution()


RNG = np.random.default_rng(5)
LOGITS = RNG.normal(size=(3, 4, 6)).astype(np.float32)
TARGETS = RNG.integers(0, 6, size=(3, 4)).astype(np.int32)
WEIGHTS = np.array([[1, 1, 1, 0], [1, 2, 0, 0], [0.5, 1, 1, 1]], np.float32)


@pytest.mark.parametrize("flags, reference", [
    ({}, lambda ce, w: (ce * w).sum() / w.sum()),
    ({"average_across_timesteps": False}, lambda ce, w: (ce * w).sum(0) / w.sum(0)),
    ({"average_across_batch": False}, lambda ce, w: (ce * w).sum(1) / w.sum(1)),
    ({"average_across_timesteps": False, "average_across_batch": False}, lambda ce, w: ce * w),
    ({"average_across_timesteps": False, "average_across_batch": False, "sum_over_timesteps": True,
      "sum_over_batch": True}, lambda ce, w: (ce * w).sum() / (w != 0).sum()),
    ({"average_across_timesteps": False, "average_across_batch": False, "sum_over_timesteps": True},
     lambda ce, w: (ce * w).sum(1) / (w != 0).sum(1)),
])
def test_reductions_match_numpy(flags, reference):
    loss = v1.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS, **flags)
    expected = reference(numpy_crossent(LOGITS, TARGETS), WEIGHTS)
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-5)


def test_custom_loss_function_and_errors():
    def doubled(labels, logits):
        return 2.0 * tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)

    plain = v1.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS)
    custom = v1.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS, softmax_loss_function=doubled)
    np.testing.assert_allclose(custom.numpy(), 2 * plain.numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match="Logits must be a"):
        v1.contrib.seq2seq.sequence_loss(LOGITS[0], TARGETS, WEIGHTS)
    with pytest.raises(ValueError, match="cannot be set to True at same time"):
        v1.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS, sum_over_timesteps=True)
    with pytest.raises(ValueError, match="Lengths of logits, weights, and targets must be the same 1, 2, 1"):
        v1.contrib.legacy_seq2seq.sequence_loss_by_example([A], [B], [W1, W1])


def test_legacy_sequence_loss_averages_over_batch():
    steps = [LOGITS[:, t] for t in range(4)]
    targets = [TARGETS[:, t] for t in range(4)]
    weights = [WEIGHTS[:, t] for t in range(4)]
    ce = numpy_crossent(LOGITS, TARGETS)
    per_example = (ce * WEIGHTS).sum(1) / (WEIGHTS.sum(1) + 1e-12)
    loss = v1.contrib.legacy_seq2seq.sequence_loss(steps, targets, weights)
    np.testing.assert_allclose(loss.numpy(), per_example.sum() / 3, rtol=1e-5)
    total = v1.contrib.legacy_seq2seq.sequence_loss(steps, targets, weights, average_across_timesteps=False,
                                                    average_across_batch=False)
    np.testing.assert_allclose(total.numpy(), (ce * WEIGHTS).sum(), rtol=1e-5)
