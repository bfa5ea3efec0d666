"""Keras 3 loss classes: ``LossFunctionWrapper`` and one class per loss function."""
from __future__ import annotations

from typing import Any, Callable

from ..._core import nest
from . import functions as F
from .loss import Loss, squeeze_or_expand_to_same_rank

__all__ = ["LossFunctionWrapper", "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
           "MeanSquaredLogarithmicError", "CosineSimilarity", "Huber", "LogCosh", "Hinge", "SquaredHinge",
           "CategoricalHinge", "KLDivergence", "Poisson", "BinaryCrossentropy", "BinaryFocalCrossentropy",
           "CategoricalCrossentropy", "CategoricalFocalCrossentropy", "SparseCategoricalCrossentropy",
           "CategoricalGeneralizedCrossEntropy", "Dice", "Tversky"]


class LossFunctionWrapper(Loss):
    """Turns a loss function ``fn(y_true, y_pred, **kwargs)`` into a ``Loss``.

    Ranks of ``y_true`` and ``y_pred`` that differ by a trailing dimension of size 1 are aligned first.
    """

    def __init__(self, fn: Callable, reduction: Any = "sum_over_batch_size", name: str | None = None,
                 dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Any, y_pred: Any) -> Any:
        if nest.is_nested(y_true):
            pairs = [squeeze_or_expand_to_same_rank(t, p) for t, p in zip(nest.flatten(y_true), nest.flatten(y_pred))]
            y_true = nest.pack_sequence_as(y_true, [t for t, _ in pairs])
            y_pred = nest.pack_sequence_as(y_pred, [p for _, p in pairs])
        else:
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        from . import serialize

        config = super().get_config()
        config["fn"] = serialize(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict) -> LossFunctionWrapper:
        config = dict(config)
        if "fn" in config:
            from . import deserialize

            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class _BuiltinLoss(LossFunctionWrapper):
    """A built-in loss: its config lists its own arguments (``_config_keys``), not the wrapped function."""

    _config_keys: tuple[str, ...] = ()

    def get_config(self) -> dict:
        config = Loss.get_config(self)
        config.update({key: getattr(self, key) for key in self._config_keys})
        return config

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        return cls(**config)


def _simple_loss(class_name: str, fn: Callable, default_name: str, doc: str) -> type:
    """A loss class whose only arguments are ``reduction``, ``name`` and ``dtype``."""

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = default_name, dtype: Any = None):
        _BuiltinLoss.__init__(self, fn, name=name, reduction=reduction, dtype=dtype)

    return type(class_name, (_BuiltinLoss,), {"__init__": __init__, "__doc__": doc, "__module__": __name__,
                                              "__qualname__": class_name})


MeanSquaredError = _simple_loss("MeanSquaredError", F.mean_squared_error, "mean_squared_error",
                                "Mean of squared errors over the last axis.")
MeanAbsoluteError = _simple_loss("MeanAbsoluteError", F.mean_absolute_error, "mean_absolute_error",
                                 "Mean of absolute errors over the last axis.")
MeanAbsolutePercentageError = _simple_loss("MeanAbsolutePercentageError", F.mean_absolute_percentage_error,
                                           "mean_absolute_percentage_error",
                                           "Mean absolute error relative to ``y_true``, in percent.")
MeanSquaredLogarithmicError = _simple_loss("MeanSquaredLogarithmicError", F.mean_squared_logarithmic_error,
                                           "mean_squared_logarithmic_error",
                                           "Mean squared difference of ``log(1 + y)``.")
LogCosh = _simple_loss("LogCosh", F.log_cosh, "log_cosh", "Mean of ``log(cosh(error))``.")
Hinge = _simple_loss("Hinge", F.hinge, "hinge", "Hinge loss (0/1 labels become -1/+1).")
SquaredHinge = _simple_loss("SquaredHinge", F.squared_hinge, "squared_hinge", "Squared hinge loss.")
CategoricalHinge = _simple_loss("CategoricalHinge", F.categorical_hinge, "categorical_hinge",
                                "Hinge loss between the true class score and the best other class score.")
KLDivergence = _simple_loss("KLDivergence", F.kl_divergence, "kl_divergence",
                            "Kullback-Leibler divergence of ``y_pred`` from ``y_true``.")
Poisson = _simple_loss("Poisson", F.poisson, "poisson", "Poisson negative log-likelihood (up to a constant).")


class CosineSimilarity(_BuiltinLoss):
    """Minus the cosine similarity of ``y_true`` and ``y_pred`` along ``axis``.

    Its config also lists ``axis`` (Keras 3 leaves it out, which loses it on a round trip).
    """

    _config_keys = ("axis",)

    def __init__(self, axis: int = -1, reduction: Any = "sum_over_batch_size", name: str = "cosine_similarity",
                 dtype: Any = None) -> None:
        super().__init__(F.cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis


class Huber(_BuiltinLoss):
    """Huber loss: quadratic up to ``delta``, linear beyond.

    Its config also lists ``delta`` (Keras 3 leaves it out, which loses it on a round trip).
    """

    _config_keys = ("delta",)

    def __init__(self, delta: float = 1.0, reduction: Any = "sum_over_batch_size", name: str = "huber_loss",
                 dtype: Any = None) -> None:
        super().__init__(F.huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta


class BinaryCrossentropy(_BuiltinLoss):
    """Binary cross-entropy (``from_logits``, ``label_smoothing`` towards 0.5, averaged over ``axis``)."""

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: Any = "sum_over_batch_size", name: str = "binary_crossentropy",
                 dtype: Any = None) -> None:
        super().__init__(F.binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class BinaryFocalCrossentropy(_BuiltinLoss):
    """Binary focal cross-entropy: down-weights easy examples by ``(1 - p_t) ** gamma``."""

    _config_keys = ("from_logits", "label_smoothing", "axis", "apply_class_balancing", "alpha", "gamma")

    def __init__(self, apply_class_balancing: bool = False, alpha: float = 0.25, gamma: float = 2.0,
                 from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: Any = "sum_over_batch_size", name: str = "binary_focal_crossentropy",
                 dtype: Any = None) -> None:
        super().__init__(F.binary_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma


class CategoricalCrossentropy(_BuiltinLoss):
    """Cross-entropy between one-hot labels and class probabilities (or logits)."""

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: Any = "sum_over_batch_size", name: str = "categorical_crossentropy",
                 dtype: Any = None) -> None:
        super().__init__(F.categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalFocalCrossentropy(_BuiltinLoss):
    """Categorical cross-entropy with per-class weights ``alpha * (1 - p) ** gamma``."""

    _config_keys = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(self, alpha: float = 0.25, gamma: float = 2.0, from_logits: bool = False,
                 label_smoothing: float = 0.0, axis: int = -1, reduction: Any = "sum_over_batch_size",
                 name: str = "categorical_focal_crossentropy", dtype: Any = None) -> None:
        super().__init__(F.categorical_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         alpha=alpha, gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma


class SparseCategoricalCrossentropy(_BuiltinLoss):
    """Cross-entropy between integer labels and class probabilities (or logits); ``ignore_class`` is masked."""

    _config_keys = ("from_logits", "ignore_class")

    def __init__(self, from_logits: bool = False, ignore_class: Any = None, reduction: Any = "sum_over_batch_size",
                 axis: int = -1, name: str = "sparse_categorical_crossentropy", dtype: Any = None) -> None:
        super().__init__(F.sparse_categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class


class CategoricalGeneralizedCrossEntropy(_BuiltinLoss):
    """Generalized cross-entropy for integer labels, between cross-entropy (q → 0) and MAE (q = 1).

    Raises:
        ValueError: ``q`` outside (0, 1).
    """

    _config_keys = ("q",)

    def __init__(self, q: float = 0.5, reduction: Any = "sum_over_batch_size",
                 name: str = "categorical_generalized_cross_entropy", dtype: Any = None) -> None:
        if not 0 < q < 1:
            raise ValueError("q must be in the interval (0, 1)")
        super().__init__(F.categorical_generalized_cross_entropy, name=name, reduction=reduction, dtype=dtype, q=q)
        self.q = q


class Dice(_BuiltinLoss):
    """Dice loss ``1 - 2|A∩B| / (|A| + |B|)`` with soft counts over ``axis``."""

    _config_keys = ("axis",)

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "dice", axis: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(F.dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis


class Tversky(_BuiltinLoss):
    """Tversky loss: Dice generalised with weights ``alpha`` (false positives) and ``beta`` (false negatives)."""

    _config_keys = ("alpha", "beta", "axis")

    def __init__(self, alpha: float = 0.5, beta: float = 0.5, reduction: Any = "sum_over_batch_size",
                 name: str = "tversky", axis: Any = None, dtype: Any = None) -> None:
        super().__init__(F.tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis)
        self.alpha = alpha
        self.beta = beta
        self.axis = axis
