"""keras.callbacks.TensorBoard: logs read back with the real ``tensorboard`` package (and its server)."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

from ndflow import keras

pytest.importorskip("google.protobuf")
tb_accumulator = pytest.importorskip("tensorboard.backend.event_processing.plugin_event_accumulator")
tensor_util = pytest.importorskip("tensorboard.util.tensor_util")


def _data(n=48):
    rng = np.random.default_rng(0)
    x = rng.random((n, 3)).astype("float32")
    return x, (x.sum(axis=1) > 1.5).astype("float32")


def _model(lib=keras):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(4, activation="relu"),
                            lib.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=lib.optimizers.SGD(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _load(logdir):
    acc = tb_accumulator.EventAccumulator(str(logdir), size_guidance={"tensors": 0})
    acc.Reload()
    return acc


def _scalars(acc, tag):
    return [(e.step, float(tensor_util.make_ndarray(e.tensor_proto))) for e in acc.Tensors(tag)]


def test_fit_writes_train_and_validation_logs(tmp_path):
    x, y = _data()
    model = _model()
    callback = keras.callbacks.TensorBoard(log_dir=str(tmp_path / "run"), histogram_freq=1)
    history = model.fit(x, y, epochs=3, batch_size=16, validation_data=(x[:16], y[:16]), verbose=0,
                        callbacks=[callback])
    assert sorted(os.listdir(tmp_path / "run")) == ["train", "validation"]
    train, val = _load(tmp_path / "run" / "train"), _load(tmp_path / "run" / "validation")
    for acc, prefix in ((train, ""), (val, "val_")):
        for metric in ("loss", "accuracy"):
            got = _scalars(acc, f"epoch_{metric}")
            assert [s for s, _ in got] == [0, 1, 2]
            np.testing.assert_allclose([v for _, v in got], history.history[prefix + metric], rtol=1e-6)
    assert _scalars(train, "epoch_learning_rate") == [(0, pytest.approx(0.05)), (1, pytest.approx(0.05)),
                                                      (2, pytest.approx(0.05))]
    iterations = [s for s, _ in _scalars(val, "evaluation_loss_vs_iterations")]
    assert iterations == [3, 6, 9]
    kernel = model.layers[0].kernel.numpy()
    (step, buckets) = [(e.step, tensor_util.make_ndarray(e.tensor_proto))
                       for e in train.Tensors("sequential/dense/kernel/histogram")][-1]
    assert step == 2 and buckets.shape == (30, 3) and buckets[:, 2].sum() == kernel.size
    assert buckets[0, 0] == pytest.approx(kernel.min()) and buckets[-1, 1] == pytest.approx(kernel.max())
    assert {"sequential/dense/bias/histogram", "sequential/dense_1/kernel/histogram"} <= set(
        train.Tags()["tensors"])
    keras_config = train.Tensors("keras")[0]
    assert json.loads(tensor_util.make_ndarray(keras_config.tensor_proto).item())["class_name"] == "Sequential"
    ops = [node.op for node in train.Graph().node]
    assert "Placeholder" in ops and "Sigmoid" in ops


def test_batch_level_scalars_and_images(tmp_path):
    x, y = _data(64)
    model = _model()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(str(tmp_path), update_freq="batch", write_graph=False,
                                                     histogram_freq=1, write_images=True,
                                                     write_steps_per_second=True)])
    train = _load(tmp_path / "train")
    assert [s for s, _ in _scalars(train, "batch_loss")] == [1, 2, 3, 4]
    assert [s for s, _ in _scalars(train, "batch_steps_per_second")] == [1, 2, 3, 4]
    (step, rate), = _scalars(train, "epoch_steps_per_second")
    assert step == 0 and rate > 0
    assert "keras" not in train.Tags()["tensors"] and not train.Tags()["graph"]
    image = tensor_util.make_ndarray(train.Tensors("sequential/dense/kernel/image")[0].tensor_proto)
    assert image[:2].tolist() == [b"4", b"3"]  # width, height: the 3x4 kernel as 3 rows of 4 pixels
    assert not os.path.exists(tmp_path / "validation")


def test_profiling_and_embeddings_are_ignored(tmp_path, caplog):
    x, y = _data(16)
    callback = keras.callbacks.TensorBoard(str(tmp_path), profile_batch=2, embeddings_freq=1, write_graph=False)
    assert "embeddings are not supported" in caplog.text
    _model().fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[callback])
    assert os.listdir(tmp_path) == ["train"]


@pytest.mark.parity
def test_same_tags_and_steps_as_keras(tmp_path):
    real_keras = pytest.importorskip("keras")
    x, y = _data(64)

    def run(lib, logdir):
        _model(lib).fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0,
                        callbacks=[lib.callbacks.TensorBoard(logdir, histogram_freq=1, update_freq=2,
                                                             write_images=True)])
        out = {}
        for run_name in ("train", "validation"):
            acc = _load(os.path.join(logdir, run_name))
            # Keras on TF 2.21 writes no train-step graph (its train function lacks ``function_spec``); we do
            out[run_name] = {tag: [e.step for e in acc.Tensors(tag)] for tag in acc.Tags()["tensors"]
                             if tag != "__run_graph__"}
        return out

    assert run(keras, str(tmp_path / "ours")) == run(real_keras, str(tmp_path / "theirs"))


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def _start_tensorboard(logdir):
    """A ``tensorboard`` server on a free port once it serves both runs' scalars, and its base URL (skips when
    it cannot start)."""
    port = _free_port()
    command = [sys.executable, "-m", "tensorboard.main", "--logdir", str(logdir), "--port", str(port),
               "--host", "127.0.0.1", "--load_fast", "false", "--reload_interval", "1"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            tags = json.loads(_get(f"{base}/data/plugin/scalars/tags"))
            if all(tags.get(run) for run in ("train", "validation")):
                return server, base
        except OSError:
            pass
        if server.poll() is not None:
            pytest.skip("tensorboard could not start")
        time.sleep(0.5)
    server.kill()
    pytest.fail("tensorboard served no scalars within 60 s")


def _fit_logs(logdir):
    x, y = _data()
    model = _model()
    history = model.fit(x, y, epochs=2, batch_size=16, validation_data=(x[:16], y[:16]), verbose=0,
                        callbacks=[keras.callbacks.TensorBoard(str(logdir), histogram_freq=1)])
    return history


def test_tensorboard_server_serves_our_logs(tmp_path):
    pytest.importorskip("tensorboard.main")
    history = _fit_logs(tmp_path)
    server, base = _start_tensorboard(tmp_path)
    try:
        assert sorted(json.loads(_get(f"{base}/data/runs"))) == ["train", "validation"]
        tags = json.loads(_get(f"{base}/data/plugin/scalars/tags"))
        assert {"epoch_loss", "epoch_accuracy", "epoch_learning_rate"} <= set(tags["train"])
        assert {"epoch_loss", "evaluation_loss_vs_iterations"} <= set(tags["validation"])
        points = json.loads(_get(f"{base}/data/plugin/scalars/scalars?run=train&tag=epoch_loss"))
        assert [p[1] for p in points] == [0, 1]
        np.testing.assert_allclose([p[2] for p in points], history.history["loss"], rtol=1e-6)
        histograms = json.loads(_get(f"{base}/data/plugin/histograms/tags"))
        assert "sequential/dense/kernel/histogram" in histograms["train"]
        graph = _get(f"{base}/data/plugin/graphs/graph?run=train&conceptual=false").decode()
        assert 'op: "Placeholder"' in graph and 'op: "Sigmoid"' in graph
    finally:
        server.kill()
        server.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None and not os.path.exists("/usr/bin/chromium"),
                    reason="needs headless Chromium")
def test_screenshot_of_tensorboard_scalars(tmp_path):
    pytest.importorskip("tensorboard.main")
    _fit_logs(tmp_path / "logs")
    server, base = _start_tensorboard(tmp_path / "logs")
    shot = tmp_path / "scalars.png"
    try:
        browser = shutil.which("chromium") or "/usr/bin/chromium"
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=15000",
                        "--window-size=1280,900", f"--screenshot={shot}", f"{base}/#scalars"],
                       timeout=120, check=True, capture_output=True)
    finally:
        server.kill()
        server.wait(timeout=10)
    from PIL import Image

    pixels = np.asarray(Image.open(shot).convert("RGB"))
    assert pixels.shape[:2] == (900, 1280) and pixels.std() > 5  # a rendered page, not a blank one


def test_spec_run_logdir_layout(tmp_path):
    """001b.md: one directory per run under ``my_logs``, with ``train/`` and ``validation/`` event files."""
    import re

    root_logdir = os.path.join(str(tmp_path), "my_logs")
    run_logdir = os.path.join(root_logdir, time.strftime("run_%Y_%m_%d-%H_%M_%S"))
    x, y = _data()
    checkpoint_cb = keras.callbacks.ModelCheckpoint(str(tmp_path / "model.keras"), save_best_only=True)
    tensorboard_cb = keras.callbacks.TensorBoard(run_logdir)
    _model().fit(x, y, epochs=2, validation_data=(x[:16], y[:16]), verbose=0,
                 callbacks=[checkpoint_cb, tensorboard_cb])
    pattern = re.compile(r"events\.out\.tfevents\.\d{10}\." + re.escape(socket.gethostname()) + r"\.\d+\.\d+\.v2")
    for run in ("train", "validation"):
        (name,) = os.listdir(os.path.join(run_logdir, run))
        assert pattern.fullmatch(name), name
    assert os.path.exists(tmp_path / "model.keras")
