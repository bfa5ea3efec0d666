"""``Functional``: a model defined by a graph of layer calls on KerasTensors (``keras.Model(inputs, outputs)``).

The graph is mapped once when the model is created (see ``graph``), so a call on real tensors is a single loop
over precomputed steps.
"""
from __future__ import annotations

import copy
import warnings
from typing import Any

from ..._core import nest
from ..._core.ops.math_ops import cast
from ..._core.tensor import EagerTensor, Tensor, convert_to_tensor
from ..layers.input_layer import InputLayer
from ..layers.input_spec import InputSpec
from ..layers.layer import _UNTRACKED, Layer, _collect
from . import config as config_lib
from .graph import clone_graph_nodes, fill, is_input_tensor, map_graph, plan
from .keras_tensor import KerasTensor
from .model import Model
from .node import Node

__all__ = ["Functional", "functional_from_config"]


# bookkeeping attributes of a Functional model that never hold extra layers (skipped when tracking)
_GRAPH_ATTRIBUTES = frozenset({"_inputs_struct", "_outputs_struct", "_inputs", "_outputs", "_nodes", "_nodes_by_depth",
                               "_operations", "_steps", "_slots", "_output_slots", "_graph_layers", "output_names",
                               "_input_spec"})


# -- the model --------------------------------------------------------------------------------------------------
class Functional(Model):
    """A model defined by its input and output KerasTensors.

    Args:
        inputs: an input KerasTensor, or a list/dict of them (``keras.Input`` or intermediate tensors).
        outputs: the output KerasTensor(s) (a tensor, list or dict).
        name: the model name.
        trainable: whether the model's weights are trainable.

    Raises:
        ValueError: inputs or outputs that are not KerasTensors, or a graph that does not connect them.
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None, **kwargs: Any) -> None:
        if isinstance(inputs, dict):
            for key, value in inputs.items():
                if isinstance(value, KerasTensor) and key != value.name:
                    warnings.warn("When providing `inputs` as a dict, all keys in the dict must match the names of "
                                  f"the corresponding tensors. Received key '{key}' mapping to value {value} which "
                                  f"has name '{value.name}'. Change the tensor name to '{key}' (via "
                                  f"`Input(..., name='{key}')`)", stacklevel=2)
        trainable = kwargs.pop("trainable", None)
        for label, structure in (("inputs", inputs), ("outputs", outputs)):
            for x in nest.flatten(structure):
                if not isinstance(x, KerasTensor):
                    raise ValueError(f"All `{label}` values must be KerasTensors. Received: {label}={structure} "
                                     f"including invalid value {x} of type {type(x)}")
        if not all(is_input_tensor(x) for x in nest.flatten(inputs)):
            inputs, outputs = clone_graph_nodes(inputs, outputs)
        Layer.__init__(self, name=name, **kwargs)
        self._init_graph(inputs, outputs)
        if trainable is not None:
            self.trainable = trainable

    def _init_graph(self, inputs: Any, outputs: Any) -> None:
        self._inputs_struct = nest.map_structure(lambda x: x, inputs)
        self._outputs_struct = nest.map_structure(lambda x: x, outputs)
        self._inputs = nest.flatten(inputs)
        self._outputs = nest.flatten(outputs)
        if not self._inputs:
            raise ValueError(f"`inputs` argument cannot be empty. Received:\ninputs={inputs}\noutputs={outputs}")
        if not self._outputs:
            raise ValueError(f"`outputs` argument cannot be empty. Received:\ninputs={inputs}\noutputs={outputs}")
        self._nodes, self._nodes_by_depth, self._operations = map_graph(self._inputs, self._outputs)
        self._steps, self._slots = plan(self._inputs, self._nodes_by_depth)
        for index, tensor in enumerate(self._outputs):
            if id(tensor) not in self._slots:
                raise ValueError(f"Output with path `{_flat_path(self._outputs_struct, index)}` is not connected to "
                                 "`inputs`")
        self._output_slots = [self._slots[id(x)] for x in self._outputs]
        self._graph_layers = [op for op in self._operations if isinstance(op, Layer)]
        self.built = True
        self.output_names = [x._keras_history.operation.name for x in self._outputs]
        if not isinstance(self._inputs_struct, dict):
            self._input_spec = [self._input_spec_for(x) for x in self._inputs]
        elif all(isinstance(x, KerasTensor) for x in self._inputs_struct.values()):
            self._input_spec = [self._input_spec_for(self._inputs_struct[k], k) for k in sorted(self._inputs_struct)]

    @staticmethod
    def _input_spec_for(tensor: KerasTensor, name: str | None = None) -> InputSpec:
        layer = tensor._keras_history.operation
        shape = (None, *tensor.shape[1:]) if tensor.shape else ()
        return InputSpec(shape=shape, allow_last_axis_squeeze=True, name=name or layer.name,
                         optional=bool(getattr(layer, "optional", False)))

    # -- structure ----------------------------------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        return list(self._graph_layers)

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError("`Model.layers` attribute is reserved and should not be used. Please use another "
                             "name.")

    @property
    def operations(self) -> list:
        return list(self._operations)

    def _direct_sublayers(self) -> list[Layer]:
        """The graph's layers, then layers held in other attributes (a functional subclass may add some)."""
        found = list(self._graph_layers)
        seen = {id(self), *(id(layer) for layer in found)}
        for key, value in vars(self).items():
            if key not in _GRAPH_ATTRIBUTES and key not in _UNTRACKED:
                _collect(value, Layer, found, seen)
        return found

    @property
    def inputs(self) -> list:
        return self._inputs

    @property
    def outputs(self) -> list:
        return self._outputs

    @property
    def input(self) -> Any:
        return self._inputs_struct

    @property
    def output(self) -> Any:
        return self._outputs_struct

    @property
    def input_shape(self) -> Any:
        shapes = nest.map_structure(lambda x: x.shape, self.inputs, )
        return shapes[0] if isinstance(shapes, list) and len(shapes) == 1 else shapes

    @property
    def output_shape(self) -> Any:
        shapes = [x.shape for x in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input_dtype(self) -> Any:
        dtypes = [x.dtype for x in self.inputs]
        return dtypes[0] if len(dtypes) == 1 else dtypes

    def build(self, input_shape: Any = None) -> None:
        self.built = True

    def add_loss(self, loss: Any) -> None:
        raise NotImplementedError("add_loss is not supported on Functional models yet")

    # -- running --------------------------------------------------------------------------------------------
    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        flat = self._standardize_inputs(inputs)
        if mask is not None:
            for x, m in zip(flat, nest.flatten(mask)):
                if m is not None:
                    x._keras_mask = m
        values = [None] * len(self._slots)
        values[:len(flat)] = flat
        for step in self._steps:
            result = step.run(values, training)
            if len(step.out_slots) == 1 and not isinstance(result, (list, tuple, dict)):
                values[step.out_slots[0]] = result
            else:
                for slot, value in zip(step.out_slots, nest.flatten(result)):
                    values[slot] = value
        outputs = nest.pack_sequence_as(self._outputs_struct, [values[s] for s in self._output_slots])
        return outputs[0] if isinstance(outputs, (list, tuple)) and len(outputs) == 1 else outputs

    def _standardize_inputs(self, inputs: Any) -> list:
        struct = self._inputs_struct
        if isinstance(inputs, Tensor) and _is_single_input(struct):  # the common case needs no structure check
            return [self._conform(inputs, self._inputs[0], 0)]
        mismatch = False
        if isinstance(struct, list) and len(struct) == 1 and not isinstance(inputs, (list, tuple, dict)):
            inputs = [inputs]
        elif isinstance(inputs, dict) and not isinstance(struct, dict):
            if isinstance(struct, KerasTensor):
                mismatch = struct.name not in inputs
                inputs = inputs if mismatch else [inputs[struct.name]]
                if not mismatch:
                    struct = [struct]
            elif all(isinstance(x, KerasTensor) for x in struct):
                names = [x.name for x in struct]
                mismatch = not set(names) <= set(inputs)
                if not mismatch:
                    inputs = [inputs[n] for n in names]
            else:
                mismatch = True
        elif isinstance(struct, dict) and not isinstance(inputs, dict) and list(struct) != sorted(struct):
            mismatch = True
        try:
            nest.assert_same_structure(_lists_to_tuples(inputs), _lists_to_tuples(struct), check_types=False)
        except (ValueError, TypeError):
            expected = nest.map_structure(lambda x: x.name, self._inputs_struct)
            received = nest.map_structure(lambda x: "None" if x is None else f"Tensor(shape={tuple(x.shape)})",
                                          inputs)
            message = ("The structure of `inputs` doesn't match the expected structure.\n"
                       f"Expected: {expected}\nReceived: inputs={received}")
            if mismatch:
                raise ValueError(message) from None
            warnings.warn(message, stacklevel=3)
        flat = nest.flatten(inputs)
        return [self._conform(x, ref, index) for index, (x, ref) in enumerate(zip(flat, self._inputs))]

    def _conform(self, x: Any, ref: KerasTensor, index: int) -> Any:
        """Converts one input to its Input's dtype and rank (dropping or adding a trailing axis of size 1)."""
        if x is None:
            layer = ref._keras_history.operation
            if isinstance(layer, InputLayer) and not layer.optional:
                raise ValueError(f"The input '{ref.name}' is not optional, but None was passed. Please provide a "
                                 "valid tensor.")
            return x
        mask = getattr(x, "_keras_mask", None)
        if not isinstance(x, Tensor):
            x = convert_to_tensor(x, dtype=ref.dtype)
        elif x.dtype.name != ref.dtype:
            x = cast(x, ref.dtype)
        rank, ref_rank = x.ndim if type(x) is EagerTensor else len(x.shape), len(ref.shape)
        if rank == ref_rank + 1 and x.shape[-1] == 1:
            from ... import squeeze

            x = squeeze(x, -1)
        elif rank == ref_rank - 1 and ref.shape[-1] == 1:
            from ... import expand_dims

            x = expand_dims(x, -1)
        elif rank != ref_rank:
            raise ValueError(f"Invalid input shape for input {x} with name '{ref.name}' and path "
                             f"'{_flat_path(self._inputs_struct, index)}'. Expected shape {ref.shape}, but input "
                             f"has incompatible shape {tuple(x.shape)}")
        if mask is not None:
            x._keras_mask = mask
        return x

    # -- symbolic ---------------------------------------------------------------------------------------------
    def compute_output_spec(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        """KerasTensors for the outputs on symbolic ``inputs`` (shapes flow through each node)."""
        from .symbolic import compute_output_tensors

        flat = nest.flatten(inputs)
        if [tuple(x.shape) for x in flat] == [x.shape for x in self._inputs]:
            return nest.map_structure(lambda x: KerasTensor(x.shape, dtype=x.dtype), self._outputs_struct)
        values: list = [None] * len(self._slots)
        values[:len(flat)] = [KerasTensor(x.shape, dtype=x.dtype, record_history=False) for x in flat]
        for step in self._steps:
            args, kwargs = fill(step.args, values), fill(step.kwargs, values)
            result = compute_output_tensors(step.operation, tuple(args), kwargs)
            for slot, value in zip(step.out_slots, nest.flatten(result)):
                values[slot] = value
        return nest.pack_sequence_as(self._outputs_struct, [values[s] for s in self._output_slots])

    def compute_output_shape(self, input_shape: Any) -> Any:
        from .symbolic import _map_shapes

        tensors = _map_shapes(lambda s: KerasTensor(s, record_history=False), input_shape)
        return nest.map_structure(lambda x: x.shape, self.compute_output_spec(tensors))

    # -- configuration ---------------------------------------------------------------------------------------
    def get_build_config(self) -> dict:
        return {"input_shape": None}  # a functional model is rebuilt from its layer graph, not from a shape

    def get_config(self) -> dict:
        """Keras 3's functional config: ``name``, ``trainable``, ``layers`` (with ``inbound_nodes``),
        ``input_layers`` and ``output_layers``."""
        if not _functional_like_constructor(type(self)):
            return Model.get_config(self)
        kept_index: dict = {}
        for operation in self._operations:
            kept = 1 if isinstance(operation, Functional) else 0  # Keras counts a built-in node for those
            for original_index, node in enumerate(operation._inbound_nodes):
                if node in self._nodes:
                    kept_index[(id(operation), original_index)] = kept
                    kept += 1

        def history(tensor: KerasTensor) -> list:
            operation, node_index, tensor_index = tensor._keras_history
            skipped = sum(1 for node in operation._inbound_nodes[:node_index] if node not in self._nodes)
            return [operation.name, node_index - skipped, tensor_index]

        layer_configs = []
        for operation in self._operations:
            inbound = [{"args": config_lib.serialize_value(node.call_args, history),
                        "kwargs": config_lib.serialize_value(_serializable_kwargs(node), history)}
                       for node in operation._inbound_nodes if node in self._nodes and node.input_tensors]
            layer_config = config_lib.serialize_layer(operation)
            layer_config["name"] = operation.name
            layer_config["inbound_nodes"] = inbound
            layer_configs.append(layer_config)

        def tensor_config(tensor: KerasTensor) -> list:
            operation, node_index, tensor_index = tensor._keras_history
            return [operation.name, kept_index[(id(operation), node_index)], tensor_index]

        config = {"name": self.name, "trainable": self.trainable, "layers": layer_configs,
                  "input_layers": nest.map_structure(tensor_config, self._inputs_struct),
                  "output_layers": nest.map_structure(tensor_config, self._outputs_struct)}
        return copy.deepcopy(config)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Functional:
        return functional_from_config(cls, config, custom_objects)


def _serializable_kwargs(node: Node) -> dict:
    """The node's keyword arguments, with masks that are not graph tensors left out (as ``None``)."""
    kwargs = dict(node.call_kwargs)
    mask = kwargs.get("mask")
    if mask is not None and not all(isinstance(m, KerasTensor) and m._keras_history.operation is not None
                                    for m in nest.flatten(mask) if m is not None):
        kwargs["mask"] = None
    return kwargs


def _is_single_input(struct: Any) -> bool:
    """Whether the model takes one tensor: its inputs are one KerasTensor, or a list of exactly one."""
    return isinstance(struct, KerasTensor) or (type(struct) is list and len(struct) == 1
                                               and isinstance(struct[0], KerasTensor))


def _lists_to_tuples(structure: Any) -> Any:
    if isinstance(structure, (list, tuple)):
        return tuple(_lists_to_tuples(x) for x in structure)
    if isinstance(structure, dict):
        return {k: _lists_to_tuples(v) for k, v in structure.items()}
    return structure


def _flat_path(structure: Any, index: int) -> str:
    """Keras's dotted path of the ``index``-th leaf of ``structure`` (``""`` for a single tensor)."""
    paths: list = []

    def walk(value: Any, prefix: tuple) -> None:
        if isinstance(value, dict):
            for key in sorted(value):
                walk(value[key], (*prefix, key))
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                walk(item, (*prefix, i))
        else:
            paths.append(prefix)

    walk(structure, ())
    return ".".join(str(p) for p in paths[index])


def _functional_like_constructor(cls: type) -> bool:
    import inspect

    init = inspect.signature(cls.__init__).parameters
    names = [p.name for p in init.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][1:]
    if names == ["inputs", "outputs", "name"]:
        return True
    kinds = {p.kind for p in init.values()}
    return inspect.Parameter.VAR_POSITIONAL in kinds and inspect.Parameter.VAR_KEYWORD in kinds


def functional_from_config(cls: type, config: dict, custom_objects: dict | None = None) -> Any:
    """Rebuilds a functional model from ``get_config()`` output by replaying each layer call.

    Raises:
        ValueError: a config whose graph has loops or refers to unknown layers.
    """
    config = dict(config)
    created: dict = {}
    pending: dict = {}
    layer_data = config.pop("layers")
    input_layers, output_layers = config.pop("input_layers"), config.pop("output_layers")
    name, trainable = config.pop("name", None), config.pop("trainable", None)
    for data in layer_data:
        layer = config_lib.deserialize_layer(data, custom_objects)
        created[data["name"]] = layer
        if data.get("inbound_nodes"):
            pending[data["name"]] = list(data["inbound_nodes"])

    def lookup(history: list) -> KerasTensor:
        layer_name, node_index, tensor_index = history
        if layer_name not in created:
            raise ValueError(f"Unknown layer: {layer_name}")
        layer = created[layer_name]
        if len(layer._inbound_nodes) <= node_index:
            raise IndexError(f"Layer node index out of bounds: {layer_name}[{node_index}]")
        return layer._inbound_nodes[node_index].outputs[tensor_index]

    while pending:
        progressed = False
        for data in layer_data:
            queue = pending.get(data["name"])
            if not queue:
                continue
            layer = created[data["name"]]
            while queue:
                try:
                    args, kwargs = _node_arguments(queue[0], lookup)
                except IndexError:
                    break
                layer(*args, **kwargs)
                queue.pop(0)
                progressed = True
            if not queue:
                del pending[data["name"]]
        if not progressed:
            raise ValueError("Invalid Functional model configuration. The graph of the Functional model either has "
                             f"loops or disconnected nodes. The following nodes failed to be resolved: {pending}")

    def tensors(structure: Any) -> Any:
        if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str):
            layer_name, node_index, tensor_index = structure
            if isinstance(created.get(layer_name), Functional):
                node_index -= 1
            return lookup([layer_name, node_index, tensor_index])
        if isinstance(structure, dict):
            return {k: tensors(v) for k, v in structure.items()}
        return [tensors(v) for v in structure]

    return cls(inputs=tensors(input_layers), outputs=tensors(output_layers), name=name, trainable=trainable,
               **config)


def _node_arguments(node_data: Any, lookup: Any) -> tuple[list, dict]:
    if isinstance(node_data, list):  # Keras 2 layout: [[layer_name, node_index, tensor_index, kwargs], …]
        tensors = [lookup(item[:3]) for item in node_data]
        kwargs = node_data[0][3] if node_data and len(node_data[0]) == 4 else {}
        return [tensors[0] if len(tensors) == 1 else tensors], kwargs
    args = config_lib.deserialize_value(node_data.get("args", []), lookup)
    kwargs = config_lib.deserialize_value(node_data.get("kwargs", {}), lookup)
    return list(args), kwargs
