"""``ndflow.compat.v1.train``: TF1 optimizers, learning-rate schedules, moving averages, global step."""
from ....train import Checkpoint, CheckpointManager, list_variables, load_checkpoint, load_variable
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
