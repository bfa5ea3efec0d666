"""Attention layers: parity with Keras 3 (outputs, attention scores, masks, gradients), shapes, configs, errors."""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras as nd_keras
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

TOL = {"rtol": 1e-5, "atol": 1e-5}

QUERY_MASK = np.array([[True, True, False], [True, False, False]])
VALUE_MASK = np.array([[True, True, False, False, True], [True, False, False, True, True]])
EMPTY_ROW_VALUE_MASK = np.array([[True, True, False, False, True], [False, False, False, False, False]])


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _numpy(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def _flat(outputs):
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def _call_list(layer, tensors, **kwargs):
    return layer(list(tensors), **kwargs)


def _call_args(layer, tensors, **kwargs):
    return layer(*tensors, **kwargs)


def _gradients(framework, layer, inputs, call, upstreams, input_masks, **call_kwargs):
    tensors = [framework.constant(x) for x in inputs]
    with framework.GradientTape() as tape:
        for tensor, mask in zip(tensors, input_masks):
            tape.watch(tensor)
            if mask is not None:
                tensor._keras_mask = framework.constant(mask)
        outputs = _flat(call(layer, tensors, **call_kwargs))
        loss = sum(framework.reduce_sum(out * up) for out, up in zip(outputs, upstreams))
    return tape.gradient(loss, [*tensors, *layer.trainable_weights])


def _with_masks(framework, inputs, input_masks):
    tensors = [framework.constant(x) for x in inputs]
    for tensor, mask in zip(tensors, input_masks):
        if mask is not None:
            tensor._keras_mask = framework.constant(mask)
    return tensors


def _parity(name, kwargs, inputs, call, input_masks=None, grads=True, **call_kwargs):
    """Builds ``name`` in both libraries with Keras's weights; compares weights, outputs and gradients."""
    input_masks = input_masks or [None] * len(inputs)
    theirs = getattr(keras.layers, name)(**kwargs)
    ours = getattr(layers, name)(**kwargs)
    call(theirs, _with_masks(real_tf, inputs, input_masks), **call_kwargs)
    call(ours, _with_masks(tf, inputs, input_masks), **call_kwargs)
    assert [(w.path.split("/", 1)[1], tuple(w.shape)) for w in ours.weights] == \
        [(w.path.split("/", 1)[1], tuple(w.shape)) for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    expected = [_numpy(x) for x in _flat(call(theirs, _with_masks(real_tf, inputs, input_masks), **call_kwargs))]
    got = [_numpy(x) for x in _flat(call(ours, _with_masks(tf, inputs, input_masks), **call_kwargs))]
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, **TOL)
    if grads:
        upstreams = [_rand(*e.shape, seed=i + 7) for i, e in enumerate(expected)]
        mine = _gradients(tf, ours, inputs, call, upstreams, input_masks, **call_kwargs)
        reference = _gradients(real_tf, theirs, inputs, call, upstreams, input_masks, **call_kwargs)
        assert len(mine) == len(reference)
        for a, b in zip(mine, reference):
            np.testing.assert_allclose(_numpy(a), _numpy(b), **TOL)
    return ours, theirs


def _assert_config_matches(ours, theirs):
    config = ours.get_config()
    assert set(config) == set(theirs.get_config())
    clone = type(ours).from_config(config)
    assert clone.get_config() == config
    return config


# ---------------------------------------------------------------------------------------------------------
# Attention and AdditiveAttention

ATTENTION_CALLS = [
    ("plain", {}, 2),
    ("with_key", {}, 3),
    ("masks", {"mask": [QUERY_MASK, VALUE_MASK]}, 2),
    ("empty_value_row", {"mask": [None, EMPTY_ROW_VALUE_MASK]}, 3),
    ("causal", {"use_causal_mask": True}, 2),
    ("causal_and_masks", {"mask": [QUERY_MASK, VALUE_MASK], "use_causal_mask": True}, 2),
    ("scores", {"return_attention_scores": True, "mask": [QUERY_MASK, VALUE_MASK]}, 3),
]


def _attention_inputs(count):
    return [_rand(2, 3, 4, seed=1), _rand(2, 5, 4, seed=2), _rand(2, 5, 4, seed=3)][:count]


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"use_scale": True}, {"score_mode": "concat"},
                                    {"use_scale": True, "score_mode": "concat"}, {"dropout": 0.5}])
@pytest.mark.parametrize("case,call_kwargs,count", ATTENTION_CALLS, ids=[c[0] for c in ATTENTION_CALLS])
def test_attention_parity(kwargs, case, call_kwargs, count):
    _parity("Attention", kwargs, _attention_inputs(count), _call_list, **call_kwargs)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"use_scale": False}])
@pytest.mark.parametrize("case,call_kwargs,count", ATTENTION_CALLS, ids=[c[0] for c in ATTENTION_CALLS])
def test_additive_attention_parity(kwargs, case, call_kwargs, count):
    _parity("AdditiveAttention", kwargs, _attention_inputs(count), _call_list, **call_kwargs)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["Attention", "AdditiveAttention"])
def test_attention_masks_from_inputs(name):
    """Masks attached to the inputs (``_keras_mask``) are used, and the output carries the query mask."""
    inputs = _attention_inputs(2)
    ours, theirs = _parity(name, {}, inputs, _call_list, input_masks=[QUERY_MASK, VALUE_MASK])
    explicit = ours([tf.constant(x) for x in inputs], mask=[QUERY_MASK, VALUE_MASK])
    attached = ours(_with_masks(tf, inputs, [QUERY_MASK, VALUE_MASK]))
    np.testing.assert_array_equal(attached.numpy(), explicit.numpy())
    np.testing.assert_array_equal(attached._keras_mask.numpy(), QUERY_MASK)
    np.testing.assert_array_equal(ours.compute_mask(inputs, [QUERY_MASK, None]).numpy(), QUERY_MASK)
    assert ours.compute_mask(inputs, None) is None
    assert ours.compute_mask(inputs, [None, VALUE_MASK]) is None


def test_attention_reference_values():
    """Dot-product attention against a NumPy softmax(q k^T) v with a value mask and a causal mask."""
    q, v = _rand(2, 4, 3, seed=1), _rand(2, 4, 3, seed=2)
    mask = np.array([[True, True, True, False], [True, False, True, True]])
    scores = q @ v.transpose(0, 2, 1)
    allowed = mask[:, None, :] & np.tril(np.ones((4, 4), bool))[None]
    scores = np.where(allowed, scores, -np.inf)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    output, got_weights = layers.Attention()([q, v], mask=[None, mask], use_causal_mask=True,
                                             return_attention_scores=True)
    np.testing.assert_allclose(got_weights.numpy(), weights, **TOL)
    np.testing.assert_allclose(output.numpy(), weights @ v, **TOL)


@pytest.mark.parametrize("name", ["Attention", "AdditiveAttention"])
def test_attention_dropout(name):
    inputs = _attention_inputs(2)
    layer = getattr(layers, name)(dropout=0.5, seed=3)
    inference, weights = layer(inputs, return_attention_scores=True)
    default, _ = layer(inputs, return_attention_scores=True)  # `training` defaults to False
    np.testing.assert_array_equal(default.numpy(), inference.numpy())
    _, dropped = layer(inputs, return_attention_scores=True, training=True)
    dropped, weights = dropped.numpy(), weights.numpy()
    kept = dropped != 0
    assert 0 < kept.mean() < 1
    np.testing.assert_allclose(dropped[kept], weights[kept] / 0.5, **TOL)
    first, second = (getattr(layers, name)(dropout=0.5, seed=3) for _ in range(2))
    first(inputs)
    second(inputs)
    second.set_weights(first.get_weights())
    np.testing.assert_array_equal(first(inputs, training=True).numpy(), second(inputs, training=True).numpy())


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", [("Attention", {"use_scale": True, "score_mode": "concat", "dropout": 0.1,
                                                        "seed": 4}),
                                         ("Attention", {}), ("AdditiveAttention", {"use_scale": False}),
                                         ("AdditiveAttention", {"dropout": 0.2})])
def test_attention_config(name, kwargs):
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    config = _assert_config_matches(ours, theirs)
    theirs_config = theirs.get_config()
    for key in set(config) - {"name", "dtype"}:
        assert config[key] == theirs_config[key]


@pytest.mark.parity
@pytest.mark.parametrize("name", ["Attention", "AdditiveAttention"])
def test_attention_shapes_and_functional(name):
    q, v = nd_keras.Input((3, 4)), nd_keras.Input((5, 4))
    layer = getattr(layers, name)()
    output, scores = layer([q, v], return_attention_scores=True)
    kq, kv = keras.Input((3, 4)), keras.Input((5, 4))
    k_output, k_scores = getattr(keras.layers, name)()([kq, kv], return_attention_scores=True)
    assert tuple(output.shape) == tuple(k_output.shape) == (None, 3, 4)
    assert tuple(scores.shape) == tuple(k_scores.shape) == (None, 3, 5)
    assert layer.compute_output_shape([(None, 3, 4), (None, 5, 6)]) == (None, 3, 6)
    model = nd_keras.Model([q, v], [output, scores])
    inputs = _attention_inputs(2)
    got = model(inputs)
    direct = layer(inputs, return_attention_scores=True)
    for a, b in zip(got, direct):
        np.testing.assert_allclose(a.numpy(), b.numpy(), **TOL)


def test_attention_errors():
    q, v = _attention_inputs(2)
    with pytest.raises(ValueError, match="Invalid value for argument score_mode"):
        layers.Attention(score_mode="add")
    with pytest.raises(ValueError, match="must be called on a list of inputs"):
        layers.Attention()(q)
    with pytest.raises(ValueError, match="accepts inputs list of length 2 or 3"):
        layers.Attention()([q])
    with pytest.raises(ValueError, match="mask must be a list"):
        layers.Attention()([q, v], mask=QUERY_MASK)
    with pytest.raises(ValueError, match="accepts mask list of length 2 or 3"):
        layers.AdditiveAttention()([q, v], mask=[QUERY_MASK])


# ---------------------------------------------------------------------------------------------------------
# MultiHeadAttention

Q, V, K = _rand(2, 3, 4, seed=1), _rand(2, 5, 4, seed=2), _rand(2, 5, 6, seed=3)
KEY_MASK = np.array([[True, False, True, True, True], [True, True, True, False, False]])
ATTENTION_MASK = np.random.default_rng(5).random((2, 3, 5)) > 0.3
EMPTY_QUERY_ROW = np.array([[True, True, True], [True, True, False]])

MHA_CASES = [
    ("plain", {"num_heads": 2, "key_dim": 3}, [Q, V], None, {}),
    ("with_key", {"num_heads": 2, "key_dim": 3, "value_dim": 2}, [Q, V, K], None, {}),
    ("output_shape", {"num_heads": 2, "key_dim": 3, "output_shape": (2, 3)}, [Q, V], None, {}),
    ("no_bias_int_output", {"num_heads": 1, "key_dim": 4, "use_bias": False, "output_shape": 6}, [Q, V], None, {}),
    ("scores", {"num_heads": 2, "key_dim": 3}, [Q, V, K], None, {"return_attention_scores": True}),
    ("causal", {"num_heads": 2, "key_dim": 3}, [Q, Q], None, {"use_causal_mask": True}),
    ("causal_scores", {"num_heads": 2, "key_dim": 3}, [Q, Q], None,
     {"use_causal_mask": True, "return_attention_scores": True}),
    ("value_mask", {"num_heads": 2, "key_dim": 3}, [Q, V], None, {"value_mask": VALUE_MASK}),
    ("key_mask", {"num_heads": 2, "key_dim": 3}, [Q, V, K], None, {"value_mask": VALUE_MASK, "key_mask": KEY_MASK}),
    ("attention_mask", {"num_heads": 2, "key_dim": 3}, [Q, V], None,
     {"attention_mask": ATTENTION_MASK, "return_attention_scores": True}),
    ("attention_mask_fused", {"num_heads": 2, "key_dim": 3}, [Q, V], None, {"attention_mask": ATTENTION_MASK}),
    ("attached_masks_fused", {"num_heads": 2, "key_dim": 3}, [Q, V], [EMPTY_QUERY_ROW, VALUE_MASK], {}),
    ("attached_masks_scores", {"num_heads": 2, "key_dim": 3}, [Q, V], [EMPTY_QUERY_ROW, VALUE_MASK],
     {"return_attention_scores": True}),
    ("explicit_query_mask_ignored", {"num_heads": 2, "key_dim": 3}, [Q, V], None, {"query_mask": QUERY_MASK}),
    ("masks_and_causal", {"num_heads": 2, "key_dim": 3}, [Q, Q], [QUERY_MASK, None],
     {"use_causal_mask": True, "attention_mask": ATTENTION_MASK[:, :, :3]}),
    ("gate", {"num_heads": 2, "key_dim": 3, "use_gate": True}, [Q, V], None, {"return_attention_scores": True}),
    ("sliding_window", {"num_heads": 2, "key_dim": 2, "sliding_window": 2}, [Q, Q], None, {"use_causal_mask": True}),
    ("dropout_inference", {"num_heads": 2, "key_dim": 3, "dropout": 0.5}, [Q, V], None, {"value_mask": VALUE_MASK}),
    ("rank4_two_axes", {"num_heads": 2, "key_dim": 2, "attention_axes": (1, 2)},
     [_rand(2, 3, 2, 4, seed=4), _rand(2, 2, 2, 4, seed=5)], None, {"return_attention_scores": True}),
    ("rank4_one_axis", {"num_heads": 2, "key_dim": 2, "attention_axes": 2},
     [_rand(2, 3, 2, 4, seed=4), _rand(2, 3, 4, 4, seed=5)], None, {}),
    ("rank4_negative_axis", {"num_heads": 1, "key_dim": 2, "attention_axes": [-3]},
     [_rand(2, 3, 2, 4, seed=4), _rand(2, 5, 2, 4, seed=5)], None, {}),
]


@pytest.mark.parity
@pytest.mark.parametrize("case,kwargs,inputs,input_masks,call_kwargs", MHA_CASES, ids=[c[0] for c in MHA_CASES])
def test_multi_head_attention_parity(case, kwargs, inputs, input_masks, call_kwargs):
    ours, theirs = _parity("MultiHeadAttention", kwargs, inputs, _call_args, input_masks=input_masks, **call_kwargs)
    shapes = [x.shape for x in inputs]
    assert ours.compute_output_shape(*shapes) == tuple(theirs.compute_output_shape(*shapes))


def test_multi_head_attention_sublayers_and_weights():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=5, use_gate=True)
    layer(Q, V)
    assert [w.path for w in layer.weights] == [f"{layer.name}/{sub}/{w}" for sub in
                                              ("query", "key", "gate", "value", "attention_output")
                                              for w in ("kernel", "bias")]
    assert [tuple(w.shape) for w in layer.weights] == [(4, 2, 3), (2, 3), (4, 2, 3), (2, 3), (4, 2, 5), (2, 5),
                                                       (4, 2, 5), (2, 5), (2, 5, 4), (4,)]
    assert layer.query_dense.name == "query" and layer.output_dense.name == "attention_output"
    assert (layer.num_heads, layer.key_dim, layer.value_dim, layer.dropout, layer.use_bias) == (2, 3, 5, 0.0, True)
    assert layer.attention_axes == (1,)


def test_multi_head_attention_reference_values():
    """One head with identity projections equals NumPy softmax(q k^T / sqrt(d)) v."""
    q, v = _rand(2, 3, 4, seed=1), _rand(2, 5, 4, seed=2)
    layer = layers.MultiHeadAttention(num_heads=1, key_dim=4, use_bias=False)
    layer(q, v)
    eye = np.eye(4, dtype="float32")
    layer.set_weights([eye[:, None, :], eye[:, None, :], eye[:, None, :], eye[None, :, :]])
    output, scores = layer(q, v, value_mask=VALUE_MASK, return_attention_scores=True)
    logits = np.where(VALUE_MASK[:, None, :], q @ v.transpose(0, 2, 1) / 2.0, -np.inf)
    weights = np.exp(logits - logits.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    np.testing.assert_allclose(scores.numpy()[:, 0], weights, **TOL)
    np.testing.assert_allclose(output.numpy(), weights @ v, **TOL)


def test_multi_head_attention_dropout():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=1)
    inference, scores = layer(Q, V, return_attention_scores=True)
    default = layer(Q, V)
    np.testing.assert_array_equal(default.numpy(), inference.numpy())
    training, training_scores = layer(Q, V, return_attention_scores=True, training=True)
    np.testing.assert_array_equal(training_scores.numpy(), scores.numpy())  # scores are returned before dropout
    assert not np.allclose(training.numpy(), inference.numpy())


def test_multi_head_attention_in_function():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    eager = layer(Q, Q, value_mask=VALUE_MASK[:, :3], use_causal_mask=True)
    traced = tf.function(lambda q, m: layer(q, q, value_mask=m, use_causal_mask=True))
    np.testing.assert_allclose(traced(Q, VALUE_MASK[:, :3]).numpy(), eager.numpy(), **TOL)


@pytest.mark.parametrize("make,call", [
    (lambda: layers.MultiHeadAttention(2, 3, sliding_window=2),
     lambda layer, q, v: layer(q, v, use_causal_mask=True, return_attention_scores=True)),
    (lambda: layers.Attention(), lambda layer, q, v: layer([q, v], use_causal_mask=True, return_attention_scores=True)),
])
def test_attention_traced_with_unknown_lengths(make, call):
    """Causal and sliding-window masks built from run-time sequence lengths inside ``ndflow.function``."""
    layer = make()
    spec = [tf.TensorSpec((None, None, 4), tf.float32)] * 2
    traced = tf.function(lambda q, v: call(layer, q, v), input_signature=spec)
    q, v = _rand(2, 3, 4, seed=1), _rand(2, 3, 4, seed=2)
    for a, b in zip(traced(q, v), call(layer, q, v)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), **TOL)


@pytest.mark.parity
def test_attention_functional_config_round_trip():
    def build(lib):
        q, v = lib.Input((3, 4)), lib.Input((5, 4))
        out = lib.layers.MultiHeadAttention(2, 3)(q, v, use_causal_mask=True)
        return lib.Model([q, v], [out, lib.layers.Attention(use_scale=True)([q, v])])

    ours, theirs = build(nd_keras), build(keras)
    config = ours.get_config()
    assert config["layers"][2]["inbound_nodes"] == theirs.get_config()["layers"][2]["inbound_nodes"]
    clone = nd_keras.Model.from_config(config)
    clone.set_weights(ours.get_weights())
    inputs = [Q, V]
    for a, b in zip(clone(inputs), ours(inputs)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), **TOL)


@pytest.mark.parity
def test_multi_head_attention_functional_with_embedding_masks():
    """Embedding(mask_zero) → self-attention in a functional model: the masks flow as in Keras."""
    ids = np.array([[1, 2, 0, 0], [3, 1, 4, 0]])

    def build(lib):
        inputs = lib.Input((4,), dtype="int32")
        x = lib.layers.Embedding(6, 4, mask_zero=True)(inputs)
        attended = lib.layers.MultiHeadAttention(num_heads=2, key_dim=3)(x, x)
        pooled = lib.layers.GlobalAveragePooling1D()(attended)
        return lib.Model(inputs, [attended, pooled])

    ours, theirs = build(nd_keras), build(keras)
    ours.set_weights(theirs.get_weights())
    for a, b in zip(ours(ids), theirs(ids)):
        np.testing.assert_allclose(_numpy(a), _numpy(b), **TOL)
    assert tuple(ours.outputs[0].shape) == tuple(theirs.outputs[0].shape) == (None, 4, 4)


@pytest.mark.parity
def test_multi_head_attention_output_masks():
    """The output carries the query's mask and the scores the combined attention mask, as in Keras."""
    ids = np.array([[1, 2, 0], [3, 0, 0]])

    def masks(lib):
        x = lib.layers.Embedding(5, 4, mask_zero=True)(ids)
        output, scores = lib.layers.MultiHeadAttention(2, 3)(x, x, return_attention_scores=True)
        return _numpy(output._keras_mask), _numpy(scores._keras_mask)

    for a, b in zip(masks(nd_keras), masks(keras)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parity
def test_multi_head_attention_symbolic_shapes():
    def outputs(lib):
        q, v = lib.Input((3, 4)), lib.Input((5, 4))
        return lib.layers.MultiHeadAttention(2, 3, output_shape=(2, 2))(q, v, return_attention_scores=True)

    for a, b in zip(outputs(nd_keras), outputs(keras)):
        assert tuple(a.shape) == tuple(b.shape)


@pytest.mark.parity
def test_multi_head_attention_regularizers():
    kwargs = {"num_heads": 2, "key_dim": 3, "kernel_regularizer": "l2", "bias_regularizer": "l1",
              "activity_regularizer": "l2"}
    theirs, ours = keras.layers.MultiHeadAttention(**kwargs), layers.MultiHeadAttention(**kwargs)
    theirs(Q, V)
    ours(Q, V)
    ours.set_weights([w + 0.5 for w in theirs.get_weights()])
    theirs.set_weights([w + 0.5 for w in theirs.get_weights()])
    theirs(Q, V)
    ours(Q, V)
    assert len(ours.losses) == len(theirs.losses)
    np.testing.assert_allclose(sum(float(x) for x in ours.losses), sum(float(x) for x in theirs.losses), rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"num_heads": 2, "key_dim": 3},
                                    {"num_heads": 1, "key_dim": 2, "value_dim": 4, "dropout": 0.1, "use_bias": False,
                                     "output_shape": 5, "attention_axes": [1], "sliding_window": 3,
                                     "kernel_initializer": "he_normal", "bias_initializer": "ones",
                                     "kernel_regularizer": "l2", "kernel_constraint": "non_neg", "use_gate": True,
                                     "seed": 7}])
def test_multi_head_attention_config(kwargs):
    ours, theirs = layers.MultiHeadAttention(**kwargs), keras.layers.MultiHeadAttention(**kwargs)
    _assert_config_matches(ours, theirs)
    ours(Q, V)
    theirs(Q, V)
    config = _assert_config_matches(ours, theirs)
    theirs_config = theirs.get_config()
    for key in ("num_heads", "key_dim", "value_dim", "dropout", "use_bias", "use_gate", "output_shape",
                "attention_axes", "sliding_window", "seed", "kernel_initializer", "bias_initializer",
                "kernel_regularizer", "kernel_constraint"):
        assert config[key] == theirs_config[key], key


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"num_heads": 0, "key_dim": 2}, {"num_heads": 2.0, "key_dim": 2},
                                    {"num_heads": 2, "key_dim": -1}, {"num_heads": 2, "key_dim": 2, "value_dim": 0},
                                    {"num_heads": 2, "key_dim": 2, "attention_axes": "1"},
                                    {"num_heads": 2, "key_dim": 2, "sliding_window": 0},
                                    {"num_heads": 2, "key_dim": 2, "flash_attention": True, "dropout": 0.1}])
def test_multi_head_attention_constructor_errors(kwargs):
    with pytest.raises(ValueError) as expected:
        keras.layers.MultiHeadAttention(**kwargs)
    with pytest.raises(ValueError) as got:
        layers.MultiHeadAttention(**kwargs)
    assert str(got.value) == str(expected.value)


@pytest.mark.parity
@pytest.mark.parametrize("call_kwargs", [{}, {"return_attention_scores": True}])
def test_multi_head_attention_flash_attention_errors(call_kwargs):
    with pytest.raises(ValueError) as expected:
        keras.layers.MultiHeadAttention(2, 2, flash_attention=True)(Q, V, **call_kwargs)
    with pytest.raises(ValueError) as got:
        layers.MultiHeadAttention(2, 2, flash_attention=True)(Q, V, **call_kwargs)
    assert str(got.value) in str(expected.value)  # Keras wraps errors raised in `call` with the call's arguments


@pytest.mark.parity
def test_multi_head_attention_shape_errors():
    key = _rand(2, 4, 4)
    with pytest.raises(ValueError) as expected:
        keras.layers.MultiHeadAttention(2, 2)(Q, V, key)
    with pytest.raises(ValueError) as got:
        layers.MultiHeadAttention(2, 2)(Q, V, key)
    assert str(got.value) == str(expected.value)
    with pytest.raises(ValueError, match="All dimensions of `value` and `key`"):
        layers.MultiHeadAttention(2, 2).compute_output_shape((None, 3, 4), (None, 5, 4), (None, 4, 4))
