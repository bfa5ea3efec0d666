"""Matrix decompositions for dimensionality reduction (``sklearn.decomposition``)."""
from ._factor_analysis import FactorAnalysis
from ._incremental_pca import IncrementalPCA
from ._kernel_pca import KernelPCA
from ._nmf import NMF
from ._pca import PCA
from ._truncated_svd import TruncatedSVD

__all__ = ["PCA", "IncrementalPCA", "KernelPCA", "TruncatedSVD", "NMF", "FactorAnalysis"]
