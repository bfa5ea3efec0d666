"""Max and average pooling (``tf.nn.max_pool*``, ``avg_pool*``, ``pool``, ``max_pool_with_argmax``).

Kernels visit the window taps (``prod(ksize)`` of them, never the pixels): each tap is one strided view of
the padded input covering every output position, folded in with ``maximum``/``add``. Max pooling sends its
gradient to the first maximal element of each window in row-major order, as TF's CPU kernels do; ties
therefore resolve identically in ``max_pool`` and ``max_pool_with_argmax``.
"""
from __future__ import annotations

import itertools
import math
from typing import Any

from .. import dtypes
from ..errors import InvalidArgumentError, UnimplementedError
from ..export import export
from ..shape import TensorShape
from ..tensor import Tensor
from . import array_ops
from ._helpers import check_dtype, execute, invalid_arg, register, to_tensor
from .conv_ops import (
    full_sequence,
    output_geometry,
    padding_attrs,
    sized_output_infer,
    static_output_size,
    tap_slices,
    with_static_shape,
)

_MAX_POOL_TYPES = ("float16", "bfloat16", "float32", "float64", "int32", "int64", "uint8", "int16", "int8",
                   "uint16")
_MAX_POOL_3D_TYPES = ("float16", "bfloat16", "float32", "float64")  # TF's CPU kernel lacks float64
_AVG_POOL_TYPES = ("float16", "bfloat16", "float32", "float64")
_ARGMAX_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "int64", "bfloat16", "uint16",
                 "float16", "uint32", "uint64")
_LAYOUTS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}


# ---------------------------------------------------------------------------------------------------------
# Geometry: all axes are handled alike, so NCHW and depth-wise pooling need no transposes.


class _Window:
    """Per-axis window sizes, strides, dilations, paddings and output sizes of one pooling call."""

    __slots__ = ("ksize", "strides", "dilations", "pads", "outs")

    def __init__(self, ksize, strides, dilations, pads, outs) -> None:
        self.ksize, self.strides, self.dilations, self.pads, self.outs = ksize, strides, dilations, pads, outs

    def taps(self):
        """Tap offsets in row-major order, each with the index of the input elements it reads."""
        for offsets in itertools.product(*(range(k) for k in self.ksize)):
            yield offsets, tap_slices(offsets, self.outs, self.strides, self.dilations)[1:-1]

    def padded_shape(self, shape: tuple) -> tuple:
        return tuple(n + lo + hi for n, (lo, hi) in zip(shape, self.pads))

    def crop(self, shape: tuple) -> tuple:
        return tuple(slice(lo, lo + n) for n, (lo, _) in zip(shape, self.pads))


def _window(op_name: str, x_shape: tuple, ksize, strides, padding, explicit_paddings, data_format, dilations,
            spatial_rank: int, average: bool) -> _Window:
    """Validates a pooling call as TF's kernels do and returns its window."""
    n = spatial_rank + 2
    if len(x_shape) != n:
        raise invalid_arg(op_name, f"tensor_in_shape must have {spatial_rank} spatial dimensions. "
                                   f"{len(x_shape)} {len(x_shape) - 2 if len(x_shape) > 2 else 0}"
                          if spatial_rank == 2 else f"tensor_in must be {n}-dimensional")
    if any(k < 1 for k in ksize):
        raise invalid_arg(op_name, "Sliding window ksize must be positive. The specified or inferred ksize is: "
                                   + ",".join(str(k) for k in ksize))
    if any(s < 1 for s in strides):
        raise invalid_arg(op_name, f"Stride must be > 0, but got {min(strides)}")
    channel = 1 if data_format.startswith("NC") else n - 1
    if ksize[0] != 1 or strides[0] != 1:
        raise UnimplementedError(None, None, f"Pooling is not yet supported on the batch dimension. [Op:{op_name}]")
    if ksize[channel] != 1 or strides[channel] != 1:
        if average or spatial_rank != 2:
            raise UnimplementedError(None, None, f"Non-spatial pooling is not yet supported. Volunteers? :) "
                                                 f"[Op:{op_name}]")
        if any(k != 1 for i, k in enumerate(ksize) if i not in (0, channel)):
            raise UnimplementedError(None, None, "MaxPooling supports exactly one of pooling across depth or "
                                                 f"pooling across width/height. [Op:{op_name}]")
        if x_shape[channel] % ksize[channel]:
            raise UnimplementedError(None, None, "Depthwise max pooling requires the depth window to evenly "
                                                 f"divide the input depth [Op:{op_name}]")
        if strides[channel] != ksize[channel]:
            raise UnimplementedError(None, None, "Depthwise max pooling requires the depth window to equal the "
                                                 f"depth stride [Op:{op_name}]")
    pairs = tuple(zip(explicit_paddings[::2], explicit_paddings[1::2]))
    outs, pads = output_geometry(op_name, tuple(x_shape), tuple(ksize), tuple(strides), tuple(dilations),
                                 padding, pairs)
    return _Window(tuple(ksize), tuple(strides), tuple(dilations), pads, outs)


def _pool_output_shape(x_shape: TensorShape, ksize, strides, padding, explicit_paddings,
                       dilations) -> TensorShape:
    """A pooling's static output shape (attributes cover every axis): rank and the dims that are known."""
    if x_shape.rank is None:
        x_shape = TensorShape([None] * len(ksize))
    if x_shape.rank != len(ksize):
        return TensorShape(None)  # the kernel reports the bad rank when it runs
    pairs = tuple(zip(explicit_paddings[::2], explicit_paddings[1::2])) or ((0, 0),) * len(ksize)
    return TensorShape([static_output_size("Pool", n, k, s, d, padding, pad)
                        for n, k, s, d, pad in zip(x_shape.as_list(), ksize, strides, dilations, pairs)])


def _pool_infer(x, *, ksize, strides, padding, explicit_paddings, data_format, dilations):
    return [(_pool_output_shape(x[0], ksize, strides, padding, explicit_paddings, dilations), x[1])]


def _lowest(xp, dtype):
    return -xp.inf if dtype.kind in "fV" else xp.iinfo(dtype).min  # "V": bfloat16


def _padded(xp, x, win: _Window, fill):
    if not any(lo or hi for lo, hi in win.pads):
        return x
    out = xp.full(win.padded_shape(x.shape), fill, dtype=x.dtype)
    out[win.crop(x.shape)] = x
    return out


def _counts(xp, x_shape: tuple, win: _Window, dtype):
    """How many real (unpadded) inputs each output averages over, broadcastable to the output."""
    total = None
    for axis, (n, k, s, d, (lo, _), out) in enumerate(zip(x_shape, win.ksize, win.strides, win.dilations,
                                                           win.pads, win.outs)):
        if k == 1 and lo == 0:
            continue
        pos = xp.arange(out)[:, None] * s + xp.arange(k)[None, :] * d - lo
        count = ((pos >= 0) & (pos < n)).sum(axis=1).astype(dtype)
        shape = [1] * len(x_shape)
        shape[axis] = out
        count = count.reshape(shape)
        total = count if total is None else total * count
    return total


def _reduce_windows(xp, xpad, win: _Window, combine):
    """Folds ``combine`` (``maximum``/``add``) over each window of padded input ``xpad``.

    Rectangular windows are separable: one axis at a time costs ``sum(ksize)`` passes instead of
    ``prod(ksize)``, worth its intermediate arrays for windows larger than 2x2.
    """
    if 0 in win.outs:
        return xp.empty(tuple(win.outs), dtype=xpad.dtype)
    if math.prod(win.ksize) <= sum(k for k in win.ksize if k > 1):
        taps = [index for _, index in win.taps()]
        if len(taps) == 1:
            return xpad[taps[0]].copy()
        out = combine(xpad[taps[0]], xpad[taps[1]])  # the first combine allocates the result
        for index in taps[2:]:
            combine(out, xpad[index], out=out)
        return out
    out = xpad
    for axis in reversed(range(xpad.ndim)):
        k, s, d, n = win.ksize[axis], win.strides[axis], win.dilations[axis], win.outs[axis]
        if k == 1 and s == 1:
            continue
        index = [slice(None)] * xpad.ndim
        acc = None
        for j in range(k):
            index[axis] = slice(j * d, j * d + s * (n - 1) + 1, s)
            tap = out[tuple(index)]
            acc = tap.copy() if acc is None else combine(acc, tap, out=acc)
        out = acc
    return out if out is not xpad else xpad.copy()


def _max_taps(xp, xpad, win: _Window):
    """The maximum over each window of padded input ``xpad``."""
    return _reduce_windows(xp, xpad, win, xp.maximum)


def _first_max_masks(xp, x, best, win: _Window):
    """Yields ``(input index, mask)`` per tap; the mask marks the windows whose first maximal tap it is.

    ``best`` is the pooled maximum. Masks multiply rather than select: ``xp.where`` with data-dependent
    masks is several times slower.
    """
    xpad = _padded(xp, x, win, _lowest(xp, x.dtype))
    taken = None
    taps = list(win.taps())
    for t, (_, index) in enumerate(taps):
        if t == len(taps) - 1:
            yield index, ~taken if taken is not None else xp.ones(best.shape, dtype=bool)
            return
        hit = xpad[index] == best
        if taken is None:
            taken = hit.copy()
        else:
            hit &= ~taken
            taken |= hit
        yield index, hit


def _overlapping(win: _Window) -> bool:
    return any(s < (k - 1) * d + 1 for k, s, d in zip(win.ksize, win.strides, win.dilations))


def _argmax_taps(xp, x, win: _Window):
    """The maximum over each window and the row-major number of its first maximal tap."""
    best = _max_taps(xp, _padded(xp, x, win, _lowest(xp, x.dtype)), win)
    idx = xp.zeros(tuple(win.outs), dtype=xp.int32)
    for t, (_, mask) in enumerate(_first_max_masks(xp, x, best, win)):
        if t:
            idx += mask * xp.int32(t)
    return best, idx


# ---------------------------------------------------------------------------------------------------------
# Kernels (attributes are TF's full-rank lists)


def _declare_pools(max_name: str, avg_name: str, spatial_rank: int):
    """Registers a max-pool family (pool, gradient, gradient of gradient) and an avg-pool pair."""

    def window(op_name, shape, attrs_ksize, strides, padding, explicit_paddings, data_format, dilations, average):
        return _window(op_name, shape, attrs_ksize, strides, padding, explicit_paddings, data_format,
                       dilations, spatial_rank, average)

    def max_forward(xp, x, *, ksize, strides, padding, explicit_paddings, data_format, dilations):
        win = window(max_name, x.shape, ksize, strides, padding, explicit_paddings, data_format, dilations, False)
        return _max_taps(xp, _padded(xp, x, win, _lowest(xp, x.dtype)), win)

    def max_grad(xp, x, y, dy, *, ksize, strides, padding, explicit_paddings, data_format, dilations):
        win = window(max_name + "Grad", x.shape, ksize, strides, padding, explicit_paddings, data_format,
                     dilations, False)
        dx = xp.zeros(win.padded_shape(x.shape), dtype=dy.dtype)
        overlapping = _overlapping(win)
        for index, mask in _first_max_masks(xp, x, y, win):
            if overlapping:
                dx[index] += dy * mask
            else:
                xp.multiply(dy, mask, out=dx[index])
        return dx[win.crop(x.shape)]

    def max_grad_grad(xp, x, y, g, *, ksize, strides, padding, explicit_paddings, data_format, dilations):
        win = window(max_name + "GradGrad", x.shape, ksize, strides, padding, explicit_paddings, data_format,
                     dilations, False)
        gpad = _padded(xp, g, win, 0)
        out = xp.zeros(tuple(win.outs), dtype=g.dtype)
        for index, mask in _first_max_masks(xp, x, y, win):
            out += gpad[index] * mask
        return out

    def avg_forward(xp, x, *, ksize, strides, padding, explicit_paddings, data_format, dilations):
        win = window(avg_name, x.shape, ksize, strides, padding, explicit_paddings, data_format, dilations, True)
        work = xp.float32 if x.dtype.itemsize < 4 else x.dtype
        out = _reduce_windows(xp, _padded(xp, x.astype(work, copy=False), win, 0), win, xp.add)
        counts = _counts(xp, x.shape, win, work)
        out /= counts if counts is not None else math.prod(win.ksize)
        return out.astype(x.dtype, copy=False)

    def avg_grad(xp, sizes, dy, *, ksize, strides, padding, explicit_paddings, data_format, dilations):
        shape = tuple(int(v) for v in sizes.tolist())
        win = window(avg_name + "Grad", shape, ksize, strides, padding, explicit_paddings, data_format,
                     dilations, True)
        work = xp.float32 if dy.dtype.itemsize < 4 else dy.dtype
        counts = _counts(xp, shape, win, work)
        share = dy.astype(work) / (counts if counts is not None else math.prod(win.ksize))
        dx = xp.zeros(win.padded_shape(shape), dtype=work)
        for _, index in win.taps():
            dx[index] += share
        return dx[win.crop(shape)].astype(dy.dtype, copy=False)

    max_op = register(max_name, max_forward, infer=_pool_infer)
    max_grad_op = register(max_name + "Grad", max_grad, infer=lambda x, y, dy, **attrs: [(x[0], dy[1])])
    max_grad_grad_op = register(max_name + "GradGrad", max_grad_grad, infer=lambda x, y, g, **attrs: [(y[0], g[1])])
    avg_op = register(avg_name, avg_forward, infer=_pool_infer)
    avg_grad_op = register(avg_name + "Grad", avg_grad, infer=sized_output_infer)

    # The gradient ops take the pooled output too (as TF's MaxPoolGrad does) so as not to recompute it.
    @max_op.def_grad
    def _max_pool_grad(entry, dy):
        return (execute(max_grad_op, (entry.inputs[0], entry.outputs[0], dy), entry.attrs),)

    @max_grad_op.def_grad
    def _max_pool_grad_grad(entry, g):
        x, y, _ = entry.inputs
        return None, None, execute(max_grad_grad_op, (x, y, g), entry.attrs)

    @max_grad_grad_op.def_grad
    def _max_pool_grad_grad_grad(entry, g):
        x, y, _ = entry.inputs
        return None, None, execute(max_grad_op, (x, y, g), entry.attrs)

    @avg_op.def_grad
    def _avg_pool_grad(entry, dy):
        x = entry.inputs[0]
        return (with_static_shape(execute(avg_grad_op, (array_ops.shape(x), dy), entry.attrs), x),)

    @avg_grad_op.def_grad
    def _avg_pool_grad_grad(entry, g):
        return None, execute(avg_op, (g,), entry.attrs)

    return max_op, max_grad_op, avg_op


MaxPool, MaxPoolGrad, AvgPool = _declare_pools("MaxPool", "AvgPool", 2)
MaxPool3D, MaxPool3DGrad, AvgPool3D = _declare_pools("MaxPool3D", "AvgPool3D", 3)


def _argmax_forward(xp, x, *, ksize, strides, padding, output_dtype, include_batch_in_index):
    win = _window("MaxPoolWithArgmax", x.shape, ksize, strides, padding, (), "NHWC", (1,) * 4, 2, False)
    if ksize[3] != 1:
        raise invalid_arg("MaxPoolWithArgmax", "Depthwise max pooling is not supported by MaxPoolWithArgmax")
    best, idx = _argmax_taps(xp, x, win)
    b, h, w, c = x.shape
    (_, oh, ow, _), (_, kw) = best.shape, win.ksize[1:3]
    (lo_h, _), (lo_w, _) = win.pads[1], win.pads[2]
    row = xp.arange(oh).reshape(1, oh, 1, 1) * win.strides[1] + idx // kw - lo_h
    col = xp.arange(ow).reshape(1, 1, ow, 1) * win.strides[2] + idx % kw - lo_w
    flat = (row.astype(xp.int64) * w + col) * c + xp.arange(c)
    if include_batch_in_index:
        flat = flat + xp.arange(b).reshape(b, 1, 1, 1) * (h * w * c)
    return best, flat.astype(output_dtype)


def _argmax_infer(x, *, ksize, strides, padding, output_dtype, include_batch_in_index):
    shape = _pool_output_shape(x[0], ksize, strides, padding, (), (1,) * len(ksize))
    return [(shape, x[1]), (shape, dtypes.from_numpy(output_dtype))]


MaxPoolWithArgmax = register("MaxPoolWithArgmax", _argmax_forward, num_outputs=2, infer=_argmax_infer)


@MaxPoolWithArgmax.def_grad
def _argmax_grad(entry, dy, _):
    attrs = entry.attrs
    return (execute(MaxPoolGrad, (entry.inputs[0], entry.outputs[0], dy),
                    {"ksize": attrs["ksize"], "strides": attrs["strides"], "padding": attrs["padding"],
                     "explicit_paddings": (), "data_format": "NHWC", "dilations": (1, 1, 1, 1)}),)


# ---------------------------------------------------------------------------------------------------------
# Public API


def _input(op_name: str, x: Any, allowed: tuple) -> Tensor:
    x = to_tensor(x)
    if x.dtype.name not in allowed:
        check_dtype(op_name, x, allowed)
    return x


def _layout(data_format: Any, n: int) -> str:
    if data_format is None:
        return _LAYOUTS[n][0]
    if isinstance(data_format, bytes):
        data_format = data_format.decode()
    if data_format not in _LAYOUTS[n]:
        raise ValueError(f"`data_format` must be one of {', '.join(_LAYOUTS[n])}. Received: "
                         f"data_format={data_format}")
    return data_format


def _pool(op, op_name: str, x: Any, ksize: Any, strides: Any, padding: Any, data_format: str, n: int,
          allowed: tuple, allow_explicit: bool, dilations: tuple | None = None) -> Tensor:
    x = _input(op_name, x, allowed)
    cf = data_format.startswith("NC")
    pad, explicit = padding_attrs(padding, n, allow_explicit=allow_explicit, op_name=op_name)
    attrs = {"ksize": full_sequence(ksize, n, cf, "ksize"), "strides": full_sequence(strides, n, cf, "strides"),
             "padding": pad, "explicit_paddings": explicit, "data_format": data_format,
             "dilations": dilations or (1,) * (n + 2)}
    return execute(op, (x,), attrs)


def _pool1d(op, op_name: str, x: Any, ksize: Any, strides: Any, padding: Any, data_format: str, allowed: tuple,
            dilations: tuple | None = None) -> Tensor:
    """1-D pooling as TF does it: a 2-D pool over a height-1 image."""
    cf = data_format == "NCW"
    axis = 2 if cf else 1
    k = full_sequence(ksize, 1, cf, "ksize")
    s = full_sequence(strides, 1, cf, "strides")
    d = full_sequence(dilations, 1, cf, "dilations") if dilations else (1, 1, 1)
    x = array_ops.expand_dims(_input(op_name, x, allowed), axis)
    y = _pool(op, op_name, x, k[:axis] + (1,) + k[axis:], s[:axis] + (1,) + s[axis:], padding,
              "NCHW" if cf else "NHWC", 2, allowed, op is MaxPool, d[:axis] + (1,) + d[axis:])
    return array_ops.squeeze(y, [axis])


@export("nn.max_pool2d")
def max_pool2d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
               name: str | None = None) -> Tensor:
    """2-D max pooling; ``ksize``/``strides`` are an int or lists of 1, 2 or 4 ints.

    ``padding`` may be ``"SAME"``, ``"VALID"`` or explicit pairs; padded positions never win the max.
    """
    return _pool(MaxPool, "MaxPool", input, ksize, strides, padding, _layout(data_format, 2), 2, _MAX_POOL_TYPES,
                 True)


@export("nn.max_pool1d")
def max_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",
               name: str | None = None) -> Tensor:
    """1-D max pooling over ``[batch, width, channels]``."""
    return _pool1d(MaxPool, "MaxPool", input, ksize, strides, padding, _layout(data_format, 1), _MAX_POOL_TYPES)


@export("nn.max_pool3d")
def max_pool3d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NDHWC",
               name: str | None = None) -> Tensor:
    """3-D max pooling over ``[batch, depth, height, width, channels]``."""
    return _pool(MaxPool3D, "MaxPool3D", input, ksize, strides, padding, _layout(data_format, 3), 3,
                 _MAX_POOL_3D_TYPES, False)


@export("nn.avg_pool2d")
def avg_pool2d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
               name: str | None = None) -> Tensor:
    """2-D average pooling; with SAME padding each output divides by the number of real inputs it covers."""
    return _pool(AvgPool, "AvgPool", input, ksize, strides, padding, _layout(data_format, 2), 2, _AVG_POOL_TYPES,
                 False)


@export("nn.avg_pool1d")
def avg_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",
               name: str | None = None) -> Tensor:
    """1-D average pooling over ``[batch, width, channels]``."""
    return _pool1d(AvgPool, "AvgPool", input, ksize, strides, padding, _layout(data_format, 1), _AVG_POOL_TYPES)


@export("nn.avg_pool3d")
def avg_pool3d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NDHWC",
               name: str | None = None) -> Tensor:
    """3-D average pooling over ``[batch, depth, height, width, channels]``."""
    return _pool(AvgPool3D, "AvgPool3D", input, ksize, strides, padding, _layout(data_format, 3), 3,
                 _AVG_POOL_TYPES, False)


def _spatial_rank(x: Tensor, data_format: Any) -> int:
    rank = x.shape.rank
    if rank is None:
        if data_format is None or len(data_format) not in (3, 4, 5):
            raise ValueError("`input` must have a static shape or a data format. Received: "
                             f"input.shape={x.shape} and data_format={data_format}")
        return len(data_format) - 2
    n = rank - 2
    if n not in (1, 2, 3):
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={x.shape} of rank {rank}")
    return n


@export("nn.max_pool")
def max_pool(input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any = None,
             name: str | None = None) -> Tensor:
    """N-D max pooling (N from the input's rank). ``ksize = [1, 1, 1, k]`` pools across channels."""
    x = to_tensor(input)
    n = _spatial_rank(x, data_format)
    fn = {1: max_pool1d, 2: max_pool2d, 3: max_pool3d}[n]
    return fn(x, ksize, strides, padding, _layout(data_format, n))


@export("nn.avg_pool")
def avg_pool(input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any = None,
             name: str | None = None) -> Tensor:
    """N-D average pooling (N from the input's rank)."""
    x = to_tensor(input)
    n = _spatial_rank(x, data_format)
    fn = {1: avg_pool1d, 2: avg_pool2d, 3: avg_pool3d}[n]
    return fn(x, ksize, strides, padding, _layout(data_format, n))


def _array_text(values: tuple) -> str:
    return "[" + " ".join(str(v) for v in values) + "]"


@export("nn.pool")
def pool(input: Any, window_shape: Any, pooling_type: str, strides: Any = None, padding: str = "VALID",
         data_format: Any = None, dilations: Any = None, name: str | None = None) -> Tensor:
    """N-D max or average pooling with optional dilation (``dilations > 1`` needs VALID padding, stride 1).

    Raises:
        ValueError: an unknown ``pooling_type``, a rank that doesn't match ``window_shape``, SAME padding or
            strides combined with dilation.
    """
    x = to_tensor(input)
    window = [int(v) for v in window_shape]
    n = len(window)
    if pooling_type not in ("MAX", "AVG"):
        raise ValueError(f"{n}-D {pooling_type} pooling is not supported.")
    if x.shape.rank is not None and x.shape.rank != n + 2:
        raise ValueError(f"Shape {tuple(x.shape.as_list())} must have rank {n + 2}")
    strides = [1] * n if strides is None else [int(v) for v in strides]
    dilations = [1] * n if dilations is None else [int(v) for v in dilations]
    if any(d > 1 for d in dilations):
        if padding == "SAME":
            raise ValueError("pooling with 'SAME' padding is not implemented for `dilation_rate` > 1. Received: "
                             f"padding={padding} and dilation_rate={_array_text(dilations)}")
        if any(s > 1 for s in strides):
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                             f"strides={_array_text(strides)} and dilation_rate={_array_text(dilations)}")
    data_format = _layout(data_format, n)
    cf = data_format.startswith("NC")
    full_d = full_sequence(dilations, n, cf, "dilations")
    if n == 1:
        op = MaxPool if pooling_type == "MAX" else AvgPool
        types = _MAX_POOL_TYPES if pooling_type == "MAX" else _AVG_POOL_TYPES
        return _pool1d(op, op.name, x, window, strides, padding, data_format, types, dilations)
    if pooling_type == "MAX":
        op, types = (MaxPool, _MAX_POOL_TYPES) if n == 2 else (MaxPool3D, _MAX_POOL_3D_TYPES)
    else:
        op, types = (AvgPool, _AVG_POOL_TYPES) if n == 2 else (AvgPool3D, _AVG_POOL_TYPES)
    return _pool(op, op.name, x, window, strides, padding, data_format, n, types, False, full_d)


@export("nn.max_pool_with_argmax")
def max_pool_with_argmax(input: Any, ksize: Any, strides: Any, padding: str, data_format: str = "NHWC",
                         output_dtype: Any = dtypes.int64, include_batch_in_index: bool = False,
                         name: str | None = None) -> tuple[Tensor, Tensor]:
    """2-D max pooling that also returns where each maximum came from.

    The index of ``[b, y, x, c]`` is ``((b * height + y) * width + x) * channels + c``, without the batch term
    unless ``include_batch_in_index``; ties go to the first element in row-major order.

    Returns:
        ``(output, argmax)``, argmax of ``output_dtype`` (int64 or int32).
    """
    if data_format != "NHWC":
        raise ValueError("`data_format` values other  than 'NHWC' are not supported. Received: "
                         f"data_format={data_format}")
    x = _input("MaxPoolWithArgmax", input, _ARGMAX_TYPES)
    output_dtype = dtypes.as_dtype(output_dtype)
    if output_dtype not in (dtypes.int32, dtypes.int64):
        raise InvalidArgumentError(None, None, f"Value for attr 'Targmax' of {output_dtype.name} is not in the "
                                               "list of allowed values: int32, int64 [Op:MaxPoolWithArgmax]")
    pad, _ = padding_attrs(padding, 2, allow_explicit=False, op_name="MaxPoolWithArgmax")
    attrs = {"ksize": full_sequence(ksize, 2, False, "ksize"), "strides": full_sequence(strides, 2, False, "strides"),
             "padding": pad, "output_dtype": output_dtype._np, "include_batch_in_index": bool(include_batch_in_index)}
    return execute(MaxPoolWithArgmax, (x,), attrs)
