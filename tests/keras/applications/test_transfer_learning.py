"""The spec's transfer-learning recipe at small scale: a frozen application base under a new head."""
import numpy as np

from ndflow import keras as ours


def test_frozen_base_with_new_head_trains_only_the_head():
    base = ours.applications.MobileNetV2(weights=None, include_top=False, input_shape=(32, 32, 3), alpha=0.35)
    base.trainable = False
    inputs = ours.Input((32, 32, 3))
    x = ours.applications.mobilenet_v2.preprocess_input(inputs)
    x = base(x, training=False)
    x = ours.layers.GlobalAveragePooling2D()(x)
    outputs = ours.layers.Dense(3, activation="softmax")(x)
    model = ours.Model(inputs, outputs)
    assert len(model.trainable_weights) == 2
    model.compile(optimizer=ours.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    images = rng.uniform(0, 255, (8, 32, 32, 3)).astype("float32")
    labels = rng.integers(0, 3, 8)
    base_before = [w.copy() for w in base.get_weights()]
    head_before = [w.copy() for w in model.layers[-1].get_weights()]
    history = model.fit(images, labels, epochs=2, batch_size=4, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    for before, after in zip(base_before, base.get_weights()):
        np.testing.assert_array_equal(before, after)  # frozen: BN statistics included (inference mode)
    assert any(not np.array_equal(b, a) for b, a in zip(head_before, model.layers[-1].get_weights()))
    assert model.predict(images[:2], verbose=0).shape == (2, 3)
