"""``ndflow.compat.v1.train``: TF1 optimizers, learning-rate schedules, moving averages, global step."""
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
from .training_util import create_global_step, get_global_step, get_or_create_global_step, global_step

__all__ = [
    "exponential_decay", "inverse_time_decay", "natural_exp_decay", "piecewise_constant", "polynomial_decay",
    "ExponentialMovingAverage", "AdadeltaOptimizer", "AdagradOptimizer", "AdamOptimizer",
    "GradientDescentOptimizer", "MomentumOptimizer", "Optimizer", "RMSPropOptimizer", "create_global_step",
    "get_global_step", "get_or_create_global_step", "global_step",
]
