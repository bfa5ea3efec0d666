"""``ndflow.test``: gradient checking helpers (TF's ``tf.test.compute_gradient``)."""
from ._core.gradient_checker import compute_gradient

__all__ = ["compute_gradient", "is_built_with_cuda", "is_gpu_available"]


def is_built_with_cuda() -> bool:
    """False: ndflow is not a CUDA build (GPU support comes through CuPy when installed)."""
    return False


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability: object = None) -> bool:
    """True when CuPy can see a GPU."""
    try:
        import cupy
    except ImportError:
        return False
    try:
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False
