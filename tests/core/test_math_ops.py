"""Elementwise math ops: values against NumPy/SciPy, TF's dtype rules and errors, gradients (order 2)."""
import math

import numpy as np
import pytest
import scipy.special as sp

import ndflow as tf
from ndflow._core.export import namespace
from tests.gradcheck import check_gradients

bitwise = namespace("bitwise")
InvalidArgumentError = tf.errors.InvalidArgumentError
RS = np.random.RandomState(0)


def grads(f, *values):
    """Tape gradients of ``f`` with respect to each (watched) constant."""
    xs = [tf.constant(v) for v in values]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    return tape.gradient(y, xs)


# ---------------------------------------------------------------------------------------------------------
# Unary ops: values against NumPy/SciPy, dtype kept

UNARY = [
    # (ndflow function, reference, low, high)
    (tf.square, np.square, -3, 3),
    (tf.sqrt, np.sqrt, 0.1, 4),
    (tf.math.rsqrt, lambda x: 1 / np.sqrt(x), 0.1, 4),
    (tf.exp, np.exp, -3, 3),
    (tf.math.expm1, np.expm1, -1, 1),
    (tf.math.log, np.log, 0.1, 4),
    (tf.math.log1p, np.log1p, -0.5, 3),
    (tf.math.reciprocal, np.reciprocal, 0.5, 3),
    (tf.abs, np.abs, -3, 3),
    (tf.sign, np.sign, -3, 3),
    (tf.negative, np.negative, -3, 3),
    (tf.sin, np.sin, -3, 3),
    (tf.cos, np.cos, -3, 3),
    (tf.tan, np.tan, -1.2, 1.2),
    (tf.asin, np.arcsin, -0.99, 0.99),
    (tf.acos, np.arccos, -0.99, 0.99),
    (tf.atan, np.arctan, -3, 3),
    (tf.sinh, np.sinh, -3, 3),
    (tf.cosh, np.cosh, -3, 3),
    (tf.tanh, np.tanh, -3, 3),
    (tf.asinh, np.arcsinh, -3, 3),
    (tf.acosh, np.arccosh, 1, 4),
    (tf.atanh, np.arctanh, -0.99, 0.99),
    (tf.sigmoid, sp.expit, -6, 6),
    (tf.math.softplus, lambda x: np.logaddexp(0, x), -6, 6),
    (tf.math.softsign, lambda x: x / (1 + np.abs(x)), -6, 6),
    (tf.math.log_sigmoid, lambda x: -np.logaddexp(0, -x), -6, 6),
    (tf.math.erf, sp.erf, -2, 2),
    (tf.math.erfc, sp.erfc, -2, 2),
    (tf.math.erfinv, sp.erfinv, -0.99, 0.99),
    (tf.math.lgamma, sp.gammaln, 0.1, 5),
    (tf.math.digamma, sp.digamma, 0.1, 5),
    (tf.math.bessel_i0e, sp.i0e, -4, 4),
    (tf.math.bessel_i1e, sp.i1e, -4, 4),
    (tf.floor, np.floor, -3, 3),
    (tf.math.ceil, np.ceil, -3, 3),
    (tf.math.rint, np.rint, -3, 3),
    (tf.round, np.round, -3, 3),
]


@pytest.mark.parametrize("fn, ref, low, high", UNARY, ids=[u[0].__name__ for u in UNARY])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unary_values_match_numpy_and_keep_dtype(fn, ref, low, high, dtype):
    x = RS.uniform(low, high, size=(2, 5)).astype(dtype)
    out = fn(x)
    assert out.dtype == dtype
    assert out.shape == (2, 5)
    rtol = 2e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out.numpy(), ref(x.astype(np.float64)).astype(dtype), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("fn", [tf.exp, tf.sigmoid, tf.math.erf, tf.math.lgamma, tf.math.softplus, tf.tanh])
def test_half_precision_stays_half(fn):
    out = fn(np.array([0.5, 1.5], np.float16))
    assert out.dtype == tf.float16


@pytest.mark.parametrize("fn, name", [
    (tf.sqrt, "Sqrt"), (tf.exp, "Exp"), (tf.sin, "Sin"), (tf.math.log, "Log"), (tf.sigmoid, "Sigmoid"),
    (tf.floor, "Floor"), (tf.math.ceil, "Ceil"), (tf.math.rint, "Rint"), (tf.math.is_nan, "IsNan"),
    (tf.math.erf, "Erf"), (tf.math.lgamma, "Lgamma"), (tf.math.softplus, "Softplus"),
    (tf.math.log_sigmoid, "Softplus"), (tf.math.bessel_i0e, "BesselI0e"), (tf.math.softsign, "Softsign"),
])
def test_float_only_ops_reject_integers(fn, name):
    with pytest.raises(InvalidArgumentError, match=rf"(?s)Value for attr 'T' of int32 is not in the list of "
                                                   rf"allowed values.*\[Op:{name}\]"):
        fn(tf.constant([1, 2]))


def test_allowed_dtype_lists_in_tf_order():
    with pytest.raises(InvalidArgumentError,
                       match="allowed values: bfloat16, half, float, double, complex64, complex128"):
        tf.exp(tf.constant([1]))
    with pytest.raises(InvalidArgumentError, match="allowed values: half, bfloat16, float, double\n"):
        tf.math.softplus(tf.constant([1]))
    with pytest.raises(InvalidArgumentError, match="of uint8 is not in the list of allowed values: bfloat16, "
                                                   "half, float, double, int8, int16, int32, int64\n"):
        tf.abs(tf.constant([1], tf.uint8))


def test_integer_friendly_unary_ops():
    x = np.array([-3, 0, 4], np.int32)
    assert tf.square(x).dtype == tf.int32
    np.testing.assert_array_equal(tf.square(x).numpy(), x * x)
    np.testing.assert_array_equal(tf.abs(x).numpy(), np.abs(x))
    np.testing.assert_array_equal(tf.sign(x).numpy(), np.sign(x))
    np.testing.assert_array_equal(tf.negative(x).numpy(), -x)
    np.testing.assert_array_equal(tf.square(np.array([4], np.uint8)).numpy(), [16])
    with pytest.raises(InvalidArgumentError, match="Neg"):
        tf.negative(tf.constant([1], tf.uint8))
    with pytest.raises(InvalidArgumentError, match="Sign"):
        tf.sign(tf.constant([1], tf.uint8))
    with pytest.raises(InvalidArgumentError, match="Square"):
        tf.square(tf.constant([True]))
    with pytest.raises(tf.errors.NotFoundError, match="Reciprocal"):
        tf.math.reciprocal(tf.constant([2]))


def test_complex_unary_ops():
    z = np.array([3 + 4j, -1 - 1j, 0j], np.complex64)
    a = tf.abs(z)
    assert a.dtype == tf.float32
    np.testing.assert_allclose(a.numpy(), np.abs(z))
    s = tf.sign(z)
    assert s.dtype == tf.complex64
    np.testing.assert_allclose(s.numpy(), [0.6 + 0.8j, (-1 - 1j) / math.sqrt(2), 0], rtol=1e-6)
    for fn, ref in [(tf.exp, np.exp), (tf.sqrt, np.sqrt), (tf.sin, np.sin), (tf.tanh, np.tanh),
                    (tf.math.log1p, np.log1p), (tf.math.expm1, np.expm1)]:
        w = np.array([0.5 + 0.25j, -1 + 2j])
        np.testing.assert_allclose(fn(w).numpy(), ref(w), rtol=1e-12)
    np.testing.assert_allclose(tf.sigmoid(np.array([0.5 + 1j])).numpy(), 1 / (1 + np.exp(-(0.5 + 1j))))
    with pytest.raises(InvalidArgumentError, match="Erf"):
        tf.math.erf(np.array([1j]))


def test_numerically_stable_activations_at_extremes():
    x = tf.constant([-1000.0, -20.0, 0.0, 20.0, 1000.0])
    sig, sp_, ls = tf.sigmoid(x).numpy(), tf.math.softplus(x).numpy(), tf.math.log_sigmoid(x).numpy()
    for v in (sig, sp_, ls):
        assert np.all(np.isfinite(v))
    np.testing.assert_allclose(sig, sp.expit(x.numpy().astype(np.float64)), rtol=1e-6)
    np.testing.assert_allclose(sp_, np.logaddexp(0, x.numpy().astype(np.float64)), rtol=1e-6)
    np.testing.assert_allclose(ls, -np.logaddexp(0, -x.numpy().astype(np.float64)), rtol=1e-6)
    assert sp_[-1] == 1000.0 and ls[0] == -1000.0
    g_sig, = grads(tf.sigmoid, np.float32([-1000, 1000]))
    g_sp, = grads(tf.math.softplus, np.float32([-1000, 1000]))
    g_ls, = grads(tf.math.log_sigmoid, np.float32([-1000, 1000]))
    np.testing.assert_array_equal(g_sig.numpy(), [0, 0])
    np.testing.assert_array_equal(g_sp.numpy(), [0, 1])
    np.testing.assert_array_equal(g_ls.numpy(), [1, 0])


def test_naive_softplus_gradient_is_nan_like_the_notes():
    # log(exp(z) + 1) overflows at z = 100 (float32): the gradient is inf/inf = NaN, as the notes report.
    z = tf.Variable(100.0)
    with tf.GradientTape() as tape:
        y = tf.math.log(tf.exp(z) + 1.0)
    assert np.isnan(tape.gradient(y, z).numpy())
    # the tf.where workaround still multiplies 0 by exp(1000) = inf in the unused branch: NaN again
    z = tf.Variable([1000.0])
    with tf.GradientTape() as tape:
        y = tf.where(z > 30.0, z, tf.math.log(tf.exp(z) + 1.0))
    assert y.numpy()[0] == 1000.0
    assert np.isnan(tape.gradient(y, z).numpy()[0])


def test_special_function_edge_values():
    np.testing.assert_array_equal(tf.math.erfinv([-1.0, 1.0]).numpy(), [-np.inf, np.inf])
    assert np.isnan(tf.math.erfinv([2.0]).numpy()[0])
    np.testing.assert_array_equal(tf.math.lgamma([0.0, -1.0]).numpy(), [np.inf, np.inf])
    assert np.all(np.isnan(tf.math.digamma([0.0, -1.0, -2.0]).numpy()))
    np.testing.assert_allclose(tf.math.lgamma([-0.5]).numpy(), [math.log(2 * math.sqrt(math.pi))], rtol=1e-6)
    a = np.array([0.0, 1.0, 2.0, 0.5, -1.0])
    x = np.array([0.5, 0.5, 2.5, 0.5, 0.5])
    out = tf.math.polygamma(a, x).numpy()
    np.testing.assert_allclose(out[:3], sp.polygamma(a[:3].astype(int), x[:3]), rtol=1e-12)
    assert np.all(np.isnan(out[3:]))
    np.testing.assert_allclose(tf.math.polygamma(1.0, tf.constant([1.5])).numpy(), [sp.polygamma(1, 1.5)],
                               rtol=1e-6)


def test_rounding_is_bankers_and_integers_pass_through():
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6], np.float32)
    np.testing.assert_array_equal(tf.round(x).numpy(), [0, 2, 2, 0, -2, 2, -3])
    np.testing.assert_array_equal(tf.math.rint(x).numpy(), [0, 2, 2, 0, -2, 2, -3])
    ints = tf.constant([1, 2])
    assert tf.round(ints) is ints
    assert tf.round(np.array([2.5], np.float16)).dtype == tf.float16


def test_is_nan_inf_finite():
    x = np.array([1.0, np.inf, -np.inf, np.nan], np.float32)
    for fn, ref in [(tf.math.is_nan, np.isnan), (tf.math.is_inf, np.isinf), (tf.math.is_finite, np.isfinite)]:
        out = fn(x)
        assert out.dtype == tf.bool
        np.testing.assert_array_equal(out.numpy(), ref(x))


def test_real_imag_angle_complex():
    z = np.array([1 + 2j, -3 + 0j, -1j], np.complex64)
    assert tf.math.real(z).dtype == tf.float32
    np.testing.assert_array_equal(tf.math.real(z).numpy(), z.real)
    np.testing.assert_array_equal(tf.math.imag(z).numpy(), z.imag)
    np.testing.assert_allclose(tf.math.angle(z).numpy(), np.angle(z), rtol=1e-6)
    f = tf.constant([-2.0, 0.0, 3.0])
    assert tf.math.real(f) is f
    np.testing.assert_array_equal(tf.math.imag(f).numpy(), [0, 0, 0])
    np.testing.assert_allclose(tf.math.angle(f).numpy(), [np.pi, 0, 0])
    c = tf.complex(tf.constant([1.0, 2.0]), 3.0)
    assert c.dtype == tf.complex64
    np.testing.assert_array_equal(c.numpy(), [1 + 3j, 2 + 3j])
    assert tf.complex(np.float64(1), np.float64(np.inf)).numpy() == complex(1, np.inf)
    assert tf.complex(tf.constant(1.0, tf.float64), tf.constant(2.0, tf.float64)).dtype == tf.complex128
    with pytest.raises(TypeError, match="incorrect types: float64 float32"):
        tf.complex(tf.constant([1.0], tf.float64), 2.0)
    with pytest.raises(TypeError, match="incorrect types: int32 int32"):
        tf.complex(1, 2)
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.math.angle(tf.constant([1, 2]))


# ---------------------------------------------------------------------------------------------------------
# Binary arithmetic


def test_floor_and_truncating_division_on_integers():
    x = np.array([7, -7, 7, -7, 6], np.int32)
    y = np.array([2, 2, -2, -2, 3], np.int32)
    np.testing.assert_array_equal(tf.math.floordiv(x, y).numpy(), x // y)
    np.testing.assert_array_equal((tf.constant(x) // y).numpy(), x // y)
    np.testing.assert_array_equal(tf.math.floormod(x, y).numpy(), x % y)
    np.testing.assert_array_equal((tf.constant(x) % y).numpy(), x % y)
    np.testing.assert_array_equal(tf.math.mod(x, y).numpy(), x % y)
    np.testing.assert_array_equal(tf.truncatediv(x, y).numpy(), np.trunc(x / y).astype(np.int32))
    np.testing.assert_array_equal(tf.truncatemod(x, y).numpy(), np.fmod(x, y))
    assert tf.math.floordiv(x, y).dtype == tf.int32
    assert (7 // tf.constant([2, -2])).numpy().tolist() == [3, -4]
    assert (7 % tf.constant([2, -2])).numpy().tolist() == [1, -1]
    np.testing.assert_array_equal(tf.math.floordiv(np.uint8([7]), np.uint8([2])).numpy(), [3])


def test_floor_division_on_floats_follows_python():
    x = np.array([7.5, -7.5, 7.5, -7.5], np.float32)
    y = np.array([2.0, 2.0, -2.0, -2.0], np.float32)
    np.testing.assert_array_equal((tf.constant(x) // y).numpy(), np.floor_divide(x, y))
    python_mod = [float(a) % float(b) for a, b in zip(x, y)]
    np.testing.assert_array_equal((tf.constant(x) % y).numpy(), python_mod)
    np.testing.assert_array_equal(tf.truncatemod(x, y).numpy(), np.fmod(x, y))
    np.testing.assert_array_equal(tf.truncatediv(x, y).numpy(), np.trunc(x / y))
    out = (tf.constant([1.0, -1.0, 0.0]) // 0.0).numpy()
    assert out[0] == np.inf and out[1] == -np.inf and np.isnan(out[2])


def test_integer_division_by_zero_errors():
    x = tf.constant([2, 3])
    with pytest.raises(InvalidArgumentError, match=r"Integer division by zero \[Op:FloorDiv\]"):
        x // 0
    with pytest.raises(InvalidArgumentError, match=r"Integer division by zero \[Op:FloorMod\]"):
        x % 0
    with pytest.raises(tf.errors.InternalError, match="TruncateDiv"):
        tf.truncatediv(x, 0)
    with pytest.raises(tf.errors.InternalError, match="TruncateMod"):
        tf.truncatemod(x, 0)


def test_division_dtype_errors():
    with pytest.raises(InvalidArgumentError, match="FloorDiv"):
        tf.constant([True]) // tf.constant([True])
    with pytest.raises(InvalidArgumentError, match="FloorMod"):
        tf.constant([1j]) % tf.constant([1j])
    with pytest.raises(tf.errors.NotFoundError, match="FloorDiv"):
        tf.constant([1j]) // tf.constant([1j])
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        tf.constant([1, 2]) // 1.5


def test_pow():
    x = tf.constant([2, 3])
    np.testing.assert_array_equal((x ** 2).numpy(), [4, 9])
    np.testing.assert_array_equal((2 ** x).numpy(), [4, 8])
    assert tf.pow(2, 3).numpy() == 8
    with pytest.raises(InvalidArgumentError,
                       match=r"Integers to negative integer powers are not allowed \[Op:Pow\]"):
        tf.pow(x, tf.constant([-1, 2]))
    with pytest.raises(InvalidArgumentError, match="Pow"):
        x ** -1
    with pytest.raises(TypeError, match="Cannot convert 0.5"):
        x ** 0.5
    with pytest.raises(InvalidArgumentError, match="Pow"):
        tf.pow(tf.constant([2], tf.uint8), tf.constant([2], tf.uint8))
    f = RS.uniform(0.5, 2, size=(2, 3))
    np.testing.assert_allclose(tf.pow(f, np.array([0.5, 2.0, -1.5])).numpy(), f ** np.array([0.5, 2.0, -1.5]))
    np.testing.assert_allclose(tf.pow(np.array([1j]), np.array([2 + 0j])).numpy(), [-1], atol=1e-12)


def test_maximum_minimum_broadcast_and_nan():
    a = RS.randn(2, 3).astype(np.float32)
    b = RS.randn(3).astype(np.float32)
    np.testing.assert_array_equal(tf.maximum(a, b).numpy(), np.maximum(a, b))
    np.testing.assert_array_equal(tf.minimum(a, b).numpy(), np.minimum(a, b))
    np.testing.assert_array_equal(tf.maximum(tf.constant([4, 1]), 2).numpy(), [4, 2])
    out = tf.maximum([np.nan, 1.0], [1.0, np.nan]).numpy()
    assert np.all(np.isnan(out))
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3\] \[Op:Maximum\]"):
        tf.maximum([1, 2], [1, 2, 3])
    with pytest.raises(InvalidArgumentError, match="cannot compute Maximum as input #1"):
        tf.maximum(tf.constant([1]), tf.constant([1.0]))
    with pytest.raises(InvalidArgumentError, match="of bool is not in the list"):
        tf.maximum(tf.constant([True]), False)


def test_squared_difference_and_x_log_family():
    x = RS.randn(3, 2)
    y = RS.randn(2)
    np.testing.assert_allclose(tf.math.squared_difference(x, y).numpy(), (x - y) ** 2)
    np.testing.assert_array_equal(tf.math.squared_difference(tf.constant([4, 1]), 2).numpy(), [4, 1])
    np.testing.assert_allclose(tf.math.squared_difference(np.array([1 + 1j]), np.array([0j])).numpy(), [2])
    x = np.array([0.0, 0.0, 2.0, 3.0], np.float32)
    y = np.array([0.0, np.nan, 4.0, 0.5], np.float32)
    np.testing.assert_allclose(tf.math.xlogy(x, y).numpy(), [0, 0, 2 * np.log(4), 3 * np.log(0.5)], rtol=1e-6)
    np.testing.assert_allclose(tf.math.xdivy(x, y).numpy(), [0, 0, 0.5, 6], rtol=1e-6)
    np.testing.assert_allclose(tf.math.xlog1py(x, y - 1).numpy(), [0, 0, 2 * np.log(4), 3 * np.log(0.5)],
                               rtol=1e-6)
    with pytest.raises(InvalidArgumentError, match="Xlogy"):
        tf.math.xlogy(tf.constant([1]), 2)


def test_atan2_quadrants():
    y = np.array([1.0, 1.0, -1.0, -1.0, 0.0])
    x = np.array([1.0, -1.0, -1.0, 1.0, -1.0])
    np.testing.assert_allclose(tf.atan2(y, x).numpy(), np.arctan2(y, x))
    with pytest.raises(InvalidArgumentError, match="Atan2"):
        tf.atan2(tf.constant([1j]), tf.constant([1j]))


def test_add_n_accumulate_n_scalar_mul():
    a = tf.constant([1, 2, 3])
    np.testing.assert_array_equal(tf.add_n([a, a, a]).numpy(), [3, 6, 9])
    np.testing.assert_array_equal(tf.add_n([a, [1, 2, 3]]).numpy(), [2, 4, 6])
    assert tf.add_n([a]).numpy().tolist() == [1, 2, 3]
    assert tf.add_n(a).numpy() == 6
    assert tf.add_n([tf.constant([True])]).dtype == tf.bool
    with pytest.raises(ValueError, match="at least one Tensor"):
        tf.add_n([])
    with pytest.raises(InvalidArgumentError, match=r"same size and shape.  Input 0: \[3\] != input 1: \[2\]"):
        tf.add_n([a, tf.constant([1, 2])])
    with pytest.raises(InvalidArgumentError, match="cannot compute AddN as input #1"):
        tf.add_n([tf.constant([1.0]), tf.constant([1])])
    with pytest.raises(InvalidArgumentError, match="of bool is not in the list"):
        tf.add_n([tf.constant([True]), tf.constant([False])])
    np.testing.assert_array_equal(tf.math.accumulate_n([a, a], shape=[3], tensor_dtype=tf.int32).numpy(),
                                  [2, 4, 6])
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are not compatible"):
        tf.math.accumulate_n([a, a], shape=[2])
    with pytest.raises(TypeError, match="tensor_dtype"):
        tf.math.accumulate_n([a, a], tensor_dtype=tf.float32)
    with pytest.raises(ValueError, match="at least one Tensor"):
        tf.math.accumulate_n([])
    f = tf.constant([1.0, 2.0])
    np.testing.assert_array_equal(tf.scalar_mul(2, f).numpy(), [2, 4])
    assert tf.scalar_mul(2, a).dtype == tf.int32
    with pytest.raises(ValueError, match=r"must be a 0-D value. Received shape \(2,\)"):
        tf.scalar_mul(tf.constant([2.0, 3.0]), f)
    with pytest.raises(TypeError):
        tf.scalar_mul(2.5, a)


def test_clip_by_value():
    t = np.array([-1.0, 0.0, 0.5, 1.0, 2.0], np.float32)
    np.testing.assert_array_equal(tf.clip_by_value(t, 0.0, 1.0).numpy(), np.clip(t, 0, 1))
    np.testing.assert_array_equal(tf.clip_by_value(tf.constant([1, 2, 3]), 2, 2).numpy(), [2, 2, 2])
    np.testing.assert_array_equal(tf.clip_by_value(t[:3], [0.0, 0.0, 0.6], 1.0).numpy(),
                                  np.float32([0, 0, 0.6]))
    assert tf.clip_by_value(np.array([1.0, 5.0]), 2, 3).dtype == tf.float64
    with pytest.raises(ValueError, match=r"Shapes \(\) and \(2,\) are incompatible"):
        tf.clip_by_value(tf.constant(1.0), [0.0, 0.0], 1.0)
    with pytest.raises(TypeError, match="Cannot convert 1.5"):
        tf.clip_by_value(tf.constant([1, 2]), 1.5, 2)


# ---------------------------------------------------------------------------------------------------------
# Comparisons, logic, bits, where


@pytest.mark.parametrize("fn, ref, op", [
    (tf.equal, np.equal, "Equal"), (tf.not_equal, np.not_equal, "NotEqual"), (tf.less, np.less, "Less"),
    (tf.less_equal, np.less_equal, "LessEqual"), (tf.greater, np.greater, "Greater"),
    (tf.greater_equal, np.greater_equal, "GreaterEqual"),
])
def test_comparisons_broadcast_to_bool(fn, ref, op):
    a = RS.randint(0, 3, size=(3, 1)).astype(np.int32)
    b = RS.randint(0, 3, size=(4,)).astype(np.int32)
    out = fn(a, b)
    assert out.dtype == tf.bool and out.shape == (3, 4)
    np.testing.assert_array_equal(out.numpy(), ref(a, b))
    with pytest.raises(InvalidArgumentError, match=rf"cannot compute {op} as input #1"):
        fn(tf.constant([1]), tf.constant([1.0]))
    with pytest.raises(InvalidArgumentError, match=rf"Incompatible shapes: \[3\] vs. \[2\] \[Op:{op}\]"):
        fn([1, 2, 3], [1, 2])


def test_ordering_rejects_bool_complex_string_but_equality_accepts_them():
    for bad in (tf.constant([True]), tf.constant([1j]), tf.constant(["a"])):
        with pytest.raises(InvalidArgumentError, match="Less"):
            tf.less(bad, bad)
    np.testing.assert_array_equal(tf.equal(tf.constant(["a", "b"]), "a").numpy(), [True, False])
    np.testing.assert_array_equal(tf.equal(tf.constant([True, False]), True).numpy(), [True, False])
    np.testing.assert_array_equal(tf.not_equal(tf.constant([1j, 2j]), 1j).numpy(), [False, True])


def test_equality_operators_tf2_semantics():
    a = tf.constant([1, 2, 3])
    np.testing.assert_array_equal((a == [1, 5, 3]).numpy(), [True, False, True])
    np.testing.assert_array_equal((a != np.array([1, 5, 3])).numpy(), [False, True, False])
    incompatible = a == tf.constant([1, 2])
    assert incompatible.dtype == tf.bool and incompatible.shape == () and not bool(incompatible)
    assert bool(a != tf.constant([1, 2]))
    assert (a == None) is False  # noqa: E711 - the operator itself is under test
    assert (a != None) is True  # noqa: E711
    with pytest.raises(TypeError, match="Cannot convert 1.5"):
        a == 1.5  # noqa: B015
    with pytest.raises(InvalidArgumentError, match="cannot compute Equal"):
        a == tf.constant([1.0, 2.0, 3.0])  # noqa: B015


def test_logical_ops():
    x = tf.constant([True, True, False, False])
    y = tf.constant([True, False, True, False])
    np.testing.assert_array_equal(tf.logical_and(x, y).numpy(), [True, False, False, False])
    np.testing.assert_array_equal(tf.logical_or(x, y).numpy(), [True, True, True, False])
    np.testing.assert_array_equal(tf.math.logical_xor(x, y).numpy(), [False, True, True, False])
    np.testing.assert_array_equal(tf.logical_not(x).numpy(), [False, False, True, True])
    assert tf.logical_and(True, False).numpy() == np.False_
    np.testing.assert_array_equal(tf.logical_and(tf.constant([[True], [False]]), y).numpy(),
                                  np.logical_and([[True], [False]], y.numpy()))
    with pytest.raises(InvalidArgumentError, match=r"cannot compute LogicalAnd as input #0\(zero-based\) was "
                                                   "expected to be a bool tensor but is a int32 tensor"):
        tf.logical_and(tf.constant([1]), tf.constant([1]))
    with pytest.raises(TypeError):
        tf.logical_and(x, 1)
    with pytest.raises(InvalidArgumentError, match="LogicalNot"):
        tf.logical_not(tf.constant([1]))


def test_bit_operators_are_logical_on_bool_and_bitwise_on_integers():
    b = tf.constant([True, False])
    np.testing.assert_array_equal((b & True).numpy(), [True, False])
    np.testing.assert_array_equal((b | False).numpy(), [True, False])
    np.testing.assert_array_equal((b ^ True).numpy(), [False, True])
    np.testing.assert_array_equal((~b).numpy(), [False, True])
    a = np.array([1, 2, 3], np.int32)
    t = tf.constant(a)
    np.testing.assert_array_equal((t & 6).numpy(), a & 6)
    np.testing.assert_array_equal((6 & t).numpy(), a & 6)
    np.testing.assert_array_equal((t | 4).numpy(), a | 4)
    np.testing.assert_array_equal((t ^ 1).numpy(), a ^ 1)
    np.testing.assert_array_equal((~t).numpy(), ~a)
    assert (t & 6).dtype == tf.int32
    with pytest.raises(InvalidArgumentError, match="BitwiseAnd"):
        tf.constant([1.0]) & tf.constant([1.0])
    with pytest.raises(InvalidArgumentError, match="Invert"):
        ~tf.constant([1.0])
    with pytest.raises(InvalidArgumentError, match="cannot compute BitwiseAnd as input #1"):
        t & tf.constant([True, True, True])


def test_bitwise_namespace():
    u = np.array([5, 12], np.uint8)
    np.testing.assert_array_equal(bitwise["bitwise_and"](u, np.uint8(3)).numpy(), u & 3)
    np.testing.assert_array_equal(bitwise["bitwise_or"](u, np.uint8(3)).numpy(), u | 3)
    np.testing.assert_array_equal(bitwise["bitwise_xor"](u, np.uint8(3)).numpy(), u ^ 3)
    np.testing.assert_array_equal(bitwise["invert"](u).numpy(), ~u)
    x = np.array([1, 1, -8], np.int32)
    np.testing.assert_array_equal(bitwise["left_shift"](x, np.int32([2, 1, 1])).numpy(), x << [2, 1, 1])
    np.testing.assert_array_equal(bitwise["right_shift"](x, np.int32([0, 1, 1])).numpy(), x >> [0, 1, 1])
    # shift amounts are clamped to [0, bits - 1]
    np.testing.assert_array_equal(bitwise["left_shift"](np.int32([1]), np.int32([40])).numpy(), [-(2**31)])
    np.testing.assert_array_equal(bitwise["right_shift"](np.int32([8]), np.int32([40])).numpy(), [0])


def test_where_coordinates():
    cond = np.array([[True, False], [False, True]])
    out = tf.where(cond)
    assert out.dtype == tf.int64
    np.testing.assert_array_equal(out.numpy(), np.argwhere(cond))
    np.testing.assert_array_equal(tf.where(tf.constant([0, 3, 0, 2])).numpy(), [[1], [3]])
    assert tf.where(np.zeros((2, 3), bool)).shape == (0, 2)
    with pytest.raises(InvalidArgumentError, match="WhereOp : Unhandled input dimensions: 0"):
        tf.where(tf.constant(True))
    with pytest.raises(InvalidArgumentError, match="of string is not in the list"):
        tf.where(tf.constant(["a"]))


def test_where_select_broadcasts():
    cond = np.array([[True], [False]])
    out = tf.where(cond, tf.constant([1.0, 2.0]), 0.0)
    np.testing.assert_array_equal(out.numpy(), np.where(cond, [1.0, 2.0], 0.0))
    assert tf.where([True, False], 1, 2).dtype == tf.int32
    assert tf.where([True, False], 3.5, tf.constant([1.0, 2.0], tf.float64)).dtype == tf.float64
    with pytest.raises(ValueError, match="x and y must both be non-None or both be None."):
        tf.where([True], x=[1.0])
    with pytest.raises(InvalidArgumentError, match=r"cannot compute SelectV2 as input #2\(zero-based\)"):
        tf.where([True], tf.constant([1.0]), tf.constant([1]))
    with pytest.raises(InvalidArgumentError, match=r"cannot compute SelectV2 as input #0\(zero-based\)"):
        tf.where(tf.constant([1, 0]), 1.0, 2.0)
    with pytest.raises(InvalidArgumentError, match=r"condition \[3\], then \[2\], and else \[\] must be "
                                                   "broadcastable"):
        tf.where([True, False, True], tf.constant([1.0, 2.0]), 0.0)


# ---------------------------------------------------------------------------------------------------------
# Which ops have gradients


@pytest.mark.parametrize("fn", [tf.floor, tf.math.ceil, tf.round, tf.math.rint])
def test_rounding_ops_have_no_gradient(fn):
    assert grads(fn, np.float32([0.3, 1.7])) == [None]


def test_non_differentiable_binary_ops_give_none():
    x, y = np.float32([1.5, -2.5]), np.float32([0.7, 0.7])
    for fn in (tf.math.floordiv, tf.truncatediv, tf.equal, tf.less, tf.greater_equal):
        assert grads(fn, x, y) == [None, None]
    assert grads(lambda a: tf.cast(tf.where(a > 0), tf.float32), x) == [None]


def test_sign_gradient_is_zero_and_abs_gradient_is_sign():
    g, = grads(tf.sign, np.float32([-2, 0, 3]))
    np.testing.assert_array_equal(g.numpy(), [0, 0, 0])
    g, = grads(tf.abs, np.float32([-2, 0, 3]))
    np.testing.assert_array_equal(g.numpy(), [-1, 0, 1])


def test_ops_without_registered_gradient_raise_lookup_error():
    with pytest.raises(LookupError, match="TruncateMod"):
        grads(lambda a: tf.truncatemod(a, 2.0), np.float32([1, 3]))
    with pytest.raises(LookupError, match="IsNan"):
        grads(tf.math.is_nan, np.float32([1, 2]))
    # but ops only feeding a non-differentiable path (a where condition) are fine
    g, = grads(lambda a: tf.where(tf.math.is_nan(a), 0.0, a), np.float32([1, np.nan]))
    np.testing.assert_array_equal(g.numpy(), [1, 0])


def test_maximum_minimum_ties_send_gradient_to_x():
    gx, gy = grads(tf.maximum, np.float32([1, 2, 3]), np.float32([1, 1, 4]))
    np.testing.assert_array_equal(gx.numpy(), [1, 1, 0])
    np.testing.assert_array_equal(gy.numpy(), [0, 0, 1])
    gx, gy = grads(tf.minimum, np.float32([1, 2, 3]), np.float32([1, 1, 4]))
    np.testing.assert_array_equal(gx.numpy(), [1, 0, 1])
    np.testing.assert_array_equal(gy.numpy(), [0, 1, 0])


def test_clip_by_value_gradient_passes_where_not_clipped():
    g, lo, hi = grads(lambda t, a, b: tf.clip_by_value(t, a, b), np.float32([-1, 0, 0.5, 1, 2]),
                      np.float32(0), np.float32(1))
    np.testing.assert_array_equal(g.numpy(), [0, 1, 1, 1, 0])
    assert float(lo) == 1.0 and float(hi) == 1.0


def test_where_gradient_goes_to_the_chosen_branch():
    gx, gy = grads(lambda a, b: tf.where([True, False], a, b), np.float32([1, 2]), np.float32(3))
    np.testing.assert_array_equal(gx.numpy(), [1, 0])
    assert float(gy) == 1.0


def test_pow_gradient_edge_cases():
    gx, gy = grads(tf.pow, np.float32([-2, 0, 2]), np.float32([2, 2, 2]))
    np.testing.assert_array_equal(gx.numpy(), [-4, 0, 4])
    np.testing.assert_allclose(gy.numpy(), [0, 0, 4 * np.log(2)], rtol=1e-6)
    gx, gy = grads(tf.pow, np.float32([0]), np.float32([0]))
    assert np.isnan(gx.numpy()[0]) and gy.numpy()[0] == 0


def test_x_log_family_gradients_at_zero():
    gx, gy = grads(tf.math.xlogy, np.float32([0, 1]), np.float32([0, 2]))
    np.testing.assert_allclose(gx.numpy(), [0, np.log(2)], rtol=1e-6)
    np.testing.assert_allclose(gy.numpy(), [0, 0.5])
    gx, gy = grads(tf.math.xdivy, np.float32([0, 1]), np.float32([0, 2]))
    np.testing.assert_allclose(gx.numpy(), [0, 0.5])
    np.testing.assert_allclose(gy.numpy(), [0, -0.25])


def test_complex_part_gradients():
    g, = grads(tf.abs, np.complex64([3 + 4j, 0j]))
    np.testing.assert_allclose(g.numpy(), [0.6 + 0.8j, 0], rtol=1e-6)
    g, = grads(tf.math.imag, np.complex64([1 + 2j]))
    np.testing.assert_allclose(g.numpy(), [1j])
    g, = grads(tf.math.angle, np.complex64([1 + 2j]))
    # d angle / dz for the real-valued angle: TF's convention gives -1 / conj(i z) = -(0.4 - 0.2j)
    np.testing.assert_allclose(g.numpy(), [-0.4 + 0.2j], rtol=1e-6)
    assert grads(tf.math.imag, np.float32([1, 2])) == [None]
    gr, gi = grads(tf.complex, np.float32([1]), np.float32([2]))
    np.testing.assert_array_equal(gr.numpy(), [1])
    np.testing.assert_array_equal(gi.numpy(), [0])


def test_add_n_and_scalar_mul_gradients():
    ga, gb = grads(lambda a, b: tf.add_n([a, b, a]), np.float32([1]), np.float32([3]))
    assert ga.numpy().tolist() == [2.0] and gb.numpy().tolist() == [1.0]
    gs, gx = grads(tf.scalar_mul, np.float32(2), np.float32([1, 3]))
    assert float(gs) == 4.0
    np.testing.assert_array_equal(gx.numpy(), [2, 2])


# ---------------------------------------------------------------------------------------------------------
# Finite-difference gradient checks (float64, first and second order)

UNARY_GRAD = [
    (tf.square, -2, 2), (tf.sqrt, 0.5, 2), (tf.math.rsqrt, 0.5, 2), (tf.exp, -1, 1), (tf.math.expm1, -1, 1),
    (tf.math.log, 0.5, 2), (tf.math.log1p, 0, 2), (tf.math.reciprocal, 0.5, 2), (tf.abs, 0.5, 2),
    (lambda x: tf.abs(-x), 0.5, 2), (tf.negative, -1, 1), (tf.sin, -2, 2), (tf.cos, -2, 2), (tf.tan, -1, 1),
    (tf.asin, -0.8, 0.8), (tf.acos, -0.8, 0.8), (tf.atan, -2, 2), (tf.sinh, -2, 2), (tf.cosh, -2, 2),
    (tf.tanh, -2, 2), (tf.asinh, -2, 2), (tf.acosh, 1.2, 3), (tf.atanh, -0.8, 0.8), (tf.sigmoid, -3, 3),
    (tf.math.softplus, -3, 3), (tf.math.softsign, 0.5, 3), (lambda x: tf.math.softsign(-x), 0.5, 3),
    (tf.math.log_sigmoid, -3, 3), (tf.math.erf, -1.5, 1.5), (tf.math.erfc, -1.5, 1.5),
    (tf.math.erfinv, -0.8, 0.8), (tf.math.lgamma, 0.5, 3), (tf.math.digamma, 0.5, 3),
    (tf.math.bessel_i0e, 0.3, 3), (lambda x: tf.math.bessel_i0e(-x), 0.3, 3), (tf.math.bessel_i1e, 0.3, 3),
    (lambda x: tf.math.bessel_i1e(-x), 0.3, 3), (tf.sign, 0.5, 2),
    (lambda x: tf.math.polygamma(tf.constant(2.0, tf.float64), x), 0.5, 3),
]


@pytest.mark.parametrize("fn, low, high", UNARY_GRAD)
def test_unary_gradients_second_order(fn, low, high):
    check_gradients(fn, RS.uniform(low, high, size=(3,)), order=2)


BINARY_GRAD = [
    (tf.pow, (0.5, 2), (-1.5, 2)), (tf.maximum, (-1, 0), (0.2, 1)), (tf.minimum, (-1, 0), (0.2, 1)),
    (tf.math.squared_difference, (-1, 1), (-1, 1)), (tf.math.xlogy, (0.5, 2), (0.5, 2)),
    (tf.math.xdivy, (0.5, 2), (0.5, 2)), (tf.math.xlog1py, (0.5, 2), (0.5, 2)),
    (tf.atan2, (0.5, 2), (-2, -0.5)), (tf.math.floormod, (2.1, 2.9), (0.9, 1.1)),
    (lambda x, y: tf.math.real(tf.complex(x, y) * tf.complex(y, x)), (-1, 1), (-1, 1)),
    (lambda x, y: tf.math.angle(tf.complex(x, y)), (0.5, 2), (-2, 2)),
    (lambda x, y: tf.abs(tf.complex(x, y)), (0.5, 2), (-2, 2)),
    (lambda x, y: tf.math.real(tf.complex(x, y) ** 2) + tf.math.imag(tf.complex(x, y) ** 3), (0.5, 2),
     (-2, 2)),
    (lambda x, y: tf.math.real(tf.sign(tf.complex(x, y))) - tf.math.imag(tf.sign(tf.complex(y, x))),
     (0.5, 2), (-2, 2)),
    (lambda x, y: tf.math.imag(tf.math.divide_no_nan(tf.complex(x, y), tf.complex(y, x))), (0.5, 2),
     (0.5, 2)),
    (lambda x, y: tf.add_n([x, y, x * y]), (-1, 1), (-1, 1)),
    (lambda x, y: tf.scalar_mul(x[0], y), (-1, 1), (-1, 1)),
    (lambda x, y: tf.where(tf.constant([True, False, True]), x * x, y * y), (-1, 1), (-1, 1)),
    (lambda x, y: tf.clip_by_value(x, -0.5, y), (-1, 1), (0.1, 0.4)),
]


@pytest.mark.parametrize("fn, x_range, y_range", BINARY_GRAD)
def test_binary_gradients_second_order(fn, x_range, y_range):
    check_gradients(fn, RS.uniform(*x_range, size=(3,)), RS.uniform(*y_range, size=(3,)), order=2)


@pytest.mark.parametrize("fn", [tf.pow, tf.maximum, tf.math.squared_difference, tf.math.xlogy, tf.atan2,
                                lambda c, x: tf.where(c > 1.0, x, c)])
def test_broadcasting_gradients_second_order(fn):
    check_gradients(fn, RS.uniform(0.5, 2, size=(2, 1)), RS.uniform(0.5, 2, size=(3,)), order=2)


# ---------------------------------------------------------------------------------------------------------
# Graph mode


def test_ops_trace_into_functions_with_gradients():
    @tf.function
    def f(x, y):
        with tf.GradientTape() as tape:
            tape.watch(x)
            z = tf.reduce_sum(tf.where(x > 0, tf.sigmoid(x) ** 2, tf.maximum(x, y)))
        return tf.where(x > 0), tape.gradient(z, x)

    x = np.array([1.0, -2.0, 3.0], np.float32)
    idx, g = f(tf.constant(x), tf.constant([0.5, -3.0, 0.5]))
    np.testing.assert_array_equal(idx.numpy(), [[0], [2]])
    s = sp.expit(x.astype(np.float64))
    np.testing.assert_allclose(g.numpy(), np.where(x > 0, 2 * s * s * (1 - s), 1.0), rtol=1e-6)


def test_public_names():
    for name in ["floordiv", "floormod", "mod", "rsqrt", "expm1", "log", "log1p", "reciprocal",
                 "squared_difference", "xlogy", "xdivy", "xlog1py", "accumulate_n", "real", "imag", "angle",
                 "softplus", "softsign", "log_sigmoid", "erf", "erfc", "erfinv", "lgamma", "digamma",
                 "polygamma", "bessel_i0e", "bessel_i1e", "ceil", "rint", "is_nan", "is_inf", "is_finite",
                 "logical_xor", "sigmoid", "abs", "pow", "maximum", "add_n", "scalar_mul", "equal",
                 "logical_and", "round", "floor"]:
        assert hasattr(tf.math, name), name
    for name in ["truncatediv", "truncatemod", "pow", "square", "sqrt", "exp", "abs", "sign", "maximum",
                 "minimum", "add_n", "scalar_mul", "complex", "sin", "atan2", "atanh", "sigmoid", "round",
                 "floor", "clip_by_value", "equal", "greater_equal", "logical_and", "logical_not", "where"]:
        assert hasattr(tf, name), name
    assert tf.math.sin.__name__ == "sin" and tf.math.sin.__doc__


def test_basic_arithmetic_dtype_rules():
    assert (tf.constant("a") + "b").numpy() == b"ab"
    np.testing.assert_array_equal(tf.add(tf.constant(["x", "y"]), "z").numpy(), [b"xz", b"yz"])
    for fn, op in [(tf.add, "AddV2"), (tf.subtract, "Sub"), (tf.multiply, "Mul")]:
        with pytest.raises(InvalidArgumentError, match=rf"(?s)of bool is not in the list.*\[Op:{op}\]"):
            fn(tf.constant([True]), True)
    with pytest.raises(TypeError, match="Cannot convert 1.5"):
        tf.constant([1, 2]) * 1.5
    with pytest.raises(InvalidArgumentError, match="cannot compute AddV2 as input #1"):
        tf.constant([1, 2]) + 1.5
    out = tf.math.divide_no_nan(tf.constant([3, 1]), tf.constant([0, 2]))
    assert out.dtype == tf.float64
    np.testing.assert_array_equal(out.numpy(), [0, 0.5])
    assert tf.math.divide_no_nan(np.int8([3]), np.int8([2])).dtype == tf.float32
    with pytest.raises(TypeError, match="Invalid dtype tf.bool in tf.math.divide_no_nan"):
        tf.math.divide_no_nan(tf.constant([True]), tf.constant([True]))
    with pytest.raises(TypeError, match="`x` and `y` must have the same dtype, got tf.int32 != tf.float32"):
        tf.divide(tf.constant([1]), 1.5)
    assert (2 / tf.constant([4.0])).numpy()[0] == 0.5
    with pytest.raises(TypeError, match="input must be a numeric tensor"):
        tf.math.real(tf.constant([True]))
