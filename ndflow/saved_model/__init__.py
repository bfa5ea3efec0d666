"""``ndflow.saved_model`` (``tf.saved_model``): exporting objects with their traced functions, and loading them
back without their Python classes."""
from .load import LoadOptions, contains_saved_model, load
from .save import DEFAULT_SERVING_SIGNATURE_DEF_KEY, SaveOptions, save

SERVING = "serve"
TRAINING = "train"
EVAL = "eval"
GPU = "gpu"
TPU = "tpu"
ASSETS_DIRECTORY = "assets"
VARIABLES_DIRECTORY = "variables"
VARIABLES_FILENAME = "variables"
SAVED_MODEL_FILENAME_JSON = "saved_model.json"
CLASSIFY_METHOD_NAME = "tensorflow/serving/classify"
PREDICT_METHOD_NAME = "tensorflow/serving/predict"
REGRESS_METHOD_NAME = "tensorflow/serving/regress"

__all__ = ["save", "load", "SaveOptions", "LoadOptions", "contains_saved_model", "DEFAULT_SERVING_SIGNATURE_DEF_KEY",
           "SERVING", "TRAINING", "EVAL", "GPU", "TPU", "ASSETS_DIRECTORY", "VARIABLES_DIRECTORY",
           "VARIABLES_FILENAME", "SAVED_MODEL_FILENAME_JSON", "CLASSIFY_METHOD_NAME", "PREDICT_METHOD_NAME",
           "REGRESS_METHOD_NAME"]
