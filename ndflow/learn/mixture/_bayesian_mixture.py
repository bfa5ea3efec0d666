"""Variational Bayesian Gaussian mixture: Dirichlet (process) prior on the weights, Gauss-Wishart on the rest."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..cluster._common import check_number, check_option
from ..utils.validation import check_array
from ._base import BaseMixture
from ._gaussian_mixture import (
    estimate_gaussian_parameters,
    estimate_log_gaussian_prob,
    log_det_cholesky,
    precision_cholesky,
    precisions_from_cholesky,
)

__all__ = ["BayesianGaussianMixture"]


def _log_dirichlet_norm(concentration: np.ndarray) -> float:
    from scipy.special import gammaln

    return gammaln(np.sum(concentration)) - np.sum(gammaln(concentration))


def _log_wishart_norm(dof: np.ndarray, log_det_precisions_chol: np.ndarray, n_features: int) -> np.ndarray:
    """log of the Wishart normalisation constant (without the constant log(pi) term)."""
    from scipy.special import gammaln

    return -(dof * log_det_precisions_chol + dof * n_features * 0.5 * math.log(2.0)
             + np.sum(gammaln(0.5 * (dof - np.arange(n_features)[:, None])), axis=0))


class BayesianGaussianMixture(BaseMixture):
    """Gaussian mixture fitted by variational inference; unneeded components get weights near zero.

    Fitted attributes as ``GaussianMixture`` plus the posterior parameters ``weight_concentration_``,
    ``mean_precision_``, ``degrees_of_freedom_`` and the priors actually used (``*_prior_``).
    """

    def __init__(self, *, n_components: int = 1, covariance_type: str = "full", tol: float = 1e-3,
                 reg_covar: float = 1e-6, max_iter: int = 100, n_init: int = 1, init_params: str = "kmeans",
                 weight_concentration_prior_type: str = "dirichlet_process", weight_concentration_prior: Any = None,
                 mean_precision_prior: Any = None, mean_prior: Any = None, degrees_of_freedom_prior: Any = None,
                 covariance_prior: Any = None, random_state: Any = None, warm_start: bool = False, verbose: int = 0,
                 verbose_interval: int = 10):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weight_concentration_prior_type = weight_concentration_prior_type
        self.weight_concentration_prior = weight_concentration_prior
        self.mean_precision_prior = mean_precision_prior
        self.mean_prior = mean_prior
        self.degrees_of_freedom_prior = degrees_of_freedom_prior
        self.covariance_prior = covariance_prior
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval

    @property
    def _process(self) -> bool:
        return self.weight_concentration_prior_type == "dirichlet_process"

    def _check_parameters(self, X: np.ndarray) -> None:
        """Validates the priors and sets the ``*_prior_`` attributes (data-driven defaults)."""
        check_option(self, "weight_concentration_prior_type", self.weight_concentration_prior_type,
                     ("dirichlet_process", "dirichlet_distribution"))
        check_number(self, "weight_concentration_prior", self.weight_concentration_prior, "real", 0.0,
                     closed="neither", allow_none=True)
        check_number(self, "mean_precision_prior", self.mean_precision_prior, "real", 0.0, closed="neither",
                     allow_none=True)
        check_number(self, "degrees_of_freedom_prior", self.degrees_of_freedom_prior, "real", allow_none=True)
        n_features = X.shape[1]
        self.weight_concentration_prior_ = (1.0 / self.n_components if self.weight_concentration_prior is None
                                            else self.weight_concentration_prior)
        self.mean_precision_prior_ = 1.0 if self.mean_precision_prior is None else self.mean_precision_prior
        if self.mean_prior is None:
            self.mean_prior_ = X.mean(axis=0)
        else:
            self.mean_prior_ = check_array(self.mean_prior, dtype=[np.float64, np.float32], ensure_2d=False)
            if self.mean_prior_.shape != (n_features,):
                raise ValueError(f"The parameter 'means' should have the shape of ({n_features},), but got "
                                 f"{self.mean_prior_.shape}")
        if self.degrees_of_freedom_prior is None:
            self.degrees_of_freedom_prior_ = n_features
        elif self.degrees_of_freedom_prior > n_features - 1.0:
            self.degrees_of_freedom_prior_ = self.degrees_of_freedom_prior
        else:
            raise ValueError(f"The parameter 'degrees_of_freedom_prior' should be greater than {n_features - 1}, "
                             f"but got {self.degrees_of_freedom_prior:.3f}.")
        self._set_covariance_prior(X)

    def _set_covariance_prior(self, X: np.ndarray) -> None:
        n_features = X.shape[1]
        if self.covariance_prior is None:
            self.covariance_prior_ = {
                "full": lambda: np.atleast_2d(np.cov(X.T)),
                "tied": lambda: np.atleast_2d(np.cov(X.T)),
                "diag": lambda: np.var(X, axis=0, ddof=1),
                "spherical": lambda: np.var(X, axis=0, ddof=1).mean(),
            }[self.covariance_type]()
            return
        expected = {"full": (n_features, n_features), "tied": (n_features, n_features), "diag": (n_features,),
                    "spherical": ()}[self.covariance_type]
        prior = np.asarray(self.covariance_prior, dtype=float) if self.covariance_type == "spherical" else \
            check_array(self.covariance_prior, dtype=[np.float64, np.float32], ensure_2d=False)
        if prior.shape != expected:
            raise ValueError(f"The parameter '{self.covariance_type} covariance_prior' should have the shape of "
                             f"{expected}, but got {prior.shape}")
        self.covariance_prior_ = float(prior) if self.covariance_type == "spherical" else prior

    def _initialize(self, X: np.ndarray, resp: np.ndarray) -> None:
        self._update_posterior(*estimate_gaussian_parameters(X, resp, self.reg_covar, self.covariance_type))

    def _m_step(self, X: np.ndarray, log_resp: np.ndarray) -> None:
        self._update_posterior(*estimate_gaussian_parameters(X, np.exp(log_resp), self.reg_covar,
                                                             self.covariance_type))

    def _update_posterior(self, nk: np.ndarray, xk: np.ndarray, sk: np.ndarray) -> None:
        """Variational updates of the weight, mean and precision posteriors from soft statistics."""
        k = self.n_components
        if self._process:
            tail = np.hstack((np.cumsum(nk[::-1])[-2::-1], 0))
            self.weight_concentration_ = (1.0 + nk, self.weight_concentration_prior_ + tail)
        else:
            self.weight_concentration_ = self.weight_concentration_prior_ + nk
        self.mean_precision_ = self.mean_precision_prior_ + nk
        self.means_ = ((self.mean_precision_prior_ * self.mean_prior_ + nk[:, None] * xk)
                       / self.mean_precision_[:, None])
        diff = xk - self.mean_prior_
        shrink = self.mean_precision_prior_ / self.mean_precision_
        if self.covariance_type == "full":
            self.degrees_of_freedom_ = self.degrees_of_freedom_prior_ + nk
            outer = np.einsum("ki,kj->kij", diff, diff)
            cov = self.covariance_prior_ + nk[:, None, None] * (sk + shrink[:, None, None] * outer)
            self.covariances_ = cov / self.degrees_of_freedom_[:, None, None]
        elif self.covariance_type == "tied":
            self.degrees_of_freedom_ = self.degrees_of_freedom_prior_ + nk.sum() / k
            cov = (self.covariance_prior_ + sk * nk.sum() / k
                   + self.mean_precision_prior_ / k * ((nk / self.mean_precision_) * diff.T) @ diff)
            self.covariances_ = cov / self.degrees_of_freedom_
        elif self.covariance_type == "diag":
            self.degrees_of_freedom_ = self.degrees_of_freedom_prior_ + nk
            cov = self.covariance_prior_ + nk[:, None] * (sk + shrink[:, None] * diff ** 2)
            self.covariances_ = cov / self.degrees_of_freedom_[:, None]
        else:
            self.degrees_of_freedom_ = self.degrees_of_freedom_prior_ + nk
            cov = self.covariance_prior_ + nk * (sk + shrink * np.mean(diff ** 2, axis=1))
            self.covariances_ = cov / self.degrees_of_freedom_
        self.precisions_cholesky_ = precision_cholesky(self.covariances_, self.covariance_type)

    def _estimate_log_weights(self) -> np.ndarray:
        from scipy.special import digamma

        if self._process:
            a, b = self.weight_concentration_
            digamma_sum = digamma(a + b)
            return digamma(a) - digamma_sum + np.hstack((0, np.cumsum(digamma(b) - digamma_sum)[:-1]))
        return digamma(self.weight_concentration_) - digamma(np.sum(self.weight_concentration_))

    def _estimate_log_prob(self, X: np.ndarray) -> np.ndarray:
        from scipy.special import digamma

        n_features = X.shape[1]
        # the covariances are normalised by the degrees of freedom, hence the log(dof) correction
        log_gauss = (estimate_log_gaussian_prob(X, self.means_, self.precisions_cholesky_, self.covariance_type)
                     - 0.5 * n_features * np.log(self.degrees_of_freedom_))
        log_lambda = n_features * np.log(2.0) + np.sum(
            digamma(0.5 * (self.degrees_of_freedom_ - np.arange(n_features)[:, None])), axis=0)
        return log_gauss + 0.5 * (log_lambda - n_features / self.mean_precision_)

    def _compute_lower_bound(self, log_resp: np.ndarray, log_prob_norm: float) -> float:
        """Evidence lower bound up to a constant."""
        from scipy.special import betaln

        n_features = self.mean_prior_.shape[0]
        log_det = (log_det_cholesky(self.precisions_cholesky_, self.covariance_type, n_features)
                   - 0.5 * n_features * np.log(self.degrees_of_freedom_))
        if self.covariance_type == "tied":
            log_wishart = self.n_components * float(np.sum(_log_wishart_norm(self.degrees_of_freedom_, log_det,
                                                                              n_features)))
        else:
            log_wishart = np.sum(_log_wishart_norm(self.degrees_of_freedom_, log_det, n_features))
        if self._process:
            log_norm_weight = -np.sum(betaln(*self.weight_concentration_))
        else:
            log_norm_weight = _log_dirichlet_norm(self.weight_concentration_)
        return float(-np.sum(np.exp(log_resp) * log_resp) - log_wishart - log_norm_weight
                     - 0.5 * n_features * np.sum(np.log(self.mean_precision_)))

    def _get_parameters(self) -> tuple:
        return (self.weight_concentration_, self.mean_precision_, self.means_, self.degrees_of_freedom_,
                self.covariances_, self.precisions_cholesky_)

    def _set_parameters(self, params: tuple) -> None:
        (self.weight_concentration_, self.mean_precision_, self.means_, self.degrees_of_freedom_,
         self.covariances_, self.precisions_cholesky_) = params
        if self._process:
            a, b = self.weight_concentration_
            stick = b / (a + b)
            weights = a / (a + b) * np.hstack((1, np.cumprod(stick[:-1])))
            self.weights_ = weights / weights.sum()
        else:
            self.weights_ = self.weight_concentration_ / np.sum(self.weight_concentration_)
        self.precisions_ = precisions_from_cholesky(self.precisions_cholesky_, self.covariance_type)
