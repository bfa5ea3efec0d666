"""Custom components (inventory 001b §(g)): losses, activations, initializers, regularizers, constraints,
streaming metrics and layers, written as the book writes them, trained on the housing-like data (targets reshaped
to a column, as chapter 12 does).
"""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from tests.spec.keras_spec_data import housing


@pytest.fixture(autouse=True)
def fresh_session():
    keras.backend.clear_session()
    # the book's np.random.seed + tf.random.set_seed is not enough in Keras 3: unseeded initializers draw from
    # Python's `random`, which set_random_seed seeds too
    keras.utils.set_random_seed(42)


@pytest.fixture(scope="module")
def data():
    X_train, y_train, X_valid, y_valid, X_test, y_test = housing()
    return X_train, y_train.reshape(-1, 1), X_valid, y_valid.reshape(-1, 1), X_test, y_test.reshape(-1, 1)


def huber_fn(y_true, y_pred):
    error = y_true - y_pred
    is_small_error = tf.abs(error) < 1
    squared_loss = tf.square(error) / 2
    linear_loss = tf.abs(error) - 0.5
    return tf.where(is_small_error, squared_loss, linear_loss)


def create_huber(threshold=1.0):
    def huber_fn(y_true, y_pred):
        error = y_true - y_pred
        is_small_error = tf.abs(error) < threshold
        squared_loss = tf.square(error) / 2
        linear_loss = threshold * tf.abs(error) - threshold ** 2 / 2
        return tf.where(is_small_error, squared_loss, linear_loss)
    return huber_fn


class HuberLoss(keras.losses.Loss):
    def __init__(self, threshold=1.0, **kwargs):
        self.threshold = threshold
        super().__init__(**kwargs)

    def call(self, y_true, y_pred):
        error = y_true - y_pred
        is_small_error = tf.abs(error) < self.threshold
        squared_loss = tf.square(error) / 2
        linear_loss = self.threshold * tf.abs(error) - self.threshold ** 2 / 2
        return tf.where(is_small_error, squared_loss, linear_loss)

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "threshold": self.threshold}


def numpy_huber(error, threshold):
    return np.where(np.abs(error) < threshold, error ** 2 / 2, threshold * np.abs(error) - threshold ** 2 / 2)


def small_model(input_shape=(8,)):
    return keras.models.Sequential([
        keras.layers.Dense(30, activation="selu", kernel_initializer="lecun_normal", input_shape=input_shape),
        keras.layers.Dense(1),
    ])


def test_huber_function_values_and_training(data):
    z = np.linspace(-4, 4, 17, dtype=np.float32)
    np.testing.assert_allclose(huber_fn(tf.zeros(17), tf.constant(z)).numpy(), numpy_huber(-z, 1.0), rtol=1e-6)
    np.testing.assert_allclose(keras.losses.Huber()(np.zeros(17), z), numpy_huber(z, 1.0).mean(), rtol=1e-6)

    X_train, y_train, X_valid, y_valid, *_ = data
    model = small_model()
    model.compile(loss=huber_fn, optimizer="nadam", metrics=["mae"])
    history = model.fit(X_train, y_train, epochs=2, validation_data=(X_valid, y_valid), verbose=0)
    assert sorted(history.history) == ["loss", "mae", "val_loss", "val_mae"]
    assert history.history["loss"][1] < history.history["loss"][0]
    predictions = model.predict(X_valid, verbose=0)
    val_loss = numpy_huber(y_valid - predictions, 1.0).mean()
    assert history.history["val_loss"][-1] == pytest.approx(val_loss, rel=1e-4)


def test_configurable_huber_factory_and_loss_class(data):
    X_train, y_train, *_ = data
    model = small_model()
    model.compile(loss=create_huber(2.0), optimizer="nadam")
    losses = model.fit(X_train, y_train, epochs=2, verbose=0).history["loss"]
    assert losses[1] < losses[0]

    model = small_model()
    model.compile(loss=HuberLoss(2.), optimizer="nadam")
    history = model.fit(X_train, y_train, epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]
    assert model.loss.threshold == 2.0

    config = HuberLoss(2., name="huber_loss").get_config()
    assert config["threshold"] == 2.0 and config["name"] == "huber_loss"
    assert config["reduction"] == "sum_over_batch_size"
    assert HuberLoss.from_config(config).threshold == 2.0


def test_loss_reductions_and_sample_weights():
    y_true = tf.constant([[0.], [0.], [0.], [0.]])
    y_pred = tf.constant([[0.5], [1.5], [3.0], [-2.0]])
    per_instance = numpy_huber(np.array([0.5, 1.5, 3.0, -2.0]), 2.0)
    weights = np.array([1.0, 0.5, 0.0, 2.0], dtype=np.float32)
    loss = HuberLoss(2.)
    assert float(loss(y_true, y_pred)) == pytest.approx(per_instance.mean())
    # sum_over_batch_size: the weighted sum divided by the batch size, deliberately not a weighted mean
    assert float(loss(y_true, y_pred, sample_weight=weights)) == pytest.approx((per_instance * weights).sum() / 4)
    assert float(HuberLoss(2., reduction="sum")(y_true, y_pred)) == pytest.approx(per_instance.sum())
    unreduced = HuberLoss(2., reduction="none")(y_true, y_pred).numpy()
    assert unreduced.shape == (4, 1)  # call() kept the last axis
    np.testing.assert_allclose(unreduced[:, 0], per_instance, rtol=1e-6)


def test_models_with_custom_objects_are_saved_and_reloaded(data, tmp_path):
    X_train, y_train, _, _, X_test, _ = data
    model = small_model()
    model.compile(loss=HuberLoss(2.), optimizer="nadam")
    model.fit(X_train, y_train, epochs=1, verbose=0)
    path = str(tmp_path / "my_model_with_a_custom_loss_class.keras")
    model.save(path)
    loaded = keras.models.load_model(path, custom_objects={"HuberLoss": HuberLoss})
    assert loaded.loss.threshold == 2.0
    np.testing.assert_allclose(loaded.predict(X_test, verbose=0), model.predict(X_test, verbose=0), rtol=1e-6)


def my_softplus(z):
    return tf.math.log(tf.exp(z) + 1.0)


def my_glorot_initializer(shape, dtype=tf.float32):
    stddev = tf.sqrt(2. / (shape[0] + shape[1]))
    return tf.random.normal(shape, stddev=stddev, dtype=dtype)


def my_l1_regularizer(weights):
    return tf.reduce_sum(tf.abs(0.01 * weights))


def my_positive_weights(weights):
    return tf.where(weights < 0., tf.zeros_like(weights), weights)


class MyL1Regularizer(keras.regularizers.Regularizer):
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, weights):
        return tf.reduce_sum(tf.abs(self.factor * weights))

    def get_config(self):
        return {"factor": self.factor}


@pytest.mark.parametrize("regularizer", [my_l1_regularizer, MyL1Regularizer(0.01)], ids=["function", "class"])
def test_custom_activation_initializer_regularizer_and_constraint(data, regularizer):
    X_train, y_train, *_ = data
    z = np.array([-3., 0., 3.], dtype=np.float32)
    np.testing.assert_allclose(my_softplus(tf.constant(z)).numpy(), keras.activations.softplus(z), rtol=1e-6)
    kernel = my_glorot_initializer((300, 200)).numpy()
    assert kernel.shape == (300, 200) and kernel.std() == pytest.approx(np.sqrt(2 / 500), rel=0.05)

    layer = keras.layers.Dense(1, activation=my_softplus, kernel_initializer=my_glorot_initializer,
                               kernel_regularizer=regularizer, kernel_constraint=my_positive_weights)
    model = keras.models.Sequential([keras.layers.Dense(30, activation="selu", kernel_initializer="lecun_normal",
                                                        input_shape=[8]), layer])
    model.compile(loss="mse", optimizer="nadam")
    history = model.fit(X_train, y_train, epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]
    weights = layer.kernel.numpy()
    assert weights.min() >= 0.0  # the constraint runs after every step
    assert len(model.losses) == 1
    assert float(model.losses[0]) == pytest.approx(0.01 * np.abs(weights).sum(), rel=1e-5)
    assert model.predict(X_train[:5], verbose=0).min() > 0  # softplus output
    if isinstance(regularizer, MyL1Regularizer):
        assert MyL1Regularizer.from_config(regularizer.get_config()).factor == 0.01


def test_streaming_precision():
    precision = keras.metrics.Precision()
    assert float(precision([0, 1, 1, 1, 0, 1, 0, 1], [1, 1, 0, 1, 0, 1, 0, 1])) == pytest.approx(0.8)
    assert float(precision([0, 1, 0, 0, 1, 0, 1, 1], [1, 0, 1, 1, 0, 0, 0, 0])) == pytest.approx(0.5)
    assert float(precision.result()) == pytest.approx(0.5)
    assert [v.name for v in precision.variables] == ["true_positives", "false_positives"]
    assert [float(v.numpy()[0]) for v in precision.variables] == [4.0, 4.0]
    precision.reset_state()
    assert [float(v.numpy()[0]) for v in precision.variables] == [0.0, 0.0]


class HuberMetric(keras.metrics.Metric):
    def __init__(self, threshold=1.0, **kwargs):
        super().__init__(**kwargs)
        self.threshold = threshold
        self.huber_fn = create_huber(threshold)
        self.total = self.add_weight(name="total", initializer="zeros")
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        metric = self.huber_fn(y_true, y_pred)
        self.total.assign_add(tf.reduce_sum(metric))
        self.count.assign_add(tf.cast(tf.size(y_true), tf.float32))

    def result(self):
        return self.total / self.count

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "threshold": self.threshold}


def test_stateful_huber_metric(data):
    m = HuberMetric(2.)
    assert float(m(tf.constant([[2.]]), tf.constant([[10.]]))) == pytest.approx(14.0)
    assert float(m(tf.constant([[0.], [5.]]), tf.constant([[1.], [9.25]]))) == pytest.approx(7.0)
    assert [v.numpy().item() for v in m.variables] == [21.0, 3.0]
    m.reset_state()
    assert [v.numpy().item() for v in m.variables] == [0.0, 0.0]
    assert m.get_config()["threshold"] == 2.0

    X_train, y_train, *_ = data
    model = small_model()
    metric = HuberMetric(2.0)
    assert metric.name == "huber_metric_1"  # automatic names are unique: `m` above took "huber_metric"
    model.compile(loss=create_huber(2.0), optimizer="nadam", metrics=[metric])
    history = model.fit(X_train.astype(np.float32), y_train, epochs=2, verbose=0)
    assert sorted(history.history) == ["huber_metric_1", "loss"]
    # with no regularisation and equal weights, the epoch metric is the epoch loss
    np.testing.assert_allclose(history.history["huber_metric_1"], history.history["loss"], rtol=1e-4)
    # Keras 3: model.metrics is [loss tracker, compiled metrics container]
    assert model.metrics[-1].metrics[0].threshold == 2.0


def test_loss_versus_metric_with_sample_weights(data):
    X_train, y_train, *_ = data
    model = small_model()
    model.compile(loss=create_huber(2.0), optimizer="nadam", metrics=[create_huber(2.0)])
    sample_weight = np.random.rand(len(y_train))
    history = model.fit(X_train, y_train, epochs=2, sample_weight=sample_weight, verbose=0)
    # the metric is not weighted (Keras 3: only weighted_metrics are), so the two agree only on average
    assert history.history["loss"][0] == pytest.approx(history.history["huber_fn"][0] * sample_weight.mean(),
                                                       rel=0.1)

    class WeightedHuberMetric(keras.metrics.Mean):
        def __init__(self, threshold=1.0, name="HuberMetric", dtype=None):
            self.threshold = threshold
            self.huber_fn = create_huber(threshold)
            super().__init__(name=name, dtype=dtype)

        def update_state(self, y_true, y_pred, sample_weight=None):
            metric = self.huber_fn(y_true, y_pred)
            super().update_state(metric, sample_weight)

        def get_config(self):
            base_config = super().get_config()
            return {**base_config, "threshold": self.threshold}

    model = small_model()
    model.compile(loss=keras.losses.Huber(2.0), optimizer="nadam", weighted_metrics=[WeightedHuberMetric(2.0)])
    history = model.fit(X_train, y_train, epochs=2, sample_weight=sample_weight, verbose=0)
    # loss: weighted sum / batch size; weighted metric: weighted sum / sum of weights
    for loss, metric in zip(history.history["loss"], history.history["HuberMetric"]):
        assert loss == pytest.approx(metric * sample_weight.mean(), rel=1e-5)


def test_weightless_lambda_layer_and_exponential_output(data):
    exponential_layer = keras.layers.Lambda(lambda x: tf.exp(x))
    np.testing.assert_allclose(exponential_layer(tf.constant([-1., 0., 1.])).numpy(), np.exp([-1., 0., 1.]),
                               rtol=1e-6)
    assert keras.activations.get("exponential") is keras.activations.exponential

    X_train, y_train, X_valid, y_valid, X_test, y_test = data
    model = keras.models.Sequential([
        keras.layers.Dense(30, activation="relu", input_shape=[8]),
        keras.layers.Dense(1),
        exponential_layer,
    ])
    model.compile(loss="mse", optimizer="sgd")
    history = model.fit(X_train, y_train, epochs=5, validation_data=(X_valid, y_valid), verbose=0)
    assert history.history["val_loss"][-1] < history.history["val_loss"][0]
    assert model.evaluate(X_test, y_test, verbose=0) < history.history["val_loss"][0]
    assert model.predict(X_test, verbose=0).min() > 0


class MyDense(keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, batch_input_shape):
        self.kernel = self.add_weight(name="kernel", shape=[batch_input_shape[-1], self.units],
                                      initializer="glorot_normal")
        self.bias = self.add_weight(name="bias", shape=[self.units], initializer="zeros")
        super().build(batch_input_shape)

    def call(self, X):
        return self.activation(X @ self.kernel + self.bias)

    def compute_output_shape(self, batch_input_shape):
        return tuple(batch_input_shape[:-1]) + (self.units,)

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "units": self.units, "activation": keras.activations.serialize(self.activation)}


def test_custom_dense_layer(data):
    X_train, y_train, X_valid, y_valid, X_test, y_test = data
    model = keras.models.Sequential([MyDense(30, activation="relu", input_shape=[8]), MyDense(1)])
    assert model.count_params() == 8 * 30 + 30 + 31
    assert model.output_shape == (None, 1)
    assert [w.name for w in model.layers[0].weights] == ["kernel", "bias"]
    model.compile(loss="mse", optimizer="nadam")
    history = model.fit(X_train, y_train, epochs=2, validation_data=(X_valid, y_valid), verbose=0)
    assert history.history["val_loss"][1] < history.history["val_loss"][0]
    assert model.evaluate(X_test, y_test, verbose=0) < 0.75 * history.history["val_loss"][0]

    config = model.layers[0].get_config()
    assert config["units"] == 30 and config["activation"] == "relu"
    clone = MyDense.from_config(config)
    assert clone.units == 30 and clone.activation is keras.activations.relu


class MyMultiLayer(keras.layers.Layer):
    def call(self, X):
        X1, X2 = X
        print("X1.shape: ", X1.shape, " X2.shape: ", X2.shape)
        return X1 + X2, X1 * X2

    def compute_output_shape(self, batch_input_shape):
        batch_input_shape1, batch_input_shape2 = batch_input_shape
        return [batch_input_shape1, batch_input_shape2]


def split_data(data):
    columns_count = data.shape[-1]
    half = columns_count // 2
    return data[:, :half], data[:, half:]


def test_layer_with_two_inputs_and_two_outputs(data, capsys):
    inputs1 = keras.layers.Input(shape=[2])
    inputs2 = keras.layers.Input(shape=[2])
    outputs1, outputs2 = MyMultiLayer()((inputs1, inputs2))
    assert outputs1.shape == outputs2.shape == (None, 2)
    assert capsys.readouterr().out == ""  # Keras 3 takes symbolic shapes from compute_output_shape, not call

    X_train, y_train, X_valid, y_valid, *_ = data
    X_train_split, X_valid_split = split_data(X_train), split_data(X_valid)
    outputs1, outputs2 = MyMultiLayer()(X_train_split)
    np.testing.assert_allclose(outputs1.numpy(), X_train[:, :4] + X_train[:, 4:], rtol=1e-6)
    np.testing.assert_allclose(outputs2.numpy(), X_train[:, :4] * X_train[:, 4:], rtol=1e-6)

    input_A = keras.layers.Input(shape=[X_train_split[0].shape[-1]])  # Keras 3 wants a shape tuple, not an int
    input_B = keras.layers.Input(shape=[X_train_split[1].shape[-1]])
    hidden_A, hidden_B = MyMultiLayer()((input_A, input_B))
    hidden_A = keras.layers.Dense(30, activation="selu")(hidden_A)
    hidden_B = keras.layers.Dense(30, activation="selu")(hidden_B)
    concat = keras.layers.Concatenate()((hidden_A, hidden_B))
    output = keras.layers.Dense(1)(concat)
    model = keras.models.Model(inputs=[input_A, input_B], outputs=[output])
    model.compile(loss="mse", optimizer="nadam")
    history = model.fit(X_train_split, y_train, epochs=2, validation_data=(X_valid_split, y_valid), verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]


class AddGaussianNoise(keras.layers.Layer):
    def __init__(self, stddev, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev

    def call(self, X, training=None):
        if training:
            noise = tf.random.normal(tf.shape(X), stddev=self.stddev)
            return X + noise
        return X

    def compute_output_shape(self, batch_input_shape):
        return batch_input_shape


def test_layer_that_behaves_differently_in_training(data):
    X_train, y_train, X_valid, y_valid, *_ = data
    noise = AddGaussianNoise(stddev=1.0)
    x = tf.zeros([1000, 8])
    assert np.all(noise(x).numpy() == 0)
    assert noise(x, training=True).numpy().std() == pytest.approx(1.0, rel=0.05)

    model = keras.models.Sequential([
        AddGaussianNoise(stddev=1.0, input_shape=[8]),
        keras.layers.Dense(30, activation="selu"),
        keras.layers.Dense(1),
    ])
    model.compile(loss="mse", optimizer="nadam")
    history = model.fit(X_train, y_train, epochs=2, validation_data=(X_valid, y_valid), verbose=0)
    assert history.history["val_loss"][1] < history.history["val_loss"][0]
    # predict runs in inference mode: no noise, same answer twice
    np.testing.assert_array_equal(model.predict(X_valid, verbose=0), model.predict(X_valid, verbose=0))
