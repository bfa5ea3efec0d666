"""``ndflow.keras.optimizers.legacy``: tf.keras 2.11+'s legacy names, here the same classes as the current ones."""
from .adagrad import Adagrad
from .adam import Adam
from .base_optimizer import Optimizer
from .ftrl import Ftrl
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop", "SGD"]
