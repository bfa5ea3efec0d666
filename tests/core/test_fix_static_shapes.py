"""Static shapes inside functions: packed shape arguments, ensure_shape/set_shape, conv/pool rules with unknown
dims, squeeze of unknown dims, transposed convolutions and resizing of images of unknown size."""
import numpy as np
import pytest

import ndflow as tf

RS = np.random.RandomState(7)


def _traced_shapes(fn, *specs):
    """The static shapes ``fn`` gives its results while traced with ``specs``."""
    shapes = []

    @tf.function(input_signature=list(specs))
    def traced(*args):
        results = fn(*args)
        shapes.extend(r.shape.as_list() if r.shape.rank is not None else None for r in results)
        return results

    traced.get_concrete_function()
    return shapes


# ---------------------------------------------------------------------------------------------------------
# Shape arguments holding symbolic scalars, and packed shape tensors


def test_creation_ops_accept_symbolic_dims():
    def build(x):
        n = tf.shape(x)[0]
        return (tf.zeros((n, 4)), tf.ones([n, 4], tf.int32), tf.fill((n, 4), 2.0), tf.zeros(tf.stack([n, 4])),
                tf.zeros(tf.shape(x)), tf.reshape(x, tf.stack([n, 3, 1])), tf.reshape(x, [n, -1, 1]),
                tf.broadcast_to(1.0, [n, 4]), tf.broadcast_to(1.0, tf.stack([n, 4])),
                tf.random.uniform(tf.stack([n, 4])), tf.random.normal([n, 4]),
                tf.random.stateless_uniform(tf.stack([2, n]), seed=[1, 2]))

    shapes = _traced_shapes(build, tf.TensorSpec([None, 3]))
    # as TF: the -1 of [n, -1, 1] stays unknown since n is
    assert shapes == [[None, 4], [None, 4], [None, 4], [None, 4], [None, 3], [None, 3, 1], [None, None, 1],
                      [None, 4], [None, 4], [None, 4], [None, 4], [2, None]]

    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def run(x):
        n = tf.shape(x)[0]
        return tf.zeros((n, 4)) + tf.fill((n, 4), 2.0), tf.reshape(x, [n, -1, 1])

    filled, reshaped = run(tf.ones((2, 3)))
    np.testing.assert_array_equal(filled.numpy(), np.full((2, 4), 2.0))
    assert reshaped.shape == (2, 3, 1)


def test_reshape_finds_the_one_unknown_dim():
    shapes = _traced_shapes(lambda x: (tf.reshape(x, tf.stack([tf.shape(x)[1], -1])),), tf.TensorSpec([4, 6]))
    assert shapes == [[6, 4]]


@pytest.mark.parity
def test_packed_shapes_match_tensorflow():
    real_tf = pytest.importorskip("tensorflow")

    def shapes(lib):
        out = []

        @lib.function(input_signature=[lib.TensorSpec([None, 3])])
        def f(x):
            n = lib.shape(x)[0]
            for t in (lib.zeros((n, 4)), lib.fill(lib.stack([n, 4]), 1.0), lib.reshape(x, lib.stack([n, 3, 1])),
                      lib.reshape(x, [n, -1, 1]), lib.zeros(lib.shape(x)), lib.random.uniform(lib.stack([n, 4])),
                      lib.random.stateless_uniform(lib.stack([2, n]), seed=[1, 2]), lib.broadcast_to(1.0, [n, 4])):
                out.append(t.shape.as_list())
            return x

        f.get_concrete_function()
        return out

    assert shapes(tf) == shapes(real_tf)


# ---------------------------------------------------------------------------------------------------------
# ensure_shape and set_shape


def test_ensure_shape_and_set_shape_merge_static_shapes():
    def build(x):
        y = x * 1.0
        y.set_shape((None, 4))
        return tf.ensure_shape(x, (None, 4)), y, tf.ensure_shape(y, (3, None))

    assert _traced_shapes(build, tf.TensorSpec(None)) == [[None, 4], [None, 4], [3, 4]]


def test_incompatible_static_shapes_fail_while_tracing():
    @tf.function(input_signature=[tf.TensorSpec([None, 4])])
    def ensure(x):
        return tf.ensure_shape(x, (3, 5))

    with pytest.raises(ValueError, match=r"Dimension 1 in both shapes must be equal, but are 5 and 4. Shapes are "
                                         r"\[3,5\] and \[\?,4\]"):
        ensure.get_concrete_function()

    @tf.function(input_signature=[tf.TensorSpec([None, 4])])
    def set_rank(x):
        y = x * 1.0
        y.set_shape((3, 4, 1))
        return y

    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 3"):
        set_rank.get_concrete_function()


def test_eager_set_shape_checks_compatibility():
    t = tf.ones((2, 4))
    t.set_shape((None, 4))
    t.set_shape(None)
    with pytest.raises(ValueError, match=r"Tensor's shape \(2, 4\) is not compatible with supplied shape \(3, 4\)"):
        t.set_shape((3, 4))


# ---------------------------------------------------------------------------------------------------------
# Convolution and pooling shape rules


def test_conv1d_with_dilation_keeps_rank_and_known_dims():
    def build(x):
        return (tf.nn.conv1d(x, tf.ones([3, 4, 2]), 1, "VALID", dilations=2),
                tf.nn.conv1d(x, tf.ones([3, 4, 2]), 2, "SAME"))

    assert _traced_shapes(build, tf.TensorSpec([None, None, 4])) == [[None, None, 2], [None, None, 2]]

    @tf.function(input_signature=[tf.TensorSpec([None, None, 4])])
    def run(x):
        return tf.nn.conv1d(x, tf.ones([3, 4, 2]), 1, "VALID", dilations=2)

    assert run(tf.ones((1, 9, 4))).shape == (1, 5, 2)


CONV_CASES = [
    ("conv2d", lambda x: tf.nn.conv2d(x, tf.ones([3, 2, 3, 5]), [2, 1], "SAME", dilations=1), [2, 9, 7, 3]),
    ("conv2d_valid_dilated", lambda x: tf.nn.conv2d(x, tf.ones([3, 2, 3, 5]), 1, "VALID", dilations=[2, 3]),
     [2, 9, 7, 3]),
    ("conv2d_explicit", lambda x: tf.nn.conv2d(x, tf.ones([3, 3, 3, 2]), 2, [[0, 0], [1, 2], [0, 1], [0, 0]]),
     [1, 8, 6, 3]),
    ("conv2d_nchw", lambda x: tf.nn.conv2d(x, tf.ones([3, 3, 3, 2]), 2, "SAME", data_format="NCHW"),
     [1, 3, 8, 6]),
    ("conv3d", lambda x: tf.nn.conv3d(x, tf.ones([2, 3, 1, 3, 4]), [1, 2, 1, 1, 1], "VALID"), [1, 5, 6, 4, 3]),
    ("depthwise", lambda x: tf.nn.depthwise_conv2d(x, tf.ones([3, 3, 3, 2]), [1, 2, 1, 1], "SAME"),
     [2, 7, 5, 3]),
    ("separable", lambda x: tf.nn.separable_conv2d(x, tf.ones([3, 3, 3, 2]), tf.ones([1, 1, 6, 4]),
                                                   [1, 1, 1, 1], "VALID", dilations=2), [1, 8, 9, 3]),
    ("max_pool", lambda x: tf.nn.max_pool2d(x, [3, 2], [2, 2], "SAME"), [2, 7, 6, 3]),
    ("avg_pool", lambda x: tf.nn.avg_pool2d(x, 3, 1, "VALID"), [2, 7, 6, 3]),
    ("max_pool1d", lambda x: tf.nn.max_pool1d(x, 2, 2, "VALID"), [2, 7, 3]),
    ("avg_pool3d", lambda x: tf.nn.avg_pool3d(x, 2, 2, "SAME"), [1, 5, 4, 3, 2]),
    ("pool_dilated", lambda x: tf.nn.pool(x, [2, 2], "MAX", padding="VALID", dilations=[2, 2]), [1, 6, 5, 2]),
    ("argmax", lambda x: tf.nn.max_pool_with_argmax(x, 2, 2, "SAME")[1], [2, 7, 5, 3]),
]


@pytest.mark.parametrize("name,fn,shape", CONV_CASES, ids=[c[0] for c in CONV_CASES])
def test_conv_and_pool_static_shapes(name, fn, shape):
    x = RS.rand(*shape).astype(np.float32)
    expected = list(fn(tf.constant(x)).shape)
    # fully known input: every dim; unknown batch and spatial dims: only the dims that do not depend on them
    assert _traced_shapes(lambda t: (fn(t),), tf.TensorSpec(shape))[0] == expected
    unknown = [None] * (len(shape) - 1) + [shape[-1]] if "nchw" not in name else [None, shape[1], None, None]
    traced = _traced_shapes(lambda t: (fn(t),), tf.TensorSpec(unknown))[0]
    assert len(traced) == len(expected)
    channel = 1 if "nchw" in name else -1
    assert traced[channel] == expected[channel]
    assert all(d is None for i, d in enumerate(traced) if i != channel % len(traced))


# ---------------------------------------------------------------------------------------------------------
# squeeze of dims known only at run time


def test_squeeze_of_unknown_dims_is_checked_when_the_graph_runs():
    @tf.function(input_signature=[tf.TensorSpec([None, None])])
    def squeeze_axis(x):
        return tf.squeeze(x, 1)

    @tf.function(input_signature=[tf.TensorSpec([None, None, 1])])
    def squeeze_all(x):
        return tf.squeeze(x)

    @tf.function(input_signature=[tf.TensorSpec(None)])
    def squeeze_unknown_rank(x):
        return tf.squeeze(x, [-1])

    assert squeeze_axis.get_concrete_function().outputs[0].shape.as_list() == [None]
    assert squeeze_all.get_concrete_function().outputs[0].shape.rank is None
    assert squeeze_axis(tf.ones((3, 1))).shape == (3,)
    assert squeeze_all(tf.ones((1, 2, 1))).shape == (2,)
    assert squeeze_unknown_rank(tf.ones((3, 1, 1))).shape == (3, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Can not squeeze dim\[1\], expected a dimension of "
                                                             r"1, got 2"):
        squeeze_axis(tf.ones((3, 2)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Can not squeeze dim"):
        squeeze_unknown_rank(tf.ones((3, 2)))


# ---------------------------------------------------------------------------------------------------------
# Transposed convolutions with partly symbolic output shapes


def test_transposed_convolutions_keep_the_constant_dims():
    def build(x):
        n = tf.shape(x)[0]
        return (tf.nn.conv2d_transpose(x, tf.ones([3, 3, 2, 3]), tf.stack([n, 8, 10, 2]), 2, "SAME"),
                tf.nn.conv2d_transpose(x, tf.ones([3, 3, 2, 3]), [n, 8, 10, 2], 2, "SAME"),
                tf.nn.conv1d_transpose(x[:, 0], tf.ones([3, 2, 3]), tf.stack([n, 10, 2]), 2, "SAME"),
                tf.nn.conv1d_transpose(x[:, 0], tf.ones([3, 2, 3]), [n, 10, 2], 2, "SAME"))

    shapes = _traced_shapes(build, tf.TensorSpec([None, 4, 5, 3]))
    assert shapes == [[None, 8, 10, 2], [None, 8, 10, 2], [None, 10, 2], [None, 10, 2]]

    @tf.function(input_signature=[tf.TensorSpec([None, 4, 5, 3])])
    def run(x):
        return build(x)

    x = RS.rand(2, 4, 5, 3).astype(np.float32)
    eager = tf.nn.conv2d_transpose(x, tf.ones([3, 3, 2, 3]), [2, 8, 10, 2], 2, "SAME")
    outputs = run(tf.constant(x))
    np.testing.assert_allclose(outputs[0].numpy(), eager.numpy(), rtol=1e-6)
    assert outputs[3].shape == (2, 10, 2)


# ---------------------------------------------------------------------------------------------------------
# Resizing images whose height and width are known only at run time


@pytest.mark.parametrize("method,antialias", [("bilinear", False), ("bilinear", True), ("nearest", False),
                                              ("bicubic", False), ("area", False)])
def test_resize_of_images_of_unknown_size(method, antialias):
    images = RS.rand(2, 7, 9, 3).astype(np.float32)

    @tf.function(input_signature=[tf.TensorSpec([None, None, None, 3])])
    def resize(x):
        return tf.image.resize(x, (4, 5), method=method, antialias=antialias)

    assert resize.get_concrete_function().outputs[0].shape.as_list() == [None, 4, 5, 3]
    expected = tf.image.resize(images, (4, 5), method=method, antialias=antialias).numpy()
    np.testing.assert_allclose(resize(tf.constant(images)).numpy(), expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(resize(tf.constant(images[:, :5, :6])).numpy(),
                               tf.image.resize(images[:, :5, :6], (4, 5), method=method,
                                               antialias=antialias).numpy(), rtol=1e-6, atol=1e-6)


def test_resize_gradient_with_unknown_size():
    images = RS.rand(1, 5, 6, 2).astype(np.float32)

    @tf.function(input_signature=[tf.TensorSpec([None, None, None, 2])])
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.image.resize(x, (3, 4)) ** 2)
        return tape.gradient(y, x)

    x = tf.constant(images)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.image.resize(x, (3, 4)) ** 2)
    np.testing.assert_allclose(grad(x).numpy(), tape.gradient(y, x).numpy(), rtol=1e-5, atol=1e-6)


def test_resize_preserving_aspect_ratio_of_unknown_size_is_not_supported_yet():
    @tf.function(input_signature=[tf.TensorSpec([None, None, 3])])
    def resize(x):
        return tf.image.resize(x, (4, 5), preserve_aspect_ratio=True)

    with pytest.raises(NotImplementedError, match="not supported yet"):
        resize.get_concrete_function()
