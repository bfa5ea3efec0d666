"""``keras.preprocessing.image``: image file helpers (``load_img``, ``img_to_array``, ``array_to_img``,
``save_img``, ``smart_resize``) and the classic augmentation API (``ImageDataGenerator``, its iterators and the
``random_*``/``apply_*`` array transforms)."""
from ..utils.image_utils import array_to_img, img_to_array, load_img, save_img, smart_resize
from .image_data_generator import ImageDataGenerator
from .image_iterators import DirectoryIterator, Iterator, NumpyArrayIterator
from .image_transforms import (
    apply_affine_transform,
    apply_brightness_shift,
    apply_channel_shift,
    random_brightness,
    random_channel_shift,
    random_rotation,
    random_shear,
    random_shift,
    random_zoom,
)

__all__ = ["DirectoryIterator", "ImageDataGenerator", "Iterator", "NumpyArrayIterator", "apply_affine_transform",
           "apply_brightness_shift", "apply_channel_shift", "array_to_img", "img_to_array", "load_img",
           "random_brightness", "random_channel_shift", "random_rotation", "random_shear", "random_shift",
           "random_zoom", "save_img", "smart_resize"]
