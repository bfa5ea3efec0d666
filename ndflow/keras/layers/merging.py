"""Keras merging layers: ``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum``, ``Minimum``,
``Concatenate``, ``Dot`` and their functional forms ``add``, ``subtract``, … ``dot``.

Element-wise merges broadcast like NumPy after inputs of lower rank get size-1 axes inserted after the batch
axis; masked positions take part as Keras 3 defines it (see ``Maximum`` / ``Multiply``).
"""
from __future__ import annotations

from typing import Any, Callable

import ndflow as tf

from .layer import Layer

__all__ = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot", "add", "subtract",
           "multiply", "average", "maximum", "minimum", "concatenate", "dot"]


def _broadcast_shapes(shape1: tuple | None, shape2: tuple | None) -> tuple | None:
    """The element-wise result shape of two (batch-less) shapes, aligned on their last axes."""
    if shape1 is None or shape2 is None:
        return None
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    if not shape2:
        return tuple(shape1)
    out = list(shape1[:len(shape1) - len(shape2)])
    for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1:
            out.append(j if i == 1 else i)
        elif i != j:
            raise ValueError(f"Inputs have incompatible shapes. Received shapes {shape1} and {shape2}")
        else:
            out.append(i)
    return tuple(out)


def _check_mask_list(inputs: Any, mask: Any) -> None:
    if not isinstance(mask, (tuple, list)):
        raise ValueError(f"`mask` should be a list. Received: mask={mask}")
    if not isinstance(inputs, (tuple, list)):
        raise ValueError(f"`inputs` should be a list. Received: inputs={inputs}")
    if len(mask) != len(inputs):
        raise ValueError(f"The lists `inputs` and `mask` should have the same length. Received: inputs={inputs} of "
                         f"length {len(inputs)}, and mask={mask} of length {len(mask)}")


def _promote(inputs: list) -> list:
    """Inputs cast to one dtype when they differ: the widest float if any, else the widest integer."""
    dtypes = {x.dtype for x in inputs}
    if len(dtypes) == 1:
        return inputs
    floats = [d for d in dtypes if d.is_floating]
    target = max(floats or [d for d in dtypes if d.is_integer] or dtypes, key=lambda d: d.size)
    return [x if x.dtype == target else _cast_keeping_mask(x, target) for x in inputs]


def _cast_keeping_mask(x: Any, dtype: Any) -> Any:
    mask = getattr(x, "_keras_mask", None)
    x = tf.cast(x, dtype)
    if mask is not None:
        x._keras_mask = mask
    return x


class _Merge(Layer):
    """Base of the merging layers: called on a list of tensors, returns one tensor."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs: list) -> Any:
        raise NotImplementedError

    def build(self, input_shape: Any) -> None:
        if not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: input_shape={input_shape}"
                             " (not a list of shapes)")
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(f"Cannot merge tensors with different batch sizes. Received tensors with shapes "
                             f"{input_shape}")
        self.compute_output_shape(input_shape)
        self._reshape_required = None in input_shape or len({len(s) for s in input_shape}) != 1
        self.built = True

    def call(self, inputs: Any) -> Any:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: inputs={inputs} (not a "
                             "list of tensors)")
        if self._reshape_required:
            max_rank = max(len(x.shape) for x in inputs)
            expanded = []
            for x in inputs:
                for _ in range(max_rank - len(x.shape)):
                    x = tf.expand_dims(x, 1)
                expanded.append(x)
            inputs = expanded
        return self._merge_function(_promote(list(inputs)))

    def _merge_with_masks(self, op: Callable, inputs: list) -> Any:
        """Folds ``op`` over the inputs; a masked-out value takes the other operand's value instead."""
        output = output_mask = None
        for x in inputs:
            mask = getattr(x, "_keras_mask", None)
            if mask is not None:
                mask = tf.broadcast_to(tf.expand_dims(mask, -1), tf.shape(x))
            if output is None:
                output, output_mask = x, mask
                continue
            if mask is not None:
                x = tf.where(mask, x, output)
            if output_mask is not None:
                output = tf.where(output_mask, output, x)
            output_mask = tf.logical_or(output_mask, mask) if mask is not None and output_mask is not None else None
            output = op(output, x)
        return output

    def compute_output_shape(self, input_shape: Any) -> tuple:
        output_shape = None if input_shape[0] is None else tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            output_shape = _broadcast_shapes(output_shape, None if shape is None else tuple(shape[1:]))
        batch_sizes = {s[0] for s in input_shape if s is not None} - {None}
        batch = next(iter(batch_sizes)) if len(batch_sizes) == 1 else None
        return (batch, *output_shape)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if mask is None:
            return None
        _check_mask_list(inputs, mask)
        if any(m is None for m in mask):
            return None
        output_mask = mask[0]
        for m in mask[1:]:
            output_mask = tf.logical_or(output_mask, m)
        return output_mask

    def get_config(self) -> dict:
        return super().get_config()


class Add(_Merge):
    """Element-wise sum of a list of inputs."""

    def _merge_function(self, inputs: list) -> Any:
        output = inputs[0]
        for x in inputs[1:]:
            output = tf.add(output, x)
        return output


class Subtract(_Merge):
    """``inputs[0] - inputs[1]`` (exactly two inputs)."""

    def build(self, input_shape: Any) -> None:
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: "
                             f"input_shape={input_shape}")

    def _merge_function(self, inputs: list) -> Any:
        if len(inputs) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: inputs={inputs}")
        return tf.subtract(inputs[0], inputs[1])


class Multiply(_Merge):
    """Element-wise product of a list of inputs; masked-out values count as 1, fully masked outputs are 0."""

    def _merge_function(self, inputs: list) -> Any:
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        all_masked = all(m is not None for m in masks)
        output = output_mask = None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                mask = tf.broadcast_to(tf.expand_dims(mask, -1), tf.shape(x))
                x = tf.where(mask, x, tf.ones_like(x))
                if all_masked:
                    output_mask = mask if output_mask is None else tf.logical_or(output_mask, mask)
            output = x if output is None else tf.multiply(output, x)
        if all_masked:
            output = tf.where(output_mask, output, tf.zeros_like(output))
        return output


class Average(_Merge):
    """Element-wise mean of a list of inputs."""

    def _merge_function(self, inputs: list) -> Any:
        output = inputs[0]
        for x in inputs[1:]:
            output = tf.add(output, x)
        return output / len(inputs)


class Maximum(_Merge):
    """Element-wise maximum of a list of inputs (masked-out values are ignored)."""

    def _merge_function(self, inputs: list) -> Any:
        return self._merge_with_masks(tf.maximum, inputs)


class Minimum(_Merge):
    """Element-wise minimum of a list of inputs (masked-out values are ignored)."""

    def _merge_function(self, inputs: list) -> Any:
        return self._merge_with_masks(tf.minimum, inputs)


class Concatenate(_Merge):
    """Concatenates a list of inputs along ``axis``; the other axes must match.

    Raises:
        ValueError: inputs whose shapes differ outside the concatenation axis (Keras's message).
    """

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape: Any) -> None:
        if len(input_shape) < 1 or not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(f"A `Concatenate` layer should be called on a list of at least 1 input. Received: "
                             f"input_shape={input_shape}")
        if all(shape is None for shape in input_shape):
            self.built = True
            return
        reduced = set()
        for shape in input_shape:
            shape = list(shape)
            if len(shape) > self.axis:
                del shape[self.axis]
            reduced.add(tuple(shape))
        if len(reduced) != 1:
            message = (f"A `Concatenate` layer requires inputs with matching shapes except for the concatenation "
                       f"axis. Received: input_shape={input_shape}")
            ranks = {len(shape) for shape in reduced}
            if len(ranks) != 1:
                raise ValueError(message)
            for axis in range(next(iter(ranks))):
                if len({shape[axis] for shape in reduced if shape[axis] is not None}) > 1:
                    raise ValueError(message)
        self.built = True

    def _merge_function(self, inputs: list) -> Any:
        return tf.concat(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if not isinstance(input_shape, (tuple, list)) or not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(f"A `Concatenate` layer should be called on a list of inputs. Received: "
                             f"input_shape={input_shape}")
        output_shape = list(input_shape[0])
        for shape in input_shape[1:]:
            if output_shape[self.axis] is None or shape[self.axis] is None:
                output_shape[self.axis] = None
                break
            output_shape[self.axis] += shape[self.axis]
        return tuple(output_shape)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if mask is None:
            return None
        _check_mask_list(inputs, mask)
        if all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                m = tf.ones_like(x, dtype="bool")
            elif len(m.shape) < len(x.shape):
                m = tf.logical_or(tf.expand_dims(m, -1), tf.zeros_like(x, dtype="bool"))
            masks.append(m)
        return tf.reduce_any(tf.concat(masks, axis=self.axis), axis=-1)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


class Dot(_Merge):
    """Dot product of two samples-batched inputs along ``axes`` (an int, or one axis per input).

    ``normalize=True`` L2-normalizes both inputs along those axes first (cosine proximity).

    Raises:
        TypeError: ``axes`` is neither an int nor a list/tuple.
        ValueError: ``axes`` of the wrong length or type; inputs whose contracted axes differ.
    """

    def __init__(self, axes: Any, normalize: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(f"Invalid type for argument `axes`: it should be a list or an int. Received: "
                                f"axes={axes}")
            if len(axes) != 2:
                raise ValueError(f"Invalid format for argument `axes`: it should contain two elements. Received: "
                                 f"axes={axes}")
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError(f"Invalid format for argument `axes`: list elements should be integers. Received: "
                                 f"axes={axes}")
        self.axes = axes
        self.normalize = normalize

    def _resolved_axes(self, rank1: int, rank2: int) -> list[int]:
        axes = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        return [axis % rank if axis < 0 else axis for axis, rank in zip(axes, (rank1, rank2))]

    def build(self, input_shape: Any) -> None:
        if not isinstance(input_shape[0], (tuple, list)) or len(input_shape) != 2:
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. Received: "
                             f"input_shape={input_shape}")
        shape1, shape2 = input_shape
        if shape1 is not None and shape2 is not None:
            axes = self._resolved_axes(len(shape1), len(shape2))
            if shape1[axes[0]] != shape2[axes[1]]:
                raise ValueError(f"Incompatible input shapes: axis values {shape1[axes[0]]} (at axis {axes[0]}) != "
                                 f"{shape2[axes[1]]} (at axis {axes[1]}). Full input shapes: {shape1}, {shape2}")
        self.built = True

    def _merge_function(self, inputs: list) -> Any:
        if len(inputs) != 2:
            raise ValueError(f"A `Dot` layer should be called on exactly 2 inputs. Received: inputs={inputs}")
        x1, x2 = inputs
        axes = self._resolved_axes(len(x1.shape), len(x2.shape))
        if self.normalize:
            x1 = _l2_normalize(x1, axes[0])
            x2 = _l2_normalize(x2, axes[1])
        return _batch_dot(x1, x2, axes)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2:
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. Received: "
                             f"input_shape={input_shape}")
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        axes = self._resolved_axes(len(shape1), len(shape2))
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        output_shape = shape1 + shape2[1:]
        return tuple(output_shape + [1] if len(output_shape) == 1 else output_shape)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return None

    def get_config(self) -> dict:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def _l2_normalize(x: Any, axis: int) -> Any:
    """``x / ||x||`` along ``axis``, the inverse norm capped at ``1 / epsilon()`` (as ``keras.ops.normalize``)."""
    from ..backend import epsilon

    inv_norm = tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=axis, keepdims=True))
    return x * tf.minimum(inv_norm, 1.0 / epsilon())


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _batch_dot(x: Any, y: Any, axes: list[int]) -> Any:
    """Per-sample contraction of ``x``'s axis ``axes[0]`` with ``y``'s axis ``axes[1]`` (axis 0 is the batch).

    The result has the batch axis, then ``x``'s remaining axes, then ``y``'s; a rank-1 result gets a trailing
    axis of size 1.

    Raises:
        ValueError: ranks below 2, contraction over the batch axis, or sizes that differ (Keras's messages).
    """
    x_shape, y_shape = tuple(x.shape), tuple(y.shape)
    if len(x_shape) < 2 or len(y_shape) < 2:
        raise ValueError(f"Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes {x_shape} and "
                         f"{y_shape}.")
    if None not in (x_shape[0], y_shape[0]) and x_shape[0] != y_shape[0]:
        raise ValueError(f"Cannot do batch_dot on inputs with different batch sizes. Received inputs with shapes "
                         f"{x_shape} and {y_shape}.")
    if 0 in axes:
        raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy batch "
                         "dimension to your inputs using keras.ops.expand_dims(x, 0)")
    d1, d2 = x_shape[axes[0]], y_shape[axes[1]]
    if d1 is not None and d2 is not None and d1 != d2:
        raise ValueError(f"Cannot do batch_dot on inputs with shapes {x_shape} and {y_shape} with axes={axes}. "
                         f"x.shape[{axes[0]}] != y.shape[{axes[1]}] ({d1} != {d2}).")
    x_letters = list(_LETTERS[1:len(x_shape)])
    y_letters = list(_LETTERS[len(x_shape):len(x_shape) + len(y_shape) - 1])
    contracted = x_letters[axes[0] - 1]
    y_letters[axes[1] - 1] = contracted
    out = [c for c in x_letters if c != contracted] + [c for c in y_letters if c != contracted]
    result = tf.einsum(f"z{''.join(x_letters)},z{''.join(y_letters)}->z{''.join(out)}", x, y)
    return tf.expand_dims(result, -1) if not out else result


def add(inputs: list, **kwargs: Any) -> Any:
    """Functional form of ``Add``: ``Add(**kwargs)(inputs)``."""
    return Add(**kwargs)(inputs)


def subtract(inputs: list, **kwargs: Any) -> Any:
    """Functional form of ``Subtract``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs: list, **kwargs: Any) -> Any:
    """Functional form of ``Multiply``."""
    return Multiply(**kwargs)(inputs)


def average(inputs: list, **kwargs: Any) -> Any:
    """Functional form of ``Average``."""
    return Average(**kwargs)(inputs)


def maximum(inputs: list, **kwargs: Any) -> Any:
    """Functional form of ``Maximum``."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs: list, **kwargs: Any) -> Any:
    """Functional form of ``Minimum``."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs: list, axis: int = -1, **kwargs: Any) -> Any:
    """Functional form of ``Concatenate``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs: list, axes: Any = -1, **kwargs: Any) -> Any:
    """Functional form of ``Dot``."""
    return Dot(axes=axes, **kwargs)(inputs)
