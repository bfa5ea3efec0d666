"""``model.fit`` speed: ndflow.keras side by side with TF-Keras (Keras 3 on TensorFlow) and PyTorch.

Workloads (synthetic data, one epoch each, SGD):
  * MLP 784-300-100-10, ``sparse_categorical_crossentropy``, 60 000 x 784 samples, batch 32;
  * LeNet-5 on 10 000 x 28 x 28 x 1 images, batch 32;
  * LSTM(64) + Dense(1), MSE, on 2 000 sequences of length 50 (8 features), batch 32.

Every (framework, workload) pair runs in a fresh subprocess. ``seconds`` is the wall time of the one-epoch
``fit`` call (tracing/compilation included, as a user would see it). ``peak MB`` is how much the process's
peak resident set size (``resource.getrusage(...).ru_maxrss``) grew from just before the model is built
(the data already in memory) to the end of the epoch: it counts native allocations (TensorFlow's and
PyTorch's C++ buffers), which ``tracemalloc`` would miss. A row is skipped
cleanly when ndflow lacks one of its layers or a peer framework is not installed.

Usage: ``python benchmarks/keras_fit.py [mlp lenet5 lstm]``.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

WORKLOADS = {"mlp": "MLP 784-300-100-10, 60000 samples", "lenet5": "LeNet-5, 10000 images",
             "lstm": "LSTM(64), 2000 x 50 sequences"}
FRAMEWORKS = ("ndflow", "tf-keras", "torch")
BATCH = 32


def _data(workload: str) -> tuple:
    rng = np.random.default_rng(0)
    if workload == "mlp":
        return rng.random((60000, 784), dtype=np.float32), rng.integers(0, 10, 60000).astype("int64")
    if workload == "lenet5":
        return rng.random((10000, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, 10000).astype("int64")
    return rng.standard_normal((2000, 50, 8), dtype=np.float32), rng.standard_normal((2000, 1), dtype=np.float32)


def _keras_model(keras, workload: str):
    layers = keras.layers
    if workload == "mlp":
        stack = [keras.Input((784,)), layers.Dense(300, activation="relu"), layers.Dense(100, activation="relu"),
                 layers.Dense(10, activation="softmax")]
        loss = "sparse_categorical_crossentropy"
    elif workload == "lenet5":
        stack = [keras.Input((28, 28, 1)), layers.Conv2D(6, 5, padding="same", activation="tanh"),
                 layers.AveragePooling2D(2), layers.Conv2D(16, 5, activation="tanh"), layers.AveragePooling2D(2),
                 layers.Flatten(), layers.Dense(120, activation="tanh"), layers.Dense(84, activation="tanh"),
                 layers.Dense(10, activation="softmax")]
        loss = "sparse_categorical_crossentropy"
    else:
        stack = [keras.Input((50, 8)), layers.LSTM(64), layers.Dense(1)]
        loss = "mse"
    model = keras.Sequential(stack)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss=loss)
    return model


def _run_keras(keras, workload: str, x: np.ndarray, y: np.ndarray) -> float:
    model = _keras_model(keras, workload)
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    return time.perf_counter() - start


def _torch_model(torch, workload: str):
    nn = torch.nn
    if workload == "mlp":
        return nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, 10)), \
            nn.CrossEntropyLoss()
    if workload == "lenet5":
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 5),
                             nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.Tanh(),
                             nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10)), nn.CrossEntropyLoss()

    class LSTMRegressor(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(8, 64, batch_first=True)
            self.dense = nn.Linear(64, 1)

        def forward(self, x):
            return self.dense(self.lstm(x)[0][:, -1])

    return LSTMRegressor(), nn.MSELoss()


def _run_torch(workload: str, x: np.ndarray, y: np.ndarray) -> float:
    import torch

    if workload == "lenet5":
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    model, loss_fn = _torch_model(torch, workload)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    start = time.perf_counter()
    order = torch.randperm(len(xt))  # a shuffled epoch, as fit does
    for i in range(0, len(xt), BATCH):
        index = order[i:i + BATCH]
        optimizer.zero_grad()
        loss = loss_fn(model(xt[index]), yt[index])
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start


def run_one(framework: str, workload: str) -> dict:
    """Times one epoch in this process; returns ``{"seconds", "peak_mb"}`` or ``{"skipped": reason}``."""
    try:
        if framework == "ndflow":
            from ndflow import keras
        elif framework == "tf-keras":
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
            os.environ["KERAS_BACKEND"] = "tensorflow"
            import keras
        else:
            import torch  # noqa: F401
    except ImportError as error:
        return {"skipped": f"{framework} not installed ({error.name})"}
    x, y = _data(workload)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        seconds = _run_torch(workload, x, y) if framework == "torch" else _run_keras(keras, workload, x, y)
    except (AttributeError, NotImplementedError) as error:
        return {"skipped": f"{framework}: {error}"}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_mb": (peak - before) / 1024}


def _in_subprocess(framework: str, workload: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", framework, workload], capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        return {"skipped": f"{framework} failed: {out.stderr.strip().splitlines()[-1:] or out.returncode}"}
    return json.loads(lines[-1])


def _cell(result: dict, key: str, fmt: str) -> str:
    return format(result[key], fmt) if key in result else "-"


def _ratio(ours: dict, theirs: dict) -> str:
    if "seconds" not in ours or "seconds" not in theirs:
        return "-"
    return f"{ours['seconds'] / theirs['seconds']:.2f}"


def print_table(rows: list) -> None:
    """Prints ``(workload name, {framework: result})`` rows: seconds, ratios ndflow/peer and peak memory."""
    header = (f"{'workload':<36}{'ndflow s':>10}{'tf s':>8}{'torch s':>9}{'nd/tf':>7}{'nd/torch':>9}"
              f"{'ndflow MB':>11}{'tf MB':>8}{'torch MB':>10}")
    print(header)
    print("-" * len(header))
    for name, results in rows:
        nd, tf_, pt = (results[f] for f in FRAMEWORKS)
        print(f"{name:<36}{_cell(nd, 'seconds', '.2f'):>10}{_cell(tf_, 'seconds', '.2f'):>8}"
              f"{_cell(pt, 'seconds', '.2f'):>9}{_ratio(nd, tf_):>7}{_ratio(nd, pt):>9}"
              f"{_cell(nd, 'peak_mb', '.0f'):>11}{_cell(tf_, 'peak_mb', '.0f'):>8}{_cell(pt, 'peak_mb', '.0f'):>10}")
        for framework in FRAMEWORKS:
            if "skipped" in results[framework]:
                print(f"{'':<4}skipped: {results[framework]['skipped']}")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(run_one(argv[1], argv[2])))
        return
    chosen = argv or list(WORKLOADS)
    rows = [(WORKLOADS[w], {f: _in_subprocess(f, w) for f in FRAMEWORKS}) for w in chosen]
    print_table(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
