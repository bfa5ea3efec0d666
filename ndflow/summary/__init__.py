"""``ndflow.summary`` (``tf.summary``): summaries for TensorBoard written to event files.

Writers come from ``create_file_writer``; summaries go to the default writer (``with writer.as_default():``)
at the given or default step. Files are readable by the ``tensorboard`` package (records framed as TFRecord,
``Event``/``Summary`` protos with TensorFlow's field numbers, TF2's plugin layouts).
"""
from . import experimental
from .summary_ops import audio, graph, histogram, image, scalar, text, trace_export, trace_off, trace_on, write
from .writer import (
    SummaryWriter,
    create_file_writer,
    create_noop_writer,
    flush,
    record_if,
    should_record_summaries,
)

__all__ = ["SummaryWriter", "audio", "create_file_writer", "create_noop_writer", "experimental", "flush", "graph",
           "histogram", "image", "record_if", "scalar", "should_record_summaries", "text", "trace_export",
           "trace_off", "trace_on", "write"]
