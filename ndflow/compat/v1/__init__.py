"""``ndflow.compat.v1``: TensorFlow 1's graph-and-session API on ndflow's graphs.

Everything in the top-level ``ndflow`` namespace is available here too, plus the TF1-only names.
"""

import importlib as _importlib

import ndflow as _ndflow

from ..._core import graph_variables as _gv
from ..._core.data_flow_ops import FIFOQueue, PaddingFIFOQueue, PriorityQueue, QueueBase, RandomShuffleQueue
from ..._core.gradients_impl import gradients, hessians
from ..._core.graph import (
    Graph,
    Operation,
    control_dependencies,
    get_default_graph,
    name_scope,
    placeholder,
    placeholder_with_default,
)
from ..._core.graph import (
    GraphTensor as _GraphTensor,
)
from ..._core.graph_def import import_graph_def
from ..._core.graph_variables import global_variables_initializer, variables_initializer
from ..._core.logging_ops import tf1_print as Print  # noqa: N812 - TF1's name
from ..._core.mode import disable_eager_execution, enable_eager_execution, reset_default_graph
from ..._core.session import InteractiveSession, Session, get_default_session
from . import initializers, train
from ._tf1_names import tf1_names as _tf1_names
from .initializers import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    orthogonal_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from .readers import FixedLengthRecordReader, ReaderBase, TextLineReader, TFRecordReader, WholeFileReader
from .variable_scope import (
    AUTO_REUSE,
    EagerVariableStore,
    VariableScope,
    get_variable,
    get_variable_scope,
    variable_scope,
)

_ndflow._load_deferred()  # SparseTensor, TensorArray … are copied too
globals().update({k: v for k, v in vars(_ndflow).items() if not k.startswith("_") and k not in globals()})
globals().update(_tf1_names())
nn = _importlib.import_module(f"{__name__}.nn")
contrib = _importlib.import_module(f"{__name__}.contrib")  # TF1's nn replaces the TF2 one copied above
summary = _importlib.import_module(f"{__name__}.summary")  # TF1's summary, not TF2's copied above
random = _importlib.import_module(f"{__name__}.random")  # TF2's plus the TF1 seed functions
from .variables import VariableV1 as Variable  # noqa: E402 - TF1's signature replaces the TF2 one copied above

del _GraphTensor


class GraphKeys:
    """Standard collection names."""

    GLOBAL_VARIABLES = _gv.GLOBAL_VARIABLES
    VARIABLES = _gv.GLOBAL_VARIABLES
    TRAINABLE_VARIABLES = _gv.TRAINABLE_VARIABLES
    LOCAL_VARIABLES = _gv.LOCAL_VARIABLES
    MODEL_VARIABLES = "model_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    UPDATE_OPS = "update_ops"
    SUMMARIES = "summaries"
    LOSSES = "losses"
    GLOBAL_STEP = "global_step"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    QUEUE_RUNNERS = "queue_runners"
    INIT_OP = "init_op"
    TRAIN_OP = "train_op"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"


def global_variables(scope: str | None = None) -> list:
    """Variables in the default graph's GLOBAL_VARIABLES collection."""
    return _gv.collection_variables(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope: str | None = None) -> list:
    """Variables in the default graph's TRAINABLE_VARIABLES collection."""
    return _gv.collection_variables(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list:
    return _gv.collection_variables(GraphKeys.LOCAL_VARIABLES, scope)


def local_variables_initializer() -> Operation:
    return variables_initializer(local_variables(), name="init_1")


def initialize_all_variables() -> Operation:
    return global_variables_initializer()


def add_to_collection(name: str, value: object) -> None:
    get_default_graph().add_to_collection(name, value)


def get_collection(key: str, scope: str | None = None) -> list:
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list:
    return get_default_graph().get_collection_ref(key)


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """``ref.assign(value)`` (an op in graph mode)."""
    return ref.assign(value)


def assign_add(ref, value, use_locking=None, name=None):
    return ref.assign_add(value)


def assign_sub(ref, value, use_locking=None, name=None):
    return ref.assign_sub(value)


def disable_v2_behavior() -> None:
    """TF1 behaviour: graphs and sessions."""
    disable_eager_execution()


def enable_v2_behavior() -> None:
    enable_eager_execution()


def _accepted(*args, **kwargs) -> None:
    """TF2-era switches that TF1 programs call; ndflow has one behaviour, so they do nothing."""


disable_resource_variables = enable_resource_variables = _accepted
disable_control_flow_v2 = enable_control_flow_v2 = _accepted
disable_tensor_equality = enable_tensor_equality = _accepted
disable_v2_tensorshape = enable_v2_tensorshape = _accepted


class ConfigProto:
    """Session configuration: accepted and recorded, not interpreted."""

    def __init__(self, **kwargs: object) -> None:
        self.__dict__.update(kwargs)


class GPUOptions(ConfigProto):
    pass


def executing_eagerly() -> bool:
    return _ndflow.executing_eagerly()


_TF1_IO_NAMES = ("FixedLenFeature", "FixedLenSequenceFeature", "VarLenFeature", "decode_csv", "decode_raw",
                 "matching_files", "parse_example", "parse_single_example", "parse_single_sequence_example",
                 "parse_tensor", "read_file", "serialize_tensor", "write_file")


def __getattr__(name: str):
    """TF1's file modules (``gfile``, ``python_io``), its top-level io names and ndflow's lazy submodules."""
    if name in ("gfile", "python_io", "graph_util", "layers", "losses", "metrics"):
        return _importlib.import_module(f"{__name__}.{name}")
    if name in ("GraphDef", "NodeDef"):
        return getattr(_importlib.import_module(f"{__name__}.graph_util"), name)
    if name in _TF1_IO_NAMES:
        return getattr(_importlib.import_module("ndflow.io"), name)
    if name in _ndflow._LAZY_SUBMODULES:
        return getattr(_ndflow, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

