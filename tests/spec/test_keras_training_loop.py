"""The custom training loop (inventory 001b §(h) 'Custom training loop'): random batches, a status bar, Nadam,
regularisation losses, constraints, streaming metrics, and the same step compiled with ``tf.function``.
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


def random_batch(X, y, batch_size=32):
    idx = np.random.randint(len(X), size=batch_size)
    return X[idx], y[idx]


def progress_bar(iteration, total, size=30):
    running = iteration < total
    c = ">" if running else "="
    p = (size - 1) * iteration // total
    fmt = f"{{:-{len(str(total))}d}}/{{}} [{{}}]"
    params = [iteration, total, "=" * p + c + "." * (size - p - 1)]
    return fmt.format(*params)


def print_status_bar(iteration, total, loss, metrics=None, size=30):
    metrics = " - ".join([f"{m.name}: {m.result():.4f}" for m in [loss] + (metrics or [])])
    end = "" if iteration < total else "\n"
    print(f"\r{progress_bar(iteration, total, size)} - {metrics}", end=end)


def test_progress_bar_and_status_line(capsys):
    assert progress_bar(3500, 10000, size=6) == " 3500/10000 [=>....]"
    mean_loss = keras.metrics.Mean(name="loss")
    mean_square = keras.metrics.Mean(name="mean_square")
    for i in range(1, 50 + 1):
        loss = 1 / i
        mean_loss(loss)
        mean_square(i ** 2)
        print_status_bar(i, 50, mean_loss, [mean_square], size=10)
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.count("\r") == 50
    final = out.rsplit("\r", 1)[1]
    expected_loss = np.mean([1 / i for i in range(1, 51)])
    expected_square = np.mean([i ** 2 for i in range(1, 51)])
    assert final == f"50/50 [==========] - loss: {expected_loss:.4f} - mean_square: {expected_square:.4f}\n"


def build_regularized_model():
    l2_reg = keras.regularizers.l2(0.05)
    return keras.models.Sequential([
        keras.layers.Dense(30, activation="elu", kernel_initializer="he_normal", kernel_regularizer=l2_reg),
        keras.layers.Dense(1, kernel_regularizer=l2_reg, kernel_constraint=keras.constraints.max_norm(1.0)),
    ])


def test_custom_training_loop(capsys):
    X_train, y_train, _, _, X_test, y_test = housing()
    y_train, y_test = y_train.reshape(-1, 1), y_test.reshape(-1, 1)
    model = build_regularized_model()
    n_epochs = 5
    batch_size = 32
    n_steps = len(X_train) // batch_size
    optimizer = keras.optimizers.Nadam(learning_rate=0.01)
    loss_fn = keras.losses.mean_squared_error
    mean_loss = keras.metrics.Mean()
    metrics = [keras.metrics.MeanAbsoluteError()]
    epoch_losses = []
    for epoch in range(1, n_epochs + 1):
        print(f"Epoch {epoch}/{n_epochs}")
        for step in range(1, n_steps + 1):
            X_batch, y_batch = random_batch(X_train, y_train)
            with tf.GradientTape() as tape:
                y_pred = model(X_batch, training=True)
                main_loss = tf.reduce_mean(loss_fn(y_batch, y_pred))
                loss = tf.add_n([main_loss] + model.losses)
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            for variable in model.variables:
                if variable.constraint is not None:
                    variable.assign(variable.constraint(variable))
            mean_loss(loss)
            for metric in metrics:
                metric(y_batch, y_pred)
            print_status_bar(step * batch_size, len(y_train), mean_loss, metrics)
        print_status_bar(len(y_train), len(y_train), mean_loss, metrics)
        epoch_losses.append(float(mean_loss.result()))
        for metric in [mean_loss] + metrics:
            metric.reset_state()

    out = capsys.readouterr().out
    assert "Epoch 5/5" in out and f"{len(y_train)}/{len(y_train)} [" in out and "mean_absolute_error:" in out
    assert epoch_losses[-1] < 0.5 * epoch_losses[0]
    assert len(model.losses) == 2  # one l2 term per layer, already scalars
    kernel = model.layers[1].kernel.numpy()
    assert np.linalg.norm(kernel, axis=0).max() <= 1.0 + 1e-6  # the constraint applied after each step
    test_mse = np.mean((model(X_test).numpy() - y_test) ** 2)
    assert test_mse < 0.8


def test_training_step_as_a_tf_function():
    X_train, y_train, *_ = housing()
    y_train = y_train.reshape(-1, 1)
    model = build_regularized_model()
    optimizer = keras.optimizers.Nadam(learning_rate=0.01)
    loss_fn = keras.losses.mean_squared_error
    traces = []

    @tf.function
    def train_step(X_batch, y_batch):
        traces.append(1)
        with tf.GradientTape() as tape:
            y_pred = model(X_batch, training=True)
            main_loss = tf.reduce_mean(loss_fn(y_batch, y_pred))
            loss = tf.add_n([main_loss] + model.losses)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    model(X_train[:1])  # create the variables outside the function
    losses = [float(train_step(*random_batch(X_train, y_train))) for _ in range(150)]
    assert len(traces) == 1
    assert np.mean(losses[-20:]) < 0.5 * np.mean(losses[:5])
    assert int(optimizer.iterations) == 150


def test_gradient_clipping_by_value_and_by_norm():
    for kwargs, expected in (({"clipvalue": 1.0}, [0.9, 1.0]), ({"clipnorm": 1.0}, [0.00899964, 0.9999595])):
        optimizer = keras.optimizers.SGD(learning_rate=1.0, **kwargs)
        w = tf.Variable([0.0, 0.0])
        optimizer.apply_gradients([(tf.constant([0.9, 100.0]), w)])
        np.testing.assert_allclose(-w.numpy(), expected, rtol=1e-5)

    w1, w2 = tf.random.normal([3, 3], seed=0), tf.random.normal([3, 3], seed=1)
    (ww1, ww2), global_norm = tf.clip_by_global_norm([w1, w2], 2)
    global_norm2 = tf.math.sqrt(tf.norm(ww1) ** 2 + tf.norm(ww2) ** 2)
    expected_norm = np.sqrt(np.sum(w1.numpy() ** 2) + np.sum(w2.numpy() ** 2))
    assert float(global_norm) == pytest.approx(expected_norm, rel=1e-5)
    assert float(global_norm2) == pytest.approx(min(2.0, expected_norm), rel=1e-5)
