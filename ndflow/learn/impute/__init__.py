"""Missing-value imputation (mirrors ``sklearn.impute``)."""

from ._base import MissingIndicator, SimpleImputer
from ._knn import KNNImputer

__all__ = ["KNNImputer", "MissingIndicator", "SimpleImputer"]
