"""What kind of target an array is (binary, multiclass, multilabel, continuous) and its labels."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["type_of_target", "unique_labels", "check_classification_targets", "is_multilabel"]

_CLASSIFICATION_TYPES = ("binary", "multiclass", "multiclass-multioutput", "multilabel-indicator",
                         "multilabel-sequences")


def _as_label_array(y: Any) -> Any:
    """``y`` as an ndarray (object dtype when ragged) or as given when sparse."""
    if sp.issparse(y):
        return y
    if hasattr(y, "to_numpy") and not isinstance(y, np.ndarray):
        y = y.to_numpy()
    try:
        return np.asarray(y)
    except ValueError:
        return np.asarray(y, dtype=object)


def _is_integral(values: np.ndarray) -> bool:
    return values.dtype.kind in "biu" or (
        values.dtype.kind == "f" and bool(np.all(values.astype(np.int64) == values))
    )


def is_multilabel(y: Any) -> bool:
    """True when ``y`` is a 2-D binary indicator matrix with more than one column."""
    if not (isinstance(y, Sequence) or sp.issparse(y) or hasattr(y, "__array__")) or isinstance(y, str):
        return False
    y = _as_label_array(y)
    if getattr(y, "ndim", 0) != 2 or y.shape[1] <= 1:
        return False
    if sp.issparse(y):
        data = y.tocsr().data
        labels = np.unique(data)
        if data.size == 0:
            return True
        return (labels.size == 1 or (labels.size == 2 and 0 in labels)) and _is_integral(labels)
    if y.dtype == object:
        return False
    labels = np.unique(y)
    return labels.size < 3 and _is_integral(labels)


def type_of_target(y: Any, input_name: str = "", raise_unknown: bool = False) -> str:
    """Returns the most specific kind of target ``y`` is.

    One of ``"continuous"``, ``"continuous-multioutput"``, ``"binary"``, ``"multiclass"``,
    ``"multiclass-multioutput"``, ``"multilabel-indicator"`` or ``"unknown"``.

    Raises:
        ValueError: ``y`` is not array-like, is a sequence of sequences, or contains NaN/inf floats.
    """
    if not (isinstance(y, Sequence) or sp.issparse(y) or hasattr(y, "__array__")) or isinstance(y, str):
        raise ValueError(f"Expected array-like (array or non-string sequence), got {y!r}")
    if type(y).__name__ in ("SparseSeries", "SparseArray"):
        raise ValueError("y cannot be class 'SparseSeries' or 'SparseArray'")
    if is_multilabel(y):
        return "multilabel-indicator"

    def unknown() -> str:
        if raise_unknown:
            raise ValueError(f"Unknown label type for {input_name or 'data'}: {y!r}")
        return "unknown"

    arr = _as_label_array(y)
    if arr.ndim >= 1 and arr.shape[0] > 0 and not sp.issparse(arr):
        first = arr[0]
        if isinstance(first, bytes):
            raise TypeError("Support for labels represented as bytes is not supported. Convert the labels "
                            "to a string or integer format.")
        if not hasattr(first, "__array__") and isinstance(first, Sequence) and not isinstance(first, str):
            raise ValueError(
                "You appear to be using a legacy multi-label data representation. Sequence of sequences are "
                "no longer supported; use a binary array or sparse matrix instead - the MultiLabelBinarizer "
                "transformer can convert to this format."
            )
    if arr.ndim not in (1, 2):
        return unknown()
    if not min(arr.shape):
        return "binary" if arr.ndim == 1 else unknown()
    if not sp.issparse(arr) and arr.dtype == object and not isinstance(arr.flat[0], str):
        return unknown()
    suffix = "-multioutput" if arr.ndim == 2 and arr.shape[1] > 1 else ""
    data = arr.data if sp.issparse(arr) else arr
    if arr.dtype.kind == "f":
        finite = np.isfinite(data)
        if not np.all(finite):
            kind = "NaN" if np.any(np.isnan(data)) else f"infinity or a value too large for {data.dtype!r}"
            raise ValueError(f"Input{' ' + input_name if input_name else ''} contains {kind}.")
        if np.any(data != data.astype(np.int64)):
            return "continuous" + suffix
    n_unique = np.unique(data).size if not sp.issparse(arr) else np.unique(arr.toarray()).size
    if n_unique > 2 or (arr.ndim == 2 and arr.shape[1] > 1):
        return "multiclass" + suffix
    return "binary"


def _labels_of(y: Any, target_type: str) -> Any:
    if target_type == "multilabel-indicator":
        return range(_as_label_array(y).shape[1])
    arr = _as_label_array(y)
    return np.unique(arr.ravel()) if arr.dtype != object else sorted(set(arr.ravel().tolist()))


def unique_labels(*ys: Any) -> np.ndarray:
    """Sorted labels found in any of ``ys`` (column indices for multilabel indicators).

    Raises:
        ValueError: no argument, targets of mixed kinds, or mixed string and number labels.
    """
    if not ys:
        raise ValueError("No argument has been passed.")
    types = {type_of_target(y) for y in ys}
    if types == {"binary", "multiclass"}:
        types = {"multiclass"}
    if len(types) > 1:
        raise ValueError(f"Mix type of y not allowed, got types {types}")
    label_type = types.pop()
    if label_type == "multilabel-indicator" and len({_as_label_array(y).shape[1] for y in ys}) > 1:
        raise ValueError("Multi-label binary indicator input with different numbers of labels")
    if label_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"Unknown label type: {ys!r}")
    labels: set = set()
    for y in ys:
        labels.update(_labels_of(y, label_type))
    if len({isinstance(label, str) for label in labels}) > 1:
        details = " and ".join(str(np.unique(np.asarray(y, dtype=object).astype(str))) for y in ys)
        raise ValueError(f"Mix of label input types (string and number); Got {details}.")
    return np.asarray(sorted(labels))


def check_classification_targets(y: Any) -> None:
    """Raises ValueError unless ``y`` is a classification target (not continuous)."""
    y_type = type_of_target(y, input_name="y")
    if y_type not in _CLASSIFICATION_TYPES:
        raise ValueError(
            f"Unknown label type: {y_type}. Maybe you are trying to fit a classifier, which expects discrete "
            "classes on a regression target with continuous values."
        )
