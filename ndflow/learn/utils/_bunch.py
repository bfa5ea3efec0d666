"""``Bunch``: a dict whose keys are also attributes (what dataset loaders return)."""
from __future__ import annotations

from typing import Any

__all__ = ["Bunch"]


class Bunch(dict):
    """Dictionary with attribute access: ``b["data"]`` and ``b.data`` are the same entry."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kwargs)

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __delattr__(self, key: str) -> None:
        try:
            del self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __dir__(self) -> list[str]:
        return list(self.keys())

    def __setstate__(self, state: Any) -> None:
        # Pickles made by ``dict`` carry the items already; an instance ``__dict__`` is never used.
        pass
