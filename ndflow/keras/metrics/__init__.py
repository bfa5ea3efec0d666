"""``keras.metrics``: stateful metrics, metric functions, and ``get`` / ``serialize`` / ``deserialize``.

For ``compile``: ``resolve_metric(identifier, y_true_shape, y_pred_shape)`` turns one entry of
``compile(metrics=[...])`` into a named ``Metric`` exactly as Keras 3 does; ``"accuracy"``/``"acc"`` go through
``resolve_accuracy``, which picks binary, sparse categorical or categorical accuracy from the shapes.
"""
from __future__ import annotations

from typing import Any, Sequence

from ..losses import functions as _loss_functions
from ..losses import object_name
from ..losses import serialize as _serialize_loss
from ..losses.functions import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from ..losses.loss import Loss, to_snake_case
from ..utils import object_identifiers
from .accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from .confusion_metrics import (
    AUC,
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from .correlation_metrics import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from .f_score_metrics import F1Score, FBetaScore
from .iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from .metric import Metric
from .probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    Hinge,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)
from .reduction_metrics import Mean, MeanMetricWrapper, Sum
from .regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    RootMeanSquaredError,
)

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
logcosh = log_cosh

_CLASSES = (Metric, Mean, Sum, MeanMetricWrapper, MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError,
            MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError, R2Score, AUC,
            FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall, RecallAtPrecision,
            SensitivityAtSpecificity, SpecificityAtSensitivity, TrueNegatives, TruePositives, Hinge, SquaredHinge,
            CategoricalHinge, KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy,
            SparseCategoricalCrossentropy, Accuracy, BinaryAccuracy, CategoricalAccuracy,
            SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, F1Score, FBetaScore,
            IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU, PearsonCorrelation, ConcordanceCorrelation)
_METRIC_FUNCTIONS = (accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
                     top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, pearson_correlation,
                     concordance_correlation)

ALL_OBJECTS = frozenset(_CLASSES)
ALL_OBJECTS_DICT: dict[str, Any] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT.update({"bce": BinaryCrossentropy, "BCE": BinaryCrossentropy, "mse": MeanSquaredError,
                         "MSE": MeanSquaredError, "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
                         "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
                         "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError})

_FUNCTIONS_DICT: dict[str, Any] = {fn.__name__: fn for fn in _METRIC_FUNCTIONS}
_FUNCTIONS_DICT.update({name: getattr(_loss_functions, name) for name in _loss_functions.__all__})

__all__ = [cls.__name__ for cls in _CLASSES] + [
    "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy", "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy", "pearson_correlation", "concordance_correlation", "binary_crossentropy",
    "binary_focal_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge",
    "hinge", "huber", "kl_divergence", "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "mean_squared_logarithmic_error", "poisson", "sparse_categorical_crossentropy",
    "squared_hinge", "mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE", "kld", "KLD", "logcosh",
    "get", "serialize", "deserialize", "resolve_metric", "resolve_accuracy"]


def serialize(metric: Any) -> Any:
    """Keras 3's serialized form of a metric object (config dict) or metric function (function descriptor)."""
    if isinstance(metric, Metric) and type(metric) in ALL_OBJECTS:
        return {"module": "keras.metrics", "class_name": type(metric).__name__, "config": metric.get_config(),
                "registered_name": None}
    return object_identifiers.serialize_object(metric, "ndflow.keras.metrics")


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Rebuilds a metric from its name or serialized config.

    Raises:
        ValueError: unknown name or class.
    """
    if isinstance(config, dict) and config.get("class_name") == "function":
        return deserialize_function(config, custom_objects)
    return object_identifiers.deserialize_object(config, ALL_OBJECTS_DICT, "metric", custom_objects)


def get(identifier: Any) -> Any:
    """A ``Metric`` instance or metric function from a name, a config dict, a class, a function or an instance.

    Names map to metric classes (``"mse"`` → ``MeanSquaredError()``, ``"AUC"``/``"auc"`` → ``AUC()``,
    ``"accuracy"`` → ``Accuracy()``); ``None`` gives ``None``.

    Raises:
        ValueError: the identifier names no metric.
    """
    if identifier is None:
        return None
    return object_identifiers.get_object(identifier, deserialize, "metric")


def serialize_function(fn: Any) -> Any:
    """The serialized form of the function (or ``Loss``) wrapped by a ``MeanMetricWrapper``."""
    if isinstance(fn, Loss):
        return _serialize_loss(fn)
    return object_identifiers.serialize_object(fn, "ndflow.keras.metrics")


def deserialize_function(config: Any, custom_objects: dict | None = None) -> Any:
    """Inverse of ``serialize_function``: metric and loss functions by name, or a serialized ``Loss``."""
    if isinstance(config, dict) and config.get("class_name") != "function":
        from ..losses import deserialize as deserialize_loss

        return deserialize_loss(config, custom_objects)
    return object_identifiers.deserialize_object(config, _FUNCTIONS_DICT, "metric", custom_objects)


def resolve_accuracy(y_true_shape: Sequence | None, y_pred_shape: Sequence | None,
                     name: str = "accuracy") -> Metric:
    """The accuracy metric ``compile(metrics=["accuracy"])`` uses for one output, chosen from shapes only as
    Keras 3 does (the loss plays no part).

    A last ``y_pred`` dimension of 1 gives ``BinaryAccuracy``; a ``y_true`` of lower rank than ``y_pred``, or
    ending in 1 against several classes, gives ``SparseCategoricalAccuracy``; otherwise
    ``CategoricalAccuracy``. The metric is named ``name`` (the string the user wrote).
    """
    y_true_shape, y_pred_shape = tuple(y_true_shape or ()), tuple(y_pred_shape or ())
    true_last = y_true_shape[-1] if y_true_shape else None
    pred_last = y_pred_shape[-1] if y_pred_shape else None
    if pred_last == 1:
        return BinaryAccuracy(name=name)
    if len(y_true_shape) < len(y_pred_shape) or (true_last == 1 and pred_last is not None and pred_last > 1):
        return SparseCategoricalAccuracy(name=name)
    return CategoricalAccuracy(name=name)


def resolve_metric(identifier: Any, y_true_shape: Sequence | None, y_pred_shape: Sequence | None) -> Metric:
    """The ``Metric`` that ``compile(metrics=[identifier])`` tracks for one output (Keras 3's rule).

    ``"accuracy"``/``"acc"`` (any case) go through ``resolve_accuracy``; other identifiers through ``get``;
    plain functions are wrapped in ``MeanMetricWrapper``. The metric is named after a string identifier, else
    after the object (its ``name``, or its function name in snake case).

    Raises:
        ValueError: ``identifier`` is ``None`` or names no metric.
    """
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if str(identifier).lower() in ("accuracy", "acc"):
        metric = resolve_accuracy(y_true_shape, y_pred_shape, name=str(identifier))
    else:
        metric = get(identifier)
    name = identifier if isinstance(identifier, str) else object_name(metric)
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric, name=name)
    metric.name = name
    return metric
