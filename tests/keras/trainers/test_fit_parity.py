"""``fit``/``evaluate``/``predict`` against real Keras 3: printed output, logs, values and callback order.

Both models start from the same weights and train with SGD on unshuffled data, so the numbers agree too.
Timings are replaced by a token; a slow fake clock makes the number of progress-bar redraws deterministic.
"""
import contextlib
import io
import os
import re
import time

import numpy as np
import pytest

from ndflow import keras as nd_keras

pytestmark = pytest.mark.parity


@pytest.fixture(scope="module")
def real_keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("keras")


@pytest.fixture
def slow_clock(monkeypatch):
    """``time.time`` advancing by a microsecond per call: only the first and last update of a bar redraw."""
    state = {"now": 1000.0}

    def fake():
        state["now"] += 1e-6
        return state["now"]

    monkeypatch.setattr(time, "time", fake)


def _normalize(text):
    text = re.sub(r"\d+(ms|us|s)/step", "T/step", text)
    text = re.sub(r"\x1b\[1m(\d+:)*\d+s?\x1b\[0m", "\x1b[1mT\x1b[0m", text)
    text = re.sub(r" - \d+s - ", " - T - ", text)
    return re.sub("\b+", "<BS>", text)


def _captured(fn):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        result = fn()
    return _normalize(buffer.getvalue()), result


def _data(n=50):
    rng = np.random.default_rng(0)
    x = rng.random((n, 4)).astype("float32")
    return x, (x.sum(axis=1) > 2).astype("int32")


def _classifier(keras, metrics=("accuracy",)):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy", metrics=list(metrics))
    return model


def _pair(real_keras, **kwargs):
    theirs, ours = _classifier(real_keras, **kwargs), _classifier(nd_keras, **kwargs)
    ours.set_weights(theirs.get_weights())
    return theirs, ours


FIT_CASES = {
    "verbose 1, validation_split": dict(epochs=2, batch_size=16, verbose=1, validation_split=0.2),
    "verbose 2, validation_data": dict(epochs=2, batch_size=16, verbose=2, validation_data="train"),
    "verbose 1, one epoch": dict(epochs=1, batch_size=64, verbose=1),
    "verbose auto, validation_freq": dict(epochs=3, batch_size=20, validation_data="train", validation_freq=2),
    "verbose 0": dict(epochs=2, batch_size=16, verbose=0),
    "initial_epoch": dict(epochs=3, initial_epoch=1, batch_size=25, verbose=2),
}


@pytest.mark.parametrize("case", sorted(FIT_CASES))
def test_fit_output_and_history_match_keras(real_keras, slow_clock, case):
    x, y = _data()
    kwargs = dict(FIT_CASES[case], shuffle=False)
    if kwargs.get("validation_data") == "train":
        kwargs["validation_data"] = (x, y)
    theirs, ours = _pair(real_keras)
    their_text, their_history = _captured(lambda: theirs.fit(x, y, **kwargs))
    our_text, our_history = _captured(lambda: ours.fit(x, y, **kwargs))
    assert our_text == their_text
    assert our_history.params == their_history.params
    assert our_history.epoch == their_history.epoch
    assert list(our_history.history) == list(their_history.history)
    for key, values in their_history.history.items():
        np.testing.assert_allclose(our_history.history[key], values, rtol=1e-5, atol=1e-6)
    for w_ours, w_theirs in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(w_ours, w_theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("verbose", [1, 2, 0, "auto"])
def test_evaluate_and_predict_output_match_keras(real_keras, slow_clock, verbose):
    x, y = _data()
    theirs, ours = _pair(real_keras)
    their_text, their_result = _captured(lambda: theirs.evaluate(x, y, batch_size=16, verbose=verbose))
    our_text, our_result = _captured(lambda: ours.evaluate(x, y, batch_size=16, verbose=verbose))
    assert our_text == their_text
    np.testing.assert_allclose(our_result, their_result, rtol=1e-5)
    their_text, their_pred = _captured(lambda: theirs.predict(x, batch_size=16, verbose=verbose))
    our_text, our_pred = _captured(lambda: ours.predict(x, batch_size=16, verbose=verbose))
    assert our_text == their_text
    np.testing.assert_allclose(our_pred, their_pred, rtol=1e-5, atol=1e-6)


def test_generator_output_matches_keras(real_keras, slow_clock, recwarn):
    x, y = _data(48)

    def batches():
        for i in range(3):
            yield x[i * 16:(i + 1) * 16], y[i * 16:(i + 1) * 16]

    theirs, ours = _pair(real_keras)
    texts = []
    for model in (theirs, ours):
        text, history = _captured(lambda model=model: model.fit(batches(), epochs=2, verbose=1))
        texts.append((text, history.history["loss"]))
    assert texts[1][0] == texts[0][0]
    np.testing.assert_allclose(texts[1][1], texts[0][1], rtol=1e-5)


def test_evaluate_return_values_match_keras(real_keras):
    x, y = _data()
    theirs, ours = _pair(real_keras, metrics=("accuracy", "sparse_categorical_crossentropy"))
    assert ours.metrics_names == theirs.metrics_names
    their_dict = theirs.evaluate(x, y, verbose=0, return_dict=True)
    our_dict = ours.evaluate(x, y, verbose=0, return_dict=True)
    assert list(our_dict) == list(their_dict)
    np.testing.assert_allclose(list(our_dict.values()), list(their_dict.values()), rtol=1e-5)
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0), rtol=1e-5)
    np.testing.assert_allclose(ours.train_on_batch(x, y), theirs.train_on_batch(x, y), rtol=1e-5)
    np.testing.assert_allclose(ours.test_on_batch(x, y), theirs.test_on_batch(x, y), rtol=1e-5)
    np.testing.assert_allclose(ours.predict_on_batch(x), theirs.predict_on_batch(x), rtol=1e-5, atol=1e-6)


def _multi_io(keras):
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    hidden = keras.layers.Dense(4, activation="relu", name="hidden")(keras.layers.Concatenate()([a, b]))
    out_reg = keras.layers.Dense(1, name="reg")(hidden)
    out_cls = keras.layers.Dense(3, activation="softmax", name="cls")(hidden)
    model = keras.Model(inputs=[a, b], outputs=[out_reg, out_cls])
    model.compile(keras.optimizers.SGD(0.05), loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
                  loss_weights={"reg": 0.5, "cls": 2.0}, metrics={"reg": ["mae"], "cls": ["accuracy"]})
    return model


def test_multi_input_multi_output_matches_keras(real_keras):
    rng = np.random.default_rng(1)
    xa, xb = rng.random((40, 3)).astype("float32"), rng.random((40, 2)).astype("float32")
    y_reg = rng.random((40, 1)).astype("float32")
    y_cls = rng.integers(0, 3, 40)
    theirs, ours = _multi_io(real_keras), _multi_io(nd_keras)
    ours.set_weights(theirs.get_weights())
    their_history = theirs.fit([xa, xb], [y_reg, y_cls], epochs=2, batch_size=8, shuffle=False, verbose=0)
    our_history = ours.fit([xa, xb], [y_reg, y_cls], epochs=2, batch_size=8, shuffle=False, verbose=0)
    assert list(our_history.history) == list(their_history.history)
    for key, values in their_history.history.items():
        np.testing.assert_allclose(our_history.history[key], values, rtol=1e-5, atol=1e-6)
    assert ours.metrics_names == theirs.metrics_names
    their_eval = theirs.evaluate({"a": xa, "b": xb}, {"reg": y_reg, "cls": y_cls}, verbose=0, return_dict=True)
    our_eval = ours.evaluate({"a": xa, "b": xb}, {"reg": y_reg, "cls": y_cls}, verbose=0, return_dict=True)
    assert our_eval.keys() == their_eval.keys()
    np.testing.assert_allclose([our_eval[k] for k in their_eval], list(their_eval.values()), rtol=1e-5)
    one_batch = ours.evaluate([xa, xb], [y_reg, y_cls], batch_size=40, verbose=0, return_dict=True)
    assert one_batch["loss"] == pytest.approx(0.5 * one_batch["reg_loss"] + 2.0 * one_batch["cls_loss"], rel=1e-5)
    their_pred = theirs.predict([xa, xb], verbose=0)
    our_pred = ours.predict([xa, xb], verbose=0)
    assert isinstance(our_pred, list) and len(our_pred) == 2
    for p_ours, p_theirs in zip(our_pred, their_pred):
        np.testing.assert_allclose(p_ours, p_theirs, rtol=1e-5, atol=1e-6)


def _hook_recorder(callback_module):
    class Recorder(callback_module.Callback):
        def __init__(self):
            super().__init__()
            self.calls = []

    hooks = ["on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_test_begin", "on_test_end",
             "on_predict_begin", "on_predict_end", "on_train_batch_begin", "on_train_batch_end",
             "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end"]
    for hook in hooks:
        def record(self, *args, _hook=hook, **kwargs):
            logs = args[-1] if args and isinstance(args[-1], dict) else kwargs.get("logs")
            index = args[0] if args and isinstance(args[0], int) else None
            self.calls.append((_hook, index, sorted(k for k in (logs or {}) if k != "outputs")))
        setattr(Recorder, hook, record)
    return Recorder()


def test_callback_hooks_order_matches_keras(real_keras):
    x, y = _data(30)
    theirs, ours = _pair(real_keras)
    recorded = []
    for model, module in ((theirs, real_keras.callbacks), (ours, nd_keras.callbacks)):
        recorder = _hook_recorder(module)
        model.fit(x, y, epochs=2, batch_size=16, validation_data=(x[:10], y[:10]), callbacks=[recorder], verbose=0)
        model.evaluate(x, y, batch_size=20, callbacks=[recorder], verbose=0)
        model.predict(x, batch_size=20, callbacks=[recorder], verbose=0)
        recorded.append(recorder.calls)
    assert recorded[1] == recorded[0]


def test_early_stopping_in_fit_matches_keras(real_keras, capsys):
    x, y = _data()
    theirs, ours = _pair(real_keras)
    outputs = []
    for model, module in ((theirs, real_keras.callbacks), (ours, nd_keras.callbacks)):
        stopper = module.EarlyStopping(monitor="loss", patience=1, min_delta=0.05, verbose=1,
                                       restore_best_weights=True)
        history = model.fit(x, y, epochs=6, batch_size=10, shuffle=False, callbacks=[stopper], verbose=0)
        outputs.append((history.epoch, capsys.readouterr().out, stopper.best_epoch))
    assert outputs[1] == outputs[0]
    for w_ours, w_theirs in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(w_ours, w_theirs, rtol=1e-5, atol=1e-6)
