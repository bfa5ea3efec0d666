"""``metrics.get`` / ``serialize`` / ``deserialize``, config round trips, and the compile helpers
``resolve_metric`` / ``resolve_accuracy``."""
import numpy as np
import pytest

from ndflow.keras import losses, metrics


def test_get_resolves_names_to_metric_instances():
    assert metrics.get(None) is None
    assert isinstance(metrics.get("mse"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("mean_squared_error"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("MAE"), metrics.MeanAbsoluteError)
    assert isinstance(metrics.get("accuracy"), metrics.Accuracy)
    assert isinstance(metrics.get("AUC"), metrics.AUC)
    assert isinstance(metrics.get("auc"), metrics.AUC)
    assert isinstance(metrics.get("precision"), metrics.Precision)
    assert isinstance(metrics.get("binary_accuracy"), metrics.BinaryAccuracy)
    assert isinstance(metrics.get("r2_score"), metrics.R2Score)
    assert isinstance(metrics.get(metrics.Recall), metrics.Recall)
    instance = metrics.Mean()
    assert metrics.get(instance) is instance
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert metrics.get({"class_name": "AUC", "config": {"num_thresholds": 11}}).num_thresholds == 11
    for bad in ["foo", 3, {"class_name": "Foo", "config": {}}]:
        with pytest.raises(ValueError, match="Could not interpret metric identifier"):
            metrics.get(bad)


def test_serialize_and_deserialize_round_trip():
    auc = metrics.AUC(num_thresholds=10, curve="PR", name="pr_auc")
    config = metrics.serialize(auc)
    assert config["module"] == "keras.metrics" and config["class_name"] == "AUC"
    assert config["registered_name"] is None
    restored = metrics.deserialize(config)
    assert restored.get_config() == auc.get_config()
    assert metrics.deserialize(metrics.serialize(metrics.binary_accuracy)) is metrics.binary_accuracy
    assert metrics.deserialize(metrics.serialize(metrics.mean_squared_error)) is losses.mean_squared_error
    for metric in [metrics.Precision(thresholds=[0.2, 0.4], class_id=1), metrics.F1Score(average="macro"),
                   metrics.MeanIoU(num_classes=3, ignore_class=0), metrics.BinaryAccuracy(threshold=0.7),
                   metrics.AUC(thresholds=[0.2, 0.8], multi_label=True, num_labels=2, label_weights=[1.0, 2.0]),
                   metrics.R2Score(num_regressors=2), metrics.SparseTopKCategoricalAccuracy(k=3)]:
        clone = type(metric).from_config(metric.get_config())
        assert clone.get_config() == metric.get_config(), type(metric).__name__


def test_mean_metric_wrapper_config_keeps_function_and_kwargs():
    wrapper = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="acc", threshold=0.3)
    config = wrapper.get_config()
    assert config == {"name": "acc", "dtype": "float32", "threshold": 0.3,
                      "fn": {"module": "builtins", "class_name": "function", "config": "binary_accuracy",
                             "registered_name": "function"}}
    clone = metrics.MeanMetricWrapper.from_config(config)
    assert clone._fn is metrics.binary_accuracy and clone._fn_kwargs == {"threshold": 0.3}
    with_loss = metrics.MeanMetricWrapper(losses.Huber(delta=2.0), name="huber")
    clone = metrics.MeanMetricWrapper.from_config(with_loss.get_config())
    assert isinstance(clone._fn, losses.Huber) and clone._fn.delta == 2.0


def test_custom_objects_for_functions():
    def doubled_error(y_true, y_pred):
        return 2 * losses.mean_absolute_error(y_true, y_pred)

    wrapper = metrics.MeanMetricWrapper(doubled_error, name="doubled")
    config = metrics.serialize(wrapper)
    assert config["class_name"] == "MeanMetricWrapper"
    restored = metrics.deserialize_function(config["config"]["fn"], custom_objects={"doubled_error": doubled_error})
    assert restored is doubled_error
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.deserialize_function(config["config"]["fn"])


def test_resolve_accuracy_from_shapes():
    assert isinstance(metrics.resolve_accuracy((None, 1), (None, 1)), metrics.BinaryAccuracy)
    assert isinstance(metrics.resolve_accuracy((None,), (None, 1)), metrics.BinaryAccuracy)
    assert isinstance(metrics.resolve_accuracy((None,), (None, 10)), metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.resolve_accuracy((None, 1), (None, 10)), metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.resolve_accuracy((None, 10), (None, 10)), metrics.CategoricalAccuracy)
    assert metrics.resolve_accuracy((None, 10), (None, 10), name="acc").name == "acc"


def test_resolve_metric_names_like_compile():
    accuracy = metrics.resolve_metric("acc", (None,), (None, 3))
    assert isinstance(accuracy, metrics.SparseCategoricalAccuracy) and accuracy.name == "acc"
    mae = metrics.resolve_metric("mae", (None, 1), (None, 1))
    assert isinstance(mae, metrics.MeanAbsoluteError) and mae.name == "mae"
    wrapped = metrics.resolve_metric(losses.mean_absolute_error, (None, 1), (None, 1))
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "mean_absolute_error"
    wrapped.update_state(np.zeros((2, 1)), np.ones((2, 1)))
    assert float(wrapped.result()) == 1.0
    auc = metrics.AUC(name="my_auc")
    assert metrics.resolve_metric(auc, None, None) is auc and auc.name == "my_auc"
    with pytest.raises(ValueError, match="Expected metric, received `None`"):
        metrics.resolve_metric(None, None, None)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="Threshold values must be in \\[0, 1\\]"):
        metrics.Precision(thresholds=1.5)
    with pytest.raises(ValueError, match='Invalid AUC curve value: "foo"'):
        metrics.AUC(curve="foo")
    with pytest.raises(ValueError, match="Invalid AUC summation method value"):
        metrics.AUC(summation_method="middle")
    with pytest.raises(ValueError, match="`num_thresholds` must be an integer > 1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="`num_labels` is needed only when `multi_label` is True"):
        metrics.AUC(num_labels=3)
    with pytest.raises(ValueError, match="Argument `recall` must be in the range \\[0, 1\\]"):
        metrics.PrecisionAtRecall(1.5)
    with pytest.raises(ValueError, match="When class_id is provided"):
        metrics.Precision(class_id=1).update_state([1.0, 0.0], [0.3, 0.8])
    with pytest.raises(ValueError, match="rank 2 when `multi_label=True`"):
        metrics.AUC(multi_label=True).update_state([1.0, 0.0], [0.3, 0.8])
