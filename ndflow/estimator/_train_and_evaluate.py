"""``train_and_evaluate`` (local, single process)."""
from __future__ import annotations

from typing import Any

from ._estimator import Estimator
from ._spec import EvalSpec, TrainSpec

__all__ = ["train_and_evaluate"]


def train_and_evaluate(estimator: Estimator, train_spec: TrainSpec, eval_spec: EvalSpec) -> tuple:
    """Trains to ``train_spec.max_steps`` (or until the input ends), then evaluates once.

    Returns:
        ``(evaluation metrics dict, [])`` (no exporters run).

    Raises:
        TypeError: arguments of the wrong types.
    """
    if not isinstance(estimator, Estimator):
        raise TypeError(f"`estimator` must have type `tf.estimator.Estimator`. Got: {type(estimator)}")
    if not isinstance(train_spec, TrainSpec):
        raise TypeError(f"`train_spec` must have type `tf.estimator.TrainSpec`. Got: {type(train_spec)}")
    if not isinstance(eval_spec, EvalSpec):
        raise TypeError(f"`eval_spec` must have type `tf.estimator.EvalSpec`. Got: {type(eval_spec)}")
    if eval_spec.exporters:
        raise NotImplementedError("train_and_evaluate exporters are not supported yet")
    estimator.train(train_spec.input_fn, max_steps=train_spec.max_steps)
    metrics: Any = estimator.evaluate(eval_spec.input_fn, steps=eval_spec.steps, name=eval_spec.name)
    return metrics, []
