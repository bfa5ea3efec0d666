"""Parity of the elementwise math ops with real TensorFlow: values, dtypes, error types and gradients."""
import numpy as np
import pytest

import ndflow as tf

pytestmark = pytest.mark.parity
RS = np.random.RandomState(7)


def _outcome(fn):
    """``("ok", dtype, value)`` or ``("error", exception type name)`` for ``fn()``."""
    try:
        out = fn()
    except Exception as exc:  # noqa: BLE001 - the exception type is what we compare
        return ("error", type(exc).__name__)
    return ("ok", out.dtype.name, np.asarray(out.numpy()))


def _assert_same(mine, ref, rtol, label):
    assert mine[0] == ref[0], f"{label}: ndflow {mine} vs TF {ref}"
    if mine[0] == "error":
        assert mine[1] == ref[1], f"{label}: ndflow raised {mine[1]}, TF {ref[1]}"
        return
    assert mine[1] == ref[1], f"{label}: dtype {mine[1]} vs {ref[1]}"
    assert mine[2].shape == ref[2].shape, label
    if mine[2].dtype.kind in "biu" or mine[2].dtype == object:
        np.testing.assert_array_equal(mine[2], ref[2], err_msg=label)
    else:
        np.testing.assert_allclose(mine[2], ref[2], rtol=rtol, atol=rtol, equal_nan=True, err_msg=label)


def _ref_fn(tf_ref, path):
    obj = tf_ref
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _nd_fn(path):
    obj = tf
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


UNARY = {
    "square": (-3, 3), "sqrt": (0, 4), "math.rsqrt": (0.1, 4), "exp": (-5, 5), "math.expm1": (-1, 1),
    "math.log": (0.01, 5), "math.log1p": (-0.9, 3), "math.reciprocal": (0.2, 3), "abs": (-3, 3),
    "sign": (-3, 3),
    "negative": (-3, 3), "sin": (-4, 4), "cos": (-4, 4), "tan": (-1.4, 1.4), "asin": (-1.2, 1.2),
    "acos": (-1.2, 1.2), "atan": (-4, 4), "sinh": (-4, 4), "cosh": (-4, 4), "tanh": (-4, 4), "asinh": (-4, 4),
    "acosh": (0.5, 4), "atanh": (-1.2, 1.2), "sigmoid": (-30, 30), "math.softplus": (-30, 30),
    "math.softsign": (-5, 5), "math.log_sigmoid": (-30, 30), "math.erf": (-3, 3), "math.erfc": (-3, 3),
    "math.erfinv": (-1.1, 1.1), "math.lgamma": (-3, 5), "math.digamma": (-3, 5), "math.bessel_i0e": (-5, 5),
    "math.bessel_i1e": (-5, 5), "floor": (-3, 3), "math.ceil": (-3, 3), "math.rint": (-3, 3),
    "round": (-3, 3),
    "math.is_nan": (-3, 3), "math.is_inf": (-3, 3), "math.is_finite": (-3, 3), "math.real": (-3, 3),
    "math.imag": (-3, 3), "math.angle": (-3, 3), "logical_not": (-3, 3),
}


@pytest.mark.parametrize("path", sorted(UNARY))
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "complex64", "bool"])
def test_unary_values_dtypes_and_errors_match_tf(path, dtype):
    tf_ref = pytest.importorskip("tensorflow")
    low, high = UNARY[path]
    x = RS.uniform(low, high, size=(3, 4))
    if dtype.startswith("float"):
        # TF's float64 erf gives NaN at +-inf (float32 gives +-1); ndflow gives the limits for both
        x[0, :2] = [np.nan, 0.5 if path == "math.erf" else np.inf]
    if dtype == "complex64":
        x = x + 1j * RS.uniform(low, high, size=(3, 4))
    if dtype == "bool":
        x = x > 0
    x = np.round(x * 2) / 2 if dtype in ("float32", "float64") and path in ("round", "math.rint") else x
    x = x.astype(dtype)
    mine = _outcome(lambda: _nd_fn(path)(x))
    ref = _outcome(lambda: _ref_fn(tf_ref, path)(x))
    _assert_same(mine, ref, 2e-5 if dtype in ("float32", "complex64") else 1e-10, f"{path}({dtype})")


BINARY = {
    "math.floordiv": ((-5, 5), (0.5, 3)), "truncatediv": ((-5, 5), (0.5, 3)),
    "math.floormod": ((-5, 5), (-3, 3)),
    "truncatemod": ((-5, 5), (-3, 3)), "pow": ((0, 3), (-2, 2)), "maximum": ((-2, 2), (-2, 2)),
    "minimum": ((-2, 2), (-2, 2)), "math.squared_difference": ((-2, 2), (-2, 2)),
    "math.xlogy": ((-1, 2), (0, 2)),
    "math.xdivy": ((-1, 2), (0, 2)), "math.xlog1py": ((-1, 2), (-1, 2)), "atan2": ((-2, 2), (-2, 2)),
    "math.polygamma": ((0, 3), (0.1, 3)), "equal": ((-2, 2), (-2, 2)), "not_equal": ((-2, 2), (-2, 2)),
    "less": ((-2, 2), (-2, 2)), "less_equal": ((-2, 2), (-2, 2)), "greater": ((-2, 2), (-2, 2)),
    "greater_equal": ((-2, 2), (-2, 2)), "logical_and": ((-2, 2), (-2, 2)), "logical_or": ((-2, 2), (-2, 2)),
    "math.logical_xor": ((-2, 2), (-2, 2)), "complex": ((-2, 2), (-2, 2)), "subtract": ((-2, 2), (-2, 2)),
    "multiply": ((-2, 2), (-2, 2)), "divide": ((-2, 2), (0.5, 2)), "math.divide_no_nan": ((-2, 2), (-1, 1)),
}


def _binary_inputs(path, dtype):
    (xl, xh), (yl, yh) = BINARY[path]
    x = np.round(RS.uniform(xl, xh, size=(3, 1)) * 2) / 2
    y = np.round(RS.uniform(yl, yh, size=(4,)) * 2) / 2
    if dtype in ("int32", "int64", "uint8"):
        x, y = np.round(x * 2), np.round(y * 2)
        y[y == 0] = 1
    if dtype == "uint8":
        x, y = np.abs(x), np.abs(y)
    if dtype == "bool":
        x, y = x > 0, y > 0
    return x.astype(dtype), y.astype(dtype)


@pytest.mark.parametrize("path", sorted(BINARY))
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "uint8", "bool", "complex128"])
def test_binary_values_dtypes_and_errors_match_tf(path, dtype):
    tf_ref = pytest.importorskip("tensorflow")
    x, y = _binary_inputs(path, dtype)
    if path == "pow" and dtype.startswith("int"):
        y = np.abs(y)
    if path == "divide" and dtype == "bool":
        pytest.skip("TF's divide hands two bool NumPy arrays to NumPy's own division")
    mine = _outcome(lambda: _nd_fn(path)(x, y))
    ref = _outcome(lambda: _ref_fn(tf_ref, path)(x, y))
    _assert_same(mine, ref, 2e-5 if dtype == "float32" else 1e-10, f"{path}({dtype})")


OPERATOR_CASES = [
    lambda t, a: a // 2, lambda t, a: a % -3, lambda t, a: -7 // a, lambda t, a: 7 % a, lambda t, a: a ** 2,
    lambda t, a: 2 ** a, lambda t, a: a ** -1, lambda t, a: a // 0, lambda t, a: a % 0, lambda t, a: a < 2,
    lambda t, a: a >= 2, lambda t, a: a == 2, lambda t, a: a != 2, lambda t, a: a == t.constant([1, 2]),
    lambda t, a: a != t.constant([1, 2]), lambda t, a: a == 1.5, lambda t, a: a & 6, lambda t, a: 6 | a,
    lambda t, a: a ^ 5, lambda t, a: ~a, lambda t, a: abs(-a), lambda t, a: (a > 1) & (a < 3),
    lambda t, a: ~(a > 1), lambda t, a: (a > 1) ^ True, lambda t, a: t.cast(a, t.float32) & 1.0,
    lambda t, a: a * 1.5, lambda t, a: a - 1.5, lambda t, a: t.cast(a, t.float32) // 0.0,
    lambda t, a: t.cast(a, t.float64) % 1.25, lambda t, a: t.where(a > 1), lambda t, a: t.where(a > 1, a, -a),
    lambda t, a: t.where(a > 1, a, 2.5), lambda t, a: t.where([True, False, True], 1, 2.5),
    lambda t, a: t.where(a, 1, 2), lambda t, a: t.add_n([a, a, a]), lambda t, a: t.add_n([a, [1, 2]]),
    lambda t, a: t.add_n([a, t.cast(a, t.float32)]), lambda t, a: t.add_n([]),
    lambda t, a: t.math.accumulate_n([a, a], shape=[3]), lambda t, a: t.math.accumulate_n([a], shape=[2]),
    lambda t, a: t.scalar_mul(3, a), lambda t, a: t.scalar_mul([3], a),
    lambda t, a: t.clip_by_value(a, 2, 2), lambda t, a: t.clip_by_value(a, 1.5, 2),
    lambda t, a: t.clip_by_value(t.cast(a, t.float32), [0.0, 1.5, 9.0], 2.5),
    lambda t, a: t.clip_by_value(t.constant(1.0), [0.0, 1.0], 2.0),
    lambda t, a: t.complex(t.cast(a, t.float64), 1.0), lambda t, a: t.math.angle(a),
    lambda t, a: t.logical_and(a, a), lambda t, a: t.logical_and(True, False),
    lambda t, a: t.math.sign(t.complex(t.cast(a, t.float32), -1.0)), lambda t, a: t.abs(t.complex(1.0, 2.0)),
    lambda t, a: t.truncatediv(-a, 2), lambda t, a: t.truncatemod(-a, 2),
    lambda t, a: t.bitwise.left_shift(a, 40), lambda t, a: t.bitwise.right_shift(-a, 1),
    lambda t, a: t.bitwise.invert(t.cast(a, t.uint8)),
]


@pytest.mark.parametrize("case", range(len(OPERATOR_CASES)))
def test_operators_and_helpers_match_tf(case):
    tf_ref = pytest.importorskip("tensorflow")
    fn = OPERATOR_CASES[case]
    if "bitwise" in fn.__code__.co_names:
        from ndflow._core.export import namespace

        class _Mine:  # ndflow has tf.bitwise only once the lead adds the namespace module
            def __getattr__(self, name):
                return getattr(tf, name)

            bitwise = type("bitwise", (), {k: staticmethod(v) for k, v in namespace("bitwise").items()})

        mine_module = _Mine()
    else:
        mine_module = tf
    mine = _outcome(lambda: fn(mine_module, tf.constant([1, 2, 3])))
    ref = _outcome(lambda: fn(tf_ref, tf_ref.constant([1, 2, 3])))
    _assert_same(mine, ref, 1e-6, f"case {case}")


def _gradients(module, fn, values, persistent_order=1):
    xs = [module.constant(v) for v in values]
    with module.GradientTape() as outer:
        outer.watch(xs)
        with module.GradientTape() as inner:
            inner.watch(xs)
            y = fn(module, *xs)
        first = inner.gradient(y, xs)
        total = module.add_n([module.reduce_sum(g) for g in first if g is not None]) \
            if any(g is not None for g in first) else None
    second = outer.gradient(total, xs) if total is not None else [None] * len(xs)
    return first, second


GRADIENT_CASES = [
    (lambda t, x: t.math.floormod(x, 0.7), [np.float64([-1.5, 0.2, 2.5])]),
    (lambda t, x, y: t.math.floormod(x, y), [np.float64([-1.5, 0.2, 2.5]), np.float64([0.7, -0.6, 1.1])]),
    (lambda t, x, y: t.maximum(x, y), [np.float64([1, 2, 3]), np.float64([1, 1, 4])]),
    (lambda t, x, y: t.minimum(x, y), [np.float64([1, 2, 3]), np.float64([1, 1, 4])]),
    (lambda t, x, y: t.pow(x, y), [np.float64([-2, 0, 2, 1.5]), np.float64([2, 2, 2, -0.5])]),
    (lambda t, x, y: t.math.xlogy(x, y), [np.float64([0, 1, 2]), np.float64([0, 2, 3])]),
    (lambda t, x, y: t.math.xdivy(x, y), [np.float64([0, 1, 2]), np.float64([0, 2, 3])]),
    (lambda t, x, y: t.math.xlog1py(x, y), [np.float64([0, 1, 2]), np.float64([-1, 2, 3])]),
    (lambda t, x, y: t.math.squared_difference(x, y), [np.float64([0, 1, 2]), np.float64([1, 2, -3])]),
    (lambda t, x, y: t.atan2(x, y), [np.float64([0.5, 1, -2]), np.float64([1, -2, -3])]),
    (lambda t, x: t.clip_by_value(x, 0.0, 1.0), [np.float64([-1, 0, 0.5, 1, 2])]),
    (lambda t, x, y: t.where(x > 0.5, x * x, y * y * y), [np.float64([0, 1, 2]), np.float64([3, 2, -3])]),
    (lambda t, x: t.abs(x) * t.sign(x), [np.float64([-2, 0, 3])]),
    (lambda t, x: t.floor(x) + t.math.ceil(x) + t.round(x) + t.math.rint(x), [np.float64([0.3, 1.7])]),
    (lambda t, x: t.math.sqrt(x) + t.math.rsqrt(x + 1), [np.float64([0, 1, 4])]),
    (lambda t, x: t.sigmoid(x) + t.math.softplus(x) + t.math.log_sigmoid(x),
     [np.float64([-1000, -1, 0, 2, 1000])]),
    # softsign is left out: TF has no gradient for SoftsignGrad, so no second order
    (lambda t, x: t.tanh(x) + t.math.erf(x) + t.math.erfc(x), [np.float64([-2, 0, 0.5])]),
    (lambda t, x: t.math.erfinv(x) + t.math.lgamma(x + 1) + t.math.digamma(x + 1),
     [np.float64([-0.5, 0, 0.5])]),
    (lambda t, x: t.math.bessel_i0e(x) + t.math.bessel_i1e(x), [np.float64([-1.5, 0.2, 0.5])]),
    (lambda t, x: t.math.polygamma(t.constant([0.0, 1.0, 2.0], t.float64), x), [np.float64([0.5, 1.5, 2.5])]),
    (lambda t, x: t.asin(x) + t.acos(x) + t.atan(x) + t.atanh(x) + t.asinh(x), [np.float64([-0.5, 0, 0.7])]),
    (lambda t, x: t.sin(x) * t.cos(x) + t.tan(x) + t.sinh(x) * t.cosh(x) + t.acosh(x + 2),
     [np.float64([-1, 0, 1])]),
    (lambda t, x: t.exp(x) + t.math.expm1(x) + t.math.log(x + 2) + t.math.log1p(x + 1)
     + t.math.reciprocal(x + 3),
     [np.float64([-1, 0, 1])]),
    (lambda t, x, y: t.abs(t.complex(x, y)) + t.math.angle(t.complex(y, x)),
     [np.float64([1, -2]), np.float64([3, 4])]),
    (lambda t, x, y: t.math.real(t.sign(t.complex(x, y)) * t.complex(y, x)),
     [np.float64([1, -2]), np.float64([3, 4])]),
    (lambda t, x, y: t.math.imag(t.math.divide_no_nan(t.complex(x, y), t.complex(y, x))),
     [np.float64([1, 0]), np.float64([3, 0])]),
    (lambda t, x, y: t.add_n([x, y, x * y]) + t.scalar_mul(2.0, x),
     [np.float64([1, -2]), np.float64([3, 4])]),
    (lambda t, x, y: t.cast(t.equal(x, y), t.float64) * x + t.cast(t.math.is_finite(x), t.float64),
     [np.float64([1, -2]), np.float64([1, 4])]),
]


@pytest.mark.parametrize("case", range(len(GRADIENT_CASES)))
def test_gradients_match_tf_to_second_order(case):
    tf_ref = pytest.importorskip("tensorflow")
    fn, values = GRADIENT_CASES[case]
    mine = _gradients(tf, fn, values)
    ref = _gradients(tf_ref, fn, values)
    for order, (m_grads, r_grads) in enumerate(zip(mine, ref), 1):
        for k, (m, r) in enumerate(zip(m_grads, r_grads)):
            label = f"case {case}, order {order}, input {k}"
            assert (m is None) == (r is None), f"{label}: ndflow {m} vs TF {r}"
            if m is not None:
                np.testing.assert_allclose(m.numpy(), r.numpy(), rtol=1e-7, atol=1e-12, equal_nan=True,
                                           err_msg=label)
