"""Forests of randomised trees: random forests and extremely randomised trees.

Each tree gets its seed from the forest's ``random_state`` exactly as in scikit-learn, and bootstrap draws
come from that seed, so a forest with the same ``random_state`` sees the same bootstrap samples.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin
from ..exceptions import DataConversionWarning
from ..tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, ExtraTreeRegressor
from ..tree._classes import compute_sample_weight
from ..tree._splitter_lockstep import build_lockstep, lockstep_supported
from ..utils.multiclass import check_classification_targets, type_of_target
from ..utils.validation import _check_sample_weight, check_is_fitted, check_random_state, validate_data
from ._base import MAX_INT, make_member, n_draws

__all__ = ["RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier", "ExtraTreesRegressor"]

_TREE_PARAMS = ("criterion", "max_depth", "min_samples_split", "min_samples_leaf", "min_weight_fraction_leaf",
                "max_features", "max_leaf_nodes", "min_impurity_decrease", "random_state", "ccp_alpha",
                "monotonic_cst")


def _bootstrap_indices(seed: int, n_samples: int, n_bootstrap: int, sample_weight: np.ndarray | None) -> np.ndarray:
    rng = check_random_state(seed)
    if sample_weight is None:
        return rng.randint(0, n_samples, n_bootstrap).astype(np.int32)
    p = sample_weight / np.sum(sample_weight)
    return rng.choice(n_samples, n_bootstrap, replace=True, p=p).astype(np.int32)


def _unsampled_indices(seed: int, n_samples: int, n_bootstrap: int, sample_weight: np.ndarray | None) -> np.ndarray:
    counts = np.bincount(_bootstrap_indices(seed, n_samples, n_bootstrap, sample_weight), minlength=n_samples)
    return np.flatnonzero(counts == 0)


def _run_parallel(n_jobs: int | None, func, items: list) -> list:
    if n_jobs in (None, 1) or len(items) <= 1:
        return [func(item) for item in items]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs, prefer="threads")(delayed(func)(item) for item in items)


_LOCKSTEP_ELEMENTS = 16_000_000  # samples x drawn features of the trees grown together, at most


def _effective_n_jobs(n_jobs: int | None) -> int:
    if n_jobs in (None, 1):
        return 1
    from joblib import effective_n_jobs

    return effective_n_jobs(n_jobs)


class BaseForest(MultiOutputMixin, BaseEstimator):
    """Fitting, out-of-bag scoring and inspection shared by the four forests."""

    _tree_class: type = DecisionTreeClassifier

    @property
    def estimator_(self) -> Any:
        """The unfitted tree every member is cloned from."""
        return self._tree_class()

    def _tree_params(self) -> dict:
        return {p: getattr(self, p) for p in _TREE_PARAMS}

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> BaseForest:
        """Grows ``n_estimators`` trees (more with ``warm_start``), each on its own bootstrap sample.

        Raises:
            ValueError: ``oob_score`` without ``bootstrap``, ``max_samples`` without ``bootstrap``, fewer
                ``n_estimators`` than already fitted with ``warm_start``.
        """
        X, y = validate_data(self, X, y, multi_output=True, dtype=np.float32,
                             y_numeric=not isinstance(self, ClassifierMixin))
        self._check_forest_params()
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
        y = np.atleast_1d(y)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn("A column-vector y was passed when a 1d array was expected. Please change the shape of y "
                          "to (n_samples,), for example using ravel().", DataConversionWarning, stacklevel=2)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if getattr(self, "criterion", None) == "poisson":
            if np.any(y < 0):
                raise ValueError("Some value(s) of y are negative which is not allowed for Poisson regression.")
            if np.sum(y) <= 0:
                raise ValueError("Sum of y is not strictly positive which is necessary for Poisson regression.")
        self._n_samples, self.n_outputs_ = y.shape
        y, class_weight = self._encode_y(y, sample_weight)
        y = np.ascontiguousarray(y, dtype=np.float64)
        if sample_weight is None:
            weights = class_weight
        else:
            weights = sample_weight if class_weight is None else sample_weight * class_weight
        self._sample_weight = weights
        if not self.bootstrap and self.max_samples is not None:
            raise ValueError("`max_sample` cannot be set if `bootstrap=False`. Either switch to `bootstrap=True` or "
                             "set `max_sample=None`.")
        self._n_samples_bootstrap = n_draws(X.shape[0], self.max_samples, weights) if self.bootstrap else None
        if not self.bootstrap and self.oob_score:
            raise ValueError("Out of bag estimation only available if bootstrap=True")

        random_state = check_random_state(self.random_state)
        if not self.warm_start or not hasattr(self, "estimators_"):
            self.estimators_ = []
        n_more = self.n_estimators - len(self.estimators_)
        if n_more < 0:
            raise ValueError(f"n_estimators={self.n_estimators} must be larger or equal to "
                             f"len(estimators_)={len(self.estimators_)} when warm_start==True")
        if n_more == 0:
            warnings.warn("Warm-start fitting without increasing n_estimators does not fit new trees.",
                          stacklevel=2)
        else:
            if self.warm_start and self.estimators_:
                random_state.randint(MAX_INT, size=len(self.estimators_))  # the seeds the old trees used
            params = self._tree_params()
            trees = [make_member(self.estimator_, params, random_state) for _ in range(n_more)]
            self.estimators_.extend(self._fit_trees(trees, X, y, weights))
        if self.oob_score and (n_more > 0 or not hasattr(self, "oob_score_")):
            kind = type_of_target(y)
            if kind == "unknown" or (isinstance(self, ClassifierMixin) and kind == "multiclass-multioutput"):
                raise ValueError("The type of target cannot be used to compute OOB estimates. Got "
                                 f"{kind} while only the following are supported: continuous, "
                                 "continuous-multioutput, binary, multiclass, multilabel-indicator.")
            self._set_oob(X, y)
        if hasattr(self, "classes_") and self.n_outputs_ == 1:
            self.n_classes_ = self.n_classes_[0]
            self.classes_ = self.classes_[0]
        return self

    def _check_forest_params(self) -> None:
        from ..tree._classes import _invalid, _is_int

        if not (_is_int(self.n_estimators) and self.n_estimators >= 1):
            raise _invalid(self, "n_estimators", "an int in the range [1, inf)", self.n_estimators)
        ms = self.max_samples
        if ms is not None and not ((_is_int(ms) and ms >= 1) or (not _is_int(ms) and isinstance(ms, float)
                                                                 and 0.0 < ms <= 1.0)):
            raise _invalid(self, "max_samples", "None, an int in the range [1, inf) or a float in the range "
                           "(0.0, 1.0]", ms)

    def _fit_trees(self, trees: list, X: np.ndarray, y: np.ndarray, weights: np.ndarray | None) -> list:
        """Fits the new members; those the lock-step builder supports grow together, ``n_jobs`` groups at once."""
        if self.ccp_alpha > 0.0:
            return _run_parallel(self.n_jobs, lambda t: self._fit_tree(t, X, y, weights), trees)
        jobs: list = []
        for tree in trees:
            self._fit_tree(tree, X, y, weights, jobs)
        supported = [lockstep_supported(job[0], job[3], job[4]) for job in jobs]
        together = [job for job, ok in zip(jobs, supported) if ok]
        alone = [job for job, ok in zip(jobs, supported) if not ok]
        _run_parallel(self.n_jobs, lambda job: job[0].build(job[1], job[2], job[3], job[4]), alone)
        if together:
            # one group per job, and groups small enough that a step's (samples x features) arrays stay bounded
            per_tree = X.shape[0] * max(1, together[0][0].max_features)
            n_groups = max(min(len(together), _effective_n_jobs(self.n_jobs)),
                           -(-len(together) * per_tree // _LOCKSTEP_ELEMENTS))
            groups = [together[i::n_groups] for i in range(n_groups)]
            _run_parallel(self.n_jobs, lambda group: build_lockstep(
                [j[0] for j in group], [j[1] for j in group], group[0][2], group[0][3], [j[4] for j in group]),
                groups)
        return trees

    def _fit_tree(self, tree: Any, X: np.ndarray, y: np.ndarray, weights: np.ndarray | None,
                  build_jobs: list | None = None) -> Any:
        indices = None
        if self.bootstrap:
            indices = _bootstrap_indices(tree.random_state, X.shape[0], self._n_samples_bootstrap, weights)
            tree_weights = np.bincount(indices, minlength=X.shape[0]).astype(np.float64)
            if getattr(self, "class_weight", None) == "balanced_subsample":
                tree_weights = tree_weights * compute_sample_weight("balanced", y, indices)
        else:
            tree_weights = weights
        tree._fit(X, y, sample_weight=tree_weights, check_input=False, build_jobs=build_jobs)
        return tree

    def _encode_y(self, y: np.ndarray, sample_weight: np.ndarray | None):
        return y, None

    def _validate_X_predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        return np.asarray(validate_data(self, X, dtype=np.float32, reset=False), dtype=np.float32)

    def apply(self, X: Any) -> np.ndarray:
        """Leaf index of every sample in every tree, shape (n_samples, n_estimators)."""
        X = self._validate_X_predict(X)
        return np.stack([t.tree_.apply(X) for t in self.estimators_], axis=1)

    def decision_path(self, X: Any):
        """Node indicator (CSR) of all trees side by side, and the column offset of each tree."""
        from scipy import sparse

        X = self._validate_X_predict(X)
        paths = [t.tree_.decision_path(X) for t in self.estimators_]
        offsets = np.concatenate([[0], np.cumsum([p.shape[1] for p in paths])])
        return sparse.hstack(paths).tocsr(), offsets

    @property
    def feature_importances_(self) -> np.ndarray:
        """Mean impurity-based importance over the trees that split at least once, normalised to sum 1."""
        check_is_fitted(self)
        per_tree = [t.tree_.compute_feature_importances() for t in self.estimators_ if t.tree_.node_count > 1]
        if not per_tree:
            return np.zeros(self.n_features_in_)
        mean = np.mean(per_tree, axis=0)
        return mean / np.sum(mean)

    @property
    def estimators_samples_(self) -> list[np.ndarray]:
        """The bootstrap sample (indices, with repeats) each tree was grown on."""
        check_is_fitted(self)
        n = self._n_samples
        if not self.bootstrap:
            return [np.arange(n, dtype=np.int32) for _ in self.estimators_]
        return [_bootstrap_indices(t.random_state, n, self._n_samples_bootstrap, self._sample_weight)
                for t in self.estimators_]

    def _oob_sums(self, X: np.ndarray, n_columns: int) -> np.ndarray:
        n = X.shape[0]
        total = np.zeros((n, n_columns, self.n_outputs_))
        counts = np.zeros((n, self.n_outputs_), dtype=np.int64)
        for tree in self.estimators_:
            rows = _unsampled_indices(tree.random_state, n, self._n_samples_bootstrap, self._sample_weight)
            total[rows] += self._oob_tree_prediction(tree, X[rows])
            counts[rows] += 1
        if (counts == 0).any():
            warnings.warn("Some inputs do not have OOB scores. This probably means too few trees were used to "
                          "compute any reliable OOB estimates.", UserWarning, stacklevel=3)
            counts[counts == 0] = 1
        return total / counts[:, None, :]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


class ForestClassifier(ClassifierMixin, BaseForest):
    """Classifier side of the forests: class encoding, class weights, averaged probabilities."""

    def _encode_y(self, y: np.ndarray, sample_weight: np.ndarray | None):
        check_classification_targets(y)
        encoded = np.zeros(y.shape, dtype=np.intp)
        self.classes_, self.n_classes_ = [], []
        for k in range(self.n_outputs_):
            classes_k, encoded[:, k] = np.unique(y[:, k], return_inverse=True)
            self.classes_.append(classes_k)
            self.n_classes_.append(classes_k.size)
        cw = self.class_weight
        if cw is None:
            return encoded, None
        if isinstance(cw, str):
            if cw not in ("balanced", "balanced_subsample"):
                raise ValueError('Valid presets for class_weight include "balanced" and "balanced_subsample".'
                                 f'Given "{cw}".')
            if self.warm_start:
                warnings.warn('class_weight presets "balanced" or "balanced_subsample" are not recommended for '
                              "warm_start if the fitted data differs from the full dataset.", stacklevel=3)
            if cw == "balanced_subsample" and self.bootstrap:
                return encoded, None
            weights = np.ones(encoded.shape[0])
            for k in range(self.n_outputs_):
                counts = np.bincount(encoded[:, k], weights=sample_weight, minlength=self.n_classes_[k])
                weights *= (counts.sum() / (self.n_classes_[k] * counts))[encoded[:, k]]
            return encoded, weights
        return encoded, compute_sample_weight(cw, y)

    def _oob_tree_prediction(self, tree: Any, X: np.ndarray) -> np.ndarray:
        proba = tree.predict_proba(X, check_input=False)
        if self.n_outputs_ == 1:
            return proba[:, :, None]
        width = max(self.n_classes_)
        out = np.zeros((X.shape[0], width, self.n_outputs_))
        for k, p in enumerate(proba):
            out[:, : p.shape[1], k] = p
        return out

    def _set_oob(self, X: np.ndarray, y: np.ndarray) -> None:
        from ..metrics import accuracy_score

        decision = self._oob_sums(X, max(self.n_classes_))
        if decision.shape[-1] == 1:
            decision = decision[..., 0]
        self.oob_decision_function_ = decision
        pred = np.argmax(decision, axis=1)
        score = self.oob_score if callable(self.oob_score) else accuracy_score
        self.oob_score_ = score(y[:, 0] if pred.ndim == 1 else y, pred)

    def predict_proba(self, X: Any):
        """Mean of the trees' class probabilities (a list of arrays for several outputs)."""
        X = self._validate_X_predict(X)
        parts = _run_parallel(self.n_jobs, lambda t: t.predict_proba(X, check_input=False), self.estimators_)
        if self.n_outputs_ == 1:
            return np.mean(parts, axis=0) if parts else None
        return [np.mean([p[k] for p in parts], axis=0) for k in range(self.n_outputs_)]

    def predict_log_proba(self, X: Any):
        """Logarithm of ``predict_proba``."""
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(proba) if self.n_outputs_ == 1 else [np.log(p) for p in proba]

    def predict(self, X: Any) -> np.ndarray:
        """The class with the highest mean probability."""
        proba = self.predict_proba(X)
        if self.n_outputs_ == 1:
            return self.classes_.take(np.argmax(proba, axis=1), axis=0)
        return np.stack([self.classes_[k].take(np.argmax(p, axis=1), axis=0) for k, p in enumerate(proba)], axis=1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class ForestRegressor(RegressorMixin, BaseForest):
    """Regressor side of the forests: averaged predictions."""

    def _oob_tree_prediction(self, tree: Any, X: np.ndarray) -> np.ndarray:
        return tree.predict(X, check_input=False).reshape(X.shape[0], 1, self.n_outputs_)

    def _set_oob(self, X: np.ndarray, y: np.ndarray) -> None:
        from ..metrics import r2_score

        pred = self._oob_sums(X, 1)[:, 0, :]
        if pred.shape[-1] == 1:
            pred = pred[:, 0]
        self.oob_prediction_ = pred
        score = self.oob_score if callable(self.oob_score) else r2_score
        self.oob_score_ = score(y[:, 0] if pred.ndim == 1 else y, pred)

    def predict(self, X: Any) -> np.ndarray:
        """Mean of the trees' predictions."""
        X = self._validate_X_predict(X)
        parts = _run_parallel(self.n_jobs, lambda t: t.predict(X, check_input=False), self.estimators_)
        return np.mean(parts, axis=0)


def _forest_init(self, locals_: dict) -> None:
    for name, value in locals_.items():
        if name not in ("self", "__class__"):
            setattr(self, name, value)


class RandomForestClassifier(ForestClassifier):
    """A random forest of CART classifiers on bootstrap samples, ``sqrt(n_features)`` features per split.

    Attributes (after ``fit``): ``estimators_``, ``classes_``, ``n_classes_``, ``feature_importances_``,
    ``oob_score_`` and ``oob_decision_function_`` (with ``oob_score=True``).
    """

    _tree_class = DecisionTreeClassifier

    def __init__(self, n_estimators: int = 100, *, criterion: str = "gini", max_depth: int | None = None,
                 min_samples_split: int | float = 2, min_samples_leaf: int | float = 1,
                 min_weight_fraction_leaf: float = 0.0, max_features: Any = "sqrt", max_leaf_nodes: int | None = None,
                 min_impurity_decrease: float = 0.0, bootstrap: bool = True, oob_score: bool = False,
                 n_jobs: int | None = None, random_state: Any = None, verbose: int = 0, warm_start: bool = False,
                 class_weight: Any = None, ccp_alpha: float = 0.0, max_samples: Any = None,
                 monotonic_cst: Any = None):
        _forest_init(self, locals())


class RandomForestRegressor(ForestRegressor):
    """A random forest of CART regressors on bootstrap samples (all features tried per split by default)."""

    _tree_class = DecisionTreeRegressor

    def __init__(self, n_estimators: int = 100, *, criterion: str = "squared_error", max_depth: int | None = None,
                 min_samples_split: int | float = 2, min_samples_leaf: int | float = 1,
                 min_weight_fraction_leaf: float = 0.0, max_features: Any = 1.0, max_leaf_nodes: int | None = None,
                 min_impurity_decrease: float = 0.0, bootstrap: bool = True, oob_score: bool = False,
                 n_jobs: int | None = None, random_state: Any = None, verbose: int = 0, warm_start: bool = False,
                 ccp_alpha: float = 0.0, max_samples: Any = None, monotonic_cst: Any = None):
        _forest_init(self, locals())


class ExtraTreesClassifier(ForestClassifier):
    """Extremely randomised trees (random thresholds), grown on the whole training set by default."""

    _tree_class = ExtraTreeClassifier

    def __init__(self, n_estimators: int = 100, *, criterion: str = "gini", max_depth: int | None = None,
                 min_samples_split: int | float = 2, min_samples_leaf: int | float = 1,
                 min_weight_fraction_leaf: float = 0.0, max_features: Any = "sqrt", max_leaf_nodes: int | None = None,
                 min_impurity_decrease: float = 0.0, bootstrap: bool = False, oob_score: bool = False,
                 n_jobs: int | None = None, random_state: Any = None, verbose: int = 0, warm_start: bool = False,
                 class_weight: Any = None, ccp_alpha: float = 0.0, max_samples: Any = None,
                 monotonic_cst: Any = None):
        _forest_init(self, locals())


class ExtraTreesRegressor(ForestRegressor):
    """Extremely randomised regression trees, grown on the whole training set by default."""

    _tree_class = ExtraTreeRegressor

    def __init__(self, n_estimators: int = 100, *, criterion: str = "squared_error", max_depth: int | None = None,
                 min_samples_split: int | float = 2, min_samples_leaf: int | float = 1,
                 min_weight_fraction_leaf: float = 0.0, max_features: Any = 1.0, max_leaf_nodes: int | None = None,
                 min_impurity_decrease: float = 0.0, bootstrap: bool = False, oob_score: bool = False,
                 n_jobs: int | None = None, random_state: Any = None, verbose: int = 0, warm_start: bool = False,
                 ccp_alpha: float = 0.0, max_samples: Any = None, monotonic_cst: Any = None):
        _forest_init(self, locals())
