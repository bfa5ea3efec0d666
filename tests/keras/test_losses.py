"""Tests for ``ndflow.keras.losses``: values against NumPy formulas, reductions, masks, sample weights,
gradients, ``ndflow.function``, identifiers and parity with Keras 3."""
import warnings

import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import activations, losses

EPS = 1e-7
RNG = np.random.RandomState(0)
Y_REG = RNG.rand(4, 3).astype(np.float32)
P_REG = RNG.rand(4, 3).astype(np.float32)
Y_BIN = (RNG.rand(4, 3) > 0.5).astype(np.float32)
P_PROB = RNG.uniform(0.05, 0.95, (4, 3)).astype(np.float32)
LOGITS = RNG.randn(4, 3).astype(np.float32) * 2
Y_ONEHOT = np.eye(3, dtype=np.float32)[[0, 2, 1, 1]]
Y_SPARSE = np.array([0, 2, 1, 1])
SW = np.array([1.0, 0.5, 2.0, 0.0], np.float32)


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _bce(y, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _cce(y, p):
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -(y * np.log(p)).sum(-1)


def _normalize(x):
    return x / np.sqrt((x ** 2).sum(-1, keepdims=True))


def _signs(y):
    return 2 * y - 1


REFERENCES = [
    (losses.mean_squared_error, Y_REG, P_REG, lambda y, p: ((y - p) ** 2).mean(-1)),
    (losses.mean_absolute_error, Y_REG, P_REG, lambda y, p: np.abs(y - p).mean(-1)),
    (losses.mean_absolute_percentage_error, Y_REG, P_REG,
     lambda y, p: 100 * np.abs((y - p) / np.maximum(np.abs(y), EPS)).mean(-1)),
    (losses.mean_squared_logarithmic_error, Y_REG, P_REG,
     lambda y, p: ((np.log1p(np.maximum(p, EPS)) - np.log1p(np.maximum(y, EPS))) ** 2).mean(-1)),
    (losses.cosine_similarity, Y_REG, P_REG, lambda y, p: -(_normalize(y) * _normalize(p)).sum(-1)),
    (losses.log_cosh, Y_REG, P_REG, lambda y, p: np.log(np.cosh(p - y)).mean(-1)),
    (losses.hinge, Y_BIN, LOGITS, lambda y, p: np.maximum(1 - _signs(y) * p, 0).mean(-1)),
    (losses.squared_hinge, Y_BIN, LOGITS, lambda y, p: (np.maximum(1 - _signs(y) * p, 0) ** 2).mean(-1)),
    (losses.categorical_hinge, Y_ONEHOT, LOGITS,
     lambda y, p: np.maximum(((1 - y) * p).max(-1) - (y * p).sum(-1) + 1, 0)),
    (losses.kl_divergence, Y_ONEHOT, P_PROB,
     lambda y, p: (np.clip(y, EPS, 1) * np.log(np.clip(y, EPS, 1) / np.clip(p, EPS, 1))).sum(-1)),
    (losses.poisson, Y_REG, P_REG, lambda y, p: (p - y * np.log(p + EPS)).mean(-1)),
    (losses.binary_crossentropy, Y_BIN, P_PROB, lambda y, p: _bce(y, p).mean(-1)),
    (losses.categorical_crossentropy, Y_ONEHOT, P_PROB, _cce),
    (losses.sparse_categorical_crossentropy, Y_SPARSE, P_PROB, lambda y, p: _cce(np.eye(3)[y.astype(int)], p)),
    (losses.dice, Y_BIN, P_PROB, lambda y, p: 1 - 2 * (y * p).sum() / (y.sum() + p.sum() + EPS)),
    (lambda y, p: losses.categorical_generalized_cross_entropy(y, p, q=0.7), Y_SPARSE, P_PROB,
     lambda y, p: (1 - p[np.arange(4), y.astype(int)] ** 0.7) / 0.7),
]


@pytest.mark.parametrize("fn, y_true, y_pred, reference", REFERENCES, ids=lambda x: getattr(x, "__name__", ""))
def test_functions_match_numpy_formulas(fn, y_true, y_pred, reference):
    np.testing.assert_allclose(fn(y_true, y_pred).numpy(), reference(y_true.astype(np.float64), y_pred),
                               rtol=1e-5, atol=1e-6)


def test_huber_and_tversky_and_focal_formulas():
    err = P_REG * 3 - Y_REG
    quad = np.abs(err) <= 0.5
    expected = np.where(quad, 0.5 * err ** 2, 0.5 * np.abs(err) - 0.5 * 0.25).mean(-1)
    np.testing.assert_allclose(losses.huber(Y_REG, P_REG * 3, delta=0.5).numpy(), expected, rtol=1e-5)

    tp, fp, fn = (Y_BIN * P_PROB).sum(), ((1 - P_PROB) * Y_BIN).sum(), (P_PROB * (1 - Y_BIN)).sum()
    np.testing.assert_allclose(losses.tversky(Y_BIN, P_PROB, alpha=0.3, beta=0.7).numpy(),
                               1 - tp / (tp + 0.3 * fp + 0.7 * fn + EPS), rtol=1e-5)

    p_t = Y_BIN * P_PROB + (1 - Y_BIN) * (1 - P_PROB)
    balance = Y_BIN * 0.25 + (1 - Y_BIN) * 0.75
    expected = (balance * (1 - p_t) ** 2 * _bce(Y_BIN, P_PROB)).mean(-1)
    np.testing.assert_allclose(
        losses.binary_focal_crossentropy(Y_BIN, P_PROB, apply_class_balancing=True).numpy(), expected, rtol=1e-5)

    probs = _softmax(LOGITS)
    expected = (0.25 * (1 - probs) ** 2 * -Y_ONEHOT * np.log(probs)).sum(-1)
    np.testing.assert_allclose(losses.categorical_focal_crossentropy(Y_ONEHOT, LOGITS, from_logits=True).numpy(),
                               expected, rtol=1e-5)


def test_from_logits_and_label_smoothing():
    smoothed = Y_BIN * 0.8 + 0.1
    np.testing.assert_allclose(
        losses.binary_crossentropy(Y_BIN, LOGITS, from_logits=True, label_smoothing=0.2).numpy(),
        _bce(smoothed, _sigmoid(LOGITS.astype(np.float64))).mean(-1), rtol=1e-5)
    smoothed = Y_ONEHOT * 0.7 + 0.1
    np.testing.assert_allclose(
        losses.categorical_crossentropy(Y_ONEHOT, LOGITS, from_logits=True, label_smoothing=0.3).numpy(),
        -(smoothed * np.log(_softmax(LOGITS.astype(np.float64)))).sum(-1), rtol=1e-5)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(Y_SPARSE, LOGITS, from_logits=True).numpy(),
                               -np.log(_softmax(LOGITS.astype(np.float64))[np.arange(4), Y_SPARSE]), rtol=1e-5)


def test_probabilities_are_clipped_with_epsilon():
    y = np.array([[1.0, 0.0]], np.float32)
    p = np.array([[0.0, 1.0]], np.float32)
    upper = np.float32(1) - np.float32(EPS)  # 1 - 1e-7 rounded to float32
    expected = (-np.log(np.float32(EPS)) - np.log(np.float32(1) - upper)) / 2
    np.testing.assert_allclose(losses.binary_crossentropy(y, p).numpy(), [expected], rtol=1e-5)
    np.testing.assert_allclose(losses.categorical_crossentropy(y, p).numpy(), [-np.log(np.float32(EPS))],
                               rtol=1e-5)


def test_activation_logits_are_used():
    logits = np.array([[30.0, -20.0, 0.0]], np.float32)
    y = np.array([[0.0, 1.0, 0.0]], np.float32)
    from_probs = losses.categorical_crossentropy(y, activations.softmax(tf.constant(logits)))
    from_logits = losses.categorical_crossentropy(y, logits, from_logits=True)
    np.testing.assert_allclose(from_probs.numpy(), from_logits.numpy(), rtol=1e-6)
    assert from_probs.numpy()[0] > 40  # clipping the probabilities would cap it at -log(1e-7) ≈ 16.1
    with pytest.warns(UserWarning, match="does not represent logits"):
        losses.binary_crossentropy(y, activations.sigmoid(tf.constant(logits)), from_logits=True)


def test_reductions():
    values = ((Y_REG - P_REG) ** 2).mean(-1)
    cases = {
        "sum_over_batch_size": values.mean(),
        "mean": values.mean(),
        "sum": values.sum(),
        "none": values,
        None: values,
        "mean_with_sample_weight": values.mean(),
    }
    for reduction, expected in cases.items():
        got = losses.MeanSquaredError(reduction=reduction)(Y_REG, P_REG)
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)
    weighted = values * SW
    np.testing.assert_allclose(losses.MeanSquaredError()(Y_REG, P_REG, sample_weight=SW).numpy(),
                               weighted.sum() / 4, rtol=1e-6)
    np.testing.assert_allclose(
        losses.MeanSquaredError(reduction="mean_with_sample_weight")(Y_REG, P_REG, sample_weight=SW).numpy(),
        weighted.sum() / SW.sum(), rtol=1e-6)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="sum")(Y_REG, P_REG, sample_weight=2.0).numpy(),
                               2 * values.sum(), rtol=1e-6)
    np.testing.assert_allclose(losses.MeanSquaredError()(Y_REG, P_REG, sample_weight=SW[:, None]).numpy(),
                               weighted.mean(), rtol=1e-6)
    # per-element weights on a reduction="none" loss of rank 2
    per_element = losses.LossFunctionWrapper(lambda y, p: (y - p) ** 2, reduction="sum")
    np.testing.assert_allclose(per_element(Y_REG, P_REG, sample_weight=SW[:, None]).numpy(),
                               (((Y_REG - P_REG) ** 2) * SW[:, None]).sum(), rtol=1e-6)


def test_scalar_and_empty_losses_are_not_reduced():
    scalar = losses.LossFunctionWrapper(lambda y, p: tf.reduce_sum(y - p), reduction="sum_over_batch_size")
    np.testing.assert_allclose(scalar(Y_REG, P_REG).numpy(), (Y_REG - P_REG).sum(), rtol=1e-5)
    empty = losses.MeanSquaredError()(np.zeros((0, 3), np.float32), np.zeros((0, 3), np.float32))
    assert tuple(empty.shape) == (0,)


def test_mask_on_predictions_averages_over_valid_entries():
    y_pred = tf.constant(P_REG)
    y_pred._keras_mask = tf.constant([True, False, True, True])
    values = ((Y_REG - P_REG) ** 2).mean(-1)
    valid = np.array([1, 0, 1, 1], np.float32)
    np.testing.assert_allclose(losses.MeanSquaredError()(Y_REG, y_pred).numpy(), (values * valid).sum() / 3,
                               rtol=1e-6)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="sum")(Y_REG, y_pred, sample_weight=SW).numpy(),
                               (values * valid * SW).sum(), rtol=1e-6)


def test_ignore_class_masks_entries():
    y = np.array([0, 2, 1, 1])
    expected = _cce(np.eye(3)[y], P_PROB)
    expected[y == 1] = 0.0
    loss = losses.SparseCategoricalCrossentropy(ignore_class=1, reduction="none")(y, P_PROB)
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-5)
    mean = losses.SparseCategoricalCrossentropy(ignore_class=1)(y, P_PROB)
    np.testing.assert_allclose(mean.numpy(), expected.sum() / 2, rtol=1e-5)


def test_rank_alignment_of_labels():
    column = Y_REG[:, :1]
    np.testing.assert_allclose(losses.MeanSquaredError()(column[:, 0], P_REG[:, :1]).numpy(),
                               ((column - P_REG[:, :1]) ** 2).mean(), rtol=1e-6)
    np.testing.assert_allclose(losses.SparseCategoricalCrossentropy()(Y_SPARSE[:, None], P_PROB).numpy(),
                               _cce(np.eye(3)[Y_SPARSE], P_PROB).mean(), rtol=1e-5)


ALL_CLASSES = [
    (losses.MeanSquaredError(), Y_REG, P_REG), (losses.MeanAbsoluteError(), Y_REG, P_REG),
    (losses.MeanAbsolutePercentageError(), Y_REG, P_REG), (losses.MeanSquaredLogarithmicError(), Y_REG, P_REG),
    (losses.CosineSimilarity(), Y_REG, P_REG), (losses.Huber(delta=0.3), Y_REG, P_REG),
    (losses.LogCosh(), Y_REG, P_REG), (losses.Hinge(), Y_BIN, LOGITS), (losses.SquaredHinge(), Y_BIN, LOGITS),
    (losses.CategoricalHinge(), Y_ONEHOT, LOGITS), (losses.KLDivergence(), Y_ONEHOT, P_PROB),
    (losses.Poisson(), Y_REG, P_REG), (losses.BinaryCrossentropy(), Y_BIN, P_PROB),
    (losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), Y_BIN, LOGITS),
    (losses.BinaryFocalCrossentropy(apply_class_balancing=True), Y_BIN, P_PROB),
    (losses.BinaryFocalCrossentropy(from_logits=True, gamma=1.5), Y_BIN, LOGITS),
    (losses.CategoricalCrossentropy(), Y_ONEHOT, P_PROB),
    (losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2), Y_ONEHOT, LOGITS),
    (losses.CategoricalFocalCrossentropy(), Y_ONEHOT, P_PROB),
    (losses.CategoricalFocalCrossentropy(from_logits=True, alpha=0.5), Y_ONEHOT, LOGITS),
    (losses.SparseCategoricalCrossentropy(), Y_SPARSE, P_PROB),
    (losses.SparseCategoricalCrossentropy(from_logits=True), Y_SPARSE, LOGITS),
    (losses.SparseCategoricalCrossentropy(ignore_class=1), Y_SPARSE, P_PROB),
    (losses.Dice(), Y_BIN, P_PROB), (losses.Tversky(alpha=0.3, beta=0.7), Y_BIN, P_PROB),
    (losses.CategoricalGeneralizedCrossEntropy(q=0.7), Y_SPARSE, P_PROB),
]


@pytest.mark.parametrize("loss, y_true, y_pred", ALL_CLASSES, ids=lambda x: getattr(x, "name", ""))
def test_gradients_flow_and_function_matches_eager(loss, y_true, y_pred):
    x = tf.Variable(y_pred)
    with tf.GradientTape() as tape:
        value = loss(y_true, x, sample_weight=SW)
    grad = tape.gradient(value, x).numpy()
    assert np.all(np.isfinite(grad)) and np.abs(grad).sum() > 0

    @tf.function
    def step(labels):
        with tf.GradientTape() as tape:
            value = loss(labels, x, sample_weight=SW)
        return value, tape.gradient(value, x)

    traced_value, traced_grad = step(tf.constant(y_true))
    np.testing.assert_allclose(traced_value.numpy(), value.numpy(), rtol=1e-6)
    np.testing.assert_allclose(traced_grad.numpy(), grad, rtol=1e-5, atol=1e-7)


def test_gradient_of_mse_matches_formula():
    x = tf.Variable(P_REG)
    with tf.GradientTape() as tape:
        value = losses.MeanSquaredError()(Y_REG, x)
    np.testing.assert_allclose(tape.gradient(value, x).numpy(), 2 * (P_REG - Y_REG) / Y_REG.size, rtol=1e-5)


def test_errors():
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        losses.MeanSquaredError(reduction="avg")
    with pytest.raises(tf.errors.InvalidArgumentError):
        losses.MeanSquaredError()(np.ones((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="must have the same shape"):
        losses.categorical_crossentropy(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="must have the same shape"):
        losses.binary_crossentropy(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="same shape up until the last dimension"):
        losses.sparse_categorical_crossentropy(np.ones((2,)), np.ones((3, 4)))
    with pytest.raises(ValueError, match="Only axis=-1 is currently supported"):
        losses.sparse_categorical_crossentropy(np.array([1, 0]), np.ones((2, 4)), axis=0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="outside the valid range"):
        losses.sparse_categorical_crossentropy(np.array([5, 1]), np.ones((2, 4)) / 4)
    with pytest.raises(ValueError, match="`axis` must be of type `int`"):
        losses.CategoricalCrossentropy(axis=True)(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(NotImplementedError):
        losses.Loss()(1.0, 2.0)
    with pytest.raises(ValueError, match="q must be in the interval"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.0)
    with pytest.warns(SyntaxWarning, match="Consider using 'binary_crossentropy'"):
        losses.categorical_crossentropy(np.ones((2, 1)), np.ones((2, 1)))


def test_names_and_configs():
    assert losses.MeanSquaredError().name == "mean_squared_error"
    assert losses.Huber().name == "huber_loss"
    first, second = losses.Loss(), losses.Loss()
    assert first.name.startswith("loss") and first.name != second.name
    assert losses.MeanSquaredError(reduction="sum", name="m").get_config() == {"name": "m", "reduction": "sum"}
    assert losses.BinaryCrossentropy(from_logits=True).get_config() == {
        "name": "binary_crossentropy", "reduction": "sum_over_batch_size", "from_logits": True,
        "label_smoothing": 0.0, "axis": -1}
    assert losses.SparseCategoricalCrossentropy(ignore_class=3).get_config()["ignore_class"] == 3
    for loss, _, _ in ALL_CLASSES:
        clone = type(loss).from_config(loss.get_config())
        assert clone.get_config() == loss.get_config()
    assert losses.Huber.from_config(losses.Huber(delta=2.5).get_config()).delta == 2.5


def test_function_wrapper_config_round_trip():
    wrapper = losses.LossFunctionWrapper(losses.huber, delta=2.0)
    config = wrapper.get_config()
    assert config["fn"] == {"module": "builtins", "class_name": "function", "config": "huber",
                            "registered_name": "function"}
    assert config["delta"] == 2.0
    clone = losses.LossFunctionWrapper.from_config(config)
    assert clone.fn is losses.huber
    np.testing.assert_allclose(clone(Y_REG, P_REG * 3).numpy(), wrapper(Y_REG, P_REG * 3).numpy())


def test_get_serialize_deserialize():
    assert losses.get(None) is None
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("MSE") is losses.mean_squared_error
    assert losses.get("sparse_categorical_crossentropy") is losses.sparse_categorical_crossentropy
    assert isinstance(losses.get("MeanSquaredError"), losses.MeanSquaredError)
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    instance = losses.Poisson()
    assert losses.get(instance) is instance
    assert losses.get(np.sum) is np.sum
    config = {"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}}
    assert losses.get(config).from_logits is True
    for bad in ["foo", 3, {"class_name": "Foo", "config": {}}]:
        with pytest.raises(ValueError, match="Could not interpret loss identifier"):
            losses.get(bad)
    assert losses.serialize(losses.MeanSquaredError()) == {
        "module": "keras.losses", "class_name": "MeanSquaredError",
        "config": {"name": "mean_squared_error", "reduction": "sum_over_batch_size"}, "registered_name": None}
    assert losses.deserialize(losses.serialize(losses.kl_divergence)) is losses.kl_divergence
    restored = losses.deserialize(losses.serialize(losses.BinaryFocalCrossentropy(gamma=3.0)))
    assert isinstance(restored, losses.BinaryFocalCrossentropy) and restored.gamma == 3.0


def test_custom_loss_subclass_and_custom_objects():
    class Scaled(losses.Loss):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, y_true, y_pred):
            return self.factor * tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    loss = Scaled(3.0, reduction="sum")
    np.testing.assert_allclose(loss(Y_REG, P_REG).numpy(), 3 * np.abs(Y_REG - P_REG).mean(-1).sum(), rtol=1e-6)
    config = losses.serialize(loss)
    assert config["class_name"] == "Scaled"
    restored = losses.deserialize(config, custom_objects={"Scaled": Scaled})
    assert restored.factor == 3.0 and restored.reduction == "sum"


def test_resolve_loss_for_compile():
    assert losses.resolve_loss(None, (None, 1), (None, 1)) is None
    assert losses.resolve_loss("crossentropy", (None, 1), (None, 1)).fn is losses.binary_crossentropy
    assert losses.resolve_loss("ce", (None,), (None, 5)).fn is losses.sparse_categorical_crossentropy
    assert losses.resolve_loss("CE", (None, 1), (None, 5)).fn is losses.sparse_categorical_crossentropy
    assert losses.resolve_loss("crossentropy", (None, 5), (None, 5)).fn is losses.categorical_crossentropy
    wrapped = losses.resolve_loss("mse", (None, 1), (None, 1))
    assert isinstance(wrapped, losses.LossFunctionWrapper) and wrapped.name == "mse"
    assert losses.resolve_loss(losses.mean_absolute_error, None, None).name == "mean_absolute_error"
    instance = losses.Huber()
    assert losses.resolve_loss(instance, None, None) is instance


# -- parity with Keras 3 -----------------------------------------------------------------------------------
def _keras_twin(keras, loss, reduction):
    config = {**loss.get_config(), "reduction": reduction}
    if isinstance(loss, (losses.Huber, losses.CosineSimilarity)):
        extra = {"delta": config.pop("delta")} if isinstance(loss, losses.Huber) else {"axis": config.pop("axis")}
        return getattr(keras.losses, type(loss).__name__)(**config, **extra)
    return getattr(keras.losses, type(loss).__name__).from_config(config)


@pytest.mark.parity
@pytest.mark.parametrize("loss, y_true, y_pred", ALL_CLASSES, ids=lambda x: getattr(x, "name", ""))
def test_parity_with_keras(loss, y_true, y_pred):
    keras = pytest.importorskip("keras")
    import tensorflow

    for reduction in ["sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight"]:
        ours = type(loss).from_config({**loss.get_config(), "reduction": reduction})
        theirs = _keras_twin(keras, loss, reduction)
        for weights in [None, SW]:
            np.testing.assert_allclose(ours(y_true, y_pred, sample_weight=weights).numpy(),
                                       np.asarray(theirs(y_true, y_pred, sample_weight=weights)),
                                       rtol=1e-5, atol=1e-6)
    x, kx = tf.Variable(y_pred), tensorflow.Variable(y_pred)
    with tf.GradientTape() as tape:
        value = loss(y_true, x, sample_weight=SW)
    with tensorflow.GradientTape() as ktape:
        kvalue = _keras_twin(keras, loss, loss.reduction)(y_true, kx, sample_weight=SW)
    np.testing.assert_allclose(tape.gradient(value, x).numpy(), ktape.gradient(kvalue, kx).numpy(),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parity
def test_parity_of_configs_and_masks():
    keras = pytest.importorskip("keras")
    for loss, _, _ in ALL_CLASSES:
        expected = _keras_twin(keras, loss, loss.reduction).get_config()
        got = loss.get_config()
        if isinstance(loss, (losses.Huber, losses.CosineSimilarity)):
            got = {k: v for k, v in got.items() if k in expected}
        assert got == expected, type(loss).__name__
    y_pred = tf.constant(P_REG)
    y_pred._keras_mask = tf.constant([True, False, True, True])
    import tensorflow

    keras_pred = tensorflow.constant(P_REG)
    keras_pred._keras_mask = tensorflow.constant([True, False, True, True])
    for reduction in ["sum_over_batch_size", "sum", "mean_with_sample_weight"]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = keras.losses.MeanSquaredError(reduction=reduction)(Y_REG, keras_pred, sample_weight=SW)
        ours = losses.MeanSquaredError(reduction=reduction)(Y_REG, y_pred, sample_weight=SW)
        np.testing.assert_allclose(ours.numpy(), np.asarray(theirs), rtol=1e-6)
