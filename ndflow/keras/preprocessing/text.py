"""``keras.preprocessing.text``: the classic (Keras 1/2) text utilities: ``Tokenizer``, ``text_to_word_sequence``,
``one_hot``, ``hashing_trick``, ``tokenizer_from_json``. New code should prefer ``layers.TextVectorization``."""
from __future__ import annotations

import hashlib
import json
import warnings
from collections import Counter, OrderedDict, defaultdict
from typing import Any, Callable, Iterable

import numpy as np

__all__ = ["Tokenizer", "hashing_trick", "one_hot", "text_to_word_sequence", "tokenizer_from_json"]

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text: str, filters: str = DEFAULT_FILTERS, lower: bool = True,
                          split: str = " ") -> list[str]:
    """The words of ``input_text``: optionally lower-cased, every ``filters`` character turned into ``split``,
    then split on ``split`` with empty pieces dropped."""
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({char: split for char in filters}))
    return [word for word in input_text.split(split) if word]


def hashing_trick(text: str, n: int, hash_function: Any = None, filters: str = DEFAULT_FILTERS, lower: bool = True,
                  split: str = " ", analyzer: Callable | None = None) -> list[int]:
    """Each word of ``text`` hashed into ``1 … n - 1`` (``hash_function``: ``None`` = Python's ``hash``, which
    varies between runs unless ``PYTHONHASHSEED`` is set; ``"md5"``; or a callable)."""
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        def hash_function(word: str) -> int:
            return int(hashlib.md5(word.encode()).hexdigest(), 16)
    words = text_to_word_sequence(text, filters, lower, split) if analyzer is None else analyzer(text)
    return [hash_function(word) % (n - 1) + 1 for word in words]


def one_hot(input_text: str, n: int, filters: str = DEFAULT_FILTERS, lower: bool = True, split: str = " ",
            analyzer: Callable | None = None) -> list[int]:
    """``hashing_trick`` with Python's ``hash`` (word ids in ``1 … n - 1``, collisions possible)."""
    return hashing_trick(input_text, n, hash_function=hash, filters=filters, lower=lower, split=split,
                         analyzer=analyzer)


class Tokenizer:
    """Maps words to integer ids ranked by frequency, and texts to id sequences or count matrices.

    Args:
        num_words: keep only ids ``< num_words`` when converting texts (the index itself keeps every word).
        filters: characters removed from texts before splitting.
        lower: lower-case texts first.
        split: word separator.
        char_level: treat every character as a token.
        oov_token: token given id 1 and used for words outside the vocabulary (or beyond ``num_words``).
        analyzer: a callable turning one text into its tokens (replaces ``filters``/``lower``/``split``).

    Attributes:
        word_index, index_word, word_counts, word_docs, index_docs, document_count.
    """

    def __init__(self, num_words: int | None = None, filters: str = DEFAULT_FILTERS, lower: bool = True,
                 split: str = " ", char_level: bool = False, oov_token: str | None = None,
                 analyzer: Callable | None = None, **kwargs) -> None:
        if "nb_words" in kwargs:
            warnings.warn("The `nb_words` argument in `Tokenizer` has been renamed `num_words`.", stacklevel=2)
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {kwargs}")
        self.word_counts: OrderedDict = OrderedDict()
        self.word_docs: defaultdict = defaultdict(int)
        self.index_docs: defaultdict = defaultdict(int)
        self.word_index: dict = {}
        self.index_word: dict = {}
        self.filters, self.split, self.lower = filters, split, lower
        self.num_words, self.document_count = num_words, document_count
        self.char_level, self.oov_token, self.analyzer = char_level, oov_token, analyzer

    def _tokens(self, text: Any) -> Any:
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [piece.lower() for piece in text] if isinstance(text, list) else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts: Iterable) -> None:
        """Counts the tokens of ``texts`` and rebuilds ``word_index`` (most frequent first, ids from 1; ties keep
        first-seen order; ``oov_token`` first when set)."""
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for token in tokens:
                self.word_counts[token] = self.word_counts.get(token, 0) + 1
            for token in set(tokens):
                self.word_docs[token] += 1
        ranked = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + [word for word, _ in ranked]
        self.word_index = {word: index for index, word in enumerate(vocabulary, start=1)}
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, count in list(self.word_docs.items()):
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences: list) -> None:
        """Updates the document statistics (for ``"tfidf"`` matrices) from id sequences."""
        self.document_count += len(sequences)
        for sequence in sequences:
            for index in set(sequence):
                self.index_docs[index] += 1

    def _kept(self, index: int) -> bool:
        return not (self.num_words and index >= self.num_words)

    def texts_to_sequences_generator(self, texts: Iterable):
        """Yields the id sequence of each text (see ``texts_to_sequences``)."""
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            sequence = []
            for token in self._tokens(text):
                index = self.word_index.get(token)
                if index is not None and self._kept(index):
                    sequence.append(index)
                elif oov_index is not None and (index is not None or self.oov_token is not None):
                    sequence.append(oov_index)
            yield sequence

    def texts_to_sequences(self, texts: Iterable) -> list[list[int]]:
        """Each text as a list of ids; unknown words (and ids ``>= num_words``) become the ``oov_token`` id, or
        are dropped without one."""
        return list(self.texts_to_sequences_generator(texts))

    def sequences_to_texts_generator(self, sequences: Iterable):
        """Yields each id sequence turned back into a space-joined text."""
        oov_index = self.word_index.get(self.oov_token)
        for sequence in sequences:
            words = []
            for index in sequence:
                word = self.index_word.get(index)
                if word is not None and self._kept(index):
                    words.append(word)
                elif oov_index is not None and (word is not None or self.oov_token is not None):
                    words.append(self.index_word[oov_index])
            yield " ".join(words)

    def sequences_to_texts(self, sequences: Iterable) -> list[str]:
        """The inverse of ``texts_to_sequences`` (out-of-vocabulary ids become ``oov_token`` or are dropped)."""
        return list(self.sequences_to_texts_generator(sequences))

    def texts_to_matrix(self, texts: Iterable, mode: str = "binary") -> np.ndarray:
        """``sequences_to_matrix(texts_to_sequences(texts), mode)``."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences: list, mode: str = "binary") -> np.ndarray:
        """A float64 ``(len(sequences), num_words)`` matrix (``len(word_index) + 1`` columns without
        ``num_words``).

        Args:
            mode: ``"binary"`` (presence), ``"count"``, ``"freq"`` (count / sequence length) or ``"tfidf"``
                (``(1 + log count) * log(1 + documents / (1 + documents containing the word))``).
        """
        if self.num_words:
            width = self.num_words
        elif self.word_index:
            width = len(self.word_index) + 1
        else:
            raise ValueError("Specify a dimension (`num_words` argument), or fit on some text data first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        matrix = np.zeros((len(sequences), width))
        for row, sequence in enumerate(sequences):
            if not sequence:
                continue
            for index, count in Counter(i for i in sequence if i < width).items():
                if mode == "count":
                    matrix[row, index] = count
                elif mode == "freq":
                    matrix[row, index] = count / len(sequence)
                elif mode == "binary":
                    matrix[row, index] = 1
                elif mode == "tfidf":
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(index, 0)))
                    matrix[row, index] = (1 + np.log(count)) * idf
                else:
                    raise ValueError("Unknown vectorization mode:", mode)
        return matrix

    def get_config(self) -> dict:
        """The settings plus the fitted tables (JSON strings), as ``tokenizer_from_json`` reads them."""
        return {"num_words": self.num_words, "filters": self.filters, "lower": self.lower, "split": self.split,
                "char_level": self.char_level, "oov_token": self.oov_token, "document_count": self.document_count,
                "word_counts": json.dumps(self.word_counts), "word_docs": json.dumps(self.word_docs),
                "index_docs": json.dumps(self.index_docs), "index_word": json.dumps(self.index_word),
                "word_index": json.dumps(self.word_index)}

    def to_json(self, **kwargs) -> str:
        """``{"class_name": "Tokenizer", "config": get_config()}`` as JSON (``kwargs`` go to ``json.dumps``)."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string: str) -> Tokenizer:
    """A ``Tokenizer`` rebuilt from ``Tokenizer.to_json()``."""
    config = dict(json.loads(json_string).get("config"))
    tables = {name: json.loads(config.pop(name))
              for name in ("word_counts", "word_docs", "index_docs", "index_word", "word_index")}
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = tables["word_counts"]
    tokenizer.word_docs = tables["word_docs"]
    tokenizer.index_docs = {int(key): value for key, value in tables["index_docs"].items()}
    tokenizer.index_word = {int(key): value for key, value in tables["index_word"].items()}
    tokenizer.word_index = tables["word_index"]
    return tokenizer
