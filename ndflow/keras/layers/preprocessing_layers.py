"""Keras preprocessing layers family: re-exports ``ndflow.keras.layers.preprocessing``."""
from .preprocessing import *  # noqa: F403
from .preprocessing import __all__  # noqa: F401
