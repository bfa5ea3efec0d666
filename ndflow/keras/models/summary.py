"""``Model.summary()``: the same text table as Keras 3 (which draws it with ``rich``; we lay it out ourselves).

The layout follows rich's rules for a table with fixed column widths: columns are shrunk evenly when they
do not fit, cells are word-wrapped, words that cannot fit end with "…", header cells align to the bottom,
and lines wider than the console are cropped.
"""
from __future__ import annotations

import math
import os
import re
import shutil
import sys
from typing import Any, Callable

from ..._core import nest

__all__ = ["print_summary", "count_params", "weight_memory_size", "readable_memory_size"]

_DTYPE_BITS = {**{f"float{i}": i for i in (16, 32, 64)}, **{f"int{i}": i for i in (8, 16, 32, 64)},
               **{f"uint{i}": i for i in (8, 16, 32, 64)}, "bfloat16": 16, "bool": 1}
# box characters: (left, fill, divider, right) for each kind of line, as rich's HEAVY_HEAD and ASCII boxes
_HEAVY_HEAD = {"top": "┏━┳┓", "head": "┃ ┃┃", "head_row": "┡━╇┩", "row": "│ ││", "mid": "├─┼┤", "bottom": "└─┴┘"}
_ASCII = {"top": "+--+", "head": "| ||", "head_row": "|-+|", "row": "| ||", "mid": "|-+|", "bottom": "+--+"}
_WORD = re.compile(r"\s*\S+\s*")


# -- sizes -------------------------------------------------------------------------------------------------
def count_params(weights: list) -> int:
    """The number of scalars in ``weights``."""
    return int(sum(math.prod(tuple(w.shape)) for w in weights))


def weight_memory_size(weights: list) -> float:
    """Bytes taken by the distinct ``weights``."""
    unique = {id(w): w for w in weights}.values()
    bits = sum(math.prod(tuple(w.shape)) * _DTYPE_BITS.get(_dtype_name(w.dtype), 32) for w in unique)
    return bits / 8


def _dtype_name(dtype: Any) -> str:
    return getattr(dtype, "name", str(dtype))


def readable_memory_size(size: float) -> str:
    """``size`` bytes as ``"336.00 B"``, ``"1.50 KB"`` …"""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


# -- text layout (rich's rules) ----------------------------------------------------------------------------
def _console_width() -> int:
    """Rich's console width: ``$COLUMNS``, else the first terminal among stdin/stdout/stderr, else 80."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        return width or 80
    return 80


def _break_positions(text: str, width: int, fold: bool = False) -> list[int]:
    """Where to break ``text`` into lines of at most ``width``. A word longer than a line gets a line of its own,
    or, with ``fold``, is cut into pieces of ``width``."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = [word[i:i + width] for i in range(0, len(word), width)] if fold else [word]
            for piece in pieces:
                if start:
                    breaks.append(start)
                start += len(piece)
            offset = len(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _split(text: str, width: int, fold: bool = False) -> list[str]:
    """``text`` cut at the break positions, without the spaces that would overflow ``width``."""
    bounds = [0, *_break_positions(text, width, fold), len(text)]
    lines = []
    for a, b in zip(bounds, bounds[1:]):
        line = text[a:b]
        if len(line) > width:
            trailing = len(line) - len(line.rstrip())
            line = line[:len(line) - min(trailing, len(line) - width)]
        lines.append(line)
    return lines


def _truncate(line: str, width: int) -> str:
    return line[:max(width - 1, 0)] + "…" if len(line) > width else line


def _wrap(text: str, width: int, justify: str) -> list[str]:
    """``text`` word-wrapped to ``width`` and justified (``left``/``right``/``center``), each line ``width`` long."""
    lines = []
    for paragraph in text.split("\n"):
        for line in _split(paragraph, width):
            if justify == "left":
                line = _truncate(line, width)
                lines.append(line + " " * (width - len(line)))
                continue
            line = _truncate(line.rstrip(), width)
            gap = width - len(line)
            left = gap // 2 if justify == "center" else gap
            lines.append(" " * left + line + " " * (gap - left))
    return lines


def _column_widths(widths: list[int], line_length: int) -> list[int]:
    """Rich's widths (padding included) for fixed-width columns in a table ``line_length`` wide."""
    inner = line_length - (len(widths) + 1)
    widths = [min(w + 2, inner) or 1 for w in widths]
    excess = sum(widths) - inner
    if excess > 0:
        remaining, ratio_left, reduced = excess, len(widths), []
        for width in widths:
            taken = min(width, round(remaining / ratio_left))
            reduced.append(width - taken)
            remaining -= taken
            ratio_left -= 1
        widths = reduced
    return widths


def _render_table(header: list[str], rows: list[list[str]], widths: list[int], justify: list[str],
                  line_length: int, box: dict) -> list[str]:
    widths = _column_widths(widths, line_length)

    def border(kind: str) -> str:
        left, fill, divider, right = box[kind]
        return left + divider.join(fill * w for w in widths) + right

    def cells(kind: str, texts: list[str], bottom: bool) -> list[str]:
        wrapped = [_wrap(text, max(w - 2, 0), j) for text, w, j in zip(texts, widths, justify)]
        height = max(len(c) for c in wrapped)
        for column, lines in enumerate(wrapped):
            blank = [" " * max(widths[column] - 2, 0)] * (height - len(lines))
            wrapped[column] = blank + lines if bottom else lines + blank
        left, _, divider, right = box[kind]
        return [left + divider.join(f" {wrapped[c][i]} " for c in range(len(widths))) + right
                for i in range(height)]

    out = [border("top"), *cells("head", header, bottom=True), border("head_row")]
    for index, row in enumerate(rows):
        if index:
            out.append(border("mid"))
        out.extend(cells("row", row, bottom=False))
    out.append(border("bottom"))
    return out


# -- model inspection --------------------------------------------------------------------------------------
def _format_shape(shape: Any) -> str:
    return f"({', '.join(str(d) for d in shape)})"


def _output_shape_text(layer: Any) -> str:
    nodes = getattr(layer, "_inbound_nodes", [])
    build_shapes = getattr(layer, "_build_shapes", None)
    if not nodes and not build_shapes:
        return "?"
    if nodes:
        shapes = [_format_shape(x.shape) for x in nodes[-1].outputs]
    else:
        try:
            from .symbolic import _map_shapes

            if hasattr(layer, "output_shape"):
                shapes = [_format_shape(layer.output_shape)]
            else:
                shapes = nest.flatten(_map_shapes(_format_shape, layer.compute_output_shape(build_shapes)))
        except (NotImplementedError, ValueError, TypeError):
            return "?"
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _graph_layout(model: Any) -> tuple[list, bool, list]:
    """``(rows' layers, sequential-like, nodes of the graph)`` as Keras decides them."""
    from .functional import Functional
    from .sequential import Sequential

    if isinstance(model, Sequential) or not isinstance(model, Functional):
        return model.layers, True, []
    layers = model._operations
    seen_nodes: list = []
    for nodes in model._nodes_by_depth.values():
        if len(nodes) > 1 or (len(nodes) == 1 and len(nodes[0].input_tensors) > 1):
            break
        seen_nodes += nodes
    else:
        node_ids = {id(n) for n in seen_nodes}
        shared = any(sum(id(n) in node_ids for n in layer._inbound_nodes) > 1 for layer in model.layers)
        if not shared:
            return layers, True, []
    relevant = [node for nodes in model._nodes_by_depth.values() for node in nodes]
    return layers, False, relevant


def _connections(layer: Any, relevant: list) -> str:
    relevant_ids = {id(n) for n in relevant}
    parts = []
    for node in layer._inbound_nodes:
        if relevant_ids and id(node) not in relevant_ids:
            continue
        for tensor in node.input_tensors:
            operation, node_index, tensor_index = tensor._keras_history
            parts.append(f"{operation.name}[{node_index}][{tensor_index}]")
    return ", ".join(parts) or "-"


def _layer_range(layers: list, layer_range: Any) -> tuple[int, int]:
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(f"layer_range must be a list or tuple of length 2. Received: layer_range = {layer_range} "
                         f"of length {len(layer_range)}")
    if not isinstance(layer_range[0], str) or not isinstance(layer_range[1], str):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(f"Passed layer_names do not match the layer names in the model. Received: {layer_range}")
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


def print_summary(model: Any, line_length: int | None = None, positions: Any = None,
                  print_fn: Callable | None = None, expand_nested: bool = False, show_trainable: bool = False,
                  layer_range: Any = None) -> None:
    """Prints (or passes to ``print_fn``, in one call) Keras 3's summary table of ``model``.

    Raises:
        ValueError: columns narrower than 4 characters, or a ``layer_range`` that matches no layer.
    """
    from .model import Model

    layers, sequential_like, relevant = _graph_layout(model)
    if sequential_like:
        default_length, positions = 88, positions or [0.45, 0.80, 1.0]
        header, justify = ["Layer (type)", "Output Shape", "Param #"], ["left", "left", "right"]
    else:
        default_length, positions = 108, positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        justify = ["left", "left", "right", "left"]
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        justify.append("center")
    line_length = line_length or min(default_length, shutil.get_terminal_size().columns - 4)
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width

    def layer_rows(layer: Any, level: int) -> list[list[str]]:
        prefix = "   " * level + "└ " if level else ""
        if not hasattr(layer, "built"):
            params = "0"
        elif not layer.built:
            params = "0 (unbuilt)"
        else:
            params = f"{layer.count_params():,}"
        row = [f"{prefix}{layer.name} ({type(layer).__name__})", _output_shape_text(layer), params]
        if not sequential_like:
            row.append(_connections(layer, relevant))
        if show_trainable:
            row.append(("Y" if layer.trainable else "N") if getattr(layer, "weights", None) else "-")
        rows = [row]
        if expand_nested and isinstance(layer, Model) and layer.layers:
            for inner in layer.layers:
                rows.extend(layer_rows(inner, level + 1))
        return rows

    first, last = _layer_range(layers, layer_range)
    rows = [row for layer in layers[first:last] for row in layer_rows(layer, 0)]
    box = _HEAVY_HEAD if (getattr(sys.stdout, "encoding", None) or "utf-8").lower().startswith("utf") else _ASCII
    table = _render_table(header, rows, widths[:len(header)], justify, line_length, box)

    trainable, non_trainable = model.trainable_weights, model.non_trainable_weights
    optimizer = getattr(model, "optimizer", None)
    counted = [("Trainable params", trainable), ("Non-trainable params", non_trainable)]
    if getattr(model, "compiled", False) and optimizer is not None and getattr(optimizer, "built", False):
        counted.append(("Optimizer params", list(optimizer.variables)))
    totals = (sum(count_params(w) for _, w in counted), sum(weight_memory_size(w) for _, w in counted))
    width = _console_width()
    lines = [*_fit(f'Model: "{model.name}"', width), *(line[:width] for line in table)]
    for label, (count, size) in [("Total params", totals),
                                 *((name, (count_params(w), weight_memory_size(w))) for name, w in counted)]:
        lines.extend(_fit(f" {label}: {count:,} ({readable_memory_size(size)})", width))
    text = "\n".join(lines) + "\n"
    if print_fn is not None:
        print_fn(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _fit(line: str, width: int) -> list[str]:
    """A text line as the console prints it: wrapped at word boundaries, long words folded."""
    if len(line) <= width:
        return [line]
    return [piece[:width] for piece in _split(line, width, fold=True)]
