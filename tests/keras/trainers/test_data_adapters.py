"""Data adapters, the epoch iterator and the compiled loss/metrics containers, unit by unit."""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.keras.trainers import compile_utils, data_adapters
from ndflow.keras.trainers.epoch_iterator import EpochIterator


def test_unpack_and_pack():
    x, y, w = np.zeros(2), np.ones(2), np.full(2, 2.0)
    assert data_adapters.unpack_x_y_sample_weight(x)[1:] == (None, None)
    assert data_adapters.unpack_x_y_sample_weight((x,))[0] is x
    assert data_adapters.unpack_x_y_sample_weight([x, y])[1] is y
    assert data_adapters.unpack_x_y_sample_weight((x, y, w))[2] is w
    with pytest.raises(ValueError, match=r"Data is expected to be in format `x`, `\(x,\)`, `\(x, y\)`"):
        data_adapters.unpack_x_y_sample_weight((x, y, w, w))
    assert data_adapters.pack_x_y_sample_weight(x) is x
    assert data_adapters.pack_x_y_sample_weight([x, y]) == ([x, y],)
    assert data_adapters.pack_x_y_sample_weight(x, y, w) == (x, y, w)


@pytest.mark.parametrize("labels", [np.array([0, 2, 1, 2]), np.array([[0], [2], [1], [2]]), np.eye(3)[[0, 2, 1, 2]]])
def test_class_weight_to_sample_weights(labels):
    weights = data_adapters.class_weight_to_sample_weights(labels, {0: 0.5, 2: 3.0})
    np.testing.assert_array_equal(weights, [0.5, 3.0, 1.0, 3.0])
    assert weights.dtype == np.float32


def test_array_adapter_batches_and_shuffles():
    x = np.arange(10)[:, None].astype("float32")
    y = np.arange(10)
    adapter = data_adapters.ArrayDataAdapter(x, y, batch_size=4)
    batches = list(adapter)
    assert adapter.num_batches == 3 and [len(b[0]) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y)
    shuffled = data_adapters.ArrayDataAdapter(x, y, batch_size=4, shuffle=True)
    order = np.concatenate([b[1] for b in shuffled])
    assert sorted(order) == list(range(10))
    epochs = {tuple(np.concatenate([b[1] for b in shuffled])) for _ in range(5)}
    assert len(epochs) > 1
    within = data_adapters.ArrayDataAdapter(x, y, batch_size=4, shuffle="batch")
    for i, (bx, by) in enumerate(within):
        assert sorted(by) == list(range(4 * i, min(4 * i + 4, 10)))
        np.testing.assert_array_equal(bx[:, 0], by)


def test_array_adapter_default_batch_size_and_steps():
    x = np.zeros((100, 2))
    assert data_adapters.ArrayDataAdapter(x).batch_size == 32
    assert data_adapters.ArrayDataAdapter(x, steps=3).batch_size == 34


def test_array_adapter_structures_and_tensors():
    x = {"a": tf.constant(np.arange(6.0).reshape(3, 2)), "b": np.arange(3)}
    y = [np.arange(3), np.arange(3) * 2]
    adapter = data_adapters.ArrayDataAdapter(x, y, sample_weight=np.ones(3), batch_size=2)
    (bx, by, bw), _ = list(adapter)
    assert set(bx) == {"a", "b"} and isinstance(bx["a"], np.ndarray)
    np.testing.assert_array_equal(bx["a"], [[0.0, 1.0], [2.0, 3.0]])
    assert isinstance(by, list) and len(bw) == 2  # one weight array per output


def test_array_adapter_errors():
    with pytest.raises(ValueError, match="Data cardinality is ambiguous"):
        data_adapters.ArrayDataAdapter(np.zeros((3, 1)), np.zeros(4))
    with pytest.raises(ValueError, match="`class_weight` is only supported for Models with a single output."):
        data_adapters.ArrayDataAdapter(np.zeros((3, 1)), [np.zeros(3), np.zeros(3)], class_weight={0: 1.0})
    with pytest.raises(ValueError, match="one scalar score per sample"):
        data_adapters.ArrayDataAdapter(np.zeros((3, 1)), [np.zeros(3), np.zeros(3)], sample_weight=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="You should provide one `sample_weight` array per output"):
        data_adapters.ArrayDataAdapter(np.zeros((3, 1)), [np.zeros(3), np.zeros(3)], sample_weight=[np.zeros(3)])


def test_train_validation_split():
    x, y = np.arange(10), np.arange(10) * 2
    (tx, ty, tw), (vx, vy, vw) = data_adapters.train_validation_split((x, y, None), 0.3)
    np.testing.assert_array_equal(tx, np.arange(7))
    np.testing.assert_array_equal(vy, [14, 16, 18])
    assert tw is None and vw is None

    def generator():
        yield x, y

    with pytest.raises(ValueError, match="`validation_split` is only supported for tensors or NumPy arrays"):
        data_adapters.train_validation_split((generator(), None, None), 0.2)


def test_generator_adapter_checks_its_first_batch():
    with pytest.raises(ValueError, match="the generator must yield at least one batch"):
        data_adapters.GeneratorDataAdapter(iter(()))
    with pytest.raises(ValueError, match="the generator must return a tuple"):
        data_adapters.GeneratorDataAdapter(b for b in [np.zeros(2)])


def test_get_data_adapter_dispatch_and_errors():
    def gen():
        yield np.zeros((2, 1)), np.zeros(2)

    assert isinstance(data_adapters.get_data_adapter(np.zeros((2, 1))), data_adapters.ArrayDataAdapter)
    assert isinstance(data_adapters.get_data_adapter(gen()), data_adapters.GeneratorDataAdapter)
    with pytest.raises(ValueError, match="When providing `x` as a generator, `sample_weights` should not be passed"):
        data_adapters.get_data_adapter(gen(), sample_weight=np.zeros(2))
    with pytest.raises(ValueError, match="`class_weight` is not supported for Python generator inputs"):
        data_adapters.get_data_adapter(gen(), class_weight={0: 1.0})
    with pytest.warns(UserWarning, match="`shuffle=True` was passed, but will be ignored"):
        data_adapters.get_data_adapter(gen(), shuffle=True)
    with pytest.raises(ValueError, match="Unrecognized data type"):
        data_adapters.get_data_adapter(3)


def test_py_dataset_without_super_init_warns():
    class Lazy(keras.utils.PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 1

        def __getitem__(self, index):
            return np.zeros((2, 1)), np.zeros(2)

    with pytest.warns(UserWarning, match="should call `super\\(\\).__init__\\(\\*\\*kwargs\\)`"):
        batches = list(data_adapters.get_data_adapter(Lazy()))
    assert len(batches) == 1
    with pytest.raises(NotImplementedError, match="use_multiprocessing=True is not supported yet"):
        data_adapters.PyDatasetAdapter(type("M", (keras.utils.PyDataset,), {"__len__": lambda self: 1})(
            use_multiprocessing=True))


def test_py_dataset_class_weight_and_bad_batches():
    class Batches(keras.utils.PyDataset):
        def __init__(self, batch):
            super().__init__()
            self.batch = batch

        def __len__(self):
            return 1

        def __getitem__(self, index):
            return self.batch

    adapter = data_adapters.PyDatasetAdapter(Batches((np.zeros((2, 1)), np.array([0, 1]))), class_weight={1: 4.0})
    (_, _, weights), = list(adapter)
    np.testing.assert_array_equal(weights, [1.0, 4.0])
    with pytest.raises(ValueError, match="PyDataset.__getitem__\\(\\) must return a tuple or a dict"):
        list(data_adapters.PyDatasetAdapter(Batches((1, 2, 3, 4))))


def test_epoch_iterator_steps_per_execution_and_steps_per_epoch():
    x = np.arange(10)[:, None]
    steps = [(b, e, len(batches)) for b, e, batches in EpochIterator(x, batch_size=2, steps_per_execution=2)]
    assert steps == [(0, 1, 2), (2, 3, 2), (4, 5, 1)]
    iterator = EpochIterator(x, batch_size=2, steps_per_epoch=3)
    first = [batches[0][0, 0] for _, _, batches in iterator]
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        second = [batches[0][0, 0] for _, _, batches in iterator]
    assert first == [0, 2, 4] and second == [6, 8]  # carries on, then the data runs out
    assert iterator.num_batches == 3


def test_epoch_iterator_learns_the_length_of_a_generator():
    def gen():
        for i in range(3):
            yield (np.full((1, 1), i),)

    iterator = EpochIterator(gen())
    assert iterator.num_batches is None
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        assert len(list(iterator)) == 3
    assert iterator.num_batches == 3


# -- compiled loss and metrics ---------------------------------------------------------------------------------
def test_compile_loss_single_and_weighted_outputs():
    y_true = tf.constant([[1.0], [2.0]])
    y_pred = tf.constant([[1.5], [2.0]])
    single = compile_utils.CompileLoss("mse")
    assert float(single(y_true, y_pred)) == pytest.approx(0.125)
    assert single.metrics == []
    multi = compile_utils.CompileLoss(["mse", "mae"], loss_weights=[2.0, 1.0], output_names=["a", "b"])
    total = multi([y_true, y_true], [y_pred, y_pred])
    assert float(total) == pytest.approx(2 * 0.125 + 0.25)
    assert [m.name for m in multi.metrics] == ["a_loss", "b_loss"]
    assert float(multi.metrics[1].result()) == pytest.approx(0.25)


def test_compile_loss_dict_and_missing_outputs():
    y = {"a": tf.constant([[1.0]]), "b": tf.constant([[3.0]])}
    loss = compile_utils.CompileLoss({"b": "mse"}, output_names=["a", "b"])
    assert float(loss(y, {"a": tf.constant([[0.0]]), "b": tf.constant([[1.0]])})) == pytest.approx(4.0)
    with pytest.raises(ValueError, match="Expected keys"):
        compile_utils.CompileLoss({"c": "mse"}, output_names=["a", "b"])(y, y)
    with pytest.raises(ValueError, match="Expected `loss_weights` argument to be a float"):
        compile_utils.CompileLoss("mse", loss_weights="heavy")


def test_crossentropy_and_accuracy_resolve_from_shapes():
    probabilities = tf.constant([[0.2, 0.8], [0.9, 0.1]])
    sparse, one_hot, binary = tf.constant([1, 0]), tf.constant([[0.0, 1.0], [1.0, 0.0]]), tf.constant([[1.0]])
    assert type(compile_utils.get_metric("accuracy", sparse, probabilities)).__name__ == "SparseCategoricalAccuracy"
    assert type(compile_utils.get_metric("acc", one_hot, probabilities)).__name__ == "CategoricalAccuracy"
    assert type(compile_utils.get_metric("accuracy", binary, tf.constant([[0.3]]))).__name__ == "BinaryAccuracy"
    loss = compile_utils.get_loss("crossentropy", sparse, probabilities)
    assert float(loss(sparse, probabilities)) == pytest.approx(-np.log([0.8, 0.9]).mean(), rel=1e-6)


def test_compile_metrics_names():
    y = [tf.constant([1, 0]), tf.constant([1, 0])]
    p = [tf.constant([[0.2, 0.8], [0.9, 0.1]]), tf.constant([[0.6, 0.4], [0.9, 0.1]])]
    metrics = compile_utils.CompileMetrics([["accuracy", "accuracy"], ["accuracy"]], [["accuracy"], []],
                                           output_names=["x", "z"])
    metrics.update_state(y, p, sample_weight=[tf.constant([1.0, 0.0]), tf.constant([1.0, 1.0])])
    results = {k: float(v) for k, v in metrics.result().items()}
    assert results == {"x_accuracy": 1.0, "x_accuracy_1": 1.0, "z_accuracy": 0.5, "x_weighted_accuracy": 1.0}
    with pytest.raises(ValueError, match="Cannot get result"):
        compile_utils.CompileMetrics(["mae"], None).result()


def test_deprecated_compiled_loss_and_metrics():
    class OldStyle(keras.Sequential):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    model = OldStyle([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    with pytest.warns(UserWarning, match="is deprecated"):
        history = model.fit(np.ones((4, 1)), np.ones((4, 1)), verbose=0)
    assert set(history.history) == {"loss", "mae"}
