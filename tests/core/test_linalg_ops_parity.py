"""Linear algebra against the real TensorFlow: values, dtypes, shapes and exception types."""
import numpy as np
import pytest

import ndflow as tf

pytestmark = pytest.mark.parity

RNG = np.random.default_rng(7)
SQUARE = RNG.normal(size=(2, 3, 3)).astype(np.float32)
TALL = RNG.normal(size=(2, 4, 3)).astype(np.float32)
WIDE = RNG.normal(size=(3, 5)).astype(np.float32)
SPD = (SQUARE @ np.swapaxes(SQUARE, -1, -2) + 3 * np.eye(3)).astype(np.float32)
RHS = RNG.normal(size=(2, 3, 2)).astype(np.float32)
INT_MAT = np.arange(12, dtype=np.int32).reshape(3, 4)

# name -> function of (module, ...) used identically with ndflow and TensorFlow
CASES = {
    "inv": lambda m: m.linalg.inv(SQUARE),
    "inv_adjoint": lambda m: m.linalg.inv(SQUARE, adjoint=True),
    "inv_f64": lambda m: m.linalg.inv(SQUARE.astype(np.float64)),
    "det": lambda m: m.linalg.det(SQUARE),
    "slogdet": lambda m: m.linalg.slogdet(SQUARE),
    "logdet": lambda m: m.linalg.logdet(SPD),
    "solve": lambda m: m.linalg.solve(SQUARE, RHS),
    "solve_adjoint": lambda m: m.linalg.solve(SQUARE, RHS, adjoint=True),
    "triangular_solve": lambda m: m.linalg.triangular_solve(SQUARE + 3 * np.eye(3, dtype=np.float32), RHS),
    "triangular_solve_upper_adj": lambda m: m.linalg.triangular_solve(
        SQUARE + 3 * np.eye(3, dtype=np.float32), RHS, lower=False, adjoint=True),
    "triangular_solve_broadcast": lambda m: m.linalg.triangular_solve(
        SQUARE[0] + 3 * np.eye(3, dtype=np.float32), RHS),
    "cholesky": lambda m: m.linalg.cholesky(SPD),
    "cholesky_solve": lambda m: m.linalg.cholesky_solve(np.linalg.cholesky(SPD), RHS),
    "svd_s": lambda m: m.linalg.svd(TALL, compute_uv=False),
    "eigvalsh": lambda m: m.linalg.eigvalsh(SPD),
    "eigh_values_lower": lambda m: m.linalg.eigh(np.tril(SPD) + np.triu(SQUARE, 1))[0],
    "lstsq": lambda m: m.linalg.lstsq(TALL, RNG.normal(size=(2, 4, 1)).astype(np.float32) * 0 + 1),
    "lstsq_l2": lambda m: m.linalg.lstsq(TALL, np.ones((2, 4, 1), np.float32), l2_regularizer=0.5),
    "lstsq_wide": lambda m: m.linalg.lstsq(WIDE, np.ones((3, 2), np.float32)),
    "pinv": lambda m: m.linalg.pinv(TALL),
    "expm": lambda m: m.linalg.expm(SQUARE * 0.5),
    "trace": lambda m: m.linalg.trace(INT_MAT),
    "diag": lambda m: m.linalg.diag([1, 2], k=1),
    "diag_band": lambda m: m.linalg.diag([[1, 2, 3], [3, 4, 5]], k=(-1, 0)),
    "diag_padded": lambda m: m.linalg.diag([1.0, 2.0], k=-1, num_rows=3, num_cols=4, padding_value=9.0),
    "diag_part_band": lambda m: m.linalg.diag_part(INT_MAT, k=(-1, 2), padding_value=-1),
    "diag_part_band_left": lambda m: m.linalg.diag_part(INT_MAT, k=(-2, 1), align="LEFT_LEFT"),
    "diag_part_band_lr": lambda m: m.linalg.diag_part(INT_MAT.T, k=(-2, 1), align="LEFT_RIGHT"),
    "set_diag_band": lambda m: m.linalg.set_diag(np.zeros((3, 4), np.float32), np.ones((2, 3), np.float32),
                                                 k=(0, 1)),
    "band_part": lambda m: m.linalg.band_part(TALL, 1, 0),
    "band_part_upper": lambda m: m.linalg.band_part(TALL, -1, 1),
    "tensor_diag": lambda m: m.linalg.tensor_diag([[1, 2], [3, 4]]),
    "tensor_diag_part": lambda m: m.linalg.tensor_diag_part(np.arange(16).reshape(2, 2, 2, 2)),
    "matrix_transpose": lambda m: m.linalg.matrix_transpose(TALL),
    "adjoint": lambda m: m.linalg.adjoint(np.array([[1 + 2j, 3j]], np.complex64)),
    "tensordot_pair": lambda m: m.tensordot(TALL, SQUARE[0], axes=(-1, 0)),
    "tensordot_lists": lambda m: m.tensordot(TALL, TALL, axes=[[0, 1], [0, 1]]),
    "tensordot_int": lambda m: m.tensordot(np.ones(3, np.int32), np.ones(3, np.int32), axes=1),
    "einsum_matmul": lambda m: m.einsum("bij,bjk->bik", TALL, SQUARE),
    "einsum_implicit": lambda m: m.einsum("ij,jk", SQUARE[0], SQUARE[1]),
    "einsum_trace": lambda m: m.einsum("ii", SQUARE[0]),
    "einsum_diag": lambda m: m.einsum("ii->i", SQUARE[0]),
    "einsum_ellipsis": lambda m: m.einsum("...ij,...jk->...ik", TALL, SQUARE[0]),
    "einsum_broadcast": lambda m: m.einsum("...j,...j->...", TALL[:1], TALL[0]),
    "einsum_outer_int": lambda m: m.einsum("i,j->ij", np.arange(2, dtype=np.int32),
                                           np.arange(3, dtype=np.int32)),
    "cross": lambda m: m.linalg.cross(TALL[..., :3][0], TALL[..., :3][1]),
    "matvec": lambda m: m.linalg.matvec(TALL, SQUARE[0, 0]),
    "matvec_transposed": lambda m: m.linalg.matvec(TALL, TALL[0, :, 0], transpose_a=True),
}

ERRORS = {
    "inv_singular": lambda m: m.linalg.inv(np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)),
    "inv_nonsquare": lambda m: m.linalg.inv(np.ones((2, 3), np.float32)),
    "inv_int": lambda m: m.linalg.inv(np.eye(2, dtype=np.int32)),
    "det_rank1": lambda m: m.linalg.det(np.ones(3, np.float32)),
    "solve_singular": lambda m: m.linalg.solve(np.zeros((2, 2), np.float32), np.ones((2, 1), np.float32)),
    "solve_mismatch": lambda m: m.linalg.solve(np.eye(2, dtype=np.float32), np.ones((3, 3), np.float32)),
    "solve_dtypes": lambda m: m.linalg.solve(m.constant(np.eye(2), m.float32), m.constant(np.ones((2, 1)))),
    "trace_rank1": lambda m: m.linalg.trace(np.ones(3, np.float32)),
    "band_too_wide": lambda m: m.linalg.band_part(np.ones((3, 3), np.float32), 5, 0),
    "set_diag_shape": lambda m: m.linalg.set_diag(np.zeros((2, 3), np.float32), np.ones(3, np.float32)),
    "diag_sizes": lambda m: m.linalg.diag([1, 2], k=-1, num_rows=4, num_cols=3),
    "transpose_rank1": lambda m: m.linalg.matrix_transpose(np.ones(2, np.float32)),
    "pinv_complex": lambda m: m.linalg.pinv(np.eye(2, dtype=np.complex64)),
    "cross_2d": lambda m: m.linalg.cross(np.ones(2, np.float32), np.ones(2, np.float32)),
    "einsum_count": lambda m: m.einsum("ij,jk->ik", np.ones((2, 3), np.float32)),
    "einsum_dims": lambda m: m.einsum("ij,jk->ik", np.ones((2, 3), np.float32), np.ones((4, 4), np.float32)),
    "einsum_rank": lambda m: m.einsum("ijk->i", np.ones((2, 3), np.float32)),
    "tensordot_dims": lambda m: m.tensordot(np.ones((3, 2, 4), np.float32), np.ones((5, 3), np.float32),
                                            axes=[[2], [0]]),
    "tensordot_axes": lambda m: m.tensordot(np.ones(3, np.float32), np.ones(3, np.float32), axes=2),
}


def _flat(result):
    return list(result) if isinstance(result, (tuple, list)) else [result]


@pytest.mark.parametrize("case", sorted(CASES))
def test_values_and_dtypes_match_tensorflow(case):
    tf_ref = pytest.importorskip("tensorflow")
    ours, theirs = _flat(CASES[case](tf)), _flat(CASES[case](tf_ref))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype.name == b.dtype.name
        assert a.shape.as_list() == b.shape.as_list()
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=2e-4, atol=2e-5)


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_error_types_match_tensorflow(case):
    tf_ref = pytest.importorskip("tensorflow")
    with pytest.raises(Exception) as theirs:
        ERRORS[case](tf_ref)
    with pytest.raises(Exception) as ours:
        ERRORS[case](tf)
    assert type(ours.value).__name__ == type(theirs.value).__name__


@pytest.mark.parametrize("full", [False, True])
def test_decompositions_agree_up_to_signs(full):
    tf_ref = pytest.importorskip("tensorflow")
    q, r = tf.linalg.qr(TALL, full_matrices=full)
    q_ref, r_ref = tf_ref.linalg.qr(TALL, full_matrices=full)
    assert q.shape.as_list() == q_ref.shape.as_list() and r.shape.as_list() == r_ref.shape.as_list()
    diag, diag_ref = (np.diagonal(x.numpy(), axis1=-2, axis2=-1) for x in (r, r_ref))
    signs = np.sign(diag * diag_ref)
    k = signs.shape[-1]
    aligned = r.numpy()[..., :k, :] * signs[..., :, None]
    np.testing.assert_allclose(aligned, r_ref.numpy()[..., :k, :], atol=1e-4)
    s, u, v = tf.linalg.svd(TALL, full_matrices=full)
    s_ref, u_ref, v_ref = tf_ref.linalg.svd(TALL, full_matrices=full)
    assert [t.shape.as_list() for t in (s, u, v)] == [t.shape.as_list() for t in (s_ref, u_ref, v_ref)]
    np.testing.assert_allclose(np.abs(v.numpy()), np.abs(v_ref.numpy()), atol=1e-4)
    e, vec = tf.linalg.eigh(SPD)
    e_ref, vec_ref = tf_ref.linalg.eigh(SPD)
    np.testing.assert_allclose(e.numpy(), e_ref.numpy(), rtol=1e-5)
    np.testing.assert_allclose(np.abs(vec.numpy()), np.abs(vec_ref.numpy()), atol=1e-4)


def test_non_positive_definite_cholesky_gives_nan_like_tensorflow():
    tf_ref = pytest.importorskip("tensorflow")
    bad = np.array([[1.0, 2.0], [2.0, 1.0]], np.float32)
    ours, theirs = tf.linalg.cholesky(bad).numpy(), tf_ref.linalg.cholesky(bad).numpy()
    np.testing.assert_array_equal(np.isnan(np.tril(ours)), np.isnan(np.tril(theirs)))


@pytest.mark.parametrize("name", ["inv", "det", "logdet", "solve", "cholesky", "triangular_solve", "einsum",
                                  "tensordot", "diag_part", "set_diag", "band_part", "eigvalsh", "svd", "qr",
                                  "pinv", "expm", "cross", "trace", "lstsq"])
def test_gradients_match_tensorflow(name):
    tf_ref = pytest.importorskip("tensorflow")
    a = SQUARE.astype(np.float64)
    spd = SPD.astype(np.float64)
    rhs = RHS.astype(np.float64)
    fns = {
        "inv": lambda m, x: m.linalg.inv(x),
        "det": lambda m, x: m.linalg.det(x),
        "logdet": lambda m, x: m.linalg.logdet(x @ m.linalg.matrix_transpose(x) + 3 * np.eye(3)),
        "solve": lambda m, x: m.linalg.solve(x, rhs),
        "cholesky": lambda m, x: m.linalg.cholesky(x @ m.linalg.matrix_transpose(x) + 3 * np.eye(3)),
        "triangular_solve": lambda m, x: m.linalg.triangular_solve(x + 3 * np.eye(3), rhs),
        "einsum": lambda m, x: m.einsum("bij,bjk->bik", x, x) * m.einsum("bii->b", x)[:, None, None],
        "tensordot": lambda m, x: m.tensordot(x, x, axes=[[1, 2], [2, 1]]),
        "diag_part": lambda m, x: m.linalg.diag_part(x, k=(-1, 1)),
        "set_diag": lambda m, x: m.linalg.set_diag(x, x[:, 0, :] * 2),
        "band_part": lambda m, x: m.linalg.band_part(x, 0, 1),
        "eigvalsh": lambda m, x: m.linalg.eigvalsh(spd + x * 0.1),
        "svd": lambda m, x: m.linalg.svd(x)[0],
        "qr": lambda m, x: m.linalg.qr(x)[1],
        "pinv": lambda m, x: m.linalg.pinv(x),
        "expm": lambda m, x: m.linalg.expm(x * 0.3),
        "cross": lambda m, x: m.linalg.cross(x, x * x),
        "trace": lambda m, x: m.linalg.trace(x),
        "lstsq": lambda m, x: m.linalg.lstsq(x, rhs),
    }
    weights = RNG.normal(size=(4, 4, 4))

    def grad(m):
        x = m.constant(a)
        with m.GradientTape() as tape:
            tape.watch(x)
            y = fns[name](m, x)
            w = m.constant(np.resize(weights, y.shape.as_list()))
            total = m.reduce_sum(y * w)
        return tape.gradient(total, x).numpy()

    np.testing.assert_allclose(grad(tf), grad(tf_ref), rtol=1e-6, atol=1e-8)


COMPLEX = (RNG.normal(size=(3, 3)) + 1j * RNG.normal(size=(3, 3)))
COMPLEX_WIDE = (RNG.normal(size=(3, 4)) + 1j * RNG.normal(size=(3, 4)))


def _hermitian(m, x):
    return x @ m.linalg.adjoint(x) + 3 * np.eye(3)


@pytest.mark.parametrize("name, fn, x0", [
    ("inv", lambda m, x: m.linalg.inv(x), COMPLEX),
    ("det", lambda m, x: m.linalg.det(x), COMPLEX),
    ("solve", lambda m, x: m.linalg.solve(x, COMPLEX.T), COMPLEX),
    ("cholesky", lambda m, x: m.linalg.cholesky(_hermitian(m, x)), COMPLEX),
    ("eigh", lambda m, x: m.cast(m.linalg.eigh(_hermitian(m, x))[0], m.complex128), COMPLEX),
    ("qr_r", lambda m, x: m.linalg.qr(x)[1], COMPLEX),
    ("qr_wide_q", lambda m, x: m.linalg.qr(x)[0], COMPLEX_WIDE),
    ("svd_first_pair", lambda m, x: m.einsum("ij,kj->ik", m.linalg.svd(x)[1][:, :2],
                                             m.math.conj(m.linalg.svd(x)[2][:, :2])), COMPLEX_WIDE),
    ("einsum", lambda m, x: m.einsum("ij,jk->ik", x, x), COMPLEX),
])
def test_complex_gradients_match_tensorflow(name, fn, x0):
    tf_ref = pytest.importorskip("tensorflow")
    weights = RNG.normal(size=16) + 1j * RNG.normal(size=16)

    def grad(m):
        x = m.constant(x0)
        with m.GradientTape() as tape:
            tape.watch(x)
            y = fn(m, x)
            total = m.reduce_sum(y * m.constant(np.resize(weights, y.shape.as_list())))
        return tape.gradient(total, x).numpy()

    np.testing.assert_allclose(grad(tf), grad(tf_ref), rtol=1e-6, atol=1e-8)
