"""Categorical preprocessing layers: ``CategoryEncoding`` and ``Hashing``."""
from __future__ import annotations

from typing import Any

import numpy as np

import ndflow as tf

from ...._core.ragged_tensor import RaggedTensor
from ...._core.sparse_tensor import SparseTensor
from ...backend import floatx
from ..layer import Layer
from ._utils import encode_categorical

__all__ = ["CategoryEncoding", "Hashing"]


class CategoryEncoding(Layer):
    """Encodes integer categories in ``[0, num_tokens)`` as one-hot, multi-hot or count vectors.

    Args:
        num_tokens: the number of categories.
        output_mode: ``"multi_hot"`` (alias ``"binary"``), ``"one_hot"`` or ``"count"``.
        sparse: return ``SparseTensor`` outputs.

    Raises:
        ValueError: a missing or non-positive ``num_tokens``, or an unknown ``output_mode``.
    """

    def __init__(self, num_tokens: int | None = None, output_mode: str = "multi_hot", sparse: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError("num_tokens must be set to use this layer. If the number of tokens is not known "
                             "beforehand, use the IntegerLookup layer instead.")
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True

    def call(self, inputs: Any, count_weights: Any = None) -> Any:
        if count_weights is not None and self.output_mode != "count":
            raise ValueError("`count_weights` is not used when `output_mode` is not `'count'`. Received "
                             f"`count_weights={count_weights}`.")
        return encode_categorical(inputs, self.output_mode, self.num_tokens, self.compute_dtype, count_weights,
                                  sparse=self.sparse)

    def compute_output_shape(self, input_shape: Any) -> Any:
        input_shape = tuple(input_shape)
        if not input_shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            return input_shape + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode}


class Hashing(Layer):
    """Hashes strings or integers into ``num_bins`` bins (TensorFlow's FarmHash64 fingerprint, or SipHash with a
    ``salt``), the same bins as ``tf.keras``.

    Args:
        num_bins: the number of bins (including the mask bin when ``mask_value`` is set).
        mask_value: inputs equal to it go to bin 0; the others hash into ``[1, num_bins)``.
        salt: an int or two ints: a keyed (strong) hash.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: return ``SparseTensor`` outputs (not with ``output_mode="int"``).

    Raises:
        ValueError: a non-positive ``num_bins``, a bad ``salt``, or an unknown ``output_mode``.
    """

    def __init__(self, num_bins: int, mask_value: Any = None, salt: Any = None, output_mode: str = "int",
                 sparse: bool = False, **kwargs: Any) -> None:
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError("The `num_bins` for `Hashing` cannot be `None` or non-positive values. Received: "
                             f"num_bins={num_bins}.")
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError("When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or 'in64'. "
                             f"Received: dtype={kwargs['dtype']}")
        accepted = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in accepted:
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of {accepted}. Received: "
                             f"output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError("`sparse` may only be true if `output_mode` is `\"one_hot\"`, `\"multi_hot\"`, or "
                             f"`\"count\"`. Received: sparse={sparse} and output_mode={output_mode}")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError("The `salt` argument for `Hashing` can only be a tuple of size 2 integers, or a "
                                 f"single integer. Received: salt={salt}.")
        self.built = True

    def _convert_input(self, value: Any) -> Any:
        return value  # strings and integers pass through unchanged (no float autocast)

    def call(self, inputs: Any) -> Any:
        if isinstance(inputs, SparseTensor):
            if self.output_mode != "int":
                raise NotImplementedError(f"Hashing of sparse inputs with output_mode={self.output_mode!r} is not "
                                          "supported yet")
            return SparseTensor(inputs.indices, tf.cast(self._hash_values_to_bins(inputs.values), self.dtype),
                                inputs.dense_shape)
        if isinstance(inputs, RaggedTensor):
            bins = inputs.with_flat_values(self._hash_values_to_bins(inputs.flat_values))
            if self.output_mode == "int":
                return bins.with_flat_values(tf.cast(bins.flat_values, self.dtype))
            bins = bins.to_tensor(default_value=np.iinfo(np.int64).max)  # padding that no encoding counts
        else:
            inputs = tf.convert_to_tensor(inputs)
            if self.output_mode == "one_hot" and inputs.shape.rank and inputs.shape[-1] == 1:
                inputs = tf.squeeze(inputs, axis=-1)
            bins = self._hash_values_to_bins(inputs)
        return encode_categorical(bins, self.output_mode, self.num_bins, self.dtype, sparse=self.sparse)

    def _hash_values_to_bins(self, values: Any) -> Any:
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = tf.equal(values, tf.cast(self.mask_value, values.dtype))
        if values.dtype.is_floating:
            values = tf.cast(values, "int64")
        if values.dtype != tf.string:
            values = tf.strings.as_string(values)
        if self.strong_hash:
            hashed = tf.strings.to_hash_bucket_strong(values, bins, key=self.salt)
        else:
            hashed = tf.strings.to_hash_bucket_fast(values, bins)
        if mask is not None:
            hashed = tf.where(mask, tf.zeros_like(hashed), hashed + 1)
        return hashed

    def compute_output_shape(self, input_shape: Any) -> Any:
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        if not input_shape:
            return (self.num_bins,)
        return input_shape[:-1] + (self.num_bins,)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt, "mask_value": self.mask_value,
                "output_mode": self.output_mode, "sparse": self.sparse}
