"""Keras attention layers: ``Attention`` (Luong, dot-product), ``AdditiveAttention`` (Bahdanau) and
``MultiHeadAttention``.

Masks are boolean (``True`` = attend); other dtypes are cast to ``bool`` as Keras does.
"""
from __future__ import annotations

import math
import string
from typing import Any

import ndflow as tf

from .. import constraints, initializers, regularizers
from .. import random as keras_random
from ..models.keras_tensor import KerasTensor
from .activation import Softmax
from .core import EinsumDense
from .layer import Layer
from .regularization import Dropout
from .rnn._util import build_sublayer

__all__ = ["Attention", "AdditiveAttention", "MultiHeadAttention"]


# ---------------------------------------------------------------------------------------------------------
# Shared helpers


def _as_bool(mask: Any) -> Any:
    mask = tf.convert_to_tensor(mask)
    return mask if mask.dtype == tf.bool else tf.cast(mask, tf.bool)


def _dim(x: Any, axis: int) -> Any:
    """The size of ``x`` along ``axis``: an int when known statically, else a scalar tensor."""
    size = x.shape[axis]
    return size if size is not None else tf.shape(x)[axis]


def _position_grid(rows: Any, cols: Any) -> tuple:
    """Row and column indices of a ``(1, rows, cols)`` grid, as broadcastable int tensors."""
    row = tf.reshape(tf.range(rows), [1, -1, 1])
    col = tf.reshape(tf.range(cols), [1, 1, -1])
    return row, col


def _causal_mask(rows: Any, cols: Any) -> Any:
    """A ``(1, rows, cols)`` boolean mask, ``True`` where the column index is at most the row index."""
    row, col = _position_grid(rows, cols)
    return tf.greater_equal(row, col)


def _without_mask(x: Any) -> Any:
    """``x``, or a copy of it without its Keras mask when it has one."""
    return x if getattr(x, "_keras_mask", None) is None else tf.identity(x)


# ---------------------------------------------------------------------------------------------------------
# Attention and AdditiveAttention


class Attention(Layer):
    """Dot-product (Luong-style) attention over ``[query, value]`` or ``[query, value, key]``.

    ``query`` is ``(batch, Tq, dim)``, ``value`` and ``key`` ``(batch, Tv, dim)``; the output is
    ``softmax(scores(query, key)) @ value``, of shape ``(batch, Tq, dim)``.

    Args:
        use_scale: learn a scalar ``scale`` multiplying the scores.
        score_mode: ``"dot"`` (query·key) or ``"concat"`` (sum of ``tanh(query + key)``, times a learned
            ``concat_score_weight``).
        dropout: fraction of the attention weights dropped in training.
        seed: seed of the dropout noise.

    Call arguments:
        inputs: ``[query, value]`` or ``[query, value, key]``.
        mask: ``[query_mask, value_mask]``: masked values take no part; masked query steps output zeros.
        training: apply dropout.
        return_attention_scores: also return the attention weights ``(batch, Tq, Tv)``.
        use_causal_mask: query step ``i`` only attends to value steps ``j <= i``.

    Raises:
        ValueError: an unknown ``score_mode``; inputs or mask that are not lists of length 2 or 3.
    """

    def __init__(self, use_scale: bool = False, score_mode: str = "dot", dropout: float = 0.0,
                 seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if self.dropout > 0:
            self.seed_generator = keras_random.SeedGenerator(seed)
        if score_mode not in ("dot", "concat"):
            raise ValueError("Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                             f"Received: score_mode={score_mode}")

    def build(self, input_shape: Any) -> None:
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones", dtype=self.dtype)
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(), initializer="ones",
                                                       dtype=self.dtype)
        self.built = True

    def _calculate_scores(self, query: Any, key: Any) -> Any:
        """Scores ``(batch, Tq, Tv)`` of each query step against each key step."""
        if self.score_mode == "dot":
            scores = tf.matmul(query, key, transpose_b=True)
            return scores if self.scale is None else scores * self.scale
        pairs = tf.expand_dims(query, -2) + tf.expand_dims(key, -3)  # (batch, Tq, Tv, dim)
        if self.scale is not None:
            pairs = self.scale * pairs
        return self.concat_score_weight * tf.reduce_sum(tf.tanh(pairs), axis=-1)

    def _score_mask(self, scores: Any, value_mask: Any, use_causal_mask: bool) -> Any:
        """Which scores may be attended to: the value mask, combined with the causal mask if asked."""
        if value_mask is not None:
            value_mask = _as_bool(value_mask)
        if not use_causal_mask:
            return value_mask
        causal = _causal_mask(_dim(scores, -2), _dim(scores, -1))
        return causal if value_mask is None else tf.logical_and(tf.expand_dims(value_mask, -2), causal)

    def _apply_scores(self, scores: Any, value: Any, scores_mask: Any = None, training: Any = False) -> tuple:
        """``(softmax(masked scores) @ value, attention weights)``; masked scores are pushed down by 1e9."""
        if scores_mask is not None:
            padding = tf.logical_not(scores_mask)
            if len(padding.shape) == 2:
                padding = tf.expand_dims(padding, -2)
            offset = 65504.0 if scores.dtype == tf.float16 else 1.0e9
            scores = tf.where(padding, scores - offset, scores)
        weights = tf.nn.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = keras_random.dropout(weights, self.dropout, seed=self.seed_generator)
        return tf.matmul(weights, value), weights

    def call(self, inputs: Any, mask: Any = None, training: Any = False, return_attention_scores: bool = False,
             use_causal_mask: bool = False) -> Any:
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)
        scores_mask = self._score_mask(scores, value_mask, use_causal_mask)
        output, weights = self._apply_scores(scores, value, scores_mask, training)
        if query_mask is not None:
            output = tf.where(tf.expand_dims(_as_bool(query_mask), -1), output, tf.zeros_like(output))
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return tf.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape: Any) -> tuple:
        query_shape, value_shape = input_shape[0], input_shape[1]
        return (*tuple(query_shape)[:-1], tuple(value_shape)[-1])

    def compute_output_spec(self, inputs: Any, mask: Any = None, return_attention_scores: bool = False,
                            training: Any = None, use_causal_mask: bool = False) -> Any:
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        output = KerasTensor(self.compute_output_shape([query.shape, value.shape]), dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        return output, KerasTensor((*query.shape[:-1], key.shape[-2]), dtype=self.compute_dtype)

    def _validate_inputs(self, inputs: Any, mask: Any = None) -> None:
        name = type(self).__name__
        if not isinstance(inputs, list):
            raise ValueError(f"{name} layer must be called on a list of inputs, namely [query, value] or "
                             f"[query, value, key]. Received: inputs={inputs}.")
        if not 2 <= len(inputs) <= 3:
            raise ValueError(f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                             f"[query, value, key]. Received length: {len(inputs)}.")
        if mask is not None:
            if not isinstance(mask, list):
                raise ValueError(f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                                 f"Received: mask={mask}.")
            if not 2 <= len(mask) <= 3:
                raise ValueError(f"{name} layer accepts mask list of length 2 or 3. Received: inputs={inputs}, "
                                 f"mask={mask}.")

    def get_config(self) -> dict:
        return {**super().get_config(), "use_scale": self.use_scale, "score_mode": self.score_mode,
                "dropout": self.dropout, "seed": self.seed}


class AdditiveAttention(Attention):
    """Additive (Bahdanau-style) attention: scores are ``sum(scale * tanh(query + key), axis=-1)``.

    Takes the same inputs, masks and call arguments as ``Attention``.

    Args:
        use_scale: learn a ``scale`` vector of size ``dim`` (otherwise the scale is 1).
        dropout: fraction of the attention weights dropped in training.
        seed: (keyword) seed of the dropout noise.
    """

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs: Any) -> None:
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape: Any) -> None:
        self._validate_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],), initializer="glorot_uniform",
                                         dtype=self.dtype)
        self.built = True

    def _calculate_scores(self, query: Any, key: Any) -> Any:
        pairs = tf.tanh(tf.expand_dims(query, -2) + tf.expand_dims(key, -3))  # (batch, Tq, Tv, dim)
        if self.use_scale:
            pairs = self.scale * pairs
        return tf.reduce_sum(pairs, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["score_mode"]
        return config


# ---------------------------------------------------------------------------------------------------------
# MultiHeadAttention


def _projection_equation(free_dims: int, bound_dims: int, output_dims: int) -> tuple:
    """Einsum equation, bias axes and output rank of a projection that keeps ``free_dims`` leading axes,
    contracts ``bound_dims`` axes with the kernel and adds ``output_dims`` kernel axes."""
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims:free_dims + bound_dims]
    new = letters[free_dims + bound_dims:free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{new}->{free}{new}", new, free_dims + output_dims


def _attention_equations(rank: int, attention_axes: tuple) -> tuple:
    """Einsum equations for projected tensors of ``rank`` ``(batch, ..., heads, channels)``.

    Returns:
        ``(scores equation for (key, query), combine equation for (scores, value), rank of the scores)``;
        the scores are laid out as ``(<batch axes and heads>, <query attention axes>, <key attention axes>)``.
    """
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch_axes = [i for i in range(rank - 1) if i not in attention_axes]
    source = list(target)
    for offset, axis in enumerate(attention_axes):
        source[axis] = letters[rank + offset]
    source = "".join(source)
    product = "".join([target[i] for i in batch_axes] + [target[i] for i in attention_axes]
                      + [source[i] for i in attention_axes])
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def _partial_shape(rank: int, known_last_dims: list) -> list:
    return [None] * (rank - len(known_last_dims)) + list(known_last_dims)


class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017).

    ``query``, ``key`` and ``value`` are projected to ``num_heads`` heads (sublayers ``query``, ``key``,
    ``value``: ``EinsumDense`` with kernels ``(dim, num_heads, key_dim)`` …); each head attends with scaled
    dot products, and the heads are projected back (sublayer ``attention_output``) to the query's last
    dimension or to ``output_shape``.

    Args:
        num_heads: number of heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default ``key_dim``).
        dropout: dropout rate on the attention weights.
        use_bias: whether the projections have biases.
        output_shape: the output's trailing shape (default: the query's last dimension).
        attention_axes: the axes attended over (default: all but batch, heads and features).
        sliding_window: if set, each query step only attends to key steps less than this far away.
        flash_attention: Keras's TensorFlow backend has no flash attention: a true value makes the fused
            attention path raise ``ValueError``.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
            kernel_constraint, bias_constraint: passed to every projection.
        use_gate: gate the heads with a sigmoid projection of the query (sublayer ``gate``).
        seed: seed of the dropout noise.

    Call arguments:
        query: ``(batch, T, dim)``; value: ``(batch, S, dim)``; key: ``(batch, S, dim)`` (default ``value``).
        query_mask, value_mask, key_mask: boolean ``(batch, T)`` / ``(batch, S)`` masks. As in Keras 3, the
            query mask is always the mask attached to ``query`` (``query._keras_mask``); the value and key
            masks default to the masks attached to ``value`` and ``key``.
        attention_mask: boolean ``(batch, T, S)`` mask: which key steps each query step may attend to.
        return_attention_scores: also return the attention weights ``(batch, num_heads, T, S)``.
        training: apply dropout.
        use_causal_mask: query step ``i`` only attends to key steps ``j <= i``.

    Raises:
        ValueError: invalid ``num_heads``, ``key_dim``, ``value_dim``, ``attention_axes``, ``output_shape`` or
            ``sliding_window``; value and key shapes that differ except in their last dimension.
    """

    def __init__(self, num_heads: int, key_dim: int, value_dim: int | None = None, dropout: float = 0.0,
                 use_bias: bool = True, output_shape: Any = None, attention_axes: Any = None,
                 sliding_window: int | None = None, flash_attention: bool | None = None,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, use_gate: bool = False,
                 seed: int | None = None, **kwargs: Any) -> None:
        if not isinstance(num_heads, int) or num_heads <= 0:
            raise ValueError("Received an invalid value for argument `num_heads`, expected a positive integer. "
                             f"Received: num_heads={num_heads}")
        if not isinstance(key_dim, int) or key_dim <= 0:
            raise ValueError("Received an invalid value for argument `key_dim`, expected a positive integer. "
                             f"Received: key_dim={key_dim}")
        if value_dim is not None and (not isinstance(value_dim, int) or value_dim <= 0):
            raise ValueError("Received an invalid value for argument `value_dim`, expected a positive integer "
                             f"or `None`. Received: value_dim={value_dim}")
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            try:
                output_shape = tuple(output_shape)
            except TypeError:
                raise ValueError(f"Invalid `output_shape`: {output_shape}. When specified, the `output_shape` "
                                 "should be of type tuple, list, or int.") from None
        self._output_shape = output_shape
        self._flash_attention = flash_attention or None
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(f"`attention_axes` must be an int, list, or tuple.Received: "
                             f"attention_axes={attention_axes}")
        self._attention_axes = attention_axes
        if sliding_window is not None and (not isinstance(sliding_window, int) or sliding_window <= 0):
            raise ValueError("`sliding_window` must be `None` or a positive integer. Received: "
                             f"sliding_window={sliding_window}")
        self._sliding_window = sliding_window
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))
        if self._flash_attention and dropout > 0.0:
            raise ValueError("Dropout is not supported when flash attention is enabled. Please set dropout to "
                             "0.0 to use flash attention.")

    # -- read-only configuration -------------------------------------------------------------------------
    @property
    def num_heads(self) -> int:
        return self._num_heads

    @property
    def key_dim(self) -> int:
        return self._key_dim

    @property
    def value_dim(self) -> int:
        return self._value_dim

    @property
    def dropout(self) -> float:
        return self._dropout

    @property
    def use_bias(self) -> bool:
        return self._use_bias

    @property
    def attention_axes(self) -> Any:
        return self._attention_axes

    @property
    def query_dense(self) -> EinsumDense:
        return self._query_dense

    @property
    def key_dense(self) -> EinsumDense:
        return self._key_dense

    @property
    def value_dense(self) -> EinsumDense:
        return self._value_dense

    @property
    def output_dense(self) -> EinsumDense:
        return self._output_dense

    # -- building ------------------------------------------------------------------------------------------
    def build(self, query_shape: Any, value_shape: Any, key_shape: Any = None) -> None:
        """Creates the projections (``query``, ``key``, [``gate``,] ``value``, ``attention_output``).

        Raises:
            ValueError: ``value`` and ``key`` shapes that differ in more than their last dimension.
        """
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError("All dimensions of `value` and `key`, except the last one, must be equal. Received: "
                             f"value_shape={value_shape} and key_shape={key_shape}")
        self._query_dense = self._projection("query", query_shape, self._key_dim)
        self._key_dense = self._projection("key", key_shape, self._key_dim)
        if self._use_gate:
            self._gate_dense = self._projection("gate", query_shape, self._value_dim, activation="sigmoid")
        self._value_dense = self._projection("value", value_shape, self._value_dim)
        projected_rank = len(query_shape) + 1
        self._build_attention(projected_rank)
        heads_shape = list(self._query_dense.compute_output_shape(query_shape))
        heads_shape[-1] = self._value_dim
        output_shape = self._output_shape or (query_shape[-1],)
        equation, bias_axes, rank = _projection_equation(len(query_shape) - 1, 2, len(output_shape))
        self._output_dense = EinsumDense(equation, output_shape=_partial_shape(rank - 1, output_shape),
                                         bias_axes=bias_axes if self._use_bias else None, name="attention_output",
                                         **self._sublayer_kwargs())
        build_sublayer(self, self._output_dense, tuple(heads_shape))
        self.built = True

    def _sublayer_kwargs(self) -> dict:
        """Arguments shared by the projections (fresh initializer instances for each)."""
        kernel_init, bias_init = self._kernel_initializer, self._bias_initializer
        return {"kernel_initializer": type(kernel_init).from_config(kernel_init.get_config()),
                "bias_initializer": type(bias_init).from_config(bias_init.get_config()),
                "kernel_regularizer": self._kernel_regularizer, "bias_regularizer": self._bias_regularizer,
                "activity_regularizer": self._activity_regularizer, "kernel_constraint": self._kernel_constraint,
                "bias_constraint": self._bias_constraint, "dtype": self.dtype_policy}

    def _projection(self, name: str, input_shape: tuple, head_size: int, activation: Any = None) -> EinsumDense:
        """A built ``EinsumDense`` from ``input_shape`` to ``(..., num_heads, head_size)``."""
        equation, bias_axes, rank = _projection_equation(len(input_shape) - 1, 1, 2)
        layer = EinsumDense(equation, output_shape=_partial_shape(rank - 1, [self._num_heads, head_size]),
                            bias_axes=bias_axes if self._use_bias else None, activation=activation, name=name,
                            **self._sublayer_kwargs())
        build_sublayer(self, layer, input_shape)
        return layer

    def _build_attention(self, rank: int) -> None:
        """Resolves ``attention_axes`` for projected tensors of ``rank`` and creates the softmax and dropout."""
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(axis if axis >= 0 else (rank - 1) + axis for axis in self._attention_axes)
        self._dot_product_equation, self._combine_equation, scores_rank = _attention_equations(
            rank, self._attention_axes)
        norm_axes = tuple(range(scores_rank - len(self._attention_axes), scores_rank))
        self._softmax = Softmax(axis=norm_axes, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype_policy, seed=self.seed)

    # -- calling -------------------------------------------------------------------------------------------
    def call(self, query: Any, value: Any, key: Any = None, query_mask: Any = None, value_mask: Any = None,
             key_mask: Any = None, attention_mask: Any = None, return_attention_scores: bool = False,
             training: Any = None, use_causal_mask: bool = False) -> Any:
        if key is None:
            key = value
        query_mask = getattr(query, "_keras_mask", None)  # Keras 3 reads it from `query`, whatever was passed
        attention_mask = self._compute_attention_mask(query, value, query_mask=query_mask, value_mask=value_mask,
                                                      key_mask=key_mask, attention_mask=attention_mask,
                                                      use_causal_mask=use_causal_mask)
        # the projections don't take masks: they get the inputs without them (Keras deletes them instead)
        query, key, value = _without_mask(query), _without_mask(key), _without_mask(value)
        gate = self._gate_dense(query) if self._use_gate else None
        query = self._query_dense(query)
        key = self._key_dense(key)
        value = self._value_dense(value)
        output, scores = self._compute_attention(query, key, value, attention_mask, training,
                                                 return_attention_scores)
        output = self._output_dense(output if gate is None else output * gate)
        return (output, scores) if return_attention_scores else output

    def _compute_attention_mask(self, query: Any, value: Any, query_mask: Any = None, value_mask: Any = None,
                                key_mask: Any = None, attention_mask: Any = None,
                                use_causal_mask: bool = False) -> Any:
        """The ``(batch, T, S)`` boolean mask combining the query/value/key, causal, sliding-window and
        explicit attention masks (``None`` when there is none)."""
        masks = []
        if query_mask is not None:
            masks.append(tf.expand_dims(_as_bool(query_mask), -1))
        for mask in (value_mask, key_mask):
            if mask is not None:
                masks.append(tf.expand_dims(_as_bool(mask), -2))
        if use_causal_mask:
            masks.append(self._compute_causal_mask(query, value))
        if self._sliding_window is not None:
            masks.append(self._compute_sliding_window_mask(query, value))
        if attention_mask is not None:
            masks.insert(0, _as_bool(attention_mask))
        if not masks:
            return None
        combined = masks[0]
        for mask in masks[1:]:
            combined = tf.logical_and(combined, mask)
        return combined

    def _compute_causal_mask(self, query: Any, value: Any = None) -> Any:
        """``(1, T, S)``: ``True`` where key step ``j <= i`` for query step ``i``."""
        return _causal_mask(_dim(query, 1), _dim(query if value is None else value, 1))

    def _compute_sliding_window_mask(self, query: Any, value: Any = None) -> Any:
        """``(1, T, S)``: ``True`` where ``|i - j| < sliding_window``."""
        row, col = _position_grid(_dim(query, 1), _dim(query if value is None else value, 1))
        return tf.less(tf.abs(row - col), self._sliding_window)

    def _expand_mask(self, mask: Any, rank: int) -> Any:
        """``mask`` with axes added in front of the attention axes (the heads axis first) up to ``rank``."""
        axis = -len(self._attention_axes) * 2 - 1
        for _ in range(rank - len(mask.shape)):
            mask = tf.expand_dims(mask, axis)
        return mask

    def _masked_softmax(self, attention_scores: Any, attention_mask: Any = None) -> Any:
        if attention_mask is None:
            return self._softmax(attention_scores)
        attention_mask = self._expand_mask(attention_mask, len(attention_scores.shape))
        weights = self._softmax(attention_scores, mask=attention_mask)
        try:  # as in Keras, the weights carry the mask given to the softmax
            weights._keras_mask = attention_mask
        except AttributeError:
            pass
        return weights

    def _compute_attention(self, query: Any, key: Any, value: Any, attention_mask: Any = None, training: Any = None,
                           return_attention_scores: bool = False, use_causal_mask: bool = False) -> tuple:
        """Scaled dot-product attention of projected ``(batch, T, heads, key_dim)`` tensors (subclasses may
        override it; ``call`` has already folded the causal mask into ``attention_mask``).

        Returns:
            ``(outputs (batch, T, heads, value_dim), attention weights or None)``.

        Raises:
            ValueError: ``flash_attention`` with ``return_attention_scores`` or on the fused path.
        """
        if self._flash_attention and return_attention_scores:
            raise ValueError("Returning attention scores is not supported when flash attention is enabled. Please "
                             "disable flash attention to access attention scores.")
        if use_causal_mask:
            causal = self._compute_causal_mask(query, value)
            attention_mask = causal if attention_mask is None else tf.logical_and(_as_bool(attention_mask), causal)
        if self._dropout > 0.0 or return_attention_scores or len(query.shape) != 4:
            query = query * self._inverse_sqrt_key_dim
            scores = self._masked_softmax(tf.einsum(self._dot_product_equation, key, query), attention_mask)
            dropped = self._dropout_layer(scores, training=training) if self._dropout > 0.0 else scores
            return tf.einsum(self._combine_equation, dropped, value), scores
        # Keras's fused path (ops.dot_product_attention): masked logits get a large negative value and are not
        # zeroed after the softmax, so fully masked query steps average the values instead of giving zeros.
        if self._flash_attention:
            raise ValueError("Flash attention is not supported in tensorflow backend.")
        logits = tf.einsum(self._dot_product_equation, key, query) * self._inverse_sqrt_key_dim
        if attention_mask is not None:
            large_negative = -0.7 * (65500.0 if logits.dtype == tf.float16 else 3.38953e38)
            logits = tf.where(self._expand_mask(attention_mask, 4), logits, tf.cast(large_negative, logits.dtype))
        return tf.einsum(self._combine_equation, tf.nn.softmax(logits, axis=-1), value), None

    # -- shapes and configuration --------------------------------------------------------------------------
    def compute_output_shape(self, query_shape: Any, value_shape: Any, key_shape: Any = None) -> tuple:
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError("All dimensions of `value` and `key`, except the last one, must be equal. Received: "
                             f"value_shape={value_shape} and key_shape={key_shape}")
        if self._output_shape:
            return query_shape[:-1] + self._output_shape
        return query_shape

    def compute_output_spec(self, query: Any, value: Any, key: Any = None, query_mask: Any = None,
                            value_mask: Any = None, key_mask: Any = None, attention_mask: Any = None,
                            return_attention_scores: bool = False, training: Any = None,
                            use_causal_mask: bool = False) -> Any:
        output_shape = self.compute_output_shape(query.shape, value.shape, None if key is None else key.shape)
        output = KerasTensor(output_shape, dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        # Keras 3 declares the symbolic scores as (batch, heads, T, T), whatever the key length.
        length = query.shape[1]
        return output, KerasTensor((query.shape[0], self._num_heads, length, length), dtype=self.compute_dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        }
