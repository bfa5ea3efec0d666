"""The time loop behind every recurrent layer: a Python loop over a static number of timesteps.

Eagerly the number of timesteps is always known, so sequences of any length work. Inside
``ndflow.function`` the loop unrolls into the traced graph, which needs a static time dimension.
"""
from __future__ import annotations

from typing import Any, Callable

from ...._core.ops import array_ops, math_ops


def run_steps(step: Callable, inputs: list, initial_states: list, masks: list | None = None,
              zero_output_for_mask: bool = False) -> tuple:
    """Runs ``step`` over the timesteps in ``inputs`` (already in processing order).

    Args:
        step: ``step(x_t, states) -> (output, new_states)``; ``states`` is a flat list of tensors.
        inputs: one tensor per timestep.
        initial_states: flat list of the states before the first step.
        masks: one boolean ``(batch, 1)`` tensor per timestep, or None. A masked step keeps the previous
            states and repeats the previous output (zeros before the first kept step, or always zeros with
            ``zero_output_for_mask``).
        zero_output_for_mask: see ``masks``.

    Returns:
        ``(outputs, states)``: the list of per-step outputs and the flat list of final states.
    """
    states = list(initial_states)
    outputs: list = []
    if masks is None:
        for x_t in inputs:
            output, states = step(x_t, states)
            outputs.append(output)
        return outputs, list(states)
    zeros = previous = None
    for x_t, mask_t in zip(inputs, masks):
        output, new_states = step(x_t, states)
        if zeros is None:
            zeros = previous = array_ops.zeros_like(output)
        output = math_ops.where(_fit(mask_t, output), output, zeros if zero_output_for_mask else previous)
        states = [math_ops.where(_fit(mask_t, new), new, old) for new, old in zip(new_states, states)]
        outputs.append(output)
        previous = output
    return outputs, states


def _fit(mask_t: Any, like: Any) -> Any:
    """``mask_t`` (``(batch, 1)``) reshaped to broadcast against ``like`` of any rank."""
    rank = like.shape.rank
    if rank is None or rank == 2:
        return mask_t
    return array_ops.reshape(mask_t, [-1] + [1] * (rank - 1))
