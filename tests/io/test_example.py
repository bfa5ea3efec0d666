"""tf.train.Example protos and tf.io.parse_* against independent expectations and the real TensorFlow."""
import numpy as np
import pytest

import ndflow as tf

from .helpers import outcome


def _feature(lib, values):
    if isinstance(values[0], float):
        return lib.train.Feature(float_list=lib.train.FloatList(value=values))
    if isinstance(values[0], int):
        return lib.train.Feature(int64_list=lib.train.Int64List(value=values))
    return lib.train.Feature(bytes_list=lib.train.BytesList(value=values))


def _example(lib=tf, **features):
    feature = {k: _feature(lib, v) for k, v in features.items()}
    return lib.train.Example(features=lib.train.Features(feature=feature)).SerializeToString(deterministic=True)


def _sequence_example(lib=tf, context=None, lists=None):
    return lib.train.SequenceExample(
        context=lib.train.Features(feature={k: _feature(lib, v) for k, v in (context or {}).items()}),
        feature_lists=lib.train.FeatureLists(feature_list={
            k: lib.train.FeatureList(feature=[_feature(lib, step) for step in steps])
            for k, steps in (lists or {}).items()})).SerializeToString(deterministic=True)


S1 = _example(a=[1.0, 2.0], b=[3], c=[b"x", b"yz"])
S2 = _example(a=[5.0, 6.0], c=[b"q"])
SEQ1 = _sequence_example(context={"len": [3], "name": [b"abc"]},
                         lists={"tok": [[1, 2], [3, 4], [5, 6]], "w": [[1.0], [2.0, 3.0]]})
SEQ2 = _sequence_example(context={"len": [1]}, lists={"tok": [[9, 9]]})


def test_protos_build_serialize_and_parse():
    example = tf.train.Example(features=tf.train.Features(feature={
        "val": tf.train.Feature(float_list=tf.train.FloatList(value=np.arange(4.0))),
        "labels": tf.train.Feature(int64_list=tf.train.Int64List(value=[1])),
        "name": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"aa"]))}))
    back = tf.train.Example.FromString(example.SerializeToString())
    assert list(back.features.feature["val"].float_list.value) == [0.0, 1.0, 2.0, 3.0]
    assert back.features.feature["name"].bytes_list.value[0] == b"aa"
    assert back.features.feature["labels"].WhichOneof("kind") == "int64_list"
    assert tf.train.Example().SerializeToString() == b""
    # Example{features{feature{key:"k" value{int64_list{value:[7]}}}}}, encoded by hand
    entry = b"\x0a\x01k" + b"\x12\x05" + b"\x1a\x03" + b"\x0a\x01\x07"
    assert _example(k=[7]) == b"\x0a" + bytes([len(entry) + 2]) + b"\x0a" + bytes([len(entry)]) + entry


def test_single_example_values():
    out = tf.io.parse_single_example(S1, {"a": tf.io.FixedLenFeature([2], tf.float32),
                                          "b": tf.io.FixedLenFeature([], tf.int64),
                                          "c": tf.io.VarLenFeature(tf.string)})
    assert list(out) == ["c", "a", "b"]  # sparse features first, then dense, each sorted
    np.testing.assert_array_equal(out["a"].numpy(), np.array([1.0, 2.0], np.float32))
    assert out["b"].dtype == tf.int64 and out["b"].numpy() == 3
    np.testing.assert_array_equal(out["c"].indices.numpy(), [[0], [1]])
    assert list(out["c"].values.numpy()) == [b"x", b"yz"]
    np.testing.assert_array_equal(out["c"].dense_shape.numpy(), [2])


def test_batched_examples_defaults_and_padding():
    out = tf.io.parse_example([S1, S2], {
        "b": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
        "c": tf.io.VarLenFeature(tf.string),
        "s": tf.io.FixedLenSequenceFeature([], tf.string, allow_missing=True, default_value=b"PAD")})
    np.testing.assert_array_equal(out["b"].numpy(), [3, -1])
    np.testing.assert_array_equal(out["c"].indices.numpy(), [[0, 0], [0, 1], [1, 0]])
    np.testing.assert_array_equal(out["c"].dense_shape.numpy(), [2, 2])
    assert out["s"].shape == (2, 0)


def test_parsing_inside_a_function():
    specs = {"a": tf.io.FixedLenFeature([2], tf.float32), "c": tf.io.VarLenFeature(tf.string)}
    parse = tf.function(lambda s: tf.io.parse_example(s, specs))
    out = parse(tf.constant([S1, S2]))
    np.testing.assert_array_equal(out["a"].numpy(), [[1.0, 2.0], [5.0, 6.0]])
    assert list(out["c"].values.numpy()) == [b"x", b"yz", b"q"]


def test_spec_errors():
    with pytest.raises(ValueError, match="features cannot be empty"):
        tf.io.parse_single_example(S1, {})
    with pytest.raises(ValueError, match="Missing shape for feature a"):
        tf.io.parse_single_example(S1, {"a": tf.io.FixedLenFeature(None, tf.float32)})
    with pytest.raises(ValueError, match="requires allow_missing to be True"):
        tf.io.parse_example([S1], {"a": tf.io.FixedLenSequenceFeature([], tf.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="'Tdense' of double"):
        tf.io.parse_single_example(S1, {"a": tf.io.FixedLenFeature([2], tf.float64)})


def test_feature_reprs():
    assert repr(tf.io.FixedLenFeature([2], tf.float32)) == \
        "FixedLenFeature(shape=[2], dtype=tf.float32, default_value=None)"
    assert repr(tf.io.VarLenFeature(tf.int64)) == "VarLenFeature(dtype=tf.int64)"
    assert repr(tf.io.FixedLenSequenceFeature([], tf.float32, allow_missing=True)) == \
        "FixedLenSequenceFeature(shape=[], dtype=tf.float32, allow_missing=True, default_value=None)"


# ---------------------------------------------------------------------------------------------------------
# Parity: the same inputs and specs through both libraries


def _plain(result):
    """Results as comparable NumPy values (SparseTensors as their three components)."""
    if isinstance(result, (tuple, list)):
        return [_plain(r) for r in result]
    if isinstance(result, dict):
        return [(k, _plain(v)) for k, v in result.items()]
    if hasattr(result, "indices"):
        return ("sparse", _plain(result.indices), _plain(result.values), _plain(result.dense_shape))
    value = np.asarray(result.numpy())
    return (result.dtype.name, value.shape, value.tolist())


def _compare(fn, real_tf):
    ours, theirs = outcome(lambda: fn(tf)), outcome(lambda: fn(real_tf))
    assert ours[0] == theirs[0], f"ndflow {ours} vs TF {theirs}"
    if ours[0] == "ok":
        assert _plain(ours[1]) == _plain(theirs[1])
    else:
        assert ours[1:] == theirs[1:]


EXAMPLE_CASES = {
    "dense": (True, lambda t: {"a": t.io.FixedLenFeature([2], t.float32), "b": t.io.FixedLenFeature([], t.int64)}),
    "dense_2d": (False, lambda t: {"a": t.io.FixedLenFeature([1, 2], t.float32)}),
    "default": (False, lambda t: {"b": t.io.FixedLenFeature([], t.int64, default_value=-1),
                                  "z": t.io.FixedLenFeature([2], t.string, default_value=["p", "q"])}),
    "varlen": (False, lambda t: {"c": t.io.VarLenFeature(t.string), "a": t.io.VarLenFeature(t.float32),
                                 "b": t.io.VarLenFeature(t.int64)}),
    "sequence": (False, lambda t: {"c": t.io.FixedLenSequenceFeature([], t.string, allow_missing=True),
                                   "a": t.io.FixedLenSequenceFeature([2], t.float32, allow_missing=True)}),
    "missing": (False, lambda t: {"b": t.io.FixedLenFeature([], t.int64)}),
    "wrong_type": (True, lambda t: {"a": t.io.FixedLenFeature([2], t.int64)}),
    "wrong_type_varlen": (True, lambda t: {"a": t.io.VarLenFeature(t.int64)}),
    "wrong_type_sequence": (True, lambda t: {"a": t.io.FixedLenSequenceFeature([], t.int64, allow_missing=True)}),
    "wrong_count": (True, lambda t: {"a": t.io.FixedLenFeature([3], t.float32)}),
    "too_many": (True, lambda t: {"c": t.io.FixedLenFeature([1], t.string)}),
    "too_few_bytes": (True, lambda t: {"c": t.io.FixedLenFeature([3], t.string)}),
    "too_few_ints": (True, lambda t: {"b": t.io.FixedLenFeature([2], t.int64)}),
    "stride_bytes": (True, lambda t: {"c": t.io.FixedLenSequenceFeature([3], t.string, allow_missing=True)}),
    "stride": (True, lambda t: {"a": t.io.FixedLenSequenceFeature([3], t.float32, allow_missing=True)}),
    "bad_default": (False, lambda t: {"z": t.io.FixedLenFeature([2], t.int64, default_value=[1, 2, 3])}),
}


@pytest.mark.parity
@pytest.mark.parametrize("case", sorted(EXAMPLE_CASES))
def test_parse_example_parity(real_tf, case):
    first_only, specs = EXAMPLE_CASES[case]
    batch = [S1] if first_only else [S1, S2, S1]
    _compare(lambda t: t.io.parse_example(t.constant(batch), specs(t)), real_tf)
    _compare(lambda t: t.io.parse_example(batch, specs(t), example_names=[f"e{i}" for i in range(len(batch))]),
             real_tf)


@pytest.mark.parity
@pytest.mark.parametrize("case", sorted(EXAMPLE_CASES))
def test_parse_single_example_parity(real_tf, case):
    _, specs = EXAMPLE_CASES[case]
    for serialized in (S1, S2):
        _compare(lambda t, s=serialized: t.io.parse_single_example(s, specs(t)), real_tf)


@pytest.mark.parity
def test_features_without_values_parity(real_tf):
    empty_kind = tf.train.Example(features=tf.train.Features(feature={
        "a": tf.train.Feature(), "e": tf.train.Feature(float_list=tf.train.FloatList())})).SerializeToString()
    for specs in (lambda t: {"a": t.io.FixedLenFeature([], t.float32, default_value=7.0)},
                  lambda t: {"a": t.io.VarLenFeature(t.float32), "e": t.io.VarLenFeature(t.float32)},
                  lambda t: {"e": t.io.FixedLenFeature([], t.float32, default_value=7.0)},
                  lambda t: {"e": t.io.FixedLenSequenceFeature([], t.float32, allow_missing=True)}):
        _compare(lambda t, f=specs: t.io.parse_single_example(empty_kind, f(t)), real_tf)
        _compare(lambda t, f=specs: t.io.parse_example([empty_kind, S1], f(t)), real_tf)


@pytest.mark.parity
def test_unparsable_bytes_parity(real_tf):
    specs = lambda t: {"a": t.io.FixedLenFeature([2], t.float32)}  # noqa: E731
    _compare(lambda t: t.io.parse_example(t.constant([S1, b"\x0a\x03abc"]), specs(t)), real_tf)
    _compare(lambda t: t.io.parse_example(t.constant([[S1]]), specs(t)), real_tf)


@pytest.mark.parity
def test_empty_batch_parity(real_tf):
    specs = lambda t: {"a": t.io.FixedLenFeature([2], t.float32), "c": t.io.VarLenFeature(t.string)}  # noqa: E731
    _compare(lambda t: t.io.parse_example(t.constant([], t.string), specs(t)), real_tf)


CONTEXT = lambda t: {"len": t.io.FixedLenFeature([], t.int64),  # noqa: E731
                     "name": t.io.FixedLenFeature([], t.string, default_value="none")}
SEQUENCE_CASES = {
    "both": (CONTEXT, lambda t: {"tok": t.io.FixedLenSequenceFeature([2], t.int64),
                                 "w": t.io.VarLenFeature(t.float32)}),
    "context_only": (CONTEXT, None),
    "context_sparse": (lambda t: {"len": t.io.VarLenFeature(t.int64)}, None),
    "allow_missing": (None, lambda t: {"x": t.io.FixedLenSequenceFeature([], t.float32, allow_missing=True),
                                       "tok": t.io.FixedLenSequenceFeature([1, 2], t.int64)}),
    "missing_list": (None, lambda t: {"zz": t.io.FixedLenSequenceFeature([], t.int64)}),
    "missing_context": (lambda t: {"zz": t.io.FixedLenFeature([], t.int64)}, None),
    "list_type": (None, lambda t: {"w": t.io.VarLenFeature(t.int64)}),
    "list_count": (None, lambda t: {"w": t.io.FixedLenSequenceFeature([], t.float32)}),
    "context_type": (lambda t: {"len": t.io.FixedLenFeature([], t.float32)}, None),
    "neither": (None, None),
}


@pytest.mark.parity
@pytest.mark.parametrize("case", sorted(SEQUENCE_CASES))
def test_parse_sequence_example_parity(real_tf, case):
    context, lists = SEQUENCE_CASES[case]

    def specs(t):
        return (None if context is None else context(t)), (None if lists is None else lists(t))

    if case not in ("missing_list", "list_count"):
        _compare(lambda t: t.io.parse_sequence_example([SEQ1, SEQ2], *specs(t)), real_tf)
    for serialized in (SEQ1, SEQ2):
        _compare(lambda t, s=serialized: t.io.parse_single_sequence_example(s, *specs(t)), real_tf)


# ---------------------------------------------------------------------------------------------------------
# Batches parsed together (one protobuf call) against example-by-example parsing and TensorFlow


def _mixed_batch(lib=tf):
    """Examples of every size class (one- to three-byte lengths), with features missing or of no kind."""
    out = []
    for i in range(12):
        feature = {"d": _feature(lib, [float(i), i / 2]), "s": _feature(lib, [b"v" * (17000 if i == 7 else 30 * i)]),
                   "n": _feature(lib, [i])}
        if i % 3:
            feature["v"] = _feature(lib, list(range(i % 4 + 1)))
        if i % 4 == 1:
            feature["v"] = lib.train.Feature()
        if i % 5:
            feature["o"] = _feature(lib, [b"o%d" % i, b"p"])
        example = lib.train.Example(features=lib.train.Features(feature=feature))
        out.append(example.SerializeToString(deterministic=True))
    return out


MIXED_SPECS = lambda t: {  # noqa: E731
    "d": t.io.FixedLenFeature([2], t.float32), "s": t.io.FixedLenFeature([1], t.string),
    "n": t.io.FixedLenFeature([], t.int64), "v": t.io.VarLenFeature(t.int64),
    "o": t.io.FixedLenFeature([2], t.string, default_value=["no", "ne"]),
    "m": t.io.FixedLenFeature([1, 1], t.int64, default_value=[[-1]]), "w": t.io.VarLenFeature(t.float32)}


def test_batch_parsed_together_equals_example_by_example():
    from ndflow.io.parsing import _parse_batch, _specs

    batch = _mixed_batch()
    assert _parse_batch(batch, _specs(MIXED_SPECS(tf))) is not None  # the one-call path, not the fallback
    together = tf.io.parse_example(batch, MIXED_SPECS(tf))
    singles = [tf.io.parse_single_example(s, MIXED_SPECS(tf)) for s in batch]
    for key in ("d", "s", "n", "o", "m"):
        assert together[key].dtype == singles[0][key].dtype
        assert together[key].numpy().tolist() == [s[key].numpy().tolist() for s in singles]
    for key in ("v", "w"):
        values = [s[key].values.numpy().tolist() for s in singles]
        assert together[key].values.numpy().tolist() == [v for vs in values for v in vs]
        assert together[key].dense_shape.numpy().tolist() == [len(batch), max(len(v) for v in values)]
        rows = together[key].indices.numpy()[:, 0].tolist()
        assert rows == [i for i, vs in enumerate(values) for _ in vs]


@pytest.mark.parity
def test_mixed_batch_parity(real_tf):
    batch = _mixed_batch()
    _compare(lambda t: t.io.parse_example(t.constant(batch), MIXED_SPECS(t)), real_tf)
    bad_type = batch[:5] + [_example(d=[1, 2])] + batch[5:]
    _compare(lambda t: t.io.parse_example(t.constant(bad_type), {"d": t.io.FixedLenFeature([2], t.float32)}),
             real_tf)
    wrong_kind_varlen = batch + [_example(v=[1.0])]
    _compare(lambda t: t.io.parse_example(t.constant(wrong_kind_varlen), {"v": t.io.VarLenFeature(t.int64)}),
             real_tf)
    missing = batch + [_example(d=[1.0, 2.0])]
    _compare(lambda t: t.io.parse_example(t.constant(missing), {"n": t.io.FixedLenFeature([], t.int64)}),
             real_tf)
    corrupt = batch[:3] + [b"\x0a\x05ab"] + batch[3:]
    _compare(lambda t: t.io.parse_example(t.constant(corrupt), {"n": t.io.FixedLenFeature([], t.int64)}),
             real_tf)
