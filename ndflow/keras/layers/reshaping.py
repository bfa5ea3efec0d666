"""Keras spatial reshaping layers: ``UpSampling1D/2D/3D``, ``ZeroPadding1D/2D/3D`` and ``Cropping1D/2D/3D``."""
from __future__ import annotations

from typing import Any

from ..._core.ops import array_ops, image_resize, math_ops
from ..backend import standardize_data_format
from .conv import dims_of, standardize_tuple
from .input_spec import InputSpec
from .layer import Layer

__all__ = ["UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
           "Cropping1D", "Cropping2D", "Cropping3D"]

_RESIZE_METHODS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")
_ORDINALS = ("1st", "2nd", "3rd")


def _repeat(x: Any, repeats: int, axis: int) -> Any:
    """Each slice of ``x`` along ``axis`` repeated ``repeats`` times in a row (``np.repeat`` by an int)."""
    if repeats == 1:
        return x
    dims = dims_of(x)
    multiples = [1] * (len(dims) + 1)
    multiples[axis + 1] = repeats
    tiled = array_ops.tile(array_ops.expand_dims(x, axis + 1), multiples)
    shape = [*dims[:axis], dims[axis] * repeats, *dims[axis + 1:]]
    if all(isinstance(d, int) for d in shape):
        return array_ops.reshape(tiled, shape)
    out = array_ops.reshape(tiled, array_ops.stack(shape))
    out.set_shape([d if isinstance(d, int) else None for d in shape])
    return out


def _spatial_axes(data_format: str, rank: int) -> range:
    first = 1 if data_format == "channels_last" else 2
    return range(first, first + rank)


def _scaled(input_shape: Any, axes: range, factors: tuple) -> tuple:
    shape = list(input_shape)
    for axis, factor in zip(axes, factors):
        shape[axis] = None if shape[axis] is None else shape[axis] * factor
    return tuple(shape)


def _pairs(value: Any, rank: int, name: str) -> tuple:
    """``value`` (an int, ``rank`` ints or ``rank`` pairs) as ``rank`` ``(before, after)`` pairs (Keras's
    ``ZeroPadding2D/3D`` and ``Cropping2D/3D`` rules).

    Raises:
        ValueError: a negative int, the wrong number of entries, or a bad entry.
    """
    if isinstance(value, int):
        if name == "cropping" and value < 0:
            raise ValueError(f"`cropping` cannot be negative. Received: cropping={value}.")
        return ((value, value),) * rank
    if hasattr(value, "__len__"):
        if len(value) != rank:
            if rank == 2:
                raise ValueError(f"`{name}` should have two elements. Received: {name}={value}.")
            raise ValueError(f"`{name}` should have 3 elements. Received: {value}.")
        return tuple(standardize_tuple(v, 2, f"{_ORDINALS[i]} entry of {name}", allow_zero=True)
                     for i, v in enumerate(value))
    if rank == 2:
        raise ValueError(f"`{name}` should be either an int, a tuple of 2 ints (symmetric_height_crop, "
                         "symmetric_width_crop), or a tuple of 2 tuples of 2 ints ((top_crop, bottom_crop), "
                         f"(left_crop, right_crop)). Received: {name}={value}.")
    word = "pad" if name == "padding" else "crop"
    received = f"{name}={value}" if name == "padding" else f"{value}"
    raise ValueError(f"`{name}` should be either an int, a tuple of 3 ints (symmetric_dim1_{word}, "
                     f"symmetric_dim2_{word}, symmetric_dim3_{word}), or a tuple of 3 tuples of 2 ints "
                     f"((left_dim1_{word}, right_dim1_{word}), (left_dim2_{word}, right_dim2_{word}), "
                     f"(left_dim3_{word}, right_dim2_{word})). Received: {received}.")


# ---------------------------------------------------------------------------------------------------------
# Up-sampling


class UpSampling1D(Layer):
    """Repeats each step of ``(batch, steps, features)`` inputs ``size`` times.

    Raises:
        TypeError: a ``size`` that is not an int.
        ValueError: a ``size`` below 1.
    """

    def __init__(self, size: int = 2, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"Expected an integer value for `size`, got {type(size)}.")
        if size <= 0:
            raise ValueError(f"Argument `size` should be a positive integer. Received: size={size}")
        self.size = size
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs: Any) -> Any:
        return _repeat(inputs, self.size, 1)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return _scaled(input_shape, range(1, 2), (self.size,))

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}


class UpSampling2D(Layer):
    """Scales images up by ``size``: rows and columns repeated (``"nearest"``) or resized with
    ``interpolation`` (``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``, ``"area"``).

    Args:
        size: the row and column factors; an int or 2 ints.
        data_format: ``"channels_last"`` (default from ``keras.config``) or ``"channels_first"``.
        interpolation: the resize method.
    """

    def __init__(self, size: Any = (2, 2), data_format: Any = None, interpolation: str = "nearest",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = standardize_tuple(size, 2, "size")
        self.interpolation = interpolation.lower()
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs: Any) -> Any:
        axes = _spatial_axes(self.data_format, 2)
        if self.interpolation == "nearest":
            return _repeat(_repeat(inputs, self.size[0], axes[0]), self.size[1], axes[1])
        if self.interpolation not in _RESIZE_METHODS:
            raise ValueError(f"Invalid value for argument `interpolation`. Expected of one {_RESIZE_METHODS}. "
                             f"Received: interpolation={self.interpolation}")
        x = inputs if self.data_format == "channels_last" else array_ops.transpose(inputs, [0, 2, 3, 1])
        dims = dims_of(x)
        size = [dims[1] * self.size[0], dims[2] * self.size[1]]
        if not all(isinstance(d, int) for d in size):
            size = array_ops.stack(size)
        x = image_resize.resize(x, size, method=self.interpolation)
        if x.dtype != inputs.dtype:
            x = math_ops.cast(x, inputs.dtype)
        return x if self.data_format == "channels_last" else array_ops.transpose(x, [0, 3, 1, 2])

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return _scaled(input_shape, _spatial_axes(self.data_format, 2), self.size)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


class UpSampling3D(Layer):
    """Repeats the three spatial axes of volumes by ``size`` (an int or 3 ints; see ``UpSampling2D``)."""

    def __init__(self, size: Any = (2, 2, 2), data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = standardize_tuple(size, 3, "size")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs: Any) -> Any:
        for axis, factor in zip(_spatial_axes(self.data_format, 3), self.size):
            inputs = _repeat(inputs, factor, axis)
        return inputs

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return _scaled(input_shape, _spatial_axes(self.data_format, 3), self.size)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}


# ---------------------------------------------------------------------------------------------------------
# Zero padding and cropping: one (before, after) pair per spatial axis


class _Edges(Layer):
    """Base of the padding and cropping layers; ``_edges`` holds one ``(before, after)`` pair per spatial axis."""

    rank: int
    data_format: str = "channels_last"

    @property
    def _edges(self) -> tuple:
        raise NotImplementedError

    def _edge_axes(self) -> zip:
        return zip(_spatial_axes(self.data_format, self.rank), self._edges)


class _ZeroPadding(_Edges):
    def call(self, inputs: Any) -> Any:
        pads = [[0, 0]] * (self.rank + 2)
        for axis, pair in self._edge_axes():
            pads[axis] = list(pair)
        return array_ops.pad(inputs, pads)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = list(input_shape)
        for axis, (before, after) in self._edge_axes():
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}


class ZeroPadding1D(_ZeroPadding):
    """Zeros added at the start and end of the steps axis.

    Args:
        padding: an int (both sides) or a pair ``(start, end)``.
        data_format: ``"channels_last"`` (default from ``keras.config``) or ``"channels_first"``.
    """

    rank = 1

    def __init__(self, padding: Any = 1, data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = standardize_tuple(padding, 2, "padding", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)

    @property
    def _edges(self) -> tuple:
        return (self.padding,)


class ZeroPadding2D(_ZeroPadding):
    """Zeros added around images.

    Args:
        padding: an int (all sides), 2 ints (symmetric rows, columns) or 2 pairs
            ``((top, bottom), (left, right))``.
        data_format: ``"channels_last"`` (default from ``keras.config``) or ``"channels_first"``.
    """

    rank = 2

    def __init__(self, padding: Any = (1, 1), data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = _pairs(padding, 2, "padding")
        self.input_spec = InputSpec(ndim=4)

    @property
    def _edges(self) -> tuple:
        return self.padding


class ZeroPadding3D(_ZeroPadding):
    """Zeros added around volumes (``padding``: an int, 3 ints or 3 pairs; see ``ZeroPadding2D``)."""

    rank = 3

    def __init__(self, padding: Any = ((1, 1), (1, 1), (1, 1)), data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = _pairs(padding, 3, "padding")
        self.input_spec = InputSpec(ndim=5)

    @property
    def _edges(self) -> tuple:
        return self.padding


class _Cropping(_Edges):
    def _too_much(self, shape: tuple) -> bool:
        return any(shape[axis] is not None and before + after >= shape[axis]
                   for axis, (before, after) in self._edge_axes())

    def _error(self, what: str, shape: tuple) -> ValueError:
        if self.rank == 1:
            return ValueError("`cropping` parameter of `Cropping1D` layer must be smaller than the input length. "
                              f"Received: {what}={shape}, cropping={self.cropping}")
        return ValueError("Values in `cropping` argument should be smaller than the corresponding spatial "
                          f"dimension of the input. Received: {what}={shape}, cropping={self.cropping}")

    def call(self, inputs: Any) -> Any:
        shape = tuple(inputs.shape)
        if self._too_much(shape):
            raise self._error("inputs.shape", shape)
        index = [slice(None)] * len(shape)
        for axis, (before, after) in self._edge_axes():
            index[axis] = slice(before, -after if after else None)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = list(input_shape)
        if self._too_much(tuple(shape)):
            raise self._error("input_shape", tuple(input_shape))
        for axis, (before, after) in self._edge_axes():
            if shape[axis] is not None:
                shape[axis] -= before + after
        return tuple(shape)


class Cropping1D(_Cropping):
    """Removes steps from the start and end of ``(batch, steps, features)`` inputs.

    Args:
        cropping: an int (both ends) or a pair ``(start, end)``.
    """

    rank = 1

    def __init__(self, cropping: Any = (1, 1), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cropping = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)

    @property
    def _edges(self) -> tuple:
        return (self.cropping,)

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping}


class Cropping2D(_Cropping):
    """Removes rows and columns at the edges of images.

    Args:
        cropping: an int (all sides), 2 ints (symmetric rows, columns) or 2 pairs
            ``((top, bottom), (left, right))``.
        data_format: ``"channels_last"`` (default from ``keras.config``) or ``"channels_first"``.
    """

    rank = 2

    def __init__(self, cropping: Any = ((0, 0), (0, 0)), data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = _pairs(cropping, 2, "cropping")
        self.input_spec = InputSpec(ndim=4)

    @property
    def _edges(self) -> tuple:
        return self.cropping

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}


class Cropping3D(_Cropping):
    """Removes slices at the edges of volumes (``cropping``: an int, 3 ints or 3 pairs; see ``Cropping2D``)."""

    rank = 3

    def __init__(self, cropping: Any = ((1, 1), (1, 1), (1, 1)), data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = _pairs(cropping, 3, "cropping")
        self.input_spec = InputSpec(ndim=5)

    @property
    def _edges(self) -> tuple:
        return self.cropping

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}
