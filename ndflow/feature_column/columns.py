"""Feature column definitions: each knows its source key(s) and how to turn features into a tensor."""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

import ndflow as _tf

from .._core import dtypes
from .._core.ops.string_hash import _MASK, _shift_mix, fingerprint64

__all__ = ["numeric_column", "bucketized_column", "categorical_column_with_identity",
           "categorical_column_with_vocabulary_list", "categorical_column_with_vocabulary_file",
           "categorical_column_with_hash_bucket", "crossed_column", "indicator_column", "embedding_column"]


def _feature(features: dict, key: str) -> Any:
    if key not in features:
        raise ValueError(f"The corresponding Tensor of numerical column must be a Tensor. Feature '{key}' is "
                         f"not in features dictionary.")
    value = features[key]
    if isinstance(value, _tf.SparseTensor):
        raise NotImplementedError("feature columns over SparseTensor features are not supported yet")
    return _tf.convert_to_tensor(value)


def _as_2d(value: Any) -> Any:
    """``[batch]`` → ``[batch, 1]``; higher ranks are flattened to ``[batch, k]``."""
    if value.shape.rank == 1:
        return _tf.expand_dims(value, -1)
    if value.shape.rank is not None and value.shape.rank > 2:
        return _tf.reshape(value, _tf.stack([_tf.shape(value)[0], -1]))
    return value


class FeatureColumn:
    """Base class. ``name`` orders columns (``input_layer`` sorts by it) and names their variables."""

    name: str = ""

    def __lt__(self, other: FeatureColumn) -> bool:
        return self.name < other.name

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({fields})"


class DenseColumn(FeatureColumn):
    """A column with a fixed-width float representation ``[batch, variable_size]``."""

    variable_size: int = 0

    def dense_tensor(self, features: dict, trainable: bool = True) -> Any:
        """``[batch, variable_size]`` float32; variables are made in the caller's (per-column) scope."""
        raise NotImplementedError


ABSENT = -2  # an input equal to the ignore value ('' or -1): no id at all (TF drops it from its sparse ids)


def _absent_mask(value: Any) -> Any:
    """Where a raw categorical input holds the ignore value: '' for strings, -1 for integers."""
    return _tf.equal(value, "") if value.dtype == _tf.string else _tf.equal(value, _tf.cast(-1, value.dtype))


def _mark_absent(value: Any, ids: Any) -> Any:
    return _tf.where(_absent_mask(value), _tf.constant(ABSENT, _tf.int64), ids)


class CategoricalColumn(FeatureColumn):
    """A column of integer ids in ``[0, num_buckets)`` per example (``[batch, k]``); -1 is an unknown value
    and ``ABSENT`` (-2) a missing one (both contribute nothing; crosses keep -1 as a value, as TF does)."""

    num_buckets: int = 0

    def ids(self, features: dict) -> Any:
        raise NotImplementedError

    def multi_hot(self, features: dict) -> Any:
        """``[batch, num_buckets]`` counts of each id in the example."""
        return _tf.reduce_sum(_tf.one_hot(self.ids(features), self.num_buckets, dtype=_tf.float32), axis=1)


class NumericColumn(DenseColumn):
    def __init__(self, key: str, shape: tuple, default_value: Any, dtype: Any, normalizer_fn: Callable | None):
        self.key, self.shape, self.default_value = key, shape, default_value
        self.dtype, self.normalizer_fn = dtype, normalizer_fn
        self.name = key
        self.variable_size = int(np.prod(shape))

    def dense_tensor(self, features: dict, trainable: bool = True) -> Any:
        value = _feature(features, self.key)
        if self.normalizer_fn is not None:
            value = self.normalizer_fn(value)
        value = _tf.cast(value, _tf.float32)
        return _tf.reshape(value, [-1, self.variable_size])


def numeric_column(key: str, shape: Any = (1,), default_value: Any = None, dtype: Any = _tf.float32,
                   normalizer_fn: Callable | None = None) -> NumericColumn:
    """A real-valued feature of ``shape`` per example.

    Raises:
        ValueError: a non-positive dimension, or a non-numeric dtype.
        TypeError: ``normalizer_fn`` not callable.
    """
    shape = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)
    if any(d < 1 for d in shape):
        raise ValueError(f"shape dimensions must be greater than 0. shape: {shape}, key: {key}")
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype}, key: {key}")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return NumericColumn(key, shape, default_value, dtype, normalizer_fn)


class BucketizedColumn(DenseColumn, CategoricalColumn):
    def __init__(self, source_column: NumericColumn, boundaries: tuple) -> None:
        self.source_column, self.boundaries = source_column, boundaries
        self.name = f"{source_column.name}_bucketized"
        self.num_buckets = (len(boundaries) + 1) * source_column.variable_size
        self.variable_size = self.num_buckets

    def _bucket(self, features: dict) -> Any:
        value = self.source_column.dense_tensor(features)
        edges = _tf.constant(np.asarray(self.boundaries, np.float32))
        return _tf.reduce_sum(_tf.cast(_tf.expand_dims(value, -1) >= edges, _tf.int64), axis=-1)

    def ids(self, features: dict) -> Any:
        offsets = _tf.constant(np.arange(self.source_column.variable_size, dtype=np.int64) *
                               (len(self.boundaries) + 1))
        return self._bucket(features) + offsets

    def dense_tensor(self, features: dict, trainable: bool = True) -> Any:
        one_hot = _tf.one_hot(self._bucket(features), len(self.boundaries) + 1, dtype=_tf.float32)
        return _tf.reshape(one_hot, [-1, self.variable_size])


def bucketized_column(source_column: NumericColumn, boundaries: list) -> BucketizedColumn:
    """One-hot bucket of each element of a numeric column (bucket i: ``boundaries[i-1] <= x < boundaries[i]``).

    Raises:
        ValueError: not a numeric column, or boundaries not sorted.
    """
    if not isinstance(source_column, NumericColumn):
        raise ValueError(f"source_column must be a column generated with numeric_column(). Given: "
                         f"{source_column}")
    if not boundaries or list(boundaries) != sorted(boundaries) or len(set(boundaries)) != len(boundaries):
        raise ValueError("boundaries must be a sorted list.")
    return BucketizedColumn(source_column, tuple(float(b) for b in boundaries))


class IdentityCategoricalColumn(CategoricalColumn):
    def __init__(self, key: str, num_buckets: int, default_value: Any) -> None:
        self.key, self.num_buckets, self.default_value = key, num_buckets, default_value
        self.name = key

    def ids(self, features: dict) -> Any:
        ids = _tf.cast(_as_2d(_feature(features, self.key)), _tf.int64)
        valid = (ids >= 0) & (ids < self.num_buckets)
        fallback = -1 if self.default_value is None else self.default_value
        return _mark_absent(ids, _tf.where(valid, ids, _tf.constant(fallback, _tf.int64)))


def categorical_column_with_identity(key: str, num_buckets: int, default_value: Any = None):
    """Integer features used directly as ids (out-of-range values become ``default_value``, else dropped).

    Raises:
        ValueError: ``num_buckets < 1`` or ``default_value`` outside ``[0, num_buckets)``.
    """
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and not 0 <= default_value < num_buckets:
        raise ValueError(f"default_value {default_value} not in range [0, {num_buckets}), column_name {key}")
    return IdentityCategoricalColumn(key, int(num_buckets), default_value)


def _to_strings(value: Any) -> Any:
    return value if value.dtype == _tf.string else _tf.strings.as_string(value)


class VocabularyCategoricalColumn(CategoricalColumn):
    def __init__(self, key: str, vocabulary: tuple, dtype: Any, default_value: int, num_oov_buckets: int) -> None:
        self.key, self.vocabulary_list, self.dtype = key, vocabulary, dtype
        self.default_value, self.num_oov_buckets = default_value, num_oov_buckets
        self.name = key
        self.num_buckets = len(vocabulary) + num_oov_buckets

    def ids(self, features: dict) -> Any:
        value = _as_2d(_feature(features, self.key))
        vocab = _tf.constant(np.asarray(self.vocabulary_list), dtype=value.dtype)
        matches = _tf.equal(_tf.expand_dims(value, -1), vocab)
        found = _tf.reduce_any(matches, axis=-1)
        index = _tf.argmax(_tf.cast(matches, _tf.int32), axis=-1, output_type=_tf.int64)
        if self.num_oov_buckets:
            unknown = _tf.strings.to_hash_bucket_fast(_to_strings(value), self.num_oov_buckets) + len(
                self.vocabulary_list)
        else:
            unknown = _tf.fill(_tf.shape(index), _tf.constant(self.default_value, _tf.int64))
        return _mark_absent(value, _tf.where(found, index, unknown))


def categorical_column_with_vocabulary_list(key: str, vocabulary_list: Any, dtype: Any = None,
                                            default_value: int = -1, num_oov_buckets: int = 0):
    """Ids are positions in ``vocabulary_list``; unknown values get ``default_value`` or a hashed OOV bucket.

    Raises:
        ValueError: an empty or duplicated vocabulary, or both ``default_value`` and ``num_oov_buckets``.
    """
    vocabulary = tuple(v.decode() if isinstance(v, bytes) else v for v in vocabulary_list)
    if not vocabulary:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}")
    if len(set(vocabulary)) != len(vocabulary):
        raise ValueError(f"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: {key}")
    if num_oov_buckets and default_value != -1:
        raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
    if dtype is None:
        dtype = _tf.string if isinstance(vocabulary[0], str) else _tf.int64
    return VocabularyCategoricalColumn(key, vocabulary, dtypes.as_dtype(dtype), int(default_value),
                                       int(num_oov_buckets))


def categorical_column_with_vocabulary_file(key: str, vocabulary_file: str, vocabulary_size: int | None = None,
                                            num_oov_buckets: int = 0, default_value: int | None = None,
                                            dtype: Any = _tf.string):
    """Like ``categorical_column_with_vocabulary_list`` with one vocabulary entry per line of a file."""
    with open(vocabulary_file, encoding="utf-8") as f:
        vocabulary = [line.rstrip("\n") for line in f]
    vocabulary = vocabulary[:vocabulary_size] if vocabulary_size is not None else vocabulary
    if dtypes.as_dtype(dtype).is_integer:
        vocabulary = [int(v) for v in vocabulary]
    return categorical_column_with_vocabulary_list(key, vocabulary, dtype,
                                                   -1 if default_value is None else default_value,
                                                   num_oov_buckets)


class HashedCategoricalColumn(CategoricalColumn):
    def __init__(self, key: str, hash_bucket_size: int, dtype: Any) -> None:
        self.key, self.hash_bucket_size, self.dtype = key, hash_bucket_size, dtype
        self.name = key
        self.num_buckets = hash_bucket_size

    def ids(self, features: dict) -> Any:
        value = _as_2d(_feature(features, self.key))
        return _mark_absent(value, _tf.strings.to_hash_bucket_fast(_to_strings(value), self.hash_bucket_size))


def categorical_column_with_hash_bucket(key: str, hash_bucket_size: int, dtype: Any = _tf.string):
    """Ids are ``fingerprint(value) % hash_bucket_size`` (integers are hashed as their decimal strings).

    Raises:
        ValueError: ``hash_bucket_size`` missing or < 1.
    """
    if hash_bucket_size is None or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be set. key: {key}")
    return HashedCategoricalColumn(key, int(hash_bucket_size), dtypes.as_dtype(dtype))


_CAT_MUL = 0xC6A4A7935BD1E995
_DEFAULT_HASH_KEY = 0xDECAFCAFFE


def _fingerprint_cat64(fp1: int, fp2: int) -> int:
    """TF's ``FingerprintCat64``: combines two 64-bit fingerprints (order matters)."""
    result = fp1 ^ _CAT_MUL
    result ^= (_shift_mix((fp2 * _CAT_MUL) & _MASK) * _CAT_MUL) & _MASK
    result = (result * _CAT_MUL) & _MASK
    result = (_shift_mix(result) * _CAT_MUL) & _MASK
    return _shift_mix(result)


def _cross_ids(num_buckets: int, hash_key: int, *columns: np.ndarray) -> np.ndarray:
    """Per example, the hashed bucket of every combination of the columns' values (as TF's
    ``sparse_cross_hashed``: strings enter as ``Fingerprint64``, integers as themselves; ``ABSENT`` ids are
    skipped), padded with ``ABSENT``."""
    def values(row: Any) -> list:
        out = []
        for v in np.asarray(row).reshape(-1):
            if isinstance(v, (bytes, str)):
                out.append(fingerprint64(v.encode() if isinstance(v, str) else v))
            elif int(v) != ABSENT:
                out.append(int(v) & _MASK)
        return out

    rows = []
    for example in range(len(columns[0])):
        combos = [hash_key]
        for column in columns:
            combos = [_fingerprint_cat64(h, v) for h in combos for v in values(column[example])]
        rows.append([h % num_buckets for h in combos])
    width = max([len(r) for r in rows] + [1])
    return np.array([r + [ABSENT] * (width - len(r)) for r in rows], dtype=np.int64).reshape(len(rows), width)


class CrossedColumn(CategoricalColumn):
    def __init__(self, keys: tuple, hash_bucket_size: int, hash_key: int) -> None:
        self.keys, self.hash_bucket_size, self.hash_key = keys, hash_bucket_size, hash_key
        self.name = "_X_".join(sorted(k if isinstance(k, str) else k.name for k in keys))
        self.num_buckets = hash_bucket_size

    def _leaves(self) -> list:
        leaves = []
        for key in self.keys:
            leaves.extend(key._leaves() if isinstance(key, CrossedColumn) else [key])
        return leaves

    def ids(self, features: dict) -> Any:
        inputs = [_as_2d(_feature(features, key)) if isinstance(key, str) else key.ids(features)
                  for key in self._leaves()]
        ids = _tf.numpy_function(lambda *cols: _cross_ids(self.hash_bucket_size, self.hash_key, *cols), inputs,
                                 _tf.int64, stateful=False)
        return _tf.reshape(ids, _tf.stack([_tf.shape(inputs[0])[0], -1]))


def crossed_column(keys: list, hash_bucket_size: int, hash_key: int | None = None) -> CrossedColumn:
    """Hashed combinations of several features: each example gets the ids
    ``FingerprintCat64(… FingerprintCat64(hash_key, v1) …, vn) % hash_bucket_size`` of every combination of its
    values (keys are feature names or categorical columns; use it through ``indicator_column``,
    ``embedding_column`` or ``linear_model``).

    Raises:
        ValueError: fewer than two keys, a bad key, or ``hash_bucket_size < 1``.
    """
    keys = tuple(keys)
    if len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {list(keys)}")
    if hash_bucket_size is None or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    for key in keys:
        if not isinstance(key, (str, CategoricalColumn)):
            raise ValueError(f"Unsupported key type. All keys must be either string, or categorical column "
                             f"except HashedCategoricalColumn. Given: {key}")
        if isinstance(key, HashedCategoricalColumn):
            raise ValueError(f"categorical_column_with_hash_bucket is not supported for crossing. Hashing before "
                             f"crossing will increase probability of collision. Instead, use the feature name as "
                             f"a string. Given: {key}")
    return CrossedColumn(keys, int(hash_bucket_size), _DEFAULT_HASH_KEY if hash_key is None else hash_key)


class IndicatorColumn(DenseColumn):
    def __init__(self, categorical_column: CategoricalColumn) -> None:
        self.categorical_column = categorical_column
        self.name = f"{categorical_column.name}_indicator"
        self.variable_size = categorical_column.num_buckets

    def dense_tensor(self, features: dict, trainable: bool = True) -> Any:
        return self.categorical_column.multi_hot(features)


def indicator_column(categorical_column: CategoricalColumn) -> IndicatorColumn:
    """Multi-hot representation of a categorical column (``[batch, num_buckets]``)."""
    if not isinstance(categorical_column, CategoricalColumn):
        raise ValueError(f"Unsupported input type. Input must be a CategoricalColumn. Given: {categorical_column}")
    return IndicatorColumn(categorical_column)


class EmbeddingColumn(DenseColumn):
    def __init__(self, categorical_column: CategoricalColumn, dimension: int, combiner: str, initializer: Any,
                 max_norm: Any, trainable: bool) -> None:
        self.categorical_column, self.dimension, self.combiner = categorical_column, dimension, combiner
        self.initializer, self.max_norm, self.trainable = initializer, max_norm, trainable
        self.name = f"{categorical_column.name}_embedding"
        self.variable_size = dimension

    def dense_tensor(self, features: dict, trainable: bool = True) -> Any:
        from ..compat.v1.variable_scope import get_variable

        weights = get_variable("embedding_weights", [self.categorical_column.num_buckets, self.dimension],
                               _tf.float32, self.initializer, trainable=self.trainable and trainable)
        if self.max_norm is not None:
            weights = _tf.clip_by_norm(weights, self.max_norm, axes=[1])
        counts = self.categorical_column.multi_hot(features)
        summed = _tf.matmul(counts, weights)
        if self.combiner == "sum":
            return summed
        total = _tf.reduce_sum(counts, axis=1, keepdims=True)
        if self.combiner == "sqrtn":
            total = _tf.sqrt(total)  # each occurrence has weight 1: sqrt(Σ weights²) = sqrt(count)
        return summed / _tf.maximum(total, 1e-12)


def embedding_column(categorical_column: CategoricalColumn, dimension: int, combiner: str = "mean",
                     initializer: Any = None, ckpt_to_load_from: str | None = None,
                     tensor_name_in_ckpt: str | None = None, max_norm: Any = None,
                     trainable: bool = True, use_safe_embedding_lookup: bool = True) -> EmbeddingColumn:
    """A learned ``dimension``-wide vector per id, combined (``mean``, ``sum``, ``sqrtn``) per example.

    The weights (``<scope>/<column>_embedding/embedding_weights``) start from a truncated normal with stddev
    ``1/sqrt(dimension)`` by default.

    Raises:
        ValueError: a dimension < 1, an unknown combiner, or a non-callable initializer.
        NotImplementedError: loading from a checkpoint.
    """
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if combiner not in ("mean", "sum", "sqrtn"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum'. Given: {combiner}")
    if initializer is not None and not callable(initializer):
        raise ValueError(f"initializer must be callable if specified. Embedding of column_name: "
                         f"{categorical_column.name}")
    if ckpt_to_load_from is not None or tensor_name_in_ckpt is not None:
        raise NotImplementedError("embedding_column ckpt_to_load_from is not supported yet")
    if initializer is None:
        from ..compat.v1.initializers import truncated_normal_initializer

        initializer = truncated_normal_initializer(mean=0.0, stddev=1.0 / math.sqrt(dimension))
    return EmbeddingColumn(categorical_column, int(dimension), combiner, initializer, max_norm, trainable)
