"""``ProjectedCell``: built-in cells whose input transformation does not depend on the state.

``RNN`` applies ``project`` to the whole sequence at once (one matmul, or one convolution, for every
timestep) and loops only over the function from ``make_step`` (the recurrent matmul and the gates), which
reads the weights once per sequence.
"""
from __future__ import annotations

from typing import Any, Callable

from ...._core.ops import array_ops, math_ops
from .dropout import DropoutRNNCell


class ProjectedCell(DropoutRNNCell):
    """Mixin: ``call(x, states) == make_step(training)(project(x, training), states)``.

    Subclasses define ``project(inputs, training)`` (valid for inputs with any number of leading axes, input
    dropout included) and ``make_step(training)`` returning ``step(projected, states) -> (output, states)``.
    """

    project: Callable
    make_step: Callable

    def call(self, inputs: Any, states: Any, training: Any = False) -> tuple:
        nested = isinstance(states, (list, tuple))
        output, new_states = self.make_step(training)(self.project(inputs, training),
                                                      list(states) if nested else [states])
        if not nested and len(new_states) == 1:
            return output, new_states[0]
        return output, new_states

    def _input_dropout(self, inputs: Any, training: Any) -> Any:
        """The input dropout mask(s) to apply (None when not training or the rate is 0)."""
        if training and 0.0 < self.dropout < 1.0:
            return self.get_dropout_mask(inputs)
        return None

    def _recurrent_dropout(self, state: Any, training: Any) -> Any:
        """The recurrent dropout mask(s) to apply (None when not training or the rate is 0)."""
        if training and 0.0 < self.recurrent_dropout < 1.0:
            return self.get_recurrent_dropout_mask(state)
        return None


def dense(x: Any, kernel: Any) -> Any:
    """``x @ kernel`` over the last axis of ``x`` of any rank (leading axes flattened into one matmul)."""
    if x.shape.rank == 2:
        return math_ops.matmul(x, kernel)
    out = math_ops.matmul(array_ops.reshape(x, [-1, x.shape[-1]]), kernel)
    return restore_leading(out, x, x.shape.rank - 1)


def restore_leading(flat: Any, like: Any, n_leading: int) -> Any:
    """Reshapes ``flat`` (leading axes merged into one) back to the first ``n_leading`` axes of ``like``.

    Static sizes are kept where known (one unknown size becomes -1), so shapes stay static while tracing.
    """
    lead = like.shape.as_list()[:n_leading]
    if lead.count(None) > 1:
        lead_dims = array_ops.shape(like)[:n_leading]
        return array_ops.reshape(flat, array_ops.concat([lead_dims, array_ops.shape(flat)[1:]], axis=0))
    return array_ops.reshape(flat, [-1 if d is None else d for d in lead] + flat.shape.as_list()[1:])


def masked_dense(x: Any, kernel: Any, masks: list) -> Any:
    """Keras's ``implementation=1``: one dropout mask per gate, ``concat([(x * m_k) @ kernel_k])``."""
    pieces = array_ops.split(kernel, len(masks), axis=-1)
    return array_ops.concat([dense(x * m, k) for m, k in zip(masks, pieces)], axis=-1)
