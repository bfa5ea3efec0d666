"""``tf.train.Example`` and friends: protocol-buffer messages with TensorFlow's field numbers.

They serialize to exactly TensorFlow's bytes (``SerializeToString``/``FromString``). Without the ``protobuf``
package the names still import, and using them raises an ImportError that says what to install.
"""
from __future__ import annotations

from typing import Any

from ..protos import load

__all__ = ["BytesList", "Example", "Feature", "FeatureList", "FeatureLists", "Features", "FloatList", "Int64List",
           "SequenceExample"]


def _unavailable(name: str, error: ImportError) -> type:
    """A stand-in class whose use re-raises the ImportError of the missing ``protobuf`` package."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise ImportError(f"tf.train.{name}: {error}")

    return type(name, (), {"__new__": fail, "FromString": staticmethod(fail), "__doc__": str(error)})


try:
    _feature, _example = load("feature"), load("example")
except ImportError as _error:
    BytesList, Example, Feature, FeatureList, FeatureLists, Features, FloatList, Int64List, SequenceExample = (
        _unavailable(name, _error) for name in __all__)
else:
    BytesList, FloatList, Int64List = _feature.BytesList, _feature.FloatList, _feature.Int64List
    Feature, Features = _feature.Feature, _feature.Features
    FeatureList, FeatureLists = _feature.FeatureList, _feature.FeatureLists
    Example, SequenceExample = _example.Example, _example.SequenceExample
