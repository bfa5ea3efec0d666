"""contrib.learn: the spec's ``DNNClassifier`` + ``SKCompat`` + ``infer_real_valued_columns_from_input`` flow."""
import numpy as np

import ndflow as tf

learn = tf.compat.v1.contrib.learn


def _blobs(n_per_class, seed):
    rng = np.random.RandomState(seed)
    centers = np.array([[0, 0, 0, 0], [3, 3, 0, 0], [0, 3, 3, 3]], np.float32)
    x = np.concatenate([rng.randn(n_per_class, 4).astype(np.float32) + c for c in centers])
    return x, np.repeat(np.arange(3), n_per_class)


def test_spec_dnn_classifier_with_skcompat(tmp_path):
    x_train, y_train = _blobs(40, 0)
    x_test, y_test = _blobs(10, 1)
    config = learn.RunConfig(tf_random_seed=42)
    feature_cols = learn.infer_real_valued_columns_from_input(x_train)
    assert feature_cols[0].shape == (4,)
    dnn_clf = learn.DNNClassifier(hidden_units=[30, 10], n_classes=3, feature_columns=feature_cols, config=config,
                                  model_dir=str(tmp_path))
    dnn_clf = learn.SKCompat(dnn_clf)
    dnn_clf.fit(x_train, y_train, batch_size=50, steps=200)
    y_pred = dnn_clf.predict(x_test)
    assert sorted(y_pred) == ["classes", "logits", "probabilities"]
    assert y_pred["probabilities"].shape == (30, 3) and y_pred["classes"].shape == (30,)
    np.testing.assert_allclose(y_pred["probabilities"].sum(1), np.ones(30), rtol=1e-5)
    np.testing.assert_array_equal(y_pred["classes"], y_pred["probabilities"].argmax(1))
    assert np.mean(y_pred["classes"] == y_test) > 0.9
    score = dnn_clf.score(x_test, y_test)
    np.testing.assert_allclose(score["accuracy"], np.mean(y_pred["classes"] == y_test), rtol=1e-6)
    assert score["global_step"] == 200
    # contrib.learn trains on the mean batch loss: the evaluation loss is the per-example average
    np.testing.assert_allclose(score["loss"], score["average_loss"], rtol=1e-5)


def test_contrib_learn_estimator_methods(tmp_path):
    x, y = _blobs(20, 2)
    clf = learn.DNNClassifier([8], learn.infer_real_valued_columns_from_input(x), n_classes=3,
                              model_dir=str(tmp_path))
    clf.fit(x, y, batch_size=20, steps=50)
    classes = clf.predict(x, as_iterable=False)
    probabilities = clf.predict_proba(x, as_iterable=False)
    np.testing.assert_array_equal(classes, probabilities.argmax(1))
    assert clf.evaluate(x, y)["global_step"] == 50
