"""``tf.train.Checkpoint``, ``CheckpointManager`` and the checkpoint readers."""
import os

import numpy as np
import pytest

import ndflow as tf
from ndflow._core.errors import NotFoundError


class Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
        self.parts = [tf.Variable(5.0), {"bias": tf.Variable([6.0, 7.0])}]


def _zero(module):
    for v in module.variables:
        v.assign(tf.zeros_like(v))


def test_save_numbers_checkpoints_and_restores_values(tmp_path):
    net, step = Net(), tf.Variable(3, dtype=tf.int64)
    checkpoint = tf.train.Checkpoint(net=net, step=step)
    prefix = str(tmp_path / "ckpt")
    assert checkpoint.save(prefix) == prefix + "-1"
    assert checkpoint.save(prefix) == prefix + "-2"
    assert (tmp_path / "checkpoint").read_text() == ('model_checkpoint_path: "ckpt-2"\n'
                                                     'all_model_checkpoint_paths: "ckpt-2"\n')
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix + "-2"

    other, other_step = Net(), tf.Variable(0, dtype=tf.int64)
    _zero(other)
    restored = tf.train.Checkpoint(net=other, step=other_step)
    restored.restore(tf.train.latest_checkpoint(str(tmp_path))).assert_consumed()
    for a, b in zip(net.variables, other.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert other_step.numpy() == 3
    assert restored.save_counter.numpy() == 2


def test_keys_follow_attribute_paths(tmp_path):
    path = tf.train.Checkpoint(net=Net(), v=tf.Variable(1.0)).write(str(tmp_path / "w"))
    assert path == str(tmp_path / "w")
    names = [name for name, _ in tf.train.list_variables(path)]
    assert names == ["_CHECKPOINTABLE_OBJECT_GRAPH", "net/parts/0/.ATTRIBUTES/VARIABLE_VALUE",
                     "net/parts/1/bias/.ATTRIBUTES/VARIABLE_VALUE", "net/w/.ATTRIBUTES/VARIABLE_VALUE",
                     "v/.ATTRIBUTES/VARIABLE_VALUE"]
    assert not (tmp_path / "checkpoint").exists()  # write does not touch the state file


def test_reader_functions(tmp_path):
    prefix = tf.train.Checkpoint(net=Net()).save(str(tmp_path / "c"))
    reader = tf.train.load_checkpoint(str(tmp_path))
    assert reader.get_variable_to_shape_map()["net/w/.ATTRIBUTES/VARIABLE_VALUE"] == [2, 2]
    assert reader.get_variable_to_dtype_map()["save_counter/.ATTRIBUTES/VARIABLE_VALUE"] == tf.int64
    np.testing.assert_array_equal(reader.get_tensor("net/parts/1/bias/.ATTRIBUTES/VARIABLE_VALUE"), [6.0, 7.0])
    assert tf.train.load_variable(prefix, "net/parts/0/.ATTRIBUTES/VARIABLE_VALUE") == 5.0
    assert reader.has_tensor("net/w/.ATTRIBUTES/VARIABLE_VALUE")
    with pytest.raises(NotFoundError, match="Key nope not found in checkpoint"):
        reader.get_tensor("nope")
    os.mkdir(tmp_path / "empty")
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file"):
        tf.train.load_checkpoint(str(tmp_path / "empty"))


def test_unmatched_values_and_objects_fail_the_assertions(tmp_path):
    prefix = tf.train.Checkpoint(v=tf.Variable(1.0), w=tf.Variable([1.0, 2.0])).save(str(tmp_path / "a"))
    status = tf.train.Checkpoint(v=tf.Variable(2.0)).restore(prefix)
    status.assert_existing_objects_matched()
    status.assert_nontrivial_match()
    with pytest.raises(AssertionError, match=r"Unresolved object in checkpoint \(root\)\.w: attributes"):
        status.assert_consumed()
    assert status.expect_partial() is status

    extra = tf.Variable(3.0)
    status = tf.train.Checkpoint(v=tf.Variable(2.0), w=tf.Variable([0.0, 0.0]), extra=extra).restore(prefix)
    with pytest.raises(AssertionError, match="Found 1 Python objects that were not bound to checkpointed values"):
        status.assert_consumed()
    with pytest.raises(AssertionError, match="Found 1 Python objects"):
        status.assert_existing_objects_matched()
    assert extra.numpy() == 3.0


def test_restore_none_and_missing_paths(tmp_path):
    status = tf.train.Checkpoint(v=tf.Variable(1.0)).restore(None)
    with pytest.raises(AssertionError, match=r"No checkpoint specified \(save_path=None\)"):
        status.assert_consumed()
    with pytest.raises(NotFoundError, match="(?s)Error when restoring from checkpoint or SavedModel at .*missing the "
                                            "checkpoint suffix"):
        tf.train.Checkpoint(v=tf.Variable(1.0)).restore(str(tmp_path / "none"))


def test_non_trackable_values_are_rejected():
    with pytest.raises(ValueError, match="`Checkpoint` was expecting v to be a trackable object"):
        tf.train.Checkpoint(v=3)
    with pytest.raises(ValueError, match="expecting root to be a trackable object"):
        tf.train.Checkpoint(3)


def test_shape_mismatch_names_the_variable(tmp_path):
    prefix = tf.train.Checkpoint(v=tf.Variable(1.0)).write(str(tmp_path / "s"))
    with pytest.raises(ValueError, match=r"Received incompatible tensor with shape \(\) when attempting to restore "
                                         r"variable with shape \(2,\)"):
        tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).read(prefix)


def test_read_pairs_with_write_and_defers_a_later_attribute(tmp_path):
    prefix = tf.train.Checkpoint(v=tf.Variable(4.0), w=tf.Variable(5.0)).write(str(tmp_path / "r"))
    checkpoint = tf.train.Checkpoint(v=tf.Variable(0.0))
    status = checkpoint.read(prefix)
    w = tf.Variable(0.0)
    checkpoint.w = w  # attached after the restore: gets its value then
    assert w.numpy() == 5.0
    status.assert_consumed()


def test_root_object(tmp_path):
    net = Net()
    prefix = tf.train.Checkpoint(root=net).write(str(tmp_path / "root"))
    assert "w/.ATTRIBUTES/VARIABLE_VALUE" in dict(tf.train.list_variables(prefix))
    other = Net()
    _zero(other)
    tf.train.Checkpoint(root=other).read(prefix).assert_consumed()
    np.testing.assert_array_equal(other.w.numpy(), net.w.numpy())


def test_name_based_checkpoints_restore_by_variable_name(tmp_path):
    import ndflow.compat.v1 as v1

    a = tf.Variable(1.5, name="a")
    v1.train.Saver([a]).save(None, str(tmp_path / "named"))
    b = tf.Variable(0.0, name="a")
    status = tf.train.Checkpoint(b=b).restore(str(tmp_path / "named"))
    status.assert_consumed()
    assert b.numpy() == 1.5


def test_manager_keeps_max_to_keep_and_numbers_from_the_save_counter(tmp_path):
    v = tf.Variable(0.0)
    checkpoint = tf.train.Checkpoint(v=v)
    manager = tf.train.CheckpointManager(checkpoint, str(tmp_path), max_to_keep=2)
    assert manager.latest_checkpoint is None
    paths = []
    for i in range(4):
        v.assign(float(i))
        paths.append(manager.save())
    assert paths == [str(tmp_path / f"ckpt-{i}") for i in range(1, 5)]
    assert manager.checkpoints == paths[2:]
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "ckpt-3.data-00000-of-00001", "ckpt-3.index",
                                            "ckpt-4.data-00000-of-00001", "ckpt-4.index"]
    assert manager.save(checkpoint_number=100) == str(tmp_path / "ckpt-100")
    assert checkpoint.save_counter.numpy() == 5
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == str(tmp_path / "ckpt-100")
    assert state.all_model_checkpoint_paths == [str(tmp_path / "ckpt-4"), str(tmp_path / "ckpt-100")]
    assert len(state.all_model_checkpoint_timestamps) == 2
    text = (tmp_path / "checkpoint").read_text()
    assert text.startswith('model_checkpoint_path: "ckpt-100"\nall_model_checkpoint_paths: "ckpt-4"\n')

    # a new manager takes over the directory's checkpoints
    again = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(-1.0)), str(tmp_path), max_to_keep=2)
    assert again.checkpoints == manager.checkpoints
    assert again.restore_or_initialize() == str(tmp_path / "ckpt-100")
    assert again.checkpoint.v.numpy() == 3.0


def test_manager_keep_checkpoint_every_n_hours(tmp_path, monkeypatch):
    import ndflow.train.checkpoint_management as management

    clock = [1_000_000.0]
    monkeypatch.setattr(management.time, "time", lambda: clock[0])
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(1.0)), str(tmp_path), max_to_keep=1,
                                         keep_checkpoint_every_n_hours=1.0)
    for _ in range(6):
        manager.save()
        clock[0] += 1800.0  # half an hour between saves
    kept = sorted(p for p in os.listdir(tmp_path) if p.endswith(".index"))
    # one checkpoint per hour of saving survives (ckpt-3 at +1 h, ckpt-5 at +2 h), plus the latest
    assert kept == ["ckpt-3.index", "ckpt-5.index", "ckpt-6.index"]
    assert manager.checkpoints == [str(tmp_path / "ckpt-6")]


def test_manager_checkpoint_interval(tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(step=step), str(tmp_path), max_to_keep=None,
                                         step_counter=step, checkpoint_interval=10)
    saved = []
    for i in range(25):
        step.assign(i)
        saved.append(manager.save())
    assert [s for s in saved if s is not None] == [str(tmp_path / f"ckpt-{n}") for n in (1, 2, 3)]
    with pytest.raises(ValueError, match="`step_counter` should be passed"):
        tf.train.CheckpointManager(tf.train.Checkpoint(), str(tmp_path), 1, checkpoint_interval=3)
    with pytest.raises(ValueError, match="Expected a positive integer or `None` for `max_to_keep`, got 0."):
        tf.train.CheckpointManager(tf.train.Checkpoint(), str(tmp_path), 0)


def test_restore_or_initialize_calls_init_fn_without_checkpoints(tmp_path):
    called = []
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(1.0)), str(tmp_path), max_to_keep=1,
                                         init_fn=lambda: called.append(True))
    assert manager.restore_or_initialize() is None
    assert called == [True]


def test_checkpoint_state_text_round_trip():
    from ndflow.train.checkpoint_management import CheckpointState

    state = CheckpointState('dir/a "q"', ["dir/x", 'dir/a "q"'], [1.5, 2.25], 1.0)
    assert CheckpointState.from_text(state.to_text()) == state
    assert 'model_checkpoint_path: "dir/a \\"q\\""' in state.to_text()


@pytest.mark.parity
def test_key_names_and_state_file_match_tensorflow(tmp_path):
    real_tf = pytest.importorskip("tensorflow")

    class RealNet(real_tf.Module):
        def __init__(self):
            super().__init__()
            self.w = real_tf.Variable([[1.0, 2.0], [3.0, 4.0]])
            self.parts = [real_tf.Variable(5.0), {"bias": real_tf.Variable([6.0, 7.0])}]

    ours = tf.train.Checkpoint(net=Net(), v=tf.Variable(1.0)).save(str(tmp_path / "ours" / "ck"))
    theirs = real_tf.train.Checkpoint(net=RealNet(), v=real_tf.Variable(1.0)).save(str(tmp_path / "theirs" / "ck"))
    assert tf.train.list_variables(ours) == [(n, s) for n, s in real_tf.train.list_variables(theirs)]
    assert (tmp_path / "ours" / "checkpoint").read_text() == (tmp_path / "theirs" / "checkpoint").read_text()
    ours_reader, theirs_reader = tf.train.load_checkpoint(ours), real_tf.train.load_checkpoint(theirs)
    for name, _ in real_tf.train.list_variables(theirs):
        if name != "_CHECKPOINTABLE_OBJECT_GRAPH":
            np.testing.assert_array_equal(ours_reader.get_tensor(name), theirs_reader.get_tensor(name))


def test_graph_mode_checkpoint_uses_the_default_session(tmp_path):
    import ndflow.compat.v1 as v1

    v1.disable_eager_execution()
    try:
        v1.reset_default_graph()
        v = v1.Variable([1.0, 2.0], name="v")
        step = v1.train.get_or_create_global_step()
        checkpoint = tf.train.Checkpoint(v=v)
        manager = tf.train.CheckpointManager(checkpoint, str(tmp_path / "m"), max_to_keep=1)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(v1.assign(step, 42))
            assert checkpoint.save(str(tmp_path / "c")) == str(tmp_path / "c-1")
            assert manager.save(checkpoint_number=step) == str(tmp_path / "m" / "ckpt-42")
            sess.run(v1.assign(v, [0.0, 0.0]))
            checkpoint.restore(str(tmp_path / "c-1")).run_restore_ops()
            np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
        with v1.Session() as sess:
            checkpoint.restore(manager.latest_checkpoint).initialize_or_restore(sess)
            np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
    finally:
        v1.reset_default_graph()
        v1.enable_eager_execution()
