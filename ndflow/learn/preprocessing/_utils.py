"""Helpers shared by the transformers: parameter checks, safe scales and ``set_output`` wrapping."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ..exceptions import InvalidParameterError
from ..utils.validation import _check_sample_weight

__all__ = [
    "InvalidParameterError",
    "checked_sample_weight",
    "FLOAT_DTYPES",
    "check_option",
    "handle_zeros_in_scale",
    "is_constant_feature",
    "wrap_output",
    "is_pandas_df",
    "available_if",
]

FLOAT_DTYPES = (np.float64, np.float32, np.float16)



def check_option(estimator: Any, name: str, value: Any, options: tuple) -> None:
    """Raises InvalidParameterError unless ``value`` is one of the string ``options``.

    Raises:
        InvalidParameterError: ``value`` is not among ``options``.
    """
    if isinstance(value, str) and value in options:
        return
    choices = "{" + ", ".join(repr(o) for o in options) + "}"
    raise InvalidParameterError(
        f"The {name!r} parameter of {type(estimator).__name__} must be a str among {choices}. Got {value!r} instead."
    )


def checked_sample_weight(sample_weight: Any, X: Any) -> np.ndarray | None:
    """``sample_weight`` as a validated float array (None stays None).

    Raises:
        ValueError: wrong shape, negative weights or weights that are all zero.
    """
    if sample_weight is None:
        return None
    weights = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
    if not np.any(weights):
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return weights


def is_constant_feature(var: np.ndarray, mean: np.ndarray, n_samples: Any) -> np.ndarray:
    """True where a variance is zero up to the rounding error of computing it from ``n_samples`` values."""
    eps = np.finfo(np.float64).eps
    upper = n_samples * eps * var + (n_samples * mean * eps) ** 2
    return var <= upper


def handle_zeros_in_scale(scale: Any, constant_mask: np.ndarray | None = None) -> Any:
    """Replaces (near-)zero scales by 1 so that dividing by them leaves the feature unchanged."""
    if np.isscalar(scale):
        return 1.0 if scale == 0.0 else scale
    scale = np.array(
        scale,
        dtype=np.result_type(scale, np.float64) if np.asarray(scale).dtype.kind != "f" else np.asarray(scale).dtype,
    )
    if constant_mask is None:
        constant_mask = scale < 10 * np.finfo(scale.dtype).eps
    scale[constant_mask] = 1.0
    return scale


def is_pandas_df(x: Any) -> bool:
    return type(x).__module__.startswith("pandas") and type(x).__name__ == "DataFrame"


def wrap_output(estimator: Any, out: Any, X_in: Any = None) -> Any:
    """Returns ``out`` as a pandas DataFrame when ``set_output(transform="pandas")`` was called.

    Columns come from ``estimator.get_feature_names_out()``, the index from ``X_in`` when it is a DataFrame.

    Raises:
        ValueError: pandas output was requested for a sparse result.
    """
    container = getattr(estimator, "_output_container", "default")
    if container == "default":
        return out
    if container != "pandas":
        raise NotImplementedError(f"set_output(transform={container!r}) is not supported yet")
    import pandas as pd

    if sp.issparse(out):
        raise ValueError(
            "Pandas output does not support sparse data. Set sparse_output=False to output pandas "
            'dataframes or disable Pandas output via` ohe.set_output(transform="default").'
        )
    columns = estimator.get_feature_names_out()
    index = X_in.index if is_pandas_df(X_in) else None
    if is_pandas_df(out):
        out.columns = columns
        if index is not None:
            out.index = index
        return out
    return pd.DataFrame(np.asarray(out), columns=columns, index=index, copy=False)


class available_if:
    """Method decorator: the method exists on an instance only while ``check(instance)`` is true.

    ``hasattr(obj, name)`` is False when ``check`` returns False or raises AttributeError, the way
    meta-estimators expose ``predict_proba`` only when their final step has it.
    """

    def __init__(self, check):
        self.check = check

    def __call__(self, method):
        self.method = method
        self.__doc__ = method.__doc__
        return self

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.method
        if not self.check(obj):
            raise AttributeError(f"This {type(obj).__name__!r} has no attribute {self.name!r}")
        return self.method.__get__(obj, owner)


def sklearn_tags_hook(*, requires_fit: bool = True, preserves_dtype: list | None = None, **input_tags: bool):
    """An ``_update_sklearn_tags`` method declaring the inputs an estimator accepts (for sklearn tooling)."""

    def _update_sklearn_tags(self, tags) -> None:
        for name, value in input_tags.items():
            setattr(tags.input_tags, name, value)
        tags.requires_fit = requires_fit
        if preserves_dtype is not None:
            tags.transformer_tags.preserves_dtype = preserves_dtype

    return _update_sklearn_tags
