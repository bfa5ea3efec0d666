"""Vocabulary lookup layers: ``StringLookup`` and ``IntegerLookup`` (and their shared ``IndexLookup`` base).

A vocabulary maps tokens to indices: index 0 is the mask token (when set, in ``"int"`` mode), then
``num_oov_indices`` out-of-vocabulary indices, then the tokens. ``adapt`` learns the tokens ordered by decreasing
frequency, ties broken by decreasing token value, as Keras does. The table lives in Python (tokens are not
differentiable); lookups run through ``tf.numpy_function`` so they also work in traced functions and
``Dataset.map``.
"""
from __future__ import annotations

import collections
import os
from typing import Any

import numpy as np

import ndflow as tf

from ...._core.errors import InvalidArgumentError
from ...._core.ragged_tensor import RaggedTensor
from ...._core.sparse_tensor import SparseTensor
from ...._core.tensor import Tensor, convert_to_tensor
from ...backend import floatx
from ..layer import Layer
from ._utils import adapt_batches, encode_categorical, is_tensor_like, validate_string_arg

__all__ = ["StringLookup", "IntegerLookup"]

_INT64_MAX = np.iinfo(np.int64).max


class IndexLookup(Layer):
    """Maps tokens to vocabulary indices (or indices back to tokens with ``invert=True``)."""

    def __init__(self, max_tokens: int | None, num_oov_indices: int, mask_token: Any, oov_token: Any,
                 vocabulary_dtype: str, vocabulary: Any = None, idf_weights: Any = None, invert: bool = False,
                 output_mode: str = "int", sparse: bool = False, pad_to_max_tokens: bool = False,
                 oov_method: str = "floormod", name: str | None = None, salt: Any = None, **kwargs: Any) -> None:
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("`num_oov_indices` must be greater than or equal to 0. Received: "
                             f"num_oov_indices={num_oov_indices}")
        validate_string_arg(oov_method, ("floormod", "farmhash"), type(self).__name__, "oov_method")
        is_integer_vocab = vocabulary_dtype != "string"
        if salt is not None:
            if is_integer_vocab and oov_method != "farmhash":
                raise ValueError(f"`salt` can only be used when `oov_method='farmhash'`. Received: oov_method="
                                 f"{oov_method}")
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = list(salt)
            elif isinstance(salt, int):
                salt = [salt, salt]
            else:
                raise ValueError("The `salt` argument for `IndexLookup` can only be a tuple of 2 integers, or a "
                                 f"single integer. Received: salt={salt}.")
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        validate_string_arg(output_mode, ("int", "one_hot", "multi_hot", "count", "tf_idf"), type(self).__name__,
                            "output_mode")
        if invert and output_mode != "int":
            raise ValueError("`output_mode` must be `'int'` when `invert` is true. Received: "
                             f"output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError("`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, `'count'` or "
                             f"`'tf_idf'`. Received: sparse={sparse} and output_mode={output_mode}")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError("`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
                             f"idf_weights={idf_weights} and output_mode={output_mode}")
        frozen_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt
        self._frozen_vocab_size = frozen_size
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_input_vocabulary
        self._tokens: list = []
        self._index_of: dict = {}
        self.idf_weights = None
        if output_mode == "tf_idf":
            if has_input_vocabulary and idf_weights is None:
                raise ValueError("When specifying the `vocabulary` argument, in TF-IDF output mode, the "
                                 "`idf_weights` argument must also be provided.")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()
        self.built = True

    # -- special indices ------------------------------------------------------------------------------------------
    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    @property
    def _is_string(self) -> bool:
        return self.vocabulary_dtype == "string"

    def _key(self, token: Any) -> Any:
        """A token as the table stores it: bytes for strings, int otherwise."""
        if self._is_string:
            return token.encode("utf-8") if isinstance(token, str) else bytes(token)
        return int(token)

    def _public(self, key: Any) -> Any:
        return key.decode("utf-8") if isinstance(key, bytes) else key

    # -- vocabulary -----------------------------------------------------------------------------------------------
    def vocabulary_size(self) -> int:
        """The number of indices, special ones included."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The tokens by index (mask token, OOV tokens, then the learned/given tokens)."""
        vocab = [self.oov_token] * self._token_start_index() + [self._public(t) for t in self._tokens]
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[self._token_start_index():]
        return vocab

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the tokens (a list, array, tensor or a file with one token per line) and, in ``tf_idf`` mode,
        their inverse document frequencies.

        Raises:
            ValueError: an empty or repeated vocabulary, misplaced special tokens, more than ``max_tokens``
                entries, or ``idf_weights`` that don't fit ``output_mode``/the vocabulary.
        """
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError("`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                             f"output_mode={self.output_mode} and idf_weights={idf_weights}")
        if isinstance(vocabulary, str):
            if not os.path.exists(vocabulary):
                raise ValueError(f"Vocabulary file {vocabulary} does not exist.")
            if self.output_mode == "tf_idf":
                raise ValueError("output_mode `'tf_idf'` does not support loading a vocabulary from file.")
            with open(vocabulary, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
            vocabulary = lines if self._is_string else [int(line) for line in lines]
        if is_tensor_like(vocabulary):
            vocabulary = vocabulary.numpy()
        vocabulary = [self._key(t) for t in np.asarray(vocabulary, dtype=object).reshape(-1)] \
            if np.size(vocabulary) else []
        if idf_weights is not None:
            idf_weights = np.asarray(idf_weights.numpy() if is_tensor_like(idf_weights) else idf_weights)
        if not vocabulary:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        token_start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        special_keys = [self._key(t) for t in special]
        found_special = vocabulary[:token_start] == special_keys
        tokens = vocabulary[token_start:] if found_special else vocabulary
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError("The passed vocabulary has at least one repeated term. Please uniquify your dataset. "
                             f"The repeated terms are: {[self._public(t) for t in repeated]}")
        if self.mask_token is not None and self._key(self.mask_token) in tokens:
            index = len(vocabulary) - 1 - vocabulary[::-1].index(self._key(self.mask_token))
            raise ValueError("Found reserved mask token at unexpected location in `vocabulary`. Note that passed "
                             "`vocabulary` does not need to include the OOV and mask tokens. Either remove all mask "
                             "and OOV tokens, or include them only at the start of the vocabulary in precisely this "
                             f"order: {special}. Received: mask_token={self.mask_token} at vocabulary index [{index}]")
        if self.oov_token is not None and self.invert and self._key(self.oov_token) in tokens:
            index = len(vocabulary) - 1 - vocabulary[::-1].index(self._key(self.oov_token))
            raise ValueError("Found reserved OOV token at unexpected location in `vocabulary`. Note that passed "
                             "`vocabulary` does not need to include the OOV and mask tokens. Either remove all mask "
                             "and OOV tokens, or include them only at the start of the vocabulary in precisely this "
                             f"order: {special}. Received: oov_token={self.oov_token} at vocabulary index [{index}]")
        new_size = token_start + len(tokens)
        if self.max_tokens is not None and new_size > self.max_tokens:
            raise ValueError("Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary "
                             f"size is {new_size}; `max_tokens` is {self.max_tokens}.")
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            self._set_given_idf_weights(vocabulary, idf_weights, found_special)

    def _set_given_idf_weights(self, vocabulary: list, idf_weights: np.ndarray, found_special: bool) -> None:
        if len(vocabulary) != len(idf_weights):
            raise ValueError(f"`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                             f"{len(idf_weights)}; len(vocabulary) is {len(vocabulary)}")
        if idf_weights.ndim != 1:
            raise ValueError(f"TF-IDF data must be a 1-index array. Received: type(idf_weights)={type(idf_weights)}")
        front = 0 if found_special else self._token_start_index()
        front_value = 0 if found_special else np.average(idf_weights)
        back = self.max_tokens - front - len(idf_weights) if self.pad_to_max_tokens and self.max_tokens else 0
        weights = np.pad(idf_weights, (front, back), "constant", constant_values=(front_value, 0))
        self.idf_weights = np.asarray(weights, dtype=floatx())

    def _set_tokens(self, tokens: list) -> None:
        self._ensure_vocab_size_unchanged(self._token_start_index() + len(tokens))
        self._tokens = list(tokens)
        start = self._token_start_index()
        self._index_of = {token: start + i for i, token in enumerate(self._tokens)}
        self._frozen_vocab_size = self.vocabulary_size()

    def _ensure_vocab_size_unchanged(self, new_size: int) -> None:
        if self.output_mode == "int" or self.pad_to_max_tokens:
            return
        if self._frozen_vocab_size is not None and new_size != self._frozen_vocab_size:
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, the "
                               "vocabulary size cannot be changed after the layer is called. Old vocab size is "
                               f"{self._frozen_vocab_size}, new vocab size is {new_size}")

    # -- adapt ----------------------------------------------------------------------------------------------------
    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learns the vocabulary (and IDF weights in ``tf_idf`` mode) from ``data``.

        Args:
            data: an array, list or tensor (each element of a 1-D input is one document), or a ``Dataset`` or
                other iterable of batches.
            steps: read at most this many batches.
        """
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray)) or is_tensor_like(data):
            data = self._as_tensor(data)
            if data.shape.rank == 1:
                data = tf.expand_dims(data, -1)
            self.update_state(data)
        else:
            for batch in adapt_batches(data, steps=steps):
                self.update_state(batch)
        self.finalize_state()

    def _as_tensor(self, data: Any) -> Any:
        if isinstance(data, (RaggedTensor, SparseTensor)):
            return data
        if isinstance(data, Tensor):
            return data if self._is_string else tf.cast(data, self.vocabulary_dtype)
        return convert_to_tensor(data, dtype=self.vocabulary_dtype)

    def update_state(self, data: Any) -> None:
        """Counts the tokens of one batch (rows are documents)."""
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static vocabulary via `vocabulary` "
                             "argument or `set_vocabulary()` method.")
        data = self._as_tensor(data)
        if data.shape.rank == 0:
            data = tf.expand_dims(data, 0)
        if data.shape.rank == 1:
            data = tf.expand_dims(data, 0)
        documents = _documents(data)
        flat = np.concatenate(documents) if documents else np.array([])
        if flat.size:
            distinct, counts = np.unique(flat, return_counts=True)
            self._token_counts.update({self._key(k): int(c) for k, c in zip(distinct.tolist(), counts.tolist())})
        if self.output_mode == "tf_idf":
            for document in documents:
                self._document_counts.update({self._key(k) for k in document.tolist()})
        self._num_documents += len(documents)

    def finalize_state(self) -> None:
        """Turns the counted tokens into the vocabulary (most frequent first)."""
        if self._has_input_vocabulary or not self._token_counts:
            self._ensure_vocab_size_unchanged(self.vocabulary_size())
            self._frozen_vocab_size = self.vocabulary_size()
            return
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                self._token_counts.pop(self._key(special), None)
        ordered = sorted(self._token_counts.items(), key=lambda item: (item[1], item[0]), reverse=True)
        if self.max_tokens:
            ordered = ordered[:self.max_tokens - self._token_start_index()]
        tokens = [token for token, _ in ordered]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            counts = np.array([self._document_counts[t] for t in tokens], dtype=np.float64)
            idf = np.log(1 + self._num_documents / (1 + counts)).astype(floatx())
            weights = np.pad(idf, (self._token_start_index(), 0), constant_values=np.mean(idf, dtype=floatx()))
            if self.pad_to_max_tokens and self.max_tokens is not None:
                weights = np.pad(weights, (0, self.max_tokens - weights.size), constant_values=0)
            self.idf_weights = weights.astype(floatx())
        self.reset_state()

    def reset_state(self) -> None:
        """Forgets the counts gathered by ``update_state``."""
        self._token_counts: collections.Counter = collections.Counter()
        self._document_counts: collections.Counter = collections.Counter()
        self._num_documents = 0

    # -- lookup ---------------------------------------------------------------------------------------------------
    def _convert_input(self, value: Any) -> Any:
        return value  # tokens keep their dtype (no float autocast)

    def call(self, inputs: Any) -> Any:
        self._ensure_known_vocab_size()
        inputs = self._as_tensor(inputs)
        if isinstance(inputs, SparseTensor):
            return SparseTensor(inputs.indices, self._lookup_dense(inputs.values), inputs.dense_shape)
        scalar = inputs.shape.rank == 0
        if scalar:
            inputs = tf.expand_dims(inputs, -1)
        if isinstance(inputs, RaggedTensor):
            lookups = inputs.with_flat_values(self._lookup_dense(inputs.flat_values))
            if self.output_mode != "int":  # padding that no encoding counts
                lookups = lookups.to_tensor(default_value=_INT64_MAX)
        else:
            lookups = self._lookup_dense(inputs)
        if self.output_mode == "int":
            return tf.squeeze(lookups, -1) if scalar else lookups
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        if self.output_mode != "tf_idf":
            return encode_categorical(lookups, mode, depth, "int64", sparse=self.sparse)
        output = tf.cast(encode_categorical(lookups, mode, depth, "int64"), floatx())
        output = output * tf.constant(self.idf_weights, dtype=floatx())
        return tf.sparse.from_dense(output) if self.sparse else output

    def _lookup_dense(self, inputs: Any) -> Any:
        if self.invert:
            out_dtype = tf.string if self._is_string else tf.int64
            result = tf.numpy_function(self._invert_numpy, [inputs], out_dtype)
            return tf.reshape(result, tf.shape(inputs))
        lookups = tf.reshape(tf.numpy_function(self._lookup_numpy, [inputs], tf.int64), tf.shape(inputs))
        if self.num_oov_indices > 1:
            if not self._is_string and self.oov_method != "farmhash":
                buckets = tf.math.floormod(tf.cast(inputs, tf.int64), self.num_oov_indices)
            else:
                keys = inputs if self._is_string else tf.strings.as_string(inputs)
                if self.salt is not None:
                    buckets = tf.strings.to_hash_bucket_strong(keys, self.num_oov_indices, key=self.salt)
                else:
                    buckets = tf.strings.to_hash_bucket_fast(keys, self.num_oov_indices)
            lookups = tf.where(tf.equal(lookups, -1), buckets + self._oov_start_index(), lookups)
        return lookups

    def _lookup_numpy(self, keys: np.ndarray) -> np.ndarray:
        """Token → index; -1 for OOV tokens when they hash over several OOV indices."""
        default = self._oov_start_index() if self.num_oov_indices == 1 else -1
        mask_key = self._key(self.mask_token) if self.mask_token is not None else None
        mask_value = 0 if self.output_mode == "int" else _INT64_MAX
        if keys.size == 0:
            return np.zeros(keys.shape, np.int64)
        distinct, inverse = np.unique(keys.reshape(-1), return_inverse=True)
        distinct = [self._key(k) for k in distinct.tolist()]
        indices = np.array([mask_value if key == mask_key else self._index_of.get(key, default) for key in distinct],
                           dtype=np.int64)
        if self.num_oov_indices == 0 and (indices == -1).any():
            oov = [self._public(key) for key, index in zip(distinct, indices) if index == -1]
            raise InvalidArgumentError(None, None, "When `num_oov_indices=0` all inputs should be in vocabulary, "
                                       f"found OOV values {oov}, consider setting `num_oov_indices=1`.")
        return indices[inverse].reshape(keys.shape)

    def _invert_numpy(self, indices: np.ndarray) -> np.ndarray:
        """Index → token (the OOV token for unknown indices, the mask token for 0 when one is set)."""
        start = self._token_start_index()
        oov = self._key(self.oov_token)
        flat = indices.reshape(-1)
        out = []
        for index in flat.tolist():
            if self.mask_token is not None and index == 0:
                out.append(self._key(self.mask_token))
            elif start <= index < start + len(self._tokens):
                out.append(self._tokens[index - start])
            else:
                out.append(oov)
        dtype = object if self._is_string else np.int64
        return np.array(out, dtype=dtype).reshape(indices.shape)

    # -- saving (Keras's layout: IDF weights with the variables, the vocabulary as an asset file) ---------------
    def save_own_variables(self, store: dict) -> None:
        if self.output_mode == "tf_idf":
            store["idf_weights"] = np.asarray(self.idf_weights)

    def load_own_variables(self, store: dict) -> None:
        if self.output_mode == "tf_idf":
            self.idf_weights = np.asarray(store["idf_weights"], dtype=floatx())

    def save_assets(self, dir_path: str) -> None:
        """Writes the adapted vocabulary (special tokens included) to ``dir_path/vocabulary.txt``."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(str(token) for token in self.get_vocabulary(include_special_tokens=True)))

    def load_assets(self, dir_path: str) -> None:
        """Reads the vocabulary ``save_assets`` wrote."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        values = lines if self._is_string else [int(line) for line in lines]
        self.set_vocabulary(values, idf_weights=self.idf_weights if self.output_mode == "tf_idf" else None)

    def _ensure_known_vocab_size(self) -> None:
        if self.output_mode == "int" or self.pad_to_max_tokens:
            return
        if self._frozen_vocab_size is None:
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, you must "
                               "set the layer's vocabulary before calling it. Either pass a `vocabulary` argument to "
                               "the layer, or call `adapt` with some sample data.")

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self.output_mode == "int":
            return input_shape
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        input_shape = tuple(input_shape)
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def get_config(self) -> dict:
        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token, "mask_token": self.mask_token,
                "output_mode": self.output_mode, "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype, "idf_weights": _listify(self.input_idf_weights),
                "vocabulary": _listify(self.input_vocabulary), "vocabulary_size": self._frozen_vocab_size,
                "oov_method": self.oov_method, "salt": self.salt}


def _listify(value: Any) -> Any:
    if is_tensor_like(value):
        value = value.numpy()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list):
        value = [v.decode("utf-8") if isinstance(v, bytes) else v for v in value]
    return value


def _documents(data: Any) -> list:
    """The rows of a batch (its first axis), each as a flat NumPy array of tokens."""
    if isinstance(data, SparseTensor):
        indices = data.indices.numpy()
        values = data.values.numpy()
        rows = int(data.dense_shape.numpy()[0])
        return [values[indices[:, 0] == r] for r in range(rows)]
    if isinstance(data, RaggedTensor):
        values = data.flat_values.numpy()
        splits = data.row_splits.numpy()
        for inner in data.nested_row_splits[1:]:
            splits = inner.numpy()[splits]
        return [values[splits[r]:splits[r + 1]] for r in range(len(splits) - 1)]
    array = data.numpy()
    return [row.reshape(-1) for row in array]


class StringLookup(IndexLookup):
    """Maps strings to integer indices from a vocabulary (given, or learned with ``adapt``).

    Args:
        max_tokens: the largest vocabulary size, special indices included (``None``: unlimited).
        num_oov_indices: how many indices out-of-vocabulary tokens hash into (0: they are an error).
        mask_token: a token that maps to index 0 (``None``: no mask).
        oov_token: the token ``invert=True`` returns for OOV indices.
        vocabulary: a list/array of tokens, or the path of a file with one token per line.
        idf_weights: inverse document frequencies for ``output_mode="tf_idf"`` with a given vocabulary.
        invert: map indices back to strings.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        pad_to_max_tokens: encode into ``max_tokens`` bins even when the vocabulary is smaller.
        sparse: return ``SparseTensor`` outputs (not with ``output_mode="int"``).
        encoding: the text encoding of the strings (UTF-8).
        salt: a key for hashing OOV tokens with SipHash instead of FarmHash.
    """

    def __init__(self, max_tokens: int | None = None, num_oov_indices: int = 1, mask_token: Any = None,
                 oov_token: str = "[UNK]", vocabulary: Any = None, idf_weights: Any = None, invert: bool = False,
                 output_mode: str = "int", pad_to_max_tokens: bool = False, sparse: bool = False,
                 encoding: str = "utf-8", name: str | None = None, salt: Any = None, **kwargs: Any) -> None:
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, vocabulary_dtype="string", **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}


class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices from a vocabulary (given, or learned with ``adapt``).

    Args:
        max_tokens: the largest vocabulary size, special indices included (``None``: unlimited).
        num_oov_indices: how many indices out-of-vocabulary values map into (``floormod`` or ``farmhash``).
        mask_token: a value that maps to index 0 (``None``: no mask).
        oov_token: the value ``invert=True`` returns for OOV indices.
        vocabulary: a list/array of integers, or the path of a file with one per line.
        vocabulary_dtype: ``"int64"``.
        idf_weights: inverse document frequencies for ``output_mode="tf_idf"`` with a given vocabulary.
        invert: map indices back to values.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        sparse: return ``SparseTensor`` outputs (not with ``output_mode="int"``).
        pad_to_max_tokens: encode into ``max_tokens`` bins even when the vocabulary is smaller.
        oov_method: ``"floormod"`` (value mod ``num_oov_indices``) or ``"farmhash"``.
        salt: a key for ``farmhash`` OOV hashing (SipHash).
    """

    def __init__(self, max_tokens: int | None = None, num_oov_indices: int = 1, mask_token: Any = None,
                 oov_token: int = -1, vocabulary: Any = None, vocabulary_dtype: str = "int64", idf_weights: Any = None,
                 invert: bool = False, output_mode: str = "int", sparse: bool = False, pad_to_max_tokens: bool = False,
                 oov_method: str = "floormod", salt: Any = None, name: str | None = None, **kwargs: Any) -> None:
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. Received: "
                             f"max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("The value of `num_oov_indices` argument for `IntegerLookup` must >= 0. Received: "
                             f"num_oov_indices={num_oov_indices}")
        if vocabulary_dtype != "int64":
            raise ValueError("Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                             f"vocabulary_dtype={vocabulary_dtype}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, vocabulary_dtype=vocabulary_dtype,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt, name=name, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
