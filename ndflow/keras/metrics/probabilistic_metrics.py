"""Probabilistic and hinge metrics: running means of cross-entropies, KL divergence, Poisson and hinge losses."""
from __future__ import annotations

from typing import Any

from ..losses import functions as F
from .reduction_metrics import LossMeanMetric

__all__ = ["KLDivergence", "Poisson", "BinaryCrossentropy", "CategoricalCrossentropy",
           "SparseCategoricalCrossentropy", "Hinge", "SquaredHinge", "CategoricalHinge"]


class KLDivergence(LossMeanMetric):
    """The mean Kullback-Leibler divergence between labels and predictions."""

    _loss_fn = staticmethod(F.kl_divergence)

    def __init__(self, name: str = "kl_divergence", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)


class Poisson(LossMeanMetric):
    """The mean Poisson loss ``y_pred - y_true * log(y_pred)``."""

    _loss_fn = staticmethod(F.poisson)

    def __init__(self, name: str = "poisson", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)


class BinaryCrossentropy(LossMeanMetric):
    """The mean binary cross-entropy (``from_logits``, ``label_smoothing`` as the loss)."""

    _loss_fn = staticmethod(F.binary_crossentropy)
    _config_keys = ("from_logits", "label_smoothing")

    def __init__(self, name: str = "binary_crossentropy", dtype: Any = None, from_logits: bool = False,
                 label_smoothing: float = 0) -> None:
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing)


class CategoricalCrossentropy(LossMeanMetric):
    """The mean categorical cross-entropy (``from_logits``, ``label_smoothing``, ``axis`` as the loss)."""

    _loss_fn = staticmethod(F.categorical_crossentropy)
    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, name: str = "categorical_crossentropy", dtype: Any = None, from_logits: bool = False,
                 label_smoothing: float = 0, axis: int = -1) -> None:
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=axis)


class SparseCategoricalCrossentropy(LossMeanMetric):
    """The mean sparse categorical cross-entropy (``from_logits``, ``ignore_class``, ``axis`` as the loss)."""

    _loss_fn = staticmethod(F.sparse_categorical_crossentropy)
    _config_keys = ("from_logits", "ignore_class", "axis")

    def __init__(self, name: str = "sparse_categorical_crossentropy", dtype: Any = None, from_logits: bool = False,
                 ignore_class: Any = None, axis: int = -1) -> None:
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, ignore_class=ignore_class, axis=axis)


class Hinge(LossMeanMetric):
    """The mean hinge loss (0/1 labels become -1/+1)."""

    _loss_fn = staticmethod(F.hinge)

    def __init__(self, name: str = "hinge", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)


class SquaredHinge(LossMeanMetric):
    """The mean squared hinge loss."""

    _loss_fn = staticmethod(F.squared_hinge)

    def __init__(self, name: str = "squared_hinge", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)


class CategoricalHinge(LossMeanMetric):
    """The mean categorical hinge loss."""

    _loss_fn = staticmethod(F.categorical_hinge)

    def __init__(self, name: str = "categorical_hinge", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
