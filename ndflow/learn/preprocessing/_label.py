"""Target encoders: integer labels, one-vs-all indicator matrices and multi-label sets."""

from __future__ import annotations

import warnings
from itertools import chain

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, TransformerMixin
from ..utils.multiclass import type_of_target
from ..utils.validation import check_is_fitted, column_or_1d
from ._encoders import _encode, _unique

__all__ = ["LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer", "label_binarize"]


class LabelEncoder(TransformerMixin, BaseEstimator):
    """Encodes target labels as integers ``0 .. n_classes - 1`` in sorted order."""

    def fit(self, y) -> LabelEncoder:
        """Stores the sorted distinct labels in ``classes_``."""
        y = column_or_1d(y, warn=True)
        self.classes_ = _unique(y)
        return self

    def fit_transform(self, y):
        """Fits and returns the codes of ``y``."""
        return self.fit(y).transform(y)

    def transform(self, y) -> np.ndarray:
        """Returns the code of each label.

        Raises:
            ValueError: labels not seen in ``fit``.
        """
        check_is_fitted(self)
        y = column_or_1d(y, dtype=self.classes_.dtype if self.classes_.dtype.kind != "U" else None, warn=True)
        if y.size == 0:
            return np.array([], dtype=np.int64)
        codes = _encode(y, self.classes_)
        if np.any(codes < 0):
            unseen = _unique(y[codes < 0]).tolist()
            raise ValueError(f"y contains previously unseen labels: {unseen}")
        return codes

    def inverse_transform(self, y) -> np.ndarray:
        """Returns the labels of codes ``y``.

        Raises:
            ValueError: codes outside ``0 .. n_classes - 1``.
        """
        check_is_fitted(self)
        y = column_or_1d(y, warn=True)
        if y.size == 0:
            return np.array([], dtype=self.classes_.dtype)
        bad = np.setdiff1d(y, np.arange(len(self.classes_)))
        if bad.size:
            raise ValueError(f"y contains previously unseen labels: {bad.tolist()}")
        return self.classes_[np.asarray(y, dtype=np.int64)]


def label_binarize(y, *, classes, neg_label: int = 0, pos_label: int = 1, sparse_output: bool = False):
    """One-vs-all indicator matrix of ``y`` over ``classes`` (one column for binary targets).

    Raises:
        ValueError: unsupported target type or inconsistent labels.
    """
    if neg_label >= pos_label:
        raise ValueError(f"neg_label={neg_label} must be strictly less than pos_label={pos_label}.")
    if sparse_output and (pos_label == 0 or neg_label != 0):
        raise ValueError(
            "Sparse binarization is only supported with non zero pos_label and zero neg_label, got "
            f"pos_label={pos_label} and neg_label={neg_label}"
        )
    y_type = type_of_target(y)
    if "multioutput" in y_type:
        raise ValueError("Multioutput target data is not supported with label binarization")
    if y_type == "continuous":
        raise ValueError(f"{y_type} target data is not supported with label binarization")
    classes = np.asarray(classes)
    n_samples = y.shape[0] if sp.issparse(y) else len(y)
    if y_type == "binary" and len(classes) == 1:
        out = np.full((n_samples, 1), neg_label, dtype=np.int64)
        return sp.csr_matrix(out) if sparse_output else out
    if len(classes) > 2 and y_type == "binary":
        y_type = "multiclass"
    if y_type == "multilabel-indicator":
        Y = y.toarray() if sp.issparse(y) else np.asarray(y)
        if Y.shape[1] != len(classes):
            raise ValueError(f"classes {classes} mismatch with the labels {np.arange(Y.shape[1])} found in the data")
        indicator = Y != 0
    else:
        y = column_or_1d(y)
        codes = _encode(
            y if y.dtype.kind != "U" else y.astype(object),
            classes.astype(object) if classes.dtype.kind == "U" else classes,
        )
        indicator = np.zeros((n_samples, len(classes)), dtype=bool)
        known = codes >= 0
        indicator[np.flatnonzero(known), codes[known]] = True
        if y_type == "binary":
            indicator = indicator[:, -1:]
    out = np.where(indicator, pos_label, neg_label).astype(np.int64)
    return sp.csr_matrix(out) if sparse_output else out


def _inverse_binarize(Y, y_type: str, classes: np.ndarray, threshold: float):
    if y_type == "multiclass":
        return classes[np.asarray(Y.argmax(axis=1)).ravel()]
    if y_type == "multilabel-indicator":
        dense = Y.toarray() if sp.issparse(Y) else np.asarray(Y)
        return (dense > threshold).astype(np.int64)
    dense = Y.toarray() if sp.issparse(Y) else np.asarray(Y)
    if len(classes) == 1:
        return np.repeat(classes[0], dense.shape[0])
    return classes[(dense[:, -1] > threshold).astype(np.int64)]


class LabelBinarizer(TransformerMixin, BaseEstimator):
    """Turns labels into a one-vs-all indicator matrix (a single column for two classes)."""

    def __init__(self, *, neg_label: int = 0, pos_label: int = 1, sparse_output: bool = False):
        self.neg_label = neg_label
        self.pos_label = pos_label
        self.sparse_output = sparse_output

    def fit(self, y) -> LabelBinarizer:
        """Stores ``classes_``, ``y_type_`` and ``sparse_input_``.

        Raises:
            ValueError: bad labels, empty ``y`` or inconsistent ``neg_label``/``pos_label``.
        """
        if self.neg_label >= self.pos_label:
            raise ValueError(f"neg_label={self.neg_label} must be strictly less than pos_label={self.pos_label}.")
        if self.sparse_output and (self.pos_label == 0 or self.neg_label != 0):
            raise ValueError(
                "Sparse binarization is only supported with non zero pos_label and zero neg_label, got "
                f"pos_label={self.pos_label} and neg_label={self.neg_label}"
            )
        self.y_type_ = type_of_target(y)
        if "multioutput" in self.y_type_:
            raise ValueError("Multioutput target data is not supported with label binarization")
        if self.y_type_ == "continuous":
            raise ValueError(f"Unknown label type: {(y,)!r}")
        n_samples = y.shape[0] if sp.issparse(y) else len(y)
        if n_samples == 0:
            raise ValueError(f"y has 0 samples: {np.asarray(y).tolist()}")
        self.sparse_input_ = sp.issparse(y)
        if self.y_type_ == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
        else:
            self.classes_ = _unique(column_or_1d(y))
        return self

    def fit_transform(self, y):
        """Fits and returns the indicator matrix of ``y``."""
        return self.fit(y).transform(y)

    def transform(self, y):
        """Returns the indicator matrix of ``y`` (labels not seen in ``fit`` give all-negative rows)."""
        check_is_fitted(self)
        if type_of_target(y).startswith("multilabel") and not self.y_type_.startswith("multi"):
            raise ValueError("The object was not fitted with multilabel input.")
        return label_binarize(
            y,
            classes=self.classes_,
            pos_label=self.pos_label,
            neg_label=self.neg_label,
            sparse_output=self.sparse_output,
        )

    def inverse_transform(self, Y, threshold: float | None = None):
        """Returns the labels of an indicator (or score) matrix: argmax, or ``> threshold`` for binary."""
        check_is_fitted(self)
        if threshold is None:
            threshold = (self.pos_label + self.neg_label) / 2.0
        y = _inverse_binarize(Y, self.y_type_, self.classes_, threshold)
        if self.sparse_input_:
            return sp.csr_matrix(y)
        return y


class MultiLabelBinarizer(TransformerMixin, BaseEstimator):
    """Turns a sequence of label sets into an indicator matrix with one column per class."""

    def __init__(self, *, classes=None, sparse_output: bool = False):
        self.classes = classes
        self.sparse_output = sparse_output

    def fit(self, y) -> MultiLabelBinarizer:
        """Stores ``classes_``: the given ``classes`` or the sorted union of the label sets.

        Raises:
            ValueError: duplicates in ``classes``.
        """
        if self.classes is None:
            classes = sorted(set(chain.from_iterable(y)))
        else:
            if len(set(self.classes)) < len(self.classes):
                raise ValueError(
                    "The classes argument contains duplicate classes. Remove these duplicates before "
                    "passing them to MultiLabelBinarizer."
                )
            classes = list(self.classes)
        dtype = np.int64 if all(isinstance(c, (int, np.integer)) for c in classes) else object
        self.classes_ = np.empty(len(classes), dtype=dtype)
        self.classes_[:] = classes
        return self

    def fit_transform(self, y):
        """Fits and returns the indicator matrix of ``y``."""
        return self.fit(y).transform(y)

    def transform(self, y):
        """Returns the ``(n_samples, n_classes)`` indicator matrix; unknown labels are warned about."""
        check_is_fitted(self)
        index = {c: i for i, c in enumerate(self.classes_.tolist())}
        rows, cols, unknown = [], [], set()
        for row, labels in enumerate(y):
            for label in set(labels):
                if label in index:
                    rows.append(row)
                    cols.append(index[label])
                else:
                    unknown.add(label)
        if unknown:
            warnings.warn(f"unknown class(es) {sorted(unknown, key=str)} will be ignored", stacklevel=2)
        n_rows = len(y)
        out = sp.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n_rows, len(self.classes_)))
        out.sort_indices()
        return out if self.sparse_output else out.toarray()

    def inverse_transform(self, yt) -> list[tuple]:
        """Returns the tuple of labels of every row of an indicator matrix.

        Raises:
            ValueError: wrong number of columns or values other than 0 and 1.
        """
        check_is_fitted(self)
        if yt.shape[1] != len(self.classes_):
            raise ValueError(f"Expected indicator for {len(self.classes_)} classes, but got {yt.shape[1]}")
        dense = yt.toarray() if sp.issparse(yt) else np.asarray(yt)
        values = np.unique(dense)
        if values.size and not np.all(np.isin(values, [0, 1])):
            raise ValueError(f"Expected only 0s and 1s in label indicator. Also got {np.setdiff1d(values, [0, 1])}")
        return [tuple(self.classes_[np.flatnonzero(row)]) for row in dense]
