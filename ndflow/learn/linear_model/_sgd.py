"""Linear models fitted by stochastic gradient descent: ``SGDClassifier``, ``SGDRegressor``, ``Perceptron``.

Classification with more than two classes is one-vs-all: one binary problem per class, each with its
own seed. Seeds are drawn from ``random_state`` exactly as scikit-learn draws them.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..base import BaseEstimator, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..utils.validation import _check_sample_weight, check_is_fitted, check_random_state, validate_data
from ._base import LinearClassifierMixin, SparseCoefMixin, check_classification_targets, compute_class_weight
from ._sgd_loop import SGDProblem, plain_sgd

__all__ = ["SGDClassifier", "SGDRegressor", "Perceptron"]

_MAX_INT = np.iinfo(np.int32).max
_CLASSIFIER_LOSSES = ("hinge", "log_loss", "modified_huber", "squared_hinge", "perceptron", "squared_error",
                      "huber", "epsilon_insensitive", "squared_epsilon_insensitive")
_REGRESSOR_LOSSES = ("squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive")
_LEARNING_RATES = ("constant", "optimal", "invscaling", "adaptive")


class _AvailableIf:
    """Descriptor exposing a method only when ``check(estimator)`` is true (else AttributeError)."""

    def __init__(self, check, fn):
        self.check, self.fn = check, fn

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.fn
        if not self.check(obj):
            raise AttributeError(f"probability estimates are not available for loss={obj.loss!r}")
        return self.fn.__get__(obj, owner)


def _split_validation(y, fraction, random_state, stratify):
    """Boolean mask of the validation samples: scikit-learn's (Stratified)ShuffleSplit, same random stream."""
    from ..model_selection import ShuffleSplit, StratifiedShuffleSplit

    splitter = (StratifiedShuffleSplit if stratify else ShuffleSplit)(test_size=fraction,
                                                                      random_state=random_state)
    train, val = next(splitter.split(np.zeros((y.shape[0], 1)), y))
    if train.size == 0 or val.size == 0:
        raise ValueError(
            f"Splitting {y.shape[0]} samples into a train set and a validation set with validation_fraction="
            f"{fraction} led to an empty set ({train.size} and {val.size} samples). Please either change "
            "validation_fraction, increase number of samples, or disable early_stopping."
        )
    mask = np.zeros(y.shape[0], dtype=bool)
    mask[val] = True
    return mask


class _BaseSGD(SparseCoefMixin, BaseEstimator):
    _allowed_losses: tuple = ()

    def _validate_params(self) -> None:
        name = type(self).__name__
        if self.loss not in self._allowed_losses:
            raise ValueError(f"The 'loss' parameter of {name} must be a str among "
                             f"{set(self._allowed_losses)}. Got {self.loss!r} instead.")
        if self.penalty not in ("l2", "l1", "elasticnet", None):
            raise ValueError(f"The 'penalty' parameter of {name} must be a str among {{'l2', 'l1', "
                             f"'elasticnet'}} or None. Got {self.penalty!r} instead.")
        if self.learning_rate not in _LEARNING_RATES:
            raise ValueError(f"The 'learning_rate' parameter of {name} must be a str among "
                             f"{set(_LEARNING_RATES)}. Got {self.learning_rate!r} instead.")
        if self.learning_rate in ("constant", "invscaling", "adaptive") and self.eta0 <= 0.0:
            raise ValueError("eta0 must be > 0")
        if self.learning_rate == "optimal" and self.alpha == 0:
            raise ValueError("alpha must be > 0 since learning_rate is 'optimal'. alpha is used to compute "
                             "the optimal learning rate.")
        if not 0 <= self.l1_ratio <= 1:
            raise ValueError(f"The 'l1_ratio' parameter of {name} must be a float in the range [0.0, 1.0]. "
                             f"Got {self.l1_ratio!r} instead.")
        if self.early_stopping and not 0 < self.validation_fraction < 1:
            raise ValueError(f"The 'validation_fraction' parameter of {name} must be a float in the range "
                             f"(0.0, 1.0). Got {self.validation_fraction!r} instead.")
        if not isinstance(self.max_iter, (int, np.integer)) or self.max_iter < 1:
            raise ValueError(f"The 'max_iter' parameter of {name} must be an int in the range [1, inf). "
                             f"Got {self.max_iter!r} instead.")

    def _problem(self, X, y, sw, seed, max_iter, **extra) -> SGDProblem:
        return SGDProblem(
            X=X, y=y, sample_weight=sw, loss=self.loss, epsilon=getattr(self, "epsilon", 0.1),
            penalty=self.penalty, alpha=float(self.alpha), l1_ratio=float(self.l1_ratio),
            learning_rate=self.learning_rate, eta0=float(self.eta0), power_t=float(self.power_t),
            fit_intercept=bool(self.fit_intercept), max_iter=int(max_iter), tol=self.tol,
            shuffle=bool(self.shuffle), seed=int(seed), n_iter_no_change=int(self.n_iter_no_change),
            t=float(self.t_), average=int(self.average), **extra)

    def _warn_max_iter(self) -> None:
        if self.tol is not None and self.tol > -np.inf and self.n_iter_ == self.max_iter:
            warnings.warn("Maximum number of iteration reached before convergence. Consider increasing "
                          "max_iter to improve the fit.", ConvergenceWarning, stacklevel=3)


def _accuracy_score_cb(X_val, y_val, sw_val):
    def score(w, b):
        pred = np.where(X_val @ w + b > 0, 1.0, -1.0)
        return float(np.average(pred == y_val, weights=sw_val))

    return score


def _r2_score_cb(X_val, y_val, sw_val):
    def score(w, b):
        residual = y_val - (X_val @ w + b)
        mean = np.average(y_val, weights=sw_val)
        total = float(np.sum(sw_val * (y_val - mean) ** 2))
        return 1.0 - float(np.sum(sw_val * residual ** 2)) / total if total > 0 else 0.0

    return score


class SGDClassifier(LinearClassifierMixin, _BaseSGD):
    """Linear classifiers (SVM, logistic, …) trained by per-sample SGD; one-vs-all for several classes."""

    _allowed_losses = _CLASSIFIER_LOSSES

    def __init__(self, loss: str = "hinge", *, penalty: str | None = "l2", alpha: float = 0.0001,
                 l1_ratio: float = 0.15, fit_intercept: bool = True, max_iter: int = 1000,
                 tol: float | None = 1e-3, shuffle: bool = True, verbose: int = 0, epsilon: float = 0.1,
                 n_jobs: Any = None, random_state: Any = None, learning_rate: str = "optimal",
                 eta0: float = 0.01, power_t: float = 0.5, early_stopping: bool = False,
                 validation_fraction: float = 0.1, n_iter_no_change: int = 5, class_weight: Any = None,
                 warm_start: bool = False, average: Any = False) -> None:
        self.loss = loss
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.epsilon = epsilon
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.average = average

    def fit(self, X, y, coef_init=None, intercept_init=None, sample_weight=None) -> SGDClassifier:
        """Fits for up to ``max_iter`` epochs (from ``coef_init``/the previous fit with ``warm_start``)."""
        self._validate_params()
        for attr in ("classes_",):
            if hasattr(self, attr):
                delattr(self, attr)
        if self.warm_start and getattr(self, "coef_", None) is not None:
            coef_init = self.coef_ if coef_init is None else coef_init
            intercept_init = self.intercept_ if intercept_init is None else intercept_init
        else:
            self.coef_ = self.intercept_ = None
        self.t_ = 1.0
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        self._partial_fit(X, y, sample_weight, self.max_iter, coef_init, intercept_init)
        self._warn_max_iter()
        return self

    def partial_fit(self, X, y, classes=None, sample_weight=None) -> SGDClassifier:
        """One epoch over ``(X, y)`` continuing from the current weights.

        Raises:
            ValueError: ``classes`` missing on the first call, or different from the first call's.
        """
        self._validate_params()
        first_call = not hasattr(self, "classes_")
        if first_call:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            self.classes_ = np.unique(classes)
        elif classes is not None and not np.array_equal(np.unique(classes), self.classes_):
            raise ValueError(f"`classes={classes!r}` is not the same as on last call to partial_fit, was: "
                             f"{self.classes_!r}")
        if self.class_weight == "balanced":
            raise ValueError(
                "class_weight 'balanced' is not supported for partial_fit. In order to use 'balanced' "
                "weights, use compute_class_weight('balanced', classes=classes, y=y). In place of y you "
                "can use a large enough sample of the full training set target to properly estimate the "
                "class frequency distributions. Pass the resulting weights as the class_weight parameter."
            )
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], reset=first_call)
        if not hasattr(self, "t_"):
            self.t_ = 1.0
        self._partial_fit(X, y, sample_weight, 1, None, None)
        return self

    def _partial_fit(self, X, y, sample_weight, max_iter, coef_init, intercept_init) -> None:
        X = X.astype(np.float64, copy=False)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(f"The number of classes has to be greater than one; got {n_classes} class")
        unseen = np.setdiff1d(np.unique(y), self.classes_)
        if unseen.size:
            raise ValueError(f"`classes` does not contain all labels: {unseen!r}")
        encoded = np.searchsorted(self.classes_, y)
        class_weights = compute_class_weight(self.class_weight, self.classes_, encoded)
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64)
        n_vectors = 1 if n_classes == 2 else n_classes
        if getattr(self, "coef_", None) is None or coef_init is not None:
            self._allocate(n_vectors, X.shape[1], coef_init, intercept_init)
        elif X.shape[1] != self.coef_.shape[-1]:
            raise ValueError(f"Number of features {X.shape[1]} does not match previous data "
                             f"{self.coef_.shape[-1]}.")
        if n_classes == 2:
            seeds = [None]
            targets = [(np.where(encoded == 1, 1.0, -1.0), class_weights[1], class_weights[0])]
        else:
            rng = check_random_state(self.random_state)
            seeds = rng.randint(_MAX_INT, size=n_classes).tolist()
            targets = [(np.where(encoded == k, 1.0, -1.0), class_weights[k], 1.0) for k in range(n_classes)]
        n_iter = 0
        # several classes share one split stratified on the labels; two classes split on the ±1 target
        shared_mask = self._validation_mask(encoded, sw) if n_classes > 2 else None
        for k, (seed, (y_k, w_pos, w_neg)) in enumerate(zip(seeds, targets)):
            rng = check_random_state(self.random_state if seed is None else seed)
            rng.randint(1, _MAX_INT)  # scikit-learn's dataset seed, drawn before the shuffle seed
            shuffle_seed = rng.randint(_MAX_INT)
            mask = shared_mask if shared_mask is not None else self._validation_mask(y_k, sw)
            cb = None
            if self.early_stopping:
                cb = _accuracy_score_cb(X[mask], y_k[mask], sw[mask])
            prob = self._problem(X, y_k, sw, shuffle_seed, max_iter, weight_pos=float(w_pos),
                                 weight_neg=float(w_neg), validation_mask=mask, validation_score=cb,
                                 avg_coef=self._average_coef[k] if self.average else None,
                                 avg_intercept=float(self._average_intercept[k]) if self.average else 0.0)
            w, b, avg_w, avg_b, it = plain_sgd(prob, self._standard_coef[k], self._standard_intercept[k])
            self._standard_coef[k], self._standard_intercept[k] = w, b
            if self.average:
                self._average_coef[k], self._average_intercept[k] = avg_w, avg_b
            n_iter = max(n_iter, it)
        self.t_ += n_iter * X.shape[0]
        self.n_iter_ = n_iter
        use_average = self.average and self.average <= self.t_ - 1
        self.coef_ = (self._average_coef if use_average else self._standard_coef).copy()
        self.intercept_ = (self._average_intercept if use_average else self._standard_intercept).copy()

    def _allocate(self, n_vectors, n_features, coef_init, intercept_init) -> None:
        coef = np.zeros((n_vectors, n_features))
        intercept = np.zeros(n_vectors)
        if coef_init is not None:
            coef_init = np.asarray(coef_init, dtype=np.float64).reshape(-1, n_features)
            if coef_init.shape != coef.shape:
                raise ValueError("Provided coef_init does not match dataset.")
            coef = coef_init.copy()
        if intercept_init is not None:
            intercept_init = np.asarray(intercept_init, dtype=np.float64).ravel()
            if intercept_init.shape != intercept.shape:
                raise ValueError("Provided intercept_init does not match dataset.")
            intercept = intercept_init.copy()
        self._standard_coef, self._standard_intercept = coef, intercept
        self.coef_, self.intercept_ = coef.copy(), intercept.copy()
        if self.average:
            self._average_coef, self._average_intercept = np.zeros_like(coef), np.zeros_like(intercept)

    def _validation_mask(self, y, sw) -> np.ndarray:
        if not self.early_stopping:
            return np.zeros(y.shape[0], dtype=bool)
        mask = _split_validation(y, self.validation_fraction, self.random_state, stratify=True)
        if not np.any(sw[mask] > 0):
            raise ValueError("The sample weights for validation set are all zero, consider using a "
                             "different random state.")
        return mask

    def _has_proba(self) -> bool:
        return self.loss in ("log_loss", "modified_huber")

    def _predict_proba(self, X) -> np.ndarray:
        """Probabilities: logistic (``log_loss``) or clipped linear (``modified_huber``), normalised."""
        check_is_fitted(self)
        if self.loss == "log_loss":
            return self._predict_proba_lr(X)
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p1 = (np.clip(scores, -1, 1) + 1) / 2
            return np.column_stack([1 - p1, p1])
        prob = (np.clip(scores, -1, 1) + 1) / 2
        total = prob.sum(axis=1, keepdims=True)
        uniform = total == 0
        return np.where(uniform, 1.0 / prob.shape[1], prob / np.where(uniform, 1.0, total))

    def _predict_log_proba(self, X) -> np.ndarray:
        """Log of ``predict_proba``."""
        with np.errstate(divide="ignore"):
            return np.log(self._predict_proba(X))

    predict_proba = _AvailableIf(_has_proba, _predict_proba)
    predict_log_proba = _AvailableIf(_has_proba, _predict_log_proba)


class Perceptron(SGDClassifier):
    """The perceptron: SGD with the perceptron loss, constant learning rate ``eta0=1`` and no penalty."""

    def __init__(self, *, penalty: str | None = None, alpha: float = 0.0001, l1_ratio: float = 0.15,
                 fit_intercept: bool = True, max_iter: int = 1000, tol: float | None = 1e-3,
                 shuffle: bool = True, verbose: int = 0, eta0: float = 1.0, n_jobs: Any = None,
                 random_state: Any = 0, early_stopping: bool = False, validation_fraction: float = 0.1,
                 n_iter_no_change: int = 5, class_weight: Any = None, warm_start: bool = False) -> None:
        super().__init__(loss="perceptron", penalty=penalty, alpha=alpha, l1_ratio=l1_ratio,
                         fit_intercept=fit_intercept, max_iter=max_iter, tol=tol, shuffle=shuffle,
                         verbose=verbose, random_state=random_state, learning_rate="constant", eta0=eta0,
                         power_t=0.5, early_stopping=early_stopping, validation_fraction=validation_fraction,
                         n_iter_no_change=n_iter_no_change, class_weight=class_weight,
                         warm_start=warm_start, n_jobs=n_jobs)


class SGDRegressor(RegressorMixin, _BaseSGD):
    """Linear regression (squared error, Huber, epsilon-insensitive) trained by per-sample SGD."""

    _allowed_losses = _REGRESSOR_LOSSES

    def __init__(self, loss: str = "squared_error", *, penalty: str | None = "l2", alpha: float = 0.0001,
                 l1_ratio: float = 0.15, fit_intercept: bool = True, max_iter: int = 1000,
                 tol: float | None = 1e-3, shuffle: bool = True, verbose: int = 0, epsilon: float = 0.1,
                 random_state: Any = None, learning_rate: str = "invscaling", eta0: float = 0.01,
                 power_t: float = 0.25, early_stopping: bool = False, validation_fraction: float = 0.1,
                 n_iter_no_change: int = 5, warm_start: bool = False, average: Any = False) -> None:
        self.loss = loss
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.epsilon = epsilon
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.warm_start = warm_start
        self.average = average

    def fit(self, X, y, coef_init=None, intercept_init=None, sample_weight=None) -> SGDRegressor:
        """Fits for up to ``max_iter`` epochs (from ``coef_init``/the previous fit with ``warm_start``)."""
        self._validate_params()
        if self.warm_start and getattr(self, "coef_", None) is not None:
            coef_init = self.coef_ if coef_init is None else coef_init
            intercept_init = self.intercept_ if intercept_init is None else intercept_init
        else:
            self.coef_ = None
        self.t_ = 1.0
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], y_numeric=True)
        self._partial_fit(X, y, sample_weight, self.max_iter, coef_init, intercept_init)
        self._warn_max_iter()
        return self

    def partial_fit(self, X, y, sample_weight=None) -> SGDRegressor:
        """One epoch over ``(X, y)`` continuing from the current weights."""
        self._validate_params()
        first_call = getattr(self, "coef_", None) is None
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], y_numeric=True, reset=first_call)
        if not hasattr(self, "t_"):
            self.t_ = 1.0
        self._partial_fit(X, y, sample_weight, 1, None, None)
        return self

    def _partial_fit(self, X, y, sample_weight, max_iter, coef_init, intercept_init) -> None:
        X = X.astype(np.float64, copy=False)
        y = np.asarray(y, dtype=np.float64)
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64)
        p = X.shape[1]
        if getattr(self, "coef_", None) is None or coef_init is not None:
            coef = np.zeros(p) if coef_init is None else np.array(coef_init, dtype=np.float64).ravel()
            if coef.shape != (p,):
                raise ValueError("Provided coef_init does not match dataset.")
            intercept = np.zeros(1) if intercept_init is None else np.atleast_1d(
                np.asarray(intercept_init, dtype=np.float64)).copy()
            if intercept.shape != (1,):
                raise ValueError("Provided intercept_init does not match dataset.")
            self._standard_coef, self._standard_intercept = coef, intercept
            self.coef_, self.intercept_ = coef.copy(), intercept.copy()
            if self.average:
                self._average_coef, self._average_intercept = np.zeros(p), np.zeros(1)
        elif p != self.coef_.shape[-1]:
            raise ValueError(f"Number of features {p} does not match previous data {self.coef_.shape[-1]}.")
        mask = np.zeros(X.shape[0], dtype=bool)
        cb = None
        if self.early_stopping:
            mask = _split_validation(y, self.validation_fraction, self.random_state, stratify=False)
            if not np.any(sw[mask] > 0):
                raise ValueError("The sample weights for validation set are all zero, consider using a "
                                 "different random state.")
            cb = _r2_score_cb(X[mask], y[mask], sw[mask])
        rng = check_random_state(self.random_state)
        seed = rng.randint(0, _MAX_INT)
        prob = self._problem(X, y, sw, seed, max_iter, validation_mask=mask, validation_score=cb,
                             avg_coef=self._average_coef if self.average else None,
                             avg_intercept=float(self._average_intercept[0]) if self.average else 0.0)
        w, b, avg_w, avg_b, self.n_iter_ = plain_sgd(prob, self._standard_coef, self._standard_intercept[0])
        self._standard_coef, self._standard_intercept = w, np.array([b])
        if self.average:
            self._average_coef, self._average_intercept = avg_w, np.array([avg_b])
        self.t_ += self.n_iter_ * X.shape[0]
        use_average = self.average and self.average <= self.t_ - 1
        self.coef_ = (self._average_coef if use_average else self._standard_coef).copy()
        self.intercept_ = (self._average_intercept if use_average else self._standard_intercept).copy()

    def predict(self, X) -> np.ndarray:
        """Predicts ``X @ coef_ + intercept_``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        coef = self.coef_.toarray().ravel() if hasattr(self.coef_, "toarray") else self.coef_  # sparsify()
        return X @ coef + self.intercept_[0]
