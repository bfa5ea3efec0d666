"""Parity with the real TensorFlow for reductions, scans, sorting, segments, norms and clipping.

Each case calls the same public function of both libraries on the same NumPy inputs and compares values,
dtypes and shapes, or the type of the error raised.
"""
import numpy as np
import pytest

import ndflow

pytestmark = pytest.mark.parity

RS = np.random.RandomState(7)
F32 = RS.randn(2, 3, 4).astype(np.float32)
F64 = RS.randn(3, 4)
I32 = RS.randint(-5, 6, size=(3, 4)).astype(np.int32)
TIES = np.array([[3.0, 1.0, 3.0, 2.0], [0.0, 5.0, 5.0, 5.0]], np.float32)
BOOLS = np.array([[True, False], [True, True]])


def resolve(module, path):
    for part in path.split("."):
        module = getattr(module, part)
    return module


def flatten(result):
    if isinstance(result, (list, tuple)):
        return [leaf for item in result for leaf in flatten(item)]
    return [result]


def assert_same_results(ours, theirs, rtol=1e-5):
    ours, theirs = flatten(ours), flatten(theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if not hasattr(b, "numpy"):  # a Python/NumPy value passed through unchanged
            assert type(a) is type(b)
            np.testing.assert_array_equal(a, b)
            continue
        assert a.dtype.name == b.dtype.name
        assert tuple(a.shape) == tuple(b.shape)
        expected = b.numpy()
        if expected.dtype.kind in "fc":
            np.testing.assert_allclose(a.numpy(), expected, rtol=rtol, atol=1e-6, equal_nan=True)
        else:
            np.testing.assert_array_equal(a.numpy(), expected)


def compare(path, *args, **kwargs):
    """Calls ``path`` in both libraries; asserts equal results or the same error type."""
    tf_ref = pytest.importorskip("tensorflow")
    try:
        theirs = resolve(tf_ref, path)(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the error type is what is compared
        with pytest.raises(Exception) as info:
            resolve(ndflow, path)(*args, **kwargs)
        assert type(info.value).__name__ == type(exc).__name__, (info.value, exc)
        return
    assert_same_results(resolve(ndflow, path)(*args, **kwargs), theirs)


def compare_gradient(path, x, *args, **kwargs):
    """Compares d sum(f(x) * w) / dx for a fixed weighting w."""
    tf_ref = pytest.importorskip("tensorflow")
    results = []
    for lib in (ndflow, tf_ref):
        t = lib.constant(x)
        with lib.GradientTape() as tape:
            tape.watch(t)
            out = flatten(resolve(lib, path)(t, *args, **kwargs))[0]
            size = int(np.prod(out.shape))
            weights = lib.constant(np.arange(1, size + 1, dtype=x.dtype).reshape(out.shape))
            y = lib.reduce_sum(out * weights)
        results.append(tape.gradient(y, t))
    assert_same_results(results[0], results[1])


REDUCTIONS = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_logsumexp",
              "math.reduce_std", "math.reduce_variance", "math.reduce_euclidean_norm"]


@pytest.mark.parametrize("path", REDUCTIONS)
@pytest.mark.parametrize("x", [F32, I32, F64], ids=["f32", "i32", "f64"])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), (-1, True), ([0, 1], False)])
def test_reductions(path, x, axis, keepdims):
    compare(path, x, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("path", ["reduce_sum", "reduce_max", "reduce_mean", "argmax"])
@pytest.mark.parametrize("x,axis", [(BOOLS, None), (I32, 2), (I32, -3), (I32, [0, 0]), (np.float32(3), 0),
                                    (np.zeros(0, np.float32), 0), (np.array(["a"]), None)])
def test_reduction_errors_and_edges(path, x, axis):
    compare(path, x, axis)


@pytest.mark.parametrize("path", ["reduce_all", "reduce_any"])
@pytest.mark.parametrize("axis", [None, 0, 1, 2])
def test_boolean_reductions(path, axis):
    compare(path, BOOLS, axis=axis)


@pytest.mark.parametrize("x", [np.zeros(0, np.float32), np.array([1.0, 0.0]), np.array([1, 0]), [1, 0], I32])
def test_boolean_reductions_convert_non_tensors(x):
    compare("reduce_all", x)
    compare("reduce_any", x)


@pytest.mark.parametrize("path", ["argmax", "argmin"])
@pytest.mark.parametrize("x", [TIES, I32, np.array([3.0, np.nan, 1.0], np.float32)],
                         ids=["ties", "int", "nan"])
@pytest.mark.parametrize("axis", [None, -1])
@pytest.mark.parametrize("output_type", ["int64", "int32"])
def test_arg_reductions(path, x, axis, output_type):
    compare(path, x, axis=axis, output_type=output_type)


@pytest.mark.parametrize("x", [I32, np.array(["", "a"]), BOOLS, np.array([np.nan, 0.0])])
def test_count_nonzero(x):
    compare("math.count_nonzero", x)
    compare("math.count_nonzero", x, axis=0, keepdims=True, dtype="int32")


@pytest.mark.parametrize("path", ["cumsum", "math.cumprod", "math.cumulative_logsumexp"])
@pytest.mark.parametrize("x", [F32, I32], ids=["f32", "i32"])
@pytest.mark.parametrize("axis", [0, -1, 3])
@pytest.mark.parametrize("exclusive,reverse", [(False, False), (True, False), (False, True), (True, True)])
def test_scans(path, x, axis, exclusive, reverse):
    compare(path, x, axis=axis, exclusive=exclusive, reverse=reverse)


@pytest.mark.parametrize("k,sorted_", [(1, True), (3, True), (0, True), (5, True), (-1, True)])
@pytest.mark.parametrize("x", [TIES, I32], ids=["ties", "int"])
def test_top_k(x, k, sorted_):
    compare("math.top_k", x, k, sorted=sorted_)


@pytest.mark.parametrize("direction", ["ASCENDING", "DESCENDING", "UP"])
@pytest.mark.parametrize("axis", [-1, 0, 2])
@pytest.mark.parametrize("x", [TIES, I32, np.array([3, 1, 2, 1, 3], np.uint8)], ids=["ties", "int", "uint8"])
def test_sort_and_argsort(x, axis, direction):
    compare("sort", x, axis=axis, direction=direction)
    compare("argsort", x, axis=axis, direction=direction, stable=True)


@pytest.mark.parametrize("path", ["unique", "unique_with_counts"])
@pytest.mark.parametrize("x", [np.array([1, 1, 2, 4, 4, 4, 7, 8, 8], np.int32), np.array([3.0, 1.0, 3.0]),
                               np.array([b"b", b"a", b"b"]), np.array([[1, 2]])])
@pytest.mark.parametrize("out_idx", ["int32", "int64", "float32"])
def test_unique(path, x, out_idx):
    compare(path, x, out_idx=out_idx)


@pytest.mark.parametrize("kwargs", [{}, {"minlength": 8}, {"maxlength": 3}, {"dtype": "float32"},
                                    {"weights": np.array([1.0, 2.0, 3.0, 4.0], np.float32)},
                                    {"weights": np.array([1, 2, 3, 4], np.int32)},
                                    {"binary_output": True}, {"weights": np.array([1.0])}])
def test_bincount(kwargs):
    compare("math.bincount", np.array([1, 1, 2, 5], np.int32), **kwargs)


def test_bincount_rows_and_errors():
    compare("math.bincount", np.array([[1, 2], [3, 3]], np.int32), axis=-1)
    compare("math.bincount", np.array([[1, 2], [3, 3]], np.int32))
    compare("math.bincount", np.array([1, -1], np.int32))


SEG_DATA = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 0.0]], np.float32)


@pytest.mark.parametrize("kind", ["sum", "mean", "max", "min", "prod"])
@pytest.mark.parametrize("ids", [[0, 0, 2, 2], [1, 0, 0, 1], [-1, 0, 0, 0], [0, 0], [0.0, 0.0, 1.0, 1.0]])
@pytest.mark.parametrize("data", [SEG_DATA, SEG_DATA.astype(np.int32)], ids=["f32", "i32"])
def test_sorted_segments(kind, ids, data):
    compare(f"math.segment_{kind}", data, np.array(ids))


@pytest.mark.parametrize("kind", ["sum", "mean", "max", "min", "prod", "sqrt_n"])
@pytest.mark.parametrize("ids,num", [([2, 0, 2, -1], 4), ([5, 0, 2, 1], 3), ([1, 1], 2), ([0, 1, 0, 1], -1)])
@pytest.mark.parametrize("data", [SEG_DATA, SEG_DATA.astype(np.int32)], ids=["f32", "i32"])
def test_unsorted_segments(kind, ids, num, data):
    compare(f"math.unsorted_segment_{kind}", data, np.array(ids, np.int32), num)


@pytest.mark.parametrize("ord", ["euclidean", "fro", 1, 2, np.inf, 3, 0.5, 0, -1, "nuc"])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1), [1, 0], (1, 1), 1.0])
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm(ord, axis, keepdims):
    compare("norm", F64, ord=ord, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("x", [np.array([3 + 4j, 0]), np.array([3, 4], np.int32)], ids=["complex", "int"])
@pytest.mark.parametrize("ord", ["euclidean", 1])
def test_norm_dtypes(x, ord):
    compare("linalg.norm", x, ord)


@pytest.mark.parametrize("axes", [None, [0], [1]])
@pytest.mark.parametrize("clip_norm", [0.5, 100.0])
def test_clip_by_norm(axes, clip_norm):
    compare("clip_by_norm", F64, clip_norm, axes=axes)
    compare("clip_by_norm", np.zeros(3, np.float32), clip_norm)


@pytest.mark.parametrize("clip_norm", [0.5, 100.0])
def test_global_norm_clipping(clip_norm):
    values = [F64, None, F64[0]]
    compare("linalg.global_norm", values)
    compare("clip_by_global_norm", values, clip_norm)
    compare("clip_by_global_norm", [F64], clip_norm, use_norm=np.float64(np.inf))
    compare("clip_by_global_norm", "abc", clip_norm)


@pytest.mark.parametrize("path,x,args", [
    ("reduce_max", np.array([1.0, 3.0, 3.0], np.float32), ()),
    ("reduce_min", TIES, (1,)),
    ("reduce_prod", np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 1.0]], np.float32), (1,)),
    ("reduce_logsumexp", np.array([1000.0, 1000.0, 0.0], np.float32), ()),
    ("math.reduce_std", F64, (1,)),
    ("math.reduce_euclidean_norm", F64, (0,)),
    ("math.cumprod", np.array([0.0, 2.0, 3.0], np.float32), ()),
    ("math.cumulative_logsumexp", np.array([1.0, 2.0, 3.0], np.float32), (0, True, True)),
    ("math.top_k", TIES, (2,)),
    ("sort", TIES, (0, "DESCENDING")),
    ("math.segment_max", np.array([3.0, 3.0, 2.0], np.float32), ([0, 0, 1],)),
    ("math.unsorted_segment_prod", np.array([0.0, 2.0, 3.0, 4.0], np.float32), ([0, 0, 0, 1], 2)),
    ("math.unsorted_segment_mean", np.array([1.0, 2.0, 3.0, 4.0], np.float32), ([0, -1, 0, 1], 3)),
    ("norm", F64, (1, (0, 1))),
    ("norm", np.zeros(2, np.float32), ()),
    ("clip_by_norm", np.zeros(2, np.float32), (1.0,)),
    ("clip_by_norm", np.array([3.0, 4.0], np.float32), (1.0,)),
])
def test_gradients(path, x, args):
    compare_gradient(path, x, *args)
