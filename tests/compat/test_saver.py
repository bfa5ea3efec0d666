"""TF1 persistence (spec 004.md §(f), 000.md ch. 9): Saver, checkpoint files, renaming, EMA restore, MetaGraph
import, freezing and NewCheckpointReader."""
import os

import numpy as np
import pytest

import ndflow.compat.v1 as tf
from ndflow._core.errors import NotFoundError
from ndflow.compat.v1 import graph_util


@pytest.fixture(autouse=True)
def graph_mode(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tf.disable_eager_execution()
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()
    tf.enable_eager_execution()


def _build_v1_v2():
    v1 = tf.Variable(tf.constant(1.0, shape=[1]), name="v1")
    v2 = tf.Variable(tf.constant(2.0, shape=[1]), name="v2")
    return v1, v2, v1 + v2


def _save_test_model():
    _, _, result = _build_v1_v2()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, "./test_model")
    tf.reset_default_graph()
    return path, result


def test_save_writes_the_four_files():
    path, _ = _save_test_model()
    assert path == "./test_model"
    assert sorted(os.listdir(".")) == ["checkpoint", "test_model.data-00000-of-00001", "test_model.index",
                                       "test_model.meta"]
    assert open("checkpoint").read() == ('model_checkpoint_path: "test_model"\n'
                                         'all_model_checkpoint_paths: "test_model"\n')


def test_restore_into_redeclared_variables():
    _save_test_model()
    v1, v2, result = _build_v1_v2()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, "./test_model")
        np.testing.assert_array_equal(sess.run(result), [3.0])


def test_import_meta_graph_and_tensor_names():
    _save_test_model()
    saver = tf.train.import_meta_graph("./test_model.meta")
    with tf.Session() as sess:
        saver.restore(sess, "./test_model")
        graph = tf.get_default_graph()
        with pytest.raises(ValueError, match="The name 'v1' refers to an Operation, not a Tensor. Tensor names must "
                                             "be of the form \"<op_name>:<output_index>\""):
            graph.get_tensor_by_name("v1")
        np.testing.assert_array_equal(sess.run(graph.get_tensor_by_name("v1:0")), [1.0])
        np.testing.assert_array_equal(sess.run(graph.get_tensor_by_name("add:0")), [3.0])
    assert [v.name for v in tf.global_variables()] == ["v1:0", "v2:0"]
    assert [v.name for v in tf.trainable_variables()] == ["v1:0", "v2:0"]


def test_imported_graph_can_be_initialized_and_saved_again():
    _save_test_model()
    saver = tf.train.import_meta_graph("./test_model.meta")
    graph = tf.get_default_graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(graph.get_tensor_by_name("add:0")), [3.0])
        sess.run(tf.assign(tf.global_variables()[0], [10.0]))
        os.mkdir("again")
        saver.save(sess, "again/model", global_step=7)
    reader = tf.train.NewCheckpointReader("again/model-7")
    np.testing.assert_array_equal(reader.get_tensor("v1"), [10.0])
    assert os.path.exists("again/model-7.meta")


def test_var_list_and_rename_dict():
    _save_test_model()
    v1 = tf.Variable(tf.constant(0.0, shape=[1]), name="v1")
    with tf.Session() as sess:
        tf.train.Saver([v1]).restore(sess, "./test_model")
        np.testing.assert_array_equal(sess.run(v1), [1.0])
    tf.reset_default_graph()
    a = tf.Variable(tf.constant(1.0, shape=[1]), name="other-v1")
    b = tf.Variable(tf.constant(2.0, shape=[1]), name="other-v2")
    result = a + b
    with tf.Session() as sess:
        with pytest.raises(NotFoundError, match="Key other-v1 not found in checkpoint"):
            tf.train.Saver().restore(sess, "./test_model")
        tf.train.Saver({"v1": a, "v2": b}).restore(sess, "./test_model")
        np.testing.assert_array_equal(sess.run(result), [3.0])


def test_get_checkpoint_state_and_latest_checkpoint():
    _save_test_model()
    state = tf.train.get_checkpoint_state("./")
    assert state.model_checkpoint_path == "./test_model"
    assert state.all_model_checkpoint_paths == ["./test_model"]
    assert str(state) == 'model_checkpoint_path: "./test_model"\nall_model_checkpoint_paths: "./test_model"\n'
    assert tf.train.latest_checkpoint("./") == "./test_model"
    assert tf.train.checkpoint_exists("./test_model") and not tf.train.checkpoint_exists("./nothing")


def test_global_step_max_to_keep_and_step_parsing():
    global_step = tf.train.get_or_create_global_step()
    tf.Variable(1.0, name="w")
    increment = tf.assign_add(global_step, 1)
    saver = tf.train.Saver(max_to_keep=2)
    os.mkdir("model")
    paths = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(increment)
            paths.append(saver.save(sess, os.path.join("model", "model.ckpt"), global_step=global_step))
    assert paths == ["model/model.ckpt-1", "model/model.ckpt-2", "model/model.ckpt-3"]
    assert saver.last_checkpoints == paths[1:]
    assert sorted(os.listdir("model")) == ["checkpoint"] + [f"model.ckpt-{i}.{ext}" for i in (2, 3)
                                                             for ext in ("data-00000-of-00001", "index", "meta")]
    state = tf.train.get_checkpoint_state("model")
    assert state.model_checkpoint_path.split("/")[-1].split("-")[-1] == "3"
    assert state.all_model_checkpoint_paths == ["model/model.ckpt-2", "model/model.ckpt-3"]


def test_ema_shadow_restored_into_the_variable():
    v = tf.Variable(0, dtype=tf.float32, name="v")
    ema = tf.train.ExponentialMovingAverage(0.99)
    maintain = ema.apply(tf.global_variables())
    assert [x.name for x in tf.global_variables()] == ["v:0", "v/ExponentialMovingAverage:0"]
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign(v, 10))
        sess.run(maintain)
        saver.save(sess, "./ema_test_model")
        values = sess.run([v, ema.average(v)])
    assert values[0] == 10.0
    assert values[1] == np.float32(0.099999905)

    for make_saver in (lambda v, ema: tf.train.Saver({"v/ExponentialMovingAverage": v}),
                       lambda v, ema: tf.train.Saver(ema.variables_to_restore())):
        tf.reset_default_graph()
        v = tf.Variable(0, dtype=tf.float32, name="v")
        ema = tf.train.ExponentialMovingAverage(0.99)
        with tf.Session() as sess:
            make_saver(v, ema).restore(sess, "./ema_test_model")
            assert sess.run(v) == np.float32(0.099999905)
    assert repr(ema.variables_to_restore()) == \
        "{'v/ExponentialMovingAverage': <tf.Variable 'v:0' shape=() dtype=float32_ref>}"
    assert tf.train.latest_checkpoint("./") == "./ema_test_model"


def test_freeze_and_reload_a_graph():
    v1, v2, result = _build_v1_v2()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        graph_def = tf.get_default_graph().as_graph_def()
        output_graph_def = graph_util.convert_variables_to_constants(sess, graph_def, ["add"])
        with open("./combined_model.pb", "wb") as f:
            f.write(output_graph_def.SerializeToString())
    assert all(node.op != "ReadVariableOp" for node in output_graph_def.node)
    assert "v1/Assign" not in [node.name for node in output_graph_def.node]  # pruned
    tf.reset_default_graph()
    with tf.Session() as sess:
        graph_def = tf.GraphDef()
        with open("./combined_model.pb", "rb") as f:
            graph_def.ParseFromString(f.read())
        result = tf.import_graph_def(graph_def, return_elements=["add:0"])
        out = sess.run(result)
    assert len(out) == 1
    np.testing.assert_array_equal(out[0], np.array([3.0], dtype=np.float32))
    assert out[0].dtype == np.float32


def test_extract_sub_graph_errors():
    _build_v1_v2()
    graph_def = tf.get_default_graph().as_graph_def()
    with pytest.raises(TypeError, match="dest_nodes must be an iterable of strings"):
        graph_util.extract_sub_graph(graph_def, "add")
    with pytest.raises(AssertionError, match="nope is not in graph"):
        graph_util.extract_sub_graph(graph_def, ["nope"])
    with pytest.raises(TypeError, match="graph_def must be a graph_pb2.GraphDef proto"):
        graph_util.extract_sub_graph([1], ["add"])
    names = [n["name"] for n in graph_util.extract_sub_graph(graph_def, ["v1/read"])["node"]]
    assert names == ["v1/read"]


def test_meta_graph_def_contents():
    _build_v1_v2()
    saver = tf.train.Saver()
    meta = saver.export_meta_graph("test_meta.json", as_text=True)
    nodes = meta.graph_def.node
    assert nodes[1].name == "v1" and nodes[1].op == "VariableV2"
    assert str(meta.saver_def) == ('filename_tensor_name: "save/Const:0"\nsave_tensor_name: '
                                   '"save/control_dependency:0"\nrestore_op_name: "save/restore_all"\nmax_to_keep: 5\n'
                                   'keep_checkpoint_every_n_hours: 10000.0\nversion: V2\n')
    restore_all = next(n for n in nodes if n.name == "save/restore_all")
    assert restore_all.op == "NoOp" and restore_all.input == ["^save/Assign", "^save/Assign_1"]
    assert meta.collection_def["variables"]["variable_list"]["value"] == ["v1", "v2"]
    assert "AddV2" in [op.name for op in meta.meta_info_def.stripped_op_list.op]
    assert os.path.exists("test_meta.json")


def test_new_checkpoint_reader():
    _save_test_model()
    reader = tf.train.NewCheckpointReader("test_model")
    assert reader.get_variable_to_shape_map() == {"v1": [1], "v2": [1]}
    np.testing.assert_array_equal(reader.get_tensor("v1"), np.array([1.0], dtype=np.float32))
    with pytest.raises(NotFoundError, match="Key zz not found in checkpoint"):
        reader.get_tensor("zz")


def test_saver_errors():
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()
    v = tf.Variable(1.0, name="v")
    with pytest.raises(ValueError, match="At least two variables have the same name: v"):
        tf.train.Saver([v, v])
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match="Can't load save_path when it is None."):
            saver.restore(sess, None)
        with pytest.raises(ValueError, match="The passed save_path is not a valid checkpoint: ./nothing"):
            saver.restore(sess, "./nothing")
        with pytest.raises(ValueError, match="Parent directory of nodir/model.ckpt doesn't exist, can't save."):
            saver.save(sess, "nodir/model.ckpt")
    with pytest.raises(TypeError, match="'sess' must be a Session; None"):
        saver.save(None, "x")


def test_uninitialized_variables_cannot_be_saved():
    tf.Variable(1.0, name="never_initialized")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="never_initialized"):
            saver.save(sess, "./model")


def test_eager_saver(tmp_path):
    tf.enable_eager_execution()
    import ndflow

    a = ndflow.Variable([1.0, 2.0], name="a")
    with pytest.raises(RuntimeError, match="`var_list` must specify a list or dict"):
        tf.train.Saver()
    saver = tf.train.Saver({"weights": a})
    path = saver.save(None, str(tmp_path / "eager"))
    a.assign([0.0, 0.0])
    saver.restore(None, path)
    np.testing.assert_array_equal(a.numpy(), [1.0, 2.0])
    assert tf.train.list_variables(path) == [("weights", [2])]


@pytest.mark.parity
def test_state_file_and_reader_match_tensorflow(tmp_path):
    real = pytest.importorskip("tensorflow").compat.v1
    os.mkdir("ours")
    os.mkdir("theirs")
    _, _, _ = _build_v1_v2()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver(max_to_keep=2).save(sess, "ours/model.ckpt", global_step=5)
    with real.Graph().as_default():
        real.Variable(real.constant(1.0, shape=[1]), name="v1")
        real.Variable(real.constant(2.0, shape=[1]), name="v2")
        saver = real.train.Saver(max_to_keep=2)
        with real.Session() as sess:
            sess.run(real.global_variables_initializer())
            saver.save(sess, "theirs/model.ckpt", global_step=5)
    assert open("ours/checkpoint").read() == open("theirs/checkpoint").read()
    ours, theirs = tf.train.NewCheckpointReader("ours/model.ckpt-5"), real.train.NewCheckpointReader(
        "theirs/model.ckpt-5")
    assert ours.get_variable_to_shape_map() == theirs.get_variable_to_shape_map()
    for name in ("v1", "v2"):
        np.testing.assert_array_equal(ours.get_tensor(name), theirs.get_tensor(name))
    assert sorted(os.listdir("ours")) == sorted(os.listdir("theirs"))
