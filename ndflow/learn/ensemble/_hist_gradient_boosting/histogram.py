"""Gradient/hessian/count histograms of a node for all features at once.

A histogram is a float64 array of shape (3, n_features, n_bins): summed gradients, summed hessians and
sample counts per bin; with a constant hessian of 1 the hessian row is dropped (shape (2, ...)): the counts
stand for it. The bins of all features are filled at once, either by ``np.bincount`` over the flat bin ids
``feature * n_bins + code`` (small nodes) or, for large nodes, by one sparse product of a one-hot matrix (one
column per sample) with the per-sample values, which reads the bin ids only once for all rows. Either way
each bin sums its samples in index order, as a sequential scan does.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

_SPARSE_MIN_SAMPLES = 2000  # below this, building the sparse matrix costs more than it saves


class HistogramBuilder:
    """Builds node histograms from feature-major uint8 codes ``X_binned`` (n_features, n_samples).

    One builder serves a whole fit: ``set_gradients`` is called before each tree (``hessians=None``: a
    constant hessian of 1).
    """

    def __init__(self, X_binned: np.ndarray, n_bins: int):
        n_features, self.n_samples = X_binned.shape
        self.n_features, self.n_bins = n_features, n_bins
        self.size = n_features * n_bins
        # flat bin ids ``feature * n_bins + code``, sample-major so a node's rows are gathered contiguously
        self.flat_codes = np.ascontiguousarray(X_binned.T) + (np.arange(n_features, dtype=np.int32) * n_bins)
        self._ones = np.ones(self.flat_codes.size)
        self._indptr = np.arange(0, self.flat_codes.size + 1, n_features, dtype=np.int32)
        self._all_counts = np.bincount(self.flat_codes.ravel(), minlength=self.size).reshape(n_features, n_bins)
        self.gradients = self.hessians = None

    @property
    def shape(self) -> tuple[int, int, int]:
        return (2 if self.hessians is None else 3, self.n_features, self.n_bins)

    def set_gradients(self, gradients: np.ndarray, hessians: np.ndarray | None) -> None:
        self.gradients = gradients.astype(np.float64)
        self.hessians = None if hessians is None else hessians.astype(np.float64)

    def _one_hot(self, codes: np.ndarray) -> sp.csc_matrix:
        n = codes.shape[0]
        return sp.csc_matrix((self._ones[:codes.size], codes.ravel(), self._indptr[:n + 1]), shape=(self.size, n))

    def build(self, sample_indices: np.ndarray | None, out: np.ndarray | None = None) -> np.ndarray:
        """Histogram of the samples ``sample_indices`` (all samples when None), written to ``out`` if given."""
        hist = np.empty(self.shape) if out is None else out
        n_rows = hist.shape[0]
        if sample_indices is None:  # the counts of all samples never change: only sum the other rows
            codes, grads, hess, hist[-1], n_summed = self.flat_codes, self.gradients, self.hessians, \
                self._all_counts, n_rows - 1
        else:
            codes, grads = self.flat_codes.take(sample_indices, axis=0), self.gradients.take(sample_indices)
            hess = None if self.hessians is None else self.hessians.take(sample_indices)
            n_summed = n_rows
        if codes.shape[0] >= _SPARSE_MIN_SAMPLES:
            values = np.ones((codes.shape[0], n_summed))
            values[:, 0] = grads
            if hess is not None:
                values[:, 1] = hess
            sums = self._one_hot(codes) @ values
            hist[:n_summed] = sums.T.reshape(n_summed, self.n_features, self.n_bins)
            return hist
        flat = codes.ravel()
        hist[0] = self._bincount(flat, np.repeat(grads, self.n_features))
        if hess is not None:
            hist[1] = self._bincount(flat, np.repeat(hess, self.n_features))
        if n_summed == n_rows:
            hist[-1] = self._bincount(flat, None)
        return hist

    def _bincount(self, flat_codes: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
        return np.bincount(flat_codes, weights=weights, minlength=self.size).reshape(self.n_features, self.n_bins)
