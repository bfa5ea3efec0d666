"""ndflow.learn.decomposition / manifold vs scikit-learn, side by side: fit wall time and a quality score.

Run: ``python benchmarks/learn_part2_decomposition.py``. Each workload is fitted on the same data by both
libraries after a small warm-up fit (so import costs are not timed); PCA rows report the best of 3 fits,
alternating between the libraries so that load on a shared machine hits both alike. Scores: PCA rows
report the explained variance ratio kept (percent); the t-SNE rows report trustworthiness (percent,
5 neighbors) against scikit-learn on one thread and on its default threads. Rows whose ndflow module is
missing are skipped with a note.
"""
from __future__ import annotations

import importlib
import time
import warnings

import numpy as np
from learn_table import print_table


def _low_rank_data(n: int, p: int, rank: int, seed: int) -> np.ndarray:
    rng = np.random.RandomState(seed)
    spectrum = np.exp(-np.arange(rank) / 10.0)
    return (rng.randn(n, rank) * spectrum) @ rng.randn(rank, p) + 0.05 * rng.randn(n, p)


def _blobs(n: int, p: int, n_centers: int, seed: int) -> np.ndarray:
    rng = np.random.RandomState(seed)
    centers = 6.0 * rng.randn(n_centers, p)
    return centers[rng.randint(n_centers, size=n)] + rng.randn(n, p)


def _classes(module: str, cls: str):
    try:
        ours = getattr(importlib.import_module(f"ndflow.learn.{module}"), cls)
    except (ImportError, AttributeError):
        return None, None
    return ours, getattr(importlib.import_module(f"sklearn.{module}"), cls)


def _pca(name: str, kwargs: dict):
    ours, theirs = _classes("decomposition", "PCA")
    if ours is None:
        return name, None, "ndflow.learn.decomposition.PCA missing"
    X = _low_rank_data(10_000, 200, 120, 0)
    best, scores = [np.inf, np.inf], [0.0, 0.0]
    for klass in (ours, theirs):
        klass(**kwargs).fit(X[:500])
    for _ in range(3):
        for i, klass in enumerate((ours, theirs)):
            start = time.perf_counter()
            model = klass(**kwargs).fit(X)
            best[i] = min(best[i], time.perf_counter() - start)
            scores[i] = 100.0 * float(np.sum(model.explained_variance_ratio_))
    return name, list(zip(best, scores)), ""


def _tsne():
    """Two rows sharing one ndflow fit: scikit-learn on one OpenMP thread, then with its default threads."""
    names = ("TSNE 2000x50 Barnes-Hut (sklearn 1 thread)", "TSNE 2000x50 Barnes-Hut (sklearn default threads)")
    ours, theirs = _classes("manifold", "TSNE")
    if ours is None:
        return [(name, None, "ndflow.learn.manifold.TSNE missing") for name in names]
    from sklearn.manifold import trustworthiness
    from threadpoolctl import threadpool_limits

    X = _blobs(2_000, 50, 10, 1)

    def fit(klass):
        klass(random_state=0, max_iter=250).fit(X[:100])
        start = time.perf_counter()
        model = klass(random_state=0)
        embedding = model.fit_transform(X)
        seconds = time.perf_counter() - start
        return (seconds, 100.0 * trustworthiness(X, embedding, n_neighbors=5)), model.kl_divergence_

    ndflow_row, ndflow_kl = fit(ours)
    rows = []
    for name, threads in zip(names, (1, None)):
        with threadpool_limits(threads):  # scikit-learn's Barnes-Hut gradient is OpenMP-parallel
            sklearn_row, sklearn_kl = fit(theirs)
        note = f"score column = trustworthiness; KL divergence {ndflow_kl:.4f} vs {sklearn_kl:.4f}"
        rows.append((name, [ndflow_row, sklearn_row], note))
    return rows


def main() -> None:
    warnings.simplefilter("ignore")
    rows = [
        _pca("PCA full 10k x 200 (n_components=50)", {"n_components": 50, "svd_solver": "full"}),
        _pca("PCA randomized 10k x 200 (n_components=50)",
             {"n_components": 50, "svd_solver": "randomized", "random_state": 0}),
        _pca("PCA auto 10k x 200 (n_components=0.95)", {"n_components": 0.95}),
        *_tsne(),
    ]
    print_table(rows)


if __name__ == "__main__":
    main()
