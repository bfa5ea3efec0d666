"""Tests for ``ndflow.keras.ops``: NumPy semantics, Keras 3 dtype rules, gradients and parity with keras.ops."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import ops

RNG = np.random.RandomState(0)
A = RNG.randn(3, 4).astype(np.float32)
B = RNG.randn(4, 5).astype(np.float32)
C = RNG.randn(3, 4).astype(np.float32)
INTS = np.arange(12, dtype=np.int32).reshape(3, 4)
IDX = np.array([[1, 0, 3], [2, 2, 0], [3, 1, 1]])
PROBS = np.abs(A[:, :3]) / np.abs(A[:, :3]).sum(axis=1, keepdims=True)
LABELS = np.eye(3, dtype=np.float32)[[0, 2, 1]]


def _np(x):
    return ops.convert_to_numpy(x)


def test_numpy_semantics():
    np.testing.assert_allclose(_np(ops.matmul(A, B)), A @ B, rtol=1e-5)
    np.testing.assert_allclose(_np(ops.matmul(A[0], B)), A[0] @ B, rtol=1e-5)
    np.testing.assert_allclose(_np(ops.dot(A[0], C[0])), A[0] @ C[0], rtol=1e-5)
    np.testing.assert_allclose(_np(ops.einsum("ij,jk->ik", A, B)), A @ B, rtol=1e-5)
    assert int(ops.argmax(A)) == A.argmax()
    np.testing.assert_array_equal(_np(ops.argmin(A, axis=0, keepdims=True)), A.argmin(axis=0)[None])
    np.testing.assert_allclose(_np(ops.cumsum(A)), np.cumsum(A), rtol=1e-5)
    np.testing.assert_allclose(_np(ops.take(A, [0, -1])), A.ravel()[[0, -1]])
    np.testing.assert_allclose(_np(ops.take_along_axis(A, IDX, axis=1)), np.take_along_axis(A, IDX, axis=1))
    np.testing.assert_allclose(_np(ops.norm(A)), np.linalg.norm(A), rtol=1e-5)
    np.testing.assert_allclose(_np(ops.norm(A, ord=1, axis=1)), np.linalg.norm(A, 1, axis=1), rtol=1e-5)
    for order in ["fro", "nuc", 1, -1, 2, np.inf]:
        np.testing.assert_allclose(_np(ops.norm(A, ord=order)), np.linalg.norm(A, order), rtol=1e-5)
    np.testing.assert_allclose(_np(ops.std(A, axis=0)), A.std(axis=0), rtol=1e-5)
    np.testing.assert_allclose(_np(ops.split(A, [1, 3], axis=1)[1]), np.split(A, [1, 3], axis=1)[1])
    np.testing.assert_allclose(_np(ops.repeat(A, 2, axis=0)), np.repeat(A, 2, axis=0))
    np.testing.assert_allclose(_np(ops.tile(A, (2, 1))), np.tile(A, (2, 1)))
    np.testing.assert_allclose(_np(ops.pad(A, ((1, 0), (0, 2)))), np.pad(A, ((1, 0), (0, 2))))
    np.testing.assert_allclose(_np(ops.tril(A, -1)), np.tril(A, -1))
    np.testing.assert_allclose(_np(ops.moveaxis(A[None], 0, -1)), np.moveaxis(A[None], 0, -1))
    np.testing.assert_array_equal(_np(ops.where(A > 0)[1]), np.where(A > 0)[1])
    values, indices = ops.top_k(A, 2)
    np.testing.assert_array_equal(_np(indices), np.argsort(-A, axis=1)[:, :2])
    np.testing.assert_array_equal(_np(ops.one_hot([0, 2, 5], 3)), [[1, 0, 0], [0, 0, 1], [0, 0, 0]])
    assert ops.shape(A) == (3, 4) and ops.ndim(A) == 2


def test_keras_dtype_rules():
    assert ops.convert_to_tensor([1.0, 2.0]).dtype == tf.float32
    assert ops.convert_to_tensor([1, 2]).dtype == tf.int32
    assert ops.convert_to_tensor(np.ones(2)).dtype == tf.float64
    assert ops.add(INTS, 1.5).dtype == tf.float32
    assert ops.add(INTS, 2).dtype == tf.int32
    assert ops.add(np.ones(2, "int64"), np.ones(2, "float32")).dtype == tf.float32
    assert ops.multiply(INTS, np.ones((3, 4), "float64")).dtype == tf.float64
    assert ops.mean(INTS).dtype == tf.float32
    assert ops.sqrt(INTS).dtype == tf.float32
    assert ops.divide(INTS, 2).dtype == tf.float32
    assert ops.sum(A > 0).dtype == tf.int32
    assert ops.argmax(A).dtype == tf.int32
    assert ops.arange(3).dtype == tf.int32 and ops.arange(3.0).dtype == tf.float32
    assert ops.zeros((2,)).dtype == tf.float32 and ops.full((2,), 3).dtype == tf.float32
    assert ops.where(A > 0, 1, 2.0).dtype == tf.float32


def test_control_flow():
    assert int(ops.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), (0, 0))[1]) == 10
    assert int(ops.while_loop(lambda i: i < 7, lambda i: i + 2, 0)) == 8
    np.testing.assert_array_equal(_np(ops.cond(True, lambda: ops.ones(2), lambda: ops.zeros(2))), [1, 1])
    assert int(ops.fori_loop(0, 4, lambda i, total: total + i, 0)) == 6
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, np.arange(4, dtype=np.float32))
    assert float(carry) == 6.0
    np.testing.assert_allclose(_np(ys), [0 * 0, 0 * 1, 1 * 2, 3 * 3])


def test_traced_in_function():
    @tf.function
    def step(x):
        return ops.sum(ops.softmax(x) * ops.cast(ops.one_hot(ops.argmax(x, axis=1), 4), "float32"))

    x = tf.constant(A)
    expected = np.exp(A).max(axis=1) / np.exp(A).sum(axis=1)
    np.testing.assert_allclose(float(step(x)), expected.sum(), rtol=1e-5)


def test_gradients_flow_through_ops():
    x = tf.Variable(A)
    with tf.GradientTape() as tape:
        loss = ops.mean(ops.square(ops.matmul(x, B))) + ops.sum(ops.take(x, [0, 5]))
    gradient = tape.gradient(loss, x).numpy()
    expected = 2 * (A @ B) @ B.T / (3 * 5)
    expected.ravel()[[0, 5]] += 1
    np.testing.assert_allclose(gradient, expected, rtol=1e-5, atol=1e-6)


def test_crossentropies():
    eps = 1e-7
    clipped = np.clip(PROBS, eps, 1 - eps)
    np.testing.assert_allclose(_np(ops.categorical_crossentropy(LABELS, PROBS)), -(LABELS * np.log(clipped)).sum(1),
                               rtol=1e-5)
    np.testing.assert_allclose(_np(ops.sparse_categorical_crossentropy([0, 2, 1], PROBS)),
                               -(LABELS * np.log(clipped)).sum(1), rtol=1e-5)
    np.testing.assert_allclose(_np(ops.binary_crossentropy(LABELS, PROBS)),
                               -(LABELS * np.log(clipped) + (1 - LABELS) * np.log(1 - clipped)), rtol=1e-5)
    logits = tf.constant(A[:, :3])
    from_softmax = ops.categorical_crossentropy(LABELS, ops.softmax(logits))
    from_logits = ops.categorical_crossentropy(LABELS, logits, from_logits=True)
    np.testing.assert_allclose(_np(from_softmax), _np(from_logits), rtol=1e-6)
    with pytest.raises(ValueError, match="must have the same shape"):
        ops.categorical_crossentropy(LABELS, PROBS[:, :2])


def test_image_resize():
    images = np.arange(32, dtype=np.float32).reshape(1, 4, 4, 2)
    resized = ops.image.resize(images, (8, 8), interpolation="nearest")
    np.testing.assert_array_equal(_np(resized), images.repeat(2, axis=1).repeat(2, axis=2))
    channels_first = ops.image.resize(images.transpose(0, 3, 1, 2), (8, 8), interpolation="nearest",
                                      data_format="channels_first")
    np.testing.assert_array_equal(_np(channels_first), _np(resized).transpose(0, 3, 1, 2))
    with pytest.raises(ValueError, match="Invalid images rank"):
        ops.image.resize(np.ones((4, 4), np.float32), (2, 2))
    with pytest.raises(ValueError, match="Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio`"):
        ops.image.resize(images, (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="Only `'constant'` is supported"):
        ops.image.resize(images, (2, 2), fill_mode="reflect")


PARITY_CASES = {
    "add": lambda m: m.add(A, C), "add_int_float": lambda m: m.add(INTS, 1.5), "subtract": lambda m: m.subtract(A, 1),
    "matmul": lambda m: m.matmul(A, B), "dot": lambda m: m.dot(A, B), "mean_int": lambda m: m.mean(INTS),
    "sum": lambda m: m.sum(A, axis=(0, 1)), "max": lambda m: m.max(A, axis=1, keepdims=True),
    "min": lambda m: m.min(A, axis=0), "argmax": lambda m: m.argmax(A, axis=1), "argmin": lambda m: m.argmin(A),
    "abs": lambda m: m.abs(A), "sqrt": lambda m: m.sqrt(INTS), "exp": lambda m: m.exp(A),
    "log": lambda m: m.log(INTS + 1),
    "log1p": lambda m: m.log1p(np.abs(A)), "tanh": lambda m: m.tanh(A), "sigmoid": lambda m: m.sigmoid(A),
    "relu": lambda m: m.relu(A), "softplus": lambda m: m.softplus(A), "clip": lambda m: m.clip(A, -0.5, 0.5),
    "where": lambda m: m.where(A > 0, A, 0.0), "concatenate": lambda m: m.concatenate([A, C], axis=1),
    "stack": lambda m: m.stack([A, C], axis=1), "reshape": lambda m: m.reshape(A, (2, 6)),
    "transpose": lambda m: m.transpose(A[None], (2, 0, 1)), "expand_dims": lambda m: m.expand_dims(A, 1),
    "squeeze": lambda m: m.squeeze(A[:1]), "cast": lambda m: m.cast(A, "int32"),
    "ones_like": lambda m: m.ones_like(INTS),
    "arange": lambda m: m.arange(1.0, 3.0, 0.5), "linspace": lambda m: m.linspace(0, 1, 7),
    "cumsum": lambda m: m.cumsum(A, axis=1), "power": lambda m: m.power(INTS, 2),
    "maximum": lambda m: m.maximum(INTS, 2.5), "norm": lambda m: m.norm(A, ord="fro", axis=(0, 1)),
    "var": lambda m: m.var(INTS), "std": lambda m: m.std(A, axis=1),
    "one_hot": lambda m: m.one_hot(np.array([0, 2, 1]), 3), "take": lambda m: m.take(A, np.array([0, 2]), axis=1),
    "take_along_axis": lambda m: m.take_along_axis(A, IDX, axis=1), "sort": lambda m: m.sort(A),
    "argsort": lambda m: m.argsort(A, axis=0), "top_k_values": lambda m: m.top_k(A, 2)[0],
    "equal": lambda m: m.equal(INTS, 3), "not_equal": lambda m: m.not_equal(A, C), "greater": lambda m: m.greater(A, 0),
    "less": lambda m: m.less(INTS, 4.5), "logical_and": lambda m: m.logical_and(A > 0, C > 0),
    "logical_or": lambda m: m.logical_or(A > 0, C > 0), "logical_not": lambda m: m.logical_not(A > 0),
    "any": lambda m: m.any(A > 1, axis=0), "all": lambda m: m.all(A > -3), "erf": lambda m: m.erf(A),
    "softmax": lambda m: m.softmax(A), "log_softmax": lambda m: m.log_softmax(A, axis=0),
    "stop_gradient": lambda m: m.stop_gradient(A), "zeros": lambda m: m.zeros((2, 3), dtype="int32"),
    "eye": lambda m: m.eye(3, 4, 1), "full_like": lambda m: m.full_like(INTS, 7), "flip": lambda m: m.flip(A, 1),
    "roll": lambda m: m.roll(A, 1), "triu": lambda m: m.triu(A, 1), "diag": lambda m: m.diag(A),
    "trace": lambda m: m.trace(A), "outer": lambda m: m.outer(A[0], C[0]), "round": lambda m: m.round(A, 1),
    "logsumexp": lambda m: m.logsumexp(A, axis=1), "mod": lambda m: m.mod(INTS, 5),
    "floor_divide": lambda m: m.floor_divide(INTS, 5), "divide": lambda m: m.divide(INTS, 2),
    "prod": lambda m: m.prod(A, axis=0), "cumprod": lambda m: m.cumprod(INTS, axis=1),
    "swapaxes": lambda m: m.swapaxes(A, 0, 1), "isclose": lambda m: m.isclose(A, A + 1e-7),
    "slice_update": lambda m: m.slice_update(A, (1, 1), np.ones((2, 2), "float32")),
    "count_nonzero": lambda m: m.count_nonzero(INTS), "segment_sum": lambda m: m.segment_sum(A, np.array([0, 0, 1])),
    "bce": lambda m: m.binary_crossentropy(LABELS, PROBS),
    "bce_logits": lambda m: m.binary_crossentropy(LABELS, A[:, :3], from_logits=True),
    "cce": lambda m: m.categorical_crossentropy(LABELS, PROBS),
    "scce_logits": lambda m: m.sparse_categorical_crossentropy(np.array([0, 2, 1]), A[:, :3], from_logits=True),
    "normalize": lambda m: m.normalize(A), "resize": lambda m: m.image.resize(np.arange(32, dtype="float32").reshape(
        1, 4, 4, 2), (2, 3)),
    "resize_crop": lambda m: m.image.resize(np.arange(60, dtype="float32").reshape(5, 6, 2), (2, 4),
                                            crop_to_aspect_ratio=True),
    "resize_pad": lambda m: m.image.resize(np.arange(60, dtype="float32").reshape(1, 5, 6, 2), (4, 2),
                                           pad_to_aspect_ratio=True, fill_value=-1.0),
    "resize_pad_channels_first": lambda m: m.image.resize(np.arange(60, dtype="float32").reshape(1, 2, 5, 6), (3, 3),
                                                          pad_to_aspect_ratio=True, data_format="channels_first"),
}


@pytest.mark.parity
@pytest.mark.parametrize("name", sorted(PARITY_CASES))
def test_parity_with_keras_ops(name):
    keras = pytest.importorskip("keras")
    expected = np.asarray(keras.ops.convert_to_numpy(PARITY_CASES[name](keras.ops)))
    got = _np(PARITY_CASES[name](ops))
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


RESIZE_ERROR_CASES = {  # each breaks two rules, so the first one Keras checks must win
    "size_and_fill_mode": dict(size=(2, 2, 2), fill_mode="reflect"),
    "crop_pad_and_fill_mode": dict(size=(2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True,
                                   fill_mode="reflect"),
    "non_positive_size": dict(size=(0, 2), interpolation="bogus"),
    "interpolation_and_fill_mode": dict(size=(2, 2), interpolation="bogus", fill_mode="reflect"),
}


@pytest.mark.parity
@pytest.mark.parametrize("name", sorted(RESIZE_ERROR_CASES))
def test_image_resize_errors_match_keras(name):
    keras = pytest.importorskip("keras")
    images = np.ones((1, 4, 4, 2), np.float32)
    messages = []
    for module in (keras.ops, ops):
        with pytest.raises(ValueError) as info:
            module.image.resize(images, **RESIZE_ERROR_CASES[name])
        messages.append(str(info.value))
    assert messages[1] == messages[0]
