"""Applying different transformers to different columns and concatenating the results."""

from __future__ import annotations

import numbers
import re
from collections import Counter
from functools import partial
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import TransformerMixin, clone
from ..pipeline import _BaseComposition, _fit_transform_one, _name_estimators, _run_jobs
from ..preprocessing._utils import is_pandas_df
from ..utils._bunch import Bunch
from ..utils.validation import _check_feature_names_in, check_array, check_is_fitted, validate_data

__all__ = ["ColumnTransformer", "make_column_transformer", "make_column_selector"]


def _passthrough() -> Any:
    from ..preprocessing import FunctionTransformer

    return FunctionTransformer(accept_sparse=True, check_inverse=False, feature_names_out="one-to-one")


def _is_scalar_key(key: Any) -> bool:
    return isinstance(key, (str, numbers.Integral)) and not isinstance(key, bool)


def _key_kind(key: Any) -> str:
    """``"str"``, ``"int"`` or ``"bool"``: how a column specification names its columns."""
    if isinstance(key, str):
        return "str"
    if isinstance(key, slice):
        return "str" if isinstance(key.start, str) or isinstance(key.stop, str) else "int"
    if isinstance(key, numbers.Integral) and not isinstance(key, bool):
        return "int"
    values = list(np.asarray(key).ravel()) if not isinstance(key, list) else key
    if values and all(isinstance(v, (bool, np.bool_)) for v in values):
        return "bool"
    if values and all(isinstance(v, str) for v in values):
        return "str"
    if np.asarray(key).dtype.kind == "b":
        return "bool"
    return "int"


def _column_indices(X: Any, key: Any) -> list[int]:
    """Positions of the columns selected by ``key`` (name(s), index(es), slice or boolean mask).

    Raises:
        ValueError: names on a non-DataFrame, or names that are not columns.
    """
    n_columns = X.shape[1]
    kind = _key_kind(key)
    if kind == "bool":
        return list(np.flatnonzero(np.asarray(key, dtype=bool)))
    if kind == "int":
        if isinstance(key, slice):
            return list(range(n_columns))[key]
        return [int(i) if i >= 0 else int(i) + n_columns for i in np.atleast_1d(key)]
    if not is_pandas_df(X):
        raise ValueError("Specifying the columns using strings is only supported for dataframes.")
    columns = list(X.columns)
    if isinstance(key, slice):
        start = columns.index(key.start) if key.start is not None else 0
        stop = columns.index(key.stop) + 1 if key.stop is not None else n_columns
        return list(range(start, stop))
    names = [key] if isinstance(key, str) else list(key)
    missing = set(names) - set(columns)
    if missing:
        raise ValueError(f"Some column names are not columns of the dataframe: {missing}")
    return [columns.index(name) for name in names]


def _select(X: Any, indices: list[int], scalar: bool):
    """Columns ``indices`` of ``X``; a 1-D column when the specification was a single scalar."""
    if is_pandas_df(X):
        return X.iloc[:, indices[0]] if scalar else X.iloc[:, indices]
    if sp.issparse(X):
        return X.tocsc()[:, indices] if not scalar else X.tocsc()[:, indices[0]]
    return X[:, indices[0]] if scalar else X[:, indices]


class ColumnTransformer(TransformerMixin, _BaseComposition):
    """Fits each ``(name, transformer, columns)`` on its columns and concatenates the outputs.

    Columns not selected by any transformer go to ``remainder`` (``"drop"``, ``"passthrough"`` or an
    estimator). The output is sparse when any block is sparse and the overall density is below
    ``sparse_threshold``.
    """

    def __init__(
        self,
        transformers,
        *,
        remainder="drop",
        sparse_threshold: float = 0.3,
        n_jobs=None,
        transformer_weights=None,
        verbose: bool = False,
        verbose_feature_names_out=True,
    ):
        self.transformers = transformers
        self.remainder = remainder
        self.sparse_threshold = sparse_threshold
        self.n_jobs = n_jobs
        self.transformer_weights = transformer_weights
        self.verbose = verbose
        self.verbose_feature_names_out = verbose_feature_names_out

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters, including each transformer by name and ``<name>__<param>`` with ``deep``."""
        return self._get_params("_transformers", deep=deep)

    def set_params(self, **params: Any) -> ColumnTransformer:
        """Sets parameters; a transformer name replaces it, ``<name>__<param>`` sets inside it."""
        return self._set_params("_transformers", **params)

    @property
    def _transformers(self) -> list:
        """``(name, transformer)`` pairs of ``transformers``, for parameter access by name."""
        try:
            return [(name, trans) for name, trans, _ in self.transformers]
        except (TypeError, ValueError):
            return self.transformers

    @_transformers.setter
    def _transformers(self, value: list) -> None:
        try:
            self.transformers = [(name, trans, cols) for (name, trans), (_, _, cols) in zip(value, self.transformers)]
        except (TypeError, ValueError):
            self.transformers = value

    def _validate_transformers(self) -> None:
        names = [name for name, _, _ in self.transformers]
        self._validate_names(names)
        for _, trans, _ in self.transformers:
            if isinstance(trans, str) and trans in ("drop", "passthrough"):
                continue
            if not (hasattr(trans, "fit") or hasattr(trans, "fit_transform")) or not hasattr(trans, "transform"):
                raise TypeError(
                    "All estimators should implement fit and transform, or can be 'drop' or 'passthrough' "
                    f"specifiers. '{trans}' (type {type(trans)}) doesn't."
                )
        remainder = self.remainder
        if not (isinstance(remainder, str) and remainder in ("drop", "passthrough")) and not (
            hasattr(remainder, "fit") and hasattr(remainder, "transform")
        ):
            raise ValueError(
                "The remainder keyword needs to be one of 'drop', 'passthrough', or estimator. "
                f"'{remainder}' was passed instead"
            )

    def _resolve_columns(self, X) -> None:
        self._resolved_keys = [key(X) if callable(key) else key for _, _, key in self.transformers]
        self._columns = [_column_indices(X, key) for key in self._resolved_keys]
        self._scalar_keys = [_is_scalar_key(key) for key in self._resolved_keys]
        used = {i for cols in self._columns for i in cols}
        self._remainder_indices = [i for i in range(X.shape[1]) if i not in used]
        kinds = {_key_kind(key) for key in self._resolved_keys}
        kind = kinds.pop() if len(kinds) == 1 else "int"
        if kind == "str" and is_pandas_df(X):
            self._remainder_key = [X.columns[i] for i in self._remainder_indices]
        elif kind == "bool":
            self._remainder_key = [i in self._remainder_indices for i in range(X.shape[1])]
        else:
            self._remainder_key = list(self._remainder_indices)

    def _iter_specs(self):
        """``(name, transformer, column indices, scalar key, spec)`` per transformer, then the remainder."""
        for (name, trans, _), cols, scalar, key in zip(
            self.transformers, self._columns, self._scalar_keys, self._resolved_keys
        ):
            yield name, trans, cols, scalar, key
        if self._remainder_indices:
            yield "remainder", self.remainder, self._remainder_indices, False, self._remainder_key

    def fit(self, X, y=None, **params) -> ColumnTransformer:
        """Fits every transformer on its columns."""
        self.fit_transform(X, y, **params)
        return self

    def fit_transform(self, X, y=None, **params):
        """Fits every transformer on its columns and returns the concatenated outputs.

        Raises:
            ValueError: bad column specifications or transformer outputs that are not 2-D.
            TypeError: a transformer without ``fit``/``transform``.
        """
        self._validate_transformers()
        X = self._check_X(X)
        validate_data(self, X, reset=True, skip_check_array=True)
        if X.ndim != 2 or X.shape[1] == 0:
            check_array(X, accept_sparse=True, dtype=None, ensure_all_finite=False, estimator=self)
        self._resolve_columns(X)
        output_container = getattr(self, "_output_container", "default")
        fitted, jobs, names = [], [], []
        specs = list(self._iter_specs())
        for step, (name, trans, cols, scalar, key) in enumerate(specs):
            if (isinstance(trans, str) and trans == "drop") or not cols:
                fitted.append((name, trans, key))
                continue
            estimator = _passthrough() if isinstance(trans, str) else clone(trans)
            if output_container != "default" and hasattr(estimator, "set_output"):
                estimator.set_output(transform=output_container)
            fit_params = {k.split("__", 1)[1]: v for k, v in params.items() if k.startswith(f"{name}__")}
            log = ("ColumnTransformer", f"({step + 1} of {len(specs)}) Processing {name}") if self.verbose else None
            jobs.append(partial(_fit_transform_one, estimator, _select(X, cols, scalar), y, fit_params, True, log))
            fitted.append((name, estimator, key))
            names.append(name)
        outputs = {}
        for name, out in zip(names, _run_jobs(jobs, self.n_jobs)):
            self._check_output(name, out)
            outputs[name] = self._weighted(name, out)
        self.transformers_ = fitted
        blocks = list(outputs.values())
        self.sparse_output_ = self._decide_sparse(blocks)
        self._record_output_indices(outputs)
        return self._stack(blocks, X)

    @staticmethod
    def _check_X(X):
        if is_pandas_df(X) or sp.issparse(X) or (hasattr(X, "__array__") and hasattr(X, "shape")):
            return X
        return np.asarray(X)

    def _weighted(self, name: str, out):
        weight = (self.transformer_weights or {}).get(name)
        return out if weight is None else out * weight

    @staticmethod
    def _check_output(name: str, out) -> None:
        if getattr(out, "ndim", 2) != 2:
            raise ValueError(
                f"The output of the '{name}' transformer should be 2D (numpy array, scipy sparse array, dataframe)."
            )

    def _decide_sparse(self, blocks: list) -> bool:
        if not any(sp.issparse(b) for b in blocks):
            return False
        nnz = sum(b.nnz if sp.issparse(b) else np.count_nonzero(np.asarray(b)) for b in blocks)
        total = sum(b.shape[0] * b.shape[1] for b in blocks)
        return total > 0 and nnz / total < self.sparse_threshold

    def _record_output_indices(self, outputs: dict) -> None:
        indices, start = {}, 0
        for name, out in outputs.items():
            indices[name] = slice(start, start + out.shape[1])
            start += out.shape[1]
        for name, _, _ in self.transformers:
            indices.setdefault(name, slice(0, 0))
        indices.setdefault("remainder", slice(0, 0))
        self.output_indices_ = indices

    def _stack(self, blocks: list, X):
        if not blocks:
            return np.zeros((X.shape[0], 0))
        if self.sparse_output_:
            return sp.hstack(
                [sp.csr_matrix(b) if sp.issparse(b) else sp.csr_matrix(np.asarray(b, dtype=float)) for b in blocks]
            ).tocsr()
        dense = [b.toarray() if sp.issparse(b) else b for b in blocks]
        if getattr(self, "_output_container", "default") == "pandas":
            import pandas as pd

            frames = [b if is_pandas_df(b) else pd.DataFrame(np.asarray(b)) for b in dense]
            index = X.index if is_pandas_df(X) else None
            for frame in frames:
                frame.index = index if index is not None else range(frame.shape[0])
            out = pd.concat(frames, axis=1)
            out.columns = self.get_feature_names_out()
            return out
        return np.hstack([np.asarray(b) for b in dense])

    def transform(self, X, **params):
        """Applies every fitted transformer to its columns and concatenates the outputs.

        Raises:
            ValueError: columns missing from ``X`` or a different number of features than in ``fit``.
        """
        check_is_fitted(self, "transformers_")
        X = self._check_X(X)
        if X.ndim != 2:
            check_array(X, accept_sparse=True, dtype=None, ensure_all_finite=False, estimator=self)
        by_name = hasattr(self, "feature_names_in_") and is_pandas_df(X)
        if by_name:
            fitted = dict((name, trans) for name, trans, _ in self.transformers_)
            needed = {
                self.feature_names_in_[i]
                for name, _, cols, _, _ in self._iter_specs()
                for i in cols
                if not (isinstance(fitted[name], str) and fitted[name] == "drop")
            }
            missing = needed - set(X.columns)
            if missing:
                raise ValueError(f"columns are missing: {missing}")
        else:
            validate_data(self, X, reset=False, skip_check_array=True)
        fitted = {name: trans for name, trans, _ in self.transformers_}
        blocks = []
        for name, _, cols, scalar, _ in self._iter_specs():
            trans = fitted[name]
            if (isinstance(trans, str) and trans == "drop") or not cols:
                continue
            if by_name:
                names = [self.feature_names_in_[i] for i in cols]
                subset = X[names[0]] if scalar else X[names]
            else:
                subset = _select(X, cols, scalar)
            out = trans.transform(subset)
            self._check_output(name, out)
            blocks.append(self._weighted(name, out))
        return self._stack(blocks, X)

    @property
    def named_transformers_(self) -> Bunch:
        """The fitted transformers by name (including ``"remainder"``)."""
        return Bunch(**{name: trans for name, trans, _ in self.transformers_})

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``<transformer>__<feature>`` names (or as ``verbose_feature_names_out`` formats them).

        Raises:
            AttributeError: a transformer without ``get_feature_names_out``.
            ValueError: duplicate names without prefixes.
        """
        check_is_fitted(self, "transformers_")
        names_in = _check_feature_names_in(self, input_features)
        fitted = {name: trans for name, trans, _ in self.transformers_}
        pairs = []
        for name, _, cols, _, _ in self._iter_specs():
            trans = fitted[name]
            if (isinstance(trans, str) and trans == "drop") or not cols:
                continue
            if not hasattr(trans, "get_feature_names_out"):
                raise AttributeError(
                    f"Transformer {name} (type {type(trans).__name__}) does not provide get_feature_names_out."
                )
            pairs.extend((name, f) for f in trans.get_feature_names_out(names_in[cols]))
        return self._format_names(pairs)

    def _format_names(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        verbose = self.verbose_feature_names_out
        if verbose is True:
            return np.asarray([f"{name}__{f}" for name, f in pairs], dtype=object)
        if isinstance(verbose, str):
            return np.asarray(
                [verbose.format(transformer_name=name, feature_name=f) for name, f in pairs], dtype=object
            )
        names = [f for _, f in pairs]
        duplicates = sorted(n for n, c in Counter(names).items() if c > 1)
        if duplicates:
            listed = duplicates[:5] if len(duplicates) <= 5 else duplicates[:5] + ["..."]
            raise ValueError(
                f"Output feature names: {listed} are not unique. Please set "
                "verbose_feature_names_out=True to add prefixes to feature names"
            )
        return np.asarray(names, dtype=object)

    def set_output(self, *, transform: str | None = None) -> ColumnTransformer:
        """Sets the output container of this and of every (fitted) transformer."""
        super().set_output(transform=transform)
        estimators = [t for _, t, _ in self.transformers] + [self.remainder]
        estimators += [t for _, t, _ in getattr(self, "transformers_", [])]
        for trans in estimators:
            if hasattr(trans, "set_output") and not isinstance(trans, str):
                trans.set_output(transform=transform)
        return self


def make_column_transformer(
    *transformers,
    remainder="drop",
    sparse_threshold: float = 0.3,
    n_jobs=None,
    verbose: bool = False,
    verbose_feature_names_out=True,
) -> ColumnTransformer:
    """A ``ColumnTransformer`` from ``(transformer, columns)`` pairs, named after the transformer classes."""
    estimators, columns = zip(*transformers) if transformers else ((), ())
    named = _name_estimators(estimators)
    return ColumnTransformer(
        [(name, est, cols) for (name, est), cols in zip(named, columns)],
        remainder=remainder,
        sparse_threshold=sparse_threshold,
        n_jobs=n_jobs,
        verbose=verbose,
        verbose_feature_names_out=verbose_feature_names_out,
    )


class make_column_selector:
    """Callable that picks DataFrame columns by name ``pattern`` (regex) and/or dtype."""

    def __init__(self, pattern: str | None = None, *, dtype_include=None, dtype_exclude=None):
        self.pattern = pattern
        self.dtype_include = dtype_include
        self.dtype_exclude = dtype_exclude

    def __call__(self, df) -> list:
        """The names of the matching columns of ``df``.

        Raises:
            ValueError: ``df`` is not a pandas DataFrame.
        """
        if not hasattr(df, "iloc"):
            raise ValueError("make_column_selector can only be applied to pandas dataframes")
        head = df.iloc[:1]
        if self.dtype_include is not None or self.dtype_exclude is not None:
            head = head.select_dtypes(include=self.dtype_include, exclude=self.dtype_exclude)
        columns = list(head.columns)
        if self.pattern is not None:
            regex = re.compile(self.pattern)
            columns = [c for c in columns if regex.search(str(c))]
        return columns
