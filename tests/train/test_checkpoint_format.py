"""ndflow's checkpoint files: round trips, integrity checks and atomic saves (killed with SIGKILL mid-save)."""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zlib

import numpy as np
import pytest

import ndflow as tf
from ndflow._core import checkpoint_format
from ndflow._core.errors import DataLossError, NotFoundError


def test_round_trip_of_every_dtype(tmp_path):
    tensors = {
        "f32": np.arange(6, dtype=np.float32).reshape(2, 3),
        "f64": np.array([1.5, -2.25]),
        "f16": np.array([0.5], dtype=np.float16),
        "i8": np.array([-3, 4], dtype=np.int8),
        "i64": np.int64(-7),
        "u16": np.array([65535], dtype=np.uint16),
        "b": np.array([True, False, True]),
        "c64": np.array([1 + 2j], dtype=np.complex64),
        "s": np.array([b"ab", b"", "\u00e9".encode()], dtype=object),
        "scalar_string": np.array(b"hello", dtype=object),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }
    prefix = str(tmp_path / "ckpt")
    checkpoint_format.write_tensors(prefix, tensors)
    reader = checkpoint_format.CheckpointFile(prefix)
    assert sorted(reader.entries) == sorted(tensors)
    for name, expected in tensors.items():
        value = reader.read(name)
        assert value.dtype == np.asarray(expected).dtype
        assert value.shape == np.asarray(expected).shape
        np.testing.assert_array_equal(value, expected)


def test_files_are_named_like_tensorflows(tmp_path):
    checkpoint_format.write_tensors(str(tmp_path / "model"), {"v": np.ones(2, np.float32)})
    assert sorted(os.listdir(tmp_path)) == ["model.data-00000-of-00001", "model.index"]
    index = json.loads((tmp_path / "model.index").read_text())
    assert index["format"] == "ndflow-checkpoint"
    payload = np.ones(2, "<f4").tobytes()
    assert index["tensors"]["v"] == {"dtype": "float32", "shape": [2], "offset": 0, "length": 8,
                                     "crc32": zlib.crc32(payload)}
    data = (tmp_path / "model.data-00000-of-00001").read_bytes()
    assert data[:8] == payload
    assert data.endswith(b"NDFCKPT1")


def test_missing_checkpoint_is_not_found(tmp_path):
    with pytest.raises(NotFoundError, match="Failed to find any matching files for"):
        checkpoint_format.CheckpointFile(str(tmp_path / "nothing"))
    assert not checkpoint_format.checkpoint_exists(str(tmp_path / "nothing"))


def test_corrupted_bytes_fail_the_crc(tmp_path):
    prefix = str(tmp_path / "c")
    checkpoint_format.write_tensors(prefix, {"a": np.arange(4, dtype=np.float32), "b": np.ones(3)})
    path = prefix + ".data-00000-of-00001"
    data = bytearray(open(path, "rb").read())
    data[1] ^= 0xFF
    open(path, "wb").write(bytes(data))
    reader = checkpoint_format.CheckpointFile(prefix)
    with pytest.raises(DataLossError, match="Checksum does not match"):
        reader.read("a")
    np.testing.assert_array_equal(reader.read("b"), np.ones(3))


def test_foreign_files_are_rejected(tmp_path):
    (tmp_path / "x.index").write_bytes(b"\x00\x01binary protobuf")
    (tmp_path / "x.data-00000-of-00001").write_bytes(b"\x00" * 32)
    with pytest.raises(DataLossError, match="not an ndflow checkpoint"):
        checkpoint_format.CheckpointFile(str(tmp_path / "x"))


def test_a_save_killed_between_the_renames_reads_as_the_new_checkpoint(tmp_path):
    prefix = str(tmp_path / "same")
    checkpoint_format.write_tensors(prefix, {"a": np.full(3, 1.0), "b": np.full(5, 1.0)})
    newer = str(tmp_path / "newer")
    checkpoint_format.write_tensors(newer, {"a": np.full(3, 2.0), "b": np.full(5, 2.0), "c": np.int32(2)})
    # the new data file is renamed into place, the process dies before the index is
    shutil.copy(newer + ".data-00000-of-00001", prefix + ".data-00000-of-00001")
    reader = checkpoint_format.CheckpointFile(prefix)
    assert sorted(reader.entries) == ["a", "b", "c"]
    np.testing.assert_array_equal(reader.read("a"), np.full(3, 2.0))
    np.testing.assert_array_equal(reader.read("b"), np.full(5, 2.0))


def test_stale_temporary_files_are_cleaned_up(tmp_path):
    prefix = str(tmp_path / "p")
    stale = prefix + ".data-00000-of-00001.ndflow-tmp-deadbeef"
    open(stale, "wb").write(b"partial")
    checkpoint_format.write_tensors(prefix, {"a": np.zeros(1)})
    assert not os.path.exists(stale)
    assert sorted(os.listdir(tmp_path)) == ["p.data-00000-of-00001", "p.index"]


_SAVER = """
import sys
import numpy as np
import ndflow as tf

directory, mode = sys.argv[1], sys.argv[2]
size = 400_000
a = tf.Variable(np.zeros(size, np.float32))
b = tf.Variable(np.zeros(size, np.float32))
step = tf.Variable(0, dtype=tf.int64)
checkpoint = tf.train.Checkpoint(a=a, b=b, step=step)
manager = tf.train.CheckpointManager(checkpoint, directory, max_to_keep=2)
i = 0
while True:
    i += 1
    a.assign(np.full(size, i, np.float32))
    b.assign(np.full(size, -i, np.float32))
    step.assign(i)
    if mode == "manager":
        manager.save()
    else:
        checkpoint.write(directory + "/fixed")
    print(i, flush=True)
"""


def _run_and_kill(directory: str, mode: str, delay: float) -> int:
    """Starts a process that saves in a loop, kills it with SIGKILL ``delay`` s after its first save; returns the
    last save it reported as finished."""
    process = subprocess.Popen([sys.executable, "-c", _SAVER, directory, mode], stdout=subprocess.PIPE, text=True,
                               cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    first = process.stdout.readline()
    assert first.strip() == "1", first
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    rest = process.communicate()[0].split()
    process.wait()
    return int(rest[-1]) if rest else 1


def _check_consistent(a: tf.Variable, b: tf.Variable, step: tf.Variable) -> int:
    value = int(step.numpy())
    np.testing.assert_array_equal(a.numpy(), np.full(a.shape[0], value, np.float32))
    np.testing.assert_array_equal(b.numpy(), np.full(b.shape[0], -value, np.float32))
    return value


@pytest.mark.parametrize("mode", ["manager", "overwrite"])
def test_killing_a_saving_process_keeps_a_usable_checkpoint(tmp_path, mode):
    rng = random.Random(0)
    for round_ in range(3):
        directory = str(tmp_path / f"{mode}{round_}")
        confirmed = _run_and_kill(directory, mode, rng.uniform(0.0, 0.25))
        size = 400_000
        a, b = tf.Variable(np.zeros(size, np.float32)), tf.Variable(np.zeros(size, np.float32))
        step = tf.Variable(0, dtype=tf.int64)
        checkpoint = tf.train.Checkpoint(a=a, b=b, step=step)
        if mode == "manager":
            path = tf.train.latest_checkpoint(directory)
            assert path is not None
            checkpoint.restore(path).assert_consumed()
        else:
            checkpoint.read(directory + "/fixed").assert_consumed()
        value = _check_consistent(a, b, step)
        # the restored save is the last one reported or the one in flight when the process died
        assert confirmed <= value <= confirmed + 1
        if mode == "manager":
            state = tf.train.get_checkpoint_state(directory)
            assert len(state.all_model_checkpoint_paths) <= 2
            for kept in state.all_model_checkpoint_paths:
                assert checkpoint_format.checkpoint_exists(kept)
