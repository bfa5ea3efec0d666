"""Bounded waits (so a blocking queue can't hang the suite) and real-TF graph sessions for parity."""
import re
import threading


def run_with_timeout(fn, timeout=5.0):
    """Calls ``fn()`` in a daemon thread; returns ``(finished, result_or_exception)``."""
    box = {}

    def target():
        try:
            box["result"] = fn()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            box["result"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    return not thread.is_alive(), box.get("result")


def core_message(exc):
    """The kernel's message in an op error (TF prefixes graph errors with context lines; ndflow appends the
    node), with the resource counter in queue names normalised."""
    lines = [line for line in str(exc).split("\n") if line and not line.startswith(("\t", " ", "Graph execution",
                                                                                     "Detected at", "Node:",
                                                                                     "Original stack"))]
    return re.sub(r"'_\d+_", "'_N_", lines[0])
