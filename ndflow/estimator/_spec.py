"""``ModeKeys``, ``EstimatorSpec`` (what a ``model_fn`` returns) and ``RunConfig``."""
from __future__ import annotations

import collections
from typing import Any

__all__ = ["ModeKeys", "EstimatorSpec", "RunConfig", "TrainSpec", "EvalSpec"]


class ModeKeys:
    """The mode a ``model_fn`` is called in."""

    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


_SPEC_FIELDS = ("mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
                "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks", "prediction_hooks")


class EstimatorSpec(collections.namedtuple("EstimatorSpec", _SPEC_FIELDS)):
    """The ops a ``model_fn`` defines for its mode.

    TRAIN needs ``loss`` and ``train_op``, EVAL needs ``loss``, PREDICT needs ``predictions`` (a tensor or a
    dict of tensors). ``eval_metric_ops`` maps names to ``(value, update_op)`` pairs.

    Raises:
        ValueError: a missing field for the mode, an unknown mode, or a non-scalar loss.
        TypeError: ``eval_metric_ops`` not a dict.
    """

    def __new__(cls, mode: str, predictions: Any = None, loss: Any = None, train_op: Any = None,
                eval_metric_ops: dict | None = None, export_outputs: Any = None, training_chief_hooks: Any = None,
                training_hooks: Any = None, scaffold: Any = None, evaluation_hooks: Any = None,
                prediction_hooks: Any = None) -> EstimatorSpec:
        if mode not in (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT):
            raise ValueError(f"mode={mode} unrecognized.")
        if mode == ModeKeys.TRAIN and train_op is None:
            raise ValueError("Missing train_op.")
        if mode in (ModeKeys.TRAIN, ModeKeys.EVAL) and loss is None:
            raise ValueError("Missing loss.")
        if mode == ModeKeys.PREDICT and predictions is None:
            raise ValueError("Missing predictions.")
        if loss is not None and getattr(loss, "shape", None) is not None and loss.shape.rank not in (0, None):
            if loss.shape.num_elements() != 1:
                raise ValueError(f"Loss must be scalar, given: {loss}")
        if eval_metric_ops is not None and not isinstance(eval_metric_ops, dict):
            raise TypeError(f"eval_metric_ops must be a dict, given: {eval_metric_ops}")
        return super().__new__(cls, mode, predictions if predictions is not None else {}, loss, train_op,
                               eval_metric_ops or {}, export_outputs, tuple(training_chief_hooks or ()),
                               tuple(training_hooks or ()), scaffold, tuple(evaluation_hooks or ()),
                               tuple(prediction_hooks or ()))


class RunConfig:
    """Where and how an Estimator runs: ``model_dir``, random seed, checkpoint and logging frequencies.

    Raises:
        ValueError: both ``save_checkpoints_steps`` and ``save_checkpoints_secs``.
    """

    _UNSET = object()

    def __init__(self, model_dir: str | None = None, tf_random_seed: int | None = None,
                 save_summary_steps: int = 100, save_checkpoints_steps: int | None = None,
                 save_checkpoints_secs: Any = _UNSET, session_config: Any = None, keep_checkpoint_max: int = 5,
                 keep_checkpoint_every_n_hours: float = 10000, log_step_count_steps: int = 100,
                 train_distribute: Any = None, device_fn: Any = None, protocol: Any = None,
                 eval_distribute: Any = None, experimental_distribute: Any = None,
                 experimental_max_worker_delay_secs: Any = None, session_creation_timeout_secs: int = 7200,
                 checkpoint_save_graph_def: bool = True) -> None:
        if save_checkpoints_steps is not None and save_checkpoints_secs not in (None, RunConfig._UNSET):
            raise ValueError("Can not provide both save_checkpoints_steps and save_checkpoints_secs.")
        if save_checkpoints_secs is RunConfig._UNSET:
            save_checkpoints_secs = None if save_checkpoints_steps is not None else 600
        self.model_dir = model_dir
        self.tf_random_seed = tf_random_seed
        self.save_summary_steps = save_summary_steps
        self.save_checkpoints_steps = save_checkpoints_steps
        self.save_checkpoints_secs = save_checkpoints_secs
        self.session_config = session_config
        self.keep_checkpoint_max = keep_checkpoint_max
        self.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self.log_step_count_steps = log_step_count_steps
        self.is_chief = True
        self.num_ps_replicas = 0
        self.num_worker_replicas = 1
        self.task_type, self.task_id = "worker", 0
        self.master = ""

    def replace(self, **kwargs: Any) -> RunConfig:
        """A copy with some properties changed.

        Raises:
            ValueError: an unknown property.
        """
        import copy

        new = copy.copy(self)
        for key, value in kwargs.items():
            if not hasattr(self, key):
                raise ValueError(f"Replacing {key} is not supported.")
            setattr(new, key, value)
        return new

    def __repr__(self) -> str:
        return repr({f"_{k}": v for k, v in vars(self).items()})


class TrainSpec(collections.namedtuple("TrainSpec", ("input_fn", "max_steps", "hooks", "saving_listeners"))):
    """``train_and_evaluate``'s training half: ``input_fn`` and ``max_steps``."""

    def __new__(cls, input_fn: Any, max_steps: int | None = None, hooks: Any = None,
                saving_listeners: Any = None) -> TrainSpec:
        if not callable(input_fn):
            raise TypeError(f"`input_fn` must be callable, given: {input_fn}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        return super().__new__(cls, input_fn, max_steps, tuple(hooks or ()), tuple(saving_listeners or ()))


class EvalSpec(collections.namedtuple("EvalSpec", ("input_fn", "steps", "name", "hooks", "exporters",
                                                   "start_delay_secs", "throttle_secs"))):
    """``train_and_evaluate``'s evaluation half: ``input_fn`` and ``steps`` (None: until the input ends)."""

    def __new__(cls, input_fn: Any, steps: int | None = 100, name: str | None = None, hooks: Any = None,
                exporters: Any = None, start_delay_secs: int = 120, throttle_secs: int = 600) -> EvalSpec:
        if not callable(input_fn):
            raise TypeError(f"`input_fn` must be callable, given: {input_fn}")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        return super().__new__(cls, input_fn, steps, name, tuple(hooks or ()), exporters, start_delay_secs,
                               throttle_secs)
