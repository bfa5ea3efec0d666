"""Op modules: importing this package fills the op table and the public-name registry.

It also gives ``Tensor`` and ``Variable`` their Python operators, all dispatched through ops.
"""
from __future__ import annotations

import importlib

from ..tensor import Tensor, convert_to_tensor
from ..variable import Variable

# Image ops load with ``ndflow.image`` (they are not needed by ``import ndflow``). The sparse, TensorArray,
# convolution, pooling and linear-algebra ops load on first use (``load_deferred``): ``ndflow.sparse``,
# ``ndflow.sets``, the public names they export (``tf.SparseTensor``, ``tf.nn.conv2d``, ``tf.linalg.inv`` …) and
# op-table lookups load them.
from . import (  # noqa: F401
    array_ops,
    clip_ops,
    creation_ops,
    math_ops,
    nn_losses,
    nn_norm,
    nn_ops,
    random_ops,
    reduction_ops,
    segment_ops,
    shape_rules,
    sort_ops,
)

DEFERRED_MODULES = ("ndflow._core.tensor_array", "ndflow._core.ops.sparse_ops", "ndflow._core.ops.conv_ops",
                    "ndflow._core.ops.pooling_ops", "ndflow._core.ops.linalg_ops")
DEFERRED_NAMESPACES = frozenset({"sparse", "sets"})  # filled only by the deferred modules


def load_deferred() -> None:
    """Imports the op modules ``import ndflow`` leaves out: their ops join the op table (with the shared shape
    rules), their names the registry."""
    for name in DEFERRED_MODULES:
        importlib.import_module(name)
    shape_rules.attach()


# dunder → (op module, function name, operands reflected)
_OPERATORS = {
    "__add__": (math_ops, "add", False), "__radd__": (math_ops, "add", True),
    "__sub__": (math_ops, "subtract", False), "__rsub__": (math_ops, "subtract", True),
    "__mul__": (math_ops, "multiply", False), "__rmul__": (math_ops, "multiply", True),
    "__truediv__": (math_ops, "divide", False), "__rtruediv__": (math_ops, "divide", True),
    "__floordiv__": (math_ops, "floordiv", False), "__rfloordiv__": (math_ops, "floordiv", True),
    "__mod__": (math_ops, "floormod", False), "__rmod__": (math_ops, "floormod", True),
    "__pow__": (math_ops, "pow", False), "__rpow__": (math_ops, "pow", True),
    "__matmul__": (math_ops, "matmul", False), "__rmatmul__": (math_ops, "matmul", True),
    "__lt__": (math_ops, "less", False), "__le__": (math_ops, "less_equal", False),
    "__gt__": (math_ops, "greater", False), "__ge__": (math_ops, "greater_equal", False),
    "__and__": (math_ops, "_and", False), "__rand__": (math_ops, "_and", True),
    "__or__": (math_ops, "_or", False), "__ror__": (math_ops, "_or", True),
    "__xor__": (math_ops, "_xor", False), "__rxor__": (math_ops, "_xor", True),
}
_UNARY = {"__neg__": (math_ops, "negative"), "__abs__": (math_ops, "abs"), "__invert__": (math_ops, "_invert")}


def _binary(fn, reflected):
    if reflected:
        # TF converts the left (Python) operand to the tensor's dtype strictly: TypeError if it can't.
        def reflected_op(self, other):
            if not isinstance(other, Tensor) and not hasattr(other, "_as_tensor"):
                other = convert_to_tensor(other, dtype=self.dtype)
            return fn(other, self)
        return reflected_op
    # a composite right operand (RaggedTensor …) handles the op through its reflected method
    return lambda self, other: NotImplemented if getattr(other, "_is_composite", False) else fn(self, other)


def _eq(self, other):
    if other is None:
        return False
    return math_ops._tensor_equals(self, other)


def _ne(self, other):
    if other is None:
        return True
    return math_ops._tensor_not_equals(self, other)


def _bind_operators(cls: type) -> None:
    for dunder, (module, fname, reflected) in _OPERATORS.items():
        fn = getattr(module, fname, None)
        if fn is not None:
            setattr(cls, dunder, _binary(fn, reflected))
    for dunder, (module, fname) in _UNARY.items():
        fn = getattr(module, fname, None)
        if fn is not None:
            setattr(cls, dunder, fn)
    if hasattr(math_ops, "_tensor_equals"):
        cls.__eq__ = _eq
        cls.__ne__ = _ne
    cls.__pos__ = lambda self: self
    cls.__getitem__ = lambda self, key: array_ops.slice_helper(self, key)


_bind_operators(Tensor)
_bind_operators(Variable)
Variable.__getitem__ = Variable._getitem
shape_rules.attach()
