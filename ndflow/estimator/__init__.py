"""``ndflow.estimator``: TF's Estimator API (graph mode inside) with canned linear and DNN models."""
from . import inputs
from ._canned import (
    BaselineClassifier,
    BaselineRegressor,
    DNNClassifier,
    DNNLinearCombinedClassifier,
    DNNLinearCombinedRegressor,
    DNNRegressor,
    LinearClassifier,
    LinearRegressor,
)
from ._estimator import Estimator, NanLossDuringTrainingError
from ._hooks import (
    LoggingTensorHook,
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
    StopAtStepHook,
)
from ._spec import EstimatorSpec, EvalSpec, ModeKeys, RunConfig, TrainSpec
from ._train_and_evaluate import train_and_evaluate

__all__ = ["Estimator", "EstimatorSpec", "ModeKeys", "RunConfig", "TrainSpec", "EvalSpec", "train_and_evaluate",
           "LinearRegressor", "LinearClassifier", "DNNRegressor", "DNNClassifier", "DNNLinearCombinedRegressor",
           "DNNLinearCombinedClassifier", "BaselineRegressor", "BaselineClassifier", "NanLossDuringTrainingError",
           "inputs", "SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues", "StopAtStepHook",
           "LoggingTensorHook"]
