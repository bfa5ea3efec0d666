"""``TextVectorization``: standardizes, splits and n-grams strings, then maps tokens to indices or encodings."""
from __future__ import annotations

import re
import string
from typing import Any

import numpy as np

import ndflow as tf

from ...._core.ragged_tensor import RaggedTensor
from ..layer import Layer
from ._utils import adapt_batches, is_tensor_like, validate_string_arg
from .index_lookup import StringLookup, _listify

__all__ = ["TextVectorization"]

_PUNCTUATION = "[" + re.escape(string.punctuation) + "]"


class TextVectorization(Layer):
    """Turns strings into token indices (``"int"``) or per-string vectors (``"multi_hot"``, ``"count"``,
    ``"tf_idf"``) over a vocabulary learned with ``adapt`` or given.

    Args:
        max_tokens: the largest vocabulary, the mask ``""`` and OOV ``"[UNK]"`` tokens included.
        standardize: ``"lower_and_strip_punctuation"``, ``"lower"``, ``"strip_punctuation"``, ``None`` or a
            callable on string tensors.
        split: ``"whitespace"``, ``"character"``, ``None`` or a callable returning ragged tokens.
        ngrams: an int ``n`` (all 1..n-grams) or a tuple of n-gram widths.
        output_mode: ``"int"``, ``"multi_hot"``, ``"count"``, ``"tf_idf"`` (or ``"one_hot"``).
        output_sequence_length: pad or truncate ``"int"`` outputs to this many tokens.
        pad_to_max_tokens: encode into ``max_tokens`` bins even when the vocabulary is smaller.
        vocabulary: a token list or a vocabulary file path.
        idf_weights: inverse document frequencies for ``"tf_idf"`` with a given vocabulary.
        sparse: return ``SparseTensor`` outputs (not with ``output_mode="int"``).
        ragged: return ragged ``"int"`` outputs.
        encoding: the text encoding (UTF-8).

    Raises:
        ValueError: an unknown ``standardize``/``split``/``output_mode``, bad ``ngrams``, or an
            ``output_sequence_length``/``ragged`` that doesn't fit ``output_mode``.
    """

    def __init__(self, max_tokens: int | None = None, standardize: Any = "lower_and_strip_punctuation",
                 split: Any = "whitespace", ngrams: Any = None, output_mode: str = "int",
                 output_sequence_length: int | None = None, pad_to_max_tokens: bool = False, vocabulary: Any = None,
                 idf_weights: Any = None, sparse: bool = False, ragged: bool = False, encoding: str = "utf-8",
                 name: str | None = None, **kwargs: Any) -> None:
        layer = type(self).__name__
        validate_string_arg(standardize, ("lower_and_strip_punctuation", "lower", "strip_punctuation"), layer,
                            "standardize", allow_none=True, allow_callables=True)
        validate_string_arg(split, ("whitespace", "character"), layer, "split", allow_none=True,
                            allow_callables=True)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        validate_string_arg(output_mode, ("int", "one_hot", "multi_hot", "count", "tf_idf"), layer, "output_mode")
        if not (ngrams is None or isinstance(ngrams, int)
                or isinstance(ngrams, tuple) and all(isinstance(item, int) for item in ngrams)):
            raise ValueError(f"`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams={ngrams}")
        if output_mode == "int" and not (isinstance(output_sequence_length, int) or output_sequence_length is None):
            raise ValueError("`output_sequence_length` must be either None or an integer when `output_mode` is 'int'. "
                             f"Received: output_sequence_length={output_sequence_length}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError("`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                             f"Received output_sequence_length={output_sequence_length}.")
        if ragged and output_mode != "int":
            raise ValueError(f"`ragged` must not be true if `output_mode` is `'int'`. Received: ragged={ragged} and "
                             f"output_mode={output_mode}")
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._lookup_layer = StringLookup(max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
                                          pad_to_max_tokens=pad_to_max_tokens, mask_token="",
                                          output_mode=output_mode, sparse=sparse,
                                          has_input_vocabulary=has_input_vocabulary, encoding=encoding,
                                          vocabulary_size=vocabulary_size)
        self.built = True

    @property
    def compute_dtype(self) -> str:
        return "string"

    @property
    def variable_dtype(self) -> str:
        return "string"

    def _convert_input(self, value: Any) -> Any:
        return value  # strings are never autocast

    # -- vocabulary -----------------------------------------------------------------------------------------------
    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Learns the vocabulary from strings: an array, list or tensor (one string per element), or a
        ``Dataset``/iterable of batches (at most ``steps`` of them)."""
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray)) or is_tensor_like(data):
            data = tf.convert_to_tensor(data, dtype=tf.string) if not is_tensor_like(data) else data
            if data.shape.rank == 1:
                data = tf.expand_dims(data, -1)
            batches = [data] if batch_size is None else adapt_batches(data, steps=steps, batch_size=batch_size)
        else:
            batches = adapt_batches(data, steps=steps)
        for batch in batches:
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        self._lookup_layer.update_state(self._preprocess(data))

    def finalize_state(self) -> None:
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The tokens by index: ``""`` (mask), ``"[UNK]"``, then the most frequent tokens first."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    def save_own_variables(self, store: dict) -> None:
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store: dict) -> None:
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path: str) -> None:
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path: str) -> None:
        self._lookup_layer.load_assets(dir_path)

    # -- calling --------------------------------------------------------------------------------------------------
    def _preprocess(self, inputs: Any) -> Any:
        if not is_tensor_like(inputs):
            inputs = tf.convert_to_tensor(inputs, dtype=tf.string)
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            inputs = tf.strings.lower(inputs)
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            inputs = tf.strings.regex_replace(inputs, _PUNCTUATION, "")
        if callable(self._standardize):
            inputs = self._standardize(inputs)
        if self._split is not None:
            if inputs.shape.rank > 1:
                if inputs.shape[-1] != 1:
                    raise ValueError("When using `TextVectorization` to tokenize strings, the input rank must be 1 or "
                                     f"the last shape dimension must be 1. Received: inputs.shape={inputs.shape} with "
                                     f"rank={inputs.shape.rank}")
                inputs = tf.squeeze(inputs, axis=-1)
            if self._split == "whitespace":
                inputs = tf.strings.split(inputs)
            elif self._split == "character":
                inputs = tf.strings.unicode_split(inputs, "UTF-8")
            else:
                inputs = self._split(inputs)
        if self._ngrams is not None:
            inputs = tf.strings.ngrams(inputs, ngram_width=self._ngrams, separator=" ")
        return inputs

    def call(self, inputs: Any) -> Any:
        lookups = self._lookup_layer(self._preprocess(inputs))
        if self._output_mode != "int":
            return lookups
        length = self._output_sequence_length
        if isinstance(lookups, RaggedTensor):
            if self._ragged:
                return lookups
            return lookups.to_tensor(default_value=0, shape=None if length is None else [None, length])
        if length is not None:
            lookups = lookups[..., :length]
            if not self._ragged:  # zero-pad the last axis up to `length`
                shape = tf.shape(lookups)
                padding = tf.zeros(tf.concat([shape[:-1], [length - shape[-1]]], axis=0), lookups.dtype)
                lookups = tf.ensure_shape(tf.concat([lookups, padding], axis=-1), (*lookups.shape[:-1], length))
        return lookups

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        input_shape = tuple(input_shape)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = input_shape + (1,)
        else:
            input_shape = input_shape + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        lookup = self._lookup_layer
        return {**super().get_config(), "max_tokens": lookup.max_tokens, "standardize": self._standardize,
                "split": self._split, "ngrams": self._ngrams_arg, "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": lookup.pad_to_max_tokens, "sparse": lookup.sparse, "ragged": self._ragged,
                "vocabulary": _listify(lookup.input_vocabulary), "idf_weights": _listify(lookup.input_idf_weights),
                "encoding": self._encoding, "vocabulary_size": self.vocabulary_size()}

    @classmethod
    def from_config(cls, config: dict) -> TextVectorization:
        from ...saving.serialization import deserialize_keras_object

        config = dict(config)
        for key in ("standardize", "split"):
            if config.get(key) is not None and not isinstance(config[key], str):
                config[key] = deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)
