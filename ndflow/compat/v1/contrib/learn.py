"""``tf.contrib.learn``: the pre-``tf.estimator`` wrappers TF1 books use (``DNNClassifier(...).fit(x, y)``,
``SKCompat``, ``infer_real_valued_columns_from_input``), built on ``ndflow.estimator``."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

import ndflow as _ndflow

from ....estimator import DNNClassifier as _DNNClassifier
from ....estimator import RunConfig
from ....estimator.inputs import numpy_input_fn

__all__ = ["DNNClassifier", "SKCompat", "RunConfig", "infer_real_valued_columns_from_input"]

_FEATURE_KEY = ""


def infer_real_valued_columns_from_input(x: Any) -> list:
    """One real-valued column (key ``""``) with the shape of ``x``'s examples."""
    x = np.asarray(x)
    return [_ndflow.feature_column.numeric_column(_FEATURE_KEY, shape=x.shape[1:] or (1,))]


def _features(x: Any) -> dict:
    return x if isinstance(x, dict) else {_FEATURE_KEY: np.asarray(x, np.float32)}


def _input_fn(x: Any, y: Any, batch_size: int | None, epochs: int | None, shuffle: bool) -> Callable:
    return numpy_input_fn(_features(x), None if y is None else np.asarray(y), batch_size=batch_size or 128,
                          num_epochs=epochs, shuffle=shuffle)


class DNNClassifier(_DNNClassifier):
    """``tf.contrib.learn.DNNClassifier``: a DNN classifier trained on the mean batch loss, with the old
    ``fit(x, y, batch_size, steps)`` / ``predict(x)`` / ``evaluate(x, y)`` methods."""

    def __init__(self, hidden_units: list, feature_columns: Any, model_dir: str | None = None, n_classes: int = 2,
                 weight_column_name: Any = None, optimizer: Any = "Adagrad",
                 activation_fn: Callable = _ndflow.nn.relu, dropout: float | None = None,
                 gradient_clip_norm: Any = None, enable_centered_bias: bool = False, config: Any = None,
                 feature_engineering_fn: Any = None, embedding_lr_multipliers: Any = None,
                 input_layer_min_slice_size: Any = None, label_keys: Any = None) -> None:
        super().__init__(hidden_units, feature_columns, model_dir=model_dir, n_classes=n_classes,
                         weight_column=weight_column_name, label_vocabulary=label_keys, optimizer=optimizer,
                         activation_fn=activation_fn, dropout=dropout, config=config,
                         loss_reduction="weighted_sum_over_batch_size")

    def fit(self, x: Any = None, y: Any = None, input_fn: Callable | None = None, steps: int | None = None,
            batch_size: int | None = None, monitors: Any = None, max_steps: int | None = None) -> DNNClassifier:
        """Trains on arrays (shuffled, repeated) or on ``input_fn``."""
        input_fn = input_fn or _input_fn(x, y, batch_size, None, True)
        self.train(input_fn, steps=steps, max_steps=max_steps)
        return self

    def evaluate(self, x: Any = None, y: Any = None, input_fn: Callable | None = None, batch_size: int | None = None,
                 steps: int | None = None, metrics: Any = None, name: str | None = None, **kwargs: Any) -> dict:
        input_fn = input_fn or _input_fn(x, y, batch_size, 1, False)
        return super().evaluate(input_fn, steps=steps, name=name, **kwargs)

    def predict(self, x: Any = None, input_fn: Callable | None = None, batch_size: int | None = None,
                as_iterable: bool = True) -> Any:
        """The predicted class ids (an iterator, or an array when ``as_iterable=False``)."""
        classes = (int(p["class_ids"][0]) for p in self._predictions(x, input_fn, batch_size))
        return classes if as_iterable else np.fromiter(classes, np.int64)

    def predict_proba(self, x: Any = None, input_fn: Callable | None = None, batch_size: int | None = None,
                      as_iterable: bool = True) -> Any:
        probabilities = (p["probabilities"] for p in self._predictions(x, input_fn, batch_size))
        return probabilities if as_iterable else np.stack(list(probabilities))

    def _predictions(self, x: Any, input_fn: Callable | None, batch_size: int | None) -> Any:
        return super().predict(input_fn or _input_fn(x, None, batch_size, 1, False))


class SKCompat:
    """scikit-learn-style methods over a contrib.learn estimator: ``fit``, ``predict`` (a dict of arrays),
    ``score`` (the evaluation dict)."""

    def __init__(self, estimator: DNNClassifier) -> None:
        self._estimator = estimator

    def fit(self, x: Any, y: Any, batch_size: int = 128, steps: int | None = None, max_steps: int | None = None,
            monitors: Any = None) -> SKCompat:
        self._estimator.fit(x, y, batch_size=batch_size, steps=steps, max_steps=max_steps)
        return self

    def score(self, x: Any, y: Any, batch_size: int = 128, steps: int | None = None, metrics: Any = None,
              name: str | None = None) -> dict:
        return self._estimator.evaluate(x, y, batch_size=batch_size, steps=steps, name=name)

    def predict(self, x: Any, batch_size: int = 128, outputs: Any = None) -> dict:
        """``{'classes': int array, 'probabilities': array, …}`` over all of ``x``."""
        rows = list(_DNNClassifier.predict(self._estimator, _input_fn(x, None, batch_size, 1, False)))
        result = {"classes": np.array([int(r["class_ids"][0]) for r in rows]),
                  "probabilities": np.stack([r["probabilities"] for r in rows]),
                  "logits": np.stack([r["logits"] for r in rows])}
        return {k: result[k] for k in (outputs or result)}
