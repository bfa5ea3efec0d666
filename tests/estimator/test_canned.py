"""Canned estimators: the spec's LinearRegressor sin prediction, DNN/linear classifiers and regressors."""
import numpy as np
import pytest

import ndflow as tf

numpy_input_fn = tf.estimator.inputs.numpy_input_fn
fc = tf.feature_column


def test_linear_regressor_sin_prediction_matches_the_spec(sin_data, tmp_path):
    train_x, train_y, test_x, test_y = sin_data
    regressor = tf.estimator.LinearRegressor(feature_columns=[fc.numeric_column("x", shape=[10])],
                                             model_dir=str(tmp_path))
    regressor.train(input_fn=numpy_input_fn({"x": train_x}, train_y, batch_size=32, num_epochs=None, shuffle=True),
                    steps=1000)
    result = regressor.evaluate(numpy_input_fn({"x": test_x}, test_y, batch_size=32, num_epochs=1, shuffle=True))
    assert sorted(result) == ["average_loss", "global_step", "loss"] and result["global_step"] == 1000
    assert result["average_loss"] < 1e-3  # the spec records 0.00023348766
    # canned regressors sum the loss over a batch: loss ≈ batch size × average_loss (the last batch is smaller)
    assert 25 * result["average_loss"] < result["loss"] < 33 * result["average_loss"]
    predictions = regressor.predict(numpy_input_fn({"x": test_x}, num_epochs=1, shuffle=False))
    first = next(predictions)
    weights = regressor.get_variable_value("linear/linear_model/x/weights")
    bias = regressor.get_variable_value("linear/linear_model/bias_weights")
    np.testing.assert_allclose(first["predictions"], test_x[0] @ weights + bias, rtol=1e-5, atol=1e-6)
    assert {"linear/linear_model/x/weights/Ftrl", "linear/linear_model/x/weights/Ftrl_1"} <= set(
        regressor.get_variable_names())


def test_dnn_classifier_on_blobs(blobs, tmp_path):
    x, y = blobs
    classifier = tf.estimator.DNNClassifier(hidden_units=[10, 10], feature_columns=[fc.numeric_column("x", [4])],
                                            n_classes=3, model_dir=str(tmp_path),
                                            config=tf.estimator.RunConfig(tf_random_seed=42))
    classifier.train(numpy_input_fn({"x": x}, y, batch_size=32, num_epochs=None, shuffle=True), steps=200)
    result = classifier.evaluate(numpy_input_fn({"x": x}, y, num_epochs=1, shuffle=False))
    assert sorted(result) == ["accuracy", "average_loss", "global_step", "loss"]
    assert result["accuracy"] > 0.9 and result["global_step"] == 200
    predictions = list(classifier.predict(numpy_input_fn({"x": x}, num_epochs=1, shuffle=False)))
    first = predictions[0]
    assert sorted(first) == ["class_ids", "classes", "logits", "probabilities"]
    np.testing.assert_allclose(first["probabilities"].sum(), 1.0, rtol=1e-5)
    assert first["classes"][0] == str(first["class_ids"][0]).encode()
    accuracy = np.mean([p["class_ids"][0] for p in predictions] == y)
    np.testing.assert_allclose(accuracy, result["accuracy"], rtol=1e-6)
    names = classifier.get_variable_names()
    for expected in ("dnn/hiddenlayer_0/kernel", "dnn/hiddenlayer_1/bias", "dnn/logits/kernel",
                     "dnn/logits/kernel/Adagrad", "global_step"):
        assert expected in names
    assert classifier.get_variable_value("dnn/hiddenlayer_0/kernel").shape == (4, 10)


def test_binary_linear_classifier_with_vocabulary_labels(blobs, tmp_path):
    x, y = blobs
    labels = np.where(y > 0, "yes", "no")
    classifier = tf.estimator.LinearClassifier([fc.numeric_column("x", [4])], model_dir=str(tmp_path),
                                               label_vocabulary=["no", "yes"])
    classifier.train(numpy_input_fn({"x": x}, labels, batch_size=30, num_epochs=None, shuffle=True), steps=150)
    result = classifier.evaluate(numpy_input_fn({"x": x}, labels, batch_size=200, shuffle=False))
    assert {"accuracy", "accuracy_baseline", "auc", "average_loss", "label/mean", "prediction/mean", "precision",
            "recall", "loss", "global_step"} == set(result)
    assert result["auc"] > 0.9
    np.testing.assert_allclose(result["label/mean"], 2 / 3, rtol=1e-6)
    np.testing.assert_allclose(result["accuracy_baseline"], 2 / 3, rtol=1e-6)
    assert result["accuracy"] > 0.9
    first = next(classifier.predict(numpy_input_fn({"x": x[:1]}, shuffle=False)))
    assert first["classes"][0] in (b"no", b"yes")
    np.testing.assert_allclose(first["probabilities"][1], first["logistic"][0], rtol=1e-6)


def test_dnn_regressor_and_combined_models(tmp_path):
    rng = np.random.RandomState(1)
    x = rng.uniform(-1, 1, (200, 2)).astype(np.float32)
    target = (x[:, 0] - 2 * x[:, 1]).astype(np.float32)
    color = np.where(x[:, 0] > 0, "red", "blue")
    regressor = tf.estimator.DNNRegressor([8], [fc.numeric_column("x", [2])], model_dir=str(tmp_path / "dnn"),
                                          optimizer="Adam", dropout=0.1)
    train = numpy_input_fn({"x": x}, target, batch_size=20, num_epochs=None, shuffle=True)
    regressor.train(train, steps=150)
    assert regressor.evaluate(numpy_input_fn({"x": x}, target, shuffle=False))["average_loss"] < 0.5
    combined = tf.estimator.DNNLinearCombinedClassifier(
        model_dir=str(tmp_path / "combined"),
        linear_feature_columns=[fc.categorical_column_with_vocabulary_list("color", ["red", "blue"])],
        dnn_feature_columns=[fc.numeric_column("x", [2])], dnn_hidden_units=[4])
    labels = (target > 0).astype(np.int64)
    combined.train(numpy_input_fn({"x": x, "color": color}, labels, batch_size=20, num_epochs=None, shuffle=True),
                   steps=30)
    names = combined.get_variable_names()
    assert "linear/linear_model/color/weights" in names and "dnn/hiddenlayer_0/kernel" in names
    assert combined.get_variable_value("global_step") == 30
    result = combined.evaluate(numpy_input_fn({"x": x, "color": color}, labels, shuffle=False))
    assert 0.0 <= result["accuracy"] <= 1.0
    with pytest.raises(ValueError, match="Either linear_feature_columns or dnn_feature_columns"):
        tf.estimator.DNNLinearCombinedRegressor()


def test_canned_argument_errors():
    with pytest.raises(ValueError, match="n_classes must be > 1"):
        tf.estimator.DNNClassifier([2], [fc.numeric_column("x")], n_classes=1)
    with pytest.raises(ValueError, match="feature_columns should not be empty"):
        tf.estimator.LinearRegressor([])


def test_train_and_evaluate(tmp_path):
    x = np.linspace(-1, 1, 64).astype(np.float32)
    estimator = tf.estimator.LinearRegressor([fc.numeric_column("x")], model_dir=str(tmp_path))
    metrics, exports = tf.estimator.train_and_evaluate(
        estimator, tf.estimator.TrainSpec(numpy_input_fn({"x": x}, 3 * x, batch_size=16, num_epochs=None,
                                                         shuffle=True), max_steps=50),
        tf.estimator.EvalSpec(numpy_input_fn({"x": x}, 3 * x, shuffle=False), steps=None))
    assert metrics["global_step"] == 50 and exports == []
    with pytest.raises(TypeError, match="`train_spec` must have type"):
        tf.estimator.train_and_evaluate(estimator, None, None)


def test_random_seed_makes_training_reproducible(tmp_path):
    rng = np.random.RandomState(0)
    x = rng.randn(60, 4).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    kernels = []
    for run in range(2):
        classifier = tf.estimator.DNNClassifier([5], [fc.numeric_column("x", [4])], model_dir=str(tmp_path / str(run)),
                                                config=tf.estimator.RunConfig(tf_random_seed=7))
        classifier.train(numpy_input_fn({"x": x}, y, batch_size=10, num_epochs=None, shuffle=True), steps=20)
        kernels.append(classifier.get_variable_value("dnn/logits/kernel"))
    np.testing.assert_array_equal(kernels[0], kernels[1])


def test_baseline_estimators_learn_the_label_prior(tmp_path):
    x = np.zeros((40, 1), np.float32)
    regressor = tf.estimator.BaselineRegressor(model_dir=str(tmp_path / "r"),
                                               optimizer=tf.compat.v1.train.GradientDescentOptimizer(0.01))
    regressor.train(numpy_input_fn({"x": x}, np.full(40, 3.0, np.float32), batch_size=10, num_epochs=None,
                                   shuffle=True), steps=100)
    np.testing.assert_allclose(regressor.get_variable_value("baseline/bias"), [3.0], rtol=1e-3)
    labels = np.array([0] * 10 + [1] * 30)
    classifier = tf.estimator.BaselineClassifier(model_dir=str(tmp_path / "c"), n_classes=3)
    classifier.train(numpy_input_fn({"x": x}, labels, batch_size=40, num_epochs=None, shuffle=True), steps=300)
    probabilities = next(classifier.predict(numpy_input_fn({"x": x[:1]}, shuffle=False)))["probabilities"]
    np.testing.assert_allclose(probabilities, [0.25, 0.75, 0.0], atol=0.02)


@pytest.mark.parametrize("reduction", ["weighted_sum", "weighted_sum_over_batch_size", "weighted_mean",
                                       "weighted_sum_by_nonzero_weights"])
def test_head_loss_reductions_follow_tf1_definitions(reduction):
    from ndflow.estimator._heads import RegressionHead

    labels = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    logits = np.array([[1.5], [2.0], [1.0], [5.0]], np.float32)
    weights = np.array([1.0, 0.0, 2.0, 0.5], np.float32)
    weighted = (labels - logits[:, 0]) ** 2 * weights
    expected = {"weighted_sum": weighted.sum(), "weighted_sum_over_batch_size": weighted.mean(),
                "weighted_mean": weighted.sum() / weights.sum(),
                "weighted_sum_by_nonzero_weights": weighted.sum() / np.count_nonzero(weights)}[reduction]
    with tf.Graph().as_default():
        head = RegressionHead(weight_column="w", loss_reduction=reduction)
        spec = head.create_estimator_spec({"w": weights}, tf.estimator.ModeKeys.EVAL, tf.constant(logits), labels,
                                          None)
        with tf.compat.v1.Session() as sess:
            loss = sess.run(spec.loss)
    np.testing.assert_allclose(loss, expected, rtol=1e-6)
    with pytest.raises(ValueError, match="Invalid loss_reduction: none"):
        RegressionHead(loss_reduction="none").create_estimator_spec({}, tf.estimator.ModeKeys.EVAL,
                                                                    tf.constant(logits), labels, None)
