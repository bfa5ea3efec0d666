"""``tf.compat.v1.metrics``: streaming ``(value, update_op)`` metrics over local variables."""
from ...estimator._metrics import (
    accuracy,
    auc,
    mean,
    mean_absolute_error,
    mean_squared_error,
    precision,
    recall,
    root_mean_squared_error,
)

__all__ = ["accuracy", "auc", "mean", "mean_absolute_error", "mean_squared_error", "precision", "recall",
           "root_mean_squared_error"]
