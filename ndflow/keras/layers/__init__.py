"""``ndflow.keras.layers``: every Keras layer, one module per family."""
from .activation import *
from .attention import *
from .conv import *
from .core import *
from .input_layer import *
from .input_spec import InputSpec
from .layer import KerasVariable, Layer
from .merging import *
from .normalization import *
from .pooling import *
from .preprocessing_layers import *
from .recurrent import *
from .regularization import *
from .reshaping import *
