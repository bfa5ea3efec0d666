"""``ndflow.train`` (``tf.train``): ``Example`` protos and training utilities."""
from .checkpoint import Checkpoint, CheckpointOptions
from .checkpoint_management import CheckpointManager, get_checkpoint_state, latest_checkpoint
from .checkpoint_reader import list_variables, load_checkpoint, load_variable
from .example import (
    BytesList,
    Example,
    Feature,
    FeatureList,
    FeatureLists,
    Features,
    FloatList,
    Int64List,
    SequenceExample,
)


def __getattr__(name: str):
    """TF2 keeps TF1's thread coordinator in ``tf.train`` (imported on first use)."""
    if name in ("Coordinator", "LooperThread"):
        from ..compat.v1.train import coordinator

        return getattr(coordinator, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
