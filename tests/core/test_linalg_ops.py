import numpy as np
import pytest
import scipy.linalg

import ndflow as tf
from tests.gradcheck import check_gradients

RNG = np.random.default_rng(1234)
SQUARE = RNG.normal(size=(2, 3, 3))
TALL = RNG.normal(size=(2, 4, 3))
WIDE = RNG.normal(size=(2, 3, 5))
RHS = RNG.normal(size=(2, 3, 2))
SPD = SQUARE @ np.swapaxes(SQUARE, -1, -2) + 3 * np.eye(3)


def _sym(a):
    return (a + tf.linalg.matrix_transpose(a)) * 0.5


def _outer_of_columns(x, k):
    """x[..., :k] @ x[..., :k]ᵀ: invariant to the sign of each column."""
    cols = x[..., :k]
    return tf.einsum("...ij,...kj->...ik", cols, cols)


# ---------------------------------------------------------------------------------------------------------
# Values


def test_inverse_determinant_and_slogdet_match_numpy():
    a = tf.constant(SQUARE)
    np.testing.assert_allclose(tf.linalg.inv(a).numpy(), np.linalg.inv(SQUARE), rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.inv(a, adjoint=True).numpy(),
                               np.linalg.inv(np.swapaxes(SQUARE, -1, -2)), rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.det(a).numpy(), np.linalg.det(SQUARE), rtol=1e-10)
    sign, logabs = tf.linalg.slogdet(a)
    ref_sign, ref_log = np.linalg.slogdet(SQUARE)
    np.testing.assert_allclose(sign.numpy(), ref_sign)
    np.testing.assert_allclose(logabs.numpy(), ref_log, rtol=1e-10)
    logdet = tf.linalg.logdet(tf.constant(SPD)).numpy()
    np.testing.assert_allclose(logdet, np.linalg.slogdet(SPD)[1], rtol=1e-10)


def test_float32_half_and_complex_dtypes_are_kept():
    a32 = tf.constant(SQUARE, tf.float32)
    assert tf.linalg.inv(a32).dtype == tf.float32
    assert tf.linalg.det(a32).dtype == tf.float32
    assert tf.linalg.inv(tf.constant(np.eye(2), tf.float16)).dtype == tf.float16
    c = tf.constant(SQUARE[0] + 1j * SQUARE[1], tf.complex64)
    inv_c = tf.linalg.inv(c)
    assert inv_c.dtype == tf.complex64
    np.testing.assert_allclose(inv_c.numpy(), np.linalg.inv(SQUARE[0] + 1j * SQUARE[1]), rtol=1e-4)
    s = tf.linalg.svd(c, compute_uv=False)
    assert s.dtype == tf.float32
    e, v = tf.linalg.eigh(tf.constant(np.eye(2), tf.complex128))
    assert e.dtype == tf.float64 and v.dtype == tf.complex128


def test_solvers_match_numpy_and_scipy():
    a, b = tf.constant(SQUARE), tf.constant(RHS)
    np.testing.assert_allclose(tf.linalg.solve(a, b).numpy(), np.linalg.solve(SQUARE, RHS), rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.solve(a, b, adjoint=True).numpy(),
                               np.linalg.solve(np.swapaxes(SQUARE, -1, -2), RHS), rtol=1e-10)
    lower = np.tril(SQUARE[0]) + 3 * np.eye(3)
    upper = np.triu(SQUARE[0]) + 3 * np.eye(3)
    full = SQUARE[0] + 3 * np.eye(3)
    np.testing.assert_allclose(tf.linalg.triangular_solve(full, RHS[0]).numpy(),
                               scipy.linalg.solve_triangular(lower, RHS[0], lower=True), rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.triangular_solve(full, RHS[0], lower=False).numpy(),
                               scipy.linalg.solve_triangular(upper, RHS[0], lower=False), rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.triangular_solve(full, RHS[0], adjoint=True).numpy(),
                               scipy.linalg.solve_triangular(lower, RHS[0], lower=True, trans="T"),
                               rtol=1e-10)
    # batch dims broadcast for triangular_solve
    out = tf.linalg.triangular_solve(full, RHS)
    assert out.shape == (2, 3, 2)
    np.testing.assert_allclose(out.numpy()[1], scipy.linalg.solve_triangular(lower, RHS[1], lower=True),
                               rtol=1e-10)
    chol = np.linalg.cholesky(SPD)
    np.testing.assert_allclose(tf.linalg.cholesky_solve(chol, RHS).numpy(), np.linalg.solve(SPD, RHS),
                               rtol=1e-10)


def test_triangular_solve_with_zero_pivot_gives_inf_like_tf():
    out = tf.linalg.triangular_solve([[0.0, 0.0], [2.0, 4.0]], [[1.0], [1.0]]).numpy()
    assert np.isinf(out[0, 0]) and out.dtype == np.float32


def test_cholesky_reads_lower_triangle_and_marks_non_pd_with_nan():
    chol = tf.linalg.cholesky(tf.constant(SPD))
    np.testing.assert_allclose(chol.numpy(), np.linalg.cholesky(SPD), rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.cholesky([[4.0, 100.0], [2.0, 5.0]]).numpy(), [[2, 0], [1, 2]])
    batch = np.stack([SPD[0], [[1.0, 2.0, 0], [2.0, 1.0, 0], [0, 0, 1]]])
    out = tf.linalg.cholesky(batch).numpy()
    np.testing.assert_allclose(out[0], np.linalg.cholesky(SPD[0]), rtol=1e-10)
    assert np.isnan(out[1][np.tril_indices(3)]).all()
    assert np.isnan(tf.linalg.logdet([[1.0, 2.0], [2.0, 1.0]]).numpy())


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (3, 5), (2, 4, 3)])
@pytest.mark.parametrize("full", [False, True])
def test_qr_factorises(shape, full):
    a = RNG.normal(size=shape)
    q, r = tf.linalg.qr(a, full_matrices=full)
    m, n = shape[-2:]
    k = m if full else min(m, n)
    assert q.shape[-2:] == (m, k) and r.shape[-2:] == (k, n)
    np.testing.assert_allclose((q @ r).numpy(), a, atol=1e-12)
    gram = np.swapaxes(q.numpy(), -1, -2) @ q.numpy()
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(k), gram.shape), atol=1e-12)
    np.testing.assert_allclose(np.tril(r.numpy(), -1), 0)


def test_svd_returns_s_u_v_in_tf_order():
    s, u, v = tf.linalg.svd(TALL)
    assert (s.shape, u.shape, v.shape) == ((2, 3), (2, 4, 3), (2, 3, 3))
    np.testing.assert_allclose(s.numpy(), np.linalg.svd(TALL, compute_uv=False), rtol=1e-10)
    rebuilt = u.numpy() @ (s.numpy()[..., None] * np.swapaxes(v.numpy(), -1, -2))
    np.testing.assert_allclose(rebuilt, TALL, atol=1e-12)
    s_full, u_full, v_full = tf.linalg.svd(TALL, full_matrices=True)
    assert u_full.shape == (2, 4, 4) and v_full.shape == (2, 3, 3)
    only_s = tf.linalg.svd(WIDE, compute_uv=False)
    assert isinstance(only_s, tf.Tensor) and only_s.shape == (2, 3)


def test_eigh_reads_lower_triangle():
    sym = SPD[0]
    e, v = tf.linalg.eigh(sym)
    np.testing.assert_allclose(e.numpy(), np.linalg.eigvalsh(sym), rtol=1e-10)
    np.testing.assert_allclose(v.numpy() @ np.diag(e.numpy()) @ v.numpy().T, sym, atol=1e-10)
    garbage_upper = np.tril(sym) + np.triu(RNG.normal(size=(3, 3)), 1)
    np.testing.assert_allclose(tf.linalg.eigvalsh(garbage_upper).numpy(), np.linalg.eigvalsh(sym), rtol=1e-10)


def test_lstsq_fast_and_exact_paths():
    b = RNG.normal(size=(2, 4, 2))
    ref = np.stack([np.linalg.lstsq(TALL[i], b[i], rcond=None)[0] for i in range(2)])
    np.testing.assert_allclose(tf.linalg.lstsq(TALL, b).numpy(), ref, rtol=1e-8)
    np.testing.assert_allclose(tf.linalg.lstsq(TALL, b, fast=False).numpy(), ref, rtol=1e-8)
    reg = 0.3
    ridge = np.linalg.solve(TALL[0].T @ TALL[0] + reg * np.eye(3), TALL[0].T @ b[0])
    np.testing.assert_allclose(tf.linalg.lstsq(TALL[0], b[0], l2_regularizer=reg).numpy(), ridge, rtol=1e-6)
    rhs = RNG.normal(size=(3, 1))
    min_norm = np.linalg.pinv(WIDE[0]) @ rhs
    np.testing.assert_allclose(tf.linalg.lstsq(WIDE[0], rhs).numpy(), min_norm, rtol=1e-6)


def test_pinv_and_expm_match_references():
    np.testing.assert_allclose(tf.linalg.pinv(TALL).numpy(), np.linalg.pinv(TALL), rtol=1e-8)
    rank_one = np.ones((3, 2))
    np.testing.assert_allclose(tf.linalg.pinv(rank_one).numpy(), np.full((2, 3), 1 / 6), rtol=1e-8)
    np.testing.assert_allclose(tf.linalg.expm(SQUARE).numpy(), scipy.linalg.expm(SQUARE), rtol=1e-10)
    assert tf.linalg.expm(tf.constant(SQUARE, tf.float32)).dtype == tf.float32


def test_trace_diag_and_band_ops():
    x = np.arange(12).reshape(3, 4)
    assert tf.linalg.trace(tf.ones([2, 3, 4], tf.int32)).numpy().tolist() == [3, 3]
    assert tf.linalg.trace(tf.ones([2, 3, 4], tf.int32)).dtype == tf.int32
    np.testing.assert_array_equal(tf.linalg.diag_part(x).numpy(), [0, 5, 10])
    np.testing.assert_array_equal(tf.linalg.diag_part(x, k=1).numpy(), [1, 6, 11])
    np.testing.assert_array_equal(tf.linalg.diag_part(x, k=(-1, 1), padding_value=-1).numpy(),
                                  [[1, 6, 11], [0, 5, 10], [4, 9, -1]])
    right = tf.linalg.diag_part(x, k=(-1, 1), padding_value=-1, align="RIGHT_RIGHT")
    np.testing.assert_array_equal(right.numpy(), [[1, 6, 11], [0, 5, 10], [-1, 4, 9]])
    np.testing.assert_array_equal(tf.linalg.diag([1, 2]).numpy(), np.diag([1, 2]))
    np.testing.assert_array_equal(tf.linalg.diag([1, 2], k=1).numpy(), np.diag([1, 2], k=1))
    padded = tf.linalg.diag([1, 2], k=-1, num_rows=3, num_cols=4, padding_value=9)
    np.testing.assert_array_equal(padded.numpy(), [[9, 9, 9, 9], [1, 9, 9, 9], [9, 2, 9, 9]])
    np.testing.assert_array_equal(tf.linalg.diag([[1, 2], [3, 4]], k=(0, 1)).numpy(), [[3, 2], [0, 4]])
    np.testing.assert_array_equal(tf.linalg.diag([[1, 2, 3], [3, 4, 5]], k=(-1, 0)).numpy(),
                                  [[1, 0, 0], [3, 2, 0], [0, 4, 3]])
    np.testing.assert_array_equal(tf.linalg.set_diag(np.zeros((2, 3)), [1.0, 2.0]).numpy(),
                                  [[1, 0, 0], [0, 2, 0]])
    np.testing.assert_array_equal(tf.linalg.set_diag(np.zeros((3, 3)), [[1.0, 2.0, 0], [3.0, 4.0, 5.0]],
                                                     k=(0, 1)).numpy(),
                                  [[3, 2, 0], [0, 4, 0], [0, 0, 5]])
    ones = np.ones((3, 3))
    np.testing.assert_array_equal(tf.linalg.band_part(ones, 1, 0).numpy(), np.tril(np.triu(ones, -1)))
    np.testing.assert_array_equal(tf.linalg.band_part(ones, -1, 0).numpy(), np.tril(ones))
    d = np.arange(1, 7).reshape(2, 3)
    td = tf.linalg.tensor_diag(d).numpy()
    assert td.shape == (2, 3, 2, 3) and td[1, 2, 1, 2] == 6 and td.sum() == d.sum()
    np.testing.assert_array_equal(tf.linalg.tensor_diag_part(td).numpy(), d)


def test_transpose_adjoint_cross_matvec():
    assert tf.linalg.matrix_transpose(tf.ones([2, 3, 4])).shape == (2, 4, 3)
    c = tf.constant([[1 + 2j, 3j]], tf.complex64)
    np.testing.assert_array_equal(tf.linalg.adjoint(c).numpy(), [[1 - 2j], [-3j]])
    np.testing.assert_array_equal(tf.linalg.matrix_transpose(c, conjugate=True).numpy(), [[1 - 2j], [-3j]])
    np.testing.assert_array_equal(tf.linalg.cross([1.0, 0, 0], [0.0, 1, 0]).numpy(), [0, 0, 1])
    assert tf.linalg.cross([1, 0, 0], [0, 1, 0]).dtype == tf.int32
    out = tf.linalg.matvec(TALL, RHS[0, :, 0])
    np.testing.assert_allclose(out.numpy(), TALL @ RHS[0, :, 0], rtol=1e-12)
    vec = RNG.normal(size=4)
    np.testing.assert_allclose(tf.linalg.matvec(TALL, vec, transpose_a=True).numpy(),
                               np.swapaxes(TALL, -1, -2) @ vec, rtol=1e-12)


@pytest.mark.parametrize("equation, shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("ij->ji", [(2, 3)]),
    ("i,j->ij", [(2,), (3,)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (3, 4)]),
    ("...j,...j->...", [(2, 1, 3), (4, 3)]),
    ("ij, jk -> ik", [(2, 3), (3, 4)]),
    ("iJ,Jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("i...j,j->i...", [(2, 3, 4, 3), (3,)]),
])
def test_einsum_matches_numpy(equation, shapes):
    ops = [RNG.normal(size=s) for s in shapes]
    np.testing.assert_allclose(tf.einsum(equation, *ops).numpy(), np.einsum(equation, *ops), rtol=1e-10)


def test_einsum_sums_away_broadcast_dims_missing_from_the_output():
    a, b = RNG.normal(size=(2, 1, 3)), RNG.normal(size=(4, 3))
    expected = np.einsum("...j,...j->...j", a, b).sum(axis=(0, 1))
    np.testing.assert_allclose(tf.einsum("...j,...j->j", a, b).numpy(), expected, rtol=1e-10)


def test_einsum_keeps_integer_dtype():
    out = tf.einsum("ij,jk->ik", tf.ones([2, 3], tf.int32), tf.ones([3, 4], tf.int32))
    assert out.dtype == tf.int32 and out.numpy().tolist() == [[3] * 4] * 2


@pytest.mark.parametrize("axes, a_shape, b_shape", [
    ((-1, 0), (3, 2, 4), (4, 5)),
    (2, (3, 2, 4), (2, 4, 5)),
    (0, (3,), (2,)),
    ([[0, 2], [1, 0]], (3, 2, 4), (4, 3)),
    ([[2], [0]], (3, 2, 4), (4, 5)),
])
def test_tensordot_matches_numpy(axes, a_shape, b_shape):
    a, b = RNG.normal(size=a_shape), RNG.normal(size=b_shape)
    np_axes = axes if isinstance(axes, int) else tuple(axes)
    np.testing.assert_allclose(tf.tensordot(a, b, axes).numpy(), np.tensordot(a, b, np_axes), rtol=1e-10)
    assert tf.linalg.tensordot is tf.tensordot and tf.linalg.einsum is tf.einsum


def test_normalize_returns_unit_tensor_and_norm():
    if not hasattr(tf.linalg, "norm"):
        pytest.skip("tf.linalg.norm is not available yet")
    unit, norm = tf.linalg.normalize(tf.constant([3.0, 4.0]))
    np.testing.assert_allclose(unit.numpy(), [0.6, 0.8], rtol=1e-6)
    assert norm.shape == (1,) and float(norm[0]) == pytest.approx(5.0)


# ---------------------------------------------------------------------------------------------------------
# Errors


def test_decomposition_errors_match_tf():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input is not invertible"):
        tf.linalg.inv([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input matrix must be square"):
        tf.linalg.inv(tf.ones([2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank >= 2, got 1"):
        tf.linalg.det(tf.ones([2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of int32"):
        tf.linalg.inv([[1, 2], [3, 4]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input matrix is not invertible"):
        tf.linalg.solve([[1.0, 2.0], [2.0, 4.0]], tf.ones([2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input matrix and rhs are incompatible"):
        tf.linalg.solve(tf.ones([2, 2]), tf.ones([3, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="All input tensors must have the same rank"):
        tf.linalg.solve(tf.ones([2, 2]), tf.ones([2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float tensor but is a double"):
        tf.linalg.solve(tf.ones([2, 2]), tf.ones([2, 3], tf.float64))
    with pytest.raises(tf.errors.NotFoundError):
        tf.linalg.det(tf.constant(np.eye(2), tf.float16))


def test_structure_op_errors_match_tf():
    with pytest.raises(tf.errors.InvalidArgumentError, match="input must be at least 2-dim"):
        tf.linalg.trace(tf.ones([3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_lower must be negative or less or equal"):
        tf.linalg.band_part(tf.ones([3, 3]), 5, 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expected diagonal shape: \\[2\\]"):
        tf.linalg.set_diag(tf.zeros([2, 3]), [1.0, 2.0, 3.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="number of rows or columns is not consistent"):
        tf.linalg.diag([1, 2], k=-1, num_rows=4, num_cols=3)
    with pytest.raises(ValueError, match="should be a \\(batch\\) matrix with rank >= 2"):
        tf.linalg.matrix_transpose(tf.ones([2]))
    with pytest.raises(tf.errors.FailedPreconditionError, match="only defined for 3-element vectors"):
        tf.linalg.cross([1.0, 0.0], [0.0, 1.0])


def test_contraction_errors_match_tf():
    with pytest.raises(ValueError, match='Got 1 inputs for equation "ij,jk->ik", expecting 2'):
        tf.einsum("ij,jk->ik", tf.ones([2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Expected dimension 3 at axis 0 of the input shaped \\[4,4\\] but got "
                             "dimension 4"):
        tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([4, 4]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expected input 0 to have rank 3 but got: 2"):
        tf.einsum("ijk->i", tf.ones([2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot compute Einsum as input #1"):
        tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([3, 4], tf.float64))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Matrix size-incompatible: In\\[0\\]: \\[6,4\\], In\\[1\\]: \\[5,3\\]"):
        tf.tensordot(tf.ones([3, 2, 4]), tf.ones([5, 3]), axes=[[2], [0]])
    with pytest.raises(ValueError, match="Different number of contraction axes `a` and `b`, 1 != 2"):
        tf.tensordot(tf.ones([3, 2, 4]), tf.ones([5, 3]), axes=[[2], [0, 1]])
    with pytest.raises(ValueError, match="`axes` must be at least 0"):
        tf.tensordot(tf.ones([3]), tf.ones([3]), axes=-1)
    with pytest.raises(ValueError, match="must not be larger than the number of dimensions"):
        tf.tensordot(tf.ones([3]), tf.ones([3]), axes=2)


# ---------------------------------------------------------------------------------------------------------
# Gradients (float64 central differences)


@pytest.mark.parametrize("fn", [
    tf.linalg.inv,
    lambda a: tf.linalg.inv(a, adjoint=True),
    tf.linalg.det,
    lambda a: tf.linalg.slogdet(a)[1],
])
def test_inverse_and_determinant_gradients(fn):
    check_gradients(fn, SQUARE, order=2)


def test_logdet_and_cholesky_gradients():
    check_gradients(lambda a: tf.linalg.logdet(_sym(a)), SPD)
    check_gradients(lambda a: tf.linalg.cholesky(_sym(a)), SPD, order=2)


@pytest.mark.parametrize("adjoint", [False, True])
def test_solve_gradients(adjoint):
    check_gradients(lambda a, b: tf.linalg.solve(a, b, adjoint=adjoint), SQUARE, RHS, order=2)


@pytest.mark.parametrize("lower, adjoint", [(True, False), (False, True)])
def test_triangular_solve_gradients(lower, adjoint):
    check_gradients(lambda a, b: tf.linalg.triangular_solve(a, b, lower=lower, adjoint=adjoint),
                    SQUARE + 3 * np.eye(3), RHS, order=2)
    check_gradients(lambda a, b: tf.linalg.triangular_solve(a, b, lower=lower, adjoint=adjoint),
                    SQUARE[0] + 3 * np.eye(3), RHS)


def test_cholesky_solve_gradient():
    check_gradients(tf.linalg.cholesky_solve, np.tril(SQUARE) + 3 * np.eye(3), RHS)


@pytest.mark.parametrize("a", [TALL, SQUARE, WIDE], ids=["tall", "square", "wide"])
def test_qr_gradients(a):
    check_gradients(lambda x: tf.linalg.qr(x)[0], a)
    check_gradients(lambda x: tf.linalg.qr(x)[1], a)


@pytest.mark.parametrize("a", [TALL, SQUARE, WIDE], ids=["tall", "square", "wide"])
def test_svd_gradients(a):
    k = min(a.shape[-2:])
    check_gradients(lambda x: tf.linalg.svd(x)[0], a)
    check_gradients(lambda x: tf.linalg.svd(x, compute_uv=False), a)
    check_gradients(lambda x: _outer_of_columns(tf.linalg.svd(x)[1], k - 1), a)
    check_gradients(lambda x: _outer_of_columns(tf.linalg.svd(x)[2], k - 1), a)


def test_eigh_gradients():
    check_gradients(lambda x: tf.linalg.eigh(_sym(x))[0], SQUARE, order=2)
    check_gradients(lambda x: _outer_of_columns(tf.linalg.eigh(_sym(x))[1], 2), SQUARE)
    check_gradients(lambda x: tf.linalg.eigvalsh(_sym(x)), SQUARE)
    # the op reads the lower triangle only, so the raw (non-symmetric) input is differentiable too
    check_gradients(lambda x: tf.linalg.eigh(x)[0], SQUARE)


def test_lstsq_pinv_expm_gradients():
    check_gradients(tf.linalg.lstsq, TALL, RNG.normal(size=(2, 4, 2)))
    check_gradients(lambda a, b: tf.linalg.lstsq(a, b, l2_regularizer=0.1), WIDE, RHS)
    check_gradients(tf.linalg.pinv, TALL)
    check_gradients(tf.linalg.pinv, WIDE[0])
    check_gradients(tf.linalg.expm, SQUARE * 0.5)


def test_structure_op_gradients():
    check_gradients(tf.linalg.trace, TALL, order=2)
    band = RNG.normal(size=(2, 3, 4))
    check_gradients(lambda d: tf.linalg.diag(d, k=(-1, 1), num_rows=4, num_cols=5), band, order=2)
    check_gradients(lambda x: tf.linalg.diag_part(x, k=(-1, 2)), TALL, order=2)
    diagonals = RNG.normal(size=(2, 2, 3))
    check_gradients(lambda x, d: tf.linalg.set_diag(x, d, k=(0, 1)), TALL, diagonals, order=2)
    check_gradients(lambda x: tf.linalg.band_part(x, 1, 0), TALL, order=2)
    check_gradients(tf.linalg.adjoint, TALL, order=2)
    check_gradients(tf.linalg.tensor_diag, RNG.normal(size=(2, 3)), order=2)
    check_gradients(tf.linalg.tensor_diag_part, RNG.normal(size=(2, 3, 2, 3)), order=2)


@pytest.mark.parametrize("equation, shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ii", [(3, 3)]),
    ("iij->ij", [(3, 3, 2)]),
    ("ij,k->ik", [(3, 3), (4,)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (1, 3, 4)]),
    ("...j,...j->j", [(2, 1, 3), (4, 3)]),
    ("i...j,j->i...", [(2, 3, 4, 3), (3,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 3), (3, 2)]),
])
def test_einsum_gradients(equation, shapes):
    check_gradients(lambda *ops: tf.einsum(equation, *ops), *[RNG.normal(size=s) for s in shapes], order=2)


def test_tensordot_cross_matvec_gradients():
    check_gradients(lambda a, b: tf.tensordot(a, b, axes=[[0, 2], [1, 0]]), RNG.normal(size=(3, 2, 4)),
                    RNG.normal(size=(4, 3)), order=2)
    check_gradients(tf.linalg.cross, RNG.normal(size=(2, 3)), RNG.normal(size=(2, 3)), order=2)
    check_gradients(tf.linalg.matvec, TALL, RNG.normal(size=(3,)), order=2)


def test_ops_trace_into_functions():
    fn = tf.function(lambda x: [tf.linalg.inv(x), tf.linalg.diag_part(x, k=(-1, 0), padding_value=7.0),
                                tf.einsum("ij,jk->ik", x, x), tf.linalg.svd(x)[0], tf.linalg.lstsq(x, x)])
    for traced, eager in zip(fn(tf.constant(SPD[0])), fn.python_function(tf.constant(SPD[0]))):
        np.testing.assert_allclose(traced.numpy(), eager.numpy(), rtol=1e-10)
