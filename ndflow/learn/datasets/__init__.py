"""Data sets: bundled loaders, synthetic generators and downloads (``sklearn.datasets``)."""
from ._base import (
    clear_data_home,
    get_data_home,
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
)
from ._california_housing import fetch_california_housing
from ._openml import fetch_openml
from ._samples_generator import (
    make_blobs,
    make_circles,
    make_classification,
    make_low_rank_matrix,
    make_moons,
    make_regression,
    make_swiss_roll,
)

__all__ = [
    "clear_data_home",
    "fetch_california_housing",
    "fetch_openml",
    "get_data_home",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_wine",
    "make_blobs",
    "make_circles",
    "make_classification",
    "make_low_rank_matrix",
    "make_moons",
    "make_regression",
    "make_swiss_roll",
]
