"""Cross-validated evaluation: scores, out-of-fold predictions, learning and validation curves."""
from __future__ import annotations

import numbers
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import clone, is_classifier
from ..exceptions import FitFailedWarning
from ..metrics._scorer import _MultimetricScorer, check_scoring
from ..utils.validation import _num_samples, indexable
from ._split import _safe_indexing, check_cv

__all__ = ["cross_validate", "cross_val_score", "cross_val_predict", "learning_curve", "validation_curve"]


def _parallel_map(func: Callable, tasks: list[tuple], n_jobs: int | None, pre_dispatch: Any = "2*n_jobs",
                  verbose: int = 0) -> list:
    """``[func(*task) for task in tasks]``, through joblib when ``n_jobs`` asks for more than one worker."""
    if n_jobs is None or n_jobs == 1:
        return [func(*task) for task in tasks]
    try:
        from joblib import Parallel, delayed
    except ImportError:
        return [func(*task) for task in tasks]
    return Parallel(n_jobs=n_jobs, pre_dispatch=pre_dispatch, verbose=verbose)(
        delayed(func)(*task) for task in tasks)


def _is_pairwise(estimator: Any) -> bool:
    """Whether ``X`` is a precomputed square kernel/distance matrix for this estimator."""
    return any(getattr(estimator, name, None) == "precomputed" for name in ("kernel", "metric", "affinity"))


def _safe_split(estimator: Any, X: Any, y: Any, indices: np.ndarray, train_indices: Any = None):
    """Rows ``indices`` of ``X`` and ``y``; for precomputed kernels also the columns of the training samples.

    Raises:
        ValueError: a precomputed ``X`` that is not square.
    """
    if _is_pairwise(estimator):
        if not hasattr(X, "shape"):
            raise ValueError("Precomputed kernels or affinity matrices have to be passed as arrays or "
                             "sparse matrices.")
        if X.shape[0] != X.shape[1]:
            raise ValueError("X should be a square kernel matrix")
        X_subset = X[np.ix_(indices, indices if train_indices is None else train_indices)]
    else:
        X_subset = _safe_indexing(X, indices)
    return X_subset, (None if y is None else _safe_indexing(y, indices))


def _score(estimator: Any, X: Any, y: Any, scorer: Any, score_params: dict, error_score: Any) -> Any:
    """Scores with ``scorer``; a failing scorer gives ``error_score`` (with a warning) unless it is "raise".

    Raises:
        ValueError: a single-metric scorer that does not return a number.
    """
    score_params = score_params or {}
    args = (X,) if y is None else (X, y)
    try:
        scores = scorer(estimator, *args, **score_params)
    except Exception:
        if error_score == "raise":
            raise
        if isinstance(scorer, _MultimetricScorer):
            scores = {name: error_score for name in scorer._scorers}
        else:
            scores = error_score
        warnings.warn("Scoring failed. The score on this train-test partition for these parameters will be "
                      f"set to {error_score}. Details: \n{traceback.format_exc()}", UserWarning, stacklevel=2)
    if isinstance(scores, dict):
        failed = [k for k, v in scores.items() if isinstance(v, str)]
        if failed:
            if error_score == "raise":
                raise ValueError(scores[failed[0]])
            for k in failed:
                warnings.warn("Scoring failed. The score on this train-test partition for these parameters "
                              f"will be set to {error_score}. Details: \n{scores[k]}", UserWarning,
                              stacklevel=2)
                scores[k] = error_score
        return scores
    if hasattr(scores, "item"):
        try:
            scores = scores.item()
        except ValueError:
            pass
    if not isinstance(scores, numbers.Number):
        raise ValueError(f"scoring must return a number, got {scores!s} ({type(scores)}) instead. "
                         f"(scorer={scorer})")
    return scores


def _fit_and_score(estimator: Any, X: Any, y: Any, *, scorer: Any, train: np.ndarray, test: np.ndarray,
                   verbose: int = 0, parameters: dict | None = None, fit_params: dict | None = None,
                   score_params: dict | None = None, return_train_score: bool = False,
                   return_parameters: bool = False, return_n_test_samples: bool = False,
                   return_times: bool = False, return_estimator: bool = False, error_score: Any = np.nan,
                   split_progress: Any = None, candidate_progress: Any = None) -> dict:
    """Fits ``estimator`` (with ``parameters`` set) on ``train`` and scores it on ``test``.

    Returns:
        A dict with ``test_scores``, ``fit_error`` and, as requested, ``train_scores``, ``n_test_samples``,
        ``fit_time``/``score_time``, ``parameters`` and ``estimator``.

    Raises:
        Exception: whatever ``fit`` raises when ``error_score`` is "raise".
    """
    if not isinstance(error_score, numbers.Number) and error_score != "raise":
        raise ValueError("error_score must be the string 'raise' or a numeric value. (Hint: if using "
                         "'raise', please make sure that it has been spelled correctly.)")
    fit_params = {k: _index_param(v, X, train) for k, v in (fit_params or {}).items()}
    score_params = score_params or {}
    train_score_params = {k: _index_param(v, X, train) for k, v in score_params.items()}
    test_score_params = {k: _index_param(v, X, test) for k, v in score_params.items()}
    if parameters is not None:
        estimator = estimator.set_params(**clone(parameters, safe=False))
    if verbose > 9 and parameters is not None:
        print(f"[CV{_progress(split_progress, candidate_progress)}] START "
              + ", ".join(f"{k}={v}" for k, v in sorted(parameters.items())))

    X_train, y_train = _safe_split(estimator, X, y, train)
    X_test, y_test = _safe_split(estimator, X, y, test, train)
    result: dict[str, Any] = {}
    start = time.time()
    try:
        if y_train is None:
            estimator.fit(X_train, **fit_params)
        else:
            estimator.fit(X_train, y_train, **fit_params)
    except Exception:
        fit_time = time.time() - start
        score_time = 0.0
        if error_score == "raise":
            raise
        if isinstance(scorer, _MultimetricScorer):
            test_scores = {name: error_score for name in scorer._scorers}
        else:
            test_scores = error_score
        train_scores = test_scores
        result["fit_error"] = traceback.format_exc()
    else:
        result["fit_error"] = None
        fit_time = time.time() - start
        test_scores = _score(estimator, X_test, y_test, scorer, test_score_params, error_score)
        score_time = time.time() - start - fit_time
        if return_train_score:
            train_scores = _score(estimator, X_train, y_train, scorer, train_score_params, error_score)
    if verbose > 1:
        shown = f"score={test_scores:.3f}" if isinstance(test_scores, numbers.Number) else ""
        print(f"[CV{_progress(split_progress, candidate_progress)}] END {shown} total "
              f"time={fit_time + score_time:.1f}s")
    result["test_scores"] = test_scores
    if return_train_score:
        result["train_scores"] = train_scores
    if return_n_test_samples:
        result["n_test_samples"] = _num_samples(X_test)
    if return_times:
        result["fit_time"] = fit_time
        result["score_time"] = score_time
    if return_parameters:
        result["parameters"] = parameters
    if return_estimator:
        result["estimator"] = estimator
    return result


def _progress(split_progress: Any, candidate_progress: Any) -> str:
    text = ""
    if split_progress is not None:
        text += f" {split_progress[0] + 1}/{split_progress[1]}"
    if candidate_progress is not None:
        text += f"; {candidate_progress[0] + 1}/{candidate_progress[1]}"
    return text


def _index_param(value: Any, X: Any, indices: np.ndarray) -> Any:
    """Rows ``indices`` of a per-sample parameter (same length as ``X``); anything else as it is."""
    if (hasattr(value, "__len__") or sp.issparse(value)) and not isinstance(value, (str, dict)) \
            and hasattr(X, "__len__") and _num_samples(value) == _num_samples(X):
        return _safe_indexing(value, indices)
    return value


def _warn_or_raise_about_fit_failures(results: list[dict], error_score: Any) -> None:
    """Summarises failed fits: an error when all failed, otherwise a ``FitFailedWarning``.

    Raises:
        ValueError: every fit failed.
    """
    errors = [r["fit_error"] for r in results if r["fit_error"] is not None]
    if not errors:
        return
    n_failed, n_fits = len(errors), len(results)
    details = "\n".join(f"\n{'-' * 80}\n{count} fits failed with the following error:\n{err}"
                        for err, count in Counter(errors).items())
    if n_failed == n_fits:
        raise ValueError(f"\nAll the {n_fits} fits failed.\nIt is very likely that your model is "
                         "misconfigured.\nYou can try to debug the error by setting "
                         f"error_score='raise'.\n\nBelow are more details about the failures:\n{details}")
    warnings.warn(f"\n{n_failed} fits failed out of a total of {n_fits}.\nThe score on these train-test "
                  f"partitions for these parameters will be set to {error_score}.\nIf these failures are not "
                  "expected, you can try to debug them by setting error_score='raise'.\n\nBelow are more "
                  f"details about the failures:\n{details}", FitFailedWarning, stacklevel=3)


def _aggregate(dicts: list[dict]) -> dict[str, Any]:
    """List of per-split dicts to a dict of per-split arrays (nested score dicts become dicts of arrays)."""
    out: dict[str, Any] = {}
    for key in dicts[0]:
        values = [d[key] for d in dicts]
        if isinstance(values[0], dict):
            out[key] = {name: np.asarray([v[name] for v in values]) for name in values[0]}
        elif isinstance(values[0], numbers.Number):
            out[key] = np.asarray(values)
        else:
            out[key] = values
    return out


def cross_validate(estimator: Any, X: Any, y: Any = None, *, groups: Any = None, scoring: Any = None,
                   cv: Any = None, n_jobs: int | None = None, verbose: int = 0, params: dict | None = None,
                   pre_dispatch: Any = "2*n_jobs", return_train_score: bool = False,
                   return_estimator: bool = False, return_indices: bool = False,
                   error_score: Any = np.nan) -> dict[str, Any]:
    """Fits a clone of ``estimator`` per split and scores it with one or several metrics.

    Returns:
        A dict of per-split arrays: ``fit_time``, ``score_time``, ``test_score`` (or ``test_<name>`` per
        metric), and as requested ``train_*``, ``estimator`` and ``indices``.

    Raises:
        ValueError: every fit failed (otherwise failed fits score ``error_score`` with a warning).
    """
    X, y = indexable(X, y)
    params = params or {}
    cv = check_cv(cv, y, classifier=is_classifier(estimator))
    scorer = check_scoring(estimator, scoring=scoring, raise_exc=(error_score == "raise"))
    splits = list(cv.split(X, y, groups))
    tasks = [(clone(estimator), X, y, train, test) for train, test in splits]

    def run(est, X_, y_, train, test):
        return _fit_and_score(est, X_, y_, scorer=scorer, train=train, test=test, verbose=verbose,
                              fit_params=params, return_train_score=return_train_score, return_times=True,
                              return_estimator=return_estimator, error_score=error_score)

    results = _parallel_map(run, tasks, n_jobs, pre_dispatch, verbose)
    _warn_or_raise_about_fit_failures(results, error_score)
    _insert_error_scores(results, error_score)
    agg = _aggregate(results)
    out: dict[str, Any] = {"fit_time": agg["fit_time"], "score_time": agg["score_time"]}
    if return_estimator:
        out["estimator"] = agg["estimator"]
    if return_indices:
        out["indices"] = {"train": [s[0] for s in splits], "test": [s[1] for s in splits]}
    prefixes = ("test", "train") if return_train_score else ("test",)
    per_prefix = {p: agg[f"{p}_scores"] if isinstance(agg[f"{p}_scores"], dict)
                  else {"score": np.asarray(agg[f"{p}_scores"], dtype=np.float64)} for p in prefixes}
    for name in per_prefix["test"]:
        for prefix in prefixes:
            out[f"{prefix}_{name}"] = per_prefix[prefix][name]
    return out


def _insert_error_scores(results: list[dict], error_score: Any) -> None:
    """Gives failed fits a dict of ``error_score`` with the same metric names as the successful ones."""
    names = next((r["test_scores"].keys() for r in results if isinstance(r["test_scores"], dict)), None)
    if names is None:
        return
    for r in results:
        for key in ("test_scores", "train_scores"):
            if key in r and not isinstance(r[key], dict):
                r[key] = dict.fromkeys(names, error_score)


def cross_val_score(estimator: Any, X: Any, y: Any = None, *, groups: Any = None, scoring: Any = None,
                    cv: Any = None, n_jobs: int | None = None, verbose: int = 0, params: dict | None = None,
                    pre_dispatch: Any = "2*n_jobs", error_score: Any = np.nan) -> np.ndarray:
    """Test score of each cross-validation split for a single metric.

    Raises:
        ValueError: ``scoring`` names several metrics, or every fit failed.
    """
    if isinstance(scoring, (list, tuple, set, dict)):
        from ..metrics import get_scorer_names

        raise ValueError("The 'scoring' parameter of cross_val_score must be a str among "
                         f"{set(get_scorer_names())}, a callable or None. Got {scoring!r} instead.")
    results = cross_validate(estimator, X, y, groups=groups, scoring=scoring, cv=cv, n_jobs=n_jobs,
                             verbose=verbose, params=params, pre_dispatch=pre_dispatch,
                             error_score=error_score)
    return results["test_score"]


_PROBA_METHODS = ("decision_function", "predict_proba", "predict_log_proba")


def cross_val_predict(estimator: Any, X: Any, y: Any = None, *, groups: Any = None, cv: Any = None,
                      n_jobs: int | None = None, verbose: int = 0, params: dict | None = None,
                      pre_dispatch: Any = "2*n_jobs", method: str = "predict") -> np.ndarray:
    """Out-of-fold output of ``method`` for every sample (each predicted by the model that did not see it).

    Raises:
        ValueError: the splits do not partition the samples.
    """
    X, y = indexable(X, y)
    params = params or {}
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    splits = list(splitter.split(X, y, groups))
    test_indices = np.concatenate([test for _, test in splits])
    n_samples = _num_samples(X)
    if not (len(test_indices) == n_samples and np.array_equal(np.sort(test_indices), np.arange(n_samples))):
        raise ValueError("cross_val_predict only works for partitions")
    encode = method in _PROBA_METHODS and is_classifier(estimator) and y is not None
    n_classes = None
    if encode:
        y_arr = np.asarray(y)
        if y_arr.ndim == 1:
            classes, y = np.unique(y_arr, return_inverse=True)
            n_classes = len(classes)
        else:
            raise NotImplementedError(f"cross_val_predict with a multi-output y and method={method!r} is not "
                                      "supported yet")

    def run(est, train, test):
        X_train, y_train = _safe_split(est, X, y, train)
        X_test, _ = _safe_split(est, X, y, test, train)
        fit_params = {k: _index_param(v, X, train) for k, v in params.items()}
        if y_train is None:
            est.fit(X_train, **fit_params)
        else:
            est.fit(X_train, y_train, **fit_params)
        predictions = getattr(est, method)(X_test)
        if encode:
            predictions = _enforce_prediction_order(est.classes_, predictions, n_classes, method)
        return predictions

    predictions = _parallel_map(run, [(clone(estimator), train, test) for train, test in splits], n_jobs,
                                pre_dispatch, verbose)
    inverse = np.empty(len(test_indices), dtype=int)
    inverse[test_indices] = np.arange(len(test_indices))
    if sp.issparse(predictions[0]):
        stacked = sp.vstack(predictions, format=predictions[0].format)
    else:
        stacked = np.concatenate(predictions)
    return stacked[inverse]


def _enforce_prediction_order(classes: np.ndarray, predictions: np.ndarray, n_classes: int,
                              method: str) -> np.ndarray:
    """Places a fold's per-class columns at the positions of the full class list (missing classes filled).

    Raises:
        ValueError: a fold saw only 2 classes of more than 2 and ``method`` is ``decision_function``.
    """
    if n_classes == len(classes):
        return predictions
    warnings.warn(f"Number of classes in training fold ({len(classes)}) does not match total number of "
                  f"classes ({n_classes}). Results may not be appropriate for your use case. To fix this, "
                  "use a cross-validation technique resulting in properly stratified folds", RuntimeWarning,
                  stacklevel=3)
    if method == "decision_function" and (predictions.ndim == 1 or predictions.shape[1] != len(classes)):
        raise ValueError(f"Output shape {predictions.shape} of {method} does not match number of classes "
                         f"({len(classes)}) in fold. Irregular decision_function outputs are not currently "
                         "supported by cross_val_predict")
    fill = 0.0 if method == "predict_proba" else np.finfo(predictions.dtype).min
    full = np.full((predictions.shape[0], n_classes), fill, dtype=predictions.dtype)
    full[:, np.asarray(classes, dtype=int)] = predictions
    return full


def _translate_train_sizes(train_sizes: Any, n_max: int) -> np.ndarray:
    """Fractions of (or absolute) training set sizes as unique absolute sizes.

    Raises:
        ValueError: sizes out of (0, 1] as fractions or out of (0, n_max] as counts.
    """
    sizes = np.asarray(train_sizes)
    n_ticks = sizes.shape[0]
    low, high = np.min(sizes), np.max(sizes)
    if np.issubdtype(sizes.dtype, np.floating):
        if low <= 0.0 or high > 1.0:
            raise ValueError("train_sizes has been interpreted as fractions of the maximum number of "
                             f"training samples and must be within (0, 1], but is within [{low:f}, "
                             f"{high:f}].")
        sizes = np.clip((sizes * n_max).astype(dtype=int, copy=False), 1, n_max)
    elif low <= 0 or high > n_max:
        raise ValueError("train_sizes has been interpreted as absolute numbers of training samples and must "
                         f"be within (0, {n_max}], but is within [{low}, {high}].")
    sizes = np.unique(sizes)
    if n_ticks > sizes.shape[0]:
        warnings.warn("Removed duplicate entries from 'train_sizes'. Number of ticks will be less than the "
                      f"size of 'train_sizes': {sizes.shape[0]} instead of {n_ticks}).", RuntimeWarning,
                      stacklevel=3)
    return sizes


def learning_curve(estimator: Any, X: Any, y: Any, *, groups: Any = None,
                   train_sizes: Any = np.linspace(0.1, 1.0, 5), cv: Any = None, scoring: Any = None,  # noqa: B008
                   exploit_incremental_learning: bool = False, n_jobs: int | None = None,
                   pre_dispatch: Any = "all", verbose: int = 0, shuffle: bool = False,
                   random_state: Any = None,
                   error_score: Any = np.nan, return_times: bool = False, params: dict | None = None):
    """Training and test scores for growing training subsets of each split.

    Returns:
        ``(train_sizes_abs, train_scores, test_scores[, fit_times, score_times])``; score arrays have shape
        ``(n_ticks, n_splits)``.
    """
    if exploit_incremental_learning:
        raise NotImplementedError("exploit_incremental_learning is not supported yet")
    from ..utils.validation import check_random_state

    X, y = indexable(X, y)
    params = params or {}
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    splits = list(splitter.split(X, y, groups))
    scorer = check_scoring(estimator, scoring=scoring)
    if shuffle:
        rng = check_random_state(random_state)
        splits = [(rng.permutation(train), test) for train, test in splits]
    sizes = _translate_train_sizes(train_sizes, len(splits[0][0]))
    tasks = [(clone(estimator), train[:n], test) for train, test in splits for n in sizes]

    def run(est, train, test):
        return _fit_and_score(est, X, y, scorer=scorer, train=train, test=test, verbose=verbose,
                              fit_params=params, return_train_score=True, return_times=True,
                              error_score=error_score)

    results = _parallel_map(run, tasks, n_jobs, pre_dispatch, verbose)
    _warn_or_raise_about_fit_failures(results, error_score)
    agg = _aggregate(results)
    n_splits = len(splits)

    def grid(values: Any) -> np.ndarray:
        return np.asarray(values, dtype=np.float64).reshape(n_splits, len(sizes)).T

    out = [sizes, grid(agg["train_scores"]), grid(agg["test_scores"])]
    if return_times:
        out += [grid(agg["fit_time"]), grid(agg["score_time"])]
    return tuple(out)


def validation_curve(estimator: Any, X: Any, y: Any, *, param_name: str, param_range: Any, groups: Any = None,
                     cv: Any = None, scoring: Any = None, n_jobs: int | None = None,
                     pre_dispatch: Any = "all",
                     verbose: int = 0, error_score: Any = np.nan, params: dict | None = None):
    """Training and test scores of each split for every value of one hyper-parameter.

    Returns:
        ``(train_scores, test_scores)`` of shape ``(len(param_range), n_splits)``.
    """
    X, y = indexable(X, y)
    params = params or {}
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    scorer = check_scoring(estimator, scoring=scoring)
    splits = list(splitter.split(X, y, groups))
    tasks = [(clone(estimator), train, test, value) for train, test in splits for value in param_range]

    def run(est, train, test, value):
        return _fit_and_score(est, X, y, scorer=scorer, train=train, test=test, verbose=verbose,
                              parameters={param_name: value}, fit_params=params, return_train_score=True,
                              error_score=error_score)

    results = _parallel_map(run, tasks, n_jobs, pre_dispatch, verbose)
    _warn_or_raise_about_fit_failures(results, error_score)
    agg = _aggregate(results)
    n_params = len(param_range)
    train = np.asarray(agg["train_scores"], dtype=np.float64).reshape(-1, n_params).T
    test = np.asarray(agg["test_scores"], dtype=np.float64).reshape(-1, n_params).T
    return train, test
