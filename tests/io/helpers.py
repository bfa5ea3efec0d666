"""Helpers shared by the io tests."""
import re


def tf_message(exc: Exception) -> str:
    """An error's text without TF's eager function-node prefix and ``name:`` suffix."""
    text = re.sub(r"^\{\{function_node [^}]*\}\} ", "", str(exc))
    return re.sub(r" name: $", "", text)


def outcome(fn):
    """``("ok", value)`` or ``("error", exception type name, normalized message)`` for ``fn()``."""
    try:
        return ("ok", fn())
    except Exception as exc:  # noqa: BLE001 - the error is what the tests compare
        return ("error", type(exc).__name__, tf_message(exc))
