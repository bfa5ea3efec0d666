"""``ndflow.print``, ``group``, ``no_op``, ``tuple``: ops that matter for their effects and ordering."""
from __future__ import annotations

import sys
from typing import Any

import numpy as np

from . import nest
from .context import state
from .graph import NoOp, Operation
from .op import register
from .tensor import Tensor, convert_to_tensor

__all__ = ["print_v2", "group", "no_op", "tuple_"]


def _format_scalar(value: Any, quote: bool) -> str:
    """One element as TF's C++ printer writes it: shortest of 6/9 (float) or 15/17 (double) digits."""
    if isinstance(value, (bytes, str)):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        if not quote:
            return text
        escaped = text.translate({ord("\\"): "\\\\", ord('"'): '\\"', ord("'"): "\\'", ord("\n"): "\\n",
                                  ord("\t"): "\\t", ord("\r"): "\\r"})
        return f'"{escaped}"'
    if isinstance(value, np.bool_):
        return "1" if value else "0"
    if isinstance(value, np.complexfloating):
        return "?"
    if isinstance(value, np.floating):
        if value.dtype == np.float64:
            short = f"{value:.15g}"
            return short if np.float64(short) == value or value != value else f"{value:.17g}"
        single = np.float32(value)
        short = f"{single:.6g}"
        return short if np.float32(short) == single or single != single else f"{single:.9g}"
    return str(value)


def _format_value(value: Any, summarize: int | None) -> str:
    """A tensor as ``tf.print`` writes it: nested brackets, ``...`` past ``summarize`` items at each end."""
    arr = np.asarray(value)
    if arr.ndim == 0:
        return _format_scalar(arr[()], quote=True)
    limit = arr.size if summarize is None or summarize < 0 else min(summarize, arr.size)

    def block(sub: np.ndarray, depth: int) -> str:
        n = sub.shape[0]
        keep = range(n) if n <= 2 * limit else [*range(limit), None, *range(n - limit, n)]
        if sub.ndim == 1:
            items = ["..." if i is None else _format_scalar(sub[i], quote=True) for i in keep]
            return "[" + " ".join(items) + "]"
        separator = "\n" * (sub.ndim - 1) + " " * (depth + 1)
        if limit == 0 and n:
            return "[" + separator + "...]"
        items = ["..." if i is None else block(sub[i], depth + 1) for i in keep]
        return "[" + separator.join(items) + "]"

    return block(arr, 0)


def _format_value_v1(value: Any, summarize: int) -> str:
    """A tensor as TF1's ``Print`` writes it: the first ``summarize`` elements in row-major order."""
    arr = np.asarray(value)
    flat = arr.reshape(-1)
    if arr.ndim == 0:
        return f"[{_format_scalar(flat[0], quote=False)}]"
    printed = 0

    def block(dim: int, offset: int) -> str:
        nonlocal printed
        stride = int(np.prod(arr.shape[dim + 1:], dtype=np.int64))
        parts = []
        for i in range(arr.shape[dim]):
            if printed >= summarize:
                return "[" + (" ".join(parts) if dim == arr.ndim - 1 else "".join(parts)) + "...]"
            if dim == arr.ndim - 1:
                parts.append(_format_scalar(flat[offset + i], quote=False))
                printed += 1
            else:
                parts.append(block(dim + 1, offset + i * stride))
        return "[" + (" ".join(parts) if dim == arr.ndim - 1 else "".join(parts)) + "]"

    return block(0, 0)


def _print_forward(xp, *values, template, output_stream, end, summarize):
    parts = []
    it = iter(values)
    for piece in template:
        parts.append(_format_value(next(it), summarize) if piece is None else piece)
    stream = {"stderr": sys.stderr, "stdout": sys.stdout}.get(output_stream, output_stream)
    if callable(stream):
        stream("".join(parts))
    else:
        stream.write("".join(parts) + end)
        stream.flush()
    return ()


PrintV2 = register("PrintV2", _print_forward, num_outputs=0, stateful=True)


def _is_tensor(value: Any) -> bool:
    return isinstance(value, Tensor) or hasattr(value, "_as_tensor")


class _Slot:
    """Stands for a tensor inside a printed Python structure; its repr marks where the tensor goes."""

    MARK = "\x00tensor\x00"

    def __repr__(self) -> str:
        return self.MARK


def _append_structure(value: Any, template: list, tensors: list) -> None:
    """``str(value)`` with each tensor in it printed as a tensor (TF formats nested structures this way)."""
    found = [v for v in nest.flatten(value) if _is_tensor(v)]
    text = str(nest.map_structure(lambda v: _Slot() if _is_tensor(v) else v, value)) if found else str(value)
    pieces = text.split(_Slot.MARK)
    for j, piece in enumerate(pieces):
        if j:
            template.append(None)
        if piece:
            template.append(piece)
    tensors.extend(convert_to_tensor(v) for v in found)


def print_v2(*inputs: Any, output_stream: Any = "stderr", summarize: int = 3, sep: str = " ", end: str = "\n",
             name: str | None = None) -> Any:
    """Prints tensors (and Python values) when the op runs: immediately eagerly, on each call in graphs.

    Tensors print as TF prints them, summarised to ``summarize`` items per dimension at each end.
    """
    template: list = []
    tensors = []
    for i, value in enumerate(inputs):
        if i:
            template.append(sep)
        if _is_tensor(value):
            template.append(None)
            tensors.append(convert_to_tensor(value))
        elif isinstance(value, str):
            template.append(value)
        else:
            _append_structure(value, template, tensors)
    if output_stream is sys.stderr:
        output_stream = "stderr"
    elif output_stream is sys.stdout:
        output_stream = "stdout"
    attrs = {"template": tuple(template), "output_stream": output_stream, "end": end, "summarize": summarize}
    graph = state.graph
    if graph is None:
        _print_forward(None, *[t.numpy() for t in tensors], **attrs)
        return None
    return graph._add_op(PrintV2, tuple(tensors), attrs, name or "PrintV2", [])


def no_op(name: str | None = None) -> Operation | None:
    """An op that does nothing (a hook for control dependencies)."""
    graph = state.graph
    if graph is None:
        return None
    return graph._add_op(NoOp, (), {}, name or "NoOp", [])


def group(*inputs: Any, name: str | None = None) -> Operation | None:
    """One op that runs after all ``inputs`` (ops or tensors)."""
    graph = state.graph
    if graph is None:
        return None
    deps = [x.op if hasattr(x, "op") and not isinstance(x, Operation) else x for x in nest.flatten(inputs)]
    deps = [d.initializer if hasattr(d, "_is_variable") else d for d in deps if d is not None]
    with graph.control_dependencies(deps):
        return graph._add_op(NoOp, (), {}, name or "group_deps", [])


def tuple_(tensors: Any, name: str | None = None, control_inputs: Any = None) -> list:
    """The ``tensors``, each available only after all of them (and ``control_inputs``) are computed."""
    from .ops.array_ops import identity

    graph = state.graph
    if graph is None:
        return list(tensors)
    gate = group(*[t for t in tensors if t is not None], *(control_inputs or []))
    with graph.control_dependencies([gate]):
        return [None if t is None else identity(t) for t in tensors]


def _tf1_print_forward(xp, input_, *data, message, summarize):
    sys.stderr.write(message + "".join(_format_value_v1(d, summarize) for d in data) + "\n")
    sys.stderr.flush()
    return input_


TF1Print = register("Print", _tf1_print_forward, grad=lambda entry, dy: (dy,) + (None,) * (len(entry.inputs) - 1),
                    infer=lambda input_, *data, **attrs: [input_], stateful=True)


def tf1_print(input_: Any, data: Any, message: str | None = None, first_n: Any = None, summarize: int | None = None,
              name: str | None = None) -> Any:
    """TF1's ``tf.Print``: ``input_`` unchanged, printing ``message`` and ``data`` (to stderr) when it runs."""
    tensors = tuple(convert_to_tensor(d) for d in data)
    from .execute import execute

    return execute(TF1Print, (convert_to_tensor(input_), *tensors),
                   {"message": message or "", "summarize": 3 if summarize is None else summarize}, name)
