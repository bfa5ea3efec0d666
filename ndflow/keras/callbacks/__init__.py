"""``ndflow.keras.callbacks``: hooks into ``fit``, ``evaluate`` and ``predict`` (Keras 3 API)."""
from .backup_and_restore import BackupAndRestore
from .callback import Callback
from .callback_list import CallbackList
from .csv_logger import CSVLogger
from .early_stopping import EarlyStopping
from .history import History
from .learning_rate import LearningRateScheduler, ReduceLROnPlateau
from .model_checkpoint import ModelCheckpoint
from .monitor_callback import MonitorCallback
from .progbar_logger import ProgbarLogger
from .simple_callbacks import LambdaCallback, RemoteMonitor, SwapEMAWeights, TerminateOnNaN
from .tensorboard import TensorBoard

__all__ = ["BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History",
           "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "MonitorCallback", "ProgbarLogger",
           "ReduceLROnPlateau", "RemoteMonitor", "SwapEMAWeights", "TensorBoard", "TerminateOnNaN"]
