"""Parity of tf.nn activations, losses, normalisation, bias_add, embeddings and in_top_k with real TensorFlow:
values, dtypes, shapes, error types and gradients on the same inputs."""
import numpy as np
import pytest

import ndflow as tf

pytestmark = pytest.mark.parity
RS = np.random.RandomState(5)

X = RS.randn(3, 5).astype(np.float32) * 3
X[0, :3] = [0.0, 6.0, -0.0]  # the kinks
X4 = RS.randn(2, 3, 2, 4).astype(np.float32)
PROBS = (np.exp(X) / np.exp(X).sum(1, keepdims=True)).astype(np.float32)
LABELS = np.array([4, 0, 2])
BIG = np.array([[1000.0, -1000.0, 3.0, 0.0]], np.float32)


def _fused(mod):
    """TF2 keeps ``fused_batch_norm`` under ``compat.v1.nn``; ndflow exports it as ``nn.fused_batch_norm``."""
    return mod.nn.fused_batch_norm if mod is tf else mod.compat.v1.nn.fused_batch_norm


SPECIAL = np.array([np.nan, -np.inf, np.inf, -1.0, 1.0], np.float32)

CASES = {
    **{f"{name}_special_values": (lambda m, name=name: getattr(m.nn, name)(SPECIAL))
       for name in ("relu", "relu6", "elu", "selu", "leaky_relu", "gelu", "silu", "log_softmax")},
    "xent_empty": lambda m: m.nn.softmax_cross_entropy_with_logits(labels=np.zeros([0, 3], np.float32),
                                                                   logits=np.zeros([0, 3], np.float32)),
    "sparse_empty": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=np.zeros([0], np.int32),
                                                                            logits=np.zeros([0, 3], np.float32)),
    "moments_no_axes": lambda m: m.nn.moments(X[:1], axes=[]),
    "relu": lambda m: m.nn.relu(X),
    "relu_int": lambda m: m.nn.relu(np.array([-2, 3], np.int32)),
    "relu_bool": lambda m: m.nn.relu(np.array([True])),
    "relu6": lambda m: m.nn.relu6(X),
    "relu6_int": lambda m: m.nn.relu6(np.array([-2, 9], np.int64)),
    "crelu": lambda m: m.nn.crelu(X, axis=0),
    "elu": lambda m: m.nn.elu(X.astype(np.float64)),
    "elu_int": lambda m: m.nn.elu(np.array([1, 2])),
    "selu": lambda m: m.nn.selu(X),
    "gelu": lambda m: m.nn.gelu(X),
    "gelu_approx": lambda m: m.nn.gelu(X, approximate=True),
    "gelu_half": lambda m: m.nn.gelu(X.astype(np.float16)),
    "gelu_int": lambda m: m.nn.gelu(np.array([1, 2])),
    "leaky_relu": lambda m: m.nn.leaky_relu(X),
    "leaky_relu_alpha": lambda m: m.nn.leaky_relu(X, alpha=1.5),
    "leaky_relu_int": lambda m: m.nn.leaky_relu(np.array([-1, 7])),
    "silu": lambda m: m.nn.silu(X),
    "swish_beta": lambda m: m.nn.swish(X, beta=0.5),
    "silu_int": lambda m: m.nn.silu(np.array([1, 2])),
    "softmax": lambda m: m.nn.softmax(X),
    "softmax_axis0": lambda m: m.nn.softmax(X4, axis=0),
    "softmax_big": lambda m: m.nn.softmax(BIG),
    "softmax_half": lambda m: m.nn.softmax(X.astype(np.float16)),
    "softmax_bad_axis": lambda m: m.nn.softmax(X, axis=2),
    "math_softmax": lambda m: m.math.softmax(X, axis=-2),
    "log_softmax": lambda m: m.nn.log_softmax(X4, axis=2),
    "log_softmax_big": lambda m: m.nn.log_softmax(BIG),
    "log_softmax_int": lambda m: m.nn.log_softmax(np.array([[1, 2]])),
    "xent": lambda m: m.nn.softmax_cross_entropy_with_logits(labels=PROBS, logits=X),
    "xent_axis": lambda m: m.nn.softmax_cross_entropy_with_logits(labels=PROBS.T, logits=X.T, axis=0),
    "xent_big": lambda m: m.nn.softmax_cross_entropy_with_logits(labels=[[0.2, 0.3, 0.5, 0.0]], logits=BIG),
    "xent_1d": lambda m: m.nn.softmax_cross_entropy_with_logits(labels=PROBS[0], logits=X[0]),
    "xent_broadcast": lambda m: m.nn.softmax_cross_entropy_with_logits(labels=PROBS[:1], logits=X),
    "xent_label_dtype": lambda m: m.nn.softmax_cross_entropy_with_logits(labels=PROBS.astype(np.float64),
                                                                          logits=X),
    "xent_half": lambda m: m.nn.softmax_cross_entropy_with_logits(labels=PROBS, logits=X.astype(np.float16)),
    "xent_shape": lambda m: m.nn.softmax_cross_entropy_with_logits(labels=PROBS[:, :2], logits=X),
    "xent_int": lambda m: m.nn.softmax_cross_entropy_with_logits(labels=[[0, 1]], logits=[[1, 2]]),
    "sparse": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=LABELS, logits=X),
    "sparse_3d": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=[[1, 0, 3]], logits=X4[0]),
    "sparse_big": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=BIG),
    "sparse_1d": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=2, logits=X[0]),
    "sparse_half": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=LABELS,
                                                                          logits=X.astype(np.float16)),
    "sparse_oor": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 5, 0], logits=X),
    "sparse_rank": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=[[1], [2], [0]], logits=X),
    "sparse_shape": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 2], logits=X),
    "sparse_float_labels": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=[1.0, 2, 0], logits=X),
    "sparse_scalar": lambda m: m.nn.sparse_softmax_cross_entropy_with_logits(labels=0, logits=np.float32(1.0)),
    "sigmoid_xent": lambda m: m.nn.sigmoid_cross_entropy_with_logits(labels=PROBS, logits=X),
    "sigmoid_xent_big": lambda m: m.nn.sigmoid_cross_entropy_with_logits(labels=[[0.0, 1.0, 0.5, 1.0]], logits=BIG),
    "sigmoid_xent_shape": lambda m: m.nn.sigmoid_cross_entropy_with_logits(labels=PROBS[:2], logits=X),
    "sigmoid_xent_dtype": lambda m: m.nn.sigmoid_cross_entropy_with_logits(labels=PROBS.astype(np.float64),
                                                                           logits=X),
    "weighted_xent": lambda m: m.nn.weighted_cross_entropy_with_logits(PROBS, X, 2.5),
    "weighted_xent_big": lambda m: m.nn.weighted_cross_entropy_with_logits([[0.0, 1.0, 0.5, 1.0]], BIG, 0.5),
    "l2_loss": lambda m: m.nn.l2_loss(X),
    "l2_loss_int": lambda m: m.nn.l2_loss([1, 2]),
    "l2_normalize": lambda m: m.nn.l2_normalize(X, axis=1),
    "l2_normalize_all": lambda m: m.math.l2_normalize(X4, epsilon=1e-3),
    "l2_normalize_int": lambda m: m.nn.l2_normalize([[3, 4]]),
    "log_poisson": lambda m: m.nn.log_poisson_loss(np.abs(X) * 2, X / 3),
    "log_poisson_full": lambda m: m.nn.log_poisson_loss(np.abs(X[1:]) * 2 + 0.1, X[1:] / 3,
                                                        compute_full_loss=True),
    "average_loss": lambda m: m.nn.compute_average_loss(X[0]),
    "average_loss_weighted": lambda m: m.nn.compute_average_loss(X, sample_weight=PROBS[:, :1],
                                                                 global_batch_size=7),
    "average_loss_int": lambda m: m.nn.compute_average_loss([1, 2, 4]),
    "average_loss_negative": lambda m: m.nn.compute_average_loss(X[0], global_batch_size=-2),
    "average_loss_float_size": lambda m: m.nn.compute_average_loss(X[0], global_batch_size=2.0),
    "scale_regularization": lambda m: m.nn.scale_regularization_loss(X),
    "in_top_k": lambda m: m.nn.in_top_k(LABELS, X, 2),
    "in_top_k_ties": lambda m: m.math.in_top_k([0, 1, 2], [[1.0, 1.0, 0.0], [2.0, 2.0, 2.0], [np.nan, 0, 1]], 1),
    "in_top_k_shape": lambda m: m.nn.in_top_k([0], X, 1),
    "in_top_k_float_targets": lambda m: m.nn.in_top_k([0.0, 1.0, 2.0], X, 1),
    "moments": lambda m: m.nn.moments(X4, axes=[0, 1, 2]),
    "moments_keepdims": lambda m: m.nn.moments(X4, axes=[1], keepdims=True),
    "moments_int": lambda m: m.nn.moments(np.array([1, 2, 4, 7]), axes=[0]),
    "moments_half": lambda m: m.nn.moments(X.astype(np.float16), axes=[1]),
    "moments_bad_axis": lambda m: m.nn.moments(X, axes=[2]),
    "weighted_moments": lambda m: m.nn.weighted_moments(X4, axes=[0, 2], frequency_weights=np.abs(X4)),
    "weighted_moments_int": lambda m: m.nn.weighted_moments(np.array([1, 2]), axes=[0], frequency_weights=[1, 2]),
    "normalize_moments": lambda m: m.nn.normalize_moments(5.0, X[0], X[1] ** 2, 0.5),
    "batch_norm_global": lambda m: m.nn.batch_norm_with_global_normalization(
        X4, X4.mean((0, 1, 2)), X4.var((0, 1, 2)), PROBS[0, :4], X[1, :4], 1e-3, True),
    "batch_norm_global_unscaled": lambda m: m.nn.batch_norm_with_global_normalization(
        X4, X4.mean((0, 1, 2)), X4.var((0, 1, 2)), PROBS[0, :4], X[1, :4], 1e-3, False),
    "batch_normalization_lists": lambda m: m.nn.batch_normalization(X, [1.0] * 5, [2.0] * 5, None, None, 1e-3),
    "sufficient_statistics": lambda m: m.nn.sufficient_statistics(X4, [0, 2])[:3],
    "sufficient_statistics_shift": lambda m: m.nn.sufficient_statistics(X, [1], shift=0.5, keepdims=True),
    "sufficient_statistics_int": lambda m: m.nn.sufficient_statistics(np.array([1, 2, 5]), [0])[:3],
    "zero_fraction": lambda m: m.nn.zero_fraction(np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 0.5]] * 2)),
    "zero_fraction_math": lambda m: m.math.zero_fraction(np.array([0, 1, 0, 4, 5, 6, 7])),
    "zero_fraction_bool": lambda m: m.nn.zero_fraction([True, False]),
    "batch_normalization": lambda m: m.nn.batch_normalization(X4, X4.mean((0, 1, 2)), X4.var((0, 1, 2)),
                                                              PROBS[0, :4], X[1, :4], 1e-3),
    "fused_train": lambda m: _fused(m)(X4, X[0, :4], X[1, :4]),
    "fused_nchw": lambda m: _fused(m)(X4, X[0, :3], X[1, :3], data_format="NCHW", epsilon=1e-7),
    "fused_infer": lambda m: _fused(m)(X4, X[0, :4], X[1, :4], X[2, :4], PROBS[0, :4] + 0.5, is_training=False),
    "fused_avg": lambda m: _fused(m)(X4, X[0, :4], X[1, :4], X[2, :4], PROBS[0, :4], exponential_avg_factor=0.3),
    "fused_half": lambda m: _fused(m)(X4.astype(np.float16), X[0, :4], X[1, :4]),
    "fused_double": lambda m: _fused(m)(X4.astype(np.float64), X[0, :4], X[1, :4]),
    "fused_rank": lambda m: _fused(m)(X, X[0, :5], X[1, :5]),
    "fused_channels": lambda m: _fused(m)(X4, X[0, :3], X[1, :4]),
    "lrn": lambda m: m.nn.local_response_normalization(X4),
    "lrn_params": lambda m: m.nn.lrn(X4, depth_radius=1, bias=2.0, alpha=0.5, beta=0.75),
    "lrn_half": lambda m: m.nn.lrn(X4.astype(np.float16)),
    "lrn_rank": lambda m: m.nn.lrn(X),
    "lrn_numpy_double": lambda m: m.nn.lrn(X4.astype(np.float64)),
    "lrn_double": lambda m: m.nn.lrn(m.constant(X4.astype(np.float64))),
    "bias_add": lambda m: m.nn.bias_add(X4, X[0, :4]),
    "bias_add_nchw": lambda m: m.nn.bias_add(X4, X[0, :3], data_format="NCHW"),
    "bias_add_int": lambda m: m.nn.bias_add(np.ones([2, 3], np.int32), [1, 2, 3]),
    "bias_add_count": lambda m: m.nn.bias_add(X4, X[0, :3]),
    "bias_add_rank": lambda m: m.nn.bias_add(X[0], X[0]),
    "bias_add_format": lambda m: m.nn.bias_add(X4, X[0, :4], data_format="HWC"),
    "bias_add_dtype": lambda m: m.nn.bias_add(X4, X[0, :4].astype(np.float64)),
    "embedding": lambda m: m.nn.embedding_lookup(X, [[2, 0], [1, 1]]),
    "embedding_shards": lambda m: m.nn.embedding_lookup([X4[0], X4[1]], [[5, 0, 3], [2, 4, 1]]),
    "embedding_uneven_shards": lambda m: m.nn.embedding_lookup([X[:2], X[2:], X[:1]], [4, 0, 3, 1, 2]),
    "embedding_max_norm": lambda m: m.nn.embedding_lookup(X4, [1, 0], max_norm=2.0),
    "embedding_oor": lambda m: m.nn.embedding_lookup(X, [3]),
    "embedding_float_ids": lambda m: m.nn.embedding_lookup(X, [1.0]),
    "dropout_rate_one": lambda m: m.nn.dropout(X, 1.0),
    "dropout_int": lambda m: m.nn.dropout(np.array([1, 2]), 0.5),
    "dropout_rate_dtype": lambda m: m.nn.dropout(X, m.constant(0.5, m.float64)),
}


def _outcome(fn, module):
    try:
        with np.errstate(invalid="ignore"):  # inf * 0 in the special-value cases
            out = fn(module)
    except Exception as exc:  # noqa: BLE001 - the exception type is what we compare
        return ("error", type(exc).__name__)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return ("ok", [(o.dtype.name, np.asarray(o.numpy())) for o in outs])


@pytest.mark.parametrize("case", sorted(CASES))
def test_values_dtypes_and_errors_match_tf(case):
    tf_ref = pytest.importorskip("tensorflow")
    fn = CASES[case]
    mine, ref = _outcome(fn, tf), _outcome(fn, tf_ref)
    assert mine[0] == ref[0], f"{case}: ndflow {mine} vs TF {ref}"
    if mine[0] == "error":
        assert mine[1] == ref[1], f"{case}: ndflow raised {mine[1]}, TF {ref[1]}"
        return
    assert len(mine[1]) == len(ref[1])
    for (my_dtype, my_value), (ref_dtype, ref_value) in zip(mine[1], ref[1]):
        assert my_dtype == ref_dtype, case
        assert my_value.shape == ref_value.shape, case
        if my_value.dtype == bool:
            np.testing.assert_array_equal(my_value, ref_value, err_msg=case)
        else:
            tol = 2e-3 if my_dtype == "float16" else 2e-5
            np.testing.assert_allclose(my_value.astype(np.float64), ref_value.astype(np.float64), rtol=tol,
                                       atol=tol, equal_nan=True, err_msg=case)


def test_sparse_label_error_message_matches_tf():
    tf_ref = pytest.importorskip("tensorflow")
    messages = []
    for module in (tf, tf_ref):
        with pytest.raises(Exception) as info:
            module.nn.sparse_softmax_cross_entropy_with_logits(labels=[10, 12, 3], logits=np.zeros([3, 10],
                                                                                                 np.float32))
        messages.append(str(info.value))
    expected = "Received a label value of 12 which is outside the valid range of [0, 10).  Label values: 10 12 3"
    assert all(expected in m for m in messages), messages


GRAD_CASES = {
    "relu": (lambda m, x: m.nn.relu(x), [X]),
    "relu6": (lambda m, x: m.nn.relu6(x), [X]),
    "crelu": (lambda m, x: m.nn.crelu(x), [X]),
    "elu": (lambda m, x: m.nn.elu(x), [X]),
    "selu": (lambda m, x: m.nn.selu(x), [X]),
    "gelu": (lambda m, x: m.nn.gelu(x), [X]),
    "gelu_approx": (lambda m, x: m.nn.gelu(x, True), [X]),
    "leaky_relu": (lambda m, x: m.nn.leaky_relu(x, 0.1), [X]),
    "silu": (lambda m, x, b: m.nn.silu(x, b), [X, np.float32(1.5)]),
    "softmax": (lambda m, x: m.nn.softmax(x, 0) * X4, [X4]),
    "log_softmax": (lambda m, x: m.nn.log_softmax(x) * X, [X]),
    "xent": (lambda m, a, b: m.nn.softmax_cross_entropy_with_logits(labels=a, logits=b), [PROBS, X]),
    "xent_multi_hot": (lambda m, a, b: m.nn.softmax_cross_entropy_with_logits(labels=a, logits=b),
                       [np.array([[1.0, 1.0, 0.0], [0.5, 0.0, 0.0]], np.float32), X[:2, :3]]),
    "xent_big": (lambda m, a, b: m.nn.softmax_cross_entropy_with_logits(labels=a, logits=b),
                 [np.array([[0.2, 0.3, 0.5, 0.0]], np.float32), BIG]),
    "sparse": (lambda m, x: m.nn.sparse_softmax_cross_entropy_with_logits(labels=LABELS, logits=x), [X]),
    "sigmoid_xent": (lambda m, a, b: m.nn.sigmoid_cross_entropy_with_logits(labels=a, logits=b), [PROBS, X]),
    "weighted_xent": (lambda m, a, b, w: m.nn.weighted_cross_entropy_with_logits(a, b, w),
                      [PROBS, X, np.float32(2.5)]),
    "l2_loss": (lambda m, x: m.nn.l2_loss(x), [X]),
    "l2_normalize": (lambda m, x: m.nn.l2_normalize(x, 1) * X, [X]),
    "log_poisson": (lambda m, t, x: m.nn.log_poisson_loss(t, x), [np.abs(X), X / 3]),
    "moments": (lambda m, x: m.nn.moments(x, [0, 1])[1] * X4[0, 0] + m.nn.moments(x, [0, 1])[0], [X4]),
    "weighted_moments": (lambda m, x, w: m.nn.weighted_moments(x, [1], w)[1], [X, np.abs(X) + 0.1]),
    "batch_normalization": (lambda m, *a: m.nn.batch_normalization(*a, 1e-3) * X4,
                            [X4, X[0, :4], PROBS[0, :4] + 0.5, X[1, :4], X[2, :4]]),
    "fused_train": (lambda m, x, s, o: _fused(m)(x, s, o)[0] * X4, [X4, X[0, :4], X[1, :4]]),
    "fused_nchw": (lambda m, x, s, o: _fused(m)(x, s, o, data_format="NCHW")[0] * X4, [X4, X[0, :3], X[1, :3]]),
    "fused_infer": (lambda m, x, s, o: _fused(m)(x, s, o, X[2, :4], PROBS[0, :4] + 0.5, is_training=False)[0] * X4,
                    [X4, X[0, :4], X[1, :4]]),
    "lrn": (lambda m, x: m.nn.lrn(x, 2, 1.5, 0.3, 0.75) * X4, [X4]),
    "bias_add": (lambda m, x, b: m.nn.bias_add(x, b) * X4, [X4, X[0, :4]]),
    "bias_add_nchw": (lambda m, x, b: m.nn.bias_add(x, b, "NCHW") * X4, [X4, X[0, :3]]),
    "embedding": (lambda m, p: m.nn.embedding_lookup(p, [[2, 0], [2, 2]]), [X]),
    "embedding_shards": (lambda m, a, b: m.nn.embedding_lookup([a, b], [2, 0, 2, 1]), [X[:2], X[2:]]),
    "embedding_max_norm": (lambda m, p: m.nn.embedding_lookup(p, [1, 0, 1], max_norm=2.0), [X]),
}


@pytest.mark.parametrize("case", sorted(GRAD_CASES))
def test_gradients_match_tf(case):
    tf_ref = pytest.importorskip("tensorflow")
    fn, inputs = GRAD_CASES[case]
    results = []
    for module in (tf, tf_ref):
        args = [module.constant(a) for a in inputs]
        with module.GradientTape() as tape:
            tape.watch(args)
            y = module.reduce_sum(fn(module, *args))
        grads = tape.gradient(y, args)
        results.append([module.convert_to_tensor(g).numpy() for g in grads])
    for k, (mine, ref) in enumerate(zip(*results)):
        np.testing.assert_allclose(mine, ref, rtol=2e-4, atol=2e-4, err_msg=f"{case}: input {k}")


def test_dropout_statistics_match_tf():
    tf_ref = pytest.importorskip("tensorflow")
    x = np.ones([400, 50], np.float32)
    for module in (tf, tf_ref):
        out = module.nn.dropout(x, 0.3, noise_shape=[400, 1]).numpy()
        assert set(np.unique(out)) <= {0.0, np.float32(1 / 0.7)}
        assert (out == out[:, :1]).all()
        assert abs((out[:, 0] == 0).mean() - 0.3) < 0.08


# TF 2.21's oneDNN softmax (on by default on recent x86 CPUs) raises AbortedError for a scalar and returns 0
# instead of nan next to an infinite logit, so real TF is no machine-independent reference here; we check TF's
# reference-kernel behaviour instead.
def test_softmax_behaviour_of_tf_reference_kernels():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"logits must have >= 1 dimension, got \[\]"):
        tf.nn.softmax(np.float32(3.0))
    assert np.isnan(tf.nn.softmax(SPECIAL).numpy()).all()  # exp(x - max(x)) with max = nan
