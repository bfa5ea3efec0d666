"""Utilities shared by the estimators (validation, random state, resampling, ``Bunch``)."""
from ._bunch import Bunch
from .validation import check_array, check_random_state, check_X_y, column_or_1d, indexable

__all__ = ["Bunch", "check_array", "check_random_state", "check_X_y", "column_or_1d", "indexable"]
