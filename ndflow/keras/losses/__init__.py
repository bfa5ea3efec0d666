"""``keras.losses``: loss classes and functions, reductions, and ``get`` / ``serialize`` / ``deserialize``.

Besides Keras 3's names, the tf.keras 2 aliases (``mse``, ``MAE``, ``kld``, ``logcosh`` …) are kept because
older programs still use them.
"""
from __future__ import annotations

from typing import Any, Sequence

from ..utils import object_identifiers
from .functions import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    categorical_hinge,
    cosine_similarity,
    dice,
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
    tversky,
)
from .loss import Loss, reduce_weighted_values, squeeze_or_expand_to_same_rank, to_snake_case
from .losses import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    CategoricalHinge,
    CosineSimilarity,
    Dice,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    LossFunctionWrapper,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    Tversky,
)

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

__all__ = [
    "Loss", "LossFunctionWrapper", "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError", "CosineSimilarity", "Huber", "LogCosh", "Hinge", "SquaredHinge",
    "CategoricalHinge", "KLDivergence", "Poisson", "BinaryCrossentropy", "BinaryFocalCrossentropy",
    "CategoricalCrossentropy", "CategoricalFocalCrossentropy", "SparseCategoricalCrossentropy",
    "CategoricalGeneralizedCrossEntropy", "Dice", "Tversky",
    "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
    "cosine_similarity", "huber", "log_cosh", "hinge", "squared_hinge", "categorical_hinge", "kl_divergence",
    "poisson", "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "sparse_categorical_crossentropy", "categorical_generalized_cross_entropy",
    "dice", "tversky",
    "mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE", "kld", "KLD", "kullback_leibler_divergence",
    "logcosh", "get", "serialize", "deserialize", "resolve_loss", "reduce_weighted_values",
    "squeeze_or_expand_to_same_rank",
]

_CLASSES = (Loss, LossFunctionWrapper, KLDivergence, Poisson, BinaryCrossentropy, BinaryFocalCrossentropy,
            CategoricalCrossentropy, CategoricalFocalCrossentropy, SparseCategoricalCrossentropy, MeanSquaredError,
            MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, LogCosh,
            Huber, Hinge, SquaredHinge, CategoricalHinge, Dice, Tversky, CategoricalGeneralizedCrossEntropy)
_FUNCTIONS = (kl_divergence, poisson, binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
              categorical_focal_crossentropy, sparse_categorical_crossentropy, mean_squared_error,
              mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error, cosine_similarity,
              log_cosh, huber, hinge, squared_hinge, categorical_hinge, dice, tversky,
              categorical_generalized_cross_entropy)

ALL_OBJECTS = frozenset(_CLASSES + _FUNCTIONS)
ALL_OBJECTS_DICT: dict[str, Any] = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
ALL_OBJECTS_DICT.update({"bce": binary_crossentropy, "BCE": binary_crossentropy, "kld": kl_divergence,
                         "KLD": kl_divergence, "mae": mean_absolute_error, "MAE": mean_absolute_error,
                         "mse": mean_squared_error, "MSE": mean_squared_error,
                         "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
                         "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
                         "logcosh": log_cosh, "kullback_leibler_divergence": kl_divergence})


def serialize(loss: Any) -> Any:
    """Keras 3's serialized form of a loss object (config dict) or loss function (function descriptor)."""
    if isinstance(loss, Loss) and type(loss) in ALL_OBJECTS:
        return {"module": "keras.losses", "class_name": type(loss).__name__, "config": loss.get_config(),
                "registered_name": None}
    return object_identifiers.serialize_object(loss, "ndflow.keras.losses")


def deserialize(name: Any, custom_objects: dict | None = None) -> Any:
    """Rebuilds a loss from its name or serialized config.

    Raises:
        ValueError: unknown name or class.
    """
    return object_identifiers.deserialize_object(name, ALL_OBJECTS_DICT, "loss", custom_objects)


def get(identifier: Any) -> Any:
    """A loss function or ``Loss`` instance from a name, a config dict, a class, a function or an instance.

    ``None`` gives ``None``; a class is instantiated with its defaults.

    Raises:
        ValueError: the identifier names no loss.
    """
    if identifier is None:
        return None
    return object_identifiers.get_object(identifier, deserialize, "loss")


def resolve_loss(identifier: Any, y_true_shape: Sequence | None, y_pred_shape: Sequence | None) -> Loss | None:
    """The ``Loss`` that ``compile(loss=identifier)`` uses for one output (Keras 3's rule).

    ``"crossentropy"``/``"ce"`` become binary, sparse categorical or categorical cross-entropy from the shapes
    (a last ``y_pred`` dimension of 1 means binary; a lower-rank ``y_true``, or a ``y_true`` ending in 1 against
    several classes, means sparse). Plain functions are wrapped in ``LossFunctionWrapper`` named after the
    identifier. ``None`` (an output without loss) gives ``None``.
    """
    if identifier is None:
        return None
    if str(identifier).lower() in ("crossentropy", "ce"):
        is_binary, is_sparse = _binary_or_sparse(y_true_shape, y_pred_shape)
        loss = (binary_crossentropy if is_binary else
                sparse_categorical_crossentropy if is_sparse else categorical_crossentropy)
    else:
        loss = get(identifier)
    if isinstance(loss, Loss):
        return loss
    name = identifier if isinstance(identifier, str) else object_name(loss)
    return LossFunctionWrapper(loss, name=name)


def _binary_or_sparse(y_true_shape: Sequence | None, y_pred_shape: Sequence | None) -> tuple[bool, bool]:
    y_true_shape, y_pred_shape = tuple(y_true_shape or ()), tuple(y_pred_shape or ())
    true_last = y_true_shape[-1] if y_true_shape else None
    pred_last = y_pred_shape[-1] if y_pred_shape else None
    is_binary = pred_last == 1
    is_sparse = len(y_true_shape) < len(y_pred_shape) or (true_last == 1 and pred_last is not None and pred_last > 1)
    return is_binary, is_sparse


def object_name(obj: Any) -> str:
    """Keras's display name of a loss or metric: its ``name``, else its (class) name in snake case."""
    if hasattr(obj, "name"):
        return obj.name
    if hasattr(obj, "__name__"):
        return to_snake_case(obj.__name__)
    return to_snake_case(type(obj).__name__)
