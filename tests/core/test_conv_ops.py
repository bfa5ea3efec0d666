"""Convolutions: values against direct-loop NumPy references, shapes, dtypes, errors and float64 gradients."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.errors import InvalidArgumentError, UnimplementedError
from tests.gradcheck import check_gradients

RS = np.random.RandomState(0)


def same_pads(n, k, s, d=1):
    """TF's SAME rule: output ceil(n / s); the odd padding element goes at the end."""
    out = -(-n // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def ref_conv(x, w, strides, pads, dilations=None, groups=1):
    """Channels-last N-D convolution by explicit loops over output positions (float64)."""
    nd = x.ndim - 2
    dil = dilations or (1,) * nd
    xp = np.pad(x.astype(np.float64), [(0, 0)] + list(pads) + [(0, 0)])
    k = w.shape[:nd]
    cg, o = w.shape[-2:]
    og = o // groups
    outs = [(xp.shape[1 + i] - (k[i] - 1) * dil[i] - 1) // strides[i] + 1 for i in range(nd)]
    y = np.zeros((x.shape[0], *outs, o))
    for pos in np.ndindex(*outs):
        window = tuple(slice(p * s, p * s + (kk - 1) * d + 1, d) for p, s, kk, d in zip(pos, strides, k, dil))
        patch = xp[(slice(None),) + window]
        for g in range(groups):
            y[(slice(None),) + pos + (slice(g * og, (g + 1) * og),)] = np.tensordot(
                patch[..., g * cg:(g + 1) * cg], w[..., g * og:(g + 1) * og], axes=nd + 1)
    return y


def ref_depthwise(x, w, strides, pads, dilations=(1, 1)):
    c, m = w.shape[-2:]
    y = np.stack([ref_conv(x[..., i:i + 1], w[:, :, i:i + 1, :], strides, pads, dilations) for i in range(c)],
                 axis=-2)
    return y.reshape(*y.shape[:-2], c * m)


def grads(f, *inputs):
    ts = [tf.constant(v) for v in inputs]
    with tf.GradientTape() as tape:
        tape.watch(ts)
        y = f(*ts)
    return [g.numpy() for g in tape.gradient(y, ts)]


X = RS.randn(2, 5, 5, 3).astype(np.float32)
W = RS.randn(3, 3, 3, 4).astype(np.float32)


# ---------------------------------------------------------------------------------------------------------
# Exports and the spec's shapes


@pytest.mark.parametrize("name", ["conv1d", "conv2d", "conv3d", "convolution", "conv2d_transpose",
                                  "conv1d_transpose", "conv3d_transpose", "conv_transpose", "depthwise_conv2d",
                                  "separable_conv2d", "atrous_conv2d", "atrous_conv2d_transpose",
                                  "conv2d_backprop_input", "conv2d_backprop_filter",
                                  "depthwise_conv2d_backprop_input", "depthwise_conv2d_backprop_filter",
                                  "conv3d_backprop_filter", "conv3d_backprop_filter_v2"])
def test_exported_in_nn(name):
    assert callable(getattr(tf.nn, name))


def test_spec_explicit_padding_keeps_size():
    out = tf.nn.conv2d(tf.random.normal([2, 5, 5, 3]), tf.random.normal([3, 3, 3, 4]), strides=1,
                       padding=[[0, 0], [1, 1], [1, 1], [0, 0]])
    assert out.shape == (2, 5, 5, 4)
    assert out.dtype == tf.float32


@pytest.mark.parametrize("padding,size", [("VALID", 11), ("SAME", 10)])
def test_spec_transposed_output_sizes(padding, size):
    out = tf.nn.conv2d_transpose(tf.ones([1, 5, 5, 4]), tf.ones([3, 3, 2, 4]), [1, size, size, 2], 2, padding)
    assert out.shape == (1, size, size, 2)


def test_spec_dilated_conv_output():
    assert tf.nn.atrous_conv2d(tf.ones([1, 7, 7, 1]), tf.ones([3, 3, 1, 1]), 2, "VALID").shape == (1, 3, 3, 1)
    assert tf.nn.conv2d(tf.ones([1, 7, 7, 1]), tf.ones([3, 3, 1, 1]), 1, "VALID", dilations=2).shape == (1, 3, 3, 1)


# ---------------------------------------------------------------------------------------------------------
# Values


@pytest.mark.parametrize("strides", [1, 2, [2, 1], [1, 3, 2, 1]])
@pytest.mark.parametrize("padding", ["SAME", "VALID", [[0, 0], [2, 0], [1, 1], [0, 0]]])
def test_conv2d_matches_reference(strides, padding):
    s = {1: (1, 1), 2: (2, 2)}.get(strides) if isinstance(strides, int) else tuple(strides[-3:-1]) \
        if len(strides) == 4 else tuple(strides)
    if padding == "SAME":
        pads = [same_pads(5, 3, s[0]), same_pads(5, 3, s[1])]
    elif padding == "VALID":
        pads = [(0, 0), (0, 0)]
    else:
        pads = [tuple(p) for p in padding[1:3]]
    out = tf.nn.conv2d(X, W, strides, padding)
    np.testing.assert_allclose(out.numpy(), ref_conv(X, W, s, pads), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("dilations", [2, [2, 1], [1, 2, 1, 1]])
def test_conv2d_dilations(dilations):
    x = RS.randn(1, 7, 6, 2).astype(np.float32)
    w = RS.randn(3, 2, 2, 3).astype(np.float32)
    d = (2, 2) if dilations == 2 else tuple(dilations[-3:-1]) if len(dilations) == 4 else tuple(dilations)
    out = tf.nn.conv2d(x, w, 1, "SAME", dilations=dilations)
    pads = [same_pads(7, 3, 1, d[0]), same_pads(6, 2, 1, d[1])]
    np.testing.assert_allclose(out.numpy(), ref_conv(x, w, (1, 1), pads, d), rtol=1e-5, atol=1e-5)


def test_conv2d_grouped():
    x = RS.randn(2, 4, 4, 4)
    w = RS.randn(3, 3, 2, 6)
    out = tf.nn.conv2d(x, w, 1, "SAME")
    np.testing.assert_allclose(out.numpy(), ref_conv(x, w, (1, 1), [(1, 1), (1, 1)], groups=2), rtol=1e-10)


def test_conv2d_nchw_matches_nhwc():
    out = tf.nn.conv2d(np.moveaxis(X, -1, 1), W, 2, "SAME", data_format="NCHW")
    ref = tf.nn.conv2d(X, W, 2, "SAME")
    np.testing.assert_allclose(np.moveaxis(out.numpy(), 1, -1), ref.numpy(), rtol=1e-6, atol=1e-6)


def test_conv2d_extra_batch_dims():
    x = RS.randn(2, 3, 5, 5, 3).astype(np.float32)
    out = tf.nn.conv2d(x, W, 1, "VALID")
    assert out.shape == (2, 3, 3, 3, 4)
    np.testing.assert_allclose(out.numpy()[1], tf.nn.conv2d(x[1], W, 1, "VALID").numpy(), rtol=1e-6)


@pytest.mark.parametrize("dtype", [tf.float16, tf.float64, tf.int32, tf.bfloat16])
def test_conv2d_dtypes(dtype):
    x = tf.cast(tf.constant(np.arange(2 * 4 * 4 * 2).reshape(2, 4, 4, 2) % 5), dtype)
    w = tf.cast(tf.constant(np.arange(3 * 3 * 2 * 3).reshape(3, 3, 2, 3) % 3 - 1), dtype)
    out = tf.nn.conv2d(x, w, 1, "SAME")
    assert out.dtype == dtype
    ref = ref_conv(x.numpy().astype(np.float64), w.numpy().astype(np.float64), (1, 1), [(1, 1), (1, 1)])
    np.testing.assert_allclose(out.numpy().astype(np.float64), ref)


def test_conv1d():
    x = RS.randn(2, 7, 3)
    w = RS.randn(3, 3, 4)
    out = tf.nn.conv1d(x, w, 2, "SAME")
    assert out.shape == (2, 4, 4)
    np.testing.assert_allclose(out.numpy(), ref_conv(x, w, (2,), [same_pads(7, 3, 2)]), rtol=1e-10)
    out = tf.nn.conv1d(np.moveaxis(x, -1, 1), w, 1, "VALID", data_format="NCW", dilations=2)
    np.testing.assert_allclose(np.moveaxis(out.numpy(), 1, -1), ref_conv(x, w, (1,), [(0, 0)], (2,)), rtol=1e-10)


def test_conv3d():
    x = RS.randn(2, 4, 5, 3, 2)
    w = RS.randn(2, 3, 2, 2, 3)
    out = tf.nn.conv3d(x, w, [1, 2, 1, 2, 1], "SAME")
    pads = [same_pads(4, 2, 2), same_pads(5, 3, 1), same_pads(3, 2, 2)]
    np.testing.assert_allclose(out.numpy(), ref_conv(x, w, (2, 1, 2), pads), rtol=1e-10)
    out = tf.nn.conv3d(np.moveaxis(x, -1, 1), w, [1, 1, 1, 1, 1], "VALID", data_format="NCDHW")
    np.testing.assert_allclose(np.moveaxis(out.numpy(), 1, -1), ref_conv(x, w, (1, 1, 1), [(0, 0)] * 3),
                               rtol=1e-10)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_convolution_dispatches_on_rank(rank):
    x = RS.randn(1, *([5] * rank), 2)
    w = RS.randn(*([2] * rank), 2, 3)
    out = tf.nn.convolution(x, w, padding="VALID")
    np.testing.assert_allclose(out.numpy(), ref_conv(x, w, (1,) * rank, [(0, 0)] * rank), rtol=1e-10)


def _adjoint_pair(x_shape, w, y_shape, forward, transpose):
    """<forward(x), y> == <x, transpose(y)>: the transposed convolution is the convolution's adjoint."""
    x, y = RS.randn(*x_shape), RS.randn(*y_shape)
    lhs = np.sum(forward(x).numpy() * y)
    rhs = np.sum(x * transpose(y).numpy())
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10)


@pytest.mark.parametrize("padding,size", [("SAME", 10), ("SAME", 9), ("VALID", 11),
                                          ([[0, 0], [1, 1], [1, 1], [0, 0]], 9)])
def test_conv2d_transpose_is_adjoint_of_conv2d(padding, size):
    w = RS.randn(3, 3, 2, 4)
    _adjoint_pair((1, size, size, 2), w, (1, 5, 5, 4), lambda x: tf.nn.conv2d(x, w, 2, padding),
                  lambda y: tf.nn.conv2d_transpose(y, w, [1, size, size, 2], 2, padding))


def test_conv2d_transpose_spatial_output_shape_and_dilations():
    w = RS.randn(3, 3, 2, 4)
    out = tf.nn.conv2d_transpose(RS.randn(1, 5, 5, 4), w, [10, 10], 2, "SAME")
    assert out.shape == (1, 10, 10, 2)
    _adjoint_pair((1, 9, 9, 2), w, (1, 5, 5, 4), lambda x: tf.nn.conv2d(x, w, 1, "VALID", dilations=2),
                  lambda y: tf.nn.atrous_conv2d_transpose(y, w, [1, 9, 9, 2], 2, "VALID"))


def test_conv1d_and_conv3d_transpose_are_adjoints():
    w1 = RS.randn(3, 2, 4)
    _adjoint_pair((2, 10, 2), w1, (2, 5, 4), lambda x: tf.nn.conv1d(x, w1, 2, "SAME"),
                  lambda y: tf.nn.conv1d_transpose(y, w1, [2, 10, 2], 2, "SAME"))
    w3 = RS.randn(2, 2, 2, 2, 3)
    _adjoint_pair((1, 4, 4, 4, 2), w3, (1, 2, 2, 2, 3), lambda x: tf.nn.conv3d(x, w3, [1, 2, 2, 2, 1], "VALID"),
                  lambda y: tf.nn.conv3d_transpose(y, w3, [1, 4, 4, 4, 2], 2, "VALID"))
    assert tf.nn.conv_transpose(tf.ones([1, 5, 4]), tf.ones([3, 2, 4]), [1, 10, 2], 2).shape == (1, 10, 2)


def test_backprop_functions_match_tape_gradients():
    x, w = RS.randn(2, 5, 5, 3), RS.randn(3, 3, 3, 4)
    dy = RS.randn(2, 3, 3, 4)
    gx, gw = grads(lambda a, b: tf.reduce_sum(tf.nn.conv2d(a, b, 2, "SAME") * dy), x, w)
    bi = tf.nn.conv2d_backprop_input([2, 5, 5, 3], w, dy, [1, 2, 2, 1], "SAME")
    bf = tf.nn.conv2d_backprop_filter(x, [3, 3, 3, 4], dy, [1, 2, 2, 1], "SAME")
    np.testing.assert_allclose(bi.numpy(), gx, rtol=1e-10)
    np.testing.assert_allclose(bf.numpy(), gw, rtol=1e-10)
    # and against a dense Jacobian of the reference
    eps = RS.randn(*x.shape)
    lhs = np.sum(bi.numpy() * eps)
    rhs = np.sum(ref_conv(eps, w, (2, 2), [(1, 1), (1, 1)]) * dy)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10)


@pytest.mark.parametrize("strides,padding,dilations", [([1, 1, 1, 1], "SAME", None), ([1, 2, 2, 1], "VALID", None),
                                                       ([1, 1, 1, 1], "SAME", [2, 2]),
                                                       ([1, 1, 1, 1], [[0, 0], [1, 2], [0, 1], [0, 0]], None)])
def test_depthwise_conv2d(strides, padding, dilations):
    x, w = RS.randn(2, 6, 5, 3), RS.randn(3, 3, 3, 2)
    d = tuple(dilations or (1, 1))
    if padding == "SAME":
        pads = [same_pads(6, 3, strides[1], d[0]), same_pads(5, 3, strides[2], d[1])]
    elif padding == "VALID":
        pads = [(0, 0), (0, 0)]
    else:
        pads = [tuple(p) for p in padding[1:3]]
    out = tf.nn.depthwise_conv2d(x, w, strides, padding, dilations=dilations)
    np.testing.assert_allclose(out.numpy(), ref_depthwise(x, w, tuple(strides[1:3]), pads, d), rtol=1e-10)


def test_depthwise_backprops_are_adjoints():
    w = RS.randn(3, 3, 3, 2)
    _adjoint_pair((2, 5, 5, 3), w, (2, 3, 3, 6), lambda x: tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME"),
                  lambda y: tf.nn.depthwise_conv2d_backprop_input([2, 5, 5, 3], w, y, [1, 2, 2, 1], "SAME"))
    x, dy = RS.randn(2, 5, 5, 3), RS.randn(2, 3, 3, 6)
    gw = grads(lambda a, b: tf.reduce_sum(tf.nn.depthwise_conv2d(a, b, [1, 2, 2, 1], "SAME") * dy), x, w)[1]
    bf = tf.nn.depthwise_conv2d_backprop_filter(x, [3, 3, 3, 2], dy, [1, 2, 2, 1], "SAME")
    np.testing.assert_allclose(bf.numpy(), gw, rtol=1e-10)


def test_separable_conv2d_is_depthwise_then_pointwise():
    x, dw, pw = RS.randn(2, 5, 5, 3), RS.randn(3, 3, 3, 2), RS.randn(1, 1, 6, 4)
    out = tf.nn.separable_conv2d(x, dw, pw, [1, 1, 1, 1], "SAME")
    ref = ref_conv(ref_depthwise(x, dw, (1, 1), [(1, 1), (1, 1)]), pw, (1, 1), [(0, 0), (0, 0)])
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-10)
    # the spec's parameter count: 3*3*3*1 + 1*1*3*4 = 39 against 108 for a full conv
    assert 3 * 3 * 3 * 1 + 1 * 1 * 3 * 4 == 39


def test_atrous_conv2d_values():
    x, w = RS.randn(1, 7, 7, 2), RS.randn(3, 3, 2, 2)
    out = tf.nn.atrous_conv2d(x, w, 2, "SAME")
    pads = [same_pads(7, 3, 1, 2)] * 2
    np.testing.assert_allclose(out.numpy(), ref_conv(x, w, (1, 1), pads, (2, 2)), rtol=1e-10)


# ---------------------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize("call,exc,message", [
    (lambda: tf.nn.conv2d(X, W, 1, "FOO"), InvalidArgumentError, "Value for attr 'padding'"),
    (lambda: tf.nn.conv2d(X, W, 1, "same"), InvalidArgumentError, "Value for attr 'padding'"),
    (lambda: tf.nn.conv2d(X[0], W, 1, "SAME"), InvalidArgumentError, "convolution input must be 4-dimensional"),
    (lambda: tf.nn.conv2d(X, W[0], 1, "SAME"), InvalidArgumentError, "convolution filter must be 4-dimensional"),
    (lambda: tf.nn.conv2d(X, W[:, :, :2], 1, "SAME"), InvalidArgumentError,
     "input depth must be evenly divisible by filter depth: 3 vs 2"),
    (lambda: tf.nn.conv2d(X, W, [1, 1, 1], "SAME"), ValueError, "strides should be of length 1, 2 or 4"),
    (lambda: tf.nn.conv2d(X, W, [2, 1, 1, 1], "SAME"), UnimplementedError, "strides in the batch and depth"),
    (lambda: tf.nn.conv2d(X, W, 0, "SAME"), InvalidArgumentError, "strides should be larger than 0"),
    (lambda: tf.nn.conv2d(X, W, 1, "SAME", dilations=[2, 1, 1, 1]), UnimplementedError,
     "dilations in the batch and depth"),
    (lambda: tf.nn.conv2d(X, tf.ones([7, 7, 3, 4]), 1, "VALID"), InvalidArgumentError,
     "Computed output size would be negative: -1 [input_size: 5, effective_filter_size: 7, stride: 1]"),
    (lambda: tf.nn.conv2d(X, W, 1, [[1, 1], [1, 1], [1, 1], [0, 0]]), InvalidArgumentError,
     "Nonzero explicit padding in the batch or depth dimensions"),
    (lambda: tf.nn.conv2d(X, W, 1, [[0, 0], [-1, 1], [1, 1], [0, 0]]), InvalidArgumentError,
     "must be nonnegative"),
    (lambda: tf.nn.conv2d(X, W, 1, [[0, 0], [1, 1], [1, 1]]), ValueError, "it must be of size 4"),
    (lambda: tf.nn.conv2d(tf.constant(X), tf.constant(W, tf.float64), 1, "SAME"), InvalidArgumentError,
     "expected to be a float tensor but is a double tensor"),
    (lambda: tf.nn.conv2d(tf.ones([1, 3, 3, 1], tf.int64), tf.ones([1, 1, 1, 1], tf.int64), 1, "SAME"),
     InvalidArgumentError, "Value for attr 'T' of int64"),
    (lambda: tf.nn.conv3d(tf.ones([1, 3, 3, 3, 1]), tf.ones([1, 1, 1, 1, 1]), 2, "SAME"), TypeError,
     "Expected list for 'strides'"),
    (lambda: tf.nn.conv3d(tf.ones([1, 3, 3, 3, 4]), tf.ones([1, 1, 1, 2, 1]), [1] * 5, "SAME"),
     InvalidArgumentError, "Number of channels in filter (2) must match last dimension of input (4)"),
    (lambda: tf.nn.convolution(tf.ones([1, 3, 3, 3, 3, 1]), tf.ones([1, 1, 1, 1, 1, 1])), ValueError,
     "`num_spatial_dims` must be 1, 2, or 3"),
    (lambda: tf.nn.conv2d_transpose(tf.ones([1, 5, 5, 4]), tf.ones([3, 3, 2, 4]), [1, 12, 12, 2], 2, "SAME"),
     InvalidArgumentError, "Size of out_backprop doesn't match computed: actual = 5, computed = 6"),
    (lambda: tf.nn.conv2d_transpose(tf.ones([1, 5, 5, 3]), tf.ones([3, 3, 2, 4]), [1, 10, 10, 2], 2, "SAME"),
     InvalidArgumentError, "filter and out_backprop must have the same out_depth"),
    (lambda: tf.nn.conv2d_transpose(tf.ones([1, 5, 5, 4]), tf.ones([3, 3, 2, 4]), [10, 10, 2], 2, "SAME"),
     InvalidArgumentError, "requires input_sizes to contain 4 values or 2 values, but got: 3"),
    (lambda: tf.nn.depthwise_conv2d(X, tf.ones([3, 3, 2, 2]), [1, 1, 1, 1], "SAME"), InvalidArgumentError,
     "input and filter must have the same depth: 3 vs 2"),
    (lambda: tf.nn.depthwise_conv2d(X, tf.ones([3, 3, 3, 2]), 2, "SAME"), TypeError, "Expected list"),
    (lambda: tf.nn.separable_conv2d(X, tf.ones([3, 3, 3, 2]), tf.ones([2, 2, 6, 4]), [1] * 4, "SAME"),
     ValueError, "Dimensions 2 and 1 are not compatible"),
    (lambda: tf.nn.atrous_conv2d(X, W, 0, "SAME"), ValueError, "must be positive"),
])
def test_errors(call, exc, message):
    with pytest.raises(exc) as info:
        call()
    assert message in str(info.value)


# ---------------------------------------------------------------------------------------------------------
# Gradients (float64 finite differences; order 2 exercises the backprop ops' own gradients)

XS, WS = RS.randn(1, 4, 4, 2), RS.randn(2, 3, 2, 2)


@pytest.mark.parametrize("strides,padding,dilations", [
    (1, "SAME", None), (2, "SAME", None), ([2, 1], "VALID", None), (1, "VALID", 2),
    (1, [[0, 0], [1, 0], [2, 1], [0, 0]], None)])
def test_conv2d_gradients(strides, padding, dilations):
    x = XS if dilations is None else RS.randn(1, 5, 6, 2)
    check_gradients(lambda x, w: tf.nn.conv2d(x, w, strides, padding, dilations=dilations), x, WS, order=2)


def test_empty_output():
    out = tf.nn.conv2d(tf.ones([1, 4, 4, 2]), tf.ones([2, 3, 2, 2]), 1, "VALID", dilations=2)
    assert out.shape == (1, 2, 0, 2)


def test_conv2d_grouped_and_nchw_gradients():
    check_gradients(lambda x, w: tf.nn.conv2d(x, w, 1, "SAME"), RS.randn(1, 3, 3, 4), RS.randn(2, 2, 2, 4),
                    order=2)
    check_gradients(lambda x, w: tf.nn.conv2d(x, w, 2, "SAME", data_format="NCHW"), np.moveaxis(XS, -1, 1), WS,
                    order=2)


def test_conv1d_and_conv3d_gradients():
    check_gradients(lambda x, w: tf.nn.conv1d(x, w, 2, "SAME"), RS.randn(2, 5, 2), RS.randn(3, 2, 2), order=2)
    check_gradients(lambda x, w: tf.nn.conv3d(x, w, [1, 2, 1, 1, 1], "SAME"), RS.randn(1, 3, 3, 2, 2),
                    RS.randn(2, 2, 1, 2, 2), order=2)


def test_transposed_and_backprop_gradients():
    y = RS.randn(1, 2, 2, 2)
    check_gradients(lambda y, w: tf.nn.conv2d_transpose(y, w, [1, 4, 4, 2], 2, "SAME"), y, WS, order=2)
    check_gradients(lambda x, dy: tf.nn.conv2d_backprop_filter(x, [2, 3, 2, 2], dy, [1, 2, 2, 1], "SAME"),
                    XS, y, order=2)
    check_gradients(lambda y, w: tf.nn.conv1d_transpose(y, w, [1, 6, 2], 2, "VALID"), RS.randn(1, 2, 2),
                    RS.randn(3, 2, 2), order=2)
    check_gradients(lambda y, w: tf.nn.conv3d_transpose(y, w, [1, 4, 2, 2, 2], [1, 2, 1, 1, 1], "SAME"),
                    RS.randn(1, 2, 2, 2, 2), RS.randn(2, 1, 2, 2, 2), order=2)
    check_gradients(lambda x, dy: tf.nn.conv3d_backprop_filter(x, [2, 1, 2, 2, 2], dy, [1, 2, 1, 1, 1], "SAME"),
                    RS.randn(1, 3, 2, 2, 2), RS.randn(1, 2, 2, 2, 2), order=2)


def test_depthwise_and_separable_gradients():
    x = RS.randn(1, 4, 4, 2)
    dw, pw = RS.randn(2, 2, 2, 2), RS.randn(1, 1, 4, 2)
    check_gradients(lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME"), x, dw, order=2)
    check_gradients(lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "VALID", dilations=[2, 2]), x, dw,
                    order=2)
    check_gradients(lambda x, dy: tf.nn.depthwise_conv2d_backprop_filter(x, [2, 2, 2, 2], dy, [1, 2, 2, 1],
                                                                         "SAME"), x, RS.randn(1, 2, 2, 4), order=2)
    check_gradients(lambda x, a, b: tf.nn.separable_conv2d(x, a, b, [1, 1, 1, 1], "SAME"), x, dw, pw)


# ---------------------------------------------------------------------------------------------------------
# Graph mode


def test_conv2d_and_its_gradient_inside_function():
    @tf.function
    def step(x, w):
        with tf.GradientTape() as tape:
            tape.watch(w)
            y = tf.reduce_sum(tf.nn.conv2d(x, w, 2, "SAME") ** 2)
        return y, tape.gradient(y, w)

    y, g = step(tf.constant(XS), tf.constant(WS))
    _, ref = grads(lambda x, w: tf.reduce_sum(tf.nn.conv2d(x, w, 2, "SAME") ** 2), XS, WS)
    np.testing.assert_allclose(g.numpy(), ref, rtol=1e-10)


def test_unknown_batch_dim_inside_function_keeps_static_shapes():
    w = tf.Variable(RS.randn(3, 3, 3, 4).astype(np.float32))
    shapes = {}

    @tf.function(input_signature=[tf.TensorSpec([None, 5, 5, 3], tf.float32)])
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.conv2d(x, w, 2, "SAME")
            loss = tf.reduce_sum(y * y)
        gx, gw = tape.gradient(loss, [x, w])
        t = tf.nn.conv2d_transpose(y, w, [2, 6, 6, 3], 2, "SAME")
        shapes.update(y=y.shape.as_list(), gx=gx.shape.as_list(), gw=gw.shape.as_list(), t=t.shape.as_list())
        return gx, gw

    gx, gw = f(tf.constant(X[:2]))
    assert shapes == {"y": [None, 3, 3, 4], "gx": [None, 5, 5, 3], "gw": [3, 3, 3, 4], "t": [2, 6, 6, 3]}
    ref_gx, ref_gw = grads(lambda a, b: tf.reduce_sum(tf.nn.conv2d(a, b, 2, "SAME") ** 2), X[:2], w.numpy())
    np.testing.assert_allclose(gx.numpy(), ref_gx, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(gw.numpy(), ref_gw, rtol=1e-4, atol=1e-4)
