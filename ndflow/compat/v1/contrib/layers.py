"""``tf.contrib.layers`` (TF1): layer functions with ``<scope>/weights``/``biases`` variables, regularizers,
initializers and ``optimize_loss``. Every layer function is ``add_arg_scope``-decorated."""
from __future__ import annotations

import functools
import numbers
from typing import Any, Callable

import ndflow as _ndflow

from ...._core.context import state as _state
from ...._core.graph import get_default_graph as _get_default_graph
from ..initializers import variance_scaling_initializer as _variance_scaling
from ..layers import BatchNormalization, Dropout, Flatten, _tuple
from .framework import _v1, add_arg_scope, arg_scope, model_variable  # noqa: F401 - arg_scope re-exported

_DEFAULT = object()

__all__ = ["l1_regularizer", "l2_regularizer", "l1_l2_regularizer", "sum_regularizer", "apply_regularization",
           "variance_scaling_initializer", "xavier_initializer", "xavier_initializer_conv2d", "fully_connected",
           "linear", "convolution", "conv1d", "conv2d", "conv3d", "convolution2d", "max_pool2d", "avg_pool2d",
           "flatten", "dropout", "batch_norm", "optimize_loss", "arg_scope", "add_arg_scope"]


def _check_scale(scale: Any) -> None:
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real) and scale < 0.0:
        raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}")


def l1_regularizer(scale: float, scope: str | None = None) -> Callable | None:
    """``weights -> scale * sum(|weights|)`` (None when ``scale`` is 0).

    Raises:
        ValueError: an integer or negative scale.
    """
    _check_scale(scale)
    if scale == 0.0:
        return lambda weights: None
    return lambda weights: _ndflow.multiply(_ndflow.reduce_sum(_ndflow.abs(weights)), scale)


def l2_regularizer(scale: float, scope: str | None = None) -> Callable | None:
    """``weights -> scale * sum(weights²) / 2`` (TF's ``l2_loss``; None when ``scale`` is 0).

    Raises:
        ValueError: an integer or negative scale.
    """
    _check_scale(scale)
    if scale == 0.0:
        return lambda weights: None
    return lambda weights: _ndflow.multiply(_ndflow.nn.l2_loss(weights), scale)


def l1_l2_regularizer(scale_l1: float = 1.0, scale_l2: float = 1.0, scope: str | None = None) -> Callable:
    """The sum of an L1 and an L2 regularizer."""
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)])


def sum_regularizer(regularizer_list: list, scope: str | None = None) -> Callable:
    """A regularizer adding up the (non-None) penalties of ``regularizer_list``."""
    def regularize(weights: Any) -> Any:
        penalties = [p for p in (r(weights) for r in regularizer_list if r is not None) if p is not None]
        return _ndflow.add_n(penalties) if penalties else None
    return regularize


def apply_regularization(regularizer: Callable, weights_list: list | None = None) -> Any:
    """The summed penalty of ``regularizer`` over ``weights_list``, also added to REGULARIZATION_LOSSES.

    Raises:
        ValueError: no weights.
    """
    from .. import GraphKeys, add_to_collection, get_collection

    weights_list = weights_list if weights_list is not None else get_collection(GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    penalties = [p for p in (regularizer(w) for w in weights_list) if p is not None]
    total = _ndflow.add_n(penalties)
    add_to_collection(GraphKeys.REGULARIZATION_LOSSES, total)
    return total


def variance_scaling_initializer(factor: float = 2.0, mode: str = "FAN_IN", uniform: bool = False,
                                 seed: Any = None, dtype: Any = _ndflow.float32) -> Any:
    """He initialisation by default (contrib's argument names: ``factor``, ``mode`` in capitals)."""
    return _variance_scaling(factor, mode.lower(), "uniform" if uniform else "truncated_normal", seed, dtype)


def xavier_initializer(uniform: bool = True, seed: Any = None, dtype: Any = _ndflow.float32) -> Any:
    """Glorot initialisation."""
    return _variance_scaling(1.0, "fan_avg", "uniform" if uniform else "truncated_normal", seed, dtype)


# -- layers ---------------------------------------------------------------------------------------------------
def _collect(outputs: Any, collections: Any) -> Any:
    """Adds ``outputs`` to ``collections`` (graph mode) and returns them."""
    if collections and _state.graph is not None:
        _get_default_graph().add_to_collections(collections, outputs)
    return outputs


def _model_variable(name: str, shape: list, initializer: Any, regularizer: Any, trainable: bool,
                    variables_collections: Any, dtype: Any) -> Any:
    """A ``get_variable`` in the current scope, added to MODEL_VARIABLES (and ``variables_collections``)."""
    extra = variables_collections.get(name) if isinstance(variables_collections, dict) else variables_collections
    extra = [extra] if isinstance(extra, str) else list(extra or [])
    return model_variable(name, shape, dtype, initializer, regularizer, trainable, collections=extra)


def _activate(outputs: Any, inputs_dtype: Any, num_outputs: int, normalizer_fn: Any, normalizer_params: Any,
              biases_initializer: Any, biases_regularizer: Any, trainable: bool, variables_collections: Any,
              activation_fn: Any, channels_first: bool = False) -> Any:
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    elif biases_initializer is not None:
        biases = _model_variable("biases", [num_outputs], biases_initializer, biases_regularizer, trainable,
                                 variables_collections, inputs_dtype)
        if channels_first:
            outputs = outputs + _ndflow.reshape(biases, [1, num_outputs] + [1] * (outputs.shape.rank - 2))
        else:
            outputs = _ndflow.nn.bias_add(outputs, biases)
    return activation_fn(outputs) if activation_fn is not None else outputs


@add_arg_scope
def fully_connected(inputs: Any, num_outputs: int, activation_fn: Any = _ndflow.nn.relu, normalizer_fn: Any = None,
                    normalizer_params: dict | None = None, weights_initializer: Any = None,
                    weights_regularizer: Any = None, biases_initializer: Any = _DEFAULT, biases_regularizer: Any = None,
                    reuse: Any = None, variables_collections: Any = None, outputs_collections: Any = None,
                    trainable: bool = True, scope: Any = None) -> Any:
    """``activation_fn(inputs · weights + biases)`` with variables ``<scope>/weights``, ``<scope>/biases``.

    Defaults: ReLU, Xavier weights, zero biases, scope ``fully_connected`` (made unique). With a
    ``normalizer_fn`` no biases are created and the normalizer runs before the activation.

    Raises:
        ValueError: ``num_outputs`` not an integer, or the inputs' last dimension is unknown.
    """
    if not isinstance(num_outputs, numbers.Integral):
        raise ValueError(f"num_outputs type should be one of (<class 'int'>,), got {type(num_outputs)}.")
    inputs = _ndflow.convert_to_tensor(inputs)
    weights_initializer = weights_initializer if weights_initializer is not None else xavier_initializer()
    biases_initializer = _ndflow.compat.v1.zeros_initializer() if biases_initializer is _DEFAULT \
        else biases_initializer
    with _v1().variable_scope(scope, "fully_connected", [inputs], reuse=reuse):
        last = inputs.shape[-1]
        if last is None:
            raise ValueError(f"The last dimension of the inputs to `fully_connected` should be defined. Found "
                             f"{inputs.shape}.")
        weights = _model_variable("weights", [int(last), num_outputs], weights_initializer, weights_regularizer,
                                  trainable, variables_collections, inputs.dtype)
        rank = inputs.shape.rank
        outputs = _ndflow.matmul(inputs, weights) if rank == 2 else _ndflow.tensordot(inputs, weights,
                                                                                       [[rank - 1], [0]])
        outputs = _activate(outputs, inputs.dtype, num_outputs, normalizer_fn, normalizer_params, biases_initializer,
                            biases_regularizer, trainable, variables_collections, activation_fn)
        return _collect(outputs, outputs_collections)


linear = functools.partial(fully_connected, activation_fn=None)
linear.__doc__ = "``fully_connected`` without activation."


@add_arg_scope
def convolution(inputs: Any, num_outputs: int, kernel_size: Any, stride: Any = 1, padding: str = "SAME",
                data_format: str | None = None, rate: Any = 1, activation_fn: Any = _ndflow.nn.relu,
                normalizer_fn: Any = None, normalizer_params: dict | None = None, weights_initializer: Any = None,
                weights_regularizer: Any = None, biases_initializer: Any = _DEFAULT, biases_regularizer: Any = None,
                reuse: Any = None, variables_collections: Any = None, outputs_collections: Any = None,
                trainable: bool = True, scope: Any = None) -> Any:
    """An N-D convolution (N from the input rank) with variables ``<scope>/weights``, ``<scope>/biases``
    (default scope ``Conv``); ``kernel_size``/``stride``/``rate`` are ints or lists.

    Raises:
        ValueError: an input rank other than 3, 4 or 5, or an unknown channel dimension.
    """
    inputs = _ndflow.convert_to_tensor(inputs)
    rank = inputs.shape.rank - 2 if inputs.shape.rank is not None else None
    if rank not in (1, 2, 3):
        raise ValueError(f"Convolution not supported for input with rank {inputs.shape.rank}")
    channels_first = bool(data_format) and data_format.startswith("NC")
    spatial = {1: "W", 2: "HW", 3: "DHW"}[rank]
    data_format = f"NC{spatial}" if channels_first else f"N{spatial}C"
    weights_initializer = weights_initializer if weights_initializer is not None else xavier_initializer()
    biases_initializer = _ndflow.compat.v1.zeros_initializer() if biases_initializer is _DEFAULT \
        else biases_initializer
    with _v1().variable_scope(scope, "Conv", [inputs], reuse=reuse):
        channels = inputs.shape[1] if channels_first else inputs.shape[-1]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        weights = _model_variable("weights", [*_tuple(kernel_size, rank, "kernel_size"), int(channels), num_outputs],
                                  weights_initializer, weights_regularizer, trainable, variables_collections,
                                  inputs.dtype)
        outputs = _ndflow.nn.convolution(inputs, weights, strides=_tuple(stride, rank, "stride"),
                                         padding=padding.upper(), data_format=data_format,
                                         dilations=_tuple(rate, rank, "rate"))
        outputs = _activate(outputs, inputs.dtype, num_outputs, normalizer_fn, normalizer_params, biases_initializer,
                            biases_regularizer, trainable, variables_collections, activation_fn, channels_first)
        return _collect(outputs, outputs_collections)


convolution2d = conv2d = convolution
conv1d = convolution1d = convolution3d = conv3d = convolution


def _pool(kind: str, default_scope: str):
    @add_arg_scope
    def pool(inputs: Any, kernel_size: Any, stride: Any = 2, padding: str = "VALID", data_format: str = "NHWC",
             outputs_collections: Any = None, scope: Any = None) -> Any:
        inputs = _ndflow.convert_to_tensor(inputs)
        with _ndflow.name_scope(scope or default_scope):
            outputs = _ndflow.nn.pool(inputs, _tuple(kernel_size, 2, "kernel_size"), kind,
                                      strides=_tuple(stride, 2, "stride"), padding=padding.upper(),
                                      data_format=data_format)
            return _collect(outputs, outputs_collections)

    pool.__name__ = pool.__qualname__ = "max_pool2d" if kind == "MAX" else "avg_pool2d"
    pool._key_op = f"{__name__}.{pool.__name__}"
    pool.__doc__ = f"2-D {kind.lower()} pooling (default stride 2, VALID padding; scope ``{default_scope}``)."
    return pool


max_pool2d = _pool("MAX", "MaxPool2D")
avg_pool2d = _pool("AVG", "AvgPool2D")


@add_arg_scope
def flatten(inputs: Any, outputs_collections: Any = None, scope: Any = None) -> Any:
    """``[batch, …]`` → ``[batch, k]``."""
    with _ndflow.name_scope(scope or "Flatten"):
        outputs = Flatten().call(_ndflow.convert_to_tensor(inputs))
        return _collect(outputs, outputs_collections)


@add_arg_scope
def dropout(inputs: Any, keep_prob: float = 0.5, noise_shape: Any = None, is_training: Any = True,
            outputs_collections: Any = None, scope: Any = None, seed: Any = None) -> Any:
    """Keeps each input with probability ``keep_prob`` (scaled by ``1/keep_prob``) when ``is_training``."""
    with _ndflow.name_scope(scope or "Dropout"):
        layer = Dropout(rate=1.0 - keep_prob, noise_shape=noise_shape, seed=seed)
        outputs = layer.call(_ndflow.convert_to_tensor(inputs), training=is_training)
        return _collect(outputs, outputs_collections)


@add_arg_scope
def batch_norm(inputs: Any, decay: float = 0.999, center: bool = True, scale: bool = False, epsilon: float = 0.001,
               activation_fn: Any = None, param_initializers: dict | None = None,
               param_regularizers: dict | None = None, updates_collections: Any = "update_ops",
               is_training: Any = True, reuse: Any = None, variables_collections: Any = None,
               outputs_collections: Any = None, trainable: bool = True, batch_weights: Any = None,
               fused: Any = None, data_format: str = "NHWC", zero_debias_moving_mean: bool = False,
               scope: Any = None, renorm: bool = False, renorm_clipping: Any = None, renorm_decay: float = 0.99,
               adjustment: Any = None) -> Any:
    """Batch normalization with variables ``<scope>/beta``, ``gamma`` (if ``scale``), ``moving_mean``,
    ``moving_variance`` (default scope ``BatchNorm``).

    When training, the moving-average updates go to ``updates_collections`` (default UPDATE_OPS); with
    ``updates_collections=None`` they run before the output is returned.

    Raises:
        NotImplementedError: ``batch_weights``, ``zero_debias_moving_mean`` or ``renorm``.
    """
    if batch_weights is not None or zero_debias_moving_mean or renorm:
        raise NotImplementedError("batch_norm batch_weights, zero_debias_moving_mean and renorm are not "
                                  "supported yet")
    inits, regs = param_initializers or {}, param_regularizers or {}
    inputs = _ndflow.convert_to_tensor(inputs)
    layer = BatchNormalization(axis=1 if data_format.startswith("NC") else -1, momentum=decay, epsilon=epsilon,
                               center=center, scale=scale, beta_initializer=inits.get("beta"),
                               gamma_initializer=inits.get("gamma"),
                               moving_mean_initializer=inits.get("moving_mean"),
                               moving_variance_initializer=inits.get("moving_variance"),
                               beta_regularizer=regs.get("beta"), gamma_regularizer=regs.get("gamma"),
                               fused=fused, trainable=trainable)
    layer._updates_collection = updates_collections
    with _v1().variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        layer._scope, layer.dtype = sc, inputs.dtype
        layer.build(inputs.shape)
        if _state.graph is not None:
            for var in layer.variables:
                _get_default_graph().add_to_collection("model_variables", var)
        outputs = layer.call(inputs, training=is_training)
        if updates_collections is None and layer.updates:
            with _get_default_graph().control_dependencies(layer.updates):
                outputs = _ndflow.identity(outputs)
        outputs = activation_fn(outputs) if activation_fn is not None else outputs
        return _collect(outputs, outputs_collections)


def optimize_loss(loss: Any, global_step: Any, learning_rate: Any, optimizer: Any,
                  gradient_noise_scale: Any = None, gradient_multipliers: dict | None = None,
                  clip_gradients: Any = None, learning_rate_decay_fn: Any = None, update_ops: list | None = None,
                  variables: list | None = None, name: str | None = None, summaries: Any = None,
                  colocate_gradients_with_ops: bool = False, increment_global_step: bool = True) -> Any:
    """A training op for ``loss``: builds the optimizer, clips gradients, runs UPDATE_OPS first and increments
    ``global_step``; evaluating it returns the loss.

    Args:
        optimizer: a name (``"Adagrad"``, ``"Adam"``, ``"Ftrl"``, ``"Momentum"``, ``"RMSProp"``, ``"SGD"``), an
            optimizer class or a callable ``learning_rate -> optimizer``, or an optimizer instance.

    Raises:
        ValueError: an unknown optimizer name, or no learning rate for a named optimizer.
        NotImplementedError: ``gradient_noise_scale``.
    """
    from ....estimator._optimizers import optimizer_from_name

    v1 = _v1()
    if gradient_noise_scale is not None:
        raise NotImplementedError("optimize_loss gradient_noise_scale is not supported yet")
    with _ndflow.name_scope(name or "OptimizeLoss"):
        deps = update_ops if update_ops is not None else v1.get_collection("update_ops")
        if deps:
            with _get_default_graph().control_dependencies(deps):
                loss = _ndflow.identity(loss)
        lr = learning_rate
        if learning_rate_decay_fn is not None:
            lr = learning_rate_decay_fn(lr, global_step)
        if isinstance(optimizer, str):
            if lr is None:
                raise ValueError(f"Learning rate is None, but should be specified if optimizer is string "
                                 f"({optimizer}).")
            opt = optimizer_from_name(optimizer, lr)
        elif isinstance(optimizer, type) or (callable(optimizer) and not hasattr(optimizer, "compute_gradients")):
            opt = optimizer(lr)
        else:
            opt = optimizer
        pairs = opt.compute_gradients(loss, variables)
        if gradient_multipliers:
            pairs = [(g * gradient_multipliers[v] if g is not None and v in gradient_multipliers else g, v)
                     for g, v in pairs]
        if clip_gradients is not None:
            if callable(clip_gradients):
                pairs = clip_gradients(pairs)
            else:
                grads, norm = _ndflow.clip_by_global_norm([g for g, _ in pairs], clip_gradients)
                pairs = list(zip(grads, [v for _, v in pairs]))
        update = opt.apply_gradients(pairs, global_step=global_step if increment_global_step else None)
        with _get_default_graph().control_dependencies([update]):
            return _ndflow.identity(loss, name="train_op")


xavier_initializer_conv2d = xavier_initializer
