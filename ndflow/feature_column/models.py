"""Turning a features dict into model inputs: ``input_layer`` (dense), ``linear_model`` (weighted sums)."""
from __future__ import annotations

from typing import Any

import ndflow as _tf

from ..compat.v1.variable_scope import EagerVariableStore, get_variable, variable_scope
from .columns import CategoricalColumn, DenseColumn, FeatureColumn

__all__ = ["input_layer", "linear_model", "DenseFeatures"]


def _check_columns(feature_columns: Any, allowed: tuple) -> list:
    columns = [feature_columns] if isinstance(feature_columns, FeatureColumn) else list(feature_columns or [])
    if not columns:
        raise ValueError("feature_columns must not be empty.")
    for column in columns:
        if not isinstance(column, allowed):
            raise ValueError(f"Items of feature_columns must be a {' or '.join(a.__name__ for a in allowed)}. "
                             f"Given (type {type(column)}): {column}.")
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise ValueError(f"Duplicate feature column name found for columns: {sorted(names)}.")
    return sorted(columns, key=lambda c: c.name)


def _features(features: Any) -> dict:
    if not isinstance(features, dict):
        raise ValueError(f"features should be a dictionary of `Tensor`s. Given type: {type(features)}")
    return features


def input_layer(features: dict, feature_columns: Any, weight_collections: list | None = None,
                trainable: bool = True, cols_to_vars: dict | None = None, cols_to_output_tensors: Any = None) -> Any:
    """The dense columns' tensors, sorted by column name and concatenated: ``[batch, Σ variable_size]``.

    Raises:
        ValueError: empty or non-dense columns, duplicate names, or ``features`` not a dict.
    """
    columns = _check_columns(feature_columns, (DenseColumn,))
    features = _features(features)
    outputs = []
    with variable_scope(None, default_name="input_layer"):
        for column in columns:
            with variable_scope(None, default_name=column.name):
                outputs.append(column.dense_tensor(features, trainable))
                if cols_to_output_tensors is not None:
                    cols_to_output_tensors[column] = outputs[-1]
    return _tf.concat(outputs, axis=1)


def linear_model(features: dict, feature_columns: Any, units: int = 1, sparse_combiner: str = "sum",
                 weight_collections: list | None = None, trainable: bool = True,
                 cols_to_vars: dict | None = None) -> Any:
    """``Σ_columns x_c · W_c + bias``: ``[batch, units]`` (variables ``linear_model/<column>/weights`` and
    ``linear_model/bias_weights``, zero-initialised).

    Categorical columns enter as id counts, i.e. each present id adds its weight row (the ``sum`` combiner).

    Raises:
        ValueError: empty columns, duplicate names, or ``features`` not a dict.
        NotImplementedError: a ``sparse_combiner`` other than ``sum``.
    """
    if sparse_combiner != "sum":
        raise NotImplementedError(f"linear_model sparse_combiner={sparse_combiner!r} is not supported yet")
    columns = _check_columns(feature_columns, (DenseColumn, CategoricalColumn))
    features = _features(features)
    zeros = _tf.compat.v1.zeros_initializer()
    terms = []
    with variable_scope(None, default_name="linear_model"):
        for column in columns:
            with variable_scope(None, default_name=column.name):
                if isinstance(column, DenseColumn):
                    inputs, width = column.dense_tensor(features, trainable), column.variable_size
                else:
                    inputs, width = column.multi_hot(features), column.num_buckets
                weights = get_variable("weights", [width, units], _tf.float32, zeros, trainable=trainable)
                if cols_to_vars is not None:
                    cols_to_vars[column] = [weights]
                terms.append(_tf.matmul(inputs, weights))
        bias = get_variable("bias_weights", [units], _tf.float32, zeros, trainable=trainable)
        if cols_to_vars is not None:
            cols_to_vars["bias"] = [bias]
        return _tf.nn.bias_add(_tf.add_n(terms), bias)


class DenseFeatures:
    """Callable ``features -> input_layer(features, feature_columns)`` whose variables are created once.

    Args:
        feature_columns: dense columns.
        trainable: whether embedding weights are trainable.
        name: its variable scope (default ``dense_features``).
    """

    def __init__(self, feature_columns: Any, trainable: bool = True, name: str | None = None) -> None:
        self._columns = _check_columns(feature_columns, (DenseColumn,))
        self.trainable = trainable
        self.name = name
        self._scope = None
        self._eager_store = EagerVariableStore()  # executing eagerly, the layer keeps its own variables

    def __call__(self, features: dict) -> Any:
        features = _features(features)
        from ..compat.v1.variable_scope import AUTO_REUSE

        scope = self._scope if self._scope is not None else self.name
        with self._eager_store.as_default(), \
                variable_scope(scope, default_name="dense_features", reuse=AUTO_REUSE) as vs:
            self._scope = vs
            outputs = []
            for column in self._columns:
                with variable_scope(column.name):
                    outputs.append(column.dense_tensor(features, self.trainable))
        return _tf.concat(outputs, axis=1)
