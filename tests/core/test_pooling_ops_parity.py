"""Parity of pooling with real TensorFlow: values, dtypes, argmax indices, gradients (ties) and error types."""
import numpy as np
import pytest

import ndflow as tf
from tests.core.test_conv_ops_parity import _compare

pytestmark = pytest.mark.parity
RS = np.random.RandomState(4)
F32 = np.float32
TIES = np.array([[1, 3, 3, 2], [2, 3, 0, 2], [5, 1, 5, 5], [0, 5, 2, 1]], F32).reshape(1, 4, 4, 1)


@pytest.mark.parametrize("kind", ["max_pool2d", "avg_pool2d"])
@pytest.mark.parametrize("ksize,strides", [(2, 2), (3, 1), ([2, 3], [1, 2]), (3, 2)])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_pool2d(kind, ksize, strides, padding):
    x = RS.randn(2, 7, 6, 3).astype(F32)
    _compare(lambda lib: lambda a: getattr(lib.nn, kind)(a, ksize, strides, padding), x)


@pytest.mark.parametrize("kind", ["max_pool2d", "avg_pool2d"])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_ties_route_like_tf(kind, padding):
    _compare(lambda lib: lambda a: getattr(lib.nn, kind)(a, 2, 1, padding), TIES)
    _compare(lambda lib: lambda a: getattr(lib.nn, kind)(a, 3, 2, padding), TIES)


def test_max_pool_explicit_and_depthwise():
    x = RS.randn(2, 5, 5, 6).astype(F32)
    _compare(lambda lib: lambda a: lib.nn.max_pool2d(a, 2, 2, [[0, 0], [1, 1], [0, 1], [0, 0]]), x)
    # TF has no gradient for depth-wise max pooling on the CPU (ndflow has one): forward values only
    _compare(lambda lib: lambda a: lib.nn.max_pool(a, (1, 1, 1, 3), (1, 1, 1, 3), "VALID"), x, grad=False)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.float16, np.float64])
def test_max_pool_dtypes(dtype):
    x = (RS.rand(2, 5, 5, 2) * 100).astype(dtype)
    _compare(lambda lib: lambda a: lib.nn.max_pool2d(a, 2, 2, "SAME"), x, grad=False)


@pytest.mark.parametrize("kind", ["max_pool", "avg_pool"])
def test_1d_3d_and_generic(kind):
    x1, x3 = RS.randn(2, 9, 3).astype(F32), RS.randn(1, 4, 5, 6, 2).astype(F32)
    _compare(lambda lib: lambda a: getattr(lib.nn, kind + "1d")(a, 3, 2, "SAME"), x1)
    _compare(lambda lib: lambda a: getattr(lib.nn, kind + "3d")(a, 2, [1, 2, 2], "SAME"), x3)
    _compare(lambda lib: lambda a: getattr(lib.nn, kind)(a, 3, 2, "VALID"), x1)
    x = RS.randn(1, 7, 7, 2).astype(F32)
    pooling_type = "MAX" if kind == "max_pool" else "AVG"
    _compare(lambda lib: lambda a: lib.nn.pool(a, [2, 2], pooling_type, padding="VALID", dilations=[2, 2]), x)
    _compare(lambda lib: lambda a: lib.nn.pool(a, [3, 2], pooling_type, strides=[2, 1], padding="SAME"), x)


@pytest.mark.parametrize("include_batch", [False, True])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_max_pool_with_argmax(include_batch, padding):
    tf_ref = pytest.importorskip("tensorflow")
    import ndflow as tf

    x = np.concatenate([TIES, RS.randn(1, 4, 4, 1).astype(F32)])
    x = np.concatenate([x, x[..., ::-1] * 2], axis=-1)
    for dtype in ("int64", "int32"):
        mine = tf.nn.max_pool_with_argmax(x, 2, 1, padding, output_dtype=dtype,
                                          include_batch_in_index=include_batch)
        ref = tf_ref.nn.max_pool_with_argmax(x, 2, 1, padding, output_dtype=dtype,
                                             include_batch_in_index=include_batch)
        np.testing.assert_array_equal(mine[0].numpy(), ref[0].numpy())
        np.testing.assert_array_equal(mine[1].numpy(), ref[1].numpy())
        assert mine[1].dtype.name == ref[1].dtype.name
    _compare(lambda lib: lambda a: lib.nn.max_pool_with_argmax(a, 2, 1, padding)[0], x)


@pytest.mark.parametrize("make", [
    lambda lib: lambda a: lib.nn.max_pool2d(a, [1, 2, 2], 2, "VALID"),
    lambda lib: lambda a: lib.nn.max_pool2d(a, 2, 2, "FOO"),
    lambda lib: lambda a: lib.nn.avg_pool2d(a, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]),
    lambda lib: lambda a: lib.nn.max_pool2d(a, 7, 1, "VALID"),
    lambda lib: lambda a: lib.nn.max_pool2d(a, 0, 1, "VALID"),
    lambda lib: lambda a: lib.nn.max_pool(a, (2, 1, 1, 1), 1, "VALID"),
    lambda lib: lambda a: lib.nn.max_pool(a, (1, 1, 1, 2), (1, 1, 1, 2), "VALID"),
    lambda lib: lambda a: lib.nn.avg_pool2d(lib.cast(a, lib.int32), 2, 2, "VALID"),
    lambda lib: lambda a: lib.nn.pool(a, [2, 2], "MIN"),
    lambda lib: lambda a: lib.nn.pool(a, [2, 2], "MAX", padding="SAME", dilations=[2, 2]),
    lambda lib: lambda a: lib.nn.max_pool_with_argmax(a, 2, 2, "VALID", output_dtype=lib.float32)[0],
])
def test_error_types(make):
    _compare(make, RS.randn(2, 5, 5, 3).astype(F32), grad=False)


# TF 2.21's oneDNN kernels (on by default on recent x86 CPUs) abort the process, raise AbortedError or
# return other values for these inputs, so real TF is no machine-independent reference here; we check TF's
# reference-kernel behaviour (its documented error types and messages) instead.
def test_depthwise_average_pooling_error_of_tf_reference_kernels():
    with pytest.raises(tf.errors.UnimplementedError, match="Non-spatial pooling is not yet supported"):
        tf.nn.avg_pool(RS.randn(2, 5, 5, 3).astype(F32), (1, 1, 1, 3), (1, 1, 1, 3), "VALID")
