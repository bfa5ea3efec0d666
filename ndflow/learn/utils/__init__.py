"""Utilities shared by the estimators (validation, random state, resampling)."""
from .validation import check_array, check_random_state, check_X_y, column_or_1d, indexable

__all__ = ["check_array", "check_random_state", "check_X_y", "column_or_1d", "indexable"]
