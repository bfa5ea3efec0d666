"""``tf.summary.experimental``: the default step, summary scopes and raw ``Summary`` protos."""
from __future__ import annotations

import contextlib
import re
from typing import Any, Iterator

import numpy as np

from .writer import get_step, scoped_tag, set_step, write_value

__all__ = ["get_step", "set_step", "summary_scope", "write_raw_pb"]

_INVALID_SCOPE_CHARACTERS = re.compile(r"[^-_/.A-Za-z0-9]")


@contextlib.contextmanager
def summary_scope(name: str | None, default_name: str | None = None, values: Any = None) -> Iterator[tuple]:
    """Yields ``(tag, scope)``: the summary tag for ``name`` under the current name scope, and a name scope
    opened for the summary's ops."""
    from .._core.graph import name_scope

    name = name or default_name
    tag = scoped_tag(name)
    with name_scope(_INVALID_SCOPE_CHARACTERS.sub("", name) or "summary") as scope:
        yield tag, scope


def write_raw_pb(tensor: Any, step: Any = None, name: str | None = None) -> Any:
    """Writes serialized ``Summary`` protos (a string scalar or vector; their values are concatenated, as
    protobuf merges messages) as one event at ``step``."""
    from ..protos import load

    def build(data: Any) -> Any:
        blobs = [bytes(b) for b in np.asarray(data, dtype=object).reshape(-1)]
        return load("summary").Summary.FromString(b"".join(blobs))

    return write_value(build, [tensor], step)
