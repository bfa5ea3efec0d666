"""Non-negative matrix factorisation ``X ≈ W H`` (Frobenius loss) by coordinate descent or multiplicative updates."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from ..exceptions import ConvergenceWarning
from ..utils.extmath import randomized_svd
from ..utils.validation import _check_non_negative, check_is_fitted, check_random_state, validate_data
from ._params import check_number, check_option

__all__ = ["NMF"]

EPSILON = np.finfo(np.float32).eps


def frobenius_error(X: Any, W: np.ndarray, H: np.ndarray) -> float:
    """``||X - W H||_F``, without densifying a sparse ``X``."""
    if not sp.issparse(X):
        return float(np.sqrt(np.sum((X - W @ H) ** 2)))
    X = X.tocoo()
    cross = np.sum(X.data * np.einsum("ij,ij->i", W[X.row], H.T[X.col]))
    squared = X.multiply(X).sum() + np.sum((W.T @ W) * (H @ H.T)) - 2.0 * cross
    return float(np.sqrt(max(squared, 0.0)))


def initialize_nmf(X: Any, n_components: int, init: str | None = None, eps: float = 1e-6,
                   random_state: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Starting ``W`` and ``H``: scaled random values or NNDSVD (Boutsidis & Gallopoulos 2008) variants.

    Raises:
        ValueError: an NNDSVD init with more components than ``min(n_samples, n_features)``.
    """
    _check_non_negative(X, "NMF initialization")
    n_samples, n_features = X.shape
    if init is not None and init != "random" and n_components > min(n_samples, n_features):
        raise ValueError(
            f"init = '{init}' can only be used when n_components <= min(n_samples, n_features)"
        )
    if init is None:
        init = "nndsvda" if n_components <= min(n_samples, n_features) else "random"
    if init == "random":
        avg = np.sqrt(X.mean() / n_components)
        rng = check_random_state(random_state)
        H = np.abs(avg * rng.standard_normal(size=(n_components, n_features)).astype(X.dtype, copy=False))
        W = np.abs(avg * rng.standard_normal(size=(n_samples, n_components)).astype(X.dtype, copy=False))
        return W, H
    U, S, V = randomized_svd(X, n_components, random_state=random_state)
    # each singular pair contributes its dominant-sign non-negative part
    U_pos, U_neg = np.maximum(U, 0), np.abs(np.minimum(U, 0))
    V_pos, V_neg = np.maximum(V, 0), np.abs(np.minimum(V, 0))
    norms = [np.linalg.norm(a, axis=ax) for a, ax in ((U_pos, 0), (V_pos, 1), (U_neg, 0), (V_neg, 1))]
    mass_pos, mass_neg = norms[0] * norms[1], norms[2] * norms[3]
    use_pos = mass_pos > mass_neg
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(use_pos, U_pos / norms[0], U_neg / norms[2])
        v = np.where(use_pos[:, None], V_pos / norms[1][:, None], V_neg / norms[3][:, None])
    scale = np.sqrt(S * np.where(use_pos, mass_pos, mass_neg))
    W, H = u * scale, v * scale[:, None]
    W[:, 0] = np.sqrt(S[0]) * np.abs(U[:, 0])
    H[0] = np.sqrt(S[0]) * np.abs(V[0])
    W[W < eps] = 0
    H[H < eps] = 0
    W = np.nan_to_num(W, nan=0.0)
    H = np.nan_to_num(H, nan=0.0)
    if init == "nndsvda":
        avg = X.mean()
        W[W == 0] = avg
        H[H == 0] = avg
    elif init == "nndsvdar":
        rng = check_random_state(random_state)
        avg = X.mean()
        W[W == 0] = np.abs(avg * rng.standard_normal(size=int(np.sum(W == 0))) / 100)
        H[H == 0] = np.abs(avg * rng.standard_normal(size=int(np.sum(H == 0))) / 100)
    return W, H


def _cd_sweep(W: np.ndarray, HHt: np.ndarray, XHt: np.ndarray, order: np.ndarray) -> float:
    """One coordinate-descent pass over the columns of ``W`` (all rows at once); returns the violation."""
    violation = 0.0
    for t in order:
        grad = W @ HHt[:, t] - XHt[:, t]
        projected = np.where(W[:, t] == 0, np.minimum(grad, 0.0), grad)
        violation += np.abs(projected).sum()
        if HHt[t, t] != 0:
            W[:, t] = np.maximum(W[:, t] - grad / HHt[t, t], 0.0)
    return violation


def _cd_update(X: Any, W: np.ndarray, Ht: np.ndarray, l1_reg: float, l2_reg: float, shuffle: bool,
               rng: np.random.RandomState) -> float:
    n_components = Ht.shape[1]
    HHt = Ht.T @ Ht
    XHt = np.asarray(X @ Ht)
    if l2_reg != 0.0:
        HHt[np.diag_indices(n_components)] += l2_reg
    if l1_reg != 0.0:
        XHt -= l1_reg
    order = rng.permutation(n_components) if shuffle else np.arange(n_components)
    return _cd_sweep(W, HHt, XHt, order)


def _fit_coordinate_descent(X, W, H, tol, max_iter, l1_reg_W, l1_reg_H, l2_reg_W, l2_reg_H, update_H, shuffle,
                            random_state):
    """Alternating HALS sweeps on ``W`` and ``H``; stops when the violation falls below ``tol`` of the first."""
    Ht = np.ascontiguousarray(H.T)
    W = np.ascontiguousarray(W)
    XT = X.T.tocsr() if sp.issparse(X) else X.T
    rng = check_random_state(random_state)
    first = None
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        violation = _cd_update(X, W, Ht, l1_reg_W, l2_reg_W, shuffle, rng)
        if update_H:
            violation += _cd_update(XT, Ht, W, l1_reg_H, l2_reg_H, shuffle, rng)
        if n_iter == 1:
            first = violation
        if first == 0 or violation / first <= tol:
            break
    return W, Ht.T, n_iter


def _fit_multiplicative_update(X, W, H, max_iter, tol, l1_reg_W, l1_reg_H, l2_reg_W, l2_reg_H, update_H):
    """Lee & Seung's multiplicative updates for the Frobenius loss; the error is checked every 10 steps."""
    error_at_init = previous = frobenius_error(X, W, H)
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        denominator = W @ (H @ H.T)
        if l1_reg_W > 0:
            denominator += l1_reg_W
        if l2_reg_W > 0:
            denominator += l2_reg_W * W
        denominator[denominator == 0] = EPSILON
        W *= np.asarray(X @ H.T) / denominator
        if update_H:
            denominator = (W.T @ W) @ H
            if l1_reg_H > 0:
                denominator += l1_reg_H
            if l2_reg_H > 0:
                denominator += l2_reg_H * H
            denominator[denominator == 0] = EPSILON
            H *= np.asarray((X.T @ W).T) / denominator
        if tol > 0 and n_iter % 10 == 0:
            error = frobenius_error(X, W, H)
            if (previous - error) / error_at_init < tol:
                break
            previous = error
    return W, H, n_iter


class NMF(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Non-negative matrix factorisation with the Frobenius loss.

    Args:
        n_components: rank of the factorisation ("auto" or None: the number of features, or ``H``'s rows).
        init: None, "random", "nndsvd", "nndsvda", "nndsvdar" or "custom" (``W`` and ``H`` passed to fit).
        solver: "cd" (coordinate descent) or "mu" (multiplicative updates).
        beta_loss: only "frobenius" (2) is supported.
        tol, max_iter: stopping rule.
        alpha_W, alpha_H, l1_ratio: elastic-net penalties on ``W`` and ``H`` ("same": ``alpha_W``).
        shuffle: visit the coordinates in random order (cd).
    """

    def __init__(self, n_components: Any = "auto", *, init: str | None = None, solver: str = "cd",
                 beta_loss: Any = "frobenius", tol: float = 1e-4, max_iter: int = 200, random_state: Any = None,
                 alpha_W: float = 0.0, alpha_H: Any = "same", l1_ratio: float = 0.0, verbose: int = 0,
                 shuffle: bool = False) -> None:
        self.n_components = n_components
        self.init = init
        self.solver = solver
        self.beta_loss = beta_loss
        self.tol = tol
        self.max_iter = max_iter
        self.random_state = random_state
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio
        self.verbose = verbose
        self.shuffle = shuffle

    @property
    def _n_features_out(self) -> int:
        return self.components_.shape[0]

    def _check_params(self) -> None:
        check_number(self, "n_components", self.n_components, integer=True, low=1, allow=(None, "auto"))
        check_option(self, "init", self.init, ("random", "nndsvd", "nndsvda", "nndsvdar", "custom", None))
        check_option(self, "solver", self.solver, ("cd", "mu"))
        if not (self.beta_loss == 2 or (isinstance(self.beta_loss, str) and self.beta_loss == "frobenius")):
            if isinstance(self.beta_loss, str):
                check_option(self, "beta_loss", self.beta_loss, ("frobenius", "kullback-leibler", "itakura-saito"))
            else:
                check_number(self, "beta_loss", self.beta_loss)
            if self.solver != "mu":
                raise ValueError(f"Invalid beta_loss parameter: solver {self.solver!r} does not handle "
                                 f"beta_loss = {self.beta_loss!r}")
            raise NotImplementedError("NMF beta_loss other than 'frobenius' is not supported yet")
        check_number(self, "tol", self.tol, low=0)
        check_number(self, "max_iter", self.max_iter, integer=True, low=0)
        check_number(self, "alpha_W", self.alpha_W, low=0)
        check_number(self, "alpha_H", self.alpha_H, low=0, allow=("same",))
        check_number(self, "l1_ratio", self.l1_ratio, low=0, high=1, closed="both")
        if self.solver == "mu" and self.init == "nndsvd":
            warnings.warn(
                "The multiplicative update ('mu') solver cannot update zeros present in the initialization, and so "
                "leads to poorer results when used jointly with init='nndsvd'. You may try init='nndsvda' or "
                "init='nndsvdar' instead.",
                UserWarning, stacklevel=2)

    def _regularization(self, X: Any) -> tuple[float, float, float, float]:
        n_samples, n_features = X.shape
        alpha_H = self.alpha_W if isinstance(self.alpha_H, str) else self.alpha_H
        return (n_features * self.alpha_W * self.l1_ratio, n_samples * alpha_H * self.l1_ratio,
                n_features * self.alpha_W * (1.0 - self.l1_ratio), n_samples * alpha_H * (1.0 - self.l1_ratio))

    def _solve(self, X: Any, W: Any = None, H: Any = None, update_H: bool = True):
        self._check_params()
        n_samples, n_features = X.shape
        n_components = self.n_components
        if not update_H:
            n_components = H.shape[0]
            fill = np.sqrt(X.mean() / n_components) if self.solver == "mu" else 0.0
            W = np.full((n_samples, n_components), fill, dtype=X.dtype)
        elif self.init == "custom":
            W, H = np.array(W, dtype=X.dtype), np.array(H, dtype=X.dtype)
            n_components = H.shape[0] if n_components in (None, "auto") else n_components
            for name, arr, shape in (("H", H, (n_components, n_features)), ("W", W, (n_samples, n_components))):
                if arr.shape != shape:
                    raise ValueError(f"Array with wrong shape passed to NMF (input {name}). Expected {shape}, "
                                     f"but got {arr.shape} ")
                _check_non_negative(arr, f"NMF (input {name})")
        else:
            n_components = n_features if n_components in (None, "auto") else n_components
            W, H = initialize_nmf(X, n_components, init=self.init, random_state=self.random_state)
        l1_W, l1_H, l2_W, l2_H = self._regularization(X)
        if self.solver == "cd":
            W, H, n_iter = _fit_coordinate_descent(X, W, H, self.tol, self.max_iter, l1_W, l1_H, l2_W, l2_H,
                                                   update_H, self.shuffle, self.random_state)
        else:
            W, H, n_iter = _fit_multiplicative_update(X, W, H, self.max_iter, self.tol, l1_W, l1_H, l2_W, l2_H,
                                                      update_H)
        if n_iter == self.max_iter and self.tol > 0:
            warnings.warn(f"Maximum number of iterations {self.max_iter} reached. Increase it to improve "
                          "convergence.", ConvergenceWarning, stacklevel=2)
        return W, H, n_iter

    def _validate_X(self, X: Any, reset: bool) -> Any:
        X = validate_data(self, X, accept_sparse=("csr", "csc"), dtype=[np.float64, np.float32], reset=reset)
        _check_non_negative(X, "NMF (input X)")
        return X

    def fit_transform(self, X: Any, y: Any = None, W: Any = None, H: Any = None) -> np.ndarray:
        """Factorises ``X`` and returns ``W`` (n_samples, n_components).

        Raises:
            ValueError: negative values in ``X``.
        """
        X = self._validate_X(X, reset=True)
        W, H, n_iter = self._solve(X, W, H)
        self.reconstruction_err_ = frobenius_error(X, W, H)
        self.n_components_ = H.shape[0]
        self.components_ = H
        self.n_iter_ = n_iter
        return W

    def fit(self, X: Any, y: Any = None, **params: Any) -> NMF:
        """Factorises ``X``; ``components_`` holds ``H``."""
        self.fit_transform(X, **params)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """``W`` for new data with ``H = components_`` held fixed."""
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        return self._solve(X, H=self.components_, update_H=False)[0]

    def inverse_transform(self, X: Any) -> np.ndarray:
        """``W @ components_``: data back in the input space."""
        check_is_fitted(self)
        return np.asarray(X) @ self.components_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True
        tags.requires_fit = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
