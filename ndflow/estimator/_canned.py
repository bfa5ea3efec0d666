"""Canned estimators: linear, DNN and combined models over feature columns, with TF1's defaults (FTRL for
linear parts, Adagrad for DNN parts, Glorot-uniform hidden layers, zero-initialised linear weights)."""
from __future__ import annotations

import math
from typing import Any, Callable

import ndflow as _tf

from ._estimator import Estimator, _v1
from ._heads import SUM, ClassificationHead, RegressionHead
from ._optimizers import get_optimizer

__all__ = ["LinearRegressor", "LinearClassifier", "DNNRegressor", "DNNClassifier", "DNNLinearCombinedRegressor",
           "DNNLinearCombinedClassifier", "BaselineRegressor", "BaselineClassifier"]

_LINEAR_LEARNING_RATE = 0.2
_DNN_LEARNING_RATE = 0.05
_COMBINED_LINEAR_LEARNING_RATE = 0.005
_COMBINED_DNN_LEARNING_RATE = 0.001
_BASELINE_LEARNING_RATE = 0.3


def _columns(feature_columns: Any, what: str) -> list:
    columns = list(feature_columns or [])
    if not columns:
        raise ValueError(f"{what} should not be empty.")
    return columns


def _linear_logits(features: Any, columns: list, units: int) -> Any:
    from ..feature_column import linear_model

    with _v1().variable_scope("linear"):
        return linear_model(features, columns, units=units)


def _dnn_logits(features: Any, columns: list, hidden_units: list, units: int, activation_fn: Callable,
                dropout: float | None, training: bool) -> Any:
    from ..compat.v1 import layers
    from ..feature_column import input_layer

    v1 = _v1()
    glorot = v1.glorot_uniform_initializer()
    with v1.variable_scope("dnn"):
        with v1.variable_scope("input_from_feature_columns"):
            net = input_layer(features, columns)
        for index, units_i in enumerate(hidden_units):
            net = layers.dense(net, units_i, activation=activation_fn, kernel_initializer=glorot,
                               name=f"hiddenlayer_{index}")
            if dropout is not None and training:
                net = layers.dropout(net, rate=dropout, training=True)
        return layers.dense(net, units, kernel_initializer=glorot, name="logits")


def _minimize(optimizer: Any, loss: Any, scope: str | None = None, global_step: bool = True) -> Any:
    v1 = _v1()
    var_list = v1.trainable_variables(scope) if scope else None
    return optimizer.minimize(loss, global_step=v1.train.get_global_step() if global_step else None,
                              var_list=var_list)


class _Canned(Estimator):
    def __init__(self, model_fn: Callable, model_dir: Any, config: Any, warm_start_from: Any = None) -> None:
        super().__init__(model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from)


def _linear_model_fn(head: Any, columns: list, optimizer: Any) -> Callable:
    rate = min(_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(len(columns)))

    def model_fn(features: Any, labels: Any, mode: str) -> Any:
        logits = _linear_logits(features, columns, head.logits_dimension)
        return head.create_estimator_spec(features, mode, logits, labels,
                                          lambda loss: _minimize(get_optimizer(optimizer, rate), loss))

    return model_fn


def _dnn_model_fn(head: Any, hidden_units: list, columns: list, optimizer: Any, activation_fn: Callable,
                  dropout: float | None) -> Callable:
    from ._spec import ModeKeys

    def model_fn(features: Any, labels: Any, mode: str) -> Any:
        logits = _dnn_logits(features, columns, hidden_units, head.logits_dimension, activation_fn, dropout,
                             mode == ModeKeys.TRAIN)
        return head.create_estimator_spec(features, mode, logits, labels,
                                          lambda loss: _minimize(get_optimizer(optimizer, _DNN_LEARNING_RATE),
                                                                 loss))

    return model_fn


def _combined_model_fn(head: Any, linear_columns: list, linear_optimizer: Any, dnn_columns: list,
                       dnn_optimizer: Any, hidden_units: list, activation_fn: Callable,
                       dropout: float | None) -> Callable:
    from ._spec import ModeKeys

    linear_rate = min(_COMBINED_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(len(linear_columns))) if linear_columns \
        else None

    def model_fn(features: Any, labels: Any, mode: str) -> Any:
        parts = []
        if dnn_columns:
            parts.append(_dnn_logits(features, dnn_columns, hidden_units, head.logits_dimension, activation_fn,
                                     dropout, mode == ModeKeys.TRAIN))
        if linear_columns:
            parts.append(_linear_logits(features, linear_columns, head.logits_dimension))
        logits = _tf.add_n(parts)

        def train_op_fn(loss: Any) -> Any:
            v1 = _v1()
            ops = []
            if dnn_columns:
                ops.append(_minimize(get_optimizer(dnn_optimizer, _COMBINED_DNN_LEARNING_RATE), loss, "dnn", False))
            if linear_columns:
                ops.append(_minimize(get_optimizer(linear_optimizer, linear_rate), loss, "linear", False))
            with v1.get_default_graph().control_dependencies(ops):
                return v1.assign_add(v1.train.get_global_step(), 1)

        return head.create_estimator_spec(features, mode, logits, labels, train_op_fn)

    return model_fn


class LinearRegressor(_Canned):
    """Linear regression over ``feature_columns`` (variables ``linear/linear_model/<column>/weights``).

    Args:
        optimizer: a name, an optimizer or a callable returning one (default FTRL at ``min(0.2, 1/√#columns)``).
    """

    def __init__(self, feature_columns: Any, model_dir: str | None = None, label_dimension: int = 1,
                 weight_column: Any = None, optimizer: Any = "Ftrl", config: Any = None, partitioner: Any = None,
                 warm_start_from: Any = None, loss_reduction: Any = SUM, sparse_combiner: str = "sum") -> None:
        columns = _columns(feature_columns, "feature_columns")
        head = RegressionHead(label_dimension, weight_column, loss_reduction)
        super().__init__(_linear_model_fn(head, columns, optimizer), model_dir, config, warm_start_from)


class LinearClassifier(_Canned):
    """Logistic / softmax regression over ``feature_columns`` (default optimizer FTRL)."""

    def __init__(self, feature_columns: Any, model_dir: str | None = None, n_classes: int = 2,
                 weight_column: Any = None, label_vocabulary: Any = None, optimizer: Any = "Ftrl",
                 config: Any = None, partitioner: Any = None, warm_start_from: Any = None,
                 loss_reduction: Any = SUM, sparse_combiner: str = "sum") -> None:
        columns = _columns(feature_columns, "feature_columns")
        head = ClassificationHead(n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(_linear_model_fn(head, columns, optimizer), model_dir, config, warm_start_from)


class DNNRegressor(_Canned):
    """A feed-forward network (``dnn/hiddenlayer_<i>``, ``dnn/logits``) regressing ``label_dimension`` values.

    Args:
        hidden_units: units per hidden layer, e.g. ``[64, 32]``.
        dropout: the probability of dropping a hidden unit during training (None: no dropout).
        optimizer: a name, an optimizer or a callable (default Adagrad at 0.05).
    """

    def __init__(self, hidden_units: list, feature_columns: Any, model_dir: str | None = None,
                 label_dimension: int = 1, weight_column: Any = None, optimizer: Any = "Adagrad",
                 activation_fn: Callable = _tf.nn.relu, dropout: float | None = None,
                 input_layer_partitioner: Any = None, config: Any = None, warm_start_from: Any = None,
                 loss_reduction: Any = SUM, batch_norm: bool = False) -> None:
        if batch_norm:
            raise NotImplementedError("DNNRegressor batch_norm is not supported yet")
        columns = _columns(feature_columns, "feature_columns")
        head = RegressionHead(label_dimension, weight_column, loss_reduction)
        super().__init__(_dnn_model_fn(head, list(hidden_units), columns, optimizer, activation_fn, dropout),
                         model_dir, config, warm_start_from)


class DNNClassifier(_Canned):
    """A feed-forward classifier (softmax for ``n_classes > 2``, logistic for 2); default optimizer Adagrad."""

    def __init__(self, hidden_units: list, feature_columns: Any, model_dir: str | None = None, n_classes: int = 2,
                 weight_column: Any = None, label_vocabulary: Any = None, optimizer: Any = "Adagrad",
                 activation_fn: Callable = _tf.nn.relu, dropout: float | None = None,
                 input_layer_partitioner: Any = None, config: Any = None, warm_start_from: Any = None,
                 loss_reduction: Any = SUM, batch_norm: bool = False) -> None:
        if batch_norm:
            raise NotImplementedError("DNNClassifier batch_norm is not supported yet")
        columns = _columns(feature_columns, "feature_columns")
        head = ClassificationHead(n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(_dnn_model_fn(head, list(hidden_units), columns, optimizer, activation_fn, dropout),
                         model_dir, config, warm_start_from)


def _combined_columns(linear_feature_columns: Any, dnn_feature_columns: Any, dnn_hidden_units: Any) -> tuple:
    linear, dnn = list(linear_feature_columns or []), list(dnn_feature_columns or [])
    if not linear and not dnn:
        raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")
    if dnn and not dnn_hidden_units:
        raise ValueError(f"dnn_hidden_units must be defined when dnn_feature_columns is specified. Given: "
                         f"{dnn_hidden_units}")
    return linear, dnn


class DNNLinearCombinedRegressor(_Canned):
    """The sum of a linear model (``linear/``, FTRL) and a DNN (``dnn/``, Adagrad), trained jointly."""

    def __init__(self, model_dir: str | None = None, linear_feature_columns: Any = None,
                 linear_optimizer: Any = "Ftrl", dnn_feature_columns: Any = None, dnn_optimizer: Any = "Adagrad",
                 dnn_hidden_units: Any = None, dnn_activation_fn: Callable = _tf.nn.relu,
                 dnn_dropout: float | None = None, label_dimension: int = 1, weight_column: Any = None,
                 input_layer_partitioner: Any = None, config: Any = None, warm_start_from: Any = None,
                 loss_reduction: Any = SUM, batch_norm: bool = False, linear_sparse_combiner: str = "sum") -> None:
        linear, dnn = _combined_columns(linear_feature_columns, dnn_feature_columns, dnn_hidden_units)
        head = RegressionHead(label_dimension, weight_column, loss_reduction)
        model_fn = _combined_model_fn(head, linear, linear_optimizer, dnn, dnn_optimizer, list(dnn_hidden_units or []),
                                      dnn_activation_fn, dnn_dropout)
        super().__init__(model_fn, model_dir, config, warm_start_from)


class DNNLinearCombinedClassifier(_Canned):
    """The sum of a linear model (``linear/``, FTRL) and a DNN (``dnn/``, Adagrad) as classification logits."""

    def __init__(self, model_dir: str | None = None, linear_feature_columns: Any = None,
                 linear_optimizer: Any = "Ftrl", dnn_feature_columns: Any = None, dnn_optimizer: Any = "Adagrad",
                 dnn_hidden_units: Any = None, dnn_activation_fn: Callable = _tf.nn.relu,
                 dnn_dropout: float | None = None, n_classes: int = 2, weight_column: Any = None,
                 label_vocabulary: Any = None, input_layer_partitioner: Any = None, config: Any = None,
                 warm_start_from: Any = None, loss_reduction: Any = SUM, batch_norm: bool = False,
                 linear_sparse_combiner: str = "sum") -> None:
        linear, dnn = _combined_columns(linear_feature_columns, dnn_feature_columns, dnn_hidden_units)
        head = ClassificationHead(n_classes, weight_column, label_vocabulary, loss_reduction)
        model_fn = _combined_model_fn(head, linear, linear_optimizer, dnn, dnn_optimizer, list(dnn_hidden_units or []),
                                      dnn_activation_fn, dnn_dropout)
        super().__init__(model_fn, model_dir, config, warm_start_from)


def _baseline_model_fn(head: Any, optimizer: Any) -> Callable:
    def model_fn(features: Any, labels: Any, mode: str) -> Any:
        v1 = _v1()
        first = next(iter(features.values())) if isinstance(features, dict) else features
        batch = _tf.shape(_tf.convert_to_tensor(first))[0]
        with v1.variable_scope("baseline"):
            bias = v1.get_variable("bias", [head.logits_dimension], initializer=v1.zeros_initializer())
        logits = bias + _tf.fill(_tf.stack([batch, head.logits_dimension]), 0.0)
        return head.create_estimator_spec(features, mode, logits, labels,
                                          lambda loss: _minimize(get_optimizer(optimizer, _BASELINE_LEARNING_RATE),
                                                                 loss))

    return model_fn


class BaselineRegressor(_Canned):
    """Predicts a learned constant (``baseline/bias``): the mean label, as a baseline for other models."""

    def __init__(self, model_dir: str | None = None, label_dimension: int = 1, weight_column: Any = None,
                 optimizer: Any = "Ftrl", config: Any = None, loss_reduction: Any = SUM) -> None:
        head = RegressionHead(label_dimension, weight_column, loss_reduction)
        super().__init__(_baseline_model_fn(head, optimizer), model_dir, config)


class BaselineClassifier(_Canned):
    """Predicts learned constant class logits (``baseline/bias``): the label distribution's prior."""

    def __init__(self, model_dir: str | None = None, n_classes: int = 2, weight_column: Any = None,
                 label_vocabulary: Any = None, optimizer: Any = "Ftrl", config: Any = None,
                 loss_reduction: Any = SUM) -> None:
        head = ClassificationHead(n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(_baseline_model_fn(head, optimizer), model_dir, config)
