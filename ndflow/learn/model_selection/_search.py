"""Hyper-parameter search: parameter grids and samplers, ``GridSearchCV`` and ``RandomizedSearchCV``."""
from __future__ import annotations

import numbers
import operator
import time
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import reduce
from itertools import product
from typing import Any

import numpy as np
from numpy.ma import MaskedArray

from ..base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier, is_regressor
from ..exceptions import NotFittedError
from ..metrics._scorer import _MultimetricScorer, check_scoring
from ..utils.validation import check_is_fitted, check_random_state, indexable
from ._split import check_cv
from ._validation import (
    _fit_and_score,
    _insert_error_scores,
    _parallel_map,
    _warn_or_raise_about_fit_failures,
)

__all__ = ["ParameterGrid", "ParameterSampler", "GridSearchCV", "RandomizedSearchCV"]


class ParameterGrid:
    """Every combination of the values of a dict of lists (or of each dict in a list), keys sorted.

    Raises:
        TypeError: not a dict or list of dicts, or a value that is not a non-empty 1-D sequence.
        ValueError: an empty or multi-dimensional value.
    """

    def __init__(self, param_grid: Mapping | Sequence[Mapping]):
        if not isinstance(param_grid, (Mapping, Iterable)):
            raise TypeError(f"Parameter grid should be a dict or a list, got: {param_grid!r} of type "
                            f"{type(param_grid).__name__}")
        if isinstance(param_grid, Mapping):
            param_grid = [param_grid]
        for grid in param_grid:
            if not isinstance(grid, dict):
                raise TypeError(f"Parameter grid is not a dict ({grid!r})")
            for key, value in grid.items():
                if isinstance(value, np.ndarray) and value.ndim > 1:
                    raise ValueError(f"Parameter array for {key!r} should be one-dimensional, got: {value!r} "
                                     f"with shape {value.shape}")
                if isinstance(value, str) or not isinstance(value, (np.ndarray, Sequence)):
                    raise TypeError(f"Parameter grid for parameter {key!r} needs to be a list or a numpy "
                                    f"array, but got {value!r} (of type {type(value).__name__}) instead. "
                                    "Single values need to be wrapped in a list with one element.")
                if len(value) == 0:
                    raise ValueError(f"Parameter grid for parameter {key!r} need to be a non-empty sequence, "
                                     f"got: {value!r}")
        self.param_grid = param_grid

    def __iter__(self) -> Iterator[dict]:
        for grid in self.param_grid:
            items = sorted(grid.items())
            if not items:
                yield {}
                continue
            keys, values = zip(*items)
            for combo in product(*values):
                yield dict(zip(keys, combo))

    def __len__(self) -> int:
        return sum(reduce(operator.mul, (len(v) for v in grid.values()), 1) for grid in self.param_grid)

    def __getitem__(self, ind: int) -> dict:
        """The ``ind``-th combination, computed without enumerating the ones before it.

        Raises:
            IndexError: ``ind`` beyond the grid.
        """
        for grid in self.param_grid:
            items = sorted(grid.items())
            if not items:
                if ind == 0:
                    return {}
                ind -= 1
                continue
            keys, values = zip(*items)
            sizes = [len(v) for v in values]
            total = int(np.prod(sizes))
            if ind >= total:
                ind -= total
                continue
            out = {}
            # The last key varies fastest, as in itertools.product.
            for key, vals, size in reversed(list(zip(keys, values, sizes))):
                ind, offset = divmod(ind, size)
                out[key] = vals[offset]
            return out
        raise IndexError("ParameterGrid index out of range")


def _sample_without_replacement(n_population: int, n_samples: int, rng: np.random.RandomState) -> np.ndarray:
    """``n_samples`` distinct integers below ``n_population``, drawn as scikit-learn's "auto" method does.

    A permutation prefix for moderate ratios; otherwise rejection sampling (small ratios) or reservoir
    sampling (large ratios), so the same seed selects the same candidates.
    """
    ratio = n_samples / n_population if n_population != 0 else 1.0
    if 0.01 < ratio < 0.99:
        return rng.permutation(n_population)[:n_samples]
    if ratio < 0.2:
        selected: set[int] = set()
        out = np.empty(n_samples, dtype=int)
        for i in range(n_samples):
            j = rng.randint(n_population)
            while j in selected:
                j = rng.randint(n_population)
            selected.add(j)
            out[i] = j
        return out
    out = np.arange(n_samples)
    for i in range(n_samples, n_population):
        j = rng.randint(0, i + 1)
        if j < n_samples:
            out[j] = i
    return out


class ParameterSampler:
    """``n_iter`` random parameter settings: scipy.stats distributions are sampled with ``rvs``, lists
    uniformly; when everything is a list, settings are drawn from the grid without replacement.

    Raises:
        TypeError: not a dict or list of dicts, or a value that is neither iterable nor a distribution.
    """

    def __init__(self, param_distributions: Mapping | Sequence[Mapping], n_iter: int, *,
                 random_state: Any = None):
        if not isinstance(param_distributions, (Mapping, Iterable)):
            raise TypeError(f"Parameter distribution is not a dict or a list, got: {param_distributions!r} "
                            f"of type {type(param_distributions).__name__}")
        if isinstance(param_distributions, Mapping):
            param_distributions = [param_distributions]
        for dist in param_distributions:
            if not isinstance(dist, dict):
                raise TypeError(f"Parameter distribution is not a dict ({dist!r})")
            for key, value in dist.items():
                if not isinstance(value, Iterable) and not hasattr(value, "rvs"):
                    raise TypeError(f"Parameter grid for parameter {key!r} is not iterable or a distribution "
                                    f"(value={value})")
        self.n_iter = n_iter
        self.random_state = random_state
        self.param_distributions = param_distributions

    def _all_lists(self) -> bool:
        return all(not hasattr(v, "rvs") for dist in self.param_distributions for v in dist.values())

    def __iter__(self) -> Iterator[dict]:
        rng = check_random_state(self.random_state)
        if self._all_lists():
            grid = ParameterGrid(self.param_distributions)
            n_iter = self.n_iter
            if len(grid) < n_iter:
                warnings.warn(f"The total space of parameters {len(grid)} is smaller than "
                              f"n_iter={self.n_iter}. Running {len(grid)} iterations. For exhaustive "
                              "searches, use GridSearchCV.",
                              UserWarning, stacklevel=2)
                n_iter = len(grid)
            for i in _sample_without_replacement(len(grid), n_iter, rng):
                yield grid[i]
            return
        for _ in range(self.n_iter):
            dist = rng.choice(self.param_distributions)
            params = {}
            for key, value in sorted(dist.items()):
                params[key] = value.rvs(random_state=rng) if hasattr(value, "rvs") else \
                    value[rng.randint(len(value))]
            yield params

    def __len__(self) -> int:
        if self._all_lists():
            return min(self.n_iter, len(ParameterGrid(self.param_distributions)))
        return self.n_iter


def _param_masked_arrays(candidates: list[dict]) -> Iterator[tuple[str, MaskedArray]]:
    """One masked array ``param_<name>`` per parameter, masked where a candidate does not set it."""
    values: dict[str, dict[int, Any]] = {}
    for i, params in enumerate(candidates):
        for name, value in params.items():
            values.setdefault(f"param_{name}", {})[i] = value
    for key, by_index in values.items():
        try:
            arr = np.array(list(by_index.values()))
        except ValueError:
            dtype = np.dtype(object)
        else:
            dtype = arr.dtype if arr.dtype.kind != "U" and arr.ndim == 1 else np.dtype(object)
        masked = MaskedArray(np.empty(len(candidates), dtype=dtype), mask=True)
        for i, value in by_index.items():
            masked[i] = value
        yield key, masked


def _rank_descending(means: np.ndarray) -> np.ndarray:
    """Rank 1 for the highest mean (ties share the lowest rank); NaN ranks last."""
    from scipy.stats import rankdata

    if np.isnan(means).all():
        return np.ones_like(means, dtype=np.int32)
    means = np.nan_to_num(means, nan=np.nanmin(means) - 1)
    return rankdata(-means, method="min").astype(np.int32, copy=False)


class _BestEstimatorMethod:
    """A search method that calls the refitted best estimator's method of the same name.

    It exists only when the wrapped estimator has that method, so ``hasattr`` tells the truth (scorers
    pick ``decision_function`` or ``predict_proba`` that way).
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, search: Any, owner: type | None = None) -> Any:
        if search is None:
            return self
        target = search.best_estimator_ if hasattr(search, "best_estimator_") else search.estimator
        if not hasattr(target, self.name):
            raise AttributeError(f"This {type(search).__name__!r} has no attribute {self.name!r}")

        def method(X: Any) -> Any:
            return search._delegate(self.name)(X)

        method.__name__ = self.name
        method.__doc__ = f"``{self.name}`` of the best estimator."
        return method


class BaseSearchCV(MetaEstimatorMixin, BaseEstimator):
    """Cross-validated search over candidate parameter settings; subclasses say which candidates."""

    def __init__(self, estimator: Any, *, scoring: Any = None, n_jobs: int | None = None, refit: Any = True,
                 cv: Any = None, verbose: int = 0, pre_dispatch: Any = "2*n_jobs", error_score: Any = np.nan,
                 return_train_score: bool = False):
        self.estimator = estimator
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.verbose = verbose
        self.pre_dispatch = pre_dispatch
        self.error_score = error_score
        self.return_train_score = return_train_score

    @property
    def _estimator_type(self) -> str | None:
        if is_classifier(self.estimator):
            return "classifier"
        if is_regressor(self.estimator):
            return "regressor"
        return getattr(self.estimator, "_estimator_type", None)

    def _candidates(self) -> Iterable[dict]:
        raise NotImplementedError

    def _check_refit_for_multimetric(self, names: Iterable[str]) -> None:
        if self.refit is not False and not callable(self.refit) and self.refit not in names:
            raise ValueError("For multi-metric scoring, the parameter refit must be set to a scorer key or "
                             "a callable to refit an estimator with the best parameter setting on the whole "
                             "data and make the best_* attributes available for that metric. If this is not "
                             f"needed, refit should be set to False explicitly. {self.refit!r} was passed.")

    def fit(self, X: Any, y: Any = None, **params: Any) -> BaseSearchCV:
        """Scores every candidate on every split, then (with ``refit``) refits the best on all the data.

        Raises:
            ValueError: an invalid ``refit`` for multiple metrics, inconsistent splits, or all fits failing.
        """
        estimator = self.estimator
        groups = params.pop("groups", None)
        scorers = check_scoring(estimator, scoring=self.scoring, raise_exc=(self.error_score == "raise"))
        multimetric = isinstance(scorers, _MultimetricScorer)
        if multimetric:
            self._check_refit_for_multimetric(scorers._scorers)
            refit_metric = self.refit
        else:
            refit_metric = "score"
        X, y = indexable(X, y)
        cv = check_cv(self.cv, y, classifier=is_classifier(estimator))
        n_splits = cv.get_n_splits(X, y, groups)
        base_estimator = clone(estimator)
        candidates = list(self._candidates())
        splits = list(cv.split(X, y, groups))
        if self.verbose > 0:
            print(f"Fitting {n_splits} folds for each of {len(candidates)} candidates, totalling "
                  f"{len(candidates) * n_splits} fits")
        if len(candidates) < 1 or len(splits) < 1:
            raise ValueError("No fits were performed. Was the CV iterator empty? Were there no candidates?")
        if len(splits) != n_splits:
            raise ValueError("cv.split and cv.get_n_splits returned inconsistent results. Expected "
                             f"{n_splits} splits, got {len(splits)}")

        def run(est, params_, train, test, split_idx, cand_idx):
            return _fit_and_score(est, X, y, scorer=scorers, train=train, test=test, verbose=self.verbose,
                                  parameters=params_, fit_params=params,
                                  return_train_score=self.return_train_score, return_n_test_samples=True,
                                  return_times=True, error_score=self.error_score,
                                  split_progress=(split_idx, n_splits),
                                  candidate_progress=(cand_idx, len(candidates)))

        tasks = [(clone(base_estimator), cand, train, test, split_idx, cand_idx)
                 for cand_idx, cand in enumerate(candidates)
                 for split_idx, (train, test) in enumerate(splits)]
        results = _parallel_map(run, tasks, self.n_jobs, self.pre_dispatch, self.verbose)
        _warn_or_raise_about_fit_failures(results, self.error_score)
        _insert_error_scores(results, self.error_score)
        first_scores = results[0]["test_scores"]
        if not multimetric and isinstance(first_scores, dict):
            # A callable scorer that returns several named scores.
            multimetric = True
            self._check_refit_for_multimetric(first_scores)
            refit_metric = self.refit
        self.cv_results_ = self._format_results(candidates, n_splits, results)
        self.multimetric_ = multimetric
        self.scorer_ = scorers._scorers if isinstance(scorers, _MultimetricScorer) else scorers
        self.n_splits_ = n_splits

        if self.refit or not multimetric:
            self._select_best(refit_metric)
        if self.refit:
            self._refit_best(base_estimator, X, y, params)
        return self

    def _select_best(self, refit_metric: str) -> None:
        """Sets ``best_index_``/``best_params_`` (and ``best_score_`` unless ``refit`` is a callable).

        Raises:
            IndexError: a ``refit`` callable returned an invalid index.
        """
        n_candidates = len(self.cv_results_["params"])
        if callable(self.refit):
            index = self.refit(self.cv_results_)
            if not isinstance(index, numbers.Integral) or not 0 <= index < n_candidates:
                raise IndexError("best_index_ index out of range")
            self.best_index_ = int(index)
        else:
            self.best_index_ = int(self.cv_results_[f"rank_test_{refit_metric}"].argmin())
            self.best_score_ = float(self.cv_results_[f"mean_test_{refit_metric}"][self.best_index_])
        self.best_params_ = self.cv_results_["params"][self.best_index_]

    def _refit_best(self, base_estimator: Any, X: Any, y: Any, fit_params: dict) -> None:
        self.best_estimator_ = clone(base_estimator).set_params(**clone(self.best_params_, safe=False))
        start = time.time()
        if y is None:
            self.best_estimator_.fit(X, **fit_params)
        else:
            self.best_estimator_.fit(X, y, **fit_params)
        self.refit_time_ = time.time() - start
        if hasattr(self.best_estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.best_estimator_.feature_names_in_

    def _format_results(self, candidates: list[dict], n_splits: int, results: list[dict]) -> dict[str, Any]:
        n_candidates = len(candidates)
        out: dict[str, Any] = {}

        def store(key: str, values: Any, splits: bool = False, rank: bool = False) -> None:
            array = np.array(values, dtype=np.float64).reshape(n_candidates, n_splits)
            if splits:
                for k in range(n_splits):
                    out[f"split{k}_{key}"] = array[:, k]
            means = np.mean(array, axis=1)
            out[f"mean_{key}"] = means
            if key.startswith(("train_", "test_")) and np.any(~np.isfinite(means)):
                warnings.warn(f"One or more of the {key.split('_')[0]} scores are non-finite: {means}",
                              UserWarning, stacklevel=4)
            out[f"std_{key}"] = np.sqrt(np.mean((array - means[:, None]) ** 2, axis=1))
            if rank:
                out[f"rank_{key}"] = _rank_descending(means)

        store("fit_time", [r["fit_time"] for r in results])
        store("score_time", [r["score_time"] for r in results])
        for key, masked in _param_masked_arrays(candidates):
            out[key] = masked
        out["params"] = candidates
        for prefix in ("test", "train"):
            if prefix == "train" and not self.return_train_score:
                continue
            scores = [r[f"{prefix}_scores"] for r in results]
            if isinstance(scores[0], dict):
                per_metric = {name: [s[name] for s in scores] for name in scores[0]}
            else:
                per_metric = {"score": scores}
            for name, values in per_metric.items():
                store(f"{prefix}_{name}", values, splits=True, rank=prefix == "test")
        return _order_like_sklearn(out, self.return_train_score)

    def _check_fitted(self, attr: str) -> None:
        if not self.refit:
            raise AttributeError(f"This {type(self).__name__} instance was initialized with `refit=False`. "
                                 f"{attr} is available only after refitting on the best parameters. You can "
                                 "refit an estimator manually using the `best_params_` attribute")
        check_is_fitted(self, "best_estimator_")

    def _delegate(self, name: str):
        self._check_fitted(name)
        return getattr(self.best_estimator_, name)

    def score(self, X: Any, y: Any = None, **params: Any) -> float:
        """Score of the refitted best estimator with the (refit) scorer."""
        self._check_fitted("score")
        if isinstance(self.scorer_, dict):
            return self.scorer_[self.refit](self.best_estimator_, X, y, **params)
        score = self.scorer_(self.best_estimator_, X, y, **params)
        return score[self.refit] if self.multimetric_ else score

    predict = _BestEstimatorMethod()
    predict_proba = _BestEstimatorMethod()
    predict_log_proba = _BestEstimatorMethod()
    decision_function = _BestEstimatorMethod()
    score_samples = _BestEstimatorMethod()
    transform = _BestEstimatorMethod()
    inverse_transform = _BestEstimatorMethod()

    @property
    def classes_(self) -> np.ndarray:
        return self._delegate("classes_")

    @property
    def n_features_in_(self) -> int:
        try:
            self._check_fitted("n_features_in_")
        except NotFittedError as e:
            raise AttributeError(str(e)) from e
        return self.best_estimator_.n_features_in_


def _order_like_sklearn(results: dict[str, Any], with_train: bool) -> dict[str, Any]:
    """Keys in scikit-learn's order: times, params, then per metric splits/mean/std/rank (test, train)."""
    head = ["mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time"]
    params = [k for k in results if k.startswith("param_")] + ["params"]
    ordered = {k: results[k] for k in head + params}
    metrics = [k[len("mean_test_"):] for k in results if k.startswith("mean_test_")]
    for name in metrics:
        for prefix in ("test",) + (("train",) if with_train else ()):
            for key in results:
                if key.startswith("split") and key.endswith(f"_{prefix}_{name}"):
                    ordered[key] = results[key]
            for stat in ("mean", "std", "rank"):
                key = f"{stat}_{prefix}_{name}"
                if key in results:
                    ordered[key] = results[key]
    return ordered


class GridSearchCV(BaseSearchCV):
    """Exhaustive search over ``param_grid`` (a dict of lists, or a list of such dicts)."""

    def __init__(self, estimator: Any, param_grid: Mapping | Sequence[Mapping], *, scoring: Any = None,
                 n_jobs: int | None = None, refit: Any = True, cv: Any = None, verbose: int = 0,
                 pre_dispatch: Any = "2*n_jobs", error_score: Any = np.nan, return_train_score: bool = False):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv, verbose=verbose,
                         pre_dispatch=pre_dispatch, error_score=error_score,
                         return_train_score=return_train_score)
        self.param_grid = param_grid

    def _candidates(self) -> Iterable[dict]:
        return ParameterGrid(self.param_grid)


class RandomizedSearchCV(BaseSearchCV):
    """Search over ``n_iter`` settings sampled from ``param_distributions`` (lists or scipy.stats objects)."""

    def __init__(self, estimator: Any, param_distributions: Mapping | Sequence[Mapping], *, n_iter: int = 10,
                 scoring: Any = None, n_jobs: int | None = None, refit: Any = True, cv: Any = None,
                 verbose: int = 0, pre_dispatch: Any = "2*n_jobs", random_state: Any = None,
                 error_score: Any = np.nan, return_train_score: bool = False):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv, verbose=verbose,
                         pre_dispatch=pre_dispatch, error_score=error_score,
                         return_train_score=return_train_score)
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.random_state = random_state

    def _candidates(self) -> Iterable[dict]:
        return ParameterSampler(self.param_distributions, self.n_iter, random_state=self.random_state)
