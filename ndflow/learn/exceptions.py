"""Exceptions and warnings raised by ndflow.learn (scikit-learn's names and bases)."""

__all__ = ["NotFittedError", "ConvergenceWarning", "DataConversionWarning", "FitFailedWarning",
           "UndefinedMetricWarning", "InvalidParameterError"]


class NotFittedError(ValueError, AttributeError):
    """Raised when an estimator is used before ``fit``."""


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped before converging."""


class DataConversionWarning(UserWarning):
    """Input data was converted implicitly (e.g. a column vector ``y`` ravelled)."""


class FitFailedWarning(RuntimeWarning):
    """A fit during cross-validation or search raised an error."""


class UndefinedMetricWarning(UserWarning):
    """A metric is ill-defined for the given labels (e.g. precision with no predicted positives)."""


class InvalidParameterError(ValueError, TypeError):
    """A hyper-parameter has the wrong type or value (both a ValueError and a TypeError, like sklearn's)."""
