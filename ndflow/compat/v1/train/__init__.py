"""``ndflow.compat.v1.train``: TF1 optimizers, learning-rate schedules, moving averages, global step."""
from ....train import (
    BytesList,
    Checkpoint,
    CheckpointManager,
    Example,
    Feature,
    FeatureList,
    FeatureLists,
    Features,
    FloatList,
    Int64List,
    SequenceExample,
    list_variables,
    load_checkpoint,
    load_variable,
)
from . import queue_runner
from .coordinator import Coordinator, LooperThread
from .input import (
    batch,
    batch_join,
    input_producer,
    limit_epochs,
    match_filenames_once,
    maybe_batch,
    maybe_batch_join,
    maybe_shuffle_batch,
    maybe_shuffle_batch_join,
    range_input_producer,
    shuffle_batch,
    shuffle_batch_join,
    slice_input_producer,
    string_input_producer,
)
from .learning_rate_decay import (
    exponential_decay,
    inverse_time_decay,
    natural_exp_decay,
    piecewise_constant,
    polynomial_decay,
)
from .moving_averages import ExponentialMovingAverage
from .optimizer import (
    AdadeltaOptimizer,
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    Optimizer,
    RMSPropOptimizer,
)
from .queue_runner import QueueRunner, add_queue_runner, start_queue_runners
from .saver import (
    NewCheckpointReader,
    Saver,
    checkpoint_exists,
    export_meta_graph,
    get_checkpoint_mtimes,
    get_checkpoint_state,
    import_meta_graph,
    latest_checkpoint,
    update_checkpoint_state,
)
from .training_util import create_global_step, get_global_step, get_or_create_global_step, global_step

__all__ = [
    "exponential_decay", "inverse_time_decay", "natural_exp_decay", "piecewise_constant", "polynomial_decay",
    "ExponentialMovingAverage", "AdadeltaOptimizer", "AdagradOptimizer", "AdamOptimizer",
    "GradientDescentOptimizer", "MomentumOptimizer", "Optimizer", "RMSPropOptimizer", "create_global_step",
    "get_global_step", "get_or_create_global_step", "global_step", "Saver", "checkpoint_exists",
    "export_meta_graph", "get_checkpoint_mtimes", "get_checkpoint_state", "import_meta_graph", "latest_checkpoint",
    "NewCheckpointReader", "update_checkpoint_state", "Checkpoint", "CheckpointManager", "list_variables",
    "load_checkpoint", "load_variable",
]
__all__ += ["Coordinator", "LooperThread", "QueueRunner", "add_queue_runner", "start_queue_runners", "batch",
            "batch_join", "input_producer", "limit_epochs", "match_filenames_once", "range_input_producer",
            "shuffle_batch", "shuffle_batch_join", "slice_input_producer", "string_input_producer",
            "maybe_batch", "maybe_batch_join", "maybe_shuffle_batch", "maybe_shuffle_batch_join", "queue_runner",
            "BytesList", "Example", "Feature", "FeatureList", "FeatureLists", "Features", "FloatList", "Int64List",
            "SequenceExample"]


def __getattr__(name: str):
    """``FtrlOptimizer`` lives with the estimators that default to it (imported on first use)."""
    if name == "FtrlOptimizer":
        from ....estimator._optimizers import FtrlOptimizer

        return FtrlOptimizer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
