"""Clustering (``sklearn.cluster``): K-Means, DBSCAN, agglomerative, spectral and mean-shift clustering."""
from ._agglomerative import AgglomerativeClustering
from ._birch import Birch
from ._dbscan import DBSCAN, dbscan
from ._kmeans import KMeans, MiniBatchKMeans, k_means, kmeans_plusplus
from ._mean_shift import MeanShift, estimate_bandwidth, get_bin_seeds
from ._spectral import SpectralClustering, spectral_clustering

__all__ = [
    "KMeans",
    "MiniBatchKMeans",
    "DBSCAN",
    "AgglomerativeClustering",
    "SpectralClustering",
    "MeanShift",
    "k_means",
    "kmeans_plusplus",
    "dbscan",
    "spectral_clustering",
    "estimate_bandwidth",
    "get_bin_seeds",
    "Birch",
]
