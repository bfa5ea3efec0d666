"""Keras layers: attention family (being written)."""

__all__: list[str] = []
