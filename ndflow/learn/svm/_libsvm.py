"""Kernel SVMs in the LIBSVM layout: ``SVC`` (one-vs-one) and ``SVR`` trained by ``_smo.solve_smo``.

Fitted attributes follow LIBSVM/scikit-learn: support vectors grouped by class, ``dual_coef_`` of shape
``(n_classes - 1, n_SV)`` where the coefficients of a class's vectors in the ``(a, b)`` classifier sit
in the row of the other class, ``intercept_ = -rho``; for two classes the signs are flipped so that a
positive decision means ``classes_[1]``.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, RegressorMixin
from ..exceptions import ConvergenceWarning, NotFittedError
from ..linear_model._base import check_classification_targets, compute_class_weight
from ..utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    check_random_state,
    column_or_1d,
    validate_data,
)
from ._kernels import KERNELS, kernel_matrix, training_rows
from ._platt import couple_pairwise, fit_sigmoid
from ._smo import KernelRowCache, solve_smo

__all__ = ["SVC", "SVR"]


class _AvailableIf:
    """Descriptor exposing a method only when ``check(estimator)`` passes (it raises AttributeError)."""

    def __init__(self, check, fn):
        self.check, self.fn = check, fn

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.fn
        self.check(obj)
        return self.fn.__get__(obj, owner)


class _BaseLibSVM(BaseEstimator):
    """Validation, kernels and prediction shared by ``SVC`` and ``SVR``."""

    def _validate_hyperparams(self) -> None:
        name = type(self).__name__
        if not (callable(self.kernel) or self.kernel in KERNELS):
            raise ValueError(f"The 'kernel' parameter of {name} must be a str among {set(KERNELS)} or a "
                             f"callable. Got {self.kernel!r} instead.")
        if isinstance(self.gamma, str):
            if self.gamma not in ("scale", "auto"):
                raise ValueError(f"The 'gamma' parameter of {name} must be a str among {{'scale', 'auto'}} "
                                 f"or a float in the range [0.0, inf). Got {self.gamma!r} instead.")
        elif self.gamma < 0:
            raise ValueError(f"The 'gamma' parameter of {name} must be a str among {{'scale', 'auto'}} or a "
                             f"float in the range [0.0, inf). Got {self.gamma!r} instead.")
        if not self.C > 0:
            raise ValueError(f"The 'C' parameter of {name} must be a float in the range (0.0, inf). "
                             f"Got {self.C!r} instead.")

    def _prepare_fit(self, X, y):
        self._validate_hyperparams()
        if callable(self.kernel):
            X_arr = np.asarray(X)
            y = np.asarray(y)
            self._X_fit = X_arr
            K = kernel_matrix(self.kernel, X_arr, X_arr, gamma=0.0, degree=self.degree, coef0=self.coef0)
            return K, y, "precomputed"
        X, y = validate_data(self, X, y, dtype=np.float64, order="C")
        if self.kernel == "precomputed" and X.shape[0] != X.shape[1]:
            raise ValueError(f"Precomputed matrix must be a square matrix. Input is a {X.shape[0]}x"
                             f"{X.shape[1]} matrix.")
        if self.kernel == "precomputed":
            self._gamma = 0.0
        elif self.gamma == "scale":
            var = X.var()
            self._gamma = 1.0 / (X.shape[1] * var) if var != 0 else 1.0
        elif self.gamma == "auto":
            self._gamma = 1.0 / X.shape[1]
        else:
            self._gamma = float(self.gamma)
        return X, y, self.kernel

    def _solve(self, X, kernel, y_pm, p, C_vec, duplicate=False):
        """Runs SMO on ``X`` (rows are the samples) with labels ``y_pm``; SVR passes ``duplicate``."""
        n = X.shape[0]
        if kernel == "precomputed":
            row, diag = (lambda i: X[i]), np.diag(X).astype(np.float64)
        else:
            row, diag = training_rows(kernel, X, gamma=self._gamma, degree=self.degree, coef0=self.coef0)
        if duplicate:
            base_cache = KernelRowCache(row, n, self.cache_size / 2)
            cache = KernelRowCache(lambda i: np.concatenate([base_cache[i % n]] * 2), 2 * n, self.cache_size)
            diag = np.concatenate([diag, diag])
        else:
            cache = KernelRowCache(row, n, self.cache_size)
        return solve_smo(cache.__getitem__, diag, y_pm, p, C_vec, tol=self.tol, max_iter=self.max_iter)

    def _warn_fit_status(self) -> None:
        if self.fit_status_ == 1:
            warnings.warn(f"Solver terminated early (max_iter={self.max_iter}).  Consider pre-processing "
                          "your data with StandardScaler or MinMaxScaler.", ConvergenceWarning, stacklevel=3)

    def _kernel_to_sv(self, X) -> np.ndarray:
        """``K(X, support_vectors_)`` after validating ``X``."""
        check_is_fitted(self)
        if callable(self.kernel):
            X = np.asarray(X)
            return kernel_matrix(self.kernel, X, self._X_fit[self._support_rows], gamma=0.0,
                                 degree=self.degree, coef0=self.coef0)
        X = validate_data(self, X, reset=False, dtype=np.float64, order="C")
        if self.kernel == "precomputed":
            if X.shape[1] != self.shape_fit_[0]:
                raise ValueError(f"X.shape[1] = {X.shape[1]} should be equal to {self.shape_fit_[0]}, the "
                                 "number of samples at training time")
            return X[:, self._support_rows]
        return kernel_matrix(self.kernel, X, self.support_vectors_, gamma=self._gamma, degree=self.degree,
                             coef0=self.coef0)

    @property
    def coef_(self) -> np.ndarray:
        """Primal weights (linear kernel only): ``dual_coef_ @ support_vectors_`` per classifier."""
        if self.kernel != "linear":
            raise AttributeError("coef_ is only available when using a linear kernel")
        check_is_fitted(self, "dual_coef_")
        return self._primal_coef()

    def _primal_coef(self) -> np.ndarray:
        return self.dual_coef_ @ self.support_vectors_


class SVC(ClassifierMixin, _BaseLibSVM):
    """C-support vector classification with kernels; multiclass one-vs-one like LIBSVM."""

    def __init__(self, *, C: float = 1.0, kernel: Any = "rbf", degree: int = 3, gamma: Any = "scale",
                 coef0: float = 0.0, shrinking: bool = True, probability: Any = "deprecated",
                 tol: float = 1e-3, cache_size: float = 200, class_weight: Any = None, verbose: bool = False,
                 max_iter: int = -1, decision_function_shape: str = "ovr", break_ties: bool = False,
                 random_state: Any = None) -> None:
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.shrinking = shrinking
        self.probability = probability
        self.tol = tol
        self.cache_size = cache_size
        self.class_weight = class_weight
        self.verbose = verbose
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape
        self.break_ties = break_ties
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None) -> SVC:
        """Trains one binary SVM per pair of classes (samples with zero weight are dropped).

        Raises:
            ValueError: fewer than two classes, bad hyper-parameters, or a non-square precomputed kernel.
        """
        if self.decision_function_shape not in ("ovr", "ovo"):
            raise ValueError(f"The 'decision_function_shape' parameter of SVC must be a str among "
                             f"{{'ovr', 'ovo'}}. Got {self.decision_function_shape!r} instead.")
        rng = check_random_state(self.random_state)
        if self.probability != "deprecated":
            warnings.warn("The `probability` parameter was deprecated in 1.9 and will be removed in version "
                          "1.11. Use `CalibratedClassifierCV(SVC(), ensemble=False)` instead of "
                          "`SVC(probability=True)`", FutureWarning, stacklevel=2)
        self._effective_probability = self.probability is True
        X, y, kernel = self._prepare_fit(X, y)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        self.class_weight_ = compute_class_weight(self.class_weight, self.classes_, encoded)
        if len(self.classes_) < 2:
            raise ValueError(f"The number of classes has to be greater than one; got {len(self.classes_)} "
                             "class")
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64)
        C_per_sample = self.C * self.class_weight_[encoded] * sw
        usable = sw > 0
        if np.unique(encoded[usable]).size < 2:
            raise ValueError("Invalid input - all samples with positive weights belong to the same class.")
        self._fit_ovo(X, kernel, encoded, C_per_sample, usable, rng)
        self.shape_fit_ = X.shape
        self._warn_fit_status()
        return self

    def _binary_problem(self, X, kernel, idx, y_pm, C_vec):
        """Solves one two-class problem on the rows ``idx``; returns ``(alpha·y, rho, n_iter, status)``."""
        X_sub = X[np.ix_(idx, idx)] if kernel == "precomputed" else X[idx]
        alpha, rho, n_iter, status = self._solve(X_sub, kernel, y_pm, -np.ones(idx.size), C_vec)
        return alpha * y_pm, rho, n_iter, status

    def _fit_ovo(self, X, kernel, encoded, C_per_sample, usable, rng) -> None:
        n_classes = len(self.classes_)
        members = [np.flatnonzero((encoded == k) & usable) for k in range(n_classes)]
        coefs, rhos, n_iters, statuses, probA, probB = {}, [], [], [], [], []
        is_sv = np.zeros(X.shape[0], dtype=bool)
        for a in range(n_classes):
            for b in range(a + 1, n_classes):
                idx = np.concatenate([members[a], members[b]])
                y_pm = np.concatenate([np.ones(members[a].size), -np.ones(members[b].size)])
                coef, rho, n_iter, status = self._binary_problem(X, kernel, idx, y_pm, C_per_sample[idx])
                if self._effective_probability:
                    A, B = self._platt(X, kernel, idx, y_pm, C_per_sample[idx], rng)
                    probA.append(A)
                    probB.append(B)
                coefs[a, b] = (idx, coef)
                is_sv[idx[coef != 0]] = True
                rhos.append(rho)
                n_iters.append(n_iter)
                statuses.append(status)
        order = np.concatenate(members)
        support = order[is_sv[order]]
        position = np.full(X.shape[0], -1)
        position[support] = np.arange(support.size)
        dual = np.zeros((n_classes - 1, support.size))
        for (a, b), (idx, coef) in coefs.items():
            nz = coef != 0
            rows = np.where(encoded[idx[nz]] == a, b - 1, a)
            dual[rows, position[idx[nz]]] = coef[nz]
        # Like LIBSVM in scikit-learn, indices count only the samples with positive weight.
        self.support_ = (np.cumsum(usable)[support] - 1).astype(np.int32)
        self._support_rows = support
        self.support_vectors_ = np.empty((0, 0)) if kernel == "precomputed" else X[support]
        if callable(self.kernel):
            self.support_vectors_ = self._X_fit[support]
        self._n_support = np.array([int(is_sv[m].sum()) for m in members], dtype=np.int32)
        self._dual_coef_ = dual
        self._intercept_ = -np.asarray(rhos)
        self._probA, self._probB = np.asarray(probA), np.asarray(probB)
        self.fit_status_ = int(max(statuses))
        self.n_iter_ = np.asarray(n_iters, dtype=np.int32)
        if n_classes == 2:
            self.dual_coef_, self.intercept_ = -dual, -self._intercept_
        else:
            self.dual_coef_, self.intercept_ = dual, self._intercept_.copy()

    def _platt(self, X, kernel, idx, y_pm, C_vec, rng) -> tuple[float, float]:
        """5-fold cross-validated decision values of the pair, then a sigmoid fit (LIBSVM's procedure)."""
        n = idx.size
        perm = rng.permutation(n)
        dec = np.empty(n)
        for fold in range(5):
            test = perm[fold * n // 5: (fold + 1) * n // 5]
            train = np.concatenate([perm[: fold * n // 5], perm[(fold + 1) * n // 5:]])
            n_pos = int((y_pm[train] > 0).sum())
            if n_pos == train.size or n_pos == 0:
                dec[test] = 0.0 if train.size == 0 else (1.0 if n_pos else -1.0)
                continue
            coef, rho, _, _ = self._binary_problem(X, kernel, idx[train], y_pm[train], C_vec[train])
            sv = coef != 0
            if kernel == "precomputed":
                K = X[np.ix_(idx[test], idx[train][sv])]
            else:
                K = kernel_matrix(kernel, X[idx[test]], X[idx[train][sv]], gamma=self._gamma,
                                  degree=self.degree, coef0=self.coef0)
            dec[test] = K @ coef[sv] - rho
        return fit_sigmoid(dec, y_pm)

    @property
    def n_support_(self) -> np.ndarray:
        """Number of support vectors of each class."""
        check_is_fitted(self, "_n_support")
        return self._n_support

    def _pairwise_decision(self, X) -> np.ndarray:
        """LIBSVM's one-vs-one decision values: positive means the first class of the pair."""
        K = self._kernel_to_sv(X)
        n_classes = len(self.classes_)
        starts = np.concatenate([[0], np.cumsum(self._n_support)])
        out = []
        k = 0
        for a in range(n_classes):
            sa = slice(starts[a], starts[a + 1])
            for b in range(a + 1, n_classes):
                sb = slice(starts[b], starts[b + 1])
                dec = K[:, sa] @ self._dual_coef_[b - 1, sa] + K[:, sb] @ self._dual_coef_[a, sb]
                out.append(dec + self._intercept_[k])
                k += 1
        return np.column_stack(out)

    def decision_function(self, X) -> np.ndarray:
        """Scores: 1-D for two classes (positive means ``classes_[1]``); ``(n, n_classes)`` for ``ovr``,
        ``(n, n_pairs)`` for ``ovo``."""
        dec = self._pairwise_decision(X)
        if len(self.classes_) == 2:
            return -dec.ravel()
        if self.decision_function_shape == "ovr":
            return _ovr_from_ovo(dec, len(self.classes_))
        return dec

    def predict(self, X) -> np.ndarray:
        """Majority vote of the pairwise classifiers (ties go to the lower class), or the largest
        ``ovr`` score with ``break_ties``.

        Raises:
            ValueError: ``break_ties`` with ``decision_function_shape='ovo'``.
        """
        check_is_fitted(self)
        if self.break_ties and self.decision_function_shape == "ovo":
            raise ValueError("break_ties must be False when decision_function_shape is 'ovo'")
        dec = self._pairwise_decision(X)
        n_classes = len(self.classes_)
        if self.break_ties and n_classes > 2:
            return self.classes_[np.argmax(_ovr_from_ovo(dec, n_classes), axis=1)]
        votes = np.zeros((dec.shape[0], n_classes), dtype=int)
        k = 0
        for a in range(n_classes):
            for b in range(a + 1, n_classes):
                votes[:, a] += dec[:, k] > 0
                votes[:, b] += dec[:, k] <= 0
                k += 1
        return self.classes_[np.argmax(votes, axis=1)]

    def _check_proba(self) -> None:
        if self.probability is not True:
            raise AttributeError("predict_proba is not available when probability=False")

    def _predict_proba(self, X) -> np.ndarray:
        """Platt-scaled pairwise probabilities coupled into class probabilities.

        Raises:
            NotFittedError: fitted without probabilities.
        """
        check_is_fitted(self)
        if self._probA.size == 0:
            raise NotFittedError("predict_proba is not available when fitted with probability=False")
        return couple_pairwise(self._pairwise_decision(X), self._probA, self._probB, len(self.classes_))

    def _predict_log_proba(self, X) -> np.ndarray:
        """Log of ``predict_proba``."""
        return np.log(self._predict_proba(X))

    predict_proba = _AvailableIf(_check_proba, _predict_proba)
    predict_log_proba = _AvailableIf(_check_proba, _predict_log_proba)

    @property
    def probA_(self) -> np.ndarray:
        """Platt parameter ``A`` of each pairwise classifier."""
        return self._probA

    @property
    def probB_(self) -> np.ndarray:
        """Platt parameter ``B`` of each pairwise classifier."""
        return self._probB

    def _primal_coef(self) -> np.ndarray:
        if len(self.classes_) == 2:
            return self.dual_coef_ @ self.support_vectors_
        starts = np.concatenate([[0], np.cumsum(self._n_support)])
        rows = []
        for a in range(len(self.classes_)):
            sa = slice(starts[a], starts[a + 1])
            for b in range(a + 1, len(self.classes_)):
                sb = slice(starts[b], starts[b + 1])
                rows.append(self._dual_coef_[b - 1, sa] @ self.support_vectors_[sa]
                            + self._dual_coef_[a, sb] @ self.support_vectors_[sb])
        return np.vstack(rows)


def _ovr_from_ovo(dec: np.ndarray, n_classes: int) -> np.ndarray:
    """One-vs-rest shaped scores: votes plus summed confidences squashed into (-1/3, 1/3)."""
    votes = np.zeros((dec.shape[0], n_classes))
    confidence = np.zeros((dec.shape[0], n_classes))
    k = 0
    for a in range(n_classes):
        for b in range(a + 1, n_classes):
            confidence[:, a] += dec[:, k]
            confidence[:, b] -= dec[:, k]
            votes[:, a] += dec[:, k] >= 0
            votes[:, b] += dec[:, k] < 0
            k += 1
    return votes + confidence / (3 * (np.abs(confidence) + 1))


class SVR(RegressorMixin, _BaseLibSVM):
    """Epsilon-support vector regression with kernels."""

    def __init__(self, *, kernel: Any = "rbf", degree: int = 3, gamma: Any = "scale", coef0: float = 0.0,
                 tol: float = 1e-3, C: float = 1.0, epsilon: float = 0.1, shrinking: bool = True,
                 cache_size: float = 200, verbose: bool = False, max_iter: int = -1) -> None:
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.C = C
        self.epsilon = epsilon
        self.shrinking = shrinking
        self.cache_size = cache_size
        self.verbose = verbose
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None) -> SVR:
        """Solves the epsilon-SVR dual (``2 n`` variables ``α``, ``α*``) by SMO."""
        if self.epsilon < 0:
            raise ValueError(f"The 'epsilon' parameter of SVR must be a float in the range [0.0, inf). Got "
                             f"{self.epsilon!r} instead.")
        X, y, kernel = self._prepare_fit(X, y)
        y = column_or_1d(y, warn=True).astype(np.float64)
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64)
        keep = np.flatnonzero(sw > 0)
        X_sub = X[np.ix_(keep, keep)] if kernel == "precomputed" else X[keep]
        z = y[keep]
        m = keep.size
        C_vec = np.concatenate([self.C * sw[keep]] * 2)
        y_pm = np.concatenate([np.ones(m), -np.ones(m)])
        p = np.concatenate([self.epsilon - z, self.epsilon + z])
        alpha, rho, n_iter, status = self._solve(X_sub, kernel, y_pm, p, C_vec, duplicate=True)
        coef = alpha[:m] - alpha[m:]
        sv = coef != 0
        # Like LIBSVM in scikit-learn, indices count only the samples with positive weight.
        self.support_ = np.flatnonzero(sv).astype(np.int32)
        self._support_rows = keep[sv]
        if kernel == "precomputed" and not callable(self.kernel):
            self.support_vectors_ = np.empty((0, 0))
        else:
            source = self._X_fit if callable(self.kernel) else X
            self.support_vectors_ = source[keep[sv]]
        self.dual_coef_ = coef[sv][None, :]
        self.intercept_ = np.array([-rho])
        self._dual_coef_, self._intercept_ = self.dual_coef_, self.intercept_
        self._n_support = np.array([int(sv.sum())], dtype=np.int32)
        self.fit_status_ = status
        self.n_iter_ = int(n_iter)
        self.shape_fit_ = X.shape
        self._warn_fit_status()
        return self

    @property
    def n_support_(self) -> np.ndarray:
        """Number of support vectors, as a one-element array."""
        check_is_fitted(self, "_n_support")
        return self._n_support

    def predict(self, X) -> np.ndarray:
        """``K(X, SV) @ dual_coef_ + intercept_``."""
        return self._kernel_to_sv(X) @ self.dual_coef_[0] + self.intercept_[0]
