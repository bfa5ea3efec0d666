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
