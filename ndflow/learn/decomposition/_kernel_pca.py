"""Kernel PCA: PCA in the feature space of a kernel, with an optional learned pre-image map back."""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from ..exceptions import NotFittedError
from ..metrics.pairwise import pairwise_kernels
from ..utils.extmath import randomized_svd, svd_flip
from ..utils.validation import check_is_fitted, check_random_state, validate_data
from ._params import check_number, check_option

__all__ = ["KernelPCA"]

_KERNELS = ("linear", "poly", "rbf", "sigmoid", "cosine", "precomputed")


def clip_psd_eigenvalues(eigenvalues: np.ndarray) -> np.ndarray:
    """Sets the round-off negatives and relatively tiny values of a PSD spectrum to zero.

    Raises:
        ValueError: all eigenvalues are negative, or some are significantly negative.
    """
    eigenvalues = np.real(np.array(eigenvalues))
    double = eigenvalues.dtype == np.float64
    neg_ratio, neg_value, small_ratio = (1e-5, 1e-10, 1e-12) if double else (5e-3, 1e-6, 2e-7)
    largest = eigenvalues.max()
    if largest < 0:
        raise ValueError(
            f"All eigenvalues are negative (maximum is {largest:g}). Either the matrix is not PSD, or there was an "
            "issue while computing the eigendecomposition of the matrix."
        )
    smallest = eigenvalues.min()
    if smallest < -neg_ratio * largest and smallest < -neg_value:
        raise ValueError(
            f"There are significant negative eigenvalues ({-smallest / largest:g} of the maximum positive). Either "
            "the matrix is not PSD, or there was an issue while computing the eigendecomposition of the matrix."
        )
    eigenvalues[eigenvalues < small_ratio * largest] = 0.0
    return eigenvalues


def randomized_eigsh(M: np.ndarray, n_components: int, *, n_iter: Any = "auto", random_state: Any = None):
    """The ``n_components`` eigenpairs of symmetric ``M`` largest in modulus, by randomized SVD.

    The SVD gives the moduli; an eigenvalue is negative where its left and right singular vectors disagree.
    """
    U, S, Vt = randomized_svd(M, n_components, n_iter=n_iter, flip_sign=False, random_state=random_state)
    signs = np.sign(np.sum(Vt * U.T, axis=1))
    return S * signs, U


class KernelCenterer:
    """Centres a kernel matrix in feature space, as the training kernel's column means define it."""

    def fit(self, K: np.ndarray) -> KernelCenterer:
        self.column_means_ = K.mean(axis=0)
        self.grand_mean_ = self.column_means_.mean()
        return self

    def transform(self, K: np.ndarray) -> np.ndarray:
        row_means = K.sum(axis=1)[:, None] / self.column_means_.shape[0]
        return K - self.column_means_ - row_means + self.grand_mean_


class KernelPCA(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Non-linear dimensionality reduction: PCA of the centred kernel matrix.

    Args:
        n_components: components to keep (None: all with a positive eigenvalue).
        kernel: "linear", "poly", "rbf", "sigmoid", "cosine", "precomputed" or a callable.
        gamma: coefficient of rbf, poly and sigmoid (None: ``1 / n_features``).
        degree, coef0: of the poly and sigmoid kernels.
        kernel_params: keyword arguments of a callable kernel.
        alpha: ridge penalty of the pre-image map (``fit_inverse_transform``).
        fit_inverse_transform: learn a kernel ridge map from projections back to inputs.
        eigen_solver: "auto", "dense", "arpack" or "randomized".
        tol, max_iter: ARPACK settings; iterated_power: randomized power iterations.
        remove_zero_eig: drop components with zero eigenvalue even when ``n_components`` is set.
        random_state: seed of the ARPACK and randomized solvers.
        copy_X: store a copy of the training data (needed by ``transform``).
    """

    def __init__(self, n_components: int | None = None, *, kernel: Any = "linear", gamma: float | None = None,
                 degree: float = 3, coef0: float = 1, kernel_params: dict | None = None, alpha: float = 1.0,
                 fit_inverse_transform: bool = False, eigen_solver: str = "auto", tol: float = 0,
                 max_iter: int | None = None, iterated_power: Any = "auto", remove_zero_eig: bool = False,
                 random_state: Any = None, copy_X: bool = True, n_jobs: int | None = None) -> None:
        self.n_components = n_components
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.kernel_params = kernel_params
        self.alpha = alpha
        self.fit_inverse_transform = fit_inverse_transform
        self.eigen_solver = eigen_solver
        self.tol = tol
        self.max_iter = max_iter
        self.iterated_power = iterated_power
        self.remove_zero_eig = remove_zero_eig
        self.random_state = random_state
        self.copy_X = copy_X
        self.n_jobs = n_jobs

    @property
    def _n_features_out(self) -> int:
        return self.eigenvalues_.shape[0]

    def _validate_params(self) -> None:
        check_number(self, "n_components", self.n_components, integer=True, low=1, allow=(None,))
        if not callable(self.kernel):
            check_option(self, "kernel", self.kernel, _KERNELS)
        check_number(self, "gamma", self.gamma, low=0, allow=(None,))
        check_number(self, "alpha", self.alpha, low=0)
        check_option(self, "eigen_solver", self.eigen_solver, ("auto", "dense", "arpack", "randomized"))
        check_number(self, "tol", self.tol, low=0)
        check_number(self, "max_iter", self.max_iter, integer=True, low=1, allow=(None,))
        check_number(self, "iterated_power", self.iterated_power, integer=True, low=0, allow=("auto",))

    def _get_kernel(self, X: Any, Y: Any = None) -> np.ndarray:
        if callable(self.kernel):
            params = self.kernel_params or {}
        else:
            params = {"gamma": self.gamma_, "degree": self.degree, "coef0": self.coef0}
        return np.asarray(pairwise_kernels(X, Y, metric=self.kernel, filter_params=True, **params))

    def _eigendecompose(self, K: np.ndarray) -> None:
        """Stores the leading eigenpairs of the centred kernel, sorted, signs fixed, null space dropped."""
        from scipy.linalg import eigh
        from scipy.sparse.linalg import eigsh

        n = K.shape[0]
        n_components = n if self.n_components is None else min(n, self.n_components)
        solver = self.eigen_solver
        if solver == "auto":
            solver = "arpack" if n > 200 and n_components < 10 else "dense"
        if solver == "dense":
            eigenvalues, eigenvectors = eigh(K, subset_by_index=(n - n_components, n - 1))
        elif solver == "arpack":
            v0 = check_random_state(self.random_state).uniform(-1, 1, n)
            eigenvalues, eigenvectors = eigsh(K, n_components, which="LA", tol=self.tol, maxiter=self.max_iter,
                                              v0=v0)
        else:
            eigenvalues, eigenvectors = randomized_eigsh(K, n_components, n_iter=self.iterated_power,
                                                         random_state=self.random_state)
        eigenvalues = clip_psd_eigenvalues(eigenvalues)
        eigenvectors, _ = svd_flip(eigenvectors, None)
        order = eigenvalues.argsort()[::-1]
        eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
        if self.remove_zero_eig or self.n_components is None:
            keep = eigenvalues > 0
            eigenvalues, eigenvectors = eigenvalues[keep], eigenvectors[:, keep]
        self.eigenvalues_, self.eigenvectors_ = eigenvalues, eigenvectors

    def fit(self, X: Any, y: Any = None) -> KernelPCA:
        """Fits on ``X`` (or, with ``kernel="precomputed"``, on the training kernel matrix).

        Raises:
            ValueError: ``fit_inverse_transform`` with a precomputed kernel.
        """
        self._validate_params()
        if self.fit_inverse_transform and self.kernel == "precomputed":
            raise ValueError("Cannot fit_inverse_transform with a precomputed kernel.")
        X = validate_data(self, X, accept_sparse="csr", copy=self.copy_X)
        self.gamma_ = 1 / X.shape[1] if self.gamma is None else self.gamma
        self._centerer = KernelCenterer()
        K = self._get_kernel(X)
        self._eigendecompose(self._centerer.fit(K).transform(K))
        if self.fit_inverse_transform:
            self._fit_inverse_transform(self._training_projection(), X)
        self.X_fit_ = X
        return self

    def fit_transform(self, X: Any, y: Any = None, **params: Any) -> np.ndarray:
        """Fits on ``X`` and returns its projection (from the eigenvectors, without a kernel product)."""
        self.fit(X, **params)
        return self._training_projection()

    def _training_projection(self) -> np.ndarray:
        return self.eigenvectors_ * np.sqrt(self.eigenvalues_)

    def transform(self, X: Any) -> np.ndarray:
        """Projects ``X`` on the fitted components in kernel space."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        K = self._centerer.transform(self._get_kernel(X, self.X_fit_))
        positive = self.eigenvalues_ != 0
        scaled = np.zeros_like(self.eigenvectors_)
        scaled[:, positive] = self.eigenvectors_[:, positive] / np.sqrt(self.eigenvalues_[positive])
        return K @ scaled

    def _fit_inverse_transform(self, X_transformed: np.ndarray, X: Any) -> None:
        """Kernel ridge regression from the projections back to ``X`` (the pre-image map)."""
        from scipy import linalg

        if sp.issparse(X):
            raise NotImplementedError("Inverse transform not implemented for sparse matrices!")
        K = self._get_kernel(X_transformed)
        K[np.diag_indices_from(K)] += self.alpha
        self.dual_coef_ = linalg.solve(K, X, assume_a="pos", overwrite_a=True)
        self.X_transformed_fit_ = X_transformed

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Approximate pre-images of projections ``X`` in the input space.

        Raises:
            NotFittedError: ``fit_inverse_transform`` was False.
        """
        if not self.fit_inverse_transform:
            raise NotFittedError(
                "The fit_inverse_transform parameter was not set to True when instantiating and hence the inverse "
                "transform is not available."
            )
        return self._get_kernel(X, self.X_transformed_fit_) @ self.dual_coef_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.pairwise = self.kernel == "precomputed"
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
