"""``TensorBoard``: writes training logs for TensorBoard (Keras 3's callback, on ``ndflow.summary``).

Layout, as Keras writes it: ``<log_dir>/train`` and ``<log_dir>/validation`` hold one event file each with
``epoch_<metric>`` scalars per epoch (``epoch_learning_rate`` too), ``batch_<metric>`` scalars every
``update_freq`` batches, ``evaluation_<metric>_vs_iterations`` after each validation, weight histograms
(``<weight path>/histogram``) every ``histogram_freq`` epochs, and with ``write_graph`` the model's Keras
config (the ``keras`` tag) and the graph of its traced train step.
"""
from __future__ import annotations

import logging
import os
import time
from typing import Any

import numpy as np

from .callback import Callback

__all__ = ["TensorBoard"]


class TensorBoard(Callback):
    """Logs metrics, weight histograms/images and the training graph for TensorBoard.

    Args:
        log_dir: root directory of this run's logs.
        histogram_freq: write weight histograms every this many epochs (0: never).
        write_graph: write the model config and train-step graph.
        write_images: also write weights as images (with histograms).
        write_steps_per_second: log training steps per second.
        update_freq: "epoch", "batch" or an int: batch-level scalars every this many batches.
        profile_batch: profiling is not available: recorded and ignored.
        embeddings_freq, embeddings_metadata: the embedding projector is not available: recorded and ignored
            (with a warning when ``embeddings_freq`` is set).
    """

    def __init__(self, log_dir: Any = "logs", histogram_freq: int = 0, write_graph: bool = True,
                 write_images: bool = False, write_steps_per_second: bool = False, update_freq: Any = "epoch",
                 profile_batch: Any = 0, embeddings_freq: int = 0, embeddings_metadata: Any = None) -> None:
        super().__init__()
        if embeddings_freq:
            logging.getLogger("ndflow").warning("TensorBoard: embeddings are not supported; embeddings_freq is "
                                                "ignored.")
        self.log_dir = str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.profile_batch = profile_batch
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._previous_epoch_iterations = 0
        self._epoch_start_time = 0.0
        self._batch_start_time = 0.0
        self._writers: dict = {}
        self._prev_summary_state: list = []
        self._should_write_train_graph = False

    @property
    def summary(self) -> Any:
        from ... import summary

        return summary

    def set_model(self, model: Any) -> None:
        """Sets the model and, with ``write_graph``, writes its Keras config."""
        super().set_model(model)
        self._log_write_dir = self.log_dir
        self._train_dir = os.path.join(self._log_write_dir, "train")
        self._val_dir = os.path.join(self._log_write_dir, "validation")
        self._writers = {}
        self._should_write_train_graph = False
        if self.write_graph:
            self._write_keras_model_summary()
            self._should_write_train_graph = True

    @property
    def _train_writer(self) -> Any:
        if "train" not in self._writers:
            self._writers["train"] = self.summary.create_file_writer(self._train_dir)
        return self._writers["train"]

    @property
    def _val_writer(self) -> Any:
        if "val" not in self._writers:
            self._writers["val"] = self.summary.create_file_writer(self._val_dir)
        return self._writers["val"]

    def _write_keras_model_summary(self) -> None:
        """The model's JSON config under the ``keras`` tag (Sequential and functional models)."""
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return
        try:
            config = self.model.to_json()
        except (NotImplementedError, TypeError, ValueError):
            return
        from ...summary.values import summary_metadata

        with self._train_writer.as_default():
            self.summary.write("keras", np.asarray(config.encode("utf-8"), dtype=object), step=0,
                               metadata=summary_metadata("graph_keras_model", content=b"1"))

    def _write_keras_model_train_graph(self) -> None:
        """The graph of the traced train step (nothing when the model runs eagerly)."""
        traced = getattr(self.model.train_function, "traced", None)
        concretes = list(getattr(traced, "_cache", {}).values()) if traced is not None else []
        if concretes:
            with self._train_writer.as_default():
                self.summary.graph(concretes[-1].graph)

    def _push_writer(self, writer: Any, step: int) -> None:
        """Makes ``writer`` the default for batch-level summaries (custom ones in the model too)."""
        if self.update_freq == "epoch":
            return

        def should_record() -> bool:
            return step % self.update_freq == 0

        contexts = (writer.as_default(step), self.summary.record_if(should_record))
        self._prev_summary_state.append(contexts)
        contexts[0].__enter__()
        contexts[1].__enter__()

    def _pop_writer(self) -> None:
        if self.update_freq == "epoch" or not self._prev_summary_state:
            return
        contexts = self._prev_summary_state.pop()
        contexts[1].__exit__(None, None, None)
        contexts[0].__exit__(None, None, None)

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()

    # -- hooks --------------------------------------------------------------------------------------------
    def on_train_begin(self, logs: dict | None = None) -> None:
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        self._push_writer(self._train_writer, self._global_train_batch)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._pop_writer()
        self._close_writers()

    def on_test_begin(self, logs: dict | None = None) -> None:
        self._push_writer(self._val_writer, self._global_test_batch)

    def on_test_end(self, logs: dict | None = None) -> None:
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and hasattr(optimizer, "iterations") and logs:
            with self._val_writer.as_default():
                for name, value in logs.items():
                    self.summary.scalar(f"evaluation_{name}_vs_iterations", value,
                                        step=int(np.asarray(optimizer.iterations.numpy())))
        self._pop_writer()

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._global_train_batch += 1
        if self.update_freq != "epoch":
            self._pop_writer()
            self._push_writer(self._train_writer, self._global_train_batch)
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self._should_write_train_graph:
            self._write_keras_model_train_graph()
            self._should_write_train_graph = False
        if self.write_steps_per_second:
            elapsed = time.time() - self._batch_start_time
            self.summary.scalar("batch_steps_per_second", 1.0 / max(elapsed, 1e-12), step=self._global_train_batch)
        if isinstance(logs, dict):
            for name, value in logs.items():
                self.summary.scalar(f"batch_{name}", value, step=self._global_train_batch)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._global_test_batch += 1
        if self.update_freq != "epoch":
            self._pop_writer()
            self._push_writer(self._val_writer, self._global_test_batch)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        if self.write_steps_per_second:
            self._previous_epoch_iterations = float(self.model.optimizer.iterations.numpy())
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Writes the epoch's metrics and, every ``histogram_freq`` epochs, the weights."""
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    # -- writing ------------------------------------------------------------------------------------------
    def _collect_learning_rate(self, logs: dict) -> dict:
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if optimizer is not None and hasattr(optimizer, "learning_rate"):
            rate = optimizer.learning_rate
            logs["learning_rate"] = float(np.asarray(rate.numpy() if hasattr(rate, "numpy") else rate))
        return logs

    def _log_epoch_metrics(self, epoch: int, logs: dict | None) -> None:
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k: v for k, v in logs.items() if k.startswith("val_")}
        train_logs = self._collect_learning_rate(train_logs)
        if self.write_steps_per_second:
            elapsed = time.time() - self._epoch_start_time
            steps = float(self.model.optimizer.iterations.numpy()) - self._previous_epoch_iterations
            train_logs["steps_per_second"] = steps / max(elapsed, 1e-12)
        if train_logs:
            with self._train_writer.as_default():
                for name, value in train_logs.items():
                    self.summary.scalar(f"epoch_{name}", value, step=epoch)
        if val_logs:
            with self._val_writer.as_default():
                for name, value in val_logs.items():
                    self.summary.scalar(f"epoch_{name[4:]}", value, step=epoch)

    def _log_weights(self, epoch: int) -> None:
        with self._train_writer.as_default():
            for layer in self.model.layers:
                for weight in layer.weights:
                    weight_name = weight.path.replace(":", "_")
                    self.summary.histogram(f"{weight_name}/histogram", weight, step=epoch)
                    if self.write_images:
                        self._log_weight_as_image(weight, f"{weight_name}/image", epoch)
            self._train_writer.flush()

    def _log_weight_as_image(self, weight: Any, name: str, epoch: int) -> None:
        """A weight as grey images: a bias as one row, a kernel as one (wider than tall) image, a conv kernel
        as one image per input channel."""
        image = np.squeeze(np.asarray(weight.numpy()))
        if image.ndim == 1:
            image = image.reshape(1, image.shape[0], 1, 1)
        elif image.ndim == 2:
            if image.shape[0] > image.shape[1]:
                image = image.T
            image = image.reshape(1, image.shape[0], image.shape[1], 1)
        elif image.ndim == 3:
            image = np.transpose(image, [2, 0, 1])[..., None]
        if image.ndim == 4 and image.shape[-1] in (1, 3, 4):
            self.summary.image(name, image, step=epoch)
