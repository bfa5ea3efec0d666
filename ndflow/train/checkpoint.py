"""``Checkpoint``: saving and restoring the variables an object graph reaches, matched by their names in it.

Restoring walks the stored object graph and the live one together from the root, by edge name. Variables
matched this way get their values at once; where the live graph lacks a stored edge (a Keras layer that is not
built yet, an optimizer whose slots come with its first step) the restoration waits: the object's ``build`` is
wrapped so that the values are assigned as soon as the variables exist, as TensorFlow's deferred restoration does.
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any

import numpy as np

from .._core import checkpoint_format, dtypes
from .._core.context import state
from .._core.errors import InvalidArgumentError, NotFoundError
from .._core.variable import Variable
from . import checkpoint_graph
from .checkpoint_graph import OBJECT_GRAPH_KEY, ObjectGraph, children, is_trackable, is_variable, pretty_names
from .checkpoint_management import update_checkpoint_state

__all__ = ["Checkpoint", "CheckpointOptions", "CheckpointLoadStatus", "InitializationOnlyStatus",
           "NameBasedSaverStatus"]

_log = logging.getLogger("ndflow")


class CheckpointOptions:
    """Options for ``Checkpoint.save``/``write``/``restore``; accepted for compatibility (saving is synchronous,
    on the local file system)."""

    def __init__(self, experimental_io_device: str | None = None, experimental_enable_async_checkpoint: bool = False,
                 experimental_write_callbacks: Any = None, enable_async: bool = False,
                 experimental_skip_slot_variables: bool = False, experimental_sharding_callback: Any = None) -> None:
        self.experimental_io_device = experimental_io_device
        self.experimental_enable_async_checkpoint = experimental_enable_async_checkpoint
        self.experimental_write_callbacks = experimental_write_callbacks
        self.enable_async = enable_async
        self.experimental_skip_slot_variables = experimental_skip_slot_variables


# ---------------------------------------------------------------------------------------------------------
# Reading and writing variable values


def variable_value(var: Any) -> np.ndarray:
    """The current value of ``var``: eager variables directly, graph variables from the default session.

    Raises:
        ValueError: a graph variable with no default session to read it from.
    """
    if getattr(var, "_graph", None) is None:
        return np.asarray(var.numpy())
    from .._core.session import get_default_session

    session = get_default_session()
    if session is None:
        raise ValueError(f"Saving the graph variable {var.name} needs a default session (use `with session:`).")
    return np.asarray(session.run(var._snapshot))


def write_object_graph(graph: ObjectGraph, file_prefix: str) -> None:
    """Writes the values of ``graph``'s variables, keyed by their paths, and the graph itself to ``file_prefix``."""
    tensors = {graph.key(node): variable_value(var) for node, var in graph.variables()}
    tensors[OBJECT_GRAPH_KEY] = np.array(json.dumps(graph.to_json()).encode(), dtype=object)
    checkpoint_format.write_tensors(file_prefix, tensors)


def assign_value(var: Any, value: np.ndarray, key: str, session: Any = None) -> None:
    """Sets ``var`` to ``value`` outside any graph being built (eagerly, or in ``session`` for graph variables).

    Raises:
        ValueError: shapes that do not fit.
        InvalidArgumentError: a stored dtype other than the variable's.
    """
    value = np.asarray(value)
    stored = dtypes.from_numpy(value.dtype)
    if stored != var.dtype:
        raise InvalidArgumentError(None, None, f"tensor_name = {key}; expected dtype {var.dtype.name} does not "
                                               f"equal original dtype {stored.name}")
    if not var._shape.is_compatible_with(value.shape):
        raise ValueError(f"Received incompatible tensor with shape {value.shape} when attempting to restore "
                         f"variable with shape {tuple(var.shape.as_list())} and name {var.name}.")
    if getattr(var, "_graph", None) is not None:
        from .._core.session import get_default_session

        session = session or get_default_session()
        if session is None:
            raise ValueError(f"Restoring the graph variable {var.name} needs a session: pass it to "
                             "`run_restore_ops(session)` or restore inside `with session:`.")
        session._variable_values[id(var)] = np.array(value, dtype=var.dtype._np)
        return
    graph, tapes = state.graph, state.tapes
    state.graph, state.tapes = None, []
    try:
        var.assign(value)
    finally:
        state.graph, state.tapes = graph, tapes


# ---------------------------------------------------------------------------------------------------------
# Restoration


class _Restoration:
    """Matches one stored object graph against live objects and assigns values, now or when variables appear."""

    def __init__(self, reader: checkpoint_format.CheckpointFile, graph_json: dict, root: Any) -> None:
        self.reader = reader
        self.nodes = graph_json["nodes"]
        self.root = root
        self.matched: dict[int, Any] = {}
        self.restored: set[int] = set()
        self.pending: dict[int, tuple] = {}
        self.unresolved_slots: list = []
        self.expect_partial = False
        self.graph_assignments: list = []
        self.walk(root, 0)

    # -- matching -----------------------------------------------------------------------------------------
    def walk(self, obj: Any, node: int) -> None:
        """Matches ``obj`` with ``node`` and everything below them, then the optimizers' slots."""
        self._bind(obj, node)
        visited: set[int] = set()
        queue = [(obj, node)]
        while queue:
            live, node_id = queue.pop(0)
            if node_id in visited:
                continue
            visited.add(node_id)
            named = dict(children(live))
            missing = False
            for edge in self.nodes[node_id]["children"]:
                child = named.get(edge["name"])
                if child is None:
                    missing = True
                elif self._bind(child, edge["node_id"]):
                    queue.append((child, edge["node_id"]))
            if missing:
                self._defer(live, node_id)
            else:
                self.pending.pop(id(live), None)
        self._match_slots()

    def _bind(self, obj: Any, node: int) -> bool:
        """Records ``obj`` as the live object of ``node`` (restoring it if it is a variable); False when the node
        belongs to another object."""
        known = self.matched.get(node)
        if known is not None:
            return known is obj
        self.matched[node] = obj
        if is_variable(obj):
            attributes = self.nodes[node].get("attributes", [])
            if attributes:
                key = attributes[0]["checkpoint_key"]
                value = self.reader.read(key)
                if getattr(obj, "_graph", None) is not None and _session() is None:
                    self.graph_assignments.append((obj, value, key))
                else:
                    assign_value(obj, value, key)
                self.restored.add(node)
        return True

    def _match_slots(self) -> None:
        self.unresolved_slots = []
        for node, entry in enumerate(self.nodes):
            for slot in entry.get("slot_variables", []):
                slot_node = slot["slot_variable_node_id"]
                if slot_node in self.matched:
                    continue
                optimizer = self.matched.get(node)
                original = self.matched.get(slot["original_variable_node_id"])
                live = None
                if optimizer is not None and original is not None:
                    live = next((s for o, name, s in checkpoint_graph.slot_variables(optimizer)
                                 if o is original and name == slot["slot_name"]), None)
                if live is None:
                    self.unresolved_slots.append(slot)
                    if optimizer is not None:
                        self._defer(optimizer, node)
                else:
                    self._bind(live, slot_node)

    def _defer(self, obj: Any, node: int) -> None:
        self.pending[id(obj)] = (obj, node)
        _install_build_hook(obj, self)

    def resume(self, obj: Any) -> None:
        """Continues the restoration below ``obj`` (its variables may exist now)."""
        entry = self.pending.get(id(obj))
        if entry is not None:
            self.walk(obj, entry[1])

    def refresh(self) -> None:
        """Re-walks everything still waiting for variables."""
        for obj, node in list(self.pending.values()):
            self.walk(obj, node)

    # -- reporting ----------------------------------------------------------------------------------------
    def unresolved_values(self) -> list[int]:
        return [n for n, entry in enumerate(self.nodes) if entry.get("attributes") and n not in self.restored]

    def node_text(self, node: int) -> str:
        names = pretty_names({"nodes": self.nodes})
        attributes = " ".join(f'{{name: "{a["name"]}" checkpoint_key: "{a["checkpoint_key"]}"}}'
                              for a in self.nodes[node].get("attributes", []))
        return f"{names.get(node, node)}: attributes {attributes}"

    def __del__(self) -> None:
        try:
            if self.expect_partial:
                return
            unresolved = self.unresolved_values()
            if not unresolved:
                return
            names = pretty_names({"nodes": self.nodes})
            _log.warning("A checkpoint restoration is being deleted with values that were never restored. To "
                         "silence these warnings, use `status.expect_partial()`.")
            for node in unresolved:
                _log.warning("Value in checkpoint could not be found in the restored object: %s", names.get(node, node))
        except Exception:  # noqa: BLE001 - never raise from a finalizer (e.g. at interpreter exit)
            pass


def _session() -> Any:
    from .._core.session import get_default_session

    return get_default_session()


def _install_build_hook(obj: Any, restoration: _Restoration) -> None:
    """Wraps ``obj.build`` (Keras layers and optimizers) to resume ``restoration`` once it has run."""
    if not (checkpoint_graph._is_keras_layer(obj) or checkpoint_graph._is_keras_optimizer(obj)):
        return
    hook = obj.__dict__.get("build")
    if hook is not None and hasattr(hook, "restorations"):
        if not any(r is restoration for r in hook.restorations):
            hook.restorations.append(restoration)
        return
    original = obj.build

    def build(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if obj.__dict__.get("build") is build:
            del obj.__dict__["build"]
        for pending in build.restorations:
            pending.resume(obj)
        return result

    build.restorations = [restoration]
    obj.__dict__["build"] = build


# ---------------------------------------------------------------------------------------------------------
# Load statuses


class CheckpointLoadStatus:
    """What ``Checkpoint.restore`` matched; its assertions check the match."""

    def __init__(self, restoration: _Restoration, root: Any) -> None:
        self._restoration = restoration
        self._root = root

    def _live_variables(self) -> list:
        return [obj for _, obj in ObjectGraph(self._root).variables()]

    def assert_existing_objects_matched(self) -> CheckpointLoadStatus:
        """Checks that every variable the root reaches now got a value from the checkpoint.

        Raises:
            AssertionError: some did not.
        """
        self._restoration.refresh()
        matched = {id(o) for o in self._restoration.matched.values()}
        unused = [v for v in self._live_variables() if id(v) not in matched]
        if unused:
            shown = unused[:10]
            raise AssertionError(f"Found {len(unused)} Python objects that were not bound to checkpointed values, "
                                 "likely due to changes in the Python program. Showing "
                                 f"{len(shown)} of {len(unused)} unmatched objects: {shown}")
        return self

    def assert_consumed(self) -> CheckpointLoadStatus:
        """Checks that every checkpointed value was restored and every variable got one.

        Raises:
            AssertionError: a value without a variable (yet), or a variable without a value.
        """
        self.assert_existing_objects_matched()
        for node in self._restoration.unresolved_values():
            raise AssertionError(f"Unresolved object in checkpoint {self._restoration.node_text(node)}")
        if self._restoration.unresolved_slots:
            raise AssertionError(f"Unresolved slot restorations: {self._restoration.unresolved_slots}")
        return self

    def assert_nontrivial_match(self) -> CheckpointLoadStatus:
        """Checks that something besides the root was matched.

        Raises:
            AssertionError: nothing else matched.
        """
        self._restoration.refresh()
        if len(self._restoration.matched) > 1:
            return self
        unused = [v for v in self._live_variables()]
        if unused:
            raise AssertionError("Nothing except the root object matched a checkpointed value. Typically this means "
                                 "that the checkpoint does not match the Python program. The following objects have "
                                 f"no matching checkpointed value: {unused}")
        raise AssertionError(f"Nothing to load. No dependencies have been added to {self._root} yet.")

    def expect_partial(self) -> CheckpointLoadStatus:
        """Silences the warning about checkpointed values that were never restored."""
        self._restoration.expect_partial = True
        return self

    def run_restore_ops(self, session: Any = None) -> None:
        """Assigns the values of graph variables in ``session`` (eager variables are restored already)."""
        session = session or _session()
        for var, value, key in self._restoration.graph_assignments:
            assign_value(var, value, key, session)
        self._restoration.graph_assignments = []

    def initialize_or_restore(self, session: Any = None) -> None:
        """Runs the initializers of unmatched graph variables, then ``run_restore_ops``."""
        session = session or _session()
        if session is not None:
            matched = {id(o) for o in self._restoration.matched.values()}
            inits = [v.initializer for v in self._live_variables()
                     if getattr(v, "_graph", None) is not None and id(v) not in matched]
            if inits:
                session.run(inits)
        self.run_restore_ops(session)


class InitializationOnlyStatus:
    """The status of ``restore(None)``: nothing is restored; ``initialize_or_restore`` runs initializers."""

    def __init__(self, root: Any) -> None:
        self._root = root

    def _fail(self) -> None:
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    def assert_consumed(self) -> None:
        self._fail()

    def assert_existing_objects_matched(self) -> None:
        self._fail()

    def assert_nontrivial_match(self) -> None:
        self._fail()

    def expect_partial(self) -> InitializationOnlyStatus:
        return self

    def run_restore_ops(self, session: Any = None) -> None:
        """Nothing to restore."""

    def initialize_or_restore(self, session: Any = None) -> None:
        session = session or _session()
        variables = [v for _, v in ObjectGraph(self._root).variables() if getattr(v, "_graph", None) is not None]
        if session is not None and variables:
            session.run([v.initializer for v in variables])


class NameBasedSaverStatus:
    """The status of restoring a checkpoint written by ``compat.v1.train.Saver``: variables are matched by name."""

    def __init__(self, reader: checkpoint_format.CheckpointFile, root: Any) -> None:
        self._reader = reader
        self._root = root
        self._unmatched: list = []
        counter = getattr(root, "_save_counter", None)
        for _, var in ObjectGraph(root).variables():
            if var is counter:
                continue
            name = var.name.split(":")[0]
            if reader.has_tensor(name):
                assign_value(var, reader.read(name), name)
            else:
                self._unmatched.append(var)

    def assert_consumed(self) -> NameBasedSaverStatus:
        """Raises AssertionError when a variable found no value of its name."""
        if self._unmatched:
            raise AssertionError(f"Some objects had attributes which were not restored: {self._unmatched}")
        return self

    assert_existing_objects_matched = assert_consumed

    def assert_nontrivial_match(self) -> NameBasedSaverStatus:
        return self

    def expect_partial(self) -> NameBasedSaverStatus:
        return self

    def run_restore_ops(self, session: Any = None) -> None:
        """Values were assigned already."""

    def initialize_or_restore(self, session: Any = None) -> None:
        """Values were assigned already."""


# ---------------------------------------------------------------------------------------------------------
# Checkpoint


class Checkpoint:
    """Saves and restores the variables of the objects given as keyword arguments (TF2's ``tf.train.Checkpoint``).

    Args:
        root: optional object whose dependencies become the checkpoint's top level.
        **kwargs: named variables, ``Module``s, Keras models, layers and optimizers, or lists/dicts of them.

    Raises:
        ValueError: a value that holds no state (``Checkpoint(v=3)``).
    """

    def __init__(self, root: Any = None, **kwargs: Any) -> None:
        object.__setattr__(self, "_root", None)
        object.__setattr__(self, "_dependencies", {})
        object.__setattr__(self, "_save_counter", None)
        object.__setattr__(self, "_restorations", [])
        if root is not None:
            _check_trackable("root", root)
            object.__setattr__(self, "_root", root)
        for name, value in kwargs.items():
            _check_trackable(name, value)
            self._dependencies[name] = value

    def __getattr__(self, name: str) -> Any:
        dependencies = self.__dict__.get("_dependencies", {})
        if name in dependencies:
            return dependencies[name]
        raise AttributeError(f"'Checkpoint' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        _check_trackable(name, value)
        self._dependencies[name] = value
        self._resume()

    def _trackable_children(self) -> dict:
        out = dict(children(self._root)) if self._root is not None else {}
        out.update(sorted(self._dependencies.items()))
        if self._save_counter is not None:
            out["save_counter"] = self._save_counter
        return out

    def _resume(self) -> None:
        for restoration in self._restorations:
            restoration.resume(self)
        self._restorations[:] = [r for r in self._restorations if id(self) in r.pending]

    @property
    def save_counter(self) -> Variable:
        """How many times ``save`` ran (an int64 variable created on first use)."""
        if self._save_counter is None:
            graph = state.graph
            state.graph = None
            try:
                counter = Variable(0, dtype="int64", trainable=False, name="save_counter")
            finally:
                state.graph = graph
            object.__setattr__(self, "_save_counter", counter)
            self._resume()
        return self._save_counter

    def _increment_save_counter(self) -> int:
        """Adds one to ``save_counter`` (an eager variable, also in graph mode); returns the new count."""
        counter = self.save_counter
        graph = state.graph
        state.graph = None
        try:
            counter.assign_add(1)
        finally:
            state.graph = graph
        return int(counter.numpy())

    def write(self, file_prefix: str, options: CheckpointOptions | None = None) -> str:
        """Writes the checkpoint to ``file_prefix`` without numbering it or updating the ``checkpoint`` file.

        Returns:
            ``file_prefix``.
        """
        file_prefix = os.fspath(file_prefix)
        write_object_graph(ObjectGraph(self), file_prefix)
        return file_prefix

    def save(self, file_prefix: str, options: CheckpointOptions | None = None) -> str:
        """Writes ``<file_prefix>-<n>`` (n = the incremented ``save_counter``) and records it in ``checkpoint``.

        Returns:
            The new checkpoint's prefix.
        """
        file_prefix = os.fspath(file_prefix)
        number = self._increment_save_counter()
        path = self.write(f"{file_prefix}-{number}", options)
        update_checkpoint_state(os.path.dirname(file_prefix) or ".", path, [path], save_relative_paths=True)
        return path

    def read(self, save_path: str, options: CheckpointOptions | None = None) -> Any:
        """Restores from ``save_path`` without creating ``save_counter`` (pairs with ``write``).

        Returns:
            A load status (see ``restore``).
        """
        return self._restore(save_path)

    def restore(self, save_path: str | None, options: CheckpointOptions | None = None) -> Any:
        """Restores the values in ``save_path`` into the tracked objects.

        Variables that do not exist yet (an unbuilt Keras model, optimizer slots) get their values when they are
        created.

        Returns:
            A ``CheckpointLoadStatus`` (``InitializationOnlyStatus`` when ``save_path`` is None), whose
            ``assert_consumed()``, ``assert_existing_objects_matched()`` and ``expect_partial()`` check the match.

        Raises:
            NotFoundError: no checkpoint at ``save_path``.
        """
        if save_path is None:
            return InitializationOnlyStatus(self)
        self.save_counter  # noqa: B018 - created now so that it is restored with the rest
        return self._restore(save_path)

    def _restore(self, save_path: str) -> Any:
        save_path = os.fspath(save_path)
        try:
            reader = checkpoint_format.CheckpointFile(save_path)
        except NotFoundError as exc:
            raise NotFoundError(None, None, f"Error when restoring from checkpoint or SavedModel at {save_path}: "
                                            f"{exc.message}\nPlease double-check that the path is correct. You may "
                                            "be missing the checkpoint suffix (e.g. the '-1' in 'path/to/ckpt-1').") \
                from None
        if not reader.has_tensor(OBJECT_GRAPH_KEY):
            return NameBasedSaverStatus(reader, self)
        graph_json = json.loads(bytes(reader.read(OBJECT_GRAPH_KEY)[()]).decode())
        restoration = _Restoration(reader, graph_json, self)
        if id(self) in restoration.pending:
            self._restorations.append(restoration)
        return CheckpointLoadStatus(restoration, self)

    def sync(self) -> None:
        """Waits for pending saves (saves are synchronous here)."""


def _check_trackable(name: str, value: Any) -> None:
    if not is_trackable(value):
        raise ValueError(f"`Checkpoint` was expecting {name} to be a trackable object (an object derived from "
                         f"`Trackable`), got {value}. If you believe this object should be trackable (i.e. it is "
                         "part of the TensorFlow Python API and manages state), please open an issue.")
