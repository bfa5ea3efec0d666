"""Column-wise composition and target transformation (mirrors ``sklearn.compose``)."""

from ._column_transformer import ColumnTransformer, make_column_selector, make_column_transformer
from ._target import TransformedTargetRegressor

__all__ = [
    "ColumnTransformer",
    "TransformedTargetRegressor",
    "make_column_selector",
    "make_column_transformer",
]
