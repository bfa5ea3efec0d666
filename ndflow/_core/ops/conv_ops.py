"""Convolutions (``tf.nn.conv1d/2d/3d``, transposed, depthwise, separable, atrous) and their gradient ops.

Kernels work channels-last. A convolution copies its input windows out of one strided view (im2col, no
Python loops over pixels; inputs with at most three channels are gathered tap by tap instead) and contracts
them with the filter in a single BLAS matrix product. The input gradient multiplies the output gradient by
each tap's filter slice and scatter-adds the results back, one strided add per filter tap (col2im). Each
convolution comes as three ops — forward, input gradient, filter gradient — that are each other's
gradients, because all three are bilinear in their two tensor operands; second-order gradients work.
"""
from __future__ import annotations

import itertools
import math
from typing import Any

from .. import dtypes
from ..errors import InvalidArgumentError, UnimplementedError
from ..export import export
from ..shape import TensorShape
from ..tensor import EagerTensor, Tensor
from . import array_ops
from ._helpers import check_dtype, execute, invalid_arg, is_symbolic, register, shape_text, static_shape, to_tensor
from .math_ops import _expect_dtype

_CONV2D_TYPES = ("float16", "bfloat16", "float32", "float64", "int32")
_CONV3D_TYPES = ("float16", "bfloat16", "float32", "float64")
_PADDINGS = ("SAME", "VALID", "EXPLICIT")
_CHANNELS_LAST = {1: "NWC", 2: "NHWC", 3: "NDHWC"}
_CHANNELS_FIRST = {1: "NCW", 2: "NCHW", 3: "NCDHW"}


# ---------------------------------------------------------------------------------------------------------
# Geometry shared by the kernels (also used by pooling_ops)


def spatial(values: tuple, channels_first: bool) -> tuple:
    """The spatial entries of a full-rank attribute (strides, dilations, shape) in either layout."""
    return tuple(values[2:]) if channels_first else tuple(values[1:-1])


def output_geometry(op_name: str, sizes: tuple, ksize: tuple, strides: tuple, dilations: tuple, padding: str,
                    explicit: tuple) -> tuple[list, list]:
    """Output size and ``(before, after)`` padding per spatial dim, as TF computes them.

    SAME pads ``max((out - 1) * stride + effective_k - n, 0)`` in total, the odd element at the end.

    Raises:
        InvalidArgumentError: a dim whose output size would be negative.
    """
    outs, pads = [], []
    for i, (n, k, s, d) in enumerate(zip(sizes, ksize, strides, dilations)):
        eff = (k - 1) * d + 1
        if padding == "SAME":
            out = -(-n // s)
            total = max((out - 1) * s + eff - n, 0)
            lo, hi = total // 2, total - total // 2
        else:
            lo, hi = explicit[i] if padding == "EXPLICIT" else (0, 0)
            num = n + lo + hi - eff + s
            out = int(num / s)  # C++ division truncates toward zero
            if out < 0:
                raise invalid_arg(op_name, f"Computed output size would be negative: {out} [input_size: {n}, "
                                           f"effective_filter_size: {eff}, stride: {s}]")
        outs.append(out)
        pads.append((lo, hi))
    return outs, pads


def static_output_size(op_name: str, n: int | None, k: int | None, stride: int, dilation: int, padding: str,
                       pad: tuple) -> int | None:
    """One output dim for shape inference: None when the input or window size is unknown, or when the
    call is invalid (the kernel reports that when it runs)."""
    if n is None or k is None:
        return None
    try:
        outs, _ = output_geometry(op_name, (n,), (k,), (stride,), (dilation,), padding, (pad,))
    except InvalidArgumentError:
        return None
    return outs[0]


def explicit_pairs(explicit_paddings: tuple, channels_first: bool) -> tuple:
    """Spatial ``(before, after)`` pairs from TF's flat ``explicit_paddings`` attribute."""
    pairs = tuple(zip(explicit_paddings[::2], explicit_paddings[1::2]))
    return spatial(pairs, channels_first) if pairs else ()


def padded(xp, x, pads: list, fill: Any = 0):
    """``x`` (channels-last, batch first) with spatial padding ``pads``; ``x`` itself when there is none."""
    if not any(lo or hi for lo, hi in pads):
        return x
    shape = (x.shape[0],) + tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[1:-1], pads)) + (x.shape[-1],)
    out = xp.full(shape, fill, dtype=x.dtype)
    out[(slice(None),) + tuple(slice(lo, lo + n) for n, (lo, _) in zip(x.shape[1:-1], pads))] = x
    return out


def tap_slices(offsets: tuple, outs: list, strides: tuple, dilations: tuple) -> tuple:
    """The index selecting, for every output position, the input element under filter tap ``offsets``."""
    return (slice(None),) + tuple(slice(o * d, o * d + s * (n - 1) + 1, s)
                                  for o, n, s, d in zip(offsets, outs, strides, dilations)) + (slice(None),)


def _windows(xp, x, ksize: tuple, outs: list, strides: tuple, dilations: tuple):
    """A strided view ``[batch, *outs, *ksize, channels]`` of every filter window of padded ``x``."""
    st = x.strides
    nd = len(ksize)
    shape = (x.shape[0], *outs, *ksize, x.shape[-1])
    steps = (st[0], *(st[1 + i] * strides[i] for i in range(nd)), *(st[1 + i] * dilations[i] for i in range(nd)),
             st[-1])
    return xp.lib.stride_tricks.as_strided(x, shape, steps)  # read only: never written through


def _columns(xp, x, ksize, outs, strides, dilations, pads):
    """The im2col matrix ``[batch * prod(outs), prod(ksize) * channels]`` (one copy of the window view).

    One matrix and one product per convolution, not cache-sized blocks: on a busy machine every call into a
    multi-threaded BLAS pays a synchronisation that can cost more than the product itself.
    """
    n = x.shape[0] * math.prod(outs)
    if all(k == 1 for k in ksize) and not any(lo or hi for lo, hi in pads):
        picked = x[(slice(None),) + tuple(slice(None, s * (o - 1) + 1 if o else 0, s)
                                          for s, o in zip(strides, outs))]
        return picked.reshape(n, x.shape[-1])
    view = _windows(xp, padded(xp, x, pads), ksize, outs, strides, dilations)
    return view.reshape(n, math.prod(ksize) * x.shape[-1])


def _compute_dtype(xp, dtype):
    """Half-precision inputs are computed in float32 (NumPy has no fast half matmul)."""
    return xp.float32 if dtype.itemsize < 4 and dtype.kind in "fV" else None


def _to_channels_last(xp, x, channels_first):
    return xp.moveaxis(x, 1, -1) if channels_first else x


def _from_channels_last(xp, y, channels_first):
    return xp.ascontiguousarray(xp.moveaxis(y, -1, 1)) if channels_first else y


# ---------------------------------------------------------------------------------------------------------
# Regular (optionally grouped) convolution kernels; arrays are channels-last here.


# With few channels the window view's innermost runs are a channel or two long, which makes its copy slow;
# those inputs are gathered tap by tap instead, into the transposed (tap-major) column matrix.
_TAP_MAJOR_MAX_CHANNELS = 3


def _tap_major_columns(xp, x, ksize, outs, strides, dilations, pads):
    """The transposed im2col matrix ``[prod(ksize) * channels, batch * prod(outs)]``, one copy per tap."""
    xpad = padded(xp, x, pads)
    c = x.shape[-1]
    cols = xp.empty((math.prod(ksize), c, x.shape[0], *outs), dtype=x.dtype)
    for t, offsets in enumerate(itertools.product(*(range(k) for k in ksize))):
        cols[t] = xp.moveaxis(xpad[tap_slices(offsets, outs, strides, dilations)], -1, 0)
    return cols.reshape(math.prod(ksize) * c, -1)


def _conv(xp, x, w, outs, strides, dilations, pads):
    nd = w.ndim - 2
    ksize, (cg, o) = w.shape[:nd], w.shape[-2:]
    groups = x.shape[-1] // cg
    if groups == 1 and cg <= _TAP_MAJOR_MAX_CHANNELS:
        y = _tap_major_columns(xp, x, ksize, outs, strides, dilations, pads).T @ w.reshape(-1, o)
        return y.reshape(x.shape[0], *outs, o)
    cols = _columns(xp, x, ksize, outs, strides, dilations, pads)
    if groups == 1:
        y = cols @ w.reshape(-1, o)
    else:
        n = cols.shape[0]
        kk, og = math.prod(ksize), o // groups
        cols = cols.reshape(n, kk, groups, cg).transpose(2, 0, 1, 3).reshape(groups, n, kk * cg)
        wg = w.reshape(kk, cg, groups, og).transpose(2, 0, 1, 3).reshape(groups, kk * cg, og)
        y = (cols @ wg).transpose(1, 0, 2).reshape(n, o)
    return y.reshape(x.shape[0], *outs, o)


def _conv_input_grad(xp, in_shape, w, dy, outs, strides, dilations, pads):
    nd = w.ndim - 2
    ksize, (cg, o) = w.shape[:nd], w.shape[-2:]
    c = in_shape[-1]
    groups = c // cg
    kk = math.prod(ksize)
    dx = xp.zeros((in_shape[0],) + tuple(n + lo + hi for n, (lo, hi) in zip(in_shape[1:-1], pads)) + (c,),
                  dtype=dy.dtype)
    n = dy.size // o
    if groups == 1:
        # one product per tap, [taps, n, c], so that each tap's block is contiguous for the scatter
        per_tap = xp.matmul(dy.reshape(1, n, o), w.reshape(kk, c, o).transpose(0, 2, 1))
    else:
        og = o // groups
        dyg = dy.reshape(n, groups, og).transpose(1, 0, 2)
        wg = w.reshape(kk, cg, groups, og).transpose(2, 0, 1, 3).reshape(groups, kk * cg, og)
        per_tap = (dyg @ wg.transpose(0, 2, 1)).reshape(groups, n, kk, cg).transpose(2, 1, 0, 3)
    _add_taps(dx, per_tap.reshape(kk, in_shape[0], *outs, c), ksize, outs, strides, dilations)
    return _crop(dx, in_shape, pads)


def _add_taps(dx, per_tap, ksize, outs, strides, dilations):
    """Adds ``per_tap[tap]`` (``[batch, *outs, channels]`` each) onto the padded input positions each tap
    read (col2im); taps in row-major order."""
    for t, offsets in enumerate(itertools.product(*(range(k) for k in ksize))):
        dx[tap_slices(offsets, outs, strides, dilations)] += per_tap[t]


def _crop(dx, in_shape, pads):
    """The unpadded part of a padded, channels-last gradient."""
    if not any(lo or hi for lo, hi in pads):
        return dx
    return dx[(slice(None),) + tuple(slice(lo, lo + n) for n, (lo, _) in zip(in_shape[1:-1], pads))]


def _conv_filter_grad(xp, x, w_shape, dy, outs, strides, dilations, pads):
    nd = len(w_shape) - 2
    ksize, (cg, o) = tuple(w_shape[:nd]), w_shape[-2:]
    groups = x.shape[-1] // cg
    n = dy.size // o
    if groups == 1 and cg <= _TAP_MAJOR_MAX_CHANNELS:
        cols_t = _tap_major_columns(xp, x, ksize, outs, strides, dilations, pads)
        return (cols_t @ dy.reshape(n, o)).reshape(w_shape)
    cols = _columns(xp, x, ksize, outs, strides, dilations, pads)
    if groups == 1:
        return (cols.T @ dy.reshape(n, o)).reshape(w_shape)
    kk, og = math.prod(ksize), o // groups
    cols = cols.reshape(n, kk, groups, cg).transpose(2, 1, 3, 0).reshape(groups, kk * cg, n)
    dyg = dy.reshape(n, groups, og).transpose(1, 0, 2)
    return (cols @ dyg).reshape(groups, kk, cg, og).transpose(1, 2, 0, 3).reshape(w_shape)


# ---------------------------------------------------------------------------------------------------------
# Depthwise kernels: filter [*k, channels, multiplier], output channel c * multiplier + m.


def _depthwise(xp, x, w, outs, strides, dilations, pads):
    ksize, (c, m) = w.shape[:-2], w.shape[-2:]
    xpad = padded(xp, x, pads)
    y = xp.zeros((x.shape[0], *outs, c, m), dtype=x.dtype)
    for offsets in itertools.product(*(range(k) for k in ksize)):
        y += xpad[tap_slices(offsets, outs, strides, dilations)][..., None] * w[offsets]
    return y.reshape(x.shape[0], *outs, c * m)


def _depthwise_input_grad(xp, in_shape, w, dy, outs, strides, dilations, pads):
    ksize, (c, m) = w.shape[:-2], w.shape[-2:]
    dy = dy.reshape(*dy.shape[:-1], c, m)
    full = (in_shape[0],) + tuple(n + lo + hi for n, (lo, hi) in zip(in_shape[1:-1], pads)) + (c,)
    dx = xp.zeros(full, dtype=dy.dtype)
    for offsets in itertools.product(*(range(k) for k in ksize)):
        dx[tap_slices(offsets, outs, strides, dilations)] += (dy * w[offsets]).sum(axis=-1)
    return _crop(dx, in_shape, pads)


def _depthwise_filter_grad(xp, x, w_shape, dy, outs, strides, dilations, pads):
    ksize, (c, m) = tuple(w_shape[:-2]), w_shape[-2:]
    xpad = padded(xp, x, pads)
    n = dy.size // (c * m)
    dy = dy.reshape(n, c, m)
    dw = xp.empty(tuple(w_shape), dtype=dy.dtype)
    for offsets in itertools.product(*(range(k) for k in ksize)):
        taps = xpad[tap_slices(offsets, outs, strides, dilations)].reshape(n, c)
        dw[offsets] = xp.einsum("nc,ncm->cm", taps, dy)
    return dw


# ---------------------------------------------------------------------------------------------------------
# Op declarations: each family is (forward, input gradient, filter gradient).


class _Family:
    """Names and validation rules of one convolution family."""

    def __init__(self, forward_name: str, input_name: str, filter_name: str, rank: int, depthwise: bool,
                 grouped: bool) -> None:
        self.forward_name, self.input_name, self.filter_name = forward_name, input_name, filter_name
        self.rank, self.depthwise, self.grouped = rank, depthwise, grouped


def _check_attrs(op_name: str, strides: tuple, dilations: tuple, explicit_paddings: tuple,
                 channels_first: bool) -> None:
    batch_channel = (0, 1) if channels_first else (0, len(strides) - 1)
    # TF's 2-D kernels call this unimplemented; its 3-D kernel calls it an invalid argument
    error = InvalidArgumentError if op_name.startswith("Conv3D") else UnimplementedError
    if any(strides[i] != 1 for i in batch_channel):
        raise error(None, None, "Current implementation does not yet support strides in the batch and depth "
                                f"dimensions. [Op:{op_name}]")
    if any(s < 1 for s in strides):
        raise invalid_arg(op_name, "Row and column strides should be larger than 0.")
    if any(dilations[i] != 1 for i in batch_channel):
        raise error(None, None, "Current implementation does not yet support dilations in the batch and depth "
                                f"dimensions. [Op:{op_name}]")
    if any(d < 1 for d in dilations):
        raise invalid_arg(op_name, "Dilated rates should be larger than 0.")
    if explicit_paddings:
        if any(p < 0 for p in explicit_paddings):
            raise invalid_arg(op_name, "All elements of explicit_paddings must be nonnegative")
        if any(explicit_paddings[2 * i] or explicit_paddings[2 * i + 1] for i in batch_channel):
            raise invalid_arg(op_name, "Nonzero explicit padding in the batch or depth dimensions is not "
                                       "supported")


def _check_ranks(fam: _Family, op_name: str, x_shape: tuple, w_shape: tuple) -> None:
    n = fam.rank + 2
    if len(x_shape) != n:
        raise invalid_arg(op_name, f"convolution input must be {n}-dimensional: {shape_text(x_shape)}"
                          if fam.rank == 2 else f"input must be {n}-dimensional")
    if len(w_shape) != n:
        raise invalid_arg(op_name, f"convolution filter must be {n}-dimensional: {shape_text(w_shape)}"
                          if fam.rank == 2 else f"filter must be {n}-dimensional")


def _check_operands(fam: _Family, op_name: str, in_shape: tuple, w_shape: tuple) -> None:
    """Depth rules; ``in_shape`` is channels-last."""
    c, cg, o = in_shape[-1], w_shape[-2], w_shape[-1]
    if fam.depthwise:
        if c != cg:
            raise invalid_arg(op_name, f"input and filter must have the same depth: {c} vs {cg}")
        return
    if cg == 0 or c % cg:
        word = "input" if fam.rank == 2 else "Input"
        raise invalid_arg(op_name, f"{word} depth must be evenly divisible by filter depth: {c} vs {cg}")
    if c != cg and not fam.grouped:
        raise invalid_arg(op_name, f"Number of channels in filter ({cg}) must match last dimension of input "
                                   f"({c})")
    if o % (c // cg):
        raise invalid_arg(op_name, f"output depth must be evenly divisible by number of groups: {o} vs {c // cg}")


def _geometry(fam: _Family, op_name: str, in_shape: tuple, w_shape: tuple, strides, padding, explicit_paddings,
              data_format, dilations):
    """Validates; returns channels-first flag, spatial strides/dilations, output sizes and paddings."""
    channels_first = data_format.startswith("NC")
    _check_attrs(op_name, strides, dilations, explicit_paddings, channels_first)
    sizes = spatial(in_shape, channels_first)
    ksize = tuple(w_shape[:fam.rank])
    s, d = spatial(strides, channels_first), spatial(dilations, channels_first)
    outs, pads = output_geometry(op_name, sizes, ksize, s, d, padding,
                                 explicit_pairs(explicit_paddings, channels_first))
    return channels_first, s, d, outs, pads


def sized_output_infer(sizes, *operands, **attrs):
    """Static rule for ops whose output shape is given by an int ``sizes`` tensor: known rank, unknown dims.

    Callers that know the shape statically narrow it with ``with_static_shape``.
    """
    n = sizes[0].dims[0] if sizes[0].rank == 1 else None
    return [(TensorShape(None if n is None else [None] * n), operands[-1][1])]


def with_static_shape(out: Tensor, like: Any) -> Tensor:
    """Narrows a symbolic result's static shape to ``like``'s (a tensor or a list of ints), where known."""
    if isinstance(out, EagerTensor):
        return out
    shape = like._shape_tuple() if isinstance(like, Tensor) else like
    if shape is not None:
        out.set_shape(list(shape))
    return out


def _conv_output_shape(fam: _Family, x_shape: TensorShape, w_shape: TensorShape, strides, padding,
                       explicit_paddings, data_format, dilations) -> TensorShape:
    """A convolution's static output shape: rank and every dim whose inputs are known."""
    n = fam.rank + 2
    if x_shape.rank not in (None, n) or w_shape.rank not in (None, n):
        return TensorShape(None)  # the kernel reports the bad rank when it runs
    cf = data_format.startswith("NC")
    xs = x_shape.as_list() if x_shape.rank is not None else [None] * n
    ws = w_shape.as_list() if w_shape.rank is not None else [None] * n
    pads = explicit_pairs(explicit_paddings, cf) or ((0, 0),) * fam.rank
    outs = [static_output_size(fam.forward_name, size, k, s, d, padding, pad)
            for size, k, s, d, pad in zip(spatial(xs, cf), ws[:fam.rank], spatial(strides, cf),
                                          spatial(dilations, cf), pads)]
    if fam.depthwise:
        channels = ws[-2] if ws[-2] is not None else (xs[1] if cf else xs[-1])
        depth = None if channels is None or ws[-1] is None else channels * ws[-1]
    else:
        depth = ws[-1]
    return TensorShape([xs[0], depth, *outs] if cf else [xs[0], *outs, depth])


def _declare(fam: _Family, conv, input_grad, filter_grad):
    """Registers the three ops of a family with their mutual gradients."""

    def forward(xp, x, w, *, strides, padding, explicit_paddings, data_format, dilations):
        _check_ranks(fam, fam.forward_name, x.shape, w.shape)
        in_shape = (x.shape[0], *x.shape[2:], x.shape[1]) if data_format.startswith("NC") else x.shape
        _check_operands(fam, fam.forward_name, in_shape, w.shape)
        cf, s, d, outs, pads = _geometry(fam, fam.forward_name, x.shape, w.shape, strides, padding,
                                         explicit_paddings, data_format, dilations)
        work = _compute_dtype(xp, x.dtype)
        xl = _to_channels_last(xp, x, cf)
        y = conv(xp, xl if work is None else xl.astype(work), w if work is None else w.astype(work),
                 outs, s, d, pads)
        return _from_channels_last(xp, y if work is None else y.astype(x.dtype), cf)

    def backprop_input(xp, sizes, w, dy, *, strides, padding, explicit_paddings, data_format, dilations):
        cf = data_format.startswith("NC")
        in_shape = _input_sizes(fam, sizes, w, dy, cf)
        _check_ranks(fam, fam.input_name, in_shape, w.shape)
        last_shape = (in_shape[0], *in_shape[2:], in_shape[1]) if cf else in_shape
        _check_operands(fam, fam.input_name, last_shape, w.shape)
        _, s, d, outs, pads = _geometry(fam, fam.input_name, in_shape, w.shape, strides, padding,
                                        explicit_paddings, data_format, dilations)
        _check_backprop_sizes(fam.input_name, in_shape, w.shape, dy.shape, outs, cf, s, d, fam.rank)
        work = _compute_dtype(xp, w.dtype)
        dyl = _to_channels_last(xp, dy, cf)
        dx = input_grad(xp, last_shape, w if work is None else w.astype(work),
                        dyl if work is None else dyl.astype(work), outs, s, d, pads)
        return _from_channels_last(xp, dx if work is None else dx.astype(w.dtype), cf)

    def backprop_filter(xp, x, sizes, dy, *, strides, padding, explicit_paddings, data_format, dilations):
        cf = data_format.startswith("NC")
        w_shape = tuple(int(v) for v in sizes.tolist())
        _check_ranks(fam, fam.filter_name, x.shape, w_shape)
        in_shape = (x.shape[0], *x.shape[2:], x.shape[1]) if cf else x.shape
        _check_operands(fam, fam.filter_name, in_shape, w_shape)
        _, s, d, outs, pads = _geometry(fam, fam.filter_name, x.shape, w_shape, strides, padding,
                                        explicit_paddings, data_format, dilations)
        _check_backprop_sizes(fam.filter_name, x.shape, w_shape, dy.shape, outs, cf, s, d, fam.rank)
        work = _compute_dtype(xp, x.dtype)
        xl, dyl = _to_channels_last(xp, x, cf), _to_channels_last(xp, dy, cf)
        dw = filter_grad(xp, xl if work is None else xl.astype(work), w_shape,
                         dyl if work is None else dyl.astype(work), outs, s, d, pads)
        return dw if work is None else dw.astype(x.dtype)

    def infer(x, w, **attrs):
        return [(_conv_output_shape(fam, x[0], w[0], **attrs), x[1])]

    fwd = register(fam.forward_name, forward, infer=infer)
    bi = register(fam.input_name, backprop_input, infer=sized_output_infer)
    bf = register(fam.filter_name, backprop_filter, infer=sized_output_infer)

    def input_gradient(x, w, dy, attrs):
        return with_static_shape(execute(bi, (array_ops.shape(x), w, dy), attrs), x)

    def filter_gradient(x, w, dy, attrs):
        return with_static_shape(execute(bf, (x, array_ops.shape(w), dy), attrs), w)

    @fwd.def_grad
    def _forward_grad(entry, dy):
        x, w = entry.inputs
        need_x, need_w = entry.needs
        return (input_gradient(x, w, dy, entry.attrs) if need_x else None,
                filter_gradient(x, w, dy, entry.attrs) if need_w else None)

    @bi.def_grad
    def _input_grad_grad(entry, g):
        _, w, dy = entry.inputs
        _, need_w, need_dy = entry.needs
        gw = filter_gradient(g, w, dy, entry.attrs) if need_w else None
        gdy = execute(fwd, (g, w), entry.attrs) if need_dy else None
        return None, gw, gdy

    @bf.def_grad
    def _filter_grad_grad(entry, g):
        x, _, dy = entry.inputs
        need_x, _, need_dy = entry.needs
        gx = input_gradient(x, g, dy, entry.attrs) if need_x else None
        gdy = execute(fwd, (x, g), entry.attrs) if need_dy else None
        return gx, None, gdy

    return fwd, bi, bf


def _input_sizes(fam: _Family, sizes, w, dy, channels_first: bool) -> tuple:
    """``input_sizes`` of a backprop-input op: full rank, or only the spatial dims (TF accepts both)."""
    values = tuple(int(v) for v in sizes.reshape(-1).tolist())
    n = fam.rank + 2
    if len(values) == fam.rank:
        c = w.shape[-2]
        return (dy.shape[0], c, *values) if channels_first else (dy.shape[0], *values, c)
    if len(values) != n:
        raise invalid_arg(fam.input_name, f"{fam.input_name} requires input_sizes to contain {n} values or "
                                          f"{fam.rank} values, but got: {len(values)}")
    return values


def _check_backprop_sizes(op_name, in_shape, w_shape, dy_shape, outs, cf, strides, dilations, rank):
    if len(dy_shape) != rank + 2:
        raise invalid_arg(op_name, f"out_backprop must be {rank + 2}-dimensional")
    dy_sp = spatial(dy_shape, cf)
    for i, (actual, computed) in enumerate(zip(dy_sp, outs)):
        if actual != computed:
            raise invalid_arg(op_name, f"{op_name}: Size of out_backprop doesn't match computed: actual = "
                                       f"{actual}, computed = {computed} spatial_dim: {i + 1} input: "
                                       f"{spatial(in_shape, cf)[i]} filter: {w_shape[i]} output: {actual} "
                                       f"stride: {strides[i]} dilation: {dilations[i]}")
    out_c = dy_shape[1] if cf else dy_shape[-1]
    want = w_shape[-2] * w_shape[-1] if len(w_shape) == rank + 2 and op_name.startswith("Depthwise") \
        else w_shape[-1]
    if out_c != want:
        raise invalid_arg(op_name, f"{op_name}: filter and out_backprop must have the same out_depth")


_CONV2D = _Family("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", 2, False, True)
_CONV3D = _Family("Conv3D", "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2", 3, False, False)
_DEPTHWISE = _Family("DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput",
                     "DepthwiseConv2dNativeBackpropFilter", 2, True, False)

Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter = _declare(_CONV2D, _conv, _conv_input_grad, _conv_filter_grad)
Conv3D, Conv3DBackpropInput, Conv3DBackpropFilter = _declare(_CONV3D, _conv, _conv_input_grad, _conv_filter_grad)
Depthwise, DepthwiseBackpropInput, DepthwiseBackpropFilter = _declare(
    _DEPTHWISE, _depthwise, _depthwise_input_grad, _depthwise_filter_grad)


# ---------------------------------------------------------------------------------------------------------
# Argument normalisation (TF's Python wrappers)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, (list, tuple)) or hasattr(value, "tolist")


def full_sequence(value: Any, n: int, channels_first: bool, name: str) -> tuple:
    """TF's ``_get_sequence``: an int or a list of 1, ``n`` or ``n + 2`` ints as a full-rank tuple.

    Raises:
        ValueError: another length.
    """
    if value is None:
        return (1,) * (n + 2)
    values = [int(v) for v in (value.tolist() if hasattr(value, "tolist") else value)] \
        if _is_sequence(value) else [int(value)]
    if len(values) == n + 2:
        return tuple(values)
    if len(values) == 1:
        values = values * n
    elif len(values) != n:
        shown = list(value) if isinstance(value, tuple) else value
        raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: {name}={shown} of length "
                         f"{len(values)}")
    return (1, 1, *values) if channels_first else (1, *values, 1)


def padding_attrs(padding: Any, n: int, allow_explicit: bool = True, op_name: str = "Conv2D") -> tuple[str, tuple]:
    """``(padding, explicit_paddings)`` attributes from a padding string or a list of ``n + 2`` pairs.

    Raises:
        ValueError: a list of the wrong length.
        TypeError: a list where the op takes only a string.
        InvalidArgumentError: an unknown padding string.
    """
    if isinstance(padding, (list, tuple)):
        if not allow_explicit:
            raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
        if len(padding) != n + 2:
            raise ValueError(f"When padding is a list, it must be of size {n + 2}. Received: padding={padding} of "
                             f"size {len(padding)}")
        flat = []
        for pair in padding:
            if len(pair) != 2:
                raise ValueError(f"When padding is a list, each element of padding must be a list/tuple of size "
                                 f"2. Received: padding={padding}")
            flat.extend(int(p) for p in pair)
        return "EXPLICIT", tuple(flat)
    if isinstance(padding, bytes):
        padding = padding.decode()
    if not isinstance(padding, str):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    allowed = _PADDINGS if allow_explicit else _PADDINGS[:2]
    if padding not in allowed or padding == "EXPLICIT":
        names = ", ".join(f'"{p}"' for p in allowed)
        raise InvalidArgumentError(None, None, f"Value for attr 'padding' of \"{padding}\" is not in the list of "
                                               f"allowed values: {names} [Op:{op_name}]")
    return padding, ()


def _operands(op_name: str, x: Any, w: Any, allowed: tuple) -> tuple[Tensor, Tensor]:
    x = to_tensor(x)
    w = to_tensor(w, dtype=x.dtype) if not isinstance(w, Tensor) and not hasattr(w, "_as_tensor") else to_tensor(w)
    if x.dtype.name not in allowed:
        check_dtype(op_name, x, allowed)
    if w.dtype is not x.dtype:
        _expect_dtype(op_name, 1, w, x.dtype)
    return x, w


def _attrs(strides: tuple, padding: str, explicit: tuple, data_format: str, dilations: tuple) -> dict:
    return {"strides": strides, "padding": padding, "explicit_paddings": explicit, "data_format": data_format,
            "dilations": dilations}


def _data_format(data_format: Any, n: int) -> str:
    """The layout string for ``n`` spatial dims; None means channels-last."""
    if data_format is None:
        return _CHANNELS_LAST[n]
    if isinstance(data_format, bytes):
        data_format = data_format.decode()
    if data_format not in (_CHANNELS_LAST[n], _CHANNELS_FIRST[n]):
        raise ValueError(f"`data_format` must be {_CHANNELS_LAST[n]} or {_CHANNELS_FIRST[n]}. Received: "
                         f"data_format={data_format}")
    return data_format


# ---------------------------------------------------------------------------------------------------------
# Public convolutions


@export("nn.conv2d")
def conv2d(input: Any, filters: Any, strides: Any, padding: Any, data_format: str = "NHWC", dilations: Any = None,
           name: str | None = None) -> Tensor:
    """2-D convolution; ``filters`` is ``[height, width, in_channels / groups, out_channels]``.

    Args:
        input: ``[batch..., height, width, channels]`` (NHWC) or ``[batch, channels, height, width]`` (NCHW).
        strides, dilations: an int or a list of 1, 2 or 4 ints.
        padding: ``"SAME"``, ``"VALID"`` or explicit ``[[0, 0], [top, bottom], [left, right], [0, 0]]``.

    Raises:
        InvalidArgumentError: bad ranks, depths, strides or dtypes (TF's messages).
        ValueError: strides/dilations/padding lists of the wrong length.
    """
    data_format = _data_format(data_format, 2)
    x, w = _operands("Conv2D", input, filters, _CONV2D_TYPES)
    cf = data_format == "NCHW"
    attrs = _attrs(full_sequence(strides, 2, cf, "strides"), *padding_attrs(padding, 2), data_format,
                   full_sequence(dilations, 2, cf, "dilations"))
    shape = x._shape_tuple()
    if not cf and shape is not None and len(shape) > 4:
        return _conv2d_batch_dims(x, w, attrs, shape)
    return execute(Conv2D, (x, w), attrs)


def _conv2d_batch_dims(x: Tensor, w: Tensor, attrs: dict, shape: tuple) -> Tensor:
    """Conv2D over inputs with several leading batch dims: folded into one and unfolded afterwards."""
    flat = array_ops.reshape(x, [-1, *shape[-3:]])
    y = execute(Conv2D, (flat, w), attrs)
    out = y._shape_tuple()
    return array_ops.reshape(y, [*shape[:-3], *out[1:]])


@export("nn.conv1d")
def conv1d(input: Any, filters: Any, stride: Any, padding: Any, data_format: str = "NWC", dilations: Any = None,
           name: str | None = None) -> Tensor:
    """1-D convolution (a Conv2D over a height-1 image, as TF does); ``filters`` is ``[width, in, out]``."""
    data_format = _data_format(data_format, 1)
    cf = data_format == "NCW"
    x, w = _operands("Conv2D", input, filters, _CONV2D_TYPES)
    stride = full_sequence(stride, 1, cf, "stride")
    dilations = full_sequence(dilations, 1, cf, "dilations")
    axis = 2 if cf else 1
    attrs = _attrs(_insert_one(stride, axis), *padding_attrs(padding, 2, allow_explicit=False),
                   "NCHW" if cf else "NHWC", _insert_one(dilations, axis))
    y = execute(Conv2D, (array_ops.expand_dims(x, axis), array_ops.expand_dims(w, 0)), attrs)
    return array_ops.squeeze(y, [axis])


def _insert_one(values: tuple, axis: int) -> tuple:
    return values[:axis] + (1,) + values[axis:]


@export("nn.conv3d")
def conv3d(input: Any, filters: Any, strides: Any, padding: Any, data_format: str = "NDHWC", dilations: Any = None,
           name: str | None = None) -> Tensor:
    """3-D convolution; ``filters`` is ``[depth, height, width, in_channels, out_channels]``.

    Raises:
        TypeError: ``strides``/``dilations`` not lists, or a non-string padding (as TF's op wrapper).
        InvalidArgumentError: bad ranks, depths, strides or dtypes.
    """
    data_format = _data_format(data_format, 3)
    x, w = _operands("Conv3D", input, filters, _CONV3D_TYPES)
    strides = _list_attr(strides, "strides", "conv3d")
    dilations = (1,) * 5 if dilations is None else _list_attr(dilations, "dilations", "conv3d")
    padding, _ = padding_attrs(padding, 3, allow_explicit=False, op_name="Conv3D")
    return execute(Conv3D, (x, w), _attrs(strides, padding, (), data_format, dilations))


def _list_attr(value: Any, name: str, op: str, length: int = 5, op_name: str = "Conv3D") -> tuple:
    """A list-valued attribute passed straight to the op (TF's generated wrappers reject ints)."""
    if not _is_sequence(value):
        raise TypeError(f"Expected list for '{name}' argument to '{op}' Op, not {value!r}.")
    values = tuple(int(v) for v in (value.tolist() if hasattr(value, "tolist") else value))
    if len(values) < length:
        raise invalid_arg(op_name, f"Length for attr '{name}' of {len(values)} must be at least minimum {length}")
    return values


@export("nn.convolution")
def convolution(input: Any, filters: Any, strides: Any = None, padding: str = "VALID", data_format: Any = None,
                dilations: Any = None, name: str | None = None) -> Tensor:
    """N-D convolution (N = 1, 2, 3 from the filter's rank), dispatching to conv1d/conv2d/conv3d.

    Raises:
        ValueError: N outside 1..3.
    """
    w = to_tensor(filters)
    rank = w.shape.rank
    n = rank - 2 if rank is not None else None
    if n not in (1, 2, 3):
        raise ValueError(f"`num_spatial_dims` must be 1, 2, or 3. Received: num_spatial_dims={n}.")
    data_format = _data_format(data_format, n)
    padding_attrs(padding, n, allow_explicit=False, op_name="Conv2D" if n < 3 else "Conv3D")
    if n == 1:
        return conv1d(input, w, 1 if strides is None else strides, padding, data_format, dilations)
    if n == 2:
        return conv2d(input, w, 1 if strides is None else strides, padding, data_format, dilations)
    cf = data_format == "NCDHW"
    return conv3d(input, w, full_sequence(strides, 3, cf, "strides"), padding, data_format,
                  full_sequence(dilations, 3, cf, "dilations"))


# ---------------------------------------------------------------------------------------------------------
# Gradient ops as public functions, and transposed convolutions


def _sizes_tensor(value: Any) -> Tensor:
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        return to_tensor(value)
    if any(is_symbolic(v) for v in value):
        return array_ops.stack([array_ops.cast_to_int32(v) for v in value])
    return to_tensor([int(v) for v in value], dtype=dtypes.int32)


@export("nn.conv2d_backprop_input")
def conv2d_backprop_input(input_sizes: Any, filter: Any = None, out_backprop: Any = None, strides: Any = None,
                          padding: Any = None, use_cudnn_on_gpu: bool = True, data_format: str = "NHWC",
                          dilations: Any = (1, 1, 1, 1), name: str | None = None, filters: Any = None) -> Tensor:
    """Gradient of conv2d with respect to its input (TF1's ``tf.compat.v1.nn.conv2d_backprop_input``)."""
    w = filters if filters is not None else filter
    data_format = _data_format(data_format, 2)
    w, dy = _operands("Conv2DBackpropInput", w, out_backprop, _CONV2D_TYPES)
    cf = data_format == "NCHW"
    attrs = _attrs(full_sequence(strides, 2, cf, "strides"), *padding_attrs(padding, 2), data_format,
                   full_sequence(dilations, 2, cf, "dilations"))
    return _sized(Conv2DBackpropInput, input_sizes, (w, dy), attrs)


def _sized(op, sizes: Any, operands: tuple, attrs: dict, first: bool = True) -> Tensor:
    """Runs a backprop op whose output shape is ``sizes``, keeping that shape statically when it is known."""
    tensor = _sizes_tensor(sizes)
    out = execute(op, (tensor, *operands) if first else (operands[0], tensor, operands[1]), attrs)
    if not isinstance(out, EagerTensor):
        known = static_shape(sizes)
        if known.rank is not None and known.rank == out.shape.rank:
            out.set_shape(known)
    return out


@export("nn.conv2d_backprop_filter")
def conv2d_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any, strides: Any, padding: Any,
                           use_cudnn_on_gpu: bool = True, data_format: str = "NHWC",
                           dilations: Any = (1, 1, 1, 1), name: str | None = None) -> Tensor:
    """Gradient of conv2d with respect to its filter (TF1's ``tf.compat.v1.nn.conv2d_backprop_filter``)."""
    data_format = _data_format(data_format, 2)
    x, dy = _operands("Conv2DBackpropFilter", input, out_backprop, _CONV2D_TYPES)
    cf = data_format == "NCHW"
    attrs = _attrs(full_sequence(strides, 2, cf, "strides"), *padding_attrs(padding, 2), data_format,
                   full_sequence(dilations, 2, cf, "dilations"))
    return _sized(Conv2DBackpropFilter, filter_sizes, (x, dy), attrs, first=False)


@export("nn.conv3d_backprop_filter", "nn.conv3d_backprop_filter_v2")
def conv3d_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any, strides: Any, padding: str,
                           data_format: str = "NDHWC", dilations: Any = (1, 1, 1, 1, 1),
                           name: str | None = None) -> Tensor:
    """Gradient of conv3d with respect to its filter (TF1's ``tf.compat.v1.nn.conv3d_backprop_filter``)."""
    data_format = _data_format(data_format, 3)
    x, dy = _operands("Conv3DBackpropFilterV2", input, out_backprop, _CONV3D_TYPES)
    attrs = _attrs(_list_attr(strides, "strides", "conv3d_backprop_filter_v2", 5, "Conv3DBackpropFilterV2"),
                   padding_attrs(padding, 3, allow_explicit=False, op_name="Conv3DBackpropFilterV2")[0], (),
                   data_format, _list_attr(dilations, "dilations", "conv3d_backprop_filter_v2", 5,
                                           "Conv3DBackpropFilterV2"))
    return _sized(Conv3DBackpropFilter, filter_sizes, (x, dy), attrs, first=False)


@export("nn.conv2d_transpose")
def conv2d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any, padding: Any = "SAME",
                     data_format: str = "NHWC", dilations: Any = None, name: str | None = None) -> Tensor:
    """Transposed 2-D convolution (the input gradient of conv2d); ``filters`` is ``[h, w, out_c, in_c]``.

    ``output_shape`` is ``[batch, height, width, out_c]`` (or just ``[height, width]``).
    """
    data_format = _data_format(data_format, 2)
    cf = data_format == "NCHW"
    w, dy = _operands("Conv2DBackpropInput", filters, input, _CONV2D_TYPES)
    attrs = _attrs(full_sequence(strides, 2, cf, "strides"), *padding_attrs(padding, 2, op_name="Conv2DBackpropInput"),
                   data_format, full_sequence(dilations, 2, cf, "dilations"))
    return _sized(Conv2DBackpropInput, output_shape, (w, dy), attrs)


@export("nn.conv1d_transpose")
def conv1d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any, padding: str = "SAME",
                     data_format: str = "NWC", dilations: Any = None, name: str | None = None) -> Tensor:
    """Transposed 1-D convolution; ``filters`` is ``[width, out_c, in_c]``, ``output_shape`` ``[b, w, c]``."""
    data_format = _data_format(data_format, 1)
    cf = data_format == "NCW"
    axis = 2 if cf else 1
    w, dy = _operands("Conv2DBackpropInput", filters, input, _CONV2D_TYPES)
    sizes = _sizes_tensor(output_shape)
    if is_symbolic(sizes):
        sizes = array_ops.concat([sizes[:axis], [1], sizes[axis:]], 0)
    else:
        values = [int(v) for v in sizes.numpy().tolist()]
        sizes = _sizes_tensor(values[:axis] + [1] + values[axis:])
    attrs = _attrs(_insert_one(full_sequence(strides, 1, cf, "strides"), axis),
                   *padding_attrs(padding, 2, allow_explicit=False, op_name="Conv2DBackpropInput"),
                   "NCHW" if cf else "NHWC", _insert_one(full_sequence(dilations, 1, cf, "dilations"), axis))
    y = _sized(Conv2DBackpropInput, sizes, (array_ops.expand_dims(w, 0), array_ops.expand_dims(dy, axis)), attrs)
    return array_ops.squeeze(y, [axis])


@export("nn.conv3d_transpose")
def conv3d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any, padding: str = "SAME",
                     data_format: str = "NDHWC", dilations: Any = None, name: str | None = None) -> Tensor:
    """Transposed 3-D convolution; ``filters`` is ``[d, h, w, out_c, in_c]``."""
    data_format = _data_format(data_format, 3)
    cf = data_format == "NCDHW"
    w, dy = _operands("Conv3DBackpropInputV2", filters, input, _CONV3D_TYPES)
    attrs = _attrs(full_sequence(strides, 3, cf, "strides"),
                   *padding_attrs(padding, 3, allow_explicit=False, op_name="Conv3DBackpropInputV2"),
                   data_format, full_sequence(dilations, 3, cf, "dilations"))
    return _sized(Conv3DBackpropInput, output_shape, (w, dy), attrs)


@export("nn.conv_transpose")
def conv_transpose(input: Any, filters: Any, output_shape: Any, strides: Any, padding: str = "SAME",
                   data_format: Any = None, dilations: Any = None, name: str | None = None) -> Tensor:
    """Transposed N-D convolution (N from the filter's rank), dispatching to conv1d/2d/3d_transpose."""
    w = to_tensor(filters)
    n = w.shape.rank - 2 if w.shape.rank is not None else None
    if n not in (1, 2, 3):
        raise ValueError(f"`filters` must have rank 3, 4 or 5. Received: filters.shape={w.shape}")
    fn = {1: conv1d_transpose, 2: conv2d_transpose, 3: conv3d_transpose}[n]
    return fn(input, w, output_shape, strides, padding, _data_format(data_format, n), dilations)


@export("nn.atrous_conv2d")
def atrous_conv2d(value: Any, filters: Any, rate: int, padding: str, name: str | None = None) -> Tensor:
    """2-D convolution with holes: ``conv2d`` with stride 1 and dilation ``rate``.

    Raises:
        ValueError: ``rate`` below 1.
    """
    _check_rate(rate)
    return conv2d(value, filters, 1, padding, dilations=rate)


def _check_rate(rate: Any) -> None:
    if int(rate) < 1:
        raise ValueError(f"all values of `dilation_rate` must be positive. Received: dilation_rate=[{rate} {rate}]")


@export("nn.atrous_conv2d_transpose")
def atrous_conv2d_transpose(value: Any, filters: Any, output_shape: Any, rate: int, padding: str,
                            name: str | None = None) -> Tensor:
    """Transposed atrous convolution: ``conv2d_transpose`` with stride 1 and dilation ``rate``."""
    _check_rate(rate)
    return conv2d_transpose(value, filters, output_shape, 1, padding, dilations=rate)


# ---------------------------------------------------------------------------------------------------------
# Depthwise and separable


def _depthwise_attrs(strides: Any, padding: Any, data_format: str, dilations: Any) -> dict:
    cf = data_format == "NCHW"
    strides = _list_attr(strides, "strides", "depthwise_conv2d_native", 4, "DepthwiseConv2dNative")
    return _attrs(strides, *padding_attrs(padding, 2, op_name="DepthwiseConv2dNative"), data_format,
                  full_sequence(dilations, 2, cf, "dilations"))


@export("nn.depthwise_conv2d")
def depthwise_conv2d(input: Any, filter: Any, strides: Any, padding: Any, data_format: Any = None,
                     dilations: Any = None, name: str | None = None) -> Tensor:
    """Per-channel 2-D convolution; ``filter`` is ``[h, w, in_c, multiplier]``, output ``in_c * multiplier``.

    Args:
        strides: a list of 4 ints (the row and column strides may differ).
        dilations: the rate, an int or 2 ints.
    """
    data_format = _data_format(data_format, 2)
    x, w = _operands("DepthwiseConv2dNative", input, filter, _CONV3D_TYPES)
    return execute(Depthwise, (x, w), _depthwise_attrs(strides, padding, data_format, dilations))


@export("nn.depthwise_conv2d_backprop_input")
def depthwise_conv2d_backprop_input(input_sizes: Any, filter: Any, out_backprop: Any, strides: Any, padding: Any,
                                    data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                                    name: str | None = None) -> Tensor:
    """Gradient of depthwise_conv2d with respect to its input."""
    data_format = _data_format(data_format, 2)
    w, dy = _operands("DepthwiseConv2dNativeBackpropInput", filter, out_backprop, _CONV3D_TYPES)
    return _sized(DepthwiseBackpropInput, input_sizes, (w, dy),
                  _depthwise_attrs(strides, padding, data_format, dilations))


@export("nn.depthwise_conv2d_backprop_filter")
def depthwise_conv2d_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any, strides: Any, padding: Any,
                                     data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                                     name: str | None = None) -> Tensor:
    """Gradient of depthwise_conv2d with respect to its filter."""
    data_format = _data_format(data_format, 2)
    x, dy = _operands("DepthwiseConv2dNativeBackpropFilter", input, out_backprop, _CONV3D_TYPES)
    return _sized(DepthwiseBackpropFilter, filter_sizes, (x, dy),
                  _depthwise_attrs(strides, padding, data_format, dilations), first=False)


@export("nn.separable_conv2d")
def separable_conv2d(input: Any, depthwise_filter: Any, pointwise_filter: Any, strides: Any, padding: Any,
                     data_format: Any = None, dilations: Any = None, name: str | None = None) -> Tensor:
    """Depthwise convolution followed by a 1x1 convolution mixing channels.

    Raises:
        ValueError: a pointwise filter that is not 1x1.
    """
    data_format = _data_format(data_format, 2)
    pw = to_tensor(pointwise_filter)
    shape = pw._shape_tuple()
    if shape is not None:
        for d in shape[:2]:
            if d != 1:
                raise ValueError(f"Dimensions {d} and 1 are not compatible")
    depth = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return conv2d(depth, pw, 1, "VALID", data_format)
