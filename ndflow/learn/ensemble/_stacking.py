"""Stacked generalisation: a final estimator fitted on the out-of-fold outputs of the base estimators."""
from __future__ import annotations

from copy import deepcopy
from typing import Any

import numpy as np

from ..base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    TransformerMixin,
    clone,
    is_classifier,
    is_regressor,
)
from ..utils import Bunch
from ..utils.multiclass import check_classification_targets
from ..utils.validation import _check_feature_names_in, check_is_fitted, column_or_1d

__all__ = ["StackingClassifier", "StackingRegressor"]


class _BaseStacking(MetaEstimatorMixin, TransformerMixin, BaseEstimator):
    """Fits the base estimators on all data and the final estimator on their cross-validated outputs."""

    _METHODS: tuple = ("predict",)

    def _check_estimators(self) -> list:
        if not self.estimators:
            raise ValueError("Invalid 'estimators' attribute, 'estimators' should be a non-empty list of "
                             "(string, estimator) tuples.")
        names = [name for name, _ in self.estimators]
        if len(set(names)) != len(names):
            raise ValueError(f"Names provided are not unique: {names!r}")
        if any("__" in name for name in names):
            raise ValueError(f"Estimator names must not contain __: got {names!r}")
        if all(est == "drop" for _, est in self.estimators):
            raise ValueError("All estimators are dropped. At least one is required to be an estimator.")
        return list(self.estimators)

    def _method_for(self, name: str, est: Any, method: str) -> str:
        if method == "auto":
            for candidate in self._METHODS:
                if hasattr(est, candidate):
                    return candidate
            raise ValueError(f"Underlying estimator {name} does not implement any of {self._METHODS}.")
        if not hasattr(est, method):
            raise ValueError(f"Underlying estimator {name} does not implement the method {method}.")
        return method

    def _fit_stack(self, X: Any, y: np.ndarray, sample_weight: Any, default_final: Any) -> None:
        from ..model_selection import check_cv, cross_val_predict

        all_estimators = self._check_estimators()
        if self.stack_method not in ("auto", "predict_proba", "decision_function", "predict"):
            raise ValueError(f"The 'stack_method' parameter of {type(self).__name__} must be a str among "
                             f"{{'auto', 'predict_proba', 'decision_function', 'predict'}}. "
                             f"Got {self.stack_method!r} instead.")
        kept = [(n, e) for n, e in all_estimators if e != "drop"]
        fit_params = {} if sample_weight is None else {"sample_weight": sample_weight}
        if isinstance(self.cv, str) and self.cv == "prefit":
            self.estimators_ = [e for _, e in kept]
        else:
            self.estimators_ = [clone(e).fit(X, y, **fit_params) for _, e in kept]
        self.named_estimators_ = Bunch()
        fitted = iter(self.estimators_)
        for name, est in all_estimators:
            self.named_estimators_[name] = "drop" if est == "drop" else next(fitted)
        self.stack_method_ = [self._method_for(n, e, self.stack_method) for n, e in kept]
        if isinstance(self.cv, str) and self.cv == "prefit":
            preds = [getattr(e, m)(X) for e, m in zip(self.estimators_, self.stack_method_)]
        else:
            cv = check_cv(self.cv, y=y, classifier=isinstance(self, ClassifierMixin))
            if getattr(cv, "random_state", 0) is None:
                cv.random_state = np.random.RandomState()
            preds = [cross_val_predict(clone(e), X, y, cv=deepcopy(cv), method=m, n_jobs=self.n_jobs,
                                       params=fit_params or None, verbose=self.verbose)
                     for (_, e), m in zip(kept, self.stack_method_)]
        X_meta = self._concatenate(X, preds)
        final = default_final if self.final_estimator is None else self.final_estimator
        wanted, check = ("classifier", is_classifier) if isinstance(self, ClassifierMixin) else \
            ("regressor", is_regressor)
        if not check(final):
            raise ValueError(f"'final_estimator' parameter should be a {wanted}. Got {final}")
        self.final_estimator_ = clone(final).fit(X_meta, y, **fit_params)
        first = self.estimators_[0]
        for attr in ("n_features_in_", "feature_names_in_"):
            if hasattr(first, attr):
                setattr(self, attr, getattr(first, attr))

    def _concatenate(self, X: Any, preds: list) -> np.ndarray:
        cols = []
        for method, p in zip(self.stack_method_, preds):
            p = np.asarray(p)
            if p.ndim == 1:
                p = p.reshape(-1, 1)
            elif method == "predict_proba" and getattr(self, "classes_", None) is not None \
                    and len(self.classes_) == 2:
                p = p[:, 1:]
            cols.append(p)
        self._n_feature_outs = [c.shape[1] for c in cols]
        if self.passthrough:
            Xa = np.asarray(X.toarray() if hasattr(X, "toarray") else X)
            cols.append(Xa.reshape(Xa.shape[0], -1))
        return np.hstack(cols)

    def transform(self, X: Any) -> np.ndarray:
        """The stacked features (base estimator outputs, plus ``X`` when ``passthrough``)."""
        check_is_fitted(self)
        return self._concatenate(X, [getattr(e, m)(X) for e, m in zip(self.estimators_, self.stack_method_)])


    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``<classname>_<estimator>[i]`` per stacked column, then the input names when ``passthrough``."""
        check_is_fitted(self, "n_features_in_")
        input_features = _check_feature_names_in(self, input_features, generate_names=self.passthrough)
        prefix = type(self).__name__.lower()
        kept = [name for name, est in self.estimators if est != "drop"]
        names = []
        for name, n_out in zip(kept, self._n_feature_outs):
            names.extend([f"{prefix}_{name}"] if n_out == 1 else [f"{prefix}_{name}{i}" for i in range(n_out)])
        if self.passthrough:
            return np.concatenate((np.asarray(names, dtype=object), np.asarray(input_features, dtype=object)))
        return np.asarray(names, dtype=object)


class StackingClassifier(ClassifierMixin, _BaseStacking):
    """Stack of classifiers; the final estimator (default ``LogisticRegression()``) combines their outputs.

    ``stack_method="auto"`` uses ``predict_proba``, else ``decision_function``, else ``predict`` per estimator;
    for two classes only the positive-class probability column is kept.
    """

    _METHODS = ("predict_proba", "decision_function", "predict")

    def __init__(self, estimators: list, final_estimator: Any = None, *, cv: Any = None,
                 stack_method: str = "auto", n_jobs: int | None = None, passthrough: bool = False,
                 verbose: int = 0):
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.cv = cv
        self.stack_method = stack_method
        self.n_jobs = n_jobs
        self.passthrough = passthrough
        self.verbose = verbose

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **fit_params: Any) -> StackingClassifier:
        """Fits the base classifiers and the final classifier on their out-of-fold outputs."""
        from ..linear_model import LogisticRegression

        check_classification_targets(y)
        y = column_or_1d(y, warn=True)
        self.classes_, y_enc = np.unique(y, return_inverse=True)
        self._fit_stack(X, y_enc, sample_weight, LogisticRegression())
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Class labels predicted by the final estimator."""
        check_is_fitted(self)
        return self.classes_[np.asarray(self.final_estimator_.predict(self.transform(X)), dtype=np.intp)]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities of the final estimator."""
        check_is_fitted(self)
        return self.final_estimator_.predict_proba(self.transform(X))

    def decision_function(self, X: Any) -> np.ndarray:
        """Decision function of the final estimator."""
        check_is_fitted(self)
        return self.final_estimator_.decision_function(self.transform(X))


class StackingRegressor(RegressorMixin, _BaseStacking):
    """Stack of regressors; the final estimator (default ``RidgeCV()``) combines their predictions."""

    def __init__(self, estimators: list, final_estimator: Any = None, *, cv: Any = None, n_jobs: int | None = None,
                 passthrough: bool = False, verbose: int = 0):
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.cv = cv
        self.n_jobs = n_jobs
        self.passthrough = passthrough
        self.verbose = verbose

    stack_method = "predict"

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **fit_params: Any) -> StackingRegressor:
        """Fits the base regressors and the final regressor on their out-of-fold predictions."""
        from ..linear_model import RidgeCV

        y = column_or_1d(y, warn=True)
        self._fit_stack(X, y, sample_weight, RidgeCV())
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Predictions of the final estimator."""
        check_is_fitted(self)
        return self.final_estimator_.predict(self.transform(X))
