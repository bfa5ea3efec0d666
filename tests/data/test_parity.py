"""Datasets against the real ``tf.data``: element values, order, dtypes and shapes, element specs, reprs and
cardinalities of every deterministic transformation."""
import numpy as np
import pytest

import ndflow as tf

pytestmark = pytest.mark.parity
real_tf = pytest.importorskip("tensorflow")


def _lengths(m):
    return m.data.Dataset.range(1, 8).map(lambda x: m.fill([x], x))


def _pairs(m):
    return m.data.Dataset.from_tensor_slices((np.arange(6, dtype=np.int32), np.arange(6, dtype=np.float32) / 2))


def _generate():
    for i in range(4):
        yield i, [float(i)] * i


def _first_bucket(x):
    return x % 3


PIPELINES = {
    # sources
    "slices_tuple": _pairs,
    "slices_dict": lambda m: m.data.Dataset.from_tensor_slices({"b": [[1, 2], [3, 4]], "a": ["x", "y"]}),
    "slices_list": lambda m: m.data.Dataset.from_tensor_slices([[1.5, 2.0], [3.0, 4.0]]),
    "slices_float64": lambda m: m.data.Dataset.from_tensor_slices(np.linspace(0, 1, 4)),
    "tensors": lambda m: m.data.Dataset.from_tensors(([1, 2, 3], "s")),
    "range_stop": lambda m: m.data.Dataset.range(5),
    "range_start_stop": lambda m: m.data.Dataset.range(2, 5),
    "range_step": lambda m: m.data.Dataset.range(10, 0, -3),
    "range_empty": lambda m: m.data.Dataset.range(3, 1),
    "range_int32": lambda m: m.data.Dataset.range(3, output_type=m.int32),
    "range_float": lambda m: m.data.Dataset.range(1, 4, output_type=m.float32),
    "counter": lambda m: m.data.Dataset.counter(2, 3, dtype=m.int32).take(3),
    "generator_signature": lambda m: m.data.Dataset.from_generator(
        _generate, output_signature=(m.TensorSpec((), m.int32), m.TensorSpec((None,), m.float32))),
    "generator_legacy": lambda m: m.data.Dataset.from_generator(
        _generate, output_types=(m.int64, m.float64), output_shapes=((), (None,))),
    "generator_args": lambda m: m.data.Dataset.from_generator(
        lambda n: iter(range(int(n))), output_signature=m.TensorSpec((), m.int64), args=(3,)),
    # element-wise
    "map": lambda m: m.data.Dataset.range(5).map(lambda x: x * 2 + 1),
    "map_unpacks_tuples": lambda m: _pairs(m).map(lambda i, f: (f, i * 2)),
    "map_dict": lambda m: _pairs(m).map(lambda i, f: {"sum": m.cast(i, m.float32) + f, "i": i}),
    "map_list_becomes_tuple": lambda m: m.data.Dataset.range(3).map(lambda x: [x, x + 1]),
    "map_constant": lambda m: m.data.Dataset.range(3).map(lambda x: (x, 7)),
    "map_parallel": lambda m: m.data.Dataset.range(40).map(lambda x: x * x, num_parallel_calls=4),
    "map_autotune": lambda m: m.data.Dataset.range(20).map(lambda x: x - 1, num_parallel_calls=m.data.AUTOTUNE),
    "filter": lambda m: m.data.Dataset.range(10).filter(lambda x: x % 3 == 0),
    "filter_tuple": lambda m: _pairs(m).filter(lambda i, f: f > 1.0),
    "flat_map": lambda m: m.data.Dataset.range(4).flat_map(lambda x: m.data.Dataset.from_tensors(x).repeat(x)),
    "flat_map_slices": lambda m: m.data.Dataset.from_tensor_slices([[1, 2], [3, 4]]).flat_map(
        m.data.Dataset.from_tensor_slices),
    "interleave": lambda m: m.data.Dataset.range(1, 5).interleave(
        lambda x: m.data.Dataset.from_tensors(x).repeat(x), cycle_length=2, block_length=2),
    "interleave_refill": lambda m: m.data.Dataset.range(1, 6).interleave(
        lambda x: m.data.Dataset.from_tensors(x).repeat(6 - x), cycle_length=3),
    "interleave_parallel": lambda m: m.data.Dataset.range(1, 6).interleave(
        lambda x: m.data.Dataset.range(x * 10, x * 10 + x), cycle_length=2, block_length=3, num_parallel_calls=2),
    "scan": lambda m: m.data.Dataset.range(6).scan(np.int64(0), lambda s, x: (s + x, s * 10)),
    "scan_tuple_state": lambda m: m.data.Dataset.range(4).scan(
        (np.int64(1), np.float32(0)), lambda s, x: ((s[0] * 2, s[1] + 0.5), s[0] + x)),
    "enumerate": lambda m: m.data.Dataset.from_tensor_slices(["a", "b", "c"]).enumerate(start=3),
    "take_while": lambda m: m.data.Dataset.range(10).take_while(lambda x: x < 4),
    "unique": lambda m: m.data.Dataset.from_tensor_slices([1, 2, 1, 3, 2, 5]).unique(),
    "unique_strings": lambda m: m.data.Dataset.from_tensor_slices(["b", "a", "b"]).unique(),
    # order and selection
    "repeat": lambda m: m.data.Dataset.range(3).repeat(2),
    "repeat_take": lambda m: m.data.Dataset.range(3).repeat().take(7),
    "repeat_empty_forever": lambda m: m.data.Dataset.range(0).repeat(),
    "take": lambda m: m.data.Dataset.range(10).take(3),
    "take_all": lambda m: m.data.Dataset.range(4).take(-1),
    "skip": lambda m: m.data.Dataset.range(10).skip(7),
    "skip_all": lambda m: m.data.Dataset.range(4).skip(-1),
    "shard": lambda m: m.data.Dataset.range(10).shard(3, 1),
    "concatenate": lambda m: m.data.Dataset.range(3).concatenate(m.data.Dataset.range(10, 12)),
    "zip_tuple": lambda m: m.data.Dataset.zip((m.data.Dataset.range(3), m.data.Dataset.range(5, 10))),
    "zip_dict": lambda m: m.data.Dataset.zip({"y": m.data.Dataset.range(2), "x": _pairs(m)}),
    "zip_args": lambda m: m.data.Dataset.zip(m.data.Dataset.range(2), m.data.Dataset.range(3)),
    "choose": lambda m: m.data.Dataset.choose_from_datasets(
        [m.data.Dataset.range(2), m.data.Dataset.range(10, 13)],
        m.data.Dataset.from_tensor_slices(np.array([0, 1, 0, 0, 1], np.int64))),
    "choose_keep_going": lambda m: m.data.Dataset.choose_from_datasets(
        [m.data.Dataset.range(2), m.data.Dataset.range(10, 13)],
        m.data.Dataset.from_tensor_slices(np.array([0, 1, 0, 0, 1, 1], np.int64)), stop_on_empty_dataset=False),
    "shuffle_buffer_one": lambda m: m.data.Dataset.range(8).shuffle(1),
    "cache": lambda m: m.data.Dataset.range(4).map(lambda x: x + 1).cache(),
    "prefetch": lambda m: m.data.Dataset.range(6).prefetch(2),
    "prefetch_autotune": lambda m: _pairs(m).prefetch(m.data.AUTOTUNE),
    "prefetch_zero": lambda m: m.data.Dataset.range(3).prefetch(0),
    "options": lambda m: m.data.Dataset.range(3).with_options(m.data.Options()),
    "ignore_errors": lambda m: m.data.Dataset.from_tensor_slices([1.0, 0.0, 2.0]).map(
        lambda x: m.py_function(lambda v: 1.0 / float(v) if float(v) else float("x"), [x], m.float32)
    ).ignore_errors(),
    "assert_cardinality": lambda m: m.data.Dataset.range(3).filter(lambda x: True).apply(
        m.data.experimental.assert_cardinality(3)),
    # batching
    "batch": lambda m: m.data.Dataset.range(10).batch(4),
    "batch_drop": lambda m: m.data.Dataset.range(10).batch(4, drop_remainder=True),
    "batch_parallel": lambda m: m.data.Dataset.range(10).batch(3, num_parallel_calls=2),
    "batch_dict_strings": lambda m: m.data.Dataset.from_tensor_slices({"b": [[1, 2], [3, 4], [5, 6]],
                                                                      "a": ["x", "y", "z"]}).batch(2),
    "batch_of_map": lambda m: _pairs(m).map(lambda i, f: (i, f * 2)).batch(4),
    "batch_batch": lambda m: m.data.Dataset.range(12).batch(2).batch(3),
    "padded_batch": lambda m: _lengths(m).padded_batch(3),
    "padded_batch_shapes": lambda m: _lengths(m).padded_batch(2, padded_shapes=[8]),
    "padded_batch_values": lambda m: _lengths(m).padded_batch(2, padding_values=np.int64(-1)),
    "padded_batch_drop": lambda m: _lengths(m).padded_batch(2, padded_shapes=[None], drop_remainder=True),
    "padded_batch_tuple": lambda m: _lengths(m).map(lambda x: (x, m.cast(x, m.float32), "s")).padded_batch(
        2, padding_values=(np.int64(0), -1.0, "pad")),
    "padded_batch_2d": lambda m: m.data.Dataset.range(1, 4).map(lambda x: m.fill([x, 2], x)).padded_batch(2),
    "unbatch": lambda m: m.data.Dataset.range(10).batch(3).unbatch(),
    "unbatch_static": lambda m: m.data.Dataset.from_tensor_slices(np.arange(12).reshape(4, 3)).unbatch(),
    "unbatch_strings": lambda m: m.data.Dataset.from_tensor_slices([["a", "b"], ["c", "d"]]).unbatch(),
    "rebatch": lambda m: m.data.Dataset.range(10).batch(4).rebatch(3),
    "rebatch_sizes": lambda m: m.data.Dataset.range(10).batch(4).rebatch([1, 2]),
    "rebatch_drop": lambda m: m.data.Dataset.range(10).batch(4).rebatch(3, drop_remainder=True),
    "window": lambda m: m.data.Dataset.range(7).window(3, shift=2).flat_map(lambda w: w.batch(3)),
    "window_drop": lambda m: m.data.Dataset.range(7).window(3, 2, drop_remainder=True).flat_map(
        lambda w: w.batch(3)),
    "window_stride": lambda m: m.data.Dataset.range(10).window(3, shift=1, stride=3).flat_map(
        lambda w: w.batch(3)),
    "window_stride_drop": lambda m: m.data.Dataset.range(10).window(3, 1, 3, drop_remainder=True).flat_map(
        lambda w: w.batch(3)),
    "window_shift_gap": lambda m: m.data.Dataset.range(10).window(2, shift=4).flat_map(lambda w: w.batch(5)),
    "window_tuple": lambda m: _pairs(m).window(4).flat_map(
        lambda a, b: m.data.Dataset.zip((a.batch(4), b.batch(4)))),
    "group_by_window": lambda m: m.data.Dataset.range(10).group_by_window(
        _first_bucket, lambda key, w: w.batch(2), window_size=2),
    "group_by_window_func": lambda m: m.data.Dataset.range(12).group_by_window(
        lambda x: x % 2, lambda key, w: w.batch(10), window_size_func=lambda key: key + 2),
    "group_by_window_key": lambda m: m.data.Dataset.range(9).group_by_window(
        lambda x: x % 3, lambda key, w: w.map(lambda x: (key, x)).batch(3), window_size=3),
    "bucket": lambda m: _lengths(m).bucket_by_sequence_length(lambda x: m.shape(x)[0], [3, 6], [2, 2, 2]),
    "bucket_boundary_pad": lambda m: m.data.Dataset.range(1, 6).map(lambda x: m.fill([x], x)).repeat(2)
    .bucket_by_sequence_length(lambda x: m.shape(x)[0], [3, 7], [2, 3, 2], pad_to_bucket_boundary=True),
    "bucket_no_padding": lambda m: m.data.Dataset.range(8).map(lambda x: m.fill([3], x))
    .bucket_by_sequence_length(lambda x: m.cast(x[0] % 4, m.int32), [2], [3, 2], no_padding=True),
    "bucket_drop": lambda m: _lengths(m).repeat(2).bucket_by_sequence_length(
        lambda x: m.shape(x)[0], [4], [3, 2], drop_remainder=True, padding_values=np.int64(9)),
}


def _values(dataset):
    return list(dataset.as_numpy_iterator())


def _assert_same(ours, theirs, path="element"):
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and sorted(ours) == sorted(theirs), path
        for k in theirs:
            _assert_same(ours[k], theirs[k], f"{path}[{k!r}]")
    elif isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs), path
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _assert_same(a, b, f"{path}[{i}]")
    else:
        a, b = np.asarray(ours), np.asarray(theirs)
        assert a.dtype == b.dtype, f"{path}: dtype {a.dtype} vs {b.dtype}"
        assert a.shape == b.shape, f"{path}: shape {a.shape} vs {b.shape}"
        if a.dtype.kind == "f":
            np.testing.assert_allclose(a, b, rtol=1e-6, err_msg=path)
        elif a.dtype.kind == "O":
            assert all(type(v) is bytes for v in a.reshape(-1)), f"{path}: strings must be bytes"
            assert a.tolist() == b.tolist(), path
        else:
            assert a.tolist() == b.tolist(), path


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_values_specs_and_cardinality_match_tf(name):
    ours, theirs = PIPELINES[name](tf), PIPELINES[name](real_tf)
    assert repr(ours.element_spec) == repr(theirs.element_spec)
    assert int(ours.cardinality()) == int(theirs.cardinality())
    expected = _values(theirs)
    got = _values(ours)
    assert len(got) == len(expected)
    for i, (a, b) in enumerate(zip(got, expected)):
        _assert_same(a, b, f"element {i}")


REPRS = {
    "slices": lambda m: m.data.Dataset.from_tensor_slices([1, 2]),
    "range": lambda m: m.data.Dataset.range(3),
    "map": lambda m: m.data.Dataset.range(3).map(lambda x: x),
    "parallel_map": lambda m: m.data.Dataset.range(3).map(lambda x: x, num_parallel_calls=2),
    "filter": lambda m: m.data.Dataset.range(3).filter(lambda x: x > 0),
    "flat_map": lambda m: m.data.Dataset.range(3).flat_map(m.data.Dataset.from_tensors),
    "interleave": lambda m: m.data.Dataset.range(3).interleave(m.data.Dataset.from_tensors, cycle_length=2),
    "parallel_interleave": lambda m: m.data.Dataset.range(3).interleave(
        m.data.Dataset.from_tensors, cycle_length=2, num_parallel_calls=2),
    "shuffle": lambda m: m.data.Dataset.range(3).shuffle(2),
    "batch_dict": lambda m: m.data.Dataset.from_tensor_slices(({"a": [1, 2]}, [3.0, 4.0])).batch(2),
    "parallel_batch": lambda m: m.data.Dataset.range(3).batch(2, num_parallel_calls=2),
    "padded_batch": lambda m: m.data.Dataset.range(3).padded_batch(2),
    "unbatch": lambda m: m.data.Dataset.range(4).batch(2).unbatch(),
    "rebatch": lambda m: m.data.Dataset.range(4).batch(2).rebatch(3),
    "repeat": lambda m: m.data.Dataset.range(3).repeat(),
    "take": lambda m: m.data.Dataset.range(3).take(1),
    "skip": lambda m: m.data.Dataset.range(3).skip(1),
    "shard": lambda m: m.data.Dataset.range(3).shard(2, 0),
    "cache": lambda m: m.data.Dataset.range(3).cache(),
    "prefetch": lambda m: m.data.Dataset.range(3).prefetch(1),
    "window": lambda m: m.data.Dataset.range(3).window(2),
    "window_tuple": lambda m: _pairs(m).window(2),
    "enumerate": lambda m: m.data.Dataset.range(3).enumerate(),
    "concatenate": lambda m: m.data.Dataset.range(3).concatenate(m.data.Dataset.range(2)),
    "zip": lambda m: m.data.Dataset.zip((m.data.Dataset.range(3), m.data.Dataset.range(2))),
    "scan": lambda m: m.data.Dataset.range(3).scan(np.int64(0), lambda s, x: (s, x)),
    "group_by_window": lambda m: m.data.Dataset.range(3).group_by_window(
        lambda x: x, lambda k, w: w.batch(2), window_size=2),
    "ignore_errors": lambda m: m.data.Dataset.range(3).ignore_errors(),
    "options": lambda m: m.data.Dataset.range(3).with_options(m.data.Options()),
    "generator": lambda m: m.data.Dataset.from_generator(lambda: iter([1]),
                                                         output_signature=m.TensorSpec((), m.int32)),
    "generator_unknown_shape": lambda m: m.data.Dataset.from_generator(lambda: iter([1]), output_types=m.int32),
    "tensors": lambda m: m.data.Dataset.from_tensors([1, 2]),
    "choose": lambda m: m.data.Dataset.choose_from_datasets(
        [m.data.Dataset.range(2)] * 2, m.data.Dataset.range(2).repeat(3)),
    "sample": lambda m: m.data.Dataset.sample_from_datasets([m.data.Dataset.range(3)] * 2, seed=1),
    "take_while": lambda m: m.data.Dataset.range(3).take_while(lambda x: x < 2),
    "unique": lambda m: m.data.Dataset.range(3).unique(),
    "assert_cardinality": lambda m: m.data.Dataset.range(3).apply(m.data.experimental.assert_cardinality(3)),
    "py_function_map": lambda m: m.data.Dataset.range(3).map(lambda x: m.py_function(lambda v: v, [x], m.int64)),
}


@pytest.mark.parametrize("name", sorted(REPRS))
def test_repr_and_cardinality_match_tf(name):
    ours, theirs = REPRS[name](tf), REPRS[name](real_tf)
    assert repr(ours) == repr(theirs)
    assert repr(ours.element_spec) == repr(theirs.element_spec)
    assert int(ours.cardinality()) == int(theirs.cardinality())


def _filtered(m, n):
    return m.data.Dataset.range(n).filter(lambda x: True)


CARDINALITIES = {
    "zip_finite": lambda m: m.data.Dataset.zip((m.data.Dataset.range(3), m.data.Dataset.range(5))),
    "zip_infinite": lambda m: m.data.Dataset.zip((m.data.Dataset.range(3), m.data.Dataset.range(5).repeat())),
    "zip_unknown": lambda m: m.data.Dataset.zip((_filtered(m, 3), m.data.Dataset.range(5).repeat())),
    "zip_all_infinite": lambda m: m.data.Dataset.zip((m.data.Dataset.range(1).repeat(),
                                                      m.data.Dataset.range(1).repeat())),
    "concat_infinite": lambda m: m.data.Dataset.range(3).concatenate(m.data.Dataset.range(5).repeat()),
    "concat_unknown": lambda m: _filtered(m, 3).concatenate(m.data.Dataset.range(5)),
    "repeat_empty": lambda m: m.data.Dataset.range(0).repeat(),
    "repeat_zero": lambda m: m.data.Dataset.range(3).repeat(0),
    "repeat_unknown_forever": lambda m: _filtered(m, 3).repeat(),
    "repeat_unknown_twice": lambda m: _filtered(m, 3).repeat(2),
    "take_infinite": lambda m: m.data.Dataset.range(3).repeat().take(5),
    "take_unknown": lambda m: _filtered(m, 3).take(0),
    "skip_infinite": lambda m: m.data.Dataset.range(3).repeat().skip(5),
    "skip_past_end": lambda m: m.data.Dataset.range(3).skip(5),
    "shard_remainder": lambda m: m.data.Dataset.range(10).shard(3, 0),
    "shard_infinite": lambda m: m.data.Dataset.range(3).repeat().shard(2, 0),
    "batch_infinite": lambda m: m.data.Dataset.range(3).repeat().batch(2),
    "batch_empty": lambda m: m.data.Dataset.range(0).batch(2),
    "unbatch_static": lambda m: m.data.Dataset.range(10).batch(2, drop_remainder=True).unbatch(),
    "window_stride": lambda m: m.data.Dataset.range(7).window(3, 2, 2, drop_remainder=True),
    "map_of_filter": lambda m: _filtered(m, 4).map(lambda x: x),
    "list_files": lambda m: m.data.Dataset.list_files(__file__, shuffle=False),
}


@pytest.mark.parametrize("name", sorted(CARDINALITIES))
def test_cardinality_rules_match_tf(name):
    assert int(CARDINALITIES[name](tf).cardinality()) == int(CARDINALITIES[name](real_tf).cardinality())


def test_reduce_and_single_element_match_tf():
    for m in (tf, real_tf):
        assert int(m.data.Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x)) == 10
    ours = tf.data.Dataset.range(3).reduce(tf.constant([], tf.int64), lambda s, x: tf.concat([s, [x]], 0))
    theirs = real_tf.data.Dataset.range(3).reduce(real_tf.constant([], real_tf.int64),
                                                  lambda s, x: real_tf.concat([s, [x]], 0))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    ours = tf.data.Dataset.from_tensors({"a": [1, 2]}).get_single_element()
    theirs = real_tf.data.Dataset.from_tensors({"a": [1, 2]}).get_single_element()
    assert repr(ours) == repr(theirs)


def test_iteration_gives_eager_tensors_like_tf():
    ours = next(iter(_pairs(tf)))
    theirs = next(iter(_pairs(real_tf)))
    assert repr(ours) == repr(theirs)
    assert str(ours[1]) == str(theirs[1])


@pytest.mark.parametrize("make", [
    lambda m: m.data.Dataset.range(3).shard(2, 2),
    lambda m: m.data.Dataset.range(3).shard(0, 0),
    lambda m: m.data.Dataset.range(3).batch(0),
    lambda m: m.data.Dataset.range(0, 5, 0),
    lambda m: m.data.Dataset.range(0).get_single_element(),
    lambda m: m.data.Dataset.range(3).get_single_element(),
    lambda m: list(m.data.Dataset.from_generator(lambda: iter([[1], [1, 2]]), output_signature=m.TensorSpec(
        (None,), m.int32)).batch(2)),
    lambda m: list(m.data.Dataset.range(3).apply(m.data.experimental.assert_cardinality(5))),
    lambda m: list(m.data.Dataset.range(6).apply(m.data.experimental.assert_cardinality(5))),
], ids=["shard_index", "shard_count", "batch_zero", "range_step", "single_empty", "single_many", "batch_shapes",
        "assert_too_few", "assert_too_many"])
def test_op_errors_match_tf(make):
    with pytest.raises(real_tf.errors.OpError) as theirs:
        make(real_tf)
    with pytest.raises(tf.errors.OpError) as ours:
        make(tf)
    assert type(ours.value).__name__ == type(theirs.value).__name__
    expected = theirs.value.message.split("}} ")[-1].split(" [Op:")[0].split("\n")[0]
    assert expected in ours.value.message


@pytest.mark.parametrize("make", [
    lambda m: m.data.Dataset.from_tensor_slices(1),
    lambda m: m.data.Dataset.from_tensor_slices(([1, 2], [1, 2, 3])),
    lambda m: m.data.Dataset.from_tensor_slices(()),
    lambda m: m.data.Dataset.range(3).unbatch(),
    lambda m: m.data.Dataset.range(3).filter(lambda x: x),
    lambda m: m.data.Dataset.from_tensor_slices([[1, 2, 3]]).padded_batch(1, padded_shapes=[2]),
    lambda m: m.data.Dataset.from_generator(lambda: iter([1])),
    lambda m: m.data.Dataset.from_generator(iter([1]), output_types=m.int32),
    lambda m: m.data.Dataset.zip(),
    lambda m: m.data.Dataset.choose_from_datasets([m.data.Dataset.range(2)], m.data.Dataset.from_tensor_slices([0])),
    lambda m: len(m.data.Dataset.range(3).repeat()),
    lambda m: len(m.data.Dataset.range(3).filter(lambda x: True)),
], ids=["slices_scalar", "slices_mismatch", "slices_empty", "unbatch_scalar", "filter_not_bool", "padded_small",
        "generator_no_signature", "generator_not_callable", "zip_nothing", "choose_int32", "len_infinite",
        "len_unknown"])
def test_python_errors_match_tf(make):
    with pytest.raises((TypeError, ValueError)) as theirs:
        make(real_tf)
    with pytest.raises(type(theirs.value)) as ours:
        make(tf)
    assert str(ours.value) == str(theirs.value)


def test_generator_errors_match_tf():
    def bad_structure():
        yield 1

    def bad_shape():
        yield [1, 2, 3]

    def raises():
        yield 1
        raise KeyError("boom")

    cases = [(bad_structure, lambda m: (m.TensorSpec((), m.int32), m.TensorSpec((), m.int32))),
             (bad_shape, lambda m: m.TensorSpec((2,), m.int32)),
             (raises, lambda m: m.TensorSpec((), m.int32))]
    for generator, signature in cases:
        with pytest.raises(real_tf.errors.OpError) as theirs:
            list(real_tf.data.Dataset.from_generator(generator, output_signature=signature(real_tf)))
        with pytest.raises(tf.errors.OpError) as ours:
            list(tf.data.Dataset.from_generator(generator, output_signature=signature(tf)))
        assert type(ours.value).__name__ == type(theirs.value).__name__
        first_line = theirs.value.message.split("}} ")[-1].split("\n")[0]
        assert ours.value.message.split("\n")[0] == first_line


def test_options_match_tf():
    for m in (tf, real_tf):
        options = m.data.Options()
        with pytest.raises(AttributeError, match="Cannot set the property foo on Options."):
            options.foo = 1
        with pytest.raises(TypeError, match='Property "deterministic" must be of type'):
            options.deterministic = "x"
        other = m.data.Options()
        other.deterministic = False
        other.threading.private_threadpool_size = 3
        merged = options.merge(other)
        assert merged.deterministic is False and merged.threading.private_threadpool_size == 3
        dataset = m.data.Dataset.range(3).with_options(other).map(lambda x: x)
        assert dataset.options().deterministic is False
        assert m.data.Options() == m.data.Options()
    assert str(tf.data.experimental.AutoShardPolicy.DATA) == str(real_tf.data.experimental.AutoShardPolicy.DATA)
