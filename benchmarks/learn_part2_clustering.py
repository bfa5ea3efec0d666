"""ndflow.learn clustering and mixtures vs scikit-learn, side by side: fit wall time and result quality.

Run: ``python benchmarks/learn_part2_clustering.py [--repeat N]``. Each workload is fitted by both
libraries on the same data with the same ``random_state``; the time is the best of ``--repeat`` fits
(after a warm-up fit). Quality columns: K-Means inertia, the adjusted Rand index of the labels against
the generating clusters (ARI), and for the Gaussian mixture the mean log-likelihood; "agree" is the ARI
between the two libraries' labelings (1.000 = identical up to renaming).
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from sklearn import cluster as sk_cluster
from sklearn import mixture as sk_mixture
from sklearn.metrics import adjusted_rand_score

from ndflow.learn import cluster, mixture


def _blobs(n, d, k, seed, std=1.0):
    rng = np.random.RandomState(seed)
    centers = rng.uniform(-10, 10, (k, d))
    y = rng.randint(0, k, n)
    return centers[y] + std * rng.randn(n, d), y


def _rings(n, seed):
    """Two noisy concentric rings plus uniform background noise (2-D, for DBSCAN)."""
    rng = np.random.RandomState(seed)
    n_ring = int(0.95 * n) // 2
    angles = rng.uniform(0, 2 * np.pi, 2 * n_ring)
    radius = np.repeat([1.0, 2.0], n_ring) + 0.05 * rng.randn(2 * n_ring)
    rings = np.c_[radius * np.cos(angles), radius * np.sin(angles)]
    noise = rng.uniform(-2.5, 2.5, (n - 2 * n_ring, 2))
    return np.r_[rings, noise], np.r_[np.repeat([0, 1], n_ring), np.full(n - 2 * n_ring, -1)]


def _best_time(make, X, repeat):
    make().fit(X)  # warm-up (imports, caches)
    best, model = np.inf, None
    for _ in range(repeat):
        model = make()
        start = time.perf_counter()
        model.fit(X)
        best = min(best, time.perf_counter() - start)
    return best, model


def _quality(name, model, X, y):
    labels = model.predict(X) if name == "GaussianMixture" else model.labels_
    extra = f"loglik {model.score(X):.4f}" if name == "GaussianMixture" else (
        f"inertia {model.inertia_:.6g}" if hasattr(model, "inertia_") else
        f"{len(set(labels) - {-1})} clusters, {np.sum(labels == -1)} noise")
    return labels, f"ARI {adjusted_rand_score(y, labels):.3f}, {extra}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    X_km, y_km = _blobs(100_000, 10, 8, seed=0, std=3.0)
    X_db, y_db = _rings(10_000, seed=1)
    X_gm, y_gm = _blobs(20_000, 5, 5, seed=2, std=2.0)
    workloads = [
        ("KMeans", "k=8, 100000x10", X_km, y_km,
         lambda: cluster.KMeans(n_clusters=8, random_state=0),
         lambda: sk_cluster.KMeans(n_clusters=8, random_state=0)),
        ("MiniBatchKMeans", "k=8, 100000x10", X_km, y_km,
         lambda: cluster.MiniBatchKMeans(n_clusters=8, random_state=0),
         lambda: sk_cluster.MiniBatchKMeans(n_clusters=8, random_state=0)),
        ("DBSCAN", "eps=0.1, 10000x2", X_db, y_db,
         lambda: cluster.DBSCAN(eps=0.1, min_samples=10),
         lambda: sk_cluster.DBSCAN(eps=0.1, min_samples=10)),
        ("Birch", "k=5, 20000x5", X_gm, y_gm,
         lambda: cluster.Birch(threshold=2.0, n_clusters=5),
         lambda: sk_cluster.Birch(threshold=2.0, n_clusters=5)),
        ("GaussianMixture", "k=5 full, 20000x5", X_gm, y_gm,
         lambda: mixture.GaussianMixture(n_components=5, random_state=0),
         lambda: sk_mixture.GaussianMixture(n_components=5, random_state=0)),
    ]
    header = f"{'workload':<17}{'data':<20}{'ndflow s':>9}{'sklearn s':>10}{'ratio':>7}  {'agree':>6}  quality"
    print(header)
    print("-" * len(header))
    for name, data, X, y, ours, theirs in workloads:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_ours, m_ours = _best_time(ours, X, args.repeat)
            t_theirs, m_theirs = _best_time(theirs, X, args.repeat)
        labels_ours, q_ours = _quality(name, m_ours, X, y)
        labels_theirs, q_theirs = _quality(name, m_theirs, X, y)
        agree = adjusted_rand_score(labels_ours, labels_theirs)
        print(f"{name:<17}{data:<20}{t_ours:>9.3f}{t_theirs:>10.3f}{t_ours / t_theirs:>7.2f}  {agree:>6.3f}  "
              f"ndflow: {q_ours} | sklearn: {q_theirs}")


if __name__ == "__main__":
    main()
