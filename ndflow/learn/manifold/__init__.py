"""Manifold learning: non-linear embeddings (``sklearn.manifold``)."""
from ._isomap import Isomap
from ._locally_linear import LocallyLinearEmbedding, locally_linear_embedding
from ._mds import MDS, ClassicalMDS, smacof
from ._spectral_embedding import SpectralEmbedding, spectral_embedding
from ._t_sne import TSNE, trustworthiness

__all__ = [
    "LocallyLinearEmbedding",
    "locally_linear_embedding",
    "Isomap",
    "MDS",
    "ClassicalMDS",
    "smacof",
    "TSNE",
    "trustworthiness",
    "SpectralEmbedding",
    "spectral_embedding",
]
