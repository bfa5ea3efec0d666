"""TF1's name-based ``Saver``: variables saved under their graph names, with ``SaveV2``/``RestoreV2`` graph ops.

In a graph, a Saver adds TF's save sub-graph under a ``save`` name scope: ``save/Const`` (the file name,
fed at run time), ``save/SaveV2``, ``save/control_dependency``, ``save/RestoreV2``, one ``save/Assign`` per
variable and ``save/restore_all``. ``save``/``restore`` run them in the session, so a Saver rebuilt by
``import_meta_graph`` from a ``.meta`` file works the same way. Eagerly, it reads and assigns the variables
directly.
"""
from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from ...._core import checkpoint_format, dtypes
from ...._core.context import state
from ...._core.errors import InvalidArgumentError, NotFoundError
from ...._core.graph import Graph, NoOp, PlaceholderWithDefault, get_default_graph
from ...._core.op import register
from ...._core.ops.array_ops import Identity
from ...._core.session import Session
from ...._core.shape import TensorShape
from ...._core.variable import Variable
from ....train.checkpoint import assign_value, variable_value
from ....train.checkpoint_management import (
    CheckpointState,
    checkpoint_exists,
    get_checkpoint_mtimes,
    get_checkpoint_state,
    latest_checkpoint,
    remove_checkpoint,
    update_checkpoint_state,
)
from ....train.checkpoint_reader import NewCheckpointReader
from . import meta_graph
from .meta_graph import MetaGraphDef, SaverDef

__all__ = ["Saver", "import_meta_graph", "export_meta_graph", "NewCheckpointReader", "get_checkpoint_state",
           "checkpoint_exists", "latest_checkpoint", "update_checkpoint_state", "CheckpointState",
           "get_checkpoint_mtimes", "remove_checkpoint", "SaverDef", "MetaGraphDef"]


# ---------------------------------------------------------------------------------------------------------
# Graph ops


def _text(value: Any) -> str:
    value = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value
    return value.decode() if isinstance(value, bytes) else str(value)


def _save_forward(xp, prefix, tensor_names, shape_and_slices, *tensors):
    names = [_text(n) for n in np.asarray(tensor_names).reshape(-1)]
    checkpoint_format.write_tensors(_text(prefix), dict(zip(names, tensors)))
    return ()


def _restore_forward(xp, prefix, tensor_names, shape_and_slices, *, dtypes):
    checkpoint = checkpoint_format.CheckpointFile(_text(prefix))
    out = []
    for name, dtype in zip((_text(n) for n in np.asarray(tensor_names).reshape(-1)), dtypes):
        value = checkpoint.read(name)
        stored = _dtype_of(value)
        if stored != dtype:
            raise InvalidArgumentError(None, None, f"tensor_name = {name}; expected dtype {_type_name(dtype)} does "
                                                   f"not equal original dtype {_type_name(stored)}")
        out.append(value)
    return tuple(out)


def _dtype_of(value: np.ndarray) -> dtypes.DType:
    return dtypes.from_numpy(value.dtype)


def _type_name(dtype: dtypes.DType) -> str:
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


def _restore_infer(*input_specs: Any, dtypes: Any) -> list:
    return [(TensorShape(None), dtype) for dtype in dtypes]


SaveV2 = register("SaveV2", _save_forward, num_outputs=0, stateful=True)
RestoreV2 = register("RestoreV2", _restore_forward, num_outputs=None, stateful=True, infer=_restore_infer)


def _build_graph_ops(graph: Graph, names: list, variables: list, scope_name: str) -> dict:
    """Adds the save/restore sub-graph; returns the SaverDef names."""
    string = dtypes.string
    scalar = TensorShape([])

    def strings(values: list) -> np.ndarray:
        out = np.empty(len(values), dtype=object)
        out[:] = [v.encode() for v in values]
        return out

    with graph.as_default(), graph.name_scope(scope_name):
        default = graph.constant(np.array(b"model", dtype=object), "filename/input")
        filename = graph._add_op(PlaceholderWithDefault, (default,), {"shape": scalar}, "filename",
                                 [(scalar, string)]).outputs[0]
        const = graph._add_op(PlaceholderWithDefault, (filename,), {"shape": scalar}, "Const",
                              [(scalar, string)]).outputs[0]
        save_names = graph.constant(strings(names), "SaveV2/tensor_names")
        save_slices = graph.constant(strings([""] * len(names)), "SaveV2/shape_and_slices")
        save = graph._add_op(SaveV2, (const, save_names, save_slices, *[v._snapshot for v in variables]), {},
                             "SaveV2", [])
        with graph.control_dependencies([save]):
            control = graph._add_op(Identity, (const,), {}, "control_dependency", [(scalar, string)]).outputs[0]
        restore_names = graph.constant(strings(names), "RestoreV2/tensor_names")
        restore_slices = graph.constant(strings([""] * len(names)), "RestoreV2/shape_and_slices")
        restore = graph._add_op(RestoreV2, (const, restore_names, restore_slices),
                                {"dtypes": [v.dtype for v in variables]}, "RestoreV2",
                                [(TensorShape(None), v.dtype) for v in variables])
        from ...._core.graph_variables import AssignVariable

        assigns = [graph._add_op(AssignVariable, (restore.outputs[i],), {"var": var, "mode": "assign"}, "Assign",
                                 [(var._shape, var.dtype)]) for i, var in enumerate(variables)]
        with graph.control_dependencies(assigns):
            restore_all = graph._add_op(NoOp, (), {}, "restore_all", [])
    return {"filename_tensor_name": const.name, "save_tensor_name": control.name,
            "restore_op_name": restore_all.name}


# ---------------------------------------------------------------------------------------------------------
# Saver


def _names_to_variables(var_list: Any) -> dict:
    """``{checkpoint name: variable}`` from a list (graph names) or a dict.

    Raises:
        TypeError: an entry that is not a variable.
        ValueError: two variables with the same name.
    """
    if isinstance(var_list, dict):
        items = list(var_list.items())
    else:
        items = [(None, v) for v in var_list]
    out: dict = {}
    for name, var in items:
        if not isinstance(var, Variable):
            raise TypeError(f"Variable to save is not a Variable: {var}")
        name = name if name is not None else (var.name[:-2] if var.name.endswith(":0") else var.name)
        if name in out:
            raise ValueError(f"At least two variables have the same name: {name}")
        out[name] = var
    return out


class Saver:
    """Saves and restores variables by name (TF1's ``tf.train.Saver``).

    Args:
        var_list: None (every global variable), a list of variables (saved under their graph names) or a dict
            ``{name in the checkpoint: variable}``.
        max_to_keep: how many recent checkpoints ``save`` keeps (None or 0: all).
        keep_checkpoint_every_n_hours: additionally keep one checkpoint per this many hours.
        name: the name scope of the save ops (default ``save``).
        saver_def: rebuild a Saver from existing graph ops (``import_meta_graph`` does this).
        defer_build: build the graph ops later with ``build()``.
        allow_empty: allow a Saver without variables (its ``save`` does nothing).
        pad_step_number: write ``-00001000`` instead of ``-1000``.
        save_relative_paths: write paths relative to the directory into the ``checkpoint`` file.
        sharded, reshape, restore_sequentially, builder, write_version, filename: accepted for compatibility.

    Raises:
        RuntimeError: no ``var_list`` while executing eagerly.
        ValueError: no variables to save, or duplicate names.
    """

    def __init__(self, var_list: Any = None, reshape: bool = False, sharded: bool = False, max_to_keep: int | None = 5,
                 keep_checkpoint_every_n_hours: float = 10000.0, name: str | None = None,
                 restore_sequentially: bool = False, saver_def: Any = None, builder: Any = None,
                 defer_build: bool = False, allow_empty: bool = False, write_version: int = 2,
                 pad_step_number: bool = False, save_relative_paths: bool = False, filename: str | None = None) -> None:
        self._var_list = var_list
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._name = name
        self._allow_empty = allow_empty
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._sharded = sharded
        self._last_checkpoints: list = []
        self._checkpoints_to_be_deleted: list = []
        self._next_checkpoint_time = time.time() + keep_checkpoint_every_n_hours * 3600
        self._eager = state.graph is None
        self._names: dict = {}
        self._is_empty = False
        self.saver_def: SaverDef | None = None
        if saver_def is not None:
            self.saver_def = SaverDef(saver_def)
            self._max_to_keep = self.saver_def.get("max_to_keep", max_to_keep)
            self._keep_hours = self.saver_def.get("keep_checkpoint_every_n_hours", keep_checkpoint_every_n_hours)
            self._eager = False
            return
        if self._eager and var_list is None:
            raise RuntimeError("When eager execution is enabled, `var_list` must specify a list or dict of variables "
                               "to save")
        if not defer_build:
            self.build()

    def build(self) -> None:
        """Creates the save/restore ops (graph mode); called by the constructor unless ``defer_build``."""
        if self.saver_def is not None:
            return
        var_list = self._var_list
        if var_list is None:
            from .. import global_variables

            var_list = global_variables() + get_default_graph().get_collection("saveable_objects")
        self._names = dict(sorted(_names_to_variables(var_list).items()))
        if not self._names:
            if not self._allow_empty:
                raise ValueError("No variables to save")
            self._is_empty = True
            return
        if self._eager:
            return
        graph_vars = [v for v in self._names.values() if v._graph is not None]
        graph = graph_vars[0]._graph if graph_vars else get_default_graph()
        if len(graph_vars) != len(self._names) or any(v._graph is not graph for v in graph_vars):
            raise ValueError("A graph Saver needs variables of one graph; eager variables go in an eager Saver")
        with graph.as_default():
            ops = _build_graph_ops(graph, list(self._names), list(self._names.values()), self._name or "save")
        self.saver_def = SaverDef({**ops, "max_to_keep": self._max_to_keep or 0,
                                   "keep_checkpoint_every_n_hours": float(self._keep_hours), "version": "V2",
                                   "sharded": bool(self._sharded)})
        graph.add_to_collection("savers", self)

    def as_saver_def(self) -> SaverDef | None:
        return self.saver_def

    # -- checkpoint bookkeeping ---------------------------------------------------------------------------
    @property
    def last_checkpoints(self) -> list:
        """The kept checkpoints, oldest first."""
        return [path for path, _ in self._last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: list) -> None:
        """Sets the kept checkpoints as ``[(path, timestamp)]``, oldest first."""
        self._last_checkpoints = list(last_checkpoints_with_time)

    def set_last_checkpoints(self, last_checkpoints: list) -> None:
        """Sets the kept checkpoints (without their times)."""
        self._last_checkpoints = [(p, None) for p in last_checkpoints]

    def recover_last_checkpoints(self, checkpoint_paths: list) -> None:
        """Takes over existing checkpoints, with their files' modification times."""
        existing = [p for p in checkpoint_paths if checkpoint_exists(p)]
        self.set_last_checkpoints_with_time(list(zip(existing, get_checkpoint_mtimes(existing))))

    def _record_last_checkpoint(self, path: str) -> None:
        if not self._max_to_keep:
            return
        self._last_checkpoints = [(p, t) for p, t in self._last_checkpoints if p != path]
        self._last_checkpoints.append((path, time.time()))
        if len(self._last_checkpoints) > self._max_to_keep:
            self._checkpoints_to_be_deleted.append(self._last_checkpoints.pop(0))

    def _delete_old_checkpoints(self, meta_graph_suffix: str) -> None:
        while self._checkpoints_to_be_deleted:
            path, timestamp = self._checkpoints_to_be_deleted.pop(0)
            if timestamp is not None and timestamp > self._next_checkpoint_time:
                self._next_checkpoint_time += self._keep_hours * 3600
                continue
            remove_checkpoint(path, meta_graph_suffix=meta_graph_suffix)

    # -- save and restore ---------------------------------------------------------------------------------
    def save(self, sess: Any, save_path: str, global_step: Any = None, latest_filename: str | None = None,
             meta_graph_suffix: str = "meta", write_meta_graph: bool = True, write_state: bool = True,
             strip_default_attrs: bool = False, save_debug_info: bool = False) -> str | None:
        """Writes the variables' values to ``save_path`` (``-<global_step>`` appended when given).

        Also writes ``<path>.meta`` (graph mode) and updates the ``checkpoint`` file of the directory, deleting
        checkpoints beyond ``max_to_keep``.

        Returns:
            The checkpoint prefix (None for an empty Saver).

        Raises:
            TypeError: ``sess`` is not a Session (graph mode).
            ValueError: the parent directory does not exist, or ``latest_filename`` is a path.
        """
        latest_filename = latest_filename or "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = int(sess.run(global_step)) if not self._eager else int(np.asarray(global_step))
            checkpoint_file = f"{save_path}-{int(global_step):08d}" if self._pad_step_number \
                else f"{save_path}-{int(global_step)}"
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename and not self._sharded:
                raise ValueError(f"'latest_filename' collides with 'save_path': '{latest_filename}' and '{save_path}'")
        if not self._eager and not isinstance(sess, Session):
            raise TypeError(f"'sess' must be a Session; {sess}")
        parent = os.path.dirname(save_path)
        if parent and not os.path.isdir(parent):
            raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
        if self._is_empty:
            return None
        if self._eager:
            checkpoint_format.write_tensors(checkpoint_file, {n: variable_value(v) for n, v in self._names.items()})
        else:
            sess.run(self.saver_def["save_tensor_name"], {self.saver_def["filename_tensor_name"]: checkpoint_file})
        if write_state:
            self._record_last_checkpoint(checkpoint_file)
            update_checkpoint_state(parent, checkpoint_file, self.last_checkpoints, latest_filename,
                                    save_relative_paths=self._save_relative_paths)
            self._delete_old_checkpoints(meta_graph_suffix)
        if write_meta_graph and not self._eager:
            self.export_meta_graph(f"{checkpoint_file}.{meta_graph_suffix}", graph=sess.graph)
        return checkpoint_file

    def restore(self, sess: Any, save_path: str | None) -> None:
        """Assigns the checkpoint's values to the variables (in ``sess`` in graph mode).

        Raises:
            ValueError: ``save_path`` is None or names no checkpoint.
            NotFoundError: a variable's name is not in the checkpoint.
        """
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if not checkpoint_exists(save_path):
            raise ValueError("The passed save_path is not a valid checkpoint: " + save_path)
        if self._is_empty:
            return
        try:
            if self._eager:
                reader = checkpoint_format.CheckpointFile(save_path)
                for name, var in self._names.items():
                    assign_value(var, reader.read(name), name)
            else:
                sess.run(self.saver_def["restore_op_name"], {self.saver_def["filename_tensor_name"]: save_path})
        except NotFoundError as exc:
            raise NotFoundError(exc.node_def, exc.op, "Restoring from checkpoint failed. This is most likely due to "
                                "a Variable name or other graph key that is missing from the checkpoint. Please "
                                "ensure that you have not altered the graph expected based on the checkpoint. "
                                f"Original error:\n\n{exc.message}") from None

    def export_meta_graph(self, filename: str | None = None, collection_list: Any = None, as_text: bool = False,
                          export_scope: str | None = None, clear_devices: bool = False,
                          clear_extraneous_savers: bool = False, strip_default_attrs: bool = False,
                          save_debug_info: bool = False, graph: Graph | None = None) -> MetaGraphDef:
        """The ``MetaGraphDef`` of the graph with this Saver's ``saver_def``, also written to ``filename``."""
        return meta_graph.export_meta_graph(filename, graph=graph or get_default_graph(), saver_def=self.saver_def,
                                            collection_list=collection_list)


def export_meta_graph(filename: str | None = None, meta_info_def: Any = None, graph_def: Any = None,
                      saver_def: Any = None, collection_list: Any = None, as_text: bool = False, graph: Any = None,
                      export_scope: str | None = None, clear_devices: bool = False,
                      clear_extraneous_savers: bool = False, strip_default_attrs: bool = False,
                      save_debug_info: bool = False, **kwargs: Any) -> MetaGraphDef:
    """The ``MetaGraphDef`` of ``graph`` (default graph), also written to ``filename`` if given."""
    return meta_graph.export_meta_graph(filename, graph=graph or get_default_graph(), saver_def=saver_def,
                                        collection_list=collection_list)


def import_meta_graph(meta_graph_or_file: Any, clear_devices: bool = False, import_scope: str | None = None,
                      **kwargs: Any) -> Saver | None:
    """Rebuilds a graph saved in a ``.meta`` file (or a ``MetaGraphDef``) in the default graph.

    Returns:
        A ``Saver`` over the imported save ops (None when the graph had no Saver and no variables).
    """
    if isinstance(meta_graph_or_file, dict):
        meta = meta_graph_or_file if isinstance(meta_graph_or_file, MetaGraphDef) else MetaGraphDef(meta_graph_or_file)
    else:
        meta = meta_graph.read_meta_graph_file(meta_graph_or_file)
    graph = get_default_graph()
    meta_graph.import_meta_graph_def(meta, graph, import_scope)
    saver_def = meta.saver_def
    if saver_def is not None:
        if import_scope:
            saver_def = SaverDef({**saver_def, **{k: f"{import_scope}/{saver_def[k]}" for k in
                                                  ("filename_tensor_name", "save_tensor_name", "restore_op_name")}})
        return Saver(saver_def=saver_def)
    from .. import global_variables

    return Saver() if global_variables() else None
