"""Callbacks driven by hand with a stand-in model: logic, printed messages (parity with Keras 3) and files."""
import csv
import math
import warnings

import numpy as np
import pytest

from ndflow.keras import callbacks


class FakeOptimizer:
    def __init__(self, learning_rate=0.1):
        self.learning_rate = learning_rate
        self.name = "sgd"
        self.built = True


class FakeModel:
    """Just what callbacks touch: weights, ``stop_training``, ``optimizer``, ``metrics``, saving."""

    def __init__(self):
        self.weights = [np.zeros(2)]
        self.stop_training = False
        self.optimizer = FakeOptimizer()
        self.metrics = []
        self.saved = []
        self.built = True

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]

    def save(self, filepath, overwrite=True):
        self.saved.append(filepath)
        open(filepath, "w").close()

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(filepath)
        np.save(filepath + ".npy", self.weights[0])
        open(filepath, "w").close()

    def load_weights(self, filepath):
        self.weights = [np.load(filepath + ".npy")]


def _run_epochs(callback, model, logs_per_epoch, weights_per_epoch=None):
    """``fit``'s calls: begin, then per epoch begin/end (weights changed as given), then end."""
    callback.set_model(model)
    callback.on_train_begin()
    for epoch, logs in enumerate(logs_per_epoch):
        callback.on_epoch_begin(epoch)
        if weights_per_epoch is not None:
            model.weights = [np.full(2, weights_per_epoch[epoch], dtype=float)]
        callback.on_epoch_end(epoch, dict(logs))
        if model.stop_training:
            break
    callback.on_train_end()
    return epoch


def _keras_callbacks():
    keras = pytest.importorskip("keras")
    return keras.callbacks


# -- base class and CallbackList -------------------------------------------------------------------------------
def test_base_hooks_exist_and_batch_aliases_forward():
    seen = []

    class OldStyle(callbacks.Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, logs))

    cb = OldStyle()
    cb_list = callbacks.CallbackList([cb], model=FakeModel(), verbose=0, epochs=1, steps=1)
    cb_list.on_train_batch_begin(0)
    cb_list.on_train_batch_end(0, {"loss": np.float32(0.5)})
    assert seen == [("begin", 0), ("end", 0, {"loss": 0.5})]
    assert type(seen[1][2]["loss"]) is float
    assert cb.params == {"verbose": 0, "epochs": 1, "steps": 1}
    for hook in ("on_train_begin", "on_train_end", "on_test_begin", "on_test_end", "on_predict_begin",
                 "on_predict_end", "on_epoch_begin", "on_epoch_end", "on_test_batch_begin", "on_test_batch_end",
                 "on_predict_batch_begin", "on_predict_batch_end"):
        assert callable(getattr(callbacks.Callback(), hook))


def test_callback_list_adds_history_and_progbar_once():
    history = callbacks.History()
    model = FakeModel()
    cb_list = callbacks.CallbackList([history], add_history=True, add_progbar=True, model=model, verbose=1,
                                     epochs=1, steps=2)
    assert [type(c).__name__ for c in cb_list.callbacks] == ["History", "ProgbarLogger"]
    assert model.history is history
    assert cb_list.callbacks[1].target == 2


def test_callback_list_sorts_and_flattens_logs():
    got = []
    cb = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: got.append(logs))
    cb_list = callbacks.CallbackList([[cb]], model=FakeModel())
    cb_list.on_epoch_end(0, {"val": {"b": np.float64(2.0), "a": 1}, "c": np.array([1.0, 2.0])})
    assert list(got[0]) == ["c", "a", "b"]  # top-level keys sorted, nested dicts merged in place
    assert got[0]["a"] == 1.0 and isinstance(got[0]["c"], np.ndarray)


def test_history_records_epochs():
    model = FakeModel()
    history = callbacks.History()
    _run_epochs(history, model, [{"loss": 1.0}, {"loss": 0.5, "acc": 0.9}])
    assert history.epoch == [0, 1]
    assert history.history == {"loss": [1.0, 0.5], "acc": [0.9]}
    assert model.history is history


# -- EarlyStopping ---------------------------------------------------------------------------------------------
EARLY_STOPPING_CASES = [
    (dict(monitor="val_loss", patience=2, verbose=1, restore_best_weights=True), [0.9, 0.5, 0.6, 0.7, 0.4]),
    (dict(monitor="val_loss", patience=0, verbose=1), [0.9, 0.95, 0.3]),
    (dict(monitor="val_loss", patience=1, verbose=1, min_delta=0.1), [1.0, 0.95, 0.92, 0.5]),
    (dict(monitor="val_loss", patience=1, verbose=1, baseline=0.1, restore_best_weights=True), [1.0, 0.9, 0.8, 0.7]),
    (dict(monitor="val_acc", mode="max", patience=1, verbose=1, start_from_epoch=2), [0.1, 0.05, 0.5, 0.4, 0.3]),
    (dict(monitor="val_loss", patience=5, verbose=1, restore_best_weights=True), [0.5, 0.4, 0.6]),
]


@pytest.mark.parity
@pytest.mark.parametrize("case", range(len(EARLY_STOPPING_CASES)))
def test_early_stopping_matches_keras(case, capsys):
    keras_callbacks = _keras_callbacks()
    kwargs, values = EARLY_STOPPING_CASES[case]
    key = kwargs["monitor"]
    results = []
    for module in (keras_callbacks, callbacks):
        model = FakeModel()
        cb = module.EarlyStopping(**kwargs)
        last = _run_epochs(cb, model, [{key: v} for v in values], weights_per_epoch=range(len(values)))
        results.append((last, cb.stopped_epoch, cb.best, cb.wait, model.get_weights()[0].tolist(),
                        capsys.readouterr().out))
    assert results[0] == results[1]


def test_early_stopping_messages_and_restore(capsys):
    model = FakeModel()
    cb = callbacks.EarlyStopping(patience=1, verbose=1, restore_best_weights=True)
    last = _run_epochs(cb, model, [{"val_loss": v} for v in (0.5, 0.3, 0.4, 0.45)], weights_per_epoch=[0, 1, 2, 3])
    assert last == 2
    assert capsys.readouterr().out == ("Epoch 3: early stopping\n"
                                       "Restoring model weights from the end of the best epoch: 2.\n")
    assert model.weights[0].tolist() == [1.0, 1.0]


def test_early_stopping_missing_monitor_warns():
    cb = callbacks.EarlyStopping(monitor="val_auc", mode="max")
    with pytest.warns(UserWarning, match="Early stopping conditioned on metric `val_auc` which is not available"):
        _run_epochs(cb, FakeModel(), [{"loss": 1.0}])


def test_auto_mode_needs_a_known_direction():
    cb = callbacks.EarlyStopping(monitor="val_custom")
    with pytest.raises(ValueError, match="isn't able to automatically determine"):
        _run_epochs(cb, FakeModel(), [{"val_custom": 1.0}])


def test_unknown_mode_warns_and_falls_back():
    with pytest.warns(UserWarning, match="EarlyStopping mode 'bigger' is unknown, fallback to auto mode."):
        cb = callbacks.EarlyStopping(mode="bigger")
    assert cb.mode == "auto"


# -- learning rate callbacks -----------------------------------------------------------------------------------
@pytest.mark.parity
def test_learning_rate_scheduler_matches_keras(capsys):
    keras_callbacks = _keras_callbacks()
    outputs = []
    for module in (keras_callbacks, callbacks):
        model = FakeModel()
        cb = module.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr, verbose=1)
        logs = [{"loss": 1.0}, {"loss": 0.5}, {"loss": 0.25}]
        cb.set_model(model)
        seen = []
        for epoch, log in enumerate(logs):
            cb.on_epoch_begin(epoch)
            cb.on_epoch_end(epoch, log)
            seen.append(log.get("learning_rate"))
        outputs.append((seen, model.optimizer.learning_rate, capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert outputs[1][0] == [0.1, 0.05, 0.025]


def test_learning_rate_scheduler_old_signature_and_bad_output():
    model = FakeModel()
    cb = callbacks.LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1))
    cb.set_model(model)
    cb.on_epoch_begin(2)
    assert math.isclose(model.optimizer.learning_rate, 0.03)
    bad = callbacks.LearningRateScheduler(lambda epoch, lr: "fast")
    bad.set_model(model)
    with pytest.raises(ValueError, match="The output of the `schedule` function should be a float. Got: fast"):
        bad.on_epoch_begin(0)


@pytest.mark.parity
def test_reduce_lr_on_plateau_matches_keras(capsys):
    keras_callbacks = _keras_callbacks()
    values = [1.0, 0.9, 0.9, 0.9, 0.9, 0.85, 0.85, 0.85, 0.85]
    outputs = []
    for module in (keras_callbacks, callbacks):
        model = FakeModel()
        cb = module.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, cooldown=1, min_lr=0.02,
                                      verbose=1)
        lrs = []
        cb.set_model(model)
        cb.on_train_begin()
        for epoch, value in enumerate(values):
            logs = {"val_loss": value}
            cb.on_epoch_end(epoch, logs)
            lrs.append((model.optimizer.learning_rate, logs["learning_rate"]))
        outputs.append((lrs, capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert "ReduceLROnPlateau reducing learning rate to 0.05." in outputs[1][1]


def test_reduce_lr_rejects_factor_above_one():
    with pytest.raises(ValueError, match="ReduceLROnPlateau does not support a factor >= 1.0. Received factor=2"):
        callbacks.ReduceLROnPlateau(factor=2)


# -- checkpointing ---------------------------------------------------------------------------------------------
@pytest.mark.parity
def test_model_checkpoint_save_best_only_matches_keras(tmp_path, capsys):
    keras_callbacks = _keras_callbacks()
    outputs = []
    for name, module in (("theirs", keras_callbacks), ("ours", callbacks)):
        model = FakeModel()
        pattern = str(tmp_path / name / "model-{epoch:02d}-{val_loss:.2f}.keras")
        cb = module.ModelCheckpoint(pattern, save_best_only=True, verbose=1)
        _run_epochs(cb, model, [{"val_loss": v, "loss": 1.0} for v in (0.5, 0.7, 0.25)])
        saved = [p.replace(str(tmp_path / name), "") for p in model.saved]
        outputs.append((saved, capsys.readouterr().out.replace(str(tmp_path / name), "")))
    assert outputs[0] == outputs[1]
    assert outputs[1][0] == ["/model-01-0.50.keras", "/model-03-0.25.keras"]


def test_model_checkpoint_weights_every_n_batches(tmp_path):
    model = FakeModel()
    cb = callbacks.ModelCheckpoint(str(tmp_path / "w-{epoch}-{batch}.weights.h5"), save_weights_only=True,
                                   save_freq=2)
    cb.set_model(model)
    cb.on_train_begin()
    for epoch in range(2):
        cb.on_epoch_begin(epoch)
        for batch in range(3):
            cb.on_train_batch_end(batch, {"loss": 1.0})
        cb.on_epoch_end(epoch, {"loss": 1.0})
    assert [p.split("/")[-1] for p in model.saved] == ["w-1-2.weights.h5", "w-2-1.weights.h5", "w-2-3.weights.h5"]


def test_model_checkpoint_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="must end in `.weights.h5`"):
        callbacks.ModelCheckpoint(str(tmp_path / "x.keras"), save_weights_only=True)
    with pytest.raises(ValueError, match="The filepath provided must end in `.keras`"):
        callbacks.ModelCheckpoint(str(tmp_path / "x.ckpt"))
    with pytest.raises(ValueError, match="Unrecognized save_freq: often"):
        callbacks.ModelCheckpoint(str(tmp_path / "x.keras"), save_freq="often")
    cb = callbacks.ModelCheckpoint(str(tmp_path / "{missing}.keras"))
    cb.set_model(FakeModel())
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        cb.on_epoch_end(0, {"val_loss": 1.0})


def test_backup_and_restore_resumes(tmp_path):
    backup = tmp_path / "backup"
    model = FakeModel()
    cb = callbacks.BackupAndRestore(str(backup), delete_checkpoint=False)
    cb.set_model(model)
    cb.on_train_begin()
    model.weights = [np.array([3.0, 4.0])]
    cb.on_epoch_end(0)
    cb.on_epoch_end(1)
    fresh = FakeModel()
    cb2 = callbacks.BackupAndRestore(str(backup))
    cb2.set_model(fresh)
    cb2.on_train_begin()
    assert fresh._initial_epoch == 2
    assert fresh.weights[0].tolist() == [3.0, 4.0]
    cb2.on_train_end()
    assert not backup.exists()
    with pytest.raises(ValueError, match="Empty `backup_dir` argument passed"):
        callbacks.BackupAndRestore("")


# -- loggers and small callbacks -------------------------------------------------------------------------------
@pytest.mark.parity
def test_csv_logger_matches_keras(tmp_path):
    keras_callbacks = _keras_callbacks()
    texts = []
    for name, module in (("theirs.csv", keras_callbacks), ("ours.csv", callbacks)):
        path = tmp_path / name
        for append in (False, True):
            cb = module.CSVLogger(str(path), separator=";", append=append)
            _run_epochs(cb, FakeModel(), [{"loss": 0.5, "acc": 0.25}, {"loss": 0.125, "acc": 0.5}])
        texts.append(path.read_text())
    assert texts[0] == texts[1]
    rows = list(csv.reader(texts[1].splitlines(), delimiter=";"))
    assert rows[0] == ["epoch", "acc", "loss", "val_acc", "val_loss"]
    assert rows[1] == ["0", "0.25", "0.5", "NA", "NA"] and len(rows) == 5


def test_terminate_on_nan(capsys):
    model = FakeModel()
    cb = callbacks.TerminateOnNaN()
    cb.set_model(model)
    cb.on_train_batch_end(0, {"loss": 1.0})
    assert not model.stop_training
    cb.on_train_batch_end(3, {"loss": float("nan")})
    assert model.stop_training
    assert capsys.readouterr().out == "Batch 3: Invalid loss, terminating training\n"
    strict = callbacks.TerminateOnNaN(raise_error=True)
    strict.set_model(model)
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 1"):
        strict.on_train_batch_end(1, {"loss": float("inf")})


def test_lambda_callback_hooks_and_extra_kwargs():
    calls = []
    cb = callbacks.LambdaCallback(on_train_begin=lambda logs: calls.append("train_begin"),
                                  on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch)),
                                  on_test_begin=lambda logs: calls.append("test_begin"))
    cb_list = callbacks.CallbackList([cb], model=FakeModel())
    cb_list.on_train_begin()
    cb_list.on_epoch_end(4)
    cb_list.on_test_begin()
    cb_list.on_train_end()
    assert calls == ["train_begin", ("epoch_end", 4), "test_begin"]


def test_unavailable_callbacks_say_so():
    for cls in (callbacks.RemoteMonitor,):
        with pytest.raises(NotImplementedError, match="is not supported yet"):
            cls()


def test_no_warnings_from_plain_runs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _run_epochs(callbacks.History(), FakeModel(), [{"loss": 1.0}])
