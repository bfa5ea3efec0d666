"""Polynomial and B-spline feature expansions."""

from __future__ import annotations

import numbers
from itertools import chain, combinations, combinations_with_replacement

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import _check_feature_names_in, check_is_fitted, validate_data
from ._utils import (
    FLOAT_DTYPES,
    InvalidParameterError,
    check_option,
    checked_sample_weight,
    sklearn_tags_hook,
    wrap_output,
)

__all__ = ["PolynomialFeatures", "SplineTransformer"]


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """All monomials of the features up to ``degree`` (or between a ``(min, max)`` degree pair)."""

    _update_sklearn_tags = sklearn_tags_hook(sparse=True)

    def __init__(self, degree=2, *, interaction_only: bool = False, include_bias: bool = True, order: str = "C"):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias
        self.order = order

    def _degrees(self) -> tuple[int, int]:
        degree = self.degree
        if isinstance(degree, numbers.Integral) and not isinstance(degree, bool):
            if degree < 0:
                raise InvalidParameterError(
                    "The 'degree' parameter of PolynomialFeatures must be an int in the range [0, inf) or "
                    f"an array-like. Got {degree!r} instead."
                )
            if degree == 0 and not self.include_bias:
                raise ValueError(
                    "Setting degree to zero and include_bias to False would result in an empty output array."
                )
            return 0, int(degree)
        low, high = degree
        if not (isinstance(low, numbers.Integral) and isinstance(high, numbers.Integral) and 0 <= low <= high):
            raise ValueError(
                "degree=(min_degree, max_degree) must be non-negative integers that fulfil min_degree <= "
                f"max_degree, got {degree}."
            )
        if high == 0 and not self.include_bias:
            raise ValueError(
                "Setting both min_degree and max_degree to zero and include_bias to False would result in "
                "an empty output array."
            )
        return int(low), int(high)

    def _combinations(self) -> list[tuple[int, ...]]:
        pick = combinations if self.interaction_only else combinations_with_replacement
        low, high = self._min_degree, self._max_degree
        start = max(1, low)
        combos = chain.from_iterable(pick(range(self.n_features_in_), d) for d in range(start, high + 1))
        return ([()] if self.include_bias else []) + list(combos)

    @property
    def powers_(self) -> np.ndarray:
        """``(n_output_features_, n_features_in_)`` exponents of every output monomial."""
        check_is_fitted(self)
        combos = self._combinations()
        powers = np.zeros((len(combos), self.n_features_in_), dtype=np.int64)
        for row, combo in enumerate(combos):
            np.add.at(powers[row], list(combo), 1)
        return powers

    def fit(self, X, y=None) -> PolynomialFeatures:
        """Counts the output features for ``X``'s number of features."""
        self._min_degree, self._max_degree = self._degrees()
        validate_data(self, X, accept_sparse=("csr", "csc"))
        self.n_output_features_ = len(self._combinations())
        return self

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names like ``"1"``, ``"x0"``, ``"x0^2"``, ``"x0 x1"``."""
        names = _check_feature_names_in(self, input_features)
        out = []
        for row in self.powers_:
            terms = [names[j] if p == 1 else f"{names[j]}^{p}" for j, p in enumerate(row) if p]
            out.append(" ".join(terms) if terms else "1")
        return np.asarray(out, dtype=object)

    def transform(self, X):
        """Returns the monomials of ``X``, built degree by degree from the previous degree's products."""
        check_is_fitted(self)
        X_in = X
        X = validate_data(self, X, reset=False, accept_sparse=("csr", "csc"), dtype=FLOAT_DTYPES)
        sparse_format = X.format if sp.issparse(X) else None
        if sparse_format:
            X = X.tocsc()
        products: dict[tuple[int, ...], object] = {}

        def product(combo: tuple[int, ...]):
            if combo not in products:
                feature = X[:, [combo[-1]]] if sparse_format else X[:, combo[-1]]
                if len(combo) == 1:
                    products[combo] = feature
                else:
                    prefix = product(combo[:-1])
                    products[combo] = prefix.multiply(feature).tocsc() if sparse_format else prefix * feature
            return products[combo]

        ones = (
            sp.csc_matrix(np.ones((X.shape[0], 1), dtype=X.dtype))
            if sparse_format
            else np.ones(X.shape[0], dtype=X.dtype)
        )
        columns = [product(combo) if combo else ones for combo in self._combinations()]
        if sparse_format:
            return wrap_output(self, sp.hstack(columns, format=sparse_format, dtype=X.dtype), X_in)
        out = np.empty((X.shape[0], len(columns)), dtype=X.dtype, order=self.order)
        for j, col in enumerate(columns):
            out[:, j] = col
        return wrap_output(self, out, X_in)


class SplineTransformer(TransformerMixin, BaseEstimator):
    """B-spline basis of every feature: ``n_knots + degree - 1`` columns per feature."""

    def __init__(
        self,
        n_knots: int = 5,
        degree: int = 3,
        *,
        knots="uniform",
        extrapolation: str = "constant",
        include_bias: bool = True,
        order: str = "C",
        handle_missing: str = "error",
        sparse_output: bool = False,
    ):
        self.n_knots = n_knots
        self.degree = degree
        self.knots = knots
        self.extrapolation = extrapolation
        self.include_bias = include_bias
        self.order = order
        self.handle_missing = handle_missing
        self.sparse_output = sparse_output

    def _base_knots(self, X: np.ndarray, sample_weight) -> np.ndarray:
        if isinstance(self.knots, str):
            check_option(self, "knots", self.knots, ("uniform", "quantile"))
            if not (isinstance(self.n_knots, numbers.Integral) and self.n_knots >= 2):
                raise InvalidParameterError(
                    "The 'n_knots' parameter of SplineTransformer must be an int in the range [2, inf). "
                    f"Got {self.n_knots!r} instead."
                )
            rows = X if sample_weight is None else X[np.asarray(sample_weight) > 0]
            if self.knots == "quantile":
                if sample_weight is not None:
                    raise NotImplementedError(
                        "SplineTransformer with sample_weight and knots='quantile' is not supported yet"
                    )
                return np.nanpercentile(rows, np.linspace(0, 100, self.n_knots), axis=0)
            low, high = np.nanmin(rows, axis=0), np.nanmax(rows, axis=0)
            return np.linspace(low, high, num=self.n_knots, endpoint=True)
        knots = np.asarray(self.knots, dtype=np.float64)
        if knots.ndim != 2 or knots.shape[0] < 2:
            raise ValueError("Number of knots, knots.shape[0], must be >= 2.")
        if knots.shape[1] != X.shape[1]:
            raise ValueError("knots.shape[1] == n_features is violated.")
        if not np.all(np.diff(knots, axis=0) > 0):
            raise ValueError("knots must be sorted without duplicates.")
        return knots

    def fit(self, X, y=None, sample_weight=None) -> SplineTransformer:
        """Places the knots and builds one ``scipy.interpolate.BSpline`` per feature (``bsplines_``).

        Raises:
            ValueError: invalid knots or parameters.
        """
        from scipy.interpolate import BSpline

        check_option(self, "extrapolation", self.extrapolation, ("error", "constant", "linear", "continue", "periodic"))
        check_option(self, "handle_missing", self.handle_missing, ("error", "zeros"))
        if not (isinstance(self.degree, numbers.Integral) and self.degree >= 0):
            raise InvalidParameterError(
                "The 'degree' parameter of SplineTransformer must be an int in the range [0, inf). "
                f"Got {self.degree!r} instead."
            )
        X = validate_data(
            self,
            X,
            reset=True,
            ensure_min_samples=2,
            ensure_all_finite="allow-nan",
        )
        if self.handle_missing == "error" and np.isnan(X).any():
            raise ValueError(
                "Input X contains NaN values and `SplineTransformer` is configured to error in this case "
                "(handle_missing='error'). To avoid this error, set handle_missing='zeros' to encode missing "
                "values as splines with value 0 or ensure no missing values in X."
            )
        base = self._base_knots(X, checked_sample_weight(sample_weight, X)).astype(np.float64)
        degree = self.degree
        periodic = self.extrapolation == "periodic"
        if periodic:
            period = base[-1] - base[0]
            knots = np.concatenate([base[-(degree + 1) : -1] - period, base, base[1 : degree + 1] + period])
        else:
            step_low = base[1] - base[0]
            step_high = base[-1] - base[-2]
            knots = np.concatenate(
                [
                    np.linspace(base[0] - degree * step_low, base[0] - step_low, num=degree),
                    base,
                    np.linspace(base[-1] + step_high, base[-1] + degree * step_high, num=degree),
                ]
            )
        n_splines = knots.shape[0] - degree - 1
        if periodic:
            n_splines -= degree
            coef = np.concatenate([np.eye(n_splines), np.eye(n_splines)[:degree]])
            extrapolate = "periodic"
        else:
            coef = np.eye(n_splines)
            extrapolate = self.extrapolation == "continue"
        self.bsplines_ = [
            BSpline.construct_fast(knots[:, i], coef, degree, extrapolate=extrapolate) for i in range(X.shape[1])
        ]
        self.n_features_out_ = X.shape[1] * (n_splines - (not self.include_bias))
        return self

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names ``<feature>_sp_<j>``."""
        check_is_fitted(self, "n_features_in_")
        names = _check_feature_names_in(self, input_features)
        per_feature = self.n_features_out_ // self.n_features_in_
        return np.asarray([f"{name}_sp_{j}" for name in names for j in range(per_feature)], dtype=object)

    def transform(self, X):
        """Evaluates every feature's B-spline basis, extrapolating as ``extrapolation`` says.

        Raises:
            ValueError: with ``extrapolation="error"``, values outside the knots.
        """
        check_is_fitted(self)
        X_in = X
        X = validate_data(
            self,
            X,
            reset=False,
            dtype=FLOAT_DTYPES,
            ensure_all_finite="allow-nan" if self.handle_missing == "zeros" else True,
        )
        n_samples, n_features = X.shape
        degree = self.degree
        n_splines = self.bsplines_[0].c.shape[1]
        out = np.zeros((n_samples, n_features * n_splines), dtype=X.dtype, order=self.order)
        for i, spline in enumerate(self.bsplines_):
            block = slice(i * n_splines, (i + 1) * n_splines)
            x = X[:, i].astype(np.float64)
            missing = np.isnan(x)
            x = np.where(missing, 0.0, x) if self.handle_missing == "zeros" else x
            xmin, xmax = spline.t[degree], spline.t[-degree - 1]
            if self.extrapolation == "periodic":
                values = spline(xmin + (x - xmin) % (xmax - xmin))
            elif self.extrapolation in ("continue", "error"):
                values = spline(x)
                if self.extrapolation == "error" and np.any(((x < xmin) | (x > xmax)) & ~missing):
                    raise ValueError("`X` contains values beyond the limits of the knots.")
            else:
                values = self._extrapolate(spline, x, xmin, xmax, n_splines)
            values[missing] = 0.0
            out[:, block] = values
        if not self.include_bias:
            keep = np.arange(out.shape[1]) % n_splines != n_splines - 1
            out = out[:, keep]
        if self.sparse_output:
            return sp.csr_matrix(out)
        return wrap_output(self, out, X_in)

    def _extrapolate(self, spline, x, xmin, xmax, n_splines) -> np.ndarray:
        """Spline values inside the knots; constant or linear continuation of the boundary splines outside."""
        degree = self.degree
        inside = (x >= xmin) & (x <= xmax)
        values = np.zeros((x.shape[0], n_splines))
        values[inside] = spline(x[inside])
        low, high = x < xmin, x > xmax
        if degree == 0:
            values[low, 0] = 1.0 if self.extrapolation == "constant" else values[low, 0]
            values[high, -1] = 1.0 if self.extrapolation == "constant" else values[high, -1]
            return values
        f_min, f_max = spline(xmin), spline(xmax)
        if self.extrapolation == "constant":
            values[np.ix_(low, np.arange(degree))] = f_min[:degree]
            values[np.ix_(high, np.arange(n_splines - degree, n_splines))] = f_max[-degree:]
            return values
        slope_min, slope_max = spline(xmin, nu=1), spline(xmax, nu=1)
        first = np.arange(degree)
        last = np.arange(n_splines - degree, n_splines)
        values[np.ix_(low, first)] = f_min[first] + (x[low, None] - xmin) * slope_min[first]
        values[np.ix_(high, last)] = f_max[last] + (x[high, None] - xmax) * slope_max[last]
        return values
