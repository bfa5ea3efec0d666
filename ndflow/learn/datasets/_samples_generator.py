"""Synthetic data sets: ``make_moons``, ``make_circles``, ``make_blobs``, ``make_classification``,
``make_regression`` and ``make_swiss_roll``.

Each draws from its ``RandomState`` in the same order as scikit-learn, so the same ``random_state`` gives
the same arrays.
"""
from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..utils._bunch import Bunch
from ..utils.validation import check_array, check_random_state

__all__ = ["make_blobs", "make_circles", "make_classification", "make_low_rank_matrix", "make_moons",
           "make_regression", "make_swiss_roll"]


def _shuffle_rows(rng: np.random.RandomState, *arrays: np.ndarray) -> list[np.ndarray]:
    """Applies one random permutation (``rng.shuffle`` of ``arange``) to the rows of every array."""
    order = np.arange(arrays[0].shape[0])
    rng.shuffle(order)
    return [a[order] for a in arrays]


def _split_two(n_samples: Any, error: str) -> tuple[int, int]:
    if isinstance(n_samples, numbers.Integral):
        return n_samples // 2, n_samples - n_samples // 2
    try:
        n_out, n_in = n_samples
    except (TypeError, ValueError) as exc:
        raise ValueError(error) from exc
    return n_out, n_in


def _two_groups(x_out, y_out, x_in, y_in) -> tuple[np.ndarray, np.ndarray]:
    X = np.column_stack([np.concatenate([x_out, x_in]), np.concatenate([y_out, y_in])])
    y = np.concatenate([np.zeros(len(x_out), dtype=np.intp), np.ones(len(x_in), dtype=np.intp)])
    return X, y


def make_moons(n_samples: int | tuple[int, int] = 100, *, shuffle: bool = True, noise: float | None = None,
               random_state: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles in 2-D (labels 0 for the upper, 1 for the lower moon).

    Raises:
        ValueError: ``n_samples`` neither an int nor a pair.
    """
    n_out, n_in = _split_two(n_samples, "`n_samples` can be either an int or a two-element tuple.")
    rng = check_random_state(random_state)
    angle_out, angle_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X, y = _two_groups(np.cos(angle_out), np.sin(angle_out), 1 - np.cos(angle_in), 1 - np.sin(angle_in) - 0.5)
    if shuffle:
        X, y = _shuffle_rows(rng, X, y)
    if noise is not None:
        X += rng.normal(scale=noise, size=X.shape)
    return X, y


def make_circles(n_samples: int | tuple[int, int] = 100, *, shuffle: bool = True, noise: float | None = None,
                 random_state: Any = None, factor: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
    """A large circle (label 0) around a smaller one scaled by ``factor`` (label 1), in 2-D.

    Raises:
        ValueError: a tuple ``n_samples`` without exactly two elements, or ``factor`` outside [0, 1).
    """
    if not 0 <= factor < 1:
        raise ValueError(f"The 'factor' parameter of make_circles must be a float in the range [0, 1). "
                         f"Got {factor!r} instead.")
    if not isinstance(n_samples, numbers.Integral) and len(n_samples) != 2:
        raise ValueError("When a tuple, n_samples must have exactly two elements.")
    n_out, n_in = _split_two(n_samples, "When a tuple, n_samples must have exactly two elements.")
    rng = check_random_state(random_state)
    angle_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    angle_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X, y = _two_groups(np.cos(angle_out), np.sin(angle_out), np.cos(angle_in) * factor,
                       np.sin(angle_in) * factor)
    if shuffle:
        X, y = _shuffle_rows(rng, X, y)
    if noise is not None:
        X += rng.normal(scale=noise, size=X.shape)
    return X, y


def make_blobs(n_samples: int | Iterable[int] = 100, n_features: int = 2, *, centers: Any = None,
               cluster_std: float | Iterable[float] = 1.0, center_box: tuple[float, float] = (-10.0, 10.0),
               shuffle: bool = True, random_state: Any = None, return_centers: bool = False):
    """Isotropic Gaussian blobs, one per center.

    Args:
        n_samples: total count split evenly over the centers, or one count per center.
        centers: number of centers (drawn uniformly in ``center_box``) or their coordinates.

    Returns:
        ``(X, y)``, plus the centers with ``return_centers``.
    """
    rng = check_random_state(random_state)
    if isinstance(n_samples, numbers.Integral):
        centers = 3 if centers is None else centers
        if isinstance(centers, numbers.Integral):
            n_centers = centers
            centers = rng.uniform(center_box[0], center_box[1], size=(n_centers, n_features))
        else:
            centers = check_array(centers)
            n_centers, n_features = centers.shape
    else:
        n_centers = len(n_samples)
        if centers is None:
            centers = rng.uniform(center_box[0], center_box[1], size=(n_centers, n_features))
        if not isinstance(centers, Iterable):
            raise ValueError(f"Parameter `centers` must be array-like. Got {centers!r} instead")
        if len(centers) != n_centers:
            raise ValueError("Length of `n_samples` not consistent with number of centers. Got n_samples = "
                             f"{n_samples} and centers = {centers}")
        centers = check_array(centers)
        n_features = centers.shape[1]
    if hasattr(cluster_std, "__len__") and len(cluster_std) != n_centers:
        raise ValueError("Length of `clusters_std` not consistent with number of centers. Got centers = "
                         f"{centers} and cluster_std = {cluster_std}")
    stds = np.full(n_centers, cluster_std) if isinstance(cluster_std, numbers.Real) else cluster_std
    if isinstance(n_samples, Iterable):
        counts = list(n_samples)
    else:
        counts = [n_samples // n_centers + (i < n_samples % n_centers) for i in range(n_centers)]
    X = np.concatenate([rng.normal(loc=c, scale=s, size=(n, n_features))
                        for c, s, n in zip(centers, stds, counts)]).reshape(sum(counts), n_features)
    y = np.repeat(np.arange(n_centers), counts)
    if shuffle:
        X, y = _shuffle_rows(rng, X, y)
    return (X, y, centers) if return_centers else (X, y)


def _sample_without_replacement(n_population: int, n_samples: int, rng: np.random.RandomState) -> np.ndarray:
    """``n_samples`` distinct integers below ``n_population``, with scikit-learn's choice of algorithm."""
    ratio = n_samples / n_population if n_population else 1.0
    if 0.01 < ratio < 0.99:
        return rng.permutation(n_population)[:n_samples]
    if ratio < 0.2:  # few draws: reject repeats
        chosen: list[int] = []
        seen: set[int] = set()
        for _ in range(n_samples):
            j = rng.randint(n_population)
            while j in seen:
                j = rng.randint(n_population)
            seen.add(j)
            chosen.append(j)
        return np.asarray(chosen, dtype=np.int64)
    out = np.arange(n_samples)  # nearly all: reservoir sampling
    for i in range(n_samples, n_population):
        j = rng.randint(0, i + 1)
        if j < n_samples:
            out[j] = i
    return out


def _hypercube_vertices(n_vertices: int, n_dims: int, rng: np.random.RandomState) -> np.ndarray:
    """Distinct random vertices of the unit hypercube in ``n_dims`` dimensions, as 0/1 rows."""
    if n_dims > 30:
        return np.hstack([rng.randint(2, size=(n_vertices, n_dims - 30)),
                          _hypercube_vertices(n_vertices, 30, rng)])
    codes = _sample_without_replacement(2 ** n_dims, n_vertices, rng).astype(">u4", copy=False)
    return np.unpackbits(codes.view(">u1")).reshape(-1, 32)[:, 32 - n_dims:]


def make_classification(n_samples: int = 100, n_features: int = 20, *, n_informative: int = 2,
                        n_redundant: int = 2, n_repeated: int = 0, n_classes: int = 2,
                        n_clusters_per_class: int = 2, weights: Any = None, flip_y: float = 0.01,
                        class_sep: float = 1.0, hypercube: bool = True, shift: Any = 0.0, scale: Any = 1.0,
                        shuffle: bool = True, random_state: Any = None, return_X_y: bool = True):
    """A random n-class problem: Gaussian clusters on the vertices of a hypercube in the informative
    subspace, plus redundant (linear mixes), repeated and noise features.

    Raises:
        ValueError: more informative/redundant/repeated features than ``n_features``, too few informative
            dimensions for the clusters, or ``weights`` of the wrong length.
    """
    rng = check_random_state(random_state)
    if n_informative + n_redundant + n_repeated > n_features:
        raise ValueError("Number of informative, redundant and repeated features must sum to less than the "
                         "number of total features")
    if n_informative < np.log2(n_classes * n_clusters_per_class):
        raise ValueError(f"n_classes({n_classes}) * n_clusters_per_class({n_clusters_per_class}) must be "
                         f"smaller or equal 2**n_informative({n_informative})={2 ** n_informative}")
    class_weights = _class_weights(weights, n_classes)
    n_random = n_features - n_informative - n_redundant - n_repeated
    n_clusters = n_classes * n_clusters_per_class
    per_cluster = [int(n_samples * class_weights[k % n_classes] / n_clusters_per_class)
                   for k in range(n_clusters)]
    for i in range(n_samples - sum(per_cluster)):
        per_cluster[i % n_clusters] += 1

    X = np.zeros((n_samples, n_features))
    centroids = _hypercube_vertices(n_clusters, n_informative, rng).astype(float)
    centroids = centroids * (2 * class_sep) - class_sep
    if not hypercube:
        centroids *= rng.uniform(size=(n_clusters, 1))
        centroids *= rng.uniform(size=(1, n_informative))
    X[:, :n_informative] = rng.standard_normal(size=(n_samples, n_informative))
    y = np.repeat(np.arange(n_clusters) % n_classes, per_cluster)
    bounds = np.concatenate([[0], np.cumsum(per_cluster)])
    for k, centroid in enumerate(centroids):
        cluster = slice(bounds[k], bounds[k + 1])
        mixing = 2 * rng.uniform(size=(n_informative, n_informative)) - 1
        X[cluster, :n_informative] = X[cluster, :n_informative] @ mixing + centroid
    if n_redundant > 0:
        B = 2 * rng.uniform(size=(n_informative, n_redundant)) - 1
        X[:, n_informative:n_informative + n_redundant] = X[:, :n_informative] @ B
    n_useful = n_informative + n_redundant
    if n_repeated > 0:
        source = ((n_useful - 1) * rng.uniform(size=n_repeated) + 0.5).astype(np.intp)
        X[:, n_useful:n_useful + n_repeated] = X[:, source]
    if n_random > 0:
        X[:, -n_random:] = rng.standard_normal(size=(n_samples, n_random))
    if flip_y >= 0.0:
        flipped = rng.uniform(size=n_samples) < flip_y
        y[flipped] = rng.randint(n_classes, size=flipped.sum())
    if shift is None:
        shift = (2 * rng.uniform(size=n_features) - 1) * class_sep
    X += shift
    if scale is None:
        scale = 1 + 100 * rng.uniform(size=n_features)
    X *= scale
    columns = np.arange(n_features)
    if shuffle:
        X, y = _shuffle_rows(rng, X, y)
        rng.shuffle(columns)
        X = X[:, columns]
    if return_X_y:
        return X, y
    kinds = np.array(["informative"] * n_informative + ["redundant"] * n_redundant
                     + ["repeated"] * n_repeated + ["random"] * n_random)
    parameters = dict(n_samples=n_samples, n_features=n_features, n_informative=n_informative,
                      n_redundant=n_redundant, n_repeated=n_repeated, n_classes=n_classes,
                      n_clusters_per_class=n_clusters_per_class, weights=weights, flip_y=flip_y,
                      class_sep=class_sep, hypercube=hypercube, shift=shift, scale=scale, shuffle=shuffle,
                      random_state=random_state, return_X_y=return_X_y)
    return Bunch(DESCR=make_classification.__doc__, parameters=parameters,
                 feature_info=list(kinds[columns]), X=X, y=y)


def _class_weights(weights: Any, n_classes: int) -> list[float]:
    if weights is None:
        return [1.0 / n_classes] * n_classes
    if len(weights) not in (n_classes, n_classes - 1):
        raise ValueError("Weights specified but incompatible with number of classes.")
    weights = [float(w) for w in weights]
    if len(weights) == n_classes - 1:
        weights.append(1.0 - sum(weights))
    return weights


def make_regression(n_samples: int = 100, n_features: int = 100, *, n_informative: int = 10,
                    n_targets: int = 1, bias: float = 0.0, effective_rank: int | None = None,
                    tail_strength: float = 0.5, noise: float = 0.0, shuffle: bool = True, coef: bool = False,
                    random_state: Any = None):
    """A random linear regression problem: Gaussian ``X``, ``y = X @ w + bias + noise`` with
    ``n_informative`` non-zero coefficients.

    Returns:
        ``(X, y)``, plus the true coefficients with ``coef``.
    """
    n_informative = min(n_features, n_informative)
    rng = check_random_state(random_state)
    if effective_rank is None:
        X = rng.standard_normal(size=(n_samples, n_features))
    else:
        X = make_low_rank_matrix(n_samples, n_features, effective_rank=effective_rank,
                                 tail_strength=tail_strength, random_state=rng)
    truth = np.zeros((n_features, n_targets))
    truth[:n_informative, :] = 100 * rng.uniform(size=(n_informative, n_targets))
    y = X @ truth + bias
    if noise > 0.0:
        y += rng.normal(scale=noise, size=y.shape)
    if shuffle:
        X, y = _shuffle_rows(rng, X, y)
        columns = np.arange(n_features)
        rng.shuffle(columns)
        X, truth = X[:, columns], truth[columns]
    y = np.squeeze(y)
    return (X, y, np.squeeze(truth)) if coef else (X, y)


def make_low_rank_matrix(n_samples: int = 100, n_features: int = 100, *, effective_rank: int = 10,
                         tail_strength: float = 0.5, random_state: Any = None) -> np.ndarray:
    """A matrix with a bell-shaped singular value profile: ``effective_rank`` strong directions and an
    exponentially decaying tail weighted by ``tail_strength``."""
    from scipy import linalg

    rng = check_random_state(random_state)
    n = min(n_samples, n_features)
    u, _ = linalg.qr(rng.standard_normal(size=(n_samples, n)), mode="economic", check_finite=False)
    v, _ = linalg.qr(rng.standard_normal(size=(n_features, n)), mode="economic", check_finite=False)
    ranks = np.arange(n, dtype=np.float64)
    singular = (1 - tail_strength) * np.exp(-1.0 * (ranks / effective_rank) ** 2) \
        + tail_strength * np.exp(-0.1 * ranks / effective_rank)
    return np.dot(np.dot(u, np.identity(n) * singular), v.T)


def make_swiss_roll(n_samples: int = 100, *, noise: float = 0.0, random_state: Any = None,
                    hole: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Points on a 3-D Swiss roll, with their position ``t`` along the spiral.

    With ``hole``, the middle of the 3 × 3 grid of patches the points are drawn from is left empty.
    """
    rng = check_random_state(random_state)
    if not hole:
        t = 1.5 * np.pi * (1 + 2 * rng.uniform(size=n_samples))
        height = 21 * rng.uniform(size=n_samples)
    else:
        corners = np.array([[np.pi * (1.5 + i), j * 7] for i in range(3) for j in range(3)])
        corners = np.delete(corners, 4, axis=0)
        picked = rng.choice(8, n_samples)
        offsets = rng.uniform(size=(2, n_samples)) * np.array([[np.pi], [7]])
        t, height = corners[picked].T + offsets
    X = np.vstack((t * np.cos(t), height, t * np.sin(t)))
    X += noise * rng.standard_normal(size=(3, n_samples))
    return X.T, t
