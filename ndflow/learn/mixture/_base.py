"""The EM driver shared by the mixture models: initialisation, the E/M loop, prediction and sampling."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..base import BaseEstimator
from ..cluster._common import check_number, check_option
from ..exceptions import ConvergenceWarning
from ..utils.validation import check_is_fitted, check_random_state, validate_data

__all__ = ["BaseMixture"]

_INIT_PARAMS = ("kmeans", "k-means++", "random", "random_from_data")


class BaseMixture(BaseEstimator):
    """Fits by expectation-maximisation; subclasses supply the model-specific steps.

    Subclasses implement ``_check_parameters``, ``_initialize(X, resp)``, ``_m_step(X, log_resp)``,
    ``_estimate_log_prob``, ``_estimate_log_weights``, ``_compute_lower_bound``, ``_get_parameters`` and
    ``_set_parameters``.
    """

    _estimator_type = "DensityEstimator"

    def _check_common_parameters(self) -> None:
        check_number(self, "n_components", self.n_components, "int", 1)
        check_number(self, "tol", self.tol, "real", 0)
        check_number(self, "reg_covar", self.reg_covar, "real", 0)
        check_number(self, "max_iter", self.max_iter, "int", 0)
        check_number(self, "n_init", self.n_init, "int", 1)
        check_option(self, "init_params", self.init_params, _INIT_PARAMS)
        check_option(self, "covariance_type", self.covariance_type, ("full", "tied", "diag", "spherical"))

    def _initial_responsibilities(self, X: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
        """Starting responsibilities ``(n_samples, n_components)`` from ``init_params``."""
        from ..cluster._kmeans import KMeans, _kmeans_plusplus

        n_samples, k = X.shape[0], self.n_components
        if self.init_params == "random":
            resp = rng.uniform(size=(n_samples, k)).astype(X.dtype)
            return resp / resp.sum(axis=1)[:, None]
        resp = np.zeros((n_samples, k), dtype=X.dtype)
        if self.init_params == "kmeans":
            labels = KMeans(n_clusters=k, n_init=1, random_state=rng).fit(X).labels_
            resp[np.arange(n_samples), labels] = 1
            return resp
        if self.init_params == "random_from_data":
            chosen = rng.choice(n_samples, size=k, replace=False)
        else:
            _, chosen = _kmeans_plusplus(X, k, np.einsum("ij,ij->i", X, X), np.ones(n_samples, dtype=X.dtype), rng)
        resp[chosen, np.arange(k)] = 1
        return resp

    def fit(self, X: Any, y: Any = None) -> BaseMixture:
        """Runs EM ``n_init`` times (once more from the fitted state with ``warm_start``) and keeps the best."""
        self.fit_predict(X, y)
        return self

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        """Fits and returns the component of highest posterior probability of each sample.

        Raises:
            ValueError: fewer samples than components, or bad initial parameters.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_samples=2)
        self._check_common_parameters()
        if X.shape[0] < self.n_components:
            raise ValueError(f"Expected n_samples >= n_components but got n_components = {self.n_components}, "
                             f"n_samples = {X.shape[0]}")
        self._check_parameters(X)
        do_init = not (self.warm_start and hasattr(self, "converged_"))
        n_init = self.n_init if do_init else 1
        best_bound, best_params, best_n_iter, best_history = -np.inf, None, 0, []
        self.converged_ = False
        rng = check_random_state(self.random_state)
        for _ in range(n_init):
            if do_init:
                self._initialize(X, self._initial_responsibilities(X, rng))
            bound = -np.inf if do_init else self.lower_bound_
            history = []
            converged, n_iter = False, 0
            while n_iter < self.max_iter:
                n_iter += 1
                previous = bound
                log_prob_norm, log_resp = self._e_step(X)
                self._m_step(X, log_resp)
                bound = self._compute_lower_bound(log_resp, log_prob_norm)
                history.append(bound)
                if abs(bound - previous) < self.tol:
                    converged = True
                    break
            if bound > best_bound or best_bound == -np.inf:
                best_bound, best_params, best_n_iter, best_history = bound, self._get_parameters(), n_iter, history
                self.converged_ = converged
        if not self.converged_ and self.max_iter > 0:
            warnings.warn("Best performing initialization did not converge. Try different init parameters, or "
                          "increase max_iter, tol, or check for degenerate data.", ConvergenceWarning,
                          stacklevel=2)
        self._set_parameters(best_params)
        self.n_iter_ = best_n_iter
        self.lower_bound_ = best_bound
        self.lower_bounds_ = best_history
        # a last E-step so that fit_predict(X) always equals fit(X).predict(X)
        return self._e_step(X)[1].argmax(axis=1)

    def _e_step(self, X: np.ndarray) -> tuple[float, np.ndarray]:
        log_prob_norm, log_resp = self._estimate_log_prob_resp(X)
        return float(np.mean(log_prob_norm)), log_resp

    def _estimate_weighted_log_prob(self, X: np.ndarray) -> np.ndarray:
        return self._estimate_log_prob(X) + self._estimate_log_weights()

    def _estimate_log_prob_resp(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-sample log-likelihood and log-responsibilities (normalised with log-sum-exp)."""
        from scipy.special import logsumexp

        weighted = self._estimate_weighted_log_prob(X)
        log_prob_norm = logsumexp(weighted, axis=1)
        with np.errstate(under="ignore"):
            log_resp = weighted - log_prob_norm[:, None]
        return log_prob_norm, log_resp

    def _validated(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=[np.float64, np.float32])

    def score_samples(self, X: Any) -> np.ndarray:
        """Log of the mixture density at each sample."""
        from scipy.special import logsumexp

        return logsumexp(self._estimate_weighted_log_prob(self._validated(X)), axis=1)

    def score(self, X: Any, y: Any = None) -> float:
        """Mean log-likelihood per sample."""
        return float(self.score_samples(X).mean())

    def predict(self, X: Any) -> np.ndarray:
        """Most probable component of each sample."""
        return self._estimate_weighted_log_prob(self._validated(X)).argmax(axis=1)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Posterior probability of each component, shape ``(n_samples, n_components)``."""
        return np.exp(self._estimate_log_prob_resp(self._validated(X))[1])

    def sample(self, n_samples: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Draws ``n_samples`` points from the fitted mixture, grouped by component.

        Returns:
            ``(X, y)``: the samples and the component each came from.

        Raises:
            ValueError: ``n_samples < 1``.
        """
        check_is_fitted(self)
        if n_samples < 1:
            raise ValueError(f"Invalid value for 'n_samples': {n_samples} . The sampling requires at least one "
                             "sample.")
        n_features = self.means_.shape[1]
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_)
        if self.covariance_type == "full":
            parts = [rng.multivariate_normal(m, c, int(n)) for m, c, n in zip(self.means_, self.covariances_, counts)]
        elif self.covariance_type == "tied":
            parts = [rng.multivariate_normal(m, self.covariances_, int(n)) for m, n in zip(self.means_, counts)]
        else:
            parts = [m + rng.standard_normal(size=(n, n_features)) * np.sqrt(c)
                     for m, c, n in zip(self.means_, self.covariances_, counts)]
        labels = np.repeat(np.arange(len(counts)), counts)
        return np.vstack(parts), labels

    def _update_sklearn_tags(self, tags) -> None:
        tags.estimator_type = "density_estimator"
