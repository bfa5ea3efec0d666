"""Categorical encoders: one 0/1 column per category (``OneHotEncoder``) or integer codes."""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from ..utils.validation import _check_feature_names_in, check_array, check_is_fitted, validate_data
from ._utils import InvalidParameterError, check_option, is_pandas_df, sklearn_tags_hook, wrap_output

__all__ = ["OneHotEncoder", "OrdinalEncoder"]


def _missing_masks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of ``None`` and of NaN entries of a 1-D array."""
    if values.dtype.kind == "O":
        is_none = np.equal(values, None)
        is_nan = (values != values) & ~is_none
        return is_none, is_nan.astype(bool)
    if values.dtype.kind == "f":
        return np.zeros(values.shape, dtype=bool), np.isnan(values)
    return np.zeros(values.shape, dtype=bool), np.zeros(values.shape, dtype=bool)


def _mixed_types_error(values: np.ndarray) -> TypeError:
    names = sorted({type(v).__name__ for v in values.tolist()})
    return TypeError(f"Encoders require their input argument must be uniformly strings or numbers. Got {names}")


def _check_uniform_types(values: np.ndarray) -> None:
    kinds = {type(v) for v in values.tolist()}
    if len(kinds) > 1 and any(issubclass(k, str) for k in kinds):
        raise _mixed_types_error(values)


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values; ``None`` then NaN (each at most once) last."""
    if values.dtype.kind != "O":
        return np.unique(values)
    is_none, is_nan = _missing_masks(values)
    present = values[~(is_none | is_nan)]
    _check_uniform_types(present)
    try:
        uniques = list(np.unique(present)) if present.size else []
    except TypeError:
        raise _mixed_types_error(present) from None
    if is_none.any():
        uniques.append(None)
    if is_nan.any():
        uniques.append(np.nan)
    return np.asarray(uniques, dtype=object)


def _encode(values: np.ndarray, categories: np.ndarray) -> np.ndarray:
    """Index of every value in ``categories``; -1 for values not among them."""
    codes = np.full(values.shape[0], -1, dtype=np.int64)
    val_none, val_nan = _missing_masks(values)
    cat_none, cat_nan = _missing_masks(categories)
    if cat_none.any():
        codes[val_none] = np.flatnonzero(cat_none)[0]
    if cat_nan.any():
        codes[val_nan] = np.flatnonzero(cat_nan)[0]
    known_pos = np.flatnonzero(~(cat_none | cat_nan))
    present = ~(val_none | val_nan)
    if known_pos.size == 0 or not present.any():
        return codes
    known = categories[known_pos]
    order = np.argsort(known, kind="stable")
    sorted_known = known[order]
    vals = values[present]
    try:
        idx = np.clip(np.searchsorted(sorted_known, vals), 0, sorted_known.size - 1)
        match = np.asarray(sorted_known[idx] == vals, dtype=bool)
    except TypeError:  # values of another type than the categories can never match them
        idx = np.zeros(vals.shape[0], dtype=np.int64)
        match = np.zeros(vals.shape[0], dtype=bool)
    codes[present] = np.where(match, known_pos[order[idx]], -1)
    return codes


def _as_list(values: np.ndarray) -> list:
    """Distinct values as a list (NumPy scalars for numeric arrays, as scikit-learn's messages show)."""
    return list(_unique(values))


class _BaseEncoder(TransformerMixin, BaseEstimator):
    """Shared logic: per-column validation, category discovery and integer coding."""

    def _columns(self, X: Any, reset: bool) -> list[np.ndarray]:
        if is_pandas_df(X):
            validate_data(self, X, reset=reset, skip_check_array=True)
            if X.shape[0] < 1:
                raise ValueError(
                    f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is "
                    f"required by {type(self).__name__}."
                )
            return [X.iloc[:, i].to_numpy() for i in range(X.shape[1])]
        if not hasattr(X, "dtype") and not sp.issparse(X):
            as_array = check_array(X, dtype=None, ensure_all_finite="allow-nan")
            X = np.asarray(X, dtype=object) if as_array.dtype.kind in "US" else as_array
        X = validate_data(self, X, reset=reset, dtype=None, ensure_all_finite="allow-nan")
        if X.dtype.kind in "US":
            X = X.astype(object)
        return [X[:, i] for i in range(X.shape[1])]

    def _fit_categories(self, columns: list[np.ndarray], handle_unknown: str) -> None:
        self._check_infrequent_params()
        if not isinstance(self.categories, str):
            if len(self.categories) != len(columns):
                raise ValueError("Shape mismatch: if categories is an array, it has to be of shape (n_features,).")
        elif self.categories != "auto":
            raise InvalidParameterError(
                f"The 'categories' parameter of {type(self).__name__} must be a str among {{'auto'}} or an "
                f"instance of 'list'. Got {self.categories!r} instead."
            )
        self.categories_ = []
        for i, values in enumerate(columns):
            if isinstance(self.categories, str):
                cats = _unique(values)
            else:
                kind = values.dtype.kind
                cats = np.array(self.categories[i], dtype=values.dtype if kind not in "OUS" else object)
                if kind not in "OUS":
                    known = cats[~np.isnan(cats)] if cats.dtype.kind == "f" else cats
                    nan_not_last = cats.dtype.kind == "f" and np.isnan(cats[:-1]).any()
                    if np.any(known[:-1] > known[1:]) or nan_not_last:
                        raise ValueError("Unsorted categories are not supported for numerical categories")
                if handle_unknown == "error":
                    unknown = values[_encode(values, cats) < 0]
                    if unknown.size:
                        raise ValueError(f"Found unknown categories {_as_list(unknown)} in column {i} during fit")
            self.categories_.append(cats)
        self._fit_infrequent(columns)

    def _check_infrequent_params(self) -> None:
        name = type(self).__name__
        freq = self.min_frequency
        valid_int = isinstance(freq, numbers.Integral) and not isinstance(freq, bool) and freq >= 1
        valid_float = isinstance(freq, float) and 0.0 < freq < 1.0
        if not (freq is None or valid_int or valid_float):
            raise InvalidParameterError(
                f"The 'min_frequency' parameter of {name} must be an int in the range [1, inf), a float in "
                f"the range (0.0, 1.0) or None. Got {freq!r} instead."
            )
        cap = self.max_categories
        if not (cap is None or (isinstance(cap, numbers.Integral) and not isinstance(cap, bool) and cap >= 1)):
            raise InvalidParameterError(
                f"The 'max_categories' parameter of {name} must be an int in the range [1, inf) or None. "
                f"Got {cap!r} instead."
            )

    def _rarity_exempt(self, categories: np.ndarray) -> np.ndarray:
        """Categories never grouped as infrequent (none here; the NaN category for ``OrdinalEncoder``)."""
        return np.zeros(len(categories), dtype=bool)

    def _fit_infrequent(self, columns: list[np.ndarray]) -> None:
        """Groups rare categories (``min_frequency``, ``max_categories``) into one infrequent category.

        Sets ``_group_maps`` (per feature None, or the output code of every category: the frequent ones
        numbered in order, then one shared code for the infrequent ones, then any exempt categories) and
        ``_infrequent_codes`` (that shared code, or None).
        """
        n_features = len(columns)
        self._group_maps, self._infrequent_codes = [None] * n_features, [None] * n_features
        if self.min_frequency is None and self.max_categories is None:
            return
        for i, (values, cats) in enumerate(zip(columns, self.categories_)):
            codes = _encode(values, cats)
            counts = np.bincount(codes[codes >= 0], minlength=len(cats))
            exempt = self._rarity_exempt(cats)
            infrequent = np.zeros(len(cats), dtype=bool)
            if isinstance(self.min_frequency, numbers.Integral):
                infrequent = counts < self.min_frequency
            elif self.min_frequency is not None:
                infrequent = counts < self.min_frequency * values.shape[0]
            infrequent &= ~exempt
            candidates = np.flatnonzero(~exempt)
            n_outputs = candidates.size - infrequent.sum() + 1
            if self.max_categories is not None and self.max_categories < n_outputs:
                keep = self.max_categories - 1
                # the rarest categories become infrequent; among equal counts the earlier ones do
                rarest_first = candidates[np.argsort(counts[candidates], kind="mergesort")]
                infrequent[rarest_first if keep == 0 else rarest_first[:-keep]] = True
            if not infrequent.any():
                continue
            frequent = ~infrequent & ~exempt
            group = np.empty(len(cats), dtype=np.int64)
            group[frequent] = np.arange(frequent.sum())
            group[infrequent] = frequent.sum()
            group[exempt] = frequent.sum() + 1 + np.arange(exempt.sum())
            self._group_maps[i] = group
            self._infrequent_codes[i] = int(frequent.sum())

    @property
    def infrequent_categories_(self) -> list:
        """Per feature, the categories grouped as infrequent (None when there are none)."""
        check_is_fitted(self, "categories_")
        return [
            None if code is None else cats[group == code]
            for cats, group, code in zip(self.categories_, self._group_maps, self._infrequent_codes)
        ]

    def _infrequent_code(self, i: int) -> int | None:
        return self._infrequent_codes[i]

    def _n_groups(self, i: int) -> int:
        group = self._group_maps[i]
        return len(self.categories_[i]) if group is None else int(group.max()) + 1

    def _group_labels(self, i: int) -> np.ndarray:
        """The value each output code stands for: its category, or ``"infrequent_sklearn"``."""
        cats, group, code = self.categories_[i], self._group_maps[i], self._infrequent_codes[i]
        if group is None:
            return cats
        labels = np.empty(int(group.max()) + 1, dtype=object)
        labels[group] = cats
        labels[code] = "infrequent_sklearn"
        return labels

    def _to_groups(self, codes: np.ndarray) -> np.ndarray:
        """Category codes to group codes (unknown -1 stays -1)."""
        groups = codes.copy()
        for i, group in enumerate(self._group_maps):
            if group is not None:
                known = codes[:, i] >= 0
                groups[known, i] = group[codes[known, i]]
        return groups

    def _codes(self, columns: list[np.ndarray], handle_unknown: str) -> np.ndarray:
        """``(n_samples, n_features)`` integer codes, -1 where unknown (raising if unknowns are errors)."""
        codes = np.empty((columns[0].shape[0], len(columns)), dtype=np.int64)
        for i, (values, cats) in enumerate(zip(columns, self.categories_)):
            codes[:, i] = _encode(values, cats)
            if handle_unknown == "error" and np.any(codes[:, i] < 0):
                unknown = values[codes[:, i] < 0]
                raise ValueError(f"Found unknown categories {_as_list(unknown)} in column {i} during transform")
        return codes


def _result_dtype(categories: list[np.ndarray]):
    return np.result_type(*[c.dtype for c in categories]) if categories else np.float64


class OneHotEncoder(_BaseEncoder):
    """Encodes each categorical feature as one 0/1 column per category (``x0_a``, ``x0_b``, ...).

    The output is a SciPy CSR matrix unless ``sparse_output=False``.
    """

    _update_sklearn_tags = sklearn_tags_hook(allow_nan=True, categorical=True)

    def __init__(
        self,
        *,
        categories="auto",
        drop=None,
        sparse_output: bool = True,
        dtype=np.float64,
        handle_unknown: str = "error",
        min_frequency=None,
        max_categories=None,
        feature_name_combiner="concat",
    ):
        self.categories = categories
        self.drop = drop
        self.sparse_output = sparse_output
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.min_frequency = min_frequency
        self.max_categories = max_categories
        self.feature_name_combiner = feature_name_combiner

    def fit(self, X, y=None) -> OneHotEncoder:
        """Finds ``categories_`` and ``drop_idx_``.

        Raises:
            ValueError: inconsistent categories or drop.
            TypeError: columns mixing strings and numbers.
        """
        check_option(self, "handle_unknown", self.handle_unknown, ("error", "ignore", "infrequent_if_exist", "warn"))
        columns = self._columns(X, reset=True)
        self._fit_categories(columns, self.handle_unknown)
        self.drop_idx_ = self._compute_drop_idx()
        return self

    def _compute_drop_idx(self):
        """``drop_idx_``: per feature the index (into ``categories_``) of the dropped category, or None.

        Raises:
            ValueError: a category to drop that was not seen or that is infrequent.
        """
        if self.drop is None:
            return None
        n_features = len(self.categories_)
        if isinstance(self.drop, str):
            check_option(self, "drop", self.drop, ("first", "if_binary"))
            idx = np.empty(n_features, dtype=object)
            for i in range(n_features):
                group = self._group_maps[i]
                # the category behind the first output column
                first = 0 if group is None else int(np.flatnonzero(group == 0)[0])
                idx[i] = first if self.drop == "first" or self._n_groups(i) == 2 else None
            return idx
        drop = np.asarray(self.drop, dtype=object)
        if drop.shape != (n_features,):
            raise ValueError(
                f"`drop` should have length equal to the number of features ({n_features}), got {len(drop)}"
            )
        idx = np.empty(n_features, dtype=object)
        missing = []
        for i, (value, cats) in enumerate(zip(drop, self.categories_)):
            if value is None:
                idx[i] = None
                continue
            code = _encode(np.array([value], dtype=object), cats.astype(object))[0]
            if code < 0:
                # scikit-learn's message names the feature index "Category" and the value "Feature"
                missing.append(f"Category: {i}, Feature: {value}")
            elif self._group_maps[i] is not None and self._group_maps[i][code] == self._infrequent_code(i):
                raise ValueError(
                    f"Unable to drop category {value!r} from feature {i} because it is an infrequent category"
                )
            idx[i] = int(code)
        if missing:
            raise ValueError(
                "The following categories were supposed to be dropped, but were not found in the training "
                "data.\n" + "\n".join(missing)
            )
        return idx

    def _dropped(self) -> np.ndarray:
        """The dropped group code per feature, -1 where none."""
        dropped = np.full(len(self.categories_), -1, dtype=np.int64)
        if self.drop_idx_ is None:
            return dropped
        for i, idx in enumerate(self.drop_idx_):
            if idx is not None:
                group = self._group_maps[i]
                dropped[i] = idx if group is None else group[idx]
        return dropped

    def _widths(self) -> np.ndarray:
        groups = np.array([self._n_groups(i) for i in range(len(self.categories_))], dtype=np.int64)
        return groups - (self._dropped() >= 0)

    def _warn_unknown(self, unknown: np.ndarray) -> None:
        as_infrequent = self.handle_unknown in ("infrequent_if_exist", "warn")
        if not (
            self.handle_unknown == "warn"
            or (self.drop_idx_ is not None and (self.handle_unknown == "ignore" or as_infrequent))
        ):
            return
        bad = [int(i) for i in np.flatnonzero(unknown.any(axis=0))]
        has_infrequent = any(self._infrequent_codes[i] is not None for i in bad)
        outcome = "the infrequent category." if as_infrequent and has_infrequent else "all zeros"
        warnings.warn(
            f"Found unknown categories in columns {bad} during transform. These unknown categories will be "
            f"encoded as {outcome}",
            UserWarning,
            stacklevel=3,
        )

    def transform(self, X):
        """Returns the one-hot matrix (CSR unless ``sparse_output=False``).

        Raises:
            ValueError: unknown categories with ``handle_unknown="error"``.
        """
        check_is_fitted(self)
        X_in = X
        columns = self._columns(X, reset=False)
        codes = self._codes(columns, self.handle_unknown)
        unknown = codes < 0
        groups = self._to_groups(codes)
        if unknown.any():
            self._warn_unknown(unknown)
            if self.handle_unknown in ("infrequent_if_exist", "warn"):
                for i in range(groups.shape[1]):
                    if self._infrequent_codes[i] is not None:
                        groups[unknown[:, i], i] = self._infrequent_codes[i]
        dropped = self._dropped()
        keep = (groups >= 0) & (groups != dropped[None, :])
        widths = self._widths()
        offsets = np.concatenate([[0], np.cumsum(widths)[:-1]])
        shift = (dropped[None, :] >= 0) & (groups > dropped[None, :])
        cols = (offsets[None, :] + groups - shift)[keep]
        rows = np.broadcast_to(np.arange(groups.shape[0])[:, None], groups.shape)[keep]
        out = sp.csr_matrix(
            (np.ones(rows.size, dtype=self.dtype), (rows, cols)),
            shape=(groups.shape[0], int(widths.sum())),
            dtype=self.dtype,
        )
        out.sort_indices()
        if self.sparse_output:
            return wrap_output(self, out, X_in)
        return wrap_output(self, out.toarray(), X_in)

    def inverse_transform(self, X):
        """Maps one-hot rows back to categories; all-zero blocks give the dropped category or None.

        Raises:
            ValueError: wrong number of columns, or an all-zero block that no category explains.
        """
        check_is_fitted(self)
        X = X.toarray() if sp.issparse(X) else check_array(X)
        widths = self._widths()
        if X.shape[1] != widths.sum():
            raise ValueError(
                f"Shape of the passed X data is not correct. Expected {int(widths.sum())} columns, got {X.shape[1]}."
            )
        dropped = self._dropped()
        labels_by_feature = [self._group_labels(i) for i in range(len(self.categories_))]
        out = np.empty((X.shape[0], len(self.categories_)), dtype=_result_dtype(labels_by_feature))
        start = 0
        for i, group_labels in enumerate(labels_by_feature):
            block = X[:, start : start + widths[i]]
            start += widths[i]
            codes = np.argmax(block, axis=1) if block.shape[1] else np.zeros(X.shape[0], dtype=np.int64)
            if dropped[i] >= 0:
                codes = codes + (codes >= dropped[i])
            empty = ~block.any(axis=1) if block.shape[1] else np.ones(X.shape[0], dtype=bool)
            values = group_labels[codes]
            if empty.any():
                if dropped[i] >= 0:
                    values[empty] = group_labels[dropped[i]]
                elif self.handle_unknown in ("ignore", "warn", "infrequent_if_exist"):
                    out = out.astype(object)
                    values = values.astype(object)
                    values[empty] = None
                else:
                    raise ValueError(
                        f"Samples {np.flatnonzero(empty).tolist()} can not be inverted when drop=None and "
                        "handle_unknown='error' because they contain all zeros"
                    )
            out[:, i] = values
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names ``<feature>_<category>`` for the kept categories."""
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        dropped = self._dropped()
        combine = self.feature_name_combiner
        if combine == "concat":

            def combine(feature, category):
                return f"{feature}_{category}"

        out = []
        for i, (name, drop) in enumerate(zip(names, dropped)):
            for code, cat in enumerate(self._group_labels(i)):
                if code == drop:
                    continue
                label = combine(name, cat)
                if not isinstance(label, str):
                    raise TypeError(
                        f"When `feature_name_combiner` is a callable, it should return a Python string. Got "
                        f"{type(label)} instead."
                    )
                out.append(label)
        return np.asarray(out, dtype=object)


class OrdinalEncoder(OneToOneFeatureMixin, _BaseEncoder):
    """Encodes each categorical feature as integers ``0 .. n_categories - 1`` (in ``dtype``)."""

    _update_sklearn_tags = sklearn_tags_hook(allow_nan=True, categorical=True)

    def __init__(
        self,
        *,
        categories="auto",
        dtype=np.float64,
        handle_unknown: str = "error",
        unknown_value=None,
        encoded_missing_value=np.nan,
        min_frequency=None,
        max_categories=None,
    ):
        self.categories = categories
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value
        self.min_frequency = min_frequency
        self.max_categories = max_categories

    def fit(self, X, y=None) -> OrdinalEncoder:
        """Finds ``categories_`` and checks that the special codes do not collide with real ones.

        Raises:
            TypeError: ``unknown_value`` inconsistent with ``handle_unknown``.
            ValueError: colliding codes or inconsistent categories.
        """
        check_option(self, "handle_unknown", self.handle_unknown, ("error", "use_encoded_value"))
        unknown_value = self.unknown_value
        if self.handle_unknown == "use_encoded_value":
            is_nan = isinstance(unknown_value, float) and np.isnan(unknown_value)
            if not (is_nan or (isinstance(unknown_value, numbers.Integral) and not isinstance(unknown_value, bool))):
                raise TypeError(
                    "unknown_value should be an integer or np.nan when handle_unknown is "
                    f"'use_encoded_value', got {unknown_value}."
                )
        elif unknown_value is not None:
            raise TypeError(
                f"unknown_value should only be set when handle_unknown is 'use_encoded_value', got {unknown_value}."
            )
        columns = self._columns(X, reset=True)
        self._fit_categories(columns, self.handle_unknown)
        if self.handle_unknown == "use_encoded_value":
            if _is_nan(unknown_value):
                if np.dtype(self.dtype).kind != "f":
                    raise ValueError(
                        f"When unknown_value is np.nan, the dtype parameter should be a float dtype. Got {self.dtype}."
                    )
            elif any(0 <= unknown_value < self._n_groups(i) for i in range(len(self.categories_))):
                raise ValueError(
                    f"The used value for unknown_value {unknown_value} is one of the values already used "
                    "for encoding the seen categories."
                )
        emv = self.encoded_missing_value
        with_missing = [i for i, cats in enumerate(self.categories_) if _missing_code(cats) is not None]
        if _is_nan(emv) and with_missing and np.dtype(self.dtype).kind != "f":
            raise ValueError(
                f"There are missing values in features {with_missing}. For OrdinalEncoder to encode "
                f"missing values with dtype: {self.dtype}, set encoded_missing_value to a non-nan value, or "
                "set dtype to a float"
            )
        if not _is_nan(emv):
            clashes = [
                name
                for name, cats in zip(self._names(), self.categories_)
                if _missing_code(cats) is not None and 0 <= emv < len(cats) - 1
            ]
            if clashes:
                raise ValueError(
                    f"encoded_missing_value ({emv}) is already used to encode a known category in features: {clashes}"
                )
        return self

    def _rarity_exempt(self, categories: np.ndarray) -> np.ndarray:
        exempt = np.zeros(len(categories), dtype=bool)
        code = _missing_code(categories)
        if code is not None:
            exempt[code] = True
        return exempt

    def _missing_group(self, i: int) -> int | None:
        """Group code of feature ``i``'s NaN category; None without one or when it is infrequent."""
        code = _missing_code(self.categories_[i])
        group = self._group_maps[i]
        if code is None or group is None:
            return code
        return None if group[code] == self._infrequent_codes[i] else int(group[code])

    def _names(self) -> list:
        return list(_check_feature_names_in(self, None))

    def transform(self, X):
        """Returns the integer codes (as ``dtype``); unknowns become ``unknown_value``.

        Raises:
            ValueError: unknown categories with ``handle_unknown="error"``.
        """
        check_is_fitted(self)
        X_in = X
        columns = self._columns(X, reset=False)
        codes = self._codes(columns, self.handle_unknown)
        groups = self._to_groups(codes)
        out = groups.astype(self.dtype)
        for i in range(len(self.categories_)):
            missing = self._missing_group(i)
            if missing is not None:
                out[groups[:, i] == missing, i] = self.encoded_missing_value
        if self.handle_unknown == "use_encoded_value":
            out[codes < 0] = self.unknown_value
        return wrap_output(self, out, X_in)

    def inverse_transform(self, X):
        """Maps codes back to categories; ``unknown_value`` becomes None.

        Raises:
            ValueError: wrong number of columns.
        """
        check_is_fitted(self)
        X = check_array(X, ensure_all_finite="allow-nan")
        if X.shape[1] != len(self.categories_):
            raise ValueError(
                f"Shape of the passed X data is not correct. Expected {len(self.categories_)} columns, got "
                f"{X.shape[1]}."
            )
        labels_by_feature = [self._group_labels(i) for i in range(len(self.categories_))]
        out = np.empty(X.shape, dtype=_result_dtype(labels_by_feature))
        for i, cats in enumerate(labels_by_feature):
            labels = X[:, i]
            missing_code = self._missing_group(i)
            missing = np.zeros(labels.shape, dtype=bool)
            if missing_code is not None:
                emv = self.encoded_missing_value
                missing = np.isnan(labels) if _is_nan(emv) else labels == emv
            unknown = np.zeros(labels.shape, dtype=bool)
            if self.handle_unknown == "use_encoded_value":
                unknown = np.isnan(labels) if _is_nan(self.unknown_value) else labels == self.unknown_value
                unknown &= ~missing
            valid = ~(unknown | missing)
            safe = np.where(valid, labels, 0).astype(np.int64)
            values = cats[safe]
            if missing.any():
                values[missing] = cats[missing_code]
            if unknown.any():
                out = out.astype(object)
                values = values.astype(object)
                values[unknown] = None
            out[:, i] = values
        return out


def _is_nan(value: Any) -> bool:
    return isinstance(value, numbers.Real) and np.isnan(value)


def _missing_code(categories: np.ndarray) -> int | None:
    """Position of the NaN category (``None`` is an ordinary category for ``OrdinalEncoder``)."""
    _, is_nan = _missing_masks(categories)
    hits = np.flatnonzero(is_nan)
    return int(hits[0]) if hits.size else None
