"""Exporting fitted trees: Graphviz DOT text, an indented text report and a matplotlib drawing."""
from __future__ import annotations

from io import StringIO
from typing import Any

import numpy as np

from ..utils.validation import check_is_fitted
from ._tree import TREE_LEAF, TREE_UNDEFINED

__all__ = ["export_graphviz", "export_text", "plot_tree"]

_PLAIN = {"open": "[", "close": "]", "le": "<=", "br": "\\n", "quote": '"', "hash": "#"}
_HTML = {"open": "<SUB>", "close": "</SUB>", "le": "&le;", "br": "<br/>", "quote": "<>", "hash": "&#35;"}


def _palette(n: int) -> list[list[int]]:
    """``n`` colours of evenly spaced hue (saturation 0.75, value 0.9), as integer RGB triples."""
    chroma, value = 0.75 * 0.9, 0.9
    shift = value - chroma
    colors = []
    for hue in np.arange(25, 385, 360.0 / n).astype(int):
        sector = hue / 60.0
        x = chroma * (1 - abs((sector % 2) - 1))
        r, g, b = [(chroma, x, 0), (x, chroma, 0), (0, chroma, x), (0, x, chroma), (x, 0, chroma),
                   (chroma, 0, x), (chroma, x, 0)][int(sector)]
        colors.append([int(255 * (r + shift)), int(255 * (g + shift)), int(255 * (b + shift))])
    return colors


class _NodeFormatter:
    """Builds node labels and fill colours shared by the DOT export and ``plot_tree``."""

    def __init__(self, estimator: Any, feature_names, class_names, label: str, impurity: bool, node_ids: bool,
                 proportion: bool, precision: int, chars: dict):
        self.tree = estimator.tree_
        self.criterion = "squared_error" if estimator.criterion == "friedman_mse" else estimator.criterion
        self.feature_names = feature_names
        self.class_names = class_names
        self.label, self.impurity, self.node_ids = label, impurity, node_ids
        self.proportion, self.precision, self.chars = proportion, precision, chars
        tree = self.tree
        self.colors = _palette(int(tree.n_classes[0]))
        self.bounds = None
        if tree.n_outputs != 1:
            self.bounds = (-np.max(tree.impurity), -np.min(tree.impurity))
        elif tree.n_classes[0] == 1 and len(np.unique(tree.value)) != 1:
            self.bounds = (np.min(tree.value), np.max(tree.value))

    def fill_color(self, node: int) -> str:
        tree = self.tree
        if tree.n_outputs != 1:
            value = -tree.impurity[node]
        else:
            value = tree.value[node][0, :]
            if tree.n_classes[0] == 1 and self.bounds is not None:
                value = value.item()
        if self.bounds is None:
            color = self.colors[int(np.argmax(value))]
            ranked = sorted(np.ravel(value), reverse=True)
            alpha = 0.0 if len(ranked) == 1 else (ranked[0] - ranked[1]) / (1 - ranked[1])
        else:
            color = self.colors[0]
            alpha = (value - self.bounds[0]) / (self.bounds[1] - self.bounds[0])
        rgb = [int(round(alpha * c + (1 - alpha) * 255, 0)) for c in color]
        return "#" + "".join(f"{c:02x}" for c in rgb)

    def _value_text(self, node: int) -> str:
        tree = self.tree
        value = tree.value[node][0, :] if tree.n_outputs == 1 else tree.value[node]
        classification = tree.n_classes[0] != 1
        if classification and not self.proportion:
            value = value * tree.weighted_n_node_samples[node]
        if classification and not self.proportion and np.all(np.mod(value, 1) == 0):
            value = value.astype(int)
        else:
            value = np.around(value, self.precision)

        def row(values) -> str:
            return "[" + ", ".join(str(v) for v in values.tolist()) + "]"

        text = row(value) if value.ndim == 1 else "[" + self.chars["br"].join(row(r) for r in value) + "]"
        if not classification and tree.n_outputs == 1:
            text = text.strip("[]")
        return text

    def label_text(self, node: int, *, wrap: bool = True) -> str:
        tree, c = self.tree, self.chars
        labels = self.label == "all" or (self.label == "root" and node == 0)
        parts = []
        if self.node_ids:
            parts.append(("node " if labels else "") + c["hash"] + str(node))
        if tree.children_left[node] != TREE_LEAF:
            f = tree.feature[node]
            name = self.feature_names[f] if self.feature_names is not None else f"x{c['open']}{f}{c['close']}"
            parts.append(f"{name} {c['le']} {round(tree.threshold[node], self.precision)}")
        if self.impurity:
            parts.append((f"{self.criterion} = " if labels else "") + str(round(tree.impurity[node], self.precision)))
        if self.proportion:
            share = 100.0 * tree.n_node_samples[node] / float(tree.n_node_samples[0])
            samples = str(round(share, 1)) + "%"
        else:
            samples = str(tree.n_node_samples[node])
        parts.append(("samples = " if labels else "") + samples)
        parts.append(("value = " if labels else "") + self._value_text(node))
        if self.class_names is not None and tree.n_classes[0] != 1 and tree.n_outputs == 1:
            best = int(np.argmax(tree.value[node][0, :]))
            name = f"y{c['open']}{best}{c['close']}" if self.class_names is True else str(self.class_names[best])
            parts.append(("class = " if labels else "") + name)
        text = c["br"].join(parts)
        if not wrap:
            return text
        return c["quote"][0] + text + c["quote"][-1]


def export_graphviz(decision_tree: Any, out_file: Any = None, *, max_depth: int | None = None,
                    feature_names: Any = None, class_names: Any = None, label: str = "all", filled: bool = False,
                    leaves_parallel: bool = False, impurity: bool = True, node_ids: bool = False,
                    proportion: bool = False, rotate: bool = False, rounded: bool = False,
                    special_characters: bool = False, precision: int = 3, fontname: str = "helvetica"):
    """Writes ``decision_tree`` in Graphviz DOT format.

    Args:
        out_file: a path or a file object; None returns the DOT text.
        class_names: names in ascending class order, or True for ``y[i]``.
        label: where to write "gini = ..."-style labels: ``"all"``, ``"root"`` or ``"none"``.

    Returns:
        The DOT text when ``out_file`` is None, else None.

    Raises:
        ValueError: ``feature_names`` of the wrong length, negative ``precision``.
    """
    check_is_fitted(decision_tree, "tree_")
    tree = decision_tree.tree_
    if feature_names is not None and len(feature_names) != tree.n_features:
        raise ValueError(f"Length of feature_names, {len(feature_names)} does not match number of features, "
                         f"{tree.n_features}")
    if not isinstance(precision, int) or isinstance(precision, bool) or precision < 0:
        raise ValueError(f"'precision' should be greater or equal to 0. Got {precision} instead.")
    chars = _HTML if special_characters else _PLAIN
    fmt = _NodeFormatter(decision_tree, feature_names, class_names, label, impurity, node_ids, proportion,
                         precision, chars)
    lines = ["digraph Tree {"]
    styles = [s for s, on in (("filled", filled), ("rounded", rounded)) if on]
    style = f', style="{", ".join(styles)}", color="black"' if styles else ""
    lines.append(f'node [shape=box{style}, fontname="{fontname}"] ;')
    if leaves_parallel:
        lines.append("graph [ranksep=equally, splines=polyline] ;")
    lines.append(f'edge [fontname="{fontname}"] ;')
    if rotate:
        lines.append("rankdir=LR ;")
    ranks: dict[str, list[str]] = {"leaves": []}
    angles = np.array([45, -45]) * ((rotate - 0.5) * -2)
    stack = [(0, 0, None)]
    while stack:
        node, depth, parent = stack.pop()
        if max_depth is None or depth <= max_depth:
            key = "leaves" if tree.children_left[node] == TREE_LEAF else str(depth)
            ranks.setdefault(key, []).append(str(node))
            fill = f', fillcolor="{fmt.fill_color(node)}"' if filled else ""
            lines.append(f"{node} [label={fmt.label_text(node)}{fill}] ;")
        else:
            ranks["leaves"].append(str(node))
            fill = ', fillcolor="#C0C0C0"' if filled else ""
            lines.append(f'{node} [label="(...)"{fill}] ;')
        if parent is not None:
            edge = f"{parent} -> {node}"
            if parent == 0:
                first = node == tree.children_left[0]
                edge += (f" [labeldistance=2.5, labelangle={int(angles[0 if first else 1])}, "
                         f'headlabel="{"True" if first else "False"}"]')
            lines.append(edge + " ;")
        expand = max_depth is None or depth <= max_depth
        if expand and tree.children_left[node] != TREE_LEAF:
            stack.append((int(tree.children_right[node]), depth + 1, node))
            stack.append((int(tree.children_left[node]), depth + 1, node))
    if leaves_parallel:
        for rank in sorted(ranks):
            lines.append("{rank=same ; " + "; ".join(ranks[rank]) + "} ;")
    lines.append("}")
    text = "\n".join(lines)
    if out_file is None:
        return text
    if isinstance(out_file, str):
        with open(out_file, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        out_file.write(text)
    return None


def _subtree_depth(tree, node: int) -> int:
    depth, stack = 0, [(node, 1)]
    while stack:
        n, d = stack.pop()
        depth = max(depth, d)
        if tree.children_left[n] != TREE_LEAF:
            stack += [(tree.children_left[n], d + 1), (tree.children_right[n], d + 1)]
    return depth


def export_text(decision_tree: Any, *, feature_names: Any = None, class_names: Any = None, max_depth: int = 10,
                spacing: int = 3, decimals: int = 2, show_weights: bool = False) -> str:
    """An indented text report of the rules of ``decision_tree``.

    Raises:
        ValueError: ``feature_names`` or ``class_names`` of the wrong length.
    """
    check_is_fitted(decision_tree, "tree_")
    tree = decision_tree.tree_
    is_clf = getattr(decision_tree, "_estimator_type", None) == "classifier"
    if is_clf:
        if class_names is None:
            class_names = decision_tree.classes_
        elif len(class_names) != len(decision_tree.classes_):
            raise ValueError("When `class_names` is an array, it should contain as many items as "
                             f"`decision_tree.classes_`. Got {len(class_names)} while the tree was fitted with "
                             f"{len(decision_tree.classes_)} classes.")
    if feature_names is not None and len(feature_names) != tree.n_features:
        raise ValueError(f"feature_names must contain {tree.n_features} elements, got {len(feature_names)}")
    names = [None if f == TREE_UNDEFINED else (feature_names[f] if feature_names is not None else f"feature_{f}")
             for f in tree.feature]
    out = StringIO()

    def leaf(node: int, indent: str) -> None:
        value = tree.value[node][0] if tree.n_outputs == 1 else tree.value[node].T[0]
        if is_clf:
            best = int(np.argmax(value))
            name = class_names[best] if tree.n_classes[0] != 1 and tree.n_outputs == 1 else best
            text = ""
            if show_weights:
                weights = value * tree.weighted_n_node_samples[node]
                text = " weights: [" + ", ".join(f"{v:.{decimals}f}" for v in weights) + "]"
            out.write(f"{indent}{text} class: {name}\n")
        else:
            out.write(f"{indent} value: [" + ", ".join(f"{v:.{decimals}f}" for v in value) + "]\n")

    stack = [("node", 0, 1)]
    while stack:
        kind, node, depth = stack.pop()
        indent = ("|" + " " * spacing) * depth
        indent = indent[:-spacing] + "-" * spacing
        threshold = f"{tree.threshold[node]:.{decimals}f}"
        if kind == "right":
            out.write(f"{indent} {names[node]} >  {threshold}\n")
            stack.append(("node", int(tree.children_right[node]), depth + 1))
            continue
        if depth > max_depth + 1:
            sub = _subtree_depth(tree, node)
            if sub == 1:
                leaf(node, indent)
            else:
                out.write(f"{indent} truncated branch of depth {sub}\n")
        elif tree.feature[node] != TREE_UNDEFINED:
            out.write(f"{indent} {names[node]} <= {threshold}\n")
            stack.append(("right", node, depth))
            stack.append(("node", int(tree.children_left[node]), depth + 1))
        else:
            leaf(node, indent)
    return out.getvalue()


def plot_tree(decision_tree: Any, *, max_depth: int | None = None, feature_names: Any = None,
              class_names: Any = None, label: str = "all", filled: bool = False, impurity: bool = True,
              node_ids: bool = False, proportion: bool = False, rounded: bool = False, precision: int = 3,
              ax: Any = None, fontsize: float | None = None) -> list:
    """Draws ``decision_tree`` with matplotlib (leaves evenly spaced, parents centred above children).

    Returns:
        The list of matplotlib annotations (one per drawn node).

    Raises:
        ImportError: matplotlib is not installed.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError("plot_tree requires matplotlib, which is not installed: pip install matplotlib") from exc
    check_is_fitted(decision_tree, "tree_")
    tree = decision_tree.tree_
    chars = dict(_PLAIN, br="\n")
    fmt = _NodeFormatter(decision_tree, feature_names, class_names, label, impurity, node_ids, proportion,
                         precision, chars)
    limit = tree.max_depth if max_depth is None else max_depth
    positions: dict[int, tuple[float, int]] = {}
    next_leaf = [0.0]

    def place(node: int, depth: int) -> float:
        if tree.children_left[node] == TREE_LEAF or depth >= limit:
            x = next_leaf[0]
            next_leaf[0] += 1.0
        else:
            x = (place(int(tree.children_left[node]), depth + 1) + place(int(tree.children_right[node]), depth + 1)) / 2
        positions[node] = (x, depth)
        return x

    place(0, 0)
    ax = ax if ax is not None else plt.gca()
    ax.clear()
    ax.set_axis_off()
    width, height = max(next_leaf[0] - 1.0, 1.0), max(limit, 1)
    xy = {n: ((x + 0.5) / (width + 1.0), 1.0 - (d + 0.5) / (height + 1.0)) for n, (x, d) in positions.items()}
    annotations = []
    box = {"boxstyle": "round" if rounded else "square", "ec": "black"}
    parent_of = {int(c): p for p in positions for c in (tree.children_left[p], tree.children_right[p]) if c >= 0}
    for node, (_, depth) in sorted(positions.items()):
        truncated = depth >= limit and tree.children_left[node] != TREE_LEAF
        text = "\n(...)\n" if truncated else fmt.label_text(node, wrap=False)
        style = dict(box, fc=fmt.fill_color(node) if filled else "white")
        kwargs = {"bbox": style, "ha": "center", "va": "center", "fontsize": fontsize}
        if node in parent_of:
            kwargs.update(xytext=xy[node], textcoords="axes fraction", arrowprops={"arrowstyle": "<-"})
            annotations.append(ax.annotate(text, xy[parent_of[node]], xycoords="axes fraction", **kwargs))
        else:
            annotations.append(ax.annotate(text, xy[node], xycoords="axes fraction", **kwargs))
    return annotations
