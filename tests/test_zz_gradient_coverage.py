"""Audit: every differentiable op in the op table went through the float64 gradient harness.

Runs last (file order) and only when the whole ``tests/core`` suite ran in this session.
"""
import pathlib

import pytest

import ndflow  # noqa: F401 - fills the op table
from ndflow._core.op import OPS
from ndflow._core.ops import load_deferred
from tests.gradcheck import CHECKED_OPS

# Ops whose gradient is structural rather than numerical, or checked by dedicated tests:
NOT_NUMERIC = {
    "ReadVariableOp",  # identity onto a variable; covered by every variable gradient test
    "If",  # re-traces the branch under a tape; tests/core/test_control_flow.py
    "While",  # graph-only; checked against finite differences in tests/core/test_control_flow.py
    "PlaceholderWithDefault",  # graph input; identity gradient
    "StopGradient",  # the gradient is None by definition
    "TrueDiv",  # integer inputs only (float division is RealDiv): nothing to differentiate
    "IsFinite", "IsInf", "IsNan", "TruncateMod",  # TF defines no gradient: they raise LookupError
    "ConjugateTranspose",  # complex-only; compared with TF's complex gradients in the parity tests
    "RandomGamma",  # sampling: the alpha gradient is compared with tf.raw_ops.RandomGammaGrad
    # Shape helpers that gradients use only when shapes are unknown (inside graphs); the eager harness
    # can't reach them. Their first-order use is covered by the tf.function gradient tests.
    "KeepReducedDims", "UnsortedSegmentProdToShapeOf", "UnsortedSegmentSumToShapeOf", "FillDynamic",
    "ReshapeDynamic",
    "GatherAlongAxis",  # appears only in third-order gradients of sort/top_k (second order is checked)
}


def test_every_differentiable_op_has_a_float64_gradient_check(request):
    core = pathlib.Path(__file__).parent / "core"
    expected = {str(p) for p in core.glob("test_*.py")}
    collected = {str(item.path) for item in request.session.items}
    if not expected <= collected or not CHECKED_OPS:
        pytest.skip("runs only with the whole tests/core suite")
    load_deferred()  # the op modules ``import ndflow`` leaves out belong to the table too
    differentiable = {name for name, op in OPS.items() if op.grad is not None}
    missing = sorted(differentiable - CHECKED_OPS - NOT_NUMERIC)
    assert not missing, f"ops without a check_gradients test: {missing}"
