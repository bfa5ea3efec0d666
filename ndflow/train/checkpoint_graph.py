"""The object graph of a checkpoint: which objects a root depends on, by name, and where their values go.

Nodes are the objects reachable from the root: variables (which hold a value), ``Module``s, Keras layers and
optimizers, ``Checkpoint``s and the lists, tuples and dicts that hold them. Edges are named after attributes,
list indices or dict keys. Each variable's value is stored under the path of the first breadth-first route to it
(``model/layers/0/kernel/.ATTRIBUTES/VARIABLE_VALUE``). A Keras optimizer's slot variables (``momentums``,
``velocities`` …) are not edges: they are recorded as ``(original variable node, slot name, slot node)`` so that
they follow their variables even when the optimizer builds them later.
"""
from __future__ import annotations

from typing import Any, Iterator

from .._core.module import Module

__all__ = ["ObjectGraph", "children", "slot_variables", "is_trackable", "is_variable", "escape"]

VALUE_KEY = ".ATTRIBUTES/VARIABLE_VALUE"
OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"

# Keras layer attributes that are bookkeeping, not state (graph nodes, compiled losses, the optimizer …).
_LAYER_SKIP = frozenset({
    "_own_weights", "_inbound_nodes", "_outbound_nodes", "_losses", "_input_spec", "_auto_config", "_build_shapes",
    "_parent_path", "_functional", "_layers", "_operations", "_graph_layers", "_nodes", "_nodes_by_depth",
    "_inputs", "_outputs", "_inputs_struct", "_outputs_struct", "_slots", "_output_slots", "_steps", "optimizer",
    "_compile_loss", "_compile_metrics", "_loss_tracker", "history", "train_function", "test_function",
    "predict_function", "_eval_epoch_iterator",
})
_OPTIMIZER_SKIP = frozenset({"_variables", "_trainable_variables", "_tracked", "_iterations", "_learning_rate",
                             "_trainable_variables_indices", "_apply_cache"})


def escape(name: str) -> str:
    """An edge name made safe inside ``/``-joined keys (``.`` → ``..``, ``/`` → ``.S``)."""
    return name.replace(".", "..").replace("/", ".S")


def is_variable(obj: Any) -> bool:
    return getattr(obj, "_is_variable", False) is True and not isinstance(obj, type)


def _is_keras_layer(obj: Any) -> bool:
    layer_class = _keras_class("layers.layer", "Layer")
    return layer_class is not None and isinstance(obj, layer_class)


def _is_keras_optimizer(obj: Any) -> bool:
    optimizer_class = _keras_class("optimizers.base_optimizer", "Optimizer")
    return optimizer_class is not None and isinstance(obj, optimizer_class)


def _keras_class(module: str, name: str) -> Any:
    """A Keras class, if ``ndflow.keras`` was imported (objects of it can only exist then)."""
    import sys

    loaded = sys.modules.get(f"ndflow.keras.{module}")
    return None if loaded is None else getattr(loaded, name, None)


def is_trackable(obj: Any) -> bool:
    """Whether ``obj`` can be a node: a variable, a module, a Keras layer or optimizer, a checkpoint, or a list,
    tuple or dict that (at any depth) holds one of those."""
    if is_variable(obj) or isinstance(obj, Module) or _is_keras_optimizer(obj) or hasattr(obj, "_trackable_children"):
        return True
    if isinstance(obj, (list, tuple, dict)):
        return any(is_trackable(v) for v in _container_items(obj, set()))
    return False


def _container_items(obj: Any, seen: set) -> Iterator:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    values = obj.values() if isinstance(obj, dict) else obj
    for value in values:
        if isinstance(value, (list, tuple, dict)):
            yield from _container_items(value, seen)
        else:
            yield value


def children(obj: Any) -> list[tuple[str, Any]]:
    """The named dependencies of ``obj``, in a stable order."""
    if is_variable(obj):
        return []
    if hasattr(obj, "_trackable_children"):
        return list(obj._trackable_children().items())
    if isinstance(obj, dict):
        return [(str(k), v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0])) if is_trackable(v)]
    if isinstance(obj, (list, tuple)):
        return [(str(i), v) for i, v in enumerate(obj) if is_trackable(v)]
    if _is_keras_optimizer(obj):
        return _optimizer_children(obj)
    if _is_keras_layer(obj):
        return _layer_children(obj)
    if isinstance(obj, Module):
        ignored = obj._TF_MODULE_IGNORED_PROPERTIES
        return [(k, v) for k, v in sorted(vars(obj).items()) if k not in ignored and is_trackable(v)]
    return []


def _layer_children(layer: Any) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    seen: set[int] = set()
    used: set[str] = set()
    for weight in layer._own_weights:
        name = getattr(weight, "_keras_name", None) or weight.name.split(":")[0].rsplit("/", 1)[-1]
        unique, n = name, 1
        while unique in used:
            unique, n = f"{name}_{n}", n + 1
        used.add(unique)
        seen.add(id(weight))
        out.append((unique, weight))
    models = _keras_class("models.sequential", "Sequential"), _keras_class("models.functional", "Functional")
    if any(cls is not None and isinstance(layer, cls) for cls in models):
        out.append(("layers", list(layer.layers)))
    for key, value in sorted(vars(layer).items()):
        if key in _LAYER_SKIP or id(value) in seen or key in used:
            continue
        if is_variable(value) and getattr(value, "_is_metric_variable", False):
            continue
        if is_trackable(value) and not _is_keras_optimizer(value):
            out.append((key, value))
    return out


def _slot_lists(optimizer: Any) -> dict[str, list]:
    """``{slot name: slots parallel to the optimizer's trainable variables}`` (``momentums`` …)."""
    originals = getattr(optimizer, "_trainable_variables", None) or []
    own = {id(v) for v in getattr(optimizer, "_variables", [])}
    found = {}
    for key, value in sorted(vars(optimizer).items()):
        if key in _OPTIMIZER_SKIP or not isinstance(value, list) or len(value) != len(originals) or not value:
            continue
        if all(v is None or (is_variable(v) and id(v) in own) for v in value) and any(v is not None for v in value):
            found[key.lstrip("_")] = value
    return found


def slot_variables(optimizer: Any) -> list[tuple[Any, str, Any]]:
    """``(original variable, slot name, slot variable)`` for each slot a Keras optimizer has built."""
    if not _is_keras_optimizer(optimizer):
        return []
    originals = getattr(optimizer, "_trainable_variables", None) or []
    out = []
    for slot_name, slots in _slot_lists(optimizer).items():
        for original, slot in zip(originals, slots):
            if slot is not None:
                out.append((original, slot_name, slot))
    return out


def _optimizer_children(optimizer: Any) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [("iterations", optimizer._iterations)]
    if is_variable(optimizer._learning_rate):
        out.append(("learning_rate", optimizer._learning_rate))
    slot_ids = {id(s) for _, _, s in slot_variables(optimizer)}
    slot_attrs = {"_" + name for name in _slot_lists(optimizer)} | set(_slot_lists(optimizer))
    for key, value in sorted(vars(optimizer).items()):
        if key in _OPTIMIZER_SKIP or key in slot_attrs or id(value) in slot_ids:
            continue
        if (is_variable(value) or isinstance(value, (list, tuple, dict))) and is_trackable(value):
            out.append((key.lstrip("_") or key, value))
    return out


class ObjectGraph:
    """The nodes reachable from ``root``, numbered breadth first, with their checkpoint keys.

    Attributes:
        objects: node id → object.
        paths: node id → the edge names leading to it (its first route).
        node_ids: ``id(object)`` → node id.
        edges: node id → ``[(name, child node id)]``.
        slots: node id of an optimizer → ``[(original node id, slot name, slot node id)]``.
    """

    def __init__(self, root: Any) -> None:
        self.objects: list = [root]
        self.paths: list[list[str]] = [[]]
        self.node_ids: dict[int, int] = {id(root): 0}
        self.edges: dict[int, list] = {}
        self.slots: dict[int, list] = {}
        queue = [0]
        while queue:
            node = queue.pop(0)
            self.edges[node] = []
            for name, child in children(self.objects[node]):
                child_id = self.node_ids.get(id(child))
                if child_id is None:
                    child_id = self._add(child, self.paths[node] + [name])
                    queue.append(child_id)
                self.edges[node].append((name, child_id))
        for node in range(len(self.objects)):
            entries = []
            for original, slot_name, slot in slot_variables(self.objects[node]):
                original_id = self.node_ids.get(id(original))
                if original_id is None:
                    continue  # the checkpoint does not track this variable, so its slots have no key
                slot_id = self.node_ids.get(id(slot))
                if slot_id is None:
                    slot_id = self._add(slot, self.paths[original_id] + [".OPTIMIZER_SLOT"] + self.paths[node]
                                        + [slot_name])
                    self.edges[slot_id] = []
                entries.append((original_id, slot_name, slot_id))
            if entries:
                self.slots[node] = entries

    def _add(self, obj: Any, path: list[str]) -> int:
        node = len(self.objects)
        self.objects.append(obj)
        self.paths.append(path)
        self.node_ids[id(obj)] = node
        return node

    def key(self, node: int) -> str:
        """The checkpoint key of a variable node."""
        parts = [p if p == ".OPTIMIZER_SLOT" else escape(p) for p in self.paths[node]]
        return "/".join(parts + [VALUE_KEY])

    def variables(self) -> Iterator[tuple[int, Any]]:
        for node, obj in enumerate(self.objects):
            if is_variable(obj):
                yield node, obj

    def to_json(self) -> dict:
        """The serialisable form stored in checkpoints under ``_CHECKPOINTABLE_OBJECT_GRAPH``."""
        nodes = []
        for node, obj in enumerate(self.objects):
            entry: dict = {"children": [{"name": n, "node_id": c} for n, c in self.edges.get(node, [])]}
            if is_variable(obj):
                entry["attributes"] = [{"name": "VARIABLE_VALUE", "checkpoint_key": self.key(node),
                                        "full_name": obj.name.split(":")[0]}]
            if node in self.slots:
                entry["slot_variables"] = [{"original_variable_node_id": o, "slot_name": s,
                                            "slot_variable_node_id": v} for o, s, v in self.slots[node]]
            nodes.append(entry)
        return {"nodes": nodes}


def pretty_names(graph_json: dict) -> dict[int, str]:
    """``(root).model.layers.0.kernel``-style names of the nodes of a stored object graph."""
    names = {0: "(root)"}
    queue = [0]
    nodes = graph_json["nodes"]
    while queue:
        node = queue.pop(0)
        for edge in nodes[node]["children"]:
            if edge["node_id"] not in names:
                names[edge["node_id"]] = f"{names[node]}.{edge['name']}"
                queue.append(edge["node_id"])
        for slot in nodes[node].get("slot_variables", []):
            original = names.get(slot["original_variable_node_id"], "?")
            names.setdefault(slot["slot_variable_node_id"], f"{original}'s state '{slot['slot_name']}' for "
                                                             f"{names[node]}")
    return names
