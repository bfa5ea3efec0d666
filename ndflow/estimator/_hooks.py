"""Session-run hooks: code that runs around each ``Session.run`` of an Estimator's loops (TF1's
``tf.estimator.SessionRunHook`` protocol) and two common hooks."""
from __future__ import annotations

import collections
import logging
import time
from typing import Any

from .._core.graph import get_default_graph

__all__ = ["SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues", "StopAtStepHook",
           "LoggingTensorHook", "run_with_hooks"]

_log = logging.getLogger("ndflow")


class SessionRunHook:
    """Override any of: ``begin()`` (graph still open), ``after_create_session(session, coord)``,
    ``before_run(run_context)`` (return ``SessionRunArgs`` to fetch/feed more), ``after_run(run_context,
    run_values)``, ``end(session)``."""

    def begin(self) -> None:
        pass

    def after_create_session(self, session: Any, coord: Any) -> None:
        pass

    def before_run(self, run_context: SessionRunContext) -> SessionRunArgs | None:
        return None

    def after_run(self, run_context: SessionRunContext, run_values: SessionRunValues) -> None:
        pass

    def end(self, session: Any) -> None:
        pass


class SessionRunArgs(collections.namedtuple("SessionRunArgs", ["fetches", "feed_dict", "options"])):
    """Extra ``fetches`` (and ``feed_dict``) a hook adds to the next run."""

    def __new__(cls, fetches: Any, feed_dict: dict | None = None, options: Any = None) -> SessionRunArgs:
        return super().__new__(cls, fetches, feed_dict, options)


SessionRunValues = collections.namedtuple("SessionRunValues", ["results", "options", "run_metadata"])


class SessionRunContext:
    """What a hook sees of the run: the original ``args``, the ``session``, and a way to stop the loop."""

    def __init__(self, original_args: SessionRunArgs, session: Any) -> None:
        self.original_args = original_args
        self.session = session
        self._stop_requested = False

    def request_stop(self) -> None:
        self._stop_requested = True

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested


def run_with_hooks(session: Any, fetches: Any, hooks: list) -> tuple:
    """``session.run(fetches)`` plus each hook's requests.

    Returns:
        ``(results of fetches, whether a hook requested a stop)``.
    """
    context = SessionRunContext(SessionRunArgs(fetches), session)
    requests = [hook.before_run(context) for hook in hooks]
    extra = {i: r.fetches for i, r in enumerate(requests) if r is not None and r.fetches is not None}
    feed = {}
    for request in requests:
        if request is not None and request.feed_dict:
            feed.update(request.feed_dict)
    results, extra_results = session.run([fetches, extra], feed or None)
    for i, hook in enumerate(hooks):
        hook.after_run(context, SessionRunValues(extra_results.get(i), None, None))
    return results, context.stop_requested


class StopAtStepHook(SessionRunHook):
    """Requests a stop once the global step reaches ``last_step`` (or ``num_steps`` past its start).

    Raises:
        ValueError: both or neither of ``num_steps`` and ``last_step``.
    """

    def __init__(self, num_steps: int | None = None, last_step: int | None = None) -> None:
        if (num_steps is None) == (last_step is None):
            raise ValueError("One of num_steps or last_step must be specified.")
        if num_steps is not None and num_steps < 0:
            raise ValueError("num_steps must be non-negative.")
        self._num_steps, self._last_step = num_steps, last_step

    def begin(self) -> None:
        from ..compat.v1.train import get_global_step

        self._global_step = get_global_step()
        if self._global_step is None:
            raise RuntimeError("Global step should be created to use StopAtStepHook.")

    def after_create_session(self, session: Any, coord: Any) -> None:
        if self._last_step is None:
            self._last_step = int(session.run(self._global_step)) + self._num_steps

    def before_run(self, run_context: SessionRunContext) -> SessionRunArgs:
        return SessionRunArgs(self._global_step)

    def after_run(self, run_context: SessionRunContext, run_values: SessionRunValues) -> None:
        if int(run_context.session.run(self._global_step)) >= self._last_step:
            run_context.request_stop()


class LoggingTensorHook(SessionRunHook):
    """Logs the values of ``tensors`` (a dict of names to tensors/names, or a list) every ``every_n_iter``
    runs or ``every_n_secs`` seconds (and at the end when ``at_end``), as ``name = value, …`` at INFO.

    Raises:
        ValueError: neither or both frequencies (unless ``at_end``), or a non-positive frequency.
    """

    def __init__(self, tensors: Any, every_n_iter: int | None = None, every_n_secs: float | None = None,
                 at_end: bool = False, formatter: Any = None) -> None:
        only_at_end = at_end and every_n_iter is None and every_n_secs is None
        if not only_at_end and (every_n_iter is None) == (every_n_secs is None):
            raise ValueError("either at_end and/or exactly one of every_n_iter and every_n_secs must be provided.")
        if (every_n_iter is not None and every_n_iter <= 0) or (every_n_secs is not None and every_n_secs <= 0):
            raise ValueError(f"invalid every_n_iter={every_n_iter} or every_n_secs={every_n_secs}.")
        self._tag_order = list(tensors) if isinstance(tensors, dict) else [getattr(t, "name", t) for t in tensors]
        self._tensors = tensors if isinstance(tensors, dict) else dict(zip(self._tag_order, tensors))
        self._every_n_iter, self._every_n_secs = every_n_iter, every_n_secs
        self._at_end, self._formatter = at_end, formatter

    def begin(self) -> None:
        graph = get_default_graph()
        self._fetches = {tag: graph.as_graph_element(t) if isinstance(t, str) else t
                         for tag, t in self._tensors.items()}
        self._iteration, self._last_time = 0, None

    def _due(self) -> bool:
        if self._every_n_iter is not None:
            return self._iteration % self._every_n_iter == 0
        if self._every_n_secs is not None:
            return self._last_time is None or time.time() - self._last_time >= self._every_n_secs
        return False

    def before_run(self, run_context: SessionRunContext) -> SessionRunArgs | None:
        self._should_log = self._due()
        return SessionRunArgs(self._fetches) if self._should_log else None

    def _log_values(self, values: dict) -> None:
        if self._formatter is not None:
            _log.info(self._formatter(values))
        else:
            _log.info(", ".join(f"{tag} = {values[tag]!s}" for tag in self._tag_order))
        self._last_time = time.time()

    def after_run(self, run_context: SessionRunContext, run_values: SessionRunValues) -> None:
        if self._should_log:
            self._log_values(run_values.results)
        self._iteration += 1

    def end(self, session: Any) -> None:
        if self._at_end:
            self._log_values(session.run(self._fetches))
