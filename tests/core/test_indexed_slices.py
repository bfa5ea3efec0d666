"""IndexedSlices: gather gradients, densification, gradient sums, variable scatters and optimizers (TF/Keras parity)."""
import warnings

import numpy as np
import pytest

import ndflow as tf
from tests.gradcheck import check_gradients

RS = np.random.RandomState(11)
PARAMS = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)


def gather_gradient(params, indices, **kwargs):
    with tf.GradientTape() as tape:
        if not isinstance(params, tf.Variable):
            tape.watch(params)
        y = tf.gather(params, indices, **kwargs)
    return tape.gradient(y, params)


def test_gather_gradient_is_indexed_slices():
    grad = gather_gradient(tf.constant(PARAMS), [0, 2, 0])
    assert isinstance(grad, tf.IndexedSlices)
    np.testing.assert_array_equal(grad.indices.numpy(), [0, 2, 0])
    np.testing.assert_array_equal(grad.values.numpy(), np.ones((3, 2)))
    np.testing.assert_array_equal(grad.dense_shape.numpy(), [3, 2])
    assert grad.dtype == tf.float32 and grad.shape == tf.TensorShape([3, 2]) and grad.dense_shape.dtype == tf.int32
    np.testing.assert_array_equal(tf.convert_to_tensor(grad).numpy(), [[2, 2], [0, 0], [1, 1]])
    assert isinstance(gather_gradient(tf.Variable(PARAMS), [[1, 2]]), tf.IndexedSlices)
    assert gather_gradient(tf.Variable(PARAMS), [[1, 2]]).values.shape == tf.TensorShape([2, 2])
    assert isinstance(gather_gradient(tf.constant(PARAMS), [1], axis=1), tf.Tensor)  # only axis 0 is sliced


def test_printing():
    grad = gather_gradient(tf.constant(PARAMS), [1])
    assert str(grad) == ("IndexedSlices(indices=tf.Tensor([1], shape=(1,), dtype=int32), values=tf.Tensor("
                         "[[1. 1.]], shape=(1, 2), dtype=float32), dense_shape=tf.Tensor([3 2], shape=(2,), "
                         "dtype=int32))")
    assert repr(grad).startswith("<ndflow._core.indexed_slices.IndexedSlices object at 0x")
    bare = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]))
    assert str(bare) == ("IndexedSlices(indices=tf.Tensor([1], shape=(1,), dtype=int32), values=tf.Tensor("
                         "[[1. 2.]], shape=(1, 2), dtype=float32))")
    assert bare.dense_shape is None and bare.shape.rank is None
    with pytest.raises(ValueError, match="Tensor conversion requested for IndexedSlices for argument `value` without "
                                         "dense_shape"):
        tf.convert_to_tensor(bare)


def test_pass_through_ops_and_arithmetic():
    v = tf.Variable(PARAMS)
    for wrap in (tf.identity, lambda x: tf.cast(x, tf.float64)):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.gather(wrap(v), [1]))
        grad = tape.gradient(y, v)
        assert isinstance(grad, tf.IndexedSlices) and grad.values.dtype == tf.float32
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(v * 2.0, [1]))
    assert isinstance(tape.gradient(y, v), tf.Tensor)
    negated = -grad
    assert isinstance(negated, tf.IndexedSlices) and negated.values.numpy().tolist() == [[-1.0, -1.0]]
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*: 'IndexedSlices' and 'int'"):
        grad * 2
    np.testing.assert_array_equal(tf.multiply(grad, 2.0).numpy(), [[0, 0], [2, 2], [0, 0]])


def test_gradients_from_several_gathers_add_up():
    v = tf.Variable(PARAMS)
    with tf.GradientTape(persistent=True) as tape:
        sliced = tf.reduce_sum(tf.gather(v, [1])) + tf.reduce_sum(tf.gather(v, [2, 1]))
        mixed = tf.reduce_sum(tf.gather(v, [1])) + tf.reduce_sum(v * 2.0)
        lookups = tf.reduce_sum(tf.nn.embedding_lookup(v, [0, 0])) + tf.reduce_sum(tf.nn.embedding_lookup(v, [2]))
    grad = tape.gradient(sliced, v)
    assert isinstance(grad, tf.IndexedSlices)
    np.testing.assert_array_equal(grad.indices.numpy(), [1, 2, 1])
    np.testing.assert_array_equal(tf.convert_to_tensor(grad).numpy(), [[0, 0], [2, 2], [1, 1]])
    dense = tape.gradient(mixed, v)
    assert isinstance(dense, tf.Tensor)
    np.testing.assert_array_equal(dense.numpy(), [[2, 2], [3, 3], [2, 2]])
    np.testing.assert_array_equal(tf.convert_to_tensor(tape.gradient(lookups, v)).numpy(), [[2, 2], [0, 0], [1, 1]])


def test_dense_consumers_accept_slices():
    v = tf.Variable(PARAMS)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.nn.embedding_lookup(v, [[0, 2], [2, 2]]) ** 2)
    grad = tape.gradient(y, v)
    dense = tf.convert_to_tensor(grad).numpy()
    clipped, norm = tf.clip_by_global_norm([grad], 1.0)
    assert isinstance(clipped[0], tf.IndexedSlices)
    np.testing.assert_allclose(norm.numpy(), np.sqrt(np.sum(grad.values.numpy() ** 2)), rtol=1e-6)
    by_norm = tf.clip_by_norm(grad, 1.0)
    np.testing.assert_allclose(np.sqrt(np.sum(by_norm.values.numpy() ** 2)), 1.0, rtol=1e-6)
    np.testing.assert_allclose(tf.reduce_sum(grad).numpy(), dense.sum(), rtol=1e-6)
    np.testing.assert_allclose(tf.linalg.global_norm([grad]).numpy(), norm.numpy(), rtol=1e-6)
    np.testing.assert_allclose((tf.zeros([3, 2]) + grad).numpy(), dense)


def test_densify_warns_only_for_unknown_or_huge_shapes():
    @tf.function
    def densify(values, indices, shape):
        return tf.convert_to_tensor(tf.IndexedSlices(values, indices, shape))

    with pytest.warns(UserWarning, match="Converting sparse IndexedSlices to a dense Tensor of unknown shape"):
        out = densify(tf.constant([[1.0, 2.0]]), tf.constant([1]), tf.constant([2, 2]))
    np.testing.assert_array_equal(out.numpy(), [[0, 0], [1, 2]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tf.convert_to_tensor(gather_gradient(tf.constant(PARAMS), [1]))


def test_gradient_of_densification_and_of_gather():
    check_gradients(lambda v: tf.convert_to_tensor(tf.IndexedSlices(v, [0, 2, 0], [3, 2])), RS.randn(3, 2), order=2)
    check_gradients(lambda p: tf.gather(p, [[2, 0], [0, 1]]), RS.randn(3, 2), order=2)


def test_gradients_inside_a_function():
    v = tf.Variable(PARAMS)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.gather(v, [2, 2]) ** 2)
        grad = tape.gradient(y, v)
        v.scatter_sub(tf.IndexedSlices(grad.values * 0.5, grad.indices, grad.dense_shape))
        return tf.convert_to_tensor(grad)

    np.testing.assert_array_equal(step().numpy(), [[0, 0], [0, 0], [20, 24]])
    np.testing.assert_array_equal(v.numpy(), [[1, 2], [3, 4], [-5, -6]])


def test_graph_mode_gradients_and_session_fetches():
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        v = v1.get_variable("emb", initializer=PARAMS)
        loss = tf.reduce_sum(tf.nn.embedding_lookup(v, [0, 2, 2]) ** 2)
        (grad,) = v1.gradients(loss, [v])
        train = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            value = sess.run(grad)
            sess.run(train)
            trained = sess.run(v)
    assert isinstance(grad, tf.IndexedSlices) and type(value).__name__ == "IndexedSlicesValue"
    np.testing.assert_array_equal(value.indices, [0, 2, 2])
    np.testing.assert_array_equal(value.values, 2 * PARAMS[[0, 2, 2]])
    np.testing.assert_array_equal(value.dense_shape, [3, 2])
    np.testing.assert_allclose(trained, PARAMS - 0.1 * np.array([[2, 4], [0, 0], [20, 24]]), rtol=1e-6)


# ---------------------------------------------------------------------------------------------------------
# Variable scatters


def test_spec_variable_scatters():
    v = tf.Variable([[2.0, 42.0, 0.0], [8.0, 10.0, 1.0]])
    v.scatter_nd_update(indices=[[0, 0], [1, 2]], updates=[100.0, 200.0])
    np.testing.assert_array_equal(v.numpy(), [[100, 42, 0], [8, 10, 200]])
    v.scatter_update(tf.IndexedSlices(values=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], indices=[1, 0]))
    np.testing.assert_array_equal(v.numpy(), [[4, 5, 6], [1, 2, 3]])


def test_variable_scatter_family():
    v = tf.Variable(np.zeros((3, 2), np.float32))
    v.scatter_add(tf.IndexedSlices(tf.ones([3, 2]), tf.constant([0, 0, 2])))
    np.testing.assert_array_equal(v.numpy(), [[2, 2], [0, 0], [1, 1]])
    v.scatter_sub(tf.IndexedSlices(tf.ones([1, 2]), tf.constant([2])))
    v.scatter_max(tf.IndexedSlices(tf.constant([[5.0, -1.0]]), tf.constant([0])))
    v.scatter_min(tf.IndexedSlices(tf.constant([[-3.0, 9.0]]), tf.constant([1])))
    np.testing.assert_array_equal(v.numpy(), [[5, 2], [-3, 0], [0, 0]])
    v.scatter_nd_add([[1, 1]], [4.0])
    v.scatter_nd_max([[2, 0]], [7.0])
    v.scatter_nd_min([[0, 0]], [1.0])
    v.scatter_nd_sub([[0, 1]], [2.0])
    np.testing.assert_array_equal(v.numpy(), [[1, 0], [-3, 4], [7, 0]])
    with pytest.raises(TypeError, match="sparse_delta is not IndexedSlices"):
        v.scatter_add([[1.0, 2.0]])


@pytest.mark.parity
def test_parity_variable_scatters():
    real_tf = pytest.importorskip("tensorflow")
    start = RS.randn(4, 3).astype(np.float32)
    rows = RS.randn(3, 3).astype(np.float32)
    for method in ("scatter_add", "scatter_sub", "scatter_update", "scatter_max", "scatter_min"):
        ours, theirs = tf.Variable(start), real_tf.Variable(start)
        getattr(ours, method)(tf.IndexedSlices(rows, tf.constant([3, 0, 2])))
        getattr(theirs, method)(real_tf.IndexedSlices(rows, real_tf.constant([3, 0, 2])))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


# ---------------------------------------------------------------------------------------------------------
# Optimizers applying IndexedSlices gradients

IDS = np.array([[1, 3, 1], [0, 3, 3]])
OPTIMIZERS = [("Adam", {}), ("SGD", {}), ("SGD", {"momentum": 0.9, "nesterov": True}),
              ("Adam", {"global_clipnorm": 1.0, "amsgrad": True}), ("RMSprop", {"clipnorm": 0.5, "centered": True}),
              ("Adagrad", {}), ("AdamW", {"weight_decay": 0.1}), ("Nadam", {"clipvalue": 0.3}), ("Ftrl", {}),
              ("Lion", {}), ("Adadelta", {}), ("Adamax", {})]


def _train_embedding(lib, keras_module, optimizer, weights):
    layer = keras_module.layers.Embedding(5, 3)
    layer.build((None,))
    layer.set_weights([weights])
    for _ in range(3):
        with lib.GradientTape() as tape:
            y = lib.reduce_sum(layer(lib.constant(IDS)) ** 2)
        grads = tape.gradient(y, layer.trainable_variables)
        optimizer.apply_gradients(zip(grads, layer.trainable_variables))
    return grads[0], layer.get_weights()[0]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", OPTIMIZERS)
def test_keras_optimizers_on_an_embedding_match_keras(name, kwargs):
    pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    import tensorflow as real_tf

    from ndflow import keras as ours_keras

    weights = RS.randn(5, 3).astype(np.float32)
    try:
        ours_grad, ours = _train_embedding(tf, ours_keras, getattr(ours_keras.optimizers, name)(0.1, **kwargs),
                                           weights)
        theirs_grad, theirs = _train_embedding(real_tf, keras, getattr(keras.optimizers, name)(0.1, **kwargs),
                                               weights)
    finally:  # leave both name registries as other tests expect them
        keras.backend.clear_session()
        ours_keras.backend.clear_session()
    assert isinstance(ours_grad, tf.IndexedSlices) and isinstance(theirs_grad, real_tf.IndexedSlices)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["GradientDescentOptimizer", "AdamOptimizer", "AdagradOptimizer"])
def test_compat_v1_optimizers_apply_slices_like_tf(name):
    real_tf = pytest.importorskip("tensorflow")
    start = RS.randn(4, 2).astype(np.float32)

    def train(lib):
        v = lib.Variable(start)
        optimizer = getattr(lib.compat.v1.train, name)(0.1)
        for _ in range(2):
            with lib.GradientTape() as tape:
                y = lib.reduce_sum(lib.gather(v, [0, 0, 2]) ** 2)
            optimizer.apply_gradients([(tape.gradient(y, v), v)])
        return v.numpy()

    np.testing.assert_allclose(train(tf), train(real_tf), rtol=1e-5, atol=1e-6)


def test_keras_model_with_an_embedding_trains_inside_fit():
    from ndflow import keras

    model = keras.Sequential([keras.Input((3,), dtype="int32"), keras.layers.Embedding(6, 2),
                              keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    x = RS.randint(0, 6, size=(16, 3)).astype(np.int32)
    y = RS.randn(16, 1).astype(np.float32)
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=5, batch_size=4, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before
    keras.backend.clear_session()
