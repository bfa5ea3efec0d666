"""Estimator with custom model_fns: the spec's sin prediction, checkpoints/resume, predict, errors."""
import logging
import os

import numpy as np
import pytest

import ndflow as tf

v1 = tf.compat.v1
numpy_input_fn = tf.estimator.inputs.numpy_input_fn


def fc_model(features, labels, mode):
    """The spec's hand-written linear model_fn (GradientDescent 0.01, explicit global-step increment)."""
    w = v1.get_variable("W", [10, 1])
    b = v1.get_variable("b", [1])
    y = tf.matmul(features["x"], w) + b
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"predictions": y})
    loss = v1.losses.mean_squared_error(labels, y[:, 0])
    global_step = v1.train.get_global_step()
    train = v1.group(v1.train.GradientDescentOptimizer(0.01).minimize(loss), v1.assign_add(global_step, 1))
    return tf.estimator.EstimatorSpec(mode=mode, predictions=y, loss=loss, train_op=train)


def test_custom_model_fn_trains_evaluates_predicts_like_the_spec(sin_data, tmp_path, caplog):
    train_x, train_y, test_x, test_y = sin_data
    estimator = tf.estimator.Estimator(model_fn=fc_model, model_dir=str(tmp_path))
    with caplog.at_level(logging.INFO, logger="ndflow"):
        estimator.train(numpy_input_fn({"x": train_x}, train_y, batch_size=32, num_epochs=None, shuffle=True),
                        steps=1000)
    messages = [r.getMessage() for r in caplog.records]
    assert f"Saving checkpoints for 1000 into {tmp_path / 'model.ckpt'}." in messages
    assert any(m.startswith("loss = ") and m.endswith("step = 1") for m in messages)
    assert messages[-1].startswith("Loss for final step: ")
    assert os.path.exists(tmp_path / "model.ckpt-1000.index")
    assert estimator.latest_checkpoint() == str(tmp_path / "model.ckpt-1000")
    result = estimator.evaluate(numpy_input_fn({"x": test_x}, test_y, batch_size=32, num_epochs=1, shuffle=True))
    assert sorted(result) == ["global_step", "loss"] and result["global_step"] == 1000
    assert result["loss"] < 1e-2  # the spec records 0.0054 for this model
    predictions = list(estimator.predict(numpy_input_fn({"x": test_x}, num_epochs=1, shuffle=False)))
    assert len(predictions) == len(test_x) and predictions[0]["predictions"].shape == (1,)
    w, b = estimator.get_variable_value("W"), estimator.get_variable_value("b")
    np.testing.assert_allclose([p["predictions"][0] for p in predictions[:5]], (test_x[:5] @ w + b)[:, 0],
                               rtol=1e-5, atol=1e-6)
    assert estimator.get_variable_names() == ["W", "b", "global_step"]


def _counting_model(features, labels, mode, params):
    w = v1.get_variable("w", [1], initializer=v1.zeros_initializer())
    pred = features * w
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions=pred)
    loss = tf.reduce_mean(tf.square(pred - labels))
    train = v1.train.GradientDescentOptimizer(params["lr"]).minimize(loss, v1.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, predictions=pred, loss=loss, train_op=train)


def test_resume_max_steps_and_dataset_input(tmp_path, caplog):
    def input_fn():
        x = np.arange(1, 9, dtype=np.float32)
        return tf.data.Dataset.from_tensor_slices((x, 2 * x)).repeat().batch(4)

    config = tf.estimator.RunConfig(save_checkpoints_steps=5, keep_checkpoint_max=10)
    estimator = tf.estimator.Estimator(_counting_model, model_dir=str(tmp_path), config=config, params={"lr": 0.01})
    estimator.train(input_fn, steps=12)
    assert sorted(f for f in os.listdir(tmp_path) if f.endswith(".index")) == [
        "model.ckpt-0.index", "model.ckpt-10.index", "model.ckpt-12.index", "model.ckpt-5.index"]
    estimator.train(input_fn, steps=3)
    assert estimator.evaluate(input_fn, steps=2)["global_step"] == 15
    with caplog.at_level(logging.INFO, logger="ndflow"):
        estimator.train(input_fn, max_steps=10)
    assert "Skipping training since max_steps has already saved." in caplog.messages
    estimator.train(input_fn, max_steps=20)
    assert estimator.get_variable_value("global_step") == 20
    assert abs(estimator.get_variable_value("w")[0] - 2.0) < 0.05
    batches = list(estimator.predict(lambda: tf.data.Dataset.from_tensor_slices(np.ones(6, np.float32)).batch(4),
                                     yield_single_examples=False))
    assert [len(b) for b in batches] == [4, 2]


def test_finite_input_stops_training_and_evaluation(tmp_path):
    x = np.ones((10, 1), np.float32)
    estimator = tf.estimator.Estimator(_counting_model, model_dir=str(tmp_path), params={"lr": 0.1})
    estimator.train(numpy_input_fn(x, x, batch_size=4, num_epochs=2, shuffle=False))
    assert estimator.get_variable_value("global_step") == 5  # 20 examples in batches of 4
    result = estimator.evaluate(numpy_input_fn(x, x, batch_size=3, num_epochs=1, shuffle=False))
    assert result["global_step"] == 5 and result["loss"] >= 0


def test_model_fn_with_eval_metric_ops_and_config(tmp_path):
    def model_fn(features, labels, mode, config):
        assert config.model_dir == str(tmp_path)
        w = v1.get_variable("w", [], initializer=v1.constant_initializer(0.5))
        pred = features["x"] * w
        loss = tf.reduce_sum(tf.square(pred - labels))
        metrics = {"mae": v1.metrics.mean_absolute_error(labels, pred), "mean_pred": v1.metrics.mean(pred)}
        train = v1.train.GradientDescentOptimizer(0.0).minimize(loss, v1.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, {"p": pred}, loss, train, eval_metric_ops=metrics)

    x = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path))
    result = estimator.evaluate(numpy_input_fn({"x": x}, x, batch_size=3, shuffle=False))
    assert result["global_step"] == 0
    np.testing.assert_allclose(result["mae"], np.mean(0.5 * x), rtol=1e-6)
    np.testing.assert_allclose(result["mean_pred"], np.mean(0.5 * x), rtol=1e-6)
    batch_losses = [np.sum((0.5 * x[:3]) ** 2), np.sum((0.5 * x[3:]) ** 2)]
    np.testing.assert_allclose(result["loss"], np.mean(batch_losses), rtol=1e-6)


def test_spec_and_argument_errors(tmp_path):
    with tf.Graph().as_default():
        loss = tf.constant(1.0)
        with pytest.raises(ValueError, match="Missing train_op"):
            tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.TRAIN, loss=loss)
        with pytest.raises(ValueError, match="Missing loss"):
            tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.EVAL)
        with pytest.raises(ValueError, match="Missing predictions"):
            tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.PREDICT)
        with pytest.raises(ValueError, match="Loss must be scalar"):
            tf.estimator.EstimatorSpec("eval", loss=tf.ones([3]))
    with pytest.raises(ValueError, match="must include features argument"):
        tf.estimator.Estimator(lambda x, labels, mode: None)
    with pytest.raises(ValueError, match="does not include params argument"):
        tf.estimator.Estimator(fc_model, params={"a": 1})
    estimator = tf.estimator.Estimator(fc_model, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="Can not provide both steps and max_steps"):
        estimator.train(lambda: None, steps=1, max_steps=2)
    with pytest.raises(ValueError, match="Must specify steps > 0"):
        estimator.train(lambda: None, steps=0)
    with pytest.raises(ValueError, match="Could not find trained model"):
        estimator.get_variable_names()
    with pytest.raises(ValueError, match="Can not provide both save_checkpoints_steps and save_checkpoints_secs"):
        tf.estimator.RunConfig(save_checkpoints_steps=1, save_checkpoints_secs=1)
    assert tf.estimator.RunConfig(save_checkpoints_steps=10).save_checkpoints_secs is None
    assert tf.estimator.RunConfig().replace(tf_random_seed=3).tf_random_seed == 3


def test_nan_loss_stops_training(tmp_path):
    def model_fn(features, labels, mode):
        w = v1.get_variable("w", [], initializer=v1.ones_initializer())
        loss = tf.math.log(w - 1.0) * 0.0 + tf.constant(float("nan"))
        train = v1.assign_add(v1.train.get_global_step(), 1)
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train)

    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path))
    with pytest.raises(tf.estimator.NanLossDuringTrainingError, match="NaN loss during training"):
        estimator.train(lambda: (tf.ones([1]), tf.ones([1])), steps=3)


def test_compat_v1_exposes_estimator_and_temporary_model_dir():
    assert v1.estimator is tf.estimator
    estimator = tf.estimator.Estimator(fc_model)
    assert os.path.isdir(estimator.model_dir) and estimator.config.model_dir == estimator.model_dir


class _Recorder(tf.estimator.SessionRunHook):
    """Counts the protocol calls, fetches the global step, and stops after ``stop_after`` runs."""

    def __init__(self, stop_after=None):
        self.calls, self.steps, self.stop_after = [], [], stop_after

    def begin(self):
        self.calls.append("begin")
        self.global_step = v1.train.get_global_step()

    def after_create_session(self, session, coord):
        self.calls.append("after_create_session")

    def before_run(self, run_context):
        return tf.estimator.SessionRunArgs(self.global_step)

    def after_run(self, run_context, run_values):
        self.steps.append(int(run_values.results))
        if self.stop_after is not None and len(self.steps) >= self.stop_after:
            run_context.request_stop()

    def end(self, session):
        self.calls.append("end")


def test_hooks_in_train_evaluate_and_predict(tmp_path, caplog):
    def input_fn():
        x = np.arange(1, 9, dtype=np.float32)
        return tf.data.Dataset.from_tensor_slices((x, 2 * x)).repeat().batch(4)

    estimator = tf.estimator.Estimator(_counting_model, model_dir=str(tmp_path), params={"lr": 0.01})
    recorder = _Recorder()
    estimator.train(input_fn, hooks=[recorder, tf.estimator.StopAtStepHook(last_step=7)])
    assert recorder.calls == ["begin", "after_create_session", "end"]
    assert estimator.get_variable_value("global_step") == 7
    assert len(recorder.steps) == 7
    with caplog.at_level(logging.INFO, logger="ndflow"):
        logging_hook = tf.estimator.LoggingTensorHook({"step": "global_step:0"}, every_n_iter=2)
        estimator.train(input_fn, steps=4, hooks=[logging_hook])
    assert [m for m in caplog.messages if m.startswith("step = ")] == ["step = 7", "step = 9"]
    stopper = _Recorder(stop_after=3)
    assert estimator.evaluate(input_fn, hooks=[stopper])["global_step"] == 11
    assert stopper.steps == [11, 11, 11]
    predictor = _Recorder(stop_after=2)
    rows = list(estimator.predict(lambda: tf.data.Dataset.from_tensor_slices(np.ones(20, np.float32)).batch(4),
                                  hooks=[predictor]))
    assert len(rows) == 8 and predictor.calls[-1] == "end"
    with pytest.raises(ValueError, match="One of num_steps or last_step must be specified"):
        tf.estimator.StopAtStepHook()
