"""``ndflow.compat.v1.nn``: ``tf.nn`` with TF1's signatures where they differ from TF2's."""
from __future__ import annotations

from typing import Any

import ndflow as _ndflow

from ..._core.ops.nn_ops import embedding_lookup_with_strategy
from . import rnn_cell  # noqa: F401 - tf.compat.v1.nn.rnn_cell
from .rnn import (  # noqa: F401 - re-exported as tf.compat.v1.nn.*
    bidirectional_dynamic_rnn,
    dynamic_rnn,
    raw_rnn,
    static_bidirectional_rnn,
    static_rnn,
)

globals().update({k: v for k, v in vars(_ndflow.nn).items() if not k.startswith("_")})


def in_top_k(predictions: Any, targets: Any, k: int, name: str | None = None) -> Any:
    """TF1 argument order: ``(predictions, targets, k)``."""
    return _ndflow.nn.in_top_k(targets, predictions, k, name=name)


def dropout(x: Any, keep_prob: Any = None, noise_shape: Any = None, seed: Any = None, name: str | None = None,
            rate: Any = None) -> Any:
    """TF1 dropout: keeps each unit with probability ``keep_prob`` (or drops with ``rate``).

    Raises:
        ValueError: both or neither of ``keep_prob`` and ``rate``.
    """
    if (keep_prob is None) == (rate is None):
        raise ValueError("You must provide exactly one of `keep_prob` or `rate`.")
    if rate is None:
        rate = 1 - keep_prob
    return _ndflow.nn.dropout(x, rate=rate, noise_shape=noise_shape, seed=seed, name=name)


def softmax_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None, logits: Any = None,
                                      dim: int = -1, name: str | None = None, axis: Any = None) -> Any:
    """TF1's version: no gradient flows into ``labels``."""
    return _ndflow.nn.softmax_cross_entropy_with_logits(
        labels=_ndflow.stop_gradient(labels), logits=logits, axis=dim if axis is None else axis, name=name)


softmax_cross_entropy_with_logits_v2 = _ndflow.nn.softmax_cross_entropy_with_logits


def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod", name: str | None = None,
                     validate_indices: bool = True, max_norm: Any = None) -> Any:
    """TF1 lookup: sharded ``params`` are split by ``partition_strategy`` (``"mod"`` by default)."""
    return embedding_lookup_with_strategy(params, ids, partition_strategy=partition_strategy, max_norm=max_norm)


def conv2d(input: Any, filter: Any = None, strides: Any = None, padding: Any = None,  # noqa: A002
           use_cudnn_on_gpu: bool = True, data_format: str = "NHWC", dilations: Any = None,
           name: str | None = None, filters: Any = None) -> Any:
    """TF1 spelling: the kernel is ``filter``."""
    return _ndflow.nn.conv2d(input, filter if filters is None else filters, strides, padding,
                             data_format=data_format, dilations=dilations, name=name)


def max_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Any:  # noqa: A002
    return _ndflow.nn.max_pool2d(value if input is None else input, ksize, strides, padding,
                                 data_format=data_format, name=name)


def avg_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Any:  # noqa: A002
    return _ndflow.nn.avg_pool2d(value if input is None else input, ksize, strides, padding,
                                 data_format=data_format, name=name)


def depthwise_conv2d(input: Any, filter: Any, strides: Any, padding: Any, rate: Any = None,  # noqa: A002
                     name: str | None = None, data_format: Any = None, dilations: Any = None) -> Any:
    """TF1 spelling: the dilation is ``rate``."""
    return _ndflow.nn.depthwise_conv2d(input, filter, strides, padding, data_format=data_format,
                                       dilations=rate if dilations is None else dilations, name=name)


def separable_conv2d(input: Any, depthwise_filter: Any, pointwise_filter: Any, strides: Any,  # noqa: A002
                     padding: Any, rate: Any = None, name: str | None = None, data_format: Any = None,
                     dilations: Any = None) -> Any:
    """TF1 spelling: the dilation is ``rate``."""
    return _ndflow.nn.separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,
                                       data_format=data_format, dilations=rate if dilations is None else dilations,
                                       name=name)
