"""Protocol-buffer messages with TensorFlow's field numbers (``Example``, ``TensorProto`` …).

``*_pb2.py`` are generated from the ``.proto`` files beside them and committed; regenerate after editing a
``.proto`` with (from the repository root, ``pip install grpcio-tools==1.75.1``, whose protoc 31.1 emits code
for protobuf >= 6.31.1)::

    python -m grpc_tools.protoc -I. --python_out=. ndflow/protos/*.proto

The messages live in the ``ndflow`` proto package, so they coexist with TensorFlow's in one process; the wire
format does not carry package names, so bytes are interchangeable with TensorFlow's.
"""
import importlib
from types import ModuleType


def load(name: str) -> ModuleType:
    """The generated module ``<name>_pb2``.

    Raises:
        ImportError: the ``protobuf`` package is missing or older than the generated code needs.
    """
    try:
        return importlib.import_module(f"{__name__}.{name}_pb2")
    except ImportError as exc:
        raise ImportError(f"ndflow's protocol buffers ({name}) need the `protobuf` package (>= 6.31.1): "
                          f"pip install protobuf, or ndflow[data]. ({exc})") from None
    except Exception as exc:  # protobuf's VersionError: an installed runtime older than the generated code
        raise ImportError(f"ndflow's protocol buffers need protobuf >= 6.31.1: {exc}") from None
