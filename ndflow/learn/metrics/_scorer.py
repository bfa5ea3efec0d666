"""Scorers: callables ``scorer(estimator, X, y)`` that turn a metric into "greater is better" scores."""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from ..base import is_classifier
from . import _classification as clf
from . import _ranking as rank
from . import _regression as reg
from . import cluster

__all__ = ["make_scorer", "get_scorer", "get_scorer_names", "check_scoring"]


def _select_method(estimator: Any, response_method: str | tuple) -> Callable:
    """The first of ``response_method``'s methods that ``estimator`` has.

    Raises:
        AttributeError: it has none of them.
    """
    names = (response_method,) if isinstance(response_method, str) else tuple(response_method)
    for name in names:
        method = getattr(estimator, name, None)
        if method is not None:
            return method
    raise AttributeError(f"{type(estimator).__name__} has none of the following attributes: "
                         f"{', '.join(names)}.")


def _response_values(estimator: Any, X: Any, method: Callable, pos_label: Any) -> Any:
    """Calls ``method`` and, for a binary classifier, reduces probabilities/decisions to ``pos_label``'s."""
    if not is_classifier(estimator):
        return method(X)
    classes = np.asarray(estimator.classes_)
    binary = classes.shape[0] <= 2
    if pos_label is not None and pos_label not in classes.tolist():
        raise ValueError(f"pos_label={pos_label} is not a valid label: It should be one of {classes}")
    if pos_label is None and binary:
        pos_label = classes[-1]
    y_pred = method(X)
    name = method.__name__
    if binary and name in ("predict_proba", "predict_log_proba"):
        return y_pred[:, np.flatnonzero(classes == pos_label)[0]]
    if binary and name == "decision_function" and pos_label == classes[0]:
        return -y_pred
    return y_pred


class _Scorer:
    """A metric applied to the output of one of the estimator's response methods."""

    def __init__(self, score_func: Callable, sign: int, kwargs: dict,
                 response_method: str | tuple = "predict"):
        self._score_func = score_func
        self._sign = sign
        self._kwargs = kwargs
        self._response_method = response_method

    def _get_pos_label(self) -> Any:
        if "pos_label" in self._kwargs:
            return self._kwargs["pos_label"]
        params = inspect.signature(self._score_func).parameters
        return params["pos_label"].default if "pos_label" in params else None

    def __repr__(self) -> str:
        parts = [self._score_func.__name__]
        if self._sign < 0:
            parts.append("greater_is_better=False")
        parts.append(f"response_method={self._response_method!r}")
        parts.extend(f"{k}={v}" for k, v in self._kwargs.items())
        return f"make_scorer({', '.join(parts)})"

    def __call__(self, estimator: Any, X: Any, y_true: Any, sample_weight: Any = None,
                 **kwargs: Any) -> float:
        """Scores ``estimator`` on ``X`` against ``y_true`` (sign-flipped when lower is better)."""
        return self._score(_MethodCache(), estimator, X, y_true, sample_weight=sample_weight, **kwargs)

    def _score(self, cache: _MethodCache, estimator: Any, X: Any, y_true: Any, sample_weight: Any = None,
               **kwargs: Any) -> float:
        pos_label = None if not is_classifier(estimator) else self._get_pos_label()
        method = _select_method(estimator, self._response_method)
        y_pred = cache.get(estimator, X, method, pos_label)
        score_kwargs = {**self._kwargs, **kwargs}
        if sample_weight is not None:
            score_kwargs["sample_weight"] = sample_weight
        return self._sign * self._score_func(y_true, y_pred, **score_kwargs)


class _MethodCache:
    """Remembers response values within one scoring call so that several metrics share a prediction."""

    def __init__(self):
        self._values: dict = {}

    def get(self, estimator: Any, X: Any, method: Callable, pos_label: Any) -> Any:
        key = (method.__name__, pos_label)
        if key not in self._values:
            self._values[key] = _response_values(estimator, X, method, pos_label)
        return self._values[key]


class _PassthroughScorer:
    """Scores with the estimator's own ``score`` method."""

    def __init__(self, estimator: Any):
        self._estimator = estimator

    def __call__(self, estimator: Any, *args: Any, **kwargs: Any) -> float:
        return estimator.score(*args, **kwargs)

    def __repr__(self) -> str:
        return f"{type(self._estimator).__name__}.score"


class _MultimetricScorer:
    """Several named scorers evaluated together; returns a dict of scores (or of exception messages)."""

    def __init__(self, *, scorers: dict[str, Callable], raise_exc: bool = True):
        self._scorers = scorers
        self._raise_exc = raise_exc

    def __call__(self, estimator: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        cache = _MethodCache()
        scores: dict[str, Any] = {}
        for name, scorer in self._scorers.items():
            try:
                if isinstance(scorer, _Scorer):
                    scores[name] = scorer._score(cache, estimator, *args, **kwargs)
                else:
                    scores[name] = scorer(estimator, *args, **kwargs)
            except Exception:
                if self._raise_exc:
                    raise
                import traceback

                scores[name] = traceback.format_exc()
        return scores


def make_scorer(score_func: Callable, *, response_method: str | tuple = "predict",
                greater_is_better: bool = True, **kwargs: Any) -> _Scorer:
    """Wraps a metric ``score_func(y_true, y_pred, **kwargs)`` into a scorer.

    Args:
        response_method: the estimator method giving ``y_pred`` (``"predict"``, ``"predict_proba"``,
            ``"decision_function"``), or a tuple of them tried in order.
        greater_is_better: False negates the metric, so that higher scores are still better.
    """
    return _Scorer(score_func, 1 if greater_is_better else -1, kwargs, response_method)


_PROBA_OR_DECISION = ("decision_function", "predict_proba")

_SCORERS: dict[str, _Scorer] = {
    "explained_variance": make_scorer(reg.explained_variance_score),
    "r2": make_scorer(reg.r2_score),
    "neg_max_error": make_scorer(reg.max_error, greater_is_better=False),
    "neg_mean_absolute_error": make_scorer(reg.mean_absolute_error, greater_is_better=False),
    "neg_mean_absolute_percentage_error": make_scorer(reg.mean_absolute_percentage_error,
                                                      greater_is_better=False),
    "neg_mean_squared_error": make_scorer(reg.mean_squared_error, greater_is_better=False),
    "neg_mean_squared_log_error": make_scorer(reg.mean_squared_log_error, greater_is_better=False),
    "neg_median_absolute_error": make_scorer(reg.median_absolute_error, greater_is_better=False),
    "neg_root_mean_squared_error": make_scorer(reg.root_mean_squared_error, greater_is_better=False),
    "accuracy": make_scorer(clf.accuracy_score),
    "balanced_accuracy": make_scorer(clf.balanced_accuracy_score),
    "matthews_corrcoef": make_scorer(clf.matthews_corrcoef),
    "neg_log_loss": make_scorer(clf.log_loss, response_method="predict_proba", greater_is_better=False),
    "roc_auc": make_scorer(rank.roc_auc_score, response_method=_PROBA_OR_DECISION),
    "roc_auc_ovr": make_scorer(rank.roc_auc_score, response_method="predict_proba", multi_class="ovr"),
    "roc_auc_ovo": make_scorer(rank.roc_auc_score, response_method="predict_proba", multi_class="ovo"),
    "roc_auc_ovr_weighted": make_scorer(rank.roc_auc_score, response_method="predict_proba",
                                        multi_class="ovr", average="weighted"),
    "roc_auc_ovo_weighted": make_scorer(rank.roc_auc_score, response_method="predict_proba",
                                        multi_class="ovo", average="weighted"),
    "average_precision": make_scorer(rank.average_precision_score, response_method=_PROBA_OR_DECISION),
    "adjusted_rand_score": make_scorer(cluster.adjusted_rand_score),
    "rand_score": make_scorer(cluster.rand_score),
    "mutual_info_score": make_scorer(cluster.mutual_info_score),
    "adjusted_mutual_info_score": make_scorer(cluster.adjusted_mutual_info_score),
    "normalized_mutual_info_score": make_scorer(cluster.normalized_mutual_info_score),
    "homogeneity_score": make_scorer(cluster.homogeneity_score),
    "completeness_score": make_scorer(cluster.completeness_score),
    "v_measure_score": make_scorer(cluster.v_measure_score),
    "fowlkes_mallows_score": make_scorer(cluster.fowlkes_mallows_score),
    "top_k_accuracy": make_scorer(rank.top_k_accuracy_score, response_method=_PROBA_OR_DECISION),
}
for _name, _metric in (("precision", clf.precision_score), ("recall", clf.recall_score),
                       ("f1", clf.f1_score), ("jaccard", clf.jaccard_score)):
    _SCORERS[_name] = make_scorer(_metric, average="binary")
    for _average in ("macro", "micro", "samples", "weighted"):
        _SCORERS[f"{_name}_{_average}"] = make_scorer(_metric, pos_label=None, average=_average)


def get_scorer_names() -> list[str]:
    """Names accepted by ``get_scorer`` and as ``scoring=`` strings."""
    return sorted(_SCORERS)


def get_scorer(scoring: Any) -> Any:
    """The scorer named ``scoring`` (a copy); callables and None pass through unchanged.

    Raises:
        ValueError: an unknown name.
    """
    if isinstance(scoring, str):
        if scoring not in _SCORERS:
            raise ValueError(f"{scoring!r} is not a valid scoring value. Use "
                             "sklearn.metrics.get_scorer_names() to get valid options.")
        import copy

        return copy.deepcopy(_SCORERS[scoring])
    return scoring


def check_scoring(estimator: Any = None, scoring: Any = None, *, allow_none: bool = False,
                  raise_exc: bool = True) -> Any:
    """Turns ``scoring`` (None, a name, a callable, or a list/tuple/set/dict of them) into a scorer.

    With ``scoring=None``, the estimator's own ``score`` method is used.

    Raises:
        TypeError: ``scoring`` is None and the estimator has no ``score`` method (unless ``allow_none``).
        ValueError: an unknown name, a bare metric function, or an invalid multi-metric specification.
    """
    if isinstance(scoring, str):
        return get_scorer(scoring)
    if callable(scoring):
        module = getattr(scoring, "__module__", None) or ""
        if (module.startswith(("ndflow.learn.metrics.", "sklearn.metrics.")) and
                not module.endswith(("_scorer", "tests")) and not isinstance(scoring, _Scorer)):
            raise ValueError(f"scoring value {scoring!r} looks like it is a metric function rather than a "
                             "scorer. A scorer should require an estimator as its first parameter. Please "
                             "use `make_scorer` to convert a metric to a scorer.")
        return get_scorer(scoring)
    if isinstance(scoring, (list, tuple, set, dict)):
        return _MultimetricScorer(scorers=_check_multimetric_scoring(estimator, scoring), raise_exc=raise_exc)
    if scoring is None:
        if hasattr(estimator, "score"):
            return _PassthroughScorer(estimator)
        if allow_none:
            return None
        raise TypeError("If no scoring is specified, the estimator passed should have a 'score' method. The "
                        f"estimator {estimator!r} does not.")
    raise ValueError(f"scoring value should either be a callable, string or None. {scoring!r} was passed")


def _check_multimetric_scoring(estimator: Any, scoring: Any) -> dict[str, Callable]:
    """Validates a list/tuple/set of names or a dict ``name -> scorer`` as a dict of scorers.

    Raises:
        ValueError: empty, duplicated or non-string entries.
    """
    err = (f"scoring is invalid (got {scoring!r}). Refer to the scoring glossary for details: "
           "https://scikit-learn.org/stable/glossary.html#term-scoring")
    if isinstance(scoring, (list, tuple, set)):
        keys = list(scoring)
        if len(keys) == 0 or len(set(keys)) != len(keys):
            raise ValueError(err)
        if not all(isinstance(k, str) for k in keys):
            if any(callable(k) for k in keys):
                raise ValueError(err + " One or more of the elements were callables. Use a dict of score "
                                       "name mapped to the scorer callable.")
            raise ValueError(err + f" Non-string types were found in the given list. Got {keys!r}")
        return {name: check_scoring(estimator, scoring=name) for name in keys}
    if not scoring or not all(isinstance(k, str) for k in scoring):
        raise ValueError(err)
    return {name: check_scoring(estimator, scoring=value) for name, value in scoring.items()}
