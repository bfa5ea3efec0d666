"""Nearest-neighbor search and neighbor-based classification and regression (``sklearn.neighbors``)."""
from ._classification import KNeighborsClassifier, RadiusNeighborsClassifier
from ._distances import BRUTE_METRICS
from ._graph import kneighbors_graph, radius_neighbors_graph
from ._regression import KNeighborsRegressor, RadiusNeighborsRegressor
from ._trees import BallTree, KDTree
from ._unsupervised import NearestNeighbors

__all__ = [
    "NearestNeighbors",
    "KNeighborsClassifier",
    "KNeighborsRegressor",
    "RadiusNeighborsClassifier",
    "RadiusNeighborsRegressor",
    "KDTree",
    "BallTree",
    "kneighbors_graph",
    "radius_neighbors_graph",
    "VALID_METRICS",
]

VALID_METRICS = {
    "brute": sorted(BRUTE_METRICS),
    "kd_tree": sorted(KDTree.valid_metrics),
    "ball_tree": sorted(BallTree.valid_metrics),
}
