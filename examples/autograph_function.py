"""``ndflow.function`` with AutoGraph: Python control flow on tensors compiled into a graph.

Usage: ``python examples/autograph_function.py``. Shows the generated code, the graph's ops and timings.
"""
from __future__ import annotations

import timeit

import ndflow as tf


@tf.function
def collatz_steps(n):
    """How many Collatz steps take ``n`` to 1 (a data-dependent while loop with an if inside)."""
    steps = 0
    while n > 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def main() -> int:
    print(tf.autograph.to_code(collatz_steps)[:400], "...\n")
    steps = int(collatz_steps(tf.constant(27)))
    graph = collatz_steps.get_concrete_function(tf.constant(27)).graph
    print("ops:", [op.type for op in graph.get_operations()])
    print("collatz_steps(27) =", steps)
    seconds = timeit.timeit(lambda: collatz_steps(tf.constant(27)), number=3) / 3
    print(f"one call: {seconds * 1e3:.1f} ms (traced once: {collatz_steps.experimental_get_tracing_count()})")
    return steps


if __name__ == "__main__":
    main()
