"""Gradient tree boosting (``GradientBoostingClassifier`` / ``GradientBoostingRegressor``).

Each stage fits regression trees to the negative gradient of the loss, then re-estimates every leaf value
by a one-step line search (Friedman 2001), consuming the random state like scikit-learn so that the same
``random_state`` gives the same trees.
"""
from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
from ..exceptions import NotFittedError
from ..preprocessing._utils import InvalidParameterError
from ..tree import DecisionTreeRegressor
from ..tree._tree import presort_features
from ..utils.multiclass import check_classification_targets
from ..utils.validation import _check_sample_weight, check_is_fitted, check_random_state, column_or_1d, validate_data

__all__ = ["GradientBoostingClassifier", "GradientBoostingRegressor"]

_EPS = np.finfo(np.float64).eps


def _weighted_percentile(x: np.ndarray, w: np.ndarray | None, q: float, *, average: bool = False) -> float:
    """Inverted-CDF weighted percentile (``q`` in [0, 100]); plain linear percentile without weights. With
    ``average``, a percentile falling exactly on a step of the CDF is the mean of that value and the next one
    of positive weight (the averaged inverted CDF)."""
    if w is None:
        return float(np.percentile(x, q))
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cdf = np.cumsum(ws)
    target = q / 100.0 * cdf[-1]
    idx = min(int(np.searchsorted(cdf, target, side="left")), xs.size - 1)
    if average and cdf[idx] == target:
        later = np.flatnonzero(ws[idx + 1:] > 0)
        if later.size:
            return float(0.5 * (xs[idx] + xs[idx + 1 + later[0]]))
    return float(xs[idx])


class _SharedFeatureOrder:
    """The training features sorted once, for every stage's tree that presorts them (``TreeBuilder.presorts``)."""

    def __init__(self):
        self.order = None

    def for_builder(self, builder, X: np.ndarray) -> np.ndarray | None:
        if not builder.presorts(*X.shape):
            return None
        if self.order is None:
            self.order = presort_features(X)
        return self.order


def _expit(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


def _softmax(raw: np.ndarray) -> np.ndarray:
    e = np.exp(raw - raw.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _safe_divide(num: float, den: float) -> float:
    if den == 0 or not np.isfinite(den):
        return 0.0
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        out = num / den
    return float(out) if np.isfinite(out) else 0.0


class _Loss:
    """A loss on raw predictions of shape (n, K): value, negative gradient, leaf line search, link."""

    factor = 1.0
    multiclass = False

    def __init__(self, alpha: float = 0.9, n_classes: int = 2):
        self.alpha, self.n_classes, self.delta = alpha, n_classes, 1.0

    def mean(self, y, raw, w):
        return float(np.average(self.pointwise(y, raw), weights=w))


class _SquaredError(_Loss):
    factor = 2.0

    def pointwise(self, y, raw):
        return 0.5 * (y - raw[:, 0]) ** 2

    def neg_gradient(self, y, raw):
        return (y - raw[:, 0])[:, None]


class _AbsoluteError(_Loss):
    def pointwise(self, y, raw):
        return np.abs(y - raw[:, 0])

    def neg_gradient(self, y, raw):
        return np.where(y >= raw[:, 0], 1.0, -1.0)[:, None]

    def leaf(self, y, ng, residual, w):
        return _weighted_percentile(residual, w, 50.0)


class _Huber(_Loss):
    def pointwise(self, y, raw):
        d = np.abs(y - raw[:, 0])
        return np.where(d <= self.delta, 0.5 * d ** 2, self.delta * (d - 0.5 * self.delta))

    def neg_gradient(self, y, raw):
        d = y - raw[:, 0]
        return np.where(np.abs(d) <= self.delta, d, self.delta * np.sign(d))[:, None]

    def leaf(self, y, ng, residual, w):
        med = _weighted_percentile(residual, w, 50.0)
        diff = residual - med
        return med + float(np.average(np.sign(diff) * np.minimum(self.delta, np.abs(diff)), weights=w))


class _Pinball(_Loss):
    def pointwise(self, y, raw):
        d = y - raw[:, 0]
        return np.where(d >= 0, self.alpha * d, (self.alpha - 1) * d)

    def neg_gradient(self, y, raw):
        return np.where(y >= raw[:, 0], self.alpha, self.alpha - 1)[:, None].astype(np.float64)

    def leaf(self, y, ng, residual, w):
        return _weighted_percentile(residual, w, 100.0 * self.alpha)


class _Binomial(_Loss):
    factor = 2.0

    def pointwise(self, y, raw):
        return np.logaddexp(0.0, raw[:, 0]) - y * raw[:, 0]

    def neg_gradient(self, y, raw):
        return (y - _expit(raw[:, 0]))[:, None]

    def leaf(self, y, ng, residual, w):
        prob = y - ng
        return _safe_divide(np.average(ng, weights=w), np.average(prob * (1 - prob), weights=w))

    def proba(self, raw):
        p = _expit(raw[:, 0])
        return np.column_stack([1 - p, p])

    def link(self, p):
        p = np.clip(p, _EPS, 1 - _EPS)
        return np.log(p[:, 1:2] / (1 - p[:, 1:2]))


class _Multinomial(_Loss):
    multiclass = True

    def pointwise(self, y, raw):
        m = raw.max(axis=1)
        lse = m + np.log(np.exp(raw - m[:, None]).sum(axis=1))
        return lse - raw[np.arange(raw.shape[0]), y.astype(np.intp)]

    def neg_gradient(self, y, raw):
        onehot = (y.astype(np.intp)[:, None] == np.arange(raw.shape[1])).astype(np.float64)
        return onehot - _softmax(raw)

    def leaf(self, y, ng, residual, w):
        prob = y - ng
        K = self.n_classes
        return _safe_divide(np.average(ng, weights=w) * (K - 1) / K, np.average(prob * (1 - prob), weights=w))

    def proba(self, raw):
        return _softmax(raw)

    def link(self, p):
        t = np.log(np.clip(p, _EPS, 1 - _EPS))
        return t - t.mean(axis=1, keepdims=True)


class _Exponential(_Loss):
    def pointwise(self, y, raw):
        e = np.exp(raw[:, 0])
        return y / e + (1 - y) * e

    def neg_gradient(self, y, raw):
        e = np.exp(raw[:, 0])
        return (y / e - (1 - y) * e)[:, None]

    def leaf(self, y, ng, residual, w):
        hess = np.where(y == 0, -ng, ng)
        return _safe_divide(np.average(ng, weights=w), np.average(hess, weights=w))

    def proba(self, raw):
        p = _expit(2.0 * raw[:, 0])
        return np.column_stack([1 - p, p])

    def link(self, p):
        p = np.clip(p, _EPS, 1 - _EPS)
        return 0.5 * np.log(p[:, 1:2] / (1 - p[:, 1:2]))


_REG_LOSSES = {"squared_error": _SquaredError, "absolute_error": _AbsoluteError, "huber": _Huber,
               "quantile": _Pinball}


class _ConstantInit(BaseEstimator):
    """Default initial estimator: class priors, or the mean / a quantile of the target."""

    def __init__(self, strategy: str = "mean", quantile: float | None = None):
        self.strategy = strategy
        self.quantile = quantile

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> _ConstantInit:
        y = np.asarray(y, dtype=np.float64)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if self.strategy == "prior":
            counts = np.bincount(y.astype(np.intp), weights=w)
            self.classes_ = np.arange(counts.size)
            self.class_prior_ = counts / counts.sum()
        elif self.strategy == "mean":
            self.constant_ = float(np.average(y, weights=w))
        else:
            self.constant_ = _weighted_percentile(y, w, 100.0 * self.quantile)
        return self

    def predict(self, X: Any) -> np.ndarray:
        return np.full(len(X), self.constant_)

    def predict_proba(self, X: Any) -> np.ndarray:
        return np.tile(self.class_prior_, (len(X), 1))


class BaseGradientBoosting(BaseEstimator):
    """Shared stage-wise fitting, prediction and state handling of the gradient boosting estimators."""

    def _validate_params(self) -> None:
        name = type(self).__name__

        def bad(param, expected):
            return InvalidParameterError(f"The {param!r} parameter of {name} must be {expected}. "
                                         f"Got {getattr(self, param)!r} instead.")

        def is_int(v):
            return isinstance(v, numbers.Integral) and not isinstance(v, bool)

        def is_real(v):
            return isinstance(v, numbers.Real) and not isinstance(v, bool)

        if self.loss not in self._LOSSES:
            raise bad("loss", f"a str among {set(self._LOSSES)}")
        if not is_real(self.learning_rate) or self.learning_rate < 0:
            raise bad("learning_rate", "a float in the range [0.0, inf)")
        if not is_int(self.n_estimators) or self.n_estimators < 1:
            raise bad("n_estimators", "an int in the range [1, inf)")
        if not is_real(self.subsample) or not 0 < self.subsample <= 1:
            raise bad("subsample", "a float in the range (0.0, 1.0]")
        if self.criterion not in ("deprecated", "friedman_mse", "squared_error"):
            raise bad("criterion", "a str among {'friedman_mse', 'squared_error'}")
        if not is_real(self.validation_fraction) or not 0 < self.validation_fraction < 1:
            raise bad("validation_fraction", "a float in the range (0.0, 1.0)")
        if self.n_iter_no_change is not None and (not is_int(self.n_iter_no_change) or self.n_iter_no_change < 1):
            raise bad("n_iter_no_change", "an int in the range [1, inf) or None")
        if not is_real(self.tol) or self.tol < 0:
            raise bad("tol", "a float in the range [0.0, inf)")
        if hasattr(self, "alpha") and (not is_real(self.alpha) or not 0 < self.alpha < 1):
            raise bad("alpha", "a float in the range (0.0, 1.0)")
        if not (self.init is None or (isinstance(self.init, str) and self.init == "zero")
                or (hasattr(self.init, "fit") and (hasattr(self.init, "predict")
                                                   or hasattr(self.init, "predict_proba")))):
            raise bad("init", "a str among {'zero'}, None or an object implementing 'fit' and 'predict'")

    def _tree(self, rng: np.random.RandomState) -> DecisionTreeRegressor:
        return DecisionTreeRegressor(
            criterion="squared_error", splitter="best", max_depth=self.max_depth,
            min_samples_split=self.min_samples_split, min_samples_leaf=self.min_samples_leaf,
            min_weight_fraction_leaf=self.min_weight_fraction_leaf, min_impurity_decrease=self.min_impurity_decrease,
            max_features=self.max_features, max_leaf_nodes=self.max_leaf_nodes, random_state=rng,
            ccp_alpha=self.ccp_alpha)

    def _clear_state(self) -> None:
        for attr in ("estimators_", "train_score_", "oob_improvement_", "oob_scores_", "oob_score_", "init_",
                     "_rng"):
            if hasattr(self, attr):
                delattr(self, attr)

    def _init_raw(self, X: np.ndarray) -> np.ndarray:
        n, K = X.shape[0], self.n_trees_per_iteration_
        if isinstance(self.init_, str) and self.init_ == "zero":
            return np.zeros((n, K))
        if is_classifier(self):
            return self._loss.link(np.asarray(self.init_.predict_proba(X), dtype=np.float64))
        return np.asarray(self.init_.predict(X), dtype=np.float64).reshape(n, 1)

    def fit(self, X: Any, y: Any, sample_weight: Any = None, monitor: Any = None) -> BaseGradientBoosting:
        """Fits the boosted ensemble (continuing an existing one when ``warm_start``)."""
        self._validate_params()
        if not self.warm_start:
            self._clear_state()
        if self.criterion != "deprecated":
            warnings.warn("The parameter `criterion` is deprecated and will be removed in 1.11. It has no effect. "
                          "Leave it to its default value to avoid this warning.", FutureWarning, stacklevel=2)
        X, y = validate_data(self, X, y, dtype=np.float32, multi_output=True)
        sw_none = sample_weight is None
        sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
        y = self._encode_y(y, None if sw_none else sample_weight)
        y = column_or_1d(y, warn=True)
        self._loss = self._make_loss()
        if self.n_iter_no_change is not None:
            from ..model_selection import train_test_split
            stratify = y if is_classifier(self) else None
            X_tr, X_val, y_tr, y_val, sw_tr, sw_val = train_test_split(
                X, y, sample_weight, random_state=self.random_state, test_size=self.validation_fraction,
                stratify=stratify)
            if is_classifier(self) and self.n_classes_ != np.unique(y_tr).shape[0]:
                raise ValueError("The training data after the early stopping split is missing some classes. "
                                 "Try using another random seed.")
        else:
            X_tr, y_tr, sw_tr, X_val = X, y, sample_weight, None
        n_samples = X_tr.shape[0]
        if not hasattr(self, "estimators_"):
            self.init_ = self.init
            if self.init_ is None:
                if is_classifier(self):
                    self.init_ = _ConstantInit("prior")
                elif self.loss in ("absolute_error", "huber"):
                    self.init_ = _ConstantInit("quantile", 0.5)
                elif self.loss == "quantile":
                    self.init_ = _ConstantInit("quantile", self.alpha)
                else:
                    self.init_ = _ConstantInit("mean")
            if not (isinstance(self.init_, str) and self.init_ == "zero"):
                if sw_none:
                    self.init_.fit(X_tr, y_tr)
                else:
                    try:
                        self.init_.fit(X_tr, y_tr, sample_weight=sw_tr)
                    except TypeError as exc:
                        raise ValueError(f"The initial estimator {type(self.init_).__name__} does not support "
                                         "sample weights.") from exc
            raw = self._init_raw(X_tr)
            self.estimators_ = np.empty((0, self.n_trees_per_iteration_), dtype=object)
            self.train_score_ = np.zeros(0)
            if self.subsample < 1.0:
                self.oob_improvement_, self.oob_scores_, self.oob_score_ = np.zeros(0), np.zeros(0), np.nan
            self._rng = check_random_state(self.random_state)
        else:
            if self.n_estimators < self.estimators_.shape[0]:
                raise ValueError(f"n_estimators={self.n_estimators} must be larger or equal to "
                                 f"estimators_.shape[0]={self.estimators_.shape[0]} when warm_start==True")
            raw = self._raw_predict(X_tr)
            if self.subsample < 1.0 and not hasattr(self, "oob_improvement_"):
                done = self.estimators_.shape[0]
                self.oob_improvement_, self.oob_scores_, self.oob_score_ = np.zeros(done), np.zeros(done), np.nan
        self._fit_stages(X_tr, y_tr, raw, sw_tr, X_val, None if X_val is None else (y_val, sw_val), monitor,
                         n_samples)
        self.n_estimators_ = self.estimators_.shape[0]
        return self

    def _fit_stages(self, X, y, raw, sw, X_val, val, monitor, n_samples) -> None:
        loss, rng, factor = self._loss, self._rng, self._loss.factor
        begin = self.estimators_.shape[0]
        total = self.n_estimators
        do_oob = self.subsample < 1.0
        n_inbag = max(1, int(self.subsample * n_samples))
        mask = np.ones(n_samples, dtype=bool)
        stages = list(self.estimators_)
        train, oob_sc, oob_imp = list(self.train_score_), [], []
        if do_oob:
            oob_sc, oob_imp = list(self.oob_scores_), list(self.oob_improvement_)
        if X_val is not None:
            history = np.full(self.n_iter_no_change, np.inf)
            raw_val = self._init_raw(X_val)
            for stage in stages:
                self._add_stage(raw_val, stage, X_val)
        initial_loss = None
        # pruning happens inside the tree's own fit, so pruned trees sort the features themselves
        feature_order = _SharedFeatureOrder() if self.ccp_alpha == 0.0 else None
        for i in range(begin, total):
            if do_oob:
                u = rng.uniform(size=n_samples)
                mask = np.zeros(n_samples, dtype=bool)
                # sequential selection: keep sample i with probability (needed left) / (samples left)
                need = n_inbag
                for j in range(n_samples):
                    if u[j] * (n_samples - j) < need:
                        mask[j] = True
                        need -= 1
                if i == 0:
                    initial_loss = factor * loss.mean(y[~mask], raw[~mask], sw[~mask])
            stage = self._fit_stage(X, y, raw, sw, mask, rng, feature_order)
            stages.append(stage)
            if do_oob:
                train.append(factor * loss.mean(y[mask], raw[mask], sw[mask]))
                oob_sc.append(factor * loss.mean(y[~mask], raw[~mask], sw[~mask]))
                prev = initial_loss if i == 0 else oob_sc[-2]
                oob_imp.append(prev - oob_sc[-1])
            else:
                train.append(factor * loss.mean(y, raw, sw))
            self._store(stages, train, oob_sc, oob_imp, do_oob)
            if monitor is not None and monitor(i, self, locals()):
                break
            if X_val is not None:
                self._add_stage(raw_val, stage, X_val)
                val_loss = factor * loss.mean(val[0], raw_val, val[1])
                if np.any(val_loss + self.tol < history):
                    history[i % len(history)] = val_loss
                else:
                    break
        self._store(stages, train, oob_sc, oob_imp, do_oob)

    def _store(self, stages, train, oob_sc, oob_imp, do_oob) -> None:
        self.estimators_ = np.empty((len(stages), self.n_trees_per_iteration_), dtype=object)
        for i, stage in enumerate(stages):
            for k in range(self.n_trees_per_iteration_):
                self.estimators_[i, k] = stage[k]
        self.train_score_ = np.asarray(train, dtype=np.float64)
        if do_oob:
            self.oob_scores_ = np.asarray(oob_sc, dtype=np.float64)
            self.oob_improvement_ = np.asarray(oob_imp, dtype=np.float64)
            self.oob_score_ = float(self.oob_scores_[-1]) if len(oob_sc) else np.nan

    def _fit_stage(self, X, y, raw, sw, mask, rng, feature_order: _SharedFeatureOrder | None = None) -> list:
        loss = self._loss
        if isinstance(loss, _Huber):
            loss.delta = _weighted_percentile(np.abs(y - raw[:, 0]), sw, 100.0 * self.alpha)
        neg_grad = loss.neg_gradient(y, raw)
        weights = sw * mask if self.subsample < 1.0 else sw
        stage = []
        for k in range(self.n_trees_per_iteration_):
            y_k = (y == k).astype(np.float64) if loss.multiclass else y
            tree = self._tree(rng)
            jobs = None if feature_order is None else []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                tree._fit(X, neg_grad[:, k], sample_weight=weights, check_input=False, build_jobs=jobs)
            if jobs:  # the tree was set up but left for us to grow with the shared feature order
                builder, tree_, X_tree, y_tree, w_tree = jobs[0]
                builder.build(tree_, X_tree, y_tree, w_tree, feature_order=feature_order.for_builder(builder, X_tree))
            leaves = tree.tree_.apply(X)
            if not isinstance(loss, _SquaredError):
                values = tree.tree_.value
                in_bag = np.flatnonzero(mask)
                bag_leaves = leaves[in_bag]
                for leaf in np.flatnonzero(tree.tree_.children_left == -1):
                    idx = in_bag[bag_leaves == leaf]
                    values[leaf, 0, 0] = loss.leaf(y_k[idx], neg_grad[idx, k], y_k[idx] - raw[idx, k],
                                                   weights[idx])
            raw[:, k] += self.learning_rate * tree.tree_.value[:, 0, 0][leaves]
            stage.append(tree)
        return stage

    def _add_stage(self, raw: np.ndarray, stage: Any, X: np.ndarray) -> None:
        for k, tree in enumerate(stage):
            raw[:, k] += self.learning_rate * tree.tree_.value[:, 0, 0][tree.tree_.apply(X)]

    def _check_X(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        if not hasattr(self, "estimators_"):
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet.")
        return validate_data(self, X, dtype=np.float32, reset=False)

    def _raw_predict(self, X: Any) -> np.ndarray:
        X = self._check_X(X)
        raw = self._init_raw(X)
        for stage in self.estimators_:
            self._add_stage(raw, stage, X)
        return raw

    def _staged_raw_predict(self, X: Any):
        X = self._check_X(X)
        raw = self._init_raw(X)
        for stage in self.estimators_:
            self._add_stage(raw, stage, X)
            yield raw.copy()

    @property
    def feature_importances_(self) -> np.ndarray:
        """Impurity-based importances averaged over the non-trivial trees, normalised to sum to 1."""
        check_is_fitted(self)
        trees = [t for stage in self.estimators_ for t in stage if t.tree_.node_count > 1]
        if not trees:
            return np.zeros(self.n_features_in_)
        avg = np.mean([t.tree_.compute_feature_importances(normalize=False) for t in trees], axis=0)
        return avg / np.sum(avg)

    def apply(self, X: Any) -> np.ndarray:
        """Leaf index of every sample in every tree, shape (n_samples, n_estimators, K)."""
        X = self._check_X(X)
        out = np.zeros((X.shape[0],) + self.estimators_.shape, dtype=np.intp)
        for i, stage in enumerate(self.estimators_):
            for k, tree in enumerate(stage):
                out[:, i, k] = tree.tree_.apply(X)
        return out if is_classifier(self) else out[:, :, 0]


_COMMON_DOC = """
    Parameters follow scikit-learn 1.9: ``loss``, ``learning_rate``, ``n_estimators``, ``subsample``,
    ``criterion`` (deprecated), tree size controls, ``init``, ``random_state``, ``max_features``, ``warm_start``,
    ``validation_fraction``, ``n_iter_no_change``, ``tol``, ``ccp_alpha``.
"""


class GradientBoostingClassifier(ClassifierMixin, BaseGradientBoosting):
    __doc__ = "Gradient boosting for classification (log_loss: binary or K trees per stage; exponential)." + \
        _COMMON_DOC

    _LOSSES = ("log_loss", "exponential")

    def __init__(self, *, loss: str = "log_loss", learning_rate: float = 0.1, n_estimators: int = 100,
                 subsample: float = 1.0, criterion: str = "deprecated", min_samples_split: Any = 2,
                 min_samples_leaf: Any = 1, min_weight_fraction_leaf: float = 0.0, max_depth: int | None = 3,
                 min_impurity_decrease: float = 0.0, init: Any = None, random_state: Any = None,
                 max_features: Any = None, verbose: int = 0, max_leaf_nodes: int | None = None,
                 warm_start: bool = False, validation_fraction: float = 0.1, n_iter_no_change: int | None = None,
                 tol: float = 1e-4, ccp_alpha: float = 0.0):
        self.loss = loss
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.subsample = subsample
        self.criterion = criterion
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_depth = max_depth
        self.min_impurity_decrease = min_impurity_decrease
        self.init = init
        self.random_state = random_state
        self.max_features = max_features
        self.verbose = verbose
        self.max_leaf_nodes = max_leaf_nodes
        self.warm_start = warm_start
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.ccp_alpha = ccp_alpha

    def _encode_y(self, y: Any, sample_weight: np.ndarray | None) -> np.ndarray:
        check_classification_targets(y)
        y = column_or_1d(y, warn=True)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        self.n_classes_ = int(self.classes_.shape[0])
        self.n_trees_per_iteration_ = 1 if self.n_classes_ <= 2 else self.n_classes_
        n_kept = self.n_classes_ if sample_weight is None else int(np.count_nonzero(
            np.bincount(encoded, weights=sample_weight)))
        if n_kept < 2:
            raise ValueError(f"y contains {n_kept} class after sample_weight trimmed classes with zero weights, "
                             "while a minimum of 2 classes are required.")
        return encoded.astype(np.float64)

    def _make_loss(self) -> _Loss:
        if self.loss == "exponential":
            if self.n_classes_ > 2:
                raise ValueError(f"loss='exponential' is only suitable for a binary classification problem, you "
                                 f"have n_classes={self.n_classes_}. Please use loss='log_loss' instead.")
            return _Exponential()
        return _Binomial() if self.n_classes_ == 2 else _Multinomial(n_classes=self.n_classes_)

    def decision_function(self, X: Any) -> np.ndarray:
        """Raw scores: shape (n_samples,) for two classes, (n_samples, n_classes) otherwise."""
        raw = self._raw_predict(X)
        return raw.ravel() if raw.shape[1] == 1 else raw

    def staged_decision_function(self, X: Any):
        """Yields the decision function after each stage."""
        for raw in self._staged_raw_predict(X):
            yield raw.ravel() if raw.shape[1] == 1 else raw

    def _labels(self, raw: np.ndarray) -> np.ndarray:
        idx = (raw[:, 0] > 0).astype(np.intp) if raw.shape[1] == 1 else np.argmax(raw, axis=1)
        return self.classes_[idx]

    def predict(self, X: Any) -> np.ndarray:
        """Predicted class labels."""
        return self._labels(self._raw_predict(X))

    def staged_predict(self, X: Any):
        """Yields the predicted labels after each stage."""
        for raw in self._staged_raw_predict(X):
            yield self._labels(raw)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes)."""
        return self._loss.proba(self._raw_predict(X))

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Logarithm of ``predict_proba``."""
        return np.log(self.predict_proba(X))

    def staged_predict_proba(self, X: Any):
        """Yields the class probabilities after each stage."""
        for raw in self._staged_raw_predict(X):
            yield self._loss.proba(raw)


class GradientBoostingRegressor(RegressorMixin, BaseGradientBoosting):
    __doc__ = "Gradient boosting for regression (squared_error, absolute_error, huber, quantile)." + _COMMON_DOC

    _LOSSES = tuple(_REG_LOSSES)

    def __init__(self, *, loss: str = "squared_error", learning_rate: float = 0.1, n_estimators: int = 100,
                 subsample: float = 1.0, criterion: str = "deprecated", min_samples_split: Any = 2,
                 min_samples_leaf: Any = 1, min_weight_fraction_leaf: float = 0.0, max_depth: int | None = 3,
                 min_impurity_decrease: float = 0.0, init: Any = None, random_state: Any = None,
                 max_features: Any = None, alpha: float = 0.9, verbose: int = 0, max_leaf_nodes: int | None = None,
                 warm_start: bool = False, validation_fraction: float = 0.1, n_iter_no_change: int | None = None,
                 tol: float = 1e-4, ccp_alpha: float = 0.0):
        self.loss = loss
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.subsample = subsample
        self.criterion = criterion
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_depth = max_depth
        self.min_impurity_decrease = min_impurity_decrease
        self.init = init
        self.random_state = random_state
        self.max_features = max_features
        self.alpha = alpha
        self.verbose = verbose
        self.max_leaf_nodes = max_leaf_nodes
        self.warm_start = warm_start
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.ccp_alpha = ccp_alpha

    def _encode_y(self, y: Any, sample_weight: np.ndarray | None) -> np.ndarray:
        self.n_trees_per_iteration_ = 1
        return np.asarray(y, dtype=np.float64)

    def _make_loss(self) -> _Loss:
        return _REG_LOSSES[self.loss](alpha=self.alpha)

    def predict(self, X: Any) -> np.ndarray:
        """Predicted target values."""
        return self._raw_predict(X).ravel()

    def staged_predict(self, X: Any):
        """Yields the predictions after each stage."""
        for raw in self._staged_raw_predict(X):
            yield raw.ravel()
