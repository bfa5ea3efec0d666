"""``ndflow.data``: TensorFlow's ``tf.data`` input pipelines (``Dataset`` and friends).

Pipelines run in Python on NumPy arrays; ``map`` functions run as traced ``ndflow.function`` graphs, parallel
transformations and ``prefetch`` use threads. Shuffles and samples with a seed repeat from run to run, but their
order differs from TF's (its random generator is not reproduced).
"""
from . import experimental
from .core import AUTOTUNE
from .core import INFINITE as INFINITE_CARDINALITY
from .core import UNKNOWN as UNKNOWN_CARDINALITY
from .dataset import Dataset
from .iterator import (
    Iterator,
    NumpyIterator,
    get_output_classes,
    get_output_shapes,
    get_output_types,
    make_initializable_iterator,
    make_one_shot_iterator,
)
from .options import Options, ThreadingOptions
from .readers import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset
from .structure import DatasetSpec

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "Dataset", "DatasetSpec", "Iterator",
           "NumpyIterator", "Options", "ThreadingOptions", "experimental", "make_one_shot_iterator",
           "make_initializable_iterator", "get_output_types", "get_output_shapes", "get_output_classes",
           "TFRecordDataset", "TextLineDataset", "FixedLengthRecordDataset"]
