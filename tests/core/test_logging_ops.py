"""``tf.print`` / TF1 ``Print`` text: the layout and number formats of TF's C++ tensor printer."""
import sys

import numpy as np
import pytest

import ndflow as tf

CASES = [
    lambda m: (m.range(10),),
    lambda m: (m.reshape(m.range(100), (10, 10)),),
    lambda m: (m.reshape(m.range(24), (2, 3, 4)),),
    lambda m: (m.constant([1.5, -0.0, float("inf"), -float("inf"), float("nan")]),),
    lambda m: (m.constant([0.1, 1e-8, 123456789.0, 1e10]),),
    lambda m: (m.constant([1 / 3, 2 / 3, 0.1], m.float64),),
    lambda m: (m.constant([True, False]), m.constant(2**40, m.int64), m.constant([1, 2], m.uint8)),
    lambda m: (m.constant(["a\"b", "c\nd", "x y"]), m.constant("s")),
    lambda m: (m.zeros((0, 3)), m.zeros((2, 0)), m.zeros((2, 0, 3))),
    lambda m: ("label", 1, 2.5, [1, m.constant(2)], {"k": m.constant([1.0, 2.0])}),
]


@pytest.mark.parity
@pytest.mark.parametrize("case", range(len(CASES)))
def test_print_matches_tensorflow(case, capfd):
    real_tf = pytest.importorskip("tensorflow")
    real_tf.print(*CASES[case](real_tf), output_stream=sys.stdout)
    sys.stdout.flush()
    theirs = capfd.readouterr().out
    tf.print(*CASES[case](tf), output_stream=sys.stdout)
    assert capfd.readouterr().out == theirs


@pytest.mark.parity
@pytest.mark.parametrize("summarize", [1, 2, -1])
def test_print_summarize_matches_tensorflow(summarize, capfd):
    real_tf = pytest.importorskip("tensorflow")
    value = np.arange(2 * 7 * 7).reshape(2, 7, 7)
    real_tf.print(real_tf.constant(value), summarize=summarize, output_stream=sys.stdout)
    theirs = capfd.readouterr().out
    tf.print(tf.constant(value), summarize=summarize, output_stream=sys.stdout)
    assert capfd.readouterr().out == theirs


def test_print_formats_tensors_inside_structures_in_functions(capsys):
    @tf.function
    def show(x):
        tf.print("v", [x, 2 * x], {"a": x}, output_stream=sys.stdout)

    show(tf.constant([1.0, 2.0]))
    assert capsys.readouterr().out == "v [[1 2], [2 4]] {'a': [1 2]}\n"


def test_tf1_print_writes_the_first_summarize_elements_flat(capfd):
    """TF 1's legacy layout: no line breaks, ``...`` once ``summarize`` elements are written, scalars bracketed."""
    values = [tf.reshape(tf.range(12), (3, 4)), tf.constant([1.5, 2.0]), tf.constant("ab"), tf.constant(3.0)]
    tf.compat.v1.Print(tf.constant(1), values, "msg: ")
    tf.compat.v1.Print(tf.constant(1), values[:1], summarize=20)
    assert capfd.readouterr().err == "msg: [[0 1 2...]...][1.5 2][ab][3]\n[[0 1 2 3][4 5 6 7][8 9 10 11]]\n"
