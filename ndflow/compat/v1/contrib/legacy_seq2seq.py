"""``tf.contrib.legacy_seq2seq`` losses over Python lists of per-step tensors."""
from __future__ import annotations

from typing import Any, Callable

import ndflow as _tf

from ...._core.graph import name_scope as _name_scope

__all__ = ["sequence_loss_by_example", "sequence_loss"]


def sequence_loss_by_example(logits: list, targets: list, weights: list, average_across_timesteps: bool = True,
                             softmax_loss_function: Callable | None = None, name: str | None = None) -> Any:
    """The weighted log-perplexity of each example: sum over steps of ``crossent * weight``.

    Args:
        logits: per-step ``[batch, classes]`` tensors.
        targets: per-step ``[batch]`` int tensors.
        weights: per-step ``[batch]`` float tensors.
        average_across_timesteps: divide by the summed weights (plus 1e-12).
        softmax_loss_function: ``f(labels=, logits=)`` replacing sparse softmax cross-entropy.

    Returns:
        A ``[batch]`` tensor.

    Raises:
        ValueError: lists of different lengths.
    """
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError(f"Lengths of logits, weights, and targets must be the same {len(logits)}, "
                         f"{len(weights)}, {len(targets)}.")
    with _name_scope(name, "sequence_loss_by_example"):
        terms = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                crossent = _tf.nn.sparse_softmax_cross_entropy_with_logits(labels=_tf.reshape(target, [-1]),
                                                                           logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            terms.append(crossent * _tf.cast(weight, crossent.dtype))
        log_perps = _tf.add_n(terms)
        if average_across_timesteps:
            total = _tf.add_n([_tf.cast(w, log_perps.dtype) for w in weights]) + 1e-12
            log_perps = log_perps / total
        return log_perps


def sequence_loss(logits: list, targets: list, weights: list, average_across_timesteps: bool = True,
                  average_across_batch: bool = True, softmax_loss_function: Callable | None = None,
                  name: str | None = None) -> Any:
    """The summed ``sequence_loss_by_example``, divided by the batch size when ``average_across_batch``.

    Raises:
        ValueError: lists of different lengths.
    """
    with _name_scope(name, "sequence_loss"):
        cost = _tf.reduce_sum(sequence_loss_by_example(logits, targets, weights, average_across_timesteps,
                                                       softmax_loss_function))
        if average_across_batch:
            return cost / _tf.cast(_tf.shape(targets[0])[0], cost.dtype)
        return cost
