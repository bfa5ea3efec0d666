"""``ndflow.autograph``: inspect and control AutoGraph's conversion of Python control flow."""
from ._core.autograph import do_not_convert, to_code, to_graph

__all__ = ["do_not_convert", "to_code", "to_graph"]
