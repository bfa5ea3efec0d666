"""``tf.contrib.slim``: the TF-Slim names, gathered from ``contrib.layers`` and ``contrib.framework``."""
import ndflow as _ndflow

from .framework import (
    add_arg_scope,
    arg_scope,
    arg_scoped_arguments,
    get_model_variables,
    get_or_create_global_step,
    get_trainable_variables,
    get_variables,
    get_variables_by_name,
    get_variables_to_restore,
    has_arg_scope,
    model_variable,
    variable,
)
from .layers import (
    avg_pool2d,
    batch_norm,
    conv2d,
    convolution,
    convolution2d,
    dropout,
    flatten,
    fully_connected,
    l1_regularizer,
    l2_regularizer,
    linear,
    max_pool2d,
    variance_scaling_initializer,
    xavier_initializer,
)

lrn = _ndflow.nn.local_response_normalization

__all__ = ["add_arg_scope", "arg_scope", "arg_scoped_arguments", "get_model_variables", "get_or_create_global_step",
           "get_trainable_variables", "get_variables", "get_variables_by_name", "get_variables_to_restore",
           "has_arg_scope", "model_variable", "variable", "avg_pool2d", "batch_norm", "conv2d", "convolution",
           "convolution2d", "dropout", "flatten", "fully_connected", "l1_regularizer", "l2_regularizer", "linear",
           "max_pool2d", "variance_scaling_initializer", "xavier_initializer", "lrn"]
