"""Mixture models (``sklearn.mixture``): Gaussian mixtures by EM and their variational Bayesian version."""
from ._bayesian_mixture import BayesianGaussianMixture
from ._gaussian_mixture import GaussianMixture

__all__ = ["GaussianMixture", "BayesianGaussianMixture"]
