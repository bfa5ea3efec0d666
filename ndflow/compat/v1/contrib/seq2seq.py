"""``tf.contrib.seq2seq.sequence_loss``: weighted cross-entropy over ``[batch, time, classes]`` logits."""
from __future__ import annotations

from typing import Any, Callable

import ndflow as _tf

from ...._core.graph import name_scope as _name_scope

__all__ = ["sequence_loss"]


def sequence_loss(logits: Any, targets: Any, weights: Any, average_across_timesteps: bool = True,
                  average_across_batch: bool = True, sum_over_timesteps: bool = False,
                  sum_over_batch: bool = False, softmax_loss_function: Callable | None = None,
                  name: str | None = None) -> Any:
    """Per-symbol cross-entropy times ``weights``, reduced over time and/or batch.

    Averages divide by the summed weights; sums divide by the count of non-zero weights (as TF does).

    Args:
        logits: ``[batch, time, classes]`` floats.
        targets: ``[batch, time]`` int class ids.
        weights: ``[batch, time]`` floats (e.g. a sequence mask).
        softmax_loss_function: ``f(labels=, logits=)`` replacing sparse softmax cross-entropy.

    Returns:
        A scalar by default; ``[batch]`` or ``[time]`` when one axis is kept; ``[batch, time]`` when none
        is reduced.

    Raises:
        ValueError: wrong ranks, or both averaging and summing over the same axis.
    """
    logits, targets, weights = (_tf.convert_to_tensor(t) for t in (logits, targets, weights))
    if logits.shape.rank != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if targets.shape.rank != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if weights.shape.rank != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True at same time.")
    with _name_scope(name, "sequence_loss"):
        flat_logits = _tf.reshape(logits, [-1, _tf.shape(logits)[2]])
        flat_targets = _tf.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = _tf.nn.sparse_softmax_cross_entropy_with_logits(labels=flat_targets, logits=flat_logits)
        else:
            crossent = softmax_loss_function(labels=flat_targets, logits=flat_logits)
        crossent = crossent * _tf.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return _tf.math.divide_no_nan(_tf.reduce_sum(crossent), _tf.reduce_sum(weights))
        if sum_over_timesteps and sum_over_batch:
            count = _tf.cast(_tf.math.count_nonzero(weights), crossent.dtype)
            return _tf.math.divide_no_nan(_tf.reduce_sum(crossent), count)
        crossent = _tf.reshape(crossent, _tf.shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            axis = [0] if average_across_batch else [1]
            return _tf.math.divide_no_nan(_tf.reduce_sum(crossent, axis=axis), _tf.reduce_sum(weights, axis=axis))
        if sum_over_timesteps or sum_over_batch:
            axis = [0] if sum_over_batch else [1]
            count = _tf.cast(_tf.math.count_nonzero(weights, axis=axis), crossent.dtype)
            return _tf.math.divide_no_nan(_tf.reduce_sum(crossent, axis=axis), count)
        return crossent
