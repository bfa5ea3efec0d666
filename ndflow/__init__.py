"""ndflow: TensorFlow, Keras and scikit-learn rebuilt on NumPy and SciPy.

``import ndflow as tf`` gives TensorFlow's eager API; ``ndflow.learn`` mirrors scikit-learn. Heavy
submodules (``learn``, ``keras`` …) load on first access.
"""

import importlib as _importlib
import warnings as _warnings

from ._core import errors, nest
from ._core import ragged_ops as _ragged_ops
from ._core.context import executing_eagerly
from ._core.control_flow import case, cond, foldl, foldr, map_fn, scan, switch_case, while_loop
from ._core.device import device
from ._core.dtypes import (
    DType,
    as_dtype,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
)
from ._core.export import deferred_attributes as _deferred_attributes
from ._core.export import namespace as _namespace
from ._core.function import function
from ._core.graph import Graph, Operation, control_dependencies, get_default_graph, name_scope
from ._core.graph_def import import_graph_def
from ._core.logging_ops import group, no_op  # noqa: A004
from ._core.logging_ops import print_v2 as print
from ._core.logging_ops import tuple_ as tuple
from ._core.module import Module
from ._core.py_func import numpy_function, py_function
from ._core.shape import TensorShape
from ._core.tape import GradientTape, UnconnectedGradients, custom_gradient, stop_recording
from ._core.tensor import Tensor, constant, convert_to_tensor, is_tensor
from ._core.tensor_spec import TensorSpec
from ._core.variable import Variable, VariableAggregation, VariableSynchronization

_ragged_ops.install_dispatch()  # tf.RaggedTensor, and ragged inputs for tf.add, tf.concat …
globals().update(_namespace(""))

from . import autograph, bitwise, dtypes, linalg, math, nn, random  # noqa: E402

# Kernels compute IEEE results (inf, nan) for log(0), x/0 … silently, as TensorFlow does.
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"ndflow\._core\.")

__version__ = "0.1.0"
newaxis = None

_LAZY_SUBMODULES = ("learn", "keras", "data", "io", "image", "compat", "train", "summary", "strings",
                    "ragged", "sparse", "sets", "signal", "saved_model", "estimator", "test", "config", "queue",
                    "feature_column")


_deferred_loaded = False


def _load_deferred() -> None:
    """Loads the op modules ``import ndflow`` leaves out (sparse, ``TensorArray``, convolution, linear algebra …)
    and publishes their names here, in ``ndflow.nn`` and in ``ndflow.linalg`` (names already set, e.g. ragged
    dispatchers, stay)."""
    global _deferred_loaded
    if _deferred_loaded:
        return
    from ._core.ops import load_deferred

    load_deferred()
    for module, space in ((globals(), ""), (nn.__dict__, "nn"), (linalg.__dict__, "linalg")):
        for key, value in _namespace(space).items():
            module.setdefault(key, value)
    _deferred_loaded = True


_deferred_getattr, _deferred_dir = _deferred_attributes(globals())  # SparseTensor, TensorArray, einsum …


def __getattr__(name: str):
    if name in _LAZY_SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    if name == "bfloat16":
        return as_dtype("bfloat16")
    return _deferred_getattr(name)


def __dir__() -> list:
    return sorted(set(_deferred_dir()) | set(_LAZY_SUBMODULES))
