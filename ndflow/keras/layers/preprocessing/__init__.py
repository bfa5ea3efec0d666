"""Keras preprocessing layers (one module per group): numerical, categorical, lookup, text and image layers."""
from . import categorical, image_augmentation, image_geometry, index_lookup, numerical, text_vectorization
from .categorical import *
from .image_augmentation import *
from .image_geometry import *
from .index_lookup import *
from .numerical import *
from .text_vectorization import *

__all__ = [*numerical.__all__, *categorical.__all__, *index_lookup.__all__, *text_vectorization.__all__,
           *image_geometry.__all__, *image_augmentation.__all__]
