"""``keras.applications``: every ImageNet classification network of Keras 3.15 (VGG, ResNet, DenseNet,
Inception, Inception-ResNet, Xception, MobileNet, EfficientNet, ConvNeXt, NASNet).

Each constructor builds Keras's functional model (same layer names, order and weights) and can load Keras's
published ImageNet weights. The modules (``vgg16``, ``resnet50`` …) also hold each network's
``preprocess_input`` and ``decode_predictions``. Modules load on first access.
"""
import importlib as _importlib

_MODULES = ("convnext", "densenet", "efficientnet", "efficientnet_v2", "imagenet_utils", "inception_resnet_v2",
            "inception_v3", "mobilenet", "mobilenet_v2", "mobilenet_v3", "nasnet", "resnet", "resnet50", "resnet_v2",
            "vgg16", "vgg19", "xception")
_CONSTRUCTORS = {
    "VGG16": "vgg16", "VGG19": "vgg19", "ResNet50": "resnet", "ResNet101": "resnet", "ResNet152": "resnet",
    "ResNet50V2": "resnet_v2", "ResNet101V2": "resnet_v2", "ResNet152V2": "resnet_v2", "DenseNet121": "densenet",
    "DenseNet169": "densenet", "DenseNet201": "densenet", "InceptionV3": "inception_v3", "Xception": "xception",
    "MobileNet": "mobilenet", "MobileNetV2": "mobilenet_v2", "InceptionResNetV2": "inception_resnet_v2",
    "MobileNetV3Small": "mobilenet_v3", "MobileNetV3Large": "mobilenet_v3",
    **{f"EfficientNetB{i}": "efficientnet" for i in range(8)},
    **{f"EfficientNetV2{v}": "efficientnet_v2" for v in ("B0", "B1", "B2", "B3", "S", "M", "L")},
    **{f"ConvNeXt{v}": "convnext" for v in ("Tiny", "Small", "Base", "Large", "XLarge")},
    "NASNetMobile": "nasnet", "NASNetLarge": "nasnet",
}
__all__ = sorted([*_MODULES, *_CONSTRUCTORS])


def __getattr__(name: str):
    if name in _MODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    if name in _CONSTRUCTORS:
        return getattr(_importlib.import_module(f"{__name__}.{_CONSTRUCTORS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_MODULES, *_CONSTRUCTORS])
