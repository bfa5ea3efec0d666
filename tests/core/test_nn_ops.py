"""tf.nn activations, losses, normalisation, dropout, bias_add, embeddings and in_top_k: values against
NumPy/SciPy references, dtypes, TF's errors, gradients (float64 finite differences) and graph mode."""
import math

import numpy as np
import pytest
from scipy import special

import ndflow as tf
from ndflow.errors import InvalidArgumentError
from tests.gradcheck import check_gradients

RS = np.random.RandomState(11)
SELU_SCALE = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


def grads_of(f, *xs):
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    return [g.numpy() for g in tape.gradient(y, xs)]


def np_log_softmax(x, axis=-1):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def away_from_zero(shape, low=0.2):
    x = RS.uniform(low, 2.0, size=shape)
    return x * RS.choice([-1.0, 1.0], size=shape)


# ---------------------------------------------------------------------------------------------------------
# Namespaces


def test_exports():
    for name in ("relu", "relu6", "crelu", "elu", "selu", "gelu", "leaky_relu", "silu", "swish", "softmax",
                 "log_softmax", "softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits",
                 "sigmoid_cross_entropy_with_logits", "weighted_cross_entropy_with_logits", "l2_loss",
                 "l2_normalize", "log_poisson_loss", "compute_average_loss", "in_top_k",
                 "scale_regularization_loss", "moments", "weighted_moments", "normalize_moments",
                 "batch_normalization", "fused_batch_norm", "local_response_normalization", "lrn", "dropout",
                 "bias_add", "embedding_lookup", "sufficient_statistics", "zero_fraction",
                 "batch_norm_with_global_normalization"):
        assert callable(getattr(tf.nn, name)), name
    assert tf.math.softmax is tf.nn.softmax and tf.math.log_softmax is tf.nn.log_softmax
    assert tf.math.l2_normalize is tf.nn.l2_normalize and tf.math.in_top_k is tf.nn.in_top_k
    assert tf.nn.swish is tf.nn.silu and tf.nn.lrn is tf.nn.local_response_normalization
    assert tf.nn.sigmoid is tf.sigmoid and tf.nn.tanh is tf.tanh


# ---------------------------------------------------------------------------------------------------------
# Activations


X = np.array([[-3.0, -0.5, 0.0, 0.5, 7.0]], np.float32)


@pytest.mark.parametrize("fn,ref", [
    (tf.nn.relu, lambda x: np.maximum(x, 0)),
    (tf.nn.relu6, lambda x: np.clip(x, 0, 6)),
    (tf.nn.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    (tf.nn.selu, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x))),
    (tf.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x)),
    (tf.nn.gelu, lambda x: x * special.ndtr(x)),
    (lambda x: tf.nn.gelu(x, approximate=True),
     lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))),
    (tf.nn.silu, lambda x: x * special.expit(x)),
    (lambda x: tf.nn.swish(x, beta=2.0), lambda x: x * special.expit(2 * x)),
    (lambda x: tf.nn.leaky_relu(x, alpha=2.0), lambda x: np.where(x > 0, x, 2 * x)),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_values(fn, ref, dtype):
    out = fn(tf.constant(X.astype(dtype)))
    assert out.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(out.numpy(), ref(X.astype(np.float64)), rtol=1e-6, atol=1e-7)


def test_activation_dtypes():
    assert tf.nn.relu(tf.constant([-1, 2])).numpy().tolist() == [0, 2]
    assert tf.nn.relu(tf.constant([1, 2], tf.uint8)).dtype == tf.uint8
    assert tf.nn.relu6(tf.constant([-1, 7])).numpy().tolist() == [0, 6]
    leaky = tf.nn.leaky_relu(tf.constant([-1, 7]))
    assert leaky.dtype == tf.float32 and leaky.numpy().tolist() == pytest.approx([-0.2, 7.0])
    assert tf.nn.crelu(tf.constant([-1, 2])).numpy().tolist() == [0, 2, 1, 0]
    half = tf.nn.gelu(tf.constant([-1.0, 1.0], tf.float16))
    assert half.dtype == tf.float16
    np.testing.assert_allclose(half.numpy(), [-0.1587, 0.8413], atol=1e-3)
    assert tf.nn.elu(tf.constant([-1000.0, 1000.0])).numpy().tolist() == [-1.0, 1000.0]


@pytest.mark.parametrize("fn,op", [(tf.nn.elu, "Elu"), (tf.nn.selu, "Selu"), (tf.nn.softmax, "Softmax"),
                                   (tf.nn.log_softmax, "LogSoftmax"), (tf.nn.silu, "Sigmoid")])
def test_float_only_activations_reject_ints(fn, op):
    with pytest.raises(InvalidArgumentError, match=f"(?s)Value for attr 'T' of int32.*Op:{op}"):
        fn(tf.constant([[1, 2]]))


def test_activation_errors():
    with pytest.raises(InvalidArgumentError, match="attr 'T' of bool"):
        tf.nn.relu(tf.constant([True]))
    with pytest.raises(ValueError, match=r"`features.dtype` must be a floating point tensor.Received:features"
                                         r".dtype=<dtype: 'int32'>"):
        tf.nn.gelu(tf.constant([1]))


def test_crelu_axis():
    out = tf.nn.crelu(tf.constant([[-1.0, 2.0]]), axis=0)
    np.testing.assert_array_equal(out.numpy(), [[0, 2], [1, 0]])
    assert tf.nn.crelu(tf.constant([[-1.0, 2.0]])).shape == (1, 4)


def test_gradients_at_kinks_follow_tf():
    zero_one = [0.0, -1.0, 1.0]
    assert grads_of(tf.nn.relu, zero_one)[0].tolist() == [0, 0, 1]
    assert grads_of(tf.nn.relu6, [0.0, 6.0, 3.0])[0].tolist() == [0, 0, 1]
    np.testing.assert_allclose(grads_of(tf.nn.leaky_relu, zero_one)[0], [0.2, 0.2, 1.0], rtol=1e-6)
    np.testing.assert_allclose(grads_of(tf.nn.elu, zero_one)[0], [1.0, math.exp(-1), 1.0], rtol=1e-6)
    np.testing.assert_allclose(grads_of(tf.nn.selu, zero_one)[0],
                               [SELU_SCALE, SELU_SCALE * SELU_ALPHA * math.exp(-1), SELU_SCALE], rtol=1e-6)
    assert grads_of(tf.nn.crelu, zero_one)[0].tolist() == [0, -1, 1]


@pytest.mark.parametrize("fn", [tf.nn.relu, tf.nn.relu6, tf.nn.elu, tf.nn.selu, tf.nn.leaky_relu,
                                lambda x: tf.nn.leaky_relu(x, alpha=0.3), tf.nn.crelu, tf.nn.gelu,
                                lambda x: tf.nn.gelu(x, approximate=True), tf.nn.silu,
                                lambda x: tf.nn.silu(x, beta=1.7)])
def test_activation_gradients(fn):
    x = np.concatenate([away_from_zero((2, 4)), [[6.5, 5.5, 0.3, -0.3]]])  # both sides of relu6's 6
    check_gradients(fn, x, order=2)


def test_silu_beta_gradient():
    check_gradients(lambda x, b: tf.nn.silu(x, beta=b), away_from_zero((3, 2)), 1.3, order=2)


# ---------------------------------------------------------------------------------------------------------
# softmax / log_softmax


@pytest.mark.parametrize("axis", [None, -1, 0, 1, -3])
def test_softmax_values(axis):
    x = RS.randn(2, 3, 4).astype(np.float32)
    ref_axis = -1 if axis is None else axis
    expected = np.exp(np_log_softmax(x.astype(np.float64), ref_axis))
    np.testing.assert_allclose(tf.nn.softmax(x, axis=axis).numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(tf.nn.log_softmax(x, axis=axis).numpy(), np.log(expected), rtol=1e-5, atol=1e-6)


def test_softmax_is_stable():
    x = tf.constant([[1000.0, -1000.0, 0.0]])
    np.testing.assert_array_equal(tf.nn.softmax(x).numpy(), [[1, 0, 0]])
    np.testing.assert_array_equal(tf.nn.log_softmax(x).numpy(), [[0, -2000, -1000]])
    g = grads_of(lambda t: tf.nn.log_softmax(t)[0, 1], [[1000.0, -1000.0, 0.0]])[0]
    assert np.isfinite(g).all()
    assert tf.nn.log_softmax(tf.constant([-np.inf, 2.0])).numpy().tolist() == [-np.inf, 0.0]
    assert tf.nn.softmax(tf.zeros([2, 0])).shape == (2, 0)
    half = tf.nn.softmax(tf.constant([1.0, 2.0], tf.float16))
    assert half.dtype == tf.float16


def test_softmax_errors():
    with pytest.raises(InvalidArgumentError, match=r"`dim` must be in the range \[-2, 2\) where 2 is the number "
                                                   r"of dimensions in the input. Received: dim=5"):
        tf.nn.softmax(tf.ones([2, 2]), axis=5)
    with pytest.raises(InvalidArgumentError, match="logits must have >= 1 dimension, got \\[\\]"):
        tf.nn.softmax(tf.constant(3.0))


@pytest.mark.parametrize("fn", [tf.nn.softmax, tf.nn.log_softmax, lambda x: tf.nn.softmax(x, axis=0),
                                lambda x: tf.nn.log_softmax(x, axis=0)])
def test_softmax_gradients(fn):
    weights = tf.constant(RS.randn(3, 4))
    check_gradients(lambda x: fn(x) * weights, RS.randn(3, 4), order=2)


# ---------------------------------------------------------------------------------------------------------
# Cross-entropies


def test_softmax_cross_entropy_values():
    logits = RS.randn(4, 5).astype(np.float32)
    labels = special.softmax(RS.randn(4, 5), axis=1).astype(np.float32)
    out = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    assert out.dtype == tf.float32 and out.shape == (4,)
    np.testing.assert_allclose(out.numpy(), -(labels * np_log_softmax(logits.astype(np.float64))).sum(1), rtol=1e-5)
    along_0 = tf.nn.softmax_cross_entropy_with_logits(labels=labels.T, logits=logits.T, axis=0)
    np.testing.assert_allclose(along_0.numpy(), out.numpy(), rtol=1e-6)
    one_d = tf.nn.softmax_cross_entropy_with_logits(labels=[0.0, 1.0, 0.0], logits=[1.0, 2.0, 3.0])
    assert one_d.shape == () and one_d.numpy() == pytest.approx(-np_log_softmax(np.array([1.0, 2, 3]))[1], rel=1e-6)
    # labels are cast to the logits' dtype; they may broadcast
    mixed = tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant([[0.0, 1.0, 0.0]], tf.float64),
                                                    logits=[[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    assert mixed.dtype == tf.float32
    np.testing.assert_allclose(mixed.numpy(), [1.4076059, math.log(3)], rtol=1e-6)


def test_cross_entropies_are_stable_at_large_logits():
    big = [[1000.0, -1000.0, 3.0]]
    dense = tf.nn.softmax_cross_entropy_with_logits(labels=[[0.2, 0.3, 0.5]], logits=big)
    assert dense.numpy()[0] == pytest.approx(0.3 * 2000 + 0.5 * 997, rel=1e-6)
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=big)
    assert sparse.numpy().tolist() == [2000.0]
    sigmoid = tf.nn.sigmoid_cross_entropy_with_logits(labels=[0.0, 1.0], logits=[1000.0, -1000.0])
    assert sigmoid.numpy().tolist() == [1000.0, 1000.0]
    for f in (lambda t: tf.nn.softmax_cross_entropy_with_logits(labels=[[0.2, 0.3, 0.5]], logits=t),
              lambda t: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=t),
              lambda t: tf.nn.sigmoid_cross_entropy_with_logits(labels=[[0.2, 0.3, 0.5]], logits=t),
              lambda t: tf.nn.weighted_cross_entropy_with_logits([[0.2, 0.3, 0.5]], t, 3.0)):
        g = grads_of(f, big)[0]
        assert np.isfinite(g).all()


def test_softmax_cross_entropy_gradients_match_tf_formulas():
    labels, logits = [[0.2, 0.3, 0.5]], [[1.0, 2.0, 3.0]]
    g_labels, g_logits = grads_of(
        lambda a, b: tf.nn.softmax_cross_entropy_with_logits(labels=a, logits=b), labels, logits)
    np.testing.assert_allclose(g_logits, special.softmax(logits, axis=1) - labels, rtol=1e-6)
    np.testing.assert_allclose(g_labels, -np_log_softmax(np.array(logits)), rtol=1e-6)


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_cross_entropy_gradient_check(axis):
    # the logits' gradient is TF's softmax - labels: exact for labels that sum to 1, so finite differences
    # may perturb the labels to first order only
    labels = special.softmax(RS.randn(3, 4), axis=axis)
    check_gradients(lambda a, b: tf.nn.softmax_cross_entropy_with_logits(labels=a, logits=b, axis=axis),
                    labels, RS.randn(3, 4))
    fixed = tf.constant(labels)
    check_gradients(lambda b: tf.nn.softmax_cross_entropy_with_logits(labels=fixed, logits=b, axis=axis),
                    RS.randn(3, 4), order=2)


def test_softmax_cross_entropy_second_order_in_labels():
    # d/d labels of (d loss / d logits) = d/d labels (softmax - labels) = -identity, as TF defines it
    labels, logits = tf.constant(special.softmax(RS.randn(2, 3), axis=1)), tf.constant(RS.randn(2, 3))
    weights = tf.constant(RS.randn(2, 3))
    with tf.GradientTape() as outer:
        outer.watch(labels)
        with tf.GradientTape() as inner:
            inner.watch(logits)
            loss = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        g = tf.reduce_sum(inner.gradient(loss, logits) * weights)
    np.testing.assert_allclose(outer.gradient(g, labels).numpy(), -weights.numpy(), rtol=1e-12)


def test_softmax_cross_entropy_broadcast_gradient():
    check_gradients(lambda a, b: tf.nn.softmax_cross_entropy_with_logits(labels=a, logits=b),
                    special.softmax(RS.randn(1, 4), axis=1), RS.randn(3, 4))


def test_softmax_cross_entropy_errors():
    with pytest.raises(InvalidArgumentError, match=r"logits and labels must be broadcastable: logits_size=\[1,3\] "
                                                   r"labels_size=\[1,2\]"):
        tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=[[1.0, 2.0, 3.0]])
    with pytest.raises(InvalidArgumentError, match="Value for attr 'T' of int32"):
        tf.nn.softmax_cross_entropy_with_logits(labels=[[0, 1, 0]], logits=[[1, 2, 3]])
    with pytest.raises(InvalidArgumentError):
        tf.nn.softmax_cross_entropy_with_logits(labels=1.0, logits=2.0)


def test_sparse_softmax_cross_entropy_values():
    logits = RS.randn(2, 3, 5).astype(np.float32)
    labels = np.array([[0, 4, 2], [1, 1, 3]])
    out = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    assert out.shape == (2, 3) and out.dtype == tf.float32
    expected = -np.take_along_axis(np_log_softmax(logits.astype(np.float64)), labels[..., None], -1)[..., 0]
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5)
    int64 = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([0, 1], tf.int64), logits=logits[0, :2])
    np.testing.assert_allclose(int64.numpy(), [expected[0, 0], -np_log_softmax(logits[0, 1].astype(float))[1]],
                               rtol=1e-5)
    scalar = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=0, logits=[3.0, 1.0])
    assert scalar.shape == () and scalar.numpy() == pytest.approx(math.log1p(math.exp(-2)), rel=1e-6)
    half = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=tf.constant([[1.0, 2.0]], tf.float16))
    assert half.dtype == tf.float16


def test_sparse_softmax_cross_entropy_errors():
    logits = tf.zeros([2, 10])
    with pytest.raises(InvalidArgumentError, match=r"Received a label value of 12 which is outside the valid range "
                                                   r"of \[0, 10\).  Label values: 10 12"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[10, 12], logits=logits)
    with pytest.raises(InvalidArgumentError, match=r"label value of -1 which is outside the valid range of \[0, 10\)"
                                                   r".  Label values: 0 -1"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, -1], logits=logits)
    with pytest.raises(ValueError, match=r"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                                         r"labels.shape=\(2, 1\) of rank 2 and logits.shape=\(2, 10\) of rank 2"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[0], [1]], logits=logits)
    with pytest.raises(ValueError, match=r"`labels.shape` must equal `logits.shape` except for the last dimension. "
                                         r"Received: labels.shape=\(3,\) and logits.shape=\(2, 10\)"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1, 2], logits=logits)
    with pytest.raises(InvalidArgumentError, match="attr 'Tlabels' of float"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0, 1.0], logits=logits)
    with pytest.raises(ValueError, match="`logits` cannot be a scalar"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=0, logits=3.0)


def test_sparse_softmax_cross_entropy_gradients():
    logits = [[1.0, 2.0, 3.0]]
    g = grads_of(lambda t: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=t), logits)[0]
    np.testing.assert_allclose(g, special.softmax(logits, axis=1) - [[0, 1, 0]], rtol=1e-6)
    labels = np.array([[2, 0], [1, 1]])
    check_gradients(lambda t: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=t),
                    RS.randn(2, 2, 3), order=2)


def test_sigmoid_and_weighted_cross_entropy():
    z = RS.uniform(0, 1, (3, 4))
    x = RS.randn(3, 4) * 3
    sig = special.expit(x)
    expected = -z * np.log(sig) - (1 - z) * np.log(1 - sig)
    out = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-10)
    q = 2.5
    weighted = tf.nn.weighted_cross_entropy_with_logits(z, x, q)
    np.testing.assert_allclose(weighted.numpy(), -q * z * np.log(sig) - (1 - z) * np.log(1 - sig), rtol=1e-10)
    big = tf.nn.weighted_cross_entropy_with_logits([0.0, 1.0, 1.0], [1000.0, -1000.0, 3.0], 2.0)
    np.testing.assert_allclose(big.numpy(), [1000.0, 2000.0, 2 * math.log1p(math.exp(-3))], rtol=1e-6)
    check_gradients(lambda a, b: tf.nn.sigmoid_cross_entropy_with_logits(labels=a, logits=b), z, x, order=2)
    check_gradients(lambda a, b, w: tf.nn.weighted_cross_entropy_with_logits(a, b, w), z, x, q, order=2)


def test_sigmoid_cross_entropy_errors():
    with pytest.raises(ValueError, match=r"`logits` and `labels` must have the same shape, received \(\(3,\) vs "
                                         r"\(2,\)\)."):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[0.0, 1.0], logits=[1.0, 2.0, 3.0])
    with pytest.raises(InvalidArgumentError, match="cannot compute Mul as input #1"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant([0.0], tf.float64), logits=[1.0])
    with pytest.raises(InvalidArgumentError, match="attr 'T' of int32"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[0, 1], logits=[2, 3])
    with pytest.raises(ValueError, match="must have the same shape"):
        tf.nn.weighted_cross_entropy_with_logits([0.0, 1.0], [1.0, 2.0, 3.0], 2.0)


# ---------------------------------------------------------------------------------------------------------
# l2_loss, l2_normalize, log_poisson_loss, averaging


def test_l2_loss():
    out = tf.nn.l2_loss([1.0, 2.0, 3.0])
    assert out.dtype == tf.float32 and out.shape == () and out.numpy() == 7.0
    assert tf.nn.l2_loss(tf.constant([1.0, 2.0, 3.0], tf.float16)).dtype == tf.float16
    with pytest.raises(InvalidArgumentError, match="attr 'T' of int32"):
        tf.nn.l2_loss([1, 2])
    check_gradients(tf.nn.l2_loss, RS.randn(3, 2), order=2)


def test_l2_normalize():
    x = RS.randn(3, 4)
    np.testing.assert_allclose(tf.nn.l2_normalize(x, axis=1).numpy(),
                               x / np.linalg.norm(x, axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(tf.math.l2_normalize(x).numpy(), x / np.linalg.norm(x), rtol=1e-12)
    np.testing.assert_allclose(tf.nn.l2_normalize(x, dim=0).numpy(), x / np.linalg.norm(x, axis=0), rtol=1e-12)
    assert tf.nn.l2_normalize([[0.0, 0.0]], axis=1).numpy().tolist() == [[0.0, 0.0]]
    np.testing.assert_allclose(tf.nn.l2_normalize(tf.constant([3 + 4j, 0j])).numpy(), [0.6 + 0.8j, 0], rtol=1e-12)
    with pytest.raises(TypeError):
        tf.nn.l2_normalize([[3, 4]], axis=1)
    # at 0 the norm is clamped to sqrt(epsilon): the gradient is 1 / sqrt(epsilon)
    np.testing.assert_allclose(grads_of(tf.nn.l2_normalize, [0.0, 0.0])[0], [1e6, 1e6], rtol=1e-5)
    check_gradients(lambda t: tf.nn.l2_normalize(t, axis=-1), x, order=2)


def test_log_poisson_loss():
    targets = np.array([0.0, 1.0, 3.0, 0.5])
    log_input = np.array([0.5, 1.0, 2.0, -1.0])
    base = np.exp(log_input) - log_input * targets
    np.testing.assert_allclose(tf.nn.log_poisson_loss(targets, log_input).numpy(), base, rtol=1e-12)
    big = targets > 1
    full = base.copy()
    full[big] += targets[big] * np.log(targets[big]) - targets[big] + 0.5 * np.log(2 * np.pi * targets[big])
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0) in the unselected Stirling branch
        out = tf.nn.log_poisson_loss(targets, log_input, compute_full_loss=True)
    np.testing.assert_allclose(out.numpy(), full, rtol=1e-12)
    with pytest.raises(ValueError, match=r"`log_input` and `targets` must have the same shape, received \(\(3,\) vs "
                                         r"\(2,\)\)"):
        tf.nn.log_poisson_loss([0.0, 1.0], [0.5, 1.0, 2.0])
    check_gradients(lambda t, x: tf.nn.log_poisson_loss(t, x, compute_full_loss=True), [2.0, 3.5], [0.3, -0.2],
                    order=2)


def test_compute_average_loss():
    assert tf.nn.compute_average_loss([1.0, 2.0, 3.0]).numpy() == pytest.approx(2.0)
    assert tf.nn.compute_average_loss([1.0, 2.0, 3.0], global_batch_size=6).numpy() == pytest.approx(1.0)
    assert tf.nn.compute_average_loss([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 2.0]).numpy() == pytest.approx(7 / 3)
    assert tf.nn.compute_average_loss([1.0, 2.0, 3.0], sample_weight=2.0).numpy() == pytest.approx(4.0)
    assert tf.nn.compute_average_loss([[1.0, 2.0], [3.0, 4.0]]).numpy() == pytest.approx(5.0)
    ints = tf.nn.compute_average_loss([1, 2])
    assert ints.dtype == tf.float64 and ints.numpy() == 1.5
    assert tf.nn.compute_average_loss([1.0, 2.0], global_batch_size=0).numpy() == 0.0
    assert tf.nn.compute_average_loss(tf.zeros([0])).numpy() == 0.0
    with pytest.raises(InvalidArgumentError, match="global_batch_size must be non-negative"):
        tf.nn.compute_average_loss([1.0, 2.0], global_batch_size=-1)
    with pytest.raises(TypeError, match="global_batch_size must be an integer"):
        tf.nn.compute_average_loss([1.0, 2.0], global_batch_size=2.5)
    with pytest.raises(ValueError, match="at least rank 1"):
        tf.nn.compute_average_loss(1.0)
    check_gradients(lambda t: tf.nn.compute_average_loss(t), RS.randn(4))


def test_scale_regularization_loss():
    assert tf.nn.scale_regularization_loss(3.0).numpy() == 3.0
    assert tf.nn.scale_regularization_loss([3.0, 1.0]).numpy() == 4.0


# ---------------------------------------------------------------------------------------------------------
# in_top_k


def test_in_top_k():
    predictions = [[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]]
    out = tf.nn.in_top_k([0, 2], predictions, 1)
    assert out.dtype == tf.bool and out.numpy().tolist() == [False, True]
    assert tf.nn.in_top_k([1, 0], predictions, 2).numpy().tolist() == [True, False]
    ties = [[0.5, 0.5, 0.4], [0.5, 0.5, 0.4]]
    assert tf.nn.in_top_k([0, 1], ties, 1).numpy().tolist() == [True, True]
    assert tf.nn.in_top_k([0, 1], [[np.nan, 0.5], [np.inf, 0.5]], 1).numpy().tolist() == [False, False]
    assert tf.nn.in_top_k([1], [[np.nan, 0.5]], 2).numpy().tolist() == [False]  # any non-finite in the row
    assert tf.nn.in_top_k([5, -1], ties, 3).numpy().tolist() == [False, False]
    assert tf.nn.in_top_k([0, 1], ties, 0).numpy().tolist() == [False, False]
    assert tf.nn.in_top_k(tf.constant([0, 1], tf.int64), ties, 5).numpy().tolist() == [True, True]


def test_in_top_k_errors():
    ties = [[0.5, 0.5, 0.4], [0.5, 0.5, 0.4]]
    with pytest.raises(InvalidArgumentError, match="First dimension of predictions 2 must match length of targets 1"):
        tf.nn.in_top_k([0], ties, 2)
    with pytest.raises(InvalidArgumentError, match="predictions must be 2-dimensional"):
        tf.nn.in_top_k([0, 1], [0.5, 0.5], 2)
    with pytest.raises(InvalidArgumentError, match="attr 'T' of float"):
        tf.nn.in_top_k([0.0, 1.0], ties, 1)
    with pytest.raises(ValueError, match="requested dtype float32"):
        tf.nn.in_top_k([0, 1], tf.constant(ties, tf.float64), 1)


# ---------------------------------------------------------------------------------------------------------
# Moments and batch normalisation


def test_moments():
    x = RS.randn(2, 3, 4)
    mean, var = tf.nn.moments(x, axes=[0, 1])
    assert mean.shape == (4,) and var.shape == (4,) and mean.dtype == tf.float64
    np.testing.assert_allclose(mean.numpy(), x.mean((0, 1)), rtol=1e-12)
    np.testing.assert_allclose(var.numpy(), x.var((0, 1)), rtol=1e-12)
    mean, var = tf.nn.moments(tf.constant(x, tf.float32), axes=0, keepdims=True, shift=5.0)
    assert mean.shape == (1, 3, 4) and var.dtype == tf.float32
    np.testing.assert_allclose(var.numpy(), x.var(0, keepdims=True), rtol=1e-5)
    mean, var = tf.nn.moments(tf.constant([1, 2, 4]), axes=[0])
    assert mean.dtype == tf.int32 and (mean.numpy(), var.numpy()) == (2, 1)
    mean, var = tf.nn.moments(tf.constant([1.0, 2.0, 4.0], tf.float16), axes=[0])
    assert mean.dtype == tf.float16 and var.numpy() == pytest.approx(14 / 9, rel=1e-3)
    with pytest.raises(InvalidArgumentError, match=r"Invalid reduction dimension \(3 for input with 3 dimension"):
        tf.nn.moments(x, axes=[3])


def test_moments_spec_example():
    # the TensorArray chapter's stack [[1, 2], [0, 0], [5, 7]] (spec 001b)
    mean, variance = tf.nn.moments(tf.constant([[1.0, 2.0], [0.0, 0.0], [5.0, 7.0]]), axes=0)
    assert mean.numpy().tolist() == [2.0, 3.0]
    np.testing.assert_allclose(variance.numpy(), [4.6666665, 8.666667], rtol=1e-7)


@pytest.mark.parametrize("keepdims", [False, True])
def test_moments_gradients(keepdims):
    w = tf.constant(RS.randn(4))

    def f(x):
        mean, var = tf.nn.moments(x, axes=[0, 1], keepdims=keepdims)
        return mean * 3.0 + var * w

    check_gradients(f, RS.randn(2, 3, 4), order=2)
    check_gradients(lambda x: tf.nn.moments(x, axes=[1])[1], RS.randn(3, 5), order=2)


def test_weighted_moments():
    x = RS.randn(2, 3, 4)
    weights = np.array([[1.0], [2.0], [0.0]])
    mean, var = tf.nn.weighted_moments(x, axes=[1], frequency_weights=weights)
    w = np.broadcast_to(weights, x.shape)
    ref_mean = (w * x).sum(1) / w.sum(1)
    np.testing.assert_allclose(mean.numpy(), ref_mean, rtol=1e-12)
    np.testing.assert_allclose(var.numpy(), (w * (x - ref_mean[:, None]) ** 2).sum(1) / w.sum(1), rtol=1e-12)
    assert tf.nn.weighted_moments(x, [1], weights, keepdims=True)[0].shape == (2, 1, 4)
    zero = tf.nn.weighted_moments(x, [1], np.zeros((3, 1)))
    assert not zero[0].numpy().any() and not zero[1].numpy().any()
    with pytest.raises(InvalidArgumentError, match="SquaredDifference"):
        tf.nn.weighted_moments(tf.constant([1, 2, 4]), axes=[0], frequency_weights=tf.constant([1, 1, 2]))
    check_gradients(lambda t, f: tf.add_n(list(tf.nn.weighted_moments(t, [0], f))), RS.randn(5, 2),
                    RS.uniform(0.5, 2, (5, 1)), order=2)


def test_normalize_moments():
    mean, var = tf.nn.normalize_moments(4.0, tf.constant([8.0]), tf.constant([20.0]), None)
    assert (mean.numpy().tolist(), var.numpy().tolist()) == ([2.0], [1.0])
    mean, var = tf.nn.normalize_moments(4.0, tf.constant([8.0]), tf.constant([20.0]), 1.0)
    assert (mean.numpy().tolist(), var.numpy().tolist()) == ([3.0], [1.0])


def test_sufficient_statistics_and_zero_fraction():
    x = RS.randn(3, 4)
    counts, m_ss, v_ss, shift = tf.nn.sufficient_statistics(x, [0])
    assert counts.numpy() == 3.0 and shift is None
    np.testing.assert_allclose(m_ss.numpy(), x.sum(0), rtol=1e-12)
    np.testing.assert_allclose(v_ss.numpy(), (x ** 2).sum(0), rtol=1e-12)
    counts, m_ss, v_ss, shift = tf.nn.sufficient_statistics(x, [0, 1], shift=np.float64(0.5), keepdims=True)
    assert counts.numpy() == 12.0 and m_ss.shape == (1, 1) and shift.numpy() == 0.5
    np.testing.assert_allclose(v_ss.numpy(), [[((x - 0.5) ** 2).sum()]], rtol=1e-12)
    mean, var = tf.nn.normalize_moments(*tf.nn.sufficient_statistics(x, [0], shift=np.float64(0.3)))
    np.testing.assert_allclose(mean.numpy(), x.mean(0), rtol=1e-12)
    np.testing.assert_allclose(var.numpy(), x.var(0), rtol=1e-10)
    fraction = tf.nn.zero_fraction([[0.0, 1.0, 2.0], [0.0, 3.0, 0.5]])
    assert fraction.dtype == tf.float32 and fraction.numpy() == np.float32(1 / 3)
    assert tf.math.zero_fraction([True, False]).numpy() == 0.5


def test_batch_norm_with_global_normalization():
    x, mean, var, beta, gamma = RS.randn(3, 4), RS.randn(4), RS.uniform(0.5, 2, 4), RS.randn(4), RS.randn(4)
    out = tf.nn.batch_norm_with_global_normalization(x, mean, var, beta, gamma, 1e-3, True)
    np.testing.assert_allclose(out.numpy(), (x - mean) / np.sqrt(var + 1e-3) * gamma + beta, rtol=1e-12)
    out = tf.nn.batch_norm_with_global_normalization(x, mean, var, beta, gamma, 1e-3, False)
    np.testing.assert_allclose(out.numpy(), (x - mean) / np.sqrt(var + 1e-3) + beta, rtol=1e-12)


def test_batch_normalization():
    x = RS.randn(3, 4)
    mean, var, offset, scale = RS.randn(4), RS.uniform(0.5, 2, 4), RS.randn(4), RS.randn(4)
    out = tf.nn.batch_normalization(x, mean, var, offset, scale, 1e-3)
    np.testing.assert_allclose(out.numpy(), (x - mean) / np.sqrt(var + 1e-3) * scale + offset, rtol=1e-12)
    bare = tf.nn.batch_normalization(x, mean, var, None, None, 1e-3)
    np.testing.assert_allclose(bare.numpy(), (x - mean) / np.sqrt(var + 1e-3), rtol=1e-12)
    with pytest.raises(InvalidArgumentError):
        tf.nn.batch_normalization(tf.constant(x, tf.float32), tf.constant(2.0, tf.float64), 4.0, None, None, 0.001)
    check_gradients(lambda *a: tf.nn.batch_normalization(*a, 1e-3), x, mean, var, offset, scale, order=2)


def np_fused_batch_norm(x, scale, offset, eps, channel_axis):
    axes = tuple(a for a in range(x.ndim) if a != channel_axis)
    shape = [1] * x.ndim
    shape[channel_axis] = -1
    mean, var = x.mean(axes), x.var(axes)
    y = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * scale.reshape(shape) + offset.reshape(shape)
    n = x.size // x.shape[channel_axis]
    return y, mean, var * n / (n - 1)


@pytest.mark.parametrize("data_format,shape,channel_axis", [("NHWC", (2, 3, 2, 4), 3), ("NCHW", (2, 4, 3, 2), 1),
                                                            ("NDHWC", (2, 2, 1, 2, 4), 4)])
def test_fused_batch_norm_training(data_format, shape, channel_axis):
    x = RS.randn(*shape).astype(np.float32)
    scale, offset = RS.randn(4).astype(np.float32), RS.randn(4).astype(np.float32)
    y, mean, var = tf.nn.fused_batch_norm(x, scale, offset, epsilon=0.01, data_format=data_format)
    ref_y, ref_mean, ref_var = np_fused_batch_norm(x.astype(np.float64), scale, offset, 0.01, channel_axis)
    np.testing.assert_allclose(y.numpy(), ref_y, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(mean.numpy(), ref_mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(var.numpy(), ref_var, rtol=1e-5)
    old_mean, old_var = np.ones(4, np.float32), np.full(4, 2.0, np.float32)
    _, mean, var = tf.nn.fused_batch_norm(x, scale, offset, old_mean, old_var, epsilon=0.01, data_format=data_format,
                                          exponential_avg_factor=0.25)
    np.testing.assert_allclose(mean.numpy(), 0.75 * old_mean + 0.25 * ref_mean, rtol=1e-5)
    np.testing.assert_allclose(var.numpy(), 0.75 * old_var + 0.25 * ref_var, rtol=1e-5)


def test_fused_batch_norm_inference_and_dtypes():
    x = RS.randn(2, 2, 2, 3).astype(np.float32)
    scale, offset = np.array([1.0, 2.0, 3.0], np.float32), np.array([0.0, 1.0, 0.0], np.float32)
    mean, var = np.array([1.0, 2.0, 3.0], np.float32), np.array([1.0, 2.0, 3.0], np.float32)
    y, m, v = tf.nn.fused_batch_norm(x, scale, offset, mean, var, is_training=False)
    np.testing.assert_allclose(y.numpy(), (x - mean) / np.sqrt(var + 0.001) * scale + offset, rtol=1e-5)
    assert m.numpy().tolist() == mean.tolist() and v.numpy().tolist() == var.tolist()
    y16, m16, _ = tf.nn.fused_batch_norm(tf.constant(x, tf.float16), scale, offset)
    assert y16.dtype == tf.float16 and m16.dtype == tf.float32
    single = tf.nn.fused_batch_norm(tf.ones([1, 1, 1, 3]), scale, offset)
    assert single[2].numpy().tolist() == [0.0, 0.0, 0.0]


def test_fused_batch_norm_errors():
    x, c = tf.ones([2, 2, 2, 3]), tf.ones([3])
    with pytest.raises(ValueError, match="Both `mean` and `variance` must be a 1D tensor"):
        tf.nn.fused_batch_norm(x, c, c, is_training=False)
    with pytest.raises(InvalidArgumentError, match=r"input must be 4 or 5-dimensional\[2,3,3\]"):
        tf.nn.fused_batch_norm(tf.ones([2, 3, 3]), c, c)
    with pytest.raises(InvalidArgumentError, match="attr 'T' of double"):
        tf.nn.fused_batch_norm(tf.ones([1, 1, 1, 3], tf.float64), c, c)
    with pytest.raises(InvalidArgumentError, match="attr 'U' of double"):
        tf.nn.fused_batch_norm(x, tf.ones([3], tf.float64), tf.ones([3], tf.float64))
    with pytest.raises(InvalidArgumentError, match="data_format"):
        tf.nn.fused_batch_norm(x, c, c, data_format="NCWH")
    with pytest.raises(InvalidArgumentError, match="scale must have the same number of elements as the channels of "
                                                   "x, got 2 and 3"):
        tf.nn.fused_batch_norm(x, tf.ones([2]), c)


def test_fused_batch_norm_gradients():
    # float32 kernels: compare the tape gradient with float64 finite differences of a NumPy reference
    x = RS.randn(2, 2, 3, 3).astype(np.float32)
    scale, offset = RS.randn(3).astype(np.float32), RS.randn(3).astype(np.float32)
    weights = RS.randn(*x.shape)

    def loss(x_, s_, o_):
        return (np_fused_batch_norm(x_, s_, o_, 0.001, 3)[0] * weights).sum()

    g = grads_of(lambda a, b, c: tf.reduce_sum(tf.nn.fused_batch_norm(a, b, c)[0] * tf.constant(weights, tf.float32)),
                 x, scale, offset)
    args = [x.astype(np.float64), scale.astype(np.float64), offset.astype(np.float64)]
    for k, arg in enumerate(args):
        numeric = np.zeros_like(arg)
        for idx in np.ndindex(arg.shape):
            up, down = [a.copy() for a in args], [a.copy() for a in args]
            up[k][idx] += 1e-5
            down[k][idx] -= 1e-5
            numeric[idx] = (loss(*up) - loss(*down)) / 2e-5
        np.testing.assert_allclose(g[k], numeric, rtol=2e-3, atol=2e-4)


@pytest.mark.parametrize("is_training,channel_axis", [(True, 3), (True, 1), (False, 3)])
def test_fused_batch_norm_op_float64_gradients(is_training, channel_axis):
    # the public function accepts float32 only (like TF); the kernel and its gradient also run in float64
    from ndflow._core.ops._helpers import execute
    from ndflow._core.ops.nn_norm import FusedBatchNorm

    attrs = {"epsilon": 0.01, "factor": 1.0, "channel_axis": channel_axis, "rank": 4, "is_training": is_training}
    shape = (2, 3, 2, 2) if channel_axis == 1 else (2, 2, 2, 3)
    weights = tf.constant(RS.randn(*shape))
    check_gradients(lambda *a: execute(FusedBatchNorm, a, attrs)[0] * weights, RS.randn(*shape), RS.randn(3),
                    RS.randn(3), RS.randn(3), RS.uniform(0.5, 2, 3), order=2)


def test_fused_batch_norm_inference_gradients():
    x = RS.randn(2, 2, 1, 3).astype(np.float32)
    scale, offset = RS.randn(3).astype(np.float32), RS.randn(3).astype(np.float32)
    mean, var = RS.randn(3).astype(np.float32), RS.uniform(0.5, 2, 3).astype(np.float32)
    g = grads_of(lambda *a: tf.nn.fused_batch_norm(*a, is_training=False)[0], x, scale, offset, mean, var)
    rstd = 1 / np.sqrt(var + 0.001)
    np.testing.assert_allclose(g[0], np.broadcast_to(scale * rstd, x.shape), rtol=1e-5)
    np.testing.assert_allclose(g[1], ((x - mean) * rstd).sum((0, 1, 2)), rtol=1e-4)
    np.testing.assert_allclose(g[2], np.full(3, 4.0), rtol=1e-6)
    np.testing.assert_allclose(g[3], -4 * scale * rstd, rtol=1e-5)
    np.testing.assert_allclose(g[4], -0.5 * (x - mean).sum((0, 1, 2)) * scale * rstd ** 3, rtol=1e-4)


def np_lrn(x, r, bias, alpha, beta):
    out = np.empty_like(x)
    for c in range(x.shape[-1]):
        window = x[..., max(c - r, 0):c + r + 1]
        out[..., c] = x[..., c] / (bias + alpha * (window ** 2).sum(-1)) ** beta
    return out


def test_local_response_normalization():
    x = RS.randn(2, 2, 3, 7).astype(np.float32)
    out = tf.nn.local_response_normalization(x)
    np.testing.assert_allclose(out.numpy(), np_lrn(x.astype(np.float64), 5, 1.0, 1.0, 0.5), rtol=1e-5)
    out = tf.nn.lrn(x, depth_radius=1, bias=2.0, alpha=0.5, beta=0.75)
    np.testing.assert_allclose(out.numpy(), np_lrn(x.astype(np.float64), 1, 2.0, 0.5, 0.75), rtol=1e-5)
    assert tf.nn.lrn(tf.constant(x, tf.float16)).dtype == tf.float16
    with pytest.raises(InvalidArgumentError, match="in must be 4-dimensional"):
        tf.nn.lrn(tf.ones([2, 2, 3]))
    with pytest.raises(InvalidArgumentError, match="attr 'T' of double"):
        tf.nn.lrn(tf.ones([1, 1, 2, 3], tf.float64))


def test_local_response_normalization_gradients():
    # LRN has no float64 kernel (as in TF): check the float32 tape gradient against float64 differences
    x = RS.randn(1, 2, 2, 6).astype(np.float32)
    weights = RS.randn(*x.shape)
    g = grads_of(lambda t: tf.reduce_sum(tf.nn.lrn(t, 2, 1.5, 0.3, 0.75) * tf.constant(weights, tf.float32)), x)[0]
    base = x.astype(np.float64)
    numeric = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        up, down = base.copy(), base.copy()
        up[idx] += 1e-5
        down[idx] -= 1e-5
        numeric[idx] = ((np_lrn(up, 2, 1.5, 0.3, 0.75) - np_lrn(down, 2, 1.5, 0.3, 0.75)) * weights).sum() / 2e-5
    np.testing.assert_allclose(g, numeric, rtol=1e-3, atol=1e-4)


def test_lrn_op_float64_gradients():
    from ndflow._core.ops._helpers import execute
    from ndflow._core.ops.nn_norm import LRN, WindowSum

    check_gradients(lambda t: execute(WindowSum, (t,), {"depth_radius": 2}) ** 2, RS.randn(2, 6), order=2)
    attrs = {"depth_radius": 2, "bias": 1.5, "alpha": 0.3, "beta": 0.75}
    check_gradients(lambda t: execute(LRN, (t,), attrs), RS.randn(1, 2, 1, 6), order=2)


# ---------------------------------------------------------------------------------------------------------
# bias_add


def test_bias_add():
    x = RS.randn(2, 3, 2, 4)
    np.testing.assert_allclose(tf.nn.bias_add(x, np.arange(4.0)).numpy(), x + np.arange(4.0))
    np.testing.assert_allclose(tf.nn.bias_add(x, np.arange(3.0), data_format="NCHW").numpy(),
                               x + np.arange(3.0)[:, None, None])
    np.testing.assert_allclose(tf.nn.bias_add(x, np.arange(4.0), data_format="NWC").numpy(), x + np.arange(4.0))
    assert tf.nn.bias_add(tf.ones([2, 3], tf.int32), [1, 2, 3]).numpy().tolist() == [[2, 3, 4], [2, 3, 4]]
    check_gradients(lambda a, b: tf.nn.bias_add(a, b), x, RS.randn(4), order=2)
    check_gradients(lambda a, b: tf.nn.bias_add(a, b, data_format="NCHW"), x, RS.randn(3), order=2)


def test_bias_add_errors():
    x = tf.ones([2, 2, 2, 3])
    with pytest.raises(InvalidArgumentError, match=r"Input tensor must be at least 2D: \[3\]"):
        tf.nn.bias_add(tf.ones([3]), [1.0, 2.0, 3.0])
    with pytest.raises(InvalidArgumentError, match=r"Must provide as many biases as the last dimension of the input "
                                                   r"tensor: \[2\] vs. \[2,2,2,3\]"):
        tf.nn.bias_add(x, [1.0, 2.0])
    with pytest.raises(InvalidArgumentError, match=r"Biases must be 1D: \[1,3\]"):
        tf.nn.bias_add(x, [[1.0, 2.0, 3.0]])
    with pytest.raises(InvalidArgumentError, match="cannot compute BiasAdd as input #1"):
        tf.nn.bias_add(x, tf.constant([1.0, 2.0, 3.0], tf.float64))
    with pytest.raises(ValueError, match="`data_format` must be of the form `N...C` or `NC...`"):
        tf.nn.bias_add(x, [1.0, 2.0, 3.0], data_format="NHWCX")
    with pytest.raises(InvalidArgumentError, match="attr 'T' of bool"):
        tf.nn.bias_add(tf.constant([[True]]), [True])


# ---------------------------------------------------------------------------------------------------------
# dropout


def test_dropout_scales_kept_units():
    x = tf.ones([200, 100])
    out = tf.nn.dropout(x, rate=0.5).numpy()
    assert set(np.unique(out)) <= {0.0, 2.0}
    assert abs(out.mean() - 1.0) < 0.05
    out = tf.nn.dropout(x, 0.25).numpy()
    assert set(np.unique(out)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((out == 0).mean() - 0.25) < 0.03
    tensor_rate = tf.nn.dropout(x, tf.constant(0.5)).numpy()
    assert set(np.unique(tensor_rate)) <= {0.0, 2.0}


def test_dropout_rate_zero_and_seeds():
    x = tf.constant(RS.randn(4, 5).astype(np.float32))
    assert tf.nn.dropout(x, 0.0) is x
    tf.random.set_seed(5)
    first = tf.nn.dropout(x, 0.5, seed=3).numpy()
    tf.random.set_seed(5)
    assert np.array_equal(tf.nn.dropout(x, 0.5, seed=3).numpy(), first)


def test_dropout_noise_shape():
    out = tf.nn.dropout(tf.ones([50, 6]), 0.5, noise_shape=[50, 1]).numpy()
    assert (out == out[:, :1]).all()
    out = tf.nn.dropout(tf.ones([50, 6]), 0.5, noise_shape=[None, 1]).numpy()
    assert (out == out[:, :1]).all()
    with pytest.raises(InvalidArgumentError, match=r"condition \[3,1\], then \[4,5\], and else \[\] must be "
                                                   r"broadcastable"):
        tf.nn.dropout(tf.ones([4, 5]), 0.5, noise_shape=[3, 1])


def test_dropout_errors():
    x = tf.ones([2, 2])
    for rate in (1.0, -0.1):
        with pytest.raises(ValueError, match=r"`rate` must be a scalar tensor or a float in the range \[0, 1\)"):
            tf.nn.dropout(x, rate)
    with pytest.raises(ValueError, match="`x.dtype` must be a floating point tensor as `x` will be scaled"):
        tf.nn.dropout(tf.ones([3], tf.int32), 0.5)
    with pytest.raises(ValueError, match="`x.dtype` must be compatible with `rate.dtype`"):
        tf.nn.dropout(x, tf.constant(0.5, tf.float64))
    with pytest.raises(ValueError, match="must have rank 0"):
        tf.nn.dropout(x, tf.constant([0.5]))
    with pytest.raises(ValueError, match="`rate` must be a scalar or scalar tensor"):
        tf.nn.dropout(x, "a")


def test_dropout_op_gradient():
    from ndflow._core.ops._helpers import execute
    from ndflow._core.ops.nn_ops import Dropout

    noise = tf.constant(RS.uniform(size=(4, 1)))
    check_gradients(lambda t: execute(Dropout, (t, noise), {"rate": 0.4}), RS.randn(4, 3), order=2)


def test_dropout_gradient_is_the_mask():
    x = tf.constant(RS.uniform(1, 2, (30, 20)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.dropout(x, 0.4)
    g = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(g, y.numpy() / x.numpy(), rtol=1e-12)
    assert 0 < (g == 0).mean() < 1


# ---------------------------------------------------------------------------------------------------------
# embedding_lookup


def test_embedding_lookup():
    params = np.arange(12.0).reshape(6, 2)
    ids = [[0, 5], [2, 2]]
    out = tf.nn.embedding_lookup(params, ids)
    assert out.shape == (2, 2, 2)
    np.testing.assert_array_equal(out.numpy(), params[ids])
    np.testing.assert_array_equal(tf.nn.embedding_lookup(tf.Variable(params), [1]).numpy(), params[[1]])
    np.testing.assert_array_equal(tf.nn.embedding_lookup(params, 3).numpy(), params[3])
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = 7 is not in \[0, 6\)"):
        tf.nn.embedding_lookup(params, [7])
    with pytest.raises(ValueError, match="Length of params is currently 0"):
        tf.nn.embedding_lookup([], [1])


def test_embedding_lookup_shards_use_div_strategy():
    # TF2's embedding_lookup partitions ids into contiguous blocks: 7 ids over shards of 3, 2, 2 rows
    shards = [np.array([[0.0], [1.0], [2.0]]), np.array([[3.0], [4.0]]), np.array([[5.0], [6.0]])]
    out = tf.nn.embedding_lookup(shards, [[6, 0], [3, 2], [5, 1]])
    np.testing.assert_array_equal(out.numpy()[..., 0], [[6, 0], [3, 2], [5, 1]])
    params = np.arange(12.0).reshape(6, 2)
    np.testing.assert_array_equal(tf.nn.embedding_lookup([params[:3], params[3:]], [4, 0, 5]).numpy(),
                                  params[[4, 0, 5]])
    with pytest.raises(InvalidArgumentError, match=r"partitions\[0\] = 2 is not in \[0, 2\)"):
        tf.nn.embedding_lookup([params[:3], params[3:]], [7])


def test_embedding_lookup_mod_strategy_for_tf1():
    from ndflow._core.ops.nn_ops import embedding_lookup_with_strategy

    shards = [np.array([[0.0], [3.0]]), np.array([[1.0], [4.0]]), np.array([[2.0]])]
    out = embedding_lookup_with_strategy(shards, [4, 0, 2, 3], "mod")
    np.testing.assert_array_equal(out.numpy()[:, 0], [4, 0, 2, 3])
    with pytest.raises(ValueError, match="Unrecognized partition strategy"):
        embedding_lookup_with_strategy(shards, [0], "row")


def test_embedding_lookup_max_norm():
    params = np.array([[3.0, 4.0], [0.3, 0.4]])
    out = tf.nn.embedding_lookup(params, [0, 1], max_norm=1.0)
    np.testing.assert_allclose(out.numpy(), [[0.6, 0.8], [0.3, 0.4]], rtol=1e-12)
    np.testing.assert_allclose(tf.nn.embedding_lookup(np.array([1.0, -2.0, 3.0]), [2, 1], max_norm=1.0).numpy(),
                               [1.0, -1.0])


def test_embedding_lookup_gradients():
    ids = [[1, 3], [3, 0]]
    check_gradients(lambda p: tf.nn.embedding_lookup(p, ids), RS.randn(4, 3), order=2)
    check_gradients(lambda a, b: tf.nn.embedding_lookup([a, b], ids), RS.randn(2, 3), RS.randn(2, 3))
    check_gradients(lambda p: tf.nn.embedding_lookup(p, ids, max_norm=1.0), RS.randn(4, 3) * 2)


# ---------------------------------------------------------------------------------------------------------
# Graph mode


def test_ops_inside_tf_function_match_eager():
    x = tf.constant(RS.randn(2, 3).astype(np.float32))
    labels = tf.constant([0, 2])

    def body(t):
        with tf.GradientTape() as tape:
            tape.watch(t)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=t))
            loss += tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels=tf.nn.softmax(t), logits=t))
            loss += tf.reduce_sum(tf.nn.relu(t) + tf.nn.elu(t) + tf.nn.gelu(t) + tf.nn.silu(t))
            loss += tf.reduce_sum(tf.nn.moments(t, [0])[1]) + tf.nn.l2_loss(t)
            loss += tf.reduce_sum(tf.nn.bias_add(t, [1.0, 2.0, 3.0]))
            loss += tf.reduce_sum(tf.nn.embedding_lookup([t, t], [0, 3]))
            y = tf.nn.fused_batch_norm(tf.reshape(t, [1, -1, 1, 3]), tf.ones([3]), tf.zeros([3]))[0]
            loss += tf.reduce_sum(y * y) + tf.reduce_sum(tf.nn.lrn(tf.reshape(t, [1, -1, 1, 3])))
        return loss, tape.gradient(loss, t), tf.nn.in_top_k(labels, t, 1)

    eager = body(x)
    traced = tf.function(body)(x)
    unknown_batch = tf.function(body, input_signature=[tf.TensorSpec([None, 3], tf.float32)])(x)
    for a, b, c in zip(eager, traced, unknown_batch):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5)
        np.testing.assert_allclose(a.numpy(), c.numpy(), rtol=1e-5)


def test_sharded_embedding_and_dropout_with_unknown_batch():
    shards = [tf.constant([[0.0], [1.0]]), tf.constant([[2.0], [3.0]])]

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.int32), tf.TensorSpec([None, 4], tf.float32)])
    def f(ids, x):
        return tf.nn.embedding_lookup(shards, ids), tf.nn.dropout(x, 0.5)

    looked_up, dropped = f(tf.constant([[3, 0], [1, 2], [2, 2]]), tf.ones([3, 4]))
    np.testing.assert_array_equal(looked_up.numpy()[..., 0], [[3, 0], [1, 2], [2, 2]])
    assert dropped.shape == (3, 4) and set(np.unique(dropped.numpy())) <= {0.0, 2.0}
