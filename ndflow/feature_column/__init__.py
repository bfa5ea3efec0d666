"""``ndflow.feature_column``: how raw features (a dict of tensors) become dense model inputs.

Dense columns (``numeric_column``, ``bucketized_column``, ``indicator_column``, ``embedding_column``) feed
``input_layer``; every column (categorical ones too) feeds ``linear_model``. Categorical columns map values to
ids in ``[0, num_buckets)`` (-1 for a missing or unknown value, which contributes nothing).
"""
from .columns import (
    bucketized_column,
    categorical_column_with_hash_bucket,
    categorical_column_with_identity,
    categorical_column_with_vocabulary_file,
    categorical_column_with_vocabulary_list,
    crossed_column,
    embedding_column,
    indicator_column,
    numeric_column,
)
from .models import DenseFeatures, input_layer, linear_model

__all__ = ["numeric_column", "bucketized_column", "categorical_column_with_identity",
           "categorical_column_with_vocabulary_list", "categorical_column_with_vocabulary_file",
           "categorical_column_with_hash_bucket", "crossed_column", "indicator_column", "embedding_column",
           "input_layer", "linear_model", "DenseFeatures"]
