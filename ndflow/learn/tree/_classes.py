"""CART decision trees: ``DecisionTreeClassifier``/``Regressor`` and the randomised ``ExtraTree*``."""
from __future__ import annotations

import numbers
import warnings
from math import ceil
from typing import Any

import numpy as np

from ..._core.backend import get_namespace
from ..base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin
from ..preprocessing._utils import InvalidParameterError
from ..utils.multiclass import check_classification_targets
from ..utils.validation import _check_sample_weight, check_is_fitted, check_random_state, validate_data
from ._criterion import make_criterion
from ._tree import RAND_R_MAX, Tree, TreeBuilder, prune_tree, pruned_copy

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "ExtraTreeClassifier", "ExtraTreeRegressor"]

_CLF_CRITERIA = ("gini", "entropy", "log_loss")
_REG_CRITERIA = ("squared_error", "friedman_mse", "absolute_error", "poisson")
_INT_MAX = np.iinfo(np.int32).max


def _invalid(estimator: Any, name: str, expected: str, value: Any) -> InvalidParameterError:
    return InvalidParameterError(
        f"The {name!r} parameter of {type(estimator).__name__} must be {expected}. Got {value!r} instead.")


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def compute_sample_weight(class_weight: Any, y: np.ndarray, indices: np.ndarray | None = None) -> np.ndarray:
    """Per-sample weights from ``class_weight`` ("balanced", a dict, or one dict per output).

    With ``indices`` (bootstrap draws), "balanced" counts classes on ``y[indices]`` only.
    """
    y = np.asarray(y)
    if y.ndim == 1:
        y = y[:, None]
    n_outputs = y.shape[1]
    if not isinstance(class_weight, str) and n_outputs > 1 and (
            not isinstance(class_weight, (list, tuple)) or len(class_weight) != n_outputs):
        raise ValueError("For multi-output, number of elements in class_weight should match number of outputs.")
    weights = np.ones(y.shape[0])
    for k in range(n_outputs):
        cw = class_weight if isinstance(class_weight, str) or n_outputs == 1 else class_weight[k]
        if isinstance(cw, (list, tuple)) and n_outputs == 1:
            cw = cw[0]
        classes, encoded = np.unique(y[:, k], return_inverse=True)
        if isinstance(cw, str):
            if cw not in ("balanced", "balanced_subsample"):
                raise ValueError(f"The only valid preset for class_weight is 'balanced'. Given {cw!r}.")
            subset = encoded if indices is None else encoded[indices]
            counts = np.bincount(subset, minlength=classes.size).astype(np.float64)
            with np.errstate(divide="ignore"):
                per_class = subset.size / (np.count_nonzero(counts) * counts)
            per_class[counts == 0] = 0.0
        else:
            per_class = np.ones(classes.size)
            for label, w in dict(cw).items():
                pos = np.flatnonzero(classes == label)
                if pos.size:
                    per_class[pos[0]] = w
        weights *= per_class[encoded]
    return weights


class BaseDecisionTree(MultiOutputMixin, BaseEstimator):
    """Shared fitting and inspection code of the four tree estimators."""

    _splitter_default = "best"

    # -- validation ------------------------------------------------------------------------------------

    def _check_params(self, n_samples: int) -> dict:
        criteria = _CLF_CRITERIA if self._is_classifier else _REG_CRITERIA
        if self.criterion not in criteria:
            raise _invalid(self, "criterion", "a str among {" + ", ".join(repr(c) for c in criteria) + "}",
                           self.criterion)
        if self.splitter not in ("best", "random"):
            raise _invalid(self, "splitter", "a str among {'best', 'random'}", self.splitter)
        if self.max_depth is not None and not (_is_int(self.max_depth) and self.max_depth >= 1):
            raise _invalid(self, "max_depth", "an int in the range [1, inf) or None", self.max_depth)
        mss = self.min_samples_split
        if _is_int(mss) and mss >= 2:
            min_samples_split = int(mss)
        elif _is_real(mss) and not _is_int(mss) and 0.0 < mss <= 1.0:
            min_samples_split = max(2, ceil(mss * n_samples))
        else:
            raise _invalid(self, "min_samples_split",
                           "an int in the range [2, inf) or a float in the range (0.0, 1.0]", mss)
        msl = self.min_samples_leaf
        if _is_int(msl) and msl >= 1:
            min_samples_leaf = int(msl)
        elif _is_real(msl) and not _is_int(msl) and 0.0 < msl < 1.0:
            min_samples_leaf = ceil(msl * n_samples)
        else:
            raise _invalid(self, "min_samples_leaf",
                           "an int in the range [1, inf) or a float in the range (0.0, 1.0)", msl)
        if not (_is_real(self.min_weight_fraction_leaf) and 0.0 <= self.min_weight_fraction_leaf <= 0.5):
            raise _invalid(self, "min_weight_fraction_leaf", "a float in the range [0.0, 0.5]",
                           self.min_weight_fraction_leaf)
        if self.max_leaf_nodes is not None and not (_is_int(self.max_leaf_nodes) and self.max_leaf_nodes >= 2):
            raise _invalid(self, "max_leaf_nodes", "an int in the range [2, inf) or None", self.max_leaf_nodes)
        if not (_is_real(self.min_impurity_decrease) and self.min_impurity_decrease >= 0):
            raise _invalid(self, "min_impurity_decrease", "a float in the range [0.0, inf)",
                           self.min_impurity_decrease)
        if not (_is_real(self.ccp_alpha) and self.ccp_alpha >= 0):
            raise _invalid(self, "ccp_alpha", "a float in the range [0.0, inf)", self.ccp_alpha)
        if self.monotonic_cst is not None:
            raise NotImplementedError("monotonic_cst is not supported yet")
        return {"min_samples_split": max(min_samples_split, 2 * min_samples_leaf),
                "min_samples_leaf": min_samples_leaf}

    def _resolve_max_features(self, n_features: int) -> int:
        mf = self.max_features
        if isinstance(mf, str) and mf == "sqrt":
            return max(1, int(np.sqrt(n_features)))
        if isinstance(mf, str) and mf == "log2":
            return max(1, int(np.log2(n_features)))
        if mf is None:
            return n_features
        if _is_int(mf) and mf >= 1:
            if mf > n_features:
                raise ValueError(f"max_features must be in (0, n_features], got {mf}.")
            return int(mf)
        if _is_real(mf) and not _is_int(mf) and 0.0 < mf <= 1.0:
            return max(1, int(mf * n_features))
        raise _invalid(self, "max_features", "an int in the range [1, inf), a float in the range (0.0, 1.0], "
                       "a str among {'sqrt', 'log2'} or None", mf)

    # -- fitting ---------------------------------------------------------------------------------------

    def _fit(self, X: Any, y: Any, sample_weight: Any = None, check_input: bool = True,
             bootstrap_indices: np.ndarray | None = None, build_jobs: list | None = None) -> BaseDecisionTree:
        random_state = check_random_state(self.random_state)
        if check_input:
            X, y = validate_data(self, X, y, validate_separately=(
                {"dtype": np.float32, "accept_sparse": False}, {"ensure_2d": False, "dtype": None}))
        else:
            self.n_features_in_ = X.shape[1]
        xp = get_namespace(X)
        X = xp.asarray(X, dtype=xp.float32)
        n_samples = X.shape[0]
        params = self._check_params(n_samples)
        if not self._is_classifier and self.criterion == "friedman_mse":
            warnings.warn('Value `"friedman_mse"` for `criterion` is deprecated and will be removed in 1.11. '
                          'It maps to `"squared_error"` as both were always equivalent. Use '
                          '`criterion="squared_error"` to remove this warning.', FutureWarning, stacklevel=3)
        y = np.atleast_1d(np.asarray(y))
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if y.shape[0] != n_samples:
            raise ValueError(f"Number of labels={y.shape[0]} does not match number of samples={n_samples}")
        self.n_outputs_ = y.shape[1]
        class_weight = None
        if self._is_classifier:
            check_classification_targets(y)
            encoded = np.zeros(y.shape, dtype=np.intp)
            self.classes_, n_classes = [], []
            for k in range(self.n_outputs_):
                classes_k, encoded[:, k] = np.unique(y[:, k], return_inverse=True)
                self.classes_.append(classes_k)
                n_classes.append(classes_k.size)
            if self.class_weight is not None:
                class_weight = compute_sample_weight(self.class_weight, y, bootstrap_indices)
            self.n_classes_ = np.asarray(n_classes, dtype=np.intp)
            y = encoded.astype(np.float64)
        else:
            y = np.ascontiguousarray(y, dtype=np.float64)
            if self.criterion == "poisson":
                if np.any(y < 0):
                    raise ValueError("Some value(s) of y are negative which is not allowed for Poisson regression.")
                if np.sum(y) <= 0:
                    raise ValueError("Sum of y is not positive which is necessary for Poisson regression.")
        self.max_features_ = self._resolve_max_features(self.n_features_in_)
        weights = None if sample_weight is None else _check_sample_weight(sample_weight, X, dtype=np.float64)
        if class_weight is not None:
            weights = class_weight if weights is None else weights * class_weight
        if weights is None:
            min_weight_leaf = self.min_weight_fraction_leaf * n_samples
            weights = np.ones(n_samples)
        else:
            min_weight_leaf = self.min_weight_fraction_leaf * float(np.sum(weights))

        n_classes = self.n_classes_ if self._is_classifier else np.ones(self.n_outputs_, dtype=np.intp)
        criterion = make_criterion(self.criterion, self.n_outputs_, n_classes if self._is_classifier else None)
        max_depth = _INT_MAX if self.max_depth is None else self.max_depth
        max_leaf_nodes = -1 if self.max_leaf_nodes is None else self.max_leaf_nodes
        builder = TreeBuilder(criterion, self.splitter, self.max_features_, params["min_samples_split"],
                              params["min_samples_leaf"], min_weight_leaf, max_depth, max_leaf_nodes,
                              float(self.min_impurity_decrease), random_state.randint(0, RAND_R_MAX))
        self.tree_ = Tree(self.n_features_in_, n_classes, self.n_outputs_)
        if build_jobs is not None:  # the caller grows the tree later (forests grow their trees together)
            build_jobs.append((builder, self.tree_, np.asarray(X), y, weights))
        else:
            builder.build(self.tree_, np.asarray(X), y, weights)
        if self.ccp_alpha > 0.0:
            keep, leaves, _, _ = prune_tree(self.tree_, float(self.ccp_alpha))
            self.tree_ = pruned_copy(self.tree_, keep, leaves)
        if self._is_classifier and self.n_outputs_ == 1:
            self.n_classes_ = self.n_classes_[0]
            self.classes_ = self.classes_[0]
        return self

    @property
    def _is_classifier(self) -> bool:
        return isinstance(self, ClassifierMixin)

    # -- prediction and inspection --------------------------------------------------------------------

    def _validate_X_predict(self, X: Any, check_input: bool) -> np.ndarray:
        check_is_fitted(self)
        if check_input:
            X = validate_data(self, X, dtype=np.float32, reset=False)
        return np.asarray(X, dtype=np.float32)

    def apply(self, X: Any, check_input: bool = True) -> np.ndarray:
        """Index of the leaf each sample ends up in."""
        return self.tree_.apply(self._validate_X_predict(X, check_input))

    def decision_path(self, X: Any, check_input: bool = True):
        """Sparse CSR indicator of the nodes each sample passes through."""
        return self.tree_.decision_path(self._validate_X_predict(X, check_input))

    def get_depth(self) -> int:
        """Depth of the tree (longest root-to-leaf path)."""
        check_is_fitted(self)
        return self.tree_.max_depth

    def get_n_leaves(self) -> int:
        """Number of leaves."""
        check_is_fitted(self)
        return self.tree_.n_leaves

    @property
    def feature_importances_(self) -> np.ndarray:
        """Normalised total impurity decrease contributed by each feature (Gini importance)."""
        check_is_fitted(self)
        return self.tree_.compute_feature_importances()

    def cost_complexity_pruning_path(self, X: Any, y: Any, sample_weight: Any = None):
        """Effective alphas of minimal cost-complexity pruning and the total leaf impurity at each step.

        Returns:
            A Bunch with ``ccp_alphas`` and ``impurities``.
        """
        from ..base import clone
        from ..utils import Bunch

        est = clone(self).set_params(ccp_alpha=0.0)
        est.fit(X, y, sample_weight=sample_weight)
        _, _, alphas, impurities = prune_tree(est.tree_, None)
        return Bunch(ccp_alphas=alphas, impurities=impurities)

    def predict(self, X: Any, check_input: bool = True) -> np.ndarray:
        """Predicted class (most probable) or target value of each sample."""
        X = self._validate_X_predict(X, check_input)
        proba = self.tree_.predict(X)
        n = X.shape[0]
        if self._is_classifier:
            if self.n_outputs_ == 1:
                return self.classes_.take(np.argmax(proba[:, 0], axis=1), axis=0)
            out = np.zeros((n, self.n_outputs_), dtype=self.classes_[0].dtype)
            for k in range(self.n_outputs_):
                out[:, k] = self.classes_[k].take(np.argmax(proba[:, k], axis=1), axis=0)
            return out
        if self.n_outputs_ == 1:
            return proba[:, 0, 0]
        return proba[:, :, 0]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


class DecisionTreeClassifier(ClassifierMixin, BaseDecisionTree):
    """A CART classification tree (Gini or entropy impurity).

    Args:
        criterion: ``"gini"``, ``"entropy"`` or ``"log_loss"`` (same as entropy).
        splitter: ``"best"`` or ``"random"`` (one random threshold per feature).
        max_features: features tried per split: int, fraction, ``"sqrt"``, ``"log2"`` or None (all).
        max_leaf_nodes: grow best-first with at most this many leaves.
        ccp_alpha: complexity parameter of minimal cost-complexity pruning.
    """

    def __init__(self, *, criterion: str = "gini", splitter: str = "best", max_depth: int | None = None,
                 min_samples_split: int | float = 2, min_samples_leaf: int | float = 1,
                 min_weight_fraction_leaf: float = 0.0, max_features: Any = None, random_state: Any = None,
                 max_leaf_nodes: int | None = None, min_impurity_decrease: float = 0.0,
                 class_weight: Any = None, ccp_alpha: float = 0.0, monotonic_cst: Any = None):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha
        self.monotonic_cst = monotonic_cst

    def fit(self, X: Any, y: Any, sample_weight: Any = None, check_input: bool = True) -> DecisionTreeClassifier:
        """Grows the tree on ``X`` and class labels ``y`` (one or several outputs)."""
        return self._fit(X, y, sample_weight=sample_weight, check_input=check_input)

    def predict_proba(self, X: Any, check_input: bool = True):
        """Class fractions of the leaf each sample reaches (a list of arrays for several outputs)."""
        X = self._validate_X_predict(X, check_input)
        proba = self.tree_.predict(X)
        n_classes = np.atleast_1d(self.n_classes_)
        out = []
        for k in range(self.n_outputs_):
            p = proba[:, k, : n_classes[k]]
            norm = p.sum(axis=1, keepdims=True)
            norm[norm == 0.0] = 1.0
            out.append(p / norm)
        return out[0] if self.n_outputs_ == 1 else out

    def predict_log_proba(self, X: Any):
        """Logarithm of ``predict_proba``."""
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            if self.n_outputs_ == 1:
                return np.log(proba)
            return [np.log(p) for p in proba]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class DecisionTreeRegressor(RegressorMixin, BaseDecisionTree):
    """A CART regression tree.

    Args:
        criterion: ``"squared_error"``, ``"absolute_error"``, ``"poisson"`` or the deprecated
            ``"friedman_mse"`` (same as squared error).
        Other arguments as in ``DecisionTreeClassifier``.
    """

    def __init__(self, *, criterion: str = "squared_error", splitter: str = "best", max_depth: int | None = None,
                 min_samples_split: int | float = 2, min_samples_leaf: int | float = 1,
                 min_weight_fraction_leaf: float = 0.0, max_features: Any = None, random_state: Any = None,
                 max_leaf_nodes: int | None = None, min_impurity_decrease: float = 0.0, ccp_alpha: float = 0.0,
                 monotonic_cst: Any = None):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.ccp_alpha = ccp_alpha
        self.monotonic_cst = monotonic_cst

    def fit(self, X: Any, y: Any, sample_weight: Any = None, check_input: bool = True) -> DecisionTreeRegressor:
        """Grows the tree on ``X`` and real targets ``y`` (one or several outputs)."""
        return self._fit(X, y, sample_weight=sample_weight, check_input=check_input)


class ExtraTreeClassifier(DecisionTreeClassifier):
    """An extremely randomised classification tree: one random threshold per drawn feature."""

    def __init__(self, *, criterion: str = "gini", splitter: str = "random", max_depth: int | None = None,
                 min_samples_split: int | float = 2, min_samples_leaf: int | float = 1,
                 min_weight_fraction_leaf: float = 0.0, max_features: Any = "sqrt", random_state: Any = None,
                 max_leaf_nodes: int | None = None, min_impurity_decrease: float = 0.0,
                 class_weight: Any = None, ccp_alpha: float = 0.0, monotonic_cst: Any = None):
        super().__init__(criterion=criterion, splitter=splitter, max_depth=max_depth,
                         min_samples_split=min_samples_split, min_samples_leaf=min_samples_leaf,
                         min_weight_fraction_leaf=min_weight_fraction_leaf, max_features=max_features,
                         random_state=random_state, max_leaf_nodes=max_leaf_nodes,
                         min_impurity_decrease=min_impurity_decrease, class_weight=class_weight,
                         ccp_alpha=ccp_alpha, monotonic_cst=monotonic_cst)


class ExtraTreeRegressor(DecisionTreeRegressor):
    """An extremely randomised regression tree: one random threshold per drawn feature."""

    def __init__(self, *, criterion: str = "squared_error", splitter: str = "random", max_depth: int | None = None,
                 min_samples_split: int | float = 2, min_samples_leaf: int | float = 1,
                 min_weight_fraction_leaf: float = 0.0, max_features: Any = 1.0, random_state: Any = None,
                 min_impurity_decrease: float = 0.0, max_leaf_nodes: int | None = None, ccp_alpha: float = 0.0,
                 monotonic_cst: Any = None):
        super().__init__(criterion=criterion, splitter=splitter, max_depth=max_depth,
                         min_samples_split=min_samples_split, min_samples_leaf=min_samples_leaf,
                         min_weight_fraction_leaf=min_weight_fraction_leaf, max_features=max_features,
                         random_state=random_state, max_leaf_nodes=max_leaf_nodes,
                         min_impurity_decrease=min_impurity_decrease, ccp_alpha=ccp_alpha,
                         monotonic_cst=monotonic_cst)
