"""The ``checkpoint`` state file of a directory, ``latest_checkpoint`` and ``CheckpointManager``.

The state file uses TensorFlow's text format::

    model_checkpoint_path: "ckpt-3"
    all_model_checkpoint_paths: "ckpt-2"
    all_model_checkpoint_paths: "ckpt-3"

Relative paths are relative to the directory holding the file; readers join them with that directory.
"""
from __future__ import annotations

import collections
import logging
import os
import re
import time
from typing import Any

from .._core import checkpoint_format

__all__ = ["CheckpointState", "get_checkpoint_state", "update_checkpoint_state", "latest_checkpoint",
           "checkpoint_exists", "CheckpointManager", "remove_checkpoint", "get_checkpoint_mtimes"]

_log = logging.getLogger("ndflow")
_LINE = re.compile(r'^\s*(\w+)\s*:\s*(.*?)\s*$')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quote(text: str) -> str:
    return '"' + "".join(_ESCAPES.get(c, c) for c in text) + '"'


def _unquote(text: str) -> str:
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"expected a quoted string, got {text}")
    return text[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


class CheckpointState:
    """The contents of a ``checkpoint`` state file (TF's ``CheckpointState`` proto).

    Attributes:
        model_checkpoint_path: the newest checkpoint prefix.
        all_model_checkpoint_paths: the kept checkpoints, oldest first.
        all_model_checkpoint_timestamps: when each was written (seconds since the epoch), possibly empty.
        last_preserved_timestamp: when the last checkpoint kept by ``keep_checkpoint_every_n_hours`` was written.
    """

    def __init__(self, model_checkpoint_path: str = "", all_model_checkpoint_paths: list | None = None,
                 all_model_checkpoint_timestamps: list | None = None, last_preserved_timestamp: float = 0.0) -> None:
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths or [])
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps or [])
        self.last_preserved_timestamp = last_preserved_timestamp

    def to_text(self) -> str:
        lines = [f"model_checkpoint_path: {_quote(self.model_checkpoint_path)}"]
        lines += [f"all_model_checkpoint_paths: {_quote(p)}" for p in self.all_model_checkpoint_paths]
        lines += [f"all_model_checkpoint_timestamps: {t!r}" for t in self.all_model_checkpoint_timestamps]
        if self.last_preserved_timestamp:
            lines.append(f"last_preserved_timestamp: {self.last_preserved_timestamp!r}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_text(cls, text: str) -> CheckpointState:
        """Parses the text format.

        Raises:
            ValueError: a line that is not ``field: value`` or an unknown field.
        """
        state = cls()
        for line in text.splitlines():
            if not line.strip():
                continue
            match = _LINE.match(line)
            if match is None:
                raise ValueError(f"cannot parse checkpoint state line {line!r}")
            key, value = match.groups()
            if key == "model_checkpoint_path":
                state.model_checkpoint_path = _unquote(value)
            elif key == "all_model_checkpoint_paths":
                state.all_model_checkpoint_paths.append(_unquote(value))
            elif key == "all_model_checkpoint_timestamps":
                state.all_model_checkpoint_timestamps.append(float(value))
            elif key == "last_preserved_timestamp":
                state.last_preserved_timestamp = float(value)
            else:
                raise ValueError(f"unknown checkpoint state field {key!r}")
        return state

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, CheckpointState) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return self.to_text()

    __str__ = __repr__


def _state_file(checkpoint_dir: str, latest_filename: str | None) -> str:
    return os.path.join(os.fspath(checkpoint_dir), latest_filename or "checkpoint")


def get_checkpoint_state(checkpoint_dir: str, latest_filename: str | None = None) -> CheckpointState | None:
    """The state recorded in ``checkpoint_dir/checkpoint`` with relative paths joined to ``checkpoint_dir``.

    Returns:
        A ``CheckpointState``, or None when there is no (readable) state file.

    Raises:
        ValueError: the state file names no checkpoint.
    """
    checkpoint_dir = os.fspath(checkpoint_dir)
    path = _state_file(checkpoint_dir, latest_filename)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            state = CheckpointState.from_text(f.read())
    except (OSError, ValueError) as exc:
        _log.warning("%s: %s", type(exc).__name__, exc)
        _log.warning("%s: Checkpoint ignored", path)
        return None
    if not state.model_checkpoint_path:
        raise ValueError("Invalid checkpoint state loaded from " + checkpoint_dir)
    state.model_checkpoint_path = _joined(checkpoint_dir, state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [_joined(checkpoint_dir, p) for p in state.all_model_checkpoint_paths]
    return state


def _joined(directory: str, path: str) -> str:
    return path if os.path.isabs(path) else os.path.join(directory, path)


def _relative(directory: str, path: str, force: bool) -> str:
    """``path`` as written into the state file: relative to ``directory`` when both are relative (or ``force``)."""
    if os.path.isabs(path):
        return os.path.relpath(path, directory) if force else path
    if os.path.isabs(directory):
        return path
    return os.path.relpath(path, directory)


def update_checkpoint_state(save_dir: str, model_checkpoint_path: str, all_model_checkpoint_paths: Any = None,
                            latest_filename: str | None = None, all_model_checkpoint_timestamps: Any = None,
                            last_preserved_timestamp: float | None = None, save_relative_paths: bool = False) -> None:
    """Rewrites ``save_dir/checkpoint`` (atomically) to point at ``model_checkpoint_path``.

    ``all_model_checkpoint_paths`` is oldest first; ``model_checkpoint_path`` is appended when it is not last.

    Raises:
        ValueError: timestamps that do not pair with the paths.
        RuntimeError: a checkpoint path that is the state file itself.
    """
    save_dir = os.fspath(save_dir)
    paths = [os.fspath(p) for p in (all_model_checkpoint_paths or [])]
    model_checkpoint_path = os.fspath(model_checkpoint_path)
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    timestamps = list(all_model_checkpoint_timestamps or [])
    if timestamps and len(timestamps) != len(paths):
        raise ValueError(f"Checkpoint timestamps, if provided, must match checkpoint paths (got paths {paths} and "
                         f"timestamps {timestamps})")
    state_path = _state_file(save_dir, latest_filename)
    for path in paths:
        if os.path.abspath(_joined(save_dir, _relative(save_dir, path, save_relative_paths))) == \
                os.path.abspath(state_path):
            raise RuntimeError(f"Save path '{path}' conflicts with path used for checkpoint state.  Please use a "
                               "different save path.")
    state = CheckpointState(_relative(save_dir, model_checkpoint_path, save_relative_paths),
                            [_relative(save_dir, p, save_relative_paths) for p in paths], timestamps,
                            last_preserved_timestamp or 0.0)
    checkpoint_format.atomic_write(state_path, [state.to_text().encode("utf-8")])


def latest_checkpoint(checkpoint_dir: str, latest_filename: str | None = None) -> str | None:
    """The prefix of the newest checkpoint recorded in ``checkpoint_dir`` (None if there is none)."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and state.model_checkpoint_path and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    if state is not None:
        _log.error("Couldn't match files for checkpoint %s", state.model_checkpoint_path)
    return None


def checkpoint_exists(checkpoint_prefix: str) -> bool:
    """Whether a checkpoint with this prefix exists."""
    return checkpoint_format.checkpoint_exists(checkpoint_prefix)


def get_checkpoint_mtimes(checkpoint_prefixes: list) -> list:
    """The modification times of the index files of existing checkpoints."""
    return [os.path.getmtime(checkpoint_format.index_path(p)) for p in checkpoint_prefixes if checkpoint_exists(p)]


def remove_checkpoint(checkpoint_prefix: str, checkpoint_format_version: Any = None,
                      meta_graph_suffix: str = "meta") -> None:
    """Deletes the files of a checkpoint (and its ``.meta`` file, if any)."""
    checkpoint_format.delete_checkpoint_files(checkpoint_prefix)
    try:
        os.remove(f"{checkpoint_prefix}.{meta_graph_suffix}")
    except FileNotFoundError:
        pass


class CheckpointManager:
    """Numbers, records and prunes the checkpoints of one ``Checkpoint`` in a directory.

    Args:
        checkpoint: the ``Checkpoint`` to save and restore.
        directory: where checkpoints go (created on the first save).
        max_to_keep: how many recent checkpoints to keep; None keeps all.
        keep_checkpoint_every_n_hours: additionally keep one checkpoint per this many hours.
        checkpoint_name: the file-name prefix (``ckpt`` → ``ckpt-1``, ``ckpt-2`` …).
        step_counter, checkpoint_interval: with both, ``save`` only writes every ``checkpoint_interval`` steps.
        init_fn: called by ``restore_or_initialize`` when there is no checkpoint.

    Raises:
        ValueError: ``max_to_keep`` not positive, or ``checkpoint_interval`` without ``step_counter``.
    """

    def __init__(self, checkpoint: Any, directory: str, max_to_keep: int | None,
                 keep_checkpoint_every_n_hours: float | None = None, checkpoint_name: str = "ckpt",
                 step_counter: Any = None, checkpoint_interval: int | None = None, init_fn: Any = None) -> None:
        self._checkpoint = checkpoint
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got {max_to_keep}.")
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not None.")
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._directory = os.fspath(directory)
        self._checkpoint_prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        self._last_checkpoint_step = None
        self._init_fn = init_fn
        self._maybe_delete: collections.OrderedDict = collections.OrderedDict()
        now = time.time()
        state = get_checkpoint_state(self._directory)
        if state is None:
            self._latest_checkpoint = None
            self._last_preserved_timestamp = now - 1.0
            return
        self._latest_checkpoint = state.model_checkpoint_path
        self._last_preserved_timestamp = min(state.last_preserved_timestamp, now)
        timestamps = state.all_model_checkpoint_timestamps or \
            [self._last_preserved_timestamp] * len(state.all_model_checkpoint_paths)
        for path, timestamp in zip(state.all_model_checkpoint_paths, timestamps):
            timestamp = min(timestamp, now)
            if timestamp > self._last_preserved_timestamp:
                self._maybe_delete[path] = timestamp

    @property
    def directory(self) -> str:
        return self._directory

    @property
    def checkpoint(self) -> Any:
        return self._checkpoint

    @property
    def checkpoint_interval(self) -> int | None:
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self) -> str | None:
        """The newest checkpoint prefix written or found in ``directory`` (None if none)."""
        return self._latest_checkpoint

    @property
    def checkpoints(self) -> list:
        """The managed checkpoint prefixes, oldest first (those kept by the hours rule are not listed)."""
        return list(self._maybe_delete)

    def save(self, checkpoint_number: Any = None, check_interval: bool = True, options: Any = None) -> str | None:
        """Writes a new checkpoint, records it in the state file and deletes the ones beyond ``max_to_keep``.

        Args:
            checkpoint_number: the number in the file name; default the checkpoint's ``save_counter`` (which is
                incremented either way).
            check_interval: with ``checkpoint_interval``, skip saving when too few steps passed.

        Returns:
            The new checkpoint's prefix, or None when the interval rule skipped it.
        """
        if self._checkpoint_interval is not None:
            step = int(_value(self._step_counter))
            if self._last_checkpoint_step is not None:
                if step == self._last_checkpoint_step:
                    return None
                if check_interval and step < self._last_checkpoint_step + self._checkpoint_interval:
                    return None
            self._last_checkpoint_step = step
        count = self._checkpoint._increment_save_counter()
        number = count if checkpoint_number is None else int(_value(checkpoint_number))
        prefix = f"{self._checkpoint_prefix}-{number}"
        path = self._checkpoint.write(prefix)
        self._maybe_delete.pop(path, None)
        self._maybe_delete[path] = time.time()
        self._latest_checkpoint = path
        doomed = self._sweep()
        self._record_state()
        for old in doomed:  # only once the state file no longer lists them
            remove_checkpoint(old)
        return path

    def _sweep(self) -> list:
        """Drops the checkpoints beyond ``max_to_keep`` from the managed list; returns those to delete."""
        doomed: list = []
        if not self._max_to_keep:
            return doomed
        while len(self._maybe_delete) > self._max_to_keep:
            path, timestamp = self._maybe_delete.popitem(last=False)
            hours = self._keep_checkpoint_every_n_hours
            if hours and timestamp - hours * 3600.0 >= self._last_preserved_timestamp:
                self._last_preserved_timestamp = timestamp
                continue
            doomed.append(path)
        return doomed

    def _record_state(self) -> None:
        update_checkpoint_state(self._directory, self._latest_checkpoint, list(self._maybe_delete),
                                all_model_checkpoint_timestamps=list(self._maybe_delete.values()),
                                last_preserved_timestamp=self._last_preserved_timestamp, save_relative_paths=True)

    def restore_or_initialize(self) -> str | None:
        """Restores the latest checkpoint, else calls ``init_fn``.

        Returns:
            The restored prefix, or None when there was nothing to restore.
        """
        if self._latest_checkpoint is not None:
            self._checkpoint.restore(self._latest_checkpoint)
            if self._checkpoint_interval is not None:
                self._last_checkpoint_step = int(_value(self._step_counter))
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None

    def sync(self) -> None:
        """Waits for pending saves (saves are synchronous here)."""


def _value(value: Any) -> Any:
    """A Python/NumPy value of ``value``: eager tensors and variables directly, graph ones in the default session."""
    from .._core.graph import GraphTensor
    from .._core.session import get_default_session

    if isinstance(value, GraphTensor) or getattr(value, "_graph", None) is not None:
        return get_default_session().run(value)
    return value.numpy() if hasattr(value, "numpy") else value
