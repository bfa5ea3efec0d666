"""``Trainer``: the training half of ``keras.Model`` — ``compile``, ``fit``, ``evaluate``, ``predict``.

Unless ``run_eagerly``, each step (``train_step``, ``test_step``, ``predict_step``) runs through
``ndflow.function``: traced once per input signature (so the last, smaller batch of an epoch adds one trace),
then replayed as a graph. Layers built lazily on their first call are built during the first trace; the
variables they create are lifted out of the graph.
"""
from __future__ import annotations

import inspect
import warnings
from typing import Any, Callable

import numpy as np

import ndflow as tf

from ..._core import blas_threads, nest
from ..._core.function import function as tf_function
from ..._core.tensor import EagerTensor, Tensor
from ..callbacks.callback_list import CallbackList, pythonify_logs
from ..layers.layer import _UNTRACKED, _collect
from .compile_utils import CompileLoss, CompileMetrics
from .data_adapters import class_weight_to_sample_weights, train_validation_split, unpack_x_y_sample_weight
from .epoch_iterator import EpochIterator

__all__ = ["Trainer"]

_TRAINER_ATTRIBUTES = frozenset({"_loss_tracker", "_compile_loss", "_compile_metrics", "_compile_config", "optimizer",
                                 "loss"})


def _to_tensor(value: Any) -> Any:
    if value is None or isinstance(value, Tensor):
        return value
    return tf.convert_to_tensor(value)


def _to_numpy(value: Any) -> Any:
    return value.numpy() if isinstance(value, EagerTensor) else value


def _first_tensor(x: Any) -> Any:
    return next(t for t in nest.flatten(x) if t is not None)


class Trainer:
    """Mixed into ``Model``: compiling, the training/evaluation/prediction loops and their steps.

    ``Model.__init__`` need not call ``Trainer.__init__``: the state below starts from class attributes.
    """

    compiled = False
    optimizer: Any = None
    loss: Any = None
    steps_per_execution = 1
    stop_training = False
    stop_evaluating = False
    stop_predicting = False
    train_function: Callable | None = None
    test_function: Callable | None = None
    predict_function: Callable | None = None
    _run_eagerly = False
    _jit_compile: Any = None
    _initial_epoch: int | None = None
    _compile_loss: CompileLoss | None = None
    _compile_metrics: CompileMetrics | None = None
    _loss_tracker: Any = None
    _eval_epoch_iterator: EpochIterator | None = None

    # -- compiling --------------------------------------------------------------------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, loss_weights: Any = None, metrics: Any = None,
                weighted_metrics: Any = None, run_eagerly: bool = False, steps_per_execution: int = 1,
                jit_compile: Any = "auto", auto_scale_loss: bool = True) -> None:
        """Configures the model for training.

        Args:
            optimizer: an optimizer or its name.
            loss: a loss (name, function or ``Loss``) for every output, or a list/dict of them per output.
            loss_weights: scalars weighting each output's loss (a float, list or dict).
            metrics: metrics (names, functions or ``Metric`` objects), per output as lists/dicts; ``"accuracy"``
                picks binary, sparse categorical or categorical accuracy from the shapes.
            weighted_metrics: metrics that use ``sample_weight``/``class_weight``.
            run_eagerly: run the steps as plain Python (for debugging) instead of traced graphs.
            steps_per_execution: batches per step (callbacks' batch hooks run once per step).
            jit_compile: accepted for compatibility; ``"auto"`` means no XLA (there is none here).
            auto_scale_loss: accepted for compatibility (loss scaling only matters for ``mixed_float16``).

        Raises:
            ValueError: bad ``metrics``/``weighted_metrics``/``loss_weights`` types or an unknown identifier.
        """
        from .. import metrics as metrics_module
        from .. import optimizers

        self.optimizer = optimizers.get(optimizer)
        output_names = getattr(self, "output_names", None)
        self._compile_loss = CompileLoss(loss, loss_weights, output_names=output_names) if loss is not None else None
        self.loss = loss
        self._compile_metrics = None
        if metrics is not None or weighted_metrics is not None:
            self._compile_metrics = CompileMetrics(metrics, weighted_metrics, output_names=output_names)
        if jit_compile == "auto" or run_eagerly:
            jit_compile = False
        self._jit_compile = jit_compile
        self._run_eagerly = run_eagerly
        self.stop_training = False
        self.compiled = True
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.steps_per_execution = steps_per_execution
        self.train_function = self.test_function = self.predict_function = None
        self._compile_config = {"optimizer": self.optimizer, "loss": loss, "loss_weights": loss_weights,
                                "metrics": metrics, "weighted_metrics": weighted_metrics, "run_eagerly": run_eagerly,
                                "steps_per_execution": steps_per_execution, "jit_compile": jit_compile}

    @property
    def run_eagerly(self) -> bool:
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value: bool) -> None:
        self._run_eagerly = bool(value)
        self.train_function = self.test_function = self.predict_function = None

    @property
    def jit_compile(self) -> bool:
        return bool(self._jit_compile)

    @jit_compile.setter
    def jit_compile(self, value: Any) -> None:
        self._jit_compile = value

    def get_compile_config(self) -> dict:
        """The arguments ``compile`` was called with, serialized (empty when not compiled)."""
        if not self.compiled:
            return {}
        from ..saving import serialize_keras_object

        return {key: serialize_keras_object(value) for key, value in self._compile_config.items()}

    def compile_from_config(self, config: dict) -> None:
        """Calls ``compile`` with the arguments from ``get_compile_config``; builds the optimizer if possible."""
        if type(self).compile is not Trainer.compile:
            warnings.warn("`compile()` was not called as part of model loading because the model's `compile()` "
                          "method is custom. All subclassed Models that have `compile()` overridden should also "
                          "override `get_compile_config()` and `compile_from_config(config)`. Alternatively, you "
                          "can call `compile()` manually after loading.", stacklevel=2)
            return
        from ..saving import deserialize_keras_object

        self.compile(**{key: deserialize_keras_object(value) for key, value in config.items()})
        if self.optimizer is not None and getattr(self, "built", False):
            self.optimizer.build(self.trainable_variables)

    def _assert_compile_called(self, method_name: str) -> None:
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")

    # -- metrics ----------------------------------------------------------------------------------------------
    @property
    def metrics(self) -> list:
        """The loss tracker, the compiled metrics, per-output loss trackers, then metrics held as attributes."""
        found = []
        if self.compiled:
            if self._loss_tracker is not None:
                found.append(self._loss_tracker)
            if self._compile_metrics is not None:
                found.append(self._compile_metrics)
            if self._compile_loss is not None:
                found.extend(self._compile_loss.metrics)
        found.extend(_attribute_metrics(self))
        for layer in self._flatten_layers(include_self=False):
            if not isinstance(layer, Trainer):
                found.extend(_attribute_metrics(layer))
        return found

    @property
    def metrics_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    @property
    def metrics_variables(self) -> list:
        return [v for m in self.metrics for v in m.variables]

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self) -> dict:
        """``{name: value}`` of ``metrics`` (the compiled metrics' results are merged in)."""
        results: dict = {}
        for metric in self.metrics:
            value = metric.result()
            if isinstance(value, dict):
                results.update(value)
            else:
                results[metric.name] = value
        return results

    def _get_metrics_result_or_logs(self, logs: Any) -> Any:
        """The metrics' results when the step returned the same keys (default steps), else the step's logs."""
        results = self.get_metrics_result()
        if isinstance(logs, dict) and set(logs) == set(results):
            return results
        return logs

    def _flatten_metrics_in_order(self, logs: dict) -> Any:
        """``logs`` as a list in ``metrics`` order (other keys sorted after); a lone value unwrapped."""
        names: list = []
        for metric in self.metrics:
            if isinstance(metric, CompileMetrics):
                names.extend(m.name for m in metric.metrics)
            else:
                names.append(metric.name)
        results = [logs[name] for name in names if name in logs]
        results += [logs[key] for key in sorted(logs) if key not in names]
        return results[0] if len(results) == 1 else results

    # -- tf.keras 2 spellings, kept by Keras 3 (they warn) ------------------------------------------------------
    def compiled_loss(self, y: Any, y_pred: Any, sample_weight: Any = None, regularization_losses: Any = None) -> Any:
        """Deprecated: ``compute_loss(x=None, y, y_pred, sample_weight)`` (which adds ``self.losses`` itself)."""
        warnings.warn("`model.compiled_loss()` is deprecated. Instead, use `model.compute_loss(x, y, y_pred, "
                      "sample_weight, training)`.", stacklevel=2)
        return self.compute_loss(x=None, y=y, y_pred=y_pred, sample_weight=sample_weight)

    @property
    def compiled_metrics(self) -> Any:
        """Deprecated: an object whose ``update_state(y, y_pred, sample_weight)`` updates every metric."""
        return _DeprecatedCompiledMetrics(self)

    # -- the steps --------------------------------------------------------------------------------------------
    def compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None,
                     training: bool = True) -> Any:
        """The total loss: the compiled loss plus ``self.losses`` (regularization and ``add_loss`` terms).

        Raises:
            ValueError: no compiled loss and no added losses.
        """
        from ..backend import floatx

        terms = []
        if self._compile_loss is not None:
            loss = self._compile_loss(y, y_pred, sample_weight)
            if loss is not None:
                terms.append(loss)
        for loss in self.losses:
            loss = tf.convert_to_tensor(loss)
            if not loss.dtype.is_floating:
                loss = tf.cast(loss, floatx())
            terms.append(tf.reduce_sum(loss))
        if not terms:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return terms[0] if len(terms) == 1 else tf.add_n(terms)

    def _compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None,
                      training: bool = True) -> Any:
        """Calls ``compute_loss``, leaving ``training`` out for overrides written without it."""
        if "training" in inspect.signature(self.compute_loss).parameters:
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None) -> dict:
        """Updates the compiled metrics and returns ``get_metrics_result()`` (override to add your own)."""
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def train_step(self, data: Any) -> dict:
        """One gradient update on a batch ``x``, ``(x, y)`` or ``(x, y, sample_weight)``; returns the logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
            self._loss_tracker.update_state(loss, sample_weight=tf.shape(_first_tensor(x))[0])
            if self.optimizer is not None and hasattr(self.optimizer, "scale_loss"):
                loss = self.optimizer.scale_loss(loss)
        trainable = self.trainable_weights
        if trainable:
            gradients = tape.gradient(loss, trainable)
            self.optimizer.apply_gradients(zip(gradients, trainable))
        else:
            warnings.warn("The model does not have any trainable weights.", stacklevel=2)
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data: Any) -> dict:
        """Evaluates a batch: updates the loss tracker and metrics; returns the logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=tf.shape(_first_tensor(x))[0])
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data: Any) -> Any:
        """The model's outputs for a batch (its ``y`` and ``sample_weight``, if any, are ignored)."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _step_function(self, step: Callable) -> Callable:
        """``step`` run on a list of batches (``steps_per_execution``), traced unless ``run_eagerly``."""
        one_step = step if self.run_eagerly else tf_function(step, autograph=False)

        def run(batches: list) -> Any:
            outputs = None
            for data in batches:
                outputs = one_step(nest.map_structure(_to_tensor, data))
            return outputs

        run.traced = None if self.run_eagerly else one_step  # the ``ndflow.function`` (tracing counts)
        return run

    def make_train_function(self, force: bool = False) -> Callable:
        """The function ``fit`` calls per step (a list of batches → logs of the last)."""
        if self.train_function is None or force:
            self.train_function = self._step_function(lambda data: self.train_step(data))
        return self.train_function

    def make_test_function(self, force: bool = False) -> Callable:
        """The function ``evaluate`` calls per step."""
        if self.test_function is None or force:
            self.test_function = self._step_function(lambda data: self.test_step(data))
        return self.test_function

    def make_predict_function(self, force: bool = False) -> Callable:
        """The function ``predict`` calls per step (a list of batches → a list of their outputs)."""
        if self.predict_function is None or force:
            one_step = (lambda data: self.predict_step(data)) if self.run_eagerly else \
                tf_function(lambda data: self.predict_step(data), autograph=False)

            def predict_function(batches: list) -> list:
                return [one_step(nest.map_structure(_to_tensor, data)) for data in batches]

            self.predict_function = predict_function
        return self.predict_function

    # -- the loops --------------------------------------------------------------------------------------------
    @blas_threads.single_threaded()  # a step's products are small: BLAS threads cost more than they gain
    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1,
            verbose: Any = "auto", callbacks: Any = None, validation_split: float = 0.0, validation_data: Any = None,
            shuffle: Any = True, class_weight: dict | None = None, sample_weight: Any = None,
            initial_epoch: int = 0, steps_per_epoch: int | None = None, validation_steps: int | None = None,
            validation_batch_size: int | None = None, validation_freq: Any = 1) -> Any:
        """Trains the model for ``epochs`` epochs.

        Args:
            x, y: inputs and targets (arrays, tensors, lists/dicts of them); or ``x`` alone as a generator,
                ``PyDataset`` or dataset yielding ``(x, y)``/``(x, y, sample_weight)``.
            batch_size: samples per step for array inputs (default 32).
            epochs: the index of the last epoch (training runs from ``initial_epoch``).
            verbose: ``"auto"``/1 progress bar, 2 one line per epoch, 0 silent.
            callbacks: ``Callback`` objects.
            validation_split: the fraction at the end of the arrays kept for validation (before shuffling).
            validation_data: ``(x_val, y_val)``, ``(x_val, y_val, sample_weight)`` or a dataset.
            shuffle: shuffle array inputs each epoch (``"batch"``: within each batch).
            class_weight: ``{class: weight}`` scaling each sample's loss by its class.
            sample_weight: a weight per sample (or per timestep).
            initial_epoch: the epoch to start from (to resume training).
            steps_per_epoch: steps per epoch (default: the whole input).
            validation_steps: validation steps (default: the whole validation input).
            validation_batch_size: validation batch size (default ``batch_size``).
            validation_freq: validate every N epochs, or at the epochs listed.

        Returns:
            The ``History`` callback (``.history`` maps each logged name to its per-epoch values).
        """
        self._assert_compile_called("fit")
        self._eval_epoch_iterator = None
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = train_validation_split((x, y, sample_weight), validation_split)
        if validation_data is not None:
            val_x, val_y, val_sample_weight = unpack_x_y_sample_weight(validation_data)
        epoch_iterator = EpochIterator(x, y, sample_weight, batch_size=batch_size, steps_per_epoch=steps_per_epoch,
                                       shuffle=shuffle, class_weight=class_weight,
                                       steps_per_execution=self.steps_per_execution)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, verbose=verbose,
                                     epochs=epochs, steps=epoch_iterator.num_batches, model=self)
        self.stop_training = False
        train_function = self.make_train_function()
        callbacks.on_train_begin()
        training_logs = None
        logs: Any = {}
        initial_epoch = self._initial_epoch or initial_epoch
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            for begin_step, end_step, batches in epoch_iterator:
                callbacks.on_train_batch_begin(begin_step)
                logs = train_function(batches)
                callbacks.on_train_batch_end(end_step, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(self._get_metrics_result_or_logs(logs))
            if validation_data is not None and self._should_eval(epoch, validation_freq):
                if self._eval_epoch_iterator is None:
                    self._eval_epoch_iterator = EpochIterator(
                        val_x, val_y, val_sample_weight, batch_size=validation_batch_size or batch_size,
                        steps_per_epoch=validation_steps, shuffle=False,
                        steps_per_execution=self.steps_per_execution)
                val_logs = self.evaluate(val_x, val_y, sample_weight=val_sample_weight,
                                         batch_size=validation_batch_size or batch_size, steps=validation_steps,
                                         callbacks=callbacks, return_dict=True, _use_cached_eval_dataset=True)
                epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        if epochs > 0 and hasattr(self.optimizer, "finalize_variable_values"):
            self.optimizer.finalize_variable_values(self.trainable_weights)
        self._eval_epoch_iterator = None
        callbacks.on_train_end(logs=training_logs)
        return self.history

    @blas_threads.single_threaded()
    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None, verbose: Any = "auto",
                 sample_weight: Any = None, steps: int | None = None, callbacks: Any = None,
                 return_dict: bool = False, **kwargs: Any) -> Any:
        """The loss and metric values of the model on the data.

        Returns:
            The loss alone (no metrics), a list in ``metrics_names`` order, or a dict with ``return_dict``.

        Raises:
            ValueError: an unknown keyword argument, or the model is not compiled.
        """
        self._assert_compile_called("evaluate")
        use_cached = kwargs.pop("_use_cached_eval_dataset", False)
        if kwargs:
            raise ValueError(f"Arguments not recognized: {kwargs}")
        if use_cached and self._eval_epoch_iterator is not None:
            epoch_iterator = self._eval_epoch_iterator
        else:
            epoch_iterator = EpochIterator(x, y, sample_weight, batch_size=batch_size, steps_per_epoch=steps,
                                           shuffle=False, steps_per_execution=self.steps_per_execution)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(callbacks, add_progbar=verbose != 0, verbose=verbose, epochs=1,
                                     steps=epoch_iterator.num_batches, model=self)
        test_function = self.make_test_function()
        self.stop_evaluating = False
        callbacks.on_test_begin()
        logs: Any = {}
        self.reset_metrics()
        for begin_step, end_step, batches in epoch_iterator:
            callbacks.on_test_batch_begin(begin_step)
            logs = test_function(batches)
            callbacks.on_test_batch_end(end_step, logs)
            if self.stop_evaluating:
                break
        logs = pythonify_logs(self._get_metrics_result_or_logs(logs))
        callbacks.on_test_end(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    @blas_threads.single_threaded()
    def predict(self, x: Any, batch_size: int | None = None, verbose: Any = "auto", steps: int | None = None,
                callbacks: Any = None) -> Any:
        """The model's outputs for every sample of ``x``, as NumPy arrays (nested like the outputs)."""
        epoch_iterator = EpochIterator(x, batch_size=batch_size, steps_per_epoch=steps, shuffle=False,
                                       steps_per_execution=self.steps_per_execution)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(callbacks, add_progbar=verbose != 0, verbose=verbose, epochs=1,
                                     steps=epoch_iterator.num_batches, model=self)
        predict_function = self.make_predict_function()
        self.stop_predicting = False
        callbacks.on_predict_begin()
        collected: list = []
        for begin_step, end_step, batches in epoch_iterator:
            callbacks.on_predict_batch_begin(begin_step)
            batch_outputs = _concatenate(predict_function(batches))
            collected.append(batch_outputs)
            callbacks.on_predict_batch_end(end_step, {"outputs": batch_outputs})
            if self.stop_predicting:
                break
        callbacks.on_predict_end()
        if not collected:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs). Please use "
                             "`Model.compile(..., run_eagerly=True)`, or `tf.config.run_functions_eagerly(True)` "
                             "for more information of where went wrong, or file a issue/bug to `keras`.")
        return _concatenate(collected)

    @blas_threads.single_threaded()
    def train_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, class_weight: dict | None = None,
                       return_dict: bool = False) -> Any:
        """One gradient update on one batch; returns the loss/metrics like ``evaluate``.

        Raises:
            ValueError: both ``sample_weight`` and ``class_weight``.
        """
        self._assert_compile_called("train_on_batch")
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("Arguments `sample_weight` and `class_weight` cannot be specified at the same time. "
                                 f"Received: sample_weight={sample_weight}, class_weight={class_weight}")
            sample_weight = class_weight_to_sample_weights(y, class_weight)
        self.reset_metrics()
        logs = pythonify_logs(self.make_train_function()([(x, y, sample_weight)]))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    @blas_threads.single_threaded()
    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False) -> Any:
        """The loss/metrics on one batch, like ``evaluate``."""
        self._assert_compile_called("test_on_batch")
        self.reset_metrics()
        logs = pythonify_logs(self.make_test_function()([(x, y, sample_weight)]))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    @blas_threads.single_threaded()
    def predict_on_batch(self, x: Any) -> Any:
        """The model's outputs for one batch, as NumPy arrays."""
        outputs = self.make_predict_function()([(x,)])[0]
        return nest.map_structure(_to_numpy, outputs)

    @staticmethod
    def _should_eval(epoch: int, validation_freq: Any) -> bool:
        epoch += 1
        if isinstance(validation_freq, int):
            return epoch % validation_freq == 0
        if isinstance(validation_freq, list):
            return epoch in validation_freq
        raise ValueError(f"Expected `validation_freq` to be a list or int. Received: validation_freq="
                         f"{validation_freq} of the type {type(validation_freq)}.")


def _concatenate(outputs: list) -> Any:
    """Per-batch output structures joined along the batch axis into NumPy arrays (same structure)."""
    flat = [nest.flatten(o) for o in outputs]
    joined = [np.concatenate([_to_numpy(f[i]) for f in flat], axis=0) if len(flat) > 1 else _to_numpy(flat[0][i])
              for i in range(len(flat[0]))]
    return nest.pack_sequence_as(outputs[0], joined)


class _DeprecatedCompiledMetrics:
    def __init__(self, model: Trainer) -> None:
        self._model = model

    def update_state(self, y: Any, y_pred: Any, sample_weight: Any = None) -> None:
        from ..metrics import Mean

        warnings.warn("`model.compiled_metrics()` is deprecated. Instead, use e.g.:\n```\nfor metric in "
                      "self.metrics:\n    metric.update_state(y, y_pred)\n```\n", stacklevel=2)
        for metric in self._model.metrics:
            if isinstance(metric, Mean):  # as in Keras: the loss tracker gets the predictions
                metric.update_state(y_pred, sample_weight=sample_weight)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)


def _attribute_metrics(obj: Any) -> list:
    """The ``Metric`` objects held in ``obj``'s attributes (directly or in lists/dicts), like Keras tracks them, in
    ``nest.flatten`` order (dicts by sorted key)."""
    from ..metrics import Metric

    found: list = []
    seen: set = set()
    kinds = (Metric, list, tuple, dict)
    for key, value in vars(obj).items():
        if isinstance(value, kinds) and key not in _TRAINER_ATTRIBUTES and key not in _UNTRACKED:
            _collect(value, Metric, found, seen, sorted_keys=True)
    return found
