"""Tests for ``keras.utils.plot_model`` / ``model_to_dot``: the missing-pydot error, and the graph built on a
recording stand-in for ``pydot`` (the real one is used when pydot and Graphviz are installed)."""
import shutil
import sys
import types

import pytest

import ndflow as tf
from ndflow.keras.utils import model_to_dot, model_visualization, plot_model


class _Graph:
    def __init__(self, **attributes):
        self.attributes, self.nodes, self.edges = dict(attributes), [], []

    def set(self, key, value):
        self.attributes[key] = value

    def set_node_defaults(self, **defaults):
        self.attributes["node_defaults"] = defaults

    def add_node(self, node):
        self.nodes.append(node)

    def get_edge(self, source, target):
        return [e for e in self.edges if (e.source, e.target) == (source, target)]

    def add_edge(self, edge):
        self.edges.append(edge)


class _Node:
    def __init__(self, name, label):
        self.name, self.label = name, label


class _Edge:
    def __init__(self, source, target):
        self.source, self.target, self.attributes = source, target, {}

    def set(self, key, value):
        self.attributes[key] = value


@pytest.fixture
def fake_pydot(monkeypatch):
    module = types.SimpleNamespace(Dot=_Graph, Cluster=_Graph, Node=_Node, Edge=_Edge, PydotException=Exception)
    monkeypatch.setitem(sys.modules, "pydot", module)
    return module


def _functional():
    inputs = tf.keras.Input((4,), name="features")
    left = tf.keras.layers.Dense(3, activation="relu", name="left")(inputs)
    right = tf.keras.layers.Dense(3, name="right")(inputs)
    merged = tf.keras.layers.Add(name="merge")([left, right])
    return tf.keras.Model(inputs, tf.keras.layers.Dense(1, name="head")(merged))


def _label_of(dot, name):
    return next(node.label for node in dot.nodes if node.label.startswith("{" + name))


def test_missing_pydot_messages(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    model = _functional()
    with pytest.raises(ImportError, match=r"You must install pydot \(`pip install pydot`\) for `plot_model` to work."):
        plot_model(model)
    with pytest.raises(ImportError, match=r"You must install pydot \(`pip install pydot`\) for model_to_dot to work."):
        model_to_dot(model)
    assert not model_visualization.check_pydot() and not model_visualization.check_graphviz()


def test_unbuilt_model_and_bad_kwargs(fake_pydot):
    with pytest.raises(ValueError, match="This model has not yet been built."):
        plot_model(tf.keras.Sequential([tf.keras.layers.Dense(2)]))
    with pytest.raises(ValueError, match="Argument `layer_range` is no longer supported."):
        model_to_dot(_functional(), layer_range=["a", "b"])
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        model_to_dot(_functional(), colour="red")


def test_functional_graph_nodes_edges_and_labels(fake_pydot):
    model = _functional()
    dot = model_to_dot(model, show_shapes=True, show_layer_activations=True, show_trainable=True, rankdir="LR")
    assert dot.attributes["rankdir"] == "LR" and dot.attributes["node_defaults"] == {"shape": "record"}
    ids = {layer.name: str(id(layer)) for layer in model.layers}
    assert {node.name for node in dot.nodes} == set(ids.values())
    assert {(e.source, e.target) for e in dot.edges} == {
        (ids["features"], ids["left"]), (ids["features"], ids["right"]), (ids["left"], ids["merge"]),
        (ids["right"], ids["merge"]), (ids["merge"], ids["head"])}
    label = _label_of(dot, "left")
    assert label == ("{left (Dense)|Activation: relu|Input shape: (None, 4)|Output shape: (None, 3)|Trainable: T}")
    assert "Input shape: [(None, 3), (None, 3)]" in _label_of(dot, "merge")


def test_sequential_chain_and_subgraph(fake_pydot):
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2, name="a"),
                                 tf.keras.layers.Dense(1, name="b")], name="seq")
    dot = model_to_dot(model, subgraph=True, show_layer_names=False)
    assert dot.attributes["label"] == "seq"
    assert [node.label for node in dot.nodes] == ["{Dense}", "{Dense}"]
    assert len(dot.edges) == 1 and dot.edges[0].attributes == {"penwidth": "2"}
    with pytest.raises(NotImplementedError, match="expand_nested=True is not supported yet"):
        model_to_dot(model, expand_nested=True)


def test_plot_model_reports_missing_graphviz(fake_pydot, monkeypatch):
    def create(self):
        raise OSError("dot not found")

    monkeypatch.setattr(_Graph, "create", create, raising=False)
    with pytest.raises(ImportError, match="You must install graphviz"):
        plot_model(_functional())


def test_plot_model_writes_file_with_real_pydot(tmp_path):
    pytest.importorskip("pydot")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed")
    target = tmp_path / "model.png"
    plot_model(_functional(), to_file=str(target), show_shapes=True)
    assert target.read_bytes().startswith(b"\x89PNG")


def test_model_to_dot_with_real_pydot():
    pytest.importorskip("pydot")
    dot = model_to_dot(_functional(), show_shapes=True)
    assert len([n for n in dot.get_nodes() if n.get_name() != "node"]) == 5 and len(dot.get_edges()) == 5
    assert '"{left (Dense)|Input shape: (None, 4)|Output shape: (None, 3)}"' in dot.to_string()
