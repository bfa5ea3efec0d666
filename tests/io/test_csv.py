"""tf.io.decode_csv: values, defaults, quoting, errors, and parity with TensorFlow."""
import numpy as np
import pytest

import ndflow as tf

from .helpers import outcome


def test_columns_take_defaults_and_types():
    ints, floats, strings = tf.io.decode_csv(["1,2.5,abc", '3,,"q,x"'], [[0], [1.0], ["d"]])
    assert ints.dtype == tf.int32 and floats.dtype == tf.float32 and strings.dtype == tf.string
    np.testing.assert_array_equal(ints.numpy(), [1, 3])
    np.testing.assert_array_equal(floats.numpy(), np.array([2.5, 1.0], np.float32))
    assert list(strings.numpy()) == [b"abc", b"q,x"]


def test_shapes_follow_records():
    a, b = tf.io.decode_csv([["1,2", "3,4"]], [[0], [0]])
    assert a.shape == (1, 2)
    np.testing.assert_array_equal(b.numpy(), [[2, 4]])
    scalar = tf.io.decode_csv("7,8", [[0], [0]])
    assert scalar[0].shape == () and int(scalar[1]) == 8


def test_na_value_delimiter_and_selection():
    a, b = tf.io.decode_csv(["NA;2", "1;NA"], [[7], [8]], field_delim=";", na_value="NA")
    np.testing.assert_array_equal(a.numpy(), [7, 1])
    np.testing.assert_array_equal(b.numpy(), [2, 8])
    picked = tf.io.decode_csv(["1,2,3,4"], [[0], [0.0]], select_cols=[1, 3])
    assert [float(v.numpy()[0]) for v in picked] == [2.0, 4.0]


def test_large_input_uses_every_row():
    lines = [f"{i},{i}.5,s{i}" for i in range(5000)]
    ints, floats, strings = tf.io.decode_csv(lines, [[0], [0.0], [""]])
    np.testing.assert_array_equal(ints.numpy(), np.arange(5000))
    np.testing.assert_allclose(floats.numpy(), np.arange(5000) + 0.5)
    assert strings.numpy()[4321] == b"s4321"


def test_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Field 1 is required but missing in record 0!"):
        tf.io.decode_csv(["1,"], [[0], tf.constant([], tf.int32)])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expect 2 fields but have 3 in record 1"):
        tf.io.decode_csv(["1,2", "1,2,3"], [[0], [0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Field 0 in record 0 is not a valid int32: 1.5"):
        tf.io.decode_csv(["1.5,2"], [[0], [0]])
    with pytest.raises(ValueError, match="select_cols is not strictly increasing."):
        tf.io.decode_csv(["1,2"], [[0], [0]], select_cols=[1, 0])


def _plain(values):
    return [(v.dtype.name, np.asarray(v.numpy()).tolist()) for v in values]


CASES = {
    "basic": (["1,2.5,abc", '3,,"q,x"'], lambda t: [[0], [1.0], ["d"]], {}),
    "int64_double": (["99999999999,0.1"], lambda t: [t.constant([0], t.int64), t.constant([0.0], t.float64)], {}),
    "int32_overflow": (["99999999999,2"], lambda t: [[0], [0]], {}),
    "bad_float": (["1.5x,2"], lambda t: [[0.0], [0]], {}),
    "hex_and_special_floats": (["1e3,inf,-nan,0x10, 2.5 "], lambda t: [[0.0]] * 5, {}),
    "hex_int": (["+5,-0,0x10"], lambda t: [[0]] * 3, {}),
    "underscore": (["1_0,2"], lambda t: [[0], [0]], {}),
    "na": (["NA,2", "1,NA"], lambda t: [[7], [8]], {"na_value": "NA"}),
    "quoted_na": (['"NA",2'], lambda t: [["d"], [8]], {"na_value": "NA"}),
    "tab": (["1\t2"], lambda t: [[7], [8]], {"field_delim": "\t"}),
    "no_quote": (['"1",2'], lambda t: [["a"], [8]], {"use_quote_delim": False}),
    "escaped_quote": (['"a""b",2'], lambda t: [["a"], [8]], {}),
    "quote_inside": (['"a"b,2'], lambda t: [["a"], [8]], {}),
    "unterminated": (['"ab,2'], lambda t: [["a"], [8]], {}),
    "unquoted_quote": (['a"b,2'], lambda t: [["a"], [8]], {}),
    "carriage_return": (["1,2\r"], lambda t: [[0], [0]], {}),
    "select_missing": (["1,2"], lambda t: [[0], [0]], {"select_cols": [1, 3]}),
    "trailing_delim": (["1,2,"], lambda t: [[0], [0], [7]], {}),
    "empty_record": ([""], lambda t: [[0]], {}),
    "no_records": ([], lambda t: [[0]], {}),
    "two_defaults": (["1"], lambda t: [[0, 1]], {}),
    "bool_default": (["1,2"], lambda t: [[True], [0]], {}),
    "long_delim": (["1,2"], lambda t: [[0], [0]], {"field_delim": ";;"}),
    "required": (["1,"], lambda t: [[0], t.constant([], t.int32)], {}),
    "later_bad_record": (["1,2", "3,x", "5"], lambda t: [[0], [0]], {}),
}


@pytest.mark.parity
@pytest.mark.parametrize("case", sorted(CASES))
def test_decode_csv_parity(real_tf, case):
    records, defaults, kwargs = CASES[case]
    ours = outcome(lambda: _plain(tf.io.decode_csv(tf.constant(records, tf.string), defaults(tf), **kwargs)))
    theirs = outcome(lambda: _plain(real_tf.io.decode_csv(real_tf.constant(records, real_tf.string),
                                                          defaults(real_tf), **kwargs)))
    if ours[0] == "ok" and theirs[0] == "ok":
        for (dt1, v1), (dt2, v2) in zip(ours[1], theirs[1]):
            assert dt1 == dt2
            kind = object if dt1 == "string" else None
            np.testing.assert_array_equal(np.array(v1, dtype=kind), np.array(v2, dtype=kind))
        return
    assert ours[:2] == theirs[:2], f"ndflow {ours} vs TF {theirs}"
    assert ours[2].split("\n")[0].split(" [Op:")[0] in theirs[2]
