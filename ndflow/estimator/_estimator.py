"""``Estimator``: trains, evaluates and predicts with a ``model_fn`` in fresh graphs and sessions, keeping its
state in checkpoints under ``model_dir`` (so each call resumes where the last one stopped)."""
from __future__ import annotations

import inspect
import logging
import os
import tempfile
import time
from typing import Any, Callable, Iterator

import numpy as np

from .._core.errors import OutOfRangeError
from .._core.graph import Graph
from ._hooks import run_with_hooks
from ._spec import EstimatorSpec, ModeKeys, RunConfig

__all__ = ["Estimator", "NanLossDuringTrainingError"]

_log = logging.getLogger("ndflow")


class NanLossDuringTrainingError(RuntimeError):
    def __str__(self) -> str:
        return "NaN loss during training."


def _v1():
    from ..compat import v1

    return v1


def _arg_names(fn: Callable) -> list:
    return list(inspect.signature(fn).parameters)


def _begin(graph: Graph, hooks: list) -> None:
    with graph.as_default():
        for hook in hooks:
            hook.begin()


class Estimator:
    """Runs ``model_fn(features, labels, mode[, params][, config])`` (which returns an ``EstimatorSpec``).

    Args:
        model_fn: builds the model's ops for a mode.
        model_dir: where checkpoints live (a new temporary directory when None and ``config`` has none).
        config: a ``RunConfig``.
        params: a dict passed to ``model_fn`` as ``params``.

    Raises:
        ValueError: ``model_fn`` without a ``features`` argument, ``params`` given to a ``model_fn`` that takes
            none, or ``model_dir`` disagreeing with ``config.model_dir``.
    """

    def __init__(self, model_fn: Callable, model_dir: str | None = None, config: RunConfig | None = None,
                 params: dict | None = None, warm_start_from: Any = None) -> None:
        if not callable(model_fn):
            raise ValueError(f"model_fn must be callable, given: {model_fn}")
        args = _arg_names(model_fn)
        if "features" not in args:
            raise ValueError(f"model_fn ({model_fn}) must include features argument.")
        if params is not None and "params" not in args:
            raise ValueError(f"model_fn ({model_fn}) does not include params argument, but params ({params}) is "
                             "passed to Estimator.")
        if warm_start_from is not None:
            raise NotImplementedError("Estimator warm_start_from is not supported yet")
        config = config if config is not None else RunConfig()
        if not isinstance(config, RunConfig):
            raise ValueError(f"config must be an instance of `RunConfig`, but provided {config}.")
        if model_dir is not None and config.model_dir is not None and model_dir != config.model_dir:
            raise ValueError(f"`model_dir` are set both in constructor and `RunConfig`, but with different values. "
                             f"In constructor: '{model_dir}', in `RunConfig`: '{config.model_dir}' ")
        model_dir = os.fspath(model_dir or config.model_dir or "") or None
        if model_dir is None:
            model_dir = tempfile.mkdtemp()
            _log.warning("Using temporary folder as model directory: %s", model_dir)
        self._model_fn = model_fn
        self._model_dir = model_dir
        self._config = config.replace(model_dir=model_dir)
        self._params = dict(params or {})
        _log.info("Using config: %s", self._config)

    @property
    def model_dir(self) -> str:
        return self._model_dir

    @property
    def config(self) -> RunConfig:
        return self._config

    @property
    def params(self) -> dict:
        return dict(self._params)

    @property
    def model_fn(self) -> Callable:
        return self._model_fn

    # -- checkpoints ---------------------------------------------------------------------------------------
    def latest_checkpoint(self) -> str | None:
        """The prefix of the newest checkpoint in ``model_dir`` (None if there is none)."""
        return _v1().train.latest_checkpoint(self._model_dir)

    def _checkpoint(self) -> str:
        path = self.latest_checkpoint()
        if path is None:
            raise ValueError(f"Could not find trained model in model_dir: {self._model_dir}.")
        return path

    def get_variable_names(self) -> list:
        """Names of the variables in the latest checkpoint.

        Raises:
            ValueError: no checkpoint yet.
        """
        from .. import train

        return [name for name, _ in train.list_variables(self._checkpoint())]

    def get_variable_value(self, name: str) -> np.ndarray:
        """A variable's value in the latest checkpoint."""
        from .. import train

        return train.load_variable(self._checkpoint(), name)

    # -- graph building ------------------------------------------------------------------------------------
    def _call_input_fn(self, input_fn: Callable, mode: str) -> tuple:
        from ..data import Dataset

        kwargs = {k: v for k, v in (("mode", mode), ("params", self.params), ("config", self._config))
                  if k in _arg_names(input_fn)}
        result = input_fn(**kwargs)
        if isinstance(result, Dataset):
            result = _v1().data.make_one_shot_iterator(result).get_next()
        if isinstance(result, (tuple, list)):
            if len(result) != 2:
                raise ValueError(f"input_fn should return (features, labels) as a len 2 tuple, got {result}.")
            return result[0], result[1]
        return result, None

    def _call_model_fn(self, features: Any, labels: Any, mode: str) -> EstimatorSpec:
        args = _arg_names(self._model_fn)
        kwargs = {"features": features}
        if "labels" in args:
            kwargs["labels"] = labels
        elif labels is not None:
            raise ValueError("model_fn does not take labels, but input_fn returns labels.")
        optional = (("mode", mode), ("params", self.params), ("config", self._config))
        kwargs.update({k: v for k, v in optional if k in args})
        spec = self._model_fn(**kwargs)
        if not isinstance(spec, EstimatorSpec):
            raise ValueError(f"model_fn should return an EstimatorSpec. Given: {spec}")
        return spec

    def _build(self, input_fn: Callable, mode: str) -> tuple:
        v1 = _v1()
        graph = Graph()
        with graph.as_default():
            if self._config.tf_random_seed is not None:
                v1.set_random_seed(self._config.tf_random_seed)
            global_step = v1.train.get_or_create_global_step()
            features, labels = self._call_input_fn(input_fn, mode)
            if mode == ModeKeys.PREDICT:
                labels = None  # as TF: predictions never see labels
            spec = self._call_model_fn(features, labels, mode)
        return graph, spec, global_step

    def _start(self, graph: Graph, checkpoint_path: str | None) -> tuple:
        """A session on ``graph`` with variables restored from ``checkpoint_path`` (or initialized)."""
        v1 = _v1()
        with graph.as_default():
            saver = v1.train.Saver(max_to_keep=self._config.keep_checkpoint_max,
                                   keep_checkpoint_every_n_hours=self._config.keep_checkpoint_every_n_hours)
            init_global = v1.global_variables_initializer()
            init_local = v1.local_variables_initializer()
        sess = v1.Session(graph=graph)
        if checkpoint_path:
            saver.restore(sess, checkpoint_path)
        else:
            sess.run(init_global)
        sess.run(init_local)
        return sess, saver

    # -- train ---------------------------------------------------------------------------------------------
    def train(self, input_fn: Callable, hooks: Any = None, steps: int | None = None, max_steps: int | None = None,
              saving_listeners: Any = None) -> Estimator:
        """Runs ``train_op`` for ``steps`` more steps, until ``global_step`` reaches ``max_steps``, or until the
        input ends; saves checkpoints on the way (``RunConfig``) and at the end.

        Returns:
            self.

        Raises:
            ValueError: both ``steps`` and ``max_steps``, or a non-positive count.
            NanLossDuringTrainingError: the loss became NaN.
        """
        if saving_listeners:
            raise NotImplementedError("Estimator.train saving_listeners are not supported yet")
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        checkpoint = self.latest_checkpoint()
        if max_steps is not None and checkpoint is not None:
            from .. import train

            if int(train.load_variable(checkpoint, "global_step")) >= max_steps:
                _log.info("Skipping training since max_steps has already saved.")
                return self
        graph, spec, global_step = self._build(input_fn, ModeKeys.TRAIN)
        hooks = [*(hooks or ()), *spec.training_chief_hooks, *spec.training_hooks]
        _begin(graph, hooks)
        sess, saver = self._start(graph, checkpoint)
        try:
            for hook in hooks:
                hook.after_create_session(sess, None)
            self._train_loop(sess, saver, spec, global_step, steps, max_steps, checkpoint is None, hooks)
            for hook in hooks:
                hook.end(sess)
        finally:
            sess.close()
        return self

    def _save(self, sess: Any, saver: Any, step: int) -> None:
        os.makedirs(self._model_dir, exist_ok=True)
        prefix = os.path.join(self._model_dir, "model.ckpt")
        _log.info("Saving checkpoints for %d into %s.", step, prefix)
        saver.save(sess, prefix, global_step=step)

    def _train_loop(self, sess: Any, saver: Any, spec: EstimatorSpec, global_step: Any, steps: int | None,
                    max_steps: int | None, fresh: bool, hooks: list) -> None:
        config = self._config
        step = int(sess.run(global_step))
        last_step = step + steps if steps is not None else max_steps
        if fresh:
            self._save(sess, saver, step)
        saved_step, saved_time = step, time.time()
        log_every = config.log_step_count_steps or 0
        logged_step, logged_time = step, time.time()
        loss, count = None, 0
        try:
            while last_step is None or step < last_step:
                (_, loss), stop = run_with_hooks(sess, [spec.train_op, spec.loss], hooks)
                step = int(sess.run(global_step))
                count += 1
                if np.isnan(loss):
                    raise NanLossDuringTrainingError
                if count == 1:
                    _log.info("loss = %s, step = %d", loss, step)
                    logged_step, logged_time = step, time.time()
                elif log_every and (count - 1) % log_every == 0:
                    now = time.time()
                    rate = (step - logged_step) / max(now - logged_time, 1e-9)
                    _log.info("global_step/sec: %g", rate)
                    _log.info("loss = %s, step = %d (%.3f sec)", loss, step, now - logged_time)
                    logged_step, logged_time = step, now
                due_steps = config.save_checkpoints_steps and step - saved_step >= config.save_checkpoints_steps
                due_secs = config.save_checkpoints_secs and time.time() - saved_time >= config.save_checkpoints_secs
                if due_steps or due_secs:
                    self._save(sess, saver, step)
                    saved_step, saved_time = step, time.time()
                if stop:
                    break
        except OutOfRangeError:
            pass
        if step != saved_step or count == 0:
            self._save(sess, saver, step)
        _log.info("Loss for final step: %s.", loss)

    # -- evaluate ------------------------------------------------------------------------------------------
    def evaluate(self, input_fn: Callable, steps: int | None = None, hooks: Any = None,
                 checkpoint_path: str | None = None, name: str | None = None) -> dict:
        """Runs the metrics' update ops for ``steps`` batches (or until the input ends) on the latest
        checkpoint's variables.

        Returns:
            ``{metric name: value, 'loss': mean batch loss, 'global_step': step}``.

        Raises:
            ValueError: ``steps <= 0``.
        """
        from . import _metrics

        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        graph, spec, global_step = self._build(input_fn, ModeKeys.EVAL)
        with graph.as_default():
            metric_ops = dict(spec.eval_metric_ops)
            if "loss" not in metric_ops:
                metric_ops["loss"] = _metrics.mean(spec.loss)
        checkpoint = checkpoint_path or self.latest_checkpoint()
        if checkpoint is None:
            _log.info("Could not find trained model in model_dir: %s, running initialization to evaluate.",
                      self._model_dir)
        hooks = [*(hooks or ()), *spec.evaluation_hooks]
        _begin(graph, hooks)
        sess, _ = self._start(graph, checkpoint)
        _log.info("Starting evaluation at %s", time.strftime("%Y-%m-%dT%H:%M:%S"))
        try:
            for hook in hooks:
                hook.after_create_session(sess, None)
            updates = [update for _, update in metric_ops.values()]
            done, stop = 0, False
            try:
                while (steps is None or done < steps) and not stop:
                    _, stop = run_with_hooks(sess, updates, hooks)
                    done += 1
                    if steps is not None and (done == steps or done % max(steps // 10, 1) == 0):
                        _log.info("Evaluation [%d/%d]", done, steps)
            except OutOfRangeError:
                pass
            results = sess.run({key: value for key, (value, _) in metric_ops.items()})
            results["global_step"] = sess.run(global_step)
            for hook in hooks:
                hook.end(sess)
        finally:
            sess.close()
        _log.info("Finished evaluation at %s", time.strftime("%Y-%m-%d-%H:%M:%S"))
        _log.info("Saving dict for global step %d: %s", results["global_step"],
                  ", ".join(f"{k} = {v!s}" for k, v in sorted(results.items())))
        return results

    # -- predict -------------------------------------------------------------------------------------------
    def predict(self, input_fn: Callable, predict_keys: Any = None, hooks: Any = None,
                checkpoint_path: str | None = None, yield_single_examples: bool = True) -> Iterator:
        """Yields predictions for each example (or each batch) of the input, until it ends.

        Raises:
            ValueError: a ``predict_keys`` entry the model does not predict.
        """
        graph, spec, _ = self._build(input_fn, ModeKeys.PREDICT)
        hooks = [*(hooks or ()), *spec.prediction_hooks]
        predictions = spec.predictions
        if predict_keys is not None:
            keys = [predict_keys] if isinstance(predict_keys, str) else list(predict_keys)
            if not isinstance(predictions, dict) or any(k not in predictions for k in keys):
                raise ValueError(f"Expected to run at least one output from {predictions}, provided {keys}.")
            predictions = {k: predictions[k] for k in keys}
        checkpoint = checkpoint_path or self.latest_checkpoint()
        if checkpoint is None:
            _log.info("Could not find trained model in model_dir: %s, running initialization to predict.",
                      self._model_dir)
        _begin(graph, hooks)
        sess, _ = self._start(graph, checkpoint)
        try:
            for hook in hooks:
                hook.after_create_session(sess, None)
            stop = False
            while not stop:
                try:
                    batch, stop = run_with_hooks(sess, predictions, hooks)
                except OutOfRangeError:
                    break
                if not yield_single_examples:
                    yield batch
                elif isinstance(batch, dict):
                    size = len(next(iter(batch.values())))
                    for i in range(size):
                        yield {k: v[i] for k, v in batch.items()}
                else:
                    yield from batch
            for hook in hooks:
                hook.end(sess)
        finally:
            sess.close()
