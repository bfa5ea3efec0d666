"""Cross-validation splitters and ``train_test_split``; same index arrays as scikit-learn for a given seed."""
from __future__ import annotations

import inspect
import numbers
import warnings
from collections.abc import Iterable, Iterator
from math import ceil, floor
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..utils.multiclass import type_of_target
from ..utils.validation import _num_samples, check_array, check_random_state, column_or_1d, indexable

Split = tuple[np.ndarray, np.ndarray]

__all__ = [
    "BaseCrossValidator",
    "KFold",
    "StratifiedKFold",
    "GroupKFold",
    "RepeatedKFold",
    "RepeatedStratifiedKFold",
    "TimeSeriesSplit",
    "LeaveOneOut",
    "PredefinedSplit",
    "ShuffleSplit",
    "StratifiedShuffleSplit",
    "GroupShuffleSplit",
    "check_cv",
    "train_test_split",
]


def _safe_indexing(X: Any, indices: Any) -> Any:
    """Rows ``indices`` of ``X`` (array, sparse matrix, pandas object or list); None stays None."""
    if X is None:
        return None
    if hasattr(X, "iloc"):
        return X.iloc[indices]
    if hasattr(X, "shape") or sp.issparse(X):
        return X[indices]
    return [X[i] for i in indices]


def _build_repr(obj: Any) -> str:
    """``Name(param=value, ...)`` with parameters sorted, wrapped before a line reaches 75 characters."""
    name = type(obj).__name__
    signature = inspect.signature(type(obj).__init__).parameters.values()
    params = sorted(p.name for p in signature if p.name != "self" and p.kind not in (p.VAR_POSITIONAL,
                                                                                      p.VAR_KEYWORD))
    separator = ",\n" + (1 + len(name) // 2) * " "
    text, line_length = "", len(name)
    for i, param in enumerate(params):
        value = getattr(obj, param, None)
        item = f"{param}={value!s}" if isinstance(value, float) else f"{param}={value!r}"
        if i > 0:
            if line_length + len(item) >= 75 or "\n" in item:
                text, line_length = text + separator, len(separator)
            else:
                text, line_length = text + ", ", line_length + 2
        text += item
        line_length += len(item)
    return f"{name}({text})"


def _warn_groups_ignored(splitter: Any, groups: Any) -> None:
    if groups is not None:
        warnings.warn(f"The groups parameter is ignored by {type(splitter).__name__}", UserWarning,
                      stacklevel=3)


class BaseCrossValidator:
    """Base of the splitters that yield ``(train, test)`` index arrays from test masks or indices."""

    _uses_groups = False

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Split]:
        """Yields ``(train_indices, test_indices)`` for each split."""
        if not self._uses_groups:
            _warn_groups_ignored(self, groups)
        X, y, groups = indexable(X, y, groups)
        indices = np.arange(_num_samples(X))
        for test_mask in self._iter_test_masks(X, y, groups):
            yield indices[~test_mask], indices[test_mask]

    def _iter_test_masks(self, X: Any = None, y: Any = None, groups: Any = None) -> Iterator[np.ndarray]:
        for test_index in self._iter_test_indices(X, y, groups):
            mask = np.zeros(_num_samples(X), dtype=bool)
            mask[test_index] = True
            yield mask

    def _iter_test_indices(self, X: Any = None, y: Any = None, groups: Any = None) -> Iterator[np.ndarray]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return _build_repr(self)


class LeaveOneOut(BaseCrossValidator):
    """Each sample is the test set once."""

    def _iter_test_indices(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[np.ndarray]:
        n_samples = _num_samples(X)
        if n_samples <= 1:
            raise ValueError(f"Cannot perform LeaveOneOut with n_samples={n_samples}.")
        return iter(range(n_samples))

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of samples of ``X``."""
        if X is None:
            raise ValueError("The 'X' parameter should not be None.")
        return _num_samples(X)


class _BaseKFold(BaseCrossValidator):
    def __init__(self, n_splits: int, *, shuffle: bool, random_state: Any):
        if not isinstance(n_splits, numbers.Integral):
            raise ValueError(f"The number of folds must be of Integral type. {n_splits} of type "
                             f"{type(n_splits)} was passed.")
        n_splits = int(n_splits)
        if n_splits <= 1:
            raise ValueError("k-fold cross-validation requires at least one train/test split by setting "
                             f"n_splits=2 or more, got n_splits={n_splits}.")
        if not isinstance(shuffle, bool):
            raise TypeError(f"shuffle must be True or False; got {shuffle}")
        if not shuffle and random_state is not None:
            raise ValueError("Setting a random_state has no effect since shuffle is False. You should leave "
                             "random_state to its default (None), or set shuffle=True.")
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Split]:
        """Yields ``(train_indices, test_indices)`` for each of the ``n_splits`` folds."""
        X, y, groups = indexable(X, y, groups)
        n_samples = _num_samples(X)
        if self.n_splits > n_samples:
            raise ValueError(f"Cannot have number of splits n_splits={self.n_splits} greater than the number "
                             f"of samples: n_samples={n_samples}.")
        yield from super().split(X, y, groups)

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """``n_splits``."""
        return self.n_splits


class KFold(_BaseKFold):
    """K consecutive folds (shuffled first with ``shuffle=True``); the first ``n % k`` folds get one more."""

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: Any = None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _iter_test_indices(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[np.ndarray]:
        n_samples = _num_samples(X)
        indices = np.arange(n_samples)
        if self.shuffle:
            check_random_state(self.random_state).shuffle(indices)
        fold_sizes = np.full(self.n_splits, n_samples // self.n_splits, dtype=int)
        fold_sizes[: n_samples % self.n_splits] += 1
        bounds = np.r_[0, np.cumsum(fold_sizes)]
        for start, stop in zip(bounds[:-1], bounds[1:]):
            yield indices[start:stop]


def _check_stratifiable(y: Any) -> np.ndarray:
    y = np.asarray(y)
    target_type = type_of_target(y)
    allowed = ("binary", "multiclass")
    if target_type not in allowed:
        raise ValueError(f"Supported target types are: {allowed}. Got {target_type!r} instead.")
    return column_or_1d(y)


class StratifiedKFold(_BaseKFold):
    """K folds that keep each class's proportion; classes are dealt round-robin in order of appearance."""

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: Any = None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _make_test_folds(self, X: Any, y: Any) -> np.ndarray:
        rng = check_random_state(self.random_state)
        y = _check_stratifiable(y)
        _, first_index, inverse = np.unique(y, return_index=True, return_inverse=True)
        # Renumber classes by first appearance in y.
        _, appearance_rank = np.unique(first_index, return_inverse=True)
        y_encoded = appearance_rank[inverse.ravel()]
        n_classes = len(first_index)
        counts = np.bincount(y_encoded)
        if np.all(self.n_splits > counts):
            raise ValueError(f"n_splits={self.n_splits} cannot be greater than the number of members in each "
                             "class.")
        if self.n_splits > counts.min():
            warnings.warn(f"The least populated class in y has only {counts.min()} members, which is less "
                          f"than n_splits={self.n_splits}.", UserWarning, stacklevel=3)
        # Sorted labels dealt round-robin give each fold's share of every class.
        y_sorted = np.sort(y_encoded)
        allocation = np.asarray([np.bincount(y_sorted[i::self.n_splits], minlength=n_classes)
                                 for i in range(self.n_splits)])
        test_folds = np.empty(len(y), dtype="i")
        for k in range(n_classes):
            folds_for_class = np.arange(self.n_splits).repeat(allocation[:, k])
            if self.shuffle:
                rng.shuffle(folds_for_class)
            test_folds[y_encoded == k] = folds_for_class
        return test_folds

    def _iter_test_masks(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[np.ndarray]:
        test_folds = self._make_test_folds(X, y)
        for i in range(self.n_splits):
            yield test_folds == i

    def split(self, X: Any, y: Any, groups: Any = None) -> Iterator[Split]:
        """Yields stratified ``(train_indices, test_indices)``; ``y`` holds the class labels."""
        y = check_array(y, input_name="y", ensure_2d=False, dtype=None)
        return super().split(X, y, groups)


class GroupKFold(_BaseKFold):
    """K folds with no group in two folds; largest groups go first to the lightest fold."""

    _uses_groups = True

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: Any = None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _iter_test_indices(self, X: Any, y: Any, groups: Any) -> Iterator[np.ndarray]:
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None.")
        groups = check_array(groups, input_name="groups", ensure_2d=False, dtype=None)
        unique_groups, group_idx = np.unique(groups, return_inverse=True)
        if self.n_splits > len(unique_groups):
            raise ValueError(f"Cannot have number of splits n_splits={self.n_splits} greater than the number "
                             f"of groups: {len(unique_groups)}.")
        if self.shuffle:
            shuffled = check_random_state(self.random_state).permutation(unique_groups)
            for test_groups in np.array_split(shuffled, self.n_splits):
                yield np.where(np.isin(groups, test_groups))[0]
            return
        sizes = np.bincount(group_idx)
        order = np.argsort(sizes, kind="stable")[::-1]
        fold_weight = np.zeros(self.n_splits)
        group_to_fold = np.zeros(len(unique_groups))
        for group, weight in zip(order, sizes[order]):
            lightest = np.argmin(fold_weight)
            fold_weight[lightest] += weight
            group_to_fold[group] = lightest
        sample_fold = group_to_fold[group_idx]
        for f in range(self.n_splits):
            yield np.where(sample_fold == f)[0]


class TimeSeriesSplit(_BaseKFold):
    """Expanding-window splits: each test block follows its training samples in time."""

    def __init__(self, n_splits: int = 5, *, max_train_size: int | None = None, test_size: int | None = None,
                 gap: int = 0):
        super().__init__(n_splits, shuffle=False, random_state=None)
        self.max_train_size = max_train_size
        self.test_size = test_size
        self.gap = gap

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Split]:
        """Yields ``(train_indices, test_indices)`` with every training index before every test index."""
        _warn_groups_ignored(self, groups)
        (X,) = indexable(X)
        n_samples = _num_samples(X)
        n_folds = self.n_splits + 1
        test_size = self.test_size if self.test_size is not None else n_samples // n_folds
        if n_folds > n_samples:
            raise ValueError(f"Cannot have number of folds={n_folds} greater than the number of "
                             f"samples={n_samples}.")
        if n_samples - self.gap - test_size * self.n_splits <= 0:
            raise ValueError(f"Too many splits={self.n_splits} for number of samples={n_samples} with "
                             f"test_size={test_size} and gap={self.gap}.")
        indices = np.arange(n_samples)
        for test_start in range(n_samples - self.n_splits * test_size, n_samples, test_size):
            train_end = test_start - self.gap
            train_start = 0
            if self.max_train_size and self.max_train_size < train_end:
                train_start = train_end - self.max_train_size
            yield indices[train_start:train_end], indices[test_start:test_start + test_size]


class PredefinedSplit(BaseCrossValidator):
    """Splits given by ``test_fold[i]``: the fold sample ``i`` is tested in (-1: always in training)."""

    def __init__(self, test_fold: Any):
        self.test_fold = np.array(test_fold, dtype=int)
        self.unique_folds = np.unique(self.test_fold)
        self.unique_folds = self.unique_folds[self.unique_folds != -1]

    def split(self, X: Any = None, y: Any = None, groups: Any = None) -> Iterator[Split]:
        """Yields ``(train_indices, test_indices)`` for each fold of ``test_fold``."""
        indices = np.arange(len(self.test_fold))
        for fold in self.unique_folds:
            mask = self.test_fold == fold
            yield indices[~mask], indices[mask]

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of distinct folds (other than -1)."""
        return len(self.unique_folds)


class _RepeatedSplits:
    def __init__(self, cv: type, *, n_repeats: int = 10, random_state: Any = None, **cv_args: Any):
        if not isinstance(n_repeats, numbers.Integral):
            raise ValueError("Number of repetitions must be of Integral type.")
        if n_repeats <= 0:
            raise ValueError("Number of repetitions must be greater than 0.")
        self.cv = cv
        self.n_repeats = n_repeats
        self.random_state = random_state
        self.cv_args = cv_args

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Split]:
        """Yields the splits of ``n_repeats`` shuffled runs of the underlying splitter."""
        _warn_groups_ignored(self, groups)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_repeats):
            yield from self.cv(random_state=rng, shuffle=True, **self.cv_args).split(X, y, groups)

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """``n_splits * n_repeats``."""
        return self.cv(**self.cv_args).get_n_splits(X, y, groups) * self.n_repeats

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(n_repeats={self.n_repeats}, n_splits={self.cv_args['n_splits']}, "
                f"random_state={self.random_state!r})")


class RepeatedKFold(_RepeatedSplits):
    """``KFold`` repeated ``n_repeats`` times with a different shuffle each time."""

    def __init__(self, *, n_splits: int = 5, n_repeats: int = 10, random_state: Any = None):
        super().__init__(KFold, n_repeats=n_repeats, random_state=random_state, n_splits=n_splits)


class RepeatedStratifiedKFold(_RepeatedSplits):
    """``StratifiedKFold`` repeated ``n_repeats`` times with a different shuffle each time."""

    def __init__(self, *, n_splits: int = 5, n_repeats: int = 10, random_state: Any = None):
        super().__init__(StratifiedKFold, n_repeats=n_repeats, random_state=random_state, n_splits=n_splits)


def _validate_shuffle_split(n_samples: int, test_size: Any, train_size: Any,
                            default_test_size: float | None = None) -> tuple[int, int]:
    """Turns fractional or absolute ``test_size``/``train_size`` into sample counts.

    Fractions round the test set up and the training set down; a missing size is the complement.

    Raises:
        ValueError: sizes out of range, summing to more than the data, or leaving an empty training set.
    """
    if test_size is None and train_size is None:
        test_size = default_test_size
    test_kind = np.asarray(test_size).dtype.kind
    train_kind = np.asarray(train_size).dtype.kind
    for size, kind, name in ((test_size, test_kind, "test_size"), (train_size, train_kind, "train_size")):
        if (kind == "i" and (size >= n_samples or size <= 0)) or (kind == "f" and (size <= 0 or size >= 1)):
            raise ValueError(f"{name}={size} should be either positive and smaller than the number of "
                             f"samples {n_samples} or a float in the (0, 1) range")
    if train_size is not None and train_kind not in ("i", "f"):
        raise ValueError(f"Invalid value for train_size: {train_size}")
    if test_size is not None and test_kind not in ("i", "f"):
        raise ValueError(f"Invalid value for test_size: {test_size}")
    if train_kind == "f" and test_kind == "f" and train_size + test_size > 1:
        raise ValueError(f"The sum of test_size and train_size = {train_size + test_size}, should be in the "
                         "(0, 1) range. Reduce test_size and/or train_size.")
    n_test = ceil(test_size * n_samples) if test_kind == "f" else \
        float(test_size) if test_kind == "i" else None
    n_train = floor(train_size * n_samples) if train_kind == "f" else \
        float(train_size) if train_kind == "i" else None
    if train_size is None:
        n_train = n_samples - n_test
    elif test_size is None:
        n_test = n_samples - n_train
    if n_train + n_test > n_samples:
        raise ValueError(f"The sum of train_size and test_size = {int(n_train + n_test)}, should be smaller "
                         f"than the number of samples {n_samples}. Reduce test_size and/or train_size.")
    n_train, n_test = int(n_train), int(n_test)
    if n_train == 0:
        raise ValueError(f"With n_samples={n_samples}, test_size={test_size} and train_size={train_size}, "
                         "the resulting train set will be empty. Adjust any of the aforementioned "
                         "parameters.")
    return n_train, n_test


class _BaseShuffleSplit:
    _default_test_size = 0.1
    _uses_groups = False

    def __init__(self, n_splits: int = 10, *, test_size: Any = None, train_size: Any = None,
                 random_state: Any = None):
        self.n_splits = n_splits
        self.test_size = test_size
        self.train_size = train_size
        self.random_state = random_state

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Split]:
        """Yields ``n_splits`` random ``(train_indices, test_indices)`` pairs."""
        if not self._uses_groups:
            _warn_groups_ignored(self, groups)
        X, y, groups = indexable(X, y, groups)
        yield from self._iter_indices(X, y, groups)

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """``n_splits``."""
        return self.n_splits

    def __repr__(self) -> str:
        return _build_repr(self)


class ShuffleSplit(_BaseShuffleSplit):
    """Random permutations: the first ``n_test`` indices test, the next ``n_train`` train."""

    def _iter_indices(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Split]:
        n_samples = _num_samples(X)
        n_train, n_test = _validate_shuffle_split(n_samples, self.test_size, self.train_size,
                                                  default_test_size=self._default_test_size)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            permutation = rng.permutation(n_samples)
            yield permutation[n_test:n_test + n_train], permutation[:n_test]


class GroupShuffleSplit(ShuffleSplit):
    """``ShuffleSplit`` over groups: whole groups go to either side."""

    _default_test_size = 0.2
    _uses_groups = True

    def _iter_indices(self, X: Any, y: Any, groups: Any) -> Iterator[Split]:
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None.")
        groups = check_array(groups, input_name="groups", ensure_2d=False, dtype=None)
        classes, group_indices = np.unique(groups, return_inverse=True)
        for group_train, group_test in super()._iter_indices(X=classes):
            yield (np.flatnonzero(np.isin(group_indices, group_train)),
                   np.flatnonzero(np.isin(group_indices, group_test)))


def _approximate_mode(class_counts: np.ndarray, n_draws: int, rng: np.random.RandomState) -> np.ndarray:
    """Per-class draw counts closest to proportional, summing to ``n_draws`` (ties broken at random)."""
    continuous = class_counts / class_counts.sum() * n_draws
    floored = np.floor(continuous)
    need = int(n_draws - floored.sum())
    if need > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (candidates,) = np.where(remainder == value)
            take = min(len(candidates), need)
            floored[rng.choice(candidates, size=take, replace=False)] += 1
            need -= take
            if need == 0:
                break
    return floored.astype(int)


class StratifiedShuffleSplit(_BaseShuffleSplit):
    """Random splits that keep each class's proportion in both the training and the test set."""

    def _iter_indices(self, X: Any, y: Any, groups: Any = None) -> Iterator[Split]:
        n_samples = _num_samples(X)
        y = check_array(y, input_name="y", ensure_2d=False, dtype=None)
        n_train, n_test = _validate_shuffle_split(n_samples, self.test_size, self.train_size,
                                                  default_test_size=self._default_test_size)
        if y.ndim == 2:
            y = np.array([" ".join(row.astype("str")) for row in y])
        classes, y_indices, class_counts = np.unique(y, return_inverse=True, return_counts=True)
        n_classes = classes.shape[0]
        if np.min(class_counts) < 2:
            raise ValueError("The least populated classes in y have only 1 member, which is too few. The "
                             "minimum number of groups for any class cannot be less than 2. Classes with "
                             f"too few members are: {classes[class_counts < 2].tolist()}")
        if n_train < n_classes:
            raise ValueError(f"The train_size = {n_train} should be greater or equal to the number of "
                             f"classes = {n_classes}")
        if n_test < n_classes:
            raise ValueError(f"The test_size = {n_test} should be greater or equal to the number of classes "
                             f"= {n_classes}")
        class_indices = np.split(np.argsort(y_indices.ravel(), kind="stable"), np.cumsum(class_counts)[:-1])
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            n_i = _approximate_mode(class_counts, n_train, rng)
            t_i = _approximate_mode(class_counts - n_i, n_test, rng)
            train: list = []
            test: list = []
            for i in range(n_classes):
                shuffled = class_indices[i].take(rng.permutation(class_counts[i]), mode="clip")
                train.extend(shuffled[: n_i[i]])
                test.extend(shuffled[n_i[i]: n_i[i] + t_i[i]])
            yield rng.permutation(train), rng.permutation(test)

    def split(self, X: Any, y: Any, groups: Any = None) -> Iterator[Split]:
        """Yields stratified random ``(train_indices, test_indices)``; ``y`` holds the class labels."""
        y = check_array(y, input_name="y", ensure_2d=False, dtype=None)
        return super().split(X, y, groups)


class _CVIterableWrapper:
    """Wraps an iterable of ``(train, test)`` pairs as a splitter."""

    def __init__(self, cv: Iterable):
        self.cv = list(cv)

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return len(self.cv)

    def split(self, X: Any = None, y: Any = None, groups: Any = None) -> Iterator[Split]:
        yield from self.cv


def check_cv(cv: Any = 5, y: Any = None, *, classifier: bool = False) -> Any:
    """Turns ``cv`` (None, an int, a splitter or an iterable of splits) into a splitter.

    An int (None: 5) gives ``StratifiedKFold`` for a classifier with a binary or multiclass ``y``, otherwise
    ``KFold``.

    Raises:
        ValueError: ``cv`` is none of these.
    """
    cv = 5 if cv is None else cv
    if isinstance(cv, numbers.Integral):
        if classifier and y is not None and type_of_target(y, input_name="y") in ("binary", "multiclass"):
            return StratifiedKFold(cv)
        return KFold(cv)
    if not hasattr(cv, "split") or isinstance(cv, str):
        if not isinstance(cv, Iterable) or isinstance(cv, str):
            raise ValueError("Expected `cv` as an integer, a cross-validation object (from "
                             "sklearn.model_selection), or an iterable yielding (train, test) splits as "
                             f"arrays of indices. Got {cv}.")
        return _CVIterableWrapper(cv)
    return cv


def train_test_split(*arrays: Any, test_size: Any = None, train_size: Any = None, random_state: Any = None,
                     shuffle: bool = True, stratify: Any = None) -> list:
    """Splits each array into a random training and test part (the same rows for every array).

    Args:
        test_size: fraction (rounded up) or count of test samples; 0.25 when neither size is given.
        stratify: labels whose class proportions both parts keep.

    Returns:
        ``[a_train, a_test, b_train, b_test, ...]``, each in its input's container type.

    Raises:
        ValueError: no arrays, inconsistent lengths, bad sizes, or ``stratify`` without ``shuffle``.
    """
    if not arrays:
        raise ValueError("At least one array required as input")
    arrays = indexable(*arrays)
    n_samples = _num_samples(arrays[0])
    n_train, n_test = _validate_shuffle_split(n_samples, test_size, train_size, default_test_size=0.25)
    if not shuffle:
        if stratify is not None:
            raise ValueError("Stratified train/test split is not implemented for shuffle=False")
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    else:
        splitter = StratifiedShuffleSplit if stratify is not None else ShuffleSplit
        cv = splitter(test_size=n_test, train_size=n_train, random_state=random_state)
        train, test = next(cv.split(X=arrays[0], y=stratify))
    return [part for a in arrays for part in (_safe_indexing(a, train), _safe_indexing(a, test))]
