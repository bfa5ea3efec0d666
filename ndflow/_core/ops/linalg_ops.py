"""Linear algebra (``tf.linalg``, ``tf.einsum``, ``tf.tensordot``): decompositions, solvers, diagonals.

Every op works on batches of matrices (the two inner-most dims). Gradients are written with ndflow ops;
``einsum`` is the workhorse many of them are expressed with.
"""
from __future__ import annotations

import contextlib
import functools
import string
from typing import Any

import numpy as np

from .. import dtypes
from ..errors import NotFoundError
from ..export import export, namespace
from ..tensor import Tensor, check_same_dtype
from ._helpers import (
    as_int_list,
    binary_args,
    check_dtype,
    execute,
    invalid_arg,
    register,
    shape_text,
    static_value,
    to_tensor,
)
from .array_ops import ones, ones_like, reshape, zeros_like
from .math_ops import add, cast, conj, divide, divide_no_nan, matmul, multiply, negative, subtract, sum_to
from .reduction_ops import reduce_sum

# The element types of TF's matrix decompositions (TF lists them in this order in its errors).
_DECOMP_TYPES = ("float64", "float32", "float16", "complex64", "complex128")
_DET_TYPES = ("float16", "float32", "float64", "complex64", "complex128")


# ---------------------------------------------------------------------------------------------------------
# Kernel helpers


def _require_matrix(op_name: str, a: Any, square: bool = True) -> None:
    if a.ndim < 2:
        raise invalid_arg(op_name, f"Input tensor 0 must have rank >= 2, got {a.ndim}")
    if square and a.shape[-1] != a.shape[-2]:
        raise invalid_arg(op_name, "Input matrix must be square.")


def _widen(xp, a):
    """LAPACK has no half precision: compute float16 in float32."""
    return a.astype(xp.float32) if a.dtype == xp.float16 else a


def _adjoint_array(xp, a):
    return xp.conj(xp.swapaxes(a, -1, -2))


def _matrix_arg(x: Any, op_name: str, allowed: tuple = _DECOMP_TYPES) -> Tensor:
    x = to_tensor(x)
    if x.dtype.name not in allowed:
        check_dtype(op_name, x, allowed)
    return x


def _batch_scale(scalars: Tensor, matrices: Tensor) -> Tensor:
    """``scalars[..., None, None] * matrices``."""
    return einsum("...,...ij->...ij", scalars, matrices)


# ---------------------------------------------------------------------------------------------------------
# Transpose and band structure


def _matrix_transpose_forward(xp, a):
    return xp.swapaxes(a, -1, -2)


MatrixTranspose = register("MatrixTranspose", _matrix_transpose_forward,
                           grad=lambda entry, dy: (matrix_transpose(dy),))


@export("linalg.matrix_transpose")
def matrix_transpose(a: Any, name: str = "matrix_transpose", conjugate: bool = False) -> Tensor:
    """Swaps the two inner-most dims (conjugating when ``conjugate``).

    Raises:
        ValueError: ``a`` has rank < 2.
    """
    a = to_tensor(a)
    if a.ndim < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = "
                         f"{a.numpy()} "
                         f"with shape: {tuple(a.shape.as_list())}")
    out = execute(MatrixTranspose, (a,))
    return conj(out) if conjugate else out


@export("linalg.adjoint")
def adjoint(matrix: Any, name: str | None = None) -> Tensor:
    """The conjugate transpose of the inner-most matrices."""
    return matrix_transpose(matrix, conjugate=True)


def _band_forward(xp, x, *, num_lower, num_upper):
    rows, cols = x.shape[-2], x.shape[-1]
    if num_lower > rows:
        raise invalid_arg("MatrixBandPart", f"num_lower must be negative or less or equal to number of rows "
                                            f"({rows}) got: {num_lower}")
    if num_upper > cols:
        raise invalid_arg("MatrixBandPart", "num_upper must be negative or less or equal to number of "
                                            f"columns "
                                            f"({cols}) got: {num_upper}")
    offset = xp.arange(cols)[None, :] - xp.arange(rows)[:, None]   # column - row
    keep = xp.ones((rows, cols), dtype=bool)
    if num_lower >= 0:
        keep &= -offset <= num_lower
    if num_upper >= 0:
        keep &= offset <= num_upper
    return xp.where(keep, x, xp.zeros((), dtype=x.dtype))


def _band_grad(entry, dy):
    return (band_part(dy, entry.attrs["num_lower"], entry.attrs["num_upper"]),)


MatrixBandPart = register("MatrixBandPart", _band_forward, grad=_band_grad)


@export("linalg.band_part")
def band_part(input: Any, num_lower: Any, num_upper: Any, name: str | None = None) -> Tensor:
    """Keeps ``num_lower`` sub- and ``num_upper`` super-diagonals (negative: all), zeroing the rest.

    Raises:
        InvalidArgumentError: rank < 2 or a band wider than the matrix.
    """
    x = to_tensor(input)
    if x.ndim < 2:
        raise invalid_arg("MatrixBandPart", f"input must be at least 2-dim, received shape: "
                                            f"{shape_text(x.shape)}")
    lower, upper = as_int_list(num_lower)[0], as_int_list(num_upper)[0]
    return execute(MatrixBandPart, (x,), {"num_lower": lower, "num_upper": upper})


# ---------------------------------------------------------------------------------------------------------
# Diagonals (TF's MatrixDiagV3 family: a band of diagonals k=(lo, hi) stored as rows of a "diagonal" tensor)


@functools.lru_cache(maxsize=256)
def _diag_layout(rows: int, cols: int, lo: int, hi: int, length: int, align: str) -> tuple:
    """Index arrays pairing band storage ``[hi - d, j]`` with matrix entries for diagonals lo..hi."""
    super_right, sub_right = (part == "RIGHT" for part in align.split("_"))
    store_r, store_c, mat_r, mat_c = [], [], [], []
    for d in range(hi, lo - 1, -1):
        n = min(rows + min(0, d), cols - max(0, d))
        if n <= 0:
            continue
        right = super_right if d >= 0 else sub_right
        j = np.arange(n)
        store_r.append(np.full(n, hi - d))
        store_c.append(j + (length - n if right else 0))
        mat_r.append(j + max(0, -d))
        mat_c.append(j + max(0, d))
    if not store_r:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty, empty
    return tuple(np.concatenate(a) for a in (store_r, store_c, mat_r, mat_c))


def _longest_diagonal(rows: int, cols: int, lo: int, hi: int) -> int:
    return max(0, min(rows + min(0, hi), cols - max(0, lo)))


def _check_k(op_name: str, rows: int, cols: int, lo: int, hi: int) -> None:
    if lo > hi:
        raise invalid_arg(op_name, f"lower_diag_index must not be larger than upper_diag_index: {lo} > {hi}")
    if rows and not -rows < lo:
        raise invalid_arg(op_name, f"lower_diag_index is out of bound: {lo}. It must be between {-rows} and "
                                   f"{cols}")
    if cols and not hi < cols:
        raise invalid_arg(op_name, f"upper_diag_index is out of bound: {hi}. It must be between {-rows} and "
                                   f"{cols}")


def _diag_part_forward(xp, x, *, lo, hi, padding, align):
    if x.ndim < 2:
        raise invalid_arg("MatrixDiagPartV3", f"input must be at least 2-dim, received shape: "
                                              f"{shape_text(x.shape)}")
    rows, cols = x.shape[-2:]
    _check_k("MatrixDiagPartV3", rows, cols, lo, hi)
    length = _longest_diagonal(rows, cols, lo, hi)
    sr, sc, mr, mc = _diag_layout(rows, cols, lo, hi, length, align)
    out = xp.full(x.shape[:-2] + (hi - lo + 1, length), padding, dtype=x.dtype)
    out[..., sr, sc] = x[..., mr, mc]
    return out[..., 0, :] if lo == hi else out


def _diag_part_grad(entry, dy):
    x = entry.inputs[0]
    a = entry.attrs
    rows, cols = x.shape[-2:]
    return (diag(dy, k=(a["lo"], a["hi"]), num_rows=rows, num_cols=cols, align=a["align"]),)


MatrixDiagPart = register("MatrixDiagPartV3", _diag_part_forward, grad=_diag_part_grad)


def _diag_sizes(length: int, lo: int, hi: int, rows: int, cols: int) -> tuple[int, int]:
    min_rows = length - min(hi, 0)
    min_cols = length + max(lo, 0)
    if rows == -1 and cols == -1:
        rows = cols = max(min_rows, min_cols)
    elif rows == -1:
        rows = min_rows
    elif cols == -1:
        cols = min_cols
    if rows != min_rows and cols != min_cols:
        raise invalid_arg("MatrixDiagV3", "The number of rows or columns is not consistent with the "
                                          "specified "
                                          "d_lower, d_upper, and diagonal.")
    return rows, cols


def _diag_forward(xp, d, *, lo, hi, num_rows, num_cols, padding, align):
    if lo != hi:
        if d.ndim < 2 or d.shape[-2] != hi - lo + 1:
            raise invalid_arg("MatrixDiagV3", "The number of diagonals provided in the input does not match "
                                              "the lower_diag_index and upper_diag_index range.")
    else:
        d = d[..., None, :]
    length = d.shape[-1]
    rows, cols = _diag_sizes(length, lo, hi, num_rows, num_cols)
    sr, sc, mr, mc = _diag_layout(rows, cols, lo, hi, length, align)
    out = xp.full(d.shape[:-2] + (rows, cols), padding, dtype=d.dtype)
    out[..., mr, mc] = d[..., sr, sc]
    return out


def _diag_grad(entry, dy):
    a = entry.attrs
    return (diag_part(dy, k=(a["lo"], a["hi"]), align=a["align"]),)


MatrixDiag = register("MatrixDiagV3", _diag_forward, grad=_diag_grad)


def _set_diag_forward(xp, x, d, *, lo, hi, align):
    rows, cols = x.shape[-2:]
    _check_k("MatrixSetDiagV3", rows, cols, lo, hi)
    length = _longest_diagonal(rows, cols, lo, hi)
    expected = x.shape[:-2] + ((hi - lo + 1,) if lo != hi else ()) + (length,)
    if d.shape != expected:
        raise invalid_arg("MatrixSetDiagV3",
                          "Either first dimensions of diagonal don't match input.shape[:-2], or "
                          "diagonal.shape[:-1] "
                          "is not equal to the longests diagonal in range "
                          "[lower_diag_index:upper_diag_index].\n"
                          f"Input shape: {shape_text(x.shape)}\nDiagonal shape: {shape_text(d.shape)}\n"
                          f"Expected diagonal shape: {shape_text(expected)}")
    if lo == hi:
        d = d[..., None, :]
    sr, sc, mr, mc = _diag_layout(rows, cols, lo, hi, length, align)
    out = x.copy()
    out[..., mr, mc] = d[..., sr, sc]
    return out


def _set_diag_grad(entry, dy):
    a = entry.attrs
    k = (a["lo"], a["hi"])
    d = entry.inputs[1]
    return set_diag(dy, zeros_like(d), k=k, align=a["align"]), diag_part(dy, k=k, align=a["align"])


MatrixSetDiag = register("MatrixSetDiagV3", _set_diag_forward, grad=_set_diag_grad)

_ALIGNS = ("RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT")


def _k_pair(k: Any) -> tuple[int, int]:
    ks = as_int_list(k)
    if len(ks) == 1:
        return ks[0], ks[0]
    if len(ks) != 2:
        raise invalid_arg("MatrixDiagV3", "diag_index must be a scalar or vector with at most 2 elements, "
                                          f"got "
                                          f"{len(ks)}")
    return ks[0], ks[1]


def _scalar_attr(value: Any, dtype: dtypes.DType) -> Any:
    """A Python scalar or concrete tensor as a plain attr value of ``dtype``."""
    concrete = static_value(value)
    if concrete is None:
        raise ValueError(f"Expected a constant value, got the symbolic tensor {value!r}")
    return np.asarray(concrete, dtype=dtype.as_numpy_dtype).item()


def _check_align(align: str) -> str:
    if align not in _ALIGNS:
        raise ValueError(f"Invalid align: {align!r}. Expected one of {', '.join(_ALIGNS)}.")
    return align


@export("linalg.diag")
def diag(diagonal: Any, name: str = "diag", k: Any = 0, num_rows: Any = -1, num_cols: Any = -1,
         padding_value: Any = 0, align: str = "RIGHT_LEFT") -> Tensor:
    """Batched matrices with ``diagonal`` on diagonal ``k`` (or the band ``k=(lo, hi)``), elsewhere
    ``padding_value``.

    Raises:
        InvalidArgumentError: ``num_rows``/``num_cols`` inconsistent with the diagonals.
    """
    d = to_tensor(diagonal)
    lo, hi = _k_pair(k)
    attrs = {"lo": lo, "hi": hi, "num_rows": as_int_list(num_rows)[0], "num_cols": as_int_list(num_cols)[0],
             "padding": _scalar_attr(padding_value, d.dtype), "align": _check_align(align)}
    return execute(MatrixDiag, (d,), attrs)


@export("linalg.diag_part")
def diag_part(input: Any, name: str = "diag_part", k: Any = 0, padding_value: Any = 0,
              align: str = "RIGHT_LEFT") -> Tensor:
    """The diagonal ``k`` (or the band ``k=(lo, hi)``, padded with ``padding_value``) of batched matrices.

    Raises:
        InvalidArgumentError: rank < 2 or ``k`` out of range.
    """
    x = to_tensor(input)
    lo, hi = _k_pair(k)
    padding = _scalar_attr(padding_value, x.dtype)
    attrs = {"lo": lo, "hi": hi, "padding": padding, "align": _check_align(align)}
    return execute(MatrixDiagPart, (x,), attrs)


@export("linalg.set_diag")
def set_diag(input: Any, diagonal: Any, name: str = "set_diag", k: Any = 0,
             align: str = "RIGHT_LEFT") -> Tensor:
    """``input`` with diagonal ``k`` (or the band ``k=(lo, hi)``) replaced by ``diagonal``.

    Raises:
        InvalidArgumentError: ``diagonal`` has the wrong shape.
    """
    x, d = binary_args(input, diagonal, "MatrixSetDiagV3")
    if x.ndim < 2:
        raise invalid_arg("MatrixSetDiagV3", f"input must be at least a matrix, received shape: "
                                             f"{shape_text(x.shape)}")
    lo, hi = _k_pair(k)
    return execute(MatrixSetDiag, (x, d), {"lo": lo, "hi": hi, "align": _check_align(align)})


@export("linalg.tensor_diag")
def tensor_diag(diagonal: Any, name: str | None = None) -> Tensor:
    """A rank-2k tensor with ``diagonal`` (rank k) on its diagonal: ``out[i..., i...] = diagonal[i...]``."""
    d = to_tensor(diagonal)
    shape = d.shape.as_list()
    return reshape(diag(reshape(d, [-1])), shape + shape)


@export("linalg.tensor_diag_part")
def tensor_diag_part(input: Any, name: str | None = None) -> Tensor:
    """The diagonal of a rank-2k tensor: ``out[i...] = input[i..., i...]``.

    Raises:
        InvalidArgumentError: odd rank or mismatched halves.
    """
    x = to_tensor(input)
    shape = x.shape.as_list()
    half = len(shape) // 2
    if len(shape) % 2 or shape[:half] != shape[half:]:
        raise invalid_arg("DiagPart", f"Input must have even rank and matching halves, got shape "
                                      f"{shape_text(shape)}")
    n = int(np.prod(shape[:half], dtype=np.int64))
    return reshape(diag_part(reshape(x, [n, n])), shape[:half])


@export("linalg.trace")
def trace(x: Any, name: str | None = None) -> Tensor:
    """The sum of the main diagonal of each inner-most matrix."""
    return reduce_sum(diag_part(x), axis=-1)


def _eye_like(a: Tensor) -> Tensor:
    """Identity matrices with ``a``'s (square) shape and dtype."""
    return set_diag(zeros_like(a), ones_like(diag_part(a)))


def _identity(n: int, dtype: dtypes.DType) -> Tensor:
    return diag(ones([n], dtype=dtype))


# ---------------------------------------------------------------------------------------------------------
# Inverse and determinants


def _inv_forward(xp, a, *, adjoint):
    _require_matrix("MatrixInverse", a)
    b = _widen(xp, a)
    if adjoint:
        b = _adjoint_array(xp, b)
    try:
        return xp.linalg.inv(b).astype(a.dtype, copy=False)
    except xp.linalg.LinAlgError:
        raise invalid_arg("MatrixInverse", "Input is not invertible.") from None


def _inv_grad(entry, dy):
    # d(A⁻¹) = -A⁻¹ dA A⁻¹  ⇒  grad = -A⁻ᴴ dy A⁻ᴴ (mirrored when the op inverted Aᴴ)
    inv_a = entry.outputs[0]
    if entry.attrs["adjoint"]:
        return (negative(matmul(inv_a, matmul(dy, inv_a, adjoint_a=True))),)
    return (negative(matmul(inv_a, matmul(dy, inv_a, adjoint_b=True), adjoint_a=True)),)


MatrixInverse = register("MatrixInverse", _inv_forward, grad=_inv_grad)


@export("linalg.inv")
def inv(input: Any, adjoint: bool = False, name: str | None = None) -> Tensor:
    """The inverse of each inner-most square matrix (of its adjoint when ``adjoint``).

    Raises:
        InvalidArgumentError: not square, not floating/complex, or singular ("Input is not invertible.").
    """
    a = _matrix_arg(input, "MatrixInverse")
    return execute(MatrixInverse, (a,), {"adjoint": bool(adjoint)})


def _det_forward(xp, a):
    _require_matrix("MatrixDeterminant", a)
    return xp.asarray(xp.linalg.det(a), dtype=a.dtype)


def _det_grad(entry, dy):
    # d det(A) = det(A) tr(A⁻¹ dA)
    a, det_a = entry.inputs[0], entry.outputs[0]
    # (TF scales by det(A) itself, not its conjugate, for complex inputs; kept for parity)
    return (_batch_scale(multiply(dy, det_a), inv(a, adjoint=True)),)


MatrixDeterminant = register("MatrixDeterminant", _det_forward, grad=_det_grad)


def _no_half_kernel(op_name: str, x: Tensor) -> None:
    if x.dtype.name == "float16":
        raise NotFoundError(None, None, f"Could not find device for node: {{{{node {op_name}}}}} = "
                                        f"{op_name}[T=DT_HALF] [Op:{op_name}] name: ")


@export("linalg.det")
def det(input: Any, name: str | None = None) -> Tensor:
    """The determinant of each inner-most square matrix."""
    a = _matrix_arg(input, "MatrixDeterminant", _DET_TYPES)
    _no_half_kernel("MatrixDeterminant", a)
    return execute(MatrixDeterminant, (a,))


def _slogdet_forward(xp, a):
    _require_matrix("LogMatrixDeterminant", a)
    sign, logabs = xp.linalg.slogdet(_widen(xp, a))
    return xp.asarray(sign, dtype=a.dtype), xp.asarray(logabs, dtype=a.dtype)


def _slogdet_grad(entry, dsign, dlogabs):
    # d log|det A| = Re tr(A⁻¹ dA); the sign is piecewise constant
    return (_batch_scale(dlogabs, inv(entry.inputs[0], adjoint=True)),)


LogMatrixDeterminant = register("LogMatrixDeterminant", _slogdet_forward, grad=_slogdet_grad, num_outputs=2)


@export("linalg.slogdet")
def slogdet(input: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
    """``(sign, log_abs_determinant)`` of each inner-most square matrix (stable for large determinants)."""
    a = _matrix_arg(input, "LogMatrixDeterminant")
    return execute(LogMatrixDeterminant, (a,))


def _logdet_forward(xp, a):
    chol = _cholesky_forward(xp, a)
    diagonal = xp.diagonal(chol, axis1=-2, axis2=-1).real
    return (2 * xp.sum(xp.log(diagonal), axis=-1)).astype(a.dtype)


def _logdet_grad(entry, dy):
    return (_batch_scale(dy, inv(entry.inputs[0], adjoint=True)),)


LogDet = register("Logdet", _logdet_forward, grad=_logdet_grad)


@export("linalg.logdet")
def logdet(matrix: Any, name: str | None = None) -> Tensor:
    """``log(det(matrix))`` of Hermitian positive definite matrices, through a Cholesky factorisation.

    Matrices that are not positive definite give NaN, as in TensorFlow.
    """
    a = _matrix_arg(matrix, "Cholesky")
    return execute(LogDet, (a,))


# ---------------------------------------------------------------------------------------------------------
# Solvers


def _solve_forward(xp, a, b, *, adjoint):
    _require_matrix("MatrixSolve", a)
    if a.ndim != b.ndim:
        raise invalid_arg("MatrixSolve", "All input tensors must have the same rank.")
    if a.shape[:-2] != b.shape[:-2]:
        raise invalid_arg("MatrixSolve", "All input tensors must have the same outer dimensions.")
    if a.shape[-1] != b.shape[-2]:
        raise invalid_arg("MatrixSolve", "Input matrix and rhs are incompatible.")
    wide = _widen(xp, a)
    if adjoint:
        wide = _adjoint_array(xp, wide)
    try:
        return xp.linalg.solve(wide, _widen(xp, b)).astype(a.dtype, copy=False)
    except xp.linalg.LinAlgError:
        raise invalid_arg("MatrixSolve", "Input matrix is not invertible.") from None


def _solve_grad(entry, dy):
    # X = A⁻¹B: grad_B = A⁻ᴴ dy, grad_A = -grad_B Xᴴ (or -X grad_Bᴴ when the op solved with Aᴴ)
    a = entry.inputs[0]
    x = entry.outputs[0]
    adj = entry.attrs["adjoint"]
    grad_b = solve(a, dy, adjoint=not adj)
    grad_a = matmul(x, grad_b, adjoint_b=True) if adj else matmul(grad_b, x, adjoint_b=True)
    return negative(grad_a), grad_b


MatrixSolve = register("MatrixSolve", _solve_forward, grad=_solve_grad)


@export("linalg.solve")
def solve(matrix: Any, rhs: Any, adjoint: bool = False, name: str | None = None) -> Tensor:
    """Solves ``matrix @ X = rhs`` (``adjoint(matrix) @ X = rhs`` when ``adjoint``) for each batch entry.

    Raises:
        InvalidArgumentError: mismatched shapes or dtypes, or a singular matrix.
    """
    a, b = binary_args(matrix, rhs, "MatrixSolve")
    if a.dtype.name not in _DECOMP_TYPES:
        check_dtype("MatrixSolve", a, _DECOMP_TYPES)
    return execute(MatrixSolve, (a, b), {"adjoint": bool(adjoint)})


def _substitute(xp, a, b, lower):
    """Solves triangular systems ``a @ x = b`` row by row (zero pivots give inf/nan, like TF)."""
    n = a.shape[-1]
    batch = xp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = xp.broadcast_to(a, batch + a.shape[-2:])
    x = xp.zeros(batch + b.shape[-2:], dtype=xp.result_type(a, b))
    order = range(n) if lower else range(n - 1, -1, -1)
    errstate = getattr(xp, "errstate", None)
    with errstate(divide="ignore", invalid="ignore") if errstate else contextlib.nullcontext():
        for i in order:
            done = slice(0, i) if lower else slice(i + 1, n)
            acc = b[..., i, :] - xp.matmul(a[..., i:i + 1, done], x[..., done, :])[..., 0, :]
            x[..., i, :] = acc / a[..., i, i:i + 1]
    return x


def _triangular_solve_forward(xp, a, b, *, lower, adjoint):
    _require_matrix("MatrixTriangularSolve", a)
    if b.ndim < 2:
        raise invalid_arg("MatrixTriangularSolve", f"Input tensor 1 must have rank >= 2, got {b.ndim}")
    if a.shape[-1] != b.shape[-2]:
        raise invalid_arg("MatrixTriangularSolve", f"Input matrix and RHS are incompatible: "
                                                   f"{shape_text(a.shape)} vs. {shape_text(b.shape)}")
    wide = _widen(xp, a)
    wide = xp.tril(wide) if lower else xp.triu(wide)
    if adjoint:
        wide, lower = _adjoint_array(xp, wide), not lower
    return _substitute(xp, wide, _widen(xp, b), lower).astype(a.dtype, copy=False)


def _triangular_solve_grad(entry, dy):
    a = entry.inputs[0]
    b = entry.inputs[1]
    x = entry.outputs[0]
    lower, adj = entry.attrs["lower"], entry.attrs["adjoint"]
    grad_b = triangular_solve(a, dy, lower=lower, adjoint=not adj)
    grad_a = matmul(x, grad_b, adjoint_b=True) if adj else matmul(grad_b, x, adjoint_b=True)
    grad_a = band_part(negative(grad_a), -1, 0) if lower else band_part(negative(grad_a), 0, -1)
    return sum_to(grad_a, a), sum_to(grad_b, b)


MatrixTriangularSolve = register("MatrixTriangularSolve", _triangular_solve_forward,
                                 grad=_triangular_solve_grad)


@export("linalg.triangular_solve")
def triangular_solve(matrix: Any, rhs: Any, lower: bool = True, adjoint: bool = False,
                     name: str | None = None) -> Tensor:
    """Solves ``matrix @ X = rhs`` reading only the lower (or upper) triangle; batch dims broadcast.

    Raises:
        InvalidArgumentError: mismatched shapes or dtypes.
    """
    a, b = binary_args(matrix, rhs, "MatrixTriangularSolve")
    if a.dtype.name not in _DECOMP_TYPES:
        check_dtype("MatrixTriangularSolve", a, _DECOMP_TYPES)
    return execute(MatrixTriangularSolve, (a, b), {"lower": bool(lower), "adjoint": bool(adjoint)})


# ---------------------------------------------------------------------------------------------------------
# Cholesky


def _cholesky_forward(xp, a):
    _require_matrix("Cholesky", a)
    wide = _widen(xp, a)
    try:
        out = xp.linalg.cholesky(wide)
    except xp.linalg.LinAlgError:
        # TF fills the factor of each matrix that is not positive definite with NaNs (lower triangle).
        flat = wide.reshape((-1,) + wide.shape[-2:])
        out = xp.empty_like(flat)
        nan_lower = xp.tril(xp.full(wide.shape[-2:], xp.nan, dtype=wide.dtype))
        for i in range(flat.shape[0]):
            try:
                out[i] = xp.linalg.cholesky(flat[i])
            except xp.linalg.LinAlgError:
                out[i] = nan_lower
        out = out.reshape(wide.shape)
    return out.astype(a.dtype, copy=False)


def _cholesky_grad(entry, dy):
    # With Φ(X) = lower triangle of X with the diagonal halved:
    # grad_A = sym(L⁻ᴴ Φ(Lᴴ dy) L⁻¹), sym(X) = (X + Xᴴ) / 2
    chol = entry.outputs[0]
    middle = band_part(matmul(chol, dy, adjoint_a=True), -1, 0)
    middle = set_diag(middle, multiply(diag_part(middle), 0.5))
    left = triangular_solve(chol, middle, adjoint=True)                       # L⁻ᴴ Φ
    full = adjoint(triangular_solve(chol, adjoint(left), adjoint=True))        # (L⁻ᴴ Φ) L⁻¹
    return (multiply(add(full, adjoint(full)), 0.5),)


Cholesky = register("Cholesky", _cholesky_forward, grad=_cholesky_grad)


@export("linalg.cholesky")
def cholesky(input: Any, name: str | None = None) -> Tensor:
    """The lower Cholesky factor ``L`` of each Hermitian positive definite matrix (``A = L Lᴴ``).

    Only the lower triangle of ``input`` is read. Matrices that are not positive definite give a factor filled
    with NaNs, as in TensorFlow.
    """
    a = _matrix_arg(input, "Cholesky")
    return execute(Cholesky, (a,))


@export("linalg.cholesky_solve")
def cholesky_solve(chol: Any, rhs: Any, name: str | None = None) -> Tensor:
    """Solves ``A X = rhs`` given the Cholesky factor ``chol`` of ``A``."""
    y = triangular_solve(chol, rhs, lower=True, adjoint=False)
    return triangular_solve(chol, y, lower=True, adjoint=True)


# ---------------------------------------------------------------------------------------------------------
# QR


def _qr_forward(xp, a, *, full_matrices):
    _require_matrix("Qr", a, square=False)
    q, r = xp.linalg.qr(_widen(xp, a), mode="complete" if full_matrices else "reduced")
    return q.astype(a.dtype, copy=False), r.astype(a.dtype, copy=False)


def _times_inverse_adjoint_r(x: Tensor, r: Tensor) -> Tensor:
    """``x @ R⁻ᴴ`` for upper-triangular square ``R``."""
    return adjoint(triangular_solve(r, adjoint(x), lower=False))


def _qr_grad_tall(q: Tensor, r: Tensor, dq: Tensor, dr: Tensor) -> Tensor:
    """Gradient for A = QR with A m×n, m ≥ n (reduced Q m×n, square R)."""
    qdq = matmul(q, dq, adjoint_a=True)
    rdr = matmul(r, dr, adjoint_b=True)
    skew = band_part(add(subtract(qdq, adjoint(qdq)), subtract(rdr, adjoint(rdr))), -1, 0)
    from_r = matmul(q, add(dr, _times_inverse_adjoint_r(skew, r)))
    from_q = _times_inverse_adjoint_r(subtract(dq, matmul(q, qdq)), r)
    grad = add(from_r, from_q)
    if q.dtype.is_complex:
        # the phase freedom of complex QR adds the imaginary diagonal of R dRᴴ - (Qᴴ dQ)ᴴ
        diagonal = diag_part(subtract(rdr, adjoint(qdq)))
        imaginary = diag(multiply(subtract(diagonal, conj(diagonal)), 0.5))
        grad = add(grad, _times_inverse_adjoint_r(matmul(q, imaginary, adjoint_b=True), r))
    return grad


def _qr_grad(entry, dq, dr):
    a = entry.inputs[0]
    q, r = entry.outputs
    m, n = a.shape[-2], a.shape[-1]
    if entry.attrs["full_matrices"] and m > n:
        raise NotImplementedError("QrGrad not implemented when nrows > ncols and full_matrices is true.")
    if m >= n:
        return (_qr_grad_tall(q, r, dq, dr),)
    # Wide A = [X | Y] with X m×m: R = [U | V], A = Q U and Y = Q V.
    y_part = a[..., :, m:]
    u, dv = r[..., :, :m], dr[..., :, m:]
    dx = _qr_grad_tall(q, u, add(dq, matmul(y_part, dv, adjoint_b=True)), dr[..., :, :m])
    dy_part = matmul(q, dv)
    # concatenate [dx | dy_part] along the columns with constant selection matrices
    left = np.eye(m, n, dtype=a.dtype.as_numpy_dtype)
    right = np.eye(n - m, n, k=m, dtype=a.dtype.as_numpy_dtype)
    return (add(matmul(dx, to_tensor(left)), matmul(dy_part, to_tensor(right))),)


Qr = register("Qr", _qr_forward, grad=_qr_grad, num_outputs=2)


@export("linalg.qr")
def qr(input: Any, full_matrices: bool = False, name: str | None = None) -> tuple[Tensor, Tensor]:
    """``(q, r)`` with ``input = q @ r``, ``q`` orthonormal columns, ``r`` upper triangular."""
    a = _matrix_arg(input, "Qr")
    return execute(Qr, (a,), {"full_matrices": bool(full_matrices)})


# ---------------------------------------------------------------------------------------------------------
# Singular values and Hermitian eigenvalues


def _svd_forward(xp, a, *, full_matrices, compute_uv):
    _require_matrix("Svd", a, square=False)
    wide = _widen(xp, a)
    real = a.real.dtype if a.dtype.kind == "c" else a.dtype
    if not compute_uv:
        s = xp.linalg.svd(wide, compute_uv=False)
        empty = xp.zeros((0,), dtype=a.dtype)
        return s.astype(real, copy=False), empty, empty
    u, s, vh = xp.linalg.svd(wide, full_matrices=full_matrices)
    return s.astype(real, copy=False), u.astype(a.dtype, copy=False), _adjoint_array(xp, vh).astype(a.dtype)


def _pair_reciprocals(values: Tensor) -> Tensor:
    """``F[..., i, j] = 1 / (values[j] - values[i])`` off the diagonal, 0 on it (and where values tie)."""
    diff = subtract(values[..., None, :], values[..., :, None])
    return divide_no_nan(ones_like(diff), diff)


def _svd_grad(entry, ds, du, dv):
    a = entry.inputs[0]
    m, n = a.shape[-2], a.shape[-1]
    attrs = entry.attrs
    if not attrs["compute_uv"]:
        s, u, v = svd(a, compute_uv=True)
        return (matmul(_scale_columns(u, _cast_like(ds, u)), v, adjoint_b=True),)
    if attrs["full_matrices"] and m != n:
        raise NotImplementedError("svd gradient has not been implemented for input with unequal number of "
                                  "rows "
                                  "and columns when full_matrices=True")
    s, u, v = entry.outputs
    # A = U S Vᴴ; with skew(X) = X - Xᴴ and F the reciprocal gaps of s²:
    # grad_A = U [F∘skew(Uᴴ dU) S + S F∘skew(Vᴴ dV) + diag(ds)] Vᴴ
    #          + (I - U Uᴴ) dU S⁻¹ Vᴴ + U S⁻¹ dVᴴ (I - V Vᴴ)
    gaps = _cast_like(_pair_reciprocals(multiply(s, s)), u)
    utdu = matmul(u, du, adjoint_a=True)
    vtdv = matmul(v, dv, adjoint_a=True)
    s_c = _cast_like(s, u)
    inner = add(_scale_columns(multiply(gaps, subtract(utdu, adjoint(utdu))), s_c),
                _scale_rows(multiply(gaps, subtract(vtdv, adjoint(vtdv))), s_c))
    inner = add(inner, diag(_cast_like(ds, u)))
    inv_s = divide(ones_like(s), s)
    if a.dtype.is_complex:
        # complex singular vectors have a free phase: its gauge term is the imaginary diagonal of Vᴴ dV / s
        phase = diag_part(vtdv)
        inner = add(inner, diag(multiply(subtract(conj(phase), phase), _cast_like(multiply(inv_s, 0.5), u))))
    grad = matmul(u, matmul(inner, v, adjoint_b=True))
    inv_s = _cast_like(inv_s, u)
    if m > n:
        proj = subtract(du, matmul(u, utdu))
        grad = add(grad, matmul(_scale_columns(proj, inv_s), v, adjoint_b=True))
    if n > m:
        proj = subtract(dv, matmul(v, vtdv))
        grad = add(grad, matmul(_scale_columns(u, inv_s), proj, adjoint_b=True))
    return (grad,)


def _scale_columns(x: Tensor, scale: Tensor) -> Tensor:
    return multiply(x, scale[..., None, :])


def _scale_rows(x: Tensor, scale: Tensor) -> Tensor:
    return multiply(x, scale[..., :, None])


Svd = register("Svd", _svd_forward, grad=_svd_grad, num_outputs=3)


@export("linalg.svd")
def svd(tensor: Any, full_matrices: bool = False, compute_uv: bool = True, name: str | None = None) -> Any:
    """Singular value decomposition ``tensor = u @ diag(s) @ adjoint(v)``.

    Returns:
        ``(s, u, v)`` in that order (TF's order; note ``v``, not ``vᴴ``), or only ``s`` when not
        ``compute_uv``. ``s`` is real and sorted in descending order.
    """
    a = _matrix_arg(tensor, "Svd")
    s, u, v = execute(Svd, (a,), {"full_matrices": bool(full_matrices), "compute_uv": bool(compute_uv)})
    return (s, u, v) if compute_uv else s


def _eigh_forward(xp, a, *, compute_v):
    _require_matrix("SelfAdjointEigV2", a)
    wide = _widen(xp, a)
    real = a.real.dtype if a.dtype.kind == "c" else a.dtype
    if not compute_v:
        return xp.linalg.eigvalsh(wide).astype(real, copy=False), xp.zeros((0,), dtype=a.dtype)
    e, v = xp.linalg.eigh(wide)
    return e.astype(real, copy=False), v.astype(a.dtype, copy=False)


def _eigh_grad(entry, de, dv):
    a = entry.inputs[0]
    if entry.attrs["compute_v"]:
        e, v = entry.outputs
        # grad = V (diag(de) + F∘(Vᴴ dV)) Vᴴ with F[i, j] = 1 / (e[j] - e[i])
        gaps = _cast_like(_pair_reciprocals(e), v)
        inner = add(diag(_cast_like(de, v)), multiply(gaps, matmul(v, dv, adjoint_a=True)))
    else:
        e, v = eigh(a)
        inner = diag(_cast_like(de, v))
    grad = matmul(v, matmul(inner, v, adjoint_b=True))
    # The op reads only the lower triangle: fold the upper half of the symmetric gradient onto it.
    folded = band_part(add(grad, adjoint(grad)), -1, 0)
    return (set_diag(folded, multiply(diag_part(folded), 0.5)),)


def _cast_like(x: Tensor, like: Tensor) -> Tensor:
    """``x`` cast to ``like``'s dtype (real eigenvalues to a complex matrix dtype)."""
    return cast(x, like.dtype)


SelfAdjointEig = register("SelfAdjointEigV2", _eigh_forward, grad=_eigh_grad, num_outputs=2)


@export("linalg.eigh")
def eigh(tensor: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
    """``(e, v)``: ascending eigenvalues and eigenvectors (columns) of Hermitian matrices.

    Only the lower triangle is read.
    """
    a = _matrix_arg(tensor, "SelfAdjointEigV2")
    return execute(SelfAdjointEig, (a,), {"compute_v": True})


@export("linalg.eigvalsh")
def eigvalsh(tensor: Any, name: str | None = None) -> Tensor:
    """Ascending eigenvalues of Hermitian matrices (lower triangle read)."""
    a = _matrix_arg(tensor, "SelfAdjointEigV2")
    return execute(SelfAdjointEig, (a,), {"compute_v": False})[0]


# ---------------------------------------------------------------------------------------------------------
# Least squares, pseudo-inverse, exponential


@export("linalg.lstsq")
def lstsq(matrix: Any, rhs: Any, l2_regularizer: Any = 0.0, fast: bool = True,
          name: str | None = None) -> Tensor:
    """Least-squares solutions of ``matrix @ X ≈ rhs`` (minimum norm when underdetermined).

    ``fast`` solves the (``l2_regularizer``-damped) normal equations with a Cholesky factorisation; otherwise
    the pseudo-inverse is used and ``l2_regularizer`` is ignored.
    """
    a, b = binary_args(matrix, rhs, "MatrixSolveLs")
    if a.dtype.name not in _DECOMP_TYPES:
        check_dtype("MatrixSolveLs", a, _DECOMP_TYPES)
    if not fast:
        return matmul(pinv(a), b)
    m, n = a.shape[-2], a.shape[-1]
    reg = float(_scalar_attr(l2_regularizer, dtypes.float64))
    if m >= n:
        gram = matmul(a, a, adjoint_a=True)
        if reg:
            gram = add(gram, multiply(_eye_like(gram), reg))
        return cholesky_solve(cholesky(gram), matmul(a, b, adjoint_a=True))
    gram = matmul(a, a, adjoint_b=True)
    if reg:
        gram = add(gram, multiply(_eye_like(gram), reg))
    return matmul(a, cholesky_solve(cholesky(gram), b), adjoint_a=True)


def _pinv_forward(xp, a, *, rcond):
    return xp.linalg.pinv(_widen(xp, a), rcond=rcond).astype(a.dtype, copy=False)


def _pinv_grad(entry, dy):
    # For constant rank, with P = A⁺:
    # grad_A = -Pᴴ dy Pᴴ + (I - A P) dyᴴ P Pᴴ + Pᴴ P dyᴴ (I - P A)
    a = entry.inputs[0]
    p = entry.outputs[0]
    p_h = adjoint(p)
    dy_h = adjoint(dy)
    first = negative(matmul(p_h, matmul(dy, p_h)))
    tail = matmul(dy_h, matmul(p, p_h))
    second = subtract(tail, matmul(a, matmul(p, tail)))
    head = matmul(p_h, matmul(p, dy_h))
    third = subtract(head, matmul(matmul(head, p), a))
    return (add(first, add(second, third)),)


Pinv = register("MatrixPinv", _pinv_forward, grad=_pinv_grad)


@export("linalg.pinv")
def pinv(a: Any, rcond: Any = None, validate_args: bool = False, name: str | None = None) -> Tensor:
    """Moore-Penrose pseudo-inverse; singular values below ``rcond * max(s)`` count as zero.

    ``rcond`` defaults to ``10 * max(rows, cols) * eps``.
    """
    a = to_tensor(a)
    if not a.dtype.is_floating:
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {a.dtype.name}).")
    if a.ndim < 2:
        raise ValueError(f"Input `a` must have at least 2 dimensions (saw: {a.ndim}).")
    if rcond is None:
        eps = np.finfo(a.dtype.real_dtype.as_numpy_dtype).eps
        rcond = 10.0 * max(a.shape[-2], a.shape[-1]) * eps
    return execute(Pinv, (a,), {"rcond": float(rcond)})


def _expm_forward(xp, a):
    _require_matrix("MatrixExponential", a)
    from scipy.linalg import expm as scipy_expm

    return xp.asarray(scipy_expm(_widen(xp, a)), dtype=a.dtype)


def _expm_grad(entry, dy):
    # The adjoint Fréchet derivative: the upper-right block of expm([[Aᴴ, dy], [0, Aᴴ]]).
    a = entry.inputs[0]
    n = a.shape[-1]
    np_dtype = a.dtype.as_numpy_dtype
    top = to_tensor(np.eye(2 * n, n, dtype=np_dtype))          # [I; 0]
    bottom = to_tensor(np.eye(2 * n, n, k=-n, dtype=np_dtype))  # [0; I]
    a_h = adjoint(a)
    block = add(matmul(top, matmul(a_h, top, adjoint_b=True)),
                add(matmul(top, matmul(dy, bottom, adjoint_b=True)),
                    matmul(bottom, matmul(a_h, bottom, adjoint_b=True))))
    return (matmul(top, matmul(expm(block), bottom), adjoint_a=True),)


MatrixExponential = register("MatrixExponential", _expm_forward, grad=_expm_grad)


@export("linalg.expm")
def expm(input: Any, name: str | None = None) -> Tensor:
    """The matrix exponential of each inner-most square matrix."""
    a = _matrix_arg(input, "MatrixExponential")
    return execute(MatrixExponential, (a,))


# ---------------------------------------------------------------------------------------------------------
# Products: einsum, tensordot, cross, matvec

_LETTERS = set(string.ascii_letters)
_EINSUM_OPTIMIZE_SIZE = 4096


def _split_subscripts(sub: str) -> tuple[str, str]:
    """``"ab...c"`` → ``("ab", "c")``; a subscript without ellipsis is all head."""
    head, _, tail = sub.partition("...")
    return head, tail


@functools.lru_cache(maxsize=512)
def _parse_equation(equation: str, num_inputs: int) -> tuple[tuple[str, ...], str]:
    """Input subscripts and the (explicit) output subscript of an einsum equation.

    Raises:
        ValueError: the equation names a different number of inputs, or has invalid characters.
    """
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    ins = tuple(lhs.split(","))
    if len(ins) != num_inputs:
        raise ValueError(f'Got {num_inputs} inputs for equation "{equation}", expecting {len(ins)}')
    for sub in ins + ((out,) if arrow else ()):
        if set(sub.replace("...", "")) - _LETTERS or sub.count("...") > 1:
            raise ValueError(f"Invalid character or ellipsis in einsum equation: {equation!r}")
    if not arrow:
        letters = "".join(s.replace("...", "") for s in ins)
        once = sorted(c for c in set(letters) if letters.count(c) == 1)
        out = ("..." if any("..." in s for s in ins) else "") + "".join(once)
    return ins, out


def _check_einsum_shapes(ins: tuple, operands: tuple) -> None:
    sizes: dict[str, int] = {}
    for i, (sub, x) in enumerate(zip(ins, operands)):
        head, tail = _split_subscripts(sub)
        n_labels = len(head) + len(tail)
        if "..." not in sub and x.ndim != n_labels:
            raise invalid_arg("Einsum", f"Expected input {i} to have rank {n_labels} but got: {x.ndim}")
        if x.ndim < n_labels:
            raise invalid_arg("Einsum", f"Expected input {i} to have rank at least {n_labels} but got: "
                                        f"{x.ndim}")
        axes = list(range(len(head))) + list(range(x.ndim - len(tail), x.ndim))
        for label, axis in zip(head + tail, axes):
            dim = x.shape[axis]
            expected = sizes.setdefault(label, dim)
            if expected != dim:
                raise invalid_arg("Einsum", f"Expected dimension {expected} at axis {axis} of the input "
                                            f"shaped "
                                            f"{shape_text(x.shape)} but got dimension {dim}")


def _einsum_forward(xp, *operands, equation):
    ins, out = _parse_equation(equation, len(operands))
    _check_einsum_shapes(ins, operands)
    # contraction-order optimisation (and BLAS) pays off for several or large operands only
    optimize = len(operands) > 2 or max(x.size for x in operands) > _EINSUM_OPTIMIZE_SIZE
    if "..." in out or not any("..." in sub for sub in ins):
        return xp.einsum(equation, *operands, optimize=optimize)
    # NumPy cannot drop broadcast (ellipsis) dims in explicit mode: keep them, then sum them away.
    kept = xp.einsum(",".join(ins) + "->..." + out, *operands, optimize=optimize)
    return kept.sum(axis=tuple(range(kept.ndim - len(out))), dtype=kept.dtype)


def _einsum_grad(entry, dy):
    ins, out = _parse_equation(entry.attrs["equation"], len(entry.inputs))
    return tuple(_einsum_operand_grad(ins, out, entry.inputs, k, dy) for k in range(len(ins)))


def _einsum_operand_grad(ins: tuple, out: str, operands: tuple, k: int, dy: Tensor) -> Tensor | None:
    """Gradient for operand ``k``: contract ``dy`` with the other operands into ``k``'s subscripts.

    Labels only operand ``k`` has are broadcast back with ones vectors; repeated labels (diagonals) are
    restored with identity matrices; broadcast ellipsis dims are summed away at the end.
    """
    x = operands[k]
    if not (x.dtype.is_floating or x.dtype.is_complex):
        return None
    sub = ins[k]
    head, tail = _split_subscripts(sub)
    shape = x.shape.as_list()
    ell_rank = len(shape) - len(head) - len(tail) if "..." in sub else 0
    label_dims = dict(zip(head, shape[:len(head)]))
    label_dims.update(zip(tail, shape[len(shape) - len(tail):]))
    terms = [out] + [s for j, s in enumerate(ins) if j != k]
    tensors = [dy] + [conj(t) for j, t in enumerate(operands) if j != k]
    available = set("".join(terms).replace("...", ""))
    spare = iter(sorted(_LETTERS - set("".join(ins) + out)))
    if "..." in sub and "..." not in out:
        terms.append("...")
        tensors.append(ones(shape[len(head):len(head) + ell_rank], dtype=x.dtype))
    result, seen = [], set()
    for part, is_ellipsis in [(head, False), ("...", True), (tail, False)]:
        if is_ellipsis:
            if "..." in sub:
                result.append("...")
            continue
        for label in part:
            if label in seen:
                fresh = next(spare)
                terms.append(label + fresh)
                tensors.append(_identity(label_dims[label], x.dtype))
                result.append(fresh)
                continue
            seen.add(label)
            result.append(label)
            if label not in available:
                terms.append(label)
                tensors.append(ones([label_dims[label]], dtype=x.dtype))
    grad = einsum(",".join(terms) + "->" + "".join(result), *tensors)
    if grad.shape.as_list() == shape:
        return grad
    # Undo ellipsis broadcasting: sum the extra leading dims and the dims x had as 1.
    g_shape = grad.shape.as_list()
    g_ell = len(g_shape) - len(head) - len(tail)
    start = len(head)
    axes = list(range(start, start + g_ell - ell_rank))
    for i in range(ell_rank):
        axis = start + g_ell - ell_rank + i
        if shape[start + i] == 1 and g_shape[axis] != 1:
            axes.append(axis)
    return reshape(reduce_sum(grad, axis=axes, keepdims=True), shape)


Einsum = register("Einsum", _einsum_forward, grad=_einsum_grad)


@export("einsum", "linalg.einsum")
def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """Tensor contraction over the index labels of ``equation`` (NumPy's einsum syntax, ``...`` included).

    Raises:
        ValueError: the number of inputs does not match the equation.
        InvalidArgumentError: inconsistent dimensions, ranks or dtypes.
    """
    _parse_equation(equation, len(inputs))
    tensors = tuple(to_tensor(x) for x in inputs)
    if len(tensors) > 1:
        first = tensors[0].dtype
        if any(t.dtype is not first for t in tensors):
            check_same_dtype("Einsum", tensors)
    return execute(Einsum, tensors, {"equation": equation.replace(" ", "")})


def _tensordot_axes(axes: Any, a_rank: int, b_rank: int, a: Tensor) -> tuple[list[int], list[int]]:
    if isinstance(axes, Tensor):
        axes = axes.numpy().tolist()
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        if axes > a_rank:
            raise ValueError("`axes` must not be larger than the number of dimensions of tensor "
                             f"{a.numpy()}.  "
                             f"Received {axes}, vs tensor dimensions {a_rank}.")
        return list(range(a_rank - axes, a_rank)), list(range(axes))
    if len(axes) != 2:
        raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
    a_axes, b_axes = (as_int_list(ax) for ax in axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}.")
    return [ax % a_rank if a_rank else ax for ax in a_axes], [ax % b_rank if b_rank else ax for ax in b_axes]


@export("tensordot", "linalg.tensordot")
def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """Contracts ``a``'s ``axes[0]`` with ``b``'s ``axes[1]``.

    An integer ``axes=n`` contracts ``a``'s last n dims with ``b``'s first n.


    Raises:
        ValueError: invalid ``axes``.
        InvalidArgumentError: contracted dimensions differ.
    """
    a, b = binary_args(a, b, "MatMul")
    a_shape, b_shape = a.shape.as_list(), b.shape.as_list()
    a_axes, b_axes = _tensordot_axes(axes, len(a_shape), len(b_shape), a)
    letters = iter(string.ascii_letters)
    a_sub = [next(letters) for _ in a_shape]
    b_sub = [next(letters) for _ in b_shape]
    for i, j in zip(a_axes, b_axes):
        b_sub[j] = a_sub[i]
    a_free = [i for i in range(len(a_shape)) if i not in a_axes]
    b_free = [j for j in range(len(b_shape)) if j not in b_axes]
    if [a_shape[i] for i in a_axes] != [b_shape[j] for j in b_axes]:
        rows = int(np.prod([a_shape[i] for i in a_free], dtype=np.int64))
        inner_a = int(np.prod([a_shape[i] for i in a_axes], dtype=np.int64))
        inner_b = int(np.prod([b_shape[j] for j in b_axes], dtype=np.int64))
        cols = int(np.prod([b_shape[j] for j in b_free], dtype=np.int64))
        raise invalid_arg("MatMul", f"Matrix size-incompatible: In[0]: [{rows},{inner_a}], In[1]: "
                                    f"[{inner_b},{cols}]")
    out = "".join(a_sub[i] for i in a_free) + "".join(b_sub[j] for j in b_free)
    return einsum(f"{''.join(a_sub)},{''.join(b_sub)}->{out}", a, b)


def _cross_forward(xp, a, b):
    if a.shape != b.shape:
        raise invalid_arg("Cross", f"a and b must be the same shape: {shape_text(a.shape)} vs "
                                   f"{shape_text(b.shape)}")
    if a.ndim == 0 or a.shape[-1] != 3:
        from ..errors import FailedPreconditionError

        raise FailedPreconditionError(None, None, "Cross-products are only defined for 3-element vectors. "
                                                  "[Op:Cross] name: ")
    return xp.cross(a, b).astype(a.dtype, copy=False)


def _cross_grad(entry, dy):
    a, b = entry.inputs
    return cross(b, dy), cross(dy, a)


CrossOp = register("Cross", _cross_forward, grad=_cross_grad)


@export("linalg.cross")
def cross(a: Any, b: Any, name: str | None = None) -> Tensor:
    """Pairwise cross products of the 3-element vectors in the last dim of ``a`` and ``b``."""
    a, b = binary_args(a, b, "Cross")
    return execute(CrossOp, (a, b))


@export("linalg.matvec")
def matvec(a: Any, b: Any, transpose_a: bool = False, adjoint_a: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, name: str | None = None) -> Tensor:
    """Matrix-vector products ``a @ b`` for the inner-most matrices of ``a`` and vectors of ``b``."""
    a, b = binary_args(a, b, "MatMul")
    return matmul(a, b[..., None], transpose_a=transpose_a, adjoint_a=adjoint_a)[..., 0]


@export("linalg.normalize")
def normalize(tensor: Any, ord: Any = "euclidean", axis: Any = None,
              name: str | None = None) -> tuple[Tensor, Tensor]:
    """``(tensor / norm, norm)`` with ``norm = tf.linalg.norm(tensor, ord, axis, keepdims=True)``."""
    norm = namespace("linalg")["norm"]
    x = to_tensor(tensor)
    n = norm(x, ord=ord, axis=axis, keepdims=True)
    return divide(x, n), n
