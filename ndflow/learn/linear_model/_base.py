"""Ordinary least squares and the pieces every linear model shares.

Shared pieces: centring and sample-weight rescaling of the data, the linear decision function, the
classifier mixin turning scores into labels, classification-target checks and K-fold splits for the
``*CV`` estimators.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..._core.backend import get_namespace
from ..base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin
from ..utils.validation import _check_sample_weight, check_is_fitted, validate_data

__all__ = ["LinearRegression", "LinearModel", "LinearClassifierMixin"]


def preprocess_data(X, y, fit_intercept: bool, sample_weight=None):
    """Centres ``X`` and ``y`` on their (weighted) means when fitting an intercept.

    Returns:
        ``(X_centred, y_centred, X_offset, y_offset)``; offsets are zeros without an intercept.
    """
    xp = get_namespace(X)
    if fit_intercept:
        X_offset = xp.average(X, axis=0, weights=sample_weight)
        y_offset = xp.average(y, axis=0, weights=sample_weight)
        return X - X_offset, y - y_offset, X_offset, y_offset
    y_offset = xp.zeros(y.shape[1:], dtype=X.dtype) if y.ndim > 1 else 0.0
    return X, y, xp.zeros(X.shape[1], dtype=X.dtype), y_offset


def rescale_data(X, y, sample_weight):
    """Scales the rows of ``X`` and ``y`` by ``sqrt(sample_weight)``: weighted least squares becomes plain."""
    xp = get_namespace(X)
    root = xp.sqrt(sample_weight)
    y_scaled = y * root[:, None] if y.ndim > 1 else y * root
    return X * root[:, None], y_scaled, root


def check_classification_targets(y) -> None:
    """Raises ValueError when ``y`` looks like a regression target (non-integral floats).

    Raises:
        ValueError: ``Unknown label type: continuous...``.
    """
    y = np.asarray(y)
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        kind = "continuous-multioutput" if y.ndim > 1 and y.shape[1] > 1 else "continuous"
        raise ValueError(
            f"Unknown label type: {kind}. Maybe you are trying to fit a classifier, which expects discrete "
            "classes on a regression target with continuous values."
        )


def class_weight_per_sample(class_weight, classes: np.ndarray, y_encoded: np.ndarray,
                            sample_weight=None) -> np.ndarray:
    """Expands ``class_weight`` (None, ``"balanced"`` or ``{label: weight}``) to one weight per sample.

    Raises:
        ValueError: a label in the dict that is not among ``classes``.
    """
    weights = compute_class_weight(class_weight, classes, y_encoded, sample_weight)
    return weights[y_encoded]


def compute_class_weight(class_weight, classes: np.ndarray, y_encoded: np.ndarray,
                         sample_weight=None) -> np.ndarray:
    """Returns one weight per class; ``"balanced"`` gives ``total weight / (n_classes * class weight)``."""
    if class_weight is None or (isinstance(class_weight, dict) and not class_weight):
        return np.ones(len(classes))
    if isinstance(class_weight, str) and class_weight == "balanced":
        counts = np.bincount(y_encoded, weights=sample_weight, minlength=len(classes)).astype(np.float64)
        return counts.sum() / (len(classes) * counts)
    if not isinstance(class_weight, dict):
        raise ValueError(
            f"The 'class_weight' parameter must be a str among {{'balanced'}}, a dict or None. "
            f"Got {class_weight!r} instead."
        )
    weights = np.ones(len(classes))
    for label, w in class_weight.items():
        idx = np.flatnonzero(classes == label)
        if idx.size == 0:
            raise ValueError(f"The classes, {list(class_weight)}, are not in class, {list(classes)}")
        weights[idx[0]] = w
    return weights


def kfold_splits(cv, X, y=None, *, classifier: bool = False) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``(train, test)`` index pairs of ``cv`` as ``model_selection.check_cv`` interprets it.

    Raises:
        ValueError: more folds than samples.
    """
    from ..model_selection import check_cv

    return list(check_cv(cv, y, classifier=classifier).split(X, y))


class LinearModel(BaseEstimator):
    """Base of linear models: ``predict`` is ``X @ coef_.T + intercept_``."""

    def _decision_function(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return X @ np.asarray(self.coef_).T + self.intercept_

    def predict(self, X) -> np.ndarray:
        """Predicts targets with the fitted linear model."""
        return self._decision_function(X)

    def _set_intercept(self, X_offset, y_offset) -> None:
        if self.fit_intercept:
            self.intercept_ = y_offset - X_offset @ np.asarray(self.coef_).T
        else:
            self.intercept_ = 0.0 if np.ndim(y_offset) == 0 else np.zeros_like(np.asarray(y_offset, float))


class LinearClassifierMixin(ClassifierMixin):
    """Classifier side of linear models: scores, labels and logistic probabilities."""

    def decision_function(self, X) -> np.ndarray:
        """Confidence scores: signed distance-like scores, 1-D for two classes.

        Raises:
            NotFittedError: before ``fit``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict(self, X) -> np.ndarray:
        """Predicts class labels: positive score means ``classes_[1]``; argmax for several classes."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            indices = (scores > 0).astype(int)
        else:
            indices = scores.argmax(axis=1)
        return self.classes_[indices]

    def _predict_proba_lr(self, X) -> np.ndarray:
        """One-vs-rest logistic probabilities, normalised to sum to one."""
        from scipy.special import expit

        prob = expit(self.decision_function(X))
        if prob.ndim == 1:
            return np.column_stack([1 - prob, prob])
        return prob / prob.sum(axis=1, keepdims=True)


class SparseCoefMixin:
    """``densify``/``sparsify`` for models with ``coef_``."""

    def densify(self):
        """Converts ``coef_`` to a dense array; returns self."""
        import scipy.sparse as sp

        check_is_fitted(self)
        if sp.issparse(self.coef_):
            self.coef_ = self.coef_.toarray()
        return self

    def sparsify(self):
        """Converts ``coef_`` to a CSR matrix; returns self."""
        import scipy.sparse as sp

        check_is_fitted(self)
        self.coef_ = sp.csr_matrix(self.coef_)
        return self


class LinearRegression(MultiOutputMixin, RegressorMixin, LinearModel):
    """Ordinary least squares: minimises ``||y - X w - b||²`` with ``scipy.linalg.lstsq``.

    With ``positive=True`` the coefficients are constrained to be non-negative (``scipy.optimize.nnls``).
    """

    def __init__(self, *, fit_intercept: bool = True, copy_X: bool = True, tol: float = 1e-6,
                 n_jobs: Any = None, positive: bool = False) -> None:
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.tol = tol
        self.n_jobs = n_jobs
        self.positive = positive

    def fit(self, X, y, sample_weight=None) -> LinearRegression:
        """Fits the least-squares solution (minimum-norm when ``X`` is rank deficient)."""
        import scipy.linalg
        import scipy.optimize

        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        y = np.asarray(y, dtype=X.dtype)
        has_sw = sample_weight is not None
        if has_sw:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        Xc, yc, X_offset, y_offset = preprocess_data(X, y, self.fit_intercept, sample_weight)
        if has_sw:
            Xc, yc, _ = rescale_data(Xc, yc, sample_weight)
        if self.positive:
            targets = yc if yc.ndim > 1 else yc[:, None]
            coef = np.column_stack([scipy.optimize.nnls(Xc, targets[:, k])[0]
                                    for k in range(targets.shape[1])]).T
            self.coef_ = coef if yc.ndim > 1 else coef.ravel()
        else:
            coef, _, self.rank_, self.singular_ = scipy.linalg.lstsq(Xc, yc, cond=self.tol)
            self.coef_ = coef.T
        self._set_intercept(X_offset, y_offset)
        return self
