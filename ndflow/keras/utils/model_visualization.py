"""``keras.utils.plot_model`` / ``model_to_dot``: a model's layer graph drawn through ``pydot`` and Graphviz.

Each layer is one record node labelled with its name, class and (optionally) activation, dtype, trainability
and input/output shapes; edges follow the functional graph (consecutive layers for ``Sequential``). Node labels
are plain records, not Keras's HTML tables, and nested models are drawn as single nodes.
"""
from __future__ import annotations

import os
from typing import Any

__all__ = ["model_to_dot", "plot_model", "check_pydot", "check_graphviz"]


def _pydot():
    try:
        import pydot
    except ImportError:
        return None
    return pydot


def check_pydot() -> bool:
    """Whether ``pydot`` can be imported."""
    return _pydot() is not None


def check_graphviz() -> bool:
    """Whether ``pydot`` can run Graphviz's ``dot`` program."""
    pydot = _pydot()
    if pydot is None:
        return False
    try:
        pydot.Dot.create(pydot.Dot())
    except (OSError, pydot.PydotException):
        return False
    return True


def _check_built(model: Any) -> None:
    if not model.built:
        raise ValueError("This model has not yet been built. Build the model first by calling `build()` or by "
                         "calling the model on a batch of data.")


def _check_kwargs(kwargs: dict) -> None:
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")


def _shape_text(tensors: list) -> str:
    shapes = [f"({', '.join(str(d) for d in t.shape)})" for t in tensors]
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _escape(text: str) -> str:
    for char in "{}|<>":
        text = text.replace(char, "\\" + char)
    return text


def _layer_label(layer: Any, show_shapes: bool, show_dtype: bool, show_layer_names: bool,
                 show_layer_activations: bool, show_trainable: bool) -> str:
    title = f"{layer.name} ({type(layer).__name__})" if show_layer_names else type(layer).__name__
    fields = [title]
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        fields.append(f"Activation: {getattr(activation, '__name__', str(activation))}")
    if show_dtype:
        fields.append(f"Output dtype: {getattr(layer, 'dtype', '?')}")
    if show_shapes:
        node = layer._inbound_nodes[-1] if getattr(layer, "_inbound_nodes", None) else None
        fields.append(f"Input shape: {_shape_text(node.input_tensors) if node and node.input_tensors else '?'}")
        fields.append(f"Output shape: {_shape_text(node.outputs) if node else '?'}")
    if show_trainable:
        fields.append(f"Trainable: {'T' if layer.trainable else 'F'}")
    return "{" + "|".join(_escape(field) for field in fields) + "}"


def _edges(model: Any) -> tuple[list, list]:
    """``(layers, [(source layer, target layer)])`` of the model's graph."""
    from ..models.functional import Functional
    from ..models.sequential import Sequential

    if isinstance(model, Sequential):
        layers = list(model.layers)
        return layers, list(zip(layers, layers[1:]))
    if not isinstance(model, Functional):
        return [model], []
    layers = list(model._operations)
    model_nodes = {id(node) for node in model._nodes}
    edges = []
    for layer in layers:
        for node in layer._inbound_nodes:
            if id(node) in model_nodes:
                edges += [(parent.operation, layer) for parent in node.parent_nodes]
    return layers, edges


def model_to_dot(model: Any, show_shapes: bool = False, show_dtype: bool = False, show_layer_names: bool = True,
                 rankdir: str = "TB", expand_nested: bool = False, dpi: int = 200, subgraph: bool = False,
                 show_layer_activations: bool = False, show_trainable: bool = False, splines: str = "ortho",
                 **kwargs):
    """The model's layer graph as a ``pydot.Dot`` (or a ``pydot.Cluster`` with ``subgraph=True``).

    Raises:
        ValueError: for an unbuilt model or unknown keyword arguments.
        ImportError: when ``pydot`` is not installed.
        NotImplementedError: for ``expand_nested=True``.
    """
    _check_built(model)
    pydot = _pydot()
    if pydot is None:
        raise ImportError("You must install pydot (`pip install pydot`) for model_to_dot to work.")
    _check_kwargs(kwargs)
    if expand_nested:
        raise NotImplementedError("plot_model/model_to_dot expand_nested=True is not supported yet")
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="record")
    layers, edges = _edges(model)
    for layer in layers:
        label = _layer_label(layer, show_shapes, show_dtype, show_layer_names, show_layer_activations,
                             show_trainable)
        dot.add_node(pydot.Node(str(id(layer)), label=label))
    for source, target in edges:
        if not dot.get_edge(str(id(source)), str(id(target))):
            edge = pydot.Edge(str(id(source)), str(id(target)))
            edge.set("penwidth", "2")
            dot.add_edge(edge)
    return dot


def plot_model(model: Any, to_file: str = "model.png", show_shapes: bool = False, show_dtype: bool = False,
               show_layer_names: bool = False, rankdir: str = "TB", expand_nested: bool = False, dpi: int = 200,
               show_layer_activations: bool = False, show_trainable: bool = False, splines: str = "ortho",
               **kwargs):
    """Draws the model's graph into ``to_file`` (format from its extension, default png).

    Returns:
        An ``IPython.display.Image`` of the file when IPython is installed (and the file is not a pdf).

    Raises:
        ImportError: when ``pydot`` or Graphviz is missing.
        ValueError: for an unbuilt model or unknown keyword arguments.
    """
    _check_built(model)
    if not check_pydot():
        raise ImportError("You must install pydot (`pip install pydot`) for `plot_model` to work.")
    if not check_graphviz():
        raise ImportError("You must install graphviz (see instructions at https://graphviz.gitlab.io/download/) "
                          "for `plot_model` to work.")
    _check_kwargs(kwargs)
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype, show_layer_names=show_layer_names,
                       rankdir=rankdir, expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations, show_trainable=show_trainable,
                       splines=splines)
    to_file = str(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=extension)
    if extension != "pdf":
        try:
            from IPython import display
        except ImportError:
            return None
        return display.Image(filename=to_file)
    return None
